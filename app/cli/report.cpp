#include "report.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "padsim/calendar.hpp"
#include "padsim/statistics.hpp"

namespace padsim::cli {

namespace {

std::string number_text(double x) {
  if (std::isinf(x) && x > 0) return ">horizon";
  if (std::isnan(x)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, std::abs(x) >= 10 || x == 0 ? "%.1f" : "%.3g", x);
  return buf;
}

/// A CI bound: "-inf" below, ">horizon" above.
std::string bound_text(double x) {
  if (std::isinf(x) && x < 0) return "-inf";
  return number_text(x);
}

/// The mark after a percentile: ' ' safe, '*' a wide CI, '!' a CI across a gap.
char flag_mark(QuantileFlag flag) {
  switch (flag) {
    case QuantileFlag::kNone: return ' ';
    case QuantileFlag::kWide: return '*';
    case QuantileFlag::kGap: return '!';
  }
  return ' ';
}

constexpr std::size_t kCellWidth = 22;

std::string pad(std::string s, std::size_t width, bool right) {
  if (s.size() >= width) return s;
  const std::string fill(width - s.size(), ' ');
  return right ? fill + s : s + fill;
}

}  // namespace

void print_headline_table(std::ostream& out, const Model& model, const BatchStatistics& statistics) {
  std::optional<Calendar> calendar;
  try {
    calendar.emplace(model.epoch());
  } catch (const Error&) {
    // Dates are a convenience here; the table still shows day numbers.
  }
  const auto& outs = model.outcomes();
  std::size_t name_width = 7;
  for (const auto& o : outs) name_width = std::max(name_width, o.name.size());

  bool header = false;
  bool flagged = false;
  for (std::size_t j = 0; j < outs.size(); ++j) {
    if (!outs[j].headline || outs[j].kind != OutcomeKind::kValue) continue;
    if (!header) {
      out << pad("outcome", name_width, false);
      for (const char* p : {"P10 [95% CI]", "P50 [95% CI]", "P90 [95% CI]"})
        out << "  " << pad(p, kCellWidth, true) << " ";
      out << "  " << pad("censored", 8, true) << "  unit\n";
      header = true;
    }
    const std::shared_ptr<const OutcomeSummary> summary = statistics.summary(j);
    const OutcomeSummary& s = *summary;
    out << pad(outs[j].name, name_width, false);
    std::string dates;
    for (const double p : {0.1, 0.5, 0.9}) {
      const QuantileEstimate q = s.quantile(p);
      const QuantileFlag flag = s.flag(p);
      flagged = flagged || flag != QuantileFlag::kNone;
      out << "  " << pad(number_text(q.value) + " [" + bound_text(q.ci.low) + ", " +
                             bound_text(q.ci.high) + "]",
                         kCellWidth, true)
          << flag_mark(flag);
      // Days since the epoch read better as dates too.
      if (calendar && outs[j].unit == "day" && std::isfinite(q.value))
        dates += (dates.empty() ? "" : " / ") + calendar->date(q.value);
    }
    const double share = s.n == 0 ? 0.0 : 100.0 * static_cast<double>(s.censored) / static_cast<double>(s.n);
    char censored[16];
    std::snprintf(censored, sizeof censored, "%.1f%%", share);
    out << "  " << pad(censored, 8, true) << "  " << outs[j].unit;
    if (!dates.empty()) out << "  (" << dates << ")";
    out << "\n";
  }
  if (flagged)
    out << "* its 95% CI is wide (over 10% of the value or of the sd); ! it also spans a gap between "
           "two regimes, so the value can jump when the batch grows: quote the CI, not the value\n";

  header = false;
  for (std::size_t j = 0; j < outs.size(); ++j) {
    if (outs[j].kind != OutcomeKind::kEvent) continue;
    if (!header) {
      out << (std::string(header ? "" : "\n")) << pad("event", name_width, false) << "  "
          << pad("probability", 11, true) << "  95% CI (Wilson)\n";
      header = true;
    }
    const auto [n, successes] = statistics.events(j);
    const double p = n == 0 ? NAN : static_cast<double>(successes) / static_cast<double>(n);
    const Interval ci = wilson_interval(successes, n);
    char line[96];
    std::snprintf(line, sizeof line, "%11.3f  [%.3f, %.3f]", p, ci.low, ci.high);
    out << pad(outs[j].name, name_width, false) << "  " << line << "\n";
  }
}

std::string readable(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{:.6g}", x);
}

}  // namespace padsim::cli
