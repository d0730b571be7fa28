// Scenario files: the document level. Parses the TOML, checks the top-level sections, runs each
// section's parser in order (scenario_sections()) and picks the model that runs the result.
#include "padsim/models/scenario.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "padsim/calendar.hpp"
#include "padsim/models/scenario_spec.hpp"
#include "padsim/models/station.hpp"
#include "overrides.hpp"
#include "repair_model.hpp"
#include "scenario_sections.hpp"
#include "station_loader.hpp"

namespace padsim::models {

namespace detail {

std::span<const Section> scenario_sections() {
  // Parsing order: [scenario] dates everything; repairs before the pads that name them.
  static constexpr Section kSections[] = {
      {"scenario", true, parse_scenario_info},
      {"repair", false, parse_repairs},
      {"pad", true, parse_pads},
      // Station sections: read as a whole by the station loader (station_loader.cpp).
      {"station", false, mark_station_section},
      {"port", false, mark_station_section},
      {"launcher", false, mark_station_section},
      {"rotation", false, mark_station_section},
      {"vehicle", false, mark_station_section},
      {"consumable", false, mark_station_section},
      {"docked", false, mark_station_section},
      {"mission", false, mark_station_section},
      {"policy", false, mark_station_section},
      {"response", false, mark_station_section},
      {"investigation", false, mark_station_section},
      // Needs the epoch only; its outcome names are checked once the model is built (load_scenario).
      {"reference", false, parse_references},
  };
  return kSections;
}

void parse_scenario_info(const TomlContext& ctx, const toml::node& node, ScenarioSpec& spec) {
  const toml::table& t = ctx.table(node, "scenario");
  ctx.check_keys(t, "scenario", {"name", "description", "epoch", "horizon", "nominal_crew"});
  ScenarioInfo& info = spec.scenario;
  info.name = ctx.string(t, "scenario", "name");
  info.description = ctx.optional_string(t, "scenario", "description").value_or("");
  info.epoch_seconds = ctx.seconds(ctx.require(t, "scenario", "epoch"), "scenario.epoch");
  info.epoch = padsim::format_iso8601(info.epoch_seconds);
  const toml::node& horizon = ctx.require(t, "scenario", "horizon");
  info.horizon = ctx.days_since(horizon, "scenario.horizon", info.epoch_seconds);
  if (!(info.horizon > 0.0))
    ctx.fail(horizon, "scenario.horizon",
             padsim::format_iso8601(ctx.seconds(horizon, "scenario.horizon")) + " is not after the epoch " + info.epoch);
  if (const toml::node* crew = t.get("nominal_crew")) {
    info.nominal_crew = ctx.integer(*crew, "scenario.nominal_crew");
    if (info.nominal_crew < 1)
      ctx.fail(*crew, "scenario.nominal_crew", "must be at least 1, found " + std::to_string(info.nominal_crew));
  }
}

void parse_references(const TomlContext& ctx, const toml::node& node, ScenarioSpec& spec) {
  for (auto&& item : ctx.array(node, "[[reference]]")) {
    ctx.attempt([&] {
      const std::string e = "[[reference]]";
      const toml::table& t = ctx.table(item, e);
      ctx.check_keys(t, e, {"outcome", "date", "label"});
      ReferenceEntry entry;
      entry.reference.outcome = ctx.string(t, e, "outcome");
      entry.reference.value = ctx.days_since(ctx.require(t, e, "date"), e + ".date", spec.scenario.epoch_seconds);
      entry.reference.label = ctx.optional_string(t, e, "label").value_or("");
      entry.where = ctx.at(item);
      spec.scenario.references.push_back(std::move(entry));
    });
  }
}

void mark_station_section(const TomlContext&, const toml::node&, ScenarioSpec& spec) {
  spec.station_sections = true;
}

ScenarioSpec parse_scenario(const TomlContext& ctx, const toml::table& root) {
  detail::refuse_control_characters(root, ctx.file());
  const auto sections = detail::scenario_sections();
  for (auto&& [key, value] : root) {
    bool known = false;
    std::string list;
    for (const detail::Section& s : sections) {
      known = known || key.str() == s.key;
      list += (list.empty() ? "" : ", ") + std::string(s.key);
    }
    if (!known)
      ctx.record(InputError(ctx.at(key.source().begin.line > 0 ? key.source() : value.source()),
                            "unknown section '" + std::string(key.str()) + "' (expected one of: " + list + ")"));
  }
  ScenarioSpec spec;
  spec.file = ctx.file();
  for (const detail::Section& s : sections) {
    // Each section reads its entries one by one (an entry's error is recorded and the next one
    // read). A section that cannot be read at all, or is missing, leaves the sections after it
    // nothing to refer to: the errors so far are reported at once, and so are [scenario]'s, which
    // dates every other section.
    if (const toml::node* node = root.get(s.key)) {
      if (!ctx.attempt([&] { s.parse(ctx, *node, spec); })) ctx.throw_errors();
    } else if (s.required) {
      ctx.record(InputError({ctx.file(), 0, 0}, "missing section '" + std::string(s.key) + "'"));
      ctx.throw_errors();
    }
  }
  return spec;
}

ScenarioSpec parse_scenario(const toml::table& root, const std::string& filename) {
  const TomlContext ctx(filename);
  ScenarioSpec spec = parse_scenario(ctx, root);
  ctx.throw_errors();
  return spec;
}

}  // namespace detail

ScenarioSpec parse_scenario(const std::string& text, const std::string& filename) {
  return detail::parse_scenario(detail::parse_toml(text, filename), filename);
}

std::unique_ptr<Model> load_scenario(const std::string& text, const std::string& filename,
                                     const LoadOptions& options) {
  // Phases (docs/scenario.md "Errors"): the TOML, then every entry (errors collected in `ctx`),
  // then the checks between entries, each only on a document whose entries all loaded.
  const toml::table root = detail::parse_document(text, filename, options.overrides);
  const detail::TomlContext ctx(filename);
  auto spec = std::make_shared<const ScenarioSpec>(detail::parse_scenario(ctx, root));
  std::unique_ptr<Model> model;
  if (spec->has_station()) {
    model = std::make_unique<StationModel>(detail::build_station_spec(ctx, root, *spec, options));
  } else {
    ctx.throw_errors();
    model = detail::make_repair_model(spec, options);
  }
  // Outcome names are known only once the model has built its outcomes.
  const auto& outcomes = model->outcomes();
  for (const ReferenceEntry& r : spec->scenario.references) {
    ctx.attempt([&] {
      const auto it = std::find_if(outcomes.begin(), outcomes.end(),
                                   [&](const OutcomeInfo& o) { return o.name == r.reference.outcome; });
      if (it == outcomes.end())
        throw InputError(r.where, "[[reference]].outcome: no outcome named '" + r.reference.outcome + "' in this scenario");
      if (it->unit != "day")
        throw InputError(r.where, "[[reference]].outcome: '" + r.reference.outcome + "' is not a day outcome (its unit is '" +
                                      it->unit + "'); a reference gives a date");
    });
  }
  ctx.throw_errors();
  return model;
}

std::unique_ptr<Model> load_scenario_file(const std::string& path, const LoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "cannot read the scenario file: " + std::string(std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError({path, 0, 0}, "cannot read the scenario file: " + std::string(std::strerror(errno)));
  return load_scenario(text.str(), path, options);
}

}  // namespace padsim::models
