/*
 * Unit tests of the store's contract (store.h), op by op, on whichever
 * backend the fixture gives: SQLite, or PostgreSQL with CIVSTAT_TEST_PG
 * set.  Both must answer alike: ids that continue the largest and leave no
 * gap after a rollback, upserts by code and key, packed series that come
 * back bit for bit, nested transactions, and a read-only store that
 * refuses writes.
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
#include "store/store.h"

#include "fixture.h"

/* A literal where the records hold char *: the store only reads it. */
#define Z(s) ((char *)(s))

struct fixture {
	char dir[FIXTURE_DIR];
	char db[128];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	fixture_mkdtemp(fx->dir, "test_store");
	fixture_db(fx->db, sizeof fx->db, fx->dir, "store.db");
	assert_int_equal(store_open(fx->db, STORE_CREATE, &fx->st), CS_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	store_close(fx->st);
	fixture_rmdir(fx->dir);
	free(fx);
	return 0;
}

/* Closes the store and opens it again with flags. */
static void reopen(struct fixture *fx, int flags)
{
	store_close(fx->st);
	fx->st = NULL;
	assert_int_equal(store_open(fx->db, flags, &fx->st), CS_OK);
}

static char *meta(struct store *st, const char *key)
{
	char *v = NULL;
	assert_int_equal(st->ops->get_meta(st, key, &v), CS_OK);
	return v;
}

static void check_meta(struct store *st, const char *key, const char *want)
{
	char *v = meta(st, key);
	if (!want)
		assert_null(v);
	else
		assert_string_equal(v, want);
	free(v);
}

/* ---- opening ---------------------------------------------------------- */

static void test_open_missing(void **state)
{
	struct fixture *fx = *state;
	char db[128];
	struct store *st = NULL;
	fixture_db(db, sizeof db, fx->dir, "none.db");
	assert_int_equal(store_open(db, 0, &st), CS_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(cs_errmsg(), "civstat init"));
}

static void test_name(void **state)
{
	struct fixture *fx = *state;
	assert_string_equal(fx->st->ops->name,
			    fixture_pg() ? "postgres" : "sqlite");
	assert_string_equal(fx->st->target, fx->db);
}

/* ---- the catalog ------------------------------------------------------ */

static int count_area(void *ctx, const struct area *a)
{
	(void)a;
	++*(int *)ctx;
	return CS_OK;
}

static int find_indicator(void *ctx, const struct indicator *ind)
{
	struct indicator *out = ctx;
	if (strcmp(ind->code, out->code))
		return CS_OK;
	out->id = ind->id;
	out->weight = ind->weight;
	out->min = ind->min;
	out->max = ind->max;
	out->max_jump = ind->max_jump;
	out->published = ind->published;
	out->department_id = ind->department_id;
	out->decimals = ind->decimals;
	return CS_EEXIST; /* found: stop */
}

static void test_catalog(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->st;
	struct area root = {.code = Z("210700"), .name = Z("锦州市"),
			    .name_en = Z("Jinzhou"), .level = 1};
	struct area county = {.code = Z("210726"), .name = Z("黑山县"),
			      .name_en = Z(""), .level = 2};
	struct area zone = {.id = 10, .code = Z("Z1"), .name = Z("开发区"),
			    .name_en = Z(""), .level = 2, .kind = AREA_ZONE};
	struct area next = {.code = Z("Z2"), .name = Z("新区"), .name_en = Z(""),
			    .level = 2, .kind = AREA_ZONE};

	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->put_area(st, &root), CS_OK);
	assert_int_equal(root.id, 1);
	county.parent_id = root.id;
	assert_int_equal(st->ops->put_area(st, &county), CS_OK);
	assert_int_equal(county.id, 2);
	/* An id given is kept; the next one continues the largest. */
	assert_int_equal(st->ops->put_area(st, &zone), CS_OK);
	assert_int_equal(zone.id, 10);
	assert_int_equal(st->ops->put_area(st, &next), CS_OK);
	assert_int_equal(next.id, 11);
	/* The same code again updates the record and keeps its id. */
	struct area again = county;
	again.id = 0;
	again.name = Z("黑山");
	assert_int_equal(st->ops->put_area(st, &again), CS_OK);
	assert_int_equal(again.id, 2);

	struct department d = {.code = Z("FGW"), .name = Z("发改委"),
			       .name_en = Z("")};
	assert_int_equal(st->ops->put_department(st, &d), CS_OK);
	assert_int_equal(d.id, 1);
	struct indicator ind = {
		.code = Z("FAI"), .name = Z("固定资产投资"), .name_en = Z("FAI"),
		.unit = Z("亿元"), .department_id = d.id, .source = Z("sample"),
		.formula = Z(""), .decimals = 2, .weight = NAN, .min = 0,
		.max = NAN, .part_of = Z(""), .max_jump = 12.5, .published = 0,
	};
	assert_int_equal(st->ops->put_indicator(st, &ind), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);

	reopen(fx, 0);
	st = fx->st;
	int n = 0;
	assert_int_equal(st->ops->scan_areas(st, count_area, &n), CS_OK);
	assert_int_equal(n, 4);
	struct indicator got = {.code = Z("FAI")};
	assert_int_equal(st->ops->scan_indicators(st, find_indicator, &got),
			 CS_EEXIST);
	assert_int_equal(got.id, ind.id);
	CHECK_NUM(got.weight, NAN, "weight");
	CHECK_NUM(got.min, 0, "min");
	CHECK_NUM(got.max, NAN, "max");
	CHECK_NUM(got.max_jump, 12.5, "max_jump");
	assert_int_equal(got.published, 0);
	assert_int_equal(got.department_id, d.id);
	assert_int_equal(got.decimals, 2);
}

/* ---- figures ---------------------------------------------------------- */

static int count_series(void *ctx, const struct series *s)
{
	int *n = ctx;
	if (s->indicator_id == 1 && s->area_id == 2) {
		assert_int_equal(s->n, 4);
		CHECK_NUM(s->value[2], -0.1, "scanned value");
	}
	++*n;
	return CS_OK;
}

static void test_series(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->st;
	struct series s, got, empty;
	assert_int_equal(series_init(&s, 1, 2, MI(2025, 1), 3), CS_OK);
	s.value[0] = 1e300;
	s.value[1] = -0.1;
	s.flags[0] = VALUE_DRAFT | VALUE_SAMPLE;
	s.flags[1] = VALUE_COMMENT;
	s.change[0] = 7;
	s.change[1] = UINT32_MAX;
	assert_int_equal(series_init(&empty, 1, 3, MI(2025, 1), 0), CS_OK);

	assert_int_equal(st->ops->get_series(st, 1, 2, &got), CS_ENOTFOUND);
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->put_series(st, &s), CS_OK);
	assert_int_equal(st->ops->put_series(st, &empty), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);

	assert_int_equal(st->ops->get_series(st, 1, 2, &got), CS_OK);
	assert_int_equal(got.first_month, MI(2025, 1));
	assert_int_equal(got.n, 3);
	assert_memory_equal(got.flags, s.flags, 3);
	assert_memory_equal(got.change, s.change, 3 * sizeof(uint32_t));
	CHECK_NUM(got.value[0], 1e300, "value 0");
	CHECK_NUM(got.value[1], -0.1, "value 1");
	CHECK_NUM(got.value[2], NAN, "value 2");
	series_release(&got);
	assert_int_equal(st->ops->get_series(st, 1, 3, &got), CS_OK);
	assert_int_equal(got.n, 0);
	series_release(&got);

	/* A series written again replaces the row. */
	assert_int_equal(series_cover(&s, MI(2024, 12), MI(2025, 3)), CS_OK);
	s.value[0] = 5;
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->put_series(st, &s), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	assert_int_equal(st->ops->get_series(st, 1, 2, &got), CS_OK);
	assert_int_equal(got.first_month, MI(2024, 12));
	assert_int_equal(got.n, 4);
	CHECK_NUM(got.value[0], 5, "grown");
	CHECK_NUM(got.value[1], 1e300, "moved");
	series_release(&got);
	series_release(&s);
	series_release(&empty);

	int n = 0;
	assert_int_equal(st->ops->scan_series(st, count_series, &n), CS_OK);
	assert_int_equal(n, 2);
}

static void test_comment_meta(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->st;
	char *c = NULL;
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->put_comment(st, 1, 2, 300, "核实 'x'"),
			 CS_OK);
	assert_int_equal(st->ops->set_meta(st, "city", "锦州"), CS_OK);
	assert_int_equal(st->ops->set_meta(st, "city", "Jinzhou"), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	assert_int_equal(st->ops->get_comment(st, 1, 2, 300, &c), CS_OK);
	assert_string_equal(c, "核实 'x'");
	free(c);
	check_meta(st, "city", "Jinzhou");
	check_meta(st, "nothing", NULL);
	/* An empty comment removes it. */
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->put_comment(st, 1, 2, 300, ""), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	assert_int_equal(st->ops->get_comment(st, 1, 2, 300, &c), CS_OK);
	assert_null(c);
}

static int sum_target(void *ctx, const struct target *t)
{
	*(double *)ctx += t->value;
	return CS_OK;
}

static int sum_benchmark(void *ctx, const struct benchmark *b)
{
	assert_string_equal(b->group, "全省平均");
	*(double *)ctx += b->value;
	return CS_OK;
}

static void test_targets_benchmarks(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->st;
	struct target t = {.indicator_id = 1, .area_id = 1, .year = 2025,
			   .value = 10};
	struct benchmark b = {.indicator_id = 1, .group = Z("全省平均"),
			      .month = MI(2025, 9), .value = 3};
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->put_target(st, &t), CS_OK);
	t.value = 12; /* the same key: replaced */
	assert_int_equal(st->ops->put_target(st, &t), CS_OK);
	t.kind = TARGET_PLAN;
	t.value = 100;
	assert_int_equal(st->ops->put_target(st, &t), CS_OK);
	assert_int_equal(st->ops->put_benchmark(st, &b), CS_OK);
	b.value = 4;
	assert_int_equal(st->ops->put_benchmark(st, &b), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	double sum = 0;
	assert_int_equal(st->ops->scan_targets(st, sum_target, &sum), CS_OK);
	CHECK_NUM(sum, 112, "targets");
	sum = 0;
	assert_int_equal(st->ops->scan_benchmarks(st, sum_benchmark, &sum),
			 CS_OK);
	CHECK_NUM(sum, 4, "benchmarks");
}

/* ---- transactions ----------------------------------------------------- */

static void test_nested(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->st;
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->set_meta(st, "a", "1"), CS_OK);
	/* An inner rollback undoes only its own writes. */
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->set_meta(st, "a", "2"), CS_OK);
	assert_int_equal(st->ops->set_meta(st, "b", "2"), CS_OK);
	assert_int_equal(st->ops->rollback(st), CS_OK);
	check_meta(st, "a", "1");
	check_meta(st, "b", NULL);
	/* An inner commit hands its writes to the outer transaction. */
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->set_meta(st, "c", "3"), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	reopen(fx, 0);
	st = fx->st;
	check_meta(st, "a", "1");
	check_meta(st, "c", "3");

	/* The outer rollback undoes everything, inner commits included. */
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->set_meta(st, "d", "4"), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	assert_int_equal(st->ops->rollback(st), CS_OK);
	check_meta(st, "d", NULL);
}

/* ---- bulk transactions ------------------------------------------------ */

/* Puts series ind/area of three months, the first figure v. */
static void put_one(struct store *st, int ind, int area, double v)
{
	struct series s;
	assert_int_equal(series_init(&s, ind, area, MI(2025, 1), 3), CS_OK);
	s.value[0] = v;
	s.flags[0] = VALUE_APPROVED;
	s.change[0] = (uint32_t)area;
	assert_int_equal(st->ops->put_series(st, &s), CS_OK);
	series_release(&s);
}

/* Checks the first figure of series ind/area, NaN: not stored. */
static void check_one(struct store *st, int ind, int area, double want)
{
	struct series got;
	int rc = st->ops->get_series(st, ind, area, &got);
	if (isnan(want)) {
		assert_int_equal(rc, CS_ENOTFOUND);
		return;
	}
	assert_int_equal(rc, CS_OK);
	assert_int_equal(got.n, 3);
	assert_int_equal(got.flags[0], VALUE_APPROVED);
	CHECK_NUM(got.value[0], want, "first figure");
	CHECK_NUM(got.value[1], NAN, "second figure");
	series_release(&got);
}

static int just_count(void *ctx, const struct series *s)
{
	(void)s;
	++*(int *)ctx;
	return CS_OK;
}

static int count_stored(struct store *st)
{
	int n = 0;
	assert_int_equal(st->ops->scan_series(st, just_count, &n), CS_OK);
	return n;
}

/* Collects the before of each history row, in order. */
struct befores {
	double v[8];
	int n;
};

static int collect_before(void *ctx, const struct value_change *c)
{
	struct befores *b = ctx;
	assert_true(b->n < 8);
	b->v[b->n++] = c->before;
	return CS_OK;
}

static void check_befores(struct store *st, int n, const double *want)
{
	struct befores b = {0};
	assert_int_equal(st->ops->scan_history(st, 2, 5, MI(2025, 1),
					       collect_before, &b),
			 CS_OK);
	assert_int_equal(b.n, n);
	for (int k = 0; k < n; k++)
		CHECK_NUM(b.v[k], want[k], "history before");
}

/*
 * A bulk transaction (on PostgreSQL: COPY, new series straight into the
 * table, the others staged and merged) keeps every guarantee of a plain
 * one: it reads its own writes, a series put twice keeps the last,
 * savepoints hold, a rollback leaves nothing, and so does a plain
 * transaction that goes bulk on its own after many puts.
 */
static void test_bulk(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->st;
	struct target t = {.indicator_id = 1, .area_id = 1, .year = 2025,
			   .value = 10};
	double sum;
	assert_int_equal(st->ops->begin(st), CS_OK);
	for (int a = 1; a <= 3; a++)
		put_one(st, 1, a, a);
	assert_int_equal(st->ops->put_target(st, &t), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);

	assert_int_equal(st->ops->begin_bulk(st), CS_OK);
	for (int a = 1; a <= 1000; a++)
		put_one(st, 2, a, a);
	put_one(st, 2, 5, -5);  /* new in this transaction, put again */
	put_one(st, 1, 1, 100); /* there before */
	put_one(st, 1, 1, 101); /* and again */
	check_one(st, 2, 5, -5);
	check_one(st, 2, 6, 6);
	check_one(st, 1, 1, 101);
	check_one(st, 1, 2, 2);
	put_one(st, 2, 5, -55); /* after a read of it */
	check_one(st, 2, 5, -55);
	t.value = 11;
	assert_int_equal(st->ops->put_target(st, &t), CS_OK);
	t.value = 12;
	assert_int_equal(st->ops->put_target(st, &t), CS_OK);
	struct target t2 = {.indicator_id = 2, .area_id = 1, .year = 2025,
			    .value = 1};
	assert_int_equal(st->ops->put_target(st, &t2), CS_OK);
	t2.value = 2; /* new in this transaction, put again */
	assert_int_equal(st->ops->put_target(st, &t2), CS_OK);
	sum = 0;
	assert_int_equal(st->ops->scan_targets(st, sum_target, &sum), CS_OK);
	CHECK_NUM(sum, 14, "targets in the transaction");
	/* History rows, with and without a before and a comment. */
	long cid;
	static const double befores[] = {1, NAN, 5};
	assert_int_equal(st->ops->add_change(st, "test", "bulk", &cid), CS_OK);
	struct value_change c = {.change_id = cid, .before = 1, .after = 2,
				 .state_before = VALUE_DRAFT,
				 .state_after = VALUE_APPROVED,
				 .comment = "核实"};
	assert_int_equal(st->ops->add_history(st, 2, 5, MI(2025, 1), &c),
			 CS_OK);
	c.before = NAN;
	c.comment = NULL;
	assert_int_equal(st->ops->add_history(st, 2, 5, MI(2025, 1), &c),
			 CS_OK);
	check_befores(st, 2, befores);
	/* A savepoint rolled back takes just its own writes. */
	assert_int_equal(st->ops->begin(st), CS_OK);
	c.before = 99;
	assert_int_equal(st->ops->add_history(st, 2, 5, MI(2025, 1), &c),
			 CS_OK);
	put_one(st, 2, 7, 77);
	put_one(st, 2, 2000, 1);
	put_one(st, 1, 2, 22);
	assert_int_equal(st->ops->rollback(st), CS_OK);
	check_one(st, 2, 7, 7);
	check_one(st, 2, 2000, NAN);
	check_one(st, 1, 2, 2);
	check_befores(st, 2, befores);
	c.before = 5;
	assert_int_equal(st->ops->add_history(st, 2, 5, MI(2025, 1), &c),
			 CS_OK);
	assert_int_equal(st->ops->begin(st), CS_OK);
	put_one(st, 2, 8, 88);
	assert_int_equal(st->ops->commit(st), CS_OK);
	assert_int_equal(count_stored(st), 1003);
	assert_int_equal(st->ops->commit(st), CS_OK);

	reopen(fx, 0);
	st = fx->st;
	assert_int_equal(count_stored(st), 1003);
	check_one(st, 2, 5, -55);
	check_one(st, 2, 8, 88);
	check_one(st, 2, 1000, 1000);
	check_one(st, 1, 1, 101);
	check_one(st, 1, 3, 3);
	check_befores(st, 3, befores);
	sum = 0;
	assert_int_equal(st->ops->scan_targets(st, sum_target, &sum), CS_OK);
	CHECK_NUM(sum, 14, "targets");

	/* Series read back in a bulk transaction, written, read again
	 * after the staged ones were merged. */
	assert_int_equal(st->ops->begin_bulk(st), CS_OK);
	check_one(st, 2, 1, 1);
	check_one(st, 2, 3000, NAN);
	put_one(st, 2, 2, 222);
	check_one(st, 2, 2, 222);
	check_one(st, 2, 3, 3);
	assert_int_equal(st->ops->begin(st), CS_OK);
	check_one(st, 2, 2, 222);
	put_one(st, 2, 3, 333);
	assert_int_equal(st->ops->rollback(st), CS_OK);
	check_one(st, 2, 3, 3);
	check_one(st, 2, 2, 222);
	assert_int_equal(st->ops->commit(st), CS_OK);
	check_one(st, 2, 2, 222);
	check_one(st, 2, 3, 3);

	/* All or nothing. */
	assert_int_equal(st->ops->begin_bulk(st), CS_OK);
	for (int a = 1; a <= 600; a++)
		put_one(st, 3, a, a);
	put_one(st, 1, 1, 0);
	assert_int_equal(st->ops->rollback(st), CS_OK);
	assert_int_equal(count_stored(st), 1003);
	check_one(st, 1, 1, 101);

	/* A plain transaction with many puts. */
	assert_int_equal(st->ops->begin(st), CS_OK);
	for (int a = 1; a <= 1200; a++)
		put_one(st, 4, a, a);
	put_one(st, 4, 1, -1);
	check_one(st, 4, 1, -1);
	check_one(st, 4, 1200, 1200);
	assert_int_equal(count_stored(st), 2203);
	assert_int_equal(st->ops->commit(st), CS_OK);
	assert_int_equal(count_stored(st), 2203);
	check_one(st, 4, 1, -1);
}

/* A rolled back insert leaves no gap: the audit chain counts on it. */
static void test_ids_after_rollback(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->st;
	struct audit_entry e = {.at = "2025-10-01T08:30:00.000Z",
				.actor = "alice", .action = "set",
				.object = "FAI/210726/2025-09"};
	long id = 0, last = -1;
	uint8_t hash[SESSION_HASH];
	memset(e.hash, 0xab, SESSION_HASH);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(st->ops->begin(st), CS_OK);
		assert_int_equal(st->ops->add_change(st, "alice", "set", &id),
				 CS_OK);
		assert_int_equal(id, 1);
		assert_int_equal(st->ops->add_audit(st, &e), CS_OK);
		assert_int_equal(e.id, 1);
		assert_int_equal(k ? st->ops->commit(st) : st->ops->rollback(st),
				 CS_OK);
	}
	assert_int_equal(st->ops->last_audit(st, &last, hash), CS_OK);
	assert_int_equal(last, 1);
	assert_memory_equal(hash, e.hash, SESSION_HASH);
}

static int count_audit(void *ctx, const struct audit_entry *e)
{
	long *ids = ctx;
	ids[ids[0] + 1] = e->id;
	ids[0]++;
	assert_null(e->before);
	assert_string_equal(e->after, "{}");
	return CS_OK;
}

static void test_audit_scan(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->st;
	long id = -1, ids[8] = {0};
	uint8_t hash[SESSION_HASH];
	assert_int_equal(st->ops->last_audit(st, &id, hash), CS_OK);
	assert_int_equal(id, 0);
	assert_int_equal(st->ops->begin(st), CS_OK);
	for (int k = 0; k < 5; k++) {
		struct audit_entry e = {.at = "t", .actor = "a",
					.action = "set", .object = "o",
					.after = "{}"};
		assert_int_equal(st->ops->add_audit(st, &e), CS_OK);
		assert_int_equal(e.id, k + 1);
	}
	assert_int_equal(st->ops->commit(st), CS_OK);
	assert_int_equal(st->ops->scan_audit(st, 2, 2, count_audit, ids),
			 CS_OK);
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], 2);
	assert_int_equal(ids[2], 3);
	memset(ids, 0, sizeof ids);
	assert_int_equal(st->ops->scan_audit(st, 4, 0, count_audit, ids),
			 CS_OK);
	assert_int_equal(ids[0], 2);
}

static void test_readonly(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(fx->st->ops->begin(fx->st), CS_OK);
	assert_int_equal(fx->st->ops->set_meta(fx->st, "a", "1"), CS_OK);
	assert_int_equal(fx->st->ops->commit(fx->st), CS_OK);
	reopen(fx, STORE_READONLY);
	struct store *st = fx->st;
	check_meta(st, "a", "1");
	assert_int_equal(st->ops->set_meta(st, "a", "2"), CS_ESTORE);
	assert_non_null(strstr(cs_errmsg(), "set meta"));
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->set_meta(st, "a", "2"), CS_ESTORE);
	assert_int_equal(st->ops->rollback(st), CS_OK);
	check_meta(st, "a", "1");
}

/* ---- accounts --------------------------------------------------------- */

static void test_users_sessions(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->st;
	struct user u = {.name = Z("ann"), .role = ROLE_ADMIN,
			 .password = Z("$argon2id$x"), .locked_until = 1L << 40};
	struct user v = {.name = Z("bob"), .role = ROLE_DEPARTMENT,
			 .department_id = 3, .password = Z("p")};
	struct session s = {.user_id = 0, .kind = SESSION_TOKEN,
			    .csrf = "c0ffee", .created = 100,
			    .last_seen = 100, .expires = 1L << 35,
			    .label = Z("sync")};
	struct user got;
	struct session gs;
	for (int k = 0; k < SESSION_HASH; k++)
		s.hash[k] = (uint8_t)(k * 7); /* a 0 byte among them */

	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->put_user(st, &u), CS_OK);
	assert_int_equal(st->ops->put_user(st, &v), CS_OK);
	assert_int_equal(u.id, 1);
	assert_int_equal(v.id, 2);
	u.failed = 3;
	assert_int_equal(st->ops->put_user(st, &u), CS_OK);
	assert_int_equal(u.id, 1);
	s.user_id = u.id;
	assert_int_equal(st->ops->put_session(st, &s), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);

	assert_int_equal(st->ops->get_user(st, "ann", 0, &got), CS_OK);
	assert_int_equal(got.id, 1);
	assert_int_equal(got.failed, 3);
	assert_int_equal(got.locked_until, 1L << 40);
	assert_string_equal(got.password, "$argon2id$x");
	assert_int_equal(strlen(got.created), 20); /* 2025-10-01T08:30:00Z */
	user_release(&got);
	assert_int_equal(st->ops->get_user(st, NULL, 2, &got), CS_OK);
	assert_string_equal(got.name, "bob");
	assert_int_equal(got.department_id, 3);
	assert_int_equal(got.area_id, 0);
	user_release(&got);
	assert_int_equal(st->ops->get_user(st, "carl", 0, &got),
			 CS_ENOTFOUND);

	assert_int_equal(st->ops->get_session(st, s.hash, &gs), CS_OK);
	assert_int_equal(gs.user_id, 1);
	assert_int_equal(gs.kind, SESSION_TOKEN);
	assert_string_equal(gs.csrf, "c0ffee");
	assert_int_equal(gs.expires, 1L << 35);
	assert_string_equal(gs.label, "sync");
	session_release(&gs);
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->touch_session(st, s.hash, 200), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	assert_int_equal(st->ops->get_session(st, s.hash, &gs), CS_OK);
	assert_int_equal(gs.last_seen, 200);
	session_release(&gs);
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->delete_user_sessions(st, u.id), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	assert_int_equal(st->ops->get_session(st, s.hash, &gs), CS_ENOTFOUND);
}

/* ---- the change feed --------------------------------------------------- */

#define OTHER "another-node" /* a node that wrote none of it */

static struct feed_news news_after(struct store *st, long after,
				   const char *node)
{
	struct feed_news n;
	assert_int_equal(st->ops->feed_poll(st, after, node, &n), CS_OK);
	return n;
}

static int feed_one(void *ctx, const struct series *s)
{
	int *n = ctx;
	assert_int_equal(s->indicator_id, 4);
	assert_int_equal(s->area_id, 5);
	assert_int_equal(s->n, 3);
	assert_true(s->value[0] == 2.5);
	(*n)++;
	return CS_OK;
}

static void test_feed(void **state)
{
	struct fixture *fx = *state;
	struct store *st = fx->st;
	struct area a = {.code = Z("210700"), .name = Z("锦州市"),
			 .name_en = Z(""), .level = 1};
	struct feed_news n = news_after(st, 0, OTHER);
	assert_int_equal(n.top, 0);

	/* A series written: a row naming it, which its own node skips. */
	assert_int_equal(st->ops->begin(st), CS_OK);
	put_one(st, 4, 5, 1.0);
	put_one(st, 4, 5, 2.5);
	assert_int_equal(st->ops->commit(st), CS_OK);
	n = news_after(st, 0, OTHER);
	assert_int_equal(n.series, 2);
	assert_int_equal(n.all, 0);
	assert_int_equal(n.bottom, 1);
	long top = n.top;
	assert_int_equal(top, 2);
	assert_int_equal(news_after(st, 0, store_node()).series, 0);
	assert_int_equal(news_after(st, top, OTHER).series, 0);
	int seen = 0;
	assert_int_equal(st->ops->feed_series(st, 0, top, OTHER, feed_one,
					      &seen),
			 CS_OK);
	assert_int_equal(seen, 1); /* the series once, as it is now */
	seen = 0;
	assert_int_equal(st->ops->feed_series(st, 0, top, store_node(),
					      feed_one, &seen),
			 CS_OK);
	assert_int_equal(seen, 0);

	/* A catalog change: one row for the whole transaction. */
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->put_area(st, &a), CS_OK);
	assert_int_equal(st->ops->put_area(st, &a), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	n = news_after(st, top, OTHER);
	assert_int_equal(n.all, 1);
	assert_int_equal(n.series, 0);
	top = n.top;

	/* Rolled back with its savepoint, the row is written again by the
	 * next change; kept by a released one, it is not. */
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->put_area(st, &a), CS_OK);
	assert_int_equal(st->ops->rollback(st), CS_OK);
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->put_area(st, &a), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	assert_int_equal(st->ops->begin(st), CS_OK);
	assert_int_equal(st->ops->put_area(st, &a), CS_OK);
	assert_int_equal(st->ops->rollback(st), CS_OK);
	assert_int_equal(st->ops->commit(st), CS_OK);
	n = news_after(st, top, OTHER);
	assert_int_equal(n.all, 1);
	assert_int_equal(n.top, top + 1);
	top = n.top;

	/* A bulk transaction: one row, however many series. */
	assert_int_equal(st->ops->begin_bulk(st), CS_OK);
	for (int k = 0; k < 5; k++)
		put_one(st, 6, 7 + k, k);
	assert_int_equal(st->ops->commit(st), CS_OK);
	n = news_after(st, top, OTHER);
	assert_int_equal(n.all, 1);
	assert_int_equal(n.series, 0);
	top = n.top;

	/* Pruning keeps the newest rows, never all of them. */
	assert_int_equal(st->ops->feed_prune(st, 2), CS_OK);
	n = news_after(st, 0, OTHER);
	assert_int_equal(n.top, top);
	assert_int_equal(n.bottom, top - 1);
	assert_int_equal(st->ops->feed_prune(st, 0), CS_OK);
	n = news_after(st, 0, OTHER);
	assert_int_equal(n.top, top);
	assert_int_equal(n.bottom, top);

	/* Waiting returns, notified or not. */
	assert_int_equal(st->ops->feed_wait(st, 30), CS_OK);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_open_missing),
	    T(test_name),
	    T(test_catalog),
	    T(test_series),
	    T(test_comment_meta),
	    T(test_targets_benchmarks),
	    T(test_nested),
	    T(test_bulk),
	    T(test_ids_after_rollback),
	    T(test_audit_scan),
	    T(test_readonly),
	    T(test_users_sessions),
	    T(test_feed),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
