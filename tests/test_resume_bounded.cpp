// Checkpointed bounded-memory batches (run_checkpointed_bounded_batch): interrupted after any
// block and resumed on another thread count, every file of the result set is byte-identical to an
// uninterrupted bounded run's; damaged row files, another block size and a mode change between
// exact and bounded are refused.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "padsim/checkpoint.hpp"
#include "padsim/result_set.hpp"
#include "test_support.hpp"
#include "toy_models.hpp"

using padsim::test::stable_json;

using namespace padsim;
using padsim::test::options_for;
using padsim::test::read;
using padsim::test::TempDir;
using padsim::test::ToyRepairModel;

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kRuns = 2'300;  // 4 blocks of 500 and one of 300

BatchOptions bounded_options(unsigned threads) {
  BatchOptions o = options_for(threads, kRuns);
  o.bounded = true;
  o.block_replications = 500;
  o.retained_replications = 1'200;  // ends inside block 2
  o.dates = true;
  return o;
}

const std::vector<FingerprintPart> kBoundedParts = {{"seed", "42"}, {"--bounded-memory", "blocks of 500"}};


/// Runs `run` (a bounded batch writing into the given rows) and publishes the whole result set in
/// `dir`.
template <typename Run>
BatchResult publish(const Model& model, const BatchOptions& options, const fs::path& dir, Run run) {
  ResultSet set(dir);
  const RowStreams rows{&set.open("runs.csv"), &set.open("inputs.csv"), true};
  BatchResult result = run(rows);
  write_batch_outputs(model, result, options, set);
  set.commit();
  return result;
}

void check_same_files(const Model& model, const BatchOptions& options, const fs::path& a, const fs::path& b) {
  for (const auto& name : batch_output_files(model, options)) {
    CAPTURE(name);
    if (name == "run.json")
      CHECK(stable_json(read(b / name)) == stable_json(read(a / name)));
    else
      CHECK(read(b / name) == read(a / name));
  }
}

}  // namespace

TEST_CASE("a bounded batch interrupted after k blocks and resumed on other threads writes the uninterrupted files") {
  ToyRepairModel model;
  const BatchOptions options = bounded_options(1);
  TempDir dir("resume_bounded");
  const BatchResult whole = publish(model, options, dir.path / "whole",
                                    [&](const RowStreams& rows) { return run_bounded_batch(model, options, rows); });
  REQUIRE(whole.replications == 1'200);
  REQUIRE(total_replications(whole) == kRuns);

  // Interrupted inside block 1, 2 or 4: k blocks recorded, then resumed on 3 threads.
  for (const std::uint64_t stop_at : {std::uint64_t{700}, std::uint64_t{1'100}, std::uint64_t{2'100}}) {
    CAPTURE(stop_at);
    const fs::path ck = dir.path / ("ck" + std::to_string(stop_at));
    std::atomic<bool> stop{false};
    {
      const BatchCheckpoint cp = BatchCheckpoint::create(ck, kBoundedParts, 500);
      BatchOptions first = bounded_options(2);
      first.interrupt = &stop;
      model.on_run = [&stop, stop_at](std::uint64_t k) {
        if (k == stop_at) stop = true;
      };
      std::ostringstream runs, inputs;
      CHECK_THROWS_AS(run_checkpointed_bounded_batch(model, first, cp, {&runs, &inputs, true}), Interrupted);
      CHECK(cp.blocks_done() == stop_at / 500);
      CHECK(runs.str().empty());  // nothing reaches the result set before the last block
    }
    model.on_run = nullptr;
    const BatchCheckpoint cp = BatchCheckpoint::open(ck, kBoundedParts);
    const BatchOptions again = bounded_options(3);
    const fs::path resumed_dir = dir.path / ("resumed" + std::to_string(stop_at));
    const BatchResult resumed = publish(model, again, resumed_dir, [&](const RowStreams& rows) {
      return run_checkpointed_bounded_batch(model, again, cp, rows);
    });
    CHECK(cp.blocks_done() == 5);
    CHECK(resumed.threads == 3);
    CHECK(resumed.replications == 1'200);
    CHECK(resumed.series_replications == whole.series_replications);
    REQUIRE(resumed.streamed);
    CHECK(resumed.streamed->serialize() == whole.streamed->serialize());
    check_same_files(model, options, dir.path / "whole", resumed_dir);

    // A complete checkpoint runs nothing and writes the files again.
    std::atomic<int> ran{0};
    model.on_run = [&ran](std::uint64_t) { ++ran; };
    const fs::path again_dir = dir.path / ("again" + std::to_string(stop_at));
    publish(model, again, again_dir,
            [&](const RowStreams& rows) { return run_checkpointed_bounded_batch(model, again, cp, rows); });
    CHECK(ran == 0);
    model.on_run = nullptr;
    check_same_files(model, options, dir.path / "whole", again_dir);
  }
}

TEST_CASE("a bounded checkpoint refuses damaged row files, another block size and an exact batch") {
  const ToyRepairModel model;
  TempDir dir("resume_bounded_refusals");
  BatchOptions options = bounded_options(2);
  options.replications = 1'200;
  const BatchCheckpoint cp = BatchCheckpoint::create(dir.path / "ck", kBoundedParts, 500);
  std::ostringstream runs, inputs;
  run_checkpointed_bounded_batch(model, options, cp, {&runs, &inputs, true});
  REQUIRE(cp.blocks_done() == 3);
  CHECK(read(cp.rows_path(1, "runs.csv")).size() > 0);

  // A flipped byte in a row file, a truncated one: refused, naming the block file to remove.
  const fs::path row_file = cp.rows_path(1, "runs.csv");
  const std::string original = read(row_file);
  std::string flipped = original;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 1);
  std::ofstream(row_file, std::ios::binary | std::ios::trunc) << flipped;
  std::ostringstream sink;
  CHECK_THROWS_WITH_AS(run_checkpointed_bounded_batch(model, options, cp, {&sink, &sink, true}),
                       ("'" + row_file.string() + "' is damaged (checksum mismatch); remove '" +
                        cp.block_path(1).string() + "' and resume to run its block again").c_str(),
                       CheckpointError);
  std::ofstream(row_file, std::ios::binary | std::ios::trunc) << original.substr(1);
  CHECK_THROWS_WITH_AS(run_checkpointed_bounded_batch(model, options, cp, {&sink, &sink, true}),
                       doctest::Contains(("is damaged (it holds " + std::to_string(original.size() - 1) +
                                         " bytes, not the " + std::to_string(original.size()) + " recorded)")
                                            .c_str()), CheckpointError);
  // Removing the block file, as the message says, runs the block and its rows again.
  fs::remove(cp.block_path(1));
  std::ostringstream runs2, inputs2;
  run_checkpointed_bounded_batch(model, options, cp, {&runs2, &inputs2, true});
  CHECK(runs2.str() == runs.str());
  CHECK(inputs2.str() == inputs.str());

  BatchOptions other_block = options;
  other_block.block_replications = 400;
  CHECK_THROWS_WITH_AS(run_checkpointed_bounded_batch(model, other_block, cp, {&sink, &sink, true}),
                       ("the checkpoint in '" + cp.dir().string() +
                        "' is in blocks of 500 replications, not the bounded batch's 400").c_str(),
                       CheckpointError);
  // An exact batch cannot use a bounded checkpoint's blocks, nor the reverse.
  BatchOptions exact = options;
  exact.bounded = false;
  CHECK_THROWS_AS(run_checkpointed_batch(model, exact, cp), Error);
  CHECK_THROWS_AS(run_checkpointed_bounded_batch(model, exact, cp, {&sink, &sink, true}), Error);
}

TEST_CASE("a part only one side has is a difference naming it, with none for the side without it") {
  TempDir dir("resume_bounded_parts");
  const fs::path ck = dir.path / "ck";
  const std::vector<FingerprintPart> exact = {{"seed", "42"}};
  { const BatchCheckpoint cp = BatchCheckpoint::create(ck, exact, 10); }
  CHECK_THROWS_WITH_AS(BatchCheckpoint::open(ck, kBoundedParts),
                       ("the checkpoint in '" + ck.string() +
                        "' is of another --bounded-memory (checkpoint: none, this run: blocks of 500)").c_str(),
                       CheckpointError);
  const fs::path ck2 = dir.path / "ck2";
  { const BatchCheckpoint cp = BatchCheckpoint::create(ck2, kBoundedParts, 10); }
  CHECK_THROWS_WITH_AS(BatchCheckpoint::open(ck2, exact),
                       ("the checkpoint in '" + ck2.string() +
                        "' is of another --bounded-memory (checkpoint: blocks of 500, this run: none)").c_str(),
                       CheckpointError);
  CHECK(BatchCheckpoint::open(ck2, kBoundedParts).block_replications() == 10);
}
