#pragma once
// Private to padsim::sim: the validated form of a Distribution (Distribution::Impl) and the helpers
// its builders share. distribution.cpp holds the public API (names, draws, quantiles, CDFs,
// descriptions); the builders, one per kind, live in distribution_continuous.cpp and
// distribution_discrete.cpp.

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <numbers>
#include <string>
#include <utility>
#include <variant>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/weibull.hpp>
#include <boost/math/policies/policy.hpp>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/triangle_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <boost/random/weibull_distribution.hpp>

#include "padsim/distribution.hpp"
#include "padsim/error.hpp"
#include "padsim/format.hpp"

namespace padsim {
namespace distribution_detail {

namespace bm = boost::math;
namespace br = boost::random;

// Plain double arithmetic inside Boost.Math: the default promotion to long double costs time on the
// truncated-normal sampling path and buys nothing at the accuracy our tests ask for (~1e-12).
using MathPolicy = bm::policies::policy<bm::policies::promote_double<false>>;
using MathNormal = bm::normal_distribution<double, MathPolicy>;
using MathLognormal = bm::lognormal_distribution<double, MathPolicy>;
using MathGamma = bm::gamma_distribution<double, MathPolicy>;
using MathWeibull = bm::weibull_distribution<double, MathPolicy>;
using MathBeta = bm::beta_distribution<double, MathPolicy>;

inline constexpr double kInf = std::numeric_limits<double>::infinity();

/// Named-parameter access with the error messages of the constructor.
class Params {
 public:
  explicit Params(const DistributionSpec& spec) : spec_(spec), kind_(to_string(spec.kind)) {}

  [[noreturn]] void fail(const std::string& message) const {
    throw ParameterError(std::string(kind_) + ": " + message);
  }

  /// Rejects names outside `allowed` and non-finite values.
  void allow(std::initializer_list<const char*> allowed) const {
    for (const auto& [name, value] : spec_.params) {
      const bool known = std::find(allowed.begin(), allowed.end(), name) != allowed.end();
      if (!known) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        fail("unknown parameter '" + name + "' (" +
             (list.empty() ? std::string("it takes no named parameters") : "allowed: " + list) +
             ")");
      }
      if (!std::isfinite(value)) fail(name + " " + format_number(value) + " is not a finite number");
    }
  }

  /// Kinds without lists must not be given any.
  void no_lists() const {
    if (!spec_.values.empty())
      fail("takes no values (got " + std::to_string(spec_.values.size()) + ")");
    if (!spec_.probabilities.empty())
      fail("takes no probabilities (got " + std::to_string(spec_.probabilities.size()) + ")");
  }

  bool has(const char* name) const { return spec_.params.count(name) != 0; }

  double get(const char* name) const {
    const auto it = spec_.params.find(name);
    if (it == spec_.params.end()) fail(std::string("missing parameter '") + name + "'");
    return it->second;
  }

  double get_or(const char* name, double fallback) const {
    const auto it = spec_.params.find(name);
    return it == spec_.params.end() ? fallback : it->second;
  }

  double positive(const char* name) const {
    const double v = get(name);
    if (!(v > 0)) fail(std::string(name) + " " + format_number(v) + " must be positive");
    return v;
  }

  /// min <= mode <= max, naming the parameters as the kind spells them.
  void ordered(const char* lo_name, double lo, const char* mid_name, double mid,
               const char* hi_name, double hi) const {
    if (lo > hi) fail(std::string(lo_name) + " " + format_number(lo) + " is above " + hi_name + " " + format_number(hi));
    if (mid < lo)
      fail(std::string(mid_name) + " " + format_number(mid) + " is below " + lo_name + " " + format_number(lo));
    if (mid > hi)
      fail(std::string(mid_name) + " " + format_number(mid) + " is above " + hi_name + " " + format_number(hi));
  }

 private:
  const DistributionSpec& spec_;
  const char* kind_;
};

// Standard normal tails, each accurate far out (erfc does not cancel).
inline double std_phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }  // P(Z <= z)
inline double std_q(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }     // P(Z > z)
inline double std_pdf(double z) {
  return std::isinf(z) ? 0.0 : std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi);
}

using Uniform = br::uniform_real_distribution<double>;
using Triangle = br::triangle_distribution<double>;
using Beta = br::beta_distribution<double>;
using Normal = br::normal_distribution<double>;
using Lognormal = br::lognormal_distribution<double>;
using Gamma = br::gamma_distribution<double>;
using Weibull = br::weibull_distribution<double>;
using Exponential = br::exponential_distribution<double>;
using Discrete = br::discrete_distribution<std::size_t, double>;
using UniformIndex = br::uniform_int_distribution<std::size_t>;
using Sampler = std::variant<std::monostate, Uniform, Triangle, Beta, Normal, Lognormal, Gamma, Weibull,
                             Exponential, Discrete, UniformIndex>;

// Boost.Random distributions whose operator() is not const are stateless for our purposes; drawing
// from a local copy keeps one Distribution safe to share between threads.
template <class D>
double draw(const Sampler& sampler, Rng& rng) {
  D d = std::get<D>(sampler);
  return static_cast<double>(d(rng));
}

/// Below this probability of the truncation range, rejection gets slow and the inverse CDF is used.
inline constexpr double kRejectionMinMass = 0.25;

}  // namespace distribution_detail

namespace dd = distribution_detail;

struct Distribution::Impl {
  DistributionSpec spec;
  bool fixed = false;  // every draw is `lo`
  double lo = 0, hi = 0;
  double mean = 0, variance = 0, mode = 0;

  // Shape parameters; which ones are used depends on the kind.
  double a = 0, m = 0, c = 0;      // uniform, triangular, pert, trigen: min, mode, max
  double alpha = 0, beta = 0;      // pert: beta shape parameters
  double mu = 0, sigma = 0;        // normal: mean, sd; lognormal: of log X
  double shape = 0, scale = 0;     // gamma, weibull
  double rate = 0;                 // exponential

  // Truncated normal, in standard units z = (x - mu) / sigma.
  bool truncated = false;
  bool rejection = false;          // range holds most of the mass: redraw until inside
  double za = -dd::kInf, zb = dd::kInf;    // standardised bounds
  double phi_a = 0, q_a = 1;       // P(Z <= za), P(Z > za)
  double phi_b = 1, q_b = 0;       // P(Z <= zb), P(Z > zb)
  double mass = 1;                 // P(za < Z <= zb)

  // Discrete: distinct values of positive probability, ascending, with the cumulative probability.
  // Empirical: the sorted data (cum unused). Interpolated empirical: the knots (the optional min,
  // the sorted data, the optional max), the cdf rising linearly between them by 1/(knots - 1) each.
  std::vector<double> support;
  std::vector<double> cum;
  std::vector<double> draw_values;  // what the Discrete / UniformIndex sampler indexes

  dd::Sampler sampler;
  bool interpolated = false;  // empirical with linear interpolation between its knots

  /// The interpolated empirical quantile: linear in p between knots k/(m - 1).
  double knot_quantile(double p) const {
    const double s = p * static_cast<double>(support.size() - 1);
    const auto j = std::min(static_cast<std::size_t>(s), support.size() - 2);
    return support[j] + (s - static_cast<double>(j)) * (support[j + 1] - support[j]);
  }

  /// Validates `s` (ParameterError naming the kind and the parameter) and builds the sampler.
  explicit Impl(DistributionSpec s);

  void set_fixed(double v) {
    fixed = true;
    lo = hi = mean = mode = v;
    variance = 0;
  }

  // One builder per kind: checks the parameters and fills the fields above. Fixed in
  // distribution.cpp; the continuous kinds in distribution_continuous.cpp; discrete and empirical in
  // distribution_discrete.cpp.
  void build_fixed(const dd::Params& p);
  void build_uniform(const dd::Params& p);
  void set_triangle(double min, double mode_value, double max);
  void build_triangular(const dd::Params& p);
  void build_pert(const dd::Params& p);
  void build_normal(const dd::Params& p);

  /// Truncated normal quantile. Works in whichever tail the answer lies, so it stays exact far out.
  double truncated_normal_quantile(double u) const {
    const double below = phi_a + u * mass;          // P(Z <= z)
    const double above = q_b + (1.0 - u) * mass;    // P(Z > z)
    const dd::MathNormal standard(0.0, 1.0);
    double z;
    if (below < above) {
      if (!(below > 0)) return lo;
      z = dd::bm::quantile(standard, below);
    } else {
      if (!(above > 0)) return hi;
      z = dd::bm::quantile(dd::bm::complement(standard, above));
    }
    return std::clamp(mu + sigma * z, lo, hi);
  }

  double truncated_normal_cdf(double x) const {
    const double z = (x - mu) / sigma;
    double r;
    if (z < 0)
      r = (dd::std_phi(z) - phi_a) / mass;
    else if (za >= 0)
      r = (q_a - dd::std_q(z)) / mass;
    else
      r = 1.0 - (dd::std_q(z) - q_b) / mass;
    return std::clamp(r, 0.0, 1.0);
  }

  void build_lognormal(const dd::Params& p);
  void build_gamma(const dd::Params& p);
  void build_weibull(const dd::Params& p);
  void build_exponential(const dd::Params& p);
  void build_discrete(const dd::Params& p);
  void build_empirical(const dd::Params& p);
  void build_interpolated_empirical(const dd::Params& p);
  void build_trigen(const dd::Params& p);

  double triangle_cdf(double x) const {
    if (x <= a) return 0;
    if (x >= c) return 1;
    if (x <= m) return (x - a) * (x - a) / ((c - a) * (m - a));
    return 1.0 - (c - x) * (c - x) / ((c - a) * (c - m));
  }

  double triangle_quantile(double u) const {
    const double r = (m - a) / (c - a);
    const double x =
        u <= r ? a + std::sqrt(u * (c - a) * (m - a)) : c - std::sqrt((1.0 - u) * (c - a) * (c - m));
    return std::clamp(x, a, c);
  }
};

}  // namespace padsim
