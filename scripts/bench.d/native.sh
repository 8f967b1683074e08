#!/usr/bin/env bash
# section: 50 native - the native lonc against the ReadyToRun build of the same tree, or any two publishes (--old DIR --new DIR)
# Two daemons at once, each on a 10-host sandbox with an emulator of its own. Each of the four relay rows runs as
# pairs of runs on the two h1 children, the order alternating within the pairs (new first, then old first, ...);
# req/s and p50 are each build's medians, the ratios the medians of the pair ratios (req/s new/old, p50 old/new:
# >= 0.95 means the new build is not worse), CPU per request the mean. Allocation per request from both children's
# counters; memory of both daemons after the rows. Default: new = the native publish (out/bench), old = the
# ReadyToRun publish of the same tree (out/bench-r2r, built here; --r2r-bin DIR to give one).
#   scripts/bench.d/native.sh [--old DIR --new DIR]   (scripts/bench compare --old DIR --new DIR runs this)
source "$(dirname "$0")/lib.bash"
if [ -n "$old_bin$new_bin" ]; then
  [ -n "$old_bin" ] && [ -n "$new_bin" ] || die "give both --old DIR and --new DIR"
  [ -x "$new_bin/testbed/lonc-testbed" ] || ensure_build   # the load generator and emulator come from a testbed
  [ -x "$new_bin/testbed/lonc-testbed" ] && tb=$new_bin/testbed/lonc-testbed
else
  ensure_build
  if [ $build = yes ] || [ ! -x "$r2r_bin/lonc" ]; then publish_r2r "$r2r_bin"; fi
  old_bin=$r2r_bin new_bin=$bin
fi
for v in "$old_bin" "$new_bin"; do [ -x "$v/lonc" ] || die "no lonc in $v"; done
section_header
declare -A B=([new]=$new_bin [old]=$old_bin) C SOCK CHILD PARENT LOND KIDS
for v in new old; do
  # Blocks of their own (the two run at once), next to the ones the other sections use.
  sb=$work/cmp-$v
  block=$((block + $([ $v = new ] && echo 1 || echo 2))) make_sandbox "$sb" 10 0
  start_lond "$sb"
  export LONC_DEBUG_STATS=$work/cmp-$v.stats; : >"$LONC_DEBUG_STATS"
  note "starting the $v lonc ($(lonc_kind "${B[$v]}/lonc")) on 10 hosts"
  start_lonc "$sb" "${B[$v]}/lonc"; unset LONC_DEBUG_STATS
  ready=$(wait_ready "$sb" 60 "$(date +%s.%N)")
  [ "$(field answered "$ready")" = 10 ] || die "the $v lonc did not serve all 10 hosts: $ready"
  find_children; map_children "$work/cmp-$v.stats"
  read -r hid _ < <(head -n 1 "$sb.hosts")
  CHILD[$v]=${host_pid[$hid]:?cannot find the $v child for $hid} PARENT[$v]=$parent_pid LOND[$v]=$lond_pid KIDS[$v]="${child_pids[*]}" SOCK[$v]=$sb/sockets/$hid
  "$tb" client --socket "${SOCK[$v]}" --load --clients 8 --seconds "$warm" --payload-bytes 26 >/dev/null 2>&1 || true
done

half=$(awk -v s="$secs" 'BEGIN { printf "%g", s / 2 }')
for row in "${rows[@]}"; do
  flag=(); [ "${row%-*}" = yes ] && flag=(--persistent)
  pr=() pp=()
  declare -A last=()
  for ((i = 0; i < cmp_pairs; i++)); do
    order="new old"; ((i % 2)) && order="old new"
    for v in $order; do
      note "$(rowname "$row"), pair $((i + 1)) of $cmp_pairs: $v"
      s0=$(read_stats "$work/cmp-$v.stats" "${CHILD[$v]}")
      L=$(run_row "${SOCK[$v]}" "${CHILD[$v]}" "${LOND[$v]}" --clients "${row#*-}" --seconds "$half" "${flag[@]}")
      s1=$(read_stats "$work/cmp-$v.stats" "${CHILD[$v]}")
      last[$v,rps]=$(field rps "$L") last[$v,p50]=$(field p50_us "$L")
      C[$v,$row,rps]+=" ${last[$v,rps]}" C[$v,$row,p50]+=" ${last[$v,p50]}"
      C[$v,$row,cpu]=$(awk -v a="${C[$v,$row,cpu]:-0}" -v b="$(field cpu_us "$L")" -v n="$cmp_pairs" 'BEGIN { printf "%.1f", a + b / n }')
      C[$v,$row,alloc]=$(awk -v a="$s0" -v b="$s1" -v acc="${C[$v,$row,alloc]:-0 0}" 'BEGIN { split(a, x); split(b, y); split(acc, s); printf "%d %d", s[1] + y[3] - x[3], s[2] + y[4] - x[4] }')
    done
    pr+=("$(ratio "${last[new,rps]}" "${last[old,rps]}")") pp+=("$(ratio "${last[old,p50]}" "${last[new,p50]}")")
  done
  C[ratio,$row,rps]=$(printf '%s\n' "${pr[@]}" | med) C[ratio,$row,p50]=$(printf '%s\n' "${pp[@]}" | med)
done

out "== native: new = ${B[new]} ($(lonc_kind "${B[new]}/lonc")), old = ${B[old]} ($(lonc_kind "${B[old]}/lonc"))"
out "   h1 child of a 10-host daemon each, $cmp_pairs pairs of ${half} s runs per row (order alternating)"
fmt='   %-26s | %9s %7s %7s %6s | %9s %7s %7s %6s | %8s %9s %8s\n'
outf "$fmt" "" new "" "" "" old "" "" "" "new/old" "" ""
outf "$fmt" pattern req/s p50us cpu/req B/req req/s p50us cpu/req B/req "req/s" "p50 (o/n)" "cpu/req"
for row in "${rows[@]}"; do
  for v in new old; do
    C[$v,$row,rps_m]=$(printf '%s\n' ${C[$v,$row,rps]} | med) C[$v,$row,p50_m]=$(printf '%s\n' ${C[$v,$row,p50]} | med)
    C[$v,$row,bpr]=$(awk -v s="${C[$v,$row,alloc]}" 'BEGIN { split(s, v); if (v[1] > 0) printf "%.0f", v[2] / v[1]; else print "n/a" }')
  done
  outf "$fmt" "$(rowname "$row")" "${C[new,$row,rps_m]}" "${C[new,$row,p50_m]}" "${C[new,$row,cpu]}" "${C[new,$row,bpr]}" \
    "${C[old,$row,rps_m]}" "${C[old,$row,p50_m]}" "${C[old,$row,cpu]}" "${C[old,$row,bpr]}" \
    "${C[ratio,$row,rps]}" "${C[ratio,$row,p50]}" "$(ratio "${C[new,$row,cpu]}" "${C[old,$row,cpu]}")"
  target "native.rps.$(rowkey "$row")" "${C[ratio,$row,rps]}"
  target "native.p50.$(rowkey "$row")" "${C[ratio,$row,p50]}"
done
out "   (the ratios: medians of the pairs' ratios, higher is better for both; cpu/req: mean, new / old)"
for v in new old; do
  mem_report "10 hosts: children ($v)" ${KIDS[$v]}
  mem_report "10 hosts: the loaded h1 child ($v)" "${CHILD[$v]}"
  mem_report "10 hosts: parent ($v)" "${PARENT[$v]}"
done
for v in new old; do
  parent_pid=${PARENT[$v]}; read -r -a child_pids <<<"${KIDS[$v]}"
  stop_daemon; stop_pids "${LOND[$v]}"
done
