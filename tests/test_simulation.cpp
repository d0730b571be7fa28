// The event-queue kernel, processes, resources and triggers.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "padsim/resource.hpp"
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

namespace {
padsim::Process waiter(Simulation& sim, std::vector<std::string>& log, std::string name, double first,
                       double second) {
  log.push_back(name + " starts at " + std::to_string(int(sim.now())));
  co_await sim.timeout(first);
  log.push_back(name + " woke at " + std::to_string(int(sim.now())));
  co_await sim.timeout(second);
  log.push_back(name + " done at " + std::to_string(int(sim.now())));
}
}  // namespace

TEST_CASE("processes wait on simulated time") {
  Simulation sim;
  std::vector<std::string> log;
  sim.start(waiter(sim, log, "a", 3, 4));
  sim.start(waiter(sim, log, "b", 5, 1));
  sim.run();
  CHECK(log == std::vector<std::string>{"a starts at 0", "b starts at 0", "a woke at 3", "b woke at 5",
                                        "b done at 6", "a done at 7"});
  CHECK(sim.now() == 7.0);
}

TEST_CASE("an exception in a process surfaces from run") {
  Simulation sim;
  auto bad = [](Simulation& s) -> padsim::Process {
    co_await s.timeout(1.0);
    throw std::runtime_error("boom");
  };
  sim.start(bad(sim));
  CHECK_THROWS_WITH(sim.run(), "boom");
}

TEST_CASE("suspended processes are destroyed with the simulation") {
  int destroyed = 0;
  struct Guard {
    int* n;
    ~Guard() { ++*n; }
  };
  {
    Simulation sim;
    auto proc = [](Simulation& s, int* n) -> padsim::Process {
      Guard g{n};
      co_await s.timeout(100.0);
    };
    sim.start(proc(sim, &destroyed));
    sim.run_until(1.0);
    CHECK(destroyed == 0);
  }
  CHECK(destroyed == 1);
}

namespace {
padsim::Process user(Simulation& sim, padsim::Resource& res, std::vector<std::string>& log,
                     std::string name, double arrive, int units, int priority, double hold) {
  co_await sim.timeout(arrive);
  co_await res.request(units, priority);
  log.push_back(name + "@" + std::to_string(int(sim.now())));
  co_await sim.timeout(hold);
  res.release(units);
}
}  // namespace

TEST_CASE("a resource grants requests in priority then arrival order without overtaking") {
  Simulation sim;
  padsim::Resource crane(sim, "crane", 2);
  std::vector<std::string> log;
  sim.start(user(sim, crane, log, "A", 0, 2, 0, 10));   // holds both units until 10
  sim.start(user(sim, crane, log, "B", 1, 1, 5, 5));    // low priority, arrives first
  sim.start(user(sim, crane, log, "C", 2, 2, 0, 3));    // high priority, needs both
  sim.start(user(sim, crane, log, "D", 3, 1, 0, 1));    // high priority, arrives after C
  sim.run();
  // At 10: C (priority 0, first) takes both; D waits behind C (no overtaking); at 13 D and B.
  CHECK(log == std::vector<std::string>{"A@0", "C@10", "D@13", "B@13"});
  CHECK(crane.in_use() == 0);
}

TEST_CASE("a resource rejects impossible requests and releases") {
  Simulation sim;
  CHECK_THROWS_WITH_AS(padsim::Resource(sim, "crews", 0), "resource 'crews': capacity 0 must be at least 1",
                       padsim::ParameterError);
  padsim::Resource crews(sim, "crews", 2);
  CHECK_THROWS_WITH_AS(crews.request(3), "resource 'crews': request of 3 units outside [1, 2]",
                       padsim::ParameterError);
  CHECK_THROWS_AS(crews.release(1), padsim::SimulationError);
}

TEST_CASE("callback requests are granted in order when units are released") {
  Simulation sim;
  padsim::Resource crews(sim, "crews", 1);
  std::vector<std::string> log;
  crews.request(1, 0, [&] { log.push_back("first@" + std::to_string(int(sim.now()))); });
  crews.request(1, 0, [&] { log.push_back("second@" + std::to_string(int(sim.now()))); });
  sim.schedule_at(4.0, [&] { crews.release(); });
  sim.run();
  CHECK(log == std::vector<std::string>{"first@0", "second@4"});
}

TEST_CASE("processes waiting on a trigger resume when it fires, in order; a fired trigger does not block") {
  Simulation sim;
  padsim::Trigger pad_up(sim);
  std::vector<std::string> log;
  auto wait_pad = [](Simulation& s, padsim::Trigger& t, std::vector<std::string>& l, std::string n) -> padsim::Process {
    co_await t.wait();
    l.push_back(n + "@" + std::to_string(int(s.now())));
  };
  sim.start(wait_pad(sim, pad_up, log, "x"));
  sim.start(wait_pad(sim, pad_up, log, "y"));
  sim.schedule_at(97.0, [&] { pad_up.fire(); });
  sim.run();
  sim.start(wait_pad(sim, pad_up, log, "z"));
  sim.run();
  CHECK(log == std::vector<std::string>{"x@97", "y@97", "z@97"});
}
