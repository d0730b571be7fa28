#pragma once
/// Scenario files (TOML): loading and validation. The schema is documented in docs/scenario.md.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "padsim/models/station_spec.hpp"
#include "padsim/monte_carlo.hpp"

namespace padsim::models {

struct LoadOptions {
  /// Every distribution replaced by its mode, every probability event happens iff p > 0.5, every
  /// branch takes its most probable alternative (docs/model.md "Deterministic mode").
  bool deterministic = false;
  /// Override: the seed repair never happens (pads listed as down start up). Used by the
  /// no-incident variant when a scenario does not ship one.
  bool no_incident = false;
  /// Every [[response]] switched off (the frozen plan), on the same streams as with them.
  bool no_responses = false;
  /// `PATH=VALUE` overrides (`--set`), applied in order to the parsed document before it is read,
  /// so the loader checks the result as it checks a file (docs/scenario.md "Overrides"). A path
  /// that names nothing is an InputError at "--set PATH". load_scenario() applies them.
  std::vector<std::string> overrides = {};
  /// Latin hypercube sampling of the repairs' stratified draws, in blocks of this many
  /// replications (docs/model.md "Sampling"); 0: plain Monte Carlo.
  std::uint64_t lhs_block = 0;
};

/// Parses and validates a scenario. `filename` is used in messages (`FILE:LINE:COL: error: ...`).
/// Throws padsim::InputError on any problem: malformed TOML, unknown keys or names, cycles,
/// impossible parameters.
std::unique_ptr<Model> load_scenario(const std::string& text, const std::string& filename,
                                     const LoadOptions& options = {});
/// The station spec of a station scenario text, checked as load_scenario() checks it (for tests
/// and tools that build a StationModel themselves or edit the spec first).
StationSpec load_station_spec(const std::string& text, const std::string& filename,
                              const LoadOptions& options = {});

/// Reads the file, then load_scenario(). A file that cannot be read is an InputError too.
std::unique_ptr<Model> load_scenario_file(const std::string& path, const LoadOptions& options = {});

}  // namespace padsim::models
