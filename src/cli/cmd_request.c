/*
 * civstat request: the residents' requests (群众诉求, 急难愁盼) on the
 * command line, for the 12345 centre's staff and for scripts: submit one,
 * list the queue with the overdue marked, show one with its timeline, take
 * a step, import and export requests.csv, and print the rates with their
 * numerators and denominators.  Times are Shanghai time; --now fixes the
 * moment (tests, replays).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/err.h"
#include "domain/auth.h"
#include "domain/request.h"
#include "domain/service.h"

/* What every subcommand needs: the database, who acts and when. */
struct ctx {
	const struct cli_opts *o;
	struct civstat *cs;
	struct task_who who;
	long now;
	int zh;
};

static int usage_error(const char *what)
{
	return cs_errorf(CS_EUSAGE, "request: %s", what);
}

static int setup(struct ctx *c)
{
	const struct cli_opts *o = c->o;
	c->now = (long)time(NULL);
	if (o->now && request_time_parse(o->now, &c->now))
		return cs_errorf(CS_EUSAGE, "--now: \"%s\" is not "
				 "YYYY-MM-DD[THH:MM]", o->now);
	c->who.role = ROLE_ADMIN;
	if (o->role && (c->who.role = role_parse(o->role)) < 0)
		return cs_errorf(CS_EUSAGE, "--role: \"%s\" is not a role",
				 o->role);
	c->zh = cli_zh(o);
	return CS_OK;
}

/* The department --department names, 0 when none. */
static int department_of(struct ctx *c, int *id)
{
	*id = 0;
	if (!c->o->department)
		return CS_OK;
	int d = catalog_department(&c->cs->cat, c->o->department,
				   strlen(c->o->department));
	if (d < 0)
		return cs_errorf(CS_EUSAGE, "--department: \"%s\" is not a "
				 "department", c->o->department);
	*id = c->cs->cat.depts[d].id;
	return CS_OK;
}

/* The area --area names, 0 when none. */
static int area_of(struct ctx *c, int *id)
{
	*id = 0;
	if (!c->o->area)
		return CS_OK;
	int a = catalog_area(&c->cs->cat, c->o->area, strlen(c->o->area));
	if (a < 0)
		return cs_errorf(CS_EUSAGE, "--area: \"%s\" is not an area",
				 c->o->area);
	*id = c->cs->cat.areas[a].id;
	return CS_OK;
}

static void print_time(long t, char *buf, size_t cap)
{
	if (t)
		request_time_format(t, buf, cap);
	else
		snprintf(buf, cap, "-");
}

static int do_submit(struct ctx *c)
{
	const struct cli_opts *o = c->o;
	char due[32];
	if (o->nargs != 4)
		return usage_error("submit SERVICE DESCRIPTION ADDRESS");
	struct request r = {
		.service = o->args[1],
		.description = o->args[2],
		.address = o->args[3],
		.lat = NAN,
		.lon = NAN,
		.channel = (char *)"hotline",
	};
	int rc = area_of(c, &r.area_id);
	if (rc || (rc = request_submit(c->cs, &r, 0, c->cs->actor, c->now)))
		return rc;
	print_time(r.dispatch_due, due, sizeof due);
	printf("已受理诉求 %ld，派单时限 %s\n(received request %ld, token %s,"
	       " to dispatch by %s)\n",
	       r.id, due, r.id, r.token, due);
	request_release(&r);
	return CS_OK;
}

static int parse_states(const char *z, unsigned *out)
{
	*out = 0;
	if (!z)
		return CS_OK;
	if (!strcmp(z, "open") || !strcmp(z, "未办结")) {
		*out = 0x1e;
		return CS_OK;
	}
	int s = request_state_parse(z);
	if (s < 0)
		return cs_errorf(CS_EUSAGE, "--state: \"%s\" is not a state "
				 "(held, received, dispatched, in_progress, "
				 "answered, closed, open)", z);
	*out = 1u << s;
	return CS_OK;
}

struct list_walk {
	struct ctx *c;
	struct out_table *t;
};

static int list_row(void *ctx, const struct request *r)
{
	struct list_walk *w = ctx;
	const struct catalog *cat = &w->c->cs->cat;
	char buf[32];
	int d = r->department_id ? catalog_department_id(cat, r->department_id)
				 : -1;
	int a = r->area_id ? catalog_area_id(cat, r->area_id) : -1;
	long due = r->state <= REQ_RECEIVED ? r->dispatch_due : r->answer_due;
	out_row(w->t);
	out_num(w->t, (double)r->id, 0);
	out_text(w->t, r->ref);
	out_text(w->t, r->service);
	out_text(w->t, w->c->zh ? request_state_zh(r->state)
				: request_state_name(r->state));
	out_text(w->t, d >= 0 ? cat->depts[d].code : "");
	out_text(w->t, a >= 0 ? cat->areas[a].name : "");
	print_time(r->received, buf, sizeof buf);
	out_text(w->t, buf);
	print_time(request_is_open(r->state) ? due : 0, buf, sizeof buf);
	out_text(w->t, buf);
	out_text(w->t, request_overdue(r, w->c->now)
			       ? (w->c->zh ? "超期" : "overdue")
			       : "");
	return CS_OK;
}

static int do_list(struct ctx *c)
{
	static const char *const en[] = {"id", "ref", "service", "state",
					 "department", "area", "received",
					 "due", "overdue"};
	static const char *const zh[] = {"编号", "热线编号", "类别", "状态",
					 "承办单位", "区县", "受理时间",
					 "时限", "超期"};
	const struct cli_opts *o = c->o;
	struct request_filter f = {.now = c->now, .overdue = o->overdue,
				   .limit = o->limit};
	struct out_table t;
	long total = 0;
	int rc;
	if ((rc = parse_states(o->state, &f.states)) ||
	    (rc = department_of(c, &f.department_id)))
		return rc;
	if (c->who.role == ROLE_DEPARTMENT) {
		if (!f.department_id)
			return cs_errorf(CS_EUSAGE, "--role department needs "
					 "--department");
	} else if (c->who.role < ROLE_REVIEWER) {
		return cs_errorf(CS_EPERM, "the queue is for staff");
	}
	if ((rc = area_of(c, &f.area_id)))
		return rc;
	out_init(&t, 9, en, c->zh ? zh : en);
	struct list_walk w = {c, &t};
	if ((rc = request_list(c->cs->st, &f, list_row, &w, &total))) {
		out_release(&t);
		return rc;
	}
	rc = cli_print(o, &t);
	if (!rc && o->format == OUT_TABLE)
		printf("共 %ld 件 (%ld requests)\n", total, total);
	return rc;
}

static int show_event(void *ctx, const struct request_event *e)
{
	struct ctx *c = ctx;
	char at[32];
	int a = request_action_parse(e->action);
	request_time_format(e->at, at, sizeof at);
	printf("  %s  %-8s %s → %s  %s%s%s\n", at,
	       a >= 0 ? (c->zh ? request_action_zh(a) : e->action)
	       : c->zh && !strcmp(e->action, "submit") ? "受理"
						       : e->action,
	       e->from_state < 0 ? "" : request_state_zh(e->from_state),
	       request_state_zh(e->to_state), e->actor, *e->text ? "：" : "",
	       e->text);
	return CS_OK;
}

static int do_show(struct ctx *c)
{
	struct request r;
	char buf[3][32];
	if (c->o->nargs != 2)
		return usage_error("show ID");
	long id = strtol(c->o->args[1], NULL, 10);
	int rc = request_get(c->cs->st, id, NULL, &r);
	if (rc)
		return rc;
	if (!request_may_see(&c->who, &r)) {
		request_release(&r);
		return cs_errorf(CS_EPERM, "request %ld: not for this account",
				 id);
	}
	print_time(r.received, buf[0], sizeof buf[0]);
	print_time(r.dispatch_due, buf[1], sizeof buf[1]);
	print_time(r.answer_due, buf[2], sizeof buf[2]);
	printf("诉求 %ld %s [%s %s]%s\n类别 %s  地址 %s\n内容 %s\n"
	       "受理 %s  派单时限 %s  办结时限 %s\n",
	       r.id, r.ref, request_state_zh(r.state),
	       request_state_name(r.state),
	       request_overdue(&r, c->now) ? " 超期 overdue" : "", r.service,
	       r.address, r.description, buf[0], buf[1], buf[2]);
	if (*r.answer)
		printf("答复 %s\n", r.answer);
	if (r.followed)
		printf("回访 %s，%s\n", r.resolved ? "已解决" : "未解决",
		       request_satisfaction_zh(r.satisfaction));
	if (r.duplicate_of)
		printf("重复于 %ld\n", r.duplicate_of);
	request_release(&r);
	printf("办理记录 (timeline):\n");
	return request_events(c->cs->st, id, show_event, c);
}

static int do_act(struct ctx *c)
{
	const struct cli_opts *o = c->o;
	struct request out;
	if (o->nargs != 3)
		return usage_error("act ID STEP");
	char *end;
	long id = strtol(o->args[1], &end, 10);
	if (*end || id <= 0)
		return cs_errorf(CS_EUSAGE, "request: \"%s\" is not a request "
				 "number", o->args[1]);
	struct request_step s = {
		.action = request_action_parse(o->args[2]),
		.department = o->department,
		.text = o->text,
		.resolved = -1,
	};
	if (s.action < 0)
		return cs_errorf(CS_EUSAGE, "request: \"%s\" is not a step "
				 "(approve, reject, dispatch, return, accept, "
				 "answer, followup, reopen, duplicate, "
				 "supervise, note)", o->args[2]);
	if (o->resolved) {
		if (strcmp(o->resolved, "1") && strcmp(o->resolved, "0"))
			return cs_errorf(CS_EUSAGE, "--resolved: \"%s\" is not "
					 "1 or 0", o->resolved);
		s.resolved = atoi(o->resolved);
	}
	if (o->satisfaction &&
	    (s.satisfaction = request_satisfaction_parse(o->satisfaction)) <
		    0)
		return cs_errorf(CS_EUSAGE, "--satisfaction: \"%s\" is not "
				 "satisfied, basic or dissatisfied",
				 o->satisfaction);
	if (o->duplicate_of)
		s.duplicate_of = strtol(o->duplicate_of, NULL, 10);
	/* A department's clerk acts as its department: --department is
	 * who they are then, not where to dispatch. */
	if (c->who.role == ROLE_DEPARTMENT) {
		int rc = department_of(c, &c->who.department_id);
		if (rc)
			return rc;
		s.department = NULL;
	}
	int rc = request_act(c->cs, id, &s, &c->who, c->now, &out);
	if (rc)
		return rc;
	printf("诉求 %ld：%s，现为%s\n(request %ld: %s, now %s)\n", id,
	       request_action_zh(s.action), request_state_zh(out.state), id,
	       request_action_name(s.action), request_state_name(out.state));
	request_release(&out);
	return CS_OK;
}

static int do_import(struct ctx *c)
{
	const struct cli_opts *o = c->o;
	long rows = 0;
	if (o->nargs < 2)
		return usage_error("import needs a FILE");
	int rc = request_csv_import(c->cs, (const char *const *)o->args + 1,
				    o->nargs - 1, o->dry_run, &rows);
	if (rc)
		return rc;
	printf("%s诉求 %ld 件\n(%s: %ld requests)\n",
	       o->dry_run ? "检查通过，未写入：" : "已导入", rows,
	       o->dry_run ? "checked, nothing stored" : "imported", rows);
	return CS_OK;
}

static int do_export(struct ctx *c)
{
	FILE *f = c->o->out ? fopen(c->o->out, "w") : stdout;
	if (!f)
		return cs_errorf(CS_EIO, "%s: cannot write", c->o->out);
	int rc = request_csv_export(c->cs, f, NULL);
	if (f != stdout && fclose(f) && !rc)
		rc = cs_errorf(CS_EIO, "%s: cannot write", c->o->out);
	return rc;
}

/* "2026-03" (or 202603) into 202603; 0 when not a month. */
static int month_of(const char *z)
{
	int y, m;
	char tail;
	if (sscanf(z, "%4d-%2d%c", &y, &m, &tail) == 2 ||
	    (strlen(z) == 6 && sscanf(z, "%4d%2d", &y, &m) == 2))
		if (y >= 1900 && m >= 1 && m <= 12)
			return y * 100 + m;
	return 0;
}

static int do_stats(struct ctx *c)
{
	static const char *const names[] = {"by", "name", "received",
					    "response", "on_time", "resolution",
					    "satisfaction", "reopen", "open"};
	static const char *const zh[] = {"分组", "名称", "受理", "响应率",
					 "按时办结率", "解决率", "满意率",
					 "重办率", "未办结"};
	static const char *const bys[] = {"", "department", "area", "service",
					  "month"};
	const struct cli_opts *o = c->o;
	char today[32];
	request_time_format(c->now, today, sizeof today);
	today[7] = '\0';
	/* This year so far, unless told. */
	int month = month_of(today);
	struct request_rate_filter f = {.month_from = month / 100 * 100 + 1,
					.month_to = month};
	if (o->from && !(f.month_from = month_of(o->from)))
		return cs_errorf(CS_EUSAGE, "--from: \"%s\" is not a month "
				 "YYYY-MM", o->from);
	if (o->to && !(f.month_to = month_of(o->to)))
		return cs_errorf(CS_EUSAGE, "--to: \"%s\" is not a month "
				 "YYYY-MM", o->to);
	if (o->by) {
		int k = 1;
		while (k < 5 && strcmp(bys[k], o->by))
			k++;
		if (k == 5)
			return cs_errorf(CS_EUSAGE, "--by: \"%s\" is not "
					 "department, area, service or month",
					 o->by);
		f.by = k;
	}
	int rc = department_of(c, &f.department_id);
	if (rc)
		return rc;
	if ((rc = area_of(c, &f.area_id)))
		return rc;
	struct request_tally *t;
	int n;
	struct service_list svc;
	if ((rc = service_list_load(c->cs->st, &svc)) ||
	    (rc = request_rates(c->cs->st, &f, &t, &n))) {
		service_list_release(&svc);
		return rc;
	}
	struct out_table tab;
	const struct catalog *cat = &c->cs->cat;
	out_init(&tab, 9, names, c->zh ? zh : names);
	for (int k = 0; k < n; k++) {
		out_row(&tab);
		if (f.by == REQ_BY_DEPARTMENT) {
			/* The code to filter by again, the name to read. */
			int d = catalog_department_id(cat, t[k].key);
			out_text(&tab, d >= 0 ? cat->depts[d].code : "");
			out_text(&tab, d < 0 ? (c->zh ? "未派单" : "none")
				 : c->zh || !*cat->depts[d].name_en
				 ? cat->depts[d].name : cat->depts[d].name_en);
		} else if (f.by == REQ_BY_AREA) {
			int a = catalog_area_id(cat, t[k].key);
			out_text(&tab, a >= 0 ? cat->areas[a].code : "");
			out_text(&tab, a < 0 ? (c->zh ? "未知" : "unknown")
				 : c->zh || !*cat->areas[a].name_en
				 ? cat->areas[a].name : cat->areas[a].name_en);
		} else if (f.by == REQ_BY_SERVICE) {
			const struct service_entry *v =
				service_list_find(&svc, t[k].service);
			out_text(&tab, t[k].service);
			out_text(&tab, !v ? "" : c->zh || !*v->name_en
				 ? v->name : v->name_en);
		} else if (f.by == REQ_BY_MONTH) {
			out_textf(&tab, "%04d-%02d", t[k].key / 100,
				  t[k].key % 100);
			out_textf(&tab, c->zh ? "%d年%d月" : "%d-%02d",
				  t[k].key / 100, t[k].key % 100);
		} else {
			out_textf(&tab, "%04d-%02d..%04d-%02d",
				  f.month_from / 100, f.month_from % 100,
				  f.month_to / 100, f.month_to % 100);
			out_text(&tab, c->zh ? "全部" : "all");
		}
		out_num(&tab, (double)t[k].sum.received, 0);
		for (int r = 0; r < 5; r++) {
			if (t[k].den[r])
				out_textf(&tab, "%ld/%ld %.1f%%", t[k].num[r],
					  t[k].den[r],
					  100.0 * (double)t[k].num[r] /
						  (double)t[k].den[r]);
			else
				out_textf(&tab, "%ld/0 -", t[k].num[r]);
		}
		out_num(&tab, (double)t[k].open, 0);
	}
	free(t);
	service_list_release(&svc);
	return cli_print(o, &tab);
}

int cmd_request(struct cli_opts *o)
{
	static const char *const subs[] = {"submit", "list", "show", "act",
					   "import", "export", "stats", NULL};
	struct ctx c = {.o = o};
	const char *sub = o->nargs ? o->args[0] : "";
	int k = 0, rc;
	while (subs[k] && strcmp(subs[k], sub))
		k++;
	if (!subs[k])
		return cli_fail(usage_error("submit | list | show | act | "
					    "import | export | stats"));
	if ((rc = cli_open(o, 0, &c.cs)))
		return rc;
	if (!(rc = setup(&c))) {
		switch (k) {
		case 0: rc = do_submit(&c); break;
		case 1: rc = do_list(&c); break;
		case 2: rc = do_show(&c); break;
		case 3: rc = do_act(&c); break;
		case 4: rc = do_import(&c); break;
		case 5: rc = do_export(&c); break;
		default: rc = do_stats(&c); break;
		}
	}
	civstat_close(c.cs);
	return rc ? cli_fail(rc) : 0;
}
