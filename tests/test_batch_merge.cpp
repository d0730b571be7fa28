// Distributed batches: ranges of replications run separately and merged give exactly the result
// (and the files) of one batch; parts that do not fit together are refused.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "padsim/batch.hpp"
#include "padsim/bounded_batch.hpp"
#include "test_support.hpp"
#include "toy_models.hpp"

using namespace padsim;
using padsim::test::ToyRepairModel;
using padsim::test::options_for;
using padsim::test::TempDir;
using padsim::test::read;
using padsim::test::lines;
using padsim::test::same_values;

namespace {

bool same_tables(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same_values(a[i], b[i])) return false;
  return true;
}

BatchResult run_range(const Model& model, std::uint64_t first, std::uint64_t count,
                      unsigned threads, std::uint64_t series_memory_bytes) {
  BatchOptions options = options_for(threads, count);
  options.first_replication = first;
  options.series_memory_bytes = series_memory_bytes;
  return run_batch(model, options);
}

}  // namespace

TEST_CASE("merged results of replications 0-249 and 250-599 equal run_batch of 0-599 field by field") {
  const ToyRepairModel model;
  constexpr std::uint64_t kSeriesBytes = 30 * 2 * sizeof(double);  // per replication
  // Series of every replication, and a global limit inside the first range, at its end and
  // inside the second range: the merged result keeps the first replications, as one batch does.
  for (const std::uint64_t kept : {600u, 100u, 250u, 400u}) {
    CAPTURE(kept);
    const BatchResult whole = run_range(model, 0, 600, 1, kept * kSeriesBytes);
    const BatchResult head = run_range(model, 0, 250, 2, kept * kSeriesBytes);
    const BatchResult tail = run_range(model, 250, 350, 3, kept * kSeriesBytes);
    CHECK(tail.first_replication == 250);
    CHECK(tail.replications == 350);
    CHECK(head.series_replications == std::min<std::uint64_t>(kept, 250));
    CHECK(tail.series_replications == (kept > 250 ? kept - 250 : 0));

    const BatchResult merged = merge_batch_results({head, tail});
    CHECK(merged.seed == whole.seed);
    CHECK(merged.first_replication == 0);
    CHECK(merged.replications == whole.replications);
    CHECK(merged.auto_runs == whole.auto_runs);
    CHECK(merged.outcome_count == whole.outcome_count);
    CHECK(merged.input_count == whole.input_count);
    CHECK(merged.table_cells == whole.table_cells);
    CHECK(merged.series_count == whole.series_count);
    CHECK(merged.series_days == whole.series_days);
    CHECK(merged.series_replications == whole.series_replications);
    CHECK(merged.series_replications == kept);
    CHECK(same_values(merged.outcomes, whole.outcomes));
    CHECK(same_values(merged.inputs, whole.inputs));
    CHECK(same_tables(merged.tables, whole.tables));
    CHECK(same_values(merged.series, whole.series));
    // Allowed to differ: they describe how the batch ran.
    CHECK(merged.processes == 2);
    CHECK(merged.threads == 3);

    TempDir one("merge_whole"), two("merge_parts");
    BatchOptions options = options_for(1, 600);
    options.series_memory_bytes = kept * kSeriesBytes;
    write_batch_outputs(model, whole, options, one.path);
    write_batch_outputs(model, merged, options, two.path);
    for (const auto& name : batch_output_files(model)) {
      CAPTURE(name);
      if (name != "run.json") CHECK(read(two.path / name) == read(one.path / name));
    }
    CHECK(read(two.path / "run.json").find("\"processes\": 2") != std::string::npos);
    CHECK(read(one.path / "run.json").find("\"processes\": 1") != std::string::npos);
  }
}

TEST_CASE("a range's runs.csv numbers its rows by the global replication index") {
  const ToyRepairModel model;
  TempDir dir("range_runs"), whole_dir("range_whole");
  BatchOptions options = options_for(2, 10);
  options.first_replication = 5;
  write_batch_outputs(model, run_batch(model, options), options, dir.path);
  write_batch_outputs(model, run_batch(model, options_for(2, 15)), options_for(2, 15), whole_dir.path);
  const auto rows = lines(read(dir.path / "runs.csv"));
  const auto whole = lines(read(whole_dir.path / "runs.csv"));
  REQUIRE(rows.size() == 11);
  for (std::size_t i = 1; i < rows.size(); ++i) CHECK(rows[i] == whole[i + 5]);
}

TEST_CASE("merge_batch_results rejects parts that do not fit together") {
  const ToyRepairModel model;
  const std::uint64_t all = std::uint64_t{1} << 30;
  const BatchResult a = run_range(model, 0, 100, 1, all);
  const BatchResult b = run_range(model, 100, 50, 1, all);
  const BatchResult gap = run_range(model, 120, 50, 1, all);
  CHECK(merge_batch_results({a, b}).replications == 150);
  CHECK_THROWS_WITH_AS(merge_batch_results({a, gap}), doctest::Contains("starts at replication 120, not 100"),
                       Error);
  CHECK_THROWS_WITH_AS(merge_batch_results({b, a}), doctest::Contains("starts at replication 0"), Error);
  CHECK_THROWS_AS(merge_batch_results({}), Error);
  BatchResult other_seed = b;
  other_seed.seed = 1;
  CHECK_THROWS_WITH_AS(merge_batch_results({a, other_seed}), doctest::Contains("another seed"), Error);
  BatchOptions auto_range = options_for(1, 10);
  auto_range.auto_runs = true;
  auto_range.first_replication = 10;
  CHECK_THROWS_AS(run_batch(model, auto_range), Error);
}

TEST_CASE("a BatchMerger fed bounded ranges one at a time holds the statistics of one batch, word for word") {
  const ToyRepairModel model;
  auto bounded = [&model](std::uint64_t first, std::uint64_t count) {
    BatchOptions o = options_for(1, count);
    o.bounded = true;
    o.first_replication = first;
    o.block_replications = 100;
    o.retained_replications = 250;  // ends inside the second range
    return run_bounded_batch(model, o, {});
  };
  const BatchResult whole = bounded(0, 600);
  REQUIRE(whole.replications == 250);
  auto check_whole = [&whole](const BatchResult& merged) {
    CHECK(merged.streamed->serialize() == whole.streamed->serialize());
    CHECK(total_replications(merged) == 600);
    CHECK(merged.replications == 250);
    CHECK(merged.series_replications == whole.series_replications);
    CHECK(same_values(merged.outcomes, whole.outcomes));
    CHECK(same_values(merged.inputs, whole.inputs));
    CHECK(same_tables(merged.tables, whole.tables));
    CHECK(same_values(merged.series, whole.series));
    CHECK(merged.processes == 3);
  };
  const BatchResult head = bounded(0, 200);
  const std::vector<std::uint64_t> head_words = head.streamed->serialize();

  SUBCASE("parts left untouched, as merge_batch_results() merges them") {
    BatchMerger merger;
    merger.add(head);
    merger.add(bounded(200, 100));
    merger.add(bounded(300, 300));
    CHECK(head.streamed->serialize() == head_words);  // the head's statistics copied, not merged into
    check_whole(merger.take());
    CHECK_THROWS_AS(merger.take(), Error);  // emptied by take()
    merger.add(whole);
    CHECK_THROWS_WITH_AS(merger.add(head), doctest::Contains("starts at replication 0, not 600"), Error);
  }
  SUBCASE("as padsim-mpi's root: its own part taken, the others' statistics as words") {
    BatchMerger merger(250, whole.series_replications);
    BatchResult own = bounded(0, 200);
    const StreamedColumn* own_column = own.streamed->outcomes.front().get();
    merger.add(std::move(own));
    for (const std::uint64_t first : {200u, 300u}) {
      BatchResult part = bounded(first, first == 200 ? 100 : 300);
      const std::vector<std::uint64_t> words = part.streamed->serialize();
      part.streamed = nullptr;
      merger.add(part, words);
    }
    const BatchResult merged = merger.take();
    CHECK(merged.streamed->outcomes.front().get() == own_column);  // taken, not copied
    check_whole(merged);
  }
  SUBCASE("a moved part whose statistics something else holds: copied after all") {
    BatchMerger merger;
    BatchResult shared = head;
    merger.add(std::move(shared));
    merger.add(bounded(200, 100));
    CHECK(head.streamed->serialize() == head_words);
  }
}
