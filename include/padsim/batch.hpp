#pragma once
/// Monte Carlo batches: many replications of a Model on several threads, with results that do not
/// depend on the thread count, and the files an analyst reads (runs, summary, one per entity table
/// the model declares, sensitivity, timeseries, run.json).
///
///     padsim::BatchOptions options;
///     options.replications = 10'000;
///     padsim::BatchResult result = padsim::run_batch(model, options);
///     padsim::write_batch_outputs(model, result, options, "results/my-scenario");
///
/// Reproducibility: replication k always draws from padsim::Rng(seed, k, stream) and its results
/// are stored at index k, and every statistic is computed afterwards from the index-ordered
/// values, so every output except run.json's `processes`, `threads` and `wall_time_seconds` is
/// byte-identical for any thread count and on every run. `--runs auto` decides to stop only
/// between rounds of fixed size, from the first N replications, so it is as reproducible.
///
/// Memory: 8 bytes per replication for each outcome, each sampled input and each cell of an
/// entity table (exact percentiles and rank correlations need every value), plus daily series for
/// the first `series_replications` replications only (BatchOptions::series_memory_bytes).
///
/// Distribution: a batch can run a contiguous range of replications (BatchOptions::
/// first_replication), and merge_batch_results() concatenates the results of consecutive ranges
/// into exactly the result of the whole batch (padsim-mpi runs one range per MPI process).
///
/// Where each part lives: running and merging in sim/batch_run.cpp and sim/batch_merge.cpp,
/// --runs auto in sim/convergence.cpp, replay in sim/replay.cpp, and one OutputWriter per file
/// (padsim/output_writer.hpp) behind write_batch_outputs() in sim/batch_outputs.cpp.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "padsim/error.hpp"
#include "padsim/monte_carlo.hpp"
#include "padsim/statistics.hpp"

namespace padsim {

class ResultSet;
struct StreamedStatistics;

/// The seed used when none is given, so that a plain `padsim run` is reproducible.
inline constexpr std::uint64_t kDefaultSeed = 20251127;

/// A batch stopped by its interrupt flag (SIGINT): nothing was written under a final name.
class Interrupted : public Error {
 public:
  using Error::Error;
};

/// Progress of a running batch, reported about ten times a second.
struct BatchProgress {
  std::uint64_t done = 0;    ///< replications finished
  std::uint64_t target = 0;  ///< the fixed count, or (auto) the current round's end
  std::uint64_t max = 0;     ///< the fixed count, or (auto) the maximum
  bool auto_runs = false;
};

/// How to run a batch, and the provenance that run.json records.
struct BatchOptions {
  std::uint64_t seed = kDefaultSeed;
  std::uint64_t replications = 1000;  ///< the fixed count when !auto_runs
  /// Fixed runs only: run replications [first_replication, first_replication + replications).
  /// Replication k still draws from Rng(seed, k, ...) and is stored at index k - first_replication.
  std::uint64_t first_replication = 0;
  /// `--runs auto`: run rounds of `round_size` until every headline outcome's CIs are within
  /// `tolerance` (see converged()), or `max_replications`.
  bool auto_runs = false;
  double tolerance = 0.01;
  std::uint64_t round_size = 1000;
  std::uint64_t max_replications = 100'000;
  unsigned threads = 0;             ///< 0: std::thread::hardware_concurrency()
  std::uint64_t chunk_size = 16;    ///< replications a thread takes at a time
  /// Daily series are kept for the first replications that fit in this many bytes, counted over
  /// the whole batch from replication 0 (so a range starting beyond them keeps no series).
  std::uint64_t series_memory_bytes = std::uint64_t{256} << 20;
  /// Bounded memory (padsim/bounded_batch.hpp, run_bounded_batch): statistics from summaries
  /// folded as blocks of replications end, every value kept only for replications
  /// [0, retained_replications) (0: none, and no rank correlations). Fixed runs only.
  bool bounded = false;
  std::uint64_t retained_replications = 100'000;
  /// runs.csv: after the outcomes, a `date:NAME` column (YYYY-MM-DD, UTC) for each outcome whose
  /// unit is "day" (days since the model's epoch), for readers who want calendar dates.
  bool dates = false;
  /// Also write each entity table's per-replication file (EntityTable::run_fields,
  /// runs_file_name()): one row per replication and entity. Exact batches only: a bounded batch
  /// keeps no per-replication cells to write it from.
  bool entity_runs = false;
  /// Write runs.csv and inputs.csv, a row per replication. false: the statistics files only
  /// (formatting the rows takes about 60% of the simulation's time; at 10^8 replications they are
  /// ~185 GB). A bounded batch then formats no row at all.
  bool rows = true;
  /// Bounded: replications per block, aligned on its multiples from 0 (padsim-mpi splits the batch
  /// on them). Moments are merged block by block, so the statistics depend on it: keep the default
  /// except in tests.
  std::uint64_t block_replications = 65'536;
  /// Checked between replications; when it becomes true the batch throws Interrupted.
  const std::atomic<bool>* interrupt = nullptr;
  /// Called on the calling thread while the batch runs (never from a worker).
  std::function<void(const BatchProgress&)> progress;

  // Provenance for run.json only; it does not change any result.
  std::string scenario;         ///< file name or embedded name
  std::string scenario_sha256;  ///< sha256_hex of the scenario text
  std::string command_line;
  std::vector<std::string> overrides;  ///< the scenario's `--set PATH=VALUE` overrides, in order
  /// Options that changed how the scenario was read, as given (e.g. "--deterministic").
  std::vector<std::string> mode_flags;
};

/// One criterion of the --runs auto rule, as last evaluated.
struct ConvergenceCheck {
  std::string outcome;
  std::string statistic;    ///< "mean", "p50", "p90" or "probability"
  double half_width = 0.0;  ///< of its 95% CI (+inf when a bound is beyond the horizon)
  double allowed = 0.0;     ///< the tolerance times the scale (see converged())
  bool ok = false;
};

/// Everything a batch kept, by replication index (index k holds replication
/// first_replication + k).
struct BatchResult {
  std::uint64_t seed = 0;
  std::uint64_t first_replication = 0;
  std::uint64_t replications = 0;
  unsigned threads = 0;     ///< per process
  unsigned processes = 1;   ///< processes that ran the batch (padsim-mpi)
  double wall_seconds = 0.0;
  bool auto_runs = false;
  bool converged = false;  ///< auto: the tolerance was met before the maximum
  std::vector<ConvergenceCheck> convergence;  ///< auto: the criteria at the last round

  std::size_t outcome_count = 0;
  std::size_t input_count = 0;
  std::size_t series_count = 0;
  std::size_t series_days = 0;
  std::uint64_t series_replications = 0;  ///< replications whose daily series were kept

  std::vector<double> outcomes;   ///< replications x outcome_count, row-major
  std::vector<double> inputs;     ///< replications x input_count
  /// Per entity table (Model::entity_tables()): the cells one replication reports.
  std::vector<std::size_t> table_cells;
  /// Per entity table: replications x table_cells[i], row-major.
  std::vector<std::vector<double>> tables;
  std::vector<double> series;     ///< series_replications x series_days x series_count
  /// A bounded batch's statistics over all its replications (the vectors above then hold only
  /// the retained ones); null for an exact batch.
  std::shared_ptr<const StreamedStatistics> streamed;

  double outcome(std::uint64_t replication, std::size_t j) const {
    return outcomes[replication * outcome_count + j];
  }
  /// Outcome j across all replications, in index order.
  std::vector<double> outcome_column(std::size_t j) const;
  /// Input j across all replications, in index order.
  std::vector<double> input_column(std::size_t j) const;
  /// A result with this one's seed and shape (column counts) but no replications.
  BatchResult empty_like() const;
};

/// The bytes run_batch() will hold for the results of `options` (the maximum for --runs auto):
/// 8 bytes per replication for each outcome, input and entity-table cell, plus the kept series.
/// Lets a caller refuse a batch that cannot fit before running it.
std::uint64_t batch_memory_bytes(const Model& model, const BatchOptions& options);

/// The bytes write_batch_outputs() holds at most beyond the results while it writes the files of
/// an exact batch of `options` (0 for a bounded one, folded as it ran). It grows with the batch and
/// with the threads: per replication, 8 bytes for each headline outcome's ranks and each headline
/// value outcome's sorted values (held for several files), one column more, and 20 columns per
/// thread (what a thread's jobs hold at once, and the sort and rank buffers it keeps for the next).
/// Measured with the default scenario: docs/performance.md ("Memory").
std::uint64_t outputs_memory_bytes(const Model& model, const BatchOptions& options);

/// The threads a batch of `options` runs on (and its outputs are computed on): options.threads, or
/// the hardware's (at least one) when it is 0.
unsigned batch_threads(const BatchOptions& options);

/// `options` narrowed to replications [first, first + count) of its batch, for running the batch
/// in parts (blocks, checkpoints): its progress is reported as progress of the whole batch.
BatchOptions part_options(const BatchOptions& options, std::uint64_t first, std::uint64_t count);

/// Runs the batch. Throws Interrupted when options.interrupt becomes true, and rethrows the first
/// error a replication throws (a SimulationError's message then names the replication and seed).
/// Throws Error before running anything when an entity table is declared inconsistently (a column
/// reading a field the table lacks, an unknown outcome, a file name already taken).
BatchResult run_batch(const Model& model, const BatchOptions& options);
/// The same, in the memory `room` holds (the result of an earlier batch, consumed): a caller that
/// runs a batch block by block (run_bounded_batch) lets the kernel zero its result memory once, not
/// once per block. The result does not depend on `room`.
BatchResult run_batch(const Model& model, const BatchOptions& options, BatchResult room);

/// Concatenates the results of consecutive ranges of one batch, in order, into the result of their
/// union: parts[i + 1] must start where parts[i] ends, with the same seed and shape, and fixed
/// runs. Series stay those of the first replications of the union, as one run_batch keeps them.
/// threads and wall_seconds become the maximum over the parts, processes their sum.
/// Throws Error when the parts do not fit together.
BatchResult merge_batch_results(const std::vector<BatchResult>& parts);

/// merge_batch_results() one part at a time: add() the parts in order, then take() the result.
/// Holds only the merged result, so a caller that receives the parts one by one (padsim-mpi's
/// root, rank by rank) can drop each part once added. The result is that of merge_batch_results()
/// on the same parts, byte for byte (it is how merge_batch_results() merges).
class BatchMerger {
 public:
  /// `replications` and `series_replications`: the rows and series the merged result will keep,
  /// so that its vectors are reserved once, when the first part gives their widths (a hint only).
  explicit BatchMerger(std::uint64_t replications = 0, std::uint64_t series_replications = 0);
  /// Appends the next part (left untouched). Throws Error when it does not fit the parts before.
  void add(const BatchResult& part);
  /// The same, the first part's vectors and statistics taken rather than copied (its statistics
  /// only when nothing else holds them).
  void add(BatchResult&& part);
  /// The same for a later bounded part whose statistics come as StreamedStatistics::serialize()'s
  /// words (part.streamed null): merged a column at a time, never deserialized whole.
  void add(const BatchResult& part, const std::vector<std::uint64_t>& streamed_words);
  /// The merged result; the merger is empty afterwards. Throws Error when no part was added.
  BatchResult take();

 private:
  /// Refuses a part that does not fit; `bounded` and `total`: whether it has statistics, and of
  /// how many replications.
  void check(const BatchResult& part, bool bounded, std::uint64_t total) const;
  /// Takes the first part's seed, shape and start, and `streamed` as the statistics to merge into.
  void start(const BatchResult& part, std::shared_ptr<StreamedStatistics> streamed);
  /// Counts a checked part of `total` replications, appends its vectors, and merges its
  /// statistics if it has them and is not the first.
  void append(const BatchResult& part, std::uint64_t total);

  BatchResult merged_;
  std::shared_ptr<StreamedStatistics> streamed_;  ///< merged_.streamed, writable
  std::uint64_t reserve_replications_;
  std::uint64_t reserve_series_;
  std::size_t parts_ = 0;
  std::uint64_t end_ = 0;      ///< the replication the next part must start at
  bool series_ended_ = false;  ///< a part kept fewer series than replications: later parts keep none
  bool rows_ended_ = false;    ///< (bounded) a part kept fewer rows than it ran: later parts keep none
};

/// An event outcome's counts: replications with a value (a not-applicable empty cell is left out)
/// and those in which it happened. Counted without sorting; a bounded batch's from its streamed
/// column.
struct EventCount {
  std::uint64_t n = 0;
  std::uint64_t occurred = 0;
};
EventCount event_count(const BatchResult& result, std::size_t j);

/// Statistics of outcome j as summary.csv reports them (censored: NaN of a censorable outcome).
OutcomeSummary outcome_summary(const Model& model, const BatchResult& result, std::size_t j);

/// The moments of outcome j's reached values: outcome_summary()'s `reached`, bit for bit, without
/// sorting the column (what a statistic needing only the mean or sd asks for).
RunningStats outcome_moments(const BatchResult& result, std::size_t j);

namespace detail {
class RankedColumn;
}  // namespace detail

/// The statistics of a batch that more than one of its outputs asks for, each computed once, by
/// whichever output asks first (another asking meanwhile waits; safe from several threads): the
/// summaries of headline value outcomes and the counts of event outcomes (summary.csv and the
/// command line's report), and outcome columns ranked for rank correlations (sensitivity.csv and
/// an entity table). Any other outcome's summary is computed at each ask and not kept: a summary
/// holds its outcome's sorted values, 8 bytes per replication. `model` and `result` must outlive
/// it.
class BatchStatistics {
 public:
  BatchStatistics(const Model& model, const BatchResult& result);
  ~BatchStatistics();
  BatchStatistics(const BatchStatistics&) = delete;
  BatchStatistics& operator=(const BatchStatistics&) = delete;

  /// outcome_summary(model, result, j).
  std::shared_ptr<const OutcomeSummary> summary(std::size_t j) const;
  /// event_count(result, j).
  EventCount events(std::size_t j) const;
  /// Outcome j prepared for rank correlations and ranked (for the output writers).
  const detail::RankedColumn& ranked(std::size_t j) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Whether every headline outcome is estimated within `tolerance` (the --runs auto rule):
/// a value outcome's 95% CIs of the mean, P50 and P90 each have half-width <= tolerance x
/// max(|estimate|, sd) (a percentile whose CI lies wholly beyond the horizon counts as known);
/// an event outcome's Wilson 95% interval has half-width <= tolerance (absolute probability).
bool converged(const Model& model, const BatchResult& result, double tolerance);
/// Each criterion of converged(), for reporting which outcome is not yet within tolerance.
std::vector<ConvergenceCheck> convergence_checks(const Model& model, const BatchResult& result,
                                                 double tolerance);

/// The names of the files write_batch_outputs() writes for `model`, in the order it writes them.
std::vector<std::string> batch_output_files(const Model& model);
/// The same, with the files `options` adds (BatchOptions::entity_runs) or leaves out
/// (BatchOptions::rows).
std::vector<std::string> batch_output_files(const Model& model, const BatchOptions& options);

/// Writes runs.csv, summary.csv, one file per entity table of the model, sensitivity.csv,
/// timeseries.csv and run.json into `dir` (created if needed) as one ResultSet
/// (padsim/result_set.hpp): `dir` holds the previous complete set until the new one is published
/// in one step, so an error, an interrupt (checked before publishing; throws Interrupted) or a
/// kill never leaves a partial or mixed set; a file of the batch that `options` leave out
/// (runs.csv without BatchOptions::rows, a per-replication entity file) is removed from `dir`.
/// Throws Error when the model's entity tables are declared inconsistently or do not match
/// `result`.
/// Throws OutputError naming the path when `dir` cannot be written.
/// `statistics` (of this model and result) lets a caller that reports more of them afterwards
/// reuse what the files computed; without, the files share statistics of their own.
void write_batch_outputs(const Model& model, const BatchResult& result, const BatchOptions& options,
                         const std::filesystem::path& dir, const BatchStatistics* statistics = nullptr);
/// The same files into an open result set, not committed; for a bounded batch, every file but
/// runs.csv and inputs.csv (run_bounded_batch streamed them).
void write_batch_outputs(const Model& model, const BatchResult& result, const BatchOptions& options,
                         ResultSet& set, const BatchStatistics* statistics = nullptr);

/// Re-runs replication `replication` of the batch seeded `seed` alone, sending its events to
/// `trace` (may be null). The result equals what the batch stored for that index.
ReplicationResult replay(const Model& model, std::uint64_t seed, std::uint64_t replication,
                         TraceSink* trace);

/// The replication at percentile p (in [0, 1]) of outcome j of `result`: replications are ordered
/// by their value (a censored value of a censorable outcome is beyond the horizon and sorts last,
/// as in summary.csv; a not-applicable one takes no part), ties by replication index, and the one
/// at 0-based rank floor((n - 1) p + 0.5) is taken, the order statistic nearest to the type-7
/// percentile. Throws Error when no replication has a value.
std::uint64_t replication_at(const Model& model, const BatchResult& result, std::size_t j, double p);

/// Writes runs.csv into `dir` with the batch's header and the one row of `result`, byte for byte
/// as run_batch's runs.csv has it at row `replication`.
void write_replay_runs(const Model& model, std::uint64_t seed, std::uint64_t replication,
                       const ReplicationResult& result, const std::filesystem::path& dir);

}  // namespace padsim
