#!/bin/bash
# A checkpointed batch killed with SIGKILL at 5 random moments, resumed after each (on another
# thread count), ends with the result set of an uninterrupted run, byte for byte: every file
# compared with cmp, run.json without the lines that describe one invocation (command_line,
# threads, processes, wall_time_seconds). With MODE `bounded`, the batch is a --bounded-memory one
# (recorded at its own blocks, made BLOCK replications by the hidden --bounded-block-replications,
# and --dates, which changes its recorded rows), compared with an uninterrupted bounded run.
# Usage: resume_after_kill.sh PADSIM WORK_DIR [RUNS] [BLOCK] [MODE]
set -u
padsim=$1
work=$2
runs=${3:-3000}
block=${4:-100}
mode=${5:-exact}
seed=${RESUME_TEST_SEED:-$RANDOM}
RANDOM=$seed
echo "resume_after_kill: random seed $seed (RESUME_TEST_SEED=$seed repeats this test's kill times)"

rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
common=(run --runs "$runs" --seed 7 -q --set 'repair.site31-cabin.scale=1.2')
every=(--checkpoint-every "$block")
if [ "$mode" = bounded ]; then
  common+=(--bounded-memory --retained-runs 250 --bounded-block-replications "$block" --dates)
  every=()
fi
fail() { echo "resume_after_kill: $*" >&2; exit 1; }

"$padsim" "${common[@]}" --threads 2 --out reference >/dev/null || fail "the reference run failed"
# An uninterrupted checkpointed run: the same files, and the time the kills below are drawn in.
start=$(date +%s%N)
"$padsim" "${common[@]}" --threads 2 --out whole --checkpoint ck_whole "${every[@]}" \
  >/dev/null || fail "the uninterrupted checkpointed run failed"
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "uninterrupted checkpointed run: ${took_ms} ms"

# Attempts 1-4 are killed a random 0-9 ms after the checkpoint reaches a random number of blocks
# (spread over what is left), so they land while a block runs or is being written; attempt 5
# after a random 5-30% of the uninterrupted time, which often lands while the blocks are joined
# or the result set is published.
total=$(( (runs + block - 1) / block ))
count_blocks() { ls ck 2>/dev/null | grep -c '^block-'; }
killed=0
for attempt in 1 2 3 4 5; do
  # A kill before the checkpoint was started leaves nothing to resume: start it again.
  if [ -f ck/checkpoint.txt ]; then how=(--resume ck); else how=(--checkpoint ck "${every[@]}"); fi
  threads=$(( attempt % 2 + 1 ))
  have=$(count_blocks)
  "$padsim" "${common[@]}" --threads "$threads" --out out "${how[@]}" >/dev/null 2>"err$attempt.txt" &
  pid=$!
  if [ "$attempt" -le 4 ]; then
    span=$(( (total - have + 5 - attempt) / (6 - attempt) ))  # what is left, over the attempts left
    [ "$span" -lt 1 ] && span=1
    target=$(( have + 1 + RANDOM % span ))
    [ "$target" -ge "$total" ] && target=$(( total - 1 ))
    waited=0
    while [ "$(count_blocks)" -lt "$target" ] && kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 4000 ]; do
      sleep 0.002
      waited=$((waited + 1))
    done
    extra_ms=$(( RANDOM % 10 ))
    sleep "0.00$extra_ms"
    when="at block $target + ${extra_ms} ms"
  else
    delay_ms=$(( took_ms * (5 + RANDOM % 26) / 100 ))
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    when="after ${delay_ms} ms"
  fi
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  status=$?
  echo "attempt $attempt: --threads $threads, killed $when: status $status, $(count_blocks) of $total blocks recorded"
  if [ "$status" = 137 ]; then
    killed=$((killed + 1))
  elif [ "$status" != 0 ]; then
    cat "err$attempt.txt" >&2
    fail "attempt $attempt ended with status $status, neither killed (137) nor done (0)"
  fi
done
[ "$killed" -ge 3 ] || fail "only $killed of 5 kills landed during a run; the test proved too little"
[ -d out ] && echo "(a result set had been published before the last kill)"

"$padsim" "${common[@]}" --threads 1 --out out --resume ck >/dev/null 2>err_final.txt ||
  { cat err_final.txt >&2; fail "the final --resume failed"; }

same_set() {
  local status=0 f name stable='"(command_line|threads|processes|wall_time_seconds)"'
  for f in reference/*; do
    name=$(basename "$f")
    if [ "$name" = run.json ]; then
      cmp <(grep -vE "$stable" "$f") <(grep -vE "$stable" "$1/$name") || status=1
    else
      cmp "$f" "$1/$name" || status=1
    fi
  done
  [ "$(ls reference | wc -l)" = "$(ls "$1" | wc -l)" ] || { echo "$1: another set of files" >&2; status=1; }
  return $status
}
same_set whole || fail "the uninterrupted checkpointed result set differs from a plain run's"
same_set out || fail "the resumed result set differs from the uninterrupted one"
echo "resume_after_kill: $killed kills during a run; every file of the result set identical"
