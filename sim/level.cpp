#include "padsim/level.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

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
  if (initial <= 0.0) first_zero_ = t0_;
}

Time Level::time_to_reach(double threshold) const noexcept {
  const double v = value();
  if (v <= threshold) return sim_->now();
  if (rate_ >= 0.0) return kInf;
  return sim_->now() + (v - threshold) / -rate_;
}

Time Level::next_crossing(double threshold) const noexcept {
  // From the start of the current piece, not from now(): the answer is the same whenever it is
  // asked, so asking cannot change anything.
  if (rate_ >= 0.0 || value0_ <= threshold) return kInf;
  const Time at = t0_ + (value0_ - threshold) / -rate_;
  return at > sim_->now() ? at : kInf;
}

void Level::settle(Time t) {
  if (t <= t0_) return;
  const double dt = t - t0_;
  const double v = value0_;
  const double r = rate_;
  // Every quantity below is exact for a linear piece clamped to [0, capacity].
  if (r < 0.0) {
    const double use = -r;
    const double to_zero = v / use;  // time until empty
    const double empty = std::max(0.0, dt - to_zero);
    time_at_zero_ += empty;
    unmet_ += use * empty;
    if (dt >= to_zero && std::isnan(first_zero_)) first_zero_ = t0_ + to_zero;
    for (auto& tr : trackers()) {
      if (v < tr.threshold) {
        tr.time += dt;
        // A piece can start a rounding error below the threshold when the last one ended exactly
        // on it: the crossing is then this piece's start.
        if (std::isnan(tr.first)) tr.first = t0_;
      } else {
        const double to_threshold = (v - tr.threshold) / use;
        if (dt > to_threshold) {
          tr.time += dt - to_threshold;
          if (std::isnan(tr.first)) tr.first = t0_ + to_threshold;
        }
      }
    }
  } else if (r > 0.0) {
    const double to_full = (capacity_ - v) / r;
    overflow_ += r * std::max(0.0, dt - to_full);
    if (v <= 0.0 && std::isnan(first_zero_)) first_zero_ = t0_;
    for (auto& tr : trackers())
      if (v < tr.threshold) {
        tr.time += std::min(dt, (tr.threshold - v) / r);
        if (std::isnan(tr.first)) tr.first = t0_;
      }
  } else {
    if (v <= 0.0) {
      time_at_zero_ += dt;
      if (std::isnan(first_zero_)) first_zero_ = t0_;
    }
    for (auto& tr : trackers())
      if (v < tr.threshold) {
        tr.time += dt;
        if (std::isnan(tr.first)) tr.first = t0_;
      }
  }
  value0_ = value_at(t);
  t0_ = t;
  minimum_ = std::min(minimum_, value0_);
}

void Level::bad_rate(double rate) {
  throw ParameterError("level: rate " + format_number(rate) + " is not finite");
}

void Level::bad_amount(const char* what, double amount) {
  throw ParameterError(std::string("level: ") + what + " amount " + format_number(amount) + " must be finite and >= 0");
}

double Level::remove(double amount) {
  if (!(amount >= 0.0) || std::isinf(amount)) bad_amount("removed", amount);
  settle(sim_->now());
  const double taken = std::min(amount, value0_);
  value0_ -= taken;
  unmet_ += amount - taken;
  minimum_ = std::min(minimum_, value0_);
  if (value0_ <= 0.0 && std::isnan(first_zero_)) first_zero_ = t0_;
  for (auto& tr : trackers())
    if (value0_ < tr.threshold && std::isnan(tr.first)) tr.first = t0_;
  rearm();
  return taken;
}

std::size_t Level::watch(double threshold, std::function<void()> crossed) {
  if (!(threshold >= 0.0) || std::isinf(threshold))
    throw ParameterError("level: watch threshold " + format_number(threshold) + " must be finite and >= 0");
  watches_.push_back({threshold, std::move(crossed), {}});
  rearm(watches_.size() - 1);
  return watches_.size() - 1;
}

std::size_t Level::track_below(double threshold) {
  settle(sim_->now());
  Tracker tracker{threshold};
  if (value0_ < threshold) tracker.first = t0_;
  if (tracker_count_ < kInlineTrackers) {
    inline_trackers_[tracker_count_] = tracker;
  } else {
    if (tracker_count_ == kInlineTrackers) more_trackers_.assign(inline_trackers_.begin(), inline_trackers_.end());
    more_trackers_.push_back(tracker);
  }
  return tracker_count_++;
}

const Level::Tracker& Level::tracker_at(std::size_t i) const {
  if (i >= tracker_count_) throw std::out_of_range("level: no tracker " + std::to_string(i));
  return tracker_count_ <= kInlineTrackers ? inline_trackers_[i] : more_trackers_[i];
}

void Level::rearm() {
  for (std::size_t w = 0; w < watches_.size(); ++w) rearm(w);
}

void Level::rearm(std::size_t w) {
  Watch& watch = watches_[w];
  sim_->cancel(watch.pending);
  watch.pending = {};
  // The event only reports the crossing: settling here would split the piece and make a watched
  // level's integrals differ in their last bits from an unwatched one.
  const Time at = next_crossing(watch.threshold);
  if (at == kInf) return;
  watch.pending = sim_->schedule_at(
      at,
      [this, w] {
        watches_[w].pending = {};
        watches_[w].crossed();
      },
      priority_);
}

}  // namespace padsim
