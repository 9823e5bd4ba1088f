#!/bin/sh
# Several instances on one interface (issue 17, case 6), vigil and
# keepalived in the same scenario:
#   (a) VI_G uses mcast_dst_ip 224.0.0.19 beside VI_M on the default group:
#       the shared socket must join both groups;
#   (b) VI_U is unicast with the same VRID as the multicast VI_M: each
#       advert must reach the instance it is for, by destination.
# lb1 (priority 150) must be the only master of all three; lb2 must hold
# none of the VIPs (two holders: a duplicate address). Then lb1 stops
# (SIGTERM) while the client pings every VIP at 10 ms; the lost replies
# are printed for both daemons. (c), a true duplicate refused by -t, is in
# test/unit/test_conf_vrrp.c.
# Needs root; skips (77) without it.
set -u
. "$(dirname "$0")/lib.sh"
lab_need_root
[ -x "${VIGILD:-}" ] || { echo "SKIP: vigild (VIGILD) not built"; exit 77; }
command -v keepalived > /dev/null || { echo "SKIP: no keepalived to compare with"; exit 77; }
trap lab_down EXIT INT TERM
lab_up

conf() { # PRIO PEER
	cat <<EOC
vrrp_instance VI_M {
    interface eth0
    virtual_router_id 10
    priority $1
    advert_int 0.5
    virtual_ipaddress {
        10.11.12.100/24
    }
}
vrrp_instance VI_G {
    interface eth0
    virtual_router_id 11
    mcast_dst_ip 224.0.0.19
    priority $1
    advert_int 0.5
    virtual_ipaddress {
        10.11.12.101/24
    }
}
vrrp_instance VI_U {
    interface eth0
    virtual_router_id 10
    unicast_peer {
        $2
    }
    priority $1
    advert_int 0.5
    virtual_ipaddress {
        10.11.12.102/24
    }
}
EOC
}

VIPS="10.11.12.100 10.11.12.101 10.11.12.102"

stop_all() {
	lab_kill lb1 TERM; lab_kill lb2 TERM
	sleep 0.5
	lab_kill lb1 KILL; lab_kill lb2 KILL
	for h in lb1 lb2; do
		for v in $VIPS; do ip -n "${P}$h" addr del "$v/24" dev eth0 2>/dev/null; done
	done
}

# settled: lb1 holds every VIP, lb2 none of them
lb1_all() { for v in $VIPS; do lab_has_addr lb1 "$v" || return 1; done; }
lb2_none() { for v in $VIPS; do lab_has_addr lb2 "$v" && return 1; done; return 0; }

# run DAEMON: both directors, then the client's pings across lb1's SIGTERM.
# Sets dup_<daemon> (VIPs lb2 held while lb1 was master) and lost_<daemon>.
run() {
	"lab_$1" lb1 "$(conf 150 10.11.12.2)"
	"lab_$1" lb2 "$(conf 100 10.11.12.1)"
	i=0
	while ! lb1_all && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	# lb2 has had 3 s to hear lb1 (Master_Down_Interval is ~1.6 s)
	sleep 3
	dup=0
	for v in $VIPS; do lab_has_addr lb2 "$v" && dup=$((dup + 1)); done
	eval "dup_$1=$dup"
	eval "lb1ok_$1=\$(lb1_all && echo yes || echo no)"
	cp "$LAB_TMP/lb2.log" "$LAB_TMP/lb2.$1.log"
	n=0
	for v in $VIPS; do
		ip netns exec "${P}cl" ping -n -i 0.01 -w 6 "$v" > "$LAB_TMP/ping.$1.$n" 2>&1 &
		eval "ping_$n=\$!"
		n=$((n + 1))
	done
	sleep 2
	lab_kill lb1 TERM
	lost=0
	n=0
	for v in $VIPS; do
		eval "wait \$ping_$n"
		f="$LAB_TMP/ping.$1.$n"
		lost=$((lost + $(lab_ping_lost "$f")))
		n=$((n + 1))
	done
	eval "lost_$1=$lost"
	eval "lb2took_$1=\$(i=0; while [ \$i -lt 60 ]; do lb2_allx && break; sleep 0.05; i=\$((i + 1)); done; lb2_allx && echo yes || echo no)"
	stop_all
	: > "$LAB_TMP/lb1.log"; : > "$LAB_TMP/lb2.log"
}
lb2_allx() { for v in $VIPS; do lab_has_addr lb2 "$v" || return 1; done; }

run vigil
run keepalived

echo "# lb2 held $dup_vigil VIP(s) beside the master under vigil, $dup_keepalived under keepalived"
echo "# pings lost at 10 ms across lb1's SIGTERM (3 VIPs): vigil $lost_vigil, keepalived $lost_keepalived"

check "vigil: lb1 is master of all three instances" [ "$lb1ok_vigil" = yes ]
check "vigil: lb2 holds none of the VIPs while lb1 is master (no duplicate)" [ "$dup_vigil" -eq 0 ]
for i in VI_M VI_G VI_U; do
	check "vigil: lb2's $i hears lb1 and stays backup" sh -c \
		"grep -q '($i) Entering BACKUP STATE' $LAB_TMP/lb2.vigil.log &&
		 ! grep -q '($i) Entering MASTER STATE' $LAB_TMP/lb2.vigil.log"
done
check "vigil: no advert taken for a VRID collision" \
	sh -c "! grep -q 'VRID collision' $LAB_TMP/lb2.vigil.log"
check "vigil: lb2 took every VIP over after lb1 stopped" [ "$lb2took_vigil" = yes ]
check "keepalived (reference): lb2 holds none of the VIPs" [ "$dup_keepalived" -eq 0 ]
check "vigil loses no more pings than keepalived (+10)" \
	[ "$lost_vigil" -le $((lost_keepalived + 10)) ]

lab_summary
