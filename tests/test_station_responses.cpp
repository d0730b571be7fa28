// Responses (models/station_responses.cpp): every trigger and action on hand-built stations whose
// numbers are fixed, so each expected day is worked out in the comments. Pad "pad" is up (turnaround
// 0); where a trigger needs a pad that is down, "pad2" is down at the epoch under a fixed repair that
// no mission needs. Horizon 100 unless said.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "station_unit.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::consumable;
using padsim::test::fixed;
using padsim::test::fixed_repair;
using padsim::test::Run;
using padsim::test::StationBuilder;

namespace {

// A second pad, down at the epoch, repaired in `days`.
void add_down_pad(StationBuilder& b, double days) {
  PadSpec pad = b.s.pads[0];
  pad.id = "pad2";
  pad.down_at_epoch = true;
  pad.repair = fixed_repair(days);
  b.s.pads.push_back(pad);
}

ResponseSpec& response(StationBuilder& b, std::string id, TriggerSpec trigger, double lag = 0.0) {
  ResponseSpec r;
  r.id = std::move(id);
  r.trigger = trigger;
  r.lag = fixed(lag);
  b.s.responses.push_back(r);
  return b.s.responses.back();
}

TriggerSpec pad_down_for(std::size_t pad, double days) {
  TriggerSpec t;
  t.kind = TriggerKind::kPadDownFor;
  t.pad = pad;
  t.days = days;
  return t;
}

TriggerSpec pad_not_ready(std::size_t pad, double date) {
  TriggerSpec t;
  t.kind = TriggerKind::kPadNotReady;
  t.pad = pad;
  t.date = date;
  return t;
}

// Flight index of mission m (no docked vehicles unless the test adds them first).
ActionSpec move_by(std::size_t flight, double delta) {
  ActionSpec a;
  a.kind = ActionKind::kMove;
  a.flight = flight;
  a.delta = fixed(delta);
  return a;
}

ActionSpec of_kind(ActionKind kind, std::size_t flight) {
  ActionSpec a;
  a.kind = kind;
  a.flight = flight;
  return a;
}

}  // namespace

TEST_CASE("pad_down_for moves a mission earlier after the lag, the slip counts from the NET in force") {
  // The seed pad is down at the epoch, repaired on day 40. M (NET 60) launches from it. R fires
  // on day 10 (down 10 days), lag 5: on day 15 M's NET becomes 45, it launches on day 45.
  StationBuilder b;
  b.s.pads[0].down_at_epoch = true;
  b.s.pads[0].repair = fixed_repair(40.0);
  b.mission("M", 0, 60.0);
  auto& r = response(b, "R", pad_down_for(0, 10.0), 5.0);
  SUBCASE("NET + delta") {
    r.actions.push_back(move_by(0, -15.0));
    Run run(b.s);
    CHECK(run["response:R"] == 1.0);
    CHECK(run["response_day:R"] == 15.0);
    CHECK(run["launch_day:M"] == 45.0);
    CHECK(run["slip:M"] == 0.0);
    CHECK(run["replan:M"] == -15.0);
  }
  SUBCASE("a date in the past becomes the moment of the action; the pad still holds it until day 40") {
    ActionSpec a = of_kind(ActionKind::kMove, 0);
    a.net = 5.0;
    r.actions.push_back(a);
    Run run(b.s);
    CHECK(run["replan:M"] == 15.0 - 60.0);
    CHECK(run["launch_day:M"] == 40.0);
    CHECK(run["slip:M"] == 25.0);
  }
  SUBCASE("the pad is up before X: no firing, nothing moves") {
    r.trigger.days = 50.0;
    r.actions.push_back(move_by(0, -15.0));
    Run run(b.s);
    CHECK(run["response:R"] == 0.0);
    CHECK(std::isnan(run["response_day:R"]));
    CHECK(run["replan:M"] == 0.0);
    CHECK(run["launch_day:M"] == 60.0);
  }
}

TEST_CASE("pad_not_ready is checked once at D, a repair completing at D still counts as down") {
  // pad2 is repaired on day 40. The response cancels M (NET 80) with no lag.
  StationBuilder b;
  add_down_pad(b, 40.0);
  b.mission("M", 0, 80.0);
  double d = 0.0;
  bool fires = false;
  SUBCASE("D = 30") { d = 30.0; fires = true; }
  SUBCASE("D = 40") { d = 40.0; fires = true; }
  SUBCASE("D = 41") { d = 41.0; fires = false; }
  response(b, "R", pad_not_ready(1, d)).actions.push_back(of_kind(ActionKind::kCancel, 0));
  Run run(b.s);
  CHECK(run["response:R"] == (fires ? 1.0 : 0.0));
  CHECK(run["cancelled:M"] == (fires ? 1.0 : 0.0));
  if (fires) {
    CHECK(run["response_day:R"] == d);
    CHECK(std::isnan(run["launch_day:M"]));
    CHECK(std::isnan(run["slip:M"]));
  } else {
    CHECK(run["launch_day:M"] == 80.0);
  }
}

TEST_CASE("stock_below fires at the exact crossing, at the epoch when already below, and again with repeat") {
  // Food 1000 kg, 1 kg per crew-day, two crew aboard X until day 300: 500 days of supply at the
  // epoch, 2 kg/day. Below 450 days when the stock reaches 900: day 50.
  StationBuilder b;
  b.s.horizon = 200.0;
  b.s.consumables.push_back(consumable("food", 1000.0, 1.0));
  b.docked("X", 1, -10.0, 300.0, {2, 0});
  b.s.vehicles[1].waiver_life = 400.0;
  b.s.vehicles[1].certified_life = 400.0;
  b.mission("M", 0, 190.0);
  TriggerSpec t;
  t.kind = TriggerKind::kStockBelow;
  t.consumable = 0;
  t.days = 450.0;
  auto& r = response(b, "R", t);
  r.actions.push_back(move_by(1, -1.0));  // flight 1: M (after docked X)
  SUBCASE("once") {
    Run run(b.s);
    CHECK(run["response_day:R"] == doctest::Approx(50.0).epsilon(1e-12));
    CHECK(run["replan:M"] == -1.0);
  }
  SUBCASE("already below at the epoch") {
    r.trigger.days = 600.0;
    Run run(b.s);
    CHECK(run["response_day:R"] == 0.0);
  }
  SUBCASE("repeat: K delivers 200 kg on day 55 (clears), the stock is back at 900 kg on day 150") {
    r.repeat = true;
    auto& k = b.mission("K", 0, 55.0);
    k.cargo.push_back({0, fixed(200.0)});
    Run run(b.s);
    CHECK(run["response_count:R"] == 2.0);
    CHECK(run["response_day:R"] == doctest::Approx(50.0).epsilon(1e-12));
    CHECK(run["replan:M"] == -2.0);
    CHECK(run["launch_day:M"] == 188.0);
  }
}

TEST_CASE("launch_failed: a mission's known failure extends a crew's stay, a family's moves a flight") {
  // F (NET 10) fails: the launcher stands down until day 40. X (2 crew, no line) plans to leave on
  // day 50.
  StationBuilder b;
  b.docked("X", 1, -10.0, 50.0, {2, 0});
  b.mission("F", 0, 10.0).fails = true;
  b.mission("G", 0, 80.0);
  TriggerSpec t;
  t.kind = TriggerKind::kLaunchFailed;
  SUBCASE("of mission F: X stays 20 days more, leaving on day 70") {
    t.mission = 0;
    ActionSpec a = of_kind(ActionKind::kExtend, 0);
    a.delta = fixed(20.0);
    response(b, "R", t).actions.push_back(a);
    Run run(b.s);
    CHECK(run["response_day:R"] == 10.0);
    CHECK(run["undock_day:X"] == 70.0);
    CHECK(run["days_extended:X"] == 20.0);
  }
  SUBCASE("of the family: G moves from 80 to 40, when the stand-down ends") {
    t.launcher = 0;
    response(b, "R", t).actions.push_back(move_by(2, -40.0));
    Run run(b.s);
    CHECK(run["replan:G"] == -40.0);
    CHECK(run["launch_day:G"] == 40.0);
    CHECK(run["undock_day:X"] == 50.0);
  }
}

TEST_CASE("cargo re-manifests a pending mission and changes a docked vehicle's supplies") {
  // Food 1000 kg (capacity 1000), 2 kg/day fixed use. pad2 is down until day 40: R fires at D.
  StationBuilder b;
  add_down_pad(b, 40.0);
  auto food = consumable("food", 1000.0, 0.0, 0.0, 1000.0);
  food.per_day = fixed(2.0);
  b.s.consumables.push_back(food);
  b.s.vehicles[0].capacity = 500.0;
  b.s.vehicles[0].cargo.push_back({0, fixed(100.0)});
  SUBCASE("M (NET 50) brings 300 kg instead of 100: at 900 kg, 200 kg do not fit") {
    b.mission("M", 0, 50.0);
    ActionSpec a = of_kind(ActionKind::kCargo, 0);
    a.cargo.push_back({0, fixed(300.0)});
    response(b, "R", pad_not_ready(1, 0.0)).actions.push_back(a);
    Run run(b.s);
    CHECK(run["undelivered:food"] == 200.0);
    StationBuilder plain = b;
    plain.s.responses.clear();
    CHECK(Run(plain.s)["undelivered:food"] == 0.0);
  }
  SUBCASE("M docked from day 10 to 40 supplies 1 kg/day from day 20 on") {
    // Day 10: 980 kg, of M's 100 kg 20 fit (80 undelivered): 1000. Use 2 kg/day to day 20 (980),
    // 1 kg/day to day 40 (960), 2 kg/day to the horizon: 840 (without the response: 820).
    b.mission("M", 0, 10.0);
    ActionSpec a = of_kind(ActionKind::kCargo, 0);
    a.supplies.push_back({0, fixed(1.0)});
    response(b, "R", pad_not_ready(1, 20.0)).actions.push_back(a);
    Run run(b.s);
    CHECK(run["undelivered:food"] == 80.0);
    CHECK(run["min_level:food"] == doctest::Approx(840.0));
    StationBuilder plain = b;
    plain.s.responses.clear();
    CHECK(Run(plain.s)["min_level:food"] == doctest::Approx(820.0));
  }
}

TEST_CASE("extend of a crew vehicle not yet docked, firm leaves at the extended date even when relieved") {
  // Line L (handover 2): C (NET 10, 30 days planned: to 40) is relieved by D (NET 20). The
  // response (at the epoch) extends C by 20 days: planned departure 60.
  StationBuilder b;
  add_down_pad(b, 40.0);
  const auto line = b.line("L", 2.0);
  auto& c = b.mission("C", 1, 10.0);
  c.crew = {1, 0};
  c.rotation = line;
  auto& d = b.mission("D", 1, 20.0);
  d.crew = {1, 0};
  d.rotation = line;
  ActionSpec a = of_kind(ActionKind::kExtend, 0);
  a.delta = fixed(20.0);
  SUBCASE("not firm: the handover still sends C home on day 22") {
    response(b, "R", pad_not_ready(1, 0.0)).actions.push_back(a);
    Run run(b.s);
    CHECK(run["undock_day:C"] == 22.0);
    CHECK(run["days_extended:C"] == 0.0);
  }
  SUBCASE("firm: C leaves on day 60, 20 days past its plan as written") {
    a.firm = true;
    response(b, "R", pad_not_ready(1, 0.0)).actions.push_back(a);
    Run run(b.s);
    CHECK(run["undock_day:C"] == 60.0);
    CHECK(run["days_extended:C"] == 20.0);
  }
}

TEST_CASE("add puts a contingency mission in the plan at action time + lead, never added, its columns are empty") {
  // pad2 is down until day 40; R checks it on day 10 (lag 2): A's NET = 12 + lead 5 = 17, and a
  // later action of R moves it 3 days: NET 20 (replan 3 from its NET when added).
  StationBuilder b;
  add_down_pad(b, 40.0);
  b.mission("M", 0, 60.0);
  auto& r = response(b, "R", pad_not_ready(1, 10.0), 2.0);
  MissionSpec added;
  added.id = "A";
  added.vehicle = 0;
  added.docked_duration = 10.0;
  added.added_by = 0;
  b.s.missions.push_back(added);
  ActionSpec add = of_kind(ActionKind::kAdd, 1);
  add.lead = fixed(5.0);
  r.actions.push_back(add);
  r.actions.push_back(move_by(1, 3.0));
  SUBCASE("added") {
    Run run(b.s);
    CHECK(run["launch_day:A"] == 20.0);
    CHECK(run["slip:A"] == 0.0);
    CHECK(run["replan:A"] == 3.0);
    CHECK(run["launch_day:M"] == 60.0);
  }
  SUBCASE("the trigger never occurs") {
    b.s.responses[0].trigger.date = 50.0;
    Run run(b.s);
    CHECK(std::isnan(run["launch_day:A"]));
    CHECK(std::isnan(run["failed:A"]));
    CHECK(std::isnan(run["replan:A"]));
  }
}
