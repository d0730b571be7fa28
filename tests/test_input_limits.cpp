// Numbers that would overflow simulated time or mass are refused at load with their position, and
// files that are no scenario (empty, a directory, a device, too large) are refused before parsing.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "cli_support.hpp"
#include "default_scenario_support.hpp"
#include "padsim/error.hpp"
#include "padsim/models/scenario.hpp"
#include "station_load_error.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {


/// The message loading `text` throws ("" when it loads).
std::string load_error(const std::string& text) {
  try {
    padsim::models::load_scenario(text, "s.toml", {});
  } catch (const padsim::InputError& e) {
    return e.what();
  }
  return "";
}

/// A one-task repair whose duration is `duration` (line 13, column 12).
std::string with_duration(const std::string& duration) {
  return padsim::test::kRepairScenarioHead + "[[repair.r.task]]\nid = \"A\"\nduration = " + duration + "\n";
}

std::string default_scenario() {
  std::ifstream in(padsim::test::scenarios::kDefaultScenario);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const std::string kRange = " is outside [-1e9, 1e9], the range of scenario numbers";

}  // namespace

TEST_CASE("a number beyond 1e9 is refused at its position, in every form a distribution takes") {
  const std::string at = "s.toml:13:12: error: repair.r.task[A].duration: ";
  CHECK(load_error(with_duration("1e308")) == at + "1e+308" + kRange);
  CHECK(load_error(with_duration("-1e10")) == at + "-1e+10" + kRange);
  CHECK(load_error(with_duration("{ uniform = [0, 1e308] }")) ==
        "s.toml:13:28: error: repair.r.task[A].duration: 1e+308" + kRange);
  CHECK(load_error(with_duration("{ kind = \"triangular\", min = 0, mode = 1, max = 2e9 }")) ==
        "s.toml:13:60: error: repair.r.task[A].duration.max: 2e+09" + kRange);
  // PERT lambda 1e308 made every draw the maximum (the beta sampler overflows).
  CHECK(load_error(with_duration("\"pert(1, 2, 3, lambda=1e308)\"")) == at + "pert: lambda 1e+308" + kRange);
  CHECK(load_error(with_duration("\"normal(10, 1e10, min=0)\"")) == at + "normal: sd 1e+10" + kRange);
  // The bound itself is allowed, and a run of it stays finite (see the CLI case below).
  CHECK(load_error(with_duration("1e9")) == "");
  CHECK(load_error(with_duration("{ pert = [1, 2, 3, 1e9] }")) == "");
}

TEST_CASE("a distribution whose tail, mean or spread overflows is refused, though each parameter is small") {
  const std::string at = "s.toml:13:12: error: repair.r.task[A].duration: ";
  // Weibull shape 0.001: the 1 - 1e-12 quantile is 27.6^1000, beyond a double.
  CHECK(load_error(with_duration("{ weibull = [0.001, 1] }")) ==
        at + "weibull(shape=0.001, scale=1): its 1 - 1e-12 quantile inf" + kRange);
  // Exponential at rate 1e-12: quantile -ln(1e-12) / 1e-12 = 2.763e13.
  CHECK(load_error(with_duration("{ kind = \"exponential\", rate = 1e-12 }")) ==
        at + "exponential(rate=1e-12): its 1 - 1e-12 quantile 27631043237893.36" + kRange);
  CHECK(load_error(with_duration("{ kind = \"lognormal\", mean = 5, sd = 1e5 }")).starts_with(
      at + "lognormal(mean=5, sd=1e+05): its 1 - 1e-12 quantile 98718"));
  // Gamma with mean 1e9 and sd 1e9 (shape 1): its upper tail reaches 2.76e10.
  CHECK(load_error(with_duration("{ kind = \"gamma\", mean = 1e9, sd = 1e9 }")).starts_with(
      at + "gamma(mean=1e+09, sd=1e+09): its 1 - 1e-12 quantile 2763"));
  // A lag may be negative, so its lower tail is checked too.
  // normal(0, 1e9): its 1e-12 quantile is -7.03e9.
  CHECK(load_error(padsim::test::kRepairScenarioHead + "[[repair.r.task]]\nid = \"A\"\nduration = 1\n[[repair.r.task]]\nid = \"B\"\n"
                           "duration = 1\nlinks = [{ task = \"A\", lag = { normal = [0, 1e9] } }]\n")
            .starts_with("s.toml:17:30: error: repair.r.task[B].links.lag: normal(0, 1e+09): its 1e-12 quantile "
                         "-7034483825.3"));
}

TEST_CASE("a link's lag in the text form: one sign, within the range of scenario numbers") {
  const std::string links = padsim::test::kRepairScenarioHead + "[[repair.r.task]]\nid = \"A\"\nduration = 1\n[[repair.r.task]]\nid = \"B\"\n"
                                    "duration = 1\nafter = [";
  CHECK(load_error(links + "\"A SS+-2\"]\n") ==
        "s.toml:17:10: error: repair.r.task[B].after: cannot read link \"A SS+-2\": expected \"TASK\", "
        "\"TASK FS\", \"TASK SS+7\", \"TASK FF-2\" or \"TASK SS+50%\"");
  CHECK(load_error(links + "\"A FS-+2\"]\n").find("cannot read link \"A FS-+2\"") != std::string::npos);
  CHECK(load_error(links + "\"A FS+5e9\"]\n") ==
        "s.toml:17:10: error: repair.r.task[B].after: link \"A FS+5e9\": its lag 5e+09" + kRange);
  CHECK(load_error(links + "\"A SS-2\"]\n") == "");
  CHECK(load_error(links + "\"A SS+.5\"]\n") == "");
}

TEST_CASE("station numbers share the rule: NET slips, kg, rates and capacities") {
  using padsim::test::station_load_error_after;
  const std::string text = default_scenario();
  CHECK(station_load_error_after(text, "slip = { triangular = [0, 0, 5] }", "slip = { triangular = [0, 0, 1e308] }")
            .ends_with(": 1e+308" + kRange));
  CHECK(station_load_error_after(text, "per_crew_day = 1.8 ", "per_crew_day = 1e308")
            .ends_with("consumable 'food'.per_crew_day: 1e+308" + kRange));
  CHECK(station_load_error_after(text, "capacity = 4500 ", "capacity = 1e10")
            .ends_with("consumable 'food'.capacity: 1e+10" + kRange));
  CHECK(station_load_error_after(text, "transit = 0.13 ", "transit = 1e308").ends_with(": 1e+308" + kRange));
  CHECK(station_load_error_after(text, "slip = { triangular = [0, 0, 5] }",
                                 "slip = { triangular = [0, 0, 5] }") == "");
}

TEST_CASE("no pad down at the epoch is reported at the first pad, no pad at all at the file's start") {
  std::string text = with_duration("1");
  text.replace(text.find("down_at_epoch = true"), 20, "down_at_epoch = false");
  CHECK(load_error(text) ==
        "s.toml:7:6: error: no pad is down at the epoch (down_at_epoch = true): a scenario without station "
        "sections simulates only the repairs of pads that are down");
}

TEST_CASE("files that are no scenario are status 2 with the file's name, before anything is parsed") {
  padsim::test::TempDir dir("input-limits");
  std::ofstream(dir.path / "empty.toml").flush();
  std::ofstream(dir.path / "blank.toml") << "\n  \n";
  fs::create_directory(dir.path / "folder");
  const std::string empty = ": error: the scenario is empty: it needs at least [scenario] and a [[pad]] "
                            "(see docs/scenario.md)\n";
  const std::string too_large = ": error: is larger than 64 MiB, the limit for a scenario file (a scenario "
                                "of 100,000 tasks is about 5 MiB)\n";
  const struct {
    std::string file, message;
  } cases[] = {
      {"empty.toml", "empty.toml:1:1" + empty},
      {"blank.toml", "blank.toml:1:1" + empty},
      {"/dev/null", "/dev/null:1:1" + empty},
      {"folder", "folder: error: is a directory; give a scenario file (TOML)\n"},
      // A device that never ends is cut off at the limit, not read to exhaustion.
      {"/dev/zero", "/dev/zero" + too_large},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    for (const char* command : {"validate ", "run --runs 2 --out results "}) {
      const padsim::test::CliResult r = padsim::test::run_padsim(command + c.file, dir.path);
      CHECK(r.status == 2);
      CHECK(r.err == c.message);
      CHECK(!fs::exists(dir.path / "results"));
    }
  }
  // A regular file over the limit is refused by its size, before it is read.
  fs::resize_file(dir.path / "empty.toml", (std::uintmax_t{64} << 20) + 1);
  const padsim::test::CliResult big = padsim::test::run_padsim("validate empty.toml", dir.path);
  CHECK(big.status == 2);
  CHECK(big.err == "empty.toml" + too_large);
}

TEST_CASE("the largest numbers allowed run to finite results, one beyond is status 2 for run and validate") {
  padsim::test::TempDir dir("input-limits-run");
  std::ofstream(dir.path / "huge.toml") << with_duration("{ pert = [1, 2, 3, 1e308] }");
  for (const char* command : {"validate huge.toml", "run huge.toml --runs 2 -q --out results"}) {
    const padsim::test::CliResult huge = padsim::test::run_padsim(command, dir.path);
    CHECK(huge.status == 2);
    CHECK(huge.err == "huge.toml:13:31: error: repair.r.task[A].duration: 1e+308" + kRange + "\n");
    CHECK(!fs::exists(dir.path / "results"));
  }
  std::ofstream(dir.path / "big.toml")
      << padsim::test::kRepairScenarioHead << "[[repair.r.task]]\nid = \"A\"\nduration = 1e9\n[[repair.r.task]]\nid = \"B\"\n"
      << "duration = { pert = [1e8, 5e8, 1e9, 1e9] }\nafter = [\"A FS+1e9\"]\n";
  const padsim::test::CliResult r = padsim::test::run_padsim("run big.toml --runs 20 -q --out results", dir.path);
  REQUIRE(r.status == 0);
  std::ifstream in(dir.path / "results" / "tasks.csv");
  const std::string tasks((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(tasks.find("A,,1,1,,0,0,0,0,1e+09,1e+09,1e+09,1e+09,1e+09") != std::string::npos);
  CHECK(tasks.find("inf") == std::string::npos);
  CHECK(tasks.find("nan") == std::string::npos);
}
