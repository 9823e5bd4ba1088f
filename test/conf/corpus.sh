#!/bin/sh
# corpus.sh - every real keepalived.conf in test/conf/corpus/ that
# keepalived 2.2.7 runs, vigil runs too (issue 10, section 3).
#
# The files come from public repositories (each names its source on its
# first line). For each one:
#   - `keepalived -t -f FILE -n -l -G` runs in a network namespace holding an
#     interface of every name the file mentions (interface, dev,
#     track_interface, ...: keepalived's -t ignores an instance whose
#     interface does not exist, which would hide what the file says);
#   - `vigild -t -f FILE` runs beside it.
# keepalived 2.2.7's -t exits 0 on a clean file, 5 when it reported
# anything at all (an unknown keyword, a value it replaced by its default:
# it still starts on such a file), 6 for script-security remarks (the
# scripts are missing here; it still starts), and 4 when it cannot run
# (file not found, bad interface, fatal). A file keepalived runs (0, 5 or
# 6) must be accepted by vigil (exit 0, no error; warnings are fine):
# otherwise the test fails, naming the file, vigil's errors and
# keepalived's messages. Two lists below say otherwise, each entry with the
# errors vigil must give and why: files vigil refuses on purpose
# (permanent) and files expected to fail until a parser fix lands (none
# now). A file keepalived refuses is counted and listed, and fails
# nothing: what vigil says about it is bad-input.sh's business.
#
# Scripts the files name (notify, vrrp_script, misc_path) do not exist
# here. Neither daemon's -t fails for that: keepalived checks them only
# when it starts, vigil warns at -t ("it fails each time it should run").
#
# Needs root (namespaces) and keepalived (scripts/deps.sh installs it):
# without them it skips (77), and under CI=true a missing keepalived fails.
set -u

VIGILD=${VIGILD:-./vigild}
CORPUS=${TOP_SRCDIR:-$(dirname "$0")/../..}/test/conf/corpus
KEEPALIVED=${KEEPALIVED:-$(command -v keepalived || echo /usr/sbin/keepalived)}

if [ ! -x "$VIGILD" ]; then
	echo "corpus.sh: $VIGILD is not an executable; build vigild first" >&2
	exit 1
fi
if [ ! -x "$KEEPALIVED" ]; then
	if [ "${CI:-}" = true ]; then
		echo "FAIL: keepalived not found ($KEEPALIVED); it is a test dependency: scripts/deps.sh"
		exit 1
	fi
	echo "SKIP: keepalived not installed (scripts/deps.sh installs it)"
	exit 77
fi
"$KEEPALIVED" --version 2>&1 | grep -q 'Keepalived v2\.2\.7' ||
	echo "# note: not keepalived 2.2.7: $("$KEEPALIVED" --version 2>&1 | head -1)"

NS="vcorpus$$"
if [ "$(id -u)" -ne 0 ] || ! ip netns add "$NS" 2>/dev/null; then
	echo "SKIP: needs root and network namespaces"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-corpus.XXXXXX") || { ip netns del "$NS"; exit 1; }
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
ip -n "$NS" link set lo up

# ---- expected failures --------------------------------------------------------
# None: every file keepalived runs, vigil runs. (The list was for the cases
# parser fixes of issue 10 section 3; the function stays for the report's
# wording should one be needed again.)
expected_failure() {
	return 1
}

# ---- refused by design: PERMANENT ---------------------------------------------
# Files keepalived starts on (its -t exits 5: "something was wrong") but
# not as their author meant, which vigil refuses on purpose. Each names
# the errors vigil must give (an extended regular expression every error
# line must match) and why. A file here that vigil accepts fails the test.
refused_by_design() {
	case "$1" in
	001-acassen-sample.conf|036-hcloud-ah-unicast-label.conf)
		want='auth_type AH: vigil has no IPsec AH'
		why="auth_type AH: vigil has no IPsec AH and will not run unauthenticated (issue 15)" ;;
	017-note-unclosed-instance.conf)
		want="'vrrp_instance \\{' is never closed"
		why="the instance is never closed: keepalived warns of a missing '}' and reads the shell script pasted after it as unknown keywords of the instance; vigil refuses a block that is never closed" ;;
	018-cmz-includes-only.conf)
		want='cannot include .*: no such file'
		why="every include is missing: keepalived runs with none of the configuration" ;;
	019-docker-track-interface-inline.conf)
		want="track_interface takes 0 values|'track_interface' needs a block"
		why="'track_interface eth0' on one line: keepalived reads the lines after it (authentication, {, auth_type...) as tracked interfaces that never exist" ;;
	050-devel-1100-variables-routes.conf)
		want="must be a (whole number|time in seconds).*, not '\\\$P"
		why="written for -i high / -i low: without a config id \$PRI and \$PRE_DEL are never defined (keepalived falls back to priority 100 and no preempt_delay); vigild -t -i high accepts it" ;;
	054-devel-1-track-sip-devbranch.conf)
		want="takes 0 values; unexpected 'track|unknown (address|route|rule) option '(restore|track)'|'\\{' without a keyword before it"
		why="syntax of a keepalived development branch (named static blocks, track_sip, restore, route 'track'): keepalived 2.2.7 skips most of its routes and tracking" ;;
	*) return 1 ;;
	esac
}

TIMEOUT=
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout 20"

indent() { sed 's/^/       /'; }

# ifaces FILE: the interface names FILE mentions, one a line: after
# interface, dev, default_interface, lvs_sync_daemon(_interface), and
# each line of a track_interface block, and the values of $NAME=VALUE
# definitions (the file may say "interface $IF"). Comments are dropped; a
# label (eth0:1) names its interface; lo always exists.
ifaces() {
	awk '
	{ sub(/[#!].*/, "") }
	intrack {
		if ($0 ~ /}/) { intrack = 0; next }
		if (NF > 0) print $1
		next
	}
	/(^|[ \t])track_interface[ \t]*{/ { intrack = 1; next }
	/^[ \t]*\$[A-Za-z_][A-Za-z0-9_]*=/ { v = $1; sub(/^[^=]*=/, "", v); print v; next }
	{
		for (i = 1; i < NF; i++)
			if ($i == "interface" || $i == "dev" || $i == "default_interface" ||
			    $i == "lvs_sync_daemon" || $i == "lvs_sync_daemon_interface")
				print $(i + 1)
	}' "$1" | sed 's/:.*//; s/"//g' | grep -E '^[A-Za-z0-9_.@-]{1,15}$' | grep -vx lo | sort -u
}

# need_iface NAME: make NAME exist, up, in the namespace. A bridge, as
# this kernel may have no dummy driver; keepalived only needs the name.
need_iface() {
	ip -n "$NS" link show "$1" >/dev/null 2>&1 && return 0
	ip -n "$NS" link add "$1" type bridge 2>/dev/null &&
		ip -n "$NS" link set "$1" up
}

total=0 kaccept=0 vaccept=0 failures=0 xfail=0 xpass=0 designed=0
refused=""
for f in "$CORPUS"/*.conf; do
	[ -e "$f" ] || continue
	name=${f##*/}
	total=$((total + 1))
	for i in $(ifaces "$f"); do
		need_iface "$i" || echo "# $name: could not create interface $i"
	done
	# keepalived's -t parses in its parent process: no pid file, no socket.
	# shellcheck disable=SC2086
	ip netns exec "$NS" $TIMEOUT "$KEEPALIVED" -t -f "$f" -n -l -G >"$tmp/ka" 2>&1
	karc=$?
	ip netns exec "$NS" "$VIGILD" -t -f "$f" >"$tmp/out" 2>"$tmp/err"
	vrc=$?
	grep ': error: ' "$tmp/err" >"$tmp/errors"
	case $karc in
	0|5|6) ;;
	*)	refused="$refused $name"
		echo "--   $name: keepalived refuses it (exit $karc); vigil exit $vrc"
		indent <"$tmp/ka"
		continue ;;
	esac
	kaccept=$((kaccept + 1))
	if refused_by_design "$name"; then
		if [ "$vrc" -ne 0 ] && [ -s "$tmp/errors" ] &&
		   ! sed 's/^[^ ]*: error: //' "$tmp/errors" | grep -qvE "$want"; then
			echo "ok   $name: refused by design: $why"
			designed=$((designed + 1))
		else
			echo "FAIL $name: should be refused ($why) with errors matching /$want/ only; vigild -t exit $vrc:"
			indent <"$tmp/err"
			failures=$((failures + 1))
		fi
		continue
	fi
	if [ "$vrc" -eq 0 ] && [ ! -s "$tmp/errors" ]; then
		vaccept=$((vaccept + 1))
		if expected_failure "$name"; then
			echo "ok   $name (now accepted: take it off the expected-failure list: $reason)"
			xpass=$((xpass + 1))
		else
			echo "ok   $name"
		fi
		continue
	fi
	# Listed, and refused for the listed reason only: anything else fails.
	if expected_failure "$name" && [ -s "$tmp/errors" ] &&
	   ! sed 's/^[^ ]*: error: //' "$tmp/errors" | grep -qvE "$xwant"; then
		echo "XFAIL $name: vigild -t exit $vrc (expected, until a parser fix: $reason)"
		indent <"$tmp/errors"
		xfail=$((xfail + 1))
		continue
	fi
	echo "FAIL $name: keepalived accepts it, vigild -t exit $vrc:"
	indent <"$tmp/err"
	echo "     keepalived said:"
	indent <"$tmp/ka"
	failures=$((failures + 1))
done

if [ "$total" -eq 0 ]; then
	echo "FAIL: no files in $CORPUS"
	exit 1
fi
echo "corpus.sh: $total files; keepalived 2.2.7 runs $kaccept, vigil runs $vaccept of them;" \
	"$designed refused by design, $xfail expected failures, $failures other failures;" \
	"keepalived refuses $((total - kaccept))${refused:+:$refused}"
[ "$xpass" -gt 0 ] && echo "corpus.sh: $xpass file(s) on the expected-failure list are now accepted"
[ "$failures" -eq 0 ] || exit 1
exit 0
