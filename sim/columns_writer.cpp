// columns.csv: every column of every CSV file of the result set, with its unit, kind and what an
// empty cell means, so that the files describe themselves.
#include "output_writers.hpp"

namespace padsim::detail {

namespace {

class ColumnsWriter final : public OutputWriter {
 public:
  std::string file_name() const override { return "columns.csv"; }
  void write(const BatchOutput& batch, std::size_t, std::ostream& out) const override {
    CsvWriter csv(out);
    csv.field("file").field("column").field("unit").field("kind").field("empty_means");
    csv.field("description").end_row();
    for (const auto& writer : batch_output_writers(batch.model, batch.options))
      for (const ColumnInfo& c : writer->columns(batch.model, batch.options))
        csv.field(writer->file_name()).field(c.name).field(c.unit).field(c.kind)
            .field(c.empty_means).field(c.description).end_row();
  }
  std::vector<ColumnInfo> columns(const Model&, const BatchOptions&) const override {
    return {{"file", "", "text", "", "a CSV file of the result set"},
            {"column", "", "text", "", "a column of that file, in its order"},
            {"unit", "", "text", "no unit, or the unit is named in the row (e.g. summary.csv's unit)",
             "the column's unit"},
            {"kind", "", "text", "",
             "id, text, value, event (0/1), count, share (0 to 1) or correlation (-1 to 1)"},
            {"empty_means", "", "text", "a cell of that column is never empty",
             "what an empty cell of that column means (censored, not applicable, ...)"},
            {"description", "", "text", "", "what the column holds"}};
  }
};

}  // namespace

std::unique_ptr<OutputWriter> make_columns_writer() { return std::make_unique<ColumnsWriter>(); }

}  // namespace padsim::detail
