#!/bin/sh
# gen-man-effects.sh - rewrite the list of keywords without effect in
# man/vigil.conf.5 (between its "keyword-effects" markers) from the keyword
# tables, as printed by test/unit/test_kw_effects --man. The unit test
# fails while the manual and the tables differ (issue 10).
# Usage: scripts/gen-man-effects.sh [BUILD_DIR]   (default: build)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
man=$top/man/vigil.conf.5
gen=$(mktemp)
out=$(mktemp)
trap 'rm -f "$gen" "$out"' EXIT
"$build/test/unit/test_kw_effects" --man >"$gen"
grep -q '^\.\\" BEGIN keyword-effects' "$man" || { echo "$man: no BEGIN keyword-effects marker" >&2; exit 1; }
awk -v gen="$gen" '
	/^\.\\" BEGIN keyword-effects/ { while ((getline l < gen) > 0) print l; skip = 1; next }
	skip && /^\.\\" END keyword-effects/ { skip = 0; next }
	!skip { print }
' "$man" >"$out"
cat "$out" >"$man"
