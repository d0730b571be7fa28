#pragma once
// Small station scenarios built by hand for the station tests: one pad, one launcher, generic
// vehicle classes with fixed numbers, so every expected value can be computed on paper.

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "padsim/models/station.hpp"
#include "padsim/monte_carlo.hpp"

namespace padsim::test {

inline Distribution fixed(double x) { return Distribution(DistributionSpec::fixed(x)); }

/// A trace kept in memory.
struct RecordingTrace : TraceSink {
  struct Line {
    double t;
    std::string event, subject, details;
  };
  std::vector<Line> lines;
  void event(Time t, std::string_view event, std::string_view subject, std::string_view details) override {
    lines.push_back({t, std::string(event), std::string(subject), std::string(details)});
  }
  /// Times of `event` for `subject`, in order.
  std::vector<double> times(std::string_view event, std::string_view subject) const {
    std::vector<double> out;
    for (const auto& l : lines)
      if (l.event == event && l.subject == subject) out.push_back(l.t);
    return out;
  }
};

/// A station with pad "pad", launcher "rocket" (stand-down 30 d), port types and vehicle classes:
///   "cargo"  (no seats, port "cargo-port", transit 0, planned departure)
///   "capsule" (3 seats, port "crew-port", transit 0, certified 250, waiver 270)
struct StationBuilder {
  models::StationSpec s;

  StationBuilder() {
    s.name = "test";
    s.horizon = 100.0;
    models::PadSpec pad;
    pad.id = "pad";
    pad.turnaround = fixed(0.0);
    s.pads.push_back(pad);
    s.launchers.push_back({"rocket", fixed(30.0)});
    s.ports.push_back({"cargo-port", 3, ""});
    s.ports.push_back({"crew-port", 2, ""});
    models::VehicleClassSpec cargo;
    cargo.id = "cargo";
    cargo.pads = {0};
    cargo.ports = {0};
    cargo.certified_life = 180;
    cargo.waiver_life = 365;
    s.vehicles.push_back(cargo);
    models::VehicleClassSpec capsule;
    capsule.id = "capsule";
    capsule.pads = {0};
    capsule.seats = 3;
    capsule.ports = {1};
    capsule.certified_life = 250;
    capsule.waiver_life = 270;
    s.vehicles.push_back(capsule);
  }

  models::MissionSpec& mission(std::string id, std::size_t vehicle, double net, double docked = 30.0) {
    models::MissionSpec m;
    m.id = std::move(id);
    m.vehicle = vehicle;
    m.net = net;
    m.docked_duration = docked;
    s.missions.push_back(m);
    return s.missions.back();
  }
  models::DockedSpec& docked(std::string id, std::size_t vehicle, double docked_at, double departure,
                             models::CrewCount crew = {}) {
    models::DockedSpec d;
    d.id = std::move(id);
    d.vehicle = vehicle;
    d.docked = docked_at;
    d.departure = departure;
    d.crew = crew;
    s.docked.push_back(d);
    return s.docked.back();
  }
  std::size_t line(std::string id, double handover) {
    s.rotations.push_back({std::move(id), fixed(handover)});
    return s.rotations.size() - 1;
  }
};

/// One replication's outcomes by name.
struct Run {
  models::StationModel model;
  ReplicationResult row;
  RecordingTrace trace;
  explicit Run(models::StationSpec spec, std::uint64_t seed = 1) : model(std::move(spec)) {
    model.run(seed, 0, row, &trace);
  }
  double operator[](std::string_view name) const { return row.outcomes[model.outcome_index(name)]; }
};

}  // namespace padsim::test
