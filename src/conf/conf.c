/* conf.c - public entry points of the configuration parser; see conf.h. */
#include "conf.h"

#include <stdlib.h>

#include "kw.h"
#include "lex.h"
#include "scripts.h"
#include "tab.h"

static struct config *parse_all(struct lexer *lx, const struct conf_opts *opts,
				 struct diags *d)
{
	struct config *cfg = xcalloc(1, sizeof(*cfg));
	cfg->refs = 1;
	arena_init(&cfg->arena);
	block_init(&desc_root, cfg);
	kw_registry_init(&desc_root);

	struct pctx p = { .d = d, .a = &cfg->arena, .cfg = cfg, .lx = lx };
	parse_block_body(&p, &desc_root, cfg, (struct srcpos){ 0, 0, 0 }, true);
	/* References are checked only now, so a name may be used before the
	 * block that defines it. */
	global_resolve(&p, cfg);
	vrrp_resolve(&p, cfg);
	lvs_resolve(&p, cfg);
	check_resolve(&p, cfg);
	lex_close(lx);
	if (d->nerrors) {
		conf_unref(cfg);
		return NULL;
	}
	cfg->files = arena_zalloc(&cfg->arena, (d->nfiles + 1) * sizeof(*cfg->files));
	for (uint32_t i = 0; i < d->nfiles; i++)
		cfg->files[i] = arena_strdup(&cfg->arena, d->files[i]);
	cfg->nfiles = d->nfiles;
	if (opts && opts->check_scripts)
		conf_check_scripts(cfg, d);
	return cfg;
}

const char *conf_file_name(const struct config *cfg, uint32_t file)
{
	return file < cfg->nfiles ? cfg->files[file] : "(config)";
}

struct config *conf_load_file(const char *path, const struct conf_opts *opts,
			      struct diags *d)
{
	struct lex_opts lo = { .config_id = opts ? opts->config_id : NULL };
	struct lexer *lx = lex_open_file(path, &lo, d);
	return lx ? parse_all(lx, opts, d) : NULL;
}

struct config *conf_load_buffer(const char *name, const char *base_dir,
				const char *buf, size_t len,
				const struct conf_opts *opts, struct diags *d)
{
	struct lex_opts lo = { .config_id = opts ? opts->config_id : NULL };
	return parse_all(lex_open_buffer(name, base_dir, buf, len, &lo, d), opts, d);
}

struct config *conf_load_quiet(const char *path, const char *config_id)
{
	struct conf_opts co = { config_id, false };
	struct diags d;
	diags_init(&d);
	struct config *cfg = conf_load_file(path, &co, &d);
	diags_free(&d);
	return cfg;
}

/* The count is not part of the model's content (equality and the dump
 * ignore it), so a holder of a const model may still count itself in. */
struct config *conf_ref(const struct config *cfg)
{
	struct config *c = (struct config *)cfg;
	c->refs++;
	return c;
}

void conf_unref(const struct config *cfg)
{
	struct config *c = (struct config *)cfg;
	if (!c || --c->refs > 0)
		return;
	arena_free(&c->arena);
	free(c);
}

void conf_dump(FILE *f, const struct config *cfg)
{
	struct out o = { f, 0 };
	fputs("# canonical form written by vigild --dump", f);
	dump_block_body(&o, &desc_root, cfg);
	fputc('\n', f);
}

bool conf_equal(const struct config *a, const struct config *b)
{
	return block_eq(&desc_root, a, b);
}
