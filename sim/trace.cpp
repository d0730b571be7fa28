#include "padsim/trace.hpp"

#include <algorithm>

namespace padsim {

CsvTraceSink::CsvTraceSink(std::ostream& out, Calendar calendar)
    : csv_(out), calendar_(calendar) {
  csv_.field("time").field("date").field("event").field("subject").field("details").end_row();
}

void CsvTraceSink::event(Time t, std::string_view event, std::string_view subject,
                         std::string_view details) {
  csv_.number(t).field(calendar_.datetime(t)).field(event).field(subject).field(details).end_row();
  ++count_;
}

void SortingTraceSink::event(Time t, std::string_view event, std::string_view subject,
                             std::string_view details) {
  entries_.push_back({t, std::string(event), std::string(subject), std::string(details)});
}

void SortingTraceSink::flush_to(TraceSink& out) {
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const Entry& a, const Entry& b) { return a.t < b.t; });
  for (const Entry& e : entries_) out.event(e.t, e.event, e.subject, e.details);
  entries_.clear();
}

}  // namespace padsim
