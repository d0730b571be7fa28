#pragma once
/// The repair's task records and the per-entity table (tasks.csv) they are reported in: one row
/// per task of the seed pad's repair, with the four numbers each task reports per replication.
/// Both the repair-only and the station model declare this table first in their
/// Model::entity_tables().

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "padsim/entity_table.hpp"
#include "padsim/monte_carlo.hpp"

namespace padsim::models {

/// One repair task in one replication. NaN start/finish/duration: the task was removed by a branch.
struct TaskRecord {
  double start = kEmpty;
  double finish = kEmpty;
  double duration = kEmpty;
  bool critical = false;
};

/// Index of the task table in the models' entity_tables() and ReplicationResult::tables.
inline constexpr std::size_t kTaskTable = 0;

/// The task table's fields, in a row's order.
enum TaskField : std::size_t { kTaskStart, kTaskFinish, kTaskDuration, kTaskCritical, kTaskFields };

/// tasks.csv (docs/outputs.md): presence, criticality index, cruciality (the rank correlation of a
/// task's duration with `cruciality_outcome`), then mean and P10/P50/P90 of start and finish, and
/// the mean duration of the replications that ran the task, and its schedule sensitivity index
/// (criticality x sd(duration) / sd(`cruciality_outcome`)).
/// `task_names` (one per task, "" where a task has none) fill the `name` column when given.
inline EntityTable task_table(std::vector<std::string> task_ids, const std::string& cruciality_outcome,
                              std::vector<std::string> task_names = {}) {
  using S = EntityStatistic;
  EntityTable t;
  t.file_name = "tasks.csv";
  t.entity_column = "task";
  t.entities = std::move(task_ids);
  if (!task_names.empty()) {
    t.label_column = "name";
    t.labels = std::move(task_names);
  }
  t.fields = {"start", "finish", "duration", "critical"};
  t.columns = {{"present", S::kShareNumber, kTaskDuration, 0.0, ""},
               {"criticality", S::kShareNonzero, kTaskCritical, 0.0, ""},
               // A removed task took no time: it ranks as duration 0, so that cruciality also
               // shows how much taking the branch matters.
               {"cruciality", S::kRankCorrelation, kTaskDuration, 0.0, cruciality_outcome}};
  for (const auto& [name, field] : {std::pair{"start", kTaskStart}, std::pair{"finish", kTaskFinish}}) {
    const std::string prefix = std::string(name) + "_";
    t.columns.push_back({prefix + "mean", S::kMean, field, 0.0, ""});
    for (const auto& [stat, p] : {std::pair{"p10", 0.10}, std::pair{"p50", 0.50}, std::pair{"p90", 0.90}})
      t.columns.push_back({prefix + stat, S::kPercentile, field, p, ""});
  }
  t.columns.push_back({"duration_mean", S::kRunningMean, kTaskDuration, 0.0, ""});
  t.columns.push_back({"ssi", S::kSensitivityIndex, kTaskDuration, 0.0, cruciality_outcome, kTaskCritical});
  // tasks_runs.csv (padsim run --task-runs): a task's start and finish in each replication. A
  // replication runs the seed repair to its end even past the horizon, so a cell is empty only
  // when the task did not run at all.
  t.run_fields = {{kTaskStart, "day", "day the task started (days since the epoch)"},
                  {kTaskFinish, "day", "day the task finished (days since the epoch)"}};
  t.run_empty_means = "the task did not run in this replication (a branch removed it, or no repair: --no-incident)";
  return t;
}

/// Sizes `out`'s tables for the task table alone with `tasks` empty records (every task removed,
/// none critical); allocates nothing once `out` has been used.
inline void reset_task_table(ReplicationResult& out, std::size_t tasks) {
  out.tables.resize(kTaskTable + 1);
  out.tables[kTaskTable].assign(tasks * kTaskFields, kEmpty);
}

/// Writes `record` as task `t` of a task table's cells.
inline void set_task_record(std::vector<double>& cells, std::size_t t, const TaskRecord& record) {
  double* row = cells.data() + t * kTaskFields;
  row[kTaskStart] = record.start;
  row[kTaskFinish] = record.finish;
  row[kTaskDuration] = record.duration;
  row[kTaskCritical] = record.critical ? 1.0 : 0.0;
}

/// Writes `records` as the whole task table.
inline void set_task_records(std::vector<double>& cells, const std::vector<TaskRecord>& records) {
  cells.assign(records.size() * kTaskFields, kEmpty);
  for (std::size_t t = 0; t < records.size(); ++t) set_task_record(cells, t, records[t]);
}

/// Task `t` of a task table's cells.
inline TaskRecord task_record(const std::vector<double>& cells, std::size_t t) {
  const double* row = cells.data() + t * kTaskFields;
  return {row[kTaskStart], row[kTaskFinish], row[kTaskDuration], row[kTaskCritical] == 1.0};
}

/// Every task record of a replication's task table.
inline std::vector<TaskRecord> task_records(const ReplicationResult& result) {
  const std::vector<double>& cells = result.tables.at(kTaskTable);
  std::vector<TaskRecord> records(cells.size() / kTaskFields);
  for (std::size_t t = 0; t < records.size(); ++t) records[t] = task_record(cells, t);
  return records;
}

/// The ids of a model's tasks (its task table's entities).
inline const std::vector<std::string>& task_ids(const Model& model) {
  return model.entity_tables().at(kTaskTable).entities;
}

}  // namespace padsim::models
