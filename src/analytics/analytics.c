/*
 * Progress, growth, scores, ranks and summaries over the cube (see
 * analytics.h).  Everything is computed on demand from the cube's
 * aggregates: nothing here is cached, so nothing here can be stale.
 */
#include "analytics/analytics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/formula.h"
#include "core/err.h"

#define MAX_FORMULA_DEPTH 8

struct eval {
	const struct cube *c;
	int a;
	struct period p;
	int depth;
};

static double value_at(const struct cube *c, int i, int a,
		       const struct period *p, int depth);

static double lookup(void *ctx, const char *code, enum formula_fn fn)
{
	struct eval *e = ctx;
	int i = catalog_indicator(e->c->cat, code, strlen(code));
	if (i < 0)
		return NAN;
	struct period p = e->p;
	if (fn == FORMULA_YTD || fn == FORMULA_YTD_PREV_YEAR)
		p = period_ytd(&p);
	if (fn == FORMULA_PREV_YEAR || fn == FORMULA_YTD_PREV_YEAR)
		p = period_prev_year(&p);
	return value_at(e->c, i, e->a, &p, e->depth + 1);
}

static double value_at(const struct cube *c, int i, int a,
		       const struct period *p, int depth)
{
	const struct formula *f = c->cat->formula[i];
	if (!f)
		return cube_value(c, i, a, period_first_month(p),
				  period_last_month(p));
	if (depth >= MAX_FORMULA_DEPTH)
		return NAN;
	struct eval e = {.c = c, .a = a, .p = *p, .depth = depth};
	return formula_eval(f, lookup, &e);
}

double analytics_value(const struct cube *c, int i, int a,
		       const struct period *p)
{
	return value_at(c, i, a, p, 0);
}

void analytics_progress(const struct cube *c, int i, int a,
			const struct period *p, double tolerance,
			struct progress *out)
{
	const struct indicator *ind = &c->cat->inds[i];
	struct period ytd = period_ytd(p);
	struct period py = period_prev_year(&ytd);

	out->value = analytics_value(c, i, a, &ytd);
	out->prev_year = analytics_value(c, i, a, &py);
	out->yoy = (out->value / out->prev_year - 1.0) * 100.0;
	if (!isfinite(out->yoy))
		out->yoy = NAN;
	if (!cube_target(c, i, a, p->year, TARGET_ANNUAL, &out->target))
		out->target = NAN;
	/* A flow accumulates over the year; a rate or a level is held to
	 * its target at any time.  A derived indicator is a rate.  A
	 * quarterly or yearly flow is judged at its last period that has
	 * ended: in August, a quarterly one by the half year. */
	int flow = !c->cat->formula[i] && ind->time_agg == TIME_SUM;
	int months = period_last_month(&ytd) % 12 + 1;
	if (ind->frequency == FREQ_QUARTER)
		months -= months % 3;
	else if (ind->frequency == FREQ_YEAR && months < 12)
		months = 0;
	out->expected = !flow ? 1.0 : months ? months / 12.0 : NAN;
	out->completion = out->value / out->target;
	out->ratio = ind->direction == DIR_DOWN
			     ? out->expected / out->completion
			     : out->completion / out->expected;
	if (isnan(out->ratio))
		out->status = STATUS_NONE;
	else if (out->ratio >= 1.0)
		out->status = STATUS_AHEAD;
	else if (out->ratio >= 1.0 - tolerance)
		out->status = STATUS_CLOSE;
	else
		out->status = STATUS_BEHIND;
}

void analytics_growth(const struct cube *c, int i, int a,
		      const struct period *p, int yoy, struct growth *out)
{
	struct period b = yoy ? period_prev_year(p) : period_prev(p);
	out->value = analytics_value(c, i, a, p);
	out->base = analytics_value(c, i, a, &b);
	out->growth = (out->value / out->base - 1.0) * 100.0;
	if (!isfinite(out->growth))
		out->growth = NAN;
	out->change = out->value - out->base;
}

double analytics_score(const struct cube *c, int a, const struct period *p,
		       int which)
{
	double score = 0;
	int n = 0;
	for (int i = 0; i < c->cat->n_inds; i++) {
		double w = c->cat->inds[i].weight;
		if (isnan(w) || ((which & ANALYTICS_PUBLISHED) &&
				 !c->cat->inds[i].published))
			continue;
		struct progress pr;
		analytics_progress(c, i, a, p, ANALYTICS_TOLERANCE, &pr);
		if (isnan(pr.ratio))
			continue;
		score += w * (pr.ratio > ANALYTICS_SCORE_CAP
				      ? ANALYTICS_SCORE_CAP
				      : pr.ratio);
		n++;
	}
	return n ? score : NAN;
}

struct rank_ctx {
	const double *key;
	int lower;
};

static _Thread_local struct rank_ctx rank_by;

static int cmp_rank(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	double ka = rank_by.key[a], kb = rank_by.key[b];
	int na = isnan(ka), nb = isnan(kb);
	if (na || nb) {
		if (na != nb)
			return na - nb;
		return (a > b) - (a < b);
	}
	if (ka != kb)
		return (ka < kb) == !rank_by.lower ? 1 : -1;
	return (a > b) - (a < b);
}

int analytics_rank(const double *key, int n, int lower_is_better, int *rank,
		   int *order)
{
	for (int k = 0; k < n; k++)
		order[k] = k;
	rank_by = (struct rank_ctx){key, lower_is_better};
	qsort(order, (size_t)n, sizeof *order, cmp_rank);
	for (int k = 0; k < n; k++) {
		int it = order[k];
		if (isnan(key[it]))
			rank[it] = 0;
		else if (k > 0 && key[order[k - 1]] == key[it])
			rank[it] = rank[order[k - 1]];
		else
			rank[it] = k + 1;
	}
	return CS_OK;
}

double analytics_benchmark_gap(const struct cube *c, int i, int a, int g,
			       const struct period *p, double *bench)
{
	int m = period_last_month(p);
	double b;
	*bench = NAN;
	if (cube_benchmark(c, i, g, m, p->kind, MEASURE_GROWTH, &b)) {
		struct growth gr;
		analytics_growth(c, i, a, p, 1, &gr);
		*bench = b;
		return gr.growth - b;
	}
	if (!cube_benchmark(c, i, g, m, p->kind, MEASURE_VALUE, &b))
		return NAN;
	*bench = b;
	double v = analytics_value(c, i, a, p);
	if (!strcmp(c->cat->inds[i].unit, "%"))
		return v - b;
	return (v / b - 1.0) * 100.0;
}

void analytics_pillars(const struct cube *c, int a, const struct period *p,
		       double tolerance, int which,
		       struct pillar_summary out[PILLAR_N])
{
	double total[PILLAR_N] = {0};
	memset(out, 0, PILLAR_N * sizeof *out);
	for (int i = 0; i < c->cat->n_inds; i++) {
		const struct indicator *ind = &c->cat->inds[i];
		if (((which & ANALYTICS_ASSESSED) && isnan(ind->weight)) ||
		    ((which & ANALYTICS_PUBLISHED) && !ind->published))
			continue;
		if (ind->pillar < 0 || ind->pillar >= PILLAR_N)
			continue;
		struct progress pr;
		analytics_progress(c, i, a, p, tolerance, &pr);
		if (isnan(pr.completion))
			continue;
		struct pillar_summary *s = &out[ind->pillar];
		s->n_indicators++;
		total[ind->pillar] += pr.completion;
		s->n_ahead += pr.status == STATUS_AHEAD;
		s->n_close += pr.status == STATUS_CLOSE;
		s->n_behind += pr.status == STATUS_BEHIND;
	}
	for (int k = 0; k < PILLAR_N; k++)
		out[k].mean_completion = out[k].n_indicators
						 ? total[k] / out[k].n_indicators
						 : NAN;
}

const char *status_name(int status)
{
	static const char *const names[] = {"", "ahead", "close", "behind"};
	return status >= 0 && status <= 3 ? names[status] : "";
}

const char *status_name_zh(int status)
{
	static const char *const names[] = {"", "超序时", "接近", "滞后"};
	return status >= 0 && status <= 3 ? names[status] : "";
}

static int sample_below(const struct cube *c, int i, int a, int lo, int hi)
{
	for (int m = lo; m <= hi; m++)
		if (!isnan(cube_own(c, i, a, m)) &&
		    (cube_flags(c, i, a, m) & VALUE_SAMPLE))
			return 1;
	for (int ch = c->cat->first_child[a]; ch >= 0;
	     ch = c->cat->next_sibling[ch])
		if (sample_below(c, i, ch, lo, hi))
			return 1;
	return 0;
}

int analytics_sample(const struct cube *c, int i, int a, int lo, int hi)
{
	const struct formula *f = c->cat->formula[i];
	if (!f)
		return sample_below(c, i, a, lo, hi);
	/* A formula may look a year back (prev_year). */
	for (int k = 0; k < formula_nrefs(f); k++) {
		const char *code = formula_ref(f, k);
		int j = catalog_indicator(c->cat, code, strlen(code));
		if (j >= 0 && j != i && !c->cat->formula[j] &&
		    sample_below(c, j, a, lo - 12, hi))
			return 1;
	}
	return 0;
}
