#pragma once
/// The event trace of one replication as CSV (`padsim replay --trace`): one row per event with
/// columns time (days since the epoch), date (ISO 8601 UTC), event, subject, details.

#include <ostream>
#include <string>
#include <vector>

#include "padsim/calendar.hpp"
#include "padsim/csv.hpp"
#include "padsim/monte_carlo.hpp"

namespace padsim {

/// A TraceSink writing CSV rows to a stream; the header is written on construction.
class CsvTraceSink : public TraceSink {
 public:
  CsvTraceSink(std::ostream& out, Calendar calendar);
  void event(Time t, std::string_view event, std::string_view subject,
             std::string_view details) override;
  /// Events written so far.
  std::uint64_t count() const noexcept { return count_; }

 private:
  CsvWriter csv_;
  Calendar calendar_;
  std::uint64_t count_ = 0;
};

/// Collects events and hands them on in time order. For models that learn of some events only after
/// later ones happened: the start of a project's step is known for certain only when the project
/// completes.
/// Equal times keep the order the events were recorded in.
class SortingTraceSink : public TraceSink {
 public:
  void event(Time t, std::string_view event, std::string_view subject,
             std::string_view details) override;
  /// Sends every collected event to `out`, earliest first, and forgets them.
  void flush_to(TraceSink& out);

 private:
  struct Entry {
    Time t;
    std::string event, subject, details;
  };
  std::vector<Entry> entries_;
};

}  // namespace padsim
