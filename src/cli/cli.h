/*
 * The command line: one table of commands and one table of options, shared
 * by the files that implement the commands (cmd_*.c).
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include "cli/out.h"
#include "core/period.h"
#include "domain/civstat.h"

/* Options; each command says which it takes (enum opt bits). */
enum opt {
	O_DB = 1 << 0,        /* --db FILE: the database ($CIVSTAT_DB, civstat.db) */
	O_FORMAT = 1 << 1,    /* --format table|csv|json: how to print */
	O_LANG = 1 << 2,      /* --lang zh|en: language of headers and text */
	O_PERIOD = 1 << 3,    /* --period P: 2025-09, 2025-Q3, 2025年1-9月 ... */
	O_AREA = 1 << 4,      /* --area CODE: one area (default: the whole city) */
	O_CHILDREN = 1 << 5,  /* --children CODE: the areas right below CODE */
	O_LEVEL = 1 << 6,     /* --level N: every area at level N (root = 1) */
	O_INDICATOR = 1 << 7, /* --indicator A,B: indicator codes */
	O_ASSESSED = 1 << 8,  /* --assessed: the assessment set (with weights) */
	O_TOLERANCE = 1 << 9, /* --tolerance T: "close" within T of schedule (0.1) */
	O_RANGE = 1 << 10,    /* --from P --to P: range of a series */
	O_KIND = 1 << 11,     /* --kind K: what a file holds (areas, values ...) */
	O_DRYRUN = 1 << 12,   /* --dry-run: check and report, store nothing */
	O_ENCODING = 1 << 13, /* --encoding utf8|gb18030: force a file's encoding */
	O_DEMO = 1 << 14,     /* --demo DIR: load the demo city's files */
	O_OUT = 1 << 15,      /* --out PATH: write there instead of stdout */
	O_VALUE = 1 << 16,    /* --value V --state S --comment C: a figure */
	O_MOM = 1 << 17,      /* --mom: 环比 (previous period) instead of 同比 */
	O_DATA = 1 << 18,     /* --data DIR: benchmark files (gen.py's) */
	O_REPEAT = 1 << 19,   /* --repeat N: timing runs per question */
	O_SDMX = 1 << 20,     /* --sdmx: SDMX-CSV 2.0 instead of our CSV */
	O_EXCEL = 1 << 21,    /* --excel: GB18030 and Chinese headers, for Excel */
};

struct cli_opts {
	const char *db;
	enum out_format format;
	enum out_lang lang;
	const char *period;
	const char *area;
	const char *children;
	int level;
	const char *indicator;
	int assessed;
	double tolerance;
	const char *from, *to;
	const char *kind;
	int dry_run;
	const char *encoding;
	const char *demo;
	const char *out;
	const char *value, *state, *comment;
	int mom;
	const char *data;
	int repeat;
	int sdmx;
	int excel;
	char **args; /* operands after the options */
	int nargs;
};

/* Prints a message for rc (cs_errmsg() if set) and returns the exit code. */
int cli_fail(int rc);

/* Opens o->db; complains the usual way on failure. */
int cli_open(const struct cli_opts *o, int flags, struct civstat **pp);

/* The period asked for, or the latest month with figures. */
int cli_period(const struct cli_opts *o, const struct civstat *cs,
	       struct period *p);
/* The areas asked for (--area, --children, --level; default the root):
 * a malloc'd array of indices. */
int cli_areas(const struct cli_opts *o, const struct civstat *cs, int **pa,
	      int *pn);
/* The indicators asked for (--indicator, --assessed; default all). */
int cli_indicators(const struct cli_opts *o, const struct civstat *cs,
		   int **pi, int *pn);
/* Prints t to o->out or stdout and releases it. */
int cli_print(const struct cli_opts *o, struct out_table *t);

/* Nonzero when words go out in Chinese: a table with --lang zh.  CSV and
 * JSON carry the stable English codes (ahead, approved ...), for programs. */
int cli_zh(const struct cli_opts *o);

/* Name of an area or indicator in the chosen language. */
const char *cli_area_name(const struct cli_opts *o, const struct area *a);
const char *cli_ind_name(const struct cli_opts *o, const struct indicator *i);

/* The commands. */
int cmd_init(struct cli_opts *o);
int cmd_import(struct cli_opts *o);
int cmd_export(struct cli_opts *o);
int cmd_set(struct cli_opts *o);
int cmd_history(struct cli_opts *o);
int cmd_progress(struct cli_opts *o);
int cmd_growth(struct cli_opts *o);
int cmd_rank(struct cli_opts *o);
int cmd_series(struct cli_opts *o);
int cmd_pillars(struct cli_opts *o);
int cmd_compare(struct cli_opts *o);
int cmd_check(struct cli_opts *o);
int cmd_brief(struct cli_opts *o);
int cmd_bench(struct cli_opts *o);

#endif
