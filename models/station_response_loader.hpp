#pragma once
// Private to padsim::models: the [[response]] entries of a station scenario (docs/scenario.md
// "Responses"), read after every entry they can name.

#include "padsim/models/station_spec.hpp"
#include "toml_util.hpp"

namespace padsim::models::detail {

/// Reads every [[response]] of `root` into `s.responses` (names resolved against `s`, positions in
/// `s.sources`); `epoch_seconds` converts dates. The values are checked by validate_station().
void parse_responses(const toml::table& root, const TomlContext& ctx, StationSpec& s, double epoch_seconds);

}  // namespace padsim::models::detail
