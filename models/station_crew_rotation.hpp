#pragma once
// Private to padsim::models: dockings, departures and crew rotation (docs/model.md "Vehicles and
// missions", "Crew rotation"). A crew vehicle stays until a later vehicle of its line docks (then
// the handover), at most to its life limit; the crew aboard is recorded step by step.

#include <cstddef>
#include <vector>

#include "station_context.hpp"

namespace padsim::models::detail {

class Station;

/// Rotation-line order (docs/model.md "Crew rotation"), computed once per scenario: vehicles docked
/// at the epoch by docking date, then missions by NET (then file order); a replacement lifeboat
/// (takes_crew_of) right after the vehicle it replaces, in that vehicle's line. An added mission is
/// in no line until a response adds it (CrewRotation::join_line).
void order_rotation_lines(const StationSpec& s, StationModel::Derived& d);

/// The crew aboard from `t` on.
struct CrewStep {
  Time t;
  int rs, usos;
};

class CrewRotation {
 public:
  explicit CrewRotation(Station& st);
  ~CrewRotation();
  CrewRotation(const CrewRotation&) = delete;
  CrewRotation& operator=(const CrewRotation&) = delete;

  /// Puts the vehicles docked at the epoch aboard, draws their supplies, sets their departures.
  void place_docked();
  /// Flight f (a mission) docks now: departure, handover of its line, cargo, supplies, crew.
  void dock(std::size_t f);
  /// Flight f leaves now.
  void undock(std::size_t f);
  /// (Re)schedules flight f's undocking at t (never past the horizon as an event).
  void schedule_undock(std::size_t f, Time t);
  /// Docked crew vehicle f waits for its relief again, at most to its limit.
  void wait_for_relief(std::size_t f);
  /// Launched flight f was lost: vehicles of its line that waited for it leave as planned.
  void line_lost(std::size_t lost);
  /// Added mission f (just put in the plan) takes its place in its line; the line's last vehicles
  /// still aboard wait for it again.
  void join_line(std::size_t f);

  /// Crew aboard now.
  int crew() const noexcept { return rs_ + usos_; }
  int rs() const noexcept { return rs_; }
  int usos() const noexcept { return usos_; }
  /// Every change of the crew aboard, from the epoch.
  const std::vector<CrewStep>& steps() const noexcept { return steps_; }
  /// Writes the crew series for every day up to t.
  void fill_series(Time t);

 private:
  void set_crew_departure(std::size_t f, bool at_epoch);
  bool later_pending_in_line(std::size_t f) const;
  void hand_over_line(std::size_t arriving);
  void hand_over(std::size_t g, std::size_t arriving, std::size_t line);
  void take_crew(std::size_t f, std::size_t target);
  void crew_changed(int drs, int dusos);
  /// Line l's flights in their order now (the scenario's, until an added mission joins).
  const std::vector<std::size_t>& line(std::size_t l) const { return lines_.empty() ? d_.line_flights[l] : lines_[l]; }
  /// Flight f's position in its line now.
  std::size_t order(std::size_t f) const { return lines_.empty() ? d_.line_order[f] : order_[f]; }

  Station& st_;
  StationContext& c_;
  const StationSpec& s_;
  const StationModel::Derived& d_;
  Simulation& sim_;
  std::vector<Rng> line_rng_;
  // The replication's own line order, copied from the scenario's when an added mission first joins
  // a line (empty until then, so that a scenario without one copies nothing).
  std::vector<std::vector<std::size_t>> lines_;
  std::vector<std::size_t> order_;
  int rs_ = 0, usos_ = 0;
  std::vector<CrewStep> steps_;
  std::size_t next_day_ = 0;
};

}  // namespace padsim::models::detail
