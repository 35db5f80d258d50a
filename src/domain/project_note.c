/*
 * Supervision notes (督办意见) on key projects: a leader or the supervision
 * office writes one with a day to answer by, the project's department
 * answers it once.  The same shape and checks as a task's note (task.c),
 * kept apart because a project's owner is read from the held pipeline.
 */
#include "domain/project.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "domain/audit.h"

/* Ends the transaction: commit when rc is CS_OK, else roll back. */
static int finish(struct store *st, int rc)
{
	if (!rc && !(rc = st->ops->commit(st)))
		return CS_OK;
	st->ops->rollback(st);
	return rc;
}

/* Appends the audit entry of action on object, after the JSON o (taken). */
static int audit(struct civstat *cs, const char *action, const char *object,
		 json_t *o)
{
	char *z = o ? json_dumps(o, JSON_COMPACT) : NULL;
	int rc = z ? audit_append(cs, action, object, NULL, z)
		   : cs_errorf(CS_ENOMEM, "out of memory");
	free(z);
	json_decref(o);
	return rc;
}

/* The id and department of project code in the held book. */
static int owner_of(struct civstat *cs, const char *code, int *id, int *dept)
{
	struct project_book *b;
	int rc = project_cache(cs, &b), k;
	if (rc)
		return rc;
	if ((k = project_book_find(b, code)) < 0)
		return cs_errorf(CS_ENOTFOUND, "code: project \"%s\": no such "
				 "project", code);
	*id = b->projects[k].id;
	*dept = b->projects[k].department_id;
	return CS_OK;
}

int project_note_overdue(const struct project_note *n, const char *today)
{
	return task_note_late(n->due, n->answered_on, today);
}

int project_note_add(struct civstat *cs, const char *code,
		     struct project_note *n, const struct task_who *who,
		     const char *today)
{
	struct store *st = cs->st;
	char object[160];
	int rc, dept;
	if (who->role < ROLE_LEADER)
		return cs_errorf(CS_EPERM, "only a leader or the supervision "
					   "office (督查室) writes 督办 notes");
	if ((rc = task_note_check(n->text, n->due, today)) ||
	    (rc = owner_of(cs, code, &n->project_id, &dept)) ||
	    (rc = st->ops->begin(st)))
		return rc;
	n->id = 0;
	n->author = cs->actor ? cs->actor : "";
	n->day = today;
	n->answer = n->answered_by = n->answered_on = "";
	if ((rc = st->ops->put_project_note(st, n)))
		return finish(st, rc);
	snprintf(object, sizeof object, "project/%s/note/%d", code, n->id);
	rc = audit(cs, "project.note", object,
		   json_pack("{s:s, s:s, s:s}", "text", n->text, "due", n->due,
			     "day", n->day));
	return finish(st, rc);
}

/* The note sought among one project's, copied while the scan holds it. */
struct note_find {
	int id;
	int found;
	int answered;
};

static int find_note(void *ctx, const struct project_note *n)
{
	struct note_find *f = ctx;
	if (n->id == f->id) {
		f->found = 1;
		f->answered = *n->answered_on != '\0';
	}
	return CS_OK;
}

/* The one row changes; its other columns are the ones the insert keeps
 * (the store's put updates only the answer of an existing id). */
int project_note_answer(struct civstat *cs, const char *code, int id,
			const char *answer, const struct task_who *who,
			const char *today)
{
	struct store *st = cs->st;
	struct note_find f = {.id = id};
	char object[160];
	int rc, pid, dept;
	if (!task_day_valid(today))
		return cs_errorf(CS_EINVAL, "day: \"%s\" is not a day", today);
	if (!answer || !*answer)
		return cs_errorf(CS_EINVAL, "answer: an answer needs text");
	if ((rc = owner_of(cs, code, &pid, &dept)))
		return rc;
	if (who->role != ROLE_ADMIN &&
	    (who->role != ROLE_DEPARTMENT || !who->department_id ||
	     who->department_id != dept))
		return cs_errorf(CS_EPERM, "note %d is on project \"%s\": its "
				 "department answers it", id, code);
	if ((rc = st->ops->begin(st)))
		return rc;
	if ((rc = st->ops->scan_project_notes(st, pid, find_note, &f)))
		return finish(st, rc);
	if (!f.found)
		return finish(st, cs_errorf(CS_ENOTFOUND, "id: project %s has "
					    "no note %d", code, id));
	if (f.answered)
		return finish(st, cs_errorf(CS_ECONFLICT, "answer: note %d is "
					    "answered already", id));
	struct project_note a = {
		.id = id, .project_id = pid, .author = "", .day = "",
		.text = "", .due = "", .answer = answer,
		.answered_by = cs->actor ? cs->actor : "",
		.answered_on = today,
	};
	if ((rc = st->ops->put_project_note(st, &a)))
		return finish(st, rc);
	snprintf(object, sizeof object, "project/%s/note/%d", code, id);
	rc = audit(cs, "project.answer", object,
		   json_pack("{s:s, s:s}", "answer", answer, "day", today));
	return finish(st, rc);
}
