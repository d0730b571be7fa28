#pragma once
// Private to padsim::models: one replication of a StationModel on its own Simulation.

#include <cstdint>

#include "padsim/models/station.hpp"

namespace padsim::models::detail {

/// Simulates replication `replication` of the batch seeded `seed` and fills `out` (every vector to
/// the sizes the model declares). Traces every launch, docking, undocking, pad change, failure,
/// crossing and decrewing to `trace` when it is not null.
void run_station_replication(const StationModel& model, std::uint64_t seed, std::uint64_t replication,
                             ReplicationResult& out, TraceSink* trace);

}  // namespace padsim::models::detail
