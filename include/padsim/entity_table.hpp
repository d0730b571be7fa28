#pragma once
/// Per-entity tables: besides its outcomes, a model may report a few numbers for each of a list of
/// entities (the steps of a project, the machines of a shop) in every replication, and declare the
/// statistics over the replications that a batch writes for them, one CSV row per entity.
///
///     EntityTable steps;
///     steps.file_name = "steps.csv";
///     steps.entity_column = "step";
///     steps.entities = {"cut", "weld"};
///     steps.fields = {"finish", "duration"};
///     steps.columns = {{"finish_p90", EntityStatistic::kPercentile, 0, 0.9},
///                      {"importance", EntityStatistic::kRankCorrelation, 1, 0.0, "makespan"}};
///
/// In a replication the model writes ReplicationResult::tables[i][e * fields.size() + f]: field f
/// of entity e of table i (kEmpty, the default, for "not applicable in this replication").
///
/// A table may also offer some fields replication by replication, in a long-form file written only
/// when asked (BatchOptions::entity_runs): `replication, step, finish` in "steps_runs.csv".
///
///     steps.run_fields = {{0, "day", "day the step finished"}};
///
/// Fixed per-entity values (a planned date, a text) go in `fixed_columns`, after the label column:
///
///     steps.fixed_columns = {{"planned", "day", "not planned", "the planned finish", {4.0, 9.0}, {}}};
///     steps.run_empty_means = "the step did not run in this replication";

#include <cstddef>
#include <string>
#include <vector>

namespace padsim {

/// A statistic over the replications of a batch of one field of one entity.
enum class EntityStatistic {
  kShareNumber,   ///< share of the replications in which the field is a number (not empty)
  kShareNonzero,  ///< share of the replications in which the field is a nonzero number (a flag)
  /// Spearman rank correlation over every replication of the field with EntityColumn::outcome;
  /// an empty cell ranks as 0 (an entity absent from a replication contributed nothing to it),
  /// a censored outcome as beyond every reached value.
  kRankCorrelation,
  /// Mean of the numbers, summed in ascending order. Differs from kRunningMean only in the last
  /// bits; both exist so that a file keeps its bytes when its columns were computed either way.
  kMean,
  kRunningMean,  ///< mean of the numbers, accumulated in replication order (as summary.csv's mean)
  kPercentile,   ///< type-7 percentile EntityColumn::p of the numbers
  /// The schedule sensitivity index: the share of all replications in which field
  /// EntityColumn::flag_field is nonzero (criticality) x the sd of the field's numbers / the sd of
  /// EntityColumn::outcome's reached values. High for an entity that is often critical and
  /// uncertain; near 0 for one that is critical but barely varies (critical but neutral).
  kSensitivityIndex,
  /// Bounds of the 95% confidence interval of the mean of the numbers (kRunningMean's): Student t
  /// with n - 1 degrees of freedom x sd / sqrt(n), as summary.csv's mean. Empty below two numbers.
  kMeanCiLow,
  kMeanCiHigh,
  /// Bounds of the 95% Wilson interval of kShareNonzero's share (as summary.csv's probabilities).
  kShareNonzeroCiLow,
  kShareNonzeroCiHigh,
};

/// One column of a table's CSV file, after the entity's name.
struct EntityColumn {
  std::string name;  ///< header
  EntityStatistic statistic = EntityStatistic::kMean;
  std::size_t field = 0;  ///< index in EntityTable::fields
  double p = 0.0;         ///< kPercentile: in [0, 1]
  std::string outcome;    ///< kRankCorrelation, kSensitivityIndex: the name of one of Model::outcomes()
  std::size_t flag_field = 0;  ///< kSensitivityIndex: the field that flags the entity (critical)
  std::string unit{};         ///< for columns.csv ("" when none: shares, correlations)
  std::string description{};  ///< for columns.csv; "" to describe the statistic from its field's name
};

/// A column of a table's CSV file that holds one fixed value per entity (the same in every batch of
/// the model), written after the label column: a number or, when `texts` is given, a text.
struct EntityFixedColumn {
  std::string name;          ///< header
  std::string unit;          ///< for columns.csv; "" when none
  std::string empty_means;   ///< for columns.csv: what an empty cell means
  std::string description;   ///< for columns.csv
  std::vector<double> numbers;     ///< one per entity (kEmpty: an empty cell); unused with texts
  std::vector<std::string> texts;  ///< one per entity; non-empty: the column is text
};

/// A field of an entity table written replication by replication (EntityTable::run_fields).
struct EntityRunField {
  std::size_t field = 0;    ///< index in EntityTable::fields; the column is named after the field
  std::string unit;         ///< for columns.csv; "" when none
  std::string description;  ///< for columns.csv
};

/// A per-entity table a model declares: its entities (rows), the numbers each reports per
/// replication (fields) and the statistics its file shows (columns).
struct EntityTable {
  std::string file_name;              ///< written into the output directory, e.g. "steps.csv"
  std::string entity_column;          ///< header of the first column, e.g. "step"
  std::vector<std::string> entities;  ///< one row each, in this order
  /// Header of an optional second column naming each entity in words (e.g. "name"); "" for none.
  std::string label_column;
  std::vector<std::string> labels;  ///< with label_column: one per entity, "" where it has none
  /// Columns of fixed per-entity values, after the label column, in order.
  std::vector<EntityFixedColumn> fixed_columns;
  std::vector<std::string> fields;    ///< what one entity reports per replication
  std::vector<EntityColumn> columns;  ///< the file's columns after the entity's name, in order
  /// The fields of the per-replication file (runs_file_name()), one row per replication and
  /// entity, written when BatchOptions::entity_runs asks; none: the table offers no such file.
  std::vector<EntityRunField> run_fields;
  /// What an empty cell of a field means in the per-replication file (for columns.csv).
  std::string run_empty_means;

  /// The per-replication file: file_name with "_runs" before its extension ("steps_runs.csv").
  std::string runs_file_name() const {
    const std::size_t dot = file_name.rfind('.');
    return dot == std::string::npos ? file_name + "_runs" : file_name.substr(0, dot) + "_runs" + file_name.substr(dot);
  }

  /// Numbers one replication reports for the whole table.
  std::size_t cells() const noexcept { return entities.size() * fields.size(); }
};

}  // namespace padsim
