// padsim-mpi: `padsim run` and the studies (`compare`, `sweep`, `calibrate`) over MPI processes, for batches larger
// than one machine.
//
//   mpirun -np P padsim-mpi run [SCENARIO] --runs N [--seed S] [--out DIR] [--threads T] ...
//   mpirun -np P padsim-mpi compare [A] [B] --runs N [--set-b PATH=VALUE] ...
//
// Rank r runs replications [r*N/P, (r+1)*N/P) on its own --threads threads; rank 0 receives the
// ranks' results one by one, in rank order, merging each before the next (merge_on_root), and
// writes the same files `padsim run` writes, byte for byte, except run.json's processes, threads
// and wall time. Only rank 0 prints and writes. With --bounded-memory, ranks take whole blocks
// instead, write their runs.csv and inputs.csv rows into rank 0's staging directory (a file system
// every rank sees), and send only their streamed statistics and retained replications
// (run_bounded).
//
// Every rank parses the command line and loads the scenario, so bad input is found on every rank
// alike: each exits with status 2 and nothing is written. An error after that, on any rank, prints
// its message and ends the whole job with MPI_Abort and the status `padsim run` would have.
// --runs auto is not supported (its rounds would need the ranks to agree after each round).
//
// A study runs each of its batches through mpi_batch_runner(): every rank runs its slice and
// receives the whole merged result (MPI_Allgatherv), so every rank takes the study's next step
// alike; only the root writes and prints. Its files are byte-identical to `padsim`'s.

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstdint>
#include <fstream>
#include <memory>
#include <exception>
#include <filesystem>
#include <functional>
#include <iostream>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "padsim/batch.hpp"
#include "padsim/bounded_batch.hpp"
#include "padsim/csv.hpp"
#include "padsim/result_set.hpp"
#include "padsim/error.hpp"
#include "batch_runner.hpp"
#include "calibrate_command.hpp"
#include "checkpoint_options.hpp"
#include "cli_checks.hpp"
#include "compare_command.hpp"
#include "progress.hpp"
#include "run_command.hpp"
#include "sweep_command.hpp"

namespace {

using namespace padsim;
using namespace padsim::cli;

constexpr int kRoot = 0;
const char* const kProgram = "padsim-mpi";

struct World {
  int rank = 0;
  int size = 1;
  bool root() const { return rank == kRoot; }
};

/// First replication of rank r's slice of n: floor(r * n / p), without overflowing r * n.
std::uint64_t slice_begin(std::uint64_t n, std::uint64_t r, std::uint64_t p) {
  return n / p * r + n % p * r / p;
}

/// Gathers every rank's `local` on every rank, one vector per rank. MPI counts and displacements
/// are ints, so the data travels in rounds of at most kRoundValues values in all, through a
/// staging buffer.
std::vector<std::vector<double>> collect(const std::vector<double>& local, const World& world) {
  constexpr std::uint64_t kRoundValues = std::uint64_t{1} << 24;  // 128 MiB of doubles
  static_assert(kRoundValues <= INT_MAX);
  const auto size = static_cast<std::size_t>(world.size);
  const std::uint64_t mine = local.size();
  std::vector<std::uint64_t> counts(size);
  MPI_Allgather(&mine, 1, MPI_UINT64_T, counts.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD);

  const std::uint64_t chunk = std::max<std::uint64_t>(1, kRoundValues / size);
  const std::uint64_t longest = *std::max_element(counts.begin(), counts.end());
  const std::uint64_t rounds = (longest + chunk - 1) / chunk;
  auto piece = [&](std::size_t r, std::uint64_t offset) {
    return counts[r] > offset ? std::min(chunk, counts[r] - offset) : 0;
  };

  std::vector<std::vector<double>> all(size);
  for (std::size_t r = 0; r < size; ++r) all[r].resize(counts[r]);
  std::vector<double> staging;
  std::vector<int> recv_counts(size), displacements(size);
  for (std::uint64_t round = 0; round < rounds; ++round) {
    const std::uint64_t offset = round * chunk;
    int total = 0;
    for (std::size_t r = 0; r < size; ++r) {
      recv_counts[r] = static_cast<int>(piece(r, offset));
      displacements[r] = total;
      total += recv_counts[r];
    }
    staging.resize(static_cast<std::size_t>(total));
    const auto send_count = static_cast<int>(piece(static_cast<std::size_t>(world.rank), offset));
    const double* send = send_count > 0 ? local.data() + offset : local.data();
    MPI_Allgatherv(send, send_count, MPI_DOUBLE, staging.data(), recv_counts.data(),
                   displacements.data(), MPI_DOUBLE, MPI_COMM_WORLD);
    for (std::size_t r = 0; r < size; ++r)
      std::copy_n(staging.begin() + displacements[r], recv_counts[r],
                  all[r].begin() + static_cast<std::ptrdiff_t>(offset));
  }
  return all;
}

/// Every rank's part of an exact batch, merged on every rank (a study's next step depends on it).
BatchResult collect_result(BatchResult part, const World& world) {
  // Studies run exact batches; a bounded part's statistics would need merge_on_root().
  if (part.streamed) throw Error("padsim-mpi: a study's batch cannot be bounded");
  const auto size = static_cast<std::size_t>(world.size);
  const std::uint64_t meta[] = {part.first_replication, part.replications,
                                part.series_replications, part.threads};
  std::vector<std::uint64_t> metas(4 * size);
  MPI_Allgather(meta, 4, MPI_UINT64_T, metas.data(), 4, MPI_UINT64_T, MPI_COMM_WORLD);
  auto outcomes = collect(part.outcomes, world);
  auto inputs = collect(part.inputs, world);
  std::vector<std::vector<std::vector<double>>> tables;  // [table][rank]
  for (const auto& table : part.tables) tables.push_back(collect(table, world));
  auto series = collect(part.series, world);

  std::vector<BatchResult> parts(size);
  for (std::size_t r = 0; r < size; ++r) {
    BatchResult& p = parts[r] = part.empty_like();
    p.first_replication = metas[4 * r];
    p.replications = metas[4 * r + 1];
    p.series_replications = metas[4 * r + 2];
    p.threads = static_cast<unsigned>(metas[4 * r + 3]);
    p.outcomes = std::move(outcomes[r]);
    p.inputs = std::move(inputs[r]);
    for (std::size_t t = 0; t < tables.size(); ++t) p.tables[t] = std::move(tables[t][r]);
    p.series = std::move(series[r]);
  }
  return merge_batch_results(parts);
}

/// The tag of every message merge_on_root() sends: one sender and one tag, so they arrive in the
/// order they were sent.
constexpr int kPartTag = 1;
/// MPI counts are ints: a vector travels in messages of at most this many values.
constexpr std::uint64_t kMessageValues = std::uint64_t{1} << 24;  // 128 MiB
static_assert(kMessageValues <= INT_MAX);

MPI_Datatype mpi_type(const double*) { return MPI_DOUBLE; }
MPI_Datatype mpi_type(const std::uint64_t*) { return MPI_UINT64_T; }

template <class T>
void send_to_root(const std::vector<T>& values) {
  for (std::uint64_t at = 0; at < values.size(); at += kMessageValues) {
    const auto count = static_cast<int>(std::min<std::uint64_t>(kMessageValues, values.size() - at));
    MPI_Send(values.data() + at, count, mpi_type(values.data()), kRoot, kPartTag, MPI_COMM_WORLD);
  }
}

/// `count` values from rank `from`, sent by send_to_root().
template <class T>
std::vector<T> receive_from(int from, std::uint64_t count) {
  std::vector<T> values(count);
  for (std::uint64_t at = 0; at < count; at += kMessageValues) {
    const auto n = static_cast<int>(std::min<std::uint64_t>(kMessageValues, count - at));
    MPI_Recv(values.data() + at, n, mpi_type(values.data()), from, kPartTag, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
  }
  return values;
}

/// Every rank's part of the batch merged on the root (an empty result elsewhere). The root
/// receives the parts one by one, in rank order, and merges each (BatchMerger) before receiving
/// the next: beyond the merged result it holds one rank's part, never every part at once. A
/// bounded part's statistics (a quantile sketch per column, as large as the merged ones once
/// deserialized) stay words until merged a column at a time, and the root's own are taken into
/// the result, not copied. Merged in rank order, the result is merge_batch_results() of all
/// parts, byte for byte.
BatchResult merge_on_root(BatchResult part, const World& world) {
  // A header per rank: its range, threads, and the length of each vector it sends.
  std::vector<std::uint64_t> words;  // a bounded part's statistics, serialized
  if (!world.root() && part.streamed) words = part.streamed->serialize();
  std::vector<std::uint64_t> header = {part.first_replication, part.replications,
                                       part.series_replications, part.threads,
                                       part.outcomes.size(), part.inputs.size()};
  for (const auto& table : part.tables) header.push_back(table.size());
  header.push_back(part.series.size());
  header.push_back(words.size());
  const std::size_t width = header.size();  // the same on every rank: one scenario, one shape
  std::vector<std::uint64_t> headers(world.root() ? width * static_cast<std::size_t>(world.size) : 0);
  MPI_Gather(header.data(), static_cast<int>(width), MPI_UINT64_T, headers.data(),
             static_cast<int>(width), MPI_UINT64_T, kRoot, MPI_COMM_WORLD);
  if (!world.root()) {
    send_to_root(part.outcomes);
    send_to_root(part.inputs);
    for (const auto& table : part.tables) send_to_root(table);
    send_to_root(part.series);
    send_to_root(words);
    return {};
  }

  std::uint64_t replications = 0, series_replications = 0;
  for (int r = 0; r < world.size; ++r) {
    replications += headers[width * static_cast<std::size_t>(r) + 1];
    series_replications += headers[width * static_cast<std::size_t>(r) + 2];
  }
  BatchMerger merger(replications, series_replications);
  const BatchResult shape = part.empty_like();
  merger.add(std::move(part));  // the root's own part: taken, not copied
  for (int r = 1; r < world.size; ++r) {
    const std::uint64_t* h = headers.data() + width * static_cast<std::size_t>(r);
    BatchResult p = shape.empty_like();
    p.first_replication = h[0];
    p.replications = h[1];
    p.series_replications = h[2];
    p.threads = static_cast<unsigned>(h[3]);
    p.outcomes = receive_from<double>(r, h[4]);
    p.inputs = receive_from<double>(r, h[5]);
    for (std::size_t t = 0; t < p.tables.size(); ++t) p.tables[t] = receive_from<double>(r, h[6 + t]);
    p.series = receive_from<double>(r, h[6 + p.tables.size()]);
    const std::uint64_t streamed_words = h[7 + p.tables.size()];
    if (streamed_words == 0)
      merger.add(p);
    else  // merged a column at a time as they are read: never the whole part deserialized
      merger.add(p, receive_from<std::uint64_t>(r, streamed_words));
  }
  return merger.take();
}

/// `options` restricted to this rank's slice of its fixed count of replications; a bounded
/// batch's slices are whole blocks (the last may end early), so that every rank's statistics merge
/// into those of one process.
BatchOptions slice(BatchOptions options, const World& world) {
  const std::uint64_t n = options.replications;
  const auto p = static_cast<std::uint64_t>(world.size);
  const auto r = static_cast<std::uint64_t>(world.rank);
  if (options.bounded) {
    const std::uint64_t block = std::max<std::uint64_t>(1, options.block_replications);
    const std::uint64_t blocks = n / block + (n % block != 0 ? 1 : 0);
    options.first_replication = std::min(n, slice_begin(blocks, r, p) * block);
    options.replications = std::min(n, slice_begin(blocks, r + 1, p) * block) - options.first_replication;
    return options;
  }
  options.first_replication = slice_begin(n, r, p);
  options.replications = slice_begin(n, r + 1, p) - options.first_replication;
  return options;
}

/// A string from the root on every rank.
std::string broadcast(std::string text) {
  std::uint64_t size = text.size();
  MPI_Bcast(&size, 1, MPI_UINT64_T, kRoot, MPI_COMM_WORLD);
  text.resize(size);
  MPI_Bcast(text.data(), static_cast<int>(size), MPI_CHAR, kRoot, MPI_COMM_WORLD);
  return text;
}

/// A bounded batch over the ranks: each writes its rows into its own files in the root's staging
/// directory (which every rank must see: a shared file system, as --out is on a cluster), the root
/// joins them in rank order, merges the statistics (merge_on_root) and writes the rest of the
/// result set.
BatchResult run_bounded(const RunSetup& setup, const BatchOptions& options, const World& world,
                        std::unique_ptr<ResultSet>& set) {
  if (world.root()) set = std::make_unique<ResultSet>(setup.out_dir);
  const std::filesystem::path staging = broadcast(world.root() ? set->staging().string() : "");
  auto part_path = [&](const char* file, int rank) {
    return staging / (std::string(".") + file + ".part" + std::to_string(rank));
  };
  if (!options.rows)  // --no-rows: the statistics only
    return merge_on_root(run_bounded_batch(*setup.model, options, {}), world);
  BatchResult part;
  {
    std::ofstream runs(part_path("runs.csv", world.rank), std::ios::binary);
    std::ofstream inputs(part_path("inputs.csv", world.rank), std::ios::binary);
    if (!runs || !inputs) throw OutputError("cannot write into " + staging.string());
    part = run_bounded_batch(*setup.model, options, {&runs, &inputs, world.root()});
    runs.close();
    inputs.close();
    if (!runs || !inputs) throw OutputError("cannot write into " + staging.string());
  }
  BatchResult result = merge_on_root(std::move(part), world);  // also a barrier
  if (world.root())
    for (const char* file : {"runs.csv", "inputs.csv"}) {
      std::ostream& out = set->open(file);
      for (int r = 0; r < world.size; ++r) {
        {
          std::ifstream in(part_path(file, r), std::ios::binary);
          if (!in) throw OutputError("cannot read " + part_path(file, r).string());
          // An empty part (a rank with no replications) must not be copied: inserting an empty
          // buffer sets the output's failbit.
          if (in.peek() != std::ifstream::traits_type::eof()) out << in.rdbuf();
        }
        std::filesystem::remove(part_path(file, r));
      }
    }
  return result;
}

/// The BatchRunner of padsim-mpi's studies: every rank runs its slice of the (fixed) batch and
/// receives the whole merged result. `started` becomes true at the first batch: from then on
/// the ranks may wait for one another, so an error must end the whole job.
BatchRunner mpi_batch_runner(const World& world, bool& started) {
  return [world, &started](const Model& model, const BatchOptions& options) {
    // Every rank refuses alike, before any collective: still bad input, status 2.
    if (options.auto_runs)
      bad_option("--runs auto is not supported by padsim-mpi: give a fixed count, --runs N");
    started = true;
    return collect_result(run_batch(model, slice(options, world)), world);
  };
}

/// Ends the whole job: an error after the input checks may leave other ranks waiting in a
/// collective, so returning from one rank is not enough.
[[noreturn]] void abort_job(const std::exception_ptr& error, const World& world) {
  const ExitReport report = exit_report(error, kProgram);
  std::string message = report.message;
  if (!message.empty() && message.front() == '\n') message.erase(0, 1);  // no progress bar to end
  std::cerr << "[rank " << world.rank << "] " << message << std::endl;
  MPI_Abort(MPI_COMM_WORLD, report.status);
  std::exit(report.status);  // not reached: MPI_Abort does not return
}

int run(const CommonOptions& common, const RunOptions& run_options, const CheckpointOptions& blocks,
        const std::string& invocation, const World& world) {
  // Bad input: every rank finds the same error, so every rank returns the same status.
  RunSetup setup;
  try {
    BatchOptions options = batch_options(common, run_options);
    apply_bounded_block(blocks, options);
    if (options.auto_runs)
      bad_option("--runs auto is not supported by padsim-mpi: give a fixed count, --runs N");
    setup = load_run(common, run_options, std::move(options), invocation);
  } catch (...) {
    const ExitReport report = exit_report(std::current_exception(), kProgram);
    if (world.root()) std::cerr << report.message << "\n";
    return report.status;
  }
  // The output directory is the root's alone: it locks it until the result set is published, and
  // the others learn whether it could.
  int status = kExitOk;
  OutputLock lock;
  if (world.root()) {
    try {
      lock = OutputLock(setup.out_dir);
    } catch (...) {
      const ExitReport report = exit_report(std::current_exception(), kProgram);
      std::cerr << report.message << "\n";
      status = report.status;
    }
  }
  MPI_Bcast(&status, 1, MPI_INT, kRoot, MPI_COMM_WORLD);
  if (status != kExitOk) return status;

  try {
    const auto started = std::chrono::steady_clock::now();
    BatchOptions options = slice(setup.options, world);
    options.interrupt = &sigint_flag();
    ProgressBar bar(world.root() && !common.quiet);  // the root's own slice
    options.progress = [&bar](const BatchProgress& progress) { bar.update(progress); };
    catch_sigint();
    if (world.root()) log_run_start(setup, static_cast<unsigned>(world.size));

    std::unique_ptr<ResultSet> set;
    BatchResult result;
    if (options.bounded) {
      result = run_bounded(setup, options, world, set);
      bar.finish();
    } else {
      BatchResult part = run_batch(*setup.model, options);
      bar.finish();
      result = merge_on_root(std::move(part), world);
    }
    if (world.root()) {
      result.wall_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      log_simulation_rate(result);
      const BatchStatistics statistics(*setup.model, result);  // the files' and then the report's
      if (set) {
        write_batch_outputs(*setup.model, result, setup.options, *set, &statistics);
        set->commit();
      } else {
        write_batch_outputs(*setup.model, result, setup.options, setup.out_dir, &statistics);
      }
      default_sigint();
      print_run_report(std::cout, setup, result, statistics);
    }
  } catch (...) {
    abort_job(std::current_exception(), world);
  }
  return kExitOk;
}

/// Runs a study (compare, and any command written against StudyContext) on every rank. Bad input
/// is found before the first batch, on every rank alike: each returns its status and only the
/// root prints the message. An error once the batches have started ends the whole job.
int run_study(const std::function<int(const StudyContext&)>& study, const World& world) {
  bool started = false;
  StudyContext context;
  context.root = world.root();
  context.run_batch = mpi_batch_runner(world, started);
  context.auto_runs = false;
  context.prepare_output = [&world](const std::filesystem::path& dir) {
    std::exception_ptr error;
    int status = kExitOk;
    OutputLock lock;
    if (world.root()) {
      try {
        lock = OutputLock(dir);
      } catch (...) {
        error = std::current_exception();
        status = kExitError;
      }
    }
    MPI_Bcast(&status, 1, MPI_INT, kRoot, MPI_COMM_WORLD);
    if (error) std::rethrow_exception(error);
    if (status != kExitOk) throw OutputError("the root process could not lock " + dir.string());
    return lock;
  };
  try {
    return study(context);
  } catch (...) {
    if (started) abort_job(std::current_exception(), world);
    const ExitReport report = exit_report(std::current_exception(), kProgram);
    if (world.root()) std::cerr << report.message << "\n";
    return report.status;
  }
}

int mpi_main(int argc, char** argv, const World& world) {
  CLI::App app{"padsim-mpi: padsim run and studies over MPI processes (mpirun -np P padsim-mpi run ...)"};
  app.set_version_flag("--version", PADSIM_VERSION);
  app.require_subcommand(1);
  CommonOptions common;
  RunOptions run_options;
  auto* run_cmd = add_run_command(app, common, run_options);
  // Hidden, as in padsim (its --checkpoint options aside): lets the tests split a bounded batch
  // of a few hundred replications into blocks over several processes.
  CheckpointOptions blocks;
  run_cmd
      ->add_option("--bounded-block-replications", blocks.bounded_block,
                   "--bounded-memory: replications per block (testing only)")
      ->check(integer_in(1, std::numeric_limits<std::uint64_t>::max()))
      ->group("");
  const std::string invocation = command_line(argc, argv);

  // The studies padsim-mpi runs: a subcommand each, run with a StudyContext (one line per study).
  CompareOptions compare;
  SweepOptions sweep;
  CalibrateOptions calibrate;
  sweep.invocation = calibrate.invocation = invocation;
  const std::vector<std::pair<CLI::App*, std::function<int(const StudyContext&)>>> studies = {
      {add_compare_command(app, common, compare),
       [&](const StudyContext& c) { return run_compare_command(common, compare, invocation, c, std::cout); }},
      {add_sweep_command(app, sweep),
       [&](const StudyContext& c) { return run_sweep(sweep, c, std::cout); }},
      {add_calibrate_command(app, calibrate),
       [&](const StudyContext& c) { return run_calibrate(calibrate, c, std::cout); }},
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return parse_error_exit(app, e, kProgram, world.root());
  }
  // sweep and calibrate keep their own common options (their scenario and --set).
  setup_logging(app.got_subcommand("sweep")       ? sweep.common
                : app.got_subcommand("calibrate") ? calibrate.common
                                                  : common);
  // Only the root reports progress and warnings; the others speak only of their own errors.
  if (!world.root()) spdlog::set_level(spdlog::level::err);
  if (*run_cmd) return run(common, run_options, blocks, invocation, world);
  for (const auto& [command, study] : studies)
    if (*command) return run_study(study, world);
  return kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  keep_freed_memory();
  MPI_Init(&argc, &argv);
  World world;
  MPI_Comm_rank(MPI_COMM_WORLD, &world.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world.size);
  const int status = mpi_main(argc, argv, world);
  MPI_Finalize();
  return status;
}
