// The consumable stocks of one station replication (docs/model.md "Consumables").
#include "station_stocks.hpp"

#include <algorithm>
#include <string>

#include "recycled.hpp"
#include "station_coordinator.hpp"

namespace padsim::models::detail {

Stocks::Stocks(Station& st)
    : st_(st), c_(st.ctx), s_(c_.s), d_(c_.d), sim_(c_.sim), supplies_(spare_vector<double>()) {}

Stocks::~Stocks() { keep_spare(supplies_); }

void Stocks::draw() {
  const auto& s = s_;
  const std::size_t nc = s.consumables.size();
  series_width_ = nc + 1;
  series_days_ = static_cast<std::size_t>(c_.model.series_days());
  live_crossings_ = c_.trace != nullptr || s.decrew.enabled;
  supplies_.assign(d_.flights() * nc, 0.0);
  // Level is not movable (its events point at it): the states are built in place, once.
  stocks_ = std::vector<ConsumableState>(nc);
  for (std::size_t c = 0; c < nc; ++c) {
    const auto& spec = s.consumables[c];
    auto& st = stocks_[c];
    Rng station = c_.rng(d_.consumable_key[c]);
    double start = c_.mode.draw(spec.start, station);
    st.per_crew_day = c_.mode.draw(spec.per_crew_day, station);
    st.per_day = c_.mode.draw(spec.per_day, station);
    if (spec.start_in_days) start *= d_.nominal_use[c];
    st.start = start;
    if (start > spec.capacity) start = spec.capacity;  // the loader rejects this; a programmatic spec clips
    st.level.emplace(sim_, std::max(0.0, start), spec.capacity);
    st.reserve_tracker = st.level->track_below(d_.reserve_kg[c]);
  }
}

double Stocks::deliver(std::size_t c, double kg) {
  fill_series(c, sim_.now());
  const double lost = stocks_[c].level->add(kg);
  if (live_crossings_) rearm_crossing(c);
  return lost;
}

void Stocks::update_rates(double crew) {
  const Time now = sim_.now();
  for (std::size_t c = 0; c < stocks_.size(); ++c) {
    ConsumableState& st = stocks_[c];
    // Docked vehicles supply part of the fixed use, never more than all of it.
    const double rate = -(st.per_crew_day * crew + std::max(0.0, st.per_day - st.supplied));
    if (rate == st.level->rate()) continue;
    fill_series(c, now);
    st.level->set_rate(rate);
    if (live_crossings_) rearm_crossing(c);
  }
}

// The hottest loop of a replication: one value per consumable and day.
void Stocks::fill_series(std::size_t c, Time t) {
  ConsumableState& st = stocks_[c];
  const std::size_t end = days_through(t, series_days_);
  if (st.next_day >= end || !c_.out.keep_series) return;
  st.level->values_at_days(st.next_day, end, c_.out.series.data() + st.next_day * series_width_ + c, series_width_);
  st.next_day = end;
}

void Stocks::note_epoch_reserves() {
  for (std::size_t c = 0; c < stocks_.size(); ++c)
    if (stocks_[c].level->value_at(0.0) < d_.reserve_kg[c])
      c_.note_at(0.0, "below_reserve", s_.consumables[c].id, "at the epoch");
}

void Stocks::settle(Time horizon) {
  for (std::size_t c = 0; c < stocks_.size(); ++c) {
    fill_series(c, horizon);
    stocks_[c].level->settle(horizon);
  }
}

// Live crossing events (only when traced or when the decrewing policy watches the stock): the next
// of reserve (kind 0), zero (1) and the policy's trigger (2), as one event per stock.
void Stocks::rearm_crossing(std::size_t c) {
  ConsumableState& st = stocks_[c];
  sim_.cancel(st.crossing);
  st.crossing = {};
  Time best = kInf;
  int kind = -1;
  auto consider = [&](double threshold, int k) {
    const Time t = st.level->next_crossing(threshold);
    if (t < best) {
      best = t;
      kind = k;
    }
  };
  if (c_.trace) {
    consider(d_.reserve_kg[c], 0);
    consider(0.0, 1);
  }
  if (st_.decrew.watches(c)) consider(st_.decrew.trigger_level(-st.level->rate()), 2);
  if (kind >= 0 && best <= s_.horizon)
    st.crossing = sim_.schedule_at(best, [this, c, kind] { crossing(c, kind); }, kStockPriority);
}

void Stocks::crossing(std::size_t c, int kind) {
  ConsumableState& st = stocks_[c];
  st.crossing = {};
  fill_series(c, sim_.now());
  if (c_.trace && kind == 0)
    c_.note("below_reserve", s_.consumables[c].id, std::to_string(d_.reserve_kg[c]) + " kg reserve");
  if (c_.trace && kind == 1) c_.note("at_zero", s_.consumables[c].id, "demand unmet");
  rearm_crossing(c);
  if (kind == 2) st_.decrew.check();
}

}  // namespace padsim::models::detail
