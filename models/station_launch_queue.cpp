// The missions waiting to launch in one station replication (docs/model.md "Launch").
#include "station_launch_queue.hpp"

#include <algorithm>
#include <string>

#include "recycled.hpp"
#include "station_coordinator.hpp"

namespace padsim::models::detail {

LaunchQueue::LaunchQueue(Station& st)
    : st_(st), c_(st.ctx), s_(c_.s), d_(c_.d), sim_(c_.sim), missions_(spare_vector<MissionState>()),
      by_ready_(spare_vector<std::size_t>()), ready_now_(spare_vector<std::size_t>()),
      stand_down_until_(spare_vector<Time>()),
      launcher_rng_(spare_vector<Rng>()) {}

LaunchQueue::~LaunchQueue() {
  keep_spare(missions_);
  keep_spare(by_ready_);
  keep_spare(ready_now_);
  keep_spare(stand_down_until_);
  keep_spare(launcher_rng_);
}

void LaunchQueue::draw() {
  missions_.reserve(d_.missions);
  for (std::size_t m = 0; m < d_.missions; ++m) {
    const auto& spec = s_.missions[m];
    missions_.push_back({c_.rng(d_.mission_key[m])});
    auto& ms = missions_.back();
    ms.slip = c_.mode.draw(spec.slip, ms.rng);
    ms.net = spec.net;
    // Never before its earliest date (default: the epoch), whatever a negative slip says.
    ms.ready = spec.launched ? *spec.launched : std::max(spec.net + ms.slip, spec.earliest.value_or(0.0));
  }
  stand_down_until_.assign(s_.launchers.size(), -kInf);
  launcher_rng_.reserve(s_.launchers.size());
  for (std::size_t l = 0; l < s_.launchers.size(); ++l) launcher_rng_.push_back(c_.rng(d_.launcher_key[l]));
}

void LaunchQueue::start() {
  // Replayed launches happen on their date whatever the rules say; the rest follow the launch rule.
  by_ready_.reserve(d_.missions);
  ready_now_.reserve(d_.missions);
  for (std::size_t m = 0; m < d_.missions; ++m) {
    if (s_.missions[m].launched) {
      if (*s_.missions[m].launched <= s_.horizon)
        sim_.schedule_at(*s_.missions[m].launched, [this, m] {
          const auto& pads = d_.mission_pads[m];
          launch(m, pads.empty() ? kNone : pads.front(), true);
          st_.responses.apply_due();
          replan();
        }, kLaunchPriority);
    } else if (!s_.missions[m].added_by) {  // an added mission waits for its response
      by_ready_.push_back(m);
    }
  }
  // Ties keep file order, which the pad's queue uses as its last key. A stable insertion sort: the
  // missions are few and mostly in order already, and std::stable_sort would allocate a buffer.
  for (std::size_t i = 1; i < by_ready_.size(); ++i) {
    const std::size_t m = by_ready_[i];
    std::size_t j = i;
    for (; j > 0 && missions_[m].ready < missions_[by_ready_[j - 1]].ready; --j) by_ready_[j] = by_ready_[j - 1];
    by_ready_[j] = m;
  }
}

Time LaunchQueue::earliest(std::size_t m) const {
  const auto& spec = s_.missions[m];
  const auto& vc = s_.vehicles[spec.vehicle];
  Time t = std::max({sim_.now(), missions_[m].ready, stand_down_until_[vc.launcher]});
  Time pad = kInf;
  for (std::size_t p : d_.mission_pads[m])
    pad = std::min(pad, std::max(st_.pads.ready_for(p, m), st_.investigations.ready_for(p, m)));
  t = std::max(t, pad);
  if (t == kInf) return kInf;
  const Time arrival = st_.ports.earliest_arrival(spec.vehicle);
  if (arrival == kInf) return kInf;
  return std::max(t, arrival - vc.transit);
}

// Re-evaluated only after events that can change eligibility: launches, dockings, scheduled
// departures, repairs, failures. Missions are visited by ready time, so the scan stops at the first
// mission that cannot be ready before the best moment found.
void LaunchQueue::replan() {
  Time best = kInf;
  for (std::size_t m : by_ready_) {
    const MissionState& ms = missions_[m];
    if (ms.done) continue;
    if (ms.ready >= best) break;
    best = std::min(best, earliest(m));
  }
  if (best > s_.horizon) best = kInf;
  if (best == wake_at_ && sim_.is_pending(wake_)) return;
  sim_.cancel(wake_);
  wake_at_ = best;
  if (best < kInf) wake_ = sim_.schedule_at(best, [this] { wake(); }, kLaunchPriority);
}

// Work-conserving shared pads: at this moment each pad (in file order) takes, among the missions
// that can launch from it now, the lowest priority number, then the earliest NET, then file order.
// A mission that cannot launch yet never holds the pad.
void LaunchQueue::wake() {
  wake_at_ = kInf;
  const Time now = sim_.now();
  const auto& s = s_;
  bool launched = true;
  while (launched) {
    launched = false;
    collect_ready(now);
    for (std::size_t p = 0; p < st_.pads.size(); ++p) {
      const bool uncrewed_first = st_.pads.uncrewed_first(p);
      std::size_t best = kNone;
      bool best_uncrewed = false;
      for (std::size_t m : ready_now_) {
        const MissionState& ms = missions_[m];
        const auto& pads = d_.mission_pads[m];
        if (std::find(pads.begin(), pads.end(), p) == pads.end()) continue;
        const auto& vc = s.vehicles[s.missions[m].vehicle];
        if (stand_down_until_[vc.launcher] > now || st_.pads.ready_for(p, m) > now ||
            st_.investigations.ready_for(p, m) > now)
          continue;
        if (st_.ports.earliest_arrival(s.missions[m].vehicle) - vc.transit > now) continue;
        const bool uncrewed = !d_.mission_crewed[m];
        bool better = best == kNone;
        if (!better) {
          // The first launch after a repair goes to an uncrewed mission whenever one is ready:
          // after max_wait a crewed mission may take it only if none is.
          if (uncrewed_first && uncrewed != best_uncrewed) {
            better = uncrewed;
          } else {
            // The NET in force orders the pad (a response may have moved it).
            const int pa = s.missions[m].priority, pb = s.missions[best].priority;
            const Time na = ms.net, nb = missions_[best].net;
            better = pa < pb || (pa == pb && (na < nb || (na == nb && m < best)));
          }
        }
        if (better) {
          best = m;
          best_uncrewed = uncrewed;
        }
      }
      if (best != kNone) {
        launch(best, p, false);
        st_.responses.apply_due();  // actions due now apply before the next launch
        launched = true;
        collect_ready(now);  // the launch and those actions may have changed who is ready
      }
    }
  }
  replan();
}

// The pads look only at missions ready now and not done, in queue order: collected once per
// change instead of scanning the queue once per pad.
void LaunchQueue::collect_ready(Time now) {
  ready_now_.clear();
  for (std::size_t m : by_ready_) {
    const MissionState& ms = missions_[m];
    if (ms.ready > now) break;
    if (!ms.done) ready_now_.push_back(m);
  }
}

void LaunchQueue::launch(std::size_t m, std::size_t p, bool forced) {
  const Time now = sim_.now();
  const auto& spec = s_.missions[m];
  const auto& vc = s_.vehicles[spec.vehicle];
  MissionState& ms = missions_[m];
  const std::size_t f = d_.docked + m;
  ms.done = true;
  leave_queue(m);
  ms.launch_day = now;
  if (p < st_.pads.size()) st_.pads.launched(p, m, forced);
  st_.investigations.launched(p, m);
  // The port is taken at the launch, before its outcome is known: an until_port_needed vehicle
  // vacated for it stays vacated even if the launch fails (docs/model.md "Vehicles and missions").
  Flight& fl = c_.flights[f];
  fl.state = FlightState::kInTransit;
  st_.ports.assign(f, forced);
  // Per mission, from its stream: failure. A known outcome (`fails`) still draws, then overrides the
  // draw, so its stream stays aligned; a replay is history and draws nothing (its later draws, cargo
  // and supplies, come after; see docs/model.md "Known events"). A mission's own probability
  // replaces its class's.
  const bool drawn = !forced && c_.mode.happens(spec.failure_probability.value_or(vc.failure_probability), ms.rng);
  const bool failed = spec.fails ? *spec.fails : drawn;
  if (failed) {
    ms.failed = true;
    fl.state = FlightState::kLost;
    st_.ports.release(f);
    fl.port = -1;
    const std::size_t l = vc.launcher;
    if (st_.investigations.opened_by(l)) {
      // The family's investigation replaces its stand-down (which is then never drawn).
      if (c_.trace) c_.note("launch_failure", spec.id, "vehicle and cargo lost, crew safe; investigation");
      st_.investigations.launch_failed(m, l);
    } else {
      const double days = c_.mode.draw(s_.launchers[l].stand_down, launcher_rng_[l]);
      // A new failure during a stand-down extends it.
      stand_down_until_[l] = std::max(stand_down_until_[l], now + days);
      if (c_.trace) {
        c_.note("launch_failure", spec.id, "vehicle and cargo lost, crew safe; " + s_.launchers[l].id + " stands down");
        c_.note("stand_down", s_.launchers[l].id, "until day " + std::to_string(stand_down_until_[l]));
      }
    }
    st_.rotation.line_lost(f);
    st_.responses.launch_failed(m, l);
    return;
  }
  if (c_.trace)
    c_.note("launch", spec.id,
            std::string(p < st_.pads.size() ? "from " + s_.pads[p].id : std::string("replayed")) + ", slip " +
                std::to_string(now - ms.net) + " d, to port " + s_.ports[static_cast<std::size_t>(fl.port)].type);
  sim_.schedule_at(now + vc.transit, [this, f] { st_.rotation.dock(f); }, kDockPriority);
}

// A mission done (launched, lost or cancelled) leaves the queue, so that the scans of replan() and
// wake() no longer step over it.
void LaunchQueue::leave_queue(std::size_t m) {
  by_ready_.erase(std::remove(by_ready_.begin(), by_ready_.end(), m), by_ready_.end());
}

void LaunchQueue::reready(std::size_t m, Time ready) {
  // Out of the queue, then back in by ready time; among equal ready times file order, as start()
  // sorts them.
  by_ready_.erase(std::find(by_ready_.begin(), by_ready_.end(), m));
  missions_[m].ready = ready;
  auto at = std::find_if(by_ready_.begin(), by_ready_.end(), [&](std::size_t k) {
    return missions_[k].ready > ready || (missions_[k].ready == ready && k > m);
  });
  by_ready_.insert(at, m);
}

void LaunchQueue::add(std::size_t m, Time net) {
  MissionState& ms = missions_[m];
  const Time now = sim_.now();
  const Time earliest = s_.missions[m].earliest.value_or(0.0);
  ms.added = true;
  ms.net = ms.net_added = std::max(net, now);
  by_ready_.push_back(m);
  reready(m, std::max({ms.net + ms.slip, earliest, now}));
}

void LaunchQueue::cancel(std::size_t m) {
  MissionState& ms = missions_[m];
  ms.done = true;
  leave_queue(m);
  ms.cancelled = true;
  const std::size_t f = d_.docked + m;
  // Like a lost mission it is no one's replacement: its line's waiting vehicles leave as planned.
  c_.flights[f].state = FlightState::kLost;
  st_.rotation.line_lost(f);
}

}  // namespace padsim::models::detail
