#pragma once
// Private to padsim::models: reading TOML with positions, so that every input error names
// FILE:LINE:COL and the entry. toml++ types never leave the models library.

#include <initializer_list>
#include <optional>
#include <string>
#include <set>
#include <string_view>
#include <vector>

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

/// A reference to an entry that failed to load: true, but it only follows from that entry's own
/// error, so TomlContext::attempt() drops it instead of reporting it a second time.
class FollowOnError : public InputError {
 public:
  using InputError::InputError;
};

/// The file being read, for messages, and the errors found in it so far (docs/scenario.md "Errors").
///
/// Loading goes in phases: parse the TOML (one error: the parser stops at the first), read the
/// entries, then check them against each other. While the entries are read, each independent one
/// (one [[mission]], one [[repair.ID.task]], ...) is read inside attempt(): its InputError is
/// recorded and loading goes on with the next entry. At the end of the phase, throw_errors() throws
/// everything recorded as one InputError, so that no later phase runs on a partly read document
/// (where "unknown task 'R3'" would only say that R3 failed to load). The context is passed by
/// const reference through every loader; recording an error is not a change of what it describes.
class TomlContext {
 public:
  explicit TomlContext(std::string file) : file_(std::move(file)) {}
  const std::string& file() const noexcept { return file_; }

  /// Runs `read()`. When it throws InputError, records it, marks `name` (the id of the entry being
  /// read, if known) as failed, and returns false; FollowOnError is dropped.
  template <class F>
  bool attempt(F&& read, std::string_view name = {}) const {
    try {
      read();
      return true;
    } catch (const FollowOnError& e) {
      if (problems_.empty()) record(e);  // cannot happen (a follow-on has a root), but never lose an error
    } catch (const InputError& e) {
      record(e);
    }
    if (!name.empty()) failed_names_.emplace(name);
    return false;
  }
  /// Records `error` (all its problems) as attempt() does.
  void record(const InputError& error) const;
  /// How many problems were recorded so far.
  std::size_t error_count() const noexcept { return problems_.size(); }
  /// Throws every problem recorded so far as one InputError, in file order, if there is any.
  void throw_errors() const;
  /// Stops reading an entry (FollowOnError) when problems were recorded since error_count() was
  /// `count`: the entry's own errors are reported, its checks as a whole would only follow from them.
  void stop_if_errors_since(std::size_t count, const toml::node& node) const;
  /// Whether `name` is the id of an entry that failed to load (attempt()).
  bool failed(const std::string& name) const { return failed_names_.count(name) > 0; }
  /// fail() for a name that names nothing; quietly (FollowOnError) when `name` is the id of an
  /// entry that failed to load, whose own error is already recorded.
  [[noreturn]] void fail_unknown(const toml::node& node, std::string_view entry, const std::string& name,
                                 const std::string& message) const;

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
  mutable std::vector<InputProblem> problems_;
  mutable std::set<std::string, std::less<>> failed_names_;
};

/// Throws `problems` (at least one) as one InputError, in file order: by line and column, then
/// those with no line (a missing section, a --set argument). Stable: problems at one place keep
/// the order they were found in.
[[noreturn]] void throw_in_file_order(std::vector<InputProblem> problems);

/// The string under `key` of `entry` when it is a table that has one, else "": the id of an entry that
/// may fail to load, for TomlContext::attempt().
std::string id_or_empty(const toml::node& entry, std::string_view key = "id");

/// `text` as a TOML basic string: quoted, with quotes, backslashes and control characters escaped.
std::string toml_quoted(std::string_view text);

/// Parses a whole document; a syntax error becomes InputError at its position.
toml::table parse_toml(std::string_view text, const std::string& file);
/// Throws InputError at the first key or string of `root` with a control character (a string may
/// hold tabs and line breaks, a key nothing of the kind): ids reach CSV files and terminals.
void refuse_control_characters(const toml::table& root, const std::string& file);

}  // namespace padsim::models::detail
