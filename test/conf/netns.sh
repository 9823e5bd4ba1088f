#!/bin/sh
# netns.sh - keepalived's net_namespace, -s (--namespace) and instance:
# the whole daemon runs in the named network namespace, started from
# another one, and its pid file (and so its status) is named after the
# instance, /run/vigild_NAME.pid, so two daemons can share a host.
#
#   namespaces $NS and $NS2: eth0 (one end of a veth pair, test/lib1ns.sh)
#   10.77.0.1/24; a lone VRRP instance becomes master and adds its VIP
#   10.77.0.100 in the namespace it runs in, and nowhere else.
#
# Needs root; skips (77) without it. Ends with "N passed, N failed".
set -u
VIGILD=${VIGILD:?VIGILD must name the vigild to test}
. "$(dirname "$0")/../lib1ns.sh"
ns1_need_root
NS=vns$$
NS2=vns2$$
T=$NS1_TMP
NS1_LOG=$T/log
DPID=""
# The pid files this test makes in /run go too.
cleanup() {
	rm -f "/run/vigild_$NS.pid" "/run/vigild_$NS.pid.vrrp.json" "/run/vigild_inst$$.pid" \
		"/run/vigild_inst$$.pid.vrrp.json"
	ns1_cleanup
}
trap cleanup EXIT
vip_in() { ip -n "$1" addr show dev eth0 2>/dev/null | grep -qw 10.77.0.100; }
ns1_add "$NS" 10.77.0.1/24
ns1_add "$NS2" 10.77.0.1/24

conf() { # EXTRA TOP-LEVEL LINES
	cat <<EOC
$1
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 77
    priority 100
    advert_int 0.1
    version 3
    virtual_ipaddress {
        10.77.0.100/24
    }
}
EOC
}
stop() {
	kill -TERM "$DPID" 2>/dev/null
	wait "$DPID" 2>/dev/null
	DPID=""
}

# ---- 1. net_namespace: no -p, started from the host's namespace ----
conf "net_namespace $NS" > "$T/a.conf"
"$VIGILD" -n -l -f "$T/a.conf" > "$T/log" 2>&1 &
DPID=$!
NS1_KILL="$NS1_KILL $DPID"
check "net_namespace: the VIP is added in $NS" wait_for 8 vip_in "$NS"
check "net_namespace: ... and not in the namespace vigild was started from" sh -c "! ip addr show | grep -qw 10.77.0.100"
check "net_namespace: the log says where it runs" grep -q "running in network namespace $NS" "$T/log"
check "net_namespace: the pid file is /run/vigild_$NS.pid" sh -c "[ \"\$(cat /run/vigild_$NS.pid)\" = $DPID ]"
check "net_namespace: --status finds it by the same name" sh -c \
	"'$VIGILD' --status -f '$T/a.conf' | grep -q '\"name\":\"VI_1\",\"state\":\"MASTER\"'"
sed -i "s/^net_namespace $NS/net_namespace $NS2/" "$T/a.conf"
kill -HUP "$DPID"
check "net_namespace: a reload that changes it says it cannot apply it" wait_for 5 grep -q \
	"net_namespace changed ($NS -> $NS2): a reload cannot apply it; restart vigild for that" "$T/log"
check "net_namespace: ... and the VIP stays where it was" vip_in "$NS"
stop
check "net_namespace: stop removes the VIP and the pid file" sh -c \
	"! ip -n $NS addr show dev eth0 | grep -qw 10.77.0.100 && [ ! -e /run/vigild_$NS.pid ]"

# ---- 2. -s wins over the file; instance names the pid file ----
conf "net_namespace $NS
instance inst$$" > "$T/b.conf"
"$VIGILD" -n -l -s "$NS2" -f "$T/b.conf" > "$T/log" 2>&1 &
DPID=$!
NS1_KILL="$NS1_KILL $DPID"
check "-s: the VIP is added in the namespace -s names" wait_for 8 vip_in "$NS2"
check "-s: ... not in the file's" sh -c "! ip -n $NS addr show dev eth0 | grep -qw 10.77.0.100"
check "instance: the pid file is /run/vigild_inst$$.pid" sh -c "[ \"\$(cat /run/vigild_inst$$.pid)\" = $DPID ]"
stop

# ---- 3. a namespace that does not exist: a clear error, exit 1 ----
conf "net_namespace nosuch$$" > "$T/c.conf"
timeout 5 "$VIGILD" -n -l -f "$T/c.conf" -p "$T/c.pid" > "$T/log" 2>&1
rc=$?
check "missing namespace: exit 1" [ "$rc" -eq 1 ]
check "missing namespace: says which and why" grep -q \
	"cannot enter network namespace nosuch$$ (/run/netns/nosuch$$): No such file or directory" "$T/log"

ns1_summary
