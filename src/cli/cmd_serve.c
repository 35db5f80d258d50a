/*
 * civstat serve: the HTTP JSON API and the web UI on one database.
 */
#include "api/api.h"
#include "cli/cli.h"
#include "core/err.h"

int cmd_serve(struct cli_opts *o)
{
	struct civstat *cs;
	int rc;
	if ((rc = cli_open(o, 0, &cs)))
		return rc;
	cs->actor = "server";
	rc = api_serve(cs, o->listen ? o->listen : "127.0.0.1:8080",
		       o->static_dir);
	civstat_close(cs);
	return rc ? cli_fail(rc) : 0;
}
