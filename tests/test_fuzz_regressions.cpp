// Every input the scenario fuzzer (tests/fuzz/) ever needed, and the hostile cases it was seeded
// with, stays a regression test in every build, fuzzer or not: each file in tests/fuzz/regressions/
// either loads or is refused with an InputError that names its position in that file.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "padsim/error.hpp"
#include "padsim/models/scenario.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

TEST_CASE("every kept fuzzer input loads or is refused with its position") {
  const fs::path dir = fs::path(PADSIM_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 8);
  for (const fs::path& file : files) {
    const std::string name = file.filename().string();
    CAPTURE(name);
    std::string message;
    try {
      padsim::models::load_scenario(padsim::test::read(file), name);
    } catch (const padsim::InputError& e) {
      message = e.what();
    }
    // Every seed is bad input; a finding that turns out to be valid would be kept as such.
    CHECK(message.rfind(name + ":", 0) == 0);
    CHECK(message.find(": error: ") != std::string::npos);
  }
}
