#pragma once
// Private to padsim::models: per-scenario constants of a StationModel that every replication reads,
// computed once when the model is built (resolved defaults, rotation-line order, the planned crew).

#include <cstddef>
#include <utility>
#include <vector>

#include "padsim/models/station.hpp"

namespace padsim::models {

/// Flights are numbered docked entries first (0 .. D-1), then missions (D .. D+M-1).
struct StationModel::Derived {
  std::size_t docked = 0;    // D
  std::size_t missions = 0;  // M
  std::size_t flights() const noexcept { return docked + missions; }

  std::vector<std::size_t> flight_class;          // per flight
  std::vector<DepartureRule> flight_rule;         // per flight
  std::vector<int> flight_line;                   // rotation line, -1 when none
  std::vector<std::size_t> line_order;            // position of the flight within its line
  std::vector<std::vector<std::size_t>> line_flights;  // per line: flights in line order
  std::vector<CrewCount> flight_crew;
  std::vector<bool> crew_vehicle;                 // class has seats (lifeboat rules, life counted)
  std::vector<double> planned_departure_offset;   // missions: docked duration (from docking)

  std::vector<std::vector<std::size_t>> mission_pads;              // resolved (class's or own)
  std::vector<std::vector<ConsumableAmount>> mission_cargo;        // class cargo with overrides
  std::vector<bool> mission_crewed;

  std::vector<double> nominal_use;  // kg/day at nominal crew (mean rates; modes when deterministic)
  std::vector<double> reserve_kg;

  /// The planned crew as steps (time, delta), sorted, times clipped to [0, horizon]
  /// (MODEL.md crew_days_lost: missions from NET + transit for their docked duration, docked
  /// vehicles from the epoch to their planned departure).
  std::vector<std::pair<double, int>> planned_crew_steps;

  std::size_t seed_pad = static_cast<std::size_t>(-1);  // none
  std::size_t seed_tasks = 0;
};

}  // namespace padsim::models
