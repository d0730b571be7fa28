#include "padsim/format.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace padsim {

void append_formatted_number(std::string& out, double x) {
  if (std::isnan(x)) {
    out += "nan";
    return;
  }
  if (std::isinf(x)) {
    out += x > 0 ? "inf" : "-inf";
    return;
  }
  if (x == 0.0) x = 0.0;  // -0 reads as a sign that means nothing to a reader
  char buf[32];
  // Half the cells of a batch's runs.csv hold whole numbers (events, counts): written as integers,
  // several times faster and the same text. The shortest form of a whole number below 10^15 is its
  // digits unless scientific notation is shorter, which takes trailing zeros and five digits or
  // more (10000 is "1e+04"), so those still go through the double formatter.
  if (std::abs(x) < 1e15 && x == std::trunc(x)) {
    const auto i = static_cast<std::int64_t>(x);
    if (i % 10 != 0 || (i > -10000 && i < 10000)) {
      const auto result = std::to_chars(buf, buf + sizeof buf, i);
      out.append(buf, result.ptr);
      return;
    }
  }           // the longest shortest form, "-2.2250738585072014e-308", is 24 characters
  const auto result = std::to_chars(buf, buf + sizeof buf, x);
  out.append(buf, result.ptr);
}

std::string format_number(double x) {
  std::string out;
  append_formatted_number(out, x);
  return out;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string json_string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += json_string(items[i]);
  }
  return out + "]";
}

std::string json_number(double x) { return std::isfinite(x) ? format_number(x) : "null"; }

}  // namespace padsim
