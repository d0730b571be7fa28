// The status of a repair under way: checked against the graph when the project is built, and the
// conditional duration of a task that has started.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "padsim/format.hpp"
#include "repair_project_impl.hpp"

namespace padsim::models {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kTolerance = 1e-9;  // days: actual dates are sums of seconds

std::string day(double d) { return "day " + format_number(d); }

const char* link_name(LinkType type) {
  switch (type) {
    case LinkType::kFinishToStart: return "FS";
    case LinkType::kStartToStart: return "SS";
    case LinkType::kFinishToFinish: return "FF";
  }
  return "?";
}

}  // namespace

void RepairProject::Impl::resolve_status() {
  if (!has_status) return;
  const std::size_t n = tasks.size();
  const auto fail = [](const SourcePosition& where, const std::string& message) {
    throw RepairSpecError(where, "status: " + message);
  };
  const auto id = [&](std::size_t t) { return "'" + tasks[t].id + "'"; };
  if (!(status.date >= 0.0) || !std::isfinite(status.date))
    fail(status.where, "the status date is " + format_number(-status.date) +
                           " days before the epoch; it must be on or after it");

  actual_start.assign(n, kNaN);
  actual_finish.assign(n, kNaN);
  actual_remaining.assign(n, nullptr);
  std::vector<SourcePosition> where(n, status.where);  // each task's status entry, for messages
  for (const RepairStatus::Task& a : status.tasks) {
    if (a.task >= n) fail(a.where, "a task that does not exist");
    const std::string t = "task " + id(a.task);
    if (!std::isnan(actual_start[a.task]) || !std::isnan(actual_finish[a.task])) fail(a.where, t + " is given twice");
    if (std::isnan(a.start)) fail(a.where, t + ": an actual finish needs an actual start");
    if (a.start > status.date + kTolerance)
      fail(a.where, t + " starts on " + day(a.start) + ", after the status date (" + day(status.date) + ")");
    if (!std::isnan(a.finish)) {
      if (a.finish < a.start)
        fail(a.where, t + " finishes on " + day(a.finish) + ", before it starts (" + day(a.start) + ")");
      if (a.finish > status.date + kTolerance)
        fail(a.where, t + " finishes on " + day(a.finish) + ", after the status date (" + day(status.date) + ")");
      if (a.remaining) fail(a.where, t + " has finished: `remaining` is for a task under way");
    } else {
      const double elapsed = status.date - a.start;
      if (a.remaining) {
        if (a.remaining->lower() < 0.0)
          fail(a.where, t + ": remaining " + a.remaining->describe() + " can be negative");
      } else if (elapsed > tasks[a.task].duration.upper() + kTolerance) {
        fail(a.where, t + " has run " + format_number(elapsed) + " days by the status date, beyond its duration's "
                          "maximum " + format_number(tasks[a.task].duration.upper()) +
                          ": give the days it has left (`remaining`)");
      }
    }
    where[a.task] = a.where;
    actual_start[a.task] = a.start;
    actual_finish[a.task] = a.finish;
    actual_remaining[a.task] = a.remaining ? &*a.remaining : nullptr;
  }

  // Branches: given, or implied by an alternative that has started.
  forced_branch.assign(branches.size(), kNotForced);
  for (const RepairStatus::Branch& b : status.branches) {
    if (b.branch >= branches.size() || b.kept >= branches[b.branch].alternatives.size())
      fail(b.where, "a branch or alternative that does not exist");
    forced_branch[b.branch] = b.kept;
  }
  for (std::size_t b = 0; b < branches.size(); ++b) {
    const BranchSpec& branch = branches[b];
    for (std::size_t k = 0; k < branch.alternatives.size(); ++k) {
      const std::size_t t = branch.alternatives[k];
      if (std::isnan(actual_start[t])) continue;
      if (forced_branch[b] != kNotForced && forced_branch[b] != k)
        fail(where[t], "task " + id(t) + " has started, but branch '" + branch.id + "' kept " +
                               id(branch.alternatives[forced_branch[b]]));
      forced_branch[b] = k;
    }
  }
  forced_risk.assign(risks.size(), -1);
  for (const RepairStatus::Risk& r : status.risks) {
    if (r.risk >= risks.size()) fail(r.where, "a risk that does not exist");
    forced_risk[r.risk] = r.occurred ? 1 : 0;
  }

  // A started task's links must have allowed its start: its predecessors have the actuals the
  // links need, at the times they need. Lags that vary are taken at their least.
  std::vector<bool> removed(n, false);
  for (std::size_t b = 0; b < branches.size(); ++b)
    if (forced_branch[b] != kNotForced)
      for (std::size_t k = 0; k < branches[b].alternatives.size(); ++k)
        if (k != forced_branch[b]) removed[branches[b].alternatives[k]] = true;
  for (const Link& link : links) {
    const std::size_t p = link.pred, s = link.succ;
    if (std::isnan(actual_start[s]) || removed[p]) continue;
    const bool needs_finish = link.type != LinkType::kStartToStart;
    if (link.type == LinkType::kFinishToFinish && std::isnan(actual_finish[s])) continue;
    const double pred_time = needs_finish ? actual_finish[p] : actual_start[p];
    const double succ_time = link.type == LinkType::kFinishToFinish ? actual_finish[s] : actual_start[s];
    const std::string what = std::string(link_name(link.type)) + " link " + tasks[p].id + " -> " + tasks[s].id;
    if (std::isnan(pred_time))
      fail(where[s], "task " + id(s) + (link.type == LinkType::kFinishToFinish ? " finished" : " started") +
                             ", but its predecessor " + id(p) + (needs_finish ? " has not finished" : " has not started") +
                             " (" + what + ")");
    const double lag = link.lag_is_percent
                           ? link.lag_percent / 100.0 * (std::isnan(actual_finish[p]) ? 0.0 : actual_finish[p] - actual_start[p])
                           : link.lag.lower();
    if (std::isfinite(lag) && succ_time < pred_time + lag - kTolerance)
      fail(where[s], "task " + id(s) + (link.type == LinkType::kFinishToFinish ? " finishes on " : " starts on ") +
                             day(succ_time) + ", earlier than its " + what + " allows (" + day(pred_time + lag) + ")");
  }
}

double RepairProject::Impl::conditioned(std::size_t task, double elapsed, double u, const DrawMode& mode) const {
  if (const Distribution* remaining = actual_remaining[task])
    return elapsed + (mode.deterministic ? remaining->mode() : remaining->quantile(u));
  const Distribution& d = tasks[task].duration;
  // The conditional law given D > elapsed: its quantile at u is F^-1(F(elapsed) + u (1 - F(elapsed))),
  // exact for every kind; its mode (a unimodal density cut at elapsed) is max(mode, elapsed).
  if (mode.deterministic) return std::max(d.mode(), elapsed);
  const double f = d.cdf(elapsed);
  return std::max(elapsed, d.quantile(f + u * (1.0 - f)));
}

}  // namespace padsim::models
