// The text form of a distribution (`pert(20, 28, 40)`, `lognormal(p10=30, p90=90)`, ...): every
// form parses to the distribution its long form gives, descriptions read back, and every mistake
// is an InputError at its exact column.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include <boost/math/distributions/beta.hpp>

#include "padsim/distribution_text.hpp"
#include "padsim/models/scenario.hpp"
#include "padsim/monte_carlo.hpp"

using namespace padsim;

namespace {

Distribution parse(const std::string& text) { return parse_distribution(text, {"SPEC", 1, 1}); }

/// The message of the InputError that parsing `text` throws (positioned at SPEC:1:1).
std::string distribution_text_error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("the text form gives the same distribution as the long form, by position or by name") {
  CHECK(parse("7").is_fixed());
  CHECK(parse(" 7.5 ").mean() == 7.5);
  CHECK(parse("pert(20, 28, 40)").describe() == "pert(20, 28, 40)");
  CHECK(parse("pert(min=20, mode=28, max=40)").describe() == "pert(20, 28, 40)");
  CHECK(parse("pert(20,28,40,lambda=6)").describe() == "pert(20, 28, 40, lambda=6)");
  CHECK(parse("pert(20,28,40,6)").describe() == "pert(20, 28, 40, lambda=6)");
  CHECK(parse("triangular(2, 7, 30)").mean() == doctest::Approx(13.0).epsilon(1e-12));
  CHECK(parse("normal(10, 2, min=0)").lower() == 0.0);
  CHECK(parse("exponential(rate=0.1)").mean() == doctest::Approx(10.0).epsilon(1e-12));
  CHECK(parse("+3").mean() == 3.0);

  const Distribution by_percentiles = parse("lognormal(p10=30, p90=90)");
  CHECK(by_percentiles.quantile(0.10) == doctest::Approx(30.0).epsilon(1e-9));
  CHECK(by_percentiles.quantile(0.90) == doctest::Approx(90.0).epsilon(1e-9));
  CHECK(parse("lognormal(P90=90, P10=30)").describe() == by_percentiles.describe());  // any order

  const Distribution trigen = parse("trigen(mode=28, p10=20, p90=40)");
  CHECK(trigen.describe() == parse("trigen(20, 28, 40, 10, 90)").describe());
  CHECK(trigen.quantile(0.10) == doctest::Approx(20.0).epsilon(1e-9));

  const Distribution discrete = parse("discrete(values=[1, 2, 3], probabilities=[0.2, 0.3, 0.5])");
  CHECK(discrete.describe() == parse("discrete([1,2,3],[0.2,0.3,0.5])").describe());
  CHECK(discrete.mean() == doctest::Approx(2.3).epsilon(1e-12));
  const Distribution data = parse("empirical(22, 25, 31, 27, 35, 24, 29, 40)");
  CHECK(data.upper() == 40.0);
  CHECK(parse("empirical(data=[22, 25, 31, 27, 35, 24, 29, 40])").mean() == data.mean());
}

TEST_CASE("a description reads back as the same distribution") {
  for (const char* text : {"uniform(1, 3)", "triangular(2, 7, 30)", "pert(2, 7, 30, lambda=3)",
                           "normal(10, 2, min=0, max=20)", "lognormal(mean=40, sd=12)",
                           "lognormal(P10=30, P90=90)", "gamma(shape=2, scale=3)", "gamma(mean=6, sd=3)",
                           "weibull(shape=1.5, scale=20)", "exponential(mean=10)", "trigen(20, 28, 40, 10, 90)",
                           "fixed(4)"}) {
    CAPTURE(text);
    const Distribution d = parse(text);
    CHECK(parse(d.describe()).describe() == d.describe());
    CHECK(parse(d.describe()).quantile(0.37) == d.quantile(0.37));
  }
}

TEST_CASE("percentiles of the text form agree with Boost.Math to 1e-9") {
  // PERT(a, m, b) is a + (b - a) Beta(1 + 4 (m - a)/(b - a), 1 + 4 (b - m)/(b - a)).
  const Distribution d = parse("pert(20, 28, 40)");
  const boost::math::beta_distribution<double> beta(1.0 + 4.0 * 8.0 / 20.0, 1.0 + 4.0 * 12.0 / 20.0);
  for (const double p : {0.01, 0.05, 0.1, 0.2, 0.5, 0.8, 0.9, 0.95, 0.99})
    CHECK(std::abs(d.quantile(p) - (20.0 + 20.0 * boost::math::quantile(beta, p))) < 1e-9);
}

TEST_CASE("a malformed text form names the column of the mistake") {
  CHECK(distribution_text_error_of("pert(20,28,4O)") == "SPEC:1:13: error: expected ')', found 'O'");
  CHECK(distribution_text_error_of("") == "SPEC:1:1: error: expected a distribution, e.g. 7 or pert(20, 28, 40), found the end of the text");
  CHECK(distribution_text_error_of("pret(1, 2, 3)").starts_with("SPEC:1:1: error: unknown distribution kind 'pret' (valid kinds: "));
  CHECK(distribution_text_error_of("pert(1, 2)") == "SPEC:1:1: error: pert takes 3 or 4 values, found 2");
  CHECK(distribution_text_error_of("triangular(1, 2, 3, 4)") == "SPEC:1:21: error: triangular takes at most 3 values by position");
  CHECK(distribution_text_error_of("pert(min=1, 2, 3)") == "SPEC:1:13: error: a value by position after one by name");
  CHECK(distribution_text_error_of("pert(1, 2, 3) x") == "SPEC:1:15: error: expected the end of the text, found 'x'");
  CHECK(distribution_text_error_of("uniform(1, inf)") == "SPEC:1:12: error: expected a number or name=value, found 'inf'");
  CHECK(distribution_text_error_of("uniform(1, 1e999)") == "SPEC:1:12: error: number out of range");
  CHECK(distribution_text_error_of("lognormal(p10=30)") ==
        "SPEC:1:1: error: lognormal: percentiles pNN=x are taken two at a time, by lognormal and trigen");
  CHECK(distribution_text_error_of("lognormal(p0=1, p90=90)") == "SPEC:1:11: error: percentile p0: its level must be in (0, 100)");
  CHECK(distribution_text_error_of("pert(min=1, min=2, max=3)") == "SPEC:1:13: error: min is given twice");
  CHECK(distribution_text_error_of("triangular(1, 40, 30)").starts_with("SPEC:1:1: error: triangular: mode 40 is above max 30"));
  CHECK(distribution_text_error_of("7 7") == "SPEC:1:3: error: expected the end of the text after a fixed value, found '7'");
  // The position moves with where the text starts (a TOML string's first character, say).
  try {
    parse_distribution("pert(1, 2)", {"a.toml", 12, 20});
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.where().line == 12);
    CHECK(e.where().column == 20);
  }
}

TEST_CASE("a scenario takes the text form as a string, with errors at their column in the file") {
  const std::string head = "[scenario]\nname = \"t\"\nepoch = \"2025-11-27T09:28Z\"\nhorizon = \"2027-06-30\"\n\n"
                           "[[pad]]\nid = \"p\"\ndown_at_epoch = true\nrepair = \"r\"\n\n[repair.r]\n\n"
                           "[[repair.r.task]]\nid = \"A\"\n";
  const auto text_form = models::load_scenario(head + "duration = \"pert(20, 28, 40)\"\n", "s.toml");
  const auto table_form = models::load_scenario(head + "duration = { pert = [20, 28, 40] }\n", "s.toml");
  ReplicationResult a, b;
  for (std::uint64_t k = 0; k < 50; ++k) {
    text_form->run(1, k, a);
    table_form->run(1, k, b);
    CHECK(a.outcomes == b.outcomes);
  }
  try {
    models::load_scenario(head + "duration = \"pert(20, 28, 4O)\"\n", "s.toml");
    FAIL("no error");
  } catch (const InputError& e) {
    // Line 15: the string opens at column 12, so its text starts at 13 and the O (offset 14) is at 27.
    CHECK(std::string(e.what()) == "s.toml:15:27: error: repair.r.task[A].duration: expected ')', found 'O'");
  }
}
