#!/bin/sh
# garp.sh - spacing of gratuitous ARPs per interface: global_defs
# vrrp_garp_interval, and a garp_group's garp_interval for the interfaces
# it names (which wins); without either, a new master's burst goes out at
# once. A lone instance becomes master and announces its three VIPs; a
# watcher on the other end of the wire stamps each gratuitous ARP.
#
#   namespace $NS: eth0 10.79.0.1/24 (the instance) == veth == eth1 (the watcher)
#
# Needs root; skips (77) without it. Ends with "N passed, N failed".
set -u
VIGILD=${VIGILD:?VIGILD must name the vigild to test}
NETWATCH=${NETWATCH:-$(dirname "$VIGILD")/test/tools/netwatch}
[ -x "$NETWATCH" ] || { echo "no $NETWATCH (make test/tools/netwatch)"; exit 99; }
. "$(dirname "$0")/../lib1ns.sh"
ns1_need_root
NS=vga$$
T=$NS1_TMP
NS1_LOG=$T/log
ns1_add "$NS" 10.79.0.1/24

conf() { # GLOBAL_DEFS_LINES [TOP-LEVEL LINES]
	cat <<EOC
global_defs {
    $1
}
${2:-}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 79
    priority 100
    advert_int 0.1
    version 3
    garp_master_repeat 1
    garp_master_delay 0
    virtual_ipaddress {
        10.79.0.101/24
        10.79.0.102/24
        10.79.0.103/24
    }
}
EOC
}

# gaps CONF: run vigild on CONF until its three gratuitous ARPs were seen;
# prints the two gaps between them in ms ("120 118"), or "none"
gaps() {
	printf '%s\n' "$1" > "$T/vigil.conf"
	ip netns exec "$NS" "$NETWATCH" eth1 6 > "$T/watch" 2>/dev/null &
	wpid=$!
	sleep 0.3
	ip netns exec "$NS" "$VIGILD" -n -l -f "$T/vigil.conf" -p "$T/pid" > "$T/log" 2>&1 &
	DPID=$!
	NS1_KILL="$NS1_KILL $DPID $wpid"
	i=0
	while [ $i -lt 50 ]; do
		[ "$(grep -c ' arp 10.79.0.10[123] .* request 10.79.0.10' "$T/watch")" -ge 3 ] && break
		sleep 0.1; i=$((i + 1))
	done
	kill -TERM "$DPID"; wait "$DPID" 2>/dev/null
	kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null
	grep ' arp 10.79.0.10[123] .* request 10.79.0.10' "$T/watch" | head -3 > "$T/arps"
	awk 'NR > 1 { printf "%s%d", sep, ($1 - prev) / 1000000; sep = " " } { prev = $1 }
	     END { if (NR < 3) print "none"; else print "" }' "$T/arps"
}
all_at_least() { # MS GAP...
	min=$1; shift
	[ $# -eq 2 ] || return 1
	for g in "$@"; do [ "$g" -ge "$min" ] || return 1; done
}
all_below() { # MS GAP...
	max=$1; shift
	[ $# -eq 2 ] || return 1
	for g in "$@"; do [ "$g" -lt "$max" ] || return 1; done
}

g=$(gaps "$(conf "router_id garp")")
echo "  (no interval: gaps $g ms)"
# shellcheck disable=SC2086
check "no interval: the burst goes out at once" all_below 50 $g
g=$(gaps "$(conf "vrrp_garp_interval 0.2")")
echo "  (vrrp_garp_interval 0.2: gaps $g ms)"
# shellcheck disable=SC2086
check "vrrp_garp_interval 0.2: 200 ms or more between them" all_at_least 195 $g
g=$(gaps "$(conf "vrrp_garp_interval 0.4" "garp_group {
    garp_interval 0.1
    interface eth0
}")")
echo "  (garp_group garp_interval 0.1 over vrrp_garp_interval 0.4: gaps $g ms)"
# shellcheck disable=SC2086
check "garp_group: its interval wins for its interface (100 ms, not 400)" \
	sh -c "g='$g'; set -- \$g; [ \$# -eq 2 ] && [ \$1 -ge 95 ] && [ \$1 -lt 300 ] && [ \$2 -ge 95 ] && [ \$2 -lt 300 ]"

ns1_summary
