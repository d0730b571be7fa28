// CSV writing (RFC 4180 quoting, shortest round-trip numbers) and atomic output files.
#include <doctest/doctest.h>

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "padsim/csv.hpp"
#include "padsim/error.hpp"
#include "padsim/rng.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace padsim;
using padsim::test::TempDir;
using padsim::test::read;

namespace {

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("fields are quoted only when they hold a comma, a quote, CR or LF") {
  std::string out;
  append_field(out, "plain text");
  CHECK(out == "plain text");
  out.clear();
  append_field(out, "a,b");
  CHECK(out == "\"a,b\"");
  out.clear();
  append_field(out, "say \"hi\"");
  CHECK(out == "\"say \"\"hi\"\"\"");
  out.clear();
  append_field(out, "two\nlines");
  CHECK(out == "\"two\nlines\"");
  out.clear();
  append_field(out, "cr\r");
  CHECK(out == "\"cr\r\"");
  out.clear();
  append_field(out, "");
  CHECK(out.empty());
}

TEST_CASE("a text cell a spreadsheet would run as a formula is written as text, numbers are not") {
  auto field = [](std::string_view text) {
    std::string out;
    append_field(out, text);
    return out;
  };
  CHECK(field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
  CHECK(field("+task") == "'+task");
  CHECK(field("-weld") == "'-weld");
  CHECK(field("@SUM(A1)") == "'@SUM(A1)");
  CHECK(field("\tTAB") == "'\tTAB");
  CHECK(field("=1,2") == "\"'=1,2\"");
  CHECK(field("-3") == "-3");
  CHECK(field("-inf") == "-inf");
  CHECK(field("+1.5e3") == "+1.5e3");
  CHECK(field("a=b") == "a=b");
  CHECK(!spreadsheet_would_execute("R6"));
  CHECK(spreadsheet_would_execute("-"));
}

TEST_CASE("rows end with CRLF and NaN is an empty cell") {
  std::ostringstream s;
  CsvWriter csv(s);
  csv.field("replication").field("x,y").field("z").end_row();
  csv.integer(std::uint64_t{18446744073709551615ULL}).number(std::nan("")).number(-2.5).end_row();
  csv.integer(std::int64_t{-3}).empty().field("").end_row();
  CHECK(s.str() == "replication,\"x,y\",z\r\n18446744073709551615,,-2.5\r\n-3,,\r\n");
}

TEST_CASE("numbers are the shortest text that reads back to the same double") {
  CHECK(format_number(97.0) == "97");
  CHECK(format_number(0.1) == "0.1");
  CHECK(format_number(1.0 / 3.0) == "0.3333333333333333");
  CHECK(format_number(1e-7) == "1e-07");
  CHECK(format_number(-0.0) == "0");
  CHECK(format_number(std::numeric_limits<double>::infinity()) == "inf");
  std::string cell;  // NaN is an empty cell in CSV (format_number itself spells it "nan")
  append_number(cell, std::nan(""));
  CHECK(cell.empty());
  Rng rng(7, 0, stream_key("test"));
  for (int i = 0; i < 10000; ++i) {
    const double x = (rng.uniform01() - 0.5) * std::pow(10.0, 40.0 * rng.uniform01() - 20.0);
    const std::string text = format_number(x);
    double back = 0.0;
    std::from_chars(text.data(), text.data() + text.size(), back);
    REQUIRE(back == x);
  }
}

TEST_CASE("an atomic file appears under its name only when committed") {
  TempDir dir("atomic");
  const fs::path target = dir.path / "runs.csv";
  {
    AtomicFile file(target);
    file.stream() << "a,b\r\n";
    CHECK(fs::exists(file.temp_path()));
    CHECK(file.temp_path().parent_path() == dir.path);
    CHECK(!fs::exists(target));
    file.commit();
  }
  CHECK(read(target) == "a,b\r\n");
  CHECK(entries(dir.path) == 1);
  {
    AtomicFile file(target);
    file.stream() << "half a row";
    // destroyed without commit: an error or an interrupt
  }
  CHECK(read(target) == "a,b\r\n");  // the old complete file, never a partial one
  CHECK(entries(dir.path) == 1);     // and no temporary left behind
}

TEST_CASE("an unwritable output directory is an OutputError naming the path") {
  TempDir dir("unwritable");
  const fs::path blocker = dir.path / "a_file";
  std::ofstream(blocker) << "x";
  const fs::path bad = blocker / "results";
  CHECK_THROWS_WITH_AS(ensure_output_directory(bad), doctest::Contains(bad.string().c_str()), OutputError);
  CHECK_THROWS_WITH_AS(AtomicFile(bad / "runs.csv"), doctest::Contains(bad.string().c_str()), OutputError);
  CHECK_THROWS_AS(ensure_output_directory(blocker), OutputError);
}
