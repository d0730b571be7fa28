#include "padsim/statistics.hpp"

#include "padsim/quantile_sketch.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace padsim {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

void RunningStats::add(double x) noexcept {
  ++n_;
  if (n_ == 1) {
    min_ = max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
}

void RunningStats::merge(const RunningStats& other) noexcept {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  const double n_a = static_cast<double>(n_);
  const double n_b = static_cast<double>(other.n_);
  const double n = n_a + n_b;
  const double delta = other.mean_ - mean_;
  mean_ += delta * n_b / n;
  m2_ += other.m2_ + delta * delta * n_a * n_b / n;
  n_ += other.n_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double RunningStats::mean() const noexcept { return n_ == 0 ? kNaN : mean_; }

double RunningStats::variance() const noexcept {
  return n_ < 2 ? kNaN : m2_ / static_cast<double>(n_ - 1);
}

double RunningStats::sd() const noexcept { return std::sqrt(variance()); }

Interval RunningStats::mean_ci(double confidence) const {
  if (n_ < 2) return {kNaN, kNaN};
  const boost::math::students_t t_dist(static_cast<double>(n_ - 1));
  const double t = boost::math::quantile(t_dist, 0.5 + confidence / 2.0);
  const double half = t * sd() / std::sqrt(static_cast<double>(n_));
  return {mean_ - half, mean_ + half};
}

OrderStatistics::OrderStatistics(const QuantileSketch& sketch) {
  auto runs = std::make_shared<Runs>();
  std::uint64_t end = 0;
  for (const auto& [value, count] : sketch.runs()) {
    end += count;
    runs->values.push_back(value);
    runs->ends.push_back(end);
  }
  runs_ = std::move(runs);
  size_ = static_cast<std::size_t>(sketch.count());
}

double OrderStatistics::operator[](std::size_t i) const {
  if (!runs_) return sorted_[i];
  const auto& ends = runs_->ends;
  const auto it = std::upper_bound(ends.begin(), ends.end(), std::uint64_t{i});
  return it == ends.end() ? kInf : runs_->values[static_cast<std::size_t>(it - ends.begin())];
}

double percentile_sorted(std::span<const double> sorted, double p) {
  return percentile_sorted(OrderStatistics(sorted), p);
}

double percentile_sorted(const OrderStatistics& sorted, double p) {
  if (sorted.empty()) return kNaN;
  assert(p >= 0.0 && p <= 1.0);
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const double frac = h - static_cast<double>(lo);
  if (frac == 0.0 || lo + 1 >= sorted.size()) return sorted[lo];
  const double a = sorted[lo];
  const double b = sorted[lo + 1];
  // Censored values are +inf: any positive weight on one puts the percentile beyond the horizon
  // (and inf - inf would give NaN).
  if (std::isinf(b)) return b;
  return a + frac * (b - a);
}

double percentile_select(std::span<double> values, double p) {
  if (values.empty()) return kNaN;
  assert(p >= 0.0 && p <= 1.0);
  const double h = static_cast<double>(values.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const double frac = h - static_cast<double>(lo);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const double a = values[lo];
  if (frac == 0.0 || lo + 1 >= values.size()) return a;
  // After nth_element everything right of `lo` is >= a: the next order statistic is their minimum.
  const double b = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end());
  if (std::isinf(b)) return b;
  return a + frac * (b - a);
}

namespace {

// The type-7 interpolation between order statistics a (rank lo) and b (rank lo + 1), exactly as
// percentile_select and percentile_sorted compute it.
double interpolate(double a, double b, double frac) {
  if (frac == 0.0) return a;
  if (std::isinf(b)) return b;
  return a + frac * (b - a);
}

}  // namespace

void percentiles_select(std::span<double> values, std::span<const double> ps, std::span<double> out) {
  double lowest = kInf;
  double highest = -kInf;
  for (const double v : values) {
    lowest = std::min(lowest, v);
    highest = std::max(highest, v);
  }
  percentiles_select(values, lowest, highest, ps, out);
}

void percentiles_select(std::span<double> values, double lowest, double highest,
                        std::span<const double> ps, std::span<double> out) {
  assert(out.size() >= ps.size());
  const std::size_t n = values.size();
  // Below this a selection per percentile is as cheap as counting.
  constexpr std::size_t kCountFrom = 256;
  constexpr std::size_t kMostPercentiles = 8;  // two ranks each in the fixed arrays below
  const double width = highest - lowest;
  if (n < kCountFrom || n > UINT32_MAX || ps.size() > kMostPercentiles || !std::isfinite(width) ||
      width == 0.0) {
    for (std::size_t i = 0; i < ps.size(); ++i) out[i] = percentile_select(values, ps[i]);
    return;
  }
  // Buckets of equal width between the extremes. floor((v - lowest) * scale) never decreases as v
  // grows (each rounding is monotone), so bucket order is value order and the order statistic of
  // rank r is found by counting, then sorting r's bucket alone. Each value's bucket is kept from
  // the counting pass for the gathering pass; the buffers are kept per thread (timeseries.csv
  // calls this for every day and series).
  const std::size_t buckets = std::clamp<std::size_t>(n / 4, 64, std::size_t{1} << 16);
  const double scale = static_cast<double>(buckets) / width;
  thread_local std::vector<std::uint16_t> bucket_of;  // of each value
  thread_local std::vector<std::uint32_t> start;      // counts, then first rank of each bucket
  thread_local std::vector<std::int32_t> slot_of;     // of each bucket: its wanted slot, or -1
  thread_local std::vector<double> held;              // the wanted buckets' values, slot by slot
  bucket_of.resize(n);
  start.assign(buckets + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = std::min(static_cast<std::size_t>((values[i] - lowest) * scale), buckets - 1);
    bucket_of[i] = static_cast<std::uint16_t>(b);
    ++start[b + 1];
  }
  for (std::size_t b = 0; b < buckets; ++b) start[b + 1] += start[b];
  auto bucket_at_rank = [&](std::size_t r) {
    const auto it = std::upper_bound(start.begin(), start.end(), static_cast<std::uint32_t>(r));
    return static_cast<std::size_t>(it - start.begin()) - 1;
  };
  // The buckets holding the ranks each percentile needs (lo, and lo + 1 when it interpolates).
  std::size_t wanted[2 * kMostPercentiles];
  std::size_t ranks[2 * kMostPercentiles];
  std::size_t count = 0;
  for (const double p : ps) {
    assert(p >= 0.0 && p <= 1.0);
    const auto lo = static_cast<std::size_t>(std::floor(static_cast<double>(n - 1) * p));
    for (std::size_t r = lo; r <= std::min(lo + 1, n - 1); ++r) {
      ranks[count] = r;
      wanted[count++] = bucket_at_rank(r);
    }
  }
  std::sort(ranks, ranks + count);
  const std::size_t rank_count = static_cast<std::size_t>(std::unique(ranks, ranks + count) - ranks);
  std::sort(wanted, wanted + count);
  count = static_cast<std::size_t>(std::unique(wanted, wanted + count) - wanted);
  // Slot i holds bucket wanted[i]'s values at held[offset[i] ...]; rank r is then found at its
  // offset within its bucket.
  slot_of.assign(buckets, -1);
  std::size_t offset[2 * kMostPercentiles + 1];
  std::size_t fill[2 * kMostPercentiles];
  offset[0] = 0;
  for (std::size_t i = 0; i < count; ++i) {
    slot_of[wanted[i]] = static_cast<std::int32_t>(i);
    offset[i + 1] = offset[i] + (start[wanted[i] + 1] - start[wanted[i]]);
    fill[i] = offset[i];
  }
  held.resize(offset[count]);
  for (std::size_t i = 0; i < n; ++i)
    if (const std::int32_t s = slot_of[bucket_of[i]]; s >= 0) held[fill[s]++] = values[i];
  // Each needed rank put in its place within its bucket, in increasing order, each selection on
  // what lies beyond the previous one: a bucket can hold thousands of values (a spike of equal
  // levels), which a sort of the bucket paid for in full.
  for (std::size_t i = 0, done = 0; i < count; ++i) {
    const auto first = held.begin() + static_cast<std::ptrdiff_t>(offset[i]);
    const auto last = held.begin() + static_cast<std::ptrdiff_t>(offset[i + 1]);
    auto from = first;
    for (; done < rank_count && ranks[done] < start[wanted[i] + 1]; ++done) {
      const auto at = first + static_cast<std::ptrdiff_t>(ranks[done] - start[wanted[i]]);
      std::nth_element(from, at, last);
      from = at + 1;
    }
  }
  auto at_rank = [&](std::size_t r) {
    const std::size_t b = bucket_at_rank(r);
    return held[offset[static_cast<std::size_t>(slot_of[b])] + (r - start[b])];
  };
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const double h = static_cast<double>(n - 1) * ps[i];
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const double frac = h - static_cast<double>(lo);
    const double a = at_rank(lo);
    out[i] = frac == 0.0 || lo + 1 >= n ? a : interpolate(a, at_rank(lo + 1), frac);
  }
}

OrderStatisticRanks quantile_ci_ranks(std::size_t n, double p, double confidence) {
  if (n == 0) return {0, 1};
  const double tail = (1.0 - confidence) / 2.0;
  const boost::math::binomial_distribution<double> binom(static_cast<double>(n), p);
  const double dn = static_cast<double>(n);
  const double sd = std::sqrt(dn * p * (1.0 - p));
  // P(B < l) = P(B <= l - 1) and P(B >= u) = 1 - P(B <= u - 1), the latter through the complement
  // so that small tails stay accurate.
  auto below = [&](std::size_t l) { return boost::math::cdf(binom, static_cast<double>(l - 1)); };
  auto at_least = [&](std::size_t u) {
    return boost::math::cdf(boost::math::complement(binom, static_cast<double>(u - 1)));
  };
  // Start from the normal approximation and walk to the exact rank: a few CDF evaluations.
  auto clamp_rank = [&](double r, double lo, double hi) {
    return static_cast<std::size_t>(std::clamp(r, lo, hi));
  };
  std::size_t l = clamp_rank(std::floor(dn * p - kZ95 * sd), 0.0, dn);
  if (l >= 1 && below(l) <= tail) {
    while (l + 1 <= n && below(l + 1) <= tail) ++l;
  } else {
    while (l >= 1 && below(l) > tail) --l;
  }
  std::size_t u = clamp_rank(std::ceil(dn * p + kZ95 * sd) + 1.0, 1.0, dn + 1.0);
  if (u <= n && at_least(u) <= tail) {
    while (u >= 2 && at_least(u - 1) <= tail) --u;
  } else {
    while (u <= n && at_least(u) > tail) ++u;
  }
  return {l, u};
}

QuantileEstimate quantile_estimate_sorted(std::span<const double> sorted, double p,
                                          double confidence) {
  return quantile_estimate_sorted(OrderStatistics(sorted), p, confidence);
}

QuantileEstimate quantile_estimate_sorted(const OrderStatistics& sorted, double p,
                                          double confidence) {
  if (sorted.empty()) return {kNaN, {kNaN, kNaN}};
  const auto ranks = quantile_ci_ranks(sorted.size(), p, confidence);
  const double low = ranks.lower == 0 ? -kInf : sorted[ranks.lower - 1];
  const double high = ranks.upper > sorted.size() ? kInf : sorted[ranks.upper - 1];
  return {percentile_sorted(sorted, p), {low, high}};
}

QuantileFlag quantile_flag(std::span<const double> sorted, double p, double scale,
                           double relative, double confidence) {
  return quantile_flag(OrderStatistics(sorted), p, scale, relative, confidence);
}

QuantileFlag quantile_flag(const OrderStatistics& sorted, double p, double scale,
                           double relative, double confidence) {
  if (sorted.empty()) return QuantileFlag::kNone;
  const QuantileEstimate q = quantile_estimate_sorted(sorted, p, confidence);
  if (!std::isfinite(q.value)) return QuantileFlag::kNone;  // beyond the horizon: known as such
  if (!std::isfinite(q.ci.low) || !std::isfinite(q.ci.high)) return QuantileFlag::kWide;
  const double width = q.ci.high - q.ci.low;
  const double limit = relative * std::max(std::abs(q.value), std::isfinite(scale) ? scale : 0.0);
  if (!(width > limit)) return QuantileFlag::kNone;
  // The CI's bounds are order statistics l and u: look at the steps between them.
  const auto ranks = quantile_ci_ranks(sorted.size(), p, confidence);
  double largest_step = 0.0;
  for (std::size_t i = ranks.lower; i < ranks.upper; ++i)  // sorted[i] - sorted[i - 1], 1-based l..u
    largest_step = std::max(largest_step, sorted[i] - sorted[i - 1]);
  return largest_step > 0.5 * width ? QuantileFlag::kGap : QuantileFlag::kWide;
}

const char* to_string(QuantileFlag flag) {
  switch (flag) {
    case QuantileFlag::kNone: return "";
    case QuantileFlag::kWide: return "wide";
    case QuantileFlag::kGap: return "gap";
  }
  return "";
}

Interval wilson_interval(std::uint64_t successes, std::uint64_t n, double z) {
  if (n == 0) return {kNaN, kNaN};
  assert(successes <= n);
  const double dn = static_cast<double>(n);
  const double phat = static_cast<double>(successes) / dn;
  const double z2 = z * z;
  const double denom = 1.0 + z2 / dn;
  const double centre = (phat + z2 / (2.0 * dn)) / denom;
  const double half = z / denom * std::sqrt(phat * (1.0 - phat) / dn + z2 / (4.0 * dn * dn));
  // At 0 and n the formula's bound is exactly 0 (or 1) in real arithmetic; rounding must not make
  // it 1e-17 or slightly negative.
  const double low = successes == 0 ? 0.0 : std::max(0.0, centre - half);
  const double high = successes == n ? 1.0 : std::min(1.0, centre + half);
  return {low, high};
}

Interval spearman_ci(double rho, std::uint64_t n, double z) {
  if (std::isnan(rho) || n < 4) return {kNaN, kNaN};
  if (std::abs(rho) >= 1.0) return {rho, rho};
  const double centre = std::atanh(rho);
  const double se = std::sqrt((1.0 + rho * rho / 2.0) / static_cast<double>(n - 3));
  return {std::tanh(centre - z * se), std::tanh(centre + z * se)};
}

Centred centred(std::span<const double> x) {
  Centred c;
  if (x.empty()) return c;
  c.mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  for (const double v : x) {
    const double d = v - c.mean;
    c.squares += d * d;
  }
  return c;
}

double pearson(std::span<const double> x, const Centred& cx, std::span<const double> y, const Centred& cy) {
  assert(x.size() == y.size());
  const std::size_t n = x.size();
  if (n < 2) return kNaN;
  double sxy = 0.0;
  for (std::size_t i = 0; i < n; ++i) sxy += (x[i] - cx.mean) * (y[i] - cy.mean);
  if (cx.squares == 0.0 || cy.squares == 0.0) return kNaN;
  return std::clamp(sxy / std::sqrt(cx.squares * cy.squares), -1.0, 1.0);
}

double pearson(std::span<const double> x, std::span<const double> y) {
  return pearson(x, centred(x), y, centred(y));
}

double spearman(std::span<const double> x, std::span<const double> y) {
  assert(x.size() == y.size());
  std::vector<double> xs, ys;
  xs.reserve(x.size());
  ys.reserve(y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i])) continue;
    xs.push_back(x[i]);
    ys.push_back(y[i]);
  }
  if (xs.size() < 2) return kNaN;
  const auto rx = average_ranks(xs);
  const auto ry = average_ranks(ys);
  return pearson(rx, ry);
}

OutcomeSummary summarize(std::span<const double> values, bool censorable) {
  OutcomeSummary s;
  s.sorted.reserve(values.size());
  for (const double v : values) {
    if (std::isnan(v)) {
      if (!censorable) continue;
      ++s.censored;
      ++s.nonzero;
      s.sorted.push_back(kInf);
    } else {
      s.reached.add(v);
      s.sorted.push_back(v);
      if (v != 0.0) ++s.nonzero;
    }
  }
  s.n = s.sorted.size();
  sort_values(s.sorted);
  return s;
}


OrderStatistics OutcomeSummary::order() const {
  if (sketch_order) return *sketch_order;
  return sketch ? OrderStatistics(*sketch) : OrderStatistics(std::span<const double>(sorted));
}

double OutcomeSummary::min() const {
  if (n == 0) return kNaN;
  if (!sketch) return sorted.front();
  return sketch->beyond() == n ? kInf : sketch->min();
}

double OutcomeSummary::max() const {
  if (n == 0) return kNaN;
  if (!sketch) return sorted.back();
  return censored != 0 ? kInf : sketch->max();
}

QuantileEstimate OutcomeSummary::quantile(double p) const {
  return quantile_estimate_sorted(order(), p);
}

QuantileFlag OutcomeSummary::flag(double p) const {
  return quantile_flag(order(), p, reached.sd());
}

}  // namespace padsim
