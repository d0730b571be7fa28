#pragma once
/// Statistics of Monte Carlo samples: running moments, exact percentiles with distribution-free
/// confidence intervals, Wilson intervals for probabilities, and Spearman rank correlation.
///
/// Conventions (also in README "Reading the outputs"):
/// - Percentiles are Hyndman & Fan **type 7** (linear interpolation between order statistics at
///   h = (n-1)p; the default of R, NumPy and pandas), so `runs.csv` reproduces them in any tool.
/// - A percentile's confidence interval is the **order-statistic (binomial) interval**
///   [X_(l), X_(u)]: with B ~ Binomial(n, p), l is the largest rank with P(B < l) <= a/2 and u the
///   smallest with P(B >= u) <= a/2, so the coverage P(l <= B < u) is at least 1 - a for any
///   continuous distribution (exact, conservative, no bootstrap). When no such l (or u) exists
///   (too few replications for the tail), that bound is unbounded: -inf (or +inf).
/// - Censored values (an outcome not reached by the horizon) are +infinity: they sort after every
///   reached value, so a percentile or bound that lands on one is "beyond the horizon" (+inf).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace padsim {

class QuantileSketch;

/// z of a two-sided 95% normal interval.
inline constexpr double kZ95 = 1.959963984540054;

/// A closed interval; either bound may be infinite (unbounded) or NaN (undefined).
struct Interval {
  double low = 0.0;
  double high = 0.0;
};

/// Mean and variance in one pass (Welford), numerically stable; merge() combines two accumulators
/// (Chan et al.), so per-thread accumulators can be joined.
class RunningStats {
 public:
  /// Adds one value; NaN is ignored by the caller's choice, not here (it would poison the mean).
  void add(double x) noexcept;
  /// Adds everything `other` has seen.
  void merge(const RunningStats& other) noexcept;

  std::uint64_t count() const noexcept { return n_; }
  /// NaN when empty.
  double mean() const noexcept;
  /// Sample variance (n - 1 denominator); NaN below two values.
  double variance() const noexcept;
  double sd() const noexcept;
  /// Student-t CI of the mean: mean -/+ t(n-1) sd / sqrt(n). NaN bounds below two values.
  Interval mean_ci(double confidence = 0.95) const;
  double min() const noexcept { return min_; }
  double max() const noexcept { return max_; }

  /// The accumulator's exact state, and an accumulator from one: for sending it between processes.
  struct State {
    std::uint64_t n = 0;
    double mean = 0.0, m2 = 0.0, min = 0.0, max = 0.0;
  };
  State state() const noexcept { return {n_, mean_, m2_, min_, max_}; }
  static RunningStats from_state(const State& s) noexcept {
    RunningStats r;
    r.n_ = s.n;
    r.mean_ = s.mean;
    r.m2_ = s.m2;
    r.min_ = s.min;
    r.max_ = s.max;
    return r;
  }

 private:
  std::uint64_t n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
  double min_ = 0.0;
  double max_ = 0.0;
};

/// The order statistics of a sample by 0-based rank, ascending, censored values (+inf) last: the
/// values of a sorted vector (viewed, not copied), or a QuantileSketch's truncated values. The
/// percentile functions below take either, so exact and bounded-memory batches share one
/// computation. Cheap to copy: a sketch's table is shared.
class OrderStatistics {
 public:
  explicit OrderStatistics(std::span<const double> sorted) : sorted_(sorted), size_(sorted.size()) {}
  explicit OrderStatistics(const QuantileSketch& sketch);
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  double operator[](std::size_t i) const;

 private:
  struct Runs {
    std::vector<double> values;       // the sketch's distinct values, ascending
    std::vector<std::uint64_t> ends;  // one past the last rank holding values[k]
  };
  std::span<const double> sorted_;
  std::shared_ptr<const Runs> runs_;  // a sketch's, else null
  std::size_t size_ = 0;
};

/// Type-7 percentile of `sorted` (ascending; may end with +inf) at p in [0, 1]. NaN when empty.
/// Interpolating towards +inf with a positive weight gives +inf.
double percentile_sorted(std::span<const double> sorted, double p);
double percentile_sorted(const OrderStatistics& sorted, double p);
/// The same type-7 percentile of unsorted values, in linear time; reorders `values`.
double percentile_select(std::span<double> values, double p);
/// Several type-7 percentiles of the same unsorted values, each exactly percentile_select's
/// value, from one counting pass instead of one selection per percentile; `out[i]` is the
/// percentile at `ps[i]`. `values` holds no NaN; it is reordered.
void percentiles_select(std::span<double> values, std::span<const double> ps, std::span<double> out);
/// The same, given the minimum `lowest` and maximum `highest` of `values` (found by a caller that
/// gathered them), which saves a pass over the values. At most eight percentiles per call take
/// the counting path; more are selected one by one.
void percentiles_select(std::span<double> values, double lowest, double highest,
                        std::span<const double> ps, std::span<double> out);

/// 1-based ranks [l, u] of the order statistics bounding the p-quantile with confidence
/// `confidence` (see the file comment). l == 0 means unbounded below, u == n + 1 unbounded above.
struct OrderStatisticRanks {
  std::size_t lower = 0;
  std::size_t upper = 0;
};
OrderStatisticRanks quantile_ci_ranks(std::size_t n, double p, double confidence = 0.95);

/// A percentile with its order-statistic confidence interval.
struct QuantileEstimate {
  double value = 0.0;
  Interval ci;
};
/// Percentile and CI of `sorted` (ascending, +inf allowed at the end). NaN everything when empty.
QuantileEstimate quantile_estimate_sorted(std::span<const double> sorted, double p,
                                          double confidence = 0.95);
QuantileEstimate quantile_estimate_sorted(const OrderStatistics& sorted, double p,
                                          double confidence = 0.95);

/// Whether a percentile is safe to quote without its CI.
enum class QuantileFlag {
  kNone,  ///< its CI is narrow
  kWide,  ///< its CI is unbounded while the value is not, or wider than the relative limit
  kGap,   ///< wide, and the CI spans a gap in the values: the percentile sits between two regimes
          ///< and can jump across the gap when the batch grows
};
/// The flag of percentile p of `sorted` (ascending, +inf allowed at the end): kWide when its
/// 95% CI is unbounded while the value is finite, or wider than `relative` x max(|value|, scale)
/// (`scale`: e.g. the sd of the values, so that a value near 0 is not judged by itself); kGap when
/// it is wide and two consecutive values inside the CI are further apart than half the CI's width.
/// A percentile beyond the horizon (+inf) or of an empty sample is kNone.
QuantileFlag quantile_flag(std::span<const double> sorted, double p, double scale,
                           double relative = 0.1, double confidence = 0.95);
QuantileFlag quantile_flag(const OrderStatistics& sorted, double p, double scale,
                           double relative = 0.1, double confidence = 0.95);
/// "", "wide" or "gap".
const char* to_string(QuantileFlag flag);

/// Wilson score interval for `successes` out of `n` (z = 1.96 for 95%). [NaN, NaN] when n == 0.
Interval wilson_interval(std::uint64_t successes, std::uint64_t n, double z = kZ95);

/// Sorts `values` (no NaN; +/-inf allowed) ascending: the same order as std::sort (equal values
/// are interchangeable, -0 comes before +0), in linear time (a radix sort) for large spans.
void sort_values(std::span<double> values);

/// Ranks 1..n of `values`, ties sharing their average rank. Values must not be NaN (+inf is fine).
std::vector<double> average_ranks(std::span<const double> values);

/// Pearson correlation of two equally long sequences; NaN if either is constant or n < 2.
double pearson(std::span<const double> x, std::span<const double> y);

/// A sequence's mean and sum of squared deviations from it, as pearson() computes them: taken
/// once for a sequence correlated with many others.
struct Centred {
  double mean = 0.0;
  double squares = 0.0;
};
Centred centred(std::span<const double> x);
/// pearson(x, y) with each side's centred() given, bit for bit the same.
double pearson(std::span<const double> x, const Centred& cx, std::span<const double> y, const Centred& cy);

/// Spearman rank correlation (Pearson on average ranks, so ties are handled exactly).
/// Pairs where either value is NaN are dropped first; +inf takes part as the largest value.
/// NaN when fewer than two pairs remain or either side is constant.
double spearman(std::span<const double> x, std::span<const double> y);

/// 95% confidence interval of a Spearman correlation `rho` from `n` pairs: Fisher's z with the
/// Bonett-Wright standard error sqrt((1 + rho^2 / 2) / (n - 3)), transformed back. [NaN, NaN]
/// when rho is NaN or n < 4; [rho, rho] when |rho| = 1.
Interval spearman_ci(double rho, std::uint64_t n, double z = kZ95);

/// Everything summary.csv reports for one outcome, computed from its values across replications.
struct OutcomeSummary {
  std::uint64_t n = 0;         ///< replications with a value (reached or censored)
  std::uint64_t censored = 0;  ///< of those, not reached by the horizon (+inf in percentiles)
  std::uint64_t nonzero = 0;   ///< of those, values other than 0, censored included (an event's occurrences)
  RunningStats reached;        ///< moments over the n - censored reached values
  /// Sorted values, censored as +inf at the end (kept for percentiles)...
  std::vector<double> sorted;
  /// ... or, in a bounded-memory batch, a sketch of them (`sorted` is then empty).
  std::shared_ptr<const QuantileSketch> sketch;
  /// The sketch's order statistics, built once (set with `sketch`).
  std::optional<OrderStatistics> sketch_order;

  /// The order statistics, from `sorted` or the sketch; valid while this summary lives.
  OrderStatistics order() const;
  /// The smallest value, the largest (+inf when any is censored); NaN when n == 0. Exact also
  /// with a sketch.
  double min() const;
  double max() const;
  /// Percentile p with its CI, and its flag (scale: the sd of the reached values).
  QuantileEstimate quantile(double p) const;
  QuantileFlag flag(double p) const;
};

/// Sorts the values for percentiles: NaN is censored (+inf) when `censorable`, else excluded
/// (not applicable). Moments cover reached values only.
OutcomeSummary summarize(std::span<const double> values, bool censorable);

}  // namespace padsim
