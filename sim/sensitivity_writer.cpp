// sensitivity.csv: Spearman rank correlation of every sampled input with every headline outcome,
// strongest first (a tornado chart's order).
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include "output_writers.hpp"
#include "padsim/statistics.hpp"

namespace padsim::detail {

namespace {

/// Pairs of two columns with both values present (what the correlation was computed from).
std::uint64_t pairs(const RankedColumn& a, const RankedColumn& b) {
  if (a.complete() && b.complete()) return a.size();
  std::uint64_t n = 0;
  for (std::size_t k = 0; k < a.size(); ++k)
    n += !std::isnan(a.column()[k]) && !std::isnan(b.column()[k]) ? 1 : 0;
  return n;
}

class SensitivityWriter final : public OutputWriter {
 public:
  std::string file_name() const override { return "sensitivity.csv"; }
  void write(const BatchOutput& batch, std::size_t, std::ostream& out) const override {
    const Model& model = batch.model;
    const BatchResult& result = batch.result;
    CsvWriter csv(out);
    csv.field("input").field("outcome").field("spearman").field("ci_low").field("ci_high");
    csv.field("significant").end_row();
    // Ranking the columns is the cost (a sort each; 5 s of CPU at 10^6 replications): they are
    // ranked in parallel, each by one job, so this file does not finish long after the others.
    const auto& outs = model.outcomes();
    std::vector<std::size_t> headline;
    for (std::size_t j = 0; j < outs.size(); ++j)
      if (outs[j].headline) headline.push_back(j);
    std::vector<std::optional<RankedColumn>> inputs(result.input_count);
    std::vector<const RankedColumn*> outcomes(headline.size());
    std::vector<std::function<void()>> jobs;
    for (std::size_t i = 0; i < result.input_count; ++i)
      jobs.emplace_back([&, i] { inputs[i].emplace(result.input_column(i)); });
    for (std::size_t h = 0; h < headline.size(); ++h)
      jobs.emplace_back([&, h] { outcomes[h] = &batch.statistics.ranked(headline[h]); });
    run_jobs(jobs, std::max(1u, result.threads));
    const auto input = [&](std::size_t i) -> const RankedColumn& { return *inputs[i]; };
    for (std::size_t h = 0; h < headline.size(); ++h) {
      const std::size_t j = headline[h];
      const RankedColumn& outcome = *outcomes[h];
      std::vector<std::pair<std::size_t, double>> rows;
      for (std::size_t i = 0; i < result.input_count; ++i) rows.emplace_back(i, rank_correlation(input(i), outcome));
      // Tornado order: strongest first; undefined correlations (a constant input) last; equal
      // strengths keep the model's input order.
      std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        if (std::isnan(a.second) || std::isnan(b.second)) return !std::isnan(a.second) && std::isnan(b.second);
        return std::abs(a.second) > std::abs(b.second);
      });
      for (const auto& [i, rho] : rows) {
        csv.field(model.inputs()[i]).field(outs[j].name);
        finite_cell(csv, rho);
        // Distinguishable from zero at this batch size: the interval excludes 0.
        const Interval ci = spearman_ci(rho, pairs(input(i), outcome));
        finite_cell(csv, ci.low);
        finite_cell(csv, ci.high);
        if (std::isnan(ci.low))
          csv.empty();
        else
          csv.integer(std::uint64_t{ci.low > 0.0 || ci.high < 0.0});
        csv.end_row();
      }
    }
  }
  std::vector<ColumnInfo> columns(const Model&, const BatchOptions&) const override {
    return {{"input", "", "text", "", "a sampled uncertain input (a column of inputs.csv)"},
            {"outcome", "", "text", "", "a headline outcome (a column of runs.csv)"},
            {"spearman", "", "correlation", "undefined: the input or the outcome is constant",
             "Spearman rank correlation over the replications, censored values beyond the horizon"},
            {"ci_low", "", "correlation", "undefined correlation, or fewer than 4 pairs",
             "lower bound of its 95% CI (Fisher z, Bonett-Wright standard error)"},
            {"ci_high", "", "correlation", "undefined correlation, or fewer than 4 pairs",
             "upper bound of its 95% CI"},
            {"significant", "", "event", "undefined correlation, or fewer than 4 pairs",
             "1 when the CI excludes 0 (distinguishable from no effect at this batch size), else 0"}};
  }
};

}  // namespace

std::unique_ptr<OutputWriter> make_sensitivity_writer() {
  return std::make_unique<SensitivityWriter>();
}

}  // namespace padsim::detail
