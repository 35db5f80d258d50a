/*
 * Task lists and their supervision (任务清单, 督办): the rules over the
 * records of store/model_task.h.  Which status changes are allowed, when a
 * task, a milestone or an answer to a supervision note is overdue, and the
 * on-time rate per department.  "Today" is always a parameter (an ISO day),
 * so that the same records give the same answers in a test as on the day.
 *
 * Every write is one transaction (inside the caller's, if any: store
 * transactions nest) that also appends to the audit trail; after an error
 * nothing of it is kept and cs_errmsg() names the field and the value.
 */
#ifndef CS_TASK_H
#define CS_TASK_H

#include "domain/civstat.h"

/* Who acts: the audit trail's name is cs->actor; these decide what the
 * rules allow.  department_id 0: bound to no department. */
struct task_who {
	int role;	   /* enum role */
	int department_id; /* a department's clerk may touch only its own */
};

/* Status names: "not_started", "in_progress", "done", "late", "closed"
 * and 未开始, 推进中, 已完成, 滞后, 已销号.  task_status_parse takes
 * either and returns -1 when z is neither. */
const char *task_status_name(int status);
const char *task_status_zh(int status);
int task_status_parse(const char *z);

/* Nonzero when z is a real day written YYYY-MM-DD. */
int task_day_valid(const char *z);

/* ---- the book: everything of the task lists, read at once ---------- */

/* Lists, tasks, milestones, reports and notes as read from the store, each
 * array in the store's order, every string owned by the book. */
struct task_book {
	struct task_list *lists;
	int n_lists;
	struct task *tasks;
	int n_tasks;
	struct task_milestone *milestones;
	int n_milestones;
	struct task_report *reports;
	int n_reports;
	struct task_note *notes;
	int n_notes;
};

/* Reads the whole book.  Release with task_book_release, also after an
 * error. */
int task_book_load(struct store *st, struct task_book *b);
void task_book_release(struct task_book *b);
/* Indices into the book's arrays, -1 when there is none. */
int task_book_list(const struct task_book *b, int list_id);
int task_book_task(const struct task_book *b, const char *code);

/* ---- what the dates make of a task ---------------------------------- */

enum task_late {
	TASK_LATE_DEADLINE = 1 << 0,  /* past its deadline, not done */
	TASK_LATE_MILESTONE = 1 << 1, /* a milestone past due, not done */
};

/* Why t is overdue on today (enum task_late bits), 0 when it is not: a
 * task done or struck off is never overdue. */
int task_overdue(const struct task_book *b, const struct task *t,
		 const char *today);
/* The status shown: the one typed, or TASK_LATE when overdue. */
int task_status_on(const struct task_book *b, const struct task *t,
		   const char *today);
/* Nonzero when the note is unanswered and its due day has passed. */
int task_note_overdue(const struct task_note *n, const char *today);
/* The same rule for any 督办 note (a project's too): answered_on is ""
 * while unanswered. */
int task_note_late(const char *due, const char *answered_on,
		   const char *today);
/* The checks of a new 督办 note, a task's or a project's: today a day, text
 * not empty, due a day not before today.  CS_EINVAL naming the field. */
int task_note_check(const char *text, const char *due, const char *today);
/* Nonzero when t counts as due for the on-time rate on today (its
 * deadline has come, or it is finished already), and as finished on time
 * (finished no later than its deadline). */
int task_is_due(const struct task *t, const char *today);
int task_on_time(const struct task *t);

/* ---- summaries -------------------------------------------------------- */

enum task_by { TASK_BY_LIST = 0, TASK_BY_DEPARTMENT = 1 };

/* One row of a summary: a list or a department ("" for none). */
struct task_tally {
	int key; /* the list's or department's id, 0: none */
	long tasks;
	long status[TASK_NSTATUS]; /* by the status shown on today */
	long due;		   /* the on-time rate's denominator */
	long on_time;		   /* ... and numerator */
	long notes;		   /* supervision notes */
	long notes_open;	   /* not answered yet */
	long notes_overdue;	   /* not answered past their due day */
};

/* Counts the book by list or department on today: *out is malloc'd with
 * *n rows in the order of the lists, or of the departments' ids (none
 * last); the caller frees it. */
int task_summary(const struct task_book *b, enum task_by by, const char *today,
		 struct task_tally **out, int *n);

/* ---- writes --------------------------------------------------------- */

/* Adds or updates a list by its code.  l->id is written back. */
int task_list_put(struct civstat *cs, struct task_list *l);

/*
 * Adds or updates a task by its code, as a load does (an import): its
 * list must exist, its deadline be a day, its target not negative, its
 * status any but 滞后 (found, never typed); one finished or struck off
 * needs done_on, one not finished none.  t->id is written back.
 */
int task_put(struct civstat *cs, struct task *t);

/*
 * Moves task code to status on today.  Allowed: 未开始 → 推进中 or
 * 已完成; 推进中 → 已完成; 已完成 → 已销号 or, reopened, 推进中, both by
 * a leader (or admin) only; nothing leaves 已销号.  已完成 sets done_on
 * to today, reopening clears it.  CS_ECONFLICT for a change not allowed,
 * CS_EPERM for one the actor may not make, CS_EINVAL for 滞后.
 */
int task_set_status(struct civstat *cs, const char *code, int status,
		    const struct task_who *who, const char *today);

/* Adds or replaces milestone m->seq of task code (m->task_id is set);
 * due and done_on (if any) must be days. */
int task_milestone_put(struct civstat *cs, const char *code,
		       struct task_milestone *m);

/* Adds a progress report on task code for day today, by r->actor or,
 * when that is empty, cs->actor: r->task_id, r->day, r->actor and r->id
 * are set.  A report with a figure
 * makes it the task's achieved figure.  A task struck off takes none
 * dated after the day it was finished. */
int task_report_add(struct civstat *cs, const char *code, struct task_report *r,
		    const struct task_who *who, const char *today);

/* Adds a supervision note on task code, written today by cs->actor, who
 * must be a leader (the supervision office is one): n->due must be a day
 * not before today.  n->id is written back. */
int task_note_add(struct civstat *cs, const char *code, struct task_note *n,
		  const struct task_who *who, const char *today);

/* Answers note id by cs->actor on today.  A department's clerk answers
 * only its own tasks' notes; a note is answered once. */
int task_note_answer(struct civstat *cs, int note_id, const char *answer,
		     const struct task_who *who, const char *today);

/*
 * Loads note n of task code as a file holds it (an import, task_csv.c):
 * written by n->author on n->day, and answered when n->answered_on is set
 * (then answer and answered_by too, not before the note).  A note with
 * the id of one stored (or, without an id, the same task, day, author and
 * text) is that note: it may gain its answer, nothing else changes, so a
 * file imports again harmlessly; one that says otherwise is CS_ECONFLICT.
 * Otherwise it is added, keeping an id given; n->id is written back.
 */
int task_note_load(struct civstat *cs, const char *code, struct task_note *n);

#endif
