// Distributions, queried and rejected: cdf/quantile, modes, bounds, descriptions and kind names;
// then every invalid-parameter message. Sampling against references: test_distribution_sampling.cpp.
#include <doctest/doctest.h>

#include "distribution_checks.hpp"

// ---------------------------------------------------------------------------------------------------
// Queries

TEST_CASE("equal generators give equal draws and copies share the distribution") {
  const Distribution d = make(DistributionKind::kGamma, {{"mean", 6}, {"sd", 2}});
  const Distribution copy = d;  // NOLINT(performance-unnecessary-copy-initialization)
  padsim::Rng a(kSeed, 5, padsim::stream_key("test")), b(kSeed, 5, padsim::stream_key("test"));
  for (int i = 0; i < 100; ++i) REQUIRE(d.sample(a) == copy.sample(b));
  CHECK(&d.spec() == &copy.spec());
}

TEST_CASE("mode follows the documented rule of each kind") {
  CHECK(Distribution(DistributionSpec::uniform(2, 6)).mode() == 4);
  CHECK(Distribution(DistributionSpec::triangular(2, 7, 30)).mode() == 7);
  CHECK(Distribution(DistributionSpec::pert(2, 7, 30, 3)).mode() == 7);
  CHECK(make(DistributionKind::kExponential, {{"mean", 9}}).mode() == 0);
  CHECK(make(DistributionKind::kNormal, {{"mean", 10}, {"sd", 3}}).mode() == 10);
  CHECK(make(DistributionKind::kNormal, {{"mean", 10}, {"sd", 3}, {"min", 12}}).mode() == 12);
  CHECK(make(DistributionKind::kNormal, {{"mean", 10}, {"sd", 3}, {"max", 8}}).mode() == 8);
  CHECK(make(DistributionKind::kNormal, {{"mean", 10}, {"sd", 3}, {"min", 0}, {"max", 20}}).mode() == 10);
  {
    const Distribution d = make(DistributionKind::kLognormal, {{"mean", 10}, {"sd", 4}});
    const double s2 = std::log(1 + 0.16);
    CHECK(rel_close(d.mode(), std::exp(std::log(10.0) - s2 / 2 - s2), 1e-12));
  }
  CHECK(make(DistributionKind::kGamma, {{"shape", 3}, {"scale", 2}}).mode() == 4);
  CHECK(make(DistributionKind::kGamma, {{"shape", 1}, {"scale", 2}}).mode() == 0);
  CHECK(rel_close(make(DistributionKind::kWeibull, {{"shape", 2}, {"scale", 3}}).mode(),
                  3 * std::sqrt(0.5), 1e-12));
  CHECK(make(DistributionKind::kDiscrete, {}, {1, 2, 3}, {0.4, 0.2, 0.4}).mode() == 1);  // tie: first
  CHECK(make(DistributionKind::kDiscrete, {}, {3, 2, 1}, {0.4, 0.2, 0.4}).mode() == 3);
  CHECK(make(DistributionKind::kEmpirical, {}, {9, 1, 5}).mode() == 5);
  CHECK(make(DistributionKind::kEmpirical, {}, {9, 1, 5, 2}).mode() == 3.5);  // even: mid of middle two
  CHECK(make(DistributionKind::kTrigen, {{"low", 5}, {"mode", 8}, {"high", 20}, {"low_pct", 10},
                                         {"high_pct", 90}}).mode() == 8);
  CHECK(Distribution(DistributionSpec::fixed(-2)).mode() == -2);
}

TEST_CASE("degenerate ranges and single values are fixed") {
  CHECK(Distribution(DistributionSpec::uniform(3, 3)).is_fixed());
  CHECK(Distribution(DistributionSpec::triangular(3, 3, 3)).is_fixed());
  CHECK(Distribution(DistributionSpec::pert(3, 3, 3)).is_fixed());
  CHECK(make(DistributionKind::kDiscrete, {}, {4, 5}, {1, 0}).is_fixed());
  CHECK(make(DistributionKind::kEmpirical, {}, {2, 2, 2}).is_fixed());
  CHECK(make(DistributionKind::kTrigen, {{"low", 3}, {"mode", 3}, {"high", 3}, {"low_pct", 10},
                                         {"high_pct", 90}}).is_fixed());
  const Distribution d(DistributionSpec::uniform(3, 3));
  padsim::Rng rng(kSeed, 0, padsim::stream_key("test"));
  CHECK(d.sample(rng) == 3);
  CHECK(d.quantile(0.7) == 3);
  CHECK(d.variance() == 0);
  CHECK_FALSE(Distribution(DistributionSpec::uniform(3, 4)).is_fixed());
}

TEST_CASE("quantile accepts the closed unit interval and rejects anything else") {
  const Distribution d = make(DistributionKind::kNormal, {{"mean", 0}, {"sd", 1}});
  CHECK(d.quantile(0) == -kInf);
  CHECK(d.quantile(1) == kInf);
  CHECK(Distribution(DistributionSpec::uniform(2, 5)).quantile(0) == 2);
  CHECK_THROWS_WITH_AS(d.quantile(1.5), "normal: quantile probability 1.5 is outside [0, 1]",
                       ParameterError);
  CHECK_THROWS_AS(d.quantile(-0.1), ParameterError);
  CHECK_THROWS_AS(d.quantile(kNaN), ParameterError);
}

TEST_CASE("describe gives a short readable form") {
  CHECK(Distribution(DistributionSpec::pert(2, 7, 30)).describe() == "pert(2, 7, 30)");
  CHECK(Distribution(DistributionSpec::pert(2, 7, 30, 6)).describe() == "pert(2, 7, 30, lambda=6)");
  CHECK(Distribution(DistributionSpec::triangular(2, 7, 30)).describe() == "triangular(2, 7, 30)");
  CHECK(Distribution(DistributionSpec::uniform(0.5, 1)).describe() == "uniform(0.5, 1)");
  CHECK(make(DistributionKind::kNormal, {{"mean", 10}, {"sd", 3}, {"min", 0}}).describe() ==
        "normal(10, 3, min=0)");
  CHECK(make(DistributionKind::kLognormal, {{"low", 5}, {"low_pct", 10}, {"high", 20}, {"high_pct", 90}})
            .describe() == "lognormal(P10=5, P90=20)");
  CHECK(make(DistributionKind::kLognormal, {{"mean", 5}, {"sd", 1}}).describe() ==
        "lognormal(mean=5, sd=1)");
  CHECK(make(DistributionKind::kGamma, {{"shape", 2}, {"scale", 3}}).describe() ==
        "gamma(shape=2, scale=3)");
  CHECK(make(DistributionKind::kExponential, {{"rate", 0.25}}).describe() == "exponential(rate=0.25)");
  CHECK(make(DistributionKind::kDiscrete, {}, {1, 2}, {0.25, 0.75}).describe() ==
        "discrete(1: 0.25, 2: 0.75)");
  CHECK(make(DistributionKind::kEmpirical, {}, {4, 1, 9}).describe() == "empirical(n=3, min=1, max=9)");
  CHECK(make(DistributionKind::kTrigen, {{"low", 5}, {"mode", 7}, {"high", 20}, {"low_pct", 10},
                                         {"high_pct", 90}}).describe() == "trigen(5, 7, 20, 10, 90)");
}

TEST_CASE("kind names round-trip and unknown kinds are named with the valid list") {
  for (auto kind : {DistributionKind::kFixed, DistributionKind::kUniform, DistributionKind::kTriangular,
                    DistributionKind::kPert, DistributionKind::kNormal, DistributionKind::kLognormal,
                    DistributionKind::kGamma, DistributionKind::kWeibull, DistributionKind::kExponential,
                    DistributionKind::kDiscrete, DistributionKind::kEmpirical, DistributionKind::kTrigen})
    CHECK(padsim::distribution_kind_from_string(padsim::to_string(kind)) == kind);
  CHECK(std::string(padsim::to_string(DistributionKind::kPert)) == "pert");
  CHECK_THROWS_WITH_AS(padsim::distribution_kind_from_string("betapert"),
                       doctest::Contains("unknown distribution kind 'betapert'"), ParameterError);
  CHECK_THROWS_WITH_AS(
      padsim::distribution_kind_from_string("Normal"),
      "unknown distribution kind 'Normal' (valid kinds: fixed, uniform, triangular, pert, normal, "
      "lognormal, gamma, weibull, exponential, discrete, empirical, trigen)",
      ParameterError);
}

// ---------------------------------------------------------------------------------------------------
// Invalid parameters: every path names the kind, the parameter and its value.

TEST_CASE("fixed and uniform reject invalid parameters") {
  CHECK_THROWS_WITH_AS(make(DistributionKind::kFixed, {}), "fixed: missing parameter 'value'",
                       ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::fixed(kNaN)),
                       "fixed: value nan is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kFixed, {{"value", 1}, {"sd", 2}}),
                       "fixed: unknown parameter 'sd' (allowed: value)", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kUniform, {{"min", 1}}), "uniform: missing parameter 'max'",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kUniform, {{"max", 1}}), "uniform: missing parameter 'min'",
                       ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::uniform(5, 3)), "uniform: min 5 is above max 3",
                       ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::uniform(0, kInf)),
                       "uniform: max inf is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::uniform(-kInf, 0)),
                       "uniform: min -inf is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kUniform, {{"min", 1}, {"max", 2}, {"mode", 1.5}}),
                       doctest::Contains("uniform: unknown parameter 'mode'"), ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kUniform, {{"min", 1}, {"max", 2}}, {1, 2}),
                       "uniform: takes no values (got 2)", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kUniform, {{"min", 1}, {"max", 2}}, {}, {1}),
                       "uniform: takes no probabilities (got 1)", ParameterError);
}

TEST_CASE("triangular and pert reject invalid parameters") {
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::triangular(2, 40, 30)),
                       "triangular: mode 40 is above max 30", ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::triangular(2, 1, 30)),
                       "triangular: mode 1 is below min 2", ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::triangular(31, 30, 30)),
                       "triangular: min 31 is above max 30", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kTriangular, {{"min", 1}, {"max", 3}}),
                       "triangular: missing parameter 'mode'", ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::triangular(1, kNaN, 3)),
                       "triangular: mode nan is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kTriangular, {{"min", 1}, {"mode", 2}, {"max", 3}}, {}, {0.5}),
                       "triangular: takes no probabilities (got 1)", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kPert, {{"min", 1}, {"mod", 2}, {"max", 3}}),
                       "pert: unknown parameter 'mod' (allowed: min, mode, max, lambda)", ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::pert(2, 7, 30, -1)), "pert: lambda -1 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::pert(2, 7, 30, 0)), "pert: lambda 0 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::pert(2, 7, 30, kInf)),
                       "pert: lambda inf is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::pert(2, 40, 30)), "pert: mode 40 is above max 30",
                       ParameterError);
  CHECK_THROWS_WITH_AS(Distribution(DistributionSpec::pert(2, 1, 30)), "pert: mode 1 is below min 2",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kPert, {{"min", 1}, {"mode", 2}}), "pert: missing parameter 'max'",
                       ParameterError);
}

TEST_CASE("normal rejects invalid parameters") {
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 1}, {"sd", -1}}), "normal: sd -1 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 1}, {"sd", 0}}), "normal: sd 0 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 1}}), "normal: missing parameter 'sd'",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"sd", 1}}), "normal: missing parameter 'mean'",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", kNaN}, {"sd", 1}}),
                       "normal: mean nan is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 0}, {"sd", 1}, {"min", -kInf}}),
                       "normal: min -inf is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 0}, {"sd", 1}, {"min", 5}, {"max", 3}}),
                       "normal: min 5 must be below max 3", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 0}, {"sd", 1}, {"min", 3}, {"max", 3}}),
                       "normal: min 3 must be below max 3", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 0}, {"sd", 1}, {"min", 50}}),
                       "normal: the range [50, inf] has no probability under normal(0, 1)", ParameterError);
  CHECK_THROWS_WITH_AS(make(DistributionKind::kNormal, {{"mean", 0}, {"sd", 1}, {"low", 0}}),
                       "normal: unknown parameter 'low' (allowed: mean, sd, min, max)", ParameterError);
}

TEST_CASE("lognormal rejects invalid parameters and mixed forms") {
  using K = DistributionKind;
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {{"mean", 5}, {"sd", 1}, {"low", 2}}),
                       "lognormal: give either mean and sd, or low, low_pct, high and high_pct, not a mix",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {}), doctest::Contains("lognormal: missing parameters"),
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {{"mean", 5}}), "lognormal: missing parameter 'sd'", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {{"sd", 5}}), "lognormal: missing parameter 'mean'", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {{"mean", -1}, {"sd", 1}}), "lognormal: mean -1 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {{"mean", 1}, {"sd", 0}}), "lognormal: sd 0 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kLognormal, {{"mean", 1}, {"sd", kInf}}),
                       "lognormal: sd inf is not a finite number", ParameterError);
  const std::map<std::string, double> good{{"low", 5}, {"low_pct", 10}, {"high", 20}, {"high_pct", 90}};
  auto with = [&](const std::string& name, double value) {
    auto p = good;
    p[name] = value;
    return make(K::kLognormal, p);
  };
  auto without = [&](const std::string& name) {
    auto p = good;
    p.erase(name);
    return make(K::kLognormal, p);
  };
  CHECK_THROWS_WITH_AS(without("high_pct"), "lognormal: missing parameter 'high_pct'", ParameterError);
  CHECK_THROWS_WITH_AS(without("low"), "lognormal: missing parameter 'low'", ParameterError);
  CHECK_THROWS_WITH_AS(with("low_pct", 0), "lognormal: low_pct 0 must be in (0, 100)", ParameterError);
  CHECK_THROWS_WITH_AS(with("low_pct", -5), "lognormal: low_pct -5 must be in (0, 100)", ParameterError);
  CHECK_THROWS_WITH_AS(with("high_pct", 100), "lognormal: high_pct 100 must be in (0, 100)", ParameterError);
  CHECK_THROWS_WITH_AS(with("low_pct", 90), "lognormal: low_pct 90 must be below high_pct 90", ParameterError);
  CHECK_THROWS_WITH_AS(with("high_pct", 5), "lognormal: low_pct 10 must be below high_pct 5", ParameterError);
  CHECK_THROWS_WITH_AS(with("low", 0), "lognormal: low 0 must be positive", ParameterError);
  CHECK_THROWS_WITH_AS(with("low", 25), "lognormal: low 25 must be below high 20", ParameterError);
  CHECK_THROWS_WITH_AS(with("high", 5), "lognormal: low 5 must be below high 5", ParameterError);
  CHECK_THROWS_WITH_AS(with("high", kNaN), "lognormal: high nan is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(with("p10", 1), doctest::Contains("lognormal: unknown parameter 'p10'"), ParameterError);
}

TEST_CASE("gamma, weibull and exponential reject invalid parameters") {
  using K = DistributionKind;
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"shape", 2}, {"sd", 1}}),
                       "gamma: give either shape and scale, or mean and sd, not a mix", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {}), "gamma: missing parameters: give shape and scale, or mean and sd",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"shape", 2}}), "gamma: missing parameter 'scale'", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"mean", 2}}), "gamma: missing parameter 'sd'", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"shape", 0}, {"scale", 1}}), "gamma: shape 0 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"shape", 1}, {"scale", -1}}), "gamma: scale -1 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"mean", -3}, {"sd", 1}}), "gamma: mean -3 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"mean", 3}, {"sd", 0}}), "gamma: sd 0 must be positive", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kGamma, {{"shape", 2}, {"rate", 1}}),
                       "gamma: unknown parameter 'rate' (allowed: shape, scale, mean, sd)", ParameterError);

  CHECK_THROWS_WITH_AS(make(K::kWeibull, {{"shape", 0}, {"scale", 1}}), "weibull: shape 0 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kWeibull, {{"shape", 1}, {"scale", -2}}), "weibull: scale -2 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kWeibull, {{"shape", 1}}), "weibull: missing parameter 'scale'", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kWeibull, {{"shape", 1}, {"scale", 1}, {"mean", 1}}),
                       "weibull: unknown parameter 'mean' (allowed: shape, scale)", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kWeibull, {{"shape", kInf}, {"scale", 1}}),
                       "weibull: shape inf is not a finite number", ParameterError);

  CHECK_THROWS_WITH_AS(make(K::kExponential, {{"mean", 2}, {"rate", 0.5}}),
                       "exponential: give exactly one of mean and rate, not both", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kExponential, {}), "exponential: missing parameter 'mean' (or 'rate')",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kExponential, {{"mean", 0}}), "exponential: mean 0 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kExponential, {{"rate", -1}}), "exponential: rate -1 must be positive",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kExponential, {{"scale", 1}}),
                       "exponential: unknown parameter 'scale' (allowed: mean, rate)", ParameterError);
}

TEST_CASE("discrete and empirical reject invalid lists") {
  using K = DistributionKind;
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, 2}, {0.2, 0.7}), "discrete: probabilities sum to 0.8999999999999999, not 1",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, 2}, {0.5, 0.5 + 2e-9}),
                       "discrete: probabilities sum to 1.0000000020000002, not 1", ParameterError);
  CHECK_NOTHROW(make(K::kDiscrete, {}, {1, 2}, {0.5, 0.5 + 5e-10}));
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, 2}, {1.5, -0.5}),
                       "discrete: probability 1.5 of value 1 is outside [0, 1]", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, 2}, {0.5, -0.1}),
                       "discrete: probability -0.1 of value 2 is outside [0, 1]", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, 2}, {kNaN, 1}),
                       "discrete: probability nan of value 1 is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, kInf}, {0.5, 0.5}), "discrete: value inf is not a finite number",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {1, 2, 3}, {0.5, 0.5}),
                       "discrete: 3 values but 2 probabilities", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {}, {}, {}), "discrete: needs at least one value", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kDiscrete, {{"p", 1}}, {1}, {1}),
                       "discrete: unknown parameter 'p' (it takes no named parameters)", ParameterError);

  CHECK_THROWS_WITH_AS(make(K::kEmpirical, {}, {}), "empirical: needs at least 1 data point", ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kEmpirical, {}, {1, kNaN}), "empirical: data point nan is not a finite number",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kEmpirical, {}, {1, 2}, {0.5, 0.5}), "empirical: takes no probabilities (got 2)",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kEmpirical, {{"n", 2}}, {1, 2}), doctest::Contains("empirical: unknown parameter 'n'"),
                       ParameterError);
  CHECK_NOTHROW(make(K::kEmpirical, {}, {42}));
}

TEST_CASE("trigen rejects invalid parameters") {
  using K = DistributionKind;
  const std::map<std::string, double> good{{"low", 5}, {"mode", 7}, {"high", 20}, {"low_pct", 10}, {"high_pct", 90}};
  auto with = [&](const std::string& name, double value) {
    auto p = good;
    p[name] = value;
    return make(K::kTrigen, p);
  };
  auto without = [&](const std::string& name) {
    auto p = good;
    p.erase(name);
    return make(K::kTrigen, p);
  };
  CHECK_NOTHROW(with("low_pct", 0));
  CHECK_NOTHROW(with("high_pct", 100));
  CHECK_THROWS_WITH_AS(with("mode", 4), "trigen: mode 4 is below low 5", ParameterError);
  CHECK_THROWS_WITH_AS(with("mode", 21), "trigen: mode 21 is above high 20", ParameterError);
  CHECK_THROWS_WITH_AS(with("low", 25), "trigen: low 25 is above high 20", ParameterError);
  CHECK_THROWS_WITH_AS(with("low_pct", -1), "trigen: low_pct -1 must be in [0, 100]", ParameterError);
  CHECK_THROWS_WITH_AS(with("high_pct", 101), "trigen: high_pct 101 must be in [0, 100]", ParameterError);
  CHECK_THROWS_WITH_AS(with("low_pct", 90), "trigen: low_pct 90 must be below high_pct 90", ParameterError);
  CHECK_THROWS_WITH_AS(with("high_pct", 5), "trigen: low_pct 10 must be below high_pct 5", ParameterError);
  CHECK_THROWS_WITH_AS(with("mode", kNaN), "trigen: mode nan is not a finite number", ParameterError);
  CHECK_THROWS_WITH_AS(without("high_pct"), "trigen: missing parameter 'high_pct'", ParameterError);
  CHECK_THROWS_WITH_AS(without("mode"), "trigen: missing parameter 'mode'", ParameterError);
  CHECK_THROWS_WITH_AS(with("min", 1),
                       "trigen: unknown parameter 'min' (allowed: low, mode, high, low_pct, high_pct)",
                       ParameterError);
  CHECK_THROWS_WITH_AS(make(K::kTrigen, good, {1}), "trigen: takes no values (got 1)", ParameterError);
}

TEST_CASE("a non-finite value of any parameter of any kind is rejected by name") {
  using K = DistributionKind;
  const std::vector<std::pair<K, std::map<std::string, double>>> valid{
      {K::kFixed, {{"value", 1}}},
      {K::kUniform, {{"min", 1}, {"max", 2}}},
      {K::kTriangular, {{"min", 1}, {"mode", 2}, {"max", 3}}},
      {K::kPert, {{"min", 1}, {"mode", 2}, {"max", 3}, {"lambda", 4}}},
      {K::kNormal, {{"mean", 1}, {"sd", 2}, {"min", 0}, {"max", 3}}},
      {K::kLognormal, {{"mean", 1}, {"sd", 2}}},
      {K::kLognormal, {{"low", 1}, {"low_pct", 10}, {"high", 2}, {"high_pct", 90}}},
      {K::kGamma, {{"shape", 1}, {"scale", 2}}},
      {K::kGamma, {{"mean", 1}, {"sd", 2}}},
      {K::kWeibull, {{"shape", 1}, {"scale", 2}}},
      {K::kExponential, {{"mean", 1}}},
      {K::kExponential, {{"rate", 1}}},
      {K::kTrigen, {{"low", 1}, {"mode", 2}, {"high", 3}, {"low_pct", 10}, {"high_pct", 90}}},
  };
  for (const auto& [kind, params] : valid) {
    CHECK_NOTHROW(make(kind, params));
    for (const auto& [name, value] : params) {
      for (double bad : {kNaN, kInf, -kInf}) {
        auto p = params;
        p[name] = bad;
        const std::string expected = std::string(padsim::to_string(kind)) + ": " + name + " " +
                                     (std::isnan(bad) ? "nan" : bad > 0 ? "inf" : "-inf") +
                                     " is not a finite number";
        CHECK_THROWS_WITH_AS(make(kind, p), expected.c_str(), ParameterError);
      }
    }
  }
}
