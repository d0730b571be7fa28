// The station validation pass (models/station_validation.cpp): every rule it enforces, once from a
// scenario file (the exact message at FILE:LINE:COL) and, for the rules a file cannot break
// (indices, the pads' own checks), once from a spec built in code (no position: a ParameterError).
#include <doctest/doctest.h>

#include <string>

#include "padsim/models/repair_project.hpp"
#include "padsim/models/scenario.hpp"
#include "padsim/models/station.hpp"
#include "station_fixture.hpp"
#include "station_load_error.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::fixed;
using padsim::test::StationBuilder;

namespace {

// A valid station scenario; each check replaces one line of it to break one rule.
const std::string kValidationBase = R"([scenario]
name = "t"
epoch = "2025-11-27T09:28Z"
horizon = "2026-06-30"
nominal_crew = 7

[station]
min_crew = 3
min_crew_rs = 1
min_crew_usos = 1

[[port]]
type = "rs-soyuz"
count = 2

[[port]]
type = "usos"
count = 1

[[launcher]]
id = "soyuz"
stand_down = 30

[[rotation]]
id = "soyuz-line"
handover = 10

[[pad]]
id = "site31"
turnaround = 20

[[vehicle]]
id = "soyuz-ms"
pads = ["site31"]
launcher = "soyuz"
seats = 3
ports = ["rs-soyuz"]
transit = 0.13
certified_life = 250
waiver_life = 270
failure_probability = 0.015
cargo = { food = 50 }
supplies = { food = 0.5 }

[[consumable]]
id = "food"
start = 3000
per_crew_day = 1.8
per_day = 0.1
reserve = 500
capacity = 4500

[[docked]]
id = "MS-27"
vehicle = "soyuz-ms"
docked = "2025-04-08"
departure = "2025-12-09"
crew = { rs = 2, usos = 1 }
rotation = "soyuz-line"
port = "rs-soyuz"

[[mission]]
id = "MS-29"
vehicle = "soyuz-ms"
net = "2026-03-14"
docked_duration = 240
crew = { rs = 1, usos = 1 }
rotation = "soyuz-line"
slip = 2
cargo = { food = 20 }

[policy.decrew]
enabled = true
consumables = ["food"]
days = 45
min_crew = 2
)";

// The message of the error that loading kValidationBase with `from` replaced by `to` throws ("" when it loads).
std::string validation_error_after(const std::string& from, const std::string& to) {
  return test::station_load_error_after(kValidationBase, from, to);
}

// The message of the ParameterError that building a model of `spec` throws ("" when it builds).
std::string station_validation_error_of(const StationSpec& spec) {
  try {
    StationModel model(spec);
  } catch (const ParameterError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the base scenario of these tests is valid") {
  CHECK(models::load_station_spec(kValidationBase, "s.toml", {}).missions.size() == 1);
  CHECK(validation_error_after("name = \"t\"", "name = \"t\"").empty());
}

TEST_CASE("[station] minimum crews are not negative") {
  CHECK(validation_error_after("min_crew = 3", "min_crew = -1") ==
        "s.toml:8:12: error: [station].min_crew: must not be negative, found -1");
  CHECK(validation_error_after("min_crew_rs = 1", "min_crew_rs = -2") ==
        "s.toml:9:15: error: [station].min_crew_rs: must not be negative, found -2");
  CHECK(validation_error_after("min_crew_usos = 1", "min_crew_usos = -3") ==
        "s.toml:10:17: error: [station].min_crew_usos: must not be negative, found -3");
}

TEST_CASE("a port type has at least one port, and counts stay far from int's limits") {
  CHECK(validation_error_after("count = 2", "count = 0") ==
        "s.toml:14:9: error: port 'rs-soyuz'.count: must be at least 1, found 0");
  CHECK(validation_error_after("count = 2", "count = 1000001") ==
        "s.toml:14:9: error: port 'rs-soyuz'.count: must be at most 1000000, found 1000001");
  CHECK(validation_error_after("seats = 3", "seats = 2000000000") ==
        "s.toml:36:9: error: vehicle 'soyuz-ms'.seats: must be at most 1000000, found 2000000000");
}

TEST_CASE("a launcher's stand-down and a rotation's handover cannot be negative") {
  CHECK(validation_error_after("stand_down = 30", "stand_down = { normal = [30, 20] }") ==
        "s.toml:22:14: error: launcher 'soyuz'.stand_down: normal(30, 20) can be negative; a duration "
        "must not be (truncate it with min = 0 or choose another kind)");
  CHECK(validation_error_after("handover = 10", "handover = { uniform = [-1, 10] }") ==
        "s.toml:26:12: error: rotation 'soyuz-line'.handover: uniform(-1, 10) can be negative; a "
        "duration must not be (truncate it with min = 0 or choose another kind)");
}

TEST_CASE("a vehicle class's numbers are in range") {
  CHECK(validation_error_after("ports = [\"rs-soyuz\"]", "ports = []") ==
        "s.toml:37:9: error: vehicle 'soyuz-ms'.ports: lists no port type");
  CHECK(validation_error_after("seats = 3", "seats = -1") ==
        "s.toml:36:9: error: vehicle 'soyuz-ms'.seats: must not be negative, found -1");
  CHECK(validation_error_after("transit = 0.13", "transit = -0.5") ==
        "s.toml:38:11: error: vehicle 'soyuz-ms'.transit: must not be negative, found -0.5");
  CHECK(validation_error_after("certified_life = 250", "certified_life = 0") ==
        "s.toml:39:18: error: vehicle 'soyuz-ms'.certified_life: must be > 0, found 0");
  CHECK(validation_error_after("waiver_life = 270", "waiver_life = 249.5") ==
        "s.toml:40:15: error: vehicle 'soyuz-ms'.waiver_life: 249.5 is shorter than certified_life "
        "250");
  CHECK(validation_error_after("failure_probability = 0.015", "failure_probability = 1.0000001") ==
        "s.toml:41:23: error: vehicle 'soyuz-ms'.failure_probability: probability 1.0000001 is "
        "outside [0, 1]");
  CHECK(validation_error_after("cargo = { food = 50 }", "cargo = { food = -5 }") ==
        "s.toml:42:18: error: vehicle 'soyuz-ms'.cargo.food: must not be negative, found -5");
  CHECK(validation_error_after("supplies = { food = 0.5 }", "supplies = { food = { uniform = [-0.5, 1] } }") ==
        "s.toml:43:21: error: vehicle 'soyuz-ms'.supplies.food: uniform(-0.5, 1) can be negative; a "
        "rate must not be (truncate it with min = 0 or choose another kind)");
}

TEST_CASE("a consumable's stock, rates, reserve and capacity are in range") {
  CHECK(validation_error_after("start = 3000", "start = -1") ==
        "s.toml:47:9: error: consumable 'food'.start: must not be negative, found -1");
  CHECK(validation_error_after("per_crew_day = 1.8", "per_crew_day = { normal = [1.8, 0.5] }") ==
        "s.toml:48:16: error: consumable 'food'.per_crew_day: normal(1.8, 0.5) can be negative; a "
        "rate must not be (truncate it with min = 0 or choose another kind)");
  CHECK(validation_error_after("per_day = 0.1", "per_day = -0.1") ==
        "s.toml:49:11: error: consumable 'food'.per_day: must not be negative, found -0.1");
  CHECK(validation_error_after("reserve = 500", "reserve = -500") ==
        "s.toml:50:11: error: consumable 'food'.reserve: must not be negative, found -500");
  CHECK(validation_error_after("capacity = 4500", "capacity = 0") ==
        "s.toml:51:12: error: consumable 'food'.capacity: must be > 0, found 0");
  CHECK(validation_error_after("start = 3000", "start = { uniform = [4000, 5000] }") ==
        "s.toml:47:9: error: consumable 'food'.start: uniform(4000, 5000) can exceed the capacity "
        "4500 kg");
}

TEST_CASE("a docked vehicle's dates, crew and port are consistent") {
  CHECK(validation_error_after("docked = \"2025-04-08\"", "docked = \"2025-12-01\"") ==
        "s.toml:56:10: error: docked 'MS-27'.docked: is after the epoch 2025-11-27T09:28:00Z (a later "
        "arrival is a [[mission]])");
  CHECK(validation_error_after("departure = \"2025-12-09\"", "departure = \"2025-04-01\"") ==
        "s.toml:57:13: error: docked 'MS-27'.departure: is before the docking date");
  CHECK(validation_error_after("crew = { rs = 2, usos = 1 }", "crew = { rs = -1, usos = 1 }") ==
        "s.toml:58:15: error: docked 'MS-27'.crew.rs: must not be negative, found -1");
  CHECK(validation_error_after("crew = { rs = 2, usos = 1 }", "crew = { rs = 2, usos = -1 }") ==
        "s.toml:58:25: error: docked 'MS-27'.crew.usos: must not be negative, found -1");
  CHECK(validation_error_after("crew = { rs = 2, usos = 1 }", "crew = { rs = 3, usos = 1 }") ==
        "s.toml:58:8: error: docked 'MS-27'.crew: a crew of 4 does not fit the 3 seats of vehicle "
        "'soyuz-ms'");
  CHECK(validation_error_after("port = \"rs-soyuz\"", "port = \"usos\"") ==
        "s.toml:60:8: error: docked 'MS-27'.port: vehicle 'soyuz-ms' cannot use port type 'usos'");
  CHECK(validation_error_after("port = \"rs-soyuz\"", "port = \"rs-soyuz\"\nundocked = \"2025-04-01\"") ==
        "s.toml:61:12: error: docked 'MS-27'.undocked: is before the docking date");
}

TEST_CASE("a mission's duration, crew, cargo, slip, launch date and pads are consistent") {
  CHECK(validation_error_after("docked_duration = 240", "docked_duration = -1") ==
        "s.toml:66:19: error: mission 'MS-29'.docked_duration: must not be negative, found -1");
  CHECK(validation_error_after("crew = { rs = 1, usos = 1 }", "crew = { rs = 3, usos = 1 }") ==
        "s.toml:67:8: error: mission 'MS-29'.crew: a crew of 4 does not fit the 3 seats of vehicle "
        "'soyuz-ms'");
  CHECK(validation_error_after("cargo = { food = 20 }", "cargo = { food = -20 }") ==
        "s.toml:70:18: error: mission 'MS-29'.cargo.food: must not be negative, found -20");
  // A slip may be negative (moved earlier); `earliest` must stay reachable.
  CHECK(validation_error_after("slip = 2", "slip = { triangular = [-2, 0, 5] }").empty());
  CHECK(validation_error_after("slip = 2", "slip = -30\nearliest = \"2026-02-12\"").empty());
  CHECK(validation_error_after("slip = 2", "slip = { triangular = [-20, 0, 5] }\nearliest = \"2026-03-20\"") ==
        "s.toml:70:12: error: mission 'MS-29'.earliest: 2026-03-20T00:00:00Z is after NET + the slip's "
        "maximum (2026-03-19T00:00:00Z): the mission could never launch on plan");
  CHECK(validation_error_after("slip = 2", "slip = 2\nearliest = \"2025-11-01\"") ==
        "s.toml:70:12: error: mission 'MS-29'.earliest: is before the epoch 2025-11-27T09:28:00Z");
  CHECK(validation_error_after("net = \"2026-03-14\"", "net = \"2026-03-14\"\nlaunched = \"2026-03-14\"\nearliest = \"2026-03-01\"") ==
        "s.toml:67:12: error: mission 'MS-29'.earliest: a mission already flown (launched) has no earliest date");
  CHECK(validation_error_after("net = \"2026-03-14\"", "net = \"2026-03-14\"\nlaunched = \"2025-11-01\"") ==
        "s.toml:66:12: error: mission 'MS-29'.launched: is before the epoch (list it under "
        "[[docked]])");
  CHECK(validation_error_after("pads = [\"site31\"]", "pads = []") ==
        "s.toml:62:1: error: mission 'MS-29': has no pad to launch from (vehicle 'soyuz-ms' lists "
        "none)");
}

TEST_CASE("a mission's known outcome, own failure probability and real undocking are consistent") {
  CHECK(validation_error_after("slip = 2", "slip = 2\nfails = true\nfailure_probability = 0.1") ==
        "s.toml:71:23: error: mission 'MS-29'.failure_probability: give either 'fails' (a known outcome) or "
        "'failure_probability', not both");
  CHECK(validation_error_after("slip = 2", "slip = 2\nfailure_probability = 1.5") ==
        "s.toml:70:23: error: mission 'MS-29'.failure_probability: probability 1.5 is outside [0, 1]");
  CHECK(validation_error_after("slip = 2", "slip = 2\nundocked = \"2026-09-01\"") ==
        "s.toml:70:12: error: mission 'MS-29'.undocked: needs the real launch date 'launched' (only a flown "
        "mission has a real undocking)");
  const std::string flown = "net = \"2026-03-14\"\nlaunched = \"2026-03-14\"";
  CHECK(validation_error_after("net = \"2026-03-14\"", flown + "\nundocked = \"2026-03-14\"") ==
        "s.toml:67:12: error: mission 'MS-29'.undocked: 2026-03-14T00:00:00Z is before its docking (launched + "
        "transit, 2026-03-14T03:07:12Z)");
  CHECK(validation_error_after("net = \"2026-03-14\"", flown + "\nfails = true\nundocked = \"2026-09-01\"") ==
        "s.toml:68:12: error: mission 'MS-29'.undocked: a mission that fails never docks");
  CHECK(validation_error_after("net = \"2026-03-14\"", flown + "\nundocked = \"2026-09-01\"").empty());
}

TEST_CASE("the decrewing policy watches something and its numbers are not negative") {
  CHECK(validation_error_after("consumables = [\"food\"]", "consumables = []") ==
        "s.toml:72:1: error: [policy.decrew]: enabled with no consumables to watch");
  CHECK(validation_error_after("days = 45", "days = -45") ==
        "s.toml:75:8: error: [policy.decrew].days: must not be negative, found -45");
  CHECK(validation_error_after("min_crew = 2", "min_crew = -2") ==
        "s.toml:76:12: error: [policy.decrew].min_crew: must not be negative, found -2");
}

TEST_CASE("a spec built in code is held to the same rules, and its errors carry no position") {
  StationBuilder b;
  CHECK(station_validation_error_of(b.s).empty());
  auto with = [&](auto change) {
    StationBuilder c;
    change(c.s);
    return station_validation_error_of(c.s);
  };
  CHECK(with([](StationSpec& s) { s.horizon = 0.0; }) ==
        "scenario.horizon: must be a finite number of days after the epoch, found 0");
  CHECK(with([](StationSpec& s) { s.horizon = kUnlimited; }) ==
        "scenario.horizon: must be a finite number of days after the epoch, found inf");
  CHECK(with([](StationSpec& s) { s.nominal_crew = 0; }) == "scenario.nominal_crew: must be at least 1, found 0");
  CHECK(with([](StationSpec& s) { s.vehicles[0].transit = -1.0; }) ==
        "vehicle 'cargo'.transit: must not be negative, found -1");
}

TEST_CASE("a pad built in code is checked as the pad loader checks a file's") {
  auto with = [&](auto change) {
    StationBuilder c;
    change(c.s.pads[0]);
    return station_validation_error_of(c.s);
  };
  CHECK(with([](PadSpec& p) { p.damage_probability = 1.5; }) ==
        "pad 'pad'.damage_probability: probability 1.5 is outside [0, 1]");
  CHECK(with([](PadSpec& p) { p.down_at_epoch = true; }) ==
        "pad 'pad': needs a repair project: it is down at the epoch");
  CHECK(with([](PadSpec& p) { p.damage_probability = 0.25; }) ==
        "pad 'pad': needs a repair project: it is damaged with probability > 0");
  CHECK(with([](PadSpec& p) { p.turnaround = Distribution(DistributionSpec::uniform(-1.0, 2.0)); }) ==
        "pad 'pad'.turnaround: uniform(-1, 2) can be negative; a duration must not be (truncate it with min = 0 "
        "or choose another kind)");
  CHECK(with([](PadSpec& p) { p.after_repair.max_wait = -2.0; }) ==
        "pad 'pad'.after_repair.max_wait: must not be negative, found -2");
}

TEST_CASE("an index out of range in a spec built in code names the entry, the key and the count") {
  auto with = [&](auto change) {
    StationBuilder c;
    c.docked("crew", 1, -10.0, 50.0, {1, 0});
    c.mission("m", 0, 10.0);
    change(c.s);
    return station_validation_error_of(c.s);
  };
  CHECK(with([](StationSpec& s) { s.seed_pad = 3; }) == "scenario.seed_pad: unknown pad index 3 (there are 1)");
  CHECK(with([](StationSpec& s) { s.vehicles[0].pads = {2}; }) ==
        "vehicle 'cargo'.pads: unknown pad index 2 (there are 1)");
  CHECK(with([](StationSpec& s) { s.vehicles[0].ports = {5}; }) ==
        "vehicle 'cargo'.ports: unknown port type index 5 (there are 2)");
  CHECK(with([](StationSpec& s) { s.vehicles[0].launcher = 1; }) ==
        "vehicle 'cargo'.launcher: unknown launcher index 1 (there are 1)");
  CHECK(with([](StationSpec& s) { s.vehicles[0].cargo = {{0, fixed(1.0)}}; }) ==
        "vehicle 'cargo'.cargo: unknown consumable index 0 (there are 0)");
  CHECK(with([](StationSpec& s) { s.docked[0].vehicle = 2; }) ==
        "docked 'crew'.vehicle: unknown vehicle class index 2 (there are 2)");
  CHECK(with([](StationSpec& s) { s.docked[0].rotation = 0; }) ==
        "docked 'crew'.rotation: unknown rotation line index 0 (there are 0)");
  CHECK(with([](StationSpec& s) { s.docked[0].port = 2; }) ==
        "docked 'crew'.port: unknown port type index 2 (there are 2)");
  CHECK(with([](StationSpec& s) { s.missions[0].vehicle = 9; }) ==
        "mission 'm'.vehicle: unknown vehicle class index 9 (there are 2)");
  CHECK(with([](StationSpec& s) { s.missions[0].pads = {1}; }) ==
        "mission 'm'.pads: unknown pad index 1 (there are 1)");
  CHECK(with([](StationSpec& s) { s.missions[0].rotation = 1; }) ==
        "mission 'm'.rotation: unknown rotation line index 1 (there are 0)");
  CHECK(with([](StationSpec& s) { s.decrew.consumables = {0}; }) ==
        "[policy.decrew].consumables: unknown consumable index 0 (there are 0)");
}

TEST_CASE("a loaded spec edited in code keeps the positions the file gave it") {
  StationSpec spec = models::load_station_spec(kValidationBase, "s.toml", {});
  spec.vehicles[0].transit = -1.0;
  try {
    StationModel model(spec);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "s.toml:38:11: error: vehicle 'soyuz-ms'.transit: must not be negative, found -1");
  }
}
