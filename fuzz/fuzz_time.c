/*
 * libFuzzer target for api_time_parse(), which reads the dates and times
 * of the requests' queries and Open311's start_date and end_date: what it
 * accepts must print in China's time (api_time_iso) and parse back to the
 * same second.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/request_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[64], out[32];
	long t, back;
	int day;
	if (size >= sizeof in)
		return 0;
	memcpy(in, data, size);
	in[size] = 0;
	if (api_time_parse(in, &t, &day))
		return 0;
	api_time_iso(t, out);
	if (strlen(out) != 25 || api_time_parse(out, &back, &day) ||
	    back != t || day)
		abort();
	return 0;
}
