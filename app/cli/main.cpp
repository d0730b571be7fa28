// padsim: Monte Carlo simulation of a damaged launch pad's repair and its effect on ISS crew
// rotation and resupply.
//
//   padsim run [SCENARIO] [--set PATH=VALUE]... [--runs N|auto] [--seed S] [--out DIR] [--threads T] ...
//   padsim validate SCENARIO [--set PATH=VALUE]...
//   padsim replay [SCENARIO] [--set PATH=VALUE]... (--replication K | --at OUTCOME:pNN [--runs N])
//                 [--seed S] --trace FILE [--out DIR]
//   padsim compare [A] [B] [--set PATH=VALUE]... [--set-a PATH=VALUE]... [--set-b PATH=VALUE]...
//                  [--runs N] [--seed S] [--threads T] [--bootstrap R] [--out DIR]
//   padsim dist SPEC... [--csv]
//   padsim fit (--expert TEXT | --data X,Y,... | --data-file FILE [--column C]) [--toml KEY] [--csv]
//   padsim sweep [SCENARIO] (--vary PATH=VALUES... | --study FILE) [--set PATH=VALUE]... [--runs N|auto] ...
//   padsim calibrate [SCENARIO] --param PATH --target OUTCOME:STAT=VALUE [--range LO:HI] [--runs N] ...
//   padsim import FILE.xer|FILE.xml [--out SCENARIO] [--repair-id ID] [--template RULE]... [--templates FILE]
//                 [--section-only]
//   padsim export-schedule [SCENARIO] [--repair ID] [--format xer|mspdi] --out FILE
//
// Exit statuses: 0 success; 1 output or other errors; 2 bad input (scenario or command line),
// with no output written; 130 interrupted (SIGINT), with no output written.

#include <filesystem>
#include <limits>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "padsim/batch.hpp"
#include "padsim/bounded_batch.hpp"
#include "padsim/calendar.hpp"
#include "padsim/csv.hpp"
#include "padsim/result_set.hpp"
#include "padsim/error.hpp"
#include "padsim/models/task_table.hpp"
#include "padsim/rng.hpp"
#include "padsim/trace.hpp"
#include "batch_runner.hpp"
#include "calibrate_command.hpp"
#include "checkpoint_options.hpp"
#include "cli_checks.hpp"
#include "compare_command.hpp"
#include "dist_command.hpp"
#include "fit_command.hpp"
#include "import_command.hpp"
#include "progress.hpp"
#include "replay_command.hpp"
#include "run_command.hpp"
#include "scenario_source.hpp"
#include "sweep_command.hpp"

namespace {

namespace fs = std::filesystem;
using namespace padsim;
using namespace padsim::cli;

int cmd_run(const CommonOptions& common, const RunOptions& run, const CheckpointOptions& checkpointing,
            const std::string& invocation) {
  // Bad input is found before anything is written.
  BatchOptions batch = batch_options(common, run);
  apply_bounded_block(checkpointing, batch);
  const RunSetup setup = load_run(common, run, std::move(batch), invocation);
  // Held until the result set is published: a second run into the same --out is refused now,
  // not after its batch.
  const OutputLock lock(setup.out_dir);
  const std::optional<BatchCheckpoint> checkpoint = prepare_checkpoint(checkpointing, setup);

  BatchOptions options = setup.options;
  options.interrupt = &sigint_flag();
  ProgressBar bar(!common.quiet);
  options.progress = [&bar](const BatchProgress& p) { bar.update(p); };
  catch_sigint();

  log_run_start(setup, 1);
  BatchResult result;
  std::optional<BatchStatistics> statistics;  // the files' and then the report's
  if (options.bounded) {
    ResultSet set(setup.out_dir);
    const RowStreams rows = options.rows ? RowStreams{&set.open("runs.csv"), &set.open("inputs.csv"), true}
                                         : RowStreams{};
    result = checkpoint ? run_with_checkpoint(setup, options, *checkpoint, rows)
                        : run_bounded_batch(*setup.model, options, rows);
    bar.finish();
    log_simulation_rate(result);
    write_batch_outputs(*setup.model, result, options, set, &statistics.emplace(*setup.model, result));
    set.commit();
  } else {
    result = checkpoint ? run_with_checkpoint(setup, options, *checkpoint)
                        : run_batch(*setup.model, options);
    bar.finish();
    log_simulation_rate(result);
    warn_unconverged(result);
    write_batch_outputs(*setup.model, result, options, setup.out_dir,
                        &statistics.emplace(*setup.model, result));
  }
  default_sigint();
  print_run_report(std::cout, setup, result, *statistics);
  return kExitOk;
}

int cmd_validate(const CommonOptions& common) {
  const cli::ScenarioSource source = cli::read_scenario(common.scenario);
  const std::unique_ptr<Model> model = cli::load_model(source, load_options(common));
  print_validate_report(std::cout, source, *model, common.overrides);
  return kExitOk;
}

int cmd_replay(const CommonOptions& common, const ReplayOptions& replay_options) {
  const cli::ScenarioSource source = cli::read_scenario(common.scenario);
  const std::unique_ptr<Model> model = cli::load_model(source, load_options(common));
  const Calendar calendar(model->epoch());
  log_overrides(common.overrides);
  catch_sigint();
  ReplayOptions chosen = replay_options;
  if (!replay_options.at.empty()) {
    chosen.replication = replication_at_percentile(*model, common, replay_options);
    spdlog::info("--at {}: replication {}", replay_options.at, chosen.replication);
  }
  replay_one(*model, calendar, common, chosen, std::cout);
  default_sigint();
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  keep_freed_memory();
  CLI::App app{"padsim: Monte Carlo simulation of a damaged launch pad's repair and its effect on "
               "ISS crew rotation and resupply"};
  app.set_version_flag("--version", PADSIM_VERSION);
  app.require_subcommand(1);

  CommonOptions common;
  RunOptions run;
  ReplayOptions replay_options;

  auto* run_cmd = add_run_command(app, common, run);
  CheckpointOptions checkpointing;
  add_checkpoint_options(*run_cmd, checkpointing);

  auto* validate_cmd = app.add_subcommand("validate", "Check a scenario file without simulating");
  add_common(*validate_cmd, common, true);

  auto* replay_cmd =
      app.add_subcommand("replay", "Re-run one replication alone and write its event trace");
  add_common(*replay_cmd, common, false);
  auto* replication_option =
      replay_cmd
          ->add_option("-k,--replication", replay_options.replication,
                       "Replication index (row of runs.csv)")
          ->check(integer_in(0, std::numeric_limits<std::uint64_t>::max()));
  auto* at_option = replay_cmd->add_option(
      "--at", replay_options.at,
      "OUTCOME:pNN: the replication at that percentile of the batch --runs/--seed make (censored "
      "values beyond the horizon, as in summary.csv), e.g. pad_ready_day:p90");
  at_option->excludes(replication_option);
  replay_cmd->add_option("-n,--runs", replay_options.runs, "--at: replications of the batch")
      ->capture_default_str();
  replay_cmd->add_option("-j,--threads", replay_options.threads, "--at: worker threads")
      ->check(integer_in(0, kMaxThreads));
  add_seed_option(*replay_cmd, common.seed, "Seed of the batch");
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
  SweepOptions sweep_options;
  auto* sweep_cmd = add_sweep_command(app, sweep_options);
  CalibrateOptions calibrate_options;
  auto* calibrate_cmd = add_calibrate_command(app, calibrate_options);
  ImportCommandOptions import_options;
  auto* import_cmd = add_import_command(app, import_options);
  ExportCommandOptions export_options;
  auto* export_cmd = add_export_command(app, export_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return parse_error_exit(app, e, "padsim");
  }
  setup_logging(*sweep_cmd       ? sweep_options.common
                : *calibrate_cmd ? calibrate_options.common
                                 : common);
  sweep_options.invocation = calibrate_options.invocation = command_line(argc, argv);

  try {
    if (*run_cmd) return cmd_run(common, run, checkpointing, command_line(argc, argv));
    if (*validate_cmd) return cmd_validate(common);
    if (*replay_cmd) {
      if (replay_options.at.empty() && replication_option->count() == 0)
        bad_option("replay: give --replication K or --at OUTCOME:pNN");
      return cmd_replay(common, replay_options);
    }
    if (*compare_cmd)
      return run_compare_command(common, compare_options, command_line(argc, argv), StudyContext{},
                                 std::cout);
    if (*dist_cmd) return run_dist_command(dist_options, std::cout);
    if (*fit_cmd) return run_fit_command(fit_options, std::cout);
    if (*sweep_cmd) return run_sweep(sweep_options, StudyContext{}, std::cout);
    if (*calibrate_cmd) return run_calibrate(calibrate_options, StudyContext{}, std::cout);
    if (*import_cmd) return run_import_command(import_options, std::cout);
    if (*export_cmd) return run_export_command(export_options, std::cout);
  } catch (...) {
    const ExitReport report = exit_report(std::current_exception(), "padsim");
    std::cerr << report.message << "\n";
    return report.status;
  }
  return kExitError;
}
