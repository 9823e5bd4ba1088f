#!/bin/sh
# checkers.sh - every health checker kind end to end, against real
# listeners, with vigild -C (the checker worker only).
#
#   director (vigild -C)  eth0 10.5.0.1/24 ==veth== eth0 10.5.0.2-10.5.0.9/24  backend
#
# Two namespaces joined by a veth pair; all traffic stays inside them. The
# backend runs the listeners (python3 -m http.server, openssl s_server with
# a certificate made here, and test/check/servers.py for TCP, UDP echo,
# SMTP and DNS); MISC_CHECK scripts and the FILE_CHECK track file live in a
# temporary directory. This kernel may have no IPVS: the worker then logs
# "IPVS not available ... retrying" and runs the checks anyway, which is
# all this test looks at (the log, at -D).
#
# For each kind: up at start (keepalived's success line), down when its
# listener stops (the failure line and "Removing service"), up again when
# it comes back ("Adding service"). TCP_CHECK and HTTP_GET run with retry
# 2: exactly 3 failed attempts ("attempt failed ... N of 2 retries used")
# between the success line and the down line. Also: HTTP status code and
# digest mismatches, SSL_GET with a CA that does not match (down) and one
# that does (up) in global SSL { ca }, misc_dynamic weight changes, and a
# MISC_CHECK that hangs past misc_timeout.
#
# Usage: VIGILD=build/vigild sh test/check/checkers.sh
# Environment: VIGILD (required); VIGIL_TIMING_LOCK, the lock file that
# serializes timing tests (default /tmp/vigil-timing-tests.lock);
# CHECKERS_KEEP, a directory to copy the logs and files to before cleanup.
#
# Where vigil's line is not keepalived 2.2.7's, the test expects
# keepalived's (PING_CHECK, FILE_CHECK), except for the lines vigil
# documents as its own (SMTP_CHECK and DNS_CHECK, noted below).
# Ends with "N passed, N failed"; exits 1 on any failure, 77 when it cannot
# run here (not root, no namespaces, no python3 or openssl).
set -u
VIGILD=${VIGILD:?VIGILD must name the vigild to test}
case $VIGILD in /*) ;; *) VIGILD=$(pwd)/$VIGILD ;; esac
[ -x "$VIGILD" ] || { echo "no $VIGILD"; exit 99; }
HERE=$(cd "$(dirname "$0")" && pwd)

for tool in python3 openssl ip; do
	command -v $tool >/dev/null 2>&1 || { echo "SKIP: no $tool"; exit 77; }
done
if [ "$(id -u)" -ne 0 ] || ! ip netns add "vckp$$" 2>/dev/null; then
	echo "SKIP: needs root and network namespaces"
	exit 77
fi
ip netns del "vckp$$"

ND=vckd$$ # director
NB=vckb$$ # backend
T=$(mktemp -d /tmp/vigil-checkers.XXXXXX)
LOG=$T/vigild.log
PASS=0
FAIL=0
START=$(date +%s)

cleanup() {
	trap - EXIT INT TERM
	for ns in "$ND" "$NB"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
	done
	for ns in "$ND" "$NB"; do ip netns del "$ns" 2>/dev/null; done
	[ -n "${CHECKERS_KEEP:-}" ] && cp -r "$T" "$CHECKERS_KEEP"; rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Timing tests run one at a time (see test/vrrp/lib.sh); daemons and
# listeners are started with fd 9 closed. VIGIL_TIMING_LOCK names another
# lock file (a private one runs this test beside the others).
. "$(dirname "$0")/../timing-lock.sh"
timing_lock

ok() { echo "ok - $1"; PASS=$((PASS + 1)); }
bad() {
	echo "FAIL - $1"; FAIL=$((FAIL + 1))
	[ -f "$LOG" ] && {
		echo "--- $(basename "$LOG"), last 15 lines without the per-attempt ones"
		grep -vF 'attempt failed' "$LOG" | tail -15; echo "---"
	}
}
check() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
fatal() { bad "$1"; echo "$PASS passed, $FAIL failed"; exit 1; }

# mark: lines in the log now; since MARK: the lines after it
mark() { if [ -f "$LOG" ]; then wc -l < "$LOG" | tr -d ' '; else echo 0; fi; }
since() { tail -n "+$(( $1 + 1 ))" "$LOG" 2>/dev/null; }
# seen MARK TEXT SECONDS: a line after MARK contains TEXT (fixed string)
seen() {
	i=0
	while [ $i -lt $(( $3 * 10 )) ]; do
		since "$1" | grep -qF -- "$2" && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
# expect NAME MARK TEXT SECONDS
expect() { check "$1" seen "$2" "$3" "$4"; }
# not_seen MARK TEXT: no line after MARK contains TEXT
not_seen() { ! since "$1" | grep -qF -- "$2"; }

# attempts_between FROM TO WHAT: the lines containing WHAT after the last
# line containing FROM that precedes the first line containing TO after it
# ("-1" when the pair is not in the log)
attempts_between() {
	awk -v f="$1" -v t="$2" -v w="$3" '
		index($0, f) { n = 0; armed = 1; next }
		armed && index($0, t) { print n; found = 1; exit }
		armed && index($0, w) { n++ }
		END { if (!found) print -1 }' "$LOG"
}
retries_used_between() {
	awk -v f="$1" -v t="$2" -v w="$3" '
		index($0, f) { s = ""; armed = 1; next }
		armed && index($0, t) { print s; exit }
		armed && index($0, w) { sub(/.*, /, ""); sub(/ retries used.*/, ""); s = s (s ? "," : "") $0 }' "$LOG"
}
eq() { [ "$1" = "$2" ] || { echo "  got '$1', want '$2'"; return 1; }; }

# ---- the lab --------------------------------------------------------------------
if ! ip netns add "$ND" || ! ip netns add "$NB"; then fatal "cannot create the namespaces"; fi
ip -n "$ND" link add eth0 type veth peer name eth0 netns "$NB" || fatal "cannot create the veth pair"
for ns in "$ND" "$NB"; do
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
done
ip -n "$ND" addr add 10.5.0.1/24 dev eth0
for a in 2 3 4 5; do ip -n "$NB" addr add 10.5.0.$a/24 dev eth0; done
# ICMP echo for PING_CHECK needs the director allowed to open ping sockets
# (vigild may use raw sockets as root anyway).
ip netns exec "$ND" sysctl -qw net.ipv4.ping_group_range="0 2147483647" 2>/dev/null
ip netns exec "$ND" ping -c1 -W2 10.5.0.2 >/dev/null 2>&1 || fatal "the backend does not answer ping"

# ---- files --------------------------------------------------------------------------
mkdir "$T/www"
printf 'vigil checker test: ok\n' > "$T/www/ok.txt"
printf 'some other file\n' > "$T/www/other.txt"
OK_MD5=$(md5sum "$T/www/ok.txt" | cut -d' ' -f1)
OTHER_MD5=$(md5sum "$T/www/other.txt" | cut -d' ' -f1)

# A server certificate (self-signed, so it is its own CA) and an unrelated one.
mkcert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-subj "/CN=$1" -keyout "$T/$1.key" -out "$T/$1.pem" >/dev/null 2>&1
}
if ! mkcert backend || ! mkcert stranger; then fatal "openssl cannot make certificates"; fi

# MISC_CHECK scripts: exit with the code in a file; one that hangs while a
# file exists.
printf '0\n' > "$T/flip.rc"
printf '0\n' > "$T/dyn.rc"
cat > "$T/flip.sh" <<EOS
#!/bin/sh
exit \$(cat "$T/flip.rc")
EOS
cat > "$T/dyn.sh" <<EOS
#!/bin/sh
exit \$(cat "$T/dyn.rc")
EOS
cat > "$T/hang.sh" <<EOS
#!/bin/sh
[ -e "$T/hang.on" ] && sleep 61
exit 0
EOS
chmod 755 "$T/flip.sh" "$T/dyn.sh" "$T/hang.sh"
printf '0\n' > "$T/tf.val"

# ---- listeners in the backend -----------------------------------------------------------
# start_srv NAME COMMAND...: run in the backend, pid in $T/NAME.pid
start_srv() {
	name=$1; shift
	ip netns exec "$NB" "$@" > "$T/$name.out" 2>&1 9>&- &
	echo $! > "$T/$name.pid"
}
stop_srv() {
	[ -f "$T/$1.pid" ] || return 0
	pid=$(cat "$T/$1.pid")
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	kill -9 "$pid" 2>/dev/null
	rm -f "$T/$1.pid"
}
# wait_port tcp|udp ADDR PORT: the listener is there (bounded)
wait_port() {
	ip netns exec "$NB" python3 "$HERE/servers.py" wait "$1" "$2" "$3" 10 9>&-
}
start_tcp()  { start_srv tcp  python3 "$HERE/servers.py" tcp  10.5.0.2 80; }
start_http() { start_srv http python3 -m http.server --bind 0.0.0.0 --directory "$T/www" 8080; }
start_ssl()  {
	start_srv ssl openssl s_server -quiet -www -accept 10.5.0.2:443 \
		-cert "$T/backend.pem" -key "$T/backend.key"
}
start_smtp() { start_srv smtp python3 "$HERE/servers.py" smtp 10.5.0.2 25; }
start_dns()  { start_srv dns  python3 "$HERE/servers.py" dns  10.5.0.2 53; }
start_udp()  { start_srv udp  python3 "$HERE/servers.py" udp  10.5.0.2 7; }

start_tcp; start_http; start_ssl; start_smtp; start_dns; start_udp
for p in "tcp 10.5.0.2 80" "tcp 10.5.0.2 8080" "tcp 10.5.0.2 443" "tcp 10.5.0.2 25" \
	 "udp 10.5.0.2 53" "udp 10.5.0.2 7"; do
	# shellcheck disable=SC2086
	wait_port $p || fatal "listener $p did not start"
done

# ---- the configuration ----------------------------------------------------------------------
# vs PORT PROTO BODY: a virtual server 10.5.0.100:PORT around BODY
vs() {
	cat <<EOV
virtual_server 10.5.0.100 $1 {
    delay_loop 1
    lvs_sched rr
    lvs_method NAT
    protocol $2
    connect_timeout 1
    delay_before_retry 0.5
    warmup 0
$3
}
EOV
}
ssl_vs() {
	vs 443 TCP "    real_server 10.5.0.2 443 {
        SSL_GET {
            url {
                path /
            }
            retry 0
        }
    }"
}

{
	cat <<EOC
global_defs {
    router_id checkers-test
    script_user root
}
track_file tf {
    file "$T/tf.val"
    weight 1
}
EOC
	vs 80 TCP "    real_server 10.5.0.2 80 {
        TCP_CHECK {
            retry 2
        }
    }"
	vs 8080 TCP "    real_server 10.5.0.2 8080 {
        HTTP_GET {
            url {
                path /ok.txt
                digest $OK_MD5
            }
            retry 2
        }
    }
    real_server 10.5.0.3 8080 {
        HTTP_GET {
            url {
                path /nope.txt
            }
            retry 0
        }
    }
    real_server 10.5.0.4 8080 {
        HTTP_GET {
            url {
                path /ok.txt
                digest $OTHER_MD5
            }
            retry 0
        }
    }"
	ssl_vs
	vs 25 TCP "    real_server 10.5.0.2 25 {
        SMTP_CHECK {
            retry 1
        }
    }"
	vs 53 UDP "    real_server 10.5.0.2 53 {
        DNS_CHECK {
            retry 1
        }
    }"
	vs 7 UDP "    real_server 10.5.0.2 7 {
        UDP_CHECK {
            payload 76 69 67 69 6c
            require_reply 76 69 67 69 6c
            retry 1
        }
    }"
	vs 9000 TCP "    real_server 10.5.0.5 9000 {
        PING_CHECK {
            retry 1
        }
    }"
	vs 9001 TCP "    real_server 10.5.0.6 9001 {
        MISC_CHECK {
            misc_path $T/flip.sh
        }
    }
    real_server 10.5.0.7 9001 {
        weight 1
        MISC_CHECK {
            misc_path $T/dyn.sh
            misc_dynamic
        }
    }
    real_server 10.5.0.8 9001 {
        MISC_CHECK {
            misc_path $T/hang.sh
            misc_timeout 1
        }
    }
    real_server 10.5.0.9 9001 {
        FILE_CHECK {
            track_file tf
            weight 0
        }
    }"
} > "$T/vigil.conf"

# The same SSL_GET with verification on: global SSL { ca }, the CA that
# signed the server's certificate, and one that did not.
for which in backend stranger; do
	{ printf 'SSL {\n    ca %s\n}\n' "$T/$which.pem"; ssl_vs; } > "$T/ssl-$which.conf"
done

"$VIGILD" -t -f "$T/vigil.conf" > "$T/conftest.out" 2>&1 ||
	{ cat "$T/conftest.out"; fatal "vigild -t rejects the test configuration"; }

# vigild NAME CONF: start vigild -C in the director, log $T/NAME.log
run_vigild() {
	ip netns exec "$ND" "$VIGILD" -C -n -l -D -f "$2" -p "$T/$1.pid" \
		>> "$T/$1.log" 2>&1 9>&- &
}
run_vigild vigild "$T/vigil.conf"
run_vigild ssl-backend "$T/ssl-backend.conf"
run_vigild ssl-stranger "$T/ssl-stranger.conf"

VS80="[10.5.0.100]:tcp:80"
VS8080="[10.5.0.100]:tcp:8080"
VS443="[10.5.0.100]:tcp:443"
VS25="[10.5.0.100]:tcp:25"
VS53="[10.5.0.100]:udp:53"
VS7="[10.5.0.100]:udp:7"
VS9000="[10.5.0.100]:tcp:9000"
VS9001="[10.5.0.100]:tcp:9001"

# ---- up at start ---------------------------------------------------------------------------
M0=0
expect "keepalived's IPVS start line" $M0 "Initializing ipvs" 10
expect "worker runs without IPVS" $M0 "IPVS not available" 10
expect "keepalived's start line for each checker" $M0 \
	"Activating healthchecker for service [10.5.0.2]:tcp:80 for VS $VS80" 10
expect "keepalived's start line names a MISC_CHECK by its real server" $M0 \
	"Activating healthchecker for service [10.5.0.6]:tcp:9001 for VS $VS9001" 10
expect "TCP_CHECK up at start" $M0 "TCP connection to [10.5.0.2]:tcp:80 success." 15
expect "HTTP_GET up at start" $M0 "Remote Web server [10.5.0.2]:tcp:8080 succeed on service." 15
expect "SSL_GET (no verification) up at start" $M0 \
	"Remote Web server [10.5.0.2]:tcp:443 succeed on service." 15
expect "SMTP_CHECK up at start" $M0 "Remote SMTP server [10.5.0.2]:tcp:25 succeed on service." 15
expect "DNS_CHECK up at start" $M0 "DNS_CHECK ([10.5.0.2]:udp:53) succeed on service." 15
expect "UDP_CHECK up at start" $M0 "UDP connection to [10.5.0.2]:udp:7 success." 15
expect "PING_CHECK up at start" $M0 "ICMP connection to [10.5.0.5]:tcp:9000 success." 15
expect "MISC_CHECK up at start" $M0 \
	"Misc check for [[10.5.0.6]:tcp:9001 VS $VS9001] by [$T/flip.sh] succeeded." 15
expect "MISC_CHECK misc_dynamic up at start" $M0 \
	"Misc check for [[10.5.0.7]:tcp:9001 VS $VS9001] by [$T/dyn.sh] succeeded." 15
expect "MISC_CHECK (the one that will hang) up at start" $M0 \
	"Misc check for [[10.5.0.8]:tcp:9001 VS $VS9001] by [$T/hang.sh] succeeded." 15
# FILE_CHECK has no success line in keepalived 2.2.7: its state is set
# when the configuration is read, and only changes are logged (at -D)
check "FILE_CHECK at start: no 'leaving FAULT state' (it never was in FAULT; keepalived logs only changes)" \
	not_seen $M0 "([10.5.0.9]:tcp:9001): tracked file"
check "no server removed at start, but the ones meant to fail" sh -c "! grep -F 'Removing service' '$LOG' | grep -vF -e '[10.5.0.3]' -e '[10.5.0.4]'"

# ---- HTTP status code and digest mismatches: down from the start ---------------------------
expect "HTTP_GET 404: down" $M0 "HTTP_CHECK on service [10.5.0.3]:tcp:8080 failed." 15
expect "HTTP_GET 404: the detail names the status and url" $M0 \
	"HTTP_GET [10.5.0.3]:tcp:8080: HTTP status 404 on url(/nope.txt)" 5
expect "HTTP_GET 404: removed" $M0 "Removing service [10.5.0.3]:tcp:8080 from VS $VS8080" 5
expect "HTTP_GET digest mismatch: down" $M0 "HTTP_CHECK on service [10.5.0.4]:tcp:8080 failed." 15
expect "HTTP_GET digest mismatch: the detail names the digest and url" $M0 \
	"HTTP_GET [10.5.0.4]:tcp:8080: MD5 digest $OK_MD5 on url(/ok.txt)" 5
expect "HTTP_GET digest mismatch: removed" $M0 "Removing service [10.5.0.4]:tcp:8080 from VS $VS8080" 5

# ---- SSL_GET with verification on ----------------------------------------------------------
LOG=$T/ssl-backend.log
expect "SSL_GET, ca = the server's own CA: up" 0 \
	"Remote Web server [10.5.0.2]:tcp:443 succeed on service." 15
check "SSL_GET, ca = the server's own CA: never removed" not_seen 0 "Removing service"
LOG=$T/ssl-stranger.log
expect "SSL_GET, ca that did not sign the certificate: down" 0 \
	"HTTP_CHECK on service [10.5.0.2]:tcp:443 failed." 15
expect "SSL_GET, ca that did not sign the certificate: removed" 0 \
	"Removing service [10.5.0.2]:tcp:443 from VS $VS443" 5
check "SSL_GET, ca that did not sign the certificate: the detail says why" \
	sh -c "grep -F 'SSL_GET [10.5.0.2]:tcp:443: ' '$LOG' | grep -qi 'certificate'"
LOG=$T/vigild.log
for n in ssl-backend ssl-stranger; do
	[ -f "$T/$n.pid" ] && kill "$(cat "$T/$n.pid")" 2>/dev/null
done

# ---- down and up again, kind by kind --------------------------------------------------------
# cycle NAME STOP START DOWN_LINE RS VS: stop the listener, expect the
# removal and the down line (logged just before it), start the listener,
# expect the addition; the caller then checks the success line after $m
cycle() {
	m=$(mark)
	$2
	expect "$1: removed when stopped" "$m" "Removing service $5 from VS $6" 20
	expect "$1: down line" "$m" "$4" 2
	m=$(mark)
	$3
	expect "$1: added again when restarted" "$m" "Adding service $5 to VS $6" 20
}

# TCP_CHECK, retry 2: three failed attempts, then down
cycle TCP_CHECK "stop_srv tcp" start_tcp \
	"TCP_CHECK on service [10.5.0.2]:tcp:80 failed after 2 retries." "[10.5.0.2]:tcp:80" "$VS80"
expect "TCP_CHECK: success line when it comes back" "$m" "TCP connection to [10.5.0.2]:tcp:80 success." 5
has_line() { grep -F -- "$1" "$LOG" | grep -qF -- "$2"; }
check "TCP_CHECK: the VS lost its quorum with its only real server" has_line "Lost quorum" "for VS $VS80"
check "TCP_CHECK: and gained it back" has_line "Gained quorum" "for VS $VS80"
check "TCP_CHECK retry 2: 3 failed attempts between the success and the down line" eq \
	"$(attempts_between "TCP connection to [10.5.0.2]:tcp:80 success." \
		"TCP_CHECK on service [10.5.0.2]:tcp:80 failed after 2 retries." \
		"TCP_CHECK [10.5.0.2]:tcp:80: attempt failed")" 3
check "TCP_CHECK retry 2: the attempts count 0, 1, 2 of 2 retries used" eq \
	"$(retries_used_between "TCP connection to [10.5.0.2]:tcp:80 success." \
		"TCP_CHECK on service [10.5.0.2]:tcp:80 failed after 2 retries." \
		"TCP_CHECK [10.5.0.2]:tcp:80: attempt failed")" "0 of 2,1 of 2,2 of 2"

# HTTP_GET, retry 2: the same rule
cycle HTTP_GET "stop_srv http" start_http \
	"HTTP_CHECK on service [10.5.0.2]:tcp:8080 failed after 2 retries." "[10.5.0.2]:tcp:8080" "$VS8080"
expect "HTTP_GET: success line when it comes back" "$m" \
	"Remote Web server [10.5.0.2]:tcp:8080 succeed on service." 5
check "HTTP_GET retry 2: 3 failed attempts between the success and the down line" eq \
	"$(attempts_between "Remote Web server [10.5.0.2]:tcp:8080 succeed on service." \
		"HTTP_CHECK on service [10.5.0.2]:tcp:8080 failed after 2 retries." \
		"HTTP_GET [10.5.0.2]:tcp:8080: attempt failed")" 3
check "HTTP_GET retry 2: the attempts count 0, 1, 2 of 2 retries used" eq \
	"$(retries_used_between "Remote Web server [10.5.0.2]:tcp:8080 succeed on service." \
		"HTTP_CHECK on service [10.5.0.2]:tcp:8080 failed after 2 retries." \
		"HTTP_GET [10.5.0.2]:tcp:8080: attempt failed")" "0 of 2,1 of 2,2 of 2"
check "HTTP_GET 404 and digest servers stay down while the server is back" \
	not_seen "$m" "Adding service [10.5.0.3]"

cycle SSL_GET "stop_srv ssl" start_ssl \
	"HTTP_CHECK on service [10.5.0.2]:tcp:443 failed." "[10.5.0.2]:tcp:443" "$VS443"
expect "SSL_GET: success line when it comes back" "$m" \
	"Remote Web server [10.5.0.2]:tcp:443 succeed on service." 5

# SMTP_CHECK and DNS_CHECK: vigil's own down lines (and DNS_CHECK's up
# line), documented in smtp.c and dns.c; keepalived 2.2.7 logs only the
# cause there ("SMTP_CHECK Error connecting to server [10.5.0.2]:25",
# "DNS_CHECK ([10.5.0.2]:udp:53) <cause> after 1 retries").
cycle SMTP_CHECK "stop_srv smtp" start_smtp \
	"SMTP_CHECK on service [10.5.0.2]:tcp:25 failed after 1 retries." "[10.5.0.2]:tcp:25" "$VS25"
expect "SMTP_CHECK: success line when it comes back" "$m" \
	"Remote SMTP server [10.5.0.2]:tcp:25 succeed on service." 5

cycle DNS_CHECK "stop_srv dns" start_dns \
	"DNS_CHECK ([10.5.0.2]:udp:53) failed on service after 1 retries." "[10.5.0.2]:udp:53" "$VS53"
expect "DNS_CHECK: success line when it comes back" "$m" \
	"DNS_CHECK ([10.5.0.2]:udp:53) succeed on service." 5

cycle UDP_CHECK "stop_srv udp" start_udp \
	"UDP_CHECK on service [10.5.0.2]:udp:7 failed after 1 retries." "[10.5.0.2]:udp:7" "$VS7"
expect "UDP_CHECK: success line when it comes back" "$m" \
	"UDP connection to [10.5.0.2]:udp:7 success." 5

# PING_CHECK: the address goes away from the backend, then comes back.
# keepalived 2.2.7 (check_ping.c) names the virtual server in this line.
ping_off() { ip -n "$NB" addr del 10.5.0.5/24 dev eth0; }
ping_on() { ip -n "$NB" addr add 10.5.0.5/24 dev eth0; }
cycle PING_CHECK ping_off ping_on \
	"ICMP CHECK on service [10.5.0.5]:tcp:9000 of $VS9000 failed after 1 retries." \
	"[10.5.0.5]:tcp:9000" "$VS9000"
expect "PING_CHECK: success line when it comes back" "$m" \
	"ICMP connection to [10.5.0.5]:tcp:9000 success." 5

# MISC_CHECK: exit 1, then 0
misc_fail() { printf '1\n' > "$T/flip.rc"; }
misc_ok() { printf '0\n' > "$T/flip.rc"; }
cycle MISC_CHECK misc_fail misc_ok \
	"Misc check for [[10.5.0.6]:tcp:9001 VS $VS9001] by [$T/flip.sh] failed (exited with status 1)." \
	"[10.5.0.6]:tcp:9001" "$VS9001"
expect "MISC_CHECK: success line when it comes back" "$m" \
	"Misc check for [[10.5.0.6]:tcp:9001 VS $VS9001] by [$T/flip.sh] succeeded." 5

# FILE_CHECK, weight 0: down when the value is not 0. keepalived 2.2.7
# (track_file.c) names the track_file: "(RS): tracked file NAME now FAULT state".
file_down() { printf '1\n' > "$T/tf.val"; }
file_up() { printf '0\n' > "$T/tf.val"; }
cycle FILE_CHECK file_down file_up \
	"([10.5.0.9]:tcp:9001): tracked file tf now FAULT state" "[10.5.0.9]:tcp:9001" "$VS9001"
expect "FILE_CHECK: leaving FAULT when it comes back" "$m" \
	"([10.5.0.9]:tcp:9001): tracked file tf leaving FAULT state" 5

# ---- misc_dynamic: exit 7 is weight 5, exit 0 the configured weight again, 1 down ------------
m=$(mark)
printf '7\n' > "$T/dyn.rc"
expect "misc_dynamic exit 7: weight 1 -> 5" "$m" \
	"Changing weight from 1 to 5 for active service [10.5.0.7]:tcp:9001 of VS $VS9001" 10
check "misc_dynamic exit 7: the server stays in" not_seen "$m" "Removing service [10.5.0.7]"
m=$(mark)
printf '0\n' > "$T/dyn.rc"
expect "misc_dynamic exit 0: back to the configured weight" "$m" \
	"Changing weight from 5 to 1 for active service [10.5.0.7]:tcp:9001 of VS $VS9001" 10
m=$(mark)
printf '1\n' > "$T/dyn.rc"
expect "misc_dynamic exit 1: down" "$m" \
	"Misc check for [[10.5.0.7]:tcp:9001 VS $VS9001] by [$T/dyn.sh] failed (exited with status 1)." 10
expect "misc_dynamic exit 1: removed" "$m" "Removing service [10.5.0.7]:tcp:9001 from VS $VS9001" 5
m=$(mark)
printf '0\n' > "$T/dyn.rc"
expect "misc_dynamic exit 0: added again" "$m" "Adding service [10.5.0.7]:tcp:9001 to VS $VS9001" 10

# ---- MISC_CHECK that hangs: killed at misc_timeout, counted as a failure ---------------------
m=$(mark)
: > "$T/hang.on"
expect "MISC_CHECK hang: timed out" "$m" \
	"Misc check for [[10.5.0.8]:tcp:9001 VS $VS9001] by [$T/hang.sh] timed out." 15
expect "MISC_CHECK hang: removed" "$m" "Removing service [10.5.0.8]:tcp:9001 from VS $VS9001" 5
# each attempt's script and its sleep are killed at the timeout: never more
# than the one running attempt's sleep in the director
sleep 2.5
hung() {
	for pid in $(ip netns pids "$ND"); do
		tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null; echo
	done | grep -c '^sleep 61'
}
at_most_one_hung() { n=$(hung); [ "$n" -le 1 ] || { echo "  $n hung scripts"; return 1; }; }
check "MISC_CHECK hang: timed-out scripts are killed with their children" at_most_one_hung
m=$(mark)
rm -f "$T/hang.on"
expect "MISC_CHECK hang: added again when it stops hanging" "$m" \
	"Adding service [10.5.0.8]:tcp:9001 to VS $VS9001" 15

check "vigild still running" kill -0 "$(cat "$T/vigild.pid" 2>/dev/null || echo 0)"
check "no warning about a checker left out" not_seen 0 "the checker is ignored"

echo "took $(( $(date +%s) - START )) s"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
