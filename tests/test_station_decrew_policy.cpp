// The decrewing policy (models/station_decrew_policy.cpp): who is sent home, when, and the minimum.
#include <doctest/doctest.h>

#include "station_unit.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::consumable;
using padsim::test::Harness;
using padsim::test::StationBuilder;

namespace {

// Food 100 kg at 1 kg per crew-day; policy: below 30 days of supply, never below `min_crew`.
StationBuilder crew_of_three_vehicles(int min_crew) {
  StationBuilder b;
  b.s.vehicles[1].certified_life = b.s.vehicles[1].waiver_life = kUnlimited;
  b.s.consumables.push_back(consumable("food", 100.0, 1.0));
  b.s.decrew = {true, {0}, 30.0, min_crew};
  b.docked("A", 1, -10.0, 200.0, {1, 0});
  b.docked("B", 1, -20.0, 150.0, {1, 0});
  b.docked("C", 1, -30.0, 150.0, {0, 1});
  return b;
}

}  // namespace

TEST_CASE("the earliest planned departure leaves first, an equal departure goes by earliest docking") {
  // 3 crew: 3 kg/day, trigger 90 kg at day 10/3. B and C both plan day 150: C docked earlier.
  Harness h(crew_of_three_vehicles(0).s);
  CHECK(h.st.decrew.trigger_level(3.0) == 90.0);
  CHECK(h.st.decrew.watches(0));
  h.sim().run_until(4.0);
  CHECK(h.st.decrew.count() == 1);
  CHECK(h.flight(2).decrewed);
  CHECK(h.flight(2).left_at == doctest::Approx(10.0 / 3.0).epsilon(1e-14));
  // 2 crew: 2 kg/day from 90: the trigger 60 is reached at 10/3 + 15 = 18.333...: B leaves.
  h.sim().run_until(19.0);
  CHECK(h.st.decrew.count() == 2);
  CHECK(h.flight(1).decrewed);
  CHECK(h.flight(1).left_at == doctest::Approx(10.0 / 3.0 + 15.0).epsilon(1e-14));
  CHECK(h.st.rotation.crew() == 1);
}

TEST_CASE("the policy never takes the station below its minimum crew") {
  Harness h(crew_of_three_vehicles(2).s);
  h.sim().run_until(100.0);
  CHECK(h.st.decrew.count() == 1);
  CHECK(h.st.rotation.crew() == 2);
  CHECK_FALSE(h.flight(0).decrewed);
  CHECK_FALSE(h.flight(1).decrewed);
}

TEST_CASE("one vehicle at a time: no second decision until the decrewed vehicle has left") {
  // Food 50 kg is below the trigger (90 kg) at the epoch: the set-up's check sends C home at day 0;
  // while its undocking is pending, another check decides nothing.
  auto b = crew_of_three_vehicles(0);
  b.s.consumables[0].start = padsim::test::fixed(50.0);
  Harness h(b.s);
  CHECK(h.st.decrew.count() == 1);
  CHECK(h.flight(2).decrewed);
  CHECK(h.flight(2).undock_at == 0.0);
  h.st.decrew.check();
  CHECK(h.st.decrew.count() == 1);
  // Once C has left, the next check sends B home (2 crew: 50 < 60).
  h.sim().run_until(0.0);
  CHECK(h.flight(2).state == models::detail::FlightState::kGone);
  CHECK(h.flight(1).decrewed);
  CHECK(h.st.decrew.count() == 2);
}
