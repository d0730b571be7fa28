// Scenario files: the document level. Parses the TOML, checks the top-level sections, runs each
// section's parser in order (scenario_sections()) and picks the model that runs the result.
#include "padsim/models/scenario.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "padsim/models/scenario_spec.hpp"
#include "repair_model.hpp"
#include "scenario_sections.hpp"

namespace padsim::models {

namespace detail {

std::span<const Section> scenario_sections() {
  // Parsing order: [scenario] dates everything; repairs before the pads that name them.
  static constexpr Section kSections[] = {
      {"scenario", true, parse_scenario_info},
      {"repair", false, parse_repairs},
      {"pad", true, parse_pads},
      // Station sections ([[vehicle]], [[mission]], [[consumable]], [station], [[port]],
      // [[docked]], [policy], ...) are listed here, after the pads and repairs they refer to.
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
  info.epoch = iso8601(info.epoch_seconds);
  const toml::node& horizon = ctx.require(t, "scenario", "horizon");
  info.horizon = ctx.days_since(horizon, "scenario.horizon", info.epoch_seconds);
  if (!(info.horizon > 0.0))
    ctx.fail(horizon, "scenario.horizon",
             iso8601(ctx.seconds(horizon, "scenario.horizon")) + " is not after the epoch " + info.epoch);
  if (const toml::node* crew = t.get("nominal_crew")) {
    info.nominal_crew = ctx.integer(*crew, "scenario.nominal_crew");
    if (info.nominal_crew < 1)
      ctx.fail(*crew, "scenario.nominal_crew", "must be at least 1, found " + std::to_string(info.nominal_crew));
  }
}

}  // namespace detail

ScenarioSpec parse_scenario(const std::string& text, const std::string& filename) {
  const detail::TomlContext ctx(filename);
  const toml::table root = detail::parse_toml(text, filename);
  const auto sections = detail::scenario_sections();
  for (auto&& [key, value] : root) {
    bool known = false;
    std::string list;
    for (const detail::Section& s : sections) {
      known = known || key.str() == s.key;
      list += (list.empty() ? "" : ", ") + std::string(s.key);
    }
    if (!known)
      throw InputError(ctx.at(key.source().begin.line > 0 ? key.source() : value.source()),
                       "unknown section '" + std::string(key.str()) + "' (expected one of: " + list + ")");
  }
  ScenarioSpec spec;
  spec.file = filename;
  for (const detail::Section& s : sections) {
    if (const toml::node* node = root.get(s.key))
      s.parse(ctx, *node, spec);
    else if (s.required)
      throw InputError({filename, 0, 0}, "missing section '" + std::string(s.key) + "'");
  }
  return spec;
}

std::unique_ptr<Model> load_scenario(const std::string& text, const std::string& filename,
                                     const LoadOptions& options) {
  auto spec = std::make_shared<const ScenarioSpec>(parse_scenario(text, filename));
  // The station model takes over here once a file has station sections (spec->has_station()).
  return detail::make_repair_model(std::move(spec), options);
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
