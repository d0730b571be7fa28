#include "progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace padsim::cli {

namespace {

std::string duration_text(double seconds) {
  char buf[32];
  if (!std::isfinite(seconds)) return "?";
  const auto s = static_cast<long>(std::lround(seconds));
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%lds", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, s / 60 % 60);
  return buf;
}

}  // namespace

ProgressBar::ProgressBar(bool enabled)
    : active_(enabled && ::isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(const BatchProgress& p) {
  if (!active_) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(p.done) / elapsed : 0.0;
  // With --runs auto the end is unknown: the bar shows the current round, the ETA the maximum.
  const std::uint64_t goal = p.auto_runs ? p.max : p.target;
  const double fraction =
      p.target == 0 ? 1.0 : static_cast<double>(p.done) / static_cast<double>(p.target);
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '.');
  const double eta = rate > 0 ? static_cast<double>(goal - std::min(goal, p.done)) / rate : NAN;
  std::fprintf(stderr, "\r[%s] %llu/%llu%s  %.0f rep/s  %s %s\x1b[K", bar.c_str(),
               static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.target),
               p.auto_runs ? " (auto)" : "", rate, p.auto_runs ? "ETA to max" : "ETA",
               duration_text(eta).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (!active_ || !drawn_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace padsim::cli
