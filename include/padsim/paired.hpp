#pragma once
/// Paired comparison of two variants of a model run on common random numbers: replication k of
/// variant A and replication k of variant B draw from the same streams, so their difference is
/// measured pair by pair and its confidence interval is narrower than two independent batches
/// would give.
///
///     padsim::PairedOptions options;
///     options.censorable = true;
///     options.seed = batch_seed;
///     options.key = "completion_day";
///     padsim::PairedComparison c = padsim::compare_values(column_a, column_b, options);
///     for (const padsim::PairedStatistic& s : c.statistics) ...  // mean, p10, p50, p90, shares
///
/// Conventions (all intervals 95%):
/// - A column holds one value per replication, in index order (BatchResult::outcome_column). NaN
///   is "beyond the horizon" when the outcome is censorable (ordered after every reached value,
///   as summary percentiles order it) and "not applicable" otherwise. A pair in which either value
///   is not applicable takes part in nothing.
/// - **mean**: over the pairs in which both values are reached (finite). The difference is the
///   mean of B - A over those pairs, its CI Student-t from the sd of the paired differences. The
///   unpaired half-width is Welch's, from the two variances of the same values as if they were
///   independent samples: unpaired / paired is the gain from pairing.
/// - **p10, p50, p90** (statistic names as summary.csv): each variant's type-7 percentile over its
///   pairs (censored as +inf), and the difference B - A; beyond the horizon in both, the
///   difference is undefined (NaN); in one only, it is +inf or -inf. The CI is a percentile
///   bootstrap over `resamples` resamples of the replication indices, drawn jointly for A and B
///   (so the pairing is kept); resample r draws from Rng(seed, r, stream_key("paired bootstrap",
///   key)), so the interval depends on nothing but the data, the seed and the key (not on
///   threads, nor on which other columns are compared); pair index i of m is drawn as the high
///   32 bits of a draw times m, shifted right by 32. A resample whose difference is undefined
///   makes both bounds undefined (NaN).
/// - **p_b_later**, **p_b_earlier**: the share of pairs (reached or censored) with B > A, or
///   B < A, with Wilson intervals; a pair censored in both is a tie.
/// - Events (0/1): **probability** of each, the difference pB - pA, and Newcombe's paired score
///   interval from the 2x2 table (paired_difference_interval()); the unpaired half-width is the
///   same interval for independent samples. With no discordant pair the difference is exactly 0
///   but its interval keeps some width: n pairs cannot show that discordance is impossible.
/// - A difference is significant when its CI excludes 0 (shares are not tests: never significant).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "padsim/statistics.hpp"

namespace padsim {

/// Resamples of the paired bootstrap unless told otherwise (the percentile CI's bounds are the
/// 25th and 975th order statistics of the resampled differences).
inline constexpr std::size_t kBootstrapResamples = 1000;

/// The percentiles a value comparison reports, as (statistic name, p).
inline constexpr std::pair<const char*, double> kPairedPercentiles[] = {
    {"p10", 0.10}, {"p50", 0.50}, {"p90", 0.90}};

/// How to compare one pair of value columns.
struct PairedOptions {
  bool censorable = false;  ///< NaN is beyond the horizon (else not applicable)
  std::uint64_t seed = 0;   ///< keys the bootstrap, with `key`
  std::string key;          ///< the column's name: keys the bootstrap
  std::size_t resamples = kBootstrapResamples;
};

/// One compared statistic. Bounds and half-widths are NaN where undefined.
struct PairedStatistic {
  std::string statistic;  ///< "mean", "p10", "p50", "p90", "p_b_later", "p_b_earlier", "probability"
  double a = 0.0;         ///< the statistic of A (NaN for a share)
  double b = 0.0;         ///< the statistic of B (NaN for a share)
  double difference = 0.0;  ///< b - a, or the share
  Interval ci;
  double paired_half_width = 0.0;    ///< (ci.high - ci.low) / 2
  double unpaired_half_width = 0.0;  ///< the same interval as if A and B were independent (NaN if none)
  std::uint64_t pairs = 0;           ///< pairs the statistic is computed over
  bool test = true;                  ///< a difference (false: a share, never significant)
  /// The CI excludes 0 (a difference only).
  bool significant() const noexcept;
};

/// What compare_values() or compare_events() found for one column.
struct PairedComparison {
  std::uint64_t pairs = 0;           ///< pairs in which neither value is not applicable
  std::uint64_t censored_a = 0;      ///< of those, beyond the horizon in A
  std::uint64_t censored_b = 0;      ///< ... in B
  std::vector<PairedStatistic> statistics;
};

/// Compares two value columns of equal length, fewer than 2^32 (throws std::invalid_argument
/// otherwise).
PairedComparison compare_values(std::span<const double> a, std::span<const double> b,
                                const PairedOptions& options);

/// Compares two 0/1 columns of equal length (NaN: not applicable; any non-zero value is 1).
PairedComparison compare_events(std::span<const double> a, std::span<const double> b);

/// Counts of a paired 2x2 table of events in B and A.
struct PairedTable {
  std::uint64_t both = 0;     ///< B and A
  std::uint64_t only_b = 0;   ///< B, not A
  std::uint64_t only_a = 0;   ///< A, not B
  std::uint64_t neither = 0;
};

/// Newcombe's (1998) score interval for pB - pA from paired data: Wilson intervals of each
/// margin combined with the phi correlation of the table (its numerator corrected towards 0 by
/// n/2 when positive, as Altman et al., "Statistics with Confidence", 2000, give it).
/// `paired` false: the same combination with phi = 0, Newcombe's interval for independent samples.
/// [NaN, NaN] for an empty table.
Interval paired_difference_interval(const PairedTable& table, bool paired = true);

}  // namespace padsim
