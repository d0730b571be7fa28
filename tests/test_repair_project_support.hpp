#pragma once
// Helpers shared by the repair-project tests: building tasks and links, running one instance, and
// the sample statistics the oracles compare against.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "padsim/models/repair_project.hpp"

namespace padsim::test::repair {

using namespace padsim;
using namespace padsim::models;

// Built with += rather than "T" + std::to_string(i): GCC 12 at -O3 warns falsely (-Wrestrict) on the latter.
inline std::string numbered(const char* prefix, std::size_t i) {
  std::string s = prefix;
  s += std::to_string(i);
  return s;
}

inline Distribution fixed(double x) { return Distribution(DistributionSpec::fixed(x)); }
inline Distribution tri(double a, double m, double b) { return Distribution(DistributionSpec::triangular(a, m, b)); }

inline TaskSpec task(std::string id, Distribution d, std::vector<std::pair<std::size_t, int>> needs = {}) {
  TaskSpec t;
  t.id = std::move(id);
  t.duration = std::move(d);
  t.resources = std::move(needs);
  return t;
}

inline Link link(std::size_t pred, std::size_t succ, LinkType type = LinkType::kFinishToStart, double lag = 0.0) {
  Link l;
  l.pred = pred;
  l.succ = succ;
  l.type = type;
  l.lag = fixed(lag);
  return l;
}

inline Link percent_link(std::size_t pred, std::size_t succ, LinkType type, double percent) {
  Link l = link(pred, succ, type);
  l.lag_is_percent = true;
  l.lag_percent = percent;
  return l;
}

inline constexpr auto FS = LinkType::kFinishToStart;
inline constexpr auto SS = LinkType::kStartToStart;
inline constexpr auto FF = LinkType::kFinishToFinish;

/// Runs one instance in a fresh engine starting at day 0.
inline RepairOutcome run(const RepairProject& p, std::uint64_t replication = 0, DrawMode mode = {},
                  std::uint64_t* events = nullptr) {
  Simulation sim;
  RepairOutcome out;
  Rng rng(42, replication, stream_key("test"));
  double completed_at = -1.0;
  p.start(sim, rng, mode, out, [&] { completed_at = sim.now(); });
  sim.run();
  REQUIRE(completed_at == out.completion);
  if (events) *events = sim.processed();
  return out;
}

struct Moments {
  double mean = 0.0, se = 0.0;
};
inline Moments moments(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return {mean, std::sqrt(ss / (n - 1.0) / n)};
}

inline std::vector<double> ranks(const std::vector<double>& x) {
  std::vector<std::size_t> idx(x.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (std::size_t i = 0; i < idx.size(); ++i) r[idx[i]] = static_cast<double>(i);
  return r;
}

inline double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  const auto ra = ranks(a), rb = ranks(b);
  const double mean = (static_cast<double>(a.size()) - 1.0) / 2.0;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (ra[i] - mean) * (rb[i] - mean);
    saa += (ra[i] - mean) * (ra[i] - mean);
    sbb += (rb[i] - mean) * (rb[i] - mean);
  }
  return sab / std::sqrt(saa * sbb);
}

}  // namespace padsim::test::repair
