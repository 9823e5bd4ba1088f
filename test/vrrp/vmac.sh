#!/bin/sh
# use_vmac: the VIP carries the VRRP virtual MAC (00:00:5e:00:01:VRID) on
# a macvlan, so a client's neighbour entry survives failovers (SIGTERM and
# SIGKILL of the master) without a new ARP; the real MAC of a director is
# never announced for the VIP; the vmac and the sysctls vigil set go at
# stop; a vmac left by a killed daemon is adopted. keepalived 2.2.7 in the
# same lab for comparison (printed, not judged). Needs root; skips (77).
set -u
. "$(dirname "$0")/lib.sh"
lab_need_root
trap lab_down EXIT INT TERM
lab_up
if ! ip -n "${P}cl" link add link eth0 name mvprobe type macvlan 2>/dev/null; then
	echo "SKIP: this kernel has no macvlan"
	exit 77
fi
ip -n "${P}cl" link del mvprobe
NETWATCH=${NETWATCH:-$(dirname "$VIGILD")/test/tools/netwatch}
VMAC=00:00:5e:00:01:33       # VRID 51
VIP=10.11.12.100

conf() { # conf PRIO [extra instance lines]
	cat <<EOC
vrrp_instance VI_1 {
    interface eth0
    use_vmac
    virtual_router_id 51
    priority $1
    advert_int 0.1
    version 3
    ${2:-}
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}

mac_of() { ip -n "${P}$1" link show "$2" 2>/dev/null | awk '/link\/ether/ {print $2}'; }
sysctl_of() { ip netns exec "${P}$1" cat "/proc/sys/net/ipv4/conf/$2/$3" 2>/dev/null; }
neigh() { ip -n "${P}cl" neigh show "$VIP" dev eth0 | awk '{print $3}'; }
# The operator's own values, which must come back at stop.
ip netns exec "${P}lb1" sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.eth0.rp_filter=0

# ---- 1. the vmac, the VIP on it, the settings ----
lab_vigil lb1 "$(conf 150)"
check "lb1 becomes master" lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 5
lab_watch cl 1.5 "$LAB_TMP/watch1.txt"
lab_vigil lb2 "$(conf 100)"
check "lb2 stays backup" lab_wait_log lb2 "\(VI_1\) Entering BACKUP STATE" 5
check "lb1 has vrrp.51 with the virtual MAC" test "$(mac_of lb1 vrrp.51)" = "$VMAC"
check "lb2 has vrrp.51 with the virtual MAC" test "$(mac_of lb2 vrrp.51)" = "$VMAC"
check "macvlan in bridge mode" sh -c "ip -d -n ${P}lb1 link show vrrp.51 | grep -q 'macvlan mode bridge'"
check "the VIP is on vrrp.51, not eth0" sh -c "ip -n ${P}lb1 addr show dev vrrp.51 | grep -qw $VIP &&
	! ip -n ${P}lb1 addr show dev eth0 | grep -qw $VIP"
check "vmac sysctls: arp_ignore 1, accept_local 1, rp_filter 0" test \
	"$(sysctl_of lb1 vrrp.51 arp_ignore)$(sysctl_of lb1 vrrp.51 accept_local)$(sysctl_of lb1 vrrp.51 rp_filter)" = 110
check "base sysctls: arp_ignore 1, arp_filter 1, arp_announce 2" test \
	"$(sysctl_of lb1 eth0 arp_ignore)$(sysctl_of lb1 eth0 arp_filter)$(sysctl_of lb1 eth0 arp_announce)" = 112
check "all.rp_filter 0, eth0 raised to 1 (was 0 under all=1)" test \
	"$(sysctl_of lb1 all rp_filter)$(sysctl_of lb1 eth0 rp_filter)" = 01
check "IPv6 off on the IPv4 vmac" test \
	"$(ip netns exec "${P}lb1" cat /proc/sys/net/ipv6/conf/vrrp.51/disable_ipv6)" = 1
# A backup's vmac claims the virtual MAC with nothing (an IGMP report
# would move the VIP's traffic to it until the master's next advert).
check "no membership report with the virtual MAC as lb2 starts" sh -c "sleep 1.2;
	grep -q 'report igmp [^ ]* mac $(mac_of lb2 eth0)' $LAB_TMP/watch1.txt &&
	! grep -q 'report .* mac $VMAC' $LAB_TMP/watch1.txt"

# ---- 2. a client across three master changes ----
# No director knows the client yet: answering its pings makes the master
# resolve it, the ARP request that leaks a real MAC when the base
# interface sends it with the VIP as sender (arp_announce).
for h in lb1 lb2; do ip -n "${P}$h" neigh flush all; done
lab_watch cl 12 "$LAB_TMP/watch.txt"
ip netns exec "${P}cl" ping -n -i 0.05 -W 1 -c 400 "$VIP" > "$LAB_TMP/ping.txt" 2>&1 &
ping_pid=$!
LAB_PIDS="$LAB_PIDS $ping_pid"
i=0; while [ "$(neigh)" != "$VMAC" ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
check "client's entry for the VIP is the virtual MAC" test "$(neigh)" = "$VMAC"
check "adverts leave with the virtual MAC" sh -c "sleep 0.3; grep -q 'vrrp 10.11.12.1 vrid 51 .* mac $VMAC' $LAB_TMP/watch.txt"
sleep 0.5
lab_kill lb1 TERM
check "lb2 takes over after SIGTERM" lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 3
check "lb1 removed vrrp.51 at stop" sh -c "for i in \$(seq 40); do ip -n ${P}lb1 link show vrrp.51 >/dev/null 2>&1 || exit 0; sleep 0.05; done; exit 1"
check "lb1's sysctls back (arp_ignore 0, arp_filter 0, arp_announce 0, all.rp_filter 1, eth0 rp_filter 0)" test \
	"$(sysctl_of lb1 eth0 arp_ignore)$(sysctl_of lb1 eth0 arp_filter)$(sysctl_of lb1 eth0 arp_announce)$(sysctl_of lb1 all rp_filter)$(sysctl_of lb1 eth0 rp_filter)" = 00010
sleep 0.5
check "client's entry still the virtual MAC after SIGTERM" test "$(neigh)" = "$VMAC"
# lb1 back (preempts), then killed outright
: > "$LAB_TMP/lb1.log"
lab_vigil lb1 "$(conf 150)"
check "lb1 master again" lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 5
sleep 0.5
: > "$LAB_TMP/lb2.log"
lab_crash lb1
check "lb2 takes over after SIGKILL" lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 3
sleep 0.5
check "client's entry still the virtual MAC after SIGKILL" test "$(neigh)" = "$VMAC"
kill -INT "$ping_pid" 2>/dev/null   # ping prints its summary and ends
wait "$ping_pid" 2>/dev/null
lost=$(lab_ping_lost "$LAB_TMP/ping.txt")
echo "# client pings lost across 3 master changes (50 ms apart): $lost of" \
	"$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$LAB_TMP/ping.txt")"
check "at most 20 pings lost over three changes" test "$lost" -le 20
# What the client saw: ARP for the VIP only ever with the virtual MAC,
# and no broadcast request of its own after the first resolution.
leaks=$(grep " arp $VIP " "$LAB_TMP/watch.txt" | grep -vc " arp $VIP $VMAC ")
echo "# ARP frames with the VIP as sender and a real MAC: $leaks"
check "no director announced its real MAC for the VIP" test "$leaks" -eq 0
bcast=$(grep -c " arp 10.11.12.10 .* request $VIP ff:ff:ff:ff:ff:ff" "$LAB_TMP/watch.txt")
echo "# broadcast ARP requests of the client for the VIP: $bcast"
check "the client needed at most its first ARP" test "$bcast" -le 1

# ---- 3. a vmac left by the killed daemon is adopted ----
check "the killed lb1 left vrrp.51" test "$(mac_of lb1 vrrp.51)" = "$VMAC"
: > "$LAB_TMP/lb1.log"
lab_vigil lb1 "$(conf 150)"
check "lb1 adopts it" lab_wait_log lb1 "adopted the existing VMAC interface vrrp.51" 5
check "one vrrp.51 on lb1" test "$(ip -n "${P}lb1" -o link show | grep -c 'vrrp\.51')" -eq 1
check "lb1 master on the adopted vmac" lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 5
check "VIP on the adopted vmac" sh -c "sleep 0.2; ip -n ${P}lb1 addr show dev vrrp.51 | grep -qw $VIP"

# ---- 4. the base interface recreated gets its vmac back ----
# (deleting eth0 deletes the macvlan over it)
m=$(lab_mark lb1)
ip -n "${P}sw" link del vlb1
ip -n "${P}sw" link add vlb1 type veth peer name eth0 netns "${P}lb1"
ip -n "${P}sw" link set vlb1 master br0 up
ip -n "${P}lb1" link set eth0 up
ip -n "${P}lb1" addr add 10.11.12.1/24 dev eth0
check "lb1 follows the new eth0" lab_wait_since lb1 "$m" "interface eth0 is back" 5
check "a new vrrp.51 on it" lab_wait_since lb1 "$m" "created VMAC interface vrrp.51" 3
check "lb1 master again, the VIP on the new vmac" sh -c "
	for i in \$(seq 100); do ip -n ${P}lb1 addr show dev vrrp.51 2>/dev/null | grep -qw $VIP && exit 0
	sleep 0.05; done; exit 1"
check "eth0's settings again (arp_ignore 1)" test "$(sysctl_of lb1 eth0 arp_ignore)" = 1
lab_kill lb1 TERM
check "lb1 removes its vmac at stop" lab_wait_log lb1 "removed VMAC interface vrrp.51" 3
check "no vrrp.51 left on lb1" sh -c "sleep 0.2; ! ip -n ${P}lb1 link show vrrp.51 2>/dev/null"
lab_kill lb1 KILL

# ---- 4b. vmac_xmit_base with unicast peers: adverts from the base ----
lab_kill lb2 TERM
check "lb2 removes its vrrp.51 at stop" lab_wait_log lb2 "removed VMAC interface vrrp.51" 3
lab_kill lb2 KILL
: > "$LAB_TMP/lb1.log"; : > "$LAB_TMP/lb2.log"
lab_vigil lb1 "$(conf 150 "vmac_xmit_base
    unicast_src_ip 10.11.12.1
    unicast_peer {
        10.11.12.2
    }")"
check "xmit_base: lb1 master" lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 5
lab_vigil lb2 "$(conf 100 "vmac_xmit_base
    unicast_peer {
        10.11.12.1
    }")"
lab_watch lb2 1 "$LAB_TMP/watchb.txt"   # unicast: seen where it goes
check "xmit_base: lb2 backup, hearing lb1" sh -c "sleep 1; grep -q 'Entering BACKUP' $LAB_TMP/lb2.log && ! grep -q 'Entering MASTER' $LAB_TMP/lb2.log"
check "xmit_base: lb1's adverts carry eth0's MAC" sh -c "sleep 0.1; grep -q 'vrrp 10.11.12.1 vrid 51 .* mac $(mac_of lb1 eth0)' $LAB_TMP/watchb.txt"
ip -n "${P}cl" neigh flush all
check "xmit_base: the client's entry for the VIP is the virtual MAC" sh -c "
	ip netns exec ${P}cl ping -n -c 1 -W 1 $VIP >/dev/null && test \"\$(ip -n ${P}cl neigh show $VIP dev eth0 | awk '{print \$3}')\" = $VMAC"
lab_kill lb1 TERM; lab_kill lb2 TERM
check "xmit_base: vrrp.51 removed at stop" sh -c "lab_ok() { grep -q 'removed VMAC interface vrrp.51' \$1; };
	for i in \$(seq 60); do lab_ok $LAB_TMP/lb1.log && lab_ok $LAB_TMP/lb2.log && exit 0; sleep 0.05; done; exit 1"
lab_kill lb1 KILL; lab_kill lb2 KILL

# ---- 5. IPv6: 00:00:5e:00:02:VRID ----
VIP6=fd00:11:12::100
conf6() {
	cat <<EOC
vrrp_instance VI_6 {
    interface eth0
    use_vmac
    virtual_router_id 52
    priority $1
    advert_int 0.1
    virtual_ipaddress {
        $VIP6/64
    }
}
EOC
}
VMAC6=00:00:5e:00:02:34
neigh6() { ip -n "${P}cl" -6 neigh show "$VIP6" dev eth0 | awk '{print $3}'; }
: > "$LAB_TMP/lb1.log"
m2=$(lab_mark lb2)
lab_vigil lb1 "$(conf6 150)"
check "IPv6: lb1 master" lab_wait_log lb1 "\(VI_6\) Entering MASTER STATE" 5
lab_watch cl 1.5 "$LAB_TMP/watch6.txt"
lab_vigil lb2 "$(conf6 100)"
check "IPv6: lb2 backup" lab_wait_since lb2 "$m2" "\(VI_6\) Entering BACKUP STATE" 5
check "IPv6: vrrp.52 with 00:00:5e:00:02:34" test "$(mac_of lb1 vrrp.52)" = "$VMAC6"
check "IPv6: the backup's vmac holds no address" sh -c "! ip -n ${P}lb2 -6 addr show dev vrrp.52 | grep -q inet6"
# (the master's own reports carry the virtual MAC and its link-local source)
lb1_ll=$(ip -n "${P}lb1" -6 -o addr show dev eth0 scope link | awk '{print $4}' | cut -d/ -f1)
check "IPv6: no membership report with the virtual MAC as lb2 (backup) starts" sh -c "sleep 1.2;
	grep -q 'report mld [^ ]* mac $(mac_of lb2 eth0)' $LAB_TMP/watch6.txt &&
	! grep 'report .* mac $VMAC6' $LAB_TMP/watch6.txt | grep -qv ' $lb1_ll mac '"
check "IPv6: the master has the base's link-local address on the vmac, no other" test \
	"$(ip -n "${P}lb1" -6 -o addr show dev vrrp.52 scope link | awk '{print $4}')" = \
	"$(ip -n "${P}lb1" -6 -o addr show dev eth0 scope link | awk '{print $4}')"
ip netns exec "${P}cl" ping -6 -n -i 0.05 -W 1 -c 60 "$VIP6" > "$LAB_TMP/ping6.txt" 2>&1 &
ping6_pid=$!
LAB_PIDS="$LAB_PIDS $ping6_pid"
i=0; while [ "$(neigh6)" != "$VMAC6" ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
check "IPv6: client's entry for the VIP is the virtual MAC" test "$(neigh6)" = "$VMAC6"
sleep 0.5
lab_kill lb1 TERM
check "IPv6: lb2 takes over" lab_wait_since lb2 "$m2" "\(VI_6\) Entering MASTER STATE" 3
sleep 0.5
kill -INT "$ping6_pid" 2>/dev/null
wait "$ping6_pid" 2>/dev/null
check "IPv6: client's entry still the virtual MAC" test "$(neigh6)" = "$VMAC6"
echo "# IPv6: client pings lost across the failover: $(lab_ping_lost "$LAB_TMP/ping6.txt") of" \
	"$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$LAB_TMP/ping6.txt")"
check "IPv6: at most 10 lost" test "$(lab_ping_lost "$LAB_TMP/ping6.txt")" -le 10
lab_kill lb1 KILL
lab_kill lb2 TERM
check "IPv6: vrrp.52 removed at stop" lab_wait_log lb2 "removed VMAC interface vrrp.52" 3
lab_kill lb2 KILL

# ---- 6. use_ipvlan: the VIP on an ipvlan (the base's MAC, no virtual one) ----
confi() { # confi PRIO ADDR
	cat <<EOC
vrrp_instance VI_1 {
    interface eth0
    use_ipvlan ipvl51 $2/24 private
    virtual_router_id 51
    priority $1
    advert_int 0.1
    version 3
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
: > "$LAB_TMP/lb1.log"; : > "$LAB_TMP/lb2.log"
if ! ip -n "${P}cl" link add link eth0 name ipvprobe type ipvlan mode l2 2>/dev/null; then
	echo "# ipvlan: SKIPPED, this kernel has no ipvlan (CONFIG_IPVLAN)"
	LAB_NOT_RUN="use_ipvlan (this kernel has no ipvlan)"
else
ip -n "${P}cl" link del ipvprobe
lab_vigil lb1 "$(confi 150 10.11.12.201)"
check "ipvlan: lb1 master" lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 5
lab_vigil lb2 "$(confi 100 10.11.12.202)"
check "ipvlan: lb2 backup" lab_wait_log lb2 "\(VI_1\) Entering BACKUP STATE" 5
check "ipvlan: ipvl51 is an L2 private ipvlan with eth0's MAC" sh -c "
	ip -d -n ${P}lb1 link show ipvl51 | grep -q 'ipvlan  *mode l2 private' &&
	test \"\$(ip -n ${P}lb1 link show ipvl51 | awk '/link.ether/ {print \$2}')\" = $(mac_of lb1 eth0)"
check "ipvlan: its address and the VIP on it" sh -c "sleep 0.2; ip -n ${P}lb1 addr show dev ipvl51 |
	grep -qw 10.11.12.201 && ip -n ${P}lb1 addr show dev ipvl51 | grep -qw $VIP"
ip -n "${P}cl" neigh flush all
check "ipvlan: the client reaches the VIP at lb1's MAC" sh -c "
	ip netns exec ${P}cl ping -n -c 1 -W 1 $VIP >/dev/null && test \"\$(ip -n ${P}cl neigh show $VIP dev eth0 | awk '{print \$3}')\" = $(mac_of lb1 eth0)"
lab_kill lb1 TERM
check "ipvlan: lb2 takes over" lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 3
check "ipvlan: lb1 removed ipvl51" lab_wait_log lb1 "removed ipvlan interface ipvl51" 3
check "ipvlan: the client follows to lb2's MAC" sh -c "sleep 0.3;
	ip netns exec ${P}cl ping -n -c 1 -W 1 $VIP >/dev/null && test \"\$(ip -n ${P}cl neigh show $VIP dev eth0 | awk '{print \$3}')\" = $(mac_of lb2 eth0)"
lab_kill lb1 KILL
lab_kill lb2 TERM
check "ipvlan: lb2 removed ipvl51" lab_wait_log lb2 "removed ipvlan interface ipvl51" 3
lab_kill lb2 KILL
fi

# ---- 7. keepalived 2.2.7 in the same lab (figures only) ----
if lab_reference && command -v keepalived >/dev/null; then
	for h in cl lb1 lb2; do ip -n "${P}$h" neigh flush all; done
	: > "$LAB_TMP/lb1.log"; : > "$LAB_TMP/lb2.log"
	lab_keepalived lb1 "$(conf 150)"
	lab_keepalived lb2 "$(conf 100)"
	lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 6
	lab_watch cl 4 "$LAB_TMP/kwatch.txt"
	ip netns exec "${P}cl" ping -n -i 0.05 -W 1 -c 40 "$VIP" > "$LAB_TMP/kping.txt" 2>&1 &
	kping=$!
	LAB_PIDS="$LAB_PIDS $kping"
	sleep 1
	k1=$(neigh)
	lb1_mac=$(mac_of lb1 eth0); lb2_mac=$(mac_of lb2 eth0)
	lab_kill lb1 TERM
	lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 3
	wait "$kping" 2>/dev/null
	echo "# keepalived: client's entry before failover $k1 (lb1 $lb1_mac), after $(neigh) (lb2 $lb2_mac);" \
		"pings lost $(lab_ping_lost "$LAB_TMP/kping.txt") of 40;" \
		"ARP frames with the VIP and a real MAC: $(grep " arp $VIP " "$LAB_TMP/kwatch.txt" | grep -vc " arp $VIP $VMAC ")"
fi
lab_summary
