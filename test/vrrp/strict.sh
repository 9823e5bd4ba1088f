#!/bin/sh
# vrrp_strict and Accept_Mode (RFC 5798 6.1, 6.4.3), with keepalived
# 2.2.7 beside vigil: a master that is not the address owner and runs
# without accept mode (no_accept, the default under vrrp_strict) must not
# accept packets addressed to its VIPs, while ARP keeps working. vigil
# drops them in an nftables table of its own (table inet vigil), which
# follows mastership and goes at stop; with accept the client's pings are
# answered. -t refuses what keepalived refuses in strict mode (unicast
# peers) and says what it resets (authentication). Needs root; skips (77)
# without it. Ends with "N passed, N failed".
set -u
. "$(dirname "$0")/lib.sh"
lab_need_root
command -v nft >/dev/null || { echo "SKIP: nft is not installed"; exit 77; }
trap lab_down EXIT INT TERM
lab_up

VIP=10.11.12.100
conf() { # PRIO [INSTANCE LINES]
	cat <<EOC
global_defs {
    vrrp_strict
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority $1
    advert_int 0.1
    version 3
    virtual_ipaddress {
        $VIP/24
    }
    ${2:-}
}
EOC
}
stop_all() { lab_stop_pair $VIP; }
# replies HOST_OF_THE_DAEMON: pings from the client answered, of 5
replies() {
	ip netns exec "${P}cl" ping -n -c 5 -i 0.1 -W 1 $VIP 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}
in_set() { # HOST TABLE: the VIP is in HOST's drop set
	ip netns exec "${P}$1" nft list set inet "$2" vips4 2>/dev/null | grep -qw $VIP
}
has_table() { ip netns exec "${P}$1" nft list tables 2>/dev/null | grep -qx "table inet $2"; }
lb1_mac=$(ip -n "${P}lb1" link show dev eth0 | awk '/link\/ether/ { print $2 }')

# ---- -t: refused and reset ----
printf '%s\n' "$(conf 150 'unicast_peer {
        10.11.12.2
    }')" > "$LAB_TMP/u.conf"
"$VIGILD" -t -f "$LAB_TMP/u.conf" > "$LAB_TMP/t.out" 2>&1
check "-t: unicast peers in strict mode are refused (exit 1)" [ $? -eq 1 ]
check "-t: ... with keepalived's words" grep -q "(VI_1) Unicast peers are not supported in strict mode" "$LAB_TMP/t.out"
printf '%s\n' "$(conf 150 'preempt_delay 5')" > "$LAB_TMP/p.conf"
"$VIGILD" -t -f "$LAB_TMP/p.conf" > "$LAB_TMP/t.out" 2>&1
check "-t: preempt_delay is reset, said at file:line:col" grep -q \
	"p.conf:[0-9]*:[0-9]*: warning: (VI_1) preempt_delay is incompatible with strict mode - resetting" "$LAB_TMP/t.out"

# ---- strict: no_accept by default ----
lab_vigil lb1 "$(conf 150)"
lab_wait_addr lb1 $VIP yes 8
lab_vigil lb2 "$(conf 100)"
lab_wait_log lb2 "\(VI_1\) Entering BACKUP STATE" 8
check "no_accept: the master's VIP is in its drop set" in_set lb1 vigil
check "no_accept: the backup has no table (nothing to drop)" sh -c "! ip netns exec ${P}lb2 nft list tables | grep -q vigil"
vigil_replies=$(replies)
check "no_accept: the client's pings to the VIP go unanswered" [ "${vigil_replies:-x}" = 0 ]
check "no_accept: ARP still answers (the client knows lb1's MAC for the VIP)" sh -c \
	"ip -n ${P}cl neigh show $VIP dev eth0 | grep -qi $lb1_mac"
lab_kill lb1 TERM
check "failover: lb2 takes over" lab_wait_addr lb2 $VIP yes 3
check "failover: the VIP moves into lb2's drop set" sh -c \
	"i=0; while [ \$i -lt 30 ]; do ip netns exec ${P}lb2 nft list set inet vigil vips4 2>/dev/null | grep -qw $VIP && exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"
check "stop: lb1's table is gone" sh -c "i=0; while [ \$i -lt 30 ]; do ! ip netns exec ${P}lb1 nft list tables | grep -q vigil && exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"
stop_all
check "stop: lb2's table is gone" sh -c "! ip netns exec ${P}lb2 nft list tables | grep -q vigil"

# ---- accept: answered ----
lab_vigil lb1 "global_defs {
    nftables vigil_test
}
$(conf 150 accept | sed '1,3d')"
lab_wait_addr lb1 $VIP yes 8
accept_replies=$(replies)
check "accept: the client's pings are answered" [ "${accept_replies:-0}" -ge 4 ]
check "accept: no table made" sh -c "! ip netns exec ${P}lb1 nft list tables | grep -q vigil"
stop_all

# ---- no_accept without strict, a table named by nftables ----
lab_vigil lb1 "global_defs {
    nftables vigil_test
    nftables_counters
}
$(conf 150 no_accept | sed '1,3d')"
lab_wait_addr lb1 $VIP yes 8
check "nftables NAME: the drop set is in table inet vigil_test" in_set lb1 vigil_test
replies > /dev/null
check "nftables_counters: the drops are counted" sh -c \
	"ip netns exec ${P}lb1 nft list chain inet vigil_test in | grep -q 'counter packets [1-9]'"
stop_all

if lab_reference; then
	lab_keepalived lb1 "$(conf 150)"
	lab_wait_addr lb1 $VIP yes 8
	ka_replies=$(replies)
	echo "  (vrrp_strict, pings to the VIP answered of 5: vigil $vigil_replies, keepalived $ka_replies)"
	check "keepalived drops them too (the same behaviour)" [ "${ka_replies:-x}" = 0 ]
	stop_all
fi
lab_summary
