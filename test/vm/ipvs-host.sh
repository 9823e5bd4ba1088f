#!/bin/sh
# make check: vigil's IPVS engine against a real IPVS kernel (test/vm/ipvs.sh).
exec "$(dirname "$0")/host.sh" ipvs.sh
