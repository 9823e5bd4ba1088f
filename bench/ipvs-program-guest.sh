#!/bin/bash
# ipvs-program-guest.sh - the guest side of bench/ipvs-program.sh: run as
# root where the kernel has IPVS (inside the VM of test/vm/run.sh, or
# directly), in the directory DIR that ipvs-program.sh filled:
#
#   bench/ipvs-program-guest.sh DIR
#
# DIR holds vigild (a copy), v.conf (N virtual servers x 10 real servers,
# no health checkers), restore.txt (the same table in `ipvsadm -S` form)
# and meta (n=N, host_parse_ms=...). Writes DIR/raw.txt (every figure,
# one "key value" a line, "key.ROUND" for those measured each round),
# which ipvs-program.sh turns into the table of bench/README-ipvs.md, and
# copies the daemons' console logs to DIR/logs/.
#
# Each run has a fresh network namespace (IPVS tables are per namespace),
# emptied and deleted before the next. ROUNDS times (2), interleaved:
# vigild -C from start to its table, ipvsadm-restore, keepalived -C. In
# round 1 also: the tables compared with restore.txt; vigild's idle CPU,
# RSS and three one-change reloads; keepalived's idle CPU and RSS. Last,
# vigild once more with no syslog to write to. Timing loops use shell
# builtins only: under TCG a process start costs 0.1-1 s, and a busy
# watcher takes the one CPU from what it measures.
# shellcheck disable=SC2317 # functions called through drain and the phases
set -u
export TZ=UTC LC_ALL=C # log stamps are compared with $EPOCHREALTIME as UTC
SELF=$(realpath "$0")

# ---- helpers (also used by the phases) -----------------------------------------

# nap SECONDS: sleep without a process (read times out on an idle fifo)
nap() { read -r -t "$1" -u 9 _ 2>/dev/null; }
open_nap() {
	[ -p "$T/nap" ] || mkfifo "$T/nap"
	exec 9<>"$T/nap"
}

# now: NOW = milliseconds since midnight UTC, from $EPOCHREALTIME
now() {
	local t=$EPOCHREALTIME
	t=${t/./}
	NOW=$(((t / 1000) % 86400000))
}

# delta A B: DELTA = B - A in ms, across midnight
delta() {
	DELTA=$(($2 - $1))
	[ "$DELTA" -lt -43200000 ] && DELTA=$((DELTA + 86400000))
}

# stamp LINE: STAMP = ms since midnight of a console log line
# "Sun Nov 22 02:49:45.987 msg" (vigil) or "... 02:45:48 2026: msg"
# (keepalived, whole seconds); MSG = the message. Returns 1 if none.
STAMP_RE='^[A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] ([0-9][0-9]):([0-9][0-9]):([0-9][0-9])(\.([0-9][0-9][0-9]))?( [0-9]+:)? (.*)$'
stamp() {
	[[ $1 =~ $STAMP_RE ]] || return 1
	local ms=${BASH_REMATCH[5]:-000}
	STAMP=$(((10#${BASH_REMATCH[1]} * 3600 + 10#${BASH_REMATCH[2]} * 60 + 10#${BASH_REMATCH[3]}) * 1000 + 10#$ms))
	MSG=${BASH_REMATCH[7]}
}

# drain FD HANDLER: pass every complete line that FD has now to HANDLER
# (a partial last line waits for the next call)
PARTIAL=""
drain() {
	local line
	while IFS= read -r -u "$1" line; do
		"$2" "$PARTIAL$line"
		PARTIAL=""
	done
	PARTIAL+=$line
}

# cpu_ticks PID: TICKS = utime + stime, STATE = the process state
cpu_ticks() {
	local f
	TICKS=0 STATE=gone
	read -r -a f < "/proc/$1/stat" 2>/dev/null || return 1
	# the command name has no spaces here (vigild, keepalived)
	STATE=${f[2]}
	TICKS=$((f[13] + f[14]))
}

# cpu_sum PID...: SUM = the processes' utime + stime, in ticks
cpu_sum() {
	local p
	SUM=0
	for p in "$@"; do
		[ -n "$p" ] && cpu_ticks "$p" && SUM=$((SUM + TICKS))
	done
}

# children_ms: CHILD_MS = CPU of this shell's reaped children (times)
children_ms() {
	local _l u sy x sec ms=0
	times > "$T/times.$$"
	{ read -r _l; read -r u sy; } < "$T/times.$$"
	for x in "$u" "$sy"; do # 0m1.234s
		x=${x%s}
		sec=${x#*m}
		ms=$((ms + 10#${x%%m*} * 60000 + 10#${sec%.*} * 1000 + 10#${sec#*.}))
	done
	CHILD_MS=$ms
}

# rss PID: RSS and HWM in kB from /proc/PID/status
rss() {
	local k v _u
	RSS=0 HWM=0
	while read -r k v _u; do
		case $k in
		VmRSS:) RSS=$v ;;
		VmHWM:) HWM=$v ;;
		esac
	done < "/proc/$1/status" 2>/dev/null
}

# entries: ENTRIES = services + destinations in this namespace's table
entries() {
	local a
	mapfile -t a < /proc/net/ip_vs
	ENTRIES=$((${#a[@]} - 3))
	[ "$ENTRIES" -lt 0 ] && ENTRIES=0
}

put() { echo "$1 $2" >> "$T/raw.txt"; }
putr() { put "$1.$ROUND" "$2"; } # a figure of this round

# same_table NAME: the namespace's table (ipvsadm -Sn, sorted) equals restore.txt
same_table() {
	ipvsadm -Sn | sort > "$T/$1.table"
	if cmp -s "$T/$1.table" "$T/want.table"; then
		put "$1_table" same
	else
		put "$1_table" differs
		diff "$T/want.table" "$T/$1.table" | head -5 | sed "s/^/# $1 table: /"
	fi
}

# idle_cpu NAME PID...: CPU of the processes over IDLE_SECONDS, in % of one CPU
idle_cpu() {
	local name=$1 p t0=0 t1=0 s e
	shift
	for p in "$@"; do cpu_ticks "$p" && t0=$((t0 + TICKS)); done
	now; s=$NOW
	nap "$IDLE_SECONDS"
	for p in "$@"; do cpu_ticks "$p" && t1=$((t1 + TICKS)); done
	now; e=$NOW
	delta "$s" "$e"
	# ticks / HZ / seconds * 100, in tenths of a percent
	put "${name}_idle_cpu_permille" $(((t1 - t0) * 1000 * 1000 / HZ / DELTA))
}

# ---- phase: vigild -C ------------------------------------------------------------

vlog_start() {
	case $1 in
	*" to VS ["* | *"Adding virtual server"*)
		OPS=$((OPS + 1))
		if [ "$OPS" -eq 1 ]; then stamp "$1" && putr "${V}_first_op" "$STAMP"; fi
		return
		;;
	*" failed: "*) ERRS=$((ERRS + 1)) ;;
	esac
	stamp "$1" || return
	case $MSG in
	"Starting vigil "*) putr "${V}_sup_up" "$STAMP" ;;
	*"child process, pid="*)
		WPID=${MSG##*pid=}
		putr "${V}_child_spawned" "$STAMP"
		;;
	"IPVS: "*" service(s) configured, "*" change(s) applied")
		DONE=$STAMP
		putr "${V}_done" "$STAMP"
		putr "${V}_done_msg" "${MSG// /_}"
		;;
	esac
}

vlog_reload() {
	stamp "$1" || return
	case $MSG in
	"Reloading configuration file"*) put "vigil_r${R}_sup_hup" "$STAMP" ;;
	"Configuration reloaded") put "vigil_r${R}_sup_sent" "$STAMP" ;;
	"Adding "* | "Updating "* | "Removing "*)
		ROPS=$((ROPS + 1))
		put "vigil_r${R}_op" "$STAMP"
		put "vigil_r${R}_op_msg" "${MSG// /_}"
		;;
	"IPVS: reload applied "*)
		RDONE=$STAMP
		put "vigil_r${R}_applied" "$STAMP"
		local n=${MSG#IPVS: reload applied }
		put "vigil_r${R}_applied_n" "${n%% *}"
		;;
	"checker: configuration reloaded") put "vigil_r${R}_worker_done" "$STAMP" ;;
	*failed*) put "vigil_r${R}_error" "${MSG// /_}" ;;
	esac
}

# probe_weight: PW = the weight of the first destination of the first
# service in /proc/net/ip_vs. One read of 300 bytes (3 header lines, a
# service, a destination): the kernel formats one service for it, where
# line-by-line reads would lseek back and have it format a page each time
# (5 ms a probe under TCG instead of 1.5).
NL=$'\n'
probe_weight() {
	local b _a _b _c w _r
	PW=""
	read -r -N 300 b < /proc/net/ip_vs
	b=${b#*"$NL"}; b=${b#*"$NL"}; b=${b#*"$NL"}; b=${b#*"$NL"}
	read -r _a _b _c w _r <<< "${b%%"$NL"*}"
	PW=$w
}

# wait_resync: return once the worker has been busy and then idle for
# 0.3 s (at most 10 s): a SIGHUP sent then does not wait behind the
# periodic resync, and the next resync is 3 s away.
wait_resync() {
	local p t moved=0 still=0 i=0
	cpu_ticks "$1" || return
	p=$TICKS
	while [ $i -lt 100 ]; do
		nap 0.1
		cpu_ticks "$1" || return
		t=$TICKS
		if [ "$t" -ne "$p" ]; then moved=1 still=0; else still=$((still + 1)); fi
		p=$t
		[ $moved -eq 1 ] && [ $still -ge 3 ] && return
		i=$((i + 1))
	done
}

phase_vigil() {
	local log=$T/$V.$ROUND.log deadline s e pticks i w0 w1 want cpu_v=0 cpu_s=0
	OPS=0 ERRS=0 WPID="" DONE=""
	: > "$log"
	exec 7< "$log"
	cpu_sum "$SYSLOGD"; SL0=$SUM
	now; putr "${V}_launch" "$NOW"
	"$T/vigild" -n -l -C -f "$T/v.conf" -p "$T/v.pid" >> "$log" 2>&1 &
	VPID=$!
	echo "$VPID" > "$T/v.pids"
	# Until the worker is known, read the (few) supervisor lines; then
	# watch the worker's CPU only, and read its 11,000 lines once it is
	# idle: reading them as they come would take CPU from vigild.
	now; deadline=$((NOW + 120000))
	while [ -z "$WPID" ]; do
		drain 7 vlog_start
		[ -n "$WPID" ] && break
		kill -0 "$VPID" 2>/dev/null || { putr "${V}_error" exited; return; }
		now; [ "$NOW" -gt "$deadline" ] && { putr "${V}_error" no_worker; return; }
		nap 0.05
	done
	echo "$WPID" >> "$T/v.pids"
	pticks=-1
	while [ -z "$DONE" ]; do
		nap 0.5
		now; [ "$NOW" -gt "$deadline" ] && { putr "${V}_error" timeout; drain 7 vlog_start; return; }
		cpu_ticks "$WPID" || { putr "${V}_error" worker_gone; drain 7 vlog_start; return; }
		if [ "$TICKS" -eq "$pticks" ] && [ "$STATE" = S ]; then
			# idle: done, most likely. The CPU figures are taken
			# now, before the next resync (3 s on) adds to them.
			cpu_sum "$VPID" "$WPID"; cpu_v=$SUM
			cpu_sum "$SYSLOGD"; cpu_s=$SUM
			drain 7 vlog_start
		fi
		pticks=$TICKS
	done
	putr "${V}_cpu_ms" $((cpu_v * 1000 / HZ))
	putr "${V}_syslogd_ms" $(((cpu_s - SL0) * 1000 / HZ))
	putr "${V}_start_ops" "$OPS"
	putr "${V}_start_errors" "$ERRS"
	entries; putr "${V}_entries" "$ENTRIES"
	[ "$ROUND" -eq 1 ] && [ "$V" = vigil ] || return 0 # the rest once
	same_table vigil

	# Idle: the resync every 3 s reads the whole table back
	idle_cpu vigil "$VPID" "$WPID"
	rss "$VPID"; put vigil_sup_rss "$RSS"; put vigil_sup_hwm "$HWM"
	rss "$WPID"; put vigil_worker_rss "$RSS"; put vigil_worker_hwm "$HWM"

	# Reloads: one destination's weight changes (the first one /proc
	# lists, so that the probe reads one service), and back, and again.
	local svc rsv
	{ read -r _; read -r _; read -r _; read -r _ svc _; read -r _ rsv _ w0 _; } < /proc/net/ip_vs
	local ip=${rsv%%:*} port=${rsv##*:}
	ip=$((16#${ip:0:2})).$((16#${ip:2:2})).$((16#${ip:4:2})).$((16#${ip:6:2}))
	port=$((16#$port))
	w1=$((w0 + 40))
	put reload_service "$svc"
	put reload_dest "$ip:$port"
	put reload_weights "$w0->$w1"
	awk -v rs="real_server $ip $port {" -v w="$w1" '
		index($0, rs) { hit = 1 }
		hit && $1 == "weight" { sub(/weight [0-9]+/, "weight " w); hit = 0 }
		{ print }' "$T/v.conf" > "$T/v1.conf"
	cp "$T/v.conf" "$T/v0.conf"
	cmp -s "$T/v0.conf" "$T/v1.conf" && { putr vigil_error reload_conf_unchanged; return; }
	for R in 1 2 3; do
		if [ $((R % 2)) -eq 1 ]; then want=$w1; cp "$T/v1.conf" "$T/v.conf"; else want=$w0; cp "$T/v0.conf" "$T/v.conf"; fi
		drain 7 vlog_reload # anything logged before (resyncs: nothing)
		ROPS=0 RDONE=""
		wait_resync "$WPID"
		now; s=$NOW
		kill -HUP "$VPID"
		# every 50 ms: a tighter loop takes enough of the one CPU to
		# slow the reload it measures (see README-ipvs.md)
		i=0
		probe_weight
		while [ "$PW" != "$want" ] && [ "$i" -lt 1200 ]; do
			nap 0.05
			probe_weight
			i=$((i + 1))
		done
		now; e=$NOW
		put "vigil_r${R}_hup" "$s"
		[ "$PW" = "$want" ] && put "vigil_r${R}_kernel" "$e"
		now; deadline=$((NOW + 60000))
		while [ -z "$RDONE" ]; do
			drain 7 vlog_reload
			now; [ "$NOW" -gt "$deadline" ] && break
			[ -z "$RDONE" ] && nap 0.05
		done
		nap 0.2
		drain 7 vlog_reload
		put "vigil_r${R}_ops" "$ROPS"
	done
	rss "$VPID"; put vigil_sup_rss_after "$RSS"
	rss "$WPID"; put vigil_worker_rss_after "$RSS"
}

# The same start with no syslog to write to: what vigil's line per
# operation costs (keepalived logs none for these).
phase_vigil_nosyslog() {
	V=vigilns
	export VIGIL_SYSLOG_SOCKET=/nonexistent/log
	phase_vigil
}

# ---- phase: ipvsadm-restore ------------------------------------------------------

phase_restore() {
	local s e rc c0
	# the same commands with nothing to restore: what starting them costs
	for _ in 1 2; do
		now; s=$NOW
		ipvsadm-restore < /dev/null
		now; e=$NOW
	done
	delta "$s" "$e"; putr restore_empty_ms "$DELTA"
	children_ms; c0=$CHILD_MS
	cpu_sum "$SYSLOGD"; SL0=$SUM
	now; s=$NOW
	ipvsadm-restore < "$T/restore.txt"
	rc=$?
	now; e=$NOW
	delta "$s" "$e"; putr restore_ms "$DELTA"
	children_ms; putr restore_cpu_ms $((CHILD_MS - c0))
	cpu_sum "$SYSLOGD"; putr restore_syslogd_ms $(((SUM - SL0) * 1000 / HZ))
	putr restore_rc "$rc"
	entries; putr restore_entries "$ENTRIES"
	[ "$ROUND" -eq 1 ] && same_table restore
}

# ---- phase: keepalived -C --------------------------------------------------------

klog() {
	case $1 in
	*"Gained quorum"*"for VS [$LAST_VS]:tcp:$LAST_PORT"*)
		now; KSEEN=$NOW
		stamp "$1" && putr keepalived_last_quorum_stamp "$STAMP"
		;;
	*"child process, pid="*) KCPID=${1##*pid=} ;;
	*"IPVS cmd"*" error"*) KERRS=$((KERRS + 1)) ;;
	esac
}

phase_keepalived() {
	local log=$T/keepalived.$ROUND.log deadline lastcheck
	KCPID="" KSEEN="" KERRS=0
	: > "$log"
	exec 7< "$log"
	cpu_sum "$SYSLOGD"; SL0=$SUM
	now; putr keepalived_launch "$NOW"
	keepalived -C -n -l -f "$T/k.conf" -p "$T/k.pid" -c "$T/kc.pid" >> "$log" 2>&1 &
	KPID=$!
	echo "$KPID" > "$T/k.pids"
	# keepalived logs a "Gained quorum" line per virtual server, after its
	# real servers: the last one's marks the end (checked against the
	# table's size, which is polled every 2 s should the line not come).
	now; deadline=$((NOW + 120000)); lastcheck=$NOW
	while :; do
		drain 7 klog
		now
		if [ -n "$KSEEN" ] || [ $((NOW - lastcheck)) -ge 2000 ]; then
			lastcheck=$NOW
			entries
			if [ "$ENTRIES" -ge "$WANT" ]; then
				[ -n "$KSEEN" ] || KSEEN=$NOW
				break
			fi
			[ -n "$KSEEN" ] && { putr keepalived_note quorum_line_before_table_complete; KSEEN=""; }
		fi
		[ "$NOW" -gt "$deadline" ] && { putr keepalived_error timeout; break; }
		kill -0 "$KPID" 2>/dev/null || { putr keepalived_error exited; break; }
		nap 0.1
	done
	[ -n "$KSEEN" ] && putr keepalived_done "$KSEEN"
	cpu_sum "$KPID" "$KCPID"; putr keepalived_cpu_ms $((SUM * 1000 / HZ))
	cpu_sum "$SYSLOGD"; putr keepalived_syslogd_ms $(((SUM - SL0) * 1000 / HZ))
	entries; putr keepalived_entries "$ENTRIES"
	putr keepalived_errors "$KERRS"
	[ -n "$KCPID" ] && echo "$KCPID" >> "$T/k.pids"
	[ "$ROUND" -eq 1 ] || return 0
	same_table keepalived
	if [ -n "$KCPID" ]; then
		idle_cpu keepalived "$KPID" "$KCPID"
		rss "$KCPID"; put keepalived_child_rss "$RSS"; put keepalived_child_hwm "$HWM"
	fi
	rss "$KPID"; put keepalived_parent_rss "$RSS"; put keepalived_parent_hwm "$HWM"
}

# ---- phase dispatch (inside a namespace) -----------------------------------------

if [ "${1:-}" = --phase ]; then
	T=$3 ROUND=$4
	# shellcheck disable=SC1091
	. "$T/env"
	open_nap
	V=vigil
	"phase_$2"
	exit 0
fi

# ---- main -------------------------------------------------------------------------

DIR=${1:?usage: ipvs-program-guest.sh DIR}
[ -f "$DIR/v.conf" ] && [ -x "$DIR/vigild" ] || { echo "ipvs-program: $DIR has no vigild or v.conf" >&2; exit 2; }
[ -e /proc/net/ip_vs ] || { echo "ipvs-program: no IPVS in this kernel" >&2; exit 77; }
T=$(mktemp -d /tmp/ipvs-program.XXXXXX)
NSS=""
SYSLOGD=""
cleanup() {
	local ns p
	for f in "$T/v.pids" "$T/k.pids"; do
		[ -f "$f" ] || continue
		while read -r p; do kill -KILL "$p" 2>/dev/null; done < "$f"
	done
	for ns in $NSS; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$SYSLOGD" ] && kill "$SYSLOGD" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# inputs on the guest's tmpfs; k.conf: keepalived reads the original file
cp "$DIR/vigild" "$DIR/v.conf" "$DIR/restore.txt" "$DIR/meta" "$T/" || exit 1
cp "$T/v.conf" "$T/k.conf"
sort "$T/restore.txt" > "$T/want.table"
# shellcheck disable=SC1091
. "$T/meta" # n, host_parse_ms, host_start_ms
WANT=$(wc -l < "$T/restore.txt")
LAST_LINE=$(grep '^-A ' "$T/restore.txt" | tail -1)
LAST=${LAST_LINE#-A -t }
LAST=${LAST%% *}
HZ=$(getconf CLK_TCK)
IDLE_SECONDS=${IDLE_SECONDS:-6}
ROUNDS=${ROUNDS:-2}
cat > "$T/env" << EOF
WANT=$WANT
LAST_VS=${LAST%:*}
LAST_PORT=${LAST##*:}
HZ=$HZ
IDLE_SECONDS=$IDLE_SECONDS
EOF
: > "$T/raw.txt"
open_nap
put n "$n"
put rounds "$ROUNDS"
put entries_wanted "$WANT"
put kernel "$(uname -r)"
put vm "${VIGIL_VM:-0}"

# Both daemons log every line to syslog as well: give them a syslog (a
# sink) as on a real director. Without one, keepalived's glibc syslog
# falls back to /dev/console, a serial port under qemu.
if [ ! -S /dev/log ] && command -v busybox > /dev/null; then
	busybox syslogd -n -O /dev/null &
	SYSLOGD=$!
	for _ in $(seq 50); do [ -S /dev/log ] && break; nap 0.1; done
fi
if [ -S /dev/log ]; then put syslog yes; else put syslog no; fi
echo "SYSLOGD=$SYSLOGD" >> "$T/env" # whose CPU the phases count

# Warm caches (the root is 9p) and measure what starting a process costs.
for _ in 1 2; do
	now; s=$NOW; "$T/vigild" --version > /dev/null; now; e=$NOW
done
delta "$s" "$e"; put vigil_exec_ms "$DELTA"
for _ in 1 2; do
	now; s=$NOW; keepalived --version > /dev/null 2>&1; now; e=$NOW
done
delta "$s" "$e"; put keepalived_exec_ms "$DELTA"
: > "$T/empty.conf"
# vigild -t of v.conf minus that of an empty file, the quickest of 3 each
t_empty="" t_full=""
for _ in 1 2 3; do
	now; s=$NOW; "$T/vigild" -t -f "$T/empty.conf"; now; delta "$s" "$NOW"
	[ -z "$t_empty" ] || [ "$DELTA" -lt "$t_empty" ] && t_empty=$DELTA
	now; s=$NOW; "$T/vigild" -t -f "$T/v.conf"; now; delta "$s" "$NOW"
	[ -z "$t_full" ] || [ "$DELTA" -lt "$t_full" ] && t_full=$DELTA
done
put guest_parse_ms $((t_full - t_empty))
put host_parse_ms "${host_parse_ms:-}"
put host_start_ms "${host_start_ms:-}"

newns() {
	local ns=ipvsbench-$1-$$
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up # IPVS wants a local table: none until lo is up
	NSS="$NSS $ns"
	NS=$ns
}
run_phase() {
	echo "ipvs-program: round $ROUND: $1 ..."
	newns "$1" || { putr "$1_error" no_netns; return; }
	ip netns exec "$NS" bash "$SELF" --phase "$1" "$T" "$ROUND"
	# Stop the daemons without letting them clean up, then empty the
	# table and drop the namespace: /proc/net/ip_vs is only reliable
	# while one namespace has services (the kernel's seq_next walks the
	# global service hash without checking the namespace), and a
	# namespace torn down with 11,000 entries would keep the CPU busy
	# during the next phase.
	for f in "$T/v.pids" "$T/k.pids"; do
		[ -f "$f" ] || continue
		while read -r p; do kill -STOP "$p" 2>/dev/null; done < "$f"
		while read -r p; do kill -KILL "$p" 2>/dev/null; done < "$f"
		rm -f "$f"
	done
	for p in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
	ip netns exec "$NS" ipvsadm -C
	ip netns del "$NS" && NSS=${NSS/ $NS/}
}
# The machine running qemu may be busy with other work: the programming
# runs ROUNDS times, interleaved, and the table takes each one's best.
ROUND=1
while [ "$ROUND" -le "$ROUNDS" ]; do
	run_phase vigil
	run_phase restore
	if command -v keepalived > /dev/null; then run_phase keepalived; else putr keepalived_error not_installed; fi
	ROUND=$((ROUND + 1))
done
ROUND=1
run_phase vigil_nosyslog

mkdir -p "$DIR/logs" 2>/dev/null
cp "$T/raw.txt" "$DIR/raw.txt" 2>/dev/null
cp "$T"/*.log "$DIR/logs/" 2>/dev/null
echo "ipvs-program: done"
exit 0
