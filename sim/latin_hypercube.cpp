// Latin hypercube strata: a keyed permutation of each block, evaluated at one point.
//
// The permutation of 0 .. B-1 is never built: a keyed bijection of the k-bit words (the smallest
// 2^k >= B) is applied to the replication's position, and again while the result is >= B ("cycle
// walking": the orbit of a position < B under a bijection returns below B, so this ends, after fewer
// than two steps on average since 2^k < 2B). Each round of the bijection adds a key, multiplies by
// an odd key (carries spread low bits upwards) and xors the word with its upper half shifted down
// (spreads high bits downwards); every step is invertible modulo 2^k. Four rounds with independent
// keys mix every bit into every other, so the permutations of different keys or blocks behave as
// independent random ones for stratification (tests/test_latin_hypercube.cpp checks both).
#include "padsim/latin_hypercube.hpp"

#include <bit>
#include <cmath>
#include <stdexcept>

namespace padsim {

namespace {

std::uint64_t mix(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr int kRounds = 4;

}  // namespace

LatinHypercube::LatinHypercube(std::uint64_t block_size) : block_(block_size) {
  if (block_size == 0) throw std::invalid_argument("a Latin hypercube block needs at least one replication");
  const int bits = block_size == 1 ? 0 : static_cast<int>(std::bit_width(block_size - 1));
  mask_ = bits == 0 ? 0 : (~std::uint64_t{0} >> (64 - bits));
  half_ = bits / 2 > 0 ? bits / 2 : 1;
}

std::uint64_t LatinHypercube::stratum(std::uint64_t seed, std::uint64_t replication, std::uint64_t key) const noexcept {
  if (block_ == 1) return 0;
  const std::uint64_t block = replication / block_;
  std::uint64_t state = mix(mix(seed ^ 0x4c48535065726dULL) ^ key) ^ (block * 0x9e3779b97f4a7c15ULL);
  std::uint64_t add[kRounds], mul[kRounds];
  for (int r = 0; r < kRounds; ++r) {
    state = mix(state + 0x9e3779b97f4a7c15ULL);
    add[r] = state;
    state = mix(state + 0x9e3779b97f4a7c15ULL);
    mul[r] = state | 1;  // odd: invertible modulo 2^k
  }
  std::uint64_t x = replication % block_;
  do {
    for (int r = 0; r < kRounds; ++r) {
      x = (x + add[r]) & mask_;
      x = (x * mul[r]) & mask_;
      x ^= x >> half_;
    }
  } while (x >= block_);
  return x;
}

double LatinHypercube::uniform(std::uint64_t seed, std::uint64_t replication, std::uint64_t key,
                               double jitter) const noexcept {
  const double s = static_cast<double>(stratum(seed, replication, key));
  const double b = static_cast<double>(block_);
  // s + jitter rounds up to s + 1 when jitter is within an ulp of 1: keep the draw inside its
  // stratum (and below 1), which stays exact for every jitter that is not.
  const double upper = (s + 1.0) / b;
  const double u = (s + jitter) / b;
  return u < upper ? u : std::nextafter(upper, 0.0);
}

}  // namespace padsim
