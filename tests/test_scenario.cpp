// Scenario files: the default Site 31/6 repair, the repair-only model, and one clear
// `FILE:LINE:COL: error: ...` for each kind of bad input.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "padsim/models/scenario.hpp"
#include "padsim/models/scenario_spec.hpp"
#include "padsim/models/task_table.hpp"
#include "test_support.hpp"

using namespace padsim;
using namespace padsim::models;

namespace {

const std::string kDefaultPath = std::string(PADSIM_SOURCE_DIR) + "/experiments/site31-repair.toml";

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Ten lines, so a body's first line is line 11 of the file.
const std::string kScenarioHead = padsim::test::kRepairScenarioHead;

std::string scenario_error_of(const std::string& text) {
  try {
    load_scenario(text, "s.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// Equal element by element, an empty cell (NaN) equal to an empty cell.
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); });
}

std::size_t index_of(const std::vector<std::string>& names, const std::string& name) {
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

}  // namespace

TEST_CASE("the default Site 31/6 repair completes on day 97 with every task at its mode") {
  const auto model = load_scenario_file(kDefaultPath, LoadOptions{true, false});
  REQUIRE(model->outcomes().size() == 1);
  CHECK(model->outcomes()[0].name == "pad_ready_day");
  CHECK(model->outcomes()[0].censorable);
  CHECK(model->outcomes()[0].headline);
  ReplicationResult r;
  model->run(1, 0, r);
  CHECK(r.outcomes[0] == doctest::Approx(97.0));

  // The chain of docs/sources.md §4.2 with R2 starting on day 1: R1 -> R2 -> R4 -SS+7-> R6 -> R7 (FF) -> R8.
  const auto& names = models::task_ids(*model);
  CHECK(names == std::vector<std::string>{"R1", "R2", "R2b", "R3", "R4", "R5", "R6", "R7", "R8"});
  std::vector<std::string> critical;
  for (std::size_t t = 0; t < names.size(); ++t)
    if (models::task_records(r)[t].critical) critical.push_back(names[t]);
  CHECK(critical == std::vector<std::string>{"R1", "R2", "R4", "R6", "R7", "R8"});
  CHECK(std::isnan(models::task_records(r)[index_of(names, "R2b")].start));          // the reserve cabin exists
  CHECK(models::task_records(r)[index_of(names, "R6")].start == doctest::Approx(27.0));
  CHECK(models::task_records(r)[index_of(names, "R7")].start == doctest::Approx(67.0));  // FF R6, not SS+50% (57)
  CHECK(r.inputs[index_of(model->inputs(), "duration:R2b")] == 0.0);  // removed: took no time
  CHECK(r.inputs[index_of(model->inputs(), "duration:R6")] == 60.0);
}

TEST_CASE("a traced replication lists every task start and finish, then the pad ready, in time order") {
  struct Sink : TraceSink {
    std::vector<std::string> events;
    std::vector<double> times;
    void event(Time t, std::string_view event, std::string_view subject, std::string_view) override {
      events.push_back(std::string(event) + " " + std::string(subject));
      times.push_back(t);
    }
  } sink;
  const auto model = load_scenario_file(kDefaultPath, LoadOptions{true, false});
  ReplicationResult r;
  model->run(1, 0, r, &sink);
  REQUIRE(sink.events.size() == 2 * 8 + 1);
  CHECK(sink.events.front() == "task_start R1");
  CHECK(sink.events[1] == "task_start R2");
  CHECK(sink.events.back() == "pad_ready site31");
  CHECK(sink.times.back() == doctest::Approx(97.0));
  CHECK(std::is_sorted(sink.times.begin(), sink.times.end()));
}

TEST_CASE("the default scenario's pad and dates are read as written") {
  const ScenarioSpec spec = parse_scenario(read(kDefaultPath), kDefaultPath);
  CHECK(spec.scenario.epoch == "2025-11-27T09:28:00Z");
  // 2025-11-27T09:28Z -> 2027-06-30T00:00Z: 580 days less 9 h 28 min.
  CHECK(spec.scenario.horizon == doctest::Approx(580.0 - (9 * 60 + 28) / 1440.0));
  REQUIRE(spec.pads.size() == 1);
  const PadSpec& pad = spec.pads[0];
  CHECK(pad.id == "site31");
  CHECK(pad.down_at_epoch);
  CHECK(pad.repair == "site31-cabin");
  CHECK(pad.after_repair.first_launch_uncrewed);
  CHECK(pad.after_repair.max_wait == 30.0);
  CHECK(pad.after_repair.campaign.mode() == 19.0);
  CHECK(pad.after_repair.crewed_gate.mode() == 20.0);
  CHECK(pad.turnaround.upper() == 25.0);
}

TEST_CASE("the default repair's Monte Carlo median lies well after its most-likely path") {
  // docs/sources.md §4.2: right-skewed ranges put the median far above the 97 days of the modes.
  const auto model = load_scenario_file(kDefaultPath);
  std::vector<double> ready;
  ReplicationResult r;
  for (std::uint64_t k = 0; k < 2000; ++k) {
    model->run(11, k, r);
    ready.push_back(std::isnan(r.outcomes[0]) ? 1e9 : r.outcomes[0]);  // censored: beyond the horizon
  }
  std::sort(ready.begin(), ready.end());
  CHECK(ready[1000] > 115.0);
  CHECK(ready[1000] < 160.0);
}

TEST_CASE("a replication is a pure function of seed and index") {
  const auto model = load_scenario_file(kDefaultPath);
  ReplicationResult a, b, c;
  model->run(5, 17, a);
  model->run(5, 3, c);
  model->run(5, 17, b);
  CHECK(same(a.outcomes, b.outcomes));
  CHECK(same(a.inputs, b.inputs));
  CHECK_FALSE(same(a.inputs, c.inputs));
}

TEST_CASE("without the incident the pad is ready on day 0 and nothing is repaired") {
  const auto model = load_scenario_file(kDefaultPath, LoadOptions{false, true});
  ReplicationResult r;
  model->run(1, 0, r);
  CHECK(r.outcomes == std::vector<double>{0.0});
  CHECK(std::isnan(models::task_records(r)[0].start));
}

TEST_CASE("a repair past the horizon is censored, and several down pads report one column each") {
  const std::string text = R"([scenario]
name = "two"
epoch = 2026-01-01
horizon = 2026-02-01

[[pad]]
id = "a"
down_at_epoch = true
repair = "slow"

[[pad]]
id = "b"
down_at_epoch = true
repair = "slow"

[repair.slow]
[[repair.slow.task]]
id = "X"
duration = { uniform = [20, 40] }
)";
  const auto model = load_scenario(text, "two.toml");
  REQUIRE(model->outcomes().size() == 2);
  CHECK(model->outcomes()[1].name == "pad_ready_day:b");
  // tasks.csv reports the first pad's repair, so its cruciality is measured against that pad.
  const EntityColumn& cruciality = model->entity_tables().at(models::kTaskTable).columns.at(2);
  CHECK(cruciality.name == "cruciality");
  CHECK(cruciality.outcome == "pad_ready_day:a");
  CHECK(model->inputs() == std::vector<std::string>{"duration:a:X", "duration:b:X"});
  int censored = 0, differ = 0;
  ReplicationResult r;
  for (std::uint64_t k = 0; k < 200; ++k) {
    model->run(1, k, r);
    for (int p = 0; p < 2; ++p) {
      const double d = r.inputs[static_cast<std::size_t>(p)];
      if (d > 31.0) {
        CHECK(std::isnan(r.outcomes[static_cast<std::size_t>(p)]));  // past 2026-02-01
        ++censored;
      } else {
        CHECK(r.outcomes[static_cast<std::size_t>(p)] == d);
      }
    }
    differ += r.inputs[0] != r.inputs[1];  // each pad's repair has its own stream
  }
  CHECK(censored > 0);
  CHECK(differ == 200);
}

TEST_CASE("long-form links, lag distributions, risks, resources and correlation groups are read") {
  const std::string text = kScenarioHead + R"([repair.r]
resources = { crews = 1 }

[[repair.r.task]]
id = "A"
duration = 10
resources = { crews = 1 }

[[repair.r.task]]
id = "B"
duration = 4
links = [{ task = "A", type = "SS", lag_percent = 50 }, { task = "A", type = "FF", lag = { kind = "uniform", min = 1, max = 1 } }]

[[repair.r.task]]
id = "C"
duration = { triangular = [1, 2, 3] }
resources = { crews = 1 }

[[repair.r.risk]]
id = "rework"
probability = 0.9
impacts = [{ task = "B", days = 1, percent = 100 }]

[repair.r.correlation]
groups = [{ tasks = ["A", "C"], rho = 0.5 }]
)";
  const auto model = load_scenario(text, "s.toml", LoadOptions{true, false});
  ReplicationResult r;
  model->run(1, 0, r);
  // B: 4 + 1 + 100% of 5 = 10 days; SS+50% of A -> 5; FF+1 -> 10 + 1 - 10 = 1: starts on day 5.
  CHECK(models::task_records(r)[1].duration == 10.0);
  CHECK(models::task_records(r)[1].start == 5.0);
  CHECK(models::task_records(r)[2].start == 10.0);  // C waits for the crew A holds
  CHECK(r.outcomes[0] == 15.0);
  const ScenarioSpec spec = parse_scenario(text, "s.toml");
  const CorrelationSpec& c = spec.repairs[0].project->correlation();
  CHECK(c.tasks == std::vector<std::size_t>{0, 2});
  CHECK(c.matrix[0][1] == 0.5);
}

TEST_CASE("bad input gives one clear message naming the place") {
  SUBCASE("malformed TOML") {
    CHECK(scenario_error_of(kScenarioHead + "[repair.r\n") ==
          "s.toml:11:10: error: malformed TOML: Error while parsing table header: expected ']', saw '\\n'");
  }
  SUBCASE("an unknown key") {
    CHECK(scenario_error_of(kScenarioHead + "[[repair.r.task]]\nid = \"A\"\ndurration = 5\n") ==
          "s.toml:13:1: error: repair.r.task[1]: unknown key 'durration' (expected one of: id, name, duration, "
          "after, links, resources, calendar, unit)");
  }
  SUBCASE("an unknown section") {
    CHECK(scenario_error_of(kScenarioHead + "[[repair.r.task]]\nid = \"A\"\nduration = 5\n\n[vehicles]\nx = 1\n") ==
          "s.toml:15:2: error: unknown section 'vehicles' (expected one of: scenario, repair, pad, station, port, launcher, rotation, vehicle, consumable, docked, mission, policy, response, investigation, reference)");
  }
  SUBCASE("a control character in an id or a key") {
    CHECK(scenario_error_of(kScenarioHead + "[[repair.r.task]]\nid = \"A\\u0000B\"\nduration = 5\n") ==
          "s.toml:12:6: error: repair.r.task[1].id: control character U+0000 at character 2 of the string");
    CHECK(scenario_error_of(kScenarioHead + "[repair.r]\n\"x\\u001b\" = 1\n") ==
          "s.toml:12:1: error: repair.r: control character U+001B at character 2 of a key (names and ids are text)");
  }
  SUBCASE("an unknown task in a link") {
    CHECK(scenario_error_of(kScenarioHead + "[[repair.r.task]]\nid = \"A\"\nduration = 5\nafter = [\"B FS+2\"]\n") ==
          "s.toml:14:10: error: repair.r.task[A].after: unknown task 'B'");
  }
  SUBCASE("a link that cannot be read") {
    CHECK(scenario_error_of(kScenarioHead + "[[repair.r.task]]\nid = \"A\"\nduration = 5\n[[repair.r.task]]\nid = \"B\"\n"
                           "duration = 5\nafter = [\"A XS+3\"]\n") ==
          "s.toml:17:10: error: repair.r.task[B].after: cannot read link \"A XS+3\": expected \"TASK\", "
          "\"TASK FS\", \"TASK SS+7\", \"TASK FF-2\" or \"TASK SS+50%\"");
  }
  SUBCASE("a cycle, listed in order, at the link that closes it") {
    CHECK(scenario_error_of(kScenarioHead + R"([[repair.r.task]]
id = "R3"
duration = 1
after = ["R6"]

[[repair.r.task]]
id = "R5"
duration = 1
after = ["R3"]

[[repair.r.task]]
id = "R6"
duration = 1
after = ["R5 SS"]
)") == "s.toml:14:10: error: repair.r: cycle: R3 -> R5 -> R6 -> R3");
  }
  SUBCASE("impossible distribution parameters") {
    CHECK(scenario_error_of(kScenarioHead + "[[repair.r.task]]\nid = \"A\"\nduration = { triangular = [10, 5, 3] }\n") ==
          "s.toml:13:12: error: repair.r.task[A].duration: triangular: min 10 is above max 3");
  }
  SUBCASE("a duration that can be negative") {
    CHECK(scenario_error_of(kScenarioHead + "[[repair.r.task]]\nid = \"A\"\nduration = { normal = [10, 3] }\n") ==
          "s.toml:13:12: error: repair.r.task[A].duration: normal(10, 3) can be negative; a duration must not "
          "be (truncate it with min = 0 or choose another kind)");
  }
  SUBCASE("a risk probability outside [0, 1]") {
    CHECK(scenario_error_of(kScenarioHead + R"([[repair.r.task]]
id = "A"
duration = 5

[[repair.r.risk]]
id = "storm"
probability = 1.5
impacts = [{ task = "A", days = 3 }]
)") == "s.toml:17:15: error: repair.r: risk 'storm': probability 1.5 is outside [0, 1]");
  }
  const std::string three = "[[repair.r.task]]\nid = \"A\"\nduration = 5\n[[repair.r.task]]\nid = \"B\"\n"
                             "duration = 5\n[[repair.r.task]]\nid = \"C\"\nduration = 5\n\n";
  SUBCASE("a branch probability outside [0, 1]") {
    CHECK(scenario_error_of(kScenarioHead + three +
                   "[[repair.r.branch]]\nid = \"src\"\nafter = \"A\"\nalternatives = [\"B\", \"C\"]\n"
                   "probabilities = [1.2, -0.2]\n") ==
          "s.toml:25:17: error: repair.r: branch 'src': probability 1.2 of 'B' is outside [0, 1]");
  }
  SUBCASE("branch probabilities that do not sum to 1") {
    CHECK(scenario_error_of(kScenarioHead + three +
                   "[[repair.r.branch]]\nid = \"src\"\nafter = \"A\"\nalternatives = [\"B\", \"C\"]\n"
                   "probabilities = [0.9, 0.2]\n") ==
          "s.toml:25:17: error: repair.r: branch 'src': probabilities sum to 1.1, not 1");
  }
  SUBCASE("a task in two branches") {
    CHECK(scenario_error_of(kScenarioHead + three +
                   "[[repair.r.branch]]\nid = \"one\"\nafter = \"A\"\nalternatives = [\"B\", \"C\"]\n"
                   "probabilities = [0.5, 0.5]\n[[repair.r.branch]]\nid = \"two\"\nafter = \"B\"\n"
                   "alternatives = [\"C\", \"A\"]\nprobabilities = [0.5, 0.5]\n") ==
          "s.toml:29:17: error: repair.r.branch[two].alternatives: 'C' is already an alternative of branch 'one'");
  }
  SUBCASE("a correlation matrix of the wrong size") {
    CHECK(scenario_error_of(kScenarioHead + R"([[repair.r.task]]
id = "A"
duration = 5
[[repair.r.task]]
id = "B"
duration = 5

[repair.r.correlation]
tasks = ["A", "B"]
matrix = [[1.0, 0.5, 0.2], [0.5, 1.0, 0.1]]
)") == "s.toml:20:11: error: repair.r.correlation.matrix: row 1 has 3 values; it must be 2 x 2 for the 2 "
           "tasks listed");
  }
  SUBCASE("a correlation outside [-1, 1]") {
    CHECK(scenario_error_of(kScenarioHead + "[[repair.r.task]]\nid = \"A\"\nduration = 5\n[[repair.r.task]]\nid = \"B\"\n"
                           "duration = 5\n[repair.r.correlation]\ntasks = [\"A\", \"B\"]\n"
                           "matrix = [[1.0, 1.5], [1.5, 1.0]]\n") ==
          "s.toml:19:10: error: repair.r: correlation: rho 1.5 between 'A' and 'B' is outside [-1, 1]");
  }
  SUBCASE("a task defined twice") {
    CHECK(scenario_error_of(kScenarioHead + "[[repair.r.task]]\nid = \"A\"\nduration = 5\n[[repair.r.task]]\nid = \"A\"\n"
                           "duration = 5\n") ==
          "s.toml:15:6: error: repair.r.task[A].id: task 'A' is defined twice (first at line 12)");
  }
  SUBCASE("an unknown resource") {
    CHECK(scenario_error_of(kScenarioHead + "[repair.r]\nresources = { crews = 1 }\n[[repair.r.task]]\nid = \"A\"\nduration = 5\n"
                           "resources = { crane = 1 }\n") ==
          "s.toml:16:23: error: repair.r.task[A].resources: unknown resource 'crane' (declared: crews)");
  }
  SUBCASE("a need beyond the capacity") {
    CHECK(scenario_error_of(kScenarioHead + "[repair.r]\nresources = { crews = 1 }\n[[repair.r.task]]\nid = \"A\"\nduration = 5\n"
                           "resources = { crews = 2 }\n") ==
          "s.toml:14:6: error: repair.r: task 'A' needs 2 units of 'crews' but the project has only 1");
  }
  SUBCASE("a pad naming an unknown repair") {
    CHECK(scenario_error_of(kScenarioHead + "[repair.q]\n[[repair.q.task]]\nid = \"A\"\nduration = 5\n") ==
          "s.toml:9:10: error: pad[p].repair: unknown repair project 'r' (defined: q)");
  }
  SUBCASE("a horizon before the epoch") {
    CHECK(scenario_error_of("[scenario]\nname = \"t\"\nepoch = \"2025-11-27T09:28Z\"\nhorizon = \"2025-01-01\"\n") ==
          "s.toml:4:11: error: scenario.horizon: 2025-01-01T00:00:00Z is not after the epoch 2025-11-27T09:28:00Z");
  }
  SUBCASE("a date that does not exist") {
    CHECK(scenario_error_of("[scenario]\nname = \"t\"\nepoch = \"2025-02-30\"\nhorizon = \"2026-01-01\"\n") ==
          "s.toml:3:9: error: scenario.epoch: '2025-02-30' is not an ISO 8601 date or date-time (e.g. "
          "2025-11-27T09:28Z)");
  }
  SUBCASE("a missing section") {
    CHECK(scenario_error_of("[scenario]\nname = \"t\"\nepoch = \"2025-11-27T09:28Z\"\nhorizon = \"2026-01-01\"\n") ==
          "s.toml: error: missing section 'pad'");
  }
  SUBCASE("a file that cannot be read") {
    try {
      load_scenario_file("/nonexistent/x.toml");
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()) == "/nonexistent/x.toml: error: cannot read the scenario file: No such file or "
                                     "directory");
    }
  }
}
