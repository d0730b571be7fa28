#!/usr/bin/env bash
# Quick start 2: install, build, and run the whole test suite. `scripts/test.sh asan` runs it under
# AddressSanitizer + UndefinedBehaviorSanitizer (with clang, and a bounded run of the scenario
# fuzzer); `scripts/test.sh tsan` runs the parallel batch tests under ThreadSanitizer. The release
# run also runs the Python module's tests (tests/python, pytest); the module must have been built.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
scripts/setup.sh
scripts/build.sh "$preset"
if [[ "$preset" == tsan ]]; then
  # halt_on_error: a data race fails the run; second_deadlock_stack: both stacks of a lock inversion.
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build/tsan/tests/padsim_parallel_tests
else
  ctest --preset "$preset" -j "$(nproc)"
fi
if [[ "$preset" == release ]]; then
  # The Python module against the command line (Debian's python3, which has numpy and pandas).
  # setup.sh installs pybind11, so a release build without the module is an error, not a skip.
  if ! compgen -G "build/release/app/python/padsim/_padsim*.so" >/dev/null; then
    echo "padsim test: the Python module was not built (is pybind11-dev installed?)" >&2
    exit 1
  fi
  PADSIM_BUILD=build/release /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/python
fi
