// The station's ports (models/station_ports.cpp): look-ahead over the schedule and allocation at a
// launch, on hand-built states. Expected values are worked out in the comments.
#include <doctest/doctest.h>

#include "station_unit.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::Harness;
using padsim::test::StationBuilder;

TEST_CASE("a port type is free on arrival once all but count-1 holders have left") {
  // Two crew ports; docked A leaves day 30, B day 50, C day 40. Sorted departures 30, 40, 50: with
  // two ports, the first is free at 30 only if a third holder is gone: free from the 2nd, day 40.
  StationBuilder b;
  b.docked("A", 1, -10.0, 30.0);
  b.docked("B", 1, -10.0, 50.0);
  b.docked("C", 1, -10.0, 40.0);
  Harness h(b.s);
  CHECK(h.st.ports.holders(1).size() == 3);
  CHECK(h.st.ports.free_from(1) == 40.0);
  CHECK(h.st.ports.free_from(0) == -models::detail::kInf);  // no cargo holder: free now
  CHECK(h.st.ports.earliest_arrival(1) == 40.0);
  // A docking at 40: C, leaving at 40, frees its port for it; only B still holds one.
  CHECK(h.st.ports.holding(1, 40.0, true) == 1);
  CHECK(h.st.ports.holding(1, 39.0, true) == 2);
  // A vehicle in transit or waiting for its replacement holds its port for good.
  h.flight(0).awaiting = true;
  CHECK(h.st.ports.free_from(1) == 50.0);
  h.flight(0).awaiting = false;
  h.flight(2).state = models::detail::FlightState::kInTransit;
  CHECK(h.st.ports.free_from(1) == 50.0);
}

TEST_CASE("the launch queue looks ahead: a launch leaves transit days before its port is free") {
  // One cargo port held until day 30 by docked X; mission M (transit 2) is ready at day 0:
  // earliest launch 30 - 2 = 28, then it docks at 30.
  StationBuilder b;
  b.s.ports[0].count = 1;
  b.s.vehicles[0].transit = 2.0;
  b.docked("X", 0, -10.0, 30.0);
  b.mission("M", 0, 0.0);
  Harness h(b.s);
  CHECK(h.st.queue.earliest(0) == 28.0);
  h.st.queue.replan();
  h.sim().run_until(100.0);
  CHECK(h.st.queue[0].launch_day == 28.0);
  CHECK(h.flight(1).docked_at == 30.0);
  CHECK(h.flight(1).port == 0);
}

TEST_CASE("an until_port_needed occupant is vacated at the launch that needs its port") {
  // One cargo port; docked Y (until_port_needed, docked day -5, waiver 365) never holds it against
  // a launch: free_from ignores it. A launch at day 3 takes the port and sends Y away at once.
  StationBuilder b;
  b.s.ports[0].count = 1;
  b.docked("Y", 0, -5.0, 20.0).departure_rule = DepartureRule::kUntilPortNeeded;
  b.mission("M", 0, 3.0);
  Harness h(b.s, /*traced=*/true);
  CHECK(h.flight(0).vacatable);
  CHECK(h.flight(0).undock_at == 360.0);  // its waiver life: -5 + 365
  CHECK(h.st.ports.free_from(0) == -models::detail::kInf);
  CHECK(h.st.ports.holding(0, 3.0, false) == 0);
  CHECK(h.st.ports.holding(0, 3.0, true) == 1);
  h.sim().run_until(3.0);
  h.flight(1).state = models::detail::FlightState::kInTransit;
  h.st.ports.assign(1, false);
  CHECK(h.flight(1).port == 0);
  CHECK_FALSE(h.flight(0).vacatable);
  CHECK(h.flight(0).undock_at == 3.0);
  h.flush();
  CHECK(h.trace.times("vacate", "Y") == std::vector<double>{3.0});
}

TEST_CASE("a port is taken from the class's first listed type that is free on arrival") {
  // The capsule may use crew-port (2, both held to day 50) or cargo-port (3, free): it takes cargo.
  StationBuilder b;
  b.s.vehicles[1].ports = {1, 0};
  b.docked("A", 1, -10.0, 50.0);
  b.docked("B", 1, -10.0, 50.0);
  b.mission("M", 1, 0.0);
  Harness h(b.s);
  CHECK(h.st.ports.earliest_arrival(1) == -models::detail::kInf);
  h.flight(2).state = models::detail::FlightState::kInTransit;
  h.st.ports.assign(2, false);
  CHECK(h.flight(2).port == 0);
  // Released, it holds nothing.
  h.st.ports.release(2);
  CHECK(h.st.ports.holders(0).empty());
}
