#!/usr/bin/env bash
# Measures what Latin hypercube sampling gains: BATCHES independent batches (seeds 1 .. BATCHES)
# of RUNS replications each, with plain Monte Carlo and with --sampling lhs, and the spread (sd)
# of each batch's estimate of an outcome's mean and P50 across the batches: the standard error of
# a batch of RUNS, measured rather than assumed. Prints both and their ratio (lhs / mc).
#
#   scripts/compare_sampling.sh [SCENARIO] [--outcome NAME] [--runs N] [--batches K] [--lhs-block B]
#
# Defaults: the embedded default scenario, pad_ready_day, 1,000 replications (one block), 50
# batches. Uses build/release/app/cli/padsim (scripts/build.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="" outcome=pad_ready_day runs=1000 batches=50 block=""
while (($#)); do
  case "$1" in
    --outcome) outcome="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --batches) batches="$2"; shift 2 ;;
    --lhs-block) block="--lhs-block $2"; shift 2 ;;
    -*) echo "compare_sampling: unknown option $1" >&2; exit 2 ;;
    *) scenario="$1"; shift ;;
  esac
done
padsim=build/release/app/cli/padsim
[[ -x $padsim ]] || { echo "compare_sampling: $padsim not found; run scripts/build.sh first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One line per batch: "MEAN P50" of the outcome, from summary.csv.
estimates() {
  local sampling="$1"
  for ((seed = 1; seed <= batches; ++seed)); do
    # shellcheck disable=SC2086  # $block is an option and its value, or nothing
    "$padsim" run $scenario --runs "$runs" --seed "$seed" --sampling "$sampling" $block -q \
      --out "$work/$sampling-$seed" >/dev/null
    awk -F, -v o="$outcome" '$1 == o && $3 == "mean" { m = $4 } $1 == o && $3 == "p50" { p = $4 }
                             END { if (m == "" || p == "") exit 1; print m, p }' \
      "$work/$sampling-$seed/summary.csv"
    rm -rf "${work:?}/$sampling-$seed"
  done
}

estimates mc >"$work/mc.txt"
estimates lhs >"$work/lhs.txt"

# The sd over batches of each column, and the ratio lhs / mc.
paste "$work/mc.txt" "$work/lhs.txt" | awk -v n="$batches" -v runs="$runs" -v o="$outcome" '
  { for (i = 1; i <= 4; ++i) { s[i] += $i; ss[i] += $i * $i } }
  END {
    for (i = 1; i <= 4; ++i) { mean[i] = s[i] / n; sd[i] = sqrt((ss[i] - n * mean[i] ^ 2) / (n - 1)) }
    printf "%s over %d batches of %d replications: spread (sd) of each batch estimate\n", o, n, runs
    printf "%-6s %12s %12s %12s %8s\n", "", "mc", "lhs", "lhs / mc", ""
    printf "%-6s %12.3f %12.3f %12.3f   (mean of the batch means: mc %.2f, lhs %.2f)\n", "mean", sd[1], sd[3], sd[3] / sd[1], mean[1], mean[3]
    printf "%-6s %12.3f %12.3f %12.3f   (mean of the batch P50s: mc %.2f, lhs %.2f)\n", "P50", sd[2], sd[4], sd[4] / sd[2], mean[2], mean[4]
    # The sd of an sd estimated from n normal samples is about sd / sqrt(2 (n - 1)).
    printf "Each spread is itself uncertain by about +/-%.0f%% (1 SE, %d batches).\n", 100 / sqrt(2 * (n - 1)), n
  }'
