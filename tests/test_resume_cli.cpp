// `padsim run --checkpoint DIR` and `--resume DIR` on the built binary: a resumed run republishes
// the uninterrupted run's files, and a checkpoint of another batch, none, or an option a
// checkpoint cannot follow is bad input (status 2) with a message that names what differs.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "padsim/checkpoint.hpp"
#include "padsim/sha256.hpp"
#include "cli_support.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

using padsim::test::read;
using padsim::test::run_padsim;

struct ResumeCliDir : padsim::test::TempDir {
  ResumeCliDir() : padsim::test::TempDir("resume_cli") {}
};

const std::string kSet = "--set repair.site31-cabin.scale=1.5 ";
const std::string kRun = "run --runs 40 --seed 5 -q " + kSet;

// checkpoint.txt with one part's text replaced and its fingerprint made consistent again, as a
// checkpoint written by that other batch (or padsim version) would be.
void rewrite_part(const fs::path& manifest, const std::string& name, const std::string& text) {
  std::istringstream in(read(manifest));
  std::string out;
  std::vector<padsim::FingerprintPart> parts;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("part ", 0) == 0) {
      const std::size_t eq = line.find('=');
      parts.push_back({line.substr(5, eq - 5), line.substr(eq + 1)});
      if (parts.back().name == name) {
        parts.back().text = text;
        line = "part " + name + "=" + text;
      }
    }
    if (line.rfind("fingerprint ", 0) == 0) line = "fingerprint " + padsim::fingerprint_of(parts);
    out += line + "\n";
  }
  std::ofstream(manifest, std::ios::binary | std::ios::trunc) << out;
}

std::string error_line(const std::string& err) {
  const std::size_t at = err.find("padsim: error: ");
  return at == std::string::npos ? err : err.substr(at, err.find('\n', at) - at);
}

}  // namespace

TEST_CASE("padsim run --resume of a complete checkpoint republishes the uninterrupted run's files") {
  ResumeCliDir dir;
  REQUIRE(run_padsim(kRun + "--threads 2 --out plain", dir.path).status == 0);
  REQUIRE(run_padsim(kRun + "--threads 2 --out a --checkpoint ck --checkpoint-every 15", dir.path).status == 0);
  CHECK(fs::exists(dir.path / "ck" / "checkpoint.txt"));
  CHECK(fs::exists(dir.path / "ck" / "block-000000000002.bin"));  // 15 + 15 + 10
  CHECK(!fs::exists(dir.path / "ck" / "block-000000000003.bin"));
  fs::remove(dir.path / "ck" / "block-000000000001.bin");  // as if killed in block 1
  fs::remove(dir.path / "ck" / "block-000000000002.bin");
  const auto resumed = run_padsim(kRun + "--threads 1 --out b --resume ck", dir.path);
  REQUIRE(resumed.status == 0);
  CHECK(fs::exists(dir.path / "ck" / "block-000000000002.bin"));
  for (const auto& entry : fs::directory_iterator(dir.path / "plain")) {
    const std::string name = entry.path().filename().string();
    CAPTURE(name);
    if (name == "run.json") continue;
    CHECK(read(dir.path / "a" / name) == read(entry.path()));
    CHECK(read(dir.path / "b" / name) == read(entry.path()));
  }
}

TEST_CASE("padsim run --resume refuses a checkpoint of another batch, naming the part that differs") {
  ResumeCliDir dir;
  REQUIRE(run_padsim(kRun + "--out a --checkpoint ck --checkpoint-every 20", dir.path).status == 0);
  struct Case {
    std::string args;
    std::string message;
  };
  const std::string sha = padsim::sha256_hex(read(fs::path(PADSIM_SOURCE_DIR) / "experiments/baikonur-2025.toml"));
  std::ofstream(dir.path / "other.toml", std::ios::binary)
      << read(fs::path(PADSIM_SOURCE_DIR) / "experiments/baikonur-2025.toml") << "\n# edited\n";
  const std::string other_sha = padsim::sha256_hex(read(dir.path / "other.toml"));
  const std::string prefix = "padsim: error: the checkpoint in 'ck' is of another ";
  const std::vector<Case> cases = {
      {"run --runs 40 --seed 6 -q " + kSet + "--out x --resume ck", prefix + "seed (checkpoint: 5, this run: 6)"},
      {"run --runs 40 --seed 5 -q --set repair.site31-cabin.scale=1.4 --out x --resume ck",
       prefix + "overrides (checkpoint: repair.site31-cabin.scale=1.5, this run: repair.site31-cabin.scale=1.4)"},
      {"run --runs 40 --seed 5 -q --out x --resume ck",
       prefix + "overrides (checkpoint: repair.site31-cabin.scale=1.5, this run: none)"},
      {kRun + "other.toml --out x --resume ck",
       prefix + "scenario (checkpoint: sha256 " + sha + ", this run: sha256 " + other_sha + ")"},
      {"run --runs 41 --seed 5 -q " + kSet + "--out x --resume ck", prefix + "runs (checkpoint: 40, this run: 41)"},
      {kRun + "--no-incident --out x --resume ck", prefix + "options (checkpoint: none, this run: --no-incident)"},
      {kRun + "--sampling lhs --out x --resume ck",
       prefix + "options (checkpoint: none, this run: --sampling=lhs --lhs-block=1000)"},
      {kRun + "--out x --resume ck --checkpoint-every 10",
       "padsim: error: --checkpoint-every 10: the checkpoint in ck is in blocks of 20 replications "
       "(leave --checkpoint-every out to keep them)"},
      {kRun + "--out x --resume none", "padsim: error: 'none' holds no checkpoint (no checkpoint.txt)"},
      {kRun + "--out x --checkpoint ck", "padsim: error: 'ck' holds a checkpoint already"},
      {"run --runs auto -q --out x --checkpoint ck2",
       "padsim: error: --checkpoint needs a fixed --runs (--runs auto decides the count as it goes)"},
      {kRun + "--bounded-memory --out x --checkpoint ck2 --checkpoint-every 20",
       "padsim: error: --checkpoint-every 20: a --bounded-memory batch is recorded at its own blocks "
       "of 65536 replications (leave --checkpoint-every out)"},
      {kRun + "--bounded-memory --out x --resume ck",
       prefix + "--bounded-memory (checkpoint: none, this run: --retained-runs 100000, blocks of 65536)"},
      {kRun + "--bounded-block-replications 10 --out x --checkpoint ck2",
       "padsim: error: --bounded-block-replications needs --bounded-memory"},
      {kRun + "--out x --checkpoint x/ck2",
       "padsim: error: --checkpoint x/ck2: the checkpoint cannot be the output directory or inside it "
       "(publishing the results replaces that directory)"},
      {kRun + "--out x --checkpoint-every 5", "padsim: error: --checkpoint-every needs --checkpoint DIR or --resume DIR"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    const auto r = run_padsim(c.args, dir.path);
    CHECK(r.status == 2);
    CHECK(error_line(r.err) == c.message);
    CHECK(!fs::exists(dir.path / "x"));
    CHECK(!fs::exists(dir.path / "ck2"));
  }

  // A checkpoint written by another padsim version: refused even though all else matches.
  rewrite_part(dir.path / "ck" / "checkpoint.txt", "padsim version", "0.0.1");
  const auto version = run_padsim(kRun + "--out x --resume ck", dir.path);
  CHECK(version.status == 2);
  CHECK(error_line(version.err) ==
        prefix + "padsim version (checkpoint: 0.0.1, this run: " PADSIM_VERSION ")");
  // Edited by hand, its fingerprint no longer matching: damaged.
  std::string text = read(dir.path / "ck" / "checkpoint.txt");
  text.replace(text.find("0.0.1"), 5, "0.0.2");
  std::ofstream(dir.path / "ck" / "checkpoint.txt", std::ios::binary | std::ios::trunc) << text;
  const auto damaged = run_padsim(kRun + "--out x --resume ck", dir.path);
  CHECK(damaged.status == 2);
  CHECK(error_line(damaged.err) ==
        "padsim: error: 'ck/checkpoint.txt' is damaged: its fingerprint does not match its parts");
  CHECK(!fs::exists(dir.path / "x"));
}
