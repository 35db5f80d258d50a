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

#endif
