/*
 * Unit tests of src/core/period.c: every accepted and a set of rejected ways
 * of writing a period, printing both ways and back, and the arithmetic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/period.h"

#define M   PERIOD_MONTH
#define Q   PERIOD_QUARTER
#define Y   PERIOD_YEAR
#define YTD PERIOD_YTD

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct parse_case {
	const char *z;
	int year;
	enum period_kind kind;
	int num;
};

static const struct parse_case good[] = {
    /* SDMX and compact */
    {"2025", 2025, Y, 0},
    {"2025-Q1", 2025, Q, 1},
    {"2025-Q3", 2025, Q, 3},
    {"2025Q4", 2025, Q, 4},
    {"2025-03", 2025, M, 3},
    {"2025-12", 2025, M, 12},
    {"2025-M03", 2025, M, 3},
    {"2025-M11", 2025, M, 11},
    {"2025-01/2025-09", 2025, YTD, 9},
    {"2025-01/2025-01", 2025, YTD, 1},
    {"202503", 2025, M, 3},
    {"202512", 2025, M, 12},
    {"1900", 1900, Y, 0},
    {"1900-01", 1900, M, 1},
    {"9999-Q4", 9999, Q, 4},
    {"999912", 9999, M, 12},
    /* Chinese */
    {"2025年", 2025, Y, 0},
    {"2025年度", 2025, Y, 0},
    {"2025年3月", 2025, M, 3},
    {"2025年03月", 2025, M, 3},
    {"2025年12月", 2025, M, 12},
    {"2025年3月份", 2025, M, 3},
    {"2025年一季度", 2025, Q, 1},
    {"2025年二季度", 2025, Q, 2},
    {"2025年三季度", 2025, Q, 3},
    {"2025年四季度", 2025, Q, 4},
    {"2025年第一季度", 2025, Q, 1},
    {"2025年第三季度", 2025, Q, 3},
    {"2025年第四季度", 2025, Q, 4},
    {"2025年3季度", 2025, Q, 3},
    {"2025年第2季度", 2025, Q, 2},
    {"2025年Q3", 2025, Q, 3},
    {"2025年1-9月", 2025, YTD, 9},
    {"2025年1—9月", 2025, YTD, 9},
    {"2025年1–9月", 2025, YTD, 9},
    {"2025年1～9月", 2025, YTD, 9},
    {"2025年1~9月", 2025, YTD, 9},
    {"2025年1月至9月", 2025, YTD, 9},
    {"2025年1至9月", 2025, YTD, 9},
    {"2025年1月-9月", 2025, YTD, 9},
    {"2025年01-09月", 2025, YTD, 9},
    {"2025年1-12月", 2025, YTD, 12},
    {"2025年1-9月份", 2025, YTD, 9},
    {"2025年1-1月", 2025, YTD, 1},
    /* blanks around */
    {"  2025-03", 2025, M, 3},
    {"2025-Q2 \t", 2025, Q, 2},
    {"\t 2025年1-9月 \r\n", 2025, YTD, 9},
    {" 2025 ", 2025, Y, 0},
};

static const char *const bad[] = {
    "",
    "   ",
    "abc",
    "2025-13",
    "2025-00",
    "2025-Q5",
    "2025-Q0",
    "2025Q",
    "2025-Q",
    "2025-M3",
    "2025-M13",
    "2025-3",
    "2025-",
    "2025M03",
    "2025年13月",
    "2025年0月",
    "2025年123月",
    "2025年3",
    "2025年3份",
    "2025年2-9月",
    "2025年1-13月",
    "2025年1-0月",
    "2025年1-9",
    "2025年9-1月",
    "2025年五季度",
    "2025年5季度",
    "2025年0季度",
    "2025年三季",
    "2025年第3月",
    "2025年第",
    "2025年第Q3",
    "2025年Q5",
    "2025年 3月",
    "20251",
    "2025123",
    "1899",
    "0999",
    "189912",
    "10000",
    "99999",
    "25-03",
    "+2025",
    "2025-03x",
    "2025-03 x",
    "2025x",
    "2025年3月x",
    "2025年1-9月底",
    "2025-02/2025-09",
    "2025-01/2024-09",
    "2025-01/2025-13",
    "2025-01/",
    "2025-Q3-01",
    "２０２５年3月",
};

static void test_parse_good(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(good); i++) {
		struct period p = {0, 0, -1};

		if (period_parse(good[i].z, strlen(good[i].z), &p) != CS_OK)
			fail_msg("\"%s\" rejected: %s", good[i].z, cs_errmsg());
		if (p.year != good[i].year || p.kind != good[i].kind ||
		    p.num != good[i].num)
			fail_msg("\"%s\" -> %d/%d/%d", good[i].z, p.year,
				 (int)p.kind, p.num);
	}
}

static void test_parse_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		struct period p = {1234, PERIOD_MONTH, 7};

		cs_errclear();
		if (period_parse(bad[i], strlen(bad[i]), &p) != CS_EINVAL)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_int_equal(p.year, 1234); /* *out untouched */
		assert_int_equal(p.kind, PERIOD_MONTH);
		assert_int_equal(p.num, 7);
		assert_non_null(strstr(cs_errmsg(), "bad period \""));
	}
}

static void test_parse_message(void **state)
{
	char long_text[200];
	char want[200];
	struct period p;

	(void)state;
	assert_int_equal(period_parse("  abc ", 6, &p), CS_EINVAL);
	assert_string_equal(cs_errmsg(), "bad period \"abc\"");
	assert_int_equal(period_parse("", 0, &p), CS_EINVAL);
	assert_string_equal(cs_errmsg(), "bad period \"\"");

	/* Long ASCII text is quoted to 64 bytes. */
	memset(long_text, '7', 100);
	assert_int_equal(period_parse(long_text, 100, &p), CS_EINVAL);
	snprintf(want, sizeof want, "bad period \"%.64s\"", long_text);
	assert_string_equal(cs_errmsg(), want);

	/* 22 x 年 (66 bytes) is cut to 21 x 年, not inside a character. */
	long_text[0] = 0;
	for (int i = 0; i < 22; i++)
		strcat(long_text, "年");
	assert_int_equal(period_parse(long_text, strlen(long_text), &p),
			 CS_EINVAL);
	snprintf(want, sizeof want, "bad period \"%.63s\"", long_text);
	assert_string_equal(cs_errmsg(), want);
}

/* Only n bytes are read: the text needs no NUL and may go on after them. */
static void test_parse_length(void **state)
{
	static const char text[] = "2025-03x";
	struct period p;

	(void)state;
	assert_int_equal(period_parse(text, 7, &p), CS_OK);
	assert_true(p.year == 2025 && p.kind == M && p.num == 3);
	assert_int_equal(period_parse(text, 4, &p), CS_OK);
	assert_true(p.year == 2025 && p.kind == Y);
	assert_int_equal(period_parse(text, 6, &p), CS_EINVAL); /* "2025-0" */
	assert_string_equal(cs_errmsg(), "bad period \"2025-0\"");
	assert_int_equal(period_parse("2025年3月", 10, &p), CS_EINVAL);
	assert_int_equal(period_parse("2025年3月", 11, &p), CS_OK);
}

struct format_case {
	struct period p;
	const char *sdmx;
	const char *zh;
};

static const struct format_case formats[] = {
    {{2025, M, 3}, "2025-03", "2025年3月"},
    {{2025, M, 12}, "2025-12", "2025年12月"},
    {{2025, Q, 1}, "2025-Q1", "2025年一季度"},
    {{2025, Q, 2}, "2025-Q2", "2025年二季度"},
    {{2025, Q, 3}, "2025-Q3", "2025年三季度"},
    {{2025, Q, 4}, "2025-Q4", "2025年四季度"},
    {{2025, Y, 0}, "2025", "2025年"},
    {{2025, YTD, 9}, "2025-01/2025-09", "2025年1-9月"},
    {{2025, YTD, 1}, "2025-01/2025-01", "2025年1-1月"},
    {{1900, M, 1}, "1900-01", "1900年1月"},
};

static void test_format(void **state)
{
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(formats); i++) {
		const struct format_case *f = &formats[i];

		assert_int_equal(period_format(&f->p, buf, sizeof buf),
				 strlen(f->sdmx));
		assert_string_equal(buf, f->sdmx);
		assert_int_equal(period_format_zh(&f->p, buf, sizeof buf),
				 strlen(f->zh));
		assert_string_equal(buf, f->zh);
	}
}

static void test_format_truncates(void **state)
{
	struct period p = {2025, M, 3};
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof buf);
	assert_int_equal(period_format(&p, buf, 5), 7);
	assert_string_equal(buf, "2025");
	assert_int_equal(period_format(&p, NULL, 0), 7);
	assert_int_equal(period_format_zh(&p, NULL, 0), strlen("2025年3月"));
}

/* parse(format(p)) == p for every kind and number, both ways of writing. */
static void test_round_trip(void **state)
{
	static const int years[] = {1900, 1999, 2025, 9999};
	static const struct {
		enum period_kind kind;
		int lo, hi;
	} kinds[] = {{M, 1, 12}, {Q, 1, 4}, {Y, 0, 0}, {YTD, 1, 12}};
	char buf[64];
	size_t i, k;

	(void)state;
	for (i = 0; i < NELEM(years); i++) {
		for (k = 0; k < NELEM(kinds); k++) {
			for (int num = kinds[k].lo; num <= kinds[k].hi; num++) {
				struct period p = {years[i], kinds[k].kind,
						   num};
				struct period q;
				int n;

				n = period_format_zh(&p, buf, sizeof buf);
				assert_int_equal(period_parse(buf, n, &q),
						 CS_OK);
				assert_true(period_eq(&p, &q));

				/* A YTD prints as the SDMX range
				 * 2025-01/2025-09, which reads back. */
				n = period_format(&p, buf, sizeof buf);
				assert_int_equal(period_parse(buf, n, &q),
						 CS_OK);
				assert_true(period_eq(&p, &q));
			}
		}
	}
}

struct month_case {
	struct period p;
	int first, last; /* month indices */
	double progress;
};

static const struct month_case months[] = {
    {{2025, M, 1}, 2025 * 12, 2025 * 12, 1 / 12.0},
    {{2025, M, 3}, 2025 * 12 + 2, 2025 * 12 + 2, 3 / 12.0},
    {{2025, M, 12}, 2025 * 12 + 11, 2025 * 12 + 11, 1.0},
    {{2025, Q, 1}, 2025 * 12, 2025 * 12 + 2, 0.25},
    {{2025, Q, 3}, 2025 * 12 + 6, 2025 * 12 + 8, 0.75},
    {{2025, Q, 4}, 2025 * 12 + 9, 2025 * 12 + 11, 1.0},
    {{2025, Y, 0}, 2025 * 12, 2025 * 12 + 11, 1.0},
    {{2025, YTD, 9}, 2025 * 12, 2025 * 12 + 8, 0.75},
    {{2025, YTD, 1}, 2025 * 12, 2025 * 12, 1 / 12.0},
};

static void test_months(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(months); i++) {
		const struct month_case *c = &months[i];

		assert_int_equal(period_first_month(&c->p), c->first);
		assert_int_equal(period_last_month(&c->p), c->last);
		assert_true(period_time_progress(&c->p) == c->progress);
	}
}

static void test_month_index(void **state)
{
	struct period p;

	(void)state;
	p = period_month(2025, 7);
	assert_true(p.year == 2025 && p.kind == M && p.num == 7);
	p = period_from_month_index(2025 * 12);
	assert_true(p.year == 2025 && p.kind == M && p.num == 1);
	p = period_from_month_index(2025 * 12 + 11);
	assert_true(p.year == 2025 && p.kind == M && p.num == 12);
	for (int mi = 1900 * 12; mi < 1902 * 12; mi++) {
		p = period_from_month_index(mi);
		assert_int_equal(period_first_month(&p), mi);
		assert_int_equal(period_last_month(&p), mi);
	}
}

struct step_case {
	struct period p;
	struct period prev_year, prev, ytd;
};

static const struct step_case steps[] = {
    {{2025, M, 3}, {2024, M, 3}, {2025, M, 2}, {2025, YTD, 3}},
    {{2025, M, 1}, {2024, M, 1}, {2024, M, 12}, {2025, YTD, 1}},
    {{2025, M, 12}, {2024, M, 12}, {2025, M, 11}, {2025, YTD, 12}},
    {{2025, Q, 1}, {2024, Q, 1}, {2024, Q, 4}, {2025, YTD, 3}},
    {{2025, Q, 3}, {2024, Q, 3}, {2025, Q, 2}, {2025, YTD, 9}},
    {{2025, Y, 0}, {2024, Y, 0}, {2024, Y, 0}, {2025, YTD, 12}},
    {{2025, YTD, 9}, {2024, YTD, 9}, {2025, YTD, 8}, {2025, YTD, 9}},
    {{2025, YTD, 2}, {2024, YTD, 2}, {2025, YTD, 1}, {2025, YTD, 2}},
    {{2025, YTD, 1}, {2024, YTD, 1}, {2024, Y, 0}, {2025, YTD, 1}},
};

static void expect_period(struct period got, const struct period *want,
			  const char *what, size_t i)
{
	if (!period_eq(&got, want))
		fail_msg("case %zu %s: got %d/%d/%d, want %d/%d/%d", i, what,
			 got.year, (int)got.kind, got.num, want->year,
			 (int)want->kind, want->num);
}

static void test_steps(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(steps); i++) {
		const struct step_case *c = &steps[i];

		expect_period(period_prev_year(&c->p), &c->prev_year,
			      "prev_year", i);
		expect_period(period_prev(&c->p), &c->prev, "prev", i);
		expect_period(period_ytd(&c->p), &c->ytd, "ytd", i);
	}
}

static void test_eq(void **state)
{
	struct period a = {2025, M, 3}, b = {2025, M, 3};
	struct period c = {2025, Q, 3}, d = {2024, M, 3}, e = {2025, M, 4};

	(void)state;
	assert_true(period_eq(&a, &b));
	assert_false(period_eq(&a, &c));
	assert_false(period_eq(&a, &d));
	assert_false(period_eq(&a, &e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_good),
	    cmocka_unit_test(test_parse_bad),
	    cmocka_unit_test(test_parse_message),
	    cmocka_unit_test(test_parse_length),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_format_truncates),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_months),
	    cmocka_unit_test(test_month_index),
	    cmocka_unit_test(test_steps),
	    cmocka_unit_test(test_eq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
