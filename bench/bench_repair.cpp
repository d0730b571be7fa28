// The default Site 31/6 repair graph (experiments/site31-repair.toml): replications per second
// through the event engine (BM_repair_engine: a fresh Simulation per replication, RepairProject::
// start, run to completion, critical path included) against the bare sample-and-longest-path
// evaluation of the same draws (BM_repair_bare: RepairProject::evaluate, no engine, no resources).
// Target (issue 3): engine >= 0.25x bare.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "padsim/models/scenario_spec.hpp"

namespace {

using padsim::models::RepairProject;

// The scenario file is found in the source tree (PADSIM_SOURCE_DIR, absolute: __FILE__ can be
// relative to the build directory), so the benchmark runs from any directory.
const RepairProject& default_repair() {
  static const padsim::models::ScenarioSpec spec = [] {
    const auto path = std::filesystem::path(PADSIM_SOURCE_DIR) / "experiments" / "site31-repair.toml";
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return padsim::models::parse_scenario(text.str(), path.string());
  }();
  return *spec.find_repair("site31-cabin")->project;
}

void BM_repair_engine(benchmark::State& state) {
  const RepairProject& project = default_repair();
  padsim::models::RepairOutcome out;
  std::uint64_t replication = 0;
  for (auto _ : state) {
    padsim::Simulation sim;
    padsim::Rng rng(1, replication++, padsim::models::repair_stream("site31", 0));
    project.start(sim, rng, {}, out, {});
    sim.run();
    benchmark::DoNotOptimize(out.completion);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_repair_engine);

void BM_repair_bare(benchmark::State& state) {
  const RepairProject& project = default_repair();
  padsim::models::RepairOutcome out;
  std::uint64_t replication = 0;
  for (auto _ : state) {
    padsim::Rng rng(1, replication++, padsim::models::repair_stream("site31", 0));
    benchmark::DoNotOptimize(project.evaluate(rng, {}, out));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_repair_bare);

}  // namespace
