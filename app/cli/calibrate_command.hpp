#pragma once
// `padsim calibrate`: the value of one parameter at which a statistic of an outcome meets a
// target (e.g. the repair's duration scale that makes the P50 of pad_ready_day 120), found by
// padsim::calibrate() over batches that all run the same seed and replication indices (common
// random numbers), so that the estimate is a deterministic function of the parameter. Writes
// calibrate.csv (one row per evaluation) and calibrate.json, and prints the answer.

#include <cstddef>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "batch_runner.hpp"
#include "run_command.hpp"
#include "study.hpp"

namespace padsim::cli {

struct CalibrateOptions {
  CommonOptions common;      ///< SCENARIO, --set, --no-incident, --quiet, --verbose
  StudyBatchOptions batch;   ///< --runs (a count only), --seed, --out, --threads
  std::string param;         ///< --param PATH: a numeric override path
  std::string target;        ///< --target OUTCOME:STAT=VALUE
  std::string range;         ///< --range LO:HI; empty: 0.25:4 for a path ending in .scale
  double tolerance = 0.0;    ///< --tolerance: bracket width to stop at; 0: (HI - LO) / 1000
  std::size_t max_evaluations = 30;
  std::string invocation;    ///< the command line, for calibrate.json
};

/// The `calibrate` subcommand and its options.
CLI::App* add_calibrate_command(CLI::App& app, CalibrateOptions& options);

/// Runs the calibration: checks the input and loads the scenario at both ends of the range first
/// (bad input throws before any batch runs), evaluates through `context.run_batch`, and on the root
/// only writes calibrate.csv and calibrate.json and prints the answer to `out`. A target that no
/// value in the range reaches throws CLI::ValidationError (status 2) naming what each end reached,
/// with nothing written. Returns the exit status (kExitOk); other errors throw.
int run_calibrate(const CalibrateOptions& options, const StudyContext& context, std::ostream& out);

}  // namespace padsim::cli
