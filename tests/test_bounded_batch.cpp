// Bounded-memory batches: runs.csv and inputs.csv byte-identical to an exact batch's; summary.csv
// and the entity table within the sketch's stated error of the exact statistics; and files
// byte-identical for any thread count and any split into block-aligned ranges.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "default_scenario_support.hpp"
#include "padsim/bounded_batch.hpp"
#include "padsim/calendar.hpp"
#include "padsim/models/scenario.hpp"
#include "padsim/result_set.hpp"
#include "test_support.hpp"
#include "toy_models.hpp"

using namespace padsim;
using padsim::test::ToyRepairModel;
using padsim::test::options_for;
using padsim::test::TempDir;
using padsim::test::read;
using padsim::test::lines;
using padsim::test::cells;

namespace {

constexpr std::uint64_t kRuns = 2'500;

BatchOptions bounded_options(unsigned threads, std::uint64_t first = 0, std::uint64_t count = kRuns) {
  BatchOptions o = options_for(threads, count);
  o.bounded = true;
  o.first_replication = first;
  o.block_replications = 500;
  o.retained_replications = 1'200;
  return o;
}

/// Runs a bounded batch and writes its whole result set into `dir`.
BatchResult write_bounded(const Model& model, const BatchOptions& options, const std::filesystem::path& dir) {
  ResultSet set(dir);
  const RowStreams rows{&set.open("runs.csv"), &set.open("inputs.csv"), true};
  BatchResult result = run_bounded_batch(model, options, rows);
  write_batch_outputs(model, result, options, set);
  set.commit();
  return result;
}

// The two numbers agree as the sketch promises (percentiles) or to rounding (means): relative
// `tolerance`, both empty alike.
void check_number(const std::string& bounded, const std::string& exact, double tolerance) {
  REQUIRE(bounded.empty() == exact.empty());
  if (exact.empty()) return;
  const double b = std::stod(bounded), e = std::stod(exact);
  CHECK(std::abs(b - e) <= tolerance * std::max(1.0, std::abs(e)));
}

// summary.csv of a bounded batch against the exact one: the same rows, counts and flags; means to
// rounding, percentiles and their CI bounds within the sketch's relative error.
void check_summary(const std::filesystem::path& exact_dir, const std::filesystem::path& bounded_dir) {
  const auto exact_rows = lines(read(exact_dir / "summary.csv"));
  const auto bounded_rows = lines(read(bounded_dir / "summary.csv"));
  REQUIRE(exact_rows.size() == bounded_rows.size());
  for (std::size_t r = 1; r < exact_rows.size(); ++r) {
    CAPTURE(exact_rows[r]);
    const auto e = cells(exact_rows[r]), b = cells(bounded_rows[r]);
    REQUIRE(e.size() == b.size());
    CHECK(b[0] == e[0]);
    CHECK(b[2] == e[2]);
    CHECK(b[6] == e[6]);  // n
    CHECK(b[7] == e[7]);  // censored
    CHECK(b[8] == e[8]);  // flag
    const bool percentile = e[2].size() > 1 && e[2][0] == 'p' && e[2] != "probability";
    const double tolerance = percentile ? QuantileSketch::kRelativeError : 1e-12;
    for (const std::size_t c : {3u, 4u, 5u}) check_number(b[c], e[c], tolerance);
  }
}

}  // namespace

TEST_CASE("a bounded batch writes the exact batch's runs and inputs, and statistics within the sketch's error") {
  const ToyRepairModel model;
  TempDir exact_dir("bounded_exact"), bounded_dir("bounded");
  const BatchOptions exact_options = options_for(2, kRuns);
  write_batch_outputs(model, run_batch(model, exact_options), exact_options, exact_dir.path);
  const BatchResult bounded = write_bounded(model, bounded_options(2), bounded_dir.path);

  CHECK(total_replications(bounded) == kRuns);
  CHECK(bounded.replications == 1'200);  // retained
  CHECK(read(bounded_dir.path / "runs.csv") == read(exact_dir.path / "runs.csv"));
  CHECK(read(bounded_dir.path / "inputs.csv") == read(exact_dir.path / "inputs.csv"));
  check_summary(exact_dir.path, bounded_dir.path);

  // The task table: shares and criticality exact, means to rounding, percentiles within the error.
  const auto exact_tasks = lines(read(exact_dir.path / "tasks.csv"));
  const auto bounded_tasks = lines(read(bounded_dir.path / "tasks.csv"));
  REQUIRE(exact_tasks.size() == bounded_tasks.size());
  const auto header = cells(exact_tasks[0]);
  for (std::size_t r = 1; r < exact_tasks.size(); ++r) {
    const auto e = cells(exact_tasks[r]), b = cells(bounded_tasks[r]);
    for (std::size_t c = 0; c < header.size(); ++c) {
      CAPTURE(header[c]);
      if (header[c] == "cruciality") continue;  // a rank correlation: from the retained 1,200
      if (header[c].find("_p") != std::string::npos)
        check_number(b[c], e[c], QuantileSketch::kRelativeError);
      else if (header[c].find("_mean") != std::string::npos || header[c] == "ssi")  // moments
        check_number(b[c], e[c], 1e-12);
      else
        CHECK(b[c] == e[c]);
    }
  }
  CHECK(read(bounded_dir.path / "run.json").find("\"statistics\": \"bounded\"") != std::string::npos);
}

TEST_CASE("a bounded batch's files do not depend on the thread count or on a block-aligned split") {
  const ToyRepairModel model;
  TempDir one("bounded_t1"), three("bounded_t3"), split("bounded_split");
  write_bounded(model, bounded_options(1), one.path);
  write_bounded(model, bounded_options(3), three.path);

  // Two ranges, as two processes run them: each writes its rows, the root joins them in order;
  // the statistics travel as words (serialize) and merge.
  std::ostringstream runs_a, inputs_a, runs_b, inputs_b;
  BatchResult a = run_bounded_batch(model, bounded_options(2, 0, 1'000), {&runs_a, &inputs_a, true});
  BatchResult b = run_bounded_batch(model, bounded_options(1, 1'000, kRuns - 1'000), {&runs_b, &inputs_b, false});
  const std::vector<std::uint64_t> words = b.streamed->serialize();
  b.streamed = std::make_shared<StreamedStatistics>(StreamedStatistics::deserialize(words));
  const BatchResult merged = merge_batch_results({a, b});
  CHECK(total_replications(merged) == kRuns);
  CHECK(merged.replications == 1'200);
  {
    ResultSet set(split.path);
    set.open("runs.csv") << runs_a.str() << runs_b.str();
    set.open("inputs.csv") << inputs_a.str() << inputs_b.str();
    write_batch_outputs(model, merged, bounded_options(2), set);
    set.commit();
  }
  for (const std::string file : {"runs.csv", "inputs.csv", "summary.csv", "tasks.csv",
                                 "sensitivity.csv", "timeseries.csv", "columns.csv"}) {
    CAPTURE(file);
    CHECK(read(three.path / file) == read(one.path / file));
    CHECK(read(split.path / file) == read(one.path / file));
  }
  CHECK_THROWS_AS(run_bounded_batch(model, bounded_options(1, 700, 100), {}), Error);  // not on a block
}

TEST_CASE("the default scenario's bounded summary matches its exact one within the sketch's error") {
  // Its pad_ready_day has the two regimes (reserve cabin, new cabin) with a plateau between them.
  const auto model = models::load_scenario_file(padsim::test::scenarios::kDefaultScenario);
  TempDir exact_dir("bounded_default_exact"), bounded_dir("bounded_default");
  const BatchOptions exact_options = options_for(2, 1'500);
  write_batch_outputs(*model, run_batch(*model, exact_options), exact_options, exact_dir.path);
  BatchOptions options = bounded_options(2, 0, 1'500);
  options.retained_replications = 1'500;  // every replication: correlations and series as exact
  write_bounded(*model, options, bounded_dir.path);
  check_summary(exact_dir.path, bounded_dir.path);
  for (const std::string file : {"runs.csv", "inputs.csv", "sensitivity.csv", "timeseries.csv"}) {
    CAPTURE(file);
    CHECK(read(bounded_dir.path / file) == read(exact_dir.path / file));
  }
}

TEST_CASE("--dates adds a UTC date column per day outcome to runs.csv, in exact and bounded batches alike") {
  const ToyRepairModel model;  // pad_ready_day is its one outcome in days; epoch 2025-11-27T09:28Z
  TempDir plain_dir("dates_plain"), exact_dir("dates_exact"), bounded_dir("dates_bounded");
  BatchOptions options = options_for(2, 1'200);
  write_batch_outputs(model, run_batch(model, options), options, plain_dir.path);
  options.dates = true;
  write_batch_outputs(model, run_batch(model, options), options, exact_dir.path);
  BatchOptions bounded = bounded_options(2, 0, 1'200);
  bounded.dates = true;
  write_bounded(model, bounded, bounded_dir.path);
  CHECK(read(bounded_dir.path / "runs.csv") == read(exact_dir.path / "runs.csv"));

  const auto plain = lines(read(plain_dir.path / "runs.csv"));
  const auto dated = lines(read(exact_dir.path / "runs.csv"));
  REQUIRE(dated.size() == plain.size());
  CHECK(dated[0] == plain[0] + ",date:pad_ready_day");
  const Calendar calendar(model.epoch());
  std::size_t censored = 0;
  for (std::size_t r = 1; r < dated.size(); ++r) {
    // The row is the plain row and one more cell: the date of its pad_ready_day (column 2).
    REQUIRE(dated[r].starts_with(plain[r] + ","));
    const std::string day = cells(plain[r])[2];
    const std::string date = dated[r].substr(plain[r].size() + 1);
    if (day.empty()) ++censored;
    CHECK(date == (day.empty() ? "" : calendar.date(std::stod(day))));
  }
  CHECK(censored > 0);  // the empty case was met
  CHECK(calendar.date(30.0) == "2025-12-27");  // 09:28 on the 27th plus 30 days
  CHECK(calendar.date(29.7) == "2025-12-27");  // ... and 02:16 the same day
  CHECK(read(exact_dir.path / "columns.csv").find("runs.csv,date:pad_ready_day,date,text,") != std::string::npos);
}

TEST_CASE("an outcome's moments without its summary equal the summary's, bit for bit, exact and bounded") {
  const ToyRepairModel model;
  const BatchResult exact = run_batch(model, options_for(2, kRuns));
  const BatchResult bounded = run_bounded_batch(model, bounded_options(2), {});
  for (const BatchResult* result : {&exact, &bounded}) {
    for (std::size_t j = 0; j < model.outcomes().size(); ++j) {
      CAPTURE(j);
      const RunningStats::State summary = outcome_summary(model, *result, j).reached.state();
      const RunningStats::State moments = outcome_moments(*result, j).state();
      CHECK(moments.n == summary.n);
      CHECK(moments.n > 0);
      for (const auto& [a, b] : {std::pair{moments.mean, summary.mean}, std::pair{moments.m2, summary.m2},
                                 std::pair{moments.min, summary.min}, std::pair{moments.max, summary.max}})
        CHECK(std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b));
    }
  }
  // Some outcome has cells without a value (b_share without B), which neither counts.
  CHECK(outcome_moments(exact, 2).count() < kRuns);
}
