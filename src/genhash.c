/* genhash.c - vigil-genhash: the MD5 of a web page, for url { digest }.
 *
 * keepalived's genhash, with the same options and output: it fetches one
 * url from one server the way HTTP_GET / SSL_GET do (the same request
 * line and headers, the body hashed as sent, chunked coding included, up
 * to Content-Length) and prints "MD5SUM = <hex>", so the digest an
 * operator pastes into the configuration is the one the checker will
 * compute. The status code is not judged here (keepalived's genhash does
 * not either); -v shows it with the response headers.
 *
 * The reply is read by the checker's rules (src/check/http_int.h), so a
 * digest printed here is one HTTP_GET and SSL_GET can pass: interim 1xx
 * heads skipped and bare-LF lines taken (libcurl does both, as the
 * checker's own reader does), a head of at most GENHASH_HEAD_MAX bytes
 * (else an error, not a digest), and a body cut short of its
 * Content-Length hashed as received, with the mismatch on stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "md5.h"

/* HTTP_HEAD_MAX of src/check/http_int.h: the longest reply head the
 * checker accepts. Keep them equal. */
#define GENHASH_HEAD_MAX (64 * 1024)

struct genhash_opts {
	char addr[INET6_ADDRSTRLEN];
	bool v6;
	unsigned port;
	const char *url;
	const char *vhost;
	bool ssl, sni, verbose;
	int protocol;                /* 10: 1.0, 11: 1.0C, 20: 1.1 */
	unsigned long timeout_s;
	unsigned long fwmark;
};

struct fetch {
	struct md5_ctx md5;
	unsigned long long bytes;
	size_t head_bytes;           /* of the current reply head */
	bool head_too_big;
	const struct genhash_opts *o;
};

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s -s ADDRESS -p PORT -u URL [OPTIONS]\n"
		"Print the MD5 of a web page's body, for HTTP_GET/SSL_GET url { digest }.\n\n"
		"   --server          -s ADDR  Use the specified remote server address.\n"
		"   --port            -p PORT  Use the specified remote server port.\n"
		"   --url             -u PATH  Use the specified remote server url.\n"
		"   --use-ssl         -S       Use SSL connection to remote server.\n"
		"   --use-sni         -I       Use SNI during SSL handshake (the -V name).\n"
		"   --use-virtualhost -V NAME  Use the specified virtualhost in GET query.\n"
		"   --protocol        -P VER   HTTP protocol: 1.0 (default), 1.0C, 1.1.\n"
		"   --timeout         -t SECS  Timeout in seconds (default 5).\n"
		"   --fwmark          -m MARK  Use the specified FW mark.\n"
		"   --verbose         -v       Use verbose mode output.\n"
		"   --help            -h       Display this short inlined help screen.\n",
		prog);
}

static bool parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *s == '-' || *end || errno || v > max)
		return false;
	*out = v;
	return true;
}

/* "192.0.2.1", "2001:db8::1" or "[2001:db8::1]". */
static bool parse_addr(const char *s, struct genhash_opts *o)
{
	char buf[INET6_ADDRSTRLEN + 2];
	struct in6_addr a6;
	struct in_addr a4;
	size_t len = strlen(s);

	if (len >= sizeof(buf))
		return false;
	if (s[0] == '[' && len > 2 && s[len - 1] == ']') {
		memcpy(buf, s + 1, len - 2);
		buf[len - 2] = '\0';
	} else {
		memcpy(buf, s, len + 1);
	}
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		inet_ntop(AF_INET, &a4, o->addr, sizeof(o->addr));
		o->v6 = false;
		return true;
	}
	if (inet_pton(AF_INET6, buf, &a6) == 1) {
		inet_ntop(AF_INET6, &a6, o->addr, sizeof(o->addr));
		o->v6 = true;
		return true;
	}
	return false;
}

/* 0, or a message for usage errors. */
static const char *parse_args(int argc, char **argv, struct genhash_opts *o, bool *help)
{
	static const struct option longs[] = {
		{ "server", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "url", required_argument, NULL, 'u' },
		{ "use-ssl", no_argument, NULL, 'S' },
		{ "use-sni", no_argument, NULL, 'I' },
		{ "use-virtualhost", required_argument, NULL, 'V' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "timeout", required_argument, NULL, 't' },
		{ "fwmark", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c;

	o->protocol = 10;
	o->timeout_s = 5;
	while ((c = getopt_long(argc, argv, "s:p:u:SIV:P:t:m:vh", longs, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!parse_addr(optarg, o))
				return "server should be an IP address";
			break;
		case 'p':
			if (!parse_ulong(optarg, 65535, &v) || !v)
				return "invalid port number";
			o->port = (unsigned)v;
			break;
		case 'u': o->url = optarg; break;
		case 'S': o->ssl = true; break;
		case 'I': o->sni = true; break;
		case 'V': o->vhost = optarg; break;
		case 'P':
			if (!strcmp(optarg, "1.0"))
				o->protocol = 10;
			else if (!strcmp(optarg, "1.0C") || !strcmp(optarg, "1.0c"))
				o->protocol = 11;
			else if (!strcmp(optarg, "1.1"))
				o->protocol = 20;
			else
				return "invalid HTTP protocol version (1.0, 1.0C or 1.1)";
			break;
		case 't':
			if (!parse_ulong(optarg, 86400, &v) || !v)
				return "invalid timeout";
			o->timeout_s = v;
			break;
		case 'm':
			if (!parse_ulong(optarg, UINT32_MAX, &v))
				return "invalid fwmark";
			o->fwmark = v;
			break;
		case 'v': o->verbose = true; break;
		case 'h': *help = true; return NULL;
		default: return "";
		}
	}
	if (optind < argc)
		return "unexpected argument";
	if (!o->addr[0] || !o->port || !o->url)
		return "-s, -p and -u are required";
	return NULL;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct fetch *f = userp;
	md5_update(&f->md5, data, size * nmemb);
	f->bytes += size * nmemb;
	return size * nmemb;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userp)
{
	struct fetch *f = userp;
	size_t n = size * nmemb;
	if (n >= 5 && !memcmp(data, "HTTP/", 5))
		f->head_bytes = 0;      /* a new head: an interim 1xx came before */
	f->head_bytes += n;
	if (f->head_bytes > GENHASH_HEAD_MAX) {
		f->head_too_big = true;
		return 0;               /* ends the transfer */
	}
	if (f->o->verbose)
		fwrite(data, size, nmemb, stdout);
	return n;
}

static int on_sockopt(void *clientp, curl_socket_t fd, curlsocktype purpose)
{
	const struct genhash_opts *o = clientp;
	uint32_t mark = (uint32_t)o->fwmark;
	if (purpose == CURLSOCKTYPE_IPCXN && mark &&
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0) {
		fprintf(stderr, "SO_MARK %u: %s\n", (unsigned)mark, strerror(errno));
		return CURL_SOCKOPT_ERROR;
	}
	return CURL_SOCKOPT_OK;
}

/* The same request as src/check/http.c sends; see there for why. */
static CURLcode fetch(const struct genhash_opts *o, struct fetch *f, long *status)
{
	char host_ip[INET6_ADDRSTRLEN + 2], url[600], host[300], conn[INET6_ADDRSTRLEN + 32];
	struct curl_slist *headers = NULL, *connect_to = NULL;
	bool sni = o->ssl && o->sni && o->vhost;
	const char *scheme = o->ssl ? "https" : "http";
	CURLcode rc = CURLE_OUT_OF_MEMORY;
	CURL *e = curl_easy_init();

	if (!e)
		return rc;
	snprintf(host_ip, sizeof(host_ip), o->v6 ? "[%s]" : "%s", o->addr);
	if (o->vhost)
		snprintf(host, sizeof(host), "Host: %s", o->vhost);
	else
		snprintf(host, sizeof(host), "Host: %s:%u", host_ip, o->port);
	headers = curl_slist_append(headers, host);
	headers = headers ? curl_slist_append(headers, "Accept:") : NULL;
	if (headers && o->protocol != 10)
		headers = curl_slist_append(headers, "Connection: close");
	if (!headers)
		goto out;
	if (sni) {
		snprintf(url, sizeof(url), "%s://%s:%u/", scheme, o->vhost, o->port);
		snprintf(conn, sizeof(conn), "::%s:%u", host_ip, o->port);
		if (!(connect_to = curl_slist_append(NULL, conn)))
			goto out;
		curl_easy_setopt(e, CURLOPT_CONNECT_TO, connect_to);
	} else {
		snprintf(url, sizeof(url), "%s://%s:%u/", scheme, host_ip, o->port);
	}
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_REQUEST_TARGET, o->url);
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, o->protocol == 20
			 ? (long)CURL_HTTP_VERSION_1_1 : (long)CURL_HTTP_VERSION_1_0);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "KeepAliveClient");
	curl_easy_setopt(e, CURLOPT_HTTP_TRANSFER_DECODING, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)o->timeout_s);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
	curl_easy_setopt(e, CURLOPT_SOCKOPTDATA, (void *)o);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, f);
	rc = curl_easy_perform(e);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
	curl_off_t length = -1;
	if (rc == CURLE_PARTIAL_FILE && !f->head_too_big &&
	    curl_easy_getinfo(e, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK &&
	    length >= 0 && (unsigned long long)length > f->bytes) {
		/* The checker logs this and judges the body as received. */
		fprintf(stderr, "content_length (%lld) does not match received bytes (%llu)\n",
			(long long)length, f->bytes);
		rc = CURLE_OK;
	}
out:
	curl_slist_free_all(headers);
	curl_slist_free_all(connect_to);
	curl_easy_cleanup(e);
	return rc;
}

int main(int argc, char **argv)
{
	struct genhash_opts o = { 0 };
	struct fetch f = { .o = &o };
	uint8_t digest[MD5_DIGEST_LEN];
	char hex[MD5_HEX_LEN];
	bool help = false;
	long status = 0;

	const char *err = parse_args(argc, argv, &o, &help);
	if (help) {
		usage(stdout, argv[0]);
		return 0;
	}
	if (err) {
		if (*err)
			fprintf(stderr, "%s: %s\n", argv[0], err);
		usage(stderr, argv[0]);
		return 1;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "%s: cannot initialise libcurl\n", argv[0]);
		return 1;
	}
	md5_init(&f.md5);
	uint64_t t0 = 0;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	CURLcode rc = fetch(&o, &f, &status);
	curl_global_cleanup();
	if (f.head_too_big) {
		fprintf(stderr, "Cannot fetch %s from [%s]:%u: the reply head is over %u bytes, "
			"which HTTP_GET and SSL_GET reject\n", o.url, o.addr, o.port,
			(unsigned)GENHASH_HEAD_MAX);
		return 1;
	}
	if (rc != CURLE_OK) {
		fprintf(stderr, "Cannot fetch %s from [%s]:%u: %s\n", o.url, o.addr, o.port,
			curl_easy_strerror(rc));
		return 1;
	}
	if (!status) {
		fprintf(stderr, "no data received from remote webserver\n");
		return 1;
	}
	md5_final(&f.md5, digest);
	if (o.verbose)
		printf("HTTP status %ld, %llu body bytes\n", status, f.bytes);
	/* keepalived's genhash: the label, the digest, an empty line. */
	printf("MD5SUM = %s\n\n", md5_hex(digest, hex));
	if (o.verbose) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t t1 = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
		printf("Global response time for [%s] = %llu usecs\n", o.url,
		       (unsigned long long)(t1 - t0));
	}
	return 0;
}
