#!/bin/sh
# vrrp-failover.sh - VRRP failover times, idle memory and CPU of vigild
# against keepalived 2.2.7, in the namespace lab of test/vrrp/lib.sh.
# See bench/README-vrrp.md for what each figure means.
#
#   bench/vrrp-failover.sh VIGILD [NETWATCH]       (as root)
#   RUNS=5 CPU_SECONDS=30 KEEP=DIR bench/vrrp-failover.sh build/vigild
#   PARTS="failover rss cpu" (the default; a subset runs only those parts)
#
# A benchmark, not a test: it prints a table and exits 0 whatever the
# figures; 77 when it cannot run (not root, no keepalived, no compiler).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
VIGILD=${1:-${VIGILD:-}}
NETWATCH=${2:-${NETWATCH:-}}
RUNS=${RUNS:-5}
CPU_SECONDS=${CPU_SECONDS:-30}
# PARTS: which parts run (all by default); e.g. PARTS=cpu for the CPU window alone
PARTS=${PARTS:-failover rss cpu}
has_part() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
. "$TOP/test/vrrp/lib.sh"

skip() { echo "vrrp-failover: cannot run: $*"; exit 77; }
if [ -z "$VIGILD" ] || [ ! -x "$VIGILD" ]; then skip "usage: $0 VIGILD [NETWATCH]"; fi
VIGILD=$(cd "$(dirname "$VIGILD")" && pwd)/$(basename "$VIGILD")
command -v keepalived > /dev/null || skip "keepalived is not installed"
command -v perl > /dev/null || skip "perl is needed for the kill time stamps"
lab_need_root
BENCH_TMP=$(mktemp -d /tmp/vrrp-bench.XXXXXX)
if [ -z "$NETWATCH" ]; then
	NETWATCH=$BENCH_TMP/netwatch
	cc -O2 -o "$NETWATCH" "$TOP/test/tools/netwatch.c" || skip "cannot compile netwatch"
fi
cleanup() {
	lab_down
	if [ -n "${KEEP:-}" ] && mkdir -p "$KEEP"; then cp -r "$BENCH_TMP"/* "$KEEP"/ 2>/dev/null; fi
	rm -rf "$BENCH_TMP"
}
trap cleanup EXIT INT TERM
lab_up
KA_VERSION=$(keepalived --version 2>&1 | head -1 | awk '{ print $2 }')
VG_VERSION=$("$VIGILD" --version 2>&1 | head -1 | awk '{ print $NF }')
MAC2=$(ip -n "$(lab_ns lb2)" link show dev eth0 | awk '/link\/ether/ { print $2 }')
VIP=10.11.12.100
T_START=$(awk '{ print $1 }' /proc/uptime)
HZ=$(getconf CLK_TCK)
CPU_WINDOW=n/a

# conf VERSION ADVERT PRIO [VRID [VIP]]: keepalived syntax, read by both
conf() {
	cat <<EOC
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id ${4:-51}
    priority $3
    advert_int $2
    version $1
    virtual_ipaddress {
        ${5:-$VIP}/24
    }
}
EOC
}

start() { # KIND HOST CONFIG
	if [ "$1" = vigil ]; then
		lab_vigil "$2" "$3"
	else
		rm -f "$LAB_TMP/$2.kpid" "$LAB_TMP/$2.vpid"   # see test/vrrp/interop.sh
		lab_keepalived "$2" "$3"
	fi
}

stop_all() {
	lab_kill lb1 TERM; lab_kill lb2 TERM
	i=0
	while [ -n "$(lab_pids lb1)$(lab_pids lb2)" ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
	lab_kill lb1 KILL; lab_kill lb2 KILL
	for h in lb1 lb2; do
		ip -n "$(lab_ns $h)" addr del $VIP/24 dev eth0 2>/dev/null
		lab_unblock_vrrp $h
		ip netns exec "$(lab_ns $h)" nft delete table inet bench_in 2>/dev/null
		: > "$LAB_TMP/$h.log"
	done
}

wait_gone() { # HOST
	i=0
	while [ -n "$(lab_pids "$1")" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}

# kill_on_advert WATCHFILE SRC SIGNAL HOST: wait (at most 3 s) for the
# next advert of SRC in WATCHFILE, then signal HOST's processes at once,
# as lab_kill_stamped does; prints "MONOTONIC_NS REALTIME_NS". Killing
# just after an advert puts every run at the same phase of the advert
# timer, so "kill -> VIP" varies by the daemons only (it is then about
# Master_Down_Interval minus one advert interval's worth of nothing).
kill_on_advert() {
	perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC,CLOCK_REALTIME,usleep -e '
		my ($file, $src, $sig, @pids) = @ARGV;
		open(my $fh, "<", $file) or die "$file: $!";
		seek($fh, 0, 2);
		my $deadline = clock_gettime(CLOCK_MONOTONIC) + 3;
		my $buf = "";
		while (clock_gettime(CLOCK_MONOTONIC) < $deadline) {
			my $line = <$fh>;
			if (!defined $line) { seek($fh, 0, 1); usleep(500); next; }
			$buf .= $line;
			next unless $buf =~ /\n$/;
			my $l = $buf; $buf = "";
			last if $l =~ / vrrp \Q$src\E vrid \d+ prio [1-9]/;
		}
		my ($m, $r) = (clock_gettime(CLOCK_MONOTONIC), clock_gettime(CLOCK_REALTIME));
		kill "STOP", @pids if $sig eq "KILL";
		kill $sig, @pids;
		printf "%.0f %.0f\n", $m * 1e9, $r * 1e9;' "$1" "$2" "$3" $(lab_pids "$4")
}

# wait_state HOST MARK STATE SECONDS
wait_state() { lab_wait_since "$1" "$2" "\(VI_1\) Entering $3 STATE" "$4"; }

# ---- one block: RUNS failovers of one daemon at one interval ----------------
# block KIND VERSION ADVERT TERM(yes|no) NAME
# Writes $BENCH_TMP/NAME.{watch,mon,stamps}: the client's view of the
# wire (netwatch), lb2's address events (ip -ts monitor) and the kill
# stamps ("K|T run mono_ns real_ns").
block() {
	kind=$1 ver=$2 adv=$3 term=$4 name=$5
	# generous bounds: per run two elections, two takeovers, restarts
	per=$(awk -v a="$adv" 'BEGIN { printf "%d", 4 * (3 * a + 1) + 6 }')
	bound=$(( RUNS * per + 20 ))
	stamps=$BENCH_TMP/$name.stamps
	: > "$stamps"
	lab_watch cl "$bound" "$BENCH_TMP/$name.watch"
	watch_pid=$LAB_WATCH_PID
	ip netns exec "$(lab_ns lb2)" timeout "$bound" ip -ts monitor address \
		> "$BENCH_TMP/$name.mon" 2>&1 &
	mon_pid=$!
	wait_s=$(awk -v a="$adv" 'BEGIN { printf "%d", 3 * a + 3 }')

	m1=$(lab_mark lb1)
	start "$kind" lb1 "$(conf "$ver" "$adv" 150)"
	wait_state lb1 "$m1" MASTER $((wait_s + 2)) || echo "# $name: lb1 did not become master"
	start "$kind" lb2 "$(conf "$ver" "$adv" 100)"
	lab_wait_log lb2 "Entering BACKUP STATE" $((wait_s + 2))
	sleep 0.5
	r=1
	while [ $r -le "$RUNS" ]; do
		# hard: the master host dies right after one of its adverts
		m2=$(lab_mark lb2)
		echo "K $r $(kill_on_advert "$BENCH_TMP/$name.watch" 10.11.12.1 KILL lb1)" >> "$stamps"
		wait_state lb2 "$m2" MASTER "$wait_s" || echo "# $name run $r: lb2 did not take over"
		lab_wait_addr lb2 $VIP yes 2
		wait_gone lb1
		# keepalived leaves its VIP on a dead host; the host is gone
		ip -n "$(lab_ns lb1)" addr del $VIP/24 dev eth0 2>/dev/null
		: > "$LAB_TMP/lb1.log"
		m1=$(lab_mark lb1); m2=$(lab_mark lb2)
		start "$kind" lb1 "$(conf "$ver" "$adv" 150)"
		wait_state lb1 "$m1" MASTER $((wait_s + 2)) || echo "# $name run $r: lb1 did not preempt"
		wait_state lb2 "$m2" BACKUP 2
		if [ "$term" = yes ]; then
			# graceful: priority 0, then Skew_Time
			sleep 0.2
			m2=$(lab_mark lb2)
			echo "T $r $(lab_kill_stamped lb1 TERM)" >> "$stamps"
			wait_state lb2 "$m2" MASTER "$wait_s" || echo "# $name run $r: lb2 did not take over"
			wait_gone lb1
			: > "$LAB_TMP/lb1.log"
			m1=$(lab_mark lb1); m2=$(lab_mark lb2)
			start "$kind" lb1 "$(conf "$ver" "$adv" 150)"
			wait_state lb1 "$m1" MASTER $((wait_s + 2)) || echo "# $name run $r: lb1 did not preempt"
			wait_state lb2 "$m2" BACKUP 2
		fi
		sleep 0.3
		r=$((r + 1))
	done
	stop_all
	kill "$watch_pid" "$mon_pid" 2>/dev/null
	wait "$mon_pid" 2>/dev/null
}

# ---- the figures of one block -------------------------------------------
# analyse NAME: prints per run "K run advert->garp_ms kill->garp_ms kill->vip_ms"
# and "T run prio0->garp_ms"; NA when the event is missing.
analyse() {
	awk -v mac="$MAC2" -v vip="$VIP" '
	function first(arr, cnt, after,   j) { for (j = 1; j <= cnt; j++) if (arr[j] > after) return arr[j]; return -1 }
	function lastb(arr, cnt, before,   j, v) { v = -1; for (j = 1; j <= cnt; j++) if (arr[j] < before) v = arr[j]; return v }
	function ms(a, b) { return (a < 0 || b < 0) ? "NA" : sprintf("%.1f", (a - b) / 1e6) }
	NR == FNR { kind[NR] = $1; run[NR] = $2; st[NR] = $3; n = NR; next }
	$2 == "vrrp" && $3 == "10.11.12.1" { if ($7 > 0) adv[++na] = $1; else z[++nz] = $1 }
	$2 == "arp" && $3 == vip && $4 == mac { g[++ng] = $1 }
	END {
		for (i = 1; i <= n; i++) {
			if (kind[i] == "K") {
				gg = first(g, ng, st[i]); a = lastb(adv, na, st[i] + 1)
				print "K", run[i], ms(gg, a), ms(gg, st[i])
			} else {
				zz = first(z, nz, st[i]); gg = zz < 0 ? -1 : first(g, ng, zz)
				print "T", run[i], ms(gg, zz)
			}
		}
	}' "$BENCH_TMP/$1.stamps" "$BENCH_TMP/$1.watch" > "$BENCH_TMP/$1.wire"
	# kill -> VIP on lb2: the first address event for the VIP after each
	# kill, both on the real-time clock
	: > "$BENCH_TMP/$1.vip"
	grep '^K' "$BENCH_TMP/$1.stamps" | while read -r _ r _ real; do
		iso=$(date -d "@$(awk -v n="$real" 'BEGIN { printf "%.6f", n / 1e9 }')" +%Y-%m-%dT%H:%M:%S.%6N)
		ts=$(awk -v after="$iso" -v re="inet $VIP/" '
			index($0, re) && !/Deleted/ { t = substr($1, 2, 26); if (t > after) { print t; exit } }' \
			"$BENCH_TMP/$1.mon")
		if [ -n "$ts" ]; then
			vip_ns=$(date -d "$(echo "$ts" | tr T ' ')" +%s%N)
			echo "$r $(awk -v a="$vip_ns" -v b="$real" 'BEGIN { printf "%.1f", (a - b) / 1e6 }')"
		else
			echo "$r NA"
		fi
	done > "$BENCH_TMP/$1.vip"
}

# median of the numbers on stdin (NA skipped); "n/a" when none
median() {
	grep -v NA | sort -n | awk '{ v[NR] = $1 } END {
		if (!NR) { print "n/a"; exit }
		if (NR % 2) printf "%.1f\n", v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
col() { # NAME KIND(K|T) FIELD: one column of NAME.wire
	awk -v k="$2" -v f="$3" '$1 == k { print $f }' "$BENCH_TMP/$1.wire"
}
runs() { tr '\n' ' ' | sed 's/ $//'; }

# ---- failovers ---------------------------------------------------------------
if has_part failover; then
	for kind in vigil keepalived; do
		block "$kind" 2 1 yes "$kind-v2-1"
		block "$kind" 3 0.1 yes "$kind-v3-0.1"
		block "$kind" 3 0.05 no "$kind-v3-0.05"
	done
	for b in v2-1 v3-0.1 v3-0.05; do
		for kind in vigil keepalived; do analyse "$kind-$b"; done
	done
fi

# isolate HOST: HOST's daemon hears no VRRP (nftables drops it on input),
# so that two daemons in the lab are both masters at rest
isolate() {
	ip netns exec "$(lab_ns "$1")" nft -f - <<EOT
table inet bench_in {
	chain in {
		type filter hook input priority 0; policy accept;
		meta l4proto 112 drop
	}
}
EOT
}

# ---- idle RSS: one small instance each, as master, alone --------------------
# vigil in lb1, keepalived in lb2, other VRIDs, each deaf to the other
if has_part rss; then
	isolate lb1; isolate lb2
	start vigil lb1 "$(conf 3 1 150 71 10.11.12.171)"
	start keepalived lb2 "$(conf 3 1 150 72 10.11.12.172)"
	lab_wait_log lb1 "Entering MASTER STATE" 6; lab_wait_log lb2 "Entering MASTER STATE" 6
	sleep 2
	RSS_VG=$(lab_rss_kb lb1); RSS_KA=$(lab_rss_kb lb2)
	NP_VG=$(lab_pids lb1 | wc -w); NP_KA=$(lab_pids lb2 | wc -w)
	stop_all
fi

# ---- CPU as master at advert_int 0.01 ----------------------------------------
if has_part cpu; then
	isolate lb1; isolate lb2
	start vigil lb1 "$(conf 3 0.01 150 81 10.11.12.181)"
	start keepalived lb2 "$(conf 3 0.01 150 82 10.11.12.182)"
	lab_wait_log lb1 "Entering MASTER STATE" 6; lab_wait_log lb2 "Entering MASTER STATE" 6
	sleep 1
	# The load is only what it claims if each daemon really sent 100 adverts
	# a second in the window: netwatch on the client's eth0 (both daemons'
	# adverts cross the bridge to it) counts them between the two stamps
	# taken around the CPU readings, on netwatch's clock (CLOCK_MONOTONIC).
	lab_watch cl $((CPU_SECONDS + 5)) "$BENCH_TMP/cpu.watch"
	cpu_watch=$LAB_WATCH_PID
	mono_ns() { perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -e 'printf "%.0f\n", clock_gettime(CLOCK_MONOTONIC) * 1e9'; }
	w0=$(mono_ns)
	c1=$(lab_cpu_ticks lb1); c2=$(lab_cpu_ticks lb2)
	sleep "$CPU_SECONDS"
	d1=$(lab_cpu_ticks lb1); d2=$(lab_cpu_ticks lb2)
	w1=$(mono_ns)
	wait "$cpu_watch" 2>/dev/null
	# the window's real length, which sleep only approximates on a busy machine
	CPU_WINDOW=$(awk -v a="$w0" -v b="$w1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	# adverts_per_s SRC VRID: adverts (priority > 0) from SRC for VRID in the window, per second
	adverts_per_s() {
		awk -v src="$1" -v vrid="$2" -v a="$w0" -v b="$w1" -v s="$CPU_WINDOW" '
			$2 == "vrrp" && $3 == src && $5 == vrid && $7 > 0 && $1 >= a && $1 <= b { n++ }
			END { printf "%.1f", n / s }' "$BENCH_TMP/cpu.watch"
	}
	ADV_VG=$(adverts_per_s 10.11.12.1 81)
	ADV_KA=$(adverts_per_s 10.11.12.2 82)
	CPU_VG=$(awk -v a="$c1" -v b="$d1" -v hz="$HZ" -v s="$CPU_WINDOW" 'BEGIN { printf "%.3f", (b - a) / hz * 60 / s }')
	CPU_KA=$(awk -v a="$c2" -v b="$d2" -v hz="$HZ" -v s="$CPU_WINDOW" 'BEGIN { printf "%.3f", (b - a) / hz * 60 / s }')
	stop_all
fi
T_END=$(awk '{ print $1 }' /proc/uptime)

# ---- the table ---------------------------------------------------------------
# RFC 5798 6.1 for the backup, priority 100: Skew_Time = (256 - 100) / 256
# * Adver_Interval, Master_Down_Interval = 3 * Adver_Interval + Skew_Time
mdi() { awk -v a="$1" 'BEGIN { printf "%.1f", (3 * a + 156 * a / 256) * 1000 }'; }
skew() { awk -v a="$1" 'BEGIN { printf "%.1f", 156 * a / 256 * 1000 }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "n/a" && b != "n/a" && a + 0 <= b + 0) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "n/a" && a + 0 < b + 0) }'; }
verdict() { if "$@"; then echo PASS; else echo MISS; fi; }
# hard_ok VIGIL TARGET KEEPALIVED: within the target and not slower
hard_ok() { le "$1" "$2" && { [ "$3" = n/a ] || le "$1" "$3"; }; }

row() { # LABEL VIGIL KA TARGET VERDICT
	printf '%-40s %9s %11s   %-34s %s\n' "$1" "$2" "$3" "$4" "$5"
}

echo
echo "vrrp-failover: vigild $VG_VERSION vs keepalived $KA_VERSION; lb1 priority 150 master, lb2 priority 100"
echo "backup; $RUNS runs each; medians in ms; wire times from netwatch on the client's eth0"
echo
row "measurement" "vigil" "keepalived" "target" "verdict"
if has_part failover; then
	for b in "v2-1:2:1:VRRPv2 1 s" "v3-0.1:3:0.1:VRRPv3 0.1 s" "v3-0.05:3:0.05:VRRPv3 0.05 s"; do
		key=${b%%:*}; rest=${b#*:}; adv=$(echo "$rest" | cut -d: -f2); label=${rest##*:}
		M=$(mdi "$adv"); S=$(skew "$adv")
		tgt=$(awk -v m="$M" 'BEGIN { printf "%.1f", m + 10 }')
		a_vg=$(col "vigil-$key" K 3 | median); a_ka=$(col "keepalived-$key" K 3 | median)
		v_vg=$(awk '{ print $2 }' "$BENCH_TMP/vigil-$key.vip" | median)
		v_ka=$(awk '{ print $2 }' "$BENCH_TMP/keepalived-$key.vip" | median)
		g_vg=$(col "vigil-$key" K 4 | median); g_ka=$(col "keepalived-$key" K 4 | median)
		row "$label SIGKILL: last advert -> GARP" "$a_vg" "$a_ka" "<= MDI+10 = $tgt, <= keepalived" \
			"$(verdict hard_ok "$a_vg" "$tgt" "$a_ka")"
		if [ "$key" = v3-0.05 ]; then
			row "$label SIGKILL: kill -> VIP on lb2" "$v_vg" "$v_ka" "< 200 from the kill" "$(verdict lt "$v_vg" 200)"
			row "$label SIGKILL: kill -> GARP" "$g_vg" "$g_ka" "< 200 from the kill" "$(verdict lt "$g_vg" 200)"
		else
			row "$label SIGKILL: kill -> VIP on lb2" "$v_vg" "$v_ka" "<= keepalived" "$(verdict le "$v_vg" "$v_ka")"
			row "$label SIGKILL: kill -> GARP" "$g_vg" "$g_ka" "(information)" ""
			t_vg=$(col "vigil-$key" T 3 | median); t_ka=$(col "keepalived-$key" T 3 | median)
			stgt=$(awk -v s="$S" 'BEGIN { printf "%.1f", s + 10 }')
			row "$label SIGTERM: prio 0 advert -> GARP" "$t_vg" "$t_ka" "<= Skew_Time+10 = $stgt" "$(verdict le "$t_vg" "$stgt")"
		fi
	done
fi
if has_part rss; then
	rss_vg_mb=$(awk -v k="$RSS_VG" 'BEGIN { printf "%.1f", k / 1024 }')
	rss_ka_mb=$(awk -v k="$RSS_KA" 'BEGIN { printf "%.1f", k / 1024 }')
	row "idle RSS, MB ($NP_VG vs $NP_KA processes)" "$rss_vg_mb" "$rss_ka_mb" "<= 8 MB" "$(verdict le "$rss_vg_mb" 8)"
fi
if has_part cpu; then
	half=$(awk -v k="$CPU_KA" 'BEGIN { printf "%.3f", k / 2 }')
	# the CPU row counts only if both daemons carried the load (>= 95 of the 100/s)
	adv_ok() { awk -v v="$1" 'BEGIN { exit !(v + 0 >= 95) }'; }
	if adv_ok "$ADV_VG" && adv_ok "$ADV_KA"; then
		cpu_verdict=$(verdict le "$CPU_VG" "$half")
	else
		cpu_verdict="INVALID (< 95 adverts/s)"
	fi
	row "CPU as master, v3 0.01 s, s/min" "$CPU_VG" "$CPU_KA" "<= keepalived/2 = $half" "$cpu_verdict"
	row "  adverts sent/s in that window (wire)" "$ADV_VG" "$ADV_KA" ">= 95 of the 100 wanted" \
		"$(if adv_ok "$ADV_VG" && adv_ok "$ADV_KA"; then echo ok; else echo "low: CPU row invalid"; fi)"
fi
echo
echo "MDI = Master_Down_Interval of the backup (priority 100): $(mdi 1) / $(mdi 0.1) / $(mdi 0.05) ms;"
echo "Skew_Time: $(skew 1) / $(skew 0.1) ms. CPU over $CPU_WINDOW s (utime+stime of every process"
echo "in the namespace, $HZ ticks/s), adverts counted on the client's eth0 in the same window;"
echo "RSS: VmRSS summed over the daemon's processes."
echo
if has_part failover; then
	echo "per run (ms):"
	for b in v2-1 v3-0.1 v3-0.05; do
		for kind in vigil keepalived; do
			echo "  $kind $b SIGKILL advert->GARP: $(col "$kind-$b" K 3 | runs)"
			echo "  $kind $b SIGKILL kill->VIP:    $(awk '{ print $2 }' "$BENCH_TMP/$kind-$b.vip" | runs)"
			[ "$b" != v3-0.05 ] && echo "  $kind $b SIGTERM prio0->GARP:  $(col "$kind-$b" T 3 | runs)"
		done
	done
fi
echo
echo "wall time: $(awk -v a="$T_START" -v b="$T_END" 'BEGIN { printf "%.0f", b - a }') s"
exit 0
