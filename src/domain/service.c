/*
 * The service catalogue (see service.h): the check of one row, the CSV
 * reader that checks a file whole inside the transaction that stores it,
 * and the table of it for list and export.
 */
#include "domain/service.h"
#include "domain/request.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/err.h"
#include "core/num.h"
#include "domain/audit.h"

enum {
	C_CODE, C_NAME, C_NAME_EN, C_GROUP, C_DEPARTMENT, C_DISPATCH,
	C_ANSWER_DAYS, C_ANSWER_HOURS, C_KEYWORDS, C_DESCRIPTION, C_PUBLIC,
	C_SOURCE, C_N
};

static const struct csv_column columns[C_N] = {
	[C_CODE] = {"code", "代码", 1},
	[C_NAME] = {"name", "名称", 1},
	[C_NAME_EN] = {"name_en", "英文名称", 0},
	[C_GROUP] = {"group", "分组", 0},
	[C_DEPARTMENT] = {"department", "责任单位", 1},
	[C_DISPATCH] = {"dispatch_days", "派单时限", 1},
	[C_ANSWER_DAYS] = {"answer_days", "办结时限", 1},
	[C_ANSWER_HOURS] = {"answer_hours", "办结小时", 0},
	[C_KEYWORDS] = {"keywords", "关键词", 0},
	[C_DESCRIPTION] = {"description", "说明", 0},
	[C_PUBLIC] = {"public", "公开", 0},
	[C_SOURCE] = {"source", "来源", 0},
};

/* The bytes kept of each column, the '\0' included. */
static const size_t kept[C_N] = {
	[C_CODE] = 65,
	[C_NAME] = SERVICE_MAX_TEXT + 1,
	[C_NAME_EN] = SERVICE_MAX_TEXT + 1,
	[C_GROUP] = SERVICE_MAX_TEXT + 1,
	[C_DEPARTMENT] = 65,
	[C_DISPATCH] = 16,
	[C_ANSWER_DAYS] = 16,
	[C_ANSWER_HOURS] = 16,
	[C_KEYWORDS] = SERVICE_MAX_TEXT + 1,
	[C_DESCRIPTION] = SERVICE_MAX_DESC + 1,
	[C_PUBLIC] = 16,
	[C_SOURCE] = SERVICE_MAX_TEXT + 1,
};

/* The limits of the whole-number columns: a deadline longer than these
 * is a typing mistake, not a policy. */
static int parse_count(const char *z, long hi, int empty, int *out)
{
	long v = empty;
	if (*z && num_parse_int(z, strlen(z), 0, hi, &v))
		return CS_EINVAL;
	*out = (int)v;
	return CS_OK;
}

/* The departments a service may name, and the codes seen so far. */
struct names {
	char **v;
	int n, cap;
};

static int names_add(struct names *s, const char *z)
{
	if (s->n == s->cap) {
		int cap = s->cap ? 2 * s->cap : 32;
		char **v = realloc(s->v, (size_t)cap * sizeof *v);
		if (!v)
			return cs_errorf(CS_ENOMEM, "out of memory");
		s->v = v;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strdup(z)))
		return cs_errorf(CS_ENOMEM, "out of memory");
	s->n++;
	return CS_OK;
}

static int names_has(const struct names *s, const char *z)
{
	for (int k = 0; k < s->n; k++)
		if (!strcmp(s->v[k], z))
			return 1;
	return 0;
}

static void names_release(struct names *s)
{
	for (int k = 0; k < s->n; k++)
		free(s->v[k]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int department_row(void *x, const struct department *d)
{
	return names_add(x, d->code);
}

static int code_ok(const char *z)
{
	if (!*z)
		return 0;
	for (; *z; z++)
		if (!((*z >= 'a' && *z <= 'z') || (*z >= '0' && *z <= '9') ||
		      *z == '_' || *z == '-'))
			return 0;
	return 1;
}

/* Fills v from the texts of one record and checks it; the field at fault
 * goes to *field.  depts NULL: any department (a check without store). */
static int check(char text[C_N][SERVICE_MAX_DESC + 1], struct service *v,
		 const struct names *depts, const char **field, char *why,
		 size_t cap)
{
	*v = (struct service){
		.code = text[C_CODE],
		.name = text[C_NAME],
		.name_en = text[C_NAME_EN],
		.group = text[C_GROUP],
		.department = text[C_DEPARTMENT],
		.keywords = text[C_KEYWORDS],
		.description = text[C_DESCRIPTION],
		.source = text[C_SOURCE],
	};
	*field = NULL;
	if (!code_ok(v->code)) {
		*field = "code";
		snprintf(why, cap, "\"%.64s\" is not a code (a-z, 0-9, _ -)",
			 v->code);
	} else if (!*v->name) {
		*field = "name";
		snprintf(why, cap, "is empty: what do residents call it "
			 "(供暖)");
	} else if (!*v->department) {
		*field = "department";
		snprintf(why, cap, "is empty: which department answers");
	} else if (depts && !names_has(depts, v->department)) {
		*field = "department";
		snprintf(why, cap, "\"%.64s\" is not a department "
			 "(civstat import departments.csv)", v->department);
	} else if (parse_count(text[C_DISPATCH], 30, 0, &v->dispatch_days)) {
		*field = "dispatch_days";
		snprintf(why, cap, "\"%.16s\" is not 0 to 30 working days",
			 text[C_DISPATCH]);
	} else if (parse_count(text[C_ANSWER_DAYS], 365, 0,
			       &v->answer_days)) {
		*field = "answer_days";
		snprintf(why, cap, "\"%.16s\" is not 0 to 365 working days",
			 text[C_ANSWER_DAYS]);
	} else if (parse_count(text[C_ANSWER_HOURS], 720, 0,
			       &v->answer_hours)) {
		*field = "answer_hours";
		snprintf(why, cap, "\"%.16s\" is not 0 to 720 hours",
			 text[C_ANSWER_HOURS]);
	} else if (!v->answer_days && !v->answer_hours) {
		*field = "answer_days";
		snprintf(why, cap, "no deadline to answer: give answer_days "
			 "or answer_hours");
	} else if (parse_count(text[C_PUBLIC], 1, 1, &v->public)) {
		*field = "public";
		snprintf(why, cap, "\"%.16s\" is not 0 or 1", text[C_PUBLIC]);
	}
	return *field ? CS_EINVAL : CS_OK;
}

/* Checks every record of r (and, with st, puts it), counting them in
 * *rows; seen holds the codes of the import so far.  The transaction is
 * the caller's. */
static int read_records(struct csv_reader *r, struct store *st,
			const struct names *depts, struct names *seen,
			long *rows)
{
	static char text[C_N][SERVICE_MAX_DESC + 1];
	struct csv_field *f;
	int at[C_N], n, rc;
	if ((rc = csv_header(r, columns, C_N, at)))
		return rc;
	while ((n = csv_next(r, &f)) > 0) {
		struct service v;
		const char *field;
		char why[192];
		for (int c = 0; c < C_N; c++) {
			int k = at[c];
			size_t len = k >= 0 && k < n ? f[k].n : 0;
			if (len >= kept[c])
				return cs_errorf(CS_ETOOBIG, "%s:%ld: column "
						 "\"%s\": longer than %zu "
						 "bytes", r->name, r->line,
						 columns[c].en,
						 kept[c] - 1);
			if (len)
				memcpy(text[c], f[k].p, len);
			text[c][len] = '\0';
		}
		if (check(text, &v, depts, &field, why, sizeof why))
			return cs_errorf(CS_EINVAL, "%s:%ld: column \"%s\": %s",
					 r->name, r->line, field, why);
		if (names_has(seen, v.code))
			return cs_errorf(CS_EINVAL, "%s:%ld: column \"code\": "
					 "%s is given twice", r->name, r->line,
					 v.code);
		if ((rc = names_add(seen, v.code)))
			return rc;
		if (st && (rc = st->ops->put_service(st, &v)))
			return rc;
		(*rows)++;
	}
	return n < 0 ? -n : CS_OK;
}

int service_csv_check(const char *name, const char *data, size_t len,
		      long *rows)
{
	struct names seen = {0};
	struct csv_reader r;
	int rc = csv_open_buf(&r, name, data, len, CSV_ENC_AUTO);
	*rows = 0;
	if (rc)
		return rc;
	rc = read_records(&r, NULL, NULL, &seen, rows);
	names_release(&seen);
	csv_release(&r);
	return rc;
}

/* The audit entry of an import of n services, inside its transaction. */
static int audit(struct civstat *cs, const char *path, long n)
{
	json_t *j = json_pack("{s:s,s:I}", "from", path, "services",
			      (json_int_t)n);
	char *after = j ? json_dumps(j, JSON_COMPACT) : NULL;
	int rc = after ? audit_append(cs, "service.import", "services", NULL,
				      after)
		       : cs_errorf(CS_ENOMEM, "out of memory");
	free(after);
	json_decref(j);
	return rc;
}

int service_csv_import(struct civstat *cs, const char *const *paths, int n,
		       int dry_run, long *rows)
{
	struct store *st = cs->st;
	struct names depts = {0}, seen = {0};
	int rc;
	*rows = 0;
	if ((rc = st->ops->begin(st)))
		return rc;
	rc = st->ops->scan_departments(st, department_row, &depts);
	for (int k = 0; k < n && !rc; k++) {
		struct csv_reader r;
		long before = *rows;
		if ((rc = csv_open_file(&r, paths[k], CSV_ENC_AUTO)))
			break;
		rc = read_records(&r, st, &depts, &seen, rows);
		if (!rc)
			rc = audit(cs, paths[k], *rows - before);
		csv_release(&r);
	}
	names_release(&depts);
	names_release(&seen);
	if (rc || dry_run)
		st->ops->rollback(st);
	else if ((rc = st->ops->commit(st)))
		st->ops->rollback(st);
	request_forget(cs); /* the deadlines count on the new catalogue */
	return rc;
}

/* The texts of service v as a row of services.csv, for check(); nonzero
 * when one is longer than its column keeps. */
static int row_of(const struct service *v, char text[C_N][SERVICE_MAX_DESC + 1])
{
	const char *z[C_N] = {
		[C_CODE] = v->code, [C_NAME] = v->name,
		[C_NAME_EN] = v->name_en, [C_GROUP] = v->group,
		[C_DEPARTMENT] = v->department, [C_KEYWORDS] = v->keywords,
		[C_DESCRIPTION] = v->description, [C_SOURCE] = v->source,
	};
	snprintf(text[C_DISPATCH], kept[C_DISPATCH], "%d", v->dispatch_days);
	snprintf(text[C_ANSWER_DAYS], kept[C_ANSWER_DAYS], "%d",
		 v->answer_days);
	snprintf(text[C_ANSWER_HOURS], kept[C_ANSWER_HOURS], "%d",
		 v->answer_hours);
	snprintf(text[C_PUBLIC], kept[C_PUBLIC], "%d", v->public);
	for (int c = 0; c < C_N; c++) {
		if (!z[c] && (c == C_DISPATCH || c == C_ANSWER_DAYS ||
			      c == C_ANSWER_HOURS || c == C_PUBLIC))
			continue;
		if (strlen(z[c] ? z[c] : "") >= kept[c])
			return c;
		snprintf(text[c], kept[c], "%s", z[c] ? z[c] : "");
	}
	return -1;
}

int service_put_all(struct civstat *cs, const struct service *v, int n,
		    char *field, size_t cap)
{
	static char text[C_N][SERVICE_MAX_DESC + 1];
	struct store *st = cs->st;
	struct names depts = {0}, seen = {0};
	int rc = st->ops->scan_departments(st, department_row, &depts);
	/* Checked whole first, so that a refusal touches no transaction. */
	for (int k = 0; k < n && !rc; k++) {
		struct service s;
		const char *bad;
		char why[192];
		int c = row_of(&v[k], text);
		if (c >= 0) {
			snprintf(field, cap, "[%d].%s", k, columns[c].en);
			rc = cs_errorf(CS_ETOOBIG, "services%s: longer than "
				       "%zu bytes", field, kept[c] - 1);
		} else if (check(text, &s, &depts, &bad, why, sizeof why)) {
			snprintf(field, cap, "[%d].%s", k, bad);
			rc = cs_errorf(CS_EINVAL, "services%s: %s", field, why);
		} else if (names_has(&seen, v[k].code)) {
			snprintf(field, cap, "[%d].code", k);
			rc = cs_errorf(CS_EINVAL, "services%s: %s is given "
				       "twice", field, v[k].code);
		} else {
			rc = names_add(&seen, v[k].code);
		}
	}
	names_release(&depts);
	names_release(&seen);
	if (rc || (rc = st->ops->begin(st)))
		return rc;
	for (int k = 0; k < n && !rc; k++)
		rc = st->ops->put_service(st, &v[k]);
	if (!rc)
		rc = audit(cs, "api", n);
	if (rc || (rc = st->ops->commit(st)))
		st->ops->rollback(st);
	request_forget(cs); /* the deadlines count on the new catalogue */
	return rc;
}

struct table_walk {
	struct out_table *t;
	int for_import, zh;
};

static int table_row(void *x, const struct service *v)
{
	struct table_walk *w = x;
	out_row(w->t);
	out_text(w->t, v->code);
	out_text(w->t, v->name);
	out_text(w->t, v->name_en);
	out_text(w->t, v->group);
	out_text(w->t, v->department);
	out_textf(w->t, "%d", v->dispatch_days);
	out_textf(w->t, "%d", v->answer_days);
	out_textf(w->t, "%d", v->answer_hours);
	if (w->for_import) {
		out_text(w->t, v->keywords);
		out_text(w->t, v->description);
		out_textf(w->t, "%d", v->public);
	} else {
		out_text(w->t, v->public ? (w->zh ? "公开" : "public")
					 : (w->zh ? "内部" : "internal"));
	}
	out_text(w->t, v->source);
	return CS_OK;
}

int service_table(struct store *st, int for_import, int zh,
		  struct out_table *t)
{
	static const char *const csv_en[] = {
		"code", "name", "name_en", "group", "department",
		"dispatch_days", "answer_days", "answer_hours", "keywords",
		"description", "public", "source"};
	static const char *const list_en[] = {
		"code", "name", "name_en", "group", "department",
		"dispatch (working days)", "answer (working days)",
		"answer (hours)", "public", "source"};
	static const char *const list_zh[] = {
		"代码", "名称", "英文名称", "分组", "责任单位",
		"派单时限（工作日）", "办结时限（工作日）", "办结时限（小时）",
		"公开", "来源"};
	struct table_walk w = {t, for_import, zh};
	if (for_import)
		out_init(t, C_N, csv_en, csv_en);
	else
		out_init(t, 10, list_en, list_zh);
	int rc = st->ops->scan_services(st, table_row, &w);
	if (!rc && t->failed)
		rc = cs_errorf(CS_ENOMEM, "out of memory");
	return rc;
}

/* ---- the catalogue in memory ------------------------------------------ */

static int service_add(void *x, const struct service *s)
{
	struct service_list *l = x;
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 32;
		struct service_entry *v = realloc(l->v, (size_t)cap * sizeof *v);
		if (!v)
			return cs_errorf(CS_ENOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	struct service_entry *a = &l->v[l->n];
	*a = (struct service_entry){
		.code = strdup(s->code),
		.name = strdup(s->name),
		.name_en = strdup(s->name_en ? s->name_en : ""),
		.group = strdup(s->group ? s->group : ""),
		.department = strdup(s->department ? s->department : ""),
		.description = strdup(s->description ? s->description : ""),
		.public = s->public,
	};
	l->n++;
	if (!a->code || !a->name || !a->name_en || !a->group ||
	    !a->department || !a->description)
		return cs_errorf(CS_ENOMEM, "out of memory");
	return CS_OK;
}

int service_list_load(struct store *st, struct service_list *l)
{
	memset(l, 0, sizeof *l);
	return st->ops->scan_services(st, service_add, l);
}

void service_list_release(struct service_list *l)
{
	for (int k = 0; k < l->n; k++) {
		free(l->v[k].code);
		free(l->v[k].name);
		free(l->v[k].name_en);
		free(l->v[k].group);
		free(l->v[k].department);
		free(l->v[k].description);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

const struct service_entry *service_list_find(const struct service_list *l,
					    const char *code)
{
	for (int k = 0; code && k < l->n; k++)
		if (!strcmp(l->v[k].code, code))
			return &l->v[k];
	return NULL;
}
