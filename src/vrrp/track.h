/* track.h - tracked objects that move an instance's priority or put it
 * in Fault: interfaces (link state from rtnetlink), vrrp_scripts (run
 * periodically through lib/script, with rise/fall), track_files (an
 * integer read whenever the file changes), and vrrp_track_processes (a
 * count of matching processes against quorum..quorum_max: procwatch.h).
 *
 * Each object exists once, however many instances track it; an instance
 * holds links (object, weight, reverse) and recomputes its priority
 * delta and fault count whenever one of its objects changes.
 */
#ifndef VIGIL_VRRP_TRACK_H
#define VIGIL_VRRP_TRACK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "conf.h"
#include "script.h"

struct vrrp_engine;

enum tracked_kind { TRACKED_IFACE, TRACKED_SCRIPT, TRACKED_FILE, TRACKED_PROCESS };

struct tracked {
	enum tracked_kind kind;
	const struct config *model;  /* a reference: name, script, file point into it */
	const char *name;
	struct vrrp_engine *eng;
	bool up;                  /* interfaces, scripts: current verdict */
	long long value;          /* files: the number in the file */
	int weight;               /* the object's own default weight */
	bool reverse;
	unsigned refs;            /* while stopping: handles and jobs still out */
	bool stopping;

	/* interfaces */
	int ifindex;

	/* scripts */
	const struct vrrp_script *script;
	struct script_job job;
	uv_timer_t timer;
	int streak;               /* >0 successes, <0 failures in a row */
	uid_t uid;
	gid_t gid;
	bool disabled;            /* refused by enable_script_security */

	/* files */
	const struct track_file *file;
	uv_fs_event_t fs;
	char *dir;                /* watched folder (the file may be replaced) */
	const char *base;

	/* processes */
	const struct track_process *proc;
	size_t count;             /* matching processes now */
	uv_timer_t delay;         /* fork_delay / terminate_delay before a change */
};

/* One tracking link of an instance. */
struct track_link {
	struct tracked *obj;
	int weight;
	bool reverse;
};

/* The objects of cfg that some instance tracks, started on the engine's
 * loop; each change calls vrrp_engine_tracking_changed(). */
int track_start(struct vrrp_engine *e);
void track_stop(struct vrrp_engine *e);
/* The engine moved to a new model (e->cfg): objects are rebuilt from it,
 * and a script's verdict carries over by name, so a reload does not make
 * a failing script look healthy for one interval. An old object whose
 * script is still being reaped keeps its own model alive until then. */
void track_restart(struct vrrp_engine *e);
/* The object for a reference, or NULL when the name is unknown. */
struct tracked *track_find(struct vrrp_engine *e, enum tracked_kind kind, const char *name);
/* A link went up or down (from the netlink monitor). */
void track_link_event(struct vrrp_engine *e, int ifindex, const char *ifname, bool up);
/* The effect of links[0..n) on a priority: the sum of weights of objects
 * in their weighted state, and how many objects demand Fault. Pure. */
void track_evaluate(const struct track_link *links, size_t n, int *delta, unsigned *faults);

#endif
