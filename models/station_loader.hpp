#pragma once
// Private to padsim::models: the station sections of a scenario file (docs/scenario.md "The
// station"): [station], [[port]], [[launcher]], [[vehicle]], [[rotation]], [[mission]], [[docked]],
// [[consumable]], [policy.decrew], and the station's view of [[pad]]. The loader reads the shape
// (types, keys, names); validate_station() (station_validation.hpp) then checks the values. Every
// problem is an InputError at FILE:LINE:COL naming the entry.

#include <memory>
#include <string>

#include "padsim/models/scenario.hpp"
#include "padsim/models/scenario_spec.hpp"
#include "padsim/models/station_spec.hpp"
#include "toml_util.hpp"

namespace padsim::models::detail {

/// The station sections of `root`, on top of what parse_scenario() already read from it
/// ([scenario], [[pad]], [repair.ID]), with LoadOptions applied (deterministic mode, no incident).
/// Throws the errors of every entry read, those parse_scenario() left in `ctx` included, as one
/// InputError before the entries are checked against each other.
StationSpec build_station_spec(const TomlContext& ctx, const toml::table& root, const ScenarioSpec& scenario,
                               const LoadOptions& options);

/// A whole station scenario from text (parse_scenario, then build_station_spec). Used by tests.
StationSpec load_station_spec(const std::string& text, const std::string& filename, const LoadOptions& options);

}  // namespace padsim::models::detail
