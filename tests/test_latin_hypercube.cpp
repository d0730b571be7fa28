// Latin hypercube sampling: the keyed block permutations (padsim::LatinHypercube), and the repair's
// draws under --sampling lhs in the repair-only and the station model.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "default_scenario_support.hpp"
#include "padsim/batch.hpp"
#include "padsim/distribution.hpp"
#include "padsim/latin_hypercube.hpp"
#include "padsim/models/scenario.hpp"
#include "padsim/statistics.hpp"
#include "test_support.hpp"

using namespace padsim;

namespace {

// Spearman's rho of two permutations of 0 .. n-1 (their ranks are themselves).
double permutation_rho(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  const double n = static_cast<double>(a.size());
  double d2 = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double d = static_cast<double>(a[i]) - static_cast<double>(b[i]);
    d2 += d * d;
  }
  return 1.0 - 6.0 * d2 / (n * (n * n - 1.0));
}

// True when `found` holds each of 0 .. n-1 exactly once.
bool is_each_stratum_once(std::vector<std::uint64_t> found, std::uint64_t n) {
  std::sort(found.begin(), found.end());
  std::vector<std::uint64_t> each(n);
  std::iota(each.begin(), each.end(), 0);
  return found == each;
}

std::vector<std::uint64_t> strata(const LatinHypercube& lhs, std::uint64_t seed, std::uint64_t block,
                                  std::uint64_t key) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t j = 0; j < lhs.block_size(); ++j) out.push_back(lhs.stratum(seed, block * lhs.block_size() + j, key));
  return out;
}

// A -> B -> C, each uniform on [0, 10]: the completion is the sum of three independent uniforms,
// mean 15 (the series oracle), which a Latin hypercube estimates almost exactly per block.
const std::string kChain = padsim::test::kRepairScenarioHead + R"([[repair.r.task]]
id = "A"
duration = { uniform = [0, 10] }

[[repair.r.task]]
id = "B"
duration = { uniform = [0, 10] }
after = ["A"]

[[repair.r.task]]
id = "C"
duration = { triangular = [0, 2, 10] }
after = ["B"]
)";

models::LoadOptions lhs_options(std::uint64_t block) {
  models::LoadOptions options;
  options.lhs_block = block;
  return options;
}

}  // namespace

TEST_CASE("each block of a Latin hypercube puts every input in each of its strata exactly once") {
  for (const std::uint64_t b : {1u, 2u, 7u, 1000u, 1024u, 1025u}) {
    const LatinHypercube lhs(b);
    for (const std::uint64_t key : {std::uint64_t{1}, stream_key("task", "R1"), ~std::uint64_t{0}})
      for (const std::uint64_t block : {0u, 1u, 99u}) {
        CAPTURE(b);
        CAPTURE(block);
        CHECK(is_each_stratum_once(strata(lhs, 20251127, block, key), b));
      }
  }
}

TEST_CASE("a Latin hypercube uniform lies in its stratum, in the open interval (0, 1)") {
  const LatinHypercube lhs(10);
  for (std::uint64_t r = 0; r < 30; ++r)
    for (const double jitter : {1e-17, 0.5, 1.0 - 0x1.0p-53}) {
      const double u = lhs.uniform(7, r, 42, jitter);
      const auto s = static_cast<double>(lhs.stratum(7, r, 42));
      CHECK(u > 0.0);
      CHECK(u < 1.0);
      CHECK(u >= s / 10.0);  // the stratum [s/B, (s+1)/B) includes its lower end
      CHECK(u < (s + 1.0) / 10.0);
    }
  CHECK_THROWS_AS(LatinHypercube(0), std::invalid_argument);
}

TEST_CASE("the permutations of different inputs, blocks and seeds are uncorrelated (|rho| < 4 SE)") {
  // Independent random permutations of n have Spearman rho with mean 0 and sd 1 / sqrt(n - 1).
  constexpr std::uint64_t kN = 4096;
  const LatinHypercube lhs(kN);
  const double bound = 4.0 / std::sqrt(static_cast<double>(kN - 1));
  const std::vector<std::uint64_t> base = strata(lhs, 1, 0, stream_key("task", "A"));
  std::vector<std::uint64_t> identity(kN);
  std::iota(identity.begin(), identity.end(), 0);
  CHECK(std::abs(permutation_rho(base, identity)) < bound);
  for (int i = 0; i < 10; ++i) {
    CAPTURE(i);
    CHECK(std::abs(permutation_rho(base, strata(lhs, 1, 0, stream_key("task", "B", static_cast<std::uint64_t>(i))))) < bound);
    CHECK(std::abs(permutation_rho(base, strata(lhs, 1, static_cast<std::uint64_t>(i) + 1, stream_key("task", "A")))) < bound);
    CHECK(std::abs(permutation_rho(base, strata(lhs, static_cast<std::uint64_t>(i) + 2, 0, stream_key("task", "A")))) < bound);
  }
}

TEST_CASE("--sampling lhs: each task's drawn durations fill every stratum of its distribution once per block") {
  constexpr std::uint64_t kBlock = 50;
  const auto model = models::load_scenario(kChain, "s.toml", lhs_options(kBlock));
  const Distribution uniform(DistributionSpec::uniform(0.0, 10.0));
  const Distribution triangular(DistributionSpec::triangular(0.0, 2.0, 10.0));
  for (std::uint64_t block = 0; block < 3; ++block)
    for (std::size_t input = 0; input < 3; ++input) {
      CAPTURE(block);
      CAPTURE(input);
      std::vector<std::uint64_t> seen;
      for (std::uint64_t j = 0; j < kBlock; ++j) {
        ReplicationResult r;
        model->run(11, block * kBlock + j, r);
        const double p = (input == 2 ? triangular : uniform).cdf(r.inputs[input]);
        seen.push_back(static_cast<std::uint64_t>(std::floor(p * kBlock)));
      }
      CHECK(is_each_stratum_once(seen, kBlock));
    }
}

TEST_CASE("--sampling lhs shrinks the batch mean's spread of a series far below plain Monte Carlo's") {
  // 40 batches of 100 (one block each) per sampling: the sd of the batch means of A + B + C.
  // Plain Monte Carlo: sd(sum) / 10 = sqrt(2 x 100/12 + 14/3) / 10, about 0.46 (triangular(0, 2,
  // 10) has variance (0 + 4 + 100 - 0 - 0 - 20) / 18 = 14/3). A Latin hypercube removes the additive
  // part of the variance: what is left of a sum shrinks like 1/n^1.5 instead of 1/n^0.5.
  const auto spread = [](const Model& model) {
    RunningStats means;  // over the batches, of each batch's mean
    for (std::uint64_t batch = 0; batch < 40; ++batch) {
      RunningStats completion;
      for (std::uint64_t j = 0; j < 100; ++j) {
        ReplicationResult r;
        model.run(batch + 1, j, r);
        completion.add(r.outcomes[0]);
      }
      means.add(completion.mean());
    }
    return means;
  };
  const RunningStats mc = spread(*models::load_scenario(kChain, "s.toml"));
  const RunningStats lhs = spread(*models::load_scenario(kChain, "s.toml", lhs_options(100)));
  const double mean_c = 4.0;  // triangular(0, 2, 10): (0 + 2 + 10) / 3
  CHECK(lhs.mean() == doctest::Approx(10.0 + mean_c).epsilon(0.002));
  CHECK(mc.sd() > 0.3);
  CHECK(lhs.sd() < 0.05 * mc.sd());
}

TEST_CASE("--sampling lhs: a replication is the same alone as inside a batch, on 1 or 2 threads") {
  const auto model = models::load_scenario(kChain, "s.toml", lhs_options(16));
  BatchOptions options;
  options.replications = 100;
  options.seed = 3;
  options.threads = 1;
  const BatchResult one = run_batch(*model, options);
  options.threads = 2;
  const BatchResult two = run_batch(*model, options);
  REQUIRE(one.outcomes.size() == 100 * one.outcome_count);
  for (std::uint64_t k = 0; k < 100; ++k) {
    ReplicationResult alone;
    model->run(3, k, alone);
    CHECK(one.outcome(k, 0) == alone.outcomes[0]);
    CHECK(two.outcome(k, 0) == alone.outcomes[0]);
  }
}

TEST_CASE("--sampling lhs in the default scenario: the seed repair's first task is stratified, and plain Monte Carlo is unchanged") {
  const std::string text = padsim::test::read(padsim::test::scenarios::kDefaultScenario);
  const auto lhs = models::load_scenario(text, "baikonur-2025.toml", lhs_options(40));
  const auto mc = models::load_scenario(text, "baikonur-2025.toml");
  const auto& names = lhs->inputs();
  const auto at = std::find(names.begin(), names.end(), "duration:R1");
  REQUIRE(at != names.end());
  const auto r1 = static_cast<std::size_t>(at - names.begin());
  const Distribution law(DistributionSpec::triangular(2.0, 7.0, 30.0));
  std::vector<std::uint64_t> seen;
  bool differs = false;
  for (std::uint64_t j = 0; j < 40; ++j) {
    ReplicationResult a, b;
    lhs->run(kDefaultSeed, 40 + j, a);
    mc->run(kDefaultSeed, 40 + j, b);
    seen.push_back(static_cast<std::uint64_t>(std::floor(law.cdf(a.inputs[r1]) * 40.0)));
    differs = differs || a.inputs[r1] != b.inputs[r1];
  }
  CHECK(is_each_stratum_once(seen, 40));
  CHECK(differs);
}

TEST_CASE("padsim run --sampling lhs records its sampling, refuses --lhs-block alone, and replays a replication") {
  const padsim::test::TempDir dir("lhs_cli");
  const std::string scenario = (dir.path / "chain.toml").string();
  std::ofstream(scenario) << kChain;
  using padsim::test::run_padsim;
  const auto refused = run_padsim("run chain.toml --runs 10 --lhs-block 10 -q --out a", dir.path);
  CHECK(refused.status == 2);
  CHECK(refused.err.find("--lhs-block applies to --sampling lhs only") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.path / "a"));

  REQUIRE(run_padsim("run chain.toml --runs 40 --sampling lhs --lhs-block 20 -q --out b", dir.path).status == 0);
  CHECK(padsim::test::read(dir.path / "b" / "run.json").find(R"("mode_flags": ["--sampling=lhs", "--lhs-block=20"])") !=
        std::string::npos);
  // Replication 27 alone: the row of runs.csv it had in the batch.
  REQUIRE(run_padsim("replay chain.toml --replication 27 --sampling lhs --lhs-block 20 --trace trace.csv -q --out c", dir.path).status == 0);
  const auto batch_rows = padsim::test::lines(padsim::test::read(dir.path / "b" / "runs.csv"));
  const auto replay_rows = padsim::test::lines(padsim::test::read(dir.path / "c" / "runs.csv"));
  REQUIRE(batch_rows.size() == 41);
  REQUIRE(replay_rows.size() == 2);
  CHECK(replay_rows[1] == batch_rows[28]);
}
