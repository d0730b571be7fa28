#pragma once
// Private to padsim::models: the state of one set of return-to-flight rules (ReturnToFlightSpec)
// during a replication, shared by a pad after its repair and by an investigation after its close
// (docs/model.md "Pads", "Investigations"): uncrewed first launch until max_wait, then the crewed gate
// counted from the first launch attempt the rules cover.

#include <algorithm>
#include <limits>

#include "padsim/models/pad.hpp"
#include "padsim/time.hpp"

namespace padsim::models::detail {

struct ReturnToFlight {
  bool first_pending = false;  // the rules are armed and no launch they cover has happened yet
  Time since = -std::numeric_limits<double>::infinity();  // they count from here (campaign end, close)
  double gate_days = 0.0;  // drawn when the repair or the investigation starts
  Time gate_until = -std::numeric_limits<double>::infinity();

  /// Arms the rules, counting from `from`: the next launch they cover is the first.
  void restart(Time from) {
    first_pending = true;
    since = from;
    gate_until = -std::numeric_limits<double>::infinity();
  }
  /// Earliest launch of a crewed mission: past max_wait while the first launch is pending (when it
  /// must be uncrewed), and past the gate.
  Time crewed_ready(const ReturnToFlightSpec& rules) const {
    Time t = gate_until;
    if (uncrewed_first(rules)) t = std::max(t, since + rules.max_wait);
    return t;
  }
  /// Whether the next launch covered must go to an uncrewed mission when one is ready.
  bool uncrewed_first(const ReturnToFlightSpec& rules) const { return first_pending && rules.first_launch_uncrewed; }
  /// A launch attempt the rules cover, at `now`; true when it was the first. The gate counts from
  /// it, and that launch itself is not gated, whatever it carries.
  bool launched(Time now) {
    if (!first_pending) return false;
    first_pending = false;
    gate_until = now + gate_days;
    return true;
  }
};

}  // namespace padsim::models::detail
