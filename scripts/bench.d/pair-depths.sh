#!/usr/bin/env bash
# Paired comparison of two loncPipelineDepth values on one publish: two sandboxes (one host each, one lond
# emulator each, loncPongDelay 0), the same load run against each in alternating order, round by round; prints
# req/s and the child's CPU per request of every run, then the mean and range of the per-round ratios B/A.
#   scripts/bench.d/pair-depths.sh [--bin DIR] [--depths A B] [--clients N] [--rounds N] [--seconds S] [--lonnet]
#     --bin DIR     a publish holding lonc and testbed/lonc-testbed (default out/bench, as scripts/bench leaves it)
#     --depths A B  the two depths (default 1 8)
#     --clients N   concurrent load clients (default 1); --lonnet: a connection per request (default persistent)
#     --rounds N    rounds (default 10); --seconds S: length of each run (default 3)
# BENCH_PORT/BENCH_BLOCK move the sandboxes (default port 18671 and up on 127.0.211.x and up).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/out/bench da=1 db=8 clients=1 rounds=10 seconds=3 persistent=--persistent
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$(cd "${2:?--bin needs a directory}" && pwd); shift ;;
    --depths) da=${2:?--depths needs two values}; db=${3:?--depths needs two values}; shift 2 ;;
    --clients) clients=${2:?--clients needs a number}; shift ;;
    --rounds) rounds=${2:?--rounds needs a number}; shift ;;
    --seconds) seconds=${2:?--seconds needs a number}; shift ;;
    --lonnet) persistent= ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pair-depths: unknown option $1 (try --help)" >&2; exit 64 ;;
  esac
  shift
done
tb=$bin/testbed/lonc-testbed
[ -x "$bin/lonc" ] && [ -x "$tb" ] || { echo "pair-depths: no lonc and testbed/lonc-testbed in $bin (run scripts/bench first, or give --bin)" >&2; exit 1; }
port=${BENCH_PORT:-18671} block=${BENCH_BLOCK:-211}
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; sleep 0.5; kill -9 "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# start NAME DEPTH OFFSET: sandbox, emulator and daemon; sets socket_NAME and child_NAME
start() {
  local n=$1 sb=$work/$1 parent child="" i
  "$tb" sandbox "$sb" --hosts 1 --port $((port + $3)) --block $((block + $3)) \
    --set loncPipelineDepth="$2" --set loncPongDelay=0 >"$sb.out"
  "$tb" lond --sandbox "$sb" >"$sb.lond" 2>&1 &
  pids+=($!)
  for i in $(seq 1 100); do grep -q listening "$sb.lond" && break; sleep 0.1; done
  "$bin/lonc" --conf-dir "$sb/conf" --user "$(id -un)" --foreground >"$sb.lonc" 2>&1 &
  parent=$!; pids+=($parent)
  for i in $(seq 1 100); do
    child=$( { ps --ppid "$parent" -o pid= || true; } | tr -d ' ' | head -1)
    [ -n "$child" ] && "$tb" client --socket "$(awk '$3 == "socket" { print $4 }' "$sb.out")" --timeout 1 ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  [ -n "$child" ] || { echo "pair-depths: the daemon of $n did not start: $(cat "$sb.lonc")" >&2; exit 1; }
  printf -v "socket_$n" '%s' "$(awk '$3 == "socket" { print $4 }' "$sb.out")"
  printf -v "child_$n" '%s' "$child"
}
# cpu PID: user + system clock ticks (fields 14 and 15 of /proc/PID/stat, counted after the title in parentheses)
cpu() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
start a "$da" 0
start b "$db" 1
hz=$(getconf CLK_TCK)
for n in a b; do v=socket_$n; "$tb" client --socket "${!v}" --load --clients "$clients" --seconds 1 $persistent >/dev/null; done
pattern="lonnet pattern"; [ -n "$persistent" ] && pattern=persistent
echo "depth $da (a) against depth $db (b): $clients client(s), $pattern, $rounds rounds of $seconds s, order alternating"
for r in $(seq 1 "$rounds"); do
  order="a b"; [ $((r % 2)) = 0 ] && order="b a"
  for n in $order; do
    s=socket_$n c=child_$n
    c0=$(cpu "${!c}")
    line=$("$tb" client --socket "${!s}" --load --clients "$clients" --seconds "$seconds" $persistent)
    c1=$(cpu "${!c}")
    ok=$(sed 's/.* ok=\([0-9]*\).*/\1/' <<<"$line"); rps=$(sed 's/.*rps=\([0-9.]*\).*/\1/' <<<"$line")
    printf 'round %2d %s rps %9.1f cpu/req %6.1f us\n' "$r" "$n" "$rps" "$(awk -v a="$c0" -v b="$c1" -v n="$ok" -v hz="$hz" 'BEGIN { print (b - a) * 1e6 / hz / n }')"
  done
done | tee "$work/rounds"
awk '{ v[$2, $3] = $5; u[$2, $3] = $7; if ($2 > m) m = $2 }
  END {
    for (i = 1; i <= m; i++) {
      r = v[i, "b"] / v[i, "a"]; c = u[i, "b"] / u[i, "a"]; s += r; cs += c
      if (i == 1 || r < lo) lo = r; if (i == 1 || r > hi) hi = r
    }
    printf "b/a req/s: mean %.3f (rounds %.2f-%.2f); cpu/req: mean %.3f\n", s / m, lo, hi, cs / m
  }' "$work/rounds"
