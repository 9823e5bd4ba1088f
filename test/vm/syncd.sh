#!/bin/sh
# lvs_sync_daemon follows VRRP (run in the VM by test/vm/run.sh): the
# director whose instance is master runs the master sync daemon; in
# Fault (or Backup) it runs the backup one; stopping removes both.
# Ends with "N passed, N failed".
set -u
VIGILD=${VIGILD:?VIGILD must name the vigild to test}
T=$(mktemp -d /tmp/vigil-syncd.XXXXXX)
NS=vsyncd$$
PASS=0
FAIL=0

cleanup() {
	for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

check() {
	name=$1; shift
	if "$@"; then echo "ok - $name"; PASS=$((PASS + 1))
	else
		echo "FAIL - $name"; FAIL=$((FAIL + 1))
		tail -15 "$T/vigil.log"
		ip netns exec "$NS" ipvsadm -L --daemon
	fi
}

# wait_daemon PATTERN SECONDS: ipvsadm -L --daemon matches
wait_daemon() {
	i=0
	while [ $i -lt $(( $2 * 5 )) ]; do
		ip netns exec "$NS" ipvsadm -L --daemon 2>/dev/null | grep -q "$1" && return 0
		sleep 0.2; i=$((i + 1))
	done
	return 1
}

ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" link add eth0 type dummy
ip -n "$NS" link set eth0 up
ip -n "$NS" addr add 10.7.0.1/24 dev eth0
echo 0 > "$T/fault"
cat > "$T/vigil.conf" <<CONF
global_defs {
    lvs_sync_daemon eth0 VI_1
}
track_file fault {
    file $T/fault
    weight 0
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 61
    priority 100
    advert_int 0.1
    version 3
    track_file {
        fault
    }
    virtual_ipaddress {
        10.7.0.100/24
    }
}
CONF
ip netns exec "$NS" "$VIGILD" -n -l -P -f "$T/vigil.conf" -p "$T/vigil.pid" > "$T/vigil.log" 2>&1 &
VPID=$!
check "a lone instance becomes master" sh -c "i=0; while [ \$i -lt 100 ]; do grep -q 'Entering MASTER STATE' $T/vigil.log && exit 0; sleep 0.2; i=\$((i+1)); done; exit 1"
check "master sync daemon on eth0, syncid = the VRID" wait_daemon "master sync daemon (mcast=eth0, syncid=61" 10
echo 1 > "$T/fault"
check "fault: the backup sync daemon runs" wait_daemon "backup sync daemon (mcast=eth0, syncid=61" 10
check "fault: the master sync daemon stopped" sh -c "! ip netns exec $NS ipvsadm -L --daemon | grep -q 'master sync daemon'"
kill -TERM "$VPID"
wait "$VPID" 2>/dev/null
check "stop: no sync daemon left" sh -c "! ip netns exec $NS ipvsadm -L --daemon | grep -q 'sync daemon'"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
