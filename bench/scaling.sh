#!/usr/bin/env bash
# Does the cost grow linearly with the input? Run by hand (not a test: it times):
#
#   bench/scaling.sh [DIMENSION...]      # materials keys rules batch (default: all)
#
# For each dimension one thing grows, doubling, while the rest stays small:
#
#   materials  materials in one BOM, under `CTH except headings 8503..8504 or
#              maxnom(50%)` (every material is tested against the exception
#              and counted in the value), `roo determine --explain none`
#   keys       attribute keys of the product in one BOM, `roo determine`
#   rules      bytes of rules source (subheading rules of five shapes):
#              `roo determine` of a 25-material BOM, i.e. load + check +
#              compile + one determination
#   batch      lines of `roo batch --explain none` (bench_generate's workload)
#
# and measures CPU time (user + system, median of RUNS runs; CPU rather than
# wall time because the machine is shared) and peak RSS, with GNU time. Each
# doubling prints the time ratio and that ratio over the size ratio, the
# growth of the cost per unit: 1.00 is linear. The script exits 1 when a
# cost per unit grows by more than LIMIT (1.30) in a doubling, or a run fails.
# For `rules` it also prints the peak RSS per byte of source, and `steps`
# (not in the default list) compares the default work budget (--max-steps)
# with a huge one on bench/run.sh's batch workload.
#
# Environment: BUILD_DIR (default build-bench), WORK_DIR (default
# $BUILD_DIR/scaling), RUNS (default 3), JOBS (default 2), and the sizes:
# MATERIALS (default "64000 128000 256000 512000"), KEYS ("320000 640000
# 1280000 2560000"), RULES_BYTES ("1000000 2000000 4000000 8000000"),
# BATCH_LINES ("12500 25000 50000 100000"), STEPS_LINES (100000).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="${BUILD_DIR:-build-bench}"
WORK_DIR="${WORK_DIR:-$BUILD_DIR/scaling}"
RUNS="${RUNS:-3}"
JOBS="${JOBS:-2}"
MATERIALS="${MATERIALS:-64000 128000 256000 512000}"
KEYS="${KEYS:-320000 640000 1280000 2560000}"
RULES_BYTES="${RULES_BYTES:-1000000 2000000 4000000 8000000}"
BATCH_LINES="${BATCH_LINES:-12500 25000 50000 100000}"
STEPS_LINES="${STEPS_LINES:-100000}"
LIMIT=130 # the most a cost per unit may grow in one doubling, in hundredths
dimensions=("$@")
((${#dimensions[@]})) || dimensions=(materials keys rules batch)
status=0

if ! { [[ -x /usr/bin/time ]] && /usr/bin/time -f "%M" true >/dev/null 2>&1; }; then
  echo "bench/scaling.sh needs GNU time (/usr/bin/time; Debian: apt-get install time)" >&2
  exit 2
fi

echo "== build ($BUILD_DIR, Release)"
# A build folder already set up (say, build/ with its tests) keeps its other
# options; it must be a Release build with the benchmark tools.
if [[ -f $BUILD_DIR/CMakeCache.txt ]]; then
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DROO_BENCH=ON >/dev/null
else
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DROO_BENCH=ON -DROO_TESTS=OFF >/dev/null
fi
cmake --build "$BUILD_DIR" -j "$JOBS" --target roo bench_generate >/dev/null
roo="$BUILD_DIR/roo"
gen="$BUILD_DIR/bench_generate"
mkdir -p "$WORK_DIR"

# measure INPUT COMMAND... -> cpu_ms and rss_kb, the medians of RUNS runs of
# COMMAND with standard input from INPUT and its output thrown away. Exit
# status 0 or 1 (verdicts, error results) is a run; above is a failure.
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure_once() { # INPUT COMMAND... -> one_cpu (ms), one_rss (KB)
  local input="$1" tf rc=0 user sys
  shift
  tf="$(mktemp)"
  /usr/bin/time -f "%M %U %S" -o "$tf" "$@" <"$input" >/dev/null || rc=$?
  if ((rc > 1)); then
    echo "  FAILED (exit $rc): $*" >&2
    rm -f "$tf"
    return 1
  fi
  read -r one_rss user sys < <(tail -n 1 "$tf")
  rm -f "$tf"
  one_cpu=$((10#${user/./} * 10 + 10#${sys/./} * 10))
}
measure() {
  local cpus=() rsses=()
  for ((r = 0; r < RUNS; ++r)); do
    measure_once "$@" || return 1
    cpus+=("$one_cpu")
    rsses+=("$one_rss")
  done
  cpu_ms=$(median "${cpus[@]}")
  rss_kb=$(median "${rsses[@]}")
}

# hundredths A B -> "A/B" with two decimals (integers only: no floating point)
ratio() { local h=$(($1 * 100 / ($2 > 0 ? $2 : 1))); printf '%d.%02d' $((h / 100)) $((h % 100)); }

# scale NAME UNIT SIZES MAKE RUN: MAKE SIZE DIR writes the workload of SIZE in
# DIR; RUN DIR prints the input file and the command to time.
scale() {
  local name="$1" unit="$2" sizes=($3) make="$4" run="$5" prev_size="" prev_cpu="" size dir
  echo
  echo "== $name: CPU time (median of $RUNS) and peak RSS as the $unit double"
  printf '  %12s %10s %12s %12s %14s\n' "$unit" "CPU ms" "peak RSS KB" "time ratio" "per $unit ratio"
  for size in "${sizes[@]}"; do
    dir="$WORK_DIR/$name-$size"
    [[ -f $dir/.done ]] || { $make "$size" "$dir" && touch "$dir/.done"; }
    local spec
    read -r -a spec < <($run "$dir")
    measure "${spec[@]}" || { status=1; continue; }
    rss_of[$name-$size]=$rss_kb
    if [[ -n $prev_size ]]; then
      local time_h=$((cpu_ms * 100 / (prev_cpu > 0 ? prev_cpu : 1)))
      local unit_h=$((time_h * prev_size / size))
      local verdict=""
      ((unit_h > LIMIT)) && { verdict="  NOT LINEAR (limit 1.30)"; status=1; }
      printf '  %12d %10d %12d %12s %14s%s\n' "$size" "$cpu_ms" "$rss_kb" "$(ratio "$cpu_ms" "$prev_cpu")" \
        "$(printf '%d.%02d' $((unit_h / 100)) $((unit_h % 100)))" "$verdict"
    else
      printf '  %12d %10d %12d\n' "$size" "$cpu_ms" "$rss_kb"
    fi
    prev_size=$size prev_cpu=$cpu_ms
  done
}

declare -A rss_of
make_scale() { "$gen" scale "$1" "$2" "$3"; }
make_materials() { make_scale materials "$1" "$2"; }
make_keys() { make_scale keys "$1" "$2"; }
make_rules() { make_scale rules "$1" "$2"; }
make_batch() { "$gen" 1 "$1" "$2" >/dev/null; }
run_one() { echo "/dev/null $roo determine --explain none --rules $1/rules.roo $1/bom.json"; }
run_batch() { echo "$1/boms.jsonl $roo batch --explain none --rules $1/rules.roo"; }

for d in "${dimensions[@]}"; do
  case "$d" in
    materials) scale materials materials "$MATERIALS" make_materials run_one ;;
    keys) scale keys keys "$KEYS" make_keys run_one ;;
    rules)
      scale rules bytes "$RULES_BYTES" make_rules run_one
      echo "  rules memory (peak RSS of load + check + one determination):"
      prev=""
      for size in $RULES_BYTES; do
        rss=${rss_of[rules-$size]:-0}
        bytes=$(wc -c <"$WORK_DIR/rules-$size/rules.roo")
        printf '  %12d bytes of source: %8d KB, %4d bytes per source byte' "$bytes" "$rss" $((rss * 1024 / bytes))
        # What one more byte of source costs, the process's fixed part removed.
        [[ -n $prev ]] && printf ', %4d per byte added' $(((rss - ${prev%:*}) * 1024 / (bytes - ${prev#*:})))
        echo
        prev="$rss:$bytes"
      done
      ;;
    batch) scale batch lines "$BATCH_LINES" make_batch run_batch ;;
    steps)
      dir="$WORK_DIR/batch-$STEPS_LINES"
      [[ -f $dir/.done ]] || { make_batch "$STEPS_LINES" "$dir" && touch "$dir/.done"; }
      echo
      echo "== steps: the work budget's cost, roo batch --explain none on $STEPS_LINES lines (median of $RUNS)"
      # The two alternate, run by run, so that a busy moment of the machine
      # weighs on both alike.
      default_cpus=() huge_cpus=() default_rss=0 huge_rss=0
      for ((r = 0; r < RUNS; ++r)); do
        measure_once "$dir/boms.jsonl" "$roo" batch --explain none --rules "$dir/rules.roo" || status=1
        default_cpus+=("$one_cpu") default_rss=$one_rss
        measure_once "$dir/boms.jsonl" "$roo" batch --explain none --max-steps 18446744073709551615 \
          --rules "$dir/rules.roo" || status=1
        huge_cpus+=("$one_cpu") huge_rss=$one_rss
      done
      base=$(median "${default_cpus[@]}") huge=$(median "${huge_cpus[@]}")
      printf '  %-34s %6d ms CPU, peak RSS %d KB\n' "default (--max-steps 500000000)" "$base" "$default_rss"
      printf '  %-34s %6d ms CPU, peak RSS %d KB (ratio %s)\n' "huge (--max-steps 2^64-1)" "$huge" "$huge_rss" \
        "$(ratio "$huge" "$base")"
      ;;
    *)
      echo "unknown dimension '$d' (materials, keys, rules, batch, steps)" >&2
      exit 2
      ;;
  esac
done
exit $status
