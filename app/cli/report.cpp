#include "report.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

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

std::string pad(std::string s, std::size_t width, bool right) {
  if (s.size() >= width) return s;
  const std::string fill(width - s.size(), ' ');
  return right ? fill + s : s + fill;
}

}  // namespace

void print_headline_table(std::ostream& out, const Model& model, const BatchResult& result) {
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
  for (std::size_t j = 0; j < outs.size(); ++j) {
    if (!outs[j].headline || outs[j].kind != OutcomeKind::kValue) continue;
    if (!header) {
      out << pad("outcome", name_width, false) << "  " << pad("P10", 10, true) << "  "
          << pad("P50", 10, true) << "  " << pad("P90", 10, true) << "  " << pad("censored", 8, true)
          << "  unit\n";
      header = true;
    }
    const OutcomeSummary s = outcome_summary(model, result, j);
    out << pad(outs[j].name, name_width, false);
    std::string dates;
    for (const double p : {0.1, 0.5, 0.9}) {
      const double v = percentile_sorted(s.sorted, p);
      out << "  " << pad(number_text(v), 10, true);
      // Days since the epoch read better as dates too.
      if (calendar && outs[j].unit == "day" && std::isfinite(v))
        dates += (dates.empty() ? "" : " / ") + calendar->date(v);
    }
    const double share = s.n == 0 ? 0.0 : 100.0 * static_cast<double>(s.censored) / static_cast<double>(s.n);
    char censored[16];
    std::snprintf(censored, sizeof censored, "%.1f%%", share);
    out << "  " << pad(censored, 8, true) << "  " << outs[j].unit;
    if (!dates.empty()) out << "  (" << dates << ")";
    out << "\n";
  }

  header = false;
  for (std::size_t j = 0; j < outs.size(); ++j) {
    if (outs[j].kind != OutcomeKind::kEvent) continue;
    if (!header) {
      out << (std::string(header ? "" : "\n")) << pad("event", name_width, false) << "  "
          << pad("probability", 11, true) << "  95% CI (Wilson)\n";
      header = true;
    }
    const OutcomeSummary s = outcome_summary(model, result, j);
    std::uint64_t successes = 0;
    for (const double v : s.sorted) successes += v != 0.0 ? 1 : 0;
    const double p = s.n == 0 ? NAN : static_cast<double>(successes) / static_cast<double>(s.n);
    const Interval ci = wilson_interval(successes, s.n);
    char line[96];
    std::snprintf(line, sizeof line, "%11.3f  [%.3f, %.3f]", p, ci.low, ci.high);
    out << pad(outs[j].name, name_width, false) << "  " << line << "\n";
  }
}

}  // namespace padsim::cli
