// timeseries.csv: per day and series, P10/P50/P90 over the replications whose series were kept.
#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "output_writers.hpp"
#include "padsim/calendar.hpp"
#include "padsim/statistics.hpp"

namespace padsim::detail {

namespace {

// Series are stored replication-major; gathering one (day, series) cell across replications
// would touch one cache line per replication. Cells are gathered a block of days at a time
// instead (each replication's block is contiguous), and each block is one part of the file, so
// blocks are computed in parallel and concatenated in order.
constexpr std::size_t kBlockDays = 8;
// Replications ahead whose block is fetched while gathering the current one.
constexpr std::size_t kAhead = 8;

class TimeseriesWriter final : public OutputWriter {
 public:
  std::string file_name() const override { return "timeseries.csv"; }
  std::size_t parts(const BatchOutput& batch) const override {
    const BatchResult& result = batch.result;
    if (result.series_count == 0 || result.series_days == 0) return 1;
    return (result.series_days + kBlockDays - 1) / kBlockDays;
  }
  void write(const BatchOutput& batch, std::size_t part, std::ostream& out) const override {
    const Model& model = batch.model;
    const BatchResult& result = batch.result;
    CsvWriter csv(out);
    if (part == 0) {
      csv.field("day").field("date").field("series").field("p10").field("p50").field("p90");
      csv.field("n").end_row();
    }
    if (result.series_count == 0 || result.series_days == 0) return;
    const Calendar calendar(model.epoch());
    const std::size_t per_rep = result.series_days * result.series_count;
    const std::size_t first = part * kBlockDays;
    const std::size_t days = std::min(kBlockDays, result.series_days - first);
    const std::size_t width = days * result.series_count;
    // One column of `reps` values per cell. The buffer is kept per thread: allocating it for
    // every block would fault its pages in again each time, which cost more than the percentiles.
    const std::size_t reps = result.series_replications;
    thread_local std::vector<double> buffer;
    if (buffer.size() < width * reps) buffer.resize(width * reps);
    // Each cell's extremes are found while gathering, sparing percentiles_select a pass.
    std::vector<std::size_t> count(width, 0);
    std::vector<double> lowest(width, std::numeric_limits<double>::infinity());
    std::vector<double> highest(width, -std::numeric_limits<double>::infinity());
    // Until a replication leaves a cell of the block empty (NaN), every cell holds `gathered`
    // values: a replication's block is then copied without counting cell by cell, and its
    // extremes taken a vector at a time.
    std::size_t gathered = 0;
    bool uneven = false;
    for (std::uint64_t k = 0; k < reps; ++k) {
      const double* block = result.series.data() + k * per_rep + first * result.series_count;
#if defined(__GNUC__)
      // Blocks lie a replication's series apart, too far apart for the hardware to fetch the next
      // ones unasked: asked for, `padsim run --runs 12000` took ~0.2 s less CPU (of ~0.85 s).
      if (k + kAhead < reps)
        for (std::size_t c = 0; c < width; c += 8) __builtin_prefetch(block + kAhead * per_rep + c);
#endif
      if (!uneven) {
        bool empty = false;
        for (std::size_t c = 0; c < width; ++c) empty |= std::isnan(block[c]);
        if (!empty) {
          for (std::size_t c = 0; c < width; ++c) {
            buffer[c * reps + gathered] = block[c];
            lowest[c] = std::min(lowest[c], block[c]);
            highest[c] = std::max(highest[c], block[c]);
          }
          ++gathered;
          continue;
        }
        uneven = true;
      }
      for (std::size_t c = 0; c < width; ++c) {
        const double v = block[c];
        if (std::isnan(v)) continue;
        buffer[c * reps + gathered + count[c]++] = v;
        lowest[c] = std::min(lowest[c], v);
        highest[c] = std::max(highest[c], v);
      }
    }
    for (std::size_t& n : count) n += gathered;
    constexpr double kPs[] = {0.10, 0.50, 0.90};
    double percentiles[3];
    for (std::size_t d = 0; d < days; ++d) {
      const std::string date = calendar.date(static_cast<double>(first + d));
      for (std::size_t s = 0; s < result.series_count; ++s) {
        const std::size_t c = d * result.series_count + s;
        const std::span<double> values(buffer.data() + c * reps, count[c]);
        csv.integer(static_cast<std::uint64_t>(first + d)).field(date).field(model.series_names()[s]);
        percentiles_select(values, lowest[c], highest[c], kPs, percentiles);
        for (const double x : percentiles) finite_cell(csv, x);
        csv.integer(static_cast<std::uint64_t>(values.size())).end_row();
      }
    }
  }
  std::vector<ColumnInfo> columns(const Model&, const BatchOptions&) const override {
    const std::string none = "no replication kept a value for that day";
    return {{"day", "day", "id", "", "days since the epoch, at the start of the day"},
            {"date", "", "text", "", "the day as an ISO 8601 date (UTC)"},
            {"series", "", "text", "", "the daily series (a stock's level in kg, or a head count)"},
            {"p10", "", "value", none, "10th percentile over the replications that kept series"},
            {"p50", "", "value", none, "median over the replications that kept series"},
            {"p90", "", "value", none, "90th percentile over the replications that kept series"},
            {"n", "", "count", "", "replications with a value that day (run.json: series_replications)"}};
  }
};

}  // namespace

std::unique_ptr<OutputWriter> make_timeseries_writer() {
  return std::make_unique<TimeseriesWriter>();
}

}  // namespace padsim::detail
