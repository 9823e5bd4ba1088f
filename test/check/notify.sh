#!/bin/sh
# notify.sh - the checker side's notifications end to end: notify_up and
# notify_down scripts, quorum_up and quorum_down scripts, and smtp_alert
# emails, and the notify FIFO lines (lvs_notify_fifo with its reader
# script, the global notify_fifo, which under -C the checker owns), driven
# by a real TCP server going down and coming back.
#
#   director (vigild -C, smtpsink on its 127.0.0.1)  eth0 10.5.0.1/24
#       ==veth==  eth0 10.5.0.2, 10.5.0.3/24  backend (servers.py tcp)
#
# One virtual server with two real servers of weight 1 and quorum 2: when
# 10.5.0.2 stops, its notify_down runs, then the virtual server loses its
# quorum (quorum_down); when it comes back, notify_up, then quorum_up.
# Every script appends its arguments to one file, so the test sees which
# ran, with what, and in which order. keepalived sends one email per
# checker transition: subject "[<router_id>] Realserver [ip]:tcp:port of
# virtual server [ip]:tcp:port - DOWN|UP", body "=> TCP CHECK failed|succeed
# on service <=" (keepalived 2.2.7 smtp.c and check_tcp.c); the local SMTP
# sink (test/tools/smtpsink) must receive exactly those two, and none at
# start (a first verdict that confirms the starting state sends nothing).
#
# Usage: VIGILD=build/vigild sh test/check/notify.sh
# Environment: VIGILD (required); SMTPSINK (default: test/tools/smtpsink
# beside VIGILD); VIGIL_TIMING_LOCK (default /tmp/vigil-timing-tests.lock).
# Ends with "N passed, N failed"; exits 1 on any failure, 77 when it cannot
# run here (not root, no namespaces, no python3).
set -u
VIGILD=${VIGILD:?VIGILD must name the vigild to test}
case $VIGILD in /*) ;; *) VIGILD=$(pwd)/$VIGILD ;; esac
[ -x "$VIGILD" ] || { echo "no $VIGILD"; exit 99; }
SMTPSINK=${SMTPSINK:-$(dirname "$VIGILD")/test/tools/smtpsink}
[ -x "$SMTPSINK" ] || { echo "no $SMTPSINK (make test/tools/smtpsink)"; exit 99; }
HERE=$(cd "$(dirname "$0")" && pwd)

for tool in python3 ip; do
	command -v $tool >/dev/null 2>&1 || { echo "SKIP: no $tool"; exit 77; }
done
if [ "$(id -u)" -ne 0 ] || ! ip netns add "vnop$$" 2>/dev/null; then
	echo "SKIP: needs root and network namespaces"
	exit 77
fi
ip netns del "vnop$$"

ND=vnod$$ # director
NB=vnob$$ # backend
T=$(mktemp -d /tmp/vigil-notify.XXXXXX)
LOG=$T/vigild.log
NOTES=$T/notes
MAIL=$T/mail
PASS=0
FAIL=0

cleanup() {
	trap - EXIT INT TERM
	for ns in "$ND" "$NB"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
	done
	for ns in "$ND" "$NB"; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

. "$(dirname "$0")/../timing-lock.sh"
timing_lock

ok() { echo "ok - $1"; PASS=$((PASS + 1)); }
bad() {
	echo "FAIL - $1"; FAIL=$((FAIL + 1))
	echo "--- log (last 15 lines)"; tail -15 "$LOG" 2>/dev/null
	echo "--- notes"; cat "$NOTES" 2>/dev/null; echo "---"
}
check() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
fatal() { bad "$1"; echo "$PASS passed, $FAIL failed"; exit 1; }
eq() { [ "$1" = "$2" ] || { printf '  got:\n%s\n  want:\n%s\n' "$1" "$2"; return 1; }; }

# wait_for SECONDS COMMAND...: COMMAND succeeds within SECONDS
wait_for() {
	wn=$(( $1 * 10 )); shift
	i=0
	while [ $i -lt $wn ]; do "$@" && return 0; sleep 0.1; i=$((i + 1)); done
	return 1
}
lines() { if [ -f "$1" ]; then wc -l < "$1" | tr -d ' '; else echo 0; fi; }
# notes_from N: the notes after the first N lines
notes_from() { tail -n "+$(( $1 + 1 ))" "$NOTES" 2>/dev/null; }
has_notes() { [ "$(notes_from "$1" | wc -l)" -ge "$2" ]; }
in_log() { grep -qF -- "$1" "$LOG"; }
# log_order A B: the first line with A comes before the first line with B
log_order() {
	a=$(grep -nF -- "$1" "$LOG" | head -1 | cut -d: -f1)
	b=$(grep -nF -- "$2" "$LOG" | head -1 | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
}
mails() { grep -c '^=== message' "$MAIL" 2>/dev/null || true; }
has_mails() { [ "$(mails)" -ge "$1" ]; }
# mail_part N WHAT: message N's header WHAT ("Subject", "To"...) or "body"
mail_part() {
	awk -v n="$1" -v w="$2" '
		/^=== message / { m = $3; data = 0; hdr = 0; next }
		m != n { next }
		/^--- data/ { data = 1; hdr = 1; next }
		/^=== end/ { m = 0; next }
		data && hdr && /^$/ { hdr = 0; next }
		data && hdr && w != "body" && index($0, w ": ") == 1 { print substr($0, length(w) + 3) }
		data && !hdr && w == "body" && NF { print }' "$MAIL" | tr -d '\r'
}

# ---- the lab ----------------------------------------------------------------------
if ! ip netns add "$ND" || ! ip netns add "$NB"; then fatal "cannot create the namespaces"; fi
ip -n "$ND" link add eth0 type veth peer name eth0 netns "$NB" || fatal "cannot create the veth pair"
for ns in "$ND" "$NB"; do
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
done
ip -n "$ND" addr add 10.5.0.1/24 dev eth0
ip -n "$NB" addr add 10.5.0.2/24 dev eth0
ip -n "$NB" addr add 10.5.0.3/24 dev eth0

start_tcp() {
	ip netns exec "$NB" python3 "$HERE/servers.py" tcp "$1" 80 > /dev/null 2>&1 9>&- &
	echo $! > "$T/tcp-$1.pid"
	ip netns exec "$NB" python3 "$HERE/servers.py" wait tcp "$1" 80 10 9>&- ||
		fatal "listener $1:80 did not start"
}
stop_tcp() {
	pid=$(cat "$T/tcp-$1.pid")
	kill "$pid" 2>/dev/null
	wait_for 5 sh -c "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null
}
start_tcp 10.5.0.2
start_tcp 10.5.0.3

# The SMTP sink on the director's loopback: at most 10 messages, 120 s.
ip netns exec "$ND" "$SMTPSINK" -n 10 -t 120 -o "$MAIL" > "$T/sink.out" 2>&1 9>&- &
wait_for 5 grep -q '^PORT ' "$T/sink.out" || fatal "smtpsink did not start"
PORT=$(sed -n 's/^PORT //p' "$T/sink.out")

cat > "$T/reader.sh" <<EOS
#!/bin/sh
while read -r line; do echo "\$line" >> "$T/lvsfifo.lines"; done < "\$1"
EOS
chmod 755 "$T/reader.sh"
cat > "$T/note.sh" <<EOS
#!/bin/sh
echo "\$*" >> "$NOTES"
EOS
chmod 755 "$T/note.sh"
: > "$NOTES"

rs() { # ADDR
	cat <<EOR
    real_server $1 80 {
        weight 1
        notify_up "$T/note.sh notify_up $1"
        notify_down "$T/note.sh notify_down $1"
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
EOR
}
cat > "$T/vigil.conf" <<EOC
global_defs {
    router_id notify-test
    script_user root
    notification_email {
        ops@example.com
    }
    notification_email_from vigil@example.com
    smtp_server 127.0.0.1 $PORT
    smtp_connect_timeout 5
    smtp_alert
    notify_fifo $T/fifo
    lvs_notify_fifo $T/lvsfifo
    lvs_notify_fifo_script $T/reader.sh
}
virtual_server 10.5.0.100 80 {
    delay_loop 1
    lvs_sched rr
    lvs_method NAT
    protocol TCP
    warmup 0
    quorum 2
    quorum_up "$T/note.sh quorum_up 10.5.0.100:80"
    quorum_down "$T/note.sh quorum_down 10.5.0.100:80"
$(rs 10.5.0.2)
$(rs 10.5.0.3)
}
EOC
"$VIGILD" -t -f "$T/vigil.conf" > "$T/conftest.out" 2>&1 ||
	{ cat "$T/conftest.out"; fatal "vigild -t rejects the test configuration"; }

ip netns exec "$ND" "$VIGILD" -C -n -l -D -f "$T/vigil.conf" -p "$T/vigild.pid" \
	>> "$LOG" 2>&1 9>&- &

VS="[10.5.0.100]:tcp:80"
RS="[10.5.0.2]:tcp:80"

# ---- at start: both up, nothing to tell ---------------------------------------------
check "both servers up at start" wait_for 15 sh -c "
	grep -qF 'TCP connection to $RS success.' '$LOG' &&
	grep -qF 'TCP connection to [10.5.0.3]:tcp:80 success.' '$LOG'"
sleep 1.5
check "start: no script ran (the state did not change)" eq "$(cat "$NOTES")" ""
check "start: no email (a first verdict that confirms the start sends nothing)" eq "$(mails)" 0

# ---- 10.5.0.2 goes down: notify_down, then quorum_down; a DOWN email --------------------
n=$(lines "$NOTES")
stop_tcp 10.5.0.2
check "down: removed" wait_for 15 in_log "Removing service $RS from VS $VS"
check "down: quorum lost (1 < 2)" wait_for 5 in_log "Lost quorum 2-0=2 > 1 for VS $VS"
check "down: two scripts ran" wait_for 5 has_notes "$n" 2
check "down: notify_down with its arguments, then quorum_down with its own" eq \
	"$(notes_from "$n" | sort)" "$(printf 'notify_down 10.5.0.2\nquorum_down 10.5.0.100:80')"
check "down: keepalived's log line for notify_down" \
	in_log "Executing [$T/note.sh notify_down 10.5.0.2] for service $RS in VS $VS"
check "down: notify_down started before quorum_down (keepalived's order)" log_order \
	"Executing [$T/note.sh notify_down 10.5.0.2]" "Executing [$T/note.sh quorum_down 10.5.0.100:80]"
check "down: no notify for the server that stayed up" sh -c "! grep -q 10.5.0.3 '$NOTES'"
check "down: one email arrives" wait_for 10 has_mails 1
check "down: keepalived's subject" eq "$(mail_part 1 Subject)" \
	"[notify-test] Realserver $RS of virtual server $VS - DOWN"
check "down: keepalived's body" eq "$(mail_part 1 body)" "=> TCP CHECK failed on service <="
check "down: From and To as configured" eq "$(mail_part 1 From) $(mail_part 1 To)" \
	"vigil@example.com ops@example.com"
check "down: envelope recipient" grep -qx 'RCPT TO:<ops@example.com>' "$MAIL"

# ---- 10.5.0.2 comes back: notify_up, then quorum_up; an UP email ------------------------
n=$(lines "$NOTES")
start_tcp 10.5.0.2
check "up: added again" wait_for 15 in_log "Adding service $RS to VS $VS"
check "up: quorum gained (2 >= 2)" wait_for 5 in_log "Gained quorum 2+0=2 <= 2 for VS $VS"
check "up: two scripts ran" wait_for 5 has_notes "$n" 2
check "up: notify_up with its arguments, then quorum_up with its own" eq \
	"$(notes_from "$n" | sort)" "$(printf 'notify_up 10.5.0.2\nquorum_up 10.5.0.100:80')"
check "up: notify_up started before quorum_up (keepalived's order)" log_order \
	"Executing [$T/note.sh notify_up 10.5.0.2]" "Executing [$T/note.sh quorum_up 10.5.0.100:80]"
check "up: a second email arrives" wait_for 10 has_mails 2
check "up: keepalived's subject" eq "$(mail_part 2 Subject)" \
	"[notify-test] Realserver $RS of virtual server $VS - UP"
check "up: keepalived's body" eq "$(mail_part 2 body)" "=> TCP CHECK succeed on service <="

# ---- nothing more ---------------------------------------------------------------------
sleep 2
check "in all: exactly four script runs" eq "$(lines "$NOTES")" 4
check "in all: exactly two emails" eq "$(mails)" 2
check "no notify script failed" sh -c "! grep -qF 'notify script [' '$LOG'"
# keepalived's lines, the real server's before its virtual server's.
printf '%s\n' "RS $RS $VS DOWN" "VS $VS DOWN" "RS $RS $VS UP" "VS $VS UP" > "$T/fifo.want"
check "lvs_notify_fifo: its reader read keepalived's four lines, in order" \
	cmp -s "$T/lvsfifo.lines" "$T/fifo.want"
timeout 2 cat "$T/fifo" > "$T/fifo.out" 2>/dev/null
check "notify_fifo: the same four lines (-C: the checker made it)" cmp -s "$T/fifo.out" "$T/fifo.want"
check "vigild still running" kill -0 "$(cat "$T/vigild.pid" 2>/dev/null || echo 0)"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
