#pragma once
// Private to padsim::models: working calendars, seasonal productivity and weather downtime of repair
// tasks (docs/model.md "Working calendars"; keys in docs/scenario.md). A task on a calendar draws its
// work in working days or hours; walking its calendar forward from its start turns that work into
// simulated (calendar) time. Days are UTC days counted from the scenario's epoch.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "padsim/error.hpp"
#include "padsim/rng.hpp"

namespace padsim::models {

/// A weather downtime process: the probability, by month (January first), that a calendar day is
/// lost to the weather, and the lag-1 autocorrelation of lost days (a two-state Markov chain).
struct WeatherSpec {
  std::string id;
  std::array<double, 12> loss_probability{};  ///< each in [0, 1)
  double persistence = 0.0;                   ///< in [0, 1); 0: days independent
  SourcePosition where;
};

/// A working calendar: which days are worked, how many hours, and how much work a day does.
struct WorkCalendarSpec {
  std::string id;
  std::array<bool, 7> week{true, true, true, true, true, true, true};  ///< Monday first
  double hours_per_day = 24.0;                                         ///< in (0, 24]
  std::vector<std::int64_t> holidays;    ///< non-working UTC days (days since 1970-01-01), sorted
  std::vector<std::int64_t> exceptions;  ///< working UTC days the week would not work, sorted
  std::array<double, 12> productivity{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};  ///< by month, each > 0
  std::size_t weather = static_cast<std::size_t>(-1);  ///< index into RepairCalendars::weather; -1: none
  SourcePosition where;

  /// Whether UTC day `day` is a working day (week, holidays, then exceptions).
  bool works(std::int64_t day) const;
};

/// A task's (or a lag's) calendar index meaning "continuous days": no calendar.
inline constexpr std::size_t kNoCalendar = static_cast<std::size_t>(-1);

/// What a calendar task's drawn duration counts.
enum class WorkUnit { kDays, kHours };

/// Which calendar a link's lag in days counts in (`lag_calendar`).
enum class LagCalendar { kSuccessor, kPredecessor, kContinuous, kNamed };

/// The calendars of one repair project (RepairProject::set_calendars).
struct RepairCalendars {
  double epoch_day = 0.0;  ///< days since 1970-01-01T00:00Z of simulated time 0 (may have a fraction)
  std::vector<WorkCalendarSpec> calendars;
  std::vector<WeatherSpec> weather;
  std::vector<std::size_t> task_calendar;  ///< per task: index into calendars, or kNoCalendar
  std::vector<WorkUnit> task_unit;         ///< per task (empty: all days)
  LagCalendar lag = LagCalendar::kSuccessor;
  std::size_t lag_calendar = kNoCalendar;  ///< with LagCalendar::kNamed

  /// True when some task or the lags use a calendar: the project then schedules by calendar.
  bool in_use() const;
  /// Checks the numbers (the loader reports them at their place first): throws RepairSpecError.
  void validate(std::size_t task_count) const;
};

/// The longest walk through a calendar, in days (a guard: validation makes every walk finite).
inline constexpr std::int64_t kMaxCalendarWalkDays = 1'000'000;

/// The day-by-day weather of one repair instance: which UTC days are lost, drawn lazily from the
/// first day of the instance on, one stream per weather process (keyed by its id).
class WeatherDays {
 public:
  /// Starts the sequence at UTC day `first_day`. `deterministic`: a day is lost iff its month's
  /// probability exceeds 0.5 (DrawMode's rule), and `rng` is not used.
  void reset(const WeatherSpec& spec, Rng rng, bool deterministic, std::int64_t first_day);
  /// Whether UTC day `day` (>= the first day) is lost; draws the days up to it on first use.
  bool lost(std::int64_t day);
  std::int64_t first_day() const noexcept { return first_day_; }

 private:
  const WeatherSpec* spec_ = nullptr;
  Rng rng_{0, 0, 0};
  bool deterministic_ = false;
  std::int64_t first_day_ = 0;
  std::vector<unsigned char> lost_;  // from first_day_ on
};

/// Month (0 = January) of UTC day `day` (days since 1970-01-01).
unsigned month_of(std::int64_t day);
/// Weekday (0 = Monday) of UTC day `day`.
unsigned weekday_of(std::int64_t day);

/// Walks one calendar over simulated time. `weather` may be null (no downtime, or a lag).
class CalendarWalk {
 public:
  /// `productive`: days weigh by productivity and weather (work); otherwise every working day is one
  /// day (a lag counts working days).
  CalendarWalk(const WorkCalendarSpec& calendar, double epoch_day, WeatherDays* weather, bool productive,
               WorkUnit unit = WorkUnit::kDays)
      : calendar_(calendar), epoch_day_(epoch_day), weather_(weather), productive_(productive), unit_(unit) {}

  /// The first working instant at or after simulated time `t`.
  double first_working(double t) const;
  /// The simulated time at which `work` (>= 0) done from `start` on is complete; a day's capacity is
  /// spread evenly over its 24 hours, so a start part-way through a day gets the rest of it.
  double finish(double start, double work) const;
  /// The latest start from which `work` (>= 0) is complete by `end` (`floor` if earlier: the walk
  /// does not go before it).
  double latest_start(double end, double work, double floor) const;
  /// `t` moved by `days` working days (negative: back), counted in working days of the calendar.
  double advance(double t, double days) const;

 private:
  double capacity(std::int64_t day) const;  // work one whole day does (0: not worked)
  double month_factor(std::int64_t day) const;

  // The month last looked up: a walk goes day by day, so month_of() runs once per month crossed.
  mutable std::int64_t month_begin_ = 1, month_end_ = 0;
  mutable unsigned month_ = 0;

  const WorkCalendarSpec& calendar_;
  double epoch_day_;
  WeatherDays* weather_;
  bool productive_;
  WorkUnit unit_;
};

}  // namespace padsim::models
