"""report.html: one self-contained page (inline CSS, images as data URIs) of a results directory."""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import subprocess
import sys
from html import escape
from pathlib import Path
from typing import Iterable, Optional

import pandas as pd

from .render import Chart, arguments, load_and_render
from .results import Results
from .style import day_text
from .tasks import significance_cutoff

REPO = Path(__file__).resolve().parents[2]
# Replay flags padsim replay accepts (run.json mode_flags may hold others).
REPLAY_FLAGS = {"--deterministic", "--no-incident", "--no-responses"}
REPLAY_OPTIONS = ("--sampling=", "--lhs-block=")  # given as one word each: --sampling=lhs

CSS = """
body { font-family: sans-serif; max-width: 1150px; margin: 1em auto; color: #222; line-height: 1.4; }
h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; border: 1px solid #ddd; margin: 0.5em 0; }
.flag { color: #b00; font-weight: bold; } .note { color: #555; font-size: 0.9em; }
.trace { max-height: 40em; overflow: auto; } .scroll { overflow-x: auto; }
figure { margin: 1em 0; }
"""


def table(header: Iterable[str], rows: Iterable[Iterable[object]], numeric: Iterable[int] = ()) -> str:
    """An HTML table; every cell is escaped (columns in `numeric` are right-aligned)."""
    nums = set(numeric)
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if i in nums else ''}>{escape(str(c))}</td>" for i, c in enumerate(r))
        + "</tr>\n" for r in rows)
    return f"<table><tr>{head}</tr>\n{body}</table>\n"


def number(x: Optional[float]) -> str:
    """A value for a table: 4 significant digits, "beyond the horizon" for an empty cell."""
    return "beyond the horizon" if x is None else f"{x:.4g}"


def provenance(r: Results) -> str:
    """Scenario, seed, replications, mode flags, overrides and references, from run.json."""
    run = r.run
    rows = [
        ("scenario", f"{run.get('scenario_name', '')} ({run.get('scenario', '')})"),
        ("scenario sha256", run.get("scenario_sha256", "")),
        ("epoch / horizon", f"{run.get('epoch', '')} / {run.get('horizon', '')}"),
        ("seed", run.get("seed_text", run.get("seed", ""))),
        ("replications", f"{r.replications:,} ({run.get('runs', '')})"),
        ("mode flags", " ".join(run.get("mode_flags", [])) or "none"),
        ("overrides (--set)", "; ".join(run.get("overrides", [])) or "none"),
        ("references", "; ".join(f"{x.get('outcome')}: {x.get('label')} ({x.get('date')})"
                                 for x in run.get("references", [])) or "none"),
        ("padsim", run.get("padsim_version", "")),
        ("command line", run.get("command_line", "")),
    ]
    return table(["item", "value"], rows)


def headline(r: Results) -> str:
    """P10/P50/P80/P90 with 95% CIs of every headline outcome, dates beside day outcomes; events."""
    rows = []
    for o in r.headline_outcomes():
        n, censored = r.counts(o)
        cells: list[object] = [o, r.unit(o)]
        for p in r.percentiles(o):
            text = f"{number(p.value)} [{number(p.ci_low)}, {number(p.ci_high)}]"
            if r.unit(o) == "day" and p.value is not None:
                text += f" ({day_text(r.date(p.value))})"
            cells.append(text + {"wide": " *", "gap": " !"}.get(p.flag, ""))
        cells.append(f"{censored / n:.1%}" if n else "")
        rows.append(cells)
    out = table(["outcome", "unit", "P10 [95% CI]", "P50 [95% CI]", "P80 [95% CI]", "P90 [95% CI]", "censored"], rows)
    out += ("<p class=note>* the CI is wide; ! it also spans a gap between two regimes, so the value can jump "
            "when the batch grows: quote the CI, not the value. Censored values count as beyond the horizon.</p>")
    if r.summary is not None:
        ev = r.summary[r.summary["statistic"] == "probability"]
        if not ev.empty:
            out += "<h3>Events: probability with its 95% Wilson interval</h3>\n" + table(
                ["event", "probability", "95% CI", "n"],
                ([e.outcome, f"{e.value:.2%}", f"[{e.ci_low:.2%}, {e.ci_high:.2%}]", int(e.n)]
                 for e in ev.itertuples()), numeric=(1, 3))
    return out


def sensitivity(r: Results, top: int) -> str:
    """Per headline outcome, its top significant inputs (Spearman ρ with the 95% CI)."""
    if r.sensitivity is None:
        return "<p>No sensitivity.csv.</p>"
    out = (f"<p class=note>Only inputs whose 95% CI excludes 0 are listed (at {r.replications:,} replications, "
           f"|ρ| below about {significance_cutoff(r.replications):.3f} is not distinguishable from 0).</p>\n")
    for o in r.headline_outcomes():
        rows = r.sensitivity[(r.sensitivity["outcome"] == o) & (r.sensitivity["significant"] == 1)].head(top)
        out += f"<h3>{escape(o)}</h3>\n" + table(
            ["input", "ρ", "95% CI"],
            ([r.input_label(x.input), f"{x.spearman:+.3f}", f"[{x.ci_low:+.3f}, {x.ci_high:+.3f}]"]
             for x in rows.itertuples()), numeric=(1,))
    if r.tasks is not None:
        out += "<h3>Repair tasks</h3>\n<div class=scroll>" + table(
            list(r.tasks.columns),
            ([("" if pd.isna(v) else f"{v:.4g}" if isinstance(v, float) else v) for v in row]
             for row in r.tasks.itertuples(index=False))) + "</div>\n"
    return out


def replay(r: Results, padsim: Path, outcome: str) -> tuple[str, list[list[str]]]:
    """Runs `padsim replay --at OUTCOME:p90 --trace -` for the batch of `r`; (log, trace rows).

    Raises RuntimeError with padsim's message when the replay cannot run.
    """
    run = r.run
    command = [str(padsim), "replay", run.get("scenario", ""), "--at", f"{outcome}:p90", "--runs", str(r.replications),
               "--seed", str(run.get("seed_text", run.get("seed"))), "--trace", "-"]
    command += [f for f in run.get("mode_flags", []) if f in REPLAY_FLAGS or f.startswith(REPLAY_OPTIONS)]
    for o in run.get("overrides", []):
        command += ["--set", o]
    # run.json names the scenario as given to padsim run, usually relative to the repository.
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: status {done.returncode}: {done.stderr.strip()}")
    log = "\n".join(line.removeprefix("padsim: info: ") for line in done.stderr.splitlines() if "replication" in line)
    return log, list(csv.reader(io.StringIO(done.stdout)))


def story(r: Results, padsim: Path) -> str:
    """The P90 replication of the first day outcome, event by event."""
    outcomes = r.day_outcomes()
    if not outcomes or r.replications < 2:
        return "<p>No day outcome with a distribution: no P90 replication to replay.</p>"
    if not padsim.exists():
        return f"<p>No padsim binary at {escape(str(padsim))} (--padsim PATH): the replay is left out.</p>"
    try:
        log, rows = replay(r, padsim, outcomes[0])
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
        return f"<p class=flag>The replay failed: {escape(str(e))}</p>"
    head, body = (rows[0], rows[1:]) if rows else ([], [])
    scenario = REPO / r.run.get("scenario", "")
    warning = ""
    if scenario.is_file() and hashlib.sha256(scenario.read_bytes()).hexdigest() != r.run.get("scenario_sha256"):
        warning = (f"<p class=flag>{escape(str(scenario))} has changed since this batch ran (its sha256 differs "
                   "from run.json's): the replay below is of the file as it is now.</p>\n")
    return (warning + f"<p>The replication at the P90 of <b>{escape(outcomes[0])}</b> in this batch "
            f"(<code>padsim replay --at {escape(outcomes[0])}:p90</code>), {len(body)} events:</p>\n"
            f"<pre>{escape(log)}</pre>\n<div class=trace>{table(head, body)}</div>\n")


def image(chart: Chart) -> str:
    """A chart as a figure with its PNG embedded as a base64 data URI."""
    data = base64.b64encode(chart.path.read_bytes()).decode("ascii")
    return (f"<figure><img alt=\"{escape(chart.title)}\" src=\"data:image/png;base64,{data}\">"
            f"<figcaption>{escape(chart.title)} ({escape(chart.path.name)})</figcaption></figure>\n")


def build(r: Results, charts: list[Chart], padsim: Path, top: int) -> str:
    """The whole page."""
    title = f"padsim report: {r.title}"
    parts = [f"<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>{escape(title)}</title>"
             f"<style>{CSS}</style></head><body>\n<h1>{escape(title)}</h1>\n",
             "<h2>How this batch was run</h2>\n", provenance(r),
             "<h2>Headline results</h2>\n", headline(r),
             "<h2>Charts</h2>\n", "".join(image(c) for c in charts) or "<p>No chart: see the messages of plot.sh.</p>",
             "<h2>Sensitivity</h2>\n", sensitivity(r, top),
             "<h2>The P90 replication's story</h2>\n", story(r, padsim),
             "</body></html>\n"]
    return "".join(parts)


def main(argv: Optional[list[str]] = None) -> int:
    """scripts/report.sh: draws the charts and writes DIR/report.html; status 2 on bad input."""
    args = arguments(sys.argv[1:] if argv is None else argv, report=True)
    drawn = load_and_render(args, "report")
    if drawn is None:
        return 2
    results, charts = drawn
    page = build(results, charts, args.padsim, args.top)
    path = args.directory / "report.html"
    temp = path.with_name(f".report.html.tmp.{os.getpid()}")
    temp.write_text(page, encoding="utf-8")
    os.replace(temp, path)  # a reader never sees half a report
    print(path)
    return 0
