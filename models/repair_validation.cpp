// Validation of a repair description: every rule RepairProject's constructor checks before the graph
// is built (repair_project.cpp); the scenario loader adds the file positions.
#include <cmath>
#include <string_view>
#include <unordered_set>

#include "padsim/format.hpp"
#include "repair_project_impl.hpp"

namespace padsim::models {

namespace {

std::string quoted(const std::string& id) { return "'" + id + "'"; }

[[noreturn]] void reject(const SourcePosition& where, const std::string& message) {
  throw RepairSpecError(where, message);
}

}  // namespace

void RepairProject::Impl::validate() const {
  const std::size_t n = tasks.size();
  if (n == 0) reject({}, "has no tasks");
  std::unordered_set<std::string_view> ids;
  ids.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const TaskSpec& t = tasks[i];
    if (t.id.empty()) reject(t.where, "task #" + std::to_string(i + 1) + " has an empty id");
    // A hash set, not a scan of the earlier ids: a project of 100,000 tasks validates in linear time.
    if (!ids.insert(t.id).second) reject(t.where, "task " + quoted(t.id) + " is defined twice");
    if (t.duration.lower() < 0.0)
      reject(t.where, "task " + quoted(t.id) + ": duration " + t.duration.describe() +
                          " can be negative; a duration must not be");
  }
  ids.clear();  // resources have names of their own
  for (std::size_t r = 0; r < resources.size(); ++r) {
    const ResourceSpec& res = resources[r];
    if (!ids.insert(res.id).second)
      reject(res.where, "resource " + quoted(res.id) + " is defined twice");
    if (res.capacity < 1)
      reject(res.where, "resource " + quoted(res.id) + ": capacity " + std::to_string(res.capacity) +
                            " must be at least 1");
  }
  for (const TaskSpec& t : tasks) {
    for (std::size_t k = 0; k < t.resources.size(); ++k) {
      const auto& [r, units] = t.resources[k];
      if (r >= resources.size())
        reject(t.where, "task " + quoted(t.id) + " needs resource #" + std::to_string(r) + ", which does not exist");
      for (std::size_t j = 0; j < k; ++j)
        if (t.resources[j].first == r)
          reject(t.where, "task " + quoted(t.id) + " lists resource " + quoted(resources[r].id) + " twice");
      if (units < 1)
        reject(t.where, "task " + quoted(t.id) + " needs " + std::to_string(units) + " units of " +
                            quoted(resources[r].id) + "; a need is at least 1");
      if (units > resources[r].capacity)
        reject(t.where, "task " + quoted(t.id) + " needs " + std::to_string(units) + " units of " +
                            quoted(resources[r].id) + " but the project has only " +
                            std::to_string(resources[r].capacity));
    }
  }
  for (std::size_t l = 0; l < links.size(); ++l) {
    const Link& link = links[l];
    if (link.pred >= n || link.succ >= n)
      reject(link.where, "link #" + std::to_string(l + 1) + " names a task that does not exist");
    if (link.lag_is_percent && !std::isfinite(link.lag_percent))
      reject(link.where, "link " + tasks[link.pred].id + " -> " + tasks[link.succ].id + ": lag " +
                             format_number(link.lag_percent) + "% is not a finite number");
  }
  std::vector<const BranchSpec*> branch_of(n, nullptr);
  for (const BranchSpec& b : branches) {
    const std::string entry = "branch " + quoted(b.id) + ": ";
    if (b.after >= n) reject(b.where, entry + "its 'after' task does not exist");
    if (b.alternatives.size() < 2)
      reject(b.where, entry + "needs at least two alternatives, found " + std::to_string(b.alternatives.size()));
    if (b.probabilities.size() != b.alternatives.size())
      reject(b.where, entry + std::to_string(b.alternatives.size()) + " alternatives but " +
                          std::to_string(b.probabilities.size()) + " probabilities");
    double sum = 0.0;
    for (std::size_t k = 0; k < b.alternatives.size(); ++k) {
      const std::size_t a = b.alternatives[k];
      if (a >= n) reject(b.where, entry + "alternative #" + std::to_string(k + 1) + " does not exist");
      if (a == b.after) reject(b.where, entry + quoted(tasks[a].id) + " cannot be an alternative after itself");
      if (branch_of[a] == &b) reject(b.where, entry + quoted(tasks[a].id) + " is listed twice");
      if (branch_of[a])
        reject(b.where, entry + quoted(tasks[a].id) + " is already an alternative of branch " +
                            quoted(branch_of[a]->id));
      branch_of[a] = &b;
      const double p = b.probabilities[k];
      if (!(p >= 0.0 && p <= 1.0))
        reject(b.where, entry + "probability " + format_number(p) + " of " + quoted(tasks[a].id) + " is outside [0, 1]");
      sum += p;
    }
    if (std::abs(sum - 1.0) > 1e-9) reject(b.where, entry + "probabilities sum to " + format_number(sum) + ", not 1");
  }
  for (const RiskSpec& risk : risks) {
    const std::string entry = "risk " + quoted(risk.id) + ": ";
    if (!(risk.probability >= 0.0 && risk.probability <= 1.0))
      reject(risk.where, entry + "probability " + format_number(risk.probability) + " is outside [0, 1]");
    for (const RiskSpec::Impact& impact : risk.impacts) {
      if (impact.task >= n) reject(impact.where, entry + "an impact names a task that does not exist");
      const std::string on = entry + "impact on " + quoted(tasks[impact.task].id) + ": ";
      if (impact.days.lower() < 0.0)
        reject(impact.where, on + "days " + impact.days.describe() + " can be negative; extra days must not be");
      if (!(impact.percent >= 0.0) || !std::isfinite(impact.percent))
        reject(impact.where, on + "percent " + format_number(impact.percent) + " must be a number of 0 or more");
    }
  }
  if (!correlation.empty()) {
    const std::size_t k = correlation.tasks.size();
    const auto& m = correlation.matrix;
    const std::string entry = "correlation: ";
    std::vector<bool> seen(n, false);
    for (std::size_t t : correlation.tasks) {
      if (t >= n) reject(correlation.where, entry + "names a task that does not exist");
      if (seen[t]) reject(correlation.where, entry + quoted(tasks[t].id) + " is listed twice");
      seen[t] = true;
    }
    bool square = m.size() == k;
    for (const auto& row : m) square = square && row.size() == k;
    if (!square)
      reject(correlation.where, entry + "the matrix must be " + std::to_string(k) + " x " + std::to_string(k) +
                                    ", one row and column per listed task");
    for (std::size_t i = 0; i < k; ++i) {
      const std::string& a = tasks[correlation.tasks[i]].id;
      if (m[i][i] != 1.0)
        reject(correlation.where, entry + "the diagonal entry of " + quoted(a) + " is " + format_number(m[i][i]) + ", not 1");
      for (std::size_t j = 0; j < k; ++j) {
        const std::string& b = tasks[correlation.tasks[j]].id;
        if (!(m[i][j] >= -1.0 && m[i][j] <= 1.0))
          reject(correlation.where, entry + "rho " + format_number(m[i][j]) + " between " + quoted(a) + " and " +
                                        quoted(b) + " is outside [-1, 1]");
        if (std::abs(m[i][j] - m[j][i]) > 1e-12)
          reject(correlation.where, entry + "not symmetric: " + format_number(m[i][j]) + " between " + quoted(a) +
                                        " and " + quoted(b) + " but " + format_number(m[j][i]) + " between " + quoted(b) +
                                        " and " + quoted(a));
      }
    }
  }
}

}  // namespace padsim::models
