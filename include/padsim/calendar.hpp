#pragma once
/// Dates a user reads: simulated days since the scenario's epoch as ISO 8601 UTC text.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "padsim/time.hpp"

namespace padsim {

/// Seconds since 1970-01-01T00:00Z of an ISO 8601 date or date-time: `YYYY-MM-DD` or
/// `YYYY-MM-DD(T| )HH:MM[:SS[.fff]]`, optionally ending in `Z` or a `+HH:MM` / `-HH:MM` offset.
/// nullopt when the text is malformed or the date impossible (2025-02-30).
std::optional<double> parse_iso8601(std::string_view text);

/// `YYYY-MM-DDTHH:MM:SSZ` of seconds since 1970-01-01T00:00Z, rounded to the second; with
/// `date_only`, the `YYYY-MM-DD` of the UTC day containing it.
std::string format_iso8601(double unix_seconds, bool date_only = false);

/// Days since 1970-01-01 of a proleptic Gregorian date (not validated).
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

/// The scenario's epoch, and simulated time converted to calendar dates from it (UTC, no leap
/// seconds, proleptic Gregorian).
///
///     padsim::Calendar cal("2025-11-27T09:28Z");
///     cal.datetime(1.5);   // "2025-11-28T21:28:00Z"
///     cal.date(1.5);       // "2025-11-28"
class Calendar {
 public:
  /// Parses the epoch as parse_iso8601() does. Throws padsim::Error naming the text.
  explicit Calendar(std::string_view epoch);

  /// `YYYY-MM-DDTHH:MM:SSZ` of time `t`, rounded to the nearest second.
  std::string datetime(Time t) const;
  /// `YYYY-MM-DD` of the UTC day containing time `t`.
  std::string date(Time t) const;

 private:
  std::int64_t epoch_ms_ = 0;  // milliseconds since 1970-01-01T00:00Z
};

}  // namespace padsim
