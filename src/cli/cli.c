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

int cli_period(const struct cli_opts *o, const struct civstat *cs,
	       struct period *p)
{
	if (o->period && period_parse(o->period, strlen(o->period), p))
		return cs_errorf(CS_EUSAGE, "--period: bad period \"%s\" "
				 "(2025-09, 2025-Q3, 2025, 2025年1-9月 ...)",
				 o->period);
	if (o->period)
		return CS_OK;
	int m = cube_latest_month(&cs->cube);
	if (m < 0)
		return cs_errorf(CS_ENOTFOUND, "no figures yet: give --period");
	*p = period_from_month_index(m);
	return CS_OK;
}

/* Looks an area code up; CS_ENOTFOUND naming it when unknown. */
static int find_area(const struct civstat *cs, const char *code, int *a)
{
	*a = catalog_area(&cs->cat, code, strlen(code));
	return *a < 0 ? cs_errorf(CS_ENOTFOUND, "unknown area \"%s\"", code)
		      : CS_OK;
}

int cli_areas(const struct cli_opts *o, const struct civstat *cs, int **pa,
	      int *pn)
{
	const struct catalog *cat = &cs->cat;
	int *list = malloc((size_t)(cat->n_areas ? cat->n_areas : 1) *
			   sizeof *list);
	int n = 0, a, rc = CS_OK;
	if (!list)
		return cs_errorf(CS_ENOMEM, "out of memory");
	if (o->level) {
		for (a = 0; a < cat->n_areas; a++)
			if (cat->areas[a].level == o->level)
				list[n++] = a;
		if (!n)
			rc = cs_errorf(CS_ENOTFOUND, "no area at level %d",
				       o->level);
	} else if (o->children) {
		if (!(rc = find_area(cs, o->children, &a)))
			for (int ch = cat->first_child[a]; ch >= 0;
			     ch = cat->next_sibling[ch])
				list[n++] = ch;
	} else if (o->area) {
		if (!(rc = find_area(cs, o->area, &a)))
			list[n++] = a;
	} else if (cat->n_areas) {
		list[n++] = catalog_root(cat);
	} else {
		rc = cs_errorf(CS_ENOTFOUND, "the database has no areas yet");
	}
	if (rc) {
		free(list);
		return rc;
	}
	*pa = list;
	*pn = n;
	return CS_OK;
}

int cli_indicators(const struct cli_opts *o, const struct civstat *cs,
		   int **pi, int *pn)
{
	const struct catalog *cat = &cs->cat;
	int *list = malloc((size_t)(cat->n_inds ? cat->n_inds : 1) *
			   sizeof *list);
	int n = 0;
	if (!list)
		return cs_errorf(CS_ENOMEM, "out of memory");
	if (o->indicator) {
		const char *z = o->indicator;
		while (*z) {
			size_t len = strcspn(z, ",");
			int i = catalog_indicator(cat, z, len);
			if (i < 0) {
				free(list);
				return cs_errorf(CS_ENOTFOUND,
						 "unknown indicator \"%.*s\"",
						 (int)len, z);
			}
			if (n < cat->n_inds)
				list[n++] = i;
			z += len + (z[len] == ',');
		}
	} else {
		for (int i = 0; i < cat->n_inds; i++)
			if (!o->assessed || !isnan(cat->inds[i].weight))
				list[n++] = i;
	}
	*pi = list;
	*pn = n;
	return CS_OK;
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

const char *cli_area_name(const struct cli_opts *o, const struct area *a)
{
	return o->lang == LANG_EN && *a->name_en ? a->name_en : a->name;
}

const char *cli_ind_name(const struct cli_opts *o, const struct indicator *i)
{
	return o->lang == LANG_EN && *i->name_en ? i->name_en : i->name;
}

int cli_zh(const struct cli_opts *o)
{
	return o->lang == LANG_ZH && o->format == OUT_TABLE;
}

void cli_period_text(const struct cli_opts *o, const struct period *p,
		     char *buf, size_t cap)
{
	if (cli_zh(o))
		period_format_zh(p, buf, cap);
	else
		period_format(p, buf, cap);
}
