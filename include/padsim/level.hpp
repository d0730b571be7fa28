#pragma once
/// A continuous stock with a piecewise-constant rate. Between events the level moves linearly; it
/// stays within [0, capacity] (demand at zero goes unmet, supply at capacity is not stored).
/// Threshold crossings are computed exactly from the rate, never found by stepping; statistics
/// (minimum, time below a threshold and the first moment below it, time at zero, unmet demand,
/// overflow) are integrated exactly over each linear piece.
///
/// Observation is free: a watch or a crossing query never closes a linear piece, so a level gives
/// bit-identical statistics and crossing times whether or not anyone watches it. Pieces are closed
/// only by what changes the level (set_rate, add, remove) and by settle().
///
///     padsim::Level stock(sim, 3000.0, 4500.0);  // start, capacity
///     stock.set_rate(-12.6);                     // units per day
///     stock.watch(800.0, [&] { /* crossed 800 going down */ });

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <vector>

#include "padsim/simulation.hpp"

namespace padsim {

class Level {
 public:
  /// Throws ParameterError for a negative start, a capacity <= 0, or a start above capacity.
  Level(Simulation& sim, double initial, double capacity = std::numeric_limits<double>::infinity(),
        int priority = 0);
  Level(const Level&) = delete;
  Level& operator=(const Level&) = delete;

  /// The level at now().
  double value() const noexcept { return value_at(sim_->now()); }
  /// The level at time t >= the last change (a projection under the current rate).
  double value_at(Time t) const noexcept {
    const double v = value0_ + rate_ * (t - t0_);
    return v < 0.0 ? 0.0 : (v > capacity_ ? capacity_ : v);
  }
  /// value_at(d) for the days d = first .. end-1 (times >= the last change), written to out[0],
  /// out[stride], ...: a daily series at the cost of a multiply-add per day.
  void values_at_days(std::size_t first, std::size_t end, double* out, std::size_t stride) const noexcept {
    if (first >= end) return;
    // The parameters in locals: stores through `out` might otherwise alias them. value_at is
    // monotone in t (every rounding step is), so when both ends lie within [0, capacity] every day
    // between does and the clamp can go.
    const double v0 = value0_, rate = rate_, t0 = t0_, cap = capacity_;
    auto line = [&](std::size_t d) { return v0 + rate * (static_cast<double>(static_cast<std::int64_t>(d)) - t0); };
    const double a = line(first), b = line(end - 1);
    if (a >= 0.0 && b >= 0.0 && a <= cap && b <= cap) {
      std::size_t d = first;
#if defined(__GNUC__)
      // Two days per step in one vector register: the same IEEE operations on each lane, so the
      // same bits as line(d), at half the instructions (day numbers are exact in a double).
      typedef double Pair __attribute__((vector_size(16)));
      Pair x = {static_cast<double>(static_cast<std::int64_t>(d)), static_cast<double>(static_cast<std::int64_t>(d)) + 1.0};
      for (; d + 2 <= end; d += 2, x += 2.0, out += 2 * stride) {
        const Pair v = v0 + rate * (x - t0);
        out[0] = v[0];
        out[stride] = v[1];
      }
#endif
      for (; d < end; ++d, out += stride) *out = line(d);
    } else {
      for (std::size_t d = first; d < end; ++d, out += stride) {
        const double v = line(d);
        *out = v < 0.0 ? 0.0 : (v > cap ? cap : v);
      }
    }
  }
  /// The current net rate (units per day; negative is use).
  double rate() const noexcept { return rate_; }
  double capacity() const noexcept { return capacity_; }

  /// Changes the rate from now() on. Throws ParameterError for a rate that is not finite.
  void set_rate(double rate) {
    if (!std::isfinite(rate)) bad_rate(rate);
    settle(sim_->now());
    rate_ = rate;
    if (!watches_.empty()) rearm();
  }
  /// Adds `amount` >= 0 now; returns the part that did not fit under capacity (counted in overflow()).
  /// Throws ParameterError for a negative or infinite amount.
  double add(double amount) {
    if (!(amount >= 0.0) || std::isinf(amount)) bad_amount("added", amount);
    settle(sim_->now());
    const double fits = amount < capacity_ - value0_ ? amount : capacity_ - value0_;
    value0_ += fits;
    overflow_ += amount - fits;
    if (!watches_.empty()) rearm();
    return amount - fits;
  }
  /// Removes up to `amount` >= 0 now; returns what was actually removed.
  double remove(double amount);

  /// Calls `crossed()` (as an event, at the exact moment) each time the level falls from above
  /// `threshold` to it. Returns the watch's index. Watches whose threshold is 0 fire when the stock
  /// runs out. The event only reports: it changes nothing in the level.
  std::size_t watch(double threshold, std::function<void()> crossed);
  /// Time at which the level will reach `threshold` going down under the current rate (+inf if
  /// never; now() if it is already at or below).
  Time time_to_reach(double threshold) const noexcept;
  /// The moment after now() at which the level falls to `threshold` under the current rate; +inf if
  /// it never does, or if that moment is not after now() (a crossing being handled is not found
  /// again). Pure: asking never changes the level.
  Time next_crossing(double threshold) const noexcept;

  /// Tracks the time spent strictly below `threshold` and the first moment it is; returns its index.
  std::size_t track_below(double threshold);
  /// Brings the statistics up to `t` (call at the horizon before reading them).
  void settle(Time t);
  double minimum() const noexcept { return minimum_; }
  double time_below(std::size_t tracker) const { return tracker_at(tracker).time; }
  /// The first moment the level was strictly below the tracker's threshold; NaN if never (so far).
  double first_below(std::size_t tracker) const { return tracker_at(tracker).first; }
  double time_at_zero() const noexcept { return time_at_zero_; }
  /// The first moment the level was at zero; NaN if never (so far).
  double first_at_zero() const noexcept { return first_zero_; }
  double unmet_demand() const noexcept { return unmet_; }
  /// Supply lost at capacity, from deliveries (add) and from a positive rate.
  double overflow() const noexcept { return overflow_; }

 private:
  struct Watch {
    double threshold;
    std::function<void()> crossed;
    EventId pending;
  };
  struct Tracker {
    double threshold = 0.0;
    double time = 0.0;
    double first = std::numeric_limits<double>::quiet_NaN();
  };
  void rearm();
  void rearm(std::size_t w);
  [[noreturn]] static void bad_rate(double rate);
  [[noreturn]] static void bad_amount(const char* what, double amount);

  Simulation* sim_;
  int priority_;
  double capacity_;
  double value0_;   // level at t0_
  Time t0_;
  double rate_ = 0.0;
  double minimum_;
  double time_at_zero_ = 0.0;
  double first_zero_ = std::numeric_limits<double>::quiet_NaN();
  double unmet_ = 0.0;
  double overflow_ = 0.0;
  std::vector<Watch> watches_;
  // The first kInlineTrackers trackers live in the level itself, so the usual one or two
  // thresholds cost no allocation; with more, all of them move to more_trackers_.
  static constexpr std::size_t kInlineTrackers = 2;
  std::array<Tracker, kInlineTrackers> inline_trackers_{};
  std::vector<Tracker> more_trackers_;
  std::size_t tracker_count_ = 0;
  std::span<Tracker> trackers() noexcept {
    if (tracker_count_ <= kInlineTrackers) return {inline_trackers_.data(), tracker_count_};
    return more_trackers_;
  }
  /// Throws std::out_of_range for an index track_below() did not return.
  const Tracker& tracker_at(std::size_t i) const;
};

}  // namespace padsim
