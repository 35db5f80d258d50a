/*
 * libFuzzer target for the requests.csv checker (domain/request_csv.c): the
 * input is checked as a file, which touches no store.  Any crash, leak or
 * sanitizer report is a finding, as is an error other than bad input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/err.h"
#include "domain/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long rows = -1;
	int rc = request_csv_check("fuzz.csv", (const char *)data, size, &rows);
	if (rc != CS_OK && rc != CS_EINVAL && rc != CS_ETOOBIG)
		abort();
	if (rc == CS_OK && rows < 0)
		abort();
	return 0;
}
