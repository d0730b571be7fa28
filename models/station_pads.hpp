#pragma once
// Private to padsim::models: the launch pads of one station replication (docs/model.md "Pads"): repairs,
// damage by a launch, turnaround, and the rules after a repair (campaign, uncrewed first launch
// until max_wait, crewed gate). Tracks the seed repair (pad_ready_day, first_launch_day).

#include <algorithm>
#include <cstddef>
#include <vector>

#include "padsim/models/repair_project.hpp"
#include "return_to_flight.hpp"
#include "station_context.hpp"

namespace padsim::models::detail {

class Station;

/// One pad's state during a replication.
struct PadState {
  Rng rng;
  bool up = true;
  Time available_at = 0.0;  // past turnaround and campaign
  ReturnToFlight rules;     // after_repair: from the campaign's end (gate drawn when the repair starts)
  double campaign_days = 0.0;  // drawn when the repair starts
  bool seed_instance = false;
  std::size_t repairs = 0;  // repair instances started, for their streams
  Rng repair_rng;
  RepairOutcome repair;
};

class Pads {
 public:
  explicit Pads(Station& st);
  ~Pads();
  Pads(const Pads&) = delete;
  Pads& operator=(const Pads&) = delete;

  /// Creates every pad's state and starts the repairs of the pads down at the epoch.
  void start();
  std::size_t size() const noexcept { return pads_.size(); }
  const PadState& operator[](std::size_t p) const { return pads_[p]; }

  /// Earliest launch of mission m from pad p by the pad's own rules: up, past turnaround and
  /// campaign; crewed missions also past the uncrewed-first rule (until max_wait) and the gate.
  Time ready_for(std::size_t p, std::size_t m) const {
    const PadState& pad = pads_[p];
    if (!pad.up) return kInf;
    Time t = pad.available_at;
    if (d_.mission_crewed[m]) t = std::max(t, pad.rules.crewed_ready(s_.pads[p].after_repair));
    return t;
  }
  /// Whether the next launch from p must go to an uncrewed mission when one is ready.
  bool uncrewed_first(std::size_t p) const {
    return pads_[p].rules.uncrewed_first(s_.pads[p].after_repair);
  }
  /// Mission m launches from p now: opens the crewed gate after a repair, records the seed pad's
  /// first launch, draws the turnaround, then damage (which starts a repair unless `forced`).
  void launched(std::size_t p, std::size_t m, bool forced);
  /// Takes pad p down and starts its next repair instance.
  void start_repair(std::size_t p);
  /// Runs the simulation on, untraced, until a seed repair still running at the horizon completes
  /// (task records for every replication); false if there was none.
  bool finish_seed_repair();

  /// Day the seed repair completed (0 when the seed pad starts up); NaN if not by the horizon.
  Time seed_ready() const noexcept { return seed_ready_; }
  /// Day of the first launch from the seed pad after its repair; NaN if none.
  Time first_launch() const noexcept { return first_launch_; }

 private:
  void repair_complete(std::size_t p);

  Station& st_;
  StationContext& c_;
  const StationSpec& s_;
  const StationModel::Derived& d_;
  Simulation& sim_;
  std::vector<PadState> pads_;
  Time seed_ready_ = kEmpty;
  Time first_launch_ = kEmpty;
};

}  // namespace padsim::models::detail
