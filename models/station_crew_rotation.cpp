// Dockings, departures and crew rotation in one station replication (docs/model.md "Vehicles and
// missions", "Crew rotation").
#include "station_crew_rotation.hpp"

#include <algorithm>
#include <string>

#include "recycled.hpp"
#include "station_coordinator.hpp"

namespace padsim::models::detail {

namespace {

// The amount the last of a mission's `cargo` actions sets for consumable c (kg, or kg/day supplied
// when `supplies`); nullptr when none lists it.
const Distribution* override_of(const std::vector<const ActionSpec*>& actions, std::size_t c, bool supplies) {
  const Distribution* out = nullptr;
  for (const ActionSpec* a : actions)
    for (const ActionAmount& x : supplies ? a->supplies : a->cargo)
      if (x.consumable == c) out = &x.amount;
  return out;
}

}  // namespace

CrewRotation::CrewRotation(Station& st)
    : st_(st), c_(st.ctx), s_(c_.s), d_(c_.d), sim_(c_.sim), line_rng_(spare_vector<Rng>()),
      steps_(spare_vector<CrewStep>()) {}

CrewRotation::~CrewRotation() {
  keep_spare(line_rng_);
  keep_spare(steps_);
}

void CrewRotation::place_docked() {
  const auto& s = s_;
  const auto& d = d_;
  steps_.reserve(2 * d.flights() + 2);
  line_rng_.reserve(s.rotations.size());
  for (std::size_t r = 0; r < s.rotations.size(); ++r) line_rng_.push_back(c_.rng(d.rotation_key[r]));
  Stocks& stocks = st_.stocks;
  for (std::size_t f = 0; f < d.docked; ++f) {
    const auto& e = s.docked[f];
    Flight& fl = c_.flights[f];
    fl.state = FlightState::kDocked;
    fl.docked_at = e.docked;
    fl.planned_departure = e.departure;
    fl.port = static_cast<int>(e.port.value_or(c_.cls(f).ports.front()));
    fl.crew = e.crew;
    st_.ports.hold(static_cast<std::size_t>(fl.port), f);
    rs_ += e.crew.rs;
    usos_ += e.crew.usos;
    // Use supplied while docked: drawn per vehicle, from the vehicle's own stream.
    Rng rng = c_.rng(d.docked_key[f]);
    for (const auto& a : c_.cls(f).supplies) stocks.supply(f, a.consumable) = c_.mode.draw(a.amount, rng);
    for (std::size_t c = 0; c < stocks.size(); ++c) stocks.add_supplied(c, stocks.supply(f, c));
  }
  // Departures once every vehicle is aboard: a crew vehicle's rule depends on its line.
  for (std::size_t f = 0; f < d.docked; ++f) {
    const auto& e = s.docked[f];
    Flight& fl = c_.flights[f];
    const auto& vc = c_.cls(f);
    if (e.undocked) {
      fl.real_departure = true;
      fl.limit = fl.docked_at + (s.lifeboat == LifeboatPolicy::kReturn && vc.seats > 0 ? vc.certified_life : vc.waiver_life);
      schedule_undock(f, std::max(0.0, *e.undocked));
    } else if (d.crew_vehicle[f] || d.flight_line[f] >= 0) {
      set_crew_departure(f, true);
    } else if (d.flight_rule[f] == DepartureRule::kUntilPortNeeded) {
      fl.vacatable = true;
      fl.limit = fl.docked_at + vc.waiver_life;
      schedule_undock(f, std::max(0.0, fl.limit));
    } else {
      schedule_undock(f, std::max(0.0, e.departure));
    }
    if (c_.trace)
      c_.note_at(0.0, "docked", c_.flight_name(f), "at the epoch, port " + s.ports[static_cast<std::size_t>(fl.port)].type);
  }
  steps_.push_back({0.0, rs_, usos_});
}

void CrewRotation::schedule_undock(std::size_t f, Time t) {
  Flight& fl = c_.flights[f];
  fl.awaiting = false;  // its undocking is now scheduled (set_crew_departure sets it again after)
  sim_.cancel(fl.undock_event);
  fl.undock_event = {};
  fl.undock_at = t;
  if (t <= s_.horizon) fl.undock_event = sim_.schedule_at(t, [this, f] { undock(f); }, kUndockPriority);
}

// A crew vehicle stays until a later vehicle of its line docks (then the handover), at most to its
// limit; with no later mission left to fly it leaves at its planned departure (never past its limit).
void CrewRotation::set_crew_departure(std::size_t f, bool at_epoch) {
  const auto& d = d_;
  Flight& fl = c_.flights[f];
  const auto& vc = c_.cls(f);
  const double life = s_.lifeboat == LifeboatPolicy::kReturn && vc.seats > 0 ? vc.certified_life : vc.waiver_life;
  fl.limit = fl.docked_at + life;
  const Time now = sim_.now();
  // Extended before it docked (a response): a waiver decision that may lift a `return` limit, and
  // a firm extension leaves at its date whatever its line does.
  if (fl.extended) fl.limit = std::max(fl.limit, std::min(fl.planned_departure, fl.docked_at + vc.waiver_life));
  if (fl.firm) {
    schedule_undock(f, std::max(now, std::min(fl.planned_departure, fl.limit)));
    return;
  }
  if (d.flight_line[f] >= 0) {
    // At the epoch a later vehicle of the line may already be aboard: the handover is under way and
    // the vehicle leaves at its planned departure.
    bool replaced = false;
    if (at_epoch)
      for (std::size_t g : line(static_cast<std::size_t>(d.flight_line[f])))
        replaced = replaced || (g < d.docked && order(g) > order(f));
    if (replaced) {
      fl.handed_over = true;
    } else if (later_pending_in_line(f)) {
      wait_for_relief(f);
      return;
    }
  }
  schedule_undock(f, std::max(now, std::min(fl.planned_departure, fl.limit)));
}

void CrewRotation::wait_for_relief(std::size_t f) {
  Flight& fl = c_.flights[f];
  schedule_undock(f, std::max(sim_.now(), fl.limit));
  fl.awaiting = true;
}

// A docking relieves the earlier vehicles of its line; a replacement lifeboat relieves no one (its
// target leaves after the crew transfer instead, take_crew).
void CrewRotation::hand_over_line(std::size_t arriving) {
  const auto& d = d_;
  const int line_id = d.flight_line[arriving];
  if (line_id < 0 || s_.missions[arriving - d.docked].takes_crew_of) return;
  for (std::size_t g : line(static_cast<std::size_t>(line_id))) {
    if (order(g) >= order(arriving)) break;
    Flight& fl = c_.flights[g];
    if (fl.state != FlightState::kDocked || fl.handed_over) continue;
    hand_over(g, arriving, static_cast<std::size_t>(line_id));
  }
}

// Docked vehicle g leaves after its line's handover (none without a line), never past its limit.
void CrewRotation::hand_over(std::size_t g, std::size_t arriving, std::size_t line_id) {
  Flight& fl = c_.flights[g];
  fl.handed_over = true;
  if (fl.real_departure || fl.firm) return;  // a replay keeps its real date, a firm extension its own
  const Time now = sim_.now();
  const double h = line_id < line_rng_.size() ? c_.mode.draw(s_.rotations[line_id].handover, line_rng_[line_id]) : 0.0;
  const Time t = std::max(now, std::min(now + h, fl.limit));
  if (c_.trace)
    c_.note("handover", c_.flight_name(g), "relieved by " + c_.flight_name(arriving) + ", leaves day " + std::to_string(t));
  schedule_undock(g, t);
}

// Replacement f docked: it takes over the crew of `target` if that vehicle is aboard with a crew
// (every person leaves on the vehicle they came on, except for this explicit transfer); the old
// vehicle then leaves uncrewed after its line's handover and is no one's lifeboat from now on.
void CrewRotation::take_crew(std::size_t f, std::size_t target) {
  Flight& old = c_.flights[target];
  if (old.state != FlightState::kDocked || old.decrewed || old.crew.total() == 0) {
    if (c_.trace) c_.note("crew_transfer", c_.flight_name(f), "no crew aboard " + c_.flight_name(target) + ": nothing transferred");
    return;
  }
  Flight& fl = c_.flights[f];
  fl.crew.rs += old.crew.rs;
  fl.crew.usos += old.crew.usos;
  old.crew = {};
  old.uncrewed_at = sim_.now();
  if (c_.trace) c_.note("crew_transfer", c_.flight_name(target), "crew moves to " + c_.flight_name(f));
  if (!old.handed_over) hand_over(target, f, static_cast<std::size_t>(d_.flight_line[target]));
}

void CrewRotation::dock(std::size_t f) {
  const auto& d = d_;
  const Time now = sim_.now();
  Flight& fl = c_.flights[f];
  const std::size_t m = f - d.docked;
  const auto& spec = s_.missions[m];
  const auto& vc = c_.cls(f);
  Rng& rng = st_.queue[m].rng;
  fl.state = FlightState::kDocked;
  fl.docked_at = now;
  fl.crew = spec.crew;
  fl.planned_departure = now + spec.docked_duration;
  if (const double more = st_.responses.extension(f); more > 0.0) {
    fl.planned_departure = std::min(fl.planned_departure + more, now + vc.waiver_life);
    fl.extended = true;
  }
  if (c_.trace) c_.note("dock", spec.id, "port " + s_.ports[static_cast<std::size_t>(fl.port)].type);

  // Departure first: the crew change below may trigger the decrewing policy, which must see the
  // new vehicle's departure as planned, not overwrite it. A replay's real undocking overrides
  // every rule.
  if (spec.undocked) {
    fl.real_departure = true;
    fl.limit = now + (s_.lifeboat == LifeboatPolicy::kReturn && vc.seats > 0 ? vc.certified_life : vc.waiver_life);
    schedule_undock(f, std::max(now, *spec.undocked));
    hand_over_line(f);  // it still relieves the earlier vehicles of its line
  } else if (d.crew_vehicle[f] || d.flight_line[f] >= 0) {
    set_crew_departure(f, false);
    hand_over_line(f);
  } else if (d.flight_rule[f] == DepartureRule::kUntilPortNeeded) {
    fl.vacatable = true;
    fl.limit = now + vc.waiver_life;
    schedule_undock(f, fl.limit);
  } else {
    schedule_undock(f, fl.planned_departure);
  }

  if (spec.takes_crew_of) take_crew(f, *spec.takes_crew_of);

  // Cargo, then supplied use: drawn per mission from its stream, in file order. An amount a
  // response re-manifested is still drawn there (the others' draws stay as they were) and then
  // replaced by a draw from its own (mission, consumable) stream.
  Stocks& stocks = st_.stocks;
  const auto* overrides = st_.responses.cargo_overrides(m);
  auto deliver = [&](std::size_t c, double kg) {
    const double lost = stocks.deliver(c, std::max(0.0, kg));
    if (c_.trace && lost > 0.0)
      c_.note("undelivered", s_.consumables[c].id, std::to_string(lost) + " kg from " + spec.id + " above capacity");
  };
  for (const auto& a : d.mission_cargo[m]) {
    const double kg = c_.mode.draw(a.amount, rng);
    if (!overrides || !override_of(*overrides, a.consumable, false)) deliver(a.consumable, kg);
  }
  if (overrides)
    for (std::size_t c = 0; c < stocks.size(); ++c)
      if (const Distribution* x = override_of(*overrides, c, false))
        deliver(c, st_.responses.draw_override(m, c, *x, false));
  bool supplies = false;
  auto supply = [&](std::size_t c, double kg) {
    stocks.supply(f, c) = kg;
    stocks.add_supplied(c, kg);
    supplies = true;
  };
  for (const auto& a : vc.supplies) {
    const double kg = c_.mode.draw(a.amount, rng);
    if (!overrides || !override_of(*overrides, a.consumable, true)) supply(a.consumable, kg);
  }
  if (overrides)
    for (std::size_t c = 0; c < stocks.size(); ++c)
      if (const Distribution* x = override_of(*overrides, c, true))
        supply(c, st_.responses.draw_override(m, c, *x, true));
  st_.responses.stocks_changed();
  if (spec.crew.total() > 0) {
    crew_changed(spec.crew.rs, spec.crew.usos);
  } else if (supplies) {
    st_.update_rates();
  }
  st_.queue.replan();
}

void CrewRotation::undock(std::size_t f) {
  Flight& fl = c_.flights[f];
  fl.undock_event = {};
  fl.state = FlightState::kGone;
  fl.left_at = sim_.now();
  fl.vacatable = false;
  // A crew vehicle that waited for its replacement up to its limit held its port for good: its
  // leaving frees the port for launches the schedule did not count on.
  const bool freed = fl.awaiting;
  fl.awaiting = false;
  st_.ports.release(f);
  if (c_.trace) c_.note("undock", c_.flight_name(f), fl.decrewed ? "decrewed" : "");
  st_.decrew.undocked(f);
  Stocks& stocks = st_.stocks;
  bool supplies = false;
  for (std::size_t c = 0; c < stocks.size(); ++c) {
    const double kg = stocks.supply(f, c);
    if (kg != 0.0) {
      stocks.add_supplied(c, -kg);
      supplies = true;
    }
  }
  const CrewCount crew = fl.crew;
  fl.crew = {};
  if (crew.total() > 0) crew_changed(-crew.rs, -crew.usos);
  else if (supplies) st_.update_rates();
  if (freed) st_.queue.replan();
}

void CrewRotation::fill_series(Time t) {
  // Day d's value is the crew at the start of day d, before that instant's events.
  const auto days = static_cast<std::size_t>(c_.model.series_days());
  const std::size_t width = s_.consumables.size() + 1;
  const double crew = rs_ + usos_;
  const std::size_t end = days_through(t, days);
  if (!c_.out.keep_series) return;
  double* const series = c_.out.series.data() + (width - 1);
  for (; next_day_ < end; ++next_day_) series[next_day_ * width] = crew;
}

void CrewRotation::crew_changed(int drs, int dusos) {
  fill_series(sim_.now());
  rs_ += drs;
  usos_ += dusos;
  steps_.push_back({sim_.now(), rs_, usos_});
  st_.update_rates();
}

}  // namespace padsim::models::detail
