/*
 * Unit tests of src/domain/project.c, the key-project pipeline, over a
 * real database (SQLite, or PostgreSQL with CIVSTAT_TEST_PG): phase
 * transitions, bad input that changes nothing, the feed of monthly
 * reports into the key-project investment indicator, the roll-ups and
 * the rules for projects behind plan, overdue or late to start, and the
 * supervision notes (督办意见) a leader writes and the department answers.
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

#include "analytics/catalog.h"
#include "core/err.h"
#include "domain/civstat.h"
#include "domain/import.h"
#include "domain/project.h"
#include "domain/values.h"
#include "store/store.h"

#include "fixture.h"

static const char DEPTS[] = "code,name\n"
			    "FGW,发改委\n"
			    "ZJJ,住建局\n";

static const char AREAS[] = "code,name,parent\n"
			    "R,市,\n"
			    "A,甲区,R\n"
			    "B,乙县,R\n";

static const char INDS[] = "code,name,unit,pillar,frequency,time_agg,area_agg\n"
			   "PROJ_INV,重点项目完成投资,亿元,stable,month,sum,sum\n";

struct fixture {
	char dir[FIXTURE_DIR];
	char db[128];
	struct civstat *cs;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	char p[3][256];
	struct import_report r;
	struct import_opts o = {0};
	assert_non_null(fx);
	fixture_mkdtemp(fx->dir, "test_project");
	fixture_db(fx->db, sizeof fx->db, fx->dir, "city.db");
	assert_int_equal(civstat_open(fx->db, STORE_CREATE, &fx->cs), CS_OK);
	write_file(fx->dir, "departments.csv", DEPTS, p[0]);
	write_file(fx->dir, "areas.csv", AREAS, p[1]);
	write_file(fx->dir, "indicators.csv", INDS, p[2]);
	const char *files[] = {p[0], p[1], p[2]};
	int rc = import_files(fx->cs, files, 3, &o, &r);
	fixture_import_ok(rc, &r, "import");
	import_report_release(&r);
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

/* Creates project code in area (code) with cluster, phase and a planned
 * start; fails the test unless it is stored. */
static int add(struct fixture *fx, const char *code, const char *area,
	       const char *cluster, int phase, const char *planned_start)
{
	struct civstat *cs = fx->cs;
	struct project p = {
		.code = (char *)code, .name = (char *)code,
		.cluster = (char *)cluster, .type = PROJECT_INDUSTRY,
		.area_id = cs->cat.areas[IA(cs, area)].id,
		.department_id = cs->cat.depts[ID(cs, "FGW")].id,
		.total = 10, .phase = phase,
		.planned_start = (char *)planned_start,
		.lon = NAN, .lat = NAN,
	};
	int rc = project_put(cs, &p);
	if (rc)
		fail_msg("project_put %s: %s", code, cs_errmsg());
	return p.id;
}

static void report(struct fixture *fx, int id, int month, double inv,
		   int sample)
{
	struct project_report r = {
		.project_id = id, .month = month, .investment = inv,
		.progress = NAN, .sample = sample,
	};
	int rc = project_put_report(fx->cs, &r, MI(2025, 9));
	if (rc)
		fail_msg("report %d %d: %s", id, month, cs_errmsg());
}

/* The number of audit entries: each write appends exactly one or more. */
static int count_audit(void *ctx, const struct audit_entry *e)
{
	(void)e;
	(*(long *)ctx)++;
	return CS_OK;
}

static long audits(struct fixture *fx)
{
	long n = 0;
	struct store *st = fx->cs->st;
	assert_int_equal(st->ops->scan_audit(st, 0, 0, count_audit, &n), CS_OK);
	return n;
}

static struct project_book book(struct fixture *fx)
{
	struct project_book b;
	assert_int_equal(project_book_load(&b, fx->cs->st), CS_OK);
	return b;
}

static void test_phases(void **state)
{
	struct fixture *fx = *state;
	struct civstat *cs = fx->cs;
	add(fx, "P1", "A", "new_energy", PHASE_SIGNED, "");
	/* Forward two steps at once: 签约 -> 在建, with its date. */
	if (project_set_phase(cs, "P1", PHASE_BUILDING, "2025-03-10", NULL))
		fail_msg("forward: %s", cs_errmsg());
	long before = audits(fx);
	/* Back without a reason: refused, nothing changes. */
	assert_int_equal(project_set_phase(cs, "P1", PHASE_SIGNED,
					   "2025-04-01", ""), CS_EINVAL);
	assert_non_null(strstr(cs_errmsg(), "needs a reason"));
	/* The same phase again and a bad date: refused too. */
	assert_int_equal(project_set_phase(cs, "P1", PHASE_BUILDING,
					   "2025-04-01", NULL), CS_ECONFLICT);
	assert_int_equal(project_set_phase(cs, "P1", PHASE_COMPLETED,
					   "2025-02-30", NULL), CS_EINVAL);
	assert_int_equal(project_set_phase(cs, "NOPE", PHASE_COMPLETED,
					   "2025-02-03", NULL), CS_ENOTFOUND);
	assert_int_equal(audits(fx), before);
	/* Back with a reason: kept. */
	assert_int_equal(project_set_phase(cs, "P1", PHASE_STARTED,
					   "2025-04-01", "停工整改"), CS_OK);
	assert_int_equal(audits(fx), before + 1);
	struct project_book b = book(fx);
	assert_int_equal(b.n_projects, 1);
	assert_int_equal(b.projects[0].phase, PHASE_STARTED);
	assert_string_equal(b.projects[0].actual_start, "2025-03-10");
	/* The first phase, then each change, dated, oldest first. */
	assert_int_equal(b.n_phases, 3);
	assert_int_equal(b.phases[0].from, -1);
	assert_int_equal(b.phases[0].to, PHASE_SIGNED);
	assert_int_equal(b.phases[1].from, PHASE_SIGNED);
	assert_int_equal(b.phases[1].to, PHASE_BUILDING);
	assert_string_equal(b.phases[1].date, "2025-03-10");
	assert_int_equal(b.phases[2].to, PHASE_STARTED);
	assert_string_equal(b.phases[2].reason, "停工整改");
	project_book_release(&b);
}

static void test_bad_input_changes_nothing(void **state)
{
	struct fixture *fx = *state;
	struct civstat *cs = fx->cs;
	int id = add(fx, "P1", "A", "fine_chem", PHASE_BUILDING, "");
	long before = audits(fx);
	struct project p = {
		.code = "P2", .name = "坏", .cluster = "no_such_cluster",
		.area_id = cs->cat.areas[IA(cs, "A")].id, .total = 1,
		.lon = NAN, .lat = NAN,
	};
	assert_int_equal(project_put(cs, &p), CS_EINVAL);
	assert_non_null(strstr(cs_errmsg(), "unknown cluster"));
	p.cluster = "精细化工";
	p.total = -3;
	assert_int_equal(project_put(cs, &p), CS_EINVAL);
	p.total = 3;
	p.planned_start = "2025-13-01";
	assert_int_equal(project_put(cs, &p), CS_EINVAL);
	struct project_report r = {
		.project_id = id, .month = MI(2025, 5), .investment = -1,
		.progress = NAN,
	};
	assert_int_equal(project_put_report(cs, &r, MI(2025, 9)), CS_EINVAL);
	r.investment = 1;
	r.month = MI(2025, 10); /* after "now" */
	assert_int_equal(project_put_report(cs, &r, MI(2025, 9)), CS_EINVAL);
	assert_non_null(strstr(cs_errmsg(), "has not come"));
	r.month = MI(2025, 5);
	r.progress = 120;
	assert_int_equal(project_put_report(cs, &r, MI(2025, 9)), CS_EINVAL);
	r.progress = NAN;
	r.project_id = 999;
	assert_int_equal(project_put_report(cs, &r, MI(2025, 9)),
			 CS_ENOTFOUND);
	struct project_plan pl = {.project_id = id, .year = 2025, .amount = -2};
	assert_int_equal(project_put_plan(cs, &pl), CS_EINVAL);
	assert_int_equal(audits(fx), before);
	struct project_book b = book(fx);
	assert_int_equal(b.n_projects, 1);
	assert_int_equal(b.n_reports, 0);
	assert_int_equal(b.n_plans, 0);
	project_book_release(&b);
	int i = II(cs, "PROJ_INV");
	uint8_t flags;
	assert_true(isnan(civstat_figure(cs, i, IA(cs, "A"), MI(2025, 5),
					 &flags)));
}

static void test_feed(void **state)
{
	struct fixture *fx = *state;
	struct civstat *cs = fx->cs;
	int p1 = add(fx, "P1", "A", "new_energy", PHASE_BUILDING, "");
	int p2 = add(fx, "P2", "A", "fine_chem", PHASE_BUILDING, "");
	int p3 = add(fx, "P3", "B", "fine_chem", PHASE_BUILDING, "");
	report(fx, p1, MI(2025, 8), 1.5, 0);
	report(fx, p2, MI(2025, 8), 2.25, 0);
	report(fx, p3, MI(2025, 8), 4, 1);
	int i = II(cs, "PROJ_INV");
	uint8_t flags;
	CHECK_NUM(civstat_figure(cs, i, IA(cs, "A"), MI(2025, 8), &flags),
		  3.75, "甲区 2025-08");
	assert_false(flags & VALUE_SAMPLE);
	CHECK_NUM(civstat_figure(cs, i, IA(cs, "B"), MI(2025, 8), &flags), 4,
		  "乙县 2025-08");
	assert_true(flags & VALUE_SAMPLE);
	CHECK_NUM(civstat_figure(cs, i, IA(cs, "R"), MI(2025, 8), &flags),
		  7.75, "市 2025-08");
	/* A corrected report replaces the old one, in the figures too. */
	report(fx, p1, MI(2025, 8), 0.5, 0);
	CHECK_NUM(civstat_figure(cs, i, IA(cs, "A"), MI(2025, 8), &flags),
		  2.75, "甲区 corrected");
	CHECK_NUM(civstat_figure(cs, i, IA(cs, "R"), MI(2025, 8), &flags),
		  6.75, "市 corrected");
	/* The figures are in the store too, with their history: a cube
	 * read afresh agrees. */
	assert_int_equal(civstat_reload(cs), CS_OK);
	CHECK_NUM(civstat_figure(cs, i, IA(cs, "A"), MI(2025, 8), &flags),
		  2.75, "甲区 after reload");
	struct project_book b = book(fx);
	assert_int_equal(b.n_reports, 3);
	project_book_release(&b);
}

/* PROJ_INV takes figures from the projects' reports only: typed one at a
 * time or imported, it is refused, naming the indicator, and nothing
 * changes. */
static void test_fed_not_typed(void **state)
{
	struct fixture *fx = *state;
	struct civstat *cs = fx->cs;
	int p1 = add(fx, "P1", "A", "new_energy", PHASE_BUILDING, "");
	report(fx, p1, MI(2025, 8), 1.5, 0);
	int i = II(cs, "PROJ_INV");
	uint8_t flags;
	long before = audits(fx);
	assert_non_null(value_fed_by(&cs->cat, i));
	assert_int_equal(value_set(cs, i, IA(cs, "A"), MI(2025, 8), 9,
				   VALUE_APPROVED, NULL),
			 CS_EINVAL);
	assert_non_null(strstr(cs_errmsg(), "不能直接填报"));
	assert_non_null(strstr(cs_errmsg(), "PROJ_INV"));
	assert_int_equal(value_set(cs, i, IA(cs, "A"), MI(2025, 7), 9,
				   VALUE_DRAFT, NULL),
			 CS_EINVAL);
	char path[256];
	write_file(fx->dir, "values.csv",
		   "indicator,area,period,value\n"
		   "PROJ_INV,A,2025-08,9\n",
		   path);
	const char *files[] = {path};
	struct import_report r;
	struct import_opts o = {0};
	assert_int_equal(import_files(cs, files, 1, &o, &r), CS_EINVAL);
	assert_true(r.n_shown >= 1);
	assert_non_null(strstr(r.errors[0], "values.csv:2:1: column "
					    "\"indicator\""));
	assert_non_null(strstr(r.errors[0], "不能直接填报"));
	import_report_release(&r);
	assert_int_equal(audits(fx), before);
	CHECK_NUM(civstat_figure(cs, i, IA(cs, "A"), MI(2025, 8), &flags),
		  1.5, "甲区 2025-08 as reported");
	assert_true(isnan(civstat_figure(cs, i, IA(cs, "A"), MI(2025, 7),
					 &flags)));
	/* The projects' own feed still writes it. */
	report(fx, p1, MI(2025, 8), 2, 0);
	CHECK_NUM(civstat_figure(cs, i, IA(cs, "A"), MI(2025, 8), &flags), 2,
		  "甲区 2025-08 reported again");
	assert_int_equal(project_feed(cs, MI(2025, 8), MI(2025, 8)), CS_OK);
	assert_false(value_feeding());
}

static void test_rollup_and_flags(void **state)
{
	struct fixture *fx = *state;
	struct civstat *cs = fx->cs;
	int p1 = add(fx, "P1", "A", "new_energy", PHASE_BUILDING, "2025-01-01");
	int p2 = add(fx, "P2", "B", "new_energy", PHASE_BUILDING, "");
	add(fx, "P3", "B", "fine_chem", PHASE_SIGNED, "2025-06-01");
	add(fx, "P4", "B", "fine_chem", PHASE_PLANNING, "2026-06-01");
	struct project_plan pl = {.project_id = p1, .year = 2025, .amount = 12};
	assert_int_equal(project_put_plan(cs, &pl), CS_OK);
	pl.project_id = p2;
	assert_int_equal(project_put_plan(cs, &pl), CS_OK);
	/* P1: 9 of 12 by September (序时 75%): on plan; P2: 3, behind. */
	report(fx, p1, MI(2025, 3), 4, 0);
	report(fx, p1, MI(2025, 9), 5, 0);
	report(fx, p1, MI(2024, 12), 7, 0); /* another year: not counted */
	report(fx, p2, MI(2025, 2), 3, 0);
	struct milestone m = {.project_id = p2, .name = "主体封顶",
			      .due = "2025-08-31", .done = ""};
	assert_int_equal(project_put_milestone(cs, &m), CS_OK);
	m.project_id = p1;
	m.done = "2025-08-20";
	assert_int_equal(project_put_milestone(cs, &m), CS_OK);

	struct project_book b = book(fx);
	struct project_sum *s;
	int n;
	assert_int_equal(project_rollup(&b, &cs->cat, BY_CLUSTER, MI(2025, 9),
					&s, &n), CS_OK);
	assert_int_equal(n, 3);
	assert_string_equal(s[0].key, "fine_chem"); /* the clusters' order */
	assert_int_equal(s[0].n, 2);
	assert_string_equal(s[1].key, "new_energy");
	CHECK_NUM(s[1].plan, 24, "new_energy plan");
	CHECK_NUM(s[1].done, 12, "new_energy done 2025年1-9月");
	assert_string_equal(s[2].name, "合计");
	assert_int_equal(s[2].n, 4);
	CHECK_NUM(s[2].total, 40, "total investment");
	free(s);
	assert_int_equal(project_rollup(&b, &cs->cat, BY_AREA, MI(2025, 9),
					&s, &n), CS_OK);
	assert_int_equal(n, 3);
	assert_string_equal(s[0].key, "A");
	CHECK_NUM(s[0].done, 9, "甲区");
	assert_string_equal(s[1].key, "B");
	assert_int_equal(s[1].n, 3);
	free(s);
	assert_int_equal(project_rollup(&b, &cs->cat, BY_PHASE, MI(2025, 9),
					&s, &n), CS_OK);
	assert_int_equal(n, 4);
	assert_string_equal(s[0].name, "谋划");
	assert_string_equal(s[2].name, "在建");
	assert_int_equal(s[2].n, 2);
	free(s);

	const char *today = "2025-10-08";
	assert_int_equal(project_flags(&b, project_book_find(&b, "P1"),
				       MI(2025, 9), today, 0.1), 0);
	assert_int_equal(project_flags(&b, project_book_find(&b, "P2"),
				       MI(2025, 9), today, 0.1),
			 PFLAG_BEHIND | PFLAG_OVERDUE);
	assert_int_equal(project_flags(&b, project_book_find(&b, "P3"),
				       MI(2025, 9), today, 0.1),
			 PFLAG_NOT_STARTED);
	assert_int_equal(project_flags(&b, project_book_find(&b, "P4"),
				       MI(2025, 9), today, 0.1), 0);
	project_book_release(&b);
}

static void test_programme(void **state)
{
	struct fixture *fx = *state;
	struct civstat *cs = fx->cs;
	struct programme pm = {
		.code = "OLD", .name = "老旧小区改造", .first_year = 2021,
		.last_year = 2025, .communities = 566, .buildings = 5693,
		.households = 212336, .floor_area = NAN, .source = "seed",
	};
	assert_int_equal(project_put_programme(cs, &pm), CS_OK);
	assert_true(pm.id > 0);
	struct community c = {
		.programme_id = pm.id, .name = "五里营子小区",
		.area_id = cs->cat.areas[IA(cs, "A")].id, .buildings = 16,
		.households = 640, .floor_area = 3.2, .started = "2025-04-01",
		.finished = "", .progress = 40,
	};
	assert_int_equal(project_put_community(cs, &c), CS_OK);
	c.progress = 140;
	assert_int_equal(project_put_community(cs, &c), CS_EINVAL);
	struct project_book b = book(fx);
	assert_int_equal(b.n_programmes, 1);
	assert_int_equal(b.programmes[0].households, 212336);
	assert_int_equal(b.n_communities, 1);
	CHECK_NUM(b.communities[0].progress, 40, "progress kept");
	project_book_release(&b);
}

/* Copies the notes of a project as the store holds them. */
struct notes_seen {
	int n;
	char answer[4][64];
	char due[4][11];
};

static int see_note(void *ctx, const struct project_note *n)
{
	struct notes_seen *s = ctx;
	if (s->n < 4) {
		snprintf(s->answer[s->n], sizeof s->answer[0], "%s", n->answer);
		snprintf(s->due[s->n], sizeof s->due[0], "%s", n->due);
	}
	s->n++;
	return CS_OK;
}

/* A leader writes, only the project's department (or an admin) answers,
 * once; bad input names its field and changes nothing. */
static void test_notes(void **state)
{
	struct fixture *fx = *state;
	struct civstat *cs = fx->cs;
	int id = add(fx, "P1", "A", "fine_chem", PHASE_BUILDING, "");
	int fgw = cs->cat.depts[ID(cs, "FGW")].id,
	    zjj = cs->cat.depts[ID(cs, "ZJJ")].id;
	struct task_who leader = {ROLE_LEADER, 0}, own = {ROLE_DEPARTMENT, fgw},
			other = {ROLE_DEPARTMENT, zjj},
			reviewer = {ROLE_REVIEWER, 0};
	struct project_note n = {.text = "请说明征地进度", .due = "2026-06-10"};
	long before = audits(fx);
	assert_int_equal(project_note_add(cs, "P1", &n, &own, "2026-06-01"),
			 CS_EPERM);
	assert_int_equal(project_note_add(cs, "P1", &n, &reviewer,
					  "2026-06-01"), CS_EPERM);
	assert_int_equal(project_note_add(cs, "P1", &n, &leader, "2026-06-11"),
			 CS_EINVAL);
	assert_true(!strncmp(cs_errmsg(), "due:", 4));
	n.text = "";
	assert_int_equal(project_note_add(cs, "P1", &n, &leader, "2026-06-01"),
			 CS_EINVAL);
	assert_true(!strncmp(cs_errmsg(), "text:", 5));
	n.text = "请说明征地进度";
	assert_int_equal(project_note_add(cs, "NOPE", &n, &leader,
					  "2026-06-01"), CS_ENOTFOUND);
	assert_int_equal(audits(fx), before);
	assert_int_equal(project_note_add(cs, "P1", &n, &leader, "2026-06-01"),
			 CS_OK);
	assert_int_equal(n.project_id, id);
	assert_true(n.id > 0);
	assert_int_equal(audits(fx), before + 1);
	struct project_note late = {.due = "2026-06-10", .answered_on = ""};
	assert_false(project_note_overdue(&late, "2026-06-10"));
	assert_true(project_note_overdue(&late, "2026-06-11"));
	late.answered_on = "2026-06-12";
	assert_false(project_note_overdue(&late, "2026-06-13"));
	/* Only its department answers: not another, not the leader. */
	assert_int_equal(project_note_answer(cs, "P1", n.id, "已完成", &other,
					     "2026-06-05"), CS_EPERM);
	assert_int_equal(project_note_answer(cs, "P1", n.id, "已完成",
					     &leader, "2026-06-05"), CS_EPERM);
	assert_int_equal(project_note_answer(cs, "P1", n.id + 7, "已完成",
					     &own, "2026-06-05"), CS_ENOTFOUND);
	assert_int_equal(project_note_answer(cs, "P1", n.id, "", &own,
					     "2026-06-05"), CS_EINVAL);
	assert_int_equal(audits(fx), before + 1);
	assert_int_equal(project_note_answer(cs, "P1", n.id, "征地已完成", &own,
					     "2026-06-05"), CS_OK);
	assert_int_equal(project_note_answer(cs, "P1", n.id, "再答", &own,
					     "2026-06-06"), CS_ECONFLICT);
	assert_int_equal(audits(fx), before + 2);
	struct notes_seen seen = {0};
	struct store *st = cs->st;
	assert_int_equal(st->ops->scan_project_notes(st, id, see_note, &seen),
			 CS_OK);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.answer[0], "征地已完成");
	assert_string_equal(seen.due[0], "2026-06-10");
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(project_phase_parse("开工"), PHASE_STARTED);
	assert_int_equal(project_phase_parse("operating"), PHASE_OPERATING);
	assert_int_equal(project_phase_parse("动工"), -1);
	assert_int_equal(project_type_parse("揭榜挂帅"), PROJECT_TECHNOLOGY);
	assert_int_equal(project_type_parse("technology"), PROJECT_TECHNOLOGY);
	assert_int_equal(project_type_parse("科技攻关"), PROJECT_TECHNOLOGY);
	assert_int_equal(project_type_parse("科技攻关（揭榜挂帅）"),
			 PROJECT_TECHNOLOGY);
	assert_int_equal(project_type_parse("tech"), -1);
	assert_string_equal(project_type_zh(PROJECT_TECHNOLOGY),
			    "科技攻关（揭榜挂帅）");
	assert_string_equal(project_type_en(PROJECT_TECHNOLOGY), "technology");
	/* What is shown parses back, so an export imports again. */
	for (int k = 0; k < PROJECT_NTYPES; k++)
		assert_int_equal(project_type_parse(project_type_zh(k)), k);
	assert_int_equal(project_cluster_parse("新能源"), 1);
	assert_true(project_date_ok("2024-02-29"));
	assert_false(project_date_ok("2025-02-29"));
	assert_false(project_date_ok("2025-2-28"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_phases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input_changes_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fed_not_typed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rollup_and_flags, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_notes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_programme, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
