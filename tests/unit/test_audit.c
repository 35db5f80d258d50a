/*
 * Unit tests of src/domain/audit.c over a real SQLite database in a
 * temporary directory: the hash of an entry byte for byte, the chain that
 * value_set and import_files leave, and verify naming the first entry that
 * was altered by hand through sqlite3 (a field, a hash, a deletion, a swap,
 * a forged hash), while a failed import and a dry run leave no entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/secret.h"
#include "domain/audit.h"
#include "domain/civstat.h"
#include "domain/import.h"
#include "domain/values.h"
#include "domain/workflow.h"
#include "store/store.h"

#include "fixture.h"

#define MAX_ROWS 16

static const struct {
	const char *name, *text;
} CATALOG[] = {
    {"departments.csv", "code,name\nFGW,市发展和改革委员会\n"},
    {"areas.csv", "code,name,parent\n210700,锦州市,\n210726,黑山县,210700\n"},
    {"indicators.csv",
     "code,name,unit,pillar,frequency,time_agg,area_agg,direction,"
     "department\nFAI,固定资产投资,亿元,vital,month,sum,sum,up,FGW\n"},
    {"values.csv", "indicator,area,period,value\nFAI,210726,2025-01,4.5\n"},
};

struct fixture {
	char dir[FIXTURE_DIR];
	char db[128];
	char files[NELEM(CATALOG)][FIXTURE_PATH];
	struct civstat *cs;
};

/* An entry as read back, with copies of its strings. */
struct row {
	long id;
	char *at, *actor, *action, *object, *before, *after, *request_id;
	uint8_t prev_hash[SESSION_HASH], hash[SESSION_HASH];
};

struct rows {
	struct row r[MAX_ROWS];
	int n;
};

static char *dup_opt(const char *z)
{
	char *d = z ? strdup(z) : NULL;
	assert_true(!z || d);
	return d;
}

static int collect(void *ctx, const struct audit_entry *e)
{
	struct rows *rs = ctx;
	assert_true(rs->n < MAX_ROWS);
	struct row *r = &rs->r[rs->n++];
	r->id = e->id;
	r->at = dup_opt(e->at);
	r->actor = dup_opt(e->actor);
	r->action = dup_opt(e->action);
	r->object = dup_opt(e->object);
	r->before = dup_opt(e->before);
	r->after = dup_opt(e->after);
	r->request_id = dup_opt(e->request_id);
	memcpy(r->prev_hash, e->prev_hash, SESSION_HASH);
	memcpy(r->hash, e->hash, SESSION_HASH);
	return CS_OK;
}

static void rows_read(struct civstat *cs, struct rows *rs)
{
	memset(rs, 0, sizeof *rs);
	assert_int_equal(cs->st->ops->scan_audit(cs->st, 0, 0, collect, rs),
			 CS_OK);
}

static void rows_release(struct rows *rs)
{
	for (int k = 0; k < rs->n; k++) {
		struct row *r = &rs->r[k];
		free(r->at);
		free(r->actor);
		free(r->action);
		free(r->object);
		free(r->before);
		free(r->after);
		free(r->request_id);
	}
	rs->n = 0;
}

static long entries(struct civstat *cs)
{
	struct rows rs;
	rows_read(cs, &rs);
	long n = rs.n;
	rows_release(&rs);
	return n;
}

static int import_opts(struct fixture *fx, int dry_run, int n,
		       const char *const *files)
{
	struct import_opts o = {.dry_run = dry_run};
	struct import_report r;
	int rc = import_files(fx->cs, files, n, &o, &r);
	import_report_release(&r);
	return rc;
}

/* Opens a fresh database dir/name with the catalog imported: entry 1. */
static void fresh(struct fixture *fx, const char *name)
{
	civstat_close(fx->cs);
	fx->cs = NULL;
	fixture_db(fx->db, sizeof fx->db, fx->dir, name);
	assert_int_equal(civstat_open(fx->db, STORE_CREATE, &fx->cs), CS_OK);
	const char *files[NELEM(CATALOG)];
	for (size_t k = 0; k < NELEM(CATALOG); k++)
		files[k] = fx->files[k];
	assert_int_equal(import_opts(fx, 0, NELEM(CATALOG), files), CS_OK);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	fixture_mkdtemp(fx->dir, "test_audit");
	for (size_t k = 0; k < NELEM(CATALOG); k++)
		write_file(fx->dir, CATALOG[k].name, CATALOG[k].text,
			   fx->files[k]);
	fresh(fx, "city.db");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];
	civstat_close(fx->cs);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

static void set(struct civstat *cs, int m, double v, const char *comment)
{
	assert_int_equal(value_set(cs, II(cs, "FAI"), IA(cs, "210726"), m, v,
				   VALUE_APPROVED, comment),
			 CS_OK);
}

/* ---- the hash --------------------------------------------------------- */

/* Appends a field as the hash takes it: length big-endian, bytes. */
static size_t field(uint8_t *buf, size_t at, const char *z)
{
	uint32_t n = z ? (uint32_t)strlen(z) : UINT32_MAX;
	buf[at++] = (uint8_t)(n >> 24);
	buf[at++] = (uint8_t)(n >> 16);
	buf[at++] = (uint8_t)(n >> 8);
	buf[at++] = (uint8_t)n;
	if (z) {
		memcpy(buf + at, z, n);
		at += n;
	}
	return at;
}

static void test_hash(void **state)
{
	(void)state;
	assert_int_equal(secret_init(), CS_OK);
	struct audit_entry e = {
	    .id = 42,
	    .at = "2025-10-01T08:30:00.123Z",
	    .actor = "alice",
	    .action = "set",
	    .object = "FAI/210726/2025-09",
	    .before = NULL,
	    .after = "{\"value\":1.5}",
	    .request_id = "",
	};
	for (int k = 0; k < SESSION_HASH; k++)
		e.prev_hash[k] = (uint8_t)k;
	uint8_t buf[512], want[SECRET_SHA256];
	size_t n = SESSION_HASH;
	memcpy(buf, e.prev_hash, SESSION_HASH);
	const char *const fields[] = {"42", e.at, e.actor, e.action,
				      e.object, e.before, e.after,
				      e.request_id};
	for (size_t k = 0; k < NELEM(fields); k++)
		n = field(buf, n, fields[k]);
	secret_sha256(want, buf, n);
	audit_hash(&e);
	assert_memory_equal(e.hash, want, SECRET_SHA256);

	/* Every field counts; NULL is not "", and lengths keep fields
	 * apart. */
	struct audit_entry f = e;
	f.request_id = NULL;
	audit_hash(&f);
	assert_memory_not_equal(f.hash, e.hash, SESSION_HASH);
	f = e;
	f.actor = "alic";
	f.action = "eset";
	audit_hash(&f);
	assert_memory_not_equal(f.hash, e.hash, SESSION_HASH);
	f = e;
	f.id = 43;
	audit_hash(&f);
	assert_memory_not_equal(f.hash, e.hash, SESSION_HASH);
	f = e;
	f.prev_hash[31] ^= 1;
	audit_hash(&f);
	assert_memory_not_equal(f.hash, e.hash, SESSION_HASH);
}

/* ---- the chain the writes leave --------------------------------------- */

static void test_chain(void **state)
{
	struct fixture *fx = *state;
	struct civstat *cs = fx->cs;
	struct rows rs;
	long checked = -1, bad = -1;
	uint8_t zeros[SESSION_HASH] = {0};

	cs->actor = "alice";
	cs->request_id = "req-7";
	set(cs, MI(2025, 1), 12.3, "核实");
	set(cs, MI(2025, 2), 7, NULL);
	set(cs, MI(2025, 1), NAN, NULL);
	assert_int_equal(audit_verify(cs, &checked, &bad), CS_OK);
	assert_int_equal(checked, 4);
	assert_int_equal(bad, -1);

	rows_read(cs, &rs);
	assert_int_equal(rs.n, 4);
	for (int k = 0; k < rs.n; k++) {
		struct row *r = &rs.r[k];
		assert_int_equal(r->id, k + 1);
		assert_memory_equal(r->prev_hash, k ? rs.r[k - 1].hash : zeros,
				    SESSION_HASH);
		/* 2025-10-01T08:30:00.123Z */
		assert_int_equal(strlen(r->at), 24);
		assert_int_equal(r->at[10], 'T');
		assert_int_equal(r->at[19], '.');
		assert_int_equal(r->at[23], 'Z');
	}
	/* The import, by whoever opened the database. */
	assert_string_equal(rs.r[0].action, "import");
	assert_string_equal(rs.r[0].actor, "cli");
	assert_null(rs.r[0].request_id);
	assert_null(rs.r[0].before);
	assert_non_null(strstr(rs.r[0].object, "/areas.csv, "));
	assert_non_null(strstr(rs.r[0].after, "\"rows\":{\"departments\":1,"
					      "\"areas\":2,\"indicators\":1,"
					      "\"values\":1}"));
	assert_non_null(
	    strstr(rs.r[0].after, "\"added\":1,\"changed\":0,\"unchanged\":0"));
	/* A figure changed, one added, one removed. */
	assert_string_equal(rs.r[1].action, "set");
	assert_string_equal(rs.r[1].actor, "alice");
	assert_string_equal(rs.r[1].request_id, "req-7");
	assert_string_equal(rs.r[1].object, "FAI/210726/2025-01");
	assert_string_equal(rs.r[1].before,
			    "{\"value\":4.5,\"state\":\"approved\","
			    "\"comment\":null}");
	assert_string_equal(rs.r[1].after,
			    "{\"value\":12.3,\"state\":\"approved\","
			    "\"comment\":\"核实\"}");
	assert_string_equal(rs.r[2].object, "FAI/210726/2025-02");
	assert_null(rs.r[2].before);
	assert_string_equal(rs.r[2].after,
			    "{\"value\":7.0,\"state\":\"approved\","
			    "\"comment\":null}");
	assert_string_equal(rs.r[3].action, "remove");
	assert_string_equal(rs.r[3].before,
			    "{\"value\":12.3,\"state\":\"approved\","
			    "\"comment\":\"核实\"}");
	assert_null(rs.r[3].after);
	rows_release(&rs);

	/* A second import chains on. */
	char path[FIXTURE_PATH];
	write_file(fx->dir, "more.csv",
		   "indicator,area,period,value\n"
		   "FAI,210726,2025-01,5\nFAI,210726,2025-02,7\n",
		   path);
	const char *files[] = {path};
	assert_int_equal(import_opts(fx, 0, 1, files), CS_OK);
	assert_int_equal(audit_verify(cs, &checked, &bad), CS_OK);
	assert_int_equal(checked, 5);
	rows_read(cs, &rs);
	assert_string_equal(rs.r[4].object, path);
	assert_non_null(strstr(rs.r[4].after, "\"added\":1,\"changed\":0,"
					      "\"unchanged\":1"));
	rows_release(&rs);
}

static void test_empty(void **state)
{
	struct fixture *fx = *state;
	long checked = -1, bad = -1;
	civstat_close(fx->cs);
	fixture_db(fx->db, sizeof fx->db, fx->dir, "empty.db");
	assert_int_equal(civstat_open(fx->db, STORE_CREATE, &fx->cs), CS_OK);
	assert_int_equal(audit_verify(fx->cs, &checked, &bad), CS_OK);
	assert_int_equal(checked, 0);
}

/* ---- nothing to record ------------------------------------------------ */

static void test_no_entry(void **state)
{
	struct fixture *fx = *state;
	char bad[FIXTURE_PATH], good[FIXTURE_PATH];
	write_file(fx->dir, "bad.csv",
		   "indicator,area,period,value\nFAI,210726,2025-01,x\n", bad);
	write_file(fx->dir, "good.csv",
		   "indicator,area,period,value\nFAI,210726,2025-03,1\n", good);
	const char *b[] = {bad}, *g[] = {good}, *both[] = {good, bad};
	assert_int_equal(entries(fx->cs), 1);
	assert_int_equal(import_opts(fx, 0, 1, b), CS_EINVAL);
	assert_int_equal(import_opts(fx, 0, 2, both), CS_EINVAL);
	assert_int_equal(import_opts(fx, 1, 1, g), CS_OK);
	assert_int_equal(import_opts(fx, 1, 1, b), CS_EINVAL);
	assert_int_equal(entries(fx->cs), 1);
	assert_int_equal(import_opts(fx, 0, 1, g), CS_OK);
	assert_int_equal(entries(fx->cs), 2);
}

/* ---- tampering -------------------------------------------------------- */

/* Rewrites entry id's actor to "mallory" and its hash to match: the entry
 * holds, the next one does not follow it. */
static void forge(sqlite3 *db, long id)
{
	sqlite3_stmt *p;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT id, at, actor, action, "
					    "object, before, after, "
					    "request_id, prev_hash FROM audit "
					    "WHERE id = ?1",
					    -1, &p, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(p, 1, id);
	assert_int_equal(sqlite3_step(p), SQLITE_ROW);
	struct audit_entry e = {
	    .id = id,
	    .at = (const char *)sqlite3_column_text(p, 1),
	    .actor = "mallory",
	    .action = (const char *)sqlite3_column_text(p, 3),
	    .object = (const char *)sqlite3_column_text(p, 4),
	    .before = (const char *)sqlite3_column_text(p, 5),
	    .after = (const char *)sqlite3_column_text(p, 6),
	    .request_id = (const char *)sqlite3_column_text(p, 7),
	};
	memcpy(e.prev_hash, sqlite3_column_blob(p, 8), SESSION_HASH);
	audit_hash(&e);
	sqlite3_finalize(p);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "UPDATE audit SET actor = "
			       "'mallory', hash = ?2 WHERE id = ?1",
			       -1, &p, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(p, 1, id);
	sqlite3_bind_blob(p, 2, e.hash, SESSION_HASH, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(p), SQLITE_DONE);
	sqlite3_finalize(p);
}

static const struct tamper {
	const char *name;
	const char *sql; /* run by hand; NULL: forge entry 3 */
	long bad;	 /* the entry verify must name */
	const char *why; /* in its message */
} tampers[] = {
    {"actor", "UPDATE audit SET actor = 'x' WHERE id = 3", 3,
     "audit entry 3: its hash does not match its contents"},
    {"after", "UPDATE audit SET after = '{\"value\":1}' WHERE id = 2", 2,
     "audit entry 2: its hash does not match its contents"},
    {"before to NULL", "UPDATE audit SET before = NULL WHERE id = 2", 2,
     "its hash does not match"},
    {"at", "UPDATE audit SET at = '2020-01-01T00:00:00.000Z' WHERE id = 5", 5,
     "its hash does not match"},
    {"hash", "UPDATE audit SET hash = zeroblob(32) WHERE id = 4", 4,
     "its hash does not match"},
    {"hash of the last", "UPDATE audit SET hash = randomblob(32) WHERE id = 5",
     5, "its hash does not match"},
    {"prev_hash", "UPDATE audit SET prev_hash = zeroblob(32) WHERE id = 3", 3,
     "audit entry 3: its previous hash is not entry 2's hash"},
    {"prev_hash of the first",
     "UPDATE audit SET prev_hash = randomblob(32) WHERE id = 1", 1,
     "audit entry 1: it is first but does not start the chain"},
    {"a short hash", "UPDATE audit SET hash = x'00' WHERE id = 2", 2,
     "its hash does not match"},
    {"deleted in the middle", "DELETE FROM audit WHERE id = 3", 4,
     "audit entry 4: its previous hash is not entry 2's hash"},
    {"deleted first", "DELETE FROM audit WHERE id = 1", 2,
     "audit entry 2: it is first but does not start the chain"},
    {"renumbered", "UPDATE audit SET id = 9 WHERE id = 5", 9,
     "audit entry 9: it follows entry 4, so its id should be 5"},
    {"swapped",
     "UPDATE audit SET id = -id WHERE id IN (2, 3);"
     "UPDATE audit SET id = 3 WHERE id = -2;"
     "UPDATE audit SET id = 2 WHERE id = -3",
     2, "audit entry 2: its previous hash is not entry 1's hash"},
    {"inserted",
     "INSERT INTO audit SELECT 6, at, actor, action, object,"
     " before, after, request_id, prev_hash, hash FROM audit"
     " WHERE id = 5",
     6, "audit entry 6: its previous hash is not entry 5's hash"},
    {"forged hash", NULL, 4,
     "audit entry 4: its previous hash is not entry 3's hash"},
};

static void test_tamper(void **state)
{
	struct fixture *fx = *state;
	FIXTURE_SQLITE_ONLY(); /* it alters the file through sqlite3 */
	for (size_t k = 0; k < NELEM(tampers); k++) {
		const struct tamper *t = &tampers[k];
		char name[32];
		long checked = -1, bad = -1;
		snprintf(name, sizeof name, "tamper%zu.db", k);
		fresh(fx, name);
		for (int m = 1; m <= 4; m++)
			set(fx->cs, MI(2025, m), m * 1.5, NULL);
		assert_int_equal(audit_verify(fx->cs, &checked, &bad), CS_OK);
		assert_int_equal(checked, 5);

		civstat_close(fx->cs);
		fx->cs = NULL;
		sqlite3 *db;
		assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
		if (t->sql) {
			char *err = NULL;
			if (sqlite3_exec(db, t->sql, NULL, NULL, &err))
				fail_msg("%s: %s", t->name, err);
		} else {
			forge(db, 3);
		}
		assert_int_equal(sqlite3_close(db), SQLITE_OK);

		assert_int_equal(civstat_open(fx->db, 0, &fx->cs), CS_OK);
		int rc = audit_verify(fx->cs, &checked, &bad);
		if (rc != CS_ECONFLICT || bad != t->bad ||
		    !strstr(cs_errmsg(), t->why))
			fail_msg("%s: rc %d, entry %ld (want %ld): \"%s\"",
				 t->name, rc, bad, t->bad, cs_errmsg());
		/* The chain stays broken for the entries that come after. */
		set(fx->cs, MI(2025, 5), 1, NULL);
		bad = -1;
		assert_int_equal(audit_verify(fx->cs, &checked, &bad),
				 CS_ECONFLICT);
		assert_int_equal(bad, t->bad);
	}
}

/* ---- a group of writes ------------------------------------------------ */

/*
 * Writes grouped in one transaction (as the server commits them): each
 * still all or nothing, the failed one leaving no trace in the figures or
 * the chain; the figures reach the cube only at the group's commit, and a
 * later write in the group sees the earlier ones.
 */
static void test_group(void **state)
{
	struct fixture *fx = *state;
	struct civstat *cs = fx->cs;
	int i = II(cs, "FAI"), a = IA(cs, "210726");
	struct auth admin = {.role = ROLE_ADMIN, .name = "admin"};
	long checked = -1, bad = -1, before = entries(cs);
	uint8_t flags;

	assert_int_equal(civstat_group_begin(cs), CS_OK);
	assert_int_equal(value_set(cs, i, a, MI(2025, 3), 10, VALUE_DRAFT,
				   NULL),
			 CS_OK);
	/* Not in the cube until the group commits, but seen by the group. */
	CHECK_NUM(cube_own(&cs->cube, i, a, MI(2025, 3)), NAN, "cube, early");
	CHECK_NUM(civstat_figure(cs, i, a, MI(2025, 3), &flags), 10,
		  "in the group");
	assert_int_equal(flags & VALUE_STATE_MASK, VALUE_DRAFT);
	assert_int_equal(workflow_step(cs, &admin, STEP_SUBMIT, i, a,
				       MI(2025, 3), NAN, NULL),
			 CS_OK);
	/* A comment that is not UTF-8 fails inside its own transaction,
	 * after its change row was written: all of it goes. */
	assert_int_equal(value_set(cs, i, a, MI(2025, 4), 20, VALUE_DRAFT,
				   "\xff"),
			 CS_EINVAL);
	set(cs, MI(2025, 5), 30, NULL);
	assert_int_equal(civstat_group_end(cs), CS_OK);

	CHECK_NUM(cube_own(&cs->cube, i, a, MI(2025, 3)), 10, "cube, 3");
	assert_int_equal(cube_flags(&cs->cube, i, a, MI(2025, 3)) &
				 VALUE_STATE_MASK,
			 VALUE_SUBMITTED);
	CHECK_NUM(cube_own(&cs->cube, i, a, MI(2025, 4)), NAN, "cube, 4");
	CHECK_NUM(cube_own(&cs->cube, i, a, MI(2025, 5)), 30, "cube, 5");
	assert_int_equal(entries(cs), before + 3);
	assert_int_equal(audit_verify(cs, &checked, &bad), CS_OK);
	assert_int_equal(bad, -1);

	/* Durable: a fresh open reads the same. */
	civstat_close(cs);
	assert_int_equal(civstat_open(fx->db, 0, &fx->cs), CS_OK);
	cs = fx->cs;
	CHECK_NUM(cube_own(&cs->cube, i, a, MI(2025, 3)), 10, "reopened, 3");
	CHECK_NUM(cube_own(&cs->cube, i, a, MI(2025, 4)), NAN, "reopened, 4");
	CHECK_NUM(cube_own(&cs->cube, i, a, MI(2025, 5)), 30, "reopened, 5");
	assert_int_equal(entries(cs), before + 3);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hash),
	    T(test_chain),
	    T(test_empty),
	    T(test_no_entry),
	    T(test_tamper),
	    T(test_group),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
