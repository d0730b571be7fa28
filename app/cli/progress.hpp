#pragma once
// A progress bar on stderr with rate and ETA, drawn only when stderr is a terminal (a pipe or a
// log file gets nothing, so captured output stays clean).

#include <chrono>
#include <cstdint>

#include "padsim/batch.hpp"

namespace padsim::cli {

class ProgressBar {
 public:
  /// `enabled` false (--quiet) or stderr not a terminal: every call does nothing.
  explicit ProgressBar(bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Redraws the bar (called about ten times a second by run_batch).
  void update(const BatchProgress& progress);
  /// Erases the bar, leaving the cursor at the start of an empty line.
  void finish();

 private:
  bool active_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace padsim::cli
