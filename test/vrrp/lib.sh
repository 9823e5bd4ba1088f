# lib.sh - a small director lab in network namespaces, for the VRRP tests
# and benchmarks. Source it; call lab_up, then start daemons; lab_down
# runs from an EXIT trap and removes everything, even after a failure.
#
# Topology (all names carry the test's PID so runs never collide):
#   ${P}sw : bridge br0 (multicast snooping off)
#   ${P}lb1: eth0 10.11.12.1/24 fd00:11:12::1/64   } directors
#   ${P}lb2: eth0 10.11.12.2/24 fd00:11:12::2/64   }
#   ${P}cl : eth0 10.11.12.10/24 fd00:11:12::10/64    client
# Traffic stays inside these namespaces.

P="v$$"
LAB_PIDS=""
LAB_TMP=""
LAB_FAILED=0
LAB_PASSED=0

lab_need_root() {
	if [ "$(id -u)" -ne 0 ] || ! ip netns add "${P}probe" 2>/dev/null; then
		echo "SKIP: needs root and network namespaces"
		exit 77
	fi
	ip netns del "${P}probe"
}

lab_ns() { echo "${P}$1"; }

# lab_ping_lost FILE: replies missing in a finished ping's summary
# ("N packets transmitted, M received"): N - M
lab_ping_lost() {
	tx=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1/p' "$1")
	rx=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\2/p' "$1")
	echo $(( ${tx:-0} - ${rx:-0} ))
}

# lab_reference: whether to run keepalived's reference scenarios. They
# measure keepalived, so the sanitizer pass (make check sets
# VIGIL_SANITIZED there) leaves them to the plain build's run.
lab_reference() {
	if [ -n "${VIGIL_SANITIZED:-}" ]; then
		echo "# keepalived's reference figures: in the plain build's run"
		return 1
	fi
	return 0
}

# Timing tests run one at a time: see test/timing-lock.sh.
# lib.sh is sourced by the tests in test/*/, by scripts/demo.sh (after a
# cd) and by the benchmarks in bench/: timing-lock.sh is looked for beside
# the caller, then in the source tree the caller names ($top, $TOP,
# $TOP_SRCDIR).
for _d in "$(dirname "$0")/.." "${top:-}/test" "${TOP:-}/test" "${TOP_SRCDIR:-}/test"; do
	if [ -f "$_d/timing-lock.sh" ]; then
		. "$_d/timing-lock.sh"
		break
	fi
done
command -v timing_lock >/dev/null || { echo "lib.sh: test/timing-lock.sh not found" >&2; exit 99; }
lab_serialize() {
	timing_lock
}

lab_up() {
	lab_serialize
	LAB_TMP=$(mktemp -d /tmp/vigil-lab.XXXXXX)
	ip netns add "${P}sw"
	ip -n "${P}sw" link add br0 type bridge mcast_snooping 0
	ip -n "${P}sw" link set br0 up
	for h in lb1 lb2 cl; do
		ip netns add "${P}$h"
		ip -n "${P}sw" link add "v$h" type veth peer name eth0 netns "${P}$h"
		ip -n "${P}sw" link set "v$h" master br0 up
		ip netns exec "${P}$h" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.eth0.accept_dad=0
		ip -n "${P}$h" link set lo up
		ip -n "${P}$h" link set eth0 up
	done
	ip -n "${P}lb1" addr add 10.11.12.1/24 dev eth0
	ip -n "${P}lb2" addr add 10.11.12.2/24 dev eth0
	ip -n "${P}cl" addr add 10.11.12.10/24 dev eth0
	ip -n "${P}lb1" addr add fd00:11:12::1/64 dev eth0 nodad
	ip -n "${P}lb2" addr add fd00:11:12::2/64 dev eth0 nodad
	ip -n "${P}cl" addr add fd00:11:12::10/64 dev eth0 nodad
	# link-local addresses come up with the link; wait until both have one
	for h in lb1 lb2; do
		i=0
		while ! ip -n "${P}$h" -6 addr show dev eth0 scope link | grep -q inet6; do
			i=$((i + 1)); [ $i -gt 50 ] && break; sleep 0.1
		done
	done
}

lab_down() {
	for pid in $LAB_PIDS; do kill -9 "$pid" 2>/dev/null; done
	# at: a routed attacker some tests add behind cl
	for h in lb1 lb2 cl at sw; do
		# processes left in the namespace (daemons, their workers, scripts)
		for pid in $(ip netns pids "${P}$h" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
		ip netns del "${P}$h" 2>/dev/null
	done
	[ -n "$LAB_TMP" ] && rm -rf "$LAB_TMP"
	return 0
}

# lab_vigil HOST CONFIG_TEXT: start vigild in HOST; its log is $LAB_TMP/HOST.log
lab_vigil() {
	printf '%s\n' "$2" > "$LAB_TMP/$1.conf"
	ip netns exec "${P}$1" "$VIGILD" -n -l -f "$LAB_TMP/$1.conf" -p "$LAB_TMP/$1.pid" \
		>> "$LAB_TMP/$1.log" 2>&1 9>&- &
	eval "PID_$1=$!"
	LAB_PIDS="$LAB_PIDS $!"
}

# lab_keepalived HOST CONFIG_TEXT: keepalived 2.2.7, VRRP only, log to console
lab_keepalived() {
	printf '%s\n' "$2" > "$LAB_TMP/$1.conf"
	ip netns exec "${P}$1" keepalived -P -n -l -D -f "$LAB_TMP/$1.conf" \
		-p "$LAB_TMP/$1.kpid" -r "$LAB_TMP/$1.vpid" >> "$LAB_TMP/$1.log" 2>&1 9>&- &
	eval "PID_$1=$!"
	LAB_PIDS="$LAB_PIDS $!"
}

# lab_stop_pair VIP: stop both directors' daemons (thawed first, in case a
# test froze one; SIGTERM, then SIGKILL after 0.5 s), remove VIP/24 from
# both, empty their logs and the client's neighbour cache: the lab as a
# new scenario wants it.
lab_stop_pair() {
	lab_kill lb1 CONT; lab_kill lb2 CONT
	lab_kill lb1 TERM; lab_kill lb2 TERM
	sleep 0.5
	lab_kill lb1 KILL; lab_kill lb2 KILL
	for h in lb1 lb2; do
		ip -n "${P}$h" addr del "$1/24" dev eth0 2>/dev/null
		: > "$LAB_TMP/$h.log"
	done
	ip -n "${P}cl" neigh flush dev eth0 2>/dev/null
}

# lab_kill HOST SIGNAL: signal every process of the daemon in HOST
lab_kill() {
	for pid in $(ip netns pids "${P}$1" 2>/dev/null); do kill "-$2" "$pid" 2>/dev/null; done
}

# lab_wait_log HOST PATTERN SECONDS: wait for a log line (grep -E)
lab_wait_log() {
	i=0
	while [ $i -lt $(( $3 * 20 )) ]; do
		grep -qE "$2" "$LAB_TMP/$1.log" 2>/dev/null && return 0
		sleep 0.05; i=$((i + 1))
	done
	return 1
}

# lab_has_addr HOST ADDR: is ADDR on HOST's eth0?
lab_has_addr() {
	ip -n "${P}$1" addr show dev eth0 | grep -qw "$2"
}

# lab_wait_addr HOST ADDR yes|no SECONDS
lab_wait_addr() {
	i=0
	while [ $i -lt $(( $4 * 20 )) ]; do
		if lab_has_addr "$1" "$2"; then [ "$3" = yes ] && return 0
		else [ "$3" = no ] && return 0; fi
		sleep 0.05; i=$((i + 1))
	done
	return 1
}

# check NAME COMMAND...: one test result line
check() {
	name=$1; shift
	if "$@"; then
		echo "ok - $name"; LAB_PASSED=$((LAB_PASSED + 1))
	else
		echo "FAIL - $name"; LAB_FAILED=$((LAB_FAILED + 1))
		for h in lb1 lb2; do
			[ -f "$LAB_TMP/$h.log" ] && { echo "--- $h log (tail)"; tail -15 "$LAB_TMP/$h.log"; }
		done
	fi
}

# A part a test could not run here is named in LAB_NOT_RUN ("ipvlan: no
# ipvlan in this kernel"): the closing line says so.
LAB_NOT_RUN=""
lab_summary() {
	echo "$LAB_PASSED passed, $LAB_FAILED failed${LAB_NOT_RUN:+; not run: $LAB_NOT_RUN}"
	[ "$LAB_FAILED" -eq 0 ]
}

# ---- helpers for interop.sh, malformed.sh and bench/vrrp-failover.sh ----

# lab_msgs HOST: HOST's log with the timestamps cut off, vigild's
# ("Sun Nov 22 01:02:03.456 ") and keepalived's ("Sun Nov 22 01:02:03 2026: ")
lab_msgs() {
	sed -E 's/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8}(\.[0-9]+)?( [0-9]{4}:)? //' \
		"$LAB_TMP/$1.log" 2>/dev/null
}

# lab_mark HOST: how many lines HOST's log has now; pass it to the *_since helpers
lab_mark() {
	if [ -f "$LAB_TMP/$1.log" ]; then wc -l < "$LAB_TMP/$1.log" | tr -d ' '; else echo 0; fi
}

# lab_since HOST MARK: the lines HOST logged after MARK
lab_since() { tail -n "+$(( $2 + 1 ))" "$LAB_TMP/$1.log" 2>/dev/null; }

# lab_wait_since HOST MARK PATTERN SECONDS: lab_wait_log on the lines after MARK
lab_wait_since() {
	i=0
	while [ $i -lt $(( $4 * 20 )) ]; do
		lab_since "$1" "$2" | grep -qE "$3" && return 0
		sleep 0.05; i=$((i + 1))
	done
	return 1
}

# lab_none_since HOST MARK PATTERN: no line after MARK matches
lab_none_since() { ! lab_since "$1" "$2" | grep -qE "$3"; }

# lab_block_vrrp HOST / lab_unblock_vrrp HOST: drop the VRRP packets HOST
# sends (nftables output hook, both families; its receiving is untouched):
# a one-way partition that makes split-brain heal in a known order
lab_block_vrrp() {
	ip netns exec "${P}$1" nft -f - <<EOT
table inet lab_block {
	chain out {
		type filter hook output priority 0; policy accept;
		meta l4proto 112 drop
	}
}
EOT
}
lab_unblock_vrrp() { ip netns exec "${P}$1" nft delete table inet lab_block 2>/dev/null; }

# lab_pids HOST: the processes in HOST's namespace (a daemon and its children)
lab_pids() { ip netns pids "${P}$1" 2>/dev/null; }

# lab_rss_kb HOST: VmRSS summed over HOST's processes, in kB
lab_rss_kb() {
	t=0
	for pid in $(lab_pids "$1"); do
		k=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
		t=$((t + ${k:-0}))
	done
	echo $t
}

# lab_cpu_ticks HOST: utime + stime summed over HOST's processes, in clock ticks
lab_cpu_ticks() {
	t=0
	for pid in $(lab_pids "$1"); do
		# the fields after "(comm)": state is $1 there, utime $12, stime $13
		k=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }')
		t=$((t + ${k:-0}))
	done
	echo $t
}

# lab_watch HOST SECONDS FILE: netwatch on HOST's eth0 in the background
# (LAB_WATCH_PID); $NETWATCH must be set; it stops by itself after SECONDS
lab_watch() {
	ip netns exec "${P}$1" "$NETWATCH" eth0 "$2" > "$3" 2>&1 &
	LAB_WATCH_PID=$!
	LAB_PIDS="$LAB_PIDS $!"
	i=0
	while ! grep -q start "$3" 2>/dev/null && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
}

# lab_crash HOST: the death of HOST as seen from the wire: every process
# in HOST stopped first, then killed. (lab_kill HOST KILL kills them one
# by one: a worker whose parent dies first gets its parent-death signal
# and may resign gracefully, priority 0, before its own SIGKILL.)
lab_crash() {
	for pid in $(lab_pids "$1"); do kill -STOP "$pid" 2>/dev/null; done
	for pid in $(lab_pids "$1"); do kill -KILL "$pid" 2>/dev/null; done
}

# lab_kill_stamped HOST SIGNAL: lab_kill (KILL as lab_crash does it),
# printing "MONOTONIC_NS REALTIME_NS" read just before the first kill(2):
# netwatch stamps with CLOCK_MONOTONIC, "ip -ts monitor" with the
# real-time clock (perl's Time::HiRes is core)
lab_kill_stamped() {
	perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC,CLOCK_REALTIME -e '
		my $sig = shift;
		my ($m, $r) = (clock_gettime(CLOCK_MONOTONIC), clock_gettime(CLOCK_REALTIME));
		kill "STOP", @ARGV if $sig eq "KILL";
		kill $sig, @ARGV;
		printf "%.0f %.0f\n", $m * 1e9, $r * 1e9;' "$2" $(lab_pids "$1")
}
