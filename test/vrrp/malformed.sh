#!/bin/sh
# Hostile and broken VRRP packets against a vigild pair: one packet per
# validation rule (RFC 3768/5798 section 7.1, plus the checks keepalived
# adds), sent from the client namespace with test/tools/vrrpsend. Each
# must be dropped, logged with its reason and counted ("(N dropped so
# far)"), and neither daemon may change state: lb1 stays master of every
# instance with its VIPs, lb2 stays backup. Then a bounded flood of
# 10,000 garbage packets: the master must keep advertising on time and
# the log must stay rate-limited. Last, issue 15's unicast TTL attack: a
# namespace routed behind the client spoofs the backup's address in
# priority-254 unicast adverts; the instances checking the TTL
# (check_unicast_ttl, a peer's min_ttl/max_ttl) drop them, the one
# without a check yields, as keepalived would by default.
# Needs root; skips (77) without it.
#
#   VIGILD=build/vigild VRRPSEND=/tmp/vrrpsend NETWATCH=/tmp/netwatch sh test/vrrp/malformed.sh
set -u
. "$(dirname "$0")/lib.sh"
lab_need_root
VRRPSEND=${VRRPSEND:-$(dirname "$VIGILD")/test/tools/vrrpsend}
NETWATCH=${NETWATCH:-$(dirname "$VIGILD")/test/tools/netwatch}
for t in "$VIGILD" "$VRRPSEND" "$NETWATCH"; do
	[ -x "$t" ] || { echo "SKIP: $t not built"; exit 77; }
done
trap lab_down EXIT INT TERM
lab_up

# Three instances per daemon: VRRPv2 with PASS (1 s), VRRPv3 (100 ms),
# and VRRPv3 over IPv6 (100 ms).
conf() {
	cat <<EOC
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    priority $1
    advert_int 1
    version 2
    authentication {
        auth_type PASS
        auth_pass s3cret
    }
    virtual_ipaddress {
        10.11.12.102/24
    }
}
vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 53
    priority $1
    advert_int 0.1
    version 3
    virtual_ipaddress {
        10.11.12.103/24
    }
}
vrrp_instance VI_6 {
    interface eth0
    virtual_router_id 56
    priority $1
    advert_int 0.1
    virtual_ipaddress {
        fd00:11:12::106/64
    }
}
vrrp_instance VI_U1 {
    interface eth0
    virtual_router_id 61
    priority $1
    advert_int 0.1
    version 3
    unicast_peer {
        10.11.12.1
        10.11.12.2
    }
    virtual_ipaddress {
        10.11.12.161/24
    }
}
vrrp_instance VI_U2 {
    interface eth0
    virtual_router_id 62
    priority $1
    advert_int 0.1
    version 3
    check_unicast_ttl
    unicast_peer {
        10.11.12.1
        10.11.12.2
    }
    virtual_ipaddress {
        10.11.12.162/24
    }
}
vrrp_instance VI_U4 {
    interface eth0
    virtual_router_id 64
    priority $1
    advert_int 0.1
    version 3
    unicast_ttl 64
    unicast_peer {
        10.11.12.1 min_ttl 64 max_ttl 64
        10.11.12.2 min_ttl 64 max_ttl 64
    }
    virtual_ipaddress {
        10.11.12.164/24
    }
}
EOC
}

# Start lb1 first so that it is master of all before lb2 exists. The
# unicast instances: VI_U1 as keepalived by default (no TTL check),
# VI_U2 with check_unicast_ttl, VI_U4 sending TTL 64 (unicast_ttl) to
# peers that accept only 64 (min_ttl/max_ttl).
lab_vigil lb1 "$(conf 150)"
for vi in VI_2 VI_3 VI_6 VI_U1 VI_U2 VI_U4; do
	check "lb1 master of $vi" lab_wait_log lb1 "\($vi\) Entering MASTER STATE" 6
done
lab_vigil lb2 "$(conf 100)"
for vi in VI_2 VI_3 VI_6 VI_U1 VI_U2 VI_U4; do
	check "lb2 backup of $vi" lab_wait_log lb2 "\($vi\) Entering BACKUP STATE" 3
done
sleep 1.2   # lb2 must have heard lb1's v2 advert at least once
# lb2 hears lb1's unicast adverts: TTL 255 on the link (VI_U2), and
# unicast_ttl's 64 in VI_U4 (a 255 would be out of 64 - 64: lb2 would
# drop every advert and take over within 0.4 s)
check "unicast_ttl 64 / check_unicast_ttl: lb2 accepts lb1's unicast adverts" \
	lab_none_since lb2 0 "\((VI_U1|VI_U2|VI_U4)\) (Entering MASTER|TTL)"
M1=$(lab_mark lb1); M2=$(lab_mark lb2)   # everything after this is the test

CL=$(lab_ns cl)
send() { ip netns exec "$CL" "$VRRPSEND" -q "$@"; }
# the client's link-local address, the source of its IPv6 packets
CL6=$(ip -n "$CL" -6 addr show dev eth0 scope link | awk '/inet6/ { sub("/.*", "", $2); print $2; exit }')

# ---- the per-reason bookkeeping ----
# Each drop reason is logged at most once per second per instance (and
# once per second for the engine's reasons), so two packets for the same
# reason are spaced by 1.05 s; packets for other reasons go in between.
# Counters: how many packets of each reason each host has been sent, to
# check the "(N dropped so far)" in its log line.
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
# The daemon logs a reason at most once a second: leave 1.4 s between two
# packets of one reason, so that scheduling delays (ASan, a loaded CI
# machine) cannot push the second inside the first one's second.
space_reason() { # KEY
	eval "last=\${LAST_$1:-0}"
	wait_ms=$(( last + 1400 - $(now_ms) ))
	[ "$wait_ms" -gt 0 ] && sleep "$(awk -v m="$wait_ms" 'BEGIN { printf "%.3f", m / 1000 }')"
	eval "LAST_$1=$(now_ms)"
}
bump() { # HOST KEY: one more drop of KEY expected on HOST; the count in $BUMPED
	eval "BUMPED=\$(( \${N_$1_$2:-0} + 1 )); N_$1_$2=\$BUMPED"
}
esc() { printf '%s' "$1" | sed 's/[][().*+?^$|\\]/\\&/g'; }

# drop_case NAME KEY HOSTS REASON DETAIL_REGEX VRRPSEND_ARGS...
#   KEY: the rate-limit key (engine reason, or instance+reason)
#   HOSTS: "lb1 lb2" for multicast, "lb1" for a packet sent to lb1 only
#   REASON: vrrp_drop_name() text, with the "(VI_x) " prefix for an
#           instance's drops; DETAIL_REGEX: what the line must say after it
# Checks that each host in HOSTS logs "REASON: DETAIL (N dropped so far)"
# with the right N, and that the others log nothing for it.
# (The lib's check() and wait loops use $name, $h and $i: not used here.)
drop_case() {
	dc_name=$1 dc_key=$2 dc_hosts=$3 dc_reason=$4 dc_detail=$5
	shift 5
	space_reason "$dc_key"
	dc_m1=$(lab_mark lb1); dc_m2=$(lab_mark lb2)
	send "$@"
	for dc_h in lb1 lb2; do
		eval "dc_m=\$dc_m${dc_h#lb}"
		case " $dc_hosts " in
		*" $dc_h "*)
			bump "$dc_h" "$dc_key"
			check "$dc_name: dropped by $dc_h, logged and counted" \
				lab_wait_since "$dc_h" "$dc_m" \
				"$(esc "$dc_reason"): $dc_detail \($BUMPED dropped so far\)" 2
			;;
		*)
			sleep 0.2
			check "$dc_name: not seen by $dc_h (unicast to lb1)" \
				lab_none_since "$dc_h" "$dc_m" "$(esc "$dc_reason")"
			;;
		esac
	done
}

# the state that must survive every packet below
states_hold() { # LABEL
	check "$1: lb1 never left MASTER" lab_none_since lb1 "$M1" "Entering (BACKUP|FAULT) STATE"
	check "$1: lb2 never became MASTER" lab_none_since lb2 "$M2" "Entering (MASTER|FAULT) STATE"
	for v in 10.11.12.102 10.11.12.103 fd00:11:12::106; do
		check "$1: $v on lb1" lab_has_addr lb1 "$v"
		check "$1: $v not on lb2" sh -c "! ip -n $(lab_ns lb2) addr show dev eth0 | grep -qw $v"
	done
}

# ---- 0. controls: a well-formed advert from vrrpsend is accepted --------
# (so that each drop below is due to the one field the test breaks). A
# master answers a lower priority advert; either wording proves that it
# was accepted - the exact wording is interop.sh's business.
lower() { echo "(received lower priority \($1\) advert from $2 - discarding|Received advert from $2 with lower priority $1)"; }
m1=$(lab_mark lb1)
send -V 3 -r 53 -p 50 -a 10.11.12.103
check "control v3: well-formed advert accepted by the master" \
	lab_wait_since lb1 "$m1" "\(VI_3\) $(lower 50 '10\.11\.12\.10')" 2
send -V 2 -r 52 -p 50 -k s3cret -a 10.11.12.102
check "control v2 PASS: well-formed advert accepted by the master" \
	lab_wait_since lb1 "$m1" "\(VI_2\) $(lower 50 '10\.11\.12\.10')" 2
send -6 -r 56 -p 50 -a fd00:11:12::106
check "control IPv6: well-formed advert accepted by the master" \
	lab_wait_since lb1 "$m1" "\(VI_6\) $(lower 50 "$(esc "$CL6")")" 2
# RFC 5798 5.2.6: the v3 reserved bits are ignored on reception
m1=$(lab_mark lb1)
send -V 3 -r 53 -p 51 -R 15 -a 10.11.12.103
check "control v3: reserved bits set, still accepted" \
	lab_wait_since lb1 "$m1" "\(VI_3\) $(lower 51 '10\.11\.12\.10')" 2

# ---- 1. one packet per rule ---------------------------------------------
A3="-r 53 -a 10.11.12.103"                 # a v3 advert for VI_3
A2="-V 2 -r 52 -k s3cret -a 10.11.12.102"  # a v2 PASS advert for VI_2
A6="-6 -r 56 -a fd00:11:12::106"           # a v3 IPv6 advert for VI_6
MAL="malformed advertisement"
FROM='from 10\.11\.12\.10'

drop_case "TTL 64" VI_3_ttl "lb1 lb2" "(VI_3) TTL/hop limit not 255" "TTL 64 $FROM" $A3 -t 64
drop_case "version 3 for a v2 instance" VI_2_ver "lb1 lb2" "(VI_2) version mismatch" \
	"version 3 $FROM, ours is 2" -V 3 -r 52 -a 10.11.12.102
drop_case "version 5" mal "lb1 lb2" "$MAL" "bad version 5 $FROM" $A3 -V 5
drop_case "VRID of no instance" noinst "lb1 lb2" "no instance for VRID" "VRID 99 to 224\\.0\\.0\\.18" \
	-r 99 -a 10.11.12.103
drop_case "wrong password" VI_2_auth "lb1 lb2" "(VI_2) authentication mismatch" \
	"$FROM \(auth type 1\)" -V 2 -r 52 -k wrong -a 10.11.12.102
drop_case "v2 interval 3 s, ours 1 s" VI_2_int "lb1 lb2" "(VI_2) advertisement interval mismatch" \
	"3s $FROM, ours is 1s" $A2 -I 3
drop_case "VRID collision: other address, priority 254" VI_3_addr "lb1 lb2" \
	"(VI_3) address list mismatch (VRID collision)" \
	"VRID 53 $FROM carries 1 other address\(es\).*" -r 53 -p 254 -a 10.11.12.200
drop_case "type 2" mal "lb1 lb2" "$MAL" "bad type 2 $FROM" $A3 -T 2
drop_case "TTL 1 to lb1 only (unicast)" VI_3_ttl "lb1" "(VI_3) TTL/hop limit not 255" \
	"TTL 1 $FROM" $A3 -t 1 -d 10.11.12.1
drop_case "IPv6 hop limit 64" VI_6_ttl "lb1 lb2" "(VI_6) TTL/hop limit not 255" \
	"TTL 64 from $(esc "$CL6")" $A6 -t 64
drop_case "auth type 0 (none) for a PASS instance" VI_2_auth "lb1 lb2" "(VI_2) authentication mismatch" \
	"$FROM \(auth type 0\)" -V 2 -r 52 -A 0 -a 10.11.12.102
drop_case "truncated header (6 bytes)" mal "lb1 lb2" "$MAL" \
	"truncated VRRP header: 6 bytes, need 8 $FROM" $A3 -x 6
drop_case "VRID collision: two addresses, one ours" VI_3_addr "lb1 lb2" \
	"(VI_3) address list mismatch (VRID collision)" \
	"VRID 53 $FROM carries 2 other address\(es\).*" -r 53 -p 254 -a 10.11.12.103 -a 10.11.12.201
drop_case "count 3, one address" mal "lb1 lb2" "$MAL" \
	"truncated in the address list: 12 bytes, count 3 needs 20 $FROM" $A3 -n 3
drop_case "IPv6 VRID collision" VI_6_addr "lb1 lb2" "(VI_6) address list mismatch (VRID collision)" \
	"VRID 56 from $(esc "$CL6") carries 1 other address\(es\).*" -6 -r 56 -p 254 -a fd00:11:12::200
drop_case "v2 without its 8 bytes of auth data" mal "lb1 lb2" "$MAL" \
	"truncated in the authentication data: 12 bytes, need 20 $FROM" $A2 -N
drop_case "4 trailing bytes" mal "lb1 lb2" "$MAL" \
	"4 bytes after the 12-byte advertisement \(count 1\) $FROM" $A3 -e 4
drop_case "bad checksum (v3)" mal "lb1 lb2" "$MAL" \
	"checksum mismatch: 0x[0-9a-f]{4} in packet, 0x[0-9a-f]{4} computed $FROM" $A3 -c bad
drop_case "bad checksum (v2)" mal "lb1 lb2" "$MAL" \
	"checksum mismatch: 0x[0-9a-f]{4} in packet, 0x[0-9a-f]{4} computed $FROM" $A2 -c bad
drop_case "v3 checksum over the wrong pseudo-header dst" mal "lb1 lb2" "$MAL" \
	"checksum mismatch: .* $FROM" $A3 -D 10.11.12.1
drop_case "auth type 7" mal "lb1 lb2" "$MAL" "bad auth type 7 $FROM" $A2 -A 7
drop_case "interval 0 (v3)" mal "lb1 lb2" "$MAL" "advertisement interval 0 $FROM" $A3 -I 0
drop_case "interval 0 (v2)" mal "lb1 lb2" "$MAL" "advertisement interval 0 $FROM" $A2 -I 0
drop_case "IPv6 bad checksum" mal "lb1 lb2" "$MAL" \
	"checksum mismatch: 0x[0-9a-f]{4} in packet, 0x[0-9a-f]{4} computed from $(esc "$CL6")" $A6 -c bad
drop_case "VRRPv2 over IPv6" mal "lb1 lb2" "$MAL" "VRRPv2 over IPv6.* from $(esc "$CL6")" \
	-6 -V 2 -r 56 -a fd00:11:12::106 -N
sleep 0.5
states_hold "after one packet per rule"

# ---- 2. priority 0 with a bad checksum must not start the skew timer ----
# From the master's own address, as a corrupted resignation would be.
for c in "v3 VI_3 -r 53 -a 10.11.12.103" "v2 VI_2 -V 2 -r 52 -k s3cret -a 10.11.12.102" \
	 "IPv6 VI_6 -6 -r 56 -a fd00:11:12::106"; do
	set -- $c
	label=$1 vi=$2
	shift 2
	src=10.11.12.1
	[ "$label" = IPv6 ] && src=$(ip -n "$(lab_ns lb1)" -6 addr show dev eth0 scope link |
		awk '/inet6/ { sub("/.*", "", $2); print $2; exit }')
	space_reason mal
	m2=$(lab_mark lb2)
	send "$@" -p 0 -s "$src" -c bad
	# lb1's kernel drops an IPv4 packet carrying lb1's own source address
	# (a martian) before vigild sees it; IPv6 lets a link-local one through
	[ "$label" = IPv6 ] && bump lb1 mal
	bump lb2 mal
	check "prio 0 + bad checksum ($label): dropped as malformed by lb2" lab_wait_since lb2 "$m2" \
		"$MAL: checksum mismatch.*\($BUMPED dropped so far\)" 2
	# Skew_Time is 61 ms (v3) or 609 ms (v2); wait past both
	sleep 1
	check "prio 0 + bad checksum ($label): no skew takeover" lab_none_since lb2 "$m2" \
		"\($vi\) (Backup received priority 0|Receive advertisement timeout|Entering MASTER)"
done
states_hold "after bad priority-0 adverts"

# ---- 3. a flood of 10,000 garbage packets ---------------------------------
# vrrpsend -G mixes random bytes, bad checksums, TTLs below 255, unknown
# VRIDs, truncation, bad versions and trailing bytes, 50 us apart (a few
# seconds in all, as the sleeps round up). Meanwhile the master must keep its 100 ms adverts (a gap
# over Master_Down_Interval, 361 ms, would let lb2 take over) and log at
# most a few lines per reason per second.
space_reason mal; space_reason noinst; space_reason VI_3_ttl
m1=$(lab_mark lb1); m2=$(lab_mark lb2)
lab_watch cl 8 "$LAB_TMP/flood-watch.txt"
t0=$(awk '{ print $1 }' /proc/uptime)
send -G 1 -C 10000 -g 50 $A3
flood_rc=$?
t1=$(awk '{ print $1 }' /proc/uptime)
check "vrrpsend sent the whole flood" [ "$flood_rc" -eq 0 ]
flood_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
echo "# flood: 10000 packets in ${flood_s} s"
sleep 1.1
# one of each kind again, so that the final counters get logged
send $A3 -c bad; send -r 99; send $A3 -t 9
sleep 0.5
kill "$LAB_WATCH_PID" 2>/dev/null

# the master's VRID 53 adverts during the flood: largest gap in ms
gap=$(awk '$2 == "vrrp" && $3 == "10.11.12.1" && $5 == 53 {
	if (last) { g = ($1 - last) / 1e6; if (g > max) max = g } last = $1 }
	END { printf "%d\n", max }' "$LAB_TMP/flood-watch.txt")
echo "# largest gap between lb1's VI_3 adverts during the flood: ${gap} ms"
check "master kept advertising during the flood (gap ${gap} ms < 250)" [ "${gap:-9999}" -lt 250 ]
states_hold "after the flood"

for host in lb1 lb2; do
	eval "m=\$m${host#lb}"
	# lines per (second, reason): timestamps are "Www Mmm dd hh:mm:ss.mmm"
	worst=$(lab_since "$host" "$m" | grep 'dropped so far' | awk '{
		sec = substr($4, 1, 8); $1 = $2 = $3 = $4 = ""; sub(/^ +/, "")
		reason = $0; sub(/:.*/, "", reason); n[sec " " reason]++ }
		END { for (k in n) if (n[k] > max) { max = n[k]; which = k } print max + 0, which }')
	lines=$(lab_since "$host" "$m" | grep -c 'dropped so far')
	echo "# $host: $lines drop lines for the flood; most for one reason in one second: $worst"
	check "$host: drop lines rate-limited (at most 2 per reason per second)" [ "${worst%% *}" -le 2 ]
	# every garbage packet is counted under one of three reasons: the
	# last counters minus those before the flood must add up to (nearly)
	# the 10,000 sent plus the 3 after (the kernel may drop a few under load)
	total=0 detail=
	for r in "$MAL" "no instance for VRID" "(VI_3) TTL/hop limit not 255"; do
		key=mal
		[ "$r" = "no instance for VRID" ] && key=noinst
		[ "$r" = "(VI_3) TTL/hop limit not 255" ] && key=VI_3_ttl
		eval "before=\${N_${host}_$key:-0}"
		last=$(lab_since "$host" "$m" | grep -F "$r: " | tail -1 | sed -E 's/.*\(([0-9]+) dropped so far\)$/\1/')
		total=$((total + ${last:-$before} - before))
		detail="$detail $key +$((${last:-$before} - before))"
	done
	echo "# $host counted $total of the 10003 bad packets:$detail"
	check "$host: flood counted ($total of 10003, >= 9000)" [ "$total" -ge 9000 ]
done

# still responsive: a well-formed advert is answered at once
m1=$(lab_mark lb1)
send -V 3 -r 53 -p 50 -a 10.11.12.103
check "after the flood: master still judges adverts" \
	lab_wait_since lb1 "$m1" "\(VI_3\) $(lower 50 '10\.11\.12\.10')" 1
states_hold "at the end"

# ---- 4. issue 15: priority-254 unicast adverts routed in -------------------
# The attacker (at, 10.99.0.2) is one hop behind cl, which forwards
# without source checks: its adverts reach lb1 with TTL 254 and, spoofed,
# lb2's address as source.
t4=$(awk '{ print $1 }' /proc/uptime)
AT=$(lab_ns at)
ip netns add "$AT"
ip -n "$CL" link add rt0 type veth peer name eth0 netns "$AT"
ip -n "$CL" addr add 10.99.0.1/24 dev rt0
ip -n "$CL" link set rt0 up
ip -n "$AT" link set lo up
ip -n "$AT" link set eth0 up
ip -n "$AT" addr add 10.99.0.2/24 dev eth0
ip -n "$AT" route add default via 10.99.0.1
ip netns exec "$CL" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.rt0.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
attack() { ip netns exec "$AT" "$VRRPSEND" -q -d 10.11.12.1 -p 254 "$@"; }
m1=$(lab_mark lb1)
# not from a peer at all: dropped whatever the TTL (check_unicast_src's
# rule, always applied by vigil)
attack -r 61 -a 10.11.12.161
check "routed advert from a non-peer: dropped, in keepalived's words" lab_wait_since lb1 "$m1" \
	"\(VI_U1\) unicast advert from unknown peer: unicast source address 10\.99\.0\.2 not a unicast peer \(1 dropped so far\)" 2
attack -s 10.11.12.2 -r 62 -a 10.11.12.162
check "check_unicast_ttl: the spoofed peer's TTL 254 dropped" lab_wait_since lb1 "$m1" \
	"\(VI_U2\) TTL/hop limit not 255: TTL 254 from 10\.11\.12\.2, a peer on the link .*\(1 dropped so far\)" 2
attack -s 10.11.12.2 -r 64 -a 10.11.12.164
check "min_ttl/max_ttl: TTL 254 dropped" lab_wait_since lb1 "$m1" \
	"\(VI_U4\) TTL/hop limit out of the peer's range: TTL/HL 254 not in range 64 - 64, from 10\.11\.12\.2 \(1 dropped so far\)" 2
sleep 0.2
check "checked instances: lb1 still master" lab_none_since lb1 "$m1" "\((VI_U2|VI_U4)\) Entering"
check "checked instances: nothing accepted from the attacker" lab_none_since lb1 "$m1" \
	"\((VI_U1|VI_U2|VI_U4)\) Master received advert"
# the control: without a TTL check (keepalived's default) the same
# advert takes the master role away
attack -s 10.11.12.2 -r 61 -a 10.11.12.161
check "no TTL check: the routed advert would have taken over" lab_wait_since lb1 "$m1" \
	"\(VI_U1\) Entering BACKUP STATE" 2
echo "# the unicast TTL attack took $(awk -v a="$t4" '{ printf "%.1f", $1 - a }' /proc/uptime) s"

lab_summary
