// Running a batch: replications spread over threads in chunks, each stored at its own index, in
// rounds (one for a fixed count; --runs auto checks convergence between rounds).
#include "padsim/batch.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>

#include <spdlog/spdlog.h>

#include "padsim/bounded_batch.hpp"
#include "large_vector.hpp"
#include "replication_shape.hpp"
#include "strided.hpp"

namespace padsim {

using detail::ReplicationShape;

namespace {

/// Runs replications [begin, end) on `threads` threads into `result`, whose vectors already have
/// room for them; replication k is stored at index k - result.first_replication.
void run_round(const Model& model, const BatchOptions& options, const ReplicationShape& shape,
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
          const std::uint64_t i = k - first_index;
          r.keep_series = i < result.series_replications;
          detail::reset(r, shape);
          model.run(options.seed, k, r, nullptr);
          detail::check_sizes(r, shape);
          // Each index is written by exactly one thread and the vectors do not move during a
          // round, so no lock is needed.
          std::copy(r.outcomes.begin(), r.outcomes.end(),
                    result.outcomes.begin() + static_cast<std::ptrdiff_t>(i * shape.outcomes));
          std::copy(r.inputs.begin(), r.inputs.end(),
                    result.inputs.begin() + static_cast<std::ptrdiff_t>(i * shape.inputs));
          for (std::size_t t = 0; t < r.tables.size(); ++t)
            std::copy(r.tables[t].begin(), r.tables[t].end(),
                      result.tables[t].begin() + static_cast<std::ptrdiff_t>(i * shape.table_cells[t]));
          if (r.keep_series)
            std::copy(r.series.begin(), r.series.end(),
                      result.series.begin() + static_cast<std::ptrdiff_t>(i * per_rep_series));
          done.fetch_add(1, std::memory_order_relaxed);
        }
      }
    } catch (const SimulationError& e) {
      fail(k, std::make_exception_ptr(
                  SimulationError(detail::replication_context(options.seed, k) + e.what())));
    } catch (const InputError& e) {
      // Bad input found while running keeps its type (exit status 2); the log names the run.
      spdlog::error("{}{}", detail::replication_context(options.seed, k), e.what());
      fail(k, std::current_exception());
    } catch (const ParameterError& e) {
      spdlog::error("{}{}", detail::replication_context(options.seed, k), e.what());
      fail(k, std::current_exception());
    } catch (const std::exception& e) {
      fail(k, std::make_exception_ptr(Error(detail::replication_context(options.seed, k) + e.what())));
    } catch (...) {
      fail(k, std::current_exception());
    }
    {
      std::lock_guard lock(mutex);
      ++finished;
    }
    finished_cv.notify_one();
  };

  // No more threads than chunks: an idle thread costs a stack and a start-up.
  const std::uint64_t chunks = (end - begin + chunk - 1) / chunk;
  unsigned threads = static_cast<unsigned>(std::min<std::uint64_t>(result.threads, chunks));
  std::vector<std::thread> pool;
  pool.reserve(threads);
  try {
    for (unsigned i = 0; i < threads; ++i) pool.emplace_back(worker);
  } catch (const std::system_error& e) {
    // The system refused a thread: stop the ones started, then report it as an error rather
    // than let a joinable std::thread end the process.
    const std::string message = "could not start worker thread " +
                                std::to_string(pool.size() + 1) + " of " + std::to_string(threads) +
                                ": " + e.what() + " (use fewer --threads)";
    stop = true;
    threads = static_cast<unsigned>(pool.size());
    {
      std::unique_lock lock(mutex);
      finished_cv.wait(lock, [&] { return finished == threads; });
    }
    for (auto& t : pool) t.join();
    throw Error(message);
  }
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

// Column j of a row-major table, gathered without first zeroing the column (the outputs gather
// every column of 10^5 replications, some several times).
std::vector<double> gather_column(const std::vector<double>& table, std::uint64_t rows,
                                  std::size_t width, std::size_t j) {
  std::vector<double> column;
  column.reserve(rows);
  detail::for_each_strided(table.data() + j, rows, width, [&](double v) { column.push_back(v); });
  return column;
}

}  // namespace

std::vector<double> BatchResult::outcome_column(std::size_t j) const {
  return gather_column(outcomes, replications, outcome_count, j);
}

std::vector<double> BatchResult::input_column(std::size_t j) const {
  return gather_column(inputs, replications, input_count, j);
}

std::uint64_t batch_memory_bytes(const Model& model, const BatchOptions& options) {
  if (options.bounded) return bounded_batch_memory_bytes(model, options);
  const ReplicationShape shape = detail::shape_of(model);
  std::uint64_t per_replication = shape.outcomes + shape.inputs;
  for (const std::size_t cells : shape.table_cells) per_replication += cells;
  per_replication *= sizeof(double);
  const std::uint64_t n = options.auto_runs ? options.max_replications : options.replications;
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t results = n > max / std::max<std::uint64_t>(1, per_replication)
                                    ? max
                                    : n * per_replication;
  const std::uint64_t series =
      shape.series == 0 ? 0
                        : std::min<std::uint64_t>(options.series_memory_bytes,
                                                  n > max / (shape.series * sizeof(double))
                                                      ? max
                                                      : n * shape.series * sizeof(double));
  return results > max - series ? max : results + series;
}

unsigned batch_threads(const BatchOptions& options) {
  return options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
}

BatchOptions part_options(const BatchOptions& options, std::uint64_t first, std::uint64_t count) {
  BatchOptions part = options;
  part.first_replication = first;
  part.replications = count;
  if (options.progress)
    part.progress = [whole = options.progress, before = first - options.first_replication,
                     n = options.replications](const BatchProgress& p) { whole({before + p.done, n, n, false}); };
  return part;
}

BatchResult run_batch(const Model& model, const BatchOptions& options) {
  return run_batch(model, options, BatchResult{});
}

BatchResult run_batch(const Model& model, const BatchOptions& options, BatchResult room) {
  const auto started = std::chrono::steady_clock::now();
  const ReplicationShape shape = detail::shape_of(model);
  BatchResult result;
  // Only the room of room's vectors is kept: every value is written again below.
  auto reuse = [](std::vector<double>& from, std::vector<double>& to) {
    to = std::move(from);
    to.clear();
  };
  reuse(room.outcomes, result.outcomes);
  reuse(room.inputs, result.inputs);
  reuse(room.series, result.series);
  room.tables.resize(shape.table_cells.size());
  result.tables.resize(shape.table_cells.size());
  for (std::size_t t = 0; t < shape.table_cells.size(); ++t) reuse(room.tables[t], result.tables[t]);
  result.seed = options.seed;
  result.auto_runs = options.auto_runs;
  result.threads = batch_threads(options);
  result.outcome_count = shape.outcomes;
  result.input_count = shape.inputs;
  result.table_cells = shape.table_cells;
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
  if (!options.auto_runs) {  // --runs auto grows round by round, as far as it needs
    const std::uint64_t count = max_n - first;
    detail::reserve_large(result.outcomes, count * shape.outcomes);
    detail::reserve_large(result.inputs, count * shape.inputs);
    for (std::size_t t = 0; t < shape.table_cells.size(); ++t)
      detail::reserve_large(result.tables[t], count * shape.table_cells[t]);
    detail::reserve_large(result.series,
                  (std::min(max_n, series_cap) - std::min(first, series_cap)) * shape.series);
  }
  std::uint64_t done = first;
  for (;;) {
    const std::uint64_t end = options.auto_runs ? std::min(done + round, max_n) : max_n;
    const std::uint64_t count = end - first;
    result.outcomes.resize(count * shape.outcomes, kEmpty);
    result.inputs.resize(count * shape.inputs, kEmpty);
    for (std::size_t t = 0; t < shape.table_cells.size(); ++t)
      result.tables[t].resize(count * shape.table_cells[t], kEmpty);
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

}  // namespace padsim
