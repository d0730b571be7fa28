#pragma once
/// Typed errors. Library code throws these; only `main` turns them into exit statuses.

#include <stdexcept>
#include <string>
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

/// Bad input the user has to fix. `what()` reads `FILE:LINE:COL: error: message`.
class InputError : public Error {
 public:
  InputError(SourcePosition where, const std::string& message)
      : Error(format(where, message)), where_(std::move(where)), message_(message) {}

  const SourcePosition& where() const noexcept { return where_; }
  /// The message without the position prefix.
  const std::string& message() const noexcept { return message_; }

  static std::string format(const SourcePosition& where, const std::string& message) {
    std::string out = where.file.empty() ? std::string("<input>") : where.file;
    if (where.line > 0) {
      out += ':' + std::to_string(where.line);
      if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    return out + ": error: " + message;
  }

 private:
  SourcePosition where_;
  std::string message_;
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
