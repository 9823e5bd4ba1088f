#!/bin/sh
# VRRP between two vigild directors in network namespaces: election,
# hard and graceful failover, a dead worker, a dead supervisor, preemption,
# nopreempt, IPv6, unicast, the VIP lifetime after SIGKILL, and the client
# seeing the new master's gratuitous ARP. Needs root; skips (77) without it.
set -u
. "$(dirname "$0")/lib.sh"
lab_need_root
trap lab_down EXIT INT TERM
lab_up
NETWATCH=${NETWATCH:-$(dirname "$VIGILD")/test/tools/netwatch}

conf() { # conf NAME PRIO [extra instance lines] [version] [advert_int]
	cat <<EOC
vrrp_instance $1 {
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int ${5:-0.1}
    version ${4:-3}
    ${3:-}
    virtual_ipaddress {
        10.11.12.100/24
    }
}
EOC
}

stop_all() {
	lab_kill lb1 TERM; lab_kill lb2 TERM
	sleep 0.5
	lab_kill lb1 KILL; lab_kill lb2 KILL
	ip -n "${P}lb1" addr del 10.11.12.100/24 dev eth0 2>/dev/null
	ip -n "${P}lb2" addr del 10.11.12.100/24 dev eth0 2>/dev/null
	: > "$LAB_TMP/lb1.log"; : > "$LAB_TMP/lb2.log"
}

# ---- 1. election (VRRPv3, 100 ms) ----
# lb1 starts first and lb2 joins a running master: lb2 must then never
# take over. (Both started at once, RFC 5798 does not promise that: a
# backup whose Master_Down_Interval, 360 ms here, runs out before the
# other's first advert becomes master until it hears one, and the start
# of an ASan build on a loaded machine once took that long - the check
# below failed then. A simultaneous start is checked next for what RFC
# 5798 does promise: one master, the higher priority, soon.)
lab_vigil lb1 "$(conf VI_1 150)"
check "lb1 (150) becomes master" lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 5
lab_vigil lb2 "$(conf VI_1 100)"
check "lb2 (100) stays backup" lab_wait_log lb2 "\(VI_1\) Entering BACKUP STATE" 5
check "VIP on lb1" lab_wait_addr lb1 10.11.12.100 yes 3
sleep 1
check "no VIP on lb2" lab_wait_addr lb2 10.11.12.100 no 1
check "lb2 never became master" sh -c "! grep -q 'Entering MASTER' $LAB_TMP/lb2.log"

# Both at once: whatever the transient, lb1 holds the VIP alone and lb2's
# last word is BACKUP.
stop_all
lab_vigil lb1 "$(conf VI_1 150)"
lab_vigil lb2 "$(conf VI_1 100)"
converged() {
	lab_wait_addr lb1 10.11.12.100 yes 5 || return 1
	lab_wait_addr lb2 10.11.12.100 no 3 || return 1
	sleep 0.5
	[ "$(grep -o 'Entering [A-Z]* STATE' "$LAB_TMP/lb2.log" | tail -1)" = "Entering BACKUP STATE" ] &&
	[ "$(grep -o 'Entering [A-Z]* STATE' "$LAB_TMP/lb1.log" | tail -1)" = "Entering MASTER STATE" ]
}
check "started together: lb1 master, lb2 backup, one VIP" converged
if grep -q 'Entering MASTER' "$LAB_TMP/lb2.log"; then
	echo "  (lb2 was master until lb1's first advert: lb1 started later than lb2's Master_Down_Interval)"
fi
: > "$LAB_TMP/lb1.log"; : > "$LAB_TMP/lb2.log"

# ---- 2. hard failover: SIGKILL the whole daemon on lb1 ----
ip netns exec "${P}cl" "$NETWATCH" eth0 4 > "$LAB_TMP/watch.txt" 2>&1 &
watch_pid=$!
sleep 0.3
lb2_mac=$(ip -n "${P}lb2" link show eth0 | awk '/link\/ether/ {print $2}')
killed_at=$(date +%s%N)
lab_crash lb1
check "lb2 takes over after SIGKILL" lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 3
check "VIP on lb2" lab_wait_addr lb2 10.11.12.100 yes 2
# lifetime: Master_Down_Interval rounded up (1 s here) plus one second
vip_gone_within() { # MS: the orphaned VIP disappears within MS of the kill
	lab_wait_addr lb1 10.11.12.100 no 5 || return 1
	elapsed=$(( ($(date +%s%N) - killed_at) / 1000000 ))
	echo "  (orphaned VIP gone ${elapsed} ms after SIGKILL)"
	[ "$elapsed" -le "$1" ]
}
check "lb1's orphaned VIP expires within MDI rounded up + 1 s" vip_gone_within 2100
wait "$watch_pid" 2>/dev/null
check "the client saw lb2's gratuitous ARP for the VIP" grep -q "arp 10.11.12.100 $lb2_mac" "$LAB_TMP/watch.txt"


# ---- 3. preemption back ----
: > "$LAB_TMP/lb1.log"
lab_vigil lb1 "$(conf VI_1 150)"
check "restarted lb1 preempts" lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 5
check "lb2 yields" lab_wait_log lb2 "Master received advert from 10.11.12.1 with higher priority 150, ours 100" 5
check "VIP left lb2" lab_wait_addr lb2 10.11.12.100 no 3
check "VIP back on lb1" lab_wait_addr lb1 10.11.12.100 yes 3

# ---- 4. graceful failover: SIGTERM sends priority 0 ----
lab_kill lb1 TERM
check "lb1 resigns with priority 0" lab_wait_log lb1 "\(VI_1\) sent 0 priority" 3
check "lb2 hears it" lab_wait_log lb2 "Backup received priority 0 advertisement" 3
check "lb2 master after resign" lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 3
check "lb1 removed its VIP on exit" lab_wait_addr lb1 10.11.12.100 no 2
stop_all

# ---- 4b. a worker that dies while the supervisor lives: VIPs go at once ----
lab_vigil lb1 "$(conf VI_1 150)"
check "lb1 master" lab_wait_addr lb1 10.11.12.100 yes 5
worker=$(pgrep -f -- "--worker=vrrp -n -f $LAB_TMP/lb1.conf")
kill -9 $worker
check "supervisor notices the dead worker" lab_wait_log lb1 "VRRP child process died on signal 9" 2
check "supervisor removed the worker's VIP at once" lab_wait_addr lb1 10.11.12.100 no 1
check "worker restarted and master again" lab_wait_addr lb1 10.11.12.100 yes 5
stop_all

# ---- 4b'. a dead supervisor (kill -9 of its pid alone): the orphaned VRRP
# worker resigns with priority 0 and removes its VIP at once, so the backup
# takes over after its Skew_Time, not Master_Down_Interval, and the address
# is never on both nodes; then it exits (see man/vigild.8, SIGNALS) ----
lab_vigil lb1 "$(conf VI_1 150)"
lab_vigil lb2 "$(conf VI_1 100)"
check "dead supervisor: lb1 master" lab_wait_addr lb1 10.11.12.100 yes 5
check "dead supervisor: lb2 backup" lab_wait_log lb2 "\(VI_1\) Entering BACKUP STATE" 5
sleep 0.5
worker=$(pgrep -f -- "--worker=vrrp -n -f $LAB_TMP/lb1.conf")
killed_at=$(date +%s%N)
kill -9 "$PID_lb1"
wait "$PID_lb1" 2>/dev/null
check "dead supervisor: lb1's worker knows why it stops" \
	lab_wait_log lb1 "VRRP: the supervisor died; resigning" 2
check "dead supervisor: lb1 resigns with priority 0" lab_wait_log lb1 "\(VI_1\) sent 0 priority" 2
check "dead supervisor: lb2 hears the priority 0 advert" \
	lab_wait_log lb2 "Backup received priority 0 advertisement" 2
check "dead supervisor: lb2 becomes master" lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 2
# Removed by the resign, not by the kernel: the lifetime left at the kill
# is at least 2/3 of 2 s.
vip_removed_within() { # MS
	lab_wait_addr lb1 10.11.12.100 no 3 || return 1
	elapsed=$(( ($(date +%s%N) - killed_at) / 1000000 ))
	echo "  (lb1's VIP gone ${elapsed} ms after the supervisor's SIGKILL)"
	[ "$elapsed" -le "$1" ]
}
check "dead supervisor: lb1's VIP removed at once, before its lifetime could end" \
	vip_removed_within 1200
check "dead supervisor: VIP on lb2" lab_wait_addr lb2 10.11.12.100 yes 2
worker_exited() {
	i=0
	while [ $i -lt 40 ]; do
		kill -0 "$worker" 2>/dev/null || return 0
		sleep 0.05; i=$((i + 1))
	done
	return 1
}
check "dead supervisor: lb1's worker has exited (no VRRP speaker left behind)" worker_exited
check "dead supervisor: nothing of lb1's daemon is left" sh -c "[ -z \"\$(ip netns pids ${P}lb1)\" ]"
# The daemon systemd starts next begins as backup on a clean node and
# takes the router back by preemption.
: > "$LAB_TMP/lb1.log"
lab_vigil lb1 "$(conf VI_1 150)"
check "dead supervisor: the restarted lb1 starts as backup" \
	lab_wait_log lb1 "\(VI_1\) Entering BACKUP STATE" 5
check "dead supervisor: the restarted lb1 preempts" \
	lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 5
check "dead supervisor: lb2 released the VIP" lab_wait_addr lb2 10.11.12.100 no 3
stop_all

# ---- 4c. a busy master keeps its VIP: the lifetime refresh is early enough ----
# advert_int 1 s: lifetime 4 s, refreshed every 1.3 s. Stopping the worker
# for 2 s (under Master_Down_Interval, so no backup takes over) must not
# let the kernel expire the address.
lab_vigil lb1 "$(conf VI_1 150 '' 3 1)"
check "lb1 master (1 s adverts)" lab_wait_addr lb1 10.11.12.100 yes 6
sleep 1
worker=$(pgrep -f -- "--worker=vrrp -n -f $LAB_TMP/lb1.conf")
kill -STOP $worker
lost=0
stop_end=$(( $(date +%s%N) + 2000000000 ))
i=0
# Poll for 2 s of wall clock (bounded in count too): a loaded machine
# makes each poll slower, and must not make the stall longer.
while [ "$(date +%s%N)" -lt "$stop_end" ] && [ $i -lt 200 ]; do
	lab_has_addr lb1 10.11.12.100 || lost=1
	sleep 0.05; i=$((i + 1))
done
kill -CONT $worker
check "VIP never expired while the worker was stalled for 2 s" [ "$lost" -eq 0 ]
stop_all

# ---- 5. nopreempt: a returning higher-priority node does not take over ----
lab_vigil lb2 "$(conf VI_1 100 nopreempt)"
check "lb2 alone becomes master" lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 5
lab_vigil lb1 "$(conf VI_1 150 nopreempt)"
check "lb1 comes up as backup" lab_wait_log lb1 "\(VI_1\) Entering BACKUP STATE" 5
sleep 1.5
check "lb1 did not preempt" sh -c "! grep -q 'Entering MASTER' $LAB_TMP/lb1.log"
stop_all

# ---- 5b. preempt_delay: a returning higher-priority node waits before preempting ----
lab_vigil lb2 "$(conf VI_1 100)"
check "preempt_delay: lb2 alone becomes master" lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 5
lab_vigil lb1 "$(conf VI_1 150 'preempt_delay 2')"
check "preempt_delay: lb1 comes up as backup" lab_wait_log lb1 "\(VI_1\) Entering BACKUP STATE" 5
sleep 1.2
check "preempt_delay: no preemption within the delay" sh -c "! grep -q 'Entering MASTER' $LAB_TMP/lb1.log"
check "preempt_delay: preempts once it has passed" lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 3
stop_all

# ---- 5c. priority 255: the address owner takes over at once ----
lab_vigil lb2 "$(conf VI_1 100)"
check "owner: lb2 master first" lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 5
lab_vigil lb1 "$(conf VI_1 255)"
check "owner: lb1 (255) is master without waiting for an election" lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 1
check "owner: lb2 yields" lab_wait_log lb2 "with higher priority 255, ours 100" 2
check "owner: lb1 never passed through BACKUP" sh -c "! grep -q 'Entering BACKUP' $LAB_TMP/lb1.log"
stop_all

# ---- 6. VRRPv2, 1 s adverts, PASS authentication, unicast peers ----
v2() { conf VI_2 "$1" "authentication {
        auth_type PASS
        auth_pass s3cret
    }
    unicast_src_ip $2
    unicast_peer {
        $3
    }" 2 1; }
lab_vigil lb1 "$(v2 150 10.11.12.1 10.11.12.2)"
lab_vigil lb2 "$(v2 100 10.11.12.2 10.11.12.1)"
check "v2 unicast: lb1 master" lab_wait_log lb1 "\(VI_2\) Entering MASTER STATE" 6
check "v2 unicast: lb2 backup" lab_wait_log lb2 "\(VI_2\) Entering BACKUP STATE" 3
sleep 4
check "v2 unicast: lb2 stays backup (adverts accepted)" sh -c "! grep -q 'Entering MASTER' $LAB_TMP/lb2.log"
stop_all

# ---- 7. IPv6 (VRRPv3 over ff02::12, link-local sources) ----
v6() { cat <<EOC
vrrp_instance VI_6 {
    interface eth0
    virtual_router_id 61
    priority $1
    advert_int 0.1
    virtual_ipaddress {
        fd00:11:12::100/64
    }
}
EOC
}
lab_vigil lb1 "$(v6 150)"
lab_vigil lb2 "$(v6 100)"
check "IPv6: lb1 master" lab_wait_log lb1 "\(VI_6\) Entering MASTER STATE" 5
check "IPv6: VIP on lb1" lab_wait_addr lb1 fd00:11:12::100 yes 3
sleep 1
check "IPv6: lb2 backup" sh -c "! grep -q 'Entering MASTER' $LAB_TMP/lb2.log"
lab_crash lb1
check "IPv6: lb2 takes over" lab_wait_log lb2 "\(VI_6\) Entering MASTER STATE" 3
stop_all

# ---- 7b. address options, excluded addresses and virtual routes ----
lab_vigil lb1 "vrrp_instance VI_R {
    interface eth0
    virtual_router_id 71
    priority 150
    advert_int 0.1
    version 3
    virtual_ipaddress {
        10.11.12.100/24 label eth0:vip
    }
    virtual_ipaddress_excluded {
        fd00:99::1/64
    }
    virtual_routes {
        10.99.0.0/16 via 10.11.12.10
    }
}"
check "routes: lb1 master" lab_wait_addr lb1 10.11.12.100 yes 5
check "routes: the label is set" sh -c "ip -n ${P}lb1 addr show dev eth0 | grep -q 'eth0:vip'"
check "routes: the excluded address is installed" lab_wait_addr lb1 fd00:99::1 yes 2
check "routes: the virtual route is installed" sh -c "ip -n ${P}lb1 route show 10.99.0.0/16 | grep -q 'via 10.11.12.10'"
lab_kill lb1 TERM
check "routes: the excluded address goes on stop" lab_wait_addr lb1 fd00:99::1 no 3
check "routes: the virtual route goes on stop" sh -c "sleep 0.3; ! ip -n ${P}lb1 route show 10.99.0.0/16 | grep -q via"
stop_all

# ---- 8. status JSON, and a configured peer that is never heard ----
lab_vigil lb1 "$(conf VI_1 150 'unicast_src_ip 10.11.12.1
    unicast_peer {
        10.11.12.99
    }')"
status_has() { # PATTERN: the status JSON of lb1 matches within 4 s
	i=0
	while [ $i -lt 40 ]; do
		"$VIGILD" --status -p "$LAB_TMP/lb1.pid" 2>/dev/null | grep -q "$1" && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
check "silent peer reported in the log" lab_wait_log lb1 "became master without hearing any advert since start; if the unicast peers are expected" 3
check "status: MASTER" status_has '"state":"MASTER"'
check "status: the silent peer is flagged" status_has '"never_heard_a_peer":true'
stop_all

lab_summary
