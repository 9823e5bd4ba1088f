#!/bin/sh
# cli.sh - the command line of vigild: --help, --version, option errors,
# -t (config test) exit codes, --dump as a fixed point, -i (config-id), a
# missing -f file, keepalived's -c -r -d -R -x, and the daemon's answer to
# SIGUSR1/SIGUSR2 and to its supervisor's death (in a network namespace);
# the capabilities each process keeps, printed, and the daemon at work with
# them (issue 15, lib/privs.c).
#
# Run by `make check` with VIGILD (the built binary) and TOP_SRCDIR (the
# source tree) in the environment; exit 0 when every case passes. With
# CLI_KEEP=DIR the scratch directory (logs, configurations) is copied to
# DIR at the end.
set -u

VIGILD=${VIGILD:-./vigild}
TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ ! -x "$VIGILD" ]; then
	echo "cli.sh: $VIGILD is not an executable; build vigild first (make vigild)" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-cli.XXXXXX") || exit 1
dpid=0 vpid=0 cpid=0
# Daemons a failed case left running (only if the pid is still vigild's).
cleanup() {
	for p in "$dpid" "$vpid" "$cpid"; do
		[ "$p" -gt 0 ] && grep -q vigild "/proc/$p/cmdline" 2>/dev/null && kill -9 "$p"
	done
	[ -s "$tmp/hold.pid" ] && kill "$(cat "$tmp/hold.pid")" 2>/dev/null
	[ -n "${CLI_KEEP:-}" ] && cp -r "$tmp" "$CLI_KEEP"; rm -rf "$tmp"
}
trap cleanup EXIT
failures=0

ok() { echo "ok   $1"; }
fail() {
	echo "FAIL $1"
	failures=$((failures + 1))
	if [ -s "$tmp/err" ]; then
		echo "     stderr was:"
		head -n 20 "$tmp/err" | sed 's/^/       /'
	fi
}

# run ARGS...: run vigild, stdout to $tmp/out, stderr to $tmp/err, exit
# status to $rc.
run() {
	"$VIGILD" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# expect_rc NAME WANTED: the last run exited with WANTED.
expect_rc() {
	if [ "$rc" -eq "$2" ]; then ok "$1 (exit $rc)"; else fail "$1: exit $rc, want $2"; fi
}

# has FILE TEXT: FILE contains the fixed string TEXT.
has() { grep -qF -- "$2" "$1"; }

# expect_has FILE TEXT NAME: ok NAME if FILE contains TEXT, else fail.
expect_has() {
	if has "$1" "$2"; then ok "$3"; else fail "$3: no '$2' in the output"; fi
}

# ---- --help, --version ------------------------------------------------------

run --help
expect_rc "--help" 0
missing=""
for o in f t i n l D S p P C I R d r c x; do
	# The option as it starts a line of the usage text: "  -f, --use-file".
	grep -qE -- "^ +-$o," "$tmp/out" || missing="$missing -$o"
done
if [ -z "$missing" ]; then ok "--help lists -f -t -i -n -l -D -S -p -P -C -I -R -d -r -c -x"
else fail "--help does not list:$missing"; fi
if [ -s "$tmp/err" ]; then fail "--help writes to stderr"; else ok "--help writes only to stdout"; fi

run -h
expect_rc "-h" 0

run --version
expect_rc "--version" 0
if head -n 1 "$tmp/out" | grep -q '^vigil '; then ok "--version prints 'vigil VERSION'"
else fail "--version prints '$(head -n 1 "$tmp/out")', want 'vigil ...'"; fi

# ---- option errors: exit 2 with a message naming the problem ----------------

run --no-such-option
expect_rc "unknown long option" 2
if has "$tmp/err" "unknown option '--no-such-option'"; then ok "unknown option is named"
else fail "unknown option: no message naming '--no-such-option'"; fi
if has "$tmp/err" "Usage:"; then ok "unknown option prints the usage"
else fail "unknown option: no usage on stderr"; fi

run -Z
expect_rc "unknown short option" 2
expect_has "$tmp/err" "unknown option" "unknown short option has a message"

run -f
expect_rc "-f without a value" 2
expect_has "$tmp/err" "option -f needs a value" "-f without a value has a message"

run --dump
expect_rc "--dump without -t" 2

run -P -C
expect_rc "-P with -C" 2

run -t -f "$tmp/x.conf" surplus
expect_rc "a stray argument" 2
expect_has "$tmp/err" "unexpected argument 'surplus'" "a stray argument is named"

# ---- -t: 0 valid, 1 not -------------------------------------------------------

cat >"$tmp/valid.conf" <<'EOF'
! a small valid configuration
global_defs {
    router_id cli_test
}
vrrp_script chk_true {
    script "/bin/true"
    interval 2
    weight -10
    fall 2
    rise 2
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.10/24
    }
    track_script {
        chk_true
    }
}
EOF
run -t -f "$tmp/valid.conf"
expect_rc "-t on a valid file" 0
if [ -s "$tmp/err" ]; then fail "-t on a valid file prints messages"; else ok "-t on a valid file is silent"; fi
if [ -s "$tmp/out" ]; then fail "-t without --dump prints on stdout"; else ok "-t without --dump prints nothing on stdout"; fi

cat >"$tmp/invalid.conf" <<'EOF'
vrrp_script chk_true {
    script "/bin/true"
    interval soon
}
EOF
run -t -f "$tmp/invalid.conf"
expect_rc "-t on an invalid file" 1
if grep -qE "^$tmp/invalid.conf:3:[0-9]+: error: " "$tmp/err"; then ok "-t error is file:line:col: error: ..."
else fail "-t on an invalid file: no '$tmp/invalid.conf:3:COL: error:' line"; fi
expect_has "$tmp/err" "configuration is not valid" "-t says the configuration is not valid"
if [ -s "$tmp/out" ]; then fail "-t on an invalid file prints on stdout"; else ok "-t on an invalid file prints nothing on stdout"; fi

run -t --dump -f "$tmp/invalid.conf"
expect_rc "-t --dump on an invalid file" 1
if [ -s "$tmp/out" ]; then fail "-t --dump prints a model of an invalid file"
else ok "-t --dump prints no model of an invalid file"; fi

# ---- -t: scripts that cannot run are warned at their file:line:col ------------
# (keepalived reports them at start; an operator should not learn it at
# the first failover.) Still valid: exit 0.
printf '#!/bin/sh\nexit 0\n' > "$tmp/noexec.sh"
chmod 0644 "$tmp/noexec.sh"
cat > "$tmp/scripts.conf" <<EOC
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    notify_master $tmp/missing.sh
    notify_backup "$tmp/noexec.sh arg"
    notify /bin/true
    virtual_ipaddress {
        10.0.0.1/24
    }
}
EOC
run -t -f "$tmp/scripts.conf"
expect_rc "-t with a missing and a non-executable notify script" 0
expect_has "$tmp/err" "scripts.conf:5:19: warning: notify_master '$tmp/missing.sh' does not exist" \
	"-t: a missing notify script is warned at file:line:col"
expect_has "$tmp/err" "scripts.conf:6:19: warning: notify_backup '$tmp/noexec.sh' is not executable" \
	"-t: a non-executable notify script is warned at file:line:col"
if [ "$(grep -c warning "$tmp/err")" -eq 2 ]; then ok "-t: an executable script is not warned about"
else fail "-t: $(grep -c warning "$tmp/err") warnings, want 2"; fi

# ---- files that root must not trust (issue 15 hole 8) ---------------------------
# Only regular files are read: a FIFO once hung vigild (and the supervisor
# at SIGHUP), /dev/zero grew it until the heap gave out. Each run has a
# bound (timeout 10): on the old reader the FIFO cases ended there (124).
run_bounded() {
	timeout 10 "$VIGILD" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
mkfifo "$tmp/fifo"
printf 'include %s\n' "$tmp/fifo" >"$tmp/inc-fifo.conf"
run_bounded -t -f "$tmp/inc-fifo.conf"
expect_rc "include of a FIFO: refused, without waiting for a writer" 1
expect_has "$tmp/err" "inc-fifo.conf:1:1: error: cannot read include file $tmp/fifo: it is a FIFO" \
	"include of a FIFO: the error is at the include's file:line:col"
run_bounded -t -f "$tmp/fifo"
expect_rc "-f of a FIFO: refused, without waiting for a writer" 1
expect_has "$tmp/err" "$tmp/fifo: error: cannot read configuration $tmp/fifo: it is a FIFO" \
	"-f of a FIFO: the error names the file"
printf 'include /dev/zero\n' >"$tmp/inc-zero.conf"
run_bounded -t -f "$tmp/inc-zero.conf"
expect_rc "include /dev/zero: refused at once" 1
expect_has "$tmp/err" "inc-zero.conf:1:1: error: cannot read include file /dev/zero: it is a character device" \
	"include /dev/zero: the error is at the include's file:line:col"
mkdir "$tmp/globdir"
cp "$tmp/valid.conf" "$tmp/globdir/10-valid.conf"
mkfifo "$tmp/globdir/20-fifo.conf"
printf '# two files\ninclude globdir/*.conf\n' >"$tmp/inc-glob.conf"
run_bounded -t -f "$tmp/inc-glob.conf"
expect_rc "a glob include matching a FIFO: refused" 1
expect_has "$tmp/err" "inc-glob.conf:2:1: error: cannot read include file $tmp/globdir/20-fifo.conf: it is a FIFO" \
	"a glob include matching a FIFO: that match is named"
if [ "$(grep -c ': error: ' "$tmp/err")" -eq 1 ]; then ok "a glob include matching a FIFO: the other match is read"
else fail "a glob include matching a FIFO: $(grep -c ': error: ' "$tmp/err") errors, want 1"; fi

# Writable by someone other than root (or the user running this test):
# a warning, the configuration stays valid.
cp "$tmp/valid.conf" "$tmp/open.conf"
chmod 0666 "$tmp/open.conf"
run -t -f "$tmp/open.conf"
expect_rc "a configuration every user can write: still valid" 0
expect_has "$tmp/err" "$tmp/open.conf: warning: configuration file $tmp/open.conf is writable by every user (mode 0666): a local user could change what vigild runs as root" \
	"a configuration every user can write: warned, naming the file"
printf 'global_defs {\n    router_id w\n}\n    include open.conf\n' >"$tmp/inc-open.conf"
run -t -f "$tmp/inc-open.conf"
expect_rc "an include every user can write: still valid" 0
expect_has "$tmp/err" "inc-open.conf:4:5: warning: included file $tmp/open.conf is writable by every user" \
	"an include every user can write: warned at the include's file:line:col"
if [ "$(id -u)" -eq 0 ]; then
	cp "$tmp/valid.conf" "$tmp/user.conf"
	chown 1000 "$tmp/user.conf"
	run -t -f "$tmp/user.conf"
	expect_rc "a configuration owned by uid 1000: still valid" 0
	expect_has "$tmp/err" "configuration file $tmp/user.conf is writable by uid 1000 (its owner)" \
		"a configuration owned by uid 1000: warned"
	chown 0:0 "$tmp/user.conf"
	chmod 0644 "$tmp/user.conf"
	run -t -f "$tmp/user.conf"
	if [ -s "$tmp/err" ]; then fail "a root-owned 0644 configuration draws a message"
	else ok "a root-owned 0644 configuration is not warned about"; fi
fi

# ---- --dump: the output checks clean and is a fixed point -----------------------

# dump_fixed_point NAME FILE: dump FILE; the dump must check valid with no
# message, and dumping the dump must give the same text.
dump_fixed_point() {
	run -t --dump -f "$2"
	if [ "$rc" -ne 0 ]; then fail "$1: -t --dump exit $rc"; return; fi
	cp "$tmp/out" "$tmp/dump1.conf"
	if ! [ -s "$tmp/dump1.conf" ]; then fail "$1: --dump printed nothing"; return; fi
	run -t -f "$tmp/dump1.conf"
	if [ "$rc" -ne 0 ]; then fail "$1: the dump does not check (exit $rc)"; return; fi
	# Scripts the sample names may be missing on this machine: that warning
	# is about the system, not about the dump. A keyword without effect in
	# vigil warns by design (issue 10), in the dump as in the file.
	if grep -v "it fails each time it should run" "$tmp/err" |
	   grep -v "is accepted but has no effect in vigil: " | grep -q .; then
		fail "$1: checking the dump gives messages"; return
	fi
	run -t --dump -f "$tmp/dump1.conf"
	if ! cmp -s "$tmp/dump1.conf" "$tmp/out"; then
		fail "$1: dump(parse(dump)) differs from dump"
		diff "$tmp/dump1.conf" "$tmp/out" | head -n 20 | sed 's/^/       /'
		return
	fi
	ok "$1: --dump re-checks clean and is a fixed point"
}

dump_fixed_point "small config" "$tmp/valid.conf"
for f in "$TOP_SRCDIR"/test/conf/good/*.conf; do
	[ -e "$f" ] || continue
	dump_fixed_point "good/${f##*/}" "$f"
done
sample=/usr/share/doc/keepalived/samples/keepalived.conf.sample
[ -e "$sample" ] && dump_fixed_point "keepalived.conf.sample" "$sample"

# ---- -i selects '@ID' lines -----------------------------------------------------

cat >"$tmp/cond.conf" <<'EOF'
vrrp_script chk {
    script "/bin/true"
@a  interval 11
@b  interval 22
@^a weight 7
}
EOF
# expect_select ID LINE...: with -i ID the dump has every LINE, and none
# of the lines given as !LINE.
expect_select() {
	id=$1
	shift
	run -t --dump -i "$id" -f "$tmp/cond.conf"
	if [ "$rc" -ne 0 ]; then fail "-i $id: exit $rc"; return; fi
	for w in "$@"; do
		case $w in
		!*) grep -qE "^ *${w#!}\$" "$tmp/out" || continue ;;
		*) grep -qE "^ *$w\$" "$tmp/out" && continue ;;
		esac
		fail "-i $id selects the wrong lines (about '$w'); dump was:"
		sed 's/^/       /' "$tmp/out"
		return
	done
	ok "-i $id: $*"
}
expect_select a "interval 11" "!interval 22" "!weight 7"
expect_select b "interval 22" "weight 7" "!interval 11"
expect_select neither "weight 7" "!interval 11" "!interval 22"
run -t --dump --config-id=b -f "$tmp/cond.conf"
expect_has "$tmp/out" "interval 22" "--config-id=b works like -i b"

# ---- -f on a missing file -----------------------------------------------------------

run -t -f "$tmp/no-such.conf"
expect_rc "-f on a missing file" 1
if has "$tmp/err" "$tmp/no-such.conf" && has "$tmp/err" "No such file"; then
	ok "-f on a missing file names the file and the reason"
else
	fail "-f on a missing file: message should name $tmp/no-such.conf and 'No such file'"
fi

run -t -f "$tmp"
expect_rc "-f on a directory" 1

# ---- keepalived's -c -r -d -R -x: accepted, each with its meaning or a warning ----

run -t -x -f "$tmp/valid.conf"
expect_rc "-t -x (keepalived's --snmp) is accepted" 0
expect_has "$tmp/err" "-x (--snmp) has no effect" "-x warns that it has no effect"
run -t -d -f "$tmp/valid.conf"
expect_rc "-t -d (keepalived's --dump-conf)" 0
expect_has "$tmp/out" "virtual_router_id 51" "-t -d prints the configuration as --dump does"
run -t --snmp --dump-conf --dont-respawn --vrrp_pid="$tmp/a.pid" --checkers_pid "$tmp/b.pid" \
	-f "$tmp/valid.conf"
expect_rc "keepalived's long forms are accepted" 0

# The daemon itself, in a network namespace of its own (the checker worker
# would otherwise program the host's IPVS table, where it has one): the
# child pid files, the dump in the log, SIGUSR1/SIGUSR2 to every process,
# a dead supervisor, and -R.
cat >"$tmp/vs.conf" <<'EOF'
virtual_server 192.0.2.1 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    hashed
    real_server 192.0.2.11 80 {
        weight 1
    }
}
EOF
if [ "$(id -u)" -eq 0 ]; then netns="unshare -n"; else netns="unshare -rn"; fi

# start_daemon ARGS...: vigild in the background with its log in $tmp/d.log;
# waits (5 s at most) for both workers' pid files.
start_daemon() {
	sanitizer_clean
	: >"$tmp/d.log"
	[ -n "${KEEP_PIDFILES:-}" ] || rm -f "$tmp/d.pid" "$tmp/vr.pid" "$tmp/vc.pid"
	$netns "$VIGILD" -n -l -f "$tmp/vs.conf" -p "$tmp/d.pid" -r "$tmp/vr.pid" \
		-c "$tmp/vc.pid" "$@" >>"$tmp/d.log" 2>&1 &
	dpid=$!
	# Until this vigild has written its own pid and its live workers'
	# (with KEEP_PIDFILES the files still name the previous, dead ones).
	i=0
	while [ $i -lt 50 ]; do
		vpid=$(cat "$tmp/vr.pid" 2>/dev/null)
		cpid=$(cat "$tmp/vc.pid" 2>/dev/null)
		[ "$(cat "$tmp/d.pid" 2>/dev/null)" = "$dpid" ] && [ -n "$vpid" ] && [ -n "$cpid" ] &&
			[ "$(awk '{ print $4 }' "/proc/$vpid/stat" 2>/dev/null)" = "$dpid" ] &&
			[ "$(awk '{ print $4 }' "/proc/$cpid/stat" 2>/dev/null)" = "$dpid" ] && break
		sleep 0.1; i=$((i + 1))
	done
	: "${vpid:=0}" "${cpid:=0}"
}
# second ARGS...: another vigild beside the running one, in a namespace of
# its own; at most 5 s (a second instance that starts is a failure, and
# timeout stops it); stderr in $tmp/err, exit status in $rc.
second() {
	timeout 5 $netns "$VIGILD" -n -l -f "$tmp/vs.conf" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
# vrrp_workers: how many VRRP workers of this test's configuration run
vrrp_workers() {
	n=0
	for f in /proc/[0-9]*/cmdline; do
		c=$({ tr '\0' ' ' <"$f"; } 2>/dev/null) || continue
		case $c in *--worker=vrrp*"$tmp/vs.conf"*) n=$((n + 1)) ;; esac
	done
	echo $n
}
# sanitizer_clean: the last daemon's log has no sanitizer report (the
# supervisor restarts a worker that aborted, so only the log tells)
sanitizer_clean() {
	[ -s "$tmp/d.log" ] || return 0
	if grep -qE "AddressSanitizer|LeakSanitizer|runtime error" "$tmp/d.log"; then
		fail "a sanitizer report in the daemon's log"
		grep -E -A12 "AddressSanitizer|LeakSanitizer|runtime error" "$tmp/d.log" | head -n 40
	fi
}
# wait_log TEXT SECONDS: TEXT appears in the daemon's log
wait_log() {
	i=0
	while [ $i -lt $(( $2 * 10 )) ]; do
		has "$tmp/d.log" "$1" && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
# gone PID SECONDS: the process has exited (a zombie child counts)
gone() {
	i=0
	while [ $i -lt $(( $2 * 10 )) ]; do
		kill -0 "$1" 2>/dev/null || return 0
		[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
alive() { for p in "$@"; do [ "$p" -gt 0 ] && kill -0 "$p" 2>/dev/null || return 1; done; }
daemon_check() { # NAME COMMAND...
	name=$1; shift
	if "$@"; then ok "$name"; else
		fail "$name"
		tail -n 20 "$tmp/d.log" | sed 's/^/       /'
	fi
}

# caps PID FIELD: the capability set FIELD (CapEff, CapPrm, CapBnd, CapInh)
# of every thread of PID, decoded ("cap_kill,cap_net_admin"); the threads'
# sets must all be equal (capabilities are per thread), else "threads differ".
caps() {
	sets=$(cat /proc/"$1"/task/*/status 2>/dev/null | awk -v f="$2:" '$1 == f { print $2 }' | sort -u)
	[ -n "$sets" ] || { echo "no process"; return; }
	[ "$(echo "$sets" | wc -l)" -eq 1 ] || { echo "threads differ"; return; }
	capsh --decode="$sets" | sed 's/^0x[0-9a-f]*=//'
}
# expect_caps WHO PID EFF [PRM]: PID's effective set is EFF, its permitted
# set PRM (default EFF), its inheritable set is empty and its bounding set
# is this shell's.
expect_caps() {
	eff=$(caps "$2" CapEff) prm=$(caps "$2" CapPrm) inh=$(caps "$2" CapInh) bnd=$(caps "$2" CapBnd)
	echo "     $1 (pid $2): CapEff: $eff; CapPrm: $([ "$prm" = "$eff" ] && echo "the same" ||
		echo "$prm"); CapInh: ${inh:-none}; CapBnd: $(
		[ "$bnd" = "$(caps $$ CapBnd)" ] && echo "unchanged (vigild's own)" || echo "$bnd")"
	daemon_check "capabilities: the $1 keeps only $3${4:+ (permitted: $4)}" \
		test "$eff" = "$3" -a "$prm" = "${4:-$3}" -a -z "$inh" -a "$bnd" = "$(caps $$ CapBnd)"
}
# the VRRP instance VI_C, its reload adding VI_D, a second VIP and a FIFO
caps_conf() {
	cat <<EOC
global_defs {
    script_user nobody
$([ "$1" = reload ] && printf '    notify_fifo %s\n    notify_fifo_script %s\n' "$cd/fifo" "$cd/fifo.sh")
}
vrrp_instance VI_C {
    interface d0
    virtual_router_id 9
    priority 200
    version 3
    advert_int 0.1
    virtual_ipaddress {
        192.0.2.90/32
$([ "$1" = reload ] && echo "        192.0.2.91/32")
    }
    notify_master "$cd/master.sh" root
}
$([ "$1" = reload ] && cat <<EOD
vrrp_instance VI_D {
    interface d2
    virtual_router_id 10
    priority 200
    version 3
    advert_int 0.1
    virtual_ipaddress {
        192.0.2.92/32
    }
}
EOD
)
virtual_server 192.0.2.90 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 127.0.0.1 8098 {
        TCP_CHECK {
            bind_port 999
            connect_timeout 1
        }
    }
    real_server 192.0.2.12 80 {
        MISC_CHECK {
            misc_path "$cd/ok.sh"
        }
    }
    real_server 192.0.2.13 80 {
        MISC_CHECK {
            misc_path "$cd/hang.sh"
            misc_timeout 1
        }
    }
}
EOC
}
# the sets of src/privs.c, as capsh --decode names them
vrrp_eff=cap_chown,cap_kill,cap_setgid,cap_setuid,cap_net_admin,cap_net_raw
vrrp_prm=cap_chown,cap_dac_override,cap_kill,cap_setgid,cap_setuid,cap_net_admin,cap_net_raw
check_eff=cap_chown,cap_kill,cap_setgid,cap_setuid,cap_net_bind_service,cap_net_admin,cap_net_raw
check_prm=cap_chown,cap_dac_override,cap_kill,cap_setgid,cap_setuid,cap_net_bind_service,cap_net_admin,cap_net_raw
sup_eff=cap_kill,cap_setgid,cap_setuid,cap_net_admin
sup_prm=cap_chown,cap_dac_override,cap_kill,cap_setgid,cap_setuid,cap_net_bind_service,cap_net_admin,cap_net_raw
# caps_start [PREFIX...]: vigild (under PREFIX, e.g. setpriv) on $tmp/caps.conf
# in a namespace with d0 and d2 (and a TCP listener for TCP_CHECK); waits
# for VI_C's MASTER line, sets dpid, vpid, cpid.
caps_start() {
	TCPHOLD=${TCPHOLD:-$(dirname "$VIGILD")/test/tools/tcphold}
	: >"$tmp/d.log"
	$netns sh -c "ip link add d0 type veth peer name d1 && ip link add d2 type veth peer name d3 &&
		ip link set lo up && ip link set d0 up && ip link set d1 up && ip link set d2 up &&
		ip link set d3 up && ip addr add 10.9.9.1/24 dev d0 && ip addr add 10.9.10.1/24 dev d2 &&
		{ [ ! -x '$TCPHOLD' ] || { '$TCPHOLD' server -t 15 127.0.0.1:8098 >/dev/null 2>&1 &
		  echo \$! >'$tmp/hold.pid'; }; } &&
		exec $* '$VIGILD' -n -l -D -f '$tmp/caps.conf' -p '$tmp/c.pid' -r '$tmp/cr.pid' \
			-c '$tmp/cc.pid'" >>"$tmp/d.log" 2>&1 &
	dpid=$!
	wait_log "(VI_C) Entering MASTER STATE" 5
	vpid=$(cat "$tmp/cr.pid" 2>/dev/null) cpid=$(cat "$tmp/cc.pid" 2>/dev/null)
	: "${vpid:=0}" "${cpid:=0}"
}
# caps_stop: SIGTERM to vigild, and its namespace's TCP listener goes too
caps_stop() {
	kill -TERM "$dpid" 2>/dev/null
	gone "$dpid" 5
	wait "$dpid" 2>/dev/null
	[ -s "$tmp/hold.pid" ] && kill "$(cat "$tmp/hold.pid")" 2>/dev/null
	rm -f "$tmp/hold.pid"
	sanitizer_clean
}
caps_case() {
	cd=$tmp/caps
	mkdir -p "$cd" && chmod 711 "$tmp" && chmod 755 "$cd"
	printf '#!/bin/sh\nexit 0\n' >"$cd/ok.sh"
	printf '#!/bin/sh\nexec sleep 20\n' >"$cd/hang.sh"
	printf '#!/bin/sh\nexec cat "$1" >/dev/null\n' >"$cd/fifo.sh"
	printf '#!/bin/sh\ngrep ^Cap /proc/self/status >"%s"\n' "$cd/master.caps" >"$cd/master.sh"
	chmod 755 "$cd"/*.sh
	caps_conf start >"$tmp/caps.conf"
	caps_start
	echo "     capability sets (src/privs.c):"
	expect_caps supervisor "$dpid" "$sup_eff" "$sup_prm"
	expect_caps "VRRP worker" "$vpid" "$vrrp_eff" "$vrrp_prm"
	expect_caps checker "$cpid" "$check_eff" "$check_prm"
	daemon_check "capabilities: VI_C becomes master and adds its VIP" \
		sh -c "nsenter -t $dpid -n ip -4 addr show dev d0 | grep -q 192.0.2.90/32"
	daemon_check "capabilities: the root notify script gets the bounding set" sh -c "
		i=0; while [ ! -s '$cd/master.caps' ] && [ \$i -lt 30 ]; do sleep 0.1; i=\$((i+1)); done
		grep -q \"^CapPrm:.*\$(awk '/^CapBnd/ { print \$2 }' /proc/$$/status)\" '$cd/master.caps'"
	[ -s "$cd/master.caps" ] && echo "     root notify script: CapEff=CapPrm: $(capsh --decode="$(awk '/^CapEff/ { print $2 }' "$cd/master.caps")" | sed 's/^0x[0-9a-f]*=//')"
	daemon_check "capabilities: TCP_CHECK with bind_port 999 succeeds" \
		wait_log "TCP connection to [127.0.0.1]:tcp:8098 success." 5
	daemon_check "capabilities: a MISC_CHECK runs as nobody" \
		wait_log "Misc check for [[192.0.2.12]:tcp:80 VS [192.0.2.90]:tcp:80] by [$cd/ok.sh] succeeded." 5
	daemon_check "capabilities: a hanging MISC_CHECK of nobody's is killed at its timeout" \
		wait_log "Misc check for [[192.0.2.13]:tcp:80 VS [192.0.2.90]:tcp:80] by [$cd/hang.sh] timed out." 5
	caps_conf reload >"$tmp/caps.conf"
	kill -HUP "$dpid"
	daemon_check "capabilities: a reload adds an instance on another interface" \
		wait_log "(VI_D) Entering MASTER STATE" 5
	daemon_check "capabilities: a reload adds a VIP" \
		sh -c "nsenter -t $dpid -n ip -4 addr show dev d0 | grep -q 192.0.2.91/32"
	daemon_check "capabilities: a reload creates a notify FIFO and gives it to nobody" sh -c "
		i=0; while [ \$i -lt 30 ]; do
			[ \"\$(stat -c '%F %a %U %G' '$cd/fifo' 2>/dev/null)\" = \"fifo 600 nobody $(id -gn nobody)\" ] && exit 0
			sleep 0.1; i=\$((i+1)); done; exit 1"
	expect_caps "VRRP worker after the reload" "$vpid" "$vrrp_eff" "$vrrp_prm"
	kill -9 "$vpid"
	daemon_check "capabilities: the killed VRRP worker is restarted" \
		wait_log "Starting VRRP child process" 5
	old=$vpid i=0
	while [ $i -lt 30 ]; do
		vpid=$(cat "$tmp/cr.pid" 2>/dev/null); [ -n "$vpid" ] && [ "$vpid" != "$old" ] && break
		sleep 0.1; i=$((i + 1))
	done
	daemon_check "capabilities: the restarted worker's VI_C is master again" sh -c "
		i=0; while [ \$(grep -c '(VI_C) Entering MASTER STATE' '$tmp/d.log') -lt 2 ] && [ \$i -lt 50 ]; do
			sleep 0.1; i=\$((i+1)); done; [ \$i -lt 50 ]"
	# (the worker opens the FIFO before it starts its instances)
	daemon_check "capabilities: the restarted worker reopens nobody's FIFO" \
		sh -c "! grep -q 'cannot open notify_fifo' '$tmp/d.log'"
	expect_caps "restarted VRRP worker" "${vpid:-0}" "$vrrp_eff" "$vrrp_prm"
	caps_stop

	# Under no_new_privs (NoNewPrivileges=yes, etc/vigil.service.d) exec
	# gives no more than the parent's permitted set: the workers still
	# get theirs from the supervisor's, and a root script gets its
	# worker's permitted set instead of the bounding set.
	rm -f "$cd/master.caps"
	caps_start setpriv --no-new-privs
	echo "     under no_new_privs:"
	expect_caps "VRRP worker under no_new_privs" "$vpid" "$vrrp_eff" "$vrrp_prm"
	expect_caps "checker under no_new_privs" "$cpid" "$check_eff" "$check_prm"
	daemon_check "no_new_privs: VI_C and VI_D become master" wait_log "(VI_D) Entering MASTER STATE" 5
	daemon_check "no_new_privs: a root notify script gets the VRRP worker's permitted set" sh -c "
		i=0; while [ ! -s '$cd/master.caps' ] && [ \$i -lt 30 ]; do sleep 0.1; i=\$((i+1)); done
		[ \"\$(capsh --decode=\$(awk '/^CapPrm/ { print \$2 }' '$cd/master.caps'))\" = \"\$(
			capsh --decode=\$(awk '/^CapPrm/ { print \$2 }' /proc/$vpid/status))\" ]"
	[ -s "$cd/master.caps" ] && echo "     root notify script under no_new_privs: CapEff=CapPrm: $(capsh --decode="$(awk '/^CapPrm/ { print $2 }' "$cd/master.caps")" | sed 's/^0x[0-9a-f]*=//')"
	caps_stop
	chmod 700 "$tmp"
}

if ! $netns true 2>/dev/null; then
	fail "cannot create a network namespace ($netns) for the daemon cases"
else
	start_daemon -d -x
	daemon_check "-r and -c write the workers' pid files" alive "$vpid" "$cpid"
	daemon_check "the workers' pid files name vigild's children" \
		sh -c "grep -q 'VRRP child process, pid=$vpid\$' '$tmp/d.log' &&
		       grep -q 'Healthcheck child process, pid=$cpid\$' '$tmp/d.log'"
	daemon_check "-d logs the configuration at start" wait_log "real_server 192.0.2.11 80 {" 2
	daemon_check "-x logs that it has no effect" wait_log "-x (--snmp) has no effect" 2
	# issue 10: a keyword without effect is said at start and at reload,
	# at its file:line:col
	noeff="$tmp/vs.conf:5:5: keyword 'hashed' is accepted but has no effect in vigil: "
	daemon_check "start: a keyword without effect is logged at its line" wait_log "$noeff" 2
	kill -HUP "$dpid"
	i=0
	while [ $i -lt 30 ] && [ "$(grep -cF "$noeff" "$tmp/d.log")" -lt 2 ]; do
		sleep 0.1; i=$((i + 1))
	done
	daemon_check "reload: a keyword without effect is logged again" \
		test "$(grep -cF "$noeff" "$tmp/d.log")" -ge 2
	for sig in USR1 USR2; do
		for who in supervisor VRRP checker; do
			case $who in supervisor) p=$dpid ;; VRRP) p=$vpid ;; checker) p=$cpid ;; esac
			n=$(grep -c "signal" "$tmp/d.log")
			kill -"$sig" "$p"
			sleep 0.3
			daemon_check "SIG$sig to the $who: every process still runs" \
				alive "$dpid" "$vpid" "$cpid"
			daemon_check "SIG$sig to the $who: logged" \
				test "$(grep -c "signal" "$tmp/d.log")" -gt "$n"
		done
	done
	daemon_check "SIGUSR1/2: the log says where the status is" \
		wait_log "$tmp/d.vrrp.json, $tmp/d.check.json" 1
	"$VIGILD" --status -p "$tmp/d.pid" >"$tmp/status" 2>&1
	daemon_check "SIGUSR1/2: the status is where vigild --status reads it" \
		has "$tmp/status" '"ipvs":'

	# A dead supervisor: the workers notice and exit on their own.
	kill -9 "$dpid"
	daemon_check "dead supervisor: the VRRP worker exits" gone "$vpid" 5
	daemon_check "dead supervisor: the checker exits" gone "$cpid" 5
	daemon_check "dead supervisor: the checker leaves the IPVS table" \
		wait_log "checker: the supervisor died; leaving the IPVS table" 1
	daemon_check "dead supervisor: the VRRP worker resigns" \
		wait_log "VRRP: the supervisor died; resigning" 1
	wait "$dpid" 2>/dev/null

	# -R: a dead worker stops vigild (exit 1) instead of being restarted.
	start_daemon -R
	kill -9 "$vpid"
	daemon_check "-R: vigild stops when a worker dies" gone "$dpid" 5
	wait "$dpid" 2>/dev/null
	rc=$?
	expect_rc "-R: vigild's exit status after a worker died" 1
	daemon_check "-R: the log says why" wait_log "not restarting the VRRP child process (-R)" 1
	daemon_check "-R: the other worker stopped too" gone "$cpid" 2
	daemon_check "-R: the checker's pid file is removed" test ! -e "$tmp/vc.pid"

	# Without -R the worker comes back.
	start_daemon
	kill -9 "$vpid"
	daemon_check "no -R: the worker is restarted" wait_log "restarting VRRP child process" 3
	kill -TERM "$dpid"
	daemon_check "no -R: SIGTERM stops vigild" gone "$dpid" 5
	wait "$dpid" 2>/dev/null
	rc=$?
	expect_rc "no -R: exit status after SIGTERM" 0

	# One instance per pid file (issue 15 hole 4; issue 17 item 10: two
	# VRRP workers on one node). The pid files are locked for vigild's
	# life; a second vigild refuses before it starts anything.
	start_daemon
	daemon_check "one instance: the first runs" alive "$dpid" "$vpid" "$cpid"
	second -p "$tmp/d.pid" -r "$tmp/vr2.pid" -c "$tmp/vc2.pid"
	expect_rc "one instance: a second vigild with the same pid file refuses" 1
	expect_has "$tmp/err" "pid file $tmp/d.pid is locked by a running vigild (pid $dpid)" \
		"one instance: the refusal names the file and the running pid"
	daemon_check "one instance: the refused one wrote no worker pid file" \
		test ! -e "$tmp/vr2.pid" -a ! -e "$tmp/vc2.pid"
	second -p "$tmp/d2.pid" -r "$tmp/vr.pid" -c "$tmp/vc2.pid"
	expect_rc "one instance: a second vigild with the same VRRP pid file refuses" 1
	expect_has "$tmp/err" "pid file $tmp/vr.pid is locked by a running vigild (pid $vpid)" \
		"one instance: the VRRP refusal names the VRRP worker"
	daemon_check "one instance: the refused one removed the pid file it made" \
		test ! -e "$tmp/d2.pid"
	daemon_check "one instance: one VRRP worker runs" test "$(vrrp_workers)" -eq 1
	daemon_check "one instance: the first still runs, its pid files intact" sh -c "
		kill -0 $dpid && kill -0 $vpid && [ \"\$(cat '$tmp/d.pid')\" = $dpid ] &&
		[ \"\$(cat '$tmp/vr.pid')\" = $vpid ]"

	# A crash leaves the pid files of dead processes: taken over.
	old=$dpid
	kill -9 "$dpid"
	daemon_check "stale pid file: the workers go with their supervisor" gone "$vpid" 5
	wait "$dpid" 2>/dev/null
	daemon_check "stale pid file: left behind" test -s "$tmp/d.pid"
	KEEP_PIDFILES=1 start_daemon
	daemon_check "stale pid file: a new vigild starts" alive "$dpid" "$vpid" "$cpid"
	daemon_check "stale pid file: taken over, and said" \
		wait_log "pid file $tmp/d.pid names pid $old, which is not running" 2
	daemon_check "stale pid file: it names the new vigild" \
		test "$(cat "$tmp/d.pid")" = "$dpid"
	kill -TERM "$dpid"
	daemon_check "stale pid file: SIGTERM stops vigild" gone "$dpid" 5
	wait "$dpid" 2>/dev/null
	daemon_check "SIGTERM: the pid files are removed" \
		test ! -e "$tmp/d.pid" -a ! -e "$tmp/vr.pid" -a ! -e "$tmp/vc.pid"

	# A reload of a configuration that includes a FIFO (issue 15 hole 8):
	# the supervisor says why, keeps its configuration and answers the
	# next SIGHUP (the old one waited in open() for a writer forever).
	start_daemon
	cp "$tmp/vs.conf" "$tmp/vs.orig"
	printf 'include %s\n' "$tmp/fifo" >>"$tmp/vs.conf"
	kill -HUP "$dpid"
	daemon_check "reload with an included FIFO: refused, and why" \
		wait_log "cannot read include file $tmp/fifo: it is a FIFO" 5
	daemon_check "reload with an included FIFO: the running configuration is kept" \
		wait_log "Reload failed; keeping the running configuration" 2
	daemon_check "reload with an included FIFO: every process still runs" \
		alive "$dpid" "$vpid" "$cpid"
	sed 's/weight 1/weight 2/' "$tmp/vs.orig" >"$tmp/vs.conf"
	kill -HUP "$dpid"
	daemon_check "reload with an included FIFO: the next SIGHUP with a fixed file applies" \
		wait_log "Configuration reloaded" 5
	kill -TERM "$dpid"
	gone "$dpid" 5 || kill -9 "$dpid"
	wait "$dpid" 2>/dev/null
	cp "$tmp/vs.orig" "$tmp/vs.conf"

	# global_defs umask is applied (issue 15 hole 6): keepalived's 022 by
	# default, whatever umask vigild was started with, and the configured
	# one when there is one, in the supervisor and in both workers.
	umask_of() { awk '/^Umask:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
	all_umask() { for p in "$dpid" "$vpid" "$cpid"; do [ "$(umask_of "$p")" = "$1" ] || return 1; done; }
	saved_umask=$(umask)
	umask 000
	start_daemon
	umask "$saved_umask"
	daemon_check "umask: 022 by default, though started with 000" all_umask 0022
	kill -TERM "$dpid"; gone "$dpid" 5; wait "$dpid" 2>/dev/null
	cp "$tmp/vs.conf" "$tmp/vs.orig"
	printf 'global_defs {\n    umask 027\n}\n' >>"$tmp/vs.conf"
	start_daemon
	daemon_check "umask: global_defs umask 027 in every process" all_umask 0027
	kill -TERM "$dpid"; gone "$dpid" 5; wait "$dpid" 2>/dev/null
	cp "$tmp/vs.orig" "$tmp/vs.conf"

	# A planted symbolic link is not written through (issue 15 hole 3).
	echo precious >"$tmp/victim"
	ln -s "$tmp/victim" "$tmp/d.pid"
	second -p "$tmp/d.pid"
	expect_rc "pid file: a symbolic link is refused" 1
	expect_has "$tmp/err" "pid file $tmp/d.pid is a symbolic link" \
		"pid file: the refusal says why"
	daemon_check "pid file: the link's target is untouched" \
		test "$(cat "$tmp/victim")" = precious
	rm -f "$tmp/d.pid"

	# track_file init_file overwrite through a planted link (hole 3): the
	# VRRP worker must not truncate the link's target. A veth pair in the
	# daemon's namespace carries the instance that tracks the file.
	echo secret >"$tmp/victim"
	chmod 600 "$tmp/victim"
	ln -s "$tmp/victim" "$tmp/tf"
	cat >"$tmp/tf.conf" <<EOC
track_file TF {
    file "$tmp/tf"
    init_file 5 overwrite
}
vrrp_instance VI_TF {
    interface d0
    virtual_router_id 7
    priority 100
    virtual_ipaddress {
        192.0.2.77/32
    }
    track_file {
        TF
    }
}
EOC
	: >"$tmp/d.log"
	$netns sh -c "ip link add d0 type veth peer name d1 && ip link set d0 up &&
		exec '$VIGILD' -n -l -P -f '$tmp/tf.conf' -p '$tmp/tf.pid'" >>"$tmp/d.log" 2>&1 &
	dpid=$!
	daemon_check "init_file: refused through a symbolic link, and said" \
		wait_log "track_file $tmp/tf: init_file not written" 5
	daemon_check "init_file: the link's target is untouched" \
		test "$(cat "$tmp/victim")" = secret
	caps_stop

	# Least privilege (issue 15): each process keeps only the capabilities
	# src/privs.c lists, the bounding set stays whole (a root script gets
	# it at exec, as under keepalived), and vigil still works with that:
	# a VRRP instance becomes master and adds its VIP; the checker's
	# TCP_CHECK (bind_port 999) succeeds, a MISC_CHECK runs as nobody and
	# one that hangs as nobody is killed at misc_timeout; a reload adds a
	# VIP, an instance on another interface and a notify FIFO given to
	# nobody's group; a VRRP worker killed and restarted gets its set again.
	if [ "$(id -u)" -eq 0 ] && command -v capsh >/dev/null && id nobody >/dev/null 2>&1; then
		caps_case
	else
		echo "skip capabilities: needs root, capsh (libcap2-bin) and a user nobody"
	fi
fi

if [ "$failures" -ne 0 ]; then
	echo "cli.sh: $failures check(s) failed"
	exit 1
fi
echo "cli.sh: all checks passed"
exit 0
