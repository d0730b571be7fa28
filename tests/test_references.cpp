// `[[reference]]`: known dates of day outcomes, and the series levels (reserves), as the models
// report them and run.json records them for charts.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "cli_support.hpp"
#include "padsim/error.hpp"
#include "padsim/models/scenario.hpp"
#include "test_support.hpp"

using namespace padsim;
using namespace padsim::models;

namespace {

// Fifteen lines: the `[[reference]]` header is line 15, its first key line 16.
const std::string kRepairOnly = padsim::test::kRepairScenarioHead + R"([[repair.r.task]]
id = "A"
duration = 5

[[reference]]
)";

std::string references_error_of(const std::string& text) {
  try {
    load_scenario(text, "s.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

const std::string kDefault = std::string(PADSIM_SOURCE_DIR) + "/experiments/baikonur-2025.toml";

}  // namespace

TEST_CASE("a reference's date becomes days since the epoch, in file order, with its label") {
  const auto model = load_scenario(kRepairOnly + "outcome = \"pad_ready_day\"\ndate = 2025-12-07\nlabel = \"done\"\n"
                                                 "[[reference]]\noutcome = \"pad_ready_day\"\ndate = \"2025-11-28T09:28Z\"\n",
                                   "s.toml");
  const auto refs = model->references();
  REQUIRE(refs.size() == 2);
  CHECK(refs[0].outcome == "pad_ready_day");
  CHECK(refs[0].value == doctest::Approx(10.0 - (9.0 + 28.0 / 60.0) / 24.0));  // midnight of 7 Dec
  CHECK(refs[0].label == "done");
  CHECK(refs[1].value == doctest::Approx(1.0));
  CHECK(refs[1].label.empty());
  // --no-incident: the references describe the incident as it happened, so there are none.
  LoadOptions no_incident;
  no_incident.no_incident = true;
  CHECK(load_scenario(kRepairOnly + "outcome = \"pad_ready_day\"\ndate = 2025-12-07\n", "s.toml", no_incident)
            ->references()
            .empty());
}

TEST_CASE("a bad reference is an input error at its place") {
  CHECK(references_error_of(kRepairOnly + "outcome = \"pad_ready_day\"\ndate = \"7 Dec 2025\"\n") ==
        "s.toml:17:8: error: [[reference]].date: '7 Dec 2025' is not an ISO 8601 date or date-time (e.g. 2025-11-27T09:28Z)");
  CHECK(references_error_of(kRepairOnly + "outcome = \"pad_ready_day\"\n") == "s.toml:15:1: error: [[reference]]: missing key 'date'");
  CHECK(references_error_of(kRepairOnly + "outcome = \"pad_ready_day\"\ndate = 2025-12-07\nlable = \"x\"\n") ==
        "s.toml:18:1: error: [[reference]]: unknown key 'lable' (expected one of: outcome, date, label)");
  CHECK(references_error_of(kRepairOnly + "outcome = \"pad_redy_day\"\ndate = 2025-12-07\n") ==
        "s.toml:15:1: error: [[reference]].outcome: no outcome named 'pad_redy_day' in this scenario");
}

TEST_CASE("the default scenario references the real repair and first launch, and its reserves in kg") {
  const auto model = load_scenario_file(kDefault);
  const auto refs = model->references();
  REQUIRE(refs.size() == 2);
  CHECK(refs[0].outcome == "pad_ready_day");
  CHECK(refs[0].value == doctest::Approx(96.0 - (9.0 + 28.0 / 60.0) / 24.0));  // 3 Mar 2026, 00:00 UTC
  CHECK(refs[1].outcome == "first_launch_day");
  CHECK(refs[1].value == doctest::Approx(115.0 + (11.0 + 59.0 / 60.0 - 9.0 - 28.0 / 60.0) / 24.0));
  const auto levels = model->series_levels();
  REQUIRE(levels.size() == 4);
  CHECK(levels[1].series == "stock:water");
  CHECK(levels[1].value == doctest::Approx(45 * 0.5 * 7));  // 45 days at 0.5 kg per crew-day, 7 crew
  CHECK(levels[1].label == "reserve (45 days at 7 crew)");
  CHECK(levels[3].series == "stock:propellant");
  CHECK(levels[3].value == 2000.0);
  CHECK(levels[3].label == "reserve");

  // A reference gives a date, so its outcome must be a day.
  std::ifstream in(kDefault);
  std::string text(std::istreambuf_iterator<char>(in), {});
  const std::string launch = "outcome = \"first_launch_day\"";
  REQUIRE(text.find(launch) != std::string::npos);
  text.replace(text.find(launch), launch.size(), "outcome = \"crew_days_lost\"");
  CHECK(references_error_of(text).ends_with(": error: [[reference]].outcome: 'crew_days_lost' is not a day outcome (its unit is "
                                 "'crew-days'); a reference gives a date"));
}

TEST_CASE("run.json records the references with their dates and the series levels") {
  test::TempDir dir("references");
  const auto run = test::run_padsim("run --runs 10 --quiet --out out", dir.path);
  REQUIRE(run.status == 0);
  std::ifstream in(dir.path / "out" / "run.json");
  const std::string json(std::istreambuf_iterator<char>(in), {});
  CHECK(json.find(R"x({"outcome": "pad_ready_day", "day": 95.60555555555555, "date": "2026-03-03T00:00:00Z", )x"
                  R"x("label": "cabin restored (3 Mar 2026)"})x") != std::string::npos);
  CHECK(json.find(R"({"series": "stock:propellant", "value": 2000, "label": "reserve"})") != std::string::npos);
  const auto baseline = test::run_padsim("run --runs 10 --quiet --no-incident --out base", dir.path);
  REQUIRE(baseline.status == 0);
  std::ifstream base(dir.path / "base" / "run.json");
  CHECK(std::string(std::istreambuf_iterator<char>(base), {}).find("\"references\": [],") != std::string::npos);
}
