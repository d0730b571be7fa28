#pragma once
// The writers of a batch's files (one source file each) and what several of them share. Private to
// the engine: padsim/output_writer.hpp is the interface.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <streambuf>
#include <string>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "padsim/calendar.hpp"
#include "padsim/csv.hpp"
#include "padsim/output_writer.hpp"
#include "padsim/statistics.hpp"

namespace padsim::detail {

/// Runs independent jobs on up to `threads` threads (the caller's among them); the first exception
/// in job order is rethrown once all have ended.
void run_jobs(const std::vector<std::function<void()>>& jobs, unsigned threads);

/// A stream buffer appending to a std::string: a part's text (OrderedFile), or an entity's row.
class StringBuf final : public std::streambuf {
 public:
  explicit StringBuf(std::string& text) : text_(&text) {}

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;

 private:
  std::string* text_;
};

/// Rows of a row file (runs.csv, inputs.csv, per-replication entity files) per part formatted in
/// parallel: ~600 KB of runs.csv, small enough to stay in cache from its formatting to its copy
/// into the file (parts of 4096 rows, 5 MB, did not: runs.csv took 0.5-0.65 s of CPU at 10^5
/// replications on two threads against 0.36-0.41 s), large enough that a part's overhead is nothing.
inline constexpr std::uint64_t kRowsPerPart = 512;

/// Text buffers recycled from part to part of files formatted in parallel (OrderedFile): an
/// ostringstream per part grew by doubling each time, and the freed buffers, too small for the
/// next part's last doubling, left the heap growing by a part's size per part. Thread-safe.
class TextPool {
 public:
  /// An empty buffer, with the capacity of one given back earlier if any.
  std::string take();
  /// Takes `text` back, cleared, for a later take().
  void give(std::string text);

 private:
  std::mutex mutex_;
  std::vector<std::string> texts_;
};

/// A file written in parts that jobs format in parallel, each into its own buffer, so that its
/// bytes do not depend on how the jobs are spread over threads. A part is written as soon as the
/// parts before it are, so only the parts being formatted, or done before an earlier one, are
/// held: not the whole file (runs.csv alone is ~1.2 KB per replication).
class OrderedFile {
 public:
  OrderedFile(std::ostream& file, std::size_t parts, TextPool& pool);
  /// Formats part `part` with `format` into a buffer from the pool, then writes every part that is
  /// now next in order. Safe to call from several threads, once per part.
  void write_part(std::size_t part, const std::function<void(std::ostream&)>& format);

 private:
  std::ostream* file_;
  TextPool* pool_;
  std::mutex mutex_;
  std::vector<std::string> texts_;  // formatted parts not yet written
  std::vector<bool> done_;
  std::size_t next_ = 0;  // the first part not yet in the file
};

std::unique_ptr<OutputWriter> make_runs_writer();
std::unique_ptr<OutputWriter> make_summary_writer();
/// Writes entity table `table` of the model (Model::entity_tables()).
std::unique_ptr<OutputWriter> make_entity_table_writer(const EntityTable& table, std::size_t index);
/// Writes entity table `index`'s per-replication file (EntityTable::run_fields).
std::unique_ptr<OutputWriter> make_entity_runs_writer(const EntityTable& table, std::size_t index);
std::unique_ptr<OutputWriter> make_sensitivity_writer();
std::unique_ptr<OutputWriter> make_timeseries_writer();
std::unique_ptr<OutputWriter> make_run_json_writer();

std::unique_ptr<OutputWriter> make_inputs_writer();
std::unique_ptr<OutputWriter> make_columns_writer();

/// columns.csv's row for an outcome column (runs.csv): its unit, kind and what an empty cell means.
ColumnInfo outcome_column(const OutcomeInfo& outcome);

/// Parts of a file of one row per replication (runs.csv, inputs.csv): blocks of rows formatted in
/// parallel when the batch ran on several threads, else one part written straight to the file.
std::size_t row_parts(const BatchOutput& batch);
/// The replications (indices into the result) of part `part` of row_parts(batch).
std::pair<std::uint64_t, std::uint64_t> row_range(const BatchOutput& batch, std::size_t part);

/// runs.csv's optional date columns (BatchOptions::dates): one per outcome whose unit is "day".
class DateColumns {
 public:
  /// No columns unless `enabled`; throws Error when enabled and the model's epoch cannot be read.
  DateColumns(const Model& model, bool enabled);
  /// The columns as columns.csv describes them.
  std::vector<ColumnInfo> columns(const Model& model) const;
  void header(CsvWriter& csv, const Model& model) const;
  /// The date of each day outcome among `values` (empty where the value is).
  void cells(CsvWriter& csv, const double* values) const;

 private:
  std::vector<std::size_t> outcomes_;
  std::optional<Calendar> calendar_;
};

/// runs.csv's header row, with the date columns of `dates` (may be null) after the outcomes.
void write_runs_header(CsvWriter& csv, const Model& model, const DateColumns* dates = nullptr);
/// One runs.csv row: replication k of the batch seeded `seed`, its `count` outcomes, then the
/// date columns of `dates` (may be null).
void write_runs_row(CsvWriter& csv, std::uint64_t seed, std::uint64_t k, const double* values,
                    std::size_t count, const DateColumns* dates = nullptr);

/// inputs.csv's header row, and one row: replication k's `count` sampled inputs.
void write_inputs_header(CsvWriter& csv, const Model& model);
void write_inputs_row(CsvWriter& csv, std::uint64_t k, const double* values, std::size_t count);

/// Censored values and unbounded CI ends are +/-inf in the statistics; a CSV cell shows them
/// empty (the `censored` column says how many replications lie beyond the horizon).
void finite_cell(CsvWriter& csv, double x);

/// Outcome j across the batch prepared for rank correlation: censored values +inf, not-applicable
/// ones NaN.
std::vector<double> ranking_column(const Model& model, const BatchResult& result, std::size_t j);

/// A column for Spearman correlations, ranked once when it has no NaN (the common case), since
/// ranking is the cost that matters with 10^5 replications. A ranked column keeps its ranks only:
/// they have its values' order and ties, so a correlation with a column that has NaN (whose pairs
/// are dropped and the rest ranked anew) comes out of them bit for bit as out of the values, and
/// the memory of a sensitivity.csv (a column per input) is halved.
class RankedColumn {
 public:
  explicit RankedColumn(std::vector<double> values);
  bool complete() const { return complete_; }
  std::size_t size() const { return column_.size(); }
  /// The ranks (complete), else the values, NaN where missing.
  const std::vector<double>& column() const { return column_; }
  /// The ranks' mean and squares (when complete), for correlations with many other columns.
  const Centred& centred_ranks() const { return centred_; }

 private:
  std::vector<double> column_;
  bool complete_ = false;
  Centred centred_;
};

/// Spearman correlation of two columns of equal length (pairs with a NaN left out).
double rank_correlation(const RankedColumn& a, const RankedColumn& b);

}  // namespace padsim::detail
