/*
 * Unit tests of the pipeline a civstat holds in memory (project_cache):
 * after writes of every kind through the domain, the held book answers as
 * a book read fresh from the store does (done to each month, plan, flags,
 * roll-ups), a view made before a write is not served after it, and
 * each transaction that wrote on the pipeline leaves one FEED_PROJECTS
 * row for the other nodes.
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
#include "store/store.h"

#include "fixture.h"

struct held_fixture {
	char dir[FIXTURE_DIR];
	char db[128];
	struct civstat *cs;
};

static int held_setup(void **state)
{
	static const char *const name[] = {"areas.csv", "indicators.csv"};
	static const char *const text[] = {
		"code,name,parent\nP,省,\nC1,甲市,P\nC2,乙市,P\nX1,一县,C1\n",
		"code,name,unit,pillar,frequency,time_agg,area_agg\n"
		"PROJ_INV,重点项目完成投资,亿元,stable,month,sum,sum\n",
	};
	struct held_fixture *fx = calloc(1, sizeof *fx);
	char p[2][FIXTURE_PATH];
	struct import_report r;
	struct import_opts o = {0};
	assert_non_null(fx);
	fixture_mkdtemp(fx->dir, "test_project_held");
	fixture_db(fx->db, sizeof fx->db, fx->dir, "province.db");
	assert_int_equal(civstat_open(fx->db, STORE_CREATE, &fx->cs), CS_OK);
	for (int k = 0; k < 2; k++)
		write_file(fx->dir, name[k], text[k], p[k]);
	const char *files[] = {p[0], p[1]};
	fixture_import_ok(import_files(fx->cs, files, 2, &o, &r), &r, "import");
	import_report_release(&r);
	*state = fx;
	return 0;
}

static int held_teardown(void **state)
{
	struct held_fixture *fx = *state;
	civstat_close(fx->cs);
	fixture_rmdir(fx->dir);
	free(fx);
	return 0;
}

/* A project of cluster in area; its id. */
static int put(struct civstat *cs, const char *code, const char *area,
	       const char *cluster)
{
	struct project p = {
		.code = code, .name = code, .cluster = cluster,
		.area_id = cs->cat.areas[IA(cs, area)].id, .total = 12,
		.phase = PHASE_BUILDING, .planned_start = "2024-03-01",
		.lon = NAN, .lat = NAN,
	};
	if (project_put(cs, &p))
		fail_msg("%s: %s", code, cs_errmsg());
	return p.id;
}

static void month_report(struct civstat *cs, int id, int m, double v)
{
	struct project_report r = {.project_id = id, .month = m,
				   .investment = v, .progress = NAN};
	if (project_put_report(cs, &r, MI(2025, 12)))
		fail_msg("report: %s", cs_errmsg());
}

/* The held book says what a book read from the store says. */
static void same_as_store(struct civstat *cs)
{
	struct project_book *h, f;
	assert_int_equal(project_cache(cs, &h), CS_OK);
	assert_int_equal(project_book_load(&f, cs->st), CS_OK);
	assert_int_equal(h->n_projects, f.n_projects);
	assert_int_equal(h->last_month, f.last_month);
	for (int k = 0; k < f.n_projects; k++) {
		int j = project_book_find(h, f.projects[k].code);
		assert_true(j >= 0);
		assert_int_equal(h->projects[j].phase, f.projects[k].phase);
		for (int m = MI(2024, 1); m <= MI(2025, 12); m++)
			CHECK_NUM(project_done(h, j, m), project_done(&f, k, m),
				  "%s done to %d", f.projects[k].code, m);
		CHECK_NUM(project_plan_of(h, j, 2025),
			  project_plan_of(&f, k, 2025), "plan");
		assert_int_equal(
			project_flags(h, j, MI(2025, 6), "2025-07-01", 0.05),
			project_flags(&f, k, MI(2025, 6), "2025-07-01", 0.05));
	}
	for (int by = BY_CLUSTER; by <= BY_AREA; by++) {
		struct project_sum *a, *b;
		int na, nb;
		assert_int_equal(project_rollup_on(h, &cs->cat, by, MI(2025, 6),
						   "2025-07-01", 0.05, &a,
						   &na),
				 CS_OK);
		assert_int_equal(project_rollup_on(&f, &cs->cat, by,
						   MI(2025, 6), "2025-07-01",
						   0.05, &b, &nb),
				 CS_OK);
		assert_int_equal(na, nb);
		for (int g = 0; g < na; g++) {
			assert_string_equal(a[g].key, b[g].key);
			assert_int_equal(a[g].n, b[g].n);
			assert_int_equal(a[g].behind, b[g].behind);
			assert_int_equal(a[g].overdue, b[g].overdue);
			CHECK_NUM(a[g].done, b[g].done, "%s done", a[g].key);
			CHECK_NUM(a[g].plan, b[g].plan, "%s plan", a[g].key);
		}
		free(a);
		free(b);
	}
	project_book_release(&f);
}

static void test_held_follows_writes(void **state)
{
	struct held_fixture *fx = *state;
	struct civstat *cs = fx->cs;
	struct project_book *h;
	/* Held before the first write: every write below must reach it. */
	assert_int_equal(project_cache(cs, &h), CS_OK);
	assert_int_equal(h->n_projects, 0);
	int p1 = put(cs, "P1", "X1", "new_energy");
	int p2 = put(cs, "P2", "C2", "biomed");
	for (int y = 2024; y <= 2025; y++) {
		struct project_plan pl = {.project_id = p1, .year = y,
					  .amount = 6};
		assert_int_equal(project_put_plan(cs, &pl), CS_OK);
		pl.project_id = p2;
		pl.amount = 2.4;
		assert_int_equal(project_put_plan(cs, &pl), CS_OK);
	}
	for (int m = MI(2024, 11); m <= MI(2025, 6); m++) {
		month_report(cs, p1, m, 0.5);
		month_report(cs, p2, m, 0.1 * (m % 3));
	}
	struct milestone ms = {.project_id = p2, .name = "主体完工",
			       .due = "2025-05-01", .done = ""};
	assert_int_equal(project_put_milestone(cs, &ms), CS_OK);
	same_as_store(cs);
	/* A month reported again, a milestone done, a phase back, a
	 * project moved to another area and cluster: still the same. */
	month_report(cs, p1, MI(2025, 3), 2.25);
	ms.done = "2025-04-20";
	assert_int_equal(project_put_milestone(cs, &ms), CS_OK);
	assert_int_equal(project_set_phase(cs, "P1", PHASE_SIGNED, "2025-06-01",
					   "停工"),
			 CS_OK);
	put(cs, "P2", "C1", "fine_chem");
	same_as_store(cs);
	assert_ptr_equal(cs->projects, h);
	CHECK_NUM(project_done(h, project_book_find(h, "P1"), MI(2025, 6)),
		  0.5 * 5 + 2.25, "P1's year to June");
}

static void test_view_after_write(void **state)
{
	struct held_fixture *fx = *state;
	struct civstat *cs = fx->cs;
	struct project_book *h;
	int id = put(cs, "P1", "X1", "new_energy");
	month_report(cs, id, MI(2025, 1), 1);
	assert_int_equal(project_cache(cs, &h), CS_OK);
	const struct project_view *v =
		project_view_get(h, &cs->cat, MI(2025, 1), "2025-02-01", 0.05);
	assert_non_null(v);
	CHECK_NUM(v->done[0], 1.0, "before");
	assert_int_equal(v->area[0], IA(cs, "X1"));
	project_view_put(h);
	month_report(cs, id, MI(2025, 1), 4);
	v = project_view_get(h, &cs->cat, MI(2025, 1), "2025-02-01", 0.05);
	assert_non_null(v);
	CHECK_NUM(v->done[0], 4.0, "after the write, not the kept view");
	project_view_put(h);
}

/* What the change feed holds after seq, as another node would ask. */
static struct feed_news news_after(struct civstat *cs, long seq)
{
	struct feed_news n;
	assert_int_equal(cs->st->ops->feed_poll(cs->st, seq, "another node",
						&n),
			 CS_OK);
	return n;
}

static void test_feed_rows(void **state)
{
	struct held_fixture *fx = *state;
	struct civstat *cs = fx->cs;
	int id = put(cs, "P1", "X1", "new_energy");
	long seq = news_after(cs, 0).top;
	/* A report: one row for its transaction, which also feeds a
	 * figure (its own FEED_SERIES rows). */
	month_report(cs, id, MI(2025, 2), 3);
	struct feed_news n = news_after(cs, seq);
	assert_int_equal(n.projects, 1);
	assert_true(n.series >= 1);
	/* Many writes in one transaction: still one row. */
	seq = n.top;
	assert_int_equal(cs->st->ops->begin(cs->st), CS_OK);
	put(cs, "P2", "C2", "biomed");
	put(cs, "P3", "C2", "biomed");
	assert_int_equal(cs->st->ops->commit(cs->st), CS_OK);
	assert_int_equal(news_after(cs, seq).projects, 1);
	/* A rolled back write leaves none. */
	seq = news_after(cs, seq).top;
	assert_int_equal(cs->st->ops->begin(cs->st), CS_OK);
	put(cs, "P4", "C2", "biomed");
	assert_int_equal(cs->st->ops->rollback(cs->st), CS_OK);
	project_cache_drop(cs); /* it took P4 when its own commit ran */
	n = news_after(cs, seq);
	assert_int_equal(n.projects, 0);
	assert_int_equal(n.top, seq);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_held_follows_writes,
						held_setup, held_teardown),
		cmocka_unit_test_setup_teardown(test_view_after_write,
						held_setup, held_teardown),
		cmocka_unit_test_setup_teardown(test_feed_rows, held_setup,
						held_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
