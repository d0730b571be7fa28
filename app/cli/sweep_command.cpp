#include "sweep_command.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <spdlog/spdlog.h>

#include "padsim/csv.hpp"
#include "padsim/result_set.hpp"
#include "padsim/error.hpp"
#include "padsim/models/study.hpp"
#include "padsim/sha256.hpp"
#include "progress.hpp"
#include "scenario_source.hpp"

namespace padsim::cli {

namespace {

namespace fs = std::filesystem;

/// One point of the grid: its parameter values (one per parameter) and its loaded scenario.
struct Point {
  std::vector<std::string> values;
  std::unique_ptr<Model> model;
};

/// A sweep whose input is checked: every point loaded, nothing run or written yet.
struct Plan {
  ScenarioSource source;
  std::string study_label;  ///< empty without --study
  std::string study_sha256;
  fs::path out_dir;
  std::vector<std::string> base_overrides;
  std::vector<models::SweepParameter> parameters;
  std::string runs;
  BatchOptions batch;
  std::vector<std::string> outcomes;  ///< selected, in the model's order unless given
  bool outcomes_given = false;
  std::vector<StatisticSpec> statistics;
  std::vector<Point> points;
};

/// One row of sweep.csv.
struct Row {
  std::size_t outcome = 0;  ///< index into Plan::outcomes
  const StatisticSpec* statistic = nullptr;
  Estimate estimate;
  std::uint64_t n = 0;
  std::uint64_t censored = 0;
};

std::vector<std::string> point_overrides(const Plan& plan, const std::vector<std::string>& values) {
  std::vector<std::string> overrides = plan.base_overrides;
  for (std::size_t k = 0; k < values.size(); ++k)
    overrides.push_back(plan.parameters[k].path + "=" + values[k]);
  return overrides;
}

std::string point_label(const Plan& plan, const Point& point) {
  std::string label;
  for (std::size_t k = 0; k < point.values.size(); ++k)
    label += (k ? ", " : "") + plan.parameters[k].path + "=" + point.values[k];
  return label;
}

std::string read_study(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, std::string("cannot read the study file: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError({path, 0, 0}, "cannot read the study file");
  return text.str();
}

Plan plan_sweep(const SweepOptions& options) {
  Plan plan;
  models::StudySpec study;
  std::string scenario = options.common.scenario;
  if (!options.study.empty()) {
    if (!options.vary.empty())
      bad_option("--vary and --study: give the parameters in one place (the study's [[vary]] tables)");
    const std::string text = read_study(options.study);
    study = models::load_study(text, options.study);
    plan.study_label = options.study;
    plan.study_sha256 = sha256_hex(text);
    if (scenario.empty()) {
      // A scenario named by the study is found next to the study file first.
      const fs::path beside = fs::path(options.study).parent_path() / study.scenario;
      std::error_code ec;
      scenario = fs::exists(beside, ec) ? beside.lexically_normal().string() : study.scenario;
    }
  } else {
    if (options.vary.empty()) bad_option("sweep: give --vary PATH=VALUES (once or twice) or --study FILE");
    for (const std::string& v : options.vary) {
      try {
        study.parameters.push_back(models::parse_sweep_parameter(v));
      } catch (const ParameterError& e) {
        bad_option(std::string("--vary: ") + e.what());
      }
    }
  }
  if (study.parameters.size() > 2) bad_option("sweep: at most two parameters (--vary twice)");
  if (study.parameters.size() == 2 && study.parameters[0].path == study.parameters[1].path)
    bad_option("sweep: the two parameters are the same path " + study.parameters[0].path);
  plan.parameters = study.parameters;

  plan.source = read_scenario(scenario);
  plan.base_overrides = study.overrides;
  plan.base_overrides.insert(plan.base_overrides.end(), options.common.overrides.begin(),
                             options.common.overrides.end());
  plan.runs = !options.batch.runs.empty() ? options.batch.runs
              : !study.runs.empty()       ? study.runs
                                          : "10000";
  StudyBatchOptions batch = options.batch;
  if (!batch.seed_given) batch.seed = study.seed.value_or(kDefaultSeed);
  plan.batch = study_batch_options(plan.runs, batch, options.common);
  plan.out_dir = !options.batch.out.empty() ? fs::path(options.batch.out)
                 : fs::path("results") / (!study.name.empty() ? study.name : plan.source.stem + "-sweep");

  const std::vector<std::string>& statistics =
      !options.statistics.empty() ? options.statistics : study.statistics;
  std::vector<std::string> names =
      statistics.empty() ? std::vector<std::string>{"mean", "p10", "p50", "p90"} : statistics;
  names.push_back("probability");  // events report their probability whatever was asked
  for (const std::string& name : names) {
    const StatisticSpec s = parse_statistic(name, "--statistic");
    if (std::none_of(plan.statistics.begin(), plan.statistics.end(),
                     [&](const StatisticSpec& t) { return t.name == s.name; }))
      plan.statistics.push_back(s);
  }

  // Every point is loaded before anything runs, so a bad value at the last point is found first.
  const std::size_t n0 = plan.parameters[0].values.size();
  const std::size_t n1 = plan.parameters.size() > 1 ? plan.parameters[1].values.size() : 1;
  for (std::size_t i = 0; i < n0 * n1; ++i) {
    Point p;
    p.values.push_back(plan.parameters[0].values[i / n1]);
    if (plan.parameters.size() > 1) p.values.push_back(plan.parameters[1].values[i % n1]);
    models::LoadOptions load = load_options(options.common);
    load.overrides = point_overrides(plan, p.values);
    p.model = load_model(plan.source, load);
    plan.points.push_back(std::move(p));
  }

  const Model& first = *plan.points.front().model;
  plan.outcomes = !options.outcomes.empty() ? options.outcomes : study.outcomes;
  plan.outcomes_given = !plan.outcomes.empty();
  if (plan.outcomes.empty())
    for (const OutcomeInfo& o : first.outcomes()) plan.outcomes.push_back(o.name);
  for (const std::string& name : plan.outcomes) find_outcome(first, name, "--outcome");
  return plan;
}

/// The rows of one point's batch: every selected outcome, every statistic that applies to it.
std::vector<Row> point_rows(const Plan& plan, const Model& model, const BatchResult& result) {
  std::vector<Row> rows;
  for (std::size_t k = 0; k < plan.outcomes.size(); ++k) {
    const std::size_t j = find_outcome(model, plan.outcomes[k], "--outcome");
    const OutcomeSummary s = outcome_summary(model, result, j);
    for (const StatisticSpec& stat : plan.statistics)
      if (stat.applies_to(model.outcomes()[j].kind))
        rows.push_back({k, &stat, estimate_statistic(s, stat), s.n, s.censored});
  }
  return rows;
}

void write_csv(std::ostream& stream, const Plan& plan, const std::vector<std::vector<Row>>& rows) {
  CsvWriter csv(stream);
  csv.field("point");
  for (const auto& p : plan.parameters) csv.field(p.path);
  csv.field("outcome").field("statistic").field("value").field("ci_low").field("ci_high");
  csv.field("n").field("censored").end_row();
  auto cell = [&csv](double x) { std::isfinite(x) ? csv.number(x) : csv.empty(); };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (const Row& r : rows[i]) {
      csv.integer(static_cast<std::uint64_t>(i));
      for (const std::string& v : plan.points[i].values) csv.field(v);
      csv.field(plan.outcomes[r.outcome]).field(r.statistic->name);
      cell(r.estimate.value);
      cell(r.estimate.ci.low);
      cell(r.estimate.ci.high);
      csv.integer(r.n).integer(r.censored).end_row();
    }
  }
}

void write_json(std::ostream& out, const Plan& plan, const SweepOptions& options,
                const std::vector<std::uint64_t>& replications) {
  out << "{\n  \"padsim_version\": " << json_string(PADSIM_VERSION) << ",\n";
  out << "  \"study\": " << (plan.study_label.empty() ? "null" : json_string(plan.study_label)) << ",\n";
  out << "  \"study_sha256\": " << (plan.study_label.empty() ? "null" : json_string(plan.study_sha256)) << ",\n";
  out << "  \"scenario\": " << json_string(plan.source.label) << ",\n";
  out << "  \"scenario_sha256\": " << json_string(sha256_hex(plan.source.text)) << ",\n";
  out << "  \"overrides\": " << json_string_array(plan.base_overrides) << ",\n";
  out << "  \"parameters\": [";
  for (std::size_t k = 0; k < plan.parameters.size(); ++k) {
    out << (k ? ",\n    " : "\n    ") << "{\"path\": " << json_string(plan.parameters[k].path) << ", \"values\": "
        << json_string_array(plan.parameters[k].values) << "}";
  }
  out << "\n  ],\n  \"points\": " << plan.points.size() << ",\n";
  out << "  \"seed\": " << plan.batch.seed << ",\n";
  out << "  \"runs\": " << json_string(plan.runs) << ",\n";
  if (plan.batch.auto_runs) {
    out << "  \"tolerance\": " << json_number(plan.batch.tolerance) << ",\n";
    out << "  \"max_replications\": " << plan.batch.max_replications << ",\n";
  }
  out << "  \"replications\": [";
  for (std::size_t i = 0; i < replications.size(); ++i) out << (i ? ", " : "") << replications[i];
  out << "],\n  \"outcomes\": " << json_string_array(plan.outcomes) << ",\n";
  out << "  \"statistics\": [";
  for (std::size_t i = 0; i < plan.statistics.size(); ++i)
    out << (i ? ", " : "") << json_string(plan.statistics[i].name);
  out << "],\n  \"command_line\": " << json_string(options.invocation) << ",\n";
  out << "  \"files\": [\"sweep.csv\", \"sweep.json\"]\n}\n";
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string trim_right(std::string s) {
  s.erase(s.find_last_not_of(' ') + 1);
  return s;
}

void print_table(std::ostream& out, const Plan& plan, const std::vector<std::vector<Row>>& rows) {
  std::vector<std::size_t> widths;
  for (std::size_t k = 0; k < plan.parameters.size(); ++k) {
    std::size_t w = plan.parameters[k].path.size();
    for (const auto& p : plan.points) w = std::max(w, p.values[k].size());
    widths.push_back(w + 2);
  }
  const Model& model = *plan.points.front().model;
  for (std::size_t k = 0; k < plan.outcomes.size(); ++k) {
    const OutcomeInfo& info = model.outcomes()[find_outcome(model, plan.outcomes[k], "--outcome")];
    if (!plan.outcomes_given && (!info.headline || info.kind != OutcomeKind::kValue)) continue;
    const bool event = info.kind == OutcomeKind::kEvent;
    const std::vector<std::string> shown = event ? std::vector<std::string>{"probability"}
                                                 : std::vector<std::string>{"p50", "p90"};
    out << "\n" << info.name << " (" << info.unit << ")\n  ";
    for (std::size_t c = 0; c < widths.size(); ++c) out << pad(plan.parameters[c].path, widths[c]);
    std::string header;
    for (const std::string& s : shown)
      header += pad((s == "probability" ? std::string("probability") : "P" + s.substr(1)) + " [95% CI]", 26);
    out << trim_right(header) << "\n";
    for (std::size_t i = 0; i < plan.points.size(); ++i) {
      std::string line = "  ";
      for (std::size_t c = 0; c < widths.size(); ++c) line += pad(plan.points[i].values[c], widths[c]);
      for (const std::string& s : shown) {
        std::string text = "-";
        for (const Row& r : rows[i])
          if (r.outcome == k && r.statistic->name == s) text = estimate_text(r.estimate);
        line += pad(text, 26);
      }
      out << trim_right(line) << "\n";
    }
  }
}

}  // namespace

CLI::App* add_sweep_command(CLI::App& app, SweepOptions& options) {
  auto* cmd = app.add_subcommand(
      "sweep", "Run a batch at every value of one or two parameters, on the same random numbers");
  add_common(*cmd, options.common, false);
  cmd->add_option("--study", options.study,
                  "Study file (TOML): scenario, parameters, values, runs, seed, outcomes, statistics");
  cmd->add_option("--vary", options.vary,
                  "PATH=v1,v2,... or PATH=lo:hi:step: a parameter and its values, spelled as --set "
                  "takes them (once or twice; twice: every pair)")
      ->allow_extra_args(false);
  cmd->add_option("--outcome", options.outcomes, "An outcome to report (repeatable; default: every one)")
      ->allow_extra_args(false);
  cmd->add_option("--statistic", options.statistics,
                  "mean, pNN or probability (repeatable; default: mean p10 p50 p90; events: probability)")
      ->allow_extra_args(false);
  add_study_batch_options(*cmd, options.batch, true);
  return cmd;
}

int run_sweep(const SweepOptions& options, const StudyContext& context, std::ostream& out) {
  const Plan plan = plan_sweep(options);
  if (plan.batch.auto_runs && !context.auto_runs)
    bad_option("--runs auto is not supported here (batches split over processes need a fixed "
               "count): give --runs N");
  const OutputLock lock = context.prepare_output(plan.out_dir);
  if (context.root) {
    spdlog::info("{}: sweep of {} points, {} replications per point, seed {}", plan.source.label,
                 plan.points.size(), plan.runs, plan.batch.seed);
    log_overrides(plan.base_overrides);
  }
  const auto started = std::chrono::steady_clock::now();
  catch_sigint();
  std::vector<std::vector<Row>> rows;
  std::vector<std::uint64_t> replications;
  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    const Point& point = plan.points[i];
    if (context.root) spdlog::info("point {}/{}: {}", i + 1, plan.points.size(), point_label(plan, point));
    BatchOptions batch = plan.batch;
    batch.interrupt = &sigint_flag();
    ProgressBar bar(context.root && !options.common.quiet);
    batch.progress = [&bar](const BatchProgress& p) { bar.update(p); };
    const BatchResult result = context.run_batch(*point.model, batch);
    bar.finish();
    if (context.root) warn_unconverged(result);
    replications.push_back(result.replications);
    rows.push_back(point_rows(plan, *point.model, result));
  }
  if (!context.root) {
    default_sigint();
    return kExitOk;
  }
  ResultSet set(plan.out_dir);
  write_csv(set.open("sweep.csv"), plan, rows);
  write_json(set.open("sweep.json"), plan, options, replications);
  if (sigint_flag()) throw Interrupted("interrupted");
  set.commit();
  default_sigint();

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char timing[48];
  std::snprintf(timing, sizeof timing, "%.2f s", seconds);
  out << plan.source.label << ": sweep of " << plan.points.size() << " points, "
      << (plan.batch.auto_runs ? "--runs auto" : plan.runs + " replications") << " per point, seed "
      << plan.batch.seed << ", " << timing << "\n";
  print_overrides(out, plan.base_overrides);
  print_table(out, plan, rows);
  out << "\nResults in " << plan.out_dir.string() << "/ (sweep.csv, sweep.json)\n";
  return kExitOk;
}

}  // namespace padsim::cli
