/* curlapi.c - see curlapi.h. */
#include "curlapi.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Each entry: the symbol and where its address goes. */
#define SYM(field, name) { name, offsetof(struct curl_api, field) }
static const struct { const char *name; size_t off; } syms[] = {
	SYM(global_init, "curl_global_init"),
	SYM(easy_init, "curl_easy_init"),
	SYM(easy_setopt, "curl_easy_setopt"),
	SYM(easy_getinfo, "curl_easy_getinfo"),
	SYM(easy_cleanup, "curl_easy_cleanup"),
	SYM(easy_strerror, "curl_easy_strerror"),
	SYM(multi_init, "curl_multi_init"),
	SYM(multi_setopt, "curl_multi_setopt"),
	SYM(multi_add_handle, "curl_multi_add_handle"),
	SYM(multi_remove_handle, "curl_multi_remove_handle"),
	SYM(multi_assign, "curl_multi_assign"),
	SYM(multi_socket_action, "curl_multi_socket_action"),
	SYM(multi_info_read, "curl_multi_info_read"),
	SYM(multi_cleanup, "curl_multi_cleanup"),
	SYM(slist_append, "curl_slist_append"),
	SYM(slist_free_all, "curl_slist_free_all"),
};

const struct curl_api *curl_api_get(char *err, size_t errlen)
{
	static struct curl_api api;
	static bool loaded;

	if (loaded)
		return &api;
	/* Not thread-safe, and need not be: a checker worker is one thread.
	 * The library stays loaded for the life of the process. */
	void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(err, errlen, "cannot load libcurl (install libcurl4): %s", dlerror());
		return NULL;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *fn = dlsym(lib, syms[i].name);
		if (!fn) {
			snprintf(err, errlen, "libcurl has no %s", syms[i].name);
			return NULL;
		}
		memcpy((char *)&api + syms[i].off, &fn, sizeof(fn));
	}
	if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, "curl_global_init failed");
		return NULL;
	}
	loaded = true;
	return &api;
}
