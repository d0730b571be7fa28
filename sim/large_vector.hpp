#pragma once
// Room for a large vector of doubles (a batch's results), asked for in huge pages.

#include <cstdint>
#include <vector>

#include <sys/mman.h>

namespace padsim::detail {

// Gives `v` room for `n` values at once and asks for transparent huge pages on that room where
// the system grants them on request (Linux's "madvise" mode). A batch of 10^5 replications of the
// default scenario holds ~420 MB; touching it first in 4 KiB pages cost as much as running the
// replications (a page fault each, slow under virtualisation), in 2 MiB pages a fraction of that.
// Advice only: where it is refused or unknown, nothing changes but the speed.
inline void reserve_large(std::vector<double>& v, std::size_t n) {
  v.reserve(n);
#ifdef MADV_HUGEPAGE
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto begin = reinterpret_cast<std::uintptr_t>(v.data());
  const std::uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t last = (begin + n * sizeof(double)) & ~(kHuge - 1);
  if (n * sizeof(double) >= 4 * kHuge && last > first)
    ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#endif
}

}  // namespace padsim::detail
