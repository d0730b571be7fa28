// How the command line reports: a warning about a place in the scenario reads as an error is
// placed ("FILE:LINE:COL: warning: ..."), once, without the "padsim: warning: " prefix of a
// warning about the command itself.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "cli_support.hpp"
#include "test_support.hpp"

using padsim::test::TempDir;

TEST_CASE("a warning at a place in the scenario is placed as an error is, and says warning once") {
  TempDir dir("cli_messages");
  // Three tasks whose rank correlations cannot all hold (not positive semi-definite).
  std::ofstream(dir.path / "s.toml") << padsim::test::kRepairScenarioHead
                                     << "[[repair.r.task]]\nid = \"A\"\nduration = { triangular = [1, 2, 3] }\n\n"
                                        "[[repair.r.task]]\nid = \"B\"\nduration = { triangular = [1, 2, 3] }\n\n"
                                        "[[repair.r.task]]\nid = \"C\"\nduration = { triangular = [1, 2, 3] }\n\n"
                                        "[repair.r.correlation]\ntasks = [\"A\", \"B\", \"C\"]\n"
                                        "matrix = [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]\n";
  const auto validated = padsim::test::run_padsim("validate s.toml", dir.path);
  CHECK(validated.status == 0);
  CHECK(validated.err.rfind("s.toml:", 0) == 0);
  CHECK(validated.err.find(": warning: repair 'r': the rank-correlation matrix is not positive "
                           "semi-definite") != std::string::npos);
  CHECK(validated.err.find("padsim: warning:") == std::string::npos);

  // A warning about the command itself keeps the program's name.
  const auto run = padsim::test::run_padsim("run s.toml --runs 20 --tolerance 0.5 --out out", dir.path);
  CHECK(run.status == 0);
  CHECK(run.err.find("padsim: warning: --tolerance and --max-runs apply to --runs auto only") !=
        std::string::npos);
}
