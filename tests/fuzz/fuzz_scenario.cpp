// libFuzzer target: any bytes, read as a scenario file, are either loaded and validated or refused
// with padsim::InputError. Anything else that escapes (another exception, a crash, a sanitizer
// report, a hang past libFuzzer's -timeout) is a finding. A finding, once fixed, is kept as
// tests/fuzz/regressions/NAME.toml (libFuzzer writes it as crash-<hash>: rename it), which the test
// suite loads on every build (test_fuzz_regressions.cpp).
//
// Built with clang only (PADSIM_FUZZ, on in the asan preset); run for a bounded time by the ctest
// fuzz_scenario_bounded, or by hand:
//   build/asan/tests/fuzz/padsim_fuzz_scenario -max_total_time=600 CORPUS_DIR experiments/
#include <cstddef>
#include <cstdint>
#include <string>

#include "padsim/error.hpp"
#include "padsim/models/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    padsim::models::load_scenario(text, "fuzz.toml");
  } catch (const padsim::InputError&) {
    // refused with a message: the expected outcome for most inputs
  }
  return 0;
}
