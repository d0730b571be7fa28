// The station model against hand-computed cases (docs/model.md "Pads", "Vehicles and missions", "Crew
// rotation", "Consumables", "Outcomes"). Every expected number is worked out in the comments.
#include <doctest/doctest.h>

#include <cmath>

#include "padsim/models/repair_project.hpp"
#include "station_fixture.hpp"

using doctest::Approx;
using namespace padsim;
using namespace padsim::models;
using padsim::test::fixed;
using padsim::test::Run;
using padsim::test::StationBuilder;

namespace {

bool near(double a, double b, double tol = 1e-9) { return std::abs(a - b) <= tol; }

// A one-task repair project of fixed duration.
std::shared_ptr<const RepairProject> repair_of(double days) {
  TaskSpec t;
  t.id = "R1";
  t.duration = fixed(days);
  return std::make_shared<const RepairProject>("fix", std::vector<TaskSpec>{t}, std::vector<Link>{},
                                               std::vector<BranchSpec>{}, std::vector<RiskSpec>{},
                                               std::vector<ResourceSpec>{});
}

ConsumableSpec food(double start, double per_crew_day, double reserve, double capacity) {
  ConsumableSpec c;
  c.id = "food";
  c.start = fixed(start);
  c.per_crew_day = fixed(per_crew_day);
  c.reserve = reserve;
  c.capacity = capacity;
  return c;
}

}  // namespace

TEST_CASE("a consumable's reserve and zero crossings on a three-delivery timeline are exact") {
  // Start 95 kg = capacity; 3 crew x 0.7 kg = 2.1 kg/day; reserve 40. Deliveries (transit 0,
  // launched at NET): day 10 +25, day 30 +30, day 70 +10.
  //   day 10: 95 - 21 = 74 + 25 = 99 > 95 -> 95, 4 kg undelivered.
  //   day 30: 95 - 42 = 53 -> 83. Reserve 40 at 30 + 43/2.1 = 50.476190476...
  //   zero at 30 + 83/2.1 = 69.523809523..., before the day-70 delivery: 10 kg -> zero again at
  //   70 + 10/2.1 = 74.761904761...
  //   days at zero to 100: (70 - 69.5238...) + (100 - 74.7619...) = 25.714285714...
  //   days below reserve: 100 - 50.476190476... = 49.523809523...
  StationBuilder b;
  b.s.consumables.push_back(food(95.0, 0.7, 40.0, 95.0));
  b.docked("crew", 1, -10.0, 1000.0, {3, 0});
  b.s.vehicles[1].certified_life = b.s.vehicles[1].waiver_life = kUnlimited;
  b.mission("C1", 0, 10.0).cargo = {{0, fixed(25.0)}};
  b.mission("C2", 0, 30.0).cargo = {{0, fixed(30.0)}};
  b.mission("C3", 0, 70.0).cargo = {{0, fixed(10.0)}};
  Run r(b.s);
  const double reserve_at = 30.0 + 43.0 / 2.1;
  const double zero1 = 30.0 + 83.0 / 2.1;
  const double zero2 = 70.0 + 10.0 / 2.1;
  CHECK(near(r["reserve_day:food"], reserve_at));
  CHECK(near(r["days_below_reserve:food"], 100.0 - reserve_at));
  CHECK(near(r["days_at_zero:food"], (70.0 - zero1) + (100.0 - zero2)));
  CHECK(near(r["undelivered:food"], 4.0));
  CHECK(r["min_level:food"] == 0.0);
  CHECK(r["below_reserve:food"] == 1.0);
  CHECK(r["at_zero:food"] == 1.0);
  CHECK(near(r["unmet:food"], 2.1 * ((70.0 - zero1) + (100.0 - zero2))));
  const auto below = r.trace.times("below_reserve", "food");
  const auto zero = r.trace.times("at_zero", "food");
  REQUIRE(below.size() == 1);
  REQUIRE(zero.size() == 2);
  CHECK(near(below[0], reserve_at));
  CHECK(near(zero[0], zero1));
  CHECK(near(zero[1], zero2));
  // The daily series: day 50 is 83 - 2.1 * 20 = 41 kg.
  const std::size_t width = r.model.series_names().size();
  CHECK(near(r.row.series[50 * width + 0], 41.0));
  CHECK(r.row.series[50 * width + 1] == 3.0);
}

TEST_CASE("a crew vehicle waits for its replacement, then leaves after the handover") {
  // A docked at -100, planned to leave on day 20; B of the same line launches day 40 (transit 0.5)
  // and docks 40.5; A leaves 10 days later, at 50.5 - after its planned departure, within its limit.
  StationBuilder b;
  const auto line = b.line("soyuz", 10.0);
  b.s.vehicles[1].transit = 0.5;
  b.docked("A", 1, -100.0, 20.0, {2, 1}).rotation = line;
  auto& m = b.mission("B", 1, 40.0, 200.0);
  m.crew = {2, 1};
  m.rotation = line;
  Run r(b.s);
  REQUIRE(r.trace.times("undock", "A").size() == 1);
  CHECK(near(r.trace.times("undock", "A")[0], 50.5));
  CHECK(near(r.trace.times("dock", "B")[0], 40.5));
  CHECK(r["days_beyond_certified"] == 0.0);  // A's certified limit is day 150
  // Planned: A (3) to day 20, B (3) from 40.5. Actual: 3 throughout, 6 on [40.5, 50.5): nothing lost.
  CHECK(r["crew_days_lost"] == 0.0);
}

TEST_CASE("a Soyuz passes its certified life: extend stays to the waiver, return leaves at the limit") {
  // A docked at -200: certified limit day 50, waiver day 70; planned departure day 65. B (same line,
  // transit 0, handover 10) launches day 60. Station minimum 3.
  StationBuilder b;
  const auto line = b.line("soyuz", 10.0);
  b.s.min_crew = 3;
  b.docked("A", 1, -200.0, 65.0, {2, 1}).rotation = line;
  auto& m = b.mission("B", 1, 60.0, 200.0);
  m.crew = {2, 1};
  m.rotation = line;

  SUBCASE("extend") {
    b.s.lifeboat = LifeboatPolicy::kExtend;
    Run r(b.s);
    // Handover ends at min(60 + 10, 70) = 70: 20 days beyond certification.
    CHECK(near(r.trace.times("undock", "A")[0], 70.0));
    CHECK(near(r["days_beyond_certified"], 20.0));
    CHECK(r["beyond_certified"] == 1.0);
    CHECK(r["days_below_min_crew:station"] == 0.0);
    CHECK(r["crew_days_lost"] == 0.0);
  }
  SUBCASE("return") {
    b.s.lifeboat = LifeboatPolicy::kReturn;
    Run r(b.s);
    // A leaves at its certified limit, day 50; nobody aboard until B docks on day 60.
    CHECK(near(r.trace.times("undock", "A")[0], 50.0));
    CHECK(r["days_beyond_certified"] == 0.0);
    CHECK(near(r["days_below_min_crew:station"], 10.0));
    // Planned 3 to 60, 6 on [60, 65), 3 after; actual 3, 0 on [50, 60), 3 after:
    // lost 3 x 10 + (6 - 3) x 5 = 45 crew-days.
    CHECK(near(r["crew_days_lost"], 45.0));
  }
}

TEST_CASE("a busy port delays a launch until the port is free on arrival") {
  // One cargo port, held by X until day 30 (planned). M (transit 2, NET 10) must arrive at >= 30:
  // it launches on day 28.
  StationBuilder b;
  b.s.ports[0].count = 1;
  b.s.vehicles[0].transit = 2.0;
  b.docked("X", 0, -50.0, 30.0);
  b.mission("M", 0, 10.0);
  Run r(b.s);
  CHECK(near(r["launch_day:M"], 28.0));
  CHECK(near(r["slip:M"], 18.0));
  CHECK(near(r.trace.times("dock", "M")[0], 30.0));
  CHECK(near(r.trace.times("undock", "X")[0], 30.0));
}

TEST_CASE("an until_port_needed cargo vehicle stays until a launch needs its port") {
  StationBuilder b;
  b.s.ports[0].count = 1;
  b.s.vehicles[0].transit = 2.0;
  b.s.vehicles[0].departure = DepartureRule::kUntilPortNeeded;
  b.docked("X", 0, -100.0, 10.0);  // planned departure 10 does not apply: it stays

  SUBCASE("a launch needs the port: X leaves at that launch") {
    b.mission("M", 0, 50.0);
    Run r(b.s);
    CHECK(near(r["launch_day:M"], 50.0));
    CHECK(near(r.trace.times("undock", "X")[0], 50.0));
    CHECK(near(r.trace.times("dock", "M")[0], 52.0));
  }
  SUBCASE("no launch needs it: X stays to its waiver life") {
    b.s.horizon = 300.0;
    Run r(b.s);
    CHECK(near(r.trace.times("undock", "X")[0], -100.0 + 365.0));
  }
}

TEST_CASE("a launch failure loses the vehicle and stands the launcher family down") {
  // F fails on day 10 (probability 1); the rocket stands down 30 days: G (NET 20) launches day 40.
  StationBuilder b;
  b.s.consumables.push_back(food(50.0, 0.0, 0.0, 1000.0));
  auto& f = b.mission("F", 0, 10.0);
  f.cargo = {{0, fixed(500.0)}};
  b.s.vehicles.push_back(b.s.vehicles[0]);
  b.s.vehicles.back().id = "cargo2";
  b.s.vehicles[0].failure_probability = 1.0;
  b.mission("G", 2, 20.0);
  Run r(b.s);
  CHECK(r["failed:F"] == 1.0);
  CHECK(r["launch_day:F"] == 10.0);
  CHECK(r["failed:G"] == 0.0);
  CHECK(near(r["launch_day:G"], 40.0));
  CHECK(r.trace.times("dock", "F").empty());
  CHECK(r["min_level:food"] == 50.0);  // F's cargo was lost
  REQUIRE(r.trace.times("stand_down", "rocket").size() == 1);
}

TEST_CASE("a failed crew launch loses its planned crew-days") {
  // A (3 crew, no line) leaves on day 30 as planned. B (4 crew, NET 20, transit 1, 100 days planned)
  // fails: planned 4 crew on [21, 100) are lost, plus 0 elsewhere: 4 x 79 = 316 crew-days.
  StationBuilder b;
  b.s.vehicles[1].seats = 4;
  b.s.vehicles[1].transit = 1.0;
  b.s.vehicles[1].failure_probability = 1.0;
  b.docked("A", 1, -10.0, 30.0, {3, 0});
  b.mission("B", 1, 20.0, 100.0).crew = {0, 4};
  Run r(b.s);
  CHECK(near(r["crew_days_lost"], 316.0));
  CHECK(near(r.trace.times("undock", "A")[0], 30.0));
}

TEST_CASE("a shared pad takes the lowest priority number, then the earliest NET, and never waits") {
  // Turnaround 10. A (priority 1, NET 0) is alone at day 0 and goes. At day 10: B (priority 0,
  // NET 1), D (priority 1, NET 1.5), C (priority 1, NET 2) are ready: B at 10, D at 20, C at 30.
  StationBuilder b;
  b.s.pads[0].turnaround = fixed(10.0);
  b.mission("A", 0, 0.0).priority = 1;
  b.mission("C", 0, 2.0).priority = 1;
  b.mission("B", 0, 1.0).priority = 0;
  b.mission("D", 0, 1.5).priority = 1;
  Run r(b.s);
  CHECK(r["launch_day:A"] == 0.0);
  CHECK(r["launch_day:B"] == 10.0);
  CHECK(r["launch_day:D"] == 20.0);
  CHECK(r["launch_day:C"] == 30.0);
}

TEST_CASE("after a repair the first launch is uncrewed unless none is ready by max_wait, then the crewed gate") {
  // Pad down at the epoch; repair 20 days; campaign 5 (ends day 25); max_wait 10 (day 35); gate 7.
  StationBuilder b;
  auto& pad = b.s.pads[0];
  pad.down_at_epoch = true;
  pad.repair = repair_of(20.0);
  pad.after_repair.campaign = fixed(5.0);
  pad.after_repair.first_launch_uncrewed = true;
  pad.after_repair.max_wait = 10.0;
  pad.after_repair.crewed_gate = fixed(7.0);
  b.mission("Crewed", 1, 0.0).crew = {2, 1};

  SUBCASE("an uncrewed mission ready on day 28 goes first; the crewed one waits for the gate") {
    b.mission("Cargo", 0, 28.0);
    b.s.pads[0].after_repair.crewed_gate = fixed(9.0);
    Run r(b.s);
    CHECK(r["pad_ready_day"] == 20.0);
    CHECK(r["launch_day:Cargo"] == 28.0);
    CHECK(r["first_launch_day"] == 28.0);
    CHECK(r["launch_day:Crewed"] == 37.0);  // gate: 28 + 9
  }
  SUBCASE("no uncrewed mission by max_wait: the crewed one takes the first launch, ungated") {
    b.mission("Cargo", 0, 40.0);
    b.s.pads[0].after_repair.crewed_gate = fixed(20.0);
    Run r(b.s);
    CHECK(r["launch_day:Crewed"] == 35.0);  // 25 + 10
    CHECK(r["first_launch_day"] == 35.0);
    CHECK(r["launch_day:Cargo"] == 40.0);
  }
  SUBCASE("without max_wait a crewed mission never goes first") {
    b.s.pads[0].after_repair.max_wait = kUnlimited;
    b.mission("Cargo", 0, 60.0);
    Run r(b.s);
    CHECK(r["launch_day:Cargo"] == 60.0);
    CHECK(r["launch_day:Crewed"] == 67.0);
  }
}

TEST_CASE("a cosmonaut on a Dragon counts for the Russian segment") {
  // Dragon: 1 rs + 3 usos. Soyuz: 2 rs + 1 usos, leaving day 10. Minimum 2 rs and 1 usos: after day
  // 10 the Russian segment has 1 (the Dragon's cosmonaut): 90 days below; the US segment never is.
  StationBuilder b;
  b.s.vehicles[1].seats = 4;
  b.s.min_crew_rs = 2;
  b.s.min_crew_usos = 1;
  b.docked("Dragon", 1, -10.0, 1000.0, {1, 3});
  b.docked("Soyuz", 1, -10.0, 10.0, {2, 1});
  Run r(b.s);
  CHECK(near(r["days_below_min_crew:rs"], 90.0));
  CHECK(r["days_below_min_crew:usos"] == 0.0);
  b.s.min_crew_rs = 1;
  Run r1(b.s);
  CHECK(r1["days_below_min_crew:rs"] == 0.0);
}

TEST_CASE("the decrewing policy sends home the earliest-departing crew and stops at its minimum") {
  // Food 100 kg, 1 kg per crew-day; A (2 crew, planned to leave day 200), B (2 crew, day 300).
  // Trigger: below 20 days of supply. Use 4/day -> threshold 80 at day 5: A leaves. Then use 2/day,
  // threshold 40, reached on day 25: the next departure would leave 0 < min_crew 2, so it stops.
  StationBuilder b;
  b.s.vehicles[1].certified_life = b.s.vehicles[1].waiver_life = kUnlimited;
  b.s.consumables.push_back(food(100.0, 1.0, 0.0, 1000.0));
  b.s.decrew = {true, {0}, 20.0, 2};
  b.docked("A", 1, -10.0, 200.0, {2, 0});
  b.docked("B", 1, -5.0, 300.0, {0, 2});
  Run r(b.s);
  CHECK(r["decrewings"] == 1.0);
  REQUIRE(r.trace.times("undock", "A").size() == 1);
  CHECK(near(r.trace.times("undock", "A")[0], 5.0));
  CHECK(r.trace.times("undock", "B").empty());
  // Planned: 4 to day 100; actual 2 from day 5: 2 x 95 = 190 crew-days.
  CHECK(near(r["crew_days_lost"], 190.0));
}

TEST_CASE("a replication is a pure function of seed and index") {
  StationBuilder b;
  b.s.pads[0].turnaround = Distribution(DistributionSpec::triangular(1, 5, 20));
  b.s.consumables.push_back(food(500.0, 1.0, 100.0, 1000.0));
  b.s.consumables[0].per_crew_day = Distribution(DistributionSpec::uniform(0.5, 1.5));
  b.docked("crew", 1, -10.0, 90.0, {3, 0});
  for (int i = 0; i < 5; ++i) {
    auto& m = b.mission("M" + std::to_string(i), 0, 10.0 * i);
    m.slip = Distribution(DistributionSpec::triangular(0, 3, 30));
    m.cargo = {{0, Distribution(DistributionSpec::uniform(50, 150))}};
  }
  StationModel model(b.s);
  ReplicationResult a, c, other;
  model.run(7, 3, a);
  model.run(7, 4, other);
  model.run(7, 3, c);
  CHECK(a.outcomes.size() == model.outcomes().size());
  for (std::size_t i = 0; i < a.outcomes.size(); ++i)
    CHECK((a.outcomes[i] == c.outcomes[i] || (std::isnan(a.outcomes[i]) && std::isnan(c.outcomes[i]))));
  CHECK(a.inputs == c.inputs);
  CHECK(a.inputs != other.inputs);
}

TEST_CASE("a crew vehicle waiting for its replacement holds its port against other launches") {
  // docs/model.md "Launch": docked vehicles whose undocking is not yet scheduled (a crew vehicle waiting
  // for its replacement) hold a port. One crew port, held by A (line soyuz, docked -100, waiver
  // 270: limit day 170) waiting for B (NET 300). M (no crew, crew port, transit 2, NET 10) cannot
  // count on A's limit: it launches only when A actually leaves, day 170, and docks day 172.
  StationBuilder b;
  b.s.horizon = 250.0;
  b.s.ports[1].count = 1;
  const auto line = b.line("soyuz", 10.0);
  b.docked("A", 1, -100.0, 20.0, {2, 1}).rotation = line;
  auto& m = b.mission("B", 1, 300.0, 200.0);
  m.crew = {2, 1};
  m.rotation = line;
  b.s.vehicles.push_back(b.s.vehicles[0]);
  b.s.vehicles.back().id = "crew-port-cargo";
  b.s.vehicles.back().ports = {1};
  b.s.vehicles.back().transit = 2.0;
  b.mission("M", 2, 10.0);
  Run r(b.s);
  REQUIRE(r.trace.times("undock", "A").size() == 1);
  CHECK(near(r.trace.times("undock", "A")[0], 170.0));
  CHECK(near(r["launch_day:M"], 170.0));
  CHECK(near(r.trace.times("dock", "M")[0], 172.0));
}

TEST_CASE("a port vacated for a launch that fails stays vacated") {
  // docs/model.md: an until_port_needed vehicle is scheduled to leave at the launch that needs its port,
  // and the port stays vacated even if that launch fails. One cargo port held by X
  // (until_port_needed, docked -100, waiver limit 265); M (cargo, failure probability 1, NET 50)
  // needs the port: X leaves on day 50 although M is lost.
  StationBuilder b;
  b.s.ports[0].count = 1;
  b.s.vehicles[0].transit = 2.0;
  b.s.vehicles[0].departure = DepartureRule::kUntilPortNeeded;
  b.s.vehicles[0].failure_probability = 1.0;
  b.docked("X", 0, -100.0, 10.0);
  b.mission("M", 0, 50.0);
  Run r(b.s);
  CHECK(r["failed:M"] == 1.0);
  CHECK(near(r["launch_day:M"], 50.0));
  REQUIRE(r.trace.times("undock", "X").size() == 1);
  CHECK(near(r.trace.times("undock", "X")[0], 50.0));
  CHECK(r.trace.times("dock", "M").empty());
}
