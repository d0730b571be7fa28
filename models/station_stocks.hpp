#pragma once
// Private to padsim::models: the consumables of one station replication (docs/model.md "Consumables").
// Each stock is a padsim::Level; use follows the crew aboard and what docked vehicles supply.
// Crossing events (reserve, zero, the decrewing trigger) are scheduled only when a trace or the
// decrewing policy needs them "live": the Level's statistics never depend on them.

#include <cstddef>
#include <optional>
#include <vector>

#include "padsim/level.hpp"
#include "station_context.hpp"

namespace padsim::models::detail {

class Station;

/// One consumable: its stock and the rates drawn for this replication.
struct ConsumableState {
  std::optional<Level> level;  // engaged by Stocks::draw()
  std::size_t reserve_tracker = 0;
  double per_crew_day = 0.0;
  double per_day = 0.0;
  double supplied = 0.0;  // kg/day supplied by docked vehicles
  double start = 0.0;     // as drawn (before clipping), the sensitivity input
  EventId crossing;
  std::size_t next_day = 0;  // series: first day not yet written
};

/// The consumable stocks, the supplies of docked vehicles, and their crossing events.
class Stocks {
 public:
  explicit Stocks(Station& st);
  ~Stocks();
  Stocks(const Stocks&) = delete;
  Stocks& operator=(const Stocks&) = delete;

  /// Draws starting stocks and rates, each consumable from its own stream.
  void draw();
  std::size_t size() const noexcept { return stocks_.size(); }
  const ConsumableState& operator[](std::size_t c) const { return stocks_[c]; }
  const Level& level(std::size_t c) const { return *stocks_[c].level; }

  /// kg/day that flight f supplies to consumable c while docked (flights x consumables).
  double& supply(std::size_t f, std::size_t c) { return supplies_[f * stocks_.size() + c]; }
  /// Adds `kg` (per day) to what docked vehicles supply of c.
  void add_supplied(std::size_t c, double kg) { stocks_[c].supplied += kg; }
  /// Delivers cargo now; returns what did not fit under capacity.
  double deliver(std::size_t c, double kg);
  /// Sets every rate for `crew` aboard (docked supplies reduce the fixed use, never below zero).
  void update_rates(double crew);
  /// Writes the series of consumable c for every day up to t.
  void fill_series(std::size_t c, Time t);
  /// Notes, at the epoch, every stock that starts below its reserve.
  void note_epoch_reserves();
  /// Writes the series to the horizon and settles every stock there.
  void settle(Time horizon);

 private:
  void rearm_crossing(std::size_t c);
  void crossing(std::size_t c, int kind);

  Station& st_;
  StationContext& c_;
  const StationSpec& s_;
  const StationModel::Derived& d_;
  Simulation& sim_;
  std::vector<ConsumableState> stocks_;
  std::vector<double> supplies_;
  bool live_crossings_ = false;  // crossing events needed (trace or decrewing policy)
  std::size_t series_width_ = 0, series_days_ = 0;
};

}  // namespace padsim::models::detail
