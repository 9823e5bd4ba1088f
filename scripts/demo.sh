#!/bin/sh
# The demo lab, from a fresh clone on a fresh Debian 12 machine (as root):
# a director pair in network namespaces. Two vigild elect a master, the
# master holds the virtual IP 10.11.12.100, a client pings it; the master
# is killed and the backup takes over while the client keeps pinging.
# Everything lives in namespaces this script creates and removes.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/deps.sh
if [ ! -x configure ]; then autoreconf -fi >/dev/null 2>&1; fi
mkdir -p build
cd build
[ -f Makefile ] || ../configure -q
make -j2 vigild >/dev/null
VIGILD="$top/build/vigild"

echo "== 1. configuration check (vigild -t --dump) of the shipped example"
"$VIGILD" -t --dump -f "$top/etc/vigil.conf"

. "$top/test/vrrp/lib.sh"
lab_need_root
trap lab_down EXIT INT TERM
lab_up

director() { # NAME PRIORITY
	cat <<EOC
global_defs {
    router_id $1
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass demo
    }
    virtual_ipaddress {
        10.11.12.100/24
    }
}
EOC
}

where_is_vip() {
	for h in lb1 lb2; do
		lab_has_addr "$h" 10.11.12.100 && echo "   10.11.12.100 is on $h"
	done
	return 0
}

echo
echo "== 2. two directors: lb1 (priority 150) and lb2 (priority 100)"
lab_vigil lb1 "$(director lb1 150)"
lab_vigil lb2 "$(director lb2 100)"
lab_wait_log lb1 "Entering MASTER STATE" 10 || true
sleep 1
where_is_vip
echo "   client pings the VIP:"
ip netns exec "${P}cl" ping -c 3 -i 0.2 -W 1 10.11.12.100 | sed 's/^/   /' | tail -2

echo
echo "== 3. kill -9 the master; the backup takes over"
ip netns exec "${P}cl" ping -i 0.1 -c 60 -W 1 10.11.12.100 > "$LAB_TMP/ping.txt" 2>&1 &
ping_pid=$!
sleep 1
lab_kill lb1 KILL
lab_wait_log lb2 "Entering MASTER STATE" 10 || true
wait "$ping_pid" || true
where_is_vip
echo "   client ping during the failover: $(grep -E 'packets transmitted' "$LAB_TMP/ping.txt")"

echo
echo "== 4. the logs, in keepalived's wording"
for h in lb1 lb2; do
	echo "--- $h"
	sed 's/^/   /' "$LAB_TMP/$h.log"
done
echo
echo "== 5. lb2's state as JSON (vigild --status)"
"$VIGILD" --status -p "$LAB_TMP/lb2.pid"
