#include "toml_util.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <limits>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "padsim/calendar.hpp"
#include "padsim/distribution_text.hpp"
#include "overrides.hpp"

namespace padsim::models::detail {

namespace {

const char* type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

/// Why `d` could make simulated time or mass overflow, or "" when it cannot: a parameter, its
/// mean, its standard deviation or a quantile bounding its draws beyond kMaxMagnitude. The
/// quantiles at 1e-12 and 1 - 1e-12 stand for an unbounded support: beyond them a draw is so rare
/// that it never happens in a run, and even the furthest draw the generator can make stays finite.
std::string scale_problem(const Distribution& d) {
  const auto beyond = [](double x) { return !(std::abs(x) <= kMaxMagnitude); };  // NaN too
  const std::string kind = to_string(d.kind());
  for (const auto& [name, value] : d.spec().params)
    if (beyond(value)) return kind + ": " + out_of_range(name + " " + format_number(value));
  for (const double value : d.spec().values)
    if (beyond(value)) return kind + ": " + out_of_range("value " + format_number(value));
  constexpr double kTail = 1e-12;
  const auto bound = [&](double support, double p) {
    if (std::isfinite(support)) return support;
    try {
      return d.quantile(p);
    } catch (const std::exception&) {  // Boost.Math reports an overflowing quantile by throwing
      return support;
    }
  };
  const double lo = bound(d.lower(), kTail), hi = bound(d.upper(), 1.0 - kTail);
  if (beyond(lo))
    return d.describe() + ": " + out_of_range((std::isfinite(d.lower()) ? "its minimum " : "its 1e-12 quantile ") +
                                              format_number(lo));
  if (beyond(hi))
    return d.describe() + ": " +
           out_of_range((std::isfinite(d.upper()) ? "its maximum " : "its 1 - 1e-12 quantile ") + format_number(hi));
  if (beyond(d.mean())) return d.describe() + ": " + out_of_range("its mean " + format_number(d.mean()));
  const double sd = std::sqrt(d.variance());
  if (beyond(sd)) return d.describe() + ": " + out_of_range("its standard deviation " + format_number(sd));
  return "";
}

}  // namespace

std::string out_of_range(const std::string& what) {
  static_assert(kMaxMagnitude == 1e9, "the message spells the bound");
  return what + " is outside [-1e9, 1e9], the range of scenario numbers";
}

SourcePosition TomlContext::at(const toml::source_region& region) const {
  // A value put into the document by `--set PATH=VALUE` names that argument: its line and column
  // are in the argument, not in the file.
  if (region.path && region.path->starts_with(kOverrideSourcePrefix)) return {*region.path, 0, 0};
  return {file_, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

SourcePosition TomlContext::at(const toml::node& node) const { return at(node.source()); }

void TomlContext::fail(const toml::node& node, std::string_view entry, const std::string& message) const {
  throw InputError(at(node), entry.empty() ? message : std::string(entry) + ": " + message);
}

void TomlContext::record(const InputError& error) const {
  problems_.insert(problems_.end(), error.problems().begin(), error.problems().end());
}

void throw_in_file_order(std::vector<InputProblem> problems) {
  const auto key = [](const InputProblem& p) {
    return std::tuple(p.where.line <= 0, p.where.line, p.where.column);
  };
  std::stable_sort(problems.begin(), problems.end(),
                   [&](const InputProblem& a, const InputProblem& b) { return key(a) < key(b); });
  throw InputError(std::move(problems));
}

void TomlContext::throw_errors() const {
  if (!problems_.empty()) throw_in_file_order(problems_);
}

void TomlContext::stop_if_errors_since(std::size_t count, const toml::node& node) const {
  if (problems_.size() > count) throw FollowOnError(at(node), "stopped after the errors above");
}

void TomlContext::fail_unknown(const toml::node& node, std::string_view entry, const std::string& name,
                               const std::string& message) const {
  const std::string text = entry.empty() ? message : std::string(entry) + ": " + message;
  if (failed(name)) throw FollowOnError(at(node), text);
  throw InputError(at(node), text);
}

std::string id_or_empty(const toml::node& entry, std::string_view key) {
  const toml::table* t = entry.as_table();
  const toml::node* id = t ? t->get(key) : nullptr;
  return id && id->is_string() ? id->value<std::string>().value_or("") : "";
}

void TomlContext::check_keys(const toml::table& table, std::string_view entry,
                             std::initializer_list<std::string_view> allowed) const {
  for (auto&& [key, value] : table) {
    bool known = false;
    for (auto a : allowed) known = known || key.str() == a;
    if (known) continue;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    throw InputError(at(key.source().begin.line > 0 ? key.source() : value.source()),
                     std::string(entry) + ": unknown key '" + std::string(key.str()) + "' (expected one of: " +
                         list + ")");
  }
}

const toml::node& TomlContext::require(const toml::table& table, std::string_view entry,
                                       std::string_view key) const {
  const toml::node* node = table.get(key);
  if (!node) fail(table, entry, "missing key '" + std::string(key) + "'");
  return *node;
}

double TomlContext::number(const toml::node& node, std::string_view entry) const {
  if (auto v = node.value<double>(); v && (node.is_integer() || node.is_floating_point())) {
    if (!std::isfinite(*v)) fail(node, entry, "expected a finite number, found " + format_number(*v));
    if (std::abs(*v) > kMaxMagnitude) fail(node, entry, out_of_range(format_number(*v)));
    return *v;
  }
  fail(node, entry, std::string("expected a number, found ") + type_name(node.type()));
}

double TomlContext::number(const toml::table& table, std::string_view entry, std::string_view key) const {
  return number(require(table, entry, key), std::string(entry) + "." + std::string(key));
}

std::optional<double> TomlContext::optional_number(const toml::table& table, std::string_view entry,
                                                   std::string_view key) const {
  const toml::node* node = table.get(key);
  if (!node) return std::nullopt;
  return number(*node, std::string(entry) + "." + std::string(key));
}

int TomlContext::integer(const toml::node& node, std::string_view entry) const {
  if (const auto* i = node.as_integer()) {
    const std::int64_t v = i->get();
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
      fail(node, entry, "integer " + std::to_string(v) + " is out of range");
    return static_cast<int>(v);
  }
  fail(node, entry, std::string("expected an integer, found ") + type_name(node.type()));
}

std::string TomlContext::string(const toml::node& node, std::string_view entry) const {
  if (auto s = node.value<std::string>(); s && node.is_string()) return *s;
  fail(node, entry, std::string("expected a string, found ") + type_name(node.type()));
}

std::string TomlContext::string(const toml::table& table, std::string_view entry, std::string_view key) const {
  return string(require(table, entry, key), std::string(entry) + "." + std::string(key));
}

std::optional<std::string> TomlContext::optional_string(const toml::table& table, std::string_view entry,
                                                        std::string_view key) const {
  const toml::node* node = table.get(key);
  if (!node) return std::nullopt;
  return string(*node, std::string(entry) + "." + std::string(key));
}

bool TomlContext::boolean(const toml::table& table, std::string_view entry, std::string_view key,
                          bool fallback) const {
  const toml::node* node = table.get(key);
  if (!node) return fallback;
  if (!node->is_boolean())
    fail(*node, std::string(entry) + "." + std::string(key),
         std::string("expected true or false, found ") + type_name(node->type()));
  return node->value<bool>().value_or(fallback);
}

const toml::table& TomlContext::table(const toml::node& node, std::string_view entry) const {
  if (const auto* t = node.as_table()) return *t;
  fail(node, entry, std::string("expected a table, found ") + type_name(node.type()));
}

const toml::array& TomlContext::array(const toml::node& node, std::string_view entry) const {
  if (const auto* a = node.as_array()) return *a;
  fail(node, entry, std::string("expected an array, found ") + type_name(node.type()));
}

Distribution TomlContext::distribution(const toml::node& node, std::string_view entry) const {
  Distribution d = read_distribution(node, entry);
  if (const std::string problem = scale_problem(d); !problem.empty()) fail(node, entry, problem);
  return d;
}

Distribution TomlContext::read_distribution(const toml::node& node, std::string_view entry) const {
  if (node.is_integer() || node.is_floating_point()) {
    return Distribution(DistributionSpec::fixed(number(node, entry)));
  }
  if (const auto* text = node.as_string()) {
    // The text form, "pert(20, 28, 40)": positions inside it count from the opening quote.
    SourcePosition where = at(node);
    where.column += 1;
    try {
      return parse_distribution(text->get(), where);
    } catch (const InputError& e) {
      throw InputError(e.where(), std::string(entry) + ": " + e.message());
    }
  }
  const toml::table& t = table(node, entry);
  DistributionSpec spec;
  try {
    if (const toml::node* kind = t.get("kind")) {
      spec.kind = distribution_kind_from_string(string(*kind, std::string(entry) + ".kind"));
      for (auto&& [key, value] : t) {
        const std::string name(key.str());
        if (name == "kind") continue;
        if (name == "values" || name == "probabilities" || name == "data") {
          const toml::array& a = array(value, std::string(entry) + "." + name);
          auto& out = name == "probabilities" ? spec.probabilities : spec.values;
          for (auto&& item : a) out.push_back(number(item, std::string(entry) + "." + name));
        } else {
          spec.params[name] = number(value, std::string(entry) + "." + name);
        }
      }
    } else {
      if (t.size() != 1)
        fail(node, entry, "a distribution is a number, { kind = \"...\", ... } or a short form such as "
                          "{ triangular = [2, 7, 30] }");
      const auto entry_pair = *t.begin();  // a proxy of references: keep it named, not a temporary
      const toml::key& key = entry_pair.first;
      const toml::node& value = entry_pair.second;
      spec.kind = distribution_kind_from_string(std::string(key.str()));
      const auto* names = &positional_parameters(spec.kind);  // the text form's order too
      if (names->empty()) fail(node, entry, "'" + std::string(key.str()) + "' has no short form; use { kind = \"" +
                                        std::string(key.str()) + "\", ... }");
      const toml::array& a = array(value, entry);
      // pert's lambda is optional: it takes 3 or 4 values.
      const std::size_t optional = spec.kind == DistributionKind::kPert ? 1 : 0;
      if (a.size() > names->size() || a.size() + optional < names->size())
        fail(value, entry, std::string(key.str()) + " takes " +
                               (optional ? std::to_string(names->size() - optional) + " or " : std::string()) +
                               std::to_string(names->size()) + " values, found " + std::to_string(a.size()));
      for (std::size_t i = 0; i < a.size(); ++i) spec.params[std::string((*names)[i])] = number(*a.get(i), entry);
    }
    return Distribution(spec);
  } catch (const ParameterError& e) {
    fail(node, entry, e.what());
  }
}

Distribution TomlContext::duration(const toml::node& node, std::string_view entry) const {
  Distribution d = distribution(node, entry);
  if (d.lower() < 0.0)
    fail(node, entry, d.describe() + " can be negative; a duration must not be (truncate it with min = 0 "
                                     "or choose another kind)");
  return d;
}

double TomlContext::seconds(const toml::node& node, std::string_view entry) const {
  toml::date date{};
  toml::time time{};
  int offset_minutes = 0;
  if (const auto* d = node.as_date()) {
    date = d->get();
  } else if (const auto* dt = node.as_date_time()) {
    date = dt->get().date;
    time = dt->get().time;
    if (dt->get().offset) offset_minutes = dt->get().offset->minutes;
  } else if (node.is_string()) {
    const std::string text = string(node, entry);
    if (auto parsed = padsim::parse_iso8601(text)) return *parsed;
    fail(node, entry, "'" + text + "' is not an ISO 8601 date or date-time (e.g. 2025-11-27T09:28Z)");
  } else {
    fail(node, entry, std::string("expected a date (e.g. 2025-11-27T09:28Z), found ") + type_name(node.type()));
  }
  const double days = static_cast<double>(padsim::days_from_civil(date.year, date.month, date.day));
  return days * 86400.0 + time.hour * 3600.0 + time.minute * 60.0 + time.second +
         time.nanosecond * 1e-9 - offset_minutes * 60.0;
}

double TomlContext::days_since(const toml::node& node, std::string_view entry, double epoch_seconds) const {
  return (seconds(node, entry) - epoch_seconds) / 86400.0;
}

namespace {

/// The first control character of `text` (C0 or DEL), other than those `allowed`; npos if none.
std::size_t control_character(std::string_view text, std::string_view allowed) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 || c == 0x7f) && allowed.find(text[i]) == std::string_view::npos) return i;
  }
  return std::string_view::npos;
}

std::string describe_control(char c) {
  char hex[8];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(static_cast<unsigned char>(c)));
  return hex;
}

/// The entry being checked, as keys and 1-based array indices: spelt out ("repair.r.task[3].id")
/// only for a message, so a clean document of 100,000 tasks builds no strings.
using EntryPath = std::vector<std::pair<std::string_view, std::size_t>>;

std::string spell(const EntryPath& path) {
  std::string entry;
  for (const auto& [name, index] : path) {
    if (index == 0) {
      if (!entry.empty()) entry += '.';
      entry += name;
    } else {
      entry += '[';
      entry += std::to_string(index);
      entry += ']';
    }
  }
  return entry;
}

void check_node(const TomlContext& ctx, const toml::node& node, EntryPath& path) {
  if (const auto* s = node.as_string()) {
    // Tabs and line breaks are text (a note may have several lines; CSV quotes them); any
    // other control character (NUL, ESC, ...) would reach files and terminals raw.
    const std::string_view text = s->get();
    const std::size_t at = control_character(text, "\t\n\r");
    if (at != std::string_view::npos)
      ctx.fail(node, spell(path), "control character " + describe_control(text[at]) +
                                      " at character " + std::to_string(at + 1) + " of the string");
  } else if (const auto* t = node.as_table()) {
    for (auto&& [key, value] : *t) {
      const std::string_view name = key.str();
      const std::size_t at = control_character(name, "");
      if (at != std::string_view::npos) {
        const std::string entry = spell(path);
        throw InputError(ctx.at(key.source().begin.line > 0 ? key.source() : value.source()),
                         (entry.empty() ? std::string() : entry + ": ") + "control character " +
                             describe_control(name[at]) + " at character " +
                             std::to_string(at + 1) + " of a key (names and ids are text)");
      }
      path.emplace_back(name, 0);
      check_node(ctx, value, path);
      path.pop_back();
    }
  } else if (const auto* a = node.as_array()) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      path.emplace_back(std::string_view(), i + 1);
      check_node(ctx, *a->get(i), path);
      path.pop_back();
    }
  }
}

}  // namespace

void refuse_control_characters(const toml::table& root, const std::string& file) {
  EntryPath path;
  check_node(TomlContext(file), root, path);
}

toml::table parse_toml(std::string_view text, const std::string& file) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    throw InputError({file, static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column)},
                     "malformed TOML: " + std::string(e.description()));
  }
}

std::string toml_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buffer;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace padsim::models::detail
