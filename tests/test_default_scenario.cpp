// The shipped scenarios against the acceptance criteria of issues 4 and 5: the default scenario's
// deterministic dates, the no-incident plan's sustainability, the as-flown replay, byte-identical
// batches on any thread count, replay of one replication, a golden runs.csv, and the CLI's
// embedded default. Everything runs on the real files in experiments/.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "padsim/batch.hpp"
#include "padsim/calendar.hpp"
#include "padsim/models/scenario.hpp"
#include "padsim/models/task_table.hpp"
#include "padsim/monte_carlo.hpp"
#include "padsim/rng.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace padsim;
using padsim::models::LoadOptions;
using padsim::test::TempDir;
using padsim::test::read;
using padsim::test::lines;

namespace {

const std::string kExperiments = std::string(PADSIM_SOURCE_DIR) + "/experiments/";
const std::string kDefaultScenario = kExperiments + "baikonur-2025.toml";
const std::string kAsFlownScenario = kExperiments + "as-flown-2025.toml";
const fs::path kGolden =
    fs::path(PADSIM_SOURCE_DIR) / "tests" / "golden" / "baikonur-2025-deterministic-runs.csv";

/// Cells of a row without quoted cells (runs.csv's data rows are numbers).
std::vector<std::string> split(const std::string& row) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t comma = row.find(',', pos);
    out.push_back(row.substr(pos, comma - pos));
    if (comma == std::string::npos) return out;
    pos = comma + 1;
  }
}

/// Column of outcome `name` in Model::outcomes(); fails the test when there is none.
std::size_t outcome_index(const Model& model, const std::string& name) {
  const auto& outcomes = model.outcomes();
  for (std::size_t j = 0; j < outcomes.size(); ++j)
    if (outcomes[j].name == name) return j;
  FAIL("no outcome column " << name);
  return 0;
}

/// Replaces the value of every line `KEY = value  # comment` (KEY at the start of the line) by
/// `value`, keeping the comment; returns the text and the number of lines replaced.
std::pair<std::string, int> set_key(const std::string& text, std::string_view key,
                                    std::string_view value) {
  std::string out;
  int replaced = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const bool match = line.starts_with(key) &&
                       line.find_first_not_of(' ', key.size()) != std::string::npos &&
                       line[line.find_first_not_of(' ', key.size())] == '=';
    if (match) {
      const std::size_t hash = line.find('#');
      line = std::string(key) + " = " + std::string(value) +
             (hash == std::string::npos ? "" : "   " + line.substr(hash));
      ++replaced;
    }
    out += line + "\n";
  }
  return {out, replaced};
}

/// Every event of a replication, as `padsim replay --trace` would write it.
struct RecordingSink : TraceSink {
  struct Event {
    Time t;
    std::string event, subject, details;
  };
  std::vector<Event> events;
  void event(Time t, std::string_view event, std::string_view subject,
             std::string_view details) override {
    events.push_back({t, std::string(event), std::string(subject), std::string(details)});
  }
  /// The first event `event` of `subject`, if any.
  std::optional<Event> first(std::string_view event, std::string_view subject) const {
    for (const Event& e : events)
      if (e.event == event && e.subject == subject) return e;
    return std::nullopt;
  }
};

/// Days from the scenarios' epoch (2025-11-27T09:28Z) to 00:00 UTC of `ymd`.
double days_from_epoch(std::chrono::year_month_day ymd) {
  using namespace std::chrono;
  const auto epoch = sys_days{2025y / November / 27} + 9h + 28min;
  return duration<double, days::period>(sys_days{ymd} - epoch).count();
}

BatchOptions batch_options(unsigned threads, std::uint64_t replications) {
  BatchOptions o;
  o.seed = kDefaultSeed;
  o.replications = replications;
  o.threads = threads;
  o.scenario = "experiments/baikonur-2025.toml";
  o.scenario_sha256 = "test";
  o.command_line = "padsim_tests";
  return o;
}

// run.json without the two fields allowed to differ between thread counts and runs.
std::string stable_json(const std::string& json) {
  std::string out;
  std::istringstream s(json);
  for (std::string line; std::getline(s, line);)
    if (line.find("\"threads\"") == std::string::npos &&
        line.find("\"wall_time_seconds\"") == std::string::npos)
      out += line + "\n";
  return out;
}

/// runs.csv of the deterministic default scenario (one replication, the default seed), as
/// `padsim run --deterministic` writes it.
std::string deterministic_runs_csv(const std::string& scenario_path, const std::string& name) {
  const auto model = models::load_scenario_file(scenario_path, LoadOptions{.deterministic = true});
  const BatchOptions options = batch_options(1, 1);
  TempDir dir(name);
  write_batch_outputs(*model, run_batch(*model, options), options, dir.path);
  return read(dir.path / "runs.csv");
}

/// Runs `padsim ARGS` in `dir`; returns its exit status.
int padsim_cli(const std::string& args, const fs::path& dir) {
  const std::string command = "cd '" + dir.string() + "' && '" PADSIM_BINARY "' " + args +
                              " >stdout.txt 2>stderr.txt";
  const int raw = std::system(command.c_str());
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

}  // namespace

TEST_CASE("the deterministic default scenario has the pad ready near day 97 and Progress MS-33 "
          "first near day 116") {
  const auto model = models::load_scenario_file(kDefaultScenario, LoadOptions{.deterministic = true});
  ReplicationResult r;
  RecordingSink trace;
  model->run(kDefaultSeed, 0, r, &trace);

  // domain-facts §4.2 by hand on the modes, the reserve cabin found (p 0.9): R1 0-7; R2 (SS+1)
  // 1-20; R3 7-21; R4 20-35; R5 21-46; R6 (60 d) starts at max(R3 21, R4 SS+7 27, R4 FF 35-60,
  // R5 FF 46-60) = 27, ends 87; R7 (20 d) starts at max(R6 SS+50% 57, R6 FF 87-20) = 67, ends 87;
  // R8 87-97: the pad is ready on day 97. The 19-day campaign: first launch on day 116.
  const double pad_ready = r.outcomes[outcome_index(*model, "pad_ready_day")];
  const double first_launch = r.outcomes[outcome_index(*model, "first_launch_day")];
  CHECK(std::abs(pad_ready - 97.0) <= 3.0);
  CHECK(std::abs(first_launch - 116.0) <= 3.0);

  // The most-likely repair path: a reserve cabin exists (R2), so R2b is removed by the branch.
  const auto& tasks = models::task_ids(*model);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    CAPTURE(tasks[i]);
    CHECK(std::isnan(models::task_records(r)[i].start) == (tasks[i] == "R2b"));
  }

  // Uncrewed first: the first launch from Site 31 after the repair is Progress MS-33.
  std::optional<RecordingSink::Event> first;
  for (const auto& e : trace.events)
    if (e.event == "launch" && e.t >= pad_ready && e.details.starts_with("from site31")) {
      first = e;
      break;
    }
  REQUIRE(first.has_value());
  CHECK(first->subject == "Progress MS-33");
  CHECK(first->t == doctest::Approx(first_launch).epsilon(1e-12));
  CHECK(r.outcomes[outcome_index(*model, "launch_day:Progress MS-33")] ==
        doctest::Approx(first_launch).epsilon(1e-12));
}

TEST_CASE("without the incident or launch failures, no stock runs out or overflows in the first "
          "year of 500 replications") {
  // MODEL.md "The default scenario" / domain-facts §5.5: the pre-incident plan is sustainable.
  const std::string original = read(kDefaultScenario);
  auto [no_failures, failure_lines] = set_key(original, "failure_probability", "0.0");
  auto [text, horizon_lines] = set_key(no_failures, "horizon", "\"2026-11-27T09:28Z\"");
  CHECK(failure_lines >= 6);  // every vehicle class has one; the test means all of them
  CHECK(failure_lines == [&] {
    int classes = 0;
    for (std::size_t p = original.find("[[vehicle]]"); p != std::string::npos;
         p = original.find("[[vehicle]]", p + 1))
      ++classes;
    return classes;
  }());
  REQUIRE(horizon_lines == 1);

  // A consumable without a capacity could never overflow: the check would be empty for it.
  int consumables = 0;
  for (std::size_t p = original.find("[[consumable]]"); p != std::string::npos;
       p = original.find("[[consumable]]", p + 1)) {
    ++consumables;
    const std::size_t end = original.find("\n[", p + 1);
    const std::string block = original.substr(p, end == std::string::npos ? end : end - p);
    CAPTURE(block);
    CHECK(block.find("\ncapacity") != std::string::npos);
  }

  const auto model =
      models::load_scenario(text, "baikonur-2025-no-incident.toml", LoadOptions{.no_incident = true});
  CHECK(model->horizon() == doctest::Approx(365.0));

  std::vector<std::string> names;
  for (const auto& o : model->outcomes())
    if (o.name.starts_with("min_level:")) names.push_back(o.name.substr(10));
  CHECK(static_cast<int>(names.size()) == consumables);
  for (const char* required : {"food", "water", "oxygen", "propellant"})
    CHECK(std::find(names.begin(), names.end(), required) != names.end());

  const BatchResult result = run_batch(*model, batch_options(2, 500));
  REQUIRE(result.replications == 500);
  // The substitution took: nothing failed.
  for (std::size_t j = 0; j < model->outcomes().size(); ++j)
    if (model->outcomes()[j].name.starts_with("failed:"))
      for (std::uint64_t k = 0; k < result.replications; ++k)
        REQUIRE(!(result.outcome(k, j) > 0.0));

  for (const std::string& c : names) {
    CAPTURE(c);
    const std::size_t min_level = outcome_index(*model, "min_level:" + c);
    const std::size_t at_zero = outcome_index(*model, "days_at_zero:" + c);
    const std::size_t undelivered = outcome_index(*model, "undelivered:" + c);
    int empty = 0, ran_out = 0, overflowed = 0;
    std::uint64_t first_bad = 0;
    for (std::uint64_t k = 0; k < result.replications; ++k) {
      const double m = result.outcome(k, min_level), z = result.outcome(k, at_zero),
                   u = result.outcome(k, undelivered);
      const bool bad_empty = !(m > 0.0), bad_zero = z != 0.0, bad_over = u != 0.0;
      if ((bad_empty || bad_zero || bad_over) && empty + ran_out + overflowed == 0) first_bad = k;
      empty += bad_empty;
      ran_out += bad_zero;
      overflowed += bad_over;
    }
    CAPTURE(first_bad);
    CHECK(empty == 0);       // min_level > 0
    CHECK(ran_out == 0);     // days_at_zero == 0
    CHECK(overflowed == 0);  // undelivered == 0: never above capacity
  }
}

TEST_CASE("the as-flown replay launches Progress MS-33 on day 115 and keeps Progress MS-31 docked "
          "about 253 days") {
  const auto model = models::load_scenario_file(kAsFlownScenario, LoadOptions{.deterministic = true});
  ReplicationResult r;
  RecordingSink trace;
  model->run(kDefaultSeed, 0, r, &trace);

  const double ms33_launch = r.outcomes[outcome_index(*model, "launch_day:Progress MS-33")];
  // Day 115 is 2026-03-22T09:28Z, the real launch (domain-facts §1.3); the model derives it.
  CHECK(std::abs(ms33_launch - 115.0) <= 1.0);
  CHECK(r.outcomes[outcome_index(*model, "failed:Progress MS-33")] == 0.0);

  // MS-31 docked at Poisk on 2025-07-06 (scenario [[docked]], domain-facts §2.2).
  const double ms31_docked = days_from_epoch(
      std::chrono::year_month_day{std::chrono::year{2025}, std::chrono::month{7}, std::chrono::day{6}});
  CHECK(Calendar("2025-11-27T09:28Z").datetime(ms31_docked) == "2025-07-06T00:00:00Z");
  const auto undock = trace.first("undock", "Progress MS-31");
  REQUIRE(undock.has_value());
  const double stay = undock->t - ms31_docked;
  CAPTURE(stay);
  // Really ~253 days: MS-31 undocked on 16 Mar 2026, six days before MS-33's launch, to free Poisk
  // in good time. MODEL.md's rule for `until_port_needed` vacates the port AT the launch that needs
  // it (the model has no "leave a few days early" margin), so the replay gives ~259.4 days:
  // 2025-07-06 -> 2026-03-22T09:28. Within a week of 253 is what the issue accepts.
  CHECK(std::abs(stay - 253.0) <= 7.0);
  // ... and it is the rule, not a coincidence: MS-31 (the earliest-docked until_port_needed
  // Progress) leaves exactly at MS-33's launch, for MS-33.
  CHECK(undock->t == doctest::Approx(ms33_launch).epsilon(1e-12));
  const auto vacate = trace.first("vacate", "Progress MS-31");
  REQUIRE(vacate.has_value());
  CHECK(vacate->details.find("Progress MS-33") != std::string::npos);
  CHECK(!trace.first("undock", "Progress MS-32").has_value());  // the later one stays
}

TEST_CASE("the default scenario gives identical bytes on 1 and 2 threads") {
  const auto model = models::load_scenario_file(kDefaultScenario);
  TempDir one("threads1"), two("threads2");
  write_batch_outputs(*model, run_batch(*model, batch_options(1, 400)), batch_options(1, 400), one.path);
  write_batch_outputs(*model, run_batch(*model, batch_options(2, 400)), batch_options(2, 400), two.path);
  for (const char* name :
       {"runs.csv", "summary.csv", "tasks.csv", "sensitivity.csv", "timeseries.csv"}) {
    CAPTURE(name);
    const std::string reference = read(one.path / name);
    CHECK(reference.size() > 1000);
    CHECK(read(two.path / name) == reference);
  }
  CHECK(stable_json(read(two.path / "run.json")) == stable_json(read(one.path / "run.json")));
  const auto rows = lines(read(one.path / "runs.csv"));
  REQUIRE(rows.size() == 401);
  CHECK(rows[1] != rows[2]);  // replications really differ: the comparison is not of constants
}

TEST_CASE("replication K of the default scenario run alone reproduces row K byte for byte") {
  const auto model = models::load_scenario_file(kDefaultScenario);
  const BatchOptions options = batch_options(2, 400);
  TempDir batch("replay_batch");
  write_batch_outputs(*model, run_batch(*model, options), options, batch.path);
  const auto batch_rows = lines(read(batch.path / "runs.csv"));
  REQUIRE(batch_rows.size() == 401);
  // padsim::replay and write_replay_runs are the code path of `padsim replay --out DIR`; here
  // without a trace (see the next test case for the trace).
  for (const std::uint64_t k : {0u, 1u, 20u, 137u, 399u}) {
    CAPTURE(k);
    TempDir single("replay_" + std::to_string(k));
    write_replay_runs(*model, kDefaultSeed, k, replay(*model, kDefaultSeed, k, nullptr), single.path);
    const auto rows = lines(read(single.path / "runs.csv"));
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] == batch_rows[0]);
    CHECK(rows[1] == batch_rows[k + 1]);
    CHECK(split(rows[1])[1] == std::to_string(Rng::replication_seed(kDefaultSeed, k)));
  }
}

// `padsim replay` always traces. Observing a run must not change it: a traced replication
// schedules live reserve/zero crossing events for its notes, and these must neither split a stock's
// linear piece (changing the last bits of every integral) nor lose a crossing that lands on a piece
// boundary (replications 20, 149, 169 and 198 of seed 20251127 once did both).
TEST_CASE("replication K replayed with its trace, as padsim replay does, reproduces row K") {
  const auto model = models::load_scenario_file(kDefaultScenario);
  const BatchOptions options = batch_options(2, 400);
  TempDir batch("traced_batch"), single("traced_single");
  write_batch_outputs(*model, run_batch(*model, options), options, batch.path);
  const auto batch_rows = lines(read(batch.path / "runs.csv"));
  REQUIRE(batch_rows.size() == 401);
  int differing = 0;
  std::string examples;
  for (std::uint64_t k = 0; k < 400; ++k) {
    RecordingSink trace;
    write_replay_runs(*model, kDefaultSeed, k, replay(*model, kDefaultSeed, k, &trace), single.path);
    if (lines(read(single.path / "runs.csv"))[1] != batch_rows[k + 1]) {
      ++differing;
      if (differing <= 5) examples += std::to_string(k) + " ";
    }
  }
  CAPTURE(examples);
  CHECK(differing == 0);
}

TEST_CASE("the deterministic default scenario's runs.csv matches its golden file") {
  const std::string actual = deterministic_runs_csv(kDefaultScenario, "golden");
  const auto rows = lines(actual);
  REQUIRE(rows.size() == 2);
  REQUIRE(rows[0].starts_with("replication,seed,pad_ready_day,first_launch_day,"));
  // Sane before it is stored or compared: the §4.2 arithmetic (see the first test case).
  const auto cells = split(rows[1]);
  REQUIRE(cells.size() >= 4);
  CHECK(cells[0] == "0");
  CHECK(cells[2] == "97");
  CHECK(cells[3] == "116");

  const char* update = std::getenv("PADSIM_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    REQUIRE_MESSAGE((cells[2] == "97" && cells[3] == "116"),
                    "refusing to store a golden file whose dates are not days 97 and 116");
    std::ofstream(kGolden, std::ios::binary | std::ios::trunc) << actual;
    MESSAGE("rewrote " << kGolden.string());
  }
  const std::string regenerate =
      "if the change is intended, regenerate it with\n  PADSIM_UPDATE_GOLDEN=1 "
      "build/release/tests/padsim_tests -tc=\"the deterministic default scenario's runs.csv "
      "matches its golden file\"\nand review the diff of " + kGolden.string();
  REQUIRE_MESSAGE(fs::exists(kGolden), "no golden file " << kGolden.string() << "; " << regenerate);
  const std::string golden = read(kGolden);
  if (golden != actual) {
    const auto golden_rows = lines(golden);
    const auto golden_cells = golden_rows.size() == 2 ? split(golden_rows[1]) : std::vector<std::string>{};
    const auto header = split(rows[0]);
    std::string differences;
    if (golden_rows.empty() || golden_rows[0] != rows[0]) differences += "  the header differs\n";
    for (std::size_t j = 0; j < cells.size() && j < golden_cells.size() && j < header.size(); ++j)
      if (cells[j] != golden_cells[j])
        differences += "  " + header[j] + ": golden " + golden_cells[j] + ", now " + cells[j] + "\n";
    FAIL_CHECK("runs.csv differs from " << kGolden.string() << ":\n"
                                        << differences << regenerate);
  }
}

TEST_CASE("padsim run with no scenario runs the embedded default scenario") {
  TempDir dir("cli");
  fs::create_directories(dir.path);
  REQUIRE(padsim_cli("run --runs 50 --threads 2 --quiet --out out", dir.path) == 0);
  const auto rows = lines(read(dir.path / "out" / "runs.csv"));
  REQUIRE(rows.size() == 51);
  CHECK(rows[0].starts_with("replication,seed,pad_ready_day,first_launch_day,"));
  CHECK(rows[0].find("launch_day:Progress MS-33") != std::string::npos);

  // The embedded default is experiments/baikonur-2025.toml as built: its deterministic runs.csv
  // is the one the library makes from the file.
  REQUIRE(padsim_cli("run --deterministic --quiet --out det", dir.path) == 0);
  CHECK(read(dir.path / "det" / "runs.csv") == deterministic_runs_csv(kDefaultScenario, "cli_det"));

  // And the CLI replays a replication of the embedded default: its trace, and its row byte for
  // byte as the batch wrote it.
  REQUIRE(padsim_cli("replay --replication 17 --trace trace.csv --quiet --out replay", dir.path) == 0);
  const auto replayed = lines(read(dir.path / "replay" / "runs.csv"));
  REQUIRE(replayed.size() == 2);
  CHECK(replayed[0] == rows[0]);
  CHECK(replayed[1] == rows[18]);
  CHECK(lines(read(dir.path / "trace.csv"))[0] == "time,date,event,subject,details");
}

TEST_CASE("the station scenario and the repair-only scenario draw the same repair for a seed") {
  // Both files hold the same Site 31/6 graph and pad; each repair instance draws from
  // repair_stream(pad, instance) in either model, so pad_ready_day agrees replication by replication.
  const auto station = models::load_scenario_file(kDefaultScenario);
  const auto repair = models::load_scenario_file(kExperiments + "site31-repair.toml");
  const std::size_t s = outcome_index(*station, "pad_ready_day");
  const std::size_t r = outcome_index(*repair, "pad_ready_day");
  ReplicationResult a, b;
  int compared = 0;
  for (std::uint64_t k = 0; k < 300; ++k) {
    station->run(kDefaultSeed, k, a);
    repair->run(kDefaultSeed, k, b);
    CAPTURE(k);
    if (std::isnan(a.outcomes[s]) || std::isnan(b.outcomes[r])) {
      CHECK(std::isnan(a.outcomes[s]) == std::isnan(b.outcomes[r]));  // censored in both
      continue;
    }
    CHECK(a.outcomes[s] == b.outcomes[r]);
    ++compared;
  }
  CHECK(compared > 250);
}

TEST_CASE("a traced station replication tells the repair's story in time order") {
  // The P90 story an analyst replays is mostly the repair: its task starts and finishes must be in
  // the station's trace, before the pad comes up, and the whole trace in time order.
  const auto model = models::load_scenario_file(kDefaultScenario, {.deterministic = true});
  RecordingSink trace;
  ReplicationResult r;
  model->run(kDefaultSeed, 0, r, &trace);
  const auto r8 = trace.first("task_finish", "R8");
  const auto up = trace.first("pad_ready", "site31");
  REQUIRE(r8.has_value());
  REQUIRE(up.has_value());
  CHECK(r8->t == doctest::Approx(97.0));
  CHECK(r8->details == "pad site31, duration 10.000 days, critical");
  CHECK(trace.first("task_start", "R1")->t == 0.0);
  CHECK_FALSE(trace.first("task_start", "R2b").has_value());  // the branch not taken
  std::size_t tasks = 0;
  for (std::size_t i = 0; i < trace.events.size(); ++i) {
    if (i > 0) CHECK(trace.events[i - 1].t <= trace.events[i].t);
    if (trace.events[i].event.starts_with("task_")) ++tasks;
  }
  CHECK(tasks == 2 * 8);  // R1-R8 (R2b removed), a start and a finish each
}

TEST_CASE("a repair still running at the horizon is run on for its task records, not its outcomes") {
  // The first replication of the default seed that takes the new-cabin branch and is not repaired
  // by the horizon (about 2.5% are): pad_ready_day is censored, yet tasks.csv must cover it like
  // every other replication.
  const auto model = models::load_scenario_file(kDefaultScenario);
  const std::size_t ready = outcome_index(*model, "pad_ready_day");
  ReplicationResult r;
  std::uint64_t k = 0;
  for (; k < 1000; ++k) {
    model->run(kDefaultSeed, k, r);
    if (std::isnan(r.outcomes[ready])) break;
  }
  REQUIRE(k < 1000);
  const auto& names = models::task_ids(*model);
  const auto r8 = static_cast<std::size_t>(std::find(names.begin(), names.end(), "R8") - names.begin());
  CHECK(models::task_records(r)[r8].finish > model->horizon());
  CHECK(models::task_records(r)[r8].critical);
  for (std::size_t t = 0; t < names.size(); ++t) {
    CAPTURE(names[t]);
    if (names[t] == "R2") continue;  // the branch not taken
    CHECK(std::isfinite(models::task_records(r)[t].finish));
    CHECK(r.inputs[t] == models::task_records(r)[t].duration);  // duration:<task> inputs come first
  }
}
