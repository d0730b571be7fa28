#pragma once
// Private to padsim::models: the calendar keys of `[repair.ID]` (docs/scenario.md "Working
// calendars"): [[repair.ID.calendar]], [[repair.ID.weather]], default_calendar, lag_calendar, and
// each task's calendar and unit.

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "toml_util.hpp"
#include "work_calendar.hpp"

namespace padsim::models::detail {

/// Reads a repair's calendars in three steps: the definitions (before the tasks, so that tasks may
/// name them), each task's keys, then the project's; every problem is an InputError at its place.
class RepairCalendarReader {
 public:
  RepairCalendarReader(const TomlContext& ctx, const toml::table& table, std::string entry, double epoch_seconds)
      : ctx_(ctx), table_(table), entry_(std::move(entry)), epoch_seconds_(epoch_seconds) {}

  /// [[ENTRY.weather]] and [[ENTRY.calendar]].
  void read_definitions();
  /// A task's `calendar` and `unit` (the task's table `row`, its entry for messages).
  void read_task(const toml::table& row, const std::string& entry, std::size_t task);
  /// `default_calendar` and `lag_calendar`, then the calendars of the `task_count` tasks.
  RepairCalendars finish(std::size_t task_count);

 private:
  void read_weather(const toml::table& t, const std::string& list_entry);
  void read_calendar(const toml::table& t, const std::string& list_entry);
  std::array<double, 12> by_month(const toml::node& node, const std::string& entry, bool probability) const;
  std::vector<std::int64_t> days(const toml::node& node, const std::string& entry) const;
  std::size_t calendar_index(const toml::node& node, const std::string& entry) const;
  std::string id(const toml::table& t, const std::string& list_entry, const std::map<std::string, std::size_t>& seen,
                 const char* what) const;

  const TomlContext& ctx_;
  const toml::table& table_;
  std::string entry_;
  double epoch_seconds_;
  RepairCalendars result_;
  std::map<std::string, std::size_t> calendar_index_, weather_index_;
  std::map<std::size_t, std::size_t> task_calendar_;  // tasks that name their calendar
  std::map<std::size_t, WorkUnit> task_unit_;
  std::map<std::size_t, std::pair<const toml::node*, std::string>> hours_node_;  // where a task asks for hours
};

}  // namespace padsim::models::detail
