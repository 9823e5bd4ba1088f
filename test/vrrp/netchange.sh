#!/bin/sh
# VRRP when the network changes under a running pair (issue 17, items 1,
# 2, 3, 4 and 9), with keepalived beside vigil where the client's loss is
# the measure (a client pinging the VIP every 10 ms across the event):
#   1. a split brain heals: the frozen master (SIGSTOP) wakes up still
#      MASTER and must move the clients' ARP entries back (GARP on hearing
#      the other node's lower priority)
#   2. the master's primary address is removed while another stays: the
#      adverts must go on from the remaining address (no second master)
#   3. the interface is deleted and created again: the instance follows it
#      by name and leaves FAULT
#   4. a VIP already on the interface at start is removed by the node that
#      becomes backup
#   9. a virtual_route with the VIP as its source comes back with the VIP
# Needs root; skips (77) without it.
set -u
. "$(dirname "$0")/lib.sh"
lab_need_root
command -v keepalived >/dev/null || { echo "SKIP: keepalived is not installed"; exit 77; }
trap lab_down EXIT INT TERM
lab_up

VIP=10.11.12.100
# The remaining address of case 2 is promoted to primary when the first
# goes: promote_secondaries in every instance below (without it the kernel
# deletes the secondaries, VIP included, with the primary), which both
# daemons set on eth0 and put back at stop.
promote() { ip netns exec "${P}lb1" cat /proc/sys/net/ipv4/conf/eth0/promote_secondaries; }
check "promote_secondaries: off in the lab before any daemon" [ "$(promote)" = 0 ]

conf() { # PRIO [EXTRA LINES]
	cat <<EOC
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority $1
    advert_int 0.1
    version 3
    promote_secondaries
    virtual_ipaddress {
        $VIP/24
    }
    ${2:-}
}
EOC
}

# start DAEMON: lb1 (150) master, then lb2 (100) backup
start_pair() {
	"lab_$1" lb1 "$(conf 150)"
	lab_wait_addr lb1 $VIP yes 8
	"lab_$1" lb2 "$(conf 100)"
	lab_wait_log lb2 "\(VI_1\) Entering BACKUP STATE" 8
	sleep 0.5
}

stop_all() { lab_stop_pair $VIP; }

# ping_start NAME SECONDS: the client pings the VIP every 10 ms
ping_start() {
	ip netns exec "${P}cl" ping -n -i 0.01 -w "$2" $VIP > "$LAB_TMP/ping.$1" 2>&1 &
	PING_PID=$!
	LAB_PIDS="$LAB_PIDS $PING_PID"
}
# ping_lost NAME: wait for the ping and print the replies lost (in the
# shell that started it: wait knows only its own children)
ping_lost() {
	wait "$PING_PID"
	lab_ping_lost "$LAB_TMP/ping.$1"
}

lb1_mac=$(ip -n "${P}lb1" link show dev eth0 | awk '/link\/ether/ { print $2 }')
client_uses_lb1() {
	ip -n "${P}cl" neigh show $VIP dev eth0 | grep -qi "$lb1_mac"
}

# ---- 1. a split brain heals --------------------------------------------------------
# lb1 is frozen for 2 s: lb2 takes over and its GARP moves the client's
# ARP entry; lb1 wakes up still MASTER, lb2 yields at its advert. Without
# a GARP from lb1 the client keeps sending to lb2's MAC (STALE, then 5 s
# of DELAY before it probes): every ping after the heal is lost.
heal() { # DAEMON
	start_pair "$1"
	ping_start "heal.$1" 6
	sleep 1
	lab_kill lb1 STOP
	sleep 2
	lab_kill lb1 CONT
	ping_lost "heal.$1"
}
vigil_heal=$(heal vigil)
check "heal: lb2 took over while lb1 was frozen" grep -q "Entering MASTER STATE" "$LAB_TMP/lb2.log"
check "heal: lb1 answered lb2's lower priority with a GARP burst" \
	grep -q "(VI_1) Sending gratuitous ARPs on eth0 for $VIP (lower priority advert heard)" \
	"$LAB_TMP/lb1.log"
check "heal: the client's ARP entry points at lb1 again" client_uses_lb1
check "heal: lb2 gave the VIP up" lab_wait_addr lb2 $VIP no 1
# One burst per episode: lb2's adverts queued while lb1 was frozen all
# arrive at once, and the cap allows one more only after garp_lower_prio_delay.
check "heal: one lower-priority burst for the episode" \
	[ "$(grep -c 'lower priority advert heard' "$LAB_TMP/lb1.log")" -eq 1 ]
stop_all
ka_heal=$(heal keepalived)
stop_all
echo "  (ping every 10 ms, master frozen 2 s then back: vigil lost $vigil_heal," \
	"keepalived lost $ka_heal)"
check "heal: vigil loses no more pings than keepalived (+20)" \
	[ "$vigil_heal" -le $((ka_heal + 20)) ]

# ---- 2. the advert source address is removed, another stays ---------------------------
# Adverts from the removed address fail (ENETUNREACH): lb2 would take
# over while lb1 stays MASTER, both holding the VIP for good.
renumber() { # DAEMON
	ip -n "${P}lb1" addr add 10.11.12.21/24 dev eth0
	start_pair "$1"
	ping_start "src.$1" 4
	sleep 1
	ip -n "${P}lb1" addr del 10.11.12.1/24 dev eth0
	ping_lost "src.$1"
}
restore_lb1_addr() {
	ip -n "${P}lb1" -4 addr flush dev eth0
	ip -n "${P}lb1" addr add 10.11.12.1/24 dev eth0
}
# The operator's value, which vigil must put back (keepalived's runs of
# case 1 may have left 1).
ip netns exec "${P}lb1" sysctl -qw net.ipv4.conf.eth0.promote_secondaries=0
vigil_src=$(renumber vigil)
check "promote_secondaries: vigil set it on eth0" [ "$(promote)" = 1 ]
check "source: lb1 switched its advert source and said so" grep -q \
	"(VI_1) advert source 10.11.12.1 was removed from eth0; sending adverts from 10.11.12.21 now" \
	"$LAB_TMP/lb1.log"
check "source: lb2 stayed backup (lb1's adverts kept coming)" \
	sh -c "! grep -q 'Entering MASTER STATE' $LAB_TMP/lb2.log"
check "source: one node holds the VIP" sh -c \
	"ip -n ${P}lb1 addr show dev eth0 | grep -qw $VIP && ! ip -n ${P}lb2 addr show dev eth0 | grep -qw $VIP"
# The interface without any IPv4 address, then one again: adverts stop,
# then resume from the new one.
ip -n "${P}lb1" addr del 10.11.12.21/24 dev eth0
check "source: no address left, said" lab_wait_log lb1 \
	"\(VI_1\) advert source 10.11.12.21 was removed from eth0 and no other address" 3
mark=$(lab_mark lb1)
ip -n "${P}lb1" addr add 10.11.12.31/24 dev eth0
check "source: the first address back is the new source" lab_wait_since lb1 "$mark" \
	"\(VI_1\) eth0 has an address again; sending adverts from 10.11.12.31" 3
stop_all
check "promote_secondaries: vigil put the operator's value back at stop" [ "$(promote)" = 0 ]
restore_lb1_addr
ka_src=$(renumber keepalived)
stop_all
restore_lb1_addr
echo "  (ping every 10 ms, the master's primary address removed: vigil lost $vigil_src," \
	"keepalived lost $ka_src)"
check "source: vigil loses no more pings than keepalived (+20)" \
	[ "$vigil_src" -le $((ka_src + 20)) ]

# ---- 3. the interface deleted and created again -----------------------------------
# lb1 also tracks its interface by name (track_interface): both follow it.
lab_vigil lb1 "$(conf 150 "track_interface {
        eth0
    }")"
lab_wait_addr lb1 $VIP yes 8
lab_vigil lb2 "$(conf 100)"
lab_wait_log lb2 "\(VI_1\) Entering BACKUP STATE" 8
sleep 0.5
old_index=$(ip -n "${P}lb1" -o link show dev eth0 | cut -d: -f1)
ip -n "${P}lb1" link del eth0
check "recreate: lb1 goes to FAULT when its interface goes" \
	lab_wait_log lb1 "\(VI_1\) Entering FAULT STATE" 3
check "recreate: lb1 says the interface was deleted" \
	grep -q "(VI_1) interface eth0 was deleted" "$LAB_TMP/lb1.log"
lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 3
mark=$(lab_mark lb1)
ip -n "${P}sw" link add vlb1 type veth peer name eth0 netns "${P}lb1"
ip -n "${P}sw" link set vlb1 master br0 up
ip -n "${P}lb1" addr add 10.11.12.1/24 dev eth0
ip -n "${P}lb1" link set eth0 up
new_index=$(ip -n "${P}lb1" -o link show dev eth0 | cut -d: -f1)
echo "  (eth0 was index $old_index, is $new_index)"
check "recreate: lb1 follows the new interface" lab_wait_since lb1 "$mark" \
	"\(VI_1\) interface eth0 is back \(index $new_index, was $old_index\)" 3
check "recreate: lb1 leaves FAULT and is master again" lab_wait_since lb1 "$mark" \
	"\(VI_1\) Entering MASTER STATE" 5
check "recreate: lb1 holds the VIP on the new interface" lab_wait_addr lb1 $VIP yes 3
check "recreate: lb2 hears lb1 again and gives the VIP up" lab_wait_addr lb2 $VIP no 3
lb1_mac=$(ip -n "${P}lb1" link show dev eth0 | awk '/link\/ether/ { print $2 }')
stop_all

# ---- 4. a VIP already on the interface at start ------------------------------------
ip -n "${P}lb2" addr add $VIP/24 dev eth0
start_pair vigil
check "stale VIP: lb2 removed it at start and said so" grep -q \
	"(VI_1) VIP $VIP is already on the interface at start" "$LAB_TMP/lb2.log"
check "stale VIP: only the master holds it" sh -c \
	"ip -n ${P}lb1 addr show dev eth0 | grep -qw $VIP && ! ip -n ${P}lb2 addr show dev eth0 | grep -qw $VIP"
stop_all

# ---- 9. a virtual_route with the VIP as its source ----------------------------------
route_ok() {
	ip -n "${P}lb1" route show 192.168.77.0/24 | grep -q "src $VIP"
}
wait_route() {
	i=0
	while [ $i -lt 60 ]; do route_ok && return 0; sleep 0.05; i=$((i + 1)); done
	return 1
}
lab_vigil lb1 "$(conf 150 "virtual_routes {
        192.168.77.0/24 dev eth0 src $VIP
    }")"
lab_wait_addr lb1 $VIP yes 8
check "route: installed with the VIP" wait_route
ip -n "${P}lb1" addr del $VIP/24 dev eth0
check "route: the VIP is restored" lab_wait_addr lb1 $VIP yes 3
check "route: and the route that uses it as source too" wait_route
stop_all

lab_summary
