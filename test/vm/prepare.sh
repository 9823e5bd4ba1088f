#!/bin/bash
# Prepare the qemu guest used by the IPVS tests on a machine whose own
# kernel has no IPVS: Debian's kernel (downloaded, never installed) and an
# initramfs made of busybox-static, the modules the tests need and an /init
# that mounts the host's root read-only over 9p and runs one job in it.
#
#   test/vm/prepare.sh [-q]
#
# Idempotent: the packages are downloaded once into the cache directory and
# the initramfs is rebuilt only when this script, busybox or the module list
# changed. Needs root (it writes the cache and makes device nodes) and the
# packages busybox-static and cpio; qemu-system-x86 is needed to run it.
#
# Environment:
#   VIGIL_VM_CACHE    cache directory (default /var/cache/vigil-vm)
#   VIGIL_VM_MODULES  extra kernel modules to load at boot (names)
#   VIGIL_VM_REFRESH  1: download the kernel packages again
#
# Exit status: 0 ready, 1 failed, 77 cannot be done here (not root, missing
# tools or no kernel package to be had): callers may treat 77 as a skip.
set -euo pipefail

CACHE=${VIGIL_VM_CACHE:-/var/cache/vigil-vm}
QUIET=0
[ "${1:-}" = "-q" ] && QUIET=1
HERE=$(cd "$(dirname "$0")" && pwd)

say() { [ "$QUIET" = 1 ] || echo "vm-prepare: $*" >&2; }
skip() { echo "vm-prepare: $*" >&2; exit 77; }
die() { echo "vm-prepare: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root (writes $CACHE, makes device nodes)"
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || BUSYBOX=$(command -v busybox || true)
if [ -z "$BUSYBOX" ] || [ ! -x "$BUSYBOX" ]; then
	skip "busybox not found (apt-get install busybox-static)"
fi
if ldd "$BUSYBOX" >/dev/null 2>&1; then
	skip "$BUSYBOX is not a static busybox (apt-get install busybox-static)"
fi
for t in cpio gzip apt-get dpkg-deb; do
	command -v "$t" >/dev/null || skip "$t not found"
done

mkdir -p "$CACHE"
# One prepare at a time: make check may run several VM tests in parallel.
exec 9>"$CACHE/.lock"
flock -w 600 9 || die "could not lock $CACHE/.lock"

# ---- 1. the kernel package ---------------------------------------------------
DEB_DIR=$CACHE/debs
mkdir -p "$DEB_DIR"
if [ "${VIGIL_VM_REFRESH:-0}" = 1 ]; then
	rm -f "$DEB_DIR"/*.deb "$CACHE/ready"
fi
newest_deb() { # the newest kernel package in the cache, if any
	local f
	for f in "$DEB_DIR"/linux-image-[0-9]*-amd64_*_amd64.deb; do
		if [ -f "$f" ]; then echo "$f"; fi
	done | sort -V | tail -1
}
kdeb=$(newest_deb)
if [ -z "$kdeb" ]; then
	# the versioned package that the meta package linux-image-amd64 names
	kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
	if [ -z "$kpkg" ]; then
		say "apt lists have no linux-image-amd64: apt-get update"
		timeout 300 apt-get update -qq >/dev/null 2>&1 || true
		kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
	fi
	[ -n "$kpkg" ] || skip "no linux-image-amd64 package to be had from apt"
	say "downloading $kpkg"
	tmpd=$(mktemp -d "$DEB_DIR/.dl.XXXXXX")
	trap 'rm -rf "$tmpd"' EXIT
	# _apt cannot write into a root-only directory: download as root.
	if ! (cd "$tmpd" && timeout 600 apt-get -q -o APT::Sandbox::User=root download "$kpkg" >/dev/null); then
		skip "apt-get download $kpkg failed"
	fi
	mv "$tmpd"/*.deb "$DEB_DIR"/
	rm -rf "$tmpd"
	trap - EXIT
	kdeb=$(newest_deb)
	[ -n "$kdeb" ] || die "apt-get download $kpkg left no package"
fi

KDEB_NAME=$(basename "$kdeb")
KVER=$(dpkg-deb -f "$kdeb" Package | sed 's/^linux-image-//')
[ -n "$KVER" ] || die "cannot read the kernel version of $kdeb"

# ---- 2. the modules, in dependency order -------------------------------------
# 9p and virtio to reach the host's root; IPVS with every scheduler; the
# links the tests build (veth, dummy, macvlan, bridge, ipip for IPVS tunnel
# mode); nftables.
WANT="virtio_pci 9pnet_virtio 9p
ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_fo ip_vs_ovf ip_vs_lblc
ip_vs_lblcr ip_vs_dh ip_vs_sh ip_vs_mh ip_vs_sed ip_vs_nq ip_vs_ftp
veth dummy macvlan bridge ipip
nf_tables nft_ct nft_chain_nat nft_reject_inet
${VIGIL_VM_MODULES:-}"

STAMP_IN=$( { cat "$0" "$HERE/init"; "$BUSYBOX" 2>&1 | head -1; echo "$KDEB_NAME $WANT"; } | sha256sum | cut -c1-16)
OUT_INITRD=$CACHE/initramfs.cpio.gz
OUT_KERNEL=$CACHE/vmlinuz
if [ -f "$OUT_INITRD" ] && [ -f "$OUT_KERNEL" ] && [ -f "$CACHE/ready" ] &&
	[ "$(cat "$CACHE/ready")" = "$STAMP_IN" ]; then
	say "up to date: kernel $KVER in $CACHE"
	exit 0
fi

# The package unpacks to some 400 MB: only while the initramfs is built.
KROOT=$CACHE/kernel.unpacked
STAGE=$CACHE/initramfs.stage
rm -rf "$KROOT" "$STAGE"
trap 'rm -rf "$KROOT" "$STAGE"' EXIT
say "unpacking $KDEB_NAME"
dpkg-deb -x "$kdeb" "$KROOT" || die "dpkg-deb -x $kdeb failed"
MODDIR=$KROOT/lib/modules/$KVER
if [ ! -d "$MODDIR" ] || [ ! -f "$KROOT/boot/vmlinuz-$KVER" ]; then
	die "no kernel $KVER in $KDEB_NAME"
fi

declare -A MODPATH=()
while IFS= read -r f; do
	n=${f##*/}; n=${n%%.ko*}; n=${n//-/_}
	MODPATH[$n]=${f#"$MODDIR"/}
done < <(find "$MODDIR/kernel" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')
BUILTIN=" $(sed 's,.*/,,; s,\.ko.*,,; s,-,_,g' "$MODDIR/modules.builtin" | tr '\n' ' ') "

mkdir -p "$STAGE"/{bin,sbin,dev,proc,sys,tmp,run,host,job,etc/vigil-vm,lib/modules/"$KVER"}

# stage_module REL: copy a module into the initramfs, decompressed
stage_module() {
	local rel=$1 src=$MODDIR/$1 dst
	dst=$STAGE/lib/modules/$KVER/${rel%.ko*}.ko
	mkdir -p "$(dirname "$dst")"
	case "$rel" in
	*.ko.xz) xz -dc "$src" > "$dst" ;;
	*.ko.zst) zstd -qdc "$src" > "$dst" ;;
	*.ko.gz) gzip -dc "$src" > "$dst" ;;
	*) cp "$src" "$dst" ;;
	esac
	echo "${rel%.ko*}.ko"
}

# modfield FILE FIELD: a .modinfo field (depends=, softdep=) of a staged module
modfield() { tr '\0' '\n' < "$1" | sed -n "s/^$2=//p" | head -1; }

declare -A SEEN=()
ORDER=()
visit() { # visit NAME: stage its dependencies, then itself
	local n=${1//-/_} rel staged d dep pre
	[ -n "${SEEN[$n]:-}" ] && return 0
	SEEN[$n]=1
	if [ -z "${MODPATH[$n]:-}" ]; then
		case "$BUILTIN" in *" $n "*) return 0 ;; esac
		die "module $n is not in kernel $KVER"
	fi
	staged=$(stage_module "${MODPATH[$n]}")
	# softdep pre: (libcrc32c wants crc32c, provided by crc32c_generic)
	pre=$(modfield "$STAGE/lib/modules/$KVER/$staged" softdep | sed -n 's/.*pre: *\([^:]*\)\( post:.*\)\{0,1\}$/\1/p')
	for d in $pre; do
		dep=${d//-/_}
		[ -n "${MODPATH[$dep]:-}" ] || dep=${dep}_generic
		if [ -n "${MODPATH[$dep]:-}" ]; then visit "$dep"; fi
	done
	for d in $(modfield "$STAGE/lib/modules/$KVER/$staged" depends | tr ',' ' '); do
		visit "$d"
	done
	ORDER+=("$staged")
}
for m in $WANT; do visit "$m"; done
printf '%s\n' "${ORDER[@]}" > "$STAGE/etc/vigil-vm/modules"
echo "$KVER" > "$STAGE/etc/vigil-vm/kernel"
# modules.dep for busybox modprobe, which the kernel calls for modules it
# wants on demand (it runs in the initramfs, not in the chroot)
"$BUSYBOX" depmod -b "$STAGE" "$KVER" 2>/dev/null || true

# ---- 3. busybox and /init ----------------------------------------------------
cp "$BUSYBOX" "$STAGE/bin/busybox"
for a in $("$BUSYBOX" --list); do
	[ "$a" = busybox ] || ln -s busybox "$STAGE/bin/$a"
done
for a in modprobe insmod poweroff; do ln -s ../bin/busybox "$STAGE/sbin/$a"; done
mknod -m 600 "$STAGE/dev/console" c 5 1
mknod -m 666 "$STAGE/dev/null" c 1 3
cp "$HERE/init" "$STAGE/init"
chmod 755 "$STAGE/init"

# extract_vmlinux BZIMAGE: the ELF kernel inside it (as scripts/extract-vmlinux)
extract_vmlinux() {
	local pair magic tool off
	for pair in "fd377a585a00:xz -dc --single-stream" "28b52ffd:zstd -qdc" "1f8b0800:gzip -dc"; do
		magic=${pair%%:*} tool=${pair#*:}
		for off in $(od -An -v -tx1 "$1" | tr -d ' \n' | grep -bo "$magic" | cut -d: -f1); do
			[ $((off % 2)) -eq 0 ] || continue
			tail -c +$((off / 2 + 1)) "$1" | $tool 2>/dev/null > "$CACHE/vmlinux.try"
			if [ "$(head -c 4 "$CACHE/vmlinux.try" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
				cat "$CACHE/vmlinux.try"
				rm -f "$CACHE/vmlinux.try"
				return 0
			fi
		done
	done
	rm -f "$CACHE/vmlinux.try"
	return 1
}

say "building initramfs (${#ORDER[@]} modules, kernel $KVER)"
(cd "$STAGE" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) |
	gzip -6 > "$OUT_INITRD.new"
mv "$OUT_INITRD.new" "$OUT_INITRD"
cp "$KROOT/boot/vmlinuz-$KVER" "$OUT_KERNEL.new" && mv "$OUT_KERNEL.new" "$OUT_KERNEL"
# The uncompressed kernel, booted through PVH, saves the ~5 s that the
# bzImage's decompressor takes under TCG; run.sh falls back to vmlinuz.
rm -f "$CACHE/vmlinux"
if grep -q '^CONFIG_PVH=y' "$KROOT/boot/config-$KVER" && extract_vmlinux "$OUT_KERNEL" > "$CACHE/vmlinux.new"; then
	mv "$CACHE/vmlinux.new" "$CACHE/vmlinux"
else
	rm -f "$CACHE/vmlinux.new"
	say "no uncompressed kernel (no PVH, or unknown compression): booting the bzImage"
fi
echo "$KVER" > "$CACHE/kernel-version"
rm -rf "$KROOT" "$STAGE"
trap - EXIT
rm -rf "$CACHE/kernel" "$CACHE/kernel-unpacked.stamp" # left by older versions
echo "$STAMP_IN" > "$CACHE/ready"
say "ready: kernel $KVER$([ -f "$CACHE/vmlinux" ] && echo " (uncompressed for PVH boot)"), $OUT_INITRD ($(du -k "$OUT_INITRD" | cut -f1) KiB)"
