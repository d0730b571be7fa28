#pragma once
/// A pad's repair as a stochastic project: tasks with uncertain durations, CPM links (FS/SS/FF with
/// lags in days or % of the predecessor's duration), probabilistic branches, risk events, rank
/// correlation between durations (Gaussian copula) and resources. Semantics: docs/model.md "Repair
/// project"; the rules docs/model.md leaves open are in docs/scenario.md ("How a repair instance runs").
/// The description is immutable; each repair *instance* draws afresh when it starts.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "padsim/distribution.hpp"
#include "padsim/error.hpp"
#include "padsim/latin_hypercube.hpp"
#include "padsim/models/task_table.hpp"
#include "padsim/monte_carlo.hpp"
#include "padsim/rng.hpp"
#include "padsim/simulation.hpp"

namespace padsim::models {

enum class LinkType { kFinishToStart, kStartToStart, kFinishToFinish };

/// A link pred -> succ. The lag is either days (a distribution, may be negative) or a percentage
/// of the predecessor's realised duration (`SS+50%`).
struct Link {
  std::size_t pred = 0;
  std::size_t succ = 0;
  LinkType type = LinkType::kFinishToStart;
  Distribution lag;              ///< days; fixed 0 by default
  double lag_percent = 0.0;      ///< used when lag_is_percent
  bool lag_is_percent = false;
  SourcePosition where;          ///< the link's entry in the scenario (for messages)
};

/// One task: an id unique within the project, a duration in days, and the resource units it holds
/// while it runs.
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
  SourcePosition where;
};

/// A risk: with `probability`, each impacted task gets extra days (drawn per task) and/or a
/// percentage of its sampled duration (days added first).
struct RiskSpec {
  std::string id;
  double probability = 0.0;
  struct Impact {
    std::size_t task = 0;
    Distribution days;      ///< fixed 0 when absent
    double percent = 0.0;   ///< of the task's sampled duration plus `days`
    SourcePosition where;
  };
  std::vector<Impact> impacts;
  SourcePosition where;
};

/// A resource of the project (crews, a crane): `capacity` units, owned by each repair instance.
struct ResourceSpec {
  std::string id;
  int capacity = 1;
  SourcePosition where;
};

/// Rank correlation (Spearman's rho) between the durations of some tasks: `matrix` is
/// tasks.size() x tasks.size(), symmetric, with a unit diagonal. Empty: durations are independent.
struct CorrelationSpec {
  std::vector<std::size_t> tasks;
  std::vector<std::vector<double>> matrix;
  SourcePosition where;
  bool empty() const noexcept { return tasks.empty(); }
};

/// What is known of a repair under way at a status date (docs/scenario.md, "Re-forecasting from a
/// status"). Times are days from the start of the instance under way (the epoch). Replications then
/// sample only what is still uncertain: a finished task takes its actual duration; a started one
/// its distribution conditioned on having lasted the elapsed time (or `remaining` added to it); a
/// task not started starts no earlier than the status date; resolved branches and risks are fixed.
struct RepairStatus {
  double date = 0.0;
  struct Task {
    std::size_t task = 0;
    double start = kEmpty;                ///< actual start (kEmpty: not started)
    double finish = kEmpty;               ///< actual finish (kEmpty: not finished)
    std::optional<Distribution> remaining;  ///< judgement of the days left, for a started task
    SourcePosition where;
  };
  std::vector<Task> tasks;
  struct Branch {
    std::size_t branch = 0;
    std::size_t kept = 0;  ///< index into the branch's alternatives
    SourcePosition where;
  };
  std::vector<Branch> branches;
  struct Risk {
    std::size_t risk = 0;
    bool occurred = false;
    SourcePosition where;
  };
  std::vector<Risk> risks;
  SourcePosition where;
};

/// An invalid repair description. `where()` is the offending entry's position (empty for graphs
/// built in code), so the scenario loader can report `FILE:LINE:COL: error: ...`.
class RepairSpecError : public ParameterError {
 public:
  RepairSpecError(SourcePosition where, const std::string& message)
      : ParameterError(message), where_(std::move(where)) {}
  const SourcePosition& where() const noexcept { return where_; }

 private:
  SourcePosition where_;
};

/// Everything one repair instance realised. Times are absolute simulation days.
struct RepairOutcome {
  Time start = 0.0;
  Time completion = kEmpty;            ///< kEmpty until the project completes
  std::vector<TaskRecord> tasks;       ///< one per task, in file order (NaN: removed by a branch)
  /// One per branch, in file order: the index in its `alternatives` of the one kept.
  std::vector<std::size_t> kept;
  /// One per risk, in file order: whether it occurred.
  std::vector<bool> occurred;
  /// One per link, in file order: the earliest start the link alone allowed its successor (its
  /// predecessor's date plus the realised lag; kEmpty when either end was removed, or the
  /// successor's start was fixed by the status). Filled by start(), not by evaluate().
  std::vector<double> link_bounds;
  /// The engine state of a running instance (RepairProject::start); keeps it alive while its
  /// events are pending. Not for callers.
  std::shared_ptr<void> running;
};

/// A task's duration as a sensitivity input (`duration:<task>`): a task a branch removed took no
/// time, so it counts as 0 rather than as missing. Ranking only the replications that took a branch
/// would credit the branch's task with the whole tail; ranking all of them shows what taking it does
/// (tasks.csv's cruciality counts removed tasks the same way).
inline double duration_input(const TaskRecord& task) noexcept {
  return task.duration == task.duration ? task.duration : 0.0;
}

/// The sensitivity inputs of one repair instance besides its durations, in the order the models
/// list them after its `duration:` inputs: `branch:<id>` per branch (0-based index of the
/// alternative kept), then `risk:<id>` per risk (1 occurred, 0 not). Writes them to `out` and
/// returns the position after the last.
inline double* write_choice_inputs(const RepairOutcome& outcome, double* out) noexcept {
  for (const std::size_t k : outcome.kept) *out++ = static_cast<double>(k);
  for (const bool o : outcome.occurred) *out++ = o ? 1.0 : 0.0;
  return out;
}

/// How draws are made: random, or (deterministic mode) each distribution's mode, each probability
/// event iff p > 0.5, each branch its most probable alternative. With a Latin hypercube (`lhs`,
/// docs/model.md "Sampling"), the stratified draws (a task's duration, a branch's choice, a risk's
/// occurrence) take their uniform from its stratum in the replication's block instead; the others
/// (lags, risk impacts) stay plain draws.
struct DrawMode {
  bool deterministic = false;
  const LatinHypercube* lhs = nullptr;  ///< set: Latin hypercube sampling (not in deterministic mode)
  std::uint64_t seed = 0;               ///< with lhs: the batch seed ...
  std::uint64_t replication = 0;        ///< ... the replication ...
  std::uint64_t stream = 0;             ///< ... and the stream of the repair instance drawing

  /// This mode for replication `rep` of a batch with `batch_seed` (only lhs needs them).
  DrawMode at(std::uint64_t batch_seed, std::uint64_t rep) const {
    DrawMode m = *this;
    m.seed = batch_seed;
    m.replication = rep;
    return m;
  }
  /// This mode for the repair instance drawing from stream `key` (its repair_stream()).
  DrawMode for_stream(std::uint64_t key) const {
    DrawMode m = *this;
    m.stream = key;
    return m;
  }
  bool stratified() const noexcept { return lhs != nullptr && !deterministic; }

  double draw(const Distribution& d, Rng& rng) const { return deterministic ? d.mode() : d.sample(rng); }
  bool happens(double p, Rng& rng) const { return deterministic ? p > 0.5 : rng.uniform01() < p; }

  /// A uniform in (0, 1) for the input `key` of the instance: its stratum's when stratified, else
  /// the stream's next.
  double uniform(std::uint64_t key, Rng& rng) const {
    const double u = rng.uniform01();
    return stratified() ? lhs->uniform(seed, replication, stream ^ key, u) : u;
  }
  /// draw(), stratified by `key` under a Latin hypercube (by the quantile of its uniform).
  double draw(const Distribution& d, Rng& rng, std::uint64_t key) const {
    return stratified() ? d.quantile(uniform(key, rng)) : draw(d, rng);
  }
  /// happens(), stratified by `key` under a Latin hypercube.
  bool happens(double p, Rng& rng, std::uint64_t key) const {
    return deterministic ? p > 0.5 : uniform(key, rng) < p;
  }
  /// An index drawn with `probabilities` (which sum to 1); deterministic: the first most probable.
  /// Stratified by `key` under a Latin hypercube.
  std::size_t choose(const std::vector<double>& probabilities, Rng& rng, std::uint64_t key) const {
    std::size_t best = 0;
    if (deterministic) {
      for (std::size_t i = 1; i < probabilities.size(); ++i)
        if (probabilities[i] > probabilities[best]) best = i;
      return best;
    }
    const double u = uniform(key, rng);
    double cumulative = 0.0;
    for (std::size_t i = 0; i + 1 < probabilities.size(); ++i) {
      cumulative += probabilities[i];
      if (u < cumulative) return i;
    }
    return probabilities.size() - 1;  // the last one takes the rounding remainder
  }
};

/// The random stream of a repair instance: the `instance`-th repair (0 = the first) of the pad
/// whose id is `pad_id`. Keyed by the pad's id, never its position, so the repair-only and the
/// station models draw the same repair, and adding a pad changes no other pad's draws. Inside the
/// instance, each task, branch and risk has its own stream keyed by its id (see RepairProject::start).
inline std::uint64_t repair_stream(std::string_view pad_id, std::size_t instance) noexcept {
  return stream_key("repair", pad_id, instance);
}

struct RepairCalendars;  // models/work_calendar.hpp: working calendars, productivity, weather

/// A validated repair graph, built by the scenario loader (or programmatically in tests).
///
///     RepairProject project("cabin", tasks, links, {}, {}, {});
///     Simulation sim;
///     RepairOutcome out;
///     Rng rng(seed, replication, repair_stream("site31", 0));
///     project.start(sim, rng, DrawMode{}, out, [&] { /* the pad is up at sim.now() */ });
///     sim.run();
class RepairProject {
 public:
  /// Validates: at least one task; ids unique; links, branches, risks and resources reference
  /// existing tasks/resources; no cycles (GraphError listing the cycle, "cycle: R3 -> R5 -> R3");
  /// durations and risk days never negative; branch probabilities in [0,1] summing to 1; resource
  /// needs within capacities; a square, symmetric correlation matrix with values in [-1, 1] and a
  /// unit diagonal. Other problems throw RepairSpecError naming the entry. A correlation matrix
  /// that is not positive semi-definite is repaired to the nearest valid one (a warning via spdlog).
  RepairProject(std::string name, std::vector<TaskSpec> tasks, std::vector<Link> links,
                std::vector<BranchSpec> branches, std::vector<RiskSpec> risks,
                std::vector<ResourceSpec> resources, CorrelationSpec correlation = {},
                std::optional<RepairStatus> status = std::nullopt);
  ~RepairProject();
  RepairProject(RepairProject&&) noexcept;
  RepairProject& operator=(RepairProject&&) noexcept;

  const std::string& name() const noexcept;
  const std::vector<TaskSpec>& tasks() const noexcept;
  const std::vector<BranchSpec>& branches() const noexcept;
  /// The links, in file order (schedule export and tests read the graph back).
  const std::vector<Link>& links() const noexcept;
  const std::vector<RiskSpec>& risks() const noexcept;
  /// The names of the instance's sensitivity inputs, in RepairOutcome order: `duration:<task>` per
  /// task, `branch:<id>` per branch, `risk:<id>` per risk, with `qualifier` (e.g. "site31:", or "")
  /// between the colon and the id. write_choice_inputs() gives the branch and risk values.
  std::vector<std::string> input_names(const std::string& qualifier) const;
  /// What columns.csv says of each of input_names(): unit, kind, empty cell, description.
  std::vector<InputInfo> input_info() const;
  std::vector<std::string> task_ids() const;
  /// The tasks' names, in task order ("" where a task has none).
  std::vector<std::string> task_names() const;
  /// The rank correlation in use: the given matrix, or its nearest valid repair.
  const CorrelationSpec& correlation() const noexcept;
  /// True when some task needs resources (criticality is then the chain that set the completion).
  bool uses_resources() const noexcept;
  /// Multiplies every drawn duration of a task (random or fixed, before risks) by `scale` > 0
  /// (`[repair.ID] scale`); a task the status says has started keeps its own law. Default 1.
  void set_duration_scale(double scale);
  double duration_scale() const noexcept;
  /// Puts tasks on working calendars (docs/model.md "Working calendars"): a task with a calendar
  /// draws its work in working days or hours and walks its calendar from its start; links' lags
  /// count in the calendar `calendars.lag` selects. Throws RepairSpecError on invalid calendars.
  /// Without a calendar in use the schedule is unchanged (finish = start + duration).
  void set_calendars(RepairCalendars calendars);
  /// The calendars set_calendars() gave (empty when none): what `padsim export-schedule` writes.
  const RepairCalendars& calendars() const noexcept;

  /// Starts one instance at sim.now() (an instance starting at time 0 is the repair under way: it
  /// follows the status, if any): takes one word from `rng` (so `rng` is free again on return)
  /// and with it draws, all at once, from one stream per task (its duration, then the lags of the
  /// links into it), per branch and per risk, each keyed by its id: editing the graph changes no
  /// other entity's draws (docs/scenario.md). Runs the tasks as events in `sim` (tasks
  /// start when links and resources allow; resources go by earliest ready time, then file order),
  /// fills `out` as tasks start and finish, and calls `on_complete()` at the completion event.
  /// `out` must outlive the simulation's run. `priority` orders the instance's events against
  /// other events at the same time.
  void start(Simulation& sim, Rng& rng, const DrawMode& mode, RepairOutcome& out,
             std::function<void()> on_complete, int priority = 0) const;

  /// Sends the task starts and finishes of a finished instance to `trace`, earliest first (at equal
  /// times finishes before starts, then file order): `task_start` / `task_finish`, subject the task
  /// id, details "pad PAD, duration D days" and ", critical" for a task on the critical path.
  void trace_tasks(const RepairOutcome& outcome, const std::string& pad, TraceSink& trace) const;

  /// The same draws (same use of `rng` as start()) evaluated without the engine and without
  /// resources: a CPM forward pass. Fills `out` relative to time 0 (criticality is not computed)
  /// and returns the completion time. The benchmark's bare evaluation and the tests' oracle.
  double evaluate(Rng& rng, const DrawMode& mode, RepairOutcome& out) const;

  struct Impl;  ///< private; defined in models/repair_project_impl.hpp

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace padsim::models
