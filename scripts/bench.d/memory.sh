#!/usr/bin/env bash
# section: 20 memory - PSS and RSS of every lonc process (/proc/<pid>/smaps_rollup) at 10 and at 100 hosts, after load
# 10 hosts: one emulator, the daemon, 8 clients of lonnet-pattern load on h1. 100 hosts (one emulator on all 100
# addresses): every child relays a few pings, then h1 gets 8 clients of load long enough to cycle its gen0 budget,
# then every process is read. Targets: the mean PSS per child, the RSS of the busy child and of the parent.
source "$(dirname "$0")/lib.bash"
ensure_build
section_header

out "== memory at 10 hosts (h1: ${h1load100} s of 8-client lonnet-pattern load)"
serve "$work/m10" 10 "$work/m10.stats"
map_children "$work/m10.stats"
"$tb" client --socket "$work/m10/sockets/$h1" --load --clients 8 --seconds "$h1load100" --payload-bytes 26 >/dev/null 2>&1 || true
mem_report "10 hosts: children" "${child_pids[@]}"
mem_report "10 hosts: the loaded h1 child" "${host_pid[$h1]:-0}"
mem_report "10 hosts: parent" "$parent_pid"
stop_daemon; stop_pids "$lond_pid"

serve "$work/m100" 100 "$work/m100.stats"
note "100 hosts: $rounds100 pings through every child, ${h1load100} s of load on h1"
rounds=$(wait_ready "$work/m100" 60 "$(date +%s.%N)" "$rounds100" | grep '^rounds=' || echo "rounds=0 failures=?")
map_children "$work/m100.stats"
hl=$("$tb" client --socket "$work/m100/sockets/h1" --load --clients 8 --seconds "$h1load100" --payload-bytes 26 2>/dev/null | grep '^load ' || echo "load requests=0 failures=-1")
out "== memory at 100 hosts (every child relayed $rounds100 pings, failures $(field failures "$rounds"); h1 then $(field requests "$hl") requests in ${h1load100} s, failures $(field failures "$hl"))"
mem_report "100 hosts: children" "${child_pids[@]}"
target memory.child_pss_mean "$(mib "$mem_mean_pss")"
mem_report "100 hosts: the loaded h1 child" "${host_pid[h1]:-0}"
target memory.busy_child_rss "$(mib "$mem_max_rss")"
mem_report "100 hosts: parent" "$parent_pid"
target memory.parent_rss "$(mib "$mem_max_rss")"
out "   total PSS of lonc at 100 hosts: $(mib "$(for p in "$parent_pid" "${child_pids[@]}"; do mem_kib "$p"; done | awk '{ s += $2 } END { print s + 0 }')") MiB"
log_problems "$work/m100"
stop_daemon; stop_pids "$lond_pid"
