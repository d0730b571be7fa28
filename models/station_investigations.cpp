// The investigations of one station replication (docs/model.md "Investigations").
#include "station_investigations.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "padsim/models/repair_project.hpp"
#include "station_coordinator.hpp"

namespace padsim::models::detail {

Investigations::Investigations(Station& st) : st_(st), c_(st.ctx), s_(c_.s), d_(c_.d), sim_(c_.sim) {}

void Investigations::start() {
  if (s_.investigations.empty()) return;
  state_.reserve(s_.investigations.size());
  for (std::size_t i = 0; i < s_.investigations.size(); ++i) state_.push_back({c_.rng(d_.investigation_key[i])});
  opener_.assign(s_.launchers.size(), kNone);
  family_grounded_.assign(s_.launchers.size(), {});
  pad_grounded_.assign(s_.pads.size(), {});
  family_rules_.assign(s_.launchers.size(), kNone);
  pad_rules_.assign(s_.pads.size(), kNone);
  // A disabled investigation is as if it were not defined: its families keep their stand-downs.
  for (std::size_t i = 0; i < s_.investigations.size(); ++i) {
    const InvestigationSpec& v = s_.investigations[i];
    if (!v.enabled) continue;
    for (std::size_t l : v.opened_by) opener_[l] = i;
    for (std::size_t l : v.grounds) family_grounded_[l].push_back(i);
    for (std::size_t p : v.grounds_pads) pad_grounded_[p].push_back(i);
  }
}

bool Investigations::covers(std::size_t i, std::size_t p, std::size_t m) const {
  const std::size_t l = s_.vehicles[s_.missions[m].vehicle].launcher;
  return family_rules_[l] == i || (p < pad_rules_.size() && pad_rules_[p] == i);
}

Time Investigations::ready_for_covered(std::size_t p, std::size_t m) const {
  const std::size_t l = s_.vehicles[s_.missions[m].vehicle].launcher;
  // Grounded while any investigation that grounds the family or the pad is open.
  Time t = -kInf;
  for (std::size_t i : family_grounded_[l]) t = std::max(t, state_[i].close);
  if (p < pad_grounded_.size())
    for (std::size_t i : pad_grounded_[p]) t = std::max(t, state_[i].close);
  if (!d_.mission_crewed[m]) return t;
  // Every rule that covers the launch holds at once: the family's and the pad's (when different).
  const std::size_t by_pad = p < pad_rules_.size() ? pad_rules_[p] : kNone;
  for (std::size_t i : {family_rules_[l], by_pad}) {
    if (i == kNone) continue;
    const ReturnToFlight& rules = state_[i].rules;
    const ReturnToFlightSpec& spec = s_.investigations[i].return_to_flight;
    const Time ready = rules.crewed_ready(spec);
    // After max_wait a crewed mission may take the first launch only while no uncrewed mission the
    // rules cover is ready (ports not considered, as for a pad): until one of them launches, +inf.
    if (rules.uncrewed_first(spec) && ready <= sim_.now() && uncrewed_ready(i)) return kInf;
    t = std::max(t, ready);
  }
  return t;
}

// An uncrewed mission still to launch, past its ready time, that i's rules cover from one of its pads.
bool Investigations::uncrewed_ready(std::size_t i) const {
  const Time now = sim_.now();
  for (std::size_t m = 0; m < d_.missions; ++m) {
    const MissionSpec& spec = s_.missions[m];
    const MissionState& ms = st_.queue[m];
    if (d_.mission_crewed[m] || ms.done || spec.launched || (spec.added_by && !ms.added) || ms.ready > now) continue;
    const auto& pads = d_.mission_pads[m];
    if (covers(i, kNone, m) || std::any_of(pads.begin(), pads.end(), [&](std::size_t p) { return covers(i, p, m); }))
      return true;
  }
  return false;
}

void Investigations::launched_covered(std::size_t p, std::size_t m) {
  const Time now = sim_.now();
  const std::size_t l = s_.vehicles[s_.missions[m].vehicle].launcher;
  const std::size_t by_pad = p < pad_rules_.size() ? pad_rules_[p] : kNone;
  for (std::size_t i : {family_rules_[l], by_pad}) {
    if (i == kNone) continue;
    InvestigationState& st = state_[i];
    // A replay that flies while the investigation is open is not its first launch.
    if (now < st.close || !st.rules.launched(now)) continue;
    if (c_.trace) {
      c_.note("return_to_flight", s_.investigations[i].id, "first launch after the close: " + s_.missions[m].id);
      if (st.rules.gate_days > 0.0)
        sim_.schedule_at(st.rules.gate_until, [this, i] {
          c_.note("gate_open", s_.investigations[i].id, "crewed launches allowed");
        }, kNotePriority);
    }
  }
}

void Investigations::launch_failed(std::size_t m, std::size_t l) {
  const std::size_t i = opener_[l];
  const InvestigationSpec& v = s_.investigations[i];
  InvestigationState& st = state_[i];
  const Time now = sim_.now();
  // The length comes from the investigation's own stream, or is the critical-path completion of a
  // fresh instance of its task graph, drawn from a stream keyed by (investigation, instance) as a
  // pad's repair instances are; the gate of an opening then comes from the same stream.
  std::optional<Rng> instance;
  Rng* rng = &st.rng;
  double length = 0.0;
  if (v.repair) {
    const std::uint64_t key = investigation_stream(v.id, ++st.instances);
    rng = &instance.emplace(c_.rng(key));
    RepairOutcome outcome;
    length = v.repair->evaluate(*rng, c_.mode.for_stream(key), outcome);
  } else {
    length = c_.mode.draw(v.length, *rng);
  }
  if (now < st.close) {
    // A new failure while it is open extends it to the later close; its rules stay as drawn.
    if (now + length > st.close) {
      st.close = now + length;
      st.rules.since = st.close;
      if (st.openings == 1) st.first_close = st.close;
    }
    if (c_.trace)
      c_.note("investigation_extended", v.id,
              "failure of " + s_.missions[m].id + "; closes on day " + std::to_string(st.close));
  } else {
    ++st.openings;
    st.close = now + length;
    st.rules.gate_days = c_.mode.draw(v.return_to_flight.crewed_gate, *rng);
    st.rules.restart(st.close);
    // The newest opening's rules replace older ones for whatever both ground.
    for (std::size_t g : v.grounds) family_rules_[g] = i;
    for (std::size_t p : v.grounds_pads) pad_rules_[p] = i;
    if (st.openings == 1) {
      st.first_close = st.close;
      st.first_length = length;
    }
    if (c_.trace)
      c_.note("investigation_open", v.id,
              "failure of " + s_.missions[m].id + "; " + std::to_string(length) + " d, closes on day " +
                  std::to_string(st.close));
  }
  note_close(i);
}

void Investigations::note_close(std::size_t i) {
  const Time close = state_[i].close;
  if (!c_.trace || close > s_.horizon) return;
  // A later extension leaves this note behind: it only speaks if the close is still this one. It
  // reads before the launches of its instant (a trace-only event: it changes no state).
  sim_.schedule_at(close, [this, i, close] {
    if (state_[i].close == close) c_.note("investigation_close", s_.investigations[i].id, "return to flight");
  }, kLaunchPriority - 1);
}

}  // namespace padsim::models::detail
