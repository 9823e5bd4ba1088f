#!/bin/sh
# run-test.sh TEST [ARGS]: how `make check` runs every test (automake's
# LOG_COMPILER), plain and in the sanitizer build alike.
#
# Why: under ASan+UBSan a report must fail the test that provoked it, and
# neither the test's exit status nor its output can be trusted to show
# one. ASan's default exit status, 1, is what several bad-input.sh and
# cli.sh cases expect from vigild; and the supervisor restarts a worker
# that a sanitizer killed, so a report in a worker lands in a daemon log
# that a passing test never reads. So:
#   - every sanitized process (vigild, its workers, the tools, the unit
#     test binaries and their forked cases) writes its reports to files in
#     a scratch directory of this test's own (log_path), whoever holds its
#     stderr; any such file fails the test, and is printed into its log;
#   - the sanitizers exit 86 (exitcode), a status no test expects;
#   - the test's own output is scanned too, for a report from a process
#     that did not get these options.
# In the plain build nothing is sanitized and this only runs the test.
# The options are set here, last, so that they win over any from outside.
set -u
[ $# -ge 1 ] || { echo "usage: run-test.sh TEST [ARGS]" >&2; exit 99; }

san_dir=$(mktemp -d "${TMPDIR:-/tmp}/vigil-san.XXXXXX") || exit 99
out="$san_dir/output"
# A process that has dropped privileges must still be able to report.
chmod 1777 "$san_dir"
trap 'rm -rf "$san_dir"' EXIT
# Interrupted: what the test said so far still reaches its log.
trap 'cat "$out" 2>/dev/null; exit 130' INT TERM

ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:abort_on_error=0:exitcode=86:log_path=$san_dir/asan"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1:exitcode=86:log_path=$san_dir/ubsan"
export ASAN_OPTIONS UBSAN_OPTIONS
# The VM tests' guest (test/vm/run.sh) has a fresh /tmp of its own: share
# this directory with it read-write, so that reports written there land here.
VIGIL_VM_RW="${VIGIL_VM_RW:+$VIGIL_VM_RW }$san_dir"
export VIGIL_VM_RW

start=$(date +%s)
"$@" > "$out" 2>&1
rc=$?
cat "$out"
# For the suite's time budget (README, "Run the tests").
# A test that shares the timing-test lock says how long it waited for it
# (test/timing-lock.sh): the rest is the time it held it.
waited=$(sed -n 's/^timing-lock: waited \([0-9]*\) s$/\1/p' "$out" | head -1)
took=$(( $(date +%s) - start ))
if [ -n "$waited" ]; then
	echo "run-test: $1 took $took s ($waited s waiting for the timing-test lock, $((took - waited)) s holding it)"
else
	echo "run-test: $1 took $took s"
fi

reports=0
for f in "$san_dir"/asan.* "$san_dir"/ubsan.*; do
	[ -f "$f" ] || continue
	reports=$((reports + 1))
	echo "run-test: FAIL: sanitizer report from pid ${f##*.} (first 60 lines):"
	head -60 "$f"
done
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$out"; then
	echo "run-test: FAIL: a sanitizer report in the test's output (above)"
	reports=$((reports + 1))
fi
if [ "$rc" -eq 86 ] && [ "$reports" -eq 0 ]; then
	echo "run-test: FAIL: exit status 86 is the sanitizers' (no report file was written)"
	reports=1
fi
if [ "$reports" -gt 0 ]; then
	# 99 (a hard error) stays; anything else, a pass or a skip included, fails.
	[ "$rc" -eq 99 ] && exit 99
	exit 1
fi
exit "$rc"
