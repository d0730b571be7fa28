// The padsim command line: exit statuses and messages for bad input, checked on the built binary.
// (Runs with a real scenario need the scenario loader; the driver itself is tested in
// test_batch.cpp with toy models.)
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

namespace {

struct Result {
  int status = -1;
  std::string out;
  std::string err;
};

/// Runs `padsim ARGS` in `dir`, capturing stdout and stderr.
Result padsim(const std::string& args, const fs::path& dir) {
  const fs::path out = dir / "stdout.txt", err = dir / "stderr.txt";
  const std::string command = "cd '" + dir.string() + "' && '" PADSIM_BINARY "' " + args + " >'" +
                              out.string() + "' 2>'" + err.string() + "'";
  const int raw = std::system(command.c_str());
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  Result r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

struct TempDir {
  fs::path path;
  TempDir() : path(fs::temp_directory_path() / ("padsim_cli_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

}  // namespace

TEST_CASE("a scenario that cannot be read is bad input: status 2, FILE: error, no output") {
  TempDir dir;
  const Result r = padsim("run missing.toml --out results", dir.path);
  CHECK(r.status == 2);
  CHECK(r.err.find("missing.toml: error: cannot read the scenario") != std::string::npos);
  CHECK(!fs::exists(dir.path / "results"));
  CHECK(padsim("validate missing.toml", dir.path).status == 2);
}

TEST_CASE("bad command-line values are bad input (status 2)") {
  TempDir dir;
  const Result runs = padsim("run x.toml --runs lots", dir.path);
  CHECK(runs.status == 2);
  CHECK(runs.err.find("--runs") != std::string::npos);
  CHECK(padsim("run --tolerance -1", dir.path).status == 2);
  CHECK(padsim("frobnicate", dir.path).status == 2);
  CHECK(padsim("validate", dir.path).status == 2);                  // SCENARIO is required
  CHECK(padsim("replay x.toml --trace t.csv", dir.path).status == 2);  // --replication is required
  CHECK(!fs::exists(dir.path / "results"));
}

TEST_CASE("--help and --version succeed") {
  TempDir dir;
  const Result help = padsim("run --help", dir.path);
  CHECK(help.status == 0);
  CHECK(help.out.find("--runs") != std::string::npos);
  CHECK(padsim("--version", dir.path).status == 0);
}
