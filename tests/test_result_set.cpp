// ResultSet and OutputLock: a set of files published in one step, injected write failures, the
// lock refusing a second writer, and the cleaning of what killed writers left.
#include "padsim/result_set.hpp"

#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "padsim/error.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using padsim::OutputError;
using padsim::OutputLock;
using padsim::ResultSet;
using padsim::test::read;
using padsim::test::TempDir;

namespace {

/// Every entry below `dir` (relative path → contents, "<dir>" for a directory).
std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    out[fs::relative(e.path(), dir).string()] = e.is_directory() ? "<dir>" : read(e.path());
  return out;
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

/// Publishes {runs.csv, run.json} holding `tag` into `dir`.
void publish(const fs::path& dir, const std::string& tag) {
  ResultSet set(dir);
  set.open("runs.csv") << "runs " << tag;
  set.open("run.json") << "json " << tag;
  set.commit();
}

}  // namespace

TEST_CASE("a result set appears in its directory in one step, with nothing left beside it") {
  TempDir root("result_set");
  const fs::path dir = root.path / "out";
  {
    ResultSet set(dir);
    set.open("runs.csv") << "a,b\r\n";
    CHECK(set.staging().parent_path() == root.path);
    CHECK(set.staging().filename().string().rfind(".out.staging." + std::to_string(::getpid()) + "-", 0) == 0);
    CHECK(fs::exists(set.staging() / "runs.csv"));
    CHECK(!fs::exists(dir));  // nothing under the final name before commit
    CHECK(fs::exists(root.path / ".out.lock"));
    set.commit();
  }
  CHECK(tree(root.path) == std::map<std::string, std::string>{{"out", "<dir>"}, {"out/runs.csv", "a,b\r\n"}});
}

TEST_CASE("a set's file holds every write in order, whatever the sizes, and reaches the disk in chunks") {
  TempDir root("result_set_chunks");
  const fs::path dir = root.path / "out";
  // Writes of sizes from one byte to over a chunk (256 KiB), each filled with its own letter, so
  // that a lost, doubled or reordered byte shows; put() and write() both.
  std::string expected;
  {
    ResultSet set(dir);
    std::ostream& out = set.open("runs.csv");
    const std::size_t sizes[] = {1, 1023, 1024, 1200, 70000, 200000, 262143, 262144, 300000, 5, 600000, 17};
    char letter = 'a';
    for (const std::size_t size : sizes) {
      const std::string piece(size, letter);
      out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      out.put('\n');
      expected += piece;
      expected += '\n';
      letter = letter == 'z' ? 'a' : static_cast<char>(letter + 1);
    }
    // Rows of 1.2 KB (a row of runs.csv): std::ofstream alone passed each to the kernel at once;
    // held in the set's chunks, the file has nothing of them yet.
    const auto before = fs::file_size(set.staging() / "runs.csv");
    const std::string row(1200, 'r');
    for (int k = 0; k < 10; ++k) {
      out.write(row.data(), static_cast<std::streamsize>(row.size()));
      expected += row;
    }
    CHECK(fs::file_size(set.staging() / "runs.csv") == before);
    set.commit();
  }
  CHECK(read(dir / "runs.csv") == expected);
}

TEST_CASE("a new set replaces the old one's files and keeps everything else the directory holds") {
  TempDir root("result_set_replace");
  const fs::path dir = root.path / "out";
  publish(dir, "1");
  write(dir / "notes.txt", "mine");
  fs::create_directories(dir / "sub");
  write(dir / "sub" / "deep.txt", "deep");
  ::chmod(dir.c_str(), 0750);
  struct stat before{};
  ::stat((dir / "notes.txt").c_str(), &before);
  publish(dir, "2");
  CHECK(tree(root.path) == std::map<std::string, std::string>{{"out", "<dir>"},
                                                             {"out/notes.txt", "mine"},
                                                             {"out/run.json", "json 2"},
                                                             {"out/runs.csv", "runs 2"},
                                                             {"out/sub", "<dir>"},
                                                             {"out/sub/deep.txt", "deep"}});
  struct stat after{}, mode{};
  ::stat((dir / "notes.txt").c_str(), &after);
  CHECK(after.st_ino == before.st_ino);  // carried over by a hard link, not copied
  ::stat(dir.c_str(), &mode);
  CHECK((mode.st_mode & 07777) == 0750);
}

TEST_CASE("a file the set leaves out is removed, not carried over beside the new set") {
  TempDir root("result_set_leave_out");
  const fs::path dir = root.path / "out";
  publish(dir, "1");
  write(dir / "notes.txt", "mine");
  {
    ResultSet set(dir);
    set.open("run.json") << "json 2";
    set.leave_out("runs.csv");     // runs.csv of set 1 must not sit beside set 2
    set.leave_out("inputs.csv");   // absent already: nothing to remove
    CHECK_THROWS_AS(set.open("runs.csv"), OutputError);
    CHECK_THROWS_AS(set.leave_out("run.json"), OutputError);
    CHECK_THROWS_AS(set.leave_out("../x"), OutputError);
    set.commit();
  }
  CHECK(tree(root.path) == std::map<std::string, std::string>{{"out", "<dir>"},
                                                             {"out/notes.txt", "mine"},
                                                             {"out/run.json", "json 2"}});
}

TEST_CASE("a set destroyed without commit leaves the previous set untouched and no staging") {
  TempDir root("result_set_abandon");
  const fs::path dir = root.path / "out";
  publish(dir, "old");
  const auto old = tree(root.path);
  {
    ResultSet set(dir);
    set.open("runs.csv") << "half a row";
  }
  CHECK(tree(root.path) == old);
}

TEST_CASE("a write, carry-over or publish failure (ENOSPC, EIO) leaves the previous set intact") {
  TempDir root("result_set_fail");
  const fs::path dir = root.path / "out";
  publish(dir, "old");
  write(dir / "notes.txt", "mine");
  const auto old = tree(root.path);
  struct Case {
    ResultSet::Step step;
    int error;
    std::string message;
  };
  for (const Case& c : {Case{ResultSet::Step::kWrite, ENOSPC, "runs.csv': No space left on device"},
                        Case{ResultSet::Step::kCarryOver, ENOSPC, "No space left on device"},
                        Case{ResultSet::Step::kPublish, EIO, "Input/output error"}}) {
    CAPTURE(c.message);
    ResultSet::fail_next_commit(c.step, c.error);
    {
      ResultSet set(dir);
      set.open("runs.csv") << "runs new";
      set.open("run.json") << "json new";
      CHECK_THROWS_WITH_AS(set.commit(), doctest::Contains(c.message.c_str()), OutputError);
    }
    CHECK(tree(root.path) == old);  // the old set, its neighbour, and no staging or lock left
  }
  publish(dir, "new");  // the hook fires once: the next commit succeeds
  CHECK(read(dir / "runs.csv") == "runs new");
}

TEST_CASE("a write the system refuses (a file size limit) fails the commit, naming the file") {
  // Not injected: the process's file size limit makes the kernel refuse the writes beyond 1 MB
  // (EFBIG; SIGXFSZ ignored), whichever of the set's chunks or the stream's buffer hands them on.
  TempDir root("result_set_efbig");
  const fs::path dir = root.path / "out";
  publish(dir, "old");
  const auto old = tree(root.path);
  rlimit saved{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
  const auto previous = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = saved;
  small.rlim_cur = 1 << 20;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  std::string message;
  {
    ResultSet set(dir);
    std::ostream& out = set.open("runs.csv");
    const std::string row(1200, 'x');
    for (int k = 0; k < 2000; ++k) out.write(row.data(), static_cast<std::streamsize>(row.size()));
    set.open("run.json") << "json new";
    try {
      set.commit();
    } catch (const OutputError& e) {
      message = e.what();
    }
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, previous);
  CHECK(message.find("runs.csv': File too large") != std::string::npos);
  CHECK(tree(root.path) == old);  // the old set stays, and nothing is left beside it
}

TEST_CASE("without the directory exchange (EINVAL), the old set is renamed aside and removed") {
  TempDir root("result_set_fallback");
  const fs::path dir = root.path / "out";
  publish(dir, "old");
  write(dir / "notes.txt", "mine");
  ResultSet::fail_next_commit(ResultSet::Step::kExchange, EINVAL);
  publish(dir, "new");
  CHECK(tree(root.path) == std::map<std::string, std::string>{{"out", "<dir>"},
                                                             {"out/notes.txt", "mine"},
                                                             {"out/run.json", "json new"},
                                                             {"out/runs.csv", "runs new"}});
  // Another error of the exchange is an OutputError, the old set in place.
  ResultSet::fail_next_commit(ResultSet::Step::kExchange, EIO);
  {
    ResultSet set(dir);
    set.open("runs.csv") << "runs newer";
    CHECK_THROWS_WITH_AS(set.commit(), doctest::Contains("Input/output error"), OutputError);
  }
  CHECK(read(dir / "runs.csv") == "runs new");
  CHECK(std::distance(fs::directory_iterator(root.path), fs::directory_iterator()) == 1);
}

TEST_CASE("a locked directory refuses a second writer, naming the holder's pid") {
  TempDir root("result_set_lock");
  const fs::path dir = root.path / "out";
  {
    OutputLock lock(dir);
    CHECK(lock.held());
    CHECK(!fs::exists(dir));  // the lock does not make the directory
    CHECK(OutputLock::held_by_this_process(root.path / "out/"));
    CHECK(read(root.path / ".out.lock") == std::to_string(::getpid()) + "\n");
    // Another lock, even from this process, is a second writer.
    CHECK_THROWS_WITH_AS(OutputLock{dir},
                         ("output directory '" + dir.string() + "' is being written by another padsim (pid " +
                          std::to_string(::getpid()) + "); wait for it to finish or choose another --out")
                             .c_str(),
                         OutputError);
    publish(dir, "1");  // a set in the process that holds the lock uses that lock
    CHECK(fs::exists(root.path / ".out.lock"));
  }
  CHECK(!OutputLock::held_by_this_process(dir));
  CHECK(tree(root.path) == std::map<std::string, std::string>{
                               {"out", "<dir>"}, {"out/run.json", "json 1"}, {"out/runs.csv", "runs 1"}});
  OutputLock moved = OutputLock(dir);
  OutputLock other = std::move(moved);
  CHECK(other.held());
  CHECK(!moved.held());  // NOLINT(bugprone-use-after-move): a moved-from lock holds nothing
}

TEST_CASE("a path that is not a directory, or cannot be written, is an OutputError naming it") {
  TempDir root("result_set_bad");
  write(root.path / "file", "x");
  const std::string not_dir = (root.path / "file").string() + "' is not a directory";
  CHECK_THROWS_WITH_AS(OutputLock(root.path / "file"), doctest::Contains(not_dir.c_str()), OutputError);
  CHECK_THROWS_WITH_AS(ResultSet(root.path / "file" / "out"), doctest::Contains((root.path / "file" / "out").string().c_str()),
                       OutputError);
  CHECK_THROWS_AS(OutputLock("/"), OutputError);
}

TEST_CASE("the next writer removes what killed writers left, and restores an old set renamed aside") {
  TempDir root("result_set_leftovers");
  const fs::path dir = root.path / "out";
  const std::string self = std::to_string(::getpid());
  publish(dir, "old");
  // A process id above the kernel's largest (2^22) is never alive.
  const std::string dead = "99999999";
  fs::create_directories(root.path / (".out.staging." + dead + "-0badc0de"));
  write(root.path / (".out.staging." + dead + "-0badc0de") / "runs.csv", "partial");
  write(root.path / ".out.lock", dead + "\n");         // a lock file no process holds
  write(dir / (".runs.csv.tmp." + dead), "partial");   // a single file's temporary
  write(dir / (".runs.csv.tmp." + self), "live");      // one of a live process stays
  fs::create_directories(root.path / ".other.staging.1-00000000");  // another directory's
  {
    OutputLock lock(dir);
    CHECK(!fs::exists(root.path / (".out.staging." + dead + "-0badc0de")));
    CHECK(!fs::exists(dir / (".runs.csv.tmp." + dead)));
    CHECK(fs::exists(dir / (".runs.csv.tmp." + self)));
    CHECK(fs::exists(root.path / ".other.staging.1-00000000"));
  }
  fs::remove(dir / (".runs.csv.tmp." + self));
  // Killed between renaming the old set aside and renaming the new one in: DIR is missing.
  fs::rename(dir, root.path / (".out.old." + dead + "-12345678"));
  publish(root.path / "elsewhere", "x");  // another directory's writer leaves it alone
  CHECK(!fs::exists(dir));
  { OutputLock lock(dir); }
  CHECK(read(dir / "runs.csv") == "runs old");
  CHECK(!fs::exists(root.path / (".out.old." + dead + "-12345678")));
}
