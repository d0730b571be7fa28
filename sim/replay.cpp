// Replay: one replication re-run alone, with its trace, reproducing its row of the batch.
#include "padsim/batch.hpp"

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
