// Engine benchmarks: the classic hold model through the public API against two bare heaps of
// (time, sequence) pairs in the same binary: std::priority_queue (BM_hold_baseline) and Boost's
// 4-ary d_ary_heap (BM_hold_dary). padsim_bench prints items_per_second of BM_hold_engine/N over
// each of them.
#include <benchmark/benchmark.h>

#include <boost/heap/d_ary_heap.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <functional>
#include <queue>
#include <vector>

#include "padsim/rng.hpp"
#include "padsim/simulation.hpp"

namespace {

struct Hold {
  padsim::Simulation* sim;
  padsim::Rng* rng;
  boost::random::exponential_distribution<double>* exp;
  void operator()() const { sim->schedule_in((*exp)(*rng), *this); }
};

void BM_hold_engine(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  padsim::Simulation sim;
  padsim::Rng rng(1, 0, padsim::stream_key("test"));
  boost::random::exponential_distribution<double> exp(1.0);
  Hold hold{&sim, &rng, &exp};
  for (std::size_t i = 0; i < n; ++i) sim.schedule_in(exp(rng), hold);
  for (auto _ : state) sim.step();
  state.SetItemsProcessed(state.iterations());
  // Memory per pending event: heap key + payload slot, at the vectors' current capacity.
  state.counters["pending"] = static_cast<double>(sim.pending());
}

void BM_hold_baseline(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  using Item = std::pair<double, std::uint64_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  padsim::Rng rng(1, 0, padsim::stream_key("test"));
  boost::random::exponential_distribution<double> exp(1.0);
  std::uint64_t sequence = 0;
  for (std::size_t i = 0; i < n; ++i) queue.emplace(exp(rng), sequence++);
  for (auto _ : state) {
    const double now = queue.top().first;
    queue.pop();
    queue.emplace(now + exp(rng), sequence++);
  }
  benchmark::DoNotOptimize(queue.top());
  state.SetItemsProcessed(state.iterations());
}

void BM_hold_dary(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  using Item = std::pair<double, std::uint64_t>;
  // Boost's heaps put the largest first: std::greater makes it a min-heap like the others.
  boost::heap::d_ary_heap<Item, boost::heap::arity<4>, boost::heap::compare<std::greater<Item>>> queue;
  padsim::Rng rng(1, 0, padsim::stream_key("test"));
  boost::random::exponential_distribution<double> exp(1.0);
  std::uint64_t sequence = 0;
  queue.reserve(n);
  for (std::size_t i = 0; i < n; ++i) queue.emplace(exp(rng), sequence++);
  for (auto _ : state) {
    const double now = queue.top().first;
    queue.pop();
    queue.emplace(now + exp(rng), sequence++);
  }
  benchmark::DoNotOptimize(queue.top());
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_hold_engine)->Arg(10)->Arg(1000)->Arg(100000)->Arg(1000000);
BENCHMARK(BM_hold_baseline)->Arg(10)->Arg(1000)->Arg(100000)->Arg(1000000);
BENCHMARK(BM_hold_dary)->Arg(10)->Arg(1000)->Arg(100000)->Arg(1000000);

// Bytes per pending event at N = 1,000,000: what the queue's vectors hold (a 16-byte key and a
// 40-byte payload slot per event, plus the vectors' growth slack) over the events pending.
void BM_memory_per_event(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  double bytes_per_event = 0.0;
  for (auto _ : state) {
    padsim::Simulation sim;
    for (std::size_t i = 0; i < n; ++i) sim.schedule_at(static_cast<double>(i), [] {});
    bytes_per_event = static_cast<double>(sim.allocated_bytes()) / static_cast<double>(sim.pending());
  }
  state.counters["bytes_per_event"] = bytes_per_event;
}
BENCHMARK(BM_memory_per_event)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
