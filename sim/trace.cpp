#include "padsim/trace.hpp"

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

}  // namespace padsim
