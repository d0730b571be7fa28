#include "padsim/distribution.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <numbers>
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

#include "padsim/error.hpp"

namespace padsim {
namespace {

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

constexpr double kInf = std::numeric_limits<double>::infinity();

/// A number as the user wrote it: the shortest text that reads back to the same double.
std::string num(double x) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, result.ptr);
}

/// A computed number (a sum, a bound) without the last-bit noise of arithmetic.
std::string num12(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", x);
  return buf;
}

struct KindName {
  DistributionKind kind;
  const char* name;
};

constexpr KindName kKindNames[] = {
    {DistributionKind::kFixed, "fixed"},         {DistributionKind::kUniform, "uniform"},
    {DistributionKind::kTriangular, "triangular"}, {DistributionKind::kPert, "pert"},
    {DistributionKind::kNormal, "normal"},       {DistributionKind::kLognormal, "lognormal"},
    {DistributionKind::kGamma, "gamma"},         {DistributionKind::kWeibull, "weibull"},
    {DistributionKind::kExponential, "exponential"}, {DistributionKind::kDiscrete, "discrete"},
    {DistributionKind::kEmpirical, "empirical"}, {DistributionKind::kTrigen, "trigen"},
};

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
      const bool known = std::any_of(allowed.begin(), allowed.end(),
                                     [&](const char* a) { return name == a; });
      if (!known) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        fail("unknown parameter '" + name + "' (" +
             (list.empty() ? std::string("it takes no named parameters") : "allowed: " + list) +
             ")");
      }
      if (!std::isfinite(value)) fail(name + " " + num(value) + " is not a finite number");
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
    if (!(v > 0)) fail(std::string(name) + " " + num(v) + " must be positive");
    return v;
  }

  /// min <= mode <= max, naming the parameters as the kind spells them.
  void ordered(const char* lo_name, double lo, const char* mid_name, double mid,
               const char* hi_name, double hi) const {
    if (lo > hi) fail(std::string(lo_name) + " " + num(lo) + " is above " + hi_name + " " + num(hi));
    if (mid < lo)
      fail(std::string(mid_name) + " " + num(mid) + " is below " + lo_name + " " + num(lo));
    if (mid > hi)
      fail(std::string(mid_name) + " " + num(mid) + " is above " + hi_name + " " + num(hi));
  }

 private:
  const DistributionSpec& spec_;
  const char* kind_;
};

// Standard normal tails, each accurate far out (erfc does not cancel).
double std_phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }  // P(Z <= z)
double std_q(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }     // P(Z > z)
double std_pdf(double z) {
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
constexpr double kRejectionMinMass = 0.25;

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Kind names

const char* to_string(DistributionKind kind) noexcept {
  for (const auto& entry : kKindNames)
    if (entry.kind == kind) return entry.name;
  return "unknown";
}

DistributionKind distribution_kind_from_string(const std::string& name) {
  std::string valid;
  for (const auto& entry : kKindNames) {
    if (name == entry.name) return entry.kind;
    valid += (valid.empty() ? "" : ", ") + std::string(entry.name);
  }
  throw ParameterError("unknown distribution kind '" + name + "' (valid kinds: " + valid + ")");
}

// ---------------------------------------------------------------------------------------------------
// Spec shorthands

DistributionSpec DistributionSpec::fixed(double value) {
  DistributionSpec s;
  s.kind = DistributionKind::kFixed;
  s.params = {{"value", value}};
  return s;
}

DistributionSpec DistributionSpec::uniform(double min, double max) {
  DistributionSpec s;
  s.kind = DistributionKind::kUniform;
  s.params = {{"min", min}, {"max", max}};
  return s;
}

DistributionSpec DistributionSpec::triangular(double min, double mode, double max) {
  DistributionSpec s;
  s.kind = DistributionKind::kTriangular;
  s.params = {{"min", min}, {"mode", mode}, {"max", max}};
  return s;
}

DistributionSpec DistributionSpec::pert(double min, double mode, double max, double lambda) {
  DistributionSpec s;
  s.kind = DistributionKind::kPert;
  s.params = {{"min", min}, {"mode", mode}, {"max", max}, {"lambda", lambda}};
  return s;
}

// ---------------------------------------------------------------------------------------------------
// Impl: the validated spec plus everything sample() needs, computed once.

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
  double za = -kInf, zb = kInf;    // standardised bounds
  double phi_a = 0, q_a = 1;       // P(Z <= za), P(Z > za)
  double phi_b = 1, q_b = 0;       // P(Z <= zb), P(Z > zb)
  double mass = 1;                 // P(za < Z <= zb)

  // Discrete: distinct values of positive probability, ascending, with the cumulative probability.
  // Empirical: the sorted data (cum unused).
  std::vector<double> support;
  std::vector<double> cum;
  std::vector<double> draw_values;  // what the Discrete / UniformIndex sampler indexes

  Sampler sampler;

  explicit Impl(DistributionSpec s) : spec(std::move(s)) {
    const Params p(spec);
    switch (spec.kind) {
      case DistributionKind::kFixed: build_fixed(p); break;
      case DistributionKind::kUniform: build_uniform(p); break;
      case DistributionKind::kTriangular: build_triangular(p); break;
      case DistributionKind::kPert: build_pert(p); break;
      case DistributionKind::kNormal: build_normal(p); break;
      case DistributionKind::kLognormal: build_lognormal(p); break;
      case DistributionKind::kGamma: build_gamma(p); break;
      case DistributionKind::kWeibull: build_weibull(p); break;
      case DistributionKind::kExponential: build_exponential(p); break;
      case DistributionKind::kDiscrete: build_discrete(p); break;
      case DistributionKind::kEmpirical: build_empirical(p); break;
      case DistributionKind::kTrigen: build_trigen(p); break;
      default:
        throw ParameterError("unknown distribution kind " +
                             std::to_string(static_cast<int>(spec.kind)));
    }
  }

  void set_fixed(double v) {
    fixed = true;
    lo = hi = mean = mode = v;
    variance = 0;
  }

  void build_fixed(const Params& p) {
    p.allow({"value"});
    p.no_lists();
    set_fixed(p.get("value"));
  }

  void build_uniform(const Params& p) {
    p.allow({"min", "max"});
    p.no_lists();
    a = p.get("min");
    c = p.get("max");
    if (a > c) p.fail("min " + num(a) + " is above max " + num(c));
    if (a == c) return set_fixed(a);
    lo = a;
    hi = c;
    mean = mode = 0.5 * (a + c);
    variance = (c - a) * (c - a) / 12.0;
    sampler = Uniform(a, c);
  }

  void set_triangle(double min, double mode_value, double max) {
    a = min;
    m = mode_value;
    c = max;
    lo = a;
    hi = c;
    mode = m;
    mean = (a + m + c) / 3.0;
    variance = (a * a + m * m + c * c - a * m - a * c - m * c) / 18.0;
    sampler = Triangle(a, m, c);
  }

  void build_triangular(const Params& p) {
    p.allow({"min", "mode", "max"});
    p.no_lists();
    const double min = p.get("min"), mode_value = p.get("mode"), max = p.get("max");
    p.ordered("min", min, "mode", mode_value, "max", max);
    if (min == max) return set_fixed(min);
    set_triangle(min, mode_value, max);
  }

  void build_pert(const Params& p) {
    p.allow({"min", "mode", "max", "lambda"});
    p.no_lists();
    a = p.get("min");
    m = p.get("mode");
    c = p.get("max");
    const double lambda = p.get_or("lambda", 4.0);
    if (!(lambda > 0)) p.fail("lambda " + num(lambda) + " must be positive");
    p.ordered("min", a, "mode", m, "max", c);
    if (a == c) return set_fixed(a);
    const double range = c - a;
    alpha = 1.0 + lambda * (m - a) / range;
    beta = 1.0 + lambda * (c - m) / range;
    lo = a;
    hi = c;
    mode = m;
    mean = a + range * alpha / (alpha + beta);
    const double s = alpha + beta;
    variance = range * range * alpha * beta / (s * s * (s + 1.0));
    sampler = Beta(alpha, beta);
  }

  void build_normal(const Params& p) {
    p.allow({"mean", "sd", "min", "max"});
    p.no_lists();
    mu = p.get("mean");
    sigma = p.positive("sd");
    truncated = p.has("min") || p.has("max");
    const double min = p.get_or("min", -kInf), max = p.get_or("max", kInf);
    lo = min;
    hi = max;
    sampler = Normal(mu, sigma);
    if (!truncated) {
      mean = mode = mu;
      variance = sigma * sigma;
      return;
    }
    if (!(min < max)) p.fail("min " + num(min) + " must be below max " + num(max));
    za = (min - mu) / sigma;
    zb = (max - mu) / sigma;
    phi_a = std_phi(za);
    q_a = std_q(za);
    phi_b = std_phi(zb);
    q_b = std_q(zb);
    // The difference is taken in the tail where both terms are small, so it does not cancel.
    if (za >= 0)
      mass = q_a - q_b;
    else if (zb <= 0)
      mass = phi_b - phi_a;
    else
      mass = 1.0 - phi_a - q_b;
    if (!(mass >= std::numeric_limits<double>::min()))
      p.fail("the range [" + num(min) + ", " + num(max) + "] has no probability under normal(" +
             num(mu) + ", " + num(sigma) + ")");
    rejection = mass >= kRejectionMinMass;
    const double pdf_a = std_pdf(za), pdf_b = std_pdf(zb);
    const double shift = (pdf_a - pdf_b) / mass;
    const double za_pdf = std::isinf(za) ? 0.0 : za * pdf_a;
    const double zb_pdf = std::isinf(zb) ? 0.0 : zb * pdf_b;
    mean = std::clamp(mu + sigma * shift, min, max);
    variance = sigma * sigma * std::max(0.0, 1.0 + (za_pdf - zb_pdf) / mass - shift * shift);
    mode = std::clamp(mu, min, max);
  }

  /// Truncated normal quantile. Works in whichever tail the answer lies, so it stays exact far out.
  double truncated_normal_quantile(double u) const {
    const double below = phi_a + u * mass;          // P(Z <= z)
    const double above = q_b + (1.0 - u) * mass;    // P(Z > z)
    const MathNormal standard(0.0, 1.0);
    double z;
    if (below < above) {
      if (!(below > 0)) return lo;
      z = bm::quantile(standard, below);
    } else {
      if (!(above > 0)) return hi;
      z = bm::quantile(bm::complement(standard, above));
    }
    return std::clamp(mu + sigma * z, lo, hi);
  }

  double truncated_normal_cdf(double x) const {
    const double z = (x - mu) / sigma;
    double r;
    if (z < 0)
      r = (std_phi(z) - phi_a) / mass;
    else if (za >= 0)
      r = (q_a - std_q(z)) / mass;
    else
      r = 1.0 - (std_q(z) - q_b) / mass;
    return std::clamp(r, 0.0, 1.0);
  }

  void build_lognormal(const Params& p) {
    p.allow({"mean", "sd", "low", "low_pct", "high", "high_pct"});
    p.no_lists();
    const bool moments = p.has("mean") || p.has("sd");
    const bool percentiles = p.has("low") || p.has("low_pct") || p.has("high") || p.has("high_pct");
    if (moments && percentiles)
      p.fail("give either mean and sd, or low, low_pct, high and high_pct, not a mix");
    if (!moments && !percentiles)
      p.fail("missing parameters: give mean and sd, or low, low_pct, high and high_pct");
    if (moments) {
      const double mean_x = p.positive("mean"), sd_x = p.positive("sd");
      const double s2 = std::log1p((sd_x / mean_x) * (sd_x / mean_x));
      sigma = std::sqrt(s2);
      mu = std::log(mean_x) - 0.5 * s2;
      mean = mean_x;
      variance = sd_x * sd_x;
    } else {
      const double low = p.get("low"), low_pct = p.get("low_pct");
      const double high = p.get("high"), high_pct = p.get("high_pct");
      for (const auto& [name, pct] : {std::pair{"low_pct", low_pct}, std::pair{"high_pct", high_pct}})
        if (!(pct > 0 && pct < 100))
          p.fail(std::string(name) + " " + num(pct) + " must be in (0, 100)");
      if (!(low_pct < high_pct))
        p.fail("low_pct " + num(low_pct) + " must be below high_pct " + num(high_pct));
      if (!(low > 0)) p.fail("low " + num(low) + " must be positive");
      if (!(low < high)) p.fail("low " + num(low) + " must be below high " + num(high));
      const MathNormal standard(0.0, 1.0);
      const double z_low = bm::quantile(standard, low_pct / 100.0);
      const double z_high = bm::quantile(standard, high_pct / 100.0);
      sigma = (std::log(high) - std::log(low)) / (z_high - z_low);
      mu = std::log(low) - sigma * z_low;
      const double s2 = sigma * sigma;
      mean = std::exp(mu + 0.5 * s2);
      variance = std::expm1(s2) * std::exp(2.0 * mu + s2);
    }
    lo = 0;
    hi = kInf;
    mode = std::exp(mu - sigma * sigma);
    sampler = Lognormal(mu, sigma);
  }

  void build_gamma(const Params& p) {
    p.allow({"shape", "scale", "mean", "sd"});
    p.no_lists();
    const bool natural = p.has("shape") || p.has("scale");
    const bool moments = p.has("mean") || p.has("sd");
    if (natural && moments) p.fail("give either shape and scale, or mean and sd, not a mix");
    if (!natural && !moments) p.fail("missing parameters: give shape and scale, or mean and sd");
    if (natural) {
      shape = p.positive("shape");
      scale = p.positive("scale");
      mean = shape * scale;
      variance = shape * scale * scale;
    } else {
      const double mean_x = p.positive("mean"), sd_x = p.positive("sd");
      shape = (mean_x / sd_x) * (mean_x / sd_x);
      scale = sd_x * sd_x / mean_x;
      mean = mean_x;
      variance = sd_x * sd_x;
    }
    lo = 0;
    hi = kInf;
    mode = shape >= 1 ? (shape - 1) * scale : 0.0;
    sampler = Gamma(shape, scale);
  }

  void build_weibull(const Params& p) {
    p.allow({"shape", "scale"});
    p.no_lists();
    shape = p.positive("shape");
    scale = p.positive("scale");
    const double g1 = std::tgamma(1.0 + 1.0 / shape), g2 = std::tgamma(1.0 + 2.0 / shape);
    mean = scale * g1;
    variance = scale * scale * (g2 - g1 * g1);
    mode = shape > 1 ? scale * std::pow((shape - 1) / shape, 1.0 / shape) : 0.0;
    lo = 0;
    hi = kInf;
    sampler = Weibull(shape, scale);
  }

  void build_exponential(const Params& p) {
    p.allow({"mean", "rate"});
    p.no_lists();
    if (p.has("mean") && p.has("rate")) p.fail("give exactly one of mean and rate, not both");
    if (!p.has("mean") && !p.has("rate")) p.fail("missing parameter 'mean' (or 'rate')");
    if (p.has("mean")) {
      mean = p.positive("mean");
      rate = 1.0 / mean;
    } else {
      rate = p.positive("rate");
      mean = 1.0 / rate;
    }
    variance = mean * mean;
    mode = 0;
    lo = 0;
    hi = kInf;
    sampler = Exponential(rate);
  }

  void build_discrete(const Params& p) {
    p.allow({});
    const auto& values = spec.values;
    const auto& probs = spec.probabilities;
    if (values.empty()) p.fail("needs at least one value");
    if (values.size() != probs.size())
      p.fail(std::to_string(values.size()) + " values but " + std::to_string(probs.size()) +
             " probabilities");
    double sum = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!std::isfinite(values[i])) p.fail("value " + num(values[i]) + " is not a finite number");
      if (!std::isfinite(probs[i]))
        p.fail("probability " + num(probs[i]) + " of value " + num(values[i]) +
               " is not a finite number");
      if (probs[i] < 0 || probs[i] > 1)
        p.fail("probability " + num(probs[i]) + " of value " + num(values[i]) +
               " is outside [0, 1]");
      sum += probs[i];
    }
    if (std::abs(sum - 1.0) > 1e-9) p.fail("probabilities sum to " + num12(sum) + ", not 1");

    // Normalise by the sum so cdf, quantile and moments match what the sampler draws.
    std::vector<std::pair<double, double>> pairs;  // (value, probability), positive only
    std::vector<double> weights;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (probs[i] <= 0) continue;
      pairs.emplace_back(values[i], probs[i] / sum);
      draw_values.push_back(values[i]);
      weights.push_back(probs[i]);
    }
    // Most probable value, first in spec order on ties (equal values pooled).
    double best_p = -1;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      double pooled = 0;
      for (const auto& [v, q] : pairs)
        if (v == pairs[i].first) pooled += q;
      if (pooled > best_p) {
        best_p = pooled;
        mode = pairs[i].first;
      }
    }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    double acc = 0;
    for (const auto& [v, q] : pairs) {
      acc += q;
      if (!support.empty() && support.back() == v) {
        cum.back() = acc;
      } else {
        support.push_back(v);
        cum.push_back(acc);
      }
    }
    cum.back() = 1.0;
    mean = 0;
    for (const auto& [v, q] : pairs) mean += q * v;
    variance = 0;
    for (const auto& [v, q] : pairs) variance += q * (v - mean) * (v - mean);
    lo = support.front();
    hi = support.back();
    if (support.size() == 1) return set_fixed(support.front());
    sampler = Discrete(weights.begin(), weights.end());
  }

  void build_empirical(const Params& p) {
    p.allow({});
    if (!spec.probabilities.empty())
      p.fail("takes no probabilities (got " + std::to_string(spec.probabilities.size()) + ")");
    if (spec.values.empty()) p.fail("needs at least 1 data point");
    for (double v : spec.values)
      if (!std::isfinite(v)) p.fail("data point " + num(v) + " is not a finite number");
    support = spec.values;
    std::sort(support.begin(), support.end());
    const std::size_t n = support.size();
    mean = 0;
    for (double v : support) mean += v;
    mean /= static_cast<double>(n);
    variance = 0;
    for (double v : support) variance += (v - mean) * (v - mean);
    variance /= static_cast<double>(n);  // the empirical distribution itself, not an estimate
    mode = n % 2 == 1 ? support[n / 2] : 0.5 * (support[n / 2 - 1] + support[n / 2]);
    lo = support.front();
    hi = support.back();
    if (lo == hi) return set_fixed(lo);
    draw_values = support;
    sampler = UniformIndex(0, n - 1);
  }

  void build_trigen(const Params& p) {
    p.allow({"low", "mode", "high", "low_pct", "high_pct"});
    p.no_lists();
    const double low = p.get("low"), mode_value = p.get("mode"), high = p.get("high");
    const double low_pct = p.get("low_pct"), high_pct = p.get("high_pct");
    p.ordered("low", low, "mode", mode_value, "high", high);
    for (const auto& [name, pct] : {std::pair{"low_pct", low_pct}, std::pair{"high_pct", high_pct}})
      if (!(pct >= 0 && pct <= 100)) p.fail(std::string(name) + " " + num(pct) + " must be in [0, 100]");
    if (!(low_pct < high_pct))
      p.fail("low_pct " + num(low_pct) + " must be below high_pct " + num(high_pct));
    // A triangular with positive density on (min, max) has distinct percentiles unless min == max.
    if (low == high) return set_fixed(low);

    // With r = F(mode) and w = max - min, the percentile equations become
    //   mode - low  = w * g1(r),  g1(r) = r - sqrt(p r)
    //   high - mode = w * g2(r),  g2(r) = (1 - r) - sqrt((1 - q)(1 - r))
    // for r in [p, q]. g1 / g2 rises strictly from 0 to infinity there, so the ratio
    // (mode - low) / (high - mode) fixes r uniquely: bisect h(r) = dl g2(r) - dh g1(r) (decreasing).
    // g1 and g2 are written without the sqrt(r) - sqrt(p) cancellation.
    const double pl = low_pct / 100.0, ph = high_pct / 100.0;
    const double dl = mode_value - low, dh = high - mode_value;
    const auto g1 = [pl](double r) {
      return r == pl ? 0.0 : std::sqrt(r) * (r - pl) / (std::sqrt(r) + std::sqrt(pl));
    };
    const auto g2 = [ph](double r) {
      return r == ph ? 0.0
                     : std::sqrt(1.0 - r) * (ph - r) / (std::sqrt(1.0 - r) + std::sqrt(1.0 - ph));
    };
    double r;
    if (dl == 0) {
      r = pl;
    } else if (dh == 0) {
      r = ph;
    } else {
      double r_lo = pl, r_hi = ph;
      for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (r_lo + r_hi);
        if (mid <= r_lo || mid >= r_hi) break;
        if (dl * g2(mid) - dh * g1(mid) > 0)
          r_lo = mid;
        else
          r_hi = mid;
      }
      r = 0.5 * (r_lo + r_hi);
    }
    const double w = (high - low) / (g1(r) + g2(r));
    // The ends where a percentile is 0 or 100 are the given bounds exactly.
    const double min = pl == 0 ? low : mode_value - r * w;
    const double max = ph == 1 ? high : mode_value + (1.0 - r) * w;
    set_triangle(std::min(min, low), mode_value, std::max(max, high));
  }

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

// ---------------------------------------------------------------------------------------------------
// Distribution

Distribution::Distribution() {
  static const std::shared_ptr<const Impl> zero =
      std::make_shared<const Impl>(DistributionSpec::fixed(0.0));
  impl_ = zero;
}

Distribution::Distribution(const DistributionSpec& spec) : impl_(std::make_shared<const Impl>(spec)) {}

DistributionKind Distribution::kind() const noexcept { return impl_->spec.kind; }
const DistributionSpec& Distribution::spec() const noexcept { return impl_->spec; }

double Distribution::sample(Rng& rng) const {
  const Impl& d = *impl_;
  if (d.fixed) return d.lo;
  switch (d.spec.kind) {
    case DistributionKind::kUniform: return draw<Uniform>(d.sampler, rng);
    case DistributionKind::kTriangular:
    case DistributionKind::kTrigen: return draw<Triangle>(d.sampler, rng);
    case DistributionKind::kPert:
      return std::min(d.c, d.a + (d.c - d.a) * draw<Beta>(d.sampler, rng));
    case DistributionKind::kNormal:
      if (!d.truncated) return draw<Normal>(d.sampler, rng);
      if (d.rejection) {
        // Exact: the conditional law of a normal draw given that it lands in the range.
        for (;;) {
          const double x = draw<Normal>(d.sampler, rng);
          if (x >= d.lo && x <= d.hi) return x;
        }
      }
      return d.truncated_normal_quantile(rng.uniform01());
    case DistributionKind::kLognormal: return draw<Lognormal>(d.sampler, rng);
    case DistributionKind::kGamma: return draw<Gamma>(d.sampler, rng);
    case DistributionKind::kWeibull: return draw<Weibull>(d.sampler, rng);
    case DistributionKind::kExponential: return draw<Exponential>(d.sampler, rng);
    case DistributionKind::kDiscrete:
      return d.draw_values[std::get<Discrete>(d.sampler)(rng)];
    case DistributionKind::kEmpirical:
      return d.draw_values[std::get<UniformIndex>(d.sampler)(rng)];
    case DistributionKind::kFixed: break;
  }
  return d.lo;
}

double Distribution::quantile(double p) const {
  const Impl& d = *impl_;
  if (!(p >= 0 && p <= 1))
    throw ParameterError(std::string(to_string(d.spec.kind)) + ": quantile probability " + num(p) +
                         " is outside [0, 1]");
  if (d.fixed) return d.lo;
  if (p == 0) return d.lo;
  if (p == 1) return d.hi;
  switch (d.spec.kind) {
    case DistributionKind::kUniform: return std::min(d.c, d.a + p * (d.c - d.a));
    case DistributionKind::kTriangular:
    case DistributionKind::kTrigen: return d.triangle_quantile(p);
    case DistributionKind::kPert:
      return std::clamp(d.a + (d.c - d.a) * bm::quantile(MathBeta(d.alpha, d.beta), p), d.a, d.c);
    case DistributionKind::kNormal:
      if (d.truncated) return d.truncated_normal_quantile(p);
      return bm::quantile(MathNormal(d.mu, d.sigma), p);
    case DistributionKind::kLognormal: return bm::quantile(MathLognormal(d.mu, d.sigma), p);
    case DistributionKind::kGamma: return bm::quantile(MathGamma(d.shape, d.scale), p);
    case DistributionKind::kWeibull: return bm::quantile(MathWeibull(d.shape, d.scale), p);
    case DistributionKind::kExponential: return -std::log1p(-p) / d.rate;
    case DistributionKind::kDiscrete: {
      // Generalised inverse: the smallest value whose cdf reaches p.
      const auto it = std::lower_bound(d.cum.begin(), d.cum.end(), p);
      return it == d.cum.end() ? d.support.back() : d.support[it - d.cum.begin()];
    }
    case DistributionKind::kEmpirical: {
      // Smallest k with k/n >= p, computed exactly as cdf() computes k/n so that the two agree.
      const std::size_t n = d.support.size();
      const double nd = static_cast<double>(n);
      auto k = static_cast<std::size_t>(std::ceil(p * nd));
      k = std::clamp<std::size_t>(k, 1, n);
      while (k > 1 && static_cast<double>(k - 1) / nd >= p) --k;
      while (k < n && static_cast<double>(k) / nd < p) ++k;
      return d.support[k - 1];
    }
    case DistributionKind::kFixed: break;
  }
  return d.lo;
}

double Distribution::cdf(double x) const {
  const Impl& d = *impl_;
  if (std::isnan(x)) return x;
  if (x < d.lo) return 0;
  if (x >= d.hi) return 1;
  switch (d.spec.kind) {
    case DistributionKind::kUniform: return (x - d.a) / (d.c - d.a);
    case DistributionKind::kTriangular:
    case DistributionKind::kTrigen: return d.triangle_cdf(x);
    case DistributionKind::kPert: return bm::cdf(MathBeta(d.alpha, d.beta), (x - d.a) / (d.c - d.a));
    case DistributionKind::kNormal:
      if (d.truncated) return d.truncated_normal_cdf(x);
      return bm::cdf(MathNormal(d.mu, d.sigma), x);
    case DistributionKind::kLognormal: return bm::cdf(MathLognormal(d.mu, d.sigma), x);
    case DistributionKind::kGamma: return bm::cdf(MathGamma(d.shape, d.scale), x);
    case DistributionKind::kWeibull: return bm::cdf(MathWeibull(d.shape, d.scale), x);
    case DistributionKind::kExponential: return -std::expm1(-d.rate * x);
    case DistributionKind::kDiscrete: {
      const auto it = std::upper_bound(d.support.begin(), d.support.end(), x);
      return it == d.support.begin() ? 0.0 : d.cum[(it - d.support.begin()) - 1];
    }
    case DistributionKind::kEmpirical: {
      const auto it = std::upper_bound(d.support.begin(), d.support.end(), x);
      return static_cast<double>(it - d.support.begin()) / static_cast<double>(d.support.size());
    }
    case DistributionKind::kFixed: break;
  }
  return 1;
}

double Distribution::mean() const { return impl_->mean; }
double Distribution::variance() const { return impl_->variance; }
double Distribution::mode() const { return impl_->mode; }
double Distribution::lower() const { return impl_->lo; }
double Distribution::upper() const { return impl_->hi; }
bool Distribution::is_fixed() const noexcept { return impl_->fixed; }

std::string Distribution::describe() const {
  const Impl& d = *impl_;
  const auto& params = d.spec.params;
  const auto get = [&](const char* name) { return num(params.at(name)); };
  const auto has = [&](const char* name) { return params.count(name) != 0; };
  const std::string kind = to_string(d.spec.kind);
  switch (d.spec.kind) {
    case DistributionKind::kFixed: return kind + "(" + get("value") + ")";
    case DistributionKind::kUniform: return kind + "(" + get("min") + ", " + get("max") + ")";
    case DistributionKind::kTriangular:
      return kind + "(" + get("min") + ", " + get("mode") + ", " + get("max") + ")";
    case DistributionKind::kPert: {
      std::string s = kind + "(" + get("min") + ", " + get("mode") + ", " + get("max");
      if (has("lambda") && params.at("lambda") != 4.0) s += ", lambda=" + get("lambda");
      return s + ")";
    }
    case DistributionKind::kNormal: {
      std::string s = kind + "(" + get("mean") + ", " + get("sd");
      if (has("min")) s += ", min=" + get("min");
      if (has("max")) s += ", max=" + get("max");
      return s + ")";
    }
    case DistributionKind::kLognormal:
      if (has("mean")) return kind + "(mean=" + get("mean") + ", sd=" + get("sd") + ")";
      return kind + "(P" + get("low_pct") + "=" + get("low") + ", P" + get("high_pct") + "=" +
             get("high") + ")";
    case DistributionKind::kGamma:
    case DistributionKind::kWeibull:
      if (has("shape")) return kind + "(shape=" + get("shape") + ", scale=" + get("scale") + ")";
      return kind + "(mean=" + get("mean") + ", sd=" + get("sd") + ")";
    case DistributionKind::kExponential:
      if (has("mean")) return kind + "(mean=" + get("mean") + ")";
      return kind + "(rate=" + get("rate") + ")";
    case DistributionKind::kDiscrete: {
      std::string s = kind + "(";
      const std::size_t n = d.spec.values.size(), shown = std::min<std::size_t>(n, 6);
      for (std::size_t i = 0; i < shown; ++i)
        s += (i ? ", " : "") + num(d.spec.values[i]) + ": " + num(d.spec.probabilities[i]);
      if (shown < n) s += ", ... " + std::to_string(n - shown) + " more";
      return s + ")";
    }
    case DistributionKind::kEmpirical:
      return kind + "(n=" + std::to_string(d.spec.values.size()) + ", min=" + num(d.lo) +
             ", max=" + num(d.hi) + ")";
    case DistributionKind::kTrigen:
      return kind + "(" + get("low") + ", " + get("mode") + ", " + get("high") + ", " +
             get("low_pct") + ", " + get("high_pct") + ")";
  }
  return kind;
}

}  // namespace padsim
