#!/bin/sh
# Install what vigil needs to build and test on Debian 12, and only what is
# missing. Safe to run again: a machine that has everything installs nothing.
#   scripts/deps.sh          build + test dependencies
#   scripts/deps.sh --vm     also qemu and the Debian kernel for IPVS tests
set -eu

PKGS="autoconf automake libtool make pkg-config gcc clang libclang-rt-14-dev
libnl-3-dev libnl-genl-3-dev libnl-route-3-dev libcurl4-openssl-dev libuv1-dev
libconfig-dev libnftables-dev libcap-ng-dev check iproute2 iputils-ping nftables keepalived ipvsadm procps
python3 openssl libcap2-bin"
if [ "${1:-}" = "--vm" ]; then
	PKGS="$PKGS qemu-system-x86 busybox-static cpio xz-utils"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "deps: everything is installed"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing:$missing; run this script as root (or: sudo apt-get install$missing)" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# keepalived is installed for its samples and as the reference in tests and
# benchmarks; its service must not start on its own.
if echo "$missing" | grep -q keepalived && [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
