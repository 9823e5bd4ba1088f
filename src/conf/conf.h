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
void conf_free(struct config *cfg);
/* The name of the file a srcpos points into ("(config)" when unknown). */
const char *conf_file_name(const struct config *cfg, uint32_t file);

/* Canonical keepalived syntax: a keyword is written when it differs from
 * keepalived's default, so parsing the output gives an equal model. */
void conf_dump(FILE *out, const struct config *cfg);
bool conf_equal(const struct config *a, const struct config *b);

#endif
