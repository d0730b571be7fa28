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
              "' is not an ISO 8601 UTC date (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z)");
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

}  // namespace

Calendar::Calendar(std::string_view text) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, hh = 0, mm = 0, ss = 0;
  double fraction = 0.0;
  if (!digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, mo) ||
      text[7] != '-' || !digits(text, 8, 2, d))
    bad_epoch(text);
  std::size_t pos = 10;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
    if (!digits(text, pos + 1, 2, hh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !digits(text, pos + 4, 2, mm))
      bad_epoch(text);
    pos += 6;
    if (pos < text.size() && text[pos] == ':') {
      if (!digits(text, pos + 1, 2, ss)) bad_epoch(text);
      pos += 3;
      if (pos < text.size() && text[pos] == '.') {
        double scale = 0.1;
        ++pos;
        if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') bad_epoch(text);
        for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, scale /= 10)
          fraction += (text[pos] - '0') * scale;
      }
    }
  }
  const std::string_view zone = text.substr(pos);
  if (!(zone.empty() || zone == "Z" || zone == "+00:00" || zone == "+0000")) bad_epoch(text);
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || hh > 23 || mm > 59 || ss > 60) bad_epoch(text);
  const std::int64_t day_number = sys_days{ymd}.time_since_epoch().count();
  epoch_ms_ = day_number * kMsPerDay + ((hh * 60 + mm) * 60 + ss) * std::int64_t{1000} +
              std::llround(fraction * 1000.0);
}

std::string Calendar::datetime(Time t) const {
  // Rounded to the second once, so 23:59:59.6 becomes the next day's 00:00:00 consistently.
  const std::int64_t ms = epoch_ms_ + std::llround(t * static_cast<double>(kMsPerDay));
  const std::int64_t seconds = floor_div(ms + 500, 1000);
  const std::int64_t day_number = floor_div(seconds, 86'400);
  const std::int64_t in_day = seconds - day_number * 86'400;
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(in_day / 3600),
                static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
  return format_ymd(day_number) + buf;
}

std::string Calendar::date(Time t) const {
  const std::int64_t ms = epoch_ms_ + std::llround(t * static_cast<double>(kMsPerDay));
  return format_ymd(floor_div(ms, kMsPerDay));
}

}  // namespace padsim
