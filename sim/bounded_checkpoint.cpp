// Checkpointed bounded-memory batches (padsim/checkpoint.hpp): each block's streamed statistics,
// retained rows and CSV rows recorded durably, then joined into exactly what one
// run_bounded_batch() gives, with no more memory than it holds.
#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "padsim/checkpoint.hpp"
#include "padsim/csv.hpp"
#include "output_writers.hpp"
#include "result_bytes.hpp"

namespace padsim {

namespace fs = std::filesystem;

namespace {

constexpr char kBoundedMagic[8] = {'P', 'S', 'B', 'O', 'U', 'N', 'D', '1'};
constexpr std::size_t kHexDigest = 64;  // the fingerprint
constexpr std::size_t kHexChecksum = detail::Checksum::kHexDigits;
constexpr std::size_t kRowFiles = 2;
const char* const kRowFileNames[kRowFiles] = {"runs.csv", "inputs.csv"};

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

void put(detail::ByteSink& out, std::uint64_t v) { out.write(&v, sizeof v); }

/// What a bounded block file records besides its statistics and retained rows.
struct BoundedBlockHeader {
  std::uint64_t first = 0;
  std::uint64_t replications = 0;
  unsigned threads = 0;
  double wall_seconds = 0.0;
  std::uint64_t row_bytes[kRowFiles] = {0, 0};
  std::string row_checksums[kRowFiles];
};

/// Records bounded block `index` (`part`, what run_bounded_batch() returned for its range, and
/// its CSV rows): the row files first, then the block file, whose presence marks the block
/// complete, each written beside its final name, fsync'ed and renamed.
void save_bounded_block(const BatchCheckpoint& cp, std::uint64_t index, BatchResult& part,
                        const std::string (&rows)[kRowFiles]) {
  std::string checksums[kRowFiles];
  for (std::size_t f = 0; f < kRowFiles; ++f) {
    AtomicFile file(cp.rows_path(index, kRowFileNames[f]));
    file.stream().write(rows[f].data(), static_cast<std::streamsize>(rows[f].size()));
    file.commit(true);
    detail::Checksum c;
    c.add(rows[f].data(), rows[f].size());
    checksums[f] = c.hex();
  }
  AtomicFile file(cp.block_path(index));
  detail::ByteSink sink(file.stream());
  sink.write(kBoundedMagic, sizeof kBoundedMagic);
  sink.write(cp.fingerprint().data(), cp.fingerprint().size());
  put(sink, part.first_replication);
  put(sink, total_replications(part));
  put(sink, part.threads);
  put(sink, std::bit_cast<std::uint64_t>(part.wall_seconds));
  for (std::size_t f = 0; f < kRowFiles; ++f) {
    put(sink, rows[f].size());
    sink.write(checksums[f].data(), checksums[f].size());
  }
  const std::vector<std::uint64_t> words = part.streamed->serialize();
  put(sink, words.size());
  sink.write(words.data(), words.size() * sizeof(std::uint64_t));
  // The retained rows as an exact result (write_result refuses one with statistics).
  std::shared_ptr<const StreamedStatistics> streamed = std::move(part.streamed);
  part.streamed = nullptr;
  detail::write_result(sink, part);
  part.streamed = std::move(streamed);
  file.stream() << sink.checksum().hex();
  file.commit(true);
}

/// Reads bounded block `index`: its retained rows are appended to `whole` (which block 0 starts,
/// with room for `reserve` replications and `series_bytes` of series), its statistics merged into
/// `stats` (which block 0 starts). Throws CheckpointError when the file is damaged.
BoundedBlockHeader read_bounded_block(const BatchCheckpoint& cp, std::uint64_t index, BatchResult& whole,
                                      std::shared_ptr<StreamedStatistics>& stats, std::uint64_t reserve,
                                      std::uint64_t series_bytes) {
  const fs::path path = cp.block_path(index);
  const auto damaged = [&](const std::string& why) {
    throw CheckpointError(quoted(path) + " is damaged (" + why +
                          "); remove it and resume to run its block again");
  };
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const std::streamoff size = in ? static_cast<std::streamoff>(in.tellg()) : -1;
  if (size < 0) damaged("it cannot be read");
  in.seekg(0);
  const auto head = static_cast<std::streamoff>(sizeof kBoundedMagic + kHexDigest);
  if (size < head + static_cast<std::streamoff>(kHexChecksum)) damaged("not a bounded block file");
  detail::ByteSource source(in, static_cast<std::uint64_t>(size) - kHexChecksum);
  BoundedBlockHeader h;
  StreamedStatistics block;
  try {
    char magic[sizeof kBoundedMagic];
    source.read(magic, sizeof magic);
    if (std::memcmp(magic, kBoundedMagic, sizeof magic) != 0) damaged("not a bounded block file");
    std::string fingerprint(kHexDigest, ' ');
    source.read(fingerprint.data(), fingerprint.size());
    if (fingerprint != cp.fingerprint()) damaged("it belongs to another checkpoint");
    h.first = source.next();
    h.replications = source.next();
    h.threads = static_cast<unsigned>(source.next());
    h.wall_seconds = std::bit_cast<double>(source.next());
    for (std::size_t f = 0; f < kRowFiles; ++f) {
      h.row_bytes[f] = source.next();
      h.row_checksums[f].assign(kHexChecksum, ' ');
      source.read(h.row_checksums[f].data(), kHexChecksum);
    }
    const std::uint64_t count = source.next();
    if (count > source.remaining() / sizeof(std::uint64_t)) damaged("it ends too early");
    std::vector<std::uint64_t> words(count);
    source.read(words.data(), count * sizeof(std::uint64_t));
    block = StreamedStatistics::deserialize(words);
    // Block 0 starts the retained rows (even none); a later block with rows continues them.
    BatchResult scratch;
    const bool into_whole = index == 0 || h.first < reserve;
    detail::read_result(source, into_whole ? whole : scratch, index == 0 || !into_whole, reserve,
                        series_bytes);
  } catch (const CheckpointError&) {
    throw;
  } catch (const Error& e) {
    damaged(e.what());
  }
  std::string checksum(kHexChecksum, ' ');
  if (source.remaining() != 0 || !in.read(checksum.data(), static_cast<std::streamsize>(checksum.size())) ||
      checksum != source.checksum().hex())
    damaged("checksum mismatch");
  if (h.first != index * cp.block_replications() || block.replications != h.replications)
    damaged("it holds another range of replications");
  try {
    if (stats) stats->merge(block);
    else stats = std::make_shared<StreamedStatistics>(std::move(block));
  } catch (const Error& e) {
    damaged(e.what());
  }
  return h;
}

/// Appends row file `file` of block `index` to `out`, checking its size and checksum against
/// the block file's record; one buffer at a time, never the whole file.
void copy_rows(const BatchCheckpoint& cp, std::uint64_t index, std::size_t file,
               const BoundedBlockHeader& h, std::ostream& out) {
  const fs::path path = cp.rows_path(index, kRowFileNames[file]);
  const auto damaged = [&](const std::string& why) {
    throw CheckpointError(quoted(path) + " is damaged (" + why + "); remove " +
                          quoted(cp.block_path(index)) + " and resume to run its block again");
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) damaged("it cannot be read");
  std::vector<char> buffer(std::size_t{1} << 20);  // a multiple of 8 bytes, as Checksum needs
  detail::Checksum checksum;
  for (std::uint64_t left = h.row_bytes[file]; left > 0;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
    if (!in.read(buffer.data(), static_cast<std::streamsize>(n))) damaged("it is shorter than recorded");
    checksum.add(buffer.data(), n);
    out.write(buffer.data(), static_cast<std::streamsize>(n));
    left -= n;
  }
  if (in.peek() != std::ifstream::traits_type::eof()) damaged("it is longer than recorded");
  if (checksum.hex() != h.row_checksums[file]) damaged("checksum mismatch");
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
    BatchOptions o = options;
    o.first_replication = b * size;
    o.replications = std::min(size, n - o.first_replication);
    if (options.progress)
      o.progress = [&options, first = o.first_replication, n](const BatchProgress& p) {
        options.progress({first + p.done, n, n, false});
      };
    std::ostringstream runs, inputs;
    BatchResult part = run_bounded_batch(model, o, {&runs, &inputs, false});
    const std::string texts[kRowFiles] = {std::move(runs).str(), std::move(inputs).str()};
    save_bounded_block(checkpoint, b, part, texts);
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
