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
exit $fail
