#!/usr/bin/env bash
# section: 60 soak - scripts/soak for --minutes N (default 30, 1 with --quick): RSS growth, descriptors, misrouted replies, crashes
# Two daemons on 10 loopback hosts (loncPipelineDepth 1 and 8), one lond emulator per host with faults at random,
# a lonnet-pattern and a persistent client per host whose every request carries a unique token, and USR1/USR2/HUP
# now and then (scripts/soak --help). The section runs it on the bench's publish and turns its report into targets.
source "$(dirname "$0")/lib.bash"
ensure_build
section_header
out "== soak: scripts/soak --minutes $soak_minutes on $bin"
report=$work/soak.out
bash scripts/soak --minutes "$soak_minutes" --bin "$bin" | tee "$report" | sed 's/^/   /' || true
growth=$(sed -n 's/^RSS of all lonc processes: .*(\([-+0-9.]*\) %)$/\1/p' "$report" | tail -n 1)
misrouted=$(sed -n 's/^replies matched to their request: \([0-9]*\) of \([0-9]*\) .*/\1 \2/p' "$report" | awk '{ print $2 - $1 }')
crashes=$(sed -n 's/^crashes: \([0-9]*\)$/\1/p' "$report")
fds=$(grep -q '^descriptors: constant' "$report" && echo constant || echo changed)
target soak.rss_growth "${growth#+}"
target soak.descriptors "$fds"
target soak.misrouted "${misrouted:-n/a}"
target soak.crashes "${crashes:-n/a}"
