// Per-entity tables: a model declares its own table (entities, fields, statistics) and the batch
// writes it as declared, with every statistic hand-computed here.
#include <doctest/doctest.h>

#include <cmath>

#include <stdexcept>
#include <string>
#include <vector>

#include "padsim/batch.hpp"
#include "padsim/csv.hpp"
#include "padsim/error.hpp"
#include "padsim/models/task_table.hpp"
#include "padsim/output_writer.hpp"
#include "test_support.hpp"

using namespace padsim;
using padsim::test::read;
using padsim::test::TempDir;

namespace {

/// A workshop with three machines, without randomness: replication k (0-3) reports
///   saw:   hours k + 1,              busy k % 2
///   press: hours empty, 30, 20, 10,  busy empty, 1, 1, 1
///   lathe: hours always empty,       busy 0
/// and the outcome makespan 5, 7, 6, 8.
class WorkshopModel : public Model {
 public:
  WorkshopModel() {
    outcomes_ = {{"makespan", "hours", OutcomeKind::kValue, true, false, "when the last job is done"}};
    using S = EntityStatistic;
    EntityTable machines;
    machines.file_name = "machines.csv";
    machines.entity_column = "machine";
    machines.entities = {"saw", "press", "lathe"};
    machines.fields = {"hours", "busy"};
    machines.columns = {{"used", S::kShareNumber, 0, 0.0, ""},
                        {"busy_share", S::kShareNonzero, 1, 0.0, ""},
                        {"importance", S::kRankCorrelation, 0, 0.0, "makespan"},
                        {"hours_mean", S::kMean, 0, 0.0, ""},
                        {"hours_p25", S::kPercentile, 0, 0.25, ""},
                        {"hours_p50", S::kPercentile, 0, 0.5, ""},
                        {"hours_running_mean", S::kRunningMean, 0, 0.0, ""},
                        {"ssi", S::kSensitivityIndex, 0, 0.0, "makespan", 1}};
    tables_ = {machines};
  }

  const std::vector<OutcomeInfo>& outcomes() const override { return outcomes_; }
  const std::vector<std::string>& inputs() const override { return none_; }
  const std::vector<EntityTable>& entity_tables() const override { return tables_; }
  const std::vector<std::string>& series_names() const override { return none_; }
  std::string epoch() const override { return "2025-01-01"; }
  Time horizon() const override { return 100.0; }

  void run(std::uint64_t, std::uint64_t replication, ReplicationResult& out, TraceSink*) const override {
    out.outcomes[0] = std::vector<double>{5.0, 7.0, 6.0, 8.0}.at(replication);
    if (tables_.empty()) return;
    const auto k = static_cast<double>(replication);
    std::vector<double>& cells = out.tables[0];  // machine m, field f at m * 2 + f
    cells[0] = k + 1.0;
    cells[1] = static_cast<double>(replication % 2);
    if (replication > 0) {
      cells[2] = 40.0 - 10.0 * k;
      cells[3] = 1.0;
    }
    cells[5] = 0.0;
  }

  std::vector<EntityTable> tables_;

 private:
  std::vector<OutcomeInfo> outcomes_;
  std::vector<std::string> none_;
};

/// Two tasks over replications k = 0-10: A starts at 0 and takes k days (critical from k = 5);
/// B, present in odd replications only, runs days 1-6 and is never critical. The outcome "done"
/// is 10 + k.
class TwoTaskModel : public Model {
 public:
  explicit TwoTaskModel(std::vector<std::string> names = {}) {
    outcomes_ = {{"done", "day", OutcomeKind::kValue, true, false, ""}};
    tables_ = {models::task_table({"A", "B"}, "done", std::move(names))};
  }
  const std::vector<OutcomeInfo>& outcomes() const override { return outcomes_; }
  const std::vector<std::string>& inputs() const override { return none_; }
  const std::vector<EntityTable>& entity_tables() const override { return tables_; }
  const std::vector<std::string>& series_names() const override { return none_; }
  std::string epoch() const override { return "2025-01-01"; }
  Time horizon() const override { return 100.0; }
  void run(std::uint64_t, std::uint64_t replication, ReplicationResult& out, TraceSink*) const override {
    const auto k = static_cast<double>(replication);
    out.outcomes[0] = 10.0 + k;
    models::set_task_record(out.tables[models::kTaskTable], 0, {0.0, k, k, replication >= 5});
    if (replication % 2 == 1)
      models::set_task_record(out.tables[models::kTaskTable], 1, {1.0, 6.0, 5.0, false});
  }

 private:
  std::vector<OutcomeInfo> outcomes_;
  std::vector<EntityTable> tables_;
  std::vector<std::string> none_;
};

BatchOptions four_runs(unsigned threads) {
  BatchOptions options;
  options.replications = 4;
  options.threads = threads;
  options.chunk_size = 1;
  return options;
}

}  // namespace

TEST_CASE("a table a model declares is written as declared, one row per entity") {
  const WorkshopModel model;
  // importance: ranks of saw's hours 1 2 3 4 and of press's (empty as 0) 1 4 3 2 against the
  // makespan's 1 3 2 4 give Spearman 4/5 and 2/5; the lathe's constant zeros correlate with
  // nothing. hours_p25 interpolates (type 7): saw 1 + 0.75, press 10 + 0.5 x 10. ssi: busy share
  // x sd(hours) / sd(makespan) = sqrt(5/3): saw 0.5 x sqrt(5/3) / sqrt(5/3), press 0.75 x 10 /
  // sqrt(5/3); the lathe's hours have no sd.
  const std::string expected =
      "machine,used,busy_share,importance,hours_mean,hours_p25,hours_p50,hours_running_mean,ssi\r\n"
      "saw,1,0.5,0.8,2.5,1.75,2.5,2.5,0.5\r\n"
      "press,0.75,0.75,0.4,20,15,20,20," + format_number(0.75 * 10.0 / std::sqrt(5.0 / 3.0)) + "\r\n"
      "lathe,0,0,,,,,,\r\n";
  for (const unsigned threads : {1u, 2u}) {
    CAPTURE(threads);
    TempDir dir("entity_table");
    const BatchOptions options = four_runs(threads);
    write_batch_outputs(model, run_batch(model, options), options, dir.path);
    CHECK(read(dir.path / "machines.csv") == expected);
    CHECK(read(dir.path / "run.json").find(R"("files": ["runs.csv", "inputs.csv", "summary.csv", "machines.csv", )"
                                           R"("sensitivity.csv", "timeseries.csv", "columns.csv", "run.json"])") !=
          std::string::npos);
  }
  CHECK(batch_output_files(model) == std::vector<std::string>{"runs.csv", "inputs.csv", "summary.csv",
                                                              "machines.csv", "sensitivity.csv",
                                                              "timeseries.csv", "columns.csv", "run.json"});
}

TEST_CASE("a model without tables writes only the fixed files") {
  WorkshopModel model;
  model.tables_.clear();
  CHECK(batch_output_files(model) ==
        std::vector<std::string>{"runs.csv", "inputs.csv", "summary.csv", "sensitivity.csv", "timeseries.csv", "columns.csv", "run.json"});
  const BatchResult result = run_batch(model, four_runs(1));
  CHECK(result.tables.empty());
}

TEST_CASE("a table's cells are stored per replication and merged like every other column") {
  const WorkshopModel model;
  BatchOptions head = four_runs(1), tail = four_runs(2);
  head.replications = 1;
  tail.first_replication = 1;
  tail.replications = 3;
  const BatchResult whole = run_batch(model, four_runs(2));
  REQUIRE(whole.table_cells == std::vector<std::size_t>{6});
  REQUIRE(whole.tables.size() == 1);
  CHECK(whole.tables[0][6 * 3 + 0] == 4.0);   // saw's hours in replication 3
  CHECK(whole.tables[0][6 * 3 + 2] == 10.0);  // press's hours in replication 3
  const BatchResult merged = merge_batch_results({run_batch(model, head), run_batch(model, tail)});
  REQUIRE(merged.tables.size() == 1);
  CHECK(merged.tables[0].size() == whole.tables[0].size());
  for (std::size_t i = 0; i < whole.tables[0].size(); ++i) {
    CAPTURE(i);
    const double a = merged.tables[0][i], b = whole.tables[0][i];
    CHECK(((a == b) || (a != a && b != b)));
  }
}

TEST_CASE("an inconsistent table declaration is refused before any replication runs") {
  const auto refused = [](const char* what, auto change, const std::string& message) {
    CAPTURE(what);
    WorkshopModel model;
    change(model.tables_[0]);
    try {
      run_batch(model, four_runs(1));
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(std::string(e.what()) == message);
    }
  };
  refused("field", [](EntityTable& t) { t.columns[1].field = 2; },
          "entity table 'machines.csv': column 'busy_share' reads field 2 of 2");
  refused("outcome", [](EntityTable& t) { t.columns[2].outcome = "cost"; },
          "entity table 'machines.csv': column 'importance' correlates with 'cost', not an outcome");
  refused("flag field", [](EntityTable& t) { t.columns[7].flag_field = 2; },
          "entity table 'machines.csv': column 'ssi' reads flag field 2 of 2");
  refused("percentile", [](EntityTable& t) { t.columns[4].p = 1.5; },
          "entity table 'machines.csv': column 'hours_p25' asks for a percentile outside [0, 1]");
  refused("file name", [](EntityTable& t) { t.file_name = "summary.csv"; },
          "entity table 'summary.csv': has the name of another output file");
  refused("no file name", [](EntityTable& t) { t.file_name.clear(); }, "entity table '': has no file name");
}

TEST_CASE("a replication reporting a table of another size fails the batch") {
  struct Short : WorkshopModel {
    void run(std::uint64_t seed, std::uint64_t k, ReplicationResult& out, TraceSink* trace) const override {
      WorkshopModel::run(seed, k, out, trace);
      out.tables[0].pop_back();
    }
  } model;
  CHECK_THROWS_WITH_AS(run_batch(model, four_runs(1)),
                       doctest::Contains("model reported 5 table cells but declares 6"), Error);
}

TEST_CASE("the repair's task table gives tasks.csv its columns: an exact case") {
  const TwoTaskModel model;
  TempDir dir("task_table");
  BatchOptions options = four_runs(2);
  options.replications = 11;  // (11 - 1) x 0.1 is whole: P10, P50 and P90 are order statistics
  write_batch_outputs(model, run_batch(model, options), options, dir.path);
  // A's duration k ranks exactly as the outcome: cruciality 1. B's duration is 5 in odd
  // replications and 0 (removed) in even ones, which are spread evenly over the outcome's ranks:
  // cruciality 0. Finish of A: 0..10, mean 5, P10 1, P50 5, P90 9. ssi: A's duration and the
  // outcome have the same sd, so A's is its criticality 6/11; B is never critical and constant: 0.
  const std::string expected =
      "task,present,criticality,cruciality,start_mean,start_p10,start_p50,start_p90,finish_mean,"
      "finish_p10,finish_p50,finish_p90,duration_mean,ssi\r\n"
      "A,1," + format_number(6.0 / 11.0) + ",1,0,0,0,0,5,1,5,9,5," + format_number(6.0 / 11.0) + "\r\n"
      "B," + format_number(5.0 / 11.0) + ",0,0,1,1,1,1,6,6,6,6,5,0\r\n";
  CHECK(read(dir.path / "tasks.csv") == expected);
}

TEST_CASE("task names stand beside their ids in tasks.csv, and columns.csv says what an empty name means") {
  const TwoTaskModel model({"Survey, the trench", ""});
  TempDir dir("task_names");
  BatchOptions options = four_runs(1);
  options.replications = 11;
  write_batch_outputs(model, run_batch(model, options), options, dir.path);
  const std::string text = read(dir.path / "tasks.csv");
  CHECK(text.starts_with("task,name,present,criticality,cruciality,start_mean,"));
  CHECK(text.find("\r\nA,\"Survey, the trench\",1," + format_number(6.0 / 11.0) + ",1,") != std::string::npos);
  CHECK(text.find("\r\nB,," + format_number(5.0 / 11.0) + ",0,0,") != std::string::npos);
  const std::string columns = read(dir.path / "columns.csv");
  CHECK(columns.find("tasks.csv,name,,text,the scenario gives it no name,") != std::string::npos);
}
