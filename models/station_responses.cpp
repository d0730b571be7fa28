// The responses of one station replication (docs/model.md "Responses").
#include "station_responses.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "recycled.hpp"
#include "station_coordinator.hpp"

namespace padsim::models::detail {

namespace {
// Days of supply must rise this far above N before stock_below clears, so that a repeating
// response never fires again at the very crossing it just caused.
constexpr double kClearDays = 1e-6;
}  // namespace

Responses::Responses(Station& st)
    : st_(st), c_(st.ctx), s_(c_.s), d_(c_.d), sim_(c_.sim), state_(spare_vector<ResponseState>()),
      pending_(spare_vector<Pending>()), extension_(spare_vector<double>()),
      cargo_(spare_vector<std::vector<const ActionSpec*>>()) {}

Responses::~Responses() {
  keep_spare(state_);
  keep_spare(pending_);
  keep_spare(extension_);
  keep_spare(cargo_);
}

void Responses::start() {
  if (s_.responses.empty()) return;
  state_.reserve(s_.responses.size());
  for (std::size_t r = 0; r < s_.responses.size(); ++r) state_.push_back({c_.rng(d_.response_key[r])});
  extension_.assign(d_.flights(), 0.0);
  cargo_.assign(d_.missions, {});
  for (std::size_t r = 0; r < s_.responses.size(); ++r) {
    const ResponseSpec& spec = s_.responses[r];
    if (!spec.enabled || spec.trigger.kind != TriggerKind::kPadNotReady || spec.trigger.date > s_.horizon) continue;
    // Checked once, at D in the responses slot: a repair completing at D itself comes later.
    sim_.schedule_at(spec.trigger.date, [this, r] {
      if (!st_.pads[s_.responses[r].trigger.pad].up) fire(r);
    }, kResponsePriority);
  }
}

void Responses::pad_down(std::size_t p) {
  for (std::size_t r = 0; r < state_.size(); ++r) {
    const ResponseSpec& spec = s_.responses[r];
    if (!spec.enabled || spec.trigger.kind != TriggerKind::kPadDownFor || spec.trigger.pad != p) continue;
    state_[r].clear = false;
    // X = 0 fires inside the event that took the pad down; otherwise at outage start + X if the
    // pad is still down then (pad_up cancels the check).
    if (spec.trigger.days == 0.0) fire(r);
    else watch_pad(r, sim_.now() + spec.trigger.days);
  }
}

void Responses::watch_pad(std::size_t r, Time at) {
  if (at > s_.horizon) return;
  sim_.cancel(state_[r].watch);
  state_[r].watch = sim_.schedule_at(at, [this, r] {
    state_[r].watch = {};
    fire(r);
  }, kResponsePriority);
}

void Responses::pad_up(std::size_t p) {
  for (std::size_t r = 0; r < state_.size(); ++r) {
    const ResponseSpec& spec = s_.responses[r];
    if (spec.trigger.kind != TriggerKind::kPadDownFor || spec.trigger.pad != p) continue;
    sim_.cancel(state_[r].watch);
    state_[r].watch = {};
    state_[r].clear = true;
  }
}

void Responses::launch_failed(std::size_t m, std::size_t l) {
  for (std::size_t r = 0; r < state_.size(); ++r) {
    const TriggerSpec& t = s_.responses[r].trigger;
    if (!s_.responses[r].enabled || t.kind != TriggerKind::kLaunchFailed) continue;
    if ((t.launcher && *t.launcher == l) || (t.mission && *t.mission == m)) fire(r);
  }
}

bool Responses::stock_below(std::size_t r) const {
  const TriggerSpec& t = s_.responses[r].trigger;
  const Level& level = st_.stocks.level(t.consumable);
  const double use = -level.rate();
  if (use <= 0.0) return false;  // no use: infinite days of supply
  return level.value_at(sim_.now()) < t.days * use * (1.0 + 1e-12);
}

void Responses::stocks_changed() {
  for (std::size_t r = 0; r < state_.size(); ++r) {
    const ResponseSpec& spec = s_.responses[r];
    if (!spec.enabled || spec.trigger.kind != TriggerKind::kStockBelow) continue;
    ResponseState& rs = state_[r];
    if (rs.used && !spec.repeat) continue;
    if (rs.clear && stock_below(r)) {
      rs.clear = false;
      fire(r);
    } else if (!rs.clear) {
      const Level& level = st_.stocks.level(spec.trigger.consumable);
      const double use = -level.rate();
      if (use <= 0.0 || level.value_at(sim_.now()) >= (spec.trigger.days + kClearDays) * use) rs.clear = true;
    }
    watch_stock(r);
  }
}

// The exact moment the stock falls to N days of supply at the current use, as an event in the
// consumable bookkeeping slot (after the decrewing policy's own crossing at that instant).
void Responses::watch_stock(std::size_t r) {
  ResponseState& rs = state_[r];
  sim_.cancel(rs.watch);
  rs.watch = {};
  const ResponseSpec& spec = s_.responses[r];
  if (!rs.clear || (rs.used && !spec.repeat)) return;
  const Level& level = st_.stocks.level(spec.trigger.consumable);
  const double use = -level.rate();
  if (use <= 0.0) return;
  const Time t = level.next_crossing(spec.trigger.days * use);
  if (t > s_.horizon) return;
  rs.watch = sim_.schedule_at(t, [this, r] {
    state_[r].watch = {};
    state_[r].clear = false;
    fire(r);
  }, kStockPriority + 1);
}

// At each firing, from the response's own stream: the decision, the lag, then every distributed
// number of its actions in the listed order, all drawn even when the decision declines.
void Responses::fire(std::size_t r) {
  const ResponseSpec& spec = s_.responses[r];
  ResponseState& rs = state_[r];
  if (rs.used && !spec.repeat) return;
  const bool first = !rs.used;
  rs.used = true;
  const bool taken = c_.mode.happens(spec.probability, rs.rng);
  const double lag = c_.mode.draw(spec.lag, rs.rng);
  Pending p{sim_.now() + lag, r, sequence_++, {}};
  p.numbers.reserve(spec.actions.size());
  for (const ActionSpec& a : spec.actions) {
    const bool drawn = (a.kind == ActionKind::kMove && !a.net) || a.kind == ActionKind::kExtend;
    if (a.kind == ActionKind::kAdd) p.numbers.push_back(c_.mode.draw(a.lead, rs.rng));
    else p.numbers.push_back(drawn ? c_.mode.draw(a.delta, rs.rng) : 0.0);
  }
  if (first) {
    rs.first_lag = lag;
    rs.first_decision = taken ? 1.0 : 0.0;
    rs.first_numbers = p.numbers;
  }
  if (c_.trace)
    c_.note(taken ? "response_fired" : "response_declined", spec.id,
            taken ? "actions due day " + std::to_string(p.due) : "decision not taken");
  if (!spec.repeat) {
    sim_.cancel(rs.watch);
    rs.watch = {};
  }
  // An action due at or after the horizon is not taken.
  if (!taken || !(p.due < s_.horizon)) return;
  const Time due = p.due;
  pending_.push_back(std::move(p));
  sim_.schedule_at(due, [this] { apply_due(); }, kResponsePriority);
}

// Actions due together apply in the file order of their responses, then in the order listed.
void Responses::apply_due() {
  const Time now = sim_.now();
  while (true) {
    std::size_t best = pending_.size();
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      if (pending_[i].due > now) continue;
      if (best == pending_.size() || pending_[i].response < pending_[best].response ||
          (pending_[i].response == pending_[best].response && pending_[i].sequence < pending_[best].sequence))
        best = i;
    }
    if (best == pending_.size()) return;
    const Pending p = std::move(pending_[best]);
    pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(best));
    apply(p);
  }
}

void Responses::apply(const Pending& p) {
  const ResponseSpec& spec = s_.responses[p.response];
  ResponseState& rs = state_[p.response];
  ++rs.count;
  if (std::isnan(rs.day)) rs.day = sim_.now();
  if (c_.trace) c_.note("response", spec.id, "actions apply");
  for (std::size_t i = 0; i < spec.actions.size(); ++i) {
    const ActionSpec& a = spec.actions[i];
    switch (a.kind) {
      case ActionKind::kMove: move(a, p.numbers[i]); break;
      case ActionKind::kCancel: cancel(a); break;
      case ActionKind::kExtend: extend(a, p.numbers[i]); break;
      case ActionKind::kCargo: cargo(a); break;
      case ActionKind::kAdd: {
        const std::size_t m = a.flight - d_.docked;
        if (c_.trace) c_.note("add", s_.missions[m].id, "NET day " + std::to_string(sim_.now() + p.numbers[i]));
        st_.queue.add(m, sim_.now() + p.numbers[i]);
        st_.rotation.join_line(a.flight);
        break;
      }
    }
  }
  st_.queue.replan();
}

// Not launched, lost or cancelled, and (an added mission) already in the plan.
bool Responses::mission_open(std::size_t m) const {
  const MissionState& ms = st_.queue[m];
  return c_.flights[d_.docked + m].state == FlightState::kPending && !ms.done &&
         (!s_.missions[m].added_by || ms.added);
}

void Responses::skip(const char* what, std::size_t f) {
  if (c_.trace) c_.note("response_skip", c_.flight_name(f), std::string(what) + ": no longer open");
}

// The NET in force moves (a date replaces it, a Δ composes with it), never before `earliest` or
// now; the slip drawn for the replication still applies to it.
void Responses::move(const ActionSpec& a, double delta) {
  const std::size_t m = a.flight - d_.docked;
  if (!mission_open(m)) return skip("move", a.flight);
  MissionState& ms = st_.queue[m];
  const Time now = sim_.now();
  const Time earliest = s_.missions[m].earliest.value_or(0.0);
  ms.net = std::max({a.net ? *a.net : ms.net + delta, earliest, now});
  if (c_.trace) c_.note("replan", s_.missions[m].id, "NET day " + std::to_string(ms.net));
  st_.queue.reready(m, std::max({ms.net + ms.slip, earliest, now}));
}

void Responses::cancel(const ActionSpec& a) {
  const std::size_t m = a.flight - d_.docked;
  if (!mission_open(m)) return skip("cancel", a.flight);
  if (c_.trace) c_.note("cancel", s_.missions[m].id, "removed from the plan");
  st_.queue.cancel(m);
}

// A docked crew vehicle's planned departure moves later by Δ (capped at its waiver life); one not
// yet docked gets Δ more planned days. The rotation rule is untouched: a vehicle still waiting for
// relief keeps waiting, one whose departure a handover, a crew transfer or a decrewing set is not
// extended.
void Responses::extend(const ActionSpec& a, double delta) {
  const std::size_t f = a.flight;
  Flight& fl = c_.flights[f];
  if (fl.state == FlightState::kPending || fl.state == FlightState::kInTransit) {
    extension_[f] += delta;
    fl.firm = fl.firm || a.firm;
    return;
  }
  if (fl.state != FlightState::kDocked || fl.handed_over || fl.decrewed || fl.real_departure)
    return skip("extend", f);
  const auto& vc = c_.cls(f);
  const Time waiver = fl.docked_at + vc.waiver_life;
  fl.planned_departure = std::min(fl.planned_departure + delta, waiver);
  fl.extended = true;
  fl.firm = fl.firm || a.firm;
  // An extension is a waiver decision: under `return` the limit becomes the later of the certified
  // limit and the extended departure.
  fl.limit = std::max(fl.limit, std::min(fl.planned_departure, waiver));
  const Time now = sim_.now();
  if (c_.trace) c_.note("extend", c_.flight_name(f), "planned departure day " + std::to_string(fl.planned_departure));
  if (fl.firm) st_.rotation.schedule_undock(f, std::max(now, fl.planned_departure));
  else if (fl.awaiting) st_.rotation.wait_for_relief(f);
  else st_.rotation.schedule_undock(f, std::max(now, std::min(fl.planned_departure, fl.limit)));
}

// A pending mission's cargo is replaced at its docking; a docked vehicle's supplied use changes now.
void Responses::cargo(const ActionSpec& a) {
  const std::size_t f = a.flight;
  const std::size_t m = f - d_.docked;
  const Flight& fl = c_.flights[f];
  if (mission_open(m)) {
    cargo_[m].push_back(&a);
    return;
  }
  if (fl.state != FlightState::kDocked || a.supplies.empty()) return skip("cargo", f);
  Stocks& stocks = st_.stocks;
  for (const ActionAmount& x : a.supplies) {
    const double kg = draw_override(m, x.consumable, x.amount, true);
    stocks.add_supplied(x.consumable, kg - stocks.supply(f, x.consumable));
    stocks.supply(f, x.consumable) = kg;
  }
  st_.update_rates();
}

double Responses::draw_override(std::size_t m, std::size_t c, const Distribution& amount, bool supplies) const {
  Rng rng = c_.rng(stream_key(supplies ? "mission-supplies" : "mission-cargo",
                              s_.missions[m].id + "/" + s_.consumables[c].id));
  return c_.mode.draw(amount, rng);
}

}  // namespace padsim::models::detail
