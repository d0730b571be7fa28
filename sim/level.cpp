#include "padsim/level.hpp"

#include <algorithm>
#include <cmath>

#include "padsim/format.hpp"

namespace padsim {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

Level::Level(Simulation& sim, double initial, double capacity, int priority)
    : sim_(&sim), priority_(priority), capacity_(capacity), value0_(initial), t0_(sim.now()),
      minimum_(initial) {
  if (!(initial >= 0.0) || std::isinf(initial))
    throw ParameterError("level: initial value " + format_number(initial) + " must be finite and >= 0");
  if (!(capacity > 0.0)) throw ParameterError("level: capacity " + format_number(capacity) + " must be > 0");
  if (initial > capacity)
    throw ParameterError("level: initial value " + format_number(initial) + " is above capacity " +
                         format_number(capacity));
}

double Level::value_at(Time t) const noexcept {
  return std::clamp(value0_ + rate_ * (t - t0_), 0.0, capacity_);
}

Time Level::time_to_reach(double threshold) const noexcept {
  const double v = value();
  if (v <= threshold) return sim_->now();
  if (rate_ >= 0.0) return kInf;
  return sim_->now() + (v - threshold) / -rate_;
}

void Level::settle(Time t) {
  if (t <= t0_) return;
  const double dt = t - t0_;
  const double v = value0_;
  const double r = rate_;
  // Every quantity below is exact for a linear piece clamped to [0, capacity].
  if (r < 0.0) {
    const double to_zero = v / -r;  // time until empty
    const double empty = std::max(0.0, dt - to_zero);
    time_at_zero_ += empty;
    unmet_ += -r * empty;
    for (auto& tr : trackers_) {
      if (v < tr.threshold) tr.time += dt;
      else tr.time += std::max(0.0, dt - (v - tr.threshold) / -r);
    }
  } else if (r > 0.0) {
    const double to_full = (capacity_ - v) / r;
    overflow_ += r * std::max(0.0, dt - to_full);
    for (auto& tr : trackers_)
      if (v < tr.threshold) tr.time += std::min(dt, (tr.threshold - v) / r);
  } else {
    if (v <= 0.0) time_at_zero_ += dt;
    for (auto& tr : trackers_)
      if (v < tr.threshold) tr.time += dt;
  }
  value0_ = value_at(t);
  minimum_ = std::min(minimum_, value0_);
  t0_ = t;
}

void Level::set_rate(double rate) {
  if (!std::isfinite(rate)) throw ParameterError("level: rate " + format_number(rate) + " is not finite");
  settle(sim_->now());
  rate_ = rate;
  rearm();
}

double Level::add(double amount) {
  if (!(amount >= 0.0) || std::isinf(amount))
    throw ParameterError("level: added amount " + format_number(amount) + " must be finite and >= 0");
  settle(sim_->now());
  const double room = capacity_ - value0_;
  const double lost = std::max(0.0, amount - room);
  value0_ = std::min(capacity_, value0_ + amount);
  overflow_ += lost;
  rearm();
  return lost;
}

double Level::remove(double amount) {
  if (!(amount >= 0.0) || std::isinf(amount))
    throw ParameterError("level: removed amount " + format_number(amount) + " must be finite and >= 0");
  settle(sim_->now());
  const double taken = std::min(amount, value0_);
  value0_ -= taken;
  unmet_ += amount - taken;
  minimum_ = std::min(minimum_, value0_);
  rearm();
  return taken;
}

std::size_t Level::watch(double threshold, std::function<void()> crossed) {
  if (!(threshold >= 0.0) || std::isinf(threshold))
    throw ParameterError("level: watch threshold " + format_number(threshold) + " must be finite and >= 0");
  settle(sim_->now());
  watches_.push_back({threshold, std::move(crossed), {}});
  rearm(watches_.size() - 1);
  return watches_.size() - 1;
}

std::size_t Level::track_below(double threshold) {
  settle(sim_->now());
  trackers_.push_back({threshold, 0.0});
  return trackers_.size() - 1;
}

void Level::rearm() {
  for (std::size_t w = 0; w < watches_.size(); ++w) rearm(w);
}

void Level::rearm(std::size_t w) {
  Watch& watch = watches_[w];
  sim_->cancel(watch.pending);
  watch.pending = {};
  // A crossing needs the level strictly above the threshold and falling: the exact moment is
  // t0 + (v0 - threshold) / -rate. Computed here, never found by stepping.
  if (rate_ >= 0.0 || value0_ <= watch.threshold) return;
  const Time at = t0_ + (value0_ - watch.threshold) / -rate_;
  watch.pending = sim_->schedule_at(
      at,
      [this, w] {
        settle(sim_->now());
        value0_ = std::min(value0_, watches_[w].threshold);  // exact, whatever the rounding
        watches_[w].pending = {};
        watches_[w].crossed();
      },
      priority_);
}

}  // namespace padsim
