#!/bin/sh
# static_ipaddress / static_routes / static_rules, virtual_rules,
# startup_script / shutdown_script and vrrp_startup_delay. Two vigild
# directors in network namespaces (lib.sh):
#   1. lb2 (100) starts alone. Its startup_script runs before the workers
#      (it finds none of the static items yet); its static address, routes
#      and rules are installed; it becomes master, with its virtual_rule.
#   2. lb1 (150, vrrp_startup_delay 1) starts: its statics are there while
#      it is backup, and it becomes master no sooner than 1 s plus a
#      Master_Down_Interval after its VRRP worker started (keepalived's
#      rule; without the delay: about 0.7 s). The
#      virtual_rule moves to lb1; lb2, now backup, keeps its statics.
#   3. lb2 reloads with one static route removed, one added and the rest
#      unchanged: `ip monitor` sees the removal and the addition, and
#      nothing about the items that stayed (no flap).
#   4. lb2 stops: its static items are gone, and its shutdown_script ran
#      after the workers had removed them.
#   5. A startup_script that hangs is killed at startup_script_timeout,
#      and the daemon starts anyway (in the client namespace). A static
#      route and address on an interface that does not exist yet are
#      installed when it appears, and again when it is created anew.
#   6. keepalived's reference (plain build only): the same static items on
#      a backup, no virtual rule there, and all removed at stop.
# Needs root; skips (77) without it.
set -u
. "$(dirname "$0")/lib.sh"
lab_need_root
trap lab_down EXIT INT TERM
lab_up

# conf HOST PRIO EXTRA_GLOBAL ROUTES
conf() {
	cat <<EOC
global_defs {
    router_id static-$1
    startup_script "$LAB_TMP/start-$1.sh"
    shutdown_script "$LAB_TMP/stop-$1.sh"
    $3
}
static_ipaddress {
    192.168.77.$2/32 dev lo label lo:st
}
static_routes {
$4
}
static_rules {
    from 10.99.3.0/24 table 100 priority 1000
    fwmark 0x7/0xff table 100 priority 1001
    not to 10.99.9.0/24 iif eth0 lookup 100 priority 1002
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 61
    priority $2
    advert_int 0.2
    version 3
    virtual_ipaddress {
        10.11.12.100/24
    }
    virtual_rules {
        from 10.11.12.100 table 101 priority 2000
    }
}
EOC
}
ROUTES="    10.99.1.0/24 via 10.11.12.254 dev eth0
    10.99.2.0/24 dev eth0 table 100 metric 7
    fd00:99::/64 via fd00:11:12::254 dev eth0 pref high mtu lock 1400 congctl cubic"

# script HOST start|stop: records whether the static address is there
# (the VRRP worker installs it and removes it at stop). The startup
# script looks after 0.3 s: a worker started beside it would have
# installed the address by then.
script() {
	[ "$2" = start ] && pause="sleep 0.3" || pause=:
	cat > "$LAB_TMP/$2-$1.sh" <<EOS
#!/bin/sh
$pause
if ip addr show dev lo | grep -q 192.168.77.; then s=present; else s=absent; fi
echo "\$s" > "$LAB_TMP/$2-$1.mark"
EOS
	chmod 755 "$LAB_TMP/$2-$1.sh"
}
for h in lb1 lb2; do script "$h" start; script "$h" stop; done

has() { ip -n "${P}$1" $2 | grep -qE -- "$3"; }
# wait_mark FILE CONTENT SECONDS
wait_mark() {
	i=0
	while [ $i -lt $(( $3 * 20 )) ]; do
		[ "$(cat "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.05; i=$((i + 1))
	done
	return 1
}
# ms HOST PATTERN: the time of day, in ms, of HOST's first log line matching
ms() {
	grep -E "$2" "$LAB_TMP/$1.log" | head -1 |
		awk '{ split($4, t, /[:.]/); print ((t[1] * 60 + t[2]) * 60 + t[3]) * 1000 + t[4] }'
}
statics_on() {
	has "$1" "addr show dev lo" "192\.168\.77\.[0-9]+/32" &&
	has "$1" "route show" "10\.99\.1\.0/24 via 10\.11\.12\.254" &&
	has "$1" "route show table 100" "10\.99\.2\.0/24 dev eth0 .*metric 7" &&
	has "$1" "-6 route show" "fd00:99::/64 via fd00:11:12::254 .*mtu lock 1400 .*congctl cubic pref high" &&
	has "$1" "rule show" "^1000:.*from 10\.99\.3\.0/24 lookup 100" &&
	has "$1" "rule show" "^1001:.*fwmark 0x7/0xff lookup 100" &&
	has "$1" "rule show" "^1002:.*not .*to 10\.99\.9\.0/24 iif eth0 lookup 100"
}
statics_off() {
	! has "$1" "addr show dev lo" "192\.168\.77\." &&
	! has "$1" "route show" "10\.99\.1\.0/24" &&
	! has "$1" "route show table 100" "10\.99\.2\.0/24" &&
	! has "$1" "-6 route show" "fd00:99::" &&
	! has "$1" "rule show" "^100[012]:"
}
vrule_on() { has "$1" "rule show" "^2000:.*from 10\.11\.12\.100 lookup 101"; }
wait_true() {   # wait_true SECONDS COMMAND...: poll COMMAND
	n=$(( $1 * 20 )); shift
	i=0
	while [ $i -lt $n ]; do "$@" && return 0; sleep 0.05; i=$((i + 1)); done
	return 1
}

# ---- 1. lb2 alone ---------------------------------------------------------------------
lab_vigil lb2 "$(conf lb2 100 "" "$ROUTES")"
check "lb2: startup_script ran before the workers (no static item yet)" \
	wait_mark "$LAB_TMP/start-lb2.mark" absent 5
check "lb2 becomes master" lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 5
check "lb2: static address, routes and rules installed" wait_true 2 statics_on lb2
check "lb2 (master): virtual_rule installed" wait_true 2 vrule_on lb2

# ---- 2. lb1 with vrrp_startup_delay ----------------------------------------------------
lab_vigil lb1 "$(conf lb1 150 "vrrp_startup_delay 1" "$ROUTES")"
check "lb1: delay announced" lab_wait_log lb1 "Delaying startup for 1 seconds" 5
check "lb1 (backup, in its delay): statics installed" wait_true 2 statics_on lb1
check "lb1 (backup): no virtual_rule" sh -c "! ip -n ${P}lb1 rule show | grep -q '^2000:'"
check "lb1 (150) takes over after its delay" lab_wait_log lb1 "\(VI_1\) Entering MASTER STATE" 5
# from the worker's start of the delay (a worker under ASan takes a while
# to start; the delay counts from when it does)
t0=$(ms lb1 "Delaying startup")
t1=$(ms lb1 "\(VI_1\) Entering MASTER STATE")
held=$(( t1 - t0 ))
echo "# lb1 became master ${held} ms after its VRRP worker started the delay (vrrp_startup_delay 1)"
grep -E "Starting VRRP|Delaying|BACKUP STATE|MASTER STATE" "$LAB_TMP/lb1.log" | sed 's/^/#   /'
# keepalived's rule: the delay, then a whole Master_Down_Interval
# (3 x 0.2 s + skew 0.083 s); without the delay about 0.7 s
check "lb1 held back for the delay and a Master_Down_Interval (>= 1650 ms)" [ "$held" -ge 1650 ]
check "lb1 not held longer (< 3000 ms)" [ "$held" -lt 3000 ]
check "virtual_rule moved to lb1" wait_true 2 vrule_on lb1
check "virtual_rule left lb2" wait_true 2 sh -c "! ip -n ${P}lb2 rule show | grep -q '^2000:'"
check "lb2 (now backup) keeps its statics" statics_on lb2

# ---- 3. reload: only the difference ----------------------------------------------------
ip -n "${P}lb2" monitor address route rule > "$LAB_TMP/mon.txt" 2>&1 &
MON=$!
LAB_PIDS="$LAB_PIDS $MON"
sleep 0.2
m2=$(lab_mark lb2)
conf lb2 100 "" "    10.99.2.0/24 dev eth0 table 100 metric 7
    fd00:99::/64 via fd00:11:12::254 dev eth0 pref high mtu lock 1400 congctl cubic
    10.99.4.0/24 via 10.11.12.253 dev eth0" > "$LAB_TMP/lb2.conf"
kill -HUP "$PID_lb2"
check "reload: counted" lab_wait_since lb2 "$m2" "static addresses/routes/rules: 6 kept, 1 removed, 1 added" 5
check "reload: the new route appears" wait_true 2 has lb2 "route show" "10\.99\.4\.0/24 via 10\.11\.12\.253"
check "reload: the removed route goes" wait_true 2 sh -c "! ip -n ${P}lb2 route show | grep -q '10\.99\.1\.0/24'"
sleep 0.3
kill "$MON" 2>/dev/null
check "monitor saw the removal" grep -qE "^Deleted 10\.99\.1\.0/24" "$LAB_TMP/mon.txt"
check "monitor saw the addition" grep -qE "^10\.99\.4\.0/24 via" "$LAB_TMP/mon.txt"
check "reload: no event for the kept address, route and rules" \
	sh -c "! grep -E '192\.168\.77\.|10\.99\.2\.0|fd00:99::|10\.99\.3\.0|fwmark|10\.99\.9\.0' '$LAB_TMP/mon.txt'"
check "reload: lb2 still has what stayed" wait_true 1 sh -c "
	ip -n ${P}lb2 addr show dev lo | grep -q 192.168.77.100 &&
	ip -n ${P}lb2 route show table 100 | grep -q 10.99.2.0/24 &&
	ip -n ${P}lb2 rule show | grep -q '^1002:'"

# ---- 4. lb2 stops ------------------------------------------------------------------------
lab_kill lb2 TERM
check "lb2 stopped" wait_true 5 sh -c "[ -z \"\$(ip netns pids ${P}lb2)\" ]"
check "lb2: statics removed at stop" wait_true 1 statics_off lb2
check "lb2: the added route removed too" sh -c "! ip -n ${P}lb2 route show | grep -q 10.99.4.0"
check "lb2: shutdown_script ran after the workers (static address gone)" \
	wait_mark "$LAB_TMP/stop-lb2.mark" absent 1
check "lb1 stays master with its virtual_rule" vrule_on lb1

# ---- 5. a startup_script that hangs ---------------------------------------------------
printf '#!/bin/sh\nsleep 30\n' > "$LAB_TMP/hang.sh"
chmod 755 "$LAB_TMP/hang.sh"
lab_vigil cl "global_defs {
    startup_script $LAB_TMP/hang.sh
    startup_script_timeout 1
}
static_ipaddress {
    192.168.78.1/32 dev lo
    192.168.78.2/32 dev dum$$
}
static_routes {
    10.98.0.0/24 dev dum$$
}"
check "hanging startup_script: timed out" lab_wait_log cl "startup script timed out" 4
check "hanging startup_script: the daemon starts anyway" wait_true 3 \
	has cl "addr show dev lo" "192\.168\.78\.1/32"
check "hanging startup_script: no sleep left behind" \
	sh -c "! ip netns pids ${P}cl | xargs -r ps -o args= -p | grep -q 'sleep 30'"
check "missing interface: logged" lab_wait_log cl "static_routes line [0-9]+: cannot install route 10\.98\.0\.0/24: its interface does not exist" 2
ip -n "${P}cl" link add "dum$$" type veth peer name "dum$$"p
ip -n "${P}cl" link set "dum$$" up
check "missing interface: the route is installed when it appears" wait_true 3 \
	has cl "route show" "10\.98\.0\.0/24 dev dum$$"
check "missing interface: the address too" has cl "addr show dev dum$$" "192\.168\.78\.2/32"
check "missing interface: its installation logged" lab_wait_log cl "static_routes line [0-9]+: route 10\.98\.0\.0/24 installed" 1
ip -n "${P}cl" link del "dum$$"
ip -n "${P}cl" link add "dum$$" type veth peer name "dum$$"p
ip -n "${P}cl" link set "dum$$" up
check "interface recreated: the route is back" wait_true 3 \
	has cl "route show" "10\.98\.0\.0/24 dev dum$$"
check "interface recreated: the address is back" wait_true 1 \
	has cl "addr show dev dum$$" "192\.168\.78\.2/32"
t0=$(ms cl "Starting vigil")
t1=$(ms cl "startup script timed out")
echo "# the hanging startup_script was killed $(( t1 - t0 )) ms after the start (timeout 1 s)"
check "killed at its timeout (1000..2500 ms)" [ $(( t1 - t0 )) -ge 1000 -a $(( t1 - t0 )) -lt 2500 ]
lab_kill cl TERM
lab_kill lb1 TERM
check "lb1 stopped: statics removed" wait_true 5 statics_off lb1
check "lb1: its virtual_rule removed" sh -c "! ip -n ${P}lb1 rule show | grep -q '^2000:'"

# ---- 6. keepalived's reference -----------------------------------------------------
# keepalived 2.2.7 alone in lb2 with the same file (and the delay): the
# statics while it is backup, its startup_script before its children,
# master only after the delay, and everything removed at stop.
if lab_reference && command -v keepalived >/dev/null; then
	: > "$LAB_TMP/lb2.log"
	rm -f "$LAB_TMP/start-lb2.mark" "$LAB_TMP/stop-lb2.mark"
	t0=$(date +%s%N)
	lab_keepalived lb2 "$(conf lb2 100 "vrrp_startup_delay 1" "$ROUTES")"
	check "keepalived: startup_script saw no static item" wait_mark "$LAB_TMP/start-lb2.mark" absent 3
	check "keepalived (backup, in its delay): statics installed" wait_true 3 statics_on lb2
	check "keepalived (backup): no virtual_rule" sh -c "! ip -n ${P}lb2 rule show | grep -q '^2000:'"
	check "keepalived: master after its delay" lab_wait_log lb2 "\(VI_1\) Entering MASTER STATE" 5
	held=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "# keepalived became master ${held} ms after its start (startup_script 0.3 s, vrrp_startup_delay 1)"
	check "keepalived: held back for the delay and a Master_Down_Interval too" [ "$held" -ge 1650 ]
	check "keepalived (master): virtual_rule installed" wait_true 2 vrule_on lb2
	lab_kill lb2 TERM
	check "keepalived: statics removed at stop" wait_true 5 statics_off lb2
	check "keepalived: shutdown_script ran after they went" wait_mark "$LAB_TMP/stop-lb2.mark" absent 3
fi
lab_summary
