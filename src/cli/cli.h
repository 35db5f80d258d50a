/*
 * The command line: one table of commands and one table of options, shared
 * by the files that implement the commands (cmd_*.c).
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include "domain/out.h"
#include "core/period.h"
#include "domain/civstat.h"
#include "domain/question.h"

/* Options; each command says which it takes.  What each means is told
 * once, in main.c's opt_docs (and by --help). */
enum opt {
	O_DB = 1 << 0,
	O_FORMAT = 1 << 1,
	O_LANG = 1 << 2,
	O_PERIOD = 1 << 3,
	O_AREA = 1 << 4,
	O_CHILDREN = 1 << 5,
	O_LEVEL = 1 << 6,
	O_INDICATOR = 1 << 7,
	O_ASSESSED = 1 << 8,
	O_TOLERANCE = 1 << 9,
	O_RANGE = 1 << 10,
	O_KIND = 1 << 11,
	O_DRYRUN = 1 << 12,
	O_ENCODING = 1 << 13,
	O_DEMO = 1 << 14,
	O_OUT = 1 << 15,
	O_VALUE = 1 << 16,
	O_MOM = 1 << 17,
	O_DATA = 1 << 18,
	O_REPEAT = 1 << 19,
	O_SDMX = 1 << 20,
	O_EXCEL = 1 << 21,
	O_ROLE = 1 << 22,
	O_DEPT = 1 << 23,
	O_LABEL = 1 << 24,
	O_PWSTDIN = 1 << 25,
	O_LIMIT = 1 << 26,
	O_LISTEN = 1 << 27,
	O_STATIC = 1 << 28,
	O_ACCOUNTS = 1 << 29,
	O_XLSX = 1 << 30,
};
/* Bits beyond int's range for an enum constant, so macros; the mask of
 * options is 64 bits wide (unsigned long long).  The options of civstat
 * project (--phase, --date, --reason, --investment, --progress, --note,
 * --by, --today), and of the working-day calendar, civstat holiday and
 * civstat workday (--year, --days, --hours). */
#define O_PROJECT (1ull << 31)
#define O_CALENDAR (1ull << 32)
#define O_REQUEST (1ull << 33)

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
	const char *role;
	const char *department;
	const char *label;
	int password_stdin;
	long limit;
	const char *listen;
	const char *static_dir;
	int accounts;
	int xlsx;
	/* civstat project */
	const char *phase, *date, *reason, *investment, *progress, *note;
	const char *by, *today;
	const char *export_format; /* project export --format oc4ids|xlsx */
	/* civstat holiday, civstat workday */
	const char *year, *days, *hours;
	/* civstat request */
	const char *now, *text, *resolved, *satisfaction, *duplicate_of;
	int overdue;
	char **args; /* operands after the options */
	int nargs;
};

/* Prints a message for rc (cs_errmsg() if set) and returns the exit code. */
int cli_fail(int rc);

/* Opens o->db; complains the usual way on failure. */
int cli_open(const struct cli_opts *o, int flags, struct civstat **pp);

/*
 * Opens the database, reads the question's options (level: the areas'
 * level when none is named; 0 for the root), asks fn and prints the
 * table.  Returns the exit code.
 */
int cli_ask(const struct cli_opts *o, question_fn fn, int level);
/* Prints t to o->out or stdout and releases it. */
int cli_print(const struct cli_opts *o, struct out_table *t);
/* The same as a file to import again: CSV with the English column names
 * (or JSON when asked for). */
int cli_print_export(const struct cli_opts *o, struct out_table *t);

/* Nonzero when words go out in Chinese: a table with --lang zh.  CSV and
 * JSON carry the stable English codes (ahead, approved ...), for programs. */
int cli_zh(const struct cli_opts *o);

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
int cmd_user(struct cli_opts *o);
int cmd_audit(struct cli_opts *o);
int cmd_serve(struct cli_opts *o);
int cmd_migrate(struct cli_opts *o);
int cmd_project(struct cli_opts *o);
int cmd_task(struct cli_opts *o);
int cmd_holiday(struct cli_opts *o);
int cmd_service(struct cli_opts *o);
int cmd_workday(struct cli_opts *o);
int cmd_request(struct cli_opts *o);

#endif
