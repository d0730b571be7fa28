// Station benchmark: replications per second of the default scenario (experiments/baikonur-2025.toml)
// on one thread, as the batch driver runs them (one Simulation per replication, series and
// outcomes filled, no trace). Target: >= 100,000 per second per core.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "padsim/models/scenario.hpp"

namespace {

std::string read_default_scenario() {
  std::ifstream in(std::string(PADSIM_SOURCE_DIR) + "/experiments/baikonur-2025.toml", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// BM_default_scenario/0 is a replication as a batch runs most of them: without its daily series,
// which a batch keeps for its first replications only (11,570 of the default scenario's); /1 fills
// them, as those first replications and `padsim replay` do.
void BM_default_scenario(benchmark::State& state) {
  const auto model = padsim::models::load_scenario(read_default_scenario(), "baikonur-2025.toml");
  padsim::ReplicationResult row;
  row.keep_series = state.range(0) != 0;
  std::uint64_t replication = 0;
  for (auto _ : state) {
    model->run(42, replication++, row);
    benchmark::DoNotOptimize(row.outcomes.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_default_scenario)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
