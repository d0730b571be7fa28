// Loading and validating a scenario as `padsim validate` does (parse, check every entry, build and
// check the repair graph), on a generated chain of N tasks, each after the one before. Loading is
// linear in the graph's size: the complexity fit reports O(N). Target (issue 14): 100,000 tasks in
// under 2 s.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "padsim/models/scenario.hpp"

namespace {

/// A repair-only scenario whose repair is a chain of `n` triangular tasks.
const std::string& chain_scenario(std::size_t n) {
  static std::map<std::size_t, std::string> texts;
  std::string& text = texts[n];
  if (!text.empty()) return text;
  text = "[scenario]\nname = \"chain\"\nepoch = \"2025-11-27T09:28Z\"\nhorizon = \"2027-06-30\"\n\n"
         "[[pad]]\nid = \"p\"\ndown_at_epoch = true\nrepair = \"r\"\n\n";
  for (std::size_t i = 0; i < n; ++i) {
    text += "[[repair.r.task]]\nid = \"T" + std::to_string(i) + "\"\nduration = { triangular = [1, 2, 4] }\n";
    if (i > 0) text += "after = [\"T" + std::to_string(i - 1) + "\"]\n";
  }
  return text;
}

void BM_load_chain(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::string& text = chain_scenario(n);
  for (auto _ : state) {
    auto model = padsim::models::load_scenario(text, "chain.toml", {});
    benchmark::DoNotOptimize(model.get());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_load_chain)->RangeMultiplier(10)->Range(1000, 100000)->Unit(benchmark::kMillisecond)->Complexity(
    benchmark::oN);

}  // namespace
