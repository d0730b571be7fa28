// Writing a batch's files: every part of every file computed in parallel, then published together as one
// result set (padsim/result_set.hpp).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "output_writers.hpp"
#include "padsim/result_set.hpp"
#include "replication_shape.hpp"

namespace padsim {

namespace {

// CPU seconds of the calling thread, for `-v`'s account of where the outputs' time went.
double thread_cpu_seconds() {
#ifdef CLOCK_THREAD_CPUTIME_ID
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
#else
  return 0.0;
#endif
}

// Adds the CPU time of the enclosing scope's thread to `total` (nanoseconds); a file that ranks on
// threads of its own (sensitivity.csv, the entity tables) counts its calling thread's only.
class CpuTimer {
 public:
  explicit CpuTimer(std::atomic<std::int64_t>& total) : total_(&total), start_(thread_cpu_seconds()) {}
  ~CpuTimer() { *total_ += static_cast<std::int64_t>((thread_cpu_seconds() - start_) * 1e9); }
  CpuTimer(const CpuTimer&) = delete;
  CpuTimer& operator=(const CpuTimer&) = delete;

 private:
  std::atomic<std::int64_t>* total_;
  double start_;
};

}  // namespace

std::vector<std::unique_ptr<OutputWriter>> batch_output_writers(const Model& model, const BatchOptions& options) {
  std::vector<std::unique_ptr<OutputWriter>> writers;
  if (options.rows) {
    writers.push_back(detail::make_runs_writer());
    writers.push_back(detail::make_inputs_writer());
  }
  writers.push_back(detail::make_summary_writer());
  const auto& tables = model.entity_tables();
  for (std::size_t i = 0; i < tables.size(); ++i) {
    writers.push_back(detail::make_entity_table_writer(tables[i], i));
    if (options.entity_runs && !tables[i].run_fields.empty())
      writers.push_back(detail::make_entity_runs_writer(tables[i], i));
  }
  writers.push_back(detail::make_sensitivity_writer());
  writers.push_back(detail::make_timeseries_writer());
  writers.push_back(detail::make_columns_writer());
  writers.push_back(detail::make_run_json_writer());
  return writers;
}

std::uint64_t outputs_memory_bytes(const Model& model, const BatchOptions& options) {
  if (options.bounded) return 0;
  // Fitted to the default scenario's peak resident memory under `padsim run --no-rows` at 10^6 and
  // 2x10^6 replications (the rows are written a part at a time): 0.16, 0.41, 0.74 and 1.29 KB per
  // replication beyond its 1.6 KB of results on 1, 2, 4 and 8 threads, against 0.26, 0.42, 0.74
  // and 1.38 KB from this count (13 columns held, 20 per thread).
  constexpr std::uint64_t kColumnsPerThread = 20;
  std::uint64_t columns = 1;
  for (const OutcomeInfo& o : model.outcomes())
    if (o.headline) columns += o.kind == OutcomeKind::kValue ? 2 : 1;
  columns += kColumnsPerThread * batch_threads(options);
  const std::uint64_t n = options.auto_runs ? options.max_replications : options.replications;
  const std::uint64_t per_replication = columns * sizeof(double);
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  return n > max / per_replication ? max : n * per_replication;
}

std::vector<std::string> batch_output_files(const Model& model) { return batch_output_files(model, {}); }

std::vector<std::string> batch_output_files(const Model& model, const BatchOptions& options) {
  std::vector<std::string> files;
  for (const auto& writer : batch_output_writers(model, options)) files.push_back(writer->file_name());
  return files;
}

void write_batch_outputs(const Model& model, const BatchResult& result, const BatchOptions& options,
                         const std::filesystem::path& dir, const BatchStatistics* statistics) {
  ResultSet set(dir);
  write_batch_outputs(model, result, options, set, statistics);
  set.commit();
}

void write_batch_outputs(const Model& model, const BatchResult& result, const BatchOptions& options,
                         ResultSet& set, const BatchStatistics* statistics) {
  const detail::ReplicationShape shape = detail::shape_of(model);  // checks the table declarations
  if (shape.table_cells != result.table_cells)
    throw Error("the batch result does not have the model's entity tables");
  // A bounded batch keeps the cells of its retained replications only: a per-replication entity
  // file written from them would silently miss the rest.
  if (result.streamed && options.entity_runs)
    throw Error("per-replication entity files need an exact batch, not a bounded-memory one");
  std::optional<BatchStatistics> own;
  if (statistics == nullptr) statistics = &own.emplace(model, result);
  const BatchOutput batch{model, result, options, *statistics};
  auto writers = batch_output_writers(model, options);
  if (result.streamed)  // run_bounded_batch wrote these as it went
    std::erase_if(writers, [](const auto& w) {
      return w->file_name() == "runs.csv" || w->file_name() == "inputs.csv";
    });
  std::vector<std::ostream*> files;
  for (const auto& writer : writers) files.push_back(&set.open(writer->file_name()));
  // Files that other options write (runs.csv, inputs.csv, per-replication entity files) are not
  // left from an earlier set in the same directory beside these.
  BatchOptions every = options;
  every.rows = true;
  every.entity_runs = true;
  const std::vector<std::string> written = batch_output_files(model, options);
  for (const std::string& name : batch_output_files(model, every))
    if (std::find(written.begin(), written.end(), name) == written.end()) set.leave_out(name);
  // Each part is computed and formatted by one job (OrderedFile). With 10^5 replications the
  // sorting and formatting cost as much as the replications themselves: doing it on one thread
  // would undo the batch's parallel speed-up. A file of one part is written straight into its file.
  detail::TextPool pool;
  std::vector<std::unique_ptr<detail::OrderedFile>> ordered(writers.size());
  std::vector<std::atomic<std::int64_t>> cpu_ns(writers.size());  // per file, for the debug log
  std::vector<std::function<void()>> jobs;
  for (std::size_t w = 0; w < writers.size(); ++w) {
    const std::size_t parts = writers[w]->parts(batch);
    if (parts == 1) {
      jobs.emplace_back([&, w] {
        const CpuTimer timer(cpu_ns[w]);
        writers[w]->write(batch, 0, *files[w]);
      });
      continue;
    }
    ordered[w] = std::make_unique<detail::OrderedFile>(*files[w], parts, pool);
    for (std::size_t p = 0; p < parts; ++p)
      jobs.emplace_back([&, w, p] {
        const CpuTimer timer(cpu_ns[w]);
        ordered[w]->write_part(p, [&](std::ostream& out) { writers[w]->write(batch, p, out); });
      });
  }
  const auto started = std::chrono::steady_clock::now();
  const std::clock_t process_cpu = std::clock();
  detail::run_jobs(jobs, std::max(1u, result.threads));
  if (spdlog::should_log(spdlog::level::debug)) {
    std::string account;
    for (std::size_t w = 0; w < writers.size(); ++w)
      account += fmt::format("{}{} {:.2f}", account.empty() ? "" : ", ", writers[w]->file_name(),
                             static_cast<double>(cpu_ns[w].load()) * 1e-9);
    spdlog::debug("outputs: {:.2f} s of CPU in {:.2f} s (per file: {})",
                  static_cast<double>(std::clock() - process_cpu) / CLOCKS_PER_SEC,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                  account);
  }
  if (options.interrupt != nullptr && options.interrupt->load())
    throw Interrupted("interrupted while writing outputs");
}

}  // namespace padsim
