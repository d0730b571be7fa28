#pragma once
/// Dates a user reads: simulated days since the scenario's epoch as ISO 8601 UTC text.

#include <cstdint>
#include <string>
#include <string_view>

#include "padsim/time.hpp"

namespace padsim {

/// The scenario's epoch, and simulated time converted to calendar dates from it (UTC, no leap
/// seconds, proleptic Gregorian).
///
///     padsim::Calendar cal("2025-11-27T09:28Z");
///     cal.datetime(1.5);   // "2025-11-28T21:28:00Z"
///     cal.date(1.5);       // "2025-11-28"
class Calendar {
 public:
  /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS` (optionally with fractional
  /// seconds), each optionally ending in `Z` or `+00:00`. Throws padsim::Error naming the text.
  explicit Calendar(std::string_view epoch);

  /// `YYYY-MM-DDTHH:MM:SSZ` of time `t`, rounded to the nearest second.
  std::string datetime(Time t) const;
  /// `YYYY-MM-DD` of the UTC day containing time `t`.
  std::string date(Time t) const;

 private:
  std::int64_t epoch_ms_ = 0;  // milliseconds since 1970-01-01T00:00Z
};

}  // namespace padsim
