// runs.csv: one row per replication, every outcome.
#include "output_writers.hpp"

namespace padsim::detail {

namespace {

class RunsWriter final : public OutputWriter {
 public:
  std::string file_name() const override { return "runs.csv"; }
  void write(const BatchOutput& batch, std::size_t, std::ostream& out) const override {
    const BatchResult& result = batch.result;
    CsvWriter csv(out);
    write_runs_header(csv, batch.model);
    for (std::uint64_t k = 0; k < result.replications; ++k)
      write_runs_row(csv, result.seed, result.first_replication + k,
                     result.outcomes.data() + k * result.outcome_count, result.outcome_count);
  }
  std::vector<ColumnInfo> columns(const Model& model) const override {
    std::vector<ColumnInfo> out = {
        {"replication", "", "id", "", "replication index k, 0-based (padsim replay --replication k)"},
        {"seed", "", "id", "",
         "the replication's own 64-bit seed; read it as text: it can exceed a double's 53 bits"}};
    for (const OutcomeInfo& o : model.outcomes()) out.push_back(outcome_column(o));
    return out;
  }
};

}  // namespace

std::unique_ptr<OutputWriter> make_runs_writer() { return std::make_unique<RunsWriter>(); }

}  // namespace padsim::detail
