// Sorting and ranking columns of doubles: a radix sort for the long columns of a batch, a
// comparison sort for short ones (declared in padsim/statistics.hpp).
#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "padsim/statistics.hpp"
#include "radix_sort.hpp"

namespace padsim {

namespace {

// Below this a comparison sort is as fast as the radix sort's fixed passes; beyond 2^32 its
// counts would overflow.
constexpr std::size_t kRadixFrom = 512;
bool radix_sorts(std::size_t n) { return n >= kRadixFrom && n <= UINT32_MAX; }

// Sort buffers kept per thread: allocating them per column would fault their pages in again for
// every column, which cost more than the sort. Kept only up to a size, so a huge batch's last
// sort does not hold its buffers for the life of the thread.
template <class T>
struct Scratch {
  std::vector<T> a, b;
  void trim() {
    constexpr std::size_t kKeepBytes = std::size_t{64} << 20;
    if ((a.capacity() + b.capacity()) * sizeof(T) > kKeepBytes) {
      a = {};
      b = {};
    }
  }
};

// A value's place in an average-rank sort; the key ties -0 with +0, as == does.
struct RankItem {
  std::uint64_t key;
  std::uint64_t index;
};

}  // namespace

void sort_values(std::span<double> values) {
  if (!radix_sorts(values.size())) {
    std::sort(values.begin(), values.end());
    return;
  }
  thread_local Scratch<std::uint64_t> scratch;
  scratch.a.resize(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) scratch.a[i] = detail::sort_key(values[i]);
  detail::radix_sort(scratch.a, scratch.b, [](std::uint64_t k) { return k; });
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = detail::from_sort_key(scratch.a[i]);
  scratch.trim();
}

std::vector<double> average_ranks(std::span<const double> values) {
  const std::size_t n = values.size();
  std::vector<double> ranks(n);
  // Ranks i+1 .. j share their mean: tied values share one rank, so their order among themselves
  // does not matter.
  auto assign = [&](const auto& order, auto same, auto index) {
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i + 1;
      while (j < n && same(order[j], order[i])) ++j;
      const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
      for (std::size_t k = i; k < j; ++k) ranks[index(order[k])] = rank;
      i = j;
    }
  };
  if (radix_sorts(n)) {
    thread_local Scratch<RankItem> scratch;
    scratch.a.resize(n);
    for (std::size_t i = 0; i < n; ++i)
      scratch.a[i] = {detail::sort_key(values[i] == 0.0 ? 0.0 : values[i]), i};
    detail::radix_sort(scratch.a, scratch.b, [](const RankItem& r) { return r.key; });
    assign(scratch.a, [](const RankItem& x, const RankItem& y) { return x.key == y.key; },
           [](const RankItem& r) { return r.index; });
    scratch.trim();
    return ranks;
  }
  // (value, index) pairs sorted in place: an unstable sort of contiguous pairs gives the same ranks
  // as a stable sort of indices, several times faster.
  std::vector<std::pair<double, std::size_t>> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = {values[i], i};
  std::sort(order.begin(), order.end());
  assign(order, [](const auto& x, const auto& y) { return x.first == y.first; },
         [](const auto& p) { return p.second; });
  return ranks;
}

}  // namespace padsim
