// A replacement lifeboat (`takes_crew_of`, models/station_crew_rotation.cpp): the crew moves to the
// replacement at its docking, the old vehicle leaves uncrewed after the handover, and the
// replacement takes the old vehicle's place in its line. Expected values are worked out in the
// comments; every number is fixed.
#include <doctest/doctest.h>

#include <cmath>
#include <optional>
#include <string>

#include "station_load_error.hpp"
#include "station_unit.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::fixed;
using padsim::test::Harness;
using padsim::test::Run;
using padsim::test::StationBuilder;
using models::detail::FlightState;

namespace {

// Line L (handover 4). T (flight 0) docked day -248 with 2 rs + 1 usos: certified limit day 2,
// waiver limit day 22 (the limit under `extend`), planned departure 20. R (flight 1, uncrewed,
// NET 5, 100 planned days) takes T's crew. N (flight 2, 1 rs + 2 usos, NET 60, 30 planned days)
// is the line's next crew. Transit 0, turnaround 0, two crew ports.
StationBuilder replacement_station() {
  StationBuilder b;
  const auto line = b.line("L", 4.0);
  b.docked("T", 1, -248.0, 20.0, {2, 1}).rotation = line;
  b.mission("R", 1, 5.0, 100.0).takes_crew_of = 0;
  auto& n = b.mission("N", 1, 60.0, 30.0);
  n.crew = {1, 2};
  n.rotation = line;
  return b;
}

}  // namespace

TEST_CASE("a replacement takes over the crew and the line, the old vehicle leaves uncrewed after the handover") {
  Harness h(replacement_station().s);
  // T waits for its replacement (and N) up to its limit, day 22.
  CHECK(h.flight(0).awaiting);
  CHECK(h.flight(0).undock_at == 22.0);
  h.st.queue.replan();
  h.sim().run_until(6.0);
  // R docked day 5: T's three move to R; T leaves day 5 + 4 = 9 with no one aboard. R is no one's
  // relief but has T's place: it waits for N (at most to its own limit 5 + 270 = 275).
  CHECK(h.flight(1).docked_at == 5.0);
  CHECK((h.flight(1).crew.rs == 2 && h.flight(1).crew.usos == 1));
  CHECK(h.flight(0).crew.total() == 0);
  CHECK(h.flight(0).uncrewed_at == 5.0);
  CHECK(h.flight(0).handed_over);
  CHECK(h.flight(0).undock_at == 9.0);
  CHECK(h.flight(1).awaiting);
  CHECK(h.flight(1).undock_at == 275.0);
  CHECK((h.st.rotation.rs() == 2 && h.st.rotation.usos() == 1));
  h.sim().run_until(10.0);
  CHECK(h.flight(0).state == FlightState::kGone);
  CHECK((h.st.rotation.rs() == 2 && h.st.rotation.usos() == 1));  // T took no one home
  h.sim().run_until(62.0);
  // N docked day 60: it relieves R, which leaves day 64 with T's crew.
  CHECK((h.st.rotation.rs() == 3 && h.st.rotation.usos() == 3));
  CHECK(h.flight(1).handed_over);
  CHECK(h.flight(1).undock_at == 64.0);
  h.sim().run_until(70.0);
  CHECK((h.st.rotation.rs() == 1 && h.st.rotation.usos() == 2));
  const auto& steps = h.st.rotation.steps();
  REQUIRE(steps.size() == 3);  // the transfer and T's undocking change no segment's count
  CHECK((steps[0].t == 0.0 && steps[0].rs == 2 && steps[0].usos == 1));
  CHECK((steps[1].t == 60.0 && steps[1].rs == 3 && steps[1].usos == 3));
  CHECK((steps[2].t == 64.0 && steps[2].rs == 1 && steps[2].usos == 2));
}

TEST_CASE("an uncrewed old vehicle's days beyond certified life stop at the transfer, and extend leaves it alone") {
  // T passed its certified life on day 2 and leaves day 9, but it is uncrewed from day 5: 3 days
  // beyond certified life (7 if they counted to its undocking). R and N stay within theirs.
  // F (a cargo flight, NET 7) fails as known; X then extends T by 1 day at once (to 21): T's departure
  // was set by the crew transfer, so it still leaves day 9.
  StationBuilder b = replacement_station();
  b.mission("F", 0, 7.0).fails = true;
  ResponseSpec x;
  x.id = "X";
  x.trigger.kind = TriggerKind::kLaunchFailed;
  x.trigger.mission = 2;  // F
  x.lag = fixed(0.0);
  ActionSpec extend;
  extend.kind = ActionKind::kExtend;
  extend.flight = 0;
  extend.delta = fixed(1.0);
  x.actions.push_back(extend);
  b.s.responses.push_back(x);
  Run r(b.s);
  CHECK(r["response:X"] == 1.0);
  CHECK(r["undock_day:T"] == 9.0);
  CHECK(r["undock_day:R"] == 64.0);
  CHECK(r["undock_day:N"] == 90.0);  // 60 + 30 planned, no later mission in the line
  CHECK(r["days_beyond_certified"] == doctest::Approx(3.0));
}

TEST_CASE("a replacement whose target has no crew aboard at docking takes no one") {
  // T really left on day 3 (a replay's date) with its crew; R (1 rs, four seats) docks day 5:
  // nothing is transferred, R carries its own crew only.
  StationBuilder b;
  b.s.vehicles[1].seats = 4;
  const auto line = b.line("L", 4.0);
  auto& t = b.docked("T", 1, -10.0, 20.0, {2, 1});
  t.rotation = line;
  t.undocked = 3.0;
  auto& m = b.mission("R", 1, 5.0, 100.0);
  m.crew = {1, 0};
  m.takes_crew_of = 0;
  Harness h(b.s);
  h.st.queue.replan();
  h.sim().run_until(6.0);
  CHECK(h.flight(0).state == FlightState::kGone);
  CHECK(h.flight(1).state == FlightState::kDocked);
  CHECK((h.flight(1).crew.rs == 1 && h.flight(1).crew.usos == 0));
  CHECK(std::isnan(h.flight(0).uncrewed_at));
  CHECK((h.st.rotation.rs() == 1 && h.st.rotation.usos() == 0));
  CHECK(h.flight(1).undock_at == 105.0);  // the last of its line: its planned departure
}

namespace {

const std::string kTransfer = R"([scenario]
name = "t"
epoch = "2022-12-15"
horizon = "2023-12-31"

[[port]]
type = "crew"
count = 2

[[port]]
type = "cargo"
count = 1

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

[[vehicle]]
id = "progress-ms"
pads = ["site31"]
launcher = "soyuz"
ports = ["cargo"]

[[rotation]]
id = "soyuz"
handover = 4

[[docked]]
id = "MS-22"
vehicle = "soyuz-ms"
docked = "2022-09-21"
departure = "2023-03-28"
crew = { rs = 2, usos = 1 }
rotation = "soyuz"

[[docked]]
id = "MS-21P"
vehicle = "progress-ms"
docked = "2022-10-28"
departure = "2023-02-18"

[[mission]]
id = "MS-23"
vehicle = "soyuz-ms"
net = "2023-02-24"
docked_duration = 200
takes_crew_of = "MS-22"

[[mission]]
id = "MS-24"
vehicle = "soyuz-ms"
net = "2023-09-15"
docked_duration = 180
crew = { rs = 2, usos = 1 }
rotation = "soyuz"
)";

std::string station_crew_transfer_error_after(const std::string& from, const std::string& to) {
  return test::station_load_error_after(kTransfer, from, to);
}

}  // namespace

TEST_CASE("takes_crew_of loads as a flight index and puts the replacement in its target's line") {
  const StationSpec s = models::load_station_spec(kTransfer, "s.toml", {});
  REQUIRE(s.missions[0].takes_crew_of.has_value());
  CHECK(*s.missions[0].takes_crew_of == 0);  // MS-22, the first docked entry
  // Loaded and run deterministically: MS-23 docks 2023-02-24 (day 71), MS-22 leaves uncrewed day 75.
  LoadOptions o;
  o.deterministic = true;
  Run r(models::load_station_spec(kTransfer, "s.toml", o));
  CHECK(r["undock_day:MS-22"] == 75.0);
}

TEST_CASE("bad takes_crew_of values are input errors at their position") {
  const std::string key = "takes_crew_of = \"MS-22\"";
  CHECK(station_crew_transfer_error_after(key, "takes_crew_of = \"MS-99\"") ==
        "s.toml:60:17: error: mission 'MS-23'.takes_crew_of: unknown mission or docked vehicle 'MS-99' (known: MS-22, "
        "MS-21P, MS-23, MS-24)");
  CHECK(station_crew_transfer_error_after(key, "takes_crew_of = \"MS-21P\"") ==
        "s.toml:60:17: error: mission 'MS-23'.takes_crew_of: 'MS-21P' is not a crew vehicle (vehicle 'progress-ms' "
        "has no seats)");
  CHECK(station_crew_transfer_error_after(key, "takes_crew_of = \"MS-23\"") ==
        "s.toml:60:17: error: mission 'MS-23'.takes_crew_of: a mission cannot take the crew of itself");
  CHECK(station_crew_transfer_error_after(key, key + "\ncrew = { rs = 1 }") ==
        "s.toml:60:17: error: mission 'MS-23'.takes_crew_of: its crew of 1 and the 3 of 'MS-22' do not fit the 3 "
        "seats of vehicle 'soyuz-ms'");
}

TEST_CASE("an added mission may name its rotation line") {
  const std::string add = R"(
[[response]]
id = "R"
trigger = { kind = "launch_failed", mission = "MS-24" }
action = [{ add = { id = "MS-24A", vehicle = "soyuz-ms", docked_duration = 180, crew = { rs = 2 }, rotation = "soyuz" }, lead = 30 }]
)";
  const StationSpec s = models::load_station_spec(kTransfer + add, "s.toml", {});
  REQUIRE(s.missions.size() == 3);
  CHECK(s.missions[2].rotation == std::optional<std::size_t>(0));
  std::string bad = kTransfer + add;
  bad.replace(bad.find("rotation = \"soyuz\" }"), 18, "rotation = \"dragon\"");
  CHECK(test::station_load_error(bad) ==
        "s.toml:73:111: error: mission 'MS-24A'.rotation: unknown rotation line 'dragon' (known: soyuz)");
}

TEST_CASE("a replacement serves its target's line, and replacements never form a cycle") {
  std::string other_line = kTransfer;
  other_line.replace(other_line.find("[[rotation]]"), 12, "[[rotation]]\nid = \"dragon\"\nhandover = 1\n\n[[rotation]]");
  other_line.replace(other_line.find("takes_crew_of = \"MS-22\""), 23, "takes_crew_of = \"MS-22\"\nrotation = \"dragon\"");
  CHECK(test::station_load_error(other_line) ==
        "s.toml:65:12: error: mission 'MS-23'.rotation: a replacement serves the line of the vehicle it replaces "
        "('soyuz')");
  std::string cycle = kTransfer;
  cycle.replace(cycle.find("takes_crew_of = \"MS-22\""), 23, "takes_crew_of = \"MS-24\"");
  cycle += "takes_crew_of = \"MS-23\"\n";
  CHECK(test::station_load_error(cycle) ==
        "s.toml:60:17: error: mission 'MS-23'.takes_crew_of: replacements form a cycle through 'MS-24'");
}

TEST_CASE("a replacement of a vehicle in no line keeps its own line, the old vehicle leaves at once") {
  // T (1 rs, no line, planned departure 50) is replaced by R (NET 5, line L, handover 4): with no
  // line to hand over in, T leaves uncrewed at R's docking, day 5. R, in L by its NET, waits for N
  // (NET 30) and leaves 30 + 4.
  StationBuilder b;
  const auto line = b.line("L", 4.0);
  b.docked("T", 1, -10.0, 50.0, {1, 0});
  auto& r = b.mission("R", 1, 5.0, 100.0);
  r.takes_crew_of = 0;
  r.rotation = line;
  auto& n = b.mission("N", 1, 30.0, 100.0);
  n.crew = {1, 0};
  n.rotation = line;
  Run run(b.s);
  CHECK(run["undock_day:T"] == 5.0);
  CHECK(run["undock_day:R"] == 34.0);
}
