// merges.csv: the merge points of a repair graph and their merge bias (models/merge_table.hpp).
//
// Rules (docs/outputs.md, "merges.csv"):
// - Predecessors are counted by task; the alternatives of one branch count as one predecessor.
// - The driving link of a merge point is the link whose bound sets its deterministic start: the
//   latest bound, the first link in file order among those within 1e-6 days of it (a tie). With
//   resources the deterministic start may lie past every bound; the latest still drives.
// - lateness = start - (the instance's start + deterministic start); merge_delay = start - the
//   driving link's bound in the replication (empty when its predecessor did not run); overtaken =
//   1 when merge_delay > 1e-6 days. With resources merge_delay also holds waiting for them.
#include "merge_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <utility>

#include "padsim/simulation.hpp"

namespace padsim::models {

namespace {

constexpr double kTieTolerance = 1e-6;  // days: as criticality's "equal times" (docs/model.md)

}  // namespace

MergeBias::MergeBias(const RepairProject& project) {
  const std::vector<TaskSpec>& tasks = project.tasks();
  const std::vector<Link>& links = project.links();
  // Each task's predecessor as counted: the branch it is an alternative of (offset past the tasks),
  // or itself.
  std::vector<std::size_t> group(tasks.size());
  for (std::size_t t = 0; t < tasks.size(); ++t) group[t] = t;
  const std::vector<BranchSpec>& branches = project.branches();
  for (std::size_t b = 0; b < branches.size(); ++b)
    for (const std::size_t a : branches[b].alternatives) group[a] = tasks.size() + b;
  std::vector<std::set<std::size_t>> preds(tasks.size());
  for (const Link& l : links) preds[l.succ].insert(group[l.pred]);

  // The deterministic schedule, as --deterministic runs it (the engine, resources and status).
  Simulation sim;
  Rng rng(0, 0, 0);  // deterministic draws take modes; the stream only has to exist
  RepairOutcome det;
  project.start(sim, rng, DrawMode{true}, det, [] {});
  sim.run();

  const std::vector<std::string> names = project.task_names();
  for (std::size_t m = 0; m < tasks.size(); ++m) {
    if (preds[m].size() < 2) continue;
    Point p{m, kNoLink, det.tasks[m].start - det.start};
    if (!std::isnan(p.deterministic_start)) {
      double latest = -std::numeric_limits<double>::infinity();
      for (std::size_t l = 0; l < links.size(); ++l)
        if (links[l].succ == m && !std::isnan(det.link_bounds[l])) latest = std::max(latest, det.link_bounds[l]);
      for (std::size_t l = 0; l < links.size() && p.driving_link == kNoLink; ++l)
        if (links[l].succ == m && det.link_bounds[l] >= latest - kTieTolerance) p.driving_link = l;
    }
    points_.push_back(p);
    ids_.push_back(tasks[m].id);
    names_.push_back(names[m]);
    drivers_.push_back(p.driving_link == kNoLink ? std::string() : tasks[links[p.driving_link].pred].id);
  }
}

EntityTable MergeBias::table() const {
  using S = EntityStatistic;
  EntityTable t;
  t.file_name = "merges.csv";
  t.entity_column = "task";
  t.entities = ids_;
  t.label_column = "name";
  t.labels = names_;
  EntityFixedColumn det{"deterministic_start", "day", "the task does not run in the deterministic schedule",
                        "the merge point's start in the deterministic schedule (every draw at its mode, "
                        "as --deterministic), days after the repair's start",
                        {}, {}};
  for (const Point& p : points_) det.numbers.push_back(p.deterministic_start);
  t.fixed_columns.push_back(std::move(det));
  t.fixed_columns.push_back({"driving_predecessor", "", "the task does not run in the deterministic schedule",
                             "the predecessor whose link sets the deterministic start (on a tie the first "
                             "link in file order)",
                             {}, drivers_});
  t.fields = {"start", "lateness", "merge_delay", "overtaken"};
  const std::string lateness = "start - deterministic_start, over the replications that ran the task";
  const std::string delay = "start - the start the driving predecessor's link alone allowed, over the "
                            "replications that ran both: the lateness other predecessors (or resources) caused";
  t.columns = {
      {"mean_start", S::kRunningMean, kMergeStart, 0.0, "", 0, "day", "mean start (days since the epoch)"},
      {"mean_lateness", S::kRunningMean, kMergeLateness, 0.0, "", 0, "day", "mean of " + lateness},
      {"mean_lateness_ci_low", S::kMeanCiLow, kMergeLateness, 0.0, "", 0, "day", ""},
      {"mean_lateness_ci_high", S::kMeanCiHigh, kMergeLateness, 0.0, "", 0, "day", ""},
      {"p80_lateness", S::kPercentile, kMergeLateness, 0.8, "", 0, "day", "percentile 80 of " + lateness},
      {"mean_merge_delay", S::kRunningMean, kMergeDelay, 0.0, "", 0, "day", "mean of " + delay},
      {"mean_merge_delay_ci_low", S::kMeanCiLow, kMergeDelay, 0.0, "", 0, "day", ""},
      {"mean_merge_delay_ci_high", S::kMeanCiHigh, kMergeDelay, 0.0, "", 0, "day", ""},
      {"overtaken_share", S::kShareNonzero, kMergeOvertaken, 0.0, "", 0, "share",
       "share of all replications in which another predecessor (or resources) delayed the task past "
       "its driving predecessor's link by more than 1e-6 days"},
      {"overtaken_share_ci_low", S::kShareNonzeroCiLow, kMergeOvertaken, 0.0, "", 0, "share", ""},
      {"overtaken_share_ci_high", S::kShareNonzeroCiHigh, kMergeOvertaken, 0.0, "", 0, "share", ""},
  };
  return t;
}

void MergeBias::reset(ReplicationResult& out) const {
  out.tables.resize(kMergeTable + 1);
  out.tables[kMergeTable].assign(points_.size() * kMergeFields, kEmpty);
}

void MergeBias::write(const RepairOutcome& outcome, std::vector<double>& cells) const {
  for (std::size_t i = 0; i < points_.size(); ++i) {
    const Point& p = points_[i];
    double* row = cells.data() + i * kMergeFields;
    const double start = outcome.tasks[p.task].start;
    row[kMergeStart] = start;
    row[kMergeLateness] = start - (outcome.start + p.deterministic_start);  // NaN stays NaN: empty
    const double bound = p.driving_link == kNoLink ? kEmpty : outcome.link_bounds[p.driving_link];
    row[kMergeDelay] = start - bound;
    row[kMergeOvertaken] = std::isnan(row[kMergeDelay]) ? kEmpty : (row[kMergeDelay] > kTieTolerance ? 1.0 : 0.0);
  }
}

}  // namespace padsim::models
