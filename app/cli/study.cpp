#include "study.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "padsim/format.hpp"
#include "padsim/statistics.hpp"
#include "cli_checks.hpp"

namespace padsim::cli {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

std::string short_number(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (std::isnan(x)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, std::abs(x) >= 10 || x == 0 ? "%.1f" : "%.3g", x);
  return buf;
}

}  // namespace

StatisticSpec parse_statistic(const std::string& text, const std::string& what) {
  StatisticSpec s;
  s.name = text;
  if (text == "mean") return s;
  if (text == "probability") {
    s.kind = StatisticSpec::Kind::kProbability;
    return s;
  }
  int nn = 0;
  if (text.size() >= 2 && text[0] == 'p') {
    const char* begin = text.data() + 1;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, nn);
    if (ec == std::errc() && ptr == end && nn >= 1 && nn <= 99 && text[1] != '0') {
      s.kind = StatisticSpec::Kind::kPercentile;
      s.p = nn / 100.0;
      return s;
    }
  }
  bad_option(what + ": unknown statistic '" + text + "': expected mean, p1..p99 or probability");
}

Estimate estimate_statistic(const OutcomeSummary& s, const StatisticSpec& statistic) {
  switch (statistic.kind) {
    case StatisticSpec::Kind::kMean:
      return {s.reached.mean(), s.reached.mean_ci()};
    case StatisticSpec::Kind::kPercentile: {
      const QuantileEstimate q = s.quantile(statistic.p);
      return {q.value, q.ci};
    }
    case StatisticSpec::Kind::kProbability: {
      const std::uint64_t successes = s.nonzero;
      const double p = s.n == 0 ? kNaN : static_cast<double>(successes) / static_cast<double>(s.n);
      return {p, wilson_interval(successes, s.n)};
    }
  }
  return {kNaN, {kNaN, kNaN}};
}

std::size_t find_outcome(const Model& model, const std::string& name, const std::string& what) {
  const auto& outcomes = model.outcomes();
  for (std::size_t j = 0; j < outcomes.size(); ++j)
    if (outcomes[j].name == name) return j;
  std::string known;
  for (std::size_t j = 0; j < outcomes.size() && j < 12; ++j)
    known += (j ? ", " : "") + outcomes[j].name;
  if (outcomes.size() > 12) known += ", ... (summary.csv lists them all)";
  bad_option(what + ": the scenario has no outcome '" + name + "' (outcomes: " + known + ")");
}

double parse_number(std::string_view text, const std::string& what) {
  const std::string t = trim(text);
  double x = 0.0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(x))
    bad_option(what + ": expected a number, found '" + std::string(text) + "'");
  return x;
}

void add_study_batch_options(CLI::App& cmd, StudyBatchOptions& options, bool with_tolerance) {
  cmd.add_option("-n,--runs", options.runs,
                 with_tolerance ? "Replications per point: a count, or 'auto' (until --tolerance); default: the study's, else 10000"
                                : "Replications per evaluation (default 10000)");
  if (with_tolerance) {
    cmd.add_option("--tolerance", options.tolerance,
                   "--runs auto: relative CI half-width to reach on every headline outcome")
        ->capture_default_str()
        ->check(number_above(0.0, 1.0));
    cmd.add_option("--max-runs", options.max_runs, "--runs auto: stop here even if not within tolerance")
        ->capture_default_str()
        ->check(integer_in(1, std::numeric_limits<std::uint64_t>::max()));
  }
  cmd.add_option_function<std::uint64_t>(
         "-s,--seed",
         [&options](const std::uint64_t& seed) {
           options.seed = seed;
           options.seed_given = true;
         },
         "Seed of every batch (default 20251127)")
      ->check(integer_in(0, std::numeric_limits<std::uint64_t>::max()));
  cmd.add_option("-o,--out", options.out, "Output directory");
  cmd.add_option("-j,--threads", options.threads, "Worker threads (default 0: all cores)")
      ->capture_default_str()
      ->check(integer_in(0, kMaxThreads));
}

BatchOptions study_batch_options(const std::string& runs, const StudyBatchOptions& options,
                                 const CommonOptions& common_options) {
  CommonOptions common = common_options;
  common.seed = options.seed;
  RunOptions run;
  run.runs = runs;
  run.tolerance = options.tolerance;
  run.max_runs = options.max_runs;
  run.threads = options.threads;
  return batch_options(common, run);
}


std::string estimate_text(const Estimate& e) {
  if (std::isinf(e.value) && e.value > 0) return ">horizon";
  return short_number(e.value) + " [" + short_number(e.ci.low) + ", " +
         (std::isinf(e.ci.high) && e.ci.high > 0 ? std::string(">horizon") : short_number(e.ci.high)) + "]";
}

}  // namespace padsim::cli
