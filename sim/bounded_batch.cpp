// Bounded-memory batches: blocks of replications run by run_batch, folded into streamed columns
// and written out as they end (padsim/bounded_batch.hpp).
#include "padsim/bounded_batch.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "large_vector.hpp"
#include "output_writers.hpp"
#include "replication_shape.hpp"
#include "strided.hpp"

namespace padsim {

namespace {

std::shared_ptr<StreamedColumn> column(bool censorable) {
  auto c = std::make_shared<StreamedColumn>();
  c->censorable = censorable;
  return c;
}

/// Appends rows [0, to) of `block` to `into`, which holds the rows before; moves the vectors when
/// `into` is empty and takes the whole block (a copy of the daily series alone is 256 MB).
void append_rows(BatchResult& block, std::uint64_t to, BatchResult& into) {
  if (into.replications == 0 && to == block.replications) {
    into.outcomes = std::move(block.outcomes);
    into.inputs = std::move(block.inputs);
    into.tables = std::move(block.tables);
    into.series = std::move(block.series);
    into.series_replications = block.series_replications;
    into.replications = block.replications;
    return;
  }
  auto append = [to](const std::vector<double>& source, std::size_t stride, std::vector<double>& target,
                     std::uint64_t rows) {
    target.insert(target.end(), source.begin(),
                  source.begin() + static_cast<std::ptrdiff_t>(std::min(to, rows) * stride));
  };
  append(block.outcomes, block.outcome_count, into.outcomes, to);
  append(block.inputs, block.input_count, into.inputs, to);
  for (std::size_t t = 0; t < block.tables.size(); ++t)
    append(block.tables[t], block.table_cells[t], into.tables[t], to);
  append(block.series, block.series_days * block.series_count, into.series, block.series_replications);
  into.series_replications += std::min(to, block.series_replications);
  into.replications += to;
}

/// runs.csv's and inputs.csv's rows of `block`, formatted in parallel parts and written in order.
void write_rows(const BatchResult& block, const RowStreams& rows, const detail::DateColumns& dates,
                unsigned threads) {
  const std::uint64_t parts = (block.replications + detail::kRowsPerPart - 1) / detail::kRowsPerPart;
  detail::TextPool pool;
  std::vector<std::unique_ptr<detail::OrderedFile>> files;
  std::vector<std::function<void()>> jobs;
  // One job per part of a file: `row` writes row k of the block.
  auto add = [&](std::ostream* stream, auto row) {
    if (stream == nullptr) return;
    detail::OrderedFile& file = *files.emplace_back(std::make_unique<detail::OrderedFile>(*stream, parts, pool));
    for (std::uint64_t p = 0; p < parts; ++p)
      jobs.emplace_back([&file, row, p, &block] {
        file.write_part(p, [&](std::ostream& out) {
          CsvWriter csv(out);
          const std::uint64_t from = p * detail::kRowsPerPart;
          for (std::uint64_t k = from; k < std::min(block.replications, from + detail::kRowsPerPart); ++k)
            row(csv, k);
        });
      });
  };
  add(rows.runs, [&block, &dates](CsvWriter& csv, std::uint64_t k) {
    detail::write_runs_row(csv, block.seed, block.first_replication + k,
                           block.outcomes.data() + k * block.outcome_count, block.outcome_count, &dates);
  });
  add(rows.inputs, [&block](CsvWriter& csv, std::uint64_t k) {
    detail::write_inputs_row(csv, block.first_replication + k, block.inputs.data() + k * block.input_count,
                             block.input_count);
  });
  detail::run_jobs(jobs, threads);
}

}  // namespace

void StreamedColumn::add_block(const double* values, std::size_t count, std::size_t stride) {
  RunningStats stats;
  detail::for_each_strided(values, count, stride, [&](double v) {
    if (std::isnan(v)) {
      if (!censorable) return;
      ++censored;
      ++nonzero;
      sketch.add(std::numeric_limits<double>::infinity());
    } else {
      stats.add(v);
      sketch.add(v);
      if (v != 0.0) ++nonzero;
    }
    ++n;
  });
  cells += count;
  blocks.push_back(stats);
}

void StreamedColumn::merge(const StreamedColumn& later) {
  cells += later.cells;
  n += later.n;
  censored += later.censored;
  nonzero += later.nonzero;
  blocks.insert(blocks.end(), later.blocks.begin(), later.blocks.end());
  sketch.merge(later.sketch);
}

RunningStats StreamedColumn::reached() const {
  RunningStats all;
  for (const RunningStats& b : blocks) all.merge(b);
  return all;
}

OutcomeSummary summary_of(const std::shared_ptr<const StreamedColumn>& column) {
  OutcomeSummary s;
  s.n = column->n;
  s.censored = column->censored;
  s.nonzero = column->nonzero;
  s.reached = column->reached();
  s.sketch = std::shared_ptr<const QuantileSketch>(column, &column->sketch);
  s.sketch_order.emplace(*s.sketch);
  return s;
}

void StreamedStatistics::merge(const StreamedStatistics& later) {
  if (later.outcomes.size() != outcomes.size() || later.tables.size() != tables.size())
    throw Error("streamed statistics of another shape");
  replications += later.replications;
  for (std::size_t j = 0; j < outcomes.size(); ++j) outcomes[j]->merge(*later.outcomes[j]);
  for (std::size_t t = 0; t < tables.size(); ++t) {
    if (later.tables[t].size() != tables[t].size()) throw Error("streamed statistics of another shape");
    for (std::size_t c = 0; c < tables[t].size(); ++c) tables[t][c]->merge(*later.tables[t][c]);
  }
}

namespace {

void put_double(std::vector<std::uint64_t>& words, double x) { words.push_back(std::bit_cast<std::uint64_t>(x)); }

/// Reads words in order, refusing to read past the end.
class WordReader {
 public:
  explicit WordReader(const std::vector<std::uint64_t>& words) : words_(words) {}
  std::uint64_t next() {
    if (at_ >= words_.size()) throw Error("serialized streamed statistics end too early");
    return words_[at_++];
  }
  double next_double() { return std::bit_cast<double>(next()); }
  const std::uint64_t* take(std::size_t count) {
    if (count > words_.size() - at_) throw Error("serialized streamed statistics end too early");
    at_ += count;
    return words_.data() + (at_ - count);
  }
  bool done() const { return at_ == words_.size(); }

 private:
  const std::vector<std::uint64_t>& words_;
  std::size_t at_ = 0;
};

void put_column(std::vector<std::uint64_t>& words, const StreamedColumn& c) {
  words.insert(words.end(), {std::uint64_t{c.censorable}, c.cells, c.n, c.censored, c.nonzero, c.blocks.size()});
  for (const RunningStats& b : c.blocks) {
    const RunningStats::State s = b.state();
    words.push_back(s.n);
    for (const double x : {s.mean, s.m2, s.min, s.max}) put_double(words, x);
  }
  const std::vector<std::uint64_t> sketch = c.sketch.serialize();
  words.push_back(sketch.size());
  words.insert(words.end(), sketch.begin(), sketch.end());
}

std::shared_ptr<StreamedColumn> get_column(WordReader& in) {
  auto c = std::make_shared<StreamedColumn>();
  c->censorable = in.next() != 0;
  c->cells = in.next();
  c->n = in.next();
  c->censored = in.next();
  c->nonzero = in.next();
  const std::uint64_t blocks = in.next();
  for (std::uint64_t b = 0; b < blocks; ++b) {
    RunningStats::State s;
    s.n = in.next();
    s.mean = in.next_double();
    s.m2 = in.next_double();
    s.min = in.next_double();
    s.max = in.next_double();
    c->blocks.push_back(RunningStats::from_state(s));
  }
  const std::uint64_t size = in.next();
  c->sketch = QuantileSketch::deserialize(in.take(size), size);
  return c;
}

}  // namespace

std::vector<std::uint64_t> StreamedStatistics::serialize() const {
  std::vector<std::uint64_t> words = {replications, outcomes.size(), tables.size()};
  for (const auto& table : tables) words.push_back(table.size());
  for (const auto& c : outcomes) put_column(words, *c);
  for (const auto& table : tables)
    for (const auto& c : table) put_column(words, *c);
  return words;
}

StreamedStatistics StreamedStatistics::deserialize(const std::vector<std::uint64_t>& words) {
  WordReader in(words);
  StreamedStatistics s;
  s.replications = in.next();
  const std::uint64_t outcomes = in.next();
  std::vector<std::uint64_t> cells(in.next());
  for (std::uint64_t& c : cells) c = in.next();
  for (std::uint64_t j = 0; j < outcomes; ++j) s.outcomes.push_back(get_column(in));
  for (const std::uint64_t count : cells) {
    s.tables.emplace_back();
    for (std::uint64_t c = 0; c < count; ++c) s.tables.back().push_back(get_column(in));
  }
  if (!in.done()) throw Error("serialized streamed statistics have words left over");
  return s;
}

void StreamedStatistics::merge_serialized(const std::vector<std::uint64_t>& words) {
  WordReader in(words);
  const std::uint64_t later = in.next();
  bool same_shape = in.next() == outcomes.size() && in.next() == tables.size();
  for (std::size_t t = 0; same_shape && t < tables.size(); ++t) same_shape = in.next() == tables[t].size();
  if (!same_shape) throw Error("streamed statistics of another shape");
  replications += later;
  for (const auto& c : outcomes) c->merge(*get_column(in));
  for (const auto& table : tables)
    for (const auto& c : table) c->merge(*get_column(in));
  if (!in.done()) throw Error("serialized streamed statistics have words left over");
}

std::uint64_t bounded_batch_memory_bytes(const Model& model, const BatchOptions& options) {
  const detail::ReplicationShape shape = detail::shape_of(model);
  std::uint64_t columns = shape.outcomes;
  for (const std::size_t cells : shape.table_cells) columns += cells;
  const std::uint64_t per_replication = (columns + shape.inputs) * sizeof(double);
  const std::uint64_t block = std::min(options.replications, options.block_replications);
  const std::uint64_t retained = std::min(options.replications, options.retained_replications);
  const std::uint64_t series_cap =
      shape.series == 0 ? 0 : options.series_memory_bytes / (shape.series * sizeof(double));
  const std::uint64_t series = std::min(retained, series_cap) * shape.series * sizeof(double);
  // A block's values (the text of its rows is held a part at a time, under a megabyte per
  // thread), and a sketch's pages per column (a few powers of two of 64 KB each: 256 KB is
  // generous for day outcomes).
  return block * per_replication + retained * per_replication + series + columns * (256u << 10);
}

std::uint64_t total_replications(const BatchResult& result) {
  return result.streamed ? result.streamed->replications : result.replications;
}

BatchResult run_bounded_batch(const Model& model, const BatchOptions& options, const RowStreams& rows) {
  if (options.auto_runs) throw Error("a bounded-memory batch needs a fixed number of replications");
  const std::uint64_t first = options.first_replication;
  const std::uint64_t block_size = std::max<std::uint64_t>(1, options.block_replications);
  if (first % block_size != 0 && options.replications != 0)
    throw Error("a bounded-memory range must start on a block of " + std::to_string(block_size) +
                " replications, not at " + std::to_string(first));
  const auto started = std::chrono::steady_clock::now();
  const detail::ReplicationShape shape = detail::shape_of(model);
  const std::uint64_t end = first + options.replications;

  auto stats = std::make_shared<StreamedStatistics>();
  for (const OutcomeInfo& o : model.outcomes())
    stats->outcomes.push_back(column(o.censorable && o.kind == OutcomeKind::kValue));
  for (const std::size_t cells : shape.table_cells) {
    stats->tables.emplace_back();
    for (std::size_t c = 0; c < cells; ++c) stats->tables.back().push_back(column(false));
  }
  const detail::DateColumns dates(model, options.dates);
  if (rows.headers) {
    if (rows.runs) {
      CsvWriter csv(*rows.runs);
      detail::write_runs_header(csv, model, &dates);
    }
    if (rows.inputs) {
      CsvWriter csv(*rows.inputs);
      detail::write_inputs_header(csv, model);
    }
  }

  BatchResult retained;
  BatchResult block;  // each block runs in the memory of the one before
  // The first block's vectors become `retained` (append_rows): room for every retained row then
  // spares a reallocation, and a copy of the first block, when the second block adds its rows.
  const std::uint64_t kept =
      first < options.retained_replications ? std::min(end, options.retained_replications) - first : 0;
  if (kept > block_size) {
    detail::reserve_large(block.outcomes, kept * shape.outcomes);
    detail::reserve_large(block.inputs, kept * shape.inputs);
    block.tables.resize(shape.table_cells.size());
    for (std::size_t t = 0; t < shape.table_cells.size(); ++t)
      detail::reserve_large(block.tables[t], kept * shape.table_cells[t]);
  }
  for (std::uint64_t begin = first; begin < end || begin == first;) {
    const std::uint64_t block_end = std::min(end, (begin / block_size + 1) * block_size);
    BatchOptions block_options = part_options(options, begin, block_end - begin);
    block_options.bounded = false;
    block = run_batch(model, block_options, std::move(block));
    if (begin == first) {
      retained = block.empty_like();
      retained.first_replication = first;
      retained.threads = block.threads;
    }
    // Fold every column (one job each, values in replication order), and write the rows.
    std::vector<std::function<void()>> jobs;
    for (std::size_t j = 0; j < shape.outcomes; ++j)
      jobs.emplace_back([&, j] {
        stats->outcomes[j]->add_block(block.outcomes.data() + j, block.replications, shape.outcomes);
      });
    for (std::size_t t = 0; t < shape.table_cells.size(); ++t)
      for (std::size_t c = 0; c < shape.table_cells[t]; ++c)
        jobs.emplace_back([&, t, c] {
          stats->tables[t][c]->add_block(block.tables[t].data() + c, block.replications, shape.table_cells[t]);
        });
    detail::run_jobs(jobs, block.threads);
    write_rows(block, rows, dates, block.threads);
    if (begin < options.retained_replications)
      append_rows(block, std::min(block_end, options.retained_replications) - begin, retained);
    stats->replications += block.replications;
    if (block_end == end) break;
    begin = block_end;
  }
  retained.streamed = stats;
  retained.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return retained;
}

}  // namespace padsim
