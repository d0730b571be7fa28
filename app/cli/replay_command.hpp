#pragma once
// `padsim replay`: one replication of a batch re-run alone, its event trace written, chosen by its
// index or by a percentile of an outcome in the batch. Shared by main() and the Python module.

#include <cstdint>
#include <ostream>
#include <string>

#include "padsim/calendar.hpp"
#include "padsim/monte_carlo.hpp"
#include "batch_runner.hpp"
#include "run_command.hpp"

namespace padsim::cli {

struct ReplayOptions {
  std::uint64_t replication = 0;
  std::string at;  ///< OUTCOME:pNN, instead of --replication
  std::string runs = kDefaultRuns;
  unsigned threads = 0;
  std::string trace;  ///< the trace file; "-": `trace_out`
  std::string out;
};

/// The replication `--at OUTCOME:pNN` names, from a batch of --runs replications on --seed
/// (the batch `padsim run` with the same --runs and --seed makes), run by `runner`. Bad input
/// throws CLI::ValidationError.
std::uint64_t replication_at_percentile(const Model& model, const CommonOptions& common,
                                        const ReplayOptions& replay_options,
                                        const BatchRunner& runner = local_batch);

/// Replays replication replay_options.replication with its trace (to `trace_out` when the trace
/// is "-") and writes runs.csv with --out. Throws Interrupted when sigint_flag() is set.
void replay_one(const Model& model, const Calendar& calendar, const CommonOptions& common,
                const ReplayOptions& replay_options, std::ostream& trace_out);

}  // namespace padsim::cli
