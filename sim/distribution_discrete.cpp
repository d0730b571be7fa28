// The builders of the kinds given by lists: discrete (values with probabilities) and empirical (data).
#include <algorithm>
#include <cmath>
#include <string>

#include "distribution_impl.hpp"
#include "padsim/error.hpp"
#include "padsim/format.hpp"

namespace padsim {

using namespace distribution_detail;

void Distribution::Impl::build_discrete(const Params& p) {
  p.allow({});
  const auto& values = spec.values;
  const auto& probs = spec.probabilities;
  if (values.empty()) p.fail("needs at least one value");
  if (values.size() != probs.size())
    p.fail(std::to_string(values.size()) + " values but " + std::to_string(probs.size()) +
           " probabilities");
  double sum = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) p.fail("value " + format_number(values[i]) + " is not a finite number");
    if (!std::isfinite(probs[i]))
      p.fail("probability " + format_number(probs[i]) + " of value " + format_number(values[i]) +
             " is not a finite number");
    if (probs[i] < 0 || probs[i] > 1)
      p.fail("probability " + format_number(probs[i]) + " of value " + format_number(values[i]) +
             " is outside [0, 1]");
    sum += probs[i];
  }
  if (std::abs(sum - 1.0) > 1e-9) p.fail("probabilities sum to " + format_number(sum) + ", not 1");

  // Normalise by the sum so cdf, quantile and moments match what the sampler draws.
  std::vector<std::pair<double, double>> pairs;  // (value, probability), positive only
  std::vector<double> weights;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (probs[i] <= 0) continue;
    pairs.emplace_back(values[i], probs[i] / sum);
    draw_values.push_back(values[i]);
    weights.push_back(probs[i]);
  }
  // Most probable value, first in spec order on ties (equal values pooled).
  double best_p = -1;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    double pooled = 0;
    for (const auto& [v, q] : pairs)
      if (v == pairs[i].first) pooled += q;
    if (pooled > best_p) {
      best_p = pooled;
      mode = pairs[i].first;
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  double acc = 0;
  for (const auto& [v, q] : pairs) {
    acc += q;
    if (!support.empty() && support.back() == v) {
      cum.back() = acc;
    } else {
      support.push_back(v);
      cum.push_back(acc);
    }
  }
  cum.back() = 1.0;
  mean = 0;
  for (const auto& [v, q] : pairs) mean += q * v;
  variance = 0;
  for (const auto& [v, q] : pairs) variance += q * (v - mean) * (v - mean);
  lo = support.front();
  hi = support.back();
  if (support.size() == 1) return set_fixed(support.front());
  sampler = Discrete(weights.begin(), weights.end());
}

void Distribution::Impl::build_empirical(const Params& p) {
  p.allow({"min", "max", "interpolate"});
  if (!spec.params.empty()) return build_interpolated_empirical(p);
  if (!spec.probabilities.empty())
    p.fail("takes no probabilities (got " + std::to_string(spec.probabilities.size()) + ")");
  if (spec.values.empty()) p.fail("needs at least 1 data point");
  for (double v : spec.values)
    if (!std::isfinite(v)) p.fail("data point " + format_number(v) + " is not a finite number");
  support = spec.values;
  std::sort(support.begin(), support.end());
  const std::size_t n = support.size();
  mean = 0;
  for (double v : support) mean += v;
  mean /= static_cast<double>(n);
  variance = 0;
  for (double v : support) variance += (v - mean) * (v - mean);
  variance /= static_cast<double>(n);  // the empirical distribution itself, not an estimate
  mode = n % 2 == 1 ? support[n / 2] : 0.5 * (support[n / 2 - 1] + support[n / 2]);
  lo = support.front();
  hi = support.back();
  if (lo == hi) return set_fixed(lo);
  draw_values = support;
  sampler = UniformIndex(0, n - 1);
}

// A distribution rather than a resampling of the data: the cdf rises linearly from knot to knot,
// each of the m knots (min, the sorted data, max) at probability k/(m - 1). With min and max the
// data sit at i/(n + 1), so the draws reach below the smallest and above the largest observation.
void Distribution::Impl::build_interpolated_empirical(const Params& p) {
  if (!spec.probabilities.empty())
    p.fail("takes no probabilities (got " + std::to_string(spec.probabilities.size()) + ")");
  if (spec.values.empty()) p.fail("needs at least 1 data point");
  for (double v : spec.values)
    if (!std::isfinite(v)) p.fail("data point " + format_number(v) + " is not a finite number");
  if (spec.params.count("interpolate") && spec.params.at("interpolate") != 1.0)
    p.fail("interpolate " + format_number(spec.params.at("interpolate")) + " must be 1 (min or max imply it)");
  std::vector<double> data = spec.values;
  std::sort(data.begin(), data.end());
  support.clear();
  if (spec.params.count("min")) {
    const double min = spec.params.at("min");
    if (!std::isfinite(min)) p.fail("min " + format_number(min) + " is not a finite number");
    if (min > data.front())
      p.fail("min " + format_number(min) + " is above the smallest data point " + format_number(data.front()));
    support.push_back(min);
  }
  support.insert(support.end(), data.begin(), data.end());
  if (spec.params.count("max")) {
    const double max = spec.params.at("max");
    if (!std::isfinite(max)) p.fail("max " + format_number(max) + " is not a finite number");
    if (max < data.back())
      p.fail("max " + format_number(max) + " is below the largest data point " + format_number(data.back()));
    support.push_back(max);
  }
  lo = support.front();
  hi = support.back();
  if (lo == hi) return set_fixed(lo);
  if (support.size() < 2) p.fail("needs at least 2 knots");
  interpolated = true;
  // Each segment holds 1/(m - 1) of the mass, uniformly (or as an atom when its knots coincide).
  const double w = 1.0 / static_cast<double>(support.size() - 1);
  mean = 0;
  double second = 0, densest = -1;
  for (std::size_t j = 0; j + 1 < support.size(); ++j) {
    const double left = support[j], right = support[j + 1];
    mean += w * (left + right) / 2;
    second += w * (left * left + left * right + right * right) / 3;
    const double density = right > left ? w / (right - left) : dd::kInf;
    if (density > densest) {
      densest = density;
      mode = (left + right) / 2;
    }
  }
  variance = std::max(0.0, second - mean * mean);
}

}  // namespace padsim
