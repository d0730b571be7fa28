// A scenario with several independent errors reports every one of them, in file order, each on its
// own `FILE:LINE:COL: error: ...` line (up to InputError::kMaxShown, then one line counting the
// rest); an error that would only follow from another (a reference to an entry that failed to load)
// is left out, and the checks between entries wait until every entry has loaded.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "padsim/error.hpp"
#include "padsim/models/scenario.hpp"
#include "test_support.hpp"

using namespace padsim;

namespace {

// Ten lines, so a body's first line is line 11 of the file.
const std::string kAllErrorsHead = padsim::test::kRepairScenarioHead;

const std::string kStation = std::string(PADSIM_SOURCE_DIR) + "/experiments/baikonur-2025.toml";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

/// The InputError loading `text` throws (REQUIREd).
InputError all_errors_error_of(const std::string& text) {
  try {
    models::load_scenario(text, "s.toml");
  } catch (const InputError& e) {
    return e;
  }
  FAIL("the scenario loaded");
  return InputError({}, "");
}

// Three tasks, each with its own error; the second is found first (ids are read before durations
// and links), so the report is sorted into file order.
const std::string kThreeTasks = kAllErrorsHead + R"([[repair.r.task]]
id = "A"
duration = -1

[[repair.r.task]]
id = "B"
durration = 5

[[repair.r.task]]
id = "C"
duration = 5
after = ["Z"]
)";

const std::string kLineA =
    "s.toml:13:12: error: repair.r.task[A].duration: fixed(-1) can be negative; a duration must not be "
    "(truncate it with min = 0 or choose another kind)";
const std::string kLineB =
    "s.toml:17:1: error: repair.r.task[2]: unknown key 'durration' (expected one of: id, name, duration, after, "
    "links, resources, calendar, unit)";
const std::string kLineC = "s.toml:22:10: error: repair.r.task[C].after: unknown task 'Z'";

}  // namespace

TEST_CASE("InputError of several problems: one line each, the first one's where() and message()") {
  const InputError one({"f.toml", 3, 4}, "bad");
  CHECK(std::string(one.what()) == "f.toml:3:4: error: bad");
  CHECK(one.problems().size() == 1);
  InputProblem first, second;
  first.where = {"f.toml", 3, 4};
  first.message = "first";
  second.where.file = "f.toml";
  second.message = "second";
  const InputError two(std::vector<InputProblem>{first, second});
  CHECK(std::string(two.what()) == "f.toml:3:4: error: first\nf.toml: error: second");
  CHECK(two.where().line == 3);
  CHECK(two.message() == "first");
  // A single problem given as a list reads exactly as the single-error constructor writes it.
  first.message = "bad";
  CHECK(std::string(InputError(std::vector<InputProblem>{first}).what()) == one.what());
}

TEST_CASE("three errors in three tasks: three lines in file order, each as that error alone") {
  const InputError e = all_errors_error_of(kThreeTasks);
  CHECK(std::string(e.what()) == kLineA + "\n" + kLineB + "\n" + kLineC);
  REQUIRE(e.problems().size() == 3);
  CHECK(e.where().line == 13);
  CHECK(e.message() == kLineA.substr(std::string("s.toml:13:12: error: ").size()));
  // Each line is byte for byte the message of a file with only that error.
  const std::string fixed_a = replace(kThreeTasks, "duration = -1", "duration = 1");
  const std::string fixed_b = replace(kThreeTasks, "durration = 5", "duration = 5");
  const std::string fixed_c = replace(kThreeTasks, "after = [\"Z\"]", "after = [\"A\"]");
  CHECK(std::string(all_errors_error_of(replace(fixed_b, "after = [\"Z\"]", "after = [\"A\"]")).what()) == kLineA);
  CHECK(std::string(all_errors_error_of(replace(fixed_a, "after = [\"Z\"]", "after = [\"A\"]")).what()) == kLineB);
  CHECK(std::string(all_errors_error_of(replace(fixed_a, "durration = 5", "duration = 5")).what()) == kLineC);
  CHECK(std::string(all_errors_error_of(replace(fixed_c, "duration = -1", "duration = 1")).what()) == kLineB);
}

TEST_CASE("errors in an unknown section, a repair task and a pad are all reported") {
  const std::string text = replace(kThreeTasks, "down_at_epoch = true", "down_at_epoch = \"yes\"") +
                           "\n[vehicles]\nx = 1\n";
  const std::string what = all_errors_error_of(text).what();
  CHECK(what ==
        "s.toml:8:17: error: pad[p].down_at_epoch: expected true or false, found a string\n" + kLineA + "\n" + kLineB +
            "\n" + kLineC +
            "\ns.toml:24:2: error: unknown section 'vehicles' (expected one of: scenario, repair, pad, station, port, "
            "launcher, rotation, vehicle, consumable, docked, mission, policy, response, investigation, reference)");
}

TEST_CASE("a reference to an entry that failed to load is not reported, nor are checks between entries") {
  // B fails to load: C's link to it and the pad's reference to project r (which did not load) would
  // only repeat that; the cycle D -> E -> D is a check of the whole graph, made once it loads.
  const std::string text = kAllErrorsHead + R"([[repair.r.task]]
id = "B"
durration = 5

[[repair.r.task]]
id = "C"
duration = 5
after = ["B"]

[[repair.r.task]]
id = "D"
duration = 5
after = ["E"]

[[repair.r.task]]
id = "E"
duration = 5
after = ["D"]
)";
  const InputError e = all_errors_error_of(text);
  CHECK(std::string(e.what()) ==
        "s.toml:13:1: error: repair.r.task[1]: unknown key 'durration' (expected one of: id, name, duration, after, "
        "links, resources, calendar, unit)");
  CHECK(e.problems().size() == 1);
  // Once B loads, the cycle is the error.
  const std::string cycle = all_errors_error_of(replace(text, "durration", "duration")).what();
  CHECK(cycle.find("D -> E -> D") != std::string::npos);
  CHECK(cycle.find('\n') == std::string::npos);
}

TEST_CASE("the default station scenario: a repair task and a mission broken are both reported") {
  const std::string base = read_file(kStation);
  std::string text = replace(base, "duration = { triangular = [5, 14, 45] }", "duration = { triangular = [45, 14, 5] }");
  text = replace(text, "docked_duration = 180 ", "docked_duration = \"long\" ");
  CHECK(std::string(all_errors_error_of(text).what()) ==
        "s.toml:141:12: error: repair.site31-cabin.task[R3].duration: triangular: min 45 is above max 5\n"
        "s.toml:385:19: error: mission 'Progress MS-33'.docked_duration: expected a number, found a string");
}

TEST_CASE("the default station scenario: a broken vehicle class is reported once, not at every use") {
  // soyuz-ms is named by a docked vehicle, missions and responses; none of them is reported.
  const std::string text = replace(read_file(kStation), "seats = 3\n", "seats = \"3\"\n");
  const InputError e = all_errors_error_of(text);
  CHECK(std::string(e.what()) == "s.toml:222:9: error: vehicle 'soyuz-ms'.seats: expected an integer, found a string");
  CHECK(e.problems().size() == 1);
}

TEST_CASE("the default station scenario: values wrong in two entries are both reported by the validation pass") {
  std::string text = replace(read_file(kStation), "count = 2   # FACT", "count = 0   # FACT");
  text = replace(text, "failure_probability = 0.015 ", "failure_probability = 1.5 ");
  CHECK(std::string(all_errors_error_of(text).what()) ==
        "s.toml:35:9: error: port 'rs-progress'.count: must be at least 1, found 0\n"
        "s.toml:227:23: error: vehicle 'soyuz-ms'.failure_probability: probability 1.5 is outside [0, 1]");
}

TEST_CASE("30 bad tasks: the first 20 lines, then one line counting the other 10") {
  std::string text = kAllErrorsHead;
  for (int i = 1; i <= 30; ++i) text += "[[repair.r.task]]\nid = \"T" + std::to_string(i) + "\"\nduration = -1\n";
  const InputError e = all_errors_error_of(text);
  CHECK(e.problems().size() == 30);
  std::istringstream lines(e.what());
  std::string line, last;
  int count = 0;
  for (; std::getline(lines, line); ++count) {
    if (count < 20) {
      // Task i's duration is on line 10 + 3 i.
      CHECK(line == "s.toml:" + std::to_string(13 + 3 * count) + ":12: error: repair.r.task[T" +
                        std::to_string(count + 1) +
                        "].duration: fixed(-1) can be negative; a duration must not be (truncate it with min = 0 "
                        "or choose another kind)");
    }
    last = line;
  }
  CHECK(count == 21);
  CHECK(last == "s.toml: error: 10 more errors not shown");
}

TEST_CASE("padsim validate and run print every error of the file on stderr, one line each, status 2") {
  test::TempDir dir("all_errors");
  std::ofstream(dir.path / "s.toml", std::ios::binary) << kThreeTasks;
  const std::string expected = kLineA + "\n" + kLineB + "\n" + kLineC + "\n";
  const test::CliResult validate = test::run_padsim("validate s.toml", dir.path);
  CHECK(validate.status == 2);
  CHECK(validate.err == expected);
  CHECK(validate.out.empty());
  const test::CliResult run = test::run_padsim("run s.toml --runs 10 --out results", dir.path);
  CHECK(run.status == 2);
  CHECK(run.err == expected);
  CHECK(!std::filesystem::exists(dir.path / "results"));
}
