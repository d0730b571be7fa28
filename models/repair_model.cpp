// The repair-only model: each replication starts the repair of every pad that is down at the epoch
// at day 0 and runs it to its end. Launch rules (turnaround, campaign, gates, damage) need missions,
// so they wait for the station model.
//
// Rules docs/model.md leaves open (also in docs/scenario.md):
// - The k-th repair of the pad with id P draws from Rng(seed, replication, repair_stream(P, k)).
// - A replication runs each repair to its end even past the horizon, so task statistics cover every
//   replication; `pad_ready_day` beyond the horizon is reported empty (censored).
// - `duration:<task>` inputs are the realised durations (sampled plus risk impacts); a
//   task a branch removed counts as 0 (it took no time; see duration_input()). `branch:<id>` and
//   `risk:<id>` follow a pad's durations: the alternative kept, whether the risk occurred.
#include "repair_model.hpp"
#include "merge_table.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "padsim/simulation.hpp"
#include "padsim/trace.hpp"

namespace padsim::models::detail {

namespace {

class RepairOnlyModel final : public Model {
 public:
  RepairOnlyModel(std::shared_ptr<const ScenarioSpec> spec, const LoadOptions& options)
      : spec_(std::move(spec)), mode_{options.deterministic}, no_incident_(options.no_incident) {
    if (options.lhs_block > 0) mode_.lhs = &lhs_.emplace(options.lhs_block);
    for (std::size_t p = 0; p < spec_->pads.size(); ++p) {
      const PadSpec& pad = spec_->pads[p];
      if (pad.down_at_epoch) down_.push_back({p, spec_->find_repair(pad.repair.id)->project.get()});
    }
    if (down_.empty())
      // At the first pad, whose down_at_epoch is what to change; at the file's start if there is none.
      throw InputError(spec_->pads.empty() ? SourcePosition{spec_->file, 1, 1} : spec_->pads.front().where,
                       "no pad is down at the epoch (down_at_epoch = true): a scenario without station "
                       "sections simulates only the repairs of pads that are down");
    const bool several = down_.size() > 1;
    for (const DownPad& d : down_) {
      const PadSpec& pad = spec_->pads[d.pad];
      outcomes_.push_back({several ? "pad_ready_day:" + pad.id : "pad_ready_day", "day", OutcomeKind::kValue,
                           true, true, "day the repair of pad " + pad.name + " completes (the pad is up)"});
      // Per pad: its task durations, then which alternative each branch kept and whether each risk
      // occurred (RepairProject::input_names), so an analyst can condition on a branch or a risk.
      for (std::string& name : d.project->input_names(several ? pad.id + ":" : "")) inputs_.push_back(std::move(name));
      for (InputInfo& info : d.project->input_info()) input_info_.push_back(std::move(info));
    }
    // Cruciality is measured against the first pad's readiness, whose repair the table reports.
    tables_.push_back(task_table(down_.front().project->task_ids(), outcomes_.front().name,
                                 down_.front().project->task_names()));
    merges_.emplace(*down_.front().project);
    tables_.push_back(merges_->table());
  }

  const std::vector<OutcomeInfo>& outcomes() const override { return outcomes_; }
  const std::vector<std::string>& inputs() const override { return inputs_; }
  std::vector<InputInfo> input_info() const override { return input_info_; }
  const std::vector<EntityTable>& entity_tables() const override { return tables_; }
  const std::vector<std::string>& series_names() const override { return series_names_; }
  std::string name() const override { return spec_->scenario.name; }
  std::string epoch() const override { return spec_->scenario.epoch; }
  Time horizon() const override { return spec_->scenario.horizon; }
  std::vector<OutcomeReference> references() const override {
    std::vector<OutcomeReference> out;
    if (!no_incident_)  // the references describe the incident as it happened
      for (const ReferenceEntry& r : spec_->scenario.references) out.push_back(r.reference);
    return out;
  }

  void run(std::uint64_t seed, std::uint64_t replication, ReplicationResult& out, TraceSink* trace) const override {
    out.outcomes.assign(outcomes_.size(), kEmpty);
    out.inputs.assign(inputs_.size(), kEmpty);
    reset_task_table(out, tables_[kTaskTable].entities.size());
    merges_->reset(out);
    out.series.clear();
    if (no_incident_) {
      // The pads are up at the epoch: ready on day 0, nothing repaired.
      std::fill(out.outcomes.begin(), out.outcomes.end(), 0.0);
      return;
    }
    Simulation sim;
    const DrawMode mode = mode_.at(seed, replication);
    std::vector<RepairOutcome> repairs(down_.size());
    for (std::size_t k = 0; k < down_.size(); ++k) {
      const std::uint64_t key = repair_stream(spec_->pads[down_[k].pad].id, 0);
      Rng rng(seed, replication, key);
      down_[k].project->start(sim, rng, mode.for_stream(key), repairs[k], {});
    }
    sim.run();

    std::size_t input = 0;
    for (std::size_t k = 0; k < down_.size(); ++k) {
      const double ready = repairs[k].completion;
      out.outcomes[k] = ready <= spec_->scenario.horizon ? ready : kEmpty;
      for (const TaskRecord& task : repairs[k].tasks) out.inputs[input++] = duration_input(task);
      input = static_cast<std::size_t>(write_choice_inputs(repairs[k], out.inputs.data() + input) - out.inputs.data());
    }
    set_task_records(out.tables[kTaskTable], repairs.front().tasks);
    merges_->write(repairs.front(), out.tables[kMergeTable]);
    if (trace) write_trace(repairs, *trace);
  }

 private:
  struct DownPad {
    std::size_t pad;                // index in spec_->pads
    const RepairProject* project;
  };

  // Every event is known once the repairs have run: each repair's task events and its completion,
  // then all of them in time order (equal times: as recorded, pad by pad in file order).
  void write_trace(const std::vector<RepairOutcome>& repairs, TraceSink& trace) const {
    SortingTraceSink sorted;
    for (std::size_t k = 0; k < repairs.size(); ++k) {
      const PadSpec& pad = spec_->pads[down_[k].pad];
      down_[k].project->trace_tasks(repairs[k], pad.id, sorted);
      sorted.event(repairs[k].completion, "pad_ready", pad.id, "repair " + down_[k].project->name() + " complete");
    }
    sorted.flush_to(trace);
  }

  std::shared_ptr<const ScenarioSpec> spec_;
  std::optional<LatinHypercube> lhs_;  // options.lhs_block > 0: mode_ stratifies through it
  DrawMode mode_;
  bool no_incident_;
  std::vector<DownPad> down_;
  std::vector<OutcomeInfo> outcomes_;
  std::vector<std::string> inputs_;
  std::vector<InputInfo> input_info_;
  std::vector<EntityTable> tables_;
  std::optional<MergeBias> merges_;  // the first down pad's merge points (merges.csv)
  std::vector<std::string> series_names_;
};

}  // namespace

std::unique_ptr<Model> make_repair_model(std::shared_ptr<const ScenarioSpec> spec, const LoadOptions& options) {
  return std::make_unique<RepairOnlyModel>(std::move(spec), options);
}

}  // namespace padsim::models::detail
