#pragma once
// Private to padsim::models: reading TOML with positions, so that every input error names
// FILE:LINE:COL and the entry. toml++ types never leave the models library.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "padsim/distribution.hpp"
#include "padsim/error.hpp"
#include "padsim/format.hpp"

namespace padsim::models::detail {

/// The largest magnitude of any number a scenario gives (days, kg, kg/day, percentages, ...), and of
/// every distribution's parameters, mean, standard deviation and the quantiles bounding its draws.
/// Generous for the domain (2.7 million years; a million tonnes), and small enough that sums and
/// products of a whole run's worth of such numbers stay finite.
inline constexpr double kMaxMagnitude = 1e9;
/// "WHAT is outside [-1e9, 1e9], the range of scenario numbers".
std::string out_of_range(const std::string& what);

/// The file being read, for messages.
class TomlContext {
 public:
  explicit TomlContext(std::string file) : file_(std::move(file)) {}
  const std::string& file() const noexcept { return file_; }

  SourcePosition at(const toml::node& node) const;
  SourcePosition at(const toml::source_region& region) const;
  /// Throws InputError at `node`: "<entry>: <message>".
  [[noreturn]] void fail(const toml::node& node, std::string_view entry, const std::string& message) const;

  /// Rejects keys of `table` not in `allowed` (a misspelt key is an error, never ignored).
  void check_keys(const toml::table& table, std::string_view entry,
                  std::initializer_list<std::string_view> allowed) const;

  /// A required key, with the type named in the error when it is missing or of the wrong type.
  const toml::node& require(const toml::table& table, std::string_view entry, std::string_view key) const;
  /// A finite number within ±kMaxMagnitude.
  double number(const toml::node& node, std::string_view entry) const;
  /// An integer (a TOML integer, not a float with an integral value) within int's range.
  int integer(const toml::node& node, std::string_view entry) const;
  double number(const toml::table& table, std::string_view entry, std::string_view key) const;
  std::optional<double> optional_number(const toml::table& table, std::string_view entry,
                                        std::string_view key) const;
  std::string string(const toml::node& node, std::string_view entry) const;
  std::string string(const toml::table& table, std::string_view entry, std::string_view key) const;
  std::optional<std::string> optional_string(const toml::table& table, std::string_view entry,
                                             std::string_view key) const;
  bool boolean(const toml::table& table, std::string_view entry, std::string_view key, bool fallback) const;
  const toml::table& table(const toml::node& node, std::string_view entry) const;
  const toml::array& array(const toml::node& node, std::string_view entry) const;

  /// A distribution: a plain number (fixed), a table `{ kind = "pert", min = 2, mode = 7, max = 30 }`,
  /// or the positional short form `{ triangular = [2, 7, 30] }` (see docs/scenario.md).
  /// Parameter errors come back as InputError at the node, naming the entry, and so does a
  /// distribution whose parameters, mean, standard deviation or extreme quantiles exceed kMaxMagnitude.
  Distribution distribution(const toml::node& node, std::string_view entry) const;
  /// As distribution(), and rejects a distribution that can be negative (durations, lags >= 0).
  Distribution duration(const toml::node& node, std::string_view entry) const;

  /// An ISO 8601 UTC date or date-time (TOML date, date-time, or string) as days since `epoch`
  /// (given in seconds since 1970-01-01T00:00Z).
  double days_since(const toml::node& node, std::string_view entry, double epoch_seconds) const;
  /// Seconds since 1970-01-01T00:00Z of a TOML date/date-time or ISO 8601 string.
  double seconds(const toml::node& node, std::string_view entry) const;

 private:
  /// distribution() before its scale check.
  Distribution read_distribution(const toml::node& node, std::string_view entry) const;

  std::string file_;
};

/// Parses a whole document; a syntax error becomes InputError at its position.
toml::table parse_toml(std::string_view text, const std::string& file);
/// Throws InputError at the first key or string of `root` with a control character (a string may
/// hold tabs and line breaks, a key nothing of the kind): ids reach CSV files and terminals.
void refuse_control_characters(const toml::table& root, const std::string& file);

}  // namespace padsim::models::detail
