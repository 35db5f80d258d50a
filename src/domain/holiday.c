/*
 * The holiday table (see holiday.h): one check for an entry, whichever way
 * it comes (a CSV file, an API body), the CSV reader that checks a file
 * whole inside the transaction that stores it, and the reads that make a
 * calendar or a table of it.
 */
#include "domain/holiday.h"
#include "domain/request.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/err.h"
#include "domain/audit.h"

/* Why an entry is refused: the field at fault and what is wrong with it. */
struct refusal {
	const char *field;
	char why[192];
};

static int refuse(struct refusal *r, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int refuse(struct refusal *r, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	r->field = field;
	vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
	return CS_EINVAL;
}

static int check(const struct holiday *h, int *day, int *kind,
		 struct refusal *r)
{
	const char *date = h->date ? h->date : "";
	const char *zkind = h->kind ? h->kind : "";
	if (workday_day_parse(date, strlen(date), day))
		return refuse(r, "date", "%s", cs_errmsg());
	*kind = workday_kind_parse(zkind, strlen(zkind));
	if (!*kind)
		return refuse(r, "kind", "\"%.32s\" is not holiday or workday",
			      zkind);
	if (*kind == WORKDAY_WORKDAY && workday_weekday(*day) <= 5)
		return refuse(r, "kind", "workday on %s, a %s, changes "
			      "nothing: Monday to Friday work anyway", date,
			      workday_weekday_name(workday_weekday(*day), 0));
	if (!h->name || !*h->name)
		return refuse(r, "name", "is empty: say which holiday (春节, "
			      "国庆节 ...)");
	if (strlen(h->name) > HOLIDAY_MAX_TEXT)
		return refuse(r, "name", "longer than %d bytes",
			      HOLIDAY_MAX_TEXT);
	if (h->source && strlen(h->source) > HOLIDAY_MAX_TEXT)
		return refuse(r, "source", "longer than %d bytes",
			      HOLIDAY_MAX_TEXT);
	return CS_OK;
}

int holiday_check(const struct holiday *h, int *day, int *kind)
{
	struct refusal r;
	if (check(h, day, kind, &r))
		return cs_errorf(CS_EINVAL, "%s: %s", r.field, r.why);
	return CS_OK;
}

int holiday_read(const struct holiday *h, int *day, int *kind)
{
	struct refusal r;
	if (check(h, day, kind, &r))
		return cs_errorf(CS_ESTORE, "holiday table: %s: %s: %s",
				 h->date ? h->date : "", r.field, r.why);
	return CS_OK;
}

/* ---- holidays.csv ------------------------------------------------------ */

enum { C_DATE, C_KIND, C_NAME, C_SOURCE, C_N };

static const struct csv_column columns[C_N] = {
	[C_DATE] = {"date", "日期", 1},
	[C_KIND] = {"kind", "类型", 1},
	[C_NAME] = {"name", "名称", 1},
	[C_SOURCE] = {"source", "来源", 0},
};

/* Copies field k of the record (empty when the record is short) into
 * buf; CS_ETOOBIG when it does not fit. */
static int copy_field(struct csv_field *f, int n, int k, char *buf, size_t cap)
{
	size_t len = k >= 0 && k < n ? f[k].n : 0;
	if (len >= cap)
		return CS_ETOOBIG;
	if (len)
		memcpy(buf, f[k].p, len);
	buf[len] = '\0';
	return CS_OK;
}

/* Checks every record of r (and, with st, puts it), counting them in
 * *rows; seen holds the days of the import so far.  The transaction is
 * the caller's. */
static int read_records(struct csv_reader *r, struct store *st,
			struct workday_calendar *seen, long *rows)
{
	static const size_t cap[C_N] = {32, 32, HOLIDAY_MAX_TEXT + 1,
					HOLIDAY_MAX_TEXT + 1};
	char text[C_N][HOLIDAY_MAX_TEXT + 1];
	struct csv_field *f;
	int at[C_N], n, rc;
	if ((rc = csv_header(r, columns, C_N, at)))
		return rc;
	while ((n = csv_next(r, &f)) > 0) {
		struct refusal why;
		int day, kind;
		for (int c = 0; c < C_N; c++)
			if (copy_field(f, n, at[c], text[c], cap[c])) {
				rc = cs_errorf(CS_ETOOBIG, "%s:%ld: column "
					       "\"%s\": longer than %zu "
					       "bytes", r->name, r->line,
					       columns[c].en, cap[c] - 1);
				return rc;
			}
		struct holiday h = {text[C_DATE], text[C_KIND], text[C_NAME],
				    text[C_SOURCE]};
		if (check(&h, &day, &kind, &why)) {
			return cs_errorf(CS_EINVAL, "%s:%ld: column \"%s\": %s",
					 r->name, r->line, why.field, why.why);
		}
		if ((rc = workday_add(seen, day, kind)))
			return rc != CS_EEXIST
				       ? rc
				       : cs_errorf(CS_EINVAL, "%s:%ld: column "
						   "\"date\": %s is given "
						   "twice", r->name, r->line,
						   text[C_DATE]);
		if (st && (rc = st->ops->put_holiday(st, &h)))
			return rc;
		(*rows)++;
	}
	return n < 0 ? -n : CS_OK;
}

int holiday_csv_check(const char *name, const char *data, size_t len,
		      long *rows)
{
	struct workday_calendar seen;
	struct csv_reader r;
	int rc = csv_open_buf(&r, name, data, len, CSV_ENC_AUTO);
	*rows = 0;
	if (rc)
		return rc;
	workday_init(&seen);
	rc = read_records(&r, NULL, &seen, rows);
	workday_release(&seen);
	csv_release(&r);
	return rc;
}

/* The audit entry of a write of n days, inside its transaction. */
static int audit(struct civstat *cs, const char *action, const char *what,
		 long n)
{
	json_t *j = json_pack("{s:s,s:I}", "from", what, "days",
			      (json_int_t)n);
	char *after = j ? json_dumps(j, JSON_COMPACT) : NULL;
	int rc = after ? audit_append(cs, action, "holidays", NULL, after)
		       : cs_errorf(CS_ENOMEM, "out of memory");
	free(after);
	json_decref(j);
	return rc;
}

/* One file of an import, inside its transaction, with its audit entry. */
static int import_file(struct civstat *cs, const char *path,
		       struct workday_calendar *seen, long *rows)
{
	struct csv_reader r;
	long before = *rows;
	int rc = csv_open_file(&r, path, CSV_ENC_AUTO);
	if (rc)
		return rc;
	if (!(rc = read_records(&r, cs->st, seen, rows)))
		rc = audit(cs, "holiday.import", path, *rows - before);
	csv_release(&r);
	return rc;
}

int holiday_csv_import(struct civstat *cs, const char *const *paths, int n,
		       int dry_run, long *rows)
{
	struct store *st = cs->st;
	struct workday_calendar seen;
	int rc;
	*rows = 0;
	if ((rc = st->ops->begin(st)))
		return rc;
	workday_init(&seen);
	for (int k = 0; k < n && !rc; k++)
		rc = import_file(cs, paths[k], &seen, rows);
	workday_release(&seen);
	if (rc || dry_run)
		st->ops->rollback(st);
	else if ((rc = st->ops->commit(st)))
		st->ops->rollback(st);
	return rc;
}

int holiday_put_all(struct civstat *cs, const struct holiday *h, int n,
		    char *field, size_t cap)
{
	struct store *st = cs->st;
	struct workday_calendar seen;
	int rc = CS_OK;
	workday_init(&seen);
	/* Checked whole first, so that a refusal touches no transaction. */
	for (int k = 0; k < n && !rc; k++) {
		struct refusal why;
		int day, kind;
		if (check(&h[k], &day, &kind, &why)) {
			snprintf(field, cap, "[%d].%s", k, why.field);
			rc = cs_errorf(CS_EINVAL, "%s: %s", field, why.why);
		} else if ((rc = workday_add(&seen, day, kind)) == CS_EEXIST) {
			snprintf(field, cap, "[%d].date", k);
			rc = cs_errorf(CS_EINVAL, "%s: %s is given twice",
				       field, h[k].date);
		}
	}
	workday_release(&seen);
	if (rc || (rc = st->ops->begin(st)))
		return rc;
	for (int k = 0; k < n && !rc; k++)
		rc = st->ops->put_holiday(st, &h[k]);
	if (!rc)
		rc = audit(cs, "holiday.put", "api", n);
	if (rc || (rc = st->ops->commit(st)))
		st->ops->rollback(st);
	request_forget(cs); /* the deadlines count on the new days */
	return rc;
}

/* ---- reading it back --------------------------------------------------- */

static int calendar_row(void *x, const struct holiday *h)
{
	int day, kind, rc = holiday_read(h, &day, &kind);
	return rc ? rc : workday_add(x, day, kind);
}

int holiday_calendar(struct store *st, struct workday_calendar *c)
{
	workday_init(c);
	return st->ops->scan_holidays(st, calendar_row, c);
}

struct table_walk {
	struct out_table *t;
	int year, for_import, zh;
};

static int table_row(void *x, const struct holiday *h)
{
	struct table_walk *w = x;
	int day, kind;
	if (w->year && atoi(h->date) != w->year)
		return CS_OK;
	out_row(w->t);
	out_text(w->t, h->date);
	if (w->for_import) {
		out_text(w->t, h->kind);
	} else {
		int rc = holiday_read(h, &day, &kind);
		if (rc)
			return rc;
		int wd = workday_weekday(day);
		out_text(w->t, workday_weekday_name(wd, w->zh));
		out_text(w->t, !w->zh ? h->kind
			       : kind == WORKDAY_HOLIDAY ? "放假"
							 : "调休上班");
	}
	out_text(w->t, h->name);
	out_text(w->t, h->source);
	return CS_OK;
}

int holiday_table(struct store *st, int year, int for_import, int zh,
		  struct out_table *t)
{
	static const char *const csv_en[] = {"date", "kind", "name", "source"};
	static const char *const csv_zh[] = {"日期", "类型", "名称", "来源"};
	static const char *const list_en[] = {"date", "weekday", "kind", "name",
					      "source"};
	static const char *const list_zh[] = {"日期", "星期", "类型", "节日",
					      "来源"};
	struct table_walk w = {t, year, for_import, zh};
	if (for_import)
		out_init(t, 4, csv_en, csv_zh);
	else
		out_init(t, 5, list_en, list_zh);
	int rc = st->ops->scan_holidays(st, table_row, &w);
	if (!rc && t->failed)
		rc = cs_errorf(CS_ENOMEM, "out of memory");
	return rc;
}
