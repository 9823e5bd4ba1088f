#!/bin/sh
# The demo lab, from a fresh clone on a fresh Debian 12 machine (as root).
# Today it shows the foundation: vigil builds, checks a keepalived-style
# configuration, prints it back in canonical form, points at a mistake
# with file:line:col, and runs as a daemon that reloads on SIGHUP. It grows
# into a director pair in network namespaces as VRRP and IPVS land.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/deps.sh
if [ ! -x configure ]; then autoreconf -fi >/dev/null 2>&1; fi
mkdir -p build
cd build
[ -f Makefile ] || ../configure -q
make -j2 vigild >/dev/null
vigild="$top/build/vigild"
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
pid=""

echo "== 1. check the shipped configuration and print it in canonical form"
echo "\$ vigild -t --dump -f etc/vigil.conf"
"$vigild" -t --dump -f "$top/etc/vigil.conf"

echo
echo "== 2. a keepalived sample, as an operator would bring it"
sample=/usr/share/doc/keepalived/samples/keepalived.conf.sample
echo "\$ vigild -t -f $sample && echo valid"
"$vigild" -t -f "$sample" && echo valid

echo
echo "== 3. mistakes are reported all at once, with file:line:col"
cat > "$tmp/broken.conf" <<'CONF'
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 300
    priority 100
    advert_int 1
    lb_algo rr
    virtual_ipaddress {
        10.0.0.300/24
    }
}
CONF
echo "\$ vigild -t -f broken.conf"
"$vigild" -t -f "$tmp/broken.conf" 2>&1 | sed "s#$tmp/##" || true

echo
echo "== 4. run the daemon in the foreground, reload it, stop it"
"$vigild" -n -l -f "$top/etc/vigil.conf" -p "$tmp/vigild.pid" 2> "$tmp/log" &
pid=$!
sleep 1
kill -HUP "$pid"
sleep 1
kill -TERM "$pid"
wait "$pid" || true
pid=""
cat "$tmp/log"
