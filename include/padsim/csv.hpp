#pragma once
/// RFC 4180 CSV output and files that appear completely or not at all.
///
/// - Rows end with CRLF, as RFC 4180 specifies (pandas, R and spreadsheets read it unchanged).
/// - A field containing a comma, a double quote, CR or LF is quoted, inner quotes doubled.
/// - A text field a spreadsheet would run as a formula (it starts with =, +, -, @, tab or CR and
///   is not a number) is written with a leading apostrophe ('=A1), which spreadsheets show as
///   text; numbers and every other field are written unchanged.
/// - Numbers are the shortest text that reads back to the same double (std::to_chars), so output
///   is byte-identical on every run and platform; NaN is an empty cell; -0 is written as 0;
///   infinities as `inf` / `-inf` (callers decide whether to write them or an empty cell).
///
///     padsim::AtomicFile file(dir / "runs.csv");   // writes dir/.runs.csv.tmp.<pid>
///     padsim::CsvWriter csv(file.stream());
///     csv.field("replication").field("completion_day").end_row();
///     csv.integer(0).number(97.25).end_row();
///     file.commit();                                // renames onto dir/runs.csv

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "padsim/format.hpp"

namespace padsim {

/// Appends format_number(value) (format.hpp), except that NaN is nothing: an empty cell.
void append_number(std::string& out, double value);
/// Whether a spreadsheet would run `text` as a formula: it starts with =, +, -, @, tab or CR and
/// does not read as a number.
bool spreadsheet_would_execute(std::string_view text);
/// Appends `text` as one RFC 4180 field, quoted only when it must be, with a leading apostrophe
/// when spreadsheet_would_execute(text).
void append_field(std::string& out, std::string_view text);

/// Writes CSV rows to a stream, one row buffered at a time.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(&out) {}

  /// A text cell.
  CsvWriter& field(std::string_view text);
  /// A number cell: shortest round trip; NaN is an empty cell.
  CsvWriter& number(double value);
  /// An integer cell.
  CsvWriter& integer(std::int64_t value);
  CsvWriter& integer(std::uint64_t value);
  /// An empty cell.
  CsvWriter& empty();
  /// Ends the row with CRLF and hands it to the stream.
  void end_row();

 private:
  void separate();

  std::ostream* out_;
  std::string row_;
  bool row_started_ = false;
};

/// A file written under a temporary name in its final directory (`.NAME.tmp.<pid>`) and renamed
/// onto NAME by commit(), so NAME is either absent, the old file, or the complete new one. Destroyed
/// without commit (an error, an interrupt), it removes the temporary file.
class AtomicFile {
 public:
  /// Opens the temporary file; throws OutputError naming the path when it cannot be created.
  explicit AtomicFile(std::filesystem::path final_path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  const std::filesystem::path& path() const noexcept { return final_; }
  const std::filesystem::path& temp_path() const noexcept { return temp_; }

  /// Flushes, closes and renames onto the final name; throws OutputError naming the path on any
  /// write or rename failure (the temporary file is then removed). With `durable`, the file is
  /// fsync'ed before the rename and its directory after, so that even a crash of the machine
  /// leaves the old file or the whole new one (a checkpoint's blocks need it; results files are
  /// published by ResultSet, which syncs them itself).
  void commit(bool durable = false);

 private:
  std::filesystem::path final_;
  std::filesystem::path temp_;
  std::ofstream out_;
  bool committed_ = false;
};

/// Creates `dir` (and its parents) if needed and checks it is a directory; throws OutputError
/// naming the path otherwise.
void ensure_output_directory(const std::filesystem::path& dir);

}  // namespace padsim
