// The padsim command line: exit statuses and messages for bad input, checked on the built binary.
// (The driver itself is tested in test_batch.cpp with toy models; the real scenarios in
// test_default_scenario.cpp.)
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "padsim/batch.hpp"
#include "padsim/models/scenario.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

using Result = padsim::test::CliResult;
using padsim::test::run_padsim;

struct CliDir : padsim::test::TempDir {
  CliDir() : padsim::test::TempDir("cli") {}
};

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("a scenario that cannot be read is bad input: status 2, FILE: error, no output") {
  CliDir dir;
  const Result r = run_padsim("run missing.toml --out results", dir.path);
  CHECK(r.status == 2);
  CHECK(r.err.find("missing.toml: error: cannot read the scenario") != std::string::npos);
  CHECK(!fs::exists(dir.path / "results"));
  CHECK(run_padsim("validate missing.toml", dir.path).status == 2);
}

TEST_CASE("bad command-line values are bad input (status 2)") {
  CliDir dir;
  const Result runs = run_padsim("run x.toml --runs lots", dir.path);
  CHECK(runs.status == 2);
  CHECK(runs.err.find("--runs") != std::string::npos);
  CHECK(run_padsim("run --tolerance -1", dir.path).status == 2);
  CHECK(run_padsim("frobnicate", dir.path).status == 2);
  CHECK(run_padsim("validate", dir.path).status == 2);                  // SCENARIO is required
  CHECK(run_padsim("replay x.toml --trace t.csv", dir.path).status == 2);  // --replication is required
  CHECK(!fs::exists(dir.path / "results"));
}

TEST_CASE("command-line values out of range are refused with the accepted range, never clamped") {
  CliDir dir;
  struct Case {
    std::string args;
    std::string message;
  };
  const std::string u64 = "18446744073709551615";
  const Case cases[] = {
      {"run --seed 18446744073709551616",
       "padsim: error: --seed: expected an integer from 0 to " + u64 + ", got '18446744073709551616'"},
      {"run --seed -1", "padsim: error: --seed: expected an integer from 0 to " + u64 + ", got '-1'"},
      {"run --seed 1e23", "padsim: error: --seed: expected an integer from 0 to " + u64 + ", got '1e23'"},
      {"replay --replication -1 --trace -",
       "padsim: error: --replication: expected an integer from 0 to " + u64 + ", got '-1'"},
      {"run --threads 50000", "padsim: error: --threads: expected an integer from 0 to 1024, got '50000'"},
      {"run --runs auto --tolerance nan", "padsim: error: --tolerance: expected a number in (0, 1], got 'nan'"},
      {"run --runs auto --tolerance 1e400",
       "padsim: error: --tolerance: expected a number in (0, 1], got '1e400'"},
      {"run --runs 0", "padsim: error: --runs: expected 'auto' or an integer from 1 to " + u64 + ", got '0'"},
      {"run --runs 1000000000000", "padsim: error: --runs 1000000000000: the batch would hold about"},
      {"frobnicate", "padsim: error: "},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    const Result r = run_padsim(c.args + " --out results", dir.path);
    CHECK(r.status == 2);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.err.find("179769313486231570814527423731704356798070567525844996598917476803157260780028538760") ==
          std::string::npos);
    CHECK(!fs::exists(dir.path / "results"));
  }
}

TEST_CASE("a batch too large for this machine is refused with its outputs' working memory counted") {
  // An exact batch's estimate is its results and what its output files hold while they are
  // computed, on the threads it is given; replay --at writes no files and counts the results only.
  CliDir dir;
  const auto model = padsim::models::load_scenario_file(std::string(PADSIM_SOURCE_DIR) +
                                                        "/experiments/baikonur-2025.toml");
  padsim::BatchOptions options;
  options.replications = 1'000'000'000'000;
  const double results_gb = static_cast<double>(padsim::batch_memory_bytes(*model, options)) / 1e9;
  auto estimate = [](const std::string& err) {
    const std::string before = "would hold about ";
    const auto at = err.find(before);
    REQUIRE(at != std::string::npos);
    return std::stod(err.substr(at + before.size()));
  };
  // 13 columns held (six headline value outcomes' sorted values and ranks, and one) and 20 per thread.
  const double column_gb = 8.0 * 1e12 / 1e9;
  const Result run = run_padsim("run --runs 1000000000000 --threads 2 --out results", dir.path);
  CHECK(run.status == 2);
  CHECK(estimate(run.err) == doctest::Approx(results_gb + (13 + 2 * 20) * column_gb).epsilon(0.005));
  const Result eight = run_padsim("run --runs 1000000000000 --threads 8 --out results", dir.path);
  CHECK(eight.status == 2);
  CHECK(estimate(eight.err) == doctest::Approx(results_gb + (13 + 8 * 20) * column_gb).epsilon(0.005));
  const Result replay = run_padsim("replay --runs 1000000000000 --at pad_ready_day:p90 --trace -", dir.path);
  CHECK(replay.status == 2);
  CHECK(estimate(replay.err) == doctest::Approx(results_gb).epsilon(0.005));
}

TEST_CASE("--help and --version succeed") {
  CliDir dir;
  const Result help = run_padsim("run --help", dir.path);
  CHECK(help.status == 0);
  CHECK(help.out.find("--runs") != std::string::npos);
  CHECK(run_padsim("--version", dir.path).status == 0);
}

TEST_CASE("a bad scenario file is status 2 with FILE:LINE:COL: error: on stderr and no output") {
  CliDir dir;
  // Each case breaks one thing in a valid repair-only scenario.
  const std::string head =
      "[scenario]\nname = \"t\"\nepoch = \"2025-11-27T09:28Z\"\nhorizon = \"2027-06-30\"\n\n"
      "[[pad]]\nid = \"p\"\ndown_at_epoch = true\nrepair = \"r\"\n\n";
  const struct {
    const char* what;
    std::string text;
    const char* message;
  } cases[] = {
      {"malformed TOML", head + "[repair.r\n", "bad.toml:11:10: error: malformed TOML"},
      {"unknown key", head + "[[repair.r.task]]\nid = \"A\"\nduraton = 5\n", "bad.toml:13:1: error: repair.r.task[1]: unknown key 'duraton'"},
      {"unknown task in a link",
       head + "[[repair.r.task]]\nid = \"A\"\nduration = 5\nafter = [\"Z\"]\n", "bad.toml:14:10: error: repair.r.task[A].after: unknown task 'Z'"},
      {"cycle",
       head + "[[repair.r.task]]\nid = \"A\"\nduration = 5\nafter = [\"B\"]\n\n"
              "[[repair.r.task]]\nid = \"B\"\nduration = 5\nafter = [\"A\"]\n",
       "A -> B -> A"},
      {"impossible parameter", head + "[[repair.r.task]]\nid = \"A\"\nduration = { triangular = [9, 2, 5] }\n",
       "bad.toml:13:12: error: repair.r.task[A].duration: triangular: min 9 is above max 5"},
  };
  for (const auto& c : cases) {
    CAPTURE(std::string(c.what));
    write(dir.path / "bad.toml", c.text);
    const Result run = run_padsim("run bad.toml --runs 10 --out results", dir.path);
    CHECK(run.status == 2);
    CHECK(run.err.find(c.message) != std::string::npos);
    CHECK(run.err.find("error:") != std::string::npos);
    CHECK(!fs::exists(dir.path / "results"));
    const Result validate = run_padsim("validate bad.toml", dir.path);
    CHECK(validate.status == 2);
    CHECK(validate.err.find(c.message) != std::string::npos);
  }
  write(dir.path / "good.toml", head + "[[repair.r.task]]\nid = \"A\"\nduration = 5\n");
  const Result ok = run_padsim("validate good.toml", dir.path);
  CHECK(ok.status == 0);
  CHECK(ok.out.find("good.toml: ok") != std::string::npos);
}

TEST_CASE("an unwritable output directory is status 1 with a message naming the path") {
  CliDir dir;
  write(dir.path / "a-file", "not a directory\n");
  const Result r = run_padsim("run --runs 10 --out a-file/results", dir.path);
  CHECK(r.status == 1);
  CHECK(r.err.find("a-file/results") != std::string::npos);
}

TEST_CASE("padsim dist describes distributions side by side, and names the column of a bad spec") {
  CliDir dir;
  const Result ok = run_padsim("dist 'pert(20,28,40)' 'lognormal(p10=30,p90=90)'", dir.path);
  CHECK(ok.status == 0);
  CHECK(ok.out.find("pert(20, 28, 40)") != std::string::npos);
  CHECK(ok.out.find("lognormal(P10=30, P90=90)") != std::string::npos);
  CHECK(ok.out.find("p90 ") != std::string::npos);

  const Result csv = run_padsim("dist --csv 'triangular(0, 5, 10)'", dir.path);
  CHECK(csv.status == 0);
  CHECK(csv.out.find("spec,statistic,value\r\n\"triangular(0, 5, 10)\",mean,5\r\n") == 0);
  CHECK(csv.out.find("\"triangular(0, 5, 10)\",p50,5\r\n") != std::string::npos);

  const Result bad = run_padsim("dist 'pert(20,28,40)' 'pert(20,28,4O)'", dir.path);
  CHECK(bad.status == 2);
  CHECK(bad.out.empty());
  CHECK(bad.err == "SPEC 2:1:13: error: expected ')', found 'O'\n");
}

TEST_CASE("padsim fit prints the line to paste, and refuses evidence it cannot use with its position") {
  CliDir dir;
  const Result range = run_padsim("fit --expert 'min=20, mode=28, max=40' --toml duration", dir.path);
  CHECK(range.status == 0);
  CHECK(range.out == "duration = \"pert(20, 28, 40)\"\n");

  const Result data = run_padsim("fit --data 22,25,31,27,35,24,29,40 --bootstrap 20 --csv", dir.path);
  CHECK(data.status == 0);
  CHECK(data.out.starts_with("family,ok,best,distribution,parameters,log_likelihood,aic,bic,ks,ks_p,ad,ad_p,note\r\n"
                             "lognormal,1,1,"));
  CHECK(data.err.find("8 observations only") != std::string::npos);  // fewer than 10 warn

  write(dir.path / "d.csv", "task,days\r\nR1,22\r\nR2,x5\r\n");
  const Result bad_cell = run_padsim("fit --data-file d.csv --column days", dir.path);
  CHECK(bad_cell.status == 2);
  CHECK(bad_cell.err == "d.csv:3:4: error: 'x5' is not a finite number\n");
  write(dir.path / "e.csv", "days\r\n22\r\n\"\"\r\n");
  CHECK(run_padsim("fit --data-file e.csv", dir.path).err == "e.csv:3:1: error: empty cell in column 'days'\n");
  CHECK(run_padsim("fit --data-file d.csv --column hours", dir.path).err ==
        "d.csv:1:1: error: no column 'hours' in the header\n");

  const Result few = run_padsim("fit --data 3,4", dir.path);
  CHECK(few.status == 2);
  CHECK(few.err == "--data: error: 2 observations; at least 3 are needed\n");
  CHECK(run_padsim("fit --data 3,-4,5", dir.path).err == "--data: error: negative observation -4: durations are >= 0\n");
  const Result order = run_padsim("fit --expert 'p10=30, p90=20'", dir.path);
  CHECK(order.status == 2);
  CHECK(order.out.empty());
  CHECK(order.err == "--expert:1:9: error: percentiles must increase with their levels: P90 = 20 is not above P10 = 30\n");
}

TEST_CASE("replay --at picks the replication at a percentile of runs.csv, censored cells last") {
  CliDir dir;
  REQUIRE(run_padsim("run --runs 300 --seed 7 -q --out b", dir.path).status == 0);
  const std::vector<std::string> rows = padsim::test::lines(padsim::test::read(dir.path / "b/runs.csv"));
  auto cells = [](const std::string& row) {
    std::vector<std::string> out(1);
    for (const char c : row)
      if (c == ',') out.emplace_back(); else if (c != '\r') out.back() += c;
    return out;
  };
  const std::vector<std::string> header = cells(rows.at(0));
  for (const std::string outcome : {"pad_ready_day", "first_launch_day"}) {
    CAPTURE(outcome);
    const auto column = static_cast<std::size_t>(
        std::find(header.begin(), header.end(), outcome) - header.begin());
    REQUIRE(column < header.size());
    // An empty cell is beyond the horizon: it sorts last, as in summary.csv.
    std::vector<std::pair<double, std::size_t>> order;
    for (std::size_t r = 1; r < rows.size(); ++r) {
      const std::string cell = cells(rows[r]).at(column);
      order.emplace_back(cell.empty() ? std::numeric_limits<double>::infinity() : std::stod(cell), r);
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    const std::size_t row = order[static_cast<std::size_t>(0.9 * static_cast<double>(order.size() - 1) + 0.5)].second;
    const Result r = run_padsim("replay --at " + outcome + ":p90 --runs 300 --seed 7 --trace t.csv --out r -q", dir.path);
    REQUIRE(r.status == 0);
    CHECK(padsim::test::lines(padsim::test::read(dir.path / "r/runs.csv")).at(1) == rows[row]);
  }
  CHECK(run_padsim("replay --at pad_ready_day:p101 --trace -", dir.path).status == 2);
  CHECK(run_padsim("replay --at no_such_outcome:p50 --trace -", dir.path).err.find(
            "padsim: error: --at: the scenario has no outcome 'no_such_outcome'") != std::string::npos);
  CHECK(run_padsim("replay --trace -", dir.path).status == 2);
}

TEST_CASE("--set overrides a value for run, validate and replay, run.json and the report list them") {
  CliDir dir;
  const Result run = run_padsim("run --runs 10 --quiet --set 'repair.site31-cabin.scale=1.5' "
                                "--set 'mission.\"Progress MS-33\".net=2026-02-01' --out results",
                                dir.path);
  REQUIRE(run.status == 0);
  CHECK(run.out.find("Overrides (--set): repair.site31-cabin.scale=1.5 mission.\"Progress MS-33\".net=2026-02-01\n") !=
        std::string::npos);
  std::ifstream json_file(dir.path / "results" / "run.json");
  const std::string json(std::istreambuf_iterator<char>(json_file), {});
  CHECK(json.find(R"("overrides": ["repair.site31-cabin.scale=1.5", "mission.\"Progress MS-33\".net=2026-02-01"],)") !=
        std::string::npos);

  // SCENARIO after a --set is still the scenario (--set takes one value per occurrence).
  const Result validate = run_padsim("validate --set consumable.water.reserve_days=30 baikonur-2025.toml", dir.path);
  CHECK(validate.status == 0);
  CHECK(validate.out.find("Overrides (--set): consumable.water.reserve_days=30\n") != std::string::npos);

  const Result replay = run_padsim("replay -k 3 --set 'pad.site31.turnaround=7' --trace t.csv", dir.path);
  CHECK(replay.status == 0);
  CHECK(fs::exists(dir.path / "t.csv"));

  const Result plain = run_padsim("run --runs 10 --quiet --out plain", dir.path);
  REQUIRE(plain.status == 0);
  std::ifstream plain_file(dir.path / "plain" / "run.json");
  CHECK(std::string(std::istreambuf_iterator<char>(plain_file), {}).find("\"overrides\": [],") != std::string::npos);
}

TEST_CASE("a --set path that names nothing is bad input: status 2, its message, nothing written") {
  CliDir dir;
  const Result run =
      run_padsim("run --runs 10 --set 'mission.\"Progress MS-99\".net=2026-02-01' --out results", dir.path);
  CHECK(run.status == 2);
  CHECK(run.err.ends_with("--set mission.\"Progress MS-99\".net: error: no [[mission]] with id 'Progress MS-99'\n"));
  CHECK(!fs::exists(dir.path / "results"));
  const Result validate =
      run_padsim("validate baikonur-2025.toml --set repair.site31-cabin.task.R0.duration=5", dir.path);
  CHECK(validate.status == 2);
  CHECK(validate.err.ends_with(
      "--set repair.site31-cabin.task.R0.duration: error: no [[repair.site31-cabin.task]] with id 'R0'\n"));
  const Result replay = run_padsim("replay -k 0 --set 'scenario.horizon' --trace t.csv", dir.path);
  CHECK(replay.status == 2);
  CHECK(replay.err.ends_with("--set scenario.horizon: error: expected PATH=VALUE, found no '='\n"));
  CHECK(!fs::exists(dir.path / "t.csv"));
  const Result kind = run_padsim("validate baikonur-2025.toml --set scenario.horizon=soon", dir.path);
  CHECK(kind.status == 2);
  CHECK(kind.err.find("--set scenario.horizon: error: scenario.horizon: ") != std::string::npos);
}

TEST_CASE("sweep and calibrate: bad input is status 2 before any batch runs, nothing written") {
  CliDir dir;
  write(dir.path / "one.toml",
        "[scenario]\nname = \"t\"\nepoch = \"2025-11-27T09:28Z\"\nhorizon = \"2027-06-30\"\n\n"
        "[[pad]]\nid = \"p\"\ndown_at_epoch = true\nrepair = \"r\"\n\n"
        "[[repair.r.task]]\nid = \"A\"\nduration = { uniform = [40, 80] }\n");
  const Result path = run_padsim("sweep one.toml --vary repair.nope.scale=1,2 --runs 10 --out results", dir.path);
  CHECK(path.status == 2);
  CHECK(path.err.ends_with("--set repair.nope.scale: error: no [repair.nope] in the scenario\n"));
  // A value only the last point has is found before the first point runs.
  const Result value = run_padsim("sweep one.toml --vary repair.r.scale=1,2,-1 --runs 10 --out results", dir.path);
  CHECK(value.status == 2);
  CHECK(value.err.find("repair.r.scale: must be a positive number, found -1") != std::string::npos);
  CHECK(value.err.find("point 1/3") == std::string::npos);
  CHECK(run_padsim("sweep one.toml --runs 10 --out results", dir.path).status == 2);  // nothing to vary
  CHECK(run_padsim("sweep one.toml --vary 'repair.r.scale=[1,2' --out results", dir.path).status == 2);
  CHECK(run_padsim("sweep one.toml --vary repair.r.scale=1 --statistic p100 --out results", dir.path).status == 2);
  CHECK(run_padsim("sweep one.toml --vary repair.r.scale=1 --outcome nope --out results", dir.path).status == 2);

  const std::string calibrate = "calibrate one.toml --param repair.r.scale --runs 200 --out results ";
  const Result unreachable = run_padsim(calibrate + "--target pad_ready_day:p50=1000 --range 0.5:4", dir.path);
  CHECK(unreachable.status == 2);
  CHECK(unreachable.err.find("padsim: error: calibrate: no value of repair.r.scale in [0.5, 4] reaches "
                             "pad_ready_day:p50=1000: p50 is ") != std::string::npos);
  CHECK(run_padsim(calibrate + "--target pad_ready_day:probability=0.5", dir.path).status == 2);
  CHECK(run_padsim(calibrate + "--target nope:p50=100", dir.path).status == 2);
  CHECK(run_padsim(calibrate + "--target pad_ready_day:p50=100 --runs auto", dir.path).status == 2);
  CHECK(run_padsim("calibrate one.toml --param repair.r.task.A.duration --target pad_ready_day:p50=100 --runs 10",
                   dir.path).status == 2);  // no default range for a path that is not a scale
  CHECK(!fs::exists(dir.path / "results"));

  const Result ok = run_padsim(calibrate + "--target pad_ready_day:p50=90 --quiet", dir.path);
  CHECK(ok.status == 0);
  CHECK(ok.out.find("repair.r.scale = 1.5") != std::string::npos);  // P50 = 60 s
  CHECK(fs::exists(dir.path / "results" / "calibrate.csv"));
}
