// `--set PATH=VALUE` overrides (docs/scenario.md "Overrides"): every kind of path on the default
// scenario, read back from what the loader built; common random numbers across an override; the
// repair's duration scale; and the exact messages of paths that name nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>

#include "default_scenario_support.hpp"
#include "padsim/error.hpp"
#include "padsim/models/repair_project.hpp"
#include "padsim/models/station.hpp"

namespace padsim::test::scenarios {
namespace {

using namespace std::chrono;

std::unique_ptr<Model> load_default(std::vector<std::string> overrides, bool deterministic = false) {
  LoadOptions options;
  options.overrides = std::move(overrides);
  options.deterministic = deterministic;
  return models::load_scenario(read(kDefaultScenario), kDefaultScenario, options);
}

const models::StationSpec& spec_of(const Model& model) {
  return dynamic_cast<const models::StationModel&>(model).spec();
}

template <class Spec>
const Spec& by_id(const std::vector<Spec>& specs, const std::string& id) {
  const auto it = std::find_if(specs.begin(), specs.end(), [&](const Spec& s) { return s.id == id; });
  REQUIRE(it != specs.end());
  return *it;
}

const models::TaskSpec& task(const models::StationSpec& spec, const std::string& id) {
  return by_id(by_id(spec.pads, "site31").repair.project->tasks(), id);
}

// The message of the InputError loading the default scenario with `overrides` throws.
std::string overrides_error_of(std::vector<std::string> overrides) {
  try {
    load_default(std::move(overrides));
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

std::size_t input_index(const Model& model, const std::string& name) {
  const auto& inputs = model.inputs();
  const auto it = std::find(inputs.begin(), inputs.end(), name);
  REQUIRE(it != inputs.end());
  return static_cast<std::size_t>(it - inputs.begin());
}

}  // namespace

TEST_CASE("every kind of --set path changes what the loader builds, and only that") {
  const auto base_model = load_default({});
  const models::StationSpec& base = spec_of(*base_model);
  const auto model = load_default({
      "scenario.horizon=2027-12-31",
      "station.min_crew=4",
      "port.us-dock.count=1",
      "pad.site31.turnaround=7",
      "pad.site31.after_repair.max_wait=10",
      "repair.site31-cabin.task.R6.duration=pert(20,28,40)",
      "repair.site31-cabin.scale=1.5",
      "launcher.falcon-9.stand_down = 5",
      "rotation.soyuz.handover=4",
      "vehicle.progress-ms.transit=3",
      "mission.\"Progress MS-33\".net=2026-02-01",
      "mission.\"Crew-12\".slip=\"triangular(0, 10, 40)\"",
      "docked.\"Progress MS-31\".departure=2026-03-01",
      "consumable.water.reserve_days=30",
  });
  const models::StationSpec& s = spec_of(*model);
  CHECK(s.horizon == doctest::Approx(days_from_epoch(2027y / December / 31)));
  CHECK(base.horizon == doctest::Approx(days_from_epoch(2027y / June / 30)));
  CHECK(s.min_crew == 4);
  CHECK(base.min_crew == 3);
  CHECK(by_id(s.pads, "site31").turnaround.is_fixed());
  CHECK(by_id(s.pads, "site31").turnaround.lower() == 7.0);
  CHECK(by_id(s.pads, "site31").after_repair.max_wait == 10.0);
  CHECK(by_id(base.pads, "site31").after_repair.max_wait == 30.0);
  const Distribution& r6 = task(s, "R6").duration;
  CHECK(r6.kind() == DistributionKind::kPert);
  CHECK(r6.lower() == 20.0);
  CHECK(r6.mode() == 28.0);
  CHECK(r6.upper() == 40.0);
  CHECK(task(s, "R5").duration.mode() == task(base, "R5").duration.mode());  // its neighbours untouched
  CHECK(by_id(s.pads, "site31").repair.project->duration_scale() == 1.5);
  CHECK(by_id(base.pads, "site31").repair.project->duration_scale() == 1.0);
  CHECK(by_id(s.launchers, "falcon-9").stand_down.is_fixed());
  CHECK(by_id(s.launchers, "falcon-9").stand_down.lower() == 5.0);
  CHECK(by_id(s.rotations, "soyuz").handover.lower() == 4.0);
  CHECK(by_id(s.vehicles, "progress-ms").transit == 3.0);
  CHECK(by_id(s.missions, "Progress MS-33").net == doctest::Approx(days_from_epoch(2026y / February / 1)));
  CHECK(by_id(s.missions, "Progress MS-34").net == by_id(base.missions, "Progress MS-34").net);
  CHECK(by_id(s.missions, "Crew-12").slip.upper() == 40.0);
  CHECK(by_id(s.missions, "Crew-12").slip.mode() == 10.0);
  CHECK(by_id(s.docked, "Progress MS-31").departure == doctest::Approx(days_from_epoch(2026y / March / 1)));
  CHECK(by_id(s.consumables, "water").reserve == 30.0);
  CHECK(by_id(s.consumables, "water").reserve_in_days);
  CHECK(by_id(s.consumables, "food").reserve == 45.0);
  const auto dock = std::find_if(s.ports.begin(), s.ports.end(), [](const auto& p) { return p.type == "us-dock"; });
  REQUIRE(dock != s.ports.end());
  CHECK(dock->count == 1);
}

TEST_CASE("--set on a branch's probabilities: the deterministic run takes the other cabin source") {
  const auto base = load_default({}, true);
  const auto flipped = load_default({"repair.site31-cabin.branch.cabin-source.probabilities=[0.2, 0.8]"}, true);
  const std::size_t ready = outcome_index(*base, "pad_ready_day");
  const double base_day = replay(*base, kDefaultSeed, 0, nullptr).outcomes[ready];
  const double flipped_day = replay(*flipped, kDefaultSeed, 0, nullptr).outcomes[ready];
  // Modes: R1 0-7; R2 (SS+1 after R1) 1-20, R3 7-21, R5 21-46, R4 20-35, R6 (R4 SS+7) 27-87, R8 87-97.
  // Fabricating the cabin instead: R2b (after R1) 7-277, R4 277-292, R6 284-344, R8 344-354.
  CHECK(base_day == 97.0);
  CHECK(flipped_day == 354.0);
}

TEST_CASE("a quoted --set segment may hold dots and escaped quotes") {
  std::string text = read(kDefaultScenario);
  const std::string from = "id = \"Progress MS-33\"";
  REQUIRE(text.find(from) != std::string::npos);
  const auto with_id = [&](const std::string& id) {
    std::string t = text;
    t.replace(t.find(from), from.size(), "id = " + id);
    return t;
  };
  const auto net_of = [](const std::string& scenario, const std::string& override_, const std::string& id) {
    LoadOptions options;
    options.overrides = {override_};
    const auto model = models::load_scenario(scenario, "s.toml", options);
    return by_id(spec_of(*model).missions, id).net;
  };
  const double feb1 = days_from_epoch(2026y / February / 1);
  CHECK(net_of(with_id("\"MS.33\""), "mission.\"MS.33\".net=2026-02-01", "MS.33") == doctest::Approx(feb1));
  CHECK(net_of(with_id("'say \"33\"'"), "mission.\"say \\\"33\\\"\".net=2026-02-01", "say \"33\"") ==
        doctest::Approx(feb1));
}

TEST_CASE("--set on one mission's slip changes no other draw of any replication (common random numbers)") {
  const auto base = load_default({});
  const auto changed = load_default({"mission.\"Crew-12\".slip=pert(0,10,40)"});
  REQUIRE(base->inputs() == changed->inputs());
  const std::size_t crew12 = input_index(*base, "slip:Crew-12");
  int differing = 0;
  for (std::uint64_t k = 0; k < 100; ++k) {
    CAPTURE(k);
    const ReplicationResult a = replay(*base, kDefaultSeed, k, nullptr);
    const ReplicationResult b = replay(*changed, kDefaultSeed, k, nullptr);
    for (std::size_t j = 0; j < a.inputs.size(); ++j) {
      if (!base->inputs()[j].starts_with("slip:")) continue;
      if (j == crew12) {
        differing += a.inputs[j] != b.inputs[j];
        continue;
      }
      CAPTURE(base->inputs()[j]);
      CHECK(a.inputs[j] == b.inputs[j]);
    }
  }
  CHECK(differing > 90);  // the override itself does change Crew-12's slip
}

namespace {

/// pad_ready_day of the deterministic replication of repair scenario `text` with `overrides`.
double deterministic_pad_ready(const std::string& text, std::vector<std::string> overrides) {
  LoadOptions options;
  options.deterministic = true;
  options.overrides = std::move(overrides);
  const auto model = models::load_scenario(text, "t.toml", options);
  return replay(*model, kDefaultSeed, 0, nullptr).outcomes[outcome_index(*model, "pad_ready_day")];
}

}  // namespace

TEST_CASE("[repair.ID] scale = 2 doubles every fixed duration, so a chain's completion doubles") {
  const std::string text =
      "[scenario]\nname = \"t\"\nepoch = \"2025-11-27T09:28Z\"\nhorizon = \"2027-06-30\"\n\n"
      "[[pad]]\nid = \"p\"\ndown_at_epoch = true\nrepair = \"r\"\n\n"
      "[[repair.r.task]]\nid = \"A\"\nduration = 5\n\n"
      "[[repair.r.task]]\nid = \"B\"\nduration = 7\nafter = [\"A\"]\n\n"
      "[[repair.r.task]]\nid = \"C\"\nduration = 4\nafter = [\"A\"]\n";
  const auto completion = [&](std::vector<std::string> overrides) {
    return deterministic_pad_ready(text, std::move(overrides));
  };
  CHECK(completion({}) == 12.0);
  CHECK(completion({"repair.r.scale=2"}) == 24.0);
  CHECK(completion({"repair.r.scale=0.5"}) == 6.0);
  CHECK(completion({"repair.r.task.A.duration=1", "repair.r.scale=3"}) == 24.0);  // in order: (1 + 7) x 3
}

TEST_CASE("scale leaves a task the status says has run as it ran, and scales the rest") {
  // Epoch at midnight: 2026-01-01 is day 0. A (10 days) finished on day 10, as its fixed duration says.
  const std::string text =
      "[scenario]\nname = \"t\"\nepoch = \"2026-01-01\"\nhorizon = \"2027-01-01\"\n\n"
      "[[pad]]\nid = \"p\"\ndown_at_epoch = true\nrepair = \"r\"\n\n"
      "[[repair.r.task]]\nid = \"A\"\nduration = 10\n\n"
      "[[repair.r.task]]\nid = \"B\"\nduration = 6\nafter = [\"A\"]\n\n"
      "[[repair.r.task]]\nid = \"C\"\nduration = 4\nafter = [\"B\"]\n\n"
      "[repair.r.status]\ndate = \"2026-01-11\"\n"
      "[[repair.r.status.task]]\nid = \"A\"\nstart = \"2026-01-01\"\nfinish = \"2026-01-11\"\n";
  const auto completion = [&](std::vector<std::string> overrides) {
    return deterministic_pad_ready(text, std::move(overrides));
  };
  CHECK(completion({}) == 20.0);
  CHECK(completion({"repair.r.scale=2"}) == 10.0 + 2 * (6.0 + 4.0));
}

TEST_CASE("a --set path that names nothing is an InputError at --set PATH, with what it missed") {
  CHECK(overrides_error_of({"mission.\"Nope\".net=2026-01-01"}) ==
        "--set mission.\"Nope\".net: error: no [[mission]] with id 'Nope'");
  CHECK(overrides_error_of({"repair.site31-cabin.task.R9.duration=5"}) ==
        "--set repair.site31-cabin.task.R9.duration: error: no [[repair.site31-cabin.task]] with id 'R9'");
  CHECK(overrides_error_of({"port.x-dock.count=1"}) == "--set port.x-dock.count: error: no [[port]] with type 'x-dock'");
  CHECK(overrides_error_of({"bogus.x=1"}) == "--set bogus.x: error: no section [bogus] in the scenario");
  CHECK(overrides_error_of({"repair.nope.scale=2"}) == "--set repair.nope.scale: error: no [repair.nope] in the scenario");
  CHECK(overrides_error_of({"scenario.horizon.year=2027"}) ==
        "--set scenario.horizon.year: error: scenario.horizon is a value: there is nothing below it");
  CHECK(overrides_error_of({"mission.net=2026-01-01"}) ==
        "--set mission.net: error: [[mission]] is an array of tables: name an element by its id, then a key");
  CHECK(overrides_error_of({"scenario.horizon"}) == "--set scenario.horizon: error: expected PATH=VALUE, found no '='");
  CHECK(overrides_error_of({"scenario..horizon=1"}) ==
        "--set scenario..horizon: error: empty path segment (expected PATH=VALUE, PATH = a.b.c)");
  CHECK(overrides_error_of({"mission.\"Crew-12.slip=1"}) == "--set mission.\"Crew-12.slip: error: unterminated quoted segment");
  CHECK(overrides_error_of({"scenario.horizon="}) == "--set scenario.horizon: error: empty value (a string is written \"\")");
}

TEST_CASE("a --set value of the wrong kind is reported by the loader, at --set PATH") {
  const std::string horizon = overrides_error_of({"scenario.horizon=soon"});
  CHECK(horizon.starts_with("--set scenario.horizon: error: scenario.horizon: "));
  const std::string misspelt = overrides_error_of({"consumable.water.reserve_dayz=30"});
  CHECK(misspelt.starts_with("--set consumable.water.reserve_dayz: error: "));
  CHECK(misspelt.find("unknown key 'reserve_dayz'") != std::string::npos);
  // A distribution's text form is positioned as `padsim dist` positions a SPEC: 1:COL inside VALUE.
  CHECK(overrides_error_of({"repair.site31-cabin.task.R6.duration=pert(20,28,4O)"}) ==
        "--set repair.site31-cabin.task.R6.duration:1:13: error: repair.site31-cabin.task[R6].duration: "
        "expected ')', found 'O'");
  CHECK(overrides_error_of({"repair.site31-cabin.task.R6.duration={ pert = [40, 28, 20] }"}) ==
        "--set repair.site31-cabin.task.R6.duration: error: repair.site31-cabin.task[R6].duration: pert: min 40 "
        "is above max 20");
  const std::string scale = overrides_error_of({"repair.site31-cabin.scale=0"});
  CHECK(scale ==
        "--set repair.site31-cabin.scale: error: repair.site31-cabin.scale: must be a positive number, found 0");
  CHECK(overrides_error_of({"consumable.water.reserve_days=30"}) == "no error");
}

}  // namespace padsim::test::scenarios
