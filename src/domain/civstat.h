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
