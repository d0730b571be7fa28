#pragma once
/// A launch pad as a scenario describes it (docs/scenario.md, `[[pad]]`; semantics: docs/model.md
/// "Pads"): the one pad type of the repair-only model and the station model.

#include <cstddef>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "padsim/distribution.hpp"
#include "padsim/error.hpp"

namespace padsim::models {

class RepairProject;

/// The repair that brings a pad back: the `[repair.ID]` a scenario names, resolved to its project.
struct RepairRef {
  std::string id;                                ///< as the scenario names it; empty: none
  std::shared_ptr<const RepairProject> project;  ///< resolved by the loader; null: none

  RepairRef() = default;
  /// A project given directly (a spec built in code rather than loaded).
  RepairRef(std::shared_ptr<const RepairProject> p) noexcept : project(std::move(p)) {}  // NOLINT: implicit by design
  /// Whether the pad has a project to run.
  explicit operator bool() const noexcept { return project != nullptr; }
  const RepairProject* operator->() const noexcept { return project.get(); }
  friend bool operator==(const RepairRef& r, std::string_view name) noexcept { return r.id == name; }
};

/// Return-to-flight rules: what holds launches after a pad's repair (counted from its campaign's end)
/// or after an investigation closes (counted from the close), until the first launch they cover.
struct ReturnToFlightSpec {
  bool first_launch_uncrewed = false;  ///< the first launch covered carries no crew
  /// From the start of the rules: if no uncrewed mission is ready after this many days, a crewed one
  /// may take the first launch. Infinite by default (wait for an uncrewed mission however long).
  double max_wait = std::numeric_limits<double>::infinity();
  Distribution crewed_gate;  ///< days after the first launch attempt covered before any later
                             ///< crewed launch (default 0)
};

/// What happens on a pad after a repair completes, before launches are back to normal.
struct AfterRepairSpec : ReturnToFlightSpec {
  Distribution campaign;  ///< days the pad stays busy after the repair (default 0)
};

/// One `[[pad]]` entry.
struct PadSpec {
  std::string id;                   ///< the name vehicle classes use
  std::string name;                 ///< display name (defaults to id)
  bool down_at_epoch = false;       ///< down at day 0; `repair` starts at day 0
  RepairRef repair;                 ///< what brings it back after damage (none by default)
  Distribution turnaround;          ///< launch -> earliest next launch, drawn per launch (default 0)
  double damage_probability = 0.0;  ///< per launch: the launch takes the pad down
  AfterRepairSpec after_repair;
  SourcePosition where;             ///< the entry's position, for messages
};

}  // namespace padsim::models
