#pragma once
// Private to padsim::models: the optional decrewing contingency (docs/model.md "Consumables"): while a
// watched stock is below `days` of supply at the current crew, the crew whose vehicle has the
// earliest planned departure (then earliest docking) leaves, one vehicle at a time, never taking
// the station below the policy's minimum.

#include <algorithm>
#include <cstddef>

#include "station_context.hpp"

namespace padsim::models::detail {

class Station;

class Decrewing {
 public:
  explicit Decrewing(Station& st);

  /// Whether consumable c's level triggers the policy (its crossing must then be live).
  bool watches(std::size_t c) const {
    const auto& pol = s_.decrew;
    return pol.enabled && std::find(pol.consumables.begin(), pol.consumables.end(), c) != pol.consumables.end();
  }
  /// The level that triggers the policy at a use of `use` kg/day.
  double trigger_level(double use) const noexcept { return s_.decrew.days * use; }
  /// Applies the policy now: sends one crew home if a watched stock is below its trigger.
  void check();
  /// A flight left: a decrewed one no longer blocks the next decision.
  void undocked(std::size_t f);
  /// Decrewings so far.
  int count() const noexcept { return decrewings_; }

 private:
  Station& st_;
  StationContext& c_;
  const StationSpec& s_;
  Simulation& sim_;
  int decrewings_ = 0;
  int pending_ = 0;  // decrewed vehicles that have not left yet
};

}  // namespace padsim::models::detail
