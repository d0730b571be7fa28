// Fitting distributions to expert judgement (exact quantile matching) and to data (maximum
// likelihood), with Kolmogorov-Smirnov and Anderson-Darling statistics.
#include "padsim/fit.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>

#include <Eigen/Dense>
#include <boost/math/distributions/normal.hpp>

#include "padsim/format.hpp"
#include "padsim/rng.hpp"
#include "fit_detail.hpp"

namespace padsim {

namespace {

using detail::Params;
constexpr double kInf = std::numeric_limits<double>::infinity();

double z_of(double p) { return boost::math::quantile(boost::math::normal_distribution<double>(), p); }

/// Residuals of the family's quantiles at the given (level, value) pairs, relative to `scale`.
Eigen::VectorXd quantile_residuals(FitFamily family, const Params& theta,
                                   const std::vector<std::pair<double, double>>& targets, double scale) {
  Eigen::VectorXd r(static_cast<Eigen::Index>(targets.size()));
  const auto d = detail::make(family, theta);
  for (std::size_t i = 0; i < targets.size(); ++i)
    r[static_cast<Eigen::Index>(i)] = d ? (d->quantile(targets[i].first) - targets[i].second) / scale : kInf;
  return r;
}

/// Newton's method on a square system of quantile residuals, with a numeric Jacobian and step
/// halving: from a start near the answer it meets the targets to rounding.
Params newton(FitFamily family, Params theta, const std::vector<std::pair<double, double>>& targets, double scale) {
  const auto n = static_cast<Eigen::Index>(theta.size());
  Eigen::VectorXd r = quantile_residuals(family, theta, targets, scale);
  for (int iteration = 0; iteration < 100 && r.allFinite() && r.lpNorm<Eigen::Infinity>() > 1e-14; ++iteration) {
    Eigen::MatrixXd jacobian(n, n);
    for (Eigen::Index j = 0; j < n; ++j) {
      const double h = 1e-7 * std::max(1.0, std::abs(theta[static_cast<std::size_t>(j)]));
      Params up = theta, down = theta;
      up[static_cast<std::size_t>(j)] += h;
      down[static_cast<std::size_t>(j)] -= h;
      jacobian.col(j) = (quantile_residuals(family, up, targets, scale) -
                         quantile_residuals(family, down, targets, scale)) / (2 * h);
    }
    if (!jacobian.allFinite()) break;
    const Eigen::VectorXd step = jacobian.fullPivLu().solve(-r);
    double t = 1.0;
    bool improved = false;
    for (int halving = 0; halving < 40; ++halving, t /= 2) {
      Params next = theta;
      for (Eigen::Index j = 0; j < n; ++j) next[static_cast<std::size_t>(j)] += t * step[j];
      const Eigen::VectorXd rn = quantile_residuals(family, next, targets, scale);
      if (rn.allFinite() && rn.norm() < r.norm()) {
        theta = next;
        r = rn;
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  return theta;
}

/// A starting point for a two-parameter family from two (level, value) pairs.
std::optional<Params> two_point_start(FitFamily family, std::pair<double, double> a, std::pair<double, double> b) {
  const double za = z_of(a.first), zb = z_of(b.first);
  switch (family) {
    case FitFamily::kLognormal:
    case FitFamily::kGamma: {
      if (a.second <= 0) return std::nullopt;
      const double sigma = (std::log(b.second) - std::log(a.second)) / (zb - za);
      const double mu = std::log(a.second) - sigma * za;
      if (family == FitFamily::kLognormal) return Params{mu, std::log(sigma)};
      const double mean = std::exp(mu + sigma * sigma / 2), var = mean * mean * std::expm1(sigma * sigma);
      return Params{std::log(mean * mean / var), std::log(var / mean)};
    }
    case FitFamily::kWeibull: {
      if (a.second <= 0) return std::nullopt;
      const double k = std::log(std::log1p(-b.first) / std::log1p(-a.first)) / std::log(b.second / a.second);
      const double lambda = a.second / std::pow(-std::log1p(-a.first), 1.0 / k);
      return Params{std::log(k), std::log(lambda)};
    }
    case FitFamily::kNormal: {
      if (b.second <= 0) return std::nullopt;
      const double sigma = (b.second - a.second) / (zb - za);
      return Params{a.second - sigma * za, std::log(sigma)};
    }
    default: return std::nullopt;
  }
}

Fit expert_fit(FitFamily family, const ExpertJudgement& e) {
  Fit fit;
  fit.family = family;
  fit.parameters = detail::parameter_count(family);
  const auto& ps = e.percentiles;
  // The span of what was given, the scale of "meets a value" (1e-6 of it).
  const double lo = e.min ? *e.min : ps.empty() ? 0.0 : ps.front().second;
  const double hi = e.max ? *e.max : ps.empty() ? 1.0 : ps.back().second;
  const double tolerance = 1e-6 * std::max(1e-300, hi - lo);
  auto done = [&](const std::optional<Distribution>& d, const std::vector<std::pair<double, double>>& given) {
    if (!d) {
      fit.note = "no parameters of this family meet the values";
      return fit;
    }
    fit.ok = true;
    fit.distribution = *d;
    for (const auto& [p, x] : given) {
      const double q = d->quantile(p);
      fit.fitted_percentiles.emplace_back(p, q);
      fit.max_error = std::max(fit.max_error, std::abs(q - x));
    }
    fit.exact = fit.max_error <= tolerance;
    return fit;
  };
  const bool triple = e.min && e.mode && e.max;
  if (family == FitFamily::kTriangular || family == FitFamily::kPert) {
    if (triple && ps.empty()) return done(detail::make(family, {*e.min, *e.mode, *e.max}), {});
    if (ps.size() != 3 || e.min || e.mode || e.max) {
      fit.note = "needs min, mode and max, or exactly three percentiles";
      return fit;
    }
    const double scale = ps.back().second - ps.front().second;
    const Params start{ps[0].second - 0.3 * scale, ps[1].second, ps[2].second + 0.3 * scale};
    Fit out = done(detail::make(family, newton(family, start, ps, scale)), ps);
    if (out.ok && !out.exact)
      out.note = "no parameters of this family meet all three values; the closest found";
    return out;
  }
  if (family == FitFamily::kTrigen) {
    if (!e.mode || ps.size() != 2) {
      fit.note = "needs a mode and two percentiles";
      return fit;
    }
    return done(detail::make_trigen(ps[0], *e.mode, ps[1]), ps);
  }
  if (ps.size() < 2) {
    fit.note = "needs two or more percentiles";
    return fit;
  }
  // Two parameters: met exactly at the outermost two percentiles; the others show the error.
  const auto start = two_point_start(family, ps.front(), ps.back());
  if (!start) {
    fit.note = family == FitFamily::kNormal ? "needs a positive upper percentile" : "needs positive values";
    return fit;
  }
  const std::vector<std::pair<double, double>> outer{ps.front(), ps.back()};
  const Params theta = newton(family, *start, outer, ps.back().second - ps.front().second);
  Fit out = done(detail::make(family, theta), ps);
  if (out.ok && std::abs(out.fitted_percentiles.front().second - ps.front().second) +
                        std::abs(out.fitted_percentiles.back().second - ps.back().second) >
                    tolerance) {
    out.ok = false;
    out.note = "cannot meet the outermost percentiles";
  }
  if (out.ok && e.mode) out.note = "the mode is not used (two parameters)";
  return out;
}

}  // namespace

ExpertJudgement parse_expert_judgement(std::string_view text, const SourcePosition& where) {
  auto fail = [&](std::size_t at, const std::string& message) {
    SourcePosition p = where;
    if (p.line == 0) p.line = 1;
    p.column = std::max(1, p.column) + static_cast<int>(at);
    throw InputError(p, message);
  };
  ExpertJudgement e;
  std::vector<std::size_t> where_percentile;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find(',', pos);
    if (end == std::string_view::npos) end = text.size();
    std::size_t a = pos;
    while (a < end && std::isspace(static_cast<unsigned char>(text[a]))) ++a;
    const std::size_t eq = text.find('=', a);
    if (eq == std::string_view::npos || eq > end) fail(a, "expected name=value (min, mode, max or pNN)");
    std::string name(text.substr(a, eq - a));
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
    std::string value_text(text.substr(eq + 1, end - eq - 1));
    char* stop = nullptr;
    const double value = std::strtod(value_text.c_str(), &stop);
    if (stop == value_text.c_str() || !std::isfinite(value) ||
        std::any_of(static_cast<const char*>(stop), value_text.c_str() + value_text.size(), [](char c) { return !std::isspace(static_cast<unsigned char>(c)); }))
      fail(eq + 1, "expected a finite number after " + name + "=");
    auto once = [&](std::optional<double>& slot) {
      if (slot) fail(a, name + " is given twice");
      slot = value;
    };
    if (name == "min") once(e.min);
    else if (name == "mode") once(e.mode);
    else if (name == "max") once(e.max);
    else if (name.size() > 1 && (name[0] == 'p' || name[0] == 'P')) {
      char* level_end = nullptr;
      const double level = std::strtod(name.c_str() + 1, &level_end);
      if (level_end != name.c_str() + name.size()) fail(a, "unknown name '" + name + "' (min, mode, max or pNN)");
      if (!(level > 0 && level < 100)) fail(a, "percentile " + name + ": its level must be in (0, 100)");
      for (const auto& [p, x] : e.percentiles)
        if (p == level / 100) fail(a, name + " is given twice");
      e.percentiles.emplace_back(level / 100, value);
      where_percentile.push_back(a);
    } else {
      fail(a, "unknown name '" + name + "' (min, mode, max or pNN)");
    }
    pos = end + 1;
  }
  std::vector<std::size_t> order(e.percentiles.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return e.percentiles[x].first < e.percentiles[y].first; });
  std::vector<std::pair<double, double>> sorted;
  for (std::size_t i : order) {
    if (!sorted.empty() && e.percentiles[i].second <= sorted.back().second)
      fail(where_percentile[i], "percentiles must increase with their levels: P" +
                                    format_number(100 * e.percentiles[i].first) + " = " +
                                    format_number(e.percentiles[i].second) + " is not above P" +
                                    format_number(100 * sorted.back().first) + " = " + format_number(sorted.back().second));
    sorted.push_back(e.percentiles[i]);
  }
  e.percentiles = sorted;
  const double lo = e.min ? *e.min : -std::numeric_limits<double>::infinity();
  const double hi = e.max ? *e.max : std::numeric_limits<double>::infinity();
  if (e.min && e.max && !(*e.min < *e.max)) fail(0, "min " + format_number(*e.min) + " is not below max " + format_number(*e.max));
  if (e.mode && !(*e.mode >= lo && *e.mode <= hi))
    fail(0, "mode " + format_number(*e.mode) + " is outside [min, max]");
  for (const auto& [p, x] : e.percentiles)
    if (x < lo || x > hi) fail(0, "P" + format_number(100 * p) + " = " + format_number(x) + " is outside [min, max]");
  if (e.mode && e.percentiles.size() == 2 && !(*e.mode > e.percentiles[0].second && *e.mode < e.percentiles[1].second))
    fail(0, "mode " + format_number(*e.mode) + " is not between the two percentiles");
  if (e.percentiles.size() < 2 && !(e.min && e.mode && e.max))
    fail(0, "give min, mode and max, or two or more percentiles pNN=x");
  return e;
}

std::vector<Fit> fit_expert(const ExpertJudgement& judgement, const std::vector<FitFamily>& families) {
  std::vector<Fit> out;
  for (FitFamily f : families) out.push_back(expert_fit(f, judgement));
  return out;
}

std::vector<Fit> fit_data(std::span<const double> data, const std::vector<FitFamily>& families, int bootstrap,
                          std::uint64_t seed) {
  if (data.size() < 3)
    throw ParameterError("fit: " + std::to_string(data.size()) + " observations; at least 3 are needed");
  for (double x : data)
    if (!std::isfinite(x)) throw ParameterError("fit: the data hold a value that is not a finite number");
  std::vector<double> sorted(data.begin(), data.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<Fit> out;
  for (FitFamily family : families) {
    Fit fit;
    fit.family = family;
    fit.parameters = detail::parameter_count(family);
    const auto theta = detail::maximum_likelihood(family, sorted, fit.note);
    if (!theta) {
      out.push_back(fit);
      continue;
    }
    fit.ok = true;
    fit.distribution = *detail::make(family, *theta);
    if (fit.parameters == 3) {
      const double tolerance = 1e-6 * (sorted.back() - sorted.front());
      fit.boundary = (*theta)[0] >= sorted.front() - tolerance || (*theta)[2] <= sorted.back() + tolerance;
      if (fit.boundary) fit.note = "a bound sits on an observation: a boundary maximum, not a reliable fit";
    }
    const double n = static_cast<double>(sorted.size());
    fit.log_likelihood = detail::log_likelihood(family, *theta, sorted);
    fit.aic = 2.0 * fit.parameters - 2.0 * fit.log_likelihood;
    fit.bic = fit.parameters * std::log(n) - 2.0 * fit.log_likelihood;
    const auto [ks, ad] = detail::gof_statistics(fit.distribution, sorted);
    fit.ks = ks;
    fit.ad = ad;
    if (bootstrap > 0) {
      // Parametric bootstrap: samples from the fitted law, refitted, give the statistics' law when
      // the parameters are estimated (the textbook tables assume they are known).
      int ks_beyond = 0, ad_beyond = 0;
      std::vector<double> sample(sorted.size());
      for (int b = 0; b < bootstrap; ++b) {
        Rng rng(seed, static_cast<std::uint64_t>(b), stream_key("fit-bootstrap", to_string(family)));
        for (double& x : sample) x = fit.distribution.sample(rng);
        std::sort(sample.begin(), sample.end());
        std::string ignored;
        const auto refit = detail::maximum_likelihood(family, sample, ignored, &*theta);
        if (!refit) continue;
        const auto [bks, bad] = detail::gof_statistics(*detail::make(family, *refit), sample);
        ks_beyond += bks >= ks;
        ad_beyond += bad >= ad;
      }
      fit.ks_p = (1.0 + ks_beyond) / (1.0 + bootstrap);
      fit.ad_p = (1.0 + ad_beyond) / (1.0 + bootstrap);
    }
    out.push_back(fit);
  }
  return out;
}

}  // namespace padsim
