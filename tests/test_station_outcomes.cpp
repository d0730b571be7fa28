// The station's outcome sweep (models/station_outcomes.cpp): life limits, crew against plan and the
// daily series, written from a replication run to its horizon. Expected values are worked out below.
#include <doctest/doctest.h>

#include "station_unit.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::Harness;
using padsim::test::StationBuilder;

TEST_CASE("the sweep counts days beyond certification and crew-days lost against the plan") {
  // Capsule C (2 rs + 1 usos) docked day -240, planned to leave day 100; certified 250 (day 10),
  // waiver 270 (day 30): it leaves at 30. Horizon 100, minima 2 (station), 1 rs, 1 usos.
  //   beyond certified: 10 .. 30 = 20 days.
  //   below each minimum: 30 .. 100 = 70 days.
  //   crew-days lost: 3 planned to day 100, none aboard from 30: 3 x 70 = 210.
  StationBuilder b;
  b.s.min_crew = 2;
  b.s.min_crew_rs = 1;
  b.s.min_crew_usos = 1;
  b.docked("C", 1, -240.0, 100.0, {2, 1});
  Harness h(b.s);
  h.sim().run_until(b.s.horizon);
  models::detail::write_outcomes(h.st);
  auto out = [&](std::string_view name) { return h.row.outcomes[h.model.outcome_index(name)]; };
  CHECK(out("days_beyond_certified") == 20.0);
  CHECK(out("beyond_certified") == 1.0);
  CHECK(out("days_below_min_crew:station") == 70.0);
  CHECK(out("days_below_min_crew:rs") == 70.0);
  CHECK(out("days_below_min_crew:usos") == 70.0);
  CHECK(out("below_min_crew") == 1.0);
  CHECK(out("crew_days_lost") == 210.0);
  CHECK(out("decrewings") == 0.0);
  // Day d's crew is the crew at the start of day d, before that instant's events.
  const std::size_t width = 1;  // no consumable: the crew is the only series
  CHECK(h.row.series[30 * width] == 3.0);
  CHECK(h.row.series[31 * width] == 0.0);
  CHECK(h.row.series[99 * width] == 0.0);
}

TEST_CASE("the sweep leaves a mission that never launched empty and reports a launched one's slip") {
  // A (NET 10) launches at 10; B (NET 200) is past the horizon.
  StationBuilder b;
  b.mission("A", 0, 10.0);
  b.mission("B", 0, 200.0);
  Harness h(b.s);
  h.st.queue.replan();
  h.sim().run_until(b.s.horizon);
  models::detail::write_outcomes(h.st);
  auto out = [&](std::string_view name) { return h.row.outcomes[h.model.outcome_index(name)]; };
  CHECK(out("launch_day:A") == 10.0);
  CHECK(out("slip:A") == 0.0);
  CHECK(out("failed:A") == 0.0);
  CHECK(std::isnan(out("launch_day:B")));
  CHECK(std::isnan(out("pad_ready_day")));  // no pad was down: no seed repair
}
