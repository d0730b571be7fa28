// padsim: Monte Carlo simulation of a damaged launch pad's repair and its effect on ISS crew
// rotation and resupply.
//
//   padsim run [SCENARIO] [--set PATH=VALUE]... [--runs N|auto] [--seed S] [--out DIR] [--threads T] ...
//   padsim validate SCENARIO [--set PATH=VALUE]...
//   padsim replay [SCENARIO] [--set PATH=VALUE]... --replication K [--seed S] --trace FILE [--out DIR]
//   padsim compare [A] [B] [--set PATH=VALUE]... [--set-a PATH=VALUE]... [--set-b PATH=VALUE]...
//                  [--runs N] [--seed S] [--threads T] [--bootstrap R] [--out DIR]
//   padsim dist SPEC... [--csv]
//   padsim fit (--expert TEXT | --data X,Y,... | --data-file FILE [--column C]) [--toml KEY] [--csv]
//
// Exit statuses: 0 success; 1 output or other errors; 2 bad input (scenario or command line),
// with no output written; 130 interrupted (SIGINT), with no output written.

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "padsim/batch.hpp"
#include "padsim/calendar.hpp"
#include "padsim/csv.hpp"
#include "padsim/error.hpp"
#include "padsim/models/task_table.hpp"
#include "padsim/rng.hpp"
#include "padsim/trace.hpp"
#include "batch_runner.hpp"
#include "compare_command.hpp"
#include "dist_command.hpp"
#include "fit_command.hpp"
#include "progress.hpp"
#include "run_command.hpp"
#include "scenario_source.hpp"

namespace {

namespace fs = std::filesystem;
using namespace padsim;
using namespace padsim::cli;

struct ReplayOptions {
  std::uint64_t replication = 0;
  std::string trace;
  std::string out;
};

int cmd_run(const CommonOptions& common, const RunOptions& run, const std::string& invocation) {
  // Bad input is found before anything is written.
  const RunSetup setup = load_run(common, run, batch_options(common, run), invocation);
  ensure_output_directory(setup.out_dir);

  BatchOptions options = setup.options;
  options.interrupt = &sigint_flag();
  ProgressBar bar(!common.quiet);
  options.progress = [&bar](const BatchProgress& p) { bar.update(p); };
  catch_sigint();

  log_run_start(setup, 1);
  BatchResult result = run_batch(*setup.model, options);
  bar.finish();
  warn_unconverged(result);
  write_batch_outputs(*setup.model, result, options, setup.out_dir);
  default_sigint();
  print_run_report(std::cout, setup, result);
  return kExitOk;
}

int cmd_validate(const CommonOptions& common) {
  const cli::ScenarioSource source = cli::read_scenario(common.scenario);
  const std::unique_ptr<Model> model = cli::load_model(source, load_options(common));
  std::cout << source.label << ": ok (" << models::task_ids(*model).size() << " repair tasks, "
            << model->outcomes().size() << " outcomes, " << model->inputs().size()
            << " uncertain inputs, " << model->series_names().size() << " daily series, horizon "
            << format_number(model->horizon()) << " days from " << model->epoch() << ")\n";
  print_overrides(std::cout, common.overrides);
  return kExitOk;
}

int cmd_replay(const CommonOptions& common, const ReplayOptions& replay_options) {
  const cli::ScenarioSource source = cli::read_scenario(common.scenario);
  const std::unique_ptr<Model> model = cli::load_model(source, load_options(common));
  const Calendar calendar(model->epoch());
  log_overrides(common.overrides);
  catch_sigint();

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
    if (sigint_flag()) throw Interrupted("interrupted");
    file.commit();
  }
  if (!replay_options.out.empty())
    write_replay_runs(*model, common.seed, replay_options.replication, result, replay_options.out);
  default_sigint();
  spdlog::info("replication {} (seed {}): {} events traced to {}{}", replay_options.replication,
               Rng::replication_seed(common.seed, replay_options.replication), events,
               to_stdout ? "stdout" : replay_options.trace,
               replay_options.out.empty() ? "" : ", runs.csv in " + replay_options.out);
  return kExitOk;
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

  auto* run_cmd = add_run_command(app, common, run);

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

  CompareOptions compare_options;
  auto* compare_cmd = add_compare_command(app, common, compare_options);

  DistOptions dist_options;
  auto* dist_cmd = add_dist_command(app, dist_options);
  FitOptions fit_options;
  auto* fit_cmd = add_fit_command(app, fit_options);

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
    if (*compare_cmd)
      return run_compare_command(common, compare_options, command_line(argc, argv), StudyContext{},
                                 std::cout);
    if (*dist_cmd) return run_dist_command(dist_options, std::cout);
    if (*fit_cmd) return run_fit_command(fit_options, std::cout);
  } catch (...) {
    const ExitReport report = exit_report(std::current_exception(), "padsim");
    std::cerr << report.message << "\n";
    return report.status;
  }
  return kExitError;
}
