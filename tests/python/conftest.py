"""pytest setup: import padsim from the build tree (PADSIM_BUILD, default build/release) unless it
is installed, and give the tests the `padsim` executable of the same build."""

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("PADSIM_BUILD", ROOT / "build" / "release"))
sys.path.insert(0, str(BUILD / "app" / "python"))


@pytest.fixture(scope="session")
def cli():
    """Runs the padsim executable; returns the CompletedProcess (text, never raises)."""
    exe = BUILD / "app" / "cli" / "padsim"
    if not exe.exists():
        pytest.skip(f"no padsim executable at {exe}")

    def run(*args, cwd=None):
        return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, cwd=cwd)
    return run


@pytest.fixture(scope="session")
def small():
    """One small batch of the default scenario shared by the tests that only read it."""
    import padsim
    return padsim.run(runs=2000, seed=7, threads=2)


def stable_run_json(text: str) -> str:
    """run.json without the lines that change with each invocation (docs/outputs.md)."""
    drop = ('"command_line"', '"threads"', '"wall_time_seconds"', '"processes"')
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith(drop))
