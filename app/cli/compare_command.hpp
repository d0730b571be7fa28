#pragma once
// `padsim compare A B`: two variants of a scenario run on the same seed and replication indices
// (common random numbers), and every outcome's paired difference with its confidence interval.
//
//   padsim compare [A] [B] [--set PATH=VALUE]... [--set-a PATH=VALUE]... [--set-b PATH=VALUE]...
//                  [--no-responses-a] [--no-responses-b] [--runs N] [--seed S] [--threads T] [--bootstrap R] [--out DIR] [--quiet]
//
// A defaults to the embedded baikonur-2025, B to A: `padsim compare --set-b PATH=VALUE` compares
// the default scenario with one value changed. --set applies to both, after it --set-a to A and
// --set-b to B; --no-responses-a (-b) switches every [[response]] of A (B) off, so the frozen plan
// and the plan with its responses compare on common random numbers. Writes compare.csv and compare.json (docs/outputs.md) and prints the outcomes
// that changed significantly, strongest first.

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "padsim/paired.hpp"
#include "batch_runner.hpp"
#include "run_command.hpp"

namespace padsim::cli {

/// `compare`'s own options; A, --set, --seed, --quiet and --verbose live in CommonOptions.
struct CompareOptions {
  std::string scenario_b;              ///< empty: A's
  std::vector<std::string> set_a;      ///< --set-a, applied to A after --set
  std::vector<std::string> set_b;      ///< --set-b, applied to B after --set
  bool no_responses_a = false;         ///< --no-responses-a: A is the frozen plan
  bool no_responses_b = false;         ///< --no-responses-b: B is the frozen plan
  std::string runs = "10000";
  unsigned threads = 0;
  std::size_t bootstrap = kBootstrapResamples;
  std::string out;
};

/// Adds the `compare` subcommand, its options bound to `common` and `compare`.
CLI::App* add_compare_command(CLI::App& app, CommonOptions& common, CompareOptions& compare);

/// Runs `padsim compare` where `context` says (one process, or every MPI process alike): bad
/// input throws before any batch runs and before anything is written; only the root writes and
/// prints the report on `out`. Returns the exit status.
int run_compare_command(const CommonOptions& common, const CompareOptions& compare,
                        const std::string& invocation, const StudyContext& context,
                        std::ostream& out);

}  // namespace padsim::cli
