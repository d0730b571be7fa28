// The station sections of a scenario file: every input error names FILE:LINE:COL and the entry.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "padsim/models/scenario.hpp"
#include "padsim/models/station.hpp"
#include "station_load_error.hpp"

using namespace padsim;
using namespace padsim::models;

namespace {

// A small valid station scenario; tests replace one line to break it.
const std::string kLoaderBase = R"([scenario]
name = "t"
epoch = "2025-11-27T09:28Z"
horizon = "2026-06-30"
nominal_crew = 7

[station]
min_crew = 3
lifeboat_policy = "extend"

[[port]]
type = "rs-soyuz"
count = 2

[[launcher]]
id = "soyuz"
stand_down = { triangular = [30, 60, 120] }

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

[[consumable]]
id = "food"
start_days = { triangular = [150, 180, 240] }
per_crew_day = 1.8
reserve_days = 45
capacity = 4500
headline = true

[[docked]]
id = "Soyuz MS-27"
vehicle = "soyuz-ms"
docked = "2025-04-08T08:57Z"
departure = "2025-12-09T01:41Z"
crew = { rs = 2, usos = 1 }
rotation = "soyuz-line"

[[mission]]
id = "Soyuz MS-29"
vehicle = "soyuz-ms"
net = "2026-03-14"
docked_duration = 240
crew = { rs = 2, usos = 1 }
rotation = "soyuz-line"
slip = { triangular = [0, 0, 5] }
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

std::string station_loader_error_of(const std::string& text) { return test::station_load_error(text); }

}  // namespace

TEST_CASE("a valid station scenario loads into a model with its outcome columns") {
  const StationSpec spec = models::load_station_spec(kLoaderBase, "s.toml", {});
  CHECK(spec.vehicles.size() == 1);
  CHECK(spec.docked[0].docked < 0.0);
  CHECK(spec.missions[0].net == doctest::Approx(106.6055555).epsilon(1e-6));  // 2026-03-14T00:00 - epoch
  StationModel model(spec);
  CHECK(model.outcome_index("launch_day:Soyuz MS-29") > 0);
  CHECK(model.outcome_index("days_below_reserve:food") > 0);
  CHECK(model.outcomes()[model.outcome_index("days_below_reserve:food")].headline);
  ReplicationResult row;
  model.run(1, 0, row);
  CHECK(row.outcomes.size() == model.outcomes().size());
  CHECK(row.series.size() == model.series_names().size() * static_cast<std::size_t>(model.series_days()));
}

TEST_CASE("station input errors name the file, line, column and entry") {
  struct Case {
    const char* what;
    std::string from, to, expected;
  };
  const Case cases[] = {
      {"horizon before epoch", "horizon = \"2026-06-30\"", "horizon = \"2025-01-01\"", "horizon"},
      {"docked after epoch", "docked = \"2025-04-08T08:57Z\"", "docked = \"2025-12-01\"", "docked 'Soyuz MS-27'"},
      {"departure before docking", "departure = \"2025-12-09T01:41Z\"", "departure = \"2025-01-01\"",
       "departure: is before the docking date"},
      {"unknown vehicle class", "vehicle = \"soyuz-ms\"\nnet", "vehicle = \"soyuz-mz\"\nnet", "unknown vehicle class 'soyuz-mz'"},
      {"unknown port", "ports = [\"rs-soyuz\"]", "ports = [\"rs-soyus\"]", "unknown port type 'rs-soyus'"},
      {"unknown rotation line", "rotation = \"soyuz-line\"\nslip", "rotation = \"dragon\"\nslip", "unknown rotation line 'dragon'"},
      {"unknown launcher", "launcher = \"soyuz\"", "launcher = \"falcon\"", "unknown launcher 'falcon'"},
      {"unknown pad", "pads = [\"site31\"]", "pads = [\"site1\"]", "unknown pad 'site1'"},
      {"unknown consumable", "cargo = { food = 50 }", "cargo = { fuel = 50 }", "unknown consumable 'fuel'"},
      {"crew larger than seats", "crew = { rs = 2, usos = 1 }\nrotation = \"soyuz-line\"\nslip",
       "crew = { rs = 3, usos = 1 }\nrotation = \"soyuz-line\"\nslip", "does not fit the 3 seats"},
      {"negative stock", "start_days = { triangular = [150, 180, 240] }", "start_days = -5", "must not be negative"},
      {"negative rate", "per_crew_day = 1.8", "per_crew_day = { normal = [1.8, 0.5] }", "can be negative"},
      {"probability above 1", "failure_probability = 0.015", "failure_probability = 1.5", "outside [0, 1]"},
      {"unknown key", "transit = 0.13", "transti = 0.13", "unknown key 'transti'"},
      {"unknown lifeboat policy", "lifeboat_policy = \"extend\"", "lifeboat_policy = \"stay\"", "\"extend\" or \"return\""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    const std::string text = replace(kLoaderBase, c.from, c.to);
    // The error points at the replaced line.
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(text.find(c.to)), '\n');
    const std::string message = station_loader_error_of(text);
    CAPTURE(message);
    CHECK(message.find("s.toml:" + std::to_string(line) + ":") == 0);
    CHECK(message.find(c.expected) != std::string::npos);
    CHECK(message.find("error:") != std::string::npos);
  }
}

TEST_CASE("a station entry error names the entry it belongs to") {
  const std::string message = station_loader_error_of(replace(kLoaderBase, "docked_duration = 240", "docked_duration = -1"));
  CHECK(message.find("mission 'Soyuz MS-29'") != std::string::npos);
  CHECK(message.find("must not be negative") != std::string::npos);
}

TEST_CASE("a consumable is a headline outcome when the scenario says so, whatever its name") {
  // `headline = true` on food, and on a consumable named "propellant" that says nothing.
  const std::string text = kLoaderBase + R"(
[[consumable]]
id = "propellant"
start = 3000
per_day = 7

[[consumable]]
id = "nitrogen"
start = 100
headline = true
)";
  const StationModel model(models::load_station_spec(text, "s.toml", {}));
  auto headline = [&](const std::string& name) { return model.outcomes()[model.outcome_index(name)].headline; };
  CHECK(headline("days_below_reserve:food"));
  CHECK_FALSE(headline("days_below_reserve:propellant"));
  CHECK(headline("days_below_reserve:nitrogen"));
  CHECK_FALSE(headline("min_level:nitrogen"));  // only the days below reserve are headlines
  CHECK(station_loader_error_of(replace(kLoaderBase, "headline = true", "headline = 1")) ==
        "s.toml:45:12: error: consumable 'food'.headline: expected true or false, found an integer");
}

TEST_CASE("every shape error of the station sections names its place exactly") {
  auto after = [](const std::string& from, const std::string& to) { return station_loader_error_of(replace(kLoaderBase, from, to)); };
  CHECK(after("[[rotation]]", "[[launcher]]\nid = \"soyuz\"\n\n[[rotation]]") ==
        "s.toml:19:1: error: launcher 'soyuz': duplicate id 'soyuz' (ids in launcher must be unique)");
  CHECK(after("[[rotation]]", "[[launcher]]\nstand_down = 3\n\n[[rotation]]") ==
        "s.toml:19:1: error: launcher #2: missing key 'id'");
  CHECK(after("[[launcher]]", "[launcher]") == "s.toml:15:1: error: [[launcher]]: expected an array, found a table");
  CHECK(after("[[rotation]]", "[[port]]\ncount = 1\n\n[[rotation]]") == "s.toml:19:1: error: port #2: missing key 'type'");
  CHECK(after("start_days = { triangular = [150, 180, 240] }", "start_days = 30\nstart = 3000") ==
        "s.toml:41:14: error: consumable 'food': give either 'start' (kg) or 'start_days', not both");
  CHECK(after("start_days = { triangular = [150, 180, 240] }", "") ==
        "s.toml:39:1: error: consumable 'food': missing key 'start' (kg) or 'start_days'");
  CHECK(after("reserve_days = 45", "reserve_days = 45\nreserve = 100") ==
        "s.toml:43:16: error: consumable 'food': give either 'reserve' (kg) or 'reserve_days', not both");
  CHECK(after("rotation = \"soyuz-line\"\nslip", "departure = \"later\"\nrotation = \"soyuz-line\"\nslip") ==
        "s.toml:61:13: error: mission 'Soyuz MS-29'.departure: expected \"planned\" or \"until_port_needed\", "
        "found \"later\"");
  CHECK(after("docked_duration = 240", "docked_duration = 240\npriority = 1.5") ==
        "s.toml:60:12: error: mission 'Soyuz MS-29'.priority: expected an integer");
  CHECK(after("docked_duration = 240", "") == "s.toml:55:1: error: mission 'Soyuz MS-29': missing key 'docked_duration'");
  CHECK(after("crew = { rs = 2, usos = 1 }\nrotation = \"soyuz-line\"\nslip",
              "crew = { rs = 2, esa = 1 }\nrotation = \"soyuz-line\"\nslip") ==
        "s.toml:60:18: error: mission 'Soyuz MS-29'.crew: unknown key 'esa' (expected one of: rs, usos)");
  CHECK(after("seats = 3", "seats = 2.5") == "s.toml:31:9: error: vehicle 'soyuz-ms'.seats: expected an integer, found a number");
  CHECK(station_loader_error_of(kLoaderBase + "\n[policy.decrew]\nenabled = \"yes\"\n") ==
        "s.toml:65:11: error: [policy.decrew].enabled: expected true or false, found a string");
}

TEST_CASE("the shipped station scenarios keep the headline outcomes they had when names decided them") {
  for (const char* file : {"baikonur-2025.toml", "as-flown-2025.toml"}) {
    CAPTURE(file);
    const auto model = load_scenario_file(std::string(PADSIM_SOURCE_DIR) + "/experiments/" + file);
    std::vector<std::string> headlines;
    for (const auto& o : model->outcomes())
      if (o.headline) headlines.push_back(o.name);
    CHECK(headlines == std::vector<std::string>{"pad_ready_day", "first_launch_day", "days_beyond_certified",
                                                "crew_days_lost", "days_below_reserve:food",
                                                "days_below_reserve:propellant"});
  }
}
