// Checkpointed batches (padsim/checkpoint.hpp): a batch interrupted after any block and resumed,
// on another thread count, gives exactly the values and files of one uninterrupted run_batch();
// a checkpoint of another batch, a damaged one or none at all is refused.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "padsim/checkpoint.hpp"
#include "test_support.hpp"
#include "toy_models.hpp"

using padsim::test::stable_json;

using namespace padsim;
using padsim::test::check_same_result;
using padsim::test::options_for;
using padsim::test::read;
using padsim::test::TempDir;
using padsim::test::ToyRepairModel;

namespace fs = std::filesystem;

namespace {

const std::vector<FingerprintPart> kParts = {{"version", "1"}, {"seed", "42"}, {"runs", "600"}};

}  // namespace

TEST_CASE("a batch result survives serialization bit for bit, and damaged bytes are refused") {
  const ToyRepairModel model;
  BatchOptions options = options_for(2, 90);
  options.first_replication = 30;
  options.series_memory_bytes = 100 * 30 * 2 * sizeof(double);  // series of replications 0-99
  const BatchResult r = run_batch(model, options);
  REQUIRE(r.series_replications == 70);
  const std::string bytes = serialize_batch_result(r);
  const BatchResult back = deserialize_batch_result(bytes);
  check_same_result(back, r);
  CHECK(back.threads == r.threads);
  CHECK(back.wall_seconds == r.wall_seconds);
  CHECK(back.series_count == r.series_count);
  CHECK(back.series_days == r.series_days);
  CHECK_THROWS_WITH_AS(deserialize_batch_result(bytes.substr(0, bytes.size() - 1)),
                       "serialized batch result ends too early", Error);
  CHECK_THROWS_WITH_AS(deserialize_batch_result(bytes + "x"),
                       "serialized batch result has bytes after its end", Error);
  CHECK_THROWS_WITH_AS(deserialize_batch_result("nonsense, not a result"), "not a serialized batch result",
                       Error);
}

TEST_CASE("fingerprints tell apart parts whose concatenations are equal") {
  CHECK(fingerprint_of({{"a", "bc"}}) != fingerprint_of({{"ab", "c"}}));
  CHECK(fingerprint_of({{"a", "b"}, {"c", ""}}) != fingerprint_of({{"a", "b\nc"}}));
  CHECK(fingerprint_of(kParts) == fingerprint_of(kParts));
  CHECK(fingerprint_of(kParts).size() == 64);
}

TEST_CASE("a checkpointed batch interrupted mid-block and resumed on other threads equals run_batch, files too") {
  ToyRepairModel model;
  BatchOptions options = options_for(1, 600);
  // Series kept for replications 0-99 only: the limit falls inside block 2 (blocks of 37).
  options.series_memory_bytes = 100 * 30 * 2 * sizeof(double);
  const BatchResult whole = run_batch(model, options);
  REQUIRE(whole.series_replications == 100);

  TempDir dir("resume_ck");
  const fs::path ck = dir.path / "ck";
  std::atomic<bool> stop{false};
  {
    const BatchCheckpoint cp = BatchCheckpoint::create(ck, kParts, 37);
    BatchOptions first = options;
    first.threads = 2;
    first.interrupt = &stop;
    model.on_run = [&stop](std::uint64_t k) {
      if (k == 300) stop = true;
    };
    CHECK_THROWS_AS(run_checkpointed_batch(model, first, cp), Interrupted);
    CHECK(cp.blocks_done() == 300 / 37);  // blocks 0-7 end at 296; block 8 holds replication 300
  }
  model.on_run = nullptr;
  BatchOptions again = options;
  again.threads = 3;
  const BatchCheckpoint cp = BatchCheckpoint::open(ck, kParts);
  CHECK(cp.block_replications() == 37);
  const BatchResult resumed = run_checkpointed_batch(model, again, cp);
  check_same_result(resumed, whole);
  CHECK(cp.blocks_done() == 17);  // 16 blocks of 37 and one of 8
  CHECK(resumed.threads == 3);

  TempDir one("resume_whole"), two("resume_resumed");
  write_batch_outputs(model, whole, options, one.path);
  write_batch_outputs(model, resumed, options, two.path);
  for (const auto& name : batch_output_files(model)) {
    CAPTURE(name);
    if (name == "run.json")
      CHECK(stable_json(read(two.path / name)) == stable_json(read(one.path / name)));
    else
      CHECK(read(two.path / name) == read(one.path / name));
  }

  SUBCASE("a complete checkpoint runs nothing and gives the result again") {
    std::atomic<int> ran{0};
    model.on_run = [&ran](std::uint64_t) { ++ran; };
    check_same_result(run_checkpointed_batch(model, again, cp), whole);
    CHECK(ran == 0);
  }
  SUBCASE("the missing blocks are run again, whichever they are") {
    for (std::uint64_t b = 5; b < 17; ++b) fs::remove(cp.block_path(b));
    CHECK(cp.blocks_done() == 5);
    check_same_result(run_checkpointed_batch(model, again, cp), whole);
    CHECK(cp.blocks_done() == 17);
  }
}

TEST_CASE("a checkpoint of another batch, a damaged one or none is refused with the part that differs") {
  TempDir dir("resume_refusals");
  const fs::path ck = dir.path / "ck";
  CHECK_THROWS_WITH_AS(BatchCheckpoint::open(ck, kParts),
                       ("'" + ck.string() + "' holds no checkpoint (no checkpoint.txt)").c_str(),
                       CheckpointError);
  {
    const BatchCheckpoint cp = BatchCheckpoint::create(ck, kParts, 10);
    // One writer at a time: a second one (here in the same process) is refused while it lives.
    CHECK_THROWS_WITH_AS(BatchCheckpoint::open(ck, kParts),
                         doctest::Contains(("the checkpoint in '" + ck.string() +
                                            "' is in use: output directory").c_str()),
                         OutputError);
  }
  CHECK_THROWS_WITH_AS(BatchCheckpoint::create(ck, kParts, 10),
                       ("'" + ck.string() + "' holds a checkpoint already").c_str(), CheckpointError);
  std::vector<FingerprintPart> other = kParts;
  other[1].text = "43";
  CHECK_THROWS_WITH_AS(BatchCheckpoint::open(ck, other),
                       ("the checkpoint in '" + ck.string() +
                        "' is of another seed (checkpoint: 42, this run: 43)").c_str(),
                       CheckpointError);
  other = kParts;
  other[0].text = "2";
  CHECK_THROWS_WITH_AS(BatchCheckpoint::open(ck, other),
                       doctest::Contains("is of another version (checkpoint: 1, this run: 2)"),
                       CheckpointError);

  // A part edited without its fingerprint: the file is damaged, not another batch's.
  const fs::path manifest = ck / "checkpoint.txt";
  std::string text = read(manifest);
  text.replace(text.find("part seed=42"), 12, "part seed=41");
  std::ofstream(manifest, std::ios::binary) << text;
  CHECK_THROWS_WITH_AS(BatchCheckpoint::open(ck, kParts),
                       ("'" + manifest.string() + "' is damaged: its fingerprint does not match its parts").c_str(),
                       CheckpointError);

  // A block of another checkpoint, or with a flipped byte, is refused when it is read.
  TempDir dir2("resume_blocks");
  const ToyRepairModel model;
  const BatchCheckpoint a = BatchCheckpoint::create(dir2.path / "a", kParts, 10);
  const BatchCheckpoint b = BatchCheckpoint::create(dir2.path / "b", {{"seed", "1"}}, 10);
  a.save_block(0, run_batch(model, options_for(1, 10)));
  CHECK(a.load_block(0).replications == 10);
  fs::copy_file(a.block_path(0), b.block_path(0));
  CHECK_THROWS_WITH_AS(b.load_block(0), doctest::Contains("it belongs to another checkpoint"), CheckpointError);
  std::string block = read(a.block_path(0));
  block[block.size() / 2] = static_cast<char>(block[block.size() / 2] ^ 1);
  std::ofstream(a.block_path(0), std::ios::binary | std::ios::trunc) << block;
  CHECK_THROWS_WITH_AS(a.load_block(0), doctest::Contains("is damaged (checksum mismatch)"), CheckpointError);
}

TEST_CASE("a block file put in another block's place is refused when the blocks are joined") {
  const ToyRepairModel model;
  TempDir dir("resume_swapped");
  const BatchCheckpoint cp = BatchCheckpoint::create(dir.path / "ck", kParts, 10);
  const BatchOptions options = options_for(2, 25);
  CHECK(run_checkpointed_batch(model, options, cp).replications == 25);
  fs::copy_file(cp.block_path(0), cp.block_path(1), fs::copy_options::overwrite_existing);
  CHECK_THROWS_WITH_AS(cp.load_block(1), doctest::Contains("holds another range of replications"),
                       CheckpointError);
  CHECK_THROWS_WITH_AS(run_checkpointed_batch(model, options, cp),
                       ("'" + cp.block_path(1).string() +
                        "' is damaged (serialized batch result: the range starts at replication 0, "
                        "not 10); remove it and resume to run its block again").c_str(),
                       CheckpointError);
  fs::remove(cp.block_path(1));
  check_same_result(run_checkpointed_batch(model, options, cp), run_batch(model, options));
}
