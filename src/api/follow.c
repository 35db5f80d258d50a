/*
 * Following the change feed: what other processes write to the same
 * database (the other nodes on one PostgreSQL, a CLI import beside a server
 * on SQLite) reaches this server's cube within milliseconds.
 *
 * One thread, on a reading connection of its own, waits for the feed to
 * move (PostgreSQL's NOTIFY, SQLite's data version), asks what the others
 * wrote after the last row it applied, reads those series as they are now
 * and puts the figures that differ into the cube; a change of the catalog,
 * a bulk import or a feed pruned past its position reads everything again.
 * Its own writes it skips: the committer put them in the cube already.
 *
 * Order: it reads and applies under the store's mutex, so no local write
 * commits in between, and a series read is never older than what the cube
 * holds; readers wait only while the figures go in.  Reading again is
 * idempotent, so the position may lag, never run ahead.
 */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "domain/project.h"

#define FOLLOW_WAIT_MS 200      /* a wait, between looks at the stop */
#define FOLLOW_KEEP 200000      /* feed rows kept when pruning */
#define FOLLOW_PRUNE_SECONDS 600

/* The series read from the feed, copied out of the store's rows. */
struct batch {
	struct series *s;
	size_t n, cap;
};

static int keep_series(void *ctx, const struct series *s)
{
	struct batch *b = ctx;
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		struct series *p = realloc(b->s, cap * sizeof *p);
		if (!p)
			return cs_errorf(CS_ENOMEM, "out of memory");
		b->s = p;
		b->cap = cap;
	}
	struct series *c = &b->s[b->n];
	int rc = series_init(c, s->indicator_id, s->area_id, s->first_month,
			     s->n);
	if (rc)
		return rc;
	if (s->n > 0) {
		memcpy(c->value, s->value, (size_t)s->n * sizeof *s->value);
		memcpy(c->flags, s->flags, (size_t)s->n);
		memcpy(c->change, s->change, (size_t)s->n * sizeof *s->change);
	}
	b->n++;
	return CS_OK;
}

static void batch_release(struct batch *b)
{
	for (size_t k = 0; k < b->n; k++)
		series_release(&b->s[k]);
	free(b->s);
}

/* Reads everything again, the store's mutex held; the cube's readers wait
 * only for the swap. */
static int reload(struct api *api)
{
	struct civstat_state next;
	int rc = civstat_read(api->cs, &next);
	if (rc)
		return rc;
	pthread_rwlock_wrlock(&api->lock);
	api_events_catalog(api->events, atomic_load(&api->version) + 1);
	civstat_take(api->cs, &next);
	atomic_fetch_add(&api->version, 1);
	pthread_rwlock_unlock(&api->lock);
	api_events_notify(api->events);
	atomic_fetch_add(&api->feed_reloads, 1);
	return CS_OK;
}

/*
 * Reads the pipeline again on the follower's connection f without the
 * store's mutex, so that local writes go on meanwhile (a province's
 * pipeline takes a second); then, holding the mutex, puts it in place,
 * unless a local write changed the held book in between (its generation
 * moved: the read may have begun before that write committed), when it
 * reads once more, the mutex held.  The readers wait only for the swap.
 */
static int reload_projects(struct api *api, struct store *f)
{
	struct civstat *cs = api->cs;
	struct project_book next;
	pthread_mutex_lock(&api->store);
	int held = cs->projects != NULL;
	unsigned long gen = held ? cs->projects->gen : 0;
	pthread_mutex_unlock(&api->store);
	int rc = project_book_load_lean(&next, f);
	if (rc)
		return rc;
	pthread_mutex_lock(&api->store);
	if (!held || !cs->projects || cs->projects->gen != gen) {
		project_book_release(&next);
		rc = project_book_load_lean(&next, cs->st);
	}
	if (!rc) {
		pthread_rwlock_wrlock(&api->lock);
		project_cache_take(cs, &next);
		atomic_fetch_add(&api->version, 1);
		pthread_rwlock_unlock(&api->lock);
		api_events_notify(api->events);
		atomic_fetch_add(&api->feed_reloads, 1);
	}
	pthread_mutex_unlock(&api->store);
	return rc;
}

/* Applies what the others wrote after *seq and moves *seq on. */
static int catch_up(struct api *api, struct store *f, long *seq)
{
	struct civstat *cs = api->cs;
	struct feed_news news;
	int rc = f->ops->feed_poll(f, *seq, store_node(), &news);
	if (rc)
		return rc;
	/* Only its own writes: nothing to read. */
	int all = news.all > 0 || news.top < *seq || news.bottom > *seq + 1;
	if (news.top != *seq && !all && !news.series && !news.projects)
		*seq = news.top;
	/* The pipeline first, the store's mutex not held; also when a
	 * write that ran out of memory dropped it.  Reading it again
	 * before *seq moves keeps the position from running ahead. */
	if (((news.top != *seq && (all || news.projects)) || !cs->projects) &&
	    (rc = reload_projects(api, f)))
		return rc;
	if (news.top == *seq)
		return CS_OK;
	pthread_mutex_lock(&api->store);
	if (all) {
		if (!(rc = reload(api)))
			*seq = cs->feed_seq;
		pthread_mutex_unlock(&api->store);
		return rc;
	}
	if (!news.series) {
		*seq = news.top;
		pthread_mutex_unlock(&api->store);
		return CS_OK;
	}
	struct batch b = {0};
	if (!(rc = f->ops->feed_series(f, *seq, news.top, store_node(),
				       keep_series, &b))) {
		long changed = 0;
		int unknown = 0;
		pthread_rwlock_wrlock(&api->lock);
		for (size_t k = 0; k < b.n && !unknown; k++) {
			long n = civstat_series_apply(cs, &b.s[k]);
			if (n < 0)
				unknown = 1;
			else
				changed += n;
		}
		if (changed)
			atomic_fetch_add(&api->version, 1);
		pthread_rwlock_unlock(&api->lock);
		if (changed)
			api_events_notify(api->events);
		atomic_fetch_add(&api->feed_series, (long)b.n);
		/* A series of an indicator or area this catalog does not
		 * know yet: the catalog changed in a way the feed has not
		 * told (yet); read everything again. */
		if (unknown)
			rc = reload(api);
		if (!rc)
			*seq = unknown ? cs->feed_seq : news.top;
	}
	pthread_mutex_unlock(&api->store);
	batch_release(&b);
	return rc;
}

/* Sleeps ms, or less when the server stops. */
static void pause_ms(struct api *api, int ms)
{
	for (; ms > 0 && atomic_load(&api->following); ms -= 50) {
		struct timespec ts = {0, (ms < 50 ? ms : 50) * 1000000L};
		nanosleep(&ts, NULL);
	}
}

/* Drops the feed's old rows now and then, on the writing connection. */
static void prune(struct api *api, time_t *last)
{
	time_t now = time(NULL);
	if (now - *last < FOLLOW_PRUNE_SECONDS)
		return;
	*last = now;
	struct store *st = api->cs->st;
	pthread_mutex_lock(&api->store);
	if (st->ops->feed_prune(st, FOLLOW_KEEP))
		fprintf(stderr, "civstat: the change feed: %s\n", cs_errmsg());
	pthread_mutex_unlock(&api->store);
}

static void *follow(void *arg)
{
	struct api *api = arg;
	struct store *f = NULL;
	long seq;
	int down = 0;
	time_t pruned = time(NULL);
	pthread_mutex_lock(&api->store);
	seq = api->cs->feed_seq;
	pthread_mutex_unlock(&api->store);
	while (atomic_load(&api->following)) {
		int rc = f ? CS_OK
			   : store_open(api->cs->st->target, STORE_READONLY,
					&f);
		if (!rc && !(rc = catch_up(api, f, &seq)))
			rc = f->ops->feed_wait(f, FOLLOW_WAIT_MS);
		atomic_store(&api->feed_seq, seq);
		if (!rc) {
			if (down)
				fprintf(stderr, "civstat: the change feed is "
						"followed again\n");
			down = 0;
			prune(api, &pruned);
			continue;
		}
		/* The store connects again by itself, no more often than
		 * its own backoff lets it: this only looks every 0.1 s, and
		 * says so once. */
		if (!down)
			fprintf(stderr, "civstat: the change feed: %s; "
					"trying again\n",
				cs_errmsg());
		down = 1;
		pause_ms(api, 100);
	}
	store_close(f);
	return NULL;
}

int api_follow_start(struct api *api)
{
	atomic_store(&api->following, 1);
	if (pthread_create(&api->follower, NULL, follow, api)) {
		atomic_store(&api->following, 0);
		return cs_errorf(CS_EIO, "cannot start the change feed's "
					 "thread");
	}
	return CS_OK;
}

void api_follow_stop(struct api *api)
{
	if (!atomic_exchange(&api->following, 0))
		return;
	pthread_join(api->follower, NULL);
}
