"""The studies (compare, sweep, calibrate) and the distribution tools (dist, fit), run through the
command line's own parser and code: every keyword is the command's long option with "_" for "-"
(a list repeats it, True is a flag), so each accepts exactly what the command line accepts."""

from __future__ import annotations

import io
import json
import os
import pathlib
import tempfile
from typing import Dict, List, Optional, Union

import pandas as pd

from . import _padsim
from ._progress import make_progress


class Study:
    """A study's report (what the command prints) and its files: CSV as DataFrames, JSON as
    dicts, by file name."""

    def __init__(self, report: str, files: Dict[str, object], out: Optional[str]) -> None:
        self.report = report
        self.files = files
        self.out = out

    def __getitem__(self, name: str):
        return self.files[name]

    def __repr__(self) -> str:
        return f"<padsim.Study files {sorted(self.files)}>"


def _flags(options: dict) -> List[str]:
    args: List[str] = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            args.append(flag)
        elif isinstance(value, (list, tuple)):
            for v in value:
                args += [flag, str(v)]
        else:
            args += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return args


def _command(args: List[str], progress) -> str:
    callback, close = make_progress(progress)
    try:
        return _padsim.command(args, "python: padsim " + " ".join(args), callback)
    finally:
        close()


def _read_files(directory: str) -> Dict[str, object]:
    files: Dict[str, object] = {}
    for path in sorted(pathlib.Path(directory).iterdir()):
        if path.suffix == ".csv":
            files[path.name] = pd.read_csv(path)
        elif path.suffix == ".json":
            files[path.name] = json.loads(path.read_text())
    return files


def _study(command: str, positional: List[str], out, progress, options: dict) -> Study:
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "out") if out is None else os.fspath(out)
        report = _command([command, *positional, *_flags(options), "--out", target], progress)
        files = _read_files(target)
    return Study(report, files, None if out is None else os.fspath(out))


def _paths(*scenarios) -> List[str]:
    return [os.fspath(s) for s in scenarios if s is not None]


def compare(a=None, b=None, *, out=None, progress=None, **options) -> Study:
    """`padsim compare A B`: two variants on common random numbers. Options as the command's:
    set, set_a, set_b, no_responses_a, no_responses_b, runs (default 10000), seed, threads,
    bootstrap. Files: compare.csv, compare.json (written to `out` too when given)."""
    if a is None and b is not None:
        a = "baikonur-2025"
    return _study("compare", _paths(a, b), out, progress, options)


def sweep(scenario=None, *, out=None, progress=None, **options) -> Study:
    """`padsim sweep`: vary (a list of PATH=VALUES) or study (a study file), set, outcome,
    statistic, runs, tolerance, max_runs, seed, threads, no_incident. Files: sweep.csv,
    sweep.json."""
    return _study("sweep", _paths(scenario), out, progress, options)


def calibrate(scenario=None, *, out=None, progress=None, **options) -> Study:
    """`padsim calibrate`: param, target (OUTCOME:STAT=VALUE), range (LO:HI), tolerance,
    max_evaluations, set, runs, seed, threads. Files: calibrate.csv, calibrate.json."""
    return _study("calibrate", _paths(scenario), out, progress, options)


def dist(*specs: str) -> pd.DataFrame:
    """`padsim dist SPEC... --csv`: what each distribution spec means (moments, percentiles)."""
    return pd.read_csv(io.StringIO(_command(["dist", *specs, "--csv"], None)))


def fit(*, expert: Optional[str] = None, data=None, data_file=None,
        toml: Optional[str] = None, **options) -> Union[pd.DataFrame, str]:
    """`padsim fit`: expert ("min=20, mode=28, max=40" or "p10=..., p50=..., p90=..."), data (a
    sequence of numbers) or data_file (with column); family, bootstrap, seed. One row per
    family, the best marked; with toml=KEY the TOML line for the best fit instead."""
    if data is not None:
        options["data"] = ",".join(repr(float(x)) for x in data)
    args = ["fit", *_flags(dict(expert=expert, data_file=data_file, toml=toml, **options))]
    if toml is not None:
        return _command(args, None)
    return pd.read_csv(io.StringIO(_command(args + ["--csv"], None)))
