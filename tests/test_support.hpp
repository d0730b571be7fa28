#pragma once
// Helpers shared by the test files: temporary directories, whole-file reads, CSV rows.

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace padsim::test {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

/// Two vectors of doubles equal bit for bit: an empty cell (NaN) equals itself, -0.0 differs
/// from 0.0.
inline bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

/// Whether this suite runs under a sanitizer (the asan and tsan presets), where padsim runs
/// several times slower: tests that time whole padsim processes run smaller batches there.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

/// The head of a small test scenario with its epoch: pad "p", down at the epoch, repaired by
/// project "r" (whose tasks a test appends). Ten lines, so the first line appended is line 11.
inline std::string repair_scenario_head(const std::string& epoch) {
  return "[scenario]\nname = \"t\"\nepoch = \"" + epoch +
         "\"\nhorizon = \"2027-06-30\"\n\n[[pad]]\nid = \"p\"\ndown_at_epoch = true\nrepair = \"r\"\n\n";
}

/// The head most tests use: the incident's epoch.
inline const std::string kRepairScenarioHead = repair_scenario_head("2025-11-27T09:28Z");

/// The head with the epoch on Friday 2026-01-02 (midnight UTC), for working-calendar tests.
inline const std::string kCalendarScenarioHead = repair_scenario_head("2026-01-02");

/// A fresh, empty directory under the system's temporary directory, removed with its contents
/// when the object goes out of scope. The name includes the process id, so parallel test
/// processes never share one.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() /
             ("padsim_test_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

/// The whole file, byte for byte.
inline std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot read " << p.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The cells of one CSV row (RFC 4180: a quoted cell may hold commas, and "" stands for a quote).
inline std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < row.size(); ++i) {
    const char c = row[i];
    if (c == '"' && quoted && i + 1 < row.size() && row[i + 1] == '"') {
      out.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

/// The rows of CSV text whose rows all end in CRLF (RFC 4180), without their line ends.
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find("\r\n", pos);
    REQUIRE_MESSAGE(end != std::string::npos, "a row does not end in CRLF");
    out.push_back(text.substr(pos, end - pos));
    pos = end + 2;
  }
  return out;
}

/// run.json without the lines allowed to differ between otherwise identical runs (the thread
/// count and the wall time).
inline std::string stable_json(const std::string& json) {
  std::string out;
  std::istringstream s(json);
  for (std::string line; std::getline(s, line);)
    if (line.find("\"threads\"") == std::string::npos &&
        line.find("\"wall_time_seconds\"") == std::string::npos)
      out += line + "\n";
  return out;
}

}  // namespace padsim::test
