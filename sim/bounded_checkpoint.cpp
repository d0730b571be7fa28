// Checkpointed bounded-memory batches (padsim/checkpoint.hpp): each block's streamed statistics,
// retained rows and CSV rows recorded durably, then joined into exactly what one
// run_bounded_batch() gives, with no more memory than it holds.
#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <optional>
#include <utility>

#include "padsim/checkpoint.hpp"
#include "padsim/csv.hpp"
#include "output_writers.hpp"
#include "block_file.hpp"
#include "result_bytes.hpp"

namespace padsim {

namespace fs = std::filesystem;

namespace {

constexpr char kBoundedMagic[8] = {'P', 'S', 'B', 'O', 'U', 'N', 'D', '1'};
constexpr std::size_t kHexChecksum = detail::Checksum::kHexDigits;
constexpr std::size_t kRowFiles = 2;
const char* const kRowFileNames[kRowFiles] = {"runs.csv", "inputs.csv"};

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

void put(detail::ByteSink& out, std::uint64_t v) { out.write(&v, sizeof v); }

/// A file's size and checksum (a block without rows records no bytes and a blank checksum).
struct FileDigest {
  std::uint64_t bytes = 0;
  std::string checksum = std::string(kHexChecksum, ' ');
};

/// Reads `path` a buffer at a time (never whole), copying it to `out` when not null; nullopt when
/// it cannot be read.
std::optional<FileDigest> digest_file(const fs::path& path, std::ostream* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<char> buffer(std::size_t{1} << 20);  // a multiple of 8 bytes, as Checksum needs
  detail::Checksum checksum;
  FileDigest digest;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    checksum.add(buffer.data(), n);  // only the last read is short
    if (out != nullptr) out->write(buffer.data(), static_cast<std::streamsize>(n));
    digest.bytes += n;
  }
  if (!in.eof()) return std::nullopt;
  digest.checksum = checksum.hex();
  return digest;
}

/// What a bounded block file records besides its statistics and retained rows.
struct BoundedBlockHeader {
  std::uint64_t first = 0;
  std::uint64_t replications = 0;
  unsigned threads = 0;
  double wall_seconds = 0.0;
  FileDigest rows[kRowFiles];
};

/// Records bounded block `index` (`part`, what run_bounded_batch() returned for its range, whose
/// row files are already written unless the batch has no `rows`): the block file, whose presence
/// marks the block complete, written beside its final name, fsync'ed and renamed.
void save_bounded_block(const BatchCheckpoint& cp, std::uint64_t index, BatchResult& part, bool rows) {
  FileDigest rows_written[kRowFiles];  // a blank record each without rows
  if (rows)
    for (std::size_t f = 0; f < kRowFiles; ++f) {
      const fs::path path = cp.rows_path(index, kRowFileNames[f]);
      const std::optional<FileDigest> digest = digest_file(path, nullptr);
      if (!digest) throw OutputError("cannot read back " + quoted(path));
      rows_written[f] = *digest;
    }
  const std::vector<std::uint64_t> words = part.streamed->serialize();
  const std::uint64_t total = total_replications(part);
  // The retained rows as an exact result (write_result refuses one with statistics).
  std::shared_ptr<const StreamedStatistics> streamed = std::move(part.streamed);
  part.streamed = nullptr;
  detail::write_block_file(cp.block_path(index), kBoundedMagic, cp.fingerprint(), [&](detail::ByteSink& sink) {
    put(sink, part.first_replication);
    put(sink, total);
    put(sink, part.threads);
    put(sink, std::bit_cast<std::uint64_t>(part.wall_seconds));
    for (const FileDigest& d : rows_written) {
      put(sink, d.bytes);
      sink.write(d.checksum.data(), d.checksum.size());
    }
    put(sink, words.size());
    sink.write(words.data(), words.size() * sizeof(std::uint64_t));
    detail::write_result(sink, part);
  });
  part.streamed = std::move(streamed);
}

/// Reads bounded block `index`: its retained rows are appended to `whole` (which block 0 starts,
/// with room for `reserve` replications and `series_bytes` of series), its statistics merged into
/// `stats` (which block 0 starts). Throws CheckpointError when the file is damaged.
BoundedBlockHeader read_bounded_block(const BatchCheckpoint& cp, std::uint64_t index, BatchResult& whole,
                                      std::shared_ptr<StreamedStatistics>& stats, std::uint64_t reserve,
                                      std::uint64_t series_bytes) {
  const fs::path path = cp.block_path(index);
  BoundedBlockHeader h;
  StreamedStatistics block;
  detail::read_block_file(path, kBoundedMagic, "bounded block", cp.fingerprint(), [&](detail::ByteSource& source) {
    h.first = source.next();
    h.replications = source.next();
    h.threads = static_cast<unsigned>(source.next());
    h.wall_seconds = std::bit_cast<double>(source.next());
    for (FileDigest& d : h.rows) {
      d.bytes = source.next();
      d.checksum.assign(kHexChecksum, ' ');
      source.read(d.checksum.data(), kHexChecksum);
    }
    const std::uint64_t count = source.next();
    if (count > source.remaining() / sizeof(std::uint64_t)) detail::block_damaged(path, "it ends too early");
    std::vector<std::uint64_t> words(count);
    source.read(words.data(), count * sizeof(std::uint64_t));
    block = StreamedStatistics::deserialize(words);
    // Block 0 starts the retained rows (even none); a later block with rows continues them.
    BatchResult scratch;
    const bool into_whole = index == 0 || h.first < reserve;
    detail::read_result(source, into_whole ? whole : scratch, index == 0 || !into_whole, reserve,
                        series_bytes);
  });
  if (h.first != index * cp.block_replications() || block.replications != h.replications)
    detail::block_damaged(path, "it holds another range of replications");
  try {
    if (stats) stats->merge(block);
    else stats = std::make_shared<StreamedStatistics>(std::move(block));
  } catch (const Error& e) {
    detail::block_damaged(path, e.what());
  }
  return h;
}

/// Appends row file `file` of block `index` to `out` a buffer at a time, then checks its size and
/// checksum against the block file's record (a damaged file throws before the result set is
/// published).
void copy_rows(const BatchCheckpoint& cp, std::uint64_t index, std::size_t file,
               const BoundedBlockHeader& h, std::ostream& out) {
  const fs::path path = cp.rows_path(index, kRowFileNames[file]);
  const auto damaged = [&](const std::string& why) {
    throw CheckpointError(quoted(path) + " is damaged (" + why + "); remove " +
                          quoted(cp.block_path(index)) + " and resume to run its block again");
  };
  const std::optional<FileDigest> digest = digest_file(path, &out);
  if (!digest) damaged("it cannot be read");
  if (digest->bytes != h.rows[file].bytes)
    damaged("it holds " + std::to_string(digest->bytes) + " bytes, not the " +
            std::to_string(h.rows[file].bytes) + " recorded");
  if (digest->checksum != h.rows[file].checksum) damaged("checksum mismatch");
}

}  // namespace

fs::path BatchCheckpoint::rows_path(std::uint64_t index, const std::string& file) const {
  const std::string block = block_path(index).stem().string();  // "block-NNNNNNNNNNNN"
  return dir_ / ("rows-" + block.substr(block.find('-') + 1) + "." + file);
}

BatchResult run_checkpointed_bounded_batch(const Model& model, const BatchOptions& options,
                                           const BatchCheckpoint& checkpoint, const RowStreams& rows) {
  if (!options.bounded || options.auto_runs || options.first_replication != 0)
    throw Error("run_checkpointed_bounded_batch: only a whole bounded batch of a fixed count is checkpointed");
  const std::uint64_t n = options.replications;
  const std::uint64_t size = checkpoint.block_replications();
  if (size != options.block_replications)
    throw CheckpointError("the checkpoint in " + quoted(checkpoint.dir()) + " is in blocks of " +
                          std::to_string(size) + " replications, not the bounded batch's " +
                          std::to_string(options.block_replications));
  const std::uint64_t blocks = n / size + (n % size != 0 ? 1 : 0);
  for (std::uint64_t b = checkpoint.blocks_done(); b < blocks; ++b) {
    const BatchOptions o = part_options(options, b * size, std::min(size, n - b * size));
    // The rows go straight to their files (never a block's text held twice); a kill or an
    // interruption before the block file is written leaves them to be written again.
    std::optional<AtomicFile> runs, inputs;
    RowStreams block_rows;  // none without rows
    if (options.rows) {
      runs.emplace(checkpoint.rows_path(b, kRowFileNames[0]));
      inputs.emplace(checkpoint.rows_path(b, kRowFileNames[1]));
      block_rows = {&runs->stream(), &inputs->stream(), false};
    }
    BatchResult part = run_bounded_batch(model, o, block_rows);
    if (options.rows) {
      runs->commit(true);
      inputs->commit(true);
    }
    save_bounded_block(checkpoint, b, part, options.rows);
  }
  if (options.interrupt != nullptr && options.interrupt->load())
    throw Interrupted("interrupted after the last block");

  // The headers as run_bounded_batch() writes them, then each block's rows and statistics.
  const detail::DateColumns dates(model, options.dates);
  if (rows.headers && rows.runs) {
    CsvWriter csv(*rows.runs);
    detail::write_runs_header(csv, model, &dates);
  }
  if (rows.headers && rows.inputs) {
    CsvWriter csv(*rows.inputs);
    detail::write_inputs_header(csv, model);
  }
  BatchResult whole;
  std::shared_ptr<StreamedStatistics> stats;
  double wall = 0.0;
  unsigned threads = 0;
  const std::uint64_t reserve = std::min(n, options.retained_replications);
  for (std::uint64_t b = 0; b < blocks; ++b) {
    const BoundedBlockHeader h =
        read_bounded_block(checkpoint, b, whole, stats, reserve, options.series_memory_bytes);
    wall += h.wall_seconds;
    threads = std::max(threads, h.threads);
    std::ostream* const outs[kRowFiles] = {rows.runs, rows.inputs};
    for (std::size_t f = 0; f < kRowFiles; ++f)
      if (outs[f] != nullptr) copy_rows(checkpoint, b, f, h, *outs[f]);
  }
  if (whole.seed != options.seed || !stats || stats->replications != n)
    throw CheckpointError("the checkpoint in " + quoted(checkpoint.dir()) + " holds another batch");
  whole.streamed = stats;
  whole.threads = threads;
  whole.wall_seconds = wall;
  return whole;
}

}  // namespace padsim
