// Calibration's root finder (padsim/calibrate.hpp) on functions whose root is known exactly:
// straight lines, step functions (what a percentile on common random numbers is), functions that
// reach +inf, targets out of reach, and bad options.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "padsim/calibrate.hpp"
#include "padsim/error.hpp"
#include "test_support.hpp"

using namespace padsim;

namespace {

using padsim::test::kInf;

/// An estimate with a CI of +/- half around the value.
Estimate with_ci(double value, double half) { return {value, {value - half, value + half}}; }

CalibrationOptions range(double target, double low, double high) {
  CalibrationOptions o;
  o.target = target;
  o.low = low;
  o.high = high;
  return o;
}

}  // namespace

TEST_CASE("a straight line is solved by the first secant, three evaluations in all") {
  const CalibrationResult r =
      calibrate([](double x) { return with_ci(2.0 * x + 1.0, 0.0); }, range(8.0, 0.0, 10.0));
  CHECK(r.status == CalibrationStatus::kWithinCi);
  CHECK(r.x == doctest::Approx(3.5).epsilon(1e-12));
  REQUIRE(r.steps.size() == 3);
  CHECK(r.steps[0].x == 0.0);   // the ends first, low then high
  CHECK(r.steps[1].x == 10.0);
  CHECK(r.estimate.value == doctest::Approx(8.0).epsilon(1e-12));
}

TEST_CASE("a decreasing function stops at the first value whose CI covers the target") {
  // f(x) = 100 / x with a CI of +/- 1: the target 20 is covered for x in [100/21, 100/19].
  const CalibrationResult r =
      calibrate([](double x) { return with_ci(100.0 / x, 1.0); }, range(20.0, 1.0, 20.0));
  CHECK(r.status == CalibrationStatus::kWithinCi);
  CHECK(r.x >= 100.0 / 21.0);
  CHECK(r.x <= 100.0 / 19.0);
  CHECK(r.estimate.covers(20.0));
  CHECK(r.bracket.low <= r.x);
  CHECK(r.bracket.high >= r.x);
  CHECK(r.steps.size() < 15);
}

TEST_CASE("a step function is narrowed onto its jump across the target") {
  // floor(10 x) / 10 with no sampling error never equals 0.55: it jumps from 0.5 to 0.6 at x = 0.6.
  CalibrationOptions o = range(0.55, 0.0, 1.0);
  o.tolerance = 1e-6;
  o.max_evaluations = 100;
  const CalibrationResult r =
      calibrate([](double x) { return with_ci(std::floor(10.0 * x) / 10.0, 0.0); }, o);
  CHECK(r.status == CalibrationStatus::kNarrowBracket);
  CHECK(r.bracket.low < 0.6);
  CHECK(r.bracket.high >= 0.6);
  CHECK(r.bracket.high - r.bracket.low <= 1e-6);
  CHECK(std::abs(r.x - 0.6) <= 1e-6);
  // A flat stretch cannot stall the search: about one bisection per halving of the bracket.
  CHECK(r.steps.size() <= 2 + 2 * 21);
}

TEST_CASE("estimates beyond a horizon (+inf) still bracket the target, by bisection") {
  const CalibrationResult r = calibrate(
      [](double x) { return with_ci(x < 5.0 ? 10.0 * x : kInf, 0.01); }, range(42.0, 0.0, 8.0));
  CHECK(r.status == CalibrationStatus::kWithinCi);
  CHECK(std::abs(r.x - 4.2) <= 0.001 + 1e-12);
}

TEST_CASE("a target on the same side at both ends is not bracketed, after two evaluations") {
  int calls = 0;
  const CalibrationResult r = calibrate(
      [&](double x) {
        ++calls;
        return with_ci(x + 100.0, 1.0);
      },
      range(50.0, 0.0, 10.0));
  CHECK(r.status == CalibrationStatus::kNotBracketed);
  CHECK(calls == 2);
  CHECK(std::isnan(r.x));
  REQUIRE(r.steps.size() == 2);
  CHECK(r.steps[0].estimate.value == 100.0);  // what each end reached, for the message
  CHECK(r.steps[1].estimate.value == 110.0);
}

TEST_CASE("a target inside an end's CI is that end, even when not strictly bracketed") {
  const CalibrationResult r =
      calibrate([](double x) { return with_ci(x + 100.0, 5.0); }, range(98.0, 0.0, 10.0));
  CHECK(r.status == CalibrationStatus::kWithinCi);
  CHECK(r.x == 0.0);
}

TEST_CASE("the search stops at max_evaluations with the end nearer the target") {
  CalibrationOptions o = range(0.3, 0.0, 1.0);
  o.max_evaluations = 5;
  o.tolerance = 1e-12;
  // x^9 is flat near 0: the secant crawls, but the count is what stops it here.
  const CalibrationResult r = calibrate([](double x) { return with_ci(std::pow(x, 9.0), 0.0); }, o);
  CHECK(r.status == CalibrationStatus::kMaxEvaluations);
  CHECK(r.steps.size() == 5);
  CHECK(r.bracket.low < std::pow(0.3, 1.0 / 9.0));
  CHECK(r.bracket.high > std::pow(0.3, 1.0 / 9.0));
  CHECK((r.x == r.bracket.low || r.x == r.bracket.high));
}

TEST_CASE("calibration options that cannot be used, and an undefined estimate, are errors") {
  const auto line = [](double x) { return with_ci(x, 0.0); };
  CHECK_THROWS_AS(calibrate(line, range(1.0, 2.0, 2.0)), ParameterError);
  CHECK_THROWS_AS(calibrate(line, range(1.0, 3.0, 2.0)), ParameterError);
  CHECK_THROWS_AS(calibrate(line, range(std::nan(""), 0.0, 2.0)), ParameterError);
  CalibrationOptions one = range(1.0, 0.0, 2.0);
  one.max_evaluations = 1;
  CHECK_THROWS_AS(calibrate(line, one), ParameterError);
  CHECK_THROWS_AS(calibrate([](double) { return with_ci(std::nan(""), 0.0); }, range(1.0, 0.0, 2.0)),
                  Error);
}
