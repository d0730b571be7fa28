#include "dist_command.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <sstream>

#include <fmt/format.h>

#include "padsim/csv.hpp"
#include "padsim/distribution_text.hpp"
#include "report.hpp"
#include "run_command.hpp"

namespace padsim::cli {

namespace {

struct Row {
  std::string name;
  double (*value)(const Distribution&, double);
  double p = 0.0;
};

const std::vector<Row>& rows() {
  static const std::vector<Row> table = [] {
    std::vector<Row> r{
        {"mean", [](const Distribution& d, double) { return d.mean(); }},
        {"sd", [](const Distribution& d, double) { return std::sqrt(d.variance()); }},
        {"mode", [](const Distribution& d, double) { return d.mode(); }},
        {"min", [](const Distribution& d, double) { return d.lower(); }},
    };
    for (const int p : {1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99})
      r.push_back({"p" + std::to_string(p), [](const Distribution& d, double q) { return d.quantile(q); },
                   p / 100.0});
    r.push_back({"max", [](const Distribution& d, double) { return d.upper(); }});
    return r;
  }();
  return table;
}

/// Six significant digits for people; the CSV keeps every digit.
/// A histogram of the central 99% of the mass in 12 bins, from the cdf (exact, no sampling).
void histogram(std::ostream& out, const Distribution& d) {
  out << "\n" << d.describe() << "\n";
  if (d.is_fixed()) {
    out << "  every draw is " << readable(d.mean()) << "\n";
    return;
  }
  if (d.kind() == DistributionKind::kDiscrete) {
    const auto& spec = d.spec();
    const double top = *std::max_element(spec.probabilities.begin(), spec.probabilities.end());
    for (std::size_t i = 0; i < spec.values.size(); ++i)
      out << fmt::format("  {:>10}    {:>10} {:>5.1f}% {}\n", readable(spec.values[i]), "",
                         100.0 * spec.probabilities[i],
                         std::string(static_cast<std::size_t>(std::lround(40.0 * spec.probabilities[i] / top)), '#'));
    return;
  }
  // Round bin edges (a step of 1, 2 or 5 times a power of ten) over the central 99% of the mass.
  const double from = std::max(d.lower(), d.quantile(0.005));
  const double to = std::min(d.upper(), d.quantile(0.995));
  const double raw = (to - from) / 12.0;
  const double decade = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10.0 * decade;
  for (const double f : {1.0, 2.0, 5.0})
    if (f * decade >= raw) {
      step = f * decade;
      break;
    }
  const double lo = std::floor(from / step) * step;
  const auto bins = static_cast<std::size_t>(std::max(1.0, std::ceil((to - lo) / step - 1e-9)));
  constexpr double kWidth = 40.0;
  std::vector<double> mass(bins);
  for (std::size_t b = 0; b < bins; ++b) {
    const double a = lo + static_cast<double>(b) * step;
    // Bin b holds (a, a + step]; the first bin takes the mass at its left edge too.
    mass[b] = d.cdf(a + step) - (b == 0 ? d.cdf(std::nextafter(a, -INFINITY)) : d.cdf(a));
  }
  const double top = *std::max_element(mass.begin(), mass.end());
  for (std::size_t b = 0; b < bins; ++b) {
    const double a = lo + static_cast<double>(b) * step;
    const auto bar = static_cast<std::size_t>(std::lround(top > 0 ? kWidth * mass[b] / top : 0.0));
    out << fmt::format("  {:>10} .. {:<10} {:>5.1f}% {}\n", readable(a), readable(a + step), 100.0 * mass[b],
                       std::string(bar, '#'));
  }
}

}  // namespace

CLI::App* add_dist_command(CLI::App& app, DistOptions& options) {
  auto* cmd = app.add_subcommand(
      "dist", "Describe distributions written as in a scenario, e.g. 'pert(20, 28, 40)' 'lognormal(p10=30, p90=90)'");
  cmd->add_option("spec", options.specs, "Distributions in the scenario's text form (see docs/scenario.md)")
      ->required();
  cmd->add_flag("--csv", options.csv, "Long-form CSV (spec, statistic, value) with every digit");
  return cmd;
}

int run_dist_command(const DistOptions& options, std::ostream& out) {
  std::vector<Distribution> dists;
  for (std::size_t i = 0; i < options.specs.size(); ++i)
    dists.push_back(parse_distribution(options.specs[i], {"SPEC " + std::to_string(i + 1), 1, 1}));

  if (options.csv) {
    CsvWriter csv(out);
    csv.field("spec").field("statistic").field("value").end_row();
    for (const Distribution& d : dists)
      for (const Row& r : rows()) {
        csv.field(d.describe()).field(r.name);
        const double v = r.value(d, r.p);
        if (std::isfinite(v))
          csv.number(v);
        else
          csv.field(v > 0 ? "inf" : "-inf");
        csv.end_row();
      }
    return kExitOk;
  }

  std::vector<std::string> heads;
  std::size_t width = 12;
  for (const Distribution& d : dists) {
    heads.push_back(d.describe());
    width = std::max(width, heads.back().size() + 2);
  }
  out << fmt::format("{:<6}", "");
  for (const auto& h : heads) out << fmt::format("{:>{}}", h, width);
  out << "\n";
  for (const Row& r : rows()) {
    out << fmt::format("{:<6}", r.name == "min" ? "lower" : r.name == "max" ? "upper" : r.name);
    for (const Distribution& d : dists) out << fmt::format("{:>{}}", readable(r.value(d, r.p)), width);
    out << "\n";
  }
  for (const Distribution& d : dists) histogram(out, d);
  return kExitOk;
}

}  // namespace padsim::cli
