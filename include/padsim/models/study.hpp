#pragma once
/// Studies of a scenario: the parameters a sweep varies, spelled as `--set PATH=VALUE` takes them,
/// and study files (experiments/studies/*.toml) that name a scenario, its parameters and values,
/// the runs, the seed and the statistics of interest. The format is in docs/scenario.md "Study
/// files".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace padsim::models {

/// One parameter of a sweep: an override path and the values it takes, each spelled as the VALUE
/// of `--set PATH=VALUE` (a number, `[0.8, 0.2]`, `pert(20,28,40)`, a date, ...).
struct SweepParameter {
  std::string path;
  std::vector<std::string> values;
};

/// The values of a sweep written on one line: `lo:hi:step` (lo, lo + step, ... up to hi, hi
/// included when within a millionth of a step of the grid; each value with 12 significant digits,
/// so 0.1 steps read 0.3, not 0.30000000000000004), or a comma-separated list whose commas inside
/// brackets, braces, parentheses and quotes do not separate: `[0.9,0.1],[0.8,0.2]` and
/// `pert(1,2,3),5` are two values each. Throws ParameterError on an empty value, an unbalanced
/// bracket, or a range with step <= 0, lo > hi or more than 1000 values.
std::vector<std::string> parse_sweep_values(std::string_view text);

/// `PATH=VALUES` (the argument of `padsim sweep --vary`): the path before the first '=', the
/// values after it by parse_sweep_values(). Throws ParameterError.
SweepParameter parse_sweep_parameter(std::string_view argument);

/// A study file, as written; the command line may override any of it.
struct StudySpec {
  std::string name;         ///< [study] name: the default output directory results/<name>
  std::string description;
  std::string scenario;     ///< a path relative to the study file, or an embedded scenario's name
  std::vector<std::string> overrides;  ///< [study] set: applied to every point, before its own
  std::string runs;         ///< "N" or "auto"; empty when not given
  std::optional<std::uint64_t> seed;
  std::vector<std::string> outcomes;    ///< empty: every outcome
  std::vector<std::string> statistics;  ///< empty: the command's default
  std::vector<SweepParameter> parameters;  ///< one or two [[vary]] tables, in order
};

/// Parses a study file. `filename` is used in messages (`FILE:LINE:COL: error: ...`). Throws
/// InputError on malformed TOML, unknown keys, values of the wrong type, or not one or two
/// [[vary]] tables each with a path and exactly one of `values` and `range`.
StudySpec load_study(std::string_view text, const std::string& filename);

}  // namespace padsim::models
