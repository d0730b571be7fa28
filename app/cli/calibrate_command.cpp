#include "calibrate_command.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <spdlog/spdlog.h>

#include "padsim/csv.hpp"
#include "padsim/result_set.hpp"
#include "padsim/format.hpp"
#include "padsim/sha256.hpp"
#include "progress.hpp"
#include "scenario_source.hpp"

namespace padsim::cli {

namespace {

namespace fs = std::filesystem;

/// --target OUTCOME:STAT=VALUE. Outcome names may hold ':' ("slip:Soyuz MS-29"), so the
/// statistic is after the last ':' before the last '='.
struct Target {
  std::string outcome;
  StatisticSpec statistic;
  double value = 0.0;
  std::string text() const { return outcome + ":" + statistic.name + "=" + format_number(value); }
};

Target parse_target(const std::string& text) {
  const auto eq = text.rfind('=');
  const auto colon = eq == std::string::npos ? std::string::npos : text.rfind(':', eq);
  if (eq == std::string::npos || colon == std::string::npos || colon == 0)
    bad_option("--target: expected OUTCOME:STAT=VALUE (e.g. pad_ready_day:p50=120), found '" + text + "'");
  Target t;
  t.outcome = text.substr(0, colon);
  t.statistic = parse_statistic(text.substr(colon + 1, eq - colon - 1), "--target");
  t.value = parse_number(text.substr(eq + 1), "--target");
  return t;
}

Interval parse_range(const CalibrateOptions& options) {
  std::string text = options.range;
  if (text.empty()) {
    const std::string suffix = ".scale";
    if (options.param.size() <= suffix.size() ||
        options.param.compare(options.param.size() - suffix.size(), suffix.size(), suffix) != 0)
      bad_option("--range LO:HI is required for --param " + options.param +
                 " (only a .scale path has a default range, 0.25:4)");
    text = "0.25:4";
  }
  const auto colon = text.find(':');
  if (colon == std::string::npos) bad_option("--range: expected LO:HI, found '" + text + "'");
  const Interval r{parse_number(text.substr(0, colon), "--range"),
                   parse_number(text.substr(colon + 1), "--range")};
  if (!(r.low < r.high)) bad_option("--range: LO must be below HI, found '" + text + "'");
  return r;
}

/// The scenario with the base overrides and PATH=x, checked by the loader.
std::unique_ptr<Model> load_at(const CalibrateOptions& options, const ScenarioSource& source, double x) {
  models::LoadOptions load = load_options(options.common);
  load.overrides.push_back(options.param + "=" + format_number(x));
  return load_model(source, load);
}

void write_csv(std::ostream& stream, const CalibrationResult& result) {
  CsvWriter csv(stream);
  csv.field("evaluation").field("value").field("estimate").field("ci_low").field("ci_high").end_row();
  auto cell = [&csv](double x) { std::isfinite(x) ? csv.number(x) : csv.empty(); };
  for (std::size_t i = 0; i < result.steps.size(); ++i) {
    const CalibrationStep& s = result.steps[i];
    csv.integer(static_cast<std::uint64_t>(i)).number(s.x);
    cell(s.estimate.value);
    cell(s.estimate.ci.low);
    cell(s.estimate.ci.high);
    csv.end_row();
  }
}

void write_json(std::ostream& out, const CalibrateOptions& options, const ScenarioSource& source,
                const Target& target, const CalibrationOptions& search, const BatchOptions& batch,
                const CalibrationResult& result) {
  out << "{\n  \"padsim_version\": " << json_string(PADSIM_VERSION) << ",\n";
  out << "  \"scenario\": " << json_string(source.label) << ",\n";
  out << "  \"scenario_sha256\": " << json_string(sha256_hex(source.text)) << ",\n";
  out << "  \"overrides\": " << json_string_array(options.common.overrides) << ",\n";
  out << "  \"parameter\": " << json_string(options.param) << ",\n";
  out << "  \"target\": {\"outcome\": " << json_string(target.outcome) << ", \"statistic\": "
      << json_string(target.statistic.name) << ", \"value\": " << json_number(target.value) << "},\n";
  out << "  \"range\": [" << json_number(search.low) << ", " << json_number(search.high) << "],\n";
  out << "  \"tolerance\": " << json_number(search.tolerance) << ",\n";
  out << "  \"max_evaluations\": " << search.max_evaluations << ",\n";
  out << "  \"seed\": " << batch.seed << ",\n";
  out << "  \"runs\": " << batch.replications << ",\n";
  out << "  \"status\": " << json_string(to_string(result.status)) << ",\n";
  out << "  \"value\": " << json_number(result.x) << ",\n";
  out << "  \"estimate\": " << json_number(result.estimate.value) << ",\n";
  out << "  \"ci_low\": " << json_number(result.estimate.ci.low) << ",\n";
  out << "  \"ci_high\": " << json_number(result.estimate.ci.high) << ",\n";
  out << "  \"bracket\": [" << json_number(result.bracket.low) << ", " << json_number(result.bracket.high)
      << "],\n";
  out << "  \"evaluations\": " << result.steps.size() << ",\n";
  out << "  \"replications\": " << result.steps.size() * batch.replications << ",\n";
  out << "  \"command_line\": " << json_string(options.invocation) << ",\n";
  out << "  \"files\": [\"calibrate.csv\", \"calibrate.json\"]\n}\n";
}

std::string at_text(const CalibrationStep& s) {
  return estimate_text(s.estimate) + " at " + format_number(s.x);
}

}  // namespace

CLI::App* add_calibrate_command(CLI::App& app, CalibrateOptions& options) {
  auto* cmd = app.add_subcommand(
      "calibrate", "Find the value of a parameter at which a statistic of an outcome meets a target");
  add_common(*cmd, options.common, false);
  cmd->add_option("--param", options.param, "PATH: the numeric value to solve for (an override path)")
      ->required();
  cmd->add_option("--target", options.target,
                  "OUTCOME:STAT=VALUE, STAT one of mean, pNN, probability (e.g. pad_ready_day:p50=120)")
      ->required();
  cmd->add_option("--range", options.range, "LO:HI: the values searched (default 0.25:4 for a .scale path)");
  cmd->add_option("--tolerance", options.tolerance,
                  "Stop when the bracket is this narrow, in the parameter's units (default: (HI-LO)/1000)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-evaluations", options.max_evaluations, "Batches at most, the range's ends included")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000));
  add_study_batch_options(*cmd, options.batch, false);
  return cmd;
}

int run_calibrate(const CalibrateOptions& options, const StudyContext& context, std::ostream& out) {
  const Target target = parse_target(options.target);
  CalibrationOptions search;
  const Interval range = parse_range(options);
  search.target = target.value;
  search.low = range.low;
  search.high = range.high;
  search.tolerance = options.tolerance > 0.0 ? options.tolerance : (range.high - range.low) / 1000.0;
  search.max_evaluations = options.max_evaluations;
  const std::string runs = options.batch.runs.empty() ? "10000" : options.batch.runs;
  if (runs == "auto")
    bad_option("calibrate: --runs auto is not supported: every evaluation must run the same "
               "replications (give --runs N)");
  const BatchOptions batch = study_batch_options(runs, options.batch, options.common);

  // Bad input is found before any batch runs: the scenario at both ends of the range, the outcome.
  const ScenarioSource source = read_scenario(options.common.scenario);
  const std::unique_ptr<Model> low = load_at(options, source, range.low);
  load_at(options, source, range.high);
  const std::size_t j = find_outcome(*low, target.outcome, "--target");
  const OutcomeInfo& info = low->outcomes()[j];
  if (!target.statistic.applies_to(info.kind))
    bad_option("--target: " + target.statistic.name + " does not apply to " + info.name + " (" +
               (info.kind == OutcomeKind::kEvent ? "an event: use probability" : "a value: use mean or pNN") + ")");
  const fs::path out_dir = !options.batch.out.empty() ? fs::path(options.batch.out)
                                                      : fs::path("results") / (source.stem + "-calibrate");
  // The directory itself is made only when the results are published, so an unreachable target
  // (status 2) leaves nothing behind.
  const OutputLock lock = context.prepare_output(out_dir);
  if (context.root) {
    spdlog::info("{}: calibrate {} for {}, {} replications per evaluation, seed {}", source.label,
                 options.param, target.text(), batch.replications, batch.seed);
    log_overrides(options.common.overrides);
  }

  const auto started = std::chrono::steady_clock::now();
  catch_sigint();
  auto evaluate = [&](double x) {
    const std::unique_ptr<Model> model = load_at(options, source, x);
    BatchOptions o = batch;
    o.interrupt = &sigint_flag();
    ProgressBar bar(context.root && !options.common.quiet);
    o.progress = [&bar](const BatchProgress& p) { bar.update(p); };
    const BatchResult result = context.run_batch(*model, o);
    bar.finish();
    const Estimate e = estimate_statistic(outcome_summary(*model, result, j), target.statistic);
    if (context.root)
      spdlog::info("{}={}: {} {} = {}", options.param, format_number(x), target.outcome,
                   target.statistic.name, estimate_text(e));
    return e;
  };
  const CalibrationResult result = calibrate(evaluate, search);
  default_sigint();
  if (result.status == CalibrationStatus::kNotBracketed)
    bad_option("calibrate: no value of " + options.param + " in [" + format_number(range.low) + ", " +
               format_number(range.high) + "] reaches " + target.text() + ": " + target.statistic.name +
               " is " + at_text(result.steps[0]) + " and " + at_text(result.steps[1]) +
               " (95% CIs); widen --range or change the target");
  if (!context.root) return kExitOk;

  ResultSet set(out_dir);
  write_csv(set.open("calibrate.csv"), result);
  write_json(set.open("calibrate.json"), options, source, target, search, batch, result);
  if (sigint_flag()) throw Interrupted("interrupted");
  set.commit();
  if (result.status == CalibrationStatus::kMaxEvaluations)
    spdlog::warn("calibrate: {} evaluations made before the target was within a CI or the bracket "
                 "within --tolerance; the answer is the nearer end of [{}, {}]",
                 result.steps.size(), format_number(result.bracket.low), format_number(result.bracket.high));

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char timing[48];
  std::snprintf(timing, sizeof timing, "%.2f s", seconds);
  out << source.label << ": calibrate " << options.param << " for " << target.text() << "\n";
  print_overrides(out, options.common.overrides);
  out << "\n  " << options.param << " = " << format_number(result.x) << "\n";
  out << "  " << target.outcome << " " << target.statistic.name << " = " << estimate_text(result.estimate)
      << " (95% CI)"
      << (result.status == CalibrationStatus::kWithinCi ? ": the target is within it" : "") << "\n";
  out << "  last bracket [" << format_number(result.bracket.low) << ", "
      << format_number(result.bracket.high) << "] (estimates on either side of the target)\n";
  out << "  " << result.steps.size() << " batches of " << batch.replications << " replications ("
      << result.steps.size() * batch.replications << " in all), seed " << batch.seed << ", " << timing
      << "; stopped: " << to_string(result.status) << "\n";
  out << "\nResults in " << out_dir.string() << "/ (calibrate.csv, calibrate.json)\n";
  return kExitOk;
}

}  // namespace padsim::cli
