// A model's entity table replication by replication (EntityTable::run_fields): the long-form file
// `replication, <entity>, <field>...`, one row per replication and entity, written only when asked
// (BatchOptions::entity_runs). It shows the cells the table already keeps, nothing more.
#include "output_writers.hpp"

namespace padsim::detail {

namespace {

class EntityRunsWriter final : public OutputWriter {
 public:
  EntityRunsWriter(const EntityTable& table, std::size_t index)
      : file_name_(table.runs_file_name()), index_(index) {}

  std::string file_name() const override { return file_name_; }
  // Parts of whole replications, as runs.csv's: formatted in parallel, concatenated in order.
  std::size_t parts(const BatchOutput& batch) const override { return row_parts(batch); }

  void write(const BatchOutput& batch, std::size_t part, std::ostream& out) const override {
    const EntityTable& table = batch.model.entity_tables().at(index_);
    const BatchResult& result = batch.result;
    CsvWriter csv(out);
    if (part == 0) {
      csv.field("replication").field(table.entity_column);
      for (const EntityRunField& f : table.run_fields) csv.field(table.fields.at(f.field));
      csv.end_row();
    }
    const std::size_t stride = result.table_cells.at(index_);
    const std::size_t fields = table.fields.size();
    const std::vector<double>& cells = result.tables.at(index_);
    const auto [begin, end] = row_range(batch, part);
    for (std::uint64_t k = begin; k < end; ++k) {
      const double* row = cells.data() + k * stride;
      for (std::size_t e = 0; e < table.entities.size(); ++e) {
        csv.integer(result.first_replication + k).field(table.entities[e]);
        for (const EntityRunField& f : table.run_fields) csv.number(row[e * fields + f.field]);
        csv.end_row();
      }
    }
  }

  std::vector<ColumnInfo> columns(const Model& model, const BatchOptions&) const override {
    const EntityTable& table = model.entity_tables().at(index_);
    std::vector<ColumnInfo> out = {
        {"replication", "", "id", "", "replication index k, the row of runs.csv with the same k"},
        {table.entity_column, "", "id", "", "the entity (a row of " + table.file_name + ")"}};
    for (const EntityRunField& f : table.run_fields)
      out.push_back({table.fields.at(f.field), f.unit, "value", table.run_empty_means, f.description});
    return out;
  }

 private:
  std::string file_name_;
  std::size_t index_;
};

}  // namespace

std::unique_ptr<OutputWriter> make_entity_runs_writer(const EntityTable& table, std::size_t index) {
  return std::make_unique<EntityRunsWriter>(table, index);
}

}  // namespace padsim::detail
