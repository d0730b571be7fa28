#!/usr/bin/python3
"""Plots from a padsim output directory: S-curves of the headline outcomes and a tornado chart.

Usage: scripts/plot.sh DIR   (installs python3-pandas and python3-matplotlib, then runs this under
/usr/bin/python3). Reads only the CSV outputs (runs.csv, sensitivity.csv, timeseries.csv) and
writes PNG files next to them: s-curves.png, tornado.png, stocks.png.
"""
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

S_CURVE_COLUMNS = ["pad_ready_day", "first_launch_day"]
ACTUAL = {"pad_ready_day": 96, "first_launch_day": 115}  # what happened (docs/sources.md §1.3)


def s_curves(out: Path) -> None:
    runs = pd.read_csv(out / "runs.csv")
    columns = [c for c in S_CURVE_COLUMNS if c in runs.columns]
    if not columns:
        return
    fig, ax = plt.subplots(figsize=(8, 5))
    for column in columns:
        values = runs[column].dropna().sort_values()
        n = len(runs)
        ax.step(values, (pd.RangeIndex(1, len(values) + 1)) / n, where="post", label=column)
        if column in ACTUAL:
            ax.axvline(ACTUAL[column], linestyle=":", color=ax.lines[-1].get_color(),
                       label=f"{column}: actual day {ACTUAL[column]}")
    ax.set_xlabel("days since the epoch")
    ax.set_ylabel("probability of completion by that day")
    ax.set_title(f"S-curves ({len(runs)} replications; censored runs never reach 1)")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "s-curves.png", dpi=120)
    plt.close(fig)


def tornado(out: Path, top: int = 12) -> None:
    path = out / "sensitivity.csv"
    if not path.exists():
        return
    sens = pd.read_csv(path)
    outcomes = list(dict.fromkeys(sens["outcome"]))
    if not outcomes:
        return
    fig, axes = plt.subplots(len(outcomes), 1, figsize=(8, 2.2 + 0.35 * top * len(outcomes)), squeeze=False)
    for ax, outcome in zip(axes[:, 0], outcomes):
        rows = sens[sens["outcome"] == outcome].dropna(subset=["spearman"])
        rows = rows.reindex(rows["spearman"].abs().sort_values(ascending=False).index).head(top)[::-1]
        ax.barh(rows["input"], rows["spearman"], color=["tab:red" if v > 0 else "tab:blue" for v in rows["spearman"]])
        ax.set_xlim(-1, 1)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_title(f"rank correlation with {outcome}")
    fig.tight_layout()
    fig.savefig(out / "tornado.png", dpi=120)
    plt.close(fig)


def stocks(out: Path) -> None:
    path = out / "timeseries.csv"
    if not path.exists():
        return
    ts = pd.read_csv(path)
    series = list(dict.fromkeys(ts["series"]))
    if not series:
        return
    fig, axes = plt.subplots(len(series), 1, figsize=(8, 2.2 * len(series)), sharex=True, squeeze=False)
    for ax, name in zip(axes[:, 0], series):
        rows = ts[ts["series"] == name]
        ax.fill_between(rows["day"], rows["p10"], rows["p90"], alpha=0.3, label="P10-P90")
        ax.plot(rows["day"], rows["p50"], label="P50")
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
    axes[0, 0].legend()
    axes[-1, 0].set_xlabel("days since the epoch")
    fig.tight_layout()
    fig.savefig(out / "stocks.png", dpi=110)
    plt.close(fig)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    if not (out / "runs.csv").exists():
        print(f"{out}: no runs.csv (run `padsim run --out {out}` first)", file=sys.stderr)
        return 2
    s_curves(out)
    tornado(out)
    stocks(out)
    print(f"wrote plots to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
