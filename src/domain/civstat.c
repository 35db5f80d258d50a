/*
 * Opening and reloading a civstat database (see civstat.h).
 */
#include "domain/civstat.h"

#include <stdlib.h>

#include "core/err.h"

int civstat_open(const char *target, int flags, struct civstat **pp)
{
	struct civstat *cs = calloc(1, sizeof *cs);
	int rc;
	if (!cs)
		return cs_errorf(CS_ENOMEM, "out of memory");
	cs->actor = "cli";
	if ((rc = store_open(target, flags, &cs->st)))
		goto failed;
	if ((rc = catalog_load(&cs->cat, cs->st)))
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
	cube_release(&cs->cube);
	catalog_release(&cs->cat);
	store_close(cs->st);
	free(cs);
}

int civstat_reload(struct civstat *cs)
{
	struct catalog cat;
	struct cube cube;
	int rc;
	if ((rc = catalog_load(&cat, cs->st)))
		return rc;
	if ((rc = cube_build(&cube, &cat, cs->st))) {
		catalog_release(&cat);
		return rc;
	}
	cube_release(&cs->cube);
	catalog_release(&cs->cat);
	cs->cat = cat;
	cs->cube = cube;
	cs->cube.cat = &cs->cat; /* the arrays moved with it, not the struct */
	return CS_OK;
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
