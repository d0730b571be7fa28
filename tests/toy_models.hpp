#pragma once
// Small padsim::Model implementations for driver tests: their outcomes have known distributions,
// and they exercise every part of the contract (censored outcomes, events, not-applicable cells,
// removed tasks, daily series, traces) without the scenario loader.

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "padsim/batch.hpp"
#include "padsim/error.hpp"
#include "padsim/models/task_table.hpp"
#include "padsim/monte_carlo.hpp"
#include "padsim/rng.hpp"
#include "test_support.hpp"

namespace padsim::test {

/// A three-task repair: A (uniform 10..30) and, with probability 0.7, B (uniform 5..15) in
/// parallel, then C (uniform 2..4); a risk (p = 0.2) adds an exponential delay of mean 40 days to
/// C. The pad is ready when C finishes; beyond the horizon (150) it is censored.
class ToyRepairModel : public Model {
 public:
  /// Called at the start of every replication (tests use it to interrupt or fail a batch).
  std::function<void(std::uint64_t replication)> on_run;

  ToyRepairModel() {
    outcomes_ = {
        {"pad_ready_day", "day", OutcomeKind::kValue, true, true, "day the repair completes"},
        {"late", "0/1", OutcomeKind::kEvent, true, false, "ready after day 40"},
        {"b_share", "ratio", OutcomeKind::kValue, false, false, "B / A; empty without B"},
        {"note, \"quoted\"", "count", OutcomeKind::kValue, false, false, "a name needing quotes"},
    };
    inputs_ = {"duration:A", "duration:B", "duration:C", "delay:risk", "constant"};
    tables_ = {models::task_table({"A", "B", "C"}, "pad_ready_day")};
    series_ = {"stock", "crew"};
  }

  const std::vector<OutcomeInfo>& outcomes() const override { return outcomes_; }
  const std::vector<std::string>& inputs() const override { return inputs_; }
  const std::vector<EntityTable>& entity_tables() const override { return tables_; }
  const std::vector<std::string>& series_names() const override { return series_; }
  int series_days() const override { return 30; }
  std::string epoch() const override { return "2025-11-27T09:28Z"; }
  Time horizon() const override { return 150.0; }

  void run(std::uint64_t seed, std::uint64_t replication, ReplicationResult& out,
           TraceSink* trace) const override {
    if (on_run) on_run(replication);
    Rng rng(seed, replication, stream_key("test"));
    const double a = 10.0 + 20.0 * rng.uniform01();
    const bool has_b = rng.uniform01() < 0.7;
    const double b = 5.0 + 10.0 * rng.uniform01();
    const double c = 2.0 + 2.0 * rng.uniform01();
    const double delay = rng.uniform01() < 0.2 ? -40.0 * std::log(rng.uniform01()) : 0.0;
    const double c_start = has_b ? std::max(a, b) : a;
    const double ready = c_start + c + delay;

    out.outcomes[0] = ready <= horizon() ? ready : kEmpty;
    out.outcomes[1] = ready > 40.0 ? 1.0 : 0.0;
    out.outcomes[2] = has_b ? b / a : kEmpty;
    out.outcomes[3] = static_cast<double>(replication % 3);
    out.inputs = {a, has_b ? b : kEmpty, c, delay, 1.0};
    std::vector<double>& tasks = out.tables[models::kTaskTable];
    models::set_task_record(tasks, 0, {0.0, a, a, !has_b || a >= b});
    if (has_b) models::set_task_record(tasks, 1, {0.0, b, b, b > a});
    models::set_task_record(tasks, 2, {c_start, c_start + c + delay, c + delay, true});
    const double rate = 2.0 + rng.uniform01();
    for (int d = 0; d < series_days(); ++d) {
      out.series[static_cast<std::size_t>(d) * 2] = 100.0 - rate * d;
      out.series[static_cast<std::size_t>(d) * 2 + 1] = d < ready ? 2.0 : 3.0;
    }
    if (trace != nullptr) {
      trace->event(0.0, "repair_start", "pad", "seed repair");
      trace->event(a, "task_finish", "A", "duration " + std::to_string(a));
      if (has_b) trace->event(b, "task_finish", "B", "crew \"B\", night shift");
      trace->event(ready, "pad_ready", "pad", "");
    }
  }

 private:
  std::vector<OutcomeInfo> outcomes_;
  std::vector<std::string> inputs_;
  std::vector<EntityTable> tables_;
  std::vector<std::string> series_;
};

/// One headline outcome x ~ Normal(mean, sd) and its input, for convergence tests.
class NormalModel : public Model {
 public:
  NormalModel(double mean, double sd) : mean_(mean), sd_(sd) {
    outcomes_ = {{"x", "days", OutcomeKind::kValue, true, false, "a normal variate"}};
    inputs_ = {"z"};
  }
  const std::vector<OutcomeInfo>& outcomes() const override { return outcomes_; }
  const std::vector<std::string>& inputs() const override { return inputs_; }
  const std::vector<std::string>& series_names() const override { return none_; }
  std::string epoch() const override { return "2025-01-01"; }
  Time horizon() const override { return 365.0; }
  void run(std::uint64_t seed, std::uint64_t replication, ReplicationResult& out,
           TraceSink*) const override {
    Rng rng(seed, replication, stream_key("test"));
    // Box-Muller: enough for a test, and independent of any library's normal distribution.
    const double z = std::sqrt(-2.0 * std::log(rng.uniform01())) *
                     std::cos(6.283185307179586 * rng.uniform01());
    out.outcomes[0] = mean_ + sd_ * z;
    out.inputs[0] = z;
  }

 private:
  double mean_, sd_;
  std::vector<OutcomeInfo> outcomes_;
  std::vector<std::string> inputs_;
  std::vector<std::string> none_;
};

/// Checks that two batch results hold the same replications and every value bit for bit.
inline void check_same_result(const BatchResult& a, const BatchResult& b) {
  CHECK(a.seed == b.seed);
  CHECK(a.first_replication == b.first_replication);
  CHECK(a.replications == b.replications);
  CHECK(a.series_replications == b.series_replications);
  CHECK(a.table_cells == b.table_cells);
  CHECK(same_values(a.outcomes, b.outcomes));
  CHECK(same_values(a.inputs, b.inputs));
  REQUIRE(a.tables.size() == b.tables.size());
  for (std::size_t t = 0; t < a.tables.size(); ++t) CHECK(same_values(a.tables[t], b.tables[t]));
  CHECK(same_values(a.series, b.series));
}

/// The batch options the driver tests use for the toy models: seed 42 and an odd chunk size, so
/// that chunks straddle round and thread boundaries.
inline BatchOptions options_for(unsigned threads, std::uint64_t replications = 2000) {
  BatchOptions o;
  o.seed = 42;
  o.replications = replications;
  o.threads = threads;
  o.chunk_size = 7;
  o.scenario = "toy.toml";
  o.scenario_sha256 = "0123";
  o.command_line = "padsim run toy.toml";
  return o;
}

}  // namespace padsim::test
