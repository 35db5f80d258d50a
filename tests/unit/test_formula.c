/*
 * Unit tests of src/domain/formula.c: precedence, numbers, references under
 * each function, NaN rules, every parse error with its column, and the limits
 * on length, nesting and program size.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "analytics/formula.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define AT  FORMULA_AT
#define YTD FORMULA_YTD
#define PY  FORMULA_PREV_YEAR
#define YPY FORMULA_YTD_PREV_YEAR

/* The figures the lookup knows; any other code or fn has none (NaN). */
static const struct figure {
	const char *code;
	enum formula_fn fn;
	double value;
} figures[] = {
    {"GDP", AT, 100},	   {"GDP", YTD, 250},
    {"GDP", PY, 80},	   {"GDP", YPY, 200},
    {"POP", AT, 4},	   {"POP", PY, 5},
    {"ZERO", AT, 0},	   {"规上工业增加值", AT, 30},
    {"A.b_1", AT, 2},	   {"ytd", AT, 7},
    {"prev_year", AT, 11}, {"x y", AT, 3},
};

#define MAX_CALLS 16

/* What the lookup was asked, in order. */
struct calls {
	int n;
	struct call {
		char code[80];
		enum formula_fn fn;
	} a[MAX_CALLS];
};

static double lookup(void *ctx, const char *code, enum formula_fn fn)
{
	struct calls *calls = ctx;
	size_t i;

	assert_true(calls->n < MAX_CALLS);
	snprintf(calls->a[calls->n].code, sizeof calls->a[0].code, "%s", code);
	calls->a[calls->n++].fn = fn;
	for (i = 0; i < NELEM(figures); i++)
		if (!strcmp(figures[i].code, code) && figures[i].fn == fn)
			return figures[i].value;
	return NAN;
}

/* Parses text (n bytes) and evaluates it; fails the test on a parse error. */
static double eval_n(const char *text, size_t n)
{
	struct calls calls = {0};
	struct formula *f = NULL;
	double v;

	if (formula_parse(text, n, &f) != CS_OK)
		fail_msg("%s: %s", text, cs_errmsg());
	v = formula_eval(f, lookup, &calls);
	formula_free(f);
	return v;
}

static double eval(const char *text)
{
	return eval_n(text, strlen(text));
}

/* Formulas and their values under the figures above. */
static const struct value_case {
	const char *text;
	double value;
} values[] = {
    /* precedence and associativity */
    {"1+2*3", 7},
    {"(1+2)*3", 9},
    {"10-4-3", 3},
    {"64/4/2", 8},
    {"2*3/4", 1.5},
    {"8/4*2", 4},
    {"-2*3", -6},
    {"-GDP*POP", -400},
    {"-GDP+POP", -96},
    {"2*-3", -6},
    {"2--3", 5},
    {"--4", 4},
    {"-(1+2)", -3},
    {"-(-(GDP))", 100},
    {"((((1))))", 1},
    {"1-(2-3)", 2},
    {"2*(3+4)*5", 70},
    /* numbers */
    {"42", 42},
    {"3.25", 3.25},
    {"3.", 3},
    {".5", 0.5},
    {"1.5e2", 150},
    {"1E3", 1000},
    {"2.5e+1", 25},
    {"1e-2", 0.01},
    {"007", 7},
    {"1e-400", 0},
    {"000000000000000000000000000000000000000000000000000000000000000"
     "1",
     1},
    /* blanks */
    {" \t1\n+\r2\f*\v3 ", 7},
    {"( 1 + 2 ) * 3", 9},
    /* references */
    {"GDP", 100},
    {"GDP/POP", 25},
    {"ytd(GDP)", 250},
    {"prev_year(GDP)", 80},
    {"ytd_prev_year(GDP)", 200},
    {"ytd ( GDP )", 250},
    {"ytd([GDP])", 250},
    {"(ytd(GDP)/ytd_prev_year(GDP)-1)*100", 25},
    {"GDP/prev_year(GDP)*100-100", 25},
    {"[GDP]+[POP]", 104},
    {"[规上工业增加值]*2", 60},
    {"[规上工业增加值]/[ZERO]*0+1", NAN},
    {"[x y]", 3},
    {"A.b_1*POP", 8},
    {"ytd", 7},
    {"ytd+1", 8},
    {"ytd*prev_year", 77},
    {"ytd(ytd)", NAN},
    {"prev_year(POP)", 5},
};

static void test_values(void **state)
{
	size_t i;
	double v;

	(void)state;
	for (i = 0; i < NELEM(values); i++) {
		v = eval(values[i].text);
		if (isnan(values[i].value)) {
			if (!isnan(v))
				fail_msg("%s: got %g, want NaN", values[i].text,
					 v);
		} else if (v != values[i].value) {
			fail_msg("%s: got %g, want %g", values[i].text, v,
				 values[i].value);
		}
	}
}

/* Formulas whose value is NaN: division by zero or a figure missing. */
static const char *const nans[] = {
    "1/0",
    "0/0",
    "-1/0",
    "GDP/ZERO",
    "GDP/(POP-4)",
    "1/(0*-1)",
    "MISSING",
    "MISSING+1",
    "0*MISSING",
    "-MISSING",
    "MISSING/0",
    "ytd(POP)",
    "1+2*(3-MISSING)",
    "(1/0)*0",
    "[规上工业增加值]/0",
};

static void test_nan(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(nans); i++)
		if (!isnan(eval(nans[i])))
			fail_msg("%s: not NaN", nans[i]);
}

/* The text need not be NUL-terminated: only n bytes are read. */
static void test_length_bounded(void **state)
{
	static const char text[] = {'1', '2', '+', '3', '4'};

	(void)state;
	assert_true(eval_n("12345", 2) == 12);
	assert_true(eval_n(text, sizeof text) == 46);
	assert_true(eval_n("1e5", 1) == 1);
	assert_true(eval_n("GDPX", 3) == 100);
	assert_true(eval_n("ytd(GDP)", 3) == 7);
}

static void test_refs(void **state)
{
	static const char text[] =
	    "GDP + ytd(GDP) + [GDP] + POP * prev_year([POP])"
	    " - ytd_prev_year(GDP) + [规上工业增加值] + ytd";
	static const struct call want[] = {
	    {"GDP", AT},
	    {"GDP", YTD},
	    {"GDP", AT},
	    {"POP", AT},
	    {"POP", PY},
	    {"GDP", YPY},
	    {"规上工业增加值", AT},
	    {"ytd", AT},
	};
	static const char code64[] =
	    "a234567890123456789012345678901234567890123456789012345678901234";
	static const char zh64[] =
	    "[x一二三四五六七八九十一二三四五六七八九十一]+x";
	struct calls calls = {0};
	struct formula *f = NULL;
	size_t i;

	(void)state;
	assert_int_equal(formula_parse(text, strlen(text), &f), CS_OK);
	assert_int_equal(formula_nrefs(f), 4);
	assert_string_equal(formula_ref(f, 0), "GDP");
	assert_string_equal(formula_ref(f, 1), "POP");
	assert_string_equal(formula_ref(f, 2), "规上工业增加值");
	assert_string_equal(formula_ref(f, 3), "ytd");
	/* 100 + 250 + 100 + 4 * 5 - 200 + 30 + 7 */
	assert_true(formula_eval(f, lookup, &calls) == 307);
	assert_int_equal(calls.n, NELEM(want));
	for (i = 0; i < NELEM(want); i++) {
		assert_string_equal(calls.a[i].code, want[i].code);
		assert_int_equal(calls.a[i].fn, want[i].fn);
	}
	formula_free(f);

	assert_int_equal(formula_parse("1+2", 3, &f), CS_OK);
	assert_int_equal(formula_nrefs(f), 0);
	formula_free(f);

	/* codes of 64 bytes, the most allowed */
	assert_int_equal(formula_parse(code64, 64, &f), CS_OK);
	assert_string_equal(formula_ref(f, 0), code64);
	formula_free(f);
	assert_int_equal(formula_parse(zh64, strlen(zh64), &f), CS_OK);
	assert_int_equal(formula_nrefs(f), 2);
	assert_int_equal(strlen(formula_ref(f, 0)), 64);
	assert_string_equal(formula_ref(f, 1), "x");
	formula_free(f);

	/* "inf" and "nan" are codes, not numbers */
	assert_int_equal(formula_parse("inf-nan", 7, &f), CS_OK);
	assert_int_equal(formula_nrefs(f), 2);
	assert_string_equal(formula_ref(f, 0), "inf");
	assert_string_equal(formula_ref(f, 1), "nan");
	formula_free(f);
}

struct error_case {
	const char *text;
	size_t n; /* 0: strlen(text) */
	const char *msg;
};

static const struct error_case errors[] = {
    {"", 0, "formula: column 1: empty formula"},
    {" \t\n", 0, "formula: column 1: empty formula"},
    {"1+(2*3", 0, "formula: column 7: expected ')' at end of text"},
    {"(1+2 3)", 0, "formula: column 6: expected ')' near \"3)\""},
    {"(1+2 [规上工业增加值])", 0,
     "formula: column 6: expected ')' near \"[规上工业增\""},
    {"(1\x01)", 0, "formula: column 3: expected ')'"},
    {"1+2*", 0,
     "formula: column 5: expected a number, code or '(' at end of text"},
    {"1-", 0,
     "formula: column 3: expected a number, code or '(' at end of text"},
    {"GDP+*2", 0, "formula: column 5: unexpected \"*\""},
    {"+1", 0, "formula: column 1: unexpected \"+\""},
    {"1 2", 0, "formula: column 3: unexpected \"2\""},
    {"GDP POP", 0, "formula: column 5: unexpected \"POP\""},
    {")", 0, "formula: column 1: unexpected \")\""},
    {"()", 0, "formula: column 2: unexpected \")\""},
    {"1)", 0, "formula: column 2: unexpected \")\""},
    {"2^3", 0, "formula: column 2: unexpected \"^\""},
    {"0x10", 0, "formula: column 2: unexpected \"x10\""},
    {"1.2.3", 0, "formula: column 4: unexpected \".3\""},
    {".", 0, "formula: column 1: unexpected \".\""},
    {"1，2", 0, "formula: column 2: unexpected \"，\""},
    {"1\xe3\x80\x80+2", 0, "formula: column 2: unexpected \"\xe3\x80\x80\""},
    {"1\x01", 0, "formula: column 2: unexpected byte 0x01"},
    {"1+\xff", 0, "formula: column 3: unexpected byte 0xff"},
    {"1+\xe8\xa7", 0, "formula: column 3: unexpected byte 0xe8"},
    {"1\0002", 3, "formula: column 2: unexpected byte 0x00"},
    {"[GDP]x", 0, "formula: column 6: unexpected \"x\""},
    {"[ytd](GDP)", 0, "formula: column 6: unexpected \"(\""},
    {"ytd(GDP))", 0, "formula: column 9: unexpected \")\""},
    {"GDP GDP GDP GDP GDP GDP", 0, "formula: column 5: unexpected \"GDP\""},
    {"1 abcdefghijklmnopqrstuvwxyz", 0,
     "formula: column 3: unexpected \"abcdefghijklmnop\""},
    /* functions */
    {"ytd(GDP+1)", 0, "formula: column 8: expected ')' near \"+1)\""},
    {"ytd(1)", 0, "formula: column 5: expected an indicator code near \"1)\""},
    {"ytd()", 0, "formula: column 5: expected an indicator code near \")\""},
    {"ytd(-GDP)", 0,
     "formula: column 5: expected an indicator code near \"-GDP)\""},
    {"ytd(", 0, "formula: column 5: expected an indicator code at end of text"},
    {"ytd(GDP", 0, "formula: column 8: expected ')' at end of text"},
    {"ytd((GDP))", 0,
     "formula: column 5: expected an indicator code near \"(GDP))\""},
    {"prev_year(ytd(GDP))", 0,
     "formula: column 14: expected ')' near \"(GDP))\""},
    {"foo(GDP)", 0, "formula: column 1: unknown function \"foo\""},
    {"1 + YTD (GDP)", 0, "formula: column 5: unknown function \"YTD\""},
    /* codes */
    {"[]", 0, "formula: column 1: empty code"},
    {"1+[]", 0, "formula: column 3: empty code"},
    {"ytd([])", 0, "formula: column 5: empty code"},
    {"[GDP", 0, "formula: column 5: expected ']' at end of text"},
    {"[GDP]+[POP", 0, "formula: column 11: expected ']' at end of text"},
    {"ytd([GDP)", 0, "formula: column 10: expected ']' at end of text"},
    {"[a\000b]", 5, "formula: column 3: unexpected byte 0x00"},
    {"a234567890123456789012345678901234567890123456789012345678901234"
     "5",
     0, "formula: column 1: code longer than 64 bytes"},
    {"1+[一二三四五六七八九十一二三四五六七八九十一二]", 0,
     "formula: column 3: code longer than 64 bytes"},
    /* numbers */
    {"1e", 0, "formula: column 3: expected exponent digits at end of text"},
    {"1e+", 0, "formula: column 4: expected exponent digits at end of text"},
    {"1e+x", 0, "formula: column 4: expected exponent digits near \"x\""},
    {"2E-", 0, "formula: column 4: expected exponent digits at end of text"},
    {"1+1e400", 0, "formula: column 3: number \"1e400\" out of range"},
    {"1"
     "000000000000000000000000000000000000000000000000000000000000000"
     "0",
     0, "formula: column 1: number longer than 64 bytes"},
};

static void test_errors(void **state)
{
	struct formula *sentinel = (struct formula *)&state, *f;
	size_t i, n;

	(void)state;
	for (i = 0; i < NELEM(errors); i++) {
		n = errors[i].n ? errors[i].n : strlen(errors[i].text);
		f = sentinel;
		cs_errclear();
		if (formula_parse(errors[i].text, n, &f) != CS_EINVAL)
			fail_msg("case %zu: parsed", i);
		if (f != sentinel)
			fail_msg("case %zu: *pp written", i);
		if (strcmp(cs_errmsg(), errors[i].msg))
			fail_msg("case %zu: got '%s', want '%s'", i,
				 cs_errmsg(), errors[i].msg);
	}
}

/* Parses the n bytes at text, expecting CS_OK (msg NULL) or that message. */
static void expect_parse(const char *text, size_t n, const char *msg)
{
	struct formula *f = NULL;
	int rc = formula_parse(text, n, &f);

	if (msg) {
		assert_int_equal(rc, CS_EINVAL);
		assert_string_equal(cs_errmsg(), msg);
		assert_null(f);
	} else {
		if (rc != CS_OK)
			fail_msg("%.40s...: %s", text, cs_errmsg());
		formula_free(f);
	}
}

/* Fills buf with count copies of unit after prefix; returns its length. */
static size_t repeat(char *buf, const char *prefix, const char *unit, int count,
		     const char *suffix)
{
	size_t n = strlen(prefix);
	int i;

	memcpy(buf, prefix, n);
	for (i = 0; i < count; i++) {
		memcpy(buf + n, unit, strlen(unit));
		n += strlen(unit);
	}
	memcpy(buf + n, suffix, strlen(suffix) + 1);
	return n + strlen(suffix);
}

static void test_limits(void **state)
{
	static char buf[2 * FORMULA_MAX_LEN];
	char msg[128];
	size_t n;
	int d;

	(void)state;
	/* length */
	n = repeat(buf, "1", " ", FORMULA_MAX_LEN, "");
	expect_parse(buf, n - 1, NULL);
	expect_parse(buf, n, "formula: column 4097: longer than 4096 bytes");

	/* nesting of parentheses, of unary minus and of both */
	snprintf(msg, sizeof msg,
		 "formula: column %d: nested deeper than %d levels",
		 FORMULA_MAX_DEPTH + 1, FORMULA_MAX_DEPTH);
	for (d = FORMULA_MAX_DEPTH; d <= FORMULA_MAX_DEPTH + 1; d++) {
		const char *want = d > FORMULA_MAX_DEPTH ? msg : NULL;

		n = repeat(buf, "", "(", d, "1");
		n = repeat(buf + n, "", ")", d, "") + n;
		expect_parse(buf, n, want);
		n = repeat(buf, "", "-", d, "1");
		expect_parse(buf, n, want);
		n = repeat(buf, "", "-(", d / 2, d % 2 ? "-1" : "1");
		n = repeat(buf + n, "", ")", d / 2, "") + n;
		expect_parse(buf, n, want);
	}
	snprintf(msg, sizeof msg,
		 "formula: column %d: nested deeper than %d levels",
		 3 * (FORMULA_MAX_DEPTH + 1), FORMULA_MAX_DEPTH);
	n = repeat(buf, "", "1+(", FORMULA_MAX_DEPTH + 1, "1");
	expect_parse(buf, n, msg);

	/* program size: 256 ones and 255 pluses, 512 nodes with a '-', then 514
	 */
	n = repeat(buf, "1", "+1", FORMULA_MAX_NODES / 2 - 1, "");
	expect_parse(buf, n, NULL);
	n = repeat(buf, "-1", "+1", FORMULA_MAX_NODES / 2 - 1, "");
	expect_parse(buf, n, NULL);
	n = repeat(buf, "-1", "+1", FORMULA_MAX_NODES / 2, "");
	snprintf(
	    msg, sizeof msg,
	    "formula: column %d: more than %d numbers, codes and operators",
	    FORMULA_MAX_NODES + 2, FORMULA_MAX_NODES);
	expect_parse(buf, n, msg);
}

/* The deepest program the limits allow runs and gives the right value. */
static void test_deepest(void **state)
{
	static char buf[FORMULA_MAX_LEN];
	double want = 1 + 2.0 * 3;
	size_t n;
	int d;

	(void)state;
	n = repeat(buf, "", "1+2*(", FORMULA_MAX_DEPTH, "1+2*3");
	n = repeat(buf + n, "", ")", FORMULA_MAX_DEPTH, "") + n;
	for (d = 0; d < FORMULA_MAX_DEPTH; d++)
		want = 1 + 2 * want;
	assert_true(eval_n(buf, n) == want);
}

static void test_free_null(void **state)
{
	(void)state;
	formula_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_nan),
	    cmocka_unit_test(test_length_bounded),
	    cmocka_unit_test(test_refs),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_deepest),
	    cmocka_unit_test(test_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
