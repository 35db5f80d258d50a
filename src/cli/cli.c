/*
 * What the commands share: opening the database, reading the period, area
 * and indicator options, printing, and reporting failures.
 */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

int cli_fail(int rc)
{
	const char *msg = cs_errmsg();
	fprintf(stderr, "civstat: %s\n", *msg ? msg : cs_rc_name(rc));
	return cs_rc_exit(rc);
}

int cli_open(const struct cli_opts *o, int flags, struct civstat **pp)
{
	int rc = civstat_open(o->db, flags, pp);
	return rc ? cli_fail(rc) : 0;
}

int cli_print(const struct cli_opts *o, struct out_table *t)
{
	FILE *f = stdout;
	int rc;
	if (o->out && !(f = fopen(o->out, "w"))) {
		rc = cs_errorf(CS_EIO, "%s: %s", o->out, strerror(errno));
		out_release(t);
		return rc;
	}
	rc = out_print(t, f, o->format, o->lang);
	if (f != stdout && fclose(f) && !rc)
		rc = cs_errorf(CS_EIO, "%s: %s", o->out, strerror(errno));
	out_release(t);
	return rc;
}

int cli_print_export(const struct cli_opts *o, struct out_table *t)
{
	struct cli_opts e = *o;
	e.format = o->format == OUT_JSON ? OUT_JSON : OUT_CSV;
	return cli_print(&e, t);
}

int cli_zh(const struct cli_opts *o)
{
	return o->lang == LANG_ZH && o->format == OUT_TABLE;
}
