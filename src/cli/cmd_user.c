/*
 * civstat user: not built yet.
 */
#include "cli/cli.h"
#include "core/err.h"

int cmd_user(struct cli_opts *o)
{
	(void)o;
	return cli_fail(cs_errorf(CS_EUSAGE, "civstat user is not built yet"));
}
