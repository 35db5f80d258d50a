/*
 * Unit tests of src/domain/project_oc4ids.c: our phases, types and
 * clusters mapped to the OC4IDS codelists (projectStatus, projectType,
 * projectSector), and one project's package built from a book held in
 * memory — amounts in yuan, the monthly reports as financialProgress
 * observations, sample data said, no reporter named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/project_oc4ids.h"

static struct project named(const char *name, const char *cluster, int type)
{
	return (struct project){
		.code = "T-1", .name = name, .cluster = cluster, .type = type,
		.leader = "", .total = NAN, .planned_start = "",
		.planned_finish = "", .actual_start = "", .actual_finish = "",
		.address = "", .lon = NAN, .lat = NAN, .issues = "",
		.programme = "", .source = ""};
}

static void test_status(void **state)
{
	static const struct {
		int phase;
		const char *status;
	} cases[] = {
		{PHASE_PLANNING, "identification"},
		{PHASE_SIGNED, "preparation"},
		{PHASE_STARTED, "implementation"},
		{PHASE_BUILDING, "implementation"},
		{PHASE_COMPLETED, "completion"},
		{PHASE_OPERATING, "completion"},
	};
	(void)state;
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++)
		assert_string_equal(oc4ids_status(cases[k].phase),
				    cases[k].status);
	assert_null(oc4ids_status(-1));
	assert_null(oc4ids_status(PHASE_N));
}

static void test_type(void **state)
{
	static const struct {
		const char *name;
		const char *type;
	} cases[] = {
		{"国电投40万千瓦风电项目", "construction"},
		{"锦州港30万吨航道改扩建工程", "expansion"},
		{"高天铁路扩能改造", "expansion"}, /* 扩能 before 改造 */
		{"西安街市场改造", "rehabilitation"},
		{"老城区供热管网维修", "rehabilitation"},
		{"市第二医院迁建", "replacement"},
	};
	(void)state;
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		struct project p = named(cases[k].name, "urban",
					 PROJECT_INFRASTRUCTURE);
		assert_string_equal(oc4ids_type(&p), cases[k].type);
	}
	/* A programme's works renovate what stands. */
	struct project p = named("凌河区某小区", "livelihood",
				 PROJECT_LIVELIHOOD);
	p.programme = "OLD-COMM-14";
	assert_string_equal(oc4ids_type(&p), "rehabilitation");
}

static void test_sectors(void **state)
{
	static const struct {
		const char *name, *cluster;
		const char *sectors[2]; /* parent before subsector */
	} cases[] = {
		{"国电投40万千瓦风电项目", "new_energy", {"energy", "energy.wind"}},
		{"锦州盘锦两港连接路", "corridor",
		 {"transport", "transport.road"}},
		{"锦州港20万吨级矿石码头", "corridor",
		 {"transport", "transport.water"}},
		{"高天铁路扩能改造", "corridor",
		 {"transport", "transport.rail"}},
		{"市妇婴医院改扩建工程", "livelihood", {"health"}},
		{"松山新区实验小学分校", "livelihood", {"education"}},
		{"小凌河体育公园", "urban", {"cultureSportsAndRecreation"}},
		{"30万吨钛白粉项目", "fine_chem", {"economy"}},
		{"某某物流园", "corridor", {"transport"}},
	};
	(void)state;
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		struct project p = named(cases[k].name, cases[k].cluster,
					 PROJECT_INDUSTRY);
		const char *got[4];
		int n = oc4ids_sectors(&p, got, 4);
		int want = cases[k].sectors[1] ? 2 : 1;
		assert_int_equal(n, want);
		for (int j = 0; j < n; j++)
			assert_string_equal(got[j], cases[k].sectors[j]);
	}
}

/* Fails unless o's key is the string want. */
static void check_str(json_t *o, const char *key, const char *want)
{
	assert_string_equal(json_string_value(json_object_get(o, key)), want);
}

static double amount_of(json_t *money)
{
	check_str(money, "currency", "CNY");
	return json_number_value(json_object_get(money, "amount"));
}

static void test_package(void **state)
{
	struct project p = named("国电投40万千瓦风电项目", "new_energy",
				 PROJECT_INDUSTRY);
	p.id = 7;
	p.total = 23;
	p.phase = PHASE_BUILDING;
	p.planned_start = "2025-03-01";
	p.address = "凌海市某镇";
	p.lon = 121.36;
	p.lat = 41.17;
	struct project_plan plan = {7, 2025, 6.9, 1};
	struct project_report reps[] = {
		{.project_id = 7, .month = 2025 * 12 + 0, .investment = 0.27,
		 .progress = NAN, .note = "", .actor = "clerk-zhang",
		 .at = "2025-02-03T01:00:00Z", .sample = 1},
		{.project_id = 7, .month = 2025 * 12 + 1, .investment = 0.26,
		 .progress = 12, .note = "风机基础", .actor = "clerk-zhang",
		 .at = "2025-03-03T01:00:00Z", .sample = 0},
	};
	struct project_book b = {.projects = &p, .n_projects = 1,
				 .plans = &plan, .n_plans = 1,
				 .reports = reps, .n_reports = 2};
	struct catalog cat;
	struct oc4ids_meta meta = {"urn:test", "2025-03-04T00:00:00Z",
				   "锦州市人民政府"};
	int sel[] = {0};
	(void)state;
	memset(&cat, 0, sizeof cat);
	json_t *pkg = oc4ids_package(&b, &cat, sel, 1, &meta);
	assert_non_null(pkg);
	check_str(pkg, "version", "0.9");
	json_t *j = json_array_get(json_object_get(pkg, "projects"), 0);
	check_str(j, "id", "oc4ids-jz-T-1");
	check_str(j, "status", "implementation");
	/* 23 亿元 is 2.3 billion yuan. */
	assert_true(amount_of(json_object_get(
			    json_object_get(j, "budget"), "amount")) == 2.3e9);
	json_t *bd = json_array_get(
		json_object_get(json_object_get(j, "budget"),
				"budgetBreakdown"), 0);
	assert_true(amount_of(json_object_get(bd, "amount")) == 6.9e8);
	/* GeoJSON: longitude first. */
	json_t *xy = json_object_get(
		json_object_get(json_array_get(json_object_get(j, "locations"),
					       0), "geometry"), "coordinates");
	assert_true(json_real_value(json_array_get(xy, 0)) == 121.36);
	json_t *m = json_array_get(json_object_get(j, "metrics"), 0);
	check_str(m, "id", "financialProgress");
	json_t *obs = json_object_get(m, "observations");
	assert_int_equal(json_array_size(obs), 2);
	json_t *o = json_array_get(obs, 1);
	check_str(o, "id", "2025-02");
	assert_true(amount_of(json_object_get(o, "value")) == 2.6e7);
	/* (0.27 + 0.26) / 23: 2.30 percent of the total by February. */
	check_str(o, "measure", "2.30");
	check_str(json_object_get(o, "period"), "endDate",
		  "2025-02-28T23:59:59+08:00");
	/* Physical progress only where it was reported. */
	json_t *ph = json_array_get(json_object_get(j, "metrics"), 1);
	check_str(ph, "id", "physicalProgress");
	assert_int_equal(json_array_size(json_object_get(ph, "observations")),
			 1);
	assert_true(json_is_true(json_object_get(j, "sampleData")));
	assert_non_null(strstr(json_string_value(json_object_get(
				       j, "description")), "样例数据"));
	char *text = json_dumps(pkg, 0);
	assert_null(strstr(text, "clerk-zhang"));
	free(text);
	json_decref(pkg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_type),
		cmocka_unit_test(test_sectors),
		cmocka_unit_test(test_package),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
