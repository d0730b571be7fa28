#pragma once
/// The Monte Carlo driver's view of a model: a scenario ready to run replications, and what one
/// replication reports. A replication is a pure function of (scenario, seed, replication index):
/// `Model::run` must draw only from padsim::Rng(seed, replication, stream) generators.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "padsim/entity_table.hpp"
#include "padsim/time.hpp"

namespace padsim {

/// How an outcome column is summarised.
enum class OutcomeKind {
  kValue,  ///< a number: mean, sd, percentiles with CIs
  kEvent,  ///< 0 or 1 ("the deadline was missed"): probability with a Wilson interval
};

/// One column of runs.csv.
struct OutcomeInfo {
  std::string name;         ///< column name, e.g. "completion_day"
  std::string unit;         ///< "day", "days", "kg", "person-days", "count", "0/1"
  OutcomeKind kind = OutcomeKind::kValue;
  bool headline = false;    ///< used by --runs auto and as sensitivity targets
  bool censorable = false;  ///< an empty cell means "not reached by the horizon" (beyond it)
  std::string description;  ///< one line for the README / summary
};

/// What columns.csv says of one uncertain input (a column of inputs.csv) beyond its name.
struct InputInfo {
  std::string unit;                 ///< "" when it has none
  std::string kind = "value";       ///< "value" (a drawn number), "event" (0/1), "id" (an index of a choice)
  std::string empty_means;          ///< what an empty cell means; "" for the generic "not drawn"
  std::string description;          ///< "" for the generic "a sampled uncertain input"
};

/// Not a number: an empty cell in runs.csv (not reached by the horizon, or not applicable).
inline constexpr double kEmpty = std::numeric_limits<double>::quiet_NaN();

/// What one replication reports. Models fill every vector to the sizes their Model declares.
struct ReplicationResult {
  std::vector<double> outcomes;  ///< one per Model::outcomes(); kEmpty for an empty cell
  std::vector<double> inputs;    ///< one per Model::inputs(): the sampled uncertain inputs
  /// One per Model::entity_tables(): entities x fields, row-major by entity; kEmpty when empty.
  std::vector<std::vector<double>> tables;
  std::vector<double> series;    ///< series_days() x series_names(), row-major by day (value at
                                 ///< the start of each day), empty when the model has none
  /// Set by the caller: false when nobody will read `series` (a batch keeps the series of its
  /// first replications only), so a model may skip the work of filling it; `series` keeps its
  /// declared size either way, its cells then unspecified. Nothing else a replication reports
  /// may depend on this flag.
  bool keep_series = true;
};

/// Receives the event trace of a replication (padsim replay --trace).
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void event(Time t, std::string_view event, std::string_view subject,
                     std::string_view details) = 0;
};

/// A known value of an outcome that readers compare the results with (what really happened, a
/// plan's date): recorded in run.json for charts and reports, never used by the simulation.
struct OutcomeReference {
  std::string outcome;  ///< the outcome's name (a column of runs.csv)
  double value = 0.0;   ///< in the outcome's unit; a day outcome: days since the epoch
  std::string label;    ///< what the value is, for a legend
};

/// A fixed level of a daily series (a threshold such as a stock's reserve), for charts.
struct SeriesLevel {
  std::string series;  ///< the series' name (timeseries.csv)
  double value = 0.0;  ///< in the series' unit
  std::string label;
};

/// A loaded scenario. Immutable and thread-safe: run() may be called concurrently.
class Model {
 public:
  virtual ~Model() = default;
  virtual const std::vector<OutcomeInfo>& outcomes() const = 0;
  /// Names of the uncertain inputs reported in ReplicationResult::inputs (for sensitivity),
  /// e.g. "duration:weld", "rate:demand".
  virtual const std::vector<std::string>& inputs() const = 0;
  /// One per inputs(), for columns.csv; empty (the default) describes every input generically.
  virtual std::vector<InputInfo> input_info() const { return {}; }
  /// The per-entity tables the model reports, each written to its own file (none by default).
  virtual const std::vector<EntityTable>& entity_tables() const {
    static const std::vector<EntityTable> none;
    return none;
  }
  /// Names of daily series (a stock level, a head count); may be empty.
  virtual const std::vector<std::string>& series_names() const = 0;
  virtual int series_days() const { return 0; }
  /// The scenario's name, for provenance (run.json); empty when it has none.
  virtual std::string name() const { return {}; }
  /// The scenario's epoch as ISO 8601 (UTC), for dates in traces.
  virtual std::string epoch() const = 0;
  /// Horizon in days since the epoch.
  virtual Time horizon() const = 0;
  /// Known values of outcomes given by the scenario, for run.json (none by default).
  virtual std::vector<OutcomeReference> references() const { return {}; }
  /// Fixed levels of the daily series (e.g. reserves), for run.json (none by default).
  virtual std::vector<SeriesLevel> series_levels() const { return {}; }
  /// Runs replication `replication` of the batch seeded `seed`.
  virtual void run(std::uint64_t seed, std::uint64_t replication, ReplicationResult& out,
                   TraceSink* trace = nullptr) const = 0;
};

}  // namespace padsim
