#!/bin/bash
# check-load-guest.sh - the guest side of bench/check-tcp.sh and
# bench/check-http.sh (run by test/vm/run.sh, or directly where the kernel
# has IPVS): vigild -C and keepalived -C, one after the other, each in a
# fresh director namespace, checking the same 1,000 real servers; writes
# DIR/raw.txt (one "key value" a line) for the host side's table.
#
#   check-load-guest.sh DIR KIND      (KIND: tcp or http)
#
# DIR holds vigild, acceptcount and c.conf (bench/check-gen.awk). The
# real servers 10.20.x.y:80 are all local to one backend namespace
# (`ip route add local 10.20.0.0/16 dev lo`), where one acceptcount socket
# on 0.0.0.0:80 accepts for all of them (-H: answers HTTP 200).
#
#   director (vigild | keepalived) 10.4.N.1 --- veth --- 10.4.N.2 backend
#
# Per daemon: start it, WARMUP s (12), then MEASURE s (25) during which
# are counted: accepts at the listener and the backend's TCP PassiveOpens
# (handshakes completed: both count checks without touching the daemons),
# utime+stime of the daemon's processes (/proc/PID/stat), and at the end
# their VmRSS. A syslog sink runs (busybox syslogd -O /dev/null), as a
# director would have; its CPU is counted too.
set -u
DIR=${1:?usage: check-load-guest.sh DIR KIND}
KIND=${2:-tcp}
WARMUP=${WARMUP:-12}
MEASURE=${MEASURE:-25}
T=$(mktemp -d /tmp/check-load.XXXXXX)
NB=cklb$$
NSS=""
PIDS=""
SYSLOGD=""
APID=""
cleanup() {
	local ns p
	trap - EXIT INT TERM
	for p in $PIDS; do kill -KILL "$p" 2>/dev/null; done
	for ns in $NSS $NB; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		ip netns exec "$ns" ipvsadm -C 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$SYSLOGD" ] && kill "$SYSLOGD" 2>/dev/null
	mkdir -p "$DIR/logs" 2>/dev/null && cp "$T"/*.log "$DIR/logs/" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkfifo "$T/nap" && exec 9<> "$T/nap"
nap() { read -r -t "$1" -u 9 _ 2> /dev/null; }
now() { NOW=$((${EPOCHREALTIME/./} / 1000)); }
put() { echo "$1 $2" >> "$DIR/raw.txt"; }
: > "$DIR/raw.txt"
HZ=$(getconf CLK_TCK)

ticks() { # PID -> TICKS (utime + stime), UTICKS (utime)
	local f
	TICKS=0 UTICKS=0
	read -r -a f < "/proc/$1/stat" 2> /dev/null || return 1
	TICKS=$((f[13] + f[14])) UTICKS=${f[13]}
}
rss() { # PID -> RSS kB
	local k v _u
	RSS=0
	while read -r k v _u; do [ "$k" = VmRSS: ] && RSS=$v; done < "/proc/$1/status" 2> /dev/null
}
opens() { # OPENS = the backend's TCP PassiveOpens
	local -a h v
	local i
	OPENS=0
	while read -r -a h && read -r -a v; do
		[ "${h[0]}" = Tcp: ] || continue
		for i in "${!h[@]}"; do [ "${h[$i]}" = PassiveOpens ] && OPENS=${v[$i]}; done
	done < "/proc/$APID/net/snmp"
}
entries() { # ENTRIES: lines of /proc/PID/net/ip_vs beyond the 3 headers
	local -a a
	mapfile -t a < "/proc/$1/net/ip_vs"
	ENTRIES=$((${#a[@]} - 3))
}
report() { # REPORT = the listener's line for the window
	local n
	n=$(grep -c '^window_ms=' "$T/acc.log")
	kill -USR2 "$APID"
	for _ in $(seq 50); do
		[ "$(grep -c '^window_ms=' "$T/acc.log")" -gt "$n" ] && break
		nap 0.1
	done
	REPORT=$(grep '^window_ms=' "$T/acc.log" | tail -1)
}

cp "$DIR/vigild" "$DIR/acceptcount" "$DIR/c.conf" "$T/" || exit 1
put kind "$KIND"
put kernel "$(uname -r)"
put rs "$(grep -c real_server "$T/c.conf")"
put warmup "$WARMUP"
put measure "$MEASURE"

if [ ! -S /dev/log ] && command -v busybox > /dev/null; then
	busybox syslogd -n -O /dev/null &
	SYSLOGD=$!
	for _ in $(seq 50); do [ -S /dev/log ] && break; nap 0.1; done
fi

# the backend
ip netns add "$NB" || exit 1
ip -n "$NB" link set lo up
ip -n "$NB" route add local 10.20.0.0/16 dev lo
ip netns exec "$NB" sh -c 'echo 8192 > /proc/sys/net/core/somaxconn; echo 8192 > /proc/sys/net/ipv4/tcp_max_syn_backlog'
aflag=""
[ "$KIND" = http ] && aflag=-H
ip netns exec "$NB" "$T/acceptcount" $aflag -t 900 80 > "$T/acc.log" 2>&1 &
APID=$!
PIDS="$PIDS $APID"
for _ in $(seq 100); do grep -q listening "$T/acc.log" && break; nap 0.1; done
grep -q listening "$T/acc.log" || { put error listener; cat "$T/acc.log"; exit 1; }

# warm the 9p caches
"$T/vigild" --version > /dev/null 2>&1
keepalived --version > /dev/null 2>&1

run() { # NAME N: one daemon in its own director namespace
	local name=$1 n=$2 ns=ckl$1$$ log=$T/$1.log pid cpid="" i
	ip netns add "$ns" || { put "${name}_error" no_netns; return; }
	NSS="$NSS $ns"
	ip -n "$ns" link set lo up
	ip link add "bd$n" netns "$NB" type veth peer name db0 netns "$ns"
	ip -n "$ns" addr add "10.4.$n.1/24" dev db0
	ip -n "$NB" addr add "10.4.$n.2/24" dev "bd$n"
	ip -n "$ns" link set db0 up
	ip -n "$NB" link set "bd$n" up
	ip -n "$ns" route add 10.20.0.0/16 via "10.4.$n.2"
	ip netns exec "$ns" sh -c 'echo "1024 65000" > /proc/sys/net/ipv4/ip_local_port_range'
	: > "$log"
	echo "check-load: $name: start, ${WARMUP}s warm-up, ${MEASURE}s measured ..."
	if [ "$name" = vigil ]; then
		ip netns exec "$ns" "$T/vigild" -C -n -l -f "$T/c.conf" -p "$T/v.pid" >> "$log" 2>&1 &
	else
		ip netns exec "$ns" keepalived -C -n -l -f "$T/c.conf" -p "$T/k.pid" -c "$T/kc.pid" \
			>> "$log" 2>&1 &
	fi
	pid=$!
	PIDS="$PIDS $pid"
	for _ in $(seq 200); do
		cpid=$(sed -n 's/.*child process, pid=\([0-9]*\).*/\1/p' "$log" | head -1)
		[ -n "$cpid" ] && break
		kill -0 "$pid" 2> /dev/null || break
		nap 0.1
	done
	[ -n "$cpid" ] || { put "${name}_error" no_checker_process; tail -5 "$log"; return; }
	PIDS="$PIDS $cpid"
	nap "$WARMUP"
	local p0 c0 p1 c1 pu0 pu1 cu0 cu1 s0=0 s1=0 o0 o1 t0 t1
	kill -USR1 "$APID"
	opens; o0=$OPENS
	ticks "$pid"; p0=$TICKS pu0=$UTICKS
	ticks "$cpid"; c0=$TICKS cu0=$UTICKS
	[ -n "$SYSLOGD" ] && ticks "$SYSLOGD" && s0=$TICKS
	now; t0=$NOW
	nap "$MEASURE"
	ticks "$pid"; p1=$TICKS pu1=$UTICKS
	ticks "$cpid"; c1=$TICKS cu1=$UTICKS
	[ -n "$SYSLOGD" ] && ticks "$SYSLOGD" && s1=$TICKS
	now; t1=$NOW
	opens; o1=$OPENS
	report
	put "${name}_ms" $((t1 - t0))
	put "${name}_opens" $((o1 - o0))
	put "${name}_parent_cpu_ms" $(((p1 - p0) * 1000 / HZ))
	put "${name}_checker_cpu_ms" $(((c1 - c0) * 1000 / HZ))
	put "${name}_checker_user_cpu_ms" $(((cu1 - cu0) * 1000 / HZ))
	put "${name}_parent_user_cpu_ms" $(((pu1 - pu0) * 1000 / HZ))
	put "${name}_syslogd_cpu_ms" $(((s1 - s0) * 1000 / HZ))
	rss "$pid"; put "${name}_parent_rss" "$RSS"
	rss "$cpid"; put "${name}_checker_rss" "$RSS"
	entries "$pid"; put "${name}_entries" "$ENTRIES"
	for i in $REPORT; do put "${name}_${i%%=*}" "${i#*=}"; done
	put "${name}_removed" "$(grep -c 'Removing service' "$log")"
	put "${name}_failed" "$(grep -c 'failed' "$log")"
	put "${name}_unsupported" "$(grep -c 'not supported' "$log")"
	echo "  $REPORT"
	kill -STOP "$pid" "$cpid" 2> /dev/null
	kill -KILL "$pid" "$cpid" 2> /dev/null
	wait "$pid" 2> /dev/null
	for i in $(ip netns pids "$ns" 2> /dev/null); do kill -KILL "$i" 2> /dev/null; done
	ip netns exec "$ns" ipvsadm -C
	ip link del "bd$n" 2> /dev/null || ip -n "$NB" link del "bd$n" 2> /dev/null
	ip netns del "$ns" && NSS=${NSS/ $ns/}
	nap 2 # the namespace's teardown, before the next one
}

run vigil 1
if command -v keepalived > /dev/null; then
	put keepalived_version "$(keepalived --version 2>&1 | head -1 | tr ' ' _)"
	run keepalived 2
else
	put keepalived_error not_installed
fi
echo "check-load: done"
exit 0
