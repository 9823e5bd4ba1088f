#!/bin/sh
# bad-input.sh - vigild -t on broken, hostile and oversized input: every
# case must end in a clear message at file:line:col and exit status 1
# (exactly 1: a crash shows as >128, a sanitizer report as another code),
# and every problem of a file must be reported in one run.
#
# Inputs are written at test time into a temporary folder (removed on
# exit); the large ones are generated, and the binary one comes from a
# fixed-seed generator so that every run sees the same bytes. Nothing here
# measures time: each case only has a generous timeout against hangs.
#
# Run by `make check` with VIGILD and TOP_SRCDIR in the environment.
set -u

VIGILD=${VIGILD:-./vigild}
if [ ! -x "$VIGILD" ]; then
	echo "bad-input.sh: $VIGILD is not an executable; build vigild first (make vigild)" >&2
	exit 1
fi
export LC_ALL=C

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bad.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
TIMEOUT=
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout 120"

ok() { echo "ok   $1"; }
fail() {
	echo "FAIL $1"
	failures=$((failures + 1))
	if [ -s "$tmp/err" ]; then
		echo "     stderr was (first lines, cut at 200 columns):"
		head -n 12 "$tmp/err" | cut -c1-200 | sed 's/^/       /'
	fi
}

# check NAME FILE RC [TEXT...]: vigild -t -f FILE exits RC and stderr has
# every fixed string TEXT. Output goes to $tmp/out and $tmp/err.
check() {
	name=$1 file=$2 want=$3
	shift 3
	# shellcheck disable=SC2086
	$TIMEOUT "$VIGILD" -t -f "$file" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		if [ "$rc" -gt 128 ]; then
			fail "$name: vigild died with signal $((rc - 128)) (exit $rc)"
		elif [ "$rc" -eq 124 ] && [ -n "$TIMEOUT" ]; then
			fail "$name: vigild did not finish in 120 s"
		else
			fail "$name: exit $rc, want $want"
		fi
		return 1
	fi
	for text in "$@"; do
		if ! grep -qF -- "$text" "$tmp/err"; then
			fail "$name: no message containing: $text"
			return 1
		fi
	done
	ok "$name (exit $rc)"
}

# count_errors: how many "error:" lines the last check printed.
count_errors() { grep -c '^[^ ].*:[0-9]*:[0-9]*: error: ' "$tmp/err"; }

# longest_line FILE: the length of FILE's longest line.
longest_line() { awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$1"; }

# ---- lexer: quotes --------------------------------------------------------------

f=$tmp/quote2.conf
printf 'vrrp_script s {\n    script "/bin/true\n}\n' >"$f"
check "unterminated double quote" "$f" 1 \
	"$f:2:12: error: unterminated double-quoted string; add the closing \""

f=$tmp/quote1.conf
printf "vrrp_script s {\n    script '/bin/true\n}\n" >"$f"
check "unterminated single quote" "$f" 1 \
	"$f:2:12: error: unterminated single-quoted string; add the closing '"

# ---- braces ---------------------------------------------------------------------

f=$tmp/open.conf
printf 'vrrp_script s {\n    script /bin/true\n    interval 2\n' >"$f"
check "missing '}'" "$f" 1 "$f:1:1: error: 'vrrp_script {' is never closed; add a '}'"

f=$tmp/close.conf
printf 'vrrp_script s {\n    script /bin/true\n}\n}\n' >"$f"
check "extra '}'" "$f" 1 "$f:4:1: error: '}' without a matching '{'; remove it"

f=$tmp/bare.conf
printf 'vrrp_script s {\n    script /bin/true\n}\n{\n    interval 2\n}\n' >"$f"
check "'{' without a keyword" "$f" 1 "$f:4:1: error: '{' without a keyword before it"

# ---- VRRP on a loopback (issue 14) ------------------------------------------------

f=$tmp/lo.conf
printf 'vrrp_instance VI_1 {\n    interface lo\n    virtual_router_id 51\n    virtual_ipaddress {\n        10.0.0.1\n    }\n}\n' >"$f"
check "interface lo" "$f" 1 \
	"$f:2:15: error: cannot use a loopback interface (lo) for vrrp"

# ---- includes -------------------------------------------------------------------

f=$tmp/inc-missing.conf
printf '# a missing file\ninclude no-such-file.conf\n' >"$f"
check "missing include" "$f" 1 \
	"$f:2:1: error: cannot include $tmp/no-such-file.conf: no such file"

printf 'include loop-b.conf\n' >"$tmp/loop-a.conf"
printf '# b includes a back\ninclude loop-a.conf\n' >"$tmp/loop-b.conf"
f=$tmp/loop-a.conf
check "include loop names the chain" "$f" 1 \
	"$tmp/loop-b.conf:2:1: error: include loop:" \
	"loop-a.conf -> $tmp/loop-b.conf -> $tmp/loop-a.conf"

f=$tmp/self.conf
printf 'include self.conf\n' >"$f"
check "a file including itself" "$f" 1 "error: include loop: $f -> $tmp/self.conf"

# ---- binary garbage ---------------------------------------------------------------

# 64 KiB from a Park-Miller generator with a fixed seed: the same bytes on
# every run and every awk (every product stays below 2^53, so doubles are exact).
f=$tmp/garbage.bin
awk 'BEGIN { x = 20231122
	for (i = 0; i < 65536; i++) { x = (x * 16807) % 2147483647; printf "%c", int(x / 4096) % 256 } }' >"$f"
size=$(wc -c <"$f" | tr -d ' ')
if [ "$size" -ne 65536 ]; then
	fail "binary garbage: the generator wrote $size bytes, not 65536"
else
	check "64 KiB of binary garbage" "$f" 1 \
		"error: NUL byte in configuration: this is not a text file" \
		"$f: configuration is not valid"
	# Bounded output: at most the message limit, whatever the input.
	if [ "$(wc -l <"$tmp/err")" -le 1100 ]; then ok "binary garbage: the output stays bounded"
	else fail "binary garbage: $(wc -l <"$tmp/err") lines of output"; fi
fi

# ---- 10 MB files --------------------------------------------------------------------

# 131,072 lines of 80 bytes = 10 MiB of comment, then a stray '}': the
# error must carry the right line number after reading all of it.
f=$tmp/big-comment.conf
pad='# padding: 10 MiB of comment lines before the one line that is wrong'
yes "$(printf '%-79s' "$pad")" | head -n 131072 >"$f"
printf '}\n' >>"$f"
check "10 MB of comment, then an error" "$f" 1 \
	"$f:131073:1: error: '}' without a matching '{'; remove it"

# 10 MB of lines vigil does not know (31,000 lines of 346 bytes: long
# lines, and few enough that a sanitizer build is quick too): only
# warnings (exit 0), and the output is capped at the message limit.
f=$tmp/big-unknown.conf
line=$(awk 'BEGIN { printf "unknown_keyword"; for (i = 1; i <= 30; i++) printf " value_%04d", i }')
yes "$line" | head -n 31000 >"$f"
check "10 MB of unknown keywords" "$f" 0 \
	"$f:1:1: warning: unknown keyword 'unknown_keyword' in the top level; ignored" \
	"more messages not shown"
if [ "$(wc -l <"$tmp/err")" -le 1100 ]; then ok "10 MB of unknown keywords: the output is capped"
else fail "10 MB of unknown keywords: $(wc -l <"$tmp/err") lines of output"; fi

# ---- nesting 10,000 deep --------------------------------------------------------------

f=$tmp/nest.conf
awk 'BEGIN { for (i = 0; i < 10000; i++) print "deep {"; for (i = 0; i < 10000; i++) print "}" }' >"$f"
check "unknown block nested 10,000 deep" "$f" 0 \
	"$f:1:1: warning: unknown keyword 'deep' in the top level; ignored"

f=$tmp/nest-open.conf
awk 'BEGIN { for (i = 0; i < 10000; i++) print "deep {"; for (i = 0; i < 9999; i++) print "}" }' >"$f"
check "unclosed block nested 10,000 deep" "$f" 1 "$f:1:6: error: '{' is never closed; add a '}'"

f=$tmp/nest-known.conf
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "vrrp_script s%d {\n", i
	for (i = 0; i < 10000; i++) print "}" }' >"$f"
check "known block nested 10,000 deep" "$f" 0 \
	"$f:2:1: warning: keyword 'vrrp_script' does not belong in vrrp_script"

f=$tmp/nest-bare.conf
awk 'BEGIN { for (i = 0; i < 10000; i++) print "{"; for (i = 0; i < 10000; i++) print "}" }' >"$f"
check "bare '{' nested 10,000 deep" "$f" 1 "$f:1:1: error: '{' without a keyword before it"

# ---- a 100 KB token ---------------------------------------------------------------------

tok=$(awk 'BEGIN { for (i = 0; i < 102400; i++) printf "9" }')
f=$tmp/token-number.conf
printf 'vrrp_script s {\n    script /bin/true\n    weight %s\n}\n' "$tok" >"$f"
check "100 KB number" "$f" 1 "$f:3:12: error: weight must be a whole number, not '999"
if [ "$(longest_line "$tmp/err")" -le 4096 ]; then ok "100 KB number: the message is cut short"
else fail "100 KB number: a message line of $(longest_line "$tmp/err") bytes"; fi

f=$tmp/token-keyword.conf
printf 'k%s 1\n' "$tok" >"$f"
check "100 KB unknown keyword" "$f" 0 "$f:1:1: warning: unknown keyword 'k999"
if [ "$(longest_line "$tmp/err")" -le 4096 ]; then ok "100 KB keyword: the message is cut short"
else fail "100 KB keyword: a message line of $(longest_line "$tmp/err") bytes"; fi

# A long value is not an error in itself: it loads and survives --dump.
f=$tmp/token-string.conf
printf 'vrrp_script s {\n    script "/bin/echo %s"\n}\n' "$tok" >"$f"
check "100 KB quoted string" "$f" 0
$TIMEOUT "$VIGILD" -t --dump -f "$f" >"$tmp/out" 2>"$tmp/err"
# (Count the 9s rather than grep -F for a 100 KB pattern, which is slow.)
nines=$(tr -cd 9 <"$tmp/out" | wc -c | tr -d ' ')
if [ "$nines" -eq 102400 ]; then ok "100 KB quoted string: --dump keeps all of it"
else fail "100 KB quoted string: --dump has $nines of its 102400 digits"; fi

# ---- values out of range, bad addresses ---------------------------------------------------

f=$tmp/range.conf
cat >"$f" <<'EOF'
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 0
    priority 256
    virtual_ipaddress {
        192.0.2.1/24
    }
}
EOF
check "out-of-range values" "$f" 1 \
	"$f:4:23: error: virtual_router_id 0 is out of range; use 1..255" \
	"$f:5:14: error: priority 256 is out of range"

f=$tmp/address.conf
cat >"$f" <<'EOF'
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    unicast_src_ip 192.0.2.300
    virtual_ipaddress {
        192.0.2.1/24
        10.1.2/24
    }
    virtual_ipaddress_excluded {
        2001:db8::zz/64
    }
}
EOF
check "bad addresses" "$f" 1 \
	"$f:5:20: error: '192.0.2.300'" \
	"$f:8:9: error: '10.1.2/24'" \
	"$f:11:9: error: '2001:db8::zz/64'" \
	"not a valid IPv4 address" "not a valid IPv6 address"

# ---- duplicate names ------------------------------------------------------------------------

f=$tmp/dup.conf
cat >"$f" <<'EOF'
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        192.0.2.1/24
    }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 52
    priority 100
    virtual_ipaddress {
        192.0.2.2/24
    }
}
EOF
check "duplicate vrrp_instance name" "$f" 1 \
	"$f:9:1: error: vrrp_instance VI_1 is defined twice (first at line 1)"

# ---- every problem in one run ------------------------------------------------------------------

f=$tmp/three.conf
cat >"$f" <<'EOF'
vrrp_script one {
    script "/bin/true
}
vrrp_script two {
    script /bin/true
    weight 300
}
vrrp_script three {
    script /bin/true
    rise often
}
EOF
check "three independent errors" "$f" 1 \
	"$f:2:12: error: unterminated double-quoted string" \
	"$f:6:12: error: weight 300 is out of range" \
	"$f:10:10: error: rise must be a whole number, not 'often'" \
	"3 error(s)"
n=$(count_errors)
if [ "$n" -eq 3 ]; then ok "three independent errors: three error lines"
else fail "three independent errors: $n error lines, want 3"; fi

if [ "$failures" -ne 0 ]; then
	echo "bad-input.sh: $failures check(s) failed"
	exit 1
fi
echo "bad-input.sh: all checks passed"
exit 0
