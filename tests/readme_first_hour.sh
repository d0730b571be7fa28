#!/usr/bin/env bash
# The README's "An analyst's first hour", run as written on a small batch: the shell block is taken
# from README.md, every `padsim run` and `padsim replay` gets `--runs RUNS` (the replay's percentile
# must come from the same batch as the run's), and the block runs with `set -euo pipefail` in a
# scratch copy of the layout it expects (build/release/app/cli/padsim, scripts/). Then the files the
# block promises are checked.
#
# Usage: readme_first_hour.sh SOURCE_DIR PADSIM WORKDIR [RUNS]
set -euo pipefail
source_dir="$1"
padsim="$2"
work="$3"
runs="${4:-500}"

block="$(awk '/^## An analyst.s first hour/ { section = 1; next }
              section && /^```sh$/ { inside = 1; next }
              inside && /^```$/ { exit }
              inside { print }' "$source_dir/README.md")"
if [[ -z "$block" ]]; then
  echo "readme_first_hour: no \`\`\`sh block under \"## An analyst's first hour\" in README.md" >&2
  exit 1
fi
block="$(sed -E "s/(^|[^[:alnum:]_/-])padsim (run|replay) /\1padsim \2 --runs $runs /" <<<"$block")"
if ! grep -q -- "padsim run --runs $runs" <<<"$block" || ! grep -q -- "padsim replay --runs $runs" <<<"$block"; then
  echo "readme_first_hour: the block no longer has a 'padsim run' and a 'padsim replay' to shrink" >&2
  exit 1
fi

rm -rf "$work"
mkdir -p "$work/build/release/app/cli"
ln -s "$padsim" "$work/build/release/app/cli/padsim"
ln -s "$source_dir/scripts" "$work/scripts"
cd "$work"
printf '%s\n' "$block" >first_hour.sh
echo "readme_first_hour: running README.md's block with --runs $runs in $work"
bash -euo pipefail first_hour.sh

missing=0
for f in results/b25/summary.csv results/b25/report.html results/b25/s-curve-pad_ready_day.png \
         results/b25-baseline/runs.csv results/b25-p90/runs.csv p90.csv; do
  if [[ ! -s "$f" ]]; then
    echo "readme_first_hour: $f is missing or empty" >&2
    missing=1
  fi
done
# The replayed row is the batch's row at the P90: the same bytes, replication index included.
k="$(tail -n 1 results/b25-p90/runs.csv | cut -d, -f1)"
if ! grep -qxF -- "$(tail -n 1 results/b25-p90/runs.csv)" results/b25/runs.csv; then
  echo "readme_first_hour: replication $k's replayed row is not row $k of the batch" >&2
  missing=1
fi
exit "$missing"
