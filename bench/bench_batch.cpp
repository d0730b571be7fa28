// Batch throughput: replications per second (items_per_second) of run_batch on 1 and 2 threads
// with a toy model whose replication is a small event simulation (a few hundred events, tens of
// microseconds, the order of a real scenario). BM_batch/threads:2 also reports
// `speedup_vs_1_thread`, the ratio of its rate to BM_batch/threads:1's (run first). Real time is
// measured, since the point is wall-clock speed-up. On a shared 2-core machine the ratio also
// shows how busy the other core was.
//
// BM_run_command/N/T/R is what `padsim run --runs N --threads T` does with the default scenario
// (R = 0: with --no-rows): run_batch, then write_batch_outputs into a temporary directory. Its
// items_per_second is the end-to-end rate; `sim_only_per_second` is run_batch's rate in the same
// iterations, and `end_to_end_vs_sim` their ratio (1 would mean the statistics and files cost
// nothing). BM_run_bounded/N/T/R is the same command with --bounded-memory; its reference is an
// exact run_batch of the same batch in each iteration, outside the timing.
#include <benchmark/benchmark.h>

#include <boost/random/exponential_distribution.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <fstream>
#include <sstream>

#include "padsim/batch.hpp"
#include "padsim/bounded_batch.hpp"
#include "padsim/models/scenario.hpp"
#include "padsim/models/task_table.hpp"
#include "padsim/monte_carlo.hpp"
#include "padsim/result_set.hpp"
#include "padsim/rng.hpp"
#include "padsim/simulation.hpp"

namespace {

/// Twenty chained "tasks" each needing a random number of exponential steps, as a repair graph
/// would in the engine; outcome: the completion day.
class EngineToyModel : public padsim::Model {
 public:
  EngineToyModel() {
    outcomes_ = {{"pad_ready_day", "day", padsim::OutcomeKind::kValue, true, true, ""},
                 {"late", "0/1", padsim::OutcomeKind::kEvent, true, false, ""}};
    std::vector<std::string> tasks;
    for (int i = 0; i < kTasks; ++i) {
      std::string id(1, 'T');
      id += std::to_string(i);
      inputs_.push_back(std::string("duration:").append(id));
      tasks.push_back(std::move(id));
    }
    tables_.push_back(padsim::models::task_table(std::move(tasks), "pad_ready_day"));
  }
  const std::vector<padsim::OutcomeInfo>& outcomes() const override { return outcomes_; }
  const std::vector<std::string>& inputs() const override { return inputs_; }
  const std::vector<padsim::EntityTable>& entity_tables() const override { return tables_; }
  const std::vector<std::string>& series_names() const override { return none_; }
  std::string epoch() const override { return "2025-11-27T09:28Z"; }
  padsim::Time horizon() const override { return 1e9; }

  void run(std::uint64_t seed, std::uint64_t replication, padsim::ReplicationResult& out,
           padsim::TraceSink*) const override {
    padsim::Rng rng(seed, replication, padsim::stream_key("test"));
    boost::random::exponential_distribution<double> step(1.0);
    padsim::Simulation sim;
    double task_start = 0.0;
    for (int t = 0; t < kTasks; ++t) {
      int steps = 10 + static_cast<int>(rng() % 10);
      // Each step is one event; the task ends with its last step.
      std::function<void()> next = [&] {
        if (--steps > 0) sim.schedule_in(step(rng), [&] { next(); });
      };
      sim.schedule_in(step(rng), [&] { next(); });
      sim.run();
      const auto i = static_cast<std::size_t>(t);
      padsim::models::set_task_record(out.tables[padsim::models::kTaskTable], i,
                                      {task_start, sim.now(), sim.now() - task_start, true});
      out.inputs[i] = sim.now() - task_start;
      task_start = sim.now();
    }
    out.outcomes[0] = sim.now();
    out.outcomes[1] = sim.now() > 300.0 ? 1.0 : 0.0;
  }

 private:
  static constexpr int kTasks = 20;
  std::vector<padsim::OutcomeInfo> outcomes_;
  std::vector<std::string> inputs_, none_;
  std::vector<padsim::EntityTable> tables_;
};

double g_one_thread_rate = 0.0;

void BM_batch(benchmark::State& state) {
  const EngineToyModel model;
  padsim::BatchOptions options;
  options.replications = 4000;
  options.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    const padsim::BatchResult result = padsim::run_batch(model, options);
    benchmark::DoNotOptimize(result.outcomes.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(options.replications));
  state.counters["threads"] = static_cast<double>(options.threads);
}

// Wraps BM_batch to record the 1-thread rate and report the 2-thread speed-up beside it.
void BM_batch_speedup(benchmark::State& state) {
  const auto start = std::chrono::steady_clock::now();
  BM_batch(state);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double rate = static_cast<double>(state.iterations()) * 4000.0 / seconds;
  if (state.range(0) == 1) g_one_thread_rate = rate;
  else if (g_one_thread_rate > 0.0) state.counters["speedup_vs_1_thread"] = rate / g_one_thread_rate;
}

/// The statistics and files after a batch of 20,000: what a run adds after simulating.
void BM_batch_outputs(benchmark::State& state) {
  const EngineToyModel model;
  padsim::BatchOptions options;
  options.replications = 20000;
  options.threads = 2;
  const padsim::BatchResult result = padsim::run_batch(model, options);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("padsim_bench_" + std::to_string(::getpid()));
  for (auto _ : state) padsim::write_batch_outputs(model, result, options, dir);
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(options.replications));
}

/// The default scenario, and the options of `padsim run --runs N --threads T [--no-rows]`.
struct RunCommand {
  std::unique_ptr<padsim::Model> model;
  padsim::BatchOptions options;
  std::filesystem::path dir;
};

RunCommand run_command(const benchmark::State& state) {
#ifdef __GLIBC__
  // As padsim's main() sets it: freed column buffers stay in the process for the next column.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
  std::ifstream in(std::string(PADSIM_SOURCE_DIR) + "/experiments/baikonur-2025.toml", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  RunCommand run{padsim::models::load_scenario(text.str(), "baikonur-2025.toml"), {}, {}};
  run.options.replications = static_cast<std::uint64_t>(state.range(0));
  run.options.threads = static_cast<unsigned>(state.range(1));
  run.options.rows = state.range(2) != 0;
  run.dir = std::filesystem::temp_directory_path() / ("padsim_bench_run_" + std::to_string(::getpid()));
  return run;
}

void report_run(benchmark::State& state, const padsim::BatchOptions& options, double sim_seconds,
                double total_seconds) {
  const double n = static_cast<double>(state.iterations()) * static_cast<double>(options.replications);
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
  state.counters["sim_only_per_second"] = n / sim_seconds;
  state.counters["end_to_end_vs_sim"] = sim_seconds / total_seconds;
  state.counters["threads"] = static_cast<double>(options.threads);
}

/// The whole command on the default scenario: the batch, then every output file.
void BM_run_command(benchmark::State& state) {
  const RunCommand run = run_command(state);
  double sim_seconds = 0.0;
  double total_seconds = 0.0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const padsim::BatchResult result = padsim::run_batch(*run.model, run.options);
    const auto simulated = std::chrono::steady_clock::now();
    padsim::write_batch_outputs(*run.model, result, run.options, run.dir);
    const auto end = std::chrono::steady_clock::now();
    sim_seconds += std::chrono::duration<double>(simulated - start).count();
    total_seconds += std::chrono::duration<double>(end - start).count();
  }
  std::filesystem::remove_all(run.dir);
  report_run(state, run.options, sim_seconds, total_seconds);
}

/// The same with --bounded-memory: run_bounded_batch streaming its rows into a result set, then
/// the other files. Its reference is the exact batch's simulation, run outside the timing.
void BM_run_bounded(benchmark::State& state) {
  const RunCommand run = run_command(state);
  padsim::BatchOptions bounded = run.options;
  bounded.bounded = true;
  double sim_seconds = 0.0;
  double total_seconds = 0.0;
  for (auto _ : state) {
    state.PauseTiming();
    const auto reference = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(padsim::run_batch(*run.model, run.options).outcomes.data());
    sim_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - reference).count();
    state.ResumeTiming();
    const auto start = std::chrono::steady_clock::now();
    padsim::ResultSet set(run.dir);
    const padsim::RowStreams rows =
        bounded.rows ? padsim::RowStreams{&set.open("runs.csv"), &set.open("inputs.csv"), true} : padsim::RowStreams{};
    const padsim::BatchResult result = padsim::run_bounded_batch(*run.model, bounded, rows);
    padsim::write_batch_outputs(*run.model, result, bounded, set);
    set.commit();
    total_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  std::filesystem::remove_all(run.dir);
  report_run(state, run.options, sim_seconds, total_seconds);
}

}  // namespace

BENCHMARK(BM_run_command)->Args({100000, 1, 1})->Args({100000, 2, 1})->Args({100000, 1, 0})
    ->Args({100000, 2, 0})->Iterations(1)->UseRealTime()
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_run_bounded)->Args({100000, 1, 0})->Args({100000, 2, 0})->Iterations(1)->UseRealTime()
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_batch_speedup)->Name("BM_batch/threads")->Arg(1)->Arg(2)->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_batch_outputs)->Unit(benchmark::kMillisecond);
