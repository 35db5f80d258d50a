/*
 * Unit tests of src/analytics/analytics.c over a real SQLite database: the
 * light at and around its thresholds for indicators where higher and lower
 * is better, 序时进度 and 同比 in progress, 同比 and 环比 growth, ranks with
 * ties, the capped score, derived indicators evaluated after aggregation,
 * the pillar summary and the gaps to benchmarks.
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

#include "analytics/analytics.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/civstat.h"
#include "store/store.h"

#include "fixture.h"

/* Within 1e-12 relative, or both NaN. */
#define CHECK_CLOSE(got, want, ...) CHECK_NEAR(got, want, 1e-12, __VA_ARGS__)

/* ---- the city --------------------------------------------------------- */

static const char *const area_codes[] = {"R", "X", "Y", "Z"};

static const struct ind_def {
	const char *code;
	int time_agg, area_agg, direction, pillar, frequency;
	const char *unit, *formula;
	double weight;
} ind_defs[] = {
    {"FLOW", TIME_SUM, AREA_SUM, DIR_UP, PILLAR_STABLE, FREQ_MONTH, "亿元", "",
     10},
    {"RATE", TIME_AVG, AREA_AVG, DIR_UP, PILLAR_VITAL, FREQ_MONTH, "%", "", 20},
    {"DFLOW", TIME_SUM, AREA_SUM, DIR_DOWN, PILLAR_EXCELLENT, FREQ_MONTH, "吨",
     "", 5},
    {"DRATE", TIME_AVG, AREA_AVG, DIR_DOWN, PILLAR_EXCELLENT, FREQ_MONTH, "天",
     "", NAN},
    {"LEVEL", TIME_LAST, AREA_SUM, DIR_UP, PILLAR_STABLE, FREQ_MONTH, "个", "",
     NAN},
    {"A", TIME_SUM, AREA_SUM, DIR_UP, PILLAR_VITAL, FREQ_MONTH, "亿元", "",
     NAN},
    {"B", TIME_SUM, AREA_SUM, DIR_UP, PILLAR_VITAL, FREQ_MONTH, "亿元", "",
     NAN},
    {"SHARE", TIME_SUM, AREA_SUM, DIR_UP, PILLAR_VITAL, FREQ_MONTH, "%",
     "ytd(A) / ytd(B) * 100", NAN},
    {"RATIO", TIME_SUM, AREA_SUM, DIR_UP, PILLAR_VITAL, FREQ_MONTH, "%",
     "A / B * 100", NAN},
    {"APY", TIME_SUM, AREA_SUM, DIR_UP, PILLAR_VITAL, FREQ_MONTH, "亿元",
     "prev_year(A)", NAN},
    {"QF", TIME_SUM, AREA_SUM, DIR_UP, PILLAR_STABLE, FREQ_QUARTER, "亿元", "",
     NAN},
};

static const struct fig_def {
	const char *ind, *area;
	int year, month;
	double value;
} fig_defs[] = {
    {"FLOW", "X", 2024, 1, 13},	   {"FLOW", "X", 2024, 9, 10},
    {"FLOW", "X", 2024, 12, 8},	   {"FLOW", "X", 2025, 1, 10},
    {"FLOW", "X", 2025, 8, 16},	   {"FLOW", "X", 2025, 9, 20},
    {"FLOW", "X", 2025, 10, 1000}, {"FLOW", "Y", 2024, 9, 2},
    {"FLOW", "Y", 2025, 9, 4},	   {"RATE", "X", 2024, 9, 56},
    {"RATE", "X", 2025, 1, 50},	   {"RATE", "X", 2025, 9, 70},
    {"DFLOW", "X", 2024, 9, 0},	   {"DFLOW", "X", 2025, 9, 5},
    {"DRATE", "X", 2025, 9, 105},  {"LEVEL", "X", 2025, 3, 100},
    {"LEVEL", "X", 2025, 6, 120},  {"A", "X", 2024, 2, 7},
    {"A", "Y", 2024, 2, 3},	   {"A", "X", 2025, 1, 1},
    {"A", "X", 2025, 2, 2},	   {"B", "X", 2025, 1, 2},
    {"B", "X", 2025, 2, 6},	   {"A", "Y", 2025, 1, 9},
    {"A", "Y", 2025, 2, 0},	   {"B", "Y", 2025, 1, 6},
    {"B", "Y", 2025, 2, 4},
};

static const struct target_def {
	const char *ind, *area;
	int year;
	double value;
} target_defs[] = {
    {"FLOW", "X", 2025, 80},   {"RATE", "X", 2025, 40},
    {"DFLOW", "X", 2025, 10},  {"DRATE", "X", 2025, 100},
    {"LEVEL", "X", 2025, 100}, {"SHARE", "R", 2025, 50},
    {"FLOW", "Y", 2024, 3},
};

static const struct bench_def {
	const char *ind, *group;
	int year, month, kind, measure;
	double value;
} bench_defs[] = {
    {"FLOW", "全省平均", 2025, 9, PERIOD_MONTH, MEASURE_GROWTH, 75},
    {"FLOW", "沿海6市平均", 2025, 9, PERIOD_MONTH, MEASURE_VALUE, 16},
    {"RATE", "大连", 2025, 9, PERIOD_MONTH, MEASURE_VALUE, 62.5},
    {"FLOW", "全省平均", 2025, 9, PERIOD_QUARTER, MEASURE_GROWTH, 60},
};

struct fixture {
	char dir[FIXTURE_DIR];
	char db[96];
	struct civstat *cs;
};

static int def_index(const char *const *names, size_t n, const char *z)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(names[k], z))
			return (int)k;
	return -1;
}

static int ind_def(const char *code)
{
	for (size_t k = 0; k < NELEM(ind_defs); k++)
		if (!strcmp(ind_defs[k].code, code))
			return (int)k;
	fail_msg("no indicator %s", code);
	return -1;
}

static void build_store(const char *db)
{
	struct store *st;
	int area_id[NELEM(area_codes)], ind_id[NELEM(ind_defs)];
	assert_int_equal(store_open(db, STORE_CREATE, &st), CS_OK);
	assert_int_equal(st->ops->begin(st), CS_OK);
	for (size_t k = 0; k < NELEM(area_codes); k++) {
		struct area a = {
		    .code = (char *)area_codes[k],
		    .name = (char *)area_codes[k],
		    .name_en = (char *)"",
		    .parent_id = k ? area_id[0] : 0,
		    .level = k ? 2 : 1,
		};
		assert_int_equal(st->ops->put_area(st, &a), CS_OK);
		area_id[k] = a.id;
	}
	for (size_t k = 0; k < NELEM(ind_defs); k++) {
		const struct ind_def *d = &ind_defs[k];
		struct indicator ind = {
		    .code = (char *)d->code,
		    .name = (char *)d->code,
		    .name_en = (char *)"",
		    .unit = (char *)d->unit,
		    .source = (char *)"",
		    .formula = (char *)d->formula,
		    .part_of = (char *)"",
		    .pillar = d->pillar,
		    .frequency = d->frequency,
		    .time_agg = d->time_agg,
		    .area_agg = d->area_agg,
		    .direction = d->direction,
		    .decimals = 2,
		    .weight = d->weight,
		    .min = NAN,
		    .max = NAN,
		    .max_jump = NAN,
		};
		assert_int_equal(st->ops->put_indicator(st, &ind), CS_OK);
		ind_id[k] = ind.id;
	}
	for (size_t k = 0; k < NELEM(fig_defs); k++) {
		const struct fig_def *f = &fig_defs[k];
		int i = ind_id[ind_def(f->ind)];
		int a =
		    area_id[def_index(area_codes, NELEM(area_codes), f->area)];
		fixture_put_figure(st, i, a, MI(f->year, f->month), f->value,
				   0);
	}
	for (size_t k = 0; k < NELEM(target_defs); k++) {
		const struct target_def *t = &target_defs[k];
		struct target tg = {
		    ind_id[ind_def(t->ind)],
		    area_id[def_index(area_codes, NELEM(area_codes), t->area)],
		    t->year,
		    TARGET_ANNUAL,
		    t->value,
		    0};
		assert_int_equal(st->ops->put_target(st, &tg), CS_OK);
	}
	for (size_t k = 0; k < NELEM(bench_defs); k++) {
		const struct bench_def *b = &bench_defs[k];
		struct benchmark bm = {ind_id[ind_def(b->ind)],
				       (char *)b->group,
				       MI(b->year, b->month),
				       b->kind,
				       b->measure,
				       b->value,
				       0};
		assert_int_equal(st->ops->put_benchmark(st, &bm), CS_OK);
	}
	assert_int_equal(st->ops->commit(st), CS_OK);
	store_close(st);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	fixture_mkdtemp(fx->dir, "test_analytics");
	fixture_db(fx->db, sizeof fx->db, fx->dir, "city.db");
	build_store(fx->db);
	assert_int_equal(civstat_open(fx->db, 0, &fx->cs), CS_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	civstat_close(fx->cs);
	fixture_rmdir(fx->dir);
	free(fx);
	return 0;
}

static struct period P(const char *z) {
	struct period p;
	if (period_parse(z, strlen(z), &p))
		fail_msg("bad period %s: %s", z, cs_errmsg());
	return p;
}

/* ---- progress --------------------------------------------------------- */

static const struct light_case {
	const char *ind;
	double value;  /* Z's figure at 2025-09; NaN: none */
	double target; /* Z's 2025 target; NaN: none */
	double tolerance;
	double ratio;  /* NaN: only the status is checked ... */
	int ratio_nan; /* ... unless the ratio must be NaN */
	int status;
} light_cases[] = {
    /* up, flow: expected 9/12 */
    {"FLOW", 75, 100, 0.1, 1.0, 0, STATUS_AHEAD},
    {"FLOW", 74.99, 100, 0.1, NAN, 0, STATUS_CLOSE},
    {"FLOW", 56.25, 100, 0.25, 0.75, 0, STATUS_CLOSE},
    {"FLOW", 56.24, 100, 0.25, NAN, 0, STATUS_BEHIND},
    {"FLOW", 120, 100, 0.1, (120.0 / 100) / 0.75, 0, STATUS_AHEAD},
    {"FLOW", 74.99, 100, 0, NAN, 0, STATUS_BEHIND},
    /* up, rate: expected 1 */
    {"RATE", 100, 100, 0.1, 1.0, 0, STATUS_AHEAD},
    {"RATE", 99.99, 100, 0.1, NAN, 0, STATUS_CLOSE},
    {"RATE", 90, 100, ANALYTICS_TOLERANCE, 0.9, 0, STATUS_CLOSE},
    {"RATE", 89.99, 100, ANALYTICS_TOLERANCE, NAN, 0, STATUS_BEHIND},
    {"RATE", 0, 100, 0.1, 0.0, 0, STATUS_BEHIND},
    {"RATE", 150, 100, 0.1, 1.5, 0, STATUS_AHEAD},
    /* down, flow: the ratio is expected / completion */
    {"DFLOW", 75, 100, 0.1, 1.0, 0, STATUS_AHEAD},
    {"DFLOW", 75.01, 100, 0.1, NAN, 0, STATUS_CLOSE},
    {"DFLOW", 100, 100, 0.25, 0.75, 0, STATUS_CLOSE},
    {"DFLOW", 100.01, 100, 0.25, NAN, 0, STATUS_BEHIND},
    {"DFLOW", 50, 100, 0.1, 1.5, 0, STATUS_AHEAD},
    /* down, rate */
    {"DRATE", 100, 100, 0.1, 1.0, 0, STATUS_AHEAD},
    {"DRATE", 100.01, 100, 0.1, NAN, 0, STATUS_CLOSE},
    {"DRATE", 200, 100, 0.5, 0.5, 0, STATUS_CLOSE},
    {"DRATE", 200.01, 100, 0.5, NAN, 0, STATUS_BEHIND},
    {"DRATE", 80, 100, 0.1, 1.25, 0, STATUS_AHEAD},
    {"DRATE", 125, 100, 0.1, 0.8, 0, STATUS_BEHIND},
    /* no target, no figure */
    {"RATE", 100, NAN, 0.1, NAN, 1, STATUS_NONE},
    {"FLOW", NAN, 100, 0.1, NAN, 1, STATUS_NONE},
    {"DRATE", NAN, 100, 0.1, NAN, 1, STATUS_NONE},
    {"DRATE", 100, NAN, 0.1, NAN, 1, STATUS_NONE},
};

static void test_light(void **state)
{
	struct fixture *fx = *state;
	struct cube *c = &fx->cs->cube;
	int Z = IA(fx->cs, "Z"), m = MI(2025, 9);
	struct period p = P("2025-09");
	/* The thresholds below rely on these being exact. */
	assert_true(90.0 / 100 == 1.0 - ANALYTICS_TOLERANCE);
	for (size_t k = 0; k < NELEM(light_cases); k++) {
		const struct light_case *lc = &light_cases[k];
		int i = II(fx->cs, lc->ind);
		struct progress pr;
		/* Z's target of 2025: set, or moved to another year. */
		assert_int_equal(
		    cube_set_target(c, i, Z, 2025, TARGET_ANNUAL, NAN), CS_OK);
		if (!isnan(lc->target))
			assert_int_equal(cube_set_target(c, i, Z, 2025,
							 TARGET_ANNUAL,
							 lc->target),
					 CS_OK);
		cube_set(c, i, Z, m, lc->value, 0);
		analytics_progress(c, i, Z, &p, lc->tolerance, &pr);
		if (pr.status != lc->status)
			fail_msg("case %zu (%s %g / %g, tolerance %g): status "
				 "%s, want %s (ratio %.17g)",
				 k, lc->ind, lc->value, lc->target,
				 lc->tolerance, status_name(pr.status),
				 status_name(lc->status), pr.ratio);
		if (lc->ratio_nan)
			CHECK_NUM(pr.ratio, NAN, "case %zu ratio", k);
		else if (!isnan(lc->ratio))
			CHECK_NUM(pr.ratio, lc->ratio, "case %zu ratio", k);
		CHECK_NUM(pr.value, lc->value, "case %zu value", k);
		CHECK_NUM(pr.target, lc->target, "case %zu target", k);
		CHECK_NUM(pr.completion, lc->value / lc->target,
			  "case %zu completion", k);
	}
}

static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(status_name(STATUS_AHEAD), "ahead");
	assert_string_equal(status_name(STATUS_CLOSE), "close");
	assert_string_equal(status_name(STATUS_BEHIND), "behind");
	assert_string_equal(status_name(STATUS_NONE), "");
	assert_string_equal(status_name_zh(STATUS_AHEAD), "超序时");
	assert_string_equal(status_name_zh(STATUS_CLOSE), "接近");
	assert_string_equal(status_name_zh(STATUS_BEHIND), "滞后");
	assert_string_equal(status_name(99), "");
	assert_string_equal(status_name_zh(-1), "");
}

/* 序时进度 and 同比 of the year to date, however the period is written. */
static void test_progress_expected(void **state)
{
	struct fixture *fx = *state;
	const struct cube *c = &fx->cs->cube;
	int X = IA(fx->cs, "X"), FLOW = II(fx->cs, "FLOW");
	static const char *const nine[] = {"2025-09", "2025-Q3", "2025年1-9月",
					   "2025年9月", "2025年三季度"};
	for (size_t k = 0; k < NELEM(nine); k++) {
		struct period p = P(nine[k]);
		struct progress pr;
		analytics_progress(c, FLOW, X, &p, ANALYTICS_TOLERANCE, &pr);
		/* Jan 10 + Aug 16 + Sep 20; October's 1000 is later. */
		CHECK_NUM(pr.value, 46, "%s value", nine[k]);
		CHECK_NUM(pr.expected, 9.0 / 12, "%s expected", nine[k]);
		CHECK_NUM(pr.target, 80, "%s target", nine[k]);
		CHECK_NUM(pr.completion, 46.0 / 80, "%s completion", nine[k]);
		CHECK_NUM(pr.ratio, (46.0 / 80) / 0.75, "%s ratio", nine[k]);
		assert_int_equal(pr.status, STATUS_BEHIND);
		/* 2024-01 13 + 2024-09 10 (not December's 8) */
		CHECK_NUM(pr.prev_year, 23, "%s prev_year", nine[k]);
		CHECK_NUM(pr.yoy, 100, "%s yoy", nine[k]);
	}
	/* Other points of the year. */
	static const struct {
		const char *p;
		double expected, value;
	} flows[] = {
	    {"2025-01", 1.0 / 12, 10},	  {"2025-Q1", 3.0 / 12, 10},
	    {"2025-08", 8.0 / 12, 26},	  {"2025年1-8月", 8.0 / 12, 26},
	    {"2025-10", 10.0 / 12, 1046}, {"2025", 1.0, 1046},
	    {"2025-12", 1.0, 1046},	  {"2025年", 1.0, 1046},
	};
	for (size_t k = 0; k < NELEM(flows); k++) {
		struct period p = P(flows[k].p);
		struct progress pr;
		analytics_progress(c, FLOW, X, &p, ANALYTICS_TOLERANCE, &pr);
		CHECK_NUM(pr.expected, flows[k].expected, "%s expected",
			  flows[k].p);
		CHECK_NUM(pr.value, flows[k].value, "%s value", flows[k].p);
	}
	/* A rate (and a level) is held to its target at any time. */
	static const char *const any[] = {"2025-01", "2025-09", "2025-Q3",
					  "2025年1-9月", "2025"};
	for (size_t k = 0; k < NELEM(any); k++) {
		struct period p = P(any[k]);
		struct progress pr;
		analytics_progress(c, II(fx->cs, "RATE"), X, &p,
				   ANALYTICS_TOLERANCE, &pr);
		CHECK_NUM(pr.expected, 1.0, "rate %s expected", any[k]);
		analytics_progress(c, II(fx->cs, "LEVEL"), X, &p,
				   ANALYTICS_TOLERANCE, &pr);
		CHECK_NUM(pr.expected, 1.0, "level %s expected", any[k]);
		analytics_progress(c, II(fx->cs, "SHARE"), IA(fx->cs, "R"), &p,
				   ANALYTICS_TOLERANCE, &pr);
		CHECK_NUM(pr.expected, 1.0, "derived %s expected", any[k]);
	}
	/* The rate: the mean of Jan 50 and Sep 70 against 40. */
	struct period p = P("2025年1-9月");
	struct progress pr;
	analytics_progress(c, II(fx->cs, "RATE"), X, &p, ANALYTICS_TOLERANCE,
			   &pr);
	CHECK_NUM(pr.value, 60, "rate ytd");
	CHECK_NUM(pr.completion, 1.5, "rate completion");
	CHECK_NUM(pr.ratio, 1.5, "rate ratio");
	assert_int_equal(pr.status, STATUS_AHEAD);
	CHECK_NUM(pr.prev_year, 56, "rate a year earlier");
	CHECK_NUM(pr.yoy, (60.0 / 56 - 1) * 100, "rate yoy");
	/* The level: the last figure up to September, 120 of 100. */
	analytics_progress(c, II(fx->cs, "LEVEL"), X, &p, ANALYTICS_TOLERANCE,
			   &pr);
	CHECK_NUM(pr.value, 120, "level");
	CHECK_NUM(pr.ratio, 1.2, "level ratio");
	/* At the root: X's and Y's flows added up; no target there. */
	analytics_progress(c, FLOW, IA(fx->cs, "R"), &p, ANALYTICS_TOLERANCE,
			   &pr);
	CHECK_NUM(pr.value, 50, "root ytd");
	CHECK_NUM(pr.prev_year, 25, "root a year earlier");
	CHECK_NUM(pr.yoy, 100, "root yoy");
	CHECK_NUM(pr.target, NAN, "root target");
	assert_int_equal(pr.status, STATUS_NONE);
	/* Y's only target is 2024's: it does not serve 2025. */
	analytics_progress(c, FLOW, IA(fx->cs, "Y"), &p, ANALYTICS_TOLERANCE,
			   &pr);
	CHECK_NUM(pr.target, NAN, "Y 2025 target");
	assert_int_equal(pr.status, STATUS_NONE);
	struct period p24 = P("2024-09");
	analytics_progress(c, FLOW, IA(fx->cs, "Y"), &p24, ANALYTICS_TOLERANCE,
			   &pr);
	CHECK_NUM(pr.target, 3, "Y 2024 target");
	CHECK_NUM(pr.ratio, (2.0 / 3) / 0.75, "Y 2024 ratio");
}

/* 同比 is NaN when there is no base, or a base of zero. */
static void test_progress_yoy_without_base(void **state)
{
	struct fixture *fx = *state;
	const struct cube *c = &fx->cs->cube;
	int X = IA(fx->cs, "X");
	struct period p = P("2025-09");
	struct progress pr;
	analytics_progress(c, II(fx->cs, "LEVEL"), X, &p, ANALYTICS_TOLERANCE,
			   &pr);
	CHECK_NUM(pr.value, 120, "level");
	CHECK_NUM(pr.prev_year, NAN, "level a year earlier");
	CHECK_NUM(pr.yoy, NAN, "level yoy");
	analytics_progress(c, II(fx->cs, "DFLOW"), X, &p, ANALYTICS_TOLERANCE,
			   &pr);
	CHECK_NUM(pr.value, 5, "dflow");
	CHECK_NUM(pr.prev_year, 0, "dflow a year earlier");
	CHECK_NUM(pr.yoy, NAN, "dflow yoy over zero");
	/* Down flow: 5 of 10 at 9/12 elapsed is ahead. */
	CHECK_NUM(pr.ratio, 0.75 / 0.5, "dflow ratio");
	assert_int_equal(pr.status, STATUS_AHEAD);
	/* Nothing at all: everything NaN. */
	analytics_progress(c, II(fx->cs, "RATE"), IA(fx->cs, "Z"), &p,
			   ANALYTICS_TOLERANCE, &pr);
	CHECK_NUM(pr.value, NAN, "Z value");
	CHECK_NUM(pr.prev_year, NAN, "Z prev");
	CHECK_NUM(pr.yoy, NAN, "Z yoy");
	CHECK_NUM(pr.ratio, NAN, "Z ratio");
	assert_int_equal(pr.status, STATUS_NONE);
}

/* ---- growth ----------------------------------------------------------- */

static const struct growth_case {
	const char *ind, *area, *period;
	int yoy;
	double value, base, growth, change;
} growth_cases[] = {
    {"FLOW", "X", "2025-09", 1, 20, 10, 100, 10},
    {"FLOW", "X", "2025-09", 0, 20, 16, 25, 4},
    /* January's 环比 base is December of the year before */
    {"FLOW", "X", "2025-01", 0, 10, 8, 25, 2},
    {"FLOW", "X", "2025-01", 1, 10, 13, (10.0 / 13 - 1) * 100, -3},
    /* Q1's 环比 base is Q4 of the year before */
    {"FLOW", "X", "2025-Q1", 0, 10, 8, 25, 2},
    {"FLOW", "X", "2025-Q3", 1, 36, 10, (36.0 / 10 - 1) * 100, 26},
    {"FLOW", "X", "2025年1-9月", 1, 46, 23, 100, 23},
    {"FLOW", "X", "2025年1-9月", 0, 46, 26, (46.0 / 26 - 1) * 100, 20},
    {"FLOW", "X", "2025", 1, 1046, 31, (1046.0 / 31 - 1) * 100, 1015},
    {"FLOW", "R", "2025-09", 1, 24, 12, 100, 12},
    /* a month without a base */
    {"FLOW", "X", "2025-08", 1, 16, NAN, NAN, NAN},
    {"FLOW", "X", "2025-03", 0, NAN, NAN, NAN, NAN},
    /* a rate: the change is in percentage points */
    {"RATE", "X", "2025-09", 1, 70, 56, 25, 14},
    {"RATE", "X", "2025-09", 0, 70, NAN, NAN, NAN},
    /* a base of zero gives no growth but a change */
    {"DFLOW", "X", "2025-09", 1, 5, 0, NAN, 5},
    /* a level: the last figure of each period */
    {"LEVEL", "X", "2025-Q2", 0, 120, 100, 20, 20},
    {"LEVEL", "X", "2025-06", 0, 120, NAN, NAN, NAN},
};

static void test_growth(void **state)
{
	struct fixture *fx = *state;
	for (size_t k = 0; k < NELEM(growth_cases); k++) {
		const struct growth_case *gc = &growth_cases[k];
		struct period p = P(gc->period);
		struct growth g;
		analytics_growth(&fx->cs->cube, II(fx->cs, gc->ind),
				 IA(fx->cs, gc->area), &p, gc->yoy, &g);
		CHECK_NUM(g.value, gc->value, "case %zu %s %s %s value", k,
			  gc->ind, gc->period, gc->yoy ? "yoy" : "mom");
		CHECK_NUM(g.base, gc->base, "case %zu %s %s %s base", k,
			  gc->ind, gc->period, gc->yoy ? "yoy" : "mom");
		CHECK_CLOSE(g.growth, gc->growth, "case %zu %s %s %s growth", k,
			    gc->ind, gc->period, gc->yoy ? "yoy" : "mom");
		CHECK_NUM(g.change, gc->change, "case %zu %s %s %s change", k,
			  gc->ind, gc->period, gc->yoy ? "yoy" : "mom");
	}
}

/* ---- rank ------------------------------------------------------------- */

#define RANK_MAX 8
static const struct rank_case {
	int n, lower;
	double key[RANK_MAX];
	int rank[RANK_MAX], order[RANK_MAX];
} rank_cases[] = {
    {5, 0, {5, 7, 7, NAN, 3}, {3, 1, 1, 0, 4}, {1, 2, 0, 4, 3}},
    {5, 1, {5, 7, 7, NAN, 3}, {2, 3, 3, 0, 1}, {4, 0, 1, 2, 3}},
    {5, 0, {1, 2, 2, 2, 3}, {5, 2, 2, 2, 1}, {4, 1, 2, 3, 0}},
    {5, 1, {1, 2, 2, 2, 3}, {1, 2, 2, 2, 5}, {0, 1, 2, 3, 4}},
    {3, 0, {2, 2, 2}, {1, 1, 1}, {0, 1, 2}},
    {2, 0, {NAN, NAN}, {0, 0}, {0, 1}},
    {4, 0, {NAN, 1, NAN, 2}, {0, 2, 0, 1}, {3, 1, 0, 2}},
    {4, 1, {NAN, 1, NAN, 2}, {0, 1, 0, 2}, {1, 3, 0, 2}},
    {3, 0, {0.0, -0.0, -1}, {1, 1, 3}, {0, 1, 2}},
    {3, 0, {-INFINITY, 1, INFINITY}, {3, 2, 1}, {2, 1, 0}},
    {6, 0, {4, 9, 4, 9, NAN, 4}, {3, 1, 3, 1, 0, 3}, {1, 3, 0, 2, 5, 4}},
    {1, 0, {42}, {1}, {0}},
    {1, 0, {NAN}, {0}, {0}},
    {0, 0, {0}, {0}, {0}},
};

static void test_rank(void **state)
{
	(void)state;
	for (size_t k = 0; k < NELEM(rank_cases); k++) {
		const struct rank_case *rc = &rank_cases[k];
		int rank[RANK_MAX], order[RANK_MAX];
		for (int j = 0; j < RANK_MAX; j++)
			rank[j] = order[j] = -7;
		assert_int_equal(
		    analytics_rank(rc->key, rc->n, rc->lower, rank, order),
		    CS_OK);
		for (int j = 0; j < rc->n; j++) {
			if (rank[j] != rc->rank[j])
				fail_msg("case %zu: rank[%d] = %d, want %d", k,
					 j, rank[j], rc->rank[j]);
			if (order[j] != rc->order[j])
				fail_msg("case %zu: order[%d] = %d, want %d", k,
					 j, order[j], rc->order[j]);
		}
		/* Nothing written past n. */
		for (int j = rc->n; j < RANK_MAX; j++)
			assert_true(rank[j] == -7 && order[j] == -7);
	}
}

/* A larger set against the definition of RANK(): 1 + how many are better. */
static void test_rank_definition(void **state)
{
	enum { N = 200 };
	double key[N];
	int rank[N], order[N];
	(void)state;
	for (int k = 0; k < N; k++)
		key[k] = k % 17 == 0 ? NAN : (double)((k * 37) % 23);
	for (int lower = 0; lower <= 1; lower++) {
		assert_int_equal(analytics_rank(key, N, lower, rank, order),
				 CS_OK);
		for (int k = 0; k < N; k++) {
			int better = 0;
			for (int j = 0; j < N; j++)
				if (!isnan(key[j]) && !isnan(key[k]) &&
				    (lower ? key[j] < key[k] : key[j] > key[k]))
					better++;
			assert_int_equal(rank[k],
					 isnan(key[k]) ? 0 : better + 1);
		}
		/* order: ranked first by rank, then by index; NaN last. */
		for (int k = 1; k < N; k++) {
			int a = order[k - 1], b = order[k];
			int ra = rank[a] ? rank[a] : N + 1;
			int rb = rank[b] ? rank[b] : N + 1;
			assert_true(ra < rb || (ra == rb && a < b));
		}
	}
}

/* ---- score ------------------------------------------------------------ */

static void test_score(void **state)
{
	struct fixture *fx = *state;
	struct cube *c = &fx->cs->cube;
	int Z = IA(fx->cs, "Z"), m = MI(2025, 9);
	int FLOW = II(fx->cs, "FLOW"), RATE = II(fx->cs, "RATE");
	int DFLOW = II(fx->cs, "DFLOW"), DRATE = II(fx->cs, "DRATE");
	struct period p = P("2025-09");

	/* X: FLOW 46 of 80 at 9/12, RATE 60 of 40 (1.5, capped at 1.2),
	 * DFLOW 5 of 10 (down: 1.5, capped). */
	CHECK_CLOSE(analytics_score(c, IA(fx->cs, "X"), &p, 0),
		    10 * ((46.0 / 80) / 0.75) + 20 * 1.2 + 5 * 1.2, "X");
	/* The public's score leaves out the indicators it may not see. */
	struct indicator *inds = (struct indicator *)c->cat->inds;
	inds[FLOW].published = inds[DFLOW].published = 1;
	inds[RATE].published = 0;
	CHECK_CLOSE(analytics_score(c, IA(fx->cs, "X"), &p,
				    ANALYTICS_PUBLISHED),
		    10 * ((46.0 / 80) / 0.75) + 5 * 1.2, "X, public");
	CHECK_CLOSE(analytics_score(c, IA(fx->cs, "X"), &p, 0),
		    10 * ((46.0 / 80) / 0.75) + 20 * 1.2 + 5 * 1.2,
		    "X, staff");
	/* No targets at all: no score. */
	CHECK_NUM(analytics_score(c, IA(fx->cs, "Y"), &p, 0), NAN, "Y");
	CHECK_NUM(analytics_score(c, Z, &p, 0), NAN, "Z before");

	static const struct {
		double flow, rate, dflow; /* Z's figures, targets 100 */
		double want;
	} cases[] = {
	    {120, 50, NAN, 10 * 1.2 + 20 * 0.5}, /* 1.6 capped */
	    {75, 110, NAN, 10 * 1.0 + 20 * 1.1}, /* under the cap */
	    {NAN, 120, NAN, 20 * 1.2},		 /* exactly the cap */
	    {NAN, 500, NAN, 20 * 1.2},
	    {NAN, NAN, 37.5, 5 * 1.2}, /* down: 2.0 capped */
	    {NAN, NAN, 75, 5 * 1.0},
	    {30, 30, 150, 10 * 0.4 + 20 * 0.3 + 5 * 0.5},
	    {NAN, NAN, NAN, NAN},
	};
	for (int i = 0; i < c->cat->n_inds; i++)
		assert_int_equal(
		    cube_set_target(c, i, Z, 2025, TARGET_ANNUAL, 100), CS_OK);
	/* DRATE has a target and a figure but no weight: never counted. */
	cube_set(c, DRATE, Z, m, 1, 0);
	for (size_t k = 0; k < NELEM(cases); k++) {
		cube_set(c, FLOW, Z, m, cases[k].flow, 0);
		cube_set(c, RATE, Z, m, cases[k].rate, 0);
		cube_set(c, DFLOW, Z, m, cases[k].dflow, 0);
		CHECK_CLOSE(analytics_score(c, Z, &p, 0), cases[k].want,
			    "case %zu", k);
	}
}

/* ---- derived indicators ----------------------------------------------- */

static void test_derived_after_aggregation(void **state)
{
	struct fixture *fx = *state;
	const struct cube *c = &fx->cs->cube;
	int X = IA(fx->cs, "X"), Yi = IA(fx->cs, "Y"), R = IA(fx->cs, "R");
	int SHARE = II(fx->cs, "SHARE"), RATIO = II(fx->cs, "RATIO");
	int APY = II(fx->cs, "APY");
	struct period feb = P("2025-02"), jan = P("2025-01");
	struct period q1 = P("2025-Q1"), ytd2 = P("2025年1-2月");

	/* ytd(A) / ytd(B) * 100 at February: X 3/8, Y 9/10. */
	CHECK_CLOSE(analytics_value(c, SHARE, X, &feb), 3.0 / 8 * 100, "X");
	CHECK_CLOSE(analytics_value(c, SHARE, Yi, &feb), 9.0 / 10 * 100, "Y");
	/* At the root: the ratio of the sums, 12 / 18, not the sum (127.5)
	 * nor the mean (63.75) of the areas' ratios. */
	CHECK_CLOSE(analytics_value(c, SHARE, R, &feb), 12.0 / 18 * 100,
		    "root share");
	CHECK_CLOSE(analytics_value(c, SHARE, R, &ytd2), 12.0 / 18 * 100,
		    "root share 1-2月");
	CHECK_CLOSE(analytics_value(c, SHARE, R, &jan), 10.0 / 8 * 100,
		    "root share January");
	/* A / B at the month itself. */
	CHECK_CLOSE(analytics_value(c, RATIO, X, &feb), 2.0 / 6 * 100,
		    "ratio X Feb");
	CHECK_CLOSE(analytics_value(c, RATIO, R, &feb), 2.0 / 10 * 100,
		    "ratio root Feb");
	CHECK_CLOSE(analytics_value(c, RATIO, R, &q1), 12.0 / 18 * 100,
		    "ratio root Q1");
	/* prev_year(A) */
	CHECK_NUM(analytics_value(c, APY, X, &feb), 7, "A a year earlier X");
	CHECK_NUM(analytics_value(c, APY, R, &feb), 10,
		  "A a year earlier root");
	CHECK_NUM(analytics_value(c, APY, R, &jan), NAN,
		  "A a year earlier January");
	/* Division by a missing or zero B: no figure. */
	struct period mar = P("2025-03");
	CHECK_NUM(analytics_value(c, RATIO, R, &mar), NAN, "no B in March");
	CHECK_NUM(analytics_value(c, RATIO, IA(fx->cs, "Z"), &feb), NAN,
		  "Z has nothing");
	/* Base indicators through analytics_value are cube_value. */
	CHECK_NUM(analytics_value(c, II(fx->cs, "A"), R, &q1), 12, "A Q1");
	CHECK_NUM(analytics_value(c, II(fx->cs, "B"), R, &q1), 18, "B Q1");

	/* Derived progress: a rate, held to 50 at any time. */
	struct progress pr;
	analytics_progress(c, SHARE, R, &feb, ANALYTICS_TOLERANCE, &pr);
	CHECK_CLOSE(pr.value, 12.0 / 18 * 100, "share progress value");
	CHECK_NUM(pr.target, 50, "share target");
	CHECK_NUM(pr.expected, 1.0, "share expected");
	CHECK_CLOSE(pr.ratio, 12.0 / 18 * 100 / 50, "share ratio");
	assert_int_equal(pr.status, STATUS_AHEAD);
	/* No A or B in 2024 (only A in February): no share a year before. */
	CHECK_NUM(pr.prev_year, NAN, "share a year earlier");
	CHECK_NUM(pr.yoy, NAN, "share yoy");

	/* The figures change, the derived value follows at once. */
	cube_set(&fx->cs->cube, II(fx->cs, "B"), Yi, MI(2025, 2), 14, 0);
	CHECK_CLOSE(analytics_value(c, SHARE, R, &feb), 12.0 / 28 * 100,
		    "root share after a change");
	struct growth g;
	analytics_growth(c, APY, R, &feb, 0, &g);
	CHECK_NUM(g.value, 10, "APY growth value");
	CHECK_NUM(g.base, NAN, "APY 环比 base (2024-01)");
}

/* ---- pillars ---------------------------------------------------------- */

static void test_pillars(void **state)
{
	struct fixture *fx = *state;
	const struct cube *c = &fx->cs->cube;
	struct pillar_summary s[PILLAR_N];
	struct period p = P("2025-09");
	int X = IA(fx->cs, "X");

	analytics_pillars(c, X, &p, ANALYTICS_TOLERANCE, 0, s);
	/* stable: FLOW 46/80 behind, LEVEL 120/100 ahead (QF no target) */
	assert_int_equal(s[PILLAR_STABLE].n_indicators, 2);
	assert_int_equal(s[PILLAR_STABLE].n_ahead, 1);
	assert_int_equal(s[PILLAR_STABLE].n_close, 0);
	assert_int_equal(s[PILLAR_STABLE].n_behind, 1);
	CHECK_CLOSE(s[PILLAR_STABLE].mean_completion, (46.0 / 80 + 1.2) / 2,
		    "stable mean");
	/* vital: RATE 60/40 ahead; A, B, SHARE ... have no target at X */
	assert_int_equal(s[PILLAR_VITAL].n_indicators, 1);
	assert_int_equal(s[PILLAR_VITAL].n_ahead, 1);
	CHECK_CLOSE(s[PILLAR_VITAL].mean_completion, 1.5, "vital mean");
	/* excellent: DFLOW 5/10 (down, ahead), DRATE 105/100 (down, close) */
	assert_int_equal(s[PILLAR_EXCELLENT].n_indicators, 2);
	assert_int_equal(s[PILLAR_EXCELLENT].n_ahead, 1);
	assert_int_equal(s[PILLAR_EXCELLENT].n_close, 1);
	assert_int_equal(s[PILLAR_EXCELLENT].n_behind, 0);
	CHECK_CLOSE(s[PILLAR_EXCELLENT].mean_completion, (0.5 + 1.05) / 2,
		    "excellent mean");

	/* Only the assessed (weighted): FLOW, RATE, DFLOW. */
	analytics_pillars(c, X, &p, ANALYTICS_TOLERANCE, 1, s);
	assert_int_equal(s[PILLAR_STABLE].n_indicators, 1);
	assert_int_equal(s[PILLAR_STABLE].n_behind, 1);
	assert_int_equal(s[PILLAR_STABLE].n_ahead, 0);
	assert_int_equal(s[PILLAR_VITAL].n_indicators, 1);
	assert_int_equal(s[PILLAR_EXCELLENT].n_indicators, 1);
	assert_int_equal(s[PILLAR_EXCELLENT].n_close, 0);
	CHECK_NUM(s[PILLAR_EXCELLENT].mean_completion, 0.5, "assessed");

	/* A tolerance of 0.5 turns FLOW (0.77) close. */
	analytics_pillars(c, X, &p, 0.5, 0, s);
	assert_int_equal(s[PILLAR_STABLE].n_close, 1);
	assert_int_equal(s[PILLAR_STABLE].n_behind, 0);

	/* The root has only the derived SHARE's target. */
	analytics_pillars(c, IA(fx->cs, "R"), &p, ANALYTICS_TOLERANCE, 0, s);
	assert_int_equal(s[PILLAR_STABLE].n_indicators, 0);
	CHECK_NUM(s[PILLAR_STABLE].mean_completion, NAN, "empty pillar");
	assert_int_equal(s[PILLAR_EXCELLENT].n_indicators, 0);
	/* SHARE at 2025-09: ytd A 12 / ytd B 18 -> 66.7 of 50 */
	assert_int_equal(s[PILLAR_VITAL].n_indicators, 1);
	assert_int_equal(s[PILLAR_VITAL].n_ahead, 1);
}

/* ---- benchmarks ------------------------------------------------------- */

static void test_benchmark_gap(void **state)
{
	struct fixture *fx = *state;
	const struct cube *c = &fx->cs->cube;
	const struct catalog *cat = &fx->cs->cat;
	int X = IA(fx->cs, "X"), FLOW = II(fx->cs, "FLOW");
	int RATE = II(fx->cs, "RATE");
	int prov = catalog_group(cat, "全省平均", strlen("全省平均"));
	int coast = catalog_group(cat, "沿海6市平均", strlen("沿海6市平均"));
	int dalian = catalog_group(cat, "大连", strlen("大连"));
	struct period sep = P("2025-09"), q3 = P("2025-Q3");
	struct period aug = P("2025-08");
	double b;
	assert_true(prov >= 0 && coast >= 0 && dalian >= 0);
	assert_int_equal(cat->n_groups, 3);

	/* growth benchmark: X grew 100% (20 over 10), the province 75%. */
	CHECK_NUM(analytics_benchmark_gap(c, FLOW, X, prov, &sep, &b), 25,
		  "growth gap");
	CHECK_NUM(b, 75, "growth benchmark");
	/* the quarter's benchmark is another one: 60% against 260% */
	CHECK_CLOSE(analytics_benchmark_gap(c, FLOW, X, prov, &q3, &b),
		    (36.0 / 10 - 1) * 100 - 60, "quarter gap");
	CHECK_NUM(b, 60, "quarter benchmark");
	/* value benchmark of a figure in 亿元: relative, in % */
	CHECK_NUM(analytics_benchmark_gap(c, FLOW, X, coast, &sep, &b), 25,
		  "value gap");
	CHECK_NUM(b, 16, "value benchmark");
	/* value benchmark of a figure in %: the difference */
	CHECK_NUM(analytics_benchmark_gap(c, RATE, X, dalian, &sep, &b), 7.5,
		  "pp gap");
	CHECK_NUM(b, 62.5, "pp benchmark");
	/* no benchmark: NaN, and *bench NaN */
	b = 1;
	CHECK_NUM(analytics_benchmark_gap(c, FLOW, X, dalian, &sep, &b), NAN,
		  "no benchmark");
	CHECK_NUM(b, NAN, "no benchmark value");
	b = 1;
	CHECK_NUM(analytics_benchmark_gap(c, FLOW, X, prov, &aug, &b), NAN,
		  "another month");
	CHECK_NUM(b, NAN, "another month value");
	/* a benchmark but no figure to compare: the benchmark, no gap */
	CHECK_NUM(
	    analytics_benchmark_gap(c, FLOW, IA(fx->cs, "Z"), prov, &sep, &b),
	    NAN, "Z has no growth");
	CHECK_NUM(b, 75, "Z's benchmark");
	/* the root: 24 over 12, 100% */
	CHECK_NUM(
	    analytics_benchmark_gap(c, FLOW, IA(fx->cs, "R"), coast, &sep, &b),
	    50, "root value gap");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_light),
	    cmocka_unit_test(test_status_names),
	    T(test_progress_expected),
	    T(test_progress_yoy_without_base),
	    T(test_growth),
	    cmocka_unit_test(test_rank),
	    cmocka_unit_test(test_rank_definition),
	    T(test_score),
	    T(test_derived_after_aggregation),
	    T(test_pillars),
	    T(test_benchmark_gap),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
