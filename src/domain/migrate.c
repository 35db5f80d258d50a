/*
 * civstat migrate (see migrate.h): one table of the tables copied, each
 * with the scan that reads it and the write that puts a row back.  The
 * same walks run over the destination alone to see that it is empty,
 * from the source into it, and over it again to count what it holds.
 */
#include "domain/migrate.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/secret.h"
#include "domain/audit.h"

/* One table's walk: every row read is written to dst (none when dst is
 * NULL: the walk only counts) and counted in n. */
struct copy {
	struct store *dst;
	long n;
};

/* A row whose id the destination gave otherwise: put_* upsert by code, so
 * a copied id must be checked to have stuck. */
static int same_id(const char *what, const char *code, int want, int got)
{
	if (want == got)
		return CS_OK;
	return cs_errorf(CS_ESTORE, "%s %s was stored with id %d, not %d",
			 what, code, got, want);
}

static int meta_row(void *x, const char *key, const char *value)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->set_meta(c->dst, key, value)))
		return rc;
	c->n++;
	return CS_OK;
}

static int area_row(void *x, const struct area *a)
{
	struct copy *c = x;
	struct area t = *a;
	int rc;
	if (c->dst && ((rc = c->dst->ops->put_area(c->dst, &t)) ||
		       (rc = same_id("area", a->code, a->id, t.id))))
		return rc;
	c->n++;
	return CS_OK;
}

static int department_row(void *x, const struct department *d)
{
	struct copy *c = x;
	struct department t = *d;
	int rc;
	if (c->dst && ((rc = c->dst->ops->put_department(c->dst, &t)) ||
		       (rc = same_id("department", d->code, d->id, t.id))))
		return rc;
	c->n++;
	return CS_OK;
}

static int indicator_row(void *x, const struct indicator *ind)
{
	struct copy *c = x;
	struct indicator t = *ind;
	int rc;
	if (c->dst && ((rc = c->dst->ops->put_indicator(c->dst, &t)) ||
		       (rc = same_id("indicator", ind->code, ind->id, t.id))))
		return rc;
	c->n++;
	return CS_OK;
}

static int change_row(void *x, const struct value_change *ch)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->copy_change(c->dst, ch)))
		return rc;
	c->n++;
	return CS_OK;
}

static int series_row(void *x, const struct series *s)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->put_series(c->dst, s)))
		return rc;
	c->n++;
	return CS_OK;
}

static int comment_row(void *x, int indicator_id, int area_id, int month,
		       const char *comment)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->put_comment(c->dst, indicator_id,
						     area_id, month, comment)))
		return rc;
	c->n++;
	return CS_OK;
}

static int history_row(void *x, const struct history_row *h)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->copy_history_row(c->dst, h)))
		return rc;
	c->n++;
	return CS_OK;
}

static int target_row(void *x, const struct target *t)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->put_target(c->dst, t)))
		return rc;
	c->n++;
	return CS_OK;
}

static int benchmark_row(void *x, const struct benchmark *b)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->put_benchmark(c->dst, b)))
		return rc;
	c->n++;
	return CS_OK;
}

static int user_row(void *x, const struct user *u)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->copy_user(c->dst, u)))
		return rc;
	c->n++;
	return CS_OK;
}

static int session_row(void *x, const struct session *s)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->put_session(c->dst, s)))
		return rc;
	c->n++;
	return CS_OK;
}

static int audit_row(void *x, const struct audit_entry *e)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->copy_audit(c->dst, e)))
		return rc;
	c->n++;
	return CS_OK;
}

/* Task lists and supervision (schema 6): the put and add ops keep the
 * ids they are given. */
static int task_list_row(void *x, const struct task_list *l)
{
	struct copy *c = x;
	struct task_list t = *l;
	int rc;
	if (c->dst && ((rc = c->dst->ops->put_task_list(c->dst, &t)) ||
		       (rc = same_id("task list", l->code, l->id, t.id))))
		return rc;
	c->n++;
	return CS_OK;
}

/* The pipeline's rows: put as they were read, their ids (and a phase
 * change's id and time, a report's time) given, so that they stick. */
static int programme_row(void *x, const struct programme *p)
{
	struct copy *c = x;
	struct programme t = *p;
	int rc;
	if (c->dst && ((rc = c->dst->ops->put_programme(c->dst, &t)) ||
		       (rc = same_id("programme", p->code, p->id, t.id))))
		return rc;
	c->n++;
	return CS_OK;
}

static int task_row(void *x, const struct task *tk)
{
	struct copy *c = x;
	struct task t = *tk;
	int rc;
	if (c->dst && ((rc = c->dst->ops->put_task(c->dst, &t)) ||
		       (rc = same_id("task", tk->code, tk->id, t.id))))
		return rc;
	c->n++;
	return CS_OK;
}

static int project_row(void *x, const struct project *p)
{
	struct copy *c = x;
	struct project t = *p;
	int rc;
	if (c->dst && ((rc = c->dst->ops->put_project(c->dst, &t)) ||
		       (rc = same_id("project", p->code, p->id, t.id))))
		return rc;
	c->n++;
	return CS_OK;
}

static int milestone_row(void *x, const struct task_milestone *m)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->put_task_milestone(c->dst, m)))
		return rc;
	c->n++;
	return CS_OK;
}

static int plan_row(void *x, const struct project_plan *p)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->put_project_plan(c->dst, p)))
		return rc;
	c->n++;
	return CS_OK;
}

static int task_report_row(void *x, const struct task_report *r)
{
	struct copy *c = x;
	struct task_report t = *r;
	int rc;
	if (c->dst && ((rc = c->dst->ops->add_task_report(c->dst, &t)) ||
		       (rc = same_id("progress report", "", r->id, t.id))))
		return rc;
	c->n++;
	return CS_OK;
}

static int project_milestone_row(void *x, const struct milestone *m)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->put_milestone(c->dst, m)))
		return rc;
	c->n++;
	return CS_OK;
}

static int task_note_row(void *x, const struct task_note *n)
{
	struct copy *c = x;
	struct task_note t = *n;
	int rc;
	if (c->dst && ((rc = c->dst->ops->put_task_note(c->dst, &t)) ||
		       (rc = same_id("督办 note", "", n->id, t.id))))
		return rc;
	c->n++;
	return CS_OK;
}

static int report_row(void *x, const struct project_report *r)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->put_project_report(c->dst, r)))
		return rc;
	c->n++;
	return CS_OK;
}

static int phase_row(void *x, const struct phase_change *p)
{
	struct copy *c = x;
	struct phase_change t = *p;
	int rc;
	if (c->dst && (rc = c->dst->ops->add_phase_change(c->dst, &t)))
		return rc;
	c->n++;
	return CS_OK;
}

static int community_row(void *x, const struct community *m)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->put_community(c->dst, m)))
		return rc;
	c->n++;
	return CS_OK;
}

static int project_note_row(void *x, const struct project_note *n)
{
	struct copy *c = x;
	struct project_note t = *n;
	int rc;
	if (c->dst && ((rc = c->dst->ops->put_project_note(c->dst, &t)) ||
		       (rc = same_id("project 督办 note", "", n->id, t.id))))
		return rc;
	c->n++;
	return CS_OK;
}

static int holiday_row(void *x, const struct holiday *h)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->put_holiday(c->dst, h)))
		return rc;
	c->n++;
	return CS_OK;
}

static int walk_project_notes(struct store *st, struct copy *c)
{
	return st->ops->scan_project_notes(st, 0, project_note_row, c);
}

static int walk_programmes(struct store *st, struct copy *c)
{
	return st->ops->scan_programmes(st, programme_row, c);
}

static int walk_projects(struct store *st, struct copy *c)
{
	return st->ops->scan_projects(st, project_row, c);
}

static int walk_plans(struct store *st, struct copy *c)
{
	return st->ops->scan_project_plans(st, plan_row, c);
}

static int walk_project_milestones(struct store *st, struct copy *c)
{
	return st->ops->scan_milestones(st, project_milestone_row, c);
}

static int walk_reports(struct store *st, struct copy *c)
{
	return st->ops->scan_project_reports(st, report_row, c);
}

static int walk_phases(struct store *st, struct copy *c)
{
	return st->ops->scan_phase_changes(st, phase_row, c);
}

static int walk_communities(struct store *st, struct copy *c)
{
	return st->ops->scan_communities(st, community_row, c);
}

/* The walks, one a table: scan st, each row to row_fn's copy. */
static int walk_meta(struct store *st, struct copy *c)
{
	return st->ops->scan_meta(st, meta_row, c);
}

static int walk_areas(struct store *st, struct copy *c)
{
	return st->ops->scan_areas(st, area_row, c);
}

static int walk_departments(struct store *st, struct copy *c)
{
	return st->ops->scan_departments(st, department_row, c);
}

static int walk_indicators(struct store *st, struct copy *c)
{
	return st->ops->scan_indicators(st, indicator_row, c);
}

static int walk_changes(struct store *st, struct copy *c)
{
	return st->ops->scan_changes(st, change_row, c);
}

static int walk_series(struct store *st, struct copy *c)
{
	return st->ops->scan_series(st, series_row, c);
}

static int walk_comments(struct store *st, struct copy *c)
{
	return st->ops->scan_comments(st, comment_row, c);
}

static int walk_history(struct store *st, struct copy *c)
{
	return st->ops->scan_history_rows(st, history_row, c);
}

static int walk_targets(struct store *st, struct copy *c)
{
	return st->ops->scan_targets(st, target_row, c);
}

static int walk_benchmarks(struct store *st, struct copy *c)
{
	return st->ops->scan_benchmarks(st, benchmark_row, c);
}

static int walk_users(struct store *st, struct copy *c)
{
	return st->ops->scan_users(st, user_row, c);
}

static int walk_sessions(struct store *st, struct copy *c)
{
	return st->ops->scan_sessions(st, session_row, c);
}

static int walk_task_lists(struct store *st, struct copy *c)
{
	return st->ops->scan_task_lists(st, task_list_row, c);
}

static int walk_tasks(struct store *st, struct copy *c)
{
	return st->ops->scan_tasks(st, 0, task_row, c);
}

static int walk_milestones(struct store *st, struct copy *c)
{
	return st->ops->scan_task_milestones(st, 0, milestone_row, c);
}

static int walk_task_reports(struct store *st, struct copy *c)
{
	return st->ops->scan_task_reports(st, 0, task_report_row, c);
}

static int walk_task_notes(struct store *st, struct copy *c)
{
	return st->ops->scan_task_notes(st, 0, task_note_row, c);
}

static int walk_holidays(struct store *st, struct copy *c)
{
	return st->ops->scan_holidays(st, holiday_row, c);
}

static int service_row(void *x, const struct service *s)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->put_service(c->dst, s)))
		return rc;
	c->n++;
	return CS_OK;
}

static int walk_services(struct store *st, struct copy *c)
{
	return st->ops->scan_services(st, service_row, c);
}

static int request_row(void *x, const struct request *r)
{
	struct copy *c = x;
	struct request t = *r;
	int rc;
	if (c->dst && ((rc = c->dst->ops->put_request(c->dst, &t)) ||
		       (rc = same_id("request", "", r->id, t.id))))
		return rc;
	c->n++;
	return CS_OK;
}

static int walk_requests(struct store *st, struct copy *c)
{
	struct request_filter f = {.states = (1u << REQ_NSTATE) - 1,
				   .sort = REQ_SORT_ID};
	return st->ops->scan_requests(st, &f, request_row, c, NULL);
}

static int request_event_row(void *x, const struct request_event *e)
{
	struct copy *c = x;
	struct request_event t = *e;
	int rc;
	if (c->dst && ((rc = c->dst->ops->add_request_event(c->dst, &t)) ||
		       (rc = same_id("request event", "", e->id, t.id))))
		return rc;
	c->n++;
	return CS_OK;
}

static int walk_request_events(struct store *st, struct copy *c)
{
	return st->ops->scan_request_events(st, 0, request_event_row, c);
}

static int request_stat_row(void *x, const struct request_stat *s)
{
	struct copy *c = x;
	int rc;
	if (c->dst && (rc = c->dst->ops->add_request_stat(c->dst, s)))
		return rc;
	c->n++;
	return CS_OK;
}

static int walk_request_stats(struct store *st, struct copy *c)
{
	struct request_stat_query q = {.by = REQ_STAT_ROW};
	return st->ops->sum_request_stats(st, &q, request_stat_row, c);
}

static int walk_audit(struct store *st, struct copy *c)
{
	return st->ops->scan_audit(st, LONG_MIN, 0, audit_row, c);
}

static const struct table {
	const char *name; /* as the schema calls it */
	const char *zh, *en; /* what it holds */
	int (*walk)(struct store *st, struct copy *c);
} tables[MIGRATE_NTABLES] = {
	[MIGRATE_META] = {"meta", "设置", "settings", walk_meta},
	[MIGRATE_AREA] = {"area", "行政区划", "areas", walk_areas},
	[MIGRATE_DEPARTMENT] = {"department", "责任单位", "departments",
				walk_departments},
	[MIGRATE_INDICATOR] = {"indicator", "指标", "indicators",
			       walk_indicators},
	[MIGRATE_CHANGE] = {"change", "变更", "changes", walk_changes},
	[MIGRATE_SERIES] = {"series", "数据序列", "series of figures",
			    walk_series},
	[MIGRATE_COMMENT] = {"value_comment", "数据备注", "figure comments",
			     walk_comments},
	[MIGRATE_HISTORY] = {"value_history", "数据历史", "figure history",
			     walk_history},
	[MIGRATE_TARGET] = {"target", "目标", "targets", walk_targets},
	[MIGRATE_BENCHMARK] = {"benchmark", "对标", "benchmarks",
			       walk_benchmarks},
	[MIGRATE_PROGRAMME] = {"programme", "改造计划", "programmes",
			       walk_programmes},
	[MIGRATE_PROJECT] = {"project", "重点项目", "projects", walk_projects},
	[MIGRATE_PROJECT_PLAN] = {"project_plan", "年度计划投资",
				  "yearly planned investment", walk_plans},
	[MIGRATE_MILESTONE] = {"project_milestone", "项目节点", "milestones",
			       walk_project_milestones},
	[MIGRATE_PROJECT_REPORT] = {"project_report", "项目月报",
				    "monthly reports", walk_reports},
	[MIGRATE_PROJECT_PHASE] = {"project_phase", "阶段变更",
				   "phase changes", walk_phases},
	[MIGRATE_COMMUNITY] = {"programme_community", "改造小区",
			       "communities", walk_communities},
	[MIGRATE_PROJECT_NOTE] = {"project_note", "项目督办意见",
				  "project supervision notes",
				  walk_project_notes},
	[MIGRATE_USER] = {"user", "账号", "accounts", walk_users},
	[MIGRATE_SESSION] = {"session", "会话与令牌", "sessions and tokens",
			     walk_sessions},
	[MIGRATE_TASK_LIST] = {"task_list", "任务清单", "task lists",
			       walk_task_lists},
	[MIGRATE_TASK] = {"task", "任务", "tasks", walk_tasks},
	[MIGRATE_TASK_MILESTONE] = {"task_milestone", "任务节点",
				    "task milestones", walk_milestones},
	[MIGRATE_TASK_REPORT] = {"task_report", "任务进展",
				 "progress reports", walk_task_reports},
	[MIGRATE_TASK_NOTE] = {"task_note", "督办意见", "supervision notes",
			       walk_task_notes},
	[MIGRATE_HOLIDAY] = {"holiday", "工作日历", "working-day calendar",
			     walk_holidays},
	[MIGRATE_SERVICE] = {"service", "服务目录", "service catalogue",
			     walk_services},
	[MIGRATE_REQUEST] = {"request", "群众诉求", "residents' requests",
			     walk_requests},
	[MIGRATE_REQUEST_EVENT] = {"request_event", "诉求办理记录",
				   "request timelines", walk_request_events},
	[MIGRATE_REQUEST_STAT] = {"request_stat", "诉求统计",
				  "request tallies", walk_request_stats},
	[MIGRATE_AUDIT] = {"audit", "审计链", "audit trail", walk_audit},
};

const char *migrate_table_name(int t)
{
	return tables[t].name;
}

const char *migrate_table_what(int t, int zh)
{
	return zh ? tables[t].zh : tables[t].en;
}

/* Records "what: the message so far" as rc's message, and returns rc. */
static int say(int rc, const char *what)
{
	char why[512];
	snprintf(why, sizeof why, "%s", cs_errmsg());
	return cs_errorf(rc, "%s: %s", what, why);
}

/* CS_OK when dst holds no row in any table copied, else CS_EEXIST. */
static int check_empty(struct store *dst)
{
	int rc;
	for (int t = 0; t < MIGRATE_NTABLES; t++) {
		struct copy c = {NULL, 0};
		if ((rc = tables[t].walk(dst, &c)))
			return rc;
		if (c.n)
			return cs_errorf(CS_EEXIST, "the destination holds a "
					 "city already (%ld rows in %s); "
					 "migrate copies into an empty "
					 "database only",
					 c.n, tables[t].name);
	}
	return CS_OK;
}

/* The copy and its proof, inside the open transactions of both. */
static int copy_all(struct store *src, struct store *dst,
		    struct migrate_report *r)
{
	long bad = 0, id;
	uint8_t hash[SESSION_HASH];
	int rc;
	if ((rc = check_empty(dst)))
		return rc;
	/* A broken chain would be copied broken: say so of the source. */
	if ((rc = audit_verify_store(src, &id, &bad)))
		return rc == CS_ECONFLICT
			       ? say(rc, "the source's audit chain does not "
					 "hold")
			       : rc;
	for (int t = 0; t < MIGRATE_NTABLES; t++) {
		struct copy c = {dst, 0};
		if ((rc = tables[t].walk(src, &c)))
			return say(rc, tables[t].name);
		r->copied[t] = c.n;
	}
	for (int t = 0; t < MIGRATE_NTABLES; t++) {
		struct copy c = {NULL, 0};
		if ((rc = tables[t].walk(dst, &c)))
			return rc;
		r->found[t] = c.n;
		if (r->found[t] != r->copied[t])
			return cs_errorf(CS_ESTORE, "%s: %ld rows copied, but "
					 "the destination holds %ld",
					 tables[t].name, r->copied[t],
					 r->found[t]);
	}
	if ((rc = audit_verify_store(dst, &r->audit_checked, &bad)))
		return rc == CS_ECONFLICT
			       ? say(rc, "the copy's audit chain does not "
					 "hold")
			       : rc;
	if ((rc = src->ops->last_audit(src, &id, hash)) ||
	    (rc = dst->ops->last_audit(dst, &r->head_id, r->head_hash)))
		return rc;
	if (id != r->head_id || !secret_equal(hash, r->head_hash, SESSION_HASH))
		return cs_errorf(CS_ECONFLICT, "the copy's audit chain ends at "
				 "entry %ld, the source's at entry %ld",
				 r->head_id, id);
	return CS_OK;
}

int migrate_copy(struct store *src, struct store *dst,
		 struct migrate_report *r)
{
	int rc;
	memset(r, 0, sizeof *r);
	/* Refused before any transaction, so that a destination holding a
	 * city is not touched at all; checked again inside it. */
	if ((rc = check_empty(dst)) || (rc = src->ops->begin(src)))
		return rc;
	if ((rc = dst->ops->begin_bulk(dst))) {
		src->ops->rollback(src);
		return rc;
	}
	if ((rc = copy_all(src, dst, r)) || (rc = dst->ops->commit(dst)))
		dst->ops->rollback(dst);
	/* Nothing was written to the source: its transaction only held
	 * one moment still. */
	src->ops->rollback(src);
	return rc;
}
