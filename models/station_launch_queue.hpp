#pragma once
// Private to padsim::models: the missions waiting to launch (docs/model.md "Launch"). A mission launches
// at the first moment its slip, its launcher's stand-down, a pad and a port on arrival all allow;
// shared pads serve the ready missions by priority, NET, then file order. Eligibility is recomputed
// only at events that can change it (replan()), and one pending "wake" event sits at the earliest
// moment any mission could launch.

#include <cstddef>
#include <vector>

#include "station_context.hpp"

namespace padsim::models::detail {

class Station;

/// One mission's launch.
struct MissionState {
  Rng rng;
  Time ready = 0.0;  // max(NET + slip, earliest) (or the replayed launch date)
  Time net = 0.0;    // the NET in force (the file's, unless a response moved it)
  double slip = 0.0;
  bool done = false;  // launched (or failed), or cancelled
  bool cancelled = false;
  bool added = false;       // an added mission that a response has put in the plan
  Time net_added = kEmpty;  // its NET when it was added
  Time launch_day = kEmpty;
  bool failed = false;
};

class LaunchQueue {
 public:
  explicit LaunchQueue(Station& st);
  ~LaunchQueue();
  LaunchQueue(const LaunchQueue&) = delete;
  LaunchQueue& operator=(const LaunchQueue&) = delete;

  /// Draws every mission's slip, each from its own stream (later draws: failure, cargo).
  void draw();
  /// Schedules the replayed launches and queues the others by ready time.
  void start();
  std::size_t size() const noexcept { return missions_.size(); }
  const MissionState& operator[](std::size_t m) const { return missions_[m]; }
  MissionState& operator[](std::size_t m) { return missions_[m]; }

  /// Earliest moment mission m can launch under the current state (+inf: not foreseeable).
  Time earliest(std::size_t m) const;
  /// Moves the wake event to the earliest moment any queued mission could launch.
  void replan();
  /// Launches mission m now from pad p (kNone: a replay without a pad); `forced`: a replay.
  void launch(std::size_t m, std::size_t p, bool forced);
  /// A response moved mission m (not launched): it is ready at `ready` from now on.
  void reready(std::size_t m, Time ready);
  /// A response adds mission m (added_by) to the plan with this NET.
  void add(std::size_t m, Time net);
  /// A response removed mission m (not launched) from the plan.
  void cancel(std::size_t m);
  /// Until when launcher l stands down after a failure.
  Time stand_down_until(std::size_t l) const { return stand_down_until_[l]; }

 private:
  void wake();
  void collect_ready(Time now);
  void leave_queue(std::size_t m);

  Station& st_;
  StationContext& c_;
  const StationSpec& s_;
  const StationModel::Derived& d_;
  Simulation& sim_;
  std::vector<MissionState> missions_;
  std::vector<std::size_t> by_ready_;  // missions that follow the launch rule, by ready time (done ones leave)
  std::vector<std::size_t> ready_now_;  // wake(): those of them ready now and not done
  std::vector<Time> stand_down_until_;  // per launcher
  std::vector<Rng> launcher_rng_;
  EventId wake_;
  Time wake_at_ = kInf;
};

}  // namespace padsim::models::detail
