#include "run_command.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <limits>

#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <fmt/format.h>

#include <spdlog/spdlog.h>

#include "padsim/bounded_batch.hpp"
#include "padsim/checkpoint.hpp"
#include "padsim/error.hpp"
#include "padsim/format.hpp"
#include "padsim/models/task_table.hpp"
#include "padsim/sha256.hpp"
#include "cli_checks.hpp"
#include "report.hpp"

namespace padsim::cli {

namespace {

// A lock-free atomic is safe to store from a signal handler.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_sigint(int) {
  g_interrupted.store(true);
  // A second Ctrl-C ends the process at once, the usual escape when cleanup hangs.
  std::signal(SIGINT, SIG_DFL);
}

std::string shell_quote(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789-_./=:+,@%") == std::string::npos)
    return arg;
  std::string out = "'";
  for (const char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

void keep_freed_memory() {
#ifdef __GLIBC__
  // A batch's statistics take and free buffers of a column (8 bytes per replication) again and
  // again; glibc would return each to the system and fault its pages in anew for the next (slow,
  // above all under virtualisation). Kept instead: two thirds fewer page faults at 10^5 replications.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

std::atomic<bool>& sigint_flag() { return g_interrupted; }
void catch_sigint() { std::signal(SIGINT, on_sigint); }
void default_sigint() { std::signal(SIGINT, SIG_DFL); }

void add_sampling_options(CLI::App& cmd, CommonOptions& common) {
  cmd.add_option("--sampling", common.sampling,
                 "How the repairs' uncertain inputs are sampled: mc (plain Monte Carlo) or lhs (Latin "
                 "hypercube over blocks of --lhs-block replications; docs/model.md \"Sampling\")")
      ->capture_default_str()
      ->check(CLI::IsMember({"mc", "lhs"}));
  cmd.add_option("--lhs-block", common.lhs_block,
                 "--sampling lhs: replications per Latin hypercube block (default " +
                     std::to_string(LatinHypercube::kDefaultBlock) + ")")
      ->check(integer_in(2, std::uint64_t{1} << 40));
}

void add_common(CLI::App& cmd, CommonOptions& common, bool scenario_required) {
  auto* scenario = cmd.add_option("SCENARIO", common.scenario,
                                  scenario_required
                                      ? "Scenario file (TOML)"
                                      : "Scenario file (TOML); default: the embedded baikonur-2025.toml");
  if (scenario_required) scenario->required();
  cmd.add_option("--set", common.overrides,
                 "PATH=VALUE: change one value of the scenario (repeatable; docs/scenario.md \"Overrides\"), "
                 "e.g. --set 'mission.\"Progress MS-33\".net=2026-02-01'")
      ->allow_extra_args(false);
  cmd.add_flag("--deterministic", common.deterministic,
               "Every distribution at its mode, probabilities > 0.5 happen: one traceable replication");
  cmd.add_flag("--no-incident", common.no_incident, "The seed repair never happens (pads start up)");
  cmd.add_flag("--no-responses", common.no_responses, "Every [[response]] switched off: the frozen plan");
  add_sampling_options(cmd, common);
  cmd.add_flag("-q,--quiet", common.quiet, "No progress bar, only warnings and errors on stderr");
  cmd.add_flag("-v,--verbose", common.verbose, "Debug messages on stderr");
}

CLI::App* add_run_command(CLI::App& app, CommonOptions& common, RunOptions& run) {
  auto* run_cmd = app.add_subcommand("run", "Run a Monte Carlo batch and write its result files");
  add_common(*run_cmd, common, false);
  run_cmd->add_option("-n,--runs", run.runs, "Replications: a count, or 'auto' (until --tolerance)")
      ->capture_default_str();
  run.tolerance_option = run_cmd->add_option("--tolerance", run.tolerance,
                      "--runs auto: relative CI half-width to reach on every headline outcome")
      ->capture_default_str()
      ->check(number_above(0.0, 1.0));
  run.max_runs_option = run_cmd->add_option("--max-runs", run.max_runs, "--runs auto: stop here even if not within tolerance")
      ->capture_default_str()
      ->check(integer_in(1, std::numeric_limits<std::uint64_t>::max()));
  add_seed_option(*run_cmd, common.seed, "Batch seed");
  run_cmd->add_option("-o,--out", run.out, "Output directory (default: results/<scenario name>)");
  run_cmd->add_option("-j,--threads", run.threads, "Worker threads (default 0: all cores)")
      ->capture_default_str()
      ->check(integer_in(0, kMaxThreads));
  run_cmd->add_flag("--dates", run.dates,
                    "runs.csv: a date:NAME column (YYYY-MM-DD, UTC) after the outcomes for each day outcome");
  run_cmd->add_flag("--task-runs", run.task_runs,
                    "tasks_runs.csv: each repair task's start and finish in every replication (long form)");
  run_cmd->add_flag("--no-rows", run.no_rows,
                    "Leave out runs.csv and inputs.csv (a row per replication): the statistics files "
                    "only, for batches whose rows nobody reads (docs/performance.md)");
  run_cmd->add_flag("--bounded-memory", run.bounded,
                    "Memory independent of --runs: percentiles from a sketch (within 0.0123% of the "
                    "exact ones), runs.csv and inputs.csv written as the batch goes, rank "
                    "correlations from the first --retained-runs (docs/performance.md)");
  run_cmd->add_option("--retained-runs", run.retained_runs,
                      "--bounded-memory: replications whose every value is kept for sensitivity.csv "
                      "and the daily series (0: none)")
      ->capture_default_str()
      ->check(integer_in(0, std::numeric_limits<std::uint64_t>::max()));
  return run_cmd;
}

CLI::Option* add_seed_option(CLI::App& cmd, std::uint64_t& seed, const std::string& description) {
  return cmd.add_option("-s,--seed", seed, description)
      ->capture_default_str()
      ->check(integer_in(0, std::numeric_limits<std::uint64_t>::max()));
}

std::string command_line(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) out += (i ? " " : "") + shell_quote(argv[i]);
  return out;
}

namespace {

// The Latin hypercube block --sampling lhs uses: --lhs-block, or the default.
std::uint64_t lhs_block(const CommonOptions& common) {
  return common.lhs_block > 0 ? common.lhs_block : LatinHypercube::kDefaultBlock;
}

}  // namespace

models::LoadOptions load_options(const CommonOptions& common) {
  models::LoadOptions options;
  options.deterministic = common.deterministic;
  options.no_incident = common.no_incident;
  options.no_responses = common.no_responses;
  options.overrides = common.overrides;
  // CLI11 checks these on the command line; callers that fill CommonOptions themselves (the
  // Python module) get the same rules here.
  if (common.sampling != "mc" && common.sampling != "lhs")
    bad_option("--sampling: expected mc or lhs, got '" + common.sampling + "'");
  if (common.lhs_block == 1) bad_option("--lhs-block: at least 2 (1 would be plain Monte Carlo)");
  if (common.lhs_block > 0 && common.sampling != "lhs") bad_option("--lhs-block applies to --sampling lhs only");
  options.lhs_block = common.sampling == "lhs" ? lhs_block(common) : 0;
  return options;
}

void bad_option(const std::string& message) { throw CLI::ValidationError(message); }

BatchOptions batch_options(const CommonOptions& common, const RunOptions& run) {
  BatchOptions options;
  options.seed = common.seed;
  options.threads = run.threads;
  options.tolerance = run.tolerance;
  options.max_replications = run.max_runs;
  if (run.runs == "auto") {
    options.auto_runs = true;
    options.round_size = std::min<std::uint64_t>(1000, run.max_runs);
  } else {
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    if (!integer_range_error(run.runs, 1, kMax).empty())
      bad_option("--runs: expected 'auto' or an integer from 1 to " + std::to_string(kMax) +
                 ", got '" + run.runs + "'");
    options.replications = std::stoull(run.runs);
  }
  if (!options.auto_runs && ((run.tolerance_option && run.tolerance_option->count() > 0) ||
                             (run.max_runs_option && run.max_runs_option->count() > 0)))
    spdlog::warn("--tolerance and --max-runs apply to --runs auto only; running {} replications",
                 options.replications);
  options.bounded = run.bounded;
  options.dates = run.dates;
  options.rows = !run.no_rows;
  if (run.dates && run.no_rows) bad_option("--dates adds columns to runs.csv, which --no-rows leaves out");
  options.retained_replications = run.retained_runs;
  if (options.bounded && options.auto_runs)
    bad_option("--bounded-memory needs a fixed --runs (--runs auto decides from every value)");
  options.entity_runs = run.task_runs;
  if (options.bounded && options.entity_runs)
    bad_option("--task-runs needs an exact batch: --bounded-memory keeps the tasks of its first "
               "--retained-runs replications only");
  if (common.deterministic && (options.auto_runs || options.replications != 1)) {
    // Every replication of a deterministic scenario is the same: one is the whole answer.
    spdlog::info("--deterministic: running one replication");
    options.auto_runs = false;
    options.replications = 1;
  }
  return options;
}

std::vector<std::string> mode_flags(const CommonOptions& common) {
  std::vector<std::string> flags;
  if (common.deterministic) flags.emplace_back("--deterministic");
  if (common.no_incident) flags.emplace_back("--no-incident");
  if (common.no_responses) flags.emplace_back("--no-responses");
  if (common.sampling == "lhs") {
    flags.emplace_back("--sampling=lhs");
    flags.emplace_back("--lhs-block=" + std::to_string(lhs_block(common)));
  }
  return flags;
}

void refuse_oversized_batch(const Model& model, const BatchOptions& options, bool with_outputs) {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return;  // unknown: let the batch try
  const double available = static_cast<double>(pages) * static_cast<double>(page_size);
  const double needed = static_cast<double>(batch_memory_bytes(model, options)) +
                        (with_outputs ? static_cast<double>(outputs_memory_bytes(model, options)) : 0.0);
  if (needed <= 0.8 * available) return;
  const std::uint64_t n = options.auto_runs ? options.max_replications : options.replications;
  const double per_replication = needed / static_cast<double>(n);
  const auto fits = static_cast<std::uint64_t>(0.8 * available / per_replication);
  bad_option(fmt::format("{} {}: the batch would hold about {:.3g} GB, more than "
                         "80% of this machine's {:.3g} GB of memory; lower it to at most {}{}",
                         options.auto_runs ? "--max-runs" : "--runs", n, needed / 1e9,
                         available / 1e9, fits,
                         options.bounded || options.auto_runs
                             ? ""
                             : ", or add --bounded-memory (memory independent of --runs)"));
}

RunSetup load_run(const CommonOptions& common, const RunOptions& run, BatchOptions options,
                  const std::string& invocation) {
  return load_run(read_scenario(common.scenario), common, run, std::move(options), invocation);
}

RunSetup load_run(ScenarioSource source, const CommonOptions& common, const RunOptions& run,
                  BatchOptions options, const std::string& invocation) {
  RunSetup setup;
  setup.source = std::move(source);
  setup.model = load_model(setup.source, load_options(common));
  refuse_oversized_batch(*setup.model, options, true);
  setup.out_dir = run.out.empty() ? std::filesystem::path("results") / setup.source.stem
                                  : std::filesystem::path(run.out);
  options.scenario = setup.source.label;
  options.scenario_sha256 = sha256_hex(setup.source.text);
  options.command_line = invocation;
  options.overrides = common.overrides;
  options.mode_flags = mode_flags(common);
  setup.options = std::move(options);
  return setup;
}

void log_run_start(const RunSetup& setup, unsigned processes) {
  const BatchOptions& options = setup.options;
  const unsigned threads = batch_threads(options);
  spdlog::info("{}: {} replications, seed {}, {}", setup.source.label,
               options.auto_runs ? "auto (tolerance " + std::to_string(options.tolerance) + ", max " +
                                       std::to_string(options.max_replications) + ")"
                                 : std::to_string(options.replications),
               options.seed,
               processes > 1 ? std::to_string(processes) + " processes x " + std::to_string(threads) +
                                   " thread(s)"
                             : std::to_string(threads) + " thread(s)");
  log_overrides(options.overrides);
}

void log_overrides(const std::vector<std::string>& overrides) {
  for (const std::string& o : overrides) spdlog::info("--set {}", o);
}

void log_simulation_rate(const BatchResult& result) {
  const std::uint64_t n = total_replications(result);
  spdlog::debug("simulation: {} replications in {:.2f} s ({:.0f} per second)", n, result.wall_seconds,
                static_cast<double>(n) / std::max(result.wall_seconds, 1e-9));
}

void warn_unconverged(const BatchResult& result) {
  for (const ConvergenceCheck& c : result.convergence)
    if (!c.ok)
      spdlog::warn("--runs auto: {} {} not within tolerance after {} replications: 95% CI "
                   "half-width {:.4g} > {:.4g}",
                   c.outcome, c.statistic, result.replications, c.half_width, c.allowed);
}

void print_run_report(std::ostream& out, const RunSetup& setup, const BatchResult& result,
                      const BatchStatistics& statistics) {
  out << setup.source.label << ": " << total_replications(result) << " replications";
  if (result.streamed) out << " (bounded memory)";
  if (result.auto_runs)
    out << (result.converged ? " (--runs auto: within tolerance "
                             : " (--runs auto: maximum reached before tolerance ")
        << setup.options.tolerance << ")";
  char timing[96];
  if (result.processes > 1)
    std::snprintf(timing, sizeof timing, "%.2f s on %u processes x %u thread(s)",
                  result.wall_seconds, result.processes, result.threads);
  else
    std::snprintf(timing, sizeof timing, "%.2f s on %u thread(s)", result.wall_seconds,
                  result.threads);
  out << ", seed " << result.seed << ", " << timing << "\n";
  print_overrides(out, setup.options.overrides);
  out << "\n";
  print_headline_table(out, *setup.model, statistics);
  out << "\nResults in " << setup.out_dir.string() << "/ (";
  const auto files = batch_output_files(*setup.model, setup.options);
  for (std::size_t i = 0; i < files.size(); ++i) out << (i ? ", " : "") << files[i];
  out << ")\n";
}

void print_validate_report(std::ostream& out, const ScenarioSource& source, const Model& model,
                           const std::vector<std::string>& overrides) {
  out << source.label << ": ok (" << models::task_ids(model).size() << " repair tasks, "
      << model.outcomes().size() << " outcomes, " << model.inputs().size()
      << " uncertain inputs, " << model.series_names().size() << " daily series, horizon "
      << format_number(model.horizon()) << " days from " << model.epoch() << ")\n";
  print_overrides(out, overrides);
}

void print_overrides(std::ostream& out, const std::vector<std::string>& overrides) {
  if (overrides.empty()) return;
  out << "Overrides (--set):";
  for (const std::string& o : overrides) out << " " << o;
  out << "\n";
}

int parse_error_exit(CLI::App& app, const CLI::ParseError& error, const std::string& program,
                     bool print) {
  // --help and --version are "errors" with status 0: CLI11 prints them as it should.
  if (error.get_exit_code() == 0) return print ? app.exit(error) : kExitOk;
  if (print)
    std::cerr << program << ": error: " << error.what() << "\nRun with --help for more information.\n";
  return kExitBadInput;
}

ExitReport exit_report(const std::exception_ptr& error, const std::string& program) {
  try {
    std::rethrow_exception(error);
  } catch (const CLI::ValidationError& e) {
    return {kExitBadInput, program + ": error: " + e.what()};
  } catch (const Interrupted&) {
    return {kExitInterrupted, "\n" + program + ": interrupted: no output written"};
  } catch (const InputError& e) {
    return {kExitBadInput, e.what()};
  } catch (const CheckpointError& e) {  // --resume of a missing or another batch's checkpoint
    return {kExitBadInput, program + ": error: " + e.what()};
  } catch (const ParameterError& e) {
    return {kExitBadInput, program + ": error: " + e.what()};
  } catch (const std::exception& e) {
    return {kExitError, program + ": error: " + e.what()};
  } catch (...) {
    return {kExitError, program + ": error: unknown error"};
  }
}

}  // namespace padsim::cli
