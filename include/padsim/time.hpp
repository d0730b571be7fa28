#pragma once
/// Simulated time: days (floating point) since the scenario's epoch.

namespace padsim {

/// A point in simulated time, in days since the epoch.
using Time = double;
/// A length of simulated time, in days.
using Duration = double;

}  // namespace padsim
