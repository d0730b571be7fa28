// The decrewing contingency of one station replication (docs/model.md "Consumables").
#include "station_decrew_policy.hpp"

#include <string>

#include "station_coordinator.hpp"

namespace padsim::models::detail {

Decrewing::Decrewing(Station& st) : st_(st), c_(st.ctx), s_(c_.s), sim_(c_.sim) {}

void Decrewing::undocked(std::size_t f) {
  if (c_.flights[f].decrewed) --pending_;
}

void Decrewing::check() {
  const auto& pol = s_.decrew;
  if (!pol.enabled || pending_ > 0) return;
  const Time now = sim_.now();
  std::size_t trigger = kNone;
  for (std::size_t c : pol.consumables) {
    const Level& level = st_.stocks.level(c);
    const double use = -level.rate();
    if (use <= 0.0) continue;
    if (level.value_at(now) < pol.days * use * (1.0 + 1e-12)) {
      trigger = c;
      break;
    }
  }
  if (trigger == kNone) return;
  const auto& flights = c_.flights;
  std::size_t pick = kNone;
  for (std::size_t f = 0; f < flights.size(); ++f) {
    const Flight& fl = flights[f];
    if (fl.state != FlightState::kDocked || fl.decrewed || fl.real_departure || fl.crew.total() == 0 ||
        fl.undock_at <= now)
      continue;
    if (pick == kNone || fl.planned_departure < flights[pick].planned_departure ||
        (fl.planned_departure == flights[pick].planned_departure && fl.docked_at < flights[pick].docked_at))
      pick = f;
  }
  if (pick == kNone) return;
  if (st_.rotation.crew() - flights[pick].crew.total() < pol.min_crew) return;
  c_.flights[pick].decrewed = true;
  ++decrewings_;
  ++pending_;
  if (c_.trace)
    c_.note("decrew", c_.flight_name(pick),
            s_.consumables[trigger].id + " below " + std::to_string(pol.days) + " days of supply");
  st_.rotation.schedule_undock(pick, now);
  st_.queue.replan();
}

}  // namespace padsim::models::detail
