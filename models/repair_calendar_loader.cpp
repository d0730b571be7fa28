// The calendar keys of `[repair.ID]` -> RepairCalendars (docs/scenario.md "Working calendars").
// Every rule that can make a walk endless is refused here, at its place: a week with no working day,
// a productivity of 0, a day lost with certainty.
#include "repair_calendar_loader.hpp"

#include <algorithm>
#include <cmath>

#include "padsim/calendar.hpp"

namespace padsim::models::detail {

namespace {

constexpr const char* kWeekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// The names a calendar id may not take: they mean something else where a calendar is named.
bool reserved(const std::string& id) { return id == "continuous" || id == "successor" || id == "predecessor"; }

std::string known_list(const std::map<std::string, std::size_t>& index) {
  std::string out;
  for (const auto& entry : index) out += (out.empty() ? "" : ", ") + entry.first;
  return out;
}

}  // namespace

void RepairCalendarReader::read_definitions() {
  result_.epoch_day = epoch_seconds_ / 86400.0;
  for (const char* key : {"weather", "calendar"}) {
    const toml::node* node = table_.get(key);
    if (!node) continue;
    const std::string list_entry = entry_ + "." + key;
    const toml::array* list = node->as_array();
    if (!list || !list->is_array_of_tables()) {
      ctx_.attempt([&] {
        ctx_.fail(*node, list_entry, "expected an array of tables: write each as [[" + list_entry + "]]");
      });
      continue;
    }
    for (auto&& item : *list)
      ctx_.attempt([&] {
        if (key[0] == 'w') read_weather(*item.as_table(), list_entry);
        else read_calendar(*item.as_table(), list_entry);
      }, id_or_empty(item));
  }
}

std::string RepairCalendarReader::id(const toml::table& t, const std::string& list_entry,
                                     const std::map<std::string, std::size_t>& seen, const char* what) const {
  const std::string id = ctx_.string(t, list_entry, "id");
  const toml::node& node = *t.get("id");
  if (id.empty()) ctx_.fail(node, list_entry + ".id", std::string("a ") + what + " id must not be empty");
  if (seen.count(id)) ctx_.fail(node, list_entry + ".id", std::string(what) + " '" + id + "' is defined twice");
  return id;
}

void RepairCalendarReader::read_weather(const toml::table& t, const std::string& list_entry) {
  ctx_.check_keys(t, list_entry, {"id", "loss_probability", "persistence"});
  WeatherSpec w;
  w.id = id(t, list_entry, weather_index_, "weather");
  const std::string entry = list_entry + "[" + w.id + "]";
  w.where = ctx_.at(*t.get("id"));
  w.loss_probability = by_month(ctx_.require(t, entry, "loss_probability"), entry + ".loss_probability", true);
  if (const toml::node* p = t.get("persistence")) {
    w.persistence = ctx_.number(*p, entry + ".persistence");
    if (!(w.persistence >= 0.0 && w.persistence < 1.0))
      ctx_.fail(*p, entry + ".persistence", "must be in [0, 1), found " + format_number(w.persistence));
  }
  weather_index_[w.id] = result_.weather.size();
  result_.weather.push_back(std::move(w));
}

void RepairCalendarReader::read_calendar(const toml::table& t, const std::string& list_entry) {
  ctx_.check_keys(t, list_entry, {"id", "week", "hours_per_day", "holidays", "exceptions", "productivity", "weather"});
  WorkCalendarSpec c;
  c.id = id(t, list_entry, calendar_index_, "calendar");
  if (reserved(c.id))
    ctx_.fail(*t.get("id"), list_entry + ".id",
              "'" + c.id + "' is reserved (continuous, successor and predecessor name no calendar)");
  const std::string entry = list_entry + "[" + c.id + "]";
  c.where = ctx_.at(*t.get("id"));
  if (const toml::node* week = t.get("week")) {
    c.week.fill(false);
    for (auto&& day : ctx_.array(*week, entry + ".week")) {
      const std::string name = ctx_.string(day, entry + ".week");
      const auto* it = std::find_if(std::begin(kWeekdays), std::end(kWeekdays), [&](const char* w) { return name == w; });
      if (it == std::end(kWeekdays))
        ctx_.fail(day, entry + ".week", "unknown weekday '" + name + "' (expected mon, tue, wed, thu, fri, sat or sun)");
      const auto index = static_cast<std::size_t>(it - std::begin(kWeekdays));
      if (c.week[index]) ctx_.fail(day, entry + ".week", "'" + name + "' is listed twice");
      c.week[index] = true;
    }
    if (std::none_of(c.week.begin(), c.week.end(), [](bool b) { return b; }))
      ctx_.fail(*week, entry + ".week", "no working weekday: work on this calendar could never finish");
  }
  if (const toml::node* h = t.get("hours_per_day")) {
    c.hours_per_day = ctx_.number(*h, entry + ".hours_per_day");
    if (!(c.hours_per_day > 0.0 && c.hours_per_day <= 24.0))
      ctx_.fail(*h, entry + ".hours_per_day", "must be in (0, 24], found " + format_number(c.hours_per_day));
  }
  if (const toml::node* h = t.get("holidays")) c.holidays = days(*h, entry + ".holidays");
  if (const toml::node* e = t.get("exceptions")) {
    c.exceptions = days(*e, entry + ".exceptions");
    for (const std::int64_t day : c.exceptions)
      if (std::binary_search(c.holidays.begin(), c.holidays.end(), day))
        ctx_.fail(*e, entry + ".exceptions",
                  format_iso8601(static_cast<double>(day) * 86400.0, true) + " is also a holiday: give it once");
  }
  if (const toml::node* p = t.get("productivity")) c.productivity = by_month(*p, entry + ".productivity", false);
  if (const toml::node* w = t.get("weather")) {
    const std::string name = ctx_.string(*w, entry + ".weather");
    const auto it = weather_index_.find(name);
    if (it == weather_index_.end())
      ctx_.fail_unknown(*w, entry + ".weather", name,
                        "unknown weather '" + name + "' (" +
                            (!table_.get("weather") ? "the repair defines none: add [[" + entry_ + ".weather]]"
                                                    : "defined: " + known_list(weather_index_)) + ")");
    c.weather = it->second;
  }
  calendar_index_[c.id] = result_.calendars.size();
  result_.calendars.push_back(std::move(c));
}

std::array<double, 12> RepairCalendarReader::by_month(const toml::node& node, const std::string& entry,
                                                       bool probability) const {
  const toml::array& values = ctx_.array(node, entry);
  if (values.size() != 12)
    ctx_.fail(node, entry, "expected 12 values (January to December), found " + std::to_string(values.size()));
  std::array<double, 12> out{};
  for (std::size_t m = 0; m < 12; ++m) {
    const toml::node& v = *values.get(m);
    out[m] = ctx_.number(v, entry);
    if (probability && !(out[m] >= 0.0 && out[m] < 1.0))
      ctx_.fail(v, entry, "must be in [0, 1) (a day lost for certain would never end a task), found " +
                              format_number(out[m]));
    if (!probability && !(out[m] > 0.0))
      ctx_.fail(v, entry, "must be > 0 (no work done would never end a task), found " + format_number(out[m]));
  }
  return out;
}

std::vector<std::int64_t> RepairCalendarReader::days(const toml::node& node, const std::string& entry) const {
  std::vector<std::int64_t> out;
  for (auto&& item : ctx_.array(node, entry))
    out.push_back(static_cast<std::int64_t>(std::floor(ctx_.seconds(item, entry) / 86400.0)));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::size_t RepairCalendarReader::calendar_index(const toml::node& node, const std::string& entry) const {
  const std::string name = ctx_.string(node, entry);
  if (name == "continuous") return kNoCalendar;
  const auto it = calendar_index_.find(name);
  if (it == calendar_index_.end())
    ctx_.fail_unknown(node, entry, name,
                      "unknown calendar '" + name + "' (" +
                          (!table_.get("calendar") ? "the repair defines none: add [[" + entry_ + ".calendar]]"
                                                   : "defined: " + known_list(calendar_index_) + ", or continuous") + ")");
  return it->second;
}

void RepairCalendarReader::read_task(const toml::table& row, const std::string& entry, std::size_t task) {
  if (const toml::node* c = row.get("calendar")) task_calendar_[task] = calendar_index(*c, entry + ".calendar");
  if (const toml::node* u = row.get("unit")) {
    const std::string unit = ctx_.string(*u, entry + ".unit");
    if (unit != "days" && unit != "hours")
      ctx_.fail(*u, entry + ".unit", "unknown unit '" + unit + "' (expected \"days\" or \"hours\")");
    task_unit_[task] = unit == "hours" ? WorkUnit::kHours : WorkUnit::kDays;
    if (unit == "hours") hours_node_[task] = {u, entry + ".unit"};
  }
}

RepairCalendars RepairCalendarReader::finish(std::size_t task_count) {
  std::size_t fallback = kNoCalendar;
  if (const toml::node* d = table_.get("default_calendar"))
    ctx_.attempt([&] { fallback = calendar_index(*d, entry_ + ".default_calendar"); });
  if (const toml::node* l = table_.get("lag_calendar")) {
    ctx_.attempt([&] {
      const std::string name = ctx_.string(*l, entry_ + ".lag_calendar");
      if (name == "successor") result_.lag = LagCalendar::kSuccessor;
      else if (name == "predecessor") result_.lag = LagCalendar::kPredecessor;
      else if (name == "continuous") result_.lag = LagCalendar::kContinuous;
      else if (const auto it = calendar_index_.find(name); it != calendar_index_.end()) {
        result_.lag_calendar = it->second;
        result_.lag = LagCalendar::kNamed;
      } else {
        ctx_.fail_unknown(*l, entry_ + ".lag_calendar", name,
                          "unknown lag calendar '" + name + "' (expected successor, predecessor, continuous" +
                              (calendar_index_.empty() ? std::string(")") : " or a calendar: " + known_list(calendar_index_) + ")"));
      }
    });
  }
  result_.task_calendar.assign(task_count, fallback);
  result_.task_unit.assign(task_count, WorkUnit::kDays);
  for (const auto& [task, calendar] : task_calendar_) result_.task_calendar[task] = calendar;
  for (const auto& [task, unit] : task_unit_) result_.task_unit[task] = unit;
  for (const auto& entry : hours_node_)
    if (result_.task_calendar[entry.first] == kNoCalendar)
      ctx_.attempt([&] {
        ctx_.fail(*entry.second.first, entry.second.second,
                  "unit = \"hours\" needs a working calendar; this task has none (give it a calendar, or a "
                  "default_calendar)");
      });
  return std::move(result_);
}

}  // namespace padsim::models::detail
