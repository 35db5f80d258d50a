/*
 * Task lists and their supervision (see task.h): the status rules, the
 * overdue rules and the on-time rate, and the writes that keep them, each
 * one audited transaction.
 */
#include "domain/task.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "domain/audit.h"

static const char *const status_en[TASK_NSTATUS] = {
    "not_started", "in_progress", "done", "late", "closed"};
static const char *const status_zh[TASK_NSTATUS] = {"未开始", "推进中",
						    "已完成", "滞后", "已销号"};

const char *task_status_name(int status)
{
	return status >= 0 && status < TASK_NSTATUS ? status_en[status] : "?";
}

const char *task_status_zh(int status)
{
	return status >= 0 && status < TASK_NSTATUS ? status_zh[status] : "?";
}

int task_status_parse(const char *z)
{
	for (int k = 0; k < TASK_NSTATUS; k++)
		if (!strcmp(z, status_en[k]) || !strcmp(z, status_zh[k]))
			return k;
	return -1;
}

int task_day_valid(const char *z)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	if (!z || strlen(z) != 10 || z[4] != '-' || z[7] != '-')
		return 0;
	for (int k = 0; k < 10; k++)
		if (k != 4 && k != 7 && (z[k] < '0' || z[k] > '9'))
			return 0;
	int y = atoi(z), m = atoi(z + 5), d = atoi(z + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 || y % 400 == 0));
}

/* ---- the book ------------------------------------------------------- */

/* Appends one element of size sz to *arr (count *n), growing it; returns
 * the new element, zeroed, or NULL when out of memory. */
static void *grow(void *arr, int *n, size_t sz)
{
	void **pa = arr;
	/* Capacity is the power of two above the count: grow at each. */
	if ((*n & (*n - 1)) == 0) {
		size_t cap = *n ? 2 * (size_t)*n : 1;
		void *p = realloc(*pa, cap * sz);
		if (!p)
			return NULL;
		*pa = p;
	}
	char *e = (char *)*pa + (size_t)(*n)++ * sz;
	memset(e, 0, sz);
	return e;
}

/* strdup into *dst; nonzero when out of memory. */
static int dup(char **dst, const char *z)
{
	return !(*dst = strdup(z ? z : ""));
}

static int load_list(void *ctx, const struct task_list *l)
{
	struct task_book *b = ctx;
	struct task_list *c = grow(&b->lists, &b->n_lists, sizeof *c);
	if (!c)
		return cs_errorf(CS_ENOMEM, "out of memory");
	*c = *l;
	c->code = c->name = c->kind = c->source = NULL;
	if (dup(&c->code, l->code) || dup(&c->name, l->name) ||
	    dup(&c->kind, l->kind) || dup(&c->source, l->source))
		return cs_errorf(CS_ENOMEM, "out of memory");
	return CS_OK;
}

static int load_task(void *ctx, const struct task *t)
{
	struct task_book *b = ctx;
	struct task *c = grow(&b->tasks, &b->n_tasks, sizeof *c);
	if (!c)
		return cs_errorf(CS_ENOMEM, "out of memory");
	*c = *t;
	c->code = c->title = c->leader = c->deadline = c->unit = NULL;
	c->done_on = c->source = NULL;
	if (dup(&c->code, t->code) || dup(&c->title, t->title) ||
	    dup(&c->leader, t->leader) || dup(&c->deadline, t->deadline) ||
	    dup(&c->unit, t->unit) || dup(&c->done_on, t->done_on) ||
	    dup(&c->source, t->source))
		return cs_errorf(CS_ENOMEM, "out of memory");
	return CS_OK;
}

static int load_milestone(void *ctx, const struct task_milestone *m)
{
	struct task_book *b = ctx;
	struct task_milestone *c =
	    grow(&b->milestones, &b->n_milestones, sizeof *c);
	if (!c)
		return cs_errorf(CS_ENOMEM, "out of memory");
	*c = *m;
	c->name = c->due = c->done_on = NULL;
	if (dup(&c->name, m->name) || dup(&c->due, m->due) ||
	    dup(&c->done_on, m->done_on))
		return cs_errorf(CS_ENOMEM, "out of memory");
	return CS_OK;
}

static int load_report(void *ctx, const struct task_report *r)
{
	struct task_book *b = ctx;
	struct task_report *c = grow(&b->reports, &b->n_reports, sizeof *c);
	if (!c)
		return cs_errorf(CS_ENOMEM, "out of memory");
	*c = *r;
	c->day = c->text = c->actor = NULL;
	if (dup(&c->day, r->day) || dup(&c->text, r->text) ||
	    dup(&c->actor, r->actor))
		return cs_errorf(CS_ENOMEM, "out of memory");
	return CS_OK;
}

static int load_note(void *ctx, const struct task_note *n)
{
	struct task_book *b = ctx;
	struct task_note *c = grow(&b->notes, &b->n_notes, sizeof *c);
	if (!c)
		return cs_errorf(CS_ENOMEM, "out of memory");
	*c = *n;
	c->author = c->day = c->text = c->due = NULL;
	c->answer = c->answered_by = c->answered_on = NULL;
	if (dup(&c->author, n->author) || dup(&c->day, n->day) ||
	    dup(&c->text, n->text) || dup(&c->due, n->due) ||
	    dup(&c->answer, n->answer) ||
	    dup(&c->answered_by, n->answered_by) ||
	    dup(&c->answered_on, n->answered_on))
		return cs_errorf(CS_ENOMEM, "out of memory");
	return CS_OK;
}

int task_book_load(struct store *st, struct task_book *b)
{
	const struct store_ops *o = st->ops;
	int rc;
	memset(b, 0, sizeof *b);
	if ((rc = o->scan_task_lists(st, load_list, b)) ||
	    (rc = o->scan_tasks(st, 0, load_task, b)) ||
	    (rc = o->scan_task_milestones(st, 0, load_milestone, b)) ||
	    (rc = o->scan_task_reports(st, 0, load_report, b)))
		return rc;
	return o->scan_task_notes(st, 0, load_note, b);
}

void task_book_release(struct task_book *b)
{
	for (int k = 0; k < b->n_lists; k++) {
		struct task_list *l = &b->lists[k];
		free(l->code), free(l->name), free(l->kind), free(l->source);
	}
	for (int k = 0; k < b->n_tasks; k++) {
		struct task *t = &b->tasks[k];
		free(t->code), free(t->title), free(t->leader);
		free(t->deadline), free(t->unit), free(t->done_on);
		free(t->source);
	}
	for (int k = 0; k < b->n_milestones; k++) {
		struct task_milestone *m = &b->milestones[k];
		free(m->name), free(m->due), free(m->done_on);
	}
	for (int k = 0; k < b->n_reports; k++) {
		struct task_report *r = &b->reports[k];
		free(r->day), free(r->text), free(r->actor);
	}
	for (int k = 0; k < b->n_notes; k++) {
		struct task_note *n = &b->notes[k];
		free(n->author), free(n->day), free(n->text), free(n->due);
		free(n->answer), free(n->answered_by), free(n->answered_on);
	}
	free(b->lists), free(b->tasks), free(b->milestones);
	free(b->reports), free(b->notes);
	memset(b, 0, sizeof *b);
}

int task_book_list(const struct task_book *b, int list_id)
{
	for (int k = 0; k < b->n_lists; k++)
		if (b->lists[k].id == list_id)
			return k;
	return -1;
}

int task_book_task(const struct task_book *b, const char *code)
{
	for (int k = 0; k < b->n_tasks; k++)
		if (!strcmp(b->tasks[k].code, code))
			return k;
	return -1;
}

/* ---- the overdue rules ---------------------------------------------- */

static int finished(int status)
{
	return status == TASK_DONE || status == TASK_CLOSED;
}

/* Days compare as text: YYYY-MM-DD sorts as the calendar does. */
int task_overdue(const struct task_book *b, const struct task *t,
		 const char *today)
{
	int why = 0;
	if (finished(t->status))
		return 0;
	if (strcmp(t->deadline, today) < 0)
		why |= TASK_LATE_DEADLINE;
	for (int k = 0; k < b->n_milestones; k++) {
		const struct task_milestone *m = &b->milestones[k];
		if (m->task_id == t->id && !*m->done_on &&
		    strcmp(m->due, today) < 0)
			why |= TASK_LATE_MILESTONE;
	}
	return why;
}

int task_status_on(const struct task_book *b, const struct task *t,
		   const char *today)
{
	return task_overdue(b, t, today) ? TASK_LATE : t->status;
}

int task_note_late(const char *due, const char *answered_on,
		   const char *today)
{
	return !*answered_on && strcmp(due, today) < 0;
}

int task_note_overdue(const struct task_note *n, const char *today)
{
	return task_note_late(n->due, n->answered_on, today);
}

int task_note_check(const char *text, const char *due, const char *today)
{
	if (!task_day_valid(today))
		return cs_errorf(CS_EINVAL, "day: \"%s\" is not a day", today);
	if (!text || !*text)
		return cs_errorf(CS_EINVAL, "text: a 督办 note needs text");
	if (!task_day_valid(due))
		return cs_errorf(CS_EINVAL, "due: \"%s\" is not a day",
				 due ? due : "");
	if (strcmp(due, today) < 0)
		return cs_errorf(CS_EINVAL, "due: %s is before today (%s)", due,
				 today);
	return CS_OK;
}

/* A task finished early counts as due at once, or finishing ahead of the
 * deadline would not raise the rate until the deadline came. */
int task_is_due(const struct task *t, const char *today)
{
	return strcmp(t->deadline, today) <= 0 ||
	       (finished(t->status) && *t->done_on);
}

int task_on_time(const struct task *t)
{
	return finished(t->status) && *t->done_on &&
	       strcmp(t->done_on, t->deadline) <= 0;
}

/* ---- summaries -------------------------------------------------------- */

static int cmp_tally_key(const void *x, const void *y)
{
	const struct task_tally *a = x, *b = y;
	/* None (0) last. */
	if (!a->key || !b->key)
		return !a->key - !b->key;
	return (a->key > b->key) - (a->key < b->key);
}

static struct task_tally *tally_of(struct task_tally *rows, int n, int key)
{
	for (int k = 0; k < n; k++)
		if (rows[k].key == key)
			return &rows[k];
	return NULL;
}

int task_summary(const struct task_book *b, enum task_by by, const char *today,
		 struct task_tally **out, int *n)
{
	struct task_tally *rows = NULL, *r;
	int nrows = 0;
	if (by == TASK_BY_LIST) {
		for (int k = 0; k < b->n_lists; k++) {
			if (!(r = grow(&rows, &nrows, sizeof *r)))
				goto nomem;
			r->key = b->lists[k].id;
		}
	}
	for (int k = 0; k < b->n_tasks; k++) {
		const struct task *t = &b->tasks[k];
		int key = by == TASK_BY_LIST ? t->list_id : t->department_id;
		if (!(r = tally_of(rows, nrows, key))) {
			if (!(r = grow(&rows, &nrows, sizeof *r)))
				goto nomem;
			r->key = key;
		}
		r->tasks++;
		r->status[task_status_on(b, t, today)]++;
		r->due += task_is_due(t, today);
		r->on_time += task_on_time(t);
		for (int j = 0; j < b->n_notes; j++) {
			const struct task_note *x = &b->notes[j];
			if (x->task_id != t->id)
				continue;
			r->notes++;
			r->notes_open += !*x->answered_on;
			r->notes_overdue += task_note_overdue(x, today);
		}
	}
	if (by == TASK_BY_DEPARTMENT && nrows)
		qsort(rows, (size_t)nrows, sizeof *rows, cmp_tally_key);
	*out = rows;
	*n = nrows;
	return CS_OK;
nomem:
	free(rows);
	return cs_errorf(CS_ENOMEM, "out of memory");
}

/* ---- writes --------------------------------------------------------- */

/* Ends the write's transaction: commits when rc is CS_OK, else (or when
 * the commit fails) rolls back.  Returns the first error. */
static int finish(struct store *st, int rc)
{
	if (!rc && !(rc = st->ops->commit(st)))
		return CS_OK;
	st->ops->rollback(st);
	return rc;
}

/* Appends the audit entry for action on object with before and after as
 * JSON (json_t the function takes; before may be NULL). */
static int audit2(struct civstat *cs, const char *action, const char *object,
		  json_t *before, json_t *after)
{
	char *zb = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS)
			  : NULL;
	char *za = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS)
			 : NULL;
	int rc = !za || (before && !zb)
			 ? cs_errorf(CS_ENOMEM, "out of memory")
			 : audit_append(cs, action, object, zb, za);
	json_decref(before);
	json_decref(after);
	free(zb);
	free(za);
	return rc;
}

/* An entry with nothing before: a new record. */
static int audit(struct civstat *cs, const char *action, const char *object,
		 json_t *after)
{
	return audit2(cs, action, object, NULL, after);
}

/* A number for JSON: null when NaN. */
static json_t *jnum(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *task_json(const struct task *t)
{
	return json_pack("{s:s, s:i, s:s, s:i, s:s, s:s, s:o, s:s, s:o, s:s,"
			 " s:s, s:s, s:i}",
			 "code", t->code, "list", t->list_id, "title", t->title,
			 "department", t->department_id, "leader", t->leader,
			 "deadline", t->deadline, "target", jnum(t->target),
			 "unit", t->unit, "achieved", jnum(t->achieved),
			 "status", task_status_name(t->status), "done_on",
			 t->done_on, "source", t->source, "sample", t->sample);
}

/* One task with its milestones and reports, read inside a write: the
 * caller releases b whatever load_one returned. */
struct one_task {
	struct task_book b;
};

static int load_one(struct store *st, const char *code, struct one_task *o)
{
	memset(o, 0, sizeof *o);
	int rc = st->ops->get_task(st, code, load_task, &o->b);
	if (rc == CS_ENOTFOUND)
		return cs_errorf(rc, "task: \"%s\" is not a task", code);
	if (!rc)
		rc = st->ops->scan_task_milestones(st, o->b.tasks[0].id,
						   load_milestone, &o->b);
	if (!rc)
		rc = st->ops->scan_task_reports(st, o->b.tasks[0].id,
						load_report, &o->b);
	return rc;
}

int task_list_put(struct civstat *cs, struct task_list *l)
{
	struct store *st = cs->st;
	char object[160];
	int rc;
	if (!l->code || !*l->code)
		return cs_errorf(CS_EINVAL, "code: a task list needs a code");
	if (!l->name || !*l->name)
		return cs_errorf(CS_EINVAL,
				 "name: task list \"%s\" needs a "
				 "name",
				 l->code);
	if (l->year < 1900 || l->year > 2999)
		return cs_errorf(CS_EINVAL, "year: %d is not a year", l->year);
	if ((rc = st->ops->begin(st)))
		return rc;
	if (!(rc = st->ops->put_task_list(st, l))) {
		snprintf(object, sizeof object, "task_list/%s", l->code);
		rc = audit(cs, "task.list", object,
			   json_pack("{s:s, s:i, s:s, s:s, s:s, s:i}", "code",
				     l->code, "year", l->year, "name", l->name,
				     "kind", l->kind ? l->kind : "", "source",
				     l->source ? l->source : "", "sample",
				     l->sample));
	}
	return finish(st, rc);
}

/* The checks every task must pass, whoever writes it. */
static int check_task(const struct task *t)
{
	if (!t->code || !*t->code)
		return cs_errorf(CS_EINVAL, "code: a task needs a code");
	if (!t->title || !*t->title)
		return cs_errorf(CS_EINVAL, "title: task \"%s\" needs a title",
				 t->code);
	if (!task_day_valid(t->deadline))
		return cs_errorf(CS_EINVAL,
				 "deadline: \"%s\" is not a day (YYYY-MM-DD)",
				 t->deadline ? t->deadline : "");
	if (t->target < 0)
		return cs_errorf(CS_EINVAL, "target: %g is negative",
				 t->target);
	if (t->achieved < 0)
		return cs_errorf(CS_EINVAL, "achieved: %g is negative",
				 t->achieved);
	if (t->status == TASK_LATE)
		return cs_errorf(CS_EINVAL, "status: 滞后 (late) is found from "
					    "the deadline and milestones, "
					    "never set");
	if (t->status < 0 || t->status >= TASK_NSTATUS)
		return cs_errorf(CS_EINVAL, "status: %d is not a status",
				 t->status);
	int has_done = t->done_on && *t->done_on;
	if (finished(t->status) && !task_day_valid(t->done_on))
		return cs_errorf(CS_EINVAL,
				 "done_on: task \"%s\" is %s and needs the day "
				 "it was finished, not \"%s\"",
				 t->code, task_status_zh(t->status),
				 has_done ? t->done_on : "");
	if (!finished(t->status) && has_done)
		return cs_errorf(CS_EINVAL,
				 "done_on: task \"%s\" is %s: it has no day "
				 "finished",
				 t->code, task_status_zh(t->status));
	return CS_OK;
}

/* Finds list_id among the lists: CS_EINVAL when there is none. */
static int find_list(void *ctx, const struct task_list *l)
{
	int *want = ctx;
	if (l->id == *want)
		*want = -1; /* found */
	return CS_OK;
}

/* Stores t and audits it with before, the task as it was (NULL for a
 * new one). */
static int put_task(struct civstat *cs, struct task *t, const char *action,
		    const struct task *before)
{
	struct store *st = cs->st;
	char object[160];
	int rc;
	if ((rc = st->ops->put_task(st, t)))
		return rc;
	snprintf(object, sizeof object, "task/%s", t->code);
	return audit2(cs, action, object, before ? task_json(before) : NULL,
		      task_json(t));
}

int task_put(struct civstat *cs, struct task *t)
{
	struct store *st = cs->st;
	int rc, want = t->list_id;
	if ((rc = check_task(t)))
		return rc;
	if (t->department_id &&
	    catalog_department_id(&cs->cat, t->department_id) < 0)
		return cs_errorf(CS_EINVAL,
				 "department: %d is not a department",
				 t->department_id);
	if ((rc = st->ops->begin(st)))
		return rc;
	if (!(rc = st->ops->scan_task_lists(st, find_list, &want)) &&
	    want != -1)
		rc = cs_errorf(CS_EINVAL, "list: %d is not a task list",
			       t->list_id);
	struct task_book old = {0};
	if (!rc) {
		rc = st->ops->get_task(st, t->code, load_task, &old);
		if (rc == CS_ENOTFOUND)
			rc = CS_OK;
	}
	if (!rc)
		rc = put_task(cs, t, "task.put", old.n_tasks ? old.tasks : NULL);
	task_book_release(&old);
	return finish(st, rc);
}

/* Nonzero when who may act for the task's owner. */
static int owns(const struct task_who *who, const struct task *t)
{
	return !who->department_id || who->department_id == t->department_id;
}

static int is_leader(const struct task_who *who)
{
	return who->role >= ROLE_LEADER;
}

/* Whether a move from -> to is one of the rules', and who may make it. */
enum { MOVE_NO = 0, MOVE_OWNER = 1, MOVE_LEADER = 2 };
static const int moves[TASK_NSTATUS][TASK_NSTATUS] = {
    [TASK_NOT_STARTED] =
	{[TASK_IN_PROGRESS] = MOVE_OWNER, [TASK_DONE] = MOVE_OWNER},
    [TASK_IN_PROGRESS] = {[TASK_DONE] = MOVE_OWNER},
    [TASK_DONE] =
	{[TASK_IN_PROGRESS] = MOVE_LEADER, [TASK_CLOSED] = MOVE_LEADER},
};

int task_set_status(struct civstat *cs, const char *code, int status,
		    const struct task_who *who, const char *today)
{
	struct store *st = cs->st;
	struct one_task o;
	int rc;
	if (!task_day_valid(today))
		return cs_errorf(CS_EINVAL, "today: \"%s\" is not a day",
				 today);
	if (status == TASK_LATE)
		return cs_errorf(CS_EINVAL, "status: 滞后 (late) is found from "
					    "the deadline and milestones, "
					    "never set");
	if (status < 0 || status >= TASK_NSTATUS)
		return cs_errorf(CS_EINVAL, "status: %d is not a status",
				 status);
	if ((rc = st->ops->begin(st)))
		return rc;
	if ((rc = load_one(st, code, &o)))
		goto done;
	struct task *t = &o.b.tasks[0];
	int move = moves[t->status][status];
	if (!move) {
		rc = cs_errorf(
		    CS_ECONFLICT, "status: task \"%s\" cannot go from %s to %s",
		    code, task_status_zh(t->status), task_status_zh(status));
		goto done;
	}
	if (move == MOVE_LEADER && !is_leader(who)) {
		rc = cs_errorf(CS_EPERM,
			       "status: only a leader may move task \"%s\" "
			       "from %s to %s",
			       code, task_status_zh(t->status),
			       task_status_zh(status));
		goto done;
	}
	if (!is_leader(who) && !owns(who, t)) {
		rc = cs_errorf(CS_EPERM, "task \"%s\" is not your department's",
			       code);
		goto done;
	}
	/* The task as it was, for the audit entry's before. */
	struct task was = *t;
	if (!(was.done_on = strdup(t->done_on))) {
		rc = cs_errorf(CS_ENOMEM, "out of memory");
		goto done;
	}
	if (status == TASK_DONE) {
		free(t->done_on);
		t->done_on = strdup(today);
	} else if (status == TASK_IN_PROGRESS) {
		t->done_on[0] = '\0';
	}
	t->status = status;
	rc = t->done_on ? put_task(cs, t, "task.status", &was)
			: cs_errorf(CS_ENOMEM, "out of memory");
	free(was.done_on);
done:
	task_book_release(&o.b);
	return finish(st, rc);
}

int task_milestone_put(struct civstat *cs, const char *code,
		       struct task_milestone *m)
{
	struct store *st = cs->st;
	struct one_task o;
	char object[200];
	int rc;
	if (m->seq < 1)
		return cs_errorf(CS_EINVAL,
				 "seq: %d is not a milestone number "
				 "(1, 2 ...)",
				 m->seq);
	if (!m->name || !*m->name)
		return cs_errorf(CS_EINVAL, "name: a milestone needs a name");
	if (!task_day_valid(m->due))
		return cs_errorf(CS_EINVAL, "due: \"%s\" is not a day",
				 m->due ? m->due : "");
	if (m->done_on && *m->done_on && !task_day_valid(m->done_on))
		return cs_errorf(CS_EINVAL, "done_on: \"%s\" is not a day",
				 m->done_on);
	if ((rc = st->ops->begin(st)))
		return rc;
	if (!(rc = load_one(st, code, &o))) {
		m->task_id = o.b.tasks[0].id;
		if (!m->done_on)
			m->done_on = (char *)"";
		if (!(rc = st->ops->put_task_milestone(st, m))) {
			snprintf(object, sizeof object, "task/%s/milestone/%d",
				 code, m->seq);
			rc = audit(cs, "task.milestone", object,
				   json_pack("{s:s, s:s, s:s}", "name", m->name,
					     "due", m->due, "done_on",
					     m->done_on));
		}
	}
	task_book_release(&o.b);
	return finish(st, rc);
}

int task_report_add(struct civstat *cs, const char *code, struct task_report *r,
		    const struct task_who *who, const char *today)
{
	struct store *st = cs->st;
	struct one_task o;
	char object[160];
	int rc;
	if (!task_day_valid(today))
		return cs_errorf(CS_EINVAL, "day: \"%s\" is not a day", today);
	if (!r->text || !*r->text)
		return cs_errorf(CS_EINVAL,
				 "text: a progress report needs text");
	if (r->achieved < 0)
		return cs_errorf(CS_EINVAL, "achieved: %g is negative",
				 r->achieved);
	if ((rc = st->ops->begin(st)))
		return rc;
	if ((rc = load_one(st, code, &o)))
		goto done;
	struct task *t = &o.b.tasks[0];
	if (!is_leader(who) && !owns(who, t)) {
		rc = cs_errorf(CS_EPERM, "task \"%s\" is not your department's",
			       code);
		goto done;
	}
	/* Struck off, a task takes no news; the reports of its past (a
	 * load of its history) are still welcome. */
	if (t->status == TASK_CLOSED && strcmp(today, t->done_on) > 0) {
		rc = cs_errorf(CS_ECONFLICT,
			       "task \"%s\" is 已销号 (closed): it takes no "
			       "report after %s",
			       code, t->done_on);
		goto done;
	}
	r->id = 0;
	r->task_id = t->id;
	r->day = (char *)today;
	if (!r->actor || !*r->actor)
		r->actor = (char *)(cs->actor ? cs->actor : "");
	if ((rc = st->ops->add_task_report(st, r)))
		goto done;
	snprintf(object, sizeof object, "task/%s/report/%d", code, r->id);
	if ((rc = audit(cs, "task.report", object,
			json_pack("{s:s, s:s, s:o, s:i}", "day", r->day, "text",
				  r->text, "achieved", jnum(r->achieved),
				  "sample", r->sample))))
		goto done;
	/* The latest figure is the task's; a report in the past does not
	 * undo a later one. */
	if (!isnan(r->achieved)) {
		int later = 0;
		for (int k = 0; k < o.b.n_reports; k++)
			later |= strcmp(o.b.reports[k].day, today) > 0;
		if (!later && r->achieved != t->achieved) {
			t->achieved = r->achieved;
			rc = st->ops->put_task(st, t);
		}
	}
done:
	task_book_release(&o.b);
	return finish(st, rc);
}

int task_note_add(struct civstat *cs, const char *code, struct task_note *n,
		  const struct task_who *who, const char *today)
{
	struct store *st = cs->st;
	struct one_task o;
	char object[160];
	int rc;
	if (!is_leader(who))
		return cs_errorf(CS_EPERM, "only a leader or the supervision "
					   "office (督查室) writes 督办 notes");
	if ((rc = task_note_check(n->text, n->due, today)))
		return rc;
	if ((rc = st->ops->begin(st)))
		return rc;
	if ((rc = load_one(st, code, &o)))
		goto done;
	n->id = 0;
	n->task_id = o.b.tasks[0].id;
	n->author = (char *)(cs->actor ? cs->actor : "");
	n->day = (char *)today;
	n->answer = n->answered_by = n->answered_on = (char *)"";
	if ((rc = st->ops->put_task_note(st, n)))
		goto done;
	snprintf(object, sizeof object, "task/%s/note/%d", code, n->id);
	rc = audit(cs, "task.note", object,
		   json_pack("{s:s, s:s, s:s}", "text", n->text, "due", n->due,
			     "day", n->day));
done:
	task_book_release(&o.b);
	return finish(st, rc);
}

/* Finds note f->id among all notes and keeps a copy in f->b. */
struct note_find {
	int id;
	struct task_book b;
};

static int find_note(void *ctx, const struct task_note *n)
{
	struct note_find *f = ctx;
	return n->id == f->id ? load_note(&f->b, n) : CS_OK;
}

/* Calls fn with the task of id: the scan has no get by id, and a city's
 * list is short. */
struct task_by_id {
	int id;
	struct task_book *b;
};

static int keep_task_id(void *ctx, const struct task *t)
{
	struct task_by_id *f = ctx;
	return t->id == f->id ? load_task(f->b, t) : CS_OK;
}

int task_note_answer(struct civstat *cs, int note_id, const char *answer,
		     const struct task_who *who, const char *today)
{
	struct store *st = cs->st;
	struct note_find f = {.id = note_id};
	struct task_book b = {0};
	struct task_by_id by = {0, &b};
	char object[160];
	int rc;
	if (!task_day_valid(today))
		return cs_errorf(CS_EINVAL, "day: \"%s\" is not a day", today);
	if (!answer || !*answer)
		return cs_errorf(CS_EINVAL, "answer: an answer needs text");
	if ((rc = st->ops->begin(st)))
		return rc;
	if ((rc = st->ops->scan_task_notes(st, 0, find_note, &f)))
		goto done;
	if (!f.b.n_notes) {
		rc = cs_errorf(CS_ENOTFOUND, "note: %d is not a 督办 note",
			       note_id);
		goto done;
	}
	struct task_note *n = &f.b.notes[0];
	by.id = n->task_id;
	if ((rc = st->ops->scan_tasks(st, 0, keep_task_id, &by)))
		goto done;
	if (!b.n_tasks) {
		rc = cs_errorf(CS_EINTERNAL, "note %d: its task is gone",
			       note_id);
		goto done;
	}
	if (*n->answered_on) {
		rc = cs_errorf(CS_ECONFLICT, "note %d is answered already",
			       note_id);
		goto done;
	}
	if (!is_leader(who) && !owns(who, &b.tasks[0])) {
		rc = cs_errorf(CS_EPERM,
			       "note %d is on task \"%s\", not your "
			       "department's",
			       note_id, b.tasks[0].code);
		goto done;
	}
	struct task_note a = *n;
	a.answer = (char *)answer;
	a.answered_by = (char *)(cs->actor ? cs->actor : "");
	a.answered_on = (char *)today;
	if ((rc = st->ops->put_task_note(st, &a)))
		goto done;
	snprintf(object, sizeof object, "task/%s/note/%d", b.tasks[0].code,
		 note_id);
	rc = audit(cs, "task.answer", object,
		   json_pack("{s:s, s:s}", "answer", answer, "day", today));
done:
	task_book_release(&f.b);
	task_book_release(&b);
	return finish(st, rc);
}

/* The checks of a note as a file holds it, before the store is asked. */
static int check_note(const struct task_note *n)
{
	int answered = n->answered_on && *n->answered_on;
	if (!n->author || !*n->author)
		return cs_errorf(CS_EINVAL, "author: who wrote the 督办 note");
	if (!task_day_valid(n->day))
		return cs_errorf(CS_EINVAL, "day: \"%s\" is not a day",
				 n->day ? n->day : "");
	if (!n->text || !*n->text)
		return cs_errorf(CS_EINVAL, "text: a 督办 note needs text");
	if (!task_day_valid(n->due))
		return cs_errorf(CS_EINVAL, "due: \"%s\" is not a day",
				 n->due ? n->due : "");
	if (strcmp(n->due, n->day) < 0)
		return cs_errorf(CS_EINVAL, "due: %s is before the day the note "
				 "was written (%s)", n->due, n->day);
	if (answered && !task_day_valid(n->answered_on))
		return cs_errorf(CS_EINVAL, "answered_on: \"%s\" is not a day",
				 n->answered_on);
	if (answered && strcmp(n->answered_on, n->day) < 0)
		return cs_errorf(CS_EINVAL, "answered_on: %s is before the note "
				 "(%s)", n->answered_on, n->day);
	if (answered && (!n->answer || !*n->answer))
		return cs_errorf(CS_EINVAL, "answer: a note answered on %s "
				 "needs the answer's text", n->answered_on);
	if (answered && (!n->answered_by || !*n->answered_by))
		return cs_errorf(CS_EINVAL, "answered_by: who answered on %s",
				 n->answered_on);
	if (!answered && ((n->answer && *n->answer) ||
			  (n->answered_by && *n->answered_by)))
		return cs_errorf(CS_EINVAL, "answered_on: an answer needs the "
				 "day it was given");
	return CS_OK;
}

static int same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

int task_note_load(struct civstat *cs, const char *code, struct task_note *n)
{
	struct store *st = cs->st;
	struct one_task o;
	struct task_book all = {0};
	char object[160];
	int rc = check_note(n);
	if (rc || (rc = st->ops->begin(st)))
		return rc;
	if ((rc = load_one(st, code, &o)) ||
	    (rc = st->ops->scan_task_notes(st, 0, load_note, &all)))
		goto done;
	n->task_id = o.b.tasks[0].id;
	const struct task_note *old = NULL;
	for (int k = 0; k < all.n_notes; k++) {
		const struct task_note *x = &all.notes[k];
		/* By its id; without one, the same note again. */
		if (n->id ? x->id == n->id
			  : x->task_id == n->task_id && same(x->day, n->day) &&
				    same(x->author, n->author) &&
				    same(x->text, n->text))
			old = x;
	}
	int answered = n->answered_on && *n->answered_on;
	if (old && old->task_id != n->task_id) {
		rc = cs_errorf(CS_ECONFLICT, "id: note %d is on another task",
			       old->id);
		goto done;
	}
	if (old && (!same(old->author, n->author) || !same(old->day, n->day) ||
		    !same(old->text, n->text) || !same(old->due, n->due))) {
		rc = cs_errorf(CS_ECONFLICT, "text: note %d says otherwise: a "
			       "督办 note is never rewritten", old->id);
		goto done;
	}
	if (old && *old->answered_on &&
	    (!answered || !same(old->answer, n->answer) ||
	     !same(old->answered_by, n->answered_by) ||
	     !same(old->answered_on, n->answered_on))) {
		rc = cs_errorf(CS_ECONFLICT, "answer: note %d is answered "
			       "already, otherwise", old->id);
		goto done;
	}
	n->id = old ? old->id : n->id;
	if (old && (*old->answered_on || !answered))
		goto done; /* what the store holds already */
	n->answer = (char *)(answered ? n->answer : "");
	n->answered_by = (char *)(answered ? n->answered_by : "");
	n->answered_on = (char *)(answered ? n->answered_on : "");
	if ((rc = st->ops->put_task_note(st, n)))
		goto done;
	snprintf(object, sizeof object, "task/%s/note/%d", code, n->id);
	rc = audit(cs, old ? "task.answer" : "task.note", object,
		   json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "author",
			     n->author, "day", n->day, "text", n->text, "due",
			     n->due, "answer", n->answer, "answered_by",
			     n->answered_by, "answered_on", n->answered_on));
done:
	task_book_release(&all);
	task_book_release(&o.b);
	return finish(st, rc);
}
