#!/bin/sh
# make check entry for the IPVS VM: prepare the guest (kernel and initramfs,
# cached) and run test/vm/smoke.sh in it; where this machine's kernel has
# IPVS, smoke.sh runs directly. Skips (77) when not root or when qemu or
# the kernel cannot be had (scripts/deps.sh --vm installs what it needs).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: the VM smoke test needs root"
	exit 77
fi
if [ ! -e /proc/net/ip_vs ] || [ "${VIGIL_VM_FORCE:-0}" = 1 ]; then
	if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
		if [ -e /proc/net/ip_vs ] || { command -v modprobe >/dev/null 2>&1 && modprobe -q ip_vs 2>/dev/null; }; then
			: # run.sh will run smoke.sh directly
		else
			echo "SKIP: no IPVS in this kernel and no qemu-system-x86_64 (scripts/deps.sh --vm)"
			exit 77
		fi
	else
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
			exit 1
			;;
		esac
	fi
fi
"$HERE/run.sh" "$HERE/smoke.sh"
