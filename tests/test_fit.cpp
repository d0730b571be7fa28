// Fitting distributions: maximum likelihood recovers known parameters and picks the right family
// by AIC; expert quantile matching meets the given values exactly; bad evidence is refused.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "padsim/distribution_text.hpp"
#include "padsim/fit.hpp"
#include "padsim/rng.hpp"

using namespace padsim;

namespace {

std::vector<double> sample(const std::string& spec, std::size_t n) {
  const Distribution d = parse_distribution(spec, {});
  Rng rng(7, 0, stream_key("test", spec));
  std::vector<double> out(n);
  for (double& x : out) x = d.sample(rng);
  return out;
}

const Fit& of(const std::vector<Fit>& fits, FitFamily family) {
  return *std::find_if(fits.begin(), fits.end(), [&](const Fit& f) { return f.family == family; });
}

FitFamily best_by_aic(const std::vector<Fit>& fits) {
  const Fit* best = nullptr;
  for (const Fit& f : fits)
    if (f.ok && (!best || f.aic < best->aic)) best = &f;
  return best->family;
}

double param(const Fit& f, const char* name) { return f.distribution.spec().params.at(name); }

ExpertJudgement expert(const std::string& text) { return parse_expert_judgement(text, {"E", 1, 1}); }

std::string expert_error(const std::string& text) {
  try {
    expert(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("maximum likelihood recovers known lognormal, gamma and weibull parameters within 3%") {
  const std::vector<FitFamily> families{FitFamily::kLognormal, FitFamily::kGamma, FitFamily::kWeibull,
                                        FitFamily::kNormal};
  {
    const auto fits = fit_data(sample("lognormal(mean=40, sd=12)", 5000), families, 0);
    const Fit& f = of(fits, FitFamily::kLognormal);
    CHECK(param(f, "mean") == doctest::Approx(40).epsilon(0.03));
    CHECK(param(f, "sd") == doctest::Approx(12).epsilon(0.03));
    CHECK(best_by_aic(fits) == FitFamily::kLognormal);
  }
  {
    const auto fits = fit_data(sample("gamma(shape=2.5, scale=8)", 5000), families, 0);
    const Fit& f = of(fits, FitFamily::kGamma);
    CHECK(param(f, "shape") == doctest::Approx(2.5).epsilon(0.03));
    CHECK(param(f, "scale") == doctest::Approx(8).epsilon(0.03));
    CHECK(best_by_aic(fits) == FitFamily::kGamma);
  }
  {
    const auto fits = fit_data(sample("weibull(shape=1.7, scale=30)", 5000), families, 0);
    const Fit& f = of(fits, FitFamily::kWeibull);
    CHECK(param(f, "shape") == doctest::Approx(1.7).epsilon(0.03));
    CHECK(param(f, "scale") == doctest::Approx(30).epsilon(0.03));
    CHECK(best_by_aic(fits) == FitFamily::kWeibull);
  }
}

TEST_CASE("AIC and BIC follow from the log-likelihood and the parameter count") {
  const std::vector<double> data{22, 25, 31, 27, 35, 24, 29, 40};
  for (const Fit& f : fit_data(data, all_fit_families(), 0)) {
    CAPTURE(to_string(f.family));
    if (!f.ok) continue;
    CHECK(f.aic == doctest::Approx(2.0 * f.parameters - 2.0 * f.log_likelihood));
    CHECK(f.bic == doctest::Approx(f.parameters * std::log(8.0) - 2.0 * f.log_likelihood));
    CHECK(f.ks > 0.0);
    CHECK(f.ks < 1.0);
  }
  CHECK_FALSE(of(fit_data(data, all_fit_families(), 0), FitFamily::kTrigen).ok);  // triangular's family
}

TEST_CASE("bootstrap p-values keep the right family and reject a wrong one") {
  const auto data = sample("lognormal(mean=40, sd=40)", 300);
  const auto fits = fit_data(data, {FitFamily::kLognormal, FitFamily::kNormal}, 100);
  CHECK(of(fits, FitFamily::kLognormal).ks_p > 0.05);
  CHECK(of(fits, FitFamily::kLognormal).ad_p > 0.05);
  CHECK(of(fits, FitFamily::kNormal).ad_p < 0.02);
  CHECK(of(fits, FitFamily::kNormal).ks_p < 0.02);
}

TEST_CASE("expert quantile matching meets the given percentiles to 1e-6") {
  const auto two = fit_expert(expert("p10=30, p90=90"));
  for (FitFamily f : {FitFamily::kLognormal, FitFamily::kGamma, FitFamily::kWeibull, FitFamily::kNormal}) {
    CAPTURE(to_string(f));
    const Fit& fit = of(two, f);
    REQUIRE(fit.ok);
    CHECK(std::abs(fit.distribution.quantile(0.10) - 30.0) < 1e-6);
    CHECK(std::abs(fit.distribution.quantile(0.90) - 90.0) < 1e-6);
  }
  CHECK_FALSE(of(two, FitFamily::kPert).ok);

  const auto three = fit_expert(expert("p10=20, p50=28, p90=40"));
  for (FitFamily f : {FitFamily::kPert, FitFamily::kTriangular}) {
    CAPTURE(to_string(f));
    const Fit& fit = of(three, f);
    REQUIRE(fit.ok);
    CHECK(fit.max_error < 1e-6);
    CHECK(fit.exact);
  }
  CHECK(of(three, FitFamily::kLognormal).max_error > 0.1);
  CHECK_FALSE(of(three, FitFamily::kLognormal).exact);  // two parameters cannot meet three values

  const auto range = fit_expert(expert("min=20, mode=28, max=40"));
  CHECK(of(range, FitFamily::kPert).distribution.describe() == "pert(20, 28, 40)");
  CHECK(of(range, FitFamily::kTriangular).distribution.describe() == "triangular(20, 28, 40)");
  CHECK_FALSE(of(range, FitFamily::kLognormal).ok);

  const auto with_mode = fit_expert(expert("p10=20, mode=28, p90=40"));
  const Fit& trigen = of(with_mode, FitFamily::kTrigen);
  REQUIRE(trigen.ok);
  CHECK(std::abs(trigen.distribution.quantile(0.9) - 40.0) < 1e-6);
}

TEST_CASE("evidence no family can meet is refused with its position") {
  CHECK(expert_error("p10=30, p90=20") == "E:1:9: error: percentiles must increase with their levels: P90 = 20 is not above P10 = 30");
  CHECK(expert_error("p0=3, p90=20") == "E:1:1: error: percentile p0: its level must be in (0, 100)");
  CHECK(expert_error("p10=3, p100=20") == "E:1:8: error: percentile p100: its level must be in (0, 100)");
  CHECK(expert_error("min=20, mode=50, max=40") == "E:1:1: error: mode 50 is outside [min, max]");
  CHECK(expert_error("min=20, mode=28, max=4O") == "E:1:22: error: expected a finite number after max=");
  CHECK(expert_error("median=3") == "E:1:1: error: unknown name 'median' (min, mode, max or pNN)");
  CHECK(expert_error("p50=3") == "E:1:1: error: give min, mode and max, or two or more percentiles pNN=x");
  CHECK_THROWS_WITH_AS(fit_data(std::vector<double>{1, 2}), "fit: 2 observations; at least 3 are needed",
                       ParameterError);
  const auto negative = fit_data(std::vector<double>{-1, 2, 3, 4}, all_fit_families(), 0);
  CHECK_FALSE(of(negative, FitFamily::kLognormal).ok);
  CHECK(of(negative, FitFamily::kLognormal).note == "needs positive data");
  CHECK(of(negative, FitFamily::kTriangular).ok);
}
