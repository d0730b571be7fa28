// Re-forecasting a repair from its status: finished tasks are fixed, a started task is drawn from
// its distribution conditioned on the time it has run (exact, through the quantile function),
// tasks not started wait for the status date, and a status that says nothing changes nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "padsim/error.hpp"
#include "padsim/models/scenario.hpp"
#include "padsim/monte_carlo.hpp"

using namespace padsim;

namespace {

// Epoch at midnight so that dates are whole days: 2026-01-01 is day 0.
const std::string kRepairStatusHead = R"([scenario]
name = "t"
epoch = "2026-01-01"
horizon = "2027-01-01"

[[pad]]
id = "p"
down_at_epoch = true
repair = "r"

[repair.r]
)";

/// Mean and standard error of pad_ready_day over n replications, and its minimum.
struct Moments {
  double mean = 0, se = 0, min = 1e300;
};
Moments moments(const std::string& text, std::uint64_t n = 20000) {
  const auto model = models::load_scenario(text, "s.toml");
  ReplicationResult r;
  double sum = 0, sum2 = 0;
  Moments m;
  for (std::uint64_t k = 0; k < n; ++k) {
    model->run(11, k, r);
    const double x = r.outcomes[0];
    sum += x;
    sum2 += x * x;
    m.min = std::min(m.min, x);
  }
  const double dn = static_cast<double>(n);
  m.mean = sum / dn;
  m.se = std::sqrt((sum2 / dn - m.mean * m.mean) / dn);
  return m;
}

bool same(const std::vector<double>& a, const std::vector<double>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); });
}

std::string repair_status_error_of(const std::string& text) {
  try {
    models::load_scenario(text, "s.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string kRepairStatusChain = kRepairStatusHead + R"(
[[repair.r.task]]
id = "A"
duration = 10

[[repair.r.task]]
id = "B"
duration = { uniform = [0, 20] }
after = ["A"]
)";

}  // namespace

TEST_CASE("a started task is drawn conditioned on its elapsed time: memoryless and uniform oracles") {
  // Exponential, mean 10, started on day 0, still running on day 5: finishes at 5 + Exp(10).
  const auto exp = moments(kRepairStatusHead + "[[repair.r.task]]\nid = \"A\"\nduration = { exponential = [10] }\n\n"
                                   "[repair.r.status]\ndate = \"2026-01-06\"\n"
                                   "[[repair.r.status.task]]\nid = \"A\"\nstart = \"2026-01-01\"\n");
  CHECK(std::abs(exp.mean - 15.0) < 4 * exp.se);
  CHECK(exp.min >= 5.0);
  // Uniform(0, 20) after A (10 days, finished on day 10), B started on day 10, 8 days in on day
  // 18: B is Uniform(8, 20), so the repair ends at 10 + 14 on average, never before day 18.
  const auto uni = moments(kRepairStatusChain + "\n[repair.r.status]\ndate = \"2026-01-19\"\n"
                                    "[[repair.r.status.task]]\nid = \"A\"\nstart = \"2026-01-01\"\nfinish = \"2026-01-11\"\n"
                                    "[[repair.r.status.task]]\nid = \"B\"\nstart = \"2026-01-11\"\n");
  CHECK(std::abs(uni.mean - 24.0) < 4 * uni.se);
  CHECK(uni.min >= 18.0);
}

TEST_CASE("every task finished gives one point at the real completion, remaining days add to the elapsed") {
  const auto done = moments(kRepairStatusChain + "\n[repair.r.status]\ndate = \"2026-02-01\"\n"
                                     "[[repair.r.status.task]]\nid = \"A\"\nstart = \"2026-01-01\"\nfinish = \"2026-01-12\"\n"
                                     "[[repair.r.status.task]]\nid = \"B\"\nstart = \"2026-01-13\"\nfinish = \"2026-01-25\"\n",
                            200);
  CHECK(done.mean == 24.0);
  CHECK(done.se == 0.0);
  const auto judged = moments(kRepairStatusChain + "\n[repair.r.status]\ndate = \"2026-01-19\"\n"
                                       "[[repair.r.status.task]]\nid = \"A\"\nstart = \"2026-01-01\"\nfinish = \"2026-01-11\"\n"
                                       "[[repair.r.status.task]]\nid = \"B\"\nstart = \"2026-01-11\"\nremaining = 3\n",
                              50);
  CHECK(judged.mean == 10.0 + 8.0 + 3.0);
}

TEST_CASE("a task not started waits for the status date, deterministic mode uses the conditioned mode") {
  // A (10 days) not started on day 30: it starts on day 30, B after it.
  const auto late = moments(kRepairStatusChain + "\n[repair.r.status]\ndate = \"2026-01-31\"\n", 2000);
  CHECK(late.min >= 40.0);
  // Deterministic: B's mode of a uniform is its midpoint 10, but it has run 12 days: mode 12.
  const auto model = models::load_scenario(
      kRepairStatusChain + "\n[repair.r.status]\ndate = \"2026-01-23\"\n"
               "[[repair.r.status.task]]\nid = \"A\"\nstart = \"2026-01-01\"\nfinish = \"2026-01-11\"\n"
               "[[repair.r.status.task]]\nid = \"B\"\nstart = \"2026-01-11\"\n",
      "s.toml", {.deterministic = true});
  ReplicationResult r;
  model->run(1, 0, r);
  CHECK(r.outcomes[0] == 22.0);
}

TEST_CASE("a status at the epoch with nothing started changes no replication") {
  const std::string text = std::string(PADSIM_SOURCE_DIR) + "/experiments/site31-repair.toml";
  const auto plain = models::load_scenario_file(text);
  const auto statused = models::load_scenario(
      [&] {
        std::ifstream in(text);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }() + "\n[repair.site31-cabin.status]\ndate = \"2025-11-27T09:28Z\"\n",
      "s.toml");
  ReplicationResult a, b;
  for (std::uint64_t k = 0; k < 500; ++k) {
    plain->run(20251127, k, a);
    statused->run(20251127, k, b);
    CHECK(same(a.outcomes, b.outcomes));  // NaN (beyond the horizon) equals NaN here
    CHECK(same(a.inputs, b.inputs));
  }
}

TEST_CASE("a status that contradicts the graph or the calendar is refused with its position") {
  const std::string st = "\n[repair.r.status]\ndate = \"2026-01-19\"\n";
  CHECK(repair_status_error_of(kRepairStatusChain + "\n[repair.r.status]\ndate = \"2025-12-30\"\n") ==
        "s.toml:22:1: error: repair.r: status: the status date is 2 days before the epoch; it must be on or after it");
  CHECK(repair_status_error_of(kRepairStatusChain + st + "[[repair.r.status.task]]\nid = \"C\"\nstart = \"2026-01-01\"\n") ==
        "s.toml:25:6: error: repair.r.status.task[C]: unknown task 'C'");
  CHECK(repair_status_error_of(kRepairStatusChain + st + "[[repair.r.status.task]]\nid = \"A\"\nstart = \"2026-01-05\"\nfinish = \"2026-01-02\"\n") ==
        "s.toml:25:6: error: repair.r: status: task 'A' finishes on day 1, before it starts (day 4)");
  CHECK(repair_status_error_of(kRepairStatusChain + st + "[[repair.r.status.task]]\nid = \"A\"\nstart = \"2026-01-25\"\n") ==
        "s.toml:25:6: error: repair.r: status: task 'A' starts on day 24, after the status date (day 18)");
  // B follows A (FS): B cannot start before A finishes.
  CHECK(repair_status_error_of(kRepairStatusChain + st + "[[repair.r.status.task]]\nid = \"A\"\nstart = \"2026-01-01\"\nfinish = \"2026-01-11\"\n"
                               "[[repair.r.status.task]]\nid = \"B\"\nstart = \"2026-01-05\"\n") ==
        "s.toml:29:6: error: repair.r: status: task 'B' starts on day 4, earlier than its FS link A -> B allows (day 10)");
  CHECK(repair_status_error_of(kRepairStatusChain + st + "[[repair.r.status.task]]\nid = \"B\"\nstart = \"2026-01-05\"\n") ==
        "s.toml:25:6: error: repair.r: status: task 'B' started, but its predecessor 'A' has not finished (FS link A -> B)");
  // B is Uniform(0, 20): 25 days in is past its maximum.
  CHECK(repair_status_error_of(kRepairStatusChain + "\n[repair.r.status]\ndate = \"2026-02-05\"\n"
                          "[[repair.r.status.task]]\nid = \"A\"\nstart = \"2026-01-01\"\nfinish = \"2026-01-11\"\n"
                          "[[repair.r.status.task]]\nid = \"B\"\nstart = \"2026-01-11\"\n") ==
        "s.toml:29:6: error: repair.r: status: task 'B' has run 25 days by the status date, beyond its duration's "
        "maximum 20: give the days it has left (`remaining`)");
}

TEST_CASE("the shipped Site 31/6 status narrows the forecast and never ends before the status date") {
  const std::string dir = std::string(PADSIM_SOURCE_DIR) + "/experiments/";
  const auto plain = models::load_scenario_file(dir + "site31-repair.toml");
  const auto status = models::load_scenario_file(dir + "site31-status-2026-01-15.toml");
  std::vector<double> a, b;
  ReplicationResult r;
  for (std::uint64_t k = 0; k < 2000; ++k) {
    plain->run(20251127, k, r);
    a.push_back(std::isnan(r.outcomes[0]) ? 1e9 : r.outcomes[0]);
    status->run(20251127, k, r);
    b.push_back(r.outcomes[0]);
    CHECK(r.outcomes[0] >= 48.6);  // the status date, 2026-01-15, is day 48.6
  }
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  CHECK(b[1800] - b[200] < 0.5 * (a[1800] - a[200]));  // the P10-P90 range at least halves
}

TEST_CASE("a status fixes a branch's alternative and whether a risk occurred") {
  // A (10 days), then B (10) or C (40) with even odds; a certain risk adds 5 days to A.
  const std::string graph = kRepairStatusHead + R"(
[[repair.r.task]]
id = "A"
duration = 10

[[repair.r.task]]
id = "B"
duration = 10
after = ["A"]

[[repair.r.task]]
id = "C"
duration = 40
after = ["A"]

[[repair.r.branch]]
id = "src"
after = "A"
alternatives = ["B", "C"]
probabilities = [0.5, 0.5]

[[repair.r.risk]]
id = "storm"
probability = 1
impacts = [{ task = "A", days = 5 }]
)";
  const auto free = moments(graph, 400);
  CHECK(free.min == 25.0);       // the risk always adds its 5 days
  CHECK(free.mean > 30.0);       // and C is taken about half the time
  const auto fixed = moments(graph + "\n[repair.r.status]\ndate = \"2026-01-01\"\n"
                                     "[[repair.r.status.branch]]\nid = \"src\"\nkept = \"C\"\n"
                                     "[[repair.r.status.risk]]\nid = \"storm\"\noccurred = false\n",
                             400);
  CHECK(fixed.mean == 50.0);     // A 10 + C 40, no storm, in every replication
  CHECK(fixed.se == 0.0);
  CHECK(repair_status_error_of(graph + "\n[repair.r.status]\ndate = \"2026-01-01\"\n"
                         "[[repair.r.status.branch]]\nid = \"src\"\nkept = \"D\"\n") ==
        "s.toml:42:8: error: repair.r.status.branch[src]: 'D' is not one of the branch's alternatives");
  CHECK(repair_status_error_of(graph + "\n[repair.r.status]\ndate = \"2026-01-01\"\n"
                         "[[repair.r.status.risk]]\nid = \"flood\"\noccurred = true\n") ==
        "s.toml:41:6: error: repair.r.status.risk[flood]: unknown risk 'flood'");
}
