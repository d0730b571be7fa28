"""Reading a padsim results directory: the CSV files, run.json, and the day-to-date conversion."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Optional

import pandas as pd

# The percentiles an S-curve marks (summary.csv statistics).
MARKED_PERCENTILES = ("p10", "p50", "p80", "p90")


def _read_csv(path: Path) -> Optional[pd.DataFrame]:
    """A CSV file of the set, or None when it is missing or has no rows."""
    if not path.exists():
        return None
    frame = pd.read_csv(path, dtype={"seed": str})
    return frame if len(frame) else None


def parse_epoch(text: str) -> datetime:
    """run.json's ISO 8601 epoch ("2025-11-27T09:28:00Z") as an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


@dataclass
class Percentile:
    """One percentile row of summary.csv; None where the cell is empty (beyond the horizon)."""

    statistic: str
    value: Optional[float]
    ci_low: Optional[float]
    ci_high: Optional[float]
    flag: str


@dataclass
class Results:
    """Everything a chart or the report needs from one results directory."""

    directory: Path
    run: dict[str, Any]
    runs: Optional[pd.DataFrame]
    summary: Optional[pd.DataFrame]
    tasks: Optional[pd.DataFrame]
    sensitivity: Optional[pd.DataFrame]
    timeseries: Optional[pd.DataFrame]
    columns: Optional[pd.DataFrame]
    epoch: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.epoch = parse_epoch(self.run.get("epoch") or "1970-01-01T00:00:00Z")

    @property
    def replications(self) -> int:
        """Replications in the batch (run.json), or the rows of runs.csv."""
        if "replications" in self.run:
            return int(self.run["replications"])
        return 0 if self.runs is None else len(self.runs)

    @property
    def horizon_days(self) -> float:
        """The horizon in days since the epoch (run.json)."""
        return float(self.run.get("horizon_days", float("nan")))

    @property
    def title(self) -> str:
        """Scenario name and mode flags, for chart titles and legends."""
        name = self.run.get("scenario_name") or Path(self.run.get("scenario", "?")).stem
        flags = " ".join(self.run.get("mode_flags", []))
        return f"{name} {flags}".strip()

    def date(self, day: float) -> datetime:
        """The calendar date of `day` days since the epoch."""
        return self.epoch + timedelta(days=float(day))

    def dates(self, days: pd.Series) -> pd.Series:
        """Days since the epoch as datetimes (for a date axis)."""
        return pd.to_datetime(self.epoch) + pd.to_timedelta(days.astype(float), unit="D")

    def unit(self, outcome: str) -> str:
        """The outcome's unit from summary.csv ("day", "days", "kg", ...), "" if unknown."""
        if self.summary is None:
            return ""
        rows = self.summary[self.summary["outcome"] == outcome]
        return "" if rows.empty or pd.isna(rows["unit"].iloc[0]) else str(rows["unit"].iloc[0])

    def headline_outcomes(self) -> list[str]:
        """The headline outcomes (those of sensitivity.csv), in the model's order."""
        if self.sensitivity is None:
            return []
        return list(dict.fromkeys(self.sensitivity["outcome"]))

    def day_outcomes(self) -> list[str]:
        """Headline outcomes measured as a day since the epoch (the S-curve and histogram ones)."""
        return [o for o in self.headline_outcomes() if self.unit(o) == "day" and self.runs is not None
                and o in self.runs.columns]

    def percentiles(self, outcome: str, statistics: tuple[str, ...] = MARKED_PERCENTILES) -> list[Percentile]:
        """Rows of summary.csv for `outcome`, in the order of `statistics`."""
        out: list[Percentile] = []
        if self.summary is None:
            return out
        rows = self.summary[self.summary["outcome"] == outcome].set_index("statistic")
        for stat in statistics:
            if stat not in rows.index:
                continue
            r = rows.loc[stat]
            cell = lambda c: None if pd.isna(r[c]) else float(r[c])  # noqa: E731
            flag = "" if "flag" not in r or pd.isna(r["flag"]) else str(r["flag"])
            out.append(Percentile(stat, cell("value"), cell("ci_low"), cell("ci_high"), flag))
        return out

    def counts(self, outcome: str) -> tuple[int, int]:
        """(n, censored) of an outcome: replications with a value, and those beyond the horizon."""
        if self.summary is None:
            return (0, 0)
        rows = self.summary[self.summary["outcome"] == outcome]
        if rows.empty:
            return (0, 0)
        return int(rows["n"].iloc[0]), int(rows["censored"].iloc[0])

    def task_names(self) -> dict[str, str]:
        """Task id -> name, when tasks.csv has a `name` column; otherwise empty (ids are shown)."""
        if self.tasks is None or "name" not in self.tasks.columns:
            return {}
        return {str(t): str(n) for t, n in zip(self.tasks["task"], self.tasks["name"]) if not pd.isna(n)}

    def input_label(self, name: str) -> str:
        """A sensitivity input for a chart: `duration:R6` with the task's name when known."""
        kind, _, subject = name.partition(":")
        names = self.task_names()
        if kind == "duration" and subject in names:
            return f"{subject} {names[subject]} (duration)"
        return name

    def series_level(self, series: str) -> list[dict[str, Any]]:
        """Fixed levels of a daily series recorded in run.json (`series_levels`, e.g. a reserve)."""
        return [lv for lv in self.run.get("series_levels", []) if lv.get("series") == series]

    def references(self, outcome: str) -> list[dict[str, Any]]:
        """The scenario's reference dates of an outcome (run.json `references`)."""
        return [r for r in self.run.get("references", []) if r.get("outcome") == outcome]


def load(directory: Path) -> Results:
    """Reads a results directory; a missing file is None. Raises FileNotFoundError without run.json."""
    run_json = directory / "run.json"
    if not run_json.exists():
        raise FileNotFoundError(f"{directory}: no run.json (run `padsim run --out {directory}` first)")
    run = json.loads(run_json.read_text(encoding="utf-8"))
    return Results(
        directory=directory,
        run=run,
        runs=_read_csv(directory / "runs.csv"),
        summary=_read_csv(directory / "summary.csv"),
        tasks=_read_csv(directory / "tasks.csv"),
        sensitivity=_read_csv(directory / "sensitivity.csv"),
        timeseries=_read_csv(directory / "timeseries.csv"),
        columns=_read_csv(directory / "columns.csv"),
    )
