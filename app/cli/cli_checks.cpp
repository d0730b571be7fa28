#include "cli_checks.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "padsim/format.hpp"

namespace padsim::cli {

std::string integer_range_error(const std::string& text, std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (digits && ec == std::errc() && ptr == end && value >= lo && value <= hi) return {};
  return "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
         ", got '" + text + "'";
}

CLI::Validator integer_in(std::uint64_t lo, std::uint64_t hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) { return integer_range_error(text, lo, hi); },
      "INT in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
}

CLI::Validator number_above(double lo, double hi) {
  const std::string range = "(" + format_number(lo) + ", " + format_number(hi) + "]";
  return CLI::Validator(
      [lo, hi, range](std::string& text) -> std::string {
        char* end = nullptr;
        const double x = std::strtod(text.c_str(), &end);
        if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(x) && x > lo &&
            x <= hi)
          return {};
        return "expected a number in " + range + ", got '" + text + "'";
      },
      "NUMBER in " + range);
}

}  // namespace padsim::cli
