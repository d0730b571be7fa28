"""padsim from Python: Monte Carlo batches of a damaged launch pad's repair and its effect on the
ISS, with results as pandas DataFrames.

    import padsim
    result = padsim.run("baikonur-2025", runs=10_000)      # the embedded default scenario
    result.summary                                         # summary.csv as a DataFrame
    result.runs["pad_ready_day"].quantile(0.9)             # one row per replication
    result.write("results/baikonur-2025")                  # the files `padsim run --out` writes

Every function runs the code the command line runs, so a result written from Python is byte for
byte the one `padsim run` writes for the same scenario, seed and runs (run.json's per-invocation
lines apart: command_line, threads, wall_time_seconds). Replications run on all cores with the
GIL released; Ctrl-C raises KeyboardInterrupt and leaves no partial result. Bad input raises
ScenarioError (FILE:LINE:COL: error: ..., as on the command line) or OptionError.
"""

from __future__ import annotations

import io
import json
import os
import pathlib
from typing import Dict, Iterable, List, Optional, Union

import numpy as np
import pandas as pd

from . import _padsim
from ._frames import annotate, column_table, csv_frame, epoch_timestamp, to_dates, value_frame
from ._padsim import (Batch, Error, OptionError, OutputError, Scenario, ScenarioError,
                      embedded_scenarios, set_log_level)
from ._progress import make_progress

__all__ = ["Batch", "Error", "OptionError", "OutputError", "Result", "Replay", "Scenario",
           "ScenarioError", "Study", "calibrate", "compare", "dist", "embedded_scenarios", "fit",
           "load", "replay", "run", "set_log_level", "sweep", "to_dates", "validate"]
__version__ = _padsim.__version__

DEFAULT_SEED = 20251127
"""The seed `padsim run` uses when none is given."""

PathLike = Union[str, "os.PathLike[str]"]


def load(scenario: Optional[PathLike] = None, *, text: Optional[str] = None,
         set: Iterable[str] = (), deterministic: bool = False, no_incident: bool = False,
         no_responses: bool = False, sampling: str = "mc", lhs_block: int = 0) -> Scenario:
    """Loads a scenario: a file path, the name of an embedded scenario ("baikonur-2025"), None
    for the default, or TOML `text` (a string holding a newline is taken as text too).

    `set`: overrides PATH=VALUE applied in order, as `--set`. `sampling`: "mc" or "lhs" (Latin
    hypercube over blocks of `lhs_block` replications, 0 for the default 1,000), as `--sampling`.
    Raises ScenarioError naming FILE:LINE:COL (for text, "<text>:LINE:COL").
    """
    if text is None and isinstance(scenario, str) and "\n" in scenario:
        text, scenario = scenario, None
    path = None if scenario is None else os.fspath(scenario)
    return _padsim.load(path, text, "<text>", list(set), deterministic, no_incident, no_responses,
                        sampling, lhs_block)


_LOAD_DEFAULTS = dict(set=[], deterministic=False, no_incident=False, no_responses=False,
                      sampling="mc", lhs_block=0)


def _scenario(scenario, load_options: dict) -> Scenario:
    if isinstance(scenario, Scenario):
        if load_options != _LOAD_DEFAULTS:
            raise TypeError("set=, deterministic=, no_incident=, no_responses=, sampling= and "
                            "lhs_block= go to padsim.load() when a loaded Scenario is given")
        return scenario
    return load(scenario, **load_options)


def _runs_text(runs: Union[int, str]) -> str:
    return runs if isinstance(runs, str) else str(int(runs))


def _with_progress(progress, call):
    callback, close = make_progress(progress)
    try:
        return call(callback)
    finally:
        close()


class Result:
    """A finished batch: its tables as DataFrames (views of the batch's memory where the values
    are per replication), and write() for the files.

    The frames are read-only views: `frame.copy()` gives one to edit.
    """

    def __init__(self, batch: Batch) -> None:
        self.batch = batch
        self._cache: Dict[str, pd.DataFrame] = {}

    def __repr__(self) -> str:
        return (f"<padsim.Result {self.batch.scenario}: {self.replications} replications, "
                f"seed {self.seed}>")

    scenario = property(lambda self: self.batch.scenario, doc="The scenario's label.")
    seed = property(lambda self: self.batch.seed, doc="The batch seed.")
    replications = property(lambda self: self.batch.replications, doc="Replications run.")
    threads = property(lambda self: self.batch.threads, doc="Worker threads used.")
    wall_seconds = property(lambda self: self.batch.wall_seconds, doc="Time the batch took.")
    converged = property(lambda self: self.batch.converged,
                         doc="runs='auto': the tolerance was met before max_runs.")
    files = property(lambda self: list(self.batch.files), doc="The files write() writes.")

    @property
    def epoch(self) -> pd.Timestamp:
        """Day 0 of the scenario (UTC): day outcomes count days from it."""
        return epoch_timestamp(self.batch.epoch)

    def _frame(self, key: str, make) -> pd.DataFrame:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def runs(self) -> pd.DataFrame:
        """runs.csv: one row per replication (replication, seed, every outcome; with dates=True
        the date:NAME columns as timestamps). NaN is an empty cell: for a column in
        attrs["censorable"] not reached by the horizon, else not applicable."""
        def make():
            index = np.arange(self.replications, dtype=np.int64)
            frame = value_frame(self.batch.outcomes(), self.batch.outcome_names, index,
                                self.batch.replication_seeds())
            columns = self.batch.columns("runs.csv")
            for c in columns:
                if c["name"].startswith("date:"):
                    frame[c["name"]] = to_dates(frame[c["name"][5:]], self.batch.epoch).dt.floor("D")
            return annotate(frame, columns, self.batch.epoch)
        return self._frame("runs", make)

    @property
    def inputs(self) -> pd.DataFrame:
        """inputs.csv: each replication's sampled uncertain inputs."""
        def make():
            index = np.arange(self.replications, dtype=np.int64)
            frame = value_frame(self.batch.inputs(), self.batch.input_names, index, None)
            return annotate(frame, self.batch.columns("inputs.csv"), self.batch.epoch)
        return self._frame("inputs", make)

    def table(self, name: str) -> pd.DataFrame:
        """Any CSV file of the batch ("summary", "tasks.csv", ...) as a DataFrame, read from the
        same bytes write() writes, with columns.csv's description in attrs."""
        file = name if name.endswith(".csv") else name + ".csv"

        def make():
            columns = self.batch.columns(file)
            return annotate(csv_frame(self.batch.file(file), columns), columns, self.batch.epoch)
        return self._frame(file, make)

    summary = property(lambda self: self.table("summary.csv"),
                       doc="summary.csv: each outcome's statistics with 95% CIs.")
    tasks = property(lambda self: self.table("tasks.csv"),
                     doc="tasks.csv: each repair task's timing and criticality.")
    sensitivity = property(lambda self: self.table("sensitivity.csv"),
                           doc="sensitivity.csv: rank correlations of inputs with outcomes.")
    timeseries = property(lambda self: self.table("timeseries.csv"),
                          doc="timeseries.csv: the daily series' percentiles.")

    @property
    def columns(self) -> pd.DataFrame:
        """columns.csv: what every column of every file means (unit, kind, empty cells)."""
        return self._frame("columns", lambda: column_table(
            {f: self.batch.columns(f) for f in self.files if f.endswith(".csv")
             and f != "columns.csv"}))

    @property
    def run_info(self) -> dict:
        """run.json: the batch's provenance."""
        return json.loads(self.batch.file("run.json"))

    def censored(self) -> pd.DataFrame:
        """True where a censorable outcome of runs was not reached by the horizon."""
        runs = self.runs
        return runs[runs.attrs["censorable"]].isna()

    def dates(self, columns: Optional[List[str]] = None) -> pd.DataFrame:
        """Day outcomes of runs (unit "day": days since the epoch) as UTC timestamps."""
        runs = self.runs
        if columns is None:
            columns = [c for c, unit in runs.attrs["units"].items() if unit == "day"]
        return to_dates(runs[columns], self.batch.epoch)

    def headline(self) -> str:
        """The headline table `padsim run` prints."""
        return self.batch.headline_table()

    def write(self, dir: PathLike) -> None:
        """Writes every file into `dir` as one result set, byte for byte as
        `padsim run --out DIR` (run.json's per-invocation lines apart)."""
        self.batch.write(os.fspath(dir))


def run(scenario: Union[None, PathLike, Scenario] = None, *, runs: Union[int, str] = 100_000,
        seed: int = DEFAULT_SEED, threads: int = 0, tolerance: float = 0.01,
        max_runs: int = 100_000, dates: bool = False, task_runs: bool = False,
        set: Iterable[str] = (), deterministic: bool = False, no_incident: bool = False,
        no_responses: bool = False, sampling: str = "mc", lhs_block: int = 0,
        progress=None) -> Result:
    """Runs a batch, as `padsim run`: `runs` a count or "auto" (until `tolerance`, at most
    `max_runs`), `threads` 0 for all cores. `progress`: True for a bar (tqdm when installed), or
    a callable (done, total). Ctrl-C raises KeyboardInterrupt (no partial result)."""
    loaded = _scenario(scenario, dict(set=list(set), deterministic=deterministic,
                                      no_incident=no_incident, no_responses=no_responses,
                                      sampling=sampling, lhs_block=lhs_block))
    invocation = (f"python: padsim.run({loaded.label!r}, runs={runs!r}, seed={seed}"
                  + "".join(f", set={o!r}" for o in loaded.overrides) + ")")
    return Result(_with_progress(progress, lambda callback: _padsim.run(
        loaded, _runs_text(runs), seed, threads, tolerance, max_runs, dates, task_runs,
        callback, invocation)))


def validate(scenario: Union[None, PathLike, Scenario] = None, *, set: Iterable[str] = (),
             deterministic: bool = False, no_incident: bool = False,
             no_responses: bool = False, sampling: str = "mc", lhs_block: int = 0) -> str:
    """What `padsim validate` prints; raises ScenarioError on bad input."""
    return _scenario(scenario, dict(set=list(set), deterministic=deterministic,
                                    no_incident=no_incident, no_responses=no_responses,
                                    sampling=sampling, lhs_block=lhs_block)).validate()


class Replay:
    """One replication re-run alone: its index, its seed and its event trace."""

    def __init__(self, info: dict, trace_file: Optional[str]) -> None:
        self.replication: int = info["replication"]
        self.seed: int = info["seed"]
        data = info["trace"] if trace_file is None else pathlib.Path(trace_file).read_bytes()
        self.trace: pd.DataFrame = pd.read_csv(io.BytesIO(data), dtype=str,
                                               keep_default_na=False)

    def __repr__(self) -> str:
        return f"<padsim.Replay replication {self.replication}: {len(self.trace)} events>"


def replay(scenario: Union[None, PathLike, Scenario] = None, *, replication: Optional[int] = None,
           at: Optional[str] = None, runs: Union[int, str] = 100_000, seed: int = DEFAULT_SEED,
           threads: int = 0, trace: Optional[PathLike] = None, out: Optional[PathLike] = None,
           set: Iterable[str] = (), deterministic: bool = False, no_incident: bool = False,
           no_responses: bool = False, sampling: str = "mc", lhs_block: int = 0,
           progress=None) -> Replay:
    """`padsim replay`: replication K, or the one `at` "OUTCOME:pNN" of the batch of `runs`
    on `seed`. `trace`: also write the trace file; `out`: write runs.csv with its row there."""
    loaded = _scenario(scenario, dict(set=list(set), deterministic=deterministic,
                                      no_incident=no_incident, no_responses=no_responses,
                                      sampling=sampling, lhs_block=lhs_block))
    trace_file = None if trace is None else os.fspath(trace)
    info = _with_progress(progress, lambda callback: _padsim.replay(
        loaded, replication, at or "", _runs_text(runs), seed, threads, trace_file or "",
        "" if out is None else os.fspath(out), callback))
    return Replay(info, trace_file)


from ._studies import Study, calibrate, compare, dist, fit, sweep  # noqa: E402
