#!/bin/sh
# The demo lab, from a fresh clone on a fresh Debian 12 machine (as root):
# a director pair in network namespaces. Two vigild elect a master, the
# master holds the virtual IP 10.11.12.100, a client pings it; the master
# is killed and the backup takes over while the client keeps pinging.
# Both directors health-check two web servers (10.11.12.21 and .22, in
# the client's namespace) for the virtual service 10.11.12.100:80: one
# web server is stopped and started again, and the checkers take it out
# and put it back. Where the kernel has IPVS the table is shown too.
# Everything lives in namespaces this script creates and removes.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/deps.sh
if [ ! -x configure ]; then autoreconf -fi >/dev/null 2>&1; fi
mkdir -p build
cd build
[ -f Makefile ] || ../configure -q
make -j2 vigild vigil-genhash >/dev/null
VIGILD="$top/build/vigild"

echo "== 1. configuration check (vigild -t --dump) of the shipped example"
"$VIGILD" -t --dump -f "$top/etc/vigil.conf"

. "$top/test/vrrp/lib.sh"
lab_need_root
WEB_PIDS=""
# Everything goes, whatever failed on the way (no set -e here: a kill of
# a process that has already gone must not stop the cleanup).
demo_down() {
	rc=$?
	set +e
	for pid in $WEB_PIDS; do kill "$pid" 2>/dev/null; done
	lab_down
	exit "$rc"
}
trap demo_down EXIT INT TERM
lab_up

# web SUFFIX: a web server on 10.11.12.SUFFIX:80 in the client's namespace
web() {
	mkdir -p "$LAB_TMP/www$1"
	echo "real server 10.11.12.$1" > "$LAB_TMP/www$1/index.html"
	ip netns exec "${P}cl" python3 -m http.server 80 --bind "10.11.12.$1" \
		--directory "$LAB_TMP/www$1" > /dev/null 2>&1 9>&- &
	eval "WEB_$1=$!"
	WEB_PIDS="$WEB_PIDS $!"
}
ip -n "${P}cl" addr add 10.11.12.21/24 dev eth0
ip -n "${P}cl" addr add 10.11.12.22/24 dev eth0
web 21
web 22

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
virtual_server 10.11.12.100 80 {
    delay_loop 1
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 10.11.12.21 80 {
        HTTP_GET {
            url {
                path /
                digest $DIGEST21
            }
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
    real_server 10.11.12.22 80 {
        HTTP_GET {
            url {
                path /
                status_code 200
            }
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
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

sleep 1
echo
echo "== 2. the digest of 10.11.12.21's page, for its HTTP_GET (vigil-genhash, as keepalived's genhash)"
ip netns exec "${P}lb1" "$top/build/vigil-genhash" -s 10.11.12.21 -p 80 -u / | sed 's/^/   /'
DIGEST21=$(ip netns exec "${P}lb1" "$top/build/vigil-genhash" -s 10.11.12.21 -p 80 -u / |
	sed -n 's/^MD5SUM = //p')

echo
echo "== 3. two directors: lb1 (priority 150) and lb2 (priority 100)"
lab_vigil lb1 "$(director lb1 150)"
lab_vigil lb2 "$(director lb2 100)"
lab_wait_log lb1 "Entering MASTER STATE" 10 || true
sleep 1
where_is_vip
echo "   client pings the VIP:"
ip netns exec "${P}cl" ping -c 3 -i 0.2 -W 1 10.11.12.100 | sed 's/^/   /' | tail -2

echo
echo "== 4. kill -9 the master; the backup takes over"
ip netns exec "${P}cl" ping -i 0.1 -c 60 -W 1 10.11.12.100 > "$LAB_TMP/ping.txt" 2>&1 &
ping_pid=$!
sleep 1
lab_kill lb1 KILL
lab_wait_log lb2 "Entering MASTER STATE" 10 || true
wait "$ping_pid" || true
where_is_vip
echo "   client ping during the failover: $(grep -E 'packets transmitted' "$LAB_TMP/ping.txt")"

echo
echo "== 5. stop the web server 10.11.12.22, then start it again"
kill "$WEB_22" 2>/dev/null
lab_wait_log lb2 "Removing service \\[10.11.12.22\\]" 10 || true
grep -E "HTTP_CHECK|Removing service" "$LAB_TMP/lb2.log" | sed 's/^/   lb2: /' | tail -3
if ip netns exec "${P}lb2" ipvsadm -Ln > "$LAB_TMP/ipvs.txt" 2> /dev/null; then
	sed 's/^/   /' "$LAB_TMP/ipvs.txt"
else
	echo "   (this kernel has no IPVS: vigild keeps checking and retries IPVS every 3 s;"
	echo "    make check shows the table in a qemu guest, test/vm/)"
fi
web 22
lab_wait_log lb2 "Adding service \\[10.11.12.22\\]" 10 || true
grep -E "Adding service" "$LAB_TMP/lb2.log" | sed 's/^/   lb2: /' | tail -1

echo
echo "== 6. the logs, in keepalived's wording"
for h in lb1 lb2; do
	echo "--- $h"
	sed 's/^/   /' "$LAB_TMP/$h.log"
done
echo
echo "== 7. lb2's state as JSON (vigild --status)"
"$VIGILD" --status -p "$LAB_TMP/lb2.pid"
