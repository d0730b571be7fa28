// The resource allocator: atomic multi-type requests under strict FIFO and greedy backfill, with
// grant orders computed by hand.
#include <doctest/doctest.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "padsim/allocator.hpp"
#include "padsim/simulation.hpp"

using padsim::GrantPolicy;
using padsim::ResourceAllocator;
using padsim::ResourceNeed;
using padsim::Simulation;

namespace {

constexpr std::size_t kCrew = 0, kCrane = 1;

/// Requests that arrive at a time, hold what they asked for for some days, then release it; the
/// log records "name@day" at each grant.
struct Workload {
  struct Job {
    std::string name;
    double arrive;
    std::vector<ResourceNeed> needs;
    double hold;
    int priority = 0;
  };
  Simulation sim;
  std::vector<Job> jobs;
  std::vector<std::string> log;
  std::vector<std::size_t> batches;  // grants per on_grant call
  ResourceAllocator pool;

  Workload(std::vector<int> capacities, GrantPolicy policy, std::vector<Job> js)
      : jobs(std::move(js)),
        pool(sim, std::move(capacities), policy, [this](std::span<const std::uint64_t> tags) { granted(tags); }) {
    for (std::size_t j = 0; j < jobs.size(); ++j) {
      Workload* self = this;
      sim.schedule_at(jobs[j].arrive, [self, j] { self->pool.request(self->jobs[j].needs, j, self->jobs[j].priority); });
    }
  }

  void granted(std::span<const std::uint64_t> tags) {
    batches.push_back(tags.size());
    for (const std::uint64_t tag : tags) {
      const auto j = static_cast<std::size_t>(tag);
      log.push_back(jobs[j].name + "@" + std::to_string(static_cast<int>(sim.now())));
      Workload* self = this;
      sim.schedule_in(jobs[j].hold, [self, j] { self->pool.release(self->jobs[j].needs); });
    }
  }

  std::vector<std::string> run() {
    sim.run();
    return log;
  }
};

// Two crews and one crane. A takes both crews for 10 days; B needs a crew AND the crane (blocked on
// crews only); C needs the crane alone; D one crew.
std::vector<Workload::Job> mixed_jobs() {
  return {{"A", 0, {{kCrew, 2}}, 10},
          {"B", 1, {{kCrew, 1}, {kCrane, 1}}, 5},
          {"C", 2, {{kCrane, 1}}, 4},
          {"D", 3, {{kCrew, 1}}, 1}};
}

}  // namespace

TEST_CASE("strict FIFO: a request blocked on one type holds nothing and blocks everyone behind it") {
  Workload w({2, 1}, GrantPolicy::kStrictFifo, mixed_jobs());
  w.sim.run_until(3.5);
  // B waits for a crew; it does not hold the crane meanwhile, yet C (which needs only the crane) may
  // not overtake it, nor D.
  CHECK(w.pool.available(kCrane) == 1);
  CHECK(w.pool.available(kCrew) == 0);
  CHECK(w.pool.waiting() == 3);
  // At 10 A frees both crews: B takes a crew and the crane; C waits for the crane and D, although a
  // crew is free, waits behind C. At 15 B frees them: C and D together.
  CHECK(w.run() == std::vector<std::string>{"A@0", "B@10", "C@15", "D@15"});
  CHECK(w.batches == std::vector<std::size_t>{1, 1, 2});
  CHECK(w.pool.available(kCrew) == 2);
  CHECK(w.pool.available(kCrane) == 1);
}

TEST_CASE("greedy backfill: a later request that fits now starts while an earlier one waits") {
  Workload w({2, 1}, GrantPolicy::kBackfill, mixed_jobs());
  // C takes the free crane at 2 (B waits for a crew), releases it at 6; D waits for a crew. At 10
  // A frees both crews: B (first in the queue) takes a crew and the crane, D the other crew.
  CHECK(w.run() == std::vector<std::string>{"A@0", "C@2", "B@10", "D@10"});
  CHECK(w.batches == std::vector<std::size_t>{1, 1, 2});
}

TEST_CASE("backfill can delay a multi-type request that strict FIFO would start first") {
  // One crew, one crane. X holds the crew to day 4. Y needs the crew and the crane; Z, queued after
  // Y, needs the crane for 5 days.
  const std::vector<Workload::Job> jobs{
      {"X", 0, {{kCrew, 1}}, 4}, {"Y", 0.5, {{kCrew, 1}, {kCrane, 1}}, 1}, {"Z", 1, {{kCrane, 1}}, 5}};
  // Backfill: Z takes the free crane at 1, so Y waits for both and starts at 6, when Z is done.
  CHECK(Workload({1, 1}, GrantPolicy::kBackfill, jobs).run() == std::vector<std::string>{"X@0", "Z@1", "Y@6"});
  // Strict FIFO: Z waits behind Y; Y starts at 4 when the crew comes back, Z at 5.
  CHECK(Workload({1, 1}, GrantPolicy::kStrictFifo, jobs).run() == std::vector<std::string>{"X@0", "Y@4", "Z@5"});
}

TEST_CASE("the queue is ordered by request time, then priority, then call order") {
  // One crew, held by H until day 5. At day 1 P9 (priority 9) asks; at day 2 P0, P1 and Q0 ask
  // (priorities 0, 1, 0, in that call order). Time beats priority: P9 first, then by priority, ties
  // in call order: P0, Q0, P1.
  for (const GrantPolicy policy : {GrantPolicy::kStrictFifo, GrantPolicy::kBackfill}) {
    Workload w({1}, policy,
               {{"H", 0, {{kCrew, 1}}, 5},
                {"P9", 1, {{kCrew, 1}}, 1, 9},
                {"P0", 2, {{kCrew, 1}}, 1, 0},
                {"P1", 2, {{kCrew, 1}}, 1, 1},
                {"Q0", 2, {{kCrew, 1}}, 1, 0}});
    CHECK(w.run() == std::vector<std::string>{"H@0", "P9@5", "P0@6", "Q0@7", "P1@8"});
  }
}

TEST_CASE("grants are settled in one dispatch event per instant, never inside request()") {
  Simulation sim;
  std::vector<std::vector<std::uint64_t>> calls;
  ResourceAllocator pool(sim, {3}, GrantPolicy::kStrictFifo, [&](std::span<const std::uint64_t> tags) {
    calls.emplace_back(tags.begin(), tags.end());
  });
  const ResourceNeed one[] = {{0, 1}};
  const ResourceNeed two[] = {{0, 2}};
  pool.request(one, 7);
  CHECK(calls.empty());  // not granted yet, although the units are free
  CHECK(pool.available(0) == 3);
  pool.request(two, 8);
  pool.request(one, 9);  // does not fit after 7 and 8: waits
  CHECK(sim.pending() == 1);  // one dispatch event for all three
  sim.run();
  CHECK(calls == std::vector<std::vector<std::uint64_t>>{{7, 8}});
  CHECK(pool.available(0) == 0);
  CHECK(pool.waiting() == 1);
  // A release schedules a dispatch: 9, queued since day 0, gets the freed unit; 10, asked later in
  // the same instant, waits behind it.
  sim.schedule_at(4.0, [&] {
    pool.release(one);
    pool.request(one, 10);
  });
  sim.run();
  CHECK(calls.back() == std::vector<std::uint64_t>{9});
  CHECK(pool.waiting() == 1);
}

TEST_CASE("the allocator rejects impossible capacities, requests and releases") {
  Simulation sim;
  CHECK_THROWS_WITH_AS(ResourceAllocator(sim, {2, 0}, GrantPolicy::kBackfill, {}),
                       "resource type 1: capacity 0 must be at least 1", padsim::ParameterError);
  ResourceAllocator pool(sim, {2, 1}, GrantPolicy::kBackfill, {});
  const ResourceNeed too_many[] = {{0, 3}};
  CHECK_THROWS_WITH_AS(pool.request(too_many, 4), "request 4: 3 units of resource type 0 outside [1, 2]",
                       padsim::ParameterError);
  const ResourceNeed unknown[] = {{2, 1}};
  CHECK_THROWS_WITH_AS(pool.request(unknown, 5), "request 5: resource type 2 does not exist (2 types)",
                       padsim::ParameterError);
  const ResourceNeed twice[] = {{1, 1}, {1, 1}};
  CHECK_THROWS_WITH_AS(pool.request(twice, 6), "request 6: resource type 1 listed twice", padsim::ParameterError);
  CHECK(pool.waiting() == 0);
  const ResourceNeed one[] = {{0, 1}};
  CHECK_THROWS_WITH_AS(pool.release(one), "release of 1 units of resource type 0 that are not held",
                       padsim::SimulationError);
}
