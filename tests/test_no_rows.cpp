// Batches without rows (BatchOptions::rows false, `padsim run --no-rows`): the statistics files
// byte for byte as with rows, no runs.csv or inputs.csv (an earlier set's removed from the
// directory, as tasks_runs.csv is without --task-runs), in exact, bounded and checkpointed bounded
// batches; the command line refuses --dates with it.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "padsim/bounded_batch.hpp"
#include "padsim/checkpoint.hpp"
#include "padsim/result_set.hpp"
#include "test_support.hpp"
#include "toy_models.hpp"

using namespace padsim;
using padsim::test::options_for;
using padsim::test::read;
using padsim::test::TempDir;
using padsim::test::ToyRepairModel;

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kStatisticsFiles = {"summary.csv", "tasks.csv", "sensitivity.csv",
                                                   "timeseries.csv"};

BatchOptions no_rows_bounded(unsigned threads) {
  BatchOptions o = options_for(threads, 1'300);
  o.bounded = true;
  o.block_replications = 500;
  o.retained_replications = 800;
  return o;
}

/// A bounded batch (checkpointed in `checkpoint` when given) published into `dir`, its rows into
/// the set when `options.rows`.
void publish_bounded(const Model& model, const BatchOptions& options, const fs::path& dir,
                     const BatchCheckpoint* checkpoint = nullptr) {
  ResultSet set(dir);
  const RowStreams rows = options.rows ? RowStreams{&set.open("runs.csv"), &set.open("inputs.csv"), true}
                                       : RowStreams{};
  const BatchResult result = checkpoint ? run_checkpointed_bounded_batch(model, options, *checkpoint, rows)
                                        : run_bounded_batch(model, options, rows);
  write_batch_outputs(model, result, options, set);
  set.commit();
}

/// The `file,` rows of columns.csv (the columns it documents for `file`).
std::size_t documented_columns(const fs::path& dir, const std::string& file) {
  std::size_t n = 0;
  for (const std::string& row : padsim::test::lines(read(dir / "columns.csv")))
    n += row.rfind(file + ",", 0) == 0 ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("without rows an exact batch writes its statistics files byte for byte and no row file") {
  const ToyRepairModel model;
  TempDir with("no_rows_with"), without("no_rows_without");
  BatchOptions options = options_for(2, 1'000);
  const BatchResult result = run_batch(model, options);
  write_batch_outputs(model, result, options, with.path);
  options.entity_runs = true;
  write_batch_outputs(model, result, options, without.path);  // an earlier set with rows...
  REQUIRE(fs::exists(without.path / "runs.csv"));
  REQUIRE(fs::exists(without.path / "tasks_runs.csv"));
  options.entity_runs = false;
  options.rows = false;
  write_batch_outputs(model, result, options, without.path);  // ...whose rows must not stay
  CHECK(!fs::exists(without.path / "runs.csv"));
  CHECK(!fs::exists(without.path / "inputs.csv"));
  CHECK(!fs::exists(without.path / "tasks_runs.csv"));
  for (const std::string& file : kStatisticsFiles) {
    CAPTURE(file);
    CHECK(read(without.path / file) == read(with.path / file));
  }
  CHECK(documented_columns(with.path, "runs.csv") > 0);
  CHECK(documented_columns(without.path, "runs.csv") == 0);
  CHECK(documented_columns(without.path, "inputs.csv") == 0);
  CHECK(documented_columns(without.path, "summary.csv") == documented_columns(with.path, "summary.csv"));
  const std::vector<std::string> files = batch_output_files(model, options);
  CHECK(std::find(files.begin(), files.end(), "runs.csv") == files.end());
  CHECK(read(without.path / "run.json").find("\"runs.csv\"") == std::string::npos);
}

TEST_CASE("without rows a bounded batch, checkpointed or not, writes the same statistics and no row file") {
  const ToyRepairModel model;
  TempDir root("no_rows_bounded");
  const BatchOptions with = no_rows_bounded(2);
  BatchOptions without = no_rows_bounded(1);
  without.rows = false;
  publish_bounded(model, with, root.path / "with");
  publish_bounded(model, without, root.path / "without");
  const BatchCheckpoint checkpoint =
      BatchCheckpoint::create(root.path / "ck", {{"seed", "42"}, {"--bounded-memory", "--no-rows"}}, 500);
  publish_bounded(model, without, root.path / "checkpointed", &checkpoint);
  CHECK(checkpoint.blocks_done() == 3);
  for (const auto& entry : fs::directory_iterator(root.path / "ck")) {
    CAPTURE(entry.path());
    CHECK(entry.path().filename().string().rfind("rows-", 0) != 0);  // no row text recorded
  }
  for (const char* dir : {"without", "checkpointed"}) {
    CHECK(!fs::exists(root.path / dir / "runs.csv"));
    CHECK(!fs::exists(root.path / dir / "inputs.csv"));
    for (const std::string& file : kStatisticsFiles) {
      CAPTURE(file);
      CHECK(read(root.path / dir / file) == read(root.path / "with" / file));
    }
  }
}

TEST_CASE("padsim run --no-rows leaves the row files out, and refuses --dates beside it") {
  TempDir root("no_rows_cli");
  const auto run = padsim::test::run_padsim("run --quiet --runs 50 --seed 3 --no-rows --out out", root.path);
  REQUIRE(run.status == 0);
  CHECK(fs::exists(root.path / "out" / "summary.csv"));
  CHECK(!fs::exists(root.path / "out" / "runs.csv"));
  const auto refused = padsim::test::run_padsim("run --quiet --runs 50 --no-rows --dates --out other", root.path);
  CHECK(refused.status == 2);
  CHECK(refused.err.find("--dates adds columns to runs.csv, which --no-rows leaves out") != std::string::npos);
  CHECK(!fs::exists(root.path / "other"));
}
