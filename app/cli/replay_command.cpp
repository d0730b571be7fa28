#include "replay_command.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "padsim/batch.hpp"
#include "padsim/csv.hpp"
#include "padsim/rng.hpp"
#include "padsim/trace.hpp"

namespace padsim::cli {

std::uint64_t replication_at_percentile(const Model& model, const CommonOptions& common,
                                        const ReplayOptions& replay_options,
                                        const BatchRunner& runner) {
  const std::string& at = replay_options.at;
  const std::size_t colon = at.rfind(':');  // outcome names may hold ':' themselves
  const std::string name = colon == std::string::npos ? at : at.substr(0, colon);
  const std::string stat = colon == std::string::npos ? "" : at.substr(colon + 1);
  double percent = -1.0;
  if (stat.size() >= 2 && stat[0] == 'p') {
    char* end = nullptr;
    percent = std::strtod(stat.c_str() + 1, &end);
    if (end != stat.c_str() + stat.size() || !(percent >= 0.0 && percent <= 100.0)) percent = -1.0;
  }
  if (percent < 0.0)
    bad_option("--at: expected OUTCOME:pNN with NN from 0 to 100 (e.g. pad_ready_day:p90), got '" +
               at + "'");
  const auto& outcomes = model.outcomes();
  const auto it = std::find_if(outcomes.begin(), outcomes.end(),
                               [&](const OutcomeInfo& o) { return o.name == name; });
  if (it == outcomes.end()) bad_option("--at: the scenario has no outcome '" + name + "'");
  RunOptions run;
  run.runs = replay_options.runs;
  run.threads = replay_options.threads;
  BatchOptions options = batch_options(common, run);
  refuse_oversized_batch(model, options, false);  // no output files: the results only
  spdlog::info("--at {}: running the batch of {} replications (seed {}) to find it", at,
               options.replications, options.seed);
  const BatchResult batch = runner(model, options);
  return replication_at(model, batch, static_cast<std::size_t>(it - outcomes.begin()),
                        percent / 100.0);
}

void replay_one(const Model& model, const Calendar& calendar, const CommonOptions& common,
                const ReplayOptions& replay_options, std::ostream& trace_out) {
  ReplicationResult result;
  std::uint64_t events = 0;
  const bool to_stdout = replay_options.trace == "-";
  if (to_stdout) {
    CsvTraceSink sink(trace_out, calendar);
    result = replay(model, common.seed, replay_options.replication, &sink);
    events = sink.count();
  } else {
    const std::filesystem::path trace_path(replay_options.trace);
    if (trace_path.has_parent_path()) ensure_output_directory(trace_path.parent_path());
    AtomicFile file(trace_path);
    CsvTraceSink sink(file.stream(), calendar);
    result = replay(model, common.seed, replay_options.replication, &sink);
    events = sink.count();
    if (sigint_flag()) throw Interrupted("interrupted");
    file.commit();
  }
  if (!replay_options.out.empty())
    write_replay_runs(model, common.seed, replay_options.replication, result, replay_options.out);
  spdlog::info("replication {} (seed {}): {} events traced to {}{}", replay_options.replication,
               Rng::replication_seed(common.seed, replay_options.replication), events,
               to_stdout ? "stdout" : replay_options.trace,
               replay_options.out.empty() ? "" : ", runs.csv in " + replay_options.out);
}

}  // namespace padsim::cli
