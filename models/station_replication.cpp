// One replication of the station model (MODEL.md "Pads", "Vehicles and missions", "Crew rotation",
// "Consumables", "Outcomes"). Performance notes: one Simulation per replication; every event is a
// small lambda capturing `this` and an index (no allocation per event); launch eligibility is
// recomputed only at events that can change it (replan()), and a single pending "wake" event sits
// at the earliest moment any mission could launch.
#include "station_replication.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "consumable_stock.hpp"
#include "padsim/models/repair_project.hpp"
#include "padsim/rng.hpp"
#include "padsim/simulation.hpp"
#include "padsim/trace.hpp"
#include "station_derived.hpp"

namespace padsim::models::detail {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Arrival and departure times are sums of doubles (launch + transit vs. an undocking time computed
// as arrival - transit): a port is held at arrival only if its holder leaves more than this later.
constexpr double kTimeEps = 1e-9;

// Equal-time domain order (MODEL.md "Time"): undocking, then consumable bookkeeping, then docking
// (and its delivery), then launches, then repair progress. Trace-only notes come last.
enum Priority : int {
  kUndockPriority = -400,
  kStockPriority = -300,
  kDockPriority = -200,
  kLaunchPriority = -100,
  kRepairPriority = 0,
  kNotePriority = 100,
};

// Streams: every consumable, mission, docked vehicle, pad, launcher, line and repair instance draws
// from its own generator keyed by its id (padsim::stream_key), so a draw added in one place never
// shifts the draws of another, and editing the scenario leaves every other entity's draws as they were.

enum class FlightState : unsigned char { kPending, kInTransit, kDocked, kGone, kLost };

struct Flight {
  FlightState state = FlightState::kPending;
  int port = -1;                 // port type held (in transit or docked)
  Time docked_at = kEmpty;
  Time undock_at = kInf;         // scheduled undocking; +inf: not scheduled
  Time left_at = kEmpty;
  Time limit = kInf;             // latest departure under the lifeboat policy / waiver life
  Time planned_departure = kInf;
  EventId undock_event;
  bool vacatable = false;        // docked until_port_needed: never holds its port against a launch
  bool awaiting = false;         // crew vehicle waiting for its replacement: its undocking is not
                                 // scheduled (it leaves at its limit at the latest), so it holds its
                                 // port against every launch (MODEL.md "Launch")
  bool handed_over = false;      // its replacement docked; departure is set
  bool decrewed = false;
};

struct MissionState {
  Rng rng;
  Time ready = 0.0;  // NET + slip (or the replayed launch date)
  double slip = 0.0;
  bool done = false;  // launched (or failed)
  Time launch_day = kEmpty;
  bool failed = false;
};

struct PadState {
  Rng rng;
  bool up = true;
  Time available_at = 0.0;  // past turnaround and campaign
  Time campaign_end = -kInf;
  Time gate_until = -kInf;
  bool first_pending = false;  // no launch yet since the last repair completed
  double campaign_days = 0.0;  // drawn when the repair starts
  double gate_days = 0.0;
  bool seed_instance = false;
  std::size_t repairs = 0;  // repair instances started, for their streams
  Rng repair_rng;
  RepairOutcome repair;
};

struct ConsumableState {
  ConsumableStock stock;
  double per_crew_day = 0.0;
  double per_day = 0.0;
  double supplied = 0.0;  // by docked vehicles
  double start = 0.0;
  EventId crossing;
  std::size_t next_day = 0;  // series: first day not yet written
};

struct CrewStep {
  Time t;
  int rs, usos;
};

class Replication {
 public:
  Replication(const StationModel& model, std::uint64_t seed, std::uint64_t replication, ReplicationResult& out,
              TraceSink* trace)
      : model_(model), s_(model.spec()), d_(model.derived()), seed_(seed), rep_(replication), out_(out),
        trace_(trace ? &sorted_trace_ : nullptr), final_trace_(trace), mode_{model.spec().deterministic} {}

  void run();

 private:
  // --- set-up
  void draw_per_replication();
  void place_docked_vehicles();
  // --- launches
  void replan();
  void wake();
  Time earliest(std::size_t m) const;
  Time pad_time(std::size_t p, std::size_t m) const;
  Time earliest_arrival(std::size_t m) const;
  Time port_free_from(std::size_t type) const;
  int holding(std::size_t type, Time arrival, bool count_vacatable) const;
  void launch(std::size_t m, std::size_t p, bool forced);
  void assign_port(std::size_t f, bool forced);
  // --- pads
  void start_repair(std::size_t p);
  void repair_complete(std::size_t p);
  // --- station
  void dock(std::size_t f);
  void undock(std::size_t f);
  void schedule_undock(std::size_t f, Time t);
  void set_crew_departure(std::size_t f, bool at_epoch);
  bool later_pending_in_line(std::size_t f) const;
  void hand_over_line(std::size_t arriving);
  void line_lost(std::size_t lost);
  // --- consumables and crew
  void crew_changed(int drs, int dusos);
  void update_rates();
  void fill_stock_series(std::size_t c, Time t);
  void fill_crew_series(Time t);
  void rearm_crossing(std::size_t c);
  void crossing(std::size_t c, int kind);
  void check_decrew();
  // --- results
  void finish();
  void complete_seed_repair();
  void note(const char* event, const std::string& subject, const std::string& details);
  void note_at(Time t, const char* event, const std::string& subject, const std::string& details);
  const std::string& flight_name(std::size_t f) const {
    return f < d_.docked ? s_.docked[f].id : s_.missions[f - d_.docked].id;
  }
  const VehicleClassSpec& cls(std::size_t f) const { return s_.vehicles[d_.flight_class[f]]; }

  const StationModel& model_;
  const StationSpec& s_;
  const StationModel::Derived& d_;
  std::uint64_t seed_, rep_;
  ReplicationResult& out_;
  // A traced replication records into sorted_trace_, so that a repair's task events, known when it
  // completes, take their place in time order; run() hands everything on to final_trace_.
  TraceSink* trace_;
  TraceSink* final_trace_;
  SortingTraceSink sorted_trace_;
  DrawMode mode_;
  Simulation sim_;

  std::vector<PadState> pads_;
  std::vector<Time> stand_down_until_;  // per launcher
  std::vector<Rng> launcher_rng_;
  std::vector<Rng> line_rng_;
  std::vector<Flight> flights_;
  std::vector<MissionState> missions_;
  std::vector<std::size_t> by_ready_;  // missions that follow the launch rule, by ready time
  std::vector<std::vector<std::size_t>> holders_;  // per port type: flights in transit or docked
  mutable std::vector<Time> port_scratch_;  // port_free_from's working space
  std::vector<ConsumableState> stocks_;
  std::vector<double> supplies_;  // flights x consumables: kg/day supplied while docked
  bool live_crossings_ = false;   // crossing events needed (trace or decrewing policy)
  int rs_ = 0, usos_ = 0;
  std::vector<CrewStep> crew_steps_;
  std::size_t crew_next_day_ = 0;
  EventId wake_;
  Time wake_at_ = kInf;
  Time seed_ready_ = kEmpty;
  Time first_launch_ = kEmpty;
  int decrewings_ = 0;
  int decrew_pending_ = 0;
  std::size_t series_width_ = 0;
  std::size_t series_days_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Set-up

void Replication::draw_per_replication() {
  // Starting stocks and rates: once per replication, each consumable from its own stream.
  stocks_.resize(s_.consumables.size());
  for (std::size_t c = 0; c < stocks_.size(); ++c) {
    const auto& spec = s_.consumables[c];
    auto& st = stocks_[c];
    Rng station(seed_, rep_, stream_key("consumable", spec.id));
    double start = mode_.draw(spec.start, station);
    st.per_crew_day = mode_.draw(spec.per_crew_day, station);
    st.per_day = mode_.draw(spec.per_day, station);
    if (spec.start_in_days) start *= d_.nominal_use[c];
    st.start = start;
    if (start > spec.capacity) start = spec.capacity;  // the loader rejects this; a programmatic spec clips
    st.stock = ConsumableStock(std::max(0.0, start), spec.capacity, d_.reserve_kg[c]);
  }
  // Slips: once per replication, each mission from its own stream (later draws: failure, cargo).
  missions_.reserve(d_.missions);
  for (std::size_t m = 0; m < d_.missions; ++m) {
    const auto& spec = s_.missions[m];
    missions_.push_back({Rng(seed_, rep_, stream_key("mission", spec.id))});
    auto& ms = missions_.back();
    ms.slip = mode_.draw(spec.slip, ms.rng);
    ms.ready = spec.launched ? *spec.launched : spec.net + ms.slip;
  }
}

void Replication::place_docked_vehicles() {
  for (std::size_t f = 0; f < d_.docked; ++f) {
    const auto& e = s_.docked[f];
    Flight& fl = flights_[f];
    fl.state = FlightState::kDocked;
    fl.docked_at = e.docked;
    fl.planned_departure = e.departure;
    fl.port = static_cast<int>(e.port.value_or(cls(f).ports.front()));
    holders_[static_cast<std::size_t>(fl.port)].push_back(f);
    rs_ += e.crew.rs;
    usos_ += e.crew.usos;
    // Use supplied while docked: drawn per vehicle, from the vehicle's own stream.
    Rng rng(seed_, rep_, stream_key("docked", e.id));
    for (const auto& a : cls(f).supplies) supplies_[f * stocks_.size() + a.consumable] = mode_.draw(a.amount, rng);
    for (std::size_t c = 0; c < stocks_.size(); ++c) stocks_[c].supplied += supplies_[f * stocks_.size() + c];
  }
  // Departures once every vehicle is aboard: a crew vehicle's rule depends on its line.
  for (std::size_t f = 0; f < d_.docked; ++f) {
    const auto& e = s_.docked[f];
    Flight& fl = flights_[f];
    const auto& vc = cls(f);
    if (e.undocked) {
      fl.limit = fl.docked_at + (s_.lifeboat == LifeboatPolicy::kReturn && vc.seats > 0 ? vc.certified_life : vc.waiver_life);
      schedule_undock(f, std::max(0.0, *e.undocked));
    } else if (d_.crew_vehicle[f] || d_.flight_line[f] >= 0) {
      set_crew_departure(f, true);
    } else if (d_.flight_rule[f] == DepartureRule::kUntilPortNeeded) {
      fl.vacatable = true;
      fl.limit = fl.docked_at + vc.waiver_life;
      schedule_undock(f, std::max(0.0, fl.limit));
    } else {
      schedule_undock(f, std::max(0.0, e.departure));
    }
    if (trace_) note_at(0.0, "docked", flight_name(f), "at the epoch, port " + s_.ports[static_cast<std::size_t>(fl.port)].type);
  }
}

void Replication::run() {
  const std::size_t nc = s_.consumables.size();
  series_width_ = nc + 1;
  series_days_ = static_cast<std::size_t>(model_.series_days());
  out_.outcomes.assign(model_.outcomes().size(), kEmpty);
  out_.inputs.assign(model_.inputs().size(), kEmpty);
  reset_task_table(out_, model_.task_names().size());
  out_.series.assign(series_days_ * series_width_, kEmpty);
  live_crossings_ = trace_ != nullptr || s_.decrew.enabled;

  flights_.resize(d_.flights());
  holders_.assign(s_.ports.size(), {});
  for (auto& h : holders_) h.reserve(8);
  supplies_.assign(d_.flights() * nc, 0.0);
  crew_steps_.reserve(2 * d_.flights() + 2);
  draw_per_replication();

  stand_down_until_.assign(s_.launchers.size(), -kInf);
  launcher_rng_.reserve(s_.launchers.size());
  for (std::size_t l = 0; l < s_.launchers.size(); ++l) launcher_rng_.emplace_back(seed_, rep_, stream_key("launcher", s_.launchers[l].id));
  line_rng_.reserve(s_.rotations.size());
  for (std::size_t r = 0; r < s_.rotations.size(); ++r) line_rng_.emplace_back(seed_, rep_, stream_key("rotation", s_.rotations[r].id));

  place_docked_vehicles();
  crew_steps_.push_back({0.0, rs_, usos_});
  update_rates();
  if (trace_)
    for (std::size_t c = 0; c < nc; ++c) {
      const auto& st = stocks_[c].stock;
      if (st.value_at(0.0) < st.reserve()) note_at(0.0, "below_reserve", s_.consumables[c].id, "at the epoch");
    }

  pads_.reserve(s_.pads.size());
  for (std::size_t p = 0; p < s_.pads.size(); ++p) {
    pads_.push_back({Rng(seed_, rep_, stream_key("pad", s_.pads[p].id)), true, 0.0, -kInf, -kInf, false, 0.0, 0.0, false,
                     0, Rng(seed_, rep_, repair_stream(s_.pads[p].id, 0)), {}});
  }
  if (d_.seed_pad < pads_.size() && !s_.pads[d_.seed_pad].down_at_epoch) seed_ready_ = 0.0;
  for (std::size_t p = 0; p < s_.pads.size(); ++p)
    if (s_.pads[p].down_at_epoch) start_repair(p);

  // Replayed launches happen on their date whatever the rules say; the rest follow the launch rule.
  by_ready_.reserve(d_.missions);
  for (std::size_t m = 0; m < d_.missions; ++m) {
    if (s_.missions[m].launched) {
      if (*s_.missions[m].launched <= s_.horizon)
        sim_.schedule_at(*s_.missions[m].launched, [this, m] {
          const auto& pads = d_.mission_pads[m];
          launch(m, pads.empty() ? static_cast<std::size_t>(-1) : pads.front(), true);
          replan();
        }, kLaunchPriority);
    } else {
      by_ready_.push_back(m);
    }
  }
  // Ties keep file order, which the pad's queue uses as its last key.
  std::stable_sort(by_ready_.begin(), by_ready_.end(),
                   [this](std::size_t a, std::size_t b) { return missions_[a].ready < missions_[b].ready; });

  replan();
  sim_.run_until(s_.horizon);
  finish();
  complete_seed_repair();
  if (final_trace_) sorted_trace_.flush_to(*final_trace_);
}

// Task statistics (tasks.csv) and duration inputs cover every replication, as in the repair-only
// model: a seed repair still running at the horizon is run on to its end. Every outcome is already
// fixed at the horizon, and nothing after it is traced; launches are never planned past the
// horizon, so the events that remain are the repair's and a few departures.
void Replication::complete_seed_repair() {
  if (d_.seed_pad >= pads_.size() || !pads_[d_.seed_pad].seed_instance) return;
  trace_ = nullptr;
  while (pads_[d_.seed_pad].seed_instance && sim_.step()) {
  }
  for (std::size_t t = 0; t < d_.seed_tasks; ++t) out_.inputs[t] = duration_input(task_record(out_.tables[kTaskTable], t));
}

// ---------------------------------------------------------------------------------------------
// Launch rule

// Earliest arrival at which a port of type `type` is free, under the current schedule: vehicles in
// transit and docked vehicles without a scheduled undocking (a crew vehicle waiting for its
// replacement, although it will leave at its limit) hold their port for good, the others
// until their undocking (which frees the port for a docking at that moment). until_port_needed
// vehicles never hold a port against a launch.
Time Replication::port_free_from(std::size_t type) const {
  const auto count = static_cast<std::size_t>(s_.ports[type].count);
  std::vector<Time>& until = port_scratch_;  // reused: no allocation once warm
  until.clear();
  for (std::size_t f : holders_[type]) {
    const Flight& fl = flights_[f];
    if (fl.vacatable) continue;
    until.push_back(fl.state == FlightState::kInTransit || fl.awaiting ? kInf : fl.undock_at);
  }
  if (until.size() < count) return -kInf;
  // Free once all but count-1 holders have left: the (n - count + 1)-th smallest departure.
  const auto nth = until.begin() + static_cast<std::ptrdiff_t>(until.size() - count);
  std::nth_element(until.begin(), nth, until.end());
  return *nth;
}

Time Replication::earliest_arrival(std::size_t m) const {
  Time best = kInf;
  for (std::size_t type : s_.vehicles[s_.missions[m].vehicle].ports) best = std::min(best, port_free_from(type));
  return best;
}

// Earliest launch from pad p by its own rules: up, past turnaround and campaign; crewed missions
// also past the uncrewed-first rule (until max_wait) and the crewed gate.
Time Replication::pad_time(std::size_t p, std::size_t m) const {
  const PadState& pad = pads_[p];
  if (!pad.up) return kInf;
  Time t = pad.available_at;
  if (d_.mission_crewed[m]) {
    const auto& rules = s_.pads[p].after_repair;
    if (pad.first_pending && rules.first_launch_uncrewed) t = std::max(t, pad.campaign_end + rules.max_wait);
    t = std::max(t, pad.gate_until);
  }
  return t;
}

Time Replication::earliest(std::size_t m) const {
  const auto& spec = s_.missions[m];
  const auto& vc = s_.vehicles[spec.vehicle];
  Time t = std::max({sim_.now(), missions_[m].ready, stand_down_until_[vc.launcher]});
  Time pad = kInf;
  for (std::size_t p : d_.mission_pads[m]) pad = std::min(pad, pad_time(p, m));
  t = std::max(t, pad);
  if (t == kInf) return kInf;
  const Time arrival = earliest_arrival(m);
  if (arrival == kInf) return kInf;
  return std::max(t, arrival - vc.transit);
}

// Re-evaluated only after events that can change eligibility: launches, dockings, scheduled
// departures, repairs, failures. Missions are visited by ready time, so the scan stops at the first
// mission that cannot be ready before the best moment found.
void Replication::replan() {
  Time best = kInf;
  for (std::size_t m : by_ready_) {
    const MissionState& ms = missions_[m];
    if (ms.done) continue;
    if (ms.ready >= best) break;
    best = std::min(best, earliest(m));
  }
  if (best > s_.horizon) best = kInf;
  if (best == wake_at_ && sim_.is_pending(wake_)) return;
  sim_.cancel(wake_);
  wake_at_ = best;
  if (best < kInf) wake_ = sim_.schedule_at(best, [this] { wake(); }, kLaunchPriority);
}

// Work-conserving shared pads: at this moment each pad (in file order) takes, among the missions
// that can launch from it now, the lowest priority number, then the earliest NET, then file order.
// A mission that cannot launch yet never holds the pad.
void Replication::wake() {
  wake_at_ = kInf;
  const Time now = sim_.now();
  bool launched = true;
  while (launched) {
    launched = false;
    for (std::size_t p = 0; p < pads_.size(); ++p) {
      const auto& rules = s_.pads[p].after_repair;
      const bool uncrewed_first = pads_[p].first_pending && rules.first_launch_uncrewed;
      std::size_t best = static_cast<std::size_t>(-1);
      bool best_uncrewed = false;
      for (std::size_t m : by_ready_) {
        const MissionState& ms = missions_[m];
        if (ms.ready > now) break;
        if (ms.done) continue;
        const auto& pads = d_.mission_pads[m];
        if (std::find(pads.begin(), pads.end(), p) == pads.end()) continue;
        const auto& vc = s_.vehicles[s_.missions[m].vehicle];
        if (stand_down_until_[vc.launcher] > now || pad_time(p, m) > now) continue;
        if (earliest_arrival(m) - vc.transit > now) continue;
        const bool uncrewed = !d_.mission_crewed[m];
        bool better = best == static_cast<std::size_t>(-1);
        if (!better) {
          // The first launch after a repair goes to an uncrewed mission whenever one is ready:
          // after max_wait a crewed mission may take it only if none is.
          if (uncrewed_first && uncrewed != best_uncrewed) {
            better = uncrewed;
          } else {
            const auto& a = s_.missions[m];
            const auto& b = s_.missions[best];
            better = a.priority < b.priority || (a.priority == b.priority && (a.net < b.net || (a.net == b.net && m < best)));
          }
        }
        if (better) {
          best = m;
          best_uncrewed = uncrewed;
        }
      }
      if (best != static_cast<std::size_t>(-1)) {
        launch(best, p, false);
        launched = true;
      }
    }
  }
  replan();
}

// Ports of `type` held at `arrival` (a holder leaving at x frees it for a docking at x).
int Replication::holding(std::size_t type, Time arrival, bool count_vacatable) const {
  int n = 0;
  for (std::size_t f : holders_[type]) {
    const Flight& fl = flights_[f];
    if (fl.vacatable && !count_vacatable) continue;
    const Time u = fl.state == FlightState::kInTransit || fl.awaiting ? kInf : fl.undock_at;
    if (u > arrival + kTimeEps) ++n;
  }
  return n;
}

// The first listed port type free on arrival; failing that, the first whose until_port_needed
// occupant can leave (the earliest-docked one is scheduled to leave now, at the launch). A replayed
// launch always docks: with no port at all it takes the class's first type.
void Replication::assign_port(std::size_t f, bool forced) {
  const auto& vc = cls(f);
  const Time arrival = sim_.now() + vc.transit;
  int chosen = -1;
  for (std::size_t type : vc.ports)
    if (holding(type, arrival, true) < s_.ports[type].count) {
      chosen = static_cast<int>(type);
      break;
    }
  if (chosen < 0) {
    for (std::size_t type : vc.ports) {
      if (holding(type, arrival, false) >= s_.ports[type].count) continue;
      std::size_t leaver = static_cast<std::size_t>(-1);
      for (std::size_t g : holders_[type]) {
        const Flight& fl = flights_[g];
        if (!fl.vacatable || fl.undock_at <= arrival + kTimeEps) continue;
        if (leaver == static_cast<std::size_t>(-1) || fl.docked_at < flights_[leaver].docked_at) leaver = g;
      }
      if (leaver == static_cast<std::size_t>(-1)) continue;
      flights_[leaver].vacatable = false;
      schedule_undock(leaver, sim_.now());
      if (trace_) note("vacate", flight_name(leaver), "port needed by " + flight_name(f));
      chosen = static_cast<int>(type);
      break;
    }
  }
  if (chosen < 0) {
    if (!forced) throw SimulationError("station: launch of " + flight_name(f) + " found no port (internal error)");
    chosen = static_cast<int>(vc.ports.front());
  }
  flights_[f].port = chosen;
  holders_[static_cast<std::size_t>(chosen)].push_back(f);
}

void Replication::launch(std::size_t m, std::size_t p, bool forced) {
  const Time now = sim_.now();
  const auto& spec = s_.missions[m];
  const auto& vc = s_.vehicles[spec.vehicle];
  MissionState& ms = missions_[m];
  const std::size_t f = d_.docked + m;
  ms.done = true;
  ms.launch_day = now;

  if (p < pads_.size()) {
    PadState& pad = pads_[p];
    if (pad.first_pending) {
      // The gate counts from the first launch attempt after the repair; that launch itself is not
      // gated, whatever it carries.
      pad.first_pending = false;
      pad.gate_until = now + pad.gate_days;
      if (trace_ && pad.gate_days > 0.0)
        sim_.schedule_at(pad.gate_until, [this, p] { note("gate_open", s_.pads[p].id, "crewed launches allowed"); }, kNotePriority);
    }
    // The first launch attempt after the seed repair. When the seed pad starts up (no-incident
    // variant), the launch at the epoch itself (the incident launch's replay) is not counted.
    if (p == d_.seed_pad && !std::isnan(seed_ready_) && std::isnan(first_launch_) &&
        (s_.pads[p].down_at_epoch || now > 0.0))
      first_launch_ = now;
    // Per launch, from the pad's stream: turnaround, then damage.
    pad.available_at = std::max(pad.available_at, now + mode_.draw(s_.pads[p].turnaround, pad.rng));
    const bool damaged = mode_.happens(s_.pads[p].damage_probability, pad.rng);
    if (damaged && !forced) {
      if (trace_) note("pad_down", s_.pads[p].id, "damaged by the launch of " + spec.id);
      start_repair(p);
    }
  }
  // The port is taken at the launch, before its outcome is known: an until_port_needed vehicle
  // vacated for it stays vacated even if the launch fails (MODEL.md "Vehicles and missions").
  flights_[f].state = FlightState::kInTransit;
  assign_port(f, forced);
  // Per mission, from its stream: failure (drawn even for a replay, to keep the stream aligned).
  const bool failed = mode_.happens(vc.failure_probability, ms.rng) && !forced;
  if (failed) {
    ms.failed = true;
    flights_[f].state = FlightState::kLost;
    auto& h = holders_[static_cast<std::size_t>(flights_[f].port)];
    h.erase(std::find(h.begin(), h.end(), f));
    flights_[f].port = -1;
    const std::size_t l = vc.launcher;
    const double days = mode_.draw(s_.launchers[l].stand_down, launcher_rng_[l]);
    // A new failure during a stand-down extends it.
    stand_down_until_[l] = std::max(stand_down_until_[l], now + days);
    if (trace_) {
      note("launch_failure", spec.id, "vehicle and cargo lost, crew safe; " + s_.launchers[l].id + " stands down");
      note("stand_down", s_.launchers[l].id, "until day " + std::to_string(stand_down_until_[l]));
    }
    line_lost(f);
    return;
  }
  if (trace_)
    note("launch", spec.id,
         std::string(p < pads_.size() ? "from " + s_.pads[p].id : std::string("replayed")) + ", slip " +
             std::to_string(now - spec.net) + " d, to port " + s_.ports[static_cast<std::size_t>(flights_[f].port)].type);
  sim_.schedule_at(now + vc.transit, [this, f] { dock(f); }, kDockPriority);
}

// ---------------------------------------------------------------------------------------------
// Pads

void Replication::start_repair(std::size_t p) {
  PadState& pad = pads_[p];
  const auto& spec = s_.pads[p];
  pad.up = false;
  pad.first_pending = false;
  // Campaign and gate belong to the repair instance: drawn when it starts, from the pad's stream.
  pad.campaign_days = mode_.draw(spec.after_repair.campaign, pad.rng);
  pad.gate_days = mode_.draw(spec.after_repair.crewed_gate, pad.rng);
  // Every repair instance draws from its own stream, keyed per pad exactly as the repair-only
  // model keys them (repair_stream), so a station scenario's pad_ready_day equals the repair-only
  // model's for the same seed.
  pad.seed_instance = p == d_.seed_pad && pad.repairs == 0 && sim_.now() == 0.0 && spec.down_at_epoch;
  pad.repair_rng = Rng(seed_, rep_, repair_stream(spec.id, pad.repairs++));
  spec.repair->start(sim_, pad.repair_rng, mode_, pad.repair, [this, p] { repair_complete(p); }, kRepairPriority);
}

void Replication::repair_complete(std::size_t p) {
  PadState& pad = pads_[p];
  const Time now = sim_.now();
  pad.up = true;
  pad.first_pending = true;
  pad.gate_until = -kInf;
  pad.campaign_end = now + pad.campaign_days;
  pad.available_at = std::max(pad.available_at, pad.campaign_end);
  if (pad.seed_instance) {
    seed_ready_ = now;
    for (std::size_t i = 0; i < d_.seed_tasks && i < pad.repair.tasks.size(); ++i) set_task_record(out_.tables[kTaskTable], i, pad.repair.tasks[i]);
    pad.seed_instance = false;
  }
  if (trace_) {
    s_.pads[p].repair->trace_tasks(pad.repair, s_.pads[p].id, *trace_);
    note("pad_ready", s_.pads[p].id, "repair complete; campaign " + std::to_string(pad.campaign_days) + " d");
    if (pad.campaign_end <= s_.horizon)
      sim_.schedule_at(pad.campaign_end, [this, p] { note("campaign_end", s_.pads[p].id, "ready for its first launch"); },
                       kNotePriority);
  }
  replan();
}

// ---------------------------------------------------------------------------------------------
// Dockings, departures, crew rotation

void Replication::schedule_undock(std::size_t f, Time t) {
  Flight& fl = flights_[f];
  fl.awaiting = false;  // its undocking is now scheduled (set_crew_departure sets it again after)
  sim_.cancel(fl.undock_event);
  fl.undock_event = {};
  fl.undock_at = t;
  if (t <= s_.horizon) fl.undock_event = sim_.schedule_at(t, [this, f] { undock(f); }, kUndockPriority);
}

bool Replication::later_pending_in_line(std::size_t f) const {
  const auto& line = d_.line_flights[static_cast<std::size_t>(d_.flight_line[f])];
  for (std::size_t k = d_.line_order[f] + 1; k < line.size(); ++k) {
    const FlightState st = flights_[line[k]].state;
    if (st == FlightState::kPending || st == FlightState::kInTransit) return true;
  }
  return false;
}

// A crew vehicle stays until a later vehicle of its line docks (then the handover), at most to its
// limit; with no later mission left to fly it leaves at its planned departure (never past its limit).
void Replication::set_crew_departure(std::size_t f, bool at_epoch) {
  Flight& fl = flights_[f];
  const auto& vc = cls(f);
  const double life = s_.lifeboat == LifeboatPolicy::kReturn && vc.seats > 0 ? vc.certified_life : vc.waiver_life;
  fl.limit = fl.docked_at + life;
  const Time now = sim_.now();
  if (d_.flight_line[f] >= 0) {
    // At the epoch a later vehicle of the line may already be aboard: the handover is under way and
    // the vehicle leaves at its planned departure.
    bool replaced = false;
    if (at_epoch)
      for (std::size_t g : d_.line_flights[static_cast<std::size_t>(d_.flight_line[f])])
        replaced = replaced || (g < d_.docked && d_.line_order[g] > d_.line_order[f]);
    if (replaced) {
      fl.handed_over = true;
    } else if (later_pending_in_line(f)) {
      schedule_undock(f, std::max(now, fl.limit));
      fl.awaiting = true;
      return;
    }
  }
  schedule_undock(f, std::max(now, std::min(fl.planned_departure, fl.limit)));
}

void Replication::hand_over_line(std::size_t arriving) {
  const int line = d_.flight_line[arriving];
  if (line < 0) return;
  for (std::size_t g : d_.line_flights[static_cast<std::size_t>(line)]) {
    if (d_.line_order[g] >= d_.line_order[arriving]) break;
    Flight& fl = flights_[g];
    if (fl.state != FlightState::kDocked || fl.handed_over) continue;
    fl.handed_over = true;
    if (g < d_.docked && s_.docked[g].undocked) continue;  // a replay keeps its real date
    const double h = mode_.draw(s_.rotations[static_cast<std::size_t>(line)].handover, line_rng_[static_cast<std::size_t>(line)]);
    const Time t = std::max(sim_.now(), std::min(sim_.now() + h, fl.limit));
    if (trace_) note("handover", flight_name(g), "relieved by " + flight_name(arriving) + ", leaves day " + std::to_string(t));
    schedule_undock(g, t);
  }
}

// A lost mission is no one's replacement: vehicles of its line that were waiting for it and now
// have no later mission left leave at their planned departure.
void Replication::line_lost(std::size_t lost) {
  const int line = d_.flight_line[lost];
  if (line < 0) return;
  bool changed = false;
  for (std::size_t g : d_.line_flights[static_cast<std::size_t>(line)]) {
    if (d_.line_order[g] >= d_.line_order[lost]) break;
    Flight& fl = flights_[g];
    if (fl.state != FlightState::kDocked || fl.handed_over || fl.decrewed) continue;
    if (g < d_.docked && s_.docked[g].undocked) continue;
    if (later_pending_in_line(g)) continue;
    schedule_undock(g, std::max(sim_.now(), std::min(fl.planned_departure, fl.limit)));
    changed = true;
  }
  if (changed) replan();
}

void Replication::dock(std::size_t f) {
  const Time now = sim_.now();
  Flight& fl = flights_[f];
  const std::size_t m = f - d_.docked;
  const auto& spec = s_.missions[m];
  const auto& vc = cls(f);
  MissionState& ms = missions_[m];
  fl.state = FlightState::kDocked;
  fl.docked_at = now;
  fl.planned_departure = now + spec.docked_duration;
  if (trace_) note("dock", spec.id, "port " + s_.ports[static_cast<std::size_t>(fl.port)].type);

  // Departure first: the crew change below may trigger the decrewing policy, which must see the
  // new vehicle's departure as planned, not overwrite it.
  if (d_.crew_vehicle[f] || d_.flight_line[f] >= 0) {
    set_crew_departure(f, false);
    hand_over_line(f);
  } else if (d_.flight_rule[f] == DepartureRule::kUntilPortNeeded) {
    fl.vacatable = true;
    fl.limit = now + vc.waiver_life;
    schedule_undock(f, fl.limit);
  } else {
    schedule_undock(f, fl.planned_departure);
  }

  // Cargo, then supplied use: drawn per mission from its stream, in file order.
  const std::size_t nc = stocks_.size();
  for (const auto& a : d_.mission_cargo[m]) {
    const double kg = std::max(0.0, mode_.draw(a.amount, ms.rng));
    ConsumableState& st = stocks_[a.consumable];
    fill_stock_series(a.consumable, now);
    const double lost = st.stock.deliver(now, kg);
    if (trace_ && lost > 0.0)
      note("undelivered", s_.consumables[a.consumable].id, std::to_string(lost) + " kg from " + spec.id + " above capacity");
    if (live_crossings_) rearm_crossing(a.consumable);
  }
  bool supplies = false;
  for (const auto& a : vc.supplies) {
    const double kg = mode_.draw(a.amount, ms.rng);
    supplies_[f * nc + a.consumable] = kg;
    stocks_[a.consumable].supplied += kg;
    supplies = true;
  }
  if (spec.crew.total() > 0) {
    crew_changed(spec.crew.rs, spec.crew.usos);
  } else if (supplies) {
    update_rates();
  }
  replan();
}

void Replication::undock(std::size_t f) {
  Flight& fl = flights_[f];
  fl.undock_event = {};
  fl.state = FlightState::kGone;
  fl.left_at = sim_.now();
  fl.vacatable = false;
  // A crew vehicle that waited for its replacement up to its limit held its port for good: its
  // leaving frees the port for launches the schedule did not count on.
  const bool freed = fl.awaiting;
  fl.awaiting = false;
  auto& h = holders_[static_cast<std::size_t>(fl.port)];
  h.erase(std::find(h.begin(), h.end(), f));
  if (trace_) note("undock", flight_name(f), fl.decrewed ? "decrewed" : "");
  if (fl.decrewed) --decrew_pending_;
  const std::size_t nc = stocks_.size();
  bool supplies = false;
  for (std::size_t c = 0; c < nc; ++c) {
    const double kg = supplies_[f * nc + c];
    if (kg != 0.0) {
      stocks_[c].supplied -= kg;
      supplies = true;
    }
  }
  const CrewCount& crew = d_.flight_crew[f];
  if (crew.total() > 0) crew_changed(-crew.rs, -crew.usos);
  else if (supplies) update_rates();
  if (freed) replan();
}

// ---------------------------------------------------------------------------------------------
// Crew and consumables

void Replication::fill_crew_series(Time t) {
  // Day d's value is the crew at the start of day d, before that instant's events.
  const double crew = rs_ + usos_;
  while (crew_next_day_ < series_days_ && static_cast<double>(crew_next_day_) <= t)
    out_.series[crew_next_day_++ * series_width_ + (series_width_ - 1)] = crew;
}

void Replication::fill_stock_series(std::size_t c, Time t) {
  ConsumableState& st = stocks_[c];
  while (st.next_day < series_days_ && static_cast<double>(st.next_day) <= t) {
    out_.series[st.next_day * series_width_ + c] = st.stock.value_at(static_cast<double>(st.next_day));
    ++st.next_day;
  }
}

void Replication::crew_changed(int drs, int dusos) {
  fill_crew_series(sim_.now());
  rs_ += drs;
  usos_ += dusos;
  crew_steps_.push_back({sim_.now(), rs_, usos_});
  update_rates();
}

void Replication::update_rates() {
  const Time now = sim_.now();
  const double crew = rs_ + usos_;
  for (std::size_t c = 0; c < stocks_.size(); ++c) {
    ConsumableState& st = stocks_[c];
    // Docked vehicles supply part of the fixed use, never more than all of it.
    const double rate = -(st.per_crew_day * crew + std::max(0.0, st.per_day - st.supplied));
    if (rate == st.stock.rate()) continue;
    fill_stock_series(c, now);
    st.stock.set_rate(now, rate);
    if (live_crossings_) rearm_crossing(c);
  }
  check_decrew();
}

// Live crossing events (only when traced or when the decrewing policy watches the stock): the next
// of reserve (kind 0), zero (1) and the policy's trigger (2).
void Replication::rearm_crossing(std::size_t c) {
  ConsumableState& st = stocks_[c];
  sim_.cancel(st.crossing);
  st.crossing = {};
  Time best = kInf;
  int kind = -1;
  auto consider = [&](double threshold, int k) {
    const Time t = st.stock.crossing(threshold, sim_.now());
    if (t < best) {
      best = t;
      kind = k;
    }
  };
  if (trace_) {
    consider(st.stock.reserve(), 0);
    consider(0.0, 1);
  }
  const auto& pol = s_.decrew;
  if (pol.enabled && std::find(pol.consumables.begin(), pol.consumables.end(), c) != pol.consumables.end())
    consider(pol.days * -st.stock.rate(), 2);
  if (kind >= 0 && best <= s_.horizon)
    st.crossing = sim_.schedule_at(best, [this, c, kind] { crossing(c, kind); }, kStockPriority);
}

void Replication::crossing(std::size_t c, int kind) {
  ConsumableState& st = stocks_[c];
  st.crossing = {};
  fill_stock_series(c, sim_.now());
  if (trace_ && kind == 0) note("below_reserve", s_.consumables[c].id, std::to_string(st.stock.reserve()) + " kg reserve");
  if (trace_ && kind == 1) note("at_zero", s_.consumables[c].id, "demand unmet");
  rearm_crossing(c);
  if (kind == 2) check_decrew();
}

// MODEL.md "Consumables", contingency policy: while a watched stock is below `days` of supply at the
// current crew, the crew whose vehicle has the earliest planned departure (then earliest docking)
// leaves, one vehicle at a time, never taking the station below the policy's minimum.
void Replication::check_decrew() {
  const auto& pol = s_.decrew;
  if (!pol.enabled || decrew_pending_ > 0) return;
  const Time now = sim_.now();
  std::size_t trigger = static_cast<std::size_t>(-1);
  for (std::size_t c : pol.consumables) {
    const double use = -stocks_[c].stock.rate();
    if (use <= 0.0) continue;
    if (stocks_[c].stock.value_at(now) < pol.days * use * (1.0 + 1e-12)) {
      trigger = c;
      break;
    }
  }
  if (trigger == static_cast<std::size_t>(-1)) return;
  std::size_t pick = static_cast<std::size_t>(-1);
  for (std::size_t f = 0; f < flights_.size(); ++f) {
    const Flight& fl = flights_[f];
    if (fl.state != FlightState::kDocked || fl.decrewed || d_.flight_crew[f].total() == 0 || fl.undock_at <= now) continue;
    if (pick == static_cast<std::size_t>(-1) || fl.planned_departure < flights_[pick].planned_departure ||
        (fl.planned_departure == flights_[pick].planned_departure && fl.docked_at < flights_[pick].docked_at))
      pick = f;
  }
  if (pick == static_cast<std::size_t>(-1)) return;
  if (rs_ + usos_ - d_.flight_crew[pick].total() < pol.min_crew) return;
  flights_[pick].decrewed = true;
  ++decrewings_;
  ++decrew_pending_;
  if (trace_) note("decrew", flight_name(pick), s_.consumables[trigger].id + " below " + std::to_string(pol.days) + " days of supply");
  schedule_undock(pick, now);
  replan();
}

// ---------------------------------------------------------------------------------------------
// Results

void Replication::finish() {
  const Time H = s_.horizon;
  const auto& x = model_.index();
  auto& o = out_.outcomes;
  o[x.pad_ready_day] = seed_ready_;
  o[x.first_launch_day] = first_launch_;
  for (std::size_t m = 0; m < d_.missions; ++m) {
    const MissionState& ms = missions_[m];
    if (std::isnan(ms.launch_day)) continue;
    o[x.missions[m].launch_day] = ms.launch_day;
    o[x.missions[m].slip] = ms.launch_day - s_.missions[m].net;
    o[x.missions[m].failed] = ms.failed ? 1.0 : 0.0;
  }

  // Days beyond certified life, over crew vehicles, within [epoch, horizon].
  double beyond = 0.0;
  for (std::size_t f = 0; f < flights_.size(); ++f) {
    const Flight& fl = flights_[f];
    if (!d_.crew_vehicle[f] || std::isnan(fl.docked_at)) continue;
    const Time end = fl.state == FlightState::kGone ? fl.left_at : H;
    beyond += std::max(0.0, std::min(end, H) - std::max(0.0, fl.docked_at + cls(f).certified_life));
  }
  o[x.days_beyond_certified] = beyond;
  o[x.beyond_certified] = beyond > 0.0 ? 1.0 : 0.0;

  // Crew: sweep the actual steps against the planned steps over [0, H].
  double lost = 0.0, below_rs = 0.0, below_usos = 0.0, below_station = 0.0;
  {
    const auto& plan = d_.planned_crew_steps;
    std::size_t i = 0, j = 0;
    int planned = 0;
    CrewStep actual = crew_steps_.front();
    Time t = 0.0;
    while (i < plan.size() && plan[i].first <= 0.0) planned += plan[i++].second;
    while (j + 1 < crew_steps_.size() && crew_steps_[j + 1].t <= 0.0) actual = crew_steps_[++j];
    while (t < H) {
      const Time next = std::min({H, i < plan.size() ? plan[i].first : H, j + 1 < crew_steps_.size() ? crew_steps_[j + 1].t : H});
      const double dt = next - t;
      const int n = actual.rs + actual.usos;
      lost += std::max(0, planned - n) * dt;
      if (actual.rs < s_.min_crew_rs) below_rs += dt;
      if (actual.usos < s_.min_crew_usos) below_usos += dt;
      if (n < s_.min_crew) below_station += dt;
      t = next;
      while (i < plan.size() && plan[i].first <= t) planned += plan[i++].second;
      while (j + 1 < crew_steps_.size() && crew_steps_[j + 1].t <= t) actual = crew_steps_[++j];
    }
  }
  o[x.below_min_rs] = below_rs;
  o[x.below_min_usos] = below_usos;
  o[x.below_min_station] = below_station;
  o[x.below_min_crew] = below_rs + below_usos + below_station > 0.0 ? 1.0 : 0.0;
  o[x.crew_days_lost] = lost;
  o[x.decrewings] = decrewings_;
  fill_crew_series(H);

  for (std::size_t c = 0; c < stocks_.size(); ++c) {
    fill_stock_series(c, H);
    ConsumableStock& st = stocks_[c].stock;
    st.settle(H);
    const auto& ci = x.consumables[c];
    o[ci.min_level] = st.minimum();
    o[ci.days_below_reserve] = st.days_below_reserve();
    o[ci.days_at_zero] = st.days_at_zero();
    o[ci.undelivered] = st.undelivered();
    o[ci.unmet] = st.unmet();
    o[ci.below_reserve] = std::isnan(st.first_below_reserve()) ? 0.0 : 1.0;
    o[ci.at_zero] = std::isnan(st.first_zero()) ? 0.0 : 1.0;
    o[ci.reserve_day] = st.first_below_reserve();
  }

  // Inputs, in the order StationModel::inputs() lists them.
  std::size_t k = 0;
  for (std::size_t t = 0; t < d_.seed_tasks; ++t) out_.inputs[k++] = duration_input(task_record(out_.tables[kTaskTable], t));
  for (std::size_t m = 0; m < d_.missions; ++m)
    if (!s_.missions[m].launched && !s_.missions[m].slip.is_fixed()) out_.inputs[k++] = missions_[m].slip;
  for (std::size_t c = 0; c < stocks_.size(); ++c) {
    const auto& spec = s_.consumables[c];
    if (!spec.per_crew_day.is_fixed() || !spec.per_day.is_fixed())
      out_.inputs[k++] = stocks_[c].per_crew_day * s_.nominal_crew + stocks_[c].per_day;
    if (!spec.start.is_fixed()) out_.inputs[k++] = stocks_[c].start;
  }
}

void Replication::note(const char* event, const std::string& subject, const std::string& details) {
  trace_->event(sim_.now(), event, subject, details);
}

void Replication::note_at(Time t, const char* event, const std::string& subject, const std::string& details) {
  trace_->event(t, event, subject, details);
}

}  // namespace

void run_station_replication(const StationModel& model, std::uint64_t seed, std::uint64_t replication,
                             ReplicationResult& out, TraceSink* trace) {
  Replication(model, seed, replication, out, trace).run();
}

}  // namespace padsim::models::detail
