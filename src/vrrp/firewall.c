/* firewall.c - dropping traffic to the VIPs without accept mode; see firewall.h. */
#include "firewall.h"

#include <arpa/inet.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

#define DEFAULT_TABLE "vigil"

void fw_configure(struct vrrp_firewall *fw, const char *table, int priority, bool counters)
{
	if (fw->ready)
		return;   /* the table in place keeps its settings until stop */
	snprintf(fw->table, sizeof(fw->table), "%s", table && *table ? table : DEFAULT_TABLE);
	fw->priority = priority;
	fw->counters = counters;
}

bool fw_setup_cmds(char *buf, size_t len, const char *table, int priority, bool counters)
{
	const char *cnt = counters ? " counter" : "";
	int n = snprintf(buf, len,
		"add table inet %1$s\n"
		"delete table inet %1$s\n"
		"add table inet %1$s\n"
		"add set inet %1$s vips4 { type ipv4_addr; }\n"
		"add set inet %1$s vips6 { type ipv6_addr; }\n"
		"add chain inet %1$s in { type filter hook input priority %2$d; policy accept; }\n"
		"add chain inet %1$s out { type filter hook output priority %2$d; policy accept; }\n"
		"add rule inet %1$s in icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n"
		"add rule inet %1$s in ip daddr @vips4%3$s drop\n"
		"add rule inet %1$s in ip6 daddr @vips6%3$s drop\n"
		"add rule inet %1$s out icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n"
		"add rule inet %1$s out ip saddr @vips4%3$s drop\n"
		"add rule inet %1$s out ip6 saddr @vips6%3$s drop\n",
		table, priority, cnt);
	return n > 0 && (size_t)n < len;
}

bool fw_element_cmd(char *buf, size_t len, const char *table, bool add, const struct vaddr *a)
{
	char s[INET6_ADDRSTRLEN];
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    !inet_ntop(a->family, a->u.bytes, s, sizeof(s)))
		return false;
	int n = snprintf(buf, len, "%s element inet %s %s { %s }\n", add ? "add" : "delete", table,
			 a->family == AF_INET ? "vips4" : "vips6", s);
	return n > 0 && (size_t)n < len;
}

/* Run cmds; 0, or -1 with nft's message logged after what. */
static int run(struct vrrp_firewall *fw, const char *cmds, const char *what)
{
	if (nft_run_cmd_from_buffer(fw->nft, cmds) == 0)
		return 0;
	const char *err = nft_ctx_get_error_buffer(fw->nft);
	char line[512];
	snprintf(line, sizeof(line), "%s", err ? err : "");
	line[strcspn(line, "\n")] = '\0';
	log_msg(LOG_ERR, "nftables: %s: %s", what, line[0] ? line : "failed");
	return -1;
}

static int setup(struct vrrp_firewall *fw)
{
	char cmds[4096];
	if (fw->ready)
		return 0;
	if (fw->failed)
		return -1;
	if (!fw->table[0])
		fw_configure(fw, NULL, -1, false);
	if (!fw->nft) {
		fw->nft = nft_ctx_new(NFT_CTX_DEFAULT);
		if (!fw->nft || nft_ctx_buffer_output(fw->nft) || nft_ctx_buffer_error(fw->nft)) {
			log_msg(LOG_ERR, "nftables: cannot create a context");
			fw->failed = true;
			return -1;
		}
	}
	if (!fw_setup_cmds(cmds, sizeof(cmds), fw->table, fw->priority, fw->counters) ||
	    run(fw, cmds, "cannot create the table for no_accept") < 0) {
		log_msg(LOG_ERR, "without it, masters in no_accept mode accept traffic to their "
			"VIPs (as with accept)");
		fw->failed = true;
		return -1;
	}
	fw->ready = true;
	log_msg(LOG_INFO, "nftables: table inet %s set up: traffic to VIPs of masters without "
		"accept mode is dropped", fw->table);
	return 0;
}

static int element(struct vrrp_firewall *fw, const struct vaddr *a, bool add)
{
	char cmd[256];
	if (setup(fw) < 0)
		return -1;
	if (!fw_element_cmd(cmd, sizeof(cmd), fw->table, add, a))
		return -1;
	return run(fw, cmd, add ? "cannot block a VIP" : "cannot unblock a VIP");
}

int fw_block(struct vrrp_firewall *fw, const struct vaddr *a)
{
	return element(fw, a, true);
}

int fw_unblock(struct vrrp_firewall *fw, const struct vaddr *a)
{
	if (!fw->ready)
		return 0;
	return element(fw, a, false);
}

void fw_close(struct vrrp_firewall *fw)
{
	if (fw->ready) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "delete table inet %s\n", fw->table);
		if (run(fw, cmd, "cannot delete the table") == 0)
			log_msg(LOG_INFO, "nftables: table inet %s removed", fw->table);
	}
	if (fw->nft)
		nft_ctx_free(fw->nft);
	memset(fw, 0, sizeof(*fw));
}
