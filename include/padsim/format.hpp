#pragma once
/// Numbers as text: the one formatter behind every message (and every CSV number cell).
///
///     padsim::format_number(0.1)        // "0.1"
///     padsim::format_number(1.0000001)  // "1.0000001", never a rounded "1"
///     padsim::format_number(3.0)        // "3"
///     padsim::format_number(1e308)      // "1e+308"

#include <string>
#include <string_view>
#include <vector>

namespace padsim {

/// The shortest text that reads back to the same double (std::to_chars): integers without ".0",
/// -0 as "0", infinities as "inf" / "-inf", NaN as "nan".
std::string format_number(double x);

/// Appends format_number(x) to `out` without a temporary string.
void append_formatted_number(std::string& out, double x);

/// `text` as a JSON string literal, quoted, with quotes, backslashes and control characters escaped.
std::string json_string(std::string_view text);
/// `items` as a JSON array of strings on one line: ["a", "b"].
std::string json_string_array(const std::vector<std::string>& items);
/// A JSON number (format_number), or `null` when not finite (JSON has no infinity or NaN).
std::string json_number(double x);

}  // namespace padsim
