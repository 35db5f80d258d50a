/*
 * Commands that put figures in and take them out: init, import, export,
 * set and history.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/num.h"
#include "domain/auth.h"
#include "domain/export.h"
#include "domain/import.h"
#include "domain/holiday.h"
#include "domain/request.h"
#include "domain/service.h"
#include "domain/project_io.h"
#include "domain/task_csv.h"
#include "domain/values.h"

/* The demo's working-day calendar, beside the figures' files. */
#define DEMO_HOLIDAYS "holidays.csv"
#define DEMO_SERVICES "services.csv"
#define DEMO_REQUESTS "requests.csv"

/* Prints an import's report: counts, then the errors listed. */
static void print_report(const struct import_report *r, int dry_run)
{
	if (r->n_errors) {
		for (int k = 0; k < r->n_shown; k++)
			fprintf(stderr, "%s\n", r->errors[k]);
		if (r->n_errors > r->n_shown)
			fprintf(stderr, "... and %ld more errors\n",
				r->n_errors - r->n_shown);
		fprintf(stderr, "civstat: %ld error%s: nothing was imported\n",
			r->n_errors, r->n_errors == 1 ? "" : "s");
		return;
	}
	for (int k = 1; k < IMPORT_NKINDS; k++)
		if (r->rows[k])
			printf("%s: %ld rows\n", import_kind_name(k), r->rows[k]);
	printf("figures: %ld added, %ld changed, %ld unchanged, %ld "
	       "skipped (empty)%s\n",
	       r->added, r->changed, r->unchanged, r->skipped,
	       dry_run ? " (dry run: nothing stored)" : "");
}

static int run_import(struct civstat *cs, const char *const *files, int n,
		      const struct import_opts *io)
{
	struct import_report r;
	int rc = import_files(cs, files, n, io, &r);
	if (rc == CS_OK || rc == CS_EINVAL)
		print_report(&r, io->dry_run);
	import_report_release(&r);
	if (rc == CS_EINVAL)
		return cs_rc_exit(rc);
	return rc ? cli_fail(rc) : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.csv files of dir, sorted: a malloc'd array of malloc'd paths. */
static int csv_files(const char *dir, char ***pfiles, int *pn)
{
	DIR *d = opendir(dir);
	if (!d)
		return cs_errorf(CS_ENOTFOUND, "%s: %s", dir, strerror(errno));
	char **files = NULL;
	int n = 0, rc = CS_OK;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".csv"))
			continue;
		char **g = realloc(files, (size_t)(n + 1) * sizeof *g);
		if (!g || asprintf(&g[n], "%s/%s", dir, e->d_name) < 0) {
			files = g ? g : files;
			rc = cs_errorf(CS_ENOMEM, "out of memory");
			break;
		}
		files = g;
		n++;
	}
	closedir(d);
	if (!rc && !n)
		rc = cs_errorf(CS_ENOTFOUND, "%s: no .csv files", dir);
	if (rc) {
		for (int k = 0; k < n; k++)
			free(files[k]);
		free(files);
		return rc;
	}
	qsort(files, (size_t)n, sizeof *files, cmp_str);
	*pfiles = files;
	*pn = n;
	return CS_OK;
}

/* The demo's task lists, in DIR/tasks/ when there is one: the figures'
 * importer does not read them, the task importer does. */
static int demo_tasks(const char *dir, struct civstat *cs)
{
	char *sub = NULL, **files = NULL;
	long rows[TASK_CSV_NKINDS];
	int n = 0, rc;
	struct stat sb;
	if (asprintf(&sub, "%s/tasks", dir) < 0)
		return cli_fail(cs_errorf(CS_ENOMEM, "out of memory"));
	if (stat(sub, &sb) || !S_ISDIR(sb.st_mode)) {
		free(sub);
		return 0;
	}
	if (!(rc = csv_files(sub, &files, &n)))
		rc = task_csv_import(cs, (const char *const *)files, n, 0, rows);
	for (int k = 0; k < n; k++)
		free(files[k]);
	free(files);
	free(sub);
	if (rc)
		return cli_fail(rc);
	printf("task lists: %ld lists, %ld tasks, %ld milestones, %ld "
	       "reports\n",
	       rows[TASK_CSV_LISTS], rows[TASK_CSV_TASKS],
	       rows[TASK_CSV_MILESTONES], rows[TASK_CSV_REPORTS]);
	return 0;
}

/* One of the demo's files with an importer of its own, DIR/name when
 * there is one: the working-day calendar (the State Council's notices for
 * the years the demo's requests fall in), the service catalogue (after
 * the departments it names), the year of sample requests (after both). */
static int demo_file(const char *dir, struct civstat *cs, const char *name,
		     int (*import)(struct civstat *cs,
				   const char *const *paths, int n,
				   int dry_run, long *rows),
		     const char *what, const char *unit)
{
	char *path = NULL;
	long rows = 0;
	struct stat sb;
	int rc;
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return cli_fail(cs_errorf(CS_ENOMEM, "out of memory"));
	const char *paths[1] = {path};
	rc = stat(path, &sb) ? CS_OK : import(cs, paths, 1, 0, &rows);
	free(path);
	if (rc)
		return cli_fail(rc);
	if (rows)
		printf("%s: %ld %s\n", what, rows, unit);
	return 0;
}

/* The demo's accounts, one per role, each with a password made now and
 * printed once.  Returns the exit code. */
static int demo_accounts(const struct cli_opts *o, struct civstat *cs)
{
	static const struct {
		const char *name;
		int role;
		const char *department;
	} accounts[] = {
		{"admin", ROLE_ADMIN, NULL},
		{"leader", ROLE_LEADER, NULL},
		{"reviewer", ROLE_REVIEWER, NULL},
		{"clerk-fgw", ROLE_DEPARTMENT, "FGW"},
		{"public", ROLE_PUBLIC, NULL},
	};
	static const char *const head_en[] = {"name", "role", "password"};
	static const char *const head_zh[] = {"账号", "角色", "密码"};
	struct out_table t;
	int rc = CS_OK;
	out_init(&t, 3, head_en, head_zh);
	for (size_t k = 0; !rc && k < sizeof accounts / sizeof *accounts; k++) {
		char password[17]; /* 16 characters: 92 bits */
		int role = accounts[k].role;
		auth_password_generate(password, sizeof password);
		rc = auth_user_add(cs, accounts[k].name, role,
				   accounts[k].department, NULL, password);
		out_row(&t);
		out_text(&t, accounts[k].name);
		out_text(&t, cli_zh(o) ? role_name_zh(role) : role_name(role));
		out_text(&t, password);
	}
	if (rc) {
		out_release(&t);
		return cli_fail(rc);
	}
	printf("\n");
	if ((rc = cli_print(o, &t)))
		return cli_fail(rc);
	printf("这些密码只显示这一次，请立即妥善保存 "
	       "(the passwords are shown only this once)\n");
	return 0;
}

/* Nonzero when target holds a database already: a file with contents, or
 * a PostgreSQL database with civstat's tables. */
static int db_exists(const char *target)
{
	struct stat sb;
	struct store *st;
	if (strncmp(target, "postgres://", 11) &&
	    strncmp(target, "postgresql://", 13))
		return !stat(target, &sb) && sb.st_size > 0;
	if (store_open(target, STORE_READONLY, &st))
		return 0;
	store_close(st);
	return 1;
}

/* The demo's key-project pipeline, the CSV files of DIR/projects when
 * there are any, through civstat project import: its reports feed
 * 重点项目完成投资. */
static int demo_projects(struct civstat *cs, const char *dir)
{
	char *sub, **files = NULL;
	struct stat sb;
	struct project_import_report r;
	int n = 0, rc;
	if (asprintf(&sub, "%s/projects", dir) < 0)
		return cli_fail(cs_errorf(CS_ENOMEM, "out of memory"));
	if (stat(sub, &sb) || !S_ISDIR(sb.st_mode)) {
		free(sub);
		return 0;
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	if (!(rc = csv_files(sub, &files, &n)) &&
	    !(rc = project_import(cs, (const char *const *)files, n,
				  PK_DETECT,
				  (tm.tm_year + 1900) * 12 + tm.tm_mon, &r)))
		printf("projects: %ld, plans %ld, milestones %ld, reports %ld, "
		       "programmes %ld, communities %ld\n",
		       r.rows[PK_PROJECTS], r.rows[PK_PLANS],
		       r.rows[PK_MILESTONES], r.rows[PK_REPORTS],
		       r.rows[PK_PROGRAMMES], r.rows[PK_COMMUNITIES]);
	for (int k = 0; k < n; k++)
		free(files[k]);
	free(files);
	free(sub);
	return rc ? cli_fail(rc) : 0;
}

int cmd_init(struct cli_opts *o)
{
	struct civstat *cs;
	int rc;
	if (db_exists(o->db)) {
		return cli_fail(cs_errorf(CS_EEXIST, "%s already exists; "
					  "remove it first or choose another "
					  "--db", o->db));
	}
	if (o->accounts && !o->demo)
		return cli_fail(cs_errorf(CS_EUSAGE, "--accounts needs --demo"));
	if ((rc = cli_open(o, STORE_CREATE, &cs)))
		return rc;
	printf("created %s\n", o->db);
	if (o->demo) {
		char **files = NULL;
		int n = 0;
		struct import_opts io = {0};
		if ((rc = csv_files(o->demo, &files, &n))) {
			civstat_close(cs);
			return cli_fail(rc);
		}
		/* holidays.csv is the calendar's, services.csv the
		 * catalogue's and requests.csv the requests': not for the
		 * figures' importer. */
		for (int k = 0; k < n; k++) {
			const char *base = strrchr(files[k], '/');
			base = base ? base + 1 : files[k];
			if (strcmp(base, DEMO_HOLIDAYS) &&
			    strcmp(base, DEMO_SERVICES) &&
			    strcmp(base, DEMO_REQUESTS))
				continue;
			free(files[k]);
			memmove(files + k, files + k + 1,
				(size_t)(n - k - 1) * sizeof *files);
			n--;
			k--;
		}
		rc = run_import(cs, (const char *const *)files, n, &io);
		for (int k = 0; k < n; k++)
			free(files[k]);
		free(files);
		if (!rc)
			rc = demo_projects(cs, o->demo);
		if (!rc)
			rc = demo_tasks(o->demo, cs);
		if (!rc)
			rc = demo_file(o->demo, cs, DEMO_HOLIDAYS,
				       holiday_csv_import,
				       "working-day calendar", "days");
		if (!rc)
			rc = demo_file(o->demo, cs, DEMO_SERVICES,
				       service_csv_import,
				       "service catalogue", "services");
		if (!rc)
			rc = demo_file(o->demo, cs, DEMO_REQUESTS,
				       request_csv_import,
				       "residents' requests",
				       "(sample data, 样例数据)");
		if (!rc && o->accounts)
			rc = demo_accounts(o, cs);
	}
	civstat_close(cs);
	return rc;
}

static int parse_import_opts(const struct cli_opts *o, struct import_opts *io)
{
	memset(io, 0, sizeof *io);
	io->dry_run = o->dry_run;
	if (o->kind) {
		int k = import_kind_parse(o->kind);
		if (k < 0)
			return cs_errorf(CS_EUSAGE, "--kind: \"%s\" is not areas, "
					 "departments, indicators, values, "
					 "targets, benchmarks or sdmx",
					 o->kind);
		io->kind = (enum import_kind)k;
	}
	if (o->encoding) {
		if (!strcmp(o->encoding, "utf8") || !strcmp(o->encoding, "utf-8"))
			io->encoding = CSV_ENC_UTF8;
		else if (!strcasecmp(o->encoding, "gb18030") ||
			 !strcasecmp(o->encoding, "gbk"))
			io->encoding = CSV_ENC_GB18030;
		else
			return cs_errorf(CS_EUSAGE, "--encoding: \"%s\" is not "
					 "utf8 or gb18030", o->encoding);
	}
	return CS_OK;
}

int cmd_import(struct cli_opts *o)
{
	struct import_opts io;
	struct civstat *cs;
	int rc;
	if (!o->nargs)
		return cli_fail(cs_errorf(CS_EUSAGE, "import: name the files "
					  "to import"));
	if ((rc = parse_import_opts(o, &io)))
		return cli_fail(rc);
	if ((rc = cli_open(o, 0, &cs)))
		return rc;
	rc = run_import(cs, (const char *const *)o->args, o->nargs, &io);
	civstat_close(cs);
	return rc;
}

int cmd_export(struct cli_opts *o)
{
	struct civstat *cs;
	int rc, k = o->kind ? import_kind_parse(o->kind) : IMPORT_VALUES;
	if (k <= 0 || k == IMPORT_SDMX)
		return cli_fail(cs_errorf(CS_EUSAGE, "--kind: \"%s\" is not "
					  "areas, departments, indicators, "
					  "values, targets or benchmarks",
					  o->kind));
	if (o->sdmx && k != IMPORT_VALUES)
		return cli_fail(cs_errorf(CS_EUSAGE, "--sdmx: only values "
					  "export as SDMX-CSV"));
	if ((rc = cli_open(o, STORE_READONLY, &cs)))
		return rc;
	FILE *f = o->out ? fopen(o->out, "w") : stdout;
	if (!f) {
		rc = cs_errorf(CS_EIO, "%s: %s", o->out, strerror(errno));
	} else {
		rc = export_csv(cs, o->sdmx ? IMPORT_SDMX : (enum import_kind)k,
				f, o->excel ? EXPORT_EXCEL
				   : o->xlsx ? EXPORT_XLSX
					     : 0);
		if (f != stdout && fclose(f) && !rc)
			rc = cs_errorf(CS_EIO, "%s: %s", o->out,
				       strerror(errno));
	}
	civstat_close(cs);
	return rc ? cli_fail(rc) : 0;
}

/* The one indicator, area and period a command about one figure needs. */
static int one_figure(const struct cli_opts *o, const struct civstat *cs,
		      int *i, int *a, int *m)
{
	struct period p;
	if (!o->indicator || !o->area || !o->period)
		return cs_errorf(CS_EUSAGE, "give --indicator, --area and "
				 "--period");
	if ((*i = catalog_indicator(&cs->cat, o->indicator,
				    strlen(o->indicator))) < 0)
		return cs_errorf(CS_ENOTFOUND, "unknown indicator \"%s\"",
				 o->indicator);
	if ((*a = catalog_area(&cs->cat, o->area, strlen(o->area))) < 0)
		return cs_errorf(CS_ENOTFOUND, "unknown area \"%s\"", o->area);
	if (period_parse(o->period, strlen(o->period), &p))
		return CS_EUSAGE;
	const struct indicator *ind = &cs->cat.inds[*i];
	if (p.kind != value_period_kind(ind))
		return cs_errorf(CS_EUSAGE, "period \"%s\" does not fit %s, "
				 "which is reported %s", o->period, ind->code,
				 value_frequency_name_zh(ind->frequency));
	*m = period_last_month(&p);
	return CS_OK;
}

int cmd_set(struct cli_opts *o)
{
	struct civstat *cs;
	int i, a, m, rc, state = VALUE_APPROVED;
	double v = NAN;
	if (!o->value)
		return cli_fail(cs_errorf(CS_EUSAGE, "give --value (empty to "
					  "remove the figure)"));
	if (*o->value && num_parse_double(o->value, strlen(o->value), &v))
		return cli_fail(cs_errorf(CS_EUSAGE, "--value: \"%s\" is not a "
					  "number", o->value));
	if (o->state && (state = value_state_parse(o->state)) < 0)
		return cli_fail(cs_errorf(CS_EUSAGE, "--state: \"%s\" is not "
					  "approved, draft, submitted or "
					  "returned", o->state));
	if ((rc = cli_open(o, 0, &cs)))
		return rc;
	if (!(rc = one_figure(o, cs, &i, &a, &m)))
		rc = value_set(cs, i, a, m, v, state, o->comment);
	civstat_close(cs);
	return rc ? cli_fail(rc) : 0;
}

struct history_ctx {
	struct out_table *t;
	const struct cli_opts *o;
	int decimals;
};

static int history_row(void *ctx, const struct value_change *c)
{
	struct history_ctx *h = ctx;
	int zh = cli_zh(h->o);
	out_row(h->t);
	out_text(h->t, c->at);
	out_text(h->t, c->actor);
	out_text(h->t, c->what);
	out_num(h->t, c->before, h->decimals);
	out_num(h->t, c->after, h->decimals);
	out_text(h->t, zh ? value_state_name_zh(c->state_after)
			  : value_state_name(c->state_after));
	out_text(h->t, c->comment ? c->comment : "");
	return CS_OK;
}

int cmd_history(struct cli_opts *o)
{
	static const char *const en[] = {"at", "actor", "what", "before",
					 "after", "state", "comment"};
	static const char *const zh[] = {"时间", "操作人", "操作", "原值",
					 "新值", "状态", "备注"};
	struct civstat *cs;
	struct out_table t;
	int i, a, m, rc;
	if ((rc = cli_open(o, STORE_READONLY, &cs)))
		return rc;
	if (!(rc = one_figure(o, cs, &i, &a, &m))) {
		struct history_ctx h = {&t, o, cs->cat.inds[i].decimals};
		out_init(&t, 7, en, zh);
		rc = store_scan_history(cs->st, cs->cat.inds[i].id,
					       cs->cat.areas[a].id, m,
					       history_row, &h);
		if (!rc)
			rc = cli_print(o, &t);
		else
			out_release(&t);
	}
	civstat_close(cs);
	return rc ? cli_fail(rc) : 0;
}
