#pragma once
/// Bounded-memory batches (`padsim run --bounded-memory`): memory that does not grow with the
/// number of replications.
///
/// An exact batch (run_batch) keeps every value of every replication until the end, 2 KB per
/// replication of the default scenario. A bounded batch runs in blocks of
/// BatchOptions::block_replications (65,536) replications and, as each block ends:
/// - folds every value into a StreamedColumn per outcome and per entity-table cell: counts,
///   moments (one RunningStats per block, merged in block order) and a QuantileSketch, so
///   percentiles and their CIs are within QuantileSketch::kRelativeError of the exact ones;
/// - writes the block's runs.csv and inputs.csv rows, in replication order;
/// - keeps every value only of replications [0, retained_replications): rank correlations
///   (sensitivity.csv, an entity table's correlation columns) and the daily series come from those.
///
/// Blocks are aligned on multiples of the block size from replication 0, and everything is merged in
/// block order, so the files are byte-identical for any thread count and for any split into
/// block-aligned ranges (padsim-mpi). They are not byte-identical to an exact batch's: means differ
/// in the last digits (another summation order), percentiles by at most the sketch's error.
///
///     padsim::BatchOptions options;
///     options.replications = 10'000'000;
///     options.bounded = true;
///     padsim::ResultSet set("results/big");
///     padsim::RowStreams rows{&set.open("runs.csv"), &set.open("inputs.csv"), true};
///     padsim::BatchResult result = padsim::run_bounded_batch(model, options, rows);
///     padsim::write_batch_outputs(model, result, options, set);
///     set.commit();

#include <cstdint>
#include <memory>
#include <ostream>
#include <vector>

#include "padsim/batch.hpp"
#include "padsim/quantile_sketch.hpp"

namespace padsim {

/// What a bounded batch keeps of one column (an outcome, or a cell of an entity table) over all
/// its replications. An empty cell (NaN) is censored (+inf) when the column is censorable, and
/// otherwise not applicable (left out), as summarize() treats it.
struct StreamedColumn {
  bool censorable = false;
  std::uint64_t cells = 0;     ///< replications seen
  std::uint64_t n = 0;         ///< values counted: reached, plus censored
  std::uint64_t censored = 0;
  std::uint64_t nonzero = 0;   ///< counted values other than 0, censored included
  std::vector<RunningStats> blocks;  ///< moments of the reached values, one per block, in order
  QuantileSketch sketch;       ///< reached values, censored as +inf

  /// Folds the values of one block (in replication order).
  void add_block(const double* values, std::size_t count, std::size_t stride);
  /// Appends the blocks of a later range of the same batch.
  void merge(const StreamedColumn& later);
  /// The moments of every reached value: the blocks merged in order.
  RunningStats reached() const;
};

/// The statistics summary.csv reports of a column, its sketch shared (not copied) for percentiles.
OutcomeSummary summary_of(const std::shared_ptr<const StreamedColumn>& column);

/// Every column of a bounded batch.
struct StreamedStatistics {
  std::uint64_t replications = 0;  ///< every replication of the batch (or of its range)
  std::vector<std::shared_ptr<StreamedColumn>> outcomes;
  std::vector<std::vector<std::shared_ptr<StreamedColumn>>> tables;  ///< per table, per cell

  /// Appends the statistics of a later range of the same batch.
  void merge(const StreamedStatistics& later);
  /// As 64-bit words and back, for sending between processes.
  std::vector<std::uint64_t> serialize() const;
  static StreamedStatistics deserialize(const std::vector<std::uint64_t>& words);
  /// merge(deserialize(words)), a column at a time: never the whole later range deserialized.
  void merge_serialized(const std::vector<std::uint64_t>& words);
};

/// Where a bounded batch writes runs.csv's and inputs.csv's rows as its blocks end (either may be
/// null); with `headers`, each file's header row first.
struct RowStreams {
  std::ostream* runs = nullptr;
  std::ostream* inputs = nullptr;
  bool headers = true;
};

/// Runs replications [options.first_replication, + options.replications) as a bounded batch:
/// result.streamed holds every replication's statistics, result.replications counts the rows its
/// vectors keep (those below options.retained_replications). A range that is not empty starts on
/// a block boundary. Throws Interrupted and errors as run_batch does.
BatchResult run_bounded_batch(const Model& model, const BatchOptions& options, const RowStreams& rows);

/// The bytes a bounded batch of `options` holds at most (batch_memory_bytes() answers it for a
/// bounded batch): one block's results, the retained replications and the series, and a
/// sketch per column.
std::uint64_t bounded_batch_memory_bytes(const Model& model, const BatchOptions& options);

/// The replications a batch of `options` covers: streamed->replications for a bounded result,
/// else result.replications.
std::uint64_t total_replications(const BatchResult& result);

}  // namespace padsim
