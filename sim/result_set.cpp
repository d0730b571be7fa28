#include "padsim/result_set.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <system_error>

#include "padsim/error.hpp"

namespace padsim {

namespace fs = std::filesystem;

namespace {

// Built by appending: `"'" + text + "'"` trips a false -Wrestrict in GCC 12.
std::string quoted(const fs::path& p) {
  std::string out(1, '\'');
  out += p.string();
  out += '\'';
  return out;
}

// ".NAME.<kind>": the hidden name of a file beside directory NAME.
std::string hidden(const fs::path& dir, const std::string& kind) {
  std::string out(1, '.');
  out += dir.filename().string();
  out += '.';
  out += kind;
  return out;
}

[[noreturn]] void fail(const std::string& what, int error) {
  throw OutputError(what + ": " + std::strerror(error));
}

// The directories this process holds an OutputLock on: a ResultSet inside a command that locked
// its directory before the work must not lock it again (a second flock would conflict).
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::set<fs::path>& registry() {
  static std::set<fs::path> held;
  return held;
}

// The test hook of ResultSet::fail_next_commit.
struct Injected {
  bool armed = false;
  ResultSet::Step step = ResultSet::Step::kWrite;
  int error = 0;
};
Injected& injected() {
  static Injected i;
  return i;
}
// The error injected at `step` (once), or 0.
int injected_error(ResultSet::Step step) {
  Injected& i = injected();
  if (!i.armed || i.step != step) return 0;
  i.armed = false;
  return i.error;
}
void maybe_fail(ResultSet::Step step, const std::string& what) {
  if (const int error = injected_error(step)) fail(what, error);
}
int exchange(const fs::path& a, const fs::path& b) {
  if (const int error = injected_error(ResultSet::Step::kExchange)) {
    errno = error;
    return -1;
  }
  return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE);
}

fs::path sibling(const fs::path& dir, const std::string& kind) {
  return dir.parent_path() / hidden(dir, kind);
}

std::string unique_suffix() {
  std::random_device device;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(device()));
  return std::to_string(::getpid()) + "-" + buf;
}

bool process_alive(long pid) {
  if (pid <= 0 || pid == static_cast<long>(::getpid())) return pid > 0;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

// The pid at the start of `text` (up to '-' or the end), or -1.
long leading_pid(const std::string& text) {
  long pid = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9' && pid < 100'000'000; ++i)
    pid = pid * 10 + (text[i] - '0');
  return i == 0 || (i < text.size() && text[i] != '-') ? -1 : pid;
}

void sync_path(const fs::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0) fail("cannot sync " + quoted(p), errno);
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) fail("cannot sync " + quoted(p), error);
}

// Removes what writers killed before they finished left beside and inside `dir` (its lock held).
void remove_leftovers(const fs::path& dir) {
  const std::string staging = hidden(dir, "staging.");
  const std::string old = hidden(dir, "old.");
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir.parent_path(), ec)) {
    const std::string name = entry.path().filename().string();
    const bool is_staging = name.rfind(staging, 0) == 0;
    const bool is_old = name.rfind(old, 0) == 0;
    if (!is_staging && !is_old) continue;
    if (process_alive(leading_pid(name.substr((is_staging ? staging : old).size())))) continue;
    std::error_code ignored;
    // An old set renamed aside by a writer killed before it renamed the new one in: DIR's
    // previous complete set, which goes back in place.
    if (is_old && !fs::exists(dir, ignored)) fs::rename(entry.path(), dir, ignored);
    else fs::remove_all(entry.path(), ignored);
  }
  // Temporaries of single files written by a process that is gone (`.NAME.tmp.<pid>`).
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const std::size_t tmp = name.rfind(".tmp.");
    if (name.empty() || name[0] != '.' || tmp == std::string::npos) continue;
    const long pid = leading_pid(name.substr(tmp + 5));
    std::error_code ignored;
    if (pid > 0 && !process_alive(pid)) fs::remove(entry.path(), ignored);
  }
}

// Copies `from` to `to` sharing the files' data: hard links (a copy where a link is refused),
// directories made anew with the same permissions.
void carry_over(const fs::path& from, const fs::path& to) {
  const fs::file_status status = fs::symlink_status(from);
  if (fs::is_symlink(status)) {
    fs::copy_symlink(from, to);
  } else if (fs::is_directory(status)) {
    fs::create_directory(to, from);
    for (const auto& entry : fs::directory_iterator(from))
      carry_over(entry.path(), to / entry.path().filename());
  } else {
    std::error_code ec;
    fs::create_hard_link(from, to, ec);
    if (ec) fs::copy_file(from, to);
  }
}

}  // namespace

fs::path result_directory(const fs::path& dir) {
  fs::path p = fs::weakly_canonical(fs::absolute(dir));
  if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
  return p;
}

OutputLock::OutputLock(const fs::path& dir) : dir_(result_directory(dir)) {
  if (dir_.filename().empty() || dir_ == dir_.root_path())
    throw OutputError("cannot write results into " + quoted(dir) + ": give a directory below it");
  std::error_code ec;
  if (fs::exists(dir_, ec)) {
    if (!fs::is_directory(dir_, ec))
      throw OutputError("output directory " + quoted(dir) + " is not a directory");
    if (::access(dir_.c_str(), W_OK | X_OK) != 0)
      fail("output directory " + quoted(dir) + " is not writable", errno);
  }
  fs::create_directories(dir_.parent_path(), ec);
  if (ec) throw OutputError("cannot create output directory " + quoted(dir) + ": " + ec.message());
  file_ = sibling(dir_, "lock");
  for (;;) {
    fd_ = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("cannot create the lock " + quoted(file_) + " of " + quoted(dir), errno);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      char buf[32] = {};
      const ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
      ::close(fd_);
      fd_ = -1;
      if (error != EWOULDBLOCK) fail("cannot lock " + quoted(file_), error);
      const long pid = n > 0 ? std::atol(buf) : -1;
      throw OutputError("output directory " + quoted(dir) + " is being written by another padsim" +
                        (pid > 0 ? " (pid " + std::to_string(pid) + ")" : std::string()) +
                        "; wait for it to finish or choose another --out");
    }
    // The holder before us removes the file when it releases; a lock on that removed file
    // guards nothing, so lock the file that is there now.
    struct stat locked{}, current{};
    if (::fstat(fd_, &locked) == 0 && ::stat(file_.c_str(), &current) == 0 &&
        locked.st_ino == current.st_ino && locked.st_dev == current.st_dev)
      break;
    ::close(fd_);
    fd_ = -1;
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
    // The pid only makes a refusal's message clearer: the lock holds without it.
  }
  {
    const std::lock_guard<std::mutex> guard(registry_mutex());
    registry().insert(dir_);
  }
  remove_leftovers(dir_);
}

OutputLock::~OutputLock() { release(); }

OutputLock::OutputLock(OutputLock&& other) noexcept
    : dir_(std::move(other.dir_)), file_(std::move(other.file_)), fd_(other.fd_) {
  other.fd_ = -1;
  other.dir_.clear();
}

OutputLock& OutputLock::operator=(OutputLock&& other) noexcept {
  if (this != &other) {
    release();
    dir_ = std::move(other.dir_);
    file_ = std::move(other.file_);
    fd_ = other.fd_;
    other.fd_ = -1;
    other.dir_.clear();
  }
  return *this;
}

void OutputLock::release() noexcept {
  if (fd_ < 0) return;
  {
    const std::lock_guard<std::mutex> guard(registry_mutex());
    registry().erase(dir_);
  }
  ::unlink(file_.c_str());  // while still holding it: see the inode check in the constructor
  ::close(fd_);
  fd_ = -1;
  dir_.clear();
}

bool OutputLock::held_by_this_process(const fs::path& dir) {
  const fs::path d = result_directory(dir);
  const std::lock_guard<std::mutex> guard(registry_mutex());
  return registry().count(d) != 0;
}

namespace {

// Hands what is written on to `target` in chunks of kChunk bytes. std::filebuf passes any write of
// 1 KiB or more straight to the kernel, whatever its buffer's size: a CsvWriter hands over a row
// at a time, and a row of runs.csv (~1.2 KB) was a system call of its own, 10^5 of them in a batch
// of 10^5 written on one thread.
class ChunkBuf final : public std::streambuf {
 public:
  explicit ChunkBuf(std::streambuf& target) : target_(&target), buffer_(kChunk) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }

 protected:
  int_type overflow(int_type c) override {
    if (sync() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) sputc(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n <= epptr() - pptr()) {
      std::memcpy(pptr(), s, static_cast<std::size_t>(n));
      pbump(static_cast<int>(n));
      return n;
    }
    if (sync() != 0) return 0;
    if (n >= static_cast<std::streamsize>(kChunk)) return target_->sputn(s, n);
    std::memcpy(pptr(), s, static_cast<std::size_t>(n));
    pbump(static_cast<int>(n));
    return n;
  }
  // Hands the held bytes on (the target keeps its own buffer until it is flushed).
  int sync() override {
    const std::streamsize held = pptr() - pbase();
    if (held > 0 && target_->sputn(pbase(), held) != held) return -1;
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return 0;
  }

 private:
  static constexpr std::size_t kChunk = std::size_t{256} << 10;
  std::streambuf* target_;
  std::vector<char> buffer_;
};

}  // namespace

struct ResultSet::File {
  std::string name;
  std::ofstream file;
  ChunkBuf chunks{*file.rdbuf()};
  std::ostream out{&chunks};  // what the set's writer writes to
};

ResultSet::ResultSet(const fs::path& dir) : dir_(result_directory(dir)) {
  if (!OutputLock::held_by_this_process(dir_)) lock_ = OutputLock(dir_);
  staging_ = sibling(dir_, "staging." + unique_suffix());
  std::error_code ec;
  if (!fs::create_directory(staging_, ec) || ec)
    throw OutputError("cannot create the staging directory " + quoted(staging_) + " for " +
                      quoted(dir_) + ": " + (ec ? ec.message() : "it exists"));
}

ResultSet::~ResultSet() {
  if (committed_) return;
  files_.clear();
  std::error_code ignored;  // best effort: a destructor must not throw
  fs::remove_all(staging_, ignored);
}

namespace {

void check_plain_name(const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
    throw OutputError("a result set's file needs a plain name, not " + quoted(fs::path(name)));
}

}  // namespace

void ResultSet::leave_out(const std::string& name) {
  check_plain_name(name);
  for (const auto& f : files_)
    if (f->name == name) throw OutputError("the result set writes " + quoted(fs::path(name)) + ": it cannot leave it out");
  left_out_.push_back(name);
}

std::ostream& ResultSet::open(const std::string& name) {
  check_plain_name(name);
  for (const auto& f : files_)
    if (f->name == name) throw OutputError("the result set has two files named " + quoted(fs::path(name)));
  if (std::find(left_out_.begin(), left_out_.end(), name) != left_out_.end())
    throw OutputError("the result set leaves " + quoted(fs::path(name)) + " out: it cannot write it");
  auto file = std::make_unique<File>();
  file->name = name;
  file->file.open(staging_ / name, std::ios::binary | std::ios::trunc);
  if (!file->file) fail("cannot write " + quoted(dir_ / name), errno);
  files_.push_back(std::move(file));
  return files_.back()->out;
}

void ResultSet::fail_next_commit(Step step, int error) {
  injected() = Injected{true, step, error};
}

void ResultSet::commit() {
  std::set<std::string> names;
  for (auto& f : files_) {
    const fs::path shown = dir_ / f->name;
    f->out.flush();
    f->file.flush();
    const bool written = f->out && f->file;
    const int error = errno;
    f->file.close();
    if (!written || f->file.fail()) fail("cannot write " + quoted(shown), error ? error : EIO);
    maybe_fail(Step::kWrite, "cannot write " + quoted(shown));
    sync_path(staging_ / f->name, O_RDONLY);
    names.insert(f->name);
  }
  names.insert(left_out_.begin(), left_out_.end());  // neither written nor carried over
  std::error_code ec;
  const bool replacing = fs::exists(dir_, ec);
  if (replacing) {
    // Whatever else DIR holds stays in it: publishing replaces only the set's files.
    try {
      for (const auto& entry : fs::directory_iterator(dir_)) {
        const std::string name = entry.path().filename().string();
        if (names.count(name) == 0) carry_over(entry.path(), staging_ / name);
      }
      fs::permissions(staging_, fs::status(dir_).permissions());
    } catch (const fs::filesystem_error& e) {
      throw OutputError("cannot carry the other files of " + quoted(dir_) + " over: " +
                        e.code().message());
    }
    maybe_fail(Step::kCarryOver, "cannot carry the other files of " + quoted(dir_) + " over");
  }
  sync_path(staging_, O_RDONLY | O_DIRECTORY);
  maybe_fail(Step::kPublish, "cannot publish " + quoted(staging_) + " as " + quoted(dir_));
  if (!replacing) {
    if (::rename(staging_.c_str(), dir_.c_str()) != 0)
      fail("cannot rename " + quoted(staging_) + " onto " + quoted(dir_), errno);
  } else if (exchange(staging_, dir_) != 0) {
    if (errno != EINVAL && errno != ENOSYS)
      fail("cannot exchange " + quoted(staging_) + " with " + quoted(dir_), errno);
    // No exchange on this file system: DIR is absent between the two renames (the next writer
    // restores the old set if a kill falls there).
    const fs::path aside = sibling(dir_, "old." + unique_suffix());
    if (::rename(dir_.c_str(), aside.c_str()) != 0)
      fail("cannot rename " + quoted(dir_) + " aside", errno);
    if (::rename(staging_.c_str(), dir_.c_str()) != 0) {
      const int error = errno;
      ::rename(aside.c_str(), dir_.c_str());
      fail("cannot rename " + quoted(staging_) + " onto " + quoted(dir_), error);
    }
    fs::rename(aside, staging_, ec);  // the old set, removed below
  }
  committed_ = true;
  files_.clear();
  std::error_code ignored;  // the set is published; a leftover old set is removed by the next writer
  if (replacing) fs::remove_all(staging_, ignored);
  try {
    sync_path(dir_.parent_path(), O_RDONLY | O_DIRECTORY);
  } catch (const OutputError&) {
    // Published already; only durability across a power loss is not confirmed.
  }
}

}  // namespace padsim
