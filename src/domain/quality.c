/*
 * The data-quality checks (see quality.h).  They read the cube only, so a
 * check is as fresh as the last write.
 */
#include "domain/quality.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analytics.h"
#include "core/err.h"
#include "domain/values.h"

static int add(struct quality *q, int kind, int i, int a, int m, double v,
	       double ref, double score)
{
	if (q->n == q->cap) {
		int cap = q->cap ? 2 * q->cap : 64;
		struct finding *f = realloc(q->items, (size_t)cap * sizeof *f);
		if (!f)
			return cs_errorf(CS_ENOMEM, "out of memory");
		q->items = f;
		q->cap = cap;
	}
	q->items[q->n++] = (struct finding){kind, i, a, m, v, ref, score};
	return CS_OK;
}

/* Months between two figures of an indicator's frequency. */
static int step(const struct indicator *ind)
{
	return ind->frequency == FREQ_QUARTER ? 3
	       : ind->frequency == FREQ_YEAR  ? 12
					      : 1;
}

static int jumps(const struct cube *c, struct quality *q, int i, int a,
		 int m)
{
	const struct indicator *ind = &c->cat->inds[i];
	double v = cube_own(c, i, a, m);
	double limit = isnan(ind->max_jump) ? QUALITY_MAX_JUMP : ind->max_jump;
	int rc = CS_OK;
	for (int k = 0; k < 2 && !rc; k++) {
		int back = k ? 12 : step(ind);
		if (k && back == step(ind))
			break; /* a yearly figure's previous period is a year */
		double old = cube_own(c, i, a, m - back);
		if (isnan(old) || old == 0)
			continue;
		double change = (v / old - 1.0) * 100.0;
		if (fabs(change) > limit)
			rc = add(q, back == 12 ? FINDING_JUMP_YEAR
					       : FINDING_JUMP_PREV,
				 i, a, m, v, old, change);
	}
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median_of(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Outlying 同比 growth among the children of parent that report their
 * own figures: the modified z-score 0.6745 (x - median) / MAD (Iglewicz
 * and Hoaglin), with at least four siblings.
 */
static int outliers(const struct cube *c, struct quality *q, int i,
		    int parent, int m, double *g, double *dev, int *who)
{
	const struct catalog *cat = c->cat;
	int n = 0;
	for (int ch = cat->first_child[parent]; ch >= 0;
	     ch = cat->next_sibling[ch]) {
		double v = cube_own(c, i, ch, m), old = cube_own(c, i, ch, m - 12);
		if (isnan(v) || isnan(old) || old == 0)
			continue;
		g[n] = (v / old - 1.0) * 100.0;
		who[n++] = ch;
	}
	if (n < 4)
		return CS_OK;
	memcpy(dev, g, (size_t)n * sizeof *g);
	double med = median_of(dev, n);
	for (int k = 0; k < n; k++)
		dev[k] = fabs(g[k] - med);
	double mad = median_of(dev, n);
	if (mad == 0)
		return CS_OK;
	for (int k = 0; k < n; k++) {
		double z = 0.6745 * (g[k] - med) / mad;
		if (fabs(z) > QUALITY_OUTLIER_Z) {
			int rc = add(q, FINDING_OUTLIER, i, who[k], m,
				     g[k], med, z);
			if (rc)
				return rc;
		}
	}
	return CS_OK;
}

/* Checks indicator i at month m over every area. */
static int check_indicator(const struct civstat *cs, struct quality *q, int i,
			   int m, double *g, double *dev, int *who)
{
	const struct cube *c = &cs->cube;
	const struct catalog *cat = &cs->cat;
	const struct indicator *ind = &cat->inds[i];
	int whole = *ind->part_of
			    ? catalog_indicator(cat, ind->part_of,
						strlen(ind->part_of))
			    : -1;
	struct period p = period_ending(value_period_kind(ind), m);
	struct report_stat *rs = NULL;
	for (int k = 0; k < q->n_depts; k++)
		if (q->depts[k].dept == cat->ind_dept[i])
			rs = &q->depts[k];
	int rc = CS_OK;
	for (int a = 0; a < cat->n_areas && !rc; a++) {
		double v = cube_own(c, i, a, m);
		uint8_t fl = cube_flags(c, i, a, m);
		/* Expected: the area reported the period before or a year
		 * ago. */
		int expected = !isnan(cube_own(c, i, a, m - step(ind))) ||
			       !isnan(cube_own(c, i, a, m - 12));
		if (expected && rs) {
			rs->expected++;
			rs->reported += !isnan(v);
			rs->submitted += !isnan(v) &&
					 ((fl & VALUE_STATE_MASK) == VALUE_APPROVED ||
					  (fl & VALUE_STATE_MASK) == VALUE_SUBMITTED);
		}
		if (isnan(v)) {
			if (expected)
				rc = add(q, FINDING_MISSING, i, a, m, NAN, NAN,
					 NAN);
			continue;
		}
		int st = fl & VALUE_STATE_MASK;
		if (st == VALUE_DRAFT || st == VALUE_RETURNED)
			rc = add(q, FINDING_NOT_SUBMITTED, i, a, m, v, NAN, NAN);
		if (!rc && (v < ind->min || v > ind->max))
			rc = add(q, FINDING_BOUNDS, i, a, m, v,
				 v < ind->min ? ind->min : ind->max, NAN);
		if (!rc)
			rc = jumps(c, q, i, a, m);
	}
	for (int a = 0; whole >= 0 && a < cat->n_areas && !rc; a++) {
		double part = analytics_value(c, i, a, &p);
		double all = analytics_value(c, whole, a, &p);
		if (part > all * (1 + 1e-9))
			rc = add(q, FINDING_PART_OF, i, a, m, part, all, NAN);
	}
	for (int a = 0; ind->area_agg != AREA_NONE && a < cat->n_areas && !rc;
	     a++)
		if (cat->first_child[a] >= 0)
			rc = outliers(c, q, i, a, m, g, dev, who);
	return rc;
}

int quality_check(const struct civstat *cs, const struct period *p,
		  struct quality *q)
{
	const struct catalog *cat = &cs->cat;
	int m = period_last_month(p), rc = CS_OK;
	size_t na = (size_t)(cat->n_areas ? cat->n_areas : 1);
	double *g = malloc(na * sizeof *g), *dev = malloc(na * sizeof *dev);
	int *who = malloc(na * sizeof *who);
	memset(q, 0, sizeof *q);
	q->depts = calloc((size_t)(cat->n_depts ? cat->n_depts : 1),
			  sizeof *q->depts);
	if (!g || !dev || !who || !q->depts) {
		rc = cs_errorf(CS_ENOMEM, "out of memory");
		goto out;
	}
	for (int d = 0; d < cat->n_depts; d++)
		for (int i = 0; i < cat->n_inds; i++)
			if (cat->ind_dept[i] == d && !cat->formula[i]) {
				q->depts[q->n_depts++].dept = d;
				break;
			}
	for (int i = 0; i < cat->n_inds && !rc; i++) {
		if (cat->formula[i])
			continue;
		/* Only indicators whose period ends at m are due. */
		struct period due = period_ending(
			value_period_kind(&cat->inds[i]), m);
		if (period_last_month(&due) != m)
			continue;
		rc = check_indicator(cs, q, i, m, g, dev, who);
	}
out:
	free(g);
	free(dev);
	free(who);
	if (rc)
		quality_release(q);
	return rc;
}

void quality_release(struct quality *q)
{
	free(q->items);
	free(q->depts);
	memset(q, 0, sizeof *q);
}

static const char *const names[FINDING_NKINDS] = {
	"bounds", "part_of", "jump_prev", "jump_year", "outlier", "missing",
	"not_submitted"};
static const char *const names_zh[FINDING_NKINDS] = {
	"超出范围", "部分大于整体", "环比波动过大", "同比波动过大",
	"增速离群", "未报送", "未提交审核"};

const char *finding_name(int kind)
{
	return kind >= 0 && kind < FINDING_NKINDS ? names[kind] : "?";
}

const char *finding_name_zh(int kind)
{
	return kind >= 0 && kind < FINDING_NKINDS ? names_zh[kind] : "?";
}
