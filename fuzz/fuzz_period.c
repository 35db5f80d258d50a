/*
 * libFuzzer target for period_parse(): whatever it accepts must be a valid
 * period that prints both ways and parses back to itself.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/period.h"

/* Parses the n bytes at buf (as printed) and aborts unless it gives p. */
static void expect_parses_to(const char *buf, int n, const struct period *p)
{
	struct period q;

	if (period_parse(buf, (size_t)n, &q) != CS_OK || !period_eq(p, &q))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int max_num[] = {
	    [PERIOD_MONTH] = 12,
	    [PERIOD_QUARTER] = 4,
	    [PERIOD_YEAR] = 0,
	    [PERIOD_YTD] = 12,
	};
	struct period p;
	char buf[64];
	int n;

	if (period_parse((const char *)data, size, &p) != CS_OK)
		return 0;
	if (p.year < PERIOD_MIN_YEAR || p.year > PERIOD_MAX_YEAR ||
	    p.kind < PERIOD_MONTH || p.kind > PERIOD_YTD ||
	    p.num < (p.kind != PERIOD_YEAR) || p.num > max_num[p.kind])
		abort();

	n = period_format_zh(&p, buf, sizeof buf);
	if (n <= 0 || (size_t)n >= sizeof buf)
		abort();
	expect_parses_to(buf, n, &p);

	n = period_format(&p, buf, sizeof buf);
	if (n <= 0 || (size_t)n >= sizeof buf)
		abort();
	expect_parses_to(buf, n, &p);
	return 0;
}
