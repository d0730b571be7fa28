#include "station_loader.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "scenario_sections.hpp"

namespace padsim::models::detail {

namespace {

std::string fmt(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

// ids of one kind of entry, in file order, for resolving names and listing the known ones.
class Names {
 public:
  explicit Names(std::string section) : section_(std::move(section)) {}
  void add(const TomlContext& ctx, const toml::node& where, const std::string& entry, const std::string& id) {
    if (index_.count(id)) ctx.fail(where, entry, "duplicate id '" + id + "' (ids in " + section_ + " must be unique)");
    index_.emplace(id, order_.size());
    order_.push_back(id);
  }
  std::size_t resolve(const TomlContext& ctx, const toml::node& where, const std::string& entry,
                      const std::string& id) const {
    auto it = index_.find(id);
    if (it != index_.end()) return it->second;
    std::string known;
    for (const auto& k : order_) known += (known.empty() ? "" : ", ") + k;
    ctx.fail(where, entry, "unknown " + section_ + " '" + id + "'" +
                               (known.empty() ? " (none is defined)" : " (known: " + known + ")"));
  }
  std::size_t size() const noexcept { return order_.size(); }

 private:
  std::string section_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::string> order_;
};

// Array-of-tables entries, with a readable entry name for messages: "mission 'Crew-12'".
template <class F>
void for_each_entry(const toml::table& root, const TomlContext& ctx, std::string_view key, F&& f) {
  const toml::node* node = root.get(key);
  if (!node) return;
  const toml::array& a = ctx.array(*node, "[[" + std::string(key) + "]]");
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string fallback = std::string(key) + " #" + std::to_string(i + 1);
    const toml::table& t = ctx.table(*a.get(i), fallback);
    f(t, fallback);
  }
}

std::string entry_name(const TomlContext& ctx, const toml::table& t, const std::string& kind, const std::string& fallback) {
  const toml::node* id = t.get("id");
  if (!id) ctx.fail(t, fallback, "missing key 'id'");
  return kind + " '" + ctx.string(*id, fallback + ".id") + "'";
}

double probability(const TomlContext& ctx, const toml::table& t, const std::string& entry, std::string_view key) {
  const toml::node* node = t.get(key);
  if (!node) return 0.0;
  const double p = ctx.number(*node, entry + "." + std::string(key));
  if (!(p >= 0.0 && p <= 1.0)) ctx.fail(*node, entry + "." + std::string(key), "probability " + fmt(p) + " is outside [0, 1]");
  return p;
}

double non_negative(const TomlContext& ctx, const toml::table& t, const std::string& entry, std::string_view key,
                    double fallback) {
  const toml::node* node = t.get(key);
  if (!node) return fallback;
  const double x = ctx.number(*node, entry + "." + std::string(key));
  if (x < 0.0) ctx.fail(*node, entry + "." + std::string(key), "must not be negative, found " + fmt(x));
  return x;
}

int count(const TomlContext& ctx, const toml::table& t, const std::string& entry, std::string_view key, int fallback,
          int min) {
  const toml::node* node = t.get(key);
  if (!node) return fallback;
  if (!node->is_integer()) ctx.fail(*node, entry + "." + std::string(key), "expected an integer");
  const auto v = node->value<std::int64_t>().value_or(0);
  if (v < min || v > 1000000)
    ctx.fail(*node, entry + "." + std::string(key), "must be an integer >= " + std::to_string(min) + ", found " + std::to_string(v));
  return static_cast<int>(v);
}

// A quantity that must never be negative (stocks, rates, masses): a distribution that can be is an
// input error, not a silent clip.
Distribution non_negative_dist(const TomlContext& ctx, const toml::node& node, const std::string& entry,
                               const char* what) {
  Distribution d = ctx.distribution(node, entry);
  if (d.lower() < 0.0)
    ctx.fail(node, entry, d.describe() + " can be negative; " + what + " must not be (truncate it with min = 0)");
  return d;
}

Distribution optional_duration(const TomlContext& ctx, const toml::table& t, const std::string& entry, std::string_view key) {
  const toml::node* node = t.get(key);
  return node ? ctx.duration(*node, entry + "." + std::string(key)) : Distribution();
}

DepartureRule departure_rule(const TomlContext& ctx, const toml::node& node, const std::string& entry) {
  const std::string s = ctx.string(node, entry);
  if (s == "planned") return DepartureRule::kPlanned;
  if (s == "until_port_needed") return DepartureRule::kUntilPortNeeded;
  ctx.fail(node, entry, "expected \"planned\" or \"until_port_needed\", found \"" + s + "\"");
}

CrewCount crew(const TomlContext& ctx, const toml::table& t, const std::string& entry) {
  const toml::node* node = t.get("crew");
  if (!node) return {};
  const std::string e = entry + ".crew";
  const toml::table& c = ctx.table(*node, e);
  ctx.check_keys(c, e, {"rs", "usos"});
  return {count(ctx, c, e, "rs", 0, 0), count(ctx, c, e, "usos", 0, 0)};
}

std::vector<ConsumableAmount> amounts(const TomlContext& ctx, const toml::table& t, const std::string& entry,
                                      std::string_view key, const Names& consumables) {
  std::vector<ConsumableAmount> out;
  const toml::node* node = t.get(key);
  if (!node) return out;
  const std::string e = entry + "." + std::string(key);
  for (auto&& [name, value] : ctx.table(*node, e)) {
    const std::string item = e + "." + std::string(name.str());
    const std::size_t c = consumables.resolve(ctx, value, e, std::string(name.str()));
    out.push_back({c, non_negative_dist(ctx, value, item, "a mass or a rate")});
  }
  return out;
}

std::vector<std::size_t> id_list(const TomlContext& ctx, const toml::node& node, const std::string& entry, const Names& names) {
  std::vector<std::size_t> out;
  for (auto&& item : ctx.array(node, entry)) out.push_back(names.resolve(ctx, item, entry, ctx.string(item, entry)));
  return out;
}

}  // namespace

void apply_load_options(StationSpec& s, const LoadOptions& options) {
  s.deterministic = options.deterministic;
  for (std::size_t p = 0; p < s.pads.size() && !s.seed_pad; ++p)
    if (s.pads[p].down_at_epoch) s.seed_pad = p;
  // No incident: the seed pad stays the seed (its first launch is still reported) but starts up.
  if (options.no_incident)
    for (auto& p : s.pads) p.down_at_epoch = false;
}

namespace {

StationSpec parse_station(const toml::table& root, const TomlContext& ctx, const ScenarioInfo& frame,
                          std::vector<PadSpec> pads) {
  StationSpec s;
  s.name = frame.name;
  s.epoch = frame.epoch;
  s.horizon = frame.horizon;
  s.nominal_crew = frame.nominal_crew;
  s.pads = std::move(pads);

  Names pad_names("pad"), port_names("port type"), launcher_names("launcher"), vehicle_names("vehicle class"),
      line_names("rotation line"), consumable_names("consumable"), flight_names("mission or docked vehicle");
  for (const auto& p : s.pads) pad_names.add(ctx, root, "[[pad]]", p.id);
  auto date = [&](const toml::node& node, const std::string& entry) {
    return ctx.days_since(node, entry, frame.epoch_seconds);
  };

  if (const toml::node* node = root.get("station")) {
    const toml::table& t = ctx.table(*node, "[station]");
    ctx.check_keys(t, "[station]", {"min_crew", "min_crew_rs", "min_crew_usos", "lifeboat_policy"});
    s.min_crew = count(ctx, t, "[station]", "min_crew", 0, 0);
    s.min_crew_rs = count(ctx, t, "[station]", "min_crew_rs", 0, 0);
    s.min_crew_usos = count(ctx, t, "[station]", "min_crew_usos", 0, 0);
    if (const toml::node* lp = t.get("lifeboat_policy")) {
      const std::string v = ctx.string(*lp, "[station].lifeboat_policy");
      if (v == "extend") s.lifeboat = LifeboatPolicy::kExtend;
      else if (v == "return") s.lifeboat = LifeboatPolicy::kReturn;
      else ctx.fail(*lp, "[station].lifeboat_policy", "expected \"extend\" or \"return\", found \"" + v + "\"");
    }
  }

  // Consumables first: vehicles and missions name them.
  for_each_entry(root, ctx, "consumable", [&](const toml::table& t, const std::string& fallback) {
    const std::string e = entry_name(ctx, t, "consumable", fallback);
    ctx.check_keys(t, e, {"id", "start", "start_days", "per_crew_day", "per_day", "reserve", "reserve_days", "capacity"});
    ConsumableSpec c;
    c.id = ctx.string(t, e, "id");
    consumable_names.add(ctx, t, e, c.id);
    const toml::node* start = t.get("start");
    const toml::node* start_days = t.get("start_days");
    if (start && start_days) ctx.fail(*start_days, e, "give either 'start' (kg) or 'start_days', not both");
    if (!start && !start_days) ctx.fail(t, e, "missing key 'start' (kg) or 'start_days'");
    c.start_in_days = start_days != nullptr;
    // Negative stocks and rates are input errors: every distribution must stay >= 0.
    c.start = non_negative_dist(ctx, start ? *start : *start_days, e + (start ? ".start" : ".start_days"), "a stock");
    if (const toml::node* r = t.get("per_crew_day")) c.per_crew_day = non_negative_dist(ctx, *r, e + ".per_crew_day", "a rate");
    if (const toml::node* r = t.get("per_day")) c.per_day = non_negative_dist(ctx, *r, e + ".per_day", "a rate");
    const toml::node* reserve_days = t.get("reserve_days");
    if (t.get("reserve") && reserve_days) ctx.fail(*reserve_days, e, "give either 'reserve' (kg) or 'reserve_days', not both");
    c.reserve_in_days = reserve_days != nullptr;
    c.reserve = non_negative(ctx, t, e, c.reserve_in_days ? "reserve_days" : "reserve", 0.0);
    if (const toml::node* cap = t.get("capacity")) {
      c.capacity = ctx.number(*cap, e + ".capacity");
      if (!(c.capacity > 0.0)) ctx.fail(*cap, e + ".capacity", "must be > 0, found " + fmt(c.capacity));
      if (!c.start_in_days && c.start.upper() > c.capacity)
        ctx.fail(start ? *start : t, e + ".start", "can exceed the capacity " + fmt(c.capacity) + " kg");
    }
    s.consumables.push_back(std::move(c));
  });

  for_each_entry(root, ctx, "port", [&](const toml::table& t, const std::string& fallback) {
    const toml::node* type = t.get("type");
    if (!type) ctx.fail(t, fallback, "missing key 'type'");
    const std::string e = "port '" + ctx.string(*type, fallback + ".type") + "'";
    ctx.check_keys(t, e, {"type", "count", "name"});
    PortTypeSpec p;
    p.type = ctx.string(*type, e);
    port_names.add(ctx, t, e, p.type);
    p.count = count(ctx, t, e, "count", 1, 1);
    p.name = ctx.optional_string(t, e, "name").value_or("");
    s.ports.push_back(std::move(p));
  });

  for_each_entry(root, ctx, "launcher", [&](const toml::table& t, const std::string& fallback) {
    const std::string e = entry_name(ctx, t, "launcher", fallback);
    ctx.check_keys(t, e, {"id", "stand_down"});
    LauncherSpec l;
    l.id = ctx.string(t, e, "id");
    launcher_names.add(ctx, t, e, l.id);
    l.stand_down = optional_duration(ctx, t, e, "stand_down");
    s.launchers.push_back(std::move(l));
  });

  for_each_entry(root, ctx, "rotation", [&](const toml::table& t, const std::string& fallback) {
    const std::string e = entry_name(ctx, t, "rotation", fallback);
    ctx.check_keys(t, e, {"id", "handover"});
    RotationSpec r;
    r.id = ctx.string(t, e, "id");
    line_names.add(ctx, t, e, r.id);
    r.handover = optional_duration(ctx, t, e, "handover");
    s.rotations.push_back(std::move(r));
  });

  for_each_entry(root, ctx, "vehicle", [&](const toml::table& t, const std::string& fallback) {
    const std::string e = entry_name(ctx, t, "vehicle", fallback);
    ctx.check_keys(t, e, {"id", "pads", "launcher", "seats", "ports", "transit", "certified_life", "waiver_life",
                          "failure_probability", "cargo", "supplies", "departure"});
    VehicleClassSpec v;
    v.id = ctx.string(t, e, "id");
    vehicle_names.add(ctx, t, e, v.id);
    if (const toml::node* p = t.get("pads")) v.pads = id_list(ctx, *p, e + ".pads", pad_names);
    const toml::node& launcher = ctx.require(t, e, "launcher");
    v.launcher = launcher_names.resolve(ctx, launcher, e + ".launcher", ctx.string(launcher, e + ".launcher"));
    v.seats = count(ctx, t, e, "seats", 0, 0);
    const toml::node& ports = ctx.require(t, e, "ports");
    v.ports = id_list(ctx, ports, e + ".ports", port_names);
    if (v.ports.empty()) ctx.fail(ports, e + ".ports", "lists no port type");
    v.transit = non_negative(ctx, t, e, "transit", 0.0);
    v.certified_life = non_negative(ctx, t, e, "certified_life", kUnlimited);
    v.waiver_life = non_negative(ctx, t, e, "waiver_life", v.certified_life);
    if (v.waiver_life < v.certified_life)
      ctx.fail(*t.get("waiver_life"), e + ".waiver_life", "is shorter than certified_life " + fmt(v.certified_life));
    if (!(v.certified_life > 0.0)) ctx.fail(*t.get("certified_life"), e + ".certified_life", "must be > 0");
    v.failure_probability = probability(ctx, t, e, "failure_probability");
    v.cargo = amounts(ctx, t, e, "cargo", consumable_names);
    v.supplies = amounts(ctx, t, e, "supplies", consumable_names);
    if (const toml::node* d = t.get("departure")) v.departure = departure_rule(ctx, *d, e + ".departure");
    s.vehicles.push_back(std::move(v));
  });

  auto check_crew = [&](const toml::table& t, const std::string& e, const CrewCount& c, std::size_t vehicle) {
    const auto& vc = s.vehicles[vehicle];
    if (c.total() > vc.seats)
      ctx.fail(*t.get("crew"), e + ".crew",
               "a crew of " + std::to_string(c.total()) + " does not fit the " + std::to_string(vc.seats) +
                   " seats of vehicle '" + vc.id + "'");
  };
  auto optional_line = [&](const toml::table& t, const std::string& e) -> std::optional<std::size_t> {
    const toml::node* r = t.get("rotation");
    if (!r) return std::nullopt;
    return line_names.resolve(ctx, *r, e + ".rotation", ctx.string(*r, e + ".rotation"));
  };

  for_each_entry(root, ctx, "docked", [&](const toml::table& t, const std::string& fallback) {
    const std::string e = entry_name(ctx, t, "docked", fallback);
    ctx.check_keys(t, e, {"id", "vehicle", "docked", "departure", "crew", "rotation", "port", "departure_rule", "undocked"});
    DockedSpec d;
    d.id = ctx.string(t, e, "id");
    flight_names.add(ctx, t, e, d.id);
    const toml::node& vehicle = ctx.require(t, e, "vehicle");
    d.vehicle = vehicle_names.resolve(ctx, vehicle, e + ".vehicle", ctx.string(vehicle, e + ".vehicle"));
    const toml::node& docked = ctx.require(t, e, "docked");
    d.docked = date(docked, e + ".docked");
    if (d.docked > 0.0)
      ctx.fail(docked, e + ".docked", "docked after the epoch " + frame.epoch + " (a later arrival is a [[mission]])");
    const toml::node& departure = ctx.require(t, e, "departure");
    d.departure = date(departure, e + ".departure");
    if (d.departure < d.docked) ctx.fail(departure, e + ".departure", "planned departure before the docking date");
    d.crew = crew(ctx, t, e);
    check_crew(t, e, d.crew, d.vehicle);
    d.rotation = optional_line(t, e);
    if (const toml::node* p = t.get("port")) {
      d.port = port_names.resolve(ctx, *p, e + ".port", ctx.string(*p, e + ".port"));
      const auto& allowed = s.vehicles[d.vehicle].ports;
      if (std::find(allowed.begin(), allowed.end(), *d.port) == allowed.end())
        ctx.fail(*p, e + ".port", "vehicle '" + s.vehicles[d.vehicle].id + "' cannot use port type '" + s.ports[*d.port].type + "'");
    }
    if (const toml::node* r = t.get("departure_rule")) d.departure_rule = departure_rule(ctx, *r, e + ".departure_rule");
    if (const toml::node* u = t.get("undocked")) {
      d.undocked = date(*u, e + ".undocked");
      if (*d.undocked < d.docked) ctx.fail(*u, e + ".undocked", "undocked before it docked");
    }
    s.docked.push_back(std::move(d));
  });

  for_each_entry(root, ctx, "mission", [&](const toml::table& t, const std::string& fallback) {
    const std::string e = entry_name(ctx, t, "mission", fallback);
    ctx.check_keys(t, e, {"id", "vehicle", "net", "docked_duration", "crew", "cargo", "slip", "priority", "rotation",
                          "departure", "launched", "pads"});
    MissionSpec m;
    m.id = ctx.string(t, e, "id");
    flight_names.add(ctx, t, e, m.id);
    const toml::node& vehicle = ctx.require(t, e, "vehicle");
    m.vehicle = vehicle_names.resolve(ctx, vehicle, e + ".vehicle", ctx.string(vehicle, e + ".vehicle"));
    m.net = date(ctx.require(t, e, "net"), e + ".net");
    m.docked_duration = non_negative(ctx, t, e, "docked_duration", 0.0);
    if (!t.get("docked_duration")) ctx.fail(t, e, "missing key 'docked_duration'");
    m.crew = crew(ctx, t, e);
    check_crew(t, e, m.crew, m.vehicle);
    m.cargo = amounts(ctx, t, e, "cargo", consumable_names);
    m.slip = optional_duration(ctx, t, e, "slip");
    if (const toml::node* p = t.get("priority")) {
      if (!p->is_integer()) ctx.fail(*p, e + ".priority", "expected an integer");
      m.priority = static_cast<int>(p->value<std::int64_t>().value_or(0));
    }
    m.rotation = optional_line(t, e);
    if (const toml::node* d = t.get("departure")) m.departure = departure_rule(ctx, *d, e + ".departure");
    if (const toml::node* l = t.get("launched")) {
      m.launched = date(*l, e + ".launched");
      if (*m.launched < 0.0) ctx.fail(*l, e + ".launched", "launched before the epoch (list it under [[docked]])");
    }
    if (const toml::node* p = t.get("pads")) m.pads = id_list(ctx, *p, e + ".pads", pad_names);
    const auto& from = m.pads.empty() ? s.vehicles[m.vehicle].pads : m.pads;
    if (from.empty() && !m.launched) ctx.fail(t, e, "has no pad to launch from (vehicle '" + s.vehicles[m.vehicle].id + "' lists none)");
    s.missions.push_back(std::move(m));
  });

  if (const toml::node* node = root.get("policy")) {
    const toml::table& pol = ctx.table(*node, "[policy]");
    ctx.check_keys(pol, "[policy]", {"decrew"});
    if (const toml::node* dn = pol.get("decrew")) {
      const std::string e = "[policy.decrew]";
      const toml::table& t = ctx.table(*dn, e);
      ctx.check_keys(t, e, {"enabled", "consumables", "days", "min_crew"});
      s.decrew.enabled = ctx.boolean(t, e, "enabled", false);
      if (const toml::node* c = t.get("consumables")) s.decrew.consumables = id_list(ctx, *c, e + ".consumables", consumable_names);
      s.decrew.days = non_negative(ctx, t, e, "days", s.decrew.days);
      s.decrew.min_crew = count(ctx, t, e, "min_crew", 0, 0);
      if (s.decrew.enabled && s.decrew.consumables.empty()) ctx.fail(t, e, "enabled with no consumables to watch");
    }
  }
  return s;
}

}  // namespace

StationSpec build_station_spec(const toml::table& root, const ScenarioSpec& scenario, const LoadOptions& options) {
  StationSpec s = parse_station(root, TomlContext(scenario.file), scenario.scenario, scenario.pads);
  apply_load_options(s, options);
  return s;
}

StationSpec load_station_spec(const std::string& text, const std::string& filename, const LoadOptions& options) {
  const toml::table root = parse_toml(text, filename);
  return build_station_spec(root, parse_scenario(root, filename), options);
}

}  // namespace padsim::models::detail
