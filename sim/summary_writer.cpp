// summary.csv: per outcome, the mean, sd, extremes and percentiles with their CIs, or an event's
// probability with its Wilson interval.
#include <algorithm>
#include <cmath>
#include <limits>

#include "output_writers.hpp"
#include "padsim/statistics.hpp"

namespace padsim::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The percentiles summary.csv reports, as (statistic name, p).
constexpr std::pair<const char*, double> kPercentiles[] = {
    {"p5", 0.05},  {"p10", 0.10}, {"p25", 0.25}, {"p50", 0.50},
    {"p75", 0.75}, {"p80", 0.80}, {"p90", 0.90}, {"p95", 0.95}};

// The costliest file (a sort per outcome): one part per outcome, since the rows of an outcome do
// not depend on any other outcome.
class SummaryWriter final : public OutputWriter {
 public:
  std::string file_name() const override { return "summary.csv"; }
  std::size_t parts(const BatchOutput& batch) const override {
    return std::max<std::size_t>(1, batch.model.outcomes().size());
  }
  void write(const BatchOutput& batch, std::size_t part, std::ostream& out) const override {
    if (part == 0) {
      CsvWriter csv(out);
      csv.field("outcome").field("unit").field("statistic").field("value").field("ci_low");
      csv.field("ci_high").field("n").field("censored").field("flag").end_row();
    }
    if (part < batch.model.outcomes().size()) write_rows(batch, part, out);
  }

  std::vector<ColumnInfo> columns(const Model&, const BatchOptions&) const override {
    const std::string bound = "unbounded, beyond the horizon, or none for this statistic";
    return {{"outcome", "", "text", "", "the outcome (a column of runs.csv)"},
            {"unit", "", "text", "", "the outcome's unit"},
            {"statistic", "", "text", "", "mean, sd, min, p5 ... p95, max; probability for an event"},
            {"value", "", "value", "beyond the horizon (a percentile or max), or undefined",
             "the statistic, in the outcome's unit (mean and sd over reached values only)"},
            {"ci_low", "", "value", bound, "lower bound of the 95% confidence interval"},
            {"ci_high", "", "value", bound, "upper bound of the 95% confidence interval"},
            {"n", "", "count", "", "replications with a value (reached plus censored)"},
            {"censored", "", "count", "", "of those, not reached by the horizon"},
            {"flag", "", "text", "the percentile is safe to quote, or the row is not a percentile",
             "wide: the CI is wide; gap: it also spans a gap between two regimes"}};
  }
 private:
  static void write_rows(const BatchOutput& batch, std::size_t j, std::ostream& out) {
    CsvWriter csv(out);
    const OutcomeInfo& info = batch.model.outcomes()[j];
    if (info.kind == OutcomeKind::kEvent) {
      // An event's row needs counts only: no sort.
      const auto [n, successes] = batch.statistics.events(j);
      const double p = n == 0 ? kNaN : static_cast<double>(successes) / static_cast<double>(n);
      csv.field(info.name).field(info.unit).field("probability");
      finite_cell(csv, p);
      const Interval ci = wilson_interval(successes, n);
      finite_cell(csv, ci.low);
      finite_cell(csv, ci.high);
      csv.integer(n).integer(std::uint64_t{0}).field("").end_row();  // never censored, no flag
      return;
    }
    const std::shared_ptr<const OutcomeSummary> summary = batch.statistics.summary(j);
    const OutcomeSummary& s = *summary;
    auto row = [&](const char* statistic, double value, Interval ci,
                   QuantileFlag flag = QuantileFlag::kNone) {
      csv.field(info.name).field(info.unit).field(statistic);
      finite_cell(csv, value);
      finite_cell(csv, ci.low);
      finite_cell(csv, ci.high);
      csv.integer(s.n).integer(s.censored).field(to_string(flag)).end_row();
    };
    const Interval none{kNaN, kNaN};
    row("mean", s.reached.mean(), s.reached.mean_ci());
    row("sd", s.reached.sd(), none);
    row("min", s.min(), none);
    for (const auto& [name, p] : kPercentiles) {
      const QuantileEstimate q = s.quantile(p);
      row(name, q.value, q.ci, s.flag(p));
    }
    row("max", s.max(), none);
  }
};

}  // namespace

std::unique_ptr<OutputWriter> make_summary_writer() { return std::make_unique<SummaryWriter>(); }

}  // namespace padsim::detail
