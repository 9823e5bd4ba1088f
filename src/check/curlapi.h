/* curlapi.h - libcurl, loaded when the first HTTP_GET or SSL_GET needs it.
 *
 * libcurl as Debian builds it brings some thirty libraries with it
 * (OpenSSL, GnuTLS, Kerberos, LDAP, SSH, RTMP ...). Linked into vigild,
 * every process paid for them: about 5 MB of resident memory each in
 * the supervisor, the VRRP worker and the checker, which has nothing to
 * do with HTTP on a director that checks TCP. So vigild does not link
 * libcurl; http.c calls it through this table, filled by dlopen() the
 * first time a probe needs it. */
#ifndef VIGIL_CHECK_CURLAPI_H
#define VIGIL_CHECK_CURLAPI_H

#include <stddef.h>

#include <curl/curl.h>

struct curl_api {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *h);
	const char *(*easy_strerror)(CURLcode code);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *m, CURLMoption opt, ...);
	CURLMcode (*multi_add_handle)(CURLM *m, CURL *h);
	CURLMcode (*multi_remove_handle)(CURLM *m, CURL *h);
	CURLMcode (*multi_assign)(CURLM *m, curl_socket_t s, void *p);
	CURLMcode (*multi_socket_action)(CURLM *m, curl_socket_t s, int ev, int *running);
	CURLMsg *(*multi_info_read)(CURLM *m, int *left);
	CURLMcode (*multi_cleanup)(CURLM *m);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
};

/* The table, loading libcurl.so.4 on the first call (and
 * curl_global_init()). NULL with why in err when it cannot be loaded. */
const struct curl_api *curl_api_get(char *err, size_t errlen);

#endif
