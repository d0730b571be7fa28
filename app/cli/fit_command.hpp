#pragma once
// `padsim fit`: a distribution from expert judgement (exact quantile matching) or from data
// (maximum likelihood with goodness of fit), one table row per family, the best marked.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace padsim::cli {

struct FitOptions {
  std::string expert;                ///< "min=20, mode=28, max=40" or "p10=20, p50=28, p90=40"
  std::vector<double> data;          ///< --data 22,25,31
  std::string data_file;             ///< --data-file FILE (CSV with a header row)
  std::string column;                ///< --column NAME (default: the first column)
  std::vector<std::string> families; ///< --family (default: all)
  int bootstrap = 200;
  std::uint64_t seed = 20251127;
  std::string toml_key;              ///< --toml KEY: print `KEY = "<best>"` only
  bool csv = false;
};

/// Registers the `fit` subcommand on `app`, filling `options`.
CLI::App* add_fit_command(CLI::App& app, FitOptions& options);

/// Prints the table, the CSV or the TOML line to `out` (warnings go to the log). Bad evidence
/// throws InputError with its position.
int run_fit_command(const FitOptions& options, std::ostream& out);

}  // namespace padsim::cli
