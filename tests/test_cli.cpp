// The padsim command line: exit statuses and messages for bad input, checked on the built binary.
// (The driver itself is tested in test_batch.cpp with toy models; the real scenarios in
// test_default_scenario.cpp.)
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_support.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

using Result = padsim::test::CliResult;
using padsim::test::run_padsim;

struct TempDir : padsim::test::TempDir {
  TempDir() : padsim::test::TempDir("cli") {}
};

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("a scenario that cannot be read is bad input: status 2, FILE: error, no output") {
  TempDir dir;
  const Result r = run_padsim("run missing.toml --out results", dir.path);
  CHECK(r.status == 2);
  CHECK(r.err.find("missing.toml: error: cannot read the scenario") != std::string::npos);
  CHECK(!fs::exists(dir.path / "results"));
  CHECK(run_padsim("validate missing.toml", dir.path).status == 2);
}

TEST_CASE("bad command-line values are bad input (status 2)") {
  TempDir dir;
  const Result runs = run_padsim("run x.toml --runs lots", dir.path);
  CHECK(runs.status == 2);
  CHECK(runs.err.find("--runs") != std::string::npos);
  CHECK(run_padsim("run --tolerance -1", dir.path).status == 2);
  CHECK(run_padsim("frobnicate", dir.path).status == 2);
  CHECK(run_padsim("validate", dir.path).status == 2);                  // SCENARIO is required
  CHECK(run_padsim("replay x.toml --trace t.csv", dir.path).status == 2);  // --replication is required
  CHECK(!fs::exists(dir.path / "results"));
}

TEST_CASE("--help and --version succeed") {
  TempDir dir;
  const Result help = run_padsim("run --help", dir.path);
  CHECK(help.status == 0);
  CHECK(help.out.find("--runs") != std::string::npos);
  CHECK(run_padsim("--version", dir.path).status == 0);
}

TEST_CASE("a bad scenario file is status 2 with FILE:LINE:COL: error: on stderr and no output") {
  TempDir dir;
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
  TempDir dir;
  write(dir.path / "a-file", "not a directory\n");
  const Result r = run_padsim("run --runs 10 --out a-file/results", dir.path);
  CHECK(r.status == 1);
  CHECK(r.err.find("a-file/results") != std::string::npos);
}

TEST_CASE("padsim dist describes distributions side by side, and names the column of a bad spec") {
  TempDir dir;
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
  TempDir dir;
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

TEST_CASE("--set overrides a value for run, validate and replay; run.json and the report list them") {
  TempDir dir;
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
  TempDir dir;
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
