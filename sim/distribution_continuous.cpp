// The builders of the continuous kinds: uniform, triangular, pert, normal (truncated or not),
// lognormal, gamma, weibull, exponential and trigen.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "distribution_impl.hpp"
#include "padsim/error.hpp"
#include "padsim/format.hpp"

namespace padsim {

using namespace distribution_detail;

void Distribution::Impl::build_uniform(const Params& p) {
  p.allow({"min", "max"});
  p.no_lists();
  a = p.get("min");
  c = p.get("max");
  if (a > c) p.fail("min " + format_number(a) + " is above max " + format_number(c));
  if (a == c) return set_fixed(a);
  lo = a;
  hi = c;
  mean = mode = 0.5 * (a + c);
  variance = (c - a) * (c - a) / 12.0;
  sampler = Uniform(a, c);
}

void Distribution::Impl::set_triangle(double min, double mode_value, double max) {
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

void Distribution::Impl::build_triangular(const Params& p) {
  p.allow({"min", "mode", "max"});
  p.no_lists();
  const double min = p.get("min"), mode_value = p.get("mode"), max = p.get("max");
  p.ordered("min", min, "mode", mode_value, "max", max);
  if (min == max) return set_fixed(min);
  set_triangle(min, mode_value, max);
}

void Distribution::Impl::build_pert(const Params& p) {
  p.allow({"min", "mode", "max", "lambda"});
  p.no_lists();
  a = p.get("min");
  m = p.get("mode");
  c = p.get("max");
  const double lambda = p.get_or("lambda", 4.0);
  if (!(lambda > 0)) p.fail("lambda " + format_number(lambda) + " must be positive");
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

void Distribution::Impl::build_normal(const Params& p) {
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
  if (!(min < max)) p.fail("min " + format_number(min) + " must be below max " + format_number(max));
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
    p.fail("the range [" + format_number(min) + ", " + format_number(max) + "] has no probability under normal(" +
           format_number(mu) + ", " + format_number(sigma) + ")");
  rejection = mass >= kRejectionMinMass;
  const double pdf_a = std_pdf(za), pdf_b = std_pdf(zb);
  const double shift = (pdf_a - pdf_b) / mass;
  const double za_pdf = std::isinf(za) ? 0.0 : za * pdf_a;
  const double zb_pdf = std::isinf(zb) ? 0.0 : zb * pdf_b;
  mean = std::clamp(mu + sigma * shift, min, max);
  variance = sigma * sigma * std::max(0.0, 1.0 + (za_pdf - zb_pdf) / mass - shift * shift);
  mode = std::clamp(mu, min, max);
}

void Distribution::Impl::build_lognormal(const Params& p) {
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
        p.fail(std::string(name) + " " + format_number(pct) + " must be in (0, 100)");
    if (!(low_pct < high_pct))
      p.fail("low_pct " + format_number(low_pct) + " must be below high_pct " + format_number(high_pct));
    if (!(low > 0)) p.fail("low " + format_number(low) + " must be positive");
    if (!(low < high)) p.fail("low " + format_number(low) + " must be below high " + format_number(high));
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

void Distribution::Impl::build_gamma(const Params& p) {
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

void Distribution::Impl::build_weibull(const Params& p) {
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

void Distribution::Impl::build_exponential(const Params& p) {
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

void Distribution::Impl::build_trigen(const Params& p) {
  p.allow({"low", "mode", "high", "low_pct", "high_pct"});
  p.no_lists();
  const double low = p.get("low"), mode_value = p.get("mode"), high = p.get("high");
  const double low_pct = p.get("low_pct"), high_pct = p.get("high_pct");
  p.ordered("low", low, "mode", mode_value, "high", high);
  for (const auto& [name, pct] : {std::pair{"low_pct", low_pct}, std::pair{"high_pct", high_pct}})
    if (!(pct >= 0 && pct <= 100)) p.fail(std::string(name) + " " + format_number(pct) + " must be in [0, 100]");
  if (!(low_pct < high_pct))
    p.fail("low_pct " + format_number(low_pct) + " must be below high_pct " + format_number(high_pct));
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

}  // namespace padsim
