// run.json: how the batch was run (provenance, --runs auto's criteria, the files written).
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include "output_writers.hpp"
#include "padsim/bounded_batch.hpp"
#include "padsim/calendar.hpp"

namespace padsim::detail {

namespace {

/// The horizon as an ISO 8601 date-time; empty when the epoch cannot be read.
std::string horizon_datetime(const Model& model) {
  try {
    return Calendar(model.epoch()).datetime(model.horizon());
  } catch (const Error&) {
    return {};
  }
}

/// `references` (known dates of outcomes) and `series_levels` (e.g. reserves), for charts.
void write_references(const Model& model, std::ostream& out) {
  const auto references = model.references();
  out << "  \"references\": [";
  for (std::size_t i = 0; i < references.size(); ++i) {
    const OutcomeReference& r = references[i];
    std::string date;
    try {
      date = Calendar(model.epoch()).datetime(r.value);
    } catch (const Error&) {
    }
    out << (i ? ",\n    " : "\n    ") << "{\"outcome\": " << json_string(r.outcome) << ", \"day\": " << json_number(r.value)
        << ", \"date\": " << json_string(date) << ", \"label\": " << json_string(r.label) << "}";
  }
  out << (references.empty() ? "],\n" : "\n  ],\n");
  const auto levels = model.series_levels();
  out << "  \"series_levels\": [";
  for (std::size_t i = 0; i < levels.size(); ++i)
    out << (i ? ",\n    " : "\n    ") << "{\"series\": " << json_string(levels[i].series)
        << ", \"value\": " << json_number(levels[i].value) << ", \"label\": " << json_string(levels[i].label) << "}";
  out << (levels.empty() ? "],\n" : "\n  ],\n");
}

class RunJsonWriter final : public OutputWriter {
 public:
  std::string file_name() const override { return "run.json"; }
  std::vector<ColumnInfo> columns(const Model&, const BatchOptions&) const override { return {}; }  // not CSV
  void write(const BatchOutput& batch, std::size_t, std::ostream& out) const override {
    const BatchResult& result = batch.result;
    const BatchOptions& options = batch.options;
    const Model& model = batch.model;
    out << "{\n";
    out << "  \"padsim_version\": " << json_string(PADSIM_VERSION) << ",\n";
    out << "  \"scenario\": " << json_string(options.scenario) << ",\n";
    out << "  \"scenario_sha256\": " << json_string(options.scenario_sha256) << ",\n";
    out << "  \"scenario_name\": " << json_string(model.name()) << ",\n";
    out << "  \"epoch\": " << json_string(model.epoch()) << ",\n";
    out << "  \"horizon_days\": " << json_number(model.horizon()) << ",\n";
    out << "  \"horizon\": " << json_string(horizon_datetime(model)) << ",\n";
    out << "  \"mode_flags\": " << json_string_array(options.mode_flags) << ",\n";
    out << "  \"overrides\": " << json_string_array(options.overrides) << ",\n";
    write_references(model, out);
    out << "  \"seed\": " << result.seed << ",\n";
    // The same seed as text: a JSON reader that holds numbers as doubles (R, JavaScript) loses
    // the last digits of a 64-bit seed.
    out << "  \"seed_text\": " << json_string(std::to_string(result.seed)) << ",\n";
    out << "  \"runs\": " << (result.auto_runs ? "\"auto\"" : "\"fixed\"") << ",\n";
    if (result.auto_runs) {
      out << "  \"tolerance\": " << json_number(options.tolerance) << ",\n";
      out << "  \"round_size\": " << options.round_size << ",\n";
      out << "  \"max_replications\": " << options.max_replications << ",\n";
      out << "  \"converged\": " << (result.converged ? "true" : "false") << ",\n";
      out << "  \"convergence\": [";
      for (std::size_t i = 0; i < result.convergence.size(); ++i) {
        const ConvergenceCheck& c = result.convergence[i];
        out << (i ? ",\n    " : "\n    ") << "{\"outcome\": " << json_string(c.outcome)
            << ", \"statistic\": " << json_string(c.statistic)
            << ", \"half_width\": " << json_number(c.half_width)
            << ", \"allowed\": " << json_number(c.allowed) << ", \"ok\": " << (c.ok ? "true" : "false")
            << "}";
      }
      out << (result.convergence.empty() ? "],\n" : "\n  ],\n");
    }
    out << "  \"replications\": " << total_replications(result) << ",\n";
    // Exact: every statistic from every value. Bounded (--bounded-memory): percentiles from a
    // sketch, rank correlations from the first retained_replications.
    out << "  \"statistics\": " << (result.streamed ? "\"bounded\"" : "\"exact\"") << ",\n";
    if (result.streamed) {
      out << "  \"percentile_relative_error\": " << json_number(QuantileSketch::kRelativeError) << ",\n";
      out << "  \"retained_replications\": " << result.replications << ",\n";
    }
    out << "  \"series_replications\": " << result.series_replications << ",\n";
    out << "  \"command_line\": " << json_string(options.command_line) << ",\n";
    out << "  \"files\": " << json_string_array(batch_output_files(batch.model, batch.options)) << ",\n";
    // The only fields that may differ between runs with the same seed.
    out << "  \"processes\": " << result.processes << ",\n";
    out << "  \"threads\": " << result.threads << ",\n";
    out << "  \"wall_time_seconds\": " << json_number(std::round(result.wall_seconds * 1000.0) / 1000.0)
        << "\n";
    out << "}\n";
  }
};

}  // namespace

std::unique_ptr<OutputWriter> make_run_json_writer() { return std::make_unique<RunJsonWriter>(); }

}  // namespace padsim::detail
