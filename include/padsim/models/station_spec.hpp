#pragma once
/// The description of a station scenario (docs/model.md "Pads", "Vehicles and missions", "Crew rotation",
/// "Consumables"): what the scenario loader fills from the station sections of docs/scenario.md, or
/// what a test builds by hand. Names are resolved to indices; times are days since the epoch.

#include <cstddef>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "padsim/distribution.hpp"
#include "padsim/models/investigation_spec.hpp"
#include "padsim/models/pad.hpp"
#include "padsim/models/response_spec.hpp"
#include "padsim/error.hpp"
#include "padsim/monte_carlo.hpp"
#include "padsim/time.hpp"

namespace padsim::models {

class RepairProject;

/// An unlimited number of days (no max_wait, no life limit).
inline constexpr double kUnlimited = std::numeric_limits<double>::infinity();

/// What a crew vehicle does when it reaches its certified docked life (docs/model.md "Crew rotation").
enum class LifeboatPolicy {
  kExtend,  ///< stay up to the waiver life, counting days beyond certification
  kReturn,  ///< leave at the certified life
};

/// When a cargo vehicle leaves.
enum class DepartureRule {
  kPlanned,          ///< docking + planned docked duration
  kUntilPortNeeded,  ///< until a launch needs its port, at the latest docking + waiver life
};

/// Crew per segment. Seat swap: a cosmonaut on a Dragon counts for `rs`.
struct CrewCount {
  int rs = 0;
  int usos = 0;
  int total() const noexcept { return rs + usos; }
};

/// A per-consumable amount (kg, or kg/day), drawn when it applies.
struct ConsumableAmount {
  std::size_t consumable = 0;
  Distribution amount;
};

/// Ports of one type (e.g. two "rs-progress" ports).
struct PortTypeSpec {
  std::string type;
  int count = 1;
  std::string name;
};

/// A launcher family and its stand-down after a failure.
struct LauncherSpec {
  std::string id;
  Distribution stand_down;  ///< days, drawn per failure
};

/// A vehicle class.
struct VehicleClassSpec {
  std::string id;
  std::vector<std::size_t> pads;       ///< pad indices; a mission takes whichever lets it launch first
  std::size_t launcher = 0;
  int seats = 0;
  std::vector<std::size_t> ports;      ///< port type indices, in order of preference
  double transit = 0.0;                ///< days from launch to docking
  double certified_life = kUnlimited;  ///< days docked, from docking
  double waiver_life = kUnlimited;
  double failure_probability = 0.0;
  std::vector<ConsumableAmount> cargo;     ///< kg delivered at docking, drawn per mission
  std::vector<ConsumableAmount> supplies;  ///< gross kg/day supplied while docked, drawn per vehicle
  DepartureRule departure = DepartureRule::kPlanned;
  double capacity = kUnlimited;  ///< kg of cargo, all consumables together (needed by a `cargo` response)
};

/// A crew rotation line: a crewed vehicle stays until the next of its line docks, then `handover`.
struct RotationSpec {
  std::string id;
  Distribution handover;  ///< days, drawn per handover
};

/// A planned flight.
struct MissionSpec {
  std::string id;
  std::size_t vehicle = 0;
  Time net = 0.0;
  double docked_duration = 0.0;
  CrewCount crew;
  std::vector<ConsumableAmount> cargo;  ///< overrides of the class's cargo, per consumable
  Distribution slip;                    ///< days added to NET (may be negative), drawn per replication
  std::optional<Time> earliest;         ///< never launches before this (vehicle readiness); default: epoch
  int priority = 0;                     ///< lower launches first from a shared pad
  std::optional<std::size_t> rotation;
  std::optional<DepartureRule> departure;  ///< default: the class's
  std::optional<Time> launched;            ///< replays: launches then, no slip, no failure, no damage
  std::vector<std::size_t> pads;           ///< overrides the class's pads when not empty
  std::optional<bool> fails;               ///< known outcome: true fails whatever the probability, false succeeds
  std::optional<double> failure_probability;  ///< replaces the class's
  std::optional<Time> undocked;            ///< replays: the real undocking, overriding every departure rule
  /// A replacement lifeboat: the flight (docked entries first, then missions) whose crew it takes over
  /// at its docking, with that vehicle's place in its rotation line.
  std::optional<std::size_t> takes_crew_of;
  /// A contingency mission of a response's `add` (the response's index): it has no NET of its own
  /// and joins the plan only when that action applies. Listed after every mission of the file.
  std::optional<std::size_t> added_by;
};

/// A vehicle docked at the epoch. Its cargo is already in the starting stocks.
struct DockedSpec {
  std::string id;
  std::size_t vehicle = 0;
  Time docked = 0.0;     ///< <= 0: life limits count from it
  Time departure = 0.0;  ///< planned departure (crew-days lost; cargo that is not until_port_needed)
  CrewCount crew;
  std::optional<std::size_t> rotation;
  std::optional<std::size_t> port;         ///< port type index; default: the class's first
  std::optional<DepartureRule> departure_rule;
  std::optional<Time> undocked;            ///< replays: the real departure, overriding every rule
};

/// A consumable stock.
struct ConsumableSpec {
  std::string id;
  Distribution start;            ///< kg, or days of supply at nominal crew when start_in_days
  bool start_in_days = false;
  Distribution per_crew_day;     ///< kg per crew member per day, drawn per replication
  Distribution per_day;          ///< fixed kg/day, drawn per replication; docked supplies reduce it
  double reserve = 0.0;          ///< kg, or days of supply at nominal crew when reserve_in_days
  bool reserve_in_days = false;
  double capacity = kUnlimited;  ///< kg
  /// Its days below reserve are a headline outcome (the run table, --runs auto, sensitivity.csv).
  bool headline = false;
};

/// The optional decrewing contingency (off by default).
struct DecrewPolicy {
  bool enabled = false;
  std::vector<std::size_t> consumables;  ///< crew-dependent consumables that trigger it
  double days = 45.0;                    ///< trigger: below this many days of supply at current crew
  int min_crew = 0;                      ///< never decrews below this
};

/// Where a loaded spec's entries and keys were written, so that validation errors name FILE:LINE:COL.
/// Keys are the entry names messages use: "vehicle 'soyuz-ms'", "vehicle 'soyuz-ms'.transit",
/// "mission 'Crew-12'.crew.rs", "[station].min_crew". Empty for a spec built in code.
struct SpecSources {
  std::map<std::string, SourcePosition, std::less<>> at;
  /// The position of `entry.key`, else of `entry`; nullopt when the spec was not loaded from a file.
  std::optional<SourcePosition> find(std::string_view entry, std::string_view key = {}) const {
    if (!key.empty())
      if (auto it = at.find(std::string(entry) + "." + std::string(key)); it != at.end()) return it->second;
    if (auto it = at.find(entry); it != at.end()) return it->second;
    return std::nullopt;
  }
};

/// A whole station scenario.
struct StationSpec {
  std::string name;
  std::string epoch = "1970-01-01T00:00:00Z";  ///< ISO 8601, for traces
  Time horizon = 365.0;
  int nominal_crew = 7;
  int min_crew = 0;
  int min_crew_rs = 0;
  int min_crew_usos = 0;
  LifeboatPolicy lifeboat = LifeboatPolicy::kExtend;
  std::vector<PadSpec> pads;  ///< pad.hpp; a pad that can be down needs its repair's project
  /// The pad whose repair is the seed (pad_ready_day, first_launch_day); default: the first pad down
  /// at the epoch. When it starts up (no-incident variant), pad_ready_day is 0.
  std::optional<std::size_t> seed_pad;
  std::vector<PortTypeSpec> ports;
  std::vector<LauncherSpec> launchers;
  std::vector<VehicleClassSpec> vehicles;
  std::vector<RotationSpec> rotations;
  std::vector<MissionSpec> missions;
  std::vector<DockedSpec> docked;
  std::vector<ConsumableSpec> consumables;
  DecrewPolicy decrew;
  /// Plan changes inside a replication (docs/model.md "Responses"), in file order.
  std::vector<ResponseSpec> responses;
  /// Stand-downs that span launchers (docs/model.md "Investigations"), in file order.
  std::vector<InvestigationSpec> investigations;
  /// Deterministic mode: every distribution at its mode, probability events iff p > 0.5.
  bool deterministic = false;
  /// Latin hypercube block of the repairs' draws (LoadOptions::lhs_block); 0: plain Monte Carlo.
  std::uint64_t lhs_block = 0;
  /// Known dates of day outcomes (`[[reference]]`), for run.json; none with --no-incident.
  std::vector<OutcomeReference> references;
  /// Filled by the scenario loader; StationModel's validation reports errors at these positions.
  SpecSources sources;
};

}  // namespace padsim::models
