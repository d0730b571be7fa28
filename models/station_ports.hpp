#pragma once
// Private to padsim::models: the station's docking ports (docs/model.md "Vehicles and missions",
// "Launch"). A launch needs a port free on arrival: the launch queue asks when one will be
// (look-ahead over the current schedule), and a launch takes one.

#include <algorithm>
#include <cstddef>
#include <vector>

#include "recycled.hpp"
#include "station_context.hpp"

namespace padsim::models::detail {

class Station;

class Ports {
 public:
  explicit Ports(Station& st);
  ~Ports();
  Ports(const Ports&) = delete;
  Ports& operator=(const Ports&) = delete;

  /// Flight f holds a port of `type` (in transit or docked) from now on.
  void hold(std::size_t type, std::size_t f) { holders_[type].push_back(f); }
  /// Flight f no longer holds its port.
  void release(std::size_t f);
  /// The flights holding a port of `type`, in the order they took it.
  const std::vector<std::size_t>& holders(std::size_t type) const { return holders_[type]; }

  /// Earliest arrival at which a port of `type` is free under the current schedule (-inf: free now).
  /// Vehicles in transit and docked vehicles without a scheduled undocking (a crew vehicle waiting
  /// for its replacement, although it will leave at its limit) hold their port for good, the others
  /// until their undocking (which frees the port for a docking at that moment). until_port_needed
  /// vehicles never hold a port against a launch. Inline: the launch rule asks it at every replan.
  Time free_from(std::size_t type) const {
    const auto count = static_cast<std::size_t>(s_.ports[type].count);
    if (holders_[type].size() < count) return -kInf;  // the usual case: a port not even held
    std::vector<Time>& until = scratch_;  // reused: no allocation once warm
    until.clear();
    const Flight* flights = c_.flights.data();  // hoisted: the pushes below cannot move it
    for (std::size_t f : holders_[type]) {
      const Flight& fl = flights[f];
      if (fl.vacatable) continue;
      until.push_back(fl.holds_until());
    }
    if (until.size() < count) return -kInf;
    // Free once all but count-1 holders have left: the (n - count + 1)-th smallest departure.
    const auto nth = until.begin() + static_cast<std::ptrdiff_t>(until.size() - count);
    std::nth_element(until.begin(), nth, until.end());
    return *nth;
  }
  /// Earliest arrival at which any port of vehicle class v's types is free.
  Time earliest_arrival(std::size_t v) const {
    Time best = kInf;
    for (std::size_t type : s_.vehicles[v].ports) best = std::min(best, free_from(type));
    return best;
  }
  /// Ports of `type` held at `arrival` (a holder leaving at x frees it for a docking at x).
  int holding(std::size_t type, Time arrival, bool count_vacatable) const;
  /// Gives launched flight f a port for its arrival (now + transit), vacating an until_port_needed
  /// occupant if that is the only way; a replayed (forced) launch always docks.
  void assign(std::size_t f, bool forced);

 private:
  Station& st_;
  StationContext& c_;
  const StationSpec& s_;
  Simulation& sim_;
  std::vector<std::vector<std::size_t>> holders_;  // per port type: flights in transit or docked
  mutable std::vector<Time> scratch_;              // free_from's working space
};

}  // namespace padsim::models::detail
