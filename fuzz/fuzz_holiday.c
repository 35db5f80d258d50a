/*
 * libFuzzer target for the holidays.csv reader (domain/holiday.c): the
 * input is checked as a file, which touches no store.  Any crash, leak or
 * sanitizer report is a finding, as is an error other than bad input; and
 * every date a file is accepted with must parse, print back the same and
 * land on a weekday that agrees with the calendar's arithmetic.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/workday.h"
#include "domain/holiday.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long rows = 0;
	int rc = holiday_csv_check("fuzz.csv", (const char *)data, size, &rows);
	if (rc != CS_OK && rc != CS_EINVAL && rc != CS_ETOOBIG)
		abort();
	if (rc == CS_OK && rows < 0)
		abort();
	/* The day arithmetic under the parser: a date read back prints as
	 * it was written. */
	if (size >= 10) {
		int day;
		char buf[16];
		if (workday_day_parse((const char *)data, 10, &day) == CS_OK) {
			workday_day_format(day, buf, sizeof buf);
			if (memcmp(buf, data, 10) || workday_weekday(day) < 1 ||
			    workday_weekday(day) > 7)
				abort();
		}
	}
	return 0;
}
