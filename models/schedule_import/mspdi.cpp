// Microsoft Project XML (MSPDI), read with pugixml. Durations are PnDTnHnMnS of working time,
// link lags tenths of a minute (LagFormat says how the user typed them), and a day is the
// project's MinutesPerDay.
#include <algorithm>
#include <charconv>
#include <cctype>
#include <cmath>
#include <map>
#include <sstream>

#include <pugixml.hpp>

#include "formats.hpp"
#include "padsim/calendar.hpp"

namespace padsim::models {

namespace {

using schedule::plain_number;
using schedule::to_utf8;

struct Reader {
  const std::string& text;
  const std::string& file;
  std::vector<std::size_t> line_starts;

  int line_of(const pugi::xml_node& n) const {
    const auto offset = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, n.offset_debug()));
    return static_cast<int>(std::upper_bound(line_starts.begin(), line_starts.end(), offset) - line_starts.begin());
  }
  [[noreturn]] void fail(const pugi::xml_node& n, const std::string& message) const {
    throw ScheduleError(file, line_of(n), message);
  }
  std::string child_text(const pugi::xml_node& n, const char* name) const { return n.child(name).text().as_string(); }
  double child_number(const pugi::xml_node& n, const char* name, double fallback) const {
    const pugi::xml_node c = n.child(name);
    if (!c) return fallback;
    const std::string t = c.text().as_string();
    char* end = nullptr;
    const double x = std::strtod(t.c_str(), &end);
    if (t.empty() || end != t.c_str() + t.size() || !std::isfinite(x)) fail(c, std::string(name) + " '" + t + "' is not a number");
    return x;
  }
  /// Hours of an ISO 8601 duration PnDTnHnMnS (D counted as 24 h: MS Project writes hours).
  double duration_hours(const pugi::xml_node& n) const {
    const std::string t = n.text().as_string();
    double hours = 0.0;
    bool in_time = false;
    std::size_t i = 0;
    if (t.empty() || t[0] != 'P') fail(n, "duration '" + t + "' (expected PT#H#M#S)");
    for (i = 1; i < t.size();) {
      if (t[i] == 'T') { in_time = true; ++i; continue; }
      char* end = nullptr;
      const double x = std::strtod(t.c_str() + i, &end);
      const std::size_t used = static_cast<std::size_t>(end - (t.c_str() + i));
      if (used == 0 || i + used >= t.size()) fail(n, "duration '" + t + "' (expected PT#H#M#S)");
      const char unit = t[i + used];
      if (unit == 'D' && !in_time) hours += 24.0 * x;
      else if (unit == 'H' && in_time) hours += x;
      else if (unit == 'M' && in_time) hours += x / 60.0;
      else if (unit == 'S' && in_time) hours += x / 3600.0;
      else fail(n, "duration '" + t + "' (expected PT#H#M#S)");
      i += used + 1;
    }
    return hours;
  }
};

/// Duration and lag formats (DurationFormat / LagFormat) that count elapsed, not working, time.
bool elapsed_format(int f) {
  return f == 4 || f == 6 || f == 8 || f == 10 || f == 12 || f == 20 || f == 36 || f == 38 || f == 40 || f == 42 ||
         f == 44 || f == 52;
}

void add_dates(const Reader& rd, const pugi::xml_node& period, std::vector<std::string>& into) {
  const std::string from = rd.child_text(period, "FromDate"), to = rd.child_text(period, "ToDate");
  const auto a = parse_iso8601(from), b = parse_iso8601(to);
  if (!a || !b || *b < *a) rd.fail(period, "exception period '" + from + "' to '" + to + "'");
  // ToDate is the last minute of the last day (23:59): every day it touches is in the period.
  for (double t = std::floor(*a / 86400.0) * 86400.0; t <= *b; t += 86400.0) into.push_back(format_iso8601(t, true));
}

ImportedCalendar read_calendar(const Reader& rd, const pugi::xml_node& c, double hours_per_day, ImportedSchedule& s) {
  ImportedCalendar cal;
  cal.id = rd.child_text(c, "UID");
  cal.name = to_utf8(rd.child_text(c, "Name"));
  cal.hours_per_day = hours_per_day;
  if (const std::string base = rd.child_text(c, "BaseCalendarUID"); !base.empty() && base != "-1")
    s.unsupported.push_back({rd.line_of(c), "calendar " + cal.id + ": inherits from base calendar " + base +
                                                " (only its own week and exceptions are imported)"});
  std::vector<std::pair<double, int>> day_hours;  // a working weekday's hours, its line
  for (const pugi::xml_node& day : c.child("WeekDays").children("WeekDay")) {
    const int type = static_cast<int>(rd.child_number(day, "DayType", -1));
    const bool working = rd.child_text(day, "DayWorking") == "1";
    if (type >= 1 && type <= 7) {  // 1 = Sunday ... 7 = Saturday
      cal.week[static_cast<std::size_t>((type + 5) % 7)] = working;
      double hours = 0.0;
      for (const pugi::xml_node& w : day.child("WorkingTimes").children("WorkingTime")) {
        const auto from = parse_iso8601("2000-01-01T" + rd.child_text(w, "FromTime"));
        auto to = parse_iso8601("2000-01-01T" + rd.child_text(w, "ToTime"));
        if (!from || !to) rd.fail(w, "WorkingTime FromTime/ToTime");
        if (*to <= *from) *to += 86400.0;
        hours += (*to - *from) / 3600.0;
      }
      if (working && hours > 0.0) day_hours.push_back({hours, rd.line_of(day)});
    } else if (type == 0) {  // the pre-2007 form of an exception
      add_dates(rd, day.child("TimePeriod"), working ? cal.exceptions : cal.holidays);
    } else {
      rd.fail(day, "WeekDay DayType " + rd.child_text(day, "DayType") + " (expected 0 to 7)");
    }
  }
  // MS Project walks a task's working minutes through its calendar's working times: a day of a
  // 10-hour calendar does 10 hours, whatever MinutesPerDay says (that only names a "day" of input).
  // So a calendar whose working weekdays agree works that many hours a day; without working times
  // (or when they differ: listed) the project's MinutesPerDay stands.
  if (!day_hours.empty()) {
    const double first = day_hours.front().first;
    const bool same = std::all_of(day_hours.begin(), day_hours.end(),
                                  [&](const std::pair<double, int>& d) { return std::fabs(d.first - first) < 1e-9; });
    if (same) cal.hours_per_day = first;
    else
      for (const auto& d : day_hours)
        if (std::fabs(d.first - hours_per_day) > 1e-9)
          s.unsupported.push_back({d.second, "calendar " + cal.id + ": a weekday works " + plain_number(d.first) +
                                                 " hours; every working day counts as " + plain_number(hours_per_day) +
                                                 " (the project's MinutesPerDay)"});
  }
  for (const pugi::xml_node& e : c.child("Exceptions").children("Exception")) {
    const std::string type = rd.child_text(e, "Type");
    if (!type.empty() && type != "1") {
      s.unsupported.push_back({rd.line_of(e), "calendar " + cal.id + ": recurring exception '" + to_utf8(rd.child_text(e, "Name")) +
                                                  "' not imported"});
      continue;
    }
    add_dates(rd, e.child("TimePeriod"), rd.child_text(e, "DayWorking") == "1" ? cal.exceptions : cal.holidays);
  }
  if (c.child("WorkWeeks").first_child())
    s.unsupported.push_back({rd.line_of(c.child("WorkWeeks")), "calendar " + cal.id + ": work weeks (date-ranged weeks) not imported"});
  return cal;
}

}  // namespace

ImportedSchedule read_mspdi(const std::string& text, const std::string& file) {
  Reader rd{text, file, {0}};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') rd.line_starts.push_back(i + 1);
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size());
  if (!parsed) {
    auto offset = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, parsed.offset));
    // pugixml stops after the faulty construct: back over the blanks to the line that holds it.
    while (offset > 0 && offset <= text.size() && std::isspace(static_cast<unsigned char>(text[offset - 1]))) --offset;
    throw ScheduleError(file, static_cast<int>(std::upper_bound(rd.line_starts.begin(), rd.line_starts.end(), offset) - rd.line_starts.begin()),
                        std::string("malformed XML: ") + parsed.description());
  }
  const pugi::xml_node project = doc.child("Project");
  if (!project || std::string(project.attribute("xmlns").as_string()) != "http://schemas.microsoft.com/project")
    throw ScheduleError(file, 1, "not an MSPDI file: expected a <Project xmlns=\"http://schemas.microsoft.com/project\"> root");
  ImportedSchedule s;
  s.file = file;
  s.format = "Microsoft Project XML (MSPDI)";
  s.name = to_utf8(rd.child_text(project, "Name"));
  if (s.name.empty()) s.name = to_utf8(rd.child_text(project, "Title"));
  s.start = rd.child_text(project, "StartDate");
  if (!parse_iso8601(s.start)) rd.fail(project.child("StartDate") ? project.child("StartDate") : project, "the project's StartDate '" + s.start + "' is not a date");
  s.finish = rd.child_text(project, "FinishDate");
  if (project.child("ScheduleFromStart") && rd.child_text(project, "ScheduleFromStart") == "0")
    s.unsupported.push_back({rd.line_of(project.child("ScheduleFromStart")), "scheduled from the finish date: imported as scheduled from the start"});
  const double hours_per_day = rd.child_number(project, "MinutesPerDay", 480.0) / 60.0;
  if (!(hours_per_day > 0.0)) rd.fail(project.child("MinutesPerDay"), "MinutesPerDay must be positive");
  s.calendar = rd.child_text(project, "CalendarUID");
  s.lag_calendar = s.calendar.empty() ? "successor" : s.calendar;  // MS Project counts lag on the project calendar
  for (const pugi::xml_node& c : project.child("Calendars").children("Calendar"))
    s.calendars.push_back(read_calendar(rd, c, hours_per_day, s));
  if (s.calendar.empty() && !s.calendars.empty()) s.calendar = s.lag_calendar = s.calendars.front().id;

  std::map<std::string, std::pair<std::string, int>> id_of;  // UID -> (task id, line), kept tasks only
  std::vector<pugi::xml_node> nodes;
  for (const pugi::xml_node& n : project.child("Tasks").children("Task")) nodes.push_back(n);
  // Ids: the tasks' WBS codes when every kept task has a distinct one without spaces, else T<UID>.
  bool wbs_ids = true;
  std::map<std::string, int> wbs_seen;
  for (const pugi::xml_node& n : nodes) {
    if (rd.child_text(n, "Summary") == "1" || rd.child_text(n, "UID") == "0" || rd.child_text(n, "IsNull") == "1") continue;
    const std::string w = rd.child_text(n, "WBS");
    if (w.empty() || w.find(' ') != std::string::npos || wbs_seen[w]++) wbs_ids = false;
  }
  for (const pugi::xml_node& n : nodes) {
    const std::string uid = rd.child_text(n, "UID");
    if (uid.empty()) rd.fail(n, "Task without a UID");
    if (uid == "0" || rd.child_text(n, "IsNull") == "1") continue;  // the project summary task, blank rows
    if (rd.child_text(n, "Summary") == "1") {
      s.unsupported.push_back({rd.line_of(n), "summary task " + uid + " '" + to_utf8(rd.child_text(n, "Name")) +
                                                  "' skipped (its subtasks are imported; links to it are not)"});
      continue;
    }
    ImportedTask t;
    t.line = rd.line_of(n);
    t.id = wbs_ids ? rd.child_text(n, "WBS") : "T" + uid;
    if (id_of.count(uid)) rd.fail(n, "Task UID " + uid + " appears twice");
    t.name = to_utf8(rd.child_text(n, "Name"));
    t.milestone = rd.child_text(n, "Milestone") == "1";
    if (n.child("Duration")) t.hours = rd.duration_hours(n.child("Duration"));
    if (t.milestone && t.hours > 0.0)
      s.unsupported.push_back({t.line, "task " + t.id + ": a milestone with a duration; imported as a milestone (duration 0)"});
    if (t.milestone) t.hours = 0.0;
    if (elapsed_format(static_cast<int>(rd.child_number(n, "DurationFormat", 7))))
      s.unsupported.push_back({t.line, "task " + t.id + ": elapsed duration; imported as " + plain_number(t.hours) +
                                           " working hours of its calendar"});
    if (const std::string cal = rd.child_text(n, "CalendarUID"); !cal.empty() && cal != "-1") t.calendar = cal;
    if (n.child("Assignments") || n.child("ResourceUID"))
      s.unsupported.push_back({t.line, "task " + t.id + ": resource assignments not imported"});
    const int constraint = static_cast<int>(rd.child_number(n, "ConstraintType", 0));
    if (constraint != 0) {
      const std::string date = rd.child_text(n, "ConstraintDate");
      if ((constraint == 4 || constraint == 6) && parse_iso8601(date))
        (constraint == 4 ? t.start_not_before : t.finish_not_before) = schedule::days_between(s.start, date, file, t.line);
      else {
        static const char* const kNames[] = {"as soon as possible", "as late as possible", "must start on",
                                             "must finish on", "start no earlier than", "start no later than",
                                             "finish no earlier than", "finish no later than"};
        s.unsupported.push_back({t.line, "task " + t.id + ": constraint '" +
                                             (constraint >= 0 && constraint < 8 ? kNames[constraint] : "unknown") + "' not imported"});
      }
    }
    if (rd.child_text(n, "PercentComplete") != "" && rd.child_text(n, "PercentComplete") != "0")
      s.unsupported.push_back({t.line, "task " + t.id + ": progress not imported; its planned duration is used"});
    id_of[uid] = {t.id, t.line};
    s.tasks.push_back(std::move(t));
  }
  // Links once every task has its id (a predecessor may come later in the file).
  std::size_t k = 0;
  for (const pugi::xml_node& n : nodes) {
    const std::string uid = rd.child_text(n, "UID");
    if (!id_of.count(uid)) continue;
    ImportedTask& t = s.tasks[k++];
    for (const pugi::xml_node& l : n.children("PredecessorLink")) {
      const std::string pred = rd.child_text(l, "PredecessorUID");
      if (rd.child_text(l, "CrossProject") == "1") {
        s.unsupported.push_back({rd.line_of(l), "task " + t.id + ": cross-project link not imported"});
        continue;
      }
      const auto p = id_of.find(pred);
      if (p == id_of.end()) {
        bool skipped = false;
        for (const pugi::xml_node& m : nodes) skipped |= rd.child_text(m, "UID") == pred;
        if (!skipped) rd.fail(l, "PredecessorUID " + pred + " names no task");
        s.unsupported.push_back({rd.line_of(l), "task " + t.id + ": link from summary task " + pred + " not imported"});
        continue;
      }
      ImportedLink link;
      link.line = rd.line_of(l);
      link.pred = p->second.first;
      const int type = static_cast<int>(rd.child_number(l, "Type", 1));
      static const ImportedLinkType kTypes[] = {ImportedLinkType::kFF, ImportedLinkType::kFS, ImportedLinkType::kSF,
                                                ImportedLinkType::kSS};
      if (type < 0 || type > 3) rd.fail(l, "PredecessorLink Type " + std::to_string(type) + " (expected 0 FF, 1 FS, 2 SF or 3 SS)");
      link.type = kTypes[type];
      if (link.type == ImportedLinkType::kSF)
        s.unsupported.push_back({link.line, "task " + t.id + ": start-to-finish link from " + link.pred +
                                                " not imported (the model has no SF links)"});
      const double lag = rd.child_number(l, "LinkLag", 0.0);
      const int format = static_cast<int>(rd.child_number(l, "LagFormat", 7));
      if (format == 19 || format == 20) {  // percent of the predecessor's duration, in tenths
        link.percent = true;
        link.lag_percent = lag / 10.0;
      } else {
        link.lag_hours = lag / 600.0;
        if (elapsed_format(format) && lag != 0.0)
          s.unsupported.push_back({link.line, "task " + t.id + ": elapsed lag from " + link.pred + "; imported as " +
                                                  plain_number(link.lag_hours) + " working hours"});
      }
      t.links.push_back(link);
    }
  }
  if (const auto a = project.child("Assignments").children("Assignment"); a.begin() != a.end())
    s.unsupported.push_back({rd.line_of(project.child("Assignments")), "resource assignments not imported"});
  return s;
}

ImportedSchedule read_schedule(const std::string& text, const std::string& file) {
  if (text.rfind("ERMHDR", 0) == 0) return read_xer(text, file);
  if (text.find("http://schemas.microsoft.com/project") != std::string::npos) return read_mspdi(text, file);
  throw ScheduleError(file, 1, "neither a Primavera P6 XER file (first line ERMHDR) nor MS Project XML "
                               "(the http://schemas.microsoft.com/project namespace)");
}

}  // namespace padsim::models

namespace padsim::models::schedule {

double days_between(const std::string& from, const std::string& to, const std::string& file, int line) {
  const auto a = parse_iso8601(from), b = parse_iso8601(to);
  if (!a) throw ScheduleError(file, line, "date '" + from + "' is not a date");
  if (!b) throw ScheduleError(file, line, "date '" + to + "' is not a date");
  return (*b - *a) / 86400.0;
}

std::string serial_date(long serial) {
  return format_iso8601(static_cast<double>(days_from_civil(1899, 12, 30) + serial) * 86400.0, true);
}

std::string to_utf8(std::string_view text) {
  bool valid = true;
  for (std::size_t i = 0; i < text.size() && valid;) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > text.size()) valid = false;
    for (std::size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(text[i + k]) >> 6) == 2;
    i += n;
  }
  if (valid) return std::string(text);
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::string plain_number(double x) {
  if (x == 0.0) return "0";  // never "-0"
  char buffer[64];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, r.ptr);
}

std::string write_mspdi(const ImportedSchedule& s) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto project = doc.append_child("Project");
  project.append_attribute("xmlns") = "http://schemas.microsoft.com/project";
  const auto add = [](pugi::xml_node n, const char* name, const std::string& value) {
    n.append_child(name).text().set(value.c_str());
  };
  // A day's (or a dated exception's) working time: from midnight for its hours (24 h: to midnight).
  const auto working_time = [&add](pugi::xml_node parent, double hours_per_day) {
    auto time = parent.append_child("WorkingTimes").append_child("WorkingTime");
    add(time, "FromTime", "00:00:00");
    const long minutes = std::lround(hours_per_day * 60.0) % 1440;
    add(time, "ToTime", (minutes / 60 < 10 ? "0" : "") + std::to_string(minutes / 60) + ":" +
                            (minutes % 60 < 10 ? "0" : "") + std::to_string(minutes % 60) + ":00");
  };
  const ImportedCalendar* cal = s.calendars.empty() ? nullptr : &s.calendars.front();
  for (const ImportedCalendar& c : s.calendars)
    if (c.id == s.calendar) cal = &c;
  const double hours_per_day = cal ? cal->hours_per_day : 8.0;
  const auto mspdi_date = [](std::string d) {  // MS Project writes local date-times: no zone, seconds
    if (!d.empty() && d.back() == 'Z') d.pop_back();
    return d.size() == 16 ? d + ":00" : d;
  };
  add(project, "Name", s.name);
  add(project, "ScheduleFromStart", "1");
  add(project, "StartDate", mspdi_date(s.start));
  add(project, "MinutesPerDay", plain_number(hours_per_day * 60.0));
  add(project, "MinutesPerWeek", plain_number(hours_per_day * 60.0 * 7.0));
  if (cal) add(project, "CalendarUID", cal->id);
  auto calendars = project.append_child("Calendars");
  for (const ImportedCalendar& c : s.calendars) {
    auto node = calendars.append_child("Calendar");
    add(node, "UID", c.id);
    add(node, "Name", c.name);
    add(node, "IsBaseCalendar", "1");
    add(node, "BaseCalendarUID", "-1");
    auto week = node.append_child("WeekDays");
    for (int d = 1; d <= 7; ++d) {
      auto day = week.append_child("WeekDay");
      add(day, "DayType", std::to_string(d));
      const bool working = c.week[static_cast<std::size_t>((d + 5) % 7)];
      add(day, "DayWorking", working ? "1" : "0");
      if (!working) continue;
      working_time(day, c.hours_per_day);
    }
    if (c.holidays.empty() && c.exceptions.empty()) continue;
    auto exceptions = node.append_child("Exceptions");
    const auto exception = [&](const std::string& date, bool working) {
      auto e = exceptions.append_child("Exception");
      auto period = e.append_child("TimePeriod");
      add(period, "FromDate", date + "T00:00:00");
      add(period, "ToDate", date + "T23:59:00");
      add(e, "Type", "1");
      add(e, "DayWorking", working ? "1" : "0");
      if (!working) return;
      working_time(e, c.hours_per_day);
    };
    for (const std::string& d : c.holidays) exception(d, false);
    for (const std::string& d : c.exceptions) exception(d, true);
  }
  auto tasks = project.append_child("Tasks");
  std::map<std::string, std::size_t> uid;
  for (std::size_t i = 0; i < s.tasks.size(); ++i) uid[s.tasks[i].id] = i + 1;
  for (std::size_t i = 0; i < s.tasks.size(); ++i) {
    const ImportedTask& t = s.tasks[i];
    auto node = tasks.append_child("Task");
    add(node, "UID", std::to_string(i + 1));
    add(node, "ID", std::to_string(i + 1));
    add(node, "Name", t.name);
    add(node, "WBS", t.id);
    const long long seconds = std::llround(t.hours * 3600.0);
    add(node, "Duration", "PT" + std::to_string(seconds / 3600) + "H" + std::to_string(seconds / 60 % 60) + "M" +
                              std::to_string(seconds % 60) + "S");
    add(node, "DurationFormat", "7");
    add(node, "Milestone", t.milestone ? "1" : "0");
    add(node, "Summary", "0");
    if (!t.calendar.empty() && t.calendar != s.calendar) add(node, "CalendarUID", t.calendar);
    for (const ImportedLink& l : t.links) {
      auto link = node.append_child("PredecessorLink");
      add(link, "PredecessorUID", std::to_string(uid.at(l.pred)));
      static const char* const kTypes[] = {"1", "3", "0", "2"};  // FS, SS, FF, SF
      add(link, "Type", kTypes[static_cast<int>(l.type)]);
      add(link, "LinkLag", plain_number(l.percent ? l.lag_percent * 10.0 : l.lag_hours * 600.0));
      add(link, "LagFormat", l.percent ? "19" : "7");
    }
  }
  std::ostringstream out;
  doc.save(out, "  ");
  return out.str();
}

}  // namespace padsim::models::schedule
