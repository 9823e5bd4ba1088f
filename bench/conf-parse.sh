#!/bin/sh
# conf-parse.sh - configuration parse benchmark: vigild -t against
# keepalived -t on one large generated configuration.
#
#   bench/conf-parse.sh VIGILD [N]        (make bench-conf runs it)
#
# Generates N virtual servers (default 10000) x 10 real servers x one
# TCP_CHECK each (bench/gen-conf.awk, ~13 MB for N=10000), then runs
# `VIGILD -t -f FILE` and `keepalived -t -f FILE -n -l` RUNS times each
# (default 3), every run under bench/rusage.c (wall time, peak RSS), and
# prints the median time, the peak RSS, the vigil/keepalived ratios and
# the targets:
#   time: vigil <= 0.5 x keepalived        RSS: vigil <= keepalived
# with PASS or MISS for each. It is a benchmark, not a test: it exits 0
# whatever the figures, and non-zero only when it cannot run at all.
# Environment: RUNS (3), TIMEOUT seconds per run (300), KEEPALIVED (path),
# CC (cc), KEEP=1 keeps the temporary folder. Output format: bench/README.md.
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 VIGILD [N]" >&2
	exit 2
fi
VIGILD=$1
N=${2:-10000}
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-300}
CC=${CC:-cc}
KEEPALIVED=${KEEPALIVED:-$(command -v keepalived || echo /usr/sbin/keepalived)}
here=$(cd "$(dirname "$0")" && pwd)

if [ ! -x "$VIGILD" ]; then
	echo "conf-parse.sh: $VIGILD is not an executable; build it first (make vigild)" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench.XXXXXX") || exit 1
if [ "${KEEP:-0}" = 1 ]; then
	echo "conf-parse.sh: keeping $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
fi

if ! $CC -std=c11 -O2 -o "$tmp/rusage" "$here/rusage.c"; then
	echo "conf-parse.sh: cannot compile bench/rusage.c with $CC" >&2
	exit 1
fi

conf=$tmp/bench.conf
awk -v n="$N" -f "$here/gen-conf.awk" >"$conf" || exit 1
bytes=$(wc -c <"$conf" | tr -d ' ')
lines=$(wc -l <"$conf" | tr -d ' ')

# measure NAME CMD...: run CMD RUNS times under rusage; the command's own
# output goes to $tmp/NAME.out (last run). Leaves the rusage lines in
# $tmp/NAME.ru.
measure() {
	name=$1
	shift
	: >"$tmp/$name.ru"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		"$tmp/rusage" -t "$TIMEOUT" -o "$tmp/$name.ru" "$@" >"$tmp/$name.out" 2>&1
		i=$((i + 1))
	done
}

# field NAME KEY: the values of KEY (wall_s, maxrss_kb, status) over the runs.
field() { sed -n "s/.*$2=\([^ ]*\).*/\1/p" "$tmp/$1.ru"; }
# median NAME: median wall time in seconds.
median() { field "$1" wall_s | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# peak_mb NAME: the largest peak RSS over the runs, in MB.
peak_mb() { field "$1" maxrss_kb | sort -n | tail -n 1 | awk '{ printf "%.1f", $1 / 1024 }'; }
# statuses NAME: the exit statuses of the runs, as "0 0 0".
statuses() { field "$1" status | tr '\n' ' ' | sed 's/ $//'; }

echo "conf-parse: $N virtual servers x 10 real servers x TCP_CHECK:" \
	"$lines lines, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MB; $RUNS runs each"

measure vigil "$VIGILD" -t -f "$conf"
v_time=$(median vigil)
v_rss=$(peak_mb vigil)
v_st=$(statuses vigil)

have_ka=0
if [ -x "$KEEPALIVED" ]; then
	have_ka=1
	measure keepalived "$KEEPALIVED" -t -f "$conf" -n -l
	k_time=$(median keepalived)
	k_rss=$(peak_mb keepalived)
	k_st=$(statuses keepalived)
fi

echo
printf '%-16s %12s %14s   %s\n' "" "median s" "peak RSS MB" "exit status per run"
printf '%-16s %12s %14s   %s\n' "vigild -t" "$v_time" "$v_rss" "$v_st"
if [ "$have_ka" = 1 ]; then
	printf '%-16s %12s %14s   %s\n' "keepalived -t" "$k_time" "$k_rss" "$k_st"
	r_time=$(awk -v a="$v_time" -v b="$k_time" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }')
	r_rss=$(awk -v a="$v_rss" -v b="$k_rss" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }')
	printf '%-16s %12s %14s\n' "vigil/keepalived" "$r_time" "$r_rss"
else
	echo "keepalived -t   (not run: $KEEPALIVED not found; scripts/deps.sh installs it)"
fi
echo

# verdict RATIO LIMIT: PASS when RATIO <= LIMIT, n/a without a ratio.
verdict() {
	awk -v r="$1" -v l="$2" 'BEGIN { if (r == "" || r == "n/a") print "n/a"; else if (r + 0 <= l + 0) print "PASS"; else print "MISS" }'
}
if [ "$have_ka" = 1 ]; then
	t_v=$(verdict "$r_time" 0.5)
	m_v=$(verdict "$r_rss" 1)
else
	t_v=n/a m_v=n/a
fi
# A vigil run that rejected the file parsed less than the whole file: no
# figure of it is comparable.
for s in $v_st; do
	[ "$s" = 0 ] && continue
	t_v="MISS (vigild -t exit $s: it did not accept the file)" m_v=$t_v
	break
done
# Warnings mean vigil skipped part of the file (unknown keywords): it then
# did less work than keepalived, and the verdicts say so.
v_warn=$(grep -c ': warning: ' "$tmp/vigil.out")
if [ "$v_warn" -gt 0 ]; then
	case $t_v in PASS|MISS) t_v="$t_v (vigild warned $v_warn times: not all parsed)" ;; esac
	case $m_v in PASS|MISS) m_v="$m_v (vigild warned $v_warn times: not all parsed)" ;; esac
fi
printf 'target time: vigil <= 0.5 x keepalived   %s\n' "$t_v"
printf 'target RSS:  vigil <= keepalived         %s\n' "$m_v"

if [ -n "$(echo "$v_st" | tr -d ' 0')" ] || [ "$v_warn" -gt 0 ]; then
	echo
	echo "vigild -t messages (first 10 lines of the last run):"
	head -n 10 "$tmp/vigil.out" | cut -c1-200 | sed 's/^/    /'
fi
exit 0
