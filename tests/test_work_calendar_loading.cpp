// Working calendars in scenario files: one FILE:LINE:COL message per invalid calendar, weather or
// task key, and the default scenario's estimated winter, off unless selected.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "padsim/models/scenario.hpp"
#include "padsim/models/scenario_spec.hpp"
#include "test_support.hpp"

using namespace padsim;
using namespace padsim::models;

namespace {

// Ten lines, so a body's first line is line 11.

const std::string kTask = "[[repair.r.task]]\nid = \"A\"\nduration = 1\n";

std::string calendar_load_error_of(const std::string& body) {
  try {
    parse_scenario(padsim::test::kCalendarScenarioHead + body, "c.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

std::string calendar_error(const std::string& keys) {
  return calendar_load_error_of("[[repair.r.calendar]]\nid = \"c\"\n" + keys + "\n" + kTask);
}

std::string weather_error(const std::string& keys) {
  return calendar_load_error_of("[[repair.r.weather]]\nid = \"w\"\n" + keys + "\n" + kTask);
}

}  // namespace

TEST_CASE("every invalid calendar, weather or calendar key of a task is refused at its place") {
  CHECK(calendar_load_error_of("[repair.r]\ndefault_calendar = \"six\"\n[[repair.r.calendar]]\nid = \"five\"\n" + kTask) ==
        "c.toml:12:20: error: repair.r.default_calendar: unknown calendar 'six' (defined: five, or continuous)");
  CHECK(calendar_load_error_of("[[repair.r.calendar]]\nid = \"c\"\n[[repair.r.task]]\nid = \"A\"\nduration = 1\ncalendar = \"x\"\n") ==
        "c.toml:16:12: error: repair.r.task[A].calendar: unknown calendar 'x' (defined: c, or continuous)");
  CHECK(calendar_load_error_of("[[repair.r.task]]\nid = \"A\"\nduration = 1\ncalendar = \"x\"\n") ==
        "c.toml:14:12: error: repair.r.task[A].calendar: unknown calendar 'x' (the repair defines none: add "
        "[[repair.r.calendar]])");
  CHECK(calendar_error("weather = \"snow\"") ==
        "c.toml:13:11: error: repair.r.calendar[c].weather: unknown weather 'snow' (the repair defines none: add "
        "[[repair.r.weather]])");
  CHECK(calendar_error("week = [\"mon\", \"Tue\"]") ==
        "c.toml:13:16: error: repair.r.calendar[c].week: unknown weekday 'Tue' (expected mon, tue, wed, thu, fri, "
        "sat or sun)");
  CHECK(calendar_error("week = [\"mon\", \"mon\"]") == "c.toml:13:16: error: repair.r.calendar[c].week: 'mon' is listed twice");
  CHECK(calendar_error("week = []") ==
        "c.toml:13:8: error: repair.r.calendar[c].week: no working weekday: work on this calendar could never finish");
  CHECK(calendar_error("holidays = [\"2026-02-30\"]") ==
        "c.toml:13:13: error: repair.r.calendar[c].holidays: '2026-02-30' is not an ISO 8601 date or date-time "
        "(e.g. 2025-11-27T09:28Z)");
  CHECK(calendar_error("holidays = [\"2026-01-03\"]\nexceptions = [2026-01-03]") ==
        "c.toml:14:14: error: repair.r.calendar[c].exceptions: 2026-01-03 is also a holiday: give it once");
  CHECK(calendar_error("hours_per_day = 25") ==
        "c.toml:13:17: error: repair.r.calendar[c].hours_per_day: must be in (0, 24], found 25");
  CHECK(calendar_error("productivity = [1, 1]") ==
        "c.toml:13:16: error: repair.r.calendar[c].productivity: expected 12 values (January to December), found 2");
  CHECK(calendar_error("productivity = [1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1]") ==
        "c.toml:13:26: error: repair.r.calendar[c].productivity: must be > 0 (no work done would never end a task), "
        "found 0");
  CHECK(calendar_load_error_of("[[repair.r.calendar]]\nid = \"continuous\"\n" + kTask) ==
        "c.toml:12:6: error: repair.r.calendar.id: 'continuous' is reserved (continuous, successor and predecessor "
        "name no calendar)");
  CHECK(weather_error("loss_probability = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]") ==
        "c.toml:13:21: error: repair.r.weather[w].loss_probability: must be in [0, 1) (a day lost for certain would "
        "never end a task), found 1");
  CHECK(weather_error("loss_probability = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]") ==
        "c.toml:13:20: error: repair.r.weather[w].loss_probability: expected 12 values (January to December), found 11");
  CHECK(weather_error("loss_probability = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\npersistence = 1") ==
        "c.toml:14:15: error: repair.r.weather[w].persistence: must be in [0, 1), found 1");
  CHECK(calendar_load_error_of("[[repair.r.task]]\nid = \"A\"\nduration = 1\nunit = \"hours\"\n") ==
        "c.toml:14:8: error: repair.r.task[A].unit: unit = \"hours\" needs a working calendar; this task has none "
        "(give it a calendar, or a default_calendar)");
  CHECK(calendar_load_error_of("[[repair.r.calendar]]\nid = \"c\"\n[[repair.r.task]]\nid = \"A\"\nduration = 1\ncalendar = \"c\"\n"
                 "unit = \"weeks\"\n") ==
        "c.toml:17:8: error: repair.r.task[A].unit: unknown unit 'weeks' (expected \"days\" or \"hours\")");
  CHECK(calendar_load_error_of("[repair.r]\nlag_calendar = \"sucessor\"\n[[repair.r.calendar]]\nid = \"c\"\n" + kTask) ==
        "c.toml:12:16: error: repair.r.lag_calendar: unknown lag calendar 'sucessor' (expected successor, "
        "predecessor, continuous or a calendar: c)");
}

TEST_CASE("the default scenario's winter is off unless selected, and selecting it delays the pad") {
  const std::string dir = std::string(PADSIM_SOURCE_DIR) + "/experiments/";
  const auto plain = load_scenario_file(dir + "site31-repair.toml");
  const auto defaults = load_scenario_file(dir + "baikonur-2025.toml");
  LoadOptions winter_options;
  winter_options.overrides = {"repair.site31-cabin.default_calendar=baikonur-winter"};
  const auto winter = load_scenario_file(dir + "baikonur-2025.toml", winter_options);
  // pad_ready_day is the first outcome of both models; the same pad id gives the same repair stream.
  double later = 0.0;
  int both_done = 0;
  for (std::uint64_t r = 0; r < 20; ++r) {
    ReplicationResult a, b, c;
    plain->run(20251127, r, a);
    defaults->run(20251127, r, b);
    winter->run(20251127, r, c);
    CAPTURE(r);
    // Defined but unused: the very same days (an empty cell, NaN, when past the horizon).
    CHECK((b.outcomes[0] == a.outcomes[0] || (std::isnan(a.outcomes[0]) && std::isnan(b.outcomes[0]))));
    if (std::isnan(b.outcomes[0]) || std::isnan(c.outcomes[0])) continue;
    later += c.outcomes[0] - b.outcomes[0];
    ++both_done;
  }
  REQUIRE(both_done >= 15);
  CHECK(later > both_done * 10.0);  // productivity below 1 from November to March: weeks later on average
  LoadOptions deterministic = winter_options;
  deterministic.deterministic = true;
  ReplicationResult d;
  load_scenario_file(dir + "baikonur-2025.toml", deterministic)->run(1, 0, d);
  CHECK(d.outcomes[0] > 97.0);  // the most-likely path, 97 days without the winter
}
