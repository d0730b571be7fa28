// Known events of a station scenario (docs/model.md "Known events"): a mission's known outcome
// (`fails`), its own failure probability, a flown mission's real undocking, and the per crew vehicle
// outcomes undock_day and days_extended. Expected values are worked out in the comments.
#include <doctest/doctest.h>

#include <cmath>

#include "padsim/rng.hpp"
#include "station_unit.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::fixed;
using padsim::test::Run;
using padsim::test::StationBuilder;

TEST_CASE("fails = true loses the mission whatever its class's probability, and its family stands down") {
  // Class probability 0. M (NET 0) fails; the launcher stands down 30 days, so N (NET 5) launches
  // on day 30.
  StationBuilder b;
  b.mission("M", 0, 0.0).fails = true;
  b.mission("N", 0, 5.0);
  Run r(b.s);
  CHECK(r["failed:M"] == 1.0);
  CHECK(r["launch_day:M"] == 0.0);
  CHECK(r["failed:N"] == 0.0);
  CHECK(r["launch_day:N"] == 30.0);
}

TEST_CASE("fails = false is a known success, even on a class that always fails") {
  StationBuilder b;
  b.s.vehicles[0].failure_probability = 1.0;
  b.mission("M", 0, 0.0).fails = false;
  b.mission("N", 0, 1.0);
  Run r(b.s);
  CHECK(r["failed:M"] == 0.0);
  CHECK(r["failed:N"] == 1.0);  // the class's probability still applies to N
}

TEST_CASE("a mission's own failure_probability replaces its class's") {
  StationBuilder b;
  SUBCASE("random mode: 1 on a class of 0 fails, 0 on a class of 1 succeeds") {
    b.mission("M", 0, 0.0).failure_probability = 1.0;
    b.s.vehicles[1].failure_probability = 1.0;
    b.mission("C", 1, 0.0).failure_probability = 0.0;
    Run r(b.s);
    CHECK(r["failed:M"] == 1.0);
    CHECK(r["failed:C"] == 0.0);
  }
  SUBCASE("deterministic mode: fails iff > 0.5") {
    b.s.deterministic = true;
    b.mission("A", 0, 0.0).failure_probability = 0.6;
    b.s.vehicles[1].failure_probability = 0.9;
    b.mission("B", 1, 0.0).failure_probability = 0.5;
    Run r(b.s);
    CHECK(r["failed:A"] == 1.0);
    CHECK(r["failed:B"] == 0.0);
  }
}

TEST_CASE("a flown mission's real undocking date overrides the handover") {
  // Line L (handover 5). A launched day 0 (transit 0, docked 30 days: planned departure 30), real
  // undocking day 40. B (NET 10) docks day 10: the handover would send A home on day 15, but A
  // leaves on day 40. days_extended:A = 40 - 30 = 10. B: planned departure 10 + 50 = 60, no later
  // mission: leaves day 60, days_extended 0.
  StationBuilder b;
  const auto line = b.line("L", 5.0);
  auto& a = b.mission("A", 1, 0.0);
  a.crew = {1, 0};
  a.rotation = line;
  a.launched = 0.0;
  a.undocked = 40.0;
  auto& m = b.mission("B", 1, 10.0, 50.0);
  m.crew = {1, 0};
  m.rotation = line;
  Run r(b.s);
  CHECK(r["undock_day:A"] == 40.0);
  CHECK(r["days_extended:A"] == 10.0);
  CHECK(r["undock_day:B"] == 60.0);
  CHECK(r["days_extended:B"] == 0.0);
}

TEST_CASE("undock_day and days_extended of crew vehicles: waiting for relief, still docked, never docked") {
  // Horizon 100. X docked day -100, planned departure 20, waits for M (NET 50, handover 5): leaves
  // day 55, 35 days past plan. M docks day 50 with 70 planned days (to 120): still docked at the
  // horizon, undock_day empty, days_extended 0. N (NET 200) never docks: both empty. Cargo vehicles
  // have no such columns.
  StationBuilder b;
  const auto line = b.line("L", 5.0);
  b.docked("X", 1, -100.0, 20.0, {1, 0}).rotation = line;
  auto& m = b.mission("M", 1, 50.0, 70.0);
  m.crew = {1, 0};
  m.rotation = line;
  b.mission("N", 1, 200.0).crew = {1, 0};
  b.mission("K", 0, 10.0);
  Run r(b.s);
  CHECK(r["undock_day:X"] == 55.0);
  CHECK(r["days_extended:X"] == 35.0);
  CHECK(std::isnan(r["undock_day:M"]));
  CHECK(r["days_extended:M"] == 0.0);
  CHECK(std::isnan(r["undock_day:N"]));
  CHECK(std::isnan(r["days_extended:N"]));
  CHECK_THROWS_AS(r.model.outcome_index("undock_day:K"), std::out_of_range);
}

TEST_CASE("a replay draws neither a failure nor pad damage, each launch's pad draws are keyed by its mission") {
  // Stochastic mode. Each launch draws its pad's turnaround, then damage, from a stream keyed by the
  // mission that launched ("launch"/id); a replay draws the turnaround only. R (a replay, day 0)
  // takes turnaround tR from its stream; M (NET 0.5) launches at tR and takes tM from its own; N
  // launches at tR + tM. R's cargo is the first draw of its mission stream: no failure draw comes
  // before it.
  StationBuilder b;
  const Distribution turnaround(DistributionSpec::uniform(1.0, 11.0));
  const Distribution cargo(DistributionSpec::uniform(100.0, 200.0));
  b.s.pads[0].turnaround = turnaround;
  b.s.pads[0].damage_probability = 0.0;  // drawn all the same, never damaging
  b.s.consumables.push_back(test::consumable("food", 1000.0, 0.0));
  auto& r = b.mission("R", 0, 0.0);
  r.launched = 0.0;
  r.cargo.push_back({0, cargo});
  b.mission("M", 0, 0.5);
  b.mission("N", 0, 0.5);
  b.s.horizon = 40.0;
  Rng launch_r(1, 0, stream_key("launch", "R"));
  const double t_r = turnaround.sample(launch_r);
  Rng launch_m(1, 0, stream_key("launch", "M"));
  const double t_m = turnaround.sample(launch_m);
  Rng mission(1, 0, stream_key("mission", "R"));
  const double kg = cargo.sample(mission);
  test::Harness h(b.s, false, 1);
  h.st.queue.replan();
  h.sim().run_until(0.1);
  CHECK(h.st.stocks.level(0).value_at(0.1) == doctest::Approx(1000.0 + kg));
  h.sim().run_until(b.s.horizon);
  REQUIRE(!h.st.queue[1].failed);
  CHECK(h.st.queue[1].launch_day == doctest::Approx(t_r));
  CHECK(h.st.queue[2].launch_day == doctest::Approx(t_r + t_m));
}
