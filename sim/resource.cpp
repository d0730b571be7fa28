#include "padsim/resource.hpp"

#include <algorithm>

namespace padsim {

Resource::Resource(Simulation& sim, std::string name, int capacity)
    : sim_(&sim), name_(std::move(name)), capacity_(capacity) {
  if (capacity < 1)
    throw ParameterError("resource '" + name_ + "': capacity " + std::to_string(capacity) +
                         " must be at least 1");
}

void Resource::check_units(int units) const {
  if (units < 1 || units > capacity_)
    throw ParameterError("resource '" + name_ + "': request of " + std::to_string(units) +
                         " units outside [1, " + std::to_string(capacity_) + "]");
}

Resource::Request Resource::request(int units, int priority) {
  check_units(units);
  return {this, units, priority};
}

bool Resource::Request::await_ready() {
  if (resource->queue_.empty() && units <= resource->available()) {
    resource->in_use_ += units;
    return true;
  }
  return false;
}

void Resource::Request::await_suspend(std::coroutine_handle<> h) {
  resource->insert({units, priority, resource->arrivals_++, h, {}});
}

void Resource::request(int units, int priority, std::function<void()> granted) {
  check_units(units);
  if (queue_.empty() && units <= available()) {
    in_use_ += units;
    granted();
    return;
  }
  insert({units, priority, arrivals_++, {}, std::move(granted)});
}

void Resource::insert(Waiter w) {
  // Keep the queue sorted by (priority, arrival); arrivals only grow, so the new waiter goes after
  // every waiter of equal or lower priority number.
  auto pos = std::upper_bound(queue_.begin(), queue_.end(), w.priority,
                              [](int p, const Waiter& x) { return p < x.priority; });
  queue_.insert(pos, std::move(w));
}

void Resource::release(int units) {
  if (units < 1 || units > in_use_)
    throw SimulationError("resource '" + name_ + "': release of " + std::to_string(units) +
                          " units but " + std::to_string(in_use_) + " in use");
  in_use_ -= units;
  dispatch();
}

void Resource::dispatch() {
  while (!queue_.empty() && queue_.front().units <= available()) {
    Waiter w = std::move(queue_.front());
    queue_.pop_front();
    in_use_ += w.units;
    if (w.handle)
      sim_->resume_at(sim_->now(), w.handle);
    else
      w.granted();
  }
}

void Trigger::fire() {
  fired_ = true;
  for (auto h : waiters_) sim_->resume_at(sim_->now(), h, priority_);
  waiters_.clear();
}

}  // namespace padsim
