#pragma once
// `padsim run --checkpoint DIR` and `--resume DIR`: a fixed batch (exact or --bounded-memory)
// recorded block by block (padsim/checkpoint.hpp), so that a killed run continues where it stopped.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "padsim/batch.hpp"
#include "padsim/bounded_batch.hpp"
#include "padsim/checkpoint.hpp"
#include "run_command.hpp"

namespace padsim::cli {

inline constexpr std::uint64_t kDefaultCheckpointBlock = 10'000;

struct CheckpointOptions {
  std::string checkpoint;  ///< --checkpoint DIR: start a new checkpoint
  std::string resume;      ///< --resume DIR: continue one
  std::uint64_t every = kDefaultCheckpointBlock;
  CLI::Option* every_option = nullptr;
  /// Hidden, for tests: --bounded-memory's block size (0: BatchOptions' 65,536). It changes the
  /// statistics' bytes, so it is part of the fingerprint.
  std::uint64_t bounded_block = 0;
  bool active() const { return !checkpoint.empty() || !resume.empty(); }
};

/// --checkpoint, --resume and --checkpoint-every on `padsim run` (and the hidden
/// --bounded-block-replications).
void add_checkpoint_options(CLI::App& run_cmd, CheckpointOptions& options);

/// Sets options.block_replications from the hidden --bounded-block-replications; refuses it
/// (status 2) without --bounded-memory.
void apply_bounded_block(const CheckpointOptions& checkpointing, BatchOptions& options);

/// The parts of a batch's fingerprint, in order: what changes its results (padsim version,
/// scenario text, overrides, seed, runs, options) and, for --bounded-memory only (so that an exact
/// batch's fingerprint is what it always was), what changes a bounded batch's files
/// (--retained-runs, --dates, the block size) as the part "--bounded-memory".
std::vector<FingerprintPart> batch_fingerprint(const RunSetup& setup);

/// Refuses what a checkpoint cannot do (throws CLI::ValidationError, status 2): --runs auto, a
/// checkpoint directory that is --out or inside it, --checkpoint-every other than a bounded
/// batch's block size; then starts or opens the checkpoint (a CheckpointError, status 2, when it
/// is missing or of another batch). Nothing when neither option was given.
std::optional<BatchCheckpoint> prepare_checkpoint(const CheckpointOptions& options,
                                                  const RunSetup& setup);

/// run_checkpointed_batch(), logging how far the checkpoint had come and, when interrupted, how
/// to continue.
BatchResult run_with_checkpoint(const RunSetup& setup, const BatchOptions& options,
                                const BatchCheckpoint& checkpoint);
/// The same for a --bounded-memory batch: run_checkpointed_bounded_batch() into `rows`.
BatchResult run_with_checkpoint(const RunSetup& setup, const BatchOptions& options,
                                const BatchCheckpoint& checkpoint, const RowStreams& rows);

}  // namespace padsim::cli
