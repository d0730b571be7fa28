#pragma once
// `padsim dist SPEC...`: what a distribution written in the scenario's text form means — its
// moments, mode, percentiles, support and a text histogram — for several specs side by side.

#include <iosfwd>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace padsim::cli {

struct DistOptions {
  std::vector<std::string> specs;
  bool csv = false;
};

/// Registers the `dist` subcommand on `app`, filling `options`.
CLI::App* add_dist_command(CLI::App& app, DistOptions& options);

/// Prints the table (or CSV) to `out`. A spec that does not parse throws InputError naming the
/// argument and the column inside it ("SPEC 2:1:12: error: ...").
int run_dist_command(const DistOptions& options, std::ostream& out);

}  // namespace padsim::cli
