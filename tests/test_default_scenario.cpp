// The shipped scenarios against their acceptance criteria: the default scenario's deterministic
// dates, the no-incident plan's sustainability and the as-flown replay. Everything runs on the
// real files in experiments/ (reproducibility, replay and the golden file: test_default_scenario_batch.cpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "default_scenario_support.hpp"

using namespace padsim;
using namespace padsim::test::scenarios;
namespace fs = std::filesystem;


TEST_CASE("the deterministic default scenario has the pad ready near day 97 and Progress MS-33 "
          "first near day 116") {
  const auto model = models::load_scenario_file(kDefaultScenario, LoadOptions{.deterministic = true});
  ReplicationResult r;
  RecordingSink trace;
  model->run(kDefaultSeed, 0, r, &trace);

  // docs/sources.md §4.2 by hand on the modes, the reserve cabin found (p 0.9): R1 0-7; R2 (SS+1)
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

TEST_CASE("the deterministic default takes the announced Cargo Dragon moves on day 14, the frozen plan "
          "does not") {
  // docs/sources.md §5.6, by hand on the modes: Site 31/6 is down from the epoch, so `pad_down_for`
  // 7 days fires on day 7; both decisions are taken (p 0.9 and 0.7 > 0.5) and act after the lag's
  // mode, 7 days: on day 14. The epoch is 2025-11-27T09:28, so CRS-34's NET 2026-06-15 is day
  // 199.605556 and CRS-35's 2026-11-15 day 352.605556; the moves' modes are -28 and -120 days.
  const auto model = models::load_scenario_file(kDefaultScenario, LoadOptions{.deterministic = true});
  const auto frozen = models::load_scenario_file(
      kDefaultScenario, LoadOptions{.deterministic = true, .no_responses = true});
  ReplicationResult r, f;
  RecordingSink trace;
  model->run(kDefaultSeed, 0, r, &trace);
  frozen->run(kDefaultSeed, 0, f);
  auto at = [](const Model& m, const ReplicationResult& x, const std::string& name) {
    return x.outcomes[outcome_index(m, name)];
  };
  constexpr double kToMidnight = (9.0 + 28.0 / 60.0) / 24.0;  // the epoch is 09:28 UTC
  const double crs34_net = 200.0 - kToMidnight, crs35_net = 353.0 - kToMidnight;
  for (const char* id : {"crs34-earlier", "crs35-earlier"}) {
    CAPTURE(id);
    CHECK(at(*model, r, std::string("response:") + id) == 1.0);
    CHECK(at(*model, r, std::string("response_day:") + id) == doctest::Approx(14.0));
    CHECK(at(*frozen, f, std::string("response:") + id) == 0.0);
    CHECK(std::isnan(at(*frozen, f, std::string("response_day:") + id)));
  }
  CHECK(at(*model, r, "replan:CRS-34") == doctest::Approx(-28.0));
  CHECK(at(*model, r, "replan:CRS-35") == doctest::Approx(-120.0));
  CHECK(at(*frozen, f, "replan:CRS-34") == 0.0);

  // Frozen: each flies at its NET + the 3-day Dragon slip mode.
  CHECK(at(*frozen, f, "launch_day:CRS-34") == doctest::Approx(crs34_net + 3.0));
  CHECK(at(*frozen, f, "launch_day:CRS-35") == doctest::Approx(crs35_net + 3.0));
  // Moved: CRS-34 is ready on day 171.6 + 3, but both US docking ports are held, by Crew-12 and by
  // Starliner-1 (launched day 158.6 = NET 2026-04-30 + its 5-day slip mode, docked a day later for
  // 30 days, until day 189.6). It launches so as to arrive (1.2 d transit) as Starliner-1 leaves.
  const double starliner_leaves = (154.0 - kToMidnight) + 5.0 + 1.0 + 30.0;
  CHECK(at(*model, r, "launch_day:CRS-34") == doctest::Approx(starliner_leaves - 1.2));
  CHECK(at(*model, r, "slip:CRS-34") == doctest::Approx(starliner_leaves - 1.2 - (crs34_net - 28.0)));
  // CRS-35 finds CRS-34 gone (day 189.6 + 35) and flies at its moved NET + 3, gone before Crew-13.
  CHECK(at(*model, r, "launch_day:CRS-35") == doctest::Approx(crs35_net - 120.0 + 3.0));
  CHECK(at(*model, r, "launch_day:Crew-13") == at(*frozen, f, "launch_day:Crew-13"));
  CHECK(at(*model, r, "pad_ready_day") == at(*frozen, f, "pad_ready_day"));
  const auto fired = trace.first("response_fired", "crs34-earlier");
  REQUIRE(fired.has_value());
  CHECK(fired->t == doctest::Approx(7.0));
}

TEST_CASE("without the incident or launch failures, no stock runs out or overflows in the first "
          "year of 500 replications") {
  // docs/model.md "The default scenario" / docs/sources.md §5.5: the pre-incident plan is sustainable.
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

  // docs/model.md "The default scenario": the check runs with the responses as in the default
  // (LoadOptions::no_responses stays false); every [[response]] of the file is loaded and enabled.
  std::vector<std::string> responses;
  for (std::size_t p = original.find("[[response]]\nid = \""); p != std::string::npos;
       p = original.find("[[response]]\nid = \"", p + 1)) {
    const std::size_t begin = p + std::strlen("[[response]]\nid = \"");
    responses.push_back(original.substr(begin, original.find('"', begin) - begin));
  }
  CHECK(responses.size() >= 2);  // the announced Cargo Dragon moves (docs/sources.md §5.6)
  CHECK(original.find("enabled = false") == std::string::npos);

  const auto model =
      models::load_scenario(text, "baikonur-2025-no-incident.toml", LoadOptions{.no_incident = true});
  CHECK(model->horizon() == doctest::Approx(365.0));
  std::vector<std::size_t> taken;
  for (const std::string& id : responses) taken.push_back(outcome_index(*model, "response:" + id));

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
  // The responses are there and answer what happens: the default's trigger on Site 31/6 being down
  // never occurs without the incident, so no plan changed in any replication.
  for (const std::size_t j : taken)
    for (std::uint64_t k = 0; k < result.replications; ++k) REQUIRE(result.outcome(k, j) == 0.0);

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
  // Day 115 is 2026-03-22T09:28Z, the real launch (docs/sources.md §1.3); the model derives it.
  CHECK(std::abs(ms33_launch - 115.0) <= 1.0);
  CHECK(r.outcomes[outcome_index(*model, "failed:Progress MS-33")] == 0.0);

  // MS-31 docked at Poisk on 2025-07-06 (scenario [[docked]], docs/sources.md §2.2).
  const double ms31_docked = days_from_epoch(
      std::chrono::year_month_day{std::chrono::year{2025}, std::chrono::month{7}, std::chrono::day{6}});
  CHECK(Calendar("2025-11-27T09:28Z").datetime(ms31_docked) == "2025-07-06T00:00:00Z");
  const auto undock = trace.first("undock", "Progress MS-31");
  REQUIRE(undock.has_value());
  const double stay = undock->t - ms31_docked;
  CAPTURE(stay);
  // Really ~253 days: MS-31 undocked on 16 Mar 2026, six days before MS-33's launch, to free Poisk
  // in good time. docs/model.md's rule for `until_port_needed` vacates the port AT the launch that needs
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

namespace {

using padsim::test::same_values;

bool same_row(const ReplicationResult& a, const ReplicationResult& b) {
  if (!same_values(a.outcomes, b.outcomes) || !same_values(a.inputs, b.inputs) || !same_values(a.series, b.series))
    return false;
  if (a.tables.size() != b.tables.size()) return false;
  for (std::size_t t = 0; t < a.tables.size(); ++t)
    if (!same_values(a.tables[t], b.tables[t])) return false;
  return true;
}

}  // namespace

TEST_CASE("a replication's row does not depend on what its thread ran before (reused buffers)") {
  const auto model = models::load_scenario_file(kDefaultScenario);
  const auto other = models::load_scenario_file(kAsFlownScenario);
  constexpr std::uint64_t kReplication = 5;
  // The reference runs first thing on a thread of its own: nothing there to reuse.
  ReplicationResult fresh;
  std::thread([&] { model->run(kDefaultSeed, kReplication, fresh); }).join();

  // Here the components, repair instances and event queue reuse what earlier replications left:
  // of this model, of another scenario (other sizes), traced or not.
  ReplicationResult row;
  RecordingSink trace;
  for (std::uint64_t r = 0; r < 12; ++r) {
    model->run(kDefaultSeed, r, row, r % 3 == 0 ? &trace : nullptr);
    other->run(kDefaultSeed, r, row);
  }
  model->run(kDefaultSeed, kReplication - 1, row);
  // Whatever the row held (the series is resized, not cleared): every cell is written again.
  for (auto* v : {&row.outcomes, &row.inputs, &row.series}) std::fill(v->begin(), v->end(), 12345.0);
  model->run(kDefaultSeed, kReplication, row);
  CHECK(same_row(row, fresh));
  ReplicationResult again;
  model->run(kDefaultSeed, kReplication, again);
  CHECK(same_row(again, fresh));
}

TEST_CASE("a replication run without its daily series reports everything else bit for bit") {
  // A batch skips the series of replications past its series budget; nothing else may change.
  const auto model = models::load_scenario_file(kDefaultScenario);
  ReplicationResult with;
  ReplicationResult without;
  without.keep_series = false;
  for (std::uint64_t r = 0; r < 40; ++r) {
    CAPTURE(r);
    model->run(kDefaultSeed, r, with);
    model->run(kDefaultSeed, r, without);
    REQUIRE(without.series.size() == with.series.size());
    without.series = with.series;  // unspecified when not kept
    CHECK(same_row(with, without));
  }
}
