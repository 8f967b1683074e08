#!/usr/bin/env bash
# section: 10 relay - requests per second, latency and CPU per request through lonc (loncPipelineDepth 1 and 8), the C relay and the Perl 1.53 child; 64 clients x 1000 requests; allocation per request
# The same load generator (lonc-testbed client --load: echo:<id>-<seq>-<26 bytes>, every reply checked against its
# own request) goes through each relay in turn: lonnet's pattern (a connection per request) and persistent
# connections, 1 and 8 clients, the relays in turn and the order rotated each round; a ratio is the median of
# the per-round ratios. LegacyLonc depth 1 is the h1 child of a 10-host daemon, depth 8 the h1 child of a 1-host
# daemon with loncPipelineDepth 8 on the same address; the Perl child connects to the same emulator; the C relay
# (gcc -O2, in the work directory) sits in front of a handshake-less emulator on 127.0.0.1. The Perl and C rows
# are skipped, with the reason, when the baseline is missing. Allocation: the children run with LONC_DEBUG_STATS
# and a USR1 reading before and after each lonc run gives bytes and GC collections per request.
source "$(dirname "$0")/lib.bash"
ensure_build
section_header
command -v perl >/dev/null || die "perl is not installed (needed by the probes and the Perl 1.53 baseline)"

have_perl=no have_c=no perl_skip="" c_skip=""
if [ ! -f "$perl_child" ]; then
  perl_skip="$perl_child not found (set BENCH_BASELINE or BENCH_PERL_CHILD)"
elif ! perl -MCrypt::GCrypt -e1 2>/dev/null; then
  note "installing libcrypt-gcrypt-perl (Crypt::GCrypt for the Perl baseline)"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq libcrypt-gcrypt-perl; } >&2 || die "could not install libcrypt-gcrypt-perl"
  have_perl=yes
else
  have_perl=yes
fi
if [ ! -f "$c_relay_src" ]; then c_skip="$c_relay_src not found (set BENCH_BASELINE or BENCH_C_RELAY)"
elif ! command -v gcc >/dev/null; then c_skip="gcc is not installed"
elif ! gcc -O2 -pthread -o "$work/c-relay" "$c_relay_src" 2>"$work/c-relay.build"; then c_skip="gcc failed: $(head -c 300 "$work/c-relay.build")"
else have_c=yes; fi

serve "$work/relay" 10 "$work/relay.stats"
sb=$work/relay lond1=$lond_pid d1_parent=$parent_pid d1_children=("${child_pids[@]}")
map_children "$work/relay.stats"; lpid=${host_pid[$h1]:?cannot find the lonc child for h1}
# Depth 8: a 1-host daemon whose h1 is the same address, answered by the same emulator.
make_sandbox "$work/relay8" 1 0
echo "PerlSetVar loncPipelineDepth 8" >>"$work/relay8/conf/loncapa.conf"
export LONC_DEBUG_STATS=$work/relay8.stats; : >"$LONC_DEBUG_STATS"
start_lonc "$work/relay8"; unset LONC_DEBUG_STATS
ready8=$(wait_ready "$work/relay8" 60 "$(date +%s.%N)")
[ "$(field answered "$ready8")" = 1 ] || die "lonc at depth 8 did not serve: $ready8"
find_children; map_children "$work/relay8.stats"; l8pid=${host_pid[$h1]:?cannot find the depth-8 child}
d8_parent=$parent_pid d8_children=("${child_pids[@]}")

ppid_=""
if [ $have_perl = yes ]; then
  perl "$perl_child" "$work/perl.sock" "$h1ip" "$port" "$h1" sandl1 >"$work/perl.out" 2>&1 &
  ppid_=$!; track $ppid_
  for _ in $(seq 1 100); do [ -S "$work/perl.sock" ] && break; kill -0 $ppid_ 2>/dev/null || break; sleep 0.1; done
  [ -S "$work/perl.sock" ] || die "the Perl child did not come up: $(cat "$work/perl.out")"
fi
cpid="" cup_pid="" cpure_pid=""
if [ $have_c = yes ]; then
  "$tb" lond --listen 127.0.0.1=c1 --port $((port + 1)) --no-handshake >"$work/c-lond.out" 2>&1 &
  cup_pid=$!; track $cup_pid
  for _ in $(seq 1 100); do grep -q listening "$work/c-lond.out" && break; kill -0 $cup_pid 2>/dev/null || break; sleep 0.1; done
  "$work/c-relay" relay "$work/c.sock" $((port + 1)) >"$work/c-relay.out" 2>&1 & cpid=$!; track $cpid
  # The reference line: the C stack alone (its echo server, its relay, its own client, which checks reply lengths only).
  "$work/c-relay" echo-tcp $((port + 2)) >/dev/null 2>&1 & track $!
  sleep 0.2
  "$work/c-relay" relay "$work/c-pure.sock" $((port + 2)) >/dev/null 2>&1 & cpure_pid=$!; track $cpure_pid
  for _ in $(seq 1 100); do [ -S "$work/c.sock" ] && [ -S "$work/c-pure.sock" ] && break; sleep 0.1; done
  [ -S "$work/c.sock" ] && [ -S "$work/c-pure.sock" ] || die "the C relay did not come up: $(cat "$work/c-relay.out")"
fi

out "== relay: the lond emulator alone (Perl client, TCP, init then echo lines, one in flight per connection)"
for c in 1 8; do
  p=$(perl "$here/lond-probe.pl" "$h1ip" "$port" "$probe_secs" "$c" 2>&1 | tail -n 1)
  outf '   %d connection(s): %8s req/s, mean %s us, mismatches %s\n' "$c" "$(field rps "$p")" "$(field mean_us "$p")" "$(field mismatches "$p")"
done
out "   (a lower bound for the emulator: the relay rows below must stay well under it)"

impls=()
declare -A I_SOCK I_PID I_NAME
add_impl() { impls+=("$1"); I_NAME[$1]=$2 I_SOCK[$1]=$3 I_PID[$1]=$4; }
declare -A I_UP=([c]=$cup_pid [lonc]=$lond1 [lonc8]=$lond1 [perl]=$lond1)
[ $have_c = yes ] && add_impl c "C relay" "$work/c.sock" "$cpid"
add_impl lonc "LegacyLonc depth 1" "$sb/sockets/$h1" "$lpid"
add_impl lonc8 "LegacyLonc depth 8" "$work/relay8/sockets/$h1" "$l8pid"
[ $have_perl = yes ] && add_impl perl "Perl 1.53 child" "$work/perl.sock" "$ppid_"
declare -A STATS=([lonc]=$work/relay.stats [lonc8]=$work/relay8.stats)
for i in "${impls[@]}"; do "$tb" client --socket "${I_SOCK[$i]}" --load --clients 8 --seconds "$warm" --payload-bytes 26 >/dev/null 2>&1 || true; done

declare -A R   # R[impl,row,key,round], R[impl,row,key] (medians, sums)
paired() { local r; for ((r = 1; r <= relay_rounds; r++)); do ratio "${R[$1,$3,$4,$r]:-0}" "${R[$2,$3,$4,$r]:-0}"; echo; done | med; }
load0=$(cut -d' ' -f1-3 /proc/loadavg)
for row in "${rows[@]}"; do
  flag=(); [ "${row%-*}" = yes ] && flag=(--persistent)
  for ((r = 1; r <= relay_rounds; r++)); do
    k=$(( (r - 1) % ${#impls[@]} )); order=("${impls[@]:$k}" "${impls[@]:0:$k}")
    for i in "${order[@]}"; do
      note "$(rowname "$row"), round $r of $relay_rounds: ${I_NAME[$i]}"
      [ -n "${STATS[$i]:-}" ] && s0=$(read_stats "${STATS[$i]}" "${I_PID[$i]}")
      L=$(run_row "${I_SOCK[$i]}" "${I_PID[$i]}" "${I_UP[$i]}" --clients "${row#*-}" --seconds "$relay_secs" "${flag[@]}")
      for k in rps p50_us p99_us cpu_us rest_us; do R[$i,$row,$k,$r]=$(field $k "$L"); done
      R[$i,$row,fail]=$(( ${R[$i,$row,fail]:-0} + $(field failures "$L") + $(field mismatches "$L") ))
      if [ -n "${STATS[$i]:-}" ]; then   # Δrequests Δbytes Δgen0 Δgen1 Δgen2, summed over the rounds
        s1=$(read_stats "${STATS[$i]}" "${I_PID[$i]}")
        R[$i,$row,alloc]=$(awk -v a="$s0" -v b="$s1" -v acc="${R[$i,$row,alloc]:-0 0 0 0 0}" 'BEGIN { split(a, x); split(b, y); split(acc, s);
          printf "%d %d %d %d %d", s[1] + y[3] - x[3], s[2] + y[4] - x[4], s[3] + y[5] - x[5], s[4] + y[6] - x[6], s[5] + y[7] - x[7] }')
      fi
    done
  done
  for i in "${impls[@]}"; do
    for k in rps p50_us p99_us cpu_us rest_us; do R[$i,$row,$k]=$(for ((r = 1; r <= relay_rounds; r++)); do echo "${R[$i,$row,$k,$r]}"; done | med); done
  done
  if [ $have_c = yes ]; then
    cl=$("$work/c-relay" client uds "$work/c-pure.sock" "$([ "${row%-*}" = yes ] && echo 1 || echo 0)" "${row#*-}" "$relay_secs" 2>&1 | tail -n 1)
    R[cpure,$row]=$(sed -E 's/.*: ([0-9.]+) req\/s +p50=([0-9.]+)us p99=([0-9.]+)us.*/\1 \2 \3/' <<<"$cl")
  fi
done

out "== relay: $relay_rounds rounds of ${relay_secs} s per relay and row; req/s, p50, p99, cpu/req: medians of the rounds;"
out "   fail: failures + mismatches; cpu/req: the relay's CPU per request (us), rest: load client + emulator"
[ $have_c = yes ] || out "   C relay: skipped ($c_skip)"
[ $have_perl = yes ] || out "   Perl 1.53 child: skipped ($perl_skip)"
fmt='   %-26s %-20s %9s %7s %7s %5s %8s %8s\n'
outf "$fmt" pattern relay req/s p50us p99us fail cpu/req rest/req
for row in "${rows[@]}"; do
  for i in "${impls[@]}"; do
    outf "$fmt" "$(rowname "$row")" "${I_NAME[$i]}" "${R[$i,$row,rps]}" "${R[$i,$row,p50_us]}" "${R[$i,$row,p99_us]}" "${R[$i,$row,fail]}" "${R[$i,$row,cpu_us]}" "${R[$i,$row,rest_us]}"
  done
  if [ $have_c = yes ]; then read -r a b c <<<"${R[cpure,$row]}"; outf '   %-26s %-20s %9s %7s %7s   (no reply check, no emulator)\n' "$(rowname "$row")" "C stack alone" "$a" "${b%.*}" "${c%.*}"; fi
done
out "   paired ratios (median of the per-round ratios):"
outf '   %-26s %9s %9s %9s %9s %9s %9s\n' pattern "d8/C" "d8/C p99" "d8/d1" "d1/Perl" "d1/P p50" "d1/P cpu"
fails=0
for row in "${rows[@]}"; do
  key=$(rowkey "$row")
  a=$(paired lonc8 c "$row" rps) b=$(paired lonc8 c "$row" p99_us) c=$(paired lonc8 lonc "$row" rps)
  d=$(paired lonc perl "$row" rps) e=$(paired lonc perl "$row" p50_us) f=$(paired lonc perl "$row" cpu_us)
  outf '   %-26s %9s %9s %9s %9s %9s %9s\n' "$(rowname "$row")" "$a" "$b" "$c" "$d" "$e" "$f"
  target "relay.d1_perl.$key" "$d"; target "relay.d1_perl_p50.$key" "$e"
  [ "${row#*-}" = 8 ] && { target "relay.d8_c.$key" "$a"; target "relay.d8_c_p99.$key" "$b"; }
  [ "${row#*-}" = 1 ] && target "relay.d8_d1.$key" "$c"
  fails=$((fails + ${R[lonc,$row,fail]} + ${R[lonc8,$row,fail]}))
done
target relay.failures "$fails"
out "   load average: $load0 at the first row, $(cut -d' ' -f1-3 /proc/loadavg) after the last"

out "   64 clients x $((big_requests / 64)) requests (lonnet pattern), every reply checked against its own request:"
for i in lonc lonc8 perl; do
  [ -n "${I_SOCK[$i]:-}" ] || continue
  B=$(run_row "${I_SOCK[$i]}" "${I_PID[$i]}" "${I_UP[$i]}" --clients 64 --requests "$big_requests")
  bad=$(( $(field failures "$B") + $(field mismatches "$B") + big_requests - $(field ok "$B") ))
  outf '   %-20s %9s req/s  p50 %6s us  p99 %6s us   ok=%s of %s (failures %s, mismatches %s)\n' "${I_NAME[$i]}" \
    "$(field rps "$B")" "$(field p50_us "$B")" "$(field p99_us "$B")" "$(field ok "$B")" "$big_requests" "$(field failures "$B")" "$(field mismatches "$B")"
  [ $i = perl ] || target "relay.64x1000.$([ $i = lonc ] && echo d1 || echo d8)" "$bad"
done

out "== relay: allocation in the h1 children, all rounds (GC.GetTotalAllocatedBytes and collection counts, read on USR1)"
outf '   %-26s %-20s %10s %10s %6s %6s %6s\n' pattern relay bytes/req requests Δgen0 Δgen1 Δgen2
alloc_lonnet=0 alloc_persistent=0 gen2=0
for row in "${rows[@]}"; do
  for i in lonc lonc8; do
    read -r n bytes g0 g1 g2 <<<"${R[$i,$row,alloc]}"
    per=$(awk -v b="$bytes" -v n="$n" 'BEGIN { if (n > 0) printf "%.0f", b / n; else print "n/a" }')
    outf '   %-26s %-20s %10s %10s %6s %6s %6s\n' "$(rowname "$row")" "${I_NAME[$i]}" "$per" "$n" "$g0" "$g1" "$g2"
    if [ "${row%-*}" = yes ]; then alloc_persistent=$(awk -v a="$alloc_persistent" -v b="$per" 'BEGIN { print (b + 0 > a + 0) ? b : a }')
    else alloc_lonnet=$(awk -v a="$alloc_lonnet" -v b="$per" 'BEGIN { print (b + 0 > a + 0) ? b : a }'); fi
    gen2=$((gen2 + g2))
  done
done
target relay.alloc.lonnet "$alloc_lonnet"; target relay.alloc.persistent "$alloc_persistent"; target relay.gen2 "$gen2"

out "== relay: memory after the rows"
mem_report "LegacyLonc depth 1, the h1 child" "$lpid"
mem_report "LegacyLonc depth 1, parent" "$d1_parent"
[ -n "$ppid_" ] && mem_report "Perl 1.53 child" "$ppid_"
out "== relay: lonc.log of the two daemons"
log_problems "$sb"; log_problems "$work/relay8"
parent_pid=$d8_parent child_pids=("${d8_children[@]}"); stop_daemon
parent_pid=$d1_parent child_pids=("${d1_children[@]}"); stop_daemon
