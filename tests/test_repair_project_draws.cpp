// Repair projects: the draws of an instance against statistical oracles (sums of means, the exact
// expected maximum, branch and risk frequencies, rank correlation) and deterministic mode.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "test_repair_project_support.hpp"

using namespace padsim::test::repair;

TEST_CASE("a series of tasks has the sum of their means as its mean") {
  const RepairProject project("series",
                              {task("A", tri(2, 7, 30)), task("B", tri(5, 19, 60)), task("C", tri(7, 15, 30)),
                               task("D", tri(40, 60, 120))},
                              {link(0, 1), link(1, 2), link(2, 3)}, {}, {}, {});
  std::vector<double> completion;
  for (std::uint64_t r = 0; r < 20000; ++r) completion.push_back(run(project, r).completion);
  const Moments m = moments(completion);
  const double expected = (2 + 7 + 30) / 3.0 + (5 + 19 + 60) / 3.0 + (7 + 15 + 30) / 3.0 + (40 + 60 + 120) / 3.0;
  CHECK(std::abs(m.mean - expected) < 4 * m.se);
}

TEST_CASE("five parallel identical triangular tasks merge to the exact expected maximum") {
  const double a = 2, c = 7, b = 30;
  std::vector<TaskSpec> tasks;
  for (int i = 0; i < 5; ++i) tasks.push_back(task(numbered("T", i), tri(a, c, b)));
  const RepairProject project("merge", tasks, {}, {}, {}, {});
  std::vector<double> completion;
  for (std::uint64_t r = 0; r < 20000; ++r) completion.push_back(run(project, r).completion);
  const Moments m = moments(completion);

  // E[max] = a + integral over [a, b] of (1 - F(x)^5), Simpson's rule on the triangular cdf.
  const auto cdf = [&](double x) {
    return x <= c ? (x - a) * (x - a) / ((b - a) * (c - a)) : 1 - (b - x) * (b - x) / ((b - a) * (b - c));
  };
  const int steps = 20000;  // even
  const double h = (b - a) / steps;
  double integral = 0.0;
  for (int k = 0; k <= steps; ++k) {
    const double f = 1 - std::pow(cdf(a + k * h), 5);
    integral += f * (k == 0 || k == steps ? 1 : k % 2 ? 4 : 2);
  }
  const double exact = a + integral * h / 3;
  CHECK(exact > (a + c + b) / 3 + 5);  // the merge bias is real: far above one task's mean
  CHECK(std::abs(m.mean - exact) < 4 * m.se);
}

TEST_CASE("a risk event adds its probability times its mean impact") {
  RiskSpec risk;
  risk.id = "weather";
  risk.probability = 0.3;
  risk.impacts.push_back({0, tri(0, 5, 10), 0.0, {}});
  const RepairProject project("risk", {task("A", fixed(10))}, {}, {}, {risk}, {});
  std::vector<double> completion;
  for (std::uint64_t r = 0; r < 20000; ++r) completion.push_back(run(project, r).completion);
  const Moments m = moments(completion);
  CHECK(std::abs(m.mean - (10 + 0.3 * 5)) < 4 * m.se);
}

TEST_CASE("a risk's percent is of the sampled duration plus its days, and a removed task ignores it") {
  RiskSpec risk;
  risk.id = "rework";
  risk.probability = 1.0;
  risk.impacts.push_back({0, fixed(2), 50.0, {}});
  risk.impacts.push_back({2, fixed(100), 0.0, {}});
  BranchSpec branch;
  branch.id = "b";
  branch.after = 0;
  branch.alternatives = {1, 2};
  branch.probabilities = {1.0, 0.0};
  const RepairProject project("risk", {task("A", fixed(10)), task("B", fixed(1)), task("C", fixed(1))},
                              {link(0, 1), link(0, 2)}, {branch}, {risk}, {});
  const RepairOutcome out = run(project);
  CHECK(out.tasks[0].duration == 10 + 2 + 0.5 * 12);
  CHECK(std::isnan(out.tasks[2].start));
  CHECK(out.completion == 19.0);
}

TEST_CASE("a branch keeps each alternative with its probability and successors join on the one kept") {
  BranchSpec branch;
  branch.id = "source";
  branch.after = 0;
  branch.alternatives = {1, 2};
  branch.probabilities = {0.3, 0.7};
  const RepairProject project("branch",
                              {task("A", fixed(1)), task("B", fixed(10)), task("C", fixed(100)), task("D", fixed(1))},
                              {link(0, 1), link(0, 2), link(1, 3), link(2, 3)}, {branch}, {}, {});
  const int n = 20000;
  int kept_b = 0;
  for (int r = 0; r < n; ++r) {
    const RepairOutcome out = run(project, static_cast<std::uint64_t>(r));
    const bool b = !std::isnan(out.tasks[1].start);
    CHECK(b == std::isnan(out.tasks[2].start));  // exactly one alternative remains
    CHECK(out.tasks[3].start == (b ? 11.0 : 101.0));
    kept_b += b;
  }
  const double share = kept_b / static_cast<double>(n);
  CHECK(std::abs(share - 0.3) < 4 * std::sqrt(0.3 * 0.7 / n));
}

TEST_CASE("rank correlation 0.8 between two parallel tasks lowers the mean of their maximum") {
  const auto project_with = [](double rho) {
    CorrelationSpec c;
    if (rho != 0.0) c = {{0, 1}, {{1.0, rho}, {rho, 1.0}}, {}};
    return RepairProject("corr", {task("A", tri(2, 7, 30)), task("B", tri(2, 7, 30))}, {}, {}, {}, {}, c);
  };
  const RepairProject independent = project_with(0.0), correlated = project_with(0.8);
  const int n = 20000;
  std::vector<double> max0, max8, a, b;
  for (int r = 0; r < n; ++r) {
    max0.push_back(run(independent, static_cast<std::uint64_t>(r)).completion);
    const RepairOutcome out = run(correlated, static_cast<std::uint64_t>(r));
    max8.push_back(out.completion);
    a.push_back(out.tasks[0].duration);
    b.push_back(out.tasks[1].duration);
  }
  const Moments m0 = moments(max0), m8 = moments(max8);
  CHECK(m8.mean < m0.mean - 4 * std::hypot(m0.se, m8.se));
  CHECK(std::abs(spearman(a, b) - 0.8) < 0.015);
  // The marginals are untouched by the copula.
  CHECK(std::abs(moments(a).mean - 13.0) < 4 * moments(a).se);
}

TEST_CASE("a correlation matrix that is not positive semi-definite is repaired to a valid one") {
  const double m[3][3] = {{1, 0.9, -0.9}, {0.9, 1, 0.9}, {-0.9, 0.9, 1}};
  CorrelationSpec c{{0, 1, 2}, {}, {}};
  for (const auto& row : m) c.matrix.emplace_back(row, row + 3);
  const RepairProject project("psd", {task("A", tri(1, 2, 3)), task("B", tri(1, 2, 3)), task("C", tri(1, 2, 3))},
                              {}, {}, {}, {}, c);
  const auto& repaired = project.correlation().matrix;
  CHECK(repaired[0][1] < 0.9);
  CHECK(repaired[0][0] == 1.0);
  // Positive semi-definite: every 2x2 and the full determinant are >= 0 (3x3 Sylvester-like check).
  const double det = repaired[0][0] * (repaired[1][1] * repaired[2][2] - repaired[1][2] * repaired[2][1]) -
                     repaired[0][1] * (repaired[1][0] * repaired[2][2] - repaired[1][2] * repaired[2][0]) +
                     repaired[0][2] * (repaired[1][0] * repaired[2][1] - repaired[1][1] * repaired[2][0]);
  CHECK(det > -1e-9);
  CHECK(run(project).completion > 0);  // and it runs
}

TEST_CASE("deterministic mode uses modes, takes the most probable branch and events with p > 0.5") {
  BranchSpec branch{"b", 0, {1, 2}, {0.4, 0.6}, {}};
  RiskSpec likely{"likely", 0.6, {{0, fixed(3), 0.0, {}}}, {}};
  RiskSpec unlikely{"unlikely", 0.4, {{0, fixed(100), 0.0, {}}}, {}};
  const RepairProject project("det", {task("A", tri(2, 7, 30)), task("B", tri(1, 2, 3)), task("C", tri(1, 5, 9))},
                              {link(0, 1), link(0, 2)}, {branch}, {likely, unlikely}, {});
  const RepairOutcome out = run(project, 0, DrawMode{true});
  CHECK(out.tasks[0].duration == 10.0);
  CHECK(std::isnan(out.tasks[1].start));
  CHECK(out.tasks[2].start == 10.0);
  CHECK(out.completion == 15.0);
}
