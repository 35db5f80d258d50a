/*
 * Task lists as CSV (see task_csv.h): each file's kind is told by its
 * header; each record goes through the same rules as a write by hand
 * (domain/task.c), inside one transaction for all the files, so a bad
 * record leaves nothing of any file behind.
 */
#include "domain/task_csv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/err.h"
#include "core/num.h"
#include "domain/task.h"

static const char *const kind_names[TASK_CSV_NKINDS] = {
    "lists", "tasks", "milestones", "reports", "notes"};

const char *task_csv_kind_name(int kind)
{
	return kind >= 0 && kind < TASK_CSV_NKINDS ? kind_names[kind] : "?";
}

int task_csv_kind_parse(const char *z)
{
	for (int k = 0; k < TASK_CSV_NKINDS; k++)
		if (!strcmp(z, kind_names[k]))
			return k;
	return -1;
}

/* A column: its English and Chinese names, and whether a file of its kind
 * must have it.  The English names are the field names the domain's
 * messages begin with, so that an error can name the column as written. */
struct column {
	const char *en, *zh;
	int required;
};

#define MAX_COLUMNS 12

static const struct column specs[TASK_CSV_NKINDS][MAX_COLUMNS + 1] = {
    [TASK_CSV_LISTS] = {{"code", "清单代码", 1},
			{"year", "年度", 1},
			{"name", "清单名称", 1},
			{"kind", "类别", 0},
			{"source", "来源", 0},
			{"sample", "样例数据", 0},
			{NULL, NULL, 0}},
    [TASK_CSV_TASKS] = {{"list", "清单代码", 1},
			{"code", "任务编号", 1},
			{"title", "任务内容", 1},
			{"department", "责任单位", 0},
			{"leader", "牵头领导", 0},
			{"deadline", "完成时限", 1},
			{"target", "目标值", 0},
			{"unit", "单位", 0},
			{"status", "状态", 0},
			{"done_on", "完成日期", 0},
			{"source", "来源", 0},
			{"sample", "样例数据", 0},
			{NULL, NULL, 0}},
    [TASK_CSV_MILESTONES] = {{"task", "任务编号", 1},
			     {"seq", "序号", 1},
			     {"name", "节点名称", 1},
			     {"due", "计划完成", 1},
			     {"done_on", "完成日期", 0},
			     {NULL, NULL, 0}},
    [TASK_CSV_REPORTS] = {{"task", "任务编号", 1},
			  {"day", "日期", 1},
			  {"text", "进展情况", 1},
			  {"achieved", "完成量", 0},
			  {"actor", "填报人", 0},
			  {"sample", "样例数据", 0},
			  {NULL, NULL, 0}},
    [TASK_CSV_NOTES] = {{"task", "任务编号", 1},
			{"id", "意见编号", 0},
			{"author", "督办人", 1},
			{"day", "督办日期", 1},
			{"due", "答复期限", 1},
			{"text", "督办意见", 1},
			{"answered_by", "答复人", 0},
			{"answered_on", "答复日期", 0},
			{"answer", "答复内容", 0},
			{NULL, NULL, 0}},
};

/* One file being read: where each column of its kind sits. */
struct file {
	const char *name;
	struct csv_reader r;
	int kind;
	int at[MAX_COLUMNS];	     /* field index of each column, -1 */
	char head[MAX_COLUMNS][64];  /* the column's name as written */
	char val[MAX_COLUMNS][4096]; /* the current record's values */
};

/* Which of the kind's columns is the header field h, or -1. */
static int column_of(int kind, const struct csv_field *h)
{
	for (int c = 0; specs[kind][c].en; c++)
		if (csv_field_is(h, specs[kind][c].en) ||
		    csv_field_is(h, specs[kind][c].zh))
			return c;
	return -1;
}

/* Reads the header and finds the file's kind: the first (most specific
 * first) whose required columns are all there. */
static int read_header(struct file *f)
{
	static const int order[] = {TASK_CSV_NOTES, TASK_CSV_REPORTS,
				    TASK_CSV_MILESTONES, TASK_CSV_TASKS,
				    TASK_CSV_LISTS};
	struct csv_field *h;
	int n = csv_next(&f->r, &h);
	if (n < 0)
		return -n;
	if (n == 0)
		return cs_errorf(CS_EINVAL, "%s: the file is empty", f->name);
	for (size_t o = 0; o < sizeof order / sizeof *order; o++) {
		int kind = order[o], ok = 1;
		for (int c = 0; c < MAX_COLUMNS; c++)
			f->at[c] = -1;
		for (int k = 0; k < n; k++) {
			int c = column_of(kind, &h[k]);
			if (c >= 0 && f->at[c] < 0) {
				f->at[c] = k;
				snprintf(f->head[c], sizeof f->head[c], "%.*s",
					 (int)h[k].n, h[k].p);
			}
		}
		for (int c = 0; specs[kind][c].en; c++)
			ok &= !specs[kind][c].required || f->at[c] >= 0;
		if (!ok)
			continue;
		f->kind = kind;
		/* A column of no use is a misspelt one, most likely. */
		for (int k = 0; k < n; k++)
			if (column_of(kind, &h[k]) < 0)
				return cs_errorf(
				    CS_EINVAL,
				    "%s:1:%d: unknown column \"%.*s\" "
				    "in a file of %s",
				    f->name, k + 1, (int)h[k].n, h[k].p,
				    kind_names[kind]);
		return CS_OK;
	}
	return cs_errorf(CS_EINVAL,
			 "%s:1: the header is not that of task lists (code, "
			 "year, name), tasks (list, code, title, deadline), "
			 "milestones (task, seq, name, due), reports (task, "
			 "day, text) or notes (task, author, day, due, text)",
			 f->name);
}

/* The value of column c of the current record ("" when absent). */
static const char *v(const struct file *f, int c)
{
	return f->val[c];
}

/* Names column c of the current record in an error. */
static int bad(const struct file *f, int c, const char *what)
{
	return cs_errorf(
	    CS_EINVAL, "%s:%ld: column \"%s\": \"%s\" %s", f->name, f->r.line,
	    f->at[c] >= 0 ? f->head[c] : specs[f->kind][c].en, v(f, c), what);
}

/* Rewrites the domain's "field: what" as "file:line: column "name":
 * what", naming the column as the file wrote it. */
static int domain_error(const struct file *f, int rc)
{
	char msg[512];
	snprintf(msg, sizeof msg, "%s", cs_errmsg());
	const char *colon = strstr(msg, ": ");
	if (colon) {
		for (int c = 0; specs[f->kind][c].en; c++) {
			const char *en = specs[f->kind][c].en;
			if (strlen(en) == (size_t)(colon - msg) &&
			    !strncmp(msg, en, strlen(en)))
				return cs_errorf(
				    rc, "%s:%ld: column \"%s\": %s", f->name,
				    f->r.line, f->at[c] >= 0 ? f->head[c] : en,
				    colon + 2);
		}
	}
	return cs_errorf(rc, "%s:%ld: %s", f->name, f->r.line, msg);
}

/* Reads the next record's values into f->val; 0 at the end, 1 with a
 * record, or -rc. */
static int next_record(struct file *f)
{
	struct csv_field *x;
	int n = csv_next(&f->r, &x);
	if (n <= 0)
		return n;
	for (int c = 0; specs[f->kind][c].en; c++) {
		int k = f->at[c];
		const struct csv_field *y = k >= 0 && k < n ? &x[k] : NULL;
		size_t len = y ? y->n : 0;
		/* Blanks around a value are Excel's, not the value's. */
		const char *p = y ? y->p : "";
		while (len && (*p == ' ' || *p == '\t'))
			p++, len--;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len >= sizeof f->val[c])
			return -cs_errorf(CS_ETOOBIG,
					  "%s:%ld: column \"%s\": longer than "
					  "%zu bytes",
					  f->name, f->r.line, f->head[c],
					  sizeof f->val[c] - 1);
		memcpy(f->val[c], p, len);
		f->val[c][len] = '\0';
	}
	return 1;
}

/* An optional number: NaN when empty. */
static int number(const struct file *f, int c, double *out)
{
	if (!*v(f, c)) {
		*out = NAN;
		return CS_OK;
	}
	if (num_parse_double(v(f, c), strlen(v(f, c)), out))
		return bad(f, c, "is not a number");
	return CS_OK;
}

/* The sample flag: 0/1, yes/no, 是/否, empty for 0. */
static int flag(const struct file *f, int c, int *out)
{
	static const char *const yes[] = {"1", "yes", "true", "是"};
	static const char *const no[] = {"", "0", "no", "false", "否"};
	for (size_t k = 0; k < sizeof yes / sizeof *yes; k++)
		if (!strcmp(v(f, c), yes[k]))
			return *out = 1, CS_OK;
	for (size_t k = 0; k < sizeof no / sizeof *no; k++)
		if (!strcmp(v(f, c), no[k]))
			return *out = 0, CS_OK;
	return bad(f, c, "is not 1 or 0 (是/否)");
}

/* Who a load acts as: it may set any status, like an administrator. */
static const struct task_who LOADER = {ROLE_ADMIN, 0};

static int import_list(struct civstat *cs, struct file *f)
{
	struct task_list l = {0};
	long year;
	int rc;
	if (num_parse_int(v(f, 1), strlen(v(f, 1)), 1900, 2999, &year))
		return bad(f, 1, "is not a year");
	if ((rc = flag(f, 5, &l.sample)))
		return rc;
	l.code = f->val[0];
	l.year = (int)year;
	l.name = f->val[2];
	l.kind = f->val[3];
	l.source = f->val[4];
	return task_list_put(cs, &l) ? domain_error(f, CS_EINVAL) : CS_OK;
}

static int import_task(struct civstat *cs, struct file *f,
		       const struct task_book *b)
{
	struct task t = {0};
	int rc, k = -1;
	for (int j = 0; j < b->n_lists; j++)
		if (!strcmp(b->lists[j].code, v(f, 0)))
			k = j;
	if (k < 0)
		return bad(f, 0, "is not a task list (import its list first)");
	t.list_id = b->lists[k].id;
	t.code = f->val[1];
	t.title = f->val[2];
	if (*v(f, 3)) {
		int d = catalog_department(&cs->cat, v(f, 3), strlen(v(f, 3)));
		if (d < 0)
			return bad(f, 3, "is not a department's code");
		t.department_id = cs->cat.depts[d].id;
	}
	t.leader = f->val[4];
	t.deadline = f->val[5];
	if ((rc = number(f, 6, &t.target)))
		return rc;
	t.unit = f->val[7];
	if ((t.status =
		 *v(f, 8) ? task_status_parse(v(f, 8)) : TASK_NOT_STARTED) < 0)
		return bad(f, 8,
			   "is not a status (未开始, 推进中, 已完成, "
			   "已销号)");
	t.done_on = f->val[9];
	t.source = f->val[10];
	if ((rc = flag(f, 11, &t.sample)))
		return rc;
	/* An import keeps the figure the reports have given. */
	int old = task_book_task(b, t.code);
	t.achieved = old >= 0 ? b->tasks[old].achieved : NAN;
	if (old >= 0)
		t.id = b->tasks[old].id;
	return task_put(cs, &t) ? domain_error(f, CS_EINVAL) : CS_OK;
}

static int import_milestone(struct civstat *cs, struct file *f)
{
	struct task_milestone m = {0};
	long seq;
	if (num_parse_int(v(f, 1), strlen(v(f, 1)), 1, 1000, &seq))
		return bad(f, 1, "is not a milestone number (1, 2 ...)");
	m.seq = (int)seq;
	m.name = f->val[2];
	m.due = f->val[3];
	m.done_on = f->val[4];
	int rc = task_milestone_put(cs, v(f, 0), &m);
	if (rc == CS_ENOTFOUND)
		return bad(f, 0, "is not a task");
	return rc ? domain_error(f, CS_EINVAL) : CS_OK;
}

static int import_report(struct civstat *cs, struct file *f,
			 const struct task_book *b)
{
	struct task_report r = {0};
	int rc, k = task_book_task(b, v(f, 0));
	if (k < 0)
		return bad(f, 0, "is not a task");
	/* The same report again (a file imported twice) is kept once. */
	for (int j = 0; j < b->n_reports; j++) {
		const struct task_report *x = &b->reports[j];
		if (x->task_id == b->tasks[k].id && !strcmp(x->day, v(f, 1)) &&
		    !strcmp(x->text, v(f, 2)))
			return CS_OK;
	}
	r.text = f->val[2];
	if ((rc = number(f, 3, &r.achieved)) || (rc = flag(f, 5, &r.sample)))
		return rc;
	r.actor = f->val[4];
	rc = task_report_add(cs, v(f, 0), &r, &LOADER, v(f, 1));
	return rc ? domain_error(f, CS_EINVAL) : CS_OK;
}

/* A 督办 note with its answer, if any; by its id when it has one. */
static int import_note(struct civstat *cs, struct file *f)
{
	struct task_note n = {0};
	long id = 0;
	if (*v(f, 1) &&
	    num_parse_int(v(f, 1), strlen(v(f, 1)), 1, 2147483647, &id))
		return bad(f, 1, "is not a note's id (1, 2 ...)");
	n.id = (int)id;
	n.author = f->val[2];
	n.day = f->val[3];
	n.due = f->val[4];
	n.text = f->val[5];
	n.answered_by = f->val[6];
	n.answered_on = f->val[7];
	n.answer = f->val[8];
	int rc = task_note_load(cs, v(f, 0), &n);
	if (rc == CS_ENOTFOUND)
		return bad(f, 0, "is not a task");
	return rc ? domain_error(f, CS_EINVAL) : CS_OK;
}

/* Imports one file's records inside the caller's transaction. */
static int import_file(struct civstat *cs, struct file *f, long *rows)
{
	struct task_book b = {0};
	int rc, got;
	if ((rc = task_book_load(cs->st, &b)))
		goto done;
	while ((got = next_record(f)) > 0) {
		(*rows)++;
		switch (f->kind) {
		case TASK_CSV_LISTS:
			rc = import_list(cs, f);
			break;
		case TASK_CSV_TASKS:
			rc = import_task(cs, f, &b);
			break;
		case TASK_CSV_MILESTONES:
			rc = import_milestone(cs, f);
			break;
		case TASK_CSV_NOTES:
			rc = import_note(cs, f);
			break;
		default:
			/* A report may repeat one of this file: read the
			 * book again after each. */
			if (!(rc = import_report(cs, f, &b))) {
				task_book_release(&b);
				rc = task_book_load(cs->st, &b);
			}
		}
		if (rc)
			goto done;
	}
	rc = got < 0 ? -got : CS_OK;
done:
	task_book_release(&b);
	return rc;
}

int task_csv_import(struct civstat *cs, const char *const *files, int n,
		    int dry_run, long rows[TASK_CSV_NKINDS])
{
	struct store *st = cs->st;
	struct file *f = calloc((size_t)(n ? n : 1), sizeof *f);
	int rc = CS_OK, opened = 0;
	memset(rows, 0, TASK_CSV_NKINDS * sizeof *rows);
	if (!f)
		return cs_errorf(CS_ENOMEM, "out of memory");
	for (; opened < n; opened++) {
		f[opened].name = files[opened];
		if ((rc = csv_open_file(&f[opened].r, files[opened],
					CSV_ENC_AUTO)) ||
		    (rc = read_header(&f[opened]))) {
			opened++;
			goto done;
		}
	}
	if ((rc = st->ops->begin(st)))
		goto done;
	for (int kind = 0; kind < TASK_CSV_NKINDS && !rc; kind++)
		for (int k = 0; k < n && !rc; k++)
			if (f[k].kind == kind)
				rc = import_file(cs, &f[k], &rows[kind]);
	if (rc || dry_run)
		st->ops->rollback(st);
	else
		rc = st->ops->commit(st);
	if (rc)
		st->ops->rollback(st);
done:
	for (int k = 0; k < opened; k++)
		csv_release(&f[k].r);
	free(f);
	return rc;
}

/* ---- export ------------------------------------------------------------ */

static const char *const *heads(int kind, int zh)
{
	static const char *h[TASK_CSV_NKINDS][2][MAX_COLUMNS];
	for (int c = 0; specs[kind][c].en; c++) {
		h[kind][0][c] = specs[kind][c].en;
		h[kind][1][c] = specs[kind][c].zh;
	}
	return h[kind][zh];
}

static int ncolumns(int kind)
{
	int c = 0;
	while (specs[kind][c].en)
		c++;
	return c;
}

int task_csv_export(struct civstat *cs, int kind, struct out_table *t)
{
	struct task_book b;
	int rc;
	if (kind < 0 || kind >= TASK_CSV_NKINDS)
		return cs_errorf(CS_EUSAGE, "kind: %d is not a task file kind",
				 kind);
	out_init(t, ncolumns(kind), heads(kind, 0), heads(kind, 1));
	if ((rc = task_book_load(cs->st, &b))) {
		task_book_release(&b);
		return rc;
	}
	for (int k = 0; kind == TASK_CSV_LISTS && k < b.n_lists; k++) {
		const struct task_list *l = &b.lists[k];
		out_row(t);
		out_text(t, l->code);
		out_textf(t, "%d", l->year);
		out_text(t, l->name);
		out_text(t, l->kind);
		out_text(t, l->source);
		out_textf(t, "%d", l->sample);
	}
	for (int k = 0; kind == TASK_CSV_TASKS && k < b.n_tasks; k++) {
		const struct task *x = &b.tasks[k];
		int l = task_book_list(&b, x->list_id);
		int d = catalog_department_id(&cs->cat, x->department_id);
		out_row(t);
		out_text(t, l >= 0 ? b.lists[l].code : "");
		out_text(t, x->code);
		out_text(t, x->title);
		out_text(t, d >= 0 ? cs->cat.depts[d].code : "");
		out_text(t, x->leader);
		out_text(t, x->deadline);
		out_num(t, x->target, 2);
		out_text(t, x->unit);
		out_text(t, task_status_zh(x->status));
		out_text(t, x->done_on);
		out_text(t, x->source);
		out_textf(t, "%d", x->sample);
	}
	for (int k = 0; kind == TASK_CSV_MILESTONES && k < b.n_milestones;
	     k++) {
		const struct task_milestone *m = &b.milestones[k];
		const char *code = "";
		for (int j = 0; j < b.n_tasks; j++)
			if (b.tasks[j].id == m->task_id)
				code = b.tasks[j].code;
		out_row(t);
		out_text(t, code);
		out_textf(t, "%d", m->seq);
		out_text(t, m->name);
		out_text(t, m->due);
		out_text(t, m->done_on);
	}
	for (int k = 0; kind == TASK_CSV_REPORTS && k < b.n_reports; k++) {
		const struct task_report *r = &b.reports[k];
		const char *code = "";
		for (int j = 0; j < b.n_tasks; j++)
			if (b.tasks[j].id == r->task_id)
				code = b.tasks[j].code;
		out_row(t);
		out_text(t, code);
		out_text(t, r->day);
		out_text(t, r->text);
		out_num(t, r->achieved, 2);
		out_text(t, r->actor);
		out_textf(t, "%d", r->sample);
	}
	for (int k = 0; kind == TASK_CSV_NOTES && k < b.n_notes; k++) {
		const struct task_note *n = &b.notes[k];
		const char *code = "";
		for (int j = 0; j < b.n_tasks; j++)
			if (b.tasks[j].id == n->task_id)
				code = b.tasks[j].code;
		out_row(t);
		out_text(t, code);
		out_textf(t, "%d", n->id);
		out_text(t, n->author);
		out_text(t, n->day);
		out_text(t, n->due);
		out_text(t, n->text);
		out_text(t, n->answered_by);
		out_text(t, n->answered_on);
		out_text(t, n->answer);
	}
	task_book_release(&b);
	return t->failed ? cs_errorf(CS_ENOMEM, "out of memory") : CS_OK;
}
