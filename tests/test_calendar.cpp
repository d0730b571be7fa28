// Calendar dates from the scenario epoch.
#include <doctest/doctest.h>

#include "padsim/calendar.hpp"
#include "padsim/error.hpp"

using padsim::Calendar;

TEST_CASE("days since the epoch become ISO 8601 UTC dates") {
  const Calendar cal("2025-11-27T09:28Z");
  CHECK(cal.datetime(0.0) == "2025-11-27T09:28:00Z");
  CHECK(cal.datetime(1.5) == "2025-11-28T21:28:00Z");
  CHECK(cal.date(1.5) == "2025-11-28");
  CHECK(cal.date(96.0) == "2026-03-03");  // the pad restored on day 96
  CHECK(cal.datetime(-0.5) == "2025-11-26T21:28:00Z");
  CHECK(Calendar("2024-02-28").date(1.0) == "2024-02-29");  // leap day
  CHECK(Calendar("2025-12-31T23:59:59.6Z").datetime(0.0) == "2026-01-01T00:00:00Z");
  CHECK(Calendar("2025-01-01T00:00:00+00:00").datetime(1.0 / 24.0) == "2025-01-01T01:00:00Z");
}

TEST_CASE("an epoch that is not ISO 8601 UTC is an error naming it") {
  CHECK_THROWS_WITH_AS(Calendar("27/11/2025"), doctest::Contains("27/11/2025"), padsim::Error);
  CHECK_THROWS_AS(Calendar("2025-02-30"), padsim::Error);
  CHECK(Calendar("2025-11-27T12:28+03:00").datetime(0.0) == "2025-11-27T09:28:00Z");  // MSK to UTC
  CHECK_THROWS_AS(Calendar("2025-11-27T09:28+3:00"), padsim::Error);
}

TEST_CASE("ISO 8601 text parses to seconds since 1970 and formats back in UTC") {
  CHECK(padsim::parse_iso8601("1970-01-02").value() == 86'400.0);
  CHECK(padsim::parse_iso8601("2025-11-27T09:28Z").value() == 1'764'235'680.0);
  CHECK(padsim::parse_iso8601("2025-11-27T12:28:00+03:00").value() == 1'764'235'680.0);
  CHECK(padsim::parse_iso8601("2025-11-27T04:28-05:00").value() == 1'764'235'680.0);
  CHECK(padsim::parse_iso8601("2025-11-27 09:27:57.5Z").value() == 1'764'235'677.5);
  CHECK_FALSE(padsim::parse_iso8601("2025-02-30").has_value());
  CHECK_FALSE(padsim::parse_iso8601("2025-11-27T25:00Z").has_value());
  CHECK_FALSE(padsim::parse_iso8601("2025-11-27T09:28 UTC").has_value());
  CHECK(padsim::format_iso8601(1'764'235'680.0) == "2025-11-27T09:28:00Z");
  CHECK(padsim::format_iso8601(1'764'235'680.0, true) == "2025-11-27");
  CHECK(padsim::format_iso8601(-0.4) == "1970-01-01T00:00:00Z");
  CHECK(padsim::format_iso8601(-1.0, true) == "1969-12-31");
}
