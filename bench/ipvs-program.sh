#!/bin/bash
# ipvs-program.sh - how fast vigild programs IPVS, against ipvsadm-restore
# and keepalived 2.2.7: N virtual servers x 10 real servers from an empty
# table, a one-weight reload, the daemons' RSS and idle CPU. See
# bench/README-ipvs.md for what each figure means.
#
#   bench/ipvs-program.sh VIGILD [N]          (as root; N = 1000)
#   KEEP=DIR bench/ipvs-program.sh build/vigild   # keep logs and raw figures
#
# The measurements run in a qemu guest booted by test/vm/run.sh (this
# machine's kernel may have no IPVS; where it has, run.sh runs the guest
# side directly), by bench/ipvs-program-guest.sh, in one boot, each in a
# fresh network namespace. This side generates the inputs with awk, times
# vigild's parse of them here (to relate the guest's times to this
# machine's), and prints the table the guest's figures make.
#
# A benchmark, not a test: exits 0 whatever the figures; 77 when it
# cannot run (not root, no qemu or VM kernel, no ipvsadm); 1 when the
# guest side failed.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
VIGILD=${1:-${VIGILD:-}}
N=${2:-${N:-1000}}

skip() { echo "ipvs-program: cannot run: $*"; exit 77; }
[ -n "$VIGILD" ] && [ -x "$VIGILD" ] || skip "usage: $0 VIGILD [N]"
case $N in '' | *[!0-9]* | 0) skip "N must be a positive number" ;; esac
[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, IPVS)"
command -v ipvsadm-restore > /dev/null || skip "ipvsadm is not installed"
command -v keepalived > /dev/null || echo "ipvs-program: keepalived is not installed: its column stays empty"

host_has_ipvs() {
	[ -e /proc/net/ip_vs ] && return 0
	command -v modprobe > /dev/null 2>&1 && modprobe -q ip_vs 2> /dev/null && [ -e /proc/net/ip_vs ]
}
if [ "${VIGIL_VM_FORCE:-0}" = 1 ] || ! host_has_ipvs; then
	command -v qemu-system-x86_64 > /dev/null || skip "no IPVS here and no qemu-system-x86_64 (scripts/deps.sh --vm)"
	"$TOP/test/vm/prepare.sh" -q
	rc=$?
	[ $rc -eq 0 ] || skip "test/vm/prepare.sh exited $rc"
fi

W=$(mktemp -d /tmp/ipvs-program.XXXXXX) || exit 1
cleanup() {
	if [ -n "${KEEP:-}" ] && mkdir -p "$KEEP"; then cp -r "$W"/raw.txt "$W"/logs "$W"/v.conf "$KEEP"/ 2> /dev/null; fi
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# a copy: others may rebuild build/vigild while the guest runs
cp "$VIGILD" "$W/vigild" || exit 1

# ---- inputs: virtual server i is 10.10.(i/250).(i%250+1) port 10000+i,
# wrr, NAT; its real server j is 10.(20+j).(i/250).(i%250+1) port 20000+i,
# weight j+1. Every address and port pair is distinct, and so is every
# real server address. No health checkers: both daemons put the real
# servers in at once.
gen() { # conf|restore
	awk -v mode="$1" -v n="$N" '
	function vip(i) { return sprintf("10.10.%d.%d", int(i / 250), i % 250 + 1) }
	function rip(i, j) { return sprintf("10.%d.%d.%d", 20 + j, int(i / 250), i % 250 + 1) }
	BEGIN {
		if (mode == "conf")
			print "! bench/ipvs-program.sh: " n " virtual servers x 10 real servers"
		for (i = 0; i < n; i++) {
			if (mode == "conf") {
				printf "virtual_server %s %d {\n    lb_algo wrr\n    lb_kind NAT\n    protocol TCP\n",
					vip(i), 10000 + i
				for (j = 0; j < 10; j++)
					printf "    real_server %s %d {\n        weight %d\n    }\n",
						rip(i, j), 20000 + i, j + 1
				print "}"
			} else {
				printf "-A -t %s:%d -s wrr\n", vip(i), 10000 + i
				for (j = 0; j < 10; j++)
					printf "-a -t %s:%d -r %s:%d -m -w %d\n", vip(i), 10000 + i,
						rip(i, j), 20000 + i, j + 1
			}
		}
	}'
}
[ "$N" -le 2500 ] || skip "N above 2500 runs out of 10.10.x.y addresses"
gen conf > "$W/v.conf"
gen restore > "$W/restore.txt"
: > "$W/empty.conf"

# ---- vigild's parse here, for the guest/host speed ratio ------------------
ms() { local t=$EPOCHREALTIME; t=${t/./}; echo $((t / 1000)); }
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
a=() b=()
for _ in 1 2 3; do
	s=$(ms); "$W/vigild" -t -f "$W/empty.conf"; e=$(ms); a+=($((e - s)))
	s=$(ms); "$W/vigild" -t -f "$W/v.conf"; e=$(ms); b+=($((e - s)))
done
hs=$(median3 "${a[@]}")
hp=$(median3 "${b[@]}")
printf 'n=%s\nhost_start_ms=%s\nhost_parse_ms=%s\n' "$N" "$hs" "$((hp - hs))" > "$W/meta"

# ---- the guest ------------------------------------------------------------------
echo "ipvs-program: $N virtual servers x 10 real servers; booting the VM (about 3-4 minutes in all)"
VIGIL_VM_RW="${VIGIL_VM_RW:-} $W" VIGIL_VM_ENV="${VIGIL_VM_ENV:-} IDLE_SECONDS" \
	VIGIL_VM_TIMEOUT=${VIGIL_VM_TIMEOUT:-480} \
	"$TOP/test/vm/run.sh" "$HERE/ipvs-program-guest.sh" "$W"
rc=$?
[ $rc -eq 77 ] && skip "the VM cannot be had here"
if [ $rc -ne 0 ] || [ ! -s "$W/raw.txt" ]; then
	echo "ipvs-program: the guest side failed (exit $rc)"
	exit 1
fi

# ---- the table ----------------------------------------------------------------------
awk '
function has(k) { return (k in r) && r[k] != "" }
function d(a, b,    x) { # b - a in ms, across midnight; "" if either is missing
	if (!has(a) || !has(b)) return ""
	x = r[b] - r[a]
	if (x < -43200000) x += 86400000
	return x
}
function f(x) { return x == "" ? "-" : x }
function row(label, v, re, k) { printf "  %-46s %9s %16s %11s\n", label, f(v), f(re), f(k) }
function median(a, n,    i, j, t) {
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n ? a[int((n + 1) / 2)] : ""
}
{ k = $1; $1 = ""; sub(/^ /, ""); r[k] = $0 }
END {
	n = r["n"]; want = r["entries_wanted"]
	printf "ipvs-program: %d virtual servers x 10 real servers = %d entries, no health checkers\n", n, want
	printf "kernel %s, %s; each in a fresh network namespace; times in ms\n\n", r["kernel"],
		r["vm"] == 1 ? "qemu TCG guest, 1 CPU" : "this machine"

	# ---- 1. programming
	tv = d("vigil_launch", "vigil_done")
	tk = d("keepalived_launch", "keepalived_done")
	tr = r["restore_ms"]
	printf "1. program from an empty table                     vigil  ipvsadm-restore  keepalived\n"
	row("start -> all entries in the kernel", tv, tr, tk)
	row("  process start (warm; vigil: supervisor)", d("vigil_launch", "vigil_sup_up"), r["restore_empty_ms"], r["keepalived_exec_ms"] " (exec)")
	row("  supervisor parse", d("vigil_sup_up", "vigil_child_spawned"), "", "")
	row("  worker exec + parse + dump + 1st op", d("vigil_child_spawned", "vigil_first_op"), "", "")
	pv = d("vigil_first_op", "vigil_done")
	pr = has("restore_ms") ? r["restore_ms"] - r["restore_empty_ms"] : ""
	row("  programming (vigil: 1st op -> last op)", pv, pr, "")
	row("per operation, us", pv == "" ? "" : int(pv * 1000 / (want - 1)), pr == "" ? "" : int(pr * 1000 / want), tk == "" ? "" : int(tk * 1000 / want) " (all)")
	row("operations logged / errors", f(r["vigil_start_ops"]) " / " f(r["vigil_start_errors"]), "rc " f(r["restore_rc"]), "- / " f(r["keepalived_errors"]))
	row("entries in the table", r["vigil_entries"], r["restore_entries"], r["keepalived_entries"])
	row("table == restore input (ipvsadm -Sn)", r["vigil_table"], r["restore_table"], r["keepalived_table"])
	if (tv != "" && tr != "")
		printf "  target: vigil <= ipvsadm-restore: %s (%.2fx)\n", (tv <= tr ? "PASS" : "MISS"), tv / tr
	else
		printf "  target: vigil <= ipvsadm-restore: MISS (no figure)\n"
	if (tk != "") printf "  (keepalived: end seen within 0.1 s from its log; vigil/keepalived %.2fx)\n", tv / tk
	msg = has("vigil_done_msg") ? r["vigil_done_msg"] : "none"
	gsub(/_/, " ", msg)
	printf "  vigild message: %s\n\n", msg

	# ---- 2. reload
	printf "2. reload, one real server weight changed (%s, %s)\n", f(r["reload_dest"]), f(r["reload_weights"])
	printf "  %-46s %9s %9s %9s %9s\n", "", "reload 1", "reload 2", "reload 3", "median"
	split("hup_k hup_a sig sparse wrk wrest ops", rows, " ")
	lab["hup_k"] = "SIGHUP -> kernel has the weight (probe)"
	lab["hup_a"] = "SIGHUP -> \"reload applied\" line"
	lab["sig"] = "  SIGHUP -> supervisor handles it"
	lab["sparse"] = "  supervisor parse (+ signal the worker)"
	lab["wrk"] = "  worker: parse + table dump + diff + op"
	lab["wrest"] = "    of which dump + diff (minus sup. parse)"
	lab["ops"] = "netlink operations (\"applied N\" / logged)"
	okops = 1; okt = 1; nrel = 0
	for (R = 1; R <= 3; R++) {
		p = "vigil_r" R "_"
		v["hup_k", R] = d(p "hup", p "kernel")
		v["hup_a", R] = d(p "hup", p "applied")
		v["sig", R] = d(p "hup", p "sup_hup")
		v["sparse", R] = d(p "sup_hup", p "sup_sent")
		v["wrk", R] = d(p "sup_sent", p "op")
		v["wrest", R] = (v["wrk", R] == "" || v["sparse", R] == "") ? "" : v["wrk", R] - v["sparse", R]
		v["ops", R] = f(r[p "applied_n"]) "/" f(r[p "ops"])
		if (has(p "hup")) nrel++
		if (r[p "applied_n"] != 1 || r[p "ops"] != 1) okops = 0
		if (v["hup_a", R] == "" || v["hup_a", R] >= 100) okt = 0
	}
	for (i = 1; i <= 7; i++) {
		k = rows[i]; m = 0; delete a
		for (R = 1; R <= 3; R++) if (v[k, R] != "" && k != "ops") a[++m] = v[k, R]
		printf "  %-46s %9s %9s %9s %9s\n", lab[k], f(v[k, 1]), f(v[k, 2]), f(v[k, 3]), k == "ops" ? "" : f(median(a, m))
		if (k == "hup_a") { med_a = median(a, m) }
	}
	printf "  target: exactly one operation per reload: %s\n", (nrel == 3 && okops) ? "PASS" : "MISS"
	printf "  target: SIGHUP -> applied < 100 ms: %s", (nrel == 3 && okt) ? "PASS" : "MISS"
	if (has("host_parse_ms") && r["host_parse_ms"] > 0 && has("guest_parse_ms") && med_a != "") {
		fac = r["guest_parse_ms"] / r["host_parse_ms"]
		printf " (this machine runs vigild -t %.0fx faster than the guest: %d vs %d ms; scaled, the median is ~%d ms here)",
			fac, r["host_parse_ms"], r["guest_parse_ms"], med_a / fac
	}
	printf "\n\n"

	# ---- 3. memory
	printf "3. memory and idle CPU with the table programmed   vigil  keepalived\n"
	vs = r["vigil_sup_rss"]; vw = r["vigil_worker_rss"]; kp = r["keepalived_parent_rss"]; kc = r["keepalived_child_rss"]
	printf "  %-46s %9s %11s\n", "RSS, MB: supervisor | parent", vs == "" ? "-" : sprintf("%.1f", vs / 1024), kp == "" ? "-" : sprintf("%.1f", kp / 1024)
	printf "  %-46s %9s %11s\n", "RSS, MB: checker worker | child", vw == "" ? "-" : sprintf("%.1f", vw / 1024), kc == "" ? "-" : sprintf("%.1f", kc / 1024)
	printf "  %-46s %9s %11s\n", "RSS, MB: total", (vs == "" || vw == "") ? "-" : sprintf("%.1f", (vs + vw) / 1024), (kp == "" || kc == "") ? "-" : sprintf("%.1f", (kp + kc) / 1024)
	printf "  %-46s %9s %11s\n", "peak RSS (VmHWM), MB: total", has("vigil_worker_hwm") ? sprintf("%.1f", (r["vigil_sup_hwm"] + r["vigil_worker_hwm"]) / 1024) : "-", has("keepalived_child_hwm") ? sprintf("%.1f", (r["keepalived_parent_hwm"] + r["keepalived_child_hwm"]) / 1024) : "-"
	printf "  %-46s %9s %11s\n", "RSS after the 3 reloads, MB: total", has("vigil_worker_rss_after") ? sprintf("%.1f", (r["vigil_sup_rss_after"] + r["vigil_worker_rss_after"]) / 1024) : "-", ""
	printf "  %-46s %9s %11s\n", "idle CPU, % of one CPU (resync every 3 s)", has("vigil_idle_cpu_permille") ? sprintf("%.1f", r["vigil_idle_cpu_permille"] / 10) : "-", has("keepalived_idle_cpu_permille") ? sprintf("%.1f", r["keepalived_idle_cpu_permille"] / 10) : "-"

	for (k in r) if (k ~ /_error$|_note$/) printf "  note: %s = %s\n", k, r[k]
	if (r["syslog"] != "yes") printf "  note: no syslog in the guest\n"
}' "$W/raw.txt"
exit 0
