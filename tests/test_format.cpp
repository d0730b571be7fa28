// The one number formatter behind every message: the shortest text that reads back to the same double.
#include <doctest/doctest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "padsim/distribution.hpp"
#include "padsim/error.hpp"
#include "padsim/format.hpp"
#include "padsim/rng.hpp"

using padsim::format_number;

TEST_CASE("a number prints as the shortest text that reads back to it") {
  CHECK(format_number(1.0000001) == "1.0000001");  // never rounded to a misleading "1"
  CHECK(format_number(0.1) == "0.1");
  CHECK(format_number(1e308) == "1e+308");
  CHECK(format_number(3.0) == "3");  // integers without ".0"
  CHECK(format_number(-2.5) == "-2.5");
  CHECK(format_number(1.0 / 3.0) == "0.3333333333333333");
  CHECK(format_number(0.1 + 0.2) == "0.30000000000000004");
  CHECK(format_number(1e-7) == "1e-07");
  CHECK(format_number(123456789012.0) == "123456789012");
  CHECK(format_number(std::numeric_limits<double>::denorm_min()) == "5e-324");
}

TEST_CASE("infinities, NaN and negative zero are spelled plainly") {
  CHECK(format_number(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(format_number(-std::numeric_limits<double>::infinity()) == "-inf");
  CHECK(format_number(std::nan("")) == "nan");
  CHECK(format_number(-0.0) == "0");
}

TEST_CASE("every finite double survives the round trip through its text") {
  padsim::Rng rng(11, 0, padsim::stream_key("test"));
  for (int i = 0; i < 10000; ++i) {
    const double x = (rng.uniform01() - 0.5) * std::pow(10.0, 600.0 * rng.uniform01() - 300.0);
    const std::string text = format_number(x);
    double back = 0.0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), back);
    REQUIRE(result.ec == std::errc());
    REQUIRE(result.ptr == text.data() + text.size());
    REQUIRE(back == x);
  }
}

namespace {
// What std::to_chars writes for x, the definition format_number's whole-number path must match.
std::string to_chars_text(double x) {
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, result.ptr);
}
}  // namespace

TEST_CASE("whole numbers print exactly as std::to_chars prints them, scientific where shorter") {
  CHECK(format_number(10000.0) == "10000");  // five characters either way: fixed
  CHECK(format_number(100000.0) == "1e+05");  // shorter than its six digits
  CHECK(format_number(1000.0) == "1000");
  CHECK(format_number(120000.0) == "120000");
  CHECK(format_number(-7.0) == "-7");
  for (double x = -200000.0; x <= 200000.0; x += 1.0)
    REQUIRE(format_number(x) == to_chars_text(x == 0.0 ? 0.0 : x));
  padsim::Rng rng(12, 0, padsim::stream_key("test"));
  for (int i = 0; i < 100000; ++i) {
    // Whole numbers of every magnitude up to 10^17, many with trailing zeros.
    const double digits = std::floor(std::pow(10.0, 17.0 * rng.uniform01()));
    const double x = (rng.uniform01() < 0.5 ? -1.0 : 1.0) * digits *
                     std::pow(10.0, std::floor(4.0 * rng.uniform01()));
    REQUIRE(format_number(x) == to_chars_text(x));
  }
}

TEST_CASE("every double prints exactly as std::to_chars prints it") {
  // Whatever shortcut format_number takes (whole numbers), the text must be to_chars's, byte for
  // byte, in every magnitude, both layouts and at their border.
  padsim::Rng rng(13, 0, padsim::stream_key("test"));
  auto same = [](double x) {
    if (std::isnan(x) || std::isinf(x) || x == 0.0) return;
    REQUIRE(format_number(x) == to_chars_text(x));
  };
  for (int i = 0; i < 200000; ++i) {
    same(std::bit_cast<double>(rng()));            // any bit pattern: every exponent, subnormals
    same(1000.0 * rng.uniform01());                // days and kilograms, as runs.csv holds them
    same((rng.uniform01() - 0.5) * std::pow(10.0, 40.0 * rng.uniform01() - 20.0));
  }
  // Where fixed and scientific meet (0.0001 is "1e-04", 0.00012 "0.00012"), and neighbours of
  // powers of ten, whose digit counts change.
  for (int e = -330; e <= 310; ++e) {
    const double p = std::pow(10.0, e);
    for (const double m : {1.0, 1.2, 1.25, 1.234, 9.99, 5.0})
      for (const double x : {m * p, std::nextafter(m * p, 0.0), std::nextafter(m * p, 1e308)}) {
        same(x);
        same(-x);
      }
  }
  for (const double x : {0.5, 0.1, 1e-4, 1.5e-4, 0.001, 123.456, 2.5e-5, 1e-5, 1.25e-5,
                         std::numeric_limits<double>::min(), std::numeric_limits<double>::denorm_min(),
                         std::numeric_limits<double>::epsilon(), 4503599627370495.5})
    same(x);
}

TEST_CASE("append_formatted_number appends the same text") {
  std::string out = "x=";
  padsim::append_formatted_number(out, 0.25);
  CHECK(out == "x=0.25");
}

TEST_CASE("a message shows a parameter just outside its range as given, not rounded into it") {
  // With six significant digits this read "probability 1 is outside [0, 1]".
  CHECK_THROWS_WITH_AS(padsim::Distribution(padsim::DistributionSpec::uniform(2.0000001, 2.0)),
                       "uniform: min 2.0000001 is above max 2", padsim::ParameterError);
}

TEST_CASE("JSON strings and string arrays escape what JSON requires") {
  CHECK(padsim::json_string("a \"b\"\\\n\x01") == "\"a \\\"b\\\"\\\\\\n\\u0001\"");
  CHECK(padsim::json_string_array({}) == "[]");
  CHECK(padsim::json_string_array({"--set", "x=\"1\""}) == "[\"--set\", \"x=\\\"1\\\"\"]");
}
