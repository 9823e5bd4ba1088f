/* tab_check.c - checkers. (placeholder being filled) */
#include "tab.h"

static const struct kw empty_kws[] = { KW_END };
#define CHK(var, nm) struct block_desc var = { .name = nm, .size = sizeof(struct checker), .kws = empty_kws }
CHK(desc_tcp_check, "TCP_CHECK");
CHK(desc_http_get, "HTTP_GET");
CHK(desc_ssl_get, "SSL_GET");
CHK(desc_misc_check, "MISC_CHECK");
CHK(desc_smtp_check, "SMTP_CHECK");
CHK(desc_dns_check, "DNS_CHECK");
CHK(desc_udp_check, "UDP_CHECK");
CHK(desc_ping_check, "PING_CHECK");
CHK(desc_file_check, "FILE_CHECK");
void check_resolve(struct pctx *p, struct config *cfg) { (void)p; (void)cfg; }
