# timing-lock.sh: sourced by every test that measures timing (the VRRP
# labs, the checker and notify tests, the VM tests).
#
# make check runs tests in parallel, and the sanitizer build beside the
# plain one; two labs or a TCG guest at once on a 2-core machine blur
# failover timings by hundreds of milliseconds. So these tests take one
# lock and run one at a time. Daemons are started with fd 9 closed, so
# none of them holds it.
#
# The wait is printed: test/run-test.sh subtracts it from the test's time,
# so the suite's log shows how long each test held the lock (the sum of
# those holds is most of the suite's wall time: see the README).
timing_lock() {
	_tl_start=$(date +%s)
	exec 9>"${VIGIL_TIMING_LOCK:-/tmp/vigil-timing-tests.lock}"
	if flock -w 1200 9; then
		echo "timing-lock: waited $(($(date +%s) - _tl_start)) s"
	else
		echo "warning: ran without the timing-test lock"
	fi
}
