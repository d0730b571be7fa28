#include "padsim/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "distribution_impl.hpp"
#include "padsim/error.hpp"
#include "padsim/format.hpp"

namespace padsim {

using namespace distribution_detail;

namespace {

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

// ---------------------------------------------------------------------------------------------------
// Impl: the validated spec plus everything sample() needs, computed once.

Distribution::Impl::Impl(DistributionSpec s) : spec(std::move(s)) {
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

void Distribution::Impl::build_fixed(const Params& p) {
  p.allow({"value"});
  p.no_lists();
  set_fixed(p.get("value"));
}

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
      if (d.interpolated) return d.knot_quantile(rng.uniform01());
      return d.draw_values[std::get<UniformIndex>(d.sampler)(rng)];
    case DistributionKind::kFixed: break;
  }
  return d.lo;
}

double Distribution::quantile(double p) const {
  const Impl& d = *impl_;
  if (!(p >= 0 && p <= 1))
    throw ParameterError(std::string(to_string(d.spec.kind)) + ": quantile probability " + format_number(p) +
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
      if (d.interpolated) return d.knot_quantile(p);
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
      if (d.interpolated) {
        // x lies in [support[j], support[j + 1]) with j the last knot at or below it.
        const auto j = static_cast<std::size_t>(it - d.support.begin()) - 1;
        const double w = 1.0 / static_cast<double>(d.support.size() - 1);
        return w * (static_cast<double>(j) + (x - d.support[j]) / (d.support[j + 1] - d.support[j]));
      }
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
  const auto get = [&](const char* name) { return format_number(params.at(name)); };
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
        s += (i ? ", " : "") + format_number(d.spec.values[i]) + ": " + format_number(d.spec.probabilities[i]);
      if (shown < n) s += ", ... " + std::to_string(n - shown) + " more";
      return s + ")";
    }
    case DistributionKind::kEmpirical:
      return kind + "(n=" + std::to_string(d.spec.values.size()) + ", min=" + format_number(d.lo) +
             ", max=" + format_number(d.hi) + (d.interpolated ? ", interpolated)" : ")");
    case DistributionKind::kTrigen:
      return kind + "(" + get("low") + ", " + get("mode") + ", " + get("high") + ", " +
             get("low_pct") + ", " + get("high_pct") + ")";
  }
  return kind;
}

}  // namespace padsim
