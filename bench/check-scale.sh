#!/bin/bash
# check-scale.sh - vigil's health-check engine alone, on this host, with
# 1,000 and 10,000 real servers (TCP_CHECK, delay_loop 1): CPU per check
# (should not grow with the count) and how evenly the checks spread over
# the second. No IPVS is needed: where the kernel has none, the worker
# logs "IPVS: ... retrying every 3 s" and runs the checkers anyway, which
# this verifies. A benchmark: prints a table, exits 0 whatever the
# figures; 77 when it cannot run (not root), 1 on a setup failure.
#
#   bench/check-scale.sh build/vigild [ACCEPTCOUNT]        # as root
#   SIZES="1000 10000" SECONDS_MEASURED=20 WARMUP=5 KEEP=/tmp/x bench/check-scale.sh build/vigild
#
# ACCEPTCOUNT: a built test/tools/acceptcount (default: next to vigild,
# else compiled here with cc). See bench/README-check.md.
#
#   director namespace: vigild -C -n -l (one veth, 10.4.0.1)
#   backend namespace:  10.4.0.2; `ip route add local 10.20.0.0/16 dev lo`
#       makes every 10.20.x.y local, so one acceptcount socket on
#       0.0.0.0:80 is every real server's listener
set -u
VIGILD=$(realpath -e "${1:?usage: check-scale.sh VIGILD [ACCEPTCOUNT]}") || exit 1
HERE=$(cd "$(dirname "$0")" && pwd)
SIZES=${SIZES:-1000 10000}
MEAS=${SECONDS_MEASURED:-20}
WARMUP=${WARMUP:-5}
[ "$(id -u)" -eq 0 ] || { echo "check-scale: needs root (namespaces)"; exit 77; }

T=$(mktemp -d /tmp/check-scale.XXXXXX)
ND=ckscd$$
NB=ckscb$$
APID="" VPID=""
cleanup() {
	trap - EXIT INT TERM
	for ns in "$ND" "$NB"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp -r "$T"/. "$KEEP"/; fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ACC=${2:-$(dirname "$VIGILD")/test/tools/acceptcount}
if [ ! -x "$ACC" ]; then
	ACC=$T/acceptcount
	cc -std=c11 -O2 -o "$ACC" "$HERE/../test/tools/acceptcount.c" || { echo "check-scale: cannot build acceptcount"; exit 1; }
fi
HZ=$(getconf CLK_TCK)

# ---- namespaces ----
for ns in "$ND" "$NB"; do ip netns add "$ns" || exit 1; ip -n "$ns" link set lo up; done
ip link add bd0 netns "$NB" type veth peer name db0 netns "$ND" || exit 1
ip -n "$ND" addr add 10.4.0.1/24 dev db0
ip -n "$NB" addr add 10.4.0.2/24 dev bd0
ip -n "$ND" link set db0 up
ip -n "$NB" link set bd0 up
ip -n "$NB" route add local 10.20.0.0/16 dev lo
ip -n "$ND" route add 10.20.0.0/16 via 10.4.0.2
# plenty of ephemeral ports and a deep accept queue
ip netns exec "$ND" sh -c 'echo "1024 65000" > /proc/sys/net/ipv4/ip_local_port_range'
ip netns exec "$NB" sh -c 'echo 8192 > /proc/sys/net/core/somaxconn; echo 8192 > /proc/sys/net/ipv4/tcp_max_syn_backlog'

ip netns exec "$NB" "$ACC" -B -t 3600 80 > "$T/acc.log" 2>&1 &
APID=$!
for _ in $(seq 50); do grep -q listening "$T/acc.log" && break; sleep 0.1; done
grep -q listening "$T/acc.log" || { echo "check-scale: the listener did not start"; cat "$T/acc.log"; exit 1; }

ticks() { # PID -> TICKS (utime+stime)
	local s
	TICKS=0
	read -r s < "/proc/$1/stat" 2>/dev/null || return 1
	s=${s##*) }
	# shellcheck disable=SC2086
	set -- $s
	TICKS=$((${12} + ${13}))
}
rss_kb() { # PID -> RSS
	local k v _u
	RSS=0
	while read -r k v _u; do [ "$k" = VmRSS: ] && RSS=$v; done < "/proc/$1/status" 2>/dev/null
}
snmp_opens() { # PassiveOpens of the backend namespace (every handshake completed)
	local a b i
	OPENS=0
	{ read -ra a; read -ra b; } < <(grep '^Tcp:' "/proc/$APID/net/snmp")
	for i in "${!a[@]}"; do [ "${a[$i]}" = PassiveOpens ] && OPENS=${b[$i]}; done
}
report() { # the listener's report line for the window
	local n
	n=$(grep -c '^window_ms=' "$T/acc.log")
	kill -USR2 "$APID"
	for _ in $(seq 50); do [ "$(grep -c '^window_ms=' "$T/acc.log")" -gt "$n" ] && break; sleep 0.1; done
	REPORT=$(grep '^window_ms=' "$T/acc.log" | tail -1)
}
field() { local f; for f in $REPORT; do case $f in "$1="*) echo "${f#*=}"; return ;; esac; done; }

RESULTS=()
for N in $SIZES; do
	nvs=$((N / 10))
	awk -v nvs="$nvs" -v nrs=10 -f "$HERE/check-gen.awk" > "$T/v$N.conf"
	log=$T/vigil-$N.log
	: > "$log"
	echo "check-scale: $N real servers: start, ${WARMUP}s warm-up, ${MEAS}s measured ..."
	ip netns exec "$ND" "$VIGILD" -C -n -l -f "$T/v$N.conf" -p "$T/v$N.pid" >> "$log" 2>&1 &
	VPID=$!
	WPID=""
	for _ in $(seq 100); do
		WPID=$(sed -n 's/.*child process, pid=\([0-9]*\).*/\1/p' "$log" | head -1)
		[ -n "$WPID" ] && grep -q "Health checks: " "$log" && break
		sleep 0.1
	done
	[ -n "$WPID" ] || { echo "check-scale: no worker"; cat "$log"; exit 1; }
	sleep "$WARMUP"
	kill -USR1 "$APID"
	snmp_opens; o0=$OPENS
	ticks "$WPID"; w0=$TICKS
	ticks "$VPID"; s0=$TICKS
	t0=$EPOCHREALTIME
	sleep "$MEAS"
	ticks "$WPID"; w1=$TICKS
	ticks "$VPID"; s1=$TICKS
	t1=$EPOCHREALTIME
	snmp_opens; o1=$OPENS
	report
	rss_kb "$WPID"; wrss=$RSS
	rss_kb "$VPID"; srss=$RSS
	ipvs_retry=no
	grep -q "IPVS: .*retrying every 3 s" "$log" && ipvs_retry=yes
	[ -e /proc/net/ip_vs ] && ipvs_retry=n/a
	kill -TERM "$VPID"
	for _ in $(seq 50); do kill -0 "$VPID" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$VPID" "$WPID" 2>/dev/null
	wait "$VPID" 2>/dev/null
	acc=$(field accepts)
	span_us=$(( (${t1/./} - ${t0/./}) ))
	wcpu_ms=$(((w1 - w0) * 1000 / HZ))
	scpu_ms=$(((s1 - s0) * 1000 / HZ))
	RESULTS+=("$N|$nvs|$acc|$((o1 - o0))|$span_us|$wcpu_ms|$scpu_ms|$wrss|$srss|$REPORT|$ipvs_retry|$(grep -c 'Removing service' "$log")")
	echo "  $REPORT"
done
kill "$APID" 2>/dev/null

echo
echo "check-scale: vigil's checker engine alone, TCP_CHECK, delay_loop 1, connect_timeout 1, retry 0"
echo "host $(uname -r), $(nproc) CPU(s); ${MEAS}s measured after ${WARMUP}s; one listener (acceptcount) in a backend namespace"
echo
printf '%-34s' ""; for r in "${RESULTS[@]}"; do printf '%14s' "${r%%|*} RS"; done; echo
row() { # LABEL AWK-EXPR-over-fields
	printf '%-34s' "$1"
	for r in "${RESULTS[@]}"; do
		printf '%14s' "$(awk -F'|' -v OFS=' ' "{ $2 }" <<< "$r")"
	done
	echo
}
rfield() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
row "checks/s (accepts at the listener)" 'printf "%.0f", $3 * 1e6 / $5'
row "checks/s (backend PassiveOpens)" 'printf "%.0f", $4 * 1e6 / $5'
row "  of the configured N/s" 'printf "%.1f%%", $3 * 1e6 / $5 / $1 * 100'
row "worker CPU, % of one CPU" 'printf "%.1f", $6 / ($5 / 1e3) * 100'
row "supervisor CPU, % of one CPU" 'printf "%.1f", $7 / ($5 / 1e3) * 100'
row "worker CPU per check, us" 'printf "%.1f", ($3 ? $6 * 1000 / $3 : 0)'
row "worker RSS, MB" 'printf "%.1f", $8 / 1024'
row "supervisor RSS, MB" 'printf "%.1f", $9 / 1024'
for key in b100_min b100_max b100_ratio dests dest_min dest_max; do
	printf '%-34s' "listener: $key"
	for r in "${RESULTS[@]}"; do
		IFS='|' read -r -a f <<< "$r"
		printf '%14s' "$(rfield "${f[9]}" "$key")"
	done
	echo
done
printf '%-34s' "accepts by 100 ms of the second"; echo
for r in "${RESULTS[@]}"; do
	IFS='|' read -r -a f <<< "$r"
	echo "  ${f[0]} RS: $(rfield "${f[9]}" mod1s)"
done
printf '%-34s' "IPVS absent: 'retrying every 3 s'"
for r in "${RESULTS[@]}"; do IFS='|' read -r -a f <<< "$r"; printf '%14s' "${f[10]}"; done; echo
printf '%-34s' "'Removing service' lines (want 0)"
for r in "${RESULTS[@]}"; do IFS='|' read -r -a f <<< "$r"; printf '%14s' "${f[11]}"; done; echo
if [ "${#RESULTS[@]}" -ge 2 ]; then
	IFS='|' read -r -a a <<< "${RESULTS[0]}"
	IFS='|' read -r -a b <<< "${RESULTS[${#RESULTS[@]} - 1]}"
	awk -v a3="${a[2]}" -v a6="${a[5]}" -v b3="${b[2]}" -v b6="${b[5]}" -v na="${a[0]}" -v nb="${b[0]}" 'BEGIN {
		pa = a3 ? a6 / a3 : 0; pb = b3 ? b6 / b3 : 0
		printf "CPU per check, %d vs %d RS: %.2fx (target: does not grow, <= 1.2x): %s\n", nb, na,
			pa ? pb / pa : 0, (pa && pb / pa <= 1.2) ? "PASS" : "MISS" }'
fi
exit 0
