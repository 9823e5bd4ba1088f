/* conf.h - load, compare, dump and free a configuration model.
 *
 * conf_load_*() parse keepalived-syntax text into a struct config. Every
 * problem found goes into the caller's diags (all of them, not the first
 * only); the model is returned only when there is no error, so a caller
 * such as a reload can keep running on its old model otherwise.
 */
#ifndef VIGIL_CONF_H
#define VIGIL_CONF_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "model.h"

struct conf_opts {
	const char *config_id;   /* selects '@id' lines; NULL: none match */
	bool check_scripts;      /* warn about scripts that cannot run (scripts.h) */
};

struct config *conf_load_file(const char *path, const struct conf_opts *opts,
			      struct diags *d);
/* name is used in messages; relative includes resolve against base_dir. */
struct config *conf_load_buffer(const char *name, const char *base_dir,
				const char *buf, size_t len,
				const struct conf_opts *opts, struct diags *d);
/* For worker processes, whose supervisor has already reported every
 * message of this file: the model, or NULL when it does not load. */
struct config *conf_load_quiet(const char *path, const char *config_id);

/* Ownership of a model, the one rule for every process.
 *
 * A model is read-only once loaded and counts its references:
 * conf_load_*() return it holding one, the caller's. Whatever keeps a
 * pointer into a model (a block, a string, an address list) for longer
 * than the call that handed it the model holds a reference of its own,
 * taken with conf_ref() where the pointer is stored and dropped with
 * conf_unref() where the holder goes away. A reload therefore never frees
 * what a running object still reads: an instance kept across SIGHUP, a
 * notifier draining the STOP scripts of the instances it removed, a
 * tracked script whose last run is still being reaped each keep the old
 * model alive, and it goes with the last of them. Holders in vigil:
 * the workers (their current model), the VRRP engine, each vrrp_rt,
 * each tracked object, each notifier, the health engine and each
 * running check. Single-threaded: each process has one loop. */
struct config *conf_ref(const struct config *cfg);
/* Drop one reference (cfg may be NULL); the last one frees the model. */
void conf_unref(const struct config *cfg);
/* The name of the file a srcpos points into ("(config)" when unknown). */
const char *conf_file_name(const struct config *cfg, uint32_t file);

/* Canonical keepalived syntax: a keyword is written when it differs from
 * keepalived's default, so parsing the output gives an equal model. */
void conf_dump(FILE *out, const struct config *cfg);
bool conf_equal(const struct config *a, const struct config *b);

#endif
