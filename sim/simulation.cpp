#include "padsim/simulation.hpp"

#include <cmath>
#include <string>

#include "padsim/format.hpp"

namespace padsim {

namespace {
// A 4-ary heap: half the depth of a binary heap, and the four children of a node share a cache
// line or two, which is what matters once the heap outgrows the cache.
constexpr std::size_t kArity = 4;
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

std::uint32_t Simulation::acquire_slot() {
  if (free_ != EventId::kNone) {
    const std::uint32_t slot = free_;
    free_ = slots_[slot].next_free;
    return slot;
  }
  if (slots_.size() >= EventId::kNone) throw SimulationError("too many pending events");
  slots_.emplace_back();
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

void Simulation::release_slot(std::uint32_t slot) noexcept {
  detail::EventSlot& s = slots_[slot];
  s.invoke = nullptr;
  ++s.generation;  // every EventId naming the old generation is now stale
}

void Simulation::free_slot(std::uint32_t slot) noexcept {
  slots_[slot].next_free = free_;
  free_ = slot;
}

void Simulation::push(const detail::EventKey& key) {
  heap_.push_back(key);
  std::size_t i = heap_.size() - 1;
  detail::EventKey* h = heap_.data();
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!earlier(key, h[parent])) break;
    h[i] = h[parent];
    i = parent;
  }
  h[i] = key;
}

void Simulation::pop_top() noexcept {
  const detail::EventKey last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return;
  detail::EventKey* h = heap_.data();
  std::size_t i = 0;
  for (;;) {
    const std::size_t first = i * kArity + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = first + kArity < n ? first + kArity : n;
    for (std::size_t c = first + 1; c < end; ++c)
      if (earlier(h[c], h[best])) best = c;
    // The root's earliest child is almost always the next event: start loading its payload
    // now, while the rest of the sift runs.
    if (i == 0) __builtin_prefetch(&slots_[h[best].slot]);
    if (!earlier(h[best], last)) break;
    h[i] = h[best];
    i = best;
  }
  h[i] = last;
}

bool Simulation::pop_live(detail::EventKey& key) {
  while (!heap_.empty()) {
    key = heap_.front();
    pop_top();
    if (slots_[key.slot].invoke != nullptr) return true;
    free_slot(key.slot);  // a cancelled event's key: its slot can be reused now
  }
  return false;
}

bool Simulation::cancel(EventId id) noexcept {
  if (!is_pending(id)) return false;
  release_slot(id.slot);
  --live_;
  return true;
}

Time Simulation::peek() {
  while (!heap_.empty()) {
    const detail::EventKey top = heap_.front();
    if (slots_[top.slot].invoke != nullptr) return top.time;
    pop_top();
    free_slot(top.slot);
  }
  return std::numeric_limits<Time>::infinity();
}

bool Simulation::step() {
  detail::EventKey key;
  if (!pop_live(key)) return false;
  now_ = key.time;
  // Copy the payload out before running it: the action may schedule events and grow the pool.
  detail::EventSlot& s = slots_[key.slot];
  auto* invoke = s.invoke;
  alignas(8) unsigned char storage[detail::kEventPayloadBytes];
  std::memcpy(storage, s.storage, sizeof storage);
  release_slot(key.slot);
  free_slot(key.slot);
  --live_;
  ++processed_;
  invoke(storage);
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
