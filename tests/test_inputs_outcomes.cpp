// inputs.csv's branch and risk outcomes: `branch:<id>` (the 0-based alternative kept) and
// `risk:<id>` (1 occurred, 0 not) after a repair's durations, in the repair-only and the station
// model, with what columns.csv says of them.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "padsim/models/scenario.hpp"
#include "padsim/models/task_table.hpp"
#include "padsim/output_writer.hpp"
#include "test_support.hpp"

using namespace padsim;

namespace {


// A -> (B | C) -> D: the branch `pick` after A keeps B (10 days) or C (30 days); the risk `late`
// adds exactly 5 days to D (fixed 20 days).
std::string repair(const std::string& probabilities, const std::string& risk_probability) {
  return padsim::test::kRepairScenarioHead + R"([[repair.r.task]]
id = "A"
duration = { uniform = [1, 3] }

[[repair.r.task]]
id = "B"
duration = 10
after = ["A"]

[[repair.r.task]]
id = "C"
duration = 30
after = ["A"]

[[repair.r.task]]
id = "D"
duration = 20
after = ["B", "C"]

[[repair.r.branch]]
id = "pick"
after = "A"
alternatives = ["B", "C"]
probabilities = )" + probabilities + R"(

[[repair.r.risk]]
id = "late"
probability = )" + risk_probability + R"(
impacts = [{ task = "D", days = 5 }]
)";
}

const std::vector<std::string> kInputs = {"duration:A", "duration:B", "duration:C", "duration:D", "branch:pick",
                                          "risk:late"};
constexpr std::size_t kBranch = 4, kRisk = 5, kDurationD = 3;

std::vector<ReplicationResult> run(const Model& model, std::uint64_t replications) {
  std::vector<ReplicationResult> rows(replications);
  for (std::uint64_t k = 0; k < replications; ++k) model.run(20251127, k, rows[k]);
  return rows;
}

std::vector<ColumnInfo> inputs_columns(const Model& model) {
  for (const auto& writer : batch_output_writers(model))
    if (writer->file_name() == "inputs.csv") return writer->columns(model, BatchOptions{});
  FAIL("no inputs.csv writer");
  return {};
}

}  // namespace

TEST_CASE("a branch of probabilities [1, 0] reports alternative 0 and [0, 1] alternative 1, in every replication") {
  for (const auto& entry : {std::pair{"[1, 0]", 0.0}, std::pair{"[0, 1]", 1.0}}) {  // clang 14 cannot capture a structured binding in the lambda CAPTURE makes
    const auto& [probabilities, kept] = entry;
    const char* const branch_probabilities = entry.first;
    CAPTURE(branch_probabilities);
    const auto model = models::load_scenario(repair(probabilities, "0.5"), "s.toml");
    REQUIRE(model->inputs() == kInputs);
    for (const ReplicationResult& r : run(*model, 50)) {
      CHECK(r.inputs[kBranch] == kept);
      // The kept alternative ran, the other took no time.
      CHECK(r.inputs[1] == (kept == 0.0 ? 10.0 : 0.0));
      CHECK(r.inputs[2] == (kept == 1.0 ? 30.0 : 0.0));
    }
  }
}

TEST_CASE("a risk of probability 1 reports 1 and of probability 0 reports 0, in every replication") {
  for (const auto& entry : {std::pair{"1", 1.0}, std::pair{"0", 0.0}}) {  // clang 14 cannot capture a structured binding in the lambda CAPTURE makes
    const auto& [probability, occurred] = entry;
    const char* const risk_probability = entry.first;
    CAPTURE(risk_probability);
    const auto model = models::load_scenario(repair("[0.5, 0.5]", probability), "s.toml");
    for (const ReplicationResult& r : run(*model, 50)) {
      CHECK(r.inputs[kRisk] == occurred);
      CHECK(r.inputs[kDurationD] == 20.0 + 5.0 * occurred);
    }
  }
}

TEST_CASE("a risk's fixed impact shows in the task's duration exactly in the replications where it occurred") {
  const auto model = models::load_scenario(repair("[0.5, 0.5]", "0.3"), "s.toml");
  int occurred = 0;
  const auto rows = run(*model, 400);
  for (const ReplicationResult& r : rows) {
    REQUIRE((r.inputs[kRisk] == 0.0 || r.inputs[kRisk] == 1.0));
    CHECK(r.inputs[kDurationD] == (r.inputs[kRisk] == 1.0 ? 25.0 : 20.0));
    CHECK(models::task_records(r)[kDurationD].duration == r.inputs[kDurationD]);
    occurred += r.inputs[kRisk] == 1.0;
  }
  CHECK(occurred > 0);
  CHECK(occurred < 400);
}

TEST_CASE("a branch's reported alternative is the one whose task ran, at the branch's probability within 4 SE") {
  const auto model = models::load_scenario(repair("[0.7, 0.3]", "0.5"), "s.toml");
  constexpr std::uint64_t kN = 4000;
  double second = 0.0;
  for (const ReplicationResult& r : run(*model, kN)) {
    const auto tasks = models::task_records(r);
    const double kept = r.inputs[kBranch];
    REQUIRE((kept == 0.0 || kept == 1.0));
    CHECK(std::isnan(tasks[1].start) == (kept == 1.0));  // B removed exactly when C was kept
    CHECK(std::isnan(tasks[2].start) == (kept == 0.0));
    second += kept;
  }
  const double se = std::sqrt(0.3 * 0.7 / static_cast<double>(kN));
  CHECK(std::abs(second / kN - 0.3) < 4.0 * se);
}

TEST_CASE("deterministic mode reports the most probable alternative and a risk iff p > 0.5") {
  const auto model = models::load_scenario(repair("[0.3, 0.7]", "0.4"), "s.toml", models::LoadOptions{true, false});
  ReplicationResult r;
  model->run(1, 0, r);
  CHECK(r.inputs[kBranch] == 1.0);
  CHECK(r.inputs[kRisk] == 0.0);
  CHECK(r.outcomes[0] == 2.0 + 30.0 + 20.0);  // A at its mode 2 (uniform: the midpoint), C, D
}

TEST_CASE("a branch decided and a risk resolved by the status are reported, constant, and said to be") {
  const std::string status = R"(
[repair.r.status]
date = "2025-11-27T09:28Z"

[[repair.r.status.branch]]
id = "pick"
kept = "C"

[[repair.r.status.risk]]
id = "late"
occurred = true
)";
  const auto model = models::load_scenario(repair("[0.9, 0.1]", "0.1") + status, "s.toml");
  for (const ReplicationResult& r : run(*model, 50)) {
    CHECK(r.inputs[kBranch] == 1.0);
    CHECK(r.inputs[kRisk] == 1.0);
    CHECK(r.inputs[kDurationD] == 25.0);
  }
  const auto columns = inputs_columns(*model);
  REQUIRE(columns.size() == kInputs.size() + 1);
  CHECK(columns[1 + kBranch].description.find("decided by the repair's status") != std::string::npos);
  CHECK(columns[1 + kRisk].description.find("decided by the repair's status") != std::string::npos);
  CHECK(columns[1 + 0].description.find("decided") == std::string::npos);
}

TEST_CASE("columns.csv describes a branch as an id naming its alternatives and a risk as a 0/1 event") {
  const auto model = models::load_scenario(repair("[0.5, 0.5]", "0.5"), "s.toml");
  const auto columns = inputs_columns(*model);
  REQUIRE(columns.size() == kInputs.size() + 1);
  CHECK(columns[0].name == "replication");
  const ColumnInfo& branch = columns[1 + kBranch];
  CHECK(branch.name == "branch:pick");
  CHECK(branch.kind == "id");
  CHECK(branch.description.find("(0 B, 1 C)") != std::string::npos);
  CHECK(branch.empty_means == "the repair did not run in this replication (--no-incident)");
  const ColumnInfo& risk = columns[1 + kRisk];
  CHECK(risk.name == "risk:late");
  CHECK(risk.kind == "event");
  CHECK(risk.unit == "0/1");
  const ColumnInfo& duration = columns[1 + 1];
  CHECK(duration.unit == "days");
  CHECK(duration.kind == "value");
}

TEST_CASE("with several pads down, each repair's branches and risks are named by pad after its durations") {
  std::string text = repair("[0.5, 0.5]", "0.5");
  text.replace(text.find("[[repair.r.task]]"), 0, "[[pad]]\nid = \"q\"\ndown_at_epoch = true\nrepair = \"r\"\n\n");
  const auto model = models::load_scenario(text, "s.toml");
  CHECK(model->inputs() == std::vector<std::string>{"duration:p:A", "duration:p:B", "duration:p:C", "duration:p:D",
                                                    "branch:p:pick", "risk:p:late", "duration:q:A", "duration:q:B",
                                                    "duration:q:C", "duration:q:D", "branch:q:pick", "risk:q:late"});
  int differ = 0;
  for (const ReplicationResult& r : run(*model, 100)) {
    for (std::size_t pad = 0; pad < 2; ++pad) {
      const double* in = r.inputs.data() + 6 * pad;
      CHECK(in[1] == (in[4] == 0.0 ? 10.0 : 0.0));
      CHECK(in[3] == (in[5] == 1.0 ? 25.0 : 20.0));
    }
    differ += r.inputs[4] != r.inputs[10] || r.inputs[5] != r.inputs[11];  // each pad draws its own
  }
  CHECK(differ > 0);
}

TEST_CASE("--no-incident leaves the branch and risk cells empty: no repair ran") {
  const auto model = models::load_scenario(repair("[0.5, 0.5]", "0.5"), "s.toml", models::LoadOptions{false, true});
  for (const ReplicationResult& r : run(*model, 3)) {
    CHECK(std::isnan(r.inputs[kBranch]));
    CHECK(std::isnan(r.inputs[kRisk]));
  }
}

TEST_CASE("the default scenario's station model reports the seed repair's branch after its durations") {
  const auto model = models::load_scenario_file(std::string(PADSIM_SOURCE_DIR) + "/experiments/baikonur-2025.toml");
  const auto& names = model->inputs();
  const auto& tasks = models::task_ids(*model);
  REQUIRE(names.size() > tasks.size());
  CHECK(names[tasks.size()] == "branch:cabin-source");
  const std::size_t r2 = static_cast<std::size_t>(std::find(tasks.begin(), tasks.end(), "R2") - tasks.begin());
  const std::size_t r2b = static_cast<std::size_t>(std::find(tasks.begin(), tasks.end(), "R2b") - tasks.begin());
  REQUIRE(r2b < tasks.size());
  for (const ReplicationResult& r : run(*model, 60)) {
    const double kept = r.inputs[tasks.size()];
    const auto records = models::task_records(r);
    CHECK(kept == (std::isnan(records[r2].start) ? 1.0 : 0.0));
    CHECK(std::isnan(records[r2b].start) == (kept == 0.0));
  }
  CHECK(inputs_columns(*model)[1 + tasks.size()].kind == "id");
}
