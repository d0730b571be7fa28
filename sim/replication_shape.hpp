#pragma once
// The sizes a model declares for one replication's results, shared by the batch and replay.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "padsim/monte_carlo.hpp"

namespace padsim::detail {

struct ReplicationShape {
  std::size_t outcomes = 0;
  std::size_t inputs = 0;
  std::vector<std::size_t> table_cells;  // per entity table
  std::size_t series = 0;                // values per replication: days x series
};

/// The model's declared sizes; throws Error when an entity table's declaration is inconsistent.
ReplicationShape shape_of(const Model& model);

/// Every vector at its declared size, every cell empty.
void reset(ReplicationResult& r, const ReplicationShape& s);

/// Throws Error when the model reported other sizes than it declares.
void check_sizes(const ReplicationResult& r, const ReplicationShape& s);

/// "replication K (seed S): ", the prefix of an error raised while running replication k.
std::string replication_context(std::uint64_t seed, std::uint64_t k);

}  // namespace padsim::detail
