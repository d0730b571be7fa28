// The [[response]] entries of a station scenario (docs/scenario.md "Responses"): their shape and
// names. validate_station() checks the values (station_response_validation.cpp).
#include <map>
#include <string>
#include <vector>

#include "station_response_loader.hpp"

namespace padsim::models::detail {

namespace {

// Where `entry` and each of its keys (nested tables too) were written.
void record(SpecSources& sources, const TomlContext& ctx, const std::string& entry, const toml::node& node) {
  sources.at.emplace(entry, ctx.at(node));
  if (const toml::table* t = node.as_table())
    for (auto&& [key, value] : *t) record(sources, ctx, entry + "." + std::string(key.str()), value);
}

// Resolves a name among `ids` (in file order), or fails at `node` listing the known ones.
std::size_t resolve(const TomlContext& ctx, const toml::node& node, const std::string& entry, const char* what,
                    const std::vector<std::string>& ids) {
  const std::string id = ctx.string(node, entry);
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (ids[i] == id) return i;
  std::string known;
  for (const auto& k : ids) known += (known.empty() ? "" : ", ") + k;
  ctx.fail_unknown(node, entry, id, std::string("unknown ") + what + " '" + id + "'" +
                                        (known.empty() ? " (none is defined)" : " (known: " + known + ")"));
}

template <class T>
std::vector<std::string> ids_of(const std::vector<T>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.id);
  return out;
}

TriggerSpec trigger(const toml::table& t, const TomlContext& ctx, const std::string& e, const StationSpec& s,
                    double epoch_seconds) {
  ctx.check_keys(t, e, {"kind", "pad", "days", "date", "consumable", "launcher", "mission"});
  TriggerSpec out;
  const toml::node& kind = ctx.require(t, e, "kind");
  const std::string k = ctx.string(kind, e + ".kind");
  auto need = [&](std::string_view key) -> const toml::node& { return ctx.require(t, e, key); };
  if (k == "pad_down_for" || k == "pad_not_ready") {
    out.kind = k == "pad_down_for" ? TriggerKind::kPadDownFor : TriggerKind::kPadNotReady;
    out.pad = resolve(ctx, need("pad"), e + ".pad", "pad", ids_of(s.pads));
    if (out.kind == TriggerKind::kPadDownFor) out.days = ctx.number(need("days"), e + ".days");
    else out.date = ctx.days_since(need("date"), e + ".date", epoch_seconds);
  } else if (k == "stock_below") {
    out.kind = TriggerKind::kStockBelow;
    out.consumable = resolve(ctx, need("consumable"), e + ".consumable", "consumable", ids_of(s.consumables));
    out.days = ctx.number(need("days"), e + ".days");
  } else if (k == "launch_failed") {
    out.kind = TriggerKind::kLaunchFailed;
    const toml::node* l = t.get("launcher");
    const toml::node* m = t.get("mission");
    if (l && m) ctx.fail(*m, e, "names either a 'launcher' family or a 'mission', not both");
    if (!l && !m) ctx.fail(t, e, "launch_failed needs a 'launcher' family or a 'mission'");
    if (l) out.launcher = resolve(ctx, *l, e + ".launcher", "launcher", ids_of(s.launchers));
    else out.mission = resolve(ctx, *m, e + ".mission", "mission", ids_of(s.missions));
  } else {
    ctx.fail(kind, e + ".kind",
             "expected \"pad_down_for\", \"pad_not_ready\", \"stock_below\" or \"launch_failed\", found \"" + k + "\"");
  }
  return out;
}

std::vector<ActionAmount> amounts(const toml::table& t, const TomlContext& ctx, const std::string& e,
                                  std::string_view key, const StationSpec& s) {
  std::vector<ActionAmount> out;
  const toml::node* node = t.get(key);
  if (!node) return out;
  const std::string k = e + "." + std::string(key);
  for (auto&& [name, value] : ctx.table(*node, k)) {
    std::size_t c = 0;
    const std::string n(name.str());
    bool found = false;
    for (; c < s.consumables.size(); ++c)
      if (s.consumables[c].id == n) {
        found = true;
        break;
      }
    if (!found) {
      std::string known;
      for (const auto& x : s.consumables) known += (known.empty() ? "" : ", ") + x.id;
      ctx.fail_unknown(value, k, n, "unknown consumable '" + n + "' (known: " + known + ")");
    }
    out.push_back({c, ctx.distribution(value, k + "." + n)});
  }
  return out;
}

// An added mission, written like a [[mission]] without a NET (nor a replay's dates); with a
// `rotation` it joins that line when it is added.
MissionSpec added_mission(const toml::table& t, const TomlContext& ctx, const std::string& fallback, StationSpec& s,
                          double epoch_seconds) {
  const toml::node* id = t.get("id");
  if (!id) ctx.fail(t, fallback, "missing key 'id'");
  MissionSpec m;
  m.id = ctx.string(*id, fallback + ".id");
  const std::string e = "mission '" + m.id + "'";
  ctx.check_keys(t, e, {"id", "vehicle", "docked_duration", "crew", "cargo", "slip", "priority", "departure", "pads",
                        "earliest", "fails", "failure_probability", "rotation"});
  for (const auto& other : s.missions)
    if (other.id == m.id) ctx.fail(*id, e, "duplicate id '" + m.id + "' (ids of missions and docked vehicles must be unique)");
  for (const auto& other : s.docked)
    if (other.id == m.id) ctx.fail(*id, e, "duplicate id '" + m.id + "' (ids of missions and docked vehicles must be unique)");
  record(s.sources, ctx, e, t);
  m.vehicle = resolve(ctx, ctx.require(t, e, "vehicle"), e + ".vehicle", "vehicle class", ids_of(s.vehicles));
  m.docked_duration = ctx.number(t, e, "docked_duration");
  if (const toml::node* c = t.get("crew")) {
    const toml::table& ct = ctx.table(*c, e + ".crew");
    ctx.check_keys(ct, e + ".crew", {"rs", "usos"});
    if (const toml::node* n = ct.get("rs")) m.crew.rs = ctx.integer(*n, e + ".crew.rs");
    if (const toml::node* n = ct.get("usos")) m.crew.usos = ctx.integer(*n, e + ".crew.usos");
  }
  for (const ActionAmount& x : amounts(t, ctx, e, "cargo", s)) m.cargo.push_back({x.consumable, x.amount});
  if (const toml::node* n = t.get("slip")) m.slip = ctx.distribution(*n, e + ".slip");
  if (const toml::node* n = t.get("priority")) m.priority = ctx.integer(*n, e + ".priority");
  if (const toml::node* n = t.get("rotation")) m.rotation = resolve(ctx, *n, e + ".rotation", "rotation line", ids_of(s.rotations));
  if (const toml::node* n = t.get("departure")) {
    const std::string v = ctx.string(*n, e + ".departure");
    if (v == "planned") m.departure = DepartureRule::kPlanned;
    else if (v == "until_port_needed") m.departure = DepartureRule::kUntilPortNeeded;
    else ctx.fail(*n, e + ".departure", "expected \"planned\" or \"until_port_needed\", found \"" + v + "\"");
  }
  if (const toml::node* n = t.get("pads"))
    for (auto&& item : ctx.array(*n, e + ".pads")) m.pads.push_back(resolve(ctx, item, e + ".pads", "pad", ids_of(s.pads)));
  if (const toml::node* n = t.get("earliest")) m.earliest = ctx.days_since(*n, e + ".earliest", epoch_seconds);
  if (t.get("fails")) m.fails = ctx.boolean(t, e, "fails", false);
  m.failure_probability = ctx.optional_number(t, e, "failure_probability");
  return m;
}

ActionSpec action(const toml::table& t, const TomlContext& ctx, const std::string& e, StationSpec& s,
                  double epoch_seconds, std::size_t response) {
  ctx.check_keys(t, e, {"move", "cargo", "cancel", "extend", "add", "net", "by", "kg", "supplies", "firm", "lead"});
  ActionSpec a;
  const char* kinds[] = {"move", "cargo", "cancel", "extend", "add"};
  const toml::node* target = nullptr;
  for (std::size_t i = 0; i < 5; ++i) {
    const toml::node* n = t.get(kinds[i]);
    if (!n) continue;
    if (target) ctx.fail(*n, e, "names one action (move, cargo, cancel, extend or add), found two");
    target = n;
    a.kind = static_cast<ActionKind>(i);
  }
  if (!target) ctx.fail(t, e, "names no action: give one of move, cargo, cancel, extend = \"<mission>\" or add = { ... }");
  const std::string k = e + "." + kinds[static_cast<std::size_t>(a.kind)];
  for (const char* key : {"net", "by", "kg", "supplies", "firm"})
    if (const toml::node* n = t.get(key); n && a.kind == ActionKind::kAdd)
      ctx.fail(*n, e + "." + key, "does not apply to add");
  if (a.kind == ActionKind::kAdd) {
    MissionSpec m = added_mission(ctx.table(*target, k), ctx, k, s, epoch_seconds);
    m.added_by = response;
    a.flight = s.docked.size() + s.missions.size();
    s.missions.push_back(std::move(m));
    if (const toml::node* lead = t.get("lead")) a.lead = ctx.distribution(*lead, e + ".lead");
    return a;
  }
  if (const toml::node* n = t.get("lead")) ctx.fail(*n, e + ".lead", std::string("does not apply to ") + kinds[static_cast<std::size_t>(a.kind)]);
  std::vector<std::string> flights = ids_of(s.docked);
  for (const auto& m : s.missions) flights.push_back(m.id);
  a.flight = resolve(ctx, *target, k, a.kind == ActionKind::kExtend ? "mission or docked vehicle" : "mission", flights);
  if (a.kind != ActionKind::kExtend && a.flight < s.docked.size())
    ctx.fail(*target, k, "'" + flights[a.flight] + "' is a docked vehicle; only extend acts on one");
  auto only = [&](std::string_view key, bool allowed) {
    if (const toml::node* n = t.get(key); n && !allowed)
      ctx.fail(*n, e + "." + std::string(key), std::string("does not apply to ") + kinds[static_cast<std::size_t>(a.kind)]);
  };
  only("net", a.kind == ActionKind::kMove);
  only("by", a.kind == ActionKind::kMove || a.kind == ActionKind::kExtend);
  only("kg", a.kind == ActionKind::kCargo);
  only("supplies", a.kind == ActionKind::kCargo);
  only("firm", a.kind == ActionKind::kExtend);
  if (a.kind == ActionKind::kMove) {
    const toml::node* net = t.get("net");
    const toml::node* by = t.get("by");
    if (net && by) ctx.fail(*by, e, "move gives either 'net' (a date) or 'by' (days), not both");
    if (!net && !by) ctx.fail(t, e, "move needs 'net' (a date) or 'by' (days, may be negative)");
    if (net) a.net = ctx.days_since(*net, e + ".net", epoch_seconds);
    else a.delta = ctx.distribution(*by, e + ".by");
  } else if (a.kind == ActionKind::kExtend) {
    a.delta = ctx.distribution(ctx.require(t, e, "by"), e + ".by");
    a.firm = ctx.boolean(t, e, "firm", false);
  } else if (a.kind == ActionKind::kCargo) {
    a.cargo = amounts(t, ctx, e, "kg", s);
    a.supplies = amounts(t, ctx, e, "supplies", s);
    if (a.cargo.empty() && a.supplies.empty()) ctx.fail(t, e, "cargo sets nothing: give 'kg' and/or 'supplies'");
  }
  return a;
}

}  // namespace

void parse_responses(const toml::table& root, const TomlContext& ctx, StationSpec& s, double epoch_seconds) {
  const toml::node* node = root.get("response");
  if (!node) return;
  const toml::array& list = ctx.array(*node, "[[response]]");
  std::map<std::string, bool> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    ctx.attempt([&] {
      const std::string fallback = "response #" + std::to_string(i + 1);
      const toml::table& t = ctx.table(*list.get(i), fallback);
      const toml::node* id = t.get("id");
      if (!id) ctx.fail(t, fallback, "missing key 'id'");
      ResponseSpec r;
      r.id = ctx.string(*id, fallback + ".id");
      const std::string e = "response '" + r.id + "'";
      if (seen.count(r.id)) ctx.fail(t, e, "duplicate id '" + r.id + "' (ids in response must be unique)");
      seen[r.id] = true;
      ctx.check_keys(t, e, {"id", "enabled", "trigger", "probability", "lag", "repeat", "action"});
      record(s.sources, ctx, e, t);
      r.enabled = ctx.boolean(t, e, "enabled", true);
      r.trigger = trigger(ctx.table(ctx.require(t, e, "trigger"), e + ".trigger"), ctx, e + ".trigger", s, epoch_seconds);
      r.probability = ctx.optional_number(t, e, "probability").value_or(1.0);
      if (const toml::node* lag = t.get("lag")) r.lag = ctx.distribution(*lag, e + ".lag");
      r.repeat = ctx.boolean(t, e, "repeat", false);
      const toml::array& actions = ctx.array(ctx.require(t, e, "action"), e + ".action");
      for (std::size_t k = 0; k < actions.size(); ++k) {
        const std::string ae = e + ".action[" + std::to_string(k + 1) + "]";
        const toml::table& at = ctx.table(*actions.get(k), ae);
        record(s.sources, ctx, ae, at);
        r.actions.push_back(action(at, ctx, ae, s, epoch_seconds, s.responses.size()));
      }
      if (r.actions.empty()) ctx.fail(t, e, "has no action");
      s.responses.push_back(std::move(r));
    }, id_or_empty(*list.get(i)));
  }
}

}  // namespace padsim::models::detail
