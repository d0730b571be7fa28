// The imported schedule written as a scenario's repair section (docs/scenario.md "Importing a
// schedule"), duration templates, and a repair graph exported as a deterministic schedule.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "formats.hpp"
#include "padsim/calendar.hpp"
#include "padsim/distribution_text.hpp"
#include "padsim/models/repair_project.hpp"
#include "../toml_util.hpp"
#include "../work_calendar.hpp"

namespace padsim::models {

using schedule::plain_number;

bool ImportedCalendar::continuous() const {
  return std::all_of(week.begin(), week.end(), [](bool w) { return w; }) && hours_per_day >= 24.0 && holidays.empty() &&
         exceptions.empty();
}

const ImportedCalendar* ImportedSchedule::calendar_of(const ImportedTask& task) const {
  const std::string& id = task.calendar.empty() ? calendar : task.calendar;
  for (const ImportedCalendar& c : calendars)
    if (c.id == id) return &c;
  return nullptr;
}

namespace {

/// A TOML basic string of a schedule's text (converted to UTF-8 first).
std::string quoted(std::string_view raw) { return detail::toml_quoted(schedule::to_utf8(raw)); }

bool glob(std::string_view pattern, std::string_view text) {
  // Iterative matcher with one backtrack point: linear enough for task names.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || lower(pattern[p]) == lower(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

/// Checks a template by building its distribution at a planned duration of 100.
void check_template(const DurationTemplate& t) {
  const std::set<std::string> kinds{"trigen", "pert", "triangular", "uniform"};
  if (!kinds.count(t.kind)) throw ParameterError(t.source + ": kind '" + t.kind + "' (expected trigen, pert, triangular or uniform)");
  const std::size_t want = t.kind == "uniform" ? 2 : 3;
  if (t.percent.size() != want)
    throw ParameterError(t.source + ": " + t.kind + " takes " + std::to_string(want) + " percentages, got " +
                         std::to_string(t.percent.size()));
  std::string text = t.kind + "(";
  for (const double p : t.percent) text += plain_number(p) + ", ";
  text += t.kind == "trigen" ? plain_number(t.low_pct) + ", " + plain_number(t.high_pct) + ")" : "";
  if (t.kind != "trigen") text.replace(text.size() - 2, 2, ")");
  try {
    parse_distribution(text, {});
  } catch (const InputError& e) {
    throw ParameterError(t.source + ": " + e.message());
  }
}

std::string distribution_toml(const DurationTemplate& t, double planned) {
  std::string out = "{ " + t.kind + " = [";
  for (std::size_t i = 0; i < t.percent.size(); ++i) out += (i ? ", " : "") + plain_number(planned * t.percent[i] / 100.0);
  if (t.kind == "trigen") out += ", " + plain_number(t.low_pct) + ", " + plain_number(t.high_pct);
  return out + "] }";
}

}  // namespace

DurationTemplate parse_template(const std::string& rule) {
  DurationTemplate t;
  t.source = "--template '" + rule + "'";
  const std::size_t eq = rule.rfind('=');
  const std::size_t colon = rule.find(':', eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || eq == 0 || colon == std::string::npos)
    throw ParameterError(t.source + ": expected PATTERN=KIND:LOW/MODE/HIGH[@LO/HI], e.g. 'weld*=trigen:90/110/150@10/90'");
  t.pattern = rule.substr(0, eq);
  t.kind = rule.substr(eq + 1, colon - eq - 1);
  const std::size_t at = rule.find('@', colon);
  const auto numbers = [&](const std::string& list) {
    std::vector<double> out;
    std::stringstream in(list);
    std::string item;
    while (std::getline(in, item, '/')) {
      char* end = nullptr;
      const double x = std::strtod(item.c_str(), &end);
      if (item.empty() || end != item.c_str() + item.size() || !std::isfinite(x))
        throw ParameterError(t.source + ": '" + item + "' is not a number");
      out.push_back(x);
    }
    return out;
  };
  t.percent = numbers(rule.substr(colon + 1, at == std::string::npos ? std::string::npos : at - colon - 1));
  if (at != std::string::npos) {
    if (t.kind != "trigen") throw ParameterError(t.source + ": only trigen takes percentile levels (@LO/HI)");
    const std::vector<double> levels = numbers(rule.substr(at + 1));
    if (levels.size() != 2) throw ParameterError(t.source + ": @LO/HI takes two percentile levels");
    t.low_pct = levels[0];
    t.high_pct = levels[1];
  }
  check_template(t);
  return t;
}

std::vector<DurationTemplate> read_templates(const std::string& text, const std::string& file) {
  toml::table doc;
  try {
    doc = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw InputError({file, static_cast<int>(b.line), static_cast<int>(b.column)}, std::string(e.description()));
  }
  const auto where = [&](const toml::node& n) {
    return SourcePosition{file, static_cast<int>(n.source().begin.line), static_cast<int>(n.source().begin.column)};
  };
  std::vector<DurationTemplate> out;
  for (auto&& [key, node] : doc)
    if (key != "template") throw InputError(where(node), "unknown key '" + std::string(key.str()) + "' (expected [[template]])");
  const toml::array* entries = doc["template"].as_array();
  if (!entries) return out;
  for (const toml::node& entry : *entries) {
    const toml::table* t = entry.as_table();
    if (!t) throw InputError(where(entry), "a [[template]] entry must be a table");
    DurationTemplate d;
    d.source = file + ":" + std::to_string(where(entry).line);
    for (auto&& [key, node] : *t)
      if (key != "match" && key != "kind" && key != "percent" && key != "levels")
        throw InputError(where(node), "template: unknown key '" + std::string(key.str()) + "' (expected match, kind, percent, levels)");
    const auto match = (*t)["match"].value<std::string>();
    const auto kind = (*t)["kind"].value<std::string>();
    if (!match || !kind) throw InputError(where(entry), "template: 'match' and 'kind' (strings) are required");
    d.pattern = *match;
    d.kind = *kind;
    const auto list = [&](const char* name) {
      std::vector<double> v;
      if (const toml::array* a = (*t)[name].as_array())
        for (const toml::node& x : *a) {
          const auto value = x.value<double>();
          if (!value) throw InputError(where(x), std::string("template: ") + name + " must hold numbers");
          v.push_back(*value);
        }
      else if ((*t)[name])
        throw InputError(where(*(*t)[name].node()), std::string("template: ") + name + " must be an array of numbers");
      return v;
    };
    d.percent = list("percent");
    const std::vector<double> levels = list("levels");
    if (!levels.empty()) {
      if (levels.size() != 2 || d.kind != "trigen") throw InputError(where(entry), "template: levels = [LO, HI], for trigen only");
      d.low_pct = levels[0];
      d.high_pct = levels[1];
    }
    try {
      check_template(d);
    } catch (const ParameterError& e) {
      throw InputError(where(entry), e.what());
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::string write_repair_toml(const ImportedSchedule& s, const ImportOptions& options,
                              std::vector<ImportNote>* notes_out) {
  std::vector<ImportNote> notes = s.unsupported;
  for (const ImportedTask& t : s.tasks)
    if (!s.calendar_of(t) && !s.calendars.empty())
      notes.push_back({t.line, "task " + t.id + ": calendar '" + (t.calendar.empty() ? s.calendar : t.calendar) +
                                   "' is not in the file; continuous days are used"});
  std::set<std::string> used_calendars;
  bool calendars = false;  // some task works on a calendar that is not continuous
  for (const ImportedTask& t : s.tasks)
    if (const ImportedCalendar* c = s.calendar_of(t)) {
      if (!c->continuous()) used_calendars.insert(c->id);  // else written as "continuous"
      calendars |= !c->continuous();
    }
  const auto hours_per_day = [&](const ImportedCalendar* c) { return c && calendars ? c->hours_per_day : 24.0; };
  const auto task_by_id = [&](const std::string& id) -> const ImportedTask& {
    return *std::find_if(s.tasks.begin(), s.tasks.end(), [&](const ImportedTask& t) { return t.id == id; });
  };
  const auto lag_hours_per_day = [&](const ImportedTask& pred, const ImportedTask& succ) {
    if (!calendars || s.lag_calendar == "continuous") return 24.0;
    if (s.lag_calendar == "predecessor") return hours_per_day(s.calendar_of(pred));
    if (s.lag_calendar == "successor") return hours_per_day(s.calendar_of(succ));
    for (const ImportedCalendar& c : s.calendars)
      if (c.id == s.lag_calendar) return c.hours_per_day;
    return 24.0;
  };
  // On working calendars a day's work spreads over its 24 hours (docs/model.md), so a schedule that
  // starts at its first working day's first working hour (08:00) starts at that day's 00:00 in the
  // model: the epoch is the start's day, and constraint dates count from it.
  const auto start_seconds = parse_iso8601(s.start);
  if (!start_seconds && !options.section_only)
    throw ScheduleError(s.file, 0, "the schedule's start '" + s.start + "' is not a date");
  const double start_value = start_seconds.value_or(0.0);
  const double epoch_seconds = calendars ? std::floor(start_value / 86400.0) * 86400.0 : start_value;
  const double start_offset = (start_value - epoch_seconds) / 86400.0;
  const bool anchor = std::any_of(s.tasks.begin(), s.tasks.end(), [](const ImportedTask& t) {
    return t.start_not_before > 0.0 || t.finish_not_before > 0.0;
  });
  std::string start_id = "START";
  while (std::any_of(s.tasks.begin(), s.tasks.end(), [&](const ImportedTask& t) { return t.id == start_id; })) start_id += "_";
  if (anchor)
    notes.push_back({0, "constraint dates are written as links from a milestone " + start_id + " added at the start" +
                            (calendars ? "; their lags count days of the lag calendar (exact on continuous calendars only)" : "")});

  std::ostringstream body;
  const std::string& id = options.repair_id;
  body << "[repair." << id << "]\nname = " << quoted(s.name.empty() ? id : s.name) << "\n";
  if (calendars) {
    body << "default_calendar = " << quoted(s.calendar) << "\nlag_calendar = " << quoted(s.lag_calendar) << "\n";
    for (const ImportedCalendar& c : s.calendars) {
      if (!used_calendars.count(c.id) && c.id != s.calendar) continue;
      static const char* const kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
      body << "\n[[repair." << id << ".calendar]]\nid = " << quoted(c.id) << (c.name.empty() ? "" : "  # " + schedule::to_utf8(c.name))
           << "\nweek = [";
      bool first = true;
      for (std::size_t d = 0; d < 7; ++d)
        if (c.week[d]) body << (std::exchange(first, false) ? "" : ", ") << quoted(kDays[d]);
      body << "]\nhours_per_day = " << plain_number(c.hours_per_day) << "\n";
      const auto dates = [&](const char* key, const std::vector<std::string>& list) {
        if (list.empty()) return;
        body << key << " = [";
        for (std::size_t i = 0; i < list.size(); ++i) body << (i ? ", " : "") << quoted(list[i]);
        body << "]\n";
      };
      dates("holidays", c.holidays);
      dates("exceptions", c.exceptions);
    }
  }
  if (anchor)
    body << "\n[[repair." << id << ".task]]\nid = " << quoted(start_id)
         << "\nname = \"Project start (anchors constraint dates)\"\nduration = 0\n";
  for (const ImportedTask& t : s.tasks) {
    const ImportedCalendar* cal = s.calendar_of(t);
    const double hpd = hours_per_day(cal);
    body << "\n[[repair." << id << ".task]]\nid = " << quoted(t.id) << "\n";
    if (!t.name.empty()) body << "name = " << quoted(t.name) << "\n";
    const bool plain_days = cal && cal->continuous();  // 7 days of 24 hours: the model's own days
    const bool in_hours = calendars && !plain_days && std::fmod(t.hours, hpd) != 0.0;
    const double planned = in_hours ? t.hours : t.hours / hpd;
    const auto rule = std::find_if(options.templates.begin(), options.templates.end(), [&](const DurationTemplate& r) {
      return glob(r.pattern, t.name) || glob(r.pattern, t.id);
    });
    if (t.milestone || t.hours == 0.0 || rule == options.templates.end())
      body << "duration = " << plain_number(planned) << (t.milestone ? "  # milestone" : "") << "\n";
    else
      body << "duration = " << distribution_toml(*rule, planned) << "  # planned " << plain_number(planned) << ", "
           << rule->source << "\n";
    // A milestone does no work: on its calendar the model would move it to the next working
    // instant (a finish milestone after a Friday finish to Monday), where P6 and MS Project keep it
    // at its predecessors' finish; on continuous days it stays there. Kept on its calendar when a
    // lag from it counts on the predecessor's calendar.
    const bool lag_from_it = s.lag_calendar == "predecessor" &&
                             std::any_of(s.tasks.begin(), s.tasks.end(), [&](const ImportedTask& o) {
                               return std::any_of(o.links.begin(), o.links.end(), [&](const ImportedLink& l) {
                                 return l.pred == t.id && (l.percent ? l.lag_percent : l.lag_hours) != 0.0;
                               });
                             });
    if (calendars && cal && t.hours == 0.0 && !lag_from_it)
      body << "calendar = \"continuous\"  # a milestone: at its links' bound, not the next working day\n";
    else if (calendars && cal && cal->id != s.calendar)
      body << "calendar = " << quoted(plain_days ? std::string("continuous") : cal->id) << "\n";
    if (in_hours) body << "unit = \"hours\"\n";
    std::vector<std::string> after;
    bool long_form = false;
    for (const ImportedLink& l : t.links) long_form |= l.pred.find_first_of(" \t") != std::string::npos;
    const auto add = [&](const std::string& pred, const char* type, double lag, bool percent) {
      if (long_form) {
        after.push_back("{ task = " + quoted(pred) + ", type = \"" + type + "\", " + (percent ? "lag_percent = " : "lag = ") +
                        plain_number(lag) + " }");
        return;
      }
      std::string text = pred;
      if (std::string(type) != "FS" || lag != 0.0 || percent) text += std::string(" ") + type;
      if (lag != 0.0 || percent) text += (lag < 0 ? "-" : "+") + plain_number(std::fabs(lag)) + (percent ? "%" : "");
      after.push_back(quoted(text));
    };
    if (t.start_not_before > 0.0) add(start_id, "SS", t.start_not_before + start_offset, false);
    if (t.finish_not_before > 0.0) add(start_id, "FF", t.finish_not_before + start_offset, false);
    for (const ImportedLink& l : t.links) {
      static const char* const kTypes[] = {"FS", "SS", "FF", "SF"};
      if (l.type == ImportedLinkType::kSF) continue;  // the readers listed it
      const double lag = l.percent ? l.lag_percent : l.lag_hours / lag_hours_per_day(task_by_id(l.pred), t);
      add(l.pred, kTypes[static_cast<int>(l.type)], lag, l.percent);
    }
    if (!after.empty()) {
      body << (long_form ? "links = [" : "after = [");
      for (std::size_t i = 0; i < after.size(); ++i) body << (i ? ", " : "") << after[i];
      body << "]\n";
    }
  }

  if (notes_out) *notes_out = notes;
  std::ostringstream out;
  out << "# Imported by `padsim import` from " << s.file << " (" << s.format << ")"
      << (s.name.empty() ? "" : ", project " + schedule::to_utf8(s.name)) << ".\n# Planned start " << s.start
      << (s.finish.empty() ? "" : ", planned finish " + s.finish) << ". Durations are "
      << (calendars ? "working days of each task's calendar" : "days (continuous calendars)")
      << "; templates, where given, are percentages of the planned duration.\n";
  if (notes.empty()) {
    out << "# Everything in the file was imported.\n";
  } else {
    out << "# Not imported, or imported with a change (" << notes.size() << "):\n";
    for (const ImportNote& n : notes) out << "#   " << s.file << ":" << n.line << ": " << schedule::to_utf8(n.text) << "\n";
  }
  if (!options.section_only) {
    double span = 0.0;  // a bound on the deterministic finish, widened for uncertainty below
    for (const ImportedTask& t : s.tasks) {
      const ImportedCalendar* c = s.calendar_of(t);
      const double working = c ? static_cast<double>(std::count(c->week.begin(), c->week.end(), true)) : 7.0;
      const double stretch = calendars && c ? 7.0 / std::max(1.0, working) : 1.0;
      span += t.hours / hours_per_day(c) * stretch + std::max({0.0, t.start_not_before, t.finish_not_before});
      for (const ImportedLink& l : t.links) span += std::max(0.0, l.percent ? 0.0 : l.lag_hours / 8.0 * 7.0 / 5.0);
      if (c) span += static_cast<double>(c->holidays.size());
    }
    const double horizon = epoch_seconds + (365.0 + std::ceil(3.0 * span)) * 86400.0;
    out << "\n[scenario]\nname = " << quoted(s.name.empty() ? id : s.name) << "\ndescription = "
        << quoted("Imported from " + s.file + " (" + s.format + ")") << "\nepoch = " << quoted(format_iso8601(epoch_seconds))
        << (calendars ? "  # the schedule's start day (calendars: work starts at 00:00)" : "  # the schedule's start")
        << "\nhorizon = " << quoted(format_iso8601(horizon, true))
        << "  # three times the schedule's span and a year\n\n[[pad]]\nid = \"pad\"\ndown_at_epoch = true\nrepair = "
        << quoted(id) << "\n";
  }
  out << "\n" << body.str();
  return out.str();
}

namespace {

/// The hours a link's lag in days counts on (the calendar `lag_calendar` selects), on `rc`.
double lag_day_hours(const RepairCalendars& rc, std::size_t pred, std::size_t succ) {
  const auto hours = [&](std::size_t c) { return c == kNoCalendar ? 24.0 : rc.calendars[c].hours_per_day; };
  switch (rc.lag) {
    case LagCalendar::kContinuous: return 24.0;
    case LagCalendar::kNamed: return hours(rc.lag_calendar);
    case LagCalendar::kPredecessor: return hours(rc.task_calendar[pred]);
    case LagCalendar::kSuccessor: break;
  }
  return hours(rc.task_calendar[succ]);
}

}  // namespace

std::string export_schedule(const RepairProject& project, const std::string& repair_id, const std::string& epoch,
                            ScheduleFormat format, std::vector<std::string>& not_exported) {
  const auto& tasks = project.tasks();
  const RepairCalendars& rc = project.calendars();
  const bool on_calendars = rc.in_use() && rc.task_calendar.size() == tasks.size();
  for (const BranchSpec& b : project.branches()) {
    std::string alternatives;
    for (std::size_t i = 0; i < b.alternatives.size(); ++i)
      alternatives += (i ? ", " : "") + tasks[b.alternatives[i]].id + " (p " + plain_number(b.probabilities[i]) + ")";
    not_exported.push_back("branch " + b.id + " after " + tasks[b.after].id + ": its alternatives " + alternatives +
                           " are exported as ordinary tasks with their links; the choice of one is not");
  }
  for (const RiskSpec& r : project.risks())
    not_exported.push_back("risk " + r.id + (r.probability > 0.5 ? " (the deterministic pass applies it: p > 0.5)" : ""));
  if (!project.correlation().empty()) not_exported.push_back("the rank correlation between durations");
  if (project.uses_resources()) not_exported.push_back("resources and the tasks' needs");
  if (project.duration_scale() != 1.0)
    not_exported.push_back("scale " + plain_number(project.duration_scale()) + " (applied to the exported durations)");

  ImportedSchedule s;
  s.name = repair_id;
  s.start = epoch;
  s.lag_calendar = "continuous";
  ImportedCalendar continuous;
  continuous.name = "Continuous (7 days, 24 hours)";
  continuous.week.fill(true);
  continuous.hours_per_day = 24.0;
  // A task's calendar id in the file, and the hours of its working day.
  std::vector<std::string> calendar_of(tasks.size());
  std::vector<double> day_hours(tasks.size(), 24.0);
  if (!on_calendars) {
    continuous.id = "1";
    s.calendars.push_back(continuous);
    s.calendar = "1";
  } else {
    continuous.id = "24h";
    while (std::any_of(rc.calendars.begin(), rc.calendars.end(), [&](const WorkCalendarSpec& c) { return c.id == continuous.id; }))
      continuous.id += "_";
    std::vector<std::size_t> uses(rc.calendars.size() + 1, 0);  // last: continuous
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      const std::size_t c = rc.task_calendar[i];
      ++uses[c == kNoCalendar ? rc.calendars.size() : c];
      calendar_of[i] = c == kNoCalendar ? continuous.id : rc.calendars[c].id;
      day_hours[i] = c == kNoCalendar ? 24.0 : rc.calendars[c].hours_per_day;
    }
    for (const WorkCalendarSpec& c : rc.calendars) {
      ImportedCalendar out;
      out.id = c.id;
      out.name = c.id;
      out.week = c.week;
      out.hours_per_day = c.hours_per_day;
      for (const std::int64_t d : c.holidays) out.holidays.push_back(format_iso8601(static_cast<double>(d) * 86400.0, true));
      for (const std::int64_t d : c.exceptions) out.exceptions.push_back(format_iso8601(static_cast<double>(d) * 86400.0, true));
      if (std::any_of(c.productivity.begin(), c.productivity.end(), [](double p) { return p != 1.0; }))
        not_exported.push_back("calendar " + c.id + ": productivity by month (the schedule works full days)");
      if (c.weather < rc.weather.size())
        not_exported.push_back("calendar " + c.id + ": weather " + rc.weather[c.weather].id + " (days lost to it)");
      s.calendars.push_back(std::move(out));
    }
    if (uses.back() > 0) s.calendars.push_back(continuous);
    // The project calendar: a named lag calendar (MS Project counts lags on it), else the most used.
    std::size_t project_calendar = rc.lag == LagCalendar::kNamed ? rc.lag_calendar : kNoCalendar;
    if (project_calendar == kNoCalendar) {
      const auto most = std::max_element(uses.begin(), uses.end() - 1);
      project_calendar = most != uses.end() - 1 && *most >= uses.back() ? static_cast<std::size_t>(most - uses.begin()) : kNoCalendar;
    }
    s.calendar = project_calendar == kNoCalendar ? continuous.id : rc.calendars[project_calendar].id;
    s.lag_calendar = rc.lag == LagCalendar::kSuccessor     ? "successor"
                     : rc.lag == LagCalendar::kPredecessor ? "predecessor"
                     : rc.lag == LagCalendar::kContinuous  ? "continuous"
                                                           : s.calendar;
    const bool lags = std::any_of(project.links().begin(), project.links().end(),
                                  [](const Link& l) { return !l.lag_is_percent && l.lag.mode() != 0.0; });
    if (format == ScheduleFormat::kMspdi && lags && rc.lag != LagCalendar::kNamed)
      not_exported.push_back("lag_calendar " + s.lag_calendar + ": MS Project counts lags on the project calendar (" + s.calendar + ")");
    const auto start = parse_iso8601(epoch);
    if (start && std::fmod(*start, 86400.0) != 0.0) {
      s.start = format_iso8601(std::floor(*start / 86400.0) * 86400.0, true) + "T00:00";
      not_exported.push_back("the epoch's time of day: on working calendars the schedule starts at 00:00 of the epoch's day");
    }
  }
  const auto clean = [](std::string text) {
    std::replace_if(text.begin(), text.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return text;
  };
  std::vector<double> hours(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const bool in_hours = on_calendars && rc.task_unit.size() == tasks.size() && rc.task_unit[i] == WorkUnit::kHours &&
                          rc.task_calendar[i] != kNoCalendar;
    hours[i] = tasks[i].duration.mode() * project.duration_scale() * (in_hours ? 1.0 : day_hours[i]);
    ImportedTask t;
    t.id = clean(tasks[i].id);
    t.name = clean(tasks[i].name);
    t.hours = hours[i];
    t.milestone = hours[i] == 0.0;
    t.calendar = calendar_of[i];
    s.tasks.push_back(std::move(t));
  }
  for (const Link& l : project.links()) {
    ImportedLink link;
    link.pred = clean(tasks[l.pred].id);
    link.type = l.type == LinkType::kStartToStart ? ImportedLinkType::kSS
                : l.type == LinkType::kFinishToFinish ? ImportedLinkType::kFF : ImportedLinkType::kFS;
    const double lag_hours = on_calendars ? lag_day_hours(rc, l.pred, l.succ) : 24.0;
    if (l.lag_is_percent && format == ScheduleFormat::kMspdi) {
      link.percent = true;
      link.lag_percent = l.lag_percent;
    } else if (l.lag_is_percent) {
      // The predecessor's mode in days of the lag calendar: exact when both count continuous days.
      link.lag_hours = l.lag_percent / 100.0 * hours[l.pred] / day_hours[l.pred] * lag_hours;
      not_exported.push_back("link " + tasks[l.pred].id + " -> " + tasks[l.succ].id + ": lag " + plain_number(l.lag_percent) +
                             "% written as " + plain_number(link.lag_hours) + " hours (the predecessor's mode; XER has no percent lags)");
    } else {
      link.lag_hours = l.lag.mode() * lag_hours;
      if (!l.lag.is_fixed())
        not_exported.push_back("link " + tasks[l.pred].id + " -> " + tasks[l.succ].id + ": lag " + l.lag.describe() +
                               " written at its mode");
    }
    s.tasks[l.succ].links.push_back(link);
  }
  return format == ScheduleFormat::kXer ? schedule::write_xer(s) : schedule::write_mspdi(s);
}

}  // namespace padsim::models
