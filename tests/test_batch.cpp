// Monte Carlo batches: identical bytes for any thread count, replay of one replication, files
// written completely or not at all, convergence, and the contents of every output file.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <string>
#include <vector>

#include "padsim/batch.hpp"
#include "padsim/format.hpp"
#include "padsim/rng.hpp"
#include "padsim/statistics.hpp"
#include "padsim/trace.hpp"
#include "toy_models.hpp"
#include "test_support.hpp"

using padsim::test::stable_json;

namespace fs = std::filesystem;
using namespace padsim;
using padsim::test::NormalModel;
using padsim::test::ToyRepairModel;
using padsim::test::check_same_result;
using padsim::test::options_for;
using padsim::test::TempDir;
using padsim::test::read;
using padsim::test::lines;

namespace {

const auto split = padsim::test::cells;


std::atomic<bool> g_interrupt{false};
// Named apart from the command line's own handler (padsim::cli), which links into this executable too.
extern "C" void on_test_sigint(int) { g_interrupt = true; }

}  // namespace

TEST_CASE("1 and 2 threads give identical bytes for every output file") {
  const ToyRepairModel model;
  TempDir one("threads1"), two("threads2"), again("threads2b"), three("threads3");
  write_batch_outputs(model, run_batch(model, options_for(1)), options_for(1), one.path);
  write_batch_outputs(model, run_batch(model, options_for(2)), options_for(2), two.path);
  write_batch_outputs(model, run_batch(model, options_for(2)), options_for(2), again.path);
  write_batch_outputs(model, run_batch(model, options_for(3)), options_for(3), three.path);
  for (const auto& name : batch_output_files(model)) {
    CAPTURE(name);
    const std::string reference = read(one.path / name);
    CHECK(!reference.empty());
    for (const auto* dir : {&two, &again, &three}) {
      if (name == "run.json")
        CHECK(stable_json(read(dir->path / name)) == stable_json(reference));
      else
        CHECK(read(dir->path / name) == reference);
    }
  }
  CHECK(read(two.path / "run.json").find("\"threads\": 2") != std::string::npos);
}

TEST_CASE("runs.csv and inputs.csv written in blocks of rows on 2 threads equal the 1-thread files") {
  // Beyond 512 replications a multi-threaded batch formats these files in blocks of rows in
  // parallel, each written after the blocks before it: 9000 rows make 18 blocks, the last short.
  const ToyRepairModel model;
  TempDir one("rows1"), two("rows2");
  write_batch_outputs(model, run_batch(model, options_for(1, 9000)), options_for(1, 9000), one.path);
  write_batch_outputs(model, run_batch(model, options_for(2, 9000)), options_for(2, 9000), two.path);
  for (const char* name : {"runs.csv", "inputs.csv"}) {
    CAPTURE(name);
    const std::string reference = read(one.path / name);
    CHECK(lines(reference).size() == 9001);
    CHECK(read(two.path / name) == reference);
  }
}

TEST_CASE("replaying replication K alone reproduces row K of runs.csv byte for byte") {
  const ToyRepairModel model;
  TempDir batch("replay_batch"), single("replay_single");
  const BatchOptions options = options_for(2, 500);
  write_batch_outputs(model, run_batch(model, options), options, batch.path);
  const auto batch_rows = lines(read(batch.path / "runs.csv"));
  REQUIRE(batch_rows.size() == 501);
  for (const std::uint64_t k : {0u, 137u, 499u}) {
    CAPTURE(k);
    std::ostringstream trace_text;
    CsvTraceSink trace(trace_text, Calendar(model.epoch()));
    const ReplicationResult r = replay(model, options.seed, k, &trace);
    write_replay_runs(model, options.seed, k, r, single.path);
    const auto replay_rows = lines(read(single.path / "runs.csv"));
    REQUIRE(replay_rows.size() == 2);
    CHECK(replay_rows[0] == batch_rows[0]);
    CHECK(replay_rows[1] == batch_rows[k + 1]);
    CHECK(split(replay_rows[1])[1] == std::to_string(Rng::replication_seed(options.seed, k)));
    const auto trace_rows = lines(trace_text.str());
    CHECK(trace_rows[0] == "time,date,event,subject,details");
    CHECK(trace_rows[1] == "0,2025-11-27T09:28:00Z,repair_start,pad,seed repair");
    CHECK(trace.count() + 1 == trace_rows.size());
  }
}

TEST_CASE("a batch interrupted by SIGINT leaves no file under a final name") {
  ToyRepairModel model;
  model.on_run = [](std::uint64_t k) {
    if (k == 300) std::raise(SIGINT);
  };
  TempDir dir("interrupt");
  g_interrupt = false;
  const auto previous = std::signal(SIGINT, on_test_sigint);
  BatchOptions options = options_for(2, 100000);
  options.interrupt = &g_interrupt;
  bool interrupted = false;
  try {
    const BatchResult result = run_batch(model, options);
    write_batch_outputs(model, result, options, dir.path);
  } catch (const Interrupted&) {
    interrupted = true;
  }
  std::signal(SIGINT, previous);
  CHECK(interrupted);
  CHECK((!fs::exists(dir.path) || fs::is_empty(dir.path)));

  // Interrupted while the files are being written: the temporaries go, nothing is renamed.
  model.on_run = nullptr;
  options.interrupt = nullptr;
  const BatchResult result = run_batch(model, options_for(1, 200));
  g_interrupt = true;
  options.interrupt = &g_interrupt;
  CHECK_THROWS_AS(write_batch_outputs(model, result, options, dir.path), Interrupted);
  CHECK(fs::exists(dir.path));
  CHECK(fs::is_empty(dir.path));
  g_interrupt = false;
}

TEST_CASE("an unwritable output directory is an OutputError naming the path") {
  const ToyRepairModel model;
  TempDir dir("unwritable_batch");
  fs::create_directories(dir.path);
  std::ofstream(dir.path / "file") << "x";
  const fs::path bad = dir.path / "file" / "out";
  const BatchResult result = run_batch(model, options_for(1, 10));
  CHECK_THROWS_WITH_AS(write_batch_outputs(model, result, options_for(1, 10), bad),
                       doctest::Contains(bad.string().c_str()), OutputError);
}

TEST_CASE("a replication's error names the replication") {
  ToyRepairModel model;
  model.on_run = [](std::uint64_t k) {
    if (k == 57 || k == 1000) throw SimulationError("negative delay -1");
  };
  CHECK_THROWS_WITH_AS(run_batch(model, options_for(2, 2000)),
                       doctest::Contains("replication 57 (seed"), SimulationError);
  model.on_run = [](std::uint64_t k) {
    if (k == 8) throw std::runtime_error("bad_alloc-like failure");
  };
  CHECK_THROWS_WITH_AS(run_batch(model, options_for(1, 100)),
                       doctest::Contains("replication 8 (seed"), Error);
}

TEST_CASE("runs.csv has replication and seed first, then every outcome, empty when censored") {
  const ToyRepairModel model;
  TempDir dir("runs");
  const BatchOptions options = options_for(2, 3000);
  const BatchResult result = run_batch(model, options);
  write_batch_outputs(model, result, options, dir.path);
  const auto rows = lines(read(dir.path / "runs.csv"));
  CHECK(rows[0] == "replication,seed,pad_ready_day,late,b_share,\"note, \"\"quoted\"\"\"");
  std::size_t censored = 0;
  for (std::size_t k = 0; k < 3000; ++k) {
    const auto cells = split(rows[k + 1]);
    REQUIRE(cells.size() >= 5);
    CHECK(cells[0] == std::to_string(k));
    if (cells[2].empty()) ++censored;
  }
  CHECK(censored > 0);  // the toy's risk pushes some replications beyond the horizon

  // summary.csv reports the same censored count on every row of that outcome.
  const auto summary = lines(read(dir.path / "summary.csv"));
  CHECK(summary[0] == "outcome,unit,statistic,value,ci_low,ci_high,n,censored,flag");
  int ready_rows = 0;
  for (const auto& row : summary) {
    const auto cells = split(row);
    if (cells[0] != "pad_ready_day") continue;
    ++ready_rows;
    CHECK(cells[6] == "3000");
    CHECK(cells[7] == std::to_string(censored));
  }
  CHECK(ready_rows == 12);  // mean, sd, min, 8 percentiles, max
}

TEST_CASE("summary statistics of a known distribution agree with the truth") {
  // One batch is one draw: a 95% interval misses the truth one time in twenty. Twice its
  // half-width (about 4 standard errors) is a check that fails only when something is wrong.
  const NormalModel model(100.0, 15.0);
  const BatchResult result = run_batch(model, options_for(2, 20000));
  const OutcomeSummary s = outcome_summary(model, result, 0);
  CHECK(s.n == 20000);
  const Interval mean_ci = s.reached.mean_ci();
  CHECK(std::abs(s.reached.mean() - 100.0) <= mean_ci.high - mean_ci.low);
  CHECK(s.reached.sd() == doctest::Approx(15.0).epsilon(0.02));
  const auto p90 = quantile_estimate_sorted(s.sorted, 0.9);
  const double truth = 100.0 + 15.0 * 1.2815515655446004;
  CHECK(p90.ci.low <= p90.value);
  CHECK(p90.value <= p90.ci.high);
  CHECK(std::abs(p90.value - truth) <= p90.ci.high - p90.ci.low);
}

TEST_CASE("event outcomes get a probability with a Wilson interval") {
  const ToyRepairModel model;
  TempDir dir("events");
  const BatchOptions options = options_for(1, 1000);
  const BatchResult result = run_batch(model, options);
  write_batch_outputs(model, result, options, dir.path);
  std::uint64_t late = 0;
  for (std::uint64_t k = 0; k < 1000; ++k) late += result.outcome(k, 1) != 0.0 ? 1 : 0;
  const Interval w = wilson_interval(late, 1000);
  const std::string expected = "late,0/1,probability," + format_number(static_cast<double>(late) / 1000.0) + "," +
                               format_number(w.low) + "," + format_number(w.high) + ",1000,0,";
  CHECK(read(dir.path / "summary.csv").find(expected + "\r\n") != std::string::npos);
}

TEST_CASE("tasks.csv reports presence, criticality and cruciality per task") {
  const ToyRepairModel model;
  TempDir dir("tasks");
  const BatchOptions options = options_for(2, 4000);
  write_batch_outputs(model, run_batch(model, options), options, dir.path);
  const auto rows = lines(read(dir.path / "tasks.csv"));
  REQUIRE(rows.size() == 4);
  CHECK(rows[0] ==
        "task,present,criticality,cruciality,start_mean,start_p10,start_p50,start_p90,"
        "finish_mean,finish_p10,finish_p50,finish_p90,duration_mean,ssi");
  const auto a = split(rows[1]), b = split(rows[2]), c = split(rows[3]);
  CHECK(a[0] == "A");
  CHECK(a[1] == "1");
  CHECK(std::stod(b[1]) == doctest::Approx(0.7).epsilon(0.05));  // B is present 70% of the time
  CHECK(c[2] == "1");                                              // C is always critical
  // A (10..30) drives the completion more than C (2..4) without its risk delay... but C carries
  // the risk, whose delay dominates the tail: both correlate positively.
  CHECK(std::stod(a[3]) > 0.2);
  CHECK(std::stod(c[3]) > 0.2);
  CHECK(std::stod(a[12]) == doctest::Approx(20.0).epsilon(0.02));
}

TEST_CASE("sensitivity.csv lists every input against every headline outcome, strongest first, "
          "each Spearman's of the two raw columns bit for bit") {
  const ToyRepairModel model;
  TempDir dir("sensitivity");
  const BatchOptions options = options_for(2, 3000);
  const BatchResult result = run_batch(model, options);
  write_batch_outputs(model, result, options, dir.path);
  const auto rows = lines(read(dir.path / "sensitivity.csv"));
  CHECK(rows[0] == "input,outcome,spearman,ci_low,ci_high,significant");
  REQUIRE(rows.size() == 1 + 5 * 2);  // 5 inputs x 2 headline outcomes
  for (const std::size_t first : {std::size_t{1}, std::size_t{6}}) {
    double previous = 2.0;
    for (std::size_t i = first; i < first + 5; ++i) {
      const auto cells = split(rows[i]);
      CHECK(cells[1] == split(rows[first])[1]);
      if (cells[2].empty()) {
        CHECK(cells[0] == "constant");  // a constant input has no rank correlation: last
        continue;
      }
      const double rho = std::abs(std::stod(cells[2]));
      CHECK(rho <= previous);
      previous = rho;
    }
  }
  CHECK(split(rows[1])[1] == "pad_ready_day");
  // Oracle: spearman() of the input's values and the outcome's (censored as +inf). Input `b` is
  // empty without B, so its pairs are dropped and ranked anew against the outcome's ranks.
  bool some_input_has_gaps = false;
  std::size_t checked = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto cells = split(rows[r]);
    if (cells[2].empty()) continue;
    const auto input = static_cast<std::size_t>(
        std::find(model.inputs().begin(), model.inputs().end(), cells[0]) - model.inputs().begin());
    std::size_t j = 0;
    while (model.outcomes()[j].name != cells[1]) ++j;
    const std::vector<double> x = result.input_column(input);
    std::vector<double> y = result.outcome_column(j);
    if (model.outcomes()[j].censorable)
      for (double& v : y) v = std::isnan(v) ? std::numeric_limits<double>::infinity() : v;
    some_input_has_gaps |= std::any_of(x.begin(), x.end(), [](double v) { return std::isnan(v); });
    CAPTURE(rows[r]);
    CHECK(cells[2] == format_number(spearman(x, y)));
    ++checked;
  }
  CHECK(checked == 8);  // 4 non-constant inputs x 2 headline outcomes
  CHECK(some_input_has_gaps);
}

TEST_CASE("timeseries.csv has P10/P50/P90 of each series per day with its date") {
  const ToyRepairModel model;
  TempDir dir("timeseries");
  BatchOptions options = options_for(2, 1000);
  options.series_memory_bytes = 300 * 30 * 2 * sizeof(double);  // keep series of 300 replications
  const BatchResult result = run_batch(model, options);
  CHECK(result.series_replications == 300);
  write_batch_outputs(model, result, options, dir.path);
  const auto rows = lines(read(dir.path / "timeseries.csv"));
  CHECK(rows[0] == "day,date,series,p10,p50,p90,n");
  REQUIRE(rows.size() == 1 + 30 * 2);
  CHECK(rows[1] == "0,2025-11-27,stock,100,100,100,300");
  CHECK(rows[2] == "0,2025-11-27,crew,2,2,2,300");
  const auto day10 = split(rows[21]);
  CHECK(day10[1] == "2025-12-07");
  CHECK(std::stod(day10[4]) == doctest::Approx(100.0 - 2.5 * 10).epsilon(0.01));
  CHECK(read(dir.path / "run.json").find("\"series_replications\": 300") != std::string::npos);
}

TEST_CASE("the output files' working memory grows by 20 columns a thread, and is none for a bounded batch") {
  const ToyRepairModel model;
  BatchOptions options = options_for(1, 1000);
  // Held for several files: pad_ready_day's sorted values and ranks (a headline value), late's
  // ranks (a headline event), and one column more; b_share and the other outcome are not headline.
  const std::uint64_t held = 4;
  CHECK(outputs_memory_bytes(model, options) == 1000 * 8 * (held + 20));
  options.threads = 3;
  CHECK(outputs_memory_bytes(model, options) == 1000 * 8 * (held + 3 * 20));
  options.auto_runs = true;  // counted at its most
  options.max_replications = 5000;
  CHECK(outputs_memory_bytes(model, options) == 5000 * 8 * (held + 3 * 20));
  options.auto_runs = false;
  options.bounded = true;
  CHECK(outputs_memory_bytes(model, options) == 0);
}

TEST_CASE("timeseries.csv leaves out the replications without a value that day, wherever they fall") {
  // The first 100 replications fill every day; later ones leave cells empty (NaN), a few days
  // are empty in every replication, and some cells keep fewer than 256 values: the writer's
  // gathering and its selection both take each of their paths.
  const ToyRepairModel model;
  BatchOptions options = options_for(2, 300);
  BatchResult result = run_batch(model, options);
  REQUIRE(result.series_replications == 300);
  const std::size_t days = result.series_days;
  const std::size_t count = result.series_count;
  REQUIRE(count == 2);
  auto value = [&](std::size_t k, std::size_t d, std::size_t s) {
    if (d == 5 || d == 17) return std::numeric_limits<double>::quiet_NaN();
    if (k >= 100 && (k * 7 + d * 3 + s) % (d < 12 ? 11 : 2) == 0) return std::numeric_limits<double>::quiet_NaN();
    const double x = static_cast<double>((k * 2654435761u + d * 40503u + s * 977u) % 100003u) / 7.0;
    return s == 1 ? std::floor(x / 5000.0) : x;  // crew: a few whole values, with ties
  };
  for (std::size_t k = 0; k < 300; ++k)
    for (std::size_t d = 0; d < days; ++d)
      for (std::size_t s = 0; s < count; ++s) result.series[(k * days + d) * count + s] = value(k, d, s);
  TempDir dir("timeseries_gaps");
  write_batch_outputs(model, result, options, dir.path);
  const auto rows = lines(read(dir.path / "timeseries.csv"));
  REQUIRE(rows.size() == 1 + days * count);
  std::size_t few = 0;
  for (std::size_t d = 0; d < days; ++d)
    for (std::size_t s = 0; s < count; ++s) {
      std::vector<double> kept;
      for (std::size_t k = 0; k < 300; ++k)
        if (!std::isnan(value(k, d, s))) kept.push_back(value(k, d, s));
      std::sort(kept.begin(), kept.end());
      few += kept.size() < 256 && !kept.empty() ? 1 : 0;
      const auto cells = split(rows[1 + d * count + s]);
      CAPTURE(rows[1 + d * count + s]);
      CHECK(cells[6] == std::to_string(kept.size()));
      for (std::size_t i = 0; i < 3; ++i)
        CHECK(cells[3 + i] == (kept.empty() ? "" : format_number(percentile_sorted(kept, std::array{0.1, 0.5, 0.9}[i]))));
    }
  CHECK(few >= 10);
}

namespace {

/// Records which replications were asked to fill their series.
class SeriesAskModel final : public ToyRepairModel {
 public:
  explicit SeriesAskModel(std::size_t n) : asked_(n) {}
  void run(std::uint64_t seed, std::uint64_t replication, ReplicationResult& out,
           TraceSink* trace) const override {
    asked_[replication] = out.keep_series ? 1 : 0;
    ToyRepairModel::run(seed, replication, out, trace);
  }
  int asked(std::size_t k) const { return asked_[k]; }

 private:
  mutable std::vector<int> asked_;  // one writer per index
};

}  // namespace

TEST_CASE("a batch asks only the replications whose series it keeps to fill them") {
  const SeriesAskModel model(1000);
  BatchOptions options = options_for(2, 1000);
  options.series_memory_bytes = 300 * 30 * 2 * sizeof(double);
  const BatchResult result = run_batch(model, options);
  REQUIRE(result.series_replications == 300);
  for (std::size_t k = 0; k < 1000; ++k) {
    CAPTURE(k);
    CHECK(model.asked(k) == (k < 300 ? 1 : 0));
  }
}

TEST_CASE("a batch run in the memory of an earlier one gives that batch's result, in that memory") {
  const ToyRepairModel model;
  const BatchResult fresh = run_batch(model, options_for(2, 400));
  // Room larger than needed (its values must all be written again) is reused, not reallocated.
  BatchResult larger = run_batch(model, options_for(1, 1000));
  const double* room = larger.outcomes.data();
  const BatchResult in_larger = run_batch(model, options_for(2, 400), std::move(larger));
  check_same_result(in_larger, fresh);
  CHECK(in_larger.outcomes.data() == room);
  // Room too small, and a range of replications: the result of that range alone.
  check_same_result(run_batch(model, options_for(2, 400), run_batch(model, options_for(1, 10))), fresh);
  BatchOptions range = options_for(1, 100);
  range.first_replication = 300;
  const BatchResult alone = run_batch(model, range);
  const BatchResult in_room = run_batch(model, range, run_batch(model, options_for(2, 1000)));
  CHECK(in_room.first_replication == 300);
  check_same_result(in_room, alone);
}

TEST_CASE("statistics several outputs share are computed once and equal those computed apart") {
  const ToyRepairModel model;
  const BatchResult result = run_batch(model, options_for(2, 1500));
  const BatchStatistics statistics(model, result);
  // A headline value outcome's summary is kept: asked again (from several threads at once, as the
  // files ask), the same object; a rank likewise. Another outcome's summary is not kept.
  std::vector<const OutcomeSummary*> summaries(4);
  std::vector<const void*> ranks(4);
  {
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        summaries[t] = statistics.summary(0).get();  // pad_ready_day: headline, a value
        ranks[t] = &statistics.ranked(0);
      });
    for (std::thread& t : threads) t.join();
  }
  for (std::size_t t = 1; t < 4; ++t) {
    CHECK(summaries[t] == summaries[0]);
    CHECK(ranks[t] == ranks[0]);
  }
  CHECK(statistics.summary(2).get() != statistics.summary(2).get());  // b_share: not a headline
  // What they hold is what each computes alone, bit for bit.
  for (std::size_t j = 0; j < model.outcomes().size(); ++j) {
    CAPTURE(j);
    const EventCount kept = statistics.events(j), alone = event_count(result, j);
    CHECK(kept.n == alone.n);
    CHECK(kept.occurred == alone.occurred);
    if (model.outcomes()[j].kind != OutcomeKind::kValue) continue;
    const OutcomeSummary apart = outcome_summary(model, result, j);
    const std::shared_ptr<const OutcomeSummary> shared = statistics.summary(j);
    CHECK(shared->n == apart.n);
    CHECK(shared->censored == apart.censored);
    CHECK(padsim::test::same_values(shared->sorted, apart.sorted));
  }
  CHECK_THROWS_AS(statistics.events(model.outcomes().size()), Error);
}

TEST_CASE("--runs auto stops at a round boundary once the tolerance is met, on any thread count") {
  const NormalModel model(100.0, 15.0);
  BatchOptions options = options_for(1);
  options.auto_runs = true;
  options.round_size = 500;
  options.tolerance = 0.005;
  options.max_replications = 50000;
  const BatchResult one = run_batch(model, options);
  options.threads = 2;
  const BatchResult two = run_batch(model, options);
  CHECK(one.converged);
  CHECK(one.replications % 500 == 0);
  CHECK(one.replications == two.replications);
  CHECK(one.outcomes == two.outcomes);
  // Mean CI half-width 1.96 x 15 / sqrt(n) <= 0.5 needs n >= 3458; P90's CI needs more.
  CHECK(one.replications >= 3500);
  CHECK(converged(model, one, options.tolerance));
  // One round earlier it was not yet within tolerance.
  BatchOptions fixed = options_for(1, one.replications - 500);
  CHECK_FALSE(converged(model, run_batch(model, fixed), options.tolerance));

  options.tolerance = 1e-6;
  options.max_replications = 2000;
  const BatchResult capped = run_batch(model, options);
  CHECK_FALSE(capped.converged);
  CHECK(capped.replications == 2000);
  // The criteria say which statistic is not yet within tolerance.
  REQUIRE(capped.convergence.size() == 3);
  CHECK(capped.convergence[0].statistic == "mean");
  CHECK(capped.convergence[2].statistic == "p90");
  CHECK_FALSE(capped.convergence[0].ok);
  CHECK(capped.convergence[0].half_width > capped.convergence[0].allowed);
  for (const auto& c : one.convergence) CHECK(c.ok);
}

TEST_CASE("progress is reported on the calling thread") {
  const ToyRepairModel model;
  BatchOptions options = options_for(2, 20000);
  std::uint64_t last = 0;
  const auto caller = std::this_thread::get_id();
  bool same_thread = true;
  options.progress = [&](const BatchProgress& p) {
    same_thread = same_thread && std::this_thread::get_id() == caller;
    CHECK(p.done >= last);
    CHECK(p.done <= p.target);
    last = p.done;
  };
  run_batch(model, options);
  CHECK(same_thread);
}
