// Writing a batch's files: every part of every file computed in parallel, then published together as one
// result set (padsim/result_set.hpp).
#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <sstream>
#include <thread>

#include "output_writers.hpp"
#include "padsim/result_set.hpp"
#include "replication_shape.hpp"

namespace padsim {

namespace {

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

}  // namespace

std::vector<std::unique_ptr<OutputWriter>> batch_output_writers(const Model& model) {
  std::vector<std::unique_ptr<OutputWriter>> writers;
  writers.push_back(detail::make_runs_writer());
  writers.push_back(detail::make_inputs_writer());
  writers.push_back(detail::make_summary_writer());
  const auto& tables = model.entity_tables();
  for (std::size_t i = 0; i < tables.size(); ++i)
    writers.push_back(detail::make_entity_table_writer(tables[i], i));
  writers.push_back(detail::make_sensitivity_writer());
  writers.push_back(detail::make_timeseries_writer());
  writers.push_back(detail::make_columns_writer());
  writers.push_back(detail::make_run_json_writer());
  return writers;
}

std::vector<std::string> batch_output_files(const Model& model) {
  std::vector<std::string> files;
  for (const auto& writer : batch_output_writers(model)) files.push_back(writer->file_name());
  return files;
}

void write_batch_outputs(const Model& model, const BatchResult& result, const BatchOptions& options,
                         const std::filesystem::path& dir) {
  ResultSet set(dir);
  write_batch_outputs(model, result, options, set);
  set.commit();
}

void write_batch_outputs(const Model& model, const BatchResult& result, const BatchOptions& options,
                         ResultSet& set) {
  const detail::ReplicationShape shape = detail::shape_of(model);  // checks the table declarations
  if (shape.table_cells != result.table_cells)
    throw Error("the batch result does not have the model's entity tables");
  const BatchOutput batch{model, result, options};
  auto writers = batch_output_writers(model);
  if (result.streamed)  // run_bounded_batch wrote these as it went
    std::erase_if(writers, [](const auto& w) {
      return w->file_name() == "runs.csv" || w->file_name() == "inputs.csv";
    });
  std::vector<std::ostream*> files;
  for (const auto& writer : writers) files.push_back(&set.open(writer->file_name()));
  // Each part is computed and formatted by one job into its own buffer, so the bytes do not
  // depend on how the jobs are spread over threads. With 10^5 replications the sorting and
  // formatting cost as much as the replications themselves: doing it on one thread would undo the
  // batch's parallel speed-up. A file of one part is written straight into its file.
  std::vector<std::vector<std::ostringstream>> buffers(writers.size());
  std::vector<std::function<void()>> jobs;
  for (std::size_t w = 0; w < writers.size(); ++w) {
    const std::size_t parts = writers[w]->parts(batch);
    if (parts == 1) {
      jobs.emplace_back([&, w] { writers[w]->write(batch, 0, *files[w]); });
      continue;
    }
    buffers[w].resize(parts);
    for (std::size_t p = 0; p < parts; ++p)
      jobs.emplace_back([&, w, p] { writers[w]->write(batch, p, buffers[w][p]); });
  }
  run_jobs(jobs, std::max(1u, result.threads));
  for (std::size_t w = 0; w < writers.size(); ++w)
    for (const auto& part : buffers[w]) *files[w] << part.view();
  if (options.interrupt != nullptr && options.interrupt->load())
    throw Interrupted("interrupted while writing outputs");
}

}  // namespace padsim
