#!/bin/sh
# SIGHUP with a broken configuration keeps the running one; a later good
# SIGHUP applies. Two vigild directors in network namespaces (lib.sh):
#   1. lb1 (150) master, lb2 (100) backup.
#   2. lb1's file gets three errors, then SIGHUP: each error is logged
#      as file:line:col, the reload is refused, and nothing changes: the
#      same worker processes, lb1 still master with its VIP (the JSON
#      status shows no transition), lb2 still backup without it.
#   3. The file is made good with one more (excluded) VIP, SIGHUP: the
#      VIP appears, lb1 stays master.
#   4. lb1's priority goes to 50, SIGHUP: lb2 takes over.
# Needs root; skips (77) without it.
set -u
. "$(dirname "$0")/lib.sh"
lab_need_root
trap lab_down EXIT INT TERM
lab_up

# conf PRIO [EXTRA_VIP_LINE]
conf() {
	cat <<EOC
global_defs {
    router_id reload-test
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority $1
    advert_int 0.1
    version 3
    virtual_ipaddress {
        10.11.12.100/24
        ${2:-}
    }
}
EOC
}

# The same instance with three errors, each on its own line, none of them
# a consequence of another. Their positions (line:col) are asserted below.
broken() {
	cat <<'EOC'
global_defs {
    router_id reload-test
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority abc
    advert_int 0.1
    version 7
    virtual_ipaddress {
        10.11.12.100/24
        10.11.300.5/24
    }
}
EOC
}

# status HOST FIELD: FIELD of VI_1 in HOST's `vigild --status` (JSON)
status() {
	"$VIGILD" --status -p "$LAB_TMP/$1.pid" 2>/dev/null |
		sed -n "s/.*\"$2\":\(\"[A-Z]*\"\|[0-9]*\).*/\1/p" | tr -d '"'
}
# workers HOST: the pids of HOST's processes, sorted (supervisor and workers)
workers() { lab_pids "$1" | sort | tr '\n' ' '; }

lab_vigil lb1 "$(conf 150)"
lab_vigil lb2 "$(conf 100)"
check "lb1 (150) master" lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 5
check "lb2 (100) backup" lab_wait_log lb2 "\(VI_1\) Entering BACKUP STATE" 5
check "VIP on lb1" lab_wait_addr lb1 10.11.12.100 yes 3
sleep 1

# ---- a broken file: refused, nothing changes -------------------------------------
pids_before=$(workers lb1)
trans_before=$(status lb1 transitions)
tx_before=$(status lb1 tx_adverts)
check "status readable before the reload (state MASTER)" [ "$(status lb1 state)" = MASTER ]
m1=$(lab_mark lb1)
m2=$(lab_mark lb2)
broken > "$LAB_TMP/lb1.conf"
kill -HUP "$PID_lb1"
check "broken reload refused" lab_wait_since lb1 "$m1" \
	"Reload failed; keeping the running configuration" 5
f="$LAB_TMP/lb1.conf"
check "error 1 named as file:line:col (priority abc)" lab_wait_since lb1 "$m1" \
	"$f:7:14: priority must be a whole number, not 'abc'" 1
check "error 2 named as file:line:col (version 7)" lab_wait_since lb1 "$m1" "$f:9:13: version 7 is out of range; use 2\\.\\.3" 1
check "error 3 named as file:line:col (10.11.300.5)" lab_wait_since lb1 "$m1" "$f:12:9: '10\\.11\\.300\\.5/24': not a valid IPv4 address" 1
check "the count of errors" lab_wait_since lb1 "$m1" "$f: 3 error\(s\) in configuration" 1
check "neither the supervisor nor a worker reloaded" lab_none_since lb1 "$m1" "[Cc]onfiguration reloaded"
sleep 1
check "broken reload: same supervisor and workers" [ "$(workers lb1)" = "$pids_before" ]
check "broken reload: lb1 still MASTER" [ "$(status lb1 state)" = MASTER ]
check "broken reload: no transition counted" [ "$(status lb1 transitions)" = "$trans_before" ]
check "broken reload: still advertising" [ "$(status lb1 tx_adverts)" -gt "$tx_before" ]
check "broken reload: priority still 150" [ "$(status lb1 priority)" = 150 ]
check "broken reload: VIP kept on lb1" lab_has_addr lb1 10.11.12.100
check "broken reload: no VIP on lb2" lab_wait_addr lb2 10.11.12.100 no 1
check "broken reload: no state line on lb1" lab_none_since lb1 "$m1" "Entering"
check "broken reload: no state line on lb2" lab_none_since lb2 "$m2" "Entering"

# ---- a good file: one more VIP ---------------------------------------------------
# virtual_ipaddress_excluded: held by the master but not carried in the
# adverts, so lb2's address list still matches lb1's
m1=$(lab_mark lb1)
conf 150 "}
    virtual_ipaddress_excluded {
        10.11.12.101/24" > "$LAB_TMP/lb1.conf"
kill -HUP "$PID_lb1"
check "good reload accepted" lab_wait_since lb1 "$m1" "VRRP: configuration reloaded" 5
# A changed instance restarts (README: only unchanged ones keep running):
# it resigns with priority 0 and preempts back, so the end state is asserted
check "good reload: the new VIP appears on lb1" lab_wait_addr lb1 10.11.12.101 yes 3
check "good reload: lb2 ends backup, without the VIP" lab_wait_addr lb2 10.11.12.100 no 3
check "good reload: lb1 ends master with the old VIP too" lab_wait_addr lb1 10.11.12.100 yes 3
check "good reload: status shows MASTER" [ "$(status lb1 state)" = MASTER ]

# ---- a good file: a lower priority hands mastership over ----------------------------
m1=$(lab_mark lb1)
m2=$(lab_mark lb2)
conf 50 "}
    virtual_ipaddress_excluded {
        10.11.12.101/24" > "$LAB_TMP/lb1.conf"
kill -HUP "$PID_lb1"
check "priority reload accepted" lab_wait_since lb1 "$m1" "VRRP: configuration reloaded" 5
check "priority reload: lb2 (100) takes over from lb1 (50)" lab_wait_since lb2 "$m2" \
	"\(VI_1\) Entering MASTER STATE" 5
check "priority reload: VIP on lb2" lab_wait_addr lb2 10.11.12.100 yes 3
check "priority reload: VIPs leave lb1" lab_wait_addr lb1 10.11.12.101 no 3
check "priority reload: status shows 50 on lb1" [ "$(status lb1 priority)" = 50 ]

check "lb1 still running" kill -0 "$PID_lb1"
lab_kill lb1 TERM; lab_kill lb2 TERM
sleep 0.5
lab_summary
