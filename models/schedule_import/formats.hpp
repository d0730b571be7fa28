#pragma once
// Private to padsim::models: the schedule writers (export) and the small helpers the XER and
// MSPDI readers share with the TOML writer.

#include <string>
#include <string_view>

#include "padsim/models/schedule_import.hpp"

namespace padsim::models::schedule {

/// `schedule` as an XER file / an MSPDI document (every calendar, task and link it holds).
std::string write_xer(const ImportedSchedule& schedule);
std::string write_mspdi(const ImportedSchedule& schedule);

/// Days between two ISO 8601 date-times; throws ScheduleError at `line` naming a bad one.
double days_between(const std::string& from, const std::string& to, const std::string& file, int line);
/// `YYYY-MM-DD` of a day counted from 1899-12-30 (the serial day numbers P6 calendars use).
std::string serial_date(long serial);
/// `text` as UTF-8: valid UTF-8 is kept, anything else is read as Latin-1 (P6 writes Windows
/// code pages).
std::string to_utf8(std::string_view text);
/// A number as the files write it: integers without a decimal point, others to 6 decimals.
std::string plain_number(double x);

}  // namespace padsim::models::schedule
