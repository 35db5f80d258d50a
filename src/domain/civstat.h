/*
 * An open civstat database: the store, the catalog read from it and the
 * cube of figures built from it, kept consistent by the domain services.
 * Everything above (CLI, server) works through one of these.
 */
#ifndef CS_CIVSTAT_H
#define CS_CIVSTAT_H

#include "analytics/catalog.h"
#include "analytics/cube.h"
#include "store/store.h"

struct project_book;
struct request_cache;

struct civstat {
	struct store *st;
	struct catalog cat;
	struct cube cube;
	const char *actor; /* who is acting, for the history; "cli" default */
	const char *request_id; /* the HTTP request acting, or NULL */
	/* Called around every change to the cube by a single-figure write,
	 * so that a server's readers can go on while the write waits for
	 * its commit; NULL on the command line. */
	void (*cube_lock)(void *ctx);
	void (*cube_unlock)(void *ctx);
	void *lock_ctx;
	/* A group of writes in one transaction (civstat_group_begin): the
	 * figures they changed, put into the cube only once it commits. */
	int grouped;
	struct civstat_figure *pending;
	size_t n_pending, cap_pending;
	/* The change feed's newest row when the catalog and the cube were
	 * read: what other processes wrote after it is not in them yet. */
	long feed_seq;
	/* The key-project pipeline held in memory (project_cache), NULL
	 * until it is first used. */
	struct project_book *projects;
	/* The calendar, catalogue and settings the requests' deadlines are
	 * counted from (domain/request.c), NULL until first used. */
	struct request_cache *requests;
};

/* A figure changed in a group, not yet in the cube. */
struct civstat_figure {
	int i, a, m;
	double v;
	uint8_t flags;
};

/*
 * Opens the database at target (see store_open) and builds the catalog and
 * the cube.  On success *pp is owned by the caller (civstat_close).
 */
int civstat_open(const char *target, int flags, struct civstat **pp);
void civstat_close(struct civstat *cs);
/* Rebuilds the catalog and the cube from the store, after the catalog
 * changed.  On error the old catalog and cube are kept. */
int civstat_reload(struct civstat *cs);

/*
 * civstat_reload in two steps, so that a server's readers go on while the
 * store is read: civstat_read reads a new catalog and cube into *next;
 * civstat_take puts them in place of the old ones (under the cube's lock
 * for a change), or civstat_drop throws them away.
 */
struct civstat_state {
	struct catalog cat;
	struct cube cube;
	long feed_seq;
};
int civstat_read(struct civstat *cs, struct civstat_state *next);
void civstat_take(struct civstat *cs, struct civstat_state *next);
void civstat_drop(struct civstat_state *next);

/*
 * Brings the cube up to date with s, a series as the store holds it now
 * (read from the change feed: another process wrote it).  The caller holds
 * the cube for a change and is in no group.  Returns the number of figures
 * that changed, or -1 when s names an indicator or area this catalog does
 * not know (then the catalog is older than the store: civstat_reload).
 */
long civstat_series_apply(struct civstat *cs, const struct series *s);

/* Take and leave the cube for a change (see cube_lock). */
void civstat_cube_lock(struct civstat *cs);
void civstat_cube_unlock(struct civstat *cs);

/*
 * Group commit: the writes between civstat_group_begin and
 * civstat_group_end share one transaction, each of them still all or
 * nothing on its own (an inner transaction), so that one fsync makes many
 * durable.  Their figures reach the cube, all at once, only when
 * civstat_group_end commits; if the commit fails nothing of the group is
 * kept and the error is returned.
 */
int civstat_group_begin(struct civstat *cs);
int civstat_group_end(struct civstat *cs);

/* Puts a stored figure (i, a, m) = v with flags into the cube now, or,
 * inside a group, when the group commits; civstat_figure_room, called
 * before the write, makes sure there is room to keep it. */
int civstat_figure_room(struct civstat *cs);
void civstat_figure_put(struct civstat *cs, int i, int a, int m, double v,
			uint8_t flags);
/* The figure (i, a, m) as the writes so far left it: NaN when there is
 * none; *flags its flags. */
double civstat_figure(const struct civstat *cs, int i, int a, int m,
		      uint8_t *flags);

#endif
