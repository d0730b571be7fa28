"""Charts of what drives the results: tornado per outcome, task criticality, probabilistic Gantt."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from .results import Results
from .style import Skip, date_axis, figure, save

TOP = 12  # inputs a tornado shows at most


def significance_cutoff(n: int) -> float:
    """|ρ| below which a correlation's 95% CI includes 0 at n pairs (Fisher z, ρ near 0)."""
    return math.tanh(1.959964 / math.sqrt(n - 3)) if n > 3 else 1.0


def tornado(results: Results, outcome: str, out: Path, top: int = TOP) -> Path:
    """Spearman ρ of the top `top` significant inputs of one outcome, with their 95% CIs and names,
    and the band of |ρ| that is not distinguishable from 0 at this batch size."""
    if results.sensitivity is None or results.replications < 2:
        raise Skip(f"tornado {outcome}: no sensitivity rows or one replication")
    rows = results.sensitivity[results.sensitivity["outcome"] == outcome].dropna(subset=["spearman"])
    significant = rows[rows["significant"] == 1]
    if significant.empty:
        raise Skip(f"tornado {outcome}: no input is significant at {results.replications} replications")
    shown = significant.reindex(significant["spearman"].abs().sort_values(ascending=False).index).head(top)[::-1]
    labels = [results.input_label(str(s)) for s in shown["input"]]
    # Wide enough for the longest task name beside a full-width axis and its value labels.
    fig, ax = figure(8 + 0.085 * max(len(label) for label in labels), 1.8 + 0.42 * len(shown))
    y = np.arange(len(shown))
    rho = shown["spearman"].to_numpy(dtype=float)
    colors = ["tab:red" if v > 0 else "tab:blue" for v in rho]
    ax.barh(y, rho, color=colors, alpha=0.85, height=0.65)
    err = np.vstack([rho - shown["ci_low"].to_numpy(dtype=float), shown["ci_high"].to_numpy(dtype=float) - rho])
    ax.errorbar(rho, y, xerr=err, fmt="none", ecolor="black", capsize=3, linewidth=1)
    for yi, (v, lo, hi) in enumerate(zip(rho, shown["ci_low"], shown["ci_high"])):
        ax.text(v + (0.03 if v >= 0 else -0.03) + (hi - v if v >= 0 else lo - v), yi,
                f"ρ = {v:+.2f} [{lo:+.2f}, {hi:+.2f}]", va="center", ha="left" if v >= 0 else "right", fontsize=9)
    cut = significance_cutoff(results.replications)
    ax.axvspan(-cut, cut, color="grey", alpha=0.25)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    # Room for the value labels beyond the longest whiskers on either side (about 0.55 of ρ wide).
    ax.set_xlim(min(-1.0, float(shown["ci_low"].min()) - 0.6), max(1.0, float(shown["ci_high"].max()) + 0.6))
    ax.set_xlabel("Spearman rank correlation with the outcome (95% CI); grey: "
                  f"|ρ| < {cut:.3f}, not distinguishable from 0 at {results.replications:,} replications")
    ax.set_title(f"{results.title}: what drives {outcome}\n"
                 f"(top {len(shown)} of {len(significant)} significant inputs, {len(rows)} in all)")
    ax.grid(axis="y", alpha=0)
    return save(fig, out)


def _task_labels(results: Results, tasks: pd.DataFrame) -> list[str]:
    """Task ids with their names when tasks.csv gives them, and how often a branch keeps a task."""
    names = results.task_names()
    labels = []
    for task, present in zip(tasks["task"], tasks["present"]):
        label = f"{task} {names[str(task)]}" if str(task) in names else str(task)
        if present < 1:
            label += f" (in {present:.0%})"
        labels.append(label)
    return labels


def criticality(results: Results, out: Path) -> Path:
    """Per task: how often it is on the critical path, and its cruciality (ρ of its duration with the
    completion); the schedule sensitivity index too when tasks.csv has an `ssi` column."""
    tasks = results.tasks
    if tasks is None or results.replications < 2:
        raise Skip("criticality: no tasks.csv rows or one replication")
    tasks = tasks.iloc[::-1]
    panels = [("criticality", "critical in this share of replications", (0, 1))]
    panels.append(("cruciality", "cruciality: ρ(duration, completion)", (-1, 1)))
    if "ssi" in tasks.columns:
        panels.append(("ssi", "schedule sensitivity index", None))
    fig, axes = figure(4.2 * len(panels) + 2.5, 1.4 + 0.42 * len(tasks))
    fig.clear()
    axes = fig.subplots(1, len(panels), sharey=True)
    y = np.arange(len(tasks))
    for ax, (column, label, limits) in zip(np.atleast_1d(axes), panels):
        values = tasks[column].to_numpy(dtype=float)
        ax.barh(y, np.nan_to_num(values), color=["tab:red" if v > 0 else "tab:blue" for v in np.nan_to_num(values)],
                alpha=0.85, height=0.65)
        for yi, v in enumerate(values):
            ax.text(0 if np.isnan(v) else v, yi, " n/a" if np.isnan(v) else f" {v:.2f}", va="center", fontsize=8)
        if limits:
            ax.set_xlim(limits[0], limits[1] * 1.15)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel(label)
    first = np.atleast_1d(axes)[0]
    first.set_yticks(y)
    first.set_yticklabels(_task_labels(results, tasks))
    measures = "criticality, cruciality and SSI" if len(panels) == 3 else "criticality and cruciality"
    fig.suptitle(f"{results.title}: repair tasks, {measures} ({results.replications:,} replications)")
    return save(fig, out)


def gantt(results: Results, out: Path) -> Path:
    """Probabilistic Gantt of the repair: per task the P10-P90 range of its start and of its finish,
    and the P50 span between them, on a date axis."""
    tasks = results.tasks
    if tasks is None or results.replications < 2:
        raise Skip("gantt: no tasks.csv rows or one replication")
    tasks = tasks.dropna(subset=["start_p50", "finish_p50"]).sort_values("start_p50", ascending=False)
    if tasks.empty:
        raise Skip("gantt: no task has a start and a finish")
    fig, ax = figure(11, 1.6 + 0.5 * len(tasks))
    y = np.arange(len(tasks))
    date = results.dates
    start_lo, start_hi = date(tasks["start_p10"]), date(tasks["start_p90"])
    finish_lo, finish_hi = date(tasks["finish_p10"]), date(tasks["finish_p90"])
    ax.hlines(y, date(tasks["start_p50"]), date(tasks["finish_p50"]), color="grey", linewidth=2,
              label="P50 start to P50 finish")
    ax.barh(y + 0.17, finish_hi - finish_lo, left=finish_lo, height=0.3, color="tab:red", alpha=0.75,
            label="finish P10-P90")
    ax.barh(y - 0.17, start_hi - start_lo, left=start_lo, height=0.3, color="tab:blue", alpha=0.75,
            label="start P10-P90")
    ax.plot(date(tasks["finish_p50"]), y + 0.17, "|", color="black", markersize=12)
    ax.plot(date(tasks["start_p50"]), y - 0.17, "|", color="black", markersize=12)
    ax.set_yticks(y)
    ax.set_yticklabels(_task_labels(results, tasks))
    date_axis(ax)
    ax.set_title(f"{results.title}: the repair, start and finish of each task (P10-P90, | P50)")
    ax.legend(loc="lower right", fontsize=8)
    return save(fig, out)
