#pragma once
// What `sweep` and `calibrate` share: the statistics they name (mean, pNN, probability) and how
// each is estimated from a batch, values and ranges spelled on the command line, the batch
// options of a study's points, and JSON text for their provenance files.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "padsim/batch.hpp"
#include "padsim/calibrate.hpp"
#include "padsim/monte_carlo.hpp"
#include "run_command.hpp"

namespace padsim::cli {

/// A statistic of one outcome: "mean", "pNN" (NN in 1..99, the type-7 percentile) or
/// "probability" (of an event outcome).
struct StatisticSpec {
  enum class Kind { kMean, kPercentile, kProbability };
  Kind kind = Kind::kMean;
  double p = 0.0;    ///< kPercentile: NN / 100
  std::string name;  ///< as written: "mean", "p50", "probability"

  /// Whether it describes an outcome of this kind (probability: events; the others: values).
  bool applies_to(OutcomeKind outcome) const noexcept {
    return (kind == Kind::kProbability) == (outcome == OutcomeKind::kEvent);
  }
};

/// Parses "mean", "p1".."p99" or "probability"; throws CLI::ValidationError naming `what`.
StatisticSpec parse_statistic(const std::string& text, const std::string& what);

/// The statistic of an outcome with its 95% CI, from the outcome's summary (outcome_summary()),
/// computed as summary.csv computes it: type-7 percentile with its order-statistic CI, censored
/// values beyond the horizon as +inf; mean with Student's t over the reached values; Wilson
/// interval of a probability.
Estimate estimate_statistic(const OutcomeSummary& summary, const StatisticSpec& statistic);

/// The index of the outcome named `name`; throws CLI::ValidationError listing the outcomes when
/// there is none (`what` names the option).
std::size_t find_outcome(const Model& model, const std::string& name, const std::string& what);

/// A number on the command line; throws CLI::ValidationError naming `what`.
double parse_number(std::string_view text, const std::string& what);

/// The options of a study command that say how each of its batches runs.
struct StudyBatchOptions {
  std::string runs;            ///< "N" or "auto"; empty: the study file's, else 10000
  std::uint64_t seed = kDefaultSeed;
  bool seed_given = false;     ///< --seed was on the command line
  double tolerance = 0.01;     ///< --runs auto
  std::uint64_t max_runs = 100'000;
  unsigned threads = 0;
  std::string out;             ///< output directory; empty: the command's default
};

/// Adds --runs, --tolerance (unless `with_tolerance` is false), --max-runs, --seed, --out and
/// --threads to `cmd`.
void add_study_batch_options(CLI::App& cmd, StudyBatchOptions& options, bool with_tolerance);

/// The batch options of every point of a study: `runs` ("N" or "auto"), the seed, the threads
/// (one replication under --deterministic, as `run`). Throws CLI::ValidationError on a bad count.
BatchOptions study_batch_options(const std::string& runs, const StudyBatchOptions& options,
                                 const CommonOptions& common);


/// "x [lo, hi]" as the console shows an estimate: one decimal from 10 up, else three significant
/// digits; ">horizon" for a value or upper end beyond the horizon, "-inf" for an unbounded lower end.
std::string estimate_text(const Estimate& e);

}  // namespace padsim::cli
