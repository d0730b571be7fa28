#pragma once
// Unit tests of the station's components (models/station_*.hpp): one replication set up on a tiny
// hand-built spec but not run, so a test can drive one component and read its state directly.

#include <memory>
#include <utility>
#include <vector>

#include "../models/station_coordinator.hpp"
#include "padsim/models/repair_project.hpp"
#include "station_fixture.hpp"

namespace padsim::test {

/// A replication at the epoch: every component set up (stocks drawn, docked vehicles aboard, pads
/// down at the epoch under repair, replays scheduled), no launch planned yet.
struct Harness {
  models::StationModel model;
  ReplicationResult row;
  RecordingTrace trace;
  models::detail::Station st;
  explicit Harness(models::StationSpec spec, bool traced = false, std::uint64_t seed = 1)
      : model(std::move(spec)), st(model, seed, 0, row, traced ? &trace : nullptr) {
    st.set_up();
  }
  Simulation& sim() { return st.ctx.sim; }
  models::detail::Flight& flight(std::size_t f) { return st.ctx.flights[f]; }
  /// Hands the sorted trace on to `trace` (a traced harness records in time order).
  void flush() { st.ctx.sorted_trace.flush_to(trace); }
};

/// A one-task repair project of fixed duration.
inline std::shared_ptr<const models::RepairProject> fixed_repair(double days) {
  models::TaskSpec t;
  t.id = "R1";
  t.duration = fixed(days);
  return std::make_shared<const models::RepairProject>("fix", std::vector<models::TaskSpec>{t},
                                                       std::vector<models::Link>{}, std::vector<models::BranchSpec>{},
                                                       std::vector<models::RiskSpec>{},
                                                       std::vector<models::ResourceSpec>{});
}

/// A consumable with fixed start (kg) and use per crew-day.
inline models::ConsumableSpec consumable(std::string id, double start, double per_crew_day, double reserve = 0.0,
                                         double capacity = models::kUnlimited) {
  models::ConsumableSpec c;
  c.id = std::move(id);
  c.start = fixed(start);
  c.per_crew_day = fixed(per_crew_day);
  c.reserve = reserve;
  c.capacity = capacity;
  return c;
}

}  // namespace padsim::test
