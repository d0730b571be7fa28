// What several batch files share: runs.csv's rows (also written by replay), empty cells for
// unbounded values, and rank correlations.
#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <cmath>
#include <limits>

#include "output_writers.hpp"
#include "padsim/rng.hpp"
#include "padsim/statistics.hpp"

namespace padsim::detail {

std::size_t row_parts(const BatchOutput& batch) {
  const std::uint64_t n = batch.result.replications;
  if (batch.result.threads <= 1 || n <= kRowsPerPart) return 1;
  return static_cast<std::size_t>((n + kRowsPerPart - 1) / kRowsPerPart);
}

std::pair<std::uint64_t, std::uint64_t> row_range(const BatchOutput& batch, std::size_t part) {
  const std::uint64_t n = batch.result.replications;
  if (row_parts(batch) == 1) return {0, n};
  const std::uint64_t first = part * kRowsPerPart;
  return {std::min(first, n), std::min(first + kRowsPerPart, n)};
}

void finite_cell(CsvWriter& csv, double x) {
  if (std::isfinite(x))
    csv.number(x);
  else
    csv.empty();
}

std::vector<double> ranking_column(const Model& model, const BatchResult& result, std::size_t j) {
  std::vector<double> column = result.outcome_column(j);
  const OutcomeInfo& info = model.outcomes()[j];
  if (info.censorable && info.kind == OutcomeKind::kValue)
    for (double& v : column)
      if (std::isnan(v)) v = std::numeric_limits<double>::infinity();
  return column;
}

RankedColumn::RankedColumn(std::vector<double> values) : column_(std::move(values)) {
  if (std::none_of(column_.begin(), column_.end(), [](double v) { return std::isnan(v); })) {
    column_ = average_ranks(column_);
    complete_ = true;
    centred_ = centred(column_);
  }
}

double rank_correlation(const RankedColumn& a, const RankedColumn& b) {
  if (a.complete() && b.complete()) return pearson(a.column(), a.centred_ranks(), b.column(), b.centred_ranks());
  return spearman(std::span<const double>(a.column()), std::span<const double>(b.column()));
}

ColumnInfo outcome_column(const OutcomeInfo& o) {
  const bool event = o.kind == OutcomeKind::kEvent;
  return {o.name, o.unit, event ? "event" : "value",
          o.censorable ? "censored: not reached by the horizon (beyond it)"
                       : "not applicable in this replication",
          o.description};
}

DateColumns::DateColumns(const Model& model, bool enabled) {
  if (!enabled) return;
  calendar_.emplace(model.epoch());
  const auto& outs = model.outcomes();
  for (std::size_t j = 0; j < outs.size(); ++j)
    if (outs[j].unit == "day") outcomes_.push_back(j);
}

std::vector<ColumnInfo> DateColumns::columns(const Model& model) const {
  std::vector<ColumnInfo> out;
  for (const std::size_t j : outcomes_) {
    const OutcomeInfo& o = model.outcomes()[j];
    out.push_back({"date:" + o.name, "date", "text", outcome_column(o).empty_means,
                   "the UTC date (YYYY-MM-DD) of " + o.name + " (--dates)"});
  }
  return out;
}

void DateColumns::header(CsvWriter& csv, const Model& model) const {
  for (const std::size_t j : outcomes_) csv.field("date:" + model.outcomes()[j].name);
}

void DateColumns::cells(CsvWriter& csv, const double* values) const {
  for (const std::size_t j : outcomes_) {
    if (std::isfinite(values[j]))
      csv.field(calendar_->date(values[j]));
    else
      csv.empty();
  }
}

void write_runs_header(CsvWriter& csv, const Model& model, const DateColumns* dates) {
  csv.field("replication").field("seed");
  for (const auto& o : model.outcomes()) csv.field(o.name);
  if (dates != nullptr) dates->header(csv, model);
  csv.end_row();
}

void write_runs_row(CsvWriter& csv, std::uint64_t seed, std::uint64_t k, const double* values,
                    std::size_t count, const DateColumns* dates) {
  csv.integer(k).integer(Rng::replication_seed(seed, k));
  for (std::size_t j = 0; j < count; ++j) csv.number(values[j]);
  if (dates != nullptr) dates->cells(csv, values);
  csv.end_row();
}

void write_inputs_header(CsvWriter& csv, const Model& model) {
  csv.field("replication");
  for (const std::string& name : model.inputs()) csv.field(name);
  csv.end_row();
}

void write_inputs_row(CsvWriter& csv, std::uint64_t k, const double* values, std::size_t count) {
  csv.integer(k);
  for (std::size_t i = 0; i < count; ++i) csv.number(values[i]);
  csv.end_row();
}

// Runs independent jobs on up to `threads` threads; the first exception (in job order) is rethrown.
void run_jobs(const std::vector<std::function<void()>>& jobs, unsigned threads) {
  std::vector<std::exception_ptr> errors(jobs.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < jobs.size(); i = next++) {
      try {
        jobs[i]();
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  const std::size_t extra = std::min<std::size_t>(std::max(1u, threads), jobs.size());
  for (std::size_t t = 1; t < extra; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

StringBuf::int_type StringBuf::overflow(int_type c) {
  if (!traits_type::eq_int_type(c, traits_type::eof())) text_->push_back(traits_type::to_char_type(c));
  return traits_type::not_eof(c);
}

std::streamsize StringBuf::xsputn(const char* s, std::streamsize n) {
  text_->append(s, static_cast<std::size_t>(n));
  return n;
}

std::string TextPool::take() {
  const std::lock_guard lock(mutex_);
  if (texts_.empty()) return {};
  std::string text = std::move(texts_.back());
  texts_.pop_back();
  return text;
}

void TextPool::give(std::string text) {
  text.clear();
  const std::lock_guard lock(mutex_);
  texts_.push_back(std::move(text));
}

OrderedFile::OrderedFile(std::ostream& file, std::size_t parts, TextPool& pool)
    : file_(&file), pool_(&pool), texts_(parts), done_(parts, false) {}

void OrderedFile::write_part(std::size_t part, const std::function<void(std::ostream&)>& format) {
  std::string text = pool_->take();
  {
    StringBuf buf(text);
    std::ostream out(&buf);
    format(out);
  }
  const std::lock_guard lock(mutex_);
  texts_[part] = std::move(text);
  done_[part] = true;
  for (; next_ < texts_.size() && done_[next_]; ++next_) {
    std::string& ready = texts_[next_];
    file_->write(ready.data(), static_cast<std::streamsize>(ready.size()));
    pool_->give(std::move(ready));
  }
}

}  // namespace padsim::detail
