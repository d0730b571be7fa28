#pragma once
/// A pad's repair as a stochastic project: tasks with uncertain durations, CPM links (FS/SS/FF with
/// lags in days or % of the predecessor's duration), probabilistic branches, risk events, rank
/// correlation between durations (Gaussian copula) and resources. Semantics: MODEL.md "Repair
/// project". The description is immutable; each repair *instance* draws afresh when it starts.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "padsim/distribution.hpp"
#include "padsim/error.hpp"
#include "padsim/monte_carlo.hpp"
#include "padsim/rng.hpp"
#include "padsim/simulation.hpp"

namespace padsim::models {

enum class LinkType { kFinishToStart, kStartToStart, kFinishToFinish };

/// A link pred -> succ. The lag is either days (a distribution, may be negative) or a percentage
/// of the predecessor's sampled duration (`SS+50%`).
struct Link {
  std::size_t pred = 0;
  std::size_t succ = 0;
  LinkType type = LinkType::kFinishToStart;
  Distribution lag;              ///< days; fixed 0 by default
  double lag_percent = 0.0;      ///< used when lag_is_percent
  bool lag_is_percent = false;
};

struct TaskSpec {
  std::string id;
  std::string name;
  Distribution duration;
  std::vector<std::pair<std::size_t, int>> resources;  ///< (resource index, units)
  SourcePosition where;
};

/// After task `after` finishes, exactly one of `alternatives` is kept (chosen with `probabilities`);
/// the others are removed with their links; successors join on whichever remains.
struct BranchSpec {
  std::string id;
  std::size_t after = 0;
  std::vector<std::size_t> alternatives;
  std::vector<double> probabilities;
};

/// A risk: with `probability`, each impacted task gets extra days (drawn per task) and/or a
/// percentage of its sampled duration (days added first).
struct RiskSpec {
  std::string id;
  double probability = 0.0;
  struct Impact {
    std::size_t task = 0;
    Distribution days;      ///< fixed 0 when absent
    double percent = 0.0;   ///< of the task's sampled duration
  };
  std::vector<Impact> impacts;
};

struct ResourceSpec {
  std::string id;
  int capacity = 1;
};

/// Everything one repair instance realised. Times are absolute simulation days.
struct RepairOutcome {
  Time start = 0.0;
  Time completion = kEmpty;            ///< kEmpty until the project completes
  std::vector<TaskRecord> tasks;       ///< one per task, in file order
};

/// How draws are made: random, or (deterministic mode) each distribution's mode, each probability
/// event iff p > 0.5, each branch its most probable alternative.
struct DrawMode {
  bool deterministic = false;
  double draw(const Distribution& d, Rng& rng) const { return deterministic ? d.mode() : d.sample(rng); }
  bool happens(double p, Rng& rng) const { return deterministic ? p > 0.5 : rng.uniform01() < p; }
};

/// A validated repair graph, built by the scenario loader (or programmatically in tests).
class RepairProject {
 public:
  /// Validates: ids unique, links reference tasks, no cycles (GraphError listing the cycle),
  /// branch probabilities in [0,1] summing to 1, correlation matrix size; repairs a correlation
  /// matrix that is not positive semi-definite to the nearest valid one (a warning via spdlog).
  RepairProject(std::string name, std::vector<TaskSpec> tasks, std::vector<Link> links,
                std::vector<BranchSpec> branches, std::vector<RiskSpec> risks,
                std::vector<ResourceSpec> resources,
                std::vector<std::vector<double>> rank_correlation = {});
  ~RepairProject();
  RepairProject(RepairProject&&) noexcept;

  const std::string& name() const noexcept;
  const std::vector<TaskSpec>& tasks() const noexcept;
  std::vector<std::string> task_ids() const;

  /// Starts one instance at sim.now(): draws durations, lags, branch choices and risks from `rng`,
  /// runs the tasks as events in `sim` (tasks start when links and resources allow, in priority
  /// order: earliest possible start, then file order), fills `out` and calls `on_complete()` at the
  /// completion event. `out` and `rng` must outlive the instance.
  void start(Simulation& sim, Rng& rng, const DrawMode& mode, RepairOutcome& out,
             std::function<void()> on_complete, int priority = 0) const;

  /// The same draws evaluated without the engine and without resources: a CPM forward pass.
  /// Returns the completion time relative to the start (the benchmark's bare evaluation).
  double evaluate(Rng& rng, const DrawMode& mode, RepairOutcome& out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace padsim::models
