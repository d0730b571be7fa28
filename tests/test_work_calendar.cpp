// Working calendars of repair tasks (docs/model.md "Working calendars"): hand-computed dates,
// the weather's expected factor, lag calendars, the engine agreeing with the forward pass and the
// driving path. Loading and messages: test_work_calendar_loading.cpp.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "../models/work_calendar.hpp"
#include "padsim/models/repair_project.hpp"
#include "padsim/models/scenario.hpp"
#include "padsim/models/scenario_spec.hpp"
#include "padsim/simulation.hpp"
#include "padsim/statistics.hpp"
#include "test_support.hpp"

using namespace padsim;
using namespace padsim::models;

namespace {

// Day 0 is Friday 2 January 2026, 00:00 UTC. Ten lines, so a body's first line is line 11.

const std::string kFiveDays = R"(
[[repair.r.calendar]]
id = "five"
week = ["mon", "tue", "wed", "thu", "fri"]
holidays = ["2026-01-07"]
)";

std::shared_ptr<const RepairProject> project_of(const std::string& body) {
  return parse_scenario(padsim::test::kCalendarScenarioHead + body, "c.toml").repairs.at(0).project;
}

// Every draw at its mode: the forward pass (RepairProject::evaluate).
RepairOutcome modes(const RepairProject& project) {
  Rng rng(1, 0, 0);
  RepairOutcome out;
  project.evaluate(rng, DrawMode{true}, out);
  return out;
}

// Replication `r` run by the event engine.
RepairOutcome engine(const RepairProject& project, std::uint64_t r, bool deterministic = false) {
  Simulation sim;
  Rng rng(11, r, repair_stream("p", 0));
  RepairOutcome out;
  project.start(sim, rng, DrawMode{deterministic}, out, [] {});
  sim.run();
  out.running.reset();
  return out;
}

// The running moments of a sample (the engine's accumulator) and the standard error of its mean.
RunningStats moments(const std::vector<double>& xs) {
  RunningStats stats;
  for (const double x : xs) stats.add(x);
  return stats;
}
double standard_error(const RunningStats& stats) { return stats.sd() / std::sqrt(static_cast<double>(stats.count())); }

}  // namespace

TEST_CASE("ten working days from a Friday on a five-day week with a holiday end on the hand-computed date") {
  // Fri 2, Mon 5, Tue 6, (Wed 7 holiday), Thu 8, Fri 9, Mon 12 ... Fri 16: the tenth working day
  // ends at midnight into Saturday 17 January, day 15.
  const auto project = project_of("[repair.r]\ndefault_calendar = \"five\"\n" + kFiveDays +
                                  "[[repair.r.task]]\nid = \"A\"\nduration = 10\n");
  const RepairOutcome out = modes(*project);
  CHECK(out.tasks[0].start == 0.0);
  CHECK(out.tasks[0].finish == doctest::Approx(15.0).epsilon(1e-12));
  CHECK(out.completion == doctest::Approx(15.0).epsilon(1e-12));
  CHECK(engine(*project, 0, true).completion == out.completion);
}

TEST_CASE("a task that may start on a weekend starts on Monday") {
  // A takes two continuous days (Friday, Saturday); B, on the five-day week, starts Monday (day 3).
  const auto project = project_of("[repair.r]\n" + kFiveDays +
                                  "[[repair.r.task]]\nid = \"A\"\nduration = 2\n"
                                  "[[repair.r.task]]\nid = \"B\"\nduration = 1\ncalendar = \"five\"\nafter = [\"A\"]\n");
  const RepairOutcome out = modes(*project);
  CHECK(out.tasks[1].start == doctest::Approx(3.0).epsilon(1e-12));
  CHECK(out.tasks[1].finish == doctest::Approx(4.0).epsilon(1e-12));
  CHECK(out.tasks[1].duration == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("hours, shifts and monthly productivity give the hand-computed finish, part-way through a day") {
  // 16 h a day Monday to Saturday at productivity 0.5 in January: 8 h of work a day. A (36 h):
  // Fri 8, Sat 16, Mon 24, Tue 32, and 4 of Wednesday's 8: day 5.5. B (4 h) starts there with half
  // of Wednesday left, exactly its 4 h: day 6.
  const auto project = project_of(R"([repair.r]
default_calendar = "shifts"

[[repair.r.calendar]]
id = "shifts"
week = ["mon", "tue", "wed", "thu", "fri", "sat"]
hours_per_day = 16
productivity = [0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]

[[repair.r.task]]
id = "A"
duration = 36
unit = "hours"

[[repair.r.task]]
id = "B"
duration = 4
unit = "hours"
after = ["A"]
)");
  const RepairOutcome out = modes(*project);
  CHECK(out.tasks[0].finish == doctest::Approx(5.5).epsilon(1e-12));
  CHECK(out.tasks[1].start == doctest::Approx(5.5).epsilon(1e-12));
  CHECK(out.tasks[1].finish == doctest::Approx(6.0).epsilon(1e-12));
}

TEST_CASE("a task crossing into a more productive month speeds up on the first of it") {
  // A: 28 continuous days, to Friday 30 January. B: 3 working days at 0.5 in January, 1 in February:
  // 30 and 31 January do one day's work, 1 and 2 February the other two: it ends on day 32.
  const auto project = project_of(R"([repair.r]
[[repair.r.calendar]]
id = "seasonal"
productivity = [0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]

[[repair.r.task]]
id = "A"
duration = 28

[[repair.r.task]]
id = "B"
duration = 3
calendar = "seasonal"
after = ["A"]
)");
  CHECK(modes(*project).tasks[1].finish == doctest::Approx(32.0).epsilon(1e-12));
}

TEST_CASE("a lag counts in the calendar lag_calendar selects") {
  // A: one continuous day, ends Saturday 00:00 (day 1). B (five-day week) follows with FS+2.
  const auto finish_of_b = [](const std::string& lag_calendar, const std::string& link) {
    const auto project = project_of("[repair.r]\n" + lag_calendar + kFiveDays +
                                    "[[repair.r.calendar]]\nid = \"six\"\nweek = [\"mon\", \"tue\", \"wed\", "
                                    "\"thu\", \"fri\", \"sat\"]\n"
                                    "[[repair.r.task]]\nid = \"A\"\nduration = 1\n"
                                    "[[repair.r.task]]\nid = \"B\"\nduration = 1\ncalendar = \"five\"\nafter = [\"" +
                                    link + "\"]\n");
    return modes(*project).tasks[1].finish;
  };
  // successor (the default): Monday and Tuesday of B's week, so Wednesday 00:00 (day 5); Wednesday
  // 7 January is a holiday, so B works Thursday and ends on day 7.
  CHECK(finish_of_b("", "A FS+2") == doctest::Approx(7.0).epsilon(1e-12));
  CHECK(finish_of_b("lag_calendar = \"successor\"\n", "A FS+2") == doctest::Approx(7.0).epsilon(1e-12));
  // continuous: Monday 00:00 (day 3); B works Monday.
  CHECK(finish_of_b("lag_calendar = \"continuous\"\n", "A FS+2") == doctest::Approx(4.0).epsilon(1e-12));
  // predecessor: A has no calendar, so continuous days.
  CHECK(finish_of_b("lag_calendar = \"predecessor\"\n", "A FS+2") == doctest::Approx(4.0).epsilon(1e-12));
  // a named calendar: Saturday and Monday of the six-day week -> Tuesday 00:00; B works Tuesday.
  CHECK(finish_of_b("lag_calendar = \"six\"\n", "A FS+2") == doctest::Approx(5.0).epsilon(1e-12));
  // a negative lag walks back: one working day before Saturday 00:00 is Friday 00:00.
  CHECK(finish_of_b("", "A FS-1") == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("finish-to-finish and percent links on calendars") {
  // A: 3 working days from Friday (Fri, Mon, Tue): ends Wednesday 00:00, day 5. B (2 days, FF):
  // the latest start that ends on day 5 is Monday 00:00. C (SS+50% of A's 5 calendar days): from
  // Sunday noon, so it starts Monday.
  const auto project = project_of("[repair.r]\ndefault_calendar = \"five\"\n" + kFiveDays +
                                  "[[repair.r.task]]\nid = \"A\"\nduration = 3\n"
                                  "[[repair.r.task]]\nid = \"B\"\nduration = 2\nafter = [\"A FF\"]\n"
                                  "[[repair.r.task]]\nid = \"C\"\nduration = 1\nafter = [\"A SS+50%\"]\n");
  const RepairOutcome out = modes(*project);
  CHECK(out.tasks[0].finish == doctest::Approx(5.0).epsilon(1e-12));
  CHECK(out.tasks[1].start == doctest::Approx(3.0).epsilon(1e-12));
  CHECK(out.tasks[1].finish == doctest::Approx(5.0).epsilon(1e-12));
  CHECK(out.tasks[2].start == doctest::Approx(3.0).epsilon(1e-12));
}

TEST_CASE("weather losing a day with p = 0.3 lengthens a task by 1 / 0.7 in expectation") {
  // 20 working days on a seven-day calendar, each day lost independently with p = 0.3: the finish
  // is the day of the 20th success, negative binomial with mean 20 / 0.7.
  const auto project = project_of(R"([repair.r]
default_calendar = "all"

[[repair.r.weather]]
id = "storms"
loss_probability = [0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]

[[repair.r.calendar]]
id = "all"
weather = "storms"

[[repair.r.task]]
id = "A"
duration = 20
)");
  std::vector<double> finish;
  for (std::uint64_t r = 0; r < 4000; ++r) {
    Rng rng(5, r, repair_stream("p", 0));
    RepairOutcome out;
    finish.push_back(project->evaluate(rng, DrawMode{}, out));
    CHECK(out.completion == std::floor(out.completion));  // whole days, from a start at midnight
  }
  const RunningStats m = moments(finish);
  CHECK(std::abs(m.mean() - 20.0 / 0.7) < 4.0 * standard_error(m));
  CHECK(m.variance() == doctest::Approx(20.0 * 0.3 / 0.49).epsilon(0.1));  // r (1 - q) / q^2
}

TEST_CASE("persistence keeps the share of lost days and widens its spread") {
  // Over 60 days each day is lost with probability 0.3 whatever the persistence (the chain starts
  // in its stationary state); the count's variance grows about (1 + r) / (1 - r) times.
  WeatherSpec spec;
  spec.loss_probability.fill(0.3);
  const auto counts = [&](double persistence) {
    spec.persistence = persistence;
    std::vector<double> out;
    WeatherDays days;
    for (std::uint64_t r = 0; r < 3000; ++r) {
      days.reset(spec, Rng(3, r, 0), false, 20455);
      double lost = 0.0;
      for (std::int64_t d = 20455; d < 20455 + 60; ++d) lost += days.lost(d) ? 1.0 : 0.0;
      out.push_back(lost);
    }
    return moments(out);
  };
  const RunningStats independent = counts(0.0), persistent = counts(0.6);
  CHECK(std::abs(independent.mean() - 18.0) < 4.0 * standard_error(independent));
  CHECK(std::abs(persistent.mean() - 18.0) < 4.0 * standard_error(persistent));
  CHECK(independent.variance() == doctest::Approx(60 * 0.3 * 0.7).epsilon(0.1));
  CHECK(persistent.variance() > 2.5 * independent.variance());
}

TEST_CASE("the engine schedules calendars as the forward pass does, and resources wait for working time") {
  const auto project = project_of(R"([repair.r]
default_calendar = "five"
lag_calendar = "successor"

[[repair.r.weather]]
id = "storms"
loss_probability = [0.3, 0.2, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.2, 0.3]
persistence = 0.4

[[repair.r.calendar]]
id = "five"
week = ["mon", "tue", "wed", "thu", "fri"]
weather = "storms"

[[repair.r.task]]
id = "A"
duration = { triangular = [2, 5, 9] }

[[repair.r.task]]
id = "B"
duration = { triangular = [10, 30, 60] }
unit = "days"
after = ["A SS+1", "A FF+2"]

[[repair.r.task]]
id = "C"
duration = 3
calendar = "continuous"
after = ["A FS-1"]

[[repair.r.task]]
id = "D"
duration = { triangular = [1, 2, 4] }
after = ["B", "C SS+50%"]
)");
  for (std::uint64_t r = 0; r < 50; ++r) {
    Rng rng(11, r, repair_stream("p", 0));
    RepairOutcome pass;
    project->evaluate(rng, DrawMode{}, pass);
    const RepairOutcome run = engine(*project, r);
    CAPTURE(r);
    CHECK(run.completion == pass.completion);
    for (std::size_t t = 0; t < 4; ++t) CHECK(run.tasks[t].start == pass.tasks[t].start);
    CHECK(run.tasks[3].critical);  // the last task drives the completion
  }
  // One crew, two one-day tasks on the five-day week: B gets the crew when A ends on Saturday 00:00
  // and starts on Monday, day 3; both are on the driving chain.
  const auto crewed = project_of("[repair.r]\ndefault_calendar = \"five\"\nresources = { crew = 1 }\n" + kFiveDays +
                                 "[[repair.r.task]]\nid = \"A\"\nduration = 1\nresources = { crew = 1 }\n"
                                 "[[repair.r.task]]\nid = \"B\"\nduration = 1\nresources = { crew = 1 }\n");
  const RepairOutcome out = engine(*crewed, 0, true);
  CHECK(out.tasks[1].start == doctest::Approx(3.0).epsilon(1e-12));
  CHECK(out.completion == doctest::Approx(4.0).epsilon(1e-12));
  CHECK(out.tasks[0].critical);
  CHECK(out.tasks[1].critical);
}

TEST_CASE("on calendars the critical tasks are the driving path") {
  // B (10 working days) drives C; A (1 day) has float: not critical.
  const auto project = project_of("[repair.r]\ndefault_calendar = \"five\"\n" + kFiveDays +
                                  "[[repair.r.task]]\nid = \"A\"\nduration = 1\n"
                                  "[[repair.r.task]]\nid = \"B\"\nduration = 10\n"
                                  "[[repair.r.task]]\nid = \"C\"\nduration = 1\nafter = [\"A\", \"B\"]\n");
  const RepairOutcome out = engine(*project, 0, true);
  CHECK_FALSE(out.tasks[0].critical);
  CHECK(out.tasks[1].critical);
  CHECK(out.tasks[2].critical);
}

TEST_CASE("adding weather changes no other draw: the weather has a stream of its own") {
  const std::string tasks = R"(
[[repair.r.task]]
id = "A"
duration = { triangular = [2, 5, 9] }

[[repair.r.task]]
id = "B"
duration = { triangular = [10, 30, 60] }
calendar = "site"
)";
  const std::string weather = R"(
[[repair.r.weather]]
id = "storms"
loss_probability = [0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]
)";
  const auto dry = project_of("[repair.r]\n[[repair.r.calendar]]\nid = \"site\"\n" + tasks);
  const auto wet = project_of("[repair.r]\n" + weather + "[[repair.r.calendar]]\nid = \"site\"\nweather = \"storms\"\n" + tasks);
  int longer = 0;
  for (std::uint64_t r = 0; r < 30; ++r) {
    const RepairOutcome a = engine(*dry, r), b = engine(*wet, r);
    CAPTURE(r);
    CHECK(a.tasks[0].duration == b.tasks[0].duration);  // A draws alike
    CHECK(b.tasks[1].finish >= a.tasks[1].finish);      // B's work is the same; the weather only adds days
    longer += b.tasks[1].finish > a.tasks[1].finish ? 1 : 0;
  }
  CHECK(longer >= 25);
}

TEST_CASE("calendars given in code are checked as the loader checks them") {
  // Ids moved in, not assigned from a literal: GCC 12 warns falsely (-Wrestrict) on such an assignment.
  TaskSpec task;
  task.id = std::string("A");
  task.duration = Distribution(DistributionSpec::fixed(1.0));
  RepairProject project("x", {task}, {}, {}, {}, {});
  RepairCalendars calendars;  // epoch_day 0: day 0 is Thursday 1 January 1970
  calendars.calendars.emplace_back();
  calendars.calendars[0].id = std::string("c");
  calendars.calendars[0].week.fill(false);
  calendars.task_calendar = {0};
  CHECK_THROWS_WITH_AS(project.set_calendars(calendars), "calendar 'c' works no weekday: work on it could never finish",
                       RepairSpecError);
  calendars.calendars[0].week[0] = true;  // Mondays only
  calendars.calendars[0].productivity[3] = 0.0;
  CHECK_THROWS_WITH_AS(project.set_calendars(calendars), "calendar 'c': productivity must be > 0", RepairSpecError);
  calendars.calendars[0].productivity[3] = 1.0;
  project.set_calendars(calendars);
  Rng rng(1, 0, 0);
  RepairOutcome out;
  CHECK(project.evaluate(rng, DrawMode{true}, out) == doctest::Approx(5.0).epsilon(1e-12));  // Monday 5 January
  CHECK(out.tasks[0].start == doctest::Approx(4.0).epsilon(1e-12));
}
