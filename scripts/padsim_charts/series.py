"""Daily fan charts from timeseries.csv: stocks (kg, with reserve lines) and crew aboard."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .results import Results
from .style import Skip, date_axis, save

import matplotlib.pyplot as plt  # noqa: E402  (after style chose the backend)


def _series(results: Results, prefix: str) -> list[str]:
    """Series of timeseries.csv whose name starts with `prefix`, in file order."""
    if results.timeseries is None or results.replications < 2:
        return []
    return [s for s in dict.fromkeys(results.timeseries["series"]) if str(s).startswith(prefix)]


def unit_of(series: str) -> str:
    """The unit of a daily series: a stock's level is in kg, crew is a head count."""
    return "kg" if series.startswith("stock:") else "people"


def _band(ax: plt.Axes, results: Results, rows: pd.DataFrame, step: bool) -> None:
    """P10-P90 band and P50 line of one series on a date axis."""
    dates = pd.to_datetime(rows["date"])
    kind = {"step": "post"} if step else {}
    ax.fill_between(dates, rows["p10"], rows["p90"], alpha=0.3, color="tab:blue", label="P10-P90", **kind)
    if step:
        ax.step(dates, rows["p50"], where="post", color="tab:blue", label="P50")
    else:
        ax.plot(dates, rows["p50"], color="tab:blue", label="P50")


def stocks(results: Results, out: Path) -> Path:
    """One panel per stock: the daily P10-P90 band and P50 in kg, its reserve (run.json
    `series_levels`) as a dashed line and zero as a solid one."""
    names = _series(results, "stock:")
    if not names:
        raise Skip("stocks: no stock series in timeseries.csv, or one replication")
    fig, axes = plt.subplots(len(names), 1, figsize=(10, 2.6 * len(names) + 0.8), sharex=True,
                             squeeze=False, layout="constrained")
    ts = results.timeseries
    assert ts is not None
    for ax, name in zip(axes[:, 0], names):
        rows = ts[ts["series"] == name]
        _band(ax, results, rows, step=False)
        for level in results.series_level(name):
            ax.axhline(float(level["value"]), color="tab:red", linestyle="--", linewidth=1.2,
                       label=f"{level.get('label') or 'level'}: {float(level['value']):,.0f} {unit_of(name)}")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_ylabel(f"{name.split(':', 1)[1]} ({unit_of(name)})")
        ax.legend(loc="upper right", fontsize=8)
        date_axis(ax)
    n = int(ts["n"].max())
    fig.suptitle(f"{results.title}: stocks aboard, daily P10-P90 over {n:,} replications")
    return save(fig, out)


def crew(results: Results, out: Path) -> Path:
    """Crew aboard per day: P10-P90 band and P50, with the scenario's nominal crew when recorded."""
    names = _series(results, "crew")
    if not names:
        raise Skip("crew: no crew series in timeseries.csv, or one replication")
    ts = results.timeseries
    assert ts is not None
    rows = ts[ts["series"] == names[0]]
    fig, ax = plt.subplots(figsize=(10, 3.6), layout="constrained")
    _band(ax, results, rows, step=True)
    top = float(np.nanmax(rows["p90"].to_numpy(dtype=float)))
    ax.set_ylim(0, top + 1)
    ax.set_ylabel("crew aboard (people)")
    ax.legend(loc="lower left", fontsize=8)
    date_axis(ax)
    ax.set_title(f"{results.title}: crew aboard, daily P10-P90 over {int(rows['n'].max()):,} replications")
    return save(fig, out)
