#pragma once
/// Uncertain quantities: every distribution kind of docs/model.md, built from a small spec value that the
/// scenario layer fills. Sampling uses Boost.Random algorithms on padsim::Rng, so draws are the same
/// on every platform and standard library.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "padsim/rng.hpp"

namespace padsim {

/// The kinds of docs/model.md.
enum class DistributionKind {
  kFixed,        ///< value
  kUniform,      ///< min, max
  kTriangular,   ///< min, mode, max
  kPert,         ///< min, mode, max, lambda (default 4)
  kNormal,       ///< mean, sd; optionally truncated to [min, max] (either bound may be absent)
  kLognormal,    ///< mean, sd — or two percentiles: low, low_pct, high, high_pct (e.g. P10 and P90)
  kGamma,        ///< shape, scale; or mean, sd
  kWeibull,      ///< shape, scale
  kExponential,  ///< mean (or rate)
  kDiscrete,     ///< values with probabilities (probabilities sum to 1 within 1e-9)
  kEmpirical,    ///< data: draws uniformly among the data points (the empirical distribution)
  kTrigen,       ///< low, mode, high, low_pct, high_pct: a triangular whose low_pct and high_pct
                 ///< percentiles are low and high (percentages, e.g. 10 and 90)
};

/// The kind's name as scenario files spell it ("pert", "lognormal", ...).
const char* to_string(DistributionKind kind) noexcept;
/// The kind for a name; throws ParameterError naming the unknown kind.
DistributionKind distribution_kind_from_string(const std::string& name);

/// A distribution as a scenario describes it: a kind, named numeric parameters, and the lists that
/// discrete and empirical need. Unknown parameter names are rejected by Distribution's constructor.
struct DistributionSpec {
  DistributionKind kind = DistributionKind::kFixed;
  std::map<std::string, double> params;  ///< e.g. {"min", 2}, {"mode", 7}, {"max", 30}
  std::vector<double> values;            ///< discrete: the values; empirical: the data
  std::vector<double> probabilities;     ///< discrete: one probability per value

  static DistributionSpec fixed(double value);
  static DistributionSpec uniform(double min, double max);
  static DistributionSpec triangular(double min, double mode, double max);
  static DistributionSpec pert(double min, double mode, double max, double lambda = 4.0);
};

/// An immutable, validated distribution. Cheap to copy (shares its parameters).
///
///     padsim::Distribution d(padsim::DistributionSpec::triangular(2, 7, 30));
///     padsim::Rng rng(seed, replication, padsim::stream_key("task", "weld"));
///     double days = d.sample(rng);   // d.mean() == 13
class Distribution {
 public:
  /// A fixed zero.
  Distribution();
  /// Validates the spec; throws ParameterError naming the parameter and its value
  /// (e.g. "triangular: mode 40 is above max 30").
  explicit Distribution(const DistributionSpec& spec);

  DistributionKind kind() const noexcept;
  const DistributionSpec& spec() const noexcept;

  /// One draw.
  double sample(Rng& rng) const;
  /// The value at probability p in (0, 1): sample(rng) and quantile(U) agree in distribution. Used by
  /// the Gaussian copula. Defined for every kind (discrete and empirical: the generalised inverse).
  double quantile(double p) const;
  /// P(X <= x).
  double cdf(double x) const;
  double mean() const;
  double variance() const;
  /// The most likely value: what deterministic mode uses (uniform: midpoint; exponential: 0;
  /// discrete: the most probable value; empirical: the median).
  double mode() const;
  /// Bounds of the support (may be infinite).
  double lower() const;
  double upper() const;
  /// True when every draw is the same number.
  bool is_fixed() const noexcept;
  /// A short human-readable form, e.g. "pert(2, 7, 30)".
  std::string describe() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace padsim
