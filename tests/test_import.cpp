// `padsim import` and `padsim export-schedule`: hand-written P6 XER and MS Project XML files
// (tests/import/) read into the model's links, calendars written as the calendar schema says,
// unsupported constructs listed, templates, positioned errors (the round trips: test_import_roundtrip.cpp).
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "padsim/models/repair_project.hpp"
#include "padsim/models/scenario.hpp"
#include "padsim/models/scenario_spec.hpp"
#include "padsim/models/schedule_import.hpp"
#include "test_support.hpp"

using namespace padsim;
using namespace padsim::models;

namespace {

const std::string kDir = std::string(PADSIM_SOURCE_DIR) + "/tests/import/";

ImportedSchedule read_fixture(const std::string& name) { return read_schedule(test::read(kDir + name), name); }

/// The deterministic completion (days from the epoch) of a scenario text.
double deterministic_completion(const std::string& text) {
  const auto model = load_scenario(text, "imported.toml", LoadOptions{true, false});
  ReplicationResult r;
  model->run(1, 0, r);
  return r.outcomes.at(0);
}

std::string import_error_of(const std::string& text, const std::string& file) {
  try {
    read_schedule(text, file);
  } catch (const ScheduleError& e) {
    return e.what();
  }
  return "no error";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// The `duration = ...` lines of a scenario text, without their comments.
std::vector<std::string> durations(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("duration = ", 0) == 0) out.push_back(line.substr(0, line.find("  #")));
  return out;
}

}  // namespace

TEST_CASE("an XER schedule's link types, lags in hours and milestones become the model's links") {
  const ImportedSchedule s = read_fixture("continuous.xer");
  CHECK(s.format == "Primavera P6 XER");
  CHECK(s.start == "2026-01-05T08:00");
  REQUIRE(s.tasks.size() == 7);
  CHECK(s.tasks[0].milestone);   // TT_Mile
  CHECK(s.tasks[5].milestone);   // TT_FinMile
  CHECK(s.tasks[4].hours == 36.0);
  REQUIRE(s.tasks[3].links.size() == 2);
  CHECK(s.tasks[3].links[0].type == ImportedLinkType::kFF);
  CHECK(s.tasks[3].links[0].lag_hours == 12.0);
  CHECK(s.tasks[3].links[1].type == ImportedLinkType::kSF);
  CHECK(s.tasks[4].links[0].lag_hours == -12.0);
  CHECK(s.tasks[6].start_not_before == 3.0);  // CS_MSOA 2026-01-08 08:00
  REQUIRE(s.unsupported.size() == 1);
  CHECK(s.unsupported[0].line == 28);
  CHECK(contains(s.unsupported[0].text, "start-to-finish link from A100"));

  const std::string toml = write_repair_toml(s, {"pad-fix", true, {}});
  CHECK(contains(toml, "id = \"A120\"\nname = \"Paint cabin parts\"\nduration = 3\nafter = [\"A110 SS+1\"]\n"));
  CHECK(contains(toml, "id = \"A130\"\nname = \"Cable trays\"\nduration = 1\nafter = [\"A120 FF+0.5\"]\n"));
  CHECK(contains(toml, "duration = 1.5\nafter = [\"A130 FS-0.5\", \"A110\"]\n"));
  CHECK(contains(toml, "id = \"A150\"\nname = \"Pad ready\"\nduration = 0  # milestone\nafter = [\"A140\"]\n"));
  CHECK(contains(toml, "id = \"A160\"\nname = \"Inspect flame trench\"\nduration = 1\nafter = [\"START SS+3\"]\n"));
  CHECK(contains(toml, "#   continuous.xer:28: activity A130: start-to-finish link from A100 not imported"));
  CHECK(!contains(toml, "[scenario]"));  // --section-only
  CHECK(!contains(toml, "calendar ="));  // continuous days are the model's own
  CHECK(!contains(toml, "[[repair.pad-fix.calendar]]"));
}

TEST_CASE("the imported graph's deterministic completion is the source schedule's finish date") {
  // Hand-computed (days from 2026-01-05 08:00): A110 0-2, A120 SS+1: 1-4, A130 FF+0.5: 3.5-4.5,
  // A140 FS-0.5 after A130 and FS after A110: 4-5.5, A150 at 5.5 = 2026-01-10 20:00.
  for (const char* file : {"continuous.xer", "continuous.xml"}) {
    CAPTURE(file);
    const ImportedSchedule s = read_fixture(file);
    REQUIRE(!s.finish.empty());
    const double finish = (*parse_iso8601(s.finish) - *parse_iso8601(s.start)) / 86400.0;
    CHECK(finish == 5.5);
    CHECK(deterministic_completion(write_repair_toml(s, {"pad-fix", false, {}})) == doctest::Approx(finish));
  }
}

TEST_CASE("an MSPDI schedule's link types, lag formats, summaries and constraints are read") {
  const ImportedSchedule s = read_fixture("continuous.xml");
  CHECK(s.format == "Microsoft Project XML (MSPDI)");
  REQUIRE(s.tasks.size() == 8);  // the project summary task (UID 0) is not a task
  CHECK(s.tasks[0].id == "A100");  // ids from the WBS codes
  CHECK(s.tasks[0].milestone);
  CHECK(s.tasks[2].links[0].type == ImportedLinkType::kSS);  // Type 3
  CHECK(s.tasks[2].links[0].lag_hours == 24.0);               // 14400 tenths of a minute
  CHECK(s.tasks[3].links[0].type == ImportedLinkType::kFF);  // Type 0
  CHECK(s.tasks[3].links[1].type == ImportedLinkType::kSF);  // Type 2, listed
  CHECK(s.tasks[4].links[0].lag_hours == -12.0);
  CHECK(s.tasks[6].start_not_before == 3.0);  // ConstraintType 4, start no earlier than
  CHECK(s.tasks[7].links[0].percent);
  CHECK(s.tasks[7].links[0].lag_percent == 50.0);  // LagFormat 19, 500 tenths of a percent
  const std::string toml = write_repair_toml(s, {"x", true, {}});
  CHECK(contains(toml, "after = [\"A120 SS+50%\"]"));
  CHECK(contains(toml, "continuous.xml:156: task A130: start-to-finish link from A100 not imported"));
}

TEST_CASE("working calendars are written with their week, hours per day, holidays and exceptions") {
  const std::string xer = write_repair_toml(read_fixture("calendars.xer"), {"winter", true, {}});
  CHECK(contains(xer, "[repair.winter]\nname = \"WINTER\"\ndefault_calendar = \"1\"\nlag_calendar = \"predecessor\"\n"));
  CHECK(contains(xer, "[[repair.winter.calendar]]\nid = \"1\"  # Day shift\nweek = [\"mon\", \"tue\", \"wed\", \"thu\", "
                      "\"fri\"]\nhours_per_day = 8\nholidays = [\"2025-12-31\"]\nexceptions = [\"2026-01-03\"]\n"));
  // 20:00-06:00 spans midnight: 10 hours, Monday to Thursday.
  CHECK(contains(xer, "id = \"2\"  # Night crew\nweek = [\"mon\", \"tue\", \"wed\", \"thu\"]\nhours_per_day = 10\n"));
  CHECK(contains(xer, "id = \"W10\"\nname = \"Weld base plates\"\nduration = 10\n"));  // 80 h / 8
  // 4 h is not whole days: kept in hours; 16 h of lag on the predecessor's 8-hour days.
  CHECK(contains(xer, "duration = 4\nunit = \"hours\"\nafter = [\"W10 SS+2\"]\n"));
  CHECK(contains(xer, "duration = 3\ncalendar = \"2\"\nafter = [\"W20 FS-1\"]\n"));  // 30 h / 10; -8 h on W20's days

  const std::string xml = write_repair_toml(read_fixture("calendars.xml"), {"winter", true, {}});
  CHECK(contains(xml, "default_calendar = \"1\"\nlag_calendar = \"1\"\n"));  // MS Project: the project calendar
  CHECK(contains(xml, "week = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nhours_per_day = 8\n"
                      "holidays = [\"2025-12-31\", \"2026-01-01\"]\nexceptions = [\"2026-01-03\"]\n"));
  CHECK(contains(xml, "id = \"T3\"\nname = \"Night cable pulls\"\nduration = 30\nunit = \"hours\"\n"));
}

TEST_CASE("constructs the model cannot say are listed in the file and as notes, never dropped silently") {
  std::vector<ImportNote> notes;
  const std::string xer = write_repair_toml(read_fixture("calendars.xer"), {"w", true, {}}, &notes);
  const std::vector<std::string> expected{
      "calendars.xer:13: activity N10: constraint CS_MEOB not imported",
      "calendars.xer:14: activity L10: level of effort not imported (with its links)",
      "calendars.xer:19: link through a level-of-effort or WBS summary activity not imported",
      "calendars.xer:20: table TASKRSRC (1 records) not imported: resource assignments"};
  REQUIRE(notes.size() == expected.size());
  for (const std::string& e : expected) CHECK(contains(xer, "#   " + e + "\n"));

  const std::string xml = write_repair_toml(read_fixture("calendars.xml"), {"w", true, {}}, &notes);
  for (const char* e : {"recurring exception 'Every Monday meeting' not imported",
                        "task T3: constraint 'finish no later than' not imported",
                        "task T3: start-to-finish link from T2 not imported",
                        "task T4: elapsed duration; imported as 16 working hours",
                        "task T4: elapsed lag from T1; imported as 48 working hours",
                        "resource assignments not imported"})
    CHECK(contains(xml, e));
  CHECK(notes.size() == 6);

  // A calendar named but not in the file, a calendar without weekday data.
  const std::string text = "ERMHDR\t19.12\n%T\tPROJECT\n%F\tproj_id\tplan_start_date\n%R\t1\t2026-01-05 08:00\n"
                           "%T\tCALENDAR\n%F\tclndr_id\tday_hr_cnt\n%R\t1\t24\n%T\tTASK\n"
                           "%F\ttask_id\ttask_code\tclndr_id\ttarget_drtn_hr_cnt\n%R\t1\tA\t9\t8\n";
  write_repair_toml(read_schedule(text, "n.xer"), {"n", true, {}}, &notes);
  REQUIRE(notes.size() == 2);
  CHECK(notes[0].line == 7);
  CHECK(notes[0].text == "calendar 1: no working weekdays in its data; taken as working every day");
  CHECK(notes[1].line == 10);
  CHECK(notes[1].text == "task A: calendar '9' is not in the file; continuous days are used");
}

TEST_CASE("templates give each task the first matching rule's distribution, in percent of its plan") {
  const ImportedSchedule s = read_fixture("continuous.xer");
  ImportOptions options{"pad-fix", false, {parse_template("weld*=trigen:90/110/150@10/90"),
                                            parse_template("*=pert:90/100/130")}};
  const std::string toml = write_repair_toml(s, options);
  CHECK(contains(toml, "name = \"Weld bridge rails\"\nduration = { trigen = [1.8, 2.2, 3, 10, 90] }  # planned 2,"));
  CHECK(contains(toml, "name = \"Paint cabin parts\"\nduration = { pert = [2.7, 3, 3.9] }"));
  CHECK(contains(toml, "name = \"Pad ready\"\nduration = 0  # milestone"));  // milestones stay milestones
  const auto model = load_scenario(toml, "templated.toml");
  CHECK(std::count(model->inputs().begin(), model->inputs().end(), "duration:A110") == 1);

  // The TOML file form reads as the same rules.
  const auto file = read_templates(test::read(kDir + "templates.toml"), "templates.toml");
  REQUIRE(file.size() == 2);
  CHECK(durations(write_repair_toml(s, {"pad-fix", false, file})) == durations(toml));

  CHECK_THROWS_WITH_AS(parse_template("weld*=pert:120/100/130"), doctest::Contains("--template 'weld*=pert:120/100/130'"),
                       ParameterError);
  CHECK_THROWS_WITH_AS(parse_template("weld*"), doctest::Contains("expected PATTERN=KIND"), ParameterError);
  CHECK_THROWS_WITH_AS(parse_template("*=lognormal:1/2/3"), doctest::Contains("kind 'lognormal'"), ParameterError);
  CHECK_THROWS_WITH_AS(read_templates("[[template]]\nmatch = \"*\"\nkind = \"pert\"\npercent = [1, 2]\n", "t.toml"),
                       doctest::Contains("t.toml:1:1: error:"), InputError);
}

TEST_CASE("malformed schedules give the file and line of the record at fault") {
  CHECK(import_error_of(test::read(kDir + "bad_record.xer"), "bad_record.xer") ==
        "bad_record.xer:3: %R record before the table's %F field list");
  CHECK(import_error_of(test::read(kDir + "bad.xml"), "bad.xml") ==
        "bad.xml:229: malformed XML: Error parsing end element tag");
  const std::string head = "ERMHDR\t19.12\n%T\tPROJECT\n%F\tproj_id\tplan_start_date\n%R\t1\t2026-01-05 08:00\n"
                           "%T\tTASK\n%F\ttask_id\ttask_code\ttarget_drtn_hr_cnt\n%R\t1\tA\t8\n%R\t2\tB\tlong\n";
  CHECK(import_error_of(head, "t.xer") == "t.xer:8: table TASK: target_drtn_hr_cnt 'long' is not a number");
  const std::string preds = "ERMHDR\t19.12\n%T\tPROJECT\n%F\tproj_id\tplan_start_date\n%R\t1\t2026-01-05 08:00\n"
                            "%T\tTASK\n%F\ttask_id\ttask_code\ttarget_drtn_hr_cnt\n%R\t1\tA\t8\n"
                            "%T\tTASKPRED\n%F\ttask_id\tpred_task_id\tpred_type\tlag_hr_cnt\n%R\t1\t9\tPR_FS\t0\n%R\t1\t1\tPR_XX\t0\n";
  CHECK(import_error_of(preds, "p.xer") == "p.xer:10: TASKPRED names task_id 9, which no TASK record has");
  CHECK(import_error_of("<Project/>", "x.xml") == "x.xml:1: neither a Primavera P6 XER file (first line ERMHDR) nor MS Project "
                                           "XML (the http://schemas.microsoft.com/project namespace)");
  CHECK(contains(import_error_of("<Project xmlns=\"http://schemas.microsoft.com/project\">\n<StartDate>2026-01-05T08:00:00</StartDate>\n"
                          "<Tasks><Task><UID>1</UID>\n<Duration>8 hours</Duration></Task></Tasks></Project>", "d.xml"),
                 "d.xml:4: duration '8 hours' (expected PT#H#M#S)"));
}

TEST_CASE("padsim import writes a scenario file, lists what it left out, and exits 2 on a bad file") {
  test::TempDir dir("import_cli");
  const test::CliResult ok =
      test::run_padsim("import '" + kDir + "calendars.xer' --out w.toml --template '*=pert:90/100/130'", dir.path);
  CHECK(ok.status == 0);
  CHECK(contains(ok.err, "calendars.xer:14: not imported: activity L10: level of effort"));
  CHECK(contains(test::read((dir.path / "w.toml").string()), "[repair.calendars]"));
  const test::CliResult bad = test::run_padsim("import '" + kDir + "bad_record.xer' --out x.toml", dir.path);
  CHECK(bad.status == 2);
  CHECK(contains(bad.err, "padsim: error: " + kDir + "bad_record.xer:3: %R record before"));
  CHECK(!std::filesystem::exists(dir.path / "x.toml"));
  const test::CliResult exported =
      test::run_padsim("export-schedule '" + std::string(PADSIM_SOURCE_DIR) + "/experiments/site31-repair.toml' --out s.xer",
                       dir.path);
  CHECK(exported.status == 0);
  CHECK(contains(exported.err, "not exported: branch cabin-source after R1: its alternatives R2 (p 0.9), R2b (p 0.1)"));
  CHECK(test::read((dir.path / "s.xer").string()).rfind("ERMHDR\t", 0) == 0);
}

// ---- Round trips and calendar schedules --------------------------------------------------------
