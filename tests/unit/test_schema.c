/*
 * Unit tests of the one schema description (store/schema.h): the tables
 * SQLite and PostgreSQL hold after their migrate() are the columns the
 * description lists, the same in both dialects, read back from the
 * databases themselves (PRAGMA table_info; information_schema on the
 * server of CIVSTAT_TEST_PG); and databases made by older civstats, at
 * versions 1 to 3, are brought to the latest version.
 */
#include "fixture.h"

#include <sqlite3.h>

#include "store/schema.h"

/* Version 1 to 3 of the SQLite schema exactly as civstat wrote them before
 * the description existed: the files out there hold these tables. */
static const char *const old_sqlite[3] = {
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE area(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL, name_en TEXT NOT NULL DEFAULT '',"
	" parent_id INTEGER, level INTEGER NOT NULL, kind INTEGER NOT NULL);"
	"CREATE TABLE department(id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
	" name_en TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE indicator(id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, name_en TEXT NOT NULL,"
	" unit TEXT NOT NULL, pillar INTEGER NOT NULL,"
	" frequency INTEGER NOT NULL, time_agg INTEGER NOT NULL,"
	" area_agg INTEGER NOT NULL, direction INTEGER NOT NULL,"
	" department_id INTEGER, source TEXT NOT NULL, formula TEXT NOT NULL,"
	" decimals INTEGER NOT NULL, weight REAL, min REAL, max REAL,"
	" part_of TEXT NOT NULL, max_jump REAL);"
	"CREATE TABLE series(indicator_id INTEGER NOT NULL,"
	" area_id INTEGER NOT NULL, first_month INTEGER NOT NULL,"
	" n INTEGER NOT NULL, value BLOB NOT NULL, flags BLOB NOT NULL,"
	" change BLOB NOT NULL, PRIMARY KEY(indicator_id, area_id))"
	" WITHOUT ROWID;"
	"CREATE TABLE value_comment(indicator_id INTEGER NOT NULL,"
	" area_id INTEGER NOT NULL, month INTEGER NOT NULL,"
	" comment TEXT NOT NULL, PRIMARY KEY(indicator_id, area_id, month))"
	" WITHOUT ROWID;"
	"CREATE TABLE change(id INTEGER PRIMARY KEY, at TEXT NOT NULL,"
	" actor TEXT NOT NULL, what TEXT NOT NULL);"
	"CREATE TABLE value_history(id INTEGER PRIMARY KEY,"
	" indicator_id INTEGER NOT NULL, area_id INTEGER NOT NULL,"
	" month INTEGER NOT NULL, change_id INTEGER NOT NULL,"
	" prev_change INTEGER NOT NULL, before REAL, after REAL,"
	" state_before INTEGER NOT NULL, state_after INTEGER NOT NULL,"
	" comment TEXT);"
	"CREATE INDEX value_history_key"
	" ON value_history(indicator_id, area_id, month);"
	"CREATE TABLE target(indicator_id INTEGER NOT NULL,"
	" area_id INTEGER NOT NULL, year INTEGER NOT NULL,"
	" kind INTEGER NOT NULL, value REAL NOT NULL, sample INTEGER NOT NULL,"
	" PRIMARY KEY(indicator_id, area_id, year, kind)) WITHOUT ROWID;"
	"CREATE TABLE benchmark(indicator_id INTEGER NOT NULL,"
	" grp TEXT NOT NULL, month INTEGER NOT NULL, kind INTEGER NOT NULL,"
	" measure INTEGER NOT NULL, value REAL NOT NULL,"
	" sample INTEGER NOT NULL,"
	" PRIMARY KEY(indicator_id, grp, month, kind, measure)) WITHOUT ROWID;",
	"CREATE TABLE user(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" role INTEGER NOT NULL, department_id INTEGER, area_id INTEGER,"
	" password TEXT NOT NULL, disabled INTEGER NOT NULL,"
	" failed INTEGER NOT NULL, locked_until INTEGER NOT NULL,"
	" created TEXT NOT NULL);"
	"CREATE TABLE session(hash BLOB PRIMARY KEY, user_id INTEGER NOT NULL,"
	" kind INTEGER NOT NULL, csrf TEXT NOT NULL, created INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL, expires INTEGER NOT NULL,"
	" label TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX session_user ON session(user_id);"
	"CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL,"
	" actor TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL,"
	" before TEXT, after TEXT, request_id TEXT, prev_hash BLOB NOT NULL,"
	" hash BLOB NOT NULL);",
	"ALTER TABLE indicator ADD COLUMN published INTEGER NOT NULL DEFAULT 1;",
};

/* A few rows a version 3 city holds, written as that civstat wrote them. */
static const char v3_rows[] =
	"INSERT INTO area VALUES(1, '210700', '锦州市', 'Jinzhou', NULL, 1, 0);"
	"INSERT INTO indicator VALUES(1, 'FAI', '固定资产投资', 'FAI', '亿元',"
	" 0, 0, 0, 0, 0, NULL, 'sample', '', 1, 10, NULL, NULL, '', NULL, 0);"
	"INSERT INTO change VALUES(1, '2025-10-01T08:00:00.000Z', 'cli',"
	" 'import values.csv');"
	"INSERT INTO user VALUES(1, 'admin', 4, NULL, NULL, '$argon2id$x', 0,"
	" 0, 0, '2025-10-01T08:00:00Z');";

/* One line per column, "table.column type null|notnull [key]", in the
 * words both databases are brought to: the types as the description's
 * families (an id is "int" whether integer or bigint), a key column as not
 * null (PostgreSQL makes it so; SQLite is told so where it matters). */
static void line(char **buf, size_t *len, const char *table,
		 const char *column, const char *type, int notnull, int key)
{
	char row[160];
	int n = snprintf(row, sizeof row, "%s.%s %s %s%s\n", table, column,
			 type, notnull || key ? "notnull" : "null",
			 key ? " key" : "");
	assert_true(n > 0 && (size_t)n < sizeof row);
	*buf = realloc(*buf, *len + (size_t)n + 1);
	assert_non_null(*buf);
	memcpy(*buf + *len, row, (size_t)n + 1);
	*len += (size_t)n;
}

static const char *family(const char *type)
{
	if (!strcasecmp(type, "integer") || !strcasecmp(type, "bigint"))
		return "int";
	if (!strcasecmp(type, "double precision") || !strcasecmp(type, "real"))
		return "real";
	if (!strcasecmp(type, "bytea") || !strcasecmp(type, "blob"))
		return "blob";
	if (!strcasecmp(type, "text"))
		return "text";
	return type;
}

/* Nonzero when column is one of the comma-separated key. */
static int in_key(const char *key, const char *column)
{
	size_t n = strlen(column);
	for (const char *p = key; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t m = strcspn(p, ", ");
		if (m == n && !strncmp(p, column, n))
			return 1;
		p += m;
	}
	return 0;
}

/* The columns the description lists, every table under its SQLite name. */
static char *described(void)
{
	static const char *const types[] = {
		[SCHEMA_INT] = "int", [SCHEMA_BIGINT] = "int",
		[SCHEMA_TEXT] = "text", [SCHEMA_REAL] = "real",
		[SCHEMA_BLOB] = "blob"};
	char *buf = calloc(1, 1);
	size_t len = 0;
	for (int t = 0; t < schema_ntables; t++) {
		const struct schema_table *tb = &schema_tables[t];
		for (const struct schema_column *c = tb->columns; c->name; c++)
			line(&buf, &len, tb->name[SCHEMA_SQLITE], c->name,
			     types[c->type], c->flags & SCHEMA_NOT_NULL,
			     (c->flags & SCHEMA_KEY) || in_key(tb->key, c->name));
	}
	return buf;
}

/* The columns of the SQLite file, read back with PRAGMA table_info. */
static char *sqlite_columns(const char *file, int *ntables)
{
	sqlite3 *db;
	sqlite3_stmt *p;
	char *buf = calloc(1, 1);
	size_t len = 0;
	assert_int_equal(sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	for (int t = 0; t < schema_ntables; t++) {
		const char *name = schema_table_name(SCHEMA_SQLITE, t);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT name, type,"
						    " \"notnull\", pk FROM"
						    " pragma_table_info(?1)",
						    -1, &p, NULL),
				 SQLITE_OK);
		sqlite3_bind_text(p, 1, name, -1, SQLITE_STATIC);
		while (sqlite3_step(p) == SQLITE_ROW)
			line(&buf, &len, name,
			     (const char *)sqlite3_column_text(p, 0),
			     family((const char *)sqlite3_column_text(p, 1)),
			     sqlite3_column_int(p, 2),
			     sqlite3_column_int(p, 3) > 0);
		sqlite3_finalize(p);
	}
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM"
					    " sqlite_master WHERE type ="
					    " 'table'",
					    -1, &p, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(p), SQLITE_ROW);
	*ntables = sqlite3_column_int(p, 0);
	sqlite3_finalize(p);
	sqlite3_close(db);
	return buf;
}

/* The columns of the PostgreSQL database, from information_schema, every
 * table under its SQLite name so that the two compare line by line. */
static char *pg_columns(const char *url, int *ntables)
{
	PGconn *c = PQconnectdb(url);
	char *buf = calloc(1, 1);
	size_t len = 0;
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	for (int t = 0; t < schema_ntables; t++) {
		const char *name = schema_table_name(SCHEMA_PG, t);
		PGresult *r = PQexecParams(
			c,
			"SELECT c.column_name, c.data_type, c.is_nullable = 'NO',"
			" EXISTS(SELECT 1 FROM information_schema.table_constraints k"
			" JOIN information_schema.key_column_usage u"
			" USING (constraint_schema, constraint_name)"
			" WHERE k.table_name = c.table_name"
			" AND k.constraint_type = 'PRIMARY KEY'"
			" AND u.column_name = c.column_name)"
			" FROM information_schema.columns c"
			" WHERE c.table_schema = 'public' AND c.table_name = $1"
			" ORDER BY c.ordinal_position",
			1, NULL, &name, NULL, NULL, 0);
		assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
		for (int k = 0; k < PQntuples(r); k++)
			line(&buf, &len, schema_table_name(SCHEMA_SQLITE, t),
			     PQgetvalue(r, k, 0), family(PQgetvalue(r, k, 1)),
			     !strcmp(PQgetvalue(r, k, 2), "t"),
			     !strcmp(PQgetvalue(r, k, 3), "t"));
		PQclear(r);
	}
	PGresult *r = PQexec(c, "SELECT count(*) FROM pg_tables"
				" WHERE schemaname = 'public'"
				" AND tablename <> 'schema_version'");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	*ntables = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(c);
	return buf;
}

/* Runs the SQLite script sql on file, then sets its version. */
static void sqlite_script(const char *file, const char *sql, int version)
{
	sqlite3 *db;
	char v[48];
	assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL))
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	snprintf(v, sizeof v, "PRAGMA user_version = %d", version);
	assert_int_equal(sqlite3_exec(db, v, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int sqlite_version(const char *file)
{
	sqlite3 *db;
	sqlite3_stmt *p;
	assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &p,
					    NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(p), SQLITE_ROW);
	int v = sqlite3_column_int(p, 0);
	sqlite3_finalize(p);
	sqlite3_close(db);
	return v;
}

/* ---- the description, rendered --------------------------------------- */

/* Each version's step names only what that version added. */
static void test_render(void **state)
{
	(void)state;
	char *sql;
	assert_int_equal(schema_migration(SCHEMA_SQLITE, 3, &sql), CS_OK);
	assert_string_equal(sql, "ALTER TABLE indicator ADD COLUMN published"
				 " INTEGER NOT NULL DEFAULT 1;\n");
	free(sql);
	assert_int_equal(schema_migration(SCHEMA_PG, 2, &sql), CS_OK);
	assert_non_null(strstr(sql, "CREATE TABLE users(id integer PRIMARY KEY,"));
	assert_non_null(strstr(sql, "CREATE INDEX sessions_user ON sessions(user_id);"));
	assert_null(strstr(sql, "WITHOUT ROWID"));
	free(sql);
	assert_int_equal(schema_migration(SCHEMA_SQLITE, 2, &sql), CS_OK);
	assert_non_null(strstr(sql, "CREATE TABLE session(hash BLOB PRIMARY KEY,"));
	assert_non_null(strstr(sql, ") WITHOUT ROWID;"));
	free(sql);
	assert_int_equal(schema_migration(SCHEMA_PG, 4, &sql), CS_OK);
	assert_string_equal(sql, "CREATE TABLE feed(seq bigint PRIMARY KEY,"
				 " at text NOT NULL, node text NOT NULL,"
				 " kind integer NOT NULL,"
				 " indicator_id integer NOT NULL,"
				 " area_id integer NOT NULL);\n");
	free(sql);
	assert_int_equal(schema_migration(SCHEMA_PG, 5, &sql), CS_OK);
	assert_non_null(strstr(sql, "CREATE TABLE project(id integer PRIMARY"
				    " KEY, code text NOT NULL UNIQUE,"));
	assert_non_null(strstr(sql, "CREATE INDEX project_phase_key ON"
				    " project_phase(project_id, id);"));
	free(sql);
	assert_int_equal(schema_migration(SCHEMA_SQLITE, 6, &sql), CS_OK);
	assert_non_null(strstr(sql, "CREATE TABLE task_note(id INTEGER PRIMARY KEY,"));
	assert_non_null(strstr(sql, "PRIMARY KEY(task_id, seq)) WITHOUT ROWID;"));
	assert_non_null(strstr(sql, "CREATE INDEX task_list_id ON task(list_id);"));
	free(sql);
	assert_int_equal(schema_migration(SCHEMA_PG, 7, &sql), CS_OK);
	assert_non_null(strstr(sql, "CREATE TABLE project_note(id integer"
				    " PRIMARY KEY, project_id integer NOT NULL,"));
	assert_non_null(strstr(sql, "CREATE INDEX project_note_project ON"
				    " project_note(project_id);"));
	assert_null(strstr(sql, "task_note"));
	free(sql);
	assert_int_equal(schema_migration(SCHEMA_PG, 8, &sql), CS_OK);
	assert_string_equal(sql, "CREATE TABLE holiday(date text PRIMARY KEY,"
				 " kind text NOT NULL,"
				 " name text NOT NULL DEFAULT '',"
				 " source text NOT NULL DEFAULT '');\n");
	free(sql);
}

/* A new SQLite database holds the described columns, and nothing more. */
static void test_sqlite_is_described(void **state)
{
	(void)state;
	char dir[FIXTURE_DIR], file[FIXTURE_PATH];
	struct store *st;
	int ntables;
	fixture_mkdtemp(dir, "test_schema");
	fixture_path(file, sizeof file, dir, "new.db");
	assert_int_equal(store_open(file, STORE_CREATE, &st), CS_OK);
	store_close(st);
	char *want = described(), *got = sqlite_columns(file, &ntables);
	assert_string_equal(got, want);
	assert_int_equal(ntables, schema_ntables);
	assert_int_equal(sqlite_version(file), SCHEMA_VERSION);
	free(want);
	free(got);
	fixture_rmdir(dir);
}

/* A new PostgreSQL database holds the same columns as a new SQLite one. */
static void test_pg_is_described(void **state)
{
	(void)state;
	if (!fixture_pg())
		skip();
	char dir[FIXTURE_DIR], url[256], file[FIXTURE_PATH];
	struct store *st;
	int n_pg, n_sqlite;
	fixture_mkdtemp(dir, "test_schema");
	fixture_path(file, sizeof file, dir, "new.db");
	fixture_db(url, sizeof url, dir, "unused");
	assert_int_equal(store_open(url, STORE_CREATE, &st), CS_OK);
	store_close(st);
	assert_int_equal(store_open(file, STORE_CREATE, &st), CS_OK);
	store_close(st);
	char *want = described(), *pg = pg_columns(url, &n_pg),
	     *lite = sqlite_columns(file, &n_sqlite);
	assert_string_equal(pg, want);
	assert_string_equal(pg, lite);
	assert_int_equal(n_pg, schema_ntables);
	free(want);
	free(pg);
	free(lite);
	fixture_rmdir(dir);
}

/* Files written by an older civstat, at versions 1, 2 and 3, open and are
 * brought to the latest version, with the described columns; a version 3
 * city (make run's demo.db) keeps its rows, also when first opened for
 * reading, as every question opens it. */
static void test_old_sqlite(void **state)
{
	(void)state;
	char dir[FIXTURE_DIR], file[FIXTURE_PATH], name[32];
	char *want = described();
	fixture_mkdtemp(dir, "test_schema");
	for (int v = 1; v <= 3; v++) {
		struct store *st;
		int ntables;
		snprintf(name, sizeof name, "v%d.db", v);
		fixture_path(file, sizeof file, dir, name);
		for (int k = 0; k < v; k++)
			sqlite_script(file, old_sqlite[k], k + 1);
		if (v == 3)
			sqlite_script(file, v3_rows, 3);
		assert_int_equal(store_open(file, v == 3 ? STORE_READONLY : 0,
					    &st),
				 CS_OK);
		if (v == 3) {
			struct user u;
			assert_int_equal(st->ops->get_user(st, "admin", 0, &u),
					 CS_OK);
			assert_string_equal(u.password, "$argon2id$x");
			user_release(&u);
		}
		store_close(st);
		char *got = sqlite_columns(file, &ntables);
		assert_string_equal(got, want);
		assert_int_equal(ntables, schema_ntables);
		assert_int_equal(sqlite_version(file), SCHEMA_VERSION);
		free(got);
	}
	free(want);
	fixture_rmdir(dir);
}

/* The same on PostgreSQL: a database left at version 1, 2 or 3 (the
 * steps run by hand, as an older civstat ran them) is brought up to
 * date. */
static void test_old_pg(void **state)
{
	(void)state;
	if (!fixture_pg())
		skip();
	char dir[FIXTURE_DIR], url[256], sql[96];
	char *want = described();
	fixture_mkdtemp(dir, "test_schema");
	for (int v = 1; v <= 3; v++) {
		struct store *st;
		int ntables;
		fixture_db(url, sizeof url, dir, "unused");
		fixture_pg_exec(url, "CREATE TABLE schema_version("
				     "version integer NOT NULL)");
		for (int k = 1; k <= v; k++) {
			char *ddl;
			assert_int_equal(schema_migration(SCHEMA_PG, k, &ddl),
					 CS_OK);
			fixture_pg_exec(url, ddl);
			free(ddl);
		}
		snprintf(sql, sizeof sql, "INSERT INTO schema_version"
					  " VALUES(%d)", v);
		fixture_pg_exec(url, sql);
		assert_int_equal(store_open(url, 0, &st), CS_OK);
		store_close(st);
		char *got = pg_columns(url, &ntables);
		assert_string_equal(got, want);
		assert_int_equal(ntables, schema_ntables);
		free(got);
	}
	free(want);
	fixture_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_sqlite_is_described),
		cmocka_unit_test(test_pg_is_described),
		cmocka_unit_test(test_old_sqlite),
		cmocka_unit_test(test_old_pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
