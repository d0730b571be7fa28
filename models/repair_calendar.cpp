// A repair project on working calendars: where each task starts and ends when its work is walked
// through its calendar, what each link allows, and the driving path (docs/model.md "Working
// calendars"). Used only when some task or the lags have a calendar (Impl::by_calendar); without
// one, the project keeps the arithmetic of repair_draws.cpp (finish = start + duration).
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "padsim/models/repair_project.hpp"
#include "repair_project_impl.hpp"

namespace padsim::models {

namespace {

CalendarWalk task_walk(const RepairProject::Impl& p, const RepairDraws& d, std::size_t task) {
  const WorkCalendarSpec& calendar = p.calendars.calendars[p.calendars.task_calendar[task]];
  WeatherDays* weather = calendar.weather == kNoCalendar ? nullptr : &d.weather[calendar.weather];
  const WorkUnit unit = p.calendars.task_unit.empty() ? WorkUnit::kDays : p.calendars.task_unit[task];
  return CalendarWalk(calendar, p.calendars.epoch_day, weather, true, unit);
}

}  // namespace

void RepairProject::Impl::begin_calendar(const RepairDraws& d, double t0) const {
  const auto first_day = static_cast<std::int64_t>(std::floor(calendars.epoch_day + t0));
  d.weather.resize(calendars.weather.size());
  // One stream per weather process, keyed by its id like a task's: adding weather changes no other
  // draw, and every task whose calendar names it loses the same days.
  for (std::size_t w = 0; w < calendars.weather.size(); ++w)
    d.weather[w].reset(calendars.weather[w], Rng(0, 0, d.instance ^ weather_key[w]), d.deterministic, first_day);
  d.bound.assign(links.size(), std::numeric_limits<double>::quiet_NaN());
  d.ready.assign(tasks.size(), t0);
  d.t0 = t0;
}

double RepairProject::Impl::task_start(const RepairDraws& d, std::size_t task, double at) const {
  if (calendars.task_calendar[task] == kNoCalendar || !std::isnan(fixed_start(d, task))) return at;
  return task_walk(*this, d, task).first_working(at);
}

double RepairProject::Impl::task_finish(const RepairDraws& d, std::size_t task, double start) const {
  // A task under way at the status date counts in calendar days: its elapsed time is a fact.
  if (calendars.task_calendar[task] == kNoCalendar || !std::isnan(fixed_start(d, task)))
    return start + d.tasks[task].duration;
  return task_walk(*this, d, task).finish(start, d.tasks[task].duration);
}

double RepairProject::Impl::link_bound(const RepairDraws& d, std::size_t l, const TaskRecord& pred) const {
  const Link& link = links[l];
  const double from = link.type == LinkType::kStartToStart ? pred.start : pred.finish;
  double to = from;
  if (link.lag_is_percent) {
    to = from + link.lag_percent / 100.0 * (pred.finish - pred.start);  // of the realised calendar time
  } else if (d.offset[l] != 0.0) {
    std::size_t lag_calendar = kNoCalendar;
    switch (calendars.lag) {
      case LagCalendar::kSuccessor: lag_calendar = calendars.task_calendar[link.succ]; break;
      case LagCalendar::kPredecessor: lag_calendar = calendars.task_calendar[link.pred]; break;
      case LagCalendar::kContinuous: break;
      case LagCalendar::kNamed: lag_calendar = calendars.lag_calendar; break;
    }
    to = lag_calendar == kNoCalendar
             ? from + d.offset[l]
             : CalendarWalk(calendars.calendars[lag_calendar], calendars.epoch_day, nullptr, false).advance(from, d.offset[l]);
  }
  if (link.type != LinkType::kFinishToFinish) return to;
  // FF: the successor starts no earlier than the latest start from which its work ends at `to`.
  const std::size_t succ = link.succ;
  if (calendars.task_calendar[succ] == kNoCalendar) return to - d.tasks[succ].duration;
  return task_walk(*this, d, succ).latest_start(to, d.tasks[succ].duration, d.t0);
}

void RepairProject::Impl::mark_critical_by_calendar(const RepairDraws& d, double completion,
                                                    std::vector<TaskRecord>& records) const {
  // On calendars a task's float is not a difference of times (a day's slip can cost a weekend), so
  // the critical tasks are the driving path: those finishing at the completion, and back through
  // every link whose bound set its successor's start (ties are all followed).
  mark_driving_path(d, completion, records, [&](std::size_t task, const auto& mark) {
    if (!std::isnan(fixed_start(d, task))) return;  // its start is a fact, not driven by links
    for (std::size_t l : links_into(task))
      if (d.tasks[links[l].pred].kept && d.bound[l] >= d.ready[task] - kFloatTolerance) mark(links[l].pred);
  });
}

const RepairCalendars& RepairProject::calendars() const noexcept { return impl_->calendars; }

void RepairProject::set_calendars(RepairCalendars calendars) {
  calendars.validate(impl_->tasks.size());
  if (calendars.task_calendar.empty()) calendars.task_calendar.assign(impl_->tasks.size(), kNoCalendar);
  impl_->weather_key.clear();
  for (const WeatherSpec& w : calendars.weather) impl_->weather_key.push_back(stream_key("repair-weather", w.id));
  impl_->by_calendar = calendars.in_use();
  impl_->calendars = std::move(calendars);
}

}  // namespace padsim::models
