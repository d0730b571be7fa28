#pragma once
/// A mergeable summary of a sample for percentiles whose memory does not grow with the sample.
///
/// Each value is kept as a count under its own value truncated to kMantissaBits bits of mantissa
/// (the low bits set to zero, towards zero): the i-th smallest value of the sketch is the i-th
/// smallest value of the sample truncated, so every order statistic, percentile and
/// order-statistic confidence bound computed from it is within a relative error of
/// kRelativeError (2^-13, about 0.012%: at most 0.074 day at day 600) of the exact one, and never
/// further from zero. Zero and values with at most 13 significant bits (integers up to 8192,
/// halves up to 4096, ...) are kept exactly. The ranks are exact: a rank error cannot move a
/// percentile across a gap between two regimes.
///
/// Counts are integers, so add() and merge() in any order give the same sketch: one sketch per
/// thread or process merges into exactly the sketch of the whole sample. Memory: 64 KB per
/// power of two the values span (one page of 8192 counts), allocated when first used.
///
///     padsim::QuantileSketch sketch;
///     for (double x : values) sketch.add(x);            // +inf counts as beyond every value
///     padsim::OrderStatistics order(sketch);
///     double p90 = padsim::quantile_estimate(order, 0.9).value;

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace padsim {

class QuantileSketch {
 public:
  /// Mantissa bits a value keeps.
  static constexpr int kMantissaBits = 13;
  /// The largest relative difference between a value and its truncation.
  static constexpr double kRelativeError = 1.0 / 8192.0;

  QuantileSketch() = default;
  QuantileSketch(const QuantileSketch& other);
  QuantileSketch& operator=(const QuantileSketch& other);
  QuantileSketch(QuantileSketch&&) noexcept = default;
  QuantileSketch& operator=(QuantileSketch&&) noexcept = default;

  /// Adds one value; +inf counts as beyond every finite value (censored). NaN must not be added.
  void add(double x);
  /// Adds everything `other` has seen.
  void merge(const QuantileSketch& other);

  /// Values added, +inf included.
  std::uint64_t count() const noexcept { return finite_ + beyond_; }
  /// Values added that were +inf.
  std::uint64_t beyond() const noexcept { return beyond_; }
  /// The exact extremes of the finite values (NaN when there is none).
  double min() const noexcept;
  double max() const noexcept;

  /// (truncated value, count) in ascending order of value, finite values only.
  std::vector<std::pair<double, std::uint64_t>> runs() const;

  /// The sketch as 64-bit words, and back: for sending it between processes.
  std::vector<std::uint64_t> serialize() const;
  static QuantileSketch deserialize(const std::uint64_t* words, std::size_t size);

 private:
  static constexpr std::size_t kPageSize = std::size_t{1} << kMantissaBits;
  static constexpr std::size_t kPages = 2048;  // one per biased exponent
  using Page = std::array<std::uint64_t, kPageSize>;
  // Pages of positive (and zero) values, then of negative ones, by biased exponent.
  std::vector<std::unique_ptr<Page>> pages_[2];
  std::uint64_t finite_ = 0;
  std::uint64_t beyond_ = 0;
  double min_ = 0.0;
  double max_ = 0.0;
};

}  // namespace padsim
