// Paired comparison of two columns from the same replications: mean difference, percentile
// differences by paired bootstrap, shares of B > A, and paired event probabilities.
#include "padsim/paired.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <boost/math/distributions/students_t.hpp>

#include "padsim/rng.hpp"

namespace padsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::size_t kPercentileCount = std::size(kPairedPercentiles);

double t95(double degrees_of_freedom) {
  return boost::math::quantile(boost::math::students_t(degrees_of_freedom), 0.975);
}

double half_width(Interval ci) { return (ci.high - ci.low) / 2.0; }

/// Type-7 interpolation between neighbouring order statistics, infinities included: any positive
/// weight on an infinite neighbour gives that infinity (a + frac * (b - a) would give NaN).
double interpolate(double a, double b, double frac) {
  if (frac == 0.0 || a == b) return a;
  if (std::isinf(b) && b > 0) return b;
  if (std::isinf(a) && a < 0) return a;
  return a + frac * (b - a);
}

/// Type-7 percentile of `sorted` (ascending, infinities allowed at either end).
double percentile(std::span<const double> sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const double frac = h - static_cast<double>(lo);
  if (lo + 1 >= sorted.size()) return sorted[lo];
  return interpolate(sorted[lo], sorted[lo + 1], frac);
}

/// One variant's values over the compared pairs, in ascending order with the pair each came from.
struct SortedSide {
  std::vector<double> values;
  std::vector<std::uint32_t> pair;

  explicit SortedSide(const std::vector<double>& by_pair) {
    std::vector<std::uint32_t> order(by_pair.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t i, std::uint32_t j) { return by_pair[i] < by_pair[j]; });
    pair = order;
    values.reserve(order.size());
    for (const std::uint32_t i : order) values.push_back(by_pair[i]);
  }
};

/// The order-statistic ranks (0-based) and weights of the reported percentiles of m values.
struct PercentileRanks {
  std::size_t lo[kPercentileCount];
  double frac[kPercentileCount];
  explicit PercentileRanks(std::size_t m) {
    for (std::size_t i = 0; i < kPercentileCount; ++i) {
      const double h = static_cast<double>(m - 1) * kPairedPercentiles[i].second;
      lo[i] = static_cast<std::size_t>(std::floor(h));
      frac[i] = lo[i] + 1 < m ? h - static_cast<double>(lo[i]) : 0.0;
    }
  }
};

/// The reported percentiles of one side in a resample that takes pair i counts[i] times: a walk
/// up the sorted values, where value j fills the ranks [seen, seen + counts[pair j]).
void resampled_percentiles(const SortedSide& side, const std::vector<std::uint32_t>& counts,
                           const PercentileRanks& ranks, double* out) {
  double low[kPercentileCount], high[kPercentileCount];
  std::size_t next = 0;  // the percentiles' ranks ascend with p, so one pass finds them all
  std::uint64_t seen = 0;
  for (std::size_t j = 0; j < side.values.size() && next < kPercentileCount; ++j) {
    seen += counts[side.pair[j]];
    while (next < kPercentileCount && ranks.lo[next] < seen) {
      low[next] = side.values[j];
      // The next order statistic is this value again, or the next value drawn at least once.
      std::size_t k = j;
      if (ranks.lo[next] + 1 >= seen)
        for (k = j + 1; k < side.values.size() && counts[side.pair[k]] == 0; ++k) {
        }
      high[next] = k < side.values.size() ? side.values[k] : low[next];
      ++next;
    }
  }
  for (std::size_t i = 0; i < kPercentileCount; ++i) out[i] = interpolate(low[i], high[i], ranks.frac[i]);
}

/// 95% percentile-bootstrap intervals of the percentile differences B - A, resampling pairs.
std::vector<Interval> bootstrap_percentile_differences(const SortedSide& a, const SortedSide& b,
                                                       const PairedOptions& options) {
  const std::size_t m = a.values.size();
  const std::size_t resamples = options.resamples;
  std::vector<Interval> out(kPercentileCount, Interval{kNaN, kNaN});
  if (m == 0 || resamples == 0) return out;
  // Indices are drawn as the high half of (32 random bits) x m: m < 2^32 (check_lengths).
  const std::uint64_t stream = stream_key("paired bootstrap", options.key);
  const PercentileRanks ranks(m);
  std::vector<std::vector<double>> differences(kPercentileCount, std::vector<double>(resamples));
  std::vector<std::uint32_t> counts(m);
  for (std::size_t r = 0; r < resamples; ++r) {
    Rng rng(options.seed, r, stream);
    std::fill(counts.begin(), counts.end(), 0u);
    for (std::size_t i = 0; i < m; ++i) ++counts[((rng() >> 32) * m) >> 32];
    double qa[kPercentileCount], qb[kPercentileCount];
    resampled_percentiles(a, counts, ranks, qa);
    resampled_percentiles(b, counts, ranks, qb);
    for (std::size_t i = 0; i < kPercentileCount; ++i) differences[i][r] = qb[i] - qa[i];
  }
  for (std::size_t i = 0; i < kPercentileCount; ++i) {
    std::vector<double>& d = differences[i];
    if (std::any_of(d.begin(), d.end(), [](double x) { return std::isnan(x); })) continue;
    std::sort(d.begin(), d.end());
    out[i] = {percentile(d, 0.025), percentile(d, 0.975)};
  }
  return out;
}

PairedStatistic share(const char* name, std::uint64_t count, std::uint64_t n) {
  PairedStatistic s;
  s.statistic = name;
  s.a = s.b = kNaN;
  s.difference = n == 0 ? kNaN : static_cast<double>(count) / static_cast<double>(n);
  s.ci = wilson_interval(count, n);
  s.paired_half_width = half_width(s.ci);
  s.unpaired_half_width = kNaN;
  s.pairs = n;
  s.test = false;
  return s;
}

void check_lengths(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size())
    throw std::invalid_argument("paired comparison: columns of different lengths (" +
                                std::to_string(a.size()) + " and " + std::to_string(b.size()) + ")");
  // Pairs are indexed by 32-bit numbers (and resampled from 32 random bits).
  if (a.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("paired comparison: more than 2^32 - 1 pairs");
}

}  // namespace

bool PairedStatistic::significant() const noexcept {
  return test && (ci.low > 0.0 || ci.high < 0.0);
}

PairedComparison compare_values(std::span<const double> a, std::span<const double> b,
                                const PairedOptions& options) {
  check_lengths(a, b);
  PairedComparison result;
  // The compared pairs, censored values as +inf.
  std::vector<double> va, vb;
  RunningStats da, db, diff;
  std::uint64_t later = 0, earlier = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    double x = a[k], y = b[k];
    if (!options.censorable && (std::isnan(x) || std::isnan(y))) continue;
    if (std::isnan(x)) x = kInf, ++result.censored_a;
    if (std::isnan(y)) y = kInf, ++result.censored_b;
    va.push_back(x);
    vb.push_back(y);
    later += y > x;
    earlier += y < x;
    if (std::isfinite(x) && std::isfinite(y)) {
      da.add(x);
      db.add(y);
      diff.add(y - x);
    }
  }
  result.pairs = va.size();

  PairedStatistic mean;
  mean.statistic = "mean";
  mean.a = da.mean();
  mean.b = db.mean();
  mean.difference = diff.mean();
  mean.ci = diff.mean_ci();
  mean.paired_half_width = half_width(mean.ci);
  mean.pairs = diff.count();
  if (diff.count() >= 2) {
    // Welch: the two means as if from independent samples of the same size.
    const double n = static_cast<double>(diff.count());
    const double ea = da.variance() / n, eb = db.variance() / n;
    const double se2 = ea + eb;
    const double df = se2 == 0.0 ? n - 1.0 : se2 * se2 / ((ea * ea + eb * eb) / (n - 1.0));
    mean.unpaired_half_width = t95(df) * std::sqrt(se2);
  } else {
    mean.unpaired_half_width = kNaN;
  }
  result.statistics.push_back(mean);

  const SortedSide side_a(va), side_b(vb);
  const std::vector<Interval> cis = bootstrap_percentile_differences(side_a, side_b, options);
  for (std::size_t i = 0; i < kPercentileCount; ++i) {
    PairedStatistic q;
    q.statistic = kPairedPercentiles[i].first;
    q.a = va.empty() ? kNaN : percentile(side_a.values, kPairedPercentiles[i].second);
    q.b = vb.empty() ? kNaN : percentile(side_b.values, kPairedPercentiles[i].second);
    q.difference = q.b - q.a;
    q.ci = cis[i];
    q.paired_half_width = half_width(q.ci);
    q.unpaired_half_width = kNaN;
    q.pairs = result.pairs;
    result.statistics.push_back(q);
  }
  result.statistics.push_back(share("p_b_later", later, result.pairs));
  result.statistics.push_back(share("p_b_earlier", earlier, result.pairs));
  return result;
}

PairedComparison compare_events(std::span<const double> a, std::span<const double> b) {
  check_lengths(a, b);
  PairedComparison result;
  PairedTable table;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (std::isnan(a[k]) || std::isnan(b[k])) continue;
    const bool x = a[k] != 0.0, y = b[k] != 0.0;
    (x ? (y ? table.both : table.only_a) : (y ? table.only_b : table.neither)) += 1;
  }
  result.pairs = table.both + table.only_a + table.only_b + table.neither;
  const double n = static_cast<double>(result.pairs);
  PairedStatistic p;
  p.statistic = "probability";
  p.a = result.pairs == 0 ? kNaN : static_cast<double>(table.both + table.only_a) / n;
  p.b = result.pairs == 0 ? kNaN : static_cast<double>(table.both + table.only_b) / n;
  // (only_b - only_a) / n exactly, rather than the difference of two rounded shares.
  p.difference = result.pairs == 0 ? kNaN
                                   : (static_cast<double>(table.only_b) - static_cast<double>(table.only_a)) / n;
  p.ci = paired_difference_interval(table, true);
  p.paired_half_width = half_width(p.ci);
  p.unpaired_half_width = half_width(paired_difference_interval(table, false));
  p.pairs = result.pairs;
  result.statistics.push_back(p);
  return result;
}

Interval paired_difference_interval(const PairedTable& t, bool paired) {
  const std::uint64_t n = t.both + t.only_b + t.only_a + t.neither;
  if (n == 0) return {kNaN, kNaN};
  const double dn = static_cast<double>(n);
  const std::uint64_t xb = t.both + t.only_b, xa = t.both + t.only_a;
  const double pb = static_cast<double>(xb) / dn, pa = static_cast<double>(xa) / dn;
  const Interval wb = wilson_interval(xb, n), wa = wilson_interval(xa, n);
  double phi = 0.0;
  const double margins = static_cast<double>(xb) * static_cast<double>(n - xb) *
                         static_cast<double>(xa) * static_cast<double>(n - xa);
  if (paired && margins > 0.0) {
    // Newcombe's correction: a positive numerator moves n/2 towards 0 (not below it); a negative
    // one stays, so the interval is never narrower than the uncorrected correlation would make it.
    const double cross = static_cast<double>(t.both) * static_cast<double>(t.neither) -
                         static_cast<double>(t.only_b) * static_cast<double>(t.only_a);
    const double corrected = cross > dn / 2.0 ? cross - dn / 2.0 : (cross < 0.0 ? cross : 0.0);
    phi = corrected / std::sqrt(margins);
  }
  const double d = pb - pa;
  const double lb = pb - wb.low, ub = wb.high - pb, la = pa - wa.low, ua = wa.high - pa;
  const double low = d - std::sqrt(std::max(0.0, lb * lb - 2.0 * phi * lb * ua + ua * ua));
  const double high = d + std::sqrt(std::max(0.0, la * la - 2.0 * phi * la * ub + ub * ub));
  return {std::max(-1.0, low), std::min(1.0, high)};
}

}  // namespace padsim
