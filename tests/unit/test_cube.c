/*
 * Unit tests of src/analytics/cube.c over a real SQLite database: a root
 * with two children, one of which has two children of its own, and an
 * indicator for every pair of time and area aggregation.  The figures go
 * through the store, the cube is built from it, and every answer is checked
 * against hand-computed values and against a reference model of the rule
 * "own figure, else what the children add up to".
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

#include "analytics/catalog.h"
#include "analytics/cube.h"
#include "core/err.h"
#include "core/period.h"
#include "domain/civstat.h"
#include "domain/values.h"
#include "store/store.h"

#include "fixture.h"

#define Y 2025

/* As CHECK_NUM, within a relative tolerance, for sums taken in another
 * order than the cube's. */
#define CHECK_CLOSE(got, want, ...) CHECK_NEAR(got, want, 1e-12, __VA_ARGS__)

/* ---- the catalog ------------------------------------------------------ */

static const struct area_def {
	const char *code, *parent;
} area_defs[] = {
    {"R", NULL}, {"A", "R"}, {"B", "R"}, {"B1", "B"}, {"B2", "B"},
};
#define N_AREAS ((int)NELEM(area_defs))

static const struct ind_def {
	const char *code;
	int time_agg, area_agg, frequency;
	const char *formula;
} ind_defs[] = {
    {"SUM_SUM", TIME_SUM, AREA_SUM, FREQ_MONTH, ""},
    {"SUM_AVG", TIME_SUM, AREA_AVG, FREQ_MONTH, ""},
    {"SUM_NONE", TIME_SUM, AREA_NONE, FREQ_MONTH, ""},
    {"LAST_SUM", TIME_LAST, AREA_SUM, FREQ_MONTH, ""},
    {"LAST_AVG", TIME_LAST, AREA_AVG, FREQ_MONTH, ""},
    {"LAST_NONE", TIME_LAST, AREA_NONE, FREQ_MONTH, ""},
    {"AVG_SUM", TIME_AVG, AREA_SUM, FREQ_MONTH, ""},
    {"AVG_AVG", TIME_AVG, AREA_AVG, FREQ_MONTH, ""},
    {"AVG_NONE", TIME_AVG, AREA_NONE, FREQ_MONTH, ""},
    {"QTR", TIME_SUM, AREA_SUM, FREQ_QUARTER, ""},
    {"DER", TIME_SUM, AREA_SUM, FREQ_MONTH, "SUM_SUM * 2"},
};
#define N_INDS	  ((int)NELEM(ind_defs))
#define N_MONTHLY 9 /* the first nine: every pair of aggregations */

/* The figures of the leaves for each monthly indicator (2025). */
static const struct fig {
	const char *area;
	int month;
	double value;
} leaf_figs[] = {
    {"A", 1, 1},   {"A", 2, 2},	   {"A", 3, 4},	   {"B1", 1, 10},
    {"B1", 3, 40}, {"B2", 1, 100}, {"B2", 2, 200},
};

struct fixture {
	char dir[FIXTURE_DIR];
	char db[96];
	struct store *st;
	struct catalog cat;
	struct cube cube;
	int loaded;
	int area_id[N_AREAS]; /* store ids, by area_defs index */
	int ind_id[N_INDS];
};

static int find_def_area(const char *code)
{
	for (int k = 0; k < N_AREAS; k++)
		if (!strcmp(area_defs[k].code, code))
			return k;
	return -1;
}

static void create_catalog(struct fixture *fx)
{
	struct store *st = fx->st;
	assert_int_equal(st->ops->begin(st), CS_OK);
	for (int k = 0; k < N_AREAS; k++) {
		struct area a = {
		    .code = (char *)area_defs[k].code,
		    .name = (char *)area_defs[k].code,
		    .name_en = (char *)"",
		    .level = 1,
		};
		if (area_defs[k].parent) {
			int p = find_def_area(area_defs[k].parent);
			a.parent_id = fx->area_id[p];
			a.level = a.parent_id == fx->area_id[0] ? 2 : 3;
		}
		assert_int_equal(st->ops->put_area(st, &a), CS_OK);
		assert_true(a.id > 0);
		fx->area_id[k] = a.id;
	}
	for (int k = 0; k < N_INDS; k++) {
		struct indicator ind = {
		    .code = (char *)ind_defs[k].code,
		    .name = (char *)ind_defs[k].code,
		    .name_en = (char *)"",
		    .unit = (char *)"",
		    .source = (char *)"",
		    .formula = (char *)ind_defs[k].formula,
		    .part_of = (char *)"",
		    .pillar = PILLAR_STABLE,
		    .frequency = ind_defs[k].frequency,
		    .time_agg = ind_defs[k].time_agg,
		    .area_agg = ind_defs[k].area_agg,
		    .decimals = 2,
		    .weight = NAN,
		    .min = NAN,
		    .max = NAN,
		    .max_jump = NAN,
		};
		assert_int_equal(st->ops->put_indicator(st, &ind), CS_OK);
		assert_true(ind.id > 0);
		fx->ind_id[k] = ind.id;
	}
	for (int i = 0; i < N_MONTHLY; i++)
		for (size_t k = 0; k < NELEM(leaf_figs); k++) {
			uint8_t flags = VALUE_APPROVED;
			if (!strcmp(leaf_figs[k].area, "A") &&
			    leaf_figs[k].month == 1)
				flags = VALUE_SUBMITTED | VALUE_SAMPLE;
			fixture_put_figure(
			    st, fx->ind_id[i],
			    fx->area_id[find_def_area(leaf_figs[k].area)],
			    MI(Y, leaf_figs[k].month), leaf_figs[k].value,
			    flags);
		}
	/* The quarterly indicator has a figure at June (Q2). */
	fixture_put_figure(st, fx->ind_id[9], fx->area_id[3], MI(Y, 6), 7, 0);
	assert_int_equal(st->ops->commit(st), CS_OK);
}

static void load(struct fixture *fx)
{
	if (fx->loaded) {
		cube_release(&fx->cube);
		catalog_release(&fx->cat);
		fx->loaded = 0;
	}
	assert_int_equal(catalog_load(&fx->cat, fx->st), CS_OK);
	assert_int_equal(cube_build(&fx->cube, &fx->cat, fx->st), CS_OK);
	fx->loaded = 1;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	fixture_mkdtemp(fx->dir, "test_cube");
	fixture_db(fx->db, sizeof fx->db, fx->dir, "cube.db");
	assert_int_equal(store_open(fx->db, STORE_CREATE, &fx->st), CS_OK);
	create_catalog(fx);
	load(fx);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	if (fx->loaded) {
		cube_release(&fx->cube);
		catalog_release(&fx->cat);
	}
	store_close(fx->st);
	fixture_rmdir(fx->dir);
	free(fx);
	return 0;
}

/* ---- a reference model ---------------------------------------------- */

/* Own figures by catalog indices, months lo .. lo + MODEL_MONTHS - 1. */
#define MODEL_LO     MI(2024, 1)
#define MODEL_MONTHS 36
struct model {
	const struct catalog *cat;
	double own[N_INDS][N_AREAS][MODEL_MONTHS];
};

static void model_from_cube(struct model *md, const struct cube *c)
{
	md->cat = c->cat;
	for (int i = 0; i < N_INDS; i++)
		for (int a = 0; a < N_AREAS; a++)
			for (int k = 0; k < MODEL_MONTHS; k++)
				md->own[i][a][k] =
				    cube_own(c, i, a, MODEL_LO + k);
}

/* The cell: own figure, else the children's cells added up. */
static void model_cell(const struct model *md, int i, int a, int m, double *sum,
		       double *n)
{
	const struct catalog *cat = md->cat;
	*sum = 0;
	*n = 0;
	if (m < MODEL_LO || m >= MODEL_LO + MODEL_MONTHS)
		return;
	double v = md->own[i][a][m - MODEL_LO];
	if (!isnan(v)) {
		*sum = v;
		*n = 1;
		return;
	}
	if (cat->inds[i].area_agg == AREA_NONE)
		return;
	for (int ch = cat->first_child[a]; ch >= 0;
	     ch = cat->next_sibling[ch]) {
		double s, k;
		model_cell(md, i, ch, m, &s, &k);
		*sum += s;
		*n += k;
	}
}

static double model_value(const struct model *md, int i, int a, int lo, int hi)
{
	const struct indicator *ind = &md->cat->inds[i];
	double s, n, total = 0, count = 0, months = 0;
	if (*ind->formula)
		return NAN;
	if (ind->time_agg == TIME_LAST) {
		for (int m = hi; m >= lo; m--) {
			model_cell(md, i, a, m, &s, &n);
			if (n > 0)
				return ind->area_agg == AREA_AVG ? s / n : s;
		}
		return NAN;
	}
	for (int m = lo; m <= hi; m++) {
		model_cell(md, i, a, m, &s, &n);
		if (n == 0)
			continue;
		months++;
		count += n;
		total += ind->time_agg == TIME_SUM && ind->area_agg == AREA_AVG
			     ? s / n
			     : s;
	}
	if (!months)
		return NAN;
	if (ind->time_agg == TIME_SUM)
		return total;
	return ind->area_agg == AREA_AVG ? total / count : total / months;
}

/* Every indicator, area and range of months in 2024-2026 against the
 * model. */
static void sweep(const struct cube *c, const struct model *md)
{
	static const int bounds[][2] = {
	    {MI(Y, 1), MI(Y, 1)},	 {MI(Y, 1), MI(Y, 2)},
	    {MI(Y, 1), MI(Y, 3)},	 {MI(Y, 2), MI(Y, 3)},
	    {MI(Y, 2), MI(Y, 2)},	 {MI(Y, 3), MI(Y, 3)},
	    {MI(Y, 1), MI(Y, 12)},	 {MI(Y, 4), MI(Y, 12)},
	    {MI(2024, 1), MI(2026, 12)}, {MI(2024, 1), MI(2024, 12)},
	    {MI(Y, 6), MI(Y, 6)},	 {MI(Y, 4), MI(Y, 6)},
	};
	for (int i = 0; i < N_INDS; i++)
		for (int a = 0; a < N_AREAS; a++)
			for (size_t k = 0; k < NELEM(bounds); k++)
				CHECK_CLOSE(cube_value(c, i, a, bounds[k][0],
						       bounds[k][1]),
					    model_value(md, i, a, bounds[k][0],
							bounds[k][1]),
					    "%s %s %d..%d",
					    c->cat->inds[i].code,
					    c->cat->areas[a].code, bounds[k][0],
					    bounds[k][1]);
}

/*
 * Compares two cubes over the same catalog at every month either holds.
 * Own figures, flags and counts must be equal or the test fails at once;
 * aggregate sums that differ (even in the last bit) are counted, the first
 * described in first[], so that a caller can go on and fail at the end.
 */
static int same_cube(const struct cube *x, const struct cube *y,
		     const char *when, char *first, size_t cap)
{
	int lo = x->month0 < y->month0 ? x->month0 : y->month0;
	int hx = x->month0 + x->n_months, hy = y->month0 + y->n_months;
	int hi = (hx > hy ? hx : hy) - 1, n_diff = 0;
	assert_int_equal(x->cat->n_inds, y->cat->n_inds);
	assert_int_equal(x->cat->n_areas, y->cat->n_areas);
	assert_int_equal(x->n_values, y->n_values);
	for (int i = 0; i < x->cat->n_inds; i++)
		for (int a = 0; a < x->cat->n_areas; a++)
			for (int m = lo; m <= hi; m++) {
				double sx, nx, sy, ny;
				const char *ic = x->cat->inds[i].code;
				const char *ac = x->cat->areas[a].code;
				CHECK_NUM(cube_own(x, i, a, m),
					  cube_own(y, i, a, m),
					  "%s: own %s %s %d", when, ic, ac, m);
				if (cube_flags(x, i, a, m) !=
				    cube_flags(y, i, a, m))
					fail_msg("%s: flags %s %s %d: %d != %d",
						 when, ic, ac, m,
						 cube_flags(x, i, a, m),
						 cube_flags(y, i, a, m));
				cube_cell(x, i, a, m, &sx, &nx);
				cube_cell(y, i, a, m, &sy, &ny);
				CHECK_NUM(nx, ny, "%s: cell count %s %s %d",
					  when, ic, ac, m);
				if (sx != sy && !n_diff++ && first && !*first)
					snprintf(first, cap,
						 "%s: cell sum %s %s %d: "
						 "%.17g by cube_set, %.17g "
						 "built afresh",
						 when, ic, ac, m, sx, sy);
			}
	return n_diff;
}

/* ---- the tests -------------------------------------------------------- */

static void test_catalog_shape(void **state)
{
	struct fixture *fx = *state;
	const struct catalog *cat = &fx->cat;
	assert_int_equal(cat->n_areas, N_AREAS);
	assert_int_equal(cat->n_inds, N_INDS);
	assert_int_equal(catalog_root(cat), IA(cat, "R"));
	assert_int_equal(cat->parent[IA(cat, "R")], -1);
	assert_int_equal(cat->parent[IA(cat, "A")], IA(cat, "R"));
	assert_int_equal(cat->parent[IA(cat, "B")], IA(cat, "R"));
	assert_int_equal(cat->parent[IA(cat, "B1")], IA(cat, "B"));
	assert_int_equal(cat->parent[IA(cat, "B2")], IA(cat, "B"));
	assert_true(catalog_area_within(cat, IA(cat, "B2"), IA(cat, "R")));
	assert_false(catalog_area_within(cat, IA(cat, "B2"), IA(cat, "A")));
	/* Internal areas have slots for aggregates, leaves none. */
	assert_int_equal(fx->cube.n_internal, 2);
	assert_true(fx->cube.slot[IA(cat, "R")] >= 0);
	assert_true(fx->cube.slot[IA(cat, "B")] >= 0);
	assert_int_equal(fx->cube.slot[IA(cat, "A")], -1);
	assert_int_equal(fx->cube.slot[IA(cat, "B1")], -1);
	/* A derived indicator holds no figures. */
	assert_null(fx->cube.ind[II(cat, "DER")].own);
	assert_non_null(fx->cube.ind[II(cat, "SUM_SUM")].own);
	/* 9 indicators x 7 leaf figures + the quarterly one. */
	assert_int_equal(fx->cube.n_values, 9 * 7 + 1);
	/* The months held are whole years around the figures. */
	assert_int_equal(fx->cube.month0, MI(Y, 1));
	assert_int_equal(fx->cube.n_months, 12);
}

static const struct value_case {
	const char *ind, *area;
	int lo, hi; /* months of 2025 */
	double want;
} value_cases[] = {
    /* flows added up over areas */
    {"SUM_SUM", "R", 1, 3, 357},
    {"SUM_SUM", "R", 1, 1, 111},
    {"SUM_SUM", "R", 2, 3, 246},
    {"SUM_SUM", "R", 1, 12, 357},
    {"SUM_SUM", "B", 1, 3, 350},
    {"SUM_SUM", "B", 2, 3, 240},
    {"SUM_SUM", "B", 2, 2, 200},
    {"SUM_SUM", "B1", 1, 3, 50},
    {"SUM_SUM", "B1", 2, 2, NAN},
    {"SUM_SUM", "B2", 1, 3, 300},
    {"SUM_SUM", "A", 1, 3, 7},
    {"SUM_SUM", "R", 4, 6, NAN},
    {"SUM_SUM", "R", -11, 0, NAN},
    {"SUM_SUM", "R", 3, 1, NAN},
    /* flows averaged over areas: each month's mean, added up */
    {"SUM_AVG", "R", 1, 3, 160},
    {"SUM_AVG", "R", 1, 1, 37},
    {"SUM_AVG", "R", 2, 3, 123},
    {"SUM_AVG", "B", 1, 3, 295},
    {"SUM_AVG", "B", 1, 1, 55},
    {"SUM_AVG", "B1", 1, 3, 50},
    {"SUM_AVG", "A", 1, 3, 7},
    /* flows that do not add up over areas: own figures only */
    {"SUM_NONE", "R", 1, 3, NAN},
    {"SUM_NONE", "B", 1, 3, NAN},
    {"SUM_NONE", "B1", 1, 3, 50},
    {"SUM_NONE", "B2", 1, 3, 300},
    {"SUM_NONE", "A", 1, 3, 7},
    /* levels: the last month with a figure */
    {"LAST_SUM", "R", 1, 3, 44},
    {"LAST_SUM", "R", 1, 2, 202},
    {"LAST_SUM", "R", 1, 1, 111},
    {"LAST_SUM", "R", 1, 12, 44},
    {"LAST_SUM", "B", 1, 3, 40},
    {"LAST_SUM", "B", 1, 2, 200},
    {"LAST_SUM", "B1", 1, 3, 40},
    {"LAST_SUM", "B1", 2, 2, NAN},
    {"LAST_SUM", "B1", 1, 2, 10},
    {"LAST_SUM", "B2", 1, 3, 200},
    {"LAST_SUM", "A", 1, 3, 4},
    {"LAST_SUM", "R", 4, 12, NAN},
    {"LAST_AVG", "R", 1, 3, 22},
    {"LAST_AVG", "R", 1, 1, 37},
    {"LAST_AVG", "R", 1, 2, 101},
    {"LAST_AVG", "B", 1, 3, 40},
    {"LAST_AVG", "B", 1, 1, 55},
    {"LAST_AVG", "B2", 1, 3, 200},
    {"LAST_NONE", "R", 1, 3, NAN},
    {"LAST_NONE", "B", 1, 3, NAN},
    {"LAST_NONE", "B2", 1, 3, 200},
    {"LAST_NONE", "A", 1, 3, 4},
    /* rates: the mean over months (area sum) or over all figures */
    {"AVG_SUM", "R", 1, 3, 119},
    {"AVG_SUM", "R", 2, 3, 123},
    {"AVG_SUM", "R", 1, 1, 111},
    {"AVG_SUM", "B", 1, 3, 350.0 / 3},
    {"AVG_SUM", "B1", 1, 3, 25},
    {"AVG_SUM", "B2", 1, 3, 150},
    {"AVG_SUM", "A", 1, 3, 7.0 / 3},
    {"AVG_SUM", "R", 4, 6, NAN},
    {"AVG_AVG", "R", 1, 3, 51},
    {"AVG_AVG", "R", 1, 1, 37},
    {"AVG_AVG", "R", 2, 3, 61.5},
    {"AVG_AVG", "B", 1, 3, 87.5},
    {"AVG_AVG", "B", 2, 3, 120},
    {"AVG_AVG", "B1", 1, 3, 25},
    {"AVG_AVG", "A", 1, 3, 7.0 / 3},
    {"AVG_NONE", "R", 1, 3, NAN},
    {"AVG_NONE", "B", 1, 3, NAN},
    {"AVG_NONE", "B1", 1, 3, 25},
    {"AVG_NONE", "B2", 1, 3, 150},
    {"AVG_NONE", "A", 1, 3, 7.0 / 3},
    /* quarterly: the figure at the quarter's last month */
    {"QTR", "B1", 4, 6, 7},
    {"QTR", "B", 1, 12, 7},
    {"QTR", "R", 6, 6, 7},
    {"QTR", "R", 1, 3, NAN},
    /* derived indicators are not in the cube */
    {"DER", "R", 1, 3, NAN},
};

static void test_value_table(void **state)
{
	struct fixture *fx = *state;
	for (size_t k = 0; k < NELEM(value_cases); k++) {
		const struct value_case *vc = &value_cases[k];
		CHECK_NUM(cube_value(&fx->cube, II(&fx->cat, vc->ind),
				     IA(&fx->cat, vc->area), MI(Y, vc->lo),
				     MI(Y, vc->hi)),
			  vc->want, "case %zu: %s %s %d..%d", k, vc->ind,
			  vc->area, vc->lo, vc->hi);
	}
}

static void test_value_sweep(void **state)
{
	struct fixture *fx = *state;
	static struct model md;
	model_from_cube(&md, &fx->cube);
	/* The model holds what was stored. */
	CHECK_NUM(md.own[II(&fx->cat, "SUM_SUM")][IA(&fx->cat, "B2")]
			[MI(Y, 2) - MODEL_LO],
		  200, "model");
	sweep(&fx->cube, &md);
}

static void test_cell_and_flags(void **state)
{
	struct fixture *fx = *state;
	const struct catalog *cat = &fx->cat;
	int i = II(cat, "AVG_AVG"), n_none = II(cat, "SUM_NONE");
	double s, n;
	cube_cell(&fx->cube, i, IA(cat, "R"), MI(Y, 1), &s, &n);
	CHECK_NUM(s, 111, "R cell sum");
	CHECK_NUM(n, 3, "R cell count");
	cube_cell(&fx->cube, i, IA(cat, "B"), MI(Y, 2), &s, &n);
	CHECK_NUM(s, 200, "B Feb sum");
	CHECK_NUM(n, 1, "B Feb count");
	cube_cell(&fx->cube, i, IA(cat, "B1"), MI(Y, 2), &s, &n);
	CHECK_NUM(n, 0, "B1 Feb count");
	cube_cell(&fx->cube, n_none, IA(cat, "R"), MI(Y, 1), &s, &n);
	CHECK_NUM(n, 0, "area_agg none has no aggregate");
	cube_cell(&fx->cube, i, IA(cat, "R"), MI(2030, 1), &s, &n);
	CHECK_NUM(n, 0, "month not held");
	CHECK_NUM(cube_own(&fx->cube, i, IA(cat, "R"), MI(Y, 1)), NAN,
		  "no own figure at R");
	CHECK_NUM(cube_own(&fx->cube, i, IA(cat, "B2"), MI(Y, 2)), 200,
		  "own B2");
	CHECK_NUM(cube_own(&fx->cube, i, IA(cat, "B2"), MI(2030, 2)), NAN,
		  "own out of range");
	CHECK_NUM(cube_own(&fx->cube, II(cat, "DER"), IA(cat, "B2"), MI(Y, 2)),
		  NAN, "own of derived");
	assert_int_equal(cube_flags(&fx->cube, i, IA(cat, "A"), MI(Y, 1)),
			 VALUE_SUBMITTED | VALUE_SAMPLE);
	assert_int_equal(cube_flags(&fx->cube, i, IA(cat, "A"), MI(Y, 2)),
			 VALUE_APPROVED);
	assert_int_equal(cube_flags(&fx->cube, i, IA(cat, "B1"), MI(Y, 2)), 0);
	assert_int_equal(cube_flags(&fx->cube, i, IA(cat, "A"), MI(2030, 1)),
			 0);
	/* The store knows which series exist. */
	assert_int_equal(
	    fx->cube.stored[(size_t)i * N_AREAS + (size_t)IA(cat, "B1")], 1);
	assert_int_equal(
	    fx->cube.stored[(size_t)i * N_AREAS + (size_t)IA(cat, "B")], 0);
}

/* Own figures at internal areas, through the store and a fresh build. */
static void test_own_overrides_children(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->st;
	assert_int_equal(st->ops->begin(st), CS_OK);
	for (int k = 0; k < N_MONTHLY; k++) {
		fixture_put_figure(st, fx->ind_id[k], fx->area_id[2], MI(Y, 2),
				   1000, 0);
		fixture_put_figure(st, fx->ind_id[k], fx->area_id[0], MI(Y, 1),
				   5, 0);
	}
	assert_int_equal(st->ops->commit(st), CS_OK);
	load(fx);
	const struct catalog *cat = &fx->cat;
	const struct cube *c = &fx->cube;
	int R = IA(cat, "R"), B = IA(cat, "B");
	static const struct {
		const char *ind, *area;
		int lo, hi;
		double want;
	} cases[] = {
	    {"SUM_SUM", "B", 2, 2, 1000}, /* not 200 from B2 */
	    {"SUM_SUM", "R", 2, 2, 1002}, /* A 2 + B's own 1000 */
	    {"SUM_SUM", "R", 1, 1, 5},	  /* R's own, not 111 */
	    {"SUM_SUM", "R", 1, 3, 1051}, /* 5 + 1002 + 44 */
	    {"SUM_SUM", "B", 1, 3, 1150}, /* 110 + 1000 + 40 */
	    {"SUM_SUM", "B2", 2, 2, 200}, /* the child keeps its own */
	    {"SUM_AVG", "R", 2, 2, 501},
	    {"SUM_AVG", "R", 1, 3, 5 + 501 + 22},
	    {"SUM_NONE", "B", 2, 2, 1000}, /* reported, so shown */
	    {"SUM_NONE", "B", 1, 3, 1000},
	    {"SUM_NONE", "R", 1, 3, 5},
	    {"SUM_NONE", "R", 2, 3, NAN},
	    {"LAST_SUM", "R", 1, 2, 1002},
	    {"LAST_SUM", "B", 1, 2, 1000},
	    {"LAST_AVG", "R", 2, 2, 501},
	    {"LAST_AVG", "R", 1, 1, 5},
	    {"LAST_NONE", "B", 1, 3, 1000},
	    {"AVG_SUM", "R", 1, 3, 1051.0 / 3},
	    {"AVG_AVG", "R", 1, 3, 1051.0 / 5}, /* 5 | 2, 1000 | 4, 40 */
	    {"AVG_AVG", "B", 1, 3, 1150.0 / 4},
	    {"AVG_NONE", "B", 1, 3, 1000},
	    {"AVG_NONE", "R", 1, 3, 5},
	};
	for (size_t k = 0; k < NELEM(cases); k++)
		CHECK_NUM(
		    cube_value(c, II(cat, cases[k].ind), IA(cat, cases[k].area),
			       MI(Y, cases[k].lo), MI(Y, cases[k].hi)),
		    cases[k].want, "case %zu: %s %s %d..%d", k, cases[k].ind,
		    cases[k].area, cases[k].lo, cases[k].hi);
	double s, n;
	cube_cell(c, II(cat, "SUM_SUM"), R, MI(Y, 2), &s, &n);
	CHECK_NUM(s, 1002, "R Feb cell");
	CHECK_NUM(n, 2, "R Feb count");
	cube_cell(c, II(cat, "SUM_SUM"), B, MI(Y, 2), &s, &n);
	CHECK_NUM(n, 1, "B Feb count: its own figure");
	static struct model md;
	model_from_cube(&md, c);
	sweep(c, &md);
}

/* cube_set on the cube alone: every ancestor follows at once, and removing
 * the figure takes it all back. */
static void test_set_updates_ancestors(void **state)
{
	struct fixture *fx = *state;
	const struct catalog *cat = &fx->cat;
	struct cube *c = &fx->cube;
	int R = IA(cat, "R"), B = IA(cat, "B"), B1 = IA(cat, "B1");
	static struct model md;
	for (int i = 0; i < N_MONTHLY; i++) {
		const char *code = cat->inds[i].code;
		int none = cat->inds[i].area_agg == AREA_NONE;
		long n0 = c->n_values;
		/* B1 had no figure in February. */
		cube_set(c, i, B1, MI(Y, 2), 30, VALUE_DRAFT);
		assert_int_equal(c->n_values, n0 + 1);
		CHECK_NUM(cube_own(c, i, B1, MI(Y, 2)), 30, "%s own", code);
		assert_int_equal(cube_flags(c, i, B1, MI(Y, 2)), VALUE_DRAFT);
		double s, n;
		cube_cell(c, i, B, MI(Y, 2), &s, &n);
		CHECK_NUM(s, none ? 0 : 230, "%s B Feb", code);
		CHECK_NUM(n, none ? 0 : 2, "%s B Feb count", code);
		cube_cell(c, i, R, MI(Y, 2), &s, &n);
		CHECK_NUM(s, none ? 0 : 232, "%s R Feb", code);
		CHECK_NUM(n, none ? 0 : 3, "%s R Feb count", code);
		/* Changed: the difference travels up. */
		cube_set(c, i, B1, MI(Y, 2), 35, VALUE_APPROVED);
		assert_int_equal(c->n_values, n0 + 1);
		cube_cell(c, i, R, MI(Y, 2), &s, &n);
		CHECK_NUM(s, none ? 0 : 237, "%s R Feb after change", code);
		CHECK_NUM(n, none ? 0 : 3, "%s R Feb count after change", code);
		/* An own figure at B hides its children from R. */
		cube_set(c, i, B, MI(Y, 2), 1000, 0);
		cube_cell(c, i, R, MI(Y, 2), &s, &n);
		CHECK_NUM(s, none ? 0 : 1002, "%s R Feb over B's own", code);
		CHECK_NUM(n, none ? 0 : 2, "%s R Feb count over B's own", code);
		/* A child of B changing does not reach R while B reports. */
		cube_set(c, i, B1, MI(Y, 2), 36, 0);
		cube_cell(c, i, R, MI(Y, 2), &s, &n);
		CHECK_NUM(s, none ? 0 : 1002, "%s R Feb still B's own", code);
		cube_cell(c, i, B, MI(Y, 2), &s, &n);
		CHECK_NUM(s, 1000, "%s B's own cell", code);
		/* B withdraws its figure: R sees the children again. */
		cube_set(c, i, B, MI(Y, 2), NAN, 0);
		cube_cell(c, i, R, MI(Y, 2), &s, &n);
		CHECK_NUM(s, none ? 0 : 238, "%s R Feb after B withdrew", code);
		CHECK_NUM(n, none ? 0 : 3, "%s R count after B withdrew", code);
		/* Removing B1's figure (NaN) brings back the first state. */
		cube_set(c, i, B1, MI(Y, 2), NAN, VALUE_DRAFT);
		assert_int_equal(c->n_values, n0);
		CHECK_NUM(cube_own(c, i, B1, MI(Y, 2)), NAN, "%s removed",
			  code);
		assert_int_equal(cube_flags(c, i, B1, MI(Y, 2)), 0);
		cube_cell(c, i, R, MI(Y, 2), &s, &n);
		CHECK_NUM(s, none ? 0 : 202, "%s R Feb after removal", code);
		CHECK_NUM(n, none ? 0 : 2, "%s R Feb count after removal",
			  code);
		/* Removing every figure of a month leaves empty cells. */
		cube_set(c, i, IA(cat, "A"), MI(Y, 2), NAN, 0);
		cube_set(c, i, IA(cat, "B2"), MI(Y, 2), NAN, 0);
		cube_cell(c, i, R, MI(Y, 2), &s, &n);
		CHECK_NUM(s, 0, "%s R Feb empty sum", code);
		CHECK_NUM(n, 0, "%s R Feb empty count", code);
		CHECK_NUM(cube_value(c, i, R, MI(Y, 2), MI(Y, 2)), NAN,
			  "%s R Feb empty", code);
		/* Removing a figure that is not there changes nothing. */
		cube_set(c, i, IA(cat, "A"), MI(Y, 2), NAN, 0);
		assert_int_equal(c->n_values, n0 - 2);
	}
	model_from_cube(&md, c);
	sweep(c, &md);
}

/*
 * The civstat path: value_set writes the store and calls cube_set; after
 * every write the cube must agree exactly with one built afresh from the
 * store, and every ancestor must already show the change.
 */
static void test_set_matches_fresh_build(void **state)
{
	struct fixture *fx = *state;
	struct civstat *cs;
	assert_int_equal(civstat_open(fx->db, 0, &cs), CS_OK);
	const struct catalog *cat = &cs->cat;
	static const struct step {
		const char *area;
		int year, month;
		double v;
	} steps[] = {
	    {"B1", Y, 1, 12.3},	  {"B2", Y, 2, 0.1},	  {"B1", Y, 2, 0.2},
	    {"A", Y, 2, 0.7},	  {"B", Y, 3, 45.67},	  {"B1", Y, 3, 3.3},
	    {"B", Y, 3, NAN},	  {"B2", Y, 1, NAN},	  {"R", Y, 1, 99.9},
	    {"A", Y, 1, 1e-3},	  {"B2", 2026, 5, 17.17}, /* a month not yet
							     held */
	    {"B1", Y, 1, NAN},	  {"B2", Y, 3, 1.0 / 3},  {"B1", Y, 3, 2.0 / 3},
	    {"B1", Y, 2, 1234.5}, {"B1", Y, 2, 0.3},	  {"R", Y, 1, NAN},
	};
	static struct model md;
	char first[256] = "";
	int n_diff = 0;
	for (size_t k = 0; k < NELEM(steps); k++) {
		const struct step *sp = &steps[k];
		int a = IA(cat, sp->area), m = MI(sp->year, sp->month);
		for (int i = 0; i < N_MONTHLY; i++) {
			assert_int_equal(value_set(cs, i, a, m, sp->v,
						   VALUE_SUBMITTED, NULL),
					 CS_OK);
			/* The ancestors show it before anything else runs. */
			model_from_cube(&md, &cs->cube);
			for (int p = a; p >= 0; p = cat->parent[p])
				CHECK_CLOSE(cube_value(&cs->cube, i, p, m, m),
					    model_value(&md, i, p, m, m),
					    "step %zu %s at %s", k,
					    cat->inds[i].code,
					    cat->areas[p].code);
			CHECK_NUM(cube_own(&cs->cube, i, a, m), sp->v,
				  "step %zu own", k);
		}
		struct catalog cat2;
		struct cube fresh;
		assert_int_equal(catalog_load(&cat2, cs->st), CS_OK);
		assert_int_equal(cube_build(&fresh, &cat2, cs->st), CS_OK);
		char when[64];
		snprintf(when, sizeof when, "after step %zu (%s %d-%02d)", k,
			 sp->area, sp->year, sp->month);
		n_diff +=
		    same_cube(&cs->cube, &fresh, when, first, sizeof first);
		cube_release(&fresh);
		catalog_release(&cat2);
	}
	/* The cube grew to hold 2026 and kept 2025. */
	assert_true(cube_holds(&cs->cube, MI(2026, 5)));
	assert_true(cube_holds(&cs->cube, MI(Y, 1)));
	model_from_cube(&md, &cs->cube);
	sweep(&cs->cube, &md);
	CHECK_NUM(cube_value(&cs->cube, II(cat, "SUM_SUM"), IA(cat, "R"),
			     MI(2026, 5), MI(2026, 5)),
		  17.17, "2026-05 at the root");
	civstat_close(cs);
	if (n_diff)
		fail_msg("%d aggregate sums differ from a fresh build; first "
			 "%s",
			 n_diff, first);
}

/*
 * A clerk types a figure in yuan instead of 亿元 and corrects it: once the
 * wrong figure is gone, every aggregate must be what the figures add up to,
 * not what is left of adding and taking away a huge number.
 */
static void test_set_after_large_figure(void **state)
{
	struct fixture *fx = *state;
	const struct catalog *cat = &fx->cat;
	struct cube *c = &fx->cube;
	int i = II(cat, "SUM_SUM"), B1 = IA(cat, "B1");
	cube_set(c, i, B1, MI(Y, 2), 123456789012345.6, 0);
	cube_set(c, i, B1, MI(Y, 2), 1.23, 0);
	/* B: 200 + 1.23; R: that + 2 (A). */
	CHECK_CLOSE(cube_value(c, i, IA(cat, "B"), MI(Y, 2), MI(Y, 2)),
		    200 + 1.23, "B after the correction");
	CHECK_CLOSE(cube_value(c, i, IA(cat, "R"), MI(Y, 2), MI(Y, 2)),
		    200 + 1.23 + 2, "R after the correction");
	CHECK_CLOSE(cube_value(c, i, IA(cat, "R"), MI(Y, 1), MI(Y, 3)),
		    111 + 203.23 + 44, "R over the quarter");
}

static void test_reserve_keeps_figures(void **state)
{
	struct fixture *fx = *state;
	struct cube *c = &fx->cube;
	const struct catalog *cat = &fx->cat;
	static struct model before;
	long nv = c->n_values;
	model_from_cube(&before, c);

	/* Within the range: nothing moves. */
	assert_int_equal(cube_reserve(c, MI(Y, 3), MI(Y, 11)), CS_OK);
	assert_int_equal(c->month0, MI(Y, 1));
	assert_int_equal(c->n_months, 12);

	/* Growing both ways, to whole years. */
	assert_int_equal(cube_reserve(c, MI(2023, 5), MI(2026, 2)), CS_OK);
	assert_int_equal(c->month0, MI(2023, 1));
	assert_int_equal(c->n_months, 48);
	assert_int_equal(c->n_values, nv);
	sweep(c, &before);
	assert_int_equal(
	    cube_flags(c, II(cat, "SUM_SUM"), IA(cat, "A"), MI(Y, 1)),
	    VALUE_SUBMITTED | VALUE_SAMPLE);
	for (int i = 0; i < N_INDS; i++)
		for (int a = 0; a < N_AREAS; a++)
			for (int m = MI(2023, 1); m < MI(2027, 1); m++) {
				double s, n, bs, bn;
				cube_cell(c, i, a, m, &s, &n);
				model_cell(&before, i, a, m, &bs, &bn);
				CHECK_NUM(n, bn, "count %s %s %d",
					  cat->inds[i].code, cat->areas[a].code,
					  m);
				CHECK_NUM(s, bs, "sum %s %s %d",
					  cat->inds[i].code, cat->areas[a].code,
					  m);
			}

	/* Only downwards, then only upwards. */
	assert_int_equal(cube_reserve(c, MI(2020, 7), MI(2020, 7)), CS_OK);
	assert_int_equal(c->month0, MI(2020, 1));
	assert_int_equal(c->n_months, 84);
	assert_int_equal(cube_reserve(c, MI(2028, 12), MI(2028, 12)), CS_OK);
	assert_int_equal(c->month0, MI(2020, 1));
	assert_int_equal(c->n_months, 108);
	sweep(c, &before);

	/* The new months take figures and aggregate them. */
	int i = II(cat, "SUM_SUM");
	cube_set(c, i, IA(cat, "B1"), MI(2020, 7), 8, 0);
	cube_set(c, i, IA(cat, "B2"), MI(2028, 12), 9, 0);
	CHECK_NUM(cube_value(c, i, IA(cat, "R"), MI(2020, 1), MI(2020, 12)), 8,
		  "2020 at the root");
	CHECK_NUM(cube_value(c, i, IA(cat, "B"), MI(2028, 12), MI(2028, 12)), 9,
		  "2028-12 at B");
	CHECK_NUM(cube_value(c, i, IA(cat, "R"), MI(Y, 1), MI(Y, 3)), 357,
		  "2025 untouched");
	assert_int_equal(c->n_values, nv + 2);
}

static void test_latest_month(void **state)
{
	struct fixture *fx = *state;
	struct cube *c = &fx->cube;
	const struct catalog *cat = &fx->cat;
	/* March 2025: the quarterly figure at June does not count. */
	assert_int_equal(cube_latest_month(c), MI(Y, 3));
	cube_set(c, II(cat, "QTR"), IA(cat, "A"), MI(Y, 9), 1, 0);
	assert_int_equal(cube_latest_month(c), MI(Y, 3));
	/* A monthly figure at an internal area counts too. */
	cube_set(c, II(cat, "AVG_NONE"), IA(cat, "B"), MI(Y, 5), 1, 0);
	assert_int_equal(cube_latest_month(c), MI(Y, 5));
	assert_int_equal(cube_reserve(c, MI(2026, 1), MI(2026, 1)), CS_OK);
	cube_set(c, II(cat, "LAST_SUM"), IA(cat, "B2"), MI(2026, 2), 1, 0);
	assert_int_equal(cube_latest_month(c), MI(2026, 2));
	cube_set(c, II(cat, "LAST_SUM"), IA(cat, "B2"), MI(2026, 2), NAN, 0);
	assert_int_equal(cube_latest_month(c), MI(Y, 5));
	cube_set(c, II(cat, "AVG_NONE"), IA(cat, "B"), MI(Y, 5), NAN, 0);
	assert_int_equal(cube_latest_month(c), MI(Y, 3));
	/* March removed everywhere: February. */
	for (int i = 0; i < N_MONTHLY; i++) {
		cube_set(c, i, IA(cat, "A"), MI(Y, 3), NAN, 0);
		cube_set(c, i, IA(cat, "B1"), MI(Y, 3), NAN, 0);
	}
	assert_int_equal(cube_latest_month(c), MI(Y, 2));
}

static void test_empty_store(void **state)
{
	struct fixture *fx = *state;
	char db[128];
	struct store *st;
	struct catalog cat;
	struct cube c;
	fixture_db(db, sizeof db, fx->dir, "empty.db");
	assert_int_equal(store_open(db, STORE_CREATE, &st), CS_OK);
	assert_int_equal(catalog_load(&cat, st), CS_OK);
	assert_int_equal(cat.n_areas, 0);
	assert_int_equal(catalog_root(&cat), -1);
	assert_int_equal(cube_build(&c, &cat, st), CS_OK);
	assert_int_equal(cube_latest_month(&c), -1);
	assert_int_equal(c.n_values, 0);
	assert_int_equal(c.n_months % 12, 0);
	cube_release(&c);
	catalog_release(&cat);
	store_close(st);
	/* A catalog without figures: nothing anywhere. */
	CHECK_NUM(cube_value(&fx->cube, II(&fx->cat, "SUM_SUM"),
			     IA(&fx->cat, "R"), MI(Y, 7), MI(Y, 12)),
		  NAN, "no figures in the second half");
}

/* Targets and benchmarks go through the store into the cube. */
static void test_targets_and_benchmarks(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->st;
	assert_int_equal(st->ops->begin(st), CS_OK);
	struct target t = {
	    fx->ind_id[0], fx->area_id[0], Y, TARGET_ANNUAL, 500, 0};
	assert_int_equal(st->ops->put_target(st, &t), CS_OK);
	t.kind = TARGET_PLAN;
	t.value = 2500;
	assert_int_equal(st->ops->put_target(st, &t), CS_OK);
	struct benchmark b = {fx->ind_id[0],
			      (char *)"全省平均",
			      MI(Y, 9),
			      PERIOD_QUARTER,
			      MEASURE_GROWTH,
			      6.5,
			      1};
	assert_int_equal(st->ops->put_benchmark(st, &b), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	load(fx);
	const struct catalog *cat = &fx->cat;
	double v;
	int i = II(cat, "SUM_SUM"), R = IA(cat, "R");
	assert_true(cube_target(&fx->cube, i, R, Y, TARGET_ANNUAL, &v));
	CHECK_NUM(v, 500, "annual target");
	assert_true(cube_target(&fx->cube, i, R, Y, TARGET_PLAN, &v));
	CHECK_NUM(v, 2500, "plan target");
	assert_false(cube_target(&fx->cube, i, R, 2024, TARGET_ANNUAL, &v));
	assert_false(
	    cube_target(&fx->cube, i, IA(cat, "A"), Y, TARGET_ANNUAL, &v));
	int g = catalog_group(cat, "全省平均", strlen("全省平均"));
	assert_int_equal(g, 0);
	assert_true(cube_benchmark(&fx->cube, i, g, MI(Y, 9), PERIOD_QUARTER,
				   MEASURE_GROWTH, &v));
	CHECK_NUM(v, 6.5, "benchmark");
	assert_false(cube_benchmark(&fx->cube, i, g, MI(Y, 9), PERIOD_MONTH,
				    MEASURE_GROWTH, &v));
	assert_false(cube_benchmark(&fx->cube, i, g, MI(Y, 9), PERIOD_QUARTER,
				    MEASURE_VALUE, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_catalog_shape, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_value_table, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_value_sweep, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cell_and_flags, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_own_overrides_children, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_set_updates_ancestors, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_set_matches_fresh_build, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_set_after_large_figure, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_reserve_keeps_figures, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_latest_month, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty_store, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_targets_and_benchmarks, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
