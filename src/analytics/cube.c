/*
 * The in-memory cube of figures and aggregates (see cube.h).
 */
#include "analytics/cube.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

static size_t at(const struct cube *c, int a, int m)
{
	return (size_t)a * (size_t)c->n_months + (size_t)(m - c->month0);
}

static int is_base(const struct cube *c, int i)
{
	return c->ind[i].own != NULL;
}

static void free_ind(struct cube_ind *d)
{
	free(d->own);
	free(d->flags);
	free(d->sum);
	free(d->cnt);
	memset(d, 0, sizeof *d);
}

/* Allocates indicator arrays for n_months months, all empty. */
static int alloc_ind(const struct cube *c, struct cube_ind *d, int n_months)
{
	size_t na = (size_t)c->cat->n_areas * (size_t)n_months;
	size_t ni = (size_t)c->n_internal * (size_t)n_months;
	d->own = malloc((na ? na : 1) * sizeof *d->own);
	d->flags = calloc(na ? na : 1, 1);
	d->sum = calloc(ni ? ni : 1, sizeof *d->sum);
	d->cnt = calloc(ni ? ni : 1, sizeof *d->cnt);
	if (!d->own || !d->flags || !d->sum || !d->cnt) {
		free_ind(d);
		return cs_errorf(CS_ENOMEM, "out of memory");
	}
	for (size_t k = 0; k < na; k++)
		d->own[k] = NAN;
	return CS_OK;
}

int cube_reserve(struct cube *c, int lo, int hi)
{
	lo -= ((lo % 12) + 12) % 12;
	hi += 11 - ((hi % 12) + 12) % 12;
	if (c->n_months && lo >= c->month0 && hi < c->month0 + c->n_months)
		return CS_OK;
	if (c->n_months) {
		if (c->month0 < lo)
			lo = c->month0;
		if (c->month0 + c->n_months - 1 > hi)
			hi = c->month0 + c->n_months - 1;
	}
	int nm = hi - lo + 1, off = c->month0 - lo;
	for (int i = 0; i < c->cat->n_inds; i++) {
		if (c->cat->formula[i])
			continue;
		struct cube_ind g;
		if (alloc_ind(c, &g, nm))
			return CS_ENOMEM;
		struct cube_ind *d = &c->ind[i];
		if (d->own) {
			for (int a = 0; a < c->cat->n_areas; a++) {
				size_t src = (size_t)a * (size_t)c->n_months;
				size_t dst = (size_t)a * (size_t)nm + (size_t)off;
				memcpy(g.own + dst, d->own + src,
				       (size_t)c->n_months * sizeof *g.own);
				memcpy(g.flags + dst, d->flags + src,
				       (size_t)c->n_months);
			}
			for (int s = 0; s < c->n_internal; s++) {
				size_t src = (size_t)s * (size_t)c->n_months;
				size_t dst = (size_t)s * (size_t)nm + (size_t)off;
				memcpy(g.sum + dst, d->sum + src,
				       (size_t)c->n_months * sizeof *g.sum);
				memcpy(g.cnt + dst, d->cnt + src,
				       (size_t)c->n_months * sizeof *g.cnt);
			}
		}
		free_ind(d);
		*d = g;
	}
	c->month0 = lo;
	c->n_months = nm;
	return CS_OK;
}

double cube_own(const struct cube *c, int i, int a, int m)
{
	if (!is_base(c, i) || !cube_holds(c, m))
		return NAN;
	return c->ind[i].own[at(c, a, m)];
}

uint8_t cube_flags(const struct cube *c, int i, int a, int m)
{
	if (!is_base(c, i) || !cube_holds(c, m))
		return 0;
	return c->ind[i].flags[at(c, a, m)];
}

void cube_cell(const struct cube *c, int i, int a, int m, double *sum,
	       double *n)
{
	*sum = 0;
	*n = 0;
	if (!is_base(c, i) || !cube_holds(c, m))
		return;
	const struct cube_ind *d = &c->ind[i];
	double v = d->own[at(c, a, m)];
	if (!isnan(v)) {
		*sum = v;
		*n = 1;
		return;
	}
	int s = c->slot[a];
	if (s < 0 || c->cat->inds[i].area_agg == AREA_NONE)
		return;
	size_t k = (size_t)s * (size_t)c->n_months + (size_t)(m - c->month0);
	if (d->cnt[k]) {
		*sum = d->sum[k];
		*n = d->cnt[k];
	}
}

/*
 * Adds up the children's cells of internal area p for months lo..hi-1
 * (offsets into the held months), children in catalog order: the one order
 * both a full build and a single change use, so that both give the same
 * doubles to the last bit.
 */
static void sum_children(struct cube *c, int i, int p, int lo, int hi)
{
	const struct catalog *cat = c->cat;
	struct cube_ind *d = &c->ind[i];
	size_t nm = (size_t)c->n_months;
	double *ps = d->sum + (size_t)c->slot[p] * nm;
	uint32_t *pc = d->cnt + (size_t)c->slot[p] * nm;
	for (int m = lo; m < hi; m++) {
		ps[m] = 0;
		pc[m] = 0;
	}
	for (int ch = cat->first_child[p]; ch >= 0; ch = cat->next_sibling[ch]) {
		const double *own = d->own + (size_t)ch * nm;
		const double *cs = c->slot[ch] >= 0
					   ? d->sum + (size_t)c->slot[ch] * nm
					   : NULL;
		const uint32_t *cc = cs ? d->cnt + (size_t)c->slot[ch] * nm
					: NULL;
		for (int m = lo; m < hi; m++) {
			if (!isnan(own[m])) {
				ps[m] += own[m];
				pc[m]++;
			} else if (cs) {
				ps[m] += cs[m];
				pc[m] += cc[m];
			}
		}
	}
}

void cube_set(struct cube *c, int i, int a, int m, double v, uint8_t flags)
{
	struct cube_ind *d = &c->ind[i];
	size_t k = at(c, a, m);
	int mo = m - c->month0;

	c->n_values += !isnan(v) - !isnan(d->own[k]);
	d->own[k] = v;
	d->flags[k] = isnan(v) ? 0 : flags;
	if (c->cat->inds[i].area_agg == AREA_NONE)
		return;
	for (int p = c->cat->parent[a]; p >= 0; p = c->cat->parent[p]) {
		sum_children(c, i, p, mo, mo + 1);
		if (!isnan(d->own[at(c, p, m)]))
			break; /* p reports its own figure: above, nothing moves */
	}
}

double cube_value(const struct cube *c, int i, int a, int lo, int hi)
{
	const struct indicator *ind = &c->cat->inds[i];
	if (!is_base(c, i))
		return NAN;
	if (lo < c->month0)
		lo = c->month0;
	if (hi > c->month0 + c->n_months - 1)
		hi = c->month0 + c->n_months - 1;
	int mean_over_areas = ind->area_agg == AREA_AVG;
	double total = 0, count = 0, months = 0, sum, n;

	if (ind->time_agg == TIME_LAST) {
		for (int m = hi; m >= lo; m--) {
			cube_cell(c, i, a, m, &sum, &n);
			if (n > 0)
				return mean_over_areas ? sum / n : sum;
		}
		return NAN;
	}
	for (int m = lo; m <= hi; m++) {
		cube_cell(c, i, a, m, &sum, &n);
		if (n <= 0)
			continue;
		months++;
		if (ind->time_agg == TIME_SUM && mean_over_areas)
			total += sum / n;
		else
			total += sum;
		count += n;
	}
	if (months == 0)
		return NAN;
	if (ind->time_agg == TIME_SUM)
		return total;
	return mean_over_areas ? total / count : total / months;
}

void cube_put_own(struct cube *c, int i, int a, int m, double v,
		  uint8_t flags)
{
	struct cube_ind *d = &c->ind[i];
	size_t k = at(c, a, m);
	c->n_values += !isnan(v) - !isnan(d->own[k]);
	d->own[k] = v;
	d->flags[k] = isnan(v) ? 0 : flags;
}

/* Builds every internal area's sums, children before parents (they come
 * after their parents in the catalog). */
void cube_aggregate(struct cube *c, int i)
{
	const struct catalog *cat = c->cat;
	if (cat->inds[i].area_agg == AREA_NONE || !c->ind[i].own)
		return;
	for (int a = cat->n_areas - 1; a >= 0; a--)
		if (c->slot[a] >= 0)
			sum_children(c, i, a, 0, c->n_months);
}

struct load {
	struct cube *c;
	int lo, hi;
	int pass; /* 0: find the months, 1: copy the figures */
};

static int load_series(void *ctx, const struct series *s)
{
	struct load *l = ctx;
	struct cube *c = l->c;
	int i = catalog_indicator_id(c->cat, s->indicator_id);
	int a = catalog_area_id(c->cat, s->area_id);
	if (i < 0 || a < 0 || c->cat->formula[i])
		return cs_errorf(CS_ESTORE,
				 "figures of unknown indicator %d or area %d",
				 s->indicator_id, s->area_id);
	c->stored[(size_t)i * (size_t)c->cat->n_areas + (size_t)a] = 1;
	for (int k = 0; k < s->n; k++) {
		double v;
		memcpy(&v, &s->value[k], sizeof v); /* blob may be unaligned */
		if (isnan(v))
			continue;
		int m = s->first_month + k;
		if (l->pass == 0) {
			if (m < l->lo)
				l->lo = m;
			if (m > l->hi)
				l->hi = m;
			continue;
		}
		size_t j = at(c, a, m);
		c->ind[i].own[j] = v;
		c->ind[i].flags[j] = s->flags[k];
		c->n_values++;
	}
	return CS_OK;
}

static uint64_t target_key(int i, int a, int year, int kind)
{
	return (uint64_t)i << 44 | (uint64_t)a << 20 | (uint64_t)year << 4 |
	       (uint64_t)kind;
}

static uint64_t bench_key(int i, int g, int m, int pk, int measure)
{
	return (uint64_t)i << 44 | (uint64_t)g << 32 | (uint64_t)m << 8 |
	       (uint64_t)pk << 4 | (uint64_t)measure;
}

static int load_target(void *ctx, const struct target *t)
{
	struct cube *c = ctx;
	int i = catalog_indicator_id(c->cat, t->indicator_id);
	int a = catalog_area_id(c->cat, t->area_id);
	if (i < 0 || a < 0)
		return CS_OK;
	return cube_set_target(c, i, a, t->year, t->kind, t->value);
}

static int load_benchmark(void *ctx, const struct benchmark *b)
{
	struct cube *c = ctx;
	int i = catalog_indicator_id(c->cat, b->indicator_id);
	int g = catalog_group(c->cat, b->group, strlen(b->group));
	if (i < 0 || g < 0)
		return CS_OK;
	return cube_set_benchmark(c, i, g, b->month, b->kind, b->measure,
				  b->value);
}

int cube_build(struct cube *c, const struct catalog *cat, struct store *st)
{
	int rc = CS_ENOMEM;
	memset(c, 0, sizeof *c);
	c->cat = cat;
	size_t na = (size_t)(cat->n_areas ? cat->n_areas : 1);
	size_t ni = (size_t)(cat->n_inds ? cat->n_inds : 1);
	c->slot = malloc(na * sizeof *c->slot);
	c->stored = calloc(na * ni, 1);
	c->ind = calloc(ni, sizeof *c->ind);
	if (!c->slot || !c->stored || !c->ind) {
		rc = cs_errorf(CS_ENOMEM, "out of memory");
		goto failed;
	}
	for (int a = 0; a < cat->n_areas; a++)
		c->slot[a] = cat->first_child[a] >= 0 ? c->n_internal++ : -1;

	struct load l = {.c = c, .lo = 1 << 30, .hi = -1};
	if ((rc = st->ops->scan_series(st, load_series, &l)))
		goto failed;
	if (l.hi < 0)
		l.lo = l.hi = 2025 * 12; /* an empty store: hold one year */
	if ((rc = cube_reserve(c, l.lo, l.hi)))
		goto failed;
	memset(c->stored, 0, na * ni);
	l.pass = 1;
	if ((rc = st->ops->scan_series(st, load_series, &l)))
		goto failed;
	for (int i = 0; i < cat->n_inds; i++)
		if (is_base(c, i))
			cube_aggregate(c, i);
	if ((rc = st->ops->scan_targets(st, load_target, c)) ||
	    (rc = st->ops->scan_benchmarks(st, load_benchmark, c)))
		goto failed;
	return CS_OK;
failed:
	cube_release(c);
	return rc;
}

void cube_release(struct cube *c)
{
	if (c->ind && c->cat)
		for (int i = 0; i < c->cat->n_inds; i++)
			free_ind(&c->ind[i]);
	free(c->ind);
	free(c->slot);
	free(c->stored);
	u64map_release(&c->targets);
	u64map_release(&c->bench);
	memset(c, 0, sizeof *c);
}

int cube_target(const struct cube *c, int i, int a, int year, int kind,
		double *out)
{
	return u64map_get(&c->targets, target_key(i, a, year, kind), out);
}

int cube_set_target(struct cube *c, int i, int a, int year, int kind,
		    double v)
{
	return u64map_put(&c->targets, target_key(i, a, year, kind), v);
}

int cube_benchmark(const struct cube *c, int i, int g, int m, int pk,
		   int measure, double *out)
{
	return u64map_get(&c->bench, bench_key(i, g, m, pk, measure), out);
}

int cube_set_benchmark(struct cube *c, int i, int g, int m, int pk,
		       int measure, double v)
{
	return u64map_put(&c->bench, bench_key(i, g, m, pk, measure), v);
}

size_t cube_bytes(const struct cube *c)
{
	size_t na = (size_t)c->cat->n_areas, nm = (size_t)c->n_months;
	size_t b = 0;
	for (int i = 0; i < c->cat->n_inds; i++)
		if (is_base(c, i))
			b += na * nm * 9 + (size_t)c->n_internal * nm * 12;
	b += c->targets.cap * 16 + c->bench.cap * 16;
	b += na * (size_t)c->cat->n_inds + na * sizeof(int);
	return b;
}

int cube_latest_month(const struct cube *c)
{
	int latest = -1;
	for (int i = 0; i < c->cat->n_inds; i++) {
		const char *source = c->cat->inds[i].source;
		if (!is_base(c, i) || c->cat->inds[i].frequency != FREQ_MONTH)
			continue;
		/* The rates the residents' requests feed are there for every
		 * month up to today: they do not make a month reported. */
		if (source && !strcmp(source, "requests"))
			continue;
		for (int a = 0; a < c->cat->n_areas; a++) {
			const double *own = c->ind[i].own + at(c, a, c->month0);
			const uint8_t *fl = c->ind[i].flags + at(c, a, c->month0);
			for (int k = c->n_months - 1;
			     k >= 0 && c->month0 + k > latest; k--) {
				int state = fl[k] & VALUE_STATE_MASK;
				if (!isnan(own[k]) && (state == VALUE_APPROVED ||
						       state == VALUE_SUBMITTED)) {
					latest = c->month0 + k;
					break;
				}
			}
		}
	}
	return latest;
}
