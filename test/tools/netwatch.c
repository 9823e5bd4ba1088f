/* netwatch.c - a tiny packet watcher for the VRRP tests and benchmarks.
 *
 * Listens on one interface (AF_PACKET) for a bounded time and prints one
 * line per interesting frame, stamped with CLOCK_MONOTONIC nanoseconds:
 *   <ns> vrrp <src> vrid <n> prio <p> ver <v> mac <ethernet-source>
 *   <ns> arp <sender-ip> <sender-mac> request|reply <target-ip> <ethernet-destination>
 *   <ns> na <target> <mac>
 *   <ns> report igmp|mld|rs <ip-source> mac <ethernet-source>  (multicast membership
 *        reports and router solicitations: who claims a MAC on the wire)
 * Usage: netwatch IFNAME SECONDS
 * Only reads; sends nothing.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void mac_str(const uint8_t *m, char *out)
{
	sprintf(out, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void frame(const uint8_t *p, size_t n)
{
	char a[INET6_ADDRSTRLEN], m[18];
	uint64_t t = now_ns();
	if (n < 14)
		return;
	uint16_t type = (uint16_t)(p[12] << 8 | p[13]);
	const uint8_t *l3 = p + 14;
	size_t len = n - 14;
	char em[18], t_ip[INET_ADDRSTRLEN];
	mac_str(p + 6, em);
	if (type == ETH_P_ARP && len >= 28) {
		inet_ntop(AF_INET, l3 + 14, a, sizeof(a));
		inet_ntop(AF_INET, l3 + 24, t_ip, sizeof(t_ip));
		mac_str(l3 + 8, m);
		char ed[18];
		mac_str(p, ed);
		printf("%llu arp %s %s %s %s %s\n", (unsigned long long)t, a, m,
		       l3[7] == 1 ? "request" : "reply", t_ip, ed);
	} else if (type == ETH_P_IP && len >= 20 && l3[9] == 112) {
		size_t ihl = (size_t)(l3[0] & 15) * 4;
		if (len < ihl + 8)
			return;
		inet_ntop(AF_INET, l3 + 12, a, sizeof(a));
		printf("%llu vrrp %s vrid %u prio %u ver %u mac %s\n", (unsigned long long)t, a,
		       l3[ihl + 1], l3[ihl + 2], l3[ihl] >> 4, em);
	} else if (type == ETH_P_IP && len >= 20 && l3[9] == 2) {
		inet_ntop(AF_INET, l3 + 12, a, sizeof(a));
		printf("%llu report igmp %s mac %s\n", (unsigned long long)t, a, em);
	} else if (type == ETH_P_IPV6 && len >= 48) {
		inet_ntop(AF_INET6, l3 + 8, a, sizeof(a));
		if (l3[6] == 112) {
			printf("%llu vrrp %s vrid %u prio %u ver %u mac %s\n", (unsigned long long)t,
			       a, l3[41], l3[42], l3[40] >> 4, em);
		} else if (l3[6] == 0 && len >= 48 + 8 && l3[40] == 58 &&
			   (l3[48] == 131 || l3[48] == 143)) {   /* hop-by-hop, then MLD */
			printf("%llu report mld %s mac %s\n", (unsigned long long)t, a, em);
		} else if (l3[6] == 58 && l3[40] == 133) {
			printf("%llu report rs %s mac %s\n", (unsigned long long)t, a, em);
		} else if (l3[6] == 58 && l3[40] == 136 && len >= 40 + 32) {
			inet_ntop(AF_INET6, l3 + 48, a, sizeof(a));
			mac_str(l3 + 40 + 26, m);
			printf("%llu na %s %s\n", (unsigned long long)t, a, m);
		}
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: netwatch IFNAME SECONDS\n");
		return 2;
	}
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = (int)if_nametoindex(argv[1]) };
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror(argv[1]);
		return 1;
	}
	uint64_t end = now_ns() + (uint64_t)(atof(argv[2]) * 1e9);
	uint8_t buf[2048];
	printf("%llu start\n", (unsigned long long)now_ns());
	fflush(stdout);
	while (now_ns() < end) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int left = (int)((end - now_ns()) / 1000000) + 1;
		if (poll(&pfd, 1, left) <= 0)
			continue;
		ssize_t r = recv(fd, buf, sizeof(buf), 0);
		if (r > 0)
			frame(buf, (size_t)r);
	}
	return 0;
}
