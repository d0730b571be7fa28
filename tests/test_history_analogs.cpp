// The historical analogs of experiments/history/: each loads, runs its modes to hand-worked days,
// and keeps the rules it depends on in a small batch. Days are since each scenario's epoch.
#include <doctest/doctest.h>

#include <cmath>

#include "default_scenario_support.hpp"

using namespace padsim;
using namespace padsim::test::scenarios;

namespace {

const std::string kM12m = kExperiments + "history/progress-m12m-2011.toml";
const std::string kMs22 = kExperiments + "history/soyuz-ms22-2022.toml";

/// Outcomes of the one deterministic replication of `path`, by name.
struct Modes {
  std::unique_ptr<Model> model;
  ReplicationResult r;
  explicit Modes(const std::string& path)
      : model(models::load_scenario_file(path, LoadOptions{.deterministic = true})) {
    model->run(kDefaultSeed, 0, r, nullptr);
  }
  double operator[](const std::string& name) const { return r.outcomes[outcome_index(*model, name)]; }
};

/// A batch of `n` replications of `path` on two threads.
struct Batch {
  std::unique_ptr<Model> model;
  BatchResult result;
  Batch(const std::string& path, std::uint64_t n) : model(models::load_scenario_file(path)) {
    result = run_batch(*model, batch_options(2, n));
  }
  double at(std::uint64_t k, const std::string& name) const {
    return result.outcome(k, outcome_index(*model, name));
  }
  /// Replication k lost a launch other than `known` (chance failures, at each class's probability,
  /// change the plan after them; the assertions below are about the plan without them).
  bool lost_a_launch(std::uint64_t k, const std::string& known = "") const {
    const auto& outcomes = model->outcomes();
    for (std::size_t j = 0; j < outcomes.size(); ++j)
      if (outcomes[j].name.starts_with("failed:") && outcomes[j].name != "failed:" + known &&
          result.outcome(k, j) == 1.0)
        return true;
    return false;
  }
};

// Epoch 2011-08-24T13:00Z: 00:00 UTC of 8 Sep is day 14.4583, of 22 Sep 28.4583, of 26 Oct 62.4583,
// of 16 Nov 83.4583, of 30 Nov 97.4583.
constexpr double kM12mMidnight = 11.0 / 24.0;

}  // namespace

TEST_CASE("Progress M-12M analog, modes: the crew waits for the investigation and max_wait, then "
          "flies first, the Progress follows a turnaround later") {
  const Modes m(kM12m);
  CHECK(m["failed:Progress M-12M"] == 1.0);
  // The investigation lasts its mode, 30 days. No uncrewed mission is ready when max_wait (30 d)
  // runs out on day 60 (Progress M-13M's NET is day 62.46), so Soyuz TMA-22 (ready since its NET,
  // day 28.46) takes the first launch on day 60, ungated since it is itself the first launch.
  CHECK(m["investigation_close:soyuz-third-stage"] == doctest::Approx(30.0));
  CHECK(m["launch_day:Soyuz TMA-22"] == doctest::Approx(60.0));
  // Site 1/5's turnaround (mode 14 d) holds Progress M-13M until day 74.
  CHECK(m["launch_day:Progress M-13M"] == doctest::Approx(74.0));
  // TMA-03M: its NET (30 Nov), past the pad's turnaround and the crewed gate (day 70).
  CHECK(m["launch_day:Soyuz TMA-03M"] == doctest::Approx(97.0 + kM12mMidnight));
  // Both crews held 5 days (the mode of uniform(0, 10)) past their planned landings.
  CHECK(m["undock_day:Soyuz TMA-21"] == doctest::Approx(14.0 + kM12mMidnight + 5.0));
  CHECK(m["undock_day:Soyuz TMA-02M"] == doctest::Approx(83.0 + kM12mMidnight + 5.0));
  // TMA-22 docks on day 62.05, before TMA-02M leaves: the station is never uncrewed.
  CHECK(m["days_below_min_crew:station"] == 0.0);
}

TEST_CASE("Progress M-12M analog, 300 replications: nothing of Soyuz-U or Soyuz-FG flies before the "
          "investigation closes, and a crew flies first only after max_wait") {
  const Batch b(kM12m, 300);
  int crew_first = 0, clean = 0;
  for (std::uint64_t k = 0; k < b.result.replications; ++k) {
    CAPTURE(k);
    if (b.lost_a_launch(k, "Progress M-12M")) continue;
    ++clean;
    const double close = b.at(k, "investigation_close:soyuz-third-stage");
    REQUIRE(close >= 14.0);
    REQUIRE(close <= 90.0);
    const double tma22 = b.at(k, "launch_day:Soyuz TMA-22"), m13m = b.at(k, "launch_day:Progress M-13M");
    CHECK(tma22 >= close);
    CHECK(m13m >= close);
    if (tma22 < m13m) {
      ++crew_first;
      CHECK(tma22 >= close + 30.0 - 1e-9);
    }
    // TMA-21 holds at most 10 days past 8 Sep, and never less than its plan.
    const double tma21 = b.at(k, "undock_day:Soyuz TMA-21");
    CHECK(tma21 >= 14.0 + kM12mMidnight - 1e-9);
    CHECK(tma21 <= 24.0 + kM12mMidnight + 1e-9);
  }
  // Both orders occur: the rule decides, not the file.
  CHECK(clean >= 280);  // chance failures are rare (1% per launch)
  CHECK(crew_first > 0);
  CHECK(crew_first < clean);
}

TEST_CASE("Soyuz MS-22 analog, modes: MS-23 flies uncrewed two weeks early, takes the crew, and "
          "the crew comes home after MS-24 docks") {
  const Modes m(kMs22);
  // Epoch 2022-12-15T00:00Z. MS-23: NET 16 Mar 2023 (day 91), slip mode -15: day 76. Progress
  // MS-22 flew on day 56 and the pad's turnaround (mode 10) was over by day 66.
  CHECK(m["launch_day:Progress MS-22"] == doctest::Approx(56.0));
  CHECK(m["launch_day:Soyuz MS-23"] == doctest::Approx(76.0));
  // MS-23 docks at 76.13 and takes MS-22's crew; the empty MS-22 leaves after the handover (mode 8).
  CHECK(m["undock_day:Soyuz MS-22"] == doctest::Approx(84.13));
  // MS-24 (NET 8 Sep 2023, day 267) docks at 267.13; MS-23 and its crew leave 8 days later,
  // 11 days past MS-23's planned 188 days.
  CHECK(m["launch_day:Soyuz MS-24"] == doctest::Approx(267.0));
  CHECK(m["undock_day:Soyuz MS-23"] == doctest::Approx(275.13));
  CHECK(m["days_extended:Soyuz MS-23"] == doctest::Approx(11.0));
  // Nobody is left without a lifeboat or below a segment's minimum.
  CHECK(m["days_below_min_crew:station"] == 0.0);
}

TEST_CASE("Soyuz MS-22 analog, 300 replications: the damaged Soyuz leaves only after its "
          "replacement docks, and the crew only after MS-24 docks") {
  const Batch b(kMs22, 300);
  int clean = 0;
  for (std::uint64_t k = 0; k < b.result.replications; ++k) {
    CAPTURE(k);
    if (b.lost_a_launch(k)) continue;
    ++clean;
    const double ms23 = b.at(k, "launch_day:Soyuz MS-23"), ms22_off = b.at(k, "undock_day:Soyuz MS-22");
    CHECK(ms23 >= 91.0 - 45.0 - 1e-9);
    CHECK(ms22_off >= ms23 + 0.13 + 5.0 - 1e-9);   // handover at least 5 days
    CHECK(ms22_off <= ms23 + 0.13 + 14.0 + 1e-9);  // and at most 14
    const double ms24 = b.at(k, "launch_day:Soyuz MS-24"), home = b.at(k, "undock_day:Soyuz MS-23");
    CHECK(home >= ms24 + 0.13 + 5.0 - 1e-9);
    CHECK(b.at(k, "days_below_min_crew:station") == 0.0);
  }
  CHECK(clean >= 270);  // chance failures are rare (0.5-1.5% per launch)
}
