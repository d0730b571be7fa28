#pragma once
// Private to padsim::models: `--set PATH=VALUE` overrides applied to a parsed scenario document
// before the loader reads it (docs/scenario.md "Overrides"), so that the loader and its checks see
// the result exactly as they would a file. A value an override puts in the document carries the
// source "--set PATH", so the loader's own errors about it name the argument.

#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

namespace padsim::models::detail {

/// The source name of the values an override puts into the document: "--set PATH".
inline constexpr std::string_view kOverrideSourcePrefix = "--set ";

/// Applies each `PATH=VALUE` of `overrides` to `root`, in order. Throws InputError at "--set PATH"
/// when an argument is malformed or its path names nothing (unknown section, no element with that
/// id, a segment below a value).
void apply_overrides(toml::table& root, const std::vector<std::string>& overrides);

/// parse_toml(), then apply_overrides().
toml::table parse_document(std::string_view text, const std::string& file,
                           const std::vector<std::string>& overrides);

}  // namespace padsim::models::detail
