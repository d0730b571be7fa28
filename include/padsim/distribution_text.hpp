#pragma once
/// The text form of a distribution, one spelling for scenario files, the command line and
/// overrides: a number (`7`) or `kind(arguments)`, with arguments by position in the order of the
/// kind's short form, by name as in its long form, or both (positions first):
///
///     pert(20, 28, 40)              triangular(min=2, mode=7, max=30)
///     trigen(20, 28, 40, 10, 90)    lognormal(p10=30, p90=90)      (any two percentiles pNN)
///     normal(10, 2, min=0)          discrete(values=[1, 2], probabilities=[0.4, 0.6])
///     empirical(22, 25, 31, 27)     exponential(rate=0.1)
///
/// `pNN=x` names a percentile: two of them give a lognormal's or a trigen's low/high and their
/// levels. Distribution::describe() prints this form (abridged for long discrete and empirical
/// data), so a description reads back.

#include <string>
#include <string_view>
#include <vector>

#include "padsim/distribution.hpp"
#include "padsim/error.hpp"

namespace padsim {

/// The parameters of `kind` in the order its positional form takes them (empty for discrete and
/// empirical, whose positional form is the data). Scenario short forms use the same order.
const std::vector<std::string_view>& positional_parameters(DistributionKind kind);

/// Parses the text form. A problem throws InputError at `where` moved to the offending character
/// (the text is taken to start at where.column of where.line; column 0 means column 1).
Distribution parse_distribution(std::string_view text, const SourcePosition& where);

}  // namespace padsim
