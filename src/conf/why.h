/* why.h - reasons shared by several keyword rows that have no effect in
 * vigil (NO_EFFECT(why) in the tab_*.c tables, kw.h enum kw_effect). Each
 * says why, and what to use instead where there is something; the warning
 * and man/vigil.conf.5 quote them. */
#ifndef VIGIL_CONF_WHY_H
#define VIGIL_CONF_WHY_H

#define WHY_PROCESS_NAMES \
	"vigil does not rename its processes"
#define WHY_SCHEDULING \
	"vigil does not change its own scheduling, memory locking or CPU affinity; set them in the service manager (systemd Nice=, CPUSchedulingPolicy=, CPUAffinity=, LimitMEMLOCK=)"
#define WHY_BUFFERS \
	"vigil sizes its netlink and socket buffers itself"
#define WHY_SNMP \
	"vigil has no SNMP agent; read its state with 'vigild --status' (JSON) or act on changes with notify scripts"
#define WHY_DBUS \
	"vigil has no D-Bus interface; use notify scripts or notify_fifo"
#define WHY_FIREWALL \
	"vigil filters with nftables only (accept mode: table inet vigil); keepalived's iptables chains, ipsets and nftables marks for IPVS are not made"
#define WHY_NFT_IFINDEX \
	"vigil's accept-mode sets hold addresses only, so a link-local VIP is filtered on every interface"
#define WHY_VMAC \
	"a VIP goes on the instance's VMAC when the instance has use_vmac; the address option makes no interface of its own"
#define WHY_BFD \
	"vigil has no BFD; track the neighbour with a vrrp_script (or a MISC_CHECK) instead"
#define WHY_INSIDE \
	"part of a block that has no effect in vigil"
#define WHY_TRACK_GROUP \
	"vigil has no track groups; put track_interface/track_script in each vrrp_instance instead"
#define WHY_NO_TRACK \
	"vigil does not watch for its addresses, routes or rules being removed by someone else, so there is nothing to turn off"
#define WHY_TRACK_GROUP_ITEM \
	"vigil's addresses, routes and rules are not tied to track groups"
#define WHY_LINKBEAT \
	"vigil learns link changes from netlink events only"
#define WHY_RELOAD \
	"vigil has no scheduled reloads; send SIGHUP to reload"
#define WHY_INSTANCE \
	"vigil names only its pid and status files after the instance; it keeps no other data files"
#define WHY_SKIP_ADV \
	"vigil checks the address list of every advert, as keepalived does without this keyword (an advert with other addresses is dropped as a VRID collision)"
#define WHY_EXTRA_IF \
	"vigil sends no gratuitous ARP on other interfaces"
#define WHY_HIGHER_PRIO \
	"vigil does not answer a higher-priority advert with one of its own"
#define WHY_SYNC_TRACKING \
	"vigil treats tracking in a sync group as keepalived does without this keyword"

#endif
