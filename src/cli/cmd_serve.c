/*
 * civstat serve: not built yet.
 */
#include "cli/cli.h"
#include "core/err.h"

int cmd_serve(struct cli_opts *o)
{
	(void)o;
	return cli_fail(cs_errorf(CS_EUSAGE, "civstat serve is not built yet"));
}
