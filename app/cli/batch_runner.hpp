#pragma once
// How a command runs one batch. `padsim` runs it on this process's threads; `padsim-mpi` splits
// it over the MPI processes and gives every process the whole merged result, so that a study
// (compare, sweep, calibrate) takes the same decisions on every process and only the root writes.

#include <filesystem>
#include <functional>

#include "padsim/batch.hpp"
#include "padsim/csv.hpp"
#include "padsim/monte_carlo.hpp"
#include "padsim/result_set.hpp"

namespace padsim::cli {

/// Runs `options.replications` replications of `model` (fixed runs) and returns the whole result.
using BatchRunner = std::function<BatchResult(const Model& model, const BatchOptions& options)>;

/// The batch runner of one process: padsim::run_batch.
inline BatchResult local_batch(const Model& model, const BatchOptions& options) {
  return run_batch(model, options);
}

/// Where a study runs: its batch runner, and whether this process prints and writes.
struct StudyContext {
  BatchRunner run_batch = local_batch;
  bool root = true;
  /// Locks the output directory before any batch runs, so a second writer is refused at once
  /// (throws OutputError naming it); the study holds the lock until its result set is published.
  /// Under MPI the root takes it and every process learns whether it could, so all stop alike.
  std::function<OutputLock(const std::filesystem::path&)> prepare_output =
      [](const std::filesystem::path& dir) { return OutputLock(dir); };
  /// Whether run_batch can run --runs auto (rounds until a tolerance); an MPI runner splits
  /// fixed counts only, and a study refuses auto before it prepares anything.
  bool auto_runs = true;
};

}  // namespace padsim::cli
