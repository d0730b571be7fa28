#pragma once
// Private to padsim::models: one consumable's stock as exact piecewise-linear arithmetic.
//
// The same semantics as padsim::Level (MODEL.md "Consumables": linear between events, clamped at
// zero with the demand unmet, capacity cuts deliveries), but with no events of its own: reserve and
// zero crossings are computed from the rate when a piece is closed, so a replication that nobody
// traces schedules nothing for its stocks. The station schedules crossing events only when a trace
// or the decrewing policy needs them to happen "live" (next_crossing()).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "padsim/monte_carlo.hpp"
#include "padsim/time.hpp"

namespace padsim::models::detail {

class ConsumableStock {
 public:
  ConsumableStock() = default;
  ConsumableStock(double initial, double capacity, double reserve) noexcept
      : value0_(initial), capacity_(capacity), reserve_(reserve), minimum_(initial) {
    if (initial < reserve) first_below_reserve_ = 0.0;
    if (initial <= 0.0) first_zero_ = 0.0;
  }

  /// The level at t >= the last settle, under the current rate.
  double value_at(Time t) const noexcept {
    return std::clamp(value0_ + rate_ * (t - t0_), 0.0, capacity_);
  }
  double rate() const noexcept { return rate_; }
  double reserve() const noexcept { return reserve_; }
  double capacity() const noexcept { return capacity_; }

  /// Closes the linear piece [t0, t]: integrates the statistics exactly and records first crossings.
  void settle(Time t) noexcept {
    if (t <= t0_) return;
    const double dt = t - t0_;
    const double v = value0_;
    const double r = rate_;
    if (r < 0.0) {
      const double use = -r;
      const double to_zero = v / use;
      const double empty = std::max(0.0, dt - to_zero);
      time_at_zero_ += empty;
      unmet_ += use * empty;
      if (dt >= to_zero && std::isnan(first_zero_)) first_zero_ = t0_ + to_zero;
      if (v < reserve_) {
        below_reserve_ += dt;
        // A piece can start a rounding error below the reserve when the last one ended exactly on
        // it: the crossing is then this piece's start.
        if (std::isnan(first_below_reserve_)) first_below_reserve_ = t0_;
      } else {
        const double to_reserve = (v - reserve_) / use;
        if (dt > to_reserve) {
          below_reserve_ += dt - to_reserve;
          if (std::isnan(first_below_reserve_)) first_below_reserve_ = t0_ + to_reserve;
        }
      }
    } else {
      // Rates are never positive (use only); a zero rate keeps the level where it is.
      if (v <= 0.0) {
        time_at_zero_ += dt;
        if (std::isnan(first_zero_)) first_zero_ = t0_;
      }
      if (v < reserve_) {
        below_reserve_ += dt;
        if (std::isnan(first_below_reserve_)) first_below_reserve_ = t0_;
      }
    }
    value0_ = value_at(t);
    t0_ = t;
    minimum_ = std::min(minimum_, value0_);
  }

  /// Sets the (non-positive) rate from `t` on; settles first.
  void set_rate(Time t, double rate) noexcept {
    settle(t);
    rate_ = rate;
  }

  /// Delivers `kg` at `t`; returns what did not fit under capacity (undelivered).
  double deliver(Time t, double kg) noexcept {
    settle(t);
    const double fits = std::min(kg, capacity_ - value0_);
    value0_ += fits;
    undelivered_ += kg - fits;
    return kg - fits;
  }

  /// The moment after `now` at which the level falls to `threshold` under the current rate (+inf if
  /// never, or if that moment is not after `now`: a crossing being handled is not found again).
  /// Pure: observing a crossing never splits a linear piece, so traced and untraced replications
  /// compute exactly the same numbers.
  Time crossing(double threshold, Time now) const noexcept {
    if (rate_ >= 0.0 || value0_ <= threshold) return std::numeric_limits<double>::infinity();
    const Time at = t0_ + (value0_ - threshold) / -rate_;
    return at > now ? at : std::numeric_limits<double>::infinity();
  }

  double minimum() const noexcept { return minimum_; }
  double days_below_reserve() const noexcept { return below_reserve_; }
  double days_at_zero() const noexcept { return time_at_zero_; }
  double undelivered() const noexcept { return undelivered_; }
  double unmet() const noexcept { return unmet_; }
  /// Exact first moment strictly below reserve / at zero; kEmpty when not reached.
  double first_below_reserve() const noexcept { return first_below_reserve_; }
  double first_zero() const noexcept { return first_zero_; }

 private:
  double value0_ = 0.0;  // level at t0_
  Time t0_ = 0.0;
  double rate_ = 0.0;
  double capacity_ = std::numeric_limits<double>::infinity();
  double reserve_ = 0.0;
  double minimum_ = 0.0;
  double below_reserve_ = 0.0;
  double time_at_zero_ = 0.0;
  double unmet_ = 0.0;
  double undelivered_ = 0.0;
  double first_below_reserve_ = kEmpty;
  double first_zero_ = kEmpty;
};

}  // namespace padsim::models::detail
