// The station's launch queue (models/station_launch_queue.cpp): when a mission can launch and the
// order in which pads serve ready missions. Expected values are worked out in the comments.
#include <doctest/doctest.h>

#include "station_unit.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::fixed;
using padsim::test::Harness;
using padsim::test::StationBuilder;

TEST_CASE("several pads serve the ready missions in pad file order, each the best one left") {
  // Pads P0 and P1 (turnaround 10 each) both serve the class. At day 0 missions M1 (priority 1),
  // M2 (priority 0) and M3 (priority 2) are ready: P0 takes M2, P1 takes M1; M3 waits for day 10,
  // when both pads are free again and P0, first in file order, takes it.
  StationBuilder b;
  b.s.pads[0].turnaround = fixed(10.0);
  auto second = b.s.pads[0];
  second.id = "pad2";
  b.s.pads.push_back(second);
  b.s.vehicles[0].pads = {0, 1};
  b.mission("M1", 0, 0.0).priority = 1;
  b.mission("M2", 0, 0.0).priority = 0;
  b.mission("M3", 0, 0.0).priority = 2;
  Harness h(b.s, /*traced=*/true);
  h.st.queue.replan();
  h.sim().run_until(100.0);
  CHECK(h.st.queue[0].launch_day == 0.0);
  CHECK(h.st.queue[1].launch_day == 0.0);
  CHECK(h.st.queue[2].launch_day == 10.0);
  CHECK(h.st.pads[0].available_at == 20.0);  // M2 at 0, M3 at 10
  CHECK(h.st.pads[1].available_at == 10.0);  // M1 at 0
  h.flush();
  std::vector<std::string> details;
  for (const auto& l : h.trace.lines)
    if (l.event == "launch") details.push_back(l.subject + " " + l.details.substr(0, l.details.find(',')));
  CHECK(details == std::vector<std::string>{"M2 from pad", "M1 from pad2", "M3 from pad"});
}

TEST_CASE("a mission's earliest launch is the latest of its ready day, its launcher, a pad and a port") {
  // Slip 0, NET 5; turnaround 8 after a launch at day 0 (pad free at 8); the port is free now.
  StationBuilder b;
  b.s.pads[0].turnaround = fixed(8.0);
  b.mission("A", 0, 0.0);
  b.mission("B", 0, 5.0);
  Harness h(b.s);
  CHECK(h.st.queue.earliest(0) == 0.0);
  CHECK(h.st.queue.earliest(1) == 5.0);
  h.st.queue.launch(0, 0, false);
  CHECK(h.st.queue[0].done);
  CHECK(h.st.queue.earliest(1) == 8.0);
}

TEST_CASE("a failure stands its launcher down, a new failure during the stand-down extends it") {
  // Deterministic: failure probability 0.9 happens; stand-down 30 days (fixture).
  StationBuilder b;
  b.s.deterministic = true;
  b.s.vehicles[0].failure_probability = 0.9;
  b.mission("A", 0, 0.0);
  b.mission("B", 0, 0.0);
  b.mission("C", 0, 50.0);
  Harness h(b.s);
  h.st.queue.launch(0, 0, false);
  CHECK(h.st.queue[0].failed);
  CHECK(h.flight(0).state == models::detail::FlightState::kLost);
  CHECK(h.flight(0).port == -1);
  CHECK(h.st.queue.stand_down_until(0) == 30.0);
  CHECK(h.st.queue.earliest(1) == 30.0);
  h.sim().run_until(10.0);
  h.st.queue.launch(1, 0, false);
  CHECK(h.st.queue.stand_down_until(0) == 40.0);
  CHECK(h.st.queue.earliest(2) == 50.0);
}

TEST_CASE("a negative slip moves a launch earlier, never before the mission's earliest date") {
  // Pad always up, turnaround 0, ports free: a mission launches at max(NET + slip, earliest, 0).
  StationBuilder b;
  SUBCASE("NET 20, slip -5: launches on day 15, slip outcome -5") {
    b.mission("M", 0, 20.0).slip = fixed(-5.0);
    padsim::test::Run r(b.s);
    CHECK(r["launch_day:M"] == 15.0);
    CHECK(r["slip:M"] == -5.0);
  }
  SUBCASE("NET 20, slip at its mode -15 (deterministic), earliest 10: launches on day 10, slip -10") {
    auto& m = b.mission("M", 0, 20.0);
    m.slip = Distribution(DistributionSpec::triangular(-20.0, -15.0, 5.0));
    m.earliest = 10.0;
    b.s.deterministic = true;
    padsim::test::Run r(b.s);
    CHECK(r["launch_day:M"] == 10.0);
    CHECK(r["slip:M"] == -10.0);
  }
  SUBCASE("NET 3, slip -10, no earliest: launches at the epoch, slip outcome -3") {
    b.mission("M", 0, 3.0).slip = fixed(-10.0);
    padsim::test::Run r(b.s);
    CHECK(r["launch_day:M"] == 0.0);
    CHECK(r["slip:M"] == -3.0);
  }
  SUBCASE("earliest later than NET + slip but reachable: NET 20, slip uniform(-10, 10), earliest 18") {
    // Deterministic mode: slip at its midpoint 0; ready = max(20 + 0, 18) = 20.
    auto& m = b.mission("M", 0, 20.0);
    m.slip = Distribution(DistributionSpec::uniform(-10.0, 10.0));
    m.earliest = 18.0;
    b.s.deterministic = true;
    padsim::test::Run r(b.s);
    CHECK(r["launch_day:M"] == 20.0);
    CHECK(r["slip:M"] == 0.0);
  }
}
