/*
 * Unit tests of migrate_copy (domain/migrate.h) and the store's copy ops
 * under it: a city written through the store into a SQLite file, copied to
 * the fixture's database (PostgreSQL with CIVSTAT_TEST_PG set) and back to
 * SQLite, comes back row for row with its ids, times, hashes, NULLs and
 * NaNs; a destination that holds a row is refused; a source whose chain
 * was altered, or that fails half-way, leaves the destination empty.
 */
#include "fixture.h"

#include <sqlite3.h>

#include "core/secret.h"
#include "domain/audit.h"
#include "domain/migrate.h"

/* A literal where the records hold char *: the store only reads it. */
#define Z(s) ((char *)(s))

struct fixture {
	char dir[FIXTURE_DIR];
	char src[FIXTURE_PATH];   /* the city, SQLite */
	char mid[FIXTURE_PATH];   /* the fixture's database */
	char back[FIXTURE_PATH];  /* SQLite again */
};

/* Writes the city: a row or more in every table copied, with the values
 * that are easy to lose (NULL, NaN, an id that is not the next, a
 * comment of none, a hash). */
static void write_city(const char *file)
{
	struct store *st;
	long change = 0;
	assert_int_equal(store_open(file, STORE_CREATE, &st), CS_OK);
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->set_meta(st, "city", "锦州"), CS_OK);
	struct area root = {.id = 7, .code = Z("210700"), .name = Z("锦州市"),
			    .name_en = Z("Jinzhou"), .level = 1};
	struct area county = {.id = 9, .code = Z("210726"), .name = Z("黑山县"),
			      .name_en = Z(""), .parent_id = 7, .level = 2};
	struct department d = {.id = 3, .code = Z("FGW"), .name = Z("发改委"),
			       .name_en = Z("NDRC")};
	struct indicator ind = {
		.id = 5, .code = Z("FAI"), .name = Z("固定资产投资"),
		.name_en = Z("FAI"), .unit = Z("亿元"), .department_id = 3,
		.source = Z("sample"), .formula = Z(""), .decimals = 2,
		.weight = NAN, .min = 0, .max = NAN, .part_of = Z(""),
		.max_jump = 35.5, .published = 0};
	assert_int_equal(st->ops->put_area(st, &root), CS_OK);
	assert_int_equal(st->ops->put_area(st, &county), CS_OK);
	assert_int_equal(st->ops->put_department(st, &d), CS_OK);
	assert_int_equal(st->ops->put_indicator(st, &ind), CS_OK);
	assert_int_equal(st->ops->add_change(st, "cli", "import v.csv", &change),
			 CS_OK);
	struct series s;
	assert_int_equal(series_init(&s, 5, 9, MI(2025, 1), 3), CS_OK);
	s.value[0] = 1.5;
	s.flags[0] = VALUE_SAMPLE | VALUE_COMMENT;
	s.change[0] = (uint32_t)change;
	s.value[2] = -0.1;
	s.flags[2] = VALUE_SUBMITTED;
	s.change[2] = (uint32_t)change + 1;
	assert_int_equal(st->ops->put_series(st, &s), CS_OK);
	series_release(&s);
	assert_int_equal(st->ops->put_comment(st, 5, 9, MI(2025, 1), "核实"),
			 CS_OK);
	assert_int_equal(st->ops->add_change(st, "li.ming", "set FAI", &change),
			 CS_OK);
	struct value_change h1 = {.change_id = change, .prev_change = 0,
				  .before = NAN, .after = -0.1,
				  .state_before = 0,
				  .state_after = VALUE_SUBMITTED};
	struct value_change h2 = {.change_id = change, .prev_change = 1,
				  .before = 1.5, .after = 1.5,
				  .state_before = VALUE_DRAFT,
				  .state_after = VALUE_SAMPLE,
				  .comment = "核实"};
	assert_int_equal(st->ops->add_history(st, 5, 9, MI(2025, 3), &h1),
			 CS_OK);
	assert_int_equal(st->ops->add_history(st, 5, 9, MI(2025, 1), &h2),
			 CS_OK);
	struct target t = {5, 9, 2025, TARGET_ANNUAL, 12.25, 1};
	struct benchmark b = {5, Z("全省平均"), MI(2025, 9), 1, MEASURE_GROWTH,
			      4.5, 0};
	assert_int_equal(st->ops->put_target(st, &t), CS_OK);
	assert_int_equal(st->ops->put_benchmark(st, &b), CS_OK);
	struct user u = {.name = Z("li.ming"), .role = ROLE_DEPARTMENT,
			 .department_id = 3, .password = Z("$argon2id$v=19$x"),
			 .failed = 2, .locked_until = 1767225600};
	struct user admin = {.name = Z("admin"), .role = ROLE_ADMIN,
			     .password = Z("$argon2id$v=19$y"), .disabled = 1};
	assert_int_equal(st->ops->put_user(st, &u), CS_OK);
	assert_int_equal(st->ops->put_user(st, &admin), CS_OK);
	struct session se = {.user_id = u.id, .kind = SESSION_TOKEN,
			     .created = 1, .last_seen = 2, .expires = 3,
			     .label = Z("统计局接口")};
	memset(se.hash, 0xab, sizeof se.hash);
	snprintf(se.csrf, sizeof se.csrf, "%s", "00ff");
	assert_int_equal(st->ops->put_session(st, &se), CS_OK);
	/* A task list with a task, a milestone, a report and an answered
	 * 督办 note, their ids kept. */
	struct task_list tl = {.id = 4, .code = Z("2026-MSSS"), .year = 2026,
			       .name = Z("2026年民生实事"), .kind = Z("民生实事"),
			       .source = Z("seed:L49"), .sample = 1};
	struct task tk = {.id = 6, .code = Z("2026-MSSS-01"), .list_id = 4,
			  .title = Z("完成科技西路等15条街路改扩建工程"),
			  .department_id = 3, .leader = Z("副市长"),
			  .deadline = Z("2026-10-31"), .target = 15,
			  .unit = Z("条街路"), .achieved = NAN,
			  .status = TASK_DONE, .done_on = Z("2026-10-20"),
			  .source = Z("seed:L49"), .sample = 1};
	struct task_milestone tm = {6, 2, Z("全部开工"), Z("2026-06-30"),
				    Z("")};
	struct task_report tr = {.id = 8, .task_id = 6,
				 .day = Z("2026-06-30"), .text = Z("开工8条"),
				 .achieved = 0, .actor = Z("li.ming")};
	struct task_note tn = {.id = 11, .task_id = 6, .author = Z("督查室"),
			       .day = Z("2026-06-01"), .text = Z("请说明"),
			       .due = Z("2026-06-10"), .answer = Z("已开工"),
			       .answered_by = Z("li.ming"),
			       .answered_on = Z("2026-06-09")};
	assert_int_equal(st->ops->put_task_list(st, &tl), CS_OK);
	assert_int_equal(st->ops->put_task(st, &tk), CS_OK);
	assert_int_equal(st->ops->put_task_milestone(st, &tm), CS_OK);
	assert_int_equal(st->ops->add_task_report(st, &tr), CS_OK);
	assert_int_equal(st->ops->put_task_note(st, &tn), CS_OK);
	/* A day of the working-day calendar. */
	struct holiday hd = {"2026-02-14", "workday", "春节",
			     "国务院办公厅关于2026年部分节假日安排的通知"};
	assert_int_equal(st->ops->put_holiday(st, &hd), CS_OK);
	/* A service with clock hours, not working days. */
	struct service sv = {"heating", "供暖", "Heating", "城市管理", "HOUSING",
			     1, 0, 24, "暖气,供热", "室温不达标", 1, "seed:L12"};
	assert_int_equal(st->ops->put_service(st, &sv), CS_OK);
	/* A resident's request with an id that is not the next, a point
	 * for a place (no address), an event and a tally row. */
	struct request rq = {.id = 12, .ref = Z("12345-1"), .token = Z("ab12"),
			     .service = Z("heating"), .state = REQ_ANSWERED,
			     .description = Z("暖气不热"), .address = Z(""),
			     .lat = 41.1, .lon = NAN, .channel = Z("hotline"),
			     .department_id = 3, .received = 1772413200,
			     .answer = Z("已修复"), .resolved = -1,
			     .sample = 1};
	assert_int_equal(st->ops->put_request(st, &rq), CS_OK);
	struct request_event re = {.id = 5, .request_id = 12,
				   .at = 1772413260, .actor = Z("li.ming"),
				   .action = Z("answer"), .from_state = 2,
				   .to_state = 4, .department_id = 3,
				   .text = Z("已修复")};
	assert_int_equal(st->ops->add_request_event(st, &re), CS_OK);
	struct request_stat rs = {.month = 202603, .department_id = 3,
				  .service = Z("heating"), .received = 1,
				  .answered = 1, .open_delta = 1};
	assert_int_equal(st->ops->add_request_stat(st, &rs), CS_OK);
	/* The pipeline: ids that are not the next, NaN coordinates, a
	 * report's and a phase change's time as written then. */
	struct programme pm = {.id = 4, .code = "OLD", .name = "老旧小区改造",
			       .first_year = 2021, .last_year = 2025,
			       .communities = 566, .floor_area = NAN,
			       .source = "seed:L25", .sample = 0};
	assert_int_equal(st->ops->put_programme(st, &pm), CS_OK);
	struct project pr = {.id = 6, .code = "P1", .name = "风电",
			     .cluster = "new_energy", .area_id = 9,
			     .department_id = 3, .total = 23, .phase = 3,
			     .planned_start = "2025-03-01", .lon = NAN,
			     .lat = 41.1, .programme = "OLD", .sample = 1};
	assert_int_equal(st->ops->put_project(st, &pr), CS_OK);
	struct project_plan pl = {6, 2025, 12.5, 1};
	assert_int_equal(st->ops->put_project_plan(st, &pl), CS_OK);
	struct milestone ms = {6, "吊装", "2025-08-31", "", 1};
	assert_int_equal(st->ops->put_milestone(st, &ms), CS_OK);
	struct project_report rp = {.project_id = 6, .month = MI(2025, 9),
				    .investment = 1.5, .progress = NAN,
				    .note = "", .actor = "li.ming",
				    .at = "2025-10-02T09:00:00Z"};
	assert_int_equal(st->ops->put_project_report(st, &rp), CS_OK);
	struct phase_change pc = {.id = 8, .project_id = 6, .from = -1,
				  .to = 3, .date = "2025-03-10", .reason = "",
				  .actor = "cli", .at = "2025-03-11T00:00:00Z"};
	assert_int_equal(st->ops->add_phase_change(st, &pc), CS_OK);
	assert_int_equal(pc.id, 8);
	struct community cm = {.programme_id = 4, .name = "小区一",
			       .area_id = 9, .buildings = 16,
			       .floor_area = NAN, .started = "2022-05-01",
			       .finished = "", .progress = 40, .sample = 1};
	assert_int_equal(st->ops->put_community(st, &cm), CS_OK);
	struct project_note pn = {.id = 12, .project_id = 6,
				  .author = "督查室", .day = "2026-06-01",
				  .text = "请说明进度", .due = "2026-06-10",
				  .answer = "", .answered_by = "",
				  .answered_on = ""};
	assert_int_equal(st->ops->put_project_note(st, &pn), CS_OK);
	assert_int_equal(pn.id, 12);
	/* Two entries of a chain that holds, one with NULLs. */
	struct audit_entry e1 = {.id = 1, .at = "2025-10-01T08:00:00.000Z",
				 .actor = "cli", .action = "import",
				 .object = "v.csv", .after = "{\"rows\":1}"};
	assert_int_equal(secret_init(), CS_OK);
	audit_hash(&e1);
	struct audit_entry e2 = {.id = 2, .at = "2025-10-01T08:00:01.000Z",
				 .actor = "li.ming", .action = "set",
				 .object = "FAI/210726/2025-03",
				 .before = "{}", .after = "{}",
				 .request_id = "req-1"};
	memcpy(e2.prev_hash, e1.hash, sizeof e2.prev_hash);
	audit_hash(&e2);
	assert_int_equal(st->ops->add_audit(st, &e1), CS_OK);
	assert_int_equal(st->ops->add_audit(st, &e2), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	store_close(st);
}

/* ---- the city as text: every row of every table, sorted --------------- */

static int d_meta(void *f, const char *key, const char *value)
{
	fprintf(f, "meta %s=%s\n", key, value);
	return CS_OK;
}

static int d_area(void *f, const struct area *a)
{
	fprintf(f, "area %d %s %s %s %d %d %d\n", a->id, a->code, a->name,
		a->name_en, a->parent_id, a->level, a->kind);
	return CS_OK;
}

static int d_department(void *f, const struct department *d)
{
	fprintf(f, "department %d %s %s %s\n", d->id, d->code, d->name,
		d->name_en);
	return CS_OK;
}

static int d_indicator(void *f, const struct indicator *i)
{
	fprintf(f, "indicator %d %s %s %s %s %d %d %d %d %d %d %s %s %d %.17g"
		   " %.17g %.17g %s %.17g %d\n",
		i->id, i->code, i->name, i->name_en, i->unit, i->pillar,
		i->frequency, i->time_agg, i->area_agg, i->direction,
		i->department_id, i->source, i->formula, i->decimals,
		i->weight, i->min, i->max, i->part_of, i->max_jump,
		i->published);
	return CS_OK;
}

static int d_change(void *f, const struct value_change *c)
{
	fprintf(f, "change %ld %s %s %s\n", c->change_id, c->at, c->actor,
		c->what);
	return CS_OK;
}

static int d_series(void *f, const struct series *s)
{
	fprintf(f, "series %d %d %d %d", s->indicator_id, s->area_id,
		s->first_month, s->n);
	for (int k = 0; k < s->n; k++) {
		uint64_t bits;
		memcpy(&bits, &s->value[k], sizeof bits);
		fprintf(f, " %016llx/%d/%u", (unsigned long long)bits,
			s->flags[k], s->change[k]);
	}
	fputc('\n', f);
	return CS_OK;
}

static int d_comment(void *f, int i, int a, int m, const char *comment)
{
	fprintf(f, "comment %d %d %d %s\n", i, a, m, comment);
	return CS_OK;
}

static int d_history(void *f, const struct history_row *h)
{
	fprintf(f, "history %ld %d %d %d %ld %ld %.17g %.17g %d %d %s\n",
		h->id, h->indicator_id, h->area_id, h->month, h->c.change_id,
		h->c.prev_change, h->c.before, h->c.after, h->c.state_before,
		h->c.state_after, h->c.comment ? h->c.comment : "(null)");
	return CS_OK;
}

static int d_target(void *f, const struct target *t)
{
	fprintf(f, "target %d %d %d %d %.17g %d\n", t->indicator_id,
		t->area_id, t->year, t->kind, t->value, t->sample);
	return CS_OK;
}

static int d_benchmark(void *f, const struct benchmark *b)
{
	fprintf(f, "benchmark %d %s %d %d %d %.17g %d\n", b->indicator_id,
		b->group, b->month, b->kind, b->measure, b->value, b->sample);
	return CS_OK;
}

static int d_user(void *f, const struct user *u)
{
	fprintf(f, "user %d %s %d %d %d %s %d %d %ld %s\n", u->id, u->name,
		u->role, u->department_id, u->area_id, u->password,
		u->disabled, u->failed, u->locked_until, u->created);
	return CS_OK;
}

static int d_session(void *f, const struct session *s)
{
	char hex[2 * SESSION_HASH + 1];
	secret_hex(hex, s->hash, SESSION_HASH);
	fprintf(f, "session %s %d %d %s %ld %ld %ld %s\n", hex, s->user_id,
		s->kind, s->csrf, s->created, s->last_seen, s->expires,
		s->label);
	return CS_OK;
}

static const char *opt(const char *z)
{
	return z ? z : "(null)";
}

static int d_audit(void *f, const struct audit_entry *e)
{
	char prev[2 * SESSION_HASH + 1], hash[2 * SESSION_HASH + 1];
	secret_hex(prev, e->prev_hash, SESSION_HASH);
	secret_hex(hash, e->hash, SESSION_HASH);
	fprintf(f, "audit %ld %s %s %s %s %s %s %s %s %s\n", e->id, e->at,
		e->actor, e->action, e->object, opt(e->before), opt(e->after),
		opt(e->request_id), prev, hash);
	return CS_OK;
}

static int d_programme(void *f, const struct programme *p)
{
	fprintf(f, "programme %d %s %s %d %d %d %d %d %.17g %s %d\n", p->id,
		p->code, p->name, p->first_year, p->last_year, p->communities,
		p->buildings, p->households, p->floor_area, p->source,
		p->sample);
	return CS_OK;
}

static int d_project(void *f, const struct project *p)
{
	fprintf(f, "project %d %s %s %s %d %d %d %s %.17g %d %s %s %s %s %s "
		   "%.17g %.17g %s %s %d %s\n",
		p->id, p->code, p->name, p->cluster, p->type, p->area_id,
		p->department_id, p->leader, p->total, p->phase,
		p->planned_start, p->planned_finish, p->actual_start,
		p->actual_finish, p->address, p->lon, p->lat, p->issues,
		p->programme, p->sample, p->source);
	return CS_OK;
}

static int d_plan(void *f, const struct project_plan *p)
{
	fprintf(f, "plan %d %d %.17g %d\n", p->project_id, p->year,
		p->amount, p->sample);
	return CS_OK;
}

static int d_project_milestone(void *f, const struct milestone *m)
{
	fprintf(f, "milestone %d %s %s %s %d\n", m->project_id, m->name,
		m->due, m->done, m->sample);
	return CS_OK;
}

static int d_report(void *f, const struct project_report *r)
{
	fprintf(f, "report %d %d %.17g %.17g %s %s %s %d\n", r->project_id,
		r->month, r->investment, r->progress, r->note, r->actor, r->at,
		r->sample);
	return CS_OK;
}

static int d_phase(void *f, const struct phase_change *c)
{
	fprintf(f, "phase %ld %d %d %d %s %s %s %s\n", c->id, c->project_id,
		c->from, c->to, c->date, c->reason, c->actor, c->at);
	return CS_OK;
}

static int d_community(void *f, const struct community *c)
{
	fprintf(f, "community %d %s %d %d %d %.17g %s %s %.17g %d\n",
		c->programme_id, c->name, c->area_id, c->buildings,
		c->households, c->floor_area, c->started, c->finished,
		c->progress, c->sample);
	return CS_OK;
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every row of the database at target as a line, the lines sorted (the
 * scans of some tables have no order); the caller frees it. */
static int d_task_list(void *f, const struct task_list *l)
{
	fprintf(f, "task_list %d %s %d %s %s %s %d\n", l->id, l->code, l->year,
		l->name, l->kind, l->source, l->sample);
	return CS_OK;
}

static int d_task(void *f, const struct task *t)
{
	fprintf(f, "task %d %s %d %s %d %s %s %.17g %s %.17g %d %s %s %d\n",
		t->id, t->code, t->list_id, t->title, t->department_id,
		t->leader, t->deadline, t->target, t->unit, t->achieved,
		t->status, t->done_on, t->source, t->sample);
	return CS_OK;
}

static int d_milestone(void *f, const struct task_milestone *m)
{
	fprintf(f, "task_milestone %d %d %s %s %s\n", m->task_id, m->seq,
		m->name, m->due, m->done_on);
	return CS_OK;
}

static int d_task_report(void *f, const struct task_report *r)
{
	fprintf(f, "task_report %d %d %s %s %.17g %s %d\n", r->id, r->task_id,
		r->day, r->text, r->achieved, r->actor, r->sample);
	return CS_OK;
}

static int d_task_note(void *f, const struct task_note *n)
{
	fprintf(f, "task_note %d %d %s %s %s %s %s %s %s\n", n->id, n->task_id,
		n->author, n->day, n->text, n->due, n->answer, n->answered_by,
		n->answered_on);
	return CS_OK;
}

static int d_project_note(void *f, const struct project_note *n)
{
	fprintf(f, "project_note %d %d %s %s %s %s [%s] [%s] [%s]\n", n->id,
		n->project_id, n->author, n->day, n->text, n->due, n->answer,
		n->answered_by, n->answered_on);
	return CS_OK;
}

static int d_holiday(void *f, const struct holiday *h)
{
	fprintf(f, "holiday %s %s %s %s\n", h->date, h->kind, h->name,
		h->source);
	return CS_OK;
}

static int d_service(void *f, const struct service *s)
{
	fprintf(f, "service %s %s %s %s %s %d %d %d %s %s %d %s\n", s->code,
		s->name, s->name_en, s->group, s->department, s->dispatch_days,
		s->answer_days, s->answer_hours, s->keywords, s->description,
		s->public, s->source);
	return CS_OK;
}

static int d_request(void *f, const struct request *r)
{
	fprintf(f, "request %ld %s %s %s %d %s %g %g %s %d %ld %s %d %d\n",
		r->id, r->ref, r->token, r->service, r->state, r->address,
		r->lat, r->lon, r->channel, r->department_id, r->received,
		r->answer, r->resolved, r->sample);
	return CS_OK;
}

static int d_request_event(void *f, const struct request_event *e)
{
	fprintf(f, "event %ld %ld %ld %s %s %d %d %d %s\n", e->id,
		e->request_id, e->at, e->actor, e->action, e->from_state,
		e->to_state, e->department_id, e->text);
	return CS_OK;
}

static int d_request_stat(void *f, const struct request_stat *s)
{
	fprintf(f, "stat %d %d %d %s %ld %ld %ld\n", s->month,
		s->department_id, s->area_id, s->service, s->received,
		s->answered, s->open_delta);
	return CS_OK;
}

static char *dump(const char *target)
{
	struct store *st;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(store_open(target, STORE_READONLY, &st), CS_OK);
	const struct store_ops *o = st->ops;
	assert_int_equal(o->scan_meta(st, d_meta, f), CS_OK);
	assert_int_equal(o->scan_areas(st, d_area, f), CS_OK);
	assert_int_equal(o->scan_departments(st, d_department, f), CS_OK);
	assert_int_equal(o->scan_indicators(st, d_indicator, f), CS_OK);
	assert_int_equal(o->scan_changes(st, d_change, f), CS_OK);
	assert_int_equal(o->scan_series(st, d_series, f), CS_OK);
	assert_int_equal(o->scan_comments(st, d_comment, f), CS_OK);
	assert_int_equal(o->scan_history_rows(st, d_history, f), CS_OK);
	assert_int_equal(o->scan_targets(st, d_target, f), CS_OK);
	assert_int_equal(o->scan_benchmarks(st, d_benchmark, f), CS_OK);
	assert_int_equal(o->scan_users(st, d_user, f), CS_OK);
	assert_int_equal(o->scan_sessions(st, d_session, f), CS_OK);
	assert_int_equal(o->scan_task_lists(st, d_task_list, f), CS_OK);
	assert_int_equal(o->scan_tasks(st, 0, d_task, f), CS_OK);
	assert_int_equal(o->scan_task_milestones(st, 0, d_milestone, f), CS_OK);
	assert_int_equal(o->scan_task_reports(st, 0, d_task_report, f), CS_OK);
	assert_int_equal(o->scan_task_notes(st, 0, d_task_note, f), CS_OK);
	assert_int_equal(o->scan_holidays(st, d_holiday, f), CS_OK);
	assert_int_equal(o->scan_services(st, d_service, f), CS_OK);
	struct request_filter rf = {.states = (1u << REQ_NSTATE) - 1,
				    .sort = REQ_SORT_ID};
	assert_int_equal(o->scan_requests(st, &rf, d_request, f, NULL), CS_OK);
	assert_int_equal(o->scan_request_events(st, 0, d_request_event, f),
			 CS_OK);
	struct request_stat_query sq = {.by = REQ_STAT_ROW};
	assert_int_equal(o->sum_request_stats(st, &sq, d_request_stat, f),
			 CS_OK);
	assert_int_equal(o->scan_audit(st, 0, 0, d_audit, f), CS_OK);
	assert_int_equal(o->scan_programmes(st, d_programme, f), CS_OK);
	assert_int_equal(o->scan_projects(st, d_project, f), CS_OK);
	assert_int_equal(o->scan_project_plans(st, d_plan, f), CS_OK);
	assert_int_equal(o->scan_milestones(st, d_project_milestone, f), CS_OK);
	assert_int_equal(o->scan_project_reports(st, d_report, f), CS_OK);
	assert_int_equal(o->scan_phase_changes(st, d_phase, f), CS_OK);
	assert_int_equal(o->scan_communities(st, d_community, f), CS_OK);
	assert_int_equal(o->scan_project_notes(st, 0, d_project_note, f),
			 CS_OK);
	store_close(st);
	assert_int_equal(fclose(f), 0);
	char **lines = NULL, *p = buf;
	size_t n = 0;
	for (char *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = '\0';
		lines = realloc(lines, (n + 1) * sizeof *lines);
		assert_non_null(lines);
		lines[n++] = p;
	}
	/* qsort may not be given NULL, even with no lines to sort. */
	if (n)
		qsort(lines, n, sizeof *lines, cmp_line);
	char *out = calloc(1, len + 2), *q = out;
	assert_non_null(out);
	for (size_t k = 0; k < n; k++)
		q += sprintf(q, "%s\n", lines[k]);
	free(lines);
	free(buf);
	return out;
}

/* migrate_copy from target from into target to, opening both as
 * civstat migrate does. */
static int copy(const char *from, const char *to, struct migrate_report *r)
{
	struct store *src, *dst;
	assert_int_equal(store_open(from, STORE_READONLY, &src), CS_OK);
	assert_int_equal(store_open(to, STORE_CREATE, &dst), CS_OK);
	int rc = migrate_copy(src, dst, r);
	store_close(dst);
	store_close(src);
	return rc;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	fixture_mkdtemp(fx->dir, "test_migrate");
	fixture_path(fx->src, sizeof fx->src, fx->dir, "src.db");
	fixture_db(fx->mid, sizeof fx->mid, fx->dir, "mid.db");
	fixture_path(fx->back, sizeof fx->back, fx->dir, "back.db");
	write_city(fx->src);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	fixture_rmdir(fx->dir);
	free(fx);
	return 0;
}

/* ---- the tests -------------------------------------------------------- */

/* There and back: every row as it was, the report counting each table. */
static void test_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct migrate_report r;
	char *want = dump(fx->src);
	assert_int_equal(copy(fx->src, fx->mid, &r), CS_OK);
	assert_int_equal(r.copied[MIGRATE_AREA], 2);
	assert_int_equal(r.copied[MIGRATE_CHANGE], 2);
	assert_int_equal(r.copied[MIGRATE_HISTORY], 2);
	assert_int_equal(r.copied[MIGRATE_USER], 2);
	assert_int_equal(r.copied[MIGRATE_SESSION], 1);
	assert_int_equal(r.copied[MIGRATE_AUDIT], 2);
	assert_int_equal(r.copied[MIGRATE_PROJECT_NOTE], 1);
	for (int t = 0; t < MIGRATE_NTABLES; t++) {
		assert_true(r.copied[t] > 0);
		assert_int_equal(r.found[t], r.copied[t]);
	}
	assert_int_equal(r.audit_checked, 2);
	assert_int_equal(r.head_id, 2);
	char *mid = dump(fx->mid);
	assert_string_equal(mid, want);
	assert_int_equal(copy(fx->mid, fx->back, &r), CS_OK);
	char *back = dump(fx->back);
	assert_string_equal(back, want);
	free(want);
	free(mid);
	free(back);
}

/* New writes after the copy take the ids after the copied ones. */
static void test_ids_continue(void **state)
{
	struct fixture *fx = *state;
	struct migrate_report r;
	struct store *st;
	long change;
	assert_int_equal(copy(fx->src, fx->mid, &r), CS_OK);
	assert_int_equal(store_open(fx->mid, 0, &st), CS_OK);
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->add_change(st, "cli", "later", &change),
			 CS_OK);
	struct user u = {.name = Z("new"), .password = Z("x")};
	assert_int_equal(st->ops->put_user(st, &u), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	store_close(st);
	assert_int_equal(change, 3);
	assert_int_equal(u.id, 3);
}

/* A destination holding a row is refused, and keeps what it held. */
static void test_refuses_a_city(void **state)
{
	struct fixture *fx = *state;
	struct migrate_report r;
	assert_int_equal(copy(fx->src, fx->mid, &r), CS_OK);
	char *before = dump(fx->mid);
	assert_int_equal(copy(fx->src, fx->mid, &r), CS_EEXIST);
	assert_non_null(strstr(cs_errmsg(), "holds a city already"));
	char *after = dump(fx->mid);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

/* Changes src's file with sql, as someone with the file could. */
static void tamper(const char *file, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* A source whose chain was altered is not copied; one that fails
 * half-way (a damaged series, found when it is read) leaves nothing. */
static void test_nothing_stays(void **state)
{
	struct fixture *fx = *state;
	struct migrate_report r;
	char *empty;
	struct store *st;
	assert_int_equal(store_open(fx->mid, STORE_CREATE, &st), CS_OK);
	store_close(st);
	empty = dump(fx->mid);
	tamper(fx->src, "UPDATE series SET n = n + 1");
	assert_int_equal(copy(fx->src, fx->mid, &r), CS_ESTORE);
	assert_non_null(strstr(cs_errmsg(), "is damaged"));
	char *after = dump(fx->mid);
	assert_string_equal(after, empty);
	free(after);
	tamper(fx->src, "UPDATE series SET n = n - 1;"
			"UPDATE audit SET actor = 'x' WHERE id = 1");
	assert_int_equal(copy(fx->src, fx->mid, &r), CS_ECONFLICT);
	assert_non_null(strstr(cs_errmsg(), "the source's audit chain does "
					    "not hold: audit entry 1"));
	after = dump(fx->mid);
	assert_string_equal(after, empty);
	free(after);
	free(empty);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_round_trip),
		T(test_ids_continue),
		T(test_refuses_a_city),
		T(test_nothing_stays),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
