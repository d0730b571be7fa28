#pragma once
// Private to padsim::models: the one validation pass of a StationSpec, whether the scenario loader
// filled it or a test built it in code.

#include "padsim/models/station_spec.hpp"

namespace padsim::models::detail {

/// Checks every rule of a station spec that is more than the shape of the file: ranges, crews that
/// fit their seats, dates in order, distributions that must not go negative, indices in range.
/// Throws InputError at FILE:LINE:COL when `spec.sources` knows where the value was written,
/// ParameterError otherwise; either way the message reads "ENTRY[.KEY]: what is wrong". The entries
/// that stand alone (pads, consumables, vehicle classes, ...) are checked each on its own, and the
/// InputError carries the errors of all of them, in file order.
void validate_station(const StationSpec& spec);

/// The part of validate_station() that checks the responses (station_response_validation.cpp).
void validate_responses(const StationSpec& spec);

}  // namespace padsim::models::detail
