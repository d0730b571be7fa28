"""Draws every chart of a results directory into it (scripts/plot.sh DIR [--target DATE] [--compare DIR2])."""
from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional

from . import curves, series, tasks
from .results import Results, load
from .style import Skip

DEFAULT_PADSIM = Path(__file__).resolve().parents[2] / "build" / "release" / "app" / "cli" / "padsim"


@dataclass
class Chart:
    """One PNG written, with the title the report gives it."""

    title: str
    path: Path


def slug(name: str) -> str:
    """An outcome name as a file-name part (`slip:Soyuz MS-29` -> `slip-Soyuz-MS-29`)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


def render_all(results: Results, target: Optional[datetime] = None, other: Optional[Results] = None,
               top: int = tasks.TOP, log: Callable[[str], None] = print) -> list[Chart]:
    """Writes every chart these results allow into their directory; logs a line per skipped chart."""
    out = results.directory
    jobs: list[tuple[str, str, Callable[[Path], Path]]] = []
    for o in results.day_outcomes():
        jobs.append((f"S-curve of {o}", f"s-curve-{slug(o)}.png",
                     lambda p, o=o: curves.s_curve(results, o, p, target)))
        jobs.append((f"Histogram of {o}", f"histogram-{slug(o)}.png", lambda p, o=o: curves.histogram(results, o, p)))
    if other is not None:
        for o in results.day_outcomes():
            if o in other.day_outcomes():
                jobs.append((f"{o}: {results.title} against {other.title}", f"compare-{slug(o)}.png",
                             lambda p, o=o: curves.compare(results, other, o, p)))
    for o in results.headline_outcomes():
        jobs.append((f"What drives {o}", f"tornado-{slug(o)}.png", lambda p, o=o: tasks.tornado(results, o, p, top)))
    jobs.append(("Repair tasks: criticality and cruciality", "criticality.png", lambda p: tasks.criticality(results, p)))
    jobs.append(("The repair: probabilistic Gantt", "gantt.png", lambda p: tasks.gantt(results, p)))
    jobs.append(("Stocks aboard", "stocks.png", lambda p: series.stocks(results, p)))
    jobs.append(("Crew aboard", "crew.png", lambda p: series.crew(results, p)))
    if results.replications < 2:
        log(f"{out}: {results.replications} replication(s): no distribution to chart, every chart skipped")
        return []
    charts: list[Chart] = []
    for title, name, draw in jobs:
        try:
            charts.append(Chart(title, draw(out / name)))
        except Skip as why:
            log(f"skipped {name}: {why}")
    return charts


def parse_date(text: str) -> datetime:
    """A command-line date (YYYY-MM-DD or an ISO 8601 date-time) as UTC."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got '{text}'") from None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def arguments(argv: list[str], report: bool = False) -> argparse.Namespace:
    """The command line of plot.py; with `report`, also report.py's --padsim."""
    parser = argparse.ArgumentParser(
        description="Writes DIR/report.html: one self-contained page with every chart." if report else __doc__)
    parser.add_argument("directory", type=Path, help="a results directory (padsim run --out DIR)")
    parser.add_argument("--target", type=parse_date, help="a target date to mark on the S-curves (YYYY-MM-DD)")
    parser.add_argument("--compare", type=Path, metavar="DIR2",
                        help="a second results directory overlaid on the first (e.g. --no-incident)")
    parser.add_argument("--top", type=int, default=tasks.TOP, help="inputs per tornado (default %(default)s)")
    if report:
        parser.add_argument("--padsim", type=Path, default=Path(os.environ.get("PADSIM", DEFAULT_PADSIM)),
                            help="the padsim binary for the P90 replay (default: $PADSIM or %(default)s)")
    return parser.parse_args(argv)


def load_and_render(args: argparse.Namespace, program: str) -> Optional[tuple[Results, list[Chart]]]:
    """Loads the directories `args` names and draws every chart; None (after saying why on stderr)
    when a directory cannot be read."""
    try:
        results = load(args.directory)
        other = load(args.compare) if args.compare else None
    except FileNotFoundError as e:
        print(f"{program}: error: {e}", file=sys.stderr)
        return None
    return results, render_all(results, args.target, other, args.top, log=lambda m: print(m, file=sys.stderr))


def main(argv: Optional[list[str]] = None) -> int:
    """scripts/plot.sh: draws the charts, prints the files written; status 2 on bad input."""
    drawn = load_and_render(arguments(sys.argv[1:] if argv is None else argv), "plot")
    if drawn is None:
        return 2
    for chart in drawn[1]:
        print(chart.path)
    return 0
