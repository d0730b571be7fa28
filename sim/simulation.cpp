#include "padsim/simulation.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "padsim/format.hpp"

namespace padsim {

namespace {
// A 4-ary heap: half the depth of a binary heap, and the four children of a node share a cache
// line or two, which is what matters once the heap outgrows the cache.
constexpr std::size_t kArity = 4;
// Heaps from this many keys (64 KB) on prefetch the next level; smaller ones stay in cache.
constexpr std::size_t kPrefetchFrom = 4096;
}  // namespace

std::string Simulation::time_message(Time t, int priority) const {
  if (priority < kMinPriority || priority > kMaxPriority)
    return "event priority " + std::to_string(priority) + " outside [" + std::to_string(kMinPriority) + ", " +
           std::to_string(kMaxPriority) + "]";
  if (std::isnan(t)) return "event time is NaN";
  if (std::isinf(t)) return "event time " + format_number(t) + " is not finite";
  return "event time " + format_number(t) + " is in the past (now " + format_number(now_) + ")";
}

std::string Simulation::delay_message(Duration delay) {
  return std::isnan(delay) ? "NaN delay" : "negative delay " + format_number(delay);
}

std::uint32_t Simulation::new_slot() {
  if (slots_.size() >= detail::kMaxQueued)
    throw SimulationError("more than " + std::to_string(detail::kMaxQueued) + " events queued");
  slots_.emplace_back();
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

void Simulation::renumber() {
  // Keys keep their places: renumbering in sequence order changes no comparison between them.
  std::vector<std::pair<std::uint64_t, std::size_t>> order;
  order.reserve(heap_.size());
  for (std::size_t i = 0; i < heap_.size(); ++i) order.emplace_back(heap_[i].sequence(), i);
  std::sort(order.begin(), order.end());
  constexpr std::uint64_t kField = detail::kSequenceMask << detail::kSlotBits;
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    std::uint64_t& tie = heap_[order[rank].second].tie;
    tie = (tie & ~kField) | (static_cast<std::uint64_t>(rank) << detail::kSlotBits);
  }
  sequence_ = order.size();
}

void Simulation::push(const detail::EventKey& key) {
  if (root_taken_) {  // the running event's key is still at the root: replace it
    root_taken_ = false;
    sift_down(0, key);
    return;
  }
  heap_.push_back(key);
  std::size_t i = heap_.size() - 1;
  detail::EventKey* h = heap_.data();
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!detail::earlier(key, h[parent])) break;
    h[i] = h[parent];
    i = parent;
  }
  h[i] = key;
}

// Moves the hole at `i` down to where `key` belongs. Keys are unique (the sequence), so the order
// is total and any correct heap pops the same sequence of events.
void Simulation::sift_down(std::size_t i, detail::EventKey key) noexcept {
  detail::EventKey* h = heap_.data();
  const std::size_t n = heap_.size();
  for (;;) {
    const std::size_t first = i * kArity + 1;
    std::size_t best;
    if (first + kArity <= n) {
      // Start loading the grandchildren (16 contiguous keys) while the children are compared:
      // without a branch, the next level's address waits for this level's comparisons, so a
      // large heap would otherwise pay one memory latency per level.
      if (const std::size_t g = first * kArity + 1; n >= kPrefetchFrom && g < n) {
        const char* p = reinterpret_cast<const char*>(h + g);
        for (std::size_t k = 0; k < 5; ++k) __builtin_prefetch(p + 64 * k);
      }
      // A full node: a tournament of four without a branch to mispredict.
      const std::size_t a = first + static_cast<std::size_t>(detail::earlier(h[first + 1], h[first]));
      const std::size_t b = first + 2 + static_cast<std::size_t>(detail::earlier(h[first + 3], h[first + 2]));
      best = detail::earlier(h[b], h[a]) ? b : a;
    } else if (first < n) {
      best = first;
      for (std::size_t c = first + 1; c < n; ++c)
        if (detail::earlier(h[c], h[best])) best = c;
    } else {
      break;
    }
    // The root's earliest child is almost always the next event: start loading its payload
    // now, while the rest of the sift runs.
    if (i == 0) __builtin_prefetch(&slots_[h[best].slot()]);
    if (!detail::earlier(h[best], key)) break;
    h[i] = h[best];
    i = best;
  }
  h[i] = key;
}

void Simulation::pop_top() noexcept {
  const detail::EventKey last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0, last);
}

bool Simulation::cancel(EventId id) noexcept {
  if (!is_pending(id)) return false;
  release_slot(id.slot);
  --live_;
  return true;
}

bool Simulation::drop_cancelled_top() noexcept {
  settle();
  while (!heap_.empty()) {
    const std::uint32_t slot = heap_.front().slot();
    if (slots_[slot].invoke != nullptr) return true;
    pop_top();
    free_slot(slot);  // a cancelled event's key: its slot can be reused now
  }
  return false;
}

Time Simulation::peek() {
  return drop_cancelled_top() ? std::bit_cast<Time>(heap_.front().time) : std::numeric_limits<Time>::infinity();
}

bool Simulation::step() {
  if (!drop_cancelled_top()) return false;
  const detail::EventKey key = heap_.front();
  now_ = std::bit_cast<Time>(key.time);
  // Copy the payload out before running it: the action may schedule events and grow the pool.
  detail::EventSlot& s = slots_[key.slot()];
  auto* invoke = s.invoke;
  alignas(8) unsigned char storage[detail::kEventPayloadBytes];
  std::memcpy(storage, s.storage, sizeof storage);
  release_slot(key.slot());
  free_slot(key.slot());
  root_taken_ = true;
  --live_;
  ++processed_;
  invoke(storage);
  settle();
  return true;
}

void Simulation::run() {
  stopped_ = false;
  while (!stopped_ && step()) {
  }
}

void Simulation::run_until(Time t) {
  if (!(t >= now_) || std::isinf(t)) throw SimulationError(time_message(t, 0));
  stopped_ = false;
  while (!stopped_ && peek() <= t) step();
  if (!stopped_) now_ = t;
}

}  // namespace padsim
