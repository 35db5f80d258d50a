/*
 * Unit tests of src/core/workday.c and the holidays.csv checks of
 * src/domain/holiday.c: days and weekdays, 调休 weekends that work,
 * holidays on weekdays that rest, deadlines across 春节 2026 and 国庆
 * 2025, requests received on a rest day, year boundaries, the working
 * days between two dates and the deadline in clock hours.  The table is
 * the State Council's, as data/demo/holidays.csv holds it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/workday.h"
#include "domain/holiday.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int D(const char *z)
{
	int day = 0;
	assert_int_equal(workday_day_parse(z, strlen(z), &day), CS_OK);
	return day;
}

/* The breaks (first, last day) and the adjusted working days of the
 * notices for 2025 and 2026. */
static const struct {
	const char *first, *last;
} breaks[] = {
	{"2025-01-01", "2025-01-01"}, {"2025-01-28", "2025-02-04"},
	{"2025-04-04", "2025-04-06"}, {"2025-05-01", "2025-05-05"},
	{"2025-05-31", "2025-06-02"}, {"2025-10-01", "2025-10-08"},
	{"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"},
	{"2026-04-04", "2026-04-06"}, {"2026-05-01", "2026-05-05"},
	{"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"},
	{"2026-10-01", "2026-10-07"},
};
static const char *const workdays[] = {
	"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
	"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
	"2026-10-10",
};

static int setup(void **state)
{
	static struct workday_calendar c;
	workday_init(&c);
	for (size_t k = 0; k < NELEM(breaks); k++)
		for (int d = D(breaks[k].first); d <= D(breaks[k].last); d++)
			assert_int_equal(workday_add(&c, d, WORKDAY_HOLIDAY),
					 CS_OK);
	for (size_t k = 0; k < NELEM(workdays); k++)
		assert_int_equal(workday_add(&c, D(workdays[k]),
					     WORKDAY_WORKDAY),
				 CS_OK);
	*state = &c;
	return 0;
}

static int teardown(void **state)
{
	workday_release(*state);
	return 0;
}

static void test_days(void **state)
{
	(void)state;
	char buf[16];
	int day = 7, y, m, d;
	assert_int_equal(D("1970-01-01"), 0);
	assert_int_equal(workday_weekday(0), 4); /* a Thursday */
	assert_int_equal(workday_weekday(D("2026-02-14")), 6);
	assert_int_equal(workday_weekday(D("1969-12-28")), 7);
	assert_int_equal(D("2024-03-01") - D("2024-02-28"), 2); /* leap */
	assert_int_equal(D("2100-03-01") - D("2100-02-28"), 1); /* not */
	assert_int_equal(D("2000-03-01") - D("2000-02-28"), 2);
	workday_civil(D("2026-12-31"), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20261231);
	workday_day_format(D("1900-01-01"), buf, sizeof buf);
	assert_string_equal(buf, "1900-01-01");
	static const char *const bad[] = {
		"2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
		"26-01-01",   "2026/01/01", "2026-1-1",   "1899-12-31",
		"",	      "2026-01-01x",
	};
	for (size_t k = 0; k < NELEM(bad); k++) {
		assert_int_equal(workday_day_parse(bad[k], strlen(bad[k]),
						   &day),
				 CS_EINVAL);
		assert_int_equal(day, 7); /* untouched */
	}
	/* Moments are Shanghai's dates: 00:30 there is 16:30 UTC the day
	 * before. */
	assert_int_equal(workday_start_of(0), -8 * 3600);
	assert_int_equal(workday_day_of(-8 * 3600), 0);
	assert_int_equal(workday_day_of(-8 * 3600 - 1), -1);
	time_t t = workday_start_of(D("2026-02-13")) + 30 * 60;
	assert_int_equal(workday_day_of(t), D("2026-02-13"));
}

static void test_is_working(void **state)
{
	const struct workday_calendar *c = *state;
	static const struct {
		const char *day;
		int working;
	} cases[] = {
		{"2026-02-14", 1}, /* Saturday, 调休上班 */
		{"2026-02-28", 1}, /* Saturday, 调休上班 */
		{"2026-01-04", 1}, /* Sunday, 调休上班 */
		{"2025-09-28", 1}, /* Sunday, 调休上班 */
		{"2026-02-16", 0}, /* Monday, 春节 */
		{"2026-01-01", 0}, /* Thursday, 元旦 */
		{"2025-10-08", 0}, /* Wednesday, 国庆 */
		{"2026-02-21", 0}, /* Saturday in 春节 */
		{"2026-03-07", 0}, /* an ordinary Saturday */
		{"2026-03-09", 1}, /* an ordinary Monday */
	};
	for (size_t k = 0; k < NELEM(cases); k++)
		assert_int_equal(workday_is_working(c, D(cases[k].day)),
				 cases[k].working);
	assert_int_equal(workday_kind_of(c, D("2026-02-14")), WORKDAY_WORKDAY);
	assert_int_equal(workday_kind_of(c, D("2026-03-09")), 0);
}

static void test_after(void **state)
{
	const struct workday_calendar *c = *state;
	static const struct {
		const char *from;
		int n;
		const char *due;
	} cases[] = {
		/* 春节 2026: the Saturday before works, then nine days. */
		{"2026-02-13", 1, "2026-02-14"},
		{"2026-02-13", 2, "2026-02-24"},
		{"2026-02-13", 5, "2026-02-27"},
		{"2026-02-13", 6, "2026-02-28"},
		{"2026-02-13", 7, "2026-03-02"},
		/* Received on a rest day: counting starts on the next
		 * working day, as for the Friday before. */
		{"2026-02-15", 1, "2026-02-24"},
		{"2026-02-21", 1, "2026-02-24"},
		{"2026-03-06", 1, "2026-03-09"},
		{"2026-03-07", 1, "2026-03-09"},
		/* Zero days: the same working day, or the next one. */
		{"2026-02-13", 0, "2026-02-13"},
		{"2026-02-14", 0, "2026-02-14"},
		{"2026-02-15", 0, "2026-02-24"},
		/* 国庆 and 中秋 2025, eight days, two Sundays' work. */
		{"2025-09-26", 1, "2025-09-28"},
		{"2025-09-30", 1, "2025-10-09"},
		{"2025-09-30", 3, "2025-10-11"},
		{"2025-09-30", 4, "2025-10-13"},
		{"2025-09-25", 10, "2025-10-15"},
		/* Year boundaries. */
		{"2025-12-31", 1, "2026-01-04"},
		{"2025-12-31", 2, "2026-01-05"},
		{"2024-12-31", 1, "2025-01-02"},
	};
	for (size_t k = 0; k < NELEM(cases); k++) {
		char got[16];
		workday_day_format(workday_after(c, D(cases[k].from),
						 cases[k].n),
				   got, sizeof got);
		if (strcmp(got, cases[k].due))
			fail_msg("%s + %d working days: %s, not %s",
				 cases[k].from, cases[k].n, got, cases[k].due);
	}
}

static void test_deadline(void **state)
{
	const struct workday_calendar *c = *state;
	/* 23:30 on Friday 13 February 2026 in Shanghai, 5 working days:
	 * due at the end of Friday 27 February, 00:00 on the 28th there. */
	time_t t = workday_start_of(D("2026-02-13")) + 23 * 3600 + 30 * 60;
	assert_int_equal(workday_deadline(c, t, 5),
			 workday_start_of(D("2026-02-28")));
	/* The same in UTC seconds: 2026-02-27T16:00:00Z. */
	assert_int_equal(workday_deadline(c, t, 5), 1772208000);
}

static void test_count(void **state)
{
	const struct workday_calendar *c = *state;
	assert_int_equal(workday_count(c, D("2026-02-13"), D("2026-02-27")), 5);
	assert_int_equal(workday_count(c, D("2026-02-27"), D("2026-02-13")),
			 -5);
	assert_int_equal(workday_count(c, D("2026-02-13"), D("2026-02-13")), 0);
	assert_int_equal(workday_count(c, D("2025-09-30"), D("2025-10-08")), 0);
	/* A whole year: 2026 has 365 days, 104 weekend days, 6 of them
	 * worked, and 33 holidays of which 14 fall on a weekend. */
	assert_int_equal(workday_count(c, D("2025-12-31"), D("2026-12-31")),
			 365 - 104 + 6 - (33 - 14));
	/* workday_count undoes workday_after, from any day. */
	for (int from = D("2025-09-20"); from < D("2026-03-10"); from += 3)
		for (int n = 1; n <= 25; n += 4)
			assert_int_equal(
			    workday_count(c, from, workday_after(c, from, n)),
			    n);
}

static void test_hours(void **state)
{
	(void)state;
	/* Heating: 24 hours on the clock, 春节 or not. */
	time_t t = workday_start_of(D("2026-02-14")) + 18 * 3600;
	assert_int_equal(workday_deadline_hours(t, 24),
			 workday_start_of(D("2026-02-15")) + 18 * 3600);
	assert_int_equal(workday_deadline_hours(t, 0), t);
}

static void test_table(void **state)
{
	struct workday_calendar *c = *state;
	assert_int_equal(workday_add(c, D("2026-02-14"), WORKDAY_HOLIDAY),
			 CS_EEXIST);
	assert_int_equal(workday_add(c, D("2030-01-01"), 3), CS_EINVAL);
	assert_int_equal(workday_kind_of(c, D("2026-02-14")), WORKDAY_WORKDAY);
	assert_true(workday_covers(c, D("2026-06-01")));
	assert_false(workday_covers(c, D("2027-03-01")));
	assert_int_equal(workday_kind_parse("holiday", 7), WORKDAY_HOLIDAY);
	assert_int_equal(workday_kind_parse("workday", 7), WORKDAY_WORKDAY);
	assert_int_equal(workday_kind_parse("rest", 4), 0);
}

/* holidays.csv: the checks that refuse a file, each naming the line and
 * the column. */
static void test_csv(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int rc;
		const char *msg; /* the start of the message */
	} cases[] = {
		{"date,kind,name,source\n2026-02-14,workday,春节,通知\n"
		 "2026-02-15,holiday,春节,通知\n",
		 CS_OK, NULL},
		{"日期,类型,名称\n2026-02-14,workday,春节\n", CS_OK, NULL},
		{"date,kind,name\n2026-02-14,workday,春节\n"
		 "2026-03-04,workday,春节\n",
		 CS_EINVAL, "t.csv:3: column \"kind\": workday on 2026-03-04, "
			    "a Wednesday"},
		{"date,kind,name\n2026-02-30,holiday,春节\n", CS_EINVAL,
		 "t.csv:2: column \"date\": \"2026-02-30\" is not a date that "
		 "exists"},
		{"date,kind,name\n2026-02-16,rest,春节\n", CS_EINVAL,
		 "t.csv:2: column \"kind\": \"rest\" is not holiday or "
		 "workday"},
		{"date,kind,name\n2026-02-16,holiday,春节\n"
		 "2026-02-16,holiday,春节\n",
		 CS_EINVAL, "t.csv:3: column \"date\": 2026-02-16 is given "
			    "twice"},
		{"date,kind,name\n2026-02-16,holiday,\n", CS_EINVAL,
		 "t.csv:2: column \"name\": is empty"},
		{"date,kind\n2026-02-16,holiday\n", CS_EINVAL,
		 "t.csv:1: column \"name\" is missing"},
		{"date,kind,name,day\n", CS_EINVAL,
		 "t.csv:1:4: unknown column \"day\""},
	};
	for (size_t k = 0; k < NELEM(cases); k++) {
		long rows = -1;
		int rc = holiday_csv_check("t.csv", cases[k].text,
					   strlen(cases[k].text), &rows);
		if (rc != cases[k].rc)
			fail_msg("case %zu: rc %d, not %d (%s)", k, rc,
				 cases[k].rc, cs_errmsg());
		if (cases[k].msg &&
		    strncmp(cs_errmsg(), cases[k].msg, strlen(cases[k].msg)))
			fail_msg("case %zu: \"%s\"", k, cs_errmsg());
	}
	/* A holiday at a weekend is accepted: the notices give breaks
	 * whole. */
	static const char weekend[] = "date,kind,name\n2026-02-21,holiday,春节\n";
	long rows = 0;
	assert_int_equal(holiday_csv_check("t.csv", weekend,
					   sizeof weekend - 1, &rows),
			 CS_OK);
	assert_int_equal(rows, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_days),
	    cmocka_unit_test(test_is_working),
	    cmocka_unit_test(test_after),
	    cmocka_unit_test(test_deadline),
	    cmocka_unit_test(test_count),
	    cmocka_unit_test(test_hours),
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_csv),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
