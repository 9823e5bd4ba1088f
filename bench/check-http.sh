#!/bin/sh
# check-http.sh - 1,000 HTTP_GET checks at delay_loop 1, vigil beside
# keepalived, in one boot of the test/vm guest: bench/check-tcp.sh with
# HTTP_GET { url { path / status_code 200 } connect_timeout 2 retry 0 },
# the listener (acceptcount -H) answering "HTTP/1.0 200 OK".
#
#   bench/check-http.sh build/vigild [ACCEPTCOUNT]             # as root
#
# Until vigild has HTTP_GET, it logs "HTTP_GET ... is not supported by
# vigil; the checker is ignored" for every real server and the table says
# so under its figures (they are then no checks at all).
CHECK_KIND=http exec "$(dirname "$0")/check-tcp.sh" "$@"
