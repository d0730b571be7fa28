#pragma once
// The `run` command line, shared by `padsim` and `padsim-mpi`: its options, the checks that make
// bad input exit with status 2 before anything is written, the report on stdout, and the mapping
// of errors to exit statuses.

#include <atomic>
#include <exception>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "padsim/batch.hpp"
#include "padsim/latin_hypercube.hpp"
#include "padsim/models/scenario.hpp"
#include "padsim/monte_carlo.hpp"
#include "scenario_source.hpp"

namespace padsim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInterrupted = 130;

struct CommonOptions {
  std::string scenario;
  std::uint64_t seed = kDefaultSeed;
  bool deterministic = false;
  bool no_incident = false;
  bool no_responses = false;
  std::string sampling = "mc";  ///< --sampling: "mc" (plain Monte Carlo) or "lhs" (Latin hypercube)
  /// --lhs-block; 0 when not given (LatinHypercube::kDefaultBlock then). Several subcommands share
  /// one CommonOptions, so "given" is this value, not an option's count.
  std::uint64_t lhs_block = 0;
  bool quiet = false;
  bool verbose = false;
  std::vector<std::string> overrides;  ///< --set PATH=VALUE, in order
};

/// The replications of `padsim run` (and of the batch `replay --at` picks from) without --runs:
/// enough that the headline percentiles move by less than their CIs when the batch grows tenfold.
inline constexpr const char* kDefaultRuns = "100000";

struct RunOptions {
  std::string runs = kDefaultRuns;
  double tolerance = 0.01;
  std::uint64_t max_runs = 100'000;
  std::string out;
  unsigned threads = 0;
  bool bounded = false;
  bool dates = false;
  bool task_runs = false;
  bool no_rows = false;
  std::uint64_t retained_runs = 100'000;
  CLI::Option* tolerance_option = nullptr;
  CLI::Option* max_runs_option = nullptr;
};

/// Tells the allocator to keep freed memory for reuse (glibc), so that the column buffers a batch's
/// statistics take and free are not faulted in again each time. Called first thing by each main().
void keep_freed_memory();

/// --sampling and --lhs-block (part of add_common; compare adds them alone).
void add_sampling_options(CLI::App& cmd, CommonOptions& common);
/// SCENARIO, --set, --deterministic, --no-incident, --no-responses, --sampling, --lhs-block,
/// --quiet, --verbose.
void add_common(CLI::App& cmd, CommonOptions& common, bool scenario_required);
/// The `run` subcommand with every option of `padsim run`.
CLI::App* add_run_command(CLI::App& app, CommonOptions& common, RunOptions& run);

/// -s,--seed: an integer from 0 to 2^64 - 1 (anything else is bad input, never clamped).
CLI::Option* add_seed_option(CLI::App& cmd, std::uint64_t& seed, const std::string& description);

/// Logs to stderr as "padsim: LEVEL: ..." at the level --quiet and --verbose choose.
void setup_logging(const CommonOptions& common);
/// argv joined with shell quoting, for run.json.
std::string command_line(int argc, char** argv);
models::LoadOptions load_options(const CommonOptions& common);

/// Command-line values CLI11 cannot check alone are bad input, reported like CLI11's own errors.
[[noreturn]] void bad_option(const std::string& message);

/// Set by SIGINT while catch_sigint() is in effect; a second SIGINT ends the process.
std::atomic<bool>& sigint_flag();
void catch_sigint();
void default_sigint();

/// The batch options --runs, --tolerance, --max-runs, --seed and --threads ask for (throws
/// CLI::ValidationError on a bad --runs).
BatchOptions batch_options(const CommonOptions& common, const RunOptions& run);

/// A `run` whose input is checked: the scenario is loaded and nothing is written yet.
struct RunSetup {
  ScenarioSource source;
  std::unique_ptr<Model> model;
  BatchOptions options;
  std::filesystem::path out_dir;
};

/// The options that changed how the scenario was read ("--deterministic", "--no-incident"), for
/// run.json.
std::vector<std::string> mode_flags(const CommonOptions& common);

/// Throws CLI::ValidationError (status 2) when the batch would not fit in this machine's memory,
/// naming the estimate and the largest --runs that fits. The estimate is the batch's results
/// (batch_memory_bytes) and, `with_outputs`, what an exact batch's output files hold while they
/// are computed (outputs_memory_bytes: the kept headline columns, and a share per thread).
void refuse_oversized_batch(const Model& model, const BatchOptions& options, bool with_outputs);

/// Loads the scenario (throws InputError or ParameterError on bad input) and completes `options`
/// with run.json's provenance.
RunSetup load_run(const CommonOptions& common, const RunOptions& run, BatchOptions options,
                  const std::string& invocation);
/// The same from a scenario source already read (the Python module's scenario may be TOML text).
RunSetup load_run(ScenarioSource source, const CommonOptions& common, const RunOptions& run,
                  BatchOptions options, const std::string& invocation);

/// The "SCENARIO: N replications, seed S, ..." line at the start of a run.
void log_run_start(const RunSetup& setup, unsigned processes);
/// Logs each --set override at info level (a run's log says what it changed).
void log_overrides(const std::vector<std::string>& overrides);
/// What `padsim validate` prints for a scenario that loaded: "LABEL: ok (N repair tasks, ...)" and
/// its overrides.
void print_validate_report(std::ostream& out, const ScenarioSource& source, const Model& model,
                           const std::vector<std::string>& overrides);
/// "Overrides (--set): A=1 B=2" and a newline; nothing when there are none.
void print_overrides(std::ostream& out, const std::vector<std::string>& overrides);
/// `-v`: "simulation: N replications in S s (R per second)", before the outputs' account.
void log_simulation_rate(const BatchResult& result);
/// Warns about each --runs auto criterion not met.
void warn_unconverged(const BatchResult& result);
/// What `padsim run` prints on stdout once the outputs are written; `statistics` those the
/// outputs were written with.
void print_run_report(std::ostream& out, const RunSetup& setup, const BatchResult& result,
                      const BatchStatistics& statistics);

/// Reports a command-line error as "PROGRAM: error: ..." on stderr (when `print`) and returns
/// status 2; --help and --version print their text and return 0.
int parse_error_exit(CLI::App& app, const CLI::ParseError& error, const std::string& program,
                     bool print = true);

/// The exit status for an error `run`, `validate` or `replay` threw, and the message to print
/// on stderr for it (`program` names the executable).
struct ExitReport {
  int status = kExitError;
  std::string message;
};
ExitReport exit_report(const std::exception_ptr& error, const std::string& program);

}  // namespace padsim::cli
