// Rotation lines in one station replication (docs/model.md "Crew rotation"): their order, which
// vehicle waits for which, a lost or cancelled mission of a line, and an added mission joining one.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "station_coordinator.hpp"
#include "station_crew_rotation.hpp"

namespace padsim::models::detail {

void order_rotation_lines(const StationSpec& s, StationModel::Derived& d) {
  const std::size_t nf = d.flights();
  auto target_of = [&](std::size_t f) -> std::optional<std::size_t> {
    return f < d.docked ? std::nullopt : s.missions[f - d.docked].takes_crew_of;
  };
  auto added = [&](std::size_t f) { return f >= d.docked && s.missions[f - d.docked].added_by.has_value(); };
  // A replacement serves the line of the vehicle it replaces, or its own when that vehicle is in
  // none (validation has ruled out cycles and a line of its own that disagrees).
  for (std::size_t f = d.docked; f < nf; ++f) {
    std::size_t root = f;
    while (auto t = target_of(root)) root = *t;
    if (d.flight_line[root] >= 0) d.flight_line[f] = d.flight_line[root];
  }
  auto follows_target = [&](std::size_t f) {
    const auto t = target_of(f);
    return t && d.flight_line[f] >= 0 && d.flight_line[*t] == d.flight_line[f];
  };
  // Vehicles docked at the epoch by docking date, then missions by NET (then file order). "A later
  // mission of the same line" means later in this order.
  d.line_flights.assign(s.rotations.size(), {});
  for (std::size_t f = 0; f < nf; ++f)
    if (d.flight_line[f] >= 0 && !added(f) && !follows_target(f))
      d.line_flights[static_cast<std::size_t>(d.flight_line[f])].push_back(f);
  for (auto& line : d.line_flights) {
    auto key = [&](std::size_t f) {
      return f < d.docked ? std::pair{0, s.docked[f].docked} : std::pair{1, s.missions[f - d.docked].net};
    };
    std::stable_sort(line.begin(), line.end(), [&](auto a, auto b) { return key(a) < key(b); });
  }
  // A replacement takes its target's place: right after it (after the target's earlier
  // replacements, in file order). A chain places the replacement of a replacement once its target is.
  std::vector<bool> placed(nf, false);
  for (const auto& line : d.line_flights)
    for (std::size_t f : line) placed[f] = true;
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t f = d.docked; f < nf; ++f) {
      const auto t = target_of(f);
      if (!follows_target(f) || placed[f] || !placed[*t] || added(f)) continue;
      auto& line = d.line_flights[static_cast<std::size_t>(d.flight_line[f])];
      auto at = std::find(line.begin(), line.end(), *t) + 1;
      while (at != line.end() && target_of(*at) == t) ++at;
      line.insert(at, f);
      placed[f] = progress = true;
    }
  }
  for (auto& line : d.line_flights)
    for (std::size_t k = 0; k < line.size(); ++k) d.line_order[line[k]] = k;
}

// A pending replacement lifeboat is no one's relief but its target's: only the vehicle it replaces
// waits for it.
bool CrewRotation::later_pending_in_line(std::size_t f) const {
  const auto& l = line(static_cast<std::size_t>(d_.flight_line[f]));
  for (std::size_t k = order(f) + 1; k < l.size(); ++k) {
    const std::size_t g = l[k];
    const FlightState st = c_.flights[g].state;
    if (st != FlightState::kPending && st != FlightState::kInTransit) continue;
    const auto& target = s_.missions[g - d_.docked].takes_crew_of;
    if (!target || *target == f) return true;
  }
  return false;
}

// A lost mission is no one's replacement: vehicles of its line that were waiting for it and now
// have no later mission left leave at their planned departure.
void CrewRotation::line_lost(std::size_t lost) {
  const int line_id = d_.flight_line[lost];
  if (line_id < 0) return;
  bool changed = false;
  for (std::size_t g : line(static_cast<std::size_t>(line_id))) {
    if (order(g) >= order(lost)) break;
    Flight& fl = c_.flights[g];
    if (fl.state != FlightState::kDocked || fl.handed_over || fl.decrewed) continue;
    if (fl.real_departure || fl.firm) continue;
    if (later_pending_in_line(g)) continue;
    schedule_undock(g, std::max(sim_.now(), std::min(fl.planned_departure, fl.limit)));
    changed = true;
  }
  if (changed) st_.queue.replan();
}

// The added mission goes after every vehicle of its line that has launched (docked at the epoch,
// flown, or lost) and before the line's pending missions whose NET in force is later. Every vehicle
// of the line still aboard whose departure was set because no later mission was left (after a
// loss, a cancellation, or being the last of its line) goes back to waiting, up to its limit.
void CrewRotation::join_line(std::size_t f) {
  const int line_id = d_.flight_line[f];
  if (line_id < 0) return;
  if (lines_.empty()) {
    lines_ = d_.line_flights;
    order_ = d_.line_order;
  }
  auto& l = lines_[static_cast<std::size_t>(line_id)];
  const auto& q = st_.queue;
  auto launched = [&](std::size_t g) { return g < d_.docked || !std::isnan(q[g - d_.docked].launch_day); };
  std::size_t at = 0;
  for (std::size_t k = 0; k < l.size(); ++k)
    if (launched(l[k])) at = k + 1;
  const Time net = q[f - d_.docked].net;
  while (at < l.size() && q[l[at] - d_.docked].net <= net) ++at;
  l.insert(l.begin() + static_cast<std::ptrdiff_t>(at), f);
  for (std::size_t k = at; k < l.size(); ++k) order_[l[k]] = k;
  for (std::size_t k = 0; k < at; ++k) {
    const std::size_t g = l[k];
    const Flight& fl = c_.flights[g];
    if (fl.state != FlightState::kDocked || fl.handed_over || fl.decrewed || fl.real_departure || fl.firm ||
        fl.awaiting)
      continue;
    if (c_.trace) c_.note("wait_for_relief", c_.flight_name(g), "waits for " + c_.flight_name(f) + ", which joins its line");
    wait_for_relief(g);
  }
}

}  // namespace padsim::models::detail
