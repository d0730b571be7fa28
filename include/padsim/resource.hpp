#pragma once
/// Waiting on things: a capacity `Resource` with a queue, and a `Trigger` that processes wait for.

#include <coroutine>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "padsim/simulation.hpp"

namespace padsim {

/// A resource with a capacity (workers, cranes, a dock). Requests are granted in (priority, arrival)
/// order with no overtaking: a request that does not fit blocks those behind it, so a large request
/// is never starved by a stream of small ones.
///
///     padsim::Resource crews(sim, "crews", 2);
///     co_await crews.request();      // one unit
///     co_await sim.timeout(5.0);
///     crews.release();
class Resource {
 public:
  /// Throws ParameterError when capacity < 1.
  Resource(Simulation& sim, std::string name, int capacity);
  Resource(const Resource&) = delete;
  Resource& operator=(const Resource&) = delete;

  const std::string& name() const noexcept { return name_; }
  int capacity() const noexcept { return capacity_; }
  int in_use() const noexcept { return in_use_; }
  int available() const noexcept { return capacity_ - in_use_; }
  std::size_t queue_length() const noexcept { return queue_.size(); }

  struct Request {
    Resource* resource;
    int units;
    int priority;
    bool await_ready();
    void await_suspend(std::coroutine_handle<> h);
    void await_resume() const noexcept {}
  };
  /// Awaitable: resumes once `units` are granted (immediately when they are free and no one waits).
  /// Throws ParameterError when units is outside [1, capacity].
  Request request(int units = 1, int priority = 0);

  /// Callback form for models that are not coroutines: `granted()` is called as soon as the units
  /// are held — at once when they are free, else inside the release() that frees them.
  void request(int units, int priority, std::function<void()> granted);

  /// Returns units; grants waiting requests that now fit, in order.
  void release(int units = 1);

 private:
  struct Waiter {
    int units;
    int priority;
    std::uint64_t arrival;
    std::coroutine_handle<> handle;   // a waiting process, or ...
    std::function<void()> granted;    // ... a callback
  };
  void insert(Waiter w);
  void check_units(int units) const;
  void dispatch();

  Simulation* sim_;
  std::string name_;
  int capacity_;
  int in_use_ = 0;
  std::uint64_t arrivals_ = 0;
  std::deque<Waiter> queue_;
};

/// A condition processes wait for ("the dock is open"). Once fired it stays fired until reset():
/// waiting on a fired trigger does not suspend.
class Trigger {
 public:
  explicit Trigger(Simulation& sim, int priority = 0) : sim_(&sim), priority_(priority) {}
  Trigger(const Trigger&) = delete;
  Trigger& operator=(const Trigger&) = delete;

  bool fired() const noexcept { return fired_; }
  /// Fires: every waiting process resumes at now(), in the order it started waiting.
  void fire();
  void reset() noexcept { fired_ = false; }

  struct Wait {
    Trigger* trigger;
    bool await_ready() const noexcept { return trigger->fired_; }
    void await_suspend(std::coroutine_handle<> h) { trigger->waiters_.push_back(h); }
    void await_resume() const noexcept {}
  };
  Wait wait() noexcept { return {this}; }

 private:
  Simulation* sim_;
  int priority_;
  bool fired_ = false;
  std::vector<std::coroutine_handle<>> waiters_;
};

}  // namespace padsim
