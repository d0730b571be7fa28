// padsim_bench's main: Google Benchmark's console output, then the ratio of every engine benchmark
// to its baseline run in this same binary (BM_x_engine/N against BM_x_baseline/N or BM_x_bare/N),
// so a claimed speed always comes with its yardstick.
#include <benchmark/benchmark.h>

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
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      auto it = run.counters.find("items_per_second");
      if (it != run.counters.end()) rates_[run.benchmark_name()] = it->second.value;
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    bool header = false;
    for (const auto& [name, rate] : rates_) {
      const auto at = name.find("_engine");
      if (at == std::string::npos) continue;
      for (const char* base : {"_baseline", "_bare"}) {
        std::string other = name;
        other.replace(at, 7, base);
        auto found = rates_.find(other);
        if (found == rates_.end() || found->second <= 0) continue;
        if (!header) std::printf("\n%-40s %-40s %8s\n", "engine", "baseline (same binary)", "ratio");
        header = true;
        std::printf("%-40s %-40s %8.3f\n", name.c_str(), other.c_str(), rate / found->second);
      }
    }
    std::fflush(stdout);
  }

 private:
  std::map<std::string, double> rates_;
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
