#!/bin/sh
# An existing connection through an unchanged service survives a vigild
# reload and restart (run inside the VM by test/vm/run.sh, or directly
# where the kernel has IPVS; test/vm/conn-host.sh is the make check entry).
#
#   client 10.3.0.2 --- 10.3.0.1 director 10.4.0.1 --- 10.4.0.2 backend
#                       VIP 10.3.0.100, IPVS NAT
#                       10.3.0.100:7000 -> 10.4.0.2:7000
#
# Three namespaces; vigild -C programs the director. tcphold holds one TCP
# connection from the client through the VIP to an echo server on the
# backend, sending a numbered line every 100 ms and failing at once when
# an echo is more than 2 s late or the connection breaks. The connection
# must keep working across
#   (a) a reload that changes only another service (a real server's weight),
#   (b) kill -9 of every vigild process, then a restart,
#   (c) a reload that changes the weight of the very real server it goes to
#       (IPVS keeps established connections on a weight change),
# and each time the director must keep its IPVS connection entry, and the
# service its counters (a service deleted and re-added starts from zero).
# As a control that the test can fail, (d) deleting and re-adding the
# service by hand, as a daemon that flushes would, breaks a connection held
# the same way.
#
# net.ipv4.vs.expire_nodest_conn=1 in the director: with the default (0)
# IPVS silently drops the packets of a connection whose real server is
# gone, and when the same real server is added again it takes the old one
# out of its trash and the connection resumes, late. With 1 the first
# packet that meets the gap expires the connection and reaches the
# director's own stack, which resets it: any moment without the real
# server under a live connection shows, immediately and unmistakably.
#
# Environment: VIGILD (required); VIGIL_TCPHOLD, a built tcphold (default
# $(dirname $VIGILD)/test/tools/tcphold, else built here with cc from
# test/tools/tcphold.c). Ends with "N passed, N failed".
set -u
VIGILD=${VIGILD:?VIGILD must name the vigild to test}
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/vigil-conn.XXXXXX)
PASS=0
FAIL=0
NC=vcli$$ # client
ND=vdir$$ # director
NB=vbak$$ # backend
VIP=10.3.0.100
SVC=$VIP:7000
RS=10.4.0.2:7000
CPID="" # the tcphold client
CLOG="" # its output
VPID="" # vigild
LAST=0  # lines echoed at the last look
START=$(date +%s)

cleanup() {
	trap - EXIT INT TERM
	for ns in "$NC" "$ND" "$NB"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
	done
	for ns in "$NC" "$ND" "$NB"; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT
trap 'echo "terminated"; exit 143' TERM

check() {
	name=$1; shift
	if "$@"; then echo "ok - $name"; PASS=$((PASS + 1))
	else
		echo "FAIL - $name"; FAIL=$((FAIL + 1))
		[ -n "$CLOG" ] && [ -f "$CLOG" ] && sed 's/^/  client: /' "$CLOG" | tail -5
		[ -f "$T/vigil.log" ] && sed 's/^/  vigild: /' "$T/vigil.log" | tail -10
	fi
}
fatal() { # a step the rest depends on failed
	echo "FAIL - $*"; FAIL=$((FAIL + 1))
	for f in vigil server client; do
		[ -s "$T/$f.log" ] && sed "s/^/  $f: /" "$T/$f.log" | tail -15
	done
	echo "$PASS passed, $FAIL failed"
	exit 1
}

# wait_for SECONDS COMMAND...: COMMAND succeeds within SECONDS
wait_for() {
	w_n=$(( $1 * 10 )); shift
	while ! "$@"; do
		[ "$w_n" -gt 0 ] || return 1
		sleep 0.1; w_n=$((w_n - 1))
	done
}
# alive PID: running, not a zombie waiting for wait
alive() {
	a_s=""
	{ read -r _ _ a_s _ < "/proc/$1/stat"; } 2>/dev/null || return 1
	[ "$a_s" != Z ]
}
ended() { ! alive "$1"; }
# log lines since the last mark, so that a wait never matches an old line
mark() { MARK=$(wc -l < "$T/vigil.log"); }
logged() { tail -n +"$((MARK + 1))" "$T/vigil.log" | grep -qE "$1"; }
wait_log() { wait_for "$2" logged "$1"; }

# ---- tcphold ----------------------------------------------------------------
TCPHOLD=${VIGIL_TCPHOLD:-$(dirname "$VIGILD")/test/tools/tcphold}
if [ ! -x "$TCPHOLD" ]; then
	TCPHOLD=$T/tcphold
	cc -std=c11 -O1 -o "$TCPHOLD" "$HERE/../tools/tcphold.c" ||
		fatal "cannot build tcphold from $HERE/../tools/tcphold.c"
	echo "# built tcphold with cc in $(($(date +%s) - START)) s"
fi

# ---- the three namespaces -------------------------------------------------
nsx() { nsx_ns=$1; shift; ip netns exec "$nsx_ns" "$@"; }
for ns in "$NC" "$ND" "$NB"; do
	ip netns add "$ns" || fatal "ip netns add $ns"
	ip -n "$ns" link set lo up
done
# made in the namespaces: nothing touches the root namespace's links
ip link add cd0 netns "$NC" type veth peer name dc0 netns "$ND" || fatal "cannot make a veth pair"
ip link add bd0 netns "$NB" type veth peer name db0 netns "$ND" || fatal "cannot make a veth pair"
ip -n "$NC" addr add 10.3.0.2/24 dev cd0
ip -n "$ND" addr add 10.3.0.1/24 dev dc0
ip -n "$ND" addr add "$VIP/32" dev dc0
ip -n "$ND" addr add 10.4.0.1/24 dev db0
ip -n "$NB" addr add 10.4.0.2/24 dev bd0
for l in "$NC cd0" "$ND dc0" "$ND db0" "$NB bd0"; do
	# shellcheck disable=SC2086 # "NS LINK"
	set -- $l
	ip -n "$1" link set "$2" up
done
ip -n "$NC" route add "$VIP/32" via 10.3.0.1
ip -n "$NB" route add default via 10.4.0.1 # so that NAT replies return
nsx "$ND" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward &&
	echo 1 > /proc/sys/net/ipv4/vs/expire_nodest_conn' || fatal "director sysctls"

ip netns exec "$NB" "$TCPHOLD" server -t 600 "$RS" > "$T/server.log" 2>&1 &
wait_for 10 grep -q "listening on $RS" "$T/server.log" || fatal "the echo server did not start"

# ---- vigild -------------------------------------------------------------------
conf() { # WEIGHT of 10.4.0.2:7000, WEIGHT of the other service's real server
	cat <<CONF
virtual_server $VIP 7000 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.4.0.2 7000 {
        weight $1
    }
}
virtual_server $VIP 7001 {
    lb_algo wrr
    lb_kind NAT
    protocol TCP
    real_server 10.4.0.3 7001 {
        weight $2
    }
}
CONF
}
start_vigil() {
	# ip netns exec, not a function: $! must be vigild itself
	ip netns exec "$ND" "$VIGILD" -n -l -C -f "$T/vigil.conf" -p "$T/vigil.pid" \
		>> "$T/vigil.log" 2>&1 &
	VPID=$!
}
table() { nsx "$ND" ipvsadm -Sn; }
has_rule() { table | grep -qx -- "$1"; }

# ---- the held connection --------------------------------------------------------
# CLOG: the client's output; CEP: its address:port
start_client() { # LOG
	CLOG=$1
	ip netns exec "$NC" "$TCPHOLD" client -t 300 -i 100 -b 2000 "$SVC" > "$CLOG" 2>&1 &
	CPID=$!
	LAST=0
	wait_for 10 grep -q "^tcphold: connected" "$CLOG" || return 1
	CEP=$(sed -n 's/^tcphold: connected \([0-9.:]*\) -> .*/\1/p' "$CLOG")
	[ -n "$CEP" ]
}
# echoed: the number of lines the client has had echoed, asked by SIGUSR1
echoed() {
	e_n=$(grep -c 'lines echoed$' "$CLOG")
	kill -USR1 "$CPID" 2>/dev/null || return 1
	wait_for 3 sh -c "[ \$(grep -c 'lines echoed\$' '$CLOG') -gt $e_n ]" || return 1
	sed -n 's/^tcphold: \([0-9]*\) lines echoed$/\1/p' "$CLOG" | tail -1
}
# holds: after a second, the client is still running and has had at least
# 5 more lines echoed than at the last look
holds() {
	sleep 1
	if ! alive "$CPID"; then
		echo "  the client has ended:"; sed 's/^/  client: /' "$CLOG"
		return 1
	fi
	h_n=$(echoed)
	[ -n "$h_n" ] || { echo "  the client did not answer SIGUSR1"; return 1; }
	echo "  $h_n lines echoed (last look: $LAST)"
	[ "$h_n" -ge $((LAST + 5)) ] || return 1
	LAST=$h_n
}
# entry: the director still has the IPVS connection entry of the client
entry() {
	nsx "$ND" ipvsadm -Lnc | awk -v c="$CEP" -v s="$SVC" -v r="$RS" \
		'$1 == "TCP" && $3 == "ESTABLISHED" && $4 == c && $5 == s && $6 == r { f = 1 } END { exit !f }'
}
# svc_stats: "CONNS INPKTS" of the service (the kernel's estimator refreshes
# them every 2 s)
svc_stats() {
	nsx "$ND" ipvsadm -Ln --stats --exact -t "$SVC" | awk -v s="$SVC" '$1 == "TCP" && $2 == s { print $3, $4 }'
}
# shellcheck disable=SC2046 # two numbers
conns_are() { set -- "$1" $(svc_stats); [ "${2:-x}" = "$1" ]; }
# intact: the service still counts the connections made through it and
# its packet count has not gone back: it was not deleted and re-added
CONNS=1 # connections made through the service
PKTS=0  # its packets in, at the last look
intact() {
	# shellcheck disable=SC2046
	set -- $(svc_stats)
	echo "  service counters: ${1:-?} connection(s), ${2:-?} packets in" \
		"(last look: $CONNS, $PKTS)"
	[ "${1:-}" = "$CONNS" ] && [ "${2:-0}" -ge "$PKTS" ] || return 1
	PKTS=$2
}
# fresh: when the held connection has ended (a failure already counted),
# hold a new one, so that each step is judged on its own
NCLIENT=1
fresh() {
	alive "$CPID" && return 0
	NCLIENT=$((NCLIENT + 1))
	echo "  the connection has ended: a fresh one for what follows"
	f_c=$(svc_stats | cut -d' ' -f1)
	start_client "$T/client-$NCLIENT.log" || fatal "the client cannot connect through $SVC"
	wait_for 6 conns_are $((${f_c:-0} + 1))
	# shellcheck disable=SC2046
	set -- $(svc_stats)
	CONNS=${1:-0} PKTS=${2:-0}
}

echo "# setup"
conf 1 1 > "$T/vigil.conf"
: > "$T/vigil.log"
mark
start_vigil
wait_log "IPVS: 2 service\\(s\\) configured, [0-9]+ change\\(s\\) applied" 20 ||
	fatal "vigild did not program the table"
check "vigild programs the NAT service" has_rule "-a -t $SVC -r $RS -m -w 1"
start_client "$T/client.log" || fatal "the client cannot connect through $SVC"
check "the client is connected through the VIP" holds
check "the director has its IPVS connection entry" entry
check "the backend sees the client's own address (NAT)" grep -q "accepted $CEP\$" "$T/server.log"
check "the service has counted the connection" wait_for 6 conns_are 1
intact > /dev/null

echo "# (a) reload with a change to another service only"
conf 1 5 > "$T/vigil.conf"
mark
kill -HUP "$VPID"
check "(a) reload applies exactly one change" wait_log "IPVS: reload applied 1 change\\(s\\)" 10
check "(a) the other real server has its new weight" has_rule "-a -t $VIP:7001 -r 10.4.0.3:7001 -m -w 5"
check "(a) the connection holds" holds
check "(a) the IPVS connection entry is kept" entry
check "(a) the service was not re-created" intact

echo "# (b) kill -9 of every vigild process, then a restart"
fresh
# the director runs nothing but vigild: every process there is one of its
pids=$(ip netns pids "$ND")
[ -n "$pids" ] || fatal "no vigild process in the director"
# shellcheck disable=SC2086 # a list of numbers, on one line
set -- $pids
echo "  killing $# vigild process(es): $*"
for pid in $pids; do kill -STOP "$pid" 2>/dev/null; done
for pid in $pids; do kill -9 "$pid" 2>/dev/null; done
check "(b) every vigild process is gone" wait_for 5 sh -c "[ -z \"\$(ip netns pids $ND)\" ]"
wait_for 5 ended "$VPID" && wait "$VPID" 2>/dev/null
check "(b) the connection holds with no daemon" holds
mark
start_vigil
check "(b) the restart adopts the table: no change" \
	wait_log "IPVS: 2 service\\(s\\) configured, 0 change\\(s\\) applied" 20
check "(b) the connection holds after the restart" holds
check "(b) the IPVS connection entry is kept" entry
check "(b) the service was not re-created" intact

echo "# (c) reload that changes the weight of the connection's own real server"
fresh
conf 5 5 > "$T/vigil.conf"
mark
kill -HUP "$VPID"
check "(c) reload applies exactly one change" wait_log "IPVS: reload applied 1 change\\(s\\)" 10
check "(c) the real server has its new weight" has_rule "-a -t $SVC -r $RS -m -w 5"
check "(c) the connection holds" holds
check "(c) the IPVS connection entry is kept" entry
check "(c) the service was not re-created" intact

echo "# the connection, start to end"
kill -TERM "$CPID" 2>/dev/null
if wait_for 5 ended "$CPID"; then
	wait "$CPID"
	rc=$?
else
	rc=timeout
fi
sed 's/^/  client: /' "$CLOG" | tail -1
check "every line sent was echoed (client exit 0)" [ "$rc" = 0 ]
one_connection() {
	[ "$NCLIENT" -eq 1 ] && [ "$(grep -c '^tcphold: accepted' "$T/server.log")" -eq 1 ]
}
check "one connection from start to end" one_connection

echo "# (d) control: delete and re-add the service by hand"
# vigild would repair the table itself: kill -9 leaves the table as it is
for pid in $(ip netns pids "$ND"); do kill -9 "$pid" 2>/dev/null; done
wait_for 5 ended "$VPID" && wait "$VPID" 2>/dev/null
start_client "$T/control.log" || fatal "the control client cannot connect"
check "(d) the control connection works" holds
nsx "$ND" ipvsadm -D -t "$SVC"
sleep 0.3 # a line or two meet the gap, as under any daemon that flushes
nsx "$ND" ipvsadm -A -t "$SVC" -s rr
nsx "$ND" ipvsadm -a -t "$SVC" -r "$RS" -m -w 5
rc=still-running
if wait_for 5 ended "$CPID"; then
	rc=0
	wait "$CPID" || rc=$?
fi
check "(d) the flush ends the connection within 5 s" [ "$rc" != still-running ]
sed 's/^/  client: /' "$CLOG" | tail -1
check "(d) the client reports the fault (exit 1)" [ "$rc" = 1 ]
check "(d) ... and says what broke" grep -q "^tcphold: FAIL: " "$CLOG"
check "(d) the re-created service starts from zero" wait_for 6 conns_are 0

echo "# conn.sh took $(($(date +%s) - START)) s"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
