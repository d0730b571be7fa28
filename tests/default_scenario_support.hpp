#pragma once
// Shared by the tests that run the shipped scenarios (test_default_scenario*.cpp): paths, row
// splitting, trace reading, batch options and the padsim binary.

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "padsim/batch.hpp"
#include "padsim/calendar.hpp"
#include "padsim/models/scenario.hpp"
#include "padsim/models/task_table.hpp"
#include "padsim/monte_carlo.hpp"
#include "padsim/rng.hpp"
#include "test_support.hpp"

namespace padsim::test::scenarios {

namespace fs = std::filesystem;
using namespace padsim;
using padsim::models::LoadOptions;
using padsim::test::TempDir;
using padsim::test::read;
using padsim::test::lines;

inline const std::string kExperiments = std::string(PADSIM_SOURCE_DIR) + "/experiments/";
inline const std::string kDefaultScenario = kExperiments + "baikonur-2025.toml";
inline const std::string kAsFlownScenario = kExperiments + "as-flown-2025.toml";
inline const fs::path kGolden =
    fs::path(PADSIM_SOURCE_DIR) / "tests" / "golden" / "baikonur-2025-deterministic-runs.csv";

/// Cells of a row without quoted cells (runs.csv's data rows are numbers).
inline std::vector<std::string> split(const std::string& row) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t comma = row.find(',', pos);
    out.push_back(row.substr(pos, comma - pos));
    if (comma == std::string::npos) return out;
    pos = comma + 1;
  }
}

/// Column of outcome `name` in Model::outcomes(); fails the test when there is none.
inline std::size_t outcome_index(const Model& model, const std::string& name) {
  const auto& outcomes = model.outcomes();
  for (std::size_t j = 0; j < outcomes.size(); ++j)
    if (outcomes[j].name == name) return j;
  FAIL("no outcome column " << name);
  return 0;
}

/// Replaces the value of every line `KEY = value  # comment` (KEY at the start of the line) by
/// `value`, keeping the comment; returns the text and the number of lines replaced.
inline std::pair<std::string, int> set_key(const std::string& text, std::string_view key,
                                    std::string_view value) {
  std::string out;
  int replaced = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const bool match = line.starts_with(key) &&
                       line.find_first_not_of(' ', key.size()) != std::string::npos &&
                       line[line.find_first_not_of(' ', key.size())] == '=';
    if (match) {
      const std::size_t hash = line.find('#');
      line = std::string(key) + " = " + std::string(value) +
             (hash == std::string::npos ? "" : "   " + line.substr(hash));
      ++replaced;
    }
    out += line + "\n";
  }
  return {out, replaced};
}

/// Every event of a replication, as `padsim replay --trace` would write it.
struct RecordingSink : TraceSink {
  struct Event {
    Time t;
    std::string event, subject, details;
  };
  std::vector<Event> events;
  void event(Time t, std::string_view event, std::string_view subject,
             std::string_view details) override {
    events.push_back({t, std::string(event), std::string(subject), std::string(details)});
  }
  /// The first event `event` of `subject`, if any.
  std::optional<Event> first(std::string_view event, std::string_view subject) const {
    for (const Event& e : events)
      if (e.event == event && e.subject == subject) return e;
    return std::nullopt;
  }
};

/// Days from the scenarios' epoch (2025-11-27T09:28Z) to 00:00 UTC of `ymd`.
inline double days_from_epoch(std::chrono::year_month_day ymd) {
  using namespace std::chrono;
  const auto epoch = sys_days{2025y / November / 27} + 9h + 28min;
  return duration<double, days::period>(sys_days{ymd} - epoch).count();
}

inline BatchOptions batch_options(unsigned threads, std::uint64_t replications) {
  BatchOptions o;
  o.seed = kDefaultSeed;
  o.replications = replications;
  o.threads = threads;
  o.scenario = "experiments/baikonur-2025.toml";
  o.scenario_sha256 = "test";
  o.command_line = "padsim_tests";
  return o;
}


/// runs.csv of the deterministic default scenario (one replication, the default seed), as
/// `padsim run --deterministic` writes it.
inline std::string deterministic_runs_csv(const std::string& scenario_path, const std::string& name) {
  const auto model = models::load_scenario_file(scenario_path, LoadOptions{.deterministic = true});
  const BatchOptions options = batch_options(1, 1);
  TempDir dir(name);
  write_batch_outputs(*model, run_batch(*model, options), options, dir.path);
  return read(dir.path / "runs.csv");
}

/// Runs `padsim ARGS` in `dir`; returns its exit status.
inline int padsim_cli(const std::string& args, const fs::path& dir) {
  const std::string command = "cd '" + dir.string() + "' && '" PADSIM_BINARY "' " + args +
                              " >stdout.txt 2>stderr.txt";
  const int raw = std::system(command.c_str());
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

}  // namespace padsim::test::scenarios
