#!/usr/bin/python3
"""Charts from a padsim results directory, written as PNG files into it.

Usage: scripts/plot.sh DIR [--target YYYY-MM-DD] [--compare DIR2] [--top N]
(installs python3-pandas and python3-matplotlib, then runs this under /usr/bin/python3). Reads only
the result files (run.json, runs.csv, summary.csv, tasks.csv, sensitivity.csv, timeseries.csv) and
writes: s-curve-OUTCOME.png and histogram-OUTCOME.png per headline day outcome, tornado-OUTCOME.png
per headline outcome, criticality.png, gantt.png, stocks.png, crew.png, and with --compare
compare-OUTCOME.png. A chart the results cannot give (no rows, one replication) is skipped with a
message. The charts are drawn by the padsim_charts package beside this file.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from padsim_charts.render import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
