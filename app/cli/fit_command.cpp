#include "fit_command.hpp"

#include <cmath>
#include <fstream>
#include <iterator>
#include <ostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "padsim/csv.hpp"
#include "padsim/error.hpp"
#include "padsim/fit.hpp"
#include "report.hpp"
#include "run_command.hpp"

namespace padsim::cli {

namespace {

/// The cells of one CSV line (quoted cells with "" escapes), with each cell's 1-based column.
std::vector<std::pair<std::string, int>> csv_cells(const std::string& line) {
  std::vector<std::pair<std::string, int>> cells;
  std::size_t i = 0;
  for (;;) {
    const int column = static_cast<int>(i) + 1;
    std::string cell;
    if (i < line.size() && line[i] == '"') {
      for (++i; i < line.size(); ++i) {
        if (line[i] == '"' && i + 1 < line.size() && line[i + 1] == '"') cell += line[++i];
        else if (line[i] == '"') { ++i; break; }
        else cell += line[i];
      }
    }
    while (i < line.size() && line[i] != ',') cell += line[i++];
    cells.emplace_back(cell, column);
    if (i >= line.size()) return cells;
    ++i;
  }
}

/// The numbers of column `name` (the first when empty) of a CSV file with a header row.
std::vector<double> read_column(const std::string& path, const std::string& name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "cannot read the data file");
  std::string line;
  if (!std::getline(in, line)) throw InputError({path, 1, 1}, "the data file is empty");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const auto header = csv_cells(line);
  std::size_t column = 0;
  if (!name.empty()) {
    column = header.size();
    for (std::size_t c = 0; c < header.size(); ++c)
      if (header[c].first == name) column = c;
    if (column == header.size()) throw InputError({path, 1, 1}, "no column '" + name + "' in the header");
  }
  std::vector<double> values;
  for (int row = 2; std::getline(in, line); ++row) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto cells = csv_cells(line);
    if (column >= cells.size() || cells[column].first.empty())
      throw InputError({path, row, column < cells.size() ? cells[column].second : 1},
                       "empty cell in column '" + header[column].first + "'");
    const std::string& text = cells[column].first;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !std::isfinite(v))
      throw InputError({path, row, cells[column].second}, "'" + text + "' is not a finite number");
    values.push_back(v);
  }
  return values;
}

std::string p_value(double p) { return p < 0 ? "-" : fmt::format("{:.3f}", p); }

}  // namespace

CLI::App* add_fit_command(CLI::App& app, FitOptions& options) {
  auto* cmd = app.add_subcommand("fit", "Fit distributions to expert judgement or to data, for every family that can");
  auto* expert = cmd->add_option("--expert", options.expert,
                                 "Expert judgement: 'min=20, mode=28, max=40' or 'p10=20, p50=28, p90=40'");
  auto* data = cmd->add_option("--data", options.data, "Observations, e.g. 22,25,31,27")->delimiter(',');
  auto* file = cmd->add_option("--data-file", options.data_file, "CSV file with a header row");
  cmd->add_option("--column", options.column, "Column of --data-file (default: the first)")->needs(file);
  expert->excludes(data)->excludes(file);
  data->excludes(file);
  cmd->add_option("--family", options.families, "Families to fit (default: all)")->delimiter(',');
  cmd->add_option("--bootstrap", options.bootstrap, "Bootstrap samples for the data p-values (0: none)")
      ->capture_default_str()->check(CLI::Range(0, 100000));
  add_seed_option(*cmd, options.seed, "Seed of the bootstrap");
  cmd->add_option("--toml", options.toml_key, "Print only KEY = \"<best fit>\", the line to paste into a scenario");
  cmd->add_flag("--csv", options.csv, "One CSV row per family");
  return cmd;
}

int run_fit_command(const FitOptions& options, std::ostream& out) {
  std::vector<FitFamily> families;
  for (const auto& name : options.families) {
    try {
      families.push_back(fit_family_from_string(name));
    } catch (const ParameterError& e) {
      throw InputError({"--family", 0, 0}, e.what());
    }
  }
  if (families.empty()) families = all_fit_families();

  const bool from_data = options.expert.empty();
  std::vector<Fit> fits;
  std::vector<double> data;
  if (!from_data) {
    fits = fit_expert(parse_expert_judgement(options.expert, {"--expert", 1, 1}), families);
  } else {
    data = options.data_file.empty() ? options.data : read_column(options.data_file, options.column);
    const std::string source = options.data_file.empty() ? "--data" : options.data_file;
    if (data.size() < 3)
      throw InputError({source, 0, 0}, std::to_string(data.size()) + " observations; at least 3 are needed");
    for (double x : data)
      if (!(x >= 0)) throw InputError({source, 0, 0}, "negative observation " + format_number(x) + ": durations are >= 0");
    if (data.size() < 10)
      spdlog::warn("{} observations only: with fewer than 10, the fits and their p-values say little", data.size());
    fits = fit_data(data, families, options.bootstrap, options.seed);
  }

  // The best: for data, the lowest AIC. For judgement, a family that meets every given value
  // with the fewest parameters; when none does, the smallest error.
  const Fit* best = nullptr;
  for (const Fit& f : fits) {
    if (!f.ok || f.boundary) continue;
    bool better = !best;
    if (best && from_data) better = f.aic < best->aic;
    if (best && !from_data)
      better = f.exact != best->exact ? f.exact
                                      : f.exact ? f.parameters < best->parameters : f.max_error < best->max_error;
    if (better) best = &f;
  }
  if (!best) throw InputError({from_data ? "--data" : "--expert", 0, 0}, "no family can meet this evidence");

  if (!options.toml_key.empty()) {
    out << options.toml_key << " = \"" << best->distribution.describe() << "\"\n";
    return kExitOk;
  }
  if (options.csv) {
    CsvWriter csv(out);
    csv.field("family").field("ok").field("best").field("distribution").field("parameters");
    if (from_data)
      csv.field("log_likelihood").field("aic").field("bic").field("ks").field("ks_p").field("ad").field("ad_p");
    else
      csv.field("max_error");
    csv.field("note").end_row();
    for (const Fit& f : fits) {
      csv.field(to_string(f.family)).integer(std::uint64_t{f.ok}).integer(std::uint64_t{&f == best});
      csv.field(f.ok ? f.distribution.describe() : "").integer(static_cast<std::uint64_t>(f.parameters));
      if (from_data) {
        for (double v : {f.log_likelihood, f.aic, f.bic, f.ks, f.ks_p, f.ad, f.ad_p})
          if (f.ok && v != -1.0) csv.number(v); else csv.empty();
      } else if (f.ok) {
        csv.number(f.max_error);
      } else {
        csv.empty();
      }
      csv.field(f.note).end_row();
    }
    return kExitOk;
  }

  if (from_data)
    out << fmt::format("{} observations, min {}, max {}; p-values from {} bootstrap samples\n\n", data.size(),
                       readable(*std::min_element(data.begin(), data.end())),
                       readable(*std::max_element(data.begin(), data.end())), options.bootstrap);
  for (const Fit& f : fits) {
    out << fmt::format("{} {:<11}", &f == best ? "*" : " ", to_string(f.family));
    if (!f.ok) {
      out << "  (" << f.note << ")\n";
      continue;
    }
    out << "  " << f.distribution.describe() << "\n";
    if (from_data) {
      out << fmt::format("               logL {}  AIC {}  BIC {}  KS {} (p {})  AD {} (p {})\n",
                         readable(f.log_likelihood), readable(f.aic), readable(f.bic), readable(f.ks), p_value(f.ks_p),
                         readable(f.ad), p_value(f.ad_p));
      if (!f.note.empty()) out << "               " << f.note << "\n";
    } else {
      std::string fitted;
      for (const auto& [p, q] : f.fitted_percentiles)
        fitted += fmt::format("{}P{} = {}", fitted.empty() ? "" : ", ", readable(100 * p), readable(q));
      if (!fitted.empty()) out << "               fitted " << fitted << "  (largest error " << readable(f.max_error) << ")\n";
      if (!f.note.empty()) out << "               " << f.note << "\n";
    }
  }
  out << "\n* best: "
      << (from_data ? "lowest AIC"
          : best->exact ? "meets every given value with the fewest parameters"
                         : "no family meets every given value; the smallest largest error")
      << ". To paste into a scenario: duration = \"" << best->distribution.describe() << "\"\n";
  return kExitOk;
}

}  // namespace padsim::cli
