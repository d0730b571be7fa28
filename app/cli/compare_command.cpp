#include "compare_command.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <thread>

#include <spdlog/spdlog.h>

#include "padsim/batch.hpp"
#include "padsim/csv.hpp"
#include "padsim/result_set.hpp"
#include "padsim/error.hpp"
#include "padsim/format.hpp"
#include "padsim/sha256.hpp"
#include "cli_checks.hpp"
#include "progress.hpp"
#include "scenario_source.hpp"

namespace padsim::cli {

namespace {

namespace fs = std::filesystem;

/// One variant: its scenario, the overrides applied to it, and the loaded model.
struct Variant {
  ScenarioSource source;
  std::vector<std::string> overrides;
  bool no_responses = false;  ///< every [[response]] switched off (the frozen plan)
  std::unique_ptr<Model> model;
};

/// An outcome both variants report, by its index in each.
struct Pair {
  std::size_t a = 0;
  std::size_t b = 0;
};

/// What compare runs on, checked: nothing is written before it exists.
struct CompareSetup {
  Variant a, b;
  std::vector<Pair> outcomes;
  std::vector<std::string> skipped;  ///< "NAME (reason)"
  BatchOptions options;
  fs::path out_dir;
};

/// Every compared outcome's statistics, in outcome order.
struct Comparison {
  std::vector<PairedComparison> outcomes;
};

Variant load_variant(const std::string& path, const CommonOptions& common,
                     const std::vector<std::string>& own, bool no_responses) {
  Variant v;
  v.source = read_scenario(path);
  v.overrides = common.overrides;
  v.overrides.insert(v.overrides.end(), own.begin(), own.end());
  v.no_responses = no_responses;
  models::LoadOptions options = load_options(common);
  options.overrides = v.overrides;
  options.no_responses = no_responses;
  v.model = load_model(v.source, options);
  return v;
}

std::uint64_t parse_runs(const std::string& runs) {
  if (runs == "auto")
    bad_option("--runs auto is not supported by compare: give a fixed count, --runs N");
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(runs.data(), runs.data() + runs.size(), n);
  if (ec != std::errc() || end != runs.data() + runs.size() || n < 2)
    bad_option("--runs: expected an integer of at least 2, got '" + runs + "'");
  return n;
}

/// Outcomes are matched by name; one that only one variant has, or that the two describe
/// differently (kind, unit, censoring), cannot be compared and is skipped.
void match_outcomes(CompareSetup& s) {
  const auto& a = s.a.model->outcomes();
  const auto& b = s.b.model->outcomes();
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto it = std::find_if(b.begin(), b.end(),
                                 [&](const OutcomeInfo& o) { return o.name == a[i].name; });
    if (it == b.end()) {
      s.skipped.push_back(a[i].name + " (only in A)");
      continue;
    }
    if (it->kind != a[i].kind || it->unit != a[i].unit || it->censorable != a[i].censorable) {
      s.skipped.push_back(a[i].name + " (kind, unit or censoring differ)");
      continue;
    }
    s.outcomes.push_back({i, static_cast<std::size_t>(it - b.begin())});
  }
  for (const OutcomeInfo& o : b)
    if (std::none_of(a.begin(), a.end(), [&](const OutcomeInfo& x) { return x.name == o.name; }))
      s.skipped.push_back(o.name + " (only in B)");
  if (s.outcomes.empty()) bad_option("compare: the two scenarios have no outcome in common");
}

CompareSetup load_compare(const CommonOptions& common, const CompareOptions& compare,
                          const std::string& invocation) {
  CompareSetup s;
  s.options.replications = parse_runs(compare.runs);
  s.options.seed = common.seed;
  s.options.threads = compare.threads;
  s.options.command_line = invocation;
  s.options.mode_flags = mode_flags(common);  // --sampling: both variants alike
  s.a = load_variant(common.scenario, common, compare.set_a, compare.no_responses_a);
  s.b = load_variant(compare.scenario_b.empty() ? common.scenario : compare.scenario_b, common,
                     compare.set_b, compare.no_responses_b);
  match_outcomes(s);
  s.out_dir = compare.out.empty()
                  ? fs::path("results") / ("compare-" + s.a.source.stem + "-vs-" + s.b.source.stem)
                  : fs::path(compare.out);
  return s;
}

/// Each outcome's comparison, on `threads` threads: outcome by outcome, each a pure function of
/// its two columns, the seed and its name, so the result does not depend on the thread count.
Comparison compare_outcomes(const CompareSetup& s, const BatchResult& ra, const BatchResult& rb,
                            std::size_t resamples) {
  Comparison c;
  c.outcomes.resize(s.outcomes.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < s.outcomes.size();) {
      const OutcomeInfo& info = s.a.model->outcomes()[s.outcomes[i].a];
      const std::vector<double> a = ra.outcome_column(s.outcomes[i].a);
      const std::vector<double> b = rb.outcome_column(s.outcomes[i].b);
      if (info.kind == OutcomeKind::kEvent) {
        c.outcomes[i] = compare_events(a, b);
      } else {
        PairedOptions options;
        options.censorable = info.censorable;
        options.seed = s.options.seed;
        options.key = info.name;
        options.resamples = resamples;
        c.outcomes[i] = compare_values(a, b, options);
      }
    }
  };
  const std::size_t threads = std::min<std::size_t>(s.outcomes.size(), batch_threads(s.options));
  std::vector<std::jthread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  return c;
}

double pairing_gain(const PairedStatistic& s) {
  return s.paired_half_width > 0.0 ? s.unpaired_half_width / s.paired_half_width
                                   : std::numeric_limits<double>::quiet_NaN();
}

void write_compare_csv(const CompareSetup& s, const Comparison& c, std::ostream& out) {
  CsvWriter csv(out);
  for (const char* h : {"outcome", "unit", "kind", "statistic", "a", "b", "difference", "ci_low",
                        "ci_high", "paired_half_width", "unpaired_half_width", "pairing_gain",
                        "pairs", "censored_a", "censored_b", "significant"})
    csv.field(h);
  csv.end_row();
  for (std::size_t i = 0; i < s.outcomes.size(); ++i) {
    const OutcomeInfo& info = s.a.model->outcomes()[s.outcomes[i].a];
    const PairedComparison& p = c.outcomes[i];
    for (const PairedStatistic& st : p.statistics) {
      csv.field(info.name).field(info.unit);
      csv.field(info.kind == OutcomeKind::kEvent ? "event" : "value").field(st.statistic);
      csv.number(st.a).number(st.b).number(st.difference).number(st.ci.low).number(st.ci.high);
      csv.number(st.paired_half_width).number(st.unpaired_half_width).number(pairing_gain(st));
      csv.integer(st.pairs).integer(p.censored_a).integer(p.censored_b);
      if (st.test)
        csv.integer(std::uint64_t{st.significant() ? 1u : 0u});
      else
        csv.empty();
      csv.end_row();
    }
  }
}

void write_variant_json(std::ostream& out, const char* key, const Variant& v) {
  out << "  " << json_string(key) << ": {\"scenario\": " << json_string(v.source.label)
      << ", \"scenario_sha256\": " << json_string(sha256_hex(v.source.text)) << ", \"overrides\": "
      << json_string_array(v.overrides) << ", \"no_responses\": " << (v.no_responses ? "true" : "false") << "},\n";
}

void write_compare_json(const CompareSetup& s, std::size_t resamples, std::ostream& out) {
  out << "{\n  \"padsim_version\": " << json_string(PADSIM_VERSION) << ",\n";
  write_variant_json(out, "a", s.a);
  write_variant_json(out, "b", s.b);
  out << "  \"seed\": " << s.options.seed << ",\n";
  out << "  \"mode_flags\": " << json_string_array(s.options.mode_flags) << ",\n";
  out << "  \"replications\": " << s.options.replications << ",\n";
  out << "  \"bootstrap_resamples\": " << resamples << ",\n";
  out << "  \"compared_outcomes\": " << s.outcomes.size() << ",\n";
  out << "  \"skipped_outcomes\": " << json_string_array(s.skipped) << ",\n";
  out << "  \"command_line\": " << json_string(s.options.command_line) << ",\n";
  out << "  \"files\": [\"compare.csv\", \"compare.json\"]\n}\n";
}

/// Both files as one result set, published in one step when both are complete.
void write_outputs(const CompareSetup& s, const Comparison& c, std::size_t resamples) {
  ResultSet set(s.out_dir);
  write_compare_csv(s, c, set.open("compare.csv"));
  write_compare_json(s, resamples, set.open("compare.json"));
  if (sigint_flag()) throw Interrupted("interrupted");
  set.commit();
}

/// A number for the console: 4 significant digits; a statistic beyond the horizon is "beyond",
/// an unbounded difference "inf" or "-inf".
std::string short_number(double x, bool difference = false) {
  if (std::isnan(x)) return "-";
  if (std::isinf(x)) return difference ? (x > 0 ? "inf" : "-inf") : "beyond";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

/// "Not compared: ..." naming each skipped outcome, or only counting them when there are many
/// (compare.json lists them all); empty when every outcome is compared.
std::string skipped_summary(const CompareSetup& s) {
  constexpr std::size_t kListed = 8;
  if (s.skipped.empty()) return {};
  std::string text = "Not compared:";
  if (s.skipped.size() <= kListed) {
    for (const std::string& k : s.skipped) text += " " + k;
    return text;
  }
  auto count = [&](const char* reason) {
    return std::count_if(s.skipped.begin(), s.skipped.end(),
                         [&](const std::string& k) { return k.ends_with(reason); });
  };
  return text + " " + std::to_string(s.skipped.size()) + " outcomes (" +
         std::to_string(count("(only in A)")) + " only in A, " + std::to_string(count("(only in B)")) +
         " only in B, " + std::to_string(count("differ)")) +
         " described differently); compare.json lists them";
}

void print_variant(std::ostream& out, const char* name, const Variant& v) {
  out << name << ": " << v.source.label;
  for (const std::string& o : v.overrides) out << " --set " << o;
  if (v.no_responses) out << " --no-responses";
  out << "\n";
}

/// How many CI half-widths a significant difference lies from 0 (a zero-width CI: infinitely
/// many). An unbounded difference (beyond the horizon in one variant) has no such measure and
/// ranks last.
double strength(const PairedStatistic& st) {
  if (!std::isfinite(st.difference)) return 0.0;
  return st.paired_half_width > 0.0 ? std::abs(st.difference) / st.paired_half_width
                                    : std::numeric_limits<double>::infinity();
}

/// The outcomes that changed significantly, strongest first, each on one row: its mean (an
/// event's probability) when that changed significantly, else its strongest percentile; ordered
/// by that row's |difference| over its CI's half-width, ties in outcome order.
void print_report(std::ostream& out, const CompareSetup& s, const Comparison& c, double seconds) {
  print_variant(out, "A", s.a);
  print_variant(out, "B", s.b);
  char line[160];
  std::snprintf(line, sizeof line, "%llu replications each on common random numbers, seed %llu, %.2f s\n",
                static_cast<unsigned long long>(s.options.replications),
                static_cast<unsigned long long>(s.options.seed), seconds);
  out << line;
  out << skipped_summary(s) << (s.skipped.empty() ? "" : "\n");
  struct Row {
    const OutcomeInfo* info;
    const PairedStatistic* st;
    double strength;
  };
  std::vector<Row> rows;
  for (std::size_t i = 0; i < s.outcomes.size(); ++i) {
    const PairedStatistic* best = nullptr;
    for (const PairedStatistic& st : c.outcomes[i].statistics) {
      if (!st.significant()) continue;
      const bool primary = st.statistic == "mean" || st.statistic == "probability";
      if (primary || !best || strength(st) > strength(*best)) best = &st;
      if (primary) break;
    }
    if (best) rows.push_back({&s.a.model->outcomes()[s.outcomes[i].a], best, strength(*best)});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& x, const Row& y) { return x.strength > y.strength; });
  out << "\n";
  if (rows.empty()) {
    out << "No outcome changed significantly (95% CIs of every difference contain 0).\n";
  } else {
    out << rows.size() << " of " << s.outcomes.size()
        << " outcomes changed significantly (95% CI of B - A excludes 0), strongest first:\n";
    constexpr std::size_t kShown = 20;
    std::snprintf(line, sizeof line, "%-32s %-11s %10s %10s %10s  %-23s %s\n", "outcome",
                  "statistic", "A", "B", "B - A", "95% CI", "pairing gain");
    out << line;
    for (std::size_t i = 0; i < std::min(rows.size(), kShown); ++i) {
      const PairedStatistic& st = *rows[i].st;
      const std::string ci =
          "[" + short_number(st.ci.low, true) + ", " + short_number(st.ci.high, true) + "]";
      const double gain = pairing_gain(st);
      std::snprintf(line, sizeof line, "%-32s %-11s %10s %10s %10s  %-23s %s\n",
                    rows[i].info->name.c_str(), st.statistic.c_str(), short_number(st.a).c_str(),
                    short_number(st.b).c_str(), short_number(st.difference, true).c_str(), ci.c_str(),
                    std::isnan(gain) ? "" : ("x" + short_number(gain)).c_str());
      out << line;
    }
    if (rows.size() > kShown)
      out << "(" << rows.size() - kShown << " more outcomes changed: compare.csv)\n";
  }
  out << "\nResults in " << s.out_dir.string() << "/ (compare.csv, compare.json)\n";
}

}  // namespace

CLI::App* add_compare_command(CLI::App& app, CommonOptions& common, CompareOptions& compare) {
  auto* cmd = app.add_subcommand(
      "compare", "Run two variants on common random numbers and compare every outcome, paired");
  cmd->add_option("A", common.scenario, "Scenario A (TOML); default: the embedded baikonur-2025.toml");
  cmd->add_option("B", compare.scenario_b, "Scenario B (TOML); default: A");
  cmd->add_option("--set", common.overrides, "PATH=VALUE for both A and B (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--set-a", compare.set_a, "PATH=VALUE for A only, after --set (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--set-b", compare.set_b, "PATH=VALUE for B only, after --set (repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--no-responses-a", compare.no_responses_a,
                "A with every [[response]] switched off (the frozen plan)");
  cmd->add_flag("--no-responses-b", compare.no_responses_b,
                "B with every [[response]] switched off (the frozen plan)");
  add_sampling_options(*cmd, common);
  cmd->add_option("-n,--runs", compare.runs, "Replications of each variant (a fixed count)")
      ->capture_default_str();
  add_seed_option(*cmd, common.seed, "Seed of both batches");
  cmd->add_option("-j,--threads", compare.threads, "Worker threads (default 0: all cores)")
      ->capture_default_str()
      ->check(integer_in(0, kMaxThreads));
  cmd->add_option("--bootstrap", compare.bootstrap, "Resamples of the paired bootstrap of percentiles")
      ->capture_default_str()
      ->check(integer_in(1, 1'000'000));
  cmd->add_option("-o,--out", compare.out, "Output directory (default: results/compare-<A>-vs-<B>)");
  cmd->add_flag("-q,--quiet", common.quiet, "No progress bar, only warnings and errors on stderr");
  cmd->add_flag("-v,--verbose", common.verbose, "Debug messages on stderr");
  return cmd;
}

int run_compare_command(const CommonOptions& common, const CompareOptions& compare,
                        const std::string& invocation, const StudyContext& context,
                        std::ostream& out) {
  const CompareSetup s = load_compare(common, compare, invocation);
  if (!s.skipped.empty()) spdlog::warn("compare: {}", skipped_summary(s));
  const OutputLock lock = context.prepare_output(s.out_dir);

  const auto started = std::chrono::steady_clock::now();
  BatchOptions options = s.options;
  options.interrupt = &sigint_flag();
  ProgressBar bar(context.root && !common.quiet);
  options.progress = [&bar](const BatchProgress& p) { bar.update(p); };
  catch_sigint();
  spdlog::info("compare: {} replications of A ({}) and B ({}), seed {}", options.replications,
               s.a.source.label, s.b.source.label, options.seed);
  const BatchResult ra = context.run_batch(*s.a.model, options);
  const BatchResult rb = context.run_batch(*s.b.model, options);
  bar.finish();
  if (!context.root) return kExitOk;

  const Comparison c = compare_outcomes(s, ra, rb, compare.bootstrap);
  write_outputs(s, c, compare.bootstrap);
  default_sigint();
  print_report(out, s, c,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return kExitOk;
}

}  // namespace padsim::cli
