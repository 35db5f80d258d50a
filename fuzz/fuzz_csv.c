/*
 * libFuzzer target for the CSV reader: decodes arbitrary bytes with
 * CSV_ENC_AUTO and reads every record, checking what csv.h promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Nonzero when the n bytes at p lie inside the cap bytes at base. */
static int inside(const char *p, size_t n, const char *base, size_t cap)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)base;

	return base && a >= b && n <= cap && a - b <= cap - n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader r;
	struct csv_field *f;
	char msg[1024];
	long line = 0;
	int n, i;

	if (csv_open_buf(&r, "fuzz", (const char *)data, size, CSV_ENC_AUTO))
		return 0;
	while ((n = csv_next(&r, &f)) > 0) {
		if (n > CSV_MAX_FIELDS || r.line <= line ||
		    r.next_line <= r.line)
			abort();
		line = r.line;
		for (i = 0; i < n; i++)
			if (!inside(f[i].p, f[i].n, r.data, r.len) &&
			    !inside(f[i].p, f[i].n, r.scratch, r.scratch_cap))
				abort();
	}
	if (n < 0) {
		strcpy(msg, cs_errmsg());
		if (n != -CS_EINVAL || csv_next(&r, &f) != n ||
		    strcmp(msg, cs_errmsg()))
			abort();
	}
	csv_release(&r);
	csv_release(&r);
	return 0;
}
