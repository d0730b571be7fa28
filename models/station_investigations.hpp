#pragma once
// Private to padsim::models: the investigations of one station replication (docs/model.md
// "Investigations"). A failure of a family that opens an investigation opens it (or, while it is
// open, extends it to the later close) instead of that family's stand-down; while open it grounds its
// families and pads; from its close its return-to-flight rules cover launches of its families from
// any pad and of any family from its pads. A scenario without investigations draws and schedules
// nothing here, so its numbers are exactly those of a model without this component.

#include <cstddef>
#include <vector>

#include "return_to_flight.hpp"
#include "station_context.hpp"

namespace padsim::models::detail {

class Station;

/// One investigation's state in a replication.
struct InvestigationState {
  Rng rng;                   // lengths and gates (a task graph's instances have their own streams)
  int openings = 0;          // times opened (an extension is not an opening)
  Time close = -kInf;        // of the current (or last) opening
  Time first_close = kEmpty;   // of the first opening, extensions included
  double first_length = kEmpty;  // drawn at the first opening
  std::size_t instances = 0;   // task-graph instances started, for their streams
  ReturnToFlight rules{};      // counted from `close`
};

class Investigations {
 public:
  explicit Investigations(Station& st);
  Investigations(const Investigations&) = delete;
  Investigations& operator=(const Investigations&) = delete;

  /// Creates every investigation's stream and the coverage of families and pads.
  void start();
  std::size_t size() const noexcept { return state_.size(); }
  const InvestigationState& operator[](std::size_t i) const { return state_[i]; }

  /// Earliest launch of mission m from pad p (kNone: no pad) by the investigations: past every
  /// grounding of its family and its pad; a crewed mission also past the return-to-flight rules that
  /// cover the launch (+inf while an uncrewed mission they cover is ready and max_wait has passed).
  Time ready_for(std::size_t p, std::size_t m) const {
    return state_.empty() ? -kInf : ready_for_covered(p, m);
  }
  /// Whether a failure of family l opens (or extends) an investigation instead of its stand-down.
  bool opened_by(std::size_t l) const { return !opener_.empty() && opener_[l] != kNone; }
  /// Mission m of family l failed now (opened_by(l)): opens or extends l's investigation.
  void launch_failed(std::size_t m, std::size_t l);
  /// Mission m launched now from pad p (kNone: a replay without a pad): the first launch after a
  /// close that an investigation's rules cover opens its crewed gate.
  void launched(std::size_t p, std::size_t m) {
    if (!state_.empty()) launched_covered(p, m);
  }

 private:
  Time ready_for_covered(std::size_t p, std::size_t m) const;
  void launched_covered(std::size_t p, std::size_t m);
  bool uncrewed_ready(std::size_t i) const;
  bool covers(std::size_t i, std::size_t p, std::size_t m) const;
  void note_close(std::size_t i);

  Station& st_;
  StationContext& c_;
  const StationSpec& s_;
  const StationModel::Derived& d_;
  Simulation& sim_;
  std::vector<InvestigationState> state_;
  std::vector<std::size_t> opener_;                       // per family: the enabled investigation it opens
  std::vector<std::vector<std::size_t>> family_grounded_;  // per family: enabled investigations grounding it
  std::vector<std::vector<std::size_t>> pad_grounded_;     // per pad: likewise
  // Per family and per pad: the investigation whose return-to-flight rules cover it, the one that
  // opened last among those grounding it (a newer opening takes over what both ground).
  std::vector<std::size_t> family_rules_, pad_rules_;
};

}  // namespace padsim::models::detail
