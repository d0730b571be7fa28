#pragma once
// Private to padsim::models: the parsers of a scenario file's top-level sections. scenario.cpp
// runs them in the order of scenario_sections() — [scenario] first (its epoch dates everything
// else), then the sections that others refer to — and then checks the references between them.
// The station model adds its sections ([[vehicle]], [[mission]], [[consumable]], [station],
// [[port]], [[docked]], [policy], ...) by declaring their parsers here, defining them in their own
// files and listing them in scenario_sections(); nothing else in scenario.cpp changes.

#include <span>
#include <string_view>

#include <toml++/toml.h>

#include "padsim/models/scenario_spec.hpp"
#include "toml_util.hpp"

namespace padsim::models::detail {

/// Parses one top-level section (`node` is the value under `key`) into `spec`.
using SectionParser = void (*)(const TomlContext& ctx, const toml::node& node, ScenarioSpec& spec);

struct Section {
  std::string_view key;  ///< top-level key: "scenario", "pad", "repair", ...
  bool required;
  SectionParser parse;
};

/// Every section a scenario file may have, in parsing order (scenario.cpp).
std::span<const Section> scenario_sections();

/// `[scenario]`: name, description, epoch, horizon, nominal_crew (scenario.cpp).
void parse_scenario_info(const TomlContext& ctx, const toml::node& node, ScenarioSpec& spec);
/// `[[reference]]`: known dates of day outcomes for charts; outcome names are checked once the
/// model is built (scenario.cpp).
void parse_references(const TomlContext& ctx, const toml::node& node, ScenarioSpec& spec);
/// `[[pad]]`; runs after parse_repairs, so a pad's `repair` is checked at once (pad_loader.cpp).
void parse_pads(const TomlContext& ctx, const toml::node& node, ScenarioSpec& spec);
/// The return-to-flight keys of `t` (first_launch_uncrewed, max_wait, crewed_gate), shared by a pad's
/// after_repair and an [[investigation]] (pad_loader.cpp).
void parse_return_to_flight(const TomlContext& ctx, const toml::table& t, const std::string& entry,
                            ReturnToFlightSpec& rules);
/// `[repair.ID]`: every repair project, validated into a RepairProject (repair_loader.cpp).
void parse_repairs(const TomlContext& ctx, const toml::node& node, ScenarioSpec& spec);
/// The station sections: marks the spec as a station scenario; the station loader reads them from
/// the whole document afterwards, since they refer to one another (station_loader.cpp).
void mark_station_section(const TomlContext& ctx, const toml::node& node, ScenarioSpec& spec);

/// parse_scenario() on an already parsed document.
ScenarioSpec parse_scenario(const toml::table& root, const std::string& filename);
/// As above, leaving the errors of the entries recorded in `ctx` (not thrown), so that the station
/// sections can be read and their errors reported with them. Throws at once only for what leaves
/// the rest nothing to refer to: control characters, a missing section, a section that cannot be read
/// at all, any error in [scenario].
ScenarioSpec parse_scenario(const TomlContext& ctx, const toml::table& root);

}  // namespace padsim::models::detail
