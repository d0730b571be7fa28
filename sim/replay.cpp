// Replay: one replication re-run alone, with its trace, reproducing its row of the batch.
#include "padsim/batch.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "output_writers.hpp"
#include "padsim/csv.hpp"
#include "replication_shape.hpp"

namespace padsim {

ReplicationResult replay(const Model& model, std::uint64_t seed, std::uint64_t replication,
                         TraceSink* trace) {
  const detail::ReplicationShape shape = detail::shape_of(model);
  ReplicationResult r;
  detail::reset(r, shape);
  try {
    model.run(seed, replication, r, trace);
  } catch (const SimulationError& e) {
    throw SimulationError(detail::replication_context(seed, replication) + e.what());
  }
  detail::check_sizes(r, shape);
  return r;
}

std::uint64_t replication_at(const Model& model, const BatchResult& result, std::size_t j,
                             double p) {
  const std::vector<double> column = detail::ranking_column(model, result, j);
  std::vector<std::uint64_t> order;
  order.reserve(column.size());
  for (std::uint64_t k = 0; k < column.size(); ++k)
    if (!std::isnan(column[k])) order.push_back(k);
  if (order.empty())
    throw Error("no replication has a value of " + model.outcomes()[j].name + " to pick from");
  const auto rank = static_cast<std::size_t>(
      std::floor(static_cast<double>(order.size() - 1) * std::clamp(p, 0.0, 1.0) + 0.5));
  // Only the order statistic at `rank` is needed; ties keep index order, as a stable sort would.
  std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(rank), order.end(),
                   [&](std::uint64_t a, std::uint64_t b) {
                     return column[a] < column[b] || (column[a] == column[b] && a < b);
                   });
  return result.first_replication + order[rank];
}

void write_replay_runs(const Model& model, std::uint64_t seed, std::uint64_t replication,
                       const ReplicationResult& result, const std::filesystem::path& dir) {
  ensure_output_directory(dir);
  AtomicFile file(dir / "runs.csv");
  CsvWriter csv(file.stream());
  detail::write_runs_header(csv, model);
  detail::write_runs_row(csv, seed, replication, result.outcomes.data(), result.outcomes.size());
  file.commit();
}

}  // namespace padsim
