#pragma once
// Private to padsim::models: per-scenario constants of a StationModel that every replication reads,
// computed once when the model is built (resolved defaults, rotation-line order, the planned crew).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "padsim/models/repair_project.hpp"
#include "padsim/models/station.hpp"
#include "padsim/rng.hpp"
#include "merge_table.hpp"

namespace padsim::models {

/// Flights are numbered docked entries first (0 .. D-1), then missions (D .. D+M-1).
struct StationModel::Derived {
  std::optional<LatinHypercube> lhs;  // spec.lhs_block > 0: the repairs' draws are stratified
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
  /// (docs/model.md crew_days_lost: missions from NET + transit for their docked duration, docked
  /// vehicles from the epoch to their planned departure).
  std::vector<std::pair<double, int>> planned_crew_steps;

  std::size_t seed_pad = static_cast<std::size_t>(-1);  // none
  std::size_t seed_tasks = 0;
  MergeBias merges;  // the seed repair's merge points (merges.csv)
  std::size_t seed_choices = 0;  // the seed repair's branches and risks: inputs after its durations

  // Stream keys (padsim::stream_key), hashed once per scenario: every entity draws from its own
  // stream keyed by its id, so editing the scenario leaves every other entity's draws as they were.
  std::vector<std::uint64_t> consumable_key;  // ("consumable", id)
  std::vector<std::uint64_t> mission_key;     // ("mission", id)
  std::vector<std::uint64_t> docked_key;      // ("docked", id), per docked entry
  std::vector<std::uint64_t> launch_key;      // ("launch", mission id): the pad's draws for that launch
  std::vector<std::uint64_t> pad_key;         // ("pad", id): after-repair draws of its first repair
  std::vector<std::uint64_t> pad_repair_key;  // repair_stream(id, 0): the pad's first repair instance
  std::vector<std::uint64_t> launcher_key;    // ("launcher", id)
  std::vector<std::uint64_t> rotation_key;    // ("rotation", id)
  std::vector<std::uint64_t> response_key;    // ("response", id)
  std::vector<std::uint64_t> investigation_key;  // investigation_stream(id, 0)

  /// Hashes the stream keys of every entity of `s`.
  void derive_stream_keys(const StationSpec& s) {
    for (const auto& c : s.consumables) consumable_key.push_back(stream_key("consumable", c.id));
    for (const auto& m : s.missions) {
      mission_key.push_back(stream_key("mission", m.id));
      launch_key.push_back(stream_key("launch", m.id));
    }
    for (const auto& e : s.docked) docked_key.push_back(stream_key("docked", e.id));
    for (const auto& p : s.pads) {
      pad_key.push_back(stream_key("pad", p.id));
      pad_repair_key.push_back(repair_stream(p.id, 0));
    }
    for (const auto& l : s.launchers) launcher_key.push_back(stream_key("launcher", l.id));
    for (const auto& r : s.rotations) rotation_key.push_back(stream_key("rotation", r.id));
    for (const auto& r : s.responses) response_key.push_back(stream_key("response", r.id));
    for (const auto& v : s.investigations) investigation_key.push_back(investigation_stream(v.id, 0));
  }
};

}  // namespace padsim::models
