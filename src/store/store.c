/*
 * The backend-neutral part of the store: choosing a backend from the target
 * and the series helpers every backend shares.
 */
#include "store/store.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/secret.h"

int store_open(const char *target, int flags, struct store **pp)
{
	if (!strncmp(target, "sqlite:", 7))
		target += 7;
	if (!strncmp(target, "postgres://", 11) ||
	    !strncmp(target, "postgresql://", 13))
		return store_pg_open(target, flags, pp);
	return store_sqlite_open(target, flags, pp);
}

static char node_name[17];
static pthread_once_t node_once = PTHREAD_ONCE_INIT;

static void make_node(void)
{
	unsigned char r[8];
	secret_random(r, sizeof r);
	for (int i = 0; i < 8; i++)
		snprintf(node_name + 2 * i, 3, "%02x", r[i]);
}

const char *store_node(void)
{
	pthread_once(&node_once, make_node);
	return node_name;
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

struct history_walk {
	struct store *st;
	store_change_fn fn;
	void *ctx;
	int rows;
	double after; /* what the first change set the figure to */
	int state;
};

/* The change that first set the figure, told as a history entry. */
static int first_change(void *x, const struct value_change *c)
{
	struct history_walk *w = x;
	struct value_change first = *c;
	first.before = NAN;
	first.after = w->after;
	first.state_before = first.state_after = w->state;
	return w->fn(w->ctx, &first);
}

static int history_row(void *x, const struct value_change *c)
{
	struct history_walk *w = x;
	int rc;
	if (w->rows++ == 0 && c->prev_change) {
		w->after = c->before;
		w->state = c->state_before;
		if ((rc = w->st->ops->get_change(w->st, c->prev_change,
						 first_change, w)))
			return rc;
	}
	return w->fn(w->ctx, c);
}

int store_scan_history(struct store *st, int indicator_id, int area_id,
		       int month, store_change_fn fn, void *ctx)
{
	struct history_walk w = {.st = st, .fn = fn, .ctx = ctx};
	struct series ser = {0};
	int rc = st->ops->get_series(st, indicator_id, area_id, &ser);
	if (rc == CS_ENOTFOUND)
		return CS_OK;
	if (rc)
		return rc;
	int i = month - ser.first_month;
	long change = i >= 0 && i < ser.n ? (long)ser.change[i] : 0;
	if (change) {
		w.after = ser.value[i];
		w.state = ser.flags[i] & VALUE_STATE_MASK;
	}
	series_release(&ser);
	rc = st->ops->scan_history(st, indicator_id, area_id, month,
				   history_row, &w);
	if (!rc && !w.rows && change)
		rc = st->ops->get_change(st, change, first_change, &w);
	return rc;
}
