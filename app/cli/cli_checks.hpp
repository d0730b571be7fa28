#pragma once
// Checks of command-line values that CLI11's own conversions would clamp or wrap: a value out of
// range is bad input (status 2) with a message that names the accepted range, never a silent
// 2^64 - 1 for "-1".

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

namespace padsim::cli {

/// The most worker threads a batch accepts: far beyond any machine's cores, and few enough that
/// the operating system can always start them.
inline constexpr unsigned kMaxThreads = 1024;

/// A decimal integer in [lo, hi], digits only (no sign, exponent or fraction).
CLI::Validator integer_in(std::uint64_t lo, std::uint64_t hi);
/// A finite number in (lo, hi].
CLI::Validator number_above(double lo, double hi);

/// "--NAME: expected ..., got '...'" for a value integer_in() refuses, without CLI11.
std::string integer_range_error(const std::string& text, std::uint64_t lo, std::uint64_t hi);

}  // namespace padsim::cli
