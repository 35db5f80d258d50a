/*
 * Fixture code shared by the unit tests that run over a real database,
 * SQLite or, with CIVSTAT_TEST_PG set, PostgreSQL: a temporary directory
 * with the files written into it, a fresh database for each, the check
 * that an import went through, figures written through the store, catalog
 * indices looked up by code, and checks on numbers that show both sides.
 * Header-only (static inline functions and macros, which no test is warned
 * about leaving unused), so that each test still builds from its one .c
 * file.  The setup and teardown machinery is fixture_*; the words the test
 * bodies use on every line (NELEM, MI, CHECK_*, write_file, IA/II/ID) stay
 * short.
 */
#ifndef CIVSTAT_TESTS_UNIT_FIXTURE_H
#define CIVSTAT_TESTS_UNIT_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analytics/catalog.h"
#include "core/err.h"
#include "domain/civstat.h"
#include "domain/import.h"
#include "store/store.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
/* The month index of month m (1..12) of year y, as period.h counts. */
#define MI(y, m) ((y)*12 + (m)-1)

#define FIXTURE_DIR  64	 /* room for a temporary directory's path */
#define FIXTURE_PATH 256 /* room for the path of a file written into it */

/* ---- checks on numbers ------------------------------------------------ */

/* Formats the description of a failed check; the text stays until the
 * next call. */
static inline __attribute__((format(printf, 1, 2))) const char *
describe(const char *fmt, ...)
{
	static char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return buf;
}

/* Fails with both numbers shown unless got and want are the same number
 * (both NaN counts as the same); the rest is describe()'s format and
 * arguments. */
#define CHECK_NUM(got, want, ...)                                              \
	do {                                                                   \
		double g_ = (got), w_ = (want);                                \
		if (!(isnan(g_) && isnan(w_)) && g_ != w_)                     \
			fail_msg("%s: got %.17g, want %.17g",                  \
				 describe(__VA_ARGS__), g_, w_);               \
	} while (0)

/* As CHECK_NUM, but got may differ from want by rel * (|want| + 1). */
#define CHECK_NEAR(got, want, rel, ...)                                        \
	do {                                                                   \
		double g_ = (got), w_ = (want);                                \
		if (isnan(g_) != isnan(w_) ||                                  \
		    (!isnan(g_) && fabs(g_ - w_) > (rel) * (fabs(w_) + 1)))    \
			fail_msg("%s: got %.17g, want %.17g",                  \
				 describe(__VA_ARGS__), g_, w_);               \
	} while (0)

/* ---- the temporary directory ------------------------------------------ */

/* Puts the path of the file name in dir into path[cap]; fails the test if
 * it does not fit. */
static inline void fixture_path(char *path, size_t cap, const char *dir,
				const char *name)
{
	int n = snprintf(path, cap, "%s/%s", dir, name);
	assert_true(n > 0 && (size_t)n < cap);
}

/* Makes a fresh directory /tmp/<test>_XXXXXX and puts its path in dir. */
static inline void fixture_mkdtemp(char dir[FIXTURE_DIR], const char *test)
{
	int n = snprintf(dir, FIXTURE_DIR, "/tmp/%s_XXXXXX", test);
	assert_true(n > 0 && n < FIXTURE_DIR);
	assert_non_null(mkdtemp(dir));
}

/* Removes dir and the files in it (the tests make no subdirectories);
 * quietly does what it can, as it runs in teardown. */
static inline void fixture_rmdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* ---- the database: SQLite or PostgreSQL ------------------------------- */

/* The URL of the PostgreSQL server the tests run on (CIVSTAT_TEST_PG, a
 * throwaway server whose user may create databases), or NULL for SQLite. */
static inline const char *fixture_pg(void)
{
	const char *url = getenv("CIVSTAT_TEST_PG");
	return url && *url ? url : NULL;
}

/* Skips the rest of the test on PostgreSQL: for the tests that look at
 * SQLite's files themselves. */
#define FIXTURE_SQLITE_ONLY()                                                  \
	do {                                                                   \
		if (fixture_pg())                                              \
			skip();                                                \
	} while (0)

/* Keeps the server's notices ("does not exist, skipping") off the
 * output. */
static inline void fixture_pg_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Runs sql on the database at url; fails the test on an error. */
static inline void fixture_pg_exec(const char *url, const char *sql)
{
	PGconn *c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("%s: %s", url, PQerrorMessage(c));
	PQsetNoticeProcessor(c, fixture_pg_quiet, NULL);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s: %s", url, sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

/*
 * Puts the target of a fresh, empty database into db[cap]: on SQLite the
 * file name in dir, on PostgreSQL the URL of a database created for it on
 * the server (named after the process and a count, so that every call
 * gives a new one).
 */
static inline void fixture_db(char *db, size_t cap, const char *dir,
			      const char *name)
{
	static unsigned count;
	const char *url = fixture_pg();
	if (!url) {
		fixture_path(db, cap, dir, name);
		return;
	}
	char dbname[64], sql[160];
	snprintf(dbname, sizeof dbname, "civstat_t%ld_%u", (long)getpid(),
		 ++count);
	const char *slash = strrchr(url, '/');
	assert_non_null(slash);
	const char *query = strchr(slash, '?');
	int n = snprintf(db, cap, "%.*s/%s%s", (int)(slash - url), url, dbname,
			 query ? query : "");
	assert_true(n > 0 && (size_t)n < cap);
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", dbname);
	fixture_pg_exec(url, sql);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", dbname);
	fixture_pg_exec(url, sql);
}

/*
 * The contents of every table of the PostgreSQL database at url as text,
 * row by row in a fixed order: equal before and after when nothing was
 * written.  The caller frees it.
 */
static inline char *fixture_pg_dump(const char *url)
{
	PGconn *c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("%s: %s", url, PQerrorMessage(c));
	PGresult *t = PQexec(c, "SELECT tablename FROM pg_tables WHERE"
				" schemaname = 'public' ORDER BY tablename");
	assert_int_equal(PQresultStatus(t), PGRES_TUPLES_OK);
	size_t len = 0;
	char *out = calloc(1, 1);
	assert_non_null(out);
	for (int k = 0; k < PQntuples(t); k++) {
		char sql[256];
		const char *name = PQgetvalue(t, k, 0);
		snprintf(sql, sizeof sql,
			 "SELECT coalesce(string_agg(t::text, E'\\n'"
			 " ORDER BY t::text), '') FROM %s t",
			 name);
		PGresult *r = PQexec(c, sql);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			fail_msg("%s: %s", sql, PQerrorMessage(c));
		const char *rows = PQgetvalue(r, 0, 0);
		size_t n = strlen(name) + strlen(rows) + 3;
		out = realloc(out, len + n + 1);
		assert_non_null(out);
		snprintf(out + len, n + 1, "%s:\n%s\n", name, rows);
		len += strlen(out + len);
		PQclear(r);
	}
	PQclear(t);
	PQfinish(c);
	return out;
}

/* Writes n bytes of text to the file name in dir and puts its path in
 * path[FIXTURE_PATH]. */
static inline void write_file_n(const char *dir, const char *name,
				const char *text, size_t n, char *path)
{
	fixture_path(path, FIXTURE_PATH, dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* As write_file_n, for a NUL-terminated text. */
static inline void write_file(const char *dir, const char *name,
			      const char *text, char *path)
{
	write_file_n(dir, name, text, strlen(text), path);
}

/* ---- figures, imports and the catalog --------------------------------- */

/* Writes one figure through the store, inside the caller's transaction;
 * flags are the cell's (0 where v is NaN). */
static inline void fixture_put_figure(struct store *st, int ind_id, int area_id,
				      int m, double v, uint8_t flags)
{
	struct series s;
	int rc = st->ops->get_series(st, ind_id, area_id, &s);
	if (rc == CS_ENOTFOUND)
		rc = series_init(&s, ind_id, area_id, m, 0);
	assert_int_equal(rc, CS_OK);
	assert_int_equal(series_cover(&s, m, m), CS_OK);
	s.value[m - s.first_month] = v;
	s.flags[m - s.first_month] = isnan(v) ? 0 : flags;
	assert_int_equal(st->ops->put_series(st, &s), CS_OK);
	series_release(&s);
}

/* Fails, showing rc, the error message and the first of r's errors, unless
 * rc (what import_files returned for r) is CS_OK; what names the import. */
static inline void fixture_import_ok(int rc, const struct import_report *r,
				     const char *what)
{
	if (rc != CS_OK)
		fail_msg("%s: rc %d (%s), %ld errors, first: %s", what, rc,
			 cs_errmsg(), r->n_errors,
			 r->n_shown ? r->errors[0] : "-");
}

/* The catalog index of the area, indicator or department with this code;
 * fails the test when there is none. */
static inline int fixture_area(const struct catalog *cat, const char *code)
{
	int a = catalog_area(cat, code, strlen(code));
	if (a < 0)
		fail_msg("no area %s", code);
	return a;
}

static inline int fixture_indicator(const struct catalog *cat, const char *code)
{
	int i = catalog_indicator(cat, code, strlen(code));
	if (i < 0)
		fail_msg("no indicator %s", code);
	return i;
}

static inline int fixture_department(const struct catalog *cat,
				     const char *code)
{
	int d = catalog_department(cat, code, strlen(code));
	if (d < 0)
		fail_msg("no department %s", code);
	return d;
}

static inline const struct catalog *
fixture_city_catalog(const struct civstat *cs)
{
	return &cs->cat;
}

static inline const struct catalog *fixture_catalog(const struct catalog *cat)
{
	return cat;
}

/* The catalog of x, a struct catalog or an open struct civstat, so that
 * the tests over the cube alone and those over a whole city share IA/II. */
/* clang-format off */
#define FIXTURE_CATALOG(x)                                                     \
	_Generic((x),                                                          \
		 struct civstat *: fixture_city_catalog,                       \
		 const struct civstat *: fixture_city_catalog,                 \
		 default: fixture_catalog)(x)
/* clang-format on */

/* The index of an area, indicator or department in x's catalog (x as in
 * FIXTURE_CATALOG), failing the test when there is none: the tests'
 * shorthand. */
#define IA(x, code) fixture_area(FIXTURE_CATALOG(x), (code))
#define II(x, code) fixture_indicator(FIXTURE_CATALOG(x), (code))
#define ID(x, code) fixture_department(FIXTURE_CATALOG(x), (code))

#endif
