#include "padsim/allocator.hpp"

#include <algorithm>
#include <string>

#include "padsim/error.hpp"

namespace padsim {

ResourceAllocator::ResourceAllocator(Simulation& sim, std::vector<int> capacities, GrantPolicy policy,
                                     GrantHandler on_grant, int event_priority)
    : sim_(&sim),
      capacity_(std::move(capacities)),
      available_(capacity_),
      policy_(policy),
      on_grant_(std::move(on_grant)),
      event_priority_(event_priority) {
  for (std::size_t r = 0; r < capacity_.size(); ++r)
    if (capacity_[r] < 1)
      throw ParameterError("resource type " + std::to_string(r) + ": capacity " + std::to_string(capacity_[r]) +
                           " must be at least 1");
}

void ResourceAllocator::request(std::span<const ResourceNeed> needs, std::uint64_t tag, int priority) {
  for (std::size_t i = 0; i < needs.size(); ++i) {
    const ResourceNeed& n = needs[i];
    if (n.resource >= capacity_.size())
      throw ParameterError("request " + std::to_string(tag) + ": resource type " + std::to_string(n.resource) +
                           " does not exist (" + std::to_string(capacity_.size()) + " types)");
    if (n.units < 1 || n.units > capacity_[n.resource])
      throw ParameterError("request " + std::to_string(tag) + ": " + std::to_string(n.units) +
                           " units of resource type " + std::to_string(n.resource) + " outside [1, " +
                           std::to_string(capacity_[n.resource]) + "]");
    for (std::size_t j = 0; j < i; ++j)
      if (needs[j].resource == n.resource)
        throw ParameterError("request " + std::to_string(tag) + ": resource type " + std::to_string(n.resource) +
                             " listed twice");
  }
  // Times never decrease, so the new request goes after every waiting one of an earlier time or of
  // the same time and a priority number not above its own.
  const Waiting w{sim_->now(), priority, tag, needs};
  const auto before = [](const Waiting& x, const Waiting& y) {
    return x.time < y.time || (x.time == y.time && x.priority < y.priority);
  };
  queue_.insert(std::upper_bound(queue_.begin(), queue_.end(), w, before), w);
  schedule_dispatch();
}

void ResourceAllocator::release(std::span<const ResourceNeed> needs) {
  for (const ResourceNeed& n : needs)
    if (n.resource >= capacity_.size() || n.units < 0 || available_[n.resource] + n.units > capacity_[n.resource])
      throw SimulationError("release of " + std::to_string(n.units) + " units of resource type " +
                            std::to_string(n.resource) + " that are not held");
  for (const ResourceNeed& n : needs) available_[n.resource] += n.units;
  if (!queue_.empty()) schedule_dispatch();
}

bool ResourceAllocator::fits(std::span<const ResourceNeed> needs) const noexcept {
  for (const ResourceNeed& n : needs)
    if (available_[n.resource] < n.units) return false;
  return true;
}

void ResourceAllocator::take(std::span<const ResourceNeed> needs) noexcept {
  for (const ResourceNeed& n : needs) available_[n.resource] -= n.units;
}

void ResourceAllocator::schedule_dispatch() {
  if (dispatch_queued_) return;
  dispatch_queued_ = true;
  sim_->schedule_at(sim_->now(), [this] { dispatch(); }, event_priority_);
}

void ResourceAllocator::dispatch() {
  dispatch_queued_ = false;
  granted_.clear();
  std::size_t kept = 0;
  std::size_t w = 0;
  for (; w < queue_.size(); ++w) {
    const Waiting& request = queue_[w];
    if (fits(request.needs)) {
      take(request.needs);
      granted_.push_back(request.tag);
    } else if (policy_ == GrantPolicy::kStrictFifo) {
      break;
    } else {
      queue_[kept++] = request;
    }
  }
  // Close the gap the grants left: under strict FIFO the unscanned tail moves up whole.
  for (; w < queue_.size(); ++w) queue_[kept++] = queue_[w];
  queue_.resize(kept);
  if (!granted_.empty()) on_grant_(granted_);
}

}  // namespace padsim
