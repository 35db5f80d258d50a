/*
 * The service catalogue's file check (domain/service.c): each column's
 * refusal names file, line and column; a good file counts its rows; the
 * demo's services.csv passes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "domain/service.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define HEAD "code,name,department,dispatch_days,answer_days,answer_hours," \
	     "public\n"

static void test_refusals(void **state)
{
	(void)state;
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{HEAD "Heat,供暖,ZJJ,0,1,24,1\n",
		 "t.csv:2: column \"code\": \"Heat\" is not a code"},
		{HEAD "heat,,ZJJ,0,1,24,1\n", "t.csv:2: column \"name\""},
		{HEAD "heat,供暖,,0,1,24,1\n",
		 "t.csv:2: column \"department\""},
		{HEAD "heat,供暖,ZJJ,31,1,24,1\n",
		 "t.csv:2: column \"dispatch_days\": \"31\" is not 0 to 30"},
		{HEAD "heat,供暖,ZJJ,0,-1,24,1\n",
		 "t.csv:2: column \"answer_days\""},
		{HEAD "heat,供暖,ZJJ,0,1,721,1\n",
		 "t.csv:2: column \"answer_hours\""},
		{HEAD "heat,供暖,ZJJ,0,0,0,1\n",
		 "t.csv:2: column \"answer_days\": no deadline to answer"},
		{HEAD "heat,供暖,ZJJ,0,1,0,2\n",
		 "t.csv:2: column \"public\": \"2\" is not 0 or 1"},
		{HEAD "heat,供暖,ZJJ,0,1,0,1\nheat,供暖,ZJJ,0,1,0,1\n",
		 "t.csv:3: column \"code\": heat is given twice"},
		{"code,name,department,dispatch_days\n",
		 "t.csv:1: column \"answer_days\" is missing"},
		{HEAD "x\n" /* short: name and department empty */,
		 "t.csv:2: column \"name\""},
		{"code,nom\n", "t.csv:1:2: unknown column \"nom\""},
	};
	for (size_t k = 0; k < NELEM(cases); k++) {
		long rows = -1;
		int rc = service_csv_check("t.csv", cases[k].text,
					   strlen(cases[k].text), &rows);
		if (rc != CS_EINVAL)
			fail_msg("case %zu: rc %d (%s)", k, rc, cs_errmsg());
		if (strncmp(cs_errmsg(), cases[k].msg, strlen(cases[k].msg)))
			fail_msg("case %zu: \"%s\"", k, cs_errmsg());
	}
}

static void test_good(void **state)
{
	(void)state;
	/* Chinese headers, public left out (1), hours instead of days. */
	static const char zh[] = "代码,名称,责任单位,派单时限,办结时限,"
				 "办结小时\nheat,供暖,ZJJ,0,0,24\n"
				 "water,供水,CGJ,1,5,\n";
	long rows = 0;
	assert_int_equal(service_csv_check("t.csv", zh, sizeof zh - 1, &rows),
			 CS_OK);
	assert_int_equal(rows, 2);
	/* The demo's catalogue (make unit runs at the top). */
	FILE *f = fopen("data/demo/services.csv", "rb");
	char buf[16384];
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_int_equal(service_csv_check("services.csv", buf, n, &rows),
			 CS_OK);
	assert_int_equal(rows, 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_good),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
