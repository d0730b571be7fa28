"""A batch's results as pandas DataFrames, with what columns.csv says of every column."""

from __future__ import annotations

import io
from typing import Dict, List, Optional

import numpy as np
import pandas as pd


def epoch_timestamp(epoch: str) -> pd.Timestamp:
    """The scenario's epoch (ISO 8601, UTC) as a timezone-naive UTC timestamp."""
    stamp = pd.Timestamp(epoch)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp


def to_dates(days, epoch: str):
    """Days since `epoch` (a day outcome's unit) as UTC timestamps; NaN (empty) becomes NaT.

    A Series or DataFrame keeps its index and labels; `.dt.floor("D")` of a result gives the
    calendar date `padsim run --dates` writes in runs.csv's date:NAME columns.
    """
    start = epoch_timestamp(epoch)
    if isinstance(days, pd.DataFrame):
        return days.apply(lambda column: to_dates(column, epoch))
    if isinstance(days, pd.Series):
        return pd.Series(start + _timedeltas(days.to_numpy(dtype="float64")), index=days.index,
                         name=days.name)
    values = np.asarray(days, dtype="float64")
    if values.ndim == 0:
        return pd.NaT if np.isnan(values) else start + pd.Timedelta(_timedeltas(values)[()])
    return start + pd.TimedeltaIndex(_timedeltas(values))


def _timedeltas(days: np.ndarray) -> np.ndarray:
    """Days as timedelta64[ns], NaN as NaT, to the nanosecond (pandas' own conversion of
    fractional days rounds to microseconds and warns on NaN)."""
    missing = np.isnan(days)
    out = np.round(np.where(missing, 0.0, days) * 86_400e9).astype(np.int64).view("timedelta64[ns]")
    out[missing] = np.timedelta64("NaT")
    return out


def annotate(frame: pd.DataFrame, columns: List[dict], epoch: str) -> pd.DataFrame:
    """Attaches columns.csv's description of `frame`'s columns to frame.attrs.

    attrs: "units" (name -> unit, "" when none), "kinds", "empty_means" (what an empty cell, NaN
    here, means), "censorable" (the columns whose NaN means *not reached by the horizon*, i.e.
    beyond it), "descriptions" and "epoch" (day outcomes count days from it).
    """
    frame.attrs["units"] = {c["name"]: c["unit"] for c in columns}
    frame.attrs["kinds"] = {c["name"]: c["kind"] for c in columns}
    frame.attrs["empty_means"] = {c["name"]: c["empty_means"] for c in columns if c["empty_means"]}
    frame.attrs["censorable"] = [c["name"] for c in columns
                                 if c["empty_means"].startswith("censored")]
    frame.attrs["descriptions"] = {c["name"]: c["description"] for c in columns}
    frame.attrs["epoch"] = epoch
    return frame


def value_frame(values: np.ndarray, names: List[str], replication: np.ndarray,
                seeds: Optional[np.ndarray]) -> pd.DataFrame:
    """Replications x names over `values` without copying it (one float64 block, a view), with
    the replication index (and seed) columns in front as in the CSV file."""
    frame = pd.DataFrame(values, columns=names, copy=False)
    frame.insert(0, "replication", replication)
    if seeds is not None:
        frame.insert(1, "seed", seeds)
    return frame


def csv_frame(data: bytes, columns: List[dict]) -> pd.DataFrame:
    """A CSV file of the batch read back; text and id columns stay text (no type guessing)."""
    text_columns = {c["name"]: str for c in columns if c["kind"] in ("text", "id")}
    return pd.read_csv(io.BytesIO(data), dtype=text_columns, keep_default_na=False,
                       na_values=[""])


def column_table(columns: Dict[str, List[dict]]) -> pd.DataFrame:
    """columns.csv as a DataFrame: file, column, unit, kind, empty_means, description."""
    rows = [{"file": file, "column": c["name"], "unit": c["unit"], "kind": c["kind"],
             "empty_means": c["empty_means"], "description": c["description"]}
            for file, cs in columns.items() for c in cs]
    return pd.DataFrame(rows, columns=["file", "column", "unit", "kind", "empty_means",
                                       "description"])
