"""Shared drawing helpers: the Agg backend, date axes, date labels and saving one PNG."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

DPI = 110
plt.rcParams.update({"font.size": 10, "axes.titlesize": 11, "axes.grid": True, "grid.alpha": 0.3})


class Skip(Exception):
    """A chart that cannot be drawn from these results (no rows, one replication); the message says why."""


def date_axis(ax: Axes) -> None:
    """Formats the x axis of `ax` as calendar dates (concise month/year ticks)."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def day_text(date: Optional[datetime]) -> str:
    """A date as "12 Apr 2026", or "beyond the horizon" for None."""
    return "beyond the horizon" if date is None else f"{date.day} {date:%b %Y}"


def save(fig: Figure, path: Path) -> Path:
    """Writes `fig` as a PNG at `path` and closes it."""
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A new figure with one axis, laid out tightly."""
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax
