// [[investigation]] in a scenario file (models/station_investigation_loader.cpp): what it reads, each
// bad input with its message at FILE:LINE:COL, the switches that leave it alone, and an
// investigation that never opens leaving every other column of the default scenario as it was.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "padsim/models/scenario.hpp"
#include "padsim/models/station.hpp"
#include "station_load_error.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::station_load_error;
using padsim::test::station_load_error_after;

namespace {

// A valid scenario; each check replaces one line of it to break one rule.
const std::string kStationInvestigationLoadingBase = R"([scenario]
name = "t"
epoch = "2025-11-27T09:28Z"
horizon = "2026-06-30"

[repair.probe]
[[repair.probe.task]]
id = "T1"
duration = 10

[[pad]]
id = "site31"

[[pad]]
id = "site1"

[[port]]
type = "rs"
count = 2

[[launcher]]
id = "soyuz"

[[launcher]]
id = "proton"
stand_down = 30

[[vehicle]]
id = "progress"
pads = ["site31"]
launcher = "soyuz"
ports = ["rs"]

[[investigation]]
id = "I"
opened_by = ["soyuz"]
grounds = ["soyuz", "proton"]
grounds_pads = ["site1"]
length = { triangular = [30, 60, 120] }
first_launch_uncrewed = true
max_wait = 20
crewed_gate = 14
)";

}  // namespace

TEST_CASE("an [[investigation]] is read with its families, pads, length and return-to-flight rules") {
  const StationSpec s = load_station_spec(kStationInvestigationLoadingBase, "s.toml", {});
  REQUIRE(s.investigations.size() == 1);
  const InvestigationSpec& v = s.investigations[0];
  CHECK(v.id == "I");
  CHECK(v.enabled);
  CHECK(v.opened_by == std::vector<std::size_t>{0});
  CHECK(v.grounds == std::vector<std::size_t>{0, 1});
  CHECK(v.grounds_pads == std::vector<std::size_t>{1});
  CHECK(v.length.mode() == 60.0);
  CHECK_FALSE(v.repair);
  CHECK(v.return_to_flight.first_launch_uncrewed);
  CHECK(v.return_to_flight.max_wait == 20.0);
  CHECK(v.return_to_flight.crewed_gate.mode() == 14.0);
  SUBCASE("grounds defaults to opened_by; a repair graph instead of a length") {
    std::string text = kStationInvestigationLoadingBase;
    const std::string grounds = "grounds = [\"soyuz\", \"proton\"]\n";
    const std::string length = "length = { triangular = [30, 60, 120] }";
    text.replace(text.find(grounds), grounds.size(), "");
    text.replace(text.find(length), length.size(), "repair = \"probe\"");
    const StationSpec t = load_station_spec(text, "s.toml", {});
    CHECK(t.investigations[0].grounds == std::vector<std::size_t>{0});
    CHECK(t.investigations[0].repair);
    CHECK(t.investigations[0].repair.id == "probe");
  }
  SUBCASE("--no-responses leaves investigations on; enabled = false switches one off") {
    LoadOptions frozen;
    frozen.no_responses = true;
    CHECK(load_station_spec(kStationInvestigationLoadingBase, "s.toml", frozen).investigations[0].enabled);
    std::string text = kStationInvestigationLoadingBase + "enabled = false\n";
    CHECK_FALSE(load_station_spec(text, "s.toml", {}).investigations[0].enabled);
  }
}

TEST_CASE("a stand_down that an enabled investigation replaces draws a warning at its position") {
  // Warnings go to a string for the test; the default logger is put back afterwards.
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  logger->set_pattern("%v");
  spdlog::set_default_logger(logger);
  std::string text = kStationInvestigationLoadingBase;
  text.replace(text.find("opened_by = [\"soyuz\"]"), 21, "opened_by = [\"proton\"]");
  load_station_spec(text, "s.toml", {});
  const std::string enabled = log.str();
  log.str("");
  load_station_spec(text + "enabled = false\n", "s.toml", {});
  const std::string disabled = log.str();
  spdlog::set_default_logger(previous);
  CHECK(enabled == "s.toml:26:14: warning: launcher 'proton'.stand_down: unused, investigation 'I' replaces it\n");
  CHECK(disabled.empty());
}

TEST_CASE("bad [[investigation]] input is named at its position") {
  auto after = [](const std::string& from, const std::string& to) { return station_load_error_after(kStationInvestigationLoadingBase, from, to); };
  CHECK(after("opened_by = [\"soyuz\"]", "opened_by = [\"ariane\"]") ==
        "s.toml:36:14: error: investigation 'I'.opened_by: unknown launcher 'ariane' (known: soyuz, proton)");
  CHECK(after("grounds = [\"soyuz\", \"proton\"]", "grounds = [\"soyuz\", \"atlas\"]") ==
        "s.toml:37:21: error: investigation 'I'.grounds: unknown launcher 'atlas' (known: soyuz, proton)");
  CHECK(after("grounds_pads = [\"site1\"]", "grounds_pads = [\"site9\"]") ==
        "s.toml:38:17: error: investigation 'I'.grounds_pads: unknown pad 'site9' (known: site31, site1)");
  CHECK(after("length = { triangular = [30, 60, 120] }", "length = 30\nrepair = \"probe\"") ==
        "s.toml:40:10: error: investigation 'I': give either 'length' (days) or 'repair' (a task graph), not both");
  CHECK(after("length = { triangular = [30, 60, 120] }", "") ==
        "s.toml:34:1: error: investigation 'I': missing key 'length' (days) or 'repair' (a [repair.ID] task graph)");
  CHECK(after("length = { triangular = [30, 60, 120] }", "repair = \"cabin\"") ==
        "s.toml:39:10: error: investigation 'I'.repair: unknown repair project 'cabin' (defined: probe)");
  CHECK(after("length = { triangular = [30, 60, 120] }", "length = { uniform = [-5, 10] }") ==
        "s.toml:39:10: error: investigation 'I'.length: uniform(-5, 10) can be negative; a duration must not be "
        "(truncate it with min = 0 or choose another kind)");
  CHECK(after("crewed_gate = 14", "crewed_gate = -1") ==
        "s.toml:42:15: error: investigation 'I'.crewed_gate: fixed(-1) can be negative; a duration must not be "
        "(truncate it with min = 0 or choose another kind)");
  CHECK(after("max_wait = 20", "max_wait = -3") ==
        "s.toml:41:12: error: investigation 'I'.max_wait: must be 0 or more days");
  CHECK(after("first_launch_uncrewed = true", "first_launch_uncrewed = false") ==
        "s.toml:41:12: error: investigation 'I'.max_wait: applies only with first_launch_uncrewed = true");
  CHECK(station_load_error(kStationInvestigationLoadingBase + "\n[[investigation]]\nid = \"J\"\nopened_by = [\"soyuz\"]\nlength = 5\n") ==
        "s.toml:46:13: error: investigation 'J'.opened_by: launcher 'soyuz' already opens investigation 'I' (a "
        "family opens at most one)");
  CHECK(station_load_error(kStationInvestigationLoadingBase + "\n[[investigation]]\nid = \"I\"\nopened_by = [\"proton\"]\nlength = 5\n") ==
        "s.toml:45:6: error: investigation 'I': duplicate id 'I' (ids in investigation must be unique)");
  CHECK(after("opened_by = [\"soyuz\"]", "opened_by = [\"soyuz\"]\nthreshold = 3") ==
        "s.toml:37:1: error: investigation 'I': unknown key 'threshold' (expected one of: id, enabled, opened_by, grounds, "
        "grounds_pads, length, repair, first_launch_uncrewed, max_wait, crewed_gate)");
}

TEST_CASE("an investigation that never opens changes no other column of the default scenario") {
  // A family with no vehicle opens it, so no replication opens it; it grounds real families too.
  std::ifstream in(std::string(PADSIM_SOURCE_DIR) + "/experiments/baikonur-2025.toml");
  std::stringstream text;
  text << in.rdbuf();
  const std::string extra = R"(
[[launcher]]
id = "unused"

[[investigation]]
id = "never"
opened_by = ["unused"]
grounds = ["unused", "soyuz-2.1a", "falcon-9"]
grounds_pads = ["site31"]
length = { triangular = [30, 60, 120] }
first_launch_uncrewed = true
crewed_gate = 10
)";
  const StationModel plain(load_station_spec(text.str(), "baikonur-2025.toml", {}));
  const StationModel with(load_station_spec(text.str() + extra, "baikonur-2025.toml", {}));
  const std::size_t n = plain.outcomes().size();
  REQUIRE(with.outcomes().size() == n + 2);
  CHECK(with.outcomes()[n].name == "investigation_opened:never");
  CHECK(with.outcomes()[n + 1].name == "investigation_close:never");
  REQUIRE(with.inputs().size() == plain.inputs().size() + 1);
  ReplicationResult a, b;
  for (std::uint64_t r = 0; r < 300; ++r) {
    plain.run(7, r, a);
    with.run(7, r, b);
    bool same = true;
    for (std::size_t j = 0; j < n; ++j)
      same = same && (a.outcomes[j] == b.outcomes[j] || (std::isnan(a.outcomes[j]) && std::isnan(b.outcomes[j])));
    for (std::size_t j = 0; j < a.inputs.size(); ++j)
      same = same && (a.inputs[j] == b.inputs[j] || (std::isnan(a.inputs[j]) && std::isnan(b.inputs[j])));
    REQUIRE_MESSAGE(same, "replication " << r);
    CHECK(b.outcomes[n] == 0.0);
    CHECK(std::isnan(b.outcomes[n + 1]));
  }
}
