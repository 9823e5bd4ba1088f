#!/bin/sh
# trackproc.sh - vrrp_track_process: an instance faults when the process
# it tracks (weight 0) exits, at once (vigil watches each matching
# process's exit through a pidfd; keepalived's process events connector
# reports nothing inside a network namespace), and leaves Fault once the
# process runs again (found by the scan of /proc, within a second); a
# weighted one moves the priority; parameters are matched as keepalived
# matches them. Prints the exit-to-Fault latency.
#
#   namespace $NS: eth0 (one end of a veth pair) 10.78.0.1/24; the lone
#   instance becomes master and holds 10.78.0.100.
#
# Needs root; skips (77) without it. Ends with "N passed, N failed".
set -u
VIGILD=${VIGILD:?VIGILD must name the vigild to test}
. "$(dirname "$0")/../lib1ns.sh"
ns1_need_root
NS=vtp$$
T=$NS1_TMP
NS1_LOG=$T/log
has_vip() { ip -n "$NS" addr show dev eth0 | grep -qw 10.78.0.100; }
no_vip() { ! has_vip; }
in_log() { grep -qE "$1" "$T/log"; }
ms() { echo $(($(date +%s%N) / 1000000)); }
ns1_add "$NS" 10.78.0.1/24

# The tracked programs: sleep under names of the test's own.
cp "$(command -v sleep)" "$T/vtrk$$"
cp "$(command -v sleep)" "$T/vwgt$$"
cat > "$T/vigil.conf" <<EOC
vrrp_track_process must_run {
    process vtrk$$
}
vrrp_track_process helper {
    process vwgt$$ 300 7
    param_match initial
    weight -30
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 78
    priority 100
    advert_int 0.1
    version 3
    virtual_ipaddress {
        10.78.0.100/24
    }
    track_process {
        must_run weight 0
        helper
    }
}
EOC
"$T/vwgt$$" 300 7 8 &
WPID=$!
NS1_KILL="$NS1_KILL $WPID"
ip netns exec "$NS" "$VIGILD" -n -l -f "$T/vigil.conf" -p "$T/pid" > "$T/log" 2>&1 &
DPID=$!
NS1_KILL="$NS1_KILL $DPID"
check "start: the tracked process does not run: FAULT" wait_for 8 in_log "\(VI_1\) Entering FAULT STATE"
check "start: the weighted one matches (initial parameters)" \
	wait_for 3 in_log "Tracked process helper: 1 running, quorum met"
"$T/vtrk$$" 300 &
TPID=$!
NS1_KILL="$NS1_KILL $TPID"
check "the process starts: quorum gained, found by the scan" wait_for 3 in_log \
	"Quorum gained for tracked process must_run \(1 running\)"
check "... and the instance leaves FAULT and becomes master" wait_for 3 has_vip
t0=$(ms)
kill "$TPID"
wait "$TPID" 2>/dev/null
wait_for 3 no_vip
t1=$(ms)
echo "  (the tracked process killed -> the VIP removed: $((t1 - t0)) ms; the /proc scan runs every 1000 ms)"
check "the process exits: the VIP goes at once, before the next scan (< 500 ms)" [ $((t1 - t0)) -lt 500 ]
check "... quorum lost, said" in_log "Quorum lost for tracked process must_run \(0 running\)"
check "... FAULT again" sh -c "[ \$(grep -c 'Entering FAULT STATE' '$T/log') -ge 2 ]"
kill "$WPID"
wait "$WPID" 2>/dev/null
check "the weighted one exits: weight -30 applies (100 -> 70)" wait_for 3 in_log \
	"\(VI_1\) Changing effective priority from 100 to 70"
kill -TERM "$DPID"
wait "$DPID" 2>/dev/null

ns1_summary
