#!/usr/bin/env bash
# section: 40 logging - the cost of lonc.log's set-up in one process (wall, CPU, PSS), and against an older build with --old DIR
# lonc-testbed log-writer --lines 3 --timing: LoncLog.Open exactly as lonc calls it, then three lines. The writer of
# a publish DIR is DIR/logwriter/lonc-testbed (the ReadyToRun log writer this section builds) or else
# DIR/testbed/lonc-testbed. Runs of the two builds alternate; the wall ratio is the median of the pair ratios.
# Then copies of each are kept alive at once (waiting between two lines, as children idle) and their mean PSS read.
#   scripts/bench.d/logging.sh [--old DIR] [--new DIR]   (--new: default the bench's publish, out/bench)
source "$(dirname "$0")/lib.bash"
command -v dotnet >/dev/null || die "dotnet is not installed"
new=${new_bin:-$bin}
if [ -z "$new_bin" ] && { [ $build = yes ] || [ ! -x "$bin/logwriter/lonc-testbed" ]; }; then
  note "building the log writer of this tree (ReadyToRun) into $bin/logwriter"
  dotnet publish LegacyLonc.Testbed/LegacyLonc.Testbed.csproj -c Release -o "$bin/logwriter" -p:PublishReadyToRun=true -v q -nologo >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; die "publish of the log writer failed"; }
fi
writer_of() { if [ -x "$1/logwriter/lonc-testbed" ]; then echo "$1/logwriter/lonc-testbed"; elif [ -x "$1/testbed/lonc-testbed" ]; then echo "$1/testbed/lonc-testbed"; else die "no log writer in $1 (logwriter/ or testbed/lonc-testbed)"; fi; }
declare -A W=([new]=$(writer_of "$new"))
builds=(new); [ -n "$old_bin" ] && { W[old]=$(writer_of "$old_bin"); builds=(old new); }
section_header
d=$work/logwriter; mkdir -p "$d/logs"

# writer_run WRITER: "wall_us ticks open_ms" (ticks: the writer's CPU, read from the subshell that waited for it)
writer_run() {
  local o
  o=$(
    s=$EPOCHREALTIME
    "$1" log-writer --daemons "$d" --host h1 --lines 3 --timing 2>&1
    e=$EPOCHREALTIME
    echo "wall_us=$(( ${e/./} - ${s/./} ))"
    awk '{ sub(/.*\) /, ""); print "ticks=" $14 + $15 }' "/proc/$BASHPID/stat"
  )
  printf '%s %s %s\n' "$(sed -n 's/^wall_us=//p' <<<"$o")" "$(sed -n 's/^ticks=//p' <<<"$o")" "$(sed -n 's/^open: \([0-9.]*\) ms.*/\1/p' <<<"$o")"
}
note "logging set-up: $log_runs runs of each writer, in turn"
for v in "${builds[@]}"; do writer_run "${W[$v]}" >/dev/null; done
: >"$work/runs"
for ((i = 0; i < log_runs; i++)); do for v in "${builds[@]}"; do echo "$v $(writer_run "${W[$v]}")" >>"$work/runs"; done; done

declare -A wall cpu open pss
for v in "${builds[@]}"; do
  wall[$v]=$(awk -v v=$v '$1 == v { printf "%.1f\n", $2 / 1000 }' "$work/runs" | med)
  cpu[$v]=$(awk -v v=$v -v hz="$hz" '$1 == v { s += $3; n++ } END { printf "%.0f", s * 1000 / hz / n }' "$work/runs")
  open[$v]=$(awk -v v=$v '$1 == v { print $4 }' "$work/runs" | med)
  rm -rf "$d.$v" && mkdir -p "$d.$v/logs"
  pids=() sum=0
  note "logging set-up: $log_alive $v writers alive at once"
  for ((i = 1; i <= log_alive; i++)); do
    "${W[$v]}" log-writer --daemons "$d.$v" --host "h$i" --lines 2 --interval-ms 120000 >/dev/null 2>&1 &
    pids+=($!); track $!
  done
  for _ in $(seq 1 600); do n=$( { wc -l <"$d.$v/logs/lonc.log"; } 2>/dev/null || echo 0); [ "$n" -ge "$log_alive" ] && break; sleep 0.1; done
  sleep 1
  for pid in "${pids[@]}"; do read -r _ ps < <(mem_kib "$pid"); sum=$((sum + ps)); done
  pss[$v]=$(awk -v s="$sum" -v n="$log_alive" 'BEGIN { printf "%.2f", s / n / 1024 }')
  stop_pids "${pids[@]}"
done

out "== logging set-up per process: lonc-testbed log-writer --lines 3, $log_runs runs$([ -n "$old_bin" ] && echo ", old = $old_bin"), new = $new"
outf '   %-40s %10s %10s   %s\n' "" "${builds[@]}" "$([ -n "$old_bin" ] && echo new/old)"
if [ -n "$old_bin" ]; then
  paired=$(awk '$1 == "old" { b = $2 } $1 == "new" { print $2 / b }' "$work/runs" | med)
  dpss=$(awk -v a="${pss[new]}" -v b="${pss[old]}" 'BEGIN { printf "%+.2f", a - b }')
  outf '   %-40s %10s %10s   %s (median of pairs)\n' "wall, median ms" "${wall[old]}" "${wall[new]}" "$paired"
  outf '   %-40s %10s %10s   %s\n' "CPU (user+system), mean ms" "${cpu[old]}" "${cpu[new]}" "$(ratio "${cpu[new]}" "${cpu[old]}")"
  outf '   %-40s %10s %10s   %s\n' "set-up inside the process, median ms" "${open[old]}" "${open[new]}" "$(ratio "${open[new]}" "${open[old]}")"
  outf '   %-40s %10s %10s   %s MiB\n' "PSS per process, $log_alive alive, mean MiB" "${pss[old]}" "${pss[new]}" "$dpss"
else
  paired=n/a dpss=n/a
  outf '   %-40s %10s\n' "wall, median ms" "${wall[new]}" "CPU (user+system), mean ms" "${cpu[new]}" \
    "set-up inside the process, median ms" "${open[new]}" "PSS per process, $log_alive alive, mean MiB" "${pss[new]}"
  out "   (no --old DIR: the comparison targets read n/a)"
fi
target logging.wall_ratio "$paired"
target logging.pss_delta "${dpss#+}"
