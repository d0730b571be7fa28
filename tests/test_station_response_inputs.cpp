// Responses as inputs: [[response]] in a scenario file (each bad value at its position) and what a
// response that is not taken, or acts elsewhere, leaves unchanged (common random numbers).
#include <doctest/doctest.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "padsim/models/scenario.hpp"
#include "padsim/models/station.hpp"
#include "station_unit.hpp"
#include "station_load_error.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::fixed;
using padsim::test::fixed_repair;
using padsim::test::StationBuilder;

namespace {

const std::string kStationResponseInputsBase = R"([scenario]
name = "t"
epoch = "2026-01-01"
horizon = "2026-12-31"

[[port]]
type = "crew"
count = 2

[[launcher]]
id = "soyuz"
stand_down = 30

[[pad]]
id = "site31"
turnaround = 20

[[vehicle]]
id = "soyuz-ms"
pads = ["site31"]
launcher = "soyuz"
seats = 3
ports = ["crew"]
certified_life = 200
waiver_life = 250
cargo = { food = 50 }
capacity = 200

[[consumable]]
id = "food"
start = 3000
per_crew_day = 1.8

[[docked]]
id = "MS-28"
vehicle = "soyuz-ms"
docked = "2025-12-01"
departure = "2026-07-01"
crew = { rs = 3 }

[[mission]]
id = "MS-29"
vehicle = "soyuz-ms"
net = "2026-06-01"
docked_duration = 200

[[mission]]
id = "MS-30"
vehicle = "soyuz-ms"
net = "2026-05-01"
docked_duration = 200
launched = "2026-05-01"

[[response]]
id = "R"
trigger = { kind = "pad_down_for", pad = "site31", days = 10 }
lag = 3
action = [{ move = "MS-29", by = -10 }]
)";

// The message of the error that loading kStationResponseInputsBase with `from` replaced by `to` throws ("" when it loads).
std::string station_response_inputs_error_after(const std::string& from, const std::string& to) {
  return test::station_load_error_after(kStationResponseInputsBase, from, to);
}

}  // namespace

TEST_CASE("a [[response]] loads with its trigger and actions resolved") {
  const StationSpec s = models::load_station_spec(kStationResponseInputsBase, "s.toml", {});
  REQUIRE(s.responses.size() == 1);
  const ResponseSpec& r = s.responses[0];
  CHECK(r.trigger.kind == TriggerKind::kPadDownFor);
  CHECK(r.trigger.days == 10.0);
  CHECK(r.lag.mode() == 3.0);
  REQUIRE(r.actions.size() == 1);
  CHECK(r.actions[0].kind == ActionKind::kMove);
  CHECK(r.actions[0].flight == 1);  // after the docked MS-28
  CHECK(r.actions[0].delta.mode() == -10.0);
}

TEST_CASE("an add action defines its mission in full, after the file's missions") {
  const std::string act = "action = [{ move = \"MS-29\", by = -10 }]";
  std::string text = kStationResponseInputsBase;
  text.replace(text.find(act), act.size(),
               "action = [{ add = { id = \"MS-29A\", vehicle = \"soyuz-ms\", docked_duration = 30, crew = { rs = 2 } }, "
               "lead = 7 }]");
  const StationSpec s = models::load_station_spec(text, "s.toml", {});
  REQUIRE(s.missions.size() == 3);
  CHECK(s.missions[2].id == "MS-29A");
  CHECK(s.missions[2].added_by == std::optional<std::size_t>(0));
  CHECK(s.missions[2].crew.rs == 2);
  CHECK(s.responses[0].actions[0].kind == ActionKind::kAdd);
  CHECK(s.responses[0].actions[0].flight == 3);
  CHECK(s.responses[0].actions[0].lead.mode() == 7.0);
  std::string repeated = text;
  repeated.replace(repeated.find("lag = 3"), 7, "lag = 3\nrepeat = true");
  try {
    models::load_station_spec(repeated, "s.toml", {});
    FAIL("a repeating add loaded");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "s.toml:58:10: error: response 'R'.repeat: a response that adds or cancels a mission acts once and cannot "
          "repeat");
  }
}

TEST_CASE("bad responses are input errors at their position") {
  const std::string trig = "trigger = { kind = \"pad_down_for\", pad = \"site31\", days = 10 }";
  const std::string act = "action = [{ move = \"MS-29\", by = -10 }]";
  CHECK(station_response_inputs_error_after(trig, "trigger = { kind = \"pad_down_for\", pad = \"site6\", days = 10 }") ==
        "s.toml:56:42: error: response 'R'.trigger.pad: unknown pad 'site6' (known: site31)");
  CHECK(station_response_inputs_error_after(act, "action = [{ move = \"MS-31\", by = -10 }]") ==
        "s.toml:58:20: error: response 'R'.action[1].move: unknown mission 'MS-31' (known: MS-28, MS-29, "
        "MS-30)");
  CHECK(station_response_inputs_error_after(trig, "trigger = { kind = \"stock_below\", consumable = \"water\", days = 10 }") ==
        "s.toml:56:48: error: response 'R'.trigger.consumable: unknown consumable 'water' (known: food)");
  CHECK(station_response_inputs_error_after(trig, "trigger = { kind = \"launch_failed\", launcher = \"angara\" }") ==
        "s.toml:56:48: error: response 'R'.trigger.launcher: unknown launcher 'angara' (known: soyuz)");
  CHECK(station_response_inputs_error_after(act, "action = [{ move = \"MS-30\", by = -10 }]") ==
        "s.toml:58:20: error: response 'R'.action[1].move: 'MS-30' has already flown (launched): history is "
        "not re-planned");
  CHECK(station_response_inputs_error_after(trig, "trigger = { kind = \"launch_failed\", mission = \"MS-29\" }") ==
        "s.toml:58:20: error: response 'R'.action[1].move: the trigger is the launch of 'MS-29' itself, so "
        "this action could never precede it");
  CHECK(station_response_inputs_error_after(act, "action = [{ cargo = \"MS-29\", kg = { food = 250 } }]") ==
        "s.toml:58:35: error: response 'R'.action[1].kg: the cargo of 'MS-29' after it can reach 250 kg, "
        "beyond the capacity 200 kg of vehicle 'soyuz-ms'");
  CHECK(station_response_inputs_error_after(act, "action = [{ extend = \"MS-29\", by = 60 }]") ==
        "s.toml:58:36: error: response 'R'.action[1].by: a stay of 200 + 60 days is past the waiver life "
        "250 of vehicle 'soyuz-ms'");
  CHECK(station_response_inputs_error_after(act, "action = [{ extend = \"MS-28\", by = 30 }]").empty());  // 212 + 30 <= 250
  CHECK(station_response_inputs_error_after(act, "action = [{ extend = \"MS-28\", by = 40 }]") ==
        "s.toml:58:36: error: response 'R'.action[1].by: a stay of 212 + 40 days is past the waiver life "
        "250 of vehicle 'soyuz-ms'");
  CHECK(station_response_inputs_error_after(act, "action = [{ cancel = \"MS-28\" }]") ==
        "s.toml:58:22: error: response 'R'.action[1].cancel: 'MS-28' is a docked vehicle; only extend acts "
        "on one");
  CHECK(station_response_inputs_error_after(trig, "trigger = { kind = \"pad_not_ready\", pad = \"site31\", date = \"2026-02-01\" }\nrepeat = true") ==
        "s.toml:57:10: error: response 'R'.repeat: pad_not_ready is checked once and cannot recur");
  CHECK(station_response_inputs_error_after(trig, "trigger = { kind = \"pad_not_ready\", pad = \"site31\", date = \"2025-12-01\" }") ==
        "s.toml:56:60: error: response 'R'.trigger.date: is before the epoch 2026-01-01T00:00:00Z");
  CHECK(station_response_inputs_error_after("days = 10 }", "days = { triangular = [5, 10, 20] } }") ==
        "s.toml:56:59: error: response 'R'.trigger.days: expected a number, found a table");
  CHECK(station_response_inputs_error_after("lag = 3", "lag = { normal = [3, 2] }") ==
        "s.toml:57:7: error: response 'R'.lag: normal(3, 2) can be negative; a duration must not be");
  CHECK(station_response_inputs_error_after("lag = 3", "lag = 3\nprobability = 2") ==
        "s.toml:58:15: error: response 'R'.probability: probability 2 is outside [0, 1]");
}

TEST_CASE("a response with probability 0, or one acting on nothing that happens, changes no other column") {
  // Random slips, failures and a random repair: every replication differs, so equal rows are the
  // common random numbers at work, not a coincidence of constants.
  StationBuilder b;
  b.s.horizon = 300.0;
  b.s.pads[0].down_at_epoch = true;
  b.s.pads[0].repair = fixed_repair(40.0);
  b.s.pads[0].turnaround = Distribution(DistributionSpec::triangular(5.0, 10.0, 30.0));
  b.s.vehicles[0].failure_probability = 0.2;
  b.s.consumables.push_back(padsim::test::consumable("food", 2000.0, 1.5));
  b.docked("X", 1, -50.0, 100.0, {3, 0});
  for (int i = 0; i < 6; ++i) {
    auto& m = b.mission("M" + std::to_string(i), i % 2 == 0 ? 0 : 1, 20.0 * i, 60.0);
    m.slip = Distribution(DistributionSpec::triangular(-10.0, 5.0, 40.0));
    if (i % 2 == 1) m.crew = {1, 1};
  }
  const StationModel plain(b.s);

  ResponseSpec r;
  r.id = "R";
  r.trigger.kind = TriggerKind::kPadDownFor;
  r.trigger.pad = 0;
  r.trigger.days = 5.0;
  r.lag = Distribution(DistributionSpec::uniform(1.0, 9.0));
  ActionSpec a;
  a.kind = ActionKind::kMove;
  a.flight = 3;  // M2
  a.delta = fixed(-30.0);
  r.actions.push_back(a);
  bool unrelated = false;
  SUBCASE("probability 0") { r.probability = 0.0; }
  SUBCASE("taken, but acting on a mission that has already launched") {
    // M4's failure (probability 0.2) cancels M0, which the pad always takes first, on day 40.
    unrelated = true;
    r.trigger.kind = TriggerKind::kLaunchFailed;
    r.trigger.mission = 4;
    a.kind = ActionKind::kCancel;
    a.flight = 1;  // M0
    r.actions = {a};
  }
  b.s.responses.push_back(r);
  const StationModel with(b.s);
  std::size_t differing = 0, fired = 0;
  for (std::uint64_t k = 0; k < 200; ++k) {
    ReplicationResult x, y;
    plain.run(7, k, x);
    with.run(7, k, y);
    REQUIRE(y.outcomes.size() > x.outcomes.size());
    for (std::size_t i = 0; i < x.outcomes.size(); ++i)
      if (std::memcmp(&x.outcomes[i], &y.outcomes[i], sizeof(double)) != 0) ++differing;
    for (std::size_t i = 0; i < x.inputs.size(); ++i)
      if (std::memcmp(&x.inputs[i], &y.inputs[i], sizeof(double)) != 0) ++differing;
    fired += y.outcomes[with.outcome_index("response:R")] == 1.0 ? 1 : 0;
  }
  CHECK(differing == 0);
  if (unrelated) CHECK(fired > 10);  // it did fire: the rows are equal because it changed nothing
  else CHECK(fired == 0);
}

TEST_CASE("a response's first firing is a sensitivity input, and replan is its drawn delta") {
  // The pad is down until day 40; R fires on day 10 with probability 0.5 and lag in [1, 9]: M's NET
  // 60 moves by delta in [-20, -10] to a day in [40, 50], after the action, so replan = delta.
  StationBuilder b;
  b.s.pads[0].down_at_epoch = true;
  b.s.pads[0].repair = fixed_repair(40.0);
  b.mission("M", 0, 60.0);
  ResponseSpec r;
  r.id = "R";
  r.trigger.kind = TriggerKind::kPadDownFor;
  r.trigger.days = 10.0;
  r.probability = 0.5;
  r.lag = Distribution(DistributionSpec::uniform(1.0, 9.0));
  ActionSpec a;
  a.kind = ActionKind::kMove;
  a.flight = 0;
  a.delta = Distribution(DistributionSpec::uniform(-20.0, -10.0));
  r.actions.push_back(a);
  b.s.responses.push_back(r);
  const StationModel model(b.s);
  const auto& names = model.inputs();
  // The seed repair's task first, then the response's first firing.
  CHECK(names == std::vector<std::string>{"duration:R1", "decision:R", "lag:R", "delta:R"});
  REQUIRE(names.size() == 4);
  int taken = 0;
  for (std::uint64_t k = 0; k < 100; ++k) {
    ReplicationResult row;
    model.run(3, k, row);
    const double decision = row.inputs[1], lag = row.inputs[2], delta = row.inputs[3];
    CHECK((decision == 0.0 || decision == 1.0));
    CHECK((lag >= 1.0 && lag <= 9.0));
    CHECK((delta >= -20.0 && delta <= -10.0));
    CHECK(row.outcomes[model.outcome_index("response:R")] == decision);
    CHECK(row.outcomes[model.outcome_index("replan:M")] == doctest::Approx(decision == 1.0 ? delta : 0.0));
    taken += decision == 1.0 ? 1 : 0;
  }
  CHECK((taken > 25 && taken < 75));
}

TEST_CASE("--no-responses (LoadOptions::no_responses) switches every response off") {
  LoadOptions options;
  options.no_responses = true;
  const StationSpec off = models::load_station_spec(kStationResponseInputsBase, "s.toml", options);
  REQUIRE(off.responses.size() == 1);
  CHECK_FALSE(off.responses[0].enabled);
  CHECK(models::load_station_spec(kStationResponseInputsBase, "s.toml", {}).responses[0].enabled);
}
