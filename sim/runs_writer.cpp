// runs.csv: one row per replication, every outcome.
#include "output_writers.hpp"

namespace padsim::detail {

namespace {

class RunsWriter final : public OutputWriter {
 public:
  std::string file_name() const override { return "runs.csv"; }
  std::size_t parts(const BatchOutput& batch) const override { return row_parts(batch); }
  void write(const BatchOutput& batch, std::size_t part, std::ostream& out) const override {
    const BatchResult& result = batch.result;
    CsvWriter csv(out);
    const DateColumns dates(batch.model, batch.options.dates);
    if (part == 0) write_runs_header(csv, batch.model, &dates);
    const auto [begin, end] = row_range(batch, part);
    for (std::uint64_t k = begin; k < end; ++k)
      write_runs_row(csv, result.seed, result.first_replication + k,
                     result.outcomes.data() + k * result.outcome_count, result.outcome_count, &dates);
  }
  std::vector<ColumnInfo> columns(const Model& model, const BatchOptions& options) const override {
    std::vector<ColumnInfo> out = {
        {"replication", "", "id", "", "replication index k, 0-based (padsim replay --replication k)"},
        {"seed", "", "id", "",
         "the replication's own 64-bit seed; read it as text: it can exceed a double's 53 bits"}};
    for (const OutcomeInfo& o : model.outcomes()) out.push_back(outcome_column(o));
    for (ColumnInfo& c : DateColumns(model, options.dates).columns(model)) out.push_back(std::move(c));
    return out;
  }
};

}  // namespace

std::unique_ptr<OutputWriter> make_runs_writer() { return std::make_unique<RunsWriter>(); }

}  // namespace padsim::detail
