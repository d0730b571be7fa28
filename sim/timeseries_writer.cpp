// timeseries.csv: per day and series, P10/P50/P90 over the replications whose series were kept.
#include <algorithm>
#include <cmath>

#include "output_writers.hpp"
#include "padsim/calendar.hpp"
#include "padsim/statistics.hpp"

namespace padsim::detail {

namespace {

class TimeseriesWriter final : public OutputWriter {
 public:
  std::string file_name() const override { return "timeseries.csv"; }
  void write(const BatchOutput& batch, std::size_t, std::ostream& out) const override {
    const Model& model = batch.model;
    const BatchResult& result = batch.result;
    CsvWriter csv(out);
    csv.field("day").field("date").field("series").field("p10").field("p50").field("p90");
    csv.field("n").end_row();
    if (result.series_count == 0 || result.series_days == 0) return;
    const Calendar calendar(model.epoch());
    const std::size_t per_rep = result.series_days * result.series_count;
    // Series are stored replication-major; gathering one (day, series) cell across replications
    // would touch one cache line per replication. Copy a block of days at a time instead: each
    // replication's block is contiguous.
    constexpr std::size_t kBlockDays = 32;
    std::vector<std::vector<double>> cells(kBlockDays * result.series_count);
    for (std::size_t first = 0; first < result.series_days; first += kBlockDays) {
      const std::size_t days = std::min(kBlockDays, result.series_days - first);
      const std::size_t width = days * result.series_count;
      for (std::size_t c = 0; c < width; ++c) cells[c].clear();
      for (std::uint64_t k = 0; k < result.series_replications; ++k) {
        const double* block = result.series.data() + k * per_rep + first * result.series_count;
        for (std::size_t c = 0; c < width; ++c)
          if (!std::isnan(block[c])) cells[c].push_back(block[c]);
      }
      for (std::size_t d = 0; d < days; ++d) {
        const std::string date = calendar.date(static_cast<double>(first + d));
        for (std::size_t s = 0; s < result.series_count; ++s) {
          std::vector<double>& values = cells[d * result.series_count + s];
          csv.integer(static_cast<std::uint64_t>(first + d)).field(date).field(model.series_names()[s]);
          for (const double p : {0.10, 0.50, 0.90}) finite_cell(csv, percentile_select(values, p));
          csv.integer(static_cast<std::uint64_t>(values.size())).end_row();
        }
      }
    }
  }
  std::vector<ColumnInfo> columns(const Model&) const override {
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
