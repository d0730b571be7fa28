#!/usr/bin/python3
"""The charts and the report of a small batch, checked as a reader would see them.

Usage: check_charts.py PADSIM WORKDIR. Runs the default scenario (300 replications, with and without
the incident, and one deterministic replication), draws every chart (scripts/plot.py) and the
report (scripts/report.py), then checks: every expected PNG exists and is not blank (pixel
variance); a tornado is readable in size; report.html embeds one data-URI <img> per chart, refers
to nothing on the network, escapes its text and tells the P90 replication's story; a
one-replication directory draws nothing and says why. A headless screenshot of the report in
Debian's `chromium` (which scripts/setup.sh installs) must be non-blank and every image of the page
must have loaded. Exit status 0 when all checks pass.
"""
import base64
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
failures: list[str] = []


def check(ok: bool, what: str) -> None:
    """Records a failed check (all checks run, then the test fails listing them)."""
    if not ok:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def run(command: list[str]) -> subprocess.CompletedProcess:
    """Runs a command, failing the test at once when it fails."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)}: status {done.returncode}\n{done.stderr}")
    return done


def not_blank(path: Path) -> bool:
    """True when the image has visible content: its pixels vary, and more than 1.5% of them are
    not near-white (an empty axis with its labels has about 0.6%, the sparsest chart about 4%)."""
    pixels = mpimg.imread(path)[..., :3]
    ink = float((pixels.min(axis=2) < 0.85).mean())
    return float(pixels.std()) > 0.02 and ink > 0.015


def expected_charts(directory: Path) -> set[str]:
    """The PNG names the charts must produce, from the result files themselves."""
    import csv

    with open(directory / "summary.csv", newline="") as f:
        units = {row["outcome"]: row["unit"] for row in csv.DictReader(f)}
    with open(directory / "sensitivity.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    headline = list(dict.fromkeys(r["outcome"] for r in rows))
    names = {"criticality.png", "gantt.png", "stocks.png", "crew.png"}
    for o in headline:
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", o)  # `days_below_reserve:food` -> `days_below_reserve-food`
        if units.get(o) == "day":
            names |= {f"s-curve-{slug}.png", f"histogram-{slug}.png", f"compare-{slug}.png"}
        if any(r["outcome"] == o and r["significant"] == "1" for r in rows):
            names.add(f"tornado-{slug}.png")
    return names


def screenshot(report: Path, work: Path, images: int) -> None:
    """Headless Chromium: the page renders non-blank, and all its images load (a test-only copy of
    the page counts loaded images into its title, read back with --dump-dom)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        check(False, "chromium is not installed (scripts/setup.sh installs Debian's chromium)")
        return
    # No network: without the background-networking flags Chromium keeps trying to reach its
    # services, and a fresh profile keeps runs independent of each other.
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={work / 'chromium-profile'}"]
    shot = work / "report.png"
    subprocess.run(flags + [f"--screenshot={shot}", "--window-size=1200,4000", report.as_uri()],
                   capture_output=True, timeout=180)
    check(shot.exists() and not_blank(shot), "the headless screenshot of report.html is blank or missing")
    probe = work / "report-probe.html"
    counter = ("<script>window.addEventListener('load', () => { const i = [...document.images]; document.title ="
               " 'loaded ' + i.filter(x => x.complete && x.naturalWidth > 0).length + ' of ' + i.length; });</script>")
    probe.write_text(report.read_text(encoding="utf-8").replace("</body>", counter + "</body>"), encoding="utf-8")
    dom = subprocess.run(flags + ["--virtual-time-budget=10000", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=180).stdout
    loaded = re.search(r"<title>loaded (\d+) of (\d+)</title>", dom)
    check(loaded is not None and loaded.group(1) == loaded.group(2) == str(images),
          f"chromium: expected {images} loaded images, found {loaded.group(0) if loaded else 'no count'}")


def main() -> int:
    padsim, work = sys.argv[1], Path(sys.argv[2])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    a, b, one = work / "incident", work / "baseline", work / "one"
    run([padsim, "run", "--runs", "300", "--seed", "11", "-q", "--out", str(a)])
    run([padsim, "run", "--runs", "300", "--seed", "11", "--no-incident", "-q", "--out", str(b)])
    run([padsim, "run", "--deterministic", "-q", "--out", str(one)])

    plotted = run(["/usr/bin/python3", str(SCRIPTS / "plot.py"), str(a), "--compare", str(b), "--target", "2026-06-01"])
    expected = expected_charts(a)
    written = {Path(line).name for line in plotted.stdout.split()}
    check(written == expected, f"charts written {sorted(written)} != expected {sorted(expected)}")
    for name in sorted(expected):
        path = a / name
        check(path.exists() and not_blank(path), f"{name} is missing or blank")
    if (a / "tornado-pad_ready_day.png").exists():
        height, width = mpimg.imread(a / "tornado-pad_ready_day.png").shape[:2]
        check(height <= 1000 and width >= 800, f"tornado is {width}x{height} px: not a readable shape")

    # The reference dates come from the scenario, through run.json: none under --no-incident.
    check(json.loads((a / "run.json").read_text())["references"] != [], "run.json of the default has no references")
    check(json.loads((b / "run.json").read_text())["references"] == [], "--no-incident kept the references")

    run(["/usr/bin/python3", str(SCRIPTS / "report.py"), str(a), "--compare", str(b), "--padsim", padsim])
    report = a / "report.html"
    html = report.read_text(encoding="utf-8")
    images = re.findall(r'<img alt="[^"]*" src="data:image/png;base64,([A-Za-z0-9+/=]+)">', html)
    check(len(re.findall(r"<img\b", html)) == len(images) == len(expected),
          f"report.html: {len(images)} data-URI images of {len(re.findall(r'<img', html))}, expected {len(expected)}")
    check(all(base64.b64decode(i).startswith(b"\x89PNG") for i in images), "report.html: an image is not a PNG")
    check(re.search(r"https?://", html) is None, "report.html refers to http(s)")
    check(re.search(r"<(script|link|iframe)\b", html) is None, "report.html loads a script, stylesheet or frame")
    check("baikonur-2025" in html and "<td>seed</td><td>11</td>" in html, "report.html: no provenance")
    check(html.count("<tr>") > 50, "report.html: the tables or the P90 trace are missing")
    check("The replay failed" not in html and "pad_ready_day:p90" in html, "report.html: no P90 replication story")
    check("Progress MS-33 launched" in html, "report.html: the scenario's reference dates are missing")

    # One replication: nothing to draw, and a message that says why.
    lone = subprocess.run(["/usr/bin/python3", str(SCRIPTS / "plot.py"), str(one)], capture_output=True, text=True)
    check(lone.returncode == 0 and lone.stdout == "" and "replication" in lone.stderr,
          f"one replication: status {lone.returncode}, stdout {lone.stdout!r}, stderr {lone.stderr!r}")
    check(not list(one.glob("*.png")), "one replication: a chart was drawn")

    with tempfile.TemporaryDirectory() as shots:
        screenshot(report, Path(shots), len(expected))
    if failures:
        print(f"check_charts: {len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print(f"check_charts: {len(expected)} charts and report.html checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
