#!/usr/bin/env bash
# section: 30 startup - seconds from starting lonc until every one of 100 host sockets answers ping, loncPongDelay 5 and 0
# A fresh 100-host sandbox for each delay, one emulator on all 100 addresses; ping-all.pl sends a lonnet-style ping
# to every socket until each answers its host id. The CPU lonc used by then is read from /proc/<pid>/task/*/schedstat
# (nanoseconds: a native child's few milliseconds vanish in the 10 ms ticks of /proc/<pid>/stat).
source "$(dirname "$0")/lib.bash"
ensure_build
section_header

out "== start-up at 100 hosts: seconds from starting lonc until every host socket answers ping with its host id"
for pong in 5 0; do
  sb=$work/s100-pong$pong
  make_sandbox "$sb" 100 "$pong"
  start_lond "$sb"
  t0=$(date +%s.%N)
  start_lonc "$sb"
  ready=$(wait_ready "$sb" $((pong + 60)) "$t0")
  find_children
  cpu=$(for p in "$parent_pid" "${child_pids[@]}"; do cat /proc/"$p"/task/*/schedstat 2>/dev/null; done | awk '{ s += $1 } END { printf "%.2f", s / 1e9 }')
  s=$(field seconds "$ready"); [ "$(field answered "$ready")" = 100 ] || s=n/a
  outf '   loncPongDelay %s: %s of 100 hosts serving after %s s; CPU used by lonc by then: %s s\n' "$pong" "$(field answered "$ready")" "$(field seconds "$ready")" "$cpu"
  target "startup.pong$pong" "$s"
  log_problems "$sb"
  stop_daemon; stop_pids "$lond_pid"
done
out "   (CPU: parent + children, user + system; on $(nproc) cores that alone takes at least CPU / $(nproc) of wall time)"
