#pragma once
/// Latin hypercube sampling over blocks of replications.
///
/// Replications are cut into consecutive blocks of `block_size` (replications 0 .. B-1, B .. 2B-1,
/// ...). Within a block, each input (named by a stream key, as padsim::stream_key names streams)
/// takes each of the B strata [s/B, (s+1)/B) of its uniform exactly once: replication j of the block
/// falls in stratum pi(j), where pi is a permutation of 0 .. B-1 drawn from (seed, block, key), and
/// its own stream places it inside the stratum. Different keys draw independent permutations, so
/// every pair of inputs is stratified independently of each other.
///
/// A replication's uniform is a pure function of (seed, replication, key, jitter): no state is
/// shared between replications, so a batch gives the same draws on any number of threads or
/// processes, and one replication is replayed alone. Each uniform is exactly U(0, 1) on its own
/// (its stratum is uniform over the block), so an incomplete last block is still unbiased.
///
///     const padsim::LatinHypercube lhs(1000);
///     const double u = lhs.uniform(seed, replication, task_key, rng.uniform01());
///     const double duration = distribution.quantile(u);
#include <cstdint>

namespace padsim {

class LatinHypercube {
 public:
  /// The default block: large enough to stratify finely, small enough that a batch of 10^5 has a
  /// hundred independent blocks.
  static constexpr std::uint64_t kDefaultBlock = 1000;

  /// `block_size` >= 1 (1 is plain Monte Carlo: one stratum). Throws std::invalid_argument on 0.
  explicit LatinHypercube(std::uint64_t block_size = kDefaultBlock);

  std::uint64_t block_size() const noexcept { return block_; }

  /// The stratum, in 0 .. block_size() - 1, of replication `replication` for the input `key`.
  std::uint64_t stratum(std::uint64_t seed, std::uint64_t replication, std::uint64_t key) const noexcept;

  /// The input's uniform in replication `replication`: (stratum + jitter) / block_size(), with
  /// `jitter` in (0, 1) from the input's own stream. The result is in the open interval (0, 1).
  double uniform(std::uint64_t seed, std::uint64_t replication, std::uint64_t key, double jitter) const noexcept;

 private:
  std::uint64_t block_;
  std::uint64_t mask_;  // the smallest 2^k - 1 >= block_ - 1: the permutation's domain, walked to < block_
  int half_;            // k / 2 (at least 1): the xorshift of each round
};

}  // namespace padsim
