/* fuzz_conf.c - libFuzzer target for the lexer, the keyword engine and
 * every table: any bytes must give diagnostics or a model, never a crash,
 * a leak or undefined behaviour. A model that loads must also survive
 * dump -> parse -> equal, which exercises the dumper on odd values.
 *
 * Includes resolve against a folder that does not exist, so the fuzzer
 * cannot wander the file system. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d;
	struct conf_opts o = { "fuzz", false };

	diags_init(&d);
	struct config *cfg = conf_load_buffer("fuzz.conf", "/nonexistent-vigil-fuzz",
					      (const char *)data, size, &o, &d);
	if (cfg) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		conf_dump(f, cfg);
		fclose(f);
		struct diags d2;
		diags_init(&d2);
		struct config *again = conf_load_buffer("dump.conf", "/nonexistent-vigil-fuzz",
							text, len, &o, &d2);
		if (!again || !conf_equal(cfg, again)) {
			fprintf(stderr, "round trip failed; dump:\n%s\n", text);
			diags_print(&d2, stderr);
			abort();
		}
		conf_unref(again);
		diags_free(&d2);
		free(text);
	}
	conf_unref(cfg);
	diags_free(&d);
	return 0;
}
