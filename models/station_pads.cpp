// The launch pads of one station replication (docs/model.md "Pads").
#include "padsim/models/task_table.hpp"
#include "station_pads.hpp"

#include <cmath>
#include <string>

#include "recycled.hpp"
#include "station_coordinator.hpp"

namespace padsim::models::detail {

Pads::Pads(Station& st)
    : st_(st), c_(st.ctx), s_(c_.s), d_(c_.d), sim_(c_.sim), pads_(spare_vector<PadState>()) {}

Pads::~Pads() {
  pads_.clear();  // the repair instances go now, while the Simulation they ran on still exists
  keep_spare(pads_);
}

void Pads::start() {
  const auto& s = s_;
  pads_.reserve(s.pads.size());
  for (std::size_t p = 0; p < s.pads.size(); ++p)
    pads_.push_back({true, 0.0, {}, 0.0, false, 0, c_.rng(d_.pad_repair_key[p]), {}});
  if (d_.seed_pad < pads_.size() && !s.pads[d_.seed_pad].down_at_epoch) seed_ready_ = 0.0;
  for (std::size_t p = 0; p < s.pads.size(); ++p)
    if (s.pads[p].down_at_epoch) start_repair(p);
}

void Pads::launched(std::size_t p, std::size_t m, bool forced) {
  const Time now = sim_.now();
  const auto& spec = s_.pads[p];
  PadState& pad = pads_[p];
  if (pad.rules.launched(now)) {
    if (c_.trace && pad.rules.gate_days > 0.0)
      sim_.schedule_at(pad.rules.gate_until, [this, p] { c_.note("gate_open", s_.pads[p].id, "crewed launches allowed"); },
                         kNotePriority);
  }
  // The first launch attempt after the seed repair. When the seed pad starts up (no-incident
  // variant), the launch at the epoch itself (the incident launch's replay) is not counted.
  if (p == d_.seed_pad && !std::isnan(seed_ready_) && std::isnan(first_launch_) && (spec.down_at_epoch || now > 0.0))
    first_launch_ = now;
  // Per launch: turnaround, then damage (a replay draws no damage), from a stream keyed by the
  // mission that launched. Another mission launching, or not, before it never shifts these draws.
  Rng rng = c_.rng(d_.launch_key[m]);
  pad.available_at = std::max(pad.available_at, now + c_.mode.draw(spec.turnaround, rng));
  const bool damaged = !forced && c_.mode.happens(spec.damage_probability, rng);
  if (damaged) {
    if (c_.trace) c_.note("pad_down", spec.id, "damaged by the launch of " + s_.missions[m].id);
    start_repair(p);
  }
}

void Pads::start_repair(std::size_t p) {
  PadState& pad = pads_[p];
  const auto& spec = s_.pads[p];
  pad.up = false;
  pad.rules.first_pending = false;
  // Campaign and gate belong to the repair instance: drawn when it starts, from a stream keyed by
  // (pad, instance number), apart from the repair's own stream so the graph's draws match the
  // repair-only model's.
  Rng rules_rng = c_.rng(pad.repairs == 0 ? d_.pad_key[p] : stream_key("pad", spec.id, pad.repairs));
  pad.campaign_days = c_.mode.draw(spec.after_repair.campaign, rules_rng);
  pad.rules.gate_days = c_.mode.draw(spec.after_repair.crewed_gate, rules_rng);
  // Every repair instance draws from its own stream, keyed per pad exactly as the repair-only
  // model keys them (repair_stream), so a station scenario's pad_ready_day equals the repair-only
  // model's for the same seed.
  pad.seed_instance = p == d_.seed_pad && pad.repairs == 0 && sim_.now() == 0.0 && spec.down_at_epoch;
  const std::uint64_t repair_key = pad.repairs == 0 ? d_.pad_repair_key[p] : repair_stream(spec.id, pad.repairs);
  pad.repair_rng = c_.rng(repair_key);
  ++pad.repairs;
  spec.repair->start(sim_, pad.repair_rng, c_.mode.for_stream(repair_key), pad.repair, [this, p] { repair_complete(p); }, kRepairPriority);
  // The seed repair's branches and risks are decided as it starts; written now, since a later repair
  // of the same pad reuses pad.repair.
  if (pad.seed_instance) write_choice_inputs(pad.repair, c_.out.inputs.data() + d_.seed_tasks);
  st_.responses.pad_down(p);  // an outage starts (pad_down_for)
}

void Pads::repair_complete(std::size_t p) {
  PadState& pad = pads_[p];
  const Time now = sim_.now();
  auto& out = c_.out;
  pad.up = true;
  pad.rules.restart(now + pad.campaign_days);
  pad.available_at = std::max(pad.available_at, pad.rules.since);
  st_.responses.pad_up(p);
  if (pad.seed_instance) {
    seed_ready_ = now;
    for (std::size_t i = 0; i < d_.seed_tasks && i < pad.repair.tasks.size(); ++i)
      set_task_record(out.tables[kTaskTable], i, pad.repair.tasks[i]);
    d_.merges.write(pad.repair, out.tables[kMergeTable]);
    pad.seed_instance = false;
  }
  if (c_.trace) {
    s_.pads[p].repair->trace_tasks(pad.repair, s_.pads[p].id, *c_.trace);
    c_.note("pad_ready", s_.pads[p].id, "repair complete; campaign " + std::to_string(pad.campaign_days) + " d");
    if (pad.rules.since <= s_.horizon)
      sim_.schedule_at(pad.rules.since, [this, p] { c_.note("campaign_end", s_.pads[p].id, "ready for its first launch"); },
                         kNotePriority);
  }
  st_.queue.replan();
}

// Task statistics (tasks.csv) and duration inputs cover every replication, as in the repair-only
// model: a seed repair still running at the horizon is run on to its end. Every outcome is already
// fixed at the horizon, and nothing after it is traced; launches are never planned past the
// horizon, so the events that remain are the repair's and a few departures.
bool Pads::finish_seed_repair() {
  if (d_.seed_pad >= pads_.size() || !pads_[d_.seed_pad].seed_instance) return false;
  c_.trace = nullptr;
  while (pads_[d_.seed_pad].seed_instance && sim_.step()) {
  }
  return true;
}

}  // namespace padsim::models::detail
