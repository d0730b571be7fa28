#pragma once
/// The ISS station model: pads, launches, ports, crew rotation and consumables around a damaged pad
/// (docs/model.md). A `StationModel` is an immutable scenario; each `run()` simulates one replication on
/// its own `Simulation` and fills one row of runs.csv.
///
///     padsim::models::StationSpec spec = ...;          // or load_scenario("baikonur-2025.toml")
///     padsim::models::StationModel model(std::move(spec));
///     padsim::ReplicationResult row;
///     model.run(/*seed=*/1, /*replication=*/0, row);
///     double lost = row.outcomes[model.outcome_index("crew_days_lost")];

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "padsim/models/station_spec.hpp"
#include "padsim/monte_carlo.hpp"

namespace padsim::models {

/// Outcome columns that belong to one mission or one consumable, and the station-wide ones.
struct StationOutcomeIndex {
  std::size_t pad_ready_day = 0, first_launch_day = 0;
  std::size_t days_beyond_certified = 0, beyond_certified = 0;
  std::size_t below_min_rs = 0, below_min_usos = 0, below_min_station = 0, below_min_crew = 0;
  std::size_t crew_days_lost = 0, decrewings = 0;
  struct Mission {
    std::size_t launch_day, slip, failed;
  };
  std::vector<Mission> missions;
  struct Consumable {
    std::size_t min_level, days_below_reserve, days_at_zero, undelivered, below_reserve, at_zero,
        reserve_day, unmet;
  };
  std::vector<Consumable> consumables;
  /// Per crew vehicle (docked entries, then missions, each with seats).
  struct CrewVehicle {
    std::size_t flight, undock_day, days_extended;
  };
  std::vector<CrewVehicle> crew_vehicles;
  /// Per response: taken (0/1), the day its actions first applied, and (with repeat) how often.
  struct Response {
    std::size_t taken, day, count;
  };
  std::vector<Response> responses;
  /// Per mission some `move` names: the NET change from responses; per mission some `cancel` names.
  std::vector<std::pair<std::size_t, std::size_t>> replans, cancels;  // (mission, column)
  /// Per investigation: opened (0/1) and the close of its first opening.
  struct Investigation {
    std::size_t opened, close;
  };
  std::vector<Investigation> investigations;
};

/// A station scenario ready to run replications. Thread-safe: run() may be called concurrently.
class StationModel final : public Model {
 public:
  /// Checks the spec's internal consistency (indices in range, limits ordered); throws
  /// ParameterError naming the entry. The scenario loader reports the same problems with FILE:LINE.
  explicit StationModel(StationSpec spec);
  ~StationModel() override;

  const std::vector<OutcomeInfo>& outcomes() const override { return outcomes_; }
  const std::vector<std::string>& inputs() const override { return inputs_; }
  std::vector<InputInfo> input_info() const override { return input_info_; }
  const std::vector<EntityTable>& entity_tables() const override { return tables_; }
  const std::vector<std::string>& series_names() const override { return series_names_; }
  int series_days() const override { return series_days_; }
  std::string name() const override { return spec_.name; }
  std::string epoch() const override { return spec_.epoch; }
  Time horizon() const override { return spec_.horizon; }
  std::vector<OutcomeReference> references() const override { return spec_.references; }
  /// Each consumable's reserve in kg (`stock:<id>`), as the model tracks it.
  std::vector<SeriesLevel> series_levels() const override;
  void run(std::uint64_t seed, std::uint64_t replication, ReplicationResult& out,
           TraceSink* trace = nullptr) const override;

  /// The scenario as built.
  const StationSpec& spec() const noexcept { return spec_; }
  /// Ids of the seed repair's tasks (the entities of the task table), in file order.
  const std::vector<std::string>& task_names() const noexcept { return task_names_; }
  /// Column of an outcome by name; throws std::out_of_range for an unknown name.
  std::size_t outcome_index(std::string_view name) const;
  /// Where each outcome lives (used by the replication).
  const StationOutcomeIndex& index() const noexcept { return index_; }

  /// Derived, per-scenario constants the replication reads (private to the model's sources).
  struct Derived;
  const Derived& derived() const noexcept { return *derived_; }

 private:
  void build_outcomes();

  StationSpec spec_;
  std::vector<OutcomeInfo> outcomes_;
  std::vector<std::string> inputs_;
  std::vector<InputInfo> input_info_;  // one per input
  std::vector<std::string> task_names_;
  std::vector<EntityTable> tables_;
  std::vector<std::string> series_names_;
  int series_days_ = 0;
  StationOutcomeIndex index_;
  std::unique_ptr<Derived> derived_;
};

}  // namespace padsim::models
