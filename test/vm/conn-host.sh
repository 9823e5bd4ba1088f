#!/bin/sh
# make check: a TCP connection through an IPVS service survives vigild's
# reloads and a kill -9 and restart, on a real IPVS kernel (test/vm/conn.sh).
exec "$(dirname "$0")/host.sh" conn.sh
