#!/bin/bash
# Run a test script as root inside a qemu guest that boots Debian's kernel
# (which has IPVS) with the host's root mounted read-only over 9p, for a
# machine whose own kernel has no IPVS.
#
#   test/vm/run.sh SCRIPT [ARGS...]
#
# SCRIPT is a path on the host; the guest runs it in a chroot into the
# host's root, in the same working directory, with fresh tmpfs on /tmp,
# /run, /var/tmp and /dev/shm, and no network device (a test makes its own
# namespaces and veth pairs). The guest's console is streamed to stdout;
# run.sh exits with SCRIPT's exit status.
#
# Where this machine's own kernel has IPVS (/proc/net/ip_vs, or modprobe
# ip_vs works) SCRIPT runs directly instead, unless VIGIL_VM_FORCE=1.
#
# Environment:
#   VIGIL_VM_TIMEOUT  seconds before qemu is killed (default 300)
#   VIGIL_VM_FORCE    1: use the VM even where the host has IPVS
#   VIGIL_VM_CACHE    where prepare.sh left the kernel (/var/cache/vigil-vm)
#   VIGIL_VM_SHARE    more host directories the guest must see that lie
#                     under /tmp, /run or /var/tmp (read-only); the working
#                     directory and SCRIPT's own directory are added for you
#   VIGIL_VM_RW       host directories the guest may write (read-write)
#   VIGIL_VM_ENV      names of more variables to pass into the guest; these
#                     are passed anyway: VIGIL*, VIGILD, TOP_SRCDIR, srcdir,
#                     builddir, abs_*, CK_*, *SAN_OPTIONS, NETWATCH, PATH,
#                     LANG, LC_*, TZ (plus VIGIL_VM=1 and HOME=/tmp)
#   VIGIL_VM_MEM, VIGIL_VM_SMP  guest memory (MiB, 1024) and CPUs (1: faster
#                     than 2 under TCG)
#   VIGIL_VM_ACCEL    qemu accelerator (tcg; KVM does not work here)
#   VIGIL_VM_APPEND, VIGIL_VM_QEMU_ARGS  more kernel parameters, qemu arguments
#   VIGIL_VM_VERBOSE  1: keep the kernel's console lines
#   VIGIL_VM_KEEP     1: keep the job directory (console.log, qemu.err)
#
# Exit status: SCRIPT's; 77 when the VM cannot be had here (no qemu, no
# kernel); 124 when the timeout killed qemu; 125 when the guest stopped
# without reporting SCRIPT's status.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${VIGIL_VM_CACHE:-/var/cache/vigil-vm}
TIMEOUT=${VIGIL_VM_TIMEOUT:-300}

die() { echo "vm: $*" >&2; exit 125; }
[ $# -ge 1 ] || { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
SCRIPT=$(realpath -e -- "$1") || die "no such script: $1"
shift
[ -f "$SCRIPT" ] || die "not a file: $SCRIPT"
case "$TIMEOUT" in '' | *[!0-9]*) die "VIGIL_VM_TIMEOUT must be a number of seconds" ;; esac

host_has_ipvs() {
	[ -e /proc/net/ip_vs ] && return 0
	command -v modprobe >/dev/null 2>&1 && modprobe -q ip_vs 2>/dev/null && [ -e /proc/net/ip_vs ]
}
if [ "${VIGIL_VM_FORCE:-0}" != 1 ] && host_has_ipvs; then
	echo "vm: this kernel ($(uname -r)) has IPVS: running $SCRIPT directly, without a VM" >&2
	if [ -x "$SCRIPT" ]; then exec "$SCRIPT" "$@"; else exec /bin/sh "$SCRIPT" "$@"; fi
fi

QEMU=$(command -v qemu-system-x86_64) || { echo "vm: qemu-system-x86_64 not found (scripts/deps.sh --vm)" >&2; exit 77; }
# prepare.sh is cheap when the cache is up to date, and rebuilds the
# initramfs when test/vm/init or the module list changed.
if [ "$(id -u)" -eq 0 ]; then
	"$HERE/prepare.sh" -q
	rc=$?
	[ $rc -eq 0 ] || { echo "vm: test/vm/prepare.sh failed ($rc)" >&2; [ $rc -eq 77 ] && exit 77; exit 125; }
elif [ ! -f "$CACHE/ready" ] || [ ! -f "$CACHE/vmlinuz" ] || [ ! -f "$CACHE/initramfs.cpio.gz" ]; then
	echo "vm: no VM kernel in $CACHE: run test/vm/prepare.sh as root" >&2
	exit 77
fi

# ---- the job directory, shared with the guest as tag vigiljob ----------------
JOB=$(mktemp -d "${TMPDIR:-/tmp}/vigil-vm.XXXXXX") || die "mktemp failed"
FPID="" TPID=""
# shellcheck disable=SC2317 # called by the traps
cleanup() {
	local p
	trap - EXIT INT TERM HUP
	if [ -n "$TPID" ] && kill -0 "$TPID" 2>/dev/null; then
		kill -TERM "$TPID" 2>/dev/null
	fi
	# qemu itself, should timeout(1) be gone already
	if [ -f "$JOB/qemu.pid" ]; then
		p=$(cat "$JOB/qemu.pid" 2>/dev/null)
		if [ -n "$p" ] && grep -q '^qemu' "/proc/$p/comm" 2>/dev/null; then
			kill -TERM "$p" 2>/dev/null
			for _ in 1 2 3 4 5 6 7 8 9 10; do
				kill -0 "$p" 2>/dev/null || break
				sleep 0.2
			done
			kill -KILL "$p" 2>/dev/null
		fi
	fi
	[ -n "$TPID" ] && wait "$TPID" 2>/dev/null
	[ -n "$FPID" ] && { kill "$FPID" 2>/dev/null; wait "$FPID" 2>/dev/null; }
	if [ "${VIGIL_VM_KEEP:-0}" = 1 ]; then
		echo "vm: job directory kept: $JOB" >&2
	else
		rm -rf "$JOB"
	fi
}
trap cleanup EXIT
trap 'echo "vm: interrupted: stopping qemu" >&2; exit 130' INT
trap 'echo "vm: terminated: stopping qemu" >&2; exit 143' TERM HUP

NONCE=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
echo "$NONCE" > "$JOB/nonce"

sq() { # quote for sh
	local s=$1
	printf "'%s'" "${s//\'/\'\\\'\'}"
}

CWD=$(pwd -P)
# Directories hidden in the guest by its own tmpfs must be shared; the
# guest's /tmp itself stays its own (a script straight in /tmp is copied).
hidden() { case "$1" in /tmp/* | /run/* | /var/tmp/* | /dev/shm/*) return 0 ;; esac; return 1; }
topdir() { case "$1" in /tmp | /run | /var/tmp | /dev/shm) return 0 ;; esac; return 1; }
SHARES=() # "PATH MODE"
GUEST_SCRIPT=$SCRIPT
if topdir "$(dirname "$SCRIPT")"; then
	cp -p "$SCRIPT" "$JOB/" || die "cannot copy $SCRIPT"
	GUEST_SCRIPT=/run/vigil-job/$(basename "$SCRIPT")
fi
for d in "$CWD" "$(dirname "$SCRIPT")"; do
	if hidden "$d"; then SHARES+=("$d ro"); fi
done
for d in ${VIGIL_VM_SHARE:-}; do
	d=$(realpath -e -- "$d") || die "VIGIL_VM_SHARE: no such directory: $d"
	SHARES+=("$d ro")
done
for d in ${VIGIL_VM_RW:-}; do
	d=$(realpath -e -- "$d") || die "VIGIL_VM_RW: no such directory: $d"
	SHARES+=("$d rw")
done
VIRTFS=()
: > "$JOB/mounts"
n=0
# parents before children; a directory listed twice is shared once, rw wins
while read -r path mode; do
	[ -n "$path" ] || continue
	[ -d "$path" ] || die "not a directory: $path"
	case "$path" in *[[:space:]]*) die "cannot share a path with spaces: $path" ;; esac
	ro=",readonly=on"
	[ "$mode" = rw ] && ro=""
	VIRTFS+=(-virtfs "local,path=$path,mount_tag=share$n,security_model=none,multidevs=remap$ro")
	echo "share$n $mode $path" >> "$JOB/mounts"
	n=$((n + 1))
done < <(printf '%s\n' "${SHARES[@]+"${SHARES[@]}"}" | LC_ALL=C sort -k1,1 -k2,2r | awk '!seen[$1]++')

{
	echo "# generated by test/vm/run.sh"
	echo "export VIGIL_VM=1 HOME=/tmp"
	while read -r name; do
		case "$name" in
		VIGIL* | TOP_SRCDIR | srcdir | top_srcdir | builddir | top_builddir | abs_* | \
			CK_* | *SAN_OPTIONS | NETWATCH | PATH | LANG | LC_* | TZ) ;;
		*) case " ${VIGIL_VM_ENV:-} " in *" $name "*) ;; *) continue ;; esac ;;
		esac
		case "$name" in VIGIL_VM_FORCE | VIGIL_VM_KEEP) continue ;; esac
		echo "export $name=$(sq "${!name}")"
	done < <(compgen -e)
	echo "cd $(sq "$CWD") || { echo $(sq "vigil-vm: cannot cd to $CWD"); exit 125; }"
	args=""
	for a in "$@"; do args="$args $(sq "$a")"; done
	if [ -x "$SCRIPT" ]; then
		echo "exec $(sq "$GUEST_SCRIPT")$args"
	else
		echo "exec /bin/sh $(sq "$GUEST_SCRIPT")$args"
	fi
} > "$JOB/job.sh"

# ---- boot --------------------------------------------------------------------
mkfifo "$JOB/console.fifo" || die "mkfifo failed"
# The console, kept whole in console.log; on stdout without carriage
# returns, escape sequences, kernel lines (unless VIGIL_VM_VERBOSE=1) and
# the end marker.
awk -v nonce="$NONCE" -v logf="$JOB/console.log" -v verbose="${VIGIL_VM_VERBOSE:-0}" '
{
	gsub(/\r/, "")
	gsub(/\033(\[[0-9;?=]*[a-zA-Z]|[a-zA-Z])/, "")
	print > logf
	if (!up && verbose != 1) {
		# the firmware, before the guest prints its first line
		if ($0 ~ /^SeaBIOS \(/) next
		sub(/^Booting from ROM\.*/, "")
		if ($0 == "") next
		if ($0 ~ /^vigil-vm: kernel /) up = 1
	}
	i = index($0, "VIGIL-VM-END " nonce " rc=")
	if (i) {
		if (i > 1) { print substr($0, 1, i - 1); fflush() }
		next
	}
	if (verbose != 1 && $0 ~ /^\[ *[0-9]+\.[0-9]+\] /) next
	print
	fflush()
}' < "$JOB/console.fifo" &
FPID=$!

KERNEL=$CACHE/vmlinux # uncompressed, booted through PVH: 5 s faster
[ -f "$KERNEL" ] || KERNEL=$CACHE/vmlinuz
read -ra QEMU_ARGS <<< "${VIGIL_VM_QEMU_ARGS:-}"
echo "vm: booting $(cat "$CACHE/kernel-version" 2>/dev/null) under qemu (${VIGIL_VM_ACCEL:-tcg}) to run $SCRIPT, timeout ${TIMEOUT}s" >&2
START=$(date +%s)
timeout -k 10 "$TIMEOUT" "$QEMU" \
	-accel "${VIGIL_VM_ACCEL:-tcg}" -cpu max -m "${VIGIL_VM_MEM:-1024}" -smp "${VIGIL_VM_SMP:-1}" \
	-nographic -no-reboot -nic none -pidfile "$JOB/qemu.pid" \
	-kernel "$KERNEL" -initrd "$CACHE/initramfs.cpio.gz" \
	-append "console=ttyS0 quiet loglevel=3 panic=-1 ${VIGIL_VM_APPEND:-}" \
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
	-virtfs "local,path=$JOB,mount_tag=vigiljob,security_model=none,multidevs=remap" \
	"${VIRTFS[@]+"${VIRTFS[@]}"}" "${QEMU_ARGS[@]+"${QEMU_ARGS[@]}"}" \
	</dev/null >"$JOB/console.fifo" 2>"$JOB/qemu.err" &
TPID=$!
wait "$TPID"
QRC=$?
TPID=""
wait "$FPID"
FPID=""
ELAPSED=$(($(date +%s) - START))

RC=$(sed -n "s/.*VIGIL-VM-END $NONCE rc=\([0-9]*\).*/\1/p" "$JOB/console.log" 2>/dev/null | tail -1)
if [ -n "$RC" ]; then
	echo "vm: $(basename "$SCRIPT") exited $RC in the guest (${ELAPSED}s with boot)" >&2
	exit "$RC"
fi
if [ "$QRC" -eq 124 ] || [ "$QRC" -eq 137 ]; then
	echo "vm: TIMEOUT: the guest did not finish within ${TIMEOUT}s; qemu killed (VIGIL_VM_TIMEOUT raises the limit)" >&2
	exit 124
fi
echo "vm: the guest stopped without reporting an exit status (qemu exit $QRC, ${ELAPSED}s)" >&2
[ -s "$JOB/qemu.err" ] && sed 's/^/vm: qemu: /' "$JOB/qemu.err" >&2
echo "vm: last console lines:" >&2
tail -n 20 "$JOB/console.log" 2>/dev/null | sed 's/^/vm:   /' >&2
exit 125
