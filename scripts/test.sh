#!/bin/sh
# The whole test suite, from a fresh clone on a fresh Debian 12 machine:
# install what is missing, build, run the unit tests (plain and under
# ASan+UBSan), the behaviour tests, and a short fuzzing run. Ends with one
# line "N passed, N failed".
#   scripts/test.sh                 everything
#   FUZZ_SECONDS=600 scripts/test.sh   a longer fuzzing run
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

# Short fuzzing run: the long one is `make fuzz` (600 s by default).
fuzz_rc=0
make fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-60}" > "$build/fuzz.log" 2>&1 || fuzz_rc=1
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
if [ "$fuzz_rc" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "fuzz: FAILED (see build/fuzz.log)"; tail -30 "$build/fuzz.log"; fi
if [ "$check_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
