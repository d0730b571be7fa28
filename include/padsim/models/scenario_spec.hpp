#pragma once
/// A parsed, validated scenario file as plain data: what the models are built from. The repair-only
/// model needs `scenario`, `pads` and `repairs`; the station model reads its own sections (vehicles,
/// missions, consumables, ports, policy) from the document into a StationSpec (station_spec.hpp).

#include <memory>
#include <string>
#include <vector>

#include "padsim/models/pad.hpp"
#include "padsim/monte_carlo.hpp"
#include "padsim/models/repair_project.hpp"
#include "padsim/time.hpp"

namespace padsim::models {

/// One `[[reference]]`: a known date of a day outcome, marked on its charts (run.json `references`).
struct ReferenceEntry {
  OutcomeReference reference;  ///< value: the date as days since the epoch
  SourcePosition where;        ///< the entry, for an outcome name the model does not have
};

/// The `[scenario]` table.
struct ScenarioInfo {
  std::string name;
  std::string description;
  double epoch_seconds = 0.0;  ///< the epoch as seconds since 1970-01-01T00:00Z
  std::string epoch;           ///< the epoch as ISO 8601 UTC, e.g. "2025-11-27T09:28:00Z"
  Time horizon = 0.0;          ///< days since the epoch
  int nominal_crew = 7;        ///< crew used to convert reserves given in days of supply
  std::vector<ReferenceEntry> references;  ///< the `[[reference]]` entries, in file order
};

/// One `[repair.ID]` project.
struct RepairEntry {
  std::string id;
  std::shared_ptr<const RepairProject> project;
  SourcePosition where;
};

/// Everything a scenario file says, validated.
struct ScenarioSpec {
  std::string file;                 ///< the name used in messages
  ScenarioInfo scenario;
  std::vector<PadSpec> pads;        ///< in file order
  std::vector<RepairEntry> repairs; ///< in file order

  /// The repair project with this id, or nullptr.
  const RepairEntry* find_repair(const std::string& id) const {
    for (const RepairEntry& r : repairs)
      if (r.id == id) return &r;
    return nullptr;
  }
  /// True when the file has station sections (vehicles, missions, ...): the station model runs it.
  bool has_station() const noexcept { return station_sections; }
  bool station_sections = false;    ///< set by parse_scenario
};

/// Parses and validates a scenario into plain data (no model). Throws padsim::InputError
/// (`FILE:LINE:COL: error: ...`) on any problem; `padsim validate` needs nothing more.
ScenarioSpec parse_scenario(const std::string& text, const std::string& filename);

}  // namespace padsim::models
