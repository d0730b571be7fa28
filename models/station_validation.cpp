// The one validation pass of a station spec (station_validation.hpp). The loader only reads the
// file's shape (types, keys, names); every rule on the values lives here, so a spec built in code
// is held to the same rules, and a loaded one reports them at FILE:LINE:COL.
#include "station_validation.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "padsim/calendar.hpp"
#include "padsim/error.hpp"
#include "padsim/format.hpp"
#include "station_investigation_loader.hpp"
#include "toml_util.hpp"

namespace padsim::models::detail {

namespace {

std::string quoted(const std::string& id) { return "'" + id + "'"; }

// Counts (crew, seats, ports) stay far from int's limits, so sums of them cannot overflow.
constexpr int kMaxCount = 1000000;

class Checker {
 public:
  explicit Checker(const StationSpec& s) : s_(s) {}

  /// "ENTRY.KEY: message" at the key's position (else the entry's), or a ParameterError without one.
  [[noreturn]] void fail(const std::string& entry, std::string_view key, const std::string& message) const {
    const std::string text = (key.empty() ? entry : entry + "." + std::string(key)) + ": " + message;
    if (auto where = s_.sources.find(entry, key)) throw InputError(*where, text);
    throw ParameterError(text);
  }

  // Indices can only be wrong in a spec built in code: the loader resolves names.
  void index(std::size_t i, std::size_t n, const std::string& entry, std::string_view key, const char* what) const {
    if (i >= n)
      fail(entry, key, std::string("unknown ") + what + " index " + std::to_string(i) + " (there are " +
                           std::to_string(n) + ")");
  }

  /// A day since the epoch as the ISO 8601 date a user wrote.
  std::string date(double day) const {
    const auto epoch = parse_iso8601(s_.epoch);
    return epoch ? format_iso8601(*epoch + day * 86400.0) : "day " + format_number(day);
  }

  void probability(double p, const std::string& entry, std::string_view key) const {
    if (!(p >= 0.0 && p <= 1.0)) fail(entry, key, "probability " + format_number(p) + " is outside [0, 1]");
  }

  void count(int n, int min, const std::string& entry, std::string_view key) const {
    const std::string found = ", found " + std::to_string(n);
    if (n < min)
      fail(entry, key, (min == 0 ? std::string("must not be negative") : "must be at least " + std::to_string(min)) + found);
    if (n > kMaxCount) fail(entry, key, "must be at most " + std::to_string(kMaxCount) + found);
  }

  void not_negative(double x, const std::string& entry, std::string_view key) const {
    if (!(x >= 0.0)) fail(entry, key, "must not be negative, found " + format_number(x));
  }

  /// Stocks, rates, masses and durations: a distribution that can go below 0 is an input error, not
  /// a silent clip.
  void not_negative(const Distribution& d, const std::string& entry, std::string_view key, const char* what) const {
    if (!(d.lower() < 0.0)) return;
    if (d.is_fixed()) fail(entry, key, "must not be negative, found " + format_number(d.lower()));
    fail(entry, key, d.describe() + " can be negative; " + what +
                         " must not be (truncate it with min = 0 or choose another kind)");
  }

  void crew(const CrewCount& c, std::size_t vehicle, const std::string& entry) const {
    count(c.rs, 0, entry, "crew.rs");
    count(c.usos, 0, entry, "crew.usos");
    const VehicleClassSpec& v = s_.vehicles[vehicle];
    if (c.total() > v.seats)
      fail(entry, "crew", "a crew of " + std::to_string(c.total()) + " does not fit the " + std::to_string(v.seats) +
                              " seats of vehicle " + quoted(v.id));
  }

  void amounts(const std::vector<ConsumableAmount>& list, const std::string& entry, std::string_view key,
               const char* what) const {
    for (const ConsumableAmount& a : list) {
      index(a.consumable, s_.consumables.size(), entry, key, "consumable");
      not_negative(a.amount, entry, std::string(key) + "." + s_.consumables[a.consumable].id, what);
    }
  }

  // The entries that stand alone (the scenario, pads, consumables, port types, launchers, rotations,
  // vehicle classes) are checked each on its own: a file's errors among them (InputError, with
  // positions) are all reported together, in file order. The docked vehicles, missions, decrew
  // policy, responses and investigations are checked against those values (a crew against its
  // vehicle's seats, a replacement against its target), so only once they are right, and from the
  // first error on nothing more is checked: what would follow is not reported. A spec built in code
  // (ParameterError, no positions) stops at its first error.
  void run() const {
    std::vector<InputProblem> problems;
    const auto check = [&](auto&& entry) {
      try {
        entry();
      } catch (const InputError& e) {
        problems.insert(problems.end(), e.problems().begin(), e.problems().end());
      }
    };
    check([&] { scenario(); });
    for (const PadSpec& p : s_.pads) check([&] { pad(p); });
    if (s_.seed_pad) check([&] { index(*s_.seed_pad, s_.pads.size(), "scenario", "seed_pad", "pad"); });
    check([&] { station(); });
    for (const ConsumableSpec& c : s_.consumables) check([&] { consumable(c); });
    for (const PortTypeSpec& p : s_.ports) check([&] { count(p.count, 1, "port " + quoted(p.type), "count"); });
    for (const LauncherSpec& l : s_.launchers)
      check([&] { not_negative(l.stand_down, "launcher " + quoted(l.id), "stand_down", "a duration"); });
    for (const RotationSpec& r : s_.rotations)
      check([&] { not_negative(r.handover, "rotation " + quoted(r.id), "handover", "a duration"); });
    for (const VehicleClassSpec& v : s_.vehicles) check([&] { vehicle(v); });
    if (!problems.empty()) throw_in_file_order(std::move(problems));
    for (const DockedSpec& d : s_.docked) docked(d);
    for (const MissionSpec& m : s_.missions) mission(m);
    decrew();
    validate_responses(s_);
    validate_investigations(s_);
  }

 private:
  void scenario() const {
    if (!(s_.horizon > 0.0) || std::isinf(s_.horizon))
      fail("scenario", "horizon",
           "must be a finite number of days after the epoch, found " + format_number(s_.horizon));
    if (s_.nominal_crew < 1)
      fail("scenario", "nominal_crew", "must be at least 1, found " + std::to_string(s_.nominal_crew));
  }

  void pad(const PadSpec& p) const {
    const std::string e = "pad " + quoted(p.id);
    probability(p.damage_probability, e, "damage_probability");
    if ((p.down_at_epoch || p.damage_probability > 0.0) && !p.repair)
      fail(e, "", std::string("needs a repair project: it is ") +
                      (p.down_at_epoch ? "down at the epoch" : "damaged with probability > 0"));
    not_negative(p.turnaround, e, "turnaround", "a duration");
    not_negative(p.after_repair.max_wait, e, "after_repair.max_wait");
  }

  void station() const {
    count(s_.min_crew, 0, "[station]", "min_crew");
    count(s_.min_crew_rs, 0, "[station]", "min_crew_rs");
    count(s_.min_crew_usos, 0, "[station]", "min_crew_usos");
  }

  void consumable(const ConsumableSpec& c) const {
    const std::string e = "consumable " + quoted(c.id);
    const char* start = c.start_in_days ? "start_days" : "start";
    not_negative(c.start, e, start, "a stock");
    not_negative(c.per_crew_day, e, "per_crew_day", "a rate");
    not_negative(c.per_day, e, "per_day", "a rate");
    not_negative(c.reserve, e, c.reserve_in_days ? "reserve_days" : "reserve");
    if (!(c.capacity > 0.0)) fail(e, "capacity", "must be > 0, found " + format_number(c.capacity));
    if (!c.start_in_days && c.start.upper() > c.capacity)
      fail(e, start, c.start.describe() + " can exceed the capacity " + format_number(c.capacity) + " kg");
  }

  void vehicle(const VehicleClassSpec& v) const {
    const std::string e = "vehicle " + quoted(v.id);
    for (auto p : v.pads) index(p, s_.pads.size(), e, "pads", "pad");
    for (auto p : v.ports) index(p, s_.ports.size(), e, "ports", "port type");
    if (v.ports.empty()) fail(e, "ports", "lists no port type");
    index(v.launcher, s_.launchers.size(), e, "launcher", "launcher");
    count(v.seats, 0, e, "seats");
    not_negative(v.transit, e, "transit");
    if (!(v.certified_life > 0.0)) fail(e, "certified_life", "must be > 0, found " + format_number(v.certified_life));
    if (!(v.waiver_life >= v.certified_life))
      fail(e, "waiver_life", format_number(v.waiver_life) + " is shorter than certified_life " +
                                 format_number(v.certified_life));
    probability(v.failure_probability, e, "failure_probability");
    amounts(v.cargo, e, "cargo", "a mass");
    amounts(v.supplies, e, "supplies", "a rate");
    if (!(v.capacity > 0.0)) fail(e, "capacity", "must be > 0, found " + format_number(v.capacity));
    fits(v, {}, e, "cargo");
  }

  // A class with a cargo capacity: its cargo, with a mission's overrides, fits by upper bounds.
  void fits(const VehicleClassSpec& v, const std::vector<ConsumableAmount>& overrides, const std::string& entry,
            std::string_view key) const {
    if (!std::isfinite(v.capacity)) return;
    double total = 0.0;
    for (std::size_t c = 0; c < s_.consumables.size(); ++c) {
      const Distribution* amount = nullptr;
      for (const auto& x : v.cargo)
        if (x.consumable == c) amount = &x.amount;
      for (const auto& x : overrides)
        if (x.consumable == c) amount = &x.amount;
      if (amount) total += amount->upper();
    }
    if (total > v.capacity)
      fail(entry, key, "the cargo can reach " + format_number(total) + " kg, beyond the capacity " +
                           format_number(v.capacity) + " kg of vehicle " + quoted(v.id));
  }

  void docked(const DockedSpec& d) const {
    const std::string e = "docked " + quoted(d.id);
    index(d.vehicle, s_.vehicles.size(), e, "vehicle", "vehicle class");
    if (d.rotation) index(*d.rotation, s_.rotations.size(), e, "rotation", "rotation line");
    if (d.docked > 0.0) fail(e, "docked", "is after the epoch " + s_.epoch + " (a later arrival is a [[mission]])");
    if (d.departure < d.docked) fail(e, "departure", "is before the docking date");
    crew(d.crew, d.vehicle, e);
    if (d.port) {
      index(*d.port, s_.ports.size(), e, "port", "port type");
      const VehicleClassSpec& v = s_.vehicles[d.vehicle];
      if (std::find(v.ports.begin(), v.ports.end(), *d.port) == v.ports.end())
        fail(e, "port", "vehicle " + quoted(v.id) + " cannot use port type " + quoted(s_.ports[*d.port].type));
    }
    if (d.undocked && *d.undocked < d.docked) fail(e, "undocked", "is before the docking date");
  }

  void mission(const MissionSpec& m) const {
    const std::string e = "mission " + quoted(m.id);
    index(m.vehicle, s_.vehicles.size(), e, "vehicle", "vehicle class");
    for (auto p : m.pads) index(p, s_.pads.size(), e, "pads", "pad");
    if (m.rotation) index(*m.rotation, s_.rotations.size(), e, "rotation", "rotation line");
    not_negative(m.docked_duration, e, "docked_duration");
    crew(m.crew, m.vehicle, e);
    amounts(m.cargo, e, "cargo", "a mass");
    fits(s_.vehicles[m.vehicle], m.cargo, e, "cargo");
    // A slip may be negative (the flight was moved earlier); `earliest` bounds it from below.
    if (m.launched && !(*m.launched >= 0.0)) fail(e, "launched", "is before the epoch (list it under [[docked]])");
    if (m.added_by) index(*m.added_by, s_.responses.size(), e, "", "response");
    if (m.added_by && m.launched) fail(e, "launched", "an added mission has not flown");
    if (m.earliest) {
      if (m.launched) fail(e, "earliest", "a mission already flown (launched) has no earliest date");
      if (!(*m.earliest >= 0.0)) fail(e, "earliest", "is before the epoch " + s_.epoch);
      // Only a slip bounded above can make `earliest` unreachable.
      if (!m.added_by && std::isfinite(m.slip.upper()) && *m.earliest > m.net + m.slip.upper())
        fail(e, "earliest", date(*m.earliest) + " is after NET + the slip's maximum (" +
                                date(m.net + m.slip.upper()) + "): the mission could never launch on plan");
    }
    const VehicleClassSpec& v = s_.vehicles[m.vehicle];
    if (m.failure_probability) {
      if (m.fails) fail(e, "failure_probability", "give either 'fails' (a known outcome) or 'failure_probability', not both");
      probability(*m.failure_probability, e, "failure_probability");
    }
    if (m.undocked) {
      if (!m.launched) fail(e, "undocked", "needs the real launch date 'launched' (only a flown mission has a real undocking)");
      if (m.fails.value_or(false)) fail(e, "undocked", "a mission that fails never docks");
      if (*m.undocked < *m.launched + v.transit)
        fail(e, "undocked", date(*m.undocked) + " is before its docking (launched + transit, " +
                                date(*m.launched + v.transit) + ")");
    }
    if ((m.pads.empty() ? v.pads : m.pads).empty() && !m.launched)
      fail(e, "", "has no pad to launch from (vehicle " + quoted(v.id) + " lists none)");
    if (m.takes_crew_of) takes_crew_of(m, e);
  }

  // A replacement lifeboat: the vehicle it replaces is another crew vehicle, whose crew fits its
  // seats beside its own, and it serves that vehicle's line.
  void takes_crew_of(const MissionSpec& m, const std::string& e) const {
    const std::size_t flights = s_.docked.size() + s_.missions.size();
    const std::size_t self = s_.docked.size() + static_cast<std::size_t>(&m - s_.missions.data());
    const std::size_t t = *m.takes_crew_of;
    index(t, flights, e, "takes_crew_of", "mission or docked vehicle");
    auto name = [&](std::size_t f) { return f < s_.docked.size() ? s_.docked[f].id : s_.missions[f - s_.docked.size()].id; };
    auto vehicle = [&](std::size_t f) {
      return f < s_.docked.size() ? s_.docked[f].vehicle : s_.missions[f - s_.docked.size()].vehicle;
    };
    auto crew_of = [&](std::size_t f) { return f < s_.docked.size() ? s_.docked[f].crew : s_.missions[f - s_.docked.size()].crew; };
    if (t == self) fail(e, "takes_crew_of", "a mission cannot take the crew of itself");
    if (m.added_by) fail(e, "takes_crew_of", "an added mission cannot replace a vehicle");
    const VehicleClassSpec& tv = s_.vehicles[vehicle(t)];
    if (tv.seats == 0)
      fail(e, "takes_crew_of", quoted(name(t)) + " is not a crew vehicle (vehicle " + quoted(tv.id) + " has no seats)");
    const VehicleClassSpec& v = s_.vehicles[m.vehicle];
    const int total = m.crew.total() + crew_of(t).total();
    if (total > v.seats)
      fail(e, "takes_crew_of", "its crew of " + std::to_string(m.crew.total()) + " and the " +
                                   std::to_string(crew_of(t).total()) + " of " + quoted(name(t)) + " do not fit the " +
                                   std::to_string(v.seats) + " seats of vehicle " + quoted(v.id));
    // Follow the chain of replacements to the vehicle that started it: no cycle, one line.
    std::size_t root = t;
    for (std::size_t steps = 0; root >= s_.docked.size() && s_.missions[root - s_.docked.size()].takes_crew_of; ++steps) {
      root = *s_.missions[root - s_.docked.size()].takes_crew_of;
      if (root == self || steps > flights) fail(e, "takes_crew_of", "replacements form a cycle through " + quoted(name(t)));
      index(root, flights, e, "takes_crew_of", "mission or docked vehicle");
    }
    const auto line = root < s_.docked.size() ? s_.docked[root].rotation : s_.missions[root - s_.docked.size()].rotation;
    if (m.rotation && line && m.rotation != line)
      fail(e, "rotation", "a replacement serves the line of the vehicle it replaces (" + quoted(s_.rotations[*line].id) + ")");
  }

  void decrew() const {
    const std::string e = "[policy.decrew]";
    const DecrewPolicy& d = s_.decrew;
    for (auto c : d.consumables) index(c, s_.consumables.size(), e, "consumables", "consumable");
    if (d.enabled && d.consumables.empty()) fail(e, "", "enabled with no consumables to watch");
    not_negative(d.days, e, "days");
    count(d.min_crew, 0, e, "min_crew");
  }

  const StationSpec& s_;
};

}  // namespace

void validate_station(const StationSpec& spec) { Checker(spec).run(); }

}  // namespace padsim::models::detail
