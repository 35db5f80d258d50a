/*
 * The backend-neutral part of the store: choosing a backend from the target
 * and the series helpers every backend shares.
 */
#include "store/store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

int store_open(const char *target, int flags, struct store **pp)
{
	if (!strncmp(target, "sqlite:", 7))
		target += 7;
	if (!strncmp(target, "postgres://", 11) ||
	    !strncmp(target, "postgresql://", 13))
		return store_pg_open(target, flags, pp);
	return store_sqlite_open(target, flags, pp);
}

void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}

int series_init(struct series *s, int indicator_id, int area_id,
		int first_month, int n)
{
	memset(s, 0, sizeof *s);
	s->indicator_id = indicator_id;
	s->area_id = area_id;
	s->first_month = first_month;
	s->n = n;
	s->value = malloc((size_t)(n ? n : 1) * sizeof *s->value);
	s->flags = calloc((size_t)(n ? n : 1), 1);
	s->change = calloc((size_t)(n ? n : 1), sizeof *s->change);
	if (!s->value || !s->flags || !s->change) {
		series_release(s);
		return cs_errorf(CS_ENOMEM, "out of memory");
	}
	for (int i = 0; i < n; i++)
		s->value[i] = NAN;
	return CS_OK;
}

void series_release(struct series *s)
{
	free(s->value);
	free(s->flags);
	free(s->change);
	s->value = NULL;
	s->flags = NULL;
	s->change = NULL;
	s->n = 0;
}

int series_cover(struct series *s, int lo, int hi)
{
	if (s->n > 0 && lo >= s->first_month && hi < s->first_month + s->n)
		return CS_OK;
	if (s->n > 0) {
		if (s->first_month < lo)
			lo = s->first_month;
		if (s->first_month + s->n - 1 > hi)
			hi = s->first_month + s->n - 1;
	}
	struct series g;
	int rc = series_init(&g, s->indicator_id, s->area_id, lo, hi - lo + 1);
	if (rc)
		return rc;
	int off = s->first_month - lo;
	if (s->n > 0) {
		memcpy(g.value + off, s->value, (size_t)s->n * sizeof *s->value);
		memcpy(g.flags + off, s->flags, (size_t)s->n);
		memcpy(g.change + off, s->change,
		       (size_t)s->n * sizeof *s->change);
	}
	series_release(s);
	*s = g;
	return CS_OK;
}

void user_release(struct user *u)
{
	free(u->name);
	free(u->password);
	free(u->created);
	u->name = u->password = u->created = NULL;
}

void session_release(struct session *s)
{
	free(s->label);
	s->label = NULL;
}
