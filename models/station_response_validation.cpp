// The checks of a station spec's responses (part of validate_station(), station_validation.hpp):
// every rule on their values, with the position of each entry when the spec was loaded.
#include <cmath>
#include <string>
#include <string_view>

#include "padsim/error.hpp"
#include "padsim/format.hpp"
#include "station_validation.hpp"

namespace padsim::models::detail {

namespace {

class ResponseChecker {
 public:
  explicit ResponseChecker(const StationSpec& s) : s_(s) {}

  [[noreturn]] void fail(const std::string& entry, std::string_view key, const std::string& message) const {
    const std::string text = (key.empty() ? entry : entry + "." + std::string(key)) + ": " + message;
    if (auto where = s_.sources.find(entry, key)) throw InputError(*where, text);
    throw ParameterError(text);
  }

  void run() const {
    for (const ResponseSpec& r : s_.responses) response(r);
  }

 private:
  const std::string& flight_id(std::size_t f) const {
    return f < s_.docked.size() ? s_.docked[f].id : s_.missions[f - s_.docked.size()].id;
  }

  void duration(const Distribution& d, const std::string& entry, std::string_view key) const {
    if (d.lower() < 0.0) fail(entry, key, d.describe() + " can be negative; a duration must not be");
  }

  void response(const ResponseSpec& r) const {
    const std::string e = "response '" + r.id + "'";
    const TriggerSpec& t = r.trigger;
    const std::string te = e + ".trigger";
    if (!(r.probability >= 0.0 && r.probability <= 1.0))
      fail(e, "probability", "probability " + format_number(r.probability) + " is outside [0, 1]");
    duration(r.lag, e, "lag");
    for (const ActionSpec& a : r.actions)
      if (r.repeat && (a.kind == ActionKind::kAdd || a.kind == ActionKind::kCancel))
        fail(e, "repeat", "a response that adds or cancels a mission acts once and cannot repeat");
    switch (t.kind) {
      case TriggerKind::kPadDownFor:
        if (t.pad >= s_.pads.size()) fail(te, "pad", "unknown pad index");
        if (!(t.days >= 0.0)) fail(te, "days", "must not be negative, found " + format_number(t.days));
        break;
      case TriggerKind::kPadNotReady:
        if (t.pad >= s_.pads.size()) fail(te, "pad", "unknown pad index");
        if (!(t.date >= 0.0)) fail(te, "date", "is before the epoch " + s_.epoch);
        if (r.repeat) fail(e, "repeat", "pad_not_ready is checked once and cannot recur");
        break;
      case TriggerKind::kStockBelow:
        if (t.consumable >= s_.consumables.size()) fail(te, "consumable", "unknown consumable index");
        if (!(t.days >= 0.0)) fail(te, "days", "must not be negative, found " + format_number(t.days));
        break;
      case TriggerKind::kLaunchFailed:
        if (t.launcher.has_value() == t.mission.has_value())
          fail(te, "", "launch_failed needs a 'launcher' family or a 'mission'");
        if (t.launcher && *t.launcher >= s_.launchers.size()) fail(te, "launcher", "unknown launcher index");
        if (t.mission && *t.mission >= s_.missions.size()) fail(te, "mission", "unknown mission index");
        break;
    }
    for (std::size_t k = 0; k < r.actions.size(); ++k) action(r, r.actions[k], e + ".action[" + std::to_string(k + 1) + "]");
  }

  void action(const ResponseSpec& r, const ActionSpec& a, const std::string& e) const {
    static const char* const kNames[] = {"move", "cargo", "cancel", "extend", "add"};
    const char* key = kNames[static_cast<std::size_t>(a.kind)];
    const std::size_t nd = s_.docked.size();
    if (a.flight >= nd + s_.missions.size()) fail(e, key, "unknown mission index");
    const std::string& id = flight_id(a.flight);
    if (a.flight < nd && a.kind != ActionKind::kExtend)
      fail(e, key, "'" + id + "' is a docked vehicle; only extend acts on one");
    const MissionSpec* m = a.flight < nd ? nullptr : &s_.missions[a.flight - nd];
    // History is not re-planned.
    if (m && m->launched) fail(e, key, "'" + id + "' has already flown (launched): history is not re-planned");
    if (!m && s_.docked[a.flight].undocked)
      fail(e, key, "'" + id + "' has a real undocking date: history is not re-planned");
    // A launch failure of M is M's own launch: nothing can act on M before it.
    if (m && r.trigger.kind == TriggerKind::kLaunchFailed && r.trigger.mission == a.flight - nd &&
        a.kind != ActionKind::kExtend)
      fail(e, key, "the trigger is the launch of '" + id + "' itself, so this action could never precede it");
    const std::size_t vehicle = m ? m->vehicle : s_.docked[a.flight].vehicle;
    const VehicleClassSpec& vc = s_.vehicles[vehicle];
    switch (a.kind) {
      case ActionKind::kMove:
        break;
      case ActionKind::kCancel:
        break;
      case ActionKind::kExtend: {
        if (vc.seats == 0) fail(e, key, "'" + id + "' is not a crew vehicle (vehicle '" + vc.id + "' has no seats)");
        duration(a.delta, e, "by");
        const double planned = m ? m->docked_duration : s_.docked[a.flight].departure - s_.docked[a.flight].docked;
        if (planned + a.delta.upper() > vc.waiver_life)
          fail(e, "by", "a stay of " + format_number(planned) + " + " + format_number(a.delta.upper()) +
                            " days is past the waiver life " + format_number(vc.waiver_life) + " of vehicle '" +
                            vc.id + "'");
        break;
      }
      case ActionKind::kCargo:
        cargo(a, *m, vc, e);
        break;
      case ActionKind::kAdd:
        if (!m || m->added_by != static_cast<std::size_t>(&r - s_.responses.data()))
          fail(e, key, "'" + id + "' is not the mission this response adds");
        duration(a.lead, e, "lead");
        break;
    }
  }

  // After the action (listed consumables replaced, the others kept) the cargo must fit the class's
  // capacity by the upper bounds of its distributions.
  void cargo(const ActionSpec& a, const MissionSpec& m, const VehicleClassSpec& vc, const std::string& e) const {
    if (!std::isfinite(vc.capacity) && !a.cargo.empty())
      fail(e, "cargo", "vehicle '" + vc.id + "' gives no cargo 'capacity' to check a re-manifest against");
    for (const ActionAmount& x : a.cargo)
      if (x.amount.lower() < 0.0) fail(e, "kg." + s_.consumables[x.consumable].id, "can be negative; a mass must not be");
    for (const ActionAmount& x : a.supplies)
      if (x.amount.lower() < 0.0)
        fail(e, "supplies." + s_.consumables[x.consumable].id, "can be negative; a rate must not be");
    if (a.cargo.empty()) return;
    double total = 0.0;
    for (std::size_t c = 0; c < s_.consumables.size(); ++c) {
      const Distribution* amount = nullptr;
      for (const auto& x : vc.cargo)
        if (x.consumable == c) amount = &x.amount;
      for (const auto& x : m.cargo)
        if (x.consumable == c) amount = &x.amount;
      for (const auto& x : a.cargo)
        if (x.consumable == c) amount = &x.amount;
      if (amount) total += amount->upper();
    }
    if (total > vc.capacity)
      fail(e, "kg", "the cargo of '" + m.id + "' after it can reach " + format_number(total) +
                        " kg, beyond the capacity " + format_number(vc.capacity) + " kg of vehicle '" + vc.id + "'");
  }

  const StationSpec& s_;
};

}  // namespace

void validate_responses(const StationSpec& spec) { ResponseChecker(spec).run(); }

}  // namespace padsim::models::detail
