#pragma once
/// Responses of a station scenario (docs/model.md "Responses"): a trigger, the probability that
/// planners take the decision, a decision lag, and actions that change the plan inside a
/// replication. Names are resolved to indices; times are days since the epoch.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "padsim/distribution.hpp"
#include "padsim/time.hpp"

namespace padsim::models {

/// What makes a response fire.
enum class TriggerKind {
  kPadDownFor,    ///< pad has been down `days` in one outage
  kPadNotReady,   ///< pad is still down (its repair not complete) at `date`
  kStockBelow,    ///< consumable below `days` of supply at the current use
  kLaunchFailed,  ///< a launch of launcher family `launcher`, or of `mission`, failed
};

/// A response's trigger. Thresholds and dates are plain numbers (uncertainty belongs in the lag).
struct TriggerSpec {
  TriggerKind kind = TriggerKind::kPadDownFor;
  std::size_t pad = 0;         ///< pad_down_for, pad_not_ready
  double days = 0.0;           ///< pad_down_for: X; stock_below: N days of supply
  Time date = 0.0;             ///< pad_not_ready: D
  std::size_t consumable = 0;  ///< stock_below
  std::optional<std::size_t> launcher;  ///< launch_failed: a family ...
  std::optional<std::size_t> mission;   ///< ... or one mission
};

/// What an action does.
enum class ActionKind {
  kMove,    ///< mission's NET becomes `net`, or NET + `delta` (delta may be negative)
  kCargo,   ///< mission's cargo (and supplied use) replaced per listed consumable
  kCancel,  ///< mission removed from the plan
  kExtend,  ///< crew vehicle's planned departure moves later by `delta`
  kAdd,     ///< a contingency mission (a StationSpec mission with `added_by`) joins the plan
};

/// Per-consumable amounts an action sets.
struct ActionAmount {
  std::size_t consumable = 0;
  Distribution amount;
};

/// One action of a response.
struct ActionSpec {
  ActionKind kind = ActionKind::kMove;
  /// The target: a flight index, docked entries first (0 .. D-1), then missions (D .. D+M-1).
  /// Only `extend` may name a docked entry.
  std::size_t flight = 0;
  std::optional<Time> net;             ///< move: the new NET (a date) ...
  Distribution delta;                  ///< ... else NET + delta; extend: days added (>= 0)
  std::vector<ActionAmount> cargo;     ///< cargo: kg delivered at docking, replacing the mission's
  std::vector<ActionAmount> supplies;  ///< cargo: kg/day supplied while docked, replacing the class's
  bool firm = false;                   ///< extend: leaves at the extended departure even unrelieved
  Distribution lead;                   ///< add: days (>= 0) from the action to the added mission's NET
};

/// Whether an action draws a number that varies between replications (a sensitivity input).
inline bool uncertain_number(const ActionSpec& a) {
  if (a.kind == ActionKind::kAdd) return !a.lead.is_fixed();
  return ((a.kind == ActionKind::kMove && !a.net) || a.kind == ActionKind::kExtend) && !a.delta.is_fixed();
}

/// A response: when it fires, whether it is taken, how long the decision takes, what it does.
struct ResponseSpec {
  std::string id;
  bool enabled = true;
  TriggerSpec trigger;
  double probability = 1.0;  ///< that the decision is taken, drawn at each firing
  Distribution lag;          ///< days from the trigger to the actions, drawn at each firing
  bool repeat = false;       ///< fires again each time its trigger clears and recurs
  std::vector<ActionSpec> actions;
};

}  // namespace padsim::models
