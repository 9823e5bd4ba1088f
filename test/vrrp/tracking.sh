#!/bin/sh
# VRRP tracking between two vigild directors: a failing vrrp_script moves
# mastership, a link going down means Fault, a VIP deleted by hand comes
# back, a partition heals to exactly one master, sync groups move
# together, track_file moves priority. Needs root; skips (77) without it.
set -u
. "$(dirname "$0")/lib.sh"
lab_need_root
trap lab_down EXIT INT TERM
lab_up

stop_all() {
	lab_kill lb1 TERM; lab_kill lb2 TERM
	sleep 0.5
	lab_kill lb1 KILL; lab_kill lb2 KILL
	for h in lb1 lb2; do
		ip -n "${P}$h" addr flush dev eth0 label 'eth0' to 10.11.12.100/32 2>/dev/null
		ip -n "${P}$h" addr del 10.11.12.100/24 dev eth0 2>/dev/null
		ip -n "${P}$h" addr del 10.11.12.101/24 dev eth0 2>/dev/null
		: > "$LAB_TMP/$h.log"
	done
}

instance() { # NAME VRID PRIO VIP EXTRA
	cat <<EOC
vrrp_instance $1 {
    interface eth0
    virtual_router_id $2
    priority $3
    advert_int 0.1
    version 3
    ${5:-}
    virtual_ipaddress {
        $4/24
    }
}
EOC
}

# ---- 1. a failing vrrp_script with a negative weight moves mastership ----
touch "$LAB_TMP/lb1.ok"
script="vrrp_script chk_service {
    script \"/usr/bin/test -f $LAB_TMP/lb1.ok\"
    interval 0.2
    weight -60
    fall 2
    rise 2
}"
lab_vigil lb1 "$script
$(instance VI_1 51 150 10.11.12.100 'track_script {
        chk_service
    }')"
lab_vigil lb2 "$(instance VI_1 51 100 10.11.12.100)"
check "lb1 master with a healthy script" lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 5
rm -f "$LAB_TMP/lb1.ok"
check "script failure logged" lab_wait_log lb1 "VRRP_Script\(chk_service\) failed \(exited with status 1\)" 5
check "priority lowered" lab_wait_log lb1 "\(VI_1\) Changing effective priority from 150 to 90" 3
check "lb2 takes over" lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 3
check "lb1 yields" lab_wait_log lb1 "Master received advert from 10.11.12.2 with higher priority 100, ours 90" 3
touch "$LAB_TMP/lb1.ok"
check "script recovery logged" lab_wait_log lb1 "VRRP_Script\(chk_service\) succeeded" 5
check "priority restored" lab_wait_log lb1 "Changing effective priority from 90 to 150" 3
check "lb1 preempts back" lab_wait_addr lb1 10.11.12.100 yes 3

# ---- 2. link down -> Fault -> recovery ----
: > "$LAB_TMP/lb1.log"
ip -n "${P}lb1" link set eth0 down
check "link down: lb1 enters FAULT" lab_wait_log lb1 "\(VI_1\) Entering FAULT STATE" 3
check "link down: lb2 master" lab_wait_addr lb2 10.11.12.100 yes 3
ip -n "${P}lb1" link set eth0 up
check "link up: lb1 leaves FAULT for BACKUP" lab_wait_log lb1 "\(VI_1\) Entering BACKUP STATE" 5
check "link up: lb1 master again" lab_wait_addr lb1 10.11.12.100 yes 5

# ---- 3. a VIP removed behind vigil's back comes back ----
sleep 0.5
ip -n "${P}lb1" addr del 10.11.12.100/24 dev eth0
check "removed VIP noticed" lab_wait_log lb1 "VIP 10.11.12.100 was removed from eth0 by someone else; restoring it" 3
check "removed VIP restored" lab_wait_addr lb1 10.11.12.100 yes 2

# ---- 4. a partition gives two masters; healing leaves one ----
ip netns exec "${P}lb2" nft -f - <<'NFT'
table inet vigiltest {
    chain in {
        type filter hook input priority 0;
        meta l4proto 112 drop
    }
}
NFT
check "partition: lb2 becomes a second master" lab_wait_addr lb2 10.11.12.100 yes 3
check "partition: lb1 still master" lab_has_addr lb1 10.11.12.100
ip netns exec "${P}lb2" nft delete table inet vigiltest
check "healed: lb2 gives the VIP up within an interval or two" lab_wait_addr lb2 10.11.12.100 no 1
check "healed: lb1 keeps it" lab_has_addr lb1 10.11.12.100
stop_all

# ---- 5. sync group: members move together ----
touch "$LAB_TMP/lb1.ok"
group="vrrp_sync_group G1 {
    group {
        VI_A
        VI_B
    }
}"
lab_vigil lb1 "$group
$script
$(instance VI_A 61 150 10.11.12.100 'track_script {
        chk_service
    }')
$(instance VI_B 62 150 10.11.12.101)"
lab_vigil lb2 "$group
$(instance VI_A 61 100 10.11.12.100)
$(instance VI_B 62 100 10.11.12.101)"
check "sync group: VI_B on lb1" lab_wait_addr lb1 10.11.12.101 yes 5
rm -f "$LAB_TMP/lb1.ok"
check "sync group: VI_A moves to lb2" lab_wait_addr lb2 10.11.12.100 yes 5
check "sync group: VI_B follows VI_A" lab_wait_addr lb2 10.11.12.101 yes 3
check "sync group: lb1 logs the follow" lab_wait_log lb1 "sync group G1: following VI_A to BACKUP" 2
stop_all

# ---- 6. track_file: the number in the file moves priority ----
# With vrrp_notify_priority_changes each change is a FIFO line
# (MASTER_PRIORITY / BACKUP_PRIORITY, by the state it happened in); a
# master that hears a lower priority (lb1 frozen, lb2 took over, lb1
# thawed) writes MASTER_RX_LOWER_PRI and runs notify_master_rx_lower_pri.
echo 0 > "$LAB_TMP/prio"
cat > "$LAB_TMP/rxlower.sh" <<EOS
#!/bin/sh
echo "rx-lower \$*" >> $LAB_TMP/rxlower.runs
EOS
chmod +x "$LAB_TMP/rxlower.sh"
lab_vigil lb1 "global_defs {
    vrrp_notify_fifo $LAB_TMP/fifo6
    vrrp_notify_priority_changes
    script_user root
}
track_file tf {
    file $LAB_TMP/prio
    weight -1
}
$(instance VI_1 51 150 10.11.12.100 "track_file {
        tf
    }
    notify_master_rx_lower_pri \"$LAB_TMP/rxlower.sh arg1\"")"
lab_vigil lb2 "$(instance VI_1 51 100 10.11.12.100)"
check "track_file: lb1 master" lab_wait_addr lb1 10.11.12.100 yes 5
echo 80 > "$LAB_TMP/prio"
check "track_file: priority 150 -> 70" lab_wait_log lb1 "Changing effective priority from 150 to 70" 3
check "track_file: lb2 takes over" lab_wait_addr lb2 10.11.12.100 yes 3
echo 0 > "$LAB_TMP/prio"
check "track_file: priority back to 150, lb1 preempts" lab_wait_addr lb1 10.11.12.100 yes 5
lab_kill lb1 STOP
check "rx lower: lb2 takes over from the frozen lb1" lab_wait_addr lb2 10.11.12.100 yes 3
lab_kill lb1 CONT
check "rx lower: lb1, thawed, stays master" lab_wait_addr lb2 10.11.12.100 no 3
check "rx lower: notify_master_rx_lower_pri ran with its own arguments only" sh -c \
	"i=0; while [ \$i -lt 30 ]; do grep -qx 'rx-lower arg1' $LAB_TMP/rxlower.runs 2>/dev/null && exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"
timeout 2 cat "$LAB_TMP/fifo6" > "$LAB_TMP/fifo6.out" 2>/dev/null
check "notify_priority_changes: MASTER_PRIORITY when it changed as master" \
	grep -qx 'INSTANCE "VI_1" MASTER_PRIORITY 70' "$LAB_TMP/fifo6.out"
check "notify_priority_changes: BACKUP_PRIORITY when it changed as backup" \
	grep -qx 'INSTANCE "VI_1" BACKUP_PRIORITY 150' "$LAB_TMP/fifo6.out"
check "rx lower: the FIFO line" grep -qx 'INSTANCE "VI_1" MASTER_RX_LOWER_PRI 150' "$LAB_TMP/fifo6.out"
stop_all

# ---- 7. notify scripts in order, the notify FIFO, SIGHUP keeps an unchanged instance ----
cat > "$LAB_TMP/notify.sh" <<EOS
#!/bin/sh
echo "\$@" >> $LAB_TMP/notes
EOS
cat > "$LAB_TMP/master.sh" <<EOS
#!/bin/sh
sleep 0.2
echo master-script >> $LAB_TMP/notes
EOS
chmod +x "$LAB_TMP/notify.sh" "$LAB_TMP/master.sh"
: > "$LAB_TMP/notes"
lab_vigil lb1 "global_defs {
    vrrp_notify_fifo $LAB_TMP/fifo
    script_user root
}
$(instance VI_1 51 150 10.11.12.100 "notify_master $LAB_TMP/master.sh
    notify $LAB_TMP/notify.sh")"
check "notify: lb1 master" lab_wait_addr lb1 10.11.12.100 yes 5
sleep 1
timeout 2 cat "$LAB_TMP/fifo" > "$LAB_TMP/fifo.out" 2>/dev/null
printf 'INSTANCE VI_1 BACKUP 150\nmaster-script\nINSTANCE VI_1 MASTER 150\n' > "$LAB_TMP/notes.want"
check "notify: scripts ran one at a time, in transition order" cmp -s "$LAB_TMP/notes" "$LAB_TMP/notes.want"
check "notify: FIFO lines as keepalived writes them" grep -qx 'INSTANCE "VI_1" MASTER 150' "$LAB_TMP/fifo.out"
check "notify: FIFO has the backup line first" sh -c "head -1 $LAB_TMP/fifo.out | grep -qx 'INSTANCE \"VI_1\" BACKUP 150'"
# A new model that leaves the instance as it was (another router_id): the
# instance keeps running on the model it was built from, which must live
# on after the old notifier has drained (3 s) and the worker's status
# file is rewritten (every 2 s) - a use-after-free here once crashed the
# worker under ASan, and the supervisor then restarted it.
sed -i 's/^global_defs {/global_defs {\n    router_id reloaded/' "$LAB_TMP/lb1.conf"
kill -HUP "$PID_lb1"
check "reload: unchanged instance kept running" lab_wait_log lb1 "VRRP: 1 unchanged instance\(s\) kept running" 5
sleep 0.5
check "reload: no transition, VIP kept" sh -c "lab_has_addr() { ip -n ${P}lb1 addr show dev eth0 | grep -qw 10.11.12.100; }; lab_has_addr && [ \$(wc -l < $LAB_TMP/notes) -eq 3 ]"
sleep 4
check "reload: the kept instance's status after the old model went" sh -c "\"$VIGILD\" --status -p $LAB_TMP/lb1.pid | grep -q '\"name\":\"VI_1\",\"state\":\"MASTER\",\"vrid\":51,\"interface\":\"eth0\"'"
check "reload: the VRRP worker never restarted" sh -c "[ \$(grep -c 'Starting VRRP child process' $LAB_TMP/lb1.log) -eq 1 ]"
lab_kill lb1 TERM
check "stop: the STOP notification runs before exit" sh -c "i=0; while [ \$i -lt 40 ]; do grep -qx 'INSTANCE VI_1 STOP 150' $LAB_TMP/notes && exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"
stop_all

lab_summary
