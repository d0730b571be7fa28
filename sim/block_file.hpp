#pragma once
// Private to the checkpoint code: the frame of a checkpoint's block file, the same for exact and
// bounded blocks. A block file is an 8-byte magic (its kind), the checkpoint's fingerprint
// (64 hex digits), a body, and the hex checksum of all of it; it is written beside its final
// name, fsync'ed and renamed, so that a kill leaves a whole block file or none.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "result_bytes.hpp"

namespace padsim::detail {

/// The 8 bytes that open a block file of one kind.
using BlockMagic = char[8];

/// Throws CheckpointError "'PATH' is damaged (WHY); remove it and resume to run its block again".
[[noreturn]] void block_damaged(const std::filesystem::path& path, const std::string& why);

/// Writes block file `path`: `magic`, `fingerprint`, what `body` writes, the checksum.
void write_block_file(const std::filesystem::path& path, const BlockMagic& magic,
                      const std::string& fingerprint, const std::function<void(ByteSink&)>& body);

/// Reads block file `path` back: its magic must be `magic` (else "not a KIND file") and its
/// fingerprint `fingerprint`; `body` reads the body, which must end where the checksum starts, and
/// the checksum must match. Every problem, an Error thrown by `body` included, is block_damaged().
void read_block_file(const std::filesystem::path& path, const BlockMagic& magic, std::string_view kind,
                     const std::string& fingerprint, const std::function<void(ByteSource&)>& body);

}  // namespace padsim::detail
