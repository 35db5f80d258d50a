/*
 * civstat audit: not built yet.
 */
#include "cli/cli.h"
#include "core/err.h"

int cmd_audit(struct cli_opts *o)
{
	(void)o;
	return cli_fail(cs_errorf(CS_EUSAGE, "civstat audit is not built yet"));
}
