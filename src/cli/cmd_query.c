/*
 * The questions on the command line: progress, growth, rank, series,
 * pillars and compare, answered by domain/question.c and printed.
 */
#include <string.h>

#include "cli/cli.h"
#include "core/err.h"
#include "domain/question.h"

int cli_ask(const struct cli_opts *o, question_fn fn, int level)
{
	struct question_args qa = {
		.period = o->period,
		.area = o->area,
		.children = o->children,
		.level = o->level ? o->level
			 : !o->area && !o->children ? level
						     : 0,
		.indicator = o->indicator,
		.assessed = o->assessed,
		.from = o->from,
		.to = o->to,
		.tolerance = o->tolerance,
		.mom = o->mom,
		.zh = cli_zh(o),
		.en_names = o->lang == LANG_EN,
	};
	struct civstat *cs;
	struct question q;
	struct out_table t = {0};
	int rc;
	if ((rc = cli_open(o, STORE_READONLY, &cs)))
		return rc;
	if (!(rc = question_init(&q, cs, &qa))) {
		rc = fn(cs, &q, &t);
		/* A question that prints itself leaves t empty. */
		rc = rc || !t.ncols ? (out_release(&t), rc) : cli_print(o, &t);
		question_release(&q);
	}
	civstat_close(cs);
	return rc ? cli_fail(rc) : 0;
}

int cmd_progress(struct cli_opts *o)
{
	return cli_ask(o, question_progress, 0);
}

int cmd_growth(struct cli_opts *o)
{
	return cli_ask(o, question_growth, 0);
}

int cmd_rank(struct cli_opts *o)
{
	/* By default, the areas right below the root. */
	return cli_ask(o, question_rank, 2);
}

int cmd_series(struct cli_opts *o)
{
	if (!o->indicator || strchr(o->indicator, ','))
		return cli_fail(cs_errorf(CS_EUSAGE, "series takes one "
					  "--indicator"));
	return cli_ask(o, question_series, 0);
}

int cmd_pillars(struct cli_opts *o)
{
	return cli_ask(o, question_pillars, 0);
}

int cmd_compare(struct cli_opts *o)
{
	return cli_ask(o, question_compare, 0);
}
