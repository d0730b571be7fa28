"""padsim.run: the same files as `padsim run`, its results as DataFrames, censoring and dates."""

import numpy as np
import pandas as pd

import padsim
from conftest import stable_run_json


def test_written_files_are_the_command_lines_byte_for_byte(tmp_path, cli):
    result = padsim.run(runs=2000, seed=7, threads=2, dates=True,
                        set=["repair.site31-cabin.scale=1.5"])
    result.write(tmp_path / "py")
    done = cli("run", "--runs", 2000, "--seed", 7, "--threads", 1, "--dates", "--quiet",
               "--set", "repair.site31-cabin.scale=1.5", "--out", tmp_path / "cli")
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "py").iterdir()) == sorted(result.files)
    for name in names:
        py_bytes = (tmp_path / "py" / name).read_bytes()
        cli_bytes = (tmp_path / "cli" / name).read_bytes()
        if name == "run.json":
            assert stable_run_json(py_bytes.decode()) == stable_run_json(cli_bytes.decode())
        else:
            assert py_bytes == cli_bytes, name
    # The frame's dates are the ones runs.csv writes (--dates), from the same epoch.
    written = pd.read_csv(tmp_path / "cli" / "runs.csv", dtype=str, keep_default_na=False)
    ours = result.runs["date:pad_ready_day"].dt.strftime("%Y-%m-%d").fillna("")
    assert list(ours) == list(written["date:pad_ready_day"])
    assert result.runs.loc[result.runs["pad_ready_day"].isna(), "date:pad_ready_day"].isna().all()


def test_runs_frame_views_the_batch_with_the_files_dtypes(small):
    runs = small.runs
    assert len(runs) == 2000
    assert list(runs.columns[:2]) == ["replication", "seed"]
    assert runs["replication"].dtype == np.int64 and runs["seed"].dtype == np.uint64
    outcomes = small.batch.outcome_names
    assert list(runs.columns[2:]) == outcomes
    assert all(runs[name].dtype == np.float64 for name in outcomes)
    # No copy: the outcome columns are the batch's own memory, read-only.
    assert np.shares_memory(runs["pad_ready_day"].to_numpy(), small.batch.outcomes())
    assert not small.batch.outcomes().flags.writeable
    # The seed column is runs.csv's (read as text: it exceeds a double's 53 bits).
    written = pd.read_csv(__import__("io").BytesIO(small.batch.file("runs.csv")), dtype=str)
    assert list(runs["seed"].astype(str)) == list(written["seed"])
    assert small.inputs.shape == (2000, 1 + len(small.batch.input_names))


def test_censoring_and_units_come_with_the_frames(small):
    runs, summary = small.runs, small.summary
    assert runs.attrs["units"]["pad_ready_day"] == "day"
    assert "pad_ready_day" in runs.attrs["censorable"]
    assert runs.attrs["empty_means"]["pad_ready_day"].startswith("censored")
    # The censored count summary.csv reports is the frame's empty cells of that outcome.
    censored = small.censored()["pad_ready_day"].sum()
    row = summary[(summary["outcome"] == "pad_ready_day") & (summary["statistic"] == "p50")]
    assert censored > 0 and int(row["censored"].iloc[0]) == censored
    assert summary["value"].dtype == np.float64 and summary["outcome"].dtype == object
    # Dates: the epoch plus the day outcome, NaT where censored.
    dates = small.dates(["pad_ready_day"])["pad_ready_day"]
    k = int(runs["pad_ready_day"].first_valid_index())
    expected = small.epoch + pd.Timedelta(days=runs["pad_ready_day"][k])
    assert abs(dates[k] - expected) < pd.Timedelta(microseconds=1)
    assert dates.isna().sum() == censored
    # columns.csv: every file's columns with the same description.
    columns = small.columns
    assert set(columns["file"]) >= {"runs.csv", "summary.csv", "tasks.csv"}
    tasks = small.tasks
    assert len(tasks) > 0 and tasks.attrs["units"]


def test_a_frame_is_the_file_it_stands_for(small):
    for name in ("summary.csv", "sensitivity.csv", "tasks.csv", "timeseries.csv"):
        frame = small.table(name)
        text = small.batch.file(name).decode()
        assert list(frame.columns) == text.splitlines()[0].split(",")
        assert len(frame) == len(text.splitlines()) - 1


def test_latin_hypercube_batch_is_the_command_lines(tmp_path, cli):
    result = padsim.run(runs=1500, seed=11, threads=2, sampling="lhs", lhs_block=500)
    assert result.run_info["mode_flags"] == ["--sampling=lhs", "--lhs-block=500"]
    result.write(tmp_path / "py")
    done = cli("run", "--runs", 1500, "--seed", 11, "--threads", 1, "--sampling", "lhs",
               "--lhs-block", 500, "--quiet", "--out", tmp_path / "cli")
    assert done.returncode == 0, done.stderr
    for name in ["runs.csv", "inputs.csv", "summary.csv"]:
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    # Not plain Monte Carlo's batch: the stratified durations differ.
    plain = padsim.run(runs=1500, seed=11, threads=2)
    assert not plain.inputs["duration:R1"].equals(result.inputs["duration:R1"])
