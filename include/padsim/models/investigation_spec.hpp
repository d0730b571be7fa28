#pragma once
/// Investigations of a station scenario (docs/model.md "Investigations"): a launch failure of a family
/// that opens one grounds launcher families (and pads) for a length drawn per failure or for a task
/// graph's completion; when it closes, return-to-flight rules apply across everything it grounded.
/// Names are resolved to indices; times are days.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "padsim/distribution.hpp"
#include "padsim/models/pad.hpp"
#include "padsim/rng.hpp"

namespace padsim::models {

/// One `[[investigation]]` entry.
struct InvestigationSpec {
  std::string id;
  bool enabled = true;                    ///< false: as if it were not defined (its families' stand-downs apply)
  std::vector<std::size_t> opened_by;     ///< launcher families whose failure opens (or extends) it
  std::vector<std::size_t> grounds;       ///< launcher families grounded while open (the loader's default: opened_by)
  std::vector<std::size_t> grounds_pads;  ///< pads that launch nothing while open
  Distribution length;                    ///< days, drawn per failure; used when there is no `repair`
  RepairRef repair;                       ///< a task graph: a fresh instance per failure, lasting its completion
  ReturnToFlightSpec return_to_flight;    ///< counted from the close, across everything grounded
};

/// The random stream of an investigation: instance 0 is its own (lengths, gates); a task-graph
/// investigation's k-th instance (k >= 1) draws from instance k. Keyed by the investigation's id, as
/// a pad's repair instances are keyed by the pad's (repair_stream), so adding an investigation
/// changes no other entity's draws.
inline std::uint64_t investigation_stream(std::string_view id, std::size_t instance) noexcept {
  return stream_key("investigation", id, instance);
}

}  // namespace padsim::models
