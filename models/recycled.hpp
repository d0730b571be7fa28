#pragma once
// Private to padsim::models: per-thread spares of the station components' buffers. The station
// model builds its components afresh for every replication; a component takes its vectors from the
// thread's spares when it is built (spare_vector) and gives them back, capacity and all, when it
// goes (keep_spare), so a replication does not allocate again what its predecessor on the same
// thread already had. What it takes is empty, as a new vector would be.

#include <cstddef>
#include <utility>
#include <vector>

namespace padsim::models::detail {

namespace recycled_detail {

inline constexpr std::size_t kMaxSpare = 8;  // per type: a few replications alive at once on a thread

// Trivially destructible, so still readable after the thread's spares are gone (a vector given
// back then is simply freed).
inline bool& spares_alive() noexcept {
  thread_local bool alive = true;
  return alive;
}

template <class V>
struct Spares {
  std::vector<V> spare;
  Spares() { spare.reserve(kMaxSpare); }
  ~Spares() { spares_alive() = false; }
  static Spares& get() {
    thread_local Spares spares;
    return spares;
  }
};

}  // namespace recycled_detail

/// A vector of this thread's spares as it was given back (contents included), or a new one.
template <class V>
V spare() {
  using recycled_detail::Spares;
  if (!recycled_detail::spares_alive() || Spares<V>::get().spare.empty()) return V{};
  auto& spare = Spares<V>::get().spare;
  V v = std::move(spare.back());
  spare.pop_back();
  return v;
}

/// An empty std::vector<T>, with the capacity a spare kept.
template <class T>
std::vector<T> spare_vector() {
  std::vector<T> v = spare<std::vector<T>>();
  v.clear();
  return v;
}

/// Moves `v` into this thread's spares (or leaves it be, when they are full or gone).
template <class V>
void keep_spare(V& v) noexcept {
  using recycled_detail::Spares;
  if (!recycled_detail::spares_alive()) return;
  auto& spare = Spares<V>::get().spare;
  if (spare.size() < recycled_detail::kMaxSpare) spare.push_back(std::move(v));  // reserved: no throw
}

}  // namespace padsim::models::detail
