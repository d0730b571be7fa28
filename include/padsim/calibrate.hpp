#pragma once
/// Calibration: the value of one parameter at which an estimated statistic meets a target, by root
/// finding over estimates that come with confidence intervals.
///
///     padsim::CalibrationOptions options;
///     options.target = 120.0;
///     options.low = 0.25;
///     options.high = 4.0;
///     padsim::CalibrationResult r = padsim::calibrate(
///         [&](double x) { return estimate_at(x); },  // a batch run with the parameter at x
///         options);
///     if (r.status != padsim::CalibrationStatus::kNotBracketed) use(r.x, r.estimate);
///
/// The function is meant to be a Monte Carlo estimate computed on common random numbers: every
/// evaluation runs the same seed and replication indices, so the estimate is a deterministic
/// function of x, piecewise constant (a percentile moves only when an order statistic changes) and
/// monotone when the model is. The search never assumes continuity: it keeps a bracket [a, b]
/// whose ends lie on either side of the target and shrinks it by Illinois regula falsi, falling
/// back to bisection whenever that does not halve the bracket in two steps (a flat step, an
/// infinite estimate). It stops at the first value whose confidence interval contains the target
/// (the target cannot be told apart from the estimate there), when the bracket is narrower than
/// `tolerance`, or after `max_evaluations`.

#include <cstddef>
#include <functional>
#include <vector>

#include "padsim/statistics.hpp"

namespace padsim {

/// An estimated statistic and its confidence interval (either end may be infinite or NaN).
struct Estimate {
  double value = 0.0;
  Interval ci;
  /// Whether the target lies in the confidence interval (or equals the value).
  bool covers(double target) const noexcept {
    return value == target || (ci.low <= target && target <= ci.high);
  }
};

/// What to solve for and where.
struct CalibrationOptions {
  double target = 0.0;
  double low = 0.0;   ///< the searched range [low, high]; low < high, both finite
  double high = 1.0;
  /// Stop when the bracket is at most this wide; 0 means (high - low) / 1000.
  double tolerance = 0.0;
  /// Evaluations in all, the two ends of the range included (at least 2).
  std::size_t max_evaluations = 30;
};

/// One evaluation, in the order made.
struct CalibrationStep {
  double x = 0.0;
  Estimate estimate;
};

/// Why the search stopped.
enum class CalibrationStatus {
  kWithinCi,        ///< the estimate at x has the target in its confidence interval
  kNarrowBracket,   ///< the bracket is within the tolerance; x is its end nearer the target
  kMaxEvaluations,  ///< out of evaluations; x is the end of the bracket nearer the target
  kNotBracketed,    ///< both ends of the range lie on the same side of the target
};

/// The answer: the value, the estimate there, and every evaluation made.
struct CalibrationResult {
  CalibrationStatus status = CalibrationStatus::kNotBracketed;
  double x = 0.0;     ///< NaN when not bracketed
  Estimate estimate;  ///< at x
  /// The last interval whose ends lie on either side of the target (or touch it): the target is
  /// crossed inside it. The whole range when not bracketed.
  Interval bracket;
  std::vector<CalibrationStep> steps;
};

/// The status as the word calibrate.json uses: "within_ci", "narrow_bracket", "max_evaluations",
/// "not_bracketed".
const char* to_string(CalibrationStatus status) noexcept;

/// Solves f(x) = options.target over [options.low, options.high] (see the file comment). f is
/// called once per evaluation, in order, first at low and then at high. Throws ParameterError for
/// options that cannot be used, and Error when f returns a NaN value (nothing to compare).
CalibrationResult calibrate(const std::function<Estimate(double)>& f,
                            const CalibrationOptions& options);

}  // namespace padsim
