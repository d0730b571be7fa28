// padsim: Monte Carlo simulation of a damaged launch pad's repair and its effect on ISS crew
// rotation and resupply.
//
//   padsim run [SCENARIO] [--runs N|auto] [--seed S] [--out DIR] [--threads T] ...
//   padsim validate SCENARIO
//   padsim replay [SCENARIO] --replication K [--seed S] --trace FILE [--out DIR]
//
// Exit statuses: 0 success; 1 output or other errors; 2 bad input (scenario or command line),
// with no output written; 130 interrupted (SIGINT), with no output written.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "padsim/batch.hpp"
#include "padsim/calendar.hpp"
#include "padsim/csv.hpp"
#include "padsim/error.hpp"
#include "padsim/rng.hpp"
#include "padsim/sha256.hpp"
#include "padsim/trace.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "scenario_source.hpp"

namespace {

namespace fs = std::filesystem;
using namespace padsim;

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInterrupted = 130;

// Set by SIGINT; the batch polls it between replications. A lock-free atomic is safe to store
// from a signal handler.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_sigint(int) {
  g_interrupted.store(true);
  // A second Ctrl-C ends the process at once, the usual escape when cleanup hangs.
  std::signal(SIGINT, SIG_DFL);
}

struct CommonOptions {
  std::string scenario;
  std::uint64_t seed = kDefaultSeed;
  bool deterministic = false;
  bool no_incident = false;
  bool quiet = false;
  bool verbose = false;
};

struct RunOptions {
  std::string runs = "10000";
  double tolerance = 0.01;
  std::uint64_t max_runs = 100'000;
  std::string out;
  unsigned threads = 0;
  CLI::Option* tolerance_option = nullptr;
  CLI::Option* max_runs_option = nullptr;
};

struct ReplayOptions {
  std::uint64_t replication = 0;
  std::string trace;
  std::string out;
};

void setup_logging(const CommonOptions& common) {
  // Thread-safe (worker threads may log); not registered by name, so a library that made its own
  // "padsim" logger cannot clash with it.
  auto logger = std::make_shared<spdlog::logger>(
      "padsim", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  logger->set_pattern("padsim: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(common.verbose ? spdlog::level::debug
                    : common.quiet ? spdlog::level::warn
                                   : spdlog::level::info);
}

std::string shell_quote(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789-_./=:+,@%") == std::string::npos)
    return arg;
  std::string out = "'";
  for (const char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string command_line(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) out += (i ? " " : "") + shell_quote(argv[i]);
  return out;
}

models::LoadOptions load_options(const CommonOptions& common) {
  models::LoadOptions options;
  options.deterministic = common.deterministic;
  options.no_incident = common.no_incident;
  return options;
}

/// Command-line values CLI11 cannot check alone are bad input, reported like CLI11's own errors.
[[noreturn]] void bad_option(const std::string& message) { throw CLI::ValidationError(message); }

int cmd_run(const CommonOptions& common, const RunOptions& run, const std::string& invocation) {
  BatchOptions options;
  options.seed = common.seed;
  options.threads = run.threads;
  options.tolerance = run.tolerance;
  options.max_replications = run.max_runs;
  if (run.runs == "auto") {
    options.auto_runs = true;
    options.round_size = std::min<std::uint64_t>(1000, run.max_runs);
  } else {
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(run.runs.data(), run.runs.data() + run.runs.size(), n);
    if (ec != std::errc() || end != run.runs.data() + run.runs.size() || n == 0)
      bad_option("--runs: expected a positive integer or 'auto', got '" + run.runs + "'");
    options.replications = n;
  }
  if (!options.auto_runs && ((run.tolerance_option && run.tolerance_option->count() > 0) ||
                             (run.max_runs_option && run.max_runs_option->count() > 0)))
    spdlog::warn("--tolerance and --max-runs apply to --runs auto only; running {} replications",
                 options.replications);
  if (common.deterministic && (options.auto_runs || options.replications != 1)) {
    // Every replication of a deterministic scenario is the same: one is the whole answer.
    spdlog::info("--deterministic: running one replication");
    options.auto_runs = false;
    options.replications = 1;
  }

  // Bad input is found before anything is written.
  const cli::ScenarioSource source = cli::read_scenario(common.scenario);
  const std::unique_ptr<Model> model = cli::load_model(source, load_options(common));
  const fs::path out_dir = run.out.empty() ? fs::path("results") / source.stem : fs::path(run.out);
  ensure_output_directory(out_dir);

  options.scenario = source.label;
  options.scenario_sha256 = sha256_hex(source.text);
  options.command_line = invocation;
  options.interrupt = &g_interrupted;
  cli::ProgressBar bar(!common.quiet);
  options.progress = [&bar](const BatchProgress& p) { bar.update(p); };
  std::signal(SIGINT, on_sigint);

  spdlog::info("{}: {} replications, seed {}, {} thread(s)", source.label,
               options.auto_runs ? "auto (tolerance " + std::to_string(options.tolerance) + ", max " +
                                       std::to_string(options.max_replications) + ")"
                                 : std::to_string(options.replications),
               options.seed,
               options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency()));
  BatchResult result = run_batch(*model, options);
  bar.finish();
  for (const ConvergenceCheck& c : result.convergence)
    if (!c.ok)
      spdlog::warn("--runs auto: {} {} not within tolerance after {} replications: 95% CI "
                   "half-width {:.4g} > {:.4g}",
                   c.outcome, c.statistic, result.replications, c.half_width, c.allowed);
  write_batch_outputs(*model, result, options, out_dir);
  std::signal(SIGINT, SIG_DFL);

  std::cout << source.label << ": " << result.replications << " replications";
  if (result.auto_runs)
    std::cout << (result.converged ? " (--runs auto: within tolerance "
                                   : " (--runs auto: maximum reached before tolerance ")
              << options.tolerance << ")";
  char timing[64];
  std::snprintf(timing, sizeof timing, "%.2f s on %u thread(s)", result.wall_seconds, result.threads);
  std::cout << ", seed " << result.seed << ", " << timing << "\n\n";
  cli::print_headline_table(std::cout, *model, result);
  std::cout << "\nResults in " << out_dir.string() << "/ (";
  const auto& files = batch_output_files();
  for (std::size_t i = 0; i < files.size(); ++i) std::cout << (i ? ", " : "") << files[i];
  std::cout << ")\n";
  return kExitOk;
}

int cmd_validate(const CommonOptions& common) {
  const cli::ScenarioSource source = cli::read_scenario(common.scenario);
  const std::unique_ptr<Model> model = cli::load_model(source, load_options(common));
  std::cout << source.label << ": ok (" << model->task_names().size() << " repair tasks, "
            << model->outcomes().size() << " outcomes, " << model->inputs().size()
            << " uncertain inputs, " << model->series_names().size() << " daily series, horizon "
            << format_number(model->horizon()) << " days from " << model->epoch() << ")\n";
  return kExitOk;
}

int cmd_replay(const CommonOptions& common, const ReplayOptions& replay_options) {
  const cli::ScenarioSource source = cli::read_scenario(common.scenario);
  const std::unique_ptr<Model> model = cli::load_model(source, load_options(common));
  const Calendar calendar(model->epoch());
  std::signal(SIGINT, on_sigint);

  ReplicationResult result;
  std::uint64_t events = 0;
  const bool to_stdout = replay_options.trace == "-";
  if (to_stdout) {
    CsvTraceSink sink(std::cout, calendar);
    result = replay(*model, common.seed, replay_options.replication, &sink);
    events = sink.count();
  } else {
    const fs::path trace_path(replay_options.trace);
    if (trace_path.has_parent_path()) ensure_output_directory(trace_path.parent_path());
    AtomicFile file(trace_path);
    CsvTraceSink sink(file.stream(), calendar);
    result = replay(*model, common.seed, replay_options.replication, &sink);
    events = sink.count();
    if (g_interrupted) throw Interrupted("interrupted");
    file.commit();
  }
  if (!replay_options.out.empty())
    write_replay_runs(*model, common.seed, replay_options.replication, result, replay_options.out);
  std::signal(SIGINT, SIG_DFL);
  spdlog::info("replication {} (seed {}): {} events traced to {}{}", replay_options.replication,
               Rng::replication_seed(common.seed, replay_options.replication), events,
               to_stdout ? "stdout" : replay_options.trace,
               replay_options.out.empty() ? "" : ", runs.csv in " + replay_options.out);
  return kExitOk;
}

void add_common(CLI::App& cmd, CommonOptions& common, bool scenario_required) {
  auto* scenario = cmd.add_option("SCENARIO", common.scenario,
                                  scenario_required
                                      ? "Scenario file (TOML)"
                                      : "Scenario file (TOML); default: the embedded baikonur-2025.toml");
  if (scenario_required) scenario->required();
  cmd.add_flag("--deterministic", common.deterministic,
               "Every distribution at its mode, probabilities > 0.5 happen: one traceable replication");
  cmd.add_flag("--no-incident", common.no_incident, "The seed repair never happens (pads start up)");
  cmd.add_flag("-q,--quiet", common.quiet, "No progress bar, only warnings and errors on stderr");
  cmd.add_flag("-v,--verbose", common.verbose, "Debug messages on stderr");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"padsim: Monte Carlo simulation of a damaged launch pad's repair and its effect on "
               "ISS crew rotation and resupply"};
  app.set_version_flag("--version", PADSIM_VERSION);
  app.require_subcommand(1);

  CommonOptions common;
  RunOptions run;
  ReplayOptions replay_options;

  auto* run_cmd = app.add_subcommand("run", "Run a Monte Carlo batch and write its result files");
  add_common(*run_cmd, common, false);
  run_cmd->add_option("-n,--runs", run.runs, "Replications: a count, or 'auto' (until --tolerance)")
      ->capture_default_str();
  run.tolerance_option = run_cmd->add_option("--tolerance", run.tolerance,
                      "--runs auto: relative CI half-width to reach on every headline outcome")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  run.max_runs_option = run_cmd->add_option("--max-runs", run.max_runs, "--runs auto: stop here even if not within tolerance")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  run_cmd->add_option("-s,--seed", common.seed, "Batch seed")->capture_default_str();
  run_cmd->add_option("-o,--out", run.out, "Output directory (default: results/<scenario name>)");
  run_cmd->add_option("-j,--threads", run.threads, "Worker threads (default 0: all cores)")
      ->capture_default_str();

  auto* validate_cmd = app.add_subcommand("validate", "Check a scenario file without simulating");
  add_common(*validate_cmd, common, true);

  auto* replay_cmd =
      app.add_subcommand("replay", "Re-run one replication alone and write its event trace");
  add_common(*replay_cmd, common, false);
  replay_cmd->add_option("-k,--replication", replay_options.replication, "Replication index (row of runs.csv)")
      ->required();
  replay_cmd->add_option("-s,--seed", common.seed, "Seed of the batch")->capture_default_str();
  replay_cmd->add_option("--trace", replay_options.trace, "Event trace CSV to write ('-': stdout)")
      ->required();
  replay_cmd->add_option("-o,--out", replay_options.out,
                         "Directory for runs.csv with this replication's row (none if omitted)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? kExitOk : kExitBadInput;
  }
  setup_logging(common);

  try {
    if (*run_cmd) return cmd_run(common, run, command_line(argc, argv));
    if (*validate_cmd) return cmd_validate(common);
    if (*replay_cmd) return cmd_replay(common, replay_options);
  } catch (const CLI::ValidationError& e) {
    std::cerr << "padsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const Interrupted&) {
    std::cerr << "\npadsim: interrupted: no output written\n";
    return kExitInterrupted;
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  } catch (const ParameterError& e) {
    std::cerr << "padsim: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const OutputError& e) {
    std::cerr << "padsim: error: " << e.what() << "\n";
    return kExitError;
  } catch (const std::exception& e) {
    std::cerr << "padsim: error: " << e.what() << "\n";
    return kExitError;
  }
  return kExitError;
}
