#pragma once
/// Schedules as planners keep them: Primavera P6 XER and Microsoft Project XML (MSPDI) read into a
/// plain schedule, written as a scenario's repair section (docs/scenario.md "Importing a
/// schedule"), with uncertainty added by duration templates; and a repair graph written back as a
/// deterministic XER or MSPDI schedule (its most likely durations, its calendars). Nothing here needs an XML
/// library in its signature: the MSPDI reader keeps its parser to its own source file.

#include <array>
#include <string>
#include <vector>

#include "padsim/error.hpp"

namespace padsim::models {

class RepairProject;

/// A schedule file that cannot be read. `what()` reads `FILE:LINE: message` (the record or
/// element at fault); `padsim import` prints it after "padsim: error: " and exits 2.
class ScheduleError : public ParameterError {
 public:
  ScheduleError(const std::string& file, int line, const std::string& message)
      : ParameterError(file + ":" + std::to_string(line) + ": " + message) {}
};

/// A working calendar: which weekdays work, hours per working day, and dated exceptions.
struct ImportedCalendar {
  std::string id;
  std::string name;
  std::array<bool, 7> week{};        ///< working weekdays, Monday first
  double hours_per_day = 8.0;
  std::vector<std::string> holidays;    ///< non-working dates, YYYY-MM-DD
  std::vector<std::string> exceptions;  ///< working dates the week would not work
  /// Every day works, 24 hours a day, no exceptions: the model's own continuous days.
  bool continuous() const;
};

enum class ImportedLinkType { kFS, kSS, kFF, kSF };

/// A link from a predecessor, as the file gave it: a lag in working hours, or a percentage of
/// the predecessor's duration.
struct ImportedLink {
  std::string pred;  ///< the predecessor's id
  ImportedLinkType type = ImportedLinkType::kFS;
  double lag_hours = 0.0;
  double lag_percent = 0.0;
  bool percent = false;
  int line = 0;
};

/// One activity: its planned duration in working hours of its calendar (0 for a milestone).
struct ImportedTask {
  std::string id;
  std::string name;
  double hours = 0.0;
  bool milestone = false;
  std::string calendar;  ///< its calendar's id ("" for the project's)
  std::vector<ImportedLink> links;
  /// A start-no-earlier-than (or finish-no-earlier-than) constraint, in days after the epoch:
  /// written as a link from a zero-duration start milestone. Negative: none.
  double start_not_before = -1.0;
  double finish_not_before = -1.0;
  int line = 0;
};

/// Something the file holds that the scenario cannot say: listed, never dropped silently.
struct ImportNote {
  int line = 0;
  std::string text;
};

/// A schedule read from a file.
struct ImportedSchedule {
  std::string file;    ///< the name used in messages
  std::string format;  ///< "Primavera P6 XER" or "Microsoft Project XML (MSPDI)"
  std::string name;
  std::string start;   ///< the schedule's start (P6 planned start / MSPDI StartDate), ISO 8601
  std::string finish;  ///< the finish the file states, if any ("" otherwise)
  std::string calendar;      ///< the project's default calendar id
  std::string lag_calendar;  ///< "successor", "predecessor", "continuous" or a calendar id
  std::vector<ImportedCalendar> calendars;
  std::vector<ImportedTask> tasks;
  std::vector<ImportNote> unsupported;
  /// The calendar of `task` (its own, or the project's); nullptr when the schedule has none.
  const ImportedCalendar* calendar_of(const ImportedTask& task) const;
};

/// Reads an XER (tab-separated text starting with ERMHDR) or an MSPDI file (XML in the
/// http://schemas.microsoft.com/project namespace), told apart by content. Throws ScheduleError.
ImportedSchedule read_schedule(const std::string& text, const std::string& file);
ImportedSchedule read_xer(const std::string& text, const std::string& file);
ImportedSchedule read_mspdi(const std::string& text, const std::string& file);

/// An uncertainty template: tasks whose name (or id) matches `pattern` (a glob with `*` and `?`,
/// case-insensitive) get `kind` with parameters in percent of the planned duration; trigen adds
/// its two percentile levels.
struct DurationTemplate {
  std::string pattern;
  std::string kind;            ///< trigen, pert, triangular or uniform
  std::vector<double> percent; ///< low, mode, high (uniform: low, high)
  double low_pct = 10.0, high_pct = 90.0;  ///< trigen's levels
  std::string source;          ///< where the rule was given, for messages and comments
};

/// Parses `PATTERN=KIND:A/B/C[@LO/HI]` (e.g. `weld*=trigen:90/110/150@10/90`, `*=pert:90/100/130`).
/// Throws ParameterError naming the rule.
DurationTemplate parse_template(const std::string& rule);
/// The `[[template]]` entries of a TOML file ({ match, kind, percent, levels }), in file order.
/// Throws InputError at the entry.
std::vector<DurationTemplate> read_templates(const std::string& text, const std::string& file);

/// What `padsim import` writes.
struct ImportOptions {
  std::string repair_id = "imported";
  bool section_only = false;  ///< only [repair.ID] (else a loadable scenario around it)
  std::vector<DurationTemplate> templates;  ///< first match wins
};

/// The scenario (or repair section) text of `schedule`, its unsupported constructs as comments;
/// `notes`, when given, receives them too (the schedule's own and those the writer adds).
std::string write_repair_toml(const ImportedSchedule& schedule, const ImportOptions& options,
                              std::vector<ImportNote>* notes = nullptr);

enum class ScheduleFormat { kXer, kMspdi };

/// A repair graph as a deterministic schedule in `format`: every task and link (a branch's
/// alternatives as ordinary tasks), every duration and lag at its mode, starting at `epoch`
/// (ISO 8601); on the project's working calendars (week, hours per day, holidays, exceptions,
/// lag calendar) when it uses them, else on a continuous 7-day, 24-hour calendar. What cannot be
/// exported (branches, risks, correlation, resources, calendars' productivity and weather; in XER
/// percent lags, converted at the predecessor's mode) is appended to `not_exported`.
std::string export_schedule(const RepairProject& project, const std::string& repair_id,
                            const std::string& epoch, ScheduleFormat format,
                            std::vector<std::string>& not_exported);

}  // namespace padsim::models
