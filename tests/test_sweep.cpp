// `padsim sweep` and `padsim calibrate` on a one-task repair whose answers are known exactly: the
// task takes uniform(40, 80) days times the repair's scale s, so every statistic of pad_ready_day
// is s times its value at s = 1 (P50 = 60 s in distribution). Checked: CRN sweeps are monotone
// point by point where independent seeds are not; calibrate finds s = 2 for P50 = 120 within the
// CI it reports; the files do not depend on threads or on a runner that splits each batch (as
// padsim-mpi does); bad input is status 2 before anything runs.
#include <doctest/doctest.h>

#include <sstream>

#include <spdlog/spdlog.h>

#include "batch_runner.hpp"
#include "calibrate_command.hpp"
#include "padsim/models/scenario.hpp"
#include "sweep_command.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace padsim;
using namespace padsim::cli;

namespace {

const char* const kOneTask =
    "[scenario]\nname = \"one-task\"\nepoch = \"2025-11-27T09:28Z\"\nhorizon = \"2027-06-30\"\n\n"
    "[[pad]]\nid = \"p\"\ndown_at_epoch = true\nrepair = \"r\"\n\n"
    "[[repair.r.task]]\nid = \"A\"\nduration = { uniform = [40, 80] }\n";

struct Fixture {
  test::TempDir dir{"sweep"};
  fs::path scenario = dir.path / "one.toml";
  Fixture() {
    std::ofstream(scenario) << kOneTask;
    spdlog::set_level(spdlog::level::warn);  // the commands log each point and evaluation
  }
};

using padsim::test::cells;

SweepOptions sweep_of(const Fixture& f, std::vector<std::string> vary, unsigned threads, const std::string& out) {
  SweepOptions o;
  o.common.scenario = f.scenario.string();
  o.common.quiet = true;
  o.vary = std::move(vary);
  o.batch.runs = "400";
  o.batch.threads = threads;
  o.batch.out = (f.dir.path / out).string();
  o.invocation = "padsim sweep";
  return o;
}

/// value column of sweep.csv rows of `statistic`, by point.
std::vector<double> column(const fs::path& csv, const std::string& statistic, std::size_t value_col = 4) {
  std::vector<double> out;
  const auto rows = test::lines(test::read(csv));
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto c = cells(rows[i]);
    if (c[3] == statistic) out.push_back(std::stod(c[value_col]));
  }
  return out;
}

double json_field(const fs::path& file, const std::string& key) {
  const std::string text = test::read(file);
  const auto at = text.find("\n  \"" + key + "\": ");  // a top-level key: two spaces in
  REQUIRE(at != std::string::npos);
  return std::stod(text.substr(at + key.size() + 7));
}

/// A runner that runs every batch as two ranges and merges them, as padsim-mpi's runner does.
BatchResult split_batch(const Model& model, const BatchOptions& options) {
  BatchOptions first = options, second = options;
  first.replications = options.replications / 2;
  second.first_replication = first.replications;
  second.replications = options.replications - first.replications;
  return merge_batch_results({run_batch(model, first), run_batch(model, second)});
}

}  // namespace

TEST_CASE("a sweep of the duration scale on common random numbers is monotone in every statistic") {
  Fixture f;
  std::ostringstream out;
  REQUIRE(run_sweep(sweep_of(f, {"repair.r.scale=0.5:3:0.25"}, 2, "s"), StudyContext{}, out) == kExitOk);
  const fs::path csv = f.dir.path / "s" / "sweep.csv";
  CHECK(test::lines(test::read(csv))[0] == "point,repair.r.scale,outcome,statistic,value,ci_low,ci_high,n,censored");
  for (const char* statistic : {"mean", "p10", "p50", "p90"}) {
    CAPTURE(statistic);
    for (std::size_t col : {4u, 5u, 6u}) {  // the value and both ends of its CI
      const std::vector<double> v = column(csv, statistic, col);
      REQUIRE(v.size() == 11);
      for (std::size_t i = 1; i < v.size(); ++i) CHECK(v[i] > v[i - 1]);
      // On the same draws every statistic is exactly proportional to the scale.
      CHECK(v[10] / v[2] == doctest::Approx(3.0).epsilon(1e-9));
    }
  }
  CHECK(out.str().find("pad_ready_day (day)") != std::string::npos);
  CHECK(test::read(f.dir.path / "s" / "sweep.json").find("\"values\": [\"0.5\", \"0.75\", \"1\"") !=
        std::string::npos);
}

TEST_CASE("steps of 1% smaller than the noise: CRN stays monotone, independent seeds do not") {
  Fixture f;
  std::ostringstream out;
  SweepOptions o = sweep_of(f, {"repair.r.scale=1:1.1:0.01"}, 1, "fine");
  o.batch.runs = "200";
  REQUIRE(run_sweep(o, StudyContext{}, out) == kExitOk);
  bool independent_monotone = true;
  std::vector<double> previous(3, 0.0);
  for (int i = 0; i <= 10; ++i) {
    models::LoadOptions load;
    load.overrides = {"repair.r.scale=" + std::to_string(1.0 + 0.01 * i)};
    const auto model = models::load_scenario(kOneTask, "one.toml", load);
    BatchOptions b;
    b.replications = 200;
    b.seed = 1000 + static_cast<std::uint64_t>(i);  // a seed per point: no common random numbers
    b.threads = 1;
    const OutcomeSummary s = outcome_summary(*model, run_batch(*model, b), 0);
    for (std::size_t k = 0; k < 3; ++k) {
      const double q = percentile_sorted(s.sorted, 0.1 + 0.4 * static_cast<double>(k));
      if (q <= previous[k]) independent_monotone = false;
      previous[k] = q;
    }
  }
  CHECK_FALSE(independent_monotone);
  for (const char* statistic : {"mean", "p10", "p50", "p90"}) {
    const std::vector<double> v = column(f.dir.path / "fine" / "sweep.csv", statistic);
    REQUIRE(v.size() == 11);
    for (std::size_t i = 1; i < v.size(); ++i) CHECK(v[i] > v[i - 1]);
  }
}

TEST_CASE("sweep files are the same bytes on 1 and 2 threads and with a runner that splits batches") {
  Fixture f;
  std::ostringstream out;
  const std::vector<std::string> vary = {"repair.r.scale=1,2", "repair.r.task.A.duration=5,uniform(1,9)"};
  REQUIRE(run_sweep(sweep_of(f, vary, 1, "t1"), StudyContext{}, out) == kExitOk);
  REQUIRE(run_sweep(sweep_of(f, vary, 2, "t2"), StudyContext{}, out) == kExitOk);
  REQUIRE(run_sweep(sweep_of(f, vary, 2, "split"), StudyContext{split_batch, true}, out) == kExitOk);
  for (const char* file : {"sweep.csv", "sweep.json"}) {
    CAPTURE(file);
    const std::string one = test::read(f.dir.path / "t1" / file);
    CHECK(one == test::read(f.dir.path / "t2" / file));
    CHECK(one == test::read(f.dir.path / "split" / file));
  }
  // Two parameters: the full grid, the first parameter outermost, the fixed duration exact.
  const auto rows = test::lines(test::read(f.dir.path / "t1" / "sweep.csv"));
  CHECK(rows[0] == "point,repair.r.scale,repair.r.task.A.duration,outcome,statistic,value,ci_low,ci_high,n,censored");
  CHECK(rows[1] == "0,1,5,pad_ready_day,mean,5,5,5,400,0");  // a fixed duration: a CI of width 0
  CHECK(rows.back().rfind("3,2,\"uniform(1,9)\",pad_ready_day,p90,", 0) == 0);
  // A process that is not the root runs the batches and writes nothing (under MPI the root alone
  // makes the output directory).
  const StudyContext other{local_batch, false, [](const std::filesystem::path&) { return OutputLock(); }};
  REQUIRE(run_sweep(sweep_of(f, vary, 1, "other"), other, out) == kExitOk);
  CHECK_FALSE(fs::exists(f.dir.path / "other"));
}

TEST_CASE("calibrate finds the known scale of a one-task repair within the CI it reports") {
  Fixture f;
  CalibrateOptions o;
  o.common.scenario = f.scenario.string();
  o.common.quiet = true;
  o.param = "repair.r.scale";
  o.target = "pad_ready_day:p50=120";  // P50 = 60 s: s = 2
  o.range = "0.5:4";
  o.batch.runs = "2000";
  o.batch.out = (f.dir.path / "c1").string();
  o.batch.threads = 1;
  std::ostringstream out;
  REQUIRE(run_calibrate(o, StudyContext{}, out) == kExitOk);
  const fs::path json = f.dir.path / "c1" / "calibrate.json";
  const double x = json_field(json, "value");
  const double low = json_field(json, "ci_low");
  const double high = json_field(json, "ci_high");
  CHECK(low <= 120.0);  // the target is within the reported CI ...
  CHECK(high >= 120.0);
  CHECK(low <= 60.0 * x);  // ... and so is the true P50 at the value found
  CHECK(high >= 60.0 * x);
  CHECK(std::abs(x - 2.0) * 60.0 <= high - low);
  CHECK(json_field(json, "evaluations") <= 8);
  CHECK(out.str().find("repair.r.scale = ") != std::string::npos);
  const auto rows = test::lines(test::read(f.dir.path / "c1" / "calibrate.csv"));
  CHECK(rows[0] == "evaluation,value,estimate,ci_low,ci_high");
  CHECK(cells(rows[1])[1] == "0.5");
  CHECK(cells(rows[2])[1] == "4");

  // The same bytes on 2 threads and with a split runner.
  o.batch.threads = 2;
  o.batch.out = (f.dir.path / "c2").string();
  REQUIRE(run_calibrate(o, StudyContext{split_batch, true}, out) == kExitOk);
  for (const char* file : {"calibrate.csv", "calibrate.json"})
    CHECK(test::read(f.dir.path / "c1" / file) == test::read(f.dir.path / "c2" / file));
}

TEST_CASE("an unreachable target is refused with what each end reached, nothing written") {
  Fixture f;
  CalibrateOptions o;
  o.common.scenario = f.scenario.string();
  o.common.quiet = true;
  o.param = "repair.r.scale";
  o.target = "pad_ready_day:mean=1000";
  o.range = "0.5:4";  // the mean reaches 30 .. 240
  o.batch.runs = "300";
  o.batch.out = (f.dir.path / "none").string();
  std::ostringstream out;
  try {
    run_calibrate(o, StudyContext{}, out);
    FAIL("no error");
  } catch (const CLI::ValidationError& e) {
    const std::string message = e.what();
    CHECK(message.find("no value of repair.r.scale in [0.5, 4] reaches pad_ready_day:mean=1000") !=
          std::string::npos);
    CHECK(message.find(" at 0.5 and ") != std::string::npos);
    CHECK(message.find(" at 4 (95% CIs)") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(f.dir.path / "none"));
  CHECK(out.str().empty());
}

TEST_CASE("a study file names its scenario beside it, the command line overrides its runs and seed") {
  Fixture f;
  std::ofstream(f.dir.path / "study.toml")
      << "[study]\nname = \"s\"\nscenario = \"one.toml\"\nruns = 50\nseed = 9\nset = [\"repair.r.scale=2\"]\n"
         "outcomes = [\"pad_ready_day\"]\nstatistics = [\"p50\"]\n\n"
         "[[vary]]\npath = \"repair.r.task.A.duration\"\nvalues = [30, \"uniform(10, 20)\"]\n";
  SweepOptions o;
  o.common.quiet = true;
  o.study = (f.dir.path / "study.toml").string();
  o.batch.runs = "20";
  o.batch.out = (f.dir.path / "out").string();
  std::ostringstream out;
  REQUIRE(run_sweep(o, StudyContext{}, out) == kExitOk);
  const auto rows = test::lines(test::read(f.dir.path / "out" / "sweep.csv"));
  REQUIRE(rows.size() == 3);
  CHECK(rows[1] == "0,30,pad_ready_day,p50,60,60,60,20,0");  // the study's set (scale 2) first
  CHECK(rows[2].rfind("1,\"uniform(10, 20)\",pad_ready_day,p50,", 0) == 0);
  const std::string json = test::read(f.dir.path / "out" / "sweep.json");
  CHECK(json.find("\"scenario\": \"" + f.scenario.string() + "\"") != std::string::npos);
  CHECK(json.find("\"seed\": 9,") != std::string::npos);
  CHECK(json.find("\"runs\": \"20\",") != std::string::npos);
  CHECK(json.find("\"overrides\": [\"repair.r.scale=2\"]") != std::string::npos);
  o.vary = {"repair.r.scale=1"};
  CHECK_THROWS_AS(run_sweep(o, StudyContext{}, out), CLI::ValidationError);  // --vary and --study
}

TEST_CASE("a sweep point's rows are summary.csv's rows of a run with the point's overrides") {
  Fixture f;
  SweepOptions o = sweep_of(f, {"repair.r.scale=1.5"}, 2, "sweep");
  o.common.overrides = {"scenario.horizon=2026-02-06"};  // day 71: the P90 of 1.5 x uniform(40, 80) is beyond it
  o.statistics = {"mean", "p10", "p50", "p90"};
  std::ostringstream out;
  REQUIRE(run_sweep(o, StudyContext{}, out) == kExitOk);

  models::LoadOptions load;
  load.overrides = {"scenario.horizon=2026-02-06", "repair.r.scale=1.5"};
  const auto model = models::load_scenario(kOneTask, "one.toml", load);
  BatchOptions b;
  b.replications = 400;
  b.threads = 1;
  write_batch_outputs(*model, run_batch(*model, b), b, f.dir.path / "run");
  std::vector<std::string> expected;  // summary.csv's statistic, value, ci_low, ci_high, n, censored
  for (const std::string& row : test::lines(test::read(f.dir.path / "run" / "summary.csv"))) {
    const auto c = cells(row);
    if (c[0] == "pad_ready_day" && (c[2] == "mean" || c[2] == "p10" || c[2] == "p50" || c[2] == "p90"))
      expected.push_back(c[2] + "," + c[3] + "," + c[4] + "," + c[5] + "," + c[6] + "," + c[7]);
  }
  std::vector<std::string> got;
  for (const std::string& row : test::lines(test::read(f.dir.path / "sweep" / "sweep.csv"))) {
    const auto c = cells(row);
    if (c[2] == "pad_ready_day")
      got.push_back(c[3] + "," + c[4] + "," + c[5] + "," + c[6] + "," + c[7] + "," + c[8]);
  }
  REQUIRE(expected.size() == 4);
  CHECK(got == expected);
  CHECK(expected.back().rfind("p90,,", 0) == 0);  // beyond the horizon: an empty cell in both
}
