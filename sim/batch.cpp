#include "padsim/batch.hpp"

#include <algorithm>
#include <functional>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <sstream>
#include <thread>

#include <spdlog/spdlog.h>

#include "padsim/calendar.hpp"
#include "padsim/csv.hpp"
#include "padsim/rng.hpp"

#ifndef PADSIM_VERSION
#define PADSIM_VERSION "unknown"
#endif

namespace padsim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The percentiles summary.csv reports, as (statistic name, p).
constexpr std::pair<const char*, double> kPercentiles[] = {
    {"p5", 0.05},  {"p10", 0.10}, {"p25", 0.25}, {"p50", 0.50},
    {"p75", 0.75}, {"p80", 0.80}, {"p90", 0.90}, {"p95", 0.95}};

struct Shape {
  std::size_t outcomes = 0;
  std::size_t inputs = 0;
  std::size_t tasks = 0;
  std::size_t series = 0;  // values per replication: days x series
};

Shape shape_of(const Model& model) {
  Shape s;
  s.outcomes = model.outcomes().size();
  s.inputs = model.inputs().size();
  s.tasks = model.task_names().size();
  const int days = model.series_days();
  s.series = model.series_names().empty() || days <= 0
                 ? 0
                 : static_cast<std::size_t>(days) * model.series_names().size();
  return s;
}

// Every vector starts from its declared size and empty cells, so nothing a model forgets to
// write can leak from the previous replication on that thread (which would make results depend
// on the thread count).
void reset(ReplicationResult& r, const Shape& s) {
  r.outcomes.assign(s.outcomes, kEmpty);
  r.inputs.assign(s.inputs, kEmpty);
  r.tasks.assign(s.tasks, TaskRecord{});
  r.series.assign(s.series, kEmpty);
}

void check_sizes(const ReplicationResult& r, const Shape& s) {
  auto check = [](const char* what, std::size_t got, std::size_t declared) {
    if (got != declared)
      throw Error("model reported " + std::to_string(got) + " " + what + " but declares " +
                  std::to_string(declared));
  };
  check("outcomes", r.outcomes.size(), s.outcomes);
  check("inputs", r.inputs.size(), s.inputs);
  check("task records", r.tasks.size(), s.tasks);
  check("series values", r.series.size(), s.series);
}

std::string replication_context(std::uint64_t seed, std::uint64_t k) {
  return "replication " + std::to_string(k) + " (seed " +
         std::to_string(Rng::replication_seed(seed, k)) + "): ";
}

/// Runs replications [begin, end) on `threads` threads into `result`, whose vectors already have
/// room for them; replication k is stored at index k - result.first_replication.
void run_round(const Model& model, const BatchOptions& options, const Shape& shape,
               std::uint64_t begin, std::uint64_t end, BatchResult& result) {
  const std::uint64_t first_index = result.first_replication;
  const std::uint64_t chunk = std::max<std::uint64_t>(1, options.chunk_size);
  std::atomic<std::uint64_t> next{begin};
  std::atomic<std::uint64_t> done{begin - first_index};  // counted within the range
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable finished_cv;
  unsigned finished = 0;
  std::exception_ptr error;
  std::uint64_t error_replication = std::numeric_limits<std::uint64_t>::max();
  const std::size_t per_rep_series = shape.series;

  auto fail = [&](std::uint64_t k, std::exception_ptr e) {
    std::lock_guard lock(mutex);
    // Several threads may fail; report the lowest replication, as one thread would have.
    if (k < error_replication) {
      error_replication = k;
      error = std::move(e);
    }
    stop = true;
  };

  auto worker = [&] {
    ReplicationResult r;
    std::uint64_t k = 0;
    try {
      while (!stop.load(std::memory_order_relaxed)) {
        const std::uint64_t first = next.fetch_add(chunk, std::memory_order_relaxed);
        if (first >= end) break;
        const std::uint64_t last = std::min(first + chunk, end);
        for (k = first; k < last; ++k) {
          if (options.interrupt != nullptr && options.interrupt->load(std::memory_order_relaxed)) {
            stop = true;
            break;
          }
          reset(r, shape);
          model.run(options.seed, k, r, nullptr);
          check_sizes(r, shape);
          // Each index is written by exactly one thread and the vectors do not move during a
          // round, so no lock is needed.
          const std::uint64_t i = k - first_index;
          std::copy(r.outcomes.begin(), r.outcomes.end(),
                    result.outcomes.begin() + static_cast<std::ptrdiff_t>(i * shape.outcomes));
          std::copy(r.inputs.begin(), r.inputs.end(),
                    result.inputs.begin() + static_cast<std::ptrdiff_t>(i * shape.inputs));
          std::copy(r.tasks.begin(), r.tasks.end(),
                    result.tasks.begin() + static_cast<std::ptrdiff_t>(i * shape.tasks));
          if (i < result.series_replications)
            std::copy(r.series.begin(), r.series.end(),
                      result.series.begin() + static_cast<std::ptrdiff_t>(i * per_rep_series));
          done.fetch_add(1, std::memory_order_relaxed);
        }
      }
    } catch (const SimulationError& e) {
      fail(k, std::make_exception_ptr(
                  SimulationError(replication_context(options.seed, k) + e.what())));
    } catch (const InputError& e) {
      // Bad input found while running keeps its type (exit status 2); the log names the run.
      spdlog::error("{}{}", replication_context(options.seed, k), e.what());
      fail(k, std::current_exception());
    } catch (const ParameterError& e) {
      spdlog::error("{}{}", replication_context(options.seed, k), e.what());
      fail(k, std::current_exception());
    } catch (const std::exception& e) {
      fail(k, std::make_exception_ptr(Error(replication_context(options.seed, k) + e.what())));
    } catch (...) {
      fail(k, std::current_exception());
    }
    {
      std::lock_guard lock(mutex);
      ++finished;
    }
    finished_cv.notify_one();
  };

  const unsigned threads = result.threads;
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) pool.emplace_back(worker);
  {
    std::unique_lock lock(mutex);
    const std::uint64_t max = options.auto_runs ? options.max_replications : options.replications;
    while (!finished_cv.wait_for(lock, std::chrono::milliseconds(100),
                                 [&] { return finished == threads; })) {
      if (options.progress) {
        lock.unlock();
        options.progress(
            {done.load(std::memory_order_relaxed), end - first_index, max, options.auto_runs});
        lock.lock();
      }
    }
  }
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  if (options.interrupt != nullptr && options.interrupt->load()) {
    throw Interrupted("interrupted after " + std::to_string(done.load()) + " replications");
  }
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
  const auto extra = std::min<std::size_t>(threads, jobs.size()) - 1;
  for (std::size_t t = 0; t < extra; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

bool is_finite(double x) { return std::isfinite(x); }

// Censored values and unbounded CI ends are +/-inf in the statistics; a CSV cell shows them
// empty (the `censored` column says how many replications lie beyond the horizon).
void finite_cell(CsvWriter& csv, double x) {
  if (is_finite(x))
    csv.number(x);
  else
    csv.empty();
}

std::size_t cruciality_target(const Model& model) {
  const auto& outs = model.outcomes();
  for (std::size_t j = 0; j < outs.size(); ++j)
    if (outs[j].name == "pad_ready_day") return j;
  for (std::size_t j = 0; j < outs.size(); ++j)
    if (outs[j].headline) return j;
  return outs.empty() ? std::size_t(-1) : 0;
}

/// An outcome column prepared for rank correlation: censored values +inf, not-applicable NaN.
std::vector<double> ranking_column(const Model& model, const BatchResult& result, std::size_t j) {
  std::vector<double> column = result.outcome_column(j);
  const OutcomeInfo& info = model.outcomes()[j];
  if (info.censorable && info.kind == OutcomeKind::kValue)
    for (double& v : column)
      if (std::isnan(v)) v = kInf;
  return column;
}

/// Spearman correlations against one column, ranking it once when it has no NaN (the common
/// case), since ranking is the cost that matters with 10^5 replications.
class RankedColumn {
 public:
  explicit RankedColumn(std::vector<double> values) : values_(std::move(values)) {
    if (std::none_of(values_.begin(), values_.end(), [](double v) { return std::isnan(v); }))
      ranks_ = average_ranks(values_);
  }
  bool complete() const { return ranks_.has_value(); }
  const std::vector<double>& values() const { return values_; }
  const std::vector<double>& ranks() const { return *ranks_; }

 private:
  std::vector<double> values_;
  std::optional<std::vector<double>> ranks_;
};

double rank_correlation(const RankedColumn& a, const RankedColumn& b) {
  if (a.complete() && b.complete()) return pearson(a.ranks(), b.ranks());
  return spearman(std::span<const double>(a.values()), std::span<const double>(b.values()));
}

void write_runs_header(CsvWriter& csv, const Model& model) {
  csv.field("replication").field("seed");
  for (const auto& o : model.outcomes()) csv.field(o.name);
  csv.end_row();
}

void write_runs_row(CsvWriter& csv, std::uint64_t seed, std::uint64_t k, const double* values,
                    std::size_t count) {
  csv.integer(k).integer(Rng::replication_seed(seed, k));
  for (std::size_t j = 0; j < count; ++j) csv.number(values[j]);
  csv.end_row();
}

void write_runs(std::ostream& out, const Model& model, const BatchResult& result) {
  CsvWriter csv(out);
  write_runs_header(csv, model);
  for (std::uint64_t k = 0; k < result.replications; ++k)
    write_runs_row(csv, result.seed, result.first_replication + k,
                   result.outcomes.data() + k * result.outcome_count,
                   result.outcome_count);
}

void write_summary_header(std::ostream& out) {
  CsvWriter csv(out);
  csv.field("outcome").field("unit").field("statistic").field("value").field("ci_low");
  csv.field("ci_high").field("n").field("censored").end_row();
}

/// The summary.csv rows of outcome j (independent of every other outcome, so they can be computed
/// in parallel and concatenated in order).
void write_summary_rows(std::ostream& out, const Model& model, const BatchResult& result, std::size_t j) {
  CsvWriter csv(out);
  const OutcomeInfo& info = model.outcomes()[j];
  const OutcomeSummary s = outcome_summary(model, result, j);
  auto row = [&](const char* statistic, double value, Interval ci) {
    csv.field(info.name).field(info.unit).field(statistic);
    finite_cell(csv, value);
    finite_cell(csv, ci.low);
    finite_cell(csv, ci.high);
    csv.integer(s.n).integer(s.censored).end_row();
  };
  const Interval none{kNaN, kNaN};
  if (info.kind == OutcomeKind::kEvent) {
    const auto successes = static_cast<std::uint64_t>(
        std::count_if(s.sorted.begin(), s.sorted.end(), [](double v) { return v != 0.0; }));
    const double p = s.n == 0 ? kNaN : static_cast<double>(successes) / static_cast<double>(s.n);
    row("probability", p, wilson_interval(successes, s.n));
    return;
  }
  row("mean", s.reached.mean(), s.reached.mean_ci());
  row("sd", s.reached.sd(), none);
  row("min", s.sorted.empty() ? kNaN : s.sorted.front(), none);
  for (const auto& [name, p] : kPercentiles) {
    const QuantileEstimate q = quantile_estimate_sorted(s.sorted, p);
    row(name, q.value, q.ci);
  }
  row("max", s.sorted.empty() ? kNaN : s.sorted.back(), none);
}

void write_tasks(std::ostream& out, const Model& model, const BatchResult& result) {
  CsvWriter csv(out);
  csv.field("task").field("present").field("criticality").field("cruciality");
  for (const char* what : {"start", "finish"})
    for (const char* stat : {"mean", "p10", "p50", "p90"})
      csv.field(std::string(what) + "_" + stat);
  csv.field("duration_mean").end_row();

  const std::size_t target = cruciality_target(model);
  std::optional<RankedColumn> target_column;
  if (target != std::size_t(-1)) target_column.emplace(ranking_column(model, result, target));
  const std::uint64_t n = result.replications;
  const double dn = static_cast<double>(n);
  const auto& names = model.task_names();
  for (std::size_t t = 0; t < names.size(); ++t) {
    std::vector<double> starts, finishes, durations(n);
    std::uint64_t present = 0, critical = 0;
    RunningStats duration_stats;
    for (std::uint64_t k = 0; k < n; ++k) {
      const TaskRecord& r = result.tasks[k * result.task_count + t];
      if (!std::isnan(r.start)) starts.push_back(r.start);
      if (!std::isnan(r.finish)) finishes.push_back(r.finish);
      // A task a branch removed takes no time in that replication: rank it as duration 0 so that
      // cruciality also shows how much taking the branch matters.
      durations[k] = std::isnan(r.duration) ? 0.0 : r.duration;
      if (!std::isnan(r.duration)) {
        ++present;
        duration_stats.add(r.duration);
      }
      if (r.critical) ++critical;
    }
    csv.field(names[t]);
    csv.number(n == 0 ? kNaN : static_cast<double>(present) / dn);
    csv.number(n == 0 ? kNaN : static_cast<double>(critical) / dn);
    finite_cell(csv, target_column ? rank_correlation(RankedColumn(std::move(durations)), *target_column)
                                   : kNaN);
    for (auto* values : {&starts, &finishes}) {
      std::sort(values->begin(), values->end());
      const double mean =
          values->empty() ? kNaN
                          : std::accumulate(values->begin(), values->end(), 0.0) /
                                static_cast<double>(values->size());
      csv.number(mean);
      for (const double p : {0.10, 0.50, 0.90}) csv.number(percentile_sorted(*values, p));
    }
    csv.number(duration_stats.mean()).end_row();
  }
}

void write_sensitivity(std::ostream& out, const Model& model, const BatchResult& result) {
  CsvWriter csv(out);
  csv.field("input").field("outcome").field("spearman").end_row();
  std::vector<RankedColumn> inputs;
  inputs.reserve(result.input_count);
  for (std::size_t i = 0; i < result.input_count; ++i) inputs.emplace_back(result.input_column(i));
  const auto& outs = model.outcomes();
  for (std::size_t j = 0; j < outs.size(); ++j) {
    if (!outs[j].headline) continue;
    const RankedColumn outcome(ranking_column(model, result, j));
    std::vector<std::pair<std::size_t, double>> rows;
    for (std::size_t i = 0; i < inputs.size(); ++i) rows.emplace_back(i, rank_correlation(inputs[i], outcome));
    // Tornado order: strongest first; undefined correlations (a constant input) last; equal
    // strengths keep the model's input order.
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      if (std::isnan(a.second) || std::isnan(b.second)) return !std::isnan(a.second) && std::isnan(b.second);
      return std::abs(a.second) > std::abs(b.second);
    });
    for (const auto& [i, rho] : rows) {
      csv.field(model.inputs()[i]).field(outs[j].name);
      finite_cell(csv, rho);
      csv.end_row();
    }
  }
}

void write_timeseries(std::ostream& out, const Model& model, const BatchResult& result) {
  CsvWriter csv(out);
  csv.field("day").field("date").field("series").field("p10").field("p50").field("p90");
  csv.field("n").end_row();
  if (result.series_count == 0 || result.series_days == 0) return;
  const Calendar calendar(model.epoch());
  const std::size_t per_rep = result.series_days * result.series_count;
  // Series are stored replication-major; gathering one (day, series) cell across replications
  // would touch one cache line per replication. Copy a block of days at a time instead: each
  // replication's block is contiguous.
  constexpr std::size_t kBlockDays = 32;
  std::vector<std::vector<double>> cells(kBlockDays * result.series_count);
  for (std::size_t first = 0; first < result.series_days; first += kBlockDays) {
    const std::size_t days = std::min(kBlockDays, result.series_days - first);
    const std::size_t width = days * result.series_count;
    for (std::size_t c = 0; c < width; ++c) cells[c].clear();
    for (std::uint64_t k = 0; k < result.series_replications; ++k) {
      const double* block = result.series.data() + k * per_rep + first * result.series_count;
      for (std::size_t c = 0; c < width; ++c)
        if (!std::isnan(block[c])) cells[c].push_back(block[c]);
    }
    for (std::size_t d = 0; d < days; ++d) {
      const std::string date = calendar.date(static_cast<double>(first + d));
      for (std::size_t s = 0; s < result.series_count; ++s) {
        std::vector<double>& values = cells[d * result.series_count + s];
        csv.integer(static_cast<std::uint64_t>(first + d)).field(date).field(model.series_names()[s]);
        for (const double p : {0.10, 0.50, 0.90}) finite_cell(csv, percentile_select(values, p));
        csv.integer(static_cast<std::uint64_t>(values.size())).end_row();
      }
    }
  }
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string json_number(double x) { return is_finite(x) ? format_number(x) : "null"; }

void write_run_json(std::ostream& out, const BatchResult& result, const BatchOptions& options) {
  out << "{\n";
  out << "  \"padsim_version\": " << json_string(PADSIM_VERSION) << ",\n";
  out << "  \"scenario\": " << json_string(options.scenario) << ",\n";
  out << "  \"scenario_sha256\": " << json_string(options.scenario_sha256) << ",\n";
  out << "  \"seed\": " << result.seed << ",\n";
  out << "  \"runs\": " << (result.auto_runs ? "\"auto\"" : "\"fixed\"") << ",\n";
  if (result.auto_runs) {
    out << "  \"tolerance\": " << json_number(options.tolerance) << ",\n";
    out << "  \"round_size\": " << options.round_size << ",\n";
    out << "  \"max_replications\": " << options.max_replications << ",\n";
    out << "  \"converged\": " << (result.converged ? "true" : "false") << ",\n";
    out << "  \"convergence\": [";
    for (std::size_t i = 0; i < result.convergence.size(); ++i) {
      const ConvergenceCheck& c = result.convergence[i];
      out << (i ? ",\n    " : "\n    ") << "{\"outcome\": " << json_string(c.outcome)
          << ", \"statistic\": " << json_string(c.statistic)
          << ", \"half_width\": " << json_number(c.half_width)
          << ", \"allowed\": " << json_number(c.allowed) << ", \"ok\": " << (c.ok ? "true" : "false")
          << "}";
    }
    out << (result.convergence.empty() ? "],\n" : "\n  ],\n");
  }
  out << "  \"replications\": " << result.replications << ",\n";
  out << "  \"series_replications\": " << result.series_replications << ",\n";
  out << "  \"command_line\": " << json_string(options.command_line) << ",\n";
  out << "  \"files\": [";
  const auto& files = batch_output_files();
  for (std::size_t i = 0; i < files.size(); ++i)
    out << (i ? ", " : "") << json_string(files[i]);
  out << "],\n";
  // The only fields that may differ between runs with the same seed.
  out << "  \"processes\": " << result.processes << ",\n";
  out << "  \"threads\": " << result.threads << ",\n";
  out << "  \"wall_time_seconds\": " << json_number(std::round(result.wall_seconds * 1000.0) / 1000.0)
      << "\n";
  out << "}\n";
}

}  // namespace

std::vector<double> BatchResult::outcome_column(std::size_t j) const {
  std::vector<double> column(replications);
  for (std::uint64_t k = 0; k < replications; ++k) column[k] = outcomes[k * outcome_count + j];
  return column;
}

std::vector<double> BatchResult::input_column(std::size_t j) const {
  std::vector<double> column(replications);
  for (std::uint64_t k = 0; k < replications; ++k) column[k] = inputs[k * input_count + j];
  return column;
}

BatchResult run_batch(const Model& model, const BatchOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const Shape shape = shape_of(model);
  BatchResult result;
  result.seed = options.seed;
  result.auto_runs = options.auto_runs;
  result.threads = options.threads != 0 ? options.threads
                                        : std::max(1u, std::thread::hardware_concurrency());
  result.outcome_count = shape.outcomes;
  result.input_count = shape.inputs;
  result.task_count = shape.tasks;
  result.series_count = shape.series == 0 ? 0 : model.series_names().size();
  result.series_days = shape.series == 0 ? 0 : static_cast<std::size_t>(model.series_days());

  if (options.auto_runs && options.first_replication != 0)
    throw Error("--runs auto cannot run a range of replications (first_replication " +
                std::to_string(options.first_replication) + ")");
  const std::uint64_t first = options.first_replication;
  result.first_replication = first;
  const std::uint64_t max_n =
      options.auto_runs ? options.max_replications : first + options.replications;
  // Global rule: replications [0, series_cap) of the whole batch keep their series.
  const std::uint64_t series_cap =
      shape.series == 0 ? 0 : options.series_memory_bytes / (shape.series * sizeof(double));
  const std::uint64_t round = std::max<std::uint64_t>(1, options.round_size);
  std::uint64_t done = first;
  for (;;) {
    const std::uint64_t end = options.auto_runs ? std::min(done + round, max_n) : max_n;
    const std::uint64_t count = end - first;
    result.outcomes.resize(count * shape.outcomes, kEmpty);
    result.inputs.resize(count * shape.inputs, kEmpty);
    result.tasks.resize(count * shape.tasks);
    result.series_replications = std::min(end, series_cap) - std::min(first, series_cap);
    result.series.resize(result.series_replications * shape.series, kEmpty);
    if (end > done) run_round(model, options, shape, done, end, result);
    done = end;
    result.replications = count;
    if (!options.auto_runs) break;
    result.convergence = convergence_checks(model, result, options.tolerance);
    result.converged = std::all_of(result.convergence.begin(), result.convergence.end(),
                                   [](const ConvergenceCheck& c) { return c.ok; });
    spdlog::debug("--runs auto: {} replications, {}", done,
                  result.converged ? "within tolerance" : "not yet within tolerance");
    if (result.converged || done >= max_n) break;
  }
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

BatchResult BatchResult::empty_like() const {
  BatchResult shape;
  shape.seed = seed;
  shape.outcome_count = outcome_count;
  shape.input_count = input_count;
  shape.task_count = task_count;
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
        p.task_count != head.task_count || p.series_count != head.series_count ||
        p.series_days != head.series_days)
      fail("has another shape");
    if (p.outcomes.size() != p.replications * p.outcome_count ||
        p.inputs.size() != p.replications * p.input_count ||
        p.tasks.size() != p.replications * p.task_count ||
        p.series.size() != p.series_replications * p.series_days * p.series_count ||
        p.series_replications > p.replications)
      fail("has vectors of the wrong size");
    if (series_ended && p.series_replications != 0) fail("keeps series after a gap");
    series_ended = series_ended || p.series_replications < p.replications;
    end += p.replications;
    merged.replications += p.replications;
    merged.series_replications += p.series_replications;
    merged.threads = std::max(merged.threads, p.threads);
    merged.processes += p.processes;
    merged.wall_seconds = std::max(merged.wall_seconds, p.wall_seconds);
  }
  merged.outcomes.reserve(merged.replications * merged.outcome_count);
  merged.inputs.reserve(merged.replications * merged.input_count);
  merged.tasks.reserve(merged.replications * merged.task_count);
  merged.series.reserve(merged.series_replications * merged.series_days * merged.series_count);
  for (const BatchResult& p : parts) {
    merged.outcomes.insert(merged.outcomes.end(), p.outcomes.begin(), p.outcomes.end());
    merged.inputs.insert(merged.inputs.end(), p.inputs.begin(), p.inputs.end());
    merged.tasks.insert(merged.tasks.end(), p.tasks.begin(), p.tasks.end());
    merged.series.insert(merged.series.end(), p.series.begin(), p.series.end());
  }
  return merged;
}

OutcomeSummary outcome_summary(const Model& model, const BatchResult& result, std::size_t j) {
  const OutcomeInfo& info = model.outcomes().at(j);
  // An event is 0 or 1; an empty event cell means "not applicable", never "beyond the horizon".
  return summarize(result.outcome_column(j), info.censorable && info.kind == OutcomeKind::kValue);
}

std::vector<ConvergenceCheck> convergence_checks(const Model& model, const BatchResult& result,
                                                 double tolerance) {
  std::vector<ConvergenceCheck> checks;
  const auto& outs = model.outcomes();
  for (std::size_t j = 0; j < outs.size(); ++j) {
    if (!outs[j].headline) continue;
    const OutcomeSummary s = outcome_summary(model, result, j);
    if (s.n == 0) continue;
    if (outs[j].kind == OutcomeKind::kEvent) {
      const auto successes = static_cast<std::uint64_t>(
          std::count_if(s.sorted.begin(), s.sorted.end(), [](double v) { return v != 0.0; }));
      const Interval ci = wilson_interval(successes, s.n);
      const double half = (ci.high - ci.low) / 2.0;
      checks.push_back({outs[j].name, "probability", half, tolerance, half <= tolerance});
      continue;
    }
    // Relative to the estimate, with the sd as a floor so that an outcome near zero can converge.
    const double sd = s.reached.count() >= 2 ? s.reached.sd() : 0.0;
    auto check = [&](const char* statistic, double estimate, Interval ci) {
      ConvergenceCheck c{outs[j].name, statistic, kInf, kInf, false};
      if (std::isinf(estimate) && ci.low == kInf) {  // wholly beyond the horizon: known
        c.half_width = 0.0;
        c.ok = true;
      } else if (std::isfinite(ci.low) && std::isfinite(ci.high)) {
        c.half_width = (ci.high - ci.low) / 2.0;
        c.allowed = tolerance * std::max(std::abs(estimate), sd);
        c.ok = c.half_width <= c.allowed;
      }
      checks.push_back(c);
    };
    if (s.reached.count() >= 2) check("mean", s.reached.mean(), s.reached.mean_ci());
    for (const auto& [name, p] : {std::pair{"p50", 0.5}, std::pair{"p90", 0.9}}) {
      const QuantileEstimate q = quantile_estimate_sorted(s.sorted, p);
      check(name, q.value, q.ci);
    }
  }
  return checks;
}

bool converged(const Model& model, const BatchResult& result, double tolerance) {
  const auto checks = convergence_checks(model, result, tolerance);
  return std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.ok; });
}

const std::vector<std::string>& batch_output_files() {
  static const std::vector<std::string> files = {"runs.csv",        "summary.csv",
                                                 "tasks.csv",       "sensitivity.csv",
                                                 "timeseries.csv",  "run.json"};
  return files;
}

void write_batch_outputs(const Model& model, const BatchResult& result, const BatchOptions& options,
                         const std::filesystem::path& dir) {
  ensure_output_directory(dir);
  std::vector<std::unique_ptr<AtomicFile>> files;
  for (const auto& name : batch_output_files())
    files.push_back(std::make_unique<AtomicFile>(dir / name));
  auto interrupted = [&] { return options.interrupt != nullptr && options.interrupt->load(); };
  auto stream = [&](std::size_t i) -> std::ostream& { return files[i]->stream(); };
  // Each file is computed and formatted by one job, so the bytes do not depend on how the jobs are
  // spread over threads. With 10^5 replications the sorting and formatting cost as much as the
  // replications themselves: doing it on one thread would undo the batch's parallel speed-up.
  // summary.csv is the costliest (a sort per outcome): one job per outcome, into its own buffer.
  std::vector<std::ostringstream> summary(model.outcomes().size());
  std::vector<std::function<void()>> jobs{
      [&] { write_runs(stream(0), model, result); },
      [&] { write_timeseries(stream(4), model, result); },
      [&] { write_sensitivity(stream(3), model, result); },
      [&] { write_tasks(stream(2), model, result); },
      [&] { write_run_json(stream(5), result, options); },
  };
  for (std::size_t j = 0; j < summary.size(); ++j)
    jobs.emplace_back([&, j] { write_summary_rows(summary[j], model, result, j); });
  run_jobs(jobs, std::max(1u, result.threads));
  write_summary_header(stream(1));
  for (const auto& rows : summary) stream(1) << rows.view();
  if (interrupted()) throw Interrupted("interrupted while writing outputs");
  for (auto& f : files) f->commit();
}

ReplicationResult replay(const Model& model, std::uint64_t seed, std::uint64_t replication,
                         TraceSink* trace) {
  const Shape shape = shape_of(model);
  ReplicationResult r;
  reset(r, shape);
  try {
    model.run(seed, replication, r, trace);
  } catch (const SimulationError& e) {
    throw SimulationError(replication_context(seed, replication) + e.what());
  }
  check_sizes(r, shape);
  return r;
}

void write_replay_runs(const Model& model, std::uint64_t seed, std::uint64_t replication,
                       const ReplicationResult& result, const std::filesystem::path& dir) {
  ensure_output_directory(dir);
  AtomicFile file(dir / "runs.csv");
  CsvWriter csv(file.stream());
  write_runs_header(csv, model);
  write_runs_row(csv, seed, replication, result.outcomes.data(), result.outcomes.size());
  file.commit();
}

}  // namespace padsim
