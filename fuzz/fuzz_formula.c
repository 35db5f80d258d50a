/*
 * libFuzzer target for formula_parse() and formula_eval(): any input either
 * fails with a column-numbered message or compiles to a program that runs
 * on its fixed stack and frees cleanly.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "analytics/formula.h"

/* A figure made up from the code and fn: sometimes NaN, sometimes zero. */
static double lookup(void *ctx, const char *code, enum formula_fn fn)
{
	size_t len = strlen(code);

	(void)ctx;
	if (len == 0 || len > 64 || fn < FORMULA_AT ||
	    fn > FORMULA_YTD_PREV_YEAR)
		abort();
	if ((len + (size_t)fn) % 7 == 0)
		return NAN;
	return (double)(len % 5) - (double)fn * 0.5;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct formula *f;
	int i;

	if (formula_parse((const char *)data, size, &f) != CS_OK) {
		if (strncmp(cs_errmsg(), "formula: column ", 16))
			abort();
		return 0;
	}
	for (i = 0; i < formula_nrefs(f); i++)
		if (!formula_ref(f, i)[0])
			abort();
	(void)formula_eval(f, lookup, NULL);
	formula_free(f);
	return 0;
}
