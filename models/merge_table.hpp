#pragma once
// Private to padsim::models: merges.csv, the merge bias of a repair graph (docs/outputs.md). A merge
// point is a task with links from at least two distinct predecessors (the alternatives of one branch
// count as one: they never both run). Its start in a replication is the latest of its links' bounds;
// the mean of that maximum exceeds the maximum of the means, so a merge point starts later on average
// than the deterministic schedule says. The table separates that lateness from the part of it caused
// by other predecessors overtaking the one that drives the deterministic schedule.

#include <cstddef>
#include <string>
#include <vector>

#include "padsim/entity_table.hpp"
#include "padsim/models/repair_project.hpp"

namespace padsim::models {

/// Index of the merge table in the models' entity_tables() and ReplicationResult::tables.
inline constexpr std::size_t kMergeTable = 1;

/// The merge table's fields, in a row's order.
enum MergeField : std::size_t { kMergeStart, kMergeLateness, kMergeDelay, kMergeOvertaken, kMergeFields };

/// The merge points of one repair graph with their deterministic schedule, and what each replication
/// of an instance of it reports for them.
class MergeBias {
 public:
  /// Finds the merge points of `project` and runs its deterministic instance (every draw at its mode,
  /// as --deterministic; with its resources and status) from time 0.
  explicit MergeBias(const RepairProject& project);
  /// No repair graph: no merge point.
  MergeBias() = default;

  /// merges.csv's declaration: one row per merge point, in task order.
  EntityTable table() const;

  /// Sizes `out`'s merge table with every cell empty (after reset_task_table()).
  void reset(ReplicationResult& out) const;
  /// Writes the merge table's cells from a finished instance (RepairProject::start's outcome).
  void write(const RepairOutcome& outcome, std::vector<double>& cells) const;

  /// A merge point: its task, the link that drives its deterministic start (kNoLink: none, the task
  /// does not run in the deterministic schedule) and that start (days from the instance's start).
  struct Point {
    std::size_t task = 0;
    std::size_t driving_link = 0;
    double deterministic_start = kEmpty;
  };
  static constexpr std::size_t kNoLink = static_cast<std::size_t>(-1);
  const std::vector<Point>& points() const noexcept { return points_; }

 private:
  std::vector<std::string> ids_, names_, drivers_;
  std::vector<Point> points_;
};

}  // namespace padsim::models
