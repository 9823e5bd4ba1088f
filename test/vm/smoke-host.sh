#!/bin/sh
# make check: ipvsadm against the VM's IPVS (test/vm/smoke.sh).
exec "$(dirname "$0")/host.sh" smoke.sh
