#!/usr/bin/env bash
# Mutation robustness of `roo check`: every .roo file under stdlib/, rules/ and
# tests/ (outside tests/**/bad/) is mutated many times, and every mutant must
# give exit status 0 or 1, never a crash, a sanitizer report or a hang, and an
# exit status 1 must come with at least one located diagnostic
# (FILE:LINE:COL: error[CODE]: ...) for that mutant.
#
#   tests/mutate-rules.sh PATH-TO-ROO [MUTANTS-PER-FILE] [SEED]
#
# The run is sized by work, not by time: MUTANTS-PER-FILE (default 40) mutants
# of each file. ctest passes 40 in the optimised build and a smaller fixed
# number in the sanitizer build (CMakeLists.txt); mutant m depends only on the
# seed, the file and m, so a smaller run checks the first mutants of a larger
# one. The only clocks are hang guards far beyond any real check (see below).
#
# Mutations (in turn): delete one token; insert garbage bytes; truncate at a
# random byte; swap two lines; replace a token with one from elsewhere in the
# file (a name with a name, mostly). The mutants come from a fixed seed (default 1), so a run is
# reproducible (MUTATE_KEEP=1 keeps them). They are checked in batches (one `roo check` for many files);
# a batch that fails is re-run file by file to name the mutant, which is kept
# in /tmp/roo-mutate-failures/.
set -uo pipefail
roo="${1:?usage: mutate-rules.sh PATH-TO-ROO [MUTANTS-PER-FILE] [SEED]}"
per_file="${2:-40}"
seed="${3:-1}"
case "$roo" in /*) ;; *) roo="$PWD/$roo" ;; esac
cd "$(dirname "$0")/.."
export LC_ALL=C

work="$(mktemp -d /tmp/roo-mutate.XXXXXX)"
# MUTATE_KEEP=1 keeps the mutants (and says where) for a look.
if [ "${MUTATE_KEEP:-}" = 1 ]; then echo "mutants in $work"; else trap 'rm -rf "$work"' EXIT; fi
keep=/tmp/roo-mutate-failures
failures=0

fail() { # mutant message
  failures=$((failures + 1))
  mkdir -p "$keep"
  cp "$1" "$keep/" 2>/dev/null
  echo "FAIL: $2 (mutant kept as $keep/$(basename "$1"))"
}

# ---- generate the mutants ----

mapfile -t sources < <(find stdlib rules tests -name '*.roo' -not -path '*/bad/*' | sort)
index=0
for src in "${sources[@]}"; do
  index=$((index + 1))
  prefix="$(printf 'm%03d' "$index")-$(basename "$src" .roo)"
  awk -v SEED=$((seed * 7919 + index * 104729)) -v M="$per_file" -v DIR="$work" -v PREFIX="$prefix" '
    # Park-Miller generator: exact in any awk (products stay below 2^53).
    function rnd(n) { state = (state * 16807) % 2147483647; return state % n }
    # Tokens of a line: names, numbers and codes, strings, two-character
    # operators, any other character.
    function tokens(s,    pos, rest, k) {
      k = 0
      pos = 1
      while (pos <= length(s)) {
        rest = substr(s, pos)
        if (match(rest, /^[ \t]+/)) { pos += RLENGTH; continue }
        if (!match(rest, /^([A-Za-z_][A-Za-z0-9_]*|[0-9][0-9.]*%?|"([^"\\]|\\.)*"|\.\.|<=|>=|==|!=|\/\/.*|.)/)) break
        k++
        tstart[k] = pos
        tlen[k] = RLENGTH
        pos += RLENGTH
      }
      return k
    }
    # A line with code on it (not blank, not only a comment), or 0.
    function random_line(    tries, i) {
      for (tries = 0; tries < 50; tries++) {
        i = 1 + rnd(n)
        if (line[i] !~ /^[ \t]*(\/\/.*)?$/ && tokens(line[i]) > 0) return i
      }
      return 0
    }
    function joined(    i, s) {
      s = ""
      for (i = 1; i <= n; i++) s = s line[i] (i < n || final_newline ? "\n" : "")
      return s
    }
    BEGIN {
      state = SEED % 2147483646 + 1
      garbage[0] = "\""; garbage[1] = "("; garbage[2] = ")"; garbage[3] = "["; garbage[4] = "]"
      garbage[5] = ":"; garbage[6] = ","; garbage[7] = "."; garbage[8] = ".."; garbage[9] = "%"
      garbage[10] = "{"; garbage[11] = "}"; garbage[12] = "\\"; garbage[13] = "\t"; garbage[14] = "\n"
      garbage[15] = "//"; garbage[16] = " not "; garbage[17] = " or "; garbage[18] = " every m in "
      garbage[19] = "\377"; garbage[20] = "\303"; garbage[21] = "\001"; garbage[22] = "\342\200\246"
      garbage[23] = "\303\251"; garbage[24] = "\r"; garbage[25] = " ex "; garbage[26] = "9999"
      garbage[27] = " where it."; garbage[28] = "="; garbage[29] = " -"; garbage[30] = "*"
      garbage[31] = " except "; garbage[32] = "0"; garbage[33] = "\"\\"
      ngarbage = 34
    }
    { line[NR] = $0 }
    END {
      n = NR
      final_newline = 1
      if (n == 0) exit
      original = joined()
      for (m = 0; m < M; m++) {
        out = sprintf("%s/%s-%02d.roo", DIR, PREFIX, m)
        kind = m % 5
        text = ""
        if (kind == 0) {
          # delete one token
          i = random_line()
          if (i) {
            k = tokens(line[i])
            t = 1 + rnd(k)
            saved = line[i]
            line[i] = substr(saved, 1, tstart[t] - 1) substr(saved, tstart[t] + tlen[t])
            text = joined()
            line[i] = saved
          }
        } else if (kind == 1) {
          # insert one to three garbage strings at one place
          p = rnd(length(original) + 1)
          g = ""
          count = 1 + rnd(3)
          for (j = 0; j < count; j++) g = g garbage[rnd(ngarbage)]
          text = substr(original, 1, p) g substr(original, p + 1)
        } else if (kind == 2) {
          # truncate at a random byte
          text = substr(original, 1, rnd(length(original) + 1))
        } else if (kind == 3) {
          # swap two lines
          i = random_line()
          j = random_line()
          if (i && j && line[i] != line[j]) {
            saved = line[i]; line[i] = line[j]; line[j] = saved
            text = joined()
            saved = line[i]; line[i] = line[j]; line[j] = saved
          }
        } else {
          # replace a token with one from another line: a name with a name
          # when the line has one (the result often still parses, and is
          # left to the checker)
          i = random_line()
          j = random_line()
          if (i && j) {
            k = tokens(line[j])
            t = 1 + rnd(k)
            word = substr(line[j], tstart[t], tlen[t])
            k = tokens(line[i])
            t = 1 + rnd(k)
            if (word ~ /^[A-Za-z_]/) {
              names = 0
              for (u = 1; u <= k; u++)
                if (substr(line[i], tstart[u], 1) ~ /[A-Za-z_]/) pick[++names] = u
              if (names) t = pick[1 + rnd(names)]
            }
            saved = line[i]
            line[i] = substr(saved, 1, tstart[t] - 1) word substr(saved, tstart[t] + tlen[t])
            text = joined()
            line[i] = saved
          }
        }
        if (text == "") text = substr(original, 1, rnd(length(original) + 1))
        printf "%s", text > out
        close(out)
      }
    }' "$src"
done
mapfile -t mutants < <(find "$work" -name '*.roo' | sort)

# ---- check them ----

# Hang guards, not time limits: a check of one mutant takes well under a second
# optimised and a few seconds under ASan, a batch some tens of seconds at most,
# so these only end a check that would never finish. A batch past its guard is
# re-run file by file; a single mutant past its guard is a failure (a hang).
hang_guard_one=300
hang_guard_batch=1200

# One mutant on its own: exit 0, or exit 1 with a located error for it.
check_one() {
  local f="$1" status
  timeout "$hang_guard_one" "$roo" check "$f" >"$work/one.out" 2>"$work/one.err"
  status=$?
  if [ "$status" = 124 ]; then
    fail "$f" "roo check did not finish within $hang_guard_one s (a hang)"
  elif [ "$status" != 0 ] && [ "$status" != 1 ]; then
    fail "$f" "exit status $status: $(grep -m1 -E 'ERROR|runtime error|internal error' "$work/one.err" "$work/one.out")"
  elif [ "$status" = 1 ] && ! grep -qE "^$f:[0-9]+:[0-9]+: error\[[a-z0-9-]+\]" "$work/one.out"; then
    fail "$f" "exit status 1 without a located error: $(head -c 300 "$work/one.out")"
  fi
}

batch_size=40
for ((start = 0; start < ${#mutants[@]}; start += batch_size)); do
  batch=("${mutants[@]:start:batch_size}")
  timeout "$hang_guard_batch" "$roo" check "${batch[@]}" >"$work/out" 2>"$work/err"
  status=$?
  ok=1
  if [ "$status" != 0 ] && [ "$status" != 1 ]; then
    ok=0
  else
    # "N files checked: C clean, E with errors": E must be the number of
    # mutants with a located error, and the status must agree.
    with_errors="$(sed -nE 's/.* checked: [0-9]+ clean, ([0-9]+) with errors$/\1/p' "$work/err")"
    located="$(grep -oE "^$work/[^:]+\.roo:[0-9]+:[0-9]+: error\[[a-z0-9-]+\]" "$work/out" | cut -d: -f1 | sort -u | wc -l)"
    if [ -z "$with_errors" ] || [ "$with_errors" != "$located" ]; then ok=0; fi
    if [ "$status" = 0 ] && [ "${with_errors:-0}" != 0 ]; then ok=0; fi
    if [ "$status" = 1 ] && [ "${with_errors:-0}" = 0 ]; then ok=0; fi
  fi
  if [ "$ok" = 0 ]; then
    for f in "${batch[@]}"; do check_one "$f"; done
  fi
done

echo "mutate: ${#mutants[@]} mutants of ${#sources[@]} files, $failures failed"
[ "$failures" = 0 ]
