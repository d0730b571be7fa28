// replay --at: the replication at a percentile of an outcome, with censored values beyond the
// horizon and not-applicable ones left out, checked against a stable sort of the batch's column.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "padsim/batch.hpp"
#include "toy_models.hpp"

using namespace padsim;
using padsim::test::options_for;
using padsim::test::ToyRepairModel;

namespace {

/// The oracle: replications with a value, stably sorted by it (censored as +inf), the one at
/// 0-based rank floor((n - 1) p + 0.5).
std::uint64_t by_stable_sort(const BatchResult& result, std::size_t j, bool censorable, double p) {
  std::vector<std::pair<double, std::uint64_t>> rows;
  for (std::uint64_t k = 0; k < result.replications; ++k) {
    double v = result.outcome(k, j);
    if (std::isnan(v) && !censorable) continue;
    if (std::isnan(v)) v = std::numeric_limits<double>::infinity();
    rows.emplace_back(v, k);
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  const auto rank = static_cast<std::size_t>(std::floor(static_cast<double>(rows.size() - 1) * p + 0.5));
  return rows[rank].second;
}

}  // namespace

TEST_CASE("replication_at picks the order statistic nearest the percentile, censored last") {
  const ToyRepairModel model;
  const BatchResult result = run_batch(model, options_for(2, 1500));
  const std::size_t ready = 0, late = 1, b_share = 2;
  std::uint64_t censored = 0;
  for (std::uint64_t k = 0; k < result.replications; ++k)
    censored += std::isnan(result.outcome(k, ready)) ? 1 : 0;
  REQUIRE(censored > 0);  // the toy's risk delay pushes some repairs past the horizon
  for (const double p : {0.0, 0.1, 0.5, 0.9, 0.99, 1.0}) {
    CAPTURE(p);
    CHECK(replication_at(model, result, ready, p) == by_stable_sort(result, ready, true, p));
    CHECK(replication_at(model, result, b_share, p) == by_stable_sort(result, b_share, false, p));
    // An event column is all ties: the tie-break by index decides.
    CHECK(replication_at(model, result, late, p) == by_stable_sort(result, late, false, p));
  }
  // The last rank is a censored replication; not-applicable ones are never picked.
  CHECK(std::isnan(result.outcome(replication_at(model, result, ready, 1.0), ready)));
  CHECK(!std::isnan(result.outcome(replication_at(model, result, b_share, 1.0), b_share)));
}

TEST_CASE("replication_at names the replication of the whole batch for a range of it") {
  const ToyRepairModel model;
  BatchOptions options = options_for(1, 300);
  options.first_replication = 1000;
  const BatchResult part = run_batch(model, options);
  const std::uint64_t k = replication_at(model, part, 0, 0.5);
  CHECK(k >= 1000);
  CHECK(k < 1300);
  CHECK(k == 1000 + by_stable_sort(part, 0, true, 0.5));
}
