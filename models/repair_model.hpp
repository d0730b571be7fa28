#pragma once
// Private to padsim::models: the model of a scenario without station sections — the repairs of the
// pads that are down at the epoch, and nothing else.

#include <memory>

#include "padsim/models/scenario.hpp"
#include "padsim/models/scenario_spec.hpp"

namespace padsim::models::detail {

/// The repair-only model of `spec`. Throws InputError when no pad is down at the epoch (there is
/// nothing to simulate without station sections).
std::unique_ptr<Model> make_repair_model(std::shared_ptr<const ScenarioSpec> spec, const LoadOptions& options);

}  // namespace padsim::models::detail
