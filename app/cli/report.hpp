#pragma once
// The short table `padsim run` prints on stdout: P10/P50/P90 of the headline outcomes and the
// probability of each event outcome. The full statistics are in summary.csv.

#include <ostream>
#include <string>

#include "padsim/batch.hpp"
#include "padsim/monte_carlo.hpp"

namespace padsim::cli {

/// `statistics`: the batch's, as its files computed them (nothing sorted again).
void print_headline_table(std::ostream& out, const Model& model, const BatchStatistics& statistics);

/// A parameter or quantile as `dist` and `fit` print it: six significant digits, "inf"/"-inf".
std::string readable(double x);

}  // namespace padsim::cli
