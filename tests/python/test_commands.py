"""replay, validate, compare, dist and fit from Python give what the command line gives."""

import re

import padsim


def test_replay_writes_the_command_lines_trace(tmp_path, cli):
    ours = padsim.replay(replication=5, seed=7, trace=tmp_path / "py.csv")
    done = cli("replay", "--replication", 5, "--seed", 7, "--trace", tmp_path / "cli.csv", "--quiet")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "py.csv").read_bytes() == (tmp_path / "cli.csv").read_bytes()
    assert ours.replication == 5 and len(ours.trace) > 10
    # Without a file the trace comes back as a frame all the same.
    assert padsim.replay(replication=5, seed=7).trace.equals(ours.trace)


def test_replay_at_a_percentile_picks_the_command_lines_replication(small, cli, tmp_path):
    ours = padsim.replay(at="pad_ready_day:p90", runs=2000, seed=7, out=tmp_path / "py")
    done = cli("replay", "--at", "pad_ready_day:p90", "--runs", 2000, "--seed", 7, "--trace",
               tmp_path / "t.csv", "--out", tmp_path / "cli", "--quiet")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "py" / "runs.csv").read_bytes() == (tmp_path / "cli" / "runs.csv").read_bytes()
    # It is the batch's replication at rank round((n - 1) 0.9) by value (ties by index).
    runs = small.runs
    ordered = runs.sort_values(["pad_ready_day", "replication"], na_position="last", kind="stable")
    assert ours.replication == int(ordered["replication"].iloc[round(1999 * 0.9)])


def test_validate_prints_what_the_command_line_prints(cli):
    done = cli("validate", "baikonur-2025", "--set", "repair.site31-cabin.scale=1.5")
    assert padsim.validate("baikonur-2025", set=["repair.site31-cabin.scale=1.5"]) == done.stdout


def test_compare_writes_the_command_lines_table(tmp_path, cli):
    ours = padsim.compare(no_responses_a=True, runs=500, seed=3, out=tmp_path / "py")
    done = cli("compare", "--no-responses-a", "--runs", 500, "--seed", 3, "--out", tmp_path / "cli",
               "--quiet")
    assert done.returncode == 0, done.stderr
    # The same report but for the time taken and the output directory.
    def stable(report):
        return [re.sub(r", [0-9.]+ s$", "", line) for line in report.splitlines()
                if str(tmp_path) not in line]
    assert stable(ours.report) == stable(done.stdout) and len(stable(done.stdout)) > 5
    assert (tmp_path / "py" / "compare.csv").read_bytes() == (tmp_path / "cli" / "compare.csv").read_bytes()
    assert len(ours["compare.csv"]) > 0


def test_dist_and_fit_as_frames(cli):
    table = padsim.dist("triangular(1, 2, 4)")  # long form: spec, statistic, value
    mean = table.loc[table["statistic"] == "mean", "value"]
    assert len(mean) == 1 and abs(float(mean.iloc[0]) - 7 / 3) < 1e-9
    fitted = padsim.fit(expert="min=20, mode=28, max=40")
    assert len(fitted) >= 1
    assert padsim.fit(expert="min=20, mode=28, max=40", toml="duration") == \
        cli("fit", "--expert", "min=20, mode=28, max=40", "--toml", "duration").stdout


def test_sweep_writes_the_command_lines_table(tmp_path, cli):
    ours = padsim.sweep(vary=["repair.site31-cabin.scale=1,1.5"], outcome=["pad_ready_day"],
                        runs=300, seed=3, out=tmp_path / "py")
    done = cli("sweep", "--vary", "repair.site31-cabin.scale=1,1.5", "--outcome", "pad_ready_day",
               "--runs", 300, "--seed", 3, "--out", tmp_path / "cli", "--quiet")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "py" / "sweep.csv").read_bytes() == (tmp_path / "cli" / "sweep.csv").read_bytes()
    table = ours["sweep.csv"]
    assert set(table["outcome"]) == {"pad_ready_day"} and table["point"].nunique() == 2
