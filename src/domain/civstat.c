/*
 * Opening and reloading a civstat database (see civstat.h).
 */
#include "domain/civstat.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "domain/project.h"
#include "domain/request.h"

/* The feed's newest row, read before the catalog and the cube are. */
static int feed_top(struct store *st, long *seq)
{
	struct feed_news news;
	int rc = st->ops->feed_poll(st, LONG_MAX, store_node(), &news);
	if (!rc)
		*seq = news.top;
	return rc;
}

int civstat_open(const char *target, int flags, struct civstat **pp)
{
	struct civstat *cs = calloc(1, sizeof *cs);
	int rc;
	if (!cs)
		return cs_errorf(CS_ENOMEM, "out of memory");
	cs->actor = "cli";
	if ((rc = store_open(target, flags, &cs->st)))
		goto failed;
	if ((rc = feed_top(cs->st, &cs->feed_seq)) ||
	    (rc = catalog_load(&cs->cat, cs->st)))
		goto failed;
	if ((rc = cube_build(&cs->cube, &cs->cat, cs->st))) {
		catalog_release(&cs->cat);
		goto failed;
	}
	*pp = cs;
	return CS_OK;
failed:
	store_close(cs->st);
	free(cs);
	return rc;
}

void civstat_close(struct civstat *cs)
{
	if (!cs)
		return;
	project_cache_drop(cs);
	request_forget(cs);
	cube_release(&cs->cube);
	catalog_release(&cs->cat);
	store_close(cs->st);
	free(cs->pending);
	free(cs);
}

int civstat_read(struct civstat *cs, struct civstat_state *next)
{
	int rc;
	if ((rc = feed_top(cs->st, &next->feed_seq)) ||
	    (rc = catalog_load(&next->cat, cs->st)))
		return rc;
	if ((rc = cube_build(&next->cube, &next->cat, cs->st))) {
		catalog_release(&next->cat);
		return rc;
	}
	return CS_OK;
}

void civstat_take(struct civstat *cs, struct civstat_state *next)
{
	cube_release(&cs->cube);
	catalog_release(&cs->cat);
	cs->cat = next->cat;
	cs->cube = next->cube;
	cs->cube.cat = &cs->cat; /* the arrays moved with it, not the struct */
	cs->feed_seq = next->feed_seq;
	if (cs->projects) /* its views hold the old areas' indices */
		cs->projects->area_gen++;
}

void civstat_drop(struct civstat_state *next)
{
	cube_release(&next->cube);
	catalog_release(&next->cat);
}

int civstat_reload(struct civstat *cs)
{
	struct civstat_state next;
	int rc = civstat_read(cs, &next);
	if (!rc)
		civstat_take(cs, &next);
	return rc;
}

static void figure_apply(struct civstat *cs, const struct civstat_figure *f);

/* Same figure: both none, or the same value and flags. */
static int same_figure(double a, uint8_t fa, double b, uint8_t fb)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return a == b && fa == fb;
}

long civstat_series_apply(struct civstat *cs, const struct series *s)
{
	int i = catalog_indicator_id(&cs->cat, s->indicator_id);
	int a = catalog_area_id(&cs->cat, s->area_id);
	if (i < 0 || a < 0)
		return -1;
	if (cs->cat.formula[i] || s->n <= 0)
		return 0;
	if (cube_reserve(&cs->cube, s->first_month, s->first_month + s->n - 1))
		return -1;
	long changed = 0;
	for (int k = 0; k < s->n; k++) {
		int m = s->first_month + k;
		uint8_t flags = isnan(s->value[k]) ? 0 : s->flags[k];
		if (same_figure(cube_own(&cs->cube, i, a, m),
				cube_flags(&cs->cube, i, a, m), s->value[k],
				flags))
			continue;
		struct civstat_figure f = {i, a, m, s->value[k], flags};
		figure_apply(cs, &f);
		changed++;
	}
	return changed;
}

void civstat_cube_lock(struct civstat *cs)
{
	if (cs->cube_lock)
		cs->cube_lock(cs->lock_ctx);
}

void civstat_cube_unlock(struct civstat *cs)
{
	if (cs->cube_unlock)
		cs->cube_unlock(cs->lock_ctx);
}

/* Into the cube, which the caller holds. */
static void figure_apply(struct civstat *cs, const struct civstat_figure *f)
{
	cube_set(&cs->cube, f->i, f->a, f->m, f->v, f->flags);
	cs->cube.stored[(size_t)f->i * (size_t)cs->cat.n_areas +
			(size_t)f->a] = 1;
}

int civstat_figure_room(struct civstat *cs)
{
	if (!cs->grouped || cs->n_pending < cs->cap_pending)
		return CS_OK;
	size_t cap = cs->cap_pending ? 2 * cs->cap_pending : 64;
	struct civstat_figure *p = realloc(cs->pending, cap * sizeof *p);
	if (!p)
		return cs_errorf(CS_ENOMEM, "out of memory");
	cs->pending = p;
	cs->cap_pending = cap;
	return CS_OK;
}

void civstat_figure_put(struct civstat *cs, int i, int a, int m, double v,
			uint8_t flags)
{
	struct civstat_figure f = {i, a, m, v, isnan(v) ? 0 : flags};
	if (cs->grouped) {
		cs->pending[cs->n_pending++] = f; /* civstat_figure_room */
		return;
	}
	civstat_cube_lock(cs);
	figure_apply(cs, &f);
	civstat_cube_unlock(cs);
}

double civstat_figure(const struct civstat *cs, int i, int a, int m,
		      uint8_t *flags)
{
	/* A group is a few hundred figures at most: the latest wins. */
	for (size_t k = cs->n_pending; k-- > 0;) {
		const struct civstat_figure *f = &cs->pending[k];
		if (f->i == i && f->a == a && f->m == m) {
			*flags = f->flags;
			return f->v;
		}
	}
	*flags = cube_flags(&cs->cube, i, a, m);
	return cube_own(&cs->cube, i, a, m);
}

int civstat_group_begin(struct civstat *cs)
{
	int rc = cs->st->ops->begin(cs->st);
	if (!rc) {
		cs->grouped = 1;
		cs->n_pending = 0;
	}
	return rc;
}

int civstat_group_end(struct civstat *cs)
{
	struct store *st = cs->st;
	int rc = st->ops->commit(st);
	if (rc)
		st->ops->rollback(st);
	else if (cs->n_pending) {
		civstat_cube_lock(cs);
		for (size_t k = 0; k < cs->n_pending; k++)
			figure_apply(cs, &cs->pending[k]);
		civstat_cube_unlock(cs);
	}
	cs->grouped = 0;
	cs->n_pending = 0;
	return rc;
}
