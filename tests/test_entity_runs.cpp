// An entity table replication by replication (EntityTable::run_fields, BatchOptions::entity_runs):
// tasks_runs.csv of `padsim run --task-runs`, one row per replication and task.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_support.hpp"
#include "padsim/models/scenario.hpp"
#include "padsim/models/task_table.hpp"
#include "padsim/output_writer.hpp"
#include "test_support.hpp"

using namespace padsim;
using padsim::test::read;
using padsim::test::TempDir;

namespace {


const std::string kSite31 = std::string(PADSIM_SOURCE_DIR) + "/experiments/site31-repair.toml";

BatchOptions options(std::uint64_t replications, unsigned threads, bool entity_runs = true) {
  BatchOptions o;
  o.seed = 20251127;
  o.replications = replications;
  o.threads = threads;
  o.entity_runs = entity_runs;
  return o;
}

/// The batch's tasks_runs.csv, written through write_batch_outputs.
std::string task_runs(const Model& model, const BatchOptions& o, const std::string& name) {
  TempDir dir(name);
  write_batch_outputs(model, run_batch(model, o), o, dir.path);
  return read(dir.path / "tasks_runs.csv");
}

std::vector<std::vector<std::string>> rows_of(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::stringstream s(text);
  for (std::string line; std::getline(s, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    rows.push_back(padsim::test::cells(line));
  }
  return rows;
}

struct TaskEvents : TraceSink {
  std::map<std::string, std::pair<double, double>> times;  // task -> (start, finish)
  void event(Time t, std::string_view event, std::string_view subject, std::string_view) override {
    if (event == "task_start") times[std::string(subject)].first = t;
    if (event == "task_finish") times[std::string(subject)].second = t;
  }
};

}  // namespace

TEST_CASE("two fixed tasks linked finish-to-start with a lag give their exact start and finish in every replication") {
  // A takes 5 days from day 0; B starts 2 days after A finishes (day 7) and takes 3 days.
  const auto model = models::load_scenario(padsim::test::kRepairScenarioHead + R"([[repair.r.task]]
id = "A"
duration = 5

[[repair.r.task]]
id = "B"
duration = 3
after = ["A FS+2"]
)",
                                           "s.toml");
  CHECK(task_runs(*model, options(3, 1), "fixed") ==
        "replication,task,start,finish\r\n"
        "0,A,0,5\r\n0,B,7,10\r\n"
        "1,A,0,5\r\n1,B,7,10\r\n"
        "2,A,0,5\r\n2,B,7,10\r\n");
}

TEST_CASE("a task a branch removed has empty start and finish cells, and columns.csv says why") {
  const auto model = models::load_scenario(padsim::test::kRepairScenarioHead + R"([[repair.r.task]]
id = "A"
duration = 1

[[repair.r.task]]
id = "B"
duration = 2
after = ["A"]

[[repair.r.task]]
id = "C"
duration = 4
after = ["A"]

[[repair.r.branch]]
id = "pick"
after = "A"
alternatives = ["B", "C"]
probabilities = [0, 1]
)",
                                           "s.toml");
  const BatchOptions o = options(2, 1);
  TempDir dir("branch");
  write_batch_outputs(*model, run_batch(*model, o), o, dir.path);
  CHECK(read(dir.path / "tasks_runs.csv") ==
        "replication,task,start,finish\r\n"
        "0,A,0,1\r\n0,B,,\r\n0,C,1,5\r\n"
        "1,A,0,1\r\n1,B,,\r\n1,C,1,5\r\n");
  const std::string columns = read(dir.path / "columns.csv");
  CHECK(columns.find("tasks_runs.csv,task,,id,,") != std::string::npos);
  CHECK(columns.find("tasks_runs.csv,start,day,value,\"the task did not run in this replication (a branch removed it, "
                     "or no repair: --no-incident)\"") != std::string::npos);
}

TEST_CASE("the file is written and listed only when asked, right after its table's file") {
  const auto model = models::load_scenario_file(kSite31);
  const auto plain = batch_output_files(*model);
  CHECK(std::find(plain.begin(), plain.end(), "tasks_runs.csv") == plain.end());
  const auto asked = batch_output_files(*model, options(1, 1));
  const auto tasks = std::find(asked.begin(), asked.end(), "tasks.csv");
  REQUIRE(tasks + 1 < asked.end());
  CHECK(*(tasks + 1) == "tasks_runs.csv");
  CHECK(asked.size() == plain.size() + 1);

  TempDir dir("listed");
  write_batch_outputs(*model, run_batch(*model, options(4, 1)), options(4, 1), dir.path);
  CHECK(read(dir.path / "run.json").find("\"tasks_runs.csv\"") != std::string::npos);
  TempDir none("unlisted");
  write_batch_outputs(*model, run_batch(*model, options(4, 1, false)), options(4, 1, false), none.path);
  CHECK(!std::filesystem::exists(none.path / "tasks_runs.csv"));
  CHECK(read(none.path / "run.json").find("tasks_runs.csv") == std::string::npos);
}

TEST_CASE("a table's per-replication file is named after the table") {
  EntityTable t;
  t.file_name = "steps.csv";
  CHECK(t.runs_file_name() == "steps_runs.csv");
  t.file_name = "steps";
  CHECK(t.runs_file_name() == "steps_runs");
}

TEST_CASE("a replication's rows equal the task starts and finishes its replay traces") {
  const auto model = models::load_scenario_file(kSite31);
  const BatchOptions o = options(40, 2);
  const auto rows = rows_of(task_runs(*model, o, "replay"));
  const auto& ids = models::task_ids(*model);
  REQUIRE(rows.size() == 1 + 40 * ids.size());
  for (const std::uint64_t k : {0u, 17u, 39u}) {
    CAPTURE(k);
    TaskEvents trace;
    const ReplicationResult replayed = replay(*model, o.seed, k, &trace);
    for (std::size_t t = 0; t < ids.size(); ++t) {
      const auto& row = rows[1 + k * ids.size() + t];
      REQUIRE(row.size() == 4);
      CHECK(row[0] == std::to_string(k));
      CHECK(row[1] == ids[t]);
      const auto it = trace.times.find(ids[t]);
      if (it == trace.times.end()) {  // removed by the branch: no events, empty cells
        CHECK(row[2].empty());
        CHECK(row[3].empty());
        continue;
      }
      // The shortest text that reads back to the same double: equal, not approximately.
      CHECK(std::stod(row[2]) == it->second.first);
      CHECK(std::stod(row[3]) == it->second.second);
      CHECK(std::stod(row[2]) == models::task_records(replayed)[t].start);
    }
  }
}

TEST_CASE("tasks_runs.csv written in parts on 2 threads equals the 1-thread file, byte for byte") {
  const auto model = models::load_scenario_file(kSite31);
  const std::string one = task_runs(*model, options(4500, 1), "parts1");  // > one part of 512 rows
  CHECK(one == task_runs(*model, options(4500, 2), "parts2"));
  CHECK(rows_of(one).size() == 1 + 4500 * models::task_ids(*model).size());
}

TEST_CASE("--task-runs writes tasks_runs.csv, and with --bounded-memory is refused as bad input") {
  TempDir dir("task_runs_cli");
  const auto ok = padsim::test::run_padsim("run '" + kSite31 + "' --runs 5 -q --task-runs --out out", dir.path);
  CHECK(ok.status == 0);
  CHECK(std::filesystem::exists(dir.path / "out" / "tasks_runs.csv"));
  CHECK(ok.out.find("tasks_runs.csv") != std::string::npos);
  const auto refused =
      padsim::test::run_padsim("run '" + kSite31 + "' --runs 5 -q --task-runs --bounded-memory --out b", dir.path);
  CHECK(refused.status == 2);
  CHECK(refused.err.find("padsim: error: --task-runs needs an exact batch") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.path / "b"));
}
