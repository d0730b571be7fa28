// The --runs auto rule: every headline outcome estimated within a relative tolerance.
#include "padsim/batch.hpp"

#include "padsim/bounded_batch.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace padsim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

OutcomeSummary outcome_summary(const Model& model, const BatchResult& result, std::size_t j) {
  if (result.streamed) return summary_of(result.streamed->outcomes.at(j));
  const OutcomeInfo& info = model.outcomes().at(j);
  // An event is 0 or 1; an empty event cell means "not applicable", never "beyond the horizon".
  return summarize(result.outcome_column(j), info.censorable && info.kind == OutcomeKind::kValue);
}

RunningStats outcome_moments(const BatchResult& result, std::size_t j) {
  if (result.streamed) return result.streamed->outcomes.at(j)->reached();
  // As summarize() adds them: the values present, in replication order.
  RunningStats moments;
  for (std::uint64_t k = 0; k < result.replications; ++k)
    if (const double v = result.outcome(k, j); !std::isnan(v)) moments.add(v);
  return moments;
}

EventCount event_count(const BatchResult& result, std::size_t j) {
  if (result.streamed) {
    const StreamedColumn& c = *result.streamed->outcomes.at(j);
    return {c.n, c.nonzero};
  }
  EventCount count;
  for (std::uint64_t k = 0; k < result.replications; ++k) {
    const double v = result.outcome(k, j);
    if (std::isnan(v)) continue;
    ++count.n;
    if (v != 0.0) ++count.occurred;
  }
  return count;
}

std::vector<ConvergenceCheck> convergence_checks(const Model& model, const BatchResult& result,
                                                 double tolerance) {
  std::vector<ConvergenceCheck> checks;
  const auto& outs = model.outcomes();
  for (std::size_t j = 0; j < outs.size(); ++j) {
    if (!outs[j].headline) continue;
    if (outs[j].kind == OutcomeKind::kEvent) {
      const EventCount e = event_count(result, j);
      if (e.n == 0) continue;
      const Interval ci = wilson_interval(e.occurred, e.n);
      const double half = (ci.high - ci.low) / 2.0;
      checks.push_back({outs[j].name, "probability", half, tolerance, half <= tolerance});
      continue;
    }
    const OutcomeSummary s = outcome_summary(model, result, j);
    if (s.n == 0) continue;
    // Relative to the estimate, with the sd as a floor so that an outcome near zero can converge.
    const double sd = s.reached.count() >= 2 ? s.reached.sd() : 0.0;
    auto check = [&](const char* statistic, double estimate, Interval ci) {
      ConvergenceCheck c{outs[j].name, statistic, kInf, kInf, false};
      if (std::isinf(estimate) && ci.low == kInf) {  // wholly beyond the horizon: known
        c.half_width = 0.0;
        c.ok = true;
      } else if (std::isfinite(ci.low) && std::isfinite(ci.high)) {
        c.half_width = (ci.high - ci.low) / 2.0;
        c.allowed = tolerance * std::max(std::abs(estimate), sd);
        c.ok = c.half_width <= c.allowed;
      }
      checks.push_back(c);
    };
    if (s.reached.count() >= 2) check("mean", s.reached.mean(), s.reached.mean_ci());
    for (const auto& [name, p] : {std::pair{"p50", 0.5}, std::pair{"p90", 0.9}}) {
      const QuantileEstimate q = s.quantile(p);
      check(name, q.value, q.ci);
    }
  }
  return checks;
}

bool converged(const Model& model, const BatchResult& result, double tolerance) {
  const auto checks = convergence_checks(model, result, tolerance);
  return std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.ok; });
}

}  // namespace padsim
