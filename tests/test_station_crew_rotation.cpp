// The station's crew rotation (models/station_crew_rotation.cpp): handovers along a line, limits,
// a lost replacement, and the crew aboard. Expected values are worked out in the comments.
#include <doctest/doctest.h>

#include "station_unit.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::Harness;
using padsim::test::StationBuilder;

TEST_CASE("a crew vehicle waits for the next of its line, then leaves after the handover") {
  // Line L, handover 4 days. A (2 rs, docked day -10, planned departure 15) waits for B (NET 20,
  // 3 usos): not scheduled before B docks (it holds its port), leaves at 20 + 4 = 24.
  StationBuilder b;
  const auto line = b.line("L", 4.0);
  b.docked("A", 1, -10.0, 15.0, {2, 0}).rotation = line;
  auto& m = b.mission("B", 1, 20.0, 100.0);
  m.crew = {0, 3};
  m.rotation = line;
  Harness h(b.s);
  CHECK(h.flight(0).awaiting);
  CHECK(h.flight(0).undock_at == 260.0);  // at its waiver limit at the latest: -10 + 270
  CHECK(h.st.rotation.crew() == 2);
  h.st.queue.replan();
  h.sim().run_until(22.0);
  CHECK(h.flight(1).docked_at == 20.0);
  CHECK(h.flight(0).handed_over);
  CHECK(h.flight(0).undock_at == 24.0);
  CHECK(h.st.rotation.crew() == 5);
  h.sim().run_until(30.0);
  CHECK(h.flight(0).state == models::detail::FlightState::kGone);
  CHECK(h.st.rotation.rs() == 0);
  CHECK(h.st.rotation.usos() == 3);
  const auto& steps = h.st.rotation.steps();
  REQUIRE(steps.size() == 3);
  CHECK((steps[1].t == 20.0 && steps[1].rs == 2 && steps[1].usos == 3));
  CHECK((steps[2].t == 24.0 && steps[2].rs == 0 && steps[2].usos == 3));
}

TEST_CASE("a handover never keeps a vehicle past its life limit") {
  // A docked day -265 (waiver 270: limit day 5); B docks day 3; handover 4 would be day 7 -> 5.
  StationBuilder b;
  const auto line = b.line("L", 4.0);
  b.docked("A", 1, -265.0, 1.0, {1, 0}).rotation = line;
  b.mission("B", 1, 3.0).rotation = line;
  Harness h(b.s);
  CHECK(h.flight(0).limit == 5.0);
  h.st.queue.replan();
  h.sim().run_until(4.0);
  CHECK(h.flight(0).undock_at == 5.0);
}

TEST_CASE("when the replacement is lost, the waiting vehicle leaves at its planned departure") {
  // Deterministic: B's launch at day 20 fails (probability 0.9). A was waiting (planned 15): it
  // leaves now, at max(20, min(15, limit)) = 20.
  StationBuilder b;
  b.s.deterministic = true;
  b.s.vehicles[1].failure_probability = 0.9;
  const auto line = b.line("L", 4.0);
  b.docked("A", 1, -10.0, 15.0, {2, 0}).rotation = line;
  b.mission("B", 1, 20.0).rotation = line;
  Harness h(b.s);
  h.st.queue.replan();
  h.sim().run_until(20.0);
  CHECK(h.st.queue[0].failed);
  CHECK_FALSE(h.flight(0).awaiting);
  CHECK(h.flight(0).undock_at == 20.0);
  CHECK(h.flight(0).state == models::detail::FlightState::kGone);
}

TEST_CASE("a vehicle without a line leaves at its planned departure, capped by its limit") {
  // Capsule (certified 250, waiver 270): C docked day -200 planned day 100 leaves at 70 (limit).
  StationBuilder b;
  b.docked("C", 1, -200.0, 100.0, {1, 1});
  b.s.lifeboat = LifeboatPolicy::kExtend;
  Harness h(b.s);
  CHECK(h.flight(0).undock_at == 70.0);
  b.s.lifeboat = LifeboatPolicy::kReturn;
  Harness r(b.s);
  CHECK(r.flight(0).undock_at == 50.0);  // certified life: -200 + 250
}
