#!/bin/sh
# vigild and keepalived 2.2.7 as one VRRP pair, in both roles:
#   A/B  VRRPv2, auth_type PASS, advert_int 1   (A: vigil master, B: keepalived master)
#   C    VRRPv3, advert_int 0.1, both ways
#   D    VRRPv3 over IPv6, advert_int 0.1, both ways
# each: election, SIGKILL of the master (the backup takes over within
# Master_Down_Interval), restart (the higher priority preempts back),
# SIGTERM (priority 0: the backup takes over after Skew_Time); then
#   E    split brain healing, made deterministic with one-way partitions
#        (nftables drops one side's VRRP output): the higher master's
#        "lower priority" line and the equal-priority tie-break, both ways
# and finally the wording: every line keepalived logged for a VRRP event
# must appear word for word in vigil's log (the scenarios are symmetric,
# so the same event carries the same values whichever daemon logs it).
# Needs root and keepalived; skips (77) without them.
#
#   VIGILD=build/vigild NETWATCH=/tmp/netwatch sh test/vrrp/interop.sh
#   (KEEP_LOGS=DIR: keep both daemons' transcripts in DIR)
set -u
. "$(dirname "$0")/lib.sh"
lab_need_root
NETWATCH=${NETWATCH:-$(dirname "$VIGILD")/test/tools/netwatch}
KEEPALIVED=$(command -v keepalived || echo /usr/sbin/keepalived)
[ -x "$KEEPALIVED" ] || { echo "SKIP: keepalived not installed"; exit 77; }
"$KEEPALIVED" --version 2>&1 | grep -q 'Keepalived v2\.2\.7' ||
	echo "# note: not keepalived 2.2.7: $("$KEEPALIVED" --version 2>&1 | head -1)"
[ -x "$NETWATCH" ] || { echo "SKIP: $NETWATCH not built"; exit 77; }
trap lab_down EXIT INT TERM
lab_up
: > "$LAB_TMP/all.vigil"; : > "$LAB_TMP/all.keepalived"

# conf FAMILY VERSION ADVERT PRIO: one instance, the same text for both
# daemons (keepalived's syntax)
conf() {
	if [ "$1" = 6 ]; then vi=VI_6 vip=fd00:11:12::100/64; else vi=VI_1 vip=10.11.12.100/24; fi
	auth=
	[ "$2" = 2 ] && auth="authentication {
        auth_type PASS
        auth_pass s3cret
    }"
	cat <<EOC
vrrp_instance $vi {
    interface eth0
    virtual_router_id 51
    priority $4
    advert_int $3
    version $2
    $auth
    virtual_ipaddress {
        $vip
    }
}
EOC
}

start() { # KIND HOST CONFIG
	if [ "$1" = vigil ]; then
		lab_vigil "$2" "$3"
	else
		# a killed keepalived leaves its pid files; if their pids have
		# been reused, a new one refuses to start ("daemon is already running")
		rm -f "$LAB_TMP/$2.kpid" "$LAB_TMP/$2.vpid"
		lab_keepalived "$2" "$3"
	fi
}

# collect HOST KIND: add HOST's log to the KIND's transcript (timestamps
# cut, IPv6 link-local addresses replaced by the host's name, so that
# lines from either host compare), then empty it
collect() {
	lab_msgs "$1" | sed -e "s/$LL1/LL(lb1)/g" -e "s/$LL2/LL(lb2)/g" >> "$LAB_TMP/all.$2"
	: > "$LAB_TMP/$1.log"
}

stop_all() { # KIND1 KIND2
	lab_kill lb1 TERM; lab_kill lb2 TERM
	sleep 0.5
	lab_kill lb1 KILL; lab_kill lb2 KILL
	for h in lb1 lb2; do
		ip -n "$(lab_ns $h)" addr del 10.11.12.100/24 dev eth0 2>/dev/null
		ip -n "$(lab_ns $h)" addr del fd00:11:12::100/64 dev eth0 2>/dev/null
		lab_unblock_vrrp $h
	done
	collect lb1 "$1"; collect lb2 "$2"
}

ll() { ip -n "$(lab_ns "$1")" -6 addr show dev eth0 scope link |
	awk '/inet6/ { sub("/.*", "", $2); print $2; exit }'; }
LL1=$(ll lb1); LL2=$(ll lb2)

# wait_gone HOST: until no process is left in HOST's namespace
wait_gone() {
	i=0
	while [ -n "$(lab_pids "$1")" ] && [ $i -lt 60 ]; do sleep 0.05; i=$((i + 1)); done
}

# ms_between FILE FROM_REGEX TO_REGEX: ms from the last netwatch line
# matching FROM that precedes the first line matching TO (after a FROM)
ms_between() {
	awk -v from="$2" -v to="$3" '
		$0 ~ from { t = $1 }
		t && $0 ~ to { printf "%d\n", ($1 - t) / 1e6; found = 1; exit }
		END { if (!found) print -1 }' "$1"
}

# within MS LO HI: LO <= MS <= HI
within() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# ---- one pair scenario ----------------------------------------------------
# pair HI LO FAMILY VERSION ADVERT: HI (priority 150) on lb1, LO (100) on lb2
pair() {
	hi=$1 lo=$2 fam=$3 ver=$4 adv=$5
	tag="$hi master/$lo backup, v$ver"
	[ "$fam" = 6 ] && tag="$tag IPv6"
	if [ "$fam" = 6 ]; then
		vi=VI_6 vip=fd00:11:12::100 e1=$LL1 e2=$LL2
	else
		# regexes for grep -E and awk alike (awk -v eats backslashes)
		vi=VI_1 vip=10.11.12.100 e1='10[.]11[.]12[.]1' e2='10[.]11[.]12[.]2'
	fi
	# RFC 5798 6.1 with our priorities (ms): the backup (100) declares
	# the master down after 3 * Adver + Skew = 3 * adv + 156/256 adv;
	# Skew_Time after a priority 0 advert
	mdi=$(awk -v a="$adv" 'BEGIN { printf "%d", (3 * a + 156 * a / 256) * 1000 }')
	skew=$(awk -v a="$adv" 'BEGIN { printf "%d", 156 * a / 256 * 1000 }')
	secs=$(awk -v a="$adv" 'BEGIN { s = 3 * a + 2; printf "%d", s < 3 ? 3 : s }')
	lab_watch cl $(( secs * 6 + 12 )) "$LAB_TMP/watch.txt"

	# election: the master first, so that the backup starts under it
	start "$hi" lb1 "$(conf "$fam" "$ver" "$adv" 150)"
	check "$tag: $hi on lb1 becomes master" lab_wait_log lb1 "\($vi\) Entering MASTER STATE" $((secs + 3))
	start "$lo" lb2 "$(conf "$fam" "$ver" "$adv" 100)"
	check "$tag: $lo on lb2 enters backup" lab_wait_log lb2 "\($vi\) Entering BACKUP STATE" $((secs + 2))
	sleep "$secs"    # longer than Master_Down_Interval: lb2 hears the adverts
	check "$tag: $lo never master while $hi runs" lab_none_since lb2 0 "\($vi\) Entering MASTER STATE"
	check "$tag: VIP on lb1" lab_has_addr lb1 "$vip"
	check "$tag: VIP not on lb2" sh -c "! ip -n $(lab_ns lb2) addr show dev eth0 | grep -qw $vip"

	# hard failover: the host dies (lab_crash: no process gets to resign)
	m2=$(lab_mark lb2)
	lab_crash lb1
	wait_gone lb1
	# keepalived leaves its VIP behind when killed (vigil's expires by its
	# lifetime); take it away as the death of the host would
	[ "$hi" = keepalived ] && ip -n "$(lab_ns lb1)" addr del "$vip/64" dev eth0 2>/dev/null
	[ "$hi" = keepalived ] && ip -n "$(lab_ns lb1)" addr del "$vip/24" dev eth0 2>/dev/null
	check "$tag: SIGKILL of $hi: $lo takes over" lab_wait_since lb2 "$m2" "\($vi\) Entering MASTER STATE" $((secs + 2))
	check "$tag: SIGKILL: $lo logs the timeout" lab_wait_since lb2 "$m2" "\($vi\) Receive advertisement timeout" 1
	check "$tag: SIGKILL: VIP on lb2" lab_wait_addr lb2 "$vip" yes 2
	sleep 0.3
	t=$(ms_between "$LAB_TMP/watch.txt" "vrrp $e1 vrid 51 prio 150" "vrrp $e2 vrid 51 prio 100")
	lo_ms=$((mdi * 8 / 10)) hi_ms=$((mdi * 12 / 10 + 50))
	echo "# $tag: last advert of lb1 -> first advert of lb2: $t ms (Master_Down_Interval $mdi ms)"
	check "$tag: takeover after Master_Down_Interval ($t ms in [$lo_ms, $hi_ms])" within "$t" "$lo_ms" "$hi_ms"

	# preemption back
	m1=$(lab_mark lb1); m2=$(lab_mark lb2)
	start "$hi" lb1 "$(conf "$fam" "$ver" "$adv" 150)"
	# RFC 5798 6.4.2: a backup with preemption discards a lower priority
	# advert (and lets its Master_Down_Timer run out); keepalived logs it
	check "$tag: restarted $hi discards $lo's lower adverts" lab_wait_since lb1 "$m1" \
		"\($vi\) received lower priority \(100\) advert from $e2 - discarding" $((secs + 3))
	check "$tag: restarted $hi preempts" lab_wait_since lb1 "$m1" "\($vi\) Entering MASTER STATE" $((secs + 3))
	check "$tag: $lo yields to the higher priority" lab_wait_since lb2 "$m2" \
		"\($vi\) Master received advert from $e1 with higher priority 150, ours 100" 2
	check "$tag: $lo back to backup" lab_wait_since lb2 "$m2" "\($vi\) Entering BACKUP STATE" 2
	check "$tag: VIP left lb2" lab_wait_addr lb2 "$vip" no 2
	check "$tag: VIP back on lb1" lab_wait_addr lb1 "$vip" yes 2
	sleep "$secs"

	# graceful failover: priority 0, then Skew_Time
	m1=$(lab_mark lb1); m2=$(lab_mark lb2)
	lab_kill lb1 TERM
	check "$tag: SIGTERM: $hi sends priority 0" lab_wait_since lb1 "$m1" "\($vi\) sent 0 priority" 3
	check "$tag: SIGTERM: $lo hears it" lab_wait_since lb2 "$m2" "\($vi\) Backup received priority 0 advertisement" 3
	check "$tag: SIGTERM: $lo master" lab_wait_since lb2 "$m2" "\($vi\) Entering MASTER STATE" 3
	check "$tag: SIGTERM: VIP on lb2" lab_wait_addr lb2 "$vip" yes 2
	check "$tag: SIGTERM: $hi removed its VIP" lab_wait_addr lb1 "$vip" no 3
	sleep 0.3
	t=$(ms_between "$LAB_TMP/watch.txt" "vrrp $e1 vrid 51 prio 0" "vrrp $e2 vrid 51 prio 100")
	# Halfway between Skew_Time and Master_Down_Interval: proves the
	# priority 0 path, with room for a loaded machine's scheduling.
	hi_ms=$((skew + (mdi - skew) / 2))
	echo "# $tag: priority 0 advert -> first advert of lb2: $t ms (Skew_Time $skew ms)"
	check "$tag: takeover after Skew_Time ($t ms in [0, $hi_ms], not Master_Down_Interval)" \
		within "$t" 0 "$hi_ms"
	kill "$LAB_WATCH_PID" 2>/dev/null
	stop_all "$hi" "$lo"
}

pair vigil keepalived 4 2 1
pair keepalived vigil 4 2 1
pair vigil keepalived 4 3 0.1
pair keepalived vigil 4 3 0.1
pair vigil keepalived 6 3 0.1
pair keepalived vigil 6 3 0.1

# ---- E. split brain heals -------------------------------------------------
# split FIRST SECOND PRIO1 PRIO2 BLOCKED: FIRST on lb1 (PRIO1), SECOND on
# lb2 (PRIO2); the master is started first; then BLOCKED (the master's
# host) stops sending, the other side takes over, and the blocked master
# keeps receiving its adverts; then the partition heals.
split() {
	k1=$1 k2=$2 p1=$3 p2=$4 blk=$5
	if [ "$blk" = lb1 ]; then mk=$k1 mp=$p1 ok=$k2 op=$p2 other=lb2; else mk=$k2 mp=$p2 ok=$k1 op=$p1 other=lb1; fi
	tag="split brain, $mk ($mp) on $blk cut off, $ok ($op) on $other"
	start "$mk" "$blk" "$(conf 4 3 0.1 "$mp")"
	check "$tag: $mk master" lab_wait_log "$blk" "\(VI_1\) Entering MASTER STATE" 4
	start "$ok" "$other" "$(conf 4 3 0.1 "$op")"
	check "$tag: $ok backup" lab_wait_log "$other" "\(VI_1\) Entering BACKUP STATE" 5
	sleep 0.5
	mb=$(lab_mark "$blk"); mo=$(lab_mark "$other")
	lab_block_vrrp "$blk"
	check "$tag: $ok takes over" lab_wait_since "$other" "$mo" "\(VI_1\) Entering MASTER STATE" 2
	sleep 0.5
	if [ "$blk" = lb1 ]; then sa='10[.]11[.]12[.]2' sb='10[.]11[.]12[.]1'; else sa='10[.]11[.]12[.]1' sb='10[.]11[.]12[.]2'; fi
	if [ "$mp" -gt "$op" ] || { [ "$mp" -eq "$op" ] && [ "$blk" = lb2 ]; }; then
		# the cut-off master wins: it sees a lower (or equal from a lower
		# address) advert; keepalived answers it and logs this
		check "$tag: $mk logs keepalived's lower-priority line" lab_wait_since "$blk" "$mb" \
			"\(VI_1\) Received advert from $sa with lower priority $op, ours $mp, forcing new election" 1
		check "$tag: $mk stays master" lab_none_since "$blk" "$mb" "Entering BACKUP STATE"
		lab_unblock_vrrp "$blk"
		if [ "$mp" -gt "$op" ]; then
			check "$tag: healed: $ok yields (higher priority)" lab_wait_since "$other" "$mo" \
				"\(VI_1\) Master received advert from $sb with higher priority $mp, ours $op" 2
		else
			check "$tag: healed: $ok yields (same priority, higher address)" lab_wait_since "$other" "$mo" \
				"\(VI_1\) Master received advert from $sb with same priority $mp but higher IP address than ours" 2
		fi
		check "$tag: healed: $ok back to backup" lab_wait_since "$other" "$mo" "\(VI_1\) Entering BACKUP STATE" 2
		check "$tag: healed: VIP only on $blk" lab_wait_addr "$other" 10.11.12.100 no 2
	else
		# equal priority, cut-off master on the lower address: it yields
		check "$tag: $mk yields (same priority, higher address)" lab_wait_since "$blk" "$mb" \
			"\(VI_1\) Master received advert from $sa with same priority $op but higher IP address than ours" 1
		lab_unblock_vrrp "$blk"
	fi
	if [ "$k1" = vigil ]; then stop_all vigil keepalived; else stop_all keepalived vigil; fi
}

split vigil keepalived 150 100 lb1
split keepalived vigil 150 100 lb1
split keepalived vigil 100 100 lb2    # vigil on lb2 is the cut-off master
split vigil keepalived 100 100 lb2
split vigil keepalived 100 100 lb1    # vigil on lb1 (lower address) yields
split keepalived vigil 100 100 lb1

# ---- F. the same words ------------------------------------------------------
# Every line keepalived logged for these events, word for word in vigil's
# transcript (one check per distinct line).
EVENTS='Entering (BACKUP|MASTER|FAULT) STATE
Receive advertisement timeout
Master received advert from .* with higher priority [0-9]+, ours [0-9]+$
Master received advert from .* with same priority [0-9]+ but higher IP address than ours$
received lower priority \([0-9]+\) advert from .* - discarding$
Received advert from .* with lower priority [0-9]+, ours [0-9]+
Backup received priority 0 advertisement$
Master received priority 0 message$
sent 0 priority$
(setting|removing) VIPs\.$
Sending/queueing .* on eth0 for '
# Compared as templates (addresses -> A, numbers -> N): which daemon sees
# whose advert first after a partition heals depends on timing, so the
# exact line may come up in one mirrored scenario and not the other; the
# wording must match whenever the event happens.
template() { sed -E 's/LL\([a-z0-9]+\)/A/g; s/[0-9a-f]*:[0-9a-f:]+|[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/A/g; s/[0-9]+/N/g'; }
echo "$EVENTS" | while IFS= read -r re; do
	grep -E "^\(VI_[16]\) $re" "$LAB_TMP/all.keepalived"
done | template | sort -u > "$LAB_TMP/ka-lines"
template < "$LAB_TMP/all.vigil" > "$LAB_TMP/all.vigil.t"
template < "$LAB_TMP/all.keepalived" > "$LAB_TMP/all.keepalived.t"
while IFS= read -r line; do
	check "same words: vigil logs keepalived's \"$line\"" grep -qxF "$line" "$LAB_TMP/all.vigil.t"
done < "$LAB_TMP/ka-lines"
# and the other way: vigil's lines for these events that keepalived never wrote
echo "$EVENTS" | while IFS= read -r re; do
	grep -E "^\(VI_[16]\) $re" "$LAB_TMP/all.vigil"
done | template | sort -u > "$LAB_TMP/vigil-lines"
while IFS= read -r line; do
	check "same words: keepalived also logs vigil's \"$line\"" grep -qxF "$line" "$LAB_TMP/all.keepalived.t"
done < "$LAB_TMP/vigil-lines"

# KEEP_LOGS=DIR keeps both transcripts for reading
if [ -n "${KEEP_LOGS:-}" ] && mkdir -p "$KEEP_LOGS"; then
	cp "$LAB_TMP/all.vigil" "$KEEP_LOGS/interop.vigil.log"
	cp "$LAB_TMP/all.keepalived" "$KEEP_LOGS/interop.keepalived.log"
fi
lab_summary
