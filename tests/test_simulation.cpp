// The event-queue kernel.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "padsim/simulation.hpp"

using padsim::Simulation;

TEST_CASE("events leave in time order") {
  Simulation sim;
  std::vector<int> seen;
  for (int i : {5, 1, 4, 2, 3}) sim.schedule_at(i, [&seen, i] { seen.push_back(i); });
  sim.run();
  CHECK(seen == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(sim.now() == 5.0);
  CHECK(sim.processed() == 5);
}

TEST_CASE("equal-time events leave in priority then insertion order") {
  Simulation sim;
  std::vector<std::string> seen;
  auto log = [&seen](const char* s) { return [&seen, s] { seen.emplace_back(s); }; };
  sim.schedule_at(1.0, log("p2-first"), 2);
  sim.schedule_at(1.0, log("p0-first"), 0);
  sim.schedule_at(1.0, log("p2-second"), 2);
  sim.schedule_at(1.0, log("p-1"), -1);
  sim.schedule_at(1.0, log("p0-second"), 0);
  sim.schedule_at(0.5, log("earlier"), 9);
  sim.run();
  CHECK(seen == std::vector<std::string>{"earlier", "p-1", "p0-first", "p0-second", "p2-first", "p2-second"});
}

TEST_CASE("events scheduled during an event at the same time run after it, in order") {
  Simulation sim;
  std::vector<int> seen;
  sim.schedule_at(1.0, [&] {
    seen.push_back(1);
    sim.schedule_in(0.0, [&] { seen.push_back(3); });
  });
  sim.schedule_at(1.0, [&] { seen.push_back(2); });
  sim.run();
  CHECK(seen == std::vector<int>{1, 2, 3});
}

TEST_CASE("a cancelled event never runs and cancel reports whether it was pending") {
  Simulation sim;
  int runs = 0;
  auto a = sim.schedule_at(1.0, [&] { ++runs; });
  auto b = sim.schedule_at(2.0, [&] { runs += 10; });
  CHECK(sim.pending() == 2);
  CHECK(sim.cancel(a));
  CHECK_FALSE(sim.cancel(a));
  CHECK_FALSE(sim.is_pending(a));
  CHECK(sim.is_pending(b));
  CHECK(sim.pending() == 1);
  sim.run();
  CHECK(runs == 10);
  CHECK_FALSE(sim.cancel(b));  // already ran
  CHECK_FALSE(sim.cancel(padsim::EventId{}));
}

TEST_CASE("a reused slot does not revive a cancelled event's id") {
  Simulation sim;
  int runs = 0;
  auto a = sim.schedule_at(1.0, [&] { runs += 1; });
  sim.cancel(a);
  CHECK(sim.peek() == std::numeric_limits<double>::infinity());  // drops a's key, frees its slot
  auto b = sim.schedule_at(1.0, [&] { runs += 100; });  // takes a's slot
  CHECK(b.slot == a.slot);
  CHECK_FALSE(sim.cancel(a));
  CHECK(sim.is_pending(b));
  sim.run();
  CHECK(runs == 100);
}

TEST_CASE("negative and NaN delays and times in the past are errors") {
  Simulation sim;
  sim.schedule_at(2.0, [] {});
  sim.run();
  CHECK_THROWS_WITH_AS(sim.schedule_in(-1.0, [] {}), "negative delay -1", padsim::SimulationError);
  CHECK_THROWS_WITH_AS(sim.schedule_in(std::nan(""), [] {}), "NaN delay", padsim::SimulationError);
  CHECK_THROWS_WITH_AS(sim.schedule_at(1.5, [] {}), "event time 1.5 is in the past (now 2)",
                       padsim::SimulationError);
  CHECK_THROWS_WITH_AS(sim.schedule_at(std::numeric_limits<double>::infinity(), [] {}),
                       "event time inf is not finite", padsim::SimulationError);
  CHECK_THROWS_WITH_AS(sim.schedule_at(3.0, [] {}, 40000), doctest::Contains("priority 40000"),
                       padsim::SimulationError);
  CHECK(sim.pending() == 0);
}

TEST_CASE("run_until runs events up to and including t and moves the clock to t") {
  Simulation sim;
  std::vector<double> seen;
  for (double t : {1.0, 2.0, 3.0}) sim.schedule_at(t, [&sim, &seen] { seen.push_back(sim.now()); });
  sim.run_until(2.0);
  CHECK(seen == std::vector<double>{1.0, 2.0});
  CHECK(sim.now() == 2.0);
  sim.run_until(2.5);
  CHECK(sim.now() == 2.5);
  CHECK(sim.pending() == 1);
  CHECK(sim.peek() == 3.0);
}

TEST_CASE("stop makes run return after the current event") {
  Simulation sim;
  int runs = 0;
  sim.schedule_at(1.0, [&] { ++runs; sim.stop(); });
  sim.schedule_at(2.0, [&] { ++runs; });
  sim.run();
  CHECK(runs == 1);
  sim.run();
  CHECK(runs == 2);
}

TEST_CASE("the queue matches a sorted oracle on many random events with cancels") {
  Simulation sim;
  std::vector<std::pair<double, int>> expected;
  std::vector<std::pair<double, int>> seen;
  std::vector<padsim::EventId> ids;
  std::uint64_t x = 12345;
  auto next = [&x] { x = x * 6364136223846793005ULL + 1442695040888963407ULL; return x >> 33; };
  for (int i = 0; i < 5000; ++i) {
    double t = static_cast<double>(next() % 1000) / 10.0;
    ids.push_back(sim.schedule_at(t, [&seen, &sim, i] { seen.emplace_back(sim.now(), i); }));
    expected.emplace_back(t, i);
  }
  std::vector<bool> cancelled(expected.size());
  for (int i = 0; i < 5000; i += 3) {
    sim.cancel(ids[i]);
    cancelled[i] = true;
  }
  std::vector<std::pair<double, int>> live;
  for (auto& e : expected)
    if (!cancelled[e.second]) live.push_back(e);
  std::stable_sort(live.begin(), live.end(), [](auto& a, auto& b) { return a.first < b.first; });
  sim.run();
  CHECK(seen == live);
}

TEST_CASE("reserve makes room for that many queued events and reserve_hint reports it") {
  Simulation sim;
  sim.reserve(40);
  CHECK(sim.reserve_hint() >= 40);
  const std::size_t reserved = sim.allocated_bytes();
  std::vector<int> seen;
  for (int i = 40; i > 0; --i) sim.schedule_at(i, [&seen, i] { seen.push_back(i); });
  CHECK(sim.allocated_bytes() == reserved);  // 40 queued: nothing grew
  sim.run();
  CHECK(seen.size() == 40);
  CHECK(std::is_sorted(seen.begin(), seen.end()));

  // A queue that grew past its reservation reports the larger capacity, for the next run.
  Simulation grown;
  for (int i = 0; i < 100; ++i) grown.schedule_at(i, [] {});
  CHECK(grown.reserve_hint() >= 100);
}

TEST_CASE("property: schedules, cancels and steps interleaved match a sorted oracle with priorities") {
  // The oracle orders by (time, priority, order of scheduling); times and priorities come from
  // small sets so that ties of both are frequent. Actions schedule more events while they run.
  using Entry = std::tuple<double, int, std::uint64_t, int>;  // time, priority, sequence, id
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    Simulation sim;
    std::set<Entry> oracle;
    std::vector<padsim::EventId> ids;
    std::vector<Entry> entries;
    std::vector<int> seen;
    std::uint64_t x = seed;
    auto next = [&x] { x = x * 6364136223846793005ULL + 1442695040888963407ULL; return x >> 33; };
    std::uint64_t sequence = 0;
    std::function<void()> schedule = [&] {
      const double t = sim.now() + static_cast<double>(next() % 4);
      const int priority = static_cast<int>(next() % 3) - 1;
      const int id = static_cast<int>(ids.size());
      auto* log = &seen;
      auto* more = &schedule;
      const bool spawns = next() % 4 == 0;
      ids.push_back(sim.schedule_at(t, [log, more, id, spawns] {
        log->push_back(id);
        if (spawns) (*more)();
      }, priority));
      entries.emplace_back(t, priority, sequence++, id);
      oracle.insert(entries.back());
    };
    std::vector<int> expected;
    for (int round = 0; round < 20000; ++round) {
      const auto op = next() % 8;
      if (op < 4) {
        schedule();
      } else if (op < 5 && !ids.empty()) {
        const auto id = static_cast<std::size_t>(next() % ids.size());
        const bool pending = oracle.erase(entries[id]) == 1;
        CHECK(sim.cancel(ids[id]) == pending);
      } else if (!oracle.empty()) {
        const Entry first = *oracle.begin();
        oracle.erase(oracle.begin());
        expected.push_back(std::get<3>(first));
        const std::size_t before = seen.size();
        // The action may schedule one more event: the oracle learns of it through schedule().
        REQUIRE(sim.step());
        REQUIRE(seen.size() == before + 1);
        CHECK(sim.now() == std::get<0>(first));
      }
      REQUIRE(sim.pending() == oracle.size());
    }
    CHECK(seen == expected);
  }
}

TEST_CASE("FIFO order among equal times and priorities survives the sequence numbers' renumbering") {
  // Keys carry a 24-bit insertion sequence that is renumbered when it runs out: run past 2^24
  // events, every time step the same 600 events at one time with three priorities, each
  // rescheduling itself one day later. Each day must replay the same order: priority, then id.
  constexpr int kEvents = 600;
  Simulation sim;
  std::vector<int> seen;
  seen.reserve(std::size_t{1} << 25);
  struct Again {
    Simulation* sim;
    std::vector<int>* seen;
    int id;
    void operator()() const {
      seen->push_back(id);
      sim->schedule_in(1.0, *this, id % 3);
    }
  };
  for (int id = 0; id < kEvents; ++id) sim.schedule_at(0.0, Again{&sim, &seen, id}, id % 3);
  std::vector<int> day;
  for (int priority = 0; priority < 3; ++priority)
    for (int id = priority; id < kEvents; id += 3) day.push_back(id);
  const std::uint64_t steps = (std::uint64_t{1} << 24) + 5 * kEvents;
  for (std::uint64_t k = 0; k < steps; ++k) sim.step();
  std::uint64_t wrong = 0;
  for (std::size_t k = 0; k < seen.size(); ++k) wrong += seen[k] != day[k % kEvents] ? 1 : 0;
  CHECK(seen.size() == steps);
  CHECK(wrong == 0);
}

TEST_CASE("an event at -0 runs at time 0") {
  Simulation sim;
  double at = 1.0;
  sim.schedule_at(-0.0, [&] { at = sim.now(); });
  sim.schedule_at(0.0, [] {}, -1);  // +0 and -0 are the same time: the priority decides
  sim.step();
  CHECK(at == 1.0);
  sim.step();
  CHECK(at == 0.0);
}
