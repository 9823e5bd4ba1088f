#!/bin/bash
# Health checks driving IPVS (run inside the VM by test/vm/run.sh, or
# directly where the kernel has IPVS; test/vm/check-host.sh is the make
# check entry). vigild -C runs TCP_CHECKs against tcphold listeners in a
# backend namespace and programs the director namespace's IPVS table:
#
#   director 10.4.0.1 --- veth --- backend 10.4.0.2 .. 10.4.0.10
#   (vigild -C -n -l)              one tcphold server per real server
#
#   VS A 10.3.0.100:80  .2 (w1) .3 (w2) .4 (w3), sorry_server .9
#   VS B 10.3.0.101:80  inhibit_on_failure: .5 (w4) .6 (w5)
#   VS C 10.3.0.102:80  alpha: .7 (listening), .8 (not at first)
#   VS D 10.3.0.103:80  .10 with retry 2, delay_before_retry 1
#   all: delay_loop 1, TCP_CHECK { connect_timeout 1 retry 0 } unless said
#
# Scenarios: all up; a listener killed -> removed ("Removing service"),
# restarted -> back ("Adding service"); inhibit_on_failure -> weight 0 and
# back; every real server of A down -> the sorry server alone, and back;
# alpha -> absent until the first success; retry 2 -> removed at the third
# failed attempt in a row, ~2 x delay_before_retry after the first (the
# attempts are counted as the backend namespace's TCP OutRsts: each SYN
# to a closed port draws one RST); a reload (SIGHUP, an unrelated weight
# changed) keeps a failed server out. Detection latency: a listener killed
# at a known time, /proc/net/ip_vs polled with shell builtins until the
# destination is gone, 5 times.
#
# Environment: VIGILD (required); VIGIL_TCPHOLD (default next to vigild in
# test/tools/, else built here with cc). Ends with "N passed, N failed".
set -u
VIGILD=${VIGILD:?VIGILD must name the vigild to test}
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/vigil-check.XXXXXX)
PASS=0
FAIL=0
ND=ckdir$$
NB=ckbak$$
VPID=""
HOLDER="" # a process in the backend namespace, for its /proc/PID/net
START=$(date +%s)
declare -A SRV # last octet -> tcphold pid

cleanup() {
	trap - EXIT INT TERM
	exec 2> /dev/null # no "Killed" notices for the listeners
	for ns in "$ND" "$NB"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
	done
	for ns in "$ND" "$NB"; do ip netns del "$ns" 2>/dev/null; done
	exec 8<&- 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT
trap 'echo "terminated"; exit 143' TERM

check() {
	local name=$1
	shift
	if "$@"; then
		echo "ok - $name"
		PASS=$((PASS + 1))
	else
		echo "FAIL - $name"
		FAIL=$((FAIL + 1))
		[ -f "$T/vigil.log" ] && tail -n 12 "$T/vigil.log" | sed 's/^/  vigild: /'
	fi
}
fatal() {
	echo "FAIL - $*"
	FAIL=$((FAIL + 1))
	[ -f "$T/vigil.log" ] && tail -n 20 "$T/vigil.log" | sed 's/^/  vigild: /'
	echo "$PASS passed, $FAIL failed"
	exit 1
}

# ---- time and sleeping without a fork -----------------------------------------
mkfifo "$T/nap.fifo" && exec 8<> "$T/nap.fifo"
nap() { read -r -t "$1" -u 8 _; }
now() { NOW=$((${EPOCHREALTIME/./} / 1000)); } # ms
wait_for() { # SECONDS COMMAND...
	local n=$(($1 * 10))
	shift
	while ! "$@"; do
		[ "$n" -gt 0 ] || return 1
		nap 0.1
		n=$((n - 1))
	done
}

# ---- the log --------------------------------------------------------------------
mark() { MARK=$(wc -l < "$T/vigil.log"); }
since() { tail -n +"$((MARK + 1))" "$T/vigil.log"; }
logged() { since | grep -qF -- "$1"; }
wait_log() { wait_for "$2" logged "$1"; }
count_logged() { since | grep -cF -- "$1"; }

# ---- the table, read with builtins --------------------------------------------------
hex4() { # A.B.C.D -> 0A040002
	local IFS=.
	# shellcheck disable=SC2086
	set -- $1
	printf -v HEX '%02X%02X%02X%02X' "$1" "$2" "$3" "$4"
}
# tbl: TBL = the director's /proc/net/ip_vs, in one read
tbl() { TBL=""; read -r -d '' TBL < "/proc/$VPID/net/ip_vs"; }
# weight_in VIP OCTET: W = the weight of 10.4.0.OCTET:80 in VIP:80, "" if absent
weight_in() {
	local line in=0 svc rs
	hex4 "$1"; svc="TCP  $HEX:0050"
	hex4 "10.4.0.$2"; rs="$HEX:0050"
	W=""
	while IFS= read -r line; do
		case $line in
		"$svc "*) in=1 ;;
		TCP* | UDP* | FWM* | SCTP*) in=0 ;;
		"  -> $rs "*)
			if [ $in = 1 ]; then
				# shellcheck disable=SC2086
				set -- $line
				W=$4
				return
			fi
			;;
		esac
	done <<< "$TBL"
}
# has VIP OCTET [WEIGHT]: in the table now (with that weight)
has() { tbl; weight_in "$1" "$2"; [ -n "$W" ] && { [ $# -lt 3 ] || [ "$W" = "$3" ]; }; }
hasnt() { tbl; weight_in "$1" "$2"; [ -z "$W" ]; }
ipvsadm_has() { ip netns exec "$ND" ipvsadm -Sn | grep -qx -- "$1"; }
ipvsadm_hasnt() { ! ip netns exec "$ND" ipvsadm -Sn | grep -q -- "$1"; }

# ---- tcphold listeners ------------------------------------------------------------------
TCPHOLD=${VIGIL_TCPHOLD:-$(dirname "$VIGILD")/test/tools/tcphold}
if [ ! -x "$TCPHOLD" ]; then
	TCPHOLD=$T/tcphold
	cc -std=c11 -O1 -o "$TCPHOLD" "$HERE/../tools/tcphold.c" || fatal "cannot build tcphold"
fi
listen() { # OCTET...: start their listeners (in parallel), wait until all listen
	local o
	for o in "$@"; do
		: > "$T/srv$o.log"
		ip netns exec "$NB" "$TCPHOLD" server -t 600 "10.4.0.$o:80" > "$T/srv$o.log" 2>&1 &
		SRV[$o]=$!
	done
	for o in "$@"; do
		wait_for 20 grep -q "listening on" "$T/srv$o.log" || return 1
	done
}
unlisten() { # OCTET...: kill -9 their listeners
	local o
	for o in "$@"; do
		[ -n "${SRV[$o]:-}" ] || continue
		kill -9 "${SRV[$o]}" 2>/dev/null
		{ wait "${SRV[$o]}"; } 2>/dev/null
		SRV[$o]=""
	done
}
# rsts: R = the backend namespace's TCP OutRsts (one per SYN to a closed port)
rsts() {
	local h v i
	R=""
	{
		while read -r -a h && read -r -a v; do
			[ "${h[0]}" = Tcp: ] || continue
			for i in "${!h[@]}"; do [ "${h[$i]}" = OutRsts ] && R=${v[$i]}; done
		done
	} < "/proc/$HOLDER/net/snmp"
}

# ---- namespaces -----------------------------------------------------------------------
for ns in "$ND" "$NB"; do
	ip netns add "$ns" || fatal "ip netns add $ns"
	ip -n "$ns" link set lo up
done
ip link add bd0 netns "$NB" type veth peer name db0 netns "$ND" || fatal "cannot make a veth pair"
ip -n "$ND" addr add 10.4.0.1/24 dev db0
for o in 2 3 4 5 6 7 8 9 10; do ip -n "$NB" addr add "10.4.0.$o/24" dev bd0; done
ip -n "$ND" link set db0 up
ip -n "$NB" link set bd0 up
ip netns exec "$NB" "$TCPHOLD" server -t 900 127.0.0.1:9 > "$T/holder.log" 2>&1 &
HOLDER=$!

conf() { # WEIGHT of 10.4.0.4
	local tcp="TCP_CHECK {
            connect_timeout 1
            retry 0
        }"
	cat << CONF
global_defs {
    router_id check_test
}
virtual_server 10.3.0.100 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    sorry_server 10.4.0.9 80
    real_server 10.4.0.2 80 {
        weight 1
        $tcp
    }
    real_server 10.4.0.3 80 {
        weight 2
        $tcp
    }
    real_server 10.4.0.4 80 {
        weight $1
        $tcp
    }
}
virtual_server 10.3.0.101 80 {
    delay_loop 1
    lb_algo wrr
    lb_kind NAT
    protocol TCP
    inhibit_on_failure
    real_server 10.4.0.5 80 {
        weight 4
        $tcp
    }
    real_server 10.4.0.6 80 {
        weight 5
        $tcp
    }
}
virtual_server 10.3.0.102 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    alpha
    real_server 10.4.0.7 80 {
        weight 1
        $tcp
    }
    real_server 10.4.0.8 80 {
        weight 1
        $tcp
    }
}
virtual_server 10.3.0.103 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.4.0.10 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
            retry 2
            delay_before_retry 1
        }
    }
}
CONF
}

A=10.3.0.100 B=10.3.0.101 C=10.3.0.102 D=10.3.0.103
echo "# setup: listeners for .2 .3 .4 .5 .6 .7 .10 (not .8, not the sorry server .9)"
listen 2 3 4 5 6 7 10 || fatal "the tcphold listeners did not start"
conf 3 > "$T/vigil.conf"
: > "$T/vigil.log"
MARK=0
# ip netns exec, not a function: $! must be vigild itself
ip netns exec "$ND" "$VIGILD" -C -n -l -f "$T/vigil.conf" -p "$T/vigil.pid" >> "$T/vigil.log" 2>&1 &
VPID=$!
# alpha: the first table vigild writes must not have .7, whose listener
# is up; poll with builtins from the start until service C appears.
SEEN_C="" ALPHA_FIRST=""
for _ in $(seq 1000); do
	if [ -r "/proc/$VPID/net/ip_vs" ]; then
		tbl
		hex4 $C
		case $TBL in *"TCP  $HEX:0050 "*)
			weight_in $C 7
			SEEN_C=1 ALPHA_FIRST=${W:-absent}
			break
			;;
		esac
	fi
	kill -0 "$VPID" 2>/dev/null || break
	nap 0.01
done
wait_log "IPVS: 4 service(s) configured" 20 || fatal "vigild did not program the table"

echo "# all up"
check "service C seen right after the start" [ -n "$SEEN_C" ]
check "alpha: .7 absent from the first table (saw: $ALPHA_FIRST)" [ "$ALPHA_FIRST" = absent ]
check "alpha: .7 added after its first success" wait_log "Adding service [10.4.0.7]:tcp:80 to VS [10.3.0.102]:tcp:80" 10
check "alpha: ... which is logged after the initial table" \
	sh -c "grep -n -e 'IPVS: 4 service' -e 'Adding service \[10.4.0.7\]' '$T/vigil.log' | head -1 | grep -q 'IPVS: 4'"
nap 3 # every checker has run at least twice
check "A: .2 .3 .4 in with weights 1 2 3" \
	eval 'has $A 2 1 && has $A 3 2 && has $A 4 3'
check "A: the sorry server .9 is not in" hasnt $A 9
check "B: .5 .6 in with weights 4 5" eval 'has $B 5 4 && has $B 6 5'
check "C: .7 in" has $C 7 1
check "alpha: .8 (no listener) never in the table" hasnt $C 8
check "alpha: .8 was never added nor removed (no log line)" \
	eval '! grep -qE "(Adding|Removing) service \[10.4.0.8\]" "$T/vigil.log"'
check "D: .10 in" has $D 10 1
check "ipvsadm -Sn agrees: -a -t $A:80 -r 10.4.0.4:80 -m -w 3" ipvsadm_has "-a -t $A:80 -r 10.4.0.4:80 -m -w 3"
check "ipvsadm -Sn agrees: .8 absent" ipvsadm_hasnt "-r 10.4.0.8:80"
check "no failure logged but .8's (alpha, no listener)" \
	eval '! grep -E "failed|Removing|refused" "$T/vigil.log" | grep -qv "10\.4\.0\.8\]"'

echo "# alpha: .8 starts listening"
mark
listen 8 || fatal "listener .8"
check "alpha: .8 added (log)" wait_log "Adding service [10.4.0.8]:tcp:80 to VS [10.3.0.102]:tcp:80" 5
check "alpha: .8 in the table" wait_for 3 has $C 8 1

echo "# a listener killed and restarted; detection latency, 5 times"
LAT=()
for i in 1 2 3 4 5; do
	# a different phase of the check cycle each time
	nap "0.$((RANDOM % 10))$((RANDOM % 10))"
	mark
	has $A 2 1 || { echo "  .2 not in before kill $i"; }
	now; t0=$NOW
	kill -9 "${SRV[2]}"
	gone=""
	for _ in $(seq 1000); do # 20 ms polls, 20 s at most
		tbl
		weight_in $A 2
		[ -z "$W" ] && { now; gone=$NOW; break; }
		nap 0.02
	done
	{ wait "${SRV[2]}"; } 2>/dev/null
	SRV[2]=""
	if [ -n "$gone" ]; then
		LAT+=($((gone - t0)))
		echo "  detection latency: $((gone - t0)) ms (delay_loop 1000 + connect_timeout 1000 + 50 = bound 2050 ms)"
	else
		LAT+=(none)
		echo "  detection latency: not removed within 20 s"
	fi
	if [ "$i" = 1 ]; then
		check "kill: .2 removed from the table" [ -n "$gone" ]
		check "kill: 'TCP_CHECK on service [10.4.0.2]:tcp:80 failed.' logged" \
			wait_log "TCP_CHECK on service [10.4.0.2]:tcp:80 failed." 3
		check "kill: 'Removing service [10.4.0.2]:tcp:80 from VS [10.3.0.100]:tcp:80' logged" \
			wait_log "Removing service [10.4.0.2]:tcp:80 from VS [10.3.0.100]:tcp:80" 3
		check "kill: the others stay (.3 .4)" eval 'has $A 3 2 && has $A 4 3'
		check "kill: no sorry server (quorum kept)" hasnt $A 9
	fi
	mark
	listen 2 || fatal "listener .2 restart"
	back=""
	wait_for 5 has $A 2 1 && back=1
	if [ "$i" = 1 ]; then
		check "restart: .2 back with weight 1" [ -n "$back" ]
		check "restart: 'TCP connection to [10.4.0.2]:tcp:80 success.' logged" \
			wait_log "TCP connection to [10.4.0.2]:tcp:80 success." 3
		check "restart: 'Adding service [10.4.0.2]:tcp:80 to VS [10.3.0.100]:tcp:80' logged" \
			wait_log "Adding service [10.4.0.2]:tcp:80 to VS [10.3.0.100]:tcp:80" 3
	fi
	[ -n "$back" ] || echo "  .2 not back within 5 s"
done
max=0 n=0 over=0
for l in "${LAT[@]}"; do
	[ "$l" = none ] && { over=$((over + 1)); continue; }
	n=$((n + 1))
	[ "$l" -gt "$max" ] && max=$l
	[ "$l" -gt 2050 ] && over=$((over + 1))
done
echo "  detection latency: ${LAT[*]} ms; max $max ms (bound 2050 ms)"
check "detection latency within 2050 ms, 5 of 5 (max $max ms)" eval '[ "$over" -eq 0 ] && [ "$n" -eq 5 ]'

echo "# inhibit_on_failure"
mark
unlisten 5
check "inhibit: .5 stays with weight 0" wait_for 5 has $B 5 0
check "inhibit: 'Disabling service [10.4.0.5]:tcp:80 from VS [10.3.0.101]:tcp:80' logged" \
	wait_log "Disabling service [10.4.0.5]:tcp:80 from VS [10.3.0.101]:tcp:80" 3
check "inhibit: no 'Removing service [10.4.0.5]' line" eval '! logged "Removing service [10.4.0.5]"'
check "inhibit: ipvsadm -Sn: -a -t $B:80 -r 10.4.0.5:80 -m -w 0" ipvsadm_has "-a -t $B:80 -r 10.4.0.5:80 -m -w 0"
check "inhibit: .6 untouched (weight 5)" has $B 6 5
mark
listen 5 || fatal "listener .5 restart"
check "inhibit: .5 back to weight 4" wait_for 5 has $B 5 4
check "inhibit: 'Enabling service [10.4.0.5]:tcp:80 to VS [10.3.0.101]:tcp:80' logged" \
	wait_log "Enabling service [10.4.0.5]:tcp:80 to VS [10.3.0.101]:tcp:80" 3

echo "# sorry server: every real server of A down"
mark
unlisten 2 3 4
sorry_alone() { tbl; weight_in $A 9; [ -n "$W" ] || return 1; weight_in $A 2; [ -z "$W" ] || return 1
	weight_in $A 3; [ -z "$W" ] || return 1; weight_in $A 4; [ -z "$W" ]; }
check "sorry: .9 in, .2 .3 .4 out" wait_for 6 sorry_alone
check "sorry: 'Lost quorum' logged" wait_log "Lost quorum" 3
check "sorry: 'Adding sorry server [10.4.0.9]:tcp:80 to VS [10.3.0.100]:tcp:80' logged" \
	wait_log "Adding sorry server [10.4.0.9]:tcp:80 to VS [10.3.0.100]:tcp:80" 3
since | grep -E "quorum|sorry" | sed 's/^/  vigild: /'
ip netns exec "$ND" ipvsadm -Sn | grep -- "-t $A:80" | sed 's/^/  ipvsadm: /'
mark
listen 2 3 4 || fatal "listeners .2 .3 .4 restart"
real_back() { tbl; weight_in $A 9; [ -z "$W" ] || return 1; weight_in $A 2; [ "$W" = 1 ] || return 1
	weight_in $A 3; [ "$W" = 2 ] || return 1; weight_in $A 4; [ "$W" = 3 ]; }
check "sorry: recovered: .9 out, .2 .3 .4 back" wait_for 6 real_back
check "sorry: 'Gained quorum' logged" wait_log "Gained quorum" 3
check "sorry: 'Removing sorry server [10.4.0.9]:tcp:80 from VS [10.3.0.100]:tcp:80' logged" \
	wait_log "Removing sorry server [10.4.0.9]:tcp:80 from VS [10.3.0.100]:tcp:80" 3

echo "# retry 2: three failed attempts, then removal"
nap 1.5 # everything up again; no other port refuses
mark
rsts; r0=$R
now; t0=$NOW
unlisten 10
FAILS=() removed="" r_at_removal=""
prev=$r0
for _ in $(seq 500); do # 20 ms polls, 10 s at most
	rsts
	if [ "$R" != "$prev" ]; then
		now
		for ((k = prev; k < R; k++)); do FAILS+=($((NOW - t0))); done
		prev=$R
	fi
	tbl
	weight_in $D 10
	if [ -z "$W" ]; then
		now; removed=$((NOW - t0)); rsts; r_at_removal=$((R - r0))
		break
	fi
	nap 0.02
done
echo "  failed attempts (ms after the kill): ${FAILS[*]:-none}; removed at ${removed:-never} ms, after $r_at_removal failed attempt(s)"
check "retry 2: removed" [ -n "$removed" ]
check "retry 2: exactly 3 failed attempts before the removal (saw $r_at_removal)" [ "${r_at_removal:-0}" = 3 ]
if [ "${#FAILS[@]}" -ge 1 ] && [ -n "$removed" ]; then
	span=$((removed - FAILS[0]))
	echo "  first failure -> removal: $span ms (2 x delay_before_retry = 2000 ms)"
	check "retry 2: removal 2000 ms (+-300) after the first failure ($span ms)" \
		eval '[ "$span" -ge 1700 ] && [ "$span" -le 2300 ]'
fi
check "retry 2: 'TCP_CHECK on service [10.4.0.10]:tcp:80 failed after 2 retries.' logged" \
	wait_log "TCP_CHECK on service [10.4.0.10]:tcp:80 failed after 2 retries." 3
check "retry 2: 'Removing service [10.4.0.10]:tcp:80 from VS [10.3.0.103]:tcp:80' logged" \
	wait_log "Removing service [10.4.0.10]:tcp:80 from VS [10.3.0.103]:tcp:80" 3
mark
listen 10 || fatal "listener .10 restart"
check "retry 2: one success brings .10 back" wait_for 5 has $D 10 1

echo "# reload keeps a failed server out"
mark
unlisten 3
check "reload: .3 removed first" wait_for 5 hasnt $A 3
wait_log "Removing service [10.4.0.3]" 3
conf 7 > "$T/vigil.conf"
mark
kill -HUP "$VPID"
# for 3 s after the SIGHUP, .3 must never be seen in the table
seen3="" w7=""
for _ in $(seq 150); do
	tbl
	weight_in $A 3
	[ -n "$W" ] && seen3=1
	weight_in $A 4
	[ "$W" = 7 ] && w7=1
	nap 0.02
done
check "reload: 'IPVS: reload applied' logged" wait_log "IPVS: reload applied" 5
since | grep -E "reload|Health checks|kept|Adding|Removing|Updating" | sed 's/^/  vigild: /'
check "reload: the new weight of .4 (7) is in" [ -n "$w7" ]
check "reload: .3 never seen in the table for 3 s after SIGHUP" [ -z "$seen3" ]
check "reload: .3 still out" hasnt $A 3
check "reload: no 'Adding service [10.4.0.3]' line" eval '! logged "Adding service [10.4.0.3]"'
check "reload: the checkers kept their state (log)" logged "kept their state"
mark
listen 3 || fatal "listener .3 restart"
check "reload: .3 back once it answers" wait_for 5 has $A 3 2

kill -TERM "$VPID"
wait_for 5 eval '! kill -0 $VPID 2>/dev/null'
wait "$VPID" 2>/dev/null
echo "# check.sh took $(($(date +%s) - START)) s"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
