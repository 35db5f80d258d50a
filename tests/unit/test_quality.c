/*
 * Unit tests of src/domain/quality.c (civstat check) over a real SQLite
 * database: each test imports a small catalog and figures written to CSV
 * files in a temporary directory, changes figures with value_set where the
 * freshness of a check matters, and asserts the findings of quality_check
 * one by one (kind, indicator, area, month, value, ref, score) and the
 * departments' reporting counts.
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
#include "domain/import.h"
#include "domain/quality.h"
#include "domain/values.h"
#include "store/store.h"

#include "fixture.h"

/* Same number within a relative 1e-9 (changes in % are computed by
 * division), or both NaN. */
#define CHECK_CLOSE(got, want, ...) CHECK_NEAR(got, want, 1e-9, __VA_ARGS__)

/* ---- the city --------------------------------------------------------- */

static const char DEPTS[] = "code,name\n"
			    "D1,一局\n"
			    "D2,二局\n"
			    "D3,三局\n";

/* A root with five children; E has four children of its own. */
static const char AREAS[] = "code,name,parent\n"
			    "R,市,\n"
			    "A,甲区,R\n"
			    "B,乙区,R\n"
			    "C,丙区,R\n"
			    "D,丁区,R\n"
			    "E,戊县,R\n"
			    "E1,戊一镇,E\n"
			    "E2,戊二镇,E\n"
			    "E3,戊三镇,E\n"
			    "E4,戊四镇,E\n";

#define IND_HEADER                                                             \
	"code,name,pillar,frequency,time_agg,area_agg,department,formula,"     \
	"min,max,part_of,max_jump\n"
#define VAL_HEADER "indicator,area,period,value,state\n"

struct fixture {
	char dir[FIXTURE_DIR];
	char db[128];
	struct civstat *cs;
	struct quality q; /* the last check's findings, released by the next
			     check or by teardown (also after a failure) */
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	fixture_mkdtemp(fx->dir, "test_quality");
	fixture_db(fx->db, sizeof fx->db, fx->dir, "city.db");
	assert_int_equal(civstat_open(fx->db, STORE_CREATE, &fx->cs), CS_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	quality_release(&fx->q);
	civstat_close(fx->cs);
	fixture_rmdir(fx->dir);
	free(fx);
	return 0;
}

/* Imports the city's departments and areas with the given indicators and
 * figures (CSV text with IND_HEADER and VAL_HEADER). */
static void load(struct fixture *fx, const char *inds, const char *values)
{
	char p[4][256];
	struct import_report r;
	struct import_opts o = {0};
	write_file(fx->dir, "departments.csv", DEPTS, p[0]);
	write_file(fx->dir, "areas.csv", AREAS, p[1]);
	write_file(fx->dir, "indicators.csv", inds, p[2]);
	write_file(fx->dir, "values.csv", values, p[3]);
	const char *files[] = {p[0], p[1], p[2], p[3]};
	int rc = import_files(fx->cs, files, 4, &o, &r);
	fixture_import_ok(rc, &r, "import");
	import_report_release(&r);
}

/* A growing CSV text for the table-driven tests. */
struct text {
	char buf[32768];
	size_t n;
};

static __attribute__((format(printf, 2, 3))) void text_add(struct text *t,
							   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(t->buf + t->n, sizeof t->buf - t->n, fmt, ap);
	va_end(ap);
	assert_true(k >= 0 && (size_t)k < sizeof t->buf - t->n);
	t->n += (size_t)k;
}

static int month_of(const char *period)
{
	struct period p;
	assert_int_equal(period_parse(period, strlen(period), &p), CS_OK);
	return period_last_month(&p);
}

/* Runs quality_check at period (any form period_parse takes); the
 * findings stay in fx->q until the next check. */
static const struct quality *check(struct fixture *fx, const char *period)
{
	struct period p;
	quality_release(&fx->q);
	assert_int_equal(period_parse(period, strlen(period), &p), CS_OK);
	int rc = quality_check(fx->cs, &p, &fx->q);
	if (rc != CS_OK)
		fail_msg("quality_check %s: rc %d (%s)", period, rc,
			 cs_errmsg());
	return &fx->q;
}

/* Findings of kind for indicator ind and area a; -1 matches any. */
static int count(const struct quality *q, int kind, int ind, int a)
{
	int n = 0;
	for (int k = 0; k < q->n; k++) {
		const struct finding *f = &q->items[k];
		n += (kind < 0 || f->kind == kind) &&
		     (ind < 0 || f->ind == ind) && (a < 0 || f->area == a);
	}
	return n;
}

/* The one finding of kind for ind and area a; fails unless there is
 * exactly one. */
static const struct finding *one(const struct civstat *cs,
				 const struct quality *q, int kind,
				 const char *ind, const char *area)
{
	int i = II(cs, ind), a = IA(cs, area);
	const struct finding *found = NULL;
	int n = 0;
	for (int k = 0; k < q->n; k++)
		if (q->items[k].kind == kind && q->items[k].ind == i &&
		    q->items[k].area == a) {
			found = &q->items[k];
			n++;
		}
	if (n != 1)
		fail_msg("%s %s %s: %d findings, want 1", finding_name(kind),
			 ind, area, n);
	return found;
}

/* Lists every finding, to show what came instead of what was expected. */
static void dump(const struct civstat *cs, const struct quality *q)
{
	for (int k = 0; k < q->n; k++) {
		const struct finding *f = &q->items[k];
		print_message("  %s %s %s m=%d value=%g ref=%g score=%g\n",
			      finding_name(f->kind), cs->cat.inds[f->ind].code,
			      cs->cat.areas[f->area].code, f->month, f->value,
			      f->ref, f->score);
	}
}

/* ---- names ------------------------------------------------------------ */

static void test_finding_names(void **state)
{
	(void)state;
	static const struct {
		int kind;
		const char *en, *zh;
	} cases[] = {
	    {FINDING_BOUNDS, "bounds", "超出范围"},
	    {FINDING_PART_OF, "part_of", "部分大于整体"},
	    {FINDING_JUMP_PREV, "jump_prev", "环比波动过大"},
	    {FINDING_JUMP_YEAR, "jump_year", "同比波动过大"},
	    {FINDING_OUTLIER, "outlier", "增速离群"},
	    {FINDING_MISSING, "missing", "未报送"},
	    {FINDING_NOT_SUBMITTED, "not_submitted", "未提交审核"},
	    {-1, "?", "?"},
	    {FINDING_NKINDS, "?", "?"},
	    {1000, "?", "?"},
	};
	assert_int_equal(FINDING_NKINDS, 7);
	for (size_t k = 0; k < NELEM(cases); k++) {
		assert_string_equal(finding_name(cases[k].kind), cases[k].en);
		assert_string_equal(finding_name_zh(cases[k].kind),
				    cases[k].zh);
	}
	/* every kind has its own name in both languages */
	for (int a = 0; a < FINDING_NKINDS; a++)
		for (int b = a + 1; b < FINDING_NKINDS; b++) {
			assert_string_not_equal(finding_name(a),
						finding_name(b));
			assert_string_not_equal(finding_name_zh(a),
						finding_name_zh(b));
		}
}

/* ---- bounds ----------------------------------------------------------- */

static const struct bounds_case {
	const char *code;
	const char *min, *max; /* "" when unset */
	double value;
	int flagged;
	double ref; /* the bound crossed */
} bounds_cases[] = {
    {"B_BELOW", "0", "100", -1, 1, 0},
    {"B_ABOVE", "0", "100", 101, 1, 100},
    {"B_AT_MIN", "0", "100", 0, 0, NAN},
    {"B_AT_MAX", "0", "100", 100, 0, NAN},
    {"B_INSIDE", "0", "100", 50, 0, NAN},
    {"B_FAR_BELOW", "-5.5", "3", -7.25, 1, -5.5},
    {"B_JUST_ABOVE", "-5.5", "3", 3.0001, 1, 3},
    {"B_MIN_ONLY_LOW", "10", "", 9.99, 1, 10},
    {"B_MIN_ONLY_HIGH", "10", "", 1e12, 0, NAN},
    {"B_MAX_ONLY_HIGH", "", "10", 10.5, 1, 10},
    {"B_MAX_ONLY_LOW", "", "10", -1e12, 0, NAN},
    {"B_UNSET", "", "", -1e12, 0, NAN},
};

static void test_bounds(void **state)
{
	struct fixture *fx = *state;
	const struct quality *q;
	static struct text inds, vals;
	inds.n = vals.n = 0;
	text_add(&inds, IND_HEADER);
	text_add(&vals, VAL_HEADER);
	for (size_t k = 0; k < NELEM(bounds_cases); k++) {
		const struct bounds_case *c = &bounds_cases[k];
		text_add(&inds, "%s,%s,stable,month,sum,sum,D1,,%s,%s,,\n",
			 c->code, c->code, c->min, c->max);
		text_add(&vals, "%s,A,2025-09,%.17g,\n", c->code, c->value);
	}
	load(fx, inds.buf, vals.buf);

	q = check(fx, "2025-09");
	int want = 0;
	for (size_t k = 0; k < NELEM(bounds_cases); k++) {
		const struct bounds_case *c = &bounds_cases[k];
		int i = II(fx->cs, c->code);
		int n = count(q, FINDING_BOUNDS, i, -1);
		if (n != c->flagged) {
			dump(fx->cs, q);
			fail_msg("%s (%s..%s) %g: %d bounds findings, want %d",
				 c->code, c->min, c->max, c->value, n,
				 c->flagged);
		}
		want += c->flagged;
		if (!c->flagged)
			continue;
		const struct finding *f =
		    one(fx->cs, q, FINDING_BOUNDS, c->code, "A");
		CHECK_CLOSE(f->value, c->value, "%s value", c->code);
		CHECK_CLOSE(f->ref, c->ref, "%s ref", c->code);
		assert_int_equal(f->month, MI(2025, 9));
	}
	/* nothing else: first figures, approved, no siblings to compare */
	if (q->n != want) {
		dump(fx->cs, q);
		fail_msg("%d findings, want %d", q->n, want);
	}

	/* a correction is seen at once: the figure back inside its bounds */
	assert_int_equal(value_set(fx->cs, II(fx->cs, "B_ABOVE"),
				   IA(fx->cs, "A"), MI(2025, 9), 99,
				   VALUE_APPROVED, NULL),
			 CS_OK);
	q = check(fx, "2025-09");
	assert_int_equal(count(q, FINDING_BOUNDS, II(fx->cs, "B_ABOVE"), -1),
			 0);
	assert_int_equal(q->n, want - 1);
}

/* ---- a part above its whole ------------------------------------------- */

static void test_part_of(void **state)
{
	struct fixture *fx = *state;
	const struct quality *q;
	load(fx,
	     IND_HEADER "W,整体,vital,month,sum,sum,D1,,,,,\n"
			"P,部分,vital,month,sum,sum,D1,,,,W,\n"
			"W2,整体二,vital,month,sum,sum,D1,,,,,\n"
			"P2,部分二,vital,month,sum,sum,D1,,,,W2,\n",
	     VAL_HEADER
	     /* A below, B above, C equal: only B */
	     "W,A,2025-09,10,\n"
	     "P,A,2025-09,5,\n"
	     "W,B,2025-09,10,\n"
	     "P,B,2025-09,12,\n"
	     "W,C,2025-09,10,\n"
	     "P,C,2025-09,10,\n"
	     /* E's whole is what E1 and E2 add up to (7), its part is 9 */
	     "W,E1,2025-09,4,\n"
	     "W,E2,2025-09,3,\n"
	     "P,E,2025-09,9,\n"
	     /* R: parts 5+12+10+9 = 36, wholes 10+10+10+7 = 37 */
	     /* W2: R reports its whole (20); its part is what A and B add
	      * up to (27), each below its own whole */
	     "W2,R,2025-09,20,\n"
	     "W2,A,2025-09,15,\n"
	     "P2,A,2025-09,15,\n"
	     "W2,B,2025-09,12,\n"
	     "P2,B,2025-09,12,\n");

	q = check(fx, "2025-09");
	if (count(q, FINDING_PART_OF, -1, -1) != 3) {
		dump(fx->cs, q);
		fail_msg("%d part_of findings, want 3 (P at B and E, P2 at R)",
			 count(q, FINDING_PART_OF, -1, -1));
	}
	const struct finding *f = one(fx->cs, q, FINDING_PART_OF, "P", "B");
	CHECK_CLOSE(f->value, 12, "P at B");
	CHECK_CLOSE(f->ref, 10, "W at B");
	assert_int_equal(f->month, MI(2025, 9));

	f = one(fx->cs, q, FINDING_PART_OF, "P", "E");
	CHECK_CLOSE(f->value, 9, "P at E");
	CHECK_CLOSE(f->ref, 7, "W at E, the sum of E1 and E2");

	f = one(fx->cs, q, FINDING_PART_OF, "P2", "R");
	CHECK_CLOSE(f->value, 27, "P2 at R, the sum of A and B");
	CHECK_CLOSE(f->ref, 20, "W2 at R, reported");
	/* the finding is on the part, never on the whole */
	assert_int_equal(count(q, FINDING_PART_OF, II(fx->cs, "W"), -1), 0);
	assert_int_equal(count(q, FINDING_PART_OF, II(fx->cs, "W2"), -1), 0);

	/* one more town's whole lifts E's whole to 9: equal is not above */
	assert_int_equal(value_set(fx->cs, II(fx->cs, "W"), IA(fx->cs, "E3"),
				   MI(2025, 9), 2, VALUE_APPROVED, NULL),
			 CS_OK);
	q = check(fx, "2025-09");
	assert_int_equal(
	    count(q, FINDING_PART_OF, II(fx->cs, "P"), IA(fx->cs, "E")), 0);
	assert_int_equal(count(q, FINDING_PART_OF, -1, -1), 2);
}

/* ---- jumps ------------------------------------------------------------ */

static const struct jump_case {
	const char *code;
	const char *frequency; /* month, quarter, year */
	const char *max_jump;  /* "" for the default 50 */
	struct {
		const char *period;
		double value;
	} fig[3]; /* the last is the figure checked */
	const char *at;
	double prev_score, prev_ref; /* NaN: no jump_prev finding */
	double year_score, year_ref; /* NaN: no jump_year finding */
} jump_cases[] = {
    /* clang-format off */
    {"J_OVER", "month", "20", {{"2025-08", 100}, {"2025-09", 121}}, "2025-09",
     21, 100, NAN, NAN},
    {"J_UNDER", "month", "20", {{"2025-08", 100}, {"2025-09", 119.9}},
     "2025-09", NAN, NAN, NAN, NAN},
    {"J_DOWN", "month", "20", {{"2025-08", 100}, {"2025-09", 79}}, "2025-09",
     -21, 100, NAN, NAN},
    {"J_DOWN_UNDER", "month", "20", {{"2025-08", 100}, {"2025-09", 80.1}},
     "2025-09", NAN, NAN, NAN, NAN},
    {"J_DEF_OVER", "month", "", {{"2025-08", 100}, {"2025-09", 151}},
     "2025-09", 51, 100, NAN, NAN},
    {"J_DEF_UNDER", "month", "", {{"2025-08", 100}, {"2025-09", 149.9}},
     "2025-09", NAN, NAN, NAN, NAN},
    {"J_DEF_AT", "month", "", {{"2025-08", 100}, {"2025-09", 150}}, "2025-09",
     NAN, NAN, NAN, NAN},
    {"J_DEF_DOWN", "month", "", {{"2025-08", 100}, {"2025-09", 49}},
     "2025-09", -51, 100, NAN, NAN},
    {"J_WIDE", "month", "200", {{"2025-08", 100}, {"2025-09", 299}},
     "2025-09", NAN, NAN, NAN, NAN},
    {"J_WIDE_OVER", "month", "200", {{"2025-08", 100}, {"2025-09", 301}},
     "2025-09", 201, 100, NAN, NAN},
    {"J_YEAR", "month", "", {{"2024-09", 100}, {"2025-09", 160}}, "2025-09",
     NAN, NAN, 60, 100},
    {"J_YEAR_UNDER", "month", "30", {{"2024-09", 100}, {"2025-09", 129}},
     "2025-09", NAN, NAN, NAN, NAN},
    {"J_YEAR_OVER", "month", "30", {{"2024-09", 100}, {"2025-09", 131}},
     "2025-09", NAN, NAN, 31, 100},
    {"J_BOTH", "month", "", {{"2024-09", 40}, {"2025-08", 100}, {"2025-09", 160}},
     "2025-09", 60, 100, 300, 40},
    {"J_PREV_NOT_YEAR", "month", "",
     {{"2024-09", 150}, {"2025-08", 100}, {"2025-09", 160}}, "2025-09", 60,
     100, NAN, NAN},
    {"J_YEAR_NOT_PREV", "month", "",
     {{"2024-09", 40}, {"2025-08", 90}, {"2025-09", 100}}, "2025-09", NAN,
     NAN, 150, 40},
    /* two months back is not the previous month */
    {"J_GAP", "month", "", {{"2025-07", 100}, {"2025-09", 300}}, "2025-09",
     NAN, NAN, NAN, NAN},
    /* a base of 0 gives no change in % */
    {"J_ZERO", "month", "", {{"2025-08", 0}, {"2025-09", 5}}, "2025-09", NAN,
     NAN, NAN, NAN},
    /* a quarter's previous period is the quarter before, 3 months back */
    {"Q_PREV", "quarter", "30",
     {{"2025-Q1", 50}, {"2025-Q2", 100}, {"2025-Q3", 131}}, "2025-09", 31,
     100, NAN, NAN},
    {"Q_UNDER", "quarter", "30", {{"2025-Q2", 100}, {"2025-Q3", 129}},
     "2025-09", NAN, NAN, NAN, NAN},
    {"Q_YEAR", "quarter", "30", {{"2024-Q3", 100}, {"2025-Q3", 140}},
     "2025-Q3", NAN, NAN, 40, 100},
    {"Q_BOTH", "quarter", "",
     {{"2024-Q3", 100}, {"2025-Q2", 300}, {"2025-Q3", 30}}, "2025-09", -90,
     300, -70, 100},
    /* a yearly figure has one check only: against a year earlier */
    {"Y_OVER", "year", "10", {{"2024", 100}, {"2025", 120}}, "2025-12", NAN,
     NAN, 20, 100},
    {"Y_UNDER", "year", "10", {{"2024", 100}, {"2025", 109}}, "2025", NAN,
     NAN, NAN, NAN},
    {"Y_DEF", "year", "", {{"2024", 100}, {"2025", 40}}, "2025年", NAN, NAN,
     -60, 100},
    /* clang-format on */
};

static void check_jump(const struct fixture *fx, const struct quality *q,
		       const struct jump_case *c, int kind, double score,
		       double ref, double value, int m)
{
	int i = II(fx->cs, c->code);
	int n = count(q, kind, i, -1);
	if (n != !isnan(score)) {
		dump(fx->cs, q);
		fail_msg("%s: %d %s findings, want %d", c->code, n,
			 finding_name(kind), !isnan(score));
	}
	if (isnan(score))
		return;
	const struct finding *f = one(fx->cs, q, kind, c->code, "A");
	CHECK_CLOSE(f->score, score, "%s %s score", c->code,
		    finding_name(kind));
	CHECK_CLOSE(f->ref, ref, "%s %s ref", c->code, finding_name(kind));
	CHECK_CLOSE(f->value, value, "%s %s value", c->code,
		    finding_name(kind));
	assert_int_equal(f->month, m);
}

static void test_jumps(void **state)
{
	struct fixture *fx = *state;
	const struct quality *q;
	static struct text inds, vals;
	inds.n = vals.n = 0;
	text_add(&inds, IND_HEADER);
	text_add(&vals, VAL_HEADER);
	for (size_t k = 0; k < NELEM(jump_cases); k++) {
		const struct jump_case *c = &jump_cases[k];
		text_add(&inds, "%s,%s,stable,%s,sum,sum,D1,,,,,%s\n", c->code,
			 c->code, c->frequency, c->max_jump);
		for (int j = 0; j < 3 && c->fig[j].period; j++)
			text_add(&vals, "%s,A,%s,%.17g,\n", c->code,
				 c->fig[j].period, c->fig[j].value);
	}
	load(fx, inds.buf, vals.buf);

	for (size_t k = 0; k < NELEM(jump_cases); k++) {
		const struct jump_case *c = &jump_cases[k];
		int last = 0;
		while (last + 1 < 3 && c->fig[last + 1].period)
			last++;
		int m = month_of(c->at);
		assert_int_equal(m, month_of(c->fig[last].period));
		q = check(fx, c->at);
		check_jump(fx, q, c, FINDING_JUMP_PREV, c->prev_score,
			   c->prev_ref, c->fig[last].value, m);
		check_jump(fx, q, c, FINDING_JUMP_YEAR, c->year_score,
			   c->year_ref, c->fig[last].value, m);
		/* nothing else about these figures */
		int i = II(fx->cs, c->code);
		int n = count(q, -1, i, -1);
		int want = !isnan(c->prev_score) + !isnan(c->year_score);
		if (n != want) {
			dump(fx->cs, q);
			fail_msg("%s: %d findings, want %d", c->code, n, want);
		}
	}
}

/* ---- outliers --------------------------------------------------------- */

#define OUT_MAX_FIGS 6

static const struct outlier_case {
	const char *code;
	const char *area_agg;
	struct {
		const char *area;
		double base, value; /* 2024-09 and 2025-09; NaN: none */
	} fig[OUT_MAX_FIGS];
	const char *outlier; /* the area flagged, or NULL */
	double growth, median, z;
} outlier_cases[] = {
    /* clang-format off */
    /* growths 10 11 12 13 100: median 12, MAD 1 */
    {"O_FIVE", "sum",
     {{"A", 100, 110}, {"B", 100, 111}, {"C", 100, 112}, {"D", 100, 113},
      {"E", 100, 200}},
     "E", 100, 12, 0.6745 * 88},
    /* the low side too: -50 among 10 11 12 13, median 11, deviations
     * 1 0 1 2 61, MAD 1 */
    {"O_LOW", "sum",
     {{"A", 100, 110}, {"B", 100, 111}, {"C", 100, 112}, {"D", 100, 113},
      {"E", 100, 50}},
     "E", -50, 11, 0.6745 * -61},
    /* exactly four: 10 11 12 100, median 11.5, MAD 1 */
    {"O_FOUR", "sum",
     {{"A", 200, 220}, {"B", 200, 222}, {"C", 200, 224}, {"D", 200, 400}},
     "D", 100, 11.5, 0.6745 * 88.5},
    /* just above 3.5: 17.3 among 10 11 12 13 (z = 3.57) */
    {"O_EDGE_OVER", "sum",
     {{"A", 100, 110}, {"B", 100, 111}, {"C", 100, 112}, {"D", 100, 113},
      {"E", 100, 117.3}},
     "E", 17.3, 12, 0.6745 * 5.3},
    /* just below 3.5: 17.1 among 10 11 12 13 (z = 3.44) */
    {"O_EDGE_UNDER", "sum",
     {{"A", 100, 110}, {"B", 100, 111}, {"C", 100, 112}, {"D", 100, 113},
      {"E", 100, 117.1}},
     NULL, NAN, NAN, NAN},
    /* three siblings: too few, however far one is */
    {"O_THREE", "sum",
     {{"A", 100, 110}, {"B", 100, 111}, {"C", 100, 300}},
     NULL, NAN, NAN, NAN},
    /* five areas, but only three have both figures */
    {"O_THREE_OF_FIVE", "sum",
     {{"A", 100, 110}, {"B", 100, 111}, {"C", 100, 300}, {"D", NAN, 113},
      {"E", 100, NAN}},
     NULL, NAN, NAN, NAN},
    /* a base of 0 has no growth and does not count */
    {"O_ZERO_BASE", "sum",
     {{"A", 100, 110}, {"B", 100, 111}, {"C", 100, 300}, {"D", 0, 113}},
     NULL, NAN, NAN, NAN},
    /* MAD 0: four alike (10%), one far off, no scale to judge by */
    {"O_MAD0", "sum",
     {{"A", 100, 110}, {"B", 50, 55}, {"C", 200, 220}, {"D", 10, 11},
      {"E", 100, 200}},
     NULL, NAN, NAN, NAN},
    /* siblings are children of one parent: three districts and a town
     * are not four siblings */
    {"O_COUSINS", "sum",
     {{"A", 100, 110}, {"B", 100, 111}, {"C", 100, 112}, {"E1", 100, 300}},
     NULL, NAN, NAN, NAN},
    /* the towns of E are siblings among themselves: 1 2 3 40, median
     * 2.5, deviations 1.5 0.5 0.5 37.5, MAD 1 */
    {"O_TOWNS", "sum",
     {{"E1", 100, 101}, {"E2", 100, 102}, {"E3", 100, 103},
      {"E4", 100, 140}},
     "E4", 40, 2.5, 0.6745 * 37.5},
    /* all alike, an indicator averaged over areas: nothing */
    {"O_CALM", "avg",
     {{"A", 100, 110}, {"B", 100, 111}, {"C", 100, 112}, {"D", 100, 113},
      {"E", 100, 114}},
     NULL, NAN, NAN, NAN},
    /* clang-format on */
};

static void check_outlier_case(const struct fixture *fx,
			       const struct quality *q,
			       const struct outlier_case *c)
{
	const char *outlier = c->outlier;
	int i = II(fx->cs, c->code);
	int n = count(q, FINDING_OUTLIER, i, -1);
	if (n != (outlier != NULL)) {
		dump(fx->cs, q);
		fail_msg("%s: %d outliers, want %d", c->code, n,
			 outlier != NULL);
	}
	if (!outlier)
		return;
	const struct finding *f =
	    one(fx->cs, q, FINDING_OUTLIER, c->code, outlier);
	CHECK_CLOSE(f->value, c->growth, "%s growth", c->code);
	CHECK_CLOSE(f->ref, c->median, "%s median", c->code);
	CHECK_CLOSE(f->score, c->z, "%s z", c->code);
	assert_true(fabs(f->score) > QUALITY_OUTLIER_Z);
	assert_int_equal(f->month, MI(2025, 9));
}

static void test_outliers(void **state)
{
	struct fixture *fx = *state;
	const struct quality *q;
	static struct text inds, vals;
	inds.n = vals.n = 0;
	text_add(&inds, IND_HEADER);
	text_add(&vals, VAL_HEADER);
	for (size_t k = 0; k < NELEM(outlier_cases); k++) {
		const struct outlier_case *c = &outlier_cases[k];
		/* max_jump high enough that only outliers are found */
		text_add(&inds, "%s,%s,stable,month,sum,%s,D1,,,,,10000\n",
			 c->code, c->code, c->area_agg);
		for (int j = 0; j < OUT_MAX_FIGS && c->fig[j].area; j++) {
			if (!isnan(c->fig[j].base))
				text_add(&vals, "%s,%s,2024-09,%.17g,\n",
					 c->code, c->fig[j].area,
					 c->fig[j].base);
			if (!isnan(c->fig[j].value))
				text_add(&vals, "%s,%s,2025-09,%.17g,\n",
					 c->code, c->fig[j].area,
					 c->fig[j].value);
		}
	}
	load(fx, inds.buf, vals.buf);

	q = check(fx, "2025-09");
	for (size_t k = 0; k < NELEM(outlier_cases); k++) {
		const struct outlier_case *c = &outlier_cases[k];
		check_outlier_case(fx, q, c);
	}
	/* besides the outliers, only O_THREE_OF_FIVE's E is missing */
	assert_int_equal(count(q, FINDING_MISSING,
			       II(fx->cs, "O_THREE_OF_FIVE"), IA(fx->cs, "E")),
			 1);
	if (q->n != count(q, FINDING_OUTLIER, -1, -1) + 1) {
		dump(fx->cs, q);
		fail_msg("findings other than outliers");
	}

	/* E's figure brought in line: O_FIVE has no outlier any more */
	assert_int_equal(value_set(fx->cs, II(fx->cs, "O_FIVE"),
				   IA(fx->cs, "E"), MI(2025, 9), 114,
				   VALUE_APPROVED, NULL),
			 CS_OK);
	q = check(fx, "2025-09");
	assert_int_equal(count(q, FINDING_OUTLIER, II(fx->cs, "O_FIVE"), -1),
			 0);
}

/* ---- missing and not submitted ---------------------------------------- */

static void test_missing(void **state)
{
	struct fixture *fx = *state;
	const struct quality *q;
	load(fx,
	     IND_HEADER "M,月报,stable,month,sum,sum,D1,,,,,\n"
			"MQ,季报,stable,quarter,sum,sum,D1,,,,,\n",
	     VAL_HEADER
	     /* A: both months; B: only last month; C: only a year ago;
	      * D: two months ago; E: nothing */
	     "M,A,2025-08,10,\n"
	     "M,A,2025-09,10,\n"
	     "M,B,2025-08,10,\n"
	     "M,C,2024-09,10,\n"
	     "M,D,2025-07,10,\n"
	     /* quarterly: A had Q2, B had Q3 of 2024, C had Q1 only,
	      * D reported Q3 */
	     "MQ,A,2025-Q2,10,\n"
	     "MQ,B,2024-Q3,10,\n"
	     "MQ,C,2025-Q1,10,\n"
	     "MQ,D,2025-Q2,10,\n"
	     "MQ,D,2025-Q3,10,\n");

	q = check(fx, "2025-09");
	static const struct {
		const char *ind, *area;
		int missing;
	} cases[] = {
	    {"M", "A", 0},  {"M", "B", 1},  {"M", "C", 1},  {"M", "D", 0},
	    {"M", "E", 0},  {"M", "R", 0},  {"MQ", "A", 1}, {"MQ", "B", 1},
	    {"MQ", "C", 0}, {"MQ", "D", 0}, {"MQ", "E", 0},
	};
	for (size_t k = 0; k < NELEM(cases); k++) {
		int n = count(q, FINDING_MISSING, II(fx->cs, cases[k].ind),
			      IA(fx->cs, cases[k].area));
		if (n != cases[k].missing) {
			dump(fx->cs, q);
			fail_msg("%s %s: %d missing, want %d", cases[k].ind,
				 cases[k].area, n, cases[k].missing);
		}
		if (!n)
			continue;
		const struct finding *f = one(fx->cs, q, FINDING_MISSING,
					      cases[k].ind, cases[k].area);
		assert_int_equal(f->month, MI(2025, 9));
		assert_true(isnan(f->value));
	}
	assert_int_equal(count(q, FINDING_MISSING, -1, -1), 4);
	assert_int_equal(q->n, 4);

	/* B reports: it is no longer missing */
	assert_int_equal(value_set(fx->cs, II(fx->cs, "M"), IA(fx->cs, "B"),
				   MI(2025, 9), 10, VALUE_APPROVED, NULL),
			 CS_OK);
	q = check(fx, "2025-09");
	assert_int_equal(
	    count(q, FINDING_MISSING, II(fx->cs, "M"), IA(fx->cs, "B")), 0);
	assert_int_equal(count(q, FINDING_MISSING, -1, -1), 3);
}

static void test_not_submitted(void **state)
{
	struct fixture *fx = *state;
	const struct quality *q;
	load(fx, IND_HEADER "S,状态,stable,month,sum,sum,D1,,,,,\n",
	     VAL_HEADER "S,A,2025-09,10,approved\n"
			"S,B,2025-09,11,submitted\n"
			"S,C,2025-09,12,draft\n"
			"S,D,2025-09,13,returned\n"
			"S,E,2025-09,14,\n");

	q = check(fx, "2025-09");
	static const struct {
		const char *area;
		int flagged;
		double value;
	} cases[] = {
	    {"A", 0, NAN}, {"B", 0, NAN}, {"C", 1, 12},
	    {"D", 1, 13},  {"E", 0, NAN}, {"R", 0, NAN},
	};
	for (size_t k = 0; k < NELEM(cases); k++) {
		int n = count(q, FINDING_NOT_SUBMITTED, II(fx->cs, "S"),
			      IA(fx->cs, cases[k].area));
		if (n != cases[k].flagged) {
			dump(fx->cs, q);
			fail_msg("S %s: %d not_submitted, want %d",
				 cases[k].area, n, cases[k].flagged);
		}
		if (!n)
			continue;
		const struct finding *f =
		    one(fx->cs, q, FINDING_NOT_SUBMITTED, "S", cases[k].area);
		CHECK_CLOSE(f->value, cases[k].value, "S %s", cases[k].area);
		assert_int_equal(f->month, MI(2025, 9));
	}
	assert_int_equal(q->n, 2);

	/* the draft is submitted, the submitted one returned */
	assert_int_equal(value_set(fx->cs, II(fx->cs, "S"), IA(fx->cs, "C"),
				   MI(2025, 9), 12, VALUE_SUBMITTED, NULL),
			 CS_OK);
	assert_int_equal(value_set(fx->cs, II(fx->cs, "S"), IA(fx->cs, "B"),
				   MI(2025, 9), 11, VALUE_RETURNED, NULL),
			 CS_OK);
	q = check(fx, "2025-09");
	assert_int_equal(count(q, FINDING_NOT_SUBMITTED, -1, IA(fx->cs, "C")),
			 0);
	assert_int_equal(count(q, FINDING_NOT_SUBMITTED, -1, IA(fx->cs, "B")),
			 1);
	assert_int_equal(count(q, FINDING_NOT_SUBMITTED, -1, IA(fx->cs, "D")),
			 1);
	assert_int_equal(q->n, 2);
}

/* ---- the departments' reporting --------------------------------------- */

static const struct report_stat *
stat_of(const struct civstat *cs, const struct quality *q, const char *dept)
{
	int d = ID(cs, dept);
	for (int k = 0; k < q->n_depts; k++)
		if (q->depts[k].dept == d)
			return &q->depts[k];
	return NULL;
}

static void expect_stat(const struct civstat *cs, const struct quality *q,
			const char *dept, int expected, int reported,
			int submitted)
{
	const struct report_stat *s = stat_of(cs, q, dept);
	if (!s)
		fail_msg("%s: no report_stat", dept);
	if (s->expected != expected || s->reported != reported ||
	    s->submitted != submitted)
		fail_msg("%s: expected/reported/submitted %d/%d/%d, want "
			 "%d/%d/%d",
			 dept, s->expected, s->reported, s->submitted, expected,
			 reported, submitted);
}

static void test_report_stats(void **state)
{
	struct fixture *fx = *state;
	const struct quality *q;
	load(fx,
	     IND_HEADER "M1,月报一,stable,month,sum,sum,D1,,,,,\n"
			"M2,月报二,stable,month,sum,sum,D1,,,,,\n"
			"Q1,季报,vital,quarter,sum,sum,D2,,,,,\n"
			"DV,派生,vital,month,sum,sum,D3,M1 * 2,,,,\n"
			"NODEPT,无单位,vital,month,sum,sum,,,,,,\n",
	     VAL_HEADER
	     /* M1: A..D reported August; in September A approved,
	      * B submitted, C draft, D nothing; E new (not expected) */
	     "M1,A,2025-08,1,\n"
	     "M1,B,2025-08,1,\n"
	     "M1,C,2025-08,1,\n"
	     "M1,D,2025-08,1,\n"
	     "M1,A,2025-09,1,approved\n"
	     "M1,B,2025-09,1,submitted\n"
	     "M1,C,2025-09,1,draft\n"
	     "M1,E,2025-09,1,draft\n"
	     /* M2: A a year ago, now returned */
	     "M2,A,2024-09,1,\n"
	     "M2,A,2025-09,1,returned\n"
	     /* Q1: A and B had Q2; A reported Q3 */
	     "Q1,A,2025-Q2,1,\n"
	     "Q1,B,2025-Q2,1,\n"
	     "Q1,A,2025-Q3,1,\n"
	     /* no department: missing at B, counted nowhere */
	     "NODEPT,B,2025-08,1,\n");

	q = check(fx, "2025-09");
	/* one entry per department with base indicators: not D3 */
	assert_int_equal(q->n_depts, 2);
	assert_null(stat_of(fx->cs, q, "D3"));
	expect_stat(fx->cs, q, "D1", 5, 4, 2);
	expect_stat(fx->cs, q, "D2", 2, 1, 1);
	/* the NODEPT figure is missing all the same */
	assert_int_equal(
	    count(q, FINDING_MISSING, II(fx->cs, "NODEPT"), IA(fx->cs, "B")),
	    1);

	/* C submits, D reports a draft, B's quarter comes in approved */
	assert_int_equal(value_set(fx->cs, II(fx->cs, "M1"), IA(fx->cs, "C"),
				   MI(2025, 9), 1, VALUE_SUBMITTED, NULL),
			 CS_OK);
	assert_int_equal(value_set(fx->cs, II(fx->cs, "M1"), IA(fx->cs, "D"),
				   MI(2025, 9), 1, VALUE_DRAFT, NULL),
			 CS_OK);
	assert_int_equal(value_set(fx->cs, II(fx->cs, "Q1"), IA(fx->cs, "B"),
				   MI(2025, 9), 1, VALUE_APPROVED, NULL),
			 CS_OK);
	q = check(fx, "2025-09");
	expect_stat(fx->cs, q, "D1", 5, 5, 3);
	expect_stat(fx->cs, q, "D2", 2, 2, 2);

	/* in August the quarterly indicator is not due: D2 expects nothing;
	 * D1's August figures had nothing before them */
	q = check(fx, "2025-08");
	assert_int_equal(q->n_depts, 2);
	expect_stat(fx->cs, q, "D1", 0, 0, 0);
	expect_stat(fx->cs, q, "D2", 0, 0, 0);

	/* in October, what September had is expected */
	q = check(fx, "2025-10");
	expect_stat(fx->cs, q, "D1", 6, 0, 0);
	assert_int_equal(count(q, FINDING_MISSING, II(fx->cs, "M1"), -1), 5);
	assert_int_equal(count(q, FINDING_MISSING, II(fx->cs, "M2"), -1), 1);
	expect_stat(fx->cs, q, "D2", 0, 0, 0);
}

/* ---- what is not checked ---------------------------------------------- */

/* Quarterly and yearly parts above their wholes: found when their period
 * ends at the month asked, not in the months between. */
static void test_not_due(void **state)
{
	struct fixture *fx = *state;
	const struct quality *q;
	load(fx,
	     IND_HEADER "QW,季整体,stable,quarter,sum,sum,D1,,,,,\n"
			"QP,季部分,stable,quarter,sum,sum,D1,,,,QW,\n"
			"YW,年整体,stable,year,sum,sum,D1,,,,,\n"
			"YP,年部分,stable,year,sum,sum,D1,,,,YW,\n",
	     VAL_HEADER "QW,A,2025-Q3,10,\n"
			"QP,A,2025-Q3,20,\n"
			"YW,A,2025,10,\n"
			"YP,A,2025,20,\n");

	static const struct {
		const char *at;
		int quarterly, q_part; /* findings, of which part_of */
		int yearly, y_part;
	} cases[] = {
	    {"2025-07", 0, 0, 0, 0},
	    {"2025-08", 0, 0, 0, 0},
	    /* the part above its whole at A, and so at R */
	    {"2025-09", 2, 2, 0, 0},
	    {"2025-Q3", 2, 2, 0, 0},
	    {"2025年1-9月", 2, 2, 0, 0},
	    {"2025-10", 0, 0, 0, 0},
	    {"2025-11", 0, 0, 0, 0},
	    /* Q4 is due: both quarterly figures of Q3 are missing at A */
	    {"2025-12", 2, 0, 2, 2},
	    {"2025", 2, 0, 2, 2},
	};
	for (size_t k = 0; k < NELEM(cases); k++) {
		q = check(fx, cases[k].at);
		int qp = II(fx->cs, "QP"), qw = II(fx->cs, "QW");
		int yp = II(fx->cs, "YP"), yw = II(fx->cs, "YW");
		int nq = count(q, -1, qp, -1) + count(q, -1, qw, -1);
		int ny = count(q, -1, yp, -1) + count(q, -1, yw, -1);
		int nqp = count(q, FINDING_PART_OF, qp, -1);
		int nyp = count(q, FINDING_PART_OF, yp, -1);
		if (nq != cases[k].quarterly || ny != cases[k].yearly ||
		    nqp != cases[k].q_part || nyp != cases[k].y_part) {
			dump(fx->cs, q);
			fail_msg(
			    "at %s: %d quarterly (%d part_of) and %d yearly "
			    "(%d part_of) findings, want %d (%d) and %d "
			    "(%d)",
			    cases[k].at, nq, nqp, ny, nyp, cases[k].quarterly,
			    cases[k].q_part, cases[k].yearly, cases[k].y_part);
		}
		if (cases[k].q_part) {
			const struct finding *f =
			    one(fx->cs, q, FINDING_PART_OF, "QP", "A");
			CHECK_CLOSE(f->value, 20, "QP at %s", cases[k].at);
			CHECK_CLOSE(f->ref, 10, "QW at %s", cases[k].at);
			assert_int_equal(f->month, MI(2025, 9));
			f = one(fx->cs, q, FINDING_PART_OF, "QP", "R");
			CHECK_CLOSE(f->value, 20, "QP at R at %s", cases[k].at);
		}
		if (cases[k].quarterly > cases[k].q_part) {
			const struct finding *f =
			    one(fx->cs, q, FINDING_MISSING, "QP", "A");
			assert_int_equal(f->month, MI(2025, 12));
			one(fx->cs, q, FINDING_MISSING, "QW", "A");
		}
		if (cases[k].y_part) {
			const struct finding *f =
			    one(fx->cs, q, FINDING_PART_OF, "YP", "A");
			CHECK_CLOSE(f->value, 20, "YP at %s", cases[k].at);
			CHECK_CLOSE(f->ref, 10, "YW at %s", cases[k].at);
			assert_int_equal(f->month, MI(2025, 12));
		}
	}
}

/* A derived indicator has no figures of its own to check, whatever its
 * rules say: its value (twice X) is above its bound and above its whole. */
static void test_derived_skipped(void **state)
{
	struct fixture *fx = *state;
	const struct quality *q;
	load(fx,
	     IND_HEADER "X,基础,stable,month,sum,sum,D1,,,,,\n"
			"DV,派生,stable,month,sum,sum,D1,X * 2,0,1,X,1\n",
	     VAL_HEADER "X,A,2025-08,10,\n"
			"X,A,2025-09,10,\n"
			"X,B,2024-09,10,\n");

	q = check(fx, "2025-09");
	assert_int_equal(count(q, -1, II(fx->cs, "DV"), -1), 0);
	/* the base indicator is checked: B is missing */
	assert_int_equal(
	    count(q, FINDING_MISSING, II(fx->cs, "X"), IA(fx->cs, "B")), 1);
	assert_int_equal(q->n, 1);
}

/* A database without figures: no findings, and a month far outside
 * what the cube holds is fine too. */
static void test_empty(void **state)
{
	struct fixture *fx = *state;
	const struct quality *q;
	q = check(fx, "2025-09");
	assert_int_equal(q->n, 0);
	assert_int_equal(q->n_depts, 0);
	load(fx, IND_HEADER "X,基础,stable,month,sum,sum,D1,,0,1,,\n",
	     VAL_HEADER "X,A,2025-09,10,\n");
	q = check(fx, "1990-01");
	assert_int_equal(q->n, 0);
	expect_stat(fx->cs, q, "D1", 0, 0, 0);
	/* a year on, the figure of a year earlier is expected */
	q = check(fx, "2026-09");
	assert_int_equal(q->n, 1);
	assert_int_equal(
	    count(q, FINDING_MISSING, II(fx->cs, "X"), IA(fx->cs, "A")), 1);
	expect_stat(fx->cs, q, "D1", 1, 0, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_finding_names),
	    T(test_bounds),
	    T(test_part_of),
	    T(test_jumps),
	    T(test_outliers),
	    T(test_missing),
	    T(test_not_submitted),
	    T(test_report_stats),
	    T(test_not_due),
	    T(test_derived_skipped),
	    T(test_empty),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
