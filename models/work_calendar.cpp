// Working calendars: which UTC days work, how much work a day does, the weather's lost days, and
// the walks that turn work into simulated time (docs/model.md "Working calendars").
#include "work_calendar.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "padsim/calendar.hpp"
#include "padsim/models/repair_project.hpp"

namespace padsim::models {

namespace {

std::int64_t day_of(double utc_days) { return static_cast<std::int64_t>(std::floor(utc_days)); }

// The day an instant falls in, going forward: an instant within 1e-9 days (86 microseconds) below
// midnight counts as that midnight, so that a finish at the end of a Friday, rounded a hair short
// of it through the epoch's fraction, lets a successor start on Monday rather than at Friday's end.
struct DayPart {
  std::int64_t day;
  double gone;  // the part of `day` before the instant, in [0, 1)
};

DayPart day_part(double utc_days) {
  const std::int64_t day = day_of(utc_days + 1e-9);
  return {day, std::max(0.0, utc_days - static_cast<double>(day))};
}

struct MonthSpan {
  unsigned month;            // 0 = January
  std::int64_t begin, end;   // UTC days [begin, end)
};

MonthSpan month_span(std::int64_t day) {
  int year = 1970 + static_cast<int>(std::floor(static_cast<double>(day) / 365.2425));
  while (days_from_civil(year, 1, 1) > day) --year;
  while (days_from_civil(year + 1, 1, 1) <= day) ++year;
  unsigned month = 12;
  while (days_from_civil(year, month, 1) > day) --month;
  const std::int64_t end = month == 12 ? days_from_civil(year + 1, 1, 1) : days_from_civil(year, month + 1, 1);
  return {month - 1, days_from_civil(year, month, 1), end};
}

[[noreturn]] void walk_too_long(const WorkCalendarSpec& calendar) {
  throw SimulationError("calendar '" + calendar.id + "': a walk through it passed " +
                        std::to_string(kMaxCalendarWalkDays) + " days without ending");
}

[[noreturn]] void invalid(const SourcePosition& where, const std::string& message) {
  throw RepairSpecError(where, message);
}

}  // namespace

unsigned weekday_of(std::int64_t day) {
  return static_cast<unsigned>(((day + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
}

unsigned month_of(std::int64_t day) { return month_span(day).month; }

bool WorkCalendarSpec::works(std::int64_t day) const {
  if (std::binary_search(exceptions.begin(), exceptions.end(), day)) return true;
  if (std::binary_search(holidays.begin(), holidays.end(), day)) return false;
  return week[weekday_of(day)];
}

bool RepairCalendars::in_use() const {
  if (lag == LagCalendar::kNamed) return true;
  return std::any_of(task_calendar.begin(), task_calendar.end(), [](std::size_t c) { return c != kNoCalendar; });
}

void RepairCalendars::validate(std::size_t task_count) const {
  for (const WeatherSpec& w : weather) {
    for (const double p : w.loss_probability)
      if (!(p >= 0.0 && p < 1.0)) invalid(w.where, "weather '" + w.id + "': a loss probability must be in [0, 1)");
    if (!(w.persistence >= 0.0 && w.persistence < 1.0))
      invalid(w.where, "weather '" + w.id + "': persistence must be in [0, 1)");
  }
  for (const WorkCalendarSpec& c : calendars) {
    if (std::none_of(c.week.begin(), c.week.end(), [](bool b) { return b; }))
      invalid(c.where, "calendar '" + c.id + "' works no weekday: work on it could never finish");
    if (!(c.hours_per_day > 0.0 && c.hours_per_day <= 24.0))
      invalid(c.where, "calendar '" + c.id + "': hours_per_day must be in (0, 24]");
    for (const double p : c.productivity)
      if (!(p > 0.0) || !std::isfinite(p)) invalid(c.where, "calendar '" + c.id + "': productivity must be > 0");
    if (c.weather != kNoCalendar && c.weather >= weather.size())
      invalid(c.where, "calendar '" + c.id + "': unknown weather");
  }
  if (!task_calendar.empty() && task_calendar.size() != task_count)
    invalid({}, "calendars: one entry per task expected");
  if (!task_unit.empty() && task_unit.size() != task_count) invalid({}, "calendars: one unit per task expected");
  for (std::size_t t = 0; t < task_calendar.size(); ++t) {
    if (task_calendar[t] != kNoCalendar && task_calendar[t] >= calendars.size())
      invalid({}, "calendars: task " + std::to_string(t) + " names no calendar");
    if (!task_unit.empty() && task_unit[t] == WorkUnit::kHours && task_calendar[t] == kNoCalendar)
      invalid({}, "calendars: task " + std::to_string(t) + " counts hours but has no calendar");
  }
  if (lag == LagCalendar::kNamed && lag_calendar >= calendars.size()) invalid({}, "calendars: unknown lag calendar");
}

void WeatherDays::reset(const WeatherSpec& spec, Rng rng, bool deterministic, std::int64_t first_day) {
  spec_ = &spec;
  rng_ = rng;
  deterministic_ = deterministic;
  first_day_ = first_day;
  lost_.clear();
}

bool WeatherDays::lost(std::int64_t day) {
  if (day < first_day_) return false;  // before the instance: no weather is drawn for it
  const auto index = static_cast<std::size_t>(day - first_day_);
  if (index >= static_cast<std::size_t>(kMaxCalendarWalkDays)) return false;
  // Drawn in day order from the first day, whatever order the walks ask in: the sequence is a
  // function of the stream alone. A two-state Markov chain: with the month's probability p and
  // persistence r, a day after a lost day is lost with p + r (1 - p), after a worked day with
  // p (1 - r); its stationary probability is p and its lag-1 autocorrelation r.
  MonthSpan span{0, 1, 0};
  while (lost_.size() <= index) {
    const std::int64_t d = first_day_ + static_cast<std::int64_t>(lost_.size());
    if (d < span.begin || d >= span.end) span = month_span(d);
    const double p = spec_->loss_probability[span.month];
    bool is_lost = false;
    if (deterministic_) {
      is_lost = p > 0.5;
    } else {
      const double r = spec_->persistence;
      const double q = lost_.empty() ? p : lost_.back() ? p + r * (1.0 - p) : p * (1.0 - r);
      is_lost = rng_.uniform01() < q;
    }
    lost_.push_back(is_lost ? 1 : 0);
  }
  return lost_[index] != 0;
}

double CalendarWalk::month_factor(std::int64_t day) const {
  if (day < month_begin_ || day >= month_end_) {
    const MonthSpan span = month_span(day);
    month_ = span.month;
    month_begin_ = span.begin;
    month_end_ = span.end;
  }
  return calendar_.productivity[month_];
}

double CalendarWalk::capacity(std::int64_t day) const {
  if (!calendar_.works(day)) return 0.0;
  if (!productive_) return 1.0;
  if (weather_ && weather_->lost(day)) return 0.0;
  const double factor = month_factor(day);
  return unit_ == WorkUnit::kHours ? calendar_.hours_per_day * factor : factor;
}

double CalendarWalk::first_working(double t) const {
  std::int64_t day = day_part(epoch_day_ + t).day;
  if (capacity(day) > 0.0) return t;
  for (std::int64_t n = 0; n < kMaxCalendarWalkDays; ++n)
    if (capacity(++day) > 0.0) return static_cast<double>(day) - epoch_day_;
  walk_too_long(calendar_);
}

double CalendarWalk::finish(double start, double work) const {
  if (!(work > 0.0)) return start;
  const DayPart part = day_part(epoch_day_ + start);
  std::int64_t day = part.day;
  double gone = part.gone;  // the part of `day` before the start
  for (std::int64_t n = 0; n < kMaxCalendarWalkDays; ++n, ++day, gone = 0.0) {
    const double c = capacity(day);
    if (!(c > 0.0)) continue;
    const double available = c * (1.0 - gone);
    if (work <= available) return static_cast<double>(day) + gone + work / c - epoch_day_;
    work -= available;
  }
  walk_too_long(calendar_);
}

double CalendarWalk::latest_start(double end, double work, double floor) const {
  if (!(work > 0.0)) return std::max(end, floor);
  const double u = epoch_day_ + end;
  std::int64_t day = day_of(u);
  double before = u - static_cast<double>(day);  // the part of `day` before the end
  const std::int64_t first = day_of(epoch_day_ + floor);
  for (std::int64_t n = 0; n < kMaxCalendarWalkDays && day >= first; ++n, --day, before = 1.0) {
    const double c = capacity(day);
    if (!(c > 0.0) || !(before > 0.0)) continue;
    const double available = c * before;
    if (work <= available) return std::max(floor, static_cast<double>(day) + before - work / c - epoch_day_);
    work -= available;
  }
  return floor;
}

double CalendarWalk::advance(double t, double days) const {
  if (days > 0.0) return finish(t, days);
  if (days < 0.0) return latest_start(t, -days, t - static_cast<double>(kMaxCalendarWalkDays));
  return t;
}

}  // namespace padsim::models
