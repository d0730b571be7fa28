// An added crew mission joins its rotation line (models/station_crew_lines.cpp): its place in the
// line, and the line's last vehicle going back to waiting for it. Expected values are worked out in
// the comments; every number is fixed.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <utility>

#include "station_fixture.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::fixed;
using padsim::test::Run;
using padsim::test::StationBuilder;

namespace {

// Line L (handover 4). A (flight 0, 2 rs) docked day `docked`, planned departure `departure`. B
// (flight 1, NET 10) is the line's next crew and fails as known; the launcher stands down to day 40.
// Response R: B's failure, lag 5, adds C (2 usos, 30 planned days, line L) with
// NET = 15 + lead. `pending` adds P (1 rs, NET 80, 10 planned days) to the line before R's mission.
StationBuilder lost_relief(double docked, double departure, double lead, bool pending, std::string added = "C",
                           std::string response = "R") {
  StationBuilder b;
  const auto line = b.line("L", 4.0);
  b.docked("A", 1, docked, departure, {2, 0}).rotation = line;
  auto& m = b.mission("B", 1, 10.0);
  m.crew = {0, 1};
  m.rotation = line;
  m.fails = true;
  if (pending) {
    auto& p = b.mission("P", 1, 80.0, 10.0);
    p.crew = {1, 0};
    p.rotation = line;
  }
  MissionSpec c;
  c.id = std::move(added);
  c.vehicle = 1;
  c.docked_duration = 30.0;
  c.crew = {0, 2};
  c.rotation = line;
  c.added_by = 0;
  b.s.missions.push_back(c);
  ResponseSpec r;
  r.id = std::move(response);
  r.trigger.kind = TriggerKind::kLaunchFailed;
  r.trigger.mission = 0;  // B
  r.lag = fixed(5.0);
  ActionSpec add;
  add.kind = ActionKind::kAdd;
  add.flight = b.s.docked.size() + b.s.missions.size() - 1;
  add.lead = fixed(lead);
  r.actions.push_back(add);
  b.s.responses.push_back(r);
  return b;
}

}  // namespace

TEST_CASE("an added crew mission relieves the line's last vehicle, which waits for it up to its limit") {
  SUBCASE("relieved") {
    // B fails day 10: A has no later mission left and is set to leave at its planned departure, 30.
    // On day 15 C joins the line (NET 15 + 40 = 55): A waits again (limit -10 + 270 = 260). C docks
    // day 55; A leaves 55 + 4 = 59, 29 days past its plan. C is then the last: it leaves 55 + 30.
    Run r(lost_relief(-10.0, 30.0, 40.0, false).s);
    CHECK(r["failed:B"] == 1.0);
    CHECK(r["launch_day:C"] == 55.0);
    CHECK(r["undock_day:A"] == 59.0);
    CHECK(r["days_extended:A"] == 29.0);
    CHECK(r["undock_day:C"] == 85.0);
  }
  SUBCASE("capped at its limit") {
    // A docked day -240: limit -240 + 270 = 30. Set to leave at its planned departure 25 after B's
    // loss, it waits for C from day 15, but only up to day 30; C docks day 55 with A gone.
    Run r(lost_relief(-240.0, 25.0, 40.0, false).s);
    CHECK(r["undock_day:A"] == 30.0);
    CHECK(r["days_extended:A"] == 5.0);
    CHECK(r["undock_day:C"] == 85.0);
  }
  SUBCASE("never added: the vehicle leaves as planned") {
    StationBuilder b = lost_relief(-10.0, 30.0, 40.0, false);
    b.s.responses[0].probability = 0.0;
    Run r(b.s);
    CHECK(r["undock_day:A"] == 30.0);
    CHECK(std::isnan(r["launch_day:C"]));
  }
}

TEST_CASE("an added mission joins after the line's launched vehicles and before its later pending ones") {
  SUBCASE("an earlier NET than the pending mission") {
    // Line A, B (lost), P (NET 80). C (NET 55) goes between B and P. A still waits for P when B is
    // lost; C docks day 55 and relieves A (day 59); P docks day 80 and relieves C (day 84); P is
    // then the last and leaves at its planned departure, 80 + 10.
    Run r(lost_relief(-10.0, 30.0, 40.0, true).s);
    CHECK(r["undock_day:A"] == 59.0);
    CHECK(r["undock_day:C"] == 84.0);
    CHECK(r["undock_day:P"] == 90.0);
  }
  SUBCASE("a later NET than the pending mission") {
    // C's NET 15 + 70 = 85 puts it after P: P relieves A (80 + 4), C relieves P (85 + 4), and C is
    // still docked at the horizon (planned to day 115).
    Run r(lost_relief(-10.0, 30.0, 70.0, true).s);
    CHECK(r["undock_day:A"] == 84.0);
    CHECK(r["undock_day:P"] == 89.0);
    CHECK(r["launch_day:C"] == 85.0);
    CHECK(std::isnan(r["undock_day:C"]));
  }
}
