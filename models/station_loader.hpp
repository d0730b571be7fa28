#pragma once
// Private to padsim::models: the station sections of a scenario file (docs/scenario.md "The
// station"): [station], [[port]], [[launcher]], [[vehicle]], [[rotation]], [[mission]], [[docked]],
// [[consumable]], [policy.decrew], and the station's view of [[pad]]. Every problem is an
// InputError at FILE:LINE:COL naming the entry.

#include <functional>
#include <memory>
#include <string>

#include "padsim/models/scenario.hpp"
#include "padsim/models/station_spec.hpp"
#include "toml_util.hpp"

namespace padsim::models::detail {

/// True when the document has any station section (then it is a station scenario).
bool has_station_sections(const toml::table& root);

/// Looks up a repair project by its [repair.ID] id; returns null when there is none.
using RepairLookup = std::function<std::shared_ptr<const RepairProject>(const std::string& id)>;

/// What the scenario loader has already read: the [scenario] table's epoch, horizon and crew.
struct StationFrame {
  double epoch_seconds = 0.0;
  std::string epoch_iso;
  double horizon = 0.0;       ///< days since the epoch
  int nominal_crew = 7;
  std::string name;
};

/// Reads [scenario] (name, epoch, horizon, nominal_crew), checking its keys and that the horizon
/// comes after the epoch.
StationFrame parse_station_frame(const toml::table& root, const TomlContext& ctx);

/// The [[pad]] entries as the station sees them (turnaround, damage, after-repair rules), with each
/// pad's `repair` resolved through `repairs`.
std::vector<PadRules> parse_pad_rules(const toml::table& root, const TomlContext& ctx, const RepairLookup& repairs);

/// The station sections. `pads` come from parse_pad_rules (or the repair loader's equivalent).
StationSpec parse_station(const toml::table& root, const TomlContext& ctx, const StationFrame& frame,
                          std::vector<PadRules> pads);

/// Deterministic mode and the no-incident variant (the seed pad is remembered, then starts up).
void apply_load_options(StationSpec& spec, const LoadOptions& options);

/// A whole station scenario from text: [scenario], [[pad]] and the station sections; [repair.*]
/// tables are resolved through `repairs` (the repair loader parses them). Used by the scenario
/// loader and by tests.
StationSpec load_station_spec(const std::string& text, const std::string& filename, const LoadOptions& options,
                              const RepairLookup& repairs = {});

}  // namespace padsim::models::detail
