#!/bin/sh
# make check: health checks driving IPVS (test/vm/check.sh) in the VM.
exec "$(dirname "$0")/host.sh" check.sh
