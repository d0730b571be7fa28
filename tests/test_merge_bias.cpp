// merges.csv: each merge point of the first down pad's repair graph, how much later it starts than its
// deterministic date, and the part of that caused by predecessors overtaking the driving one.
// Analytic oracles on graphs whose expected maximum has a closed form.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "padsim/batch.hpp"
#include "padsim/models/scenario.hpp"
#include "test_support.hpp"

using namespace padsim;

namespace {

/// A, B -> C with A fixed 10 and B uniform(0, 20): C starts at max(10, B).
const std::string kMergeAbcGraph = padsim::test::kRepairScenarioHead + R"([[repair.r.task]]
id = "A"
duration = 10

[[repair.r.task]]
id = "B"
duration = { uniform = [0, 20] }

[[repair.r.task]]
id = "C"
name = "join"
duration = 1
after = ["A", "B"]
)";

/// One merges.csv: its header and, per merge point, its cells by column name.
struct MergeCsv {
  std::vector<std::string> header;
  std::map<std::string, std::map<std::string, std::string>> rows;  // task -> column -> cell

  double number(const std::string& task, const std::string& column) const {
    return std::stod(rows.at(task).at(column));
  }
};

/// Runs `replications` of `text` on `threads` and returns its merges.csv, its bytes in `bytes` and
/// columns.csv in `columns` when given.
MergeCsv merge_csv_of(const std::string& text, std::uint64_t replications, unsigned threads = 1,
                      const models::LoadOptions& load = {}, std::string* bytes = nullptr,
                      std::string* columns = nullptr) {
  const auto model = models::load_scenario(text, "merges.toml", load);
  BatchOptions o;
  o.seed = 20251127;
  o.replications = replications;
  o.threads = threads;
  padsim::test::TempDir dir("merges");
  write_batch_outputs(*model, run_batch(*model, o), o, dir.path);
  const std::string csv = padsim::test::read(dir.path / "merges.csv");
  if (bytes) *bytes = csv;
  if (columns) *columns = padsim::test::read(dir.path / "columns.csv");
  MergeCsv out;
  const std::vector<std::string> rows = padsim::test::lines(csv);
  out.header = padsim::test::cells(rows.at(0));
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::vector<std::string> cells = padsim::test::cells(rows[r]);
    REQUIRE(cells.size() == out.header.size());
    for (std::size_t c = 0; c < cells.size(); ++c) out.rows[cells[0]][out.header[c]] = cells[c];
  }
  return out;
}

}  // namespace

TEST_CASE("merge bias of A fixed 10 and B uniform(0, 20) into C matches E[max(10, B)] = 12.5") {
  constexpr std::uint64_t kRuns = 20'000;
  const MergeCsv m = merge_csv_of(kMergeAbcGraph, kRuns);
  CHECK(m.header == std::vector<std::string>{"task", "name", "deterministic_start", "driving_predecessor",
                                             "mean_start", "mean_lateness", "mean_lateness_ci_low",
                                             "mean_lateness_ci_high", "p80_lateness", "mean_merge_delay",
                                             "mean_merge_delay_ci_low", "mean_merge_delay_ci_high",
                                             "overtaken_share", "overtaken_share_ci_low", "overtaken_share_ci_high"});
  REQUIRE(m.rows.size() == 1);
  const auto& c = m.rows.at("C");
  CHECK(c.at("name") == "join");
  // Deterministic: A's bound 10, B's 10 (the uniform's mode is its midpoint): a tie, the first link drives.
  CHECK(c.at("deterministic_start") == "10");
  CHECK(c.at("driving_predecessor") == "A");
  // max(10, B): mean 12.5, E[max^2] = 50 + (20^3 - 10^3) / 60, so sd = sqrt(10.41667).
  const double se = std::sqrt(50.0 + 7000.0 / 60.0 - 12.5 * 12.5) / std::sqrt(static_cast<double>(kRuns));
  CHECK(std::abs(m.number("C", "mean_start") - 12.5) < 4.0 * se);
  CHECK(std::abs(m.number("C", "mean_lateness") - 2.5) < 4.0 * se);
  // A drives, and its bound is 10 in every replication: the merge delay is the whole lateness.
  CHECK(m.number("C", "mean_merge_delay") == doctest::Approx(m.number("C", "mean_lateness")).epsilon(1e-12));
  // P80 of max(10, B) - 10: B's quantile 0.8 is 16, so 6.
  CHECK(std::abs(m.number("C", "p80_lateness") - 6.0) < 0.3);
  // The interval holds the mean, its half-width is about 1.96 sd / sqrt(n).
  const double low = m.number("C", "mean_lateness_ci_low");
  const double high = m.number("C", "mean_lateness_ci_high");
  CHECK(low < m.number("C", "mean_lateness"));
  CHECK(high > m.number("C", "mean_lateness"));
  CHECK((high - low) / 2.0 == doctest::Approx(1.96 * se).epsilon(0.05));
  // Overtaken iff B > 10: share 0.5, with a Wilson interval around it.
  const double share_se = std::sqrt(0.25 / static_cast<double>(kRuns));
  CHECK(std::abs(m.number("C", "overtaken_share") - 0.5) < 4.0 * share_se);
  CHECK(m.number("C", "overtaken_share_ci_low") < m.number("C", "overtaken_share"));
  CHECK(m.number("C", "overtaken_share_ci_high") > m.number("C", "overtaken_share"));
  CHECK((m.number("C", "overtaken_share_ci_high") - m.number("C", "overtaken_share_ci_low")) / 2.0 ==
        doctest::Approx(1.96 * share_se).epsilon(0.05));
}

TEST_CASE("a lagged link that drives the deterministic date leaves a merge delay only when overtaken") {
  // Bounds: A uniform(0, 20) finishes at A (mode 10); B fixed 4 with FS+8 allows 12. B drives, D = 12.
  // C starts at max(A, 12): lateness = merge delay = E[max(A - 12, 0)] = 8^2 / 40 = 1.6, P(A > 12) = 0.4.
  constexpr std::uint64_t kRuns = 20'000;
  const MergeCsv m = merge_csv_of(padsim::test::kRepairScenarioHead + R"([[repair.r.task]]
id = "A"
duration = { uniform = [0, 20] }

[[repair.r.task]]
id = "B"
duration = 4

[[repair.r.task]]
id = "C"
duration = 1
after = ["A", "B FS+8"]
)",
                                  kRuns);
  CHECK(m.rows.at("C").at("deterministic_start") == "12");
  CHECK(m.rows.at("C").at("driving_predecessor") == "B");
  CHECK(m.rows.at("C").at("name").empty());
  // E[max(A - 12, 0)^2] = 8^3 / 60.
  const double se = std::sqrt(512.0 / 60.0 - 1.6 * 1.6) / std::sqrt(static_cast<double>(kRuns));
  CHECK(std::abs(m.number("C", "mean_lateness") - 1.6) < 4.0 * se);
  CHECK(m.number("C", "mean_merge_delay") == doctest::Approx(m.number("C", "mean_lateness")).epsilon(1e-12));
  CHECK(std::abs(m.number("C", "overtaken_share") - 0.4) < 4.0 * std::sqrt(0.24 / static_cast<double>(kRuns)));
}

TEST_CASE("merge points: a branch's alternatives count as one predecessor, and a chain has none") {
  // D follows both alternatives of one branch (never both run): one predecessor, no merge point.
  // E follows an alternative and X: two predecessors. Y follows X twice (SS and FF): one.
  const MergeCsv m = merge_csv_of(padsim::test::kRepairScenarioHead + R"([[repair.r.task]]
id = "A"
duration = 1

[[repair.r.task]]
id = "B"
duration = 2
after = ["A"]

[[repair.r.task]]
id = "C"
duration = 3
after = ["A"]

[[repair.r.task]]
id = "D"
duration = 1
after = ["B", "C"]

[[repair.r.task]]
id = "X"
duration = 5

[[repair.r.task]]
id = "E"
duration = 1
after = ["C", "X"]

[[repair.r.task]]
id = "Y"
duration = 1
after = ["X SS", "X FF"]

[[repair.r.branch]]
id = "pick"
after = "A"
alternatives = ["B", "C"]
probabilities = [0.5, 0.5]
)",
                                  200);
  REQUIRE(m.rows.size() == 1);
  // Deterministically B is kept (the first most probable), so C and E's link from it never bind:
  // X drives E at day 5.
  const auto& e = m.rows.at("E");
  CHECK(e.at("deterministic_start") == "5");
  CHECK(e.at("driving_predecessor") == "X");
  // When C runs it finishes at 4 < 5: E is never overtaken, never late.
  CHECK(e.at("mean_lateness") == "0");
  CHECK(e.at("overtaken_share") == "0");

  const MergeCsv chain = merge_csv_of(padsim::test::kRepairScenarioHead + R"([[repair.r.task]]
id = "A"
duration = { uniform = [1, 3] }

[[repair.r.task]]
id = "B"
duration = 1
after = ["A"]
)",
                                      10);
  CHECK(chain.header.size() == 15);  // the file is written, with its header only
  CHECK(chain.rows.empty());
}

TEST_CASE("merge bias in deterministic mode is exactly zero") {
  models::LoadOptions load;
  load.deterministic = true;
  const MergeCsv m = merge_csv_of(kMergeAbcGraph, 1, 1, load);
  const auto& c = m.rows.at("C");
  CHECK(c.at("mean_start") == "10");
  CHECK(c.at("mean_lateness") == "0");
  CHECK(c.at("mean_merge_delay") == "0");
  CHECK(c.at("overtaken_share") == "0");
  CHECK(c.at("mean_lateness_ci_low").empty());  // one replication: no interval
}

TEST_CASE("merges.csv has the same bytes on 1 and 2 threads, and columns.csv describes its columns") {
  std::string one, two, columns;
  merge_csv_of(kMergeAbcGraph, 3'000, 1, {}, &one, &columns);
  merge_csv_of(kMergeAbcGraph, 3'000, 2, {}, &two);
  CHECK(one == two);
  for (const char* line :
       {"merges.csv,task,,id,,the entity\r\n",
        "merges.csv,deterministic_start,day,value,the task does not run in the deterministic schedule,",
        "merges.csv,driving_predecessor,,text,the task does not run in the deterministic schedule,",
        "merges.csv,mean_lateness,day,value,the entity has no value in any replication,",
        "merges.csv,mean_lateness_ci_low,day,value,fewer than two replications with a value,lower bound of the "
        "95% confidence interval (Student t) of the mean of lateness\r\n",
        "merges.csv,overtaken_share_ci_high,share,share,no replications,upper bound of the 95% Wilson interval"}) {
    CAPTURE(line);
    CHECK(columns.find(line) != std::string::npos);
  }
}
