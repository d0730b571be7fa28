// padsim_bench's main: Google Benchmark's console output, then the ratio of every engine benchmark
// to its baselines run in this same binary (BM_x_engine/N against BM_x_baseline/N, BM_x_dary/N or
// BM_x_bare/N), so a claimed speed always comes with its yardstick. With --benchmark_repetitions
// the ratios are of the medians.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      auto it = run.counters.find("items_per_second");
      if (it == run.counters.end()) continue;
      const std::string name = run.run_name.str();
      if (run.run_type == Run::RT_Iteration) samples_[name].push_back(it->second.value);
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median") medians_[name] = it->second.value;
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    std::map<std::string, double> rates = medians_;
    for (auto& [name, values] : samples_) {
      if (rates.count(name) != 0) continue;
      std::sort(values.begin(), values.end());
      const std::size_t n = values.size();
      rates[name] = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }
    bool header = false;
    for (const auto& [name, rate] : rates) {
      const auto at = name.find("_engine");
      if (at == std::string::npos) continue;
      for (const char* base : {"_baseline", "_dary", "_bare"}) {
        std::string other = name;
        other.replace(at, 7, base);
        auto found = rates.find(other);
        if (found == rates.end() || found->second <= 0) continue;
        if (!header) std::printf("\n%-40s %-40s %8s\n", "engine", "baseline (same binary)", "ratio");
        header = true;
        std::printf("%-40s %-40s %8.3f\n", name.c_str(), other.c_str(), rate / found->second);
      }
    }
    std::fflush(stdout);
  }

 private:
  std::map<std::string, std::vector<double>> samples_;  // items/s of each repetition
  std::map<std::string, double> medians_;               // when only aggregates are reported
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
