#!/usr/bin/env bash
# Quick start 2: install, build, and run the whole test suite. `scripts/test.sh asan` runs it under
# AddressSanitizer + UndefinedBehaviorSanitizer instead.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
scripts/setup.sh
scripts/build.sh "$preset"
ctest --preset "$preset" -j "$(nproc)"
