"""Reads a padsim result directory with Python's csv module, as an analyst's tools would, and checks
that the files describe themselves:

- columns.csv lists every column of every CSV file of the set, in order, and nothing else;
- every row has its header's width, and a cell is empty only in a column whose `empty_means` says
  what an empty cell means;
- a column of kind `event` holds only 0 and 1;
- inputs.csv joins runs.csv by `replication`, and recomputing Spearman's rho from them reproduces
  sensitivity.csv (censored outcomes beyond the horizon, pairs with an input not drawn left out);
- tasks_runs.csv, when the set has it (`--task-runs`), has a row per replication and task, and
  reproduces tasks.csv's `present`, `start_mean` and `finish_mean` exactly.

    /usr/bin/python3 tests/check_outputs.py RESULTS_DIR
"""
import csv
import json
import math
import os
import sys


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return out


def pearson(x, y):
    n = len(x)
    if n == 0:  # no pair: an input never drawn (e.g. a repair's branch under --no-incident)
        return float("nan")
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return float("nan") if sxx == 0 or syy == 0 else sxy / math.sqrt(sxx * syy)


def mean_ascending(values):
    # As tasks.csv's kMean: the numbers summed one by one in ascending order (Python's sum() may
    # compensate, which would differ in the last bits).
    total = 0.0
    for v in sorted(values):
        total += v
    return total / len(values) if values else math.nan


def check_task_runs(directory, replications):
    """tasks_runs.csv against runs.csv's replications and tasks.csv's statistics."""
    failures = []
    rows = read(os.path.join(directory, "tasks_runs.csv"))
    tasks = read(os.path.join(directory, "tasks.csv"))
    ids = [t[0] for t in tasks[1:]]
    expected = [(k, task) for k in replications for task in ids]
    if [(r[0], r[1]) for r in rows[1:]] != expected:
        return ["tasks_runs.csv: rows are not every replication of runs.csv times every task of tasks.csv, in order"]
    for task_row in tasks[1:]:
        stats = dict(zip(tasks[0], task_row))
        mine = [r for r in rows[1:] if r[1] == task_row[0]]
        for field in ("start", "finish"):
            i = rows[0].index(field)
            values = [float(r[i]) for r in mine if r[i] != ""]
            want = stats[field + "_mean"]
            got = mean_ascending(values)
            if (want == "") != math.isnan(got) or (want != "" and float(want) != got):
                failures.append(f"tasks_runs.csv {task_row[0]}: mean {field} {got!r}, tasks.csv {want}")
        present = sum(1 for r in mine if r[rows[0].index("start")] != "") / len(mine)
        if float(stats["present"]) != present:
            failures.append(f"tasks_runs.csv {task_row[0]}: present {present!r}, tasks.csv {stats['present']}")
    return failures


def main(directory):
    failures = []
    run = json.load(open(os.path.join(directory, "run.json"), encoding="utf-8"))
    csv_files = [f for f in run["files"] if f.endswith(".csv")]
    described = {}
    for row in read(os.path.join(directory, "columns.csv"))[1:]:
        described.setdefault(row[0], []).append(row)
    if sorted(described) != sorted(csv_files):
        failures.append(f"columns.csv describes {sorted(described)}, the set has {sorted(csv_files)}")
    for name in csv_files:
        rows = read(os.path.join(directory, name))
        header = rows[0]
        columns = [r[1] for r in described.get(name, [])]
        if header != columns:
            failures.append(f"{name}: header {header} but columns.csv lists {columns}")
            continue
        may_be_empty = [bool(r[4]) for r in described[name]]
        events = [r[3] == "event" for r in described[name]]
        for n, row in enumerate(rows[1:], start=2):
            if len(row) != len(header):
                failures.append(f"{name}:{n}: {len(row)} cells, header has {len(header)}")
                break
            empty = [header[i] for i, cell in enumerate(row) if cell == "" and not may_be_empty[i]]
            if empty:
                failures.append(f"{name}:{n}: empty cell in {empty}, which columns.csv says is never empty")
                break
            not_01 = [header[i] for i, cell in enumerate(row) if events[i] and cell not in ("", "0", "1")]
            if not_01:
                failures.append(f"{name}:{n}: {not_01} of kind event hold something else than 0 or 1")
                break

    runs = read(os.path.join(directory, "runs.csv"))
    inputs = read(os.path.join(directory, "inputs.csv"))
    if [r[0] for r in runs[1:]] != [r[0] for r in inputs[1:]]:
        failures.append("inputs.csv and runs.csv do not have the same replications in order")
    censorable = {r[1] for r in described["runs.csv"] if r[4].startswith("censored")}
    checked = 0
    for input_name, outcome, rho, *_ in read(os.path.join(directory, "sensitivity.csv"))[1:]:
        i = inputs[0].index(input_name)
        j = runs[0].index(outcome)
        pairs = []
        for a, b in zip(inputs[1:], runs[1:]):
            x, y = a[i], b[j]
            if x == "" or (y == "" and outcome not in censorable):
                continue
            pairs.append((float(x), float(y) if y != "" else math.inf))
        expected = pearson(ranks([p[0] for p in pairs]), ranks([p[1] for p in pairs]))
        if rho == "":
            ok = math.isnan(expected)
        else:
            ok = abs(float(rho) - expected) <= 1e-9
        if not ok:
            failures.append(f"sensitivity.csv {input_name} x {outcome}: {rho}, recomputed {expected}")
        checked += 1
    if "tasks_runs.csv" in csv_files:
        failures += check_task_runs(directory, [r[0] for r in runs[1:]])
    for f in failures:
        print("FAIL:", f)
    print(f"{len(csv_files)} CSV files, {checked} correlations recomputed, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
