#pragma once
// A BatchResult as bytes (padsim/checkpoint.hpp): written to and read from a string or a file
// without an intermediate copy of its values, with a running checksum of what went through.

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>

#include "padsim/batch.hpp"

namespace padsim::detail {

/// A 64-bit checksum (FNV-1a over 8-byte words, then a tail of single bytes): it finds damaged
/// bytes at memory speed. Every piece but the last must be a multiple of 8 bytes long.
class Checksum {
 public:
  void add(const char* bytes, std::size_t n);
  /// 16 lowercase hex digits.
  std::string hex() const;
  static constexpr std::size_t kHexDigits = 16;

 private:
  std::uint64_t h_ = 0xcbf29ce484222325;
};

/// Where bytes go: a string or a stream (whose errors the caller checks), checksummed.
class ByteSink {
 public:
  explicit ByteSink(std::string& out) : string_(&out) {}
  explicit ByteSink(std::ostream& out) : stream_(&out) {}
  void write(const void* bytes, std::size_t n);
  const Checksum& checksum() const { return checksum_; }

 private:
  std::string* string_ = nullptr;
  std::ostream* stream_ = nullptr;
  Checksum checksum_;
};

/// Where bytes come from: a string, or `size` bytes of a stream; checksummed. read() throws Error
/// "serialized batch result ends too early" past the end or on a read error.
class ByteSource {
 public:
  explicit ByteSource(std::string_view bytes) : bytes_(bytes), remaining_(bytes.size()) {}
  ByteSource(std::istream& in, std::uint64_t size) : stream_(&in), remaining_(size) {}
  void read(void* into, std::size_t n);
  std::uint64_t next();
  std::uint64_t remaining() const { return remaining_; }
  const Checksum& checksum() const { return checksum_; }

 private:
  std::string_view bytes_;
  std::istream* stream_ = nullptr;
  std::uint64_t remaining_ = 0;
  Checksum checksum_;
};

/// The bytes write_result() writes for `result`.
std::uint64_t serialized_size(const BatchResult& result);
/// Writes an exact, fixed-count result (throws Error for another).
void write_result(ByteSink& out, const BatchResult& result);
/// Reads one result written by write_result() and returns it without its values, which go to
/// `into`: when `first`, `into` becomes the result (its vectors given room for `reserve`
/// replications, the series for as many of them as `series_bytes` hold (the batch's
/// series_memory_bytes), in huge pages); otherwise the result must continue `into` (same seed and shape,
/// starting where it ends) and its values are appended, its replications, series and threads
/// counted in (wall_seconds left to the caller). Throws Error when the bytes are not such a result.
BatchResult read_result(ByteSource& in, BatchResult& into, bool first, std::uint64_t reserve = 0,
                        std::uint64_t series_bytes = 0);

}  // namespace padsim::detail
