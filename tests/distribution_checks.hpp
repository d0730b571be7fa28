#pragma once
// Shared by the distribution tests: building specs, drawing many values at a fixed seed, and the
// statistical checks (moments within 4 standard errors, Kolmogorov-Smirnov, per-value frequencies)
// against independent Boost.Math references.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/exponential.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <boost/math/distributions/weibull.hpp>

#include "padsim/distribution.hpp"
#include "padsim/error.hpp"
#include "padsim/rng.hpp"
#include "test_support.hpp"

namespace bm = boost::math;
using padsim::Distribution;
using padsim::DistributionKind;
using padsim::DistributionSpec;
using padsim::ParameterError;

namespace {

constexpr std::size_t kDraws = 100000;
constexpr std::uint64_t kSeed = 20250101;
using padsim::test::kInf;
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kKsCritical = 1.628 / std::sqrt(static_cast<double>(kDraws));  // 1% level

using Cdf = std::function<double(double)>;

inline DistributionSpec spec(DistributionKind kind, std::map<std::string, double> params,
                      std::vector<double> values = {}, std::vector<double> probabilities = {}) {
  DistributionSpec s;
  s.kind = kind;
  s.params = std::move(params);
  s.values = std::move(values);
  s.probabilities = std::move(probabilities);
  return s;
}

inline Distribution make(DistributionKind kind, std::map<std::string, double> params,
                  std::vector<double> values = {}, std::vector<double> probabilities = {}) {
  return Distribution(spec(kind, std::move(params), std::move(values), std::move(probabilities)));
}

inline bool rel_close(double a, double b, double tol) {
  return std::abs(a - b) <= tol * std::max({std::abs(a), std::abs(b), 1e-300});
}

struct Draws {
  std::vector<double> x;  // sorted
  double mean = 0;
  double var = 0;  // central moments about the sample mean
  double mu4 = 0;
};

inline Draws draw_many(const Distribution& d, std::uint64_t seed = kSeed) {
  padsim::Rng rng(seed, 0, padsim::stream_key("test", d.describe()));
  Draws out;
  out.x.resize(kDraws);
  for (auto& v : out.x) v = d.sample(rng);
  const double n = static_cast<double>(kDraws);
  for (double v : out.x) out.mean += v;
  out.mean /= n;
  for (double v : out.x) {
    const double e = (v - out.mean) * (v - out.mean);
    out.var += e;
    out.mu4 += e * e;
  }
  out.var /= n;
  out.mu4 /= n;
  std::sort(out.x.begin(), out.x.end());
  return out;
}

/// Sample mean and variance within 4 standard errors of the exact values.
inline void check_moments(const Draws& draws, double exact_mean, double exact_var) {
  const double n = static_cast<double>(kDraws);
  const double se_mean = std::sqrt(exact_var / n);
  const double se_var = std::sqrt((draws.mu4 - exact_var * exact_var) / n);
  CAPTURE(draws.mean);
  CAPTURE(exact_mean);
  CAPTURE(se_mean);
  CHECK(std::abs(draws.mean - exact_mean) < 4 * se_mean);
  CAPTURE(draws.var);
  CAPTURE(exact_var);
  CAPTURE(se_var);
  CHECK(std::abs(draws.var - exact_var) < 4 * se_var);
}

inline double ks_statistic(const std::vector<double>& sorted, const Cdf& cdf) {
  const double n = static_cast<double>(sorted.size());
  double d = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const double f = cdf(sorted[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return d;
}

/// The common oracle of every continuous kind.
inline void check_continuous(const Distribution& d, const Cdf& reference, double exact_mean,
                      double exact_var) {
  CAPTURE(d.describe());
  CHECK(rel_close(d.mean(), exact_mean, 1e-9));
  CHECK(rel_close(d.variance(), exact_var, 1e-9));
  CHECK_FALSE(d.is_fixed());

  const Draws draws = draw_many(d);
  check_moments(draws, exact_mean, exact_var);
  const double ks = ks_statistic(draws.x, reference);
  CAPTURE(ks);
  CHECK(ks < kKsCritical);
  CHECK(draws.x.front() >= d.lower());
  CHECK(draws.x.back() <= d.upper());

  // The library's cdf is the reference's, and quantile inverts it.
  for (double p : {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999}) {
    CAPTURE(p);
    const double x = d.quantile(p);
    CHECK(std::abs(reference(x) - p) < 1e-9);
    CHECK(std::abs(d.cdf(x) - p) < 1e-9);
    CHECK(rel_close(d.quantile(d.cdf(x)), x, 1e-9));
  }
  for (std::size_t i = 0; i < kDraws; i += kDraws / 50) {
    CHECK(std::abs(d.cdf(draws.x[i]) - reference(draws.x[i])) < 1e-12);
  }
  CHECK(d.cdf(d.lower() - 1.0) == 0.0);
  CHECK(d.cdf(d.upper()) == 1.0);
}

/// Discrete kinds: each value's frequency within 4 standard errors of its probability.
inline void check_frequencies(const Distribution& d, const std::map<double, double>& probabilities) {
  CAPTURE(d.describe());
  const Draws draws = draw_many(d);
  std::map<double, std::size_t> counts;
  for (double v : draws.x) ++counts[v];
  const double n = static_cast<double>(kDraws);
  double exact_mean = 0, exact_var = 0;
  for (const auto& [v, p] : probabilities) exact_mean += p * v;
  for (const auto& [v, p] : probabilities) exact_var += p * (v - exact_mean) * (v - exact_mean);
  for (const auto& entry : counts) {  // clang 14 cannot capture a structured binding in the lambda CAPTURE makes
    const double v = entry.first;
    CAPTURE(v);
    REQUIRE(probabilities.count(v) == 1);  // nothing outside the support
  }
  for (const auto& entry : probabilities) {  // clang 14 cannot capture a structured binding in the lambda CAPTURE makes
    const double v = entry.first, p = entry.second;
    CAPTURE(v);
    const double freq = static_cast<double>(counts[v]) / n;
    CHECK(std::abs(freq - p) < 4 * std::sqrt(p * (1 - p) / n));
  }
  CHECK(rel_close(d.mean(), exact_mean, 1e-12));
  CHECK(std::abs(d.variance() - exact_var) < 1e-12 * std::max(1.0, exact_var));
  check_moments(draws, exact_mean, exact_var);

  // cdf steps at each value; quantile is its generalised inverse.
  double acc = 0;
  for (const auto& entry : probabilities) {  // clang 14 cannot capture a structured binding in the lambda CAPTURE makes
    const double v = entry.first, p = entry.second;
    CAPTURE(v);
    CHECK(std::abs(d.cdf(v - 1e-9) - acc) < 1e-12);
    acc += p;
    CHECK(std::abs(d.cdf(v) - acc) < 1e-12);
    CHECK(d.quantile(d.cdf(v)) == v);
    CHECK(d.quantile(std::max(1e-12, acc - p / 2)) == v);
  }
  CHECK(d.lower() == probabilities.begin()->first);
  CHECK(d.upper() == probabilities.rbegin()->first);
}

/// Truncated normal from Boost.Math's normal: F(x) = (Phi(x) - Phi(a)) / (Phi(b) - Phi(a)).
struct TruncatedNormal {
  double mu, sigma, a, b;

  double phi(double x) const {
    if (x == -kInf) return 0;
    if (x == kInf) return 1;
    return bm::cdf(bm::normal(mu, sigma), x);
  }
  double pdf_std(double z) const { return std::isinf(z) ? 0.0 : bm::pdf(bm::normal(), z); }
  // Upper tail: P(X > x), so that ranges far above the mean do not cancel to zero.
  double tail(double x) const {
    if (x == -kInf) return 1;
    if (x == kInf) return 0;
    return bm::cdf(bm::complement(bm::normal(mu, sigma), x));
  }
  double mass() const { return a >= mu ? tail(a) - tail(b) : phi(b) - phi(a); }
  double cdf(double x) const {
    if (x <= a) return 0;
    if (x >= b) return 1;
    return a >= mu ? (tail(a) - tail(x)) / mass() : (phi(x) - phi(a)) / mass();
  }
  double mean() const {
    const double za = (a - mu) / sigma, zb = (b - mu) / sigma;
    return mu + sigma * (pdf_std(za) - pdf_std(zb)) / mass();
  }
  double variance() const {
    const double za = (a - mu) / sigma, zb = (b - mu) / sigma;
    const double ta = std::isinf(za) ? 0.0 : za * pdf_std(za);
    const double tb = std::isinf(zb) ? 0.0 : zb * pdf_std(zb);
    const double shift = (pdf_std(za) - pdf_std(zb)) / mass();
    return sigma * sigma * (1 + (ta - tb) / mass() - shift * shift);
  }
};

inline void check_truncated_normal(double mu, double sigma, double a, double b) {
  std::map<std::string, double> params{{"mean", mu}, {"sd", sigma}};
  if (a > -kInf) params["min"] = a;
  if (b < kInf) params["max"] = b;
  const Distribution d = make(DistributionKind::kNormal, params);
  const TruncatedNormal ref{mu, sigma, a, b};
  check_continuous(d, [&](double x) { return ref.cdf(x); }, ref.mean(), ref.variance());
  CHECK(d.lower() == a);
  CHECK(d.upper() == b);
  CHECK(d.mode() == std::clamp(mu, a, b));
}

inline void check_pert(double a, double m, double c, double lambda) {
  const Distribution d(DistributionSpec::pert(a, m, c, lambda));
  const bm::beta_distribution<> beta(1 + lambda * (m - a) / (c - a), 1 + lambda * (c - m) / (c - a));
  check_continuous(
      d, [&](double x) { return x <= a ? 0.0 : x >= c ? 1.0 : bm::cdf(beta, (x - a) / (c - a)); },
      a + (c - a) * bm::mean(beta), (c - a) * (c - a) * bm::variance(beta));
  CHECK(rel_close(d.mean(), (a + lambda * m + c) / (lambda + 2), 1e-12));
  CHECK(d.mode() == m);
  CHECK(d.lower() == a);
  CHECK(d.upper() == c);
}

template <class BoostDist>
inline Cdf boost_cdf(BoostDist dist, double support_lo) {
  return [dist, support_lo](double x) { return x <= support_lo ? 0.0 : bm::cdf(dist, x); };
}

}  // namespace
