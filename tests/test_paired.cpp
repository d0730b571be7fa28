// Paired comparison of two columns from the same replications (padsim/paired.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <boost/math/distributions/students_t.hpp>

#include "padsim/paired.hpp"
#include "padsim/rng.hpp"
#include "padsim/statistics.hpp"
#include "test_support.hpp"

using namespace padsim;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using padsim::test::kInf;

const PairedStatistic& find(const PairedComparison& c, const std::string& name) {
  for (const PairedStatistic& s : c.statistics)
    if (s.statistic == name) return s;
  FAIL("no statistic " << name);
  return c.statistics.front();
}

/// n draws of an exponential (mean 30) from a fixed stream: a skewed column.
std::vector<double> exponential_column(std::size_t n, std::uint64_t stream) {
  std::vector<double> out(n);
  for (std::size_t k = 0; k < n; ++k) {
    Rng rng(11, k, stream);
    out[k] = -30.0 * std::log(rng.uniform01());
  }
  return out;
}

PairedOptions options_for(const char* key, bool censorable = false) {
  PairedOptions o;
  o.seed = 20251127;
  o.key = key;
  o.censorable = censorable;
  o.resamples = 200;
  return o;
}

}  // namespace

TEST_CASE("a column compared with itself: every difference and every difference's CI is exactly 0") {
  const std::vector<double> a = exponential_column(500, 1);
  const PairedComparison c = compare_values(a, a, options_for("x"));
  CHECK(c.pairs == 500);
  for (const char* name : {"mean", "p10", "p50", "p90"}) {
    const PairedStatistic& s = find(c, name);
    CAPTURE(name);
    CHECK(s.difference == 0.0);
    CHECK(s.ci.low == 0.0);
    CHECK(s.ci.high == 0.0);
    CHECK(s.a == s.b);
    CHECK_FALSE(s.significant());
  }
  CHECK(find(c, "p_b_later").difference == 0.0);
  CHECK(find(c, "p_b_earlier").difference == 0.0);
  CHECK(find(c, "mean").unpaired_half_width > 1.0);  // independent samples would not know it
}

TEST_CASE("a known shift: the paired CI contains it and is far narrower than Welch's unpaired one") {
  // B = A + 3 + small noise: the difference of means is 3 in expectation; the noise (sd 0.5) is
  // all the paired interval sees, the spread of A (sd 30) is what the unpaired one sees.
  const std::size_t n = 2000;
  const std::vector<double> a = exponential_column(n, 1);
  std::vector<double> b(n);
  for (std::size_t k = 0; k < n; ++k) {
    Rng rng(12, k, 2);
    b[k] = a[k] + 3.0 + 0.5 * std::sqrt(-2.0 * std::log(rng.uniform01())) *
                            std::cos(6.283185307179586 * rng.uniform01());
  }
  const PairedComparison c = compare_values(a, b, options_for("shift"));
  const PairedStatistic& mean = find(c, "mean");
  CHECK(mean.ci.low < 3.0);
  CHECK(mean.ci.high > 3.0);
  CHECK(mean.significant());
  CHECK(mean.unpaired_half_width > 20.0 * mean.paired_half_width);
  CHECK(mean.difference == doctest::Approx(mean.b - mean.a).epsilon(1e-12));
  CHECK(find(c, "p_b_later").difference > 0.99);

  // An exact shift moves every percentile of every resample by exactly that shift.
  std::vector<double> shifted(a);
  for (double& x : shifted) x += 3.0;
  const PairedComparison exact = compare_values(a, shifted, options_for("shift"));
  for (const char* name : {"p10", "p50", "p90"}) {
    const PairedStatistic& q = find(exact, name);
    CAPTURE(name);
    CHECK(q.difference == doctest::Approx(3.0).epsilon(1e-12));
    CHECK(q.ci.low == doctest::Approx(3.0).epsilon(1e-12));
    CHECK(q.ci.high == doctest::Approx(3.0).epsilon(1e-12));
  }
}

TEST_CASE("the mean's paired and Welch half-widths on a hand-computed example") {
  // d = b - a = {1, 2, 3, 4}: mean 2.5, sd sqrt(5/3); var(a) = 5/3, var(b) = 20/3.
  const std::vector<double> a = {1, 2, 3, 4}, b = {2, 4, 6, 8};
  const PairedComparison c = compare_values(a, b, options_for("hand"));
  const PairedStatistic& mean = find(c, "mean");
  CHECK(mean.difference == doctest::Approx(2.5));
  const double t3 = 3.182446305284263;  // t(0.975, 3)
  CHECK(mean.paired_half_width == doctest::Approx(t3 * std::sqrt(5.0 / 3.0) / 2.0));
  // Welch: se^2 = (5/3 + 20/3) / 4 = 25/12, df = se^4 / (((5/12)^2 + (5/3)^2) / 3) = 75/17.
  const double df = (25.0 / 12.0) * (25.0 / 12.0) / ((25.0 / 144.0 + 25.0 / 9.0) / 3.0);
  CHECK(df == doctest::Approx(75.0 / 17.0));
  const double t = boost::math::quantile(boost::math::students_t(df), 0.975);
  CHECK(mean.unpaired_half_width == doctest::Approx(t * std::sqrt(25.0 / 12.0)));
  CHECK(t > t3 * 0.8);
  CHECK(t < t3);
}

TEST_CASE("the walk over resample counts gives the percentiles of the explicitly resampled pairs") {
  // The oracle resamples the pairs as the header documents (index = high 32 bits x m >> 32 of
  // Rng(seed, r, stream_key("paired bootstrap", key))), sorts each side and takes percentiles.
  const std::size_t m = 97;
  std::vector<double> a = exponential_column(m, 1), b = exponential_column(m, 3);
  for (std::size_t k = 0; k < m; k += 7) b[k] = kInf;  // censored cells take part as +inf
  for (std::size_t k = 0; k < m; k += 10) b[k] = a[k];  // ties
  PairedOptions o = options_for("oracle", true);
  std::vector<double> b_nan(b);
  for (double& x : b_nan)
    if (std::isinf(x)) x = kNaN;
  const PairedComparison c = compare_values(a, b_nan, o);
  CHECK(c.censored_b == 12);  // 14 multiples of 7 below 97, less 0 and 70

  std::vector<std::vector<double>> d(std::size(kPairedPercentiles));
  for (std::size_t r = 0; r < o.resamples; ++r) {
    Rng rng(o.seed, r, stream_key("paired bootstrap", o.key));
    std::vector<double> ra, rb;
    for (std::size_t i = 0; i < m; ++i) {
      const std::size_t k = static_cast<std::size_t>(((rng() >> 32) * m) >> 32);
      ra.push_back(a[k]);
      rb.push_back(b[k]);
    }
    std::sort(ra.begin(), ra.end());
    std::sort(rb.begin(), rb.end());
    for (std::size_t i = 0; i < d.size(); ++i)
      d[i].push_back(percentile_sorted(rb, kPairedPercentiles[i].second) -
                     percentile_sorted(ra, kPairedPercentiles[i].second));
  }
  for (std::size_t i = 0; i < d.size(); ++i) {
    const PairedStatistic& q = find(c, kPairedPercentiles[i].first);
    CAPTURE(q.statistic);
    if (std::any_of(d[i].begin(), d[i].end(), [](double x) { return std::isnan(x); })) {
      CHECK(std::isnan(q.ci.low));
      continue;
    }
    std::sort(d[i].begin(), d[i].end());
    CHECK(q.ci.low == percentile_sorted(d[i], 0.025));
    CHECK(q.ci.high == percentile_sorted(d[i], 0.975));
  }
}

TEST_CASE("the bootstrap is reproducible and keyed by the column's name") {
  const std::vector<double> a = exponential_column(300, 1), b = exponential_column(300, 2);
  const PairedComparison first = compare_values(a, b, options_for("one"));
  const PairedComparison again = compare_values(a, b, options_for("one"));
  const PairedComparison other = compare_values(a, b, options_for("two"));
  const PairedStatistic &p50 = find(first, "p50"), &p50_again = find(again, "p50");
  CHECK(p50.ci.low == p50_again.ci.low);
  CHECK(p50.ci.high == p50_again.ci.high);
  CHECK(p50.difference == find(other, "p50").difference);  // the point does not resample
  CHECK((p50.ci.low != find(other, "p50").ci.low || p50.ci.high != find(other, "p50").ci.high));
}

TEST_CASE("censored and not-applicable cells: what each statistic counts") {
  SUBCASE("censorable: NaN is beyond the horizon, later than any reached value") {
    const std::vector<double> a = {10, 20, kNaN, 40, kNaN};
    const std::vector<double> b = {12, kNaN, 30, 35, kNaN};
    const PairedComparison c = compare_values(a, b, options_for("c", true));
    CHECK(c.pairs == 5);
    CHECK(c.censored_a == 2);
    CHECK(c.censored_b == 2);
    const PairedStatistic& mean = find(c, "mean");
    CHECK(mean.pairs == 2);  // only pairs reached in both: (10, 12) and (40, 35)
    CHECK(mean.difference == doctest::Approx(-1.5));
    CHECK(find(c, "p_b_later").difference == doctest::Approx(2.0 / 5.0));    // 12 > 10, inf > 20
    CHECK(find(c, "p_b_earlier").difference == doctest::Approx(2.0 / 5.0));  // 30 < inf, 35 < 40
    // P90 of 5 values is between the 4th and 5th: +inf on both sides, so undefined.
    CHECK(std::isnan(find(c, "p90").difference));
    CHECK_FALSE(find(c, "p90").significant());
  }
  SUBCASE("censored in B only: the percentile difference is +inf") {
    const std::vector<double> a = {1, 2, 3, 4, 5}, b = {1, 2, 3, 4, kNaN};
    const PairedComparison c = compare_values(a, b, options_for("c", true));
    const PairedStatistic& p90 = find(c, "p90");
    CHECK(p90.difference == kInf);
  }
  SUBCASE("not censorable: a pair with NaN on either side takes part in nothing") {
    const std::vector<double> a = {1, kNaN, 3, 4}, b = {2, 5, kNaN, 6};
    const PairedComparison c = compare_values(a, b, options_for("n"));
    CHECK(c.pairs == 2);
    CHECK(find(c, "mean").difference == doctest::Approx(1.5));
    CHECK(find(c, "p50").a == doctest::Approx(2.5));
    CHECK(find(c, "p_b_later").difference == 1.0);
  }
}

TEST_CASE("Newcombe's paired interval on a hand-computed 2x2 table") {
  // both 10, only B 15, only A 5, neither 20 (n = 50): pB = 0.5, pA = 0.3, difference 0.2.
  // Wilson 95%: pB in [0.366445, 0.633555], pA in [0.191036, 0.437504].
  // phi = (10*20 - 15*5 - 50/2) / sqrt(25*25*15*35) = 100 / 572.822 = 0.174574.
  // low = 0.2 - sqrt(0.133555^2 - 2 phi 0.133555 0.137504 + 0.137504^2) = 0.025838
  // high = 0.2 + sqrt(0.108964^2 - 2 phi 0.108964 0.133555 + 0.133555^2) = 0.356937
  const PairedTable table{10, 15, 5, 20};
  const Interval paired = paired_difference_interval(table);
  CHECK(paired.low == doctest::Approx(0.0258384165).epsilon(1e-8));
  CHECK(paired.high == doctest::Approx(0.3569365717).epsilon(1e-8));
  // Independent samples (phi = 0): wider.
  const Interval unpaired = paired_difference_interval(table, false);
  CHECK(unpaired.low == doctest::Approx(0.0083124585).epsilon(1e-8));
  CHECK(unpaired.high == doctest::Approx(0.3723663378).epsilon(1e-8));

  // The same table as two columns of events.
  std::vector<double> a, b;
  auto add = [&](int count, double x, double y) {
    for (int i = 0; i < count; ++i) a.push_back(x), b.push_back(y);
  };
  add(10, 1, 1);
  add(15, 0, 1);
  add(5, 1, 0);
  add(20, 0, 0);
  a.push_back(kNaN), b.push_back(1);  // not applicable: left out
  const PairedComparison c = compare_events(a, b);
  CHECK(c.pairs == 50);
  const PairedStatistic& p = find(c, "probability");
  CHECK(p.a == doctest::Approx(0.3));
  CHECK(p.b == doctest::Approx(0.5));
  CHECK(p.difference == doctest::Approx(0.2));
  CHECK(p.ci.low == paired.low);
  CHECK(p.ci.high == paired.high);
  CHECK(p.unpaired_half_width == doctest::Approx((unpaired.high - unpaired.low) / 2));
  CHECK(p.significant());
}

TEST_CASE("events compared with themselves: difference exactly 0, an interval around it, not significant") {
  const PairedTable table{30, 0, 0, 70};
  const Interval ci = paired_difference_interval(table);
  CHECK(ci.low < 0.0);
  CHECK(ci.high > 0.0);
  CHECK(ci.high == doctest::Approx(-ci.low));
  CHECK(ci.high < 0.05);
  std::vector<double> a(100, 0.0);
  std::fill(a.begin(), a.begin() + 30, 1.0);
  const PairedComparison c = compare_events(a, a);
  const PairedStatistic& p = find(c, "probability");
  CHECK(p.difference == 0.0);
  CHECK_FALSE(p.significant());
  CHECK(paired_difference_interval(PairedTable{}).low != paired_difference_interval(PairedTable{}).low);
}

TEST_CASE("columns of different lengths are refused") {
  const std::vector<double> a = {1, 2}, b = {1};
  CHECK_THROWS_AS(compare_values(a, b, PairedOptions{}), std::invalid_argument);
  CHECK_THROWS_AS(compare_events(a, b), std::invalid_argument);
}
