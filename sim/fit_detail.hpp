#pragma once
// Private to the fitting code (sim/fit*.cpp): each family's parameters, density and likelihood.
// Parameters are unconstrained where the family needs positivity (log sigma, log shape, ...), so
// optimisers and Newton steps never leave the family.

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "padsim/distribution.hpp"
#include "padsim/fit.hpp"

namespace padsim::detail {

using Params = std::vector<double>;

/// lognormal (mu, log sigma); gamma (log shape, log scale); weibull (log shape, log scale);
/// normal truncated at zero (mu, log sigma); pert and triangular (min, mode, max).
int parameter_count(FitFamily family);
/// The distribution for the parameters, or nothing when they are not valid for the family.
std::optional<Distribution> make(FitFamily family, const Params& theta);
/// trigen with its low and high at the given (level, value) pairs.
std::optional<Distribution> make_trigen(std::pair<double, double> low, double mode, std::pair<double, double> high);
/// Sum of log densities (-inf outside the support).
double log_likelihood(FitFamily family, const Params& theta, std::span<const double> data);
/// The maximum-likelihood parameters for sorted data, or nothing with `note` saying why.
/// `start`, when given, is where the search begins (a bootstrap refit starts at the original fit).
std::optional<Params> maximum_likelihood(FitFamily family, std::span<const double> sorted, std::string& note,
                                         const Params* start = nullptr);
/// Kolmogorov-Smirnov D and Anderson-Darling A^2 of sorted data against d.
std::pair<double, double> gof_statistics(const Distribution& d, std::span<const double> sorted);

}  // namespace padsim::detail
