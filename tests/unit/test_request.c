/*
 * The residents' requests (domain/request.c) over a real database: intake
 * checks that name the field and store nothing, deadlines on the working-
 * day calendar (a 调休 Saturday, 春节, heating in hours), every step from
 * every state, who may take it, duplicates and reopening, and the tallies:
 * every rate equal to a count by hand over the requests, the open count
 * month by month.
 */
#include "fixture.h"

#include "core/workday.h"
#include "domain/holiday.h"
#include "domain/request.h"
#include "domain/service.h"
#include "domain/values.h"

struct fx {
	char dir[FIXTURE_DIR];
	char db[FIXTURE_PATH];
	struct civstat *cs;
	int zjj, zrj, cgj; /* department ids */
	int guta, linghe;  /* area ids */
};

static const struct task_who REVIEWER = {ROLE_REVIEWER, 0};
static const struct task_who LEADER = {ROLE_LEADER, 0};
static const struct task_who PUBLIC = {ROLE_PUBLIC, 0};

/* The moment y-m-d h:mi in Shanghai. */
static long at(int y, int m, int d, int h, int mi)
{
	return (long)workday_start_of(workday_day(y, m, d)) + h * 3600 +
	       mi * 60;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	char dep[FIXTURE_PATH], area[FIXTURE_PATH], ind[FIXTURE_PATH],
		svc[FIXTURE_PATH];
	struct import_report r = {0};
	struct import_opts o = {0};
	long rows;
	assert_non_null(fx);
	fixture_mkdtemp(fx->dir, "test_request");
	fixture_db(fx->db, sizeof fx->db, fx->dir, "request.db");
	assert_int_equal(civstat_open(fx->db, STORE_CREATE, &fx->cs), CS_OK);
	write_file(fx->dir, "departments.csv",
		   "code,name\nZJJ,住建局\nZRJ,自然资源局\nCGJ,城管局\n", dep);
	write_file(fx->dir, "areas.csv",
		   "code,name,name_en,parent,kind\n210700,锦州市,Jinzhou,,"
		   "admin\n210702,古塔区,Guta,210700,admin\n210703,凌河区,"
		   "Linghe,210700,admin\n",
		   area);
	write_file(fx->dir, "indicators.csv",
		   "code,name,name_en,unit,pillar,frequency,time_agg,"
		   "area_agg,direction,department,source,formula,decimals\n"
		   "REQ_RESOLVE,群众诉求解决率,Resolution,%,stable,month,"
		   "last,none,up,,requests,,1\n"
		   "REQ_SATISFY,群众满意率,Satisfaction,%,stable,month,last,"
		   "none,up,,requests,,1\n"
		   "REQ_ONTIME,按时办结率,On time,%,stable,month,last,none,"
		   "up,,requests,,1\n",
		   ind);
	const char *files[] = {dep, area, ind};
	fixture_import_ok(import_files(fx->cs, files, 3, &o, &r), &r,
			  "catalogue");
	import_report_release(&r);
	write_file(fx->dir, "services.csv",
		   "code,name,department,dispatch_days,answer_days,"
		   "answer_hours,public\nheating,供暖,ZJJ,0,0,24,1\n"
		   "certificate,办证,ZRJ,1,5,0,1\n"
		   "internal,内部,CGJ,1,5,0,0\n",
		   svc);
	const char *sv[] = {svc};
	assert_int_equal(service_csv_import(fx->cs, sv, 1, 0, &rows), CS_OK);
	const char *hol[] = {"data/demo/holidays.csv"};
	assert_int_equal(holiday_csv_import(fx->cs, hol, 1, 0, &rows), CS_OK);
	fx->zjj = fx->cs->cat.depts[ID(fx->cs, "ZJJ")].id;
	fx->zrj = fx->cs->cat.depts[ID(fx->cs, "ZRJ")].id;
	fx->cgj = fx->cs->cat.depts[ID(fx->cs, "CGJ")].id;
	fx->guta = fx->cs->cat.areas[IA(fx->cs, "210702")].id;
	fx->linghe = fx->cs->cat.areas[IA(fx->cs, "210703")].id;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	civstat_close(fx->cs);
	fixture_rmdir(fx->dir);
	free(fx);
	return 0;
}

/* A good request of service at area, received at now; its id. */
static long submit(struct fx *fx, const char *service, int area, long now)
{
	struct request r = {
		.service = (char *)service,
		.description = (char *)"暖气不热，室温只有十二度",
		.address = (char *)"古塔区士英街12号",
		.area_id = area,
		.lat = NAN,
		.lon = NAN,
		.contact_phone = (char *)"138-0000 0000",
	};
	int rc = request_submit(fx->cs, &r, 0, "resident", now);
	if (rc)
		fail_msg("submit: %s", cs_errmsg());
	long id = r.id;
	assert_int_equal(strlen(r.token), 32);
	request_release(&r);
	return id;
}

static int act(struct fx *fx, long id, int action, long now)
{
	struct request_step s = {
		.action = action,
		.text = "已联系居民并处理",
		.resolved = 1,
		.satisfaction = REQ_SAT_SATISFIED,
	};
	return request_act(fx->cs, id, &s, &REVIEWER, now, NULL);
}

static struct request get(struct fx *fx, long id)
{
	struct request r;
	assert_int_equal(request_get(fx->cs->st, id, NULL, &r), CS_OK);
	return r;
}

static long count_all(struct fx *fx)
{
	struct request_filter f = {.states = (1u << REQ_NSTATE) - 1};
	long n = -1;
	assert_int_equal(request_list(fx->cs->st, &f, NULL, NULL, &n), CS_OK);
	return n;
}

static void test_intake_refusals(void **state)
{
	struct fx *fx = *state;
	static char big[REQUEST_MAX_DESC + 2];
	memset(big, 'x', sizeof big - 1);
	static const struct {
		const char *service, *desc, *address, *media, *phone;
		double lat, lon;
		int area;
		int rc;
		const char *field;
	} cases[] = {
		{"nosuch", "d", "a", "", "", NAN, NAN, 0, CS_ENOTFOUND,
		 "service"},
		{"internal", "d", "a", "", "", NAN, NAN, 0, CS_ENOTFOUND,
		 "service"}, /* not public */
		{"", "d", "a", "", "", NAN, NAN, 0, CS_EINVAL, "service"},
		{"heating", "", "a", "", "", NAN, NAN, 0, CS_EINVAL,
		 "description"},
		{"heating", big, "a", "", "", NAN, NAN, 0, CS_EINVAL,
		 "description"},
		{"heating", "d", "", "", "", NAN, NAN, 0, CS_EINVAL,
		 "address"},
		{"heating", "d", "", "", "", 41.1, NAN, 0, CS_EINVAL, "lon"},
		{"heating", "d", "", "", "", 91, 121, 0, CS_EINVAL, "lat"},
		{"heating", "d", "a", "", "", NAN, NAN, 999, CS_ENOTFOUND,
		 "area"},
		{"heating", "d", "a", "ftp://x/y.jpg", "", NAN, NAN, 0,
		 CS_EINVAL, "media_url"},
		{"heating", "d", "a",
		 "http://a/1\nhttp://a/2\nhttp://a/3\nhttp://a/4\nhttp://a/5\n"
		 "http://a/6",
		 "", NAN, NAN, 0, CS_EINVAL, "media_url"},
		{"heating", "d", "a", "", "call me", NAN, NAN, 0, CS_EINVAL,
		 "contact_phone"},
	};
	big[REQUEST_MAX_DESC] = 'x';
	for (size_t k = 0; k < NELEM(cases); k++) {
		struct request r = {
			.service = (char *)cases[k].service,
			.description = (char *)cases[k].desc,
			.address = (char *)cases[k].address,
			.media_url = (char *)cases[k].media,
			.contact_phone = (char *)cases[k].phone,
			.lat = cases[k].lat,
			.lon = cases[k].lon,
			.area_id = cases[k].area,
		};
		int rc = request_submit(fx->cs, &r, 0, "resident",
					at(2026, 3, 2, 9, 0));
		if (rc != cases[k].rc || !request_errfield() ||
		    strcmp(request_errfield(), cases[k].field))
			fail_msg("case %zu: rc %d field %s (%s)", k, rc,
				 request_errfield() ? request_errfield() : "-",
				 cs_errmsg());
	}
	assert_int_equal(count_all(fx), 0);
	/* Staff may file under a service that is not public; a point will
	 * do for a place. */
	struct request r = {.service = (char *)"internal",
			    .description = (char *)"内部转办",
			    .lat = 41.1,
			    .lon = 121.1};
	assert_int_equal(request_submit(fx->cs, &r, 0, "admin",
					at(2026, 3, 2, 9, 0)),
			 CS_OK);
	assert_string_equal(r.channel, "web");
	assert_int_equal(r.state, REQ_RECEIVED);
	request_release(&r);
	assert_int_equal(count_all(fx), 1);
}

static void test_deadlines(void **state)
{
	struct fx *fx = *state;
	/* Friday 13 February 2026, before 春节: one working day to
	 * dispatch is the 调休 Saturday the 14th, due at its end. */
	long t = at(2026, 2, 13, 10, 0);
	long id = submit(fx, "certificate", fx->guta, t);
	struct request r = get(fx, id);
	assert_int_equal(r.dispatch_due, at(2026, 2, 15, 0, 0));
	request_release(&r);
	/* Dispatched on the Saturday: contact within one working day (the
	 * 24th, after the holiday), answer within five: 24, 25, 26, 27 and
	 * the 调休 Saturday 28th. */
	long d = at(2026, 2, 14, 16, 0);
	assert_int_equal(act(fx, id, REQ_ACT_DISPATCH, d), CS_OK);
	r = get(fx, id);
	assert_int_equal(r.department_id, fx->zrj);
	assert_int_equal(r.response_due, at(2026, 2, 25, 0, 0));
	assert_int_equal(r.answer_due, at(2026, 3, 1, 0, 0));
	assert_false(request_overdue(&r, at(2026, 2, 28, 23, 0)));
	assert_true(request_overdue(&r, at(2026, 3, 1, 0, 1)));
	request_release(&r);
	/* Heating: 24 clock hours from receipt, through the holiday. */
	id = submit(fx, "heating", fx->guta, at(2026, 2, 16, 20, 0));
	r = get(fx, id);
	/* No working day to dispatch: by the end of the first one. */
	assert_int_equal(r.dispatch_due, at(2026, 2, 25, 0, 0));
	request_release(&r);
	assert_int_equal(act(fx, id, REQ_ACT_DISPATCH, at(2026, 2, 16, 21, 0)),
			 CS_OK);
	r = get(fx, id);
	assert_int_equal(r.answer_due, at(2026, 2, 17, 20, 0));
	request_release(&r);
}

/* A request brought to state s (a closed one by the follow-up). */
static long in_state(struct fx *fx, int s, long t)
{
	long id;
	static const int path[][4] = {
		[REQ_RECEIVED] = {-1},
		[REQ_DISPATCHED] = {REQ_ACT_DISPATCH, -1},
		[REQ_IN_PROGRESS] = {REQ_ACT_DISPATCH, REQ_ACT_ACCEPT, -1},
		[REQ_ANSWERED] = {REQ_ACT_DISPATCH, REQ_ACT_ANSWER, -1},
		[REQ_CLOSED] = {REQ_ACT_DISPATCH, REQ_ACT_ANSWER,
				REQ_ACT_FOLLOWUP, -1},
	};
	if (s == REQ_HELD) {
		struct request r = {.service = (char *)"certificate",
				    .description = (char *)"待审",
				    .address = (char *)"某街",
				    .lat = NAN,
				    .lon = NAN};
		assert_int_equal(request_submit(fx->cs, &r, 1, "resident", t),
				 CS_OK);
		id = r.id;
		request_release(&r);
		return id;
	}
	id = submit(fx, "certificate", fx->guta, t);
	for (int k = 0; path[s][k] >= 0; k++)
		assert_int_equal(act(fx, id, path[s][k], t + 60 * (k + 1)),
				 CS_OK);
	return id;
}

/* Keeps the actions of the timeline. */
static int each(void *ctx, const struct request_event *e)
{
	struct {
		int n;
		char a[8][16];
	} *ev = ctx;
	if (ev->n < 8)
		snprintf(ev->a[ev->n], 16, "%s", e->action);
	ev->n++;
	return CS_OK;
}

static void test_every_step(void **state)
{
	struct fx *fx = *state;
	/* allowed[action] is the states it may start from. */
	static const char *const allowed[REQ_NACT] = {
		[REQ_ACT_APPROVE] = "H",     [REQ_ACT_REJECT] = "H",
		[REQ_ACT_DISPATCH] = "RD",   [REQ_ACT_RETURN] = "D",
		[REQ_ACT_ACCEPT] = "D",	     [REQ_ACT_ANSWER] = "DP",
		[REQ_ACT_FOLLOWUP] = "A",    [REQ_ACT_REOPEN] = "AC",
		[REQ_ACT_DUPLICATE] = "HRD", [REQ_ACT_SUPERVISE] = "RDPA",
		[REQ_ACT_NOTE] = "HRDPAC",
	};
	static const char letters[] = "HRDPAC";
	static const int to[REQ_NACT] = {
		REQ_RECEIVED, REQ_CLOSED, REQ_DISPATCHED, REQ_RECEIVED,
		REQ_IN_PROGRESS, REQ_ANSWERED, REQ_CLOSED, REQ_DISPATCHED,
		REQ_CLOSED, -1, -1,
	};
	long t = at(2026, 3, 2, 9, 0);
	long orig = submit(fx, "certificate", fx->guta, t);
	for (int a = 0; a < REQ_NACT; a++) {
		for (int s = 0; s < REQ_NSTATE; s++) {
			long id = in_state(fx, s, t);
			struct request_step st = {
				.action = a,
				.text = "理由",
				.resolved = 0,
				.satisfaction = REQ_SAT_BASIC,
				.duplicate_of = orig,
			};
			int ok = strchr(allowed[a], letters[s]) != NULL;
			int rc = request_act(fx->cs, id, &st, &LEADER,
					     t + 3600, NULL);
			if (ok ? rc != CS_OK : rc != CS_ECONFLICT)
				fail_msg("%s from %s: rc %d (%s)",
					 request_action_name(a),
					 request_state_name(s), rc,
					 cs_errmsg());
			struct request r = get(fx, id);
			int want = ok && to[a] >= 0 ? to[a] : s;
			if (r.state != want)
				fail_msg("%s from %s: state %s",
					 request_action_name(a),
					 request_state_name(s),
					 request_state_name(r.state));
			request_release(&r);
		}
	}
	/* A forbidden jump changes nothing, not even the timeline. */
	long id = in_state(fx, REQ_RECEIVED, t);
	assert_int_equal(act(fx, id, REQ_ACT_FOLLOWUP, t + 3600),
			 CS_ECONFLICT);
	assert_string_equal(request_errfield(), "state");
	/* Steps without their fields name them. */
	struct request_step s = {.action = REQ_ACT_RETURN};
	assert_int_equal(act(fx, id, REQ_ACT_DISPATCH, t + 60), CS_OK);
	assert_int_equal(request_act(fx->cs, id, &s, &REVIEWER, t + 120, NULL),
			 CS_EINVAL);
	assert_string_equal(request_errfield(), "text");
	s = (struct request_step){.action = REQ_ACT_DISPATCH,
				  .department = "NOPE"};
	assert_int_equal(request_act(fx->cs, id, &s, &REVIEWER, t + 120, NULL),
			 CS_ENOTFOUND);
	assert_string_equal(request_errfield(), "department");
	assert_int_equal(act(fx, id, REQ_ACT_ANSWER, t + 180), CS_OK);
	s = (struct request_step){.action = REQ_ACT_FOLLOWUP, .resolved = 1};
	assert_int_equal(request_act(fx->cs, id, &s, &REVIEWER, t + 240, NULL),
			 CS_EINVAL);
	assert_string_equal(request_errfield(), "satisfaction");
	s.satisfaction = REQ_SAT_BASIC;
	s.resolved = 2;
	assert_int_equal(request_act(fx->cs, id, &s, &REVIEWER, t + 240, NULL),
			 CS_EINVAL);
	assert_string_equal(request_errfield(), "resolved");
	/* The timeline: submit, dispatch, answer, in order. */
	struct evs {
		int n;
		char a[8][16];
	} ev = {0};
	assert_int_equal(request_events(fx->cs->st, id, each, &ev), CS_OK);
	assert_int_equal(ev.n, 3);
	assert_string_equal(ev.a[0], "submit");
	assert_string_equal(ev.a[1], "dispatch");
	assert_string_equal(ev.a[2], "answer");
}

static void test_roles(void **state)
{
	struct fx *fx = *state;
	long t = at(2026, 3, 2, 9, 0);
	long id = in_state(fx, REQ_DISPATCHED, t); /* at ZRJ */
	struct task_who zrj = {ROLE_DEPARTMENT, fx->zrj};
	struct task_who zjj = {ROLE_DEPARTMENT, fx->zjj};
	struct request r = get(fx, id);
	assert_true(request_may_see(&zrj, &r));
	assert_false(request_may_see(&zjj, &r));
	assert_false(request_may_see(&PUBLIC, &r));
	request_release(&r);
	struct request_step s = {.action = REQ_ACT_ACCEPT};
	assert_int_equal(request_act(fx->cs, id, &s, &zjj, t + 3600, NULL),
			 CS_EPERM);
	assert_int_equal(request_act(fx->cs, id, &s, &PUBLIC, t + 3600, NULL),
			 CS_EPERM);
	s.action = REQ_ACT_SUPERVISE;
	s.text = "请加快办理";
	assert_int_equal(request_act(fx->cs, id, &s, &REVIEWER, t + 3600, NULL),
			 CS_EPERM);
	assert_int_equal(request_act(fx->cs, id, &s, &LEADER, t + 3600, NULL),
			 CS_OK);
	s.action = REQ_ACT_FOLLOWUP;
	assert_int_equal(request_act(fx->cs, id, &s, &zrj, t + 3600, NULL),
			 CS_EPERM);
	s = (struct request_step){.action = REQ_ACT_ACCEPT};
	struct request out;
	assert_int_equal(request_act(fx->cs, id, &s, &zrj, t + 3600, &out),
			 CS_OK);
	assert_int_equal(out.state, REQ_IN_PROGRESS);
	assert_int_equal(out.supervised, 1);
	request_release(&out);
	s = (struct request_step){.action = REQ_ACT_ANSWER, .text = "已办"};
	assert_int_equal(request_act(fx->cs, id, &s, &zrj, t + 7200, NULL),
			 CS_OK);
}

static void test_duplicates_reopen(void **state)
{
	struct fx *fx = *state;
	long t = at(2026, 3, 2, 9, 0);
	long a = submit(fx, "certificate", fx->guta, t);
	long b = submit(fx, "certificate", fx->guta, t + 60);
	long c = submit(fx, "certificate", fx->guta, t + 120);
	struct request_step s = {.action = REQ_ACT_DUPLICATE,
				 .duplicate_of = a};
	assert_int_equal(request_act(fx->cs, b, &s, &REVIEWER, t + 600, NULL),
			 CS_OK);
	/* A duplicate of a duplicate, or of itself, is refused. */
	s.duplicate_of = b;
	assert_int_equal(request_act(fx->cs, c, &s, &REVIEWER, t + 600, NULL),
			 CS_EINVAL);
	assert_string_equal(request_errfield(), "duplicate_of");
	s.duplicate_of = c;
	assert_int_equal(request_act(fx->cs, c, &s, &REVIEWER, t + 600, NULL),
			 CS_EINVAL);
	s.duplicate_of = 99999;
	assert_int_equal(request_act(fx->cs, c, &s, &REVIEWER, t + 600, NULL),
			 CS_ENOTFOUND);
	struct request_filter f = {.duplicate_of = a,
				   .states = 1u << REQ_CLOSED};
	long n = 0;
	assert_int_equal(request_list(fx->cs->st, &f, NULL, NULL, &n), CS_OK);
	assert_int_equal(n, 1);
	/* Reopened after the follow-up: back at its department with new
	 * deadlines, the follow-up forgotten until the next one. */
	assert_int_equal(act(fx, a, REQ_ACT_DISPATCH, t + 700), CS_OK);
	assert_int_equal(act(fx, a, REQ_ACT_ANSWER, t + 800), CS_OK);
	assert_int_equal(act(fx, a, REQ_ACT_FOLLOWUP, t + 900), CS_OK);
	long re = at(2026, 3, 6, 10, 0); /* a Friday */
	assert_int_equal(act(fx, a, REQ_ACT_REOPEN, re), CS_OK);
	struct request r = get(fx, a);
	assert_int_equal(r.state, REQ_DISPATCHED);
	assert_int_equal(r.reopened, 1);
	assert_int_equal(r.followed, 0);
	assert_int_equal(r.resolved, -1);
	assert_int_equal(r.department_id, fx->zrj);
	assert_int_equal(r.response_due, at(2026, 3, 10, 0, 0));
	assert_int_equal(r.answer_due, at(2026, 3, 14, 0, 0));
	request_release(&r);
}

/* ---- the tallies against a count by hand ------------------------------ */

struct hand {
	long now;
	int month; /* received in this month only */
	long received, dispatched, resp_ok, answered, ans_ok, followed,
		resolved, sat, basic, reopened, closed, open, dups;
};

static int count(void *ctx, const struct request *r)
{
	struct hand *h = ctx;
	int counted = r->state != REQ_HELD &&
		      r->outcome != REQ_OUT_REJECTED &&
		      r->outcome != REQ_OUT_DUPLICATE;
	if (r->outcome == REQ_OUT_DUPLICATE)
		h->dups++;
	if (!counted)
		return CS_OK;
	h->received++;
	h->dispatched += r->dispatched > 0;
	h->resp_ok += r->accepted && r->accepted <= r->response_due;
	h->answered += r->answered > 0;
	h->ans_ok += r->answered && r->answered <= r->answer_due;
	h->followed += r->followed > 0;
	h->resolved += r->followed && r->resolved == 1;
	h->sat += r->followed && r->satisfaction == REQ_SAT_SATISFIED;
	h->basic += r->followed && r->satisfaction == REQ_SAT_BASIC;
	h->reopened += r->reopened > 0;
	h->closed += r->state == REQ_CLOSED;
	h->open += r->state >= REQ_RECEIVED && r->state <= REQ_ANSWERED;
	return CS_OK;
}

static void test_tallies(void **state)
{
	struct fx *fx = *state;
	/* Forty requests over January to March, steps drawn from a fixed
	 * sequence: some late, some dissatisfied, duplicates, rejects. */
	unsigned seed = 7;
	long ids[40];
	for (int k = 0; k < 40; k++) {
		seed = seed * 1103515245u + 12345u;
		int m = 1 + k % 3, d = 5 + (int)(seed >> 16) % 20;
		long t = at(2026, m, d, 9, 0);
		int area = k % 2 ? fx->guta : fx->linghe;
		const char *svc = k % 5 ? "certificate" : "heating";
		if (k % 13 == 12) {
			ids[k] = in_state(fx, REQ_HELD, t);
			if (k % 2)
				assert_int_equal(act(fx, ids[k], REQ_ACT_REJECT,
						     t + 10),
						 CS_OK);
			continue;
		}
		ids[k] = submit(fx, svc, area, t);
		if (k % 11 == 10) {
			struct request_step s = {.action = REQ_ACT_DUPLICATE,
						 .duplicate_of = ids[0]};
			assert_int_equal(request_act(fx->cs, ids[k], &s,
						     &REVIEWER, t + 10, NULL),
					 CS_OK);
			continue;
		}
		int steps = (int)(seed >> 8) % 6;
		long late = k % 4 == 0 ? 20L * 86400 : 3600;
		if (steps >= 1)
			assert_int_equal(act(fx, ids[k], REQ_ACT_DISPATCH,
					     t + 600),
					 CS_OK);
		if (steps >= 2)
			assert_int_equal(act(fx, ids[k], REQ_ACT_ACCEPT,
					     t + late),
					 CS_OK);
		if (steps >= 3)
			assert_int_equal(act(fx, ids[k], REQ_ACT_ANSWER,
					     t + late + 60),
					 CS_OK);
		if (steps >= 4) {
			struct request_step s = {
				.action = REQ_ACT_FOLLOWUP,
				.resolved = k % 3 != 0,
				.satisfaction = 1 + k % 3,
			};
			assert_int_equal(request_act(fx->cs, ids[k], &s,
						     &REVIEWER,
						     t + late + 120, NULL),
					 CS_OK);
		}
		if (steps >= 5)
			assert_int_equal(act(fx, ids[k], REQ_ACT_REOPEN,
					     t + late + 180),
					 CS_OK);
	}
	/* Every rate of the quarter, and of each month, and of one area,
	 * is the count by hand over the requests. */
	for (int m = 0; m <= 3; m++) {
		struct hand h = {0};
		struct request_filter f = {.states = (1u << REQ_NSTATE) - 1};
		struct request_rate_filter rf = {.month_from = 202601,
						 .month_to = 202603};
		if (m) {
			f.received_from = at(2026, m, 1, 0, 0);
			f.received_to = at(2026, m + 1, 1, 0, 0);
			rf.month_from = rf.month_to = 202600 + m;
		}
		assert_int_equal(request_list(fx->cs->st, &f, count, &h, NULL),
				 CS_OK);
		struct request_tally *t;
		int n;
		assert_int_equal(request_rates(fx->cs->st, &rf, &t, &n), CS_OK);
		assert_int_equal(n, 1);
		const struct request_stat *s = &t->sum;
		CHECK_NUM(s->received, h.received, "received %d", m);
		CHECK_NUM(s->duplicates, h.dups, "duplicates %d", m);
		CHECK_NUM(t->num[0], h.resp_ok, "response num %d", m);
		CHECK_NUM(t->den[0], h.dispatched, "response den %d", m);
		CHECK_NUM(t->num[1], h.ans_ok, "on_time num %d", m);
		CHECK_NUM(t->den[1], h.answered, "on_time den %d", m);
		CHECK_NUM(t->num[2], h.resolved, "resolution num %d", m);
		CHECK_NUM(t->den[2], h.followed, "resolution den %d", m);
		CHECK_NUM(t->num[3], h.sat + h.basic, "satisfaction num %d",
			  m);
		CHECK_NUM(t->num[4], h.reopened, "reopen num %d", m);
		CHECK_NUM(t->den[4], h.closed, "reopen den %d", m);
		free(t);
		/* request.satisfaction = strict: 满意 only. */
		struct store *st = fx->cs->st;
		assert_int_equal(st->ops->set_meta(st, "request.satisfaction",
						   "strict"),
				 CS_OK);
		assert_int_equal(request_rates(st, &rf, &t, &n), CS_OK);
		CHECK_NUM(t->num[3], h.sat, "strict satisfaction num %d", m);
		assert_int_equal(st->ops->set_meta(st, "request.satisfaction",
						   ""),
				 CS_OK);
		free(t);
	}
	/* One area, by department. */
	struct hand h = {0};
	struct request_filter f = {.states = (1u << REQ_NSTATE) - 1,
				   .area_id = fx->guta,
				   .department_id = fx->zrj};
	assert_int_equal(request_list(fx->cs->st, &f, count, &h, NULL), CS_OK);
	struct request_rate_filter rf = {.month_from = 202601,
					 .month_to = 202612,
					 .area_id = fx->guta,
					 .by = REQ_BY_DEPARTMENT};
	struct request_tally *t;
	int n;
	assert_int_equal(request_rates(fx->cs->st, &rf, &t, &n), CS_OK);
	int found = 0;
	for (int k = 0; k < n; k++) {
		if (t[k].key != fx->zrj)
			continue;
		found = 1;
		CHECK_NUM(t[k].num[1], h.ans_ok, "zrj on time");
		CHECK_NUM(t[k].den[2], h.followed, "zrj followed");
		CHECK_NUM(t[k].open, h.open, "zrj open");
	}
	assert_true(found);
	free(t);
	/* The open count at the end of the year is the open requests now;
	 * by month it never goes below zero and ends there. */
	struct hand all = {0};
	f = (struct request_filter){.states = (1u << REQ_NSTATE) - 1};
	assert_int_equal(request_list(fx->cs->st, &f, count, &all, NULL),
			 CS_OK);
	rf = (struct request_rate_filter){.month_from = 202601,
					  .month_to = 202612,
					  .by = REQ_BY_MONTH};
	assert_int_equal(request_rates(fx->cs->st, &rf, &t, &n), CS_OK);
	assert_true(n >= 3);
	for (int k = 0; k < n; k++)
		assert_true(t[k].open >= 0);
	CHECK_NUM(t[n - 1].open, all.open, "open at the end");
	free(t);
	/* The fed indicator: the city's resolution rate for March, from
	 * January, is that of the quarter. */
	struct hand q = {0};
	f = (struct request_filter){.states = (1u << REQ_NSTATE) - 1,
				    .received_to = at(2026, 4, 1, 0, 0)};
	assert_int_equal(request_list(fx->cs->st, &f, count, &q, NULL), CS_OK);
	int i = II(fx->cs, "REQ_RESOLVE"), root = catalog_root(&fx->cs->cat);
	uint8_t flags;
	double v = civstat_figure(fx->cs, i, root, MI(2026, 3), &flags);
	CHECK_NEAR(v, 100.0 * (double)q.resolved / (double)q.followed, 1e-9,
		   "REQ_RESOLVE 2026-03");
	/* ... and cannot be typed. */
	assert_non_null(value_fed_by(&fx->cs->cat, i));
	assert_int_equal(value_set(fx->cs, i, root, MI(2026, 3), 50,
				   VALUE_APPROVED, NULL),
			 CS_EINVAL);
}

/* The rates of one month and department (0: all), one row. */
static struct request_tally rates_of(struct fx *fx, int from, int to,
				     int dept)
{
	struct request_rate_filter rf = {.month_from = from, .month_to = to,
					 .department_id = dept};
	struct request_tally *t, one;
	int n;
	assert_int_equal(request_rates(fx->cs->st, &rf, &t, &n), CS_OK);
	assert_int_equal(n, 1);
	one = t[0];
	free(t);
	return one;
}

static void test_open_over_months(void **state)
{
	struct fx *fx = *state;
	/* Received in January, dispatched to the wrong department and on to
	 * the right one in February, answered and followed up in March. */
	long id = submit(fx, "certificate", fx->guta, at(2026, 1, 20, 9, 0));
	struct request_step s = {.action = REQ_ACT_DISPATCH,
				 .department = "CGJ"};
	assert_int_equal(request_act(fx->cs, id, &s, &REVIEWER,
				     at(2026, 2, 2, 9, 0), NULL),
			 CS_OK);
	s.department = "ZRJ";
	assert_int_equal(request_act(fx->cs, id, &s, &REVIEWER,
				     at(2026, 2, 3, 9, 0), NULL),
			 CS_OK);
	assert_int_equal(act(fx, id, REQ_ACT_ANSWER, at(2026, 3, 2, 9, 0)),
			 CS_OK);
	CHECK_NUM(rates_of(fx, 202601, 202601, 0).open, 1, "open, January");
	CHECK_NUM(rates_of(fx, 202602, 202602, 0).open, 1, "open, February");
	CHECK_NUM(rates_of(fx, 202602, 202602, fx->cgj).open, 0,
		  "open at the wrong department");
	CHECK_NUM(rates_of(fx, 202602, 202602, fx->zrj).open, 1,
		  "open at the right department");
	CHECK_NUM(rates_of(fx, 202603, 202603, 0).open, 1,
		  "answered, open until the follow-up");
	assert_int_equal(act(fx, id, REQ_ACT_FOLLOWUP, at(2026, 4, 1, 9, 0)),
			 CS_OK);
	CHECK_NUM(rates_of(fx, 202603, 202603, 0).open, 1, "open, March");
	CHECK_NUM(rates_of(fx, 202604, 202604, 0).open, 0, "cleared, April");
	/* The cohort is January's, at the department it ended at. */
	struct request_tally t = rates_of(fx, 202601, 202601, fx->zrj);
	CHECK_NUM(t.sum.received, 1, "received at ZRJ");
	CHECK_NUM(t.den[0], 1, "dispatched");
	CHECK_NUM(t.num[2], 1, "resolved");
	CHECK_NUM(rates_of(fx, 202601, 202601, fx->cgj).sum.received, 0,
		  "nothing left at CGJ");
	/* A held request counts nowhere until approved. */
	long h = in_state(fx, REQ_HELD, at(2026, 4, 2, 9, 0));
	CHECK_NUM(rates_of(fx, 202604, 202604, 0).sum.received, 0, "held");
	assert_int_equal(act(fx, h, REQ_ACT_APPROVE, at(2026, 4, 2, 10, 0)),
			 CS_OK);
	CHECK_NUM(rates_of(fx, 202604, 202604, 0).sum.received, 1,
		  "approved");
	CHECK_NUM(rates_of(fx, 202604, 202604, 0).open, 1, "approved, open");
}

/* Keeps the ids of a list. */
static int take(void *ctx, const struct request *r)
{
	struct {
		int n;
		long id[8];
	} *got = ctx;
	if (got->n < 8)
		got->id[got->n++] = r->id;
	return CS_OK;
}

static void test_list_order(void **state)
{
	struct fx *fx = *state;
	long t = at(2026, 3, 2, 9, 0);
	long a = submit(fx, "certificate", fx->guta, t);	   /* due 3-4 */
	long b = submit(fx, "heating", fx->guta, t + 60);	   /* due 3-3 */
	long c = submit(fx, "certificate", fx->linghe, t + 120); /* 3-4 */
	struct ids {
		int n;
		long id[8];
	} got = {0};
	struct request_filter f = {.sort = REQ_SORT_DUE};
	long total = 0;
	assert_int_equal(request_list(fx->cs->st, &f, take, &got, &total),
			 CS_OK);
	assert_int_equal(total, 3);
	assert_int_equal(got.id[0], b);
	assert_int_equal(got.id[1], a);
	assert_int_equal(got.id[2], c);
	/* Overdue on 5 March: all three (not yet dispatched). */
	f = (struct request_filter){.overdue = 1,
				    .now = at(2026, 3, 5, 0, 0),
				    .limit = 2,
				    .offset = 1};
	got.n = 0;
	assert_int_equal(request_list(fx->cs->st, &f, take, &got, &total),
			 CS_OK);
	assert_int_equal(total, 3);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.id[0], a);
	/* Newest first, one area, by ids. */
	f = (struct request_filter){.sort = REQ_SORT_RECEIVED,
				    .area_id = fx->guta};
	got.n = 0;
	assert_int_equal(request_list(fx->cs->st, &f, take, &got, &total),
			 CS_OK);
	assert_int_equal(total, 2);
	assert_int_equal(got.id[0], b);
	char ids[64];
	snprintf(ids, sizeof ids, "%ld, %ld", a, c);
	f = (struct request_filter){.ids = ids};
	assert_int_equal(request_list(fx->cs->st, &f, NULL, NULL, &total),
			 CS_OK);
	assert_int_equal(total, 2);
	f.ids = "1;2";
	assert_int_equal(request_list(fx->cs->st, &f, NULL, NULL, &total),
			 CS_EINVAL);
	/* By token. */
	struct request r = get(fx, a), byt;
	assert_int_equal(request_get(fx->cs->st, 0, r.token, &byt), CS_OK);
	assert_int_equal(byt.id, a);
	request_release(&byt);
	request_release(&r);
	assert_int_equal(request_get(fx->cs->st, 0, "00", &byt),
			 CS_ENOTFOUND);
	/* Answered, the heating one waits for its follow-up call, not for
	 * its past deadline: it goes after the others "overdue first". */
	struct request_step s = {.action = REQ_ACT_DISPATCH,
				 .department = "ZJJ"};
	assert_int_equal(request_act(fx->cs, b, &s, &REVIEWER, t + 600, NULL),
			 CS_OK);
	assert_int_equal(act(fx, b, REQ_ACT_ANSWER, t + 900), CS_OK);
	f = (struct request_filter){.sort = REQ_SORT_DUE};
	got.n = 0;
	assert_int_equal(request_list(fx->cs->st, &f, take, &got, &total),
			 CS_OK);
	assert_int_equal(total, 3);
	assert_int_equal(got.id[0], a);
	assert_int_equal(got.id[1], c);
	assert_int_equal(got.id[2], b);
}

static void test_names(void **state)
{
	(void)state;
	for (int s = 0; s < REQ_NSTATE; s++) {
		assert_int_equal(request_state_parse(request_state_name(s)), s);
		assert_int_equal(request_state_parse(request_state_zh(s)), s);
	}
	for (int a = 0; a < REQ_NACT; a++) {
		assert_int_equal(request_action_parse(request_action_name(a)),
				 a);
		assert_int_equal(request_action_parse(request_action_zh(a)), a);
	}
	assert_int_equal(request_satisfaction_parse("基本满意"), REQ_SAT_BASIC);
	assert_int_equal(request_satisfaction_parse("meh"), -1);
	assert_int_equal(request_state_parse("open"), -1);
	assert_true(request_is_open(REQ_ANSWERED));
	assert_false(request_is_open(REQ_HELD));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_intake_refusals, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_deadlines, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_every_step, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_reopen, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tallies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_open_over_months, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
