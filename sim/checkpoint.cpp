// Checkpointed batches: the checkpoint directory (its fingerprint and blocks) and the block-by-block run.
#include "padsim/checkpoint.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "padsim/csv.hpp"
#include "padsim/sha256.hpp"
#include "block_file.hpp"
#include "result_bytes.hpp"

namespace padsim {

namespace fs = std::filesystem;

namespace {

constexpr char kBlockMagic[8] = {'P', 'S', 'B', 'L', 'O', 'C', 'K', '1'};
constexpr std::size_t kHexDigest = 64;  // the fingerprint
constexpr std::size_t kHexChecksum = detail::Checksum::kHexDigits;
const char* const kManifest = "checkpoint.txt";
const char* const kManifestHeader = "padsim checkpoint 1";

std::string escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out;
}

std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char c = text[++i];
    out += c == 'n' ? '\n' : c == 'r' ? '\r' : c;
  }
  return out;
}

// A part's text as a message shows it: one line, "none" when empty.
std::string shown(const std::string& text) {
  if (text.empty()) return "none";
  std::string out = text;
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

std::string read_whole(const fs::path& p, bool& ok) {
  std::ifstream in(p, std::ios::binary | std::ios::ate);
  ok = static_cast<bool>(in);
  if (!ok) return {};
  const std::streamoff size = in.tellg();
  in.seekg(0);
  std::string text(static_cast<std::size_t>(std::max<std::streamoff>(size, 0)), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  ok = static_cast<bool>(in) && size >= 0;
  return text;
}

// Removes the temporaries (AtomicFile's `.NAME.tmp.PID`) a killed writer left in `dir`; called
// with the checkpoint's lock held, so no live writer owns them.
void remove_temporaries(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 1 && name[0] == '.' && name.find(".tmp.") != std::string::npos)
      fs::remove(entry.path(), ec);
  }
}

}  // namespace

std::string serialize_batch_result(const BatchResult& r) {
  std::string out;
  out.reserve(detail::serialized_size(r));
  detail::ByteSink sink(out);
  detail::write_result(sink, r);
  return out;
}

BatchResult deserialize_batch_result(std::string_view bytes) {
  detail::ByteSource source(bytes);
  BatchResult r;
  detail::read_result(source, r, true);
  if (source.remaining() != 0) throw Error("serialized batch result has bytes after its end");
  return r;
}

std::string fingerprint_of(const std::vector<FingerprintPart>& parts) {
  std::string text;
  for (const FingerprintPart& p : parts) {
    text += std::to_string(p.name.size()) + ":" + p.name + "=";
    text += std::to_string(p.text.size()) + ":" + p.text + "\n";
  }
  return sha256_hex(text);
}

BatchCheckpoint::BatchCheckpoint(fs::path dir, std::uint64_t block, std::string fingerprint)
    : dir_(std::move(dir)), block_(block), fingerprint_(std::move(fingerprint)) {
  try {
    lock_ = OutputLock(dir_);
  } catch (const OutputError& e) {  // its message speaks of an output directory
    throw OutputError("the checkpoint in " + quoted(dir_) + " is in use: " + e.what());
  }
}

BatchCheckpoint BatchCheckpoint::create(const fs::path& dir, std::vector<FingerprintPart> parts,
                                        std::uint64_t block_replications) {
  if (block_replications == 0) throw Error("a checkpoint's blocks need at least one replication");
  BatchCheckpoint cp(dir, block_replications, fingerprint_of(parts));
  remove_temporaries(dir);  // of a writer killed while it started this checkpoint
  std::error_code ec;
  if (fs::exists(fs::path(dir) / kManifest, ec))
    throw CheckpointError(quoted(dir) + " holds a checkpoint already");
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
    throw CheckpointError(quoted(dir) + " is not empty; a new checkpoint needs an empty or new "
                          "directory");
  ensure_output_directory(dir);
  AtomicFile file(fs::path(dir) / kManifest);
  std::ostream& out = file.stream();
  out << kManifestHeader << "\nblock_replications " << block_replications << "\n";
  for (const FingerprintPart& p : parts) out << "part " << escape(p.name) << "=" << escape(p.text) << "\n";
  out << "fingerprint " << cp.fingerprint_ << "\n";
  file.commit(true);
  return cp;
}

BatchCheckpoint BatchCheckpoint::open(const fs::path& dir, std::vector<FingerprintPart> parts) {
  const fs::path manifest = fs::path(dir) / kManifest;
  bool ok = false;
  const std::string text = read_whole(manifest, ok);
  if (!ok) throw CheckpointError(quoted(dir) + " holds no checkpoint (no " + kManifest + ")");
  const auto damaged = [&](const std::string& why) {
    throw CheckpointError(quoted(manifest) + " is damaged: " + why);
  };
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  if (line != kManifestHeader) damaged("it does not start with '" + std::string(kManifestHeader) + "'");
  std::uint64_t block = 0;
  std::vector<FingerprintPart> stored;
  std::string fingerprint;
  while (std::getline(in, line)) {
    if (line.rfind("block_replications ", 0) == 0) {
      block = std::strtoull(line.c_str() + 19, nullptr, 10);
    } else if (line.rfind("part ", 0) == 0 && line.find('=') != std::string::npos) {
      const std::size_t eq = line.find('=');
      stored.push_back({unescape(line.substr(5, eq - 5)), unescape(line.substr(eq + 1))});
    } else if (line.rfind("fingerprint ", 0) == 0) {
      fingerprint = line.substr(12);
    } else {
      damaged("unexpected line '" + line + "'");
    }
  }
  if (block == 0) damaged("no block_replications");
  if (fingerprint != fingerprint_of(stored)) damaged("its fingerprint does not match its parts");
  // A part only one side has (e.g. "--bounded-memory", which an exact batch leaves out) differs
  // from nothing: the message shows "none" for the side without it.
  const auto text_of = [](const std::vector<FingerprintPart>& list, const std::string& name) {
    const auto it = std::find_if(list.begin(), list.end(),
                                 [&](const FingerprintPart& p) { return p.name == name; });
    return it == list.end() ? std::string() : it->text;
  };
  std::vector<FingerprintPart> all = parts;
  for (const FingerprintPart& s : stored)
    if (std::none_of(parts.begin(), parts.end(), [&](const FingerprintPart& p) { return p.name == s.name; }))
      all.push_back(s);
  for (const FingerprintPart& p : all) {
    const std::string mine = text_of(parts, p.name), theirs = text_of(stored, p.name);
    if (mine != theirs)
      throw CheckpointError("the checkpoint in " + quoted(dir) + " is of another " + p.name +
                            " (checkpoint: " + shown(theirs) + ", this run: " + shown(mine) + ")");
  }
  BatchCheckpoint cp(dir, block, fingerprint);
  remove_temporaries(dir);
  return cp;
}

fs::path BatchCheckpoint::block_path(std::uint64_t index) const {
  std::string digits = std::to_string(index);
  if (digits.size() < 12) digits.insert(0, 12 - digits.size(), '0');
  return dir_ / ("block-" + digits + ".bin");
}

namespace detail {

void block_damaged(const fs::path& path, const std::string& why) {
  throw CheckpointError(quoted(path) + " is damaged (" + why + "); remove it and resume to run its block again");
}

void write_block_file(const fs::path& path, const BlockMagic& magic, const std::string& fingerprint,
                      const std::function<void(ByteSink&)>& body) {
  AtomicFile file(path);
  ByteSink sink(file.stream());
  sink.write(magic, sizeof magic);
  sink.write(fingerprint.data(), fingerprint.size());
  body(sink);
  file.stream() << sink.checksum().hex();
  file.commit(true);
}

void read_block_file(const fs::path& path, const BlockMagic& magic, std::string_view kind,
                     const std::string& fingerprint, const std::function<void(ByteSource&)>& body) {
  const std::string not_kind = "not a " + std::string(kind) + " file";
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const std::streamoff size = in ? static_cast<std::streamoff>(in.tellg()) : -1;
  if (size < 0) block_damaged(path, "it cannot be read");
  in.seekg(0);
  const auto head = static_cast<std::streamoff>(sizeof magic + kHexDigest);
  if (size < head + static_cast<std::streamoff>(kHexChecksum)) block_damaged(path, not_kind);
  ByteSource source(in, static_cast<std::uint64_t>(size) - kHexChecksum);
  try {
    char read_magic[sizeof magic];
    source.read(read_magic, sizeof read_magic);
    if (std::memcmp(read_magic, magic, sizeof magic) != 0) block_damaged(path, not_kind);
    std::string read_fingerprint(kHexDigest, ' ');
    source.read(read_fingerprint.data(), read_fingerprint.size());
    if (read_fingerprint != fingerprint) block_damaged(path, "it belongs to another checkpoint");
    body(source);
  } catch (const CheckpointError&) {
    throw;
  } catch (const Error& e) {
    block_damaged(path, e.what());
  }
  std::string checksum(kHexChecksum, ' ');
  if (source.remaining() != 0 || !in.read(checksum.data(), static_cast<std::streamsize>(checksum.size())) ||
      checksum != source.checksum().hex())
    block_damaged(path, "checksum mismatch");
}

}  // namespace detail

std::uint64_t BatchCheckpoint::blocks_done() const {
  std::uint64_t n = 0;
  std::error_code ec;
  while (fs::is_regular_file(block_path(n), ec)) ++n;
  return n;
}

void BatchCheckpoint::save_block(std::uint64_t index, const BatchResult& block) const {
  detail::write_block_file(block_path(index), kBlockMagic, fingerprint_,
                           [&](detail::ByteSink& sink) { detail::write_result(sink, block); });
}

BatchResult BatchCheckpoint::read_block(std::uint64_t index, BatchResult& into, bool first,
                                        std::uint64_t reserve, std::uint64_t series_bytes) const {
  BatchResult header;
  detail::read_block_file(block_path(index), kBlockMagic, "block", fingerprint_, [&](detail::ByteSource& source) {
    header = detail::read_result(source, into, first, reserve, series_bytes);
  });
  if (header.first_replication != index * block_)
    detail::block_damaged(block_path(index), "it holds another range of replications");
  return header;
}

BatchResult BatchCheckpoint::load_block(std::uint64_t index) const {
  BatchResult r;
  read_block(index, r, true, 0, 0);
  return r;
}

BatchResult run_checkpointed_batch(const Model& model, const BatchOptions& options,
                                   const BatchCheckpoint& checkpoint) {
  if (options.auto_runs || options.bounded || options.first_replication != 0)
    throw Error("run_checkpointed_batch: only a whole exact batch of a fixed count is checkpointed");
  const std::uint64_t n = options.replications;
  const std::uint64_t size = checkpoint.block_replications();
  const std::uint64_t blocks = n / size + (n % size != 0 ? 1 : 0);
  for (std::uint64_t b = checkpoint.blocks_done(); b < blocks; ++b) {
    const BatchOptions o = part_options(options, b * size, std::min(size, n - b * size));
    checkpoint.save_block(b, run_batch(model, o));
  }
  if (options.interrupt != nullptr && options.interrupt->load())
    throw Interrupted("interrupted after the last block");
  // Every block read straight into the whole result, given room for all of it at once.
  BatchResult whole;
  double wall = 0.0;
  for (std::uint64_t b = 0; b < blocks; ++b)
    wall += checkpoint.read_block(b, whole, b == 0, n, options.series_memory_bytes).wall_seconds;
  if (whole.seed != options.seed || whole.replications != n)
    throw CheckpointError("the checkpoint in " + quoted(checkpoint.dir()) + " holds another batch");
  whole.wall_seconds = wall;
  return whole;
}

}  // namespace padsim
