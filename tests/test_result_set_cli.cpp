// The result set of the built binary under SIGKILL and a concurrent writer: --out always holds one
// complete set, and a second `padsim run` into it is refused while the first runs.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cli_support.hpp"
#include "padsim/result_set.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using padsim::test::read;
using padsim::test::TempDir;

namespace {

const std::vector<std::string> kFiles = {"runs.csv",        "inputs.csv",     "summary.csv",
                                         "tasks.csv",       "merges.csv",      "sensitivity.csv",
                                         "timeseries.csv",  "columns.csv",     "run.json"};

/// Starts `padsim run --quiet --threads 1 --runs RUNS --seed SEED --out out` in `dir`.
pid_t start_run(const fs::path& dir, const std::string& runs, const std::string& seed) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(PADSIM_BINARY, "padsim", "run", "--quiet", "--threads", "1", "--runs", runs.c_str(),
            "--seed", seed.c_str(), "--out", "out", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

int wait_status(pid_t pid) {
  int raw = 0;
  ::waitpid(pid, &raw, 0);
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -WTERMSIG(raw);
}

/// The line of run.json naming the batch seed: the set a run.json belongs to (its wall time differs).
std::string seed_line(const fs::path& run_json) {
  const std::string text = read(run_json);
  const std::size_t at = text.find("\"seed\":");
  REQUIRE(at != std::string::npos);
  return text.substr(at, text.find('\n', at) - at);
}

/// Which of the complete sets `a` and `b` directory `dir` holds: 'a', 'b', or '?' for a mix or a
/// partial set.
char which_set(const fs::path& dir, const fs::path& a, const fs::path& b) {
  std::string seen;
  for (const auto& name : kFiles) {
    if (!fs::exists(dir / name)) return '?';
    const bool json = name == "run.json";
    auto same = [&](const fs::path& ref) {
      return json ? seed_line(dir / name) == seed_line(ref / name) : read(dir / name) == read(ref / name);
    };
    if (same(a) && same(b)) continue;  // the same in both sets (columns.csv): it tells nothing
    seen += same(a) ? 'a' : same(b) ? 'b' : '?';
  }
  return seen.find_first_not_of(seen[0]) == std::string::npos ? seen[0] : '?';
}

/// The hidden entries beside `out` (staging directories, old sets, the lock).
std::vector<std::string> leftovers(const fs::path& parent) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(parent))
    if (e.path().filename().string().rfind(".out.", 0) == 0) out.push_back(e.path().filename().string());
  return out;
}

}  // namespace

TEST_CASE("padsim run killed with SIGKILL at any point leaves --out holding one complete set") {
  TempDir root("result_set_kill");
  const fs::path work = root.path / "work", ref = root.path / "ref";
  fs::create_directories(work);
  fs::create_directories(ref);
  // The kills land at fractions of a whole run's time, so a smaller batch under a sanitizer
  // (where padsim runs about ten times slower) still meets every phase.
  const std::string runs = padsim::test::kSanitized ? "1000" : "3000";
  REQUIRE(wait_status(start_run(work, runs, "1")) == 0);  // the previous complete set
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(wait_status(start_run(ref, runs, "2")) == 0);  // what the interrupted run would write
  const auto whole = std::chrono::steady_clock::now() - started;
  REQUIRE(which_set(work / "out", work / "out", ref / "out") == 'a');
  // Copy set 1 aside: a kill that lands after the publish replaces work/out with set 2.
  const fs::path old = root.path / "old";
  fs::copy(work / "out", old);

  // Fixed fractions of a whole run's time, the last ones near its publish, and random ones.
  std::vector<double> fractions = {0.05, 0.2, 0.5, 0.8, 0.9, 0.95, 0.98, 1.0, 1.05};
  std::mt19937 rng(std::random_device{}());
  for (int i = 0; i < 4; ++i) fractions.push_back(std::uniform_real_distribution<double>(0.0, 1.1)(rng));
  int replaced = 0;
  for (const double f : fractions) {
    CAPTURE(f);
    const pid_t pid = start_run(work, runs, "2");
    std::this_thread::sleep_for(std::chrono::duration_cast<std::chrono::microseconds>(whole * f));
    ::kill(pid, SIGKILL);
    wait_status(pid);
    const char set = which_set(work / "out", old, ref / "out");
    CHECK(set != '?');
    // Nothing else in it either (no temporaries of the killed run).
    CHECK(std::distance(fs::directory_iterator(work / "out"), fs::directory_iterator()) ==
          static_cast<std::ptrdiff_t>(kFiles.size()));
    if (set == 'b') {  // published before the kill: start again from set 1
      ++replaced;
      fs::remove_all(work / "out");
      fs::copy(old, work / "out");
    }
  }
  MESSAGE(replaced << " of " << fractions.size() << " kills came after the publish");
  // The next complete run removes whatever the killed ones left beside --out.
  REQUIRE(wait_status(start_run(work, runs, "2")) == 0);
  CHECK(which_set(work / "out", old, ref / "out") == 'b');
  CHECK(leftovers(work).empty());
  CHECK(std::vector<fs::path>(fs::directory_iterator(work), fs::directory_iterator()).size() == 1);
}

TEST_CASE("a second padsim run into the --out of a running one is refused at once (status 1)") {
  TempDir root("result_set_concurrent");
  // Long enough (about a second, more under a sanitizer) to be running when the second starts.
  const std::string first_runs = padsim::test::kSanitized ? "5000" : "20000";
  const pid_t first = start_run(root.path, first_runs, "7");
  // Wait until the first run holds the lock (its pid is in the lock file).
  const fs::path lock = root.path / ".out.lock";
  const std::string pid_line = std::to_string(first) + "\n";
  for (int i = 0; i < 500 && !(fs::exists(lock) && read(lock) == pid_line); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(read(lock) == pid_line);

  const padsim::test::CliResult second = padsim::test::run_padsim("run --quiet --runs 10 --seed 8 --out out", root.path);
  CHECK(second.status == 1);
  CHECK(second.err == "padsim: error: output directory 'out' is being written by another padsim (pid " +
                          std::to_string(first) + "); wait for it to finish or choose another --out\n");
  CHECK(second.out.empty());

  REQUIRE(wait_status(first) == 0);
  for (const auto& name : kFiles) CHECK(fs::exists(root.path / "out" / name));
  CHECK(padsim::test::lines(read(root.path / "out" / "runs.csv")).size() == std::stoul(first_runs) + 1);
  CHECK(seed_line(root.path / "out" / "run.json") == "\"seed\": 7,");
  CHECK(leftovers(root.path).empty());
}

TEST_CASE("every command that writes a result set takes the lock before it runs anything") {
  TempDir root("result_set_studies");
  {
    std::ofstream(root.path / "one.toml", std::ios::binary)
        << "[scenario]\nname = \"t\"\nepoch = \"2025-11-27T09:28Z\"\nhorizon = \"2027-06-30\"\n\n"
           "[[pad]]\nid = \"p\"\ndown_at_epoch = true\nrepair = \"r\"\n\n"
           "[[repair.r.task]]\nid = \"A\"\nduration = { uniform = [40, 80] }\n";
  }
  const std::string refusal = "padsim: error: output directory 'out' is being written by another padsim (pid " +
                              std::to_string(::getpid()) + "); wait for it to finish or choose another --out\n";
  const std::vector<std::string> commands = {
      "run one.toml --runs 10 --out out",
      "compare one.toml one.toml --runs 10 --bootstrap 10 --out out",
      "sweep one.toml --vary repair.r.scale=1,2 --runs 10 --out out",
      "calibrate one.toml --param repair.r.scale --target pad_ready_day:p50=90 --runs 50 --out out"};
  {
    const padsim::OutputLock lock(root.path / "out");
    for (const auto& command : commands) {
      CAPTURE(command);
      // Without --quiet: a command that ran a batch before it took the lock would have logged it.
      const padsim::test::CliResult r = padsim::test::run_padsim(command, root.path);
      CHECK(r.status == 1);
      CHECK(r.err == refusal);
      CHECK(r.out.empty());
      CHECK(!fs::exists(root.path / "out"));
    }
  }
  // Free again: each publishes its set into the same directory, the others' files kept.
  for (const auto& command : commands) {
    CAPTURE(command);
    CHECK(padsim::test::run_padsim(command + " --quiet", root.path).status == 0);
  }
  for (const char* name : {"runs.csv", "run.json", "compare.csv", "compare.json", "sweep.csv", "sweep.json",
                           "calibrate.csv", "calibrate.json"})
    CHECK(fs::exists(root.path / "out" / name));
  CHECK(leftovers(root.path).empty());
}
