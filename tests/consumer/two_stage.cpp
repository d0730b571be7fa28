// A model of its own, written against padsim's installed public headers only: a job passes two
// exponential stages (means 2 and 3 days) scheduled on the engine's event queue. The batch mean of
// the finishing day must be 5 within 4 standard errors; exit status 0 when it is.
#include <cmath>
#include <cstdio>

#include <boost/random/exponential_distribution.hpp>

#include "padsim/batch.hpp"
#include "padsim/rng.hpp"
#include "padsim/simulation.hpp"

namespace {

class TwoStage : public padsim::Model {
 public:
  const std::vector<padsim::OutcomeInfo>& outcomes() const override { return outcomes_; }
  const std::vector<std::string>& inputs() const override { return none_; }
  const std::vector<std::string>& series_names() const override { return none_; }
  std::string epoch() const override { return "2026-01-01T00:00Z"; }
  padsim::Time horizon() const override { return 1e9; }

  void run(std::uint64_t seed, std::uint64_t replication, padsim::ReplicationResult& out,
           padsim::TraceSink*) const override {
    padsim::Rng first(seed, replication, padsim::stream_key("stage", "first"));
    padsim::Rng second(seed, replication, padsim::stream_key("stage", "second"));
    padsim::Simulation sim;
    out.outcomes.assign(1, padsim::kEmpty);
    sim.schedule_in(boost::random::exponential_distribution<double>(0.5)(first), [&] {
      sim.schedule_in(boost::random::exponential_distribution<double>(1.0 / 3.0)(second),
                      [&] { out.outcomes[0] = sim.now(); });
    });
    sim.run();
  }

 private:
  std::vector<padsim::OutcomeInfo> outcomes_{
      {"finish_day", "day", padsim::OutcomeKind::kValue, true, false, "the job leaves stage two"}};
  std::vector<std::string> none_;
};

}  // namespace

int main() {
  TwoStage model;
  padsim::BatchOptions options;
  options.replications = 20'000;
  options.threads = 2;
  const padsim::BatchResult result = padsim::run_batch(model, options);
  double mean = 0.0;
  for (double x : result.outcome_column(0)) mean += x;
  mean /= static_cast<double>(result.replications);
  const double se = std::sqrt(2.0 * 2.0 + 3.0 * 3.0) / std::sqrt(static_cast<double>(result.replications));
  std::printf("two stages: mean finish %.4f days (exact 5, SE %.4f)\n", mean, se);
  return std::abs(mean - 5.0) < 4.0 * se ? 0 : 1;
}
