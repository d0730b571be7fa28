#include "replication_shape.hpp"

#include <set>

#include "padsim/error.hpp"
#include "padsim/rng.hpp"

namespace padsim::detail {

namespace {

// A mistake in a table's declaration is the model author's, found before any replication runs.
void check_table(const Model& model, const EntityTable& table, std::set<std::string>& files) {
  const auto fail = [&](const std::string& why) {
    throw Error("entity table '" + table.file_name + "': " + why);
  };
  if (table.file_name.empty()) fail("has no file name");
  if (!files.insert(table.file_name).second) fail("has the name of another output file");
  for (const EntityColumn& c : table.columns) {
    if (c.field >= table.fields.size())
      fail("column '" + c.name + "' reads field " + std::to_string(c.field) + " of " +
           std::to_string(table.fields.size()));
    if (c.statistic == EntityStatistic::kPercentile && !(c.p >= 0.0 && c.p <= 1.0))
      fail("column '" + c.name + "' asks for a percentile outside [0, 1]");
    if (c.statistic == EntityStatistic::kSensitivityIndex && c.flag_field >= table.fields.size())
      fail("column '" + c.name + "' reads flag field " + std::to_string(c.flag_field) + " of " +
           std::to_string(table.fields.size()));
    if (c.statistic == EntityStatistic::kRankCorrelation ||
        c.statistic == EntityStatistic::kSensitivityIndex) {
      bool known = false;
      for (const OutcomeInfo& o : model.outcomes()) known = known || o.name == c.outcome;
      if (!known) fail("column '" + c.name + "' correlates with '" + c.outcome + "', not an outcome");
    }
  }
}

}  // namespace

ReplicationShape shape_of(const Model& model) {
  ReplicationShape s;
  s.outcomes = model.outcomes().size();
  s.inputs = model.inputs().size();
  std::set<std::string> files = {"runs.csv", "summary.csv", "sensitivity.csv", "timeseries.csv",
                                 "run.json"};
  for (const EntityTable& table : model.entity_tables()) {
    check_table(model, table, files);
    s.table_cells.push_back(table.cells());
  }
  const int days = model.series_days();
  s.series = model.series_names().empty() || days <= 0
                 ? 0
                 : static_cast<std::size_t>(days) * model.series_names().size();
  return s;
}

// Every vector starts from its declared size and empty cells, so nothing a model forgets to
// write can leak from the previous replication on that thread (which would make results depend
// on the thread count).
void reset(ReplicationResult& r, const ReplicationShape& s) {
  r.outcomes.assign(s.outcomes, kEmpty);
  r.inputs.assign(s.inputs, kEmpty);
  r.tables.resize(s.table_cells.size());
  for (std::size_t i = 0; i < s.table_cells.size(); ++i) r.tables[i].assign(s.table_cells[i], kEmpty);
  if (r.keep_series)
    r.series.assign(s.series, kEmpty);
  else
    r.series.resize(s.series);  // unread: sized for models that fill it anyway, not filled
}

void check_sizes(const ReplicationResult& r, const ReplicationShape& s) {
  auto check = [](const char* what, std::size_t got, std::size_t declared) {
    if (got != declared)
      throw Error("model reported " + std::to_string(got) + " " + what + " but declares " +
                  std::to_string(declared));
  };
  check("outcomes", r.outcomes.size(), s.outcomes);
  check("inputs", r.inputs.size(), s.inputs);
  check("entity tables", r.tables.size(), s.table_cells.size());
  for (std::size_t i = 0; i < s.table_cells.size(); ++i)
    check("table cells", r.tables[i].size(), s.table_cells[i]);
  check("series values", r.series.size(), s.series);
}

std::string replication_context(std::uint64_t seed, std::uint64_t k) {
  return "replication " + std::to_string(k) + " (seed " +
         std::to_string(Rng::replication_seed(seed, k)) + "): ";
}

}  // namespace padsim::detail
