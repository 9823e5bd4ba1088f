#!/bin/sh
# make check: vigil's IPVS engine against a real IPVS kernel (test/vm/ipvs.sh).
# CI into the guest: under CI=true, ipvs.sh fails rather than skip its
# comparison with keepalived when keepalived is missing.
VIGIL_VM_ENV="${VIGIL_VM_ENV:-} CI"
export VIGIL_VM_ENV
exec "$(dirname "$0")/host.sh" ipvs.sh
