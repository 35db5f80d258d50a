/*
 * civstat task: the task lists and their supervision (任务清单, 督办) on
 * the command line: import and export, the list with what is overdue, one
 * task whole, progress reports, status changes, 督办 notes and answers,
 * and the summaries per list and department with the on-time rate.
 * "Today" is --period DAY (the day the dates are judged on), else the
 * current UTC day; the operator acts as --role (admin when none) and, with
 * --department, as that department's clerk.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/num.h"
#include "domain/auth.h"
#include "domain/task.h"
#include "domain/task_csv.h"

/* What every subcommand needs: the database, who acts and on which day. */
struct task_cli {
	struct cli_opts *o;
	struct civstat *cs;
	struct task_who who;
	char today[11];
	int zh; /* words in Chinese */
};

static int usage_error(const char *what)
{
	return cs_errorf(CS_EUSAGE, "task: %s", what);
}

/* Reads --period (a day), --role and --department once the database is
 * open (the department is looked up in its catalog). */
static int setup(struct task_cli *c)
{
	const struct cli_opts *o = c->o;
	if (o->period) {
		if (!task_day_valid(o->period))
			return cs_errorf(
			    CS_EUSAGE,
			    "--period: \"%s\" is not a "
			    "day (YYYY-MM-DD): task commands judge "
			    "dates on a day",
			    o->period);
		snprintf(c->today, sizeof c->today, "%s", o->period);
	} else {
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(c->today, sizeof c->today, "%Y-%m-%d", &tm);
	}
	c->who.role = ROLE_ADMIN;
	if (o->role && (c->who.role = role_parse(o->role)) < 0)
		return cs_errorf(CS_EUSAGE, "--role: \"%s\" is not a role",
				 o->role);
	if (o->department) {
		int d = catalog_department(&c->cs->cat, o->department,
					   strlen(o->department));
		if (d < 0)
			return cs_errorf(CS_EUSAGE,
					 "--department: \"%s\" is "
					 "not a department",
					 o->department);
		c->who.department_id = c->cs->cat.depts[d].id;
		if (!o->role)
			c->who.role = ROLE_DEPARTMENT;
	}
	c->zh = cli_zh(o);
	return CS_OK;
}

static const char *dept_code(const struct task_cli *c, int id)
{
	int d = catalog_department_id(&c->cs->cat, id);
	return d >= 0 ? c->cs->cat.depts[d].code : "";
}

static const char *dept_name(const struct task_cli *c, int id)
{
	int d = catalog_department_id(&c->cs->cat, id);
	return d < 0   ? ""
	       : c->zh ? c->cs->cat.depts[d].name
		       : c->cs->cat.depts[d].code;
}

static const char *status_word(const struct task_cli *c, int s)
{
	return c->zh ? task_status_zh(s) : task_status_name(s);
}

/* Why a task is late, in words. */
static const char *late_word(const struct task_cli *c, int why)
{
	if (!why)
		return "";
	if (why == TASK_LATE_MILESTONE)
		return c->zh ? "节点逾期" : "milestone";
	if (why == TASK_LATE_DEADLINE)
		return c->zh ? "超期" : "deadline";
	return c->zh ? "超期, 节点逾期" : "deadline, milestone";
}

/* ---- import, export ---------------------------------------------------- */

static int task_import(struct task_cli *c)
{
	long rows[TASK_CSV_NKINDS];
	if (c->o->nargs < 2)
		return usage_error("import needs at least one FILE");
	int rc = task_csv_import(c->cs, (const char *const *)c->o->args + 1,
				 c->o->nargs - 1, c->o->dry_run, rows);
	if (rc)
		return rc;
	printf("%s清单 %ld，任务 %ld，节点 %ld，进展 %ld，督办 %ld\n"
	       "(%s: %ld lists, %ld tasks, %ld milestones, %ld reports, "
	       "%ld notes)\n",
	       c->o->dry_run ? "检查通过（未写入）：" : "导入完成：",
	       rows[TASK_CSV_LISTS], rows[TASK_CSV_TASKS],
	       rows[TASK_CSV_MILESTONES], rows[TASK_CSV_REPORTS],
	       rows[TASK_CSV_NOTES],
	       c->o->dry_run ? "checked, nothing stored" : "imported",
	       rows[TASK_CSV_LISTS], rows[TASK_CSV_TASKS],
	       rows[TASK_CSV_MILESTONES], rows[TASK_CSV_REPORTS],
	       rows[TASK_CSV_NOTES]);
	return CS_OK;
}

static int task_export(struct task_cli *c)
{
	struct out_table t;
	int kind = c->o->kind ? task_csv_kind_parse(c->o->kind) : -1;
	if (kind < 0)
		return usage_error("export needs --kind lists, tasks, "
				   "milestones, reports or notes");
	int rc = task_csv_export(c->cs, kind, &t);
	if (rc) {
		out_release(&t);
		return rc;
	}
	/* CSV (English column names) imports again as it is. */
	struct cli_opts o = *c->o;
	o.format = c->o->format == OUT_JSON ? OUT_JSON : OUT_CSV;
	return cli_print(&o, &t);
}

/* Digits to print: none for a whole number (15 条街路), else two. */
static int digits(double x)
{
	return isnan(x) || x == floor(x) ? 0 : 2;
}

/* ---- list, show ---------------------------------------------------------- */

static int task_list(struct task_cli *c)
{
	static const char *const head_en[] = {
	    "list",	"code", "title",  "department", "deadline", "target",
	    "achieved", "unit", "status", "overdue",	"sample"};
	static const char *const head_zh[] = {
	    "清单",   "任务编号", "任务内容", "责任单位", "完成时限", "目标值",
	    "完成量", "单位",	  "状态",     "逾期",	  "样例"};
	struct task_book b;
	struct out_table t;
	const char *list = c->o->nargs > 1 ? c->o->args[1] : NULL;
	int rc = task_book_load(c->cs->st, &b), found = !list;
	if (rc)
		goto done;
	out_init(&t, 11, head_en, head_zh);
	for (int k = 0; k < b.n_tasks; k++) {
		const struct task *x = &b.tasks[k];
		int l = task_book_list(&b, x->list_id);
		const char *lcode = l >= 0 ? b.lists[l].code : "";
		if (list && strcmp(lcode, list))
			continue;
		found = 1;
		if (c->who.department_id &&
		    x->department_id != c->who.department_id)
			continue;
		int why = task_overdue(&b, x, c->today);
		out_row(&t);
		out_text(&t, lcode);
		out_text(&t, x->code);
		out_text(&t, x->title);
		out_text(&t, dept_name(c, x->department_id));
		out_text(&t, x->deadline);
		out_num(&t, x->target, digits(x->target));
		out_num(&t, x->achieved, digits(x->achieved));
		out_text(&t, x->unit);
		out_text(&t, status_word(c, task_status_on(&b, x, c->today)));
		out_text(&t, late_word(c, why));
		out_text(&t, x->sample ? (c->zh ? "样例" : "1")
				       : (c->zh ? "" : "0"));
	}
	if (!found) {
		out_release(&t);
		rc = cs_errorf(CS_ENOTFOUND, "task list \"%s\" is not known",
			       list);
		goto done;
	}
	rc = cli_print(c->o, &t);
done:
	task_book_release(&b);
	return rc;
}

static int task_show(struct task_cli *c)
{
	struct task_book b;
	if (c->o->nargs != 2)
		return usage_error("show needs one task CODE");
	int rc = task_book_load(c->cs->st, &b);
	int k = rc ? -1 : task_book_task(&b, c->o->args[1]);
	if (!rc && k < 0)
		rc = cs_errorf(CS_ENOTFOUND, "task: \"%s\" is not a task",
			       c->o->args[1]);
	if (rc)
		goto done;
	const struct task *x = &b.tasks[k];
	int l = task_book_list(&b, x->list_id);
	int why = task_overdue(&b, x, c->today);
	printf("%s  %s\n", x->code, x->title);
	printf("清单 list:        %s\n", l >= 0 ? b.lists[l].name : "");
	printf("责任单位 owner:   %s %s\n", dept_code(c, x->department_id),
	       dept_name(c, x->department_id));
	printf("牵头领导 leader:  %s\n", x->leader);
	printf("完成时限 deadline: %s\n", x->deadline);
	if (!isnan(x->target) && isnan(x->achieved))
		printf("目标 target:      %g %s (完成 achieved: -)\n",
		       x->target, x->unit);
	else if (!isnan(x->target))
		printf("目标 target:      %g %s (完成 achieved: %g)\n",
		       x->target, x->unit, x->achieved);
	printf("状态 status:      %s / %s%s%s%s\n",
	       task_status_zh(task_status_on(&b, x, c->today)),
	       task_status_name(task_status_on(&b, x, c->today)),
	       why ? " (" : "", why ? late_word(c, why) : "", why ? ")" : "");
	if (*x->done_on)
		printf("完成日期 done on: %s%s\n", x->done_on,
		       task_on_time(x) ? " (按时 on time)" : " (超期 late)");
	printf("来源 source:      %s%s\n", x->source,
	       x->sample ? "  [样例数据 sample data, not real]" : "");
	for (int j = 0; j < b.n_milestones; j++) {
		const struct task_milestone *m = &b.milestones[j];
		if (m->task_id != x->id)
			continue;
		int late = !*m->done_on && strcmp(m->due, c->today) < 0;
		printf("节点 %d: %s, 计划 %s, %s%s\n", m->seq, m->name, m->due,
		       *m->done_on ? "完成于 " : "未完成",
		       *m->done_on ? m->done_on
		       : late	   ? " (逾期 overdue)"
				   : "");
	}
	for (int j = 0; j < b.n_reports; j++) {
		const struct task_report *r = &b.reports[j];
		if (r->task_id != x->id)
			continue;
		printf("进展 %s %s: %s", r->day, r->actor, r->text);
		if (!isnan(r->achieved))
			printf(" (%g %s)", r->achieved, x->unit);
		printf("%s\n", r->sample ? " [样例 sample]" : "");
	}
	for (int j = 0; j < b.n_notes; j++) {
		const struct task_note *n = &b.notes[j];
		if (n->task_id != x->id)
			continue;
		printf("督办 #%d %s %s: %s (答复期限 due %s)\n", n->id, n->day,
		       n->author, n->text, n->due);
		if (*n->answered_on)
			printf("  答复 %s %s: %s\n", n->answered_on,
			       n->answered_by, n->answer);
		else
			printf("  未答复 unanswered%s\n",
			       task_note_overdue(n, c->today)
				   ? " — 逾期 overdue"
				   : "");
	}
done:
	task_book_release(&b);
	return rc;
}

/* ---- writes ----------------------------------------------------------------
 */

static int task_report(struct task_cli *c)
{
	struct task_report r = {.achieved = NAN};
	if (c->o->nargs != 3)
		return usage_error("report needs CODE TEXT [--value N]");
	if (c->o->value && *c->o->value &&
	    num_parse_double(c->o->value, strlen(c->o->value), &r.achieved))
		return cs_errorf(CS_EUSAGE, "--value: \"%s\" is not a number",
				 c->o->value);
	r.text = c->o->args[2];
	int rc = task_report_add(c->cs, c->o->args[1], &r, &c->who, c->today);
	if (!rc)
		printf("已记录进展 #%d (report #%d recorded)\n", r.id, r.id);
	return rc;
}

static int task_status(struct task_cli *c)
{
	if (c->o->nargs != 3)
		return usage_error("status needs CODE STATUS");
	int s = task_status_parse(c->o->args[2]);
	if (s < 0)
		return cs_errorf(CS_EUSAGE,
				 "status: \"%s\" is not 未开始, 推进中, "
				 "已完成 or 已销号",
				 c->o->args[2]);
	int rc = task_set_status(c->cs, c->o->args[1], s, &c->who, c->today);
	if (!rc)
		printf("%s: %s\n", c->o->args[1], task_status_zh(s));
	return rc;
}

static int task_note(struct task_cli *c)
{
	struct task_note n = {0};
	if (c->o->nargs != 4)
		return usage_error("note needs CODE TEXT DUE");
	n.text = c->o->args[2];
	n.due = c->o->args[3];
	int rc = task_note_add(c->cs, c->o->args[1], &n, &c->who, c->today);
	if (!rc)
		printf("督办意见 #%d，%s 前答复 (note #%d, answer by %s)\n",
		       n.id, n.due, n.id, n.due);
	return rc;
}

static int task_answer(struct task_cli *c)
{
	long id;
	if (c->o->nargs != 3)
		return usage_error("answer needs NOTE TEXT");
	if (num_parse_int(c->o->args[1], strlen(c->o->args[1]), 1, 2000000000,
			  &id))
		return cs_errorf(CS_EUSAGE,
				 "answer: \"%s\" is not a note "
				 "number",
				 c->o->args[1]);
	int rc =
	    task_note_answer(c->cs, (int)id, c->o->args[2], &c->who, c->today);
	if (!rc)
		printf("已答复督办意见 #%ld (note #%ld answered)\n", id, id);
	return rc;
}

/* ---- summary ----------------------------------------------------------- */

static int task_summary_cmd(struct task_cli *c)
{
	static const char *const head_en[] = {
	    "group",   "tasks",	       "not_started", "in_progress",
	    "done",    "late",	       "closed",      "due",
	    "on_time", "on_time_rate", "notes_open",  "notes_overdue"};
	static const char *const head_zh[] = {
	    "清单/责任单位", "任务",	    "未开始",	  "推进中",
	    "已完成",	     "滞后",	    "已销号",	  "应完成",
	    "按时完成",	     "按时完成率%", "待答复督办", "逾期未答复"};
	struct task_book b;
	struct task_tally *rows = NULL;
	struct out_table t;
	int n = 0;
	enum task_by by = TASK_BY_LIST;
	const char *kind = c->o->kind;
	if (kind && (!strcmp(kind, "department") || !strcmp(kind, "责任单位")))
		by = TASK_BY_DEPARTMENT;
	else if (kind && strcmp(kind, "list") && strcmp(kind, "清单"))
		return usage_error("summary takes --kind list or department");
	int rc = task_book_load(c->cs->st, &b);
	if (rc || (rc = task_summary(&b, by, c->today, &rows, &n)))
		goto done;
	out_init(&t, 12, head_en, head_zh);
	for (int k = 0; k < n; k++) {
		const struct task_tally *r = &rows[k];
		out_row(&t);
		if (by == TASK_BY_LIST) {
			int l = task_book_list(&b, r->key);
			out_text(&t, l < 0   ? ""
				     : c->zh ? b.lists[l].name
					     : b.lists[l].code);
		} else {
			out_text(&t, r->key  ? dept_name(c, r->key)
				     : c->zh ? "（未指定）"
					     : "");
		}
		out_num(&t, (double)r->tasks, 0);
		out_num(&t, (double)r->status[TASK_NOT_STARTED], 0);
		out_num(&t, (double)r->status[TASK_IN_PROGRESS], 0);
		out_num(&t, (double)r->status[TASK_DONE], 0);
		out_num(&t, (double)r->status[TASK_LATE], 0);
		out_num(&t, (double)r->status[TASK_CLOSED], 0);
		out_num(&t, (double)r->due, 0);
		out_num(&t, (double)r->on_time, 0);
		out_num(&t,
			r->due ? 100.0 * (double)r->on_time / (double)r->due
			       : NAN,
			1);
		out_num(&t, (double)r->notes_open, 0);
		out_num(&t, (double)r->notes_overdue, 0);
	}
	rc = cli_print(c->o, &t);
done:
	free(rows);
	task_book_release(&b);
	return rc;
}

static const struct {
	const char *name;
	int (*run)(struct task_cli *c);
} subcommands[] = {
    {"import", task_import},	   {"export", task_export},
    {"list", task_list},	   {"show", task_show},
    {"report", task_report},	   {"status", task_status},
    {"note", task_note},	   {"answer", task_answer},
    {"summary", task_summary_cmd},
};

int cmd_task(struct cli_opts *o)
{
	struct task_cli c = {.o = o};
	int (*run)(struct task_cli *) = NULL;
	int rc;
	for (size_t k = 0;
	     o->nargs && k < sizeof subcommands / sizeof *subcommands; k++)
		if (!strcmp(o->args[0], subcommands[k].name))
			run = subcommands[k].run;
	if (!run)
		return cli_fail(usage_error(
		    "import|export|list|show|report|status|note|answer|"
		    "summary (civstat task --help)"));
	if ((rc = cli_open(o, 0, &c.cs)))
		return rc;
	if (!(rc = setup(&c)))
		rc = run(&c);
	civstat_close(c.cs);
	return rc ? cli_fail(rc) : 0;
}
