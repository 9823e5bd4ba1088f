# lib1ns.sh - for the tests that need one node and a wire, not a director
# pair (test/vrrp/lib.sh has the pair): network namespaces of the test's
# own, each with a veth pair eth0 == eth1 (eth0 carries the node's
# address; a watcher can listen on eth1), the usual check/summary, and an
# EXIT trap that removes everything, even after a failure. Source it,
# then call ns1_need_root and ns1_add. (This kernel may have no dummy
# driver: hence the veth pair.)
#
#   ns1_need_root           skip (77) without root or network namespaces
#   ns1_add NS ADDR/PLEN    namespace NS: eth0 ADDR/PLEN == eth1, both up, lo up
#   check NAME CMD...       one result line; on failure the tail of $NS1_LOG
#   wait_for SECS CMD...    CMD succeeds within SECS (polled every 20 ms)
#   ns1_summary             "N passed, N failed", and the exit status
# NS1_TMP is a scratch folder; NS1_KILL lists pids to kill at the end.

NS1_NSES=""
NS1_KILL=""
NS1_PASS=0
NS1_FAIL=0
NS1_LOG=/dev/null
NS1_TMP=$(mktemp -d /tmp/vigil-ns1.XXXXXX) || exit 99

ns1_cleanup() {
	trap - EXIT
	for pid in $NS1_KILL; do kill -9 "$pid" 2>/dev/null; done
	for ns in $NS1_NSES; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$NS1_TMP"
}
trap ns1_cleanup EXIT
trap 'exit 1' INT TERM

ns1_need_root() {
	if [ "$(id -u)" -ne 0 ] || ! ip netns add "vns1p$$" 2>/dev/null; then
		echo "SKIP: needs root and network namespaces"
		exit 77
	fi
	ip netns del "vns1p$$"
}

ns1_add() {
	ip netns add "$1" || exit 99
	NS1_NSES="$NS1_NSES $1"
	ip -n "$1" link add eth0 type veth peer name eth1
	ip -n "$1" addr add "$2" dev eth0
	ip -n "$1" link set eth1 up
	ip -n "$1" link set eth0 up
	ip -n "$1" link set lo up
}

check() {
	name=$1; shift
	if "$@"; then
		echo "ok - $name"; NS1_PASS=$((NS1_PASS + 1))
	else
		echo "FAIL - $name"; NS1_FAIL=$((NS1_FAIL + 1))
		tail -15 "$NS1_LOG" 2>/dev/null
	fi
}

wait_for() {
	n=$(($1 * 50)); shift
	while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.02; n=$((n - 1)); done
	return 1
}

ns1_summary() {
	echo "$NS1_PASS passed, $NS1_FAIL failed"
	[ "$NS1_FAIL" -eq 0 ]
}
