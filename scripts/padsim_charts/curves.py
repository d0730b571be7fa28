"""Charts of one day outcome: the S-curve with its percentiles, a histogram, and two directories overlaid."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd

from .results import Results
from .style import Skip, date_axis, day_text, figure, save


def _reached(results: Results, outcome: str) -> tuple[np.ndarray, int, int]:
    """Sorted reached values of a day outcome, n (reached + censored) and the censored count.

    Raises Skip when fewer than two replications have a value: a curve needs a distribution.
    """
    if results.runs is None or outcome not in results.runs.columns:
        raise Skip(f"{outcome}: no runs.csv column")
    values = np.sort(results.runs[outcome].dropna().to_numpy(dtype=float))
    n, censored = results.counts(outcome)
    n = max(n, len(values))
    if n < 2:
        raise Skip(f"{outcome}: {n} replication(s), no distribution to draw")
    return values, n, censored


def _share_by(values: np.ndarray, n: int, day: float) -> float:
    """Share of all n replications reached by `day` (censored ones never are)."""
    return float(np.searchsorted(values, day, side="right")) / n


def _step(results: Results, values: np.ndarray, n: int) -> tuple[pd.Series, np.ndarray]:
    """The empirical S-curve as (dates, cumulative share), flat to the horizon after the last value."""
    days = np.concatenate([values, [max(results.horizon_days, values[-1] if len(values) else 0.0)]])
    shares = np.concatenate([np.arange(1, len(values) + 1) / n, [len(values) / n]])
    return results.dates(pd.Series(days)), shares


def s_curve(results: Results, outcome: str, out: Path, target: Optional[datetime] = None) -> Path:
    """S-curve of a day outcome on a date axis, P10/P50/P80/P90 marked with their dates and 95% CIs.

    Censored replications count as beyond the horizon, so the curve ends below 1 when some are.
    The scenario's reference dates (run.json) and an optional target date are drawn as lines.
    """
    values, n, censored = _reached(results, outcome)
    fig, ax = figure(10, 6)
    dates, shares = _step(results, values, n)
    ax.step(dates, shares, where="post", color="tab:blue", linewidth=2, label=f"{outcome} ({n:,} replications)")
    lines = []
    for p in results.percentiles(outcome):
        y = int(p.statistic[1:]) / 100
        if p.value is None:
            lines.append(f"{p.statistic.upper()}: beyond the horizon")
            continue
        low = results.date(p.ci_low) if p.ci_low is not None else None
        high = results.date(p.ci_high) if p.ci_high is not None else None
        left = low or results.date(0)
        right = high or results.date(results.horizon_days)
        ax.plot([left, right], [y, y], color="black", linewidth=1.2, marker="|", markersize=10)
        ax.plot([results.date(p.value)], [y], "o", color="tab:orange", markersize=7, zorder=5)
        ax.annotate(p.statistic.upper(), (results.date(p.value), y), textcoords="offset points",
                    xytext=(6, 4), fontsize=9, fontweight="bold")
        mark = {"wide": " (wide CI)", "gap": " (CI spans a gap: quote the CI)"}.get(p.flag, "")
        lines.append(f"{p.statistic.upper()}: {day_text(results.date(p.value))}  "
                     f"[{day_text(low)}, {day_text(high)}]{mark}")
    for ref in results.references(outcome):
        share = _share_by(values, n, float(ref["day"]))
        ax.axvline(results.date(float(ref["day"])), color="tab:green", linestyle=":", linewidth=2,
                   label=f"{ref.get('label') or ref['date']}: {share:.1%} of replications by then")
    if target is not None:
        day = (target - results.epoch).total_seconds() / 86400
        ax.axvline(target, color="tab:red", linestyle="--", linewidth=1.5,
                   label=f"target {day_text(target)}: {_share_by(values, n, day):.1%} of replications by then")
    ax.axvline(results.date(results.horizon_days), color="grey", linewidth=1, label="horizon")
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("share of replications reached by that date")
    ax.set_yticks(np.linspace(0, 1, 11))
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    date_axis(ax)
    ax.set_title(f"{results.title}: {outcome}, S-curve"
                 + (f" ({censored / n:.1%} beyond the horizon)" if censored else ""))
    ax.text(0.99, 0.03, "percentile: date [95% CI]\n" + "\n".join(lines), transform=ax.transAxes,
            ha="right", va="bottom", multialignment="left", fontsize=9, family="monospace",
            bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.9})
    ax.legend(loc="center right", fontsize=9)
    return save(fig, out)


def histogram(results: Results, outcome: str, out: Path) -> Path:
    """Histogram of a day outcome's reached values on a date axis; the censored share in the title."""
    values, n, censored = _reached(results, outcome)
    if len(values) < 2:
        raise Skip(f"{outcome}: fewer than two reached values")
    fig, ax = figure(10, 4.5)
    ax.hist(results.dates(pd.Series(values)), bins=min(80, max(10, len(values) // 25)), color="tab:blue",
            alpha=0.8)
    for p in results.percentiles(outcome, ("p10", "p50", "p90")):
        if p.value is not None:
            ax.axvline(results.date(p.value), color="tab:orange", linestyle="--", linewidth=1)
            ax.annotate(p.statistic.upper(), (results.date(p.value), 1), xycoords=("data", "axes fraction"),
                        xytext=(3, -12), textcoords="offset points", fontsize=9)
    for ref in results.references(outcome):
        ax.axvline(results.date(float(ref["day"])), color="tab:green", linestyle=":", linewidth=2,
                   label=ref.get("label") or ref["date"])
    if results.references(outcome):
        ax.legend(loc="upper right", fontsize=9)
    date_axis(ax)
    ax.set_ylabel("replications")
    ax.set_title(f"{results.title}: {outcome}, {len(values):,} of {n:,} replications reached by the horizon"
                 + (f" ({censored:,} beyond it, not shown)" if censored else ""))
    return save(fig, out)


def compare(a: Results, b: Results, outcome: str, out: Path) -> Path:
    """S-curves of one day outcome from two result directories on one date axis (e.g. with and
    without the incident), each with its P50 and P90 marked."""
    fig, ax = figure(10, 5.5)
    for results, color in ((a, "tab:blue"), (b, "tab:red")):
        values, n, _ = _reached(results, outcome)
        dates, shares = _step(results, values, n)
        ax.step(dates, shares, where="post", color=color, linewidth=2,
                label=f"{results.title} ({results.directory.name}, {n:,} replications)")
        for p in results.percentiles(outcome, ("p50", "p90")):
            if p.value is not None:
                ax.plot([results.date(p.value)], [int(p.statistic[1:]) / 100], "o", color=color)
                ax.annotate(f"{p.statistic.upper()} {day_text(results.date(p.value))}",
                            (results.date(p.value), int(p.statistic[1:]) / 100), textcoords="offset points",
                            xytext=(6, -12), fontsize=8, color=color)
    for ref in a.references(outcome):
        ax.axvline(a.date(float(ref["day"])), color="tab:green", linestyle=":", linewidth=2,
                   label=ref.get("label") or ref["date"])
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_ylabel("share of replications reached by that date")
    date_axis(ax)
    ax.set_title(f"{outcome}: {a.title} against {b.title}")
    ax.legend(loc="lower right", fontsize=9)
    return save(fig, out)
