#include "scenario_source.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "padsim/error.hpp"

namespace padsim::cli {

namespace {

std::string stem_of(const std::string& name) { return std::filesystem::path(name).stem().string(); }

ScenarioSource embedded(const std::string& name, const std::string& text) {
  return {"experiments/" + name, stem_of(name), text, true};
}

}  // namespace

ScenarioSource read_scenario(const std::string& path) {
  const auto& scenarios = embedded_scenarios();
  if (path.empty()) {
    const auto it = scenarios.find(kDefaultScenario);
    if (it == scenarios.end())
      throw Error(std::string("the default scenario ") + kDefaultScenario +
                  " is not embedded in this build (experiments/" + kDefaultScenario +
                  " did not exist when padsim was built); give a SCENARIO file");
    spdlog::info("scenario: {} (embedded default)", kDefaultScenario);
    return embedded(it->first, it->second);
  }
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    for (const std::string& name : {path, path + ".toml"}) {
      const auto it = scenarios.find(name);
      if (it != scenarios.end()) {
        spdlog::info("scenario: {} (embedded; no file {} here)", name, path);
        return embedded(it->first, it->second);
      }
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, std::string("cannot read the scenario: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError({path, 0, 0}, "cannot read the scenario");
  return {path, stem_of(path), text.str(), false};
}

std::unique_ptr<Model> load_model(const ScenarioSource& source, const models::LoadOptions& options) {
  return models::load_scenario(source.text, source.label, options);
}

}  // namespace padsim::cli
