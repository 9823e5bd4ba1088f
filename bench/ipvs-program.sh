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
# the quickest of 5: other work on this machine only ever adds time
us() { local t=$EPOCHREALTIME; echo "${t/./}"; }
hs="" hp=""
for _ in 1 2 3 4 5; do
	s=$(us); "$W/vigild" -t -f "$W/empty.conf"; e=$(us)
	[ -z "$hs" ] || [ $((e - s)) -lt "$hs" ] && hs=$((e - s))
	s=$(us); "$W/vigild" -t -f "$W/v.conf"; e=$(us)
	[ -z "$hp" ] || [ $((e - s)) -lt "$hp" ] && hp=$((e - s))
done
hs=$(((hs + 500) / 1000)) hp=$(((hp + 500) / 1000))
printf 'n=%s\nhost_start_ms=%s\nhost_parse_ms=%s\n' "$N" "$hs" "$((hp - hs))" > "$W/meta"

# ---- the guest ------------------------------------------------------------------
echo "ipvs-program: $N virtual servers x 10 real servers; booting the VM (about 2.5 minutes in all)"
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
function mb(kb) { return kb == "" ? "-" : sprintf("%.1f", kb / 1024) }
function row(label, v, re, k) { printf "  %-44s %11s %16s %12s\n", label, f(v), f(re), f(k) }
function median(a, n,    i, j, t) {
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n ? a[int((n + 1) / 2)] : ""
}
# best(tot): the round with the smallest total (0 if none); each(tot): "a/b"
function best(tot,    i, b) {
	b = 0
	for (i = 1; i <= R; i++) if (tot[i] != "" && (b == 0 || tot[i] < tot[b])) b = i
	return b
}
function each(tot,    i, s) {
	s = ""
	for (i = 1; i <= R; i++) s = s (i > 1 ? "/" : "") f(tot[i])
	return s
}
{ k = $1; $1 = ""; sub(/^ /, ""); r[k] = $0 }
END {
	n = r["n"]; want = r["entries_wanted"]; R = r["rounds"] + 0
	printf "ipvs-program: %d virtual servers x 10 real servers = %d entries, no health checkers\n", n, want
	printf "kernel %s, %s; each run in a fresh network namespace; times in ms\n\n", r["kernel"],
		r["vm"] == 1 ? "qemu TCG guest, 1 CPU" : "this machine"

	# ---- 1. programming
	for (i = 1; i <= R; i++) {
		tv[i] = d("vigil_launch." i, "vigil_done." i)
		tr[i] = has("restore_ms." i) ? r["restore_ms." i] + 0 : ""
		tk[i] = d("keepalived_launch." i, "keepalived_done." i)
	}
	bv = best(tv); br = best(tr); bk = best(tk)
	printf "1. program from an empty table, best of %d     vigil  ipvsadm-restore   keepalived\n", R
	row("start -> all entries in the kernel", bv ? tv[bv] : "", br ? tr[br] : "", bk ? tk[bk] : "")
	row("  each round", each(tv), each(tr), each(tk))
	row("  process start (warm)", r["vigil_exec_ms"], br ? r["restore_empty_ms." br] : "", r["keepalived_exec_ms"])
	row("  start -> supervisor logs", bv ? d("vigil_launch." bv, "vigil_sup_up." bv) : "", "", "")
	row("  supervisor parse", bv ? d("vigil_sup_up." bv, "vigil_child_spawned." bv) : "", "", "")
	row("  worker exec + parse + dump + 1st op", bv ? d("vigil_child_spawned." bv, "vigil_first_op." bv) : "", "", "")
	pv = bv ? d("vigil_first_op." bv, "vigil_done." bv) : ""
	pr = br ? tr[br] - r["restore_empty_ms." br] : ""
	row("  programming (vigil: 1st op -> last op)", pv, pr, "")
	row("per operation, us", pv == "" ? "" : int(pv * 1000 / (want - 1)), pr == "" ? "" : int(pr * 1000 / want), bk ? int(tk[bk] * 1000 / want) " (all)" : "")
	row("CPU used: daemon (+ vigil: 1st resync) | tool", bv ? r["vigil_cpu_ms." bv] : "", br ? r["restore_cpu_ms." br] : "", bk ? r["keepalived_cpu_ms." bk] : "")
	row("CPU used: syslogd, for their log lines", bv ? r["vigil_syslogd_ms." bv] : "", br ? r["restore_syslogd_ms." br] : "", bk ? r["keepalived_syslogd_ms." bk] : "")
	tq = d("vigilns_launch.1", "vigilns_done.1")
	row("vigil with no syslog daemon: start -> all", tq, "", "")
	row("  programming; CPU (+ 1st resync)", tq == "" ? "" : d("vigilns_first_op.1", "vigilns_done.1") "; " f(r["vigilns_cpu_ms.1"]), "", "")
	row("operations logged / errors", f(r["vigil_start_ops.1"]) " / " f(r["vigil_start_errors.1"]), "exit " f(r["restore_rc.1"]), "- / " f(r["keepalived_errors.1"]))
	row("entries in the table", r["vigil_entries.1"], r["restore_entries.1"], r["keepalived_entries.1"])
	row("table == restore input (ipvsadm -Sn)", r["vigil_table"], r["restore_table"], r["keepalived_table"])
	if (bv && br) {
		per = ""
		for (i = 1; i <= R; i++) if (tv[i] != "" && tr[i] != "") per = per sprintf(" %.2fx", tv[i] / tr[i])
		printf "  target: vigil <= ipvsadm-restore: %s (best %.2fx; per round%s)\n", (tv[bv] <= tr[br] ? "PASS" : "MISS"), tv[bv] / tr[br], per
	} else
		printf "  target: vigil <= ipvsadm-restore: MISS (no figure)\n"
	if (bv && bk) printf "  vigil / keepalived: %.2fx (keepalived: end seen from its log, within 0.1 s)\n", tv[bv] / tk[bk]
	msg = has("vigil_done_msg.1") ? r["vigil_done_msg.1"] : "none"
	gsub(/_/, " ", msg)
	printf "  vigild said: %s\n\n", msg

	# ---- 2. reload
	printf "2. reload, one real server weight changed (%s, %s)\n", f(r["reload_dest"]), f(r["reload_weights"])
	printf "  %-44s %9s %9s %9s %9s\n", "", "reload 1", "reload 2", "reload 3", "median"
	split("hup_k hup_a sig sparse wrk wrest tail ops", rows, " ")
	lab["hup_k"] = "SIGHUP -> kernel has the weight (probe)"
	lab["hup_a"] = "SIGHUP -> \"reload applied\" line"
	lab["sig"] = "  SIGHUP -> supervisor handles it"
	lab["sparse"] = "  supervisor parse (+ signal the worker)"
	lab["wrk"] = "  worker: parse + table dump + diff + op"
	lab["wrest"] = "    of which dump + diff (minus sup. parse)"
	lab["tail"] = "  op -> \"reload applied\" (ownership reset)"
	lab["ops"] = "netlink operations (applied N / lines logged)"
	okops = 1; okt = 1; nrel = 0
	for (i = 1; i <= 3; i++) {
		p = "vigil_r" i "_"
		v["hup_k", i] = d(p "hup", p "kernel")
		v["hup_a", i] = d(p "hup", p "applied")
		v["sig", i] = d(p "hup", p "sup_hup")
		v["sparse", i] = d(p "sup_hup", p "sup_sent")
		v["wrk", i] = d(p "sup_sent", p "op")
		v["wrest", i] = (v["wrk", i] == "" || v["sparse", i] == "") ? "" : v["wrk", i] - v["sparse", i]
		v["tail", i] = d(p "op", p "applied")
		v["ops", i] = f(r[p "applied_n"]) " / " f(r[p "ops"])
		if (has(p "hup")) nrel++
		# Per-operation lines are detail (-D), which the bench does not
		# turn on: 0 lines logged, or 1 with -D.
		if (r[p "applied_n"] != 1 || r[p "ops"] > 1) okops = 0
		if (v["hup_a", i] == "" || v["hup_a", i] >= 100) okt = 0
	}
	for (j = 1; j <= 8; j++) {
		k = rows[j]; m = 0; delete a
		for (i = 1; i <= 3; i++) if (v[k, i] != "" && k != "ops") a[++m] = v[k, i]
		med = median(a, m)
		printf "  %-44s %9s %9s %9s %9s\n", lab[k], f(v[k, 1]), f(v[k, 2]), f(v[k, 3]), k == "ops" ? "" : f(med)
		if (k == "hup_a") med_a = med
	}
	printf "  target: exactly one operation per reload: %s\n", (nrel == 3 && okops) ? "PASS" : "MISS"
	printf "  target: SIGHUP -> applied < 100 ms: %s", (nrel == 3 && okt) ? "PASS" : "MISS"
	if (r["vm"] == 1) printf " (in the VM)"
	printf "\n"
	if (r["host_parse_ms"] > 0 && r["guest_parse_ms"] > 0 && med_a != "") {
		fac = r["guest_parse_ms"] / r["host_parse_ms"]
		printf "  scale: vigild -t of this file takes %d ms here, %d ms in the guest (%.0fx);\n", r["host_parse_ms"], r["guest_parse_ms"], fac
		printf "  the median reload scaled by that: ~%d ms (an estimate: kernel work may scale otherwise)\n", med_a / fac
	}
	printf "\n"

	# ---- 3. memory
	printf "3. with the table programmed (round 1)         vigil   keepalived\n"
	printf "  %-44s %11s %12s\n", "RSS, MB: supervisor | parent", mb(r["vigil_sup_rss"]), mb(r["keepalived_parent_rss"])
	printf "  %-44s %11s %12s\n", "RSS, MB: checker worker | checker child", mb(r["vigil_worker_rss"]), mb(r["keepalived_child_rss"])
	printf "  %-44s %11s %12s\n", "RSS, MB: total", has("vigil_worker_rss") ? mb(r["vigil_sup_rss"] + r["vigil_worker_rss"]) : "-", has("keepalived_child_rss") ? mb(r["keepalived_parent_rss"] + r["keepalived_child_rss"]) : "-"
	printf "  %-44s %11s %12s\n", "peak RSS (VmHWM), MB: total", has("vigil_worker_hwm") ? mb(r["vigil_sup_hwm"] + r["vigil_worker_hwm"]) : "-", has("keepalived_child_hwm") ? mb(r["keepalived_parent_hwm"] + r["keepalived_child_hwm"]) : "-"
	printf "  %-44s %11s %12s\n", "RSS after the 3 reloads, MB: sup. + worker", has("vigil_worker_rss_after") ? mb(r["vigil_sup_rss_after"]) " + " mb(r["vigil_worker_rss_after"]) : "-", ""
	printf "  %-44s %11s %12s\n", "idle CPU, % of one CPU", has("vigil_idle_cpu_permille") ? sprintf("%.1f", r["vigil_idle_cpu_permille"] / 10) : "-", has("keepalived_idle_cpu_permille") ? sprintf("%.1f", r["keepalived_idle_cpu_permille"] / 10) : "-"
	if (has("vigil_idle_cpu_permille"))
		printf "  %-44s %11d\n", "  vigil: CPU ms per resync (every 3 s)", r["vigil_idle_cpu_permille"] * 3

	for (k in r) if (k ~ /_(error|note)(\.[0-9]+)?$/) printf "  note: %s = %s\n", k, r[k]
	if (r["syslog"] != "yes") printf "  note: no syslog in the guest\n"
}' "$W/raw.txt"
exit 0
