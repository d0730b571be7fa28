#include "station_loader.hpp"

#include <map>

#include "overrides.hpp"
#include "scenario_sections.hpp"
#include "station_investigation_loader.hpp"
#include "station_response_loader.hpp"
#include "station_validation.hpp"

namespace padsim::models::detail {

namespace {

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
    ctx.fail_unknown(where, entry, id, "unknown " + section_ + " '" + id + "'" +
                                           (known.empty() ? " (none is defined)" : " (known: " + known + ")"));
  }
  std::size_t size() const noexcept { return order_.size(); }

 private:
  std::string section_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::string> order_;
};

// Array-of-tables entries, with a readable entry name for messages: "mission 'Crew-12'". Each entry
// is read on its own: its error is recorded, its id marked failed (so that a reference to it is not
// reported again) and the next entry read. An entry adds its id to its Names last, once it has
// loaded, so that names and the spec's lists keep the same indices.
template <class F>
void for_each_entry(const toml::table& root, const TomlContext& ctx, std::string_view key, F&& f) {
  const toml::node* node = root.get(key);
  if (!node) return;
  const toml::array* a = nullptr;
  // Not a list at all: what names these entries would only report them unknown.
  if (!ctx.attempt([&] { a = &ctx.array(*node, "[[" + std::string(key) + "]]"); })) ctx.throw_errors();
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string fallback = std::string(key) + " #" + std::to_string(i + 1);
    const toml::node& item = *a->get(i);
    ctx.attempt([&] { f(ctx.table(item, fallback), fallback); }, id_or_empty(item, key == "port" ? "type" : "id"));
  }
}

std::string entry_name(const TomlContext& ctx, const toml::table& t, const std::string& kind, const std::string& fallback) {
  const toml::node* id = t.get("id");
  if (!id) ctx.fail(t, fallback, "missing key 'id'");
  return kind + " '" + ctx.string(*id, fallback + ".id") + "'";
}

double number_or(const TomlContext& ctx, const toml::table& t, const std::string& entry, std::string_view key,
                 double fallback) {
  return ctx.optional_number(t, entry, key).value_or(fallback);
}

int integer_or(const TomlContext& ctx, const toml::table& t, const std::string& entry, std::string_view key,
               int fallback) {
  const toml::node* node = t.get(key);
  return node ? ctx.integer(*node, entry + "." + std::string(key)) : fallback;
}

Distribution optional_distribution(const TomlContext& ctx, const toml::table& t, const std::string& entry,
                                   std::string_view key) {
  const toml::node* node = t.get(key);
  return node ? ctx.distribution(*node, entry + "." + std::string(key)) : Distribution();
}

// Where `entry` and each of its keys (nested tables too) were written, for validate_station().
void record(SpecSources& sources, const TomlContext& ctx, const std::string& entry, const toml::node& node) {
  sources.at.emplace(entry, ctx.at(node));
  if (const toml::table* t = node.as_table())
    for (auto&& [key, value] : *t) record(sources, ctx, entry + "." + std::string(key.str()), value);
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
  return {integer_or(ctx, c, e, "rs", 0), integer_or(ctx, c, e, "usos", 0)};
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
    out.push_back({c, ctx.distribution(value, item)});
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
  s.lhs_block = options.lhs_block;
  for (std::size_t p = 0; p < s.pads.size() && !s.seed_pad; ++p)
    if (s.pads[p].down_at_epoch) s.seed_pad = p;
  // No incident: the seed pad stays the seed (its first launch is still reported) but starts up.
  if (options.no_incident)
    for (auto& p : s.pads) p.down_at_epoch = false;
  if (options.no_responses)
    for (auto& r : s.responses) r.enabled = false;
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
  // [scenario] and [[pad]] were read by parse_scenario(); their positions serve validate_station() too.
  if (const toml::node* node = root.get("scenario")) record(s.sources, ctx, "scenario", *node);
  if (const toml::array* a = root.get_as<toml::array>("pad"))
    for (auto&& pad : *a)
      if (const toml::table* t = pad.as_table())
        if (auto id = t->get_as<std::string>("id")) record(s.sources, ctx, "pad '" + id->get() + "'", *t);
  auto date = [&](const toml::node& node, const std::string& entry) {
    return ctx.days_since(node, entry, frame.epoch_seconds);
  };

  if (const toml::node* node = root.get("station")) ctx.attempt([&] {
    const toml::table& t = ctx.table(*node, "[station]");
    ctx.check_keys(t, "[station]", {"min_crew", "min_crew_rs", "min_crew_usos", "lifeboat_policy"});
    record(s.sources, ctx, "[station]", t);
    s.min_crew = integer_or(ctx, t, "[station]", "min_crew", 0);
    s.min_crew_rs = integer_or(ctx, t, "[station]", "min_crew_rs", 0);
    s.min_crew_usos = integer_or(ctx, t, "[station]", "min_crew_usos", 0);
    if (const toml::node* lp = t.get("lifeboat_policy")) {
      const std::string v = ctx.string(*lp, "[station].lifeboat_policy");
      if (v == "extend") s.lifeboat = LifeboatPolicy::kExtend;
      else if (v == "return") s.lifeboat = LifeboatPolicy::kReturn;
      else ctx.fail(*lp, "[station].lifeboat_policy", "expected \"extend\" or \"return\", found \"" + v + "\"");
    }
  });

  // Consumables first: vehicles and missions name them.
  for_each_entry(root, ctx, "consumable", [&](const toml::table& t, const std::string& fallback) {
    const std::string e = entry_name(ctx, t, "consumable", fallback);
    ctx.check_keys(t, e, {"id", "start", "start_days", "per_crew_day", "per_day", "reserve", "reserve_days", "capacity",
                          "headline"});
    ConsumableSpec c;
    c.id = ctx.string(t, e, "id");
    record(s.sources, ctx, e, t);
    const toml::node* start = t.get("start");
    const toml::node* start_days = t.get("start_days");
    if (start && start_days) ctx.fail(*start_days, e, "give either 'start' (kg) or 'start_days', not both");
    if (!start && !start_days) ctx.fail(t, e, "missing key 'start' (kg) or 'start_days'");
    c.start_in_days = start_days != nullptr;
    c.start = ctx.distribution(start ? *start : *start_days, e + (start ? ".start" : ".start_days"));
    c.per_crew_day = optional_distribution(ctx, t, e, "per_crew_day");
    c.per_day = optional_distribution(ctx, t, e, "per_day");
    const toml::node* reserve_days = t.get("reserve_days");
    if (t.get("reserve") && reserve_days) ctx.fail(*reserve_days, e, "give either 'reserve' (kg) or 'reserve_days', not both");
    c.reserve_in_days = reserve_days != nullptr;
    c.reserve = number_or(ctx, t, e, c.reserve_in_days ? "reserve_days" : "reserve", 0.0);
    c.capacity = number_or(ctx, t, e, "capacity", kUnlimited);
    c.headline = ctx.boolean(t, e, "headline", false);
    consumable_names.add(ctx, t, e, c.id);
    s.consumables.push_back(std::move(c));
  });

  for_each_entry(root, ctx, "port", [&](const toml::table& t, const std::string& fallback) {
    const toml::node* type = t.get("type");
    if (!type) ctx.fail(t, fallback, "missing key 'type'");
    const std::string e = "port '" + ctx.string(*type, fallback + ".type") + "'";
    ctx.check_keys(t, e, {"type", "count", "name"});
    PortTypeSpec p;
    p.type = ctx.string(*type, e);
    record(s.sources, ctx, e, t);
    p.count = integer_or(ctx, t, e, "count", 1);
    p.name = ctx.optional_string(t, e, "name").value_or("");
    port_names.add(ctx, t, e, p.type);
    s.ports.push_back(std::move(p));
  });

  for_each_entry(root, ctx, "launcher", [&](const toml::table& t, const std::string& fallback) {
    const std::string e = entry_name(ctx, t, "launcher", fallback);
    ctx.check_keys(t, e, {"id", "stand_down"});
    LauncherSpec l;
    l.id = ctx.string(t, e, "id");
    record(s.sources, ctx, e, t);
    l.stand_down = optional_distribution(ctx, t, e, "stand_down");
    launcher_names.add(ctx, t, e, l.id);
    s.launchers.push_back(std::move(l));
  });

  for_each_entry(root, ctx, "rotation", [&](const toml::table& t, const std::string& fallback) {
    const std::string e = entry_name(ctx, t, "rotation", fallback);
    ctx.check_keys(t, e, {"id", "handover"});
    RotationSpec r;
    r.id = ctx.string(t, e, "id");
    record(s.sources, ctx, e, t);
    r.handover = optional_distribution(ctx, t, e, "handover");
    line_names.add(ctx, t, e, r.id);
    s.rotations.push_back(std::move(r));
  });

  for_each_entry(root, ctx, "vehicle", [&](const toml::table& t, const std::string& fallback) {
    const std::string e = entry_name(ctx, t, "vehicle", fallback);
    ctx.check_keys(t, e, {"id", "pads", "launcher", "seats", "ports", "transit", "certified_life", "waiver_life",
                          "failure_probability", "cargo", "supplies", "departure", "capacity"});
    VehicleClassSpec v;
    v.id = ctx.string(t, e, "id");
    record(s.sources, ctx, e, t);
    if (const toml::node* p = t.get("pads")) v.pads = id_list(ctx, *p, e + ".pads", pad_names);
    const toml::node& launcher = ctx.require(t, e, "launcher");
    v.launcher = launcher_names.resolve(ctx, launcher, e + ".launcher", ctx.string(launcher, e + ".launcher"));
    v.seats = integer_or(ctx, t, e, "seats", 0);
    v.ports = id_list(ctx, ctx.require(t, e, "ports"), e + ".ports", port_names);
    v.transit = number_or(ctx, t, e, "transit", 0.0);
    v.certified_life = number_or(ctx, t, e, "certified_life", kUnlimited);
    v.waiver_life = number_or(ctx, t, e, "waiver_life", v.certified_life);
    v.failure_probability = number_or(ctx, t, e, "failure_probability", 0.0);
    v.cargo = amounts(ctx, t, e, "cargo", consumable_names);
    v.supplies = amounts(ctx, t, e, "supplies", consumable_names);
    if (const toml::node* d = t.get("departure")) v.departure = departure_rule(ctx, *d, e + ".departure");
    v.capacity = number_or(ctx, t, e, "capacity", kUnlimited);
    vehicle_names.add(ctx, t, e, v.id);
    s.vehicles.push_back(std::move(v));
  });

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
    record(s.sources, ctx, e, t);
    const toml::node& vehicle = ctx.require(t, e, "vehicle");
    d.vehicle = vehicle_names.resolve(ctx, vehicle, e + ".vehicle", ctx.string(vehicle, e + ".vehicle"));
    d.docked = date(ctx.require(t, e, "docked"), e + ".docked");
    d.departure = date(ctx.require(t, e, "departure"), e + ".departure");
    d.crew = crew(ctx, t, e);
    d.rotation = optional_line(t, e);
    if (const toml::node* p = t.get("port")) d.port = port_names.resolve(ctx, *p, e + ".port", ctx.string(*p, e + ".port"));
    if (const toml::node* r = t.get("departure_rule")) d.departure_rule = departure_rule(ctx, *r, e + ".departure_rule");
    if (const toml::node* u = t.get("undocked")) d.undocked = date(*u, e + ".undocked");
    flight_names.add(ctx, t, e, d.id);
    s.docked.push_back(std::move(d));
  });

  // A replacement may name a mission written after it: targets are resolved once every id is known.
  std::vector<std::pair<std::size_t, const toml::node*>> takes_crew;
  for_each_entry(root, ctx, "mission", [&](const toml::table& t, const std::string& fallback) {
    const std::string e = entry_name(ctx, t, "mission", fallback);
    ctx.check_keys(t, e, {"id", "vehicle", "net", "docked_duration", "crew", "cargo", "slip", "priority", "rotation",
                          "departure", "launched", "pads", "earliest", "fails", "failure_probability", "undocked",
                          "takes_crew_of"});
    MissionSpec m;
    m.id = ctx.string(t, e, "id");
    record(s.sources, ctx, e, t);
    const toml::node& vehicle = ctx.require(t, e, "vehicle");
    m.vehicle = vehicle_names.resolve(ctx, vehicle, e + ".vehicle", ctx.string(vehicle, e + ".vehicle"));
    m.net = date(ctx.require(t, e, "net"), e + ".net");
    m.docked_duration = ctx.number(t, e, "docked_duration");
    m.crew = crew(ctx, t, e);
    m.cargo = amounts(ctx, t, e, "cargo", consumable_names);
    m.slip = optional_distribution(ctx, t, e, "slip");
    if (const toml::node* p = t.get("priority")) {
      if (!p->is_integer()) ctx.fail(*p, e + ".priority", "expected an integer");
      m.priority = static_cast<int>(p->value<std::int64_t>().value_or(0));
    }
    m.rotation = optional_line(t, e);
    if (const toml::node* d = t.get("departure")) m.departure = departure_rule(ctx, *d, e + ".departure");
    if (const toml::node* l = t.get("launched")) m.launched = date(*l, e + ".launched");
    if (const toml::node* l = t.get("earliest")) m.earliest = date(*l, e + ".earliest");
    if (t.get("fails")) m.fails = ctx.boolean(t, e, "fails", false);
    m.failure_probability = ctx.optional_number(t, e, "failure_probability");
    if (const toml::node* u = t.get("undocked")) m.undocked = date(*u, e + ".undocked");
    if (const toml::node* p = t.get("pads")) m.pads = id_list(ctx, *p, e + ".pads", pad_names);
    flight_names.add(ctx, t, e, m.id);
    if (const toml::node* r = t.get("takes_crew_of")) takes_crew.emplace_back(s.missions.size(), r);
    s.missions.push_back(std::move(m));
  });
  for (const auto& replacement : takes_crew) {
    ctx.attempt([&] {
      MissionSpec& m = s.missions[replacement.first];
      const toml::node& target = *replacement.second;
      const std::string k = "mission '" + m.id + "'.takes_crew_of";
      m.takes_crew_of = flight_names.resolve(ctx, target, k, ctx.string(target, k));
    });
  }

  if (const toml::node* node = root.get("policy")) ctx.attempt([&] {
    const toml::table& pol = ctx.table(*node, "[policy]");
    ctx.check_keys(pol, "[policy]", {"decrew"});
    if (const toml::node* dn = pol.get("decrew")) {
      const std::string e = "[policy.decrew]";
      const toml::table& t = ctx.table(*dn, e);
      ctx.check_keys(t, e, {"enabled", "consumables", "days", "min_crew"});
      record(s.sources, ctx, e, t);
      s.decrew.enabled = ctx.boolean(t, e, "enabled", false);
      if (const toml::node* c = t.get("consumables")) s.decrew.consumables = id_list(ctx, *c, e + ".consumables", consumable_names);
      s.decrew.days = number_or(ctx, t, e, "days", s.decrew.days);
      s.decrew.min_crew = integer_or(ctx, t, e, "min_crew", 0);
    }
  });
  ctx.attempt([&] { parse_responses(root, ctx, s, frame.epoch_seconds); });
  return s;
}

}  // namespace

StationSpec build_station_spec(const TomlContext& ctx, const toml::table& root, const ScenarioSpec& scenario,
                               const LoadOptions& options) {
  StationSpec s = parse_station(root, ctx, scenario.scenario, scenario.pads);
  ctx.attempt([&] { parse_investigations(root, ctx, scenario, s); });
  // Every entry read (the errors of [scenario], [[pad]] and [repair.ID] are in `ctx` too): report
  // them all before validate_station() checks the entries against each other.
  ctx.throw_errors();
  apply_load_options(s, options);
  if (!options.no_incident)  // the references describe the incident as it happened
    for (const ReferenceEntry& r : scenario.scenario.references) s.references.push_back(r.reference);
  validate_station(s);
  return s;
}

StationSpec load_station_spec(const std::string& text, const std::string& filename, const LoadOptions& options) {
  const toml::table root = parse_document(text, filename, options.overrides);
  const TomlContext ctx(filename);
  return build_station_spec(ctx, root, parse_scenario(ctx, root), options);
}

}  // namespace padsim::models::detail

namespace padsim::models {

StationSpec load_station_spec(const std::string& text, const std::string& filename, const LoadOptions& options) {
  return detail::load_station_spec(text, filename, options);
}

}  // namespace padsim::models
