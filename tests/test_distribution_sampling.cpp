// Distributions, sampled: every kind is drawn 100,000 times at a fixed seed and compared with an
// independent reference built from Boost.Math (moments within 4 standard errors, Kolmogorov-Smirnov
// below the 1% critical value, or per-value frequencies for discrete kinds).
#include <doctest/doctest.h>

#include "distribution_checks.hpp"

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

TEST_CASE("an interpolated empirical distribution is piecewise linear between its knots, tails included") {
  // Knots 0, 10, 30 (min, the one data point, max): half the mass uniform on [0, 10], half on
  // [10, 30]. Mean 0.5 * 5 + 0.5 * 20 = 12.5; E[X^2] = 0.5 * 100/3 + 0.5 * 1300/3 = 700/3.
  const Distribution d = make(DistributionKind::kEmpirical, {{"min", 0}, {"max", 30}}, {10});
  const Cdf reference = [](double x) {
    if (x <= 0) return 0.0;
    if (x >= 30) return 1.0;
    return x < 10 ? 0.5 * x / 10 : 0.5 + 0.5 * (x - 10) / 20;
  };
  check_continuous(d, reference, 12.5, 700.0 / 3 - 12.5 * 12.5);
  CHECK(d.mode() == 5.0);  // the denser segment's midpoint
  CHECK(d.describe() == "empirical(n=1, min=0, max=30, interpolated)");

  // Eight observations with a tail to 60: the data sit at k/9, and one draw in nine exceeds 40.
  const Distribution tail = make(DistributionKind::kEmpirical, {{"min", 15}, {"max", 60}}, {22, 25, 31, 27, 35, 24, 29, 40});
  CHECK(tail.quantile(1.0 / 9) == doctest::Approx(22.0).epsilon(1e-12));
  CHECK(tail.quantile(8.0 / 9) == doctest::Approx(40.0).epsilon(1e-12));
  CHECK(tail.cdf(40.0) == doctest::Approx(8.0 / 9).epsilon(1e-12));
  CHECK(tail.quantile(0.95) == doctest::Approx(40.0 + (0.95 * 9 - 8) * 20.0).epsilon(1e-12));
  // Without bounds, `interpolate = 1` spans the data: the cdf runs from the smallest to the largest.
  const Distribution inside = make(DistributionKind::kEmpirical, {{"interpolate", 1}}, {3, 1, 2});
  CHECK(inside.lower() == 1.0);
  CHECK(inside.upper() == 3.0);
  CHECK(inside.cdf(1.5) == doctest::Approx(0.25));
  CHECK_THROWS_WITH_AS(make(DistributionKind::kEmpirical, {{"max", 30}}, {10, 40}),
                       "empirical: max 30 is below the largest data point 40", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kEmpirical, {{"min", 12}}, {10, 40}),
                       "empirical: min 12 is above the smallest data point 10", ParameterError);
}
