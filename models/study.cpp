// Sweep values on one line, and study files (docs/scenario.md "Study files").
#include "padsim/models/study.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "padsim/error.hpp"
#include "padsim/format.hpp"
#include "toml_util.hpp"

namespace padsim::models {

namespace {

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

std::optional<double> number(std::string_view text) {
  const std::string t = trim(text);
  double x = 0.0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(x))
    return std::nullopt;
  return x;
}

/// lo:hi:step when `text` is three numbers separated by colons (a date-time has colons too, but
/// never three numbers).
std::optional<std::vector<std::string>> range(std::string_view text) {
  const auto first = text.find(':');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = text.find(':', first + 1);
  if (second == std::string_view::npos || text.find(':', second + 1) != std::string_view::npos)
    return std::nullopt;
  const auto lo = number(text.substr(0, first));
  const auto hi = number(text.substr(first + 1, second - first - 1));
  const auto step = number(text.substr(second + 1));
  if (!lo || !hi || !step) return std::nullopt;
  // Built with += rather than "'" + std::string(text): GCC 12 at -O3 warns falsely (-Wrestrict).
  std::string where = "'";
  where += text;
  where += '\'';
  if (!(*step > 0.0) || !(*lo <= *hi))
    throw ParameterError("range " + where + ": lo:hi:step needs lo <= hi and step > 0");
  const double steps = std::floor((*hi - *lo) / *step + 1e-6);
  if (steps >= 1000.0) throw ParameterError("range " + where + " has more than 1000 values");
  std::vector<std::string> values;
  for (int i = 0; i <= static_cast<int>(steps); ++i) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.12g", *lo + i * *step);
    values.emplace_back(buf);
  }
  return values;
}

std::vector<std::string> list(std::string_view text) {
  std::vector<std::string> values;
  std::string closers;  // the brackets open here, innermost last
  char quote = 0;
  std::size_t start = 0;
  auto take = [&](std::size_t end) {
    std::string v = trim(text.substr(start, end - start));
    if (v.empty()) throw ParameterError("empty value in '" + std::string(text) + "'");
    values.push_back(std::move(v));
    start = end + 1;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{' || c == '(') {
      closers += c == '[' ? ']' : c == '{' ? '}' : ')';
    } else if (c == ']' || c == '}' || c == ')') {
      if (closers.empty() || closers.back() != c)
        throw ParameterError("unbalanced '" + std::string(1, c) + "' in '" + std::string(text) + "'");
      closers.pop_back();
    } else if (c == ',' && closers.empty()) {
      take(i);
    }
  }
  if (quote != 0) throw ParameterError("unclosed quote in '" + std::string(text) + "'");
  if (!closers.empty())
    throw ParameterError("missing '" + closers.substr(closers.size() - 1) + "' in '" + std::string(text) + "'");
  take(text.size());
  return values;
}

/// A value of a study's `values` array, spelled as --set takes it: a string as written, a number
/// in its shortest form, an array of numbers as [a, b], anything else as TOML writes it.
std::string value_text(const toml::node& node, const detail::TomlContext& ctx, std::string_view entry) {
  if (node.is_string()) return ctx.string(node, entry);
  if (node.is_integer() || node.is_floating_point()) return format_number(ctx.number(node, entry));
  if (const toml::array* a = node.as_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < a->size(); ++i) out += (i ? ", " : "") + value_text(*a->get(i), ctx, entry);
    return out + "]";
  }
  if (node.is_table()) ctx.fail(node, entry, "expected a value as --set takes it, found a table");
  std::ostringstream out;
  node.visit([&out](const auto& n) { out << n; });
  return out.str();
}

std::vector<std::string> strings(const toml::node& node, const detail::TomlContext& ctx, const std::string& entry) {
  std::vector<std::string> out;
  for (const toml::node& e : ctx.array(node, entry)) out.push_back(ctx.string(e, entry));
  return out;
}

}  // namespace

std::vector<std::string> parse_sweep_values(std::string_view text) {
  if (auto r = range(text)) return *r;
  return list(text);
}

SweepParameter parse_sweep_parameter(std::string_view argument) {
  const auto eq = argument.find('=');
  if (eq == std::string_view::npos)
    throw ParameterError("expected PATH=VALUES, found no '=' in '" + std::string(argument) + "'");
  SweepParameter p{trim(argument.substr(0, eq)), {}};
  if (p.path.empty()) throw ParameterError("expected PATH=VALUES, found no PATH in '" + std::string(argument) + "'");
  try {
    p.values = parse_sweep_values(argument.substr(eq + 1));
  } catch (const ParameterError& e) {
    throw ParameterError(p.path + ": " + e.what());
  }
  return p;
}

StudySpec load_study(std::string_view text, const std::string& filename) {
  const detail::TomlContext ctx(filename);
  const toml::table root = detail::parse_toml(text, filename);
  ctx.check_keys(root, "study file", {"study", "vary"});
  StudySpec spec;
  const toml::node* study_node = root.get("study");
  if (!study_node) throw InputError({filename, 1, 1}, "missing [study] table");
  const toml::table& study = ctx.table(*study_node, "study");
  ctx.check_keys(study, "study", {"name", "description", "scenario", "set", "runs", "seed", "outcomes", "statistics"});
  spec.name = ctx.optional_string(study, "study", "name").value_or("");
  spec.description = ctx.optional_string(study, "study", "description").value_or("");
  spec.scenario = ctx.string(study, "study", "scenario");
  if (const toml::node* n = study.get("set")) spec.overrides = strings(*n, ctx, "study.set");
  if (const toml::node* n = study.get("runs")) {
    if (n->is_string() && ctx.string(*n, "study.runs") == "auto") {
      spec.runs = "auto";
    } else {
      const int runs = n->is_integer() ? ctx.integer(*n, "study.runs") : 0;
      if (runs <= 0) ctx.fail(*n, "study.runs", "expected a positive integer or \"auto\"");
      spec.runs = std::to_string(runs);
    }
  }
  if (const toml::node* n = study.get("seed")) {
    const auto* i = n->as_integer();
    if (!i || i->get() < 0) ctx.fail(*n, "study.seed", "expected an integer >= 0");
    spec.seed = static_cast<std::uint64_t>(i->get());
  }
  if (const toml::node* n = study.get("outcomes")) spec.outcomes = strings(*n, ctx, "study.outcomes");
  if (const toml::node* n = study.get("statistics")) spec.statistics = strings(*n, ctx, "study.statistics");

  const toml::node* vary = root.get("vary");
  const toml::array* tables = vary ? vary->as_array() : nullptr;
  if (!tables || !tables->is_array_of_tables() || tables->empty() || tables->size() > 2)
    throw InputError(vary ? ctx.at(*vary) : SourcePosition{filename, 1, 1},
                     "a study varies one or two parameters: one or two [[vary]] tables");
  for (std::size_t k = 0; k < tables->size(); ++k) {
    const toml::table& t = *tables->get(k)->as_table();
    const std::string entry = "vary[" + std::to_string(k + 1) + "]";
    ctx.check_keys(t, entry, {"path", "values", "range"});
    SweepParameter p{ctx.string(t, entry, "path"), {}};
    const toml::node* values = t.get("values");
    const toml::node* range_node = t.get("range");
    if ((values != nullptr) == (range_node != nullptr))
      ctx.fail(t, entry, "give exactly one of 'values' (an array) and 'range' (\"lo:hi:step\")");
    if (values) {
      for (const toml::node& v : ctx.array(*values, entry + ".values"))
        p.values.push_back(value_text(v, ctx, entry + ".values"));
      if (p.values.empty()) ctx.fail(*values, entry + ".values", "no values");
    } else {
      const std::string r = ctx.string(*range_node, entry + ".range");
      try {
        const auto parsed = range(r);
        if (!parsed) ctx.fail(*range_node, entry + ".range", "expected \"lo:hi:step\", found '" + r + "'");
        p.values = *parsed;
      } catch (const ParameterError& e) {
        ctx.fail(*range_node, entry + ".range", e.what());
      }
    }
    spec.parameters.push_back(std::move(p));
  }
  return spec;
}

}  // namespace padsim::models
