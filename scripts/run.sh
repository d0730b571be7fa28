#!/usr/bin/env bash
# Quick start 1: install, build, and run padsim's default scenario (baikonur-2025), then show its
# headline results. Extra arguments go to `padsim run` (e.g. --runs 20000 --out results).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh release --target padsim
out="${PADSIM_OUT:-results/baikonur-2025}"
build/release/app/cli/padsim run --out "$out" "$@"
