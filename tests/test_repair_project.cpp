// Repair projects: CPM semantics run by the engine against oracles (Boost.Graph's longest path,
// hand-computed schedules), resources, and the validation rules. Draws: test_repair_project_draws.cpp.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dag_shortest_paths.hpp>

#include "test_repair_project_support.hpp"

using namespace padsim::test::repair;

TEST_CASE("with fixed durations the completion is the longest path, as Boost.Graph computes it") {
  // A random DAG with every link type and positive and negative lags; integer durations and lags
  // make every sum exact, so the comparison is exact.
  Rng rng(7, 0, stream_key("test"));
  const auto draw_int = [&](int lo, int hi) { return lo + static_cast<int>(rng.uniform01() * (hi - lo + 1)); };
  for (int graph = 0; graph < 20; ++graph) {
    const std::size_t n = 25;
    std::vector<TaskSpec> tasks;
    std::vector<double> d;
    for (std::size_t i = 0; i < n; ++i) {
      d.push_back(draw_int(0, 20));
      tasks.push_back(task(numbered("T", i), fixed(d.back())));
    }
    std::vector<Link> links;
    for (std::size_t j = 1; j < n; ++j)
      for (std::size_t i = 0; i < j; ++i)
        if (rng.uniform01() < 0.15) {
          const LinkType types[] = {FS, SS, FF};
          links.push_back(link(i, j, types[draw_int(0, 2)], draw_int(-5, 10)));
        }
    const RepairProject project("random", tasks, links, {}, {}, {});

    // Oracle: start times are longest paths from a source s (start >= 0) along edges weighted by
    // each link's offset; the completion is the longest path to a sink t through each task's
    // duration. dag_shortest_paths on negated weights.
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                        boost::property<boost::edge_weight_t, double>>;
    Graph g(n + 2);
    const std::size_t s = n, t = n + 1;
    for (std::size_t i = 0; i < n; ++i) {
      boost::add_edge(s, i, -0.0, g);
      boost::add_edge(i, t, -d[i], g);
    }
    for (const Link& l : links) {
      const double lag = l.lag.mode();
      const double offset = l.type == FS ? d[l.pred] + lag : l.type == SS ? lag : d[l.pred] + lag - d[l.succ];
      boost::add_edge(l.pred, l.succ, -offset, g);
    }
    std::vector<double> dist(n + 2);
    boost::dag_shortest_paths(g, s, boost::distance_map(dist.data()));

    const RepairOutcome out = run(project);
    CHECK(out.completion == -dist[t]);
    for (std::size_t i = 0; i < n; ++i) CHECK(out.tasks[i].start == -dist[i]);
    RepairOutcome bare;
    Rng unused(0, 0, stream_key("test"));
    CHECK(project.evaluate(unused, {}, bare) == -dist[t]);
  }
}

TEST_CASE("with one crew and no links the completion is the sum of the durations, in file order") {
  ResourceSpec crew{"crew", 1, {}};
  std::vector<TaskSpec> tasks;
  for (int i = 0; i < 4; ++i) tasks.push_back(task(numbered("T", i), tri(1, 4, 12), {{0, 1}}));
  const RepairProject project("crew", tasks, {}, {}, {}, {crew});
  for (std::uint64_t r = 0; r < 50; ++r) {
    const RepairOutcome out = run(project, r);
    double sum = 0.0, previous_finish = 0.0;
    for (const TaskRecord& t : out.tasks) {
      CHECK(t.start == previous_finish);  // equal ready times: file order, no gap
      previous_finish = t.finish;
      sum += t.duration;
      CHECK(t.critical);  // the crew chains them all
    }
    CHECK(out.completion == doctest::Approx(sum).epsilon(1e-12));
  }
}

TEST_CASE("waiting tasks get resources by earliest ready time, then file order, without blocking") {
  ResourceSpec crews{"crews", 2, {}};
  // W holds one crew over [0, 10]. Big needs both crews, ready on day 1 (after P); Small needs one,
  // ready on day 2 (after Q); Late needs both, ready on day 5 (after R), and comes first in the file.
  const RepairProject project(
      "priority",
      {task("W", fixed(10), {{0, 1}}), task("P", fixed(1)), task("Late", fixed(1), {{0, 2}}), task("Q", fixed(2)),
       task("Small", fixed(3), {{0, 1}}), task("Big", fixed(4), {{0, 2}}), task("R", fixed(5))},
      {link(1, 5), link(3, 4), link(6, 2)}, {}, {}, {crews});
  const RepairOutcome out = run(project);
  CHECK(out.tasks[4].start == 2.0);   // Small fits beside W although Big waits ahead of it
  CHECK(out.tasks[5].start == 10.0);  // Big (ready 1) before Late (ready 5, earlier in the file)
  CHECK(out.tasks[2].start == 14.0);
  CHECK(out.completion == 15.0);
  // The chain that set the completion: Late <- Big (released the crews) <- W (released at 10).
  CHECK(out.tasks[2].critical);
  CHECK(out.tasks[5].critical);
  CHECK(out.tasks[0].critical);
  CHECK_FALSE(out.tasks[4].critical);
  CHECK_FALSE(out.tasks[6].critical);
}

TEST_CASE("equal ready times go in file order") {
  ResourceSpec crew{"crew", 1, {}};
  const RepairProject project("tie", {task("W", fixed(3), {{0, 1}}), task("B", fixed(1), {{0, 1}}),
                                      task("A", fixed(1), {{0, 1}}), task("P", fixed(1))},
                              {link(3, 2), link(3, 1)}, {}, {}, {crew});
  const RepairOutcome out = run(project);
  CHECK(out.tasks[1].start == 3.0);
  CHECK(out.tasks[2].start == 4.0);
}

TEST_CASE("a successor whose bound passed while its predecessor waited for resources starts when known") {
  ResourceSpec crew{"crew", 1, {}};
  // A waits for the crew until day 10; B may start 3 days before A does, but A's start is known
  // only on day 10, and the engine never starts a task in the past.
  const RepairProject project("late", {task("W", fixed(10), {{0, 1}}), task("A", fixed(5), {{0, 1}}), task("B", fixed(1))},
                              {link(1, 2, SS, -3)}, {}, {}, {crew});
  const RepairOutcome out = run(project);
  CHECK(out.tasks[1].start == 10.0);
  CHECK(out.tasks[2].start == 10.0);
  CHECK(out.completion == 15.0);
  CHECK(out.tasks[0].critical);
  CHECK(out.tasks[1].critical);
  CHECK_FALSE(out.tasks[2].critical);
}

TEST_CASE("an SS link with a lag overlaps the tasks exactly as written") {
  const RepairProject project("ss", {task("A", fixed(10)), task("B", fixed(5))}, {link(0, 1, SS, 3)}, {}, {}, {});
  const RepairOutcome out = run(project);
  CHECK(out.tasks[0].start == 0.0);
  CHECK(out.tasks[1].start == 3.0);
  CHECK(out.tasks[1].finish == 8.0);
  CHECK(out.completion == 10.0);
}

TEST_CASE("an FF link delays the successor's start and never stretches it") {
  const RepairProject plain("ff", {task("A", fixed(10)), task("B", fixed(4))}, {link(0, 1, FF)}, {}, {}, {});
  RepairOutcome out = run(plain);
  CHECK(out.tasks[1].start == 6.0);
  CHECK(out.tasks[1].duration == 4.0);
  CHECK(out.tasks[1].finish == 10.0);

  const RepairProject lagged("ff", {task("A", fixed(10)), task("B", fixed(4))}, {link(0, 1, FF, 2)}, {}, {}, {});
  out = run(lagged);
  CHECK(out.tasks[1].start == 8.0);
  CHECK(out.completion == 12.0);

  // A successor longer than its FF predecessor may start before it (CPM), here at the project start.
  const RepairProject longer("ff", {task("X", fixed(5)), task("A", fixed(10)), task("B", fixed(20))},
                             {link(0, 1), link(1, 2, FF)}, {}, {}, {});
  out = run(longer);
  CHECK(out.tasks[1].start == 5.0);
  CHECK(out.tasks[2].start == 0.0);
  CHECK(out.completion == 20.0);
}

TEST_CASE("percent lags are a share of the predecessor's realised duration") {
  const RepairProject project("pct", {task("A", tri(10, 20, 40)), task("B", fixed(1)), task("C", fixed(1))},
                              {percent_link(0, 1, SS, 50), percent_link(0, 2, FS, -25)}, {}, {}, {});
  for (std::uint64_t r = 0; r < 20; ++r) {
    const RepairOutcome out = run(project, r);
    const double a = out.tasks[0].duration;
    CHECK(out.tasks[1].start == doctest::Approx(0.5 * a).epsilon(1e-14));
    CHECK(out.tasks[2].start == doctest::Approx(0.75 * a).epsilon(1e-14));
  }
}

TEST_CASE("the engine and the bare evaluation draw alike and agree without resources") {
  BranchSpec branch{"b", 0, {1, 2}, {0.5, 0.5}, {}};
  RiskSpec risk;
  risk.id = "r";
  risk.probability = 0.5;
  risk.impacts.push_back({3, tri(1, 2, 8), 10.0, {}});
  Link lag = link(1, 3, SS);
  lag.lag = tri(-2, 1, 5);
  const RepairProject project(
      "same",
      {task("A", tri(2, 7, 30)), task("B", tri(5, 19, 60)), task("C", tri(150, 270, 730)), task("D", tri(7, 15, 30)),
       task("E", tri(40, 60, 120))},
      {link(0, 1, SS, 1), link(0, 2), lag, link(2, 3), percent_link(3, 4, SS, 50), link(3, 4, FF)}, {branch}, {risk},
      {}, CorrelationSpec{{3, 4}, {{1, 0.6}, {0.6, 1}}, {}});
  for (std::uint64_t r = 0; r < 200; ++r) {
    const RepairOutcome engine = run(project, r);
    RepairOutcome bare;
    Rng rng(42, r, stream_key("test"));
    CHECK(project.evaluate(rng, {}, bare) == engine.completion);
    for (std::size_t t = 0; t < 5; ++t) {
      const bool removed = std::isnan(engine.tasks[t].start);
      CHECK(removed == std::isnan(bare.tasks[t].start));
      if (!removed) CHECK(bare.tasks[t].start == engine.tasks[t].start);
    }
  }
}

TEST_CASE("without resources an instance costs one event per task, and criticality is zero float") {
  // A -> C, B -> C: A (5) is critical, B (3) has 2 days of float.
  const RepairProject project("cpm", {task("A", fixed(5)), task("B", fixed(3)), task("C", fixed(10))},
                              {link(0, 2), link(1, 2)}, {}, {}, {});
  std::uint64_t events = 0;
  const RepairOutcome out = run(project, 0, {}, &events);
  CHECK(events == 3);
  CHECK(out.tasks[0].critical);
  CHECK_FALSE(out.tasks[1].critical);
  CHECK(out.tasks[2].critical);
}

TEST_CASE("an instance started later runs in absolute time and completes at its event") {
  const RepairProject project("late", {task("A", fixed(5)), task("B", fixed(3))}, {link(0, 1)}, {}, {}, {});
  Simulation sim;
  RepairOutcome out;
  Rng rng(1, 0, stream_key("test"));
  double completed = -1;
  auto start = [&] { project.start(sim, rng, {}, out, [&] { completed = sim.now(); }); };
  sim.schedule_at(100.0, [&start] { start(); });  // events store at most three words inline
  sim.run();
  CHECK(out.start == 100.0);
  CHECK(out.tasks[1].start == 105.0);
  CHECK(completed == 108.0);
}

TEST_CASE("a cycle is an error that lists its tasks in order") {
  std::vector<TaskSpec> tasks;
  for (const char* id : {"R1", "R2", "R3", "R4", "R5", "R6"}) tasks.push_back(task(id, fixed(1)));
  // R1 -> R3 -> R5 -> R6 -> R3, found from R1 and reported from its earliest task, R3.
  try {
    RepairProject("cyc", tasks, {link(0, 2), link(2, 4), link(4, 5), link(5, 2), link(1, 3)}, {}, {}, {});
    FAIL("no error");
  } catch (const GraphError& e) {
    CHECK(std::string(e.what()) == "cycle: R3 -> R5 -> R6 -> R3");
    CHECK(e.cycle() == std::vector<std::string>{"R3", "R5", "R6"});
  }
}

TEST_CASE("invalid descriptions are rejected with a message naming the entry") {
  const auto message = [](auto&& make) -> std::string {
    try {
      make();
    } catch (const RepairSpecError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::vector<TaskSpec> two{task("A", fixed(1)), task("B", fixed(1))};
  CHECK(message([&] {
          RepairProject("x", two, {}, {BranchSpec{"b", 0, {0, 1}, {0.5, 0.5}, {}}}, {}, {});
        }) == "branch 'b': 'A' cannot be an alternative after itself");
  const std::vector<TaskSpec> three{task("A", fixed(1)), task("B", fixed(1)), task("C", fixed(1))};
  CHECK(message([&] {
          RepairProject("x", three, {}, {BranchSpec{"b", 0, {1, 2}, {0.5, 0.4}, {}}}, {}, {});
        }) == "branch 'b': probabilities sum to 0.9, not 1");
  CHECK(message([&] {
          RepairProject("x", three, {}, {BranchSpec{"b", 0, {1, 2}, {1.5, -0.5}, {}}}, {}, {});
        }) == "branch 'b': probability 1.5 of 'B' is outside [0, 1]");
  CHECK(message([&] { RepairProject("x", {task("A", fixed(1), {{0, 3}})}, {}, {}, {}, {{"crews", 2, {}}}); }) ==
        "task 'A' needs 3 units of 'crews' but the project has only 2");
  CHECK(message([&] {
          RepairProject("x", {task("A", fixed(1), {{0, 1}, {0, 1}})}, {}, {}, {}, {{"crews", 2, {}}});
        }) == "task 'A' lists resource 'crews' twice");
  CHECK(message([&] {
          RepairProject("x", two, {}, {}, {}, {}, CorrelationSpec{{0, 1}, {{1, 0.5}, {0.3, 1}}, {}});
        }) == "correlation: not symmetric: 0.5 between 'A' and 'B' but 0.3 between 'B' and 'A'");
  CHECK(message([&] {
          RepairProject("x", {task("A", Distribution(DistributionSpec::uniform(-1, 3)))}, {}, {}, {}, {});
        }) == "task 'A': duration uniform(-1, 3) can be negative; a duration must not be");
}
