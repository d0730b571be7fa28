// Merging the results of consecutive ranges of one batch (padsim-mpi runs one range per process).
#include "padsim/batch.hpp"

#include "padsim/bounded_batch.hpp"

#include <algorithm>
#include <string>

namespace padsim {

BatchResult BatchResult::empty_like() const {
  BatchResult shape;
  shape.seed = seed;
  shape.outcome_count = outcome_count;
  shape.input_count = input_count;
  shape.table_cells = table_cells;
  shape.tables.resize(table_cells.size());
  shape.series_count = series_count;
  shape.series_days = series_days;
  return shape;
}

BatchResult merge_batch_results(const std::vector<BatchResult>& parts) {
  if (parts.empty()) throw Error("merge_batch_results: no parts");
  const BatchResult& head = parts.front();
  BatchResult merged = head.empty_like();
  merged.first_replication = head.first_replication;
  merged.processes = 0;
  std::uint64_t end = head.first_replication;
  bool series_ended = false;  // a part kept fewer series than replications: later parts keep none
  bool rows_ended = false;    // (bounded) a part kept fewer rows than it ran: later parts keep none
  // (bounded) The head's statistics copied, columns too, so that merging leaves the parts untouched.
  std::shared_ptr<StreamedStatistics> streamed;
  if (head.streamed) {
    streamed = std::make_shared<StreamedStatistics>(*head.streamed);
    for (auto& c : streamed->outcomes) c = std::make_shared<StreamedColumn>(*c);
    for (auto& table : streamed->tables)
      for (auto& c : table) c = std::make_shared<StreamedColumn>(*c);
    merged.streamed = streamed;
  }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const BatchResult& p = parts[i];
    const auto fail = [i](const std::string& why) {
      throw Error("merge_batch_results: part " + std::to_string(i) + " " + why);
    };
    if (p.auto_runs) fail("is a --runs auto batch");
    if (p.seed != head.seed) fail("has another seed");
    if (p.first_replication != end)
      fail("starts at replication " + std::to_string(p.first_replication) + ", not " +
           std::to_string(end));
    if (p.outcome_count != head.outcome_count || p.input_count != head.input_count ||
        p.table_cells != head.table_cells || p.series_count != head.series_count ||
        p.series_days != head.series_days)
      fail("has another shape");
    if (p.outcomes.size() != p.replications * p.outcome_count ||
        p.inputs.size() != p.replications * p.input_count ||
        p.tables.size() != p.table_cells.size() ||
        p.series.size() != p.series_replications * p.series_days * p.series_count ||
        p.series_replications > p.replications)
      fail("has vectors of the wrong size");
    for (std::size_t t = 0; t < p.tables.size(); ++t)
      if (p.tables[t].size() != p.replications * p.table_cells[t]) fail("has vectors of the wrong size");
    if (series_ended && p.series_replications != 0) fail("keeps series after a gap");
    series_ended = series_ended || p.series_replications < p.replications;
    if (bool{p.streamed} != bool{head.streamed}) fail("mixes bounded and exact batches");
    if (rows_ended && p.replications != 0) fail("keeps rows after a gap");
    rows_ended = rows_ended || p.replications < total_replications(p);
    end += total_replications(p);
    if (i > 0 && p.streamed) streamed->merge(*p.streamed);
    merged.replications += p.replications;
    merged.series_replications += p.series_replications;
    merged.threads = std::max(merged.threads, p.threads);
    merged.processes += p.processes;
    merged.wall_seconds = std::max(merged.wall_seconds, p.wall_seconds);
  }
  merged.outcomes.reserve(merged.replications * merged.outcome_count);
  merged.inputs.reserve(merged.replications * merged.input_count);
  for (std::size_t t = 0; t < merged.tables.size(); ++t)
    merged.tables[t].reserve(merged.replications * merged.table_cells[t]);
  merged.series.reserve(merged.series_replications * merged.series_days * merged.series_count);
  for (const BatchResult& p : parts) {
    merged.outcomes.insert(merged.outcomes.end(), p.outcomes.begin(), p.outcomes.end());
    merged.inputs.insert(merged.inputs.end(), p.inputs.begin(), p.inputs.end());
    for (std::size_t t = 0; t < merged.tables.size(); ++t)
      merged.tables[t].insert(merged.tables[t].end(), p.tables[t].begin(), p.tables[t].end());
    merged.series.insert(merged.series.end(), p.series.begin(), p.series.end());
  }
  return merged;
}

}  // namespace padsim
