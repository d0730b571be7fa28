// `[[pad]]` entries of a scenario file (docs/scenario.md) -> PadSpec.
#include <cmath>

#include "scenario_sections.hpp"

namespace padsim::models::detail {

namespace {

AfterRepairSpec parse_after_repair(const TomlContext& ctx, const toml::node& node, const std::string& entry) {
  const toml::table& t = ctx.table(node, entry);
  ctx.check_keys(t, entry, {"campaign", "first_launch_uncrewed", "max_wait", "crewed_gate"});
  AfterRepairSpec after;
  if (const toml::node* n = t.get("campaign")) after.campaign = ctx.duration(*n, entry + ".campaign");
  parse_return_to_flight(ctx, t, entry, after);
  return after;
}

/// One [[pad]] entry (the `i`th, 0-based) into spec.pads.
void parse_pad(const TomlContext& ctx, const toml::table& t, std::size_t i, ScenarioSpec& spec) {
  const std::string indexed = "pad[" + std::to_string(i + 1) + "]";
  ctx.check_keys(t, indexed, {"id", "name", "down_at_epoch", "repair", "turnaround", "damage_probability",
                              "after_repair"});
  PadSpec pad;
  pad.id = ctx.string(t, indexed, "id");
  pad.where = ctx.at(ctx.require(t, indexed, "id"));
  const std::string entry = "pad[" + pad.id + "]";
  for (const PadSpec& other : spec.pads)
    if (other.id == pad.id)
      ctx.fail(*t.get("id"), entry + ".id",
               "pad '" + pad.id + "' is defined twice (first at line " + std::to_string(other.where.line) + ")");
  pad.name = ctx.optional_string(t, entry, "name").value_or(pad.id);
  pad.down_at_epoch = ctx.boolean(t, entry, "down_at_epoch", false);
  if (const toml::node* n = t.get("turnaround")) pad.turnaround = ctx.duration(*n, entry + ".turnaround");
  if (const toml::node* n = t.get("damage_probability")) {
    pad.damage_probability = ctx.number(*n, entry + ".damage_probability");
    if (!(pad.damage_probability >= 0.0 && pad.damage_probability <= 1.0))
      ctx.fail(*n, entry + ".damage_probability",
               "probability " + format_number(pad.damage_probability) + " is outside [0, 1]");
  }
  if (const toml::node* n = t.get("after_repair")) pad.after_repair = parse_after_repair(ctx, *n, entry + ".after_repair");

  if (const toml::node* n = t.get("repair")) {
    pad.repair.id = ctx.string(*n, entry + ".repair");
    const RepairEntry* repair = spec.find_repair(pad.repair.id);
    if (!repair && !ctx.failed(pad.repair.id)) {
      std::string known;
      for (const RepairEntry& r : spec.repairs) known += (known.empty() ? "" : ", ") + r.id;
      ctx.fail(*n, entry + ".repair",
               "unknown repair project '" + pad.repair.id + "' (" +
                   (known.empty() ? std::string("the file has no [repair.ID] table") : "defined: " + known) + ")");
    }
    // A project that failed to load leaves the pad without one, so that what names the pad still
    // loads and reports its own errors; the project's errors stop the loading before the pad is used.
    if (repair) pad.repair.project = repair->project;
  } else if (pad.down_at_epoch || pad.damage_probability > 0.0) {
    ctx.fail(t, entry, std::string("needs a 'repair' project: it is ") +
                           (pad.down_at_epoch ? "down at the epoch" : "damaged with probability > 0"));
  }
  spec.pads.push_back(std::move(pad));
}

}  // namespace

void parse_return_to_flight(const TomlContext& ctx, const toml::table& t, const std::string& entry,
                            ReturnToFlightSpec& rules) {
  rules.first_launch_uncrewed = ctx.boolean(t, entry, "first_launch_uncrewed", false);
  if (const toml::node* n = t.get("max_wait")) {
    rules.max_wait = ctx.number(*n, entry + ".max_wait");
    if (rules.max_wait < 0.0) ctx.fail(*n, entry + ".max_wait", "must be 0 or more days");
  }
  if (const toml::node* n = t.get("crewed_gate")) rules.crewed_gate = ctx.duration(*n, entry + ".crewed_gate");
}

void parse_pads(const TomlContext& ctx, const toml::node& node, ScenarioSpec& spec) {
  const toml::array* pads = node.as_array();
  if (!pads || !pads->is_array_of_tables())
    ctx.fail(node, "pad", "expected an array of tables: write each pad as [[pad]]");
  for (std::size_t i = 0; i < pads->size(); ++i) {
    const toml::table& t = *pads->get(i)->as_table();
    ctx.attempt([&] { parse_pad(ctx, t, i, spec); }, id_or_empty(t));
  }
}

}  // namespace padsim::models::detail
