#!/usr/bin/python3
"""One self-contained HTML report of a padsim results directory, written as DIR/report.html.

Usage: scripts/report.sh DIR [--target YYYY-MM-DD] [--compare DIR2] [--top N] [--padsim PATH]
(installs python3-pandas and python3-matplotlib, then runs this under /usr/bin/python3). The report
holds the provenance (run.json), the headline table with 95% CIs (summary.csv), every chart of
scripts/plot.sh embedded as a data URI, the sensitivity and task tables, and the story of the P90
replication of the first day outcome, from `padsim replay --at OUTCOME:p90 --trace -` (PATH, or
build/release/app/cli/padsim). Nothing in it loads from the network.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from padsim_charts.report import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
