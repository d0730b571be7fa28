// The event-queue kernel.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
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
