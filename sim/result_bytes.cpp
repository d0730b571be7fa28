// A BatchResult as bytes: the header, then each vector as its length and its raw doubles (host
// byte order, recorded by a marker), streamed so that a result is never held twice.
#include "result_bytes.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "padsim/checkpoint.hpp"
#include "large_vector.hpp"

namespace padsim::detail {

namespace {

constexpr char kResultMagic[8] = {'P', 'S', 'R', 'E', 'S', 'U', 'L', 'T'};
constexpr std::uint64_t kByteOrder = 0x0102030405060708;
constexpr std::size_t kHeaderWords = 13;  // byte order ... table count, as write_result() puts them

void put(ByteSink& out, std::uint64_t v) { out.write(&v, sizeof v); }

void put_values(ByteSink& out, const std::vector<double>& values) {
  put(out, values.size());
  out.write(values.data(), values.size() * sizeof(double));
}

// Appends the next vector of `in` to `v`; it must hold `expected` values.
void get_values(ByteSource& in, std::vector<double>& v, std::uint64_t expected) {
  const std::uint64_t n = in.next();
  if (n != expected) throw Error("serialized batch result has a vector of the wrong size");
  if (n > in.remaining() / sizeof(double)) throw Error("serialized batch result ends too early");
  const std::size_t old = v.size();
  v.resize(old + n);
  in.read(v.data() + old, n * sizeof(double));
}

}  // namespace

void Checksum::add(const char* bytes, std::size_t n) {
  constexpr std::uint64_t kPrime = 0x100000001b3;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, bytes + i, sizeof w);
    h_ = (h_ ^ w) * kPrime;
    h_ ^= h_ >> 29;
  }
  for (; i < n; ++i) h_ = (h_ ^ static_cast<unsigned char>(bytes[i])) * kPrime;
}

std::string Checksum::hex() const {
  static const char* const kDigits = "0123456789abcdef";
  std::string hex(kHexDigits, '0');
  for (std::size_t d = 0; d < kHexDigits; ++d) hex[kHexDigits - 1 - d] = kDigits[(h_ >> (4 * d)) & 15];
  return hex;
}

void ByteSink::write(const void* bytes, std::size_t n) {
  const auto* p = static_cast<const char*>(bytes);
  checksum_.add(p, n);
  if (string_ != nullptr) string_->append(p, n);
  else stream_->write(p, static_cast<std::streamsize>(n));
}

void ByteSource::read(void* into, std::size_t n) {
  if (n > remaining_) throw Error("serialized batch result ends too early");
  auto* p = static_cast<char*>(into);
  if (stream_ == nullptr) {
    std::memcpy(p, bytes_.data() + (bytes_.size() - remaining_), n);
  } else if (!stream_->read(p, static_cast<std::streamsize>(n))) {
    throw Error("serialized batch result ends too early");
  }
  remaining_ -= n;
  checksum_.add(p, n);
}

std::uint64_t ByteSource::next() {
  std::uint64_t v = 0;
  read(&v, sizeof v);
  return v;
}

std::uint64_t serialized_size(const BatchResult& r) {
  std::uint64_t values = r.outcomes.size() + r.inputs.size() + r.series.size();
  for (const auto& table : r.tables) values += table.size();
  const std::uint64_t words = kHeaderWords + 2 * r.table_cells.size() + 3;  // + cells, lengths
  return sizeof kResultMagic + (words + values) * sizeof(std::uint64_t);
}

void write_result(ByteSink& out, const BatchResult& r) {
  if (r.streamed || r.auto_runs)
    throw Error("serialize_batch_result: only exact batches of a fixed count are serialized");
  if (r.tables.size() != r.table_cells.size()) throw Error("serialize_batch_result: tables do not match");
  out.write(kResultMagic, sizeof kResultMagic);
  for (const std::uint64_t v :
       {kByteOrder, r.seed, r.first_replication, r.replications, std::uint64_t{r.threads},
        std::uint64_t{r.processes}, std::bit_cast<std::uint64_t>(r.wall_seconds),
        std::uint64_t{r.outcome_count}, std::uint64_t{r.input_count}, std::uint64_t{r.series_count},
        std::uint64_t{r.series_days}, r.series_replications, std::uint64_t{r.table_cells.size()}})
    put(out, v);
  for (const std::size_t cells : r.table_cells) put(out, cells);
  put_values(out, r.outcomes);
  put_values(out, r.inputs);
  for (const auto& table : r.tables) put_values(out, table);
  put_values(out, r.series);
}

BatchResult read_result(ByteSource& in, BatchResult& into, bool first, std::uint64_t reserve,
                        std::uint64_t series_bytes) {
  char magic[sizeof kResultMagic];
  in.read(magic, sizeof magic);
  if (std::memcmp(magic, kResultMagic, sizeof magic) != 0) throw Error("not a serialized batch result");
  if (in.next() != kByteOrder) throw Error("serialized batch result of another byte order");
  BatchResult h;
  h.seed = in.next();
  h.first_replication = in.next();
  h.replications = in.next();
  h.threads = static_cast<unsigned>(in.next());
  h.processes = static_cast<unsigned>(in.next());
  h.wall_seconds = std::bit_cast<double>(in.next());
  h.outcome_count = in.next();
  h.input_count = in.next();
  h.series_count = in.next();
  h.series_days = in.next();
  h.series_replications = in.next();
  const std::uint64_t tables = in.next();
  if (tables > in.remaining() / sizeof(std::uint64_t)) throw Error("serialized batch result ends too early");
  for (std::uint64_t t = 0; t < tables; ++t) h.table_cells.push_back(in.next());
  if (h.series_replications > h.replications) throw Error("serialized batch result keeps too many series");

  if (first) {
    into = h;
    into.tables.assign(tables, {});
    into.replications = into.series_replications = 0;
    reserve = std::max(reserve, h.replications);
    reserve_large(into.outcomes, reserve * h.outcome_count);
    reserve_large(into.inputs, reserve * h.input_count);
    for (std::uint64_t t = 0; t < tables; ++t) reserve_large(into.tables[t], reserve * h.table_cells[t]);
    const std::uint64_t per = h.series_days * h.series_count;  // values per replication
    const std::uint64_t series = per == 0 ? 0 : std::min(reserve, series_bytes / (per * sizeof(double)));
    reserve_large(into.series, std::max(series, h.series_replications) * per);
  } else {
    const auto fail = [](const std::string& why) { throw Error("serialized batch result: " + why); };
    if (h.seed != into.seed) fail("another seed");
    if (h.first_replication != into.first_replication + into.replications)
      fail("the range starts at replication " + std::to_string(h.first_replication) + ", not " +
           std::to_string(into.first_replication + into.replications));
    if (h.outcome_count != into.outcome_count || h.input_count != into.input_count ||
        h.table_cells != into.table_cells || h.series_count != into.series_count ||
        h.series_days != into.series_days)
      fail("another shape");
    if (h.series_replications != 0 && into.series_replications < into.replications)
      fail("series after a gap");
    into.threads = std::max(into.threads, h.threads);
  }
  get_values(in, into.outcomes, h.replications * h.outcome_count);
  get_values(in, into.inputs, h.replications * h.input_count);
  for (std::uint64_t t = 0; t < tables; ++t) get_values(in, into.tables[t], h.replications * h.table_cells[t]);
  get_values(in, into.series, h.series_replications * h.series_days * h.series_count);
  into.replications += h.replications;
  into.series_replications += h.series_replications;
  return h;
}

}  // namespace padsim::detail
