/*
 * The reports of the command line: check (data-quality findings, then
 * each department's reporting) and brief (the month's one-page summary).
 */
#include <stdio.h>

#include "cli/cli.h"
#include "core/err.h"
#include "domain/brief.h"

int cmd_check(struct cli_opts *o)
{
	int rc = cli_ask(o, question_check, 0);
	if (rc || o->format != OUT_TABLE)
		return rc;
	printf("\n");
	return cli_ask(o, question_reporting, 0);
}

static int brief(const struct civstat *cs, const struct question *q,
		 struct out_table *t)
{
	(void)t;
	return brief_write(cs, q->areas[0], &q->p, q->tolerance, 0, stdout);
}

int cmd_brief(struct cli_opts *o)
{
	return cli_ask(o, brief, 0);
}
