# gen-params.awk - a configuration of `lines` lines (default 10000) that
# uses keepalived parameters on almost every line, for bench/conf-params.sh.
#
#   awk -v lines=10000 -f bench/gen-params.awk > params.conf
#   awk -v lines=10000 -v shape=doubling -f bench/gen-params.awk > attack.conf
#
# shape=normal (the default): site-wide definitions, then virtual servers
# written with them: plain ($ALGO) and braced (${NET}.${N}) uses, nested
# definitions looked up at use time ($VIP holds ${NET} and ${N}), a
# redefinition per virtual server ($N, $H) and a multi-line definition
# ($RS, a whole real_server block) used 4 times per virtual server. The
# file is valid: vigild -t accepts it without a message.
#
# shape=doubling: the attack of issue 15 hole 8: $A1 is "$A0 $A0", ...,
# $A19 (a megabyte), then $A19 on every remaining line. vigild refuses it;
# what matters is how long it takes to say so.
BEGIN {
	if (lines == "") lines = 10000
	n = 0
	if (shape == "doubling") {
		out("$A0=x")
		for (i = 1; i <= 19; i++) out("$A" i "=$A" (i - 1) " $A" (i - 1))
		while (n < lines) out("$A19")
		exit
	}
	out("$ALGO=wrr")
	out("$KIND=NAT")
	out("$PROTO=TCP")
	out("$PORT=80")
	out("$RPORT=8080")
	out("$CT=3")
	out("$NET=10.1.${OCT}")
	out("$VIP=${NET}.${N}")
	out("$RNET=172.16.${OCT}")
	out("$RS= \\")
	out("    real_server ${RNET}.${H} $RPORT { \\")
	out("        weight ${W} \\")
	out("        TCP_CHECK { \\")
	out("            connect_timeout $CT \\")
	out("        } \\")
	out("    }")
	out("$W=1")
	# one virtual server: 21 lines, 4 real servers from $RS
	for (v = 0; n + 21 <= lines; v++) {
		out("$OCT=" int(v / 250))
		out("$N=" (v % 250 + 1))
		out("virtual_server ${VIP} $PORT {")
		out("    lb_algo $ALGO")
		out("    lb_kind $KIND")
		out("    protocol $PROTO")
		out("    delay_loop ${CT}")
		for (r = 0; r < 4; r++) {
			out("    $H=" (v % 50) * 4 + r + 1)
			out("    $RS")
		}
		out("    # ${VIP} ends here")
		out("    persistence_timeout $CT")
		out("    ha_suspend")
		out("    alpha")
		out("    omega")
		out("}")
	}
	while (n < lines) out("# padding ${VIP}")
}
function out(s) { print s; n++ }
