#!/bin/sh
# selfadvert.sh - issue 14: nothing a node hears, its own adverts included,
# may make it flood the network or the log. For vigild, then keepalived
# 2.2.7 as the reference (where installed), on the same two directors:
#   a  the same unicast_peer list on both nodes, each naming both (what
#      configuration tools write): the election as usual, the master's
#      adverts on the wire at advert_int, the log quiet, over 10 s
#   b  the master's own adverts replayed back at it from the wire (source
#      10.11.12.1, accept_local on) at 10,000 a second for 5 s: it stays
#      master, its advert rate and CPU stay normal, its log a few lines
#   c  a peer's lower-priority adverts at 10,000 a second for 5 s: the
#      same (the master answers within its transmit cap)
# Figures (adverts a second on the wire, log lines, CPU of the master's
# processes) are printed as "# figures: ..." lines for each daemon;
# assertions are on vigild's. ("interface lo" refused: test/conf/bad-input.sh.)
# Needs root; skips (77) without it. keepalived is optional.
#
#   VIGILD=build/vigild sh test/vrrp/selfadvert.sh
set -u
. "$(dirname "$0")/lib.sh"
lab_need_root
TOOLS=$(dirname "$VIGILD")/test/tools
NETWATCH=${NETWATCH:-$TOOLS/netwatch}
VRRPSEND=${VRRPSEND:-$TOOLS/vrrpsend}
for t in "$VIGILD" "$NETWATCH" "$VRRPSEND"; do
	[ -x "$t" ] || { echo "SKIP: $t not built"; exit 77; }
done
KEEPALIVED=$(command -v keepalived || echo /usr/sbin/keepalived)
trap lab_down EXIT INT TERM
lab_up
HZ=$(getconf CLK_TCK)
CL=$(lab_ns cl)

# a second address on lb1, listed as a peer too: skipped as one of the
# node's own addresses though it is not the advert source
ip -n "$(lab_ns lb1)" addr add 10.11.12.21/24 dev eth0
# the master takes packets with its own address as source from the wire
# (Linux drops them as martians otherwise): the replay of scenario b
ip netns exec "$(lab_ns lb1)" sysctl -qw net.ipv4.conf.all.accept_local=1 \
	net.ipv4.conf.eth0.accept_local=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0

# conf PRIO SRC: the instance of the issue, in keepalived's syntax
conf() {
	cat <<EOC
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $1
    advert_int 1
    unicast_src_ip $2
    unicast_peer {
        10.11.12.1
        10.11.12.2
        10.11.12.21
    }
    virtual_ipaddress {
        10.11.12.99/32
    }
}
EOC
}

start() { # KIND HOST PRIO SRC
	if [ "$1" = vigil ]; then
		lab_vigil "$2" "$(conf "$3" "$4")"
	else
		rm -f "$LAB_TMP/$2.kpid" "$LAB_TMP/$2.vpid"
		lab_keepalived "$2" "$(conf "$3" "$4")"
	fi
}

stop_both() {
	lab_kill lb1 TERM; lab_kill lb2 TERM
	i=0
	while { [ -n "$(lab_pids lb1)" ] || [ -n "$(lab_pids lb2)" ]; } && [ $i -lt 40 ]; do
		sleep 0.05; i=$((i + 1))
	done
	lab_kill lb1 KILL; lab_kill lb2 KILL
	for h in lb1 lb2; do ip -n "$(lab_ns $h)" addr del 10.11.12.99/32 dev eth0 2>/dev/null; done
}

# window KIND NAME SECONDS [VRRPSEND_ARGS...]: watch lb1's adverts as lb2
# receives them for SECONDS, with the sender (if any) running from the
# client meanwhile; sets ADV (lb1's adverts a second on the wire, x10),
# LINES1/LINES2 (log lines of lb1/lb2), CPU (lb1's processes, % of one
# core), SENT (vrrpsend's summary) and prints them
window() {
	w_kind=$1 w_name=$2 w_secs=$3
	shift 3
	w_m1=$(lab_mark lb1); w_m2=$(lab_mark lb2)
	lab_watch lb2 "$w_secs" "$LAB_TMP/watch.txt"
	w_c0=$(lab_cpu_ticks lb1)
	w_t0=$(awk '{ print $1 }' /proc/uptime)
	SENT=
	if [ $# -gt 0 ]; then
		SENT=$(ip netns exec "$CL" "$VRRPSEND" "$@" 2>&1)
	fi
	# the rest of the window
	w_left=$(awk -v a="$w_t0" -v s="$w_secs" -v b="$(awk '{ print $1 }' /proc/uptime)" \
		'BEGIN { l = a + s - b; printf "%.2f", (l > 0 ? l : 0) }')
	sleep "$w_left"
	w_c1=$(lab_cpu_ticks lb1)
	wait "$LAB_WATCH_PID" 2>/dev/null
	n=$(grep -c "vrrp 10.11.12.1 vrid 51 " "$LAB_TMP/watch.txt")
	ADV=$(awk -v n="$n" -v s="$w_secs" 'BEGIN { printf "%.1f", n / s }')
	ADV10=$(awk -v n="$n" -v s="$w_secs" 'BEGIN { printf "%d", n * 10 / s }')
	LINES1=$(lab_since lb1 "$w_m1" | wc -l | tr -d ' ')
	LINES2=$(lab_since lb2 "$w_m2" | wc -l | tr -d ' ')
	CPU=$(awk -v t=$((w_c1 - w_c0)) -v hz="$HZ" -v s="$w_secs" \
		'BEGIN { printf "%.1f", t * 100 / hz / s }')
	CPUI=${CPU%.*}
	w_flips=$(( $(lab_since lb1 "$w_m1" | grep -c "Entering BACKUP STATE") + \
		$(lab_since lb2 "$w_m2" | grep -c "Entering MASTER STATE") ))
	echo "# figures: $w_kind $w_name: lb1 adverts on the wire $ADV/s ($n in $w_secs s), log lines lb1 $LINES1 lb2 $LINES2, lb1 CPU $CPU% of a core, mastership changes $w_flips${SENT:+; sender: $SENT}"
	# what lb1 said (the first lines; keepalived's may be thousands)
	lab_since lb1 "$w_m1" | head -12 | sed "s/^/#   $w_kind lb1: /"
}

between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }   # V LO HI
sender_ok() { echo "$SENT" | grep -q '50000 sent, 0 failed'; }

status() { ip netns exec "$(lab_ns lb1)" "$VIGILD" --status -p "$LAB_TMP/lb1.pid" 2>/dev/null; }
# drops of REASON in lb1's status (written every 2 s)
status_drops() {
	status | grep -o "\"$1\":[0-9]*" | head -1 | sed 's/.*://'
}

# SENDER: vrrpsend arguments for an advert of VI_1 (VRRPv2, no auth) as
# SRC with PRIO, to lb1, at 10,000 a second for 5 s
flood() { # SRC PRIO
	echo -V 2 -r 51 -p "$2" -I 1 -a 10.11.12.99 -s "$1" -d 10.11.12.1 -H 10000 -C 50000
}

scenarios() { # KIND
	kind=$1
	: > "$LAB_TMP/lb1.log"; : > "$LAB_TMP/lb2.log"
	start "$kind" lb1 150 10.11.12.1
	start "$kind" lb2 100 10.11.12.2
	if ! lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 8; then
		check "$kind: lb1 becomes master" false
		stop_both
		return
	fi
	sleep 1

	# ---- a: the shared peer list, 10 s of normal running
	window "$kind" shared-peers 10
	if [ "$kind" = vigil ]; then
		check "a: lb1 master, lb2 backup" lab_wait_log lb2 "\(VI_1\) Entering BACKUP STATE" 1
		check "a: lb2 never master" lab_none_since lb2 0 "Entering MASTER STATE"
		check "a: lb1 skipped its own address in unicast_peer, naming the line" \
			lab_wait_log lb1 "\(VI_1\) .*lb1\.conf:9:9: unicast_peer 10\.11\.12\.1 is this node's own address" 1
		check "a: lb2 skipped its own address in unicast_peer, naming the line" \
			lab_wait_log lb2 "\(VI_1\) .*lb2\.conf:10:9: unicast_peer 10\.11\.12\.2 is this node's own address" 1
		check "a: lb1 skipped its second address too" \
			lab_wait_log lb1 "\(VI_1\) .*lb1\.conf:11:9: unicast_peer 10\.11\.12\.21 is this node's own address; skipped" 1
		check "a: lb2 sends to 10.11.12.21 (not its own)" lab_none_since lb2 0 "unicast_peer 10\.11\.12\.21"
		check "a: adverts at advert_int on the wire ($ADV/s in [0.8, 1.2])" between "$ADV10" 8 12
		check "a: log quiet ($LINES1 + $LINES2 lines in 10 s)" [ $((LINES1 + LINES2)) -le 2 ]
		check "a: lb1 idle (CPU $CPU%)" [ "${CPUI:-100}" -lt 5 ]
	fi

	# ---- b: the master's own adverts replayed at it
	m1=$(lab_mark lb1)
	# shellcheck disable=SC2046
	window "$kind" own-replay 6 $(flood 10.11.12.1 150)
	if [ "$kind" = vigil ]; then
		check "b: the sender sent its 50000 ($SENT)" sender_ok
		check "b: lb1 stays master" lab_none_since lb1 "$m1" "Entering BACKUP STATE"
		check "b: lb2 stays backup" lab_none_since lb2 0 "Entering MASTER STATE"
		check "b: advert rate normal ($ADV/s in [0.8, 1.4])" between "$ADV10" 8 14
		check "b: one line for the replay ($LINES1 lines)" [ "$LINES1" -le 3 ]
		check "b: the line says what happened" lab_wait_since lb1 "$m1" \
			"\(VI_1\) advert from our own address: from 10\.11\.12\.1, priority 150" 1
		check "b: lb1 CPU modest ($CPU%)" [ "${CPUI:-100}" -lt 60 ]
		sleep 2
		own=$(status_drops "advert from our own address")
		echo "# figures: vigil own-replay: lb1 counted ${own:-?} adverts from its own address (50000 sent)"
		check "b: the replay counted in the status drops (${own:-none} >= 45000)" [ "${own:-0}" -ge 45000 ]
		# from lb1's other address: recognised from the kernel's list
		# shellcheck disable=SC2046
		SENT=$(ip netns exec "$CL" "$VRRPSEND" $(flood 10.11.12.21 150 | sed 's/-C 50000/-C 2000/') 2>&1)
		sleep 2.5
		own2=$(status_drops "advert from our own address")
		check "b: a replay from lb1's second address counted too (${own:-0} -> ${own2:-none})" \
			[ "${own2:-0}" -ge $(( ${own:-0} + 1800 )) ]
		check "b: lb1 still master" lab_none_since lb1 "$m1" "Entering BACKUP STATE"
	fi

	# ---- c: a peer floods lower-priority adverts
	m1=$(lab_mark lb1)
	# shellcheck disable=SC2046
	window "$kind" lower-flood 6 $(flood 10.11.12.2 50)
	if [ "$kind" = vigil ]; then
		check "c: lb1 stays master" lab_none_since lb1 "$m1" "Entering BACKUP STATE"
		check "c: lb2 stays backup" lab_none_since lb2 0 "Entering MASTER STATE"
		# 1 a second by schedule, at most 3 more a second as answers
		check "c: adverts within the transmit cap ($ADV/s <= 4.5)" [ "$ADV10" -le 45 ]
		check "c: some answers went out (RFC 5798 allows them; $ADV/s > 1.5)" [ "$ADV10" -ge 15 ]
		check "c: log lines bounded ($LINES1 <= 12)" [ "$LINES1" -le 12 ]
		check "c: lb1 CPU modest ($CPU%)" [ "${CPUI:-100}" -lt 60 ]
		check "c: keepalived's line, rate-limited" lab_wait_since lb1 "$m1" \
			"\(VI_1\) Received advert from 10\.11\.12\.2 with lower priority 50, ours 150, forcing new election" 1
		sleep 2
		sup=$(status | grep -o '"tx_suppressed":[0-9]*' | sed 's/.*://')
		echo "# figures: vigil lower-flood: lb1 held back ${sup:-?} answers (tx_suppressed)"
		check "c: the cap counted in status (tx_suppressed ${sup:-none} > 1000)" [ "${sup:-0}" -gt 1000 ]
	fi
	stop_both
}

# ---- d: a loopback at run time: -t refuses "interface lo" (bad-input.sh);
# a default_interface naming it passes -t, the engine refuses it by its flag
lab_vigil lb1 "global_defs {
    default_interface lo
}
vrrp_instance VI_1 {
    virtual_router_id 51
    priority 150
    advert_int 0.1
    virtual_ipaddress {
        10.11.12.99/32
    }
}"
check "d: an instance on lo refused at run time" \
	lab_wait_log lb1 "\(VI_1\) cannot use a loopback interface \(lo\) for vrrp" 4
sleep 1
lines=$(wc -l < "$LAB_TMP/lb1.log")
echo "# figures: vigil default_interface lo: $lines log lines in all"
check "d: and nothing more to say ($lines lines)" [ "$lines" -le 10 ]
check "d: no VIP on lo" sh -c "! ip -n $(lab_ns lb1) addr show dev lo | grep -q 10.11.12.99"
lab_crash lb1

t0=$(awk '{ print $1 }' /proc/uptime)
scenarios vigil
if ! lab_reference; then
	:
elif [ -x "$KEEPALIVED" ]; then
	scenarios keepalived
else
	echo "# keepalived not installed: no reference figures"
fi
echo "# scenarios ran in $(awk -v a="$t0" '{ printf "%d", $1 - a }' /proc/uptime) s"
lab_summary
