#pragma once
// Private to padsim::models: the station's docking ports (MODEL.md "Vehicles and missions",
// "Launch"). A launch needs a port free on arrival: the launch queue asks when one will be
// (look-ahead over the current schedule), and a launch takes one.

#include <cstddef>
#include <vector>

#include "station_context.hpp"

namespace padsim::models::detail {

class Station;

class Ports {
 public:
  explicit Ports(Station& st);

  /// Flight f holds a port of `type` (in transit or docked) from now on.
  void hold(std::size_t type, std::size_t f) { holders_[type].push_back(f); }
  /// Flight f no longer holds its port.
  void release(std::size_t f);
  /// The flights holding a port of `type`, in the order they took it.
  const std::vector<std::size_t>& holders(std::size_t type) const { return holders_[type]; }

  /// Earliest arrival at which a port of `type` is free under the current schedule (-inf: free now).
  Time free_from(std::size_t type) const;
  /// Earliest arrival at which any port of vehicle class v's types is free.
  Time earliest_arrival(std::size_t v) const;
  /// Ports of `type` held at `arrival` (a holder leaving at x frees it for a docking at x).
  int holding(std::size_t type, Time arrival, bool count_vacatable) const;
  /// Gives launched flight f a port for its arrival (now + transit), vacating an until_port_needed
  /// occupant if that is the only way; a replayed (forced) launch always docks.
  void assign(std::size_t f, bool forced);

 private:
  Station& st_;
  StationContext& c_;
  const StationSpec& s_;
  const StationModel::Derived& d_;
  Simulation& sim_;
  std::vector<std::vector<std::size_t>> holders_;  // per port type: flights in transit or docked
  mutable std::vector<Time> scratch_;              // free_from's working space
};

}  // namespace padsim::models::detail
