#pragma once
// Private to padsim::models: what every component of one station replication shares (docs/model.md
// "Time"): the scenario, the Simulation, the draw mode, the result row, the trace, and the flights
// (docked vehicles and missions, each a Flight that the launch queue, the ports and the crew
// rotation move through its states).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "padsim/models/station.hpp"
#include "padsim/rng.hpp"
#include "padsim/simulation.hpp"
#include "padsim/trace.hpp"
#include "recycled.hpp"
#include "station_derived.hpp"

namespace padsim::models::detail {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
// Arrival and departure times are sums of doubles (launch + transit vs. an undocking time computed
// as arrival - transit): a port is held at arrival only if its holder leaves more than this later.
inline constexpr double kTimeEps = 1e-9;
/// How many of the days 0 .. days-1 have begun by time t: the days d with d <= t.
inline std::size_t days_through(Time t, std::size_t days) noexcept {
  if (!(t >= 0.0)) return 0;
  // Truncation is floor for t >= 0, and an integer d is <= t exactly when d <= floor(t).
  return t >= static_cast<double>(days) ? days : static_cast<std::size_t>(t) + 1;
}
/// "None" for an index.
inline constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// Equal-time domain order (docs/model.md "Time"): undocking, then consumable bookkeeping, then
// responses, then docking (and its delivery), then launches, then repair progress. Trace-only notes
// come last.
enum Priority : int {
  kUndockPriority = -400,
  kStockPriority = -300,
  kResponsePriority = -250,
  kDockPriority = -200,
  kLaunchPriority = -100,
  kRepairPriority = 0,
  kNotePriority = 100,
};

enum class FlightState : unsigned char { kPending, kInTransit, kDocked, kGone, kLost };

/// One docked vehicle or mission, from launch (or the epoch) to its departure.
struct Flight {
  FlightState state = FlightState::kPending;
  int port = -1;                 // port type held (in transit or docked)
  Time docked_at = kEmpty;
  Time undock_at = kInf;         // scheduled undocking; +inf: not scheduled
  Time left_at = kEmpty;
  Time limit = kInf;             // latest departure under the lifeboat policy / waiver life
  Time planned_departure = kInf;
  Time uncrewed_at = kEmpty;     // its crew moved to a replacement (takes_crew_of) at this time
  CrewCount crew{};              // the crew aboard it now (a crew transfer moves it)
  EventId undock_event;
  bool vacatable = false;        // docked until_port_needed: never holds its port against a launch
  bool awaiting = false;         // crew vehicle waiting for its replacement: its undocking is not
                                 // scheduled (it leaves at its limit at the latest), so it holds its
                                 // port against every launch (docs/model.md "Launch")
  bool handed_over = false;      // its replacement docked; departure is set
  bool decrewed = false;
  bool real_departure = false;   // a replay's real undocking date: no rule moves it
  bool extended = false;         // a response extended its planned departure (a waiver decision)
  bool firm = false;             // ... firmly: it leaves then, relieved or not
  /// Until when it holds its port against a launch: for good while in transit or awaiting.
  Time holds_until() const noexcept {
    return state == FlightState::kInTransit || awaiting ? kInf : undock_at;
  }
};

/// The shared state of one replication. Streams: every consumable, mission, docked vehicle, pad,
/// launcher, line and repair instance draws from its own generator keyed by its id
/// (padsim::stream_key), so a draw added in one place never shifts the draws of another.
struct StationContext {
  StationContext(const StationModel& m, std::uint64_t seed_, std::uint64_t rep_, ReplicationResult& out_,
                 TraceSink* trace_to)
      : model(m), s(m.spec()), d(m.derived()), seed(seed_), rep(rep_), out(out_),
        rep_seed(Rng::replication_seed(seed_, rep_)), trace(trace_to ? &sorted_trace : nullptr),
        final_trace(trace_to),
        mode{m.spec().deterministic, m.derived().lhs ? &*m.derived().lhs : nullptr, seed_, rep_},
        flights(spare_vector<Flight>()) {
    sim.reserve(queue_capacity());
  }
  ~StationContext() {
    keep_spare(flights);
    queue_capacity() = std::max(queue_capacity(), sim.reserve_hint());
  }
  StationContext(const StationContext&) = delete;
  StationContext& operator=(const StationContext&) = delete;

  const StationModel& model;
  const StationSpec& s;
  const StationModel::Derived& d;
  std::uint64_t seed, rep;
  ReplicationResult& out;
  std::uint64_t rep_seed;  // Rng::replication_seed(seed, rep): every stream of the replication starts from it
  // A traced replication records into sorted_trace, so that a repair's task events, known when it
  // completes, take their place in time order; the coordinator hands everything on to final_trace.
  TraceSink* trace;
  TraceSink* final_trace;
  SortingTraceSink sorted_trace;
  DrawMode mode;
  Simulation sim;
  std::vector<Flight> flights;  // docked entries first (0 .. D-1), then missions (D .. D+M-1)

  /// The event queue capacity replications on this thread reached: each new one reserves it, so
  /// that its queue does not grow again step by step (recycled.hpp).
  static std::size_t& queue_capacity() noexcept {
    thread_local std::size_t capacity = 0;
    return capacity;
  }

  /// A generator for an entity's stream, keyed as padsim::stream_key keys it.
  Rng rng(std::uint64_t key) const { return Rng::for_stream(rep_seed, key); }

  void note(const char* event, const std::string& subject, const std::string& details) {
    trace->event(sim.now(), event, subject, details);
  }
  void note_at(Time t, const char* event, const std::string& subject, const std::string& details) {
    trace->event(t, event, subject, details);
  }
  const std::string& flight_name(std::size_t f) const {
    return f < d.docked ? s.docked[f].id : s.missions[f - d.docked].id;
  }
  const VehicleClassSpec& cls(std::size_t f) const { return s.vehicles[d.flight_class[f]]; }
};

}  // namespace padsim::models::detail
