// The round trips of `padsim export-schedule` and `padsim import`: the shipped repairs exported to
// XER and MSPDI import as the same graph, hand-written five-day-week schedules complete on their
// hand-computed finish, and a repair on working calendars exports and imports as the same schedule.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "padsim/calendar.hpp"
#include "padsim/models/repair_project.hpp"
#include "padsim/models/scenario.hpp"
#include "padsim/models/scenario_spec.hpp"
#include "padsim/models/schedule_import.hpp"
#include "padsim/rng.hpp"
#include "test_support.hpp"
#include "../models/work_calendar.hpp"

using namespace padsim;
using namespace padsim::models;

namespace {

const std::string kRoundTripDir = std::string(PADSIM_SOURCE_DIR) + "/tests/import/";

/// The deterministic completion (days from the epoch) of a repair-only scenario text.
double roundtrip_completion(const std::string& text) {
  const auto model = load_scenario(text, "imported.toml", LoadOptions{true, false});
  ReplicationResult r;
  model->run(1, 0, r);
  return r.outcomes.at(0);
}

/// The deterministic CPM completion of a repair graph (every duration and lag at its mode).
double roundtrip_evaluate(const RepairProject& project) {
  Rng rng(1, 0, 0);
  RepairOutcome out;
  return project.evaluate(rng, DrawMode{true}, out);
}

/// "ID | name | mode | fixed | calendar" of every task, in file order. The calendar is its days as
/// the model sees them: week, hours per day, holidays, exceptions, unit ("-" for continuous days).
std::vector<std::string> roundtrip_tasks(const RepairProject& project) {
  const RepairCalendars& rc = project.calendars();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < project.tasks().size(); ++i) {
    const TaskSpec& t = project.tasks()[i];
    std::string row = t.id + " | " + t.name + " | " + std::to_string(t.duration.mode()) + " | " +
                      (t.duration.is_fixed() ? "fixed" : "random") + " | ";
    const std::size_t c = rc.task_calendar.empty() ? kNoCalendar : rc.task_calendar[i];
    // A 7-day, 24-hour calendar without exceptions is continuous days under another name.
    const bool continuous = c == kNoCalendar ||
                            (rc.calendars[c].hours_per_day == 24.0 && rc.calendars[c].holidays.empty() &&
                             rc.calendars[c].exceptions.empty() &&
                             std::all_of(rc.calendars[c].week.begin(), rc.calendars[c].week.end(), [](bool w) { return w; }));
    if (continuous) {
      row += "-";
    } else {
      const WorkCalendarSpec& cal = rc.calendars[c];
      for (const bool w : cal.week) row += w ? "1" : "0";
      row += " " + std::to_string(cal.hours_per_day) + "h";
      for (const std::int64_t d : cal.holidays) row += " -" + std::to_string(d);
      for (const std::int64_t d : cal.exceptions) row += " +" + std::to_string(d);
      row += rc.task_unit[i] == WorkUnit::kHours ? " hours" : " days";
    }
    out.push_back(row);
  }
  return out;
}

/// "PRED->SUCC TYPE LAG" of every link, sorted; a percent lag as "P%", else the lag's mode in days.
std::vector<std::string> roundtrip_links(const RepairProject& project) {
  std::vector<std::string> out;
  const auto& tasks = project.tasks();
  for (const Link& l : project.links()) {
    const char* type = l.type == LinkType::kStartToStart ? "SS" : l.type == LinkType::kFinishToFinish ? "FF" : "FS";
    out.push_back(tasks[l.pred].id + "->" + tasks[l.succ].id + " " + type + " " +
                  (l.lag_is_percent ? std::to_string(l.lag_percent) + "%" : std::to_string(l.lag.mode())));
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The source's links as an XER round trip gives them back: XER has no percent lags, so a percent
/// lag comes back as that percentage of the predecessor's mode, in days (exact in deterministic
/// mode on continuous days, the only case these graphs have).
std::vector<std::string> links_through_xer(const RepairProject& project) {
  std::vector<std::string> out;
  const auto& tasks = project.tasks();
  for (const Link& l : project.links()) {
    const char* type = l.type == LinkType::kStartToStart ? "SS" : l.type == LinkType::kFinishToFinish ? "FF" : "FS";
    const double lag = l.lag_is_percent ? l.lag_percent / 100.0 * tasks[l.pred].duration.mode() : l.lag.mode();
    out.push_back(tasks[l.pred].id + "->" + tasks[l.succ].id + " " + type + " " + std::to_string(lag));
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct RoundTrip {
  std::string text;  ///< the imported scenario
  std::vector<std::string> not_exported;
};

RoundTrip export_and_import(const RepairProject& project, const std::string& id, const std::string& epoch,
                            ScheduleFormat format) {
  RoundTrip r;
  const std::string schedule = export_schedule(project, id, epoch, format, r.not_exported);
  const ImportedSchedule back = read_schedule(schedule, format == ScheduleFormat::kXer ? "s.xer" : "s.xml");
  r.text = write_repair_toml(back, {id, false, {}});
  return r;
}

bool roundtrip_mentions(const std::vector<std::string>& list, const std::string& part) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return s.find(part) != std::string::npos; });
}

/// The branch of both shipped repairs, as their files give it: P6 and MS Project have no branches,
/// so the round-trip test adds it back to the imported graph by hand.
const char* const kCabinSourceBranch =
    "\n[[repair.site31-cabin.branch]]\nid = \"cabin-source\"\nafter = \"R1\"\nalternatives = [\"R2\", \"R2b\"]\n"
    "probabilities = [0.9, 0.1]\n";

}  // namespace

TEST_CASE("the shipped repairs exported to XER and MSPDI import as the same tasks, links and completion") {
  for (const std::string file : {"site31-repair.toml", "baikonur-2025.toml"}) {
    const ScenarioSpec source = parse_scenario(test::read(std::string(PADSIM_SOURCE_DIR) + "/experiments/" + file), file);
    const RepairProject& original = *source.find_repair("site31-cabin")->project;
    REQUIRE(original.branches().size() == 1);
    for (const ScheduleFormat format : {ScheduleFormat::kXer, ScheduleFormat::kMspdi}) {
      const bool xer = format == ScheduleFormat::kXer;
      CAPTURE(file);
      CAPTURE(xer);
      const RoundTrip trip = export_and_import(original, "site31-cabin", source.scenario.epoch, format);
      // Every task goes out, R2b too; the branch, risks, correlation and resources are listed.
      CHECK(roundtrip_mentions(trip.not_exported, "branch cabin-source after R1: its alternatives R2 (p 0.9), R2b (p 0.1) "
                                                  "are exported as ordinary tasks"));
      CHECK(roundtrip_mentions(trip.not_exported, "link R6 -> R7: lag 50% written as 720 hours") == xer);
      const ScenarioSpec imported = parse_scenario(trip.text, "back.toml");
      CHECK(imported.scenario.epoch == source.scenario.epoch);
      const RepairProject& copy = *imported.find_repair("site31-cabin")->project;
      CHECK(copy.branches().empty());
      // Ids, names, most likely durations (fixed now), in file order: the complete list.
      std::vector<std::string> expected_tasks = roundtrip_tasks(original);
      for (std::string& row : expected_tasks) {
        const std::size_t at = row.find(" | random | ");
        if (at != std::string::npos) row.replace(at, 12, " | fixed | ");
      }
      CHECK(roundtrip_tasks(copy) == expected_tasks);
      CHECK(copy.tasks().size() == 9);
      // Every link with its type and lag; MSPDI keeps SS+50%, XER brings it back as 30 days.
      const std::vector<std::string> links = roundtrip_links(copy);
      CHECK(links == (xer ? links_through_xer(original) : roundtrip_links(original)));
      CHECK(std::count(links.begin(), links.end(), xer ? "R6->R7 SS 30.000000" : "R6->R7 SS 50.000000%") == 1);
      CHECK(links.size() == 14);
      // The branch re-added by hand: the same deterministic completion as the source graph.
      const ScenarioSpec with_branch = parse_scenario(trip.text + kCabinSourceBranch, "back.toml");
      const RepairProject& rebuilt = *with_branch.find_repair("site31-cabin")->project;
      CHECK(roundtrip_evaluate(rebuilt) == roundtrip_evaluate(original));
      CHECK(roundtrip_evaluate(original) == 97.0);
      CHECK(roundtrip_completion(trip.text + kCabinSourceBranch) == 97.0);
    }
  }
}

TEST_CASE("hand-written five-day-week schedules complete on their hand-computed finish") {
  // Both files: a Mon-Fri calendar of 8 hours (08:00-12:00, 13:00-17:00), holiday Wed 2026-01-14,
  // start Fri 2026-01-09 08:00, so the epoch is 2026-01-09 00:00 and a working day is a model day.
  // A10 80 h = 10 days: Fri 9, Mon 12, Tue 13, (Wed 14 off) Thu 15 ... Fri 23: ends day 15.
  // A20 24 h, FS + 16 h after A10: the lag takes Mon 26 and Tue 27, A20 works Wed 28 - Fri 30: day 22.
  // A30 SS + 24 h after A10: Fri 9, Mon 12, Tue 13, starts Thu 15, 2 days: Fri 16 (day 8).
  // A40, the finish milestone, at A20's finish: Fri 30 17:00 in the files, the end of day 21 = 22.
  for (const std::string file : {"weekdays.xer", "weekdays.xml"}) {
    CAPTURE(file);
    const ImportedSchedule s = read_schedule(test::read(kRoundTripDir + file), file);
    CHECK(s.finish.rfind("2026-01-30T17:00", 0) == 0);
    const double finish_day = std::floor(*parse_iso8601(s.finish) / 86400.0) + 1.0;  // the end of its day
    const double epoch_day = std::floor(*parse_iso8601(s.start) / 86400.0);
    CHECK(finish_day - epoch_day == 22.0);
    const std::string text = write_repair_toml(s, {"weekdays", false, {}});
    CHECK(text.find("epoch = \"2026-01-09T00:00:00Z\"") != std::string::npos);
    CHECK(roundtrip_completion(text) == 22.0);
    // Without the holiday A10 ends a day earlier: the holiday is what makes it 22.
    std::string no_holiday = text;
    no_holiday.replace(no_holiday.find("holidays = [\"2026-01-14\"]"), 25, "");
    CHECK(roundtrip_completion(no_holiday) == 21.0);
  }
  // MS Project walks a task's hours through its own calendar: 20 h on the 10-hour calendar is 2 days.
  const std::string xml = write_repair_toml(read_schedule(test::read(kRoundTripDir + "weekdays.xml"), "w.xml"), {"w", true, {}});
  CHECK(xml.find("id = \"A30\"\nname = \"Paint parts\"\nduration = 2\ncalendar = \"2\"\nafter = [\"A10 SS+3\"]\n") !=
        std::string::npos);
  CHECK(xml.find("id = \"2\"  # Long shift\nweek = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nhours_per_day = 10\n") !=
        std::string::npos);
}

TEST_CASE("every calendar fixture imports as a scenario that loads, with its hand-computed completion") {
  // calendars.xer: Mon-Fri 8 h, holiday Wed 2025-12-31, Sat 2026-01-03 worked; start Mon 2025-12-22.
  // W10, 10 days: Dec 22-26, 29, 30, Jan 1, 2, 3: ends at the end of Jan 3, day 13; the rest is shorter.
  // calendars.xml: holidays Dec 31 and Jan 1, Jan 3 worked: T1 ends at the end of Mon Jan 5 (day 15);
  // T4, 2 days FS + 48 h (6 days) after T1: Jan 6-9, 12, 13, then Jan 14-15: day 25.
  const std::vector<std::pair<const char*, double>> fixtures{
      {"calendars.xer", 13.0}, {"calendars.xml", 25.0}, {"weekdays.xer", 22.0}, {"weekdays.xml", 22.0}};
  for (const auto& fixture : fixtures) {
    const std::string name = fixture.first;
    CAPTURE(name);
    const std::string text =
        write_repair_toml(read_schedule(test::read(kRoundTripDir + fixture.first), fixture.first), {"fixture", false, {}});
    CHECK(roundtrip_completion(text) == fixture.second);
  }
}

TEST_CASE("a repair on working calendars exports its calendars and imports as the same schedule") {
  // Hand-computed (epoch Fri 2026-01-09): A10, 10 days of Mon-Fri less Wed 14 plus Sat 17: ends Thu 22
  // (day 14). A20, FS + 2 days (Fri 23, Mon 26), 12 h = 1.5 days: Tue 27 and half of Wed 28, day 19.5.
  // A30 on Mon-Sat 10 h: SS + 3 ends by Tue 13, then Thu 15 - Sat 17 (day 9); A35 1.5 continuous
  // days (10.5); the milestone A40 at 19.5.
  const std::string head =
      "[scenario]\nname = \"cal\"\nepoch = \"2026-01-09T00:00Z\"\nhorizon = \"2027-12-31\"\n\n[[pad]]\nid = \"pad\"\n"
      "down_at_epoch = true\nrepair = \"cal\"\n\n[repair.cal]\nname = \"cal\"\ndefault_calendar = \"weekdays\"\n";
  const std::string body =
      "[[repair.cal.weather]]\nid = \"snow\"\nloss_probability = [0.1, 0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.1]\n"
      "[[repair.cal.calendar]]\nid = \"weekdays\"\nweek = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nhours_per_day = 8\n"
      "holidays = [\"2026-01-14\"]\nexceptions = [\"2026-01-17\"]\n"
      "[[repair.cal.calendar]]\nid = \"long\"\nweek = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]\n"
      "hours_per_day = 10\nholidays = [\"2026-01-14\"]\n"
      "[[repair.cal.calendar]]\nid = \"outdoor\"\nproductivity = [0.7, 0.7, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.8]\nweather = \"snow\"\n"
      "[[repair.cal.task]]\nid = \"A10\"\nduration = 10\n"
      "[[repair.cal.task]]\nid = \"A20\"\nduration = 12\nunit = \"hours\"\nafter = [\"A10 FS+2\"]\n"
      "[[repair.cal.task]]\nid = \"A30\"\nduration = 3\ncalendar = \"long\"\nafter = [\"A10 SS+3\"]\n"
      "[[repair.cal.task]]\nid = \"A35\"\nduration = 1.5\ncalendar = \"continuous\"\nafter = [\"A30\"]\n"
      "[[repair.cal.task]]\nid = \"A40\"\nduration = 0\ncalendar = \"continuous\"\nafter = [\"A20\", \"A35\"]\n";
  for (const std::string lag : {"weekdays", "successor"}) {
    const std::string source_text = head + "lag_calendar = \"" + lag + "\"\n" + body;
    CHECK(roundtrip_completion(source_text) == 19.5);
    const ScenarioSpec source = parse_scenario(source_text, "cal.toml");
    const RepairProject& original = *source.find_repair("cal")->project;
    for (const ScheduleFormat format : {ScheduleFormat::kXer, ScheduleFormat::kMspdi}) {
      const bool xer = format == ScheduleFormat::kXer;
      CAPTURE(lag);
      CAPTURE(xer);
      const RoundTrip trip = export_and_import(original, "cal", source.scenario.epoch, format);
      CHECK(roundtrip_mentions(trip.not_exported, "calendar outdoor: productivity by month"));
      CHECK(roundtrip_mentions(trip.not_exported, "calendar outdoor: weather snow"));
      // MS Project counts every lag on the project calendar: a successor lag calendar is listed.
      const bool exact = xer || lag == "weekdays";
      CHECK(roundtrip_mentions(trip.not_exported, "lag_calendar successor") == !exact);
      if (!exact) continue;
      CHECK(trip.text.find("lag_calendar = \"" + lag + "\"\n") != std::string::npos);
      const ScenarioSpec imported = parse_scenario(trip.text, "back.toml");
      const RepairProject& copy = *imported.find_repair("cal")->project;
      CHECK(imported.scenario.epoch == source.scenario.epoch);
      // Each task's days (week, hours, holidays, exceptions, unit), durations and links as the source's.
      CHECK(roundtrip_tasks(copy) == roundtrip_tasks(original));
      CHECK(roundtrip_tasks(copy)[2] == "A30 |  | 3.000000 | fixed | 1111110 10.000000h -20467 days");
      CHECK(roundtrip_links(copy) == roundtrip_links(original));
      CHECK(roundtrip_completion(trip.text) == 19.5);
    }
  }
}
