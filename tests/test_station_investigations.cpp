// Investigations (models/station_investigations.cpp): groundings that span launcher families and pads,
// lengths drawn per failure or taken from a task graph, extensions, and return to flight across
// everything grounded, on hand-built stations whose numbers are fixed, so each expected day is worked
// out in the comments. Families: A ("rocket", stand-down 30), B ("rocket-b", stand-down 10), C
// ("rocket-c", stand-down 5). A flies from "pad", B and C from "pad2"; turnarounds 0, transits 0.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "station_unit.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::fixed;
using padsim::test::fixed_repair;
using padsim::test::Run;
using padsim::test::StationBuilder;

namespace {

constexpr std::size_t kA = 0, kB = 1, kC = 2;  // launcher families
// Vehicle classes: cargo and capsule of A (the builder's), then of B, then cargo of C.
constexpr std::size_t kCargo = 0, kCapsule = 1, kCargoB = 2, kCapsuleB = 3, kCargoC = 4;

StationBuilder families() {
  StationBuilder b;
  b.s.launchers.push_back({"rocket-b", fixed(10.0)});
  b.s.launchers.push_back({"rocket-c", fixed(5.0)});
  PadSpec pad2 = b.s.pads[0];
  pad2.id = "pad2";
  b.s.pads.push_back(pad2);
  auto of = [&](std::size_t base, std::string id, std::size_t launcher) {
    VehicleClassSpec v = b.s.vehicles[base];
    v.id = std::move(id);
    v.launcher = launcher;
    v.pads = {1};
    b.s.vehicles.push_back(v);
  };
  of(kCargo, "cargo-b", kB);
  of(kCapsule, "capsule-b", kB);
  of(kCargo, "cargo-c", kC);
  return b;
}

// Missions docked for 1 day, so that ports never hold a launch.
MissionSpec& cargo(StationBuilder& b, std::string id, std::size_t vehicle, double net) {
  return b.mission(std::move(id), vehicle, net, 1.0);
}
MissionSpec& crewed(StationBuilder& b, std::string id, std::size_t vehicle, double net) {
  MissionSpec& m = b.mission(std::move(id), vehicle, net, 1.0);
  m.crew = {1, 0};
  return m;
}

InvestigationSpec& investigation(StationBuilder& b, std::string id, std::vector<std::size_t> opened_by,
                                 std::vector<std::size_t> grounds, double length) {
  InvestigationSpec v;
  v.id = std::move(id);
  v.opened_by = std::move(opened_by);
  v.grounds = std::move(grounds);
  v.length = fixed(length);
  b.s.investigations.push_back(v);
  return b.s.investigations.back();
}

void uncrewed_first(InvestigationSpec& v, double max_wait, double gate) {
  v.return_to_flight.first_launch_uncrewed = true;
  v.return_to_flight.max_wait = max_wait;
  v.return_to_flight.crewed_gate = fixed(gate);
}

}  // namespace

TEST_CASE("a failure opens the investigation of its family: every grounded family waits for the close") {
  // F (A) fails on day 10; I grounds A and B for 20 days: closes on day 30. MB (B, NET 15) and MA
  // (A, NET 12) launch on day 30; A's own stand-down (30 days: day 40) is replaced.
  StationBuilder b = families();
  cargo(b, "F", kCargo, 10.0).fails = true;
  cargo(b, "MB", kCargoB, 15.0);
  cargo(b, "MA", kCargo, 12.0);
  auto& v = investigation(b, "I", {kA}, {kA, kB}, 20.0);
  SUBCASE("enabled") {
    Run r(b.s);
    CHECK(r["failed:F"] == 1.0);
    CHECK(r["launch_day:MB"] == 30.0);
    CHECK(r["launch_day:MA"] == 30.0);
    CHECK(r["investigation_opened:I"] == 1.0);
    CHECK(r["investigation_close:I"] == 30.0);
    CHECK(r.trace.times("investigation_open", "I") == std::vector<double>{10.0});
    CHECK(r.trace.times("investigation_close", "I") == std::vector<double>{30.0});
    CHECK(r.trace.times("stand_down", "rocket").empty());
  }
  SUBCASE("enabled = false: as if it were not defined, A stands down 30 days and B flies") {
    v.enabled = false;
    Run r(b.s);
    CHECK(r["launch_day:MB"] == 15.0);
    CHECK(r["launch_day:MA"] == 40.0);
    CHECK(r["investigation_opened:I"] == 0.0);
    CHECK(std::isnan(r["investigation_close:I"]));
  }
  SUBCASE("still open at the horizon: the close is empty (censored)") {
    v.length = fixed(200.0);
    Run r(b.s);
    CHECK(r["investigation_opened:I"] == 1.0);
    CHECK(std::isnan(r["investigation_close:I"]));
    CHECK(std::isnan(r["launch_day:MB"]));
  }
}

TEST_CASE("return to flight: uncrewed first until max_wait, then the crewed gate from the first launch") {
  // F (A) fails on day 10; I grounds A and B until day 30, then the first launch of A or B must be
  // uncrewed until day 35 (max_wait 5), and crewed launches wait 7 days after that first launch.
  StationBuilder b = families();
  cargo(b, "F", kCargo, 10.0).fails = true;
  crewed(b, "C", kCapsuleB, 15.0);
  uncrewed_first(investigation(b, "I", {kA}, {kA, kB}, 20.0), 5.0, 7.0);
  SUBCASE("an uncrewed mission of another grounded family ready before max_wait takes the first launch") {
    // U (A, NET 33) is the first launch; C (B) waits for the gate: day 40.
    cargo(b, "U", kCargo, 33.0);
    Run r(b.s);
    CHECK(r["launch_day:U"] == 33.0);
    CHECK(r["launch_day:C"] == 40.0);
    CHECK(r.trace.times("return_to_flight", "I") == std::vector<double>{33.0});
  }
  SUBCASE("none ready by max_wait: a crewed mission takes the first launch, ungated; later ones are gated") {
    // C flies on day 35 (close + max_wait); U (NET 50) is uncrewed, never gated; C2 (A, NET 36)
    // waits for the gate counted from C: day 42.
    cargo(b, "U", kCargo, 50.0);
    crewed(b, "C2", kCapsule, 36.0);
    Run r(b.s);
    CHECK(r["launch_day:C"] == 35.0);
    CHECK(r["launch_day:C2"] == 42.0);
    CHECK(r["launch_day:U"] == 50.0);
  }
  SUBCASE("an uncrewed mission that is ready holds the crewed ones past max_wait, even while it cannot fly") {
    // U (A, NET 20) needs pad3, which is down at the epoch until day 60. It is ready from day 30, so
    // C may not take the first launch: U flies on day 60, C at the gate, day 67.
    PadSpec pad3 = b.s.pads[0];
    pad3.id = "pad3";
    pad3.down_at_epoch = true;
    pad3.repair = fixed_repair(60.0);
    b.s.pads.push_back(pad3);
    b.s.seed_pad = 0;
    cargo(b, "U", kCargo, 20.0).pads = {2};
    Run r(b.s);
    CHECK(r["launch_day:U"] == 60.0);
    CHECK(r["launch_day:C"] == 67.0);
  }
}

TEST_CASE("a task-graph investigation lasts its critical-path completion") {
  // T1 (5 d) and T2 (8 d) both precede T3 (3 d): 11 days. F fails on day 10: closes on day 21.
  StationBuilder b = families();
  cargo(b, "F", kCargo, 10.0).fails = true;
  cargo(b, "MB", kCargoB, 15.0);
  std::vector<TaskSpec> tasks(3);
  const double days[] = {5.0, 8.0, 3.0};
  for (std::size_t i = 0; i < 3; ++i) {
    tasks[i].id = "T" + std::to_string(i + 1);
    tasks[i].duration = fixed(days[i]);
  }
  Link l1, l2;
  l1.pred = 0;
  l1.succ = 2;
  l2.pred = 1;
  l2.succ = 2;
  auto& v = investigation(b, "I", {kA}, {kA, kB}, 0.0);
  v.repair = RepairRef(std::make_shared<const RepairProject>("probe", tasks, std::vector<Link>{l1, l2},
                                                            std::vector<BranchSpec>{}, std::vector<RiskSpec>{},
                                                            std::vector<ResourceSpec>{}));
  Run r(b.s);
  CHECK(r["investigation_close:I"] == 21.0);
  CHECK(r["launch_day:MB"] == 21.0);
  const auto& inputs = r.model.inputs();
  const auto at = std::find(inputs.begin(), inputs.end(), "length:I");
  REQUIRE(at != inputs.end());
  CHECK(r.row.inputs[static_cast<std::size_t>(at - inputs.begin())] == 11.0);
}

TEST_CASE("a new failure while it is open extends it to the later close") {
  // F (A) fails on day 10: I closes on day 30. A second failure on day 20 draws a new length (20):
  // the close becomes day 40, and MB (B, NET 15) launches then.
  StationBuilder b = families();
  cargo(b, "F", kCargo, 10.0).fails = true;
  cargo(b, "MB", kCargoB, 15.0);
  SUBCASE("a family that opens it without being grounded") {
    investigation(b, "I", {kA, kC}, {kA, kB}, 20.0);
    cargo(b, "G", kCargoC, 20.0).fails = true;
    Run r(b.s);
    CHECK(r["launch_day:G"] == 20.0);
    CHECK(r["investigation_close:I"] == 40.0);
    CHECK(r["launch_day:MB"] == 40.0);
    CHECK(r.trace.times("investigation_extended", "I") == std::vector<double>{20.0});
  }
  SUBCASE("a replay that fails") {
    investigation(b, "I", {kA}, {kA, kB}, 20.0);
    auto& replay = cargo(b, "R", kCargo, 20.0);
    replay.launched = 20.0;
    replay.fails = true;
    Run r(b.s);
    CHECK(r["investigation_close:I"] == 40.0);
    CHECK(r["launch_day:MB"] == 40.0);
  }
  SUBCASE("a failure after the close opens it again; the close outcome stays the first opening's") {
    // F2 (A, NET 35) fails on day 35: I opens again until day 55, when MB2 (B, NET 40) flies.
    investigation(b, "I", {kA}, {kA, kB}, 20.0);
    cargo(b, "F2", kCargo, 35.0).fails = true;
    cargo(b, "MB2", kCargoB, 40.0);
    Run r(b.s);
    CHECK(r["launch_day:MB"] == 30.0);
    CHECK(r["launch_day:MB2"] == 55.0);
    CHECK(r["investigation_close:I"] == 30.0);
  }
}

TEST_CASE("a replay that flies while the investigation is open is not its first launch") {
  // R (crewed A, replayed on day 20) flies although A is grounded. After the close (day 30) U (B,
  // NET 15) is the first launch; C (B, NET 25) waits for the gate: day 37.
  StationBuilder b = families();
  cargo(b, "F", kCargo, 10.0).fails = true;
  crewed(b, "R", kCapsule, 20.0).launched = 20.0;
  cargo(b, "U", kCargoB, 15.0);
  crewed(b, "C", kCapsuleB, 25.0);
  uncrewed_first(investigation(b, "I", {kA}, {kA, kB}, 20.0), kUnlimited, 7.0);
  Run r(b.s);
  CHECK(r["launch_day:R"] == 20.0);
  CHECK(r["launch_day:U"] == 30.0);
  CHECK(r["launch_day:C"] == 37.0);
}

TEST_CASE("a grounded pad launches nothing of any family while open, its rules cover its launches") {
  // I grounds family A and pad2. F (A) fails on day 10: until day 30 nothing flies from pad2, while
  // B flies from the other pad.
  StationBuilder b = families();
  cargo(b, "F", kCargo, 10.0).fails = true;
  cargo(b, "MB", kCargoB, 15.0);
  cargo(b, "MB0", kCargoB, 15.0).pads = {0};
  auto& v = investigation(b, "I", {kA}, {kA}, 20.0);
  v.grounds_pads = {1};
  SUBCASE("grounding") {
    Run r(b.s);
    CHECK(r["launch_day:MB"] == 30.0);
    CHECK(r["launch_day:MB0"] == 15.0);
  }
  SUBCASE("return to flight from the pad: a crewed B launch from pad2 waits for the gate after MB") {
    uncrewed_first(v, kUnlimited, 4.0);
    crewed(b, "C", kCapsuleB, 15.0);
    Run r(b.s);
    CHECK(r["launch_day:MB"] == 30.0);
    CHECK(r["launch_day:C"] == 34.0);
  }
}

TEST_CASE("a newer investigation takes over the rules of what both ground") {
  // I1 (opened by A, grounds A and B, uncrewed first with no max_wait) opens on day 10 until day 30.
  // I2 (opened by C, grounds B) opens on day 12 until day 42 and takes B over. CB (crewed B) is
  // grounded until 42 and then no longer waits for an uncrewed first launch; CA (crewed A) still
  // does: U (A, NET 50) flies first, then CA (gate 0).
  StationBuilder b = families();
  cargo(b, "F", kCargo, 10.0).fails = true;
  cargo(b, "G", kCargoC, 12.0).fails = true;
  crewed(b, "CB", kCapsuleB, 15.0);
  crewed(b, "CA", kCapsule, 15.0);
  cargo(b, "U", kCargo, 50.0);
  uncrewed_first(investigation(b, "I1", {kA}, {kA, kB}, 20.0), kUnlimited, 0.0);
  investigation(b, "I2", {kC}, {kB}, 30.0);
  Run r(b.s);
  CHECK(r["investigation_close:I2"] == 42.0);
  CHECK(r["launch_day:CB"] == 42.0);
  CHECK(r["launch_day:U"] == 50.0);
  CHECK(r["launch_day:CA"] == 50.0);
}

TEST_CASE("length:<id> is the first opening's draw, a sensitivity input, deterministic mode takes the mode") {
  StationBuilder b = families();
  cargo(b, "F", kCargo, 10.0).fails = true;
  auto& v = investigation(b, "I", {kA}, {kA, kB}, 0.0);
  v.length = Distribution(DistributionSpec::uniform(10.0, 30.0));
  SUBCASE("random") {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      Run r(b.s, seed);
      const auto& inputs = r.model.inputs();
      REQUIRE(inputs.back() == "length:I");
      const double length = r.row.inputs.back();
      CHECK(length >= 10.0);
      CHECK(length <= 30.0);
      CHECK(r["investigation_close:I"] == 10.0 + length);
    }
  }
  SUBCASE("deterministic: the uniform's midpoint") {
    b.s.deterministic = true;
    Run r(b.s);
    CHECK(r.row.inputs.back() == 20.0);
    CHECK(r["investigation_close:I"] == 30.0);
  }
  SUBCASE("never opened: empty") {
    b.s.missions[0].fails = false;
    Run r(b.s);
    CHECK(std::isnan(r.row.inputs.back()));
    CHECK(r["investigation_opened:I"] == 0.0);
  }
}

TEST_CASE("one launch can be the first for a pad and for an investigation, every gate that covers a launch holds") {
  // pad2 is down at the epoch until day 25, with a crewed gate of 10 after its repair. F (A) fails on
  // day 10: I grounds A and B until day 30, crewed gate 3. MB (B, pad2) flies on day 30: the first
  // launch for pad2 (gate to day 40) and for I (gate to day 33). C (crewed B, pad2) waits for both:
  // day 40; CA (crewed A, pad, NET 31) only for I's: day 33.
  StationBuilder b = families();
  b.s.pads[1].down_at_epoch = true;
  b.s.pads[1].repair = fixed_repair(25.0);
  b.s.pads[1].after_repair.crewed_gate = fixed(10.0);
  cargo(b, "F", kCargo, 10.0).fails = true;
  cargo(b, "MB", kCargoB, 15.0);
  crewed(b, "C", kCapsuleB, 15.0);
  crewed(b, "CA", kCapsule, 31.0);
  investigation(b, "I", {kA}, {kA, kB}, 20.0).return_to_flight.crewed_gate = fixed(3.0);
  Run r(b.s);
  CHECK(r["pad_ready_day"] == 25.0);
  CHECK(r["first_launch_day"] == 30.0);
  CHECK(r["launch_day:MB"] == 30.0);
  CHECK(r["launch_day:C"] == 40.0);
  CHECK(r["launch_day:CA"] == 33.0);
}

TEST_CASE("a family an investigation grounds but that does not open it keeps its own stand-down") {
  // FB (B) fails on day 5: B stands down 10 days (to day 15), nothing opens I, A flies on.
  StationBuilder b = families();
  cargo(b, "FB", kCargoB, 5.0).fails = true;
  cargo(b, "MB", kCargoB, 8.0);
  cargo(b, "MA", kCargo, 8.0);
  investigation(b, "I", {kA}, {kA, kB}, 20.0);
  Run r(b.s);
  CHECK(r["investigation_opened:I"] == 0.0);
  CHECK(r["launch_day:MB"] == 15.0);
  CHECK(r["launch_day:MA"] == 8.0);
}
