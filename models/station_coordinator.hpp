#pragma once
// Private to padsim::models: one replication of a StationModel, as components on one Simulation.
//
//   LaunchQueue   missions waiting to launch; when each can (station_launch_queue.cpp)
//   Pads          repairs, damage by a launch, turnaround, campaign and gate (station_pads.cpp)
//   Ports         which port a launch takes, when one is free on arrival (station_ports.cpp)
//   CrewRotation  dockings, departures, handovers, crew aboard (station_crew_rotation.cpp)
//   Stocks        consumables as padsim::Level stocks (station_stocks.cpp)
//   Decrewing     the decrewing contingency (station_decrew_policy.cpp)
//   Responses     plan changes inside the replication (station_responses.cpp)
//   Investigations  groundings after a failure and return to flight (station_investigations.cpp)
//   outcomes      the sweep at the horizon that fills the result row (station_outcomes.cpp)
//
// Each component owns its state and calls the others through this coordinator; the coordinator
// only builds them, sets them up in a fixed order and runs the simulation.

#include <cstdint>

#include "station_context.hpp"
#include "station_crew_rotation.hpp"
#include "station_decrew_policy.hpp"
#include "station_investigations.hpp"
#include "station_launch_queue.hpp"
#include "station_pads.hpp"
#include "station_ports.hpp"
#include "station_responses.hpp"
#include "station_stocks.hpp"

namespace padsim::models::detail {

class Station {
 public:
  Station(const StationModel& model, std::uint64_t seed, std::uint64_t replication, ReplicationResult& out,
          TraceSink* trace);
  Station(const Station&) = delete;
  Station& operator=(const Station&) = delete;

  /// Draws the per-replication inputs and puts the epoch's state in place (docked vehicles, stocks,
  /// pads down, the launch queue); nothing has run yet.
  void set_up();
  /// Runs to the horizon, fills the result row, and runs a seed repair on to its end.
  void run();
  /// Use changed (crew or supplies): new rates, then the decrewing policy.
  void update_rates() {
    stocks.update_rates(rotation.crew());
    decrew.check();
    responses.stocks_changed();
  }

  StationContext ctx;
  Stocks stocks;
  Ports ports;
  Pads pads;
  LaunchQueue queue;
  CrewRotation rotation;
  Decrewing decrew;
  Responses responses;
  Investigations investigations;
};

/// Fills the outcomes and inputs of `st.ctx.out` at the horizon (station_outcomes.cpp).
void write_outcomes(Station& st);

}  // namespace padsim::models::detail
