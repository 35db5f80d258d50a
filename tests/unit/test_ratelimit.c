/*
 * Unit tests of the requests' HTTP helpers that need no server: the token
 * buckets of src/api/ratelimit.c (a minute's allowance, refilled over
 * time, one bucket per key and kind, no limit at 0) and the times of
 * src/api/requests.c (ISO 8601 in China's time, and every way a query may
 * write a date or a time).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "api/request_int.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void test_bucket(void **state)
{
	(void)state;
	setenv("CIVSTAT_RATE_ADDRESS", "3", 1);
	setenv("CIVSTAT_RATE_KEY", "0", 1);
	struct api_limits *l = api_limits_new(NULL);
	assert_non_null(l);
	/* a minute's allowance at once, then a wait of 20 s for one more */
	for (int k = 0; k < 3; k++)
		assert_int_equal(api_limit_take(l, API_LIMIT_ADDRESS, "1.2.3.4",
						100.0),
				 0);
	assert_int_equal(api_limit_take(l, API_LIMIT_ADDRESS, "1.2.3.4", 100.0),
			 20);
	/* another address has its own bucket */
	assert_int_equal(api_limit_take(l, API_LIMIT_ADDRESS, "5.6.7.8", 100.0),
			 0);
	/* 20 s later one more may go, and not two */
	assert_int_equal(api_limit_take(l, API_LIMIT_ADDRESS, "1.2.3.4", 120.0),
			 0);
	assert_int_not_equal(
		api_limit_take(l, API_LIMIT_ADDRESS, "1.2.3.4", 120.5), 0);
	/* 0: no limit */
	for (int k = 0; k < 1000; k++)
		assert_int_equal(api_limit_take(l, API_LIMIT_KEY, "app", 100.0),
				 0);
	api_limits_free(l);
	unsetenv("CIVSTAT_RATE_ADDRESS");
	unsetenv("CIVSTAT_RATE_KEY");
}

static void test_bucket_defaults(void **state)
{
	(void)state;
	unsetenv("CIVSTAT_RATE_ADDRESS");
	setenv("CIVSTAT_RATE_KEY", "not a number", 1);
	struct api_limits *l = api_limits_new(NULL);
	int k = 0;
	while (!api_limit_take(l, API_LIMIT_ADDRESS, "a", 0.0))
		k++;
	assert_int_equal(k, 30);
	k = 0;
	while (!api_limit_take(l, API_LIMIT_KEY, "a", 0.0))
		k++;
	assert_int_equal(k, 600); /* a bad value: the default */
	char words[64];
	api_limits_hold_words(l, words, sizeof words);
	assert_string_equal(words, "");
	api_limits_set(l, API_LIMIT_ADDRESS, 1, "代办 发票");
	api_limits_hold_words(l, words, sizeof words);
	assert_string_equal(words, "代办 发票");
	assert_int_equal(api_limit_take(l, API_LIMIT_ADDRESS, "b", 0.0), 0);
	assert_int_equal(api_limit_take(l, API_LIMIT_ADDRESS, "b", 0.0), 60);
	api_limits_free(l);
	unsetenv("CIVSTAT_RATE_KEY");
}

struct time_case {
	const char *z;
	long t; /* -1: refused */
	int day;
};

static const struct time_case times[] = {
	{"2026-03-02", 1772380800, 1}, /* midnight in China */
	{"2026-03-02T09:15:00+08:00", 1772414100, 0},
	{"2026-03-02T09:15+08:00", 1772414100, 0},
	{"2026-03-02T09:15", 1772414100, 0}, /* no offset: China's */
	{"2026-03-02 09:15:00", 1772414100, 0},
	{"2026-03-02T01:15:00Z", 1772414100, 0},
	{"2026-03-02T01:15:00.250Z", 1772414100, 0},
	{"2026-03-01T20:15:00-05:00", 1772414100, 0},
	{"2024-02-29", 1709136000, 1},
	{"2026-02-29", -1, 0},
	{"2026-13-01", -1, 0},
	{"2026-03-02T24:00", -1, 0},
	{"2026-03-02T09:15:00+8", -1, 0},
	{"2026-3-2", -1, 0},
	{"2026-03-02x", -1, 0},
	{"2999-12-31T23:59:59+08:00", 32503679999 - 8 * 3600, 0},
	{"2999-12-31T23:59:59-14:00", -1, 0}, /* 3000 in China */
	{"1970-01-01", -1, 0},		       /* before 1970 in UTC */
	{"yesterday", -1, 0},
	{"", -1, 0},
};

static void test_time_parse(void **state)
{
	(void)state;
	for (size_t k = 0; k < NELEM(times); k++) {
		long t = 0;
		int day = -1;
		int rc = api_time_parse(times[k].z, &t, &day);
		if (times[k].t < 0) {
			assert_int_not_equal(rc, 0);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(t, times[k].t);
		assert_int_equal(day, times[k].day);
	}
	long t;
	assert_int_not_equal(api_time_parse(NULL, &t, NULL), 0);
}

static void test_time_iso(void **state)
{
	char buf[32];
	(void)state;
	api_time_iso(1772414100, buf);
	assert_string_equal(buf, "2026-03-02T09:15:00+08:00");
	api_time_iso(1772380799, buf); /* the last second of 3月1日 */
	assert_string_equal(buf, "2026-03-01T23:59:59+08:00");
	api_time_iso(0, buf);
	assert_string_equal(buf, "");
	json_t *j = api_time_json(0);
	assert_true(json_is_null(j));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bucket),
	    cmocka_unit_test(test_bucket_defaults),
	    cmocka_unit_test(test_time_parse),
	    cmocka_unit_test(test_time_iso),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
