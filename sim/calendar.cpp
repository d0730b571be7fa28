#include "padsim/calendar.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "padsim/error.hpp"

namespace padsim {

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

[[noreturn]] void bad_epoch(std::string_view text) {
  throw Error("epoch '" + std::string(text) +
              "' is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM])");
}

// Reads exactly `width` digits at `pos`.
bool digits(std::string_view s, std::size_t pos, std::size_t width, int& value) {
  if (pos + width > s.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

std::string format_ymd(std::int64_t day_number) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{day_number}}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// Rounded to the second once, so 23:59:59.6 becomes the next day's 00:00:00 consistently.
std::string format_datetime_ms(std::int64_t ms) {
  const std::int64_t seconds = floor_div(ms + 500, 1000);
  const std::int64_t day_number = floor_div(seconds, 86'400);
  const std::int64_t in_day = seconds - day_number * 86'400;
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(in_day / 3600),
                static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
  return format_ymd(day_number) + buf;
}

std::string format_date_ms(std::int64_t ms) { return format_ymd(floor_div(ms, kMsPerDay)); }

}  // namespace

std::optional<double> parse_iso8601(std::string_view text) {
  int y = 0, mo = 0, d = 0, hh = 0, mm = 0, ss = 0;
  double fraction = 0.0;
  if (!digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, mo) ||
      text[7] != '-' || !digits(text, 8, 2, d))
    return std::nullopt;
  std::size_t pos = 10;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
    if (!digits(text, pos + 1, 2, hh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !digits(text, pos + 4, 2, mm))
      return std::nullopt;
    pos += 6;
    if (pos < text.size() && text[pos] == ':') {
      if (!digits(text, pos + 1, 2, ss)) return std::nullopt;
      pos += 3;
      if (pos < text.size() && text[pos] == '.') {
        double scale = 0.1;
        ++pos;
        if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') return std::nullopt;
        for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, scale /= 10)
          fraction += (text[pos] - '0') * scale;
      }
    }
  }
  int offset_minutes = 0;
  const std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh = 0, om = 0;
    if (!digits(zone, 1, 2, oh) || !digits(zone, 4, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (oh * 60 + om);
  } else if (!zone.empty()) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  return static_cast<double>(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) * 86'400.0 +
         ((hh * 60 + mm - offset_minutes) * 60 + ss) + fraction;
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return sys_days{year_month_day{year{y}, month{m}, day{d}}}.time_since_epoch().count();
}

std::string format_iso8601(double unix_seconds, bool date_only) {
  const std::int64_t ms = std::llround(unix_seconds * 1000.0);
  return date_only ? format_date_ms(ms) : format_datetime_ms(ms);
}

Calendar::Calendar(std::string_view text) {
  const std::optional<double> seconds = parse_iso8601(text);
  if (!seconds) bad_epoch(text);
  epoch_ms_ = std::llround(*seconds * 1000.0);
}

std::string Calendar::datetime(Time t) const {
  return format_datetime_ms(epoch_ms_ + std::llround(t * static_cast<double>(kMsPerDay)));
}

std::string Calendar::date(Time t) const {
  return format_date_ms(epoch_ms_ + std::llround(t * static_cast<double>(kMsPerDay)));
}

}  // namespace padsim
