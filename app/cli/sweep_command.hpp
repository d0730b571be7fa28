#pragma once
// `padsim sweep`: one or two parameters of a scenario over a list or range of values (or a study
// file), every point a batch on the same seed and replication indices (common random numbers),
// written as sweep.csv (long form: point, parameter values, outcome, statistic, value, CI) and
// sweep.json (provenance), with a table of the headline outcomes per point on stdout.

#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "batch_runner.hpp"
#include "run_command.hpp"
#include "study.hpp"

namespace padsim::cli {

struct SweepOptions {
  CommonOptions common;            ///< SCENARIO, --set (before each point's own), --no-incident, ...
  StudyBatchOptions batch;         ///< --runs, --seed, --out, --threads, ...
  std::string study;               ///< --study FILE
  std::vector<std::string> vary;   ///< --vary PATH=VALUES, in order (one or two)
  std::vector<std::string> outcomes;    ///< --outcome: empty: the study's, else every outcome
  std::vector<std::string> statistics;  ///< --statistic: empty: the study's, else mean p10 p50 p90
  std::string invocation;          ///< the command line, for sweep.json
};

/// The `sweep` subcommand and its options.
CLI::App* add_sweep_command(CLI::App& app, SweepOptions& options);

/// Runs the sweep: checks every point's scenario first (bad input throws before any batch runs:
/// CLI::ValidationError, InputError or ParameterError), runs each point's batch through
/// `context.run_batch`, and on the root only writes sweep.csv and sweep.json and prints the table
/// to `out`. Returns the exit status (kExitOk); other errors throw.
int run_sweep(const SweepOptions& options, const StudyContext& context, std::ostream& out);

}  // namespace padsim::cli
