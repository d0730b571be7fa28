#pragma once
// One column of a row-major table, read in order.

#include <cstddef>

namespace padsim::detail {

// Rows ahead whose value is fetched while the current one is read. A column's values lie a row
// apart (a kilobyte or more in a batch's results), too far apart for the hardware to fetch them
// unasked: asked for, folding the columns of `padsim run --runs 100000 --bounded-memory` took
// about half the CPU (~0.45 -> ~0.25 s). Reading several columns row by row instead (sharing each
// row's cache lines) measured no faster.
inline constexpr std::size_t kRowsAhead = 16;

/// Calls `f(values[k * stride])` for k = 0 .. count - 1, in order.
template <class F>
void for_each_strided(const double* values, std::size_t count, std::size_t stride, F&& f) {
  for (std::size_t k = 0; k < count; ++k) {
#if defined(__GNUC__)
    if (k + kRowsAhead < count) __builtin_prefetch(values + (k + kRowsAhead) * stride);
#endif
    f(values[k * stride]);
  }
}

}  // namespace padsim::detail
