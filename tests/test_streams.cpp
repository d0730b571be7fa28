// Random streams keyed by what an entity is: editing a scenario (adding, removing or reordering a
// mission, a pad, a docked vehicle, a consumable, a repair task) leaves every *other* entity's
// sampled inputs unchanged, replication by replication. Common random numbers between variants of
// a scenario rest on this.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "padsim/models/scenario.hpp"
#include "padsim/monte_carlo.hpp"
#include "padsim/rng.hpp"
#include "test_support.hpp"

using namespace padsim;

namespace {

constexpr std::uint64_t kSeed = 20251127;
constexpr std::uint64_t kReplications = 200;

/// A scenario file cut into blocks: each starts at a line that opens a table ("[" or "[["), the
/// first holds what precedes the first table.
struct Blocks {
  std::vector<std::string> parts;

  explicit Blocks(const std::string& text) {
    parts.emplace_back();
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t end = text.find('\n', pos);
      end = end == std::string::npos ? text.size() : end + 1;
      const std::string line = text.substr(pos, end - pos);
      if (line.starts_with("[")) parts.emplace_back();
      parts.back() += line;
      pos = end;
    }
  }
  /// Index of the block that opens with `header` and holds `id = "<id>"`.
  std::size_t find(const std::string& header, const std::string& id) const {
    for (std::size_t i = 0; i < parts.size(); ++i)
      if (parts[i].starts_with(header + "\n") && parts[i].find("id = \"" + id + "\"") != std::string::npos)
        return i;
    FAIL("no block " << header << " with id " << id);
    return 0;
  }
  std::string text() const {
    std::string out;
    for (const auto& p : parts) out += p;
    return out;
  }
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

/// Every sampled input of every replication, by input name.
std::map<std::string, std::vector<double>> inputs_by_name(const Model& model) {
  std::map<std::string, std::vector<double>> out;
  ReplicationResult r;
  for (std::uint64_t k = 0; k < kReplications; ++k) {
    model.run(kSeed, k, r);
    for (std::size_t i = 0; i < model.inputs().size(); ++i) out[model.inputs()[i]].push_back(r.inputs[i]);
  }
  return out;
}

/// Every input the two variants share is drawn identically in every replication; returns how
/// many were compared.
std::size_t check_shared_inputs(const std::string& base_text, const std::string& edited_text) {
  const auto base = models::load_scenario(base_text, "base.toml");
  const auto edited = models::load_scenario(edited_text, "edited.toml");
  const auto a = inputs_by_name(*base);
  const auto b = inputs_by_name(*edited);
  std::size_t shared = 0;
  for (const auto& entry : a) {  // clang 14 cannot capture a structured binding in the lambda CAPTURE makes
    const auto& name = entry.first;
    const auto& values = entry.second;
    const auto it = b.find(name);
    if (it == b.end()) continue;
    ++shared;
    for (std::uint64_t k = 0; k < kReplications; ++k) {
      CAPTURE(name);
      CAPTURE(k);
      const double x = values[k], y = it->second[k];
      CHECK((x == y || (std::isnan(x) && std::isnan(y))));
    }
  }
  return shared;
}

const std::string& default_text() {
  static const std::string text = test::read(std::string(PADSIM_SOURCE_DIR) + "/experiments/baikonur-2025.toml");
  return text;
}

}  // namespace

TEST_CASE("a mission added beyond the horizon changes no other column of any replication") {
  const std::string& kDefault = default_text();
  Blocks blocks(kDefault);
  const std::size_t ng24 = blocks.find("[[mission]]", "NG-24");
  std::string added = replace_all(blocks.parts[ng24], "\"NG-24\"", "\"NG-99\"");
  added = replace_all(added, "net = \"2026-04-08\"", "net = \"2027-09-01\"");
  blocks.parts.insert(blocks.parts.begin() + static_cast<std::ptrdiff_t>(ng24), added);  // before NG-24

  const auto base = models::load_scenario(kDefault, "base.toml");
  const auto edited = models::load_scenario(blocks.text(), "edited.toml");
  std::map<std::string, std::size_t> columns;
  for (std::size_t j = 0; j < edited->outcomes().size(); ++j) columns[edited->outcomes()[j].name] = j;
  ReplicationResult a, b;
  for (std::uint64_t k = 0; k < kReplications; ++k) {
    base->run(kSeed, k, a);
    edited->run(kSeed, k, b);
    for (std::size_t j = 0; j < base->outcomes().size(); ++j) {
      const std::string& name = base->outcomes()[j].name;
      CAPTURE(name);
      CAPTURE(k);
      REQUIRE(columns.count(name) == 1);
      const double x = a.outcomes[j], y = b.outcomes[columns[name]];
      CHECK((x == y || (std::isnan(x) && std::isnan(y))));
    }
  }
  CHECK(check_shared_inputs(kDefault, blocks.text()) == base->inputs().size());
}

TEST_CASE("removing or reordering missions leaves every other entity's draws unchanged") {
  const std::string& kDefault = default_text();
  Blocks removed(kDefault);
  removed.parts.erase(removed.parts.begin() + static_cast<std::ptrdiff_t>(removed.find("[[mission]]", "NG-24")));
  const auto base = models::load_scenario(kDefault, "base.toml");
  CHECK(check_shared_inputs(kDefault, removed.text()) == base->inputs().size() - 1);  // all but slip:NG-24

  Blocks reordered(kDefault);
  std::swap(reordered.parts[reordered.find("[[mission]]", "NG-24")],
            reordered.parts[reordered.find("[[mission]]", "Progress MS-34")]);
  CHECK(check_shared_inputs(kDefault, reordered.text()) == base->inputs().size());
}

TEST_CASE("adding a pad, removing a docked vehicle or adding a consumable leaves the other draws unchanged") {
  const std::string& kDefault = default_text();
  const auto base = models::load_scenario(kDefault, "base.toml");
  const std::size_t all = base->inputs().size();

  Blocks pad(kDefault);
  const std::size_t florida = pad.find("[[pad]]", "florida");
  pad.parts.insert(pad.parts.begin() + static_cast<std::ptrdiff_t>(florida),
                   "[[pad]]\nid = \"wallops\"\nturnaround = 20\n\n");
  CHECK(check_shared_inputs(kDefault, pad.text()) == all);

  Blocks docked(kDefault);
  docked.parts.erase(docked.parts.begin() + static_cast<std::ptrdiff_t>(docked.find("[[docked]]", "Progress MS-32")));
  CHECK(check_shared_inputs(kDefault, docked.text()) == all);

  Blocks consumable(kDefault);
  const std::size_t food = consumable.find("[[consumable]]", "food");
  consumable.parts.insert(consumable.parts.begin() + static_cast<std::ptrdiff_t>(food),
                          "[[consumable]]\nid = \"nitrogen\"\nstart = { triangular = [100, 200, 300] }\n"
                          "per_crew_day = 0.1\nreserve_days = 10\ncapacity = 1000\n\n");
  CHECK(check_shared_inputs(kDefault, consumable.text()) == all);
}

TEST_CASE("a stream opened from the replication's seed is the stream opened from (seed, replication)") {
  // Rng::for_stream skips re-mixing (seed, replication) for each stream; the draws must not change.
  for (const std::uint64_t seed : {std::uint64_t{0}, kSeed, ~std::uint64_t{0}})
    for (const std::uint64_t rep : {std::uint64_t{0}, std::uint64_t{7}, std::uint64_t{1} << 40})
      for (const std::uint64_t key : {stream_key("mission", "Progress MS-33"), stream_key("pad", "site31", 2)}) {
        Rng direct(seed, rep, key);
        Rng from_base = Rng::for_stream(Rng::replication_seed(seed, rep), key);
        for (int i = 0; i < 8; ++i) CHECK(direct() == from_base());
      }
  // And different replications give different streams (the base is not ignored).
  Rng a = Rng::for_stream(Rng::replication_seed(kSeed, 1), stream_key("x"));
  Rng b = Rng::for_stream(Rng::replication_seed(kSeed, 2), stream_key("x"));
  CHECK(a() != b());
}
