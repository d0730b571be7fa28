#pragma once
/// Allocating resources to requests: a `ResourceAllocator` holds several resource types with
/// capacities and a queue of requests, each asking for amounts of several types at once.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "padsim/simulation.hpp"

namespace padsim {

/// One resource type's share of a request: `units` of the type at index `resource`.
struct ResourceNeed {
  std::size_t resource = 0;
  int units = 1;
};

/// How waiting requests are served, always in queue order.
enum class GrantPolicy {
  /// No overtaking: the first request that does not fit blocks every request behind it, so a large
  /// request is never starved by a stream of small ones.
  kStrictFifo,
  /// Greedy backfill: a request that does not fit waits, and a later one that fits now is granted
  /// (work-conserving list scheduling).
  kBackfill,
};

/// Resources with capacities and atomic multi-type requests: a request takes every amount it asks
/// for at once, or waits holding nothing. The queue is ordered by request time, then `priority`
/// (lower first), then call order. Grants are never made inside request() or release(): they are
/// settled in one dispatch event at the current time, scheduled behind the events already queued for
/// this instant (at the allocator's event priority), so every request and release of one instant is
/// seen together. Each dispatch that grants something calls `on_grant` once with the tags of the
/// requests it granted, in grant order; a granted request holds its units until release().
///
///     ResourceAllocator pool(sim, {2, 1}, GrantPolicy::kStrictFifo,
///                            [&](std::span<const std::uint64_t> tags) { /* start them */ });
///     const ResourceNeed both[] = {{0, 2}, {1, 1}};
///     pool.request(both, /*tag=*/7);   // granted at the dispatch event, if both types have room
///     ...
///     pool.release(both);
class ResourceAllocator {
 public:
  using GrantHandler = std::function<void(std::span<const std::uint64_t> tags)>;

  /// One resource type per entry of `capacities`. Throws ParameterError when a capacity is < 1.
  ResourceAllocator(Simulation& sim, std::vector<int> capacities, GrantPolicy policy, GrantHandler on_grant,
                    int event_priority = 0);
  ResourceAllocator(const ResourceAllocator&) = delete;  // its pending dispatch event points at it
  ResourceAllocator& operator=(const ResourceAllocator&) = delete;

  /// Number of resource types.
  std::size_t types() const noexcept { return capacity_.size(); }
  /// Capacity of type `r`.
  int capacity(std::size_t r) const { return capacity_.at(r); }
  /// Units of type `r` not held by a granted request.
  int available(std::size_t r) const { return available_.at(r); }
  /// Requests waiting for a grant.
  std::size_t waiting() const noexcept { return queue_.size(); }

  /// Queues a request for all of `needs` (one entry per type; a type may not repeat), identified by
  /// `tag` in on_grant. `needs` is referenced, not copied: it must stay valid until the grant. Throws
  /// ParameterError for an unknown type, a repeated type, or units outside [1, capacity].
  void request(std::span<const ResourceNeed> needs, std::uint64_t tag, int priority = 0);

  /// Returns the units of a granted request; waiting requests that now fit are granted at the
  /// dispatch event. Throws SimulationError when more units would be free than the capacity.
  void release(std::span<const ResourceNeed> needs);

 private:
  struct Waiting {
    Time time;
    int priority;
    std::uint64_t tag;
    std::span<const ResourceNeed> needs;
  };
  bool fits(std::span<const ResourceNeed> needs) const noexcept;
  void take(std::span<const ResourceNeed> needs) noexcept;
  void schedule_dispatch();
  void dispatch();

  Simulation* sim_;
  std::vector<int> capacity_;
  std::vector<int> available_;
  GrantPolicy policy_;
  GrantHandler on_grant_;
  int event_priority_;
  bool dispatch_queued_ = false;
  std::vector<Waiting> queue_;        // in (time, priority, call) order
  std::vector<std::uint64_t> granted_;  // scratch for one dispatch
};

}  // namespace padsim
