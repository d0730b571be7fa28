// The docking ports of one station replication (docs/model.md "Vehicles and missions", "Launch").
#include "station_ports.hpp"

#include <algorithm>

#include "recycled.hpp"
#include "station_coordinator.hpp"

namespace padsim::models::detail {

Ports::Ports(Station& st)
    : st_(st), c_(st.ctx), s_(c_.s), sim_(c_.sim),
      holders_(spare<std::vector<std::vector<std::size_t>>>()), scratch_(spare_vector<Time>()) {
  holders_.resize(s_.ports.size());  // a spare's inner vectors keep their capacity
  for (auto& h : holders_) {
    h.clear();
    h.reserve(8);
  }
}

Ports::~Ports() {
  keep_spare(holders_);
  keep_spare(scratch_);
}

void Ports::release(std::size_t f) {
  auto& h = holders_[static_cast<std::size_t>(c_.flights[f].port)];
  h.erase(std::find(h.begin(), h.end(), f));
}

int Ports::holding(std::size_t type, Time arrival, bool count_vacatable) const {
  int n = 0;
  for (std::size_t f : holders_[type]) {
    const Flight& fl = c_.flights[f];
    if (fl.vacatable && !count_vacatable) continue;
    if (fl.holds_until() > arrival + kTimeEps) ++n;
  }
  return n;
}

// The first listed port type free on arrival; failing that, the first whose until_port_needed
// occupant can leave (the earliest-docked one is scheduled to leave now, at the launch). A replayed
// launch always docks: with no port at all it takes the class's first type.
void Ports::assign(std::size_t f, bool forced) {
  const auto& vc = c_.cls(f);
  const Time arrival = sim_.now() + vc.transit;
  int chosen = -1;
  for (std::size_t type : vc.ports)
    if (holding(type, arrival, true) < s_.ports[type].count) {
      chosen = static_cast<int>(type);
      break;
    }
  if (chosen < 0) {
    for (std::size_t type : vc.ports) {
      if (holding(type, arrival, false) >= s_.ports[type].count) continue;
      std::size_t leaver = kNone;
      for (std::size_t g : holders_[type]) {
        const Flight& fl = c_.flights[g];
        if (!fl.vacatable || fl.undock_at <= arrival + kTimeEps) continue;
        if (leaver == kNone || fl.docked_at < c_.flights[leaver].docked_at) leaver = g;
      }
      if (leaver == kNone) continue;
      c_.flights[leaver].vacatable = false;
      st_.rotation.schedule_undock(leaver, sim_.now());
      if (c_.trace) c_.note("vacate", c_.flight_name(leaver), "port needed by " + c_.flight_name(f));
      chosen = static_cast<int>(type);
      break;
    }
  }
  if (chosen < 0) {
    if (!forced)
      throw SimulationError("station: launch of " + c_.flight_name(f) + " found no port (internal error)");
    chosen = static_cast<int>(vc.ports.front());
  }
  c_.flights[f].port = chosen;
  hold(static_cast<std::size_t>(chosen), f);
}

}  // namespace padsim::models::detail
