#include "scenario_source.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "padsim/error.hpp"

namespace padsim::cli {

namespace {

std::string stem_of(const std::string& name) { return std::filesystem::path(name).stem().string(); }

std::string too_large() {
  return "is larger than " + std::to_string(kMaxScenarioBytes >> 20) +
         " MiB, the limit for a scenario file (a scenario of 100,000 tasks is about 5 MiB)";
}

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
  if (std::filesystem::is_directory(path, ec))
    throw InputError({path, 0, 0}, "is a directory; give a scenario file (TOML)");
  // A size limit, checked while reading rather than with stat alone: /dev/zero, a FIFO or a file
  // that grows report a size that means nothing.
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size > kMaxScenarioBytes)
    throw InputError({path, 0, 0}, too_large());
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, std::string("cannot read the scenario: ") + std::strerror(errno));
  std::string text;
  std::vector<char> block(1 << 16);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    text.append(block.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxScenarioBytes) throw InputError({path, 0, 0}, too_large());
  }
  if (in.bad()) throw InputError({path, 0, 0}, "cannot read the scenario");
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw InputError({path, 1, 1}, "the scenario is empty: it needs at least [scenario] and a [[pad]] "
                                   "(see docs/scenario.md)");
  return {path, stem_of(path), std::move(text), false};
}

std::unique_ptr<Model> load_model(const ScenarioSource& source, const models::LoadOptions& options) {
  return models::load_scenario(source.text, source.label, options);
}

}  // namespace padsim::cli
