#pragma once
/// Reproducible random streams: every draw of a replication comes from a generator derived from
/// (seed, replication index, stream), so replication k gives the same draws alone or inside a batch,
/// on any thread.

#include <cstdint>
#include <limits>
#include <string_view>

namespace padsim {

/// The key of a random stream: what an entity *is*, never where it sits in a file. A stream is named
/// by a domain (a kind of entity, "machine"), the entity's id inside it and an instance number
/// (the k-th visit of one entity), hashed to 64 bits. Editing a scenario (adding, removing or
/// reordering entities) therefore leaves every other entity's draws unchanged: the basis of common
/// random numbers between variants. Hash the key once at load time and keep the number.
///
///     const std::uint64_t key = stream_key("machine", "lathe-2");
///     Rng rng(seed, replication, key);
constexpr std::uint64_t stream_key(std::string_view domain, std::string_view id = {},
                                   std::uint64_t instance = 0) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a over "domain \x1f id", then mixed with instance
  auto eat = [&h](unsigned char c) {
    h ^= c;
    h *= 0x100000001b3ULL;
  };
  for (char c : domain) eat(static_cast<unsigned char>(c));
  eat(0x1f);
  for (char c : id) eat(static_cast<unsigned char>(c));
  std::uint64_t z = h ^ (instance * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// xoshiro256++ (Blackman & Vigna 2019), seeded through SplitMix64 from (seed, replication, stream).
/// A UniformRandomBitGenerator: use it with Boost.Random distributions. Creating one costs a few
/// dozen instructions, far below a replication.
class Rng {
 public:
  using result_type = std::uint64_t;

  /// A generator for one (seed, replication, stream) triple; `stream` is a stream_key().
  Rng(std::uint64_t seed, std::uint64_t replication, std::uint64_t stream) noexcept
      : Rng(FromReplication{}, replication_seed(seed, replication), stream) {}

  /// The same generator as Rng(seed, replication, stream), from replication_seed(seed, replication):
  /// a model that opens many streams per replication mixes (seed, replication) once.
  static Rng for_stream(std::uint64_t replication_seed, std::uint64_t stream) noexcept {
    return Rng(FromReplication{}, replication_seed, stream);
  }

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  result_type operator()() noexcept {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// A uniform double in the open interval (0, 1): never 0, never 1 (safe for quantile functions).
  double uniform01() noexcept {
    return (static_cast<double>((*this)() >> 11) + 0.5) * 0x1.0p-53;
  }

  /// The seed of replication k as reported in runs.csv: a 64-bit mix of (seed, k).
  static std::uint64_t replication_seed(std::uint64_t seed, std::uint64_t replication) noexcept {
    return mix(mix(seed) ^ (replication + 0x632be59bd9b4e019ULL));
  }

 private:
  struct FromReplication {};
  Rng(FromReplication, std::uint64_t replication_seed, std::uint64_t stream) noexcept {
    std::uint64_t x = mix(replication_seed ^ (stream * 0x9e3779b97f4a7c15ULL + 0x8cb92ba72f3d8dd7ULL));
    for (auto& word : s_) word = splitmix64(x);
  }
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t mix(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  static std::uint64_t splitmix64(std::uint64_t& x) noexcept {
    x += 0x9e3779b97f4a7c15ULL;
    return mix(x);
  }

  std::uint64_t s_[4];
};

}  // namespace padsim
