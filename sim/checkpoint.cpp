// Checkpointed batches: BatchResult as bytes, the checkpoint directory, and the block-by-block run.
#include "padsim/checkpoint.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "padsim/csv.hpp"
#include "padsim/sha256.hpp"

namespace padsim {

namespace fs = std::filesystem;

namespace {

constexpr char kResultMagic[8] = {'P', 'S', 'R', 'E', 'S', 'U', 'L', 'T'};
constexpr char kBlockMagic[8] = {'P', 'S', 'B', 'L', 'O', 'C', 'K', '1'};
constexpr std::uint64_t kByteOrder = 0x0102030405060708;
constexpr std::size_t kHexDigest = 64;  // the fingerprint
constexpr std::size_t kHexChecksum = 16;
const char* const kManifest = "checkpoint.txt";
const char* const kManifestHeader = "padsim checkpoint 1";

void put(std::string& out, std::uint64_t v) {
  char bytes[sizeof v];
  std::memcpy(bytes, &v, sizeof v);
  out.append(bytes, sizeof v);
}

void put_values(std::string& out, const std::vector<double>& values) {
  put(out, values.size());
  out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(double));
}

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t next() {
    std::uint64_t v = 0;
    std::memcpy(&v, take(sizeof v), sizeof v);
    return v;
  }
  std::vector<double> values() {
    const std::uint64_t n = next();
    if (n > (bytes_.size() - at_) / sizeof(double)) fail();
    std::vector<double> v(n);
    std::memcpy(v.data(), take(n * sizeof(double)), n * sizeof(double));
    return v;
  }
  const char* take(std::size_t n) {
    if (n > bytes_.size() - at_) fail();
    at_ += n;
    return bytes_.data() + (at_ - n);
  }
  bool done() const { return at_ == bytes_.size(); }
  [[noreturn]] static void fail() { throw Error("serialized batch result ends too early"); }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

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

namespace {

std::size_t serialized_size(const BatchResult& r) {
  std::size_t values = r.outcomes.size() + r.inputs.size() + r.series.size();
  for (const auto& table : r.tables) values += table.size();
  const std::size_t words = 13 + 2 * r.table_cells.size() + 3;  // header, cells, vector sizes
  return sizeof kResultMagic + (words + values) * sizeof(std::uint64_t);
}

// serialize_batch_result(), appended to `out` (a block file is written from one buffer).
void append_serialized(std::string& out, const BatchResult& r) {
  if (r.streamed || r.auto_runs)
    throw Error("serialize_batch_result: only exact batches of a fixed count are serialized");
  out.append(kResultMagic, sizeof kResultMagic);
  for (const std::uint64_t v :
       {kByteOrder, r.seed, r.first_replication, r.replications, std::uint64_t{r.threads},
        std::uint64_t{r.processes}, std::bit_cast<std::uint64_t>(r.wall_seconds),
        std::uint64_t{r.outcome_count}, std::uint64_t{r.input_count}, std::uint64_t{r.series_count},
        std::uint64_t{r.series_days}, r.series_replications, std::uint64_t{r.table_cells.size()}})
    put(out, v);
  for (const std::size_t cells : r.table_cells) put(out, cells);
  if (r.tables.size() != r.table_cells.size()) throw Error("serialize_batch_result: tables do not match");
  put_values(out, r.outcomes);
  put_values(out, r.inputs);
  for (const auto& table : r.tables) put_values(out, table);
  put_values(out, r.series);
}

// A 64-bit checksum of a block file's bytes (FNV-1a over 8-byte words, then its tail bytes): it
// finds a damaged file, at memory speed; the fingerprint, not the checksum, ties a block to its
// batch.
std::string checksum_hex(std::string_view bytes) {
  constexpr std::uint64_t kPrime = 0x100000001b3;
  std::uint64_t h = 0xcbf29ce484222325;
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, bytes.data() + i, sizeof w);
    h = (h ^ w) * kPrime;
    h ^= h >> 29;
  }
  for (; i < bytes.size(); ++i) h = (h ^ static_cast<unsigned char>(bytes[i])) * kPrime;
  static const char* const kDigits = "0123456789abcdef";
  std::string hex(kHexChecksum, '0');
  for (std::size_t d = 0; d < kHexChecksum; ++d) hex[kHexChecksum - 1 - d] = kDigits[(h >> (4 * d)) & 15];
  return hex;
}

}  // namespace

std::string serialize_batch_result(const BatchResult& r) {
  std::string out;
  out.reserve(serialized_size(r));
  append_serialized(out, r);
  return out;
}

BatchResult deserialize_batch_result(std::string_view bytes) {
  ByteReader in(bytes);
  if (std::memcmp(in.take(sizeof kResultMagic), kResultMagic, sizeof kResultMagic) != 0)
    throw Error("not a serialized batch result");
  if (in.next() != kByteOrder) throw Error("serialized batch result of another byte order");
  BatchResult r;
  r.seed = in.next();
  r.first_replication = in.next();
  r.replications = in.next();
  r.threads = static_cast<unsigned>(in.next());
  r.processes = static_cast<unsigned>(in.next());
  r.wall_seconds = std::bit_cast<double>(in.next());
  r.outcome_count = in.next();
  r.input_count = in.next();
  r.series_count = in.next();
  r.series_days = in.next();
  r.series_replications = in.next();
  const std::uint64_t tables = in.next();
  if (tables > bytes.size()) ByteReader::fail();
  for (std::uint64_t t = 0; t < tables; ++t) r.table_cells.push_back(in.next());
  r.outcomes = in.values();
  r.inputs = in.values();
  for (std::uint64_t t = 0; t < tables; ++t) r.tables.push_back(in.values());
  r.series = in.values();
  if (!in.done()) throw Error("serialized batch result has bytes after its end");
  return r;
}

void append_batch_result(BatchResult& whole, const BatchResult& later) {
  const auto fail = [](const std::string& why) { throw Error("append_batch_result: " + why); };
  if (whole.streamed || later.streamed || whole.auto_runs || later.auto_runs)
    fail("only exact batches of a fixed count are appended");
  if (later.seed != whole.seed) fail("another seed");
  if (later.first_replication != whole.first_replication + whole.replications)
    fail("the range starts at replication " + std::to_string(later.first_replication) + ", not " +
         std::to_string(whole.first_replication + whole.replications));
  if (later.outcome_count != whole.outcome_count || later.input_count != whole.input_count ||
      later.table_cells != whole.table_cells || later.series_count != whole.series_count ||
      later.series_days != whole.series_days || later.tables.size() != whole.tables.size())
    fail("another shape");
  if (later.series_replications != 0 && whole.series_replications < whole.replications)
    fail("series after a gap");
  whole.outcomes.insert(whole.outcomes.end(), later.outcomes.begin(), later.outcomes.end());
  whole.inputs.insert(whole.inputs.end(), later.inputs.begin(), later.inputs.end());
  for (std::size_t t = 0; t < whole.tables.size(); ++t)
    whole.tables[t].insert(whole.tables[t].end(), later.tables[t].begin(), later.tables[t].end());
  whole.series.insert(whole.series.end(), later.series.begin(), later.series.end());
  whole.replications += later.replications;
  whole.series_replications += later.series_replications;
  whole.threads = std::max(whole.threads, later.threads);
  whole.wall_seconds = std::max(whole.wall_seconds, later.wall_seconds);
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
    : dir_(std::move(dir)), block_(block), fingerprint_(std::move(fingerprint)), lock_(dir_) {}

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
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto it = std::find_if(stored.begin(), stored.end(),
                                 [&](const FingerprintPart& s) { return s.name == parts[i].name; });
    if (it == stored.end()) damaged("it has no part '" + parts[i].name + "'");
    if (it->text != parts[i].text)
      throw CheckpointError("the checkpoint in " + quoted(dir) + " is of another " + parts[i].name +
                            " (checkpoint: " + shown(it->text) + ", this run: " +
                            shown(parts[i].text) + ")");
  }
  if (stored.size() != parts.size()) damaged("it has parts this run does not have");
  BatchCheckpoint cp(dir, block, fingerprint);
  remove_temporaries(dir);
  return cp;
}

fs::path BatchCheckpoint::block_path(std::uint64_t index) const {
  std::string digits = std::to_string(index);
  if (digits.size() < 12) digits.insert(0, 12 - digits.size(), '0');
  return dir_ / ("block-" + digits + ".bin");
}

std::uint64_t BatchCheckpoint::blocks_done() const {
  std::uint64_t n = 0;
  std::error_code ec;
  while (fs::is_regular_file(block_path(n), ec)) ++n;
  return n;
}

void BatchCheckpoint::save_block(std::uint64_t index, const BatchResult& block) const {
  std::string bytes;
  bytes.reserve(sizeof kBlockMagic + kHexDigest + serialized_size(block) + kHexChecksum);
  bytes.append(kBlockMagic, sizeof kBlockMagic);
  bytes += fingerprint_;
  append_serialized(bytes, block);
  bytes += checksum_hex(bytes);
  AtomicFile file(block_path(index));
  file.stream().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  file.commit(true);
}

BatchResult BatchCheckpoint::load_block(std::uint64_t index) const {
  const fs::path path = block_path(index);
  bool ok = false;
  const std::string bytes = read_whole(path, ok);
  const auto damaged = [&](const std::string& why) {
    throw CheckpointError(quoted(path) + " is damaged (" + why +
                          "); remove it and resume to run its block again");
  };
  if (!ok) damaged("it cannot be read");
  const std::size_t head = sizeof kBlockMagic + kHexDigest;
  if (bytes.size() < head + kHexChecksum ||
      bytes.compare(0, sizeof kBlockMagic, kBlockMagic, sizeof kBlockMagic) != 0)
    damaged("not a block file");
  const std::string_view body(bytes.data(), bytes.size() - kHexChecksum);
  if (checksum_hex(body) != std::string_view(bytes).substr(body.size())) damaged("checksum mismatch");
  if (bytes.compare(sizeof kBlockMagic, kHexDigest, fingerprint_) != 0)
    damaged("it belongs to another checkpoint");
  BatchResult r;
  try {
    r = deserialize_batch_result(body.substr(head));
  } catch (const Error& e) {
    damaged(e.what());
  }
  if (r.first_replication != index * block_) damaged("it holds another range of replications");
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
    BatchOptions o = options;
    o.first_replication = b * size;
    o.replications = std::min(size, n - o.first_replication);
    if (options.progress)
      o.progress = [&options, first = o.first_replication, n](const BatchProgress& p) {
        options.progress({first + p.done, n, n, false});
      };
    checkpoint.save_block(b, run_batch(model, o));
  }
  if (options.interrupt != nullptr && options.interrupt->load())
    throw Interrupted("interrupted after the last block");
  BatchResult whole = checkpoint.load_block(0);
  double wall = whole.wall_seconds;
  whole.outcomes.reserve(n * whole.outcome_count);
  whole.inputs.reserve(n * whole.input_count);
  for (std::size_t t = 0; t < whole.tables.size(); ++t) whole.tables[t].reserve(n * whole.table_cells[t]);
  const std::size_t series_values = whole.series_count * whole.series_days;
  if (series_values > 0)  // replications [0, cap) keep series, as run_batch counts them
    whole.series.reserve(std::min<std::uint64_t>(n, options.series_memory_bytes /
                                                        (series_values * sizeof(double))) *
                         series_values);
  for (std::uint64_t b = 1; b < blocks; ++b) {
    const BatchResult block = checkpoint.load_block(b);
    wall += block.wall_seconds;
    append_batch_result(whole, block);
  }
  if (whole.seed != options.seed || whole.replications != n)
    throw CheckpointError("the checkpoint in " + quoted(checkpoint.dir()) + " holds another batch");
  whole.wall_seconds = wall;
  return whole;
}

}  // namespace padsim
