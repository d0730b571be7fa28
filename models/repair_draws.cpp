// The draws of a repair instance, the CPM passes over them, and the task trace of a finished instance.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <tuple>

#include <boost/math/special_functions/erf.hpp>
#include <boost/random/normal_distribution.hpp>

#include "padsim/models/repair_project.hpp"
#include "repair_project_impl.hpp"

namespace padsim::models {

namespace {

// Standard normal cdf, kept inside the open interval (0, 1) so that every quantile is finite.
double normal_cdf_open(double x) {
  const double u = 0.5 * std::erfc(-x / std::numbers::sqrt2);
  return std::clamp(u, std::numeric_limits<double>::min(), 1.0 - 0x1.0p-53);
}

// Standard normal quantile of u in (0, 1): a Latin hypercube stratifies a correlated task's normal
// variate (before the copula correlates them) by its uniform.
double normal_quantile(double u) { return -std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * u); }

}  // namespace

void RepairProject::Impl::draw(Rng& rng, const DrawMode& mode, RepairDraws& d, bool under_way) const {
  const std::size_t n = tasks.size();
  // The status applies to the repair under way only; a task with an actual start has its own law.
  const bool status_on = under_way && has_status;
  const auto started = [&](std::size_t t) { return status_on && !std::isnan(actual_start[t]); };
  d.under_way = status_on;
  d.tasks.assign(n, RepairDraws::Task{});
  d.offset.assign(fixed_lag.begin(), fixed_lag.end());

  // Each task, branch and risk of the instance draws from its own stream: one word of the instance's
  // stream combined with the entity's key (hashed from its id when the project was built), so adding,
  // removing or reordering one leaves every other one's draws unchanged. The word and the key are
  // combined into Rng's stream number, whose seeding hashes it (SplitMix64); with seed and
  // replication fixed, the rest of the seeding is a constant, so a stream costs five mixes.
  // Deterministic draws use no stream.
  const std::uint64_t instance = mode.deterministic ? 0 : rng();
  const auto stream = [instance](std::uint64_t key) { return Rng(0, 0, instance ^ key); };

  d.kept.assign(branches.size(), 0);
  for (std::size_t b = 0; b < branches.size(); ++b) {
    Rng r = stream(branch_key[b]);
    const BranchSpec& branch = branches[b];
    const std::size_t keep =
        status_on && forced_branch[b] != kNotForced ? forced_branch[b] : mode.choose(branch.probabilities, r, branch_key[b]);
    d.kept[b] = keep;
    for (std::size_t k = 0; k < branch.alternatives.size(); ++k)
      if (k != keep) d.tasks[branch.alternatives[k]].kept = false;
  }

  // A task's stream gives its duration (for a correlated task, the copula's normal variate), then
  // the lags of the links into it that vary (fixed lags are set above). A task a branch removed
  // draws nothing (its stream is its own, so that shifts no other draw), unless it is correlated:
  // the copula needs its normal variate. Seeding a stream is a chain of multiplications: all are
  // seeded first, independently of each other, so that the processor overlaps the chains.
  const bool copula = !mode.deterministic && !correlation.empty();
  if (copula) d.normals.resize(correlation.tasks.size());
  boost::random::normal_distribution<double> normal;
  d.drawing.clear();
  d.streams.clear();
  for (std::size_t t = 0; t < n; ++t) {
    const bool correlated = copula && copula_row[t] != kNotCorrelated;
    if (!d.tasks[t].kept && !correlated) continue;
    if (!correlated && !started(t) && random_lags_into(t).empty() && tasks[t].duration.is_fixed()) {
      d.tasks[t].sampled = tasks[t].duration.lower();  // nothing to draw: no stream needed
      continue;
    }
    d.drawing.push_back(t);
    d.streams.push_back(stream(task_key[t]));
  }
  for (std::size_t k = 0; k < d.drawing.size(); ++k) {
    const std::size_t t = d.drawing[k];
    Rng& r = d.streams[k];
    if (copula && copula_row[t] != kNotCorrelated)
      d.normals[copula_row[t]] = mode.stratified() ? normal_quantile(mode.uniform(task_key[t], r)) : normal(r);
    else if (started(t) && !std::isnan(actual_finish[t]))
      d.tasks[t].sampled = actual_finish[t] - actual_start[t];
    else if (started(t))
      d.tasks[t].sampled = conditioned(t, status.date - actual_start[t], mode.uniform(task_key[t], r), mode);
    else
      d.tasks[t].sampled = mode.draw(tasks[t].duration, r, task_key[t]);
    for (std::size_t l : random_lags_into(t)) d.offset[l] = mode.draw(links[l].lag, r);
  }
  if (copula) {
    const std::size_t k = correlation.tasks.size();
    for (std::size_t i = 0; i < k; ++i) {
      double x = 0.0;
      for (std::size_t j = 0; j < k; ++j) x += copula_factor[i * k + j] * d.normals[j];
      const std::size_t t = correlation.tasks[i];
      if (started(t) && !std::isnan(actual_finish[t]))
        d.tasks[t].sampled = actual_finish[t] - actual_start[t];
      else if (started(t))
        d.tasks[t].sampled = conditioned(t, status.date - actual_start[t], normal_cdf_open(x), mode);
      else
        d.tasks[t].sampled = tasks[t].duration.quantile(normal_cdf_open(x));
    }
  }

  for (std::size_t t = 0; t < n; ++t) d.tasks[t].duration = d.tasks[t].sampled *= started(t) ? 1.0 : duration_scale;
  // A risk's stream gives its occurrence, then the extra days of each impact in order.
  d.occurred.assign(risks.size(), false);
  for (std::size_t k = 0; k < risks.size(); ++k) {
    Rng r = stream(risk_key[k]);
    const RiskSpec& risk = risks[k];
    const bool occurs = status_on && forced_risk[k] >= 0 ? forced_risk[k] == 1 : mode.happens(risk.probability, r, risk_key[k]);
    d.occurred[k] = occurs;
    if (!occurs) continue;
    for (const RiskSpec::Impact& impact : risk.impacts) {
      // Drawn even for a removed task, so that the risk's later impacts draw alike; it has no effect.
      const double days = mode.draw(impact.days, r);
      RepairDraws::Task& t = d.tasks[impact.task];
      if (t.kept) t.duration += days + impact.percent / 100.0 * (t.sampled + days);
    }
  }
  // A finished task took what it took: risks already happened inside its actual duration.
  if (status_on)
    for (std::size_t t = 0; t < n; ++t)
      if (!std::isnan(actual_finish[t])) d.tasks[t].duration = d.tasks[t].sampled;

  // On calendars a link's bound depends on when its predecessor's work ends (link_bound): `offset`
  // keeps the raw lag, and the passes walk the calendars.
  d.instance = instance;
  d.deterministic = mode.deterministic;
  if (by_calendar) return;

  for (std::size_t l = 0; l < links.size(); ++l) {
    const Link& link = links[l];
    const double pred = d.tasks[link.pred].duration;
    const double lag = link.lag_is_percent ? link.lag_percent / 100.0 * pred : d.offset[l];
    switch (link.type) {
      case LinkType::kFinishToStart: d.offset[l] = pred + lag; break;
      case LinkType::kStartToStart: d.offset[l] = lag; break;
      case LinkType::kFinishToFinish: d.offset[l] = pred + lag - d.tasks[link.succ].duration; break;
    }
  }
}

double RepairProject::Impl::forward_pass(const RepairDraws& d, double t0, std::vector<TaskRecord>& records) const {
  records.assign(tasks.size(), TaskRecord{});
  if (by_calendar) {
    begin_calendar(d, t0);
    double completion = t0;
    for (std::size_t i : order) {
      if (!d.tasks[i].kept) continue;
      double ready = t0 + not_before(d);
      for (std::size_t l : links_into(i))
        if (d.tasks[links[l].pred].kept) ready = std::max(ready, d.bound[l] = link_bound(d, l, records[links[l].pred]));
      d.ready[i] = ready;
      const double actual = fixed_start(d, i);
      const double start = std::isnan(actual) ? task_start(d, i, ready) : t0 + actual;
      const double finish = task_finish(d, i, start);
      records[i] = {start, finish, finish - start, false};
      completion = std::max(completion, finish);
    }
    return completion;
  }
  double completion = t0;
  for (std::size_t i : order) {
    if (!d.tasks[i].kept) continue;
    double start = t0 + not_before(d);
    for (std::size_t l : links_into(i))
      if (d.tasks[links[l].pred].kept) start = std::max(start, records[links[l].pred].start + d.offset[l]);
    if (const double actual = fixed_start(d, i); !std::isnan(actual)) start = t0 + actual;
    const double duration = d.tasks[i].duration;
    records[i] = {start, start + duration, duration, false};
    completion = std::max(completion, start + duration);
  }
  return completion;
}

void RepairProject::Impl::mark_critical_by_float(const RepairDraws& d, double completion,
                                                 std::vector<TaskRecord>& records) const {
  if (by_calendar) return mark_critical_by_calendar(d, completion, records);
  thread_local std::vector<double> late_start;  // scratch: no allocation per instance
  late_start.assign(tasks.size(), 0.0);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const std::size_t i = *it;
    if (!d.tasks[i].kept) continue;
    double late = completion - d.tasks[i].duration;
    for (std::size_t l : links_out_of(i))
      if (d.tasks[links[l].succ].kept) late = std::min(late, late_start[links[l].succ] - d.offset[l]);
    late_start[i] = late;
    records[i].critical = late - records[i].start <= kFloatTolerance;
  }
}

bool RepairProject::Impl::share_resource(std::size_t a, std::size_t b) const {
  for (const auto& need_a : tasks[a].resources)
    for (const auto& need_b : tasks[b].resources)
      if (need_a.first == need_b.first) return true;
  return false;
}

void RepairProject::trace_tasks(const RepairOutcome& outcome, const std::string& pad, TraceSink& trace) const {
  struct Entry {
    double time;
    int order;  // 0 finish, 1 start: a task that ends at t is reported before one that begins at t
    std::size_t task;
  };
  std::vector<Entry> entries;
  for (std::size_t t = 0; t < outcome.tasks.size(); ++t) {
    if (std::isnan(outcome.tasks[t].start)) continue;  // removed by a branch
    entries.push_back({outcome.tasks[t].finish, 0, t});
    entries.push_back({outcome.tasks[t].start, 1, t});
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.time, a.order, a.task) < std::tie(b.time, b.order, b.task);
  });
  for (const Entry& e : entries) {
    const TaskRecord& r = outcome.tasks[e.task];
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3f", r.duration);
    trace.event(e.time, e.order == 0 ? "task_finish" : "task_start", tasks()[e.task].id,
                "pad " + pad + ", duration " + duration + " days" + (r.critical ? ", critical" : ""));
  }
}

double RepairProject::evaluate(Rng& rng, const DrawMode& mode, RepairOutcome& out) const {
  thread_local RepairDraws draws;  // scratch: no allocation per evaluation
  impl_->draw(rng, mode, draws, true);
  out.running.reset();
  out.start = 0.0;
  out.completion = impl_->forward_pass(draws, 0.0, out.tasks);
  out.kept = draws.kept;
  out.occurred = draws.occurred;
  return out.completion;
}

}  // namespace padsim::models
