// BatchStatistics (padsim/batch.hpp): what several outputs of a batch ask for, computed once.
#include <mutex>
#include <optional>
#include <string>

#include "output_writers.hpp"
#include "padsim/batch.hpp"

namespace padsim {

struct BatchStatistics::Impl {
  struct Outcome {
    std::once_flag summarized, counted, ranked;
    std::shared_ptr<const OutcomeSummary> summary;  // kept for a headline value outcome only
    EventCount events;
    std::optional<detail::RankedColumn> ranks;
  };
  const Model& model;
  const BatchResult& result;
  std::unique_ptr<Outcome[]> outcomes;

  Outcome& at(std::size_t j) const {
    if (j >= model.outcomes().size()) throw Error("no outcome " + std::to_string(j) + " in the batch");
    return outcomes[j];
  }
};

BatchStatistics::BatchStatistics(const Model& model, const BatchResult& result)
    : impl_(new Impl{model, result, std::make_unique<Impl::Outcome[]>(model.outcomes().size())}) {}

BatchStatistics::~BatchStatistics() = default;

std::shared_ptr<const OutcomeSummary> BatchStatistics::summary(std::size_t j) const {
  const OutcomeInfo& info = impl_->model.outcomes().at(j);
  auto compute = [&] {
    return std::make_shared<const OutcomeSummary>(outcome_summary(impl_->model, impl_->result, j));
  };
  if (!info.headline || info.kind != OutcomeKind::kValue) return compute();
  Impl::Outcome& o = impl_->at(j);
  std::call_once(o.summarized, [&] { o.summary = compute(); });
  return o.summary;
}

EventCount BatchStatistics::events(std::size_t j) const {
  Impl::Outcome& o = impl_->at(j);
  std::call_once(o.counted, [&] { o.events = event_count(impl_->result, j); });
  return o.events;
}

const detail::RankedColumn& BatchStatistics::ranked(std::size_t j) const {
  Impl::Outcome& o = impl_->at(j);
  std::call_once(o.ranked, [&] { o.ranks.emplace(detail::ranking_column(impl_->model, impl_->result, j)); });
  return *o.ranks;
}

}  // namespace padsim
