#!/bin/sh
# judgement.sh - issue 16's cases end to end: where real servers found
# vigil's checkers judging differently from keepalived, each against a real
# listener (test/check/servers.py http) or a real script, with vigild -C.
#
#   one namespace: vigild -C and servers.py http on its 127.0.0.1
#
# The namespace keeps vigild's IPVS table (or its absence: the worker then
# logs "IPVS not available ... retrying" and checks anyway) away from the
# host's; nothing leaves it. The test looks at vigild's log (-D):
#   misc_path missing      vigild -t warns at file:line:col; at run time
#                          "Disabling misc script ... since not
#                          found/accessible" and the server stays in;
#   misc_dynamic + reload  exit 2 (weight 0), SIGHUP, exit 0: weight 7 again;
#   two dynamic checkers   exits 5 and 10 on weight 7: weight 4, set once;
#   retry 1, dead at start "TCP_CHECK on service ... failed after 1 retries.";
#   HTTP_GET               three urls of 0.3 s under connect_timeout 0.5; a
#                          1,100-byte url; a reply 95 bytes short of its
#                          Content-Length (logged, judged: up); 100 Continue,
#                          bare LF and a 40 KiB head with a digest: all up;
#   SSL_GET                the same pages over TLS (servers.py https, when
#                          openssl can make a certificate): up, the short
#                          one logged; an 80 KiB head: down, as HTTP_GET.
#
# Usage: VIGILD=build/vigild sh test/check/judgement.sh
# Ends with "N passed, N failed"; exits 1 on any failure, 77 when it cannot
# run here (not root, no namespaces, no python3).
set -u
VIGILD=${VIGILD:?VIGILD must name the vigild to test}
case $VIGILD in /*) ;; *) VIGILD=$(pwd)/$VIGILD ;; esac
[ -x "$VIGILD" ] || { echo "no $VIGILD"; exit 99; }
HERE=$(cd "$(dirname "$0")" && pwd)

command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
command -v ip >/dev/null 2>&1 || { echo "SKIP: no ip"; exit 77; }
NS=vjud$$
if [ "$(id -u)" -ne 0 ] || ! ip netns add "$NS" 2>/dev/null; then
	echo "SKIP: needs root and network namespaces"
	exit 77
fi
T=$(mktemp -d /tmp/vigil-judgement.XXXXXX)
LOG=$T/vigild.log
PASS=0
FAIL=0

cleanup() {
	trap - EXIT INT TERM
	for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ip netns exec "$NS" ip link set lo up

ok() { echo "ok - $1"; PASS=$((PASS + 1)); }
bad() {
	echo "FAIL - $1"; FAIL=$((FAIL + 1))
	[ -f "$LOG" ] && { echo "--- log, last 15 lines"; grep -vF 'attempt failed' "$LOG" | tail -15; echo "---"; }
}
check() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
fatal() { bad "$1"; echo "$PASS passed, $FAIL failed"; exit 1; }
mark() { if [ -f "$LOG" ]; then wc -l < "$LOG" | tr -d ' '; else echo 0; fi; }
since() { tail -n "+$(( $1 + 1 ))" "$LOG" 2>/dev/null; }
# seen MARK TEXT SECONDS: a line after MARK contains TEXT
seen() {
	i=0
	while [ $i -lt $(( $3 * 10 )) ]; do
		since "$1" | grep -qF -- "$2" && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
expect() { check "$1" seen "$2" "$3" "$4"; }
not_seen() { ! since "$1" | grep -qF -- "$2"; }
count() { since "$1" | grep -cF -- "$2"; }
eq() { [ "$1" = "$2" ] || { echo "  got '$1', want '$2'"; return 1; }; }

# ---- the lab ------------------------------------------------------------------
HTTP=18080
DEAD=18081
HTTPS=18443
ip netns exec "$NS" python3 "$HERE/servers.py" http 0.0.0.0 $HTTP >/dev/null 2>&1 &
ip netns exec "$NS" python3 "$HERE/servers.py" wait tcp 127.0.0.1 $HTTP 10 ||
	fatal "servers.py http did not start"
TLS=0
if command -v openssl >/dev/null 2>&1 &&
   openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 \
	-keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1; then
	ip netns exec "$NS" python3 "$HERE/servers.py" https 0.0.0.0 $HTTPS "$T/cert.pem" "$T/key.pem" \
		>/dev/null 2>&1 &
	ip netns exec "$NS" python3 "$HERE/servers.py" wait tcp 127.0.0.1 $HTTPS 10 && TLS=1
fi
[ $TLS = 1 ] || echo "# no openssl certificate or TLS server here: the SSL_GET cases are left out"

# rc_script NAME RC: $T/NAME exits with the number in $T/NAME.rc
rc_script() {
	echo "$2" > "$T/$1.rc"
	[ -x "$T/$1" ] && return
	printf '#!/bin/sh\nexit $(cat %s/%s.rc)\n' "$T" "$1" > "$T/$1"
	chmod 755 "$T/$1"
}
rc_script dyn 2
rc_script five 5
rc_script ten 10
chmod 755 "$T"
HELLO=$(printf hello | md5sum | cut -d' ' -f1)
LONG=/long?token=$(head -c 1100 /dev/zero | tr '\0' a)

url() { printf '        url {\n            path %s\n%s        }\n' "$1" "${2:+            digest $2
}"; }
http_rs() { # ADDR URLS...
	a=$1; shift
	printf '    real_server %s %s {\n        HTTP_GET {\n            connect_port %s\n' "$a" $HTTP $HTTP
	printf '            connect_timeout 0.5\n            retry 0\n'
	for u in "$@"; do printf '%s\n' "$u"; done
	printf '        }\n    }\n'
}
https_rs() { # ADDR URLS...
	[ $TLS = 1 ] || return 0
	a=$1; shift
	printf '    real_server %s %s {\n        SSL_GET {\n            connect_port %s\n' "$a" $HTTPS $HTTPS
	printf '            connect_timeout 0.5\n            retry 0\n'
	for u in "$@"; do printf '%s\n' "$u"; done
	printf '        }\n    }\n'
}

conf() { # $1: 1 with misc_dynamic on 127.0.0.4
	cat <<EOF
global_defs {
    router_id judgement
}
virtual_server 10.6.0.100 80 {
    delay_loop 0.5
    lb_kind NAT
    protocol TCP
    real_server 127.0.0.2 80 {
        MISC_CHECK {
            misc_path $T/no-such-check.sh
        }
    }
    real_server 127.0.0.3 80 {
        TCP_CHECK {
            connect_port $DEAD
            connect_timeout 0.5
            retry 1
            delay_before_retry 0.2
        }
    }
    real_server 127.0.0.4 80 {
        weight 7
        MISC_CHECK {
            misc_path $T/dyn
$( [ "$1" = 1 ] && echo "            misc_dynamic" )
        }
    }
    real_server 127.0.0.5 80 {
        weight 7
        MISC_CHECK {
            misc_path $T/five
            misc_dynamic
        }
        MISC_CHECK {
            misc_path $T/ten
            misc_dynamic
        }
    }
$(http_rs 127.0.0.6 "$(url /delay/300)" "$(url /delay/300)" "$(url /delay/300)")
$(http_rs 127.0.0.7 "$(url "$LONG")")
$(http_rs 127.0.0.8 "$(url /short "$HELLO")")
$(http_rs 127.0.0.9 "$(url /continue "$HELLO")" "$(url /lf "$HELLO")" "$(url /bighead/40 "$HELLO")")
$(https_rs 127.0.0.10 "$(url /short "$HELLO")" "$(url /continue "$HELLO")" "$(url /lf "$HELLO")" "$(url /bighead/40 "$HELLO")")
$(https_rs 127.0.0.11 "$(url /bighead/80 "$HELLO")")
$(http_rs 127.0.0.12 "$(url /bighead/80 "$HELLO")")
}
EOF
}
conf 1 > "$T/vigil.conf"

# ---- vigild -t: the missing misc_path is a warning at its place -----------------
"$VIGILD" -t -f "$T/vigil.conf" > "$T/t.out" 2>&1
rc=$?
line=$(grep -n 'MISC_CHECK {' "$T/vigil.conf" | head -1 | cut -d: -f1)
check "vigild -t accepts the configuration (exit $rc)" [ $rc -eq 0 ]
check "vigild -t warns about the missing misc_path at its file:line" \
	grep -qE "^$T/vigil.conf:$line:[0-9]+: warning: MISC_CHECK misc_path '$T/no-such-check.sh' does not exist; the checker is left out" "$T/t.out"
grep -F 'misc_path' "$T/t.out" | head -2

# ---- vigild -C ---------------------------------------------------------------------
ip netns exec "$NS" "$VIGILD" -C -n -l -D -f "$T/vigil.conf" -p "$T/vigild.pid" >> "$LOG" 2>&1 &
M0=0
VS="[10.6.0.100]:tcp:80"

expect "missing misc_path: keepalived's line" $M0 \
	"Disabling misc script $T/no-such-check.sh since not found/accessible" 10
expect "retry 1, dead at start: 'failed after 1 retries.'" $M0 \
	"TCP_CHECK on service [127.0.0.3]:tcp:$DEAD failed after 1 retries." 10
expect "misc_dynamic exit 2: weight 7 -> 0" $M0 \
	"Changing weight from 7 to 0 for active service [127.0.0.4]:tcp:80 of VS $VS" 10
expect "two dynamic checkers: weight 4" $M0 \
	"to 4 for active service [127.0.0.5]:tcp:80 of VS $VS" 10
expect "three urls of 0.3 s under connect_timeout 0.5: up" $M0 \
	"Remote Web server [127.0.0.6]:tcp:$HTTP succeed on service." 10
expect "a reply short of its Content-Length: the mismatch logged" $M0 \
	"http_check for RS [127.0.0.8]:tcp:$HTTP VS $VS url /short: content_length (100) does not match received bytes (5)" 10
sleep 3
check "missing misc_path: its server stays in service" not_seen $M0 "service [127.0.0.2]:tcp:80 from VS"
for a in 127.0.0.6 127.0.0.7 127.0.0.8 127.0.0.9; do
	check "HTTP_GET [$a]: never removed" not_seen $M0 "service [$a]:tcp:$HTTP from VS"
done
check "HTTP_GET: no failure but the 80 KiB head" \
	sh -c "! grep -F 'HTTP_CHECK on service' '$LOG' | grep -vF -e '[127.0.0.11]' -e '[127.0.0.12]'"
check "HTTP_GET, an 80 KiB head: down, and why" \
	grep -qF "HTTP_GET [127.0.0.12]:tcp:$HTTP: reply head over 65536 bytes on url(/bighead/80)" "$LOG"
if [ $TLS = 1 ]; then
	check "SSL_GET: short, 100 Continue, bare LF, 40 KiB head: up" \
		grep -qF "Remote Web server [127.0.0.10]:tcp:$HTTPS succeed on service." "$LOG"
	check "SSL_GET: never removed" not_seen $M0 "service [127.0.0.10]:tcp:$HTTPS from VS"
	check "SSL_GET: the short reply's mismatch logged" grep -qF \
		"http_check for RS [127.0.0.10]:tcp:$HTTPS VS $VS url /short: content_length (100) does not match received bytes (5)" "$LOG"
	check "SSL_GET, an 80 KiB head: down, and why" \
		grep -qF "SSL_GET [127.0.0.11]:tcp:$HTTPS: reply head over 65536 bytes on url(/bighead/80)" "$LOG"
fi
check "the short reply's mismatch logged once" \
	eq "$(count $M0 "[127.0.0.8]:tcp:$HTTP VS $VS url /short: content_length")" 1
check "two dynamic checkers: at most two weight changes (7->3->4 or 7->4), no flapping" \
	[ "$(count $M0 'service [127.0.0.5]:tcp:80 of VS')" -le 2 ]
check "two dynamic checkers: the last weight is 4" \
	sh -c "grep -F 'service [127.0.0.5]:tcp:80 of VS' '$LOG' | tail -1 | grep -qF 'to 4 for'"

# ---- misc_dynamic across a reload ------------------------------------------------------
m=$(mark)
kill -HUP "$(cat "$T/vigild.pid")"
expect "SIGHUP: reloaded" "$m" "checker: configuration reloaded" 10
rc_script dyn 0
expect "after the reload, exit 0 gives weight 7 back" "$m" \
	"Changing weight from 0 to 7 for active service [127.0.0.4]:tcp:80 of VS $VS" 10
# misc_dynamic taken out by a reload: exit 0 keeps the configured weight.
rc_script dyn 2
expect "exit 2 again: weight 0" "$m" \
	"Changing weight from 7 to 0 for active service [127.0.0.4]:tcp:80 of VS $VS" 10
rc_script dyn 0
conf 0 > "$T/vigil.conf"
m=$(mark)
kill -HUP "$(cat "$T/vigild.pid")"
expect "SIGHUP without misc_dynamic: reloaded" "$m" "checker: configuration reloaded" 10
sleep 2
check "misc_dynamic taken out: the server is up at weight 7 (no weight line, no removal)" \
	sh -c "! tail -n +$((m + 1)) '$LOG' | grep -F '[127.0.0.4]:tcp:80' | grep -qE 'Changing weight from 7|from VS'"

echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
