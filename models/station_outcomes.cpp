// The outcome sweep of one station replication (docs/model.md "Outcomes"): at the horizon, the launch
// days, life limits, crew against plan, and the consumables' statistics fill the result row.
#include <algorithm>
#include <cmath>

#include "padsim/models/task_table.hpp"
#include "station_coordinator.hpp"

namespace padsim::models::detail {

namespace {

struct CrewTotals {
  double lost = 0.0, below_rs = 0.0, below_usos = 0.0, below_station = 0.0;
};

// Sweeps the actual crew steps against the planned steps over [0, H].
CrewTotals sweep_crew(const StationSpec& s, const std::vector<std::pair<double, int>>& plan,
                      const std::vector<CrewStep>& steps) {
  const Time H = s.horizon;
  CrewTotals out;
  std::size_t i = 0, j = 0;
  int planned = 0;
  CrewStep actual = steps.front();
  Time t = 0.0;
  while (i < plan.size() && plan[i].first <= 0.0) planned += plan[i++].second;
  while (j + 1 < steps.size() && steps[j + 1].t <= 0.0) actual = steps[++j];
  while (t < H) {
    const Time next = std::min({H, i < plan.size() ? plan[i].first : H, j + 1 < steps.size() ? steps[j + 1].t : H});
    const double dt = next - t;
    const int n = actual.rs + actual.usos;
    out.lost += std::max(0, planned - n) * dt;
    if (actual.rs < s.min_crew_rs) out.below_rs += dt;
    if (actual.usos < s.min_crew_usos) out.below_usos += dt;
    if (n < s.min_crew) out.below_station += dt;
    t = next;
    while (i < plan.size() && plan[i].first <= t) planned += plan[i++].second;
    while (j + 1 < steps.size() && steps[j + 1].t <= t) actual = steps[++j];
  }
  return out;
}

}  // namespace

void write_outcomes(Station& st) {
  StationContext& c = st.ctx;
  const auto& s = c.s;
  const auto& d = c.d;
  const Time H = s.horizon;
  const auto& x = c.model.index();
  auto& o = c.out.outcomes;
  o[x.pad_ready_day] = st.pads.seed_ready();
  o[x.first_launch_day] = st.pads.first_launch();
  for (std::size_t m = 0; m < d.missions; ++m) {
    const MissionState& ms = st.queue[m];
    if (std::isnan(ms.launch_day)) continue;
    o[x.missions[m].launch_day] = ms.launch_day;
    o[x.missions[m].slip] = ms.launch_day - ms.net;  // against the NET in force
    o[x.missions[m].failed] = ms.failed ? 1.0 : 0.0;
  }

  // Days beyond certified life, over crew vehicles, within [epoch, horizon].
  double beyond = 0.0;
  for (std::size_t f = 0; f < c.flights.size(); ++f) {
    const Flight& fl = c.flights[f];
    if (!d.crew_vehicle[f] || std::isnan(fl.docked_at)) continue;
    // A vehicle whose crew moved to a replacement is no one's lifeboat from then on.
    const Time end = std::isnan(fl.uncrewed_at) ? (fl.state == FlightState::kGone ? fl.left_at : H) : fl.uncrewed_at;
    beyond += std::max(0.0, std::min(end, H) - std::max(0.0, fl.docked_at + c.cls(f).certified_life));
  }
  o[x.days_beyond_certified] = beyond;
  o[x.beyond_certified] = beyond > 0.0 ? 1.0 : 0.0;

  const CrewTotals crew = sweep_crew(s, d.planned_crew_steps, st.rotation.steps());
  o[x.below_min_rs] = crew.below_rs;
  o[x.below_min_usos] = crew.below_usos;
  o[x.below_min_station] = crew.below_station;
  o[x.below_min_crew] = crew.below_rs + crew.below_usos + crew.below_station > 0.0 ? 1.0 : 0.0;
  o[x.crew_days_lost] = crew.lost;
  o[x.decrewings] = st.decrew.count();
  st.rotation.fill_series(H);

  st.stocks.settle(H);
  for (std::size_t k = 0; k < st.stocks.size(); ++k) {
    const ConsumableState& cs = st.stocks[k];
    const Level& level = *cs.level;
    const auto& ci = x.consumables[k];
    o[ci.min_level] = level.minimum();
    o[ci.days_below_reserve] = level.time_below(cs.reserve_tracker);
    o[ci.days_at_zero] = level.time_at_zero();
    o[ci.undelivered] = level.overflow();
    o[ci.unmet] = level.unmet_demand();
    o[ci.below_reserve] = std::isnan(level.first_below(cs.reserve_tracker)) ? 0.0 : 1.0;
    o[ci.at_zero] = std::isnan(level.first_at_zero()) ? 0.0 : 1.0;
    o[ci.reserve_day] = level.first_below(cs.reserve_tracker);
  }

  // Crew vehicles: the undocking day, and the days past the planned departure as in the file
  // (docking + planned docked duration, or a docked entry's departure), whatever kept it there.
  for (const auto& v : x.crew_vehicles) {
    const Flight& fl = c.flights[v.flight];
    if (std::isnan(fl.docked_at)) continue;
    const bool gone = fl.state == FlightState::kGone;
    if (gone) o[v.undock_day] = fl.left_at;
    const Time planned = v.flight < d.docked ? s.docked[v.flight].departure
                                              : fl.docked_at + s.missions[v.flight - d.docked].docked_duration;
    o[v.days_extended] = std::max(0.0, std::min(gone ? fl.left_at : H, H) - planned);
  }

  for (std::size_t r = 0; r < st.responses.size(); ++r) {
    const ResponseState& rs = st.responses[r];
    const auto& ri = x.responses[r];
    o[ri.taken] = rs.count > 0 ? 1.0 : 0.0;
    o[ri.day] = rs.day;
    if (s.responses[r].repeat) o[ri.count] = rs.count;
  }
  // An added mission's replan counts from its NET when added; empty when never added.
  for (const auto& [m, col] : x.replans) {
    const MissionState& ms = st.queue[m];
    if (ms.cancelled || (s.missions[m].added_by && !ms.added)) continue;
    o[col] = ms.net - (s.missions[m].added_by ? ms.net_added : s.missions[m].net);
  }
  for (const auto& [m, col] : x.cancels) o[col] = st.queue[m].cancelled ? 1.0 : 0.0;
  // An investigation's close counts the first opening with its extensions; empty when it never opened
  // or was still open at the horizon.
  for (std::size_t i = 0; i < st.investigations.size(); ++i) {
    const InvestigationState& v = st.investigations[i];
    o[x.investigations[i].opened] = v.openings > 0 ? 1.0 : 0.0;
    if (v.first_close <= H) o[x.investigations[i].close] = v.first_close;
  }

  // Inputs, in the order StationModel::inputs() lists them.
  auto& out = c.out;
  std::size_t k = 0;
  for (std::size_t t = 0; t < d.seed_tasks; ++t) out.inputs[k++] = duration_input(task_record(out.tables[kTaskTable], t));
  k += d.seed_choices;  // written when the seed repair started (Pads::start_repair)
  for (std::size_t m = 0; m < d.missions; ++m)
    if (!s.missions[m].launched && !s.missions[m].slip.is_fixed()) out.inputs[k++] = st.queue[m].slip;
  for (std::size_t n = 0; n < st.stocks.size(); ++n) {
    const auto& spec = s.consumables[n];
    if (!spec.per_crew_day.is_fixed() || !spec.per_day.is_fixed())
      out.inputs[k++] = st.stocks[n].per_crew_day * s.nominal_crew + st.stocks[n].per_day;
    if (!spec.start.is_fixed()) out.inputs[k++] = st.stocks[n].start;
  }
  for (std::size_t r = 0; r < s.responses.size(); ++r) {
    const auto& spec = s.responses[r];
    // The first firing's draws; empty (kEmpty) when it never fired.
    const ResponseState& rs = st.responses[r];
    if (spec.probability > 0.0 && spec.probability < 1.0) out.inputs[k++] = rs.first_decision;
    if (!spec.lag.is_fixed()) out.inputs[k++] = rs.first_lag;
    for (std::size_t i = 0; i < spec.actions.size(); ++i)
      if (uncertain_number(spec.actions[i])) out.inputs[k++] = i < rs.first_numbers.size() ? rs.first_numbers[i] : kEmpty;
  }
  for (std::size_t i = 0; i < s.investigations.size(); ++i) {
    const auto& spec = s.investigations[i];
    if (spec.repair || !spec.length.is_fixed()) out.inputs[k++] = st.investigations[i].first_length;
  }
}

}  // namespace padsim::models::detail
