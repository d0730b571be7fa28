// Merging the results of consecutive ranges of one batch (padsim-mpi runs one range per process).
#include "padsim/batch.hpp"

#include "padsim/bounded_batch.hpp"

#include <algorithm>
#include <string>
#include <utility>

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

namespace {

/// `stats` with every column copied, so that merging into the copy leaves `stats` untouched.
std::shared_ptr<StreamedStatistics> deep_copy(const StreamedStatistics& stats) {
  auto copy = std::make_shared<StreamedStatistics>(stats);
  for (auto& c : copy->outcomes) c = std::make_shared<StreamedColumn>(*c);
  for (auto& table : copy->tables)
    for (auto& c : table) c = std::make_shared<StreamedColumn>(*c);
  return copy;
}

/// `held`'s statistics to merge into: taken (`held` then null) when nothing else holds them, with
/// any column something else holds copied; all copied otherwise.
std::shared_ptr<StreamedStatistics> take_statistics(std::shared_ptr<const StreamedStatistics>& held) {
  if (held.use_count() != 1) return deep_copy(*held);
  auto taken = std::make_shared<StreamedStatistics>(*held);  // the columns shared, not copied
  held.reset();                                               // and now only `taken`'s
  auto own = [](std::shared_ptr<StreamedColumn>& c) {
    if (c.use_count() != 1) c = std::make_shared<StreamedColumn>(*c);
  };
  for (auto& c : taken->outcomes) own(c);
  for (auto& table : taken->tables)
    for (auto& c : table) own(c);
  return taken;
}

}  // namespace

BatchMerger::BatchMerger(std::uint64_t replications, std::uint64_t series_replications)
    : reserve_replications_(replications), reserve_series_(series_replications) {}

void BatchMerger::check(const BatchResult& p, bool bounded, std::uint64_t total) const {
  const std::size_t i = parts_;
  const auto fail = [i](const std::string& why) {
    throw Error("merge_batch_results: part " + std::to_string(i) + " " + why);
  };
  if (p.auto_runs) fail("is a --runs auto batch");
  if (p.outcomes.size() != p.replications * p.outcome_count ||
      p.inputs.size() != p.replications * p.input_count || p.tables.size() != p.table_cells.size() ||
      p.series.size() != p.series_replications * p.series_days * p.series_count ||
      p.series_replications > p.replications || (bounded && p.replications > total))
    fail("has vectors of the wrong size");
  for (std::size_t t = 0; t < p.tables.size(); ++t)
    if (p.tables[t].size() != p.replications * p.table_cells[t]) fail("has vectors of the wrong size");
  if (i == 0) return;  // the first part sets what the others must fit
  if (p.seed != merged_.seed) fail("has another seed");
  if (p.first_replication != end_)
    fail("starts at replication " + std::to_string(p.first_replication) + ", not " + std::to_string(end_));
  if (p.outcome_count != merged_.outcome_count || p.input_count != merged_.input_count ||
      p.table_cells != merged_.table_cells || p.series_count != merged_.series_count ||
      p.series_days != merged_.series_days)
    fail("has another shape");
  if (series_ended_ && p.series_replications != 0) fail("keeps series after a gap");
  if (bounded != bool{streamed_}) fail("mixes bounded and exact batches");
  if (rows_ended_ && p.replications != 0) fail("keeps rows after a gap");
}

void BatchMerger::start(const BatchResult& p, std::shared_ptr<StreamedStatistics> streamed) {
  merged_ = p.empty_like();
  merged_.first_replication = end_ = p.first_replication;
  merged_.processes = 0;
  streamed_ = std::move(streamed);
  merged_.streamed = streamed_;
}

void BatchMerger::append(const BatchResult& p, std::uint64_t total) {
  if (parts_ == 0) {
    merged_.outcomes.reserve(reserve_replications_ * merged_.outcome_count);
    merged_.inputs.reserve(reserve_replications_ * merged_.input_count);
    for (std::size_t t = 0; t < merged_.tables.size(); ++t)
      merged_.tables[t].reserve(reserve_replications_ * merged_.table_cells[t]);
    merged_.series.reserve(reserve_series_ * merged_.series_days * merged_.series_count);
  }
  // Every later range's statistics merge into the first's, in order: block moments are appended
  // and sketch counts added, so merging one part at a time is merging them all at once.
  if (parts_ > 0 && p.streamed) streamed_->merge(*p.streamed);
  series_ended_ = series_ended_ || p.series_replications < p.replications;
  rows_ended_ = rows_ended_ || p.replications < total;
  end_ += total;
  ++parts_;
  merged_.replications += p.replications;
  merged_.series_replications += p.series_replications;
  merged_.threads = std::max(merged_.threads, p.threads);
  merged_.processes += p.processes;
  merged_.wall_seconds = std::max(merged_.wall_seconds, p.wall_seconds);
  merged_.outcomes.insert(merged_.outcomes.end(), p.outcomes.begin(), p.outcomes.end());
  merged_.inputs.insert(merged_.inputs.end(), p.inputs.begin(), p.inputs.end());
  for (std::size_t t = 0; t < merged_.tables.size(); ++t)
    merged_.tables[t].insert(merged_.tables[t].end(), p.tables[t].begin(), p.tables[t].end());
  merged_.series.insert(merged_.series.end(), p.series.begin(), p.series.end());
}

void BatchMerger::add(const BatchResult& part) {
  const std::uint64_t total = total_replications(part);
  check(part, bool{part.streamed}, total);
  if (parts_ == 0) start(part, part.streamed ? deep_copy(*part.streamed) : nullptr);
  append(part, total);
}

void BatchMerger::add(BatchResult&& part) {
  const std::uint64_t total = total_replications(part);
  check(part, bool{part.streamed}, total);
  if (parts_ > 0) {
    append(part, total);
    return;
  }
  start(part, part.streamed ? take_statistics(part.streamed) : nullptr);
  merged_.outcomes = std::exchange(part.outcomes, {});
  merged_.inputs = std::exchange(part.inputs, {});
  merged_.tables = std::exchange(part.tables, std::vector<std::vector<double>>(merged_.tables.size()));
  merged_.series = std::exchange(part.series, {});
  append(part, total);  // counts the part; its vectors, now empty, add nothing
}

void BatchMerger::add(const BatchResult& part, const std::vector<std::uint64_t>& streamed_words) {
  if (parts_ == 0) throw Error("merge_batch_results: the first part's statistics must come whole");
  if (part.streamed || streamed_words.empty())
    throw Error("merge_batch_results: part " + std::to_string(parts_) + " must come with serialized statistics alone");
  const std::uint64_t total = streamed_words.front();  // serialize() begins with the replications
  check(part, true, total);
  streamed_->merge_serialized(streamed_words);
  append(part, total);
}

BatchResult BatchMerger::take() {
  if (parts_ == 0) throw Error("merge_batch_results: no parts");
  BatchResult merged = std::move(merged_);
  *this = BatchMerger();
  return merged;
}

BatchResult merge_batch_results(const std::vector<BatchResult>& parts) {
  std::uint64_t replications = 0, series_replications = 0;
  for (const BatchResult& p : parts) {
    replications += p.replications;
    series_replications += p.series_replications;
  }
  BatchMerger merger(replications, series_replications);
  for (const BatchResult& p : parts) merger.add(p);
  return merger.take();
}

}  // namespace padsim
