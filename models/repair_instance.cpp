// One repair instance run inside the event engine: RepairProject::start.
//
// Why it is shaped this way:
// - Every draw is made when the instance starts, so a task's start is *known* as soon as the starts
//   of all its predecessors are known: each link is then one number (succ start >= pred start +
//   offset, see RepairDraws). A task that needs no resources starts exactly at that bound, so its
//   start is known ahead of time and needs no event; only its finish is an event. Without
//   resources the whole schedule is known at start() and the instance costs one event per task:
//   the CPM forward pass, run by the engine.
// - A task that needs resources gets a ready event at its bound; at that time it joins the queue of
//   waiting tasks, and its start is known only when the resources are granted. A successor whose
//   bound lies before that moment (a negative lag, or an FF link to a longer task) starts at the
//   moment it becomes known: the engine never starts a task in the past.
// - Tasks that need resources request them from the engine's ResourceAllocator at their ready time,
//   with the task's index as priority: served by earliest ready time, then file order, with greedy
//   backfill (a task that does not fit does not block a later one that fits: work-conserving list
//   scheduling). The allocator settles grants in a dispatch event queued behind the finishes and
//   ready events of the same instant, so units released at time t are seen by every task ready at t.
#include <algorithm>
#include <memory>
#include <optional>

#include "padsim/allocator.hpp"

#include "padsim/models/repair_project.hpp"
#include "repair_project_impl.hpp"

namespace padsim::models {

namespace {

class RepairRun {
 public:
  /// True once the instance has completed: start() may then reuse the object for the next instance
  /// into the same RepairOutcome, keeping its buffers (no allocation per instance).
  bool finished() const noexcept { return remaining_ == 0; }
  /// Drops what ties it to its instance (the engine state, the callback), keeping only its buffers,
  /// so that a later start() may reuse it (RunPool).
  void retire() noexcept {
    allocator_.reset();
    on_complete_ = nullptr;
    project_ = nullptr;
    sim_ = nullptr;
    out_ = nullptr;
    remaining_ = 0;
  }

  void begin(const RepairProject::Impl& project, Simulation& sim, RepairOutcome& out,
             std::function<void()> on_complete, int priority, Rng& rng, const DrawMode& mode) {
    project_ = &project;
    sim_ = &sim;
    out_ = &out;
    on_complete_ = std::move(on_complete);
    priority_ = priority;
    allocator_.reset();
    worklist_.clear();
    const std::size_t n = project_->tasks.size();
    t0_ = sim_->now();
    // An instance starting at time 0 is the repair under way at the epoch: the status applies.
    project_->draw(rng, mode, draws_, t0_ == 0.0);
    if (project_->by_calendar) project_->begin_calendar(draws_, t0_);
    out_->start = t0_;
    out_->completion = kEmpty;
    out_->tasks.assign(n, TaskRecord{});
    out_->kept = draws_.kept;
    out_->occurred = draws_.occurred;
    out_->link_bounds.assign(project_->links.size(), kEmpty);
    state_.assign(n, TaskState{t0_ + project_->not_before(draws_), t0_, 0});
    if (project_->uses_resources) {
      std::vector<int> capacities;
      for (const ResourceSpec& r : project_->resources) capacities.push_back(r.capacity);
      allocator_.emplace(*sim_, std::move(capacities), GrantPolicy::kBackfill,
                         [this](std::span<const std::uint64_t> tasks) { granted(tasks); }, priority_);
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!draws_.tasks[i].kept) continue;
      ++remaining_;
      if (is_fixed(i)) continue;  // its actual start does not wait for its links
      for (std::size_t l : project_->links_into(i))
        if (draws_.tasks[project_->links[l].pred].kept) ++state_[i].pending;
    }
    worklist_.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      if (draws_.tasks[i].kept && state_[i].pending == 0) known(i);
    resolve();
  }

 private:
  struct TaskState {
    double bound;   // max over resolved links of pred start + offset (t0 to begin with)
    double ready;   // when its links allowed it to start (after the "never in the past" rule)
    int pending;    // links from kept predecessors whose start is not known yet
  };

  // A task of the repair under way that started before the status date: its start is a fact.
  bool is_fixed(std::size_t task) const {
    return !std::isnan(project_->fixed_start(draws_, task));
  }

  // Every link into `task` is resolved: it may start at its bound (or now, if that is past).
  void known(std::size_t task) {
    TaskState& s = state_[task];
    if (is_fixed(task)) {
      // Already under way (or done) at the status date: it held its units then, outside the queue.
      s.ready = t0_ + project_->fixed_start(draws_, task);
      begin_task(task, s.ready);
      return;
    }
    s.ready = std::max(s.bound, sim_->now());
    if (project_->by_calendar) draws_.ready[task] = s.ready;
    if (project_->tasks[task].resources.empty()) {
      begin_task(task, s.ready);
    } else {
      // On a calendar it asks for its units when it can work, so that it holds none over a weekend.
      const double at = project_->by_calendar ? project_->task_start(draws_, task, s.ready) : s.ready;
      sim_->schedule_at(at, [this, task] { on_ready(task); }, priority_);
    }
  }

  // The start of `task` is known: record it, queue its finish, and resolve its outgoing links
  // (through the worklist, so a long chain does not recurse).
  void begin_task(std::size_t task, double start) {
    if (project_->by_calendar) {
      start = project_->task_start(draws_, task, start);
      const double finish = project_->task_finish(draws_, task, start);
      out_->tasks[task] = {start, finish, finish - start, false};
      sim_->schedule_at(finish, [this, task] { on_finish(task); }, priority_);
      worklist_.push_back(task);
      return;
    }
    const double duration = draws_.tasks[task].duration;
    out_->tasks[task] = {start, start + duration, duration, false};
    sim_->schedule_at(start + duration, [this, task] { on_finish(task); }, priority_);
    worklist_.push_back(task);
  }

  void resolve() {
    while (!worklist_.empty()) {
      const std::size_t pred = worklist_.back();
      worklist_.pop_back();
      const double start = out_->tasks[pred].start;
      for (std::size_t l : project_->links_out_of(pred)) {
        const std::size_t succ = project_->links[l].succ;
        if (!draws_.tasks[succ].kept || is_fixed(succ)) continue;
        TaskState& s = state_[succ];
        if (project_->by_calendar)
          draws_.bound[l] = project_->link_bound(draws_, l, out_->tasks[pred]);
        const double bound = project_->by_calendar ? draws_.bound[l] : start + draws_.offset[l];
        out_->link_bounds[l] = bound;
        s.bound = std::max(s.bound, bound);
        if (--s.pending == 0) known(succ);
      }
    }
  }

  void on_ready(std::size_t task) { allocator_->request(project_->needs_of(task), task, static_cast<int>(task)); }

  void granted(std::span<const std::uint64_t> tasks) {
    for (const std::uint64_t task : tasks) begin_task(static_cast<std::size_t>(task), sim_->now());
    resolve();
  }

  void on_finish(std::size_t task) {
    const auto needs = project_->needs_of(task);
    if (!needs.empty() && !is_fixed(task)) allocator_->release(needs);
    if (--remaining_ == 0) complete();
  }

  void complete() {
    out_->completion = sim_->now();
    if (project_->uses_resources)
      mark_critical_chain();
    else
      project_->mark_critical_by_float(draws_, out_->completion, out_->tasks);
    // The callback may start another instance into the same RepairOutcome, which destroys this
    // object: take the callback out first and touch nothing after calling it.
    auto done = std::move(on_complete_);
    if (done) done();
  }

  // With resources, float is not defined by the links alone: the critical tasks are the chain that
  // set the completion. Walk back from every task finishing at the completion through whatever
  // bound each start: the links that set its ready time, or, when it waited past that, the tasks
  // whose finish released units it needs. Ties are all followed.
  void mark_critical_chain() {
    auto& records = out_->tasks;
    mark_driving_path(draws_, out_->completion, records, [&](std::size_t task, const auto& mark) {
      const double start = records[task].start;
      const double ready = state_[task].ready;
      // On a calendar a start after the ready time may only be the first working instant.
      const double earliest = project_->by_calendar && !is_fixed(task) ? project_->task_start(draws_, task, ready) : ready;
      if (start > earliest + kFloatTolerance) {
        for (std::size_t j = 0; j < records.size(); ++j) {
          if (j == task || !draws_.tasks[j].kept) continue;
          // On a calendar, units released in non-working time are taken up at the next working instant.
          const double released = project_->by_calendar ? project_->task_start(draws_, task, records[j].finish)
                                                        : records[j].finish;
          if (std::abs(released - start) <= kFloatTolerance && project_->share_resource(task, j)) mark(j);
        }
        return;
      }
      for (std::size_t l : project_->links_into(task)) {
        const std::size_t pred = project_->links[l].pred;
        if (!draws_.tasks[pred].kept) continue;
        // Binding: the link's bound is the ready time, or the predecessor's start is (a task
        // becomes ready no earlier than the moment its predecessors' starts are known).
        const double pred_start = records[pred].start;
        const double bound = project_->by_calendar ? draws_.bound[l] : pred_start + draws_.offset[l];
        if (bound >= ready - kFloatTolerance || pred_start >= ready - kFloatTolerance)
          mark(pred);
      }
    });
  }

  const RepairProject::Impl* project_ = nullptr;
  Simulation* sim_ = nullptr;
  RepairOutcome* out_ = nullptr;
  std::function<void()> on_complete_;
  int priority_ = 0;
  Time t0_ = 0.0;
  RepairDraws draws_;
  std::vector<TaskState> state_;
  std::optional<ResourceAllocator> allocator_;  // when some task needs resources
  std::vector<std::size_t> worklist_;   // tasks whose start is known but not yet propagated
  std::size_t remaining_ = 0;           // kept tasks not finished
};

// This thread's retired RepairRuns. A model builds a fresh RepairOutcome per replication, so
// without the pool every replication would allocate a RepairRun and its buffers anew (about a dozen
// allocations per station replication); with it a replication reuses its predecessor's.
struct RunPool {
  static constexpr std::size_t kMaxSpare = 16;
  std::vector<std::unique_ptr<RepairRun>> spare;
  RunPool() { spare.reserve(kMaxSpare); }
  ~RunPool();
};
// Trivially destructible, so still readable while the thread's pool is destroyed or gone: an
// outcome released after that deletes its RepairRun instead.
thread_local bool run_pool_alive = true;
thread_local RunPool run_pool;
RunPool::~RunPool() { run_pool_alive = false; }

std::shared_ptr<RepairRun> pooled_run() {
  std::unique_ptr<RepairRun> run;
  if (run_pool_alive && !run_pool.spare.empty()) {
    run = std::move(run_pool.spare.back());
    run_pool.spare.pop_back();
  } else {
    run = std::make_unique<RepairRun>();
  }
  return std::shared_ptr<RepairRun>(run.release(), [](RepairRun* r) noexcept {
    r->retire();
    if (run_pool_alive && run_pool.spare.size() < RunPool::kMaxSpare)
      run_pool.spare.emplace_back(r);  // capacity reserved: no allocation, no throw
    else
      delete r;
  });
}

}  // namespace

void RepairProject::start(Simulation& sim, Rng& rng, const DrawMode& mode, RepairOutcome& out,
                          std::function<void()> on_complete, int priority) const {
  // `running` holds only RepairRuns. A finished one that no copy of the outcome shares is reused
  // (also from inside its own completion callback, which touches nothing after the call); otherwise
  // one from this thread's pool (RunPool) replaces it.
  auto* run = static_cast<RepairRun*>(out.running.get());
  if (!run || !run->finished() || out.running.use_count() != 1) {
    auto fresh = pooled_run();
    run = fresh.get();
    out.running = std::move(fresh);
  }
  run->begin(*impl_, sim, out, std::move(on_complete), priority, rng, mode);
}

}  // namespace padsim::models
