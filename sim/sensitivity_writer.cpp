// sensitivity.csv: Spearman rank correlation of every sampled input with every headline outcome,
// strongest first (a tornado chart's order).
#include <algorithm>
#include <cmath>

#include "output_writers.hpp"

namespace padsim::detail {

namespace {

class SensitivityWriter final : public OutputWriter {
 public:
  std::string file_name() const override { return "sensitivity.csv"; }
  void write(const BatchOutput& batch, std::size_t, std::ostream& out) const override {
    const Model& model = batch.model;
    const BatchResult& result = batch.result;
    CsvWriter csv(out);
    csv.field("input").field("outcome").field("spearman").end_row();
    std::vector<RankedColumn> inputs;
    inputs.reserve(result.input_count);
    for (std::size_t i = 0; i < result.input_count; ++i) inputs.emplace_back(result.input_column(i));
    const auto& outs = model.outcomes();
    for (std::size_t j = 0; j < outs.size(); ++j) {
      if (!outs[j].headline) continue;
      const RankedColumn outcome(ranking_column(model, result, j));
      std::vector<std::pair<std::size_t, double>> rows;
      for (std::size_t i = 0; i < inputs.size(); ++i) rows.emplace_back(i, rank_correlation(inputs[i], outcome));
      // Tornado order: strongest first; undefined correlations (a constant input) last; equal
      // strengths keep the model's input order.
      std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        if (std::isnan(a.second) || std::isnan(b.second)) return !std::isnan(a.second) && std::isnan(b.second);
        return std::abs(a.second) > std::abs(b.second);
      });
      for (const auto& [i, rho] : rows) {
        csv.field(model.inputs()[i]).field(outs[j].name);
        finite_cell(csv, rho);
        csv.end_row();
      }
    }
  }
  std::vector<ColumnInfo> columns(const Model&) const override {
    return {{"input", "", "text", "", "a sampled uncertain input (a column of inputs.csv)"},
            {"outcome", "", "text", "", "a headline outcome (a column of runs.csv)"},
            {"spearman", "", "correlation", "undefined: the input or the outcome is constant",
             "Spearman rank correlation over the replications, censored values beyond the horizon"}};
  }
};

}  // namespace

std::unique_ptr<OutputWriter> make_sensitivity_writer() {
  return std::make_unique<SensitivityWriter>();
}

}  // namespace padsim::detail
