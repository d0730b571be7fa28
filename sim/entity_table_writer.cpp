// A model's entity table (EntityTable): one row per entity, one column per declared statistic of
// one of its fields over the replications.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "output_writers.hpp"
#include "padsim/bounded_batch.hpp"
#include "padsim/statistics.hpp"
#include "strided.hpp"

namespace padsim::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// One field of one entity across the replications, with what its columns need computed once.
class FieldValues {
 public:
  FieldValues(const BatchResult& result, std::size_t table, std::size_t offset) {
    if (result.streamed) streamed_ = result.streamed->tables.at(table).at(offset);
    const std::size_t stride = result.table_cells[table];
    const std::vector<double>& cells = result.tables[table];
    all_.reserve(result.replications);
    for_each_strided(cells.data() + offset, result.replications, stride, [&](double v) { all_.push_back(v); });
  }

  // A bounded batch (streamed_) answers everything but correlations from its streamed column,
  // which covers every replication; correlations come from the retained replications.
  double share_number() const {
    if (streamed_) return streamed_share(streamed_->n);
    return share([](double v) { return !std::isnan(v); });
  }
  double share_nonzero() const {
    if (streamed_) return streamed_share(streamed_->nonzero);
    return share([](double v) { return !std::isnan(v) && v != 0.0; });
  }
  // Empty cells rank as 0: an entity absent from a replication contributed nothing to it.
  RankedColumn ranked() const {
    std::vector<double> values(all_);
    for (double& v : values)
      if (std::isnan(v)) v = 0.0;
    return RankedColumn(std::move(values));
  }
  double mean() {
    if (streamed_) return moments().mean();
    const std::vector<double>& values = sorted();
    return values.empty() ? kNaN
                          : std::accumulate(values.begin(), values.end(), 0.0) /
                                static_cast<double>(values.size());
  }
  double running_mean() { return moments().mean(); }
  /// The 95% confidence interval of running_mean() (RunningStats::mean_ci, as summary.csv's).
  Interval mean_ci() { return moments().mean_ci(); }
  /// The 95% Wilson interval of share_nonzero().
  Interval share_nonzero_ci() const {
    if (streamed_) return wilson_interval(streamed_->nonzero, streamed_->cells);
    const auto n = std::count_if(all_.begin(), all_.end(), [](double v) { return !std::isnan(v) && v != 0.0; });
    return wilson_interval(static_cast<std::uint64_t>(n), all_.size());
  }
  /// The sd of the numbers (NaN below two).
  double sd() { return moments().sd(); }
  double percentile(double p) {
    if (!order_)
      order_.emplace(streamed_ ? OrderStatistics(streamed_->sketch)
                               : OrderStatistics(std::span<const double>(sorted())));
    return percentile_sorted(*order_, p);
  }

 private:
  template <class Predicate>
  double share(Predicate counts) const {
    if (all_.empty()) return kNaN;
    const auto n = std::count_if(all_.begin(), all_.end(), counts);
    return static_cast<double>(n) / static_cast<double>(all_.size());
  }
  // Moments of the numbers, accumulated in replication order (a bounded batch's: its blocks merged).
  const RunningStats& moments() {
    if (!moments_) {
      if (streamed_) {
        moments_ = streamed_->reached();
      } else {
        moments_.emplace();
        for (const double v : all_)
          if (!std::isnan(v)) moments_->add(v);
      }
    }
    return *moments_;
  }
  const std::vector<double>& sorted() {
    if (!sorted_) {
      sorted_.emplace();
      for (const double v : all_)
        if (!std::isnan(v)) sorted_->push_back(v);
      sort_values(*sorted_);
    }
    return *sorted_;
  }

  double streamed_share(std::uint64_t count) const {
    return streamed_->cells == 0 ? kNaN
                                 : static_cast<double>(count) / static_cast<double>(streamed_->cells);
  }

  std::shared_ptr<const StreamedColumn> streamed_;
  std::vector<double> all_;  // by replication index, NaN when empty
  std::optional<std::vector<double>> sorted_;
  std::optional<RunningStats> moments_;
  std::optional<OrderStatistics> order_;
};

/// columns.csv's row for one column of an entity table.
ColumnInfo entity_column_info(const EntityTable& table, const EntityColumn& c);

/// entity_column_info() with the column's own unit and description, where it gives them.
ColumnInfo described_column_info(const EntityTable& table, const EntityColumn& c) {
  ColumnInfo info = entity_column_info(table, c);
  if (!c.unit.empty()) info.unit = c.unit;
  if (!c.description.empty()) info.description = c.description;
  return info;
}

ColumnInfo entity_column_info(const EntityTable& table, const EntityColumn& c) {
  const std::string& field = table.fields.at(c.field);
  const std::string absent = "the entity has no value in any replication";
  switch (c.statistic) {
    case EntityStatistic::kShareNumber:
      return {c.name, "share", "share", "", "share of the replications in which " + field + " has a value"};
    case EntityStatistic::kShareNonzero:
      return {c.name, "share", "share", "", "share of the replications in which " + field + " is set"};
    case EntityStatistic::kRankCorrelation:
      return {c.name, "", "correlation", "undefined: constant " + field + " or outcome",
              "Spearman rank correlation of " + field + " with " + c.outcome};
    case EntityStatistic::kMean:
    case EntityStatistic::kRunningMean:
      return {c.name, "", "value", absent, "mean of " + field + " over the replications with a value"};
    case EntityStatistic::kPercentile:
      return {c.name, "", "value", absent,
              "percentile " + format_number(100.0 * c.p) + " of " + field +
                  " over the replications with a value"};
    case EntityStatistic::kSensitivityIndex:
      return {c.name, "", "index", "undefined: " + field + " or " + c.outcome + " has no spread",
              "schedule sensitivity index: share of replications with " + table.fields.at(c.flag_field) +
                  " set x sd(" + field + ") / sd(" + c.outcome + ")"};
    case EntityStatistic::kMeanCiLow:
    case EntityStatistic::kMeanCiHigh:
      return {c.name, "", "value", "fewer than two replications with a value",
              std::string(c.statistic == EntityStatistic::kMeanCiLow ? "lower" : "upper") +
                  " bound of the 95% confidence interval (Student t) of the mean of " + field};
    case EntityStatistic::kShareNonzeroCiLow:
    case EntityStatistic::kShareNonzeroCiHigh:
      return {c.name, "share", "share", "no replications",
              std::string(c.statistic == EntityStatistic::kShareNonzeroCiLow ? "lower" : "upper") +
                  " bound of the 95% Wilson interval of the share of the replications in which " + field +
                  " is set"};
  }
  return {c.name, "", "value", "", field};
}

class EntityTableWriter final : public OutputWriter {
 public:
  EntityTableWriter(const EntityTable& table, std::size_t index)
      : file_name_(table.file_name), index_(index) {}

  std::string file_name() const override { return file_name_; }

  void write(const BatchOutput& batch, std::size_t, std::ostream& out) const override {
    const EntityTable& table = batch.model.entity_tables().at(index_);
    CsvWriter csv(out);
    csv.field(table.entity_column);
    if (!table.label_column.empty()) csv.field(table.label_column);
    for (const EntityFixedColumn& f : table.fixed_columns) csv.field(f.name);
    for (const EntityColumn& c : table.columns) csv.field(c.name);
    csv.end_row();

    // Each outcome a column correlates with is ranked once for the whole table; each outcome an
    // index divides by has its sd computed once (without sorting it).
    std::map<std::string, const RankedColumn*> targets;
    std::map<std::string, double> spreads;
    for (const EntityColumn& c : table.columns) {
      if (c.statistic == EntityStatistic::kRankCorrelation && !targets.contains(c.outcome))
        targets.emplace(c.outcome, &batch.statistics.ranked(outcome_index(batch.model, c.outcome)));
      if (c.statistic == EntityStatistic::kSensitivityIndex && !spreads.contains(c.outcome))
        spreads.emplace(c.outcome, outcome_moments(batch.result, outcome_index(batch.model, c.outcome)).sd());
    }
    // An entity's row sorts and ranks its fields (3 s of CPU for the default scenario's tasks at
    // 10^6 replications): the rows are computed in parallel, each into its own text, and written
    // in entity order.
    std::vector<std::string> rows(table.entities.size());
    std::vector<std::function<void()>> jobs;
    for (std::size_t e = 0; e < table.entities.size(); ++e)
      jobs.emplace_back([&, e] {
        StringBuf buf(rows[e]);
        std::ostream row(&buf);
        write_entity(batch, table, e, targets, spreads, row);
      });
    run_jobs(jobs, std::max(1u, batch.result.threads));
    for (const std::string& row : rows) out << row;
  }

  std::vector<ColumnInfo> columns(const Model& model, const BatchOptions&) const override {
    const EntityTable& table = model.entity_tables().at(index_);
    std::vector<ColumnInfo> out = {{table.entity_column, "", "id", "", "the entity"}};
    if (!table.label_column.empty())
      out.push_back({table.label_column, "", "text", "the scenario gives it no name", "the entity's name"});
    for (const EntityFixedColumn& f : table.fixed_columns)
      out.push_back({f.name, f.unit, f.texts.empty() ? "value" : "text", f.empty_means, f.description});
    for (const EntityColumn& c : table.columns) out.push_back(described_column_info(table, c));
    return out;
  }

 private:
  /// Entity e's row of the table.
  void write_entity(const BatchOutput& batch, const EntityTable& table, std::size_t e,
                    const std::map<std::string, const RankedColumn*>& targets,
                    const std::map<std::string, double>& spreads, std::ostream& out) const {
    CsvWriter csv(out);
    const std::size_t fields = table.fields.size();
    std::vector<std::optional<FieldValues>> values(fields);
    auto field = [&](std::size_t f) -> FieldValues& {
      if (!values[f]) values[f].emplace(batch.result, index_, e * fields + f);
      return *values[f];
    };
    csv.field(table.entities[e]);
    if (!table.label_column.empty()) csv.field(e < table.labels.size() ? table.labels[e] : std::string());
    for (const EntityFixedColumn& f : table.fixed_columns) {
      if (!f.texts.empty())
        csv.field(e < f.texts.size() ? f.texts[e] : std::string());
      else
        csv.number(e < f.numbers.size() ? f.numbers[e] : kNaN);
    }
    // A field's values (a column of the batch, its sorted copy) are let go after the last column
    // that asks for them: an entity's job then holds a field or two at a time, not all of them
    // (at 10^6 replications 8 MB each, and a job per thread).
    std::vector<std::size_t> last_use(fields, 0);
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      last_use[table.columns[i].field] = i;
      if (table.columns[i].statistic == EntityStatistic::kSensitivityIndex) last_use[table.columns[i].flag_field] = i;
    }
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      const EntityColumn& c = table.columns[i];
      FieldValues& v = field(c.field);
      switch (c.statistic) {
        case EntityStatistic::kShareNumber: csv.number(v.share_number()); break;
        case EntityStatistic::kShareNonzero: csv.number(v.share_nonzero()); break;
        case EntityStatistic::kRankCorrelation:
          finite_cell(csv, rank_correlation(v.ranked(), *targets.at(c.outcome)));
          break;
        case EntityStatistic::kMean: csv.number(v.mean()); break;
        case EntityStatistic::kRunningMean: csv.number(v.running_mean()); break;
        case EntityStatistic::kPercentile: csv.number(v.percentile(c.p)); break;
        case EntityStatistic::kSensitivityIndex:
          finite_cell(csv, field(c.flag_field).share_nonzero() * v.sd() / spreads.at(c.outcome));
          break;
        case EntityStatistic::kMeanCiLow: csv.number(v.mean_ci().low); break;
        case EntityStatistic::kMeanCiHigh: csv.number(v.mean_ci().high); break;
        case EntityStatistic::kShareNonzeroCiLow: csv.number(v.share_nonzero_ci().low); break;
        case EntityStatistic::kShareNonzeroCiHigh: csv.number(v.share_nonzero_ci().high); break;
      }
      for (std::size_t f = 0; f < fields; ++f)
        if (last_use[f] == i) values[f].reset();
    }
    csv.end_row();
  }

  static std::size_t outcome_index(const Model& model, const std::string& name) {
    const auto& outs = model.outcomes();
    for (std::size_t j = 0; j < outs.size(); ++j)
      if (outs[j].name == name) return j;
    throw Error("no outcome named '" + name + "' to correlate with");
  }

  std::string file_name_;
  std::size_t index_;
};

}  // namespace

std::unique_ptr<OutputWriter> make_entity_table_writer(const EntityTable& table, std::size_t index) {
  return std::make_unique<EntityTableWriter>(table, index);
}

}  // namespace padsim::detail
