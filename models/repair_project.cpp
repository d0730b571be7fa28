// The repair graph as a description: validation, topological order, the Gaussian copula, the draws
// of an instance and the CPM passes. Running an instance in the event engine: repair_instance.cpp.
#include "padsim/models/repair_project.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <numbers>
#include <sstream>
#include <tuple>

#include <boost/random/normal_distribution.hpp>
#include <spdlog/spdlog.h>

#include "nearest_correlation.hpp"
#include "repair_project_impl.hpp"

namespace padsim::models {

namespace {

std::string num(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

std::string quoted(const std::string& id) { return "'" + id + "'"; }

[[noreturn]] void reject(const SourcePosition& where, const std::string& message) {
  throw RepairSpecError(where, message);
}

// Standard normal cdf, kept inside the open interval (0, 1) so that every quantile is finite.
double normal_cdf_open(double x) {
  const double u = 0.5 * std::erfc(-x / std::numbers::sqrt2);
  return std::clamp(u, std::numeric_limits<double>::min(), 1.0 - 0x1.0p-53);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Validation and construction

void RepairProject::Impl::validate() const {
  const std::size_t n = tasks.size();
  if (n == 0) reject({}, "has no tasks");
  for (std::size_t i = 0; i < n; ++i) {
    const TaskSpec& t = tasks[i];
    if (t.id.empty()) reject(t.where, "task #" + std::to_string(i + 1) + " has an empty id");
    for (std::size_t j = 0; j < i; ++j)
      if (tasks[j].id == t.id) reject(t.where, "task " + quoted(t.id) + " is defined twice");
    if (t.duration.lower() < 0.0)
      reject(t.where, "task " + quoted(t.id) + ": duration " + t.duration.describe() +
                          " can be negative; a duration must not be");
  }
  for (std::size_t r = 0; r < resources.size(); ++r) {
    const ResourceSpec& res = resources[r];
    for (std::size_t j = 0; j < r; ++j)
      if (resources[j].id == res.id) reject(res.where, "resource " + quoted(res.id) + " is defined twice");
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
                             num(link.lag_percent) + "% is not a finite number");
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
        reject(b.where, entry + "probability " + num(p) + " of " + quoted(tasks[a].id) + " is outside [0, 1]");
      sum += p;
    }
    if (std::abs(sum - 1.0) > 1e-9) reject(b.where, entry + "probabilities sum to " + num(sum) + ", not 1");
  }
  for (const RiskSpec& risk : risks) {
    const std::string entry = "risk " + quoted(risk.id) + ": ";
    if (!(risk.probability >= 0.0 && risk.probability <= 1.0))
      reject(risk.where, entry + "probability " + num(risk.probability) + " is outside [0, 1]");
    for (const RiskSpec::Impact& impact : risk.impacts) {
      if (impact.task >= n) reject(impact.where, entry + "an impact names a task that does not exist");
      const std::string on = entry + "impact on " + quoted(tasks[impact.task].id) + ": ";
      if (impact.days.lower() < 0.0)
        reject(impact.where, on + "days " + impact.days.describe() + " can be negative; extra days must not be");
      if (!(impact.percent >= 0.0) || !std::isfinite(impact.percent))
        reject(impact.where, on + "percent " + num(impact.percent) + " must be a number of 0 or more");
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
        reject(correlation.where, entry + "the diagonal entry of " + quoted(a) + " is " + num(m[i][i]) + ", not 1");
      for (std::size_t j = 0; j < k; ++j) {
        const std::string& b = tasks[correlation.tasks[j]].id;
        if (!(m[i][j] >= -1.0 && m[i][j] <= 1.0))
          reject(correlation.where, entry + "rho " + num(m[i][j]) + " between " + quoted(a) + " and " +
                                        quoted(b) + " is outside [-1, 1]");
        if (std::abs(m[i][j] - m[j][i]) > 1e-12)
          reject(correlation.where, entry + "not symmetric: " + num(m[i][j]) + " between " + quoted(a) +
                                        " and " + quoted(b) + " but " + num(m[j][i]) + " between " + quoted(b) +
                                        " and " + quoted(a));
      }
    }
  }
}

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
  correlated.assign(tasks.size(), false);
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
    // Positioned like an error ("FILE:LINE:COL: warning: ...") so editors pick it up too.
    std::string where;
    if (correlation.where.line > 0) {
      where = InputError::format(correlation.where, "");
      where.replace(where.rfind("error: "), 7, "warning: ");
    }
    spdlog::warn("{}repair '{}': the rank-correlation matrix is not positive semi-definite (smallest "
                 "eigenvalue {:.3g}); using the nearest valid correlation matrix (largest change {:.3g})",
                 where, name, smallest, change);
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
  for (std::size_t t : correlation.tasks) correlated[t] = true;
}

RepairProject::RepairProject(std::string name, std::vector<TaskSpec> tasks, std::vector<Link> links,
                             std::vector<BranchSpec> branches, std::vector<RiskSpec> risks,
                             std::vector<ResourceSpec> resources, CorrelationSpec correlation)
    : impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  p.name = std::move(name);
  p.tasks = std::move(tasks);
  p.links = std::move(links);
  p.branches = std::move(branches);
  p.risks = std::move(risks);
  p.resources = std::move(resources);
  p.correlation = std::move(correlation);
  p.validate();
  p.build_order();
  p.build_copula();
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
const CorrelationSpec& RepairProject::correlation() const noexcept { return impl_->correlation; }
bool RepairProject::uses_resources() const noexcept { return impl_->uses_resources; }

std::vector<std::string> RepairProject::task_ids() const {
  std::vector<std::string> ids;
  ids.reserve(impl_->tasks.size());
  for (const TaskSpec& t : impl_->tasks) ids.push_back(t.id);
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Draws and CPM passes

void RepairProject::Impl::draw(Rng& rng, const DrawMode& mode, RepairDraws& d) const {
  const std::size_t n = tasks.size();
  d.tasks.assign(n, RepairDraws::Task{});
  d.offset.resize(links.size());

  for (const BranchSpec& b : branches) {
    const std::size_t keep = mode.choose(b.probabilities, rng);
    for (std::size_t k = 0; k < b.alternatives.size(); ++k)
      if (k != keep) d.tasks[b.alternatives[k]].kept = false;
  }

  // Every task's duration is drawn, removed or not, so that a branch choice never shifts the draws
  // of other tasks (common random numbers across branches).
  const bool copula = !mode.deterministic && !correlation.empty();
  if (copula) {
    const std::size_t k = correlation.tasks.size();
    d.normals.resize(k);
    boost::random::normal_distribution<double> normal;
    for (double& z : d.normals) z = normal(rng);
    for (std::size_t i = 0; i < k; ++i) {
      double x = 0.0;
      for (std::size_t j = 0; j < k; ++j) x += copula_factor[i * k + j] * d.normals[j];
      const std::size_t t = correlation.tasks[i];
      d.tasks[t].sampled = tasks[t].duration.quantile(normal_cdf_open(x));
    }
  }
  for (std::size_t t = 0; t < n; ++t)
    if (!copula || !correlated[t]) d.tasks[t].sampled = mode.draw(tasks[t].duration, rng);

  for (std::size_t l = 0; l < links.size(); ++l)
    if (!links[l].lag_is_percent) d.offset[l] = mode.draw(links[l].lag, rng);

  for (RepairDraws::Task& t : d.tasks) t.duration = t.sampled;
  for (const RiskSpec& risk : risks) {
    if (!mode.happens(risk.probability, rng)) continue;
    for (const RiskSpec::Impact& impact : risk.impacts) {
      // Drawn even for a removed task, for the same reason as durations; it just has no effect.
      const double days = mode.draw(impact.days, rng);
      RepairDraws::Task& t = d.tasks[impact.task];
      if (t.kept) t.duration += days + impact.percent / 100.0 * (t.sampled + days);
    }
  }

  for (std::size_t l = 0; l < links.size(); ++l) {
    const Link& link = links[l];
    const double pred = d.tasks[link.pred].duration;
    const double lag = link.lag_is_percent ? link.lag_percent / 100.0 * pred : d.offset[l];
    switch (link.type) {
      case LinkType::kFinishToStart: d.offset[l] = pred + lag; break;
      case LinkType::kStartToStart: d.offset[l] = lag; break;
      case LinkType::kFinishToFinish: d.offset[l] = pred + lag - d.tasks[link.succ].duration; break;
    }
  }
}

double RepairProject::Impl::forward_pass(const RepairDraws& d, double t0, std::vector<TaskRecord>& records) const {
  records.assign(tasks.size(), TaskRecord{});
  double completion = t0;
  for (std::size_t i : order) {
    if (!d.tasks[i].kept) continue;
    double start = t0;
    for (std::size_t l : links_into(i))
      if (d.tasks[links[l].pred].kept) start = std::max(start, records[links[l].pred].start + d.offset[l]);
    const double duration = d.tasks[i].duration;
    records[i] = {start, start + duration, duration, false};
    completion = std::max(completion, start + duration);
  }
  return completion;
}

void RepairProject::Impl::mark_critical_by_float(const RepairDraws& d, double completion,
                                                 std::vector<TaskRecord>& records) const {
  std::vector<double> late_start(tasks.size());
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const std::size_t i = *it;
    if (!d.tasks[i].kept) continue;
    double late = completion - d.tasks[i].duration;
    for (std::size_t l : links_out_of(i))
      if (d.tasks[links[l].succ].kept) late = std::min(late, late_start[links[l].succ] - d.offset[l]);
    late_start[i] = late;
    records[i].critical = late - records[i].start <= kFloatTolerance;
  }
}

bool RepairProject::Impl::share_resource(std::size_t a, std::size_t b) const {
  for (const auto& need_a : tasks[a].resources)
    for (const auto& need_b : tasks[b].resources)
      if (need_a.first == need_b.first) return true;
  return false;
}

void RepairProject::trace_tasks(const RepairOutcome& outcome, const std::string& pad, TraceSink& trace) const {
  struct Entry {
    double time;
    int order;  // 0 finish, 1 start: a task that ends at t is reported before one that begins at t
    std::size_t task;
  };
  std::vector<Entry> entries;
  for (std::size_t t = 0; t < outcome.tasks.size(); ++t) {
    if (std::isnan(outcome.tasks[t].start)) continue;  // removed by a branch
    entries.push_back({outcome.tasks[t].finish, 0, t});
    entries.push_back({outcome.tasks[t].start, 1, t});
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.time, a.order, a.task) < std::tie(b.time, b.order, b.task);
  });
  for (const Entry& e : entries) {
    const TaskRecord& r = outcome.tasks[e.task];
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3f", r.duration);
    trace.event(e.time, e.order == 0 ? "task_finish" : "task_start", tasks()[e.task].id,
                "pad " + pad + ", duration " + duration + " days" + (r.critical ? ", critical" : ""));
  }
}

double RepairProject::evaluate(Rng& rng, const DrawMode& mode, RepairOutcome& out) const {
  RepairDraws draws;
  impl_->draw(rng, mode, draws);
  out.running.reset();
  out.start = 0.0;
  out.completion = impl_->forward_pass(draws, 0.0, out.tasks);
  return out.completion;
}

}  // namespace padsim::models
