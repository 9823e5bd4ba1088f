#!/bin/sh
# vigil-genhash against python3 -m http.server serving a temporary
# directory: the printed MD5SUM must equal md5sum(1) of the files.
set -u
GENHASH=${GENHASH:-${VIGILD:+$(dirname "$VIGILD")/vigil-genhash}}
GENHASH=${GENHASH:-./vigil-genhash}
[ -x "$GENHASH" ] || { echo "no $GENHASH"; exit 99; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }

dir=$(mktemp -d) || exit 99
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

printf 'hello world\n' > "$dir/small.txt"
head -c 300000 /dev/urandom > "$dir/big.bin"
: > "$dir/empty.txt"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$dir" && exec python3 -m http.server --bind 127.0.0.1 "$port") >/dev/null 2>&1 &
pid=$!
i=0
until python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),1)" 2>/dev/null; do
	i=$((i + 1))
	[ $i -ge 100 ] && { echo "FAIL: http.server did not start"; exit 1; }
	sleep 0.1
done

fail=0
for f in small.txt big.bin empty.txt; do
	want=$(md5sum "$dir/$f" | cut -d' ' -f1)
	out=$("$GENHASH" -s 127.0.0.1 -p "$port" -u "/$f") || { echo "FAIL: $f: exit $?"; fail=1; continue; }
	got=$(printf '%s\n' "$out" | sed -n 's/^MD5SUM = //p')
	if [ "$got" = "$want" ]; then
		echo "ok: $f $got"
	else
		echo "FAIL: $f: got '$got', want '$want'"; fail=1
	fi
done
# Same digest with a virtual host and HTTP/1.1 (http.server ignores both).
want=$(md5sum "$dir/small.txt" | cut -d' ' -f1)
got=$("$GENHASH" -s 127.0.0.1 -p "$port" -u /small.txt -V www.example.com -P 1.1 | sed -n 's/^MD5SUM = //p')
[ "$got" = "$want" ] && echo "ok: -V -P 1.1" || { echo "FAIL: -V -P 1.1: '$got'"; fail=1; }
# Usage errors and an unreachable server fail.
"$GENHASH" -s 127.0.0.1 -p "$port" >/dev/null 2>&1 && { echo "FAIL: no -u accepted"; fail=1; }
"$GENHASH" -s nothost -p 80 -u / >/dev/null 2>&1 && { echo "FAIL: bad -s accepted"; fail=1; }
kill "$pid"; wait "$pid" 2>/dev/null; pid=
"$GENHASH" -s 127.0.0.1 -p "$port" -u /small.txt -t 2 >/dev/null 2>&1 && { echo "FAIL: refused port gave a digest"; fail=1; }

# The checker's reading rules (issue 16), against servers.py http: every
# page below has the body "hello", and HTTP_GET passes each of them with
# this digest (test_check_http reply_heads, short_reply_judged); a head
# over 64 KiB, which HTTP_GET rejects, gives no digest.
hello=$(printf hello | md5sum | cut -d' ' -f1)
python3 "$(dirname "$0")/servers.py" http 127.0.0.1 "$port" >/dev/null 2>&1 &
pid=$!
python3 "$(dirname "$0")/servers.py" wait tcp 127.0.0.1 "$port" 10 || { echo "FAIL: servers.py http did not start"; exit 1; }
for page in /continue /lf /short /bighead/5 /bighead/40; do
	got=$("$GENHASH" -s 127.0.0.1 -p "$port" -u "$page" -t 5 2>"$dir/err" | sed -n 's/^MD5SUM = //p')
	[ "$got" = "$hello" ] && echo "ok: $page $got" || { echo "FAIL: $page: '$got' $(cat "$dir/err")"; fail=1; }
done
if "$GENHASH" -s 127.0.0.1 -p "$port" -u /short 2>&1 >/dev/null |
	grep -q 'content_length (100) does not match received bytes (5)'; then
	echo "ok: /short: the mismatch is reported"
else
	echo "FAIL: /short: no mismatch line"; fail=1
fi
if out=$("$GENHASH" -s 127.0.0.1 -p "$port" -u /bighead/80 -t 5 2>&1); then
	echo "FAIL: a head over 64 KiB gave a digest: $out"; fail=1
else
	case $out in *"over 65536 bytes"*) echo "ok: /bighead/80 refused" ;;
	*) echo "FAIL: /bighead/80: $out"; fail=1 ;; esac
fi
exit $fail
