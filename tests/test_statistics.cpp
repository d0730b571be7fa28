// Statistics: exact values on small cases, and the coverage of the order-statistic percentile CI
// checked by repetition against its exact binomial coverage.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include <boost/math/distributions/binomial.hpp>

#include "padsim/rng.hpp"
#include "padsim/statistics.hpp"
#include "test_support.hpp"

using doctest::Approx;
using namespace padsim;

namespace {
using padsim::test::kInf;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

TEST_CASE("running statistics match the two-pass formulas and merge like one pass") {
  const std::vector<double> xs = {4.0, 7.0, 13.0, 16.0, 1e9 + 4.0, 1e9 + 7.0};
  RunningStats all, left, right;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    all.add(xs[i]);
    (i < 3 ? left : right).add(xs[i]);
  }
  double mean = 0.0;
  for (double x : xs) mean += x;
  mean /= 6.0;
  double ss = 0.0;
  for (double x : xs) ss += (x - mean) * (x - mean);
  CHECK(all.count() == 6);
  CHECK(all.mean() == Approx(mean).epsilon(1e-15));
  CHECK(all.variance() == Approx(ss / 5.0).epsilon(1e-12));
  CHECK(all.min() == 4.0);
  CHECK(all.max() == 1e9 + 7.0);
  left.merge(right);
  CHECK(left.count() == 6);
  CHECK(left.mean() == Approx(all.mean()).epsilon(1e-15));
  CHECK(left.variance() == Approx(all.variance()).epsilon(1e-12));
}

TEST_CASE("the mean's confidence interval uses Student's t") {
  RunningStats s;
  for (double x : {1.0, 2.0, 3.0, 4.0}) s.add(x);
  // mean 2.5, sd sqrt(5/3), t(3, 0.975) = 3.182446305284263
  const double half = 3.182446305284263 * std::sqrt(5.0 / 3.0) / 2.0;
  const Interval ci = s.mean_ci();
  CHECK(ci.low == Approx(2.5 - half).epsilon(1e-12));
  CHECK(ci.high == Approx(2.5 + half).epsilon(1e-12));
  RunningStats one;
  one.add(1.0);
  CHECK(std::isnan(one.mean_ci().low));
  CHECK(std::isnan(RunningStats().mean()));
}

TEST_CASE("percentiles are type 7 and reach +inf only with weight on a censored value") {
  const std::vector<double> v = {1.0, 2.0, 3.0, 4.0};
  CHECK(percentile_sorted(v, 0.0) == 1.0);
  CHECK(percentile_sorted(v, 0.5) == 2.5);
  CHECK(percentile_sorted(v, 0.1) == Approx(1.3).epsilon(1e-15));
  CHECK(percentile_sorted(v, 1.0) == 4.0);
  const std::vector<double> censored = {1.0, 2.0, kInf};
  CHECK(percentile_sorted(censored, 0.5) == 2.0);
  CHECK(percentile_sorted(censored, 0.75) == kInf);
  CHECK(std::isnan(percentile_sorted(std::vector<double>{}, 0.5)));
}

TEST_CASE("order-statistic ranks for the median of 100 are the textbook 40 and 61") {
  const auto r = quantile_ci_ranks(100, 0.5);
  CHECK(r.lower == 40);
  CHECK(r.upper == 61);
  // Each tail holds at most 2.5%, and one rank further in would exceed it.
  const boost::math::binomial_distribution<double> b(100, 0.5);
  CHECK(boost::math::cdf(b, 39.0) <= 0.025);
  CHECK(boost::math::cdf(b, 40.0) > 0.025);
}

TEST_CASE("a tail percentile of a small sample has an unbounded side") {
  const auto r = quantile_ci_ranks(20, 0.95);
  CHECK(r.upper == 21);  // P(B >= 20) = 0.95^20 = 0.358 > 0.025: nothing bounds P95 from above
  std::vector<double> v(20);
  for (int i = 0; i < 20; ++i) v[static_cast<std::size_t>(i)] = i;
  const auto q = quantile_estimate_sorted(v, 0.95);
  CHECK(q.ci.high == kInf);
  CHECK(q.ci.low == static_cast<double>(r.lower - 1));
}

TEST_CASE("the 95% order-statistic CI covers the exact median and P90 at its stated rate") {
  // 1,000 samples of n = 200 from Exponential(1), fixed seeds. The interval's exact coverage is
  // P(l <= B < u) for B ~ Binomial(200, p): at least 95% by construction, somewhat more because
  // ranks are integers. The observed share of 1,000 repetitions has a binomial sd of about 0.0065,
  // so it must lie within 4 sd of the exact coverage (a false alarm about once in 16,000).
  constexpr std::size_t kN = 200;
  constexpr int kRepetitions = 1000;
  for (const double p : {0.5, 0.9}) {
    CAPTURE(p);
    const double truth = -std::log(1.0 - p);
    const auto ranks = quantile_ci_ranks(kN, p);
    const boost::math::binomial_distribution<double> b(static_cast<double>(kN), p);
    const double exact = boost::math::cdf(b, static_cast<double>(ranks.upper - 1)) -
                         boost::math::cdf(b, static_cast<double>(ranks.lower - 1));
    CHECK(exact >= 0.95);
    int covered = 0;
    std::vector<double> sample(kN);
    for (int rep = 0; rep < kRepetitions; ++rep) {
      Rng rng(12345, static_cast<std::uint64_t>(rep), stream_key("test"));
      for (double& x : sample) x = -std::log(rng.uniform01());
      std::sort(sample.begin(), sample.end());
      const auto q = quantile_estimate_sorted(sample, p);
      if (q.ci.low <= truth && truth <= q.ci.high) ++covered;
    }
    const double observed = covered / static_cast<double>(kRepetitions);
    const double sd = std::sqrt(exact * (1.0 - exact) / kRepetitions);
    CAPTURE(exact);
    CAPTURE(observed);
    CHECK(std::abs(observed - exact) <= 4.0 * sd);
    CHECK(observed >= 0.93);
  }
}

TEST_CASE("Wilson intervals have their exact values") {
  const Interval half = wilson_interval(5, 10);
  CHECK(half.low == Approx(0.236593090512564).epsilon(1e-13));
  CHECK(half.high == Approx(0.7634069094874361).epsilon(1e-13));
  const Interval none = wilson_interval(0, 10);
  CHECK(none.low == 0.0);
  CHECK(none.high == Approx(0.2775327998628892).epsilon(1e-13));
  const Interval all = wilson_interval(10, 10);
  CHECK(all.low == Approx(1.0 - 0.2775327998628892).epsilon(1e-13));
  CHECK(all.high == 1.0);
  const Interval some = wilson_interval(81, 263);
  CHECK(some.low == Approx(0.2552885198782742).epsilon(1e-13));
  CHECK(some.high == Approx(0.36620957698280004).epsilon(1e-13));
  CHECK(std::isnan(wilson_interval(0, 0).low));
}

TEST_CASE("ties share their average rank") {
  const std::vector<double> v = {10.0, 20.0, 20.0, 30.0, 20.0, kInf, kInf};
  const auto r = average_ranks(v);
  CHECK(r == std::vector<double>{1.0, 3.0, 3.0, 5.0, 3.0, 6.5, 6.5});
}

namespace {
// Values that stress a sort by bits: both zeros, infinities, subnormals, ties, negatives.
std::vector<double> awkward_values(std::size_t n, std::uint64_t seed) {
  Rng rng(seed, 0, stream_key("sort"));
  const double specials[] = {0.0, -0.0, kInf, -kInf, 5e-324, -5e-324, 1.0, -1.0, 1e308, -2.5};
  std::vector<double> v(n);
  for (double& x : v) {
    const std::uint64_t r = rng();
    if (r % 4 == 0)
      x = specials[(r >> 8) % std::size(specials)];
    else if (r % 4 == 1)
      x = static_cast<double>((r >> 8) % 50);  // many ties
    else
      x = (static_cast<double>(r >> 11) * 0x1p-53 - 0.5) * std::ldexp(1.0, static_cast<int>(r % 200) - 100);
  }
  return v;
}
}  // namespace

TEST_CASE("sort_values orders like std::sort, small and large, zeros and infinities included") {
  for (const std::size_t n : {0u, 1u, 7u, 511u, 512u, 5000u}) {
    std::vector<double> v = awkward_values(n, n);
    std::vector<double> expected = v;
    std::sort(expected.begin(), expected.end());
    sort_values(v);
    CHECK(v == expected);  // equal as values; -0 and +0 may trade places only among themselves
    CHECK(std::is_sorted(v.begin(), v.end()));
    // The same multiset of bit patterns: nothing lost or altered (a -0 stays -0).
    auto bits = [](const std::vector<double>& x) {
      std::vector<std::uint64_t> b(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) std::memcpy(&b[i], &x[i], sizeof(double));
      std::sort(b.begin(), b.end());
      return b;
    };
    CHECK(bits(v) == bits(expected));
  }
}

TEST_CASE("average_ranks of a large column equals the rank by counting, -0 tied with +0") {
  for (const std::size_t n : {600u, 3000u}) {
    const std::vector<double> v = awkward_values(n, 100 + n);
    const std::vector<double> r = average_ranks(v);
    for (std::size_t i = 0; i < n; i += 7) {
      // Rank of v[i]: values below it, plus the mean position among its ties.
      std::size_t below = 0, ties = 0;
      for (const double x : v) {
        below += x < v[i] ? 1 : 0;
        ties += x == v[i] ? 1 : 0;
      }
      CHECK(r[i] == static_cast<double>(below) + (static_cast<double>(ties) + 1.0) / 2.0);
    }
  }
  // An event column (0/1) ranks each side at its mid-rank.
  std::vector<double> events(1000, 0.0);
  for (std::size_t i = 0; i < 300; ++i) events[i * 3] = 1.0;
  const std::vector<double> r = average_ranks(events);
  CHECK(r[0] == 700.0 + 150.5);
  CHECK(r[1] == 350.5);
}

TEST_CASE("Spearman correlation is exact on small cases with ties") {
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const std::vector<double> y = {5, 6, 7, 8, 7};
  CHECK(spearman(x, y) == Approx(8.0 / std::sqrt(95.0)).epsilon(1e-15));
  CHECK(spearman(x, y) == Approx(0.8207826816681233).epsilon(1e-15));
  const std::vector<double> a = {1, 1, 2, 3, 3, 3};
  const std::vector<double> b = {2, 1, 1, 4, 3, 3};
  CHECK(spearman(a, b) == Approx(0.8104432008587534).epsilon(1e-14));
  const std::vector<double> up = {1, 4, 9, 16};
  const std::vector<double> down = {100, 10, 1, 0.1};
  CHECK(spearman(std::span<const double>(x).subspan(0, 4), up) == 1.0);
  CHECK(spearman(up, down) == -1.0);
}

namespace {

/// Pearson's r in one pass of three sums about the two means: how pearson() computed it before
/// each side's centring could be taken once.
double pearson_one_pass(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - mx;
    const double dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

}  // namespace

TEST_CASE("Pearson with each side's centring taken once is the same, bit for bit") {
  // Hand-computed: x = 1..4, y = 2, 4, 5, 9 (mean 5): sxy = 11, sxx = 5, syy = 26.
  const std::vector<double> x = {1, 2, 3, 4};
  const std::vector<double> y = {2, 4, 5, 9};
  const Centred cx = centred(x);
  CHECK(cx.mean == 2.5);
  CHECK(cx.squares == 5.0);
  CHECK(centred(y).squares == 26.0);
  CHECK(pearson(x, y) == Approx(11.0 / std::sqrt(130.0)).epsilon(1e-15));
  CHECK(std::isnan(pearson(x, std::vector<double>{3, 3, 3, 3})));  // a constant side
  // Columns of 10^4 draws correlated with many others (sensitivity.csv's use): with each side's
  // centring taken once, every correlation is the one-pass computation's, bit for bit.
  Rng rng(7, 0, stream_key("pearson"));
  std::vector<std::vector<double>> columns(6, std::vector<double>(10'000));
  for (auto& c : columns)
    for (std::size_t i = 0; i < c.size(); ++i) c[i] = rng.uniform01() + 0.3 * columns[0][i];
  for (const auto& a : columns)
    for (const auto& b : columns) {
      const double once = pearson(a, centred(a), b, centred(b));
      CHECK(std::bit_cast<std::uint64_t>(once) == std::bit_cast<std::uint64_t>(pearson_one_pass(a, b)));
    }
}

TEST_CASE("Spearman drops pairs with NaN, ranks +inf last, and is NaN for a constant side") {
  const std::vector<double> x = {1, 2, kNaN, 3, 4};
  const std::vector<double> y = {1, 2, 99, kInf, 3};
  // Pairs (1,1) (2,2) (3,inf) (4,3): ranks of y are 1, 2, 4, 3.
  CHECK(spearman(x, y) == Approx(0.8).epsilon(1e-15));
  const std::vector<double> c = {7, 7, 7, 7, 7};
  CHECK(std::isnan(spearman(x, c)));
  CHECK(std::isnan(spearman(std::vector<double>{1.0}, std::vector<double>{2.0})));
}

TEST_CASE("summaries count censored values and keep them out of the moments") {
  const std::vector<double> v = {3.0, kNaN, 1.0, kNaN};
  const OutcomeSummary censorable = summarize(v, true);
  CHECK(censorable.n == 4);
  CHECK(censorable.censored == 2);
  CHECK(censorable.reached.mean() == 2.0);
  CHECK(censorable.sorted == std::vector<double>{1.0, 3.0, kInf, kInf});
  const OutcomeSummary not_applicable = summarize(v, false);
  CHECK(not_applicable.n == 2);
  CHECK(not_applicable.censored == 0);
  CHECK(not_applicable.sorted == std::vector<double>{1.0, 3.0});
}

TEST_CASE("percentile_select equals the sorted type-7 percentile, censored values included") {
  padsim::Rng rng(7, 0, padsim::stream_key("test"));
  for (std::size_t n : {1u, 2u, 3u, 10u, 101u, 1000u}) {
    std::vector<double> values(n);
    for (auto& v : values) v = std::floor(rng.uniform01() * 50.0);  // ties on purpose
    if (n > 3) values[1] = values[2] = std::numeric_limits<double>::infinity();
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    for (double p : {0.0, 0.05, 0.1, 0.5, 0.9, 0.95, 0.999, 1.0}) {
      std::vector<double> scratch = values;
      CHECK(padsim::percentile_select(scratch, p) == padsim::percentile_sorted(sorted, p));
    }
  }
  std::vector<double> empty;
  CHECK(std::isnan(padsim::percentile_select(empty, 0.5)));
}

TEST_CASE("a percentile is flagged when its CI is wide, and as a gap when it spans two regimes") {
  // Two regimes: 900 values in [90, 100), 100 in [300, 310). The P90 falls between them.
  std::vector<double> regimes;
  for (int i = 0; i < 900; ++i) regimes.push_back(90.0 + i / 90.0);
  for (int i = 0; i < 100; ++i) regimes.push_back(300.0 + i / 10.0);
  std::sort(regimes.begin(), regimes.end());
  CHECK(quantile_flag(regimes, 0.5, 0.0) == QuantileFlag::kNone);  // CI within [94, 96]
  CHECK(quantile_flag(regimes, 0.9, 0.0) == QuantileFlag::kGap);
  CHECK(quantile_flag(regimes, 0.97, 0.0) == QuantileFlag::kNone);  // inside the upper regime

  // Evenly spread values: wide only when the CI exceeds 10% of max(|value|, scale).
  std::vector<double> spread;
  for (int i = 0; i < 30; ++i) spread.push_back(i);
  const QuantileEstimate q = quantile_estimate_sorted(spread, 0.5);
  REQUIRE(q.ci.high - q.ci.low > 0.1 * 14.5);
  CHECK(quantile_flag(spread, 0.5, 0.0) == QuantileFlag::kWide);
  CHECK(quantile_flag(spread, 0.5, 1000.0, 0.1) == QuantileFlag::kNone);  // small against the scale

  // Too few values for the tail: an unbounded CI is wide; beyond the horizon is known as such.
  const std::vector<double> few = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  CHECK(quantile_flag(few, 0.9, 0.0) == QuantileFlag::kWide);
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(quantile_flag(std::vector<double>(50, inf), 0.5, 0.0) == QuantileFlag::kNone);
  CHECK(quantile_flag(std::vector<double>{}, 0.5, 0.0) == QuantileFlag::kNone);
  CHECK(std::string(to_string(QuantileFlag::kGap)) == "gap");
}

TEST_CASE("percentiles_select equals percentile_select bit for bit, on spikes, gaps, ties and tails") {
  // The counting path starts at 256 values; the shapes stress its buckets: one value repeated
  // (a spike at a cap), two clusters with nothing between (a plateau), heavy right tails,
  // negative values and +inf (which falls back to selection).
  padsim::Rng rng(11, 0, padsim::stream_key("test"));
  const std::vector<double> ps{0.0, 0.10, 0.5, 0.9, 0.999, 1.0};
  int cases = 0;
  for (std::size_t n : {1u, 7u, 255u, 256u, 1000u, 11570u}) {
    for (int shape = 0; shape < 6; ++shape) {
      std::vector<double> values(n);
      for (std::size_t i = 0; i < n; ++i) {
        const double u = rng.uniform01();
        switch (shape) {
          case 0: values[i] = u * 1000.0; break;
          case 1: values[i] = u < 0.6 ? 500.0 : u * 1000.0; break;                 // spike
          case 2: values[i] = u < 0.5 ? 10.0 + u : 1.0e6 + u; break;               // gap
          case 3: values[i] = std::exp(u * 30.0); break;                           // tail
          case 4: values[i] = std::floor(u * 5.0) - 2.5; break;                    // few values
          default: values[i] = i == n / 2 ? std::numeric_limits<double>::infinity() : u; break;
        }
      }
      std::vector<double> got(ps.size());
      std::vector<double> scratch = values;
      padsim::percentiles_select(scratch, ps, got);
      // With the extremes given, as timeseries.csv calls it.
      std::vector<double> given(ps.size());
      std::vector<double> again = values;
      padsim::percentiles_select(again, *std::min_element(values.begin(), values.end()),
                                 *std::max_element(values.begin(), values.end()), ps, given);
      for (std::size_t k = 0; k < ps.size(); ++k) {
        std::vector<double> one = values;
        const double expected = padsim::percentile_select(one, ps[k]);
        CHECK(std::memcmp(&got[k], &expected, sizeof expected) == 0);
        CHECK(std::memcmp(&given[k], &expected, sizeof expected) == 0);
      }
      std::sort(scratch.begin(), scratch.end());  // reordered, not changed
      std::sort(values.begin(), values.end());
      CHECK(scratch == values);
      ++cases;
    }
  }
  CHECK(cases == 36);
  // More than eight percentiles at once are selected one by one, to the same values.
  std::vector<double> many(2000);
  for (double& v : many) v = rng.uniform01();
  const std::vector<double> nine{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  std::vector<double> got9(nine.size());
  std::vector<double> scratch9 = many;
  padsim::percentiles_select(scratch9, nine, got9);
  for (std::size_t k = 0; k < nine.size(); ++k) {
    std::vector<double> one = many;
    CHECK(got9[k] == padsim::percentile_select(one, nine[k]));
  }
  std::vector<double> empty;
  std::vector<double> out(1);
  padsim::percentiles_select(empty, std::vector<double>{0.5}, out);
  CHECK(std::isnan(out[0]));
}

TEST_CASE("a Spearman correlation's CI: Fisher z with the Bonett-Wright standard error") {
  // rho = 0.5, n = 103: se = sqrt(1.125 / 100), atanh(0.5) -/+ 1.96 se, back through tanh.
  const Interval ci = spearman_ci(0.5, 103);
  CHECK(ci.low == doctest::Approx(0.3287450).epsilon(1e-6));
  CHECK(ci.high == doctest::Approx(0.6394198).epsilon(1e-6));
  const Interval zero = spearman_ci(0.0, 10'000);  // +/- 1.96 sqrt(1 / 9997)
  CHECK(zero.high == doctest::Approx(0.0196).epsilon(1e-3));
  CHECK(zero.low == -zero.high);
  CHECK(std::isnan(spearman_ci(0.3, 3).low));
  CHECK(std::isnan(spearman_ci(std::numeric_limits<double>::quiet_NaN(), 100).high));
  CHECK(spearman_ci(1.0, 50).low == 1.0);
}
