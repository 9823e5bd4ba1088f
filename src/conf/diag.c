/* diag.c - configuration diagnostics; see diag.h. */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define DIAG_DEFAULT_LIMIT 1000

void diags_init(struct diags *d)
{
	memset(d, 0, sizeof(*d));
	d->limit = DIAG_DEFAULT_LIMIT;
}

void diags_free(struct diags *d)
{
	for (uint32_t i = 0; i < d->nfiles; i++)
		free(d->files[i]);
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i].text);
	free(d->files);
	free(d->msgs);
	memset(d, 0, sizeof(*d));
}

uint32_t diags_file(struct diags *d, const char *name)
{
	for (uint32_t i = 0; i < d->nfiles; i++)
		if (strcmp(d->files[i], name) == 0)
			return i;
	d->files = xrealloc(d->files, (d->nfiles + 1) * sizeof(*d->files));
	d->files[d->nfiles] = xstrdup(name);
	return d->nfiles++;
}

const char *diags_file_name(const struct diags *d, uint32_t file)
{
	return file < d->nfiles ? d->files[file] : "(config)";
}

void diag_vadd(struct diags *d, enum diag_sev sev, struct srcpos pos,
	       const char *fmt, va_list ap)
{
	char buf[1024];

	if (sev == DIAG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
	if (d->kept[sev] >= d->limit) {
		d->dropped++;
		return;
	}
	d->kept[sev]++;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* Messages quote the configuration, which may be binary garbage:
	 * control bytes would otherwise reach the operator's terminal. */
	for (char *c = buf; *c; c++)
		if ((unsigned char)*c < ' ' || *c == 127)
			*c = '?';
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->msgs = xrealloc(d->msgs, d->cap * sizeof(*d->msgs));
	}
	d->msgs[d->n].sev = sev;
	d->msgs[d->n].pos = pos;
	d->msgs[d->n].text = xstrdup(buf);
	d->n++;
}

void diag_error(struct diags *d, struct srcpos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, DIAG_ERROR, pos, fmt, ap);
	va_end(ap);
}

void diag_warn(struct diags *d, struct srcpos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, DIAG_WARNING, pos, fmt, ap);
	va_end(ap);
}

char *diags_where(const struct diags *d, struct srcpos pos, char *buf, size_t len)
{
	if (pos.line)
		snprintf(buf, len, "%s:%u:%u: ", diags_file_name(d, pos.file),
			 pos.line, pos.col);
	else
		snprintf(buf, len, "%s: ", diags_file_name(d, pos.file));
	return buf;
}

void diags_print(const struct diags *d, FILE *out)
{
	char where[512];

	for (size_t i = 0; i < d->n; i++)
		fprintf(out, "%s%s: %s\n",
			diags_where(d, d->msgs[i].pos, where, sizeof(where)),
			d->msgs[i].sev == DIAG_ERROR ? "error" : "warning",
			d->msgs[i].text);
	if (d->dropped)
		fprintf(out, "(%zu more messages not shown)\n", d->dropped);
}
