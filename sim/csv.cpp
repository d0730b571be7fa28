#include "padsim/csv.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include "padsim/error.hpp"

namespace padsim {

void append_number(std::string& out, double value) {
  if (std::isnan(value)) return;
  append_formatted_number(out, value);
}

bool spreadsheet_would_execute(std::string_view text) {
  if (text.empty() || std::string_view("=+-@\t\r").find(text.front()) == std::string_view::npos)
    return false;
  // A number ("-3", "+inf") is data, not a formula: leave it as it is.
  const std::string copy(text);
  char* end = nullptr;
  std::strtod(copy.c_str(), &end);
  return end != copy.c_str() + copy.size();
}

void append_field(std::string& out, std::string_view text) {
  const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out += '"';
  // A leading apostrophe makes a spreadsheet show the cell as text instead of running it.
  if (spreadsheet_would_execute(text)) out += '\'';
  for (const char c : text) {
    if (quote && c == '"') out += '"';
    out += c;
  }
  if (quote) out += '"';
}

void CsvWriter::separate() {
  if (row_started_) row_ += ',';
  row_started_ = true;
}

CsvWriter& CsvWriter::field(std::string_view text) {
  separate();
  append_field(row_, text);
  return *this;
}

CsvWriter& CsvWriter::number(double value) {
  separate();
  append_number(row_, value);
  return *this;
}

CsvWriter& CsvWriter::integer(std::int64_t value) {
  separate();
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  row_.append(buf, result.ptr);
  return *this;
}

CsvWriter& CsvWriter::integer(std::uint64_t value) {
  separate();
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  row_.append(buf, result.ptr);
  return *this;
}

CsvWriter& CsvWriter::empty() {
  separate();
  return *this;
}

void CsvWriter::end_row() {
  row_ += "\r\n";
  out_->write(row_.data(), static_cast<std::streamsize>(row_.size()));
  row_.clear();
  row_started_ = false;
}

namespace {

std::string quoted(const std::filesystem::path& p) {
  std::string out(1, '\'');
  out += p.string();
  out += '\'';
  return out;
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path final_path) : final_(std::move(final_path)) {
  // The temporary lives in the final directory so that rename() never crosses file systems; the
  // pid keeps two concurrent runs into one directory from sharing a temporary.
  std::string temp_name(1, '.');
  temp_name += final_.filename().string();
  temp_name += ".tmp.";
  temp_name += std::to_string(::getpid());
  temp_ = final_.parent_path() / temp_name;
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    const std::string reason = std::strerror(errno);
    throw OutputError("cannot write " + quoted(final_) + " in output directory " +
                      quoted(final_.parent_path().empty() ? "." : final_.parent_path()) + ": " +
                      reason);
  }
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  out_.close();
  std::error_code ignored;  // best effort: a destructor must not throw
  std::filesystem::remove(temp_, ignored);
}

namespace {

// fsync of a file or directory; false with errno set on failure.
bool sync_file(const std::filesystem::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  errno = error;
  return rc == 0;
}

}  // namespace

void AtomicFile::commit(bool durable) {
  out_.flush();
  const bool written = static_cast<bool>(out_);
  out_.close();
  if (!written || out_.fail() || (durable && !sync_file(temp_, O_RDONLY))) {
    const std::string reason = std::strerror(errno);
    std::error_code ignored;
    std::filesystem::remove(temp_, ignored);
    throw OutputError("cannot write " + quoted(final_) + ": " + reason);
  }
  std::error_code ec;
  std::filesystem::rename(temp_, final_, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temp_, ignored);
    throw OutputError("cannot rename " + quoted(temp_) + " onto " + quoted(final_) + ": " +
                      ec.message());
  }
  committed_ = true;
  const std::filesystem::path parent = final_.parent_path().empty() ? "." : final_.parent_path();
  if (durable && !sync_file(parent, O_RDONLY | O_DIRECTORY))
    throw OutputError("cannot sync " + quoted(parent) + ": " + std::strerror(errno));
}

void ensure_output_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw OutputError("cannot create output directory " + quoted(dir) + ": " + ec.message());
  if (!std::filesystem::is_directory(dir, ec))
    throw OutputError("output directory " + quoted(dir) + " is not a directory");
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw OutputError("output directory " + quoted(dir) + " is not writable: " +
                      std::strerror(errno));
}

}  // namespace padsim
