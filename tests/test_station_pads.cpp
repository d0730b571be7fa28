// The station's pads (models/station_pads.cpp): damage by a launch, repairs, turnaround and the
// rules after a repair, driven directly. Expected values are worked out in the comments.
#include <doctest/doctest.h>

#include "station_unit.hpp"

using namespace padsim;
using namespace padsim::models;
using padsim::test::fixed;
using padsim::test::fixed_repair;
using padsim::test::Harness;
using padsim::test::Run;
using padsim::test::StationBuilder;

TEST_CASE("a launch that damages its pad takes it down until its repair completes") {
  // Deterministic: damage probability 0.9 happens. Repair 20 days, campaign 5: the launch at day 0
  // takes the pad down; it is up at 20 and ready for a launch at 25.
  StationBuilder b;
  b.s.deterministic = true;
  auto& pad = b.s.pads[0];
  pad.damage_probability = 0.9;
  pad.repair = fixed_repair(20.0);
  pad.after_repair.campaign = fixed(5.0);
  pad.turnaround = fixed(3.0);
  b.mission("A", 0, 0.0);
  b.mission("B", 0, 0.0);
  Harness h(b.s, /*traced=*/true);
  CHECK(h.st.pads[0].up);
  CHECK(h.st.pads.ready_for(0, 1) == 0.0);
  h.st.pads.launched(0, 0, /*forced=*/false);
  CHECK_FALSE(h.st.pads[0].up);
  CHECK(h.st.pads[0].available_at == 3.0);  // the turnaround is drawn before the damage
  CHECK(h.st.pads[0].repairs == 1);
  CHECK(h.st.pads.ready_for(0, 1) == models::detail::kInf);
  h.sim().run_until(21.0);
  CHECK(h.st.pads[0].up);
  CHECK(h.st.pads[0].rules.since == 25.0);  // the campaign's end
  CHECK(h.st.pads.ready_for(0, 1) == 25.0);
  CHECK(h.st.pads[0].rules.first_pending);
  h.flush();
  CHECK(h.trace.times("pad_down", "pad") == std::vector<double>{0.0});
  CHECK(h.trace.times("pad_ready", "pad") == std::vector<double>{20.0});
  // The pad was up at the epoch: it is not the seed repair, whose day stays unset.
  CHECK(std::isnan(h.st.pads.seed_ready()));
}

TEST_CASE("a replayed launch never damages its pad") {
  StationBuilder b;
  b.s.deterministic = true;
  b.s.pads[0].damage_probability = 0.9;
  b.s.pads[0].repair = fixed_repair(20.0);
  b.mission("A", 0, 0.0);
  Harness h(b.s);
  h.st.pads.launched(0, 0, /*forced=*/true);
  CHECK(h.st.pads[0].up);
  CHECK(h.st.pads[0].repairs == 0);
}

TEST_CASE("damage by a launch delays the next mission from that pad by repair and campaign") {
  // A launches at day 0 and damages the pad (repair 20, campaign 5); B (NET 1) launches at 25 and
  // damages it again.
  StationBuilder b;
  b.s.deterministic = true;
  b.s.pads[0].damage_probability = 0.9;
  b.s.pads[0].repair = fixed_repair(20.0);
  b.s.pads[0].after_repair.campaign = fixed(5.0);
  b.mission("A", 0, 0.0);
  b.mission("B", 0, 1.0);
  Run r(b.s);
  CHECK(r["launch_day:A"] == 0.0);
  CHECK(r["launch_day:B"] == 25.0);
  CHECK(r.trace.times("pad_down", "pad") == std::vector<double>{0.0, 25.0});
}

TEST_CASE("after a repair the first launch opens the crewed gate, crewed missions wait for max_wait") {
  // Down at the epoch: repair 10, campaign 4 (ends 14), max_wait 6, gate 9.
  StationBuilder b;
  auto& pad = b.s.pads[0];
  pad.down_at_epoch = true;
  pad.repair = fixed_repair(10.0);
  pad.after_repair.campaign = fixed(4.0);
  pad.after_repair.first_launch_uncrewed = true;
  pad.after_repair.max_wait = 6.0;
  pad.after_repair.crewed_gate = fixed(9.0);
  b.mission("Cargo", 0, 0.0);
  b.mission("Crewed", 1, 0.0).crew = {1, 1};
  Harness h(b.s);
  CHECK(h.st.pads.ready_for(0, 0) == models::detail::kInf);  // down
  h.sim().run_until(10.0);
  CHECK(h.st.pads.seed_ready() == 10.0);
  CHECK(h.st.pads.uncrewed_first(0));
  CHECK(h.st.pads.ready_for(0, 0) == 14.0);  // uncrewed: the campaign's end
  CHECK(h.st.pads.ready_for(0, 1) == 20.0);  // crewed: campaign end + max_wait
  // The repair's completion planned the cargo launch for day 14 (turnaround 0).
  h.sim().run_until(16.0);
  CHECK(h.st.queue[0].launch_day == 14.0);
  CHECK(h.st.pads.first_launch() == 14.0);
  CHECK_FALSE(h.st.pads.uncrewed_first(0));
  CHECK(h.st.pads.ready_for(0, 0) == 14.0);
  CHECK(h.st.pads.ready_for(0, 1) == 23.0);  // the gate: 14 + 9
  h.sim().run_until(30.0);
  CHECK(h.st.queue[1].launch_day == 23.0);
}
