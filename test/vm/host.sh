#!/bin/sh
# make check entry for a guest-side test: host.sh SCRIPT (a file in
# test/vm/). Prepares the IPVS VM (kernel and initramfs, cached) and runs
# SCRIPT in it, or directly where this machine's kernel has IPVS (run.sh
# says so). Skips (77) when not root, or when neither IPVS nor qemu and
# the kernel package can be had here (scripts/deps.sh --vm installs what
# the VM needs).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
script=$1

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: $script needs root"
	exit 77
fi

host_has_ipvs() {
	[ -e /proc/net/ip_vs ] && return 0
	command -v modprobe >/dev/null 2>&1 && modprobe -q ip_vs 2>/dev/null && [ -e /proc/net/ip_vs ]
}

# One timing-sensitive test at a time (see lab_serialize in test/vrrp/lib.sh):
# a TCG guest takes a whole core.
. "$HERE/../timing-lock.sh"
timing_lock

if [ "${VIGIL_VM_FORCE:-0}" = 1 ] || ! host_has_ipvs; then
	if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
		echo "SKIP: this kernel has no IPVS and qemu-system-x86_64 is missing (scripts/deps.sh --vm)"
		exit 77
	fi
	"$HERE/prepare.sh"
	rc=$?
	case $rc in
	0) ;;
	77)
		echo "SKIP: the VM kernel cannot be had here (see above)"
		exit 77
		;;
	*)
		echo "FAIL: test/vm/prepare.sh exited $rc"
		exit 99
		;;
	esac
fi
exec "$HERE/run.sh" "$HERE/$script"
