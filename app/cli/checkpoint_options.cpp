#include "checkpoint_options.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>

#include <spdlog/spdlog.h>

#include "padsim/result_set.hpp"
#include "cli_checks.hpp"

namespace padsim::cli {

namespace {

// Whether `inner` is `outer` or lies inside it (both made absolute, symbolic links resolved where
// they exist).
bool within(const std::filesystem::path& inner, const std::filesystem::path& outer) {
  const std::filesystem::path a = result_directory(inner), b = result_directory(outer);
  const auto [end_b, end_a] = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
  return end_b == b.end();
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
  return out;
}

}  // namespace

void add_checkpoint_options(CLI::App& run_cmd, CheckpointOptions& options) {
  auto* start = run_cmd.add_option(
      "--checkpoint", options.checkpoint,
      "DIR: record each completed block of replications in DIR (new or empty), so that a killed "
      "run can continue with --resume DIR (docs/outputs.md \"Checkpoints and resume\")");
  auto* resume = run_cmd.add_option(
      "--resume", options.resume,
      "DIR: continue the checkpointed run in DIR (same scenario, --set, --seed, --runs and mode "
      "flags) and write its results, byte-identical to an uninterrupted run");
  start->excludes(resume);
  options.every_option =
      run_cmd
          .add_option("--checkpoint-every", options.every,
                      "--checkpoint: replications per recorded block (default " +
                          std::to_string(kDefaultCheckpointBlock) + "; --resume keeps the checkpoint's)")
          ->check(integer_in(1, std::numeric_limits<std::uint64_t>::max()));
  // Hidden (no group): lets the tests checkpoint a bounded batch in small blocks.
  run_cmd
      .add_option("--bounded-block-replications", options.bounded_block,
                  "--bounded-memory: replications per block (testing only)")
      ->check(integer_in(1, std::numeric_limits<std::uint64_t>::max()))
      ->group("");
}

void apply_bounded_block(const CheckpointOptions& checkpointing, BatchOptions& options) {
  if (checkpointing.bounded_block == 0) return;
  if (!options.bounded) bad_option("--bounded-block-replications needs --bounded-memory");
  options.block_replications = checkpointing.bounded_block;
}

std::vector<FingerprintPart> batch_fingerprint(const RunSetup& setup) {
  const BatchOptions& o = setup.options;
  std::vector<FingerprintPart> parts = {{"padsim version", PADSIM_VERSION},
                                        {"scenario", "sha256 " + o.scenario_sha256},
                                        {"overrides", joined(o.overrides, "\n")},
                                        {"seed", std::to_string(o.seed)},
                                        {"runs", std::to_string(o.replications)},
                                        {"options", joined(o.mode_flags, " ")}};
  // An exact batch's files do not depend on --dates (they are written from the whole result
  // after the batch); a bounded one's runs.csv rows are recorded with their date columns.
  if (o.bounded)
    parts.push_back({"--bounded-memory", "--retained-runs " + std::to_string(o.retained_replications) +
                                             (o.dates ? " --dates" : "") + (o.rows ? "" : " --no-rows") +
                                             ", blocks of " +
                                             std::to_string(o.block_replications)});
  return parts;
}

std::optional<BatchCheckpoint> prepare_checkpoint(const CheckpointOptions& options,
                                                  const RunSetup& setup) {
  if (!options.active()) {
    if (options.every_option && options.every_option->count() > 0)
      bad_option("--checkpoint-every needs --checkpoint DIR or --resume DIR");
    return std::nullopt;
  }
  const std::string flag = options.resume.empty() ? "--checkpoint" : "--resume";
  const std::filesystem::path dir = options.resume.empty() ? options.checkpoint : options.resume;
  if (setup.options.auto_runs)
    bad_option(flag + " needs a fixed --runs (--runs auto decides the count as it goes)");
  const bool every_given = options.every_option && options.every_option->count() > 0;
  // A bounded batch's statistics merge block by block, so it is recorded at its own blocks.
  if (setup.options.bounded && every_given && options.every != setup.options.block_replications)
    bad_option("--checkpoint-every " + std::to_string(options.every) + ": a --bounded-memory batch "
               "is recorded at its own blocks of " + std::to_string(setup.options.block_replications) +
               " replications (leave --checkpoint-every out)");
  if (within(dir, setup.out_dir))
    bad_option(flag + " " + dir.string() + ": the checkpoint cannot be the output directory or "
               "inside it (publishing the results replaces that directory)");
  if (options.resume.empty())
    return BatchCheckpoint::create(dir, batch_fingerprint(setup),
                                   setup.options.bounded ? setup.options.block_replications : options.every);
  BatchCheckpoint checkpoint = BatchCheckpoint::open(dir, batch_fingerprint(setup));
  if (every_given && options.every != checkpoint.block_replications())
    bad_option("--checkpoint-every " + std::to_string(options.every) + ": the checkpoint in " +
               dir.string() + " is in blocks of " + std::to_string(checkpoint.block_replications()) +
               " replications (leave --checkpoint-every out to keep them)");
  return checkpoint;
}

namespace {

// Runs `run` (the checkpointed batch), logging how far the checkpoint had come and, when
// interrupted, how to continue.
template <typename Run>
BatchResult logged(const BatchOptions& options, const BatchCheckpoint& checkpoint, Run run) {
  const std::uint64_t block = checkpoint.block_replications();
  const std::uint64_t recorded = std::min(options.replications, checkpoint.blocks_done() * block);
  if (recorded > 0)
    spdlog::info("{}: {} of {} replications recorded, running the rest", checkpoint.dir().string(),
                 recorded, options.replications);
  try {
    return run();
  } catch (const Interrupted&) {
    spdlog::info("{} keeps {} replications: continue with --resume {}", checkpoint.dir().string(),
                 std::min(options.replications, checkpoint.blocks_done() * block),
                 checkpoint.dir().string());
    throw;
  }
}

}  // namespace

BatchResult run_with_checkpoint(const RunSetup& setup, const BatchOptions& options,
                                const BatchCheckpoint& checkpoint) {
  return logged(options, checkpoint,
                [&] { return run_checkpointed_batch(*setup.model, options, checkpoint); });
}

BatchResult run_with_checkpoint(const RunSetup& setup, const BatchOptions& options,
                                const BatchCheckpoint& checkpoint, const RowStreams& rows) {
  return logged(options, checkpoint,
                [&] { return run_checkpointed_bounded_batch(*setup.model, options, checkpoint, rows); });
}

}  // namespace padsim::cli
