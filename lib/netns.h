/* netns.h - network namespaces by name, as `ip netns` makes them
 * (/run/netns/NAME): keepalived's net_namespace and -s (the whole daemon
 * runs in it) and net_namespace_ipvs (the IPVS socket is opened in
 * another one).
 *
 * setns() needs CAP_SYS_ADMIN and applies to the calling thread only: the
 * daemon enters its namespace in main(), before any thread or child
 * exists, so everything after (the workers are children) runs there. */
#ifndef VIGIL_NETNS_H
#define VIGIL_NETNS_H

#include <stdbool.h>
#include <stddef.h>

/* The file of namespace name: /run/netns/NAME; "" is the default
 * namespace (init's, /proc/1/ns/net), as net_namespace_ipvs without a
 * name means. Pure: false when name could not be a namespace name (a
 * '/', ".", "..") or the path does not fit. */
bool netns_path(char *buf, size_t len, const char *name);

/* An O_RDONLY descriptor of namespace name, or -errno. */
int netns_open(const char *name);

/* Move the calling thread into namespace name. 0 or -errno. */
int netns_enter(const char *name);

/* Call fn(data) with the calling thread in namespace fd, then move it
 * back. Returns fn's result, or -errno when a move failed (fn then did
 * not run, or ran and the way back failed: logged as an error). */
int netns_call(int fd, int (*fn)(void *data), void *data);

#endif
