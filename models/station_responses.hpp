#pragma once
// Private to padsim::models: the responses of one station replication (docs/model.md "Responses").
// A response fires when its trigger occurs (in whichever component caused it), draws its decision,
// lag and action numbers then from its own stream, and applies its actions in the responses slot
// of trigger + lag. A scenario without responses schedules and draws nothing here, so its numbers
// are exactly those of a model without this component.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "station_context.hpp"

namespace padsim::models::detail {

class Station;

/// One response's state in a replication.
struct ResponseState {
  Rng rng;
  bool used = false;      // fired (without repeat it never fires again)
  bool clear = true;      // its trigger is clear, so that it can recur (repeat)
  int count = 0;          // taken firings whose actions applied by the horizon
  Time day = kEmpty;      // when its actions first applied
  double first_lag = kEmpty, first_decision = kEmpty;
  std::vector<double> first_numbers{};  // per action, its drawn number at the first firing
  EventId watch{};        // the pending trigger check (pad_down_for, stock_below)
};

class Responses {
 public:
  explicit Responses(Station& st);
  ~Responses();
  Responses(const Responses&) = delete;
  Responses& operator=(const Responses&) = delete;

  /// Creates every response's stream and schedules the date triggers (pad_not_ready).
  void start();
  bool empty() const noexcept { return state_.empty(); }
  std::size_t size() const noexcept { return state_.size(); }
  const ResponseState& operator[](std::size_t r) const { return state_[r]; }

  /// Pad p went down now (a repair started): arms pad_down_for.
  void pad_down(std::size_t p);
  /// Pad p came up now: clears pad_down_for.
  void pad_up(std::size_t p);
  /// Mission m of launcher l failed now.
  void launch_failed(std::size_t m, std::size_t l);
  /// A stock or its use changed now: checks stock_below and re-arms its crossings.
  void stocks_changed();
  /// Applies every action that is due by now (after each launch: "before the next launch").
  void apply_due();

  /// The extra days a flight's stay was extended before it docked (pending or in transit).
  double extension(std::size_t f) const { return extension_.empty() ? 0.0 : extension_[f]; }
  /// The `cargo` actions applied to mission m before it docked, in the order they applied (for
  /// each consumable the last one that lists it wins).
  const std::vector<const ActionSpec*>* cargo_overrides(std::size_t m) const {
    return cargo_.empty() || cargo_[m].empty() ? nullptr : &cargo_[m];
  }
  /// The replication's draw of an overridden amount, from its own stream keyed by (mission, consumable).
  double draw_override(std::size_t m, std::size_t c, const Distribution& amount, bool supplies) const;

 private:
  struct Pending {
    Time due;
    std::size_t response;
    std::uint64_t sequence;
    std::vector<double> numbers;  // per action: its drawn Δ (0 where it has none)
  };
  void fire(std::size_t r);
  void apply(const Pending& p);
  void move(const ActionSpec& a, double delta);
  void cancel(const ActionSpec& a);
  void extend(const ActionSpec& a, double delta);
  void cargo(const ActionSpec& a);
  void watch_pad(std::size_t r, Time at);
  void watch_stock(std::size_t r);
  bool stock_below(std::size_t r) const;
  bool mission_open(std::size_t m) const;
  void skip(const char* what, std::size_t f);

  Station& st_;
  StationContext& c_;
  const StationSpec& s_;
  const StationModel::Derived& d_;
  Simulation& sim_;
  std::vector<ResponseState> state_;
  std::vector<Pending> pending_;
  std::uint64_t sequence_ = 0;
  std::vector<double> extension_;           // per flight, only with responses
  std::vector<std::vector<const ActionSpec*>> cargo_;  // per mission, only with responses
};

}  // namespace padsim::models::detail
