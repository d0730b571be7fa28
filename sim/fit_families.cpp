// The fitted families: parameters, densities, maximum likelihood (Nelder-Mead on unconstrained
// parameters) and goodness-of-fit statistics. Densities are written from their definitions with
// std::lgamma and std::erfc; no special function is implemented here.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <numeric>

#include "fit_detail.hpp"

namespace padsim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kHalfLog2Pi = 0.91893853320467274178;

struct FamilyName {
  FitFamily family;
  const char* name;
};
constexpr FamilyName kNames[] = {
    {FitFamily::kLognormal, "lognormal"}, {FitFamily::kGamma, "gamma"}, {FitFamily::kWeibull, "weibull"},
    {FitFamily::kNormal, "normal"},       {FitFamily::kPert, "pert"},   {FitFamily::kTriangular, "triangular"},
    {FitFamily::kTrigen, "trigen"},
};

}  // namespace

const char* to_string(FitFamily family) noexcept {
  for (const auto& n : kNames)
    if (n.family == family) return n.name;
  return "?";
}

const std::vector<FitFamily>& all_fit_families() {
  static const std::vector<FitFamily> all = [] {
    std::vector<FitFamily> v;
    for (const auto& n : kNames) v.push_back(n.family);
    return v;
  }();
  return all;
}

FitFamily fit_family_from_string(std::string_view name) {
  std::string valid;
  for (const auto& n : kNames) {
    if (name == n.name) return n.family;
    valid += (valid.empty() ? "" : ", ") + std::string(n.name);
  }
  throw ParameterError("unknown family '" + std::string(name) + "' (families: " + valid + ")");
}

namespace detail {

namespace {

/// Nelder-Mead simplex minimisation, restarted once from its answer (a collapsed simplex can stop
/// short of the minimum).
Params nelder_mead(const std::function<double(const Params&)>& f, Params start) {
  const std::size_t n = start.size();
  for (int restart = 0; restart < 2; ++restart) {
    std::vector<Params> x(n + 1, start);
    for (std::size_t i = 0; i < n; ++i) x[i + 1][i] += std::max(0.1, 0.1 * std::abs(start[i]));
    std::vector<double> fx(n + 1);
    for (std::size_t i = 0; i <= n; ++i) fx[i] = f(x[i]);
    for (int iteration = 0; iteration < 4000; ++iteration) {
      std::vector<std::size_t> order(n + 1);
      std::iota(order.begin(), order.end(), 0);
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fx[a] < fx[b]; });
      const std::size_t best = order.front(), worst = order.back(), second = order[n - 1];
      if (std::abs(fx[worst] - fx[best]) <= 1e-13 * (std::abs(fx[best]) + 1e-13)) break;
      Params centroid(n, 0.0);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j <= n; ++j)
          if (j != worst) centroid[i] += x[j][i] / static_cast<double>(n);
      auto along = [&](double t) {
        Params p(n);
        for (std::size_t i = 0; i < n; ++i) p[i] = centroid[i] + t * (x[worst][i] - centroid[i]);
        return p;
      };
      const Params reflected = along(-1.0);
      const double fr = f(reflected);
      if (fr < fx[best]) {
        const Params expanded = along(-2.0);
        const double fe = f(expanded);
        if (fe < fr) x[worst] = expanded, fx[worst] = fe;
        else x[worst] = reflected, fx[worst] = fr;
      } else if (fr < fx[second]) {
        x[worst] = reflected, fx[worst] = fr;
      } else {
        const Params contracted = along(fr < fx[worst] ? -0.5 : 0.5);
        const double fc = f(contracted);
        if (fc < std::min(fr, fx[worst])) {
          x[worst] = contracted, fx[worst] = fc;
        } else {
          for (std::size_t j = 0; j <= n; ++j) {
            if (j == best) continue;
            for (std::size_t i = 0; i < n; ++i) x[j][i] = x[best][i] + 0.5 * (x[j][i] - x[best][i]);
            fx[j] = f(x[j]);
          }
        }
      }
    }
    start = x[static_cast<std::size_t>(std::min_element(fx.begin(), fx.end()) - fx.begin())];
  }
  return start;
}

double log_density(FitFamily family, const Params& t, double x) {
  switch (family) {
    case FitFamily::kLognormal: {
      if (x <= 0) return -kInf;
      const double s = std::exp(t[1]), z = (std::log(x) - t[0]) / s;
      return -std::log(x) - t[1] - kHalfLog2Pi - 0.5 * z * z;
    }
    case FitFamily::kGamma: {
      if (x <= 0) return -kInf;
      const double k = std::exp(t[0]), theta = std::exp(t[1]);
      return (k - 1) * std::log(x) - x / theta - std::lgamma(k) - k * t[1];
    }
    case FitFamily::kWeibull: {
      if (x < 0) return -kInf;
      const double k = std::exp(t[0]), y = x / std::exp(t[1]);
      return t[0] - t[1] + (k - 1) * std::log(y) - std::pow(y, k);
    }
    case FitFamily::kNormal: {
      if (x < 0) return -kInf;
      const double s = std::exp(t[1]), z = (x - t[0]) / s;
      // Truncated at zero: divided by P(X >= 0) = erfc(-mu / (s sqrt 2)) / 2.
      return -t[1] - kHalfLog2Pi - 0.5 * z * z - std::log(0.5 * std::erfc(-t[0] / (s * std::numbers::sqrt2)));
    }
    case FitFamily::kTriangular: {
      const double a = t[0], m = t[1], b = t[2];
      if (!(a < b && a <= m && m <= b) || x < a || x > b) return -kInf;
      return x < m ? std::log(2 * (x - a) / ((b - a) * (m - a))) : std::log(2 * (b - x) / ((b - a) * (b - m)));
    }
    case FitFamily::kPert: {
      const double a = t[0], m = t[1], b = t[2];
      if (!(a < b && a <= m && m <= b) || x <= a || x >= b) return -kInf;
      const double alpha = 1 + 4 * (m - a) / (b - a), beta = 1 + 4 * (b - m) / (b - a);
      const double u = (x - a) / (b - a);
      return (alpha - 1) * std::log(u) + (beta - 1) * std::log1p(-u) + std::lgamma(alpha + beta) -
             std::lgamma(alpha) - std::lgamma(beta) - std::log(b - a);
    }
    case FitFamily::kTrigen: return -kInf;
  }
  return -kInf;
}

double mean_of(std::span<const double> x) { return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size()); }

double sd_of(std::span<const double> x) {
  const double m = mean_of(x);
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return std::sqrt(s / static_cast<double>(x.size()));
}

double logistic(double u) { return 1.0 / (1.0 + std::exp(-u)); }

}  // namespace

int parameter_count(FitFamily family) {
  return family == FitFamily::kPert || family == FitFamily::kTriangular || family == FitFamily::kTrigen ? 3 : 2;
}

std::optional<Distribution> make(FitFamily family, const Params& t) {
  for (double v : t)
    if (!std::isfinite(v)) return std::nullopt;
  DistributionSpec spec;
  try {
    switch (family) {
      case FitFamily::kLognormal: {
        const double s = std::exp(t[1]), mean = std::exp(t[0] + s * s / 2);
        spec.kind = DistributionKind::kLognormal;
        spec.params = {{"mean", mean}, {"sd", mean * std::sqrt(std::expm1(s * s))}};
        break;
      }
      case FitFamily::kGamma:
      case FitFamily::kWeibull:
        spec.kind = family == FitFamily::kGamma ? DistributionKind::kGamma : DistributionKind::kWeibull;
        spec.params = {{"shape", std::exp(t[0])}, {"scale", std::exp(t[1])}};
        break;
      case FitFamily::kNormal:
        spec.kind = DistributionKind::kNormal;
        spec.params = {{"mean", t[0]}, {"sd", std::exp(t[1])}, {"min", 0.0}};
        break;
      case FitFamily::kPert: spec = DistributionSpec::pert(t[0], t[1], t[2]); break;
      case FitFamily::kTriangular: spec = DistributionSpec::triangular(t[0], t[1], t[2]); break;
      case FitFamily::kTrigen: return std::nullopt;
    }
    return Distribution(spec);
  } catch (const ParameterError&) {
    return std::nullopt;
  }
}

std::optional<Distribution> make_trigen(std::pair<double, double> low, double mode, std::pair<double, double> high) {
  DistributionSpec spec;
  spec.kind = DistributionKind::kTrigen;
  spec.params = {{"low", low.second}, {"mode", mode}, {"high", high.second},
                 {"low_pct", 100 * low.first}, {"high_pct", 100 * high.first}};
  try {
    return Distribution(spec);
  } catch (const ParameterError&) {
    return std::nullopt;
  }
}

double log_likelihood(FitFamily family, const Params& theta, std::span<const double> data) {
  double sum = 0;
  for (double x : data) sum += log_density(family, theta, x);
  return sum;
}

std::optional<Params> maximum_likelihood(FitFamily family, std::span<const double> sorted, std::string& note,
                                         const Params* start) {
  const double lo = sorted.front(), hi = sorted.back();
  const bool positive = family == FitFamily::kLognormal || family == FitFamily::kGamma || family == FitFamily::kWeibull;
  if (positive && lo <= 0) {
    note = "needs positive data";
    return std::nullopt;
  }
  if (family == FitFamily::kNormal && lo < 0) {
    note = "truncated at zero: needs data >= 0";
    return std::nullopt;
  }
  if (family == FitFamily::kTrigen) {
    note = "from data, trigen is the triangular family: see triangular";
    return std::nullopt;
  }
  if (hi == lo) {
    note = "every observation is the same";
    return std::nullopt;
  }
  auto nll = [&](const Params& t) {
    const double ll = log_likelihood(family, t, sorted);
    return std::isfinite(ll) ? -ll : kInf;
  };
  switch (family) {
    case FitFamily::kLognormal: {  // closed form: the moments of log x
      std::vector<double> logs(sorted.size());
      std::transform(sorted.begin(), sorted.end(), logs.begin(), [](double x) { return std::log(x); });
      return Params{mean_of(logs), std::log(sd_of(logs))};
    }
    case FitFamily::kGamma: {
      const double m = mean_of(sorted), v = std::pow(sd_of(sorted), 2);
      return nelder_mead(nll, start ? *start : Params{std::log(m * m / v), std::log(v / m)});
    }
    case FitFamily::kWeibull: {
      std::vector<double> logs(sorted.size());
      std::transform(sorted.begin(), sorted.end(), logs.begin(), [](double x) { return std::log(x); });
      const double k = 1.2825 / sd_of(logs);  // the sd of log X is pi / (k sqrt 6)
      return nelder_mead(nll, start ? *start : Params{std::log(k), mean_of(logs) + 0.5772156649 / k});
    }
    case FitFamily::kNormal:
      return nelder_mead(nll, start ? *start : Params{mean_of(sorted), std::log(sd_of(sorted))});
    case FitFamily::kPert:
    case FitFamily::kTriangular: {
      // Unconstrained: min below the smallest observation, max above the largest, mode between.
      const double s = hi - lo;
      auto to_params = [&](const Params& u) {
        const double a = lo - s * std::exp(u[0]), b = hi + s * std::exp(u[1]);
        return Params{a, a + (b - a) * logistic(u[2]), b};
      };
      Params u0{std::log(0.1), std::log(0.1), 0.0};
      if (start) {
        const Params& p = *start;
        u0[0] = std::log(std::max(1e-3, (lo - p[0]) / s));
        u0[1] = std::log(std::max(1e-3, (p[2] - hi) / s));
      }
      const double a0 = lo - s * std::exp(u0[0]), b0 = hi + s * std::exp(u0[1]);
      const double r = std::clamp(((start ? (*start)[1] : mean_of(sorted)) - a0) / (b0 - a0), 0.01, 0.99);
      u0[2] = std::log(r / (1 - r));
      return to_params(nelder_mead([&](const Params& u) { return nll(to_params(u)); }, u0));
    }
    case FitFamily::kTrigen: break;
  }
  return std::nullopt;
}

std::pair<double, double> gof_statistics(const Distribution& d, std::span<const double> sorted) {
  const std::size_t n = sorted.size();
  const double dn = static_cast<double>(n);
  std::vector<double> f(n);
  for (std::size_t i = 0; i < n; ++i) f[i] = std::clamp(d.cdf(sorted[i]), 1e-300, 1.0 - 1e-16);
  double ks = 0, ad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double di = static_cast<double>(i);
    ks = std::max({ks, (di + 1) / dn - f[i], f[i] - di / dn});
    ad += (2 * di + 1) * (std::log(f[i]) + std::log1p(-f[n - 1 - i]));
  }
  return {ks, -dn - ad / dn};
}

}  // namespace detail

}  // namespace padsim
