#!/usr/bin/env bash
# The benchmark, in one command:
#
#   bench/run.sh
#
# builds roo and the benchmark tools (Release, -DROO_BENCH=ON) in build-bench/,
# generates seeded workloads of 10,000 and 100,000 products, runs bench_eval
# (evaluation alone vs the hand-written loop, with the verdict check), then
# times `roo batch --rules rules.roo --explain none < boms.jsonl > /dev/null`
# on both sizes (median wall time of RUNS runs, and peak RSS) and checks that
# memory stays flat as the input grows.
#
# Environment: BUILD_DIR (default build-bench), WORK_DIR (default
# $BUILD_DIR/workloads), SEED (default 1), RUNS (default 3 batch runs; bench_eval
# takes the median of 5), SIZES (default "10000 100000"), JOBS (default nproc).
# Exit status: 1 when the verdicts differ from the baseline, a batch run fails,
# or memory is not flat; 0 otherwise. Speed targets are reported, not enforced.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="${BUILD_DIR:-build-bench}"
WORK_DIR="${WORK_DIR:-$BUILD_DIR/workloads}"
SEED="${SEED:-1}"
RUNS="${RUNS:-3}"
SIZES="${SIZES:-10000 100000}"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
status=0

echo "== build ($BUILD_DIR, Release)"
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DROO_BENCH=ON -DROO_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target roo bench_generate bench_eval >/dev/null
roo="$BUILD_DIR/roo"

# Peak RSS: GNU time when present (installed when we can: it is the `time`
# package on Debian); otherwise sampled from /proc while the run lasts.
gnu_time=""
if [[ -x /usr/bin/time ]] && /usr/bin/time -f "%M" true >/dev/null 2>&1; then
  gnu_time=/usr/bin/time
elif [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing GNU time (apt-get install -y time)"
  if apt-get install -y time >/dev/null 2>&1 && /usr/bin/time -f "%M" true >/dev/null 2>&1; then gnu_time=/usr/bin/time; fi
fi
[[ -z $gnu_time ]] && echo "(GNU time not available: peak RSS is sampled from /proc/PID/status every 10 ms)"

now_ns() { date +%s%N; }

# run_batch RULES INPUT -> sets ns (wall), cpu_cs (user+system CPU time in
# centiseconds; 0 when unknown) and rss_kb for one run.
run_batch() {
  local rules="$1" input="$2" t0 t1 rc
  if [[ -n $gnu_time ]]; then
    local tf
    tf="$(mktemp)"
    t0=$(now_ns)
    rc=0
    "$gnu_time" -f "%M %U %S" -o "$tf" "$roo" batch --rules "$rules" --explain none <"$input" >/dev/null || rc=$?
    t1=$(now_ns)
    local user sys
    read -r rss_kb user sys < <(tail -n 1 "$tf")
    rm -f "$tf"
    cpu_cs=$((10#${user/./} + 10#${sys/./}))
  else
    t0=$(now_ns)
    "$roo" batch --rules "$rules" --explain none <"$input" >/dev/null &
    local pid=$! peak=0 hwm
    while kill -0 "$pid" 2>/dev/null; do
      hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
      [[ -n $hwm && $hwm -gt $peak ]] && peak=$hwm
      sleep 0.01
    done
    rc=0
    wait "$pid" || rc=$?
    t1=$(now_ns)
    rss_kb=$peak
    cpu_cs=0
  fi
  ns=$((t1 - t0))
  if ((rc > 1)); then
    echo "roo batch failed (exit $rc) on $input" >&2
    return 1
  fi
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A rss_of
first_size=""
for n in $SIZES; do
  dir="$WORK_DIR/seed$SEED-$n"
  if [[ ! -s $dir/boms.jsonl || ! -s $dir/rules.roo ]]; then
    echo "== generating $n products (seed $SEED)"
    "$BUILD_DIR/bench_generate" "$SEED" "$n" "$dir"
  fi
  [[ -z $first_size ]] && first_size=$n
done

echo
echo "== evaluation alone (bench_eval, $first_size BOMs in memory, CPU time, median of 5)"
"$BUILD_DIR/bench_eval" "$WORK_DIR/seed$SEED-$first_size" 5 || status=1

echo
echo "== end to end: roo batch --explain none (JSON Lines in and out), median of $RUNS runs"
echo "   (target: 150,000 products/s on one core; CPU time is the steadier figure on a busy machine)"
for n in $SIZES; do
  dir="$WORK_DIR/seed$SEED-$n"
  bytes=$(wc -c <"$dir/boms.jsonl")
  times=() rsses=() cpus=()
  for ((r = 0; r < RUNS; ++r)); do
    run_batch "$dir/rules.roo" "$dir/boms.jsonl" || status=1
    times+=("$ns")
    rsses+=("$rss_kb")
    cpus+=("$cpu_cs")
  done
  t=$(median "${times[@]}")
  rss=$(median "${rsses[@]}")
  cpu=$(median "${cpus[@]}")
  rss_of[$n]=$rss
  lines=$("$roo" batch --rules "$dir/rules.roo" --explain none <"$dir/boms.jsonl" | wc -l)
  [[ $lines == "$n" ]] || { echo "roo batch wrote $lines lines for $n products" >&2; status=1; }
  printf '  %7d products (%4d MB): %7d products/s wall (%6d ms)' "$n" $((bytes >> 20)) $((n * 1000000000 / t)) $((t / 1000000))
  if ((cpu > 0)); then printf ', %7d products per CPU-second (%6d ms)' $((n * 100 / cpu)) $((cpu * 10)); fi
  printf ', peak RSS %6d KB\n' "$rss"
done

# Flat memory: the peak RSS of the largest run within 10% (+4 MB) of the smallest.
sizes=($SIZES)
if ((${#sizes[@]} > 1)); then
  small=${rss_of[${sizes[0]}]} large=${rss_of[${sizes[-1]}]}
  limit=$((small + small / 10 + 4096))
  if ((large <= limit)); then
    echo "  memory is flat: ${small} KB for ${sizes[0]} products, ${large} KB for ${sizes[-1]}"
  else
    echo "  memory is NOT flat: ${small} KB for ${sizes[0]} products, ${large} KB for ${sizes[-1]} (limit ${limit} KB)"
    status=1
  fi
fi
exit $status
