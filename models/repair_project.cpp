// The repair graph as a description: topological order, the Gaussian copula, construction. Validation:
// repair_validation.cpp; the draws of an instance and the CPM passes: repair_draws.cpp; running an
// instance in the event engine: repair_instance.cpp.
#include "padsim/models/repair_project.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

#include <spdlog/spdlog.h>

#include "padsim/error.hpp"
#include "padsim/format.hpp"
#include "nearest_correlation.hpp"
#include "repair_project_impl.hpp"

namespace padsim::models {

void RepairProject::Impl::build_order() {
  const std::size_t n = tasks.size();
  in_begin.assign(n + 1, 0);
  out_begin.assign(n + 1, 0);
  for (const Link& l : links) {
    ++in_begin[l.succ + 1];
    ++out_begin[l.pred + 1];
  }
  for (std::size_t i = 0; i < n; ++i) {
    in_begin[i + 1] += in_begin[i];
    out_begin[i + 1] += out_begin[i];
  }
  in_links.resize(links.size());
  out_links.resize(links.size());
  std::vector<std::size_t> in_fill(in_begin.begin(), in_begin.end() - 1);
  std::vector<std::size_t> out_fill(out_begin.begin(), out_begin.end() - 1);
  for (std::size_t l = 0; l < links.size(); ++l) {
    in_links[in_fill[links[l].succ]++] = l;
    out_links[out_fill[links[l].pred]++] = l;
  }

  // Kahn's algorithm, taking ready tasks in file order so the order is reproducible.
  std::vector<std::size_t> indegree(n);
  for (std::size_t i = 0; i < n; ++i) indegree[i] = in_begin[i + 1] - in_begin[i];
  std::deque<std::size_t> ready;
  for (std::size_t i = 0; i < n; ++i)
    if (indegree[i] == 0) ready.push_back(i);
  order.clear();
  while (!ready.empty()) {
    const std::size_t i = ready.front();
    ready.pop_front();
    order.push_back(i);
    for (std::size_t l : links_out_of(i))
      if (--indegree[links[l].succ] == 0) ready.push_back(links[l].succ);
  }
  if (order.size() == n) return;

  // A cycle: find one by depth-first search along the links and report it starting from its
  // earliest task in file order, in link direction ("cycle: R3 -> R5 -> R6 -> R3").
  enum Colour : unsigned char { kWhite, kGrey, kBlack };
  std::vector<Colour> colour(n, kWhite);
  std::vector<std::pair<std::size_t, std::size_t>> stack;  // (task, next out-link position)
  for (std::size_t root = 0; root < n; ++root) {
    if (colour[root] != kWhite) continue;
    stack.push_back({root, 0});
    colour[root] = kGrey;
    while (!stack.empty()) {
      auto& [task, next] = stack.back();
      const auto out = links_out_of(task);
      if (next == out.size()) {
        colour[task] = kBlack;
        stack.pop_back();
        continue;
      }
      const std::size_t succ = links[out[next++]].succ;
      if (colour[succ] == kWhite) {
        colour[succ] = kGrey;
        stack.push_back({succ, 0});
      } else if (colour[succ] == kGrey) {
        std::vector<std::size_t> cycle;
        std::size_t k = stack.size();
        while (stack[k - 1].first != succ) --k;
        for (; k <= stack.size(); ++k) cycle.push_back(stack[k - 1].first);
        std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
        std::vector<std::string> ids;
        std::string message = "cycle: ";
        for (std::size_t t : cycle) {
          ids.push_back(tasks[t].id);
          message += tasks[t].id + " -> ";
        }
        throw GraphError(message + tasks[cycle.front()].id, std::move(ids));
      }
    }
  }
}

void RepairProject::Impl::build_copula() {
  copula_row.assign(tasks.size(), kNotCorrelated);
  if (correlation.empty()) return;
  const auto k = static_cast<Eigen::Index>(correlation.tasks.size());
  Eigen::MatrixXd rank(k, k);
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j)
      rank(i, j) = correlation.matrix[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];

  const double smallest = detail::smallest_eigenvalue(rank);
  if (smallest < -1e-10) {
    const Eigen::MatrixXd repaired = detail::nearest_correlation(rank);
    const double change = (repaired - rank).cwiseAbs().maxCoeff();
    const std::string text = fmt::format(
        "repair '{}': the rank-correlation matrix is not positive semi-definite (smallest eigenvalue "
        "{:.3g}); using the nearest valid correlation matrix (largest change {:.3g})",
        name, smallest, change);
    // Positioned like an error ("FILE:LINE:COL: warning: ...") so editors pick it up too.
    spdlog::warn("{}", correlation.where.line > 0 ? positioned_message(correlation.where, "warning", text) : text);
    rank = repaired;
    for (Eigen::Index i = 0; i < k; ++i)
      for (Eigen::Index j = 0; j < k; ++j)
        correlation.matrix[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = rank(i, j);
  }
  // The Pearson equivalent of a valid rank matrix can itself fall a hair outside the PSD cone;
  // that is rounding of the transform, not the user's input, so it is repaired silently.
  Eigen::MatrixXd pearson = detail::pearson_from_rank(rank);
  if (detail::smallest_eigenvalue(pearson) < -1e-12) pearson = detail::nearest_correlation(pearson);
  const Eigen::MatrixXd factor = detail::copula_factor(pearson);
  copula_factor.resize(static_cast<std::size_t>(k * k));
  for (Eigen::Index i = 0; i < k; ++i)
    for (Eigen::Index j = 0; j < k; ++j) copula_factor[static_cast<std::size_t>(i * k + j)] = factor(i, j);
  for (std::size_t i = 0; i < correlation.tasks.size(); ++i) copula_row[correlation.tasks[i]] = i;
}

void RepairProject::Impl::build_draw_tables() {
  for (const TaskSpec& t : tasks) task_key.push_back(stream_key("repair-task", t.id));
  for (const BranchSpec& b : branches) branch_key.push_back(stream_key("repair-branch", b.id));
  for (const RiskSpec& r : risks) risk_key.push_back(stream_key("repair-risk", r.id));
  // A fixed distribution draws nothing and always gives its lower bound (which is also its mode).
  random_lag_begin.push_back(0);
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    for (std::size_t l : links_into(t))
      if (!links[l].lag_is_percent && !links[l].lag.is_fixed()) random_lags.push_back(l);
    random_lag_begin.push_back(random_lags.size());
  }
  for (const Link& l : links) fixed_lag.push_back(l.lag_is_percent || !l.lag.is_fixed() ? 0.0 : l.lag.lower());
}

RepairProject::RepairProject(std::string name, std::vector<TaskSpec> tasks, std::vector<Link> links,
                             std::vector<BranchSpec> branches, std::vector<RiskSpec> risks,
                             std::vector<ResourceSpec> resources, CorrelationSpec correlation,
                             std::optional<RepairStatus> status)
    : impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  p.name = std::move(name);
  p.tasks = std::move(tasks);
  p.links = std::move(links);
  p.branches = std::move(branches);
  p.risks = std::move(risks);
  p.resources = std::move(resources);
  p.correlation = std::move(correlation);
  p.has_status = status.has_value();
  if (status) p.status = std::move(*status);
  p.validate();
  p.resolve_status();
  p.build_order();
  p.build_copula();
  p.build_draw_tables();
  p.need_begin.push_back(0);
  for (const TaskSpec& t : p.tasks) {
    for (const auto& [r, units] : t.resources) p.needs.push_back({r, units});
    p.need_begin.push_back(p.needs.size());
  }
  p.uses_resources = !p.needs.empty();
}

RepairProject::~RepairProject() = default;
RepairProject::RepairProject(RepairProject&&) noexcept = default;
RepairProject& RepairProject::operator=(RepairProject&&) noexcept = default;

const std::string& RepairProject::name() const noexcept { return impl_->name; }
const std::vector<TaskSpec>& RepairProject::tasks() const noexcept { return impl_->tasks; }
const std::vector<BranchSpec>& RepairProject::branches() const noexcept { return impl_->branches; }
const std::vector<Link>& RepairProject::links() const noexcept { return impl_->links; }
const std::vector<RiskSpec>& RepairProject::risks() const noexcept { return impl_->risks; }
const CorrelationSpec& RepairProject::correlation() const noexcept { return impl_->correlation; }
bool RepairProject::uses_resources() const noexcept { return impl_->uses_resources; }
double RepairProject::duration_scale() const noexcept { return impl_->duration_scale; }

void RepairProject::set_duration_scale(double scale) {
  if (!(scale > 0.0) || !std::isfinite(scale))
    throw ParameterError("duration scale must be a positive number, got " + format_number(scale));
  impl_->duration_scale = scale;
}

std::vector<std::string> RepairProject::task_ids() const {
  std::vector<std::string> ids;
  ids.reserve(impl_->tasks.size());
  for (const TaskSpec& t : impl_->tasks) ids.push_back(t.id);
  return ids;
}

std::vector<std::string> RepairProject::task_names() const {
  std::vector<std::string> names;
  names.reserve(impl_->tasks.size());
  for (const TaskSpec& t : impl_->tasks) names.push_back(t.name);
  return names;
}

std::vector<std::string> RepairProject::input_names(const std::string& qualifier) const {
  std::vector<std::string> names;
  for (const TaskSpec& t : impl_->tasks) names.push_back("duration:" + qualifier + t.id);
  for (const BranchSpec& b : impl_->branches) names.push_back("branch:" + qualifier + b.id);
  for (const RiskSpec& r : impl_->risks) names.push_back("risk:" + qualifier + r.id);
  return names;
}

std::vector<InputInfo> RepairProject::input_info() const {
  const Impl& p = *impl_;
  const std::string no_repair = "the repair did not run in this replication (--no-incident)";
  std::vector<InputInfo> out;
  for (const TaskSpec& t : p.tasks)
    out.push_back({"days", "value", no_repair,
                   "realised duration of task " + t.id + " (drawn, scaled, plus risk impacts); 0 when a branch "
                   "removed it"});
  // A status that decided a branch or resolved a risk makes the input a constant: said, so that
  // no one reads its empty correlation as a missing value.
  const std::string decided = "; decided by the repair's status, so the same in every replication";
  for (std::size_t b = 0; b < p.branches.size(); ++b) {
    const BranchSpec& branch = p.branches[b];
    std::string alternatives;
    for (std::size_t k = 0; k < branch.alternatives.size(); ++k)
      alternatives += (k ? ", " : "") + std::to_string(k) + " " + p.tasks[branch.alternatives[k]].id;
    out.push_back({"", "id", no_repair,
                   "which alternative branch " + branch.id + " kept, as its 0-based place in alternatives (" +
                       alternatives + ")" + (p.has_status && p.forced_branch[b] != kNotForced ? decided : "")});
  }
  for (std::size_t r = 0; r < p.risks.size(); ++r)
    out.push_back({"0/1", "event", no_repair,
                   "1 when risk " + p.risks[r].id + " occurred, 0 when not" +
                       (p.has_status && p.forced_risk[r] >= 0 ? decided : "")});
  return out;
}

}  // namespace padsim::models
