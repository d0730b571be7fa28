// `--set PATH=VALUE`: the path grammar, the walk through the document and the value's parsing
// (docs/scenario.md "Overrides").
#include "overrides.hpp"

#include <utility>

#include "padsim/error.hpp"
#include "toml_util.hpp"

namespace padsim::models::detail {

namespace {

struct Assignment {
  std::string path;                   // as written, for messages
  std::vector<std::string> segments;  // unquoted
  std::string value;
};

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw InputError({std::string(kOverrideSourcePrefix) + path, 0, 0}, message);
}

std::string trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return std::string(s.substr(begin, s.find_last_not_of(" \t") - begin + 1));
}

bool is_bare(const std::string& segment) {
  if (segment.empty()) return false;
  for (const char c : segment)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  return true;
}

// The TOML name of a table, for messages: `repair.site31-cabin`, `mission."Progress MS-33"`.
std::string join(const std::string& prefix, const std::string& segment) {
  return (prefix.empty() ? "" : prefix + ".") + (is_bare(segment) ? segment : toml_quoted(segment));
}

// PATH=VALUE: the first '=' outside a quoted segment ends the path. A segment is bare (anything but
// '.', '"', '=' and blanks) or double-quoted (with \" and \\ escapes), so it may hold dots and spaces.
Assignment split(const std::string& argument) {
  Assignment a;
  std::size_t i = 0;
  bool quoted_segment = false;
  std::string segment;
  const auto malformed = [&](const std::string& message) {
    const std::size_t eq = argument.find('=');
    fail(trim(eq == std::string::npos ? argument : argument.substr(0, eq)), message);
  };
  const auto end_segment = [&] {
    if (!quoted_segment) segment = trim(segment);
    if (segment.empty() && !quoted_segment) malformed("empty path segment (expected PATH=VALUE, PATH = a.b.c)");
    a.segments.push_back(std::move(segment));
    segment.clear();
    quoted_segment = false;
  };
  for (; i < argument.size(); ++i) {
    const char c = argument[i];
    if (c == '"') {
      if (!trim(segment).empty()) malformed("a quote inside a segment (quote the whole segment)");
      quoted_segment = true;
      segment.clear();
      for (++i; i < argument.size() && argument[i] != '"'; ++i) {
        if (argument[i] == '\\' && i + 1 < argument.size()) ++i;
        segment += argument[i];
      }
      if (i == argument.size()) malformed("unterminated quoted segment");
      std::size_t next = argument.find_first_not_of(" \t", i + 1);
      if (next == std::string::npos || (argument[next] != '.' && argument[next] != '='))
        malformed("expected '.' or '=' after a quoted segment");
      i = next - 1;
    } else if (c == '.' || c == '=') {
      end_segment();
      if (c == '=') break;
    } else if (!quoted_segment) {
      segment += c;
    }
  }
  if (i == argument.size()) malformed("expected PATH=VALUE, found no '='");
  a.path = trim(std::string_view(argument).substr(0, i));
  a.value = trim(std::string_view(argument).substr(i + 1));
  if (a.value.empty()) fail(a.path, "empty value (a string is written \"\")");
  return a;
}

// The value as TOML (number, string, array, inline table, date, boolean), else as a string: a
// distribution in its text form, `pert(20,28,40)`, is such a string. Parsed with the source
// "--set PATH" so that the loader's errors about the value name the argument.
toml::table parse_value(const Assignment& a) {
  const std::string source = std::string(kOverrideSourcePrefix) + a.path;
  try {
    toml::table doc = toml::parse("v = " + a.value, source);
    if (doc.size() == 1 && doc.contains("v")) return doc;
  } catch (const toml::parse_error&) {
  }
  return toml::parse("v = " + toml_quoted(a.value), source);
}

// The element of an array of tables named by `id`: its `id` key, or for tables without ids
// ([[port]]) its `type`.
toml::table* element(toml::array& array, const std::string& id, const std::string& name, const Assignment& a) {
  const char* field = "type";
  for (toml::node& e : array)
    if (e.as_table()->contains("id")) field = "id";
  for (toml::node& e : array) {
    toml::table* t = e.as_table();
    const toml::node* key = t->get(field);
    if (key && key->value<std::string>() == id) return t;
  }
  fail(a.path, "no [[" + name + "]] with " + field + " '" + id + "'");
}

void apply(toml::table& root, const Assignment& a) {
  toml::table* table = &root;
  std::string name;  // the TOML name of `table`
  const std::size_t last = a.segments.size() - 1;
  for (std::size_t i = 0; i < last; ++i) {
    const std::string& segment = a.segments[i];
    toml::node* node = table->get(segment);
    const std::string child = join(name, segment);
    if (!node)
      fail(a.path, name.empty() ? "no section [" + child + "] in the scenario" : "no [" + child + "] in the scenario");
    if (toml::array* array = node->as_array(); array && array->is_array_of_tables()) {
      if (i + 1 >= last)
        fail(a.path, "[[" + child + "]] is an array of tables: name an element by its id, then a key");
      table = element(*array, a.segments[++i], child, a);
      name = join(child, a.segments[i]);
    } else if (toml::table* t = node->as_table()) {
      table = t;
      name = child;
    } else {
      fail(a.path, child + " is a value: there is nothing below it");
    }
  }
  const std::string& key = a.segments[last];
  if (const toml::node* old = table->get(key); old && old->is_array_of_tables())
    fail(a.path, "[[" + join(name, key) + "]] is an array of tables: name an element by its id, then a key");
  toml::table value = parse_value(a);
  // Moved, not copied: a copied node loses its source, and with it the "--set PATH" of messages.
  value.get("v")->visit([&](auto& v) { table->insert_or_assign(key, std::move(v)); });
}

}  // namespace

void apply_overrides(toml::table& root, const std::vector<std::string>& overrides) {
  for (const std::string& argument : overrides) apply(root, split(argument));
}

toml::table parse_document(std::string_view text, const std::string& file,
                           const std::vector<std::string>& overrides) {
  toml::table root = parse_toml(text, file);
  apply_overrides(root, overrides);
  return root;
}

}  // namespace padsim::models::detail
