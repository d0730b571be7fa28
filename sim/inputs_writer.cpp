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
    // What the model says of an input, else (a model that says nothing) a sampled number.
    const std::vector<InputInfo> info = model.input_info();
    const std::vector<std::string>& names = model.inputs();
    for (std::size_t i = 0; i < names.size(); ++i) {
      const InputInfo about = i < info.size() ? info[i] : InputInfo{};
      out.push_back({names[i], about.unit, about.kind,
                     about.empty_means.empty() ? "not drawn in this replication"
                                               : about.empty_means,
                     about.description.empty()
                         ? "a sampled uncertain input (sensitivity.csv correlates it with the outcomes)"
                         : about.description + " (sensitivity.csv correlates it with the outcomes)"});
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<OutputWriter> make_inputs_writer() { return std::make_unique<InputsWriter>(); }

}  // namespace padsim::detail
