#!/bin/sh
# The whole test suite, from a fresh clone on a fresh Debian 12 machine:
# install what is missing, build, run the unit tests (plain and under
# ASan+UBSan), the behaviour tests, and a short fuzzing run. Ends with one
# line "N passed, N failed, N skipped".
#
# A skipped test is never a pass: it is counted apart, named with its
# reason, and with CI=true (CI sets it) every skip counts as a failure,
# since everything the suite holds is something the README promises.
#   scripts/test.sh                    everything; the fuzzing run is the
#                                      same fixed-seed inputs every time
#   FUZZ_SECONDS=600 scripts/test.sh   explore instead: 600 s per fuzz
#                                      target from a random seed
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

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
cd "$build" || exit 1
if [ ! -f Makefile ]; then
	"$top/configure" >/dev/null || { echo "configure failed"; exit 1; }
fi
make -j2 >/dev/null || { make; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

# No verdict of an earlier run may be counted as this one's.
rm -f "$build/test-suite.log" "$build/build-asan/test-suite.log"
# -k: the sanitizer pass (check-local) runs even when a plain test failed.
make -k -j2 check
check_rc=$?

# Short fuzzing run. By default a fixed number of inputs from a fixed seed,
# so that a verdict can be reproduced anywhere (a random run once failed CI
# on an input nobody could see again); FUZZ_SECONDS explores at random.
fuzz_rc=0
if [ -n "${FUZZ_SECONDS:-}" ]; then
	fuzz_args="FUZZ_SECONDS=$FUZZ_SECONDS"
else
	fuzz_args="FUZZ_RUNS=${FUZZ_RUNS:-10000} FUZZ_SEED=${FUZZ_SEED:-1}"
fi
# shellcheck disable=SC2086 # two make variables
make fuzz $fuzz_args > "$build/fuzz.log" 2>&1 || fuzz_rc=1
grep -E "^(stat::number_of_executed_units|Done)" "$build/fuzz.log" || true

# Count what every test harness recorded: the plain build and the ASan one.
# An expected failure (XFAIL) or unexpected pass (XPASS) is a failure: the
# suite declares no XFAIL_TESTS, so either means something changed.
passed=0
failed=0
skipped=0
ci=false
[ "${CI:-}" = true ] && ci=true
# count KIND LOG: the "# KIND: N" line of an automake test-suite.log
count() { n=$(sed -n "s/^# $1: *//p" "$2" | head -1); echo "${n:-0}"; }
for f in "$build"/test-suite.log "$build"/build-asan/test-suite.log; do
	if [ ! -f "$f" ]; then
		echo "FAIL: no $f: that test pass did not run (see the make check output above)"
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + $(count PASS "$f")))
	failed=$((failed + $(count FAIL "$f") + $(count ERROR "$f") + $(count XFAIL "$f") + $(count XPASS "$f")))
	skipped=$((skipped + $(count SKIP "$f")))
done

# Each skip, by name, with the reason it gave (the lines of its log that
# say SKIP and the two before, else its last lines). The names come from
# the test-suite.log files counted above, which hold a section
# "SKIP: NAME" underlined with "=" for each skipped test.
if [ "$skipped" -gt 0 ]; then
	if [ "$ci" = true ]; then
		echo "CI=true: a skipped test is a failed one; $skipped skipped:"
	else
		echo "$skipped skipped (CI=true would fail them):"
	fi
	for f in "$build"/test-suite.log "$build"/build-asan/test-suite.log; do
		[ -f "$f" ] || continue
		case $f in "$build"/build-asan/*) pass="ASan+UBSan" ;; *) pass="plain" ;; esac
		for name in $(awk '/^=+$/ && prev ~ /^SKIP: / { sub(/^SKIP: /, "", prev); print prev } { prev = $0 }' "$f"); do
			tlog="$(dirname "$f")/$name.log"
			echo "  SKIP ($pass): $name"
			reason=$(grep -v -E '^(SKIP .* \(exit status: 77\)|run-test: )' "$tlog" 2>/dev/null | grep -i -B2 'skip' | tail -5)
			[ -n "$reason" ] || reason=$(grep -v -E '^(SKIP .* \(exit status: 77\)|run-test: )' "$tlog" 2>/dev/null | tail -3)
			printf '%s\n' "$reason" | sed 's/^/      /'
		done
	done
	if [ "$ci" = true ]; then
		failed=$((failed + skipped))
		skipped=0
	fi
fi
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
if [ "$check_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "FAIL: make check exited $check_rc with no failed test counted"
	failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
