#!/bin/bash
# check-tcp.sh - 1,000 TCP_CHECKs at delay_loop 1, vigil beside keepalived,
# in one boot of the test/vm guest (this machine's kernel may have no
# IPVS; where it has, the guest side runs here directly). Prints checks/s,
# CPU-seconds per second and RSS of each daemon's processes, and the
# verdicts against the targets: vigil's CPU per check <= 0.5 x
# keepalived's (CPU-seconds over the checks counted at the backend, judged
# on all CPU and on user CPU), vigil's memory < keepalived's. A benchmark: exits 0 whatever the figures; 77
# when it cannot run; 1 when the guest side failed.
#
#   bench/check-tcp.sh build/vigild [ACCEPTCOUNT]              # as root
#   NVS=100 NRS=10 WARMUP=12 MEASURE=25 KEEP=/tmp/x bench/check-tcp.sh build/vigild
#
# bench/check-http.sh is the same with HTTP_GET (CHECK_KIND=http).
# Layout, figures and caveats: bench/README-check.md.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
KIND=${CHECK_KIND:-tcp}
NAME=check-$KIND
VIGILD=$(realpath -e "${1:?usage: $NAME.sh VIGILD [ACCEPTCOUNT]}") || exit 1
NVS=${NVS:-100}
NRS=${NRS:-10}
[ "$(id -u)" -eq 0 ] || { echo "$NAME: needs root"; exit 77; }
command -v ipvsadm > /dev/null || { echo "$NAME: needs ipvsadm"; exit 77; }
host_has_ipvs() {
	[ -e /proc/net/ip_vs ] && return 0
	command -v modprobe > /dev/null 2>&1 && modprobe -q ip_vs 2> /dev/null && [ -e /proc/net/ip_vs ]
}
if [ "${VIGIL_VM_FORCE:-0}" = 1 ] || ! host_has_ipvs; then
	command -v qemu-system-x86_64 > /dev/null || { echo "$NAME: no IPVS here and no qemu (scripts/deps.sh --vm)"; exit 77; }
	"$TOP/test/vm/prepare.sh" -q || exit 77
fi

W=$(mktemp -d /tmp/$NAME.XXXXXX) || exit 1
trap '[ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp -r "$W"/. "$KEEP"/; rm -rf "$W"' EXIT
cp "$VIGILD" "$W/vigild" || exit 1 # others may rebuild build/vigild meanwhile
ACC=${2:-$(dirname "$VIGILD")/test/tools/acceptcount}
if [ -x "$ACC" ]; then
	cp "$ACC" "$W/acceptcount"
else
	cc -std=c11 -O2 -o "$W/acceptcount" "$TOP/test/tools/acceptcount.c" || { echo "$NAME: cannot build acceptcount"; exit 1; }
fi
awk -v nvs="$NVS" -v nrs="$NRS" -v kind="$KIND" -f "$HERE/check-gen.awk" > "$W/c.conf"
"$W/vigild" -t -f "$W/c.conf" || { echo "$NAME: vigild -t refuses the configuration"; exit 1; }

# one timing test at a time (test/vm/host.sh)
exec 8> /tmp/vigil-timing-tests.lock
flock -w 1200 8 || echo "$NAME: warning: ran without the timing-test lock"
VIGIL_VM_RW="${VIGIL_VM_RW:-} $W" VIGIL_VM_ENV="${VIGIL_VM_ENV:-} WARMUP MEASURE" \
	VIGIL_VM_TIMEOUT=${VIGIL_VM_TIMEOUT:-400} \
	"$TOP/test/vm/run.sh" "$HERE/check-load-guest.sh" "$W" "$KIND"
rc=$?
[ "$rc" -eq 0 ] && [ -s "$W/raw.txt" ] || { echo "$NAME: the guest side failed ($rc)"; exit 1; }

awk -v kind="$KIND" -v nvs="$NVS" -v nrs="$NRS" '
{ v[$1] = $2 }
function f(k) { return (k in v) ? v[k] : "" }
function ps(d, k) { return f(d "_ms") ? f(d k) * 1000 / f(d "_ms") : 0 }
function cpu(d, which) { return f(d "_ms") ? f(d "_" which "_cpu_ms") / f(d "_ms") : 0 }
function row(label, a, b, fmt) {
	printf "  %-44s %12s %12s\n", label, (a == "" ? "-" : sprintf(fmt, a)), (b == "" ? "-" : sprintf(fmt, b))
}
function srow(label, a, b) { printf "  %-44s %12s %12s\n", label, a, b }
END {
	d1 = "vigil"; d2 = "keepalived"; have2 = (f("keepalived_ms") != "")
	printf "check-%s: %d real servers (%d virtual servers x %d), %s, delay_loop 1\n", kind, f("rs"), nvs, nrs,
		kind == "http" ? "HTTP_GET { url { path / status_code 200 } connect_timeout 2 retry 0 }" : "TCP_CHECK { connect_timeout 1 retry 0 }"
	printf "kernel %s, qemu TCG guest, 1 CPU; %s s warm-up, %s s measured per daemon; %s\n\n", f("kernel"), f("warmup"), f("measure"), have2 ? f("keepalived_version") : "no keepalived"
	srow("", "vigil", "keepalived")
	row("checks/s (accepts at the listener)", ps(d1, "_accepts"), have2 ? ps(d2, "_accepts") : "", "%.0f")
	row("checks/s (backend TCP PassiveOpens)", ps(d1, "_opens"), have2 ? ps(d2, "_opens") : "", "%.0f")
	row("  of the 1 per real server per second wanted", ps(d1, "_accepts") / f("rs") * 100, have2 ? ps(d2, "_accepts") / f("rs") * 100 : "", "%.1f%%")
	row("real servers checked in the window", f(d1 "_dests"), f(d2 "_dests"), "%d")
	row("CPU-s/s: checker process", cpu(d1, "checker"), have2 ? cpu(d2, "checker") : "", "%.3f")
	row("CPU-s/s: supervisor | parent", cpu(d1, "parent"), have2 ? cpu(d2, "parent") : "", "%.3f")
	c1 = cpu(d1, "checker") + cpu(d1, "parent"); c2 = cpu(d2, "checker") + cpu(d2, "parent")
	row("CPU-s/s: total", c1, have2 ? c2 : "", "%.3f")
	a1 = ps(d1, "_accepts"); a2 = ps(d2, "_accepts")
	row("CPU per check, us (total / accepts)", a1 ? c1 / a1 * 1e6 : "", (have2 && a2) ? c2 / a2 * 1e6 : "", "%.0f")
	u1 = cpu(d1, "checker_user") + cpu(d1, "parent_user"); u2 = cpu(d2, "checker_user") + cpu(d2, "parent_user")
	row("  of which user CPU-s/s (the daemon code)", u1, have2 ? u2 : "", "%.3f")
	row("  user CPU per check, us", a1 ? u1 / a1 * 1e6 : "", (have2 && a2) ? u2 / a2 * 1e6 : "", "%.0f")
	row("CPU-s/s: syslogd (their log lines)", cpu(d1, "syslogd"), have2 ? cpu(d2, "syslogd") : "", "%.3f")
	row("RSS MB: checker process", f(d1 "_checker_rss") / 1024, have2 ? f(d2 "_checker_rss") / 1024 : "", "%.1f")
	row("RSS MB: supervisor | parent", f(d1 "_parent_rss") / 1024, have2 ? f(d2 "_parent_rss") / 1024 : "", "%.1f")
	m1 = (f(d1 "_checker_rss") + f(d1 "_parent_rss")) / 1024; m2 = (f(d2 "_checker_rss") + f(d2 "_parent_rss")) / 1024
	row("RSS MB: total", m1, have2 ? m2 : "", "%.1f")
	row("listener: 100 ms buckets max/min", f(d1 "_b100_ratio"), f(d2 "_b100_ratio"), "%s")
	srow("listener: accepts by 100 ms of the second", "", "")
	printf "    vigil      %s\n", f(d1 "_mod1s")
	if (have2) printf "    keepalived %s\n", f(d2 "_mod1s")
	row("IPVS entries (services + real servers)", f(d1 "_entries"), f(d2 "_entries"), "%d")
	row("\"Removing service\" lines (want 0)", f(d1 "_removed"), f(d2 "_removed"), "%d")
	if (kind == "http") row("HTTP: connections closed with no request", f(d1 "_http_bad"), f(d2 "_http_bad"), "%d")
	if (f("vigil_unsupported") > 0)
		printf "\n  vigil: the checker kind is not supported by this vigild (%d checkers ignored): its figures are not checks\n", f("vigil_unsupported")
	if (f("vigil_error") != "") printf "  vigil: error: %s\n", f("vigil_error")
	if (f("keepalived_error") != "") printf "  keepalived: error: %s\n", f("keepalived_error")
	printf "\n"
	# The CPU target is per check: the CPU-seconds of each daemon over the
	# checks counted at the backend (accepts), so that a daemon running
	# fewer checks does not pass by doing less. Judged on all CPU and
	# on user CPU alone (the daemon code; system CPU is mostly the
	# kernel TCP work of both namespaces, the same for both daemons).
	if (have2 && c2 > 0) {
		if (a1 && a2 && u2 > 0) {
			rt = (c1 / a1) / (c2 / a2); ru = (u1 / a1) / (u2 / a2)
			ok = f("vigil_unsupported") == 0
			printf "  target CPU per check, all CPU: vigil <= 0.5 x keepalived: %.0f vs %.0f us, %.2fx: %s\n",
				c1 / a1 * 1e6, c2 / a2 * 1e6, rt, (ok && rt <= 0.5) ? "PASS" : "MISS"
			printf "  target CPU per check, user CPU: vigil <= 0.5 x keepalived: %.0f vs %.0f us, %.2fx: %s\n",
				u1 / a1 * 1e6, u2 / a2 * 1e6, ru, (ok && ru <= 0.5) ? "PASS" : "MISS"
		} else
			printf "  target CPU per check: n/a (no checks counted at the backend, or no user CPU)\n"
		printf "  (CPU-s/s, not per check, for reference: all %.2fx, user %.2fx)\n", c1 / c2, (u2 > 0 ? u1 / u2 : 0)
		printf "  target memory: vigil < keepalived: %.2fx: %s\n", m1 / m2, m1 < m2 ? "PASS" : "MISS"
		if (a2 && a1 / a2 < 0.95) printf "  note: vigil ran fewer checks/s than keepalived (%.2fx)\n", a1 / a2
		o1 = ps(d1, "_opens"); o2 = ps(d2, "_opens")
		if ((a1 && (o1 / a1 < 0.95 || o1 / a1 > 1.05)) || (a2 && (o2 / a2 < 0.95 || o2 / a2 > 1.05)))
			printf "  note: accepts and PassiveOpens disagree by more than 5%%: the check counts are in doubt\n"
	} else
		printf "  targets: n/a (keepalived did not run)\n"
}' "$W/raw.txt"
exit 0
