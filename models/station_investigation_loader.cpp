// The [[investigation]] entries of a station scenario (docs/scenario.md "Investigations"): their shape
// and names here, their values in validate_investigations().
#include "station_investigation_loader.hpp"

#include <spdlog/spdlog.h>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "padsim/error.hpp"
#include "padsim/format.hpp"
#include "scenario_sections.hpp"

namespace padsim::models::detail {

namespace {

// Resolves each name of the array at `node` among `ids`, or fails at the name listing the known ones.
template <class T>
std::vector<std::size_t> names(const TomlContext& ctx, const toml::node& node, const std::string& entry,
                               const char* what, const std::vector<T>& known) {
  std::vector<std::size_t> out;
  for (auto&& item : ctx.array(node, entry)) {
    const std::string id = ctx.string(item, entry);
    std::size_t i = 0;
    while (i < known.size() && known[i].id != id) ++i;
    if (i == known.size()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k.id;
      ctx.fail_unknown(item, entry, id, std::string("unknown ") + what + " '" + id + "'" +
                                            (list.empty() ? " (none is defined)" : " (known: " + list + ")"));
    }
    out.push_back(i);
  }
  return out;
}


}  // namespace

void parse_investigations(const toml::table& root, const TomlContext& ctx, const ScenarioSpec& scenario,
                          StationSpec& s) {
  const toml::node* node = root.get("investigation");
  if (!node) return;
  const toml::array& list = ctx.array(*node, "[[investigation]]");
  for (std::size_t k = 0; k < list.size(); ++k) {
    ctx.attempt([&] {
      const std::string fallback = "investigation #" + std::to_string(k + 1);
      const toml::table& t = ctx.table(*list.get(k), fallback);
      const toml::node* id = t.get("id");
      if (!id) ctx.fail(t, fallback, "missing key 'id'");
      InvestigationSpec v;
      v.id = ctx.string(*id, fallback + ".id");
      const std::string e = "investigation '" + v.id + "'";
      for (const auto& other : s.investigations)
        if (other.id == v.id) ctx.fail(*id, e, "duplicate id '" + v.id + "' (ids in investigation must be unique)");
      ctx.check_keys(t, e, {"id", "enabled", "opened_by", "grounds", "grounds_pads", "length", "repair",
                            "first_launch_uncrewed", "max_wait", "crewed_gate"});
      s.sources.at.emplace(e, ctx.at(t));
      for (auto&& [key, value] : t) s.sources.at.emplace(e + "." + std::string(key.str()), ctx.at(value));
      v.enabled = ctx.boolean(t, e, "enabled", true);
      v.opened_by = names(ctx, ctx.require(t, e, "opened_by"), e + ".opened_by", "launcher", s.launchers);
      const toml::node* grounds = t.get("grounds");
      v.grounds = grounds ? names(ctx, *grounds, e + ".grounds", "launcher", s.launchers) : v.opened_by;
      if (const toml::node* n = t.get("grounds_pads")) v.grounds_pads = names(ctx, *n, e + ".grounds_pads", "pad", s.pads);
      const toml::node* length = t.get("length");
      const toml::node* repair = t.get("repair");
      if (length && repair) ctx.fail(*repair, e, "give either 'length' (days) or 'repair' (a task graph), not both");
      if (!length && !repair) ctx.fail(t, e, "missing key 'length' (days) or 'repair' (a [repair.ID] task graph)");
      if (length) v.length = ctx.duration(*length, e + ".length");
      if (repair) {
        v.repair.id = ctx.string(*repair, e + ".repair");
        const RepairEntry* r = scenario.find_repair(v.repair.id);
        if (!r && !ctx.failed(v.repair.id)) {
          std::string known;
          for (const RepairEntry& x : scenario.repairs) known += (known.empty() ? "" : ", ") + x.id;
          ctx.fail(*repair, e + ".repair",
                   "unknown repair project '" + v.repair.id + "' (" +
                       (known.empty() ? std::string("the file has no [repair.ID] table") : "defined: " + known) + ")");
        }
        if (r) v.repair.project = r->project;  // else the project's errors stop the loading (as for a pad)
      }
      parse_return_to_flight(ctx, t, e, v.return_to_flight);
      if (const toml::node* n = t.get("max_wait"); n && !v.return_to_flight.first_launch_uncrewed)
        ctx.fail(*n, e + ".max_wait", "applies only with first_launch_uncrewed = true");
      // The investigation replaces the stand-down of the families that open it (a disabled one does not).
      if (v.enabled)
        for (std::size_t l : v.opened_by) {
          const std::string le = "launcher '" + s.launchers[l].id + "'";
          if (auto at = s.sources.at.find(le + ".stand_down"); at != s.sources.at.end())
            spdlog::warn("{}", positioned_message(at->second, "warning",
                                                  le + ".stand_down: unused, investigation '" + v.id +
                                                      "' replaces it"));
        }
      s.investigations.push_back(std::move(v));
    }, id_or_empty(*list.get(k)));
  }
}

namespace {

class InvestigationChecker {
 public:
  explicit InvestigationChecker(const StationSpec& s) : s_(s) {}

  [[noreturn]] void fail(const std::string& entry, std::string_view key, const std::string& message) const {
    const std::string text = (key.empty() ? entry : entry + "." + std::string(key)) + ": " + message;
    if (auto where = s_.sources.find(entry, key)) throw InputError(*where, text);
    throw ParameterError(text);
  }

  void run() const {
    std::vector<std::size_t> opener(s_.launchers.size(), s_.investigations.size());
    for (std::size_t i = 0; i < s_.investigations.size(); ++i) {
      const InvestigationSpec& v = s_.investigations[i];
      const std::string e = "investigation '" + v.id + "'";
      for (std::size_t j = 0; j < i; ++j)
        if (s_.investigations[j].id == v.id) fail(e, "id", "duplicate id '" + v.id + "'");
      if (v.opened_by.empty()) fail(e, "opened_by", "lists no launcher family (it would never open)");
      for (std::size_t l : v.opened_by) {
        index(l, s_.launchers.size(), e, "opened_by", "launcher");
        if (opener[l] < i)
          fail(e, "opened_by", "launcher '" + s_.launchers[l].id + "' already opens investigation '" +
                                   s_.investigations[opener[l]].id + "' (a family opens at most one)");
        opener[l] = i;
      }
      for (std::size_t l : v.grounds) index(l, s_.launchers.size(), e, "grounds", "launcher");
      for (std::size_t p : v.grounds_pads) index(p, s_.pads.size(), e, "grounds_pads", "pad");
      if (v.grounds.empty() && v.grounds_pads.empty()) fail(e, "grounds", "grounds no family and no pad");
      if (!v.repair && v.length.lower() < 0.0)
        fail(e, "length", v.length.describe() + " can be negative; a duration must not be");
      const ReturnToFlightSpec& r = v.return_to_flight;
      if (r.crewed_gate.lower() < 0.0)
        fail(e, "crewed_gate", r.crewed_gate.describe() + " can be negative; a duration must not be");
      if (!(r.max_wait >= 0.0)) fail(e, "max_wait", "must not be negative, found " + format_number(r.max_wait));
      if (!std::isinf(r.max_wait) && !r.first_launch_uncrewed)
        fail(e, "max_wait", "applies only with first_launch_uncrewed = true");
    }
  }

 private:
  void index(std::size_t i, std::size_t n, const std::string& entry, std::string_view key, const char* what) const {
    if (i >= n)
      fail(entry, key, std::string("unknown ") + what + " index " + std::to_string(i) + " (there are " +
                           std::to_string(n) + ")");
  }

  const StationSpec& s_;
};

}  // namespace

void validate_investigations(const StationSpec& s) { InvestigationChecker(s).run(); }

}  // namespace padsim::models::detail
