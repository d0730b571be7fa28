// `padsim compare` on the built binary: a scenario against itself, a known shift, identical bytes
// on 1 and 2 threads, outcomes only one variant has, one side's responses off, and bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using padsim::test::CliResult;
using padsim::test::run_padsim;

namespace {

struct CompareDir : padsim::test::TempDir {
  CompareDir() : padsim::test::TempDir("compare") {}
};

/// One repair task of uniform(10, 20) days from day 0: pad_ready_day is the draw. Scaling the
/// repair by 1.5 shifts its mean by exactly 0.5 x 15 = 7.5 days.
const char* const kOneTask =
    "[scenario]\nname = \"one\"\nepoch = \"2026-01-01\"\nhorizon = \"2027-01-01\"\n\n"
    "[[pad]]\nid = \"p\"\ndown_at_epoch = true\nrepair = \"r\"\n\n"
    "[[repair.r.task]]\nid = \"A\"\nduration = { uniform = [10, 20] }\n";

/// compare.csv as rows of named cells, keyed "outcome/statistic".
std::map<std::string, std::map<std::string, std::string>> read_compare(const fs::path& file) {
  const std::vector<std::string> rows = padsim::test::lines(padsim::test::read(file));
  const auto split = padsim::test::cells;
  REQUIRE(!rows.empty());
  const std::vector<std::string> header = split(rows[0]);
  std::map<std::string, std::map<std::string, std::string>> out;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const std::vector<std::string> cells = split(rows[i]);
    REQUIRE(cells.size() == header.size());
    auto& row = out[cells[0] + "/" + cells[3]];
    for (std::size_t j = 0; j < header.size(); ++j) row[header[j]] = cells[j];
  }
  return out;
}

double number(const std::string& cell) { return std::strtod(cell.c_str(), nullptr); }

}  // namespace

TEST_CASE("compare of a scenario with itself: every difference is exactly 0, nothing significant") {
  CompareDir dir;
  const CliResult r = run_padsim("compare --runs 40 --bootstrap 50 -q --out same", dir.path);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("A: experiments/baikonur-2025.toml\nB: experiments/baikonur-2025.toml\n") == 0);
  CHECK(r.out.find("No outcome changed significantly") != std::string::npos);
  const auto rows = read_compare(dir.path / "same" / "compare.csv");
  REQUIRE(rows.size() > 40);
  int defined = 0;
  for (const auto& entry : rows) {  // clang 14 cannot capture a structured binding in the lambda CAPTURE makes
    const auto& key = entry.first;
    const auto& row = entry.second;
    CAPTURE(key);
    if (row.at("statistic") == "p_b_later" || row.at("statistic") == "p_b_earlier") {
      CHECK(row.at("difference") == "0");
      continue;
    }
    CHECK(row.at("significant") == "0");
    if (row.at("difference").empty()) continue;  // beyond the horizon in both
    ++defined;
    CHECK(row.at("difference") == "0");
    CHECK(row.at("a") == row.at("b"));
    if (row.at("kind") == "value" && !row.at("ci_low").empty()) {
      CHECK(row.at("ci_low") == "0");
      CHECK(row.at("ci_high") == "0");
    }
  }
  CHECK(defined > 40);
  const std::string json = padsim::test::read(dir.path / "same" / "compare.json");
  CHECK(json.find("\"seed\": 20251127,") != std::string::npos);
  CHECK(json.find("\"replications\": 40,") != std::string::npos);
  CHECK(json.find("\"skipped_outcomes\": [],") != std::string::npos);
}

TEST_CASE("a known shift: the paired CI contains it and is narrower than the unpaired one") {
  CompareDir dir;
  std::ofstream(dir.path / "one.toml", std::ios::binary) << kOneTask;
  const CliResult r =
      run_padsim("compare one.toml --set-b repair.r.scale=1.5 --runs 400 --bootstrap 200 -q", dir.path);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("B: one.toml --set repair.r.scale=1.5\n") != std::string::npos);
  const auto rows = read_compare(dir.path / "results" / "compare-one-vs-one" / "compare.csv");
  const auto& mean = rows.at("pad_ready_day/mean");
  CHECK(number(mean.at("ci_low")) < 7.5);
  CHECK(number(mean.at("ci_high")) > 7.5);
  CHECK(mean.at("significant") == "1");
  // Paired: sd of 0.5 D; unpaired: sqrt(1 + 1.5^2) sd of D, so the gain is close to 3.6.
  CHECK(number(mean.at("pairing_gain")) > 3.0);
  CHECK(number(mean.at("pairing_gain")) < 4.2);
  // Every replication scales: each percentile of B is 1.5 times A's, so the difference is 0.5 A.
  const auto& p50 = rows.at("pad_ready_day/p50");
  CHECK(number(p50.at("difference")) == doctest::Approx(0.5 * number(p50.at("a"))));
  CHECK(rows.at("pad_ready_day/p_b_later").at("difference") == "1");
  CHECK(r.out.find("pad_ready_day") != std::string::npos);
  CHECK(r.out.find("pairing gain") != std::string::npos);
}

TEST_CASE("compare.csv is byte-identical on 1 and 2 threads") {
  CompareDir dir;
  const std::string args = "compare --set-b repair.site31-cabin.scale=1.5 --runs 60 --bootstrap 100 -q";
  REQUIRE(run_padsim(args + " -j1 --out one", dir.path).status == 0);
  REQUIRE(run_padsim(args + " -j2 --out two", dir.path).status == 0);
  const std::string one = padsim::test::read(dir.path / "one" / "compare.csv");
  CHECK(one == padsim::test::read(dir.path / "two" / "compare.csv"));
  CHECK(one.find("\r\npad_ready_day,day,value,mean,") != std::string::npos);
}

TEST_CASE("outcomes only one scenario has are reported and skipped") {
  CompareDir dir;
  std::ofstream(dir.path / "one.toml", std::ios::binary) << kOneTask;
  const CliResult r = run_padsim("compare one.toml baikonur-2025.toml --runs 20 --bootstrap 20 -q --out mixed", dir.path);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("Not compared: ") != std::string::npos);
  CHECK(r.out.find(" outcomes (0 only in A, ") != std::string::npos);  // too many to list: counted
  const auto rows = read_compare(dir.path / "mixed" / "compare.csv");
  CHECK(rows.count("pad_ready_day/mean") == 1);
  CHECK(rows.count("crew_days_lost/mean") == 0);
  CHECK(padsim::test::read(dir.path / "mixed" / "compare.json").find("crew_days_lost (only in B)") !=
        std::string::npos);
}

TEST_CASE("--no-responses-a: A is the frozen plan, B the default with its responses, paired") {
  CompareDir dir;
  const std::string tail = " --runs 60 --bootstrap 50 -q -j1";
  const CliResult r = run_padsim("compare --no-responses-a" + tail + " --out flag", dir.path);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("A: experiments/baikonur-2025.toml --no-responses\nB: experiments/baikonur-2025.toml\n") == 0);
  const auto rows = read_compare(dir.path / "flag" / "compare.csv");
  // A's responses never fire; B's CRS-34 move is taken with probability 0.9 and moves earlier.
  CHECK(rows.at("response:crs34-earlier/probability").at("a") == "0");
  CHECK(number(rows.at("response:crs34-earlier/probability").at("b")) > 0.5);
  CHECK(rows.at("replan:CRS-34/mean").at("a") == "0");
  CHECK(number(rows.at("replan:CRS-34/mean").at("b")) < -14.0 * 0.5);
  // Responses draw from their own streams and move only US cargo: the repair is the same draw.
  CHECK(rows.at("pad_ready_day/mean").at("difference") == "0");
  const std::string json = padsim::test::read(dir.path / "flag" / "compare.json");
  CHECK(json.find("\"a\": {\"scenario\": \"experiments/baikonur-2025.toml\"") != std::string::npos);
  CHECK(json.find("\"overrides\": [], \"no_responses\": true},\n  \"b\"") != std::string::npos);
  CHECK(json.find("\"no_responses\": false},\n  \"seed\"") != std::string::npos);
  // The flag is every response's `enabled = false`, byte for byte.
  const CliResult each = run_padsim("compare --set-a response.crs34-earlier.enabled=false "
                                    "--set-a response.crs35-earlier.enabled=false" + tail + " --out each",
                                    dir.path);
  REQUIRE(each.status == 0);
  CHECK(padsim::test::read(dir.path / "flag" / "compare.csv") ==
        padsim::test::read(dir.path / "each" / "compare.csv"));
  // And on B it mirrors A: the differences change sign.
  REQUIRE(run_padsim("compare --no-responses-b" + tail + " --out mirror", dir.path).status == 0);
  const auto mirror = read_compare(dir.path / "mirror" / "compare.csv");
  CHECK(mirror.at("replan:CRS-34/mean").at("b") == "0");
  CHECK(number(mirror.at("replan:CRS-34/mean").at("difference")) ==
        doctest::Approx(-number(rows.at("replan:CRS-34/mean").at("difference"))));
}

TEST_CASE("bad compare input is status 2 with its message, and nothing is written") {
  CompareDir dir;
  const struct {
    const char* args;
    const char* message;
  } cases[] = {
      {"compare baikonur-2025.toml missing.toml --runs 10", "missing.toml: error: cannot read the scenario"},
      {"compare --set-b repair.site31-cabin.task.R0.duration=5 --runs 10",
       "--set repair.site31-cabin.task.R0.duration: error: no [[repair.site31-cabin.task]] with id 'R0'"},
      {"compare --runs auto", "--runs auto is not supported by compare"},
      {"compare --runs 1", "--runs: expected an integer of at least 2, got '1'"},
      {"compare --runs 10 --bootstrap 0", "--bootstrap: expected an integer from 1 to 1000000, got '0'"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    const CliResult r = run_padsim(std::string(c.args) + " --out results", dir.path);
    CHECK(r.status == 2);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.err.find("error:") != std::string::npos);
    CHECK(!fs::exists(dir.path / "results"));
  }
}
