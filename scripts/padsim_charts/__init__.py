"""Charts and a self-contained HTML report from a padsim results directory (`padsim run --out DIR`).

Modules: `results` reads a directory, `style` holds shared drawing helpers, `curves` the outcome
charts (S-curve, histogram, overlay of two directories), `tasks` the repair charts (tornado,
criticality, Gantt), `series` the daily fan charts, `render` the `scripts/plot.sh` command line and
`report` the `scripts/report.sh` one. Everything is read from the result files only.
"""
