// One replication of the station model (docs/model.md "Pads", "Vehicles and missions", "Crew rotation",
// "Consumables", "Outcomes"): the coordinator that builds the components (station_coordinator.hpp)
// and runs them on one Simulation. Performance notes: every event is a small lambda capturing a
// component and an index (no allocation per event); launch eligibility is recomputed only at
// events that can change it, with one pending "wake" event (station_launch_queue.cpp).
#include "padsim/models/task_table.hpp"
#include "station_replication.hpp"

#include "station_coordinator.hpp"

namespace padsim::models::detail {

Station::Station(const StationModel& model, std::uint64_t seed, std::uint64_t replication, ReplicationResult& out,
                 TraceSink* trace)
    : ctx(model, seed, replication, out, trace), stocks(*this), ports(*this), pads(*this), queue(*this),
      rotation(*this), decrew(*this), responses(*this),
      investigations(*this) {}

void Station::set_up() {
  const auto& s = ctx.s;
  auto& out = ctx.out;
  const std::size_t nc = s.consumables.size();
  out.outcomes.assign(ctx.model.outcomes().size(), kEmpty);
  out.inputs.assign(ctx.model.inputs().size(), kEmpty);
  reset_task_table(out, ctx.model.task_names().size());
  ctx.d.merges.reset(out);
  // Every cell of the series is written by the horizon (write_outcomes settles each column to it),
  // so a reused row's series is only resized: filling 5 x 580 cells first cost 4% of a replication.
  // Filling them at all is a tenth of a replication, skipped when nobody keeps them
  // (ReplicationResult::keep_series).
  out.series.resize(static_cast<std::size_t>(ctx.model.series_days()) * (nc + 1));

  ctx.flights.resize(ctx.d.flights());
  stocks.draw();
  queue.draw();
  responses.start();
  investigations.start();
  rotation.place_docked();
  update_rates();
  if (ctx.trace) stocks.note_epoch_reserves();
  pads.start();
  queue.start();
}

void Station::run() {
  set_up();
  queue.replan();
  ctx.sim.run_until(ctx.s.horizon);
  write_outcomes(*this);
  if (pads.finish_seed_repair())
    for (std::size_t t = 0; t < ctx.d.seed_tasks; ++t) ctx.out.inputs[t] = duration_input(task_record(ctx.out.tables[kTaskTable], t));
  if (ctx.final_trace) ctx.sorted_trace.flush_to(*ctx.final_trace);
}

void run_station_replication(const StationModel& model, std::uint64_t seed, std::uint64_t replication,
                             ReplicationResult& out, TraceSink* trace) {
  Station(model, seed, replication, out, trace).run();
}

}  // namespace padsim::models::detail
