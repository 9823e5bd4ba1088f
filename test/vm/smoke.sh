#!/bin/sh
# shellcheck disable=SC2016 # the sh -c scripts take their values as arguments
# Guest-side smoke test of the IPVS VM (test/vm/run.sh test/vm/smoke.sh):
# the kernel has IPVS, ipvsadm from the host's root drives it, tables are
# per network namespace, veth pairs work. Needs root. Where it runs directly
# on a host with IPVS it works in a private network namespace of its own,
# leaving the host's table alone.
set -u
if [ "$(id -u)" -ne 0 ]; then
	echo "smoke: needs root"
	exit 77
fi
if [ "${VIGIL_VM:-0}" != 1 ] && [ "${SMOKE_PRIVATE:-0}" != 1 ]; then
	SMOKE_PRIVATE=1 exec unshare -n "$0" "$@"
fi

PASS=0 FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok - $1"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $1"; }
check() { # check NAME COMMAND...
	name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
NS=vigil-smoke-$$
cleanup() {
	ipvsadm -C 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	ip link del smk0 2>/dev/null
}
trap cleanup EXIT

echo "smoke: kernel $(uname -r)"
check "/proc/net/ip_vs exists" test -e /proc/net/ip_vs
check "ipvsadm is installed" sh -c "command -v ipvsadm >/dev/null"

check "ipvsadm -A (virtual service)" ipvsadm -A -t 10.99.0.1:80 -s rr
check "ipvsadm -a (real server, masq, weight 3)" ipvsadm -a -t 10.99.0.1:80 -r 10.99.0.2:80 -m -w 3
out=$(ipvsadm -Ln 2>&1)
echo "$out" | sed 's/^/  | /'
check "-Ln lists the service" \
	sh -c 'echo "$1" | grep -Eq "^TCP +10\.99\.0\.1:80 +rr *$"' - "$out"
check "-Ln lists the real server" \
	sh -c 'echo "$1" | grep -Eq "^ +-> +10\.99\.0\.2:80 +Masq +3 +0 +0 *$"' - "$out"
check "/proc/net/ip_vs shows the service (0A630001:0050)" \
	grep -q "TCP  0A630001:0050 rr" /proc/net/ip_vs

check "ip netns add" ip netns add "$NS"
nsout=$(ip netns exec "$NS" ipvsadm -Ln 2>&1)
echo "$nsout" | sed 's/^/  | /'
check "a fresh namespace has an empty table" \
	sh -c 'echo "$1" | grep -q "^IP Virtual Server" && ! echo "$1" | grep -Eq "^(TCP|UDP|SCTP|FWM) "' - "$nsout"
check "a service added in the namespace" \
	ip netns exec "$NS" ipvsadm -A -u 10.99.0.3:53 -s wrr
check "... stays in the namespace" \
	sh -c '! ipvsadm -Ln | grep -q 10.99.0.3 && ip netns exec "$1" ipvsadm -Ln | grep -Eq "^UDP +10\.99\.0\.3:53 +wrr"' - "$NS"

check "a veth pair into the namespace" \
	sh -c 'ip link add smk0 type veth peer name smk1 && ip link set smk1 netns "$1" &&
		ip addr add 10.99.1.1/24 dev smk0 && ip link set smk0 up &&
		ip -n "$1" addr add 10.99.1.2/24 dev smk1 && ip -n "$1" link set smk1 up &&
		ip -n "$1" link set lo up' - "$NS"
check "ping across it" ping -c 1 -W 5 10.99.1.2
check "ipvsadm -C" ipvsadm -C
check "the table is empty again" sh -c '! ipvsadm -Ln | grep -q "^TCP "'

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
