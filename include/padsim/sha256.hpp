#pragma once
/// SHA-256 (FIPS 180-4) of a byte string, for run.json's scenario hash: it matches what
/// `sha256sum SCENARIO` prints, so a results directory can be tied to its scenario file.

#include <string>
#include <string_view>

namespace padsim {

/// The SHA-256 digest of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace padsim
