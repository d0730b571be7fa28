// QuantileSketch: every order statistic within its stated relative error of the exact one (never
// further from zero), exact for small integers, merges independent of order, and percentiles, CIs
// and flags that match the exact ones on a smooth sample and on one with a gap between regimes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "padsim/quantile_sketch.hpp"
#include "padsim/rng.hpp"
#include "padsim/statistics.hpp"
#include "test_support.hpp"

using namespace padsim;

namespace {

using padsim::test::kInf;
constexpr double kError = QuantileSketch::kRelativeError;

QuantileSketch sketch_of(const std::vector<double>& values) {
  QuantileSketch s;
  for (const double v : values) s.add(v);
  return s;
}

// The sketch's value stands for the exact one: within the relative error, towards zero.
void check_close(double sketched, double exact) {
  if (std::isinf(exact) || std::isnan(exact)) {
    CHECK(std::isinf(sketched) == std::isinf(exact));
    return;
  }
  CHECK(std::abs(sketched) <= std::abs(exact));
  CHECK(std::abs(sketched - exact) <= kError * std::abs(exact));
}

// 88% of the values near 100-180, 12% near 300-600: the 0.90 percentile sits on the plateau
// between the two regimes (the reserve-cabin / new-cabin shape of the pad repair).
std::vector<double> gap_sample(std::size_t n) {
  Rng rng(7, 0, 0);
  std::vector<double> values(n);
  for (double& v : values) {
    const double u = rng.uniform01();
    v = rng.uniform01() < 0.88 ? 100.0 + 80.0 * u : 300.0 + 300.0 * u;
  }
  return values;
}

}  // namespace

TEST_CASE("a quantile sketch keeps small integers and zero exactly") {
  std::vector<double> values;
  for (int i = -50; i <= 400; ++i) values.push_back(i);
  values.push_back(0.5);
  values.push_back(-0.0);
  const QuantileSketch s = sketch_of(values);
  std::sort(values.begin(), values.end());
  const OrderStatistics exact{std::span<const double>(values)};
  const OrderStatistics sketched(s);
  REQUIRE(sketched.size() == exact.size());
  for (std::size_t i = 0; i < exact.size(); ++i) CHECK(sketched[i] == exact[i]);
  CHECK(s.min() == -50.0);
  CHECK(s.max() == 400.0);
  for (const double p : {0.0, 0.05, 0.1, 0.5, 0.9, 0.95, 1.0})
    CHECK(percentile_sorted(sketched, p) == percentile_sorted(exact, p));
}

TEST_CASE("every order statistic of a sketch is within its relative error of the exact one") {
  Rng rng(11, 3, 1);
  std::vector<double> values(20'000);
  for (double& v : values) v = std::exp(4.0 + rng.uniform01() * 2.0) - 150.0;  // negatives too
  values[17] = 1e-300;
  values[18] = -1e300;
  const QuantileSketch s = sketch_of(values);
  std::sort(values.begin(), values.end());
  const OrderStatistics sketched(s);
  REQUIRE(sketched.size() == values.size());
  for (std::size_t i = 0; i < values.size(); ++i) check_close(sketched[i], values[i]);
  for (std::size_t i = 1; i < values.size(); ++i) CHECK(sketched[i - 1] <= sketched[i]);
  CHECK(s.min() == values.front());  // the extremes are exact
  CHECK(s.max() == values.back());
}

TEST_CASE("a sketch's percentiles, CIs and flags match the exact ones, across a gap too") {
  std::vector<double> values = gap_sample(50'000);
  const QuantileSketch s = sketch_of(values);
  std::sort(values.begin(), values.end());
  const OrderStatistics exact{std::span<const double>(values)};
  const OrderStatistics sketched(s);
  for (const double p : {0.05, 0.1, 0.25, 0.5, 0.75, 0.8, 0.88, 0.9, 0.95}) {
    CAPTURE(p);
    const QuantileEstimate e = quantile_estimate_sorted(exact, p);
    const QuantileEstimate q = quantile_estimate_sorted(sketched, p);
    check_close(q.value, e.value);
    check_close(q.ci.low, e.ci.low);
    check_close(q.ci.high, e.ci.high);
    CHECK(quantile_flag(sketched, p, 100.0) == quantile_flag(exact, p, 100.0));
  }
  // The 0.88 percentile's CI spans the gap between the regimes: flagged in both.
  CHECK(quantile_flag(sketched, 0.88, 100.0) == QuantileFlag::kGap);
}

TEST_CASE("censored values sort last in a sketch, as +inf does in a sorted sample") {
  std::vector<double> values = {3.0, 1.0, kInf, 2.0, kInf, 5.0};
  const QuantileSketch s = sketch_of(values);
  CHECK(s.count() == 6);
  CHECK(s.beyond() == 2);
  std::sort(values.begin(), values.end());
  const OrderStatistics exact{std::span<const double>(values)};
  const OrderStatistics sketched(s);
  for (std::size_t i = 0; i < values.size(); ++i) CHECK(sketched[i] == exact[i]);
  CHECK(percentile_sorted(sketched, 0.9) == kInf);
  CHECK(percentile_sorted(sketched, 0.5) == 4.0);  // between 3 and 5
}

TEST_CASE("sketches merge into the sketch of the whole sample, in any order") {
  const std::vector<double> values = gap_sample(9'000);
  QuantileSketch whole = sketch_of(values);
  whole.add(kInf);
  QuantileSketch a, b, c;
  for (std::size_t i = 0; i < values.size(); ++i) (i % 3 == 0 ? a : i < 4'000 ? b : c).add(values[i]);
  c.add(kInf);
  QuantileSketch abc = a, cba = c;
  abc.merge(b);
  abc.merge(c);
  cba.merge(b);
  cba.merge(a);
  CHECK(abc.serialize() == whole.serialize());
  CHECK(cba.serialize() == whole.serialize());
  const std::vector<std::uint64_t> words = whole.serialize();
  CHECK(QuantileSketch::deserialize(words.data(), words.size()).serialize() == words);
  std::vector<std::uint64_t> broken = words;
  broken[0] += 1;  // a count that does not add up
  CHECK_THROWS(QuantileSketch::deserialize(broken.data(), broken.size()));
}
