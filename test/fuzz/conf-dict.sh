#!/bin/sh
# conf-dict.sh SRCDIR - print a libFuzzer dictionary for fuzz_conf: every
# keyword and enum name of the configuration tables, plus the lexer's
# special characters and a few values at the edges of common ranges.
# With it the fuzzer writes keywords instead of having to guess them byte
# by byte, and reaches the value parsers and dumpers far sooner.
set -eu
src=${1:-.}
{
	grep -ohE 'KW_[A-Z_]+\("[a-zA-Z0-9_@-]+"' "$src"/src/conf/tab_*.c | sed -E 's/.*\("//; s/"$//'
	grep -ohE '\{ *"[a-zA-Z0-9_@.:/-]+"' "$src"/src/conf/tab_*.c | sed -E 's/.*"([^"]+)"/\1/'
	printf '%s\n' '{' '}' '"' '\' '!' '#' '$' '@' '~' 'include' 'includer' '$NAME=' \
		'0x' '1e9' '-1' '0' '255' '256' '65535' '4294967295' '18446744073709551616' \
		'0.01' '::1' 'fe80::1' '10.0.0.1/24' '224.0.0.18'
} | LC_ALL=C sort -u | awk '{ gsub(/\\/, "&&"); gsub(/"/, "\\\""); printf "kw%d=\"%s\"\n", NR, $0 }'
