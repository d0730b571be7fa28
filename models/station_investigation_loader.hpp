#pragma once
// Private to padsim::models: the [[investigation]] entries of a station scenario (docs/scenario.md
// "Investigations"), read after the launchers and pads they name; their values are checked by
// validate_station() through validate_investigations().

#include "padsim/models/scenario_spec.hpp"
#include "padsim/models/station_spec.hpp"
#include "toml_util.hpp"

namespace padsim::models::detail {

/// Reads every [[investigation]] of `root` into `s.investigations` (families, pads and the `repair`
/// resolved against `s` and `scenario`, positions in `s.sources`). Warns (spdlog) for a family whose
/// `stand_down` an enabled investigation replaces.
void parse_investigations(const toml::table& root, const TomlContext& ctx, const ScenarioSpec& scenario,
                          StationSpec& s);

/// The part of validate_station() that checks the investigations (station_investigation_loader.cpp).
void validate_investigations(const StationSpec& s);

}  // namespace padsim::models::detail
