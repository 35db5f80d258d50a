/*
 * The SQLite store: one database file in WAL mode holding the catalog, the
 * figures (one row per indicator and area, the figures packed as arrays so
 * a province of ten million figures loads and saves in a second), targets,
 * benchmarks and the history of every change.  Every statement is prepared
 * once, at open.
 */
#include "store/store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "store/schema.h"
#include "store/store_project.h"
#include "store/store_request.h"
#include "store/task_columns.h"

enum stmt_id {
	S_BEGIN, S_COMMIT, S_ROLLBACK, S_SAVEPOINT, S_RELEASE, S_ROLLBACK_TO,
	S_PUT_AREA, S_SCAN_AREAS,
	S_PUT_DEPT, S_SCAN_DEPTS,
	S_PUT_IND, S_SCAN_INDS,
	S_GET_SERIES, S_PUT_SERIES, S_SCAN_SERIES,
	S_PUT_COMMENT, S_DEL_COMMENT, S_GET_COMMENT,
	S_PUT_TARGET, S_SCAN_TARGETS,
	S_PUT_BENCH, S_SCAN_BENCH,
	S_ADD_CHANGE, S_GET_CHANGE, S_ADD_HISTORY, S_SCAN_HISTORY,
	S_GET_META, S_SET_META,
	S_PUT_USER, S_GET_USER, S_GET_USER_ID, S_SCAN_USERS,
	S_PUT_SESSION, S_GET_SESSION, S_TOUCH_SESSION, S_DEL_SESSION,
	S_DEL_USER_SESSIONS,
	S_LAST_AUDIT, S_ADD_AUDIT, S_SCAN_AUDIT,
	S_FEED_ADD, S_FEED_POLL, S_FEED_SERIES, S_FEED_PRUNE, S_DATA_VERSION,
	/* Copying a database whole (civstat migrate). */
	S_SCAN_COMMENTS, S_SCAN_CHANGES, S_COPY_CHANGE, S_SCAN_HISTORY_ROWS,
	S_COPY_HISTORY_ROW, S_COPY_USER, S_SCAN_SESSIONS, S_SCAN_META,
	S_COPY_AUDIT,
	/* The working-day calendar (schema 8). */
	S_PUT_HOLIDAY, S_SCAN_HOLIDAYS,
	S_PUT_SERVICE, S_SCAN_SERVICES,
	S_N
};

static const char *const stmt_sql[S_N] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SAVEPOINT] = "SAVEPOINT inner",
	[S_RELEASE] = "RELEASE inner",
	[S_ROLLBACK_TO] = "ROLLBACK TO inner",
	[S_PUT_AREA] = "INSERT INTO area(id, code, name, name_en, parent_id,"
		       " level, kind) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		       " ON CONFLICT(code) DO UPDATE SET name = ?3,"
		       " name_en = ?4, parent_id = ?5, level = ?6, kind = ?7"
		       " RETURNING id",
	[S_SCAN_AREAS] = "SELECT id, code, name, name_en, parent_id, level,"
			 " kind FROM area ORDER BY level, id",
	[S_PUT_DEPT] = "INSERT INTO department(id, code, name, name_en)"
		       " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(code) DO UPDATE"
		       " SET name = ?3, name_en = ?4 RETURNING id",
	[S_SCAN_DEPTS] = "SELECT id, code, name, name_en FROM department"
			 " ORDER BY id",
	[S_PUT_IND] = "INSERT INTO indicator(id, code, name, name_en, unit,"
		      " pillar, frequency, time_agg, area_agg, direction,"
		      " department_id, source, formula, decimals, weight, min,"
		      " max, part_of, max_jump, published)"
		      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
		      " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
		      " ON CONFLICT(code) DO UPDATE SET"
		      " name = ?3, name_en = ?4, unit = ?5, pillar = ?6,"
		      " frequency = ?7, time_agg = ?8, area_agg = ?9,"
		      " direction = ?10, department_id = ?11, source = ?12,"
		      " formula = ?13, decimals = ?14, weight = ?15, min = ?16,"
		      " max = ?17, part_of = ?18, max_jump = ?19,"
		      " published = ?20 RETURNING id",
	[S_SCAN_INDS] = "SELECT id, code, name, name_en, unit, pillar,"
			" frequency, time_agg, area_agg, direction,"
			" department_id, source, formula, decimals, weight,"
			" min, max, part_of, max_jump, published"
			" FROM indicator"
			" ORDER BY id",
	[S_GET_SERIES] = "SELECT first_month, n, value, flags, change"
			 " FROM series WHERE indicator_id = ?1"
			 " AND area_id = ?2",
	[S_PUT_SERIES] = "INSERT OR REPLACE INTO series(indicator_id, area_id,"
			 " first_month, n, value, flags, change)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_SCAN_SERIES] = "SELECT indicator_id, area_id, first_month, n,"
			  " value, flags, change FROM series",
	[S_PUT_COMMENT] = "INSERT OR REPLACE INTO value_comment(indicator_id,"
			  " area_id, month, comment) VALUES(?1, ?2, ?3, ?4)",
	[S_DEL_COMMENT] = "DELETE FROM value_comment WHERE indicator_id = ?1"
			  " AND area_id = ?2 AND month = ?3",
	[S_GET_COMMENT] = "SELECT comment FROM value_comment"
			  " WHERE indicator_id = ?1 AND area_id = ?2"
			  " AND month = ?3",
	[S_PUT_TARGET] = "INSERT OR REPLACE INTO target(indicator_id, area_id,"
			 " year, kind, value, sample)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[S_SCAN_TARGETS] = "SELECT indicator_id, area_id, year, kind, value,"
			   " sample FROM target"
			   " ORDER BY indicator_id, area_id, year, kind",
	[S_PUT_BENCH] = "INSERT OR REPLACE INTO benchmark(indicator_id, grp,"
			" month, kind, measure, value, sample)"
			" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_SCAN_BENCH] = "SELECT indicator_id, grp, month, kind, measure,"
			 " value, sample FROM benchmark"
			 " ORDER BY indicator_id, grp, month, kind, measure",
	[S_ADD_CHANGE] = "INSERT INTO change(at, actor, what) VALUES("
			 "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?1, ?2)",
	[S_GET_CHANGE] = "SELECT at, actor, what FROM change WHERE id = ?1",
	[S_ADD_HISTORY] = "INSERT INTO value_history(indicator_id, area_id,"
			  " month, change_id, prev_change, before, after,"
			  " state_before, state_after, comment)"
			  " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[S_SCAN_HISTORY] = "SELECT h.change_id, c.at, c.actor, c.what,"
			   " h.before, h.after, h.state_before,"
			   " h.state_after, h.comment, h.prev_change"
			   " FROM value_history h JOIN change c"
			   " ON c.id = h.change_id WHERE h.indicator_id = ?1"
			   " AND h.area_id = ?2 AND h.month = ?3"
			   " ORDER BY h.id",
	[S_GET_META] = "SELECT value FROM meta WHERE key = ?1",
	[S_SET_META] = "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)",
#define USER_COLUMNS "id, name, role, department_id, area_id, password," \
		     " disabled, failed, locked_until, created"
	[S_PUT_USER] = "INSERT INTO user(name, role, department_id, area_id,"
		       " password, disabled, failed, locked_until, created)"
		       " VALUES(?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
		       " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
		       " ON CONFLICT(name) DO UPDATE SET role = ?3,"
		       " department_id = ?4, area_id = ?5, password = ?6,"
		       " disabled = ?7, failed = ?8, locked_until = ?9"
		       " RETURNING id",
	[S_GET_USER] = "SELECT " USER_COLUMNS " FROM user WHERE name = ?1",
	[S_GET_USER_ID] = "SELECT " USER_COLUMNS " FROM user WHERE id = ?1",
	[S_SCAN_USERS] = "SELECT " USER_COLUMNS " FROM user ORDER BY id",
	[S_PUT_SESSION] = "INSERT OR REPLACE INTO session(hash, user_id, kind,"
			  " csrf, created, last_seen, expires, label)"
			  " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_GET_SESSION] = "SELECT user_id, kind, csrf, created, last_seen,"
			  " expires, label FROM session WHERE hash = ?1",
	[S_TOUCH_SESSION] = "UPDATE session SET last_seen = ?2 WHERE hash = ?1",
	[S_DEL_SESSION] = "DELETE FROM session WHERE hash = ?1",
	[S_DEL_USER_SESSIONS] = "DELETE FROM session WHERE user_id = ?1",
	[S_LAST_AUDIT] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
	[S_ADD_AUDIT] = "INSERT INTO audit(at, actor, action, object, before,"
			" after, request_id, prev_hash, hash)"
			" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_SCAN_AUDIT] = "SELECT id, at, actor, action, object, before, after,"
			 " request_id, prev_hash, hash FROM audit"
			 " WHERE id >= ?1 ORDER BY id LIMIT ?2",
	[S_FEED_ADD] = "INSERT INTO feed(at, node, kind, indicator_id, area_id)"
		       " VALUES(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?1, ?2,"
		       " ?3, ?4)",
	[S_FEED_POLL] = "SELECT (SELECT max(seq) FROM feed),"
			" (SELECT min(seq) FROM feed),"
			" count(*) FILTER (WHERE kind = 1),"
			" count(*) FILTER (WHERE kind = 0),"
			" count(*) FILTER (WHERE kind = 2)"
			" FROM feed WHERE seq > ?1 AND node <> ?2",
	[S_FEED_SERIES] = "SELECT indicator_id, area_id, first_month, n,"
			  " value, flags, change FROM series"
			  " WHERE (indicator_id, area_id) IN"
			  " (SELECT indicator_id, area_id FROM feed"
			  " WHERE seq > ?1 AND seq <= ?2 AND kind = 0"
			  " AND node <> ?3)",
	[S_DATA_VERSION] = "PRAGMA data_version",
	[S_FEED_PRUNE] = "DELETE FROM feed"
			 " WHERE seq <= (SELECT max(seq) FROM feed) - ?1",
	/* Copying a database whole (civstat migrate). */
	[S_SCAN_COMMENTS] = "SELECT indicator_id, area_id, month, comment"
			    " FROM value_comment",
	[S_SCAN_CHANGES] = "SELECT id, at, actor, what FROM change"
			   " ORDER BY id",
	[S_COPY_CHANGE] = "INSERT INTO change(id, at, actor, what)"
			  " VALUES(?1, ?2, ?3, ?4)",
	[S_SCAN_HISTORY_ROWS] = "SELECT id, indicator_id, area_id, month,"
				" change_id, prev_change, before, after,"
				" state_before, state_after, comment"
				" FROM value_history ORDER BY id",
	[S_COPY_HISTORY_ROW] = "INSERT INTO value_history(id, indicator_id,"
			       " area_id, month, change_id, prev_change,"
			       " before, after, state_before, state_after,"
			       " comment) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
			       " ?8, ?9, ?10, ?11)",
	[S_COPY_USER] = "INSERT INTO user(" USER_COLUMNS ") VALUES(?1, ?2,"
			" ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[S_SCAN_SESSIONS] = "SELECT hash, user_id, kind, csrf, created,"
			    " last_seen, expires, label FROM session",
	[S_SCAN_META] = "SELECT key, value FROM meta ORDER BY key",
	[S_COPY_AUDIT] = "INSERT INTO audit(id, at, actor, action, object,"
			 " before, after, request_id, prev_hash, hash)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[S_PUT_HOLIDAY] = "INSERT OR REPLACE INTO holiday(date, kind, name,"
			  " source) VALUES(?1, ?2, ?3, ?4)",
	[S_SCAN_HOLIDAYS] = "SELECT date, kind, name, source FROM holiday"
			    " ORDER BY date",
	[S_PUT_SERVICE] = "INSERT OR REPLACE INTO service(" SERVICE_COLUMNS
			  ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			  " ?11, ?12)",
	[S_SCAN_SERVICES] = "SELECT " SERVICE_COLUMNS " FROM service"
			    " ORDER BY code",
};

/* ---- the key-project pipeline (schema 5) ------------------------------- */
/* Statements of their own, prepared after the others, so that the
 * pipeline's block stands apart; its functions are further down. */

static const char *const project_sql[P_N] = {
	[P_PUT_PROJECT] = "INSERT INTO project(" PROJECT_COLUMNS ") VALUES(?1,"
			  " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
			  " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)"
			  " ON CONFLICT(code) DO UPDATE SET name = ?3,"
			  " cluster = ?4, type = ?5, area_id = ?6,"
			  " department_id = ?7, leader = ?8, total = ?9,"
			  " phase = ?10, planned_start = ?11,"
			  " planned_finish = ?12, actual_start = ?13,"
			  " actual_finish = ?14, address = ?15, lon = ?16,"
			  " lat = ?17, issues = ?18, programme = ?19,"
			  " sample = ?20, source = ?21 RETURNING id",
	[P_SCAN_PROJECTS] = "SELECT " PROJECT_COLUMNS " FROM project"
			    " ORDER BY id",
	[P_PUT_PLAN] = "INSERT OR REPLACE INTO project_plan(project_id, year,"
		       " amount, sample) VALUES(?1, ?2, ?3, ?4)",
	[P_SCAN_PLANS] = "SELECT project_id, year, amount, sample FROM"
			 " project_plan ORDER BY project_id, year",
	[P_PUT_MILESTONE] = "INSERT OR REPLACE INTO project_milestone("
			    "project_id, name, due, done, sample)"
			    " VALUES(?1, ?2, ?3, ?4, ?5)",
	[P_SCAN_MILESTONES] = "SELECT project_id, name, due, done, sample"
			      " FROM project_milestone"
			      " ORDER BY project_id, name",
	[P_PUT_REPORT] = "INSERT OR REPLACE INTO project_report(project_id,"
			 " month, investment, progress, note, actor, at,"
			 " sample) VALUES(?1, ?2, ?3, ?4, ?5, ?6, coalesce(?8,"
			 " strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), ?7)",
	[P_SCAN_REPORTS] = "SELECT project_id, month, investment, progress,"
			   " note, actor, at, sample FROM project_report"
			   " ORDER BY project_id, month",
	[P_SCAN_REPORTS_OF] = "SELECT project_id, month, investment,"
			      " progress, note, actor, at, sample"
			      " FROM project_report WHERE project_id = ?1"
			      " ORDER BY month",
	[P_ADD_PHASE] = "INSERT INTO project_phase(id, project_id, from_phase,"
			" to_phase, date, reason, actor, at) VALUES(?7, ?1, ?2,"
			" ?3, ?4, ?5, ?6, coalesce(?8,"
			" strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
	[P_SCAN_PHASES] = "SELECT id, project_id, from_phase, to_phase, date,"
			  " reason, actor, at FROM project_phase ORDER BY id",
	[P_PUT_PROGRAMME] = "INSERT INTO programme(" PROGRAMME_COLUMNS ")"
			    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			    " ?11) ON CONFLICT(code) DO UPDATE SET name = ?3,"
			    " first_year = ?4, last_year = ?5,"
			    " communities = ?6, buildings = ?7,"
			    " households = ?8, floor_area = ?9, source = ?10,"
			    " sample = ?11 RETURNING id",
	[P_SCAN_PROGRAMMES] = "SELECT " PROGRAMME_COLUMNS " FROM programme"
			      " ORDER BY id",
	[P_PUT_COMMUNITY] = "INSERT OR REPLACE INTO programme_community("
			    COMMUNITY_COLUMNS ") VALUES(?1, ?2, ?3, ?4, ?5,"
			    " ?6, ?7, ?8, ?9, ?10)",
	[P_SCAN_COMMUNITIES] = "SELECT " COMMUNITY_COLUMNS " FROM"
			       " programme_community"
			       " ORDER BY programme_id, name",
	[P_PUT_NOTE] = "INSERT INTO project_note(" PROJECT_NOTE_COLUMNS ")"
		       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
		       " ON CONFLICT(id) DO UPDATE SET answer = ?7,"
		       " answered_by = ?8, answered_on = ?9 RETURNING id",
	[P_SCAN_NOTES] = "SELECT " PROJECT_NOTE_COLUMNS " FROM project_note"
			 " WHERE ?1 = 0 OR project_id = ?1 ORDER BY id",
};

/* ---- task lists and supervision, 督办 (schema 6): statements ---------- */

enum task_stmt_id {
	T_PUT_LIST, T_SCAN_LISTS, T_PUT_TASK, T_GET_TASK, T_SCAN_TASKS,
	T_PUT_MILESTONE, T_SCAN_MILESTONES, T_ADD_REPORT, T_SCAN_REPORTS,
	T_PUT_NOTE, T_SCAN_NOTES,
	T_N
};

static const char *const task_sql[T_N] = {
	[T_PUT_LIST] = "INSERT INTO task_list(" TASK_LIST_COLUMNS ")"
		       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		       " ON CONFLICT(code) DO UPDATE SET year = ?3,"
		       " name = ?4, kind = ?5, source = ?6, sample = ?7"
		       " RETURNING id",
	[T_SCAN_LISTS] = "SELECT " TASK_LIST_COLUMNS " FROM task_list"
			 " ORDER BY id",
	[T_PUT_TASK] = "INSERT INTO task(" TASK_COLUMNS ") VALUES(?1, ?2,"
		       " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
		       " ON CONFLICT(code) DO UPDATE SET list_id = ?3,"
		       " title = ?4, department_id = ?5, leader = ?6,"
		       " deadline = ?7, target = ?8, unit = ?9,"
		       " achieved = ?10, status = ?11, done_on = ?12,"
		       " source = ?13, sample = ?14 RETURNING id",
	[T_GET_TASK] = "SELECT " TASK_COLUMNS " FROM task WHERE code = ?1",
	[T_SCAN_TASKS] = "SELECT " TASK_COLUMNS " FROM task"
			 " WHERE ?1 = 0 OR list_id = ?1 ORDER BY id",
	[T_PUT_MILESTONE] = "INSERT INTO task_milestone(" MILESTONE_COLUMNS
			    ") VALUES(?1, ?2, ?3, ?4, ?5)"
			    " ON CONFLICT(task_id, seq) DO UPDATE SET"
			    " name = ?3, due = ?4, done_on = ?5",
	[T_SCAN_MILESTONES] = "SELECT " MILESTONE_COLUMNS
			      " FROM task_milestone WHERE ?1 = 0"
			      " OR task_id = ?1 ORDER BY task_id, seq",
	[T_ADD_REPORT] = "INSERT INTO task_report(" REPORT_COLUMNS ")"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
	[T_SCAN_REPORTS] = "SELECT " REPORT_COLUMNS " FROM task_report"
			   " WHERE ?1 = 0 OR task_id = ?1 ORDER BY id",
	[T_PUT_NOTE] = "INSERT INTO task_note(" NOTE_COLUMNS ") VALUES(?1,"
		       " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(id) DO"
		       " UPDATE SET answer = ?7, answered_by = ?8,"
		       " answered_on = ?9 RETURNING id",
	[T_SCAN_NOTES] = "SELECT " NOTE_COLUMNS " FROM task_note"
			 " WHERE ?1 = 0 OR task_id = ?1 ORDER BY id",
};

/* Events written by one INSERT (add_request_events): a request's
 * timeline of an import is one statement, not one per step. */
#define EVENT_BATCH 8

struct store_sqlite {
	struct store base;
	sqlite3 *db;
	sqlite3_stmt *stmt[S_N];
	sqlite3_stmt *pstmt[P_N]; /* the pipeline's (project_stmt_id) */
	sqlite3_stmt *task_stmt[T_N]; /* task lists (schema 6) */
	sqlite3_stmt *rstmt[SR_N]; /* requests (store_request_stmt) */
	sqlite3_stmt *evbatch[EVENT_BATCH + 1]; /* k events in one INSERT,
						   prepared at first use */
	int bulk; /* in a bulk transaction: the rollback journal is on */
	char **deferred; /* CREATE INDEX statements to run at its commit */
	int ndeferred;
	int depth; /* transactions begun: the first a BEGIN, then savepoints */
	int feed_bulk; /* a bulk transaction: one FEED_ALL row for it all */
	long feed_n;   /* FEED_SERIES rows this transaction wrote */
	int feed_all;  /* the depth that wrote this transaction's FEED_ALL
			  row, 0 when none is written */
	int feed_proj; /* ... its FEED_PROJECTS row, likewise */
};

static struct store_sqlite *sq(struct store *st)
{
	return (struct store_sqlite *)st;
}

/* Records SQLite's message for a failed call and returns CS_ESTORE. */
static int fail(struct store_sqlite *s, const char *what)
{
	return cs_errorf(CS_ESTORE, "%s: %s: %s", s->base.target, what,
			 sqlite3_errmsg(s->db));
}

/* Resets stmt and returns it ready for binding. */
static sqlite3_stmt *stmt(struct store_sqlite *s, enum stmt_id id)
{
	sqlite3_stmt *p = s->stmt[id];
	sqlite3_reset(p);
	sqlite3_clear_bindings(p);
	return p;
}

static void bind_text(sqlite3_stmt *p, int i, const char *z)
{
	sqlite3_bind_text(p, i, z ? z : "", -1, SQLITE_STATIC);
}

static void bind_real(sqlite3_stmt *p, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(p, i);
	else
		sqlite3_bind_double(p, i, v);
}

static double column_real(sqlite3_stmt *p, int i)
{
	return sqlite3_column_type(p, i) == SQLITE_NULL
		       ? NAN
		       : sqlite3_column_double(p, i);
}

static char *column_text(sqlite3_stmt *p, int i)
{
	const unsigned char *z = sqlite3_column_text(p, i);
	return (char *)(z ? z : (const unsigned char *)"");
}

/* Runs a statement that returns no rows, or one row with an id. */
static int run(struct store_sqlite *s, sqlite3_stmt *p, const char *what,
	       int *id)
{
	int rc = sqlite3_step(p);
	if (rc == SQLITE_ROW) {
		if (id)
			*id = sqlite3_column_int(p, 0);
		rc = sqlite3_step(p);
	}
	if (rc != SQLITE_DONE) {
		rc = fail(s, what);
		sqlite3_reset(p);
		return rc;
	}
	sqlite3_reset(p);
	return CS_OK;
}

static void sqlite_close(struct store *st)
{
	struct store_sqlite *s = sq(st);
	for (int i = 0; i < S_N; i++)
		sqlite3_finalize(s->stmt[i]);
	for (int i = 0; i < P_N; i++)
		sqlite3_finalize(s->pstmt[i]);
	for (int i = 0; i < T_N; i++)
		sqlite3_finalize(s->task_stmt[i]);
	for (int i = 0; i < SR_N; i++)
		sqlite3_finalize(s->rstmt[i]);
	for (int i = 0; i <= EVENT_BATCH; i++)
		sqlite3_finalize(s->evbatch[i]);
	sqlite3_close(s->db);
	free(s->base.target);
	free(s);
}

/*
 * Transactions nest: a begin inside one opens a savepoint, whose commit
 * releases it into the outer transaction and whose rollback undoes just
 * its own writes.  Durable is only what the outermost commit commits.
 */
static int sqlite_begin(struct store *st)
{
	struct store_sqlite *s = sq(st);
	int rc = s->depth ? run(s, stmt(s, S_SAVEPOINT), "savepoint", NULL)
			  : run(s, stmt(s, S_BEGIN), "begin", NULL);
	if (!rc)
		s->depth++;
	return rc;
}

/*
 * A bulk transaction goes through the rollback journal rather than the
 * WAL: the journal keeps only the pages the transaction changes, so pages
 * new to the file (most of an import) are written once instead of twice
 * (into the WAL, then by the checkpoint into the file).  Atomic and
 * durable all the same.  When other connections hold the database, or
 * the bulk is inside another transaction, the switch is refused and the
 * transaction simply runs in WAL mode.
 */
static int sqlite_begin_bulk(struct store *st)
{
	struct store_sqlite *s = sq(st);
	s->bulk = !s->depth && sqlite3_exec(s->db, "PRAGMA journal_mode = "
						   "DELETE",
					    NULL, NULL, NULL) == SQLITE_OK;
	if (!s->depth)
		s->feed_bulk = 1;
	return sqlite_begin(st);
}

/* Back to WAL after a bulk transaction ended. */
static void end_bulk(struct store_sqlite *s)
{
	for (int k = 0; k < s->ndeferred; k++)
		free(s->deferred[k]);
	free(s->deferred);
	s->deferred = NULL;
	s->ndeferred = 0;
	if (s->bulk)
		sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL,
			     NULL);
	s->bulk = 0;
	s->feed_bulk = 0;
	s->feed_all = 0;
	s->feed_proj = 0;
	s->feed_n = 0;
}

static int sqlite_commit(struct store *st)
{
	struct store_sqlite *s = sq(st);
	if (s->depth > 1) {
		int rc = run(s, stmt(s, S_RELEASE), "release", NULL);
		if (!rc && s->feed_proj == s->depth)
			s->feed_proj = s->depth - 1;
		if (!rc && s->feed_all == s->depth--)
			s->feed_all = s->depth; /* the outer one's now */
		return rc;
	}
	/* The indices a bulk load deferred, each built in one sort. */
	for (int k = 0; k < s->ndeferred; k++)
		if (sqlite3_exec(s->db, s->deferred[k], NULL, NULL, NULL))
			return fail(s, "build an index");
	for (int k = 0; k < s->ndeferred; k++)
		free(s->deferred[k]);
	s->ndeferred = 0;
	int rc = run(s, stmt(s, S_COMMIT), "commit", NULL);
	if (!rc) {
		s->depth = 0;
		end_bulk(s);
	}
	return rc;
}

/*
 * In a bulk transaction, drops the indices of table when it is empty,
 * to build them at commit: one sort each instead of a random write per
 * row and index.  UNIQUE ones stay, as they check what is written; a
 * rollback brings the dropped ones back as it does everything else.
 */
static int sqlite_defer_indices(struct store *st, const char *table)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p;
	char sql[128];
	int rc = CS_OK, r;
	if (!s->bulk || s->depth != 1)
		return CS_OK;
	snprintf(sql, sizeof sql, "SELECT 1 FROM \"%s\" LIMIT 1", table);
	if (sqlite3_prepare_v2(s->db, sql, -1, &p, NULL))
		return fail(s, "defer indices");
	r = sqlite3_step(p);
	sqlite3_finalize(p);
	if (r != SQLITE_DONE)
		return r == SQLITE_ROW ? CS_OK : fail(s, "defer indices");
	if (sqlite3_prepare_v2(s->db, "SELECT name, sql FROM sqlite_master "
				      "WHERE type = 'index' AND tbl_name = ?1 "
				      "AND sql IS NOT NULL "
				      "AND sql NOT LIKE 'CREATE UNIQUE%'",
			       -1, &p, NULL))
		return fail(s, "defer indices");
	sqlite3_bind_text(p, 1, table, -1, SQLITE_STATIC);
	char **names = NULL;
	int n = 0;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		char **a = realloc(s->deferred,
				   (size_t)(s->ndeferred + 1) * sizeof *a);
		char **b = realloc(names, (size_t)(n + 1) * sizeof *b);
		if (a)
			s->deferred = a;
		if (b)
			names = b;
		char *z = a ? strdup((const char *)sqlite3_column_text(p, 1))
			    : NULL;
		char *nm = b ? sqlite3_mprintf("DROP INDEX \"%w\"",
					       (const char *)
						       sqlite3_column_text(p, 0))
			     : NULL;
		if (!z || !nm) {
			free(z);
			sqlite3_free(nm);
			rc = cs_errorf(CS_ENOMEM, "out of memory");
			break;
		}
		s->deferred[s->ndeferred++] = z;
		names[n++] = nm;
	}
	sqlite3_finalize(p);
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "defer indices");
	for (int k = 0; k < n; k++) {
		if (!rc && sqlite3_exec(s->db, names[k], NULL, NULL, NULL))
			rc = fail(s, "defer indices");
		sqlite3_free(names[k]);
	}
	free(names);
	return rc;
}

static int sqlite_rollback(struct store *st)
{
	struct store_sqlite *s = sq(st);
	int rc = CS_OK;
	/* An error such as a full disk may have ended the whole
	 * transaction already: then every level of it is gone. */
	if (sqlite3_get_autocommit(s->db)) {
		s->depth = 0;
	} else if (s->depth > 1) {
		if (!(rc = run(s, stmt(s, S_ROLLBACK_TO), "rollback", NULL)))
			rc = run(s, stmt(s, S_RELEASE), "release", NULL);
		if (s->feed_all >= s->depth)
			s->feed_all = 0; /* its row is undone */
		if (s->feed_proj >= s->depth)
			s->feed_proj = 0;
		s->depth--;
		return rc;
	} else {
		rc = run(s, stmt(s, S_ROLLBACK), "rollback", NULL);
		s->depth = 0;
	}
	end_bulk(s);
	return rc;
}

static void bind_id(sqlite3_stmt *p, int i, int id)
{
	if (id > 0)
		sqlite3_bind_int(p, i, id);
	else
		sqlite3_bind_null(p, i);
}

/* ---- the change feed ---------------------------------------------------- */

static int each_series(struct store_sqlite *s, sqlite3_stmt *p,
		       store_series_fn fn, void *ctx, const char *what);

static int feed_add(struct store_sqlite *s, int kind, int indicator_id,
		    int area_id)
{
	sqlite3_stmt *p = stmt(s, S_FEED_ADD);
	sqlite3_bind_text(p, 1, store_node(), -1, SQLITE_STATIC);
	sqlite3_bind_int(p, 2, kind);
	sqlite3_bind_int(p, 3, indicator_id);
	sqlite3_bind_int(p, 4, area_id);
	return run(s, p, "write the change feed", NULL);
}

/* A change the others must read everything again for: one row is enough
 * for the whole transaction. */
static int feed_all(struct store_sqlite *s);

/* A series written: a row that names it, until the transaction wrote so
 * many (an import) that reading everything again is cheaper. */
static int feed_series_row(struct store_sqlite *s, const struct series *ser)
{
	if (s->feed_bulk || s->feed_n >= FEED_MAX_SERIES)
		return feed_all(s);
	s->feed_n++;
	return feed_add(s, FEED_SERIES, ser->indicator_id, ser->area_id);
}

/* A change the others must read everything again for: one row is enough
 * for the whole transaction. */
static int feed_all(struct store_sqlite *s)
{
	if (s->feed_all)
		return CS_OK;
	int rc = feed_add(s, FEED_ALL, 0, 0);
	if (!rc)
		s->feed_all = s->depth;
	return rc;
}

/* A write on the key-project pipeline: one FEED_PROJECTS row for the
 * transaction tells the others to read the pipeline again. */
static int feed_projects(struct store_sqlite *s)
{
	if (s->feed_proj)
		return CS_OK;
	int rc = feed_add(s, FEED_PROJECTS, 0, 0);
	if (!rc)
		s->feed_proj = s->depth;
	return rc;
}

static int sqlite_feed_poll(struct store *st, long after, const char *node,
			    struct feed_news *out)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_FEED_POLL);
	sqlite3_bind_int64(p, 1, after);
	sqlite3_bind_text(p, 2, node, -1, SQLITE_STATIC);
	if (sqlite3_step(p) != SQLITE_ROW) {
		int rc = fail(s, "read the change feed");
		sqlite3_reset(p);
		return rc;
	}
	out->top = (long)sqlite3_column_int64(p, 0);
	out->bottom = (long)sqlite3_column_int64(p, 1);
	out->all = (long)sqlite3_column_int64(p, 2);
	out->series = (long)sqlite3_column_int64(p, 3);
	out->projects = (long)sqlite3_column_int64(p, 4);
	sqlite3_reset(p);
	return CS_OK;
}

static int sqlite_feed_series(struct store *st, long after, long upto,
			      const char *node, store_series_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_FEED_SERIES);
	sqlite3_bind_int64(p, 1, after);
	sqlite3_bind_int64(p, 2, upto);
	sqlite3_bind_text(p, 3, node, -1, SQLITE_STATIC);
	return each_series(s, p, fn, ctx, "read the change feed");
}

/*
 * SQLite has no notifications: the data version, which moves when another
 * connection commits, is looked at every 20 ms.
 */
static int sqlite_feed_wait(struct store *st, int ms)
{
	struct store_sqlite *s = sq(st);
	long before = -1;
	for (int waited = 0;; waited += 20) {
		sqlite3_stmt *p = stmt(s, S_DATA_VERSION);
		if (sqlite3_step(p) != SQLITE_ROW) {
			int rc = fail(s, "wait for the change feed");
			sqlite3_reset(p);
			return rc;
		}
		long now = (long)sqlite3_column_int64(p, 0);
		sqlite3_reset(p);
		if ((before >= 0 && now != before) || waited >= ms)
			return CS_OK;
		before = now;
		struct timespec ts = {0, 20 * 1000000L};
		nanosleep(&ts, NULL);
	}
}

static int sqlite_feed_prune(struct store *st, long keep)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_FEED_PRUNE);
	sqlite3_bind_int64(p, 1, keep < 1 ? 1 : keep);
	return run(s, p, "prune the change feed", NULL);
}

static int sqlite_put_area(struct store *st, struct area *a)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_PUT_AREA);
	bind_id(p, 1, a->id);
	bind_text(p, 2, a->code);
	bind_text(p, 3, a->name);
	bind_text(p, 4, a->name_en);
	bind_id(p, 5, a->parent_id);
	sqlite3_bind_int(p, 6, a->level);
	sqlite3_bind_int(p, 7, a->kind);
	int rc = run(s, p, "put area", &a->id);
	return rc ? rc : feed_all(s);
}

static int sqlite_scan_areas(struct store *st, store_area_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_AREAS);
	int rc = CS_OK, r;
	while ((r = sqlite3_step(p)) == SQLITE_ROW) {
		struct area a = {
			.id = sqlite3_column_int(p, 0),
			.code = column_text(p, 1),
			.name = column_text(p, 2),
			.name_en = column_text(p, 3),
			.parent_id = sqlite3_column_int(p, 4),
			.level = sqlite3_column_int(p, 5),
			.kind = sqlite3_column_int(p, 6),
		};
		if ((rc = fn(ctx, &a)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "scan areas");
	sqlite3_reset(p);
	return rc;
}

static int sqlite_put_department(struct store *st, struct department *d)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_PUT_DEPT);
	bind_id(p, 1, d->id);
	bind_text(p, 2, d->code);
	bind_text(p, 3, d->name);
	bind_text(p, 4, d->name_en);
	int rc = run(s, p, "put department", &d->id);
	return rc ? rc : feed_all(s);
}

static int sqlite_scan_departments(struct store *st, store_department_fn fn,
				   void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_DEPTS);
	int rc = CS_OK, r;
	while ((r = sqlite3_step(p)) == SQLITE_ROW) {
		struct department d = {
			.id = sqlite3_column_int(p, 0),
			.code = column_text(p, 1),
			.name = column_text(p, 2),
			.name_en = column_text(p, 3),
		};
		if ((rc = fn(ctx, &d)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "scan departments");
	sqlite3_reset(p);
	return rc;
}

static int sqlite_put_indicator(struct store *st, struct indicator *ind)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_PUT_IND);
	bind_id(p, 1, ind->id);
	bind_text(p, 2, ind->code);
	bind_text(p, 3, ind->name);
	bind_text(p, 4, ind->name_en);
	bind_text(p, 5, ind->unit);
	sqlite3_bind_int(p, 6, ind->pillar);
	sqlite3_bind_int(p, 7, ind->frequency);
	sqlite3_bind_int(p, 8, ind->time_agg);
	sqlite3_bind_int(p, 9, ind->area_agg);
	sqlite3_bind_int(p, 10, ind->direction);
	bind_id(p, 11, ind->department_id);
	bind_text(p, 12, ind->source);
	bind_text(p, 13, ind->formula);
	sqlite3_bind_int(p, 14, ind->decimals);
	bind_real(p, 15, ind->weight);
	bind_real(p, 16, ind->min);
	bind_real(p, 17, ind->max);
	bind_text(p, 18, ind->part_of);
	bind_real(p, 19, ind->max_jump);
	sqlite3_bind_int(p, 20, ind->published);
	int rc = run(s, p, "put indicator", &ind->id);
	return rc ? rc : feed_all(s);
}

static int sqlite_scan_indicators(struct store *st, store_indicator_fn fn,
				  void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_INDS);
	int rc = CS_OK, r;
	while ((r = sqlite3_step(p)) == SQLITE_ROW) {
		struct indicator ind = {
			.id = sqlite3_column_int(p, 0),
			.code = column_text(p, 1),
			.name = column_text(p, 2),
			.name_en = column_text(p, 3),
			.unit = column_text(p, 4),
			.pillar = sqlite3_column_int(p, 5),
			.frequency = sqlite3_column_int(p, 6),
			.time_agg = sqlite3_column_int(p, 7),
			.area_agg = sqlite3_column_int(p, 8),
			.direction = sqlite3_column_int(p, 9),
			.department_id = sqlite3_column_int(p, 10),
			.source = column_text(p, 11),
			.formula = column_text(p, 12),
			.decimals = sqlite3_column_int(p, 13),
			.weight = column_real(p, 14),
			.min = column_real(p, 15),
			.max = column_real(p, 16),
			.part_of = column_text(p, 17),
			.max_jump = column_real(p, 18),
			.published = sqlite3_column_int(p, 19),
		};
		if ((rc = fn(ctx, &ind)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "scan indicators");
	sqlite3_reset(p);
	return rc;
}

/*
 * Reads the series in the current row of p, columns from col on
 * (first_month, n, value, flags, change), into arrays that point into the
 * row: valid until the statement steps again.
 */
static int row_series(struct store_sqlite *s, sqlite3_stmt *p, int col,
		      struct series *out)
{
	int n = sqlite3_column_int(p, col + 1);
	out->first_month = sqlite3_column_int(p, col);
	out->n = n;
	out->value = (double *)sqlite3_column_blob(p, col + 2);
	out->flags = (uint8_t *)sqlite3_column_blob(p, col + 3);
	out->change = (uint32_t *)sqlite3_column_blob(p, col + 4);
	if (n < 0 ||
	    sqlite3_column_bytes(p, col + 2) != n * (int)sizeof(double) ||
	    sqlite3_column_bytes(p, col + 3) != n ||
	    sqlite3_column_bytes(p, col + 4) != n * (int)sizeof(uint32_t))
		return cs_errorf(CS_ESTORE, "%s: series %d/%d is damaged",
				 s->base.target, out->indicator_id,
				 out->area_id);
	return CS_OK;
}

/* Calls fn with the series of each row of p (indicator, area, then the
 * columns row_series reads); what names it in an error. */
static int each_series(struct store_sqlite *s, sqlite3_stmt *p,
		       store_series_fn fn, void *ctx, const char *what)
{
	int rc = CS_OK, r;
	while ((r = sqlite3_step(p)) == SQLITE_ROW) {
		struct series ser = {
			.indicator_id = sqlite3_column_int(p, 0),
			.area_id = sqlite3_column_int(p, 1),
		};
		if ((rc = row_series(s, p, 2, &ser)) || (rc = fn(ctx, &ser)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, what);
	sqlite3_reset(p);
	return rc;
}

static int sqlite_get_series(struct store *st, int indicator_id, int area_id,
			     struct series *out)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_GET_SERIES);
	sqlite3_bind_int(p, 1, indicator_id);
	sqlite3_bind_int(p, 2, area_id);
	int r = sqlite3_step(p), rc;
	if (r == SQLITE_DONE) {
		rc = CS_ENOTFOUND;
		goto out;
	}
	if (r != SQLITE_ROW) {
		rc = fail(s, "get series");
		goto out;
	}
	struct series row = {.indicator_id = indicator_id, .area_id = area_id};
	if ((rc = row_series(s, p, 0, &row)))
		goto out;
	if ((rc = series_init(out, indicator_id, area_id, row.first_month,
			      row.n)))
		goto out;
	/* An empty blob reads as NULL, which memcpy may not be given. */
	if (row.n > 0) {
		memcpy(out->value, row.value, (size_t)row.n * sizeof(double));
		memcpy(out->flags, row.flags, (size_t)row.n);
		memcpy(out->change, row.change,
		       (size_t)row.n * sizeof(uint32_t));
	}
out:
	sqlite3_reset(p);
	return rc;
}

static int sqlite_put_series(struct store *st, const struct series *ser)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_PUT_SERIES);
	sqlite3_bind_int(p, 1, ser->indicator_id);
	sqlite3_bind_int(p, 2, ser->area_id);
	sqlite3_bind_int(p, 3, ser->first_month);
	sqlite3_bind_int(p, 4, ser->n);
	sqlite3_bind_blob(p, 5, ser->value, ser->n * (int)sizeof(double),
			  SQLITE_STATIC);
	sqlite3_bind_blob(p, 6, ser->flags, ser->n, SQLITE_STATIC);
	sqlite3_bind_blob(p, 7, ser->change, ser->n * (int)sizeof(uint32_t),
			  SQLITE_STATIC);
	int rc = run(s, p, "put series", NULL);
	if (!rc)
		rc = feed_series_row(s, ser);
	return rc;
}

static int sqlite_scan_series(struct store *st, store_series_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	return each_series(s, stmt(s, S_SCAN_SERIES), fn, ctx, "scan series");
}

static int sqlite_put_comment(struct store *st, int indicator_id, int area_id,
			      int month, const char *comment)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p =
		stmt(s, comment && *comment ? S_PUT_COMMENT : S_DEL_COMMENT);
	sqlite3_bind_int(p, 1, indicator_id);
	sqlite3_bind_int(p, 2, area_id);
	sqlite3_bind_int(p, 3, month);
	if (comment && *comment)
		bind_text(p, 4, comment);
	return run(s, p, "put comment", NULL);
}

static int sqlite_get_comment(struct store *st, int indicator_id, int area_id,
			      int month, char **out)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_GET_COMMENT);
	sqlite3_bind_int(p, 1, indicator_id);
	sqlite3_bind_int(p, 2, area_id);
	sqlite3_bind_int(p, 3, month);
	int r = sqlite3_step(p), rc = CS_OK;
	*out = NULL;
	if (r == SQLITE_ROW) {
		if (!(*out = strdup(column_text(p, 0))))
			rc = cs_errorf(CS_ENOMEM, "out of memory");
	} else if (r != SQLITE_DONE) {
		rc = fail(s, "get comment");
	}
	sqlite3_reset(p);
	return rc;
}

static int sqlite_put_target(struct store *st, const struct target *t)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_PUT_TARGET);
	sqlite3_bind_int(p, 1, t->indicator_id);
	sqlite3_bind_int(p, 2, t->area_id);
	sqlite3_bind_int(p, 3, t->year);
	sqlite3_bind_int(p, 4, t->kind);
	sqlite3_bind_double(p, 5, t->value);
	sqlite3_bind_int(p, 6, t->sample);
	int rc = run(s, p, "put target", NULL);
	return rc ? rc : feed_all(s);
}

static int sqlite_scan_targets(struct store *st, store_target_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_TARGETS);
	int rc = CS_OK, r;
	while ((r = sqlite3_step(p)) == SQLITE_ROW) {
		struct target t = {
			.indicator_id = sqlite3_column_int(p, 0),
			.area_id = sqlite3_column_int(p, 1),
			.year = sqlite3_column_int(p, 2),
			.kind = sqlite3_column_int(p, 3),
			.value = sqlite3_column_double(p, 4),
			.sample = sqlite3_column_int(p, 5),
		};
		if ((rc = fn(ctx, &t)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "scan targets");
	sqlite3_reset(p);
	return rc;
}

static int sqlite_put_benchmark(struct store *st, const struct benchmark *b)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_PUT_BENCH);
	sqlite3_bind_int(p, 1, b->indicator_id);
	bind_text(p, 2, b->group);
	sqlite3_bind_int(p, 3, b->month);
	sqlite3_bind_int(p, 4, b->kind);
	sqlite3_bind_int(p, 5, b->measure);
	sqlite3_bind_double(p, 6, b->value);
	sqlite3_bind_int(p, 7, b->sample);
	int rc = run(s, p, "put benchmark", NULL);
	return rc ? rc : feed_all(s);
}

static int sqlite_scan_benchmarks(struct store *st, store_benchmark_fn fn,
				  void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_BENCH);
	int rc = CS_OK, r;
	while ((r = sqlite3_step(p)) == SQLITE_ROW) {
		struct benchmark b = {
			.indicator_id = sqlite3_column_int(p, 0),
			.group = column_text(p, 1),
			.month = sqlite3_column_int(p, 2),
			.kind = sqlite3_column_int(p, 3),
			.measure = sqlite3_column_int(p, 4),
			.value = sqlite3_column_double(p, 5),
			.sample = sqlite3_column_int(p, 6),
		};
		if ((rc = fn(ctx, &b)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "scan benchmarks");
	sqlite3_reset(p);
	return rc;
}

static int sqlite_add_change(struct store *st, const char *actor,
			     const char *what, long *id)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_ADD_CHANGE);
	bind_text(p, 1, actor);
	bind_text(p, 2, what);
	int rc = run(s, p, "add change", NULL);
	if (!rc)
		*id = (long)sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int sqlite_add_history(struct store *st, int indicator_id, int area_id,
			      int month, const struct value_change *c)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_ADD_HISTORY);
	sqlite3_bind_int(p, 1, indicator_id);
	sqlite3_bind_int(p, 2, area_id);
	sqlite3_bind_int(p, 3, month);
	sqlite3_bind_int64(p, 4, c->change_id);
	sqlite3_bind_int64(p, 5, c->prev_change);
	bind_real(p, 6, c->before);
	bind_real(p, 7, c->after);
	sqlite3_bind_int(p, 8, c->state_before);
	sqlite3_bind_int(p, 9, c->state_after);
	if (c->comment)
		bind_text(p, 10, c->comment);
	return run(s, p, "add history", NULL);
}

static int sqlite_get_change(struct store *st, long id, store_change_fn fn,
			     void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_GET_CHANGE);
	sqlite3_bind_int64(p, 1, id);
	int r = sqlite3_step(p), rc = CS_OK;
	if (r == SQLITE_ROW) {
		struct value_change c = {
			.change_id = id,
			.at = column_text(p, 0),
			.actor = column_text(p, 1),
			.what = column_text(p, 2),
		};
		rc = fn(ctx, &c);
	} else if (r != SQLITE_DONE) {
		rc = fail(s, "get change");
	}
	sqlite3_reset(p);
	return rc;
}

/* fn may call get_change meanwhile: that is a statement of its own. */
static int sqlite_scan_history(struct store *st, int indicator_id, int area_id,
			       int month, store_change_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_HISTORY);
	sqlite3_bind_int(p, 1, indicator_id);
	sqlite3_bind_int(p, 2, area_id);
	sqlite3_bind_int(p, 3, month);
	int r, rc = CS_OK;
	while ((r = sqlite3_step(p)) == SQLITE_ROW) {
		struct value_change c = {
			.change_id = sqlite3_column_int64(p, 0),
			.at = column_text(p, 1),
			.actor = column_text(p, 2),
			.what = column_text(p, 3),
			.before = column_real(p, 4),
			.after = column_real(p, 5),
			.state_before = sqlite3_column_int(p, 6),
			.state_after = sqlite3_column_int(p, 7),
			.comment = sqlite3_column_type(p, 8) == SQLITE_NULL
					   ? NULL
					   : column_text(p, 8),
			.prev_change = sqlite3_column_int64(p, 9),
		};
		if ((rc = fn(ctx, &c)))
			break;
	}
	if (!rc && r != SQLITE_ROW && r != SQLITE_DONE)
		rc = fail(s, "scan history");
	sqlite3_reset(p);
	return rc;
}

static int sqlite_get_meta(struct store *st, const char *key, char **out)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_GET_META);
	bind_text(p, 1, key);
	int r = sqlite3_step(p), rc = CS_OK;
	*out = NULL;
	if (r == SQLITE_ROW) {
		if (!(*out = strdup(column_text(p, 0))))
			rc = cs_errorf(CS_ENOMEM, "out of memory");
	} else if (r != SQLITE_DONE) {
		rc = fail(s, "get meta");
	}
	sqlite3_reset(p);
	return rc;
}

static int sqlite_set_meta(struct store *st, const char *key,
			   const char *value)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SET_META);
	bind_text(p, 1, key);
	bind_text(p, 2, value);
	return run(s, p, "set meta", NULL);
}

static void bind_opt_text(sqlite3_stmt *p, int i, const char *z)
{
	if (z)
		sqlite3_bind_text(p, i, z, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(p, i);
}

static const char *column_opt_text(sqlite3_stmt *p, int i)
{
	return sqlite3_column_type(p, i) == SQLITE_NULL ? NULL
							: column_text(p, i);
}

static int sqlite_put_user(struct store *st, struct user *u)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_PUT_USER);
	bind_text(p, 2, u->name);
	sqlite3_bind_int(p, 3, u->role);
	bind_id(p, 4, u->department_id);
	bind_id(p, 5, u->area_id);
	bind_text(p, 6, u->password);
	sqlite3_bind_int(p, 7, u->disabled);
	sqlite3_bind_int(p, 8, u->failed);
	sqlite3_bind_int64(p, 9, u->locked_until);
	return run(s, p, "put user", &u->id);
}

/* Reads the user in the current row of p; strings are the row's. */
static void row_user(sqlite3_stmt *p, struct user *u)
{
	u->id = sqlite3_column_int(p, 0);
	u->name = column_text(p, 1);
	u->role = sqlite3_column_int(p, 2);
	u->department_id = sqlite3_column_int(p, 3);
	u->area_id = sqlite3_column_int(p, 4);
	u->password = column_text(p, 5);
	u->disabled = sqlite3_column_int(p, 6);
	u->failed = sqlite3_column_int(p, 7);
	u->locked_until = (long)sqlite3_column_int64(p, 8);
	u->created = column_text(p, 9);
}

static int sqlite_get_user(struct store *st, const char *name, int id,
			   struct user *out)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, name ? S_GET_USER : S_GET_USER_ID);
	if (name)
		bind_text(p, 1, name);
	else
		sqlite3_bind_int(p, 1, id);
	int r = sqlite3_step(p), rc = CS_OK;
	if (r == SQLITE_ROW) {
		struct user u;
		row_user(p, &u);
		*out = u;
		out->name = strdup(u.name);
		out->password = strdup(u.password);
		out->created = strdup(u.created);
		if (!out->name || !out->password || !out->created) {
			user_release(out);
			rc = cs_errorf(CS_ENOMEM, "out of memory");
		}
	} else {
		rc = r == SQLITE_DONE ? CS_ENOTFOUND : fail(s, "get user");
	}
	sqlite3_reset(p);
	return rc;
}

static int sqlite_scan_users(struct store *st, store_user_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_USERS);
	int rc = CS_OK, r;
	while ((r = sqlite3_step(p)) == SQLITE_ROW) {
		struct user u;
		row_user(p, &u);
		if ((rc = fn(ctx, &u)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "scan users");
	sqlite3_reset(p);
	return rc;
}

static int sqlite_put_session(struct store *st, const struct session *se)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_PUT_SESSION);
	sqlite3_bind_blob(p, 1, se->hash, SESSION_HASH, SQLITE_STATIC);
	sqlite3_bind_int(p, 2, se->user_id);
	sqlite3_bind_int(p, 3, se->kind);
	bind_text(p, 4, se->csrf);
	sqlite3_bind_int64(p, 5, se->created);
	sqlite3_bind_int64(p, 6, se->last_seen);
	sqlite3_bind_int64(p, 7, se->expires);
	bind_text(p, 8, se->label);
	return run(s, p, "put session", NULL);
}

static int sqlite_get_session(struct store *st, const uint8_t *hash,
			      struct session *out)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_GET_SESSION);
	sqlite3_bind_blob(p, 1, hash, SESSION_HASH, SQLITE_STATIC);
	int r = sqlite3_step(p), rc = CS_OK;
	if (r == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		memcpy(out->hash, hash, SESSION_HASH);
		out->user_id = sqlite3_column_int(p, 0);
		out->kind = sqlite3_column_int(p, 1);
		snprintf(out->csrf, sizeof out->csrf, "%s", column_text(p, 2));
		out->created = (long)sqlite3_column_int64(p, 3);
		out->last_seen = (long)sqlite3_column_int64(p, 4);
		out->expires = (long)sqlite3_column_int64(p, 5);
		if (!(out->label = strdup(column_text(p, 6))))
			rc = cs_errorf(CS_ENOMEM, "out of memory");
	} else {
		rc = r == SQLITE_DONE ? CS_ENOTFOUND : fail(s, "get session");
	}
	sqlite3_reset(p);
	return rc;
}

static int sqlite_touch_session(struct store *st, const uint8_t *hash,
				long last_seen)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_TOUCH_SESSION);
	sqlite3_bind_blob(p, 1, hash, SESSION_HASH, SQLITE_STATIC);
	sqlite3_bind_int64(p, 2, last_seen);
	return run(s, p, "touch session", NULL);
}

static int sqlite_delete_session(struct store *st, const uint8_t *hash)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_DEL_SESSION);
	sqlite3_bind_blob(p, 1, hash, SESSION_HASH, SQLITE_STATIC);
	return run(s, p, "delete session", NULL);
}

static int sqlite_delete_user_sessions(struct store *st, int user_id)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_DEL_USER_SESSIONS);
	sqlite3_bind_int(p, 1, user_id);
	return run(s, p, "delete sessions", NULL);
}

static int sqlite_last_audit(struct store *st, long *id, uint8_t *hash)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_LAST_AUDIT);
	int r = sqlite3_step(p), rc = CS_OK;
	*id = 0;
	memset(hash, 0, SESSION_HASH);
	if (r == SQLITE_ROW) {
		*id = (long)sqlite3_column_int64(p, 0);
		if (sqlite3_column_bytes(p, 1) == SESSION_HASH)
			memcpy(hash, sqlite3_column_blob(p, 1), SESSION_HASH);
	} else if (r != SQLITE_DONE) {
		rc = fail(s, "last audit");
	}
	sqlite3_reset(p);
	return rc;
}

static int sqlite_add_audit(struct store *st, struct audit_entry *e)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_ADD_AUDIT);
	bind_text(p, 1, e->at);
	bind_text(p, 2, e->actor);
	bind_text(p, 3, e->action);
	bind_text(p, 4, e->object);
	bind_opt_text(p, 5, e->before);
	bind_opt_text(p, 6, e->after);
	bind_opt_text(p, 7, e->request_id);
	sqlite3_bind_blob(p, 8, e->prev_hash, SESSION_HASH, SQLITE_STATIC);
	sqlite3_bind_blob(p, 9, e->hash, SESSION_HASH, SQLITE_STATIC);
	int rc = run(s, p, "add audit", NULL);
	if (!rc)
		e->id = (long)sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int sqlite_scan_audit(struct store *st, long from, long limit,
			     store_audit_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_AUDIT);
	int rc = CS_OK, r;
	sqlite3_bind_int64(p, 1, from);
	sqlite3_bind_int64(p, 2, limit > 0 ? limit : -1);
	while ((r = sqlite3_step(p)) == SQLITE_ROW) {
		struct audit_entry e = {
			.id = (long)sqlite3_column_int64(p, 0),
			.at = column_text(p, 1),
			.actor = column_text(p, 2),
			.action = column_text(p, 3),
			.object = column_text(p, 4),
			.before = column_opt_text(p, 5),
			.after = column_opt_text(p, 6),
			.request_id = column_opt_text(p, 7),
		};
		/* A hash of the wrong size reads as zeros: verify says so. */
		if (sqlite3_column_bytes(p, 8) == SESSION_HASH)
			memcpy(e.prev_hash, sqlite3_column_blob(p, 8),
			       SESSION_HASH);
		if (sqlite3_column_bytes(p, 9) == SESSION_HASH)
			memcpy(e.hash, sqlite3_column_blob(p, 9), SESSION_HASH);
		if ((rc = fn(ctx, &e)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "scan audit");
	sqlite3_reset(p);
	return rc;
}

/* ---- Copying a database whole (civstat migrate) ------------------------ */

static int sqlite_scan_comments(struct store *st, store_comment_fn fn,
				void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_COMMENTS);
	int rc = CS_OK, r;
	while ((r = sqlite3_step(p)) == SQLITE_ROW)
		if ((rc = fn(ctx, sqlite3_column_int(p, 0),
			     sqlite3_column_int(p, 1), sqlite3_column_int(p, 2),
			     column_text(p, 3))))
			break;
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "scan comments");
	sqlite3_reset(p);
	return rc;
}

static int sqlite_scan_changes(struct store *st, store_change_fn fn,
			       void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_CHANGES);
	int rc = CS_OK, r;
	while ((r = sqlite3_step(p)) == SQLITE_ROW) {
		struct value_change c = {
			.change_id = (long)sqlite3_column_int64(p, 0),
			.at = column_text(p, 1),
			.actor = column_text(p, 2),
			.what = column_text(p, 3),
		};
		if ((rc = fn(ctx, &c)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "scan changes");
	sqlite3_reset(p);
	return rc;
}

static int sqlite_copy_change(struct store *st, const struct value_change *c)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_COPY_CHANGE);
	sqlite3_bind_int64(p, 1, c->change_id);
	bind_text(p, 2, c->at);
	bind_text(p, 3, c->actor);
	bind_text(p, 4, c->what);
	return run(s, p, "copy change", NULL);
}

static int sqlite_scan_history_rows(struct store *st, store_history_row_fn fn,
				    void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_HISTORY_ROWS);
	int rc = CS_OK, r;
	while ((r = sqlite3_step(p)) == SQLITE_ROW) {
		struct history_row h = {
			.id = (long)sqlite3_column_int64(p, 0),
			.indicator_id = sqlite3_column_int(p, 1),
			.area_id = sqlite3_column_int(p, 2),
			.month = sqlite3_column_int(p, 3),
			.c = {
				.change_id = (long)sqlite3_column_int64(p, 4),
				.prev_change = (long)sqlite3_column_int64(p, 5),
				.before = column_real(p, 6),
				.after = column_real(p, 7),
				.state_before = sqlite3_column_int(p, 8),
				.state_after = sqlite3_column_int(p, 9),
				.comment = column_opt_text(p, 10),
			},
		};
		if ((rc = fn(ctx, &h)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "scan history");
	sqlite3_reset(p);
	return rc;
}

static int sqlite_copy_history_row(struct store *st,
				   const struct history_row *h)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_COPY_HISTORY_ROW);
	sqlite3_bind_int64(p, 1, h->id);
	sqlite3_bind_int(p, 2, h->indicator_id);
	sqlite3_bind_int(p, 3, h->area_id);
	sqlite3_bind_int(p, 4, h->month);
	sqlite3_bind_int64(p, 5, h->c.change_id);
	sqlite3_bind_int64(p, 6, h->c.prev_change);
	bind_real(p, 7, h->c.before);
	bind_real(p, 8, h->c.after);
	sqlite3_bind_int(p, 9, h->c.state_before);
	sqlite3_bind_int(p, 10, h->c.state_after);
	bind_opt_text(p, 11, h->c.comment);
	return run(s, p, "copy history", NULL);
}

static int sqlite_copy_user(struct store *st, const struct user *u)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_COPY_USER);
	sqlite3_bind_int(p, 1, u->id);
	bind_text(p, 2, u->name);
	sqlite3_bind_int(p, 3, u->role);
	bind_id(p, 4, u->department_id);
	bind_id(p, 5, u->area_id);
	bind_text(p, 6, u->password);
	sqlite3_bind_int(p, 7, u->disabled);
	sqlite3_bind_int(p, 8, u->failed);
	sqlite3_bind_int64(p, 9, u->locked_until);
	bind_text(p, 10, u->created);
	return run(s, p, "copy user", NULL);
}

static int sqlite_scan_sessions(struct store *st, store_session_fn fn,
				void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_SESSIONS);
	int rc = CS_OK, r;
	while ((r = sqlite3_step(p)) == SQLITE_ROW) {
		struct session se = {
			.user_id = sqlite3_column_int(p, 1),
			.kind = sqlite3_column_int(p, 2),
			.created = (long)sqlite3_column_int64(p, 4),
			.last_seen = (long)sqlite3_column_int64(p, 5),
			.expires = (long)sqlite3_column_int64(p, 6),
			.label = column_text(p, 7),
		};
		if (sqlite3_column_bytes(p, 0) != SESSION_HASH) {
			rc = cs_errorf(CS_ESTORE, "%s: a session's hash is "
				       "damaged", s->base.target);
			break;
		}
		memcpy(se.hash, sqlite3_column_blob(p, 0), SESSION_HASH);
		snprintf(se.csrf, sizeof se.csrf, "%s", column_text(p, 3));
		if ((rc = fn(ctx, &se)))
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "scan sessions");
	sqlite3_reset(p);
	return rc;
}

static int sqlite_scan_meta(struct store *st, store_meta_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_META);
	int rc = CS_OK, r;
	while ((r = sqlite3_step(p)) == SQLITE_ROW)
		if ((rc = fn(ctx, column_text(p, 0), column_text(p, 1))))
			break;
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "scan meta");
	sqlite3_reset(p);
	return rc;
}

static int sqlite_copy_audit(struct store *st, const struct audit_entry *e)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_COPY_AUDIT);
	sqlite3_bind_int64(p, 1, e->id);
	bind_text(p, 2, e->at);
	bind_text(p, 3, e->actor);
	bind_text(p, 4, e->action);
	bind_text(p, 5, e->object);
	bind_opt_text(p, 6, e->before);
	bind_opt_text(p, 7, e->after);
	bind_opt_text(p, 8, e->request_id);
	sqlite3_bind_blob(p, 9, e->prev_hash, SESSION_HASH, SQLITE_STATIC);
	sqlite3_bind_blob(p, 10, e->hash, SESSION_HASH, SQLITE_STATIC);
	return run(s, p, "copy audit", NULL);
}

/* ---- task lists and supervision, 督办 (schema 6) ------------------------ */

static sqlite3_stmt *tstmt(struct store_sqlite *s, enum task_stmt_id id)
{
	sqlite3_stmt *p = s->task_stmt[id];
	sqlite3_reset(p);
	sqlite3_clear_bindings(p);
	return p;
}

/* Ends a scan: CS_OK, fn's code, or the store's error. */
static int scan_end(struct store_sqlite *s, sqlite3_stmt *p, int rc, int r,
		    const char *what)
{
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, what);
	sqlite3_reset(p);
	return rc;
}

static int sqlite_put_task_list(struct store *st, struct task_list *l)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = tstmt(s, T_PUT_LIST);
	bind_id(p, 1, l->id);
	bind_text(p, 2, l->code);
	sqlite3_bind_int(p, 3, l->year);
	bind_text(p, 4, l->name);
	bind_text(p, 5, l->kind);
	bind_text(p, 6, l->source);
	sqlite3_bind_int(p, 7, l->sample);
	return run(s, p, "put task list", &l->id);
}

static int sqlite_scan_task_lists(struct store *st, store_task_list_fn fn,
				  void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = tstmt(s, T_SCAN_LISTS);
	int rc = CS_OK, r;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct task_list l = {
			.id = sqlite3_column_int(p, 0),
			.code = column_text(p, 1),
			.year = sqlite3_column_int(p, 2),
			.name = column_text(p, 3),
			.kind = column_text(p, 4),
			.source = column_text(p, 5),
			.sample = sqlite3_column_int(p, 6),
		};
		rc = fn(ctx, &l);
	}
	return scan_end(s, p, rc, r, "scan task lists");
}

static int sqlite_put_task(struct store *st, struct task *t)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = tstmt(s, T_PUT_TASK);
	bind_id(p, 1, t->id);
	bind_text(p, 2, t->code);
	sqlite3_bind_int(p, 3, t->list_id);
	bind_text(p, 4, t->title);
	bind_id(p, 5, t->department_id);
	bind_text(p, 6, t->leader);
	bind_text(p, 7, t->deadline);
	bind_real(p, 8, t->target);
	bind_text(p, 9, t->unit);
	bind_real(p, 10, t->achieved);
	sqlite3_bind_int(p, 11, t->status);
	bind_text(p, 12, t->done_on);
	bind_text(p, 13, t->source);
	sqlite3_bind_int(p, 14, t->sample);
	return run(s, p, "put task", &t->id);
}

/* Calls fn with each task p's rows give. */
static int each_task(struct store_sqlite *s, sqlite3_stmt *p,
		     store_task_fn fn, void *ctx, int *found)
{
	int rc = CS_OK, r;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct task t = {
			.id = sqlite3_column_int(p, 0),
			.code = column_text(p, 1),
			.list_id = sqlite3_column_int(p, 2),
			.title = column_text(p, 3),
			.department_id = sqlite3_column_int(p, 4),
			.leader = column_text(p, 5),
			.deadline = column_text(p, 6),
			.target = column_real(p, 7),
			.unit = column_text(p, 8),
			.achieved = column_real(p, 9),
			.status = sqlite3_column_int(p, 10),
			.done_on = column_text(p, 11),
			.source = column_text(p, 12),
			.sample = sqlite3_column_int(p, 13),
		};
		(*found)++;
		rc = fn(ctx, &t);
	}
	return scan_end(s, p, rc, r, "read tasks");
}

static int sqlite_get_task(struct store *st, const char *code,
			   store_task_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = tstmt(s, T_GET_TASK);
	int found = 0;
	bind_text(p, 1, code);
	int rc = each_task(s, p, fn, ctx, &found);
	return rc ? rc : found ? CS_OK : CS_ENOTFOUND;
}

static int sqlite_scan_tasks(struct store *st, int list_id, store_task_fn fn,
			     void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = tstmt(s, T_SCAN_TASKS);
	int found = 0;
	sqlite3_bind_int(p, 1, list_id);
	return each_task(s, p, fn, ctx, &found);
}

static int sqlite_put_task_milestone(struct store *st,
				     const struct task_milestone *m)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = tstmt(s, T_PUT_MILESTONE);
	sqlite3_bind_int(p, 1, m->task_id);
	sqlite3_bind_int(p, 2, m->seq);
	bind_text(p, 3, m->name);
	bind_text(p, 4, m->due);
	bind_text(p, 5, m->done_on);
	return run(s, p, "put milestone", NULL);
}

static int sqlite_scan_task_milestones(struct store *st, int task_id,
				       store_milestone_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = tstmt(s, T_SCAN_MILESTONES);
	int rc = CS_OK, r;
	sqlite3_bind_int(p, 1, task_id);
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct task_milestone m = {
			.task_id = sqlite3_column_int(p, 0),
			.seq = sqlite3_column_int(p, 1),
			.name = column_text(p, 2),
			.due = column_text(p, 3),
			.done_on = column_text(p, 4),
		};
		rc = fn(ctx, &m);
	}
	return scan_end(s, p, rc, r, "scan milestones");
}

static int sqlite_add_task_report(struct store *st, struct task_report *tr)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = tstmt(s, T_ADD_REPORT);
	bind_id(p, 1, tr->id);
	sqlite3_bind_int(p, 2, tr->task_id);
	bind_text(p, 3, tr->day);
	bind_text(p, 4, tr->text);
	bind_real(p, 5, tr->achieved);
	bind_text(p, 6, tr->actor);
	sqlite3_bind_int(p, 7, tr->sample);
	return run(s, p, "add progress report", &tr->id);
}

static int sqlite_scan_task_reports(struct store *st, int task_id,
				    store_task_report_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = tstmt(s, T_SCAN_REPORTS);
	int rc = CS_OK, r;
	sqlite3_bind_int(p, 1, task_id);
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct task_report tr = {
			.id = sqlite3_column_int(p, 0),
			.task_id = sqlite3_column_int(p, 1),
			.day = column_text(p, 2),
			.text = column_text(p, 3),
			.achieved = column_real(p, 4),
			.actor = column_text(p, 5),
			.sample = sqlite3_column_int(p, 6),
		};
		rc = fn(ctx, &tr);
	}
	return scan_end(s, p, rc, r, "scan progress reports");
}

static int sqlite_put_task_note(struct store *st, struct task_note *n)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = tstmt(s, T_PUT_NOTE);
	bind_id(p, 1, n->id);
	sqlite3_bind_int(p, 2, n->task_id);
	bind_text(p, 3, n->author);
	bind_text(p, 4, n->day);
	bind_text(p, 5, n->text);
	bind_text(p, 6, n->due);
	bind_text(p, 7, n->answer);
	bind_text(p, 8, n->answered_by);
	bind_text(p, 9, n->answered_on);
	return run(s, p, "put note", &n->id);
}

static int sqlite_scan_task_notes(struct store *st, int task_id,
				  store_task_note_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = tstmt(s, T_SCAN_NOTES);
	int rc = CS_OK, r;
	sqlite3_bind_int(p, 1, task_id);
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct task_note n = {
			.id = sqlite3_column_int(p, 0),
			.task_id = sqlite3_column_int(p, 1),
			.author = column_text(p, 2),
			.day = column_text(p, 3),
			.text = column_text(p, 4),
			.due = column_text(p, 5),
			.answer = column_text(p, 6),
			.answered_by = column_text(p, 7),
			.answered_on = column_text(p, 8),
		};
		rc = fn(ctx, &n);
	}
	return scan_end(s, p, rc, r, "scan notes");
}

/* ---- the key-project pipeline: its store ops -------------------------- */

/* Resets a pipeline statement and returns it ready for binding. */
static sqlite3_stmt *pstmt(struct store_sqlite *s, enum project_stmt_id id)
{
	sqlite3_stmt *p = s->pstmt[id];
	sqlite3_reset(p);
	sqlite3_clear_bindings(p);
	return p;
}

static int sqlite_put_project(struct store *st, struct project *pr)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_PUT_PROJECT);
	bind_id(p, 1, pr->id);
	bind_text(p, 2, pr->code);
	bind_text(p, 3, pr->name);
	bind_text(p, 4, pr->cluster);
	sqlite3_bind_int(p, 5, pr->type);
	sqlite3_bind_int(p, 6, pr->area_id);
	bind_id(p, 7, pr->department_id);
	bind_text(p, 8, pr->leader);
	bind_real(p, 9, pr->total);
	sqlite3_bind_int(p, 10, pr->phase);
	bind_text(p, 11, pr->planned_start);
	bind_text(p, 12, pr->planned_finish);
	bind_text(p, 13, pr->actual_start);
	bind_text(p, 14, pr->actual_finish);
	bind_text(p, 15, pr->address);
	bind_real(p, 16, pr->lon);
	bind_real(p, 17, pr->lat);
	bind_text(p, 18, pr->issues);
	bind_text(p, 19, pr->programme);
	sqlite3_bind_int(p, 20, pr->sample);
	bind_text(p, 21, pr->source);
	int rc = run(s, p, "put project", &pr->id);
	return rc ? rc : feed_projects(s);
}

static int sqlite_scan_projects(struct store *st, store_project_fn fn,
				void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_SCAN_PROJECTS);
	int rc = CS_OK, r = SQLITE_DONE;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct project pr = {
			.id = sqlite3_column_int(p, 0),
			.code = column_text(p, 1),
			.name = column_text(p, 2),
			.cluster = column_text(p, 3),
			.type = sqlite3_column_int(p, 4),
			.area_id = sqlite3_column_int(p, 5),
			.department_id = sqlite3_column_int(p, 6),
			.leader = column_text(p, 7),
			.total = column_real(p, 8),
			.phase = sqlite3_column_int(p, 9),
			.planned_start = column_text(p, 10),
			.planned_finish = column_text(p, 11),
			.actual_start = column_text(p, 12),
			.actual_finish = column_text(p, 13),
			.address = column_text(p, 14),
			.lon = column_real(p, 15),
			.lat = column_real(p, 16),
			.issues = column_text(p, 17),
			.programme = column_text(p, 18),
			.sample = sqlite3_column_int(p, 19),
			.source = column_text(p, 20),
		};
		rc = fn(ctx, &pr);
	}
	return scan_end(s, p, rc, r, "scan projects");
}

static int sqlite_put_project_plan(struct store *st,
				   const struct project_plan *pl)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_PUT_PLAN);
	sqlite3_bind_int(p, 1, pl->project_id);
	sqlite3_bind_int(p, 2, pl->year);
	sqlite3_bind_double(p, 3, pl->amount);
	sqlite3_bind_int(p, 4, pl->sample);
	int rc = run(s, p, "put project plan", NULL);
	return rc ? rc : feed_projects(s);
}

static int sqlite_scan_project_plans(struct store *st, store_plan_fn fn,
				     void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_SCAN_PLANS);
	int rc = CS_OK, r = SQLITE_DONE;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct project_plan pl = {
			.project_id = sqlite3_column_int(p, 0),
			.year = sqlite3_column_int(p, 1),
			.amount = sqlite3_column_double(p, 2),
			.sample = sqlite3_column_int(p, 3),
		};
		rc = fn(ctx, &pl);
	}
	return scan_end(s, p, rc, r, "scan project plans");
}

static int sqlite_put_milestone(struct store *st, const struct milestone *m)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_PUT_MILESTONE);
	sqlite3_bind_int(p, 1, m->project_id);
	bind_text(p, 2, m->name);
	bind_text(p, 3, m->due);
	bind_text(p, 4, m->done);
	sqlite3_bind_int(p, 5, m->sample);
	int rc = run(s, p, "put milestone", NULL);
	return rc ? rc : feed_projects(s);
}

static int sqlite_scan_milestones(struct store *st, store_project_milestone_fn fn,
				  void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_SCAN_MILESTONES);
	int rc = CS_OK, r = SQLITE_DONE;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct milestone m = {
			.project_id = sqlite3_column_int(p, 0),
			.name = column_text(p, 1),
			.due = column_text(p, 2),
			.done = column_text(p, 3),
			.sample = sqlite3_column_int(p, 4),
		};
		rc = fn(ctx, &m);
	}
	return scan_end(s, p, rc, r, "scan milestones");
}

static int sqlite_put_project_report(struct store *st,
				     const struct project_report *rp)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_PUT_REPORT);
	sqlite3_bind_int(p, 1, rp->project_id);
	sqlite3_bind_int(p, 2, rp->month);
	sqlite3_bind_double(p, 3, rp->investment);
	bind_real(p, 4, rp->progress);
	bind_text(p, 5, rp->note);
	bind_text(p, 6, rp->actor);
	sqlite3_bind_int(p, 7, rp->sample);
	if (rp->at && *rp->at)
		bind_text(p, 8, rp->at);
	int rc = run(s, p, "put project report", NULL);
	return rc ? rc : feed_projects(s);
}

/* The rows of a scan of reports, p stepped, to fn. */
static int each_report(struct store_sqlite *s, sqlite3_stmt *p,
		       store_report_fn fn, void *ctx)
{
	int rc = CS_OK, r = SQLITE_DONE;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct project_report rp = {
			.project_id = sqlite3_column_int(p, 0),
			.month = sqlite3_column_int(p, 1),
			.investment = sqlite3_column_double(p, 2),
			.progress = column_real(p, 3),
			.note = column_text(p, 4),
			.actor = column_text(p, 5),
			.at = column_text(p, 6),
			.sample = sqlite3_column_int(p, 7),
		};
		rc = fn(ctx, &rp);
	}
	return scan_end(s, p, rc, r, "scan project reports");
}

static int sqlite_scan_project_reports(struct store *st, store_report_fn fn,
				       void *ctx)
{
	struct store_sqlite *s = sq(st);
	return each_report(s, pstmt(s, P_SCAN_REPORTS), fn, ctx);
}

static int sqlite_scan_project_reports_of(struct store *st, int project_id,
					  store_report_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_SCAN_REPORTS_OF);
	sqlite3_bind_int(p, 1, project_id);
	return each_report(s, p, fn, ctx);
}

static int sqlite_add_phase_change(struct store *st, struct phase_change *c)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_ADD_PHASE);
	sqlite3_bind_int(p, 1, c->project_id);
	sqlite3_bind_int(p, 2, c->from);
	sqlite3_bind_int(p, 3, c->to);
	bind_text(p, 4, c->date);
	bind_text(p, 5, c->reason);
	bind_text(p, 6, c->actor);
	if (c->id > 0)
		sqlite3_bind_int64(p, 7, c->id);
	if (c->at && *c->at)
		bind_text(p, 8, c->at);
	int rc = run(s, p, "add phase change", NULL);
	if (!rc)
		c->id = (long)sqlite3_last_insert_rowid(s->db);
	return rc ? rc : feed_projects(s);
}

static int sqlite_scan_phase_changes(struct store *st, store_phase_fn fn,
				     void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_SCAN_PHASES);
	int rc = CS_OK, r = SQLITE_DONE;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct phase_change c = {
			.id = (long)sqlite3_column_int64(p, 0),
			.project_id = sqlite3_column_int(p, 1),
			.from = sqlite3_column_int(p, 2),
			.to = sqlite3_column_int(p, 3),
			.date = column_text(p, 4),
			.reason = column_text(p, 5),
			.actor = column_text(p, 6),
			.at = column_text(p, 7),
		};
		rc = fn(ctx, &c);
	}
	return scan_end(s, p, rc, r, "scan phase changes");
}

static int sqlite_put_programme(struct store *st, struct programme *pg)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_PUT_PROGRAMME);
	bind_id(p, 1, pg->id);
	bind_text(p, 2, pg->code);
	bind_text(p, 3, pg->name);
	sqlite3_bind_int(p, 4, pg->first_year);
	sqlite3_bind_int(p, 5, pg->last_year);
	sqlite3_bind_int(p, 6, pg->communities);
	sqlite3_bind_int(p, 7, pg->buildings);
	sqlite3_bind_int(p, 8, pg->households);
	bind_real(p, 9, pg->floor_area);
	bind_text(p, 10, pg->source);
	sqlite3_bind_int(p, 11, pg->sample);
	int rc = run(s, p, "put programme", &pg->id);
	return rc ? rc : feed_projects(s);
}

static int sqlite_scan_programmes(struct store *st, store_programme_fn fn,
				  void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_SCAN_PROGRAMMES);
	int rc = CS_OK, r = SQLITE_DONE;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct programme pg = {
			.id = sqlite3_column_int(p, 0),
			.code = column_text(p, 1),
			.name = column_text(p, 2),
			.first_year = sqlite3_column_int(p, 3),
			.last_year = sqlite3_column_int(p, 4),
			.communities = sqlite3_column_int(p, 5),
			.buildings = sqlite3_column_int(p, 6),
			.households = sqlite3_column_int(p, 7),
			.floor_area = column_real(p, 8),
			.source = column_text(p, 9),
			.sample = sqlite3_column_int(p, 10),
		};
		rc = fn(ctx, &pg);
	}
	return scan_end(s, p, rc, r, "scan programmes");
}

static int sqlite_put_community(struct store *st, const struct community *c)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_PUT_COMMUNITY);
	sqlite3_bind_int(p, 1, c->programme_id);
	bind_text(p, 2, c->name);
	bind_id(p, 3, c->area_id);
	sqlite3_bind_int(p, 4, c->buildings);
	sqlite3_bind_int(p, 5, c->households);
	bind_real(p, 6, c->floor_area);
	bind_text(p, 7, c->started);
	bind_text(p, 8, c->finished);
	sqlite3_bind_double(p, 9, c->progress);
	sqlite3_bind_int(p, 10, c->sample);
	int rc = run(s, p, "put community", NULL);
	return rc ? rc : feed_projects(s);
}

static int sqlite_scan_communities(struct store *st, store_community_fn fn,
				   void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_SCAN_COMMUNITIES);
	int rc = CS_OK, r = SQLITE_DONE;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct community c = {
			.programme_id = sqlite3_column_int(p, 0),
			.name = column_text(p, 1),
			.area_id = sqlite3_column_int(p, 2),
			.buildings = sqlite3_column_int(p, 3),
			.households = sqlite3_column_int(p, 4),
			.floor_area = column_real(p, 5),
			.started = column_text(p, 6),
			.finished = column_text(p, 7),
			.progress = sqlite3_column_double(p, 8),
			.sample = sqlite3_column_int(p, 9),
		};
		rc = fn(ctx, &c);
	}
	return scan_end(s, p, rc, r, "scan communities");
}

/* Notes are not in the held pipeline (project_book), so no feed entry. */
static int sqlite_put_project_note(struct store *st, struct project_note *n)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_PUT_NOTE);
	bind_id(p, 1, n->id);
	sqlite3_bind_int(p, 2, n->project_id);
	bind_text(p, 3, n->author);
	bind_text(p, 4, n->day);
	bind_text(p, 5, n->text);
	bind_text(p, 6, n->due);
	bind_text(p, 7, n->answer);
	bind_text(p, 8, n->answered_by);
	bind_text(p, 9, n->answered_on);
	return run(s, p, "put project note", &n->id);
}

static int sqlite_scan_project_notes(struct store *st, int project_id,
				     store_project_note_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = pstmt(s, P_SCAN_NOTES);
	int rc = CS_OK, r = SQLITE_DONE;
	sqlite3_bind_int(p, 1, project_id);
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct project_note n = {
			.id = sqlite3_column_int(p, 0),
			.project_id = sqlite3_column_int(p, 1),
			.author = column_text(p, 2),
			.day = column_text(p, 3),
			.text = column_text(p, 4),
			.due = column_text(p, 5),
			.answer = column_text(p, 6),
			.answered_by = column_text(p, 7),
			.answered_on = column_text(p, 8),
		};
		rc = fn(ctx, &n);
	}
	return scan_end(s, p, rc, r, "scan project notes");
}

/* ---- the working-day calendar (schema 8) ------------------------------ */

static int sqlite_put_holiday(struct store *st, const struct holiday *h)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_PUT_HOLIDAY);
	bind_text(p, 1, h->date);
	bind_text(p, 2, h->kind);
	bind_text(p, 3, h->name);
	bind_text(p, 4, h->source);
	return run(s, p, "put holiday", NULL);
}

static int sqlite_scan_holidays(struct store *st, store_holiday_fn fn,
				void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_HOLIDAYS);
	int rc = CS_OK, r = SQLITE_DONE;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct holiday h = {
			.date = column_text(p, 0),
			.kind = column_text(p, 1),
			.name = column_text(p, 2),
			.source = column_text(p, 3),
		};
		rc = fn(ctx, &h);
	}
	return scan_end(s, p, rc, r, "scan holidays");
}

/* ---- the service catalogue (schema 9) -------------------------------- */

static int sqlite_put_service(struct store *st, const struct service *v)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_PUT_SERVICE);
	bind_text(p, 1, v->code);
	bind_text(p, 2, v->name);
	bind_text(p, 3, v->name_en);
	bind_text(p, 4, v->group);
	bind_text(p, 5, v->department);
	sqlite3_bind_int(p, 6, v->dispatch_days);
	sqlite3_bind_int(p, 7, v->answer_days);
	sqlite3_bind_int(p, 8, v->answer_hours);
	bind_text(p, 9, v->keywords);
	bind_text(p, 10, v->description);
	sqlite3_bind_int(p, 11, v->public);
	bind_text(p, 12, v->source);
	return run(s, p, "put service", NULL);
}

static int sqlite_scan_services(struct store *st, store_service_fn fn,
				void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = stmt(s, S_SCAN_SERVICES);
	int rc = CS_OK, r = SQLITE_DONE;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct service v = {
			.code = column_text(p, 0),
			.name = column_text(p, 1),
			.name_en = column_text(p, 2),
			.group = column_text(p, 3),
			.department = column_text(p, 4),
			.dispatch_days = sqlite3_column_int(p, 5),
			.answer_days = sqlite3_column_int(p, 6),
			.answer_hours = sqlite3_column_int(p, 7),
			.keywords = column_text(p, 8),
			.description = column_text(p, 9),
			.public = sqlite3_column_int(p, 10),
			.source = column_text(p, 11),
		};
		rc = fn(ctx, &v);
	}
	return scan_end(s, p, rc, r, "scan services");
}

/* ---- the residents' requests (schema 10) ------------------------------
 * The statements and their arguments come from store_request.c; here is
 * only how SQLite binds and reads them. */

static void bind_arg(sqlite3_stmt *p, int i, const struct store_arg *a)
{
	switch (a->type) {
	case STORE_LONG:
	case STORE_INT:
		sqlite3_bind_int64(p, i, a->l);
		break;
	case STORE_TEXT:
		bind_text(p, i, a->z);
		break;
	case STORE_REAL:
		bind_real(p, i, a->d);
		break;
	}
}

static void bind_args(sqlite3_stmt *p, const struct store_sql *q)
{
	sqlite3_reset(p);
	sqlite3_clear_bindings(p);
	for (int k = 0; k < q->n; k++)
		bind_arg(p, k + 1, &q->arg[k]);
}

/* Reads the row at p into the record at rec by its fields; the strings
 * are SQLite's, valid until the next step. */
static void read_fields(sqlite3_stmt *p, const struct store_field *f,
			void *rec)
{
	for (int k = 0; f[k].name; k++) {
		char *v = (char *)rec + f[k].off;
		switch (f[k].type) {
		case STORE_LONG:
			*(long *)v = (long)sqlite3_column_int64(p, k);
			break;
		case STORE_INT:
			*(int *)v = sqlite3_column_int(p, k);
			break;
		case STORE_TEXT:
			*(char **)v = column_text(p, k);
			break;
		case STORE_REAL:
			*(double *)v = column_real(p, k);
			break;
		}
	}
}

/* A failed write: a unique ref or token taken is a conflict. */
static int write_failed(struct store_sqlite *s, const char *what)
{
	if ((sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_CONSTRAINT)
		return cs_errorf(CS_ECONFLICT, "%s: %s", what,
				 sqlite3_errmsg(s->db));
	return fail(s, what);
}

/* Steps p, a write, to its end; an insert's new rowid into *id (may be
 * NULL). */
static int step_write(struct store_sqlite *s, sqlite3_stmt *p,
		      const char *what, long *id)
{
	int r = sqlite3_step(p);
	/* The inserts return no row (store_request_sql): the id is the
	 * rowid the step inserted. */
	if (r == SQLITE_DONE && id)
		*id = (long)sqlite3_last_insert_rowid(s->db);
	int rc = r == SQLITE_DONE ? CS_OK : write_failed(s, what);
	sqlite3_reset(p);
	return rc;
}

static int sqlite_put_request(struct store *st, struct request *r)
{
	struct store_sqlite *s = sq(st);
	struct store_sql q;
	int rc;
	if (r->id) {
		store_request_args(&q, r, 1);
		bind_args(s->rstmt[SR_UPDATE], &q);
		if ((rc = step_write(s, s->rstmt[SR_UPDATE], "put request",
				     NULL)))
			return rc;
		if (sqlite3_changes(s->db))
			return CS_OK;
	}
	long id = 0;
	store_request_args(&q, r, 0);
	bind_args(s->rstmt[SR_INSERT], &q);
	if ((rc = step_write(s, s->rstmt[SR_INSERT], "put request", &id)))
		return rc;
	r->id = id;
	return CS_OK;
}

static int sqlite_get_request(struct store *st, long id, const char *token,
			      struct request *out)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = s->rstmt[token ? SR_GET_TOKEN : SR_GET_ID];
	struct store_sql q = {.n = 1};
	q.arg[0] = token ? (struct store_arg){.type = STORE_TEXT, .z = token}
			 : (struct store_arg){.type = STORE_LONG, .l = id};
	bind_args(p, &q);
	int r = sqlite3_step(p), rc;
	if (r == SQLITE_ROW) {
		struct request v;
		read_fields(p, store_request_fields, &v);
		if (!(rc = store_fields_dup(store_request_fields, &v)))
			*out = v;
	} else {
		rc = r == SQLITE_DONE ? cs_errorf(CS_ENOTFOUND, "no such "
						  "request")
				      : fail(s, "get request");
	}
	sqlite3_reset(p);
	return rc;
}

/* Prepares the statement q of this call, binds its arguments. */
static int prepare_sql(struct store_sqlite *s, const struct store_sql *q,
		       sqlite3_stmt **pp)
{
	if (q->overflow)
		return cs_errorf(CS_EINVAL, "request filter too long");
	if (sqlite3_prepare_v2(s->db, q->z, (int)q->len, pp, NULL))
		return fail(s, "prepare");
	bind_args(*pp, q);
	return CS_OK;
}

static int sqlite_scan_requests(struct store *st,
				const struct request_filter *f,
				store_request_fn fn, void *ctx, long *total)
{
	struct store_sqlite *s = sq(st);
	struct store_sql q;
	sqlite3_stmt *p = NULL;
	int rc, r = SQLITE_DONE;
	if (total) {
		if ((rc = store_request_list_sql(&q, SCHEMA_SQLITE, f, 1)) ||
		    (rc = prepare_sql(s, &q, &p)))
			return rc;
		r = sqlite3_step(p);
		*total = r == SQLITE_ROW ? (long)sqlite3_column_int64(p, 0) : 0;
		sqlite3_finalize(p);
		if (r != SQLITE_ROW)
			return fail(s, "count requests");
	}
	if (!fn)
		return CS_OK;
	if ((rc = store_request_list_sql(&q, SCHEMA_SQLITE, f, 0)) ||
	    (rc = prepare_sql(s, &q, &p)))
		return rc;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct request v;
		read_fields(p, store_request_fields, &v);
		rc = fn(ctx, &v);
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "scan requests");
	sqlite3_finalize(p);
	return rc;
}

static int sqlite_add_request_event(struct store *st, struct request_event *e)
{
	struct store_sqlite *s = sq(st);
	struct store_sql q;
	long id = 0;
	store_request_event_args(&q, e);
	bind_args(s->rstmt[SR_ADD_EVENT], &q);
	int rc = step_write(s, s->rstmt[SR_ADD_EVENT], "add request event",
			    &id);
	if (!rc)
		e->id = id;
	return rc;
}

/* The INSERT of k events (1..EVENT_BATCH) at once, their ids new. */
static sqlite3_stmt *event_batch(struct store_sqlite *s, int k)
{
	const struct store_field *f = store_request_event_fields;
	if (s->evbatch[k])
		return s->evbatch[k];
	sqlite3_str *q = sqlite3_str_new(s->db);
	sqlite3_str_appendall(q, "INSERT OR FAIL INTO request_event(");
	for (int i = 1; f[i].name; i++) /* f[0] is the id */
		sqlite3_str_appendf(q, "%s%s", i > 1 ? ", " : "", f[i].name);
	sqlite3_str_appendall(q, ") VALUES");
	for (int r = 0; r < k; r++) {
		sqlite3_str_appendall(q, r ? ", (" : " (");
		for (int i = 1; f[i].name; i++)
			sqlite3_str_appendall(q, i > 1 ? ", ?" : "?");
		sqlite3_str_appendall(q, ")");
	}
	char *sql = sqlite3_str_finish(q);
	if (!sql || sqlite3_prepare_v3(s->db, sql, -1,
				       SQLITE_PREPARE_PERSISTENT,
				       &s->evbatch[k], NULL))
		s->evbatch[k] = NULL;
	sqlite3_free(sql);
	return s->evbatch[k];
}

static int sqlite_add_request_events(struct store *st,
				     const struct request_event *e, int n)
{
	struct store_sqlite *s = sq(st);
	int rc = CS_OK;
	while (n > 0 && !rc) {
		int k = n < EVENT_BATCH ? n : EVENT_BATCH, col = 1;
		sqlite3_stmt *p = event_batch(s, k);
		if (!p)
			return fail(s, "add request events");
		sqlite3_reset(p);
		for (int j = 0; j < k; j++) {
			struct store_sql q;
			store_request_event_args(&q, &e[j]);
			for (int a = 1; a < q.n; a++)
				bind_arg(p, col++, &q.arg[a]);
		}
		rc = step_write(s, p, "add request events", NULL);
		e += k;
		n -= k;
	}
	return rc;
}

static int sqlite_scan_request_events(struct store *st, long request_id,
				      store_request_event_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	sqlite3_stmt *p = s->rstmt[request_id ? SR_EVENTS_OF : SR_EVENTS_ALL];
	struct store_sql q = {.n = request_id ? 1 : 0};
	q.arg[0] = (struct store_arg){.type = STORE_LONG, .l = request_id};
	bind_args(p, &q);
	int rc = CS_OK, r = SQLITE_DONE;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct request_event e;
		read_fields(p, store_request_event_fields, &e);
		rc = fn(ctx, &e);
	}
	return scan_end(s, p, rc, r, "scan request events");
}

static int sqlite_add_request_stat(struct store *st,
				   const struct request_stat *d)
{
	struct store_sqlite *s = sq(st);
	struct store_sql q;
	store_request_stat_args(&q, d);
	bind_args(s->rstmt[SR_ADD_STAT], &q);
	return step_write(s, s->rstmt[SR_ADD_STAT], "add request stat", NULL);
}

static int sqlite_sum_request_stats(struct store *st,
				    const struct request_stat_query *sq_,
				    store_request_stat_fn fn, void *ctx)
{
	struct store_sqlite *s = sq(st);
	struct store_sql q;
	sqlite3_stmt *p = NULL;
	int rc, r = SQLITE_DONE;
	store_request_stat_sql(&q, SCHEMA_SQLITE, sq_);
	if ((rc = prepare_sql(s, &q, &p)))
		return rc;
	while (!rc && (r = sqlite3_step(p)) == SQLITE_ROW) {
		struct request_stat v;
		read_fields(p, store_request_stat_fields, &v);
		rc = fn(ctx, &v);
	}
	if (!rc && r != SQLITE_DONE)
		rc = fail(s, "sum request stats");
	sqlite3_finalize(p);
	return rc;
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.close = sqlite_close,
	.begin = sqlite_begin,
	.begin_bulk = sqlite_begin_bulk,
	.defer_indices = sqlite_defer_indices,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.put_area = sqlite_put_area,
	.put_department = sqlite_put_department,
	.put_indicator = sqlite_put_indicator,
	.scan_areas = sqlite_scan_areas,
	.scan_departments = sqlite_scan_departments,
	.scan_indicators = sqlite_scan_indicators,
	.get_series = sqlite_get_series,
	.put_series = sqlite_put_series,
	.scan_series = sqlite_scan_series,
	.put_comment = sqlite_put_comment,
	.get_comment = sqlite_get_comment,
	.put_target = sqlite_put_target,
	.scan_targets = sqlite_scan_targets,
	.put_benchmark = sqlite_put_benchmark,
	.scan_benchmarks = sqlite_scan_benchmarks,
	.add_change = sqlite_add_change,
	.add_history = sqlite_add_history,
	.scan_history = sqlite_scan_history,
	.get_change = sqlite_get_change,
	.put_user = sqlite_put_user,
	.get_user = sqlite_get_user,
	.scan_users = sqlite_scan_users,
	.put_session = sqlite_put_session,
	.get_session = sqlite_get_session,
	.touch_session = sqlite_touch_session,
	.delete_session = sqlite_delete_session,
	.delete_user_sessions = sqlite_delete_user_sessions,
	.last_audit = sqlite_last_audit,
	.add_audit = sqlite_add_audit,
	.scan_audit = sqlite_scan_audit,
	.feed_poll = sqlite_feed_poll,
	.feed_series = sqlite_feed_series,
	.feed_wait = sqlite_feed_wait,
	.feed_prune = sqlite_feed_prune,
	.get_meta = sqlite_get_meta,
	.set_meta = sqlite_set_meta,
	/* Copying a database whole (civstat migrate). */
	.scan_comments = sqlite_scan_comments,
	.scan_changes = sqlite_scan_changes,
	.copy_change = sqlite_copy_change,
	.scan_history_rows = sqlite_scan_history_rows,
	.copy_history_row = sqlite_copy_history_row,
	.copy_user = sqlite_copy_user,
	.scan_sessions = sqlite_scan_sessions,
	.scan_meta = sqlite_scan_meta,
	.copy_audit = sqlite_copy_audit,
	/* The key-project pipeline (schema 5). */
	.put_project = sqlite_put_project,
	.scan_projects = sqlite_scan_projects,
	.put_project_plan = sqlite_put_project_plan,
	.scan_project_plans = sqlite_scan_project_plans,
	.put_milestone = sqlite_put_milestone,
	.scan_milestones = sqlite_scan_milestones,
	.put_project_report = sqlite_put_project_report,
	.scan_project_reports = sqlite_scan_project_reports,
	.scan_project_reports_of = sqlite_scan_project_reports_of,
	.add_phase_change = sqlite_add_phase_change,
	.scan_phase_changes = sqlite_scan_phase_changes,
	.put_programme = sqlite_put_programme,
	.scan_programmes = sqlite_scan_programmes,
	.put_community = sqlite_put_community,
	.scan_communities = sqlite_scan_communities,
	.put_project_note = sqlite_put_project_note,
	.scan_project_notes = sqlite_scan_project_notes,
	/* Task lists and supervision, 督办 (schema 6). */
	.put_task_list = sqlite_put_task_list,
	.scan_task_lists = sqlite_scan_task_lists,
	.put_task = sqlite_put_task,
	.get_task = sqlite_get_task,
	.scan_tasks = sqlite_scan_tasks,
	.put_task_milestone = sqlite_put_task_milestone,
	.scan_task_milestones = sqlite_scan_task_milestones,
	.add_task_report = sqlite_add_task_report,
	.scan_task_reports = sqlite_scan_task_reports,
	.put_task_note = sqlite_put_task_note,
	.scan_task_notes = sqlite_scan_task_notes,
	/* The working-day calendar (schema 8). */
	.put_holiday = sqlite_put_holiday,
	.scan_holidays = sqlite_scan_holidays,
	.put_service = sqlite_put_service,
	.scan_services = sqlite_scan_services,
	/* The residents' requests (schema 10). */
	.put_request = sqlite_put_request,
	.get_request = sqlite_get_request,
	.scan_requests = sqlite_scan_requests,
	.add_request_event = sqlite_add_request_event,
	.add_request_events = sqlite_add_request_events,
	.scan_request_events = sqlite_scan_request_events,
	.add_request_stat = sqlite_add_request_stat,
	.sum_request_stats = sqlite_sum_request_stats,
};

/* Brings the schema to SCHEMA_VERSION, one migration per transaction. */
static int migrate(struct store_sqlite *s, int readonly)
{
	sqlite3_stmt *p;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &p, NULL))
		return fail(s, "read schema version");
	int version = sqlite3_step(p) == SQLITE_ROW ? sqlite3_column_int(p, 0)
						    : 0;
	sqlite3_finalize(p);
	if (version > SCHEMA_VERSION)
		return cs_errorf(CS_ESTORE,
				 "%s: schema version %d is newer than this "
				 "civstat (%d)",
				 s->base.target, version, SCHEMA_VERSION);
	if (version == 0 && readonly)
		return cs_errorf(CS_ESTORE, "%s: not a civstat database",
				 s->base.target);
	if (version < SCHEMA_VERSION && readonly)
		return CS_ECONFLICT; /* the opener upgrades it first */
	for (; version < SCHEMA_VERSION; version++) {
		char sql[64], *ddl;
		int rc = schema_migration(SCHEMA_SQLITE, version + 1, &ddl);
		if (rc)
			return rc;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
			 version + 1);
		if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ||
		    sqlite3_exec(s->db, ddl, NULL, NULL, NULL) ||
		    sqlite3_exec(s->db, sql, NULL, NULL, NULL) ||
		    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL)) {
			rc = fail(s, "migrate schema");
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		}
		free(ddl);
		if (rc)
			return rc;
	}
	return CS_OK;
}

int store_sqlite_open(const char *file, int flags, struct store **pp)
{
	struct store_sqlite *s = calloc(1, sizeof *s);
	int rc;
	if (!s || !(s->base.target = strdup(file))) {
		free(s);
		return cs_errorf(CS_ENOMEM, "out of memory");
	}
	s->base.ops = &sqlite_ops;
	int oflags = flags & STORE_READONLY ? SQLITE_OPEN_READONLY
					    : SQLITE_OPEN_READWRITE;
	if (flags & STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(file, &s->db, oflags | SQLITE_OPEN_NOMUTEX,
			    NULL)) {
		rc = s->db && sqlite3_errcode(s->db) == SQLITE_CANTOPEN &&
				     !(flags & STORE_CREATE)
			     ? cs_errorf(CS_ENOTFOUND,
					 "%s: no such database (civstat init "
					 "creates one)",
					 file)
			     : fail(s, "open");
		goto failed;
	}
	sqlite3_busy_timeout(s->db, 5000);
	/* Large pages keep a series' figures on one page; WAL lets readers
	 * go on while a writer commits; FULL makes every commit durable.
	 * Statement journals in memory: an insert into a table of several
	 * unique indices inside a transaction (a request's) would otherwise
	 * write each page it touches to a temporary file first. */
	if (sqlite3_exec(s->db,
			 "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;"
			 "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
			 "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY",
			 NULL, NULL, NULL) &&
	    !(flags & STORE_READONLY)) {
		rc = fail(s, "configure");
		goto failed;
	}
	if ((rc = migrate(s, flags & STORE_READONLY)) == CS_ECONFLICT) {
		/* An older database opened for reading: upgrade it with a
		 * writer, then open it again as asked. */
		struct store *w;
		sqlite_close(&s->base);
		if ((rc = store_sqlite_open(file, 0, &w)))
			return rc;
		store_close(w);
		return store_sqlite_open(file, flags, pp);
	}
	if (rc)
		goto failed;
	for (int i = 0; i < S_N; i++) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT, &s->stmt[i],
				       NULL)) {
			rc = fail(s, "prepare");
			goto failed;
		}
	}
	for (int i = 0; i < T_N; i++) {
		if (sqlite3_prepare_v3(s->db, task_sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT,
				       &s->task_stmt[i], NULL)) {
			rc = fail(s, "prepare");
			goto failed;
		}
	}
	for (int i = 0; i < P_N; i++) {
		if (sqlite3_prepare_v3(s->db, project_sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT, &s->pstmt[i],
				       NULL)) {
			rc = fail(s, "prepare");
			goto failed;
		}
	}
	for (int i = 0; i < SR_N; i++) {
		struct store_sql q;
		store_request_sql(&q, SCHEMA_SQLITE, i);
		if (sqlite3_prepare_v3(s->db, q.z, -1,
				       SQLITE_PREPARE_PERSISTENT, &s->rstmt[i],
				       NULL)) {
			rc = fail(s, "prepare");
			goto failed;
		}
	}
	*pp = &s->base;
	return CS_OK;
failed:
	sqlite_close(&s->base);
	return rc;
}
