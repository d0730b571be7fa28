// Station benchmark: replications per second of the default scenario (experiments/baikonur-2025.toml)
// on one thread, as the batch driver runs them (one Simulation per replication, series and
// outcomes filled, no trace). Target: >= 20,000 per second per core.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "../models/station_loader.hpp"
#include "padsim/models/repair_project.hpp"
#include "padsim/models/station.hpp"

namespace {

std::string read_default_scenario() {
  std::ifstream in(std::string(PADSIM_SOURCE_DIR) + "/experiments/baikonur-2025.toml", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Until the scenario loader parses [repair.*] on this branch, the seed repair is one task with the
// §4.2 most-likely total (triangular 60 / 97 / 200 days). The station's cost does not depend on it.
std::shared_ptr<const padsim::models::RepairProject> placeholder_repair(const std::string&) {
  using namespace padsim::models;
  TaskSpec t;
  t.id = "R1";
  t.duration = padsim::Distribution(padsim::DistributionSpec::triangular(60, 97, 200));
  return std::make_shared<const RepairProject>("placeholder", std::vector<TaskSpec>{t}, std::vector<Link>{},
                                               std::vector<BranchSpec>{}, std::vector<RiskSpec>{},
                                               std::vector<ResourceSpec>{});
}

void BM_default_scenario(benchmark::State& state) {
  const padsim::models::StationModel model(
      padsim::models::detail::load_station_spec(read_default_scenario(), "baikonur-2025.toml", {}, placeholder_repair));
  padsim::ReplicationResult row;
  std::uint64_t replication = 0;
  for (auto _ : state) {
    model.run(42, replication++, row);
    benchmark::DoNotOptimize(row.outcomes.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_default_scenario)->Unit(benchmark::kMicrosecond);

}  // namespace
