/*
 * Unit tests of src/domain/task.c over a real database (SQLite, or
 * PostgreSQL with CIVSTAT_TEST_PG): the status rules (which moves are
 * allowed and by whom), the overdue rules (deadline, milestones,
 * unanswered 督办 notes), the on-time rate with its numerator and
 * denominator, and bad input that changes nothing, not even the audit
 * trail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "domain/civstat.h"
#include "domain/import.h"
#include "domain/task.h"
#include "store/store.h"

#include "fixture.h"

struct fixture {
	char dir[FIXTURE_DIR];
	char db[128];
	struct civstat *cs;
	int list_id, fgw, zjj; /* the list and two departments' ids */
};

static const struct task_who LEADER = {ROLE_LEADER, 0};
static const struct task_who CLERK_FGW = {ROLE_DEPARTMENT, 1};
static const struct task_who CLERK_ZJJ = {ROLE_DEPARTMENT, 2};

/* Adds task code of the fixture's list owned by dept, due deadline. */
static void add_task(struct fixture *fx, const char *code, int dept,
		     const char *deadline)
{
	struct task t = {
	    .code = (char *)code,
	    .list_id = fx->list_id,
	    .title = (char *)"完成科技西路等15条街路改扩建工程",
	    .department_id = dept,
	    .leader = (char *)"",
	    .deadline = (char *)deadline,
	    .target = 15,
	    .unit = (char *)"条街路",
	    .achieved = NAN,
	    .status = TASK_NOT_STARTED,
	    .done_on = (char *)"",
	    .source = (char *)"test",
	};
	assert_int_equal(task_put(fx->cs, &t), CS_OK);
	assert_true(t.id > 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	char path[FIXTURE_PATH];
	struct import_report r = {0};
	struct import_opts o = {0};
	assert_non_null(fx);
	fixture_mkdtemp(fx->dir, "test_task");
	fixture_db(fx->db, sizeof fx->db, fx->dir, "task.db");
	assert_int_equal(civstat_open(fx->db, STORE_CREATE, &fx->cs), CS_OK);
	write_file(
	    fx->dir, "departments.csv",
	    "code,name\nFGW,市发展和改革委员会\nZJJ,市住房和城乡建设局\n",
	    path);
	const char *files[] = {path};
	fixture_import_ok(import_files(fx->cs, files, 1, &o, &r), &r,
			  "departments");
	import_report_release(&r);
	fx->fgw = fx->cs->cat.depts[ID(fx->cs, "FGW")].id;
	fx->zjj = fx->cs->cat.depts[ID(fx->cs, "ZJJ")].id;
	assert_int_equal(fx->fgw, CLERK_FGW.department_id);
	assert_int_equal(fx->zjj, CLERK_ZJJ.department_id);
	struct task_list l = {
	    .code = (char *)"2026-LWLB",
	    .year = 2026,
	    .name = (char *)"2026年六稳六保任务清单",
	    .kind = (char *)"六稳六保",
	    .source = (char *)"test",
	};
	assert_int_equal(task_list_put(fx->cs, &l), CS_OK);
	fx->list_id = l.id;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	civstat_close(fx->cs);
	fixture_rmdir(fx->dir);
	free(fx);
	return 0;
}

/* The task of code as the store holds it now (a copy in *b). */
static const struct task *task_now(struct fixture *fx, struct task_book *b,
				   const char *code)
{
	task_book_release(b);
	assert_int_equal(task_book_load(fx->cs->st, b), CS_OK);
	int k = task_book_task(b, code);
	assert_true(k >= 0);
	return &b->tasks[k];
}

/* Everything of the task lists and the audit head, as one text: equal
 * before and after a write that must change nothing. */
static char *snapshot(struct fixture *fx)
{
	struct task_book b;
	char *z = NULL;
	size_t n = 0;
	long id;
	uint8_t hash[SESSION_HASH];
	FILE *f = open_memstream(&z, &n);
	assert_non_null(f);
	assert_int_equal(task_book_load(fx->cs->st, &b), CS_OK);
	assert_int_equal(fx->cs->st->ops->last_audit(fx->cs->st, &id, hash),
			 CS_OK);
	fprintf(f, "audit %ld\n", id);
	for (int k = 0; k < b.n_lists; k++)
		fprintf(f, "list %d %s %d %s\n", b.lists[k].id, b.lists[k].code,
			b.lists[k].year, b.lists[k].name);
	for (int k = 0; k < b.n_tasks; k++) {
		const struct task *t = &b.tasks[k];
		fprintf(f, "task %d %s %d %s %g %g %d %s\n", t->id, t->code,
			t->department_id, t->deadline, t->target, t->achieved,
			t->status, t->done_on);
	}
	for (int k = 0; k < b.n_milestones; k++)
		fprintf(f, "ms %d %d %s %s\n", b.milestones[k].task_id,
			b.milestones[k].seq, b.milestones[k].due,
			b.milestones[k].done_on);
	fprintf(f, "reports %d notes %d\n", b.n_reports, b.n_notes);
	for (int k = 0; k < b.n_notes; k++)
		fprintf(f, "note %d %s\n", b.notes[k].id, b.notes[k].answer);
	task_book_release(&b);
	fclose(f);
	return z;
}

/* ---- status ---------------------------------------------------------- */

static void test_status_moves(void **state)
{
	struct fixture *fx = *state;
	struct task_book b = {0};
	const struct task *t;
	add_task(fx, "T1", fx->zjj, "2026-10-31");

	/* Not started cannot be struck off, nor typed late. */
	assert_int_equal(
	    task_set_status(fx->cs, "T1", TASK_CLOSED, &LEADER, "2026-03-01"),
	    CS_ECONFLICT);
	assert_int_equal(
	    task_set_status(fx->cs, "T1", TASK_LATE, &LEADER, "2026-03-01"),
	    CS_EINVAL);
	/* Another department's clerk may not move it. */
	assert_int_equal(task_set_status(fx->cs, "T1", TASK_IN_PROGRESS,
					 &CLERK_FGW, "2026-03-01"),
			 CS_EPERM);
	assert_int_equal(task_set_status(fx->cs, "T1", TASK_IN_PROGRESS,
					 &CLERK_ZJJ, "2026-03-01"),
			 CS_OK);
	t = task_now(fx, &b, "T1");
	assert_int_equal(t->status, TASK_IN_PROGRESS);
	assert_string_equal(t->done_on, "");
	/* No way back to not started. */
	assert_int_equal(task_set_status(fx->cs, "T1", TASK_NOT_STARTED,
					 &LEADER, "2026-03-02"),
			 CS_ECONFLICT);
	assert_int_equal(
	    task_set_status(fx->cs, "T1", TASK_DONE, &CLERK_ZJJ, "2026-09-30"),
	    CS_OK);
	t = task_now(fx, &b, "T1");
	assert_int_equal(t->status, TASK_DONE);
	assert_string_equal(t->done_on, "2026-09-30");
	/* 已销号 only by a leader. */
	assert_int_equal(task_set_status(fx->cs, "T1", TASK_CLOSED, &CLERK_ZJJ,
					 "2026-10-01"),
			 CS_EPERM);
	/* A leader may reopen, which forgets the day it was finished. */
	assert_int_equal(task_set_status(fx->cs, "T1", TASK_IN_PROGRESS,
					 &LEADER, "2026-10-01"),
			 CS_OK);
	t = task_now(fx, &b, "T1");
	assert_string_equal(t->done_on, "");
	assert_int_equal(
	    task_set_status(fx->cs, "T1", TASK_DONE, &CLERK_ZJJ, "2026-10-20"),
	    CS_OK);
	assert_int_equal(
	    task_set_status(fx->cs, "T1", TASK_CLOSED, &LEADER, "2026-10-21"),
	    CS_OK);
	/* Nothing leaves 已销号. */
	for (int s = 0; s < TASK_NSTATUS; s++)
		if (s != TASK_CLOSED)
			assert_int_not_equal(task_set_status(fx->cs, "T1", s,
							     &LEADER,
							     "2026-11-01"),
					     CS_OK);
	t = task_now(fx, &b, "T1");
	assert_int_equal(t->status, TASK_CLOSED);
	assert_string_equal(t->done_on, "2026-10-20");
	task_book_release(&b);
}

/* ---- overdue rules --------------------------------------------------- */

static void test_overdue_deadline_and_milestones(void **state)
{
	struct fixture *fx = *state;
	struct task_book b = {0};
	const struct task *t;
	add_task(fx, "T2", fx->zjj, "2026-10-31");
	struct task_milestone m = {.seq = 1,
				   .name = (char *)"完成设计招标",
				   .due = (char *)"2026-04-30"};
	assert_int_equal(task_milestone_put(fx->cs, "T2", &m), CS_OK);

	t = task_now(fx, &b, "T2");
	/* The due day itself is not late; the day after is. */
	assert_int_equal(task_overdue(&b, t, "2026-04-30"), 0);
	assert_int_equal(task_overdue(&b, t, "2026-05-01"),
			 TASK_LATE_MILESTONE);
	assert_int_equal(task_status_on(&b, t, "2026-05-01"), TASK_LATE);
	assert_int_equal(task_overdue(&b, t, "2026-11-01"),
			 TASK_LATE_MILESTONE | TASK_LATE_DEADLINE);

	/* The milestone done: only the deadline is left to miss. */
	m.done_on = (char *)"2026-04-28";
	assert_int_equal(task_milestone_put(fx->cs, "T2", &m), CS_OK);
	t = task_now(fx, &b, "T2");
	assert_int_equal(task_overdue(&b, t, "2026-05-01"), 0);
	assert_int_equal(task_status_on(&b, t, "2026-05-01"), TASK_NOT_STARTED);
	assert_int_equal(task_overdue(&b, t, "2026-11-01"), TASK_LATE_DEADLINE);

	/* Finished, late or not, it is no longer overdue. */
	assert_int_equal(
	    task_set_status(fx->cs, "T2", TASK_DONE, &LEADER, "2026-11-05"),
	    CS_OK);
	t = task_now(fx, &b, "T2");
	assert_int_equal(task_overdue(&b, t, "2026-12-01"), 0);
	assert_int_equal(task_status_on(&b, t, "2026-12-01"), TASK_DONE);
	assert_false(task_on_time(t));
	task_book_release(&b);
}

static void test_notes_and_answers(void **state)
{
	struct fixture *fx = *state;
	struct task_book b = {0};
	add_task(fx, "T3", fx->zjj, "2026-10-31");
	struct task_note n = {.text = (char *)"请说明进度滞后原因",
			      .due = (char *)"2026-06-10"};

	/* Only a leader (the supervision office is one) writes notes. */
	assert_int_equal(
	    task_note_add(fx->cs, "T3", &n, &CLERK_ZJJ, "2026-06-01"),
	    CS_EPERM);
	assert_int_equal(task_note_add(fx->cs, "T3", &n, &LEADER, "2026-06-01"),
			 CS_OK);
	int id = n.id;
	assert_true(id > 0);
	assert_int_equal(task_book_load(fx->cs->st, &b), CS_OK);
	assert_int_equal(b.n_notes, 1);
	assert_false(task_note_overdue(&b.notes[0], "2026-06-10"));
	assert_true(task_note_overdue(&b.notes[0], "2026-06-11"));
	struct task_tally *rows;
	int nrows;
	assert_int_equal(
	    task_summary(&b, TASK_BY_DEPARTMENT, "2026-06-11", &rows, &nrows),
	    CS_OK);
	assert_int_equal(nrows, 1);
	assert_int_equal(rows[0].notes_open, 1);
	assert_int_equal(rows[0].notes_overdue, 1);
	free(rows);

	/* Another department may not answer; the owner does, once. */
	assert_int_equal(
	    task_note_answer(fx->cs, id, "已开工", &CLERK_FGW, "2026-06-12"),
	    CS_EPERM);
	assert_int_equal(
	    task_note_answer(fx->cs, id, "", &CLERK_ZJJ, "2026-06-12"),
	    CS_EINVAL);
	assert_int_equal(
	    task_note_answer(fx->cs, 999, "已开工", &CLERK_ZJJ, "2026-06-12"),
	    CS_ENOTFOUND);
	assert_int_equal(task_note_answer(fx->cs, id, "6月5日已开工",
					  &CLERK_ZJJ, "2026-06-12"),
			 CS_OK);
	assert_int_equal(
	    task_note_answer(fx->cs, id, "again", &CLERK_ZJJ, "2026-06-13"),
	    CS_ECONFLICT);
	task_book_release(&b);
	assert_int_equal(task_book_load(fx->cs->st, &b), CS_OK);
	assert_string_equal(b.notes[0].answer, "6月5日已开工");
	assert_string_equal(b.notes[0].answered_on, "2026-06-12");
	/* Answered late, it is no longer overdue. */
	assert_false(task_note_overdue(&b.notes[0], "2026-07-01"));
	task_book_release(&b);
}

/* ---- the on-time rate ------------------------------------------------ */

static void test_on_time_rate(void **state)
{
	struct fixture *fx = *state;
	struct task_book b = {0};
	struct task_tally *rows;
	int n;
	/* ZJJ: A on time, B late, C due and open, D not due yet, E
	 * finished early (counts though its deadline is to come). */
	add_task(fx, "A", fx->zjj, "2026-05-31");
	add_task(fx, "B", fx->zjj, "2026-05-31");
	add_task(fx, "C", fx->zjj, "2026-06-15");
	add_task(fx, "D", fx->zjj, "2026-12-31");
	add_task(fx, "E", fx->zjj, "2026-12-31");
	/* FGW: one task, due and open. */
	add_task(fx, "F", fx->fgw, "2026-03-31");
	assert_int_equal(
	    task_set_status(fx->cs, "A", TASK_DONE, &LEADER, "2026-05-31"),
	    CS_OK);
	assert_int_equal(
	    task_set_status(fx->cs, "B", TASK_DONE, &LEADER, "2026-06-02"),
	    CS_OK);
	assert_int_equal(
	    task_set_status(fx->cs, "E", TASK_DONE, &LEADER, "2026-06-10"),
	    CS_OK);
	assert_int_equal(task_book_load(fx->cs->st, &b), CS_OK);
	assert_int_equal(
	    task_summary(&b, TASK_BY_DEPARTMENT, "2026-06-30", &rows, &n),
	    CS_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].key, fx->fgw);
	assert_int_equal(rows[0].due, 1);
	assert_int_equal(rows[0].on_time, 0);
	assert_int_equal(rows[0].status[TASK_LATE], 1);
	assert_int_equal(rows[1].key, fx->zjj);
	assert_int_equal(rows[1].tasks, 5);
	assert_int_equal(rows[1].due, 4);     /* A B C E */
	assert_int_equal(rows[1].on_time, 2); /* A E */
	assert_int_equal(rows[1].status[TASK_DONE], 3);
	assert_int_equal(rows[1].status[TASK_LATE], 1);	       /* C */
	assert_int_equal(rows[1].status[TASK_NOT_STARTED], 1); /* D */
	free(rows);
	assert_int_equal(
	    task_summary(&b, TASK_BY_LIST, "2026-06-30", &rows, &n), CS_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].tasks, 6);
	assert_int_equal(rows[0].due, 5);
	assert_int_equal(rows[0].on_time, 2);
	free(rows);
	task_book_release(&b);
}

/* ---- reports ---------------------------------------------------------- */

static void test_reports(void **state)
{
	struct fixture *fx = *state;
	struct task_book b = {0};
	const struct task *t;
	add_task(fx, "R", fx->zjj, "2026-10-31");
	struct task_report r = {.text = (char *)"完成5条", .achieved = 5};
	assert_int_equal(
	    task_report_add(fx->cs, "R", &r, &CLERK_FGW, "2026-06-30"),
	    CS_EPERM);
	assert_int_equal(
	    task_report_add(fx->cs, "R", &r, &CLERK_ZJJ, "2026-06-30"), CS_OK);
	/* A report on an earlier day does not undo the later figure. */
	struct task_report old = {.text = (char *)"完成2条", .achieved = 2};
	assert_int_equal(
	    task_report_add(fx->cs, "R", &old, &CLERK_ZJJ, "2026-05-31"),
	    CS_OK);
	t = task_now(fx, &b, "R");
	CHECK_NUM(t->achieved, 5.0, "achieved");
	assert_int_equal(b.n_reports, 2);
	task_book_release(&b);
}

/* ---- bad input changes nothing --------------------------------------- */

static void test_bad_input_changes_nothing(void **state)
{
	struct fixture *fx = *state;
	add_task(fx, "X", fx->zjj, "2026-10-31");
	char *before = snapshot(fx);
	struct task bad = {
	    .code = (char *)"Y",
	    .list_id = fx->list_id,
	    .title = (char *)"t",
	    .deadline = (char *)"2026-02-30",
	    .target = NAN,
	    .achieved = NAN,
	};
	assert_int_equal(task_put(fx->cs, &bad), CS_EINVAL);
	assert_non_null(strstr(cs_errmsg(), "2026-02-30"));
	bad.deadline = (char *)"2026-12-31";
	bad.target = -15;
	assert_int_equal(task_put(fx->cs, &bad), CS_EINVAL);
	bad.target = 15;
	bad.list_id = 999;
	assert_int_equal(task_put(fx->cs, &bad), CS_EINVAL);
	assert_non_null(strstr(cs_errmsg(), "999"));
	bad.list_id = fx->list_id;
	bad.status = TASK_LATE;
	assert_int_equal(task_put(fx->cs, &bad), CS_EINVAL);
	bad.status = TASK_DONE; /* without the day it was finished */
	assert_int_equal(task_put(fx->cs, &bad), CS_EINVAL);
	assert_int_equal(
	    task_set_status(fx->cs, "NOPE", TASK_DONE, &LEADER, "2026-06-01"),
	    CS_ENOTFOUND);
	assert_int_equal(
	    task_set_status(fx->cs, "X", TASK_DONE, &LEADER, "2026-6-1"),
	    CS_EINVAL);
	struct task_milestone m = {
	    .seq = 1, .name = (char *)"m", .due = (char *)"soon"};
	assert_int_equal(task_milestone_put(fx->cs, "X", &m), CS_EINVAL);
	struct task_report r = {.text = (char *)"x", .achieved = -1};
	assert_int_equal(
	    task_report_add(fx->cs, "X", &r, &LEADER, "2026-06-01"), CS_EINVAL);
	struct task_note n = {.text = (char *)"快",
			      .due = (char *)"2026-05-01"};
	assert_int_equal(task_note_add(fx->cs, "X", &n, &LEADER, "2026-06-01"),
			 CS_EINVAL); /* due before today */
	char *after = snapshot(fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* 督办 notes as a file holds them (task_note_load): added with their
 * author and day, answered later by id, the same row again a no-op; a
 * note rewritten, an answer changed or a bad field refused, naming the
 * field, with nothing changed. */
static void test_note_load(void **state)
{
	struct fixture *fx = *state;
	add_task(fx, "X", fx->zjj, "2026-10-31");
#define NOTE_I(id_, day_, due_, text_, by_, on_, ans_)                        \
	{.id = id_, .author = (char *)"督查室", .day = (char *)day_,           \
	 .due = (char *)due_, .text = (char *)text_, .answered_by = (char *)by_, \
	 .answered_on = (char *)on_, .answer = (char *)ans_}
#define NOTE(...) ((struct task_note)NOTE_I(__VA_ARGS__))
	struct task_note n = NOTE(0, "2026-05-10", "2026-05-20", "说明进度", "",
				  "", "");
	assert_int_equal(task_note_load(fx->cs, "X", &n), CS_OK);
	int id = n.id;
	assert_true(id > 0);
	/* The same note again, without an id: still one. */
	n = NOTE(0, "2026-05-10", "2026-05-20", "说明进度", "", "", "");
	assert_int_equal(task_note_load(fx->cs, "X", &n), CS_OK);
	assert_int_equal(n.id, id);
	/* Its answer, by id; then the same again. */
	n = NOTE(id, "2026-05-10", "2026-05-20", "说明进度", "ZJJ", "2026-05-18",
		 "6月底前开工");
	assert_int_equal(task_note_load(fx->cs, "X", &n), CS_OK);
	n = NOTE(id, "2026-05-10", "2026-05-20", "说明进度", "ZJJ", "2026-05-18",
		 "6月底前开工");
	assert_int_equal(task_note_load(fx->cs, "X", &n), CS_OK);
	char *before = snapshot(fx);
	const struct {
		struct task_note n;
		const char *code, *field;
		int rc;
	} bad[] = {
	    {NOTE_I(1, "2026-05-10", "2026-05-20", "改写", "", "", ""), "X",
	     "text: ", CS_ECONFLICT},
	    {NOTE_I(1, "2026-05-10", "2026-05-20", "说明进度", "ZJJ",
		  "2026-05-19", "另一答复"),
	     "X", "answer: ", CS_ECONFLICT},
	    {NOTE_I(0, "2026-05-10", "2026-05-09", "x", "", "", ""), "X", "due: ",
	     CS_EINVAL},
	    {NOTE_I(0, "2026-02-30", "2026-05-09", "x", "", "", ""), "X", "day: ",
	     CS_EINVAL},
	    {NOTE_I(0, "2026-05-10", "2026-05-20", "", "", "", ""), "X", "text: ",
	     CS_EINVAL},
	    {NOTE_I(0, "2026-05-10", "2026-05-20", "x", "ZJJ", "2026-05-01", "a"),
	     "X", "answered_on: ", CS_EINVAL},
	    {NOTE_I(0, "2026-05-10", "2026-05-20", "x", "ZJJ", "", "a"), "X",
	     "answered_on: ", CS_EINVAL},
	    {NOTE_I(0, "2026-05-10", "2026-05-20", "x", "", "2026-05-12", "a"),
	     "X", "answered_by: ", CS_EINVAL},
	    {NOTE_I(0, "2026-05-10", "2026-05-20", "x", "", "", ""), "NOPE",
	     "task: ", CS_ENOTFOUND},
	};
#undef NOTE
#undef NOTE_I
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		struct task_note b = bad[k].n;
		if (b.id)
			b.id = id;
		int rc = task_note_load(fx->cs, bad[k].code, &b);
		if (rc != bad[k].rc || strncmp(cs_errmsg(), bad[k].field,
					       strlen(bad[k].field)))
			fail_msg("case %zu: rc %d, \"%s\"", k, rc, cs_errmsg());
	}
	char *after = snapshot(fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
	struct task_book b;
	assert_int_equal(task_book_load(fx->cs->st, &b), CS_OK);
	assert_int_equal(b.n_notes, 1);
	assert_string_equal(b.notes[0].answer, "6月底前开工");
	assert_string_equal(b.notes[0].author, "督查室");
	task_book_release(&b);
}

/* A write inside an outer transaction that is rolled back leaves
 * nothing: the writes nest. */
static void test_nested_rollback(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->cs->st;
	char *before = snapshot(fx);
	assert_int_equal(st->ops->begin(st), CS_OK);
	add_task(fx, "Z", fx->zjj, "2026-10-31");
	assert_int_equal(st->ops->rollback(st), CS_OK);
	char *after = snapshot(fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_days(void **state)
{
	(void)state;
	assert_true(task_day_valid("2024-02-29"));
	assert_false(task_day_valid("2026-02-29"));
	assert_false(task_day_valid("2100-02-29"));
	assert_true(task_day_valid("2000-02-29"));
	assert_false(task_day_valid("2026-13-01"));
	assert_false(task_day_valid("2026-1-01"));
	assert_false(task_day_valid(""));
	assert_int_equal(task_status_parse("已销号"), TASK_CLOSED);
	assert_int_equal(task_status_parse("in_progress"), TASK_IN_PROGRESS);
	assert_int_equal(task_status_parse("完成"), -1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_status_moves),      T(test_overdue_deadline_and_milestones),
	    T(test_notes_and_answers), T(test_on_time_rate),
	    T(test_reports),	       T(test_bad_input_changes_nothing),
	    T(test_nested_rollback),   T(test_note_load),
	    cmocka_unit_test(test_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
