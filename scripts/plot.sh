#!/usr/bin/env bash
# Charts from a padsim results directory: scripts/plot.sh DIR [--target YYYY-MM-DD] [--compare DIR2]
# (see scripts/plot.py). Installs pandas and matplotlib from Debian first.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/setup.sh"
exec /usr/bin/python3 "$here/plot.py" "$@"
