#include "padsim/calibrate.hpp"

#include <cmath>
#include <limits>

#include "padsim/error.hpp"
#include "padsim/format.hpp"

namespace padsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// One end of the bracket: where, the estimate, and its distance to the target.
struct End {
  double x = 0.0;
  Estimate estimate;
  double g = 0.0;  ///< estimate.value - target: may be infinite, never NaN
};

bool same_side(double g1, double g2) { return (g1 < 0.0) == (g2 < 0.0); }

/// The end nearer the target (the lower one on a tie, so the choice never depends on order).
const End& nearer(const End& a, const End& b) { return std::abs(b.g) < std::abs(a.g) ? b : a; }

}  // namespace

const char* to_string(CalibrationStatus status) noexcept {
  switch (status) {
    case CalibrationStatus::kWithinCi: return "within_ci";
    case CalibrationStatus::kNarrowBracket: return "narrow_bracket";
    case CalibrationStatus::kMaxEvaluations: return "max_evaluations";
    case CalibrationStatus::kNotBracketed: return "not_bracketed";
  }
  return "unknown";
}

CalibrationResult calibrate(const std::function<Estimate(double)>& f,
                            const CalibrationOptions& options) {
  const double target = options.target;
  if (!std::isfinite(target))
    throw ParameterError("calibration target must be a finite number, got " + format_number(target));
  if (!std::isfinite(options.low) || !std::isfinite(options.high) || !(options.low < options.high))
    throw ParameterError("calibration range must be finite with low < high, got [" +
                         format_number(options.low) + ", " + format_number(options.high) + "]");
  if (!(options.tolerance >= 0.0) || !std::isfinite(options.tolerance))
    throw ParameterError("calibration tolerance must be a number >= 0, got " +
                         format_number(options.tolerance));
  if (options.max_evaluations < 2)
    throw ParameterError("calibration needs at least 2 evaluations (the ends of the range)");
  const double tolerance =
      options.tolerance > 0.0 ? options.tolerance : (options.high - options.low) / 1000.0;

  CalibrationResult result;
  auto evaluate = [&](double x) {
    const Estimate e = f(x);
    if (std::isnan(e.value))
      throw Error("the statistic is undefined (NaN) at " + format_number(x) + ": nothing to calibrate");
    result.steps.push_back({x, e});
    return End{x, e, e.value - target};
  };
  auto finish = [&](CalibrationStatus status, const End& at, Interval bracket) {
    result.status = status;
    result.x = at.x;
    result.estimate = at.estimate;
    result.bracket = bracket;
    return result;
  };

  End a = evaluate(options.low);
  End b = evaluate(options.high);
  const Interval range{options.low, options.high};
  const bool crosses = a.g == 0.0 || b.g == 0.0 || !same_side(a.g, b.g);
  const bool a_covers = a.estimate.covers(target);
  const bool b_covers = b.estimate.covers(target);
  if (a_covers || b_covers)
    return finish(CalibrationStatus::kWithinCi,
                  a_covers && b_covers ? nearer(a, b) : a_covers ? a : b, range);
  if (!crosses) {
    result.status = CalibrationStatus::kNotBracketed;
    result.x = kNaN;
    result.estimate = {kNaN, {kNaN, kNaN}};
    result.bracket = range;
    return result;
  }

  // From here a.g and b.g are nonzero (zero is covered) and of opposite signs. Illinois: the
  // secant through the ends, with the weight of an end kept twice in a row halved, so a flat or
  // convex stretch cannot pin one end forever.
  double weight_a = a.g;
  double weight_b = b.g;
  int kept_last = 0;  // -1: a was kept at the last step, +1: b
  std::vector<double> widths{b.x - a.x};
  while (true) {
    if (b.x - a.x <= tolerance)
      return finish(CalibrationStatus::kNarrowBracket, nearer(a, b), {a.x, b.x});
    if (result.steps.size() >= options.max_evaluations)
      return finish(CalibrationStatus::kMaxEvaluations, nearer(a, b), {a.x, b.x});

    // Bisection when the secant is undefined (an infinite estimate: beyond a horizon) or has not
    // halved the bracket over the last two steps (a step function's flat stretch).
    const std::size_t w = widths.size();
    const bool bisect = !std::isfinite(weight_a) || !std::isfinite(weight_b) ||
                        (w >= 3 && widths[w - 1] > 0.5 * widths[w - 3]);
    double x = bisect ? a.x + (b.x - a.x) / 2.0
                      : (a.x * weight_b - b.x * weight_a) / (weight_b - weight_a);
    if (!(x > a.x && x < b.x)) x = a.x + (b.x - a.x) / 2.0;  // rounding at a tiny bracket

    const End c = evaluate(x);
    if (c.estimate.covers(target)) {
      const Interval bracket = c.g == 0.0 ? Interval{c.x, c.x}
                               : same_side(c.g, a.g) ? Interval{c.x, b.x}
                                                     : Interval{a.x, c.x};
      return finish(CalibrationStatus::kWithinCi, c, bracket);
    }
    if (same_side(c.g, a.g)) {
      a = c;
      weight_a = c.g;
      if (kept_last == +1) weight_b /= 2.0;
      kept_last = +1;
    } else {
      b = c;
      weight_b = c.g;
      if (kept_last == -1) weight_a /= 2.0;
      kept_last = -1;
    }
    widths.push_back(b.x - a.x);
  }
}

}  // namespace padsim
