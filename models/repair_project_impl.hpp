#pragma once
// Private to padsim::models: the validated repair graph shared by its construction
// (repair_project.cpp, repair_validation.cpp), the draws and CPM passes (repair_draws.cpp) and the
// event-engine run of an instance (repair_instance.cpp).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "padsim/allocator.hpp"
#include "padsim/models/repair_project.hpp"
#include "work_calendar.hpp"

namespace padsim::models {

/// What one repair instance drew: branch choices, durations after risks, and every link reduced to
/// one number: succ start >= pred start + offset.
struct RepairDraws {
  struct Task {
    double sampled = 0.0;   ///< the duration drawn from its distribution
    double duration = 0.0;  ///< sampled plus risk impacts: what the task takes
    bool kept = true;       ///< false when a branch removed it
  };
  std::vector<Task> tasks;
  std::vector<double> offset;   ///< per link
  std::vector<std::size_t> kept;  ///< per branch: the index of the alternative kept
  std::vector<bool> occurred;     ///< per risk: whether it occurred
  std::vector<double> normals;  ///< scratch for the copula
  std::vector<std::size_t> drawing;  ///< scratch: the tasks that draw, in file order ...
  std::vector<Rng> streams;          ///< ... and their streams
  /// The draws are of the repair under way and the project has a status: actual starts and the
  /// status date then bound the schedule (RepairProject::Impl::fixed_start, not_before).
  bool under_way = false;
  // A project on calendars (Impl::by_calendar) keeps each link's raw lag in `offset` (its bound
  // depends on when the predecessor's work ends), and fills what follows as the schedule unfolds.
  // Mutable: the passes over const draws fill them (scratch, like the buffers above).
  std::uint64_t instance = 0;  ///< the instance's word (seeds the weather streams)
  bool deterministic = false;
  mutable double t0 = 0.0;    ///< the instance's start (the floor of backward walks)
  mutable std::vector<WeatherDays> weather;  ///< per weather process: its lost days, drawn lazily
  mutable std::vector<double> bound;         ///< per link: the earliest start it allows its successor
  mutable std::vector<double> ready;         ///< per task: the latest of its links' bounds (and t0)
};

struct RepairProject::Impl {
  std::string name;
  std::vector<TaskSpec> tasks;
  std::vector<Link> links;
  std::vector<BranchSpec> branches;
  std::vector<RiskSpec> risks;
  std::vector<ResourceSpec> resources;
  CorrelationSpec correlation;  // as given, or its nearest valid repair

  std::vector<std::size_t> order;  // a topological order (file order among ready tasks)
  // Links into and out of each task, as index ranges into in_links/out_links (CSR layout: the
  // passes over them are the inner loops of every replication).
  std::vector<std::size_t> in_begin, in_links, out_begin, out_links;
  std::vector<double> copula_factor;  // L (k x k, row-major) with L L^T = Pearson matrix
  std::vector<std::size_t> copula_row;  // per task: its row in the copula, or kNotCorrelated
  // Stream keys of the tasks, branches and risks, hashed from their ids once, when the project is
  // built (draw() seeds one stream per key and instance; no string is hashed per replication).
  std::vector<std::uint64_t> task_key, branch_key, risk_key;
  // What draw() need not sample: every link's lag when it is fixed (0 for a percent lag), and the
  // links whose lag does vary, grouped by successor (CSR, in link order).
  std::vector<double> fixed_lag;
  std::vector<std::size_t> random_lag_begin, random_lags;
  // Each task's resource needs in the allocator's form, as index ranges into `needs` (CSR).
  std::vector<std::size_t> need_begin;
  std::vector<ResourceNeed> needs;
  bool uses_resources = false;
  double duration_scale = 1.0;  // [repair.ID] scale: multiplies every drawn duration (draw())

  // Working calendars (work_calendar.hpp). by_calendar: some task or the lags use one; the draws of
  // a task on a calendar are then its work, walked through the calendar from its start.
  RepairCalendars calendars;
  bool by_calendar = false;
  std::vector<std::uint64_t> weather_key;  // per weather process, hashed from its id

  // The status of the repair under way, resolved per task (empty vectors: no status).
  RepairStatus status;
  bool has_status = false;  // a [repair.ID.status] was given, even one that records nothing
  std::vector<double> actual_start, actual_finish;           // per task; NaN: none
  std::vector<const Distribution*> actual_remaining;         // per task; null: conditional draw
  std::vector<std::size_t> forced_branch;                    // per branch; kNotForced: drawn
  std::vector<signed char> forced_risk;                      // per risk; -1 drawn, 0 no, 1 yes

  std::span<const ResourceNeed> needs_of(std::size_t task) const {
    return {needs.data() + need_begin[task], need_begin[task + 1] - need_begin[task]};
  }

  /// The actual start of `task` (days from t0) when the draws follow the status, else NaN.
  double fixed_start(const RepairDraws& d, std::size_t task) const {
    return d.under_way ? actual_start[task] : std::numeric_limits<double>::quiet_NaN();
  }
  /// The day (from t0) no task that has not started may start before: the status date, or 0.
  double not_before(const RepairDraws& d) const { return d.under_way ? status.date : 0.0; }

  std::span<const std::size_t> links_into(std::size_t task) const {
    return {in_links.data() + in_begin[task], in_begin[task + 1] - in_begin[task]};
  }
  std::span<const std::size_t> links_out_of(std::size_t task) const {
    return {out_links.data() + out_begin[task], out_begin[task + 1] - out_begin[task]};
  }
  std::span<const std::size_t> random_lags_into(std::size_t task) const {
    return {random_lags.data() + random_lag_begin[task], random_lag_begin[task + 1] - random_lag_begin[task]};
  }

  /// Every draw of one instance (docs/scenario.md): one word of `rng` seeds a stream per task,
  /// branch and risk. start() and evaluate() both use it, so they consume `rng` alike.
  void draw(Rng& rng, const DrawMode& mode, RepairDraws& d, bool under_way = false) const;
  /// A started task's duration: its distribution conditioned on lasting more than `elapsed` (exact:
  /// the quantile at F(elapsed) + u (1 - F(elapsed))), or elapsed plus the judged remaining days.
  double conditioned(std::size_t task, double elapsed, double u, const DrawMode& mode) const;
  /// CPM forward pass from `t0`, no resources: fills start/finish/duration; returns the completion.
  double forward_pass(const RepairDraws& d, double t0, std::vector<TaskRecord>& records) const;
  /// CPM backward pass on realised times: critical = total float <= 1e-6 days.
  void mark_critical_by_float(const RepairDraws& d, double completion, std::vector<TaskRecord>& records) const;
  /// Calendars: seeds the instance's weather from `t0` and clears the bounds (before a pass).
  void begin_calendar(const RepairDraws& d, double t0) const;
  /// Calendars: the start of `task` when its links allow it at `at` (the first working instant).
  double task_start(const RepairDraws& d, std::size_t task, double at) const;
  /// Calendars: the finish of `task` started at `start` (its work walked through its calendar).
  double task_finish(const RepairDraws& d, std::size_t task, double start) const;
  /// Calendars: the earliest start link `l` allows its successor, its predecessor recorded as `pred`.
  double link_bound(const RepairDraws& d, std::size_t l, const TaskRecord& pred) const;
  /// Calendars: the driving path back from the completion (links whose bound set a task's start).
  void mark_critical_by_calendar(const RepairDraws& d, double completion, std::vector<TaskRecord>& records) const;
  /// True when tasks a and b need a unit of some common resource.
  bool share_resource(std::size_t a, std::size_t b) const;

  void validate() const;
  /// Checks the status against the graph and resolves it per task (repair_status.cpp).
  void resolve_status();
  void build_order();
  void build_copula();
  void build_draw_tables();
};

inline constexpr std::size_t kNotCorrelated = static_cast<std::size_t>(-1);
inline constexpr std::size_t kNotForced = static_cast<std::size_t>(-1);

/// Tolerance of "equal times" in criticality (docs/model.md: total float <= 1e-6 days).
inline constexpr double kFloatTolerance = 1e-6;

/// Marks the driving path critical where float is not a difference of times (calendars,
/// resources): every kept task finishing at `completion`, then, from each marked task, whatever
/// `follow(task, mark)` passes to `mark` (what set its start); ties are all followed, and each
/// task is visited once.
template <class Follow>
void mark_driving_path(const RepairDraws& d, double completion, std::vector<TaskRecord>& records, Follow&& follow) {
  std::vector<std::size_t> stack;
  const auto mark = [&](std::size_t task) {
    if (!records[task].critical) {
      records[task].critical = true;
      stack.push_back(task);
    }
  };
  for (std::size_t i = 0; i < records.size(); ++i)
    if (d.tasks[i].kept && records[i].finish >= completion - kFloatTolerance) mark(i);
  while (!stack.empty()) {
    const std::size_t task = stack.back();
    stack.pop_back();
    follow(task, mark);
  }
}

}  // namespace padsim::models
