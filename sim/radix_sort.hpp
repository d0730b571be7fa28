#pragma once
// Sorting doubles by their bits: an LSD radix sort on an order-preserving 64-bit key. With 10^5
// replications a batch's outputs sort ~130 columns (summary's percentiles, sensitivity's ranks);
// a comparison sort of each cost as much as a quarter of the batch, this costs a few passes.

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace padsim::detail {

/// An unsigned key that orders as the double does (NaN excluded): negative numbers have their
/// bits flipped, others the sign bit set. -0 sorts just before +0 (they compare equal, so either
/// order is a sorted order).
inline std::uint64_t sort_key(double x) noexcept {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
  return (bits & kSign) != 0 ? ~bits : bits | kSign;
}

/// The double whose sort_key() is `key`.
inline double from_sort_key(std::uint64_t key) noexcept {
  constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
  return std::bit_cast<double>((key & kSign) != 0 ? key & ~kSign : ~key);
}

/// Sorts `items` by key(item) (a std::uint64_t), stably, using `scratch` (resized as needed) as the
/// second buffer: six passes of 11 bits, each skipped when every key has the same digit there
/// (an event's 0/1 column needs two).
template <class Item, class Key>
void radix_sort(std::vector<Item>& items, std::vector<Item>& scratch, Key key) {
  constexpr unsigned kBits = 11;
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  constexpr unsigned kPasses = (64 + kBits - 1) / kBits;
  const std::size_t n = items.size();
  std::vector<std::array<std::uint32_t, kBuckets>> counts(kPasses);
  for (auto& c : counts) c.fill(0);
  for (const Item& item : items) {
    const std::uint64_t k = key(item);
    for (unsigned p = 0; p < kPasses; ++p) ++counts[p][(k >> (p * kBits)) & (kBuckets - 1)];
  }
  scratch.resize(n);
  for (unsigned p = 0; p < kPasses; ++p) {
    auto& c = counts[p];
    if (std::find(c.begin(), c.end(), static_cast<std::uint32_t>(n)) != c.end()) continue;
    std::uint32_t offset = 0;
    for (auto& slot : c) offset += std::exchange(slot, offset);
    for (const Item& item : items) scratch[c[(key(item) >> (p * kBits)) & (kBuckets - 1)]++] = item;
    items.swap(scratch);
  }
}

}  // namespace padsim::detail
