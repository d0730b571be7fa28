#pragma once
/// The event-queue kernel: one `Simulation` per replication (no globals), a clock in days, and a
/// queue of events that leave in (time, priority, insertion) order.
///
///     padsim::Simulation sim;
///     sim.schedule_in(3.0, [&] { std::puts("three days later"); });
///     sim.run();
///
/// Events carry a small callable stored inline (no allocation per event); the heap holds only
/// compact 16-byte keys, and payloads live apart in a slot pool, so the queue runs close to a bare
/// `std::priority_queue` (see bench/bench_engine.cpp). Cancel is a tombstone: the payload is
/// dropped and the slot's generation changes at once; the slot itself is reused only after its
/// stale key leaves the heap, so a key's tie-break data never changes while it is queued.

#include <algorithm>
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

/// Largest callable an event stores inline. Lambdas capturing a few pointers and numbers fit.
inline constexpr std::size_t kEventPayloadBytes = 40;

// 16 bytes, like the (time, sequence) pair of a bare priority queue. The insertion sequence lives in
// the slot and is read only to break a tie of both time and priority.
struct EventKey {
  Time time;
  std::uint32_t priority;  // priority - kMinPriority
  std::uint32_t slot;
};

// 64 bytes: one cache line per pending payload.
struct EventSlot {
  void (*invoke)(void* storage) = nullptr;  // null: free, or cancelled and awaiting its key
  alignas(8) unsigned char storage[kEventPayloadBytes];
  std::uint64_t sequence = 0;
  std::uint32_t generation = 0;
  std::uint32_t next_free = EventId::kNone;
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
    s.sequence = sequence_++;
    push({t, static_cast<std::uint32_t>(priority - kMinPriority), slot});
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
  bool earlier(const detail::EventKey& a, const detail::EventKey& b) const noexcept {
    if (a.time != b.time) return a.time < b.time;
    if (a.priority != b.priority) return a.priority < b.priority;
    return slots_[a.slot].sequence < slots_[b.slot].sequence;
  }
  void check_time(Time t, int priority) const {
    if (!(t >= now_) || std::isinf(t) || priority < kMinPriority || priority > kMaxPriority)
      throw SimulationError(time_message(t, priority));
  }
  std::string time_message(Time t, int priority) const;
  static std::string delay_message(Duration delay);
  std::uint32_t acquire_slot();
  void release_slot(std::uint32_t slot) noexcept;  // drops the payload; ids go stale
  void free_slot(std::uint32_t slot) noexcept;     // returns the slot to the pool
  void push(const detail::EventKey& key);
  void pop_top() noexcept;
  bool pop_live(detail::EventKey& key);

  Time now_ = 0.0;
  std::uint64_t sequence_ = 0;
  std::uint64_t processed_ = 0;
  std::size_t live_ = 0;
  bool stopped_ = false;
  std::vector<detail::EventKey> heap_;  // 4-ary min-heap of keys
  std::vector<detail::EventSlot> slots_;
  std::uint32_t free_ = EventId::kNone;
};

}  // namespace padsim
