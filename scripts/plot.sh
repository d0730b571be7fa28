#!/usr/bin/env bash
# Plots S-curves, a tornado chart and stock bands from a padsim output directory.
set -euo pipefail
cd "$(dirname "$0")/.."
PADSIM_PLOTS=1 scripts/setup.sh
exec /usr/bin/python3 scripts/plot.py "$@"
