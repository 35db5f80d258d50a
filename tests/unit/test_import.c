/*
 * Unit tests of src/domain/import.c over a real SQLite database and real
 * files in a temporary directory: every kind of file in one call and in any
 * order, ids and codes, Chinese headers, a byte order mark, GB18030,
 * SDMX-CSV, the report's counts, the history a change leaves, and for every
 * kind of bad input the message and a database left byte for byte as it
 * was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analytics/catalog.h"
#include "analytics/cube.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/civstat.h"
#include "domain/import.h"
#include "domain/values.h"
#include "store/store.h"

#include "fixture.h"

/* ---- the files -------------------------------------------------------- */

static const char DEPTS[] =
    "code,name,name_en\n"
    "FGW,市发展和改革委员会,Development and Reform Commission\n"
    "TJJ,市统计局,\n";

static const char AREAS[] = "code,name,parent,kind,name_en\n"
			    "210700,锦州市,,admin,Jinzhou\n"
			    "210703,古塔区,210700,,\n"
			    "210726,黑山县,210700,admin,\n"
			    "JZ-KFQ,锦州开发区,210700,zone,\n"
			    "210726001,镇1,210726,,\n";

static const char INDS[] =
    "code,name,unit,pillar,frequency,time_agg,area_agg,direction,"
    "department,weight,formula\n"
    "GDP,地区生产总值,亿元,stable,quarter,sum,sum,up,TJJ,10,\n"
    "FAI,固定资产投资,亿元,vital,month,sum,sum,up,FGW,,\n"
    "FAI_IND,工业投资,亿元,vital,month,,,,FGW,,\n"
    "FAI_SHARE,工业投资占比,%,excellent,month,,,,,,FAI_IND / FAI * 100\n"
    "UNEMP,失业率,%,stable,month,avg,avg,down,,5,\n";

static const char VALUES[] =
    "indicator,area,period,value,state,comment,sample\n"
    "FAI,210703,2025-01,10.5,,,\n"
    "FAI,210726,2025-01,4.5,submitted,seed:L62,1\n"
    "GDP,210700,2025-Q1,100,,,\n"
    "FAI_IND,210703,2025年1月,3,,,\n"
    "UNEMP,210726,202501,5.5,draft,,\n";

static const char TARGETS[] = "indicator,area,year,value,kind\n"
			      "FAI,210700,2025,200,\n"
			      "GDP,210700,2025,500,annual\n"
			      "GDP,210700,2025,2600,plan\n";

static const char BENCH[] = "indicator,group,period,value,measure\n"
			    "GDP,全省平均,2025-Q1,5.5,growth\n"
			    "FAI,大连,2025-01,20,value\n";

struct fixture {
	char dir[FIXTURE_DIR];
	char db[128];
	struct civstat *cs;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	fixture_mkdtemp(fx->dir, "test_import");
	fixture_db(fx->db, sizeof fx->db, fx->dir, "city.db");
	assert_int_equal(civstat_open(fx->db, STORE_CREATE, &fx->cs), CS_OK);
	*state = fx;
	return 0;
}

static void report_done(void);

static int teardown(void **state)
{
	struct fixture *fx = *state;
	report_done();
	civstat_close(fx->cs);
	fixture_rmdir(fx->dir);
	free(fx);
	return 0;
}

/* Imports n files; the report is left for the caller to look at and is
 * released at the next call or by report_done(). */
static struct import_report report;
static int report_live;

static void report_done(void)
{
	if (report_live)
		import_report_release(&report);
	report_live = 0;
}

static int import_opts(struct fixture *fx, const struct import_opts *o, int n,
		       const char *const *files)
{
	report_done();
	int rc = import_files(fx->cs, files, n, o, &report);
	report_live = 1;
	return rc;
}

static int import(struct fixture *fx, int n, const char *const *files)
{
	struct import_opts o = {0};
	return import_opts(fx, &o, n, files);
}

/* Fails showing the report's errors. */
static void expect_ok(int rc, const char *what)
{
	fixture_import_ok(rc, &report, what);
}

static double own(const struct civstat *cs, const char *ind, const char *area,
		  int m)
{
	return cube_own(&cs->cube, II(cs, ind), IA(cs, area), m);
}

static double value(const struct civstat *cs, const char *ind, const char *area,
		    int lo, int hi)
{
	return cube_value(&cs->cube, II(cs, ind), IA(cs, area), lo, hi);
}

/* The catalog and figures every bad-input test starts from. */
static void load_base(struct fixture *fx)
{
	char p[6][256];
	write_file(fx->dir, "departments.csv", DEPTS, p[0]);
	write_file(fx->dir, "areas.csv", AREAS, p[1]);
	write_file(fx->dir, "indicators.csv", INDS, p[2]);
	write_file(fx->dir, "values.csv", VALUES, p[3]);
	write_file(fx->dir, "targets.csv", TARGETS, p[4]);
	write_file(fx->dir, "benchmarks.csv", BENCH, p[5]);
	const char *files[] = {p[0], p[1], p[2], p[3], p[4], p[5]};
	expect_ok(import(fx, 6, files), "base");
}

/* The bytes of the database and its WAL. */
struct snapshot {
	char *db, *wal;
	size_t n_db, n_wal;
};

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	*n = 0;
	if (!f)
		return NULL;
	struct stat sb;
	assert_int_equal(fstat(fileno(f), &sb), 0);
	buf = malloc((size_t)sb.st_size + 1);
	assert_non_null(buf);
	*n = fread(buf, 1, (size_t)sb.st_size, f);
	assert_int_equal(*n, (size_t)sb.st_size);
	fclose(f);
	return buf;
}

/* On PostgreSQL, the contents of its tables stand for the bytes. */
static void snapshot_take(const struct fixture *fx, struct snapshot *s)
{
	char wal[160];
	if (fixture_pg()) {
		s->db = fixture_pg_dump(fx->db);
		s->n_db = strlen(s->db);
		s->wal = NULL;
		s->n_wal = 0;
		return;
	}
	snprintf(wal, sizeof wal, "%s-wal", fx->db);
	s->db = slurp(fx->db, &s->n_db);
	s->wal = slurp(wal, &s->n_wal);
	assert_non_null(s->db);
}

static void snapshot_release(struct snapshot *s)
{
	free(s->db);
	free(s->wal);
	memset(s, 0, sizeof *s);
}

static void snapshot_same(const struct snapshot *a, const struct snapshot *b,
			  const char *what)
{
	if (a->n_db != b->n_db || memcmp(a->db, b->db, a->n_db))
		fail_msg("%s: the database file changed (%zu -> %zu bytes)",
			 what, a->n_db, b->n_db);
	if (a->n_wal != b->n_wal ||
	    (a->n_wal && memcmp(a->wal, b->wal, a->n_wal)))
		fail_msg("%s: the WAL changed (%zu -> %zu bytes)", what,
			 a->n_wal, b->n_wal);
}

/* ---- good files ------------------------------------------------------- */

static void check_base(const struct civstat *cs)
{
	const struct catalog *cat = &cs->cat;
	double v;
	assert_int_equal(cat->n_depts, 2);
	assert_int_equal(cat->n_areas, 5);
	assert_int_equal(cat->n_inds, 5);
	/* areas: levels from the tree, parents, kinds */
	assert_int_equal(catalog_root(cat), IA(cs, "210700"));
	assert_int_equal(cat->areas[IA(cs, "210700")].level, 1);
	assert_int_equal(cat->areas[IA(cs, "210703")].level, 2);
	assert_int_equal(cat->areas[IA(cs, "210726001")].level, 3);
	assert_int_equal(cat->parent[IA(cs, "210726001")], IA(cs, "210726"));
	assert_int_equal(cat->parent[IA(cs, "JZ-KFQ")], IA(cs, "210700"));
	assert_int_equal(cat->areas[IA(cs, "JZ-KFQ")].kind, AREA_ZONE);
	assert_int_equal(cat->areas[IA(cs, "210726")].kind, AREA_ADMIN);
	assert_string_equal(cat->areas[IA(cs, "210700")].name, "锦州市");
	assert_string_equal(cat->areas[IA(cs, "210700")].name_en, "Jinzhou");
	/* departments */
	int fgw = catalog_department(cat, "FGW", 3);
	assert_true(fgw >= 0);
	assert_string_equal(cat->depts[fgw].name_en,
			    "Development and Reform Commission");
	/* indicators: given and default attributes */
	const struct indicator *gdp = &cat->inds[II(cs, "GDP")];
	assert_int_equal(gdp->frequency, FREQ_QUARTER);
	assert_int_equal(gdp->pillar, PILLAR_STABLE);
	CHECK_NUM(gdp->weight, 10, "GDP weight");
	assert_int_equal(cat->ind_dept[II(cs, "GDP")],
			 catalog_department(cat, "TJJ", 3));
	assert_string_equal(gdp->unit, "亿元");
	const struct indicator *ind = &cat->inds[II(cs, "FAI_IND")];
	assert_int_equal(ind->frequency, FREQ_MONTH);
	assert_int_equal(ind->time_agg, TIME_SUM);
	assert_int_equal(ind->area_agg, AREA_SUM);
	assert_int_equal(ind->direction, DIR_UP);
	assert_int_equal(ind->decimals, 2);
	CHECK_NUM(ind->weight, NAN, "FAI_IND weight");
	assert_int_equal(cat->ind_dept[II(cs, "FAI_IND")], fgw);
	const struct indicator *un = &cat->inds[II(cs, "UNEMP")];
	assert_int_equal(un->time_agg, TIME_AVG);
	assert_int_equal(un->area_agg, AREA_AVG);
	assert_int_equal(un->direction, DIR_DOWN);
	assert_int_equal(un->pillar, PILLAR_STABLE);
	assert_non_null(cat->formula[II(cs, "FAI_SHARE")]);
	assert_null(cat->formula[II(cs, "FAI")]);
	assert_int_equal(cat->inds[II(cs, "FAI_SHARE")].pillar,
			 PILLAR_EXCELLENT);
	/* figures, at the period's last month, and their aggregates */
	CHECK_NUM(own(cs, "FAI", "210703", MI(2025, 1)), 10.5, "FAI 210703");
	CHECK_NUM(own(cs, "FAI", "210726", MI(2025, 1)), 4.5, "FAI 210726");
	CHECK_NUM(value(cs, "FAI", "210700", MI(2025, 1), MI(2025, 1)), 15,
		  "FAI at the root");
	CHECK_NUM(own(cs, "GDP", "210700", MI(2025, 3)), 100, "GDP Q1");
	CHECK_NUM(own(cs, "GDP", "210700", MI(2025, 1)), NAN, "GDP January");
	CHECK_NUM(own(cs, "FAI_IND", "210703", MI(2025, 1)), 3, "FAI_IND");
	CHECK_NUM(own(cs, "UNEMP", "210726", MI(2025, 1)), 5.5, "UNEMP");
	assert_int_equal(
	    cube_flags(&cs->cube, II(cs, "FAI"), IA(cs, "210726"), MI(2025, 1)),
	    VALUE_SUBMITTED | VALUE_SAMPLE | VALUE_COMMENT);
	assert_int_equal(
	    cube_flags(&cs->cube, II(cs, "FAI"), IA(cs, "210703"), MI(2025, 1)),
	    VALUE_APPROVED);
	assert_int_equal(cube_flags(&cs->cube, II(cs, "UNEMP"),
				    IA(cs, "210726"), MI(2025, 1)),
			 VALUE_DRAFT);
	char *comment = NULL;
	assert_int_equal(
	    cs->st->ops->get_comment(cs->st, cat->inds[II(cs, "FAI")].id,
				     cat->areas[IA(cs, "210726")].id,
				     MI(2025, 1), &comment),
	    CS_OK);
	assert_non_null(comment);
	assert_string_equal(comment, "seed:L62");
	free(comment);
	/* targets and benchmarks */
	assert_true(cube_target(&cs->cube, II(cs, "FAI"), IA(cs, "210700"),
				2025, TARGET_ANNUAL, &v));
	CHECK_NUM(v, 200, "FAI target");
	assert_true(cube_target(&cs->cube, II(cs, "GDP"), IA(cs, "210700"),
				2025, TARGET_PLAN, &v));
	CHECK_NUM(v, 2600, "GDP plan target");
	int g = catalog_group(cat, "全省平均", strlen("全省平均"));
	assert_true(g >= 0);
	assert_true(cube_benchmark(&cs->cube, II(cs, "GDP"), g, MI(2025, 3),
				   PERIOD_QUARTER, MEASURE_GROWTH, &v));
	CHECK_NUM(v, 5.5, "GDP benchmark");
	g = catalog_group(cat, "大连", strlen("大连"));
	assert_true(g >= 0);
	assert_true(cube_benchmark(&cs->cube, II(cs, "FAI"), g, MI(2025, 1),
				   PERIOD_MONTH, MEASURE_VALUE, &v));
	CHECK_NUM(v, 20, "FAI benchmark");
}

/* Every kind in one call, given in the reverse of the order they need. */
static void test_all_kinds_any_order(void **state)
{
	struct fixture *fx = *state;
	char p[6][256];
	write_file(fx->dir, "values.csv", VALUES, p[0]);
	write_file(fx->dir, "benchmarks.csv", BENCH, p[1]);
	write_file(fx->dir, "targets.csv", TARGETS, p[2]);
	write_file(fx->dir, "indicators.csv", INDS, p[3]);
	write_file(fx->dir, "areas.csv", AREAS, p[4]);
	write_file(fx->dir, "departments.csv", DEPTS, p[5]);
	const char *files[] = {p[0], p[1], p[2], p[3], p[4], p[5]};
	expect_ok(import(fx, 6, files), "all kinds");
	assert_int_equal(report.n_errors, 0);
	assert_int_equal(report.rows[IMPORT_DEPARTMENTS], 2);
	assert_int_equal(report.rows[IMPORT_AREAS], 5);
	assert_int_equal(report.rows[IMPORT_INDICATORS], 5);
	assert_int_equal(report.rows[IMPORT_VALUES], 5);
	assert_int_equal(report.rows[IMPORT_TARGETS], 3);
	assert_int_equal(report.rows[IMPORT_BENCHMARKS], 2);
	assert_int_equal(report.added, 5);
	assert_int_equal(report.changed, 0);
	assert_int_equal(report.unchanged, 0);
	assert_int_equal(report.skipped, 0);
	check_base(fx->cs);
	/* All of it was committed: a fresh open sees the same. */
	civstat_close(fx->cs);
	fx->cs = NULL;
	assert_int_equal(civstat_open(fx->db, 0, &fx->cs), CS_OK);
	check_base(fx->cs);
	report_done();
}

/* Other orders too: each permutation of three files that depend on each
 * other. */
static void test_orders(void **state)
{
	struct fixture *fx = *state;
	char p[3][256];
	static const int perms[][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
				       {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
	write_file(fx->dir, "areas.csv", AREAS, p[0]);
	write_file(fx->dir, "indicators.csv",
		   "code,name,pillar\nFAI,固定资产投资,活\n", p[1]);
	write_file(fx->dir, "values.csv",
		   "indicator,area,period,value\nFAI,210703,2025-02,7\n", p[2]);
	for (size_t k = 0; k < NELEM(perms); k++) {
		const char *files[] = {p[perms[k][0]], p[perms[k][1]],
				       p[perms[k][2]]};
		expect_ok(import(fx, 3, files), "permutation");
		CHECK_NUM(own(fx->cs, "FAI", "210703", MI(2025, 2)), 7,
			  "permutation %zu", k);
		assert_int_equal(report.added + report.unchanged, 1);
	}
	report_done();
}

/* The benchmark generator's files, which name everything by id. */
static void test_ids(void **state)
{
	struct fixture *fx = *state;
	char p[4][256];
	write_file(fx->dir, "units.csv",
		   "id,parent_id,level,code,name\n"
		   "1,,1,P,province\n"
		   "2,1,2,C01,city 1\n"
		   "3,1,2,C02,city 2\n"
		   "16,2,3,X016,county 16\n"
		   "17,3,3,X017,county 17\n",
		   p[0]);
	write_file(fx->dir, "indicators.csv",
		   "id,code,name,pillar,agg,direction,weight\n"
		   "1,I01,indicator 1,stable,sum,up,4\n"
		   "2,I02,indicator 2,vital,avg,down,\n",
		   p[1]);
	write_file(fx->dir, "values.csv",
		   "unit_id,indicator_id,period,value\n"
		   "16,1,202501,100.5\n"
		   "16,1,202502,50\n"
		   "17,1,202501,1\n"
		   "16,2,202501,3.25\n"
		   "17,2,202501,4.75\n",
		   p[2]);
	write_file(fx->dir, "targets.csv",
		   "unit_id,indicator_id,year,target\n"
		   "1,1,2025,1000\n"
		   "16,2,2025,3\n",
		   p[3]);
	const char *files[] = {p[2], p[3], p[0], p[1]};
	expect_ok(import(fx, 4, files), "ids");
	const struct civstat *cs = fx->cs;
	const struct catalog *cat = &cs->cat;
	assert_int_equal(report.rows[IMPORT_AREAS], 5);
	assert_int_equal(report.rows[IMPORT_VALUES], 5);
	assert_int_equal(report.added, 5);
	/* the ids are kept */
	static const struct {
		int id;
		const char *code;
		int level, parent_id;
	} units[] = {{1, "P", 1, 0},
		     {2, "C01", 2, 1},
		     {3, "C02", 2, 1},
		     {16, "X016", 3, 2},
		     {17, "X017", 3, 3}};
	for (size_t k = 0; k < NELEM(units); k++) {
		int a = catalog_area_id(cat, units[k].id);
		assert_true(a >= 0);
		assert_string_equal(cat->areas[a].code, units[k].code);
		assert_int_equal(cat->areas[a].level, units[k].level);
		assert_int_equal(cat->areas[a].parent_id, units[k].parent_id);
	}
	assert_int_equal(cat->inds[catalog_indicator_id(cat, 2)].time_agg,
			 TIME_AVG);
	assert_int_equal(cat->inds[catalog_indicator_id(cat, 2)].area_agg,
			 AREA_AVG);
	assert_int_equal(cat->inds[catalog_indicator_id(cat, 2)].direction,
			 DIR_DOWN);
	assert_int_equal(cat->inds[catalog_indicator_id(cat, 1)].time_agg,
			 TIME_SUM);
	assert_int_equal(cat->inds[catalog_indicator_id(cat, 1)].area_agg,
			 AREA_SUM);
	CHECK_NUM(cat->inds[catalog_indicator_id(cat, 1)].weight, 4, "weight");
	CHECK_NUM(cat->inds[catalog_indicator_id(cat, 2)].weight, NAN,
		  "no weight");
	/* figures where the ids say */
	CHECK_NUM(own(cs, "I01", "X016", MI(2025, 1)), 100.5, "I01 X016 Jan");
	CHECK_NUM(own(cs, "I01", "X016", MI(2025, 2)), 50, "I01 X016 Feb");
	CHECK_NUM(value(cs, "I01", "P", MI(2025, 1), MI(2025, 2)), 151.5,
		  "I01 at the province");
	CHECK_NUM(value(cs, "I01", "C02", MI(2025, 1), MI(2025, 1)), 1,
		  "I01 at C02");
	CHECK_NUM(value(cs, "I02", "P", MI(2025, 1), MI(2025, 1)), 4,
		  "I02 averaged at the province");
	double v;
	assert_true(cube_target(&cs->cube, II(cs, "I01"), IA(cs, "P"), 2025,
				TARGET_ANNUAL, &v));
	CHECK_NUM(v, 1000, "target by ids");
	assert_true(cube_target(&cs->cube, II(cs, "I02"), IA(cs, "X016"), 2025,
				TARGET_ANNUAL, &v));
	CHECK_NUM(v, 3, "target by ids");
	/* A second file by ids finds what the first one stored. */
	write_file(fx->dir, "values2.csv",
		   "unit_id,indicator_id,period,value\n"
		   "17,1,202502,2\n",
		   p[2]);
	const char *again[] = {p[2]};
	expect_ok(import(fx, 1, again), "ids again");
	CHECK_NUM(value(cs, "I01", "P", MI(2025, 2), MI(2025, 2)), 52,
		  "I01 at the province in February");
	report_done();
}

/* Chinese column names and values, and the periods people write. */
static void test_chinese_headers(void **state)
{
	struct fixture *fx = *state;
	char p[6][256];
	write_file(fx->dir, "departments.csv",
		   "代码,名称,英文名称\nTJJ,市统计局,Statistics Bureau\n",
		   p[0]);
	write_file(fx->dir, "地区.csv",
		   "代码,名称,上级代码,类型\n"
		   "210700,锦州市,,行政区\n"
		   "210703,古塔区,210700,\n"
		   "JZ-KFQ,锦州开发区,210700,功能区\n",
		   p[1]);
	write_file(fx->dir, "指标.csv",
		   "代码,名称,计量单位,支柱,频率,时间汇总,区域汇总,方向,"
		   "责任单位,权重\n"
		   "GDP,地区生产总值,亿元,稳,季度,累计,求和,正向,TJJ,10\n"
		   "RATE,城镇调查失业率,%,优,月度,平均,平均,逆向,,\n"
		   "STOCK,市场主体,个,活,月度,期末,不汇总,,,\n",
		   p[2]);
	write_file(fx->dir, "数据.csv",
		   "指标代码,地区代码,时期,数值,状态,备注,样例\n"
		   "GDP,210700,2025年一季度,120.5,已报送,季报,1\n"
		   "GDP,210700,2025年第二季度,130,,,\n"
		   "RATE,210703,2025年3月,5.2,草稿,,\n"
		   "STOCK,JZ-KFQ,2025-03,1234,,,\n"
		   "RATE,JZ-KFQ,2025年3月,,,,\n",
		   p[3]);
	write_file(fx->dir, "目标.csv",
		   "指标代码,地区代码,年度,目标值,类型\n"
		   "GDP,210700,2025,600,年度\n"
		   "GDP,210700,2025,3000,规划\n",
		   p[4]);
	write_file(fx->dir, "对标.csv",
		   "指标代码,对标组,时期,数值,口径\n"
		   "GDP,全省平均,2025年一季度,5.1,增速\n",
		   p[5]);
	const char *files[] = {p[3], p[5], p[2], p[1], p[0]};
	expect_ok(import(fx, 5, files), "chinese");
	const struct civstat *cs = fx->cs;
	const struct catalog *cat = &cs->cat;
	assert_int_equal(report.added, 4);
	assert_int_equal(report.skipped, 1);
	assert_string_equal(
	    cat->depts[catalog_department(cat, "TJJ", 3)].name_en,
	    "Statistics Bureau");
	assert_int_equal(cat->areas[IA(cs, "JZ-KFQ")].kind, AREA_ZONE);
	assert_int_equal(cat->areas[IA(cs, "210703")].level, 2);
	const struct indicator *gdp = &cat->inds[II(cs, "GDP")];
	assert_int_equal(gdp->pillar, PILLAR_STABLE);
	assert_int_equal(gdp->frequency, FREQ_QUARTER);
	assert_int_equal(gdp->time_agg, TIME_SUM);
	assert_int_equal(cat->ind_dept[II(cs, "GDP")],
			 catalog_department(cat, "TJJ", 3));
	const struct indicator *rate = &cat->inds[II(cs, "RATE")];
	assert_int_equal(rate->pillar, PILLAR_EXCELLENT);
	assert_int_equal(rate->time_agg, TIME_AVG);
	assert_int_equal(rate->area_agg, AREA_AVG);
	assert_int_equal(rate->direction, DIR_DOWN);
	const struct indicator *stock = &cat->inds[II(cs, "STOCK")];
	assert_int_equal(stock->pillar, PILLAR_VITAL);
	assert_int_equal(stock->time_agg, TIME_LAST);
	assert_int_equal(stock->area_agg, AREA_NONE);
	CHECK_NUM(own(cs, "GDP", "210700", MI(2025, 3)), 120.5, "GDP Q1");
	CHECK_NUM(own(cs, "GDP", "210700", MI(2025, 6)), 130, "GDP Q2");
	assert_int_equal(
	    cube_flags(&cs->cube, II(cs, "GDP"), IA(cs, "210700"), MI(2025, 3)),
	    VALUE_SUBMITTED | VALUE_SAMPLE | VALUE_COMMENT);
	CHECK_NUM(own(cs, "RATE", "210703", MI(2025, 3)), 5.2, "RATE");
	assert_int_equal(cube_flags(&cs->cube, II(cs, "RATE"), IA(cs, "210703"),
				    MI(2025, 3)),
			 VALUE_DRAFT);
	CHECK_NUM(own(cs, "STOCK", "JZ-KFQ", MI(2025, 3)), 1234, "STOCK");
	CHECK_NUM(own(cs, "RATE", "JZ-KFQ", MI(2025, 3)), NAN, "skipped");
	double v;
	int g = catalog_group(cat, "全省平均", strlen("全省平均"));
	assert_true(g >= 0);
	assert_true(cube_benchmark(&cs->cube, II(cs, "GDP"), g, MI(2025, 3),
				   PERIOD_QUARTER, MEASURE_GROWTH, &v));
	CHECK_NUM(v, 5.1, "benchmark");
	/* targets.csv's value column is 目标值 in Chinese (docs/formats.md) */
	const char *targets[] = {p[4]};
	expect_ok(import(fx, 1, targets), "chinese targets");
	assert_true(cube_target(&cs->cube, II(cs, "GDP"), IA(cs, "210700"),
				2025, TARGET_ANNUAL, &v));
	CHECK_NUM(v, 600, "annual target");
	assert_true(cube_target(&cs->cube, II(cs, "GDP"), IA(cs, "210700"),
				2025, TARGET_PLAN, &v));
	CHECK_NUM(v, 3000, "plan target");
	report_done();
}

/* A byte order mark before the header, UTF-8 and GB18030 alike. */
static void test_bom_and_gb18030(void **state)
{
	struct fixture *fx = *state;
	char p[3][256];
	load_base(fx);
	write_file(fx->dir, "bom.csv",
		   "\xef\xbb\xbfindicator,area,period,value\n"
		   "FAI,210703,2025-02,8\n",
		   p[0]);
	write_file(fx->dir, "bom_zh.csv",
		   "\xef\xbb\xbf指标代码,地区代码,时期,数值\r\n"
		   "FAI,210726,2025年2月,9\r\n",
		   p[1]);
	/* 指标代码,地区代码,时期,数值 / FAI,210703,2025年3月,10 in GB18030 */
	static const char gb[] =
	    "\xd6\xb8\xb1\xea\xb4\xfa\xc2\xeb,\xb5\xd8\xc7\xf8\xb4\xfa\xc2\xeb,"
	    "\xca\xb1\xc6\xda,\xca\xfd\xd6\xb5\n"
	    "FAI,210703,2025\xc4\xea"
	    "3\xd4\xc2,10\n";
	write_file(fx->dir, "gb.csv", gb, p[2]);
	const char *files[] = {p[0], p[1], p[2]};
	expect_ok(import(fx, 3, files), "bom");
	assert_int_equal(report.rows[IMPORT_VALUES], 3);
	assert_int_equal(report.added, 3);
	CHECK_NUM(own(fx->cs, "FAI", "210703", MI(2025, 2)), 8, "bom");
	CHECK_NUM(own(fx->cs, "FAI", "210726", MI(2025, 2)), 9, "bom zh");
	CHECK_NUM(own(fx->cs, "FAI", "210703", MI(2025, 3)), 10, "gb18030");
	report_done();
}

static void test_sdmx(void **state)
{
	struct fixture *fx = *state;
	char p[2][256];
	load_base(fx);
	write_file(fx->dir, "feb.csv",
		   "indicator,area,period,value\nFAI,210703,2025-02,11\n",
		   p[0]);
	const char *feb[] = {p[0]};
	expect_ok(import(fx, 1, feb), "february");
#define DF "dataflow,CIVSTAT:DF_INDICATORS(1.0),"
	write_file(
	    fx->dir, "sdmx.csv",
	    "STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,"
	    "TIME_PERIOD,OBS_VALUE,OBS_STATUS,COMMENT\n" DF
	    "I,FAI,210703,2025-01,10.5,,\n" DF "I,FAI,210703,2025-03,13,,\n" DF
	    "D,FAI,210703,2025-02,,,\n" DF "I,FAI,210726,2025-01,5,,\n" DF
	    "D,FAI,210726,2025-05,,,\n" DF "I,GDP,210700,2025-Q2,140,,\n",
	    p[1]);
	const char *sdmx[] = {p[1]};
	expect_ok(import(fx, 1, sdmx), "sdmx");
	const struct civstat *cs = fx->cs;
	assert_int_equal(report.rows[IMPORT_SDMX], 6);
	assert_int_equal(report.added, 2);     /* March, GDP Q2 */
	assert_int_equal(report.changed, 2);   /* February deleted, 210726 */
	assert_int_equal(report.unchanged, 2); /* January, deleting nothing */
	CHECK_NUM(own(cs, "FAI", "210703", MI(2025, 1)), 10.5, "I unchanged");
	CHECK_NUM(own(cs, "FAI", "210726", MI(2025, 1)), 5, "I changed");
	CHECK_NUM(own(cs, "FAI", "210703", MI(2025, 3)), 13, "I added");
	CHECK_NUM(own(cs, "FAI", "210703", MI(2025, 2)), NAN, "D");
	CHECK_NUM(own(cs, "GDP", "210700", MI(2025, 6)), 140, "quarter");
	CHECK_NUM(value(cs, "FAI", "210700", MI(2025, 2), MI(2025, 2)), NAN,
		  "nothing left in February at the root");
	CHECK_NUM(value(cs, "FAI", "210700", MI(2025, 1), MI(2025, 3)), 28.5,
		  "the quarter at the root");
	/* The store agrees. */
	struct series s;
	assert_int_equal(
	    cs->st->ops->get_series(cs->st, cs->cat.inds[II(cs, "FAI")].id,
				    cs->cat.areas[IA(cs, "210703")].id, &s),
	    CS_OK);
	assert_true(isnan(s.value[MI(2025, 2) - s.first_month]));
	CHECK_NUM(s.value[MI(2025, 3) - s.first_month], 13, "stored March");
	series_release(&s);

	/* VALUE_STATE and OBS_STATUS E (sample data). */
	write_file(fx->dir, "sdmx2.csv",
		   "STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,"
		   "TIME_PERIOD,OBS_VALUE,OBS_STATUS,VALUE_STATE,COMMENT\n" DF
		   "I,FAI,210703,2025-04,14,E,submitted,来自月报\n" DF
		   "I,FAI,210703,2025-03,13,A,,\n",
		   p[1]);
#undef DF
	expect_ok(import(fx, 1, sdmx), "sdmx state");
	assert_int_equal(report.added, 1);
	assert_int_equal(report.unchanged, 1);
	assert_int_equal(
	    cube_flags(&cs->cube, II(cs, "FAI"), IA(cs, "210703"), MI(2025, 4)),
	    VALUE_SUBMITTED | VALUE_SAMPLE | VALUE_COMMENT);
	report_done();
}

/* added, changed, unchanged, skipped; and again: all unchanged. */
static void test_report_counts(void **state)
{
	struct fixture *fx = *state;
	char p[256];
	load_base(fx);
	write_file(fx->dir, "update.csv",
		   "indicator,area,period,value,state\n"
		   "FAI,210703,2025-01,10.5,\n"	       /* unchanged */
		   "FAI,210703,2025-02,99,\n"	       /* added */
		   "FAI,210726,2025-01,4.5,draft\n"    /* changed: state */
		   "UNEMP,210726,2025-01,5.75,draft\n" /* changed: value */
		   "FAI,210726,2025-03,,\n"	       /* skipped */
		   "FAI,210703,2025-03, ,\n",	       /* skipped */
		   p);
	const char *files[] = {p};
	expect_ok(import(fx, 1, files), "update");
	assert_int_equal(report.rows[IMPORT_VALUES], 6);
	assert_int_equal(report.added, 1);
	assert_int_equal(report.changed, 2);
	assert_int_equal(report.unchanged, 1);
	assert_int_equal(report.skipped, 2);
	assert_int_equal(cube_flags(&fx->cs->cube, II(fx->cs, "FAI"),
				    IA(fx->cs, "210726"), MI(2025, 1)) &
			     VALUE_STATE_MASK,
			 VALUE_DRAFT);
	CHECK_NUM(own(fx->cs, "UNEMP", "210726", MI(2025, 1)), 5.75, "UNEMP");

	/* The same file again changes nothing. */
	expect_ok(import(fx, 1, files), "again");
	assert_int_equal(report.added, 0);
	assert_int_equal(report.changed, 0);
	assert_int_equal(report.unchanged, 4);
	assert_int_equal(report.skipped, 2);

	/* The base files again: all unchanged but what update.csv changed. */
	char q[256];
	write_file(fx->dir, "values.csv", VALUES, q);
	const char *base[] = {q};
	expect_ok(import(fx, 1, base), "base values again");
	assert_int_equal(report.added, 0);
	assert_int_equal(report.changed, 2);
	assert_int_equal(report.unchanged, 3);
	expect_ok(import(fx, 1, base), "base values once more");
	assert_int_equal(report.changed, 0);
	assert_int_equal(report.unchanged, 5);

	/* A dry run counts but stores nothing. */
	struct snapshot before, after;
	snapshot_take(fx, &before);
	struct import_opts o = {.dry_run = 1};
	expect_ok(import_opts(fx, &o, 1, files), "dry run");
	snapshot_take(fx, &after);
	snapshot_same(&before, &after, "dry run");
	snapshot_release(&before);
	snapshot_release(&after);
	assert_int_equal(report.added, 0);
	assert_int_equal(report.changed, 2);
	assert_int_equal(report.unchanged, 2);
	CHECK_NUM(own(fx->cs, "UNEMP", "210726", MI(2025, 1)), 5.5,
		  "dry run left the cube");
	report_done();
}

/*
 * A file without a comment column says nothing about comments: a figure
 * that has one keeps it, and a figure with the same value and state is
 * "unchanged" ("changed" is a new value or state).
 */
static void test_comment_kept(void **state)
{
	struct fixture *fx = *state;
	char p[256];
	load_base(fx);
	write_file(fx->dir, "no_comment.csv",
		   "indicator,area,period,value,state,sample\n"
		   "FAI,210726,2025-01,4.5,submitted,1\n",
		   p);
	const char *files[] = {p};
	expect_ok(import(fx, 1, files), "no comment column");
	assert_int_equal(report.changed, 0);
	assert_int_equal(report.unchanged, 1);
	const struct civstat *cs = fx->cs;
	assert_int_equal(
	    cube_flags(&cs->cube, II(cs, "FAI"), IA(cs, "210726"), MI(2025, 1)),
	    VALUE_SUBMITTED | VALUE_SAMPLE | VALUE_COMMENT);
	/* and after a reopen, from the store */
	civstat_close(fx->cs);
	fx->cs = NULL;
	assert_int_equal(civstat_open(fx->db, 0, &fx->cs), CS_OK);
	cs = fx->cs;
	assert_int_equal(
	    cube_flags(&cs->cube, II(cs, "FAI"), IA(cs, "210726"), MI(2025, 1)),
	    VALUE_SUBMITTED | VALUE_SAMPLE | VALUE_COMMENT);
	char *comment = NULL;
	assert_int_equal(
	    cs->st->ops->get_comment(cs->st, cs->cat.inds[II(cs, "FAI")].id,
				     cs->cat.areas[IA(cs, "210726")].id,
				     MI(2025, 1), &comment),
	    CS_OK);
	assert_non_null(comment);
	assert_string_equal(comment, "seed:L62");
	free(comment);
	report_done();
}

/* ---- history ---------------------------------------------------------- */

struct entry {
	long change_id, prev_change;
	char what[256], actor[32];
	double before, after;
	int state_before, state_after;
};

struct entries {
	int n;
	struct entry e[8];
};

static int collect(void *ctx, const struct value_change *c)
{
	struct entries *es = ctx;
	assert_true(es->n < 8);
	struct entry *e = &es->e[es->n++];
	e->change_id = c->change_id;
	e->prev_change = c->prev_change;
	snprintf(e->what, sizeof e->what, "%s", c->what ? c->what : "");
	snprintf(e->actor, sizeof e->actor, "%s", c->actor ? c->actor : "");
	e->before = c->before;
	e->after = c->after;
	e->state_before = c->state_before;
	e->state_after = c->state_after;
	assert_non_null(c->at);
	assert_true(strlen(c->at) >= 20); /* 2025-01-01T00:00:00.000Z */
	return CS_OK;
}

static void history(const struct civstat *cs, const char *ind, const char *area,
		    int m, struct entries *es)
{
	memset(es, 0, sizeof *es);
	assert_int_equal(store_scan_history(cs->st, cs->cat.inds[II(cs, ind)].id,
			     cs->cat.areas[IA(cs, area)].id, m, collect, es),
			 CS_OK);
}

static void test_history(void **state)
{
	struct fixture *fx = *state;
	char p[2][256], what[300];
	struct entries es;
	load_base(fx);
	write_file(fx->dir, "v1.csv",
		   "indicator,area,period,value\nFAI,210703,2025-02,11\n",
		   p[0]);
	write_file(fx->dir, "v2.csv",
		   "indicator,area,period,value,state\n"
		   "FAI,210703,2025-02,12.25,submitted\n",
		   p[1]);
	const char *v1[] = {p[0]}, *v2[] = {p[1]};
	expect_ok(import(fx, 1, v1), "v1");
	history(fx->cs, "FAI", "210703", MI(2025, 2), &es);
	assert_int_equal(es.n, 1);
	snprintf(what, sizeof what, "import %s", p[0]);
	assert_string_equal(es.e[0].what, what);
	CHECK_NUM(es.e[0].after, 11, "first import");

	expect_ok(import(fx, 1, v2), "v2");
	history(fx->cs, "FAI", "210703", MI(2025, 2), &es);
	assert_int_equal(es.n, 2);
	/* the import that set it, then the one that changed it */
	assert_string_equal(es.e[0].what, what);
	CHECK_NUM(es.e[0].after, 11, "set by v1");
	snprintf(what, sizeof what, "import %s", p[1]);
	assert_string_equal(es.e[1].what, what);
	assert_string_equal(es.e[1].actor, "cli");
	CHECK_NUM(es.e[1].before, 11, "before v2");
	CHECK_NUM(es.e[1].after, 12.25, "after v2");
	assert_int_equal(es.e[1].state_before, VALUE_APPROVED);
	assert_int_equal(es.e[1].state_after, VALUE_SUBMITTED);
	assert_int_equal(es.e[1].prev_change, es.e[0].change_id);
	assert_true(es.e[1].change_id > es.e[0].change_id);

	/* the same file again leaves no history */
	expect_ok(import(fx, 1, v2), "v2 again");
	assert_int_equal(report.unchanged, 1);
	history(fx->cs, "FAI", "210703", MI(2025, 2), &es);
	assert_int_equal(es.n, 2);

	/* one figure set by hand comes after */
	assert_int_equal(value_set(fx->cs, II(fx->cs, "FAI"),
				   IA(fx->cs, "210703"), MI(2025, 2), 13,
				   VALUE_APPROVED, NULL),
			 CS_OK);
	history(fx->cs, "FAI", "210703", MI(2025, 2), &es);
	assert_int_equal(es.n, 3);
	assert_string_equal(es.e[2].what, "set FAI 210703 2025-02");
	CHECK_NUM(es.e[2].before, 12.25, "before the hand");
	CHECK_NUM(es.e[2].after, 13, "after the hand");
	assert_int_equal(es.e[2].prev_change, es.e[1].change_id);

	/* and an import changing it again after that */
	expect_ok(import(fx, 1, v1), "v1 again");
	assert_int_equal(report.changed, 1);
	history(fx->cs, "FAI", "210703", MI(2025, 2), &es);
	assert_int_equal(es.n, 4);
	CHECK_NUM(es.e[3].before, 13, "before v1 again");
	CHECK_NUM(es.e[3].after, 11, "after v1 again");

	/* a figure from the base import has its import alone */
	history(fx->cs, "FAI", "210726", MI(2025, 1), &es);
	assert_int_equal(es.n, 1);
	CHECK_NUM(es.e[0].after, 4.5, "base import");
	assert_int_equal(strncmp(es.e[0].what, "import ", 7), 0);
	report_done();
}

/* ---- bad input -------------------------------------------------------- */

static const struct bad_case {
	const char *what;
	const char *name; /* the bad file's name */
	const char *text;
	const char *where; /* after the path: ":3:4:"; '#' is a column number */
	const char *value; /* what the message must show */
	long n_errors;
} bad_cases[] = {
    {"unknown column", "values_bad.csv",
     "indicator,area,period,value,colour\nFAI,210703,2025-02,1,red\n",
     ":1:5:", "\"colour\"", 1},
    {"missing column", "values_bad.csv",
     "indicator,area,period\nFAI,210703,2025-02\n", ":1:", "\"value\"", 1},
    {"not a number", "values_bad.csv",
     "indicator,area,period,value\nFAI,210703,2025-02,1\n"
     "FAI,210703,2025-03,\"12,3\"\n",
     ":3:4:", "\"12,3\"", 1},
    {"not a number either", "values_bad.csv",
     "indicator,area,period,value\nFAI,210703,2025-02,1e999\n",
     ":2:4:", "\"1e999\"", 1},
    {"unknown area", "values_bad.csv",
     "indicator,area,period,value\nFAI,NOPE,2025-02,1\n", ":2:2:", "\"NOPE\"",
     1},
    {"duplicate figure", "values_bad.csv",
     "indicator,area,period,value\nFAI,210703,2025-02,1\n"
     "FAI,210726,2025-02,1\nFAI,210703,2025-02,2\n",
     ":4: ", "2025-02", 1}, /* a whole key repeats: no one column */
    {"bad period", "values_bad.csv",
     "indicator,area,period,value\nFAI,210703,2025-13,1\n",
     ":2:3:", "\"2025-13\"", 1},
    {"unknown indicator", "values_bad.csv",
     "indicator,area,period,value\nNOPE,210703,2025-02,1\n",
     ":2:1:", "\"NOPE\"", 1},
    {"month of a quarterly indicator", "values_bad.csv",
     "indicator,area,period,value\nGDP,210700,2025-02,1\n",
     ":2:3:", "\"2025-02\"", 1},
    {"unknown state", "values_bad.csv",
     "indicator,area,period,value,state\nFAI,210703,2025-02,1,final\n",
     ":2:5:", "\"final\"", 1},
    {"figure of a derived indicator", "values_bad.csv",
     "indicator,area,period,value\nFAI_SHARE,210703,2025-02,1\n",
     ":2:1:", "FAI_SHARE", 1},
    {"sdmx value", "sdmx_bad.csv",
     "STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,"
     "OBS_VALUE\ndataflow,CIVSTAT:DF_INDICATORS(1.0),I,FAI,210703,2025-02,"
     "x1\n",
     ":2:7:", "\"x1\"", 1},
    {"sdmx action", "sdmx_bad.csv",
     "STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,"
     "OBS_VALUE\ndataflow,CIVSTAT:DF_INDICATORS(1.0),X,FAI,210703,2025-02,"
     "1\n",
     ":2:3:", "\"X\"", 1},
    {"unknown parent", "areas_bad.csv", "code,name,parent\nNEW2,新区,NOPE\n",
     ":2:3:", "\"NOPE\"", 1},
    {"unknown pillar", "indicators_bad.csv",
     "code,name,pillar\nX1,某指标,money\n", ":2:3:", "\"money\"", 1},
    {"unknown formula reference", "indicators_bad.csv",
     "code,name,pillar,formula\nX1,某指标,stable,FAI / NOPE\n",
     ":2:4:", "\"NOPE\"", 1},
    {"bad target year", "targets_bad.csv",
     "indicator,area,year,value\nFAI,210703,20x5,1\n", ":2:3:", "\"20x5\"", 1},
    {"bad benchmark measure", "benchmarks_bad.csv",
     "indicator,group,period,value,measure\nFAI,大连,2025-02,1,speed\n",
     ":2:5:", "\"speed\"", 1},
};

/* Nonzero when z starts with pattern, '#' matching one or more digits. */
static int matches(const char *z, const char *pattern)
{
	for (; *pattern; pattern++) {
		if (*pattern == '#') {
			if (*z < '0' || *z > '9')
				return 0;
			while (*z >= '0' && *z <= '9')
				z++;
		} else if (*z++ != *pattern) {
			return 0;
		}
	}
	return 1;
}

/* Appends a line to the problems found so far. */
static __attribute__((format(printf, 3, 4))) void problem(char *buf, size_t cap,
							  const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;
	if (n + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, cap - n, fmt, ap);
	va_end(ap);
	n = strlen(buf);
	if (n + 1 < cap)
		strcpy(buf + n, "\n");
}

static const struct bad_case *bad_case(const char *what)
{
	for (size_t k = 0; k < NELEM(bad_cases); k++)
		if (!strcmp(bad_cases[k].what, what))
			return &bad_cases[k];
	fail_msg("no case %s", what);
	return NULL;
}

/* Every case is tried; what went wrong is listed at the end. */
static void test_bad_input(void **state)
{
	struct fixture *fx = *state;
	char good[256], badf[256];
	static char problems[8192];
	problems[0] = 0;
	load_base(fx);
	/* A good file imported with the bad one must not be stored either. */
	write_file(fx->dir, "areas_new.csv",
		   "code,name,parent\nNEW,新区,210700\n", good);
	for (size_t k = 0; k < NELEM(bad_cases); k++) {
		const struct bad_case *bc = &bad_cases[k];
		struct snapshot before, after;
		int n_areas = fx->cs->cat.n_areas, n_inds = fx->cs->cat.n_inds;
		write_file(fx->dir, bc->name, bc->text, badf);
		snapshot_take(fx, &before);
		const char *files[] = {good, badf};
		int rc = import(fx, 2, files);
		snapshot_take(fx, &after);
		const char *msg = report.n_shown ? report.errors[0] : "-";
		size_t np = strlen(badf);
		if (rc != CS_EINVAL)
			problem(problems, sizeof problems,
				"%s: rc %d, want CS_EINVAL (%s)", bc->what, rc,
				cs_errmsg());
		if (report.n_errors != bc->n_errors || report.n_shown < 1)
			problem(problems, sizeof problems,
				"%s: %ld errors, want %ld; first: %s", bc->what,
				report.n_errors, bc->n_errors, msg);
		if (strncmp(msg, badf, np) || !matches(msg + np, bc->where))
			problem(problems, sizeof problems,
				"%s: \"%s\" does not start with %s%s", bc->what,
				msg, badf, bc->where);
		if (!strstr(msg, bc->value))
			problem(problems, sizeof problems,
				"%s: \"%s\" does not name %s", bc->what, msg,
				bc->value);
		if (before.n_db != after.n_db ||
		    memcmp(before.db, after.db, before.n_db) ||
		    before.n_wal != after.n_wal ||
		    (before.n_wal &&
		     memcmp(before.wal, after.wal, before.n_wal)))
			problem(problems, sizeof problems,
				"%s: the database's bytes changed", bc->what);
		snapshot_release(&before);
		snapshot_release(&after);
		/* Nothing of either file in the catalog or the cube. */
		if (fx->cs->cat.n_areas != n_areas ||
		    fx->cs->cat.n_inds != n_inds ||
		    catalog_area(&fx->cs->cat, "NEW", 3) != -1)
			problem(problems, sizeof problems,
				"%s: the catalog changed", bc->what);
		if (own(fx->cs, "FAI", "210703", MI(2025, 1)) != 10.5 ||
		    !isnan(own(fx->cs, "FAI", "210703", MI(2025, 2))) ||
		    value(fx->cs, "FAI", "210700", MI(2025, 1), MI(2025, 1)) !=
			15)
			problem(problems, sizeof problems,
				"%s: the cube changed", bc->what);
	}
	/* The duplicate names where the first figure was. */
	const struct bad_case *dup = bad_case("duplicate figure");
	write_file(fx->dir, dup->name, dup->text, badf);
	const char *files[] = {badf};
	assert_int_equal(import(fx, 1, files), CS_EINVAL);
	char first[300];
	snprintf(first, sizeof first, "%s:2)", badf);
	if (!strstr(report.errors[0], first))
		problem(problems, sizeof problems,
			"duplicate: \"%s\" does not name %s", report.errors[0],
			first);
	/* After all that, a good import still works. */
	const char *ok[] = {good};
	expect_ok(import(fx, 1, ok), "good after bad");
	assert_true(catalog_area(&fx->cs->cat, "NEW", 3) >= 0);
	report_done();
	if (problems[0])
		fail_msg("\n%s", problems);
}

/* Errors from two files, in reading order; a missing file. */
static void test_errors_across_files(void **state)
{
	struct fixture *fx = *state;
	char p[2][256], missing[256];
	load_base(fx);
	write_file(fx->dir, "a_bad.csv",
		   "indicator,area,period,value\nFAI,Q1,2025-02,1\n", p[0]);
	write_file(fx->dir, "b_bad.csv",
		   "indicator,area,period,value\nFAI,210703,2025-02,1\n"
		   "FAI,Q2,2025-03,2\n",
		   p[1]);
	const char *files[] = {p[0], p[1]};
	assert_int_equal(import(fx, 2, files), CS_EINVAL);
	assert_int_equal(report.n_errors, 2);
	assert_int_equal(report.n_shown, 2);
	assert_true(matches(report.errors[0] + strlen(p[0]), ":2:2:") &&
		    !strncmp(report.errors[0], p[0], strlen(p[0])));
	assert_true(matches(report.errors[1] + strlen(p[1]), ":3:2:") &&
		    !strncmp(report.errors[1], p[1], strlen(p[1])));

	/* A file that is not there: not an input error, nothing stored. */
	struct snapshot before, after;
	snprintf(missing, sizeof missing, "%s/nowhere.csv", fx->dir);
	write_file(fx->dir, "good.csv",
		   "indicator,area,period,value\nFAI,210703,2025-02,1\n", p[0]);
	const char *with_missing[] = {p[0], missing};
	snapshot_take(fx, &before);
	int rc = import(fx, 2, with_missing);
	snapshot_take(fx, &after);
	assert_int_equal(rc, CS_ENOTFOUND);
	assert_non_null(strstr(cs_errmsg(), "nowhere.csv"));
	snapshot_same(&before, &after, "missing file");
	snapshot_release(&before);
	snapshot_release(&after);
	CHECK_NUM(own(fx->cs, "FAI", "210703", MI(2025, 2)), NAN,
		  "nothing of the good file");
	report_done();
}

/* More than IMPORT_MAX_ERRORS: the first 20 are kept, all are counted. */
static void test_many_errors(void **state)
{
	struct fixture *fx = *state;
	char p[256], *text = malloc(8192);
	size_t n = 0;
	assert_non_null(text);
	load_base(fx);
	n += (size_t)sprintf(text + n, "indicator,area,period,value\n");
	for (int k = 1; k <= 25; k++)
		n += (size_t)sprintf(text + n, "FAI,U%d,2025-02,%d\n", k, k);
	/* and a row with two errors */
	n += (size_t)sprintf(text + n, "FAI,U26,2025-14,x\n");
	write_file(fx->dir, "values_bad.csv", text, p);
	free(text);
	struct snapshot before, after;
	snapshot_take(fx, &before);
	const char *files[] = {p};
	assert_int_equal(import(fx, 1, files), CS_EINVAL);
	snapshot_take(fx, &after);
	snapshot_same(&before, &after, "many errors");
	snapshot_release(&before);
	snapshot_release(&after);
	assert_true(report.n_errors >= 27);
	assert_int_equal(report.n_shown, IMPORT_MAX_ERRORS);
	for (int k = 0; k < IMPORT_MAX_ERRORS; k++) {
		char where[300], name[16];
		snprintf(where, sizeof where, "%s:%d:2:", p, k + 2);
		snprintf(name, sizeof name, "\"U%d\"", k + 1);
		if (strncmp(report.errors[k], where, strlen(where)) ||
		    !strstr(report.errors[k], name))
			fail_msg("error %d: \"%s\", want %s ... %s", k,
				 report.errors[k], where, name);
	}
	report_done();
}

/*
 * A figures file of 16 MB or more is read in two halves: the figures,
 * the line numbers of errors and the duplicates across the halves must be
 * as with one reader.  Rows are padded with blanks, which the importer
 * trims, to reach the size with few figures.
 */
#define BIG_ROWS 9000
#define BIG_PAD	 1900

static char *big_file(size_t *len, const int *bad_lines, int n_bad, int dup_of,
		      int dup_at)
{
	size_t cap = (size_t)(BIG_ROWS + 2) * (BIG_PAD + 64);
	char *text = malloc(cap), *pad = malloc(BIG_PAD + 1);
	size_t n = 0;
	assert_non_null(text);
	assert_non_null(pad);
	memset(pad, ' ', BIG_PAD);
	pad[BIG_PAD] = 0;
	n += (size_t)sprintf(text, "indicator,area,period,value\n");
	for (int k = 0; k < BIG_ROWS; k++) {
		int line = k + 2, m = MI(1900, 1) + k, bad = 0;
		for (int j = 0; j < n_bad; j++)
			bad |= bad_lines[j] == line;
		if (line == dup_at)
			m = MI(1900, 1) + dup_of - 2;
		struct period p = period_from_month_index(m);
		char per[16];
		period_format(&p, per, sizeof per);
		n += (size_t)snprintf(text + n, cap - n, "FAI,%s,%s,%s%d\n",
				      bad ? "NOPE" : "JZ-KFQ", per, pad, k % 7);
	}
	free(pad);
	assert_true(n >= (16u << 20));
	*len = n;
	return text;
}

static void test_large_file(void **state)
{
	struct fixture *fx = *state;
	char p[256];
	size_t len;
	load_base(fx);

	/* Errors in both halves, and more than 20 of them. */
	int bad[30];
	for (int k = 0; k < 15; k++) {
		bad[k] = 3 + 100 * k;		       /* first half */
		bad[15 + k] = BIG_ROWS - 200 + 10 * k; /* second half */
	}
	char *text = big_file(&len, bad, 30, 0, 0);
	write_file_n(fx->dir, "big_bad.csv", text, len, p);
	free(text);
	struct snapshot before, after;
	snapshot_take(fx, &before);
	const char *files[] = {p};
	assert_int_equal(import(fx, 1, files), CS_EINVAL);
	snapshot_take(fx, &after);
	snapshot_same(&before, &after, "large file with errors");
	snapshot_release(&before);
	snapshot_release(&after);
	assert_int_equal(report.n_errors, 30);
	assert_int_equal(report.n_shown, IMPORT_MAX_ERRORS);
	for (int k = 0; k < IMPORT_MAX_ERRORS; k++) {
		char where[300];
		snprintf(where, sizeof where, "%s:%d:2:", p, bad[k]);
		if (strncmp(report.errors[k], where, strlen(where)))
			fail_msg("error %d: \"%.200s\", want %s", k,
				 report.errors[k], where);
	}

	/* A duplicate whose first is in the other half. */
	text = big_file(&len, NULL, 0, 10, BIG_ROWS - 5);
	write_file_n(fx->dir, "big_dup.csv", text, len, p);
	free(text);
	assert_int_equal(import(fx, 1, files), CS_EINVAL);
	assert_int_equal(report.n_errors, 1);
	char where[300];
	snprintf(where, sizeof where, "%s:%d", p, BIG_ROWS - 5);
	if (strncmp(report.errors[0], where, strlen(where)))
		fail_msg("\"%.300s\", want %s", report.errors[0], where);
	snprintf(where, sizeof where, "%s:10)", p);
	if (!strstr(report.errors[0], where))
		fail_msg("\"%.300s\" does not name %s", report.errors[0],
			 where);

	/* And without errors: every figure where it belongs. */
	text = big_file(&len, NULL, 0, 0, 0);
	write_file_n(fx->dir, "big.csv", text, len, p);
	free(text);
	expect_ok(import(fx, 1, files), "large file");
	assert_int_equal(report.rows[IMPORT_VALUES], BIG_ROWS);
	assert_int_equal(report.added, BIG_ROWS);
	double total = 0;
	for (int k = 0; k < BIG_ROWS; k++) {
		CHECK_NUM(own(fx->cs, "FAI", "JZ-KFQ", MI(1900, 1) + k), k % 7,
			  "row %d", k + 2);
		total += k % 7;
	}
	CHECK_NUM(value(fx->cs, "FAI", "210700", MI(1900, 1),
			MI(1900, 1) + BIG_ROWS - 1),
		  total + 15, "all of it at the root, with the base figures");

	/* The same file again: nothing changes. */
	report_done();
	expect_ok(import(fx, 1, files), "large file again");
	assert_int_equal(report.unchanged, BIG_ROWS);
	assert_int_equal(report.added + report.changed, 0);

	/* Two figures changed, one in each half: they are written with
	 * their history, and the cube follows after the commit. */
	const int at[2] = {5, BIG_ROWS - 3};
	text = big_file(&len, NULL, 0, 0, 0);
	for (int j = 0; j < 2; j++) {
		char *q = text;
		for (int line = 1; line < at[j] + 2; line++)
			q = strchr(q, '\n') + 1;
		*(strchr(q, '\n') - 1) = '9';
		total += 9 - at[j] % 7;
	}
	write_file_n(fx->dir, "big2.csv", text, len, p);
	free(text);
	report_done();
	expect_ok(import(fx, 1, files), "large file, two changed");
	assert_int_equal(report.changed, 2);
	assert_int_equal(report.unchanged, BIG_ROWS - 2);
	for (int j = 0; j < 2; j++) {
		struct entries es;
		CHECK_NUM(own(fx->cs, "FAI", "JZ-KFQ", MI(1900, 1) + at[j]), 9,
			  "changed row %d", at[j] + 2);
		history(fx->cs, "FAI", "JZ-KFQ", MI(1900, 1) + at[j], &es);
		/* Added by the first import, changed by this one. */
		assert_int_equal(es.n, 2);
		CHECK_NUM(es.e[1].before, at[j] % 7, "history before");
		CHECK_NUM(es.e[1].after, 9, "history after");
	}
	CHECK_NUM(value(fx->cs, "FAI", "210700", MI(1900, 1),
			MI(1900, 1) + BIG_ROWS - 1),
		  total + 15, "the root follows");
	report_done();
}

/*
 * An areas file that moves an area: its children, not in the file, move
 * with it, and the figures add up under the new parent.
 */
static void test_move_area(void **state)
{
	struct fixture *fx = *state;
	char p[3][256];
	write_file(fx->dir, "areas.csv",
		   "code,name,parent\n"
		   "R,市,\n"
		   "A,甲区,R\n"
		   "B,乙区,R\n"
		   "A1,甲一镇,A\n"
		   "B1,乙一镇,B\n"
		   "B2,乙二村,B1\n",
		   p[0]);
	write_file(fx->dir, "indicators.csv", "code,name,pillar\nFAI,投资,活\n",
		   p[1]);
	write_file(fx->dir, "values.csv",
		   "indicator,area,period,value\n"
		   "FAI,A1,2025-01,1\nFAI,B2,2025-01,2\n",
		   p[2]);
	const char *files[] = {p[0], p[1], p[2]};
	expect_ok(import(fx, 3, files), "tree");
	/* A (with A1 under it) moves under B2. */
	write_file(fx->dir, "areas_move.csv", "code,name,parent\nA,甲区,B2\n",
		   p[0]);
	const char *move[] = {p[0]};
	expect_ok(import(fx, 1, move), "move");
	const struct civstat *cs = fx->cs;
	assert_int_equal(cs->cat.parent[IA(cs, "A")], IA(cs, "B2"));
	assert_int_equal(cs->cat.areas[IA(cs, "A")].level, 5);
	assert_int_equal(cs->cat.areas[IA(cs, "A1")].level, 6);
	/* B2 reports its own figure, which stands for everything below it
	 * (A1 now included); A1 still counts in A. */
	CHECK_NUM(value(cs, "FAI", "B", MI(2025, 1), MI(2025, 1)), 2,
		  "B2's own figure stands for its subtree");
	CHECK_NUM(value(cs, "FAI", "A", MI(2025, 1), MI(2025, 1)), 1,
		  "A holds A1");
	report_done();
}

/* An id that another area already has is bad input, not a store
 * failure. */
static void test_taken_id(void **state)
{
	struct fixture *fx = *state;
	char p[256];
	load_base(fx);
	int id = fx->cs->cat.areas[IA(fx->cs, "210703")].id;
	char text[128];
	snprintf(text, sizeof text, "id,code,name,parent\n%d,NEW,新区,210700\n",
		 id);
	write_file(fx->dir, "areas_id.csv", text, p);
	struct snapshot before, after;
	snapshot_take(fx, &before);
	const char *files[] = {p};
	int rc = import(fx, 1, files);
	snapshot_take(fx, &after);
	snapshot_same(&before, &after, "taken id");
	snapshot_release(&before);
	snapshot_release(&after);
	if (rc != CS_EINVAL)
		fail_msg("rc %d (%s), want CS_EINVAL naming %s:2:1", rc,
			 cs_errmsg(), p);
	char where[300];
	snprintf(where, sizeof where, "%s:2:1:", p);
	assert_true(report.n_shown >= 1);
	if (strncmp(report.errors[0], where, strlen(where)))
		fail_msg("\"%s\" does not start with %s", report.errors[0],
			 where);
	report_done();
}

static void test_kind_names(void **state)
{
	(void)state;
	static const char *const names[] = {
	    [IMPORT_DEPARTMENTS] = "departments",
	    [IMPORT_AREAS] = "areas",
	    [IMPORT_INDICATORS] = "indicators",
	    [IMPORT_VALUES] = "values",
	    [IMPORT_TARGETS] = "targets",
	    [IMPORT_BENCHMARKS] = "benchmarks",
	    [IMPORT_SDMX] = "sdmx",
	};
	for (int k = 1; k < IMPORT_NKINDS; k++) {
		assert_string_equal(import_kind_name(k), names[k]);
		assert_int_equal(import_kind_parse(names[k]), k);
	}
	assert_int_equal(import_kind_parse("units"), IMPORT_AREAS);
	assert_int_equal(import_kind_parse("nothing"), -1);
}

/* An explicit kind overrides detection. */
static void test_explicit_kind(void **state)
{
	struct fixture *fx = *state;
	char p[256];
	load_base(fx);
	/* Named and headed like nothing in particular. */
	write_file(fx->dir, "list.csv", "code,name\nSTJ,市税务局\n", p);
	const char *files[] = {p};
	assert_int_equal(import(fx, 1, files), CS_EINVAL);
	assert_int_equal(report.n_errors, 1);
	struct import_opts o = {.kind = IMPORT_DEPARTMENTS};
	expect_ok(import_opts(fx, &o, 1, files), "explicit kind");
	assert_true(catalog_department(&fx->cs->cat, "STJ", 3) >= 0);
	report_done();
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_all_kinds_any_order),
	    T(test_orders),
	    T(test_ids),
	    T(test_chinese_headers),
	    T(test_bom_and_gb18030),
	    T(test_sdmx),
	    T(test_report_counts),
	    T(test_comment_kept),
	    T(test_history),
	    T(test_bad_input),
	    T(test_errors_across_files),
	    T(test_many_errors),
	    T(test_large_file),
	    T(test_move_area),
	    T(test_taken_id),
	    cmocka_unit_test(test_kind_names),
	    T(test_explicit_kind),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
