#pragma once
/// Checkpointed batches: a fixed batch run in blocks of replications, each completed block saved
/// durably in a checkpoint directory, so that a batch killed at any moment continues from its
/// first missing block and ends with exactly the result of an uninterrupted run_batch().
///
///     padsim::BatchCheckpoint cp = padsim::BatchCheckpoint::create("ck", parts, 10'000);
///     padsim::BatchResult result = padsim::run_checkpointed_batch(model, options, cp);
///     // after a kill: BatchCheckpoint::open("ck", parts) and run_checkpointed_batch() again
///
/// The directory holds `checkpoint.txt` (the fingerprint of the batch: named parts such as the
/// program version, the model's input, the seed and the replication count, each as text, and the
/// SHA-256 over them) and one `block-NNNNNNNNNNNN.bin` per completed block: the BatchResult of
/// replications [N x block, (N + 1) x block) in serialize_batch_result()'s form, tagged with the
/// fingerprint and followed by a 64-bit checksum of its bytes. Blocks are streamed to and from
/// their files: a block is never held twice, and the join reads each straight into the whole
/// result. Each file is written beside its final
/// name, fsync'ed and renamed (the directory fsync'ed after), so a kill leaves either a whole block
/// or none. Blocks are recorded in order; a replication is a pure function of (model, seed,
/// index), so a block run again after a kill holds the same values, on any thread count.
///
/// A bounded-memory batch (padsim/bounded_batch.hpp) is checkpointed at its own blocks
/// (BatchOptions::block_replications): its block file holds the block's streamed statistics and
/// the rows it retains, and beside it `rows-NNNNNNNNNNNN.runs.csv` and `.inputs.csv` hold the
/// block's runs.csv and inputs.csv rows (their sizes and checksums in the block file, which is
/// written last). run_checkpointed_bounded_batch() joins them into the result set's files.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "padsim/batch.hpp"
#include "padsim/bounded_batch.hpp"
#include "padsim/error.hpp"
#include "padsim/result_set.hpp"

namespace padsim {

/// A checkpoint that cannot be used for this batch: none in the directory, one of another batch
/// (the message names the part that differs), or a damaged file. Bad input: nothing is run.
class CheckpointError : public Error {
 public:
  using Error::Error;
};

/// An exact, fixed-count BatchResult as bytes (host byte order, which the bytes record) and back.
/// Every field run_batch() sets is kept except `convergence` (fixed runs have none).
/// deserialize_batch_result() throws Error when the bytes are not such a result.
std::string serialize_batch_result(const BatchResult& result);
BatchResult deserialize_batch_result(std::string_view bytes);

/// One named part of a batch's fingerprint, e.g. {"seed", "20251127"}.
struct FingerprintPart {
  std::string name;
  std::string text;
};

/// The SHA-256 (hex) over the parts, names and texts length-prefixed so no two lists collide.
std::string fingerprint_of(const std::vector<FingerprintPart>& parts);

/// A checkpoint directory, locked (OutputLock) while this object lives, so that one process at a
/// time adds blocks to it.
class BatchCheckpoint {
 public:
  /// Starts a checkpoint in `dir` (created if needed; it must hold no checkpoint and no other
  /// file) for a batch of `parts`, in blocks of `block_replications`. Throws CheckpointError when
  /// `dir` is not empty, OutputError when it cannot be written.
  static BatchCheckpoint create(const std::filesystem::path& dir, std::vector<FingerprintPart> parts,
                                std::uint64_t block_replications);
  /// Opens the checkpoint in `dir` for a batch of `parts` (in the same order as when created) and
  /// removes temporaries a killed writer left. Throws CheckpointError when `dir` holds no
  /// checkpoint, when its file is damaged, or when a part differs: "the checkpoint is of another
  /// NAME (checkpoint: A, this run: B)".
  static BatchCheckpoint open(const std::filesystem::path& dir, std::vector<FingerprintPart> parts);

  const std::filesystem::path& dir() const noexcept { return dir_; }
  std::uint64_t block_replications() const noexcept { return block_; }
  const std::string& fingerprint() const noexcept { return fingerprint_; }
  /// Blocks recorded, counted from block 0 up to the first missing one.
  std::uint64_t blocks_done() const;
  /// Records block `index` durably; throws OutputError naming the path on failure.
  void save_block(std::uint64_t index, const BatchResult& block) const;
  /// Reads block `index`; throws CheckpointError when it is damaged or of another fingerprint.
  BatchResult load_block(std::uint64_t index) const;
  /// The path of block `index`'s file.
  std::filesystem::path block_path(std::uint64_t index) const;
  /// A bounded block's rows of `file` ("runs.csv" or "inputs.csv"): `rows-NNNNNNNNNNNN.FILE`.
  std::filesystem::path rows_path(std::uint64_t index, const std::string& file) const;

 private:
  friend BatchResult run_checkpointed_batch(const Model&, const BatchOptions&, const BatchCheckpoint&);

  BatchCheckpoint(std::filesystem::path dir, std::uint64_t block, std::string fingerprint);
  /// Reads block `index` into `into` (detail::read_result: the whole batch's result as it grows),
  /// verifying its fingerprint and checksum; returns its header (wall_seconds, threads).
  BatchResult read_block(std::uint64_t index, BatchResult& into, bool first, std::uint64_t reserve,
                         std::uint64_t series_bytes) const;

  std::filesystem::path dir_;
  std::uint64_t block_ = 0;
  std::string fingerprint_;
  OutputLock lock_;
};

/// Runs the fixed batch `options` (first_replication 0, exact) through `checkpoint`: blocks not yet
/// recorded are run with run_batch() and recorded one by one, then every block is read back and
/// joined. The result equals run_batch(model, options) in every value; `threads` is the largest
/// of the blocks' and `wall_seconds` the sum of their run times (over every invocation).
/// options.progress sees the whole batch's count. Throws Interrupted (completed blocks stay
/// recorded), CheckpointError, or what run_batch() throws.
BatchResult run_checkpointed_batch(const Model& model, const BatchOptions& options,
                                   const BatchCheckpoint& checkpoint);

/// Runs the fixed bounded batch `options` (first_replication 0, options.bounded) through
/// `checkpoint`, whose blocks must be options.block_replications: blocks not yet recorded are run
/// with run_bounded_batch() and recorded one by one (statistics, retained rows, row files); then
/// `rows` receives the headers (with rows.headers) and every block's rows in order, streamed from
/// the row files, and the statistics are merged block by block. The rows and the result equal
/// run_bounded_batch(model, options, rows)'s, memory stays bounded; `threads` is the largest of the
/// blocks' and `wall_seconds` the sum of their run times. Throws Interrupted (completed blocks stay
/// recorded), CheckpointError (another block size, a damaged block or row file), OutputError, or
/// what run_bounded_batch() throws.
BatchResult run_checkpointed_bounded_batch(const Model& model, const BatchOptions& options,
                                           const BatchCheckpoint& checkpoint, const RowStreams& rows);

}  // namespace padsim
