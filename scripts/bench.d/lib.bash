# What every bench section shares: options, the build, the work directory and its clean-up, sandboxes, the lond
# emulator, the daemon, load runs, memory readings and the targets of targets.tsv. Sourced by each section
# (scripts/bench.d/<section>.sh); not a section itself. Options every section takes:
#   --quick        smoke run: short rows, few requests (numbers not comparable)
#   --no-build     use the existing publishes (out/bench, out/bench-r2r)
#   --bin DIR      the publish measured: DIR/lonc and DIR/testbed/lonc-testbed (implies --no-build)
#   --r2r-bin DIR  the ReadyToRun publish the native section compares with (default out/bench-r2r)
#   --old DIR --new DIR   two publishes to compare (native and logging sections; scripts/bench compare)
#   --lonc-env NAME=VALUE an environment variable for lonc only, to try a runtime setting
#   --minutes N    length of the soak (default 30; 1 with --quick)
#   --keep         keep the work directory (sandboxes, logs)
# Environment: BENCH_BASELINE (the Perl 1.53 child and the C relay; default ../shared/baseline beside the
# repository), BENCH_PERL_CHILD, BENCH_C_RELAY (one file each), BENCH_PORT, BENCH_BLOCK (loopback addresses).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$root/scripts/bench.d
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

quick=no build=yes keep=no bin=$root/out/bench r2r_bin=$root/out/bench-r2r old_bin="" new_bin="" minutes="" lonc_env=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=yes ;;
    --no-build) build=no ;;
    --bin) bin=$(cd "${2:?--bin needs a directory}" && pwd); build=no; shift ;;
    --r2r-bin) r2r_bin=$(cd "${2:?--r2r-bin needs a directory}" && pwd); shift ;;
    --old) old_bin=$(cd "${2:?--old needs a directory}" && pwd); shift ;;
    --new) new_bin=$(cd "${2:?--new needs a directory}" && pwd); shift ;;
    --lonc-env) [[ ${2:-} == *=* ]] || { echo "bench: --lonc-env needs NAME=VALUE" >&2; exit 64; }; lonc_env+=("$2"); shift ;;
    --minutes) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "bench: --minutes takes whole minutes >= 1" >&2; exit 64; }; minutes=$2; shift ;;
    --keep) keep=yes ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1 (try --help)" >&2; exit 64 ;;
  esac
  shift
done

if [ $quick = yes ]; then
  secs=1.5 warm=1 big_requests=6400 probe_secs=1 rounds100=2 h1load100=1.5 relay_rounds=1 relay_secs=1.5 cmp_pairs=2
  log_runs=6 log_alive=10 soak_minutes=${minutes:-1}
else
  secs=10 warm=2 big_requests=64000 probe_secs=5 rounds100=20 h1load100=10 relay_rounds=5 relay_secs=3 cmp_pairs=4
  log_runs=20 log_alive=50 soak_minutes=${minutes:-30}
fi
port=${BENCH_PORT:-17663}   # lond port of the sandboxes
block=${BENCH_BLOCK:-200}   # hosts on 127.0.<block>.11 and up, away from the tests' addresses
# The baselines are measuring instruments kept beside the repository, never copied in; from a git worktree,
# "beside the repository" means beside the main checkout.
baseline=${BENCH_BASELINE:-$root/../shared/baseline}
if [ -z "${BENCH_BASELINE:-}" ] && [ ! -d "$baseline" ] && common=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null); then
  baseline=$(dirname "$common")/../shared/baseline
fi
perl_child=${BENCH_PERL_CHILD:-$baseline/perl-lonc-child.pl}
c_relay_src=${BENCH_C_RELAY:-$baseline/c-relay.c}
user=$(id -un)
hz=$(getconf CLK_TCK)
work=$(mktemp -d "${TMPDIR:-/tmp}/lonc-bench.XXXXXX")
lonc=$bin/lonc
tb=$bin/testbed/lonc-testbed

# ---------------------------------------------------------------- output, targets, clean-up
out() { printf '%s\n' "$*"; }
outf() { local f=$1; shift; printf "$f" "$@"; }
note() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# Targets: one line per measure in targets.tsv (key, comparison, limit, what). A section calls
# "target KEY VALUE"; the verdict goes to $BENCH_TARGETS (the driver's summary) or, alone, to the section's own.
standalone_targets=no
if [ -z "${BENCH_TARGETS:-}" ]; then BENCH_TARGETS=$work/targets; standalone_targets=yes; : >"$BENCH_TARGETS"; fi
target() {
  local key=$1 value=$2 op limit what ok
  IFS=$'\t' read -r _ op limit what < <(awk -F'\t' -v k="$key" '$1 == k' "$here/targets.tsv") || die "no target $key in targets.tsv"
  ok=$(awk -v a="$value" -v op="$op" -v b="$limit" 'BEGIN {
    if (a == "n/a" || a == "") { print "n/a"; exit }
    r = (op == ">=") ? a + 0 >= b + 0 : (op == "<=") ? a + 0 <= b + 0 : a == b
    print r ? "met" : "MISSED" }')
  printf '%-64s %-12s %-10s %s\n' "$what" "$value" "$op $limit" "$ok" >>"$BENCH_TARGETS"
}
print_targets() {   # print_targets FILE: the table of verdicts
  outf '   %-64s %-12s %-10s %s\n' measure value target result
  sed 's/^/   /' "$1"
}
started=()   # every pid this section started, in start order
grandkids=() # children a lonc parent started (the parent stops them; checked afterwards)
cleanup() {
  local rc=$? pid i
  trap - EXIT INT TERM
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    pid=${started[i]}
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for pid in "${started[@]}" "${grandkids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then note "pid $pid ignored SIGTERM; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
  done
  if [ $standalone_targets = yes ] && [ -s "$BENCH_TARGETS" ] && [ $rc = 0 ]; then out "== Targets"; print_targets "$BENCH_TARGETS"; fi
  if [ $keep = yes ]; then note "work directory kept: $work"; else rm -rf "$work"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
track() { started+=("$1"); }

# stop_pids PID...: TERM, wait up to 10 s, then KILL (only pids this section started)
stop_pids() {
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then note "pid $pid ignored SIGTERM; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
  done
}

# ---------------------------------------------------------------- numbers
cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }   # utime+stime, all threads
mem_kib() { awk '/^Rss:/{r=$2} /^Pss:/{p=$2} END{print r+0, p+0}' "/proc/$1/smaps_rollup" 2>/dev/null || echo "0 0"; }
field() { awk -v k="$1" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) { print kv[2]; exit } } }' <<<"$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "n/a" && b != "n/a" && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
# med: the median of the numbers on stdin (n/a when none)
med() { grep -E '^[0-9.]+$' | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
rows=(no-1 no-8 yes-1 yes-8)   # the four relay rows: persistent?-clients
rowname() { local persist=${1%-*} clients=${1#*-}; echo "$([ "$persist" = yes ] && echo persistent || echo "lonnet pattern"), $clients client$([ "$clients" = 1 ] || echo s)"; }
rowkey() { echo "$([ "${1%-*}" = yes ] && echo persistent || echo lonnet)-${1#*-}"; }

# ---------------------------------------------------------------- build
# publish_native DIR / publish_r2r DIR: the native lonc and the testbed / the ReadyToRun lonc of this tree
publish_native() {
  note "building the native lonc and the testbed into $1"
  bash scripts/publish "$1" --quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "publish of the native lonc failed"; }
  dotnet publish LegacyLonc.Testbed/LegacyLonc.Testbed.csproj -c Release -o "$1/testbed" -v q -nologo >>"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; die "publish of the testbed failed"; }
}
publish_r2r() {
  note "building the ReadyToRun lonc into $1"
  bash scripts/publish "$1" --ready-to-run --quiet >>"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "publish of the ReadyToRun lonc failed"; }
}
ensure_build() {
  command -v dotnet >/dev/null || die "dotnet is not installed (the .NET 10 SDK is needed to build lonc)"
  # The driver publishes once for every section (BENCH_BUILT); a section alone publishes itself.
  [ $build = no ] || [ -n "${BENCH_BUILT:-}" ] || publish_native "$bin"
  [ -x "$lonc" ] && [ -x "$tb" ] || die "no lonc and testbed/lonc-testbed in $bin (run without --no-build)"
}
# lonc_kind FILE: a ReadyToRun single file starts through the .NET host (libhostfxr); a native one does not
lonc_kind() { if grep -q -a -m1 'libhostfxr' "$1" 2>/dev/null; then echo "ReadyToRun single file"; else echo "Native AOT"; fi; }
section_header() {   # section_header: what was measured, when alone (the driver prints it once for all)
  [ -n "${BENCH_BUILT:-}" ] && return 0
  out "LegacyLonc bench $(date '+%Y-%m-%d %H:%M:%S %Z')$([ $quick = yes ] && echo '  (--quick: numbers not comparable)'); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); $bin ($(lonc_kind "$lonc")); load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# ---------------------------------------------------------------- sandboxes, emulator, daemon
# make_sandbox DIR HOSTS PONGDELAY: writes the tree; "hostid ip" per host into DIR.hosts
make_sandbox() {
  "$tb" sandbox "$1" --hosts "$2" --port "$port" --block "$block" --set loncPongDelay="$3" >"$1.out" \
    || die "lonc-testbed sandbox failed: $(cat "$1.out")"
  awk '$3 == "socket" { print $1, $2 }' "$1.out" >"$1.hosts"
}
# start_lond DIR: one emulator for every host of the sandbox; sets lond_pid
start_lond() {
  "$tb" lond --sandbox "$1" >"$1.lond.out" 2>&1 &
  lond_pid=$!; track $lond_pid
  for _ in $(seq 1 200); do
    grep -q listening "$1.lond.out" && return 0
    kill -0 $lond_pid 2>/dev/null || break
    sleep 0.1
  done
  die "lond emulator did not come up: $(cat "$1.lond.out")"
}
# start_lonc DIR [LONC]: the daemon in the foreground; sets parent_pid (child_pids: find_children)
start_lonc() {
  child_pids=()
  env "${lonc_env[@]}" "${2:-$lonc}" --conf-dir "$1/conf" --user "$user" --foreground >"$1.lonc.out" 2>&1 &
  parent_pid=$!; track $parent_pid
  sleep 0.5
  kill -0 "$parent_pid" 2>/dev/null || die "the lonc parent exited at once: $(head -c 300 "$1.lonc.out")"
}
find_children() { child_pids=($(ps --ppid "$parent_pid" -o pid= 2>/dev/null || true)); grandkids+=("${child_pids[@]}"); }
# stop_daemon: the parent alone gets TERM (it stops its children); then any child still there
stop_daemon() {
  stop_pids "$parent_pid"
  local left=() pid
  for pid in "${child_pids[@]}"; do kill -0 "$pid" 2>/dev/null && left+=("$pid"); done
  if [ ${#left[@]} -gt 0 ]; then out "   NOTE: ${#left[@]} children still running after the parent exited; stopping them"; stop_pids "${left[@]}"; fi
}
# read_stats FILE PID...: USR1 to each pid (children started with LONC_DEBUG_STATS=FILE), waits (<= 5 s) for
# their lines "pid host requests bytes gen0 gen1 gen2"; prints the new lines
read_stats() {
  local file=$1; shift
  local before after want=$#
  before=$(wc -l <"$file" 2>/dev/null || echo 0)
  kill -USR1 "$@" 2>/dev/null || true
  for _ in $(seq 1 100); do
    after=$(wc -l <"$file" 2>/dev/null || echo 0)
    [ $((after - before)) -ge "$want" ] && break
    sleep 0.05
  done
  tail -n +"$((before + 1))" "$file" 2>/dev/null || true
}
# map_children STATSFILE: host_pid[HOST]=PID for every child, from one reading of all of them
declare -A host_pid
map_children() {
  local pid h
  host_pid=()
  read_stats "$1" "${child_pids[@]}" >/dev/null
  while read -r pid h _; do host_pid[$h]=$pid; done <"$1"
  [ ${#host_pid[@]} -ge ${#child_pids[@]} ] || note "only ${#host_pid[@]} of ${#child_pids[@]} children answered USR1"
}
# wait_ready DIR DEADLINE T0 [ROUNDS]: pings every host socket until all answer (then ROUNDS more each)
wait_ready() {
  local sb=$1 args=() h
  while read -r h _; do args+=("$sb/sockets/$h=$h"); done <"$sb.hosts"
  perl "$here/ping-all.pl" --rounds "${4:-0}" "$3" "$2" "${args[@]}" || true
}
# serve DIR HOSTS [STATSFILE]: sandbox, emulator, daemon, every host answering; sets h1, h1ip and the daemon's pids
serve() {
  local sb=$1 ready
  make_sandbox "$sb" "$2" 0
  start_lond "$sb"
  read -r h1 h1ip < <(head -n 1 "$sb.hosts")
  if [ -n "${3:-}" ]; then export LONC_DEBUG_STATS=$3; : >"$3"; fi
  start_lonc "$sb"
  unset LONC_DEBUG_STATS
  ready=$(wait_ready "$sb" 60 "$(date +%s.%N)")
  [ "$(field answered "$ready")" = "$(field hosts "$ready")" ] || die "lonc did not serve all $2 hosts: $ready"
  find_children
}
log_problems() {   # log_problems DIR: CRITICAL and WARNING lines of the sandbox's lonc.log, counted
  local log=$1/daemons/logs/lonc.log crit warn banner='---------- Starting ----------'
  [ -f "$log" ] || { out "   (no lonc.log)"; return; }
  crit=$(grep 'CRITICAL' "$log" | grep -vc -- "$banner" || true)
  warn=$(grep -c 'WARNING' "$log" || true)
  out "   lonc.log: $(wc -l <"$log") lines, $crit CRITICAL, $warn WARNING (not counting 1.53's red start banner)"
  { grep -E 'CRITICAL|WARNING' "$log" | grep -v -- "$banner" || true; } | sed -E 's/^.*\]: //' | sort | uniq -c | sort -rn | head -5 | sed 's/^/     /'
}

# ---------------------------------------------------------------- load and memory
# run_row SOCKET PID UPSTREAM ARGS...: one lonc-testbed client --load run (every reply checked against its own
# request); prints its load line plus cpu_us (the relay's CPU per request, all threads) and rest_us (the load
# client's and the emulator's CPU per request; the client's read from the waiting subshell's children times)
run_row() {
  local sock=$1 pid=$2 up=$3; shift 3
  local t0 t1 e0 e1 line n client
  t0=$(cpu_ticks "$pid"); e0=$(cpu_ticks "$up")
  line=$(
    "$tb" client --socket "$sock" --load --payload-bytes 26 "$@" 2>"$work/client.err" >"$work/client.out" || true
    awk '{ sub(/.*\) /, ""); print "client_ticks=" $14 + $15 }' "/proc/$BASHPID/stat"
    grep '^load ' "$work/client.out" || true
  )
  t1=$(cpu_ticks "$pid"); e1=$(cpu_ticks "$up")
  client=$(sed -n 's/^client_ticks=//p' <<<"$line")
  line=$(grep '^load ' <<<"$line" || echo "load requests=0 ok=0 failures=-1 mismatches=0 rps=0 p50_us=0 p99_us=0")
  n=$(field requests "$line")
  printf '%s cpu_us=%s rest_us=%s\n' "$line" \
    "$(awk -v d=$((t1 - t0)) -v n="$n" -v hz="$hz" 'BEGIN { if (n > 0) printf "%.1f", d * 1e6 / hz / n; else print "n/a" }')" \
    "$(awk -v d=$((e1 - e0 + ${client:-0})) -v n="$n" -v hz="$hz" 'BEGIN { if (n > 0) printf "%.1f", d * 1e6 / hz / n; else print "n/a" }')"
  if [ -s "$work/client.err" ]; then head -n 3 "$work/client.err" | sed 's/^/    client: /' >&2; fi
}
# mem_report LABEL PIDS...: count, mean/max PSS and RSS; sets mem_max_pss mem_max_rss mem_mean_pss (KiB)
mem_report() {
  local label=$1; shift
  local pid rs ps n=0 sp=0 sr=0 mp=0 mr=0
  for pid in "$@"; do
    read -r rs ps < <(mem_kib "$pid")
    [ "$rs" -gt 0 ] || continue
    n=$((n + 1)); sp=$((sp + ps)); sr=$((sr + rs))
    [ "$ps" -gt $mp ] && mp=$ps
    [ "$rs" -gt $mr ] && mr=$rs
  done
  mem_max_pss=0 mem_max_rss=0 mem_mean_pss=0
  [ $n -gt 0 ] || { outf '   %-34s none found\n' "$label"; return; }
  outf '   %-34s %4d   PSS mean %6s MiB, max %6s MiB   RSS mean %6s MiB, max %6s MiB\n' "$label" $n \
    "$(mib $((sp / n)))" "$(mib $mp)" "$(mib $((sr / n)))" "$(mib $mr)"
  mem_max_pss=$mp mem_max_rss=$mr mem_mean_pss=$((sp / n))
}
