#pragma once
/// The files of a batch, one writer each: write_batch_outputs() asks every writer for its parts,
/// computes all parts of all files in parallel (each part into its own buffer) and concatenates
/// each file's parts in order, so the bytes never depend on the thread count.

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "padsim/batch.hpp"

namespace padsim {

/// What a batch's files are computed from.
struct BatchOutput {
  const Model& model;
  const BatchResult& result;
  const BatchOptions& options;
  /// What more than one file asks for, computed once (of the same model and result).
  const BatchStatistics& statistics;
};

/// One column of a CSV file of a batch, as columns.csv describes it.
struct ColumnInfo {
  std::string name;
  std::string unit;         ///< "" when it has none
  std::string kind;         ///< "id", "text", "value", "event", "count", "share", "correlation"
  std::string empty_means;  ///< what an empty cell means; "" when a cell is never empty
  std::string description;
};

/// Writes one file of a batch's outputs.
class OutputWriter {
 public:
  virtual ~OutputWriter() = default;
  /// The file's name in the output directory.
  virtual std::string file_name() const = 0;
  /// Independent pieces the file is written in, concatenated in order; more than one lets a
  /// costly file be computed on several threads.
  virtual std::size_t parts(const BatchOutput&) const { return 1; }
  /// Writes piece `part` (< parts()) of the file.
  virtual void write(const BatchOutput& batch, std::size_t part, std::ostream& out) const = 0;
  /// The file's columns in order, for columns.csv (options that add columns, e.g. dates, taken
  /// into account); empty for a file that is not CSV.
  virtual std::vector<ColumnInfo> columns(const Model& model, const BatchOptions& options) const = 0;
};

/// The writers of `model`'s batch files, in the order batch_output_files() lists them: runs.csv,
/// inputs.csv (unless BatchOptions::rows is false), summary.csv, one per entity table (each
/// followed, with BatchOptions::entity_runs, by its per-replication file when it declares one),
/// sensitivity.csv, timeseries.csv, columns.csv, run.json.
std::vector<std::unique_ptr<OutputWriter>> batch_output_writers(const Model& model,
                                                                const BatchOptions& options = {});

}  // namespace padsim
