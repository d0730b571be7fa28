#pragma once
/// A set of output files published in one step, and the lock that keeps one writer per directory.
///
/// A result set is every file a command writes into its output directory DIR. Readers of DIR see
/// either the previous complete set or the new complete set, never a mix, whatever happens while
/// it is written (an error, a full disk, SIGKILL, a second writer):
///
/// - The files are written into a private staging directory beside DIR
///   (`PARENT/.NAME.staging.<pid>-<random>`, same file system), fsync'ed with the directory.
/// - Anything else DIR holds (files the set does not name, subdirectories) is carried over into the
///   staging directory by hard links (a copy where a link is refused), so publishing replaces only
///   the set's files, as writing them one by one would.
/// - commit() publishes: rename(staging, DIR) when DIR does not exist, otherwise
///   renameat2(RENAME_EXCHANGE) swaps the two directories in one step and the old set, now under
///   the staging name, is removed. Where the exchange is unsupported (EINVAL, ENOSYS), DIR is
///   renamed aside to `PARENT/.NAME.old.<pid>-<random>`, the staging directory renamed onto DIR and
///   the old set removed; DIR is then absent for the moment between the two renames, and a kill in
///   that moment is repaired by the next writer, which renames the old set back.
/// - An OutputLock on DIR (`PARENT/.NAME.lock`, flock) is held from before the work starts until
///   the set is published, so a second writer is refused at once instead of mixing sets.
/// - The next writer into DIR removes what a killed writer left: staging directories of processes
///   that are gone, old sets renamed aside (restored when DIR itself is missing), `.NAME.tmp.<pid>`
///   temporaries of single files, and lock files (a lock held by no live process is free).
///
/// DIR is a new directory after each commit: a program whose working directory was DIR keeps the
/// removed old one. DIR's parent must be writable. A path that is a symbolic link to a directory
/// is followed: the set replaces the directory it points to.
///
///     padsim::OutputLock lock("results/x");   // before the work: refuses a second writer
///     ... hours of work ...
///     padsim::ResultSet set("results/x");      // reuses this process's lock
///     set.open("runs.csv") << "a,b\r\n";
///     set.open("run.json") << "{}\n";
///     set.commit();                            // results/x holds both new files, in one step

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace padsim {

/// An exclusive claim on writing directory DIR (flock on `PARENT/.NAME.lock`, the pid written in
/// it). Taking it creates DIR's parent directories, not DIR. Movable; a default-constructed lock
/// holds nothing. Released (and its file removed) on destruction.
class OutputLock {
 public:
  OutputLock() = default;
  /// Takes the lock; throws OutputError "DIR is being written by another padsim (pid N); wait for
  /// it or choose another --out" when another live process holds it, or naming the path when DIR
  /// is not a directory or its parent cannot be written.
  explicit OutputLock(const std::filesystem::path& dir);
  ~OutputLock();
  OutputLock(OutputLock&& other) noexcept;
  OutputLock& operator=(OutputLock&& other) noexcept;
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

  /// Whether this object holds a lock.
  bool held() const noexcept { return fd_ >= 0; }
  /// The directory locked, absolute with symbolic links resolved (empty when not held).
  const std::filesystem::path& dir() const noexcept { return dir_; }
  /// Whether this process holds the lock on `dir` (through any OutputLock).
  static bool held_by_this_process(const std::filesystem::path& dir);

 private:
  void release() noexcept;

  std::filesystem::path dir_;
  std::filesystem::path file_;
  int fd_ = -1;
};

/// The absolute path `dir` names, symbolic links resolved where it exists, without a trailing
/// separator: the directory a ResultSet publishes and an OutputLock guards.
std::filesystem::path result_directory(const std::filesystem::path& dir);

/// The files of one result set, written in a staging directory and published into DIR by commit().
/// Destroyed without commit (an error, an interrupt), it removes the staging directory and DIR is
/// untouched.
class ResultSet {
 public:
  /// Takes the lock on `dir` unless this process holds it already, removes what killed writers
  /// left, and creates the staging directory; throws OutputError naming the path on failure.
  explicit ResultSet(const std::filesystem::path& dir);
  ~ResultSet();
  ResultSet(const ResultSet&) = delete;
  ResultSet& operator=(const ResultSet&) = delete;

  /// Creates the file `name` (a plain file name) in the staging directory and returns its stream,
  /// valid until commit() or destruction.
  std::ostream& open(const std::string& name);
  /// Publishes the set without a file `name` (a plain file name the set does not open): one DIR
  /// holds from an earlier set is removed, not carried over, so that a set never sits beside the
  /// rows of another (a file a command writes under one option and leaves out under another).
  void leave_out(const std::string& name);
  /// Flushes and syncs every file, carries the rest of DIR over and publishes the set in one step;
  /// throws OutputError naming the path on any failure, DIR then untouched.
  void commit();

  /// The directory the set is published into (result_directory of the constructor's argument).
  const std::filesystem::path& dir() const noexcept { return dir_; }
  /// The private staging directory the files are written in.
  const std::filesystem::path& staging() const noexcept { return staging_; }

  /// Steps of commit() a test can make fail.
  enum class Step { kWrite, kCarryOver, kPublish, kExchange };
  /// Test hook: the next commit() in this process fails at `step` as if the system call had
  /// returned `error` (ENOSPC, EIO), after everything before that step has been done. At
  /// kExchange only the directory exchange fails (EINVAL: the rename-aside fallback is used).
  static void fail_next_commit(Step step, int error);

 private:
  struct File;  // a file being written (result_set.cpp)

  std::filesystem::path dir_;
  std::filesystem::path staging_;
  OutputLock lock_;
  std::vector<std::unique_ptr<File>> files_;
  std::vector<std::string> left_out_;
  bool committed_ = false;
};

}  // namespace padsim
