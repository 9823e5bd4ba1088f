#!/bin/sh
# conf-params.sh - parameter substitution benchmark: how long vigild -t
# takes on a file that uses keepalived parameters on nearly every line,
# and on the doubling-parameter attack of issue 15 hole 8.
#
#   bench/conf-params.sh VIGILD [LINES]     (make bench-conf-params runs it)
#
# Writes two files of LINES lines (default 10000) with bench/gen-params.awk:
# "normal" (valid; plain, braced, nested, redefined and multi-line
# parameters) and "doubling" ($A19 = a megabyte of text, on every line).
# Runs `VIGILD -t -f FILE` RUNS times (default 3) on each under
# bench/rusage.c and prints the median wall time, the peak RSS and the
# exit statuses, with the target: each under 1 s. A benchmark, not a test:
# exits 0 whatever the figures; non-zero only when it cannot run.
# Environment: RUNS (3), TIMEOUT seconds per run (300), CC (cc), KEEP=1
# keeps the temporary folder. Output format: bench/README.md.
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 VIGILD [LINES]" >&2
	exit 2
fi
VIGILD=$1
LINES=${2:-10000}
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-300}
CC=${CC:-cc}
here=$(cd "$(dirname "$0")" && pwd)

if [ ! -x "$VIGILD" ]; then
	echo "conf-params.sh: $VIGILD is not an executable; build it first (make vigild)" >&2
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench.XXXXXX") || exit 1
if [ "${KEEP:-0}" = 1 ]; then
	echo "conf-params.sh: keeping $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
fi
if ! $CC -std=c11 -O2 -o "$tmp/rusage" "$here/rusage.c"; then
	echo "conf-params.sh: cannot compile bench/rusage.c with $CC" >&2
	exit 1
fi

echo "conf-params: vigild -t on $LINES-line files that use parameters; $RUNS runs each"
echo
printf '%-10s %8s %10s %12s  %-14s %s\n' shape lines "median s" "peak RSS MB" "exit status" "target"
for shape in normal doubling; do
	conf=$tmp/$shape.conf
	awk -v lines="$LINES" -v shape="$shape" -f "$here/gen-params.awk" >"$conf" || exit 1
	: >"$tmp/$shape.ru"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		"$tmp/rusage" -t "$TIMEOUT" -o "$tmp/$shape.ru" "$VIGILD" -t -f "$conf" \
			>"$tmp/$shape.out" 2>&1
		i=$((i + 1))
	done
	med=$(sed -n 's/.*wall_s=\([^ ]*\).*/\1/p' "$tmp/$shape.ru" | sort -n |
		awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	rss=$(sed -n 's/.*maxrss_kb=\([^ ]*\).*/\1/p' "$tmp/$shape.ru" | sort -n | tail -n 1 |
		awk '{ printf "%.1f", $1 / 1024 }')
	st=$(sed -n 's/.*status=\([^ ]*\).*/\1/p' "$tmp/$shape.ru" | tr '\n' ' ' | sed 's/ $//')
	verdict=$(awk -v t="$med" 'BEGIN { print (t < 1.0) ? "< 1 s: PASS" : "< 1 s: MISS" }')
	printf '%-10s %8s %10s %12s  %-14s %s\n' "$shape" "$(wc -l <"$conf" | tr -d ' ')" \
		"$med" "$rss" "$st" "$verdict"
	# what vigild said (normal: nothing, and exit 0; doubling: refused)
	if [ -s "$tmp/$shape.out" ]; then
		echo "  $shape: $(grep -c ': error: ' "$tmp/$shape.out") error(s); first lines:"
		head -n 2 "$tmp/$shape.out" | cut -c1-160 | sed 's/^/    /'
	fi
done
exit 0
