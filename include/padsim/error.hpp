#pragma once
/// Typed errors. Library code throws these; only `main` turns them into exit statuses.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace padsim {

/// Base of every padsim error.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A parameter that cannot be used (a distribution with min > max, a probability of 1.5, ...).
/// The message names the parameter and the value; the scenario layer adds file, line and entry.
class ParameterError : public Error {
 public:
  using Error::Error;
};

/// A place in an input file. Line and column are 1-based; 0 means unknown.
struct SourcePosition {
  std::string file;
  int line = 0;
  int column = 0;
};

/// "FILE:LINE:COL: SEVERITY: message", as compilers place theirs so that editors can jump to it
/// (line and column left out when unknown; "<input>" for an unnamed file). InputError's lines are
/// these with severity "error"; a warning about a place in an input is one with "warning".
inline std::string positioned_message(const SourcePosition& where, std::string_view severity,
                                      const std::string& message) {
  std::string out = where.file.empty() ? std::string("<input>") : where.file;
  if (where.line > 0) {
    out += ':' + std::to_string(where.line);
    if (where.column > 0) out += ':' + std::to_string(where.column);
  }
  out += ": ";
  out += severity;
  return out + ": " + message;
}

/// One problem of an input: where it is and what is wrong.
struct InputProblem {
  SourcePosition where;
  std::string message;
};

/// Bad input the user has to fix. `what()` reads `FILE:LINE:COL: error: message`, one such line per
/// problem when a file has several (docs/scenario.md "Errors").
class InputError : public Error {
 public:
  /// At most this many problems are spelt out in `what()`; one more line counts the rest.
  static constexpr std::size_t kMaxShown = 20;

  InputError(SourcePosition where, const std::string& message)
      : Error(format(where, message)), problems_{{std::move(where), message}} {}
  /// Several problems (at least one), in the order given: `what()` joins their lines with '\n', the
  /// first kMaxShown of them, then `FILE: error: N more errors not shown`. One problem reads exactly
  /// as the constructor above writes it.
  explicit InputError(std::vector<InputProblem> problems)
      : Error(format(problems)), problems_(std::move(problems)) {}

  /// The first problem's place.
  const SourcePosition& where() const noexcept { return problems_.front().where; }
  /// The first problem's message, without the position prefix.
  const std::string& message() const noexcept { return problems_.front().message; }
  /// Every problem, the first one first.
  const std::vector<InputProblem>& problems() const noexcept { return problems_; }

  static std::string format(const SourcePosition& where, const std::string& message) {
    return positioned_message(where, "error", message);
  }

  static std::string format(const std::vector<InputProblem>& problems) {
    std::string out;
    for (std::size_t i = 0; i < problems.size() && i < kMaxShown; ++i) {
      if (i > 0) out += '\n';
      out += format(problems[i].where, problems[i].message);
    }
    if (problems.size() > kMaxShown) {
      out += '\n';
      out += file_name(problems.front().where);
      out += ": error: ";
      out += std::to_string(problems.size() - kMaxShown);
      out += " more errors not shown";
    }
    return out;
  }

 private:
  static std::string file_name(const SourcePosition& where) {
    return where.file.empty() ? std::string("<input>") : where.file;
  }

  std::vector<InputProblem> problems_;
};

/// A dependency graph that is not acyclic; `cycle()` lists the tasks on one cycle, in order.
class GraphError : public Error {
 public:
  GraphError(const std::string& message, std::vector<std::string> cycle)
      : Error(message), cycle_(std::move(cycle)) {}
  const std::vector<std::string>& cycle() const noexcept { return cycle_; }

 private:
  std::vector<std::string> cycle_;
};

/// A rule broken while a replication runs (scheduling in the past, a negative delay, ...).
class SimulationError : public Error {
 public:
  using Error::Error;
};

/// An output that cannot be written (unwritable directory, full disk).
class OutputError : public Error {
 public:
  using Error::Error;
};

}  // namespace padsim
