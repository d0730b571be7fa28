#pragma once
/// The event-queue kernel: one `Simulation` per replication (no globals), a clock in days, and a
/// queue of events that leave in (time, priority, insertion) order.
///
///     padsim::Simulation sim;
///     sim.schedule_in(3.0, [&] { std::puts("three days later"); });
///     sim.run();
///
/// Events carry a small callable stored inline (no allocation per event); the heap holds only
/// 16-byte keys ordered by one branch-free 128-bit comparison (time, then priority and insertion
/// packed in one word), and payloads live apart in a pool of 40-byte slots, so the queue runs at
/// a bare heap's speed (see bench/bench_engine.cpp). Cancel is a tombstone: the payload is dropped at
/// once, so the event's id is no longer pending; the slot is reused (and its generation changed,
/// which makes old ids stale) only after its key leaves the heap.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "padsim/error.hpp"
#include "padsim/time.hpp"

namespace padsim {

/// Identifies a scheduled event so that it can be cancelled. Default-constructed: no event.
struct EventId {
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t slot = kNone;
  std::uint32_t generation = 0;
  bool valid() const noexcept { return slot != kNone; }
};

/// Event priorities: lower leaves first at equal time. Models name their own levels within
/// [kMinPriority, kMaxPriority].
inline constexpr int kMinPriority = -32768;
inline constexpr int kMaxPriority = 32767;

namespace detail {

/// Largest callable an event stores inline. Lambdas capturing up to three pointers or numbers fit.
inline constexpr std::size_t kEventPayloadBytes = 24;

// 16 bytes, like the (time, sequence) pair of a bare priority queue, ordered by (time, tie) as two
// unsigned words so that the comparison is branch-free. `time` is the event time's bit pattern: for
// the non-negative doubles of a clock that starts at 0, unsigned order is numeric order (-0 is
// stored as +0). `tie` holds, from the top, the biased priority (16 bits), the insertion sequence
// (24 bits) and the payload's slot (24 bits): equal times leave by priority, then first scheduled
// first. Sequences are unique among queued keys, so the slot bits never decide.
inline constexpr unsigned kSlotBits = 24;
inline constexpr unsigned kSequenceBits = 24;
inline constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << kSlotBits) - 1;
inline constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << kSequenceBits) - 1;
/// Most events queued at once (cancelled ones included until their time): half the sequences.
inline constexpr std::size_t kMaxQueued = std::size_t{1} << (kSequenceBits - 1);

struct EventKey {
  std::uint64_t time;
  std::uint64_t tie;
  std::uint32_t slot() const noexcept { return static_cast<std::uint32_t>(tie & kSlotMask); }
  std::uint64_t sequence() const noexcept { return (tie >> kSlotBits) & kSequenceMask; }
};

__extension__ using Uint128 = unsigned __int128;  // GCC and Clang; keeps -Wpedantic quiet

// One 128-bit comparison: a compare and a subtract-with-borrow, no branch.
inline bool earlier(const EventKey& a, const EventKey& b) noexcept {
  return ((Uint128{a.time} << 64) | a.tie) < ((Uint128{b.time} << 64) | b.tie);
}

// 40 bytes. A free slot's storage holds the free list's link.
struct EventSlot {
  void (*invoke)(void* storage) = nullptr;  // null: free, or cancelled and awaiting its key
  alignas(8) unsigned char storage[kEventPayloadBytes];
  std::uint32_t generation = 0;  // changes when the slot is reused: ids of earlier events go stale
};

}  // namespace detail

/// A replication's clock and event queue.
class Simulation {
 public:
  Simulation() = default;
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Current simulated time (days).
  Time now() const noexcept { return now_; }

  /// Schedules `action()` at absolute time `t` >= now(). Throws SimulationError for a time in the
  /// past, NaN or infinite, or a priority outside [kMinPriority, kMaxPriority].
  template <class F>
  EventId schedule_at(Time t, F&& action, int priority = 0) {
    using Fn = std::decay_t<F>;
    static_assert(std::is_trivially_copyable_v<Fn> && std::is_trivially_destructible_v<Fn>,
                  "event actions must be trivially copyable (capture pointers and numbers)");
    static_assert(sizeof(Fn) <= detail::kEventPayloadBytes, "event action too large to store inline");
    static_assert(alignof(Fn) <= 8, "event action over-aligned");
    check_time(t, priority);
    const std::uint32_t slot = acquire_slot();
    detail::EventSlot& s = slots_[slot];
    ::new (static_cast<void*>(s.storage)) Fn(std::forward<F>(action));
    s.invoke = [](void* storage) { (*std::launder(static_cast<Fn*>(storage)))(); };
    push({std::bit_cast<std::uint64_t>(t + 0.0), next_tie(priority) | slot});
    ++live_;
    return {slot, s.generation};
  }

  /// Schedules `action()` after `delay` >= 0 days.
  template <class F>
  EventId schedule_in(Duration delay, F&& action, int priority = 0) {
    if (!(delay >= 0.0)) throw SimulationError(delay_message(delay));
    return schedule_at(now_ + delay, std::forward<F>(action), priority);
  }

  /// Cancels a pending event. Returns false when it already ran, was cancelled, or never existed.
  bool cancel(EventId id) noexcept;
  /// True while the event is scheduled and has not run.
  bool is_pending(EventId id) const noexcept {
    return id.valid() && id.slot < slots_.size() && slots_[id.slot].generation == id.generation &&
           slots_[id.slot].invoke != nullptr;
  }

  /// Runs the next event. Returns false when none is left (or stop() was called).
  bool step();
  /// Runs events until none is left or stop() is called.
  void run();
  /// Runs every event at time <= t, then sets the clock to t (t >= now()).
  void run_until(Time t);
  /// Makes run()/run_until() return after the current event.
  void stop() noexcept { stopped_ = true; }

  /// Number of scheduled, not cancelled events.
  std::size_t pending() const noexcept { return live_; }
  /// Number of events run so far.
  std::uint64_t processed() const noexcept { return processed_; }
  /// Bytes the queue holds for keys and payloads (vector capacities), for memory accounting.
  std::size_t allocated_bytes() const noexcept {
    return heap_.capacity() * sizeof(detail::EventKey) + slots_.capacity() * sizeof(detail::EventSlot);
  }
  /// Makes room for `events` queued at once, so that the queue allocates nothing until it holds more.
  void reserve(std::size_t events) {
    heap_.reserve(events);
    slots_.reserve(events);
  }
  /// What reserve() needs for a run like this one not to grow the queue: a driver that runs many
  /// alike reserves each new Simulation what the last one reached.
  std::size_t reserve_hint() const noexcept { return std::max(heap_.capacity(), slots_.capacity()); }
  /// Time of the next event, or +infinity when none is pending.
  Time peek();

 private:
  // The tie word of the next key, without its slot. When the 24-bit sequence runs out, the queued
  // keys are renumbered in their order (renumber()); at most kMaxQueued keys are queued, so that happens
  // at most once per 2^23 events.
  std::uint64_t next_tie(int priority) {
    if (sequence_ > detail::kSequenceMask) renumber();
    return (static_cast<std::uint64_t>(priority - kMinPriority) << (detail::kSequenceBits + detail::kSlotBits)) |
           (sequence_++ << detail::kSlotBits);
  }
  void renumber();
  void check_time(Time t, int priority) const {
    if (!(t >= now_) || std::isinf(t) || priority < kMinPriority || priority > kMaxPriority)
      throw SimulationError(time_message(t, priority));
  }
  std::string time_message(Time t, int priority) const;
  static std::string delay_message(Duration delay);
  std::uint32_t acquire_slot() {
    if (free_ == EventId::kNone) return new_slot();
    const std::uint32_t slot = free_;
    detail::EventSlot& s = slots_[slot];
    std::memcpy(&free_, s.storage, sizeof free_);
    ++s.generation;  // ids of the slot's earlier events are now stale
    return slot;
  }
  std::uint32_t new_slot();
  // Drops the payload: the event's id is no longer pending.
  void release_slot(std::uint32_t slot) noexcept { slots_[slot].invoke = nullptr; }
  // Returns the slot to the pool once no key names it; its storage keeps the free list's link.
  void free_slot(std::uint32_t slot) noexcept {
    std::memcpy(slots_[slot].storage, &free_, sizeof free_);
    free_ = slot;
  }
  bool drop_cancelled_top() noexcept;  // settles; true when a live event is at the top
  void push(const detail::EventKey& key);
  void sift_down(std::size_t i, detail::EventKey key) noexcept;
  void pop_top() noexcept;
  void settle() noexcept {
    if (!root_taken_) return;
    root_taken_ = false;
    pop_top();
  }

  Time now_ = 0.0;
  std::uint64_t sequence_ = 0;
  std::uint64_t processed_ = 0;
  std::size_t live_ = 0;
  bool stopped_ = false;
  // step() leaves the running event's key at the root: the first event its action schedules takes
  // that place with one sift down (the hold pattern: pop, then push), and settle() removes it
  // otherwise. Everything that reads the heap settles first.
  bool root_taken_ = false;
  std::vector<detail::EventKey> heap_;  // 4-ary min-heap of keys
  std::vector<detail::EventSlot> slots_;
  std::uint32_t free_ = EventId::kNone;
};

}  // namespace padsim
