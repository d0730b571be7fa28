// Repair projects: each task, branch and risk draws from its own stream, keyed by its id, so that
// editing the graph (adding, removing or reordering tasks) leaves every other task's draws unchanged.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "test_repair_project_support.hpp"

using namespace padsim::test::repair;

namespace {

/// A repair graph written by ids, so that a test can edit it as a user edits the file.
struct Graph {
  struct Edge {
    std::string pred, succ;
    LinkType type;
    Distribution lag;
  };
  std::vector<std::pair<std::string, Distribution>> tasks;
  std::vector<Edge> edges;

  std::size_t index(const std::string& id) const {
    for (std::size_t i = 0; i < tasks.size(); ++i)
      if (tasks[i].first == id) return i;
    FAIL("no task " << id);
    return 0;
  }

  RepairProject build() const {
    std::vector<TaskSpec> specs;
    for (const auto& [id, d] : tasks) specs.push_back(task(id, d));
    std::vector<Link> links;
    for (const Edge& e : edges) {
      Link l = link(index(e.pred), index(e.succ), e.type);
      l.lag = e.lag;
      links.push_back(l);
    }
    BranchSpec branch{"fix", index("D"), {index("E"), index("F")}, {0.4, 0.6}, {}};
    RiskSpec weather{"weather", 0.5, {{index("B"), tri(0, 1, 3), 0.0, {}}, {index("G"), fixed(0), 10.0, {}}}, {}};
    CorrelationSpec rho{{index("A"), index("D")}, {{1.0, 0.7}, {0.7, 1.0}}, {}};
    return RepairProject("edit", specs, links, {branch}, {weather}, {}, rho);
  }
};

Graph base_graph() {
  Graph g;
  g.tasks = {{"A", tri(2, 7, 30)}, {"B", tri(5, 19, 60)}, {"C", tri(7, 15, 30)}, {"D", tri(10, 25, 90)},
             {"E", tri(40, 60, 120)}, {"F", tri(10, 20, 60)}, {"G", tri(5, 10, 30)}};
  g.edges = {{"A", "B", LinkType::kFinishToStart, tri(-1, 0, 2)}, {"A", "C", LinkType::kStartToStart, fixed(2)},
             {"B", "D", LinkType::kFinishToStart, fixed(0)},      {"C", "D", LinkType::kFinishToFinish, fixed(0)},
             {"D", "E", LinkType::kFinishToStart, fixed(0)},      {"D", "F", LinkType::kFinishToStart, fixed(0)},
             {"E", "G", LinkType::kFinishToStart, fixed(0)},      {"F", "G", LinkType::kFinishToStart, tri(0, 1, 4)}};
  return g;
}

constexpr std::uint64_t kReplications = 300;

/// Realised durations by task id, replication by replication (NaN: removed by the branch).
std::map<std::string, std::vector<double>> durations(const Graph& g) {
  const RepairProject project = g.build();
  std::map<std::string, std::vector<double>> out;
  for (std::uint64_t r = 0; r < kReplications; ++r) {
    const RepairOutcome o = run(project, r);
    for (std::size_t t = 0; t < g.tasks.size(); ++t) out[g.tasks[t].first].push_back(o.tasks[t].duration);
  }
  return out;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// Every task of `edited` that `base` also has drew the same duration in every replication.
void check_unchanged(const std::map<std::string, std::vector<double>>& base,
                     const std::map<std::string, std::vector<double>>& edited, std::size_t expected_common) {
  std::size_t common = 0;
  for (const auto& entry : edited) {  // clang 14 cannot capture a structured binding in INFO's lambda
    const auto& id = entry.first;
    const auto& values = entry.second;
    const auto it = base.find(id);
    if (it == base.end()) continue;
    ++common;
    for (std::uint64_t r = 0; r < kReplications; ++r) {
      INFO("task " << id << ", replication " << r);
      CHECK(same_bits(values[r], it->second[r]));
    }
  }
  CHECK(common == expected_common);
}

}  // namespace

TEST_CASE("editing a repair graph leaves every other task's sampled durations unchanged") {
  const Graph base = base_graph();
  const auto before = durations(base);

  // The comparison is not vacuous: durations vary between replications and the branch takes both
  // alternatives.
  const auto& e = before.at("E");
  int kept_e = 0;
  for (double x : e) kept_e += !std::isnan(x);
  CHECK(kept_e > 60);
  CHECK(kept_e < 240);
  CHECK(before.at("A")[0] != before.at("A")[1]);

  SUBCASE("add a task") {
    Graph g = base;
    g.tasks.insert(g.tasks.begin() + 2, {"N", tri(1, 5, 9)});
    g.edges.push_back({"D", "N", LinkType::kFinishToStart, tri(0, 1, 2)});
    g.edges.push_back({"N", "G", LinkType::kStartToStart, tri(0, 1, 2)});
    check_unchanged(before, durations(g), 7);
  }
  SUBCASE("remove a task") {
    Graph g = base;
    g.tasks.erase(g.tasks.begin() + 2);  // C, with its links
    std::erase_if(g.edges, [](const Graph::Edge& x) { return x.pred == "C" || x.succ == "C"; });
    check_unchanged(before, durations(g), 6);
  }
  SUBCASE("reorder the tasks in the file") {
    Graph g = base;
    std::reverse(g.tasks.begin(), g.tasks.end());
    std::reverse(g.edges.begin(), g.edges.end());
    check_unchanged(before, durations(g), 7);
  }
}

TEST_CASE("tasks draw from distinct streams, and each repair instance draws afresh") {
  // Two tasks with the same distribution never draw the same duration; the same task in the k-th
  // and (k+1)-th repair of a pad draws differently; the same instance draws the same.
  const RepairProject project("twins", {task("A", tri(2, 7, 30)), task("B", tri(2, 7, 30))}, {}, {}, {}, {});
  const auto draw = [&](std::uint64_t replication, std::size_t instance) {
    Simulation sim;
    RepairOutcome out;
    Rng rng(7, replication, repair_stream("site31", instance));
    project.start(sim, rng, {}, out, {});
    sim.run();
    return std::vector<double>{out.tasks[0].duration, out.tasks[1].duration};
  };
  for (std::uint64_t r = 0; r < 50; ++r) {
    const auto first = draw(r, 0), second = draw(r, 1);
    CHECK(first[0] != first[1]);
    CHECK(first[0] != second[0]);
    CHECK(first == draw(r, 0));
  }
}
