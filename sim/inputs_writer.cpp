// inputs.csv: one row per replication, every sampled uncertain input, joined to runs.csv by
// `replication`: what an analyst conditions on or draws a scatter of.
#include "output_writers.hpp"

namespace padsim::detail {

namespace {

class InputsWriter final : public OutputWriter {
 public:
  std::string file_name() const override { return "inputs.csv"; }
  std::size_t parts(const BatchOutput& batch) const override { return row_parts(batch); }
  void write(const BatchOutput& batch, std::size_t part, std::ostream& out) const override {
    const BatchResult& result = batch.result;
    CsvWriter csv(out);
    if (part == 0) write_inputs_header(csv, batch.model);
    const auto [begin, end] = row_range(batch, part);
    for (std::uint64_t k = begin; k < end; ++k)
      write_inputs_row(csv, result.first_replication + k,
                       result.inputs.data() + k * result.input_count, result.input_count);
  }
  std::vector<ColumnInfo> columns(const Model& model, const BatchOptions&) const override {
    std::vector<ColumnInfo> out = {
        {"replication", "", "id", "", "replication index k, the row of runs.csv with the same k"}};
    for (const std::string& name : model.inputs())
      out.push_back({name, "", "value", "not drawn in this replication (e.g. a task its branch removed)",
                     "a sampled uncertain input (sensitivity.csv correlates it with the outcomes)"});
    return out;
  }
};

}  // namespace

std::unique_ptr<OutputWriter> make_inputs_writer() { return std::make_unique<InputsWriter>(); }

}  // namespace padsim::detail
