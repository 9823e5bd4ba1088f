# check-gen.awk - a health-check benchmark configuration for vigild and
# keepalived (the same file for both):
#   awk -v nvs=100 -v nrs=10 [-v kind=tcp|http] [-v port=80] -f bench/check-gen.awk
# nvs virtual servers 10.3.(i/250).(i%250+1):80, NAT, rr, delay_loop 1,
# each with nrs real servers; real server k (0-based, over all) is
# 10.20.(k/250).(k%250+1):port, weight 1, with one TCP_CHECK
# { connect_timeout 1 retry 0 } or, kind=http, one HTTP_GET
# { url { path / status_code 200 } connect_timeout 2 retry 0 }.
# One keyword per line (vigil's parser wants it so).
BEGIN {
	if (!nvs) nvs = 100
	if (!nrs) nrs = 10
	if (!port) port = 80
	if (kind == "") kind = "tcp"
	print "global_defs {"
	print "    router_id bench"
	print "}"
	k = 0
	for (i = 0; i < nvs; i++) {
		printf "virtual_server 10.3.%d.%d 80 {\n", int(i / 250), i % 250 + 1
		print "    delay_loop 1"
		print "    lb_algo rr"
		print "    lb_kind NAT"
		print "    protocol TCP"
		for (j = 0; j < nrs; j++) {
			printf "    real_server 10.20.%d.%d %d {\n", int(k / 250), k % 250 + 1, port
			print "        weight 1"
			if (kind == "http") {
				print "        HTTP_GET {"
				print "            url {"
				print "                path /"
				print "                status_code 200"
				print "            }"
				print "            connect_timeout 2"
				print "            retry 0"
				print "        }"
			} else {
				print "        TCP_CHECK {"
				print "            connect_timeout 1"
				print "            retry 0"
				print "        }"
			}
			print "    }"
			k++
		}
		print "}"
	}
}
