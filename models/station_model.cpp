#include "padsim/models/station.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "padsim/models/repair_project.hpp"
#include "station_derived.hpp"
#include "station_replication.hpp"

namespace padsim::models {

namespace {

std::string num(double x) {
  std::string s = std::to_string(x);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

[[noreturn]] void bad(const std::string& entry, const std::string& message) {
  throw ParameterError(entry + ": " + message);
}

void check_index(std::size_t i, std::size_t n, const std::string& entry, const char* what) {
  if (i >= n) bad(entry, std::string("unknown ") + what + " index " + std::to_string(i));
}

void check_amounts(const std::vector<ConsumableAmount>& list, std::size_t n, const std::string& entry) {
  for (const auto& a : list) check_index(a.consumable, n, entry, "consumable");
}

// Checks what a programmatic spec can get wrong; the loader reports the same with FILE:LINE.
void validate(const StationSpec& s) {
  if (!(s.horizon > 0.0) || std::isinf(s.horizon)) bad("scenario", "horizon " + num(s.horizon) + " must be after the epoch");
  if (s.nominal_crew < 1) bad("scenario", "nominal_crew must be >= 1");
  for (const auto& p : s.pads) {
    if (!(p.damage_probability >= 0.0 && p.damage_probability <= 1.0))
      bad("pad '" + p.id + "'", "damage_probability " + num(p.damage_probability) + " is outside [0, 1]");
    if ((p.down_at_epoch || p.damage_probability > 0.0) && !p.repair)
      bad("pad '" + p.id + "'", "needs a repair project (it is down at the epoch or can be damaged)");
    if (!(p.after_repair.max_wait >= 0.0)) bad("pad '" + p.id + "'", "after_repair.max_wait must be >= 0");
  }
  if (s.seed_pad) check_index(*s.seed_pad, s.pads.size(), "scenario", "seed pad");
  for (const auto& p : s.ports)
    if (p.count < 1) bad("port '" + p.type + "'", "count must be >= 1");
  const std::size_t nc = s.consumables.size();
  for (const auto& v : s.vehicles) {
    const std::string e = "vehicle '" + v.id + "'";
    for (auto p : v.pads) check_index(p, s.pads.size(), e, "pad");
    for (auto p : v.ports) check_index(p, s.ports.size(), e, "port type");
    if (v.ports.empty()) bad(e, "lists no port type");
    check_index(v.launcher, s.launchers.size(), e, "launcher");
    if (v.seats < 0) bad(e, "seats must be >= 0");
    if (!(v.transit >= 0.0)) bad(e, "transit must be >= 0");
    if (!(v.certified_life > 0.0) || !(v.waiver_life >= v.certified_life))
      bad(e, "needs 0 < certified_life <= waiver_life");
    if (!(v.failure_probability >= 0.0 && v.failure_probability <= 1.0))
      bad(e, "failure_probability " + num(v.failure_probability) + " is outside [0, 1]");
    check_amounts(v.cargo, nc, e);
    check_amounts(v.supplies, nc, e);
  }
  for (const auto& m : s.missions) {
    const std::string e = "mission '" + m.id + "'";
    check_index(m.vehicle, s.vehicles.size(), e, "vehicle class");
    for (auto p : m.pads) check_index(p, s.pads.size(), e, "pad");
    if (m.rotation) check_index(*m.rotation, s.rotations.size(), e, "rotation line");
    check_amounts(m.cargo, nc, e);
    if (m.crew.rs < 0 || m.crew.usos < 0) bad(e, "crew counts must be >= 0");
    if (m.crew.total() > s.vehicles[m.vehicle].seats)
      bad(e, "crew of " + std::to_string(m.crew.total()) + " does not fit the " +
                 std::to_string(s.vehicles[m.vehicle].seats) + " seats of '" + s.vehicles[m.vehicle].id + "'");
    if (!(m.docked_duration >= 0.0)) bad(e, "docked_duration must be >= 0");
    if (m.launched && !(*m.launched >= 0.0)) bad(e, "launched before the epoch (list it under [[docked]])");
    const auto& pads = m.pads.empty() ? s.vehicles[m.vehicle].pads : m.pads;
    if (pads.empty() && !m.launched) bad(e, "has no pad to launch from");
  }
  for (const auto& d : s.docked) {
    const std::string e = "docked '" + d.id + "'";
    check_index(d.vehicle, s.vehicles.size(), e, "vehicle class");
    if (d.rotation) check_index(*d.rotation, s.rotations.size(), e, "rotation line");
    if (d.port) check_index(*d.port, s.ports.size(), e, "port type");
    if (d.docked > 0.0) bad(e, "docked after the epoch");
    if (d.departure < d.docked) bad(e, "departure before docking");
    if (d.crew.total() > s.vehicles[d.vehicle].seats) bad(e, "crew does not fit the seats");
  }
  for (const auto& c : s.consumables) {
    const std::string e = "consumable '" + c.id + "'";
    if (c.start.lower() < 0.0) bad(e, "start can be negative");
    if (c.per_crew_day.lower() < 0.0 || c.per_day.lower() < 0.0) bad(e, "rates must not be negative");
    if (!(c.reserve >= 0.0)) bad(e, "reserve must be >= 0");
    if (!(c.capacity > 0.0)) bad(e, "capacity must be > 0");
  }
  for (auto c : s.decrew.consumables) check_index(c, nc, "policy.decrew", "consumable");
}

}  // namespace

StationModel::StationModel(StationSpec spec) : spec_(std::move(spec)), derived_(std::make_unique<Derived>()) {
  validate(spec_);
  Derived& d = *derived_;
  const auto& s = spec_;
  const DrawMode mode{s.deterministic};
  auto typical = [&](const Distribution& dist) { return mode.deterministic ? dist.mode() : dist.mean(); };

  d.docked = s.docked.size();
  d.missions = s.missions.size();
  const std::size_t nf = d.flights();
  d.flight_class.resize(nf);
  d.flight_rule.resize(nf);
  d.flight_line.assign(nf, -1);
  d.line_order.assign(nf, 0);
  d.flight_crew.resize(nf);
  d.crew_vehicle.resize(nf);
  d.planned_departure_offset.assign(nf, 0.0);
  for (std::size_t i = 0; i < d.docked; ++i) {
    const auto& e = s.docked[i];
    d.flight_class[i] = e.vehicle;
    d.flight_rule[i] = e.departure_rule.value_or(s.vehicles[e.vehicle].departure);
    d.flight_line[i] = e.rotation ? static_cast<int>(*e.rotation) : -1;
    d.flight_crew[i] = e.crew;
  }
  for (std::size_t m = 0; m < d.missions; ++m) {
    const auto& e = s.missions[m];
    const std::size_t f = d.docked + m;
    d.flight_class[f] = e.vehicle;
    d.flight_rule[f] = e.departure.value_or(s.vehicles[e.vehicle].departure);
    d.flight_line[f] = e.rotation ? static_cast<int>(*e.rotation) : -1;
    d.flight_crew[f] = e.crew;
    d.planned_departure_offset[f] = e.docked_duration;
    d.mission_pads.push_back(e.pads.empty() ? s.vehicles[e.vehicle].pads : e.pads);
    // A mission's cargo: the class's per consumable, each entry the mission gives replacing it.
    std::vector<ConsumableAmount> cargo = s.vehicles[e.vehicle].cargo;
    for (const auto& o : e.cargo) {
      auto it = std::find_if(cargo.begin(), cargo.end(), [&](const auto& a) { return a.consumable == o.consumable; });
      if (it != cargo.end()) *it = o;
      else cargo.push_back(o);
    }
    d.mission_cargo.push_back(std::move(cargo));
    d.mission_crewed.push_back(e.crew.total() > 0);
  }
  for (std::size_t f = 0; f < nf; ++f) d.crew_vehicle[f] = s.vehicles[d.flight_class[f]].seats > 0;

  // Rotation-line order: vehicles docked at the epoch by docking date, then missions by NET (then
  // file order). "A later mission of the same line" means later in this order.
  d.line_flights.assign(s.rotations.size(), {});
  for (std::size_t f = 0; f < nf; ++f)
    if (d.flight_line[f] >= 0) d.line_flights[static_cast<std::size_t>(d.flight_line[f])].push_back(f);
  for (auto& line : d.line_flights) {
    auto key = [&](std::size_t f) {
      return f < d.docked ? std::pair{0, s.docked[f].docked} : std::pair{1, s.missions[f - d.docked].net};
    };
    std::stable_sort(line.begin(), line.end(), [&](auto a, auto b) { return key(a) < key(b); });
    for (std::size_t k = 0; k < line.size(); ++k) d.line_order[line[k]] = k;
  }

  // Reserves and starting stocks given in days are converted once, at nominal crew, with the typical
  // (mean; deterministic: modal) rates: the planners' figure, not the replication's draw.
  for (const auto& c : s.consumables) {
    const double use = typical(c.per_crew_day) * s.nominal_crew + typical(c.per_day);
    d.nominal_use.push_back(use);
    d.reserve_kg.push_back(c.reserve_in_days ? c.reserve * use : c.reserve);
  }

  auto clip = [&](double t) { return std::clamp(t, 0.0, s.horizon); };
  for (std::size_t i = 0; i < d.docked; ++i) {
    const int n = s.docked[i].crew.total();
    if (n == 0) continue;
    d.planned_crew_steps.push_back({0.0, n});
    d.planned_crew_steps.push_back({clip(s.docked[i].departure), -n});
  }
  for (const auto& m : s.missions) {
    const int n = m.crew.total();
    if (n == 0) continue;
    const double arrive = m.net + s.vehicles[m.vehicle].transit;
    d.planned_crew_steps.push_back({clip(arrive), n});
    d.planned_crew_steps.push_back({clip(arrive + m.docked_duration), -n});
  }
  std::stable_sort(d.planned_crew_steps.begin(), d.planned_crew_steps.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  if (s.seed_pad) {
    d.seed_pad = *s.seed_pad;
  } else {
    for (std::size_t p = 0; p < s.pads.size(); ++p)
      if (s.pads[p].down_at_epoch) {
        d.seed_pad = p;
        break;
      }
  }
  if (d.seed_pad < s.pads.size() && s.pads[d.seed_pad].repair) task_names_ = s.pads[d.seed_pad].repair->task_ids();
  d.seed_tasks = task_names_.size();
  d.derive_stream_keys(s);

  series_days_ = static_cast<int>(std::ceil(s.horizon));
  for (const auto& c : s.consumables) series_names_.push_back("stock:" + c.id);
  series_names_.push_back("crew");
  build_outcomes();
}

StationModel::~StationModel() = default;

void StationModel::build_outcomes() {
  auto add = [this](std::string name, std::string unit, OutcomeKind kind, bool headline, bool censorable,
                    std::string description) {
    outcomes_.push_back({std::move(name), std::move(unit), kind, headline, censorable, std::move(description)});
    return outcomes_.size() - 1;
  };
  const auto V = OutcomeKind::kValue;
  const auto E = OutcomeKind::kEvent;
  auto& x = index_;
  x.pad_ready_day = add("pad_ready_day", "day", V, true, true, "completion of the seed pad's repair");
  x.first_launch_day = add("first_launch_day", "day", V, true, true, "first launch attempt from the repaired pad");
  for (const auto& m : spec_.missions) {
    StationOutcomeIndex::Mission mi{};
    mi.launch_day = add("launch_day:" + m.id, "day", V, false, true, "launch day of " + m.id);
    mi.slip = add("slip:" + m.id, "days", V, false, true, "launch day minus NET of " + m.id);
    mi.failed = add("failed:" + m.id, "0/1", E, false, false, "launch of " + m.id + " failed (empty: not launched)");
    x.missions.push_back(mi);
  }
  x.days_beyond_certified = add("days_beyond_certified", "days", V, true, false,
                                "days crew vehicles stayed past their certified life, summed");
  x.beyond_certified = add("beyond_certified", "0/1", E, false, false, "a crew vehicle passed its certified life");
  x.below_min_rs = add("days_below_min_crew:rs", "days", V, false, false, "days the Russian segment was below its minimum crew");
  x.below_min_usos = add("days_below_min_crew:usos", "days", V, false, false, "days the US segment was below its minimum crew");
  x.below_min_station = add("days_below_min_crew:station", "days", V, false, false, "days the station was below its minimum crew");
  x.below_min_crew = add("below_min_crew", "0/1", E, false, false, "any segment or the station fell below its minimum crew");
  x.crew_days_lost = add("crew_days_lost", "crew-days", V, true, false, "planned minus actual crew, where positive, integrated");
  x.decrewings = add("decrewings", "count", V, false, false, "early departures ordered by the decrewing policy");
  for (const auto& c : spec_.consumables) {
    StationOutcomeIndex::Consumable ci{};
    const bool headline = c.id == "propellant" || c.id == "food";
    ci.min_level = add("min_level:" + c.id, "kg", V, false, false, "lowest stock of " + c.id);
    ci.days_below_reserve = add("days_below_reserve:" + c.id, "days", V, headline, false, "days " + c.id + " was below its reserve");
    ci.days_at_zero = add("days_at_zero:" + c.id, "days", V, false, false, "days " + c.id + " was exhausted");
    ci.undelivered = add("undelivered:" + c.id, "kg", V, false, false, c.id + " not delivered for lack of capacity");
    ci.unmet = add("unmet:" + c.id, "kg", V, false, false, c.id + " demand unmet at zero stock");
    ci.below_reserve = add("below_reserve:" + c.id, "0/1", E, false, false, c.id + " fell below its reserve");
    ci.at_zero = add("at_zero:" + c.id, "0/1", E, false, false, c.id + " ran out");
    ci.reserve_day = add("reserve_day:" + c.id, "day", V, false, true, "first day " + c.id + " was below its reserve");
    x.consumables.push_back(ci);
  }

  // Inputs for sensitivity: only the quantities that vary between replications.
  for (const auto& t : task_names_) inputs_.push_back("duration:" + t);
  for (const auto& m : spec_.missions)
    if (!m.launched && !m.slip.is_fixed()) inputs_.push_back("slip:" + m.id);
  for (const auto& c : spec_.consumables) {
    if (!c.per_crew_day.is_fixed() || !c.per_day.is_fixed()) inputs_.push_back("rate:" + c.id);
    if (!c.start.is_fixed()) inputs_.push_back("start:" + c.id);
  }
}

std::size_t StationModel::outcome_index(std::string_view name) const {
  for (std::size_t i = 0; i < outcomes_.size(); ++i)
    if (outcomes_[i].name == name) return i;
  throw std::out_of_range("no outcome named '" + std::string(name) + "'");
}

void StationModel::run(std::uint64_t seed, std::uint64_t replication, ReplicationResult& out,
                       TraceSink* trace) const {
  detail::run_station_replication(*this, seed, replication, out, trace);
}

}  // namespace padsim::models
