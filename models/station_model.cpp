#include "padsim/models/station.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "padsim/format.hpp"
#include "padsim/models/repair_project.hpp"
#include "station_crew_rotation.hpp"
#include "station_derived.hpp"
#include "station_replication.hpp"
#include "station_validation.hpp"

namespace padsim::models {

StationModel::StationModel(StationSpec spec) : spec_(std::move(spec)), derived_(std::make_unique<Derived>()) {
  detail::validate_station(spec_);
  Derived& d = *derived_;
  const auto& s = spec_;
  const DrawMode mode{s.deterministic};
  if (s.lhs_block > 0) d.lhs.emplace(s.lhs_block);
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

  detail::order_rotation_lines(s, d);

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
    if (n == 0 || m.added_by) continue;  // the plan in the file: no added mission
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
  if (d.seed_pad < s.pads.size() && s.pads[d.seed_pad].repair)
    d.seed_choices = s.pads[d.seed_pad].repair->branches().size() + s.pads[d.seed_pad].repair->risks().size();
  d.derive_stream_keys(s);

  series_days_ = static_cast<int>(std::ceil(s.horizon));
  for (const auto& c : s.consumables) series_names_.push_back("stock:" + c.id);
  series_names_.push_back("crew");
  build_outcomes();
  std::vector<std::string> labels;
  if (d.seed_pad < s.pads.size() && s.pads[d.seed_pad].repair) labels = s.pads[d.seed_pad].repair->task_names();
  tables_.push_back(task_table(task_names_, outcomes_[index_.pad_ready_day].name, std::move(labels)));
  if (d.seed_pad < s.pads.size() && s.pads[d.seed_pad].repair) d.merges = MergeBias(*s.pads[d.seed_pad].repair.project);
  tables_.push_back(d.merges.table());
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
    ci.min_level = add("min_level:" + c.id, "kg", V, false, false, "lowest stock of " + c.id);
    ci.days_below_reserve = add("days_below_reserve:" + c.id, "days", V, c.headline, false, "days " + c.id + " was below its reserve");
    ci.days_at_zero = add("days_at_zero:" + c.id, "days", V, false, false, "days " + c.id + " was exhausted");
    ci.undelivered = add("undelivered:" + c.id, "kg", V, false, false, c.id + " not delivered for lack of capacity");
    ci.unmet = add("unmet:" + c.id, "kg", V, false, false, c.id + " demand unmet at zero stock");
    ci.below_reserve = add("below_reserve:" + c.id, "0/1", E, false, false, c.id + " fell below its reserve");
    ci.at_zero = add("at_zero:" + c.id, "0/1", E, false, false, c.id + " ran out");
    ci.reserve_day = add("reserve_day:" + c.id, "day", V, false, true, "first day " + c.id + " was below its reserve");
    x.consumables.push_back(ci);
  }

  // Per crew vehicle, after every earlier column so that adding them left those as they were.
  auto crew_vehicle = [&](std::size_t flight, const std::string& id) {
    StationOutcomeIndex::CrewVehicle v{flight, 0, 0};
    v.undock_day = add("undock_day:" + id, "day", V, false, true,
                       "undocking day of " + id + " (empty: still docked at the horizon, or never docked)");
    v.days_extended = add("days_extended:" + id, "days", V, false, false,
                          "days " + id + " stayed past its planned departure (empty: never docked)");
    x.crew_vehicles.push_back(v);
  };
  for (std::size_t i = 0; i < spec_.docked.size(); ++i)
    if (spec_.vehicles[spec_.docked[i].vehicle].seats > 0) crew_vehicle(i, spec_.docked[i].id);
  for (std::size_t m = 0; m < spec_.missions.size(); ++m)
    if (spec_.vehicles[spec_.missions[m].vehicle].seats > 0) crew_vehicle(spec_.docked.size() + m, spec_.missions[m].id);

  // Responses, after every earlier column: a scenario without them has exactly the columns it had.
  std::vector<bool> moved(spec_.missions.size()), cancelled(spec_.missions.size());
  for (const auto& r : spec_.responses) {
    StationOutcomeIndex::Response ri{};
    ri.taken = add("response:" + r.id, "0/1", E, false, false, "response " + r.id + " was taken by the horizon");
    ri.day = add("response_day:" + r.id, "day", V, false, true, "day the actions of " + r.id + " first applied");
    ri.count = r.repeat ? add("response_count:" + r.id, "count", V, false, false, "times " + r.id + " was taken")
                        : static_cast<std::size_t>(-1);
    x.responses.push_back(ri);
    for (const auto& a : r.actions) {
      if (a.flight < spec_.docked.size()) continue;
      const std::size_t m = a.flight - spec_.docked.size();
      if (a.kind == ActionKind::kMove) moved[m] = true;
      if (a.kind == ActionKind::kCancel) cancelled[m] = true;
    }
  }
  for (std::size_t m = 0; m < spec_.missions.size(); ++m) {
    const std::string& id = spec_.missions[m].id;
    if (moved[m])
      x.replans.push_back({m, add("replan:" + id, "days", V, false, false,
                                  "NET in force minus the file's NET of " + id + " (empty: cancelled)")});
    if (cancelled[m])
      x.cancels.push_back({m, add("cancelled:" + id, "0/1", E, false, false, id + " was cancelled by a response")});
  }
  // Investigations, after every earlier column: a scenario without them has exactly the columns it had.
  for (const auto& v : spec_.investigations)
    x.investigations.push_back(
        {add("investigation_opened:" + v.id, "0/1", E, false, false, "investigation " + v.id + " was opened"),
         add("investigation_close:" + v.id, "day", V, false, true,
             "close of the first opening of " + v.id + ", extensions included (empty: never opened, or still open "
             "at the horizon)")});

  // Inputs for sensitivity: only the quantities that vary between replications.
  // The seed repair's: its task durations, then the alternative each branch kept and whether each
  // risk occurred (RepairProject::input_names); the rest are described generically.
  if (derived_->seed_pad < spec_.pads.size() && spec_.pads[derived_->seed_pad].repair) {
    const RepairProject& seed = *spec_.pads[derived_->seed_pad].repair.project;
    inputs_ = seed.input_names("");
    input_info_ = seed.input_info();
  }
  for (const auto& m : spec_.missions)
    if (!m.launched && !m.slip.is_fixed()) inputs_.push_back("slip:" + m.id);
  for (const auto& c : spec_.consumables) {
    if (!c.per_crew_day.is_fixed() || !c.per_day.is_fixed()) inputs_.push_back("rate:" + c.id);
    if (!c.start.is_fixed()) inputs_.push_back("start:" + c.id);
  }
  // A response's first firing (empty when it never fired).
  for (const auto& r : spec_.responses) {
    if (r.probability > 0.0 && r.probability < 1.0) inputs_.push_back("decision:" + r.id);
    if (!r.lag.is_fixed()) inputs_.push_back("lag:" + r.id);
    // Each uncertain action number: delta:<id> (move, extend), lead:<id> (add), numbered when a
    // response has several of a kind.
    std::size_t deltas = 0, leads = 0;
    for (const auto& a : r.actions) {
      if (uncertain_number(a)) ++(a.kind == ActionKind::kAdd ? leads : deltas);
    }
    std::size_t nd = 0, nl = 0;
    for (const auto& a : r.actions) {
      if (!uncertain_number(a)) continue;
      const bool lead = a.kind == ActionKind::kAdd;
      const std::size_t k = lead ? ++nl : ++nd;
      const std::size_t n = lead ? leads : deltas;
      inputs_.push_back(std::string(lead ? "lead:" : "delta:") + r.id + (n > 1 ? "#" + std::to_string(k) : ""));
    }
  }
  // An investigation's length at its first opening (empty when it never opened).
  for (const auto& v : spec_.investigations)
    if (v.repair || !v.length.is_fixed()) inputs_.push_back("length:" + v.id);
  input_info_.resize(inputs_.size());
}

std::vector<SeriesLevel> StationModel::series_levels() const {
  std::vector<SeriesLevel> out;
  for (std::size_t c = 0; c < spec_.consumables.size(); ++c) {
    const ConsumableSpec& cs = spec_.consumables[c];
    const std::string label = cs.reserve_in_days ? "reserve (" + padsim::format_number(cs.reserve) + " days at " +
                                                       std::to_string(spec_.nominal_crew) + " crew)"
                                                 : "reserve";
    if (derived_->reserve_kg[c] > 0.0) out.push_back({"stock:" + cs.id, derived_->reserve_kg[c], label});
  }
  return out;
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
