#!/usr/bin/env bash
# Times a batch from Python (padsim.run + write) against the same batch from the command line
# (padsim run --out): same scenario, seed, runs and threads. Prints both and the ratio (target
# <= 1.1: the module adds no cost of its own).
#
#   scripts/bench_python.sh [RUNS] [THREADS] [REPEATS]     # default: 100000 0 3
#
# Each side's best of REPEATS wall times: the command line's whole process (load, batch, files),
# Python's run() and write() in an interpreter that has imported padsim already. The sides
# alternate, so that a machine busy with something else slows both alike. Needs the release
# build with the module (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
PYTHONPATH="$build/app/python" /usr/bin/python3 - "$build/app/cli/padsim" "$tmp" \
  "${1:-100000}" "${2:-0}" "${3:-3}" <<'PY'
import filecmp, subprocess, sys, time
import padsim

exe, tmp, runs, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
cli, py = [], []
for _ in range(repeats):
    start = time.perf_counter()
    subprocess.run([exe, "run", "--runs", str(runs), "--threads", str(threads), "--quiet",
                    "--out", f"{tmp}/cli"], check=True, stdout=subprocess.DEVNULL)
    cli.append(time.perf_counter() - start)
    start = time.perf_counter()
    padsim.run(runs=runs, threads=threads).write(f"{tmp}/py")
    py.append(time.perf_counter() - start)
assert filecmp.cmp(f"{tmp}/cli/runs.csv", f"{tmp}/py/runs.csv", shallow=False)
print(f"{runs} replications, threads {threads}: command line {min(cli):.2f} s, "
      f"Python {min(py):.2f} s, ratio {min(py) / min(cli):.3f} (target <= 1.1)")
PY
