// Distributions: every kind is sampled 100,000 times at a fixed seed and compared with an independent
// reference built from Boost.Math (moments within 4 standard errors, Kolmogorov-Smirnov below the 1%
// critical value, or per-value frequencies for discrete kinds); then cdf/quantile, modes, bounds and
// every invalid-parameter message.
#include <doctest/doctest.h>

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

namespace bm = boost::math;
using padsim::Distribution;
using padsim::DistributionKind;
using padsim::DistributionSpec;
using padsim::ParameterError;

namespace {

constexpr std::size_t kDraws = 100000;
constexpr std::uint64_t kSeed = 20250101;
const double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kKsCritical = 1.628 / std::sqrt(static_cast<double>(kDraws));  // 1% level

using Cdf = std::function<double(double)>;

DistributionSpec spec(DistributionKind kind, std::map<std::string, double> params,
                      std::vector<double> values = {}, std::vector<double> probabilities = {}) {
  DistributionSpec s;
  s.kind = kind;
  s.params = std::move(params);
  s.values = std::move(values);
  s.probabilities = std::move(probabilities);
  return s;
}

Distribution make(DistributionKind kind, std::map<std::string, double> params,
                  std::vector<double> values = {}, std::vector<double> probabilities = {}) {
  return Distribution(spec(kind, std::move(params), std::move(values), std::move(probabilities)));
}

bool rel_close(double a, double b, double tol) {
  return std::abs(a - b) <= tol * std::max({std::abs(a), std::abs(b), 1e-300});
}

struct Draws {
  std::vector<double> x;  // sorted
  double mean = 0;
  double var = 0;  // central moments about the sample mean
  double mu4 = 0;
};

Draws draw_many(const Distribution& d, std::uint64_t seed = kSeed) {
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
void check_moments(const Draws& draws, double exact_mean, double exact_var) {
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

double ks_statistic(const std::vector<double>& sorted, const Cdf& cdf) {
  const double n = static_cast<double>(sorted.size());
  double d = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const double f = cdf(sorted[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return d;
}

/// The common oracle of every continuous kind.
void check_continuous(const Distribution& d, const Cdf& reference, double exact_mean,
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
void check_frequencies(const Distribution& d, const std::map<double, double>& probabilities) {
  CAPTURE(d.describe());
  const Draws draws = draw_many(d);
  std::map<double, std::size_t> counts;
  for (double v : draws.x) ++counts[v];
  const double n = static_cast<double>(kDraws);
  double exact_mean = 0, exact_var = 0;
  for (const auto& [v, p] : probabilities) exact_mean += p * v;
  for (const auto& [v, p] : probabilities) exact_var += p * (v - exact_mean) * (v - exact_mean);
  for (const auto& [v, c] : counts) {
    CAPTURE(v);
    REQUIRE(probabilities.count(v) == 1);  // nothing outside the support
  }
  for (const auto& [v, p] : probabilities) {
    CAPTURE(v);
    const double freq = static_cast<double>(counts[v]) / n;
    CHECK(std::abs(freq - p) < 4 * std::sqrt(p * (1 - p) / n));
  }
  CHECK(rel_close(d.mean(), exact_mean, 1e-12));
  CHECK(std::abs(d.variance() - exact_var) < 1e-12 * std::max(1.0, exact_var));
  check_moments(draws, exact_mean, exact_var);

  // cdf steps at each value; quantile is its generalised inverse.
  double acc = 0;
  for (const auto& [v, p] : probabilities) {
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

void check_truncated_normal(double mu, double sigma, double a, double b) {
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

void check_pert(double a, double m, double c, double lambda) {
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
Cdf boost_cdf(BoostDist dist, double support_lo) {
  return [dist, support_lo](double x) { return x <= support_lo ? 0.0 : bm::cdf(dist, x); };
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Sampling against Boost.Math references

TEST_CASE("a fixed distribution always draws its value") {
  const Distribution d(DistributionSpec::fixed(7.5));
  CHECK(d.is_fixed());
  padsim::Rng rng(kSeed, 0, padsim::stream_key("test"));
  for (int i = 0; i < 1000; ++i) REQUIRE(d.sample(rng) == 7.5);
  CHECK(d.mean() == 7.5);
  CHECK(d.variance() == 0.0);
  CHECK(d.mode() == 7.5);
  CHECK(d.lower() == 7.5);
  CHECK(d.upper() == 7.5);
  CHECK(d.cdf(7.4) == 0.0);
  CHECK(d.cdf(7.5) == 1.0);
  CHECK(d.quantile(0.3) == 7.5);
  CHECK(d.describe() == "fixed(7.5)");
}

TEST_CASE("the default distribution is a fixed zero") {
  const Distribution d;
  CHECK(d.kind() == DistributionKind::kFixed);
  CHECK(d.is_fixed());
  padsim::Rng rng(kSeed, 0, padsim::stream_key("test"));
  CHECK(d.sample(rng) == 0.0);
  CHECK(d.mean() == 0.0);
}

TEST_CASE("uniform draws match Boost.Math's uniform") {
  const bm::uniform_distribution<> ref(2, 5);
  const Distribution d(DistributionSpec::uniform(2, 5));
  check_continuous(d, boost_cdf(ref, 2), bm::mean(ref), bm::variance(ref));
  CHECK(d.mode() == 3.5);
}

TEST_CASE("triangular draws match Boost.Math's triangular") {
  const bm::triangular_distribution<> ref(2, 7, 30);
  const Distribution d(DistributionSpec::triangular(2, 7, 30));
  check_continuous(d, boost_cdf(ref, 2), bm::mean(ref), bm::variance(ref));
  CHECK(d.mean() == doctest::Approx(13.0));
  CHECK(d.mode() == 7.0);
}

TEST_CASE("triangular with the mode at an end draws correctly") {
  const bm::triangular_distribution<> ref(0, 0, 10);
  const Distribution d(DistributionSpec::triangular(0, 0, 10));
  check_continuous(d, boost_cdf(ref, 0), bm::mean(ref), bm::variance(ref));
}

TEST_CASE("pert with the default lambda 4 is the scaled Beta of the issue") {
  check_pert(2, 7, 30, 4);
  CHECK(Distribution(DistributionSpec::pert(2, 7, 30)).mean() == doctest::Approx(10.0));
}

TEST_CASE("pert with another lambda uses that lambda in both shape parameters") {
  check_pert(2, 7, 30, 2);
  check_pert(-5, 10, 12, 9);
}

TEST_CASE("normal draws match Boost.Math's normal") {
  const bm::normal ref(10, 3);
  const Distribution d = make(DistributionKind::kNormal, {{"mean", 10}, {"sd", 3}});
  check_continuous(d, boost_cdf(ref, -kInf), 10, 9);
  CHECK(d.mode() == 10);
  CHECK(d.lower() == -kInf);
  CHECK(d.upper() == kInf);
}

TEST_CASE("one-sided truncated normal draws follow the conditional law") {
  check_truncated_normal(10, 4, 0, kInf);      // most mass kept: rejection
  check_truncated_normal(0, 1, -kInf, -1.5);   // 6.7% kept: inverse cdf, lower tail
  check_truncated_normal(0, 1, 2.5, kInf);     // 0.6% kept: inverse cdf, upper tail
}

TEST_CASE("two-sided truncated normal draws follow the conditional law") {
  check_truncated_normal(10, 3, 5, 20);        // rejection
  check_truncated_normal(0, 1, 1, 3);          // inverse cdf
  check_truncated_normal(4, 2, -1, 4.5);       // inverse cdf across the mean
}

TEST_CASE("a truncated normal far in the tail stays exact and inside its range") {
  const Distribution d = make(DistributionKind::kNormal, {{"mean", 0}, {"sd", 1}, {"min", 12}});
  padsim::Rng rng(kSeed, 0, padsim::stream_key("test"));
  double sum = 0;
  for (int i = 0; i < 10000; ++i) {
    const double x = d.sample(rng);
    REQUIRE(x >= 12);
    sum += x;
  }
  const TruncatedNormal ref{0, 1, 12, kInf};
  CHECK(rel_close(d.mean(), ref.mean(), 1e-9));
  CHECK(std::abs(sum / 10000 - ref.mean()) < 4 * std::sqrt(ref.variance() / 10000));
  CHECK(d.quantile(0.5) > 12);
}

TEST_CASE("lognormal by mean and sd has that mean and sd") {
  const double mean = 10, sd = 4;
  const double s2 = std::log(1 + sd * sd / (mean * mean));
  const bm::lognormal ref(std::log(mean) - s2 / 2, std::sqrt(s2));
  const Distribution d = make(DistributionKind::kLognormal, {{"mean", mean}, {"sd", sd}});
  check_continuous(d, boost_cdf(ref, 0), mean, sd * sd);
  CHECK(rel_close(bm::mean(ref), mean, 1e-12));
  CHECK(rel_close(d.mode(), bm::mode(ref), 1e-12));
  CHECK(d.lower() == 0);
}

TEST_CASE("lognormal by two percentiles matches the reference and reproduces them") {
  const double low = 5, high = 20;
  const bm::normal z;
  const double z1 = bm::quantile(z, 0.10), z2 = bm::quantile(z, 0.90);
  const double s = (std::log(high) - std::log(low)) / (z2 - z1);
  const bm::lognormal ref(std::log(low) - s * z1, s);
  const Distribution d = make(DistributionKind::kLognormal,
                              {{"low", low}, {"low_pct", 10}, {"high", high}, {"high_pct", 90}});
  check_continuous(d, boost_cdf(ref, 0), bm::mean(ref), bm::variance(ref));
  CHECK(rel_close(d.quantile(0.10), low, 1e-9));
  CHECK(rel_close(d.quantile(0.90), high, 1e-9));
  CHECK(rel_close(d.mode(), bm::mode(ref), 1e-12));
}

TEST_CASE("percentile-defined lognormals reproduce their percentiles for any pair") {
  struct Case { double low, low_pct, high, high_pct; };
  for (const Case c : {Case{1, 5, 100, 95}, Case{0.3, 2.5, 0.9, 97.5}, Case{40, 50, 41, 51},
                       Case{2, 1, 3, 10}, Case{1e-3, 20, 1e4, 99.9}}) {
    CAPTURE(c.low);
    const Distribution d = make(DistributionKind::kLognormal, {{"low", c.low}, {"low_pct", c.low_pct},
                                                               {"high", c.high}, {"high_pct", c.high_pct}});
    CHECK(rel_close(d.quantile(c.low_pct / 100), c.low, 1e-9));
    CHECK(rel_close(d.quantile(c.high_pct / 100), c.high, 1e-9));
    CHECK(std::abs(d.cdf(c.low) - c.low_pct / 100) < 1e-9);
    CHECK(std::abs(d.cdf(c.high) - c.high_pct / 100) < 1e-9);
  }
}

TEST_CASE("gamma by shape and scale matches Boost.Math's gamma") {
  const bm::gamma_distribution<> ref(2.5, 3);
  const Distribution d = make(DistributionKind::kGamma, {{"shape", 2.5}, {"scale", 3}});
  check_continuous(d, boost_cdf(ref, 0), bm::mean(ref), bm::variance(ref));
  CHECK(d.mode() == doctest::Approx(1.5 * 3));
}

TEST_CASE("gamma with shape below one matches Boost.Math's gamma and has mode zero") {
  const bm::gamma_distribution<> ref(0.6, 2);
  const Distribution d = make(DistributionKind::kGamma, {{"shape", 0.6}, {"scale", 2}});
  check_continuous(d, boost_cdf(ref, 0), bm::mean(ref), bm::variance(ref));
  CHECK(d.mode() == 0.0);
}

TEST_CASE("gamma by mean and sd has that mean and sd") {
  const double mean = 6, sd = 2;  // shape 9, scale 2/3
  const bm::gamma_distribution<> ref(mean * mean / (sd * sd), sd * sd / mean);
  const Distribution d = make(DistributionKind::kGamma, {{"mean", mean}, {"sd", sd}});
  check_continuous(d, boost_cdf(ref, 0), mean, sd * sd);
  CHECK(rel_close(d.mode(), 8.0 * 2.0 / 3.0, 1e-12));
}

TEST_CASE("weibull draws match Boost.Math's weibull") {
  const bm::weibull_distribution<> ref(1.5, 10);
  const Distribution d = make(DistributionKind::kWeibull, {{"shape", 1.5}, {"scale", 10}});
  check_continuous(d, boost_cdf(ref, 0), bm::mean(ref), bm::variance(ref));
  CHECK(rel_close(d.mode(), 10 * std::pow(0.5 / 1.5, 1 / 1.5), 1e-12));
  CHECK(rel_close(d.mode(), bm::mode(ref), 1e-9));
}

TEST_CASE("weibull with shape at most one has mode zero") {
  const bm::weibull_distribution<> ref(0.8, 4);
  const Distribution d = make(DistributionKind::kWeibull, {{"shape", 0.8}, {"scale", 4}});
  check_continuous(d, boost_cdf(ref, 0), bm::mean(ref), bm::variance(ref));
  CHECK(d.mode() == 0.0);
  CHECK(make(DistributionKind::kWeibull, {{"shape", 1}, {"scale", 4}}).mode() == 0.0);
}

TEST_CASE("exponential by mean and by rate match Boost.Math's exponential") {
  {
    const bm::exponential_distribution<> ref(0.2);
    const Distribution d = make(DistributionKind::kExponential, {{"mean", 5}});
    check_continuous(d, boost_cdf(ref, 0), 5, 25);
    CHECK(d.mode() == 0.0);
  }
  {
    const bm::exponential_distribution<> ref(0.5);
    const Distribution d = make(DistributionKind::kExponential, {{"rate", 0.5}});
    check_continuous(d, boost_cdf(ref, 0), bm::mean(ref), bm::variance(ref));
    CHECK(d.mean() == 2.0);
    CHECK(d.mode() == 0.0);
  }
}

TEST_CASE("discrete draws each value with its probability") {
  const Distribution d =
      make(DistributionKind::kDiscrete, {}, {5, 1, 2, 10}, {0.3, 0.2, 0.45, 0.05});
  check_frequencies(d, {{1, 0.2}, {2, 0.45}, {5, 0.3}, {10, 0.05}});
  CHECK(d.mode() == 2);
  CHECK_FALSE(d.is_fixed());
}

TEST_CASE("discrete ignores zero-probability values and pools repeated ones") {
  const Distribution d =
      make(DistributionKind::kDiscrete, {}, {-3, 4, 4, 7, 100}, {0.25, 0.25, 0.25, 0.25, 0});
  check_frequencies(d, {{-3, 0.25}, {4, 0.5}, {7, 0.25}});
  CHECK(d.mode() == 4);
  CHECK(d.upper() == 7);
}

TEST_CASE("empirical draws uniformly among the data points") {
  const std::vector<double> data{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
  const Distribution d = make(DistributionKind::kEmpirical, {}, data);
  std::map<double, double> probabilities;
  for (double v : data) probabilities[v] += 1.0 / static_cast<double>(data.size());
  check_frequencies(d, probabilities);
  // Sorted: 1 1 2 3 3 4 5 5 5 6 9 -> median 4.
  CHECK(d.mode() == 4);
  CHECK(d.cdf(3) == doctest::Approx(5.0 / 11));
  CHECK(d.quantile(5.0 / 11) == 3);
  CHECK(d.quantile(5.0 / 11 + 1e-12) == 4);
}

TEST_CASE("trigen draws the triangular whose percentiles are the given values") {
  const Distribution d = make(DistributionKind::kTrigen,
                              {{"low", 5}, {"mode", 7}, {"high", 20}, {"low_pct", 10}, {"high_pct", 90}});
  REQUIRE(d.lower() < 5);
  REQUIRE(d.upper() > 20);
  const bm::triangular_distribution<> ref(d.lower(), 7, d.upper());
  // The reference itself reproduces the defining percentiles.
  CHECK(std::abs(bm::cdf(ref, 5.0) - 0.10) < 1e-9);
  CHECK(std::abs(bm::cdf(ref, 20.0) - 0.90) < 1e-9);
  check_continuous(d, boost_cdf(ref, d.lower()), bm::mean(ref), bm::variance(ref));
  CHECK(rel_close(d.quantile(0.10), 5, 1e-9));
  CHECK(rel_close(d.quantile(0.90), 20, 1e-9));
  CHECK(d.mode() == 7);
}

TEST_CASE("trigen reproduces its defining percentiles for skewed and edge cases") {
  struct Case { double low, mode, high, low_pct, high_pct; };
  for (const Case c : {Case{5, 7, 20, 10, 90}, Case{0, 0, 10, 10, 90}, Case{0, 10, 10, 10, 90},
                       Case{1, 2, 3, 1, 99}, Case{100, 101, 1000, 25, 75}, Case{-4, 0, 6, 0, 90},
                       Case{-4, 5, 6, 10, 100}, Case{2, 3, 4, 0, 100}, Case{10, 10.5, 11, 49, 51},
                       Case{3, 3, 9, 0, 60}, Case{1, 5, 1e6, 5, 95}}) {
    CAPTURE(c.low);
    CAPTURE(c.mode);
    CAPTURE(c.high);
    CAPTURE(c.low_pct);
    CAPTURE(c.high_pct);
    const Distribution d =
        make(DistributionKind::kTrigen, {{"low", c.low}, {"mode", c.mode}, {"high", c.high},
                                         {"low_pct", c.low_pct}, {"high_pct", c.high_pct}});
    const bm::triangular_distribution<> ref(d.lower(), c.mode, d.upper());
    CHECK(std::abs(bm::cdf(ref, c.low) - c.low_pct / 100) < 1e-9);
    CHECK(std::abs(bm::cdf(ref, c.high) - c.high_pct / 100) < 1e-9);
    // Relative to the value, or to the range when the value is 0.
    const double tol = 1e-9 * std::max({std::abs(c.low), std::abs(c.high), c.high - c.low});
    if (c.low_pct > 0) CHECK(std::abs(d.quantile(c.low_pct / 100) - c.low) <= tol);
    if (c.high_pct < 100) CHECK(std::abs(d.quantile(c.high_pct / 100) - c.high) <= tol);
    if (c.low_pct == 0) CHECK(d.lower() == c.low);
    if (c.high_pct == 100) CHECK(d.upper() == c.high);
    CHECK(d.mode() == c.mode);
  }
}

TEST_CASE("trigen with 0 and 100 percent is the plain triangular") {
  const Distribution t = make(DistributionKind::kTrigen,
                              {{"low", 2}, {"mode", 7}, {"high", 30}, {"low_pct", 0}, {"high_pct", 100}});
  CHECK(t.lower() == 2);
  CHECK(t.upper() == 30);
  CHECK(t.mean() == doctest::Approx(13.0));
  const Distribution tri(DistributionSpec::triangular(2, 7, 30));
  padsim::Rng a(kSeed, 3, padsim::stream_key("test")), b(kSeed, 3, padsim::stream_key("test"));
  for (int i = 0; i < 100; ++i) CHECK(t.sample(a) == doctest::Approx(tri.sample(b)).epsilon(1e-12));
}

// ---------------------------------------------------------------------------------------------------
// Queries

TEST_CASE("equal generators give equal draws and copies share the distribution") {
  const Distribution d = make(DistributionKind::kGamma, {{"mean", 6}, {"sd", 2}});
  const Distribution copy = d;  // NOLINT(performance-unnecessary-copy-initialization)
  padsim::Rng a(kSeed, 5, padsim::stream_key("test")), b(kSeed, 5, padsim::stream_key("test"));
  for (int i = 0; i < 100; ++i) REQUIRE(d.sample(a) == copy.sample(b));
  CHECK(&d.spec() == &copy.spec());
}

TEST_CASE("mode follows the documented rule of each kind") {
  CHECK(Distribution(DistributionSpec::uniform(2, 6)).mode() == 4);
  CHECK(Distribution(DistributionSpec::triangular(2, 7, 30)).mode() == 7);
  CHECK(Distribution(DistributionSpec::pert(2, 7, 30, 3)).mode() == 7);
  CHECK(make(DistributionKind::kExponential, {{"mean", 9}}).mode() == 0);
  CHECK(make(DistributionKind::kNormal, {{"mean", 10}, {"sd", 3}}).mode() == 10);
  CHECK(make(DistributionKind::kNormal, {{"mean", 10}, {"sd", 3}, {"min", 12}}).mode() == 12);
  CHECK(make(DistributionKind::kNormal, {{"mean", 10}, {"sd", 3}, {"max", 8}}).mode() == 8);
  CHECK(make(DistributionKind::kNormal, {{"mean", 10}, {"sd", 3}, {"min", 0}, {"max", 20}}).mode() == 10);
  {
    const Distribution d = make(DistributionKind::kLognormal, {{"mean", 10}, {"sd", 4}});
    const double s2 = std::log(1 + 0.16);
    CHECK(rel_close(d.mode(), std::exp(std::log(10.0) - s2 / 2 - s2), 1e-12));
  }
  CHECK(make(DistributionKind::kGamma, {{"shape", 3}, {"scale", 2}}).mode() == 4);
  CHECK(make(DistributionKind::kGamma, {{"shape", 1}, {"scale", 2}}).mode() == 0);
  CHECK(rel_close(make(DistributionKind::kWeibull, {{"shape", 2}, {"scale", 3}}).mode(),
                  3 * std::sqrt(0.5), 1e-12));
  CHECK(make(DistributionKind::kDiscrete, {}, {1, 2, 3}, {0.4, 0.2, 0.4}).mode() == 1);  // tie: first
  CHECK(make(DistributionKind::kDiscrete, {}, {3, 2, 1}, {0.4, 0.2, 0.4}).mode() == 3);
  CHECK(make(DistributionKind::kEmpirical, {}, {9, 1, 5}).mode() == 5);
  CHECK(make(DistributionKind::kEmpirical, {}, {9, 1, 5, 2}).mode() == 3.5);  // even: mid of middle two
  CHECK(make(DistributionKind::kTrigen, {{"low", 5}, {"mode", 8}, {"high", 20}, {"low_pct", 10},
                                         {"high_pct", 90}}).mode() == 8);
  CHECK(Distribution(DistributionSpec::fixed(-2)).mode() == -2);
}

TEST_CASE("degenerate ranges and single values are fixed") {
  CHECK(Distribution(DistributionSpec::uniform(3, 3)).is_fixed());
  CHECK(Distribution(DistributionSpec::triangular(3, 3, 3)).is_fixed());
  CHECK(Distribution(DistributionSpec::pert(3, 3, 3)).is_fixed());
  CHECK(make(DistributionKind::kDiscrete, {}, {4, 5}, {1, 0}).is_fixed());
  CHECK(make(DistributionKind::kEmpirical, {}, {2, 2, 2}).is_fixed());
  CHECK(make(DistributionKind::kTrigen, {{"low", 3}, {"mode", 3}, {"high", 3}, {"low_pct", 10},
                                         {"high_pct", 90}}).is_fixed());
  const Distribution d(DistributionSpec::uniform(3, 3));
  padsim::Rng rng(kSeed, 0, padsim::stream_key("test"));
  CHECK(d.sample(rng) == 3);
  CHECK(d.quantile(0.7) == 3);
  CHECK(d.variance() == 0);
  CHECK_FALSE(Distribution(DistributionSpec::uniform(3, 4)).is_fixed());
}

TEST_CASE("quantile accepts the closed unit interval and rejects anything else") {
  const Distribution d = make(DistributionKind::kNormal, {{"mean", 0}, {"sd", 1}});
  CHECK(d.quantile(0) == -kInf);
  CHECK(d.quantile(1) == kInf);
  CHECK(Distribution(DistributionSpec::uniform(2, 5)).quantile(0) == 2);
  CHECK_THROWS_WITH_AS(d.quantile(1.5), "normal: quantile probability 1.5 is outside [0, 1]",
                       ParameterError);
  CHECK_THROWS_AS(d.quantile(-0.1), ParameterError);
  CHECK_THROWS_AS(d.quantile(kNaN), ParameterError);
}

TEST_CASE("describe gives a short readable form") {
  CHECK(Distribution(DistributionSpec::pert(2, 7, 30)).describe() == "pert(2, 7, 30)");
  CHECK(Distribution(DistributionSpec::pert(2, 7, 30, 6)).describe() == "pert(2, 7, 30, lambda=6)");
  CHECK(Distribution(DistributionSpec::triangular(2, 7, 30)).describe() == "triangular(2, 7, 30)");
  CHECK(Distribution(DistributionSpec::uniform(0.5, 1)).describe() == "uniform(0.5, 1)");
  CHECK(make(DistributionKind::kNormal, {{"mean", 10}, {"sd", 3}, {"min", 0}}).describe() ==
        "normal(10, 3, min=0)");
  CHECK(make(DistributionKind::kLognormal, {{"low", 5}, {"low_pct", 10}, {"high", 20}, {"high_pct", 90}})
            .describe() == "lognormal(P10=5, P90=20)");
  CHECK(make(DistributionKind::kLognormal, {{"mean", 5}, {"sd", 1}}).describe() ==
        "lognormal(mean=5, sd=1)");
  CHECK(make(DistributionKind::kGamma, {{"shape", 2}, {"scale", 3}}).describe() ==
        "gamma(shape=2, scale=3)");
  CHECK(make(DistributionKind::kExponential, {{"rate", 0.25}}).describe() == "exponential(rate=0.25)");
  CHECK(make(DistributionKind::kDiscrete, {}, {1, 2}, {0.25, 0.75}).describe() ==
        "discrete(1: 0.25, 2: 0.75)");
  CHECK(make(DistributionKind::kEmpirical, {}, {4, 1, 9}).describe() == "empirical(n=3, min=1, max=9)");
  CHECK(make(DistributionKind::kTrigen, {{"low", 5}, {"mode", 7}, {"high", 20}, {"low_pct", 10},
                                         {"high_pct", 90}}).describe() == "trigen(5, 7, 20, 10, 90)");
}

TEST_CASE("kind names round-trip and unknown kinds are named with the valid list") {
  for (auto kind : {DistributionKind::kFixed, DistributionKind::kUniform, DistributionKind::kTriangular,
                    DistributionKind::kPert, DistributionKind::kNormal, DistributionKind::kLognormal,
                    DistributionKind::kGamma, DistributionKind::kWeibull, DistributionKind::kExponential,
                    DistributionKind::kDiscrete, DistributionKind::kEmpirical, DistributionKind::kTrigen})
    CHECK(padsim::distribution_kind_from_string(padsim::to_string(kind)) == kind);
  CHECK(std::string(padsim::to_string(DistributionKind::kPert)) == "pert");
  CHECK_THROWS_WITH_AS(padsim::distribution_kind_from_string("betapert"),
                       doctest::Contains("unknown distribution kind 'betapert'"), ParameterError);
  CHECK_THROWS_WITH_AS(
      padsim::distribution_kind_from_string("Normal"),
      "unknown distribution kind 'Normal' (valid kinds: fixed, uniform, triangular, pert, normal, "
      "lognormal, gamma, weibull, exponential, discrete, empirical, trigen)",
      ParameterError);
}

// ---------------------------------------------------------------------------------------------------
// Invalid parameters: every path names the kind, the parameter and its value.

TEST_CASE("fixed and uniform reject invalid parameters") {
  CHECK_THROWS_WITH_AS(make(DistributionKind::kFixed, {}), "fixed: missing parameter 'value'",
                       ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::fixed(kNaN)),
                       "fixed: value nan is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kFixed, {{"value", 1}, {"sd", 2}}),
                       "fixed: unknown parameter 'sd' (allowed: value)", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kUniform, {{"min", 1}}), "uniform: missing parameter 'max'",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kUniform, {{"max", 1}}), "uniform: missing parameter 'min'",
                       ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::uniform(5, 3)), "uniform: min 5 is above max 3",
                       ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::uniform(0, kInf)),
                       "uniform: max inf is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::uniform(-kInf, 0)),
                       "uniform: min -inf is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kUniform, {{"min", 1}, {"max", 2}, {"mode", 1.5}}),
                       doctest::Contains("uniform: unknown parameter 'mode'"), ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kUniform, {{"min", 1}, {"max", 2}}, {1, 2}),
                       "uniform: takes no values (got 2)", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kUniform, {{"min", 1}, {"max", 2}}, {}, {1}),
                       "uniform: takes no probabilities (got 1)", ParameterError);
}

TEST_CASE("triangular and pert reject invalid parameters") {
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::triangular(2, 40, 30)),
                       "triangular: mode 40 is above max 30", ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::triangular(2, 1, 30)),
                       "triangular: mode 1 is below min 2", ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::triangular(31, 30, 30)),
                       "triangular: min 31 is above max 30", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kTriangular, {{"min", 1}, {"max", 3}}),
                       "triangular: missing parameter 'mode'", ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::triangular(1, kNaN, 3)),
                       "triangular: mode nan is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kTriangular, {{"min", 1}, {"mode", 2}, {"max", 3}}, {}, {0.5}),
                       "triangular: takes no probabilities (got 1)", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kPert, {{"min", 1}, {"mod", 2}, {"max", 3}}),
                       "pert: unknown parameter 'mod' (allowed: min, mode, max, lambda)", ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::pert(2, 7, 30, -1)), "pert: lambda -1 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::pert(2, 7, 30, 0)), "pert: lambda 0 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::pert(2, 7, 30, kInf)),
                       "pert: lambda inf is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::pert(2, 40, 30)), "pert: mode 40 is above max 30",
                       ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::pert(2, 1, 30)), "pert: mode 1 is below min 2",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kPert, {{"min", 1}, {"mode", 2}}), "pert: missing parameter 'max'",
                       ParameterError);
}

TEST_CASE("normal rejects invalid parameters") {
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 1}, {"sd", -1}}), "normal: sd -1 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 1}, {"sd", 0}}), "normal: sd 0 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 1}}), "normal: missing parameter 'sd'",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"sd", 1}}), "normal: missing parameter 'mean'",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", kNaN}, {"sd", 1}}),
                       "normal: mean nan is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 0}, {"sd", 1}, {"min", -kInf}}),
                       "normal: min -inf is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 0}, {"sd", 1}, {"min", 5}, {"max", 3}}),
                       "normal: min 5 must be below max 3", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 0}, {"sd", 1}, {"min", 3}, {"max", 3}}),
                       "normal: min 3 must be below max 3", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 0}, {"sd", 1}, {"min", 50}}),
                       "normal: the range [50, inf] has no probability under normal(0, 1)", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 0}, {"sd", 1}, {"low", 0}}),
                       "normal: unknown parameter 'low' (allowed: mean, sd, min, max)", ParameterError);
}

TEST_CASE("lognormal rejects invalid parameters and mixed forms") {
  using K = DistributionKind;
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {{"mean", 5}, {"sd", 1}, {"low", 2}}),
                       "lognormal: give either mean and sd, or low, low_pct, high and high_pct, not a mix",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {}), doctest::Contains("lognormal: missing parameters"),
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {{"mean", 5}}), "lognormal: missing parameter 'sd'", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {{"sd", 5}}), "lognormal: missing parameter 'mean'", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {{"mean", -1}, {"sd", 1}}), "lognormal: mean -1 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {{"mean", 1}, {"sd", 0}}), "lognormal: sd 0 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {{"mean", 1}, {"sd", kInf}}),
                       "lognormal: sd inf is not a finite number", ParameterError);
  const std::map<std::string, double> good{{"low", 5}, {"low_pct", 10}, {"high", 20}, {"high_pct", 90}};
  auto with = [&](const std::string& name, double value) {
    auto p = good;
    p[name] = value;
    return make(K::kLognormal, p);
  };
  auto without = [&](const std::string& name) {
    auto p = good;
    p.erase(name);
    return make(K::kLognormal, p);
  };
  CHECK_THROWS_WITH_AS(without("high_pct"), "lognormal: missing parameter 'high_pct'", ParameterError);
  CHECK_THROWS_WITH_AS(without("low"), "lognormal: missing parameter 'low'", ParameterError);
  CHECK_THROWS_WITH_AS(with("low_pct", 0), "lognormal: low_pct 0 must be in (0, 100)", ParameterError);
  CHECK_THROWS_WITH_AS(with("low_pct", -5), "lognormal: low_pct -5 must be in (0, 100)", ParameterError);
  CHECK_THROWS_WITH_AS(with("high_pct", 100), "lognormal: high_pct 100 must be in (0, 100)", ParameterError);
  CHECK_THROWS_WITH_AS(with("low_pct", 90), "lognormal: low_pct 90 must be below high_pct 90", ParameterError);
  CHECK_THROWS_WITH_AS(with("high_pct", 5), "lognormal: low_pct 10 must be below high_pct 5", ParameterError);
  CHECK_THROWS_WITH_AS(with("low", 0), "lognormal: low 0 must be positive", ParameterError);
  CHECK_THROWS_WITH_AS(with("low", 25), "lognormal: low 25 must be below high 20", ParameterError);
  CHECK_THROWS_WITH_AS(with("high", 5), "lognormal: low 5 must be below high 5", ParameterError);
  CHECK_THROWS_WITH_AS(with("high", kNaN), "lognormal: high nan is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(with("p10", 1), doctest::Contains("lognormal: unknown parameter 'p10'"), ParameterError);
}

TEST_CASE("gamma, weibull and exponential reject invalid parameters") {
  using K = DistributionKind;
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"shape", 2}, {"sd", 1}}),
                       "gamma: give either shape and scale, or mean and sd, not a mix", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {}), "gamma: missing parameters: give shape and scale, or mean and sd",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"shape", 2}}), "gamma: missing parameter 'scale'", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"mean", 2}}), "gamma: missing parameter 'sd'", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"shape", 0}, {"scale", 1}}), "gamma: shape 0 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"shape", 1}, {"scale", -1}}), "gamma: scale -1 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"mean", -3}, {"sd", 1}}), "gamma: mean -3 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"mean", 3}, {"sd", 0}}), "gamma: sd 0 must be positive", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"shape", 2}, {"rate", 1}}),
                       "gamma: unknown parameter 'rate' (allowed: shape, scale, mean, sd)", ParameterError);

  CHECK_THROWS_WITH_AS(make(K::kWeibull, {{"shape", 0}, {"scale", 1}}), "weibull: shape 0 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kWeibull, {{"shape", 1}, {"scale", -2}}), "weibull: scale -2 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kWeibull, {{"shape", 1}}), "weibull: missing parameter 'scale'", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kWeibull, {{"shape", 1}, {"scale", 1}, {"mean", 1}}),
                       "weibull: unknown parameter 'mean' (allowed: shape, scale)", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kWeibull, {{"shape", kInf}, {"scale", 1}}),
                       "weibull: shape inf is not a finite number", ParameterError);

  CHECK_THROWS_WITH_AS(make(K::kExponential, {{"mean", 2}, {"rate", 0.5}}),
                       "exponential: give exactly one of mean and rate, not both", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kExponential, {}), "exponential: missing parameter 'mean' (or 'rate')",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kExponential, {{"mean", 0}}), "exponential: mean 0 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kExponential, {{"rate", -1}}), "exponential: rate -1 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kExponential, {{"scale", 1}}),
                       "exponential: unknown parameter 'scale' (allowed: mean, rate)", ParameterError);
}

TEST_CASE("discrete and empirical reject invalid lists") {
  using K = DistributionKind;
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, 2}, {0.2, 0.7}), "discrete: probabilities sum to 0.9, not 1",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, 2}, {0.5, 0.5 + 2e-9}),
                       "discrete: probabilities sum to 1.000000002, not 1", ParameterError);
  CHECK_NOTHROW(make(K::kDiscrete, {}, {1, 2}, {0.5, 0.5 + 5e-10}));
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, 2}, {1.5, -0.5}),
                       "discrete: probability 1.5 of value 1 is outside [0, 1]", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, 2}, {0.5, -0.1}),
                       "discrete: probability -0.1 of value 2 is outside [0, 1]", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, 2}, {kNaN, 1}),
                       "discrete: probability nan of value 1 is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, kInf}, {0.5, 0.5}), "discrete: value inf is not a finite number",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, 2, 3}, {0.5, 0.5}),
                       "discrete: 3 values but 2 probabilities", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {}, {}), "discrete: needs at least one value", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {{"p", 1}}, {1}, {1}),
                       "discrete: unknown parameter 'p' (it takes no named parameters)", ParameterError);

  CHECK_THROWS_WITH_AS(make(K::kEmpirical, {}, {}), "empirical: needs at least 1 data point", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kEmpirical, {}, {1, kNaN}), "empirical: data point nan is not a finite number",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kEmpirical, {}, {1, 2}, {0.5, 0.5}), "empirical: takes no probabilities (got 2)",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kEmpirical, {{"n", 2}}, {1, 2}), doctest::Contains("empirical: unknown parameter 'n'"),
                       ParameterError);
  CHECK_NOTHROW(make(K::kEmpirical, {}, {42}));
}

TEST_CASE("trigen rejects invalid parameters") {
  using K = DistributionKind;
  const std::map<std::string, double> good{{"low", 5}, {"mode", 7}, {"high", 20}, {"low_pct", 10}, {"high_pct", 90}};
  auto with = [&](const std::string& name, double value) {
    auto p = good;
    p[name] = value;
    return make(K::kTrigen, p);
  };
  auto without = [&](const std::string& name) {
    auto p = good;
    p.erase(name);
    return make(K::kTrigen, p);
  };
  CHECK_NOTHROW(with("low_pct", 0));
  CHECK_NOTHROW(with("high_pct", 100));
  CHECK_THROWS_WITH_AS(with("mode", 4), "trigen: mode 4 is below low 5", ParameterError);
  CHECK_THROWS_WITH_AS(with("mode", 21), "trigen: mode 21 is above high 20", ParameterError);
  CHECK_THROWS_WITH_AS(with("low", 25), "trigen: low 25 is above high 20", ParameterError);
  CHECK_THROWS_WITH_AS(with("low_pct", -1), "trigen: low_pct -1 must be in [0, 100]", ParameterError);
  CHECK_THROWS_WITH_AS(with("high_pct", 101), "trigen: high_pct 101 must be in [0, 100]", ParameterError);
  CHECK_THROWS_WITH_AS(with("low_pct", 90), "trigen: low_pct 90 must be below high_pct 90", ParameterError);
  CHECK_THROWS_WITH_AS(with("high_pct", 5), "trigen: low_pct 10 must be below high_pct 5", ParameterError);
  CHECK_THROWS_WITH_AS(with("mode", kNaN), "trigen: mode nan is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(without("high_pct"), "trigen: missing parameter 'high_pct'", ParameterError);
  CHECK_THROWS_WITH_AS(without("mode"), "trigen: missing parameter 'mode'", ParameterError);
  CHECK_THROWS_WITH_AS(with("min", 1),
                       "trigen: unknown parameter 'min' (allowed: low, mode, high, low_pct, high_pct)",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kTrigen, good, {1}), "trigen: takes no values (got 1)", ParameterError);
}

TEST_CASE("a non-finite value of any parameter of any kind is rejected by name") {
  using K = DistributionKind;
  const std::vector<std::pair<K, std::map<std::string, double>>> valid{
      {K::kFixed, {{"value", 1}}},
      {K::kUniform, {{"min", 1}, {"max", 2}}},
      {K::kTriangular, {{"min", 1}, {"mode", 2}, {"max", 3}}},
      {K::kPert, {{"min", 1}, {"mode", 2}, {"max", 3}, {"lambda", 4}}},
      {K::kNormal, {{"mean", 1}, {"sd", 2}, {"min", 0}, {"max", 3}}},
      {K::kLognormal, {{"mean", 1}, {"sd", 2}}},
      {K::kLognormal, {{"low", 1}, {"low_pct", 10}, {"high", 2}, {"high_pct", 90}}},
      {K::kGamma, {{"shape", 1}, {"scale", 2}}},
      {K::kGamma, {{"mean", 1}, {"sd", 2}}},
      {K::kWeibull, {{"shape", 1}, {"scale", 2}}},
      {K::kExponential, {{"mean", 1}}},
      {K::kExponential, {{"rate", 1}}},
      {K::kTrigen, {{"low", 1}, {"mode", 2}, {"high", 3}, {"low_pct", 10}, {"high_pct", 90}}},
  };
  for (const auto& [kind, params] : valid) {
    CHECK_NOTHROW(make(kind, params));
    for (const auto& [name, value] : params) {
      for (double bad : {kNaN, kInf, -kInf}) {
        auto p = params;
        p[name] = bad;
        const std::string expected = std::string(padsim::to_string(kind)) + ": " + name + " " +
                                     (std::isnan(bad) ? "nan" : bad > 0 ? "inf" : "-inf") +
                                     " is not a finite number";
        CHECK_THROWS_WITH_AS(make(kind, p), expected.c_str(), ParameterError);
      }
    }
  }
}
