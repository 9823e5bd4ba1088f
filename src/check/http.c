/* http.c - HTTP_GET and SSL_GET: fetch each url, judge status, digest, regex.
 *
 * Transport. Every HTTP/SSL probe of a worker shares one libcurl multi
 * handle (ctx->kind_state[CHECK_HTTP], made on first use, freed by
 * ctx_fini). libcurl tells us which sockets to watch and when its next
 * timeout is due; we watch each socket with a uv_poll and keep one
 * uv_timer for the whole multi, and hand events back with
 * curl_multi_socket_action() (libcurl's "multi_socket" API, as its
 * multi-uv.c example). The poll handles belong to the shared state, not
 * to an attempt, so an attempt owns no libuv handle at all and cancel is
 * a synchronous curl_multi_remove_handle().
 *
 * One attempt. keepalived checks a checker's urls one after the other,
 * each on a new connection, and the checker is up only when all pass.
 * keepalived checks one url per delay_loop; an attempt of ours checks
 * them all in turn (vigil.conf(5) says so): a url that broke is seen at
 * the next attempt, not up to N delay_loops later. Each url has its own
 * deadline, connect_timeout from its own start (CURLOPT_TIMEOUT_MS), as
 * keepalived's timeout is per connection: three urls that each answer
 * in 1.2 s pass under connect_timeout 3. The first url that fails ends
 * the attempt with that url named in the detail. Sequential rather than
 * concurrent: a real server sees what keepalived would have sent it, one
 * connection at a time per checker.
 *
 * The request is keepalived's, byte for byte where it matters to a
 * server: "GET <path> HTTP/1.0|1.1", "User-Agent: KeepAliveClient",
 * "Connection: close" for 1.0C and 1.1, and "Host: <virtualhost>" (url,
 * checker, real server, virtual server) or "Host: <address>:<port>"
 * (IPv6 in brackets). The path goes out as written (CURLOPT_REQUEST_TARGET),
 * and each url uses a fresh connection that is not kept (a health check
 * must test connecting).
 *
 * The body. keepalived hashes the bytes after the header up to
 * Content-Length, without undoing chunked transfer coding, so we turn
 * off libcurl's transfer decoding: a digest from keepalived's genhash (or
 * ours) matches. The MD5 is streamed; for the regex we keep at most
 * HTTP_REGEX_WINDOW bytes starting at regex_min_offset.
 *
 * TLS (SSL_GET). keepalived 2.2.7 never asks OpenSSL to verify the
 * server's certificate, even when global SSL { ca } is set. We verify
 * when ca is set (the chain against that file only, not the system
 * store), and also the name when enable_sni sends one; without ca
 * nothing is verified, as in keepalived. SSL { certificate, key,
 * password } give a client certificate. SNI is sent only with
 * enable_sni and a virtualhost (keepalived's rule; we take the same
 * virtualhost as the Host header, which includes the real server's), as
 * written: a name with '_' goes out too, as keepalived sends it. One that
 * libcurl cannot carry as a host name (a ':' or a space in it) cannot be
 * sent; init says so in the log, since the handshake then goes without
 * SNI and, with ca, without the name check.
 *
 * The reply. libcurl skips interim 1xx replies and takes bare-LF lines,
 * as the plain reader does; the head is held to HTTP_HEAD_MAX as there
 * (a header callback counts it). A body cut short of its Content-Length
 * (CURLE_PARTIAL_FILE) is logged and judged as received, as keepalived
 * does.
 *
 * Regex. keepalived uses PCRE2; our stack has POSIX regex only, so a url
 * regex is compiled as a POSIX extended regex. regex_options map as:
 * caseless -> REG_ICASE, multiline -> REG_NEWLINE (^ and $ at line
 * breaks; note that POSIX then also stops . and [^...] at newlines);
 * every other PCRE2 option, and regex_stack, is accepted and ignored.
 * PCRE-only syntax (\d, lazy quantifiers, lookaround) fails at init,
 * which leaves the checker out with the compiler's message.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curlapi.h"

#include "md5.h"
#include "attempt.h"
#include "health.h"
#include "http_int.h"
#include "log.h"
#include "probe.h"

/* libcurl's functions (curlapi.h), set by the first probe's init. */
static const struct curl_api *cu;


/* ---- the shared multi handle ------------------------------------------------ */

struct http_sock;

struct http_shared {
	CURLM *multi;
	uv_loop_t *loop;
	uv_timer_t timer;              /* libcurl's next timeout */
	struct http_sock *socks;       /* watched sockets, for ctx_fini */
};

/* One socket libcurl asked us to watch. */
struct http_sock {
	uv_poll_t poll;
	curl_socket_t fd;
	struct http_shared *sh;
	struct http_sock *next, **pprev;
};

/* ---- a probe and its attempt -------------------------------------------------- */

struct http_attempt {
	struct http_probe *hp;
	struct http_shared *sh;
	size_t url;                    /* index of the url being fetched */
	/* the url's transfer */
	CURL *easy;
	struct curl_slist *headers;
	struct curl_slist *connect_to;
	struct http_body body;
	size_t head_bytes;             /* of the current reply head (on_header) */
	bool head_too_big;
	int sock_errno;                /* set by on_sockopt */
	const char *sock_what;
	char errbuf[CURL_ERROR_SIZE];
};

static const struct check_status_range default_codes = { 200, 299 };

static struct http_probe *http_of(struct probe *p)
{
	return (struct http_probe *)(void *)p;
}

const struct http_check *http_conf_of(const struct probe *p)
{
	return (const struct http_check *)(const void *)p->conf;
}
#define conf_of http_conf_of

/* ---- libcurl <-> libuv -------------------------------------------------------- */

static void check_multi_info(struct http_shared *sh);

static void sock_closed(uv_handle_t *h)
{
	free(h->data);
}

static void sock_forget(struct http_sock *s)
{
	*s->pprev = s->next;
	if (s->next)
		s->next->pprev = s->pprev;
	uv_poll_stop(&s->poll);
	uv_close((uv_handle_t *)&s->poll, sock_closed);
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	struct http_sock *s = h->data;
	struct http_shared *sh = s->sh;
	int flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	/* s may be freed inside: libcurl can close this socket. */
	cu->multi_socket_action(sh->multi, s->fd, flags, &running);
	check_multi_info(sh);
}

/* CURLMOPT_SOCKETFUNCTION: start, change or stop watching fd. Only
 * cu->multi_assign() may be called from here. */
static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct http_shared *sh = userp;
	struct http_sock *s = socketp;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s) {
			cu->multi_assign(sh->multi, fd, NULL);
			sock_forget(s);
		}
		return 0;
	}
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return -1;
		if (uv_poll_init_socket(sh->loop, &s->poll, fd) < 0) {
			free(s);
			return -1;
		}
		s->fd = fd;
		s->sh = sh;
		s->poll.data = s;
		s->next = sh->socks;
		s->pprev = &sh->socks;
		if (sh->socks)
			sh->socks->pprev = &s->next;
		sh->socks = s;
		cu->multi_assign(sh->multi, fd, s);
	}
	int events = 0;
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= UV_READABLE;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= UV_WRITABLE;
	uv_poll_start(&s->poll, events, on_poll);
	return 0;
}

static void on_timer(uv_timer_t *t)
{
	struct http_shared *sh = t->data;
	int running;
	cu->multi_socket_action(sh->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_multi_info(sh);
}

/* CURLMOPT_TIMERFUNCTION: -1 stops the timer; 0 means "as soon as
 * possible", which a 0 ms uv_timer gives on the next loop turn (libcurl
 * must not be re-entered from this callback). */
static int on_timer_change(CURLM *multi, long timeout_ms, void *userp)
{
	struct http_shared *sh = userp;
	(void)multi;
	if (timeout_ms < 0)
		uv_timer_stop(&sh->timer);
	else
		uv_timer_start(&sh->timer, on_timer, (uint64_t)timeout_ms, 0);
	return 0;
}

static struct http_shared *shared_get(struct probe_ctx *ctx)
{
	struct http_shared *sh = ctx->kind_state[CHECK_HTTP];

	if (sh)
		return sh;
	sh = calloc(1, sizeof(*sh));
	if (!sh)
		return NULL;
	sh->multi = cu->multi_init();
	if (!sh->multi) {
		free(sh);
		return NULL;
	}
	sh->loop = ctx->loop;
	uv_timer_init(ctx->loop, &sh->timer);
	sh->timer.data = sh;
	cu->multi_setopt(sh->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	cu->multi_setopt(sh->multi, CURLMOPT_SOCKETDATA, sh);
	cu->multi_setopt(sh->multi, CURLMOPT_TIMERFUNCTION, on_timer_change);
	cu->multi_setopt(sh->multi, CURLMOPT_TIMERDATA, sh);
	ctx->kind_state[CHECK_HTTP] = sh;
	return sh;
}

static void shared_closed(uv_handle_t *h)
{
	free(h->data);
}

/* Both kinds' ctx_fini; the engine has cancelled every probe, so no easy
 * handle is left in the multi. */
static void http_ctx_fini(struct probe_ctx *ctx)
{
	struct http_shared *sh = ctx->kind_state[CHECK_HTTP];
	if (!sh)
		return;
	ctx->kind_state[CHECK_HTTP] = NULL;
	cu->multi_cleanup(sh->multi);
	/* Sockets libcurl did not say REMOVE for before it went. */
	while (sh->socks)
		sock_forget(sh->socks);
	uv_timer_stop(&sh->timer);
	uv_close((uv_handle_t *)&sh->timer, shared_closed);
}

/* ---- building one url's request ----------------------------------------------- */

/* url, checker, real server, virtual server: keepalived's order. */
const char *http_virtualhost_of(const struct probe *p, const struct check_url *u)
{
	const struct http_check *hc = conf_of(p);
	if (u->virtualhost)
		return u->virtualhost;
	if (hc->virtualhost)
		return hc->virtualhost;
	if (p->rs && p->rs->virtualhost)
		return p->rs->virtualhost;
	if (p->vs && p->vs->virtualhost)
		return p->vs->virtualhost;
	return NULL;
}

/* "192.0.2.1" or "[2001:db8::1]" (with "%25<scope>" for a link-local
 * address when url is set, as a URL spells a zone), and the port. */
uint16_t http_format_dst(const struct probe *p, bool url, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "";
	if (p->dst.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&p->dst;
		inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
		if (url && a->sin6_scope_id)
			snprintf(buf, len, "[%s%%25%u]", ip, (unsigned)a->sin6_scope_id);
		else
			snprintf(buf, len, "[%s]", ip);
		return ntohs(a->sin6_port);
	}
	const struct sockaddr_in *a = (const struct sockaddr_in *)&p->dst;
	inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
	snprintf(buf, len, "%s", ip);
	return ntohs(a->sin_port);
}

/* A name libcurl can put in a URL's host part (and send as SNI): what
 * DNS names and the names operators write hold, '_' included. */
static bool url_safe_host(const char *h)
{
	if (!*h || strlen(h) > 253)
		return false;
	for (; *h; h++)
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
		      (*h >= '0' && *h <= '9') || *h == '-' || *h == '.' || *h == '_'))
			return false;
	return true;
}

/* CURLOPT_SOCKOPTFUNCTION, between socket() and connect(): what
 * probe_socket_connect() does for the other kinds. */
static int on_sockopt(void *clientp, curl_socket_t fd, curlsocktype purpose)
{
	struct http_attempt *a = clientp;
	const struct probe *p = &a->hp->p;

	if (purpose != CURLSOCKTYPE_IPCXN)
		return CURL_SOCKOPT_OK;
	if (p->fwmark && setsockopt(fd, SOL_SOCKET, SO_MARK, &p->fwmark, sizeof(p->fwmark)) < 0) {
		a->sock_what = "SO_MARK";
		goto fail;
	}
	if (p->bind_if && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, p->bind_if,
				     (socklen_t)strnlen(p->bind_if, IF_NAMESIZE)) < 0) {
		a->sock_what = "SO_BINDTODEVICE";
		goto fail;
	}
	if (p->src_len) {
		int one = 1;
		/* A fixed bind_port comes back every attempt, through the last
		 * one's TIME_WAIT. */
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (const struct sockaddr *)&p->src, p->src_len) < 0) {
			a->sock_what = "bind";
			goto fail;
		}
	}
	return CURL_SOCKOPT_OK;
fail:
	a->sock_errno = errno;
	return CURL_SOCKOPT_ERROR;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp);

/* Each header line of each reply head, the status line first: the final
 * head may not pass HTTP_HEAD_MAX (http_int.h), as in the plain reader. */
static size_t on_header(char *data, size_t size, size_t nmemb, void *userp)
{
	struct http_attempt *a = userp;
	size_t n = size * nmemb;
	if (n >= 5 && !memcmp(data, "HTTP/", 5))
		a->head_bytes = 0;         /* a new head: an interim one came before */
	a->head_bytes += n;
	if (a->head_bytes > HTTP_HEAD_MAX) {
		a->head_too_big = true;
		return 0;                  /* ends the transfer */
	}
	return n;
}

/* The TLS options of SSL_GET; sni is the name sent, or NULL. */
static void set_tls(const struct probe *p, CURL *e, const char *sni)
{
	const struct ssl_conf *ssl = p->ctx->cfg ? &p->ctx->cfg->ssl : NULL;

	if (ssl && ssl->ca) {
		cu->easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
		cu->easy_setopt(e, CURLOPT_CAINFO, ssl->ca);
		cu->easy_setopt(e, CURLOPT_CAPATH, (char *)NULL);
		cu->easy_setopt(e, CURLOPT_SSL_VERIFYHOST, sni ? 2L : 0L);
	} else {
		cu->easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		cu->easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (ssl && ssl->certificate)
		cu->easy_setopt(e, CURLOPT_SSLCERT, ssl->certificate);
	if (ssl && ssl->key)
		cu->easy_setopt(e, CURLOPT_SSLKEY, ssl->key);
	if (ssl && ssl->password)
		cu->easy_setopt(e, CURLOPT_KEYPASSWD, ssl->password);
}

/* The request headers keepalived sends; NULL when out of memory. */
static struct curl_slist *request_headers(const struct probe *p, const char *vhost)
{
	const struct http_check *hc = conf_of(p);
	char host[300], addr[INET6_ADDRSTRLEN + 16];
	struct curl_slist *l = NULL, *t;

	if (vhost) {
		snprintf(host, sizeof(host), "Host: %s", vhost);
	} else {
		uint16_t port = http_format_dst(p, false, addr, sizeof(addr));
		snprintf(host, sizeof(host), "Host: %s:%u", addr, (unsigned)port);
	}
	const char *lines[] = {
		host,
		"Accept:",               /* libcurl's own "Accept: * / *": not sent */
		hc->http_protocol != CHECK_HTTP_1_0 ? "Connection: close" : NULL,
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (!lines[i])
			continue;
		t = cu->slist_append(l, lines[i]);
		if (!t) {
			cu->slist_free_all(l);
			return NULL;
		}
		l = t;
	}
	return l;
}

/* Build the easy handle for url a->url with ms milliseconds left. */
static CURLcode url_easy(struct http_attempt *a, uint64_t ms)
{
	const struct probe *p = &a->hp->p;
	const struct http_check *hc = conf_of(p);
	const struct check_url *u = a->hp->urls[a->url].conf;
	const char *vhost = http_virtualhost_of(p, u);
	/* SNI only when asked for, and it travels as the URL's host name. */
	const char *sni = a->hp->tls && hc->enable_sni && vhost && url_safe_host(vhost) ? vhost : NULL;
	char addr[INET6_ADDRSTRLEN + 16], url[400], conn[INET6_ADDRSTRLEN + 32];
	uint16_t port = http_format_dst(p, true, addr, sizeof(addr));
	const char *scheme = a->hp->tls ? "https" : "http";
	CURL *e = cu->easy_init();

	if (!e)
		return CURLE_OUT_OF_MEMORY;
	a->easy = e;
	a->headers = request_headers(p, vhost);
	if (!a->headers)
		return CURLE_OUT_OF_MEMORY;
	if (sni) {
		/* The connection still goes to the real server's address. */
		snprintf(url, sizeof(url), "%s://%s:%u/", scheme, sni, (unsigned)port);
		snprintf(conn, sizeof(conn), "::%s:%u", addr, (unsigned)port);
		a->connect_to = cu->slist_append(NULL, conn);
		if (!a->connect_to)
			return CURLE_OUT_OF_MEMORY;
		cu->easy_setopt(e, CURLOPT_CONNECT_TO, a->connect_to);
	} else {
		snprintf(url, sizeof(url), "%s://%s:%u/", scheme, addr, (unsigned)port);
	}
	cu->easy_setopt(e, CURLOPT_URL, url);
	cu->easy_setopt(e, CURLOPT_REQUEST_TARGET, u->path);
	cu->easy_setopt(e, CURLOPT_PROXY, "");          /* never $http_proxy */
	cu->easy_setopt(e, CURLOPT_HTTP_VERSION, hc->http_protocol == CHECK_HTTP_1_1
			 ? (long)CURL_HTTP_VERSION_1_1 : (long)CURL_HTTP_VERSION_1_0);
	cu->easy_setopt(e, CURLOPT_HTTPHEADER, a->headers);
	/* The name servers match on when they treat checks apart. */
	cu->easy_setopt(e, CURLOPT_USERAGENT, "KeepAliveClient");
	cu->easy_setopt(e, CURLOPT_HTTP_TRANSFER_DECODING, 0L);
	cu->easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	cu->easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	cu->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	/* A check reads a small page: libcurl's 16 KiB receive buffer per
	 * transfer is most of the memory a thousand checks in flight hold. */
	cu->easy_setopt(e, CURLOPT_BUFFERSIZE, 4096L);
	cu->easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)ms);
	cu->easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)ms);
	cu->easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
	cu->easy_setopt(e, CURLOPT_SOCKOPTDATA, a);
	cu->easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	cu->easy_setopt(e, CURLOPT_WRITEDATA, a);
	cu->easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	cu->easy_setopt(e, CURLOPT_HEADERDATA, a);
	cu->easy_setopt(e, CURLOPT_ERRORBUFFER, a->errbuf);
	cu->easy_setopt(e, CURLOPT_PRIVATE, a);
	if (a->hp->tls)
		set_tls(p, e, sni);
	return CURLE_OK;
}

/* ---- reading and judging ------------------------------------------------------- */

void http_body_feed(struct http_body *b, const struct http_url *hu, const char *data, size_t n)
{
	uint64_t at = b->bytes;

	b->bytes += n;
	if (hu->conf->digest.set)
		md5_update(&b->md5, data, n);
	if (!b->window || b->window_len == HTTP_REGEX_WINDOW)
		return;
	/* The bytes of [at, at + n) from regex_min_offset on, while the
	 * window has room. */
	uint64_t from = hu->conf->regex_min_offset;
	if (at + n <= from)
		return;
	size_t skip = at < from ? (size_t)(from - at) : 0;
	size_t take = n - skip;
	if (take > HTTP_REGEX_WINDOW - b->window_len)
		take = HTTP_REGEX_WINDOW - b->window_len;
	memcpy(b->window + b->window_len, data + skip, take);
	b->window_len += take;
}

int http_body_start(struct http_body *b, const struct http_url *hu)
{
	free(b->window);
	memset(b, 0, sizeof(*b));
	md5_init(&b->md5);
	if (hu->has_re && !(b->window = malloc(HTTP_REGEX_WINDOW + 1)))
		return -1;
	return 0;
}

void http_body_free(struct http_body *b)
{
	free(b->window);
	b->window = NULL;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct http_attempt *a = userp;
	http_body_feed(&a->body, &a->hp->urls[a->url], data, size * nmemb);
	return size * nmemb;
}

static bool status_accepted(const struct check_status_codes *sc, long code)
{
	const struct check_status_range *r = sc->n ? sc->r : &default_codes;
	uint32_t n = sc->n ? sc->n : 1;
	for (uint32_t i = 0; i < n; i++)
		if (code >= r[i].lo && code <= r[i].hi)
			return true;
	return false;
}

/* Did the regex match at a start no later than regex_max_offset? */
static bool regex_matched(const struct http_url *hu, const char *buf, size_t len)
{
	regmatch_t m[1] = { { .rm_so = 0, .rm_eo = (regoff_t)len } };
	/* REG_STARTEND: the window may hold NUL bytes. Past min_offset, '^'
	 * is not the start of the body. */
	int flags = REG_STARTEND | (hu->conf->regex_min_offset ? REG_NOTBOL : 0);

	if (regexec(&hu->re, buf, 1, m, flags) != 0)
		return false;
	uint64_t start = (uint64_t)hu->conf->regex_min_offset + (uint64_t)m[0].rm_so;
	return !hu->conf->regex_max_offset || start <= hu->conf->regex_max_offset;
}

/* The failure a libcurl error stands for. */
static void transfer_failed(struct http_attempt *a, CURLcode rc, struct probe_result *r)
{
	const char *why = a->errbuf[0] ? a->errbuf : cu->easy_strerror(rc);
	const char *path = a->hp->urls[a->url].conf->path;
	long os_errno = 0;

	cu->easy_getinfo(a->easy, CURLINFO_OS_ERRNO, &os_errno);
	if (a->head_too_big) {
		probe_result_fail(r, PROBE_BAD_STATUS, "reply head over %u bytes on url(%s)",
				  (unsigned)HTTP_HEAD_MAX, path);
		return;
	}
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		probe_result_fail(r, PROBE_TIMEOUT, "no answer within %llu ms on url(%s)",
				  (unsigned long long)(a->hp->p.timeout_us / 1000), path);
		return;
	case CURLE_ABORTED_BY_CALLBACK:
	case CURLE_COULDNT_CONNECT:
		if (a->sock_what) {
			probe_result_fail(r, PROBE_SOCKET_ERROR, "%s: %s", a->sock_what,
					  strerror(a->sock_errno));
			return;
		}
		probe_result_fail(r, os_errno ? probe_status_of_errno((int)os_errno) : PROBE_REFUSED,
				  "%s", os_errno ? strerror((int)os_errno) : why);
		return;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_USE_SSL_FAILED:
		probe_result_fail(r, PROBE_TLS_ERROR, "%s", why);
		return;
	case CURLE_GOT_NOTHING:
		/* keepalived: "Read, no data received from" */
		probe_result_fail(r, PROBE_CLOSED, "no data received on url(%s)", path);
		return;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_UNSUPPORTED_PROTOCOL:
		probe_result_fail(r, PROBE_BAD_STATUS, "not an HTTP reply on url(%s): %s", path, why);
		return;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		probe_result_fail(r, os_errno ? probe_status_of_errno((int)os_errno) : PROBE_CLOSED,
				  "%s on url(%s)", why, path);
		return;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_INTERFACE_FAILED:
	case CURLE_OUT_OF_MEMORY:
	default:
		probe_result_fail(r, PROBE_SOCKET_ERROR, "%s", why);
		return;
	}
}

bool http_judge(const struct http_url *hu, long code, struct http_body *b,
		struct probe_result *r)
{
	const struct check_url *u = hu->conf;

	if (!status_accepted(&u->status_codes, code)) {
		probe_result_fail(r, PROBE_BAD_STATUS, "HTTP status %ld on url(%s)", code, u->path);
		return false;
	}
	if (u->digest.set) {
		uint8_t got[MD5_DIGEST_LEN];
		char hex[MD5_HEX_LEN];
		md5_final(&b->md5, got);
		if (memcmp(got, u->digest.md5, MD5_DIGEST_LEN) != 0) {
			probe_result_fail(r, PROBE_BAD_DIGEST, "MD5 digest %s on url(%s)",
					  md5_hex(got, hex), u->path);
			return false;
		}
	}
	if (hu->has_re && regex_matched(hu, b->window, b->window_len) == u->regex_no_match) {
		probe_result_fail(r, PROBE_BAD_REGEX, "regex %s on url(%s)",
				  u->regex_no_match ? "matched" : "did not match", u->path);
		return false;
	}
	probe_result_ok(r);
	return true;
}

void http_log_short_reply(const struct http_probe *hp, struct http_url *hu, int64_t length,
			  uint64_t got)
{
	int64_t diff = length - (int64_t)got;
	if (hu->len_mismatch == diff)
		return;
	hu->len_mismatch = diff;
	const struct probe *p = &hp->p;
	const char *vh = hu->conf->virtualhost;
	char rs[128], vs[128] = "?";
	snprintf(rs, sizeof(rs), "%s", p->name);
	if (p->vs && p->rs) {
		health_rs_fmt(p->vs, p->rs, rs, sizeof(rs));
		health_vs_fmt(p->vs, vs, sizeof(vs));
	}
	log_msg(LOG_INFO, "http_check for RS %s VS %s url %s%s: content_length (%lld) does not "
		"match received bytes (%llu)", rs, vs, vh ? vh : "", hu->conf->path,
		(long long)length, (unsigned long long)got);
}

/* Judge the finished transfer of url a->url: status, then digest, then
 * regex, keepalived's order. Returns true when the url passed. */
static bool url_judge(struct http_attempt *a, CURLcode rc, struct probe_result *r)
{
	long code = 0;
	curl_off_t length = -1;

	if (rc == CURLE_PARTIAL_FILE && !a->head_too_big &&
	    cu->easy_getinfo(a->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK &&
	    length >= 0 && (uint64_t)length > a->body.bytes) {
		/* Closed short of its Content-Length: logged, then judged. */
		http_log_short_reply(a->hp, &a->hp->urls[a->url], (int64_t)length, a->body.bytes);
		rc = CURLE_OK;
	}
	if (rc != CURLE_OK) {
		transfer_failed(a, rc, r);
		return false;
	}
	cu->easy_getinfo(a->easy, CURLINFO_RESPONSE_CODE, &code);
	return http_judge(&a->hp->urls[a->url], code, &a->body, r);
}

/* Free the current url's transfer (out of the multi first). */
static void url_end(struct http_attempt *a)
{
	if (a->easy) {
		cu->multi_remove_handle(a->sh->multi, a->easy);
		cu->easy_cleanup(a->easy);
		a->easy = NULL;
	}
	cu->slist_free_all(a->headers);
	cu->slist_free_all(a->connect_to);
	a->headers = a->connect_to = NULL;
	http_body_free(&a->body);
}

static void attempt_end(struct http_attempt *a, const struct probe_result *r)
{
	struct http_probe *hp = a->hp;
	url_end(a);
	free(a);
	hp->a = NULL;
	hp->p.done(&hp->p, r);
}

/* Start url a->url with its own connect_timeout; false with r filled on
 * failure. */
static bool url_start(struct http_attempt *a, struct probe_result *r)
{
	const struct http_url *hu = &a->hp->urls[a->url];
	uint64_t ms = (a->hp->p.timeout_us + 999) / 1000;

	a->head_bytes = 0;
	a->head_too_big = false;
	a->errbuf[0] = '\0';
	a->sock_what = NULL;
	if (http_body_start(&a->body, hu) < 0) {
		probe_result_fail(r, PROBE_SOCKET_ERROR, "out of memory");
		return false;
	}
	CURLcode rc = url_easy(a, ms ? ms : 1);
	if (rc != CURLE_OK || cu->multi_add_handle(a->sh->multi, a->easy) != CURLM_OK) {
		probe_result_fail(r, PROBE_SOCKET_ERROR, "cannot set up the transfer: %s",
				  cu->easy_strerror(rc != CURLE_OK ? rc : CURLE_OUT_OF_MEMORY));
		return false;
	}
	return true;
}

/* A url's transfer is over: judge it, go on to the next url or report. */
static void url_done(struct http_attempt *a, CURLcode rc)
{
	struct probe_result r;
	bool ok = url_judge(a, rc, &r);

	url_end(a);
	if (ok && a->url + 1 < a->hp->n_urls) {
		a->url++;
		if (url_start(a, &r))
			return;
	}
	attempt_end(a, &r);
}

static void check_multi_info(struct http_shared *sh)
{
	CURLMsg *m;
	int left;

	/* A done callback may start or cancel other probes: their handles
	 * join or leave the multi between reads, which libcurl allows. */
	while ((m = cu->multi_info_read(sh->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		char *priv = NULL;
		CURLcode rc = m->data.result;
		cu->easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		if (priv)
			url_done((struct http_attempt *)(void *)priv, rc);
	}
}

/* ---- the probe_ops ----------------------------------------------------------- */

/* HTTP_GET's probes use the socket attempts' epoll set too. */
static void http_ctx_fini_all(struct probe_ctx *ctx)
{
	http_ctx_fini(ctx);
	probe_poller_fini(ctx);
}

static void http_fini(struct probe *p);

static int http_init(struct probe *p, char *err, size_t errlen)
{
	struct http_probe *hp = http_of(p);
	const struct http_check *hc = conf_of(p);

	hp->tls = p->ops == &probe_ssl_ops;
	/* Only SSL_GET needs libcurl (http_int.h). */
	if (hp->tls && !cu && !(cu = curl_api_get(err, errlen)))
		return -1;
	if (!hc || !hc->urls.n) {
		snprintf(err, errlen, "%s has no url", p->ops->keyword);
		return -1;
	}
	hp->urls = calloc(hc->urls.n, sizeof(*hp->urls));
	if (!hp->urls) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (LIST_EACH(const struct check_url, u, &hc->urls)) {
		struct http_url *hu = &hp->urls[hp->n_urls++];
		hu->conf = u;
		const char *vhost = http_virtualhost_of(p, u);
		if (hp->tls && hc->enable_sni && (!vhost || !url_safe_host(vhost))) {
			/* Never drop SNI (and with it the name check) unsaid. */
			const struct ssl_conf *ssl = p->ctx->cfg ? &p->ctx->cfg->ssl : NULL;
			log_msg(LOG_WARNING, "SSL_GET %s url(%s): enable_sni, but %s%s%s; the "
				"handshake goes without a server name%s", p->name, u->path,
				vhost ? "the virtualhost '" : "no virtualhost is set",
				vhost ? vhost : "", vhost ? "' cannot be sent as one" : "",
				ssl && ssl->ca ? ", and the certificate's name is not verified" : "");
		}
		if (!u->regex)
			continue;
		int flags = REG_EXTENDED;
		if (u->regex_options & CHECK_RE_CASELESS)
			flags |= REG_ICASE;
		if (u->regex_options & CHECK_RE_MULTILINE)
			flags |= REG_NEWLINE;
		int rc = regcomp(&hu->re, u->regex, flags);
		if (rc != 0) {
			char msg[128];
			regerror(rc, &hu->re, msg, sizeof(msg));
			snprintf(err, errlen, "url %s: regex \"%s\": %s", u->path, u->regex, msg);
			http_fini(p);
			return -1;
		}
		hu->has_re = true;
	}
	return 0;
}

static void http_start(struct probe *p)
{
	struct http_probe *hp = http_of(p);
	struct probe_result r;
	struct http_attempt *a;

	if (!hp->tls) {
		http_plain_start(hp);
		return;
	}
	struct http_shared *sh = shared_get(p->ctx);

	if (!sh || !(a = calloc(1, sizeof(*a)))) {
		probe_result_fail(&r, PROBE_SOCKET_ERROR, "out of memory");
		p->done(p, &r);
		return;
	}
	a->hp = hp;
	a->sh = sh;
	hp->a = a;
	if (!url_start(a, &r))
		attempt_end(a, &r);
}

static void http_cancel(struct probe *p)
{
	struct http_probe *hp = http_of(p);
	http_plain_cancel(hp);
	struct http_attempt *a = hp->a;
	if (!a)
		return;
	hp->a = NULL;
	/* Out of the multi at once: no message and no callback for it after
	 * this; libcurl closes its socket, and the watch on it, now. */
	url_end(a);
	free(a);
}

static void http_fini(struct probe *p)
{
	struct http_probe *hp = http_of(p);
	for (size_t i = 0; i < hp->n_urls; i++)
		if (hp->urls[i].has_re)
			regfree(&hp->urls[i].re);
	free(hp->urls);
	hp->urls = NULL;
	hp->n_urls = 0;
}

/* keepalived 2.2.7 logs HTTP_GET and SSL_GET state changes with the same
 * words ("HTTP_CHECK"), whichever the kind. */
const struct probe_ops probe_http_ops = {
	.keyword = "HTTP_GET",
	.size = sizeof(struct http_probe),
	.init = http_init,
	.start = http_start,
	.cancel = http_cancel,
	.fini = http_fini,
	.ctx_fini = http_ctx_fini_all,
	.up_fmt = "Remote Web server %s succeed on service.",
	.down_fmt = "HTTP_CHECK on service %s failed.",
	.down_retries_fmt = "HTTP_CHECK on service %s failed after %u retries.",
};

const struct probe_ops probe_ssl_ops = {
	.keyword = "SSL_GET",
	.size = sizeof(struct http_probe),
	.init = http_init,
	.start = http_start,
	.cancel = http_cancel,
	.fini = http_fini,
	.ctx_fini = http_ctx_fini,
	.up_fmt = "Remote Web server %s succeed on service.",
	.down_fmt = "HTTP_CHECK on service %s failed.",
	.down_retries_fmt = "HTTP_CHECK on service %s failed after %u retries.",
};
