#!/usr/bin/env bash
# One self-contained report.html in a padsim results directory: scripts/report.sh DIR
# [--target YYYY-MM-DD] [--compare DIR2] [--padsim PATH] (see scripts/report.py). Installs pandas
# and matplotlib from Debian first.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/setup.sh"
exec /usr/bin/python3 "$here/report.py" "$@"
