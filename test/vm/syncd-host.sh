#!/bin/sh
# make check: lvs_sync_daemon following VRRP, on a real IPVS kernel (test/vm/syncd.sh).
exec "$(dirname "$0")/host.sh" syncd.sh
