// Primavera P6 XER: tab-separated tables (%T name, %F fields, %R records, %E end). The reader
// takes PROJECT, CALENDAR, TASK and TASKPRED; every other table is listed as not imported.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <sstream>

#include "formats.hpp"
#include "padsim/calendar.hpp"

namespace padsim::models::schedule {

namespace {

struct Record {
  int line = 0;
  std::vector<std::string> values;
};

struct Table {
  std::string name;
  int line = 0;
  std::vector<std::string> fields;
  std::vector<Record> records;

  /// The field's index; nullopt-like -1 when the table lacks it.
  int field(std::string_view name_) const {
    const auto it = std::find(fields.begin(), fields.end(), name_);
    return it == fields.end() ? -1 : static_cast<int>(it - fields.begin());
  }
};

std::vector<std::string> split_tabs(std::string_view line) {
  std::vector<std::string> cells;
  std::size_t from = 0;
  while (true) {
    const std::size_t tab = line.find('\t', from);
    cells.emplace_back(line.substr(from, tab == std::string_view::npos ? std::string_view::npos : tab - from));
    if (tab == std::string_view::npos) return cells;
    from = tab + 1;
  }
}

std::vector<Table> parse_tables(const std::string& text, const std::string& file) {
  std::vector<Table> tables;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  bool ended = false;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1) {
      if (line.rfind("ERMHDR", 0) != 0) throw ScheduleError(file, 1, "not an XER file: the first line must start with ERMHDR");
      continue;
    }
    if (line.empty() || ended) continue;
    std::vector<std::string> cells = split_tabs(line);
    const std::string kind = cells.front();
    if (kind == "%T") {
      if (cells.size() < 2 || cells[1].empty()) throw ScheduleError(file, number, "%T record without a table name");
      tables.push_back({cells[1], number, {}, {}});
    } else if (kind == "%F") {
      if (tables.empty()) throw ScheduleError(file, number, "%F record before any %T table");
      tables.back().fields.assign(cells.begin() + 1, cells.end());
    } else if (kind == "%R") {
      if (tables.empty() || tables.back().fields.empty())
        throw ScheduleError(file, number, "%R record before the table's %F field list");
      Table& t = tables.back();
      cells.erase(cells.begin());
      if (cells.size() > t.fields.size())
        throw ScheduleError(file, number, "table " + t.name + ": record has " + std::to_string(cells.size()) +
                                              " values for " + std::to_string(t.fields.size()) + " fields");
      cells.resize(t.fields.size());
      t.records.push_back({number, std::move(cells)});
    } else if (kind == "%E") {
      ended = true;
    } else {
      throw ScheduleError(file, number, "unknown XER record '" + kind + "' (expected %T, %F, %R or %E)");
    }
  }
  if (number == 0) throw ScheduleError(file, 1, "empty file");
  return tables;
}

const std::string& value(const Table& t, const Record& r, const char* field, const std::string& file) {
  const int i = t.field(field);
  if (i < 0) throw ScheduleError(file, t.line, "table " + t.name + " has no field " + field);
  return r.values[static_cast<std::size_t>(i)];
}

std::string optional_value(const Table& t, const Record& r, const char* field) {
  const int i = t.field(field);
  return i < 0 ? std::string() : r.values[static_cast<std::size_t>(i)];
}

double number(const Table& t, const Record& r, const char* field, const std::string& file, double fallback) {
  const std::string& text = value(t, r, field, file);
  if (text.empty()) return fallback;
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(x))
    throw ScheduleError(file, r.line, "table " + t.name + ": " + field + " '" + text + "' is not a number");
  return x;
}

// The P6 calendar blob: nested `(0||NAME(ARGS)(CHILDREN))` nodes.
struct BlobNode {
  std::string name, args;
  std::vector<BlobNode> children;
};

class BlobParser {
 public:
  BlobParser(std::string_view text, const std::string& file, int line) : file_(file), line_(line) {
    for (const char c : text)  // P6 pads the blob with line breaks and 0x7f characters
      if (!std::isspace(static_cast<unsigned char>(c)) && c != '\x7f') text_ += c;
  }
  BlobNode node() {
    expect('(');
    const std::size_t bars = text_.find("||", pos_);
    if (bars == std::string::npos) fail("'||'");
    pos_ = bars + 2;
    BlobNode n;
    while (pos_ < text_.size() && text_[pos_] != '(') n.name += text_[pos_++];
    expect('(');
    while (pos_ < text_.size() && text_[pos_] != ')') n.args += text_[pos_++];
    expect(')');
    expect('(');
    while (pos_ < text_.size() && text_[pos_] == '(') n.children.push_back(node());
    expect(')');
    expect(')');
    return n;
  }

 private:
  void expect(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) fail(std::string("'") + c + "'");
    ++pos_;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw ScheduleError(file_, line_, "CALENDAR clndr_data: expected " + what + " at character " +
                                          std::to_string(pos_ + 1) + " of the calendar data");
  }
  std::string text_;
  std::size_t pos_ = 0;
  const std::string& file_;
  int line_;
};

/// "s|08:00|f|12:00" -> hours between; "d|45657" -> the serial day.
std::map<std::string, std::string> args_of(const std::string& args) {
  std::map<std::string, std::string> out;
  std::vector<std::string> parts;
  std::stringstream in(args);
  std::string part;
  while (std::getline(in, part, '|')) parts.push_back(part);
  for (std::size_t i = 0; i + 1 < parts.size(); i += 2) out[parts[i]] = parts[i + 1];
  return out;
}

double clock_hours(const std::string& hhmm) {
  const std::size_t colon = hhmm.find(':');
  if (colon == std::string::npos) return 0.0;
  return std::atof(hhmm.substr(0, colon).c_str()) + std::atof(hhmm.substr(colon + 1).c_str()) / 60.0;
}

double work_hours(const BlobNode& day) {
  double hours = 0.0;
  for (const BlobNode& shift : day.children) {
    auto a = args_of(shift.args);
    const double s = clock_hours(a["s"]);
    double f = clock_hours(a["f"]);
    if (f <= s) f += 24.0;  // 00:00 to 00:00 is the whole day
    hours += f - s;
  }
  return hours;
}

const BlobNode* child(const BlobNode& n, std::string_view name) {
  for (const BlobNode& c : n.children)
    if (c.name == name) return &c;
  return nullptr;
}

ImportedCalendar read_calendar(const Table& t, const Record& r, ImportedSchedule& s) {
  ImportedCalendar cal;
  cal.id = value(t, r, "clndr_id", s.file);
  cal.name = to_utf8(optional_value(t, r, "clndr_name"));
  const double day_hours = t.field("day_hr_cnt") < 0 ? 0.0 : number(t, r, "day_hr_cnt", s.file, 0.0);
  const std::string blob = optional_value(t, r, "clndr_data");
  double widest = 0.0;
  if (!blob.empty()) {
    const BlobNode root = BlobParser(blob, s.file, r.line).node();
    if (const BlobNode* week = child(root, "DaysOfWeek")) {
      std::vector<double> hours;
      for (const BlobNode& day : week->children) {
        const int d = std::atoi(day.name.c_str());  // 1 = Sunday ... 7 = Saturday
        if (d < 1 || d > 7) throw ScheduleError(s.file, r.line, "CALENDAR clndr_data: weekday '" + day.name + "' is not 1-7");
        const double h = work_hours(day);
        cal.week[static_cast<std::size_t>((d + 5) % 7)] = h > 0.0;
        if (h > 0.0) hours.push_back(h);
        widest = std::max(widest, h);
      }
      if (!hours.empty() && *std::min_element(hours.begin(), hours.end()) != widest)
        s.unsupported.push_back({r.line, "calendar " + cal.id + ": working hours differ between weekdays; every working day counts as " +
                                             plain_number(day_hours > 0 ? day_hours : widest) + " hours"});
    }
    if (const BlobNode* exceptions = child(root, "Exceptions"))
      for (const BlobNode& e : exceptions->children) {
        auto a = args_of(e.args);
        const std::string date = serial_date(std::atol(a["d"].c_str()));
        const double h = work_hours(e);
        if (h == 0.0) cal.holidays.push_back(date);
        else cal.exceptions.push_back(date);
      }
    for (const BlobNode& other : root.children)
      if (other.name != "DaysOfWeek" && other.name != "Exceptions" && other.name != "VIEW")
        s.unsupported.push_back({r.line, "calendar " + cal.id + ": calendar data '" + other.name + "' not imported"});
  }
  cal.hours_per_day = day_hours > 0.0 ? day_hours : widest > 0.0 ? widest : 8.0;
  if (std::none_of(cal.week.begin(), cal.week.end(), [](bool w) { return w; })) {
    cal.week.fill(true);
    s.unsupported.push_back({r.line, "calendar " + cal.id + ": no working weekdays in its data; taken as working every day"});
  }
  if (!optional_value(t, r, "base_clndr_id").empty())
    s.unsupported.push_back({r.line, "calendar " + cal.id + ": inherits from base calendar " + optional_value(t, r, "base_clndr_id") +
                                         " (only its own week and exceptions are imported)"});
  return cal;
}

/// "HH:MM" of a number of hours after midnight.
std::string clock_text(double hours) {
  const long minutes = std::lround(hours * 60.0);
  const auto two = [](long x) { return (x < 10 ? "0" : "") + std::to_string(x); };
  return two(minutes / 60) + ":" + two(minutes % 60);
}

std::string iso(const std::string& p6_date) {
  // "2025-11-27 09:28" reads as ISO 8601 with a space; written with a T and Z for the scenario.
  std::string out = p6_date;
  if (out.size() > 10 && out[10] == ' ') out[10] = 'T';
  return out;
}

}  // namespace

}  // namespace padsim::models::schedule

namespace padsim::models {

using namespace schedule;

ImportedSchedule read_xer(const std::string& text, const std::string& file) {
  ImportedSchedule s;
  s.file = file;
  s.format = "Primavera P6 XER";
  const std::vector<Table> tables = parse_tables(text, file);
  auto find = [&](std::string_view name) -> const Table* {
    for (const Table& t : tables)
      if (t.name == name) return &t;
    return nullptr;
  };
  const Table* project = find("PROJECT");
  if (!project || project->records.empty()) throw ScheduleError(file, 1, "no PROJECT table with a record");
  const Record& p = project->records.front();
  const std::string proj_id = value(*project, p, "proj_id", file);
  s.name = to_utf8(optional_value(*project, p, "proj_short_name"));
  std::string start = optional_value(*project, p, "plan_start_date");
  if (start.empty()) start = optional_value(*project, p, "last_recalc_date");
  if (start.empty()) throw ScheduleError(file, p.line, "PROJECT " + proj_id + " has no plan_start_date");
  s.start = iso(start);
  days_between(s.start, s.start, file, p.line);  // checks the date
  s.finish = iso(optional_value(*project, p, "scd_end_date"));
  if (project->records.size() > 1)
    s.unsupported.push_back({project->records[1].line, "only the first PROJECT (" + proj_id + ") is imported; " +
                                                          std::to_string(project->records.size() - 1) + " more not imported"});
  const std::string lag = optional_value(*project, p, "sched_calendar_on_relationship_lag");
  const std::string default_calendar = optional_value(*project, p, "clndr_id");

  if (const Table* cal = find("CALENDAR"))
    for (const Record& r : cal->records) {
      s.calendars.push_back(read_calendar(*cal, r, s));
      if (default_calendar.empty() && optional_value(*cal, r, "default_flag") == "Y") s.calendar = s.calendars.back().id;
    }
  if (!default_calendar.empty()) s.calendar = default_calendar;
  s.lag_calendar = lag == "rcal_Successor" ? "successor" : lag == "rcal_24Hour" ? "continuous"
                   : lag == "rcal_ProjDefault" ? s.calendar : "predecessor";  // P6's default

  const Table* tasks = find("TASK");
  if (!tasks) throw ScheduleError(file, 1, "no TASK table");
  std::map<std::string, std::size_t> by_p6_id;  // task_id (P6's key) -> index
  for (const Record& r : tasks->records) {
    if (const std::string pid = optional_value(*tasks, r, "proj_id"); !pid.empty() && pid != proj_id) {
      s.unsupported.push_back({r.line, "activity of another project (" + pid + ") not imported"});
      continue;
    }
    ImportedTask t;
    t.line = r.line;
    t.id = to_utf8(value(*tasks, r, "task_code", file));
    if (t.id.empty()) throw ScheduleError(file, r.line, "TASK record without a task_code");
    t.name = to_utf8(optional_value(*tasks, r, "task_name"));
    t.calendar = optional_value(*tasks, r, "clndr_id");
    const std::string type = optional_value(*tasks, r, "task_type");
    if (type == "TT_LOE" || type == "TT_WBS") {
      s.unsupported.push_back({r.line, "activity " + t.id + ": " + (type == "TT_LOE" ? "level of effort" : "WBS summary") +
                                           " not imported (with its links)"});
      by_p6_id[value(*tasks, r, "task_id", file)] = static_cast<std::size_t>(-1);
      continue;
    }
    t.milestone = type == "TT_Mile" || type == "TT_FinMile";
    const double target = number(*tasks, r, "target_drtn_hr_cnt", file, -1.0);
    t.hours = t.milestone ? 0.0 : target >= 0.0 ? target : number(*tasks, r, "remain_drtn_hr_cnt", file, 0.0);
    if (t.hours < 0.0) throw ScheduleError(file, r.line, "activity " + t.id + ": negative duration");
    const std::string status = optional_value(*tasks, r, "status_code");
    if (status == "TK_Active" || status == "TK_Complete")
      s.unsupported.push_back({r.line, "activity " + t.id + ": progress (" + status + ") not imported; its planned duration is used"});
    const std::string cstr = optional_value(*tasks, r, "cstr_type");
    if (!cstr.empty()) {
      const std::string date = iso(optional_value(*tasks, r, "cstr_date"));
      if (cstr == "CS_MSOA" && !date.empty()) t.start_not_before = days_between(s.start, date, file, r.line);
      else if (cstr == "CS_MEOA" && !date.empty()) t.finish_not_before = days_between(s.start, date, file, r.line);
      else s.unsupported.push_back({r.line, "activity " + t.id + ": constraint " + cstr + " not imported"});
    }
    if (!optional_value(*tasks, r, "cstr_type2").empty())
      s.unsupported.push_back({r.line, "activity " + t.id + ": secondary constraint " + optional_value(*tasks, r, "cstr_type2") + " not imported"});
    const std::string key = value(*tasks, r, "task_id", file);
    if (by_p6_id.count(key)) throw ScheduleError(file, r.line, "TASK task_id " + key + " appears twice");
    for (const ImportedTask& other : s.tasks)
      if (other.id == t.id) throw ScheduleError(file, r.line, "activity id (task_code) " + t.id + " appears twice");
    by_p6_id[key] = s.tasks.size();
    s.tasks.push_back(std::move(t));
  }

  if (const Table* preds = find("TASKPRED"))
    for (const Record& r : preds->records) {
      const std::string succ = value(*preds, r, "task_id", file), pred = value(*preds, r, "pred_task_id", file);
      const auto si = by_p6_id.find(succ), pi = by_p6_id.find(pred);
      if (si == by_p6_id.end() || pi == by_p6_id.end()) {
        const std::string missing = si == by_p6_id.end() ? succ : pred;
        if (optional_value(*preds, r, "pred_proj_id") != optional_value(*preds, r, "proj_id")) {
          s.unsupported.push_back({r.line, "link to another project's activity " + missing + " not imported"});
          continue;
        }
        throw ScheduleError(file, r.line, "TASKPRED names task_id " + missing + ", which no TASK record has");
      }
      if (si->second == static_cast<std::size_t>(-1) || pi->second == static_cast<std::size_t>(-1)) {
        s.unsupported.push_back({r.line, "link through a level-of-effort or WBS summary activity not imported"});
        continue;
      }
      ImportedLink link;
      link.line = r.line;
      link.pred = s.tasks[pi->second].id;
      const std::string type = value(*preds, r, "pred_type", file);
      if (type == "PR_FS") link.type = ImportedLinkType::kFS;
      else if (type == "PR_SS") link.type = ImportedLinkType::kSS;
      else if (type == "PR_FF") link.type = ImportedLinkType::kFF;
      else if (type == "PR_SF") {
        s.unsupported.push_back({r.line, "activity " + s.tasks[si->second].id + ": start-to-finish link from " + link.pred +
                                             " not imported (the model has no SF links)"});
        link.type = ImportedLinkType::kSF;
      }
      else throw ScheduleError(file, r.line, "TASKPRED pred_type '" + type + "' (expected PR_FS, PR_SS, PR_FF or PR_SF)");
      link.lag_hours = number(*preds, r, "lag_hr_cnt", file, 0.0);
      s.tasks[si->second].links.push_back(link);
    }

  for (const Table& t : tables)
    if (t.name != "PROJECT" && t.name != "CALENDAR" && t.name != "TASK" && t.name != "TASKPRED" && t.name != "PROJWBS" &&
        !t.records.empty())
      s.unsupported.push_back({t.line, "table " + t.name + " (" + std::to_string(t.records.size()) + " records) not imported" +
                                           (t.name == "TASKRSRC" ? ": resource assignments" : "")});
  return s;
}

}  // namespace padsim::models

namespace padsim::models::schedule {

std::string write_xer(const ImportedSchedule& s) {
  std::ostringstream out;
  const auto p6_date = [](std::string iso_date) {
    if (iso_date.size() > 10 && iso_date[10] == 'T') iso_date[10] = ' ';
    if (iso_date.size() > 16) iso_date.resize(16);  // P6 writes minutes
    return iso_date;
  };
  out << "ERMHDR\t19.12\t" << p6_date(s.start).substr(0, 10) << "\tProject\tpadsim\tpadsim\tdbxDatabaseNoName\tProject Management\tUSD\n";
  out << "%T\tPROJECT\n%F\tproj_id\tproj_short_name\tplan_start_date\tclndr_id\tsched_calendar_on_relationship_lag\n";
  out << "%R\t1\t" << s.name << "\t" << p6_date(s.start) << "\t" << s.calendar << "\t"
      << (s.lag_calendar == "successor"    ? "rcal_Successor"
          : s.lag_calendar == "continuous" ? "rcal_24Hour"
          : s.lag_calendar == s.calendar   ? "rcal_ProjDefault"
                                           : "rcal_Predecessor")
      << "\n";
  out << "%T\tCALENDAR\n%F\tclndr_id\tdefault_flag\tclndr_name\tproj_id\tclndr_type\tday_hr_cnt\tclndr_data\n";
  for (const ImportedCalendar& c : s.calendars) {
    out << "%R\t" << c.id << "\t" << (c.id == s.calendar ? "Y" : "N") << "\t" << c.name << "\t1\tCA_Project\t"
        << plain_number(c.hours_per_day) << "\t(0||CalendarData()((0||DaysOfWeek()(";
    const std::string until = c.hours_per_day >= 24.0 ? "00:00" : clock_text(c.hours_per_day);
    for (int d = 1; d <= 7; ++d) {
      out << "(0||" << d << "()(";
      if (c.week[static_cast<std::size_t>((d + 5) % 7)]) out << "(0||0(s|00:00|f|" << until << ")())";
      out << "))";
    }
    // Exceptions by serial day (from 1899-12-30): a holiday has no shift, a worked day one.
    const auto serial = [](const std::string& date) { return std::llround(*parse_iso8601(date) / 86400.0) + 25569; };
    out << "))(0||Exceptions()(";
    long n = 0;
    for (const std::string& d : c.holidays) out << "(0||" << n++ << "(d|" << serial(d) << ")())";
    for (const std::string& d : c.exceptions)
      out << "(0||" << n++ << "(d|" << serial(d) << ")((0||0(s|00:00|f|" << until << ")())))";
    out << ")))))\n";
  }
  out << "%T\tTASK\n%F\ttask_id\tproj_id\tclndr_id\ttask_code\ttask_name\ttask_type\tstatus_code\ttarget_drtn_hr_cnt\tremain_drtn_hr_cnt\n";
  for (std::size_t i = 0; i < s.tasks.size(); ++i) {
    const ImportedTask& t = s.tasks[i];
    out << "%R\t" << i + 1 << "\t1\t" << t.calendar << "\t" << t.id << "\t" << t.name << "\t"
        << (t.milestone ? "TT_FinMile" : "TT_Task") << "\tTK_NotStart\t" << plain_number(t.hours) << "\t" << plain_number(t.hours) << "\n";
  }
  out << "%T\tTASKPRED\n%F\ttask_pred_id\ttask_id\tpred_task_id\tproj_id\tpred_proj_id\tpred_type\tlag_hr_cnt\n";
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.tasks.size(); ++i)
    for (const ImportedLink& l : s.tasks[i].links) {
      const auto pred = std::find_if(s.tasks.begin(), s.tasks.end(), [&](const ImportedTask& t) { return t.id == l.pred; });
      static const char* const kTypes[] = {"PR_FS", "PR_SS", "PR_FF", "PR_SF"};
      out << "%R\t" << ++n << "\t" << i + 1 << "\t" << (pred - s.tasks.begin()) + 1 << "\t1\t1\t"
          << kTypes[static_cast<int>(l.type)] << "\t" << plain_number(l.lag_hours) << "\n";
    }
  out << "%E\n";
  return out.str();
}

}  // namespace padsim::models::schedule
