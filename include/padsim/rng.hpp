#pragma once
/// Reproducible random streams: every draw of a replication comes from a generator derived from
/// (seed, replication index, stream), so replication k gives the same draws alone or inside a batch,
/// on any thread.

#include <cstdint>
#include <limits>

namespace padsim {

/// Named streams. Each model part draws from its own stream, so adding draws to one part does not
/// shift the draws of another.
enum class Stream : std::uint64_t {
  kRepair = 1,       ///< repair durations, lags, branches, risks and copula normals; each repair
                     ///< instance has its own stream (models::repair_stream)
  kStation = 3,      ///< starting stocks, consumption rates
  kMissions = 4,     ///< slips, cargo, launch failures
  kPads = 5,         ///< turnarounds, damage, campaigns, gates, stand-downs
  kCrew = 6,         ///< handovers
  kTest = 99,        ///< tests and benchmarks
};

/// xoshiro256++ (Blackman & Vigna 2019), seeded through SplitMix64 from (seed, replication, stream).
/// A UniformRandomBitGenerator: use it with Boost.Random distributions. Creating one costs a few
/// dozen instructions, far below a replication.
class Rng {
 public:
  using result_type = std::uint64_t;

  /// A generator for one (seed, replication, stream) triple.
  Rng(std::uint64_t seed, std::uint64_t replication, std::uint64_t stream) noexcept {
    std::uint64_t x = mix(mix(mix(seed) ^ (replication + 0x632be59bd9b4e019ULL)) ^
                          (stream * 0x9e3779b97f4a7c15ULL + 0x8cb92ba72f3d8dd7ULL));
    for (auto& word : s_) word = splitmix64(x);
  }
  Rng(std::uint64_t seed, std::uint64_t replication, Stream stream) noexcept
      : Rng(seed, replication, static_cast<std::uint64_t>(stream)) {}

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
