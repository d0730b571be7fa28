#pragma once
// Private to padsim::models: `[repair.ID.status]`, what is known of a repair under way at a status
// date (docs/scenario.md, "Re-forecasting from a status").

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "padsim/models/repair_project.hpp"
#include "toml_util.hpp"

namespace padsim::models::detail {

/// Reads the status table at `node` (entry "repair.ID.status"): names resolve to the indices of the
/// project's tasks, branches and risks; dates become days since the epoch. Unknown names and keys
/// are InputError at their position; the checks against the graph are RepairProject's.
RepairStatus read_repair_status(const TomlContext& ctx, const toml::node& node, const std::string& entry,
                                double epoch_seconds, const std::map<std::string, std::size_t>& task_index,
                                const std::vector<TaskSpec>& tasks, const std::vector<BranchSpec>& branches,
                                const std::vector<RiskSpec>& risks);

}  // namespace padsim::models::detail
