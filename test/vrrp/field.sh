#!/bin/sh
# VRRP in the field (issue 18): what a production network does to a pair
# that the happy-path tests do not, with keepalived beside vigil where the
# comparison matters.
#   1. IPv6 failover with duplicate address detection on (real hosts have
#      it): lost ping6 across a SIGTERM failover, vigil and keepalived
#   2. the notify FIFO and its reader across five reloads in a row
#   3. a tracked script that lowers priority right after start
#   4. an instance whose interface appears after the daemon started
#   5. a routine reload (a VIP added on both directors) under traffic:
#      pings lost at 10 ms, vigil and keepalived (issue 17, case 5)
# Needs root; skips (77) without it.
set -u
. "$(dirname "$0")/lib.sh"
lab_need_root
trap lab_down EXIT INT TERM
lab_up

# lab_wait_addr_dev HOST DEV ADDR SECONDS: ADDR appears on DEV in HOST
lab_wait_addr_dev() {
	i=0
	while [ $i -lt $(( $4 * 20 )) ]; do
		ip -n "${P}$1" addr show dev "$2" 2>/dev/null | grep -qw "$3" && return 0
		sleep 0.05; i=$((i + 1))
	done
	return 1
}

stop_all() {
	lab_kill lb1 TERM; lab_kill lb2 TERM
	sleep 0.5
	lab_kill lb1 KILL; lab_kill lb2 KILL
	for h in lb1 lb2; do
		ip -n "${P}$h" addr del 10.11.12.100/24 dev eth0 2>/dev/null
		ip -n "${P}$h" addr del fd00:11:12::100/64 dev eth0 2>/dev/null
		: > "$LAB_TMP/$h.log"
	done
}

# ---- 1. IPv6 failover with DAD on ----------------------------------------------------
v6() { # PRIO
	cat <<EOC
vrrp_instance VI_6 {
    interface eth0
    virtual_router_id 61
    priority $1
    advert_int 1
    virtual_ipaddress {
        fd00:11:12::100/64
    }
}
EOC
}
for h in lb1 lb2; do
	ip netns exec "${P}$h" sysctl -qw net.ipv6.conf.eth0.accept_dad=1 \
		net.ipv6.conf.eth0.dad_transmits=1
done

# lost_pings DAEMON: lb1 master, lb2 backup; the client pings the VIP every
# 50 ms; lb1 is stopped with SIGTERM; prints the number of lost replies
lost_pings() {
	ip netns exec "${P}cl" ping -6 -n -i 0.05 -w 7 fd00:11:12::100 > "$LAB_TMP/ping6.$1" 2>&1 &
	ping_pid=$!
	sleep 2
	lab_kill lb1 TERM
	wait "$ping_pid"
	lab_ping_lost "$LAB_TMP/ping6.$1"
}

lab_vigil lb1 "$(v6 150)"
lab_wait_addr lb1 fd00:11:12::100 yes 6
lab_vigil lb2 "$(v6 100)"
lab_wait_log lb2 "\(VI_6\) Entering BACKUP STATE" 5
check "ipv6: the master's VIP is usable at once (nodad, never tentative)" sh -c \
	"ip -n ${P}lb1 -6 addr show dev eth0 | grep 'fd00:11:12::100' | grep -q nodad &&
	 ! ip -n ${P}lb1 -6 addr show dev eth0 | grep 'fd00:11:12::100' | grep -q tentative"
vigil_lost=$(lost_pings vigil)
check "ipv6: lb2 took over" lab_wait_addr lb2 fd00:11:12::100 yes 1
stop_all

# Before nodad vigil lost 31-44 here against keepalived's 11: the VIP was
# tentative for a second after the NA. Both now lose Skew_Time's worth
# (0.61 s at priority 100: 12 pings at 50 ms).
if lab_reference; then
	lab_keepalived lb1 "$(v6 150)"
	lab_wait_addr lb1 fd00:11:12::100 yes 6
	lab_keepalived lb2 "$(v6 100)"
	lab_wait_log lb2 "\(VI_6\) Entering BACKUP STATE" 5
	ka_lost=$(lost_pings keepalived)
	stop_all
	echo "  (ping6 every 50 ms across a SIGTERM failover, DAD on: vigil lost $vigil_lost," \
		"keepalived lost $ka_lost)"
	check "ipv6: vigil loses no more pings than keepalived (+5)" \
		[ "$vigil_lost" -le $((ka_lost + 5)) ]
else
	echo "  (ping6 every 50 ms across a SIGTERM failover, DAD on: vigil lost $vigil_lost)"
	check "ipv6: vigil loses no more than Skew_Time's worth (+5)" [ "$vigil_lost" -le 17 ]
fi
for h in lb1 lb2; do
	ip netns exec "${P}$h" sysctl -qw net.ipv6.conf.eth0.accept_dad=0
done

# ---- 2. the notify FIFO and its reader across five reloads ------------------------------
cat > "$LAB_TMP/reader.sh" <<EOS
#!/bin/sh
echo start >> $LAB_TMP/reader.starts
while read -r line; do echo "\$line" >> $LAB_TMP/fifo.lines; done < "\$1"
EOS
chmod +x "$LAB_TMP/reader.sh"
inst1() { # PRIO
	cat <<EOC
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority $1
    advert_int 0.1
    version 3
    virtual_ipaddress {
        10.11.12.100/24
    }
}
EOC
}
fifo_conf() { # PRIO: lb1's file (the FIFO lives in the lab's folder, lb1's alone)
	cat <<EOC
global_defs {
    vrrp_notify_fifo $LAB_TMP/fifo
    vrrp_notify_fifo_script $LAB_TMP/reader.sh root
    script_user root
}
$(inst1 "$1")
EOC
}
lab_vigil lb2 "$(inst1 100)"
lab_vigil lb1 "$(fifo_conf 150)"
lab_wait_addr lb1 10.11.12.100 yes 5
fifo_ino=$(stat -c %i "$LAB_TMP/fifo" 2>/dev/null)
# Each reload flips lb1's priority (150 <-> 50): the instance changes, so
# it restarts, and mastership moves: transitions between the reloads.
fifo_ok=1
for i in 1 2 3 4 5; do
	before=$(wc -l < "$LAB_TMP/fifo.lines" 2>/dev/null || echo 0)
	if [ $((i % 2)) -eq 1 ]; then prio=50; else prio=150; fi
	fifo_conf $prio > "$LAB_TMP/lb1.conf"
	mark=$(lab_mark lb1)
	kill -HUP "$PID_lb1"
	lab_wait_since lb1 "$mark" "VRRP: configuration reloaded" 5 || fifo_ok=0
	sleep 1
	after=$(wc -l < "$LAB_TMP/fifo.lines" 2>/dev/null || echo 0)
	[ -p "$LAB_TMP/fifo" ] || { echo "  (reload $i: the FIFO is gone)"; fifo_ok=0; }
	[ "$(stat -c %i "$LAB_TMP/fifo" 2>/dev/null)" = "$fifo_ino" ] ||
		{ echo "  (reload $i: the FIFO was re-created)"; fifo_ok=0; }
	[ "$after" -gt "$before" ] || { echo "  (reload $i: no new FIFO line)"; fifo_ok=0; }
done
check "fifo: five reloads: the FIFO stays (same inode) and every reload's events are read" \
	[ "$fifo_ok" -eq 1 ]
check "fifo: one reader for all five reloads" [ "$(grep -c start "$LAB_TMP/reader.starts")" -eq 1 ]
check "fifo: the last reload (priority 50) left lb2 master" \
	lab_wait_addr lb2 10.11.12.100 yes 3
stop_all
rm -f "$LAB_TMP/fifo"

# ---- 3. a tracked script that lowers priority right after start -----------------------
# lb1 (150) tracks a script that fails at once (weight -100: 50). lb2 (100)
# starts first. With the timer of priority 150 lb1's Master_Down_Interval
# (3.41 s at advert_int 1) ran out before lb2's (3.61 s) and lb1 was master
# for a moment at priority 50; with the timer moved to priority 50's skew
# (3.80 s) lb2 wins, and lb1 never is.
cat > "$LAB_TMP/fail.sh" <<EOS
#!/bin/sh
exit 1
EOS
chmod +x "$LAB_TMP/fail.sh"
lab_vigil lb2 "vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        10.11.12.100/24
    }
}"
lab_vigil lb1 "global_defs {
    script_user root
}
vrrp_script chk {
    script $LAB_TMP/fail.sh
    interval 1
    weight -100
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    track_script {
        chk
    }
    virtual_ipaddress {
        10.11.12.100/24
    }
}"
check "track: lb1's priority drops to 50 at start" \
	lab_wait_log lb1 "Changing effective priority from 150 to 50" 3
check "track: lb2 becomes master" lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 6
sleep 1
check "track: lb1 (now 50) was never master" sh -c "! grep -q 'Entering MASTER' $LAB_TMP/lb1.log"
stop_all

# ---- 4. an interface that appears after the daemon started -------------------------------
lab_vigil lb1 "vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 0.1
    version 3
    virtual_ipaddress {
        10.11.12.100/24
    }
}
vrrp_instance VI_2 {
    interface eth1
    virtual_router_id 52
    priority 150
    advert_int 0.1
    version 3
    virtual_ipaddress {
        10.11.13.100/24 dev eth1
    }
}"
check "late interface: the instance waits, said once" \
	lab_wait_log lb1 "\(VI_2\) interface eth1 does not exist; the instance starts when it appears" 5
check "late interface: the other instance runs meanwhile" lab_wait_addr lb1 10.11.12.100 yes 5
waiting_in_status() {
	"$VIGILD" --status -p "$LAB_TMP/lb1.pid" 2>/dev/null | grep -q '"waiting_for_interface":\["VI_2"\]'
}
i=0; while ! waiting_in_status && [ $i -lt 30 ]; do sleep 0.2; i=$((i + 1)); done
check "late interface: status lists it as waiting" waiting_in_status
ip -n "${P}sw" link add vlb1b type veth peer name eth1 netns "${P}lb1"
ip -n "${P}sw" link set vlb1b master br0 up
ip -n "${P}lb1" addr add 10.11.13.1/24 dev eth1
ip -n "${P}lb1" link set eth1 up
check "late interface: the instance starts when it appears" \
	lab_wait_log lb1 "\(VI_2\) interface eth1 is there now; starting the instance" 5
check "late interface: and becomes master with its VIP" lab_wait_addr_dev lb1 eth1 10.11.13.100 5
check "late interface: the waiting line was logged once" \
	[ "$(grep -c 'interface eth1 does not exist' "$LAB_TMP/lb1.log")" -eq 1 ]
stop_all

# ---- 5. a routine reload under traffic ---------------------------------------------------
vips() { # PRIO VIPS...
	prio=$1; shift
	echo "vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority $prio
    advert_int 1
    virtual_ipaddress {"
	for v in "$@"; do echo "        $v/24"; done
	echo "    }
}"
}
# reload_loss DAEMON START: lb1 (150) master, lb2 (100) backup; the client
# pings 10.11.12.100 every 10 ms; both get 10.11.12.101 and a SIGHUP (the
# order an operator's tool uses: backup, then master); prints the loss
reload_loss() {
	$2 lb1 "$(vips 150 10.11.12.100)"
	lab_wait_addr lb1 10.11.12.100 yes 6
	$2 lb2 "$(vips 100 10.11.12.100)"
	lab_wait_log lb2 "\(VI_1\) Entering BACKUP STATE" 5
	sleep 1
	ip netns exec "${P}cl" ping -n -i 0.01 -w 5 10.11.12.100 > "$LAB_TMP/ping.$1" 2>&1 &
	ping_pid=$!
	sleep 1.5
	mark1=$(lab_mark lb1)
	vips 100 10.11.12.100 10.11.12.101 > "$LAB_TMP/lb2.conf"
	vips 150 10.11.12.100 10.11.12.101 > "$LAB_TMP/lb1.conf"
	kill -HUP "$PID_lb2"
	kill -HUP "$PID_lb1"
	wait "$ping_pid"
	lab_ping_lost "$LAB_TMP/ping.$1"
	lab_since lb1 "$mark1" > "$LAB_TMP/reload.$1.lb1"
}
vigil_rl=$(reload_loss vigil lab_vigil)
check "reload: the new VIP is on the master" lab_wait_addr lb1 10.11.12.101 yes 3
check "reload: and not on the backup" lab_wait_addr lb2 10.11.12.101 no 1
check "reload: the master kept its state (no transition, no priority 0)" sh -c \
	"grep -q 'updated in place' $LAB_TMP/reload.vigil.lb1 && ! grep -qE 'Entering|sent 0 priority' $LAB_TMP/reload.vigil.lb1"
stop_all
if lab_reference; then
	ka_rl=$(reload_loss keepalived lab_keepalived)
	stop_all
	echo "  (ping every 10 ms across a reload adding a VIP on both directors: vigil lost" \
		"$vigil_rl, keepalived lost $ka_rl)"
fi
check "reload: no ping lost (vigil)" [ "$vigil_rl" -eq 0 ]

lab_summary
