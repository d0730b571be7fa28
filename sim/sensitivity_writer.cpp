// sensitivity.csv: Spearman rank correlation of every sampled input with every headline outcome,
// strongest first (a tornado chart's order).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

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
    // Ranking the columns is the cost (a sort each; 5 s of CPU at 10^6 replications): each input
    // is ranked by a job of its own, which correlates it with every headline outcome (ranked once,
    // by the first job to ask) and lets its ranks go, so that only the inputs being ranked are
    // held, not a column per input.
    const auto& outs = model.outcomes();
    std::vector<std::size_t> headline;
    for (std::size_t j = 0; j < outs.size(); ++j)
      if (outs[j].headline) headline.push_back(j);
    struct Cell {
      double rho = 0.0;
      std::uint64_t pairs = 0;
    };
    const std::size_t inputs = result.input_count;
    std::vector<Cell> cells(headline.size() * inputs);  // by outcome, then input
    std::vector<std::function<void()>> jobs;
    for (const std::size_t j : headline) jobs.emplace_back([&, j] { batch.statistics.ranked(j); });
    for (std::size_t i = 0; i < inputs; ++i)
      jobs.emplace_back([&, i] {
        const RankedColumn input(result.input_column(i));
        for (std::size_t h = 0; h < headline.size(); ++h) {
          const RankedColumn& outcome = batch.statistics.ranked(headline[h]);
          cells[h * inputs + i] = {rank_correlation(input, outcome), pairs(input, outcome)};
        }
      });
    run_jobs(jobs, std::max(1u, result.threads));
    for (std::size_t h = 0; h < headline.size(); ++h) {
      const std::size_t j = headline[h];
      std::vector<std::size_t> order(inputs);
      for (std::size_t i = 0; i < inputs; ++i) order[i] = i;
      const auto rho = [&](std::size_t i) { return cells[h * inputs + i].rho; };
      // Tornado order: strongest first; undefined correlations (a constant input) last; equal
      // strengths keep the model's input order.
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (std::isnan(rho(a)) || std::isnan(rho(b))) return !std::isnan(rho(a)) && std::isnan(rho(b));
        return std::abs(rho(a)) > std::abs(rho(b));
      });
      for (const std::size_t i : order) {
        csv.field(model.inputs()[i]).field(outs[j].name);
        finite_cell(csv, rho(i));
        // Distinguishable from zero at this batch size: the interval excludes 0.
        const Interval ci = spearman_ci(rho(i), cells[h * inputs + i].pairs);
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
