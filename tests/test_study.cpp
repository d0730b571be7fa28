// Sweep values on the command line and study files (padsim/models/study.hpp): the spellings of
// --set values survive the split, ranges have no rounding noise, and every error names its place.
#include <doctest/doctest.h>

#include "padsim/error.hpp"
#include "padsim/models/study.hpp"

using namespace padsim;
using namespace padsim::models;

namespace {

using Values = std::vector<std::string>;

std::string study_error_of(const std::string& text) {
  try {
    load_study(text, "s.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

const std::string kStudyHead = "[study]\nscenario = \"one.toml\"\n";

}  // namespace

TEST_CASE("sweep values split at top-level commas only, so arrays and distributions stay whole") {
  CHECK(parse_sweep_values("1,2.5, 3") == Values{"1", "2.5", "3"});
  CHECK(parse_sweep_values("[0.9,0.1],[0.8, 0.2]") == Values{"[0.9,0.1]", "[0.8, 0.2]"});
  CHECK(parse_sweep_values("pert(1,2,3),5,{ uniform = [1, 2] }") ==
        Values{"pert(1,2,3)", "5", "{ uniform = [1, 2] }"});
  CHECK(parse_sweep_values("\"a,b\",c") == Values{"\"a,b\"", "c"});
  CHECK(parse_sweep_values("2026-02-01T10:00:00Z,2026-03-01") == Values{"2026-02-01T10:00:00Z", "2026-03-01"});
  CHECK_THROWS_WITH_AS(parse_sweep_values("1,,2"), "empty value in '1,,2'", ParameterError);
  CHECK_THROWS_WITH_AS(parse_sweep_values("[1,2"), "missing ']' in '[1,2'", ParameterError);
  CHECK_THROWS_WITH_AS(parse_sweep_values("pert(1,2]"), "unbalanced ']' in 'pert(1,2]'", ParameterError);
}

TEST_CASE("a range lo:hi:step includes hi on the grid and writes no rounding noise") {
  CHECK(parse_sweep_values("0.1:0.5:0.1") == Values{"0.1", "0.2", "0.3", "0.4", "0.5"});
  CHECK(parse_sweep_values("0.5:3:0.5") == Values{"0.5", "1", "1.5", "2", "2.5", "3"});
  CHECK(parse_sweep_values("1:2:0.3") == Values{"1", "1.3", "1.6", "1.9"});  // 2 is off the grid
  CHECK(parse_sweep_values("7:7:1") == Values{"7"});
  CHECK_THROWS_AS(parse_sweep_values("3:1:1"), ParameterError);
  CHECK_THROWS_AS(parse_sweep_values("1:3:0"), ParameterError);
  CHECK_THROWS_WITH_AS(parse_sweep_values("0:1:0.0001"), "range '0:1:0.0001' has more than 1000 values",
                       ParameterError);
}

TEST_CASE("--vary PATH=VALUES names the path in its errors") {
  const SweepParameter p = parse_sweep_parameter("repair.r.scale=0.5:1:0.25");
  CHECK(p.path == "repair.r.scale");
  CHECK(p.values == Values{"0.5", "0.75", "1"});
  CHECK_THROWS_WITH_AS(parse_sweep_parameter("repair.r.scale"),
                       "expected PATH=VALUES, found no '=' in 'repair.r.scale'", ParameterError);
  CHECK_THROWS_WITH_AS(parse_sweep_parameter("x=1,"), "x: empty value in '1,'", ParameterError);
}

TEST_CASE("a study file gives the scenario, overrides, runs, seed, outcomes, statistics and parameters") {
  const StudySpec s = load_study(
      "[study]\nname = \"cabin\"\ndescription = \"d\"\nscenario = \"../b.toml\"\n"
      "set = [\"station.min_crew=4\"]\nruns = 5000\nseed = 7\noutcomes = [\"pad_ready_day\"]\n"
      "statistics = [\"p50\", \"p90\"]\n\n"
      "[[vary]]\npath = \"repair.r.branch.b.probabilities\"\nvalues = [[1, 0], [0.9, 0.1], \"[0.5,0.5]\"]\n\n"
      "[[vary]]\npath = \"repair.r.scale\"\nrange = \"1:2:0.5\"\n",
      "s.toml");
  CHECK(s.name == "cabin");
  CHECK(s.scenario == "../b.toml");
  CHECK(s.overrides == Values{"station.min_crew=4"});
  CHECK(s.runs == "5000");
  CHECK(s.seed == std::optional<std::uint64_t>(7));
  CHECK(s.outcomes == Values{"pad_ready_day"});
  CHECK(s.statistics == Values{"p50", "p90"});
  REQUIRE(s.parameters.size() == 2);
  CHECK(s.parameters[0].values == Values{"[1, 0]", "[0.9, 0.1]", "[0.5,0.5]"});
  CHECK(s.parameters[1].values == Values{"1", "1.5", "2"});
  CHECK(load_study(kStudyHead + "runs = \"auto\"\n[[vary]]\npath = \"x\"\nvalues = [1]\n", "s.toml").runs == "auto");
}

TEST_CASE("study file errors name FILE:LINE:COL") {
  CHECK(study_error_of(kStudyHead + "runz = 5\n[[vary]]\npath = \"x\"\nvalues = [1]\n") ==
        "s.toml:3:1: error: study: unknown key 'runz' (expected one of: name, description, scenario, set, "
        "runs, seed, outcomes, statistics)");
  CHECK(study_error_of(kStudyHead) == "s.toml:1:1: error: a study varies one or two parameters: one or two [[vary]] tables");
  CHECK(study_error_of(kStudyHead + "runs = 0\n[[vary]]\npath = \"x\"\nvalues = [1]\n") ==
        "s.toml:3:8: error: study.runs: expected a positive integer or \"auto\"");
  CHECK(study_error_of(kStudyHead + "[[vary]]\npath = \"x\"\nvalues = [1]\nrange = \"1:2:1\"\n") ==
        "s.toml:3:1: error: vary[1]: give exactly one of 'values' (an array) and 'range' (\"lo:hi:step\")");
  CHECK(study_error_of(kStudyHead + "[[vary]]\npath = \"x\"\nrange = \"2:1:1\"\n") ==
        "s.toml:5:9: error: vary[1].range: range '2:1:1': lo:hi:step needs lo <= hi and step > 0");
  CHECK(study_error_of("[study]\n[[vary]]\npath = \"x\"\nvalues = [1]\n").find("missing key 'scenario'") !=
        std::string::npos);
  CHECK(study_error_of("[study\n").rfind("s.toml:1:", 0) == 0);
}
