// `[repair.ID]` tables of a scenario file (docs/scenario.md) -> RepairProject.
//
// The loader resolves names (tasks, resources) and shapes, which need the file's positions; the
// RepairProject constructor checks the numbers and the graph (probabilities, capacities, cycles)
// and reports the offending entry's position, which is turned into `FILE:LINE:COL: error: ...`
// here. So every rule lives in one place and programmatic graphs get the same checks.
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "repair_calendar_loader.hpp"
#include "repair_status_loader.hpp"
#include "scenario_sections.hpp"

namespace padsim::models::detail {

namespace {

/// A link written as a string: "R3", "R3 FS+2", "R4 SS+7", "R4 FF", "R6 SS+50%", "R2 FS-3".
struct ShortLink {
  std::string task;
  LinkType type = LinkType::kFinishToStart;
  double lag = 0.0;
  bool percent = false;
};

std::optional<LinkType> link_type(std::string_view text) {
  if (text == "FS") return LinkType::kFinishToStart;
  if (text == "SS") return LinkType::kStartToStart;
  if (text == "FF") return LinkType::kFinishToFinish;
  return std::nullopt;
}

std::optional<ShortLink> parse_short_link(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  std::size_t end = 0;
  while (end < text.size() && !space(text[end])) ++end;
  ShortLink link;
  link.task = std::string(text.substr(0, end));
  if (link.task.empty()) return std::nullopt;
  std::string rest;  // "SS+50%", with any spaces dropped ("SS + 50 %" reads the same)
  for (char c : text.substr(end))
    if (!space(c)) rest += c;
  if (rest.empty()) return link;
  const auto type = link_type(std::string_view(rest).substr(0, 2));
  if (!type) return std::nullopt;
  link.type = *type;
  std::string_view lag = std::string_view(rest).substr(2);
  if (lag.empty()) return link;
  if (lag.front() != '+' && lag.front() != '-') return std::nullopt;
  const double sign = lag.front() == '-' ? -1.0 : 1.0;
  lag.remove_prefix(1);
  if (!lag.empty() && lag.back() == '%') {
    link.percent = true;
    lag.remove_suffix(1);
  }
  // from_chars would take a second sign: "SS+-2" is a typo, not a lag of -2.
  if (lag.empty() || !(std::isdigit(static_cast<unsigned char>(lag.front())) || lag.front() == '.'))
    return std::nullopt;
  double value = 0.0;
  const auto [ptr, error] = std::from_chars(lag.data(), lag.data() + lag.size(), value);
  if (lag.empty() || error != std::errc() || ptr != lag.data() + lag.size() || !std::isfinite(value))
    return std::nullopt;
  link.lag = sign * value;
  return link;
}

class RepairLoader {
 public:
  RepairLoader(const TomlContext& ctx, std::string id, const toml::node& node, double epoch_seconds)
      : ctx_(ctx), id_(std::move(id)), entry_("repair." + id_), node_(node), table_(ctx.table(node, entry_)),
        epoch_seconds_(epoch_seconds), calendars_(ctx, table_, entry_, epoch_seconds) {}

  // Each task, branch, risk and resource is read on its own (TomlContext::attempt), so that all
  // their errors are reported; the graph is checked (RepairProject) only when every one loaded.
  RepairEntry load() {
    const std::size_t errors_before = ctx_.error_count();
    ctx_.attempt([&] {
      ctx_.check_keys(table_, entry_, {"name", "resources", "task", "branch", "risk", "correlation", "status", "scale",
                                       "calendar", "weather", "default_calendar", "lag_calendar"});
    });
    double scale = 1.0;
    if (const toml::node* s = table_.get("scale")) {
      ctx_.attempt([&] {
        scale = ctx_.number(*s, entry_ + ".scale");
        if (!(scale > 0.0) || !std::isfinite(scale))
          ctx_.fail(*s, entry_ + ".scale", "must be a positive number, found " + format_number(scale));
      });
    }
    read_resources();
    calendars_.read_definitions();
    read_tasks();
    RepairCalendars calendars = calendars_.finish(tasks_.size());
    ctx_.attempt([&] { read_branches(); });
    ctx_.attempt([&] { read_risks(); });
    ctx_.attempt([&] { read_correlation(); });
    std::optional<RepairStatus> status;
    if (const toml::node* s = table_.get("status"))
      ctx_.attempt([&] {
        status = read_repair_status(ctx_, *s, entry_ + ".status", epoch_seconds_, task_index_, tasks_, branches_, risks_);
      });
    ctx_.stop_if_errors_since(errors_before, node_);
    try {
      // Copies (distributions share their parameters, so they are cheap): the specs stay here to
      // locate a reported cycle.
      auto project = std::make_shared<RepairProject>(id_, tasks_, links_, branches_, risks_, resources_,
                                                     correlation_, std::move(status));
      project->set_duration_scale(scale);
      if (!calendars.calendars.empty() || !calendars.weather.empty()) project->set_calendars(std::move(calendars));
      return {id_, std::move(project), ctx_.at(node_)};
    } catch (const RepairSpecError& e) {
      throw InputError(e.where().line > 0 ? e.where() : ctx_.at(node_), entry_ + ": " + e.what());
    } catch (const GraphError& e) {
      throw InputError(closing_link_position(e.cycle()), entry_ + ": " + e.what());
    }
  }

 private:
  void read_resources() {
    const toml::node* node = table_.get("resources");
    if (!node) return;
    const std::string entry = entry_ + ".resources";
    for (auto&& [key, entry_value] : ctx_.table(*node, entry)) {
      const std::string name(key.str());
      const toml::node& value = entry_value;  // a lambda cannot capture a structured binding in clang 14
      ctx_.attempt([&] {
        const int capacity = ctx_.integer(value, entry + "." + name);
        resource_index_[name] = resources_.size();
        resources_.push_back({name, capacity, ctx_.at(value)});
      }, name);
    }
  }

  void read_tasks() {
    const toml::node* node = table_.get("task");
    if (!node) ctx_.fail(node_, entry_, "has no tasks: add [[" + entry_ + ".task]] entries");
    const toml::array* list = node->as_array();
    if (!list || !list->is_array_of_tables() || list->empty())
      ctx_.fail(*node, entry_ + ".task", "expected an array of tables: write each task as [[" + entry_ + ".task]]");
    // Ids first, so that links may name tasks defined further down the file.
    std::vector<const toml::table*> rows;  // the entry of each task of tasks_
    for (std::size_t i = 0; i < list->size(); ++i) {
      const toml::table& t = *list->get(i)->as_table();
      ctx_.attempt([&] {
        const std::string indexed = entry_ + ".task[" + std::to_string(i + 1) + "]";
        ctx_.check_keys(t, indexed, {"id", "name", "duration", "after", "links", "resources", "calendar", "unit"});
        TaskSpec task;
        task.id = ctx_.string(t, indexed, "id");
        const toml::node& id_node = *t.get("id");
        task.where = ctx_.at(id_node);
        if (task.id.empty()) ctx_.fail(id_node, indexed + ".id", "a task id must not be empty");
        if (auto [it, fresh] = task_index_.emplace(task.id, tasks_.size()); !fresh)
          ctx_.fail(id_node, task_entry(task.id) + ".id",
                    "task '" + task.id + "' is defined twice (first at line " +
                        std::to_string(tasks_[it->second].where.line) + ")");
        tasks_.push_back(std::move(task));
        rows.push_back(&t);
      }, id_or_empty(t));
    }
    for (std::size_t i = 0; i < tasks_.size(); ++i) {
      const toml::table& t = *rows[i];
      TaskSpec& task = tasks_[i];
      ctx_.attempt([&] {
        const std::string entry = task_entry(task.id);
        task.name = ctx_.optional_string(t, entry, "name").value_or("");
        task.duration = ctx_.duration(ctx_.require(t, entry, "duration"), entry + ".duration");
        if (const toml::node* after = t.get("after")) read_after(i, *after, entry + ".after");
        if (const toml::node* links = t.get("links")) read_links(i, *links, entry + ".links");
        if (const toml::node* needs = t.get("resources")) read_needs(task, *needs, entry + ".resources");
        calendars_.read_task(t, entry, i);
      });
    }
  }

  void read_after(std::size_t succ, const toml::node& node, const std::string& entry) {
    for (auto&& item : ctx_.array(node, entry)) {
      const std::string text = ctx_.string(item, entry);
      const auto parsed = parse_short_link(text);
      if (!parsed)
        ctx_.fail(item, entry, "cannot read link \"" + text + "\": expected \"TASK\", \"TASK FS\", \"TASK SS+7\", "
                               "\"TASK FF-2\" or \"TASK SS+50%\"");
      if (std::abs(parsed->lag) > kMaxMagnitude)
        ctx_.fail(item, entry, "link \"" + text + "\": its lag " + out_of_range(format_number(parsed->lag)));
      Link link;
      link.pred = task_index(item, parsed->task, entry);
      link.succ = succ;
      link.type = parsed->type;
      if (parsed->percent) {
        link.lag_is_percent = true;
        link.lag_percent = parsed->lag;
      } else {
        // Most links have no lag: the default Distribution is a shared fixed zero, no allocation.
        if (parsed->lag != 0.0) link.lag = Distribution(DistributionSpec::fixed(parsed->lag));
      }
      link.where = ctx_.at(item);
      links_.push_back(std::move(link));
    }
  }

  void read_links(std::size_t succ, const toml::node& node, const std::string& entry) {
    for (auto&& item : ctx_.array(node, entry)) {
      const toml::table& t = ctx_.table(item, entry);
      ctx_.check_keys(t, entry, {"task", "type", "lag", "lag_percent"});
      Link link;
      link.succ = succ;
      link.pred = task_index(ctx_.require(t, entry, "task"), ctx_.string(t, entry, "task"), entry + ".task");
      if (const toml::node* type = t.get("type")) {
        const std::string text = ctx_.string(*type, entry + ".type");
        const auto parsed = link_type(text);
        if (!parsed) ctx_.fail(*type, entry + ".type", "unknown link type '" + text + "' (expected FS, SS or FF)");
        link.type = *parsed;
      }
      const toml::node* lag = t.get("lag");
      const toml::node* percent = t.get("lag_percent");
      if (lag && percent) ctx_.fail(*percent, entry, "give 'lag' (days) or 'lag_percent', not both");
      if (lag) link.lag = ctx_.distribution(*lag, entry + ".lag");  // a lag may be negative
      if (percent) {
        link.lag_is_percent = true;
        link.lag_percent = ctx_.number(*percent, entry + ".lag_percent");
      }
      link.where = ctx_.at(item);
      links_.push_back(std::move(link));
    }
  }

  void read_needs(TaskSpec& task, const toml::node& node, const std::string& entry) {
    for (auto&& [key, value] : ctx_.table(node, entry)) {
      const std::string name(key.str());
      const auto it = resource_index_.find(name);
      if (it == resource_index_.end()) {
        std::string known;
        for (const ResourceSpec& r : resources_) known += (known.empty() ? "" : ", ") + r.id;
        ctx_.fail_unknown(value, entry, name, "unknown resource '" + name + "' (" +
                                    (known.empty() ? "the project declares no resources" : "declared: " + known) + ")");
      }
      task.resources.emplace_back(it->second, ctx_.integer(value, entry + "." + name));
    }
  }

  void read_branches() {
    const toml::node* node = table_.get("branch");
    if (!node) return;
    const std::string list_entry = entry_ + ".branch";
    const toml::array* list = node->as_array();
    if (!list || !list->is_array_of_tables())
      ctx_.fail(*node, list_entry, "expected an array of tables: write each branch as [[" + list_entry + "]]");
    std::map<std::size_t, std::string> branch_of;  // alternative -> its branch, to catch overlaps here
    for (auto&& item : *list) ctx_.attempt([&] { read_branch(*item.as_table(), list_entry, branch_of); }, id_or_empty(item));
  }

  void read_branch(const toml::table& t, const std::string& list_entry, std::map<std::size_t, std::string>& branch_of) {
    ctx_.check_keys(t, list_entry, {"id", "after", "alternatives", "probabilities"});
    BranchSpec b;
    b.id = ctx_.string(t, list_entry, "id");
    const std::string entry = list_entry + "[" + b.id + "]";
    b.after = task_index(ctx_.require(t, entry, "after"), ctx_.string(t, entry, "after"), entry + ".after");
    for (auto&& alt : ctx_.array(ctx_.require(t, entry, "alternatives"), entry + ".alternatives")) {
      const std::string name = ctx_.string(alt, entry + ".alternatives");
      const std::size_t index = task_index(alt, name, entry + ".alternatives");
      if (auto [it, fresh] = branch_of.emplace(index, b.id); !fresh)
        ctx_.fail(alt, entry + ".alternatives",
                  it->second == b.id ? "'" + name + "' is listed twice"
                                     : "'" + name + "' is already an alternative of branch '" + it->second + "'");
      b.alternatives.push_back(index);
    }
    const toml::node& probabilities = ctx_.require(t, entry, "probabilities");
    for (auto&& p : ctx_.array(probabilities, entry + ".probabilities"))
      b.probabilities.push_back(ctx_.number(p, entry + ".probabilities"));
    b.where = ctx_.at(probabilities);
    branches_.push_back(std::move(b));
  }

  void read_risks() {
    const toml::node* node = table_.get("risk");
    if (!node) return;
    const std::string list_entry = entry_ + ".risk";
    const toml::array* list = node->as_array();
    if (!list || !list->is_array_of_tables())
      ctx_.fail(*node, list_entry, "expected an array of tables: write each risk as [[" + list_entry + "]]");
    for (auto&& item : *list) ctx_.attempt([&] { read_risk(*item.as_table(), list_entry); }, id_or_empty(item));
  }

  void read_risk(const toml::table& t, const std::string& list_entry) {
    ctx_.check_keys(t, list_entry, {"id", "name", "probability", "impacts"});
    RiskSpec risk;
    risk.id = ctx_.string(t, list_entry, "id");
    const std::string entry = list_entry + "[" + risk.id + "]";
    const toml::node& probability = ctx_.require(t, entry, "probability");
    risk.probability = ctx_.number(probability, entry + ".probability");
    risk.where = ctx_.at(probability);
    const toml::array& impacts = ctx_.array(ctx_.require(t, entry, "impacts"), entry + ".impacts");
    for (auto&& impact_node : impacts) {
      const std::string impact_entry = entry + ".impacts";
      const toml::table& it = ctx_.table(impact_node, impact_entry);
      ctx_.check_keys(it, impact_entry, {"task", "days", "percent"});
      RiskSpec::Impact impact;
      impact.task = task_index(ctx_.require(it, impact_entry, "task"), ctx_.string(it, impact_entry, "task"),
                               impact_entry + ".task");
      const toml::node* days = it.get("days");
      const toml::node* percent = it.get("percent");
      if (!days && !percent) ctx_.fail(impact_node, impact_entry, "an impact needs 'days', 'percent' or both");
      if (days) impact.days = ctx_.duration(*days, impact_entry + ".days");
      if (percent) impact.percent = ctx_.number(*percent, impact_entry + ".percent");
      impact.where = ctx_.at(impact_node);
      risk.impacts.push_back(std::move(impact));
    }
    risks_.push_back(std::move(risk));
  }

  void read_correlation() {
    const toml::node* node = table_.get("correlation");
    if (!node) return;
    const std::string entry = entry_ + ".correlation";
    const toml::table& t = ctx_.table(*node, entry);
    ctx_.check_keys(t, entry, {"tasks", "matrix", "groups"});
    const toml::node* tasks = t.get("tasks");
    const toml::node* matrix = t.get("matrix");
    const toml::node* groups = t.get("groups");
    if (groups && (tasks || matrix))
      ctx_.fail(*groups, entry, "give either 'tasks' and 'matrix', or 'groups', not both");
    if (groups) return read_groups(*groups, entry + ".groups");
    if (!tasks || !matrix) ctx_.fail(*node, entry, "needs 'tasks' and 'matrix', or 'groups'");

    correlation_.tasks = task_list(*tasks, entry + ".tasks");
    const std::size_t n = correlation_.tasks.size();
    const std::string matrix_entry = entry + ".matrix";
    const toml::array& rows = ctx_.array(*matrix, matrix_entry);
    const std::string shape = "; it must be " + std::to_string(n) + " x " + std::to_string(n) + " for the " +
                              std::to_string(n) + " tasks listed";
    if (rows.size() != n)
      ctx_.fail(*matrix, matrix_entry, "the matrix has " + std::to_string(rows.size()) + " rows" + shape);
    for (std::size_t i = 0; i < n; ++i) {
      const toml::array& row = ctx_.array(*rows.get(i), matrix_entry);
      if (row.size() != n)
        ctx_.fail(row, matrix_entry, "row " + std::to_string(i + 1) + " has " + std::to_string(row.size()) +
                                         " values" + shape);
      std::vector<double> values;
      for (auto&& v : row) values.push_back(ctx_.number(v, matrix_entry));
      correlation_.matrix.push_back(std::move(values));
    }
    correlation_.where = ctx_.at(*matrix);
  }

  // Groups become one matrix over the union of their tasks: rho within a group, 0 across groups.
  void read_groups(const toml::node& node, const std::string& entry) {
    std::vector<double> group_rho;
    std::vector<std::size_t> group_of;
    for (auto&& item : ctx_.array(node, entry)) {
      const toml::table& g = ctx_.table(item, entry);
      ctx_.check_keys(g, entry, {"tasks", "rho"});
      const toml::node& tasks = ctx_.require(g, entry, "tasks");
      const double rho = ctx_.number(g, entry, "rho");
      for (std::size_t t : task_list(tasks, entry + ".tasks")) {
        for (std::size_t existing : correlation_.tasks)
          if (existing == t)
            ctx_.fail(tasks, entry + ".tasks", "'" + tasks_[t].id + "' is already in another group");
        correlation_.tasks.push_back(t);
        group_of.push_back(group_rho.size());
      }
      group_rho.push_back(rho);
    }
    const std::size_t n = correlation_.tasks.size();
    correlation_.matrix.assign(n, std::vector<double>(n, 0.0));
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        correlation_.matrix[i][j] = i == j ? 1.0 : group_of[i] == group_of[j] ? group_rho[group_of[i]] : 0.0;
    correlation_.where = ctx_.at(node);
  }

  std::vector<std::size_t> task_list(const toml::node& node, const std::string& entry) const {
    std::vector<std::size_t> out;
    for (auto&& item : ctx_.array(node, entry)) {
      const std::size_t t = task_index(item, ctx_.string(item, entry), entry);
      for (std::size_t existing : out)
        if (existing == t) ctx_.fail(item, entry, "'" + tasks_[t].id + "' is listed twice");
      out.push_back(t);
    }
    return out;
  }

  std::size_t task_index(const toml::node& where, const std::string& name, const std::string& entry) const {
    const auto it = task_index_.find(name);
    if (it == task_index_.end()) ctx_.fail_unknown(where, entry, name, "unknown task '" + name + "'");
    return it->second;
  }

  std::string task_entry(const std::string& id) const { return entry_ + ".task[" + id + "]"; }

  // The link that closes a reported cycle (from its last task back to its first), written in the
  // first task's entry: the place to look.
  SourcePosition closing_link_position(const std::vector<std::string>& cycle) const {
    if (!cycle.empty()) {
      const std::size_t first = task_index_.at(cycle.front()), last = task_index_.at(cycle.back());
      for (const Link& l : links_)
        if (l.pred == last && l.succ == first) return l.where;
      return tasks_[first].where;
    }
    return ctx_.at(node_);
  }

  const TomlContext& ctx_;
  std::string id_;
  std::string entry_;
  const toml::node& node_;
  const toml::table& table_;
  double epoch_seconds_;
  std::map<std::string, std::size_t> task_index_;
  std::map<std::string, std::size_t> resource_index_;
  std::vector<TaskSpec> tasks_;
  std::vector<Link> links_;
  std::vector<BranchSpec> branches_;
  std::vector<RiskSpec> risks_;
  std::vector<ResourceSpec> resources_;
  CorrelationSpec correlation_;
  RepairCalendarReader calendars_;
};

}  // namespace

void parse_repairs(const TomlContext& ctx, const toml::node& node, ScenarioSpec& spec) {
  for (auto&& [key, entry_value] : ctx.table(node, "repair")) {
    // A failed project's id is marked, so that a pad naming it does not report it unknown.
    const std::string id(key.str());
    const toml::node& value = entry_value;  // a lambda cannot capture a structured binding in clang 14
    ctx.attempt([&] { spec.repairs.push_back(RepairLoader(ctx, id, value, spec.scenario.epoch_seconds).load()); }, id);
  }
}

}  // namespace padsim::models::detail
