#pragma once
// The error a hand-written station scenario raises when loaded: what the loader and validation
// tests compare with exact messages.

#include <doctest/doctest.h>

#include <string>

#include "padsim/error.hpp"
#include "padsim/models/scenario.hpp"

namespace padsim::test {

/// The message of the InputError that loading `text` throws ("" when it loads).
inline std::string station_load_error(const std::string& text) {
  try {
    models::load_station_spec(text, "s.toml", {});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

/// station_load_error() of `base` with its first `from` replaced by `to`.
inline std::string station_load_error_after(std::string base, const std::string& from,
                                            const std::string& to) {
  const auto at = base.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  base.replace(at, from.size(), to);
  return station_load_error(base);
}

}  // namespace padsim::test
