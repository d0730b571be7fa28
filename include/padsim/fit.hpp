#pragma once
/// Fitting a distribution to evidence: to expert judgement (a minimum, mode and maximum, or two or
/// three percentiles) by exact quantile matching, and to observed data by maximum likelihood with
/// goodness-of-fit statistics. Every family that can meet the evidence is fitted; the caller picks.
///
///     padsim::ExpertJudgement e;
///     e.percentiles = {{0.10, 30.0}, {0.90, 90.0}};
///     for (const padsim::Fit& f : padsim::fit_expert(e))
///       if (f.ok) std::cout << f.distribution.describe() << "\n";   // lognormal(...), gamma(...)

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "padsim/distribution.hpp"
#include "padsim/error.hpp"

namespace padsim {

/// The families padsim fits, in the order they are reported.
enum class FitFamily { kLognormal, kGamma, kWeibull, kNormal, kPert, kTriangular, kTrigen };

/// The family's name as the text form spells it ("lognormal", ...; kNormal is "normal", truncated
/// at zero).
const char* to_string(FitFamily family) noexcept;
/// Every family, in report order.
const std::vector<FitFamily>& all_fit_families();
/// The family for a name; throws ParameterError listing the valid names.
FitFamily fit_family_from_string(std::string_view name);

/// What an expert said: a minimum, mode and maximum, and/or percentiles (level in (0, 1), value).
struct ExpertJudgement {
  std::optional<double> min, mode, max;
  std::vector<std::pair<double, double>> percentiles;  ///< sorted by level
};

/// Reads "min=20, mode=28, max=40" or "p10=20, p50=28, p90=40" (any of min, mode, max and pNN).
/// Mistakes (a percentile set no family can meet: values not increasing with their levels, a level
/// outside (0, 100), a mode outside the range) throw InputError at their column.
ExpertJudgement parse_expert_judgement(std::string_view text, const SourcePosition& where);

/// One family fitted to the evidence. `ok` is false when the family cannot meet it (`note` says why).
struct Fit {
  FitFamily family = FitFamily::kLognormal;
  bool ok = false;
  std::string note;
  Distribution distribution;
  int parameters = 0;
  // Expert judgement: the fitted value at each given level, and the largest difference from the
  // given values (0 up to rounding when the family meets them exactly).
  std::vector<std::pair<double, double>> fitted_percentiles;
  double max_error = 0.0;
  /// Meets every given value: max_error within 1e-6 of the span of the given values.
  bool exact = false;
  // Data.
  /// The likelihood's maximum sits on the edge of the family (a PERT or triangular bound at the
  /// smallest or largest observation): a non-regular fit, never marked best.
  bool boundary = false;
  double log_likelihood = 0.0;
  double aic = 0.0;
  double bic = 0.0;
  double ks = 0.0;       ///< Kolmogorov-Smirnov D
  double ks_p = -1.0;    ///< parametric-bootstrap p-value; -1 when not computed
  double ad = 0.0;       ///< Anderson-Darling A^2
  double ad_p = -1.0;
};

/// Exact quantile matching: a family with as many parameters as given values meets them exactly
/// (to 1e-9 relative), a family with more is not used, one with fewer is fitted to the outermost
/// two and reports the error at the others. min/mode/max fit triangular and PERT; a mode with two
/// percentiles fits trigen.
std::vector<Fit> fit_expert(const ExpertJudgement& judgement,
                            const std::vector<FitFamily>& families = all_fit_families());

/// Maximum likelihood. Needs at least 3 observations, all finite and positive for the positive
/// families (lognormal, gamma, weibull). Kolmogorov-Smirnov and Anderson-Darling p-values come from
/// `bootstrap` parametric-bootstrap samples (refitted, since the parameters were estimated), drawn
/// from streams keyed by the family and the sample index of `seed`; 0 skips them.
std::vector<Fit> fit_data(std::span<const double> data,
                          const std::vector<FitFamily>& families = all_fit_families(),
                          int bootstrap = 200, std::uint64_t seed = 20251127);

}  // namespace padsim
