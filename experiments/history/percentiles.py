#!/usr/bin/env python3
"""Where what happened falls in an analog's batch: the table of experiments/history/README.md.

    python3 experiments/history/percentiles.py m12m  results/m12m/runs.csv
    python3 experiments/history/percentiles.py ms22  results/ms22/runs.csv

Reads runs.csv (an empty cell of a day column is censored: beyond the horizon, counted as +inf, as
summary.csv does) and prints one Markdown row per quantity: the real value (days since the scenario's
epoch), the model's P10 / P50 / P90 with their 95% order-statistic confidence intervals (Hyndman-Fan
type 7 and the interval of docs/outputs.md "summary.csv"), and the percentile at which the real
value falls: the mid-rank empirical CDF, 100 * (#below + #equal / 2) / n.
"""

import csv
import math
import sys
from datetime import datetime, timezone

INF = math.inf


def day(epoch, when):
    """Days from the epoch to an ISO 8601 UTC time."""
    fmt = "%Y-%m-%dT%H:%MZ"
    a = datetime.strptime(epoch, fmt).replace(tzinfo=timezone.utc)
    b = datetime.strptime(when, fmt).replace(tzinfo=timezone.utc)
    return (b - a).total_seconds() / 86400.0


def col(name):
    return lambda r: r[name]


def gap(later, earlier, later_offset=0.0):
    """later + offset - earlier, never below 0; +inf when the later event is censored."""
    return lambda r: max(0.0, r[later] + later_offset - r[earlier])


# Each quantity: label, value per replication, the real value (days since the epoch), its source.
M12M_EPOCH = "2011-08-24T13:00Z"
MS22_EPOCH = "2022-12-15T00:00Z"
ANALOGS = {
    "m12m": [
        ("TMA-21 undocks (Exp. 28 crew leaves)", col("undock_day:Soyuz TMA-21"),
         day(M12M_EPOCH, "2011-09-16T00:38Z"), "m3"),
        ("Progress M-13M launches (in fact the first launch after the failure)", col("launch_day:Progress M-13M"),
         day(M12M_EPOCH, "2011-10-30T10:11Z"), "m9"),
        ("Next crew launches (Soyuz TMA-22)", col("launch_day:Soyuz TMA-22"),
         day(M12M_EPOCH, "2011-11-14T04:14Z"), "m6"),
        ("TMA-02M undocks", col("undock_day:Soyuz TMA-02M"),
         day(M12M_EPOCH, "2011-11-21T23:00Z"), "m8"),
        ("Soyuz TMA-03M launches", col("launch_day:Soyuz TMA-03M"),
         day(M12M_EPOCH, "2011-12-21T13:16Z"), "m18"),
        ("Days with 3 aboard, TMA-21 gone until TMA-22 docks",
         gap("launch_day:Soyuz TMA-22", "undock_day:Soyuz TMA-21", 2.05),
         day(M12M_EPOCH, "2011-11-16T05:24Z") - day(M12M_EPOCH, "2011-09-16T00:38Z"), "m3, m6"),
        ("Station left uncrewed (share of replications)", col("days_below_min_crew:station"), "share", "m6, m8"),
    ],
    "ms22": [
        ("Replacement Soyuz MS-23 launches", col("launch_day:Soyuz MS-23"),
         day(MS22_EPOCH, "2023-02-24T00:24Z"), "s7"),
        ("Damaged MS-22 undocks (uncrewed)", col("undock_day:Soyuz MS-22"),
         day(MS22_EPOCH, "2023-03-28T09:57Z"), "s8"),
        ("Soyuz MS-24 launches", col("launch_day:Soyuz MS-24"),
         day(MS22_EPOCH, "2023-09-15T15:44Z"), "s9; hour: MEMORY"),
        ("MS-22 crew comes home (MS-23 undocks)", col("undock_day:Soyuz MS-23"),
         day(MS22_EPOCH, "2023-09-27T07:55Z"), "s9"),
        ("MS-22 crew's days in orbit (launch to undocking)",
         lambda r: r["undock_day:Soyuz MS-23"] - day(MS22_EPOCH, "2022-09-21T13:54Z"),
         day("2022-09-21T13:54Z", "2023-09-27T07:55Z"), "s3, s9"),
    ],
}


def quantile(xs, p):
    """Hyndman-Fan type 7 on sorted xs (inf allowed)."""
    h = (len(xs) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    if xs[hi] == INF:
        return xs[lo] if h == lo else INF
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


def binom_cdf_table(n, p):
    """P(B <= k) for k = 0..n, B ~ Binomial(n, p), by log-space terms."""
    out, acc = [], 0.0
    lp, lq = math.log(p), math.log1p(-p)
    for k in range(n + 1):
        acc += math.exp(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * lp + (n - k) * lq)
        out.append(acc)
    return out


def order_ci(xs, p):
    """[X(l), X(u)]: l the largest rank with P(B < l) <= 2.5%, u the smallest with P(B >= u) <= 2.5%."""
    n = len(xs)
    cdf = binom_cdf_table(n, p)
    l = 0
    for r in range(1, n + 1):  # P(B < r) = cdf[r-1]
        if cdf[r - 1] <= 0.025:
            l = r
    u = n + 1
    for r in range(n, 0, -1):  # P(B >= r) = 1 - cdf[r-1]
        if 1.0 - cdf[r - 1] <= 0.025:
            u = r
    lo = xs[l - 1] if l >= 1 else -INF
    hi = xs[u - 1] if u <= n else INF
    return lo, hi


def fmt(x):
    return "beyond horizon" if x == INF else ("—" if x == -INF else f"{x:.1f}")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ANALOGS:
        sys.exit("usage: percentiles.py {m12m|ms22} RUNS_CSV")
    rows = []
    with open(sys.argv[2], newline="") as f:
        for r in csv.DictReader(f):
            rows.append({k: (INF if v == "" else float(v)) for k, v in r.items() if k not in ("seed",)})
    print("| Quantity | Real | Model P10 [95% CI] | P50 [95% CI] | P90 [95% CI] | Real at model percentile | Source |")
    print("|---|---|---|---|---|---|---|")
    for label, get, real, src in ANALOGS[sys.argv[1]]:
        xs = sorted(get(r) for r in rows)
        cells = []
        for p in (0.1, 0.5, 0.9):
            lo, hi = order_ci(xs, p)
            cells.append(f"{fmt(quantile(xs, p))} [{fmt(lo)}, {fmt(hi)}]")
        if real == "share":  # an event: how often it happens; it did not happen
            share = sum(1 for x in xs if x > 0.0) / len(xs)
            print(f"| {label} | no | — | — | — | happens in {100.0 * share:.1f}% | {src} |")
            continue
        if real is None:
            where, realtxt = "—", "—"
        else:
            below = sum(1 for x in xs if x < real - 1e-9)
            equal = sum(1 for x in xs if abs(x - real) <= 1e-9)
            where = f"{100.0 * (below + 0.5 * equal) / len(xs):.1f}"
            realtxt = f"{real:.1f}"
        print(f"| {label} | {realtxt} | {cells[0]} | {cells[1]} | {cells[2]} | {where} | {src} |")
    print(f"\nn = {len(rows)} replications")


if __name__ == "__main__":
    main()
