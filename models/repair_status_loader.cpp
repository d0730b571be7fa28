#include "repair_status_loader.hpp"

#include <algorithm>

namespace padsim::models::detail {

namespace {

const toml::array* tables(const TomlContext& ctx, const toml::table& t, const std::string& entry, const char* key) {
  const toml::node* node = t.get(key);
  if (!node) return nullptr;
  const toml::array* list = node->as_array();
  if (!list || !list->is_array_of_tables())
    ctx.fail(*node, entry + "." + key, std::string("expected an array of tables: write [[") + entry + "." + key + "]]");
  return list;
}

/// Index of the entry whose id is `id` (entries.size() when none).
template <class Entry>
std::size_t index_by_id(const std::vector<Entry>& entries, const std::string& id) {
  std::size_t k = 0;
  while (k < entries.size() && entries[k].id != id) ++k;
  return k;
}

}  // namespace

RepairStatus read_repair_status(const TomlContext& ctx, const toml::node& node, const std::string& entry,
                                double epoch_seconds, const std::map<std::string, std::size_t>& task_index,
                                const std::vector<TaskSpec>& tasks, const std::vector<BranchSpec>& branches,
                                const std::vector<RiskSpec>& risks) {
  const toml::table& t = ctx.table(node, entry);
  ctx.check_keys(t, entry, {"date", "task", "branch", "risk"});
  RepairStatus status;
  status.where = ctx.at(node);
  status.date = ctx.days_since(ctx.require(t, entry, "date"), entry + ".date", epoch_seconds);

  if (const toml::array* list = tables(ctx, t, entry, "task")) {
    for (auto&& item : *list) {
      const toml::table& a = *item.as_table();
      const std::string id = ctx.string(a, entry + ".task", "id");
      const std::string e = entry + ".task[" + id + "]";
      ctx.check_keys(a, e, {"id", "start", "finish", "remaining"});
      const auto it = task_index.find(id);
      if (it == task_index.end()) ctx.fail_unknown(*a.get("id"), e, id, "unknown task '" + id + "'");
      RepairStatus::Task task;
      task.task = it->second;
      task.where = ctx.at(*a.get("id"));  // the entry's id line: an array element has no header position
      if (const toml::node* s = a.get("start")) task.start = ctx.days_since(*s, e + ".start", epoch_seconds);
      if (const toml::node* f = a.get("finish")) task.finish = ctx.days_since(*f, e + ".finish", epoch_seconds);
      if (const toml::node* r = a.get("remaining")) task.remaining = ctx.duration(*r, e + ".remaining");
      status.tasks.push_back(std::move(task));
    }
  }
  if (const toml::array* list = tables(ctx, t, entry, "branch")) {
    for (auto&& item : *list) {
      const toml::table& b = *item.as_table();
      const std::string id = ctx.string(b, entry + ".branch", "id");
      const std::string e = entry + ".branch[" + id + "]";
      ctx.check_keys(b, e, {"id", "kept"});
      const std::size_t k = index_by_id(branches, id);
      if (k == branches.size()) ctx.fail_unknown(*b.get("id"), e, id, "unknown branch '" + id + "'");
      const std::string kept = ctx.string(b, e, "kept");
      const auto& alternatives = branches[k].alternatives;
      const auto alt = static_cast<std::size_t>(
          std::find_if(alternatives.begin(), alternatives.end(), [&](std::size_t a) { return tasks[a].id == kept; }) -
          alternatives.begin());
      if (alt == alternatives.size())
        ctx.fail(*b.get("kept"), e, "'" + kept + "' is not one of the branch's alternatives");
      status.branches.push_back({k, alt, ctx.at(*b.get("id"))});
    }
  }
  if (const toml::array* list = tables(ctx, t, entry, "risk")) {
    for (auto&& item : *list) {
      const toml::table& r = *item.as_table();
      const std::string id = ctx.string(r, entry + ".risk", "id");
      const std::string e = entry + ".risk[" + id + "]";
      ctx.check_keys(r, e, {"id", "occurred"});
      const std::size_t k = index_by_id(risks, id);
      if (k == risks.size()) ctx.fail_unknown(*r.get("id"), e, id, "unknown risk '" + id + "'");
      if (!r.get("occurred")) ctx.fail(item, e, "missing key 'occurred' (true or false)");
      status.risks.push_back({k, ctx.boolean(r, e, "occurred", false), ctx.at(*r.get("id"))});
    }
  }
  return status;
}

}  // namespace padsim::models::detail
