#!/bin/sh
# The whole test suite, from a fresh clone on a fresh Debian 12 machine:
# install what is missing, build, run the unit tests (plain and under
# ASan+UBSan), the behaviour tests, and a short fuzzing run. Ends with one
# line "N passed, N failed".
#   scripts/test.sh                    everything; the fuzzing run is the
#                                      same fixed-seed inputs every time
#   FUZZ_SECONDS=600 scripts/test.sh   explore instead: 600 s per fuzz
#                                      target from a random seed
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# --vm: qemu and busybox for the IPVS tests, which boot a Debian kernel
# that has IPVS (this machine's own kernel may not).
scripts/deps.sh --vm || exit 1

build="$top/build"
log="$build/test-summary.log"
mkdir -p "$build"
: > "$log"
if [ ! -x "$top/configure" ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
	autoreconf -fi >/dev/null 2>&1 || { echo "autoreconf failed"; autoreconf -fi; exit 1; }
fi
cd "$build"
if [ ! -f Makefile ]; then
	"$top/configure" >/dev/null || { echo "configure failed"; exit 1; }
fi
make -j2 >/dev/null || { make; echo "0 passed, 1 failed"; exit 1; }

make -j2 check
check_rc=$?

# Short fuzzing run. By default a fixed number of inputs from a fixed seed,
# so that a verdict can be reproduced anywhere (a random run once failed CI
# on an input nobody could see again); FUZZ_SECONDS explores at random.
fuzz_rc=0
if [ -n "${FUZZ_SECONDS:-}" ]; then
	fuzz_args="FUZZ_SECONDS=$FUZZ_SECONDS"
else
	fuzz_args="FUZZ_RUNS=${FUZZ_RUNS:-20000} FUZZ_SEED=${FUZZ_SEED:-1}"
fi
# shellcheck disable=SC2086 # two make variables
make fuzz $fuzz_args > "$build/fuzz.log" 2>&1 || fuzz_rc=1
grep -E "^(stat::number_of_executed_units|Done)" "$build/fuzz.log" || true

# Count what every test harness recorded: the plain build and the ASan one.
passed=0
failed=0
for f in "$build"/test-suite.log "$build"/build-asan/test-suite.log; do
	[ -f "$f" ] || continue
	p=$(sed -n 's/^# PASS: *//p' "$f" | head -1)
	x=$(sed -n 's/^# FAIL: *//p' "$f" | head -1)
	e=$(sed -n 's/^# ERROR: *//p' "$f" | head -1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${x:-0} + ${e:-0}))
done
if [ "$fuzz_rc" -eq 0 ]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "fuzz: FAILED (see build/fuzz.log)"
	# What the target said about the input (a round-trip dump, a sanitizer
	# report), then the input itself, so it can be replayed elsewhere.
	grep -v -E '^(#[0-9]|  NEW_FUNC|INFO:)' "$build/fuzz.log" | head -80
	for a in "$build"/fuzz/crash-* "$build"/fuzz/leak-* "$build"/fuzz/timeout-* "$build"/fuzz/oom-*; do
		[ -f "$a" ] || continue
		echo "--- $a (base64):"
		base64 "$a" | head -200
	done
fi
if [ "$check_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
