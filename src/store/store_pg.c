/*
 * The PostgreSQL store: the same tables and the same semantics as the
 * SQLite store (store_sqlite.c), so that several civstat nodes can share one
 * database.  The figures keep SQLite's packing, one row per indicator and
 * area with the arrays as bytea, sent and read as raw bytes.  Every
 * statement is prepared once, at open; parameters go as text, except the
 * packed arrays and hashes, which go as binary.
 */
#include "store/store.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/map.h"
#include "store/schema.h"
#include "store/store_project.h"
#include "store/store_request.h"
#include "store/task_columns.h"

/* One key of pg_advisory_xact_lock: writers take it at begin, so that they
 * follow one another as SQLite's BEGIN IMMEDIATE makes them do; the ids
 * that continue max(id), the audit chain among them, rely on it. */
#define WRITE_LOCK "7415260331"

enum stmt_id {
	S_BEGIN, S_LOCK, S_COMMIT, S_ROLLBACK, S_SAVEPOINT, S_RELEASE,
	S_ROLLBACK_TO,
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
	S_FEED_ADD, S_FEED_POLL, S_FEED_SERIES, S_FEED_PRUNE,
	/* Copying a database whole (civstat migrate). */
	S_SCAN_COMMENTS, S_SCAN_CHANGES, S_COPY_CHANGE, S_SCAN_HISTORY_ROWS,
	S_COPY_HISTORY_ROW, S_COPY_USER, S_SCAN_SESSIONS, S_SCAN_META,
	S_COPY_AUDIT, S_BEGIN_SNAPSHOT,
	S_SERIES_AHEAD,
	/* The working-day calendar (schema 8). */
	S_PUT_HOLIDAY, S_SCAN_HOLIDAYS,
	S_PUT_SERVICE, S_SCAN_SERVICES,
	S_N
};

/* A new id continues the largest, as SQLite's INTEGER PRIMARY KEY does: a
 * rolled back insert leaves no gap, which the audit chain's verify counts
 * on.  Writers hold WRITE_LOCK, so two never pick the same. */
#define NEXT_ID(table) "(SELECT coalesce(max(id), 0) + 1 FROM " table ")"
#define NOW_MS "to_char(clock_timestamp() AT TIME ZONE 'UTC'," \
	       " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
#define NOW_S "to_char(clock_timestamp() AT TIME ZONE 'UTC'," \
	      " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const char *const stmt_sql[S_N] = {
	[S_BEGIN] = "BEGIN",
	[S_LOCK] = "SELECT pg_advisory_xact_lock(" WRITE_LOCK ")",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SAVEPOINT] = "SAVEPOINT nested",
	[S_RELEASE] = "RELEASE nested",
	[S_ROLLBACK_TO] = "ROLLBACK TO nested",
	[S_PUT_AREA] = "INSERT INTO area(id, code, name, name_en, parent_id,"
		       " level, kind) VALUES(coalesce($1, " NEXT_ID("area")
		       "), $2, $3, $4, $5, $6, $7)"
		       " ON CONFLICT(code) DO UPDATE SET name = $3,"
		       " name_en = $4, parent_id = $5, level = $6, kind = $7"
		       " RETURNING id",
	[S_SCAN_AREAS] = "SELECT id, code, name, name_en, parent_id, level,"
			 " kind FROM area ORDER BY level, id",
	[S_PUT_DEPT] = "INSERT INTO department(id, code, name, name_en)"
		       " VALUES(coalesce($1, " NEXT_ID("department")
		       "), $2, $3, $4) ON CONFLICT(code) DO UPDATE"
		       " SET name = $3, name_en = $4 RETURNING id",
	[S_SCAN_DEPTS] = "SELECT id, code, name, name_en FROM department"
			 " ORDER BY id",
	[S_PUT_IND] = "INSERT INTO indicator(id, code, name, name_en, unit,"
		      " pillar, frequency, time_agg, area_agg, direction,"
		      " department_id, source, formula, decimals, weight, min,"
		      " max, part_of, max_jump, published)"
		      " VALUES(coalesce($1, " NEXT_ID("indicator") "), $2, $3,"
		      " $4, $5, $6, $7, $8, $9, $10, $11,"
		      " $12, $13, $14, $15, $16, $17, $18, $19, $20)"
		      " ON CONFLICT(code) DO UPDATE SET"
		      " name = $3, name_en = $4, unit = $5, pillar = $6,"
		      " frequency = $7, time_agg = $8, area_agg = $9,"
		      " direction = $10, department_id = $11, source = $12,"
		      " formula = $13, decimals = $14, weight = $15, min = $16,"
		      " max = $17, part_of = $18, max_jump = $19,"
		      " published = $20 RETURNING id",
	[S_SCAN_INDS] = "SELECT id, code, name, name_en, unit, pillar,"
			" frequency, time_agg, area_agg, direction,"
			" department_id, source, formula, decimals, weight,"
			" min, max, part_of, max_jump, published"
			" FROM indicator"
			" ORDER BY id",
	[S_GET_SERIES] = "SELECT first_month, n, value, flags, change"
			 " FROM series WHERE indicator_id = $1"
			 " AND area_id = $2",
	[S_PUT_SERIES] = "INSERT INTO series(indicator_id, area_id,"
			 " first_month, n, value, flags, change)"
			 " VALUES($1, $2, $3, $4, $5, $6, $7)"
			 " ON CONFLICT(indicator_id, area_id) DO UPDATE SET"
			 " first_month = $3, n = $4, value = $5, flags = $6,"
			 " change = $7",
	[S_SCAN_SERIES] = "SELECT indicator_id, area_id, first_month, n,"
			  " value, flags, change FROM series",
	[S_PUT_COMMENT] = "INSERT INTO value_comment(indicator_id,"
			  " area_id, month, comment) VALUES($1, $2, $3, $4)"
			  " ON CONFLICT(indicator_id, area_id, month)"
			  " DO UPDATE SET comment = $4",
	[S_DEL_COMMENT] = "DELETE FROM value_comment WHERE indicator_id = $1"
			  " AND area_id = $2 AND month = $3",
	[S_GET_COMMENT] = "SELECT comment FROM value_comment"
			  " WHERE indicator_id = $1 AND area_id = $2"
			  " AND month = $3",
	[S_PUT_TARGET] = "INSERT INTO target(indicator_id, area_id,"
			 " year, kind, value, sample)"
			 " VALUES($1, $2, $3, $4, $5, $6)"
			 " ON CONFLICT(indicator_id, area_id, year, kind)"
			 " DO UPDATE SET value = $5, sample = $6",
	[S_SCAN_TARGETS] = "SELECT indicator_id, area_id, year, kind, value,"
			   " sample FROM target"
			   " ORDER BY indicator_id, area_id, year, kind",
	[S_PUT_BENCH] = "INSERT INTO benchmark(indicator_id, grp,"
			" month, kind, measure, value, sample)"
			" VALUES($1, $2, $3, $4, $5, $6, $7)"
			" ON CONFLICT(indicator_id, grp, month, kind, measure)"
			" DO UPDATE SET value = $6, sample = $7",
	[S_SCAN_BENCH] = "SELECT indicator_id, grp, month, kind, measure,"
			 " value, sample FROM benchmark"
			 " ORDER BY indicator_id, grp, month, kind, measure",
	[S_ADD_CHANGE] = "INSERT INTO change(id, at, actor, what) VALUES("
			 NEXT_ID("change") ", " NOW_MS ", $1, $2) RETURNING id",
	[S_GET_CHANGE] = "SELECT at, actor, what FROM change WHERE id = $1",
	[S_ADD_HISTORY] = "INSERT INTO value_history(id, indicator_id, area_id,"
			  " month, change_id, prev_change, before, after,"
			  " state_before, state_after, comment)"
			  " VALUES(" NEXT_ID("value_history") ", $1, $2, $3,"
			  " $4, $5, $6, $7, $8, $9, $10)",
	[S_SCAN_HISTORY] = "SELECT h.change_id, c.at, c.actor, c.what,"
			   " h.before, h.after, h.state_before,"
			   " h.state_after, h.comment, h.prev_change"
			   " FROM value_history h JOIN change c"
			   " ON c.id = h.change_id WHERE h.indicator_id = $1"
			   " AND h.area_id = $2 AND h.month = $3"
			   " ORDER BY h.id",
	[S_GET_META] = "SELECT value FROM meta WHERE key = $1",
	[S_SET_META] = "INSERT INTO meta(key, value) VALUES($1, $2)"
		       " ON CONFLICT(key) DO UPDATE SET value = $2",
#define USER_COLUMNS "id, name, role, department_id, area_id, password," \
		     " disabled, failed, locked_until, created"
	[S_PUT_USER] = "INSERT INTO users(id, name, role, department_id,"
		       " area_id, password, disabled, failed, locked_until,"
		       " created) VALUES(" NEXT_ID("users") ", $1, $2, $3, $4,"
		       " $5, $6, $7, $8, " NOW_S ")"
		       " ON CONFLICT(name) DO UPDATE SET role = $2,"
		       " department_id = $3, area_id = $4, password = $5,"
		       " disabled = $6, failed = $7, locked_until = $8"
		       " RETURNING id",
	[S_GET_USER] = "SELECT " USER_COLUMNS " FROM users WHERE name = $1",
	[S_GET_USER_ID] = "SELECT " USER_COLUMNS " FROM users WHERE id = $1",
	[S_SCAN_USERS] = "SELECT " USER_COLUMNS " FROM users ORDER BY id",
	[S_PUT_SESSION] = "INSERT INTO sessions(hash, user_id, kind,"
			  " csrf, created, last_seen, expires, label)"
			  " VALUES($1, $2, $3, $4, $5, $6, $7, $8)"
			  " ON CONFLICT(hash) DO UPDATE SET user_id = $2,"
			  " kind = $3, csrf = $4, created = $5,"
			  " last_seen = $6, expires = $7, label = $8",
	[S_GET_SESSION] = "SELECT user_id, kind, csrf, created, last_seen,"
			  " expires, label FROM sessions WHERE hash = $1",
	[S_TOUCH_SESSION] = "UPDATE sessions SET last_seen = $2"
			    " WHERE hash = $1",
	[S_DEL_SESSION] = "DELETE FROM sessions WHERE hash = $1",
	[S_DEL_USER_SESSIONS] = "DELETE FROM sessions WHERE user_id = $1",
	[S_LAST_AUDIT] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
	[S_ADD_AUDIT] = "INSERT INTO audit(id, at, actor, action, object,"
			" before, after, request_id, prev_hash, hash)"
			" VALUES(" NEXT_ID("audit") ", $1, $2, $3, $4, $5, $6,"
			" $7, $8, $9) RETURNING id",
	[S_SCAN_AUDIT] = "SELECT id, at, actor, action, object, before, after,"
			 " request_id, prev_hash, hash FROM audit"
			 " WHERE id >= $1 ORDER BY id LIMIT $2",
	/* The notification is sent when the transaction commits, once
	 * however many rows it wrote. */
	[S_FEED_ADD] = "WITH f AS (INSERT INTO feed(seq, at, node, kind,"
		       " indicator_id, area_id) VALUES((SELECT coalesce("
		       "max(seq), 0) + 1 FROM feed), " NOW_MS ", $1, $2, $3,"
		       " $4)) SELECT pg_notify('civstat', '')",
	[S_FEED_POLL] = "SELECT (SELECT max(seq) FROM feed),"
			" (SELECT min(seq) FROM feed),"
			" count(*) FILTER (WHERE kind = 1),"
			" count(*) FILTER (WHERE kind = 0),"
			" count(*) FILTER (WHERE kind = 2)"
			" FROM feed WHERE seq > $1 AND node <> $2",
	[S_FEED_SERIES] = "SELECT indicator_id, area_id, first_month, n,"
			  " value, flags, change FROM series"
			  " WHERE (indicator_id, area_id) IN"
			  " (SELECT indicator_id, area_id FROM feed"
			  " WHERE seq > $1 AND seq <= $2 AND kind = 0"
			  " AND node <> $3)",
	[S_FEED_PRUNE] = "DELETE FROM feed"
			 " WHERE seq <= (SELECT max(seq) FROM feed) - $1",
	/* Copying a database whole (civstat migrate). */
	[S_SCAN_COMMENTS] = "SELECT indicator_id, area_id, month, comment"
			    " FROM value_comment",
	[S_SCAN_CHANGES] = "SELECT id, at, actor, what FROM change"
			   " ORDER BY id",
	[S_COPY_CHANGE] = "INSERT INTO change(id, at, actor, what)"
			  " VALUES($1, $2, $3, $4)",
	[S_SCAN_HISTORY_ROWS] = "SELECT id, indicator_id, area_id, month,"
				" change_id, prev_change, before, after,"
				" state_before, state_after, comment"
				" FROM value_history ORDER BY id",
	[S_COPY_HISTORY_ROW] = "INSERT INTO value_history(id, indicator_id,"
			       " area_id, month, change_id, prev_change,"
			       " before, after, state_before, state_after,"
			       " comment) VALUES($1, $2, $3, $4, $5, $6, $7,"
			       " $8, $9, $10, $11)",
	[S_COPY_USER] = "INSERT INTO users(" USER_COLUMNS ") VALUES($1, $2,"
			" $3, $4, $5, $6, $7, $8, $9, $10)",
	[S_SCAN_SESSIONS] = "SELECT hash, user_id, kind, csrf, created,"
			    " last_seen, expires, label FROM sessions",
	[S_SCAN_META] = "SELECT key, value FROM meta ORDER BY key",
	[S_COPY_AUDIT] = "INSERT INTO audit(id, at, actor, action, object,"
			 " before, after, request_id, prev_hash, hash)"
			 " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
	[S_BEGIN_SNAPSHOT] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	/* A bulk transaction's get_series reads ahead, in key order. */
	[S_SERIES_AHEAD] = "SELECT indicator_id, area_id, first_month, n,"
			   " value, flags, change FROM series"
			   " WHERE (indicator_id, area_id) >= ($1, $2)"
			   " ORDER BY indicator_id, area_id LIMIT 64",
	[S_PUT_HOLIDAY] = "INSERT INTO holiday(date, kind, name, source)"
			  " VALUES($1, $2, $3, $4) ON CONFLICT(date) DO UPDATE"
			  " SET kind = $2, name = $3, source = $4",
	[S_SCAN_HOLIDAYS] = "SELECT date, kind, name, source FROM holiday"
			    " ORDER BY date",
	[S_PUT_SERVICE] = "INSERT INTO service(" SERVICE_COLUMNS ") VALUES($1,"
			  " $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
			  " ON CONFLICT(code) DO UPDATE SET name = $2,"
			  " name_en = $3, grp = $4, department = $5,"
			  " dispatch_days = $6, answer_days = $7,"
			  " answer_hours = $8, keywords = $9,"
			  " description = $10, public = $11, source = $12",
	[S_SCAN_SERVICES] = "SELECT " SERVICE_COLUMNS " FROM service"
			    " ORDER BY code",
};

/* ---- task lists and supervision, 督办 (schema 6): statements ----------
 * Prepared as "t0", "t1" ... beside the "s" statements above. */

enum task_stmt_id {
	T_PUT_LIST, T_SCAN_LISTS, T_PUT_TASK, T_GET_TASK, T_SCAN_TASKS,
	T_PUT_MILESTONE, T_SCAN_MILESTONES, T_ADD_REPORT, T_SCAN_REPORTS,
	T_PUT_NOTE, T_SCAN_NOTES,
	T_N
};

static const char *const task_sql[T_N] = {
	[T_PUT_LIST] = "INSERT INTO task_list(" TASK_LIST_COLUMNS ")"
		       " VALUES(coalesce($1, " NEXT_ID("task_list") "), $2,"
		       " $3, $4, $5, $6, $7)"
		       " ON CONFLICT(code) DO UPDATE SET year = $3,"
		       " name = $4, kind = $5, source = $6, sample = $7"
		       " RETURNING id",
	[T_SCAN_LISTS] = "SELECT " TASK_LIST_COLUMNS " FROM task_list"
			 " ORDER BY id",
	[T_PUT_TASK] = "INSERT INTO task(" TASK_COLUMNS ")"
		       " VALUES(coalesce($1, " NEXT_ID("task") "), $2,"
		       " $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
		       " ON CONFLICT(code) DO UPDATE SET list_id = $3,"
		       " title = $4, department_id = $5, leader = $6,"
		       " deadline = $7, target = $8, unit = $9,"
		       " achieved = $10, status = $11, done_on = $12,"
		       " source = $13, sample = $14 RETURNING id",
	[T_GET_TASK] = "SELECT " TASK_COLUMNS " FROM task WHERE code = $1",
	[T_SCAN_TASKS] = "SELECT " TASK_COLUMNS " FROM task"
			 " WHERE $1::integer = 0 OR list_id = $1 ORDER BY id",
	[T_PUT_MILESTONE] = "INSERT INTO task_milestone(" MILESTONE_COLUMNS
			    ") VALUES($1, $2, $3, $4, $5)"
			    " ON CONFLICT(task_id, seq) DO UPDATE SET"
			    " name = $3, due = $4, done_on = $5",
	[T_SCAN_MILESTONES] = "SELECT " MILESTONE_COLUMNS
			      " FROM task_milestone WHERE $1::integer = 0"
			      " OR task_id = $1 ORDER BY task_id, seq",
	[T_ADD_REPORT] = "INSERT INTO task_report(" REPORT_COLUMNS ")"
			 " VALUES(coalesce($1, " NEXT_ID("task_report") "),"
			 " $2, $3, $4, $5, $6, $7) RETURNING id",
	[T_SCAN_REPORTS] = "SELECT " REPORT_COLUMNS " FROM task_report"
			   " WHERE $1::integer = 0 OR task_id = $1"
			   " ORDER BY id",
	[T_PUT_NOTE] = "INSERT INTO task_note(" NOTE_COLUMNS ")"
		       " VALUES(coalesce($1, " NEXT_ID("task_note") "), $2,"
		       " $3, $4, $5, $6, $7, $8, $9) ON CONFLICT(id) DO"
		       " UPDATE SET answer = $7, answered_by = $8,"
		       " answered_on = $9 RETURNING id",
	[T_SCAN_NOTES] = "SELECT " NOTE_COLUMNS " FROM task_note"
			 " WHERE $1::integer = 0 OR task_id = $1 ORDER BY id",
};

/* ---- the key-project pipeline (schema 5) ------------------------------- */
/* Statements of their own, prepared after the others as "p0", "p1" ...,
 * so that the pipeline's block stands apart; its functions are further
 * down. */

static const char *const project_sql[P_N] = {
	[P_PUT_PROJECT] = "INSERT INTO project(" PROJECT_COLUMNS ")"
			  " VALUES(coalesce($1, " NEXT_ID("project") "),"
			  " $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
			  " $14, $15, $16, $17, $18, $19, $20, $21)"
			  " ON CONFLICT(code) DO UPDATE SET name = $3,"
			  " cluster = $4, type = $5, area_id = $6,"
			  " department_id = $7, leader = $8, total = $9,"
			  " phase = $10, planned_start = $11,"
			  " planned_finish = $12, actual_start = $13,"
			  " actual_finish = $14, address = $15, lon = $16,"
			  " lat = $17, issues = $18, programme = $19,"
			  " sample = $20, source = $21 RETURNING id",
	[P_SCAN_PROJECTS] = "SELECT " PROJECT_COLUMNS " FROM project"
			    " ORDER BY id",
	[P_PUT_PLAN] = "INSERT INTO project_plan(project_id, year, amount,"
		       " sample) VALUES($1, $2, $3, $4)"
		       " ON CONFLICT(project_id, year) DO UPDATE"
		       " SET amount = $3, sample = $4",
	[P_SCAN_PLANS] = "SELECT project_id, year, amount, sample FROM"
			 " project_plan ORDER BY project_id, year",
	[P_PUT_MILESTONE] = "INSERT INTO project_milestone(project_id, name,"
			    " due, done, sample) VALUES($1, $2, $3, $4, $5)"
			    " ON CONFLICT(project_id, name) DO UPDATE"
			    " SET due = $3, done = $4, sample = $5",
	[P_SCAN_MILESTONES] = "SELECT project_id, name, due, done, sample"
			      " FROM project_milestone"
			      " ORDER BY project_id, name COLLATE \"C\"",
	[P_PUT_REPORT] = "INSERT INTO project_report(project_id, month,"
			 " investment, progress, note, actor, at, sample)"
			 " VALUES($1, $2, $3, $4, $5, $6, coalesce($8, " NOW_S
			 "), $7) ON CONFLICT(project_id, month) DO UPDATE"
			 " SET investment = $3, progress = $4, note = $5,"
			 " actor = $6, at = coalesce($8, " NOW_S "),"
			 " sample = $7",
	[P_SCAN_REPORTS] = "SELECT project_id, month, investment, progress,"
			   " note, actor, at, sample FROM project_report"
			   " ORDER BY project_id, month",
	[P_SCAN_REPORTS_OF] = "SELECT project_id, month, investment,"
			      " progress, note, actor, at, sample"
			      " FROM project_report WHERE project_id = $1"
			      " ORDER BY month",
	[P_ADD_PHASE] = "INSERT INTO project_phase(id, project_id, from_phase,"
			" to_phase, date, reason, actor, at) VALUES(coalesce($7, "
			NEXT_ID("project_phase") "), $1, $2, $3, $4, $5, $6,"
			" coalesce($8, " NOW_S ")) RETURNING id",
	[P_SCAN_PHASES] = "SELECT id, project_id, from_phase, to_phase, date,"
			  " reason, actor, at FROM project_phase ORDER BY id",
	[P_PUT_PROGRAMME] = "INSERT INTO programme(" PROGRAMME_COLUMNS ")"
			    " VALUES(coalesce($1, " NEXT_ID("programme") "),"
			    " $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
			    " ON CONFLICT(code) DO UPDATE SET name = $3,"
			    " first_year = $4, last_year = $5,"
			    " communities = $6, buildings = $7,"
			    " households = $8, floor_area = $9, source = $10,"
			    " sample = $11 RETURNING id",
	[P_SCAN_PROGRAMMES] = "SELECT " PROGRAMME_COLUMNS " FROM programme"
			      " ORDER BY id",
	[P_PUT_COMMUNITY] = "INSERT INTO programme_community("
			    COMMUNITY_COLUMNS ") VALUES($1, $2, $3, $4, $5,"
			    " $6, $7, $8, $9, $10)"
			    " ON CONFLICT(programme_id, name) DO UPDATE"
			    " SET area_id = $3, buildings = $4,"
			    " households = $5, floor_area = $6, started = $7,"
			    " finished = $8, progress = $9, sample = $10",
	[P_SCAN_COMMUNITIES] = "SELECT " COMMUNITY_COLUMNS " FROM"
			       " programme_community"
			       " ORDER BY programme_id, name COLLATE \"C\"",
	[P_PUT_NOTE] = "INSERT INTO project_note(" PROJECT_NOTE_COLUMNS ")"
		       " VALUES(coalesce($1, " NEXT_ID("project_note") "),"
		       " $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT(id) DO"
		       " UPDATE SET answer = $7, answered_by = $8,"
		       " answered_on = $9 RETURNING id",
	[P_SCAN_NOTES] = "SELECT " PROJECT_NOTE_COLUMNS " FROM project_note"
			 " WHERE $1::integer = 0 OR project_id = $1"
			 " ORDER BY id",
};

struct store_pg {
	struct store base;
	PGconn *conn;
	char *zname;   /* the target without its password, for messages */
	int depth;     /* transactions begun: the first a BEGIN, then
			  savepoints */
	int readonly;  /* opened with STORE_READONLY: no write lock */
	int err;       /* the code of the last failure */
	long feed_n;   /* FEED_SERIES rows this transaction wrote */
	int feed_all;  /* the depth that wrote this transaction's FEED_ALL
			  row, 0 when none is written */
	int feed_proj; /* ... its FEED_PROJECTS row, likewise */
	int listening; /* LISTEN civstat is in force on this connection */
	double retry_at; /* a lost connection: when to try again, and */
	double backoff;  /* how long it waits after the next failure */
	struct bulk *bulk; /* writes going by COPY (see pg_begin_bulk), or
			      NULL */
	long n_puts;   /* series, targets and history rows written in
			  this transaction, while not bulk */
};

#define MAX_PARAMS 24 /* a project has 21 */

/* The parameters of one statement: text, or binary for the bytea. */
struct params {
	int n;
	const char *val[MAX_PARAMS];
	int len[MAX_PARAMS];
	int fmt[MAX_PARAMS];
	char buf[MAX_PARAMS][32]; /* the text of numbers */
};

static int copy_end(struct store_pg *s);
static void bulk_free(struct store_pg *s);
static int bulk_flush(struct store_pg *s);
static int bin_int(const PGresult *r, int row, int col);
static int pg_rollback(struct store *st);
static int script(struct store_pg *s, const char *sql, const char *what);

static struct store_pg *pg(struct store *st)
{
	return (struct store_pg *)st;
}

/*
 * Records PostgreSQL's message for a failed call and returns CS_ESTORE,
 * or CS_EUNAVAIL when the connection is lost: the server answers 503 and
 * the next call connects again.
 */
static int fail(struct store_pg *s, const char *what)
{
	const char *msg = PQerrorMessage(s->conn);
	size_t n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	s->err = PQstatus(s->conn) == CONNECTION_BAD ? CS_EUNAVAIL : CS_ESTORE;
	return cs_errorf(s->err, "%s: %s: %.*s", s->zname, what, (int)n, msg);
}

static int reconnect(struct store_pg *s);

static void p_null(struct params *P)
{
	int i = P->n++;
	P->val[i] = NULL;
	P->len[i] = 0;
	P->fmt[i] = 0;
}

static void p_text(struct params *P, const char *z)
{
	int i = P->n++;
	P->val[i] = z ? z : "";
	P->len[i] = 0;
	P->fmt[i] = 0;
}

static void p_opt_text(struct params *P, const char *z)
{
	if (z)
		p_text(P, z);
	else
		p_null(P);
}

static void p_long(struct params *P, long v)
{
	int i = P->n;
	snprintf(P->buf[i], sizeof P->buf[i], "%ld", v);
	p_text(P, P->buf[i]);
}

static void p_int(struct params *P, int v)
{
	p_long(P, v);
}

/* An id of 0 or less is none: NULL, as the SQLite store binds it. */
static void p_id(struct params *P, int id)
{
	if (id > 0)
		p_long(P, id);
	else
		p_null(P);
}

/* NaN is no figure: NULL. */
static void p_real(struct params *P, double v)
{
	int i = P->n;
	if (isnan(v)) {
		p_null(P);
		return;
	}
	snprintf(P->buf[i], sizeof P->buf[i], "%.17g", v);
	p_text(P, P->buf[i]);
}

/* A double that may not be NULL: NaN goes as PostgreSQL's 'NaN'. */
static void p_double(struct params *P, double v)
{
	int i = P->n;
	if (isnan(v))
		snprintf(P->buf[i], sizeof P->buf[i], "NaN");
	else
		snprintf(P->buf[i], sizeof P->buf[i], "%.17g", v);
	p_text(P, P->buf[i]);
}

static void p_blob(struct params *P, const void *data, size_t n)
{
	int i = P->n++;
	P->val[i] = n ? data : "";
	P->len[i] = (int)n;
	P->fmt[i] = 1;
}

/*
 * Makes the connection ready for a statement: outside a transaction a
 * lost connection is made again; inside one, the transaction is lost with
 * it.  CS_OK, or the failure recorded as what.
 */
static int ready(struct store_pg *s, const char *what)
{
	if (PQstatus(s->conn) != CONNECTION_BAD)
		return CS_OK;
	if (s->depth)
		return fail(s, what);
	return reconnect(s);
}

/*
 * Runs the statement prepared as name with P (NULL: none) and returns its
 * result, in text, or in binary when binary is 1, which the caller clears
 * with PQclear(); NULL after an error, recorded as what.
 */
static PGresult *exec_named_as(struct store_pg *s, const char *name,
			       const struct params *P, const char *what,
			       int binary)
{
	/* A COPY holds the connection: end it before anything else. */
	if (s->bulk && copy_end(s))
		return NULL;
	if (ready(s, what))
		return NULL;
	PGresult *r = PQexecPrepared(s->conn, name, P ? P->n : 0,
				     P ? P->val : NULL, P ? P->len : NULL,
				     P ? P->fmt : NULL, binary);
	ExecStatusType t = PQresultStatus(r);
	if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK)
		return r;
	fail(s, what);
	PQclear(r);
	return NULL;
}

/* The prepared statement id, its result in text or in binary. */
static PGresult *exec_as(struct store_pg *s, enum stmt_id id,
			 const struct params *P, const char *what, int binary)
{
	char name[16];
	snprintf(name, sizeof name, "s%d", (int)id);
	return exec_named_as(s, name, P, what, binary);
}

static PGresult *exec(struct store_pg *s, enum stmt_id id,
		      const struct params *P, const char *what)
{
	return exec_as(s, id, P, what, 0);
}

/* As exec, for the statement prepared as name. */
static PGresult *exec_named(struct store_pg *s, const char *name,
			    const struct params *P, const char *what)
{
	return exec_named_as(s, name, P, what, 0);
}

/* Runs a statement that returns no rows, or one row with an id. */
static int run(struct store_pg *s, enum stmt_id id, const struct params *P,
	       const char *what, long *out)
{
	PGresult *r = exec(s, id, P, what);
	if (!r)
		return s->err;
	if (out && PQntuples(r) > 0)
		*out = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return CS_OK;
}

/* As run, for an int id. */
static int run_id(struct store_pg *s, enum stmt_id id, const struct params *P,
		  const char *what, int *out)
{
	long v = 0;
	int rc = run(s, id, P, what, &v);
	if (!rc)
		*out = (int)v;
	return rc;
}

static long col_long(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col)
		       ? 0
		       : strtol(PQgetvalue(r, row, col), NULL, 10);
}

static int col_int(const PGresult *r, int row, int col)
{
	return (int)col_long(r, row, col);
}

static double col_real(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col)
		       ? NAN
		       : strtod(PQgetvalue(r, row, col), NULL);
}

static char *col_text(const PGresult *r, int row, int col)
{
	return PQgetvalue(r, row, col); /* "" for NULL */
}

static const char *col_opt_text(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes a bytea in PostgreSQL's hex output ("\x0a1b...") into
 * out[cap]; returns its length in bytes, or -1 when it is not that form
 * or does not have exactly cap bytes.
 */
static long col_blob(const PGresult *r, int row, int col, void *out,
		     size_t cap)
{
	const char *z = PQgetvalue(r, row, col);
	size_t n = (size_t)PQgetlength(r, row, col);
	uint8_t *b = out;
	if (n < 2 || z[0] != '\\' || z[1] != 'x' || (n - 2) % 2 ||
	    (n - 2) / 2 != cap)
		return -1;
	for (size_t i = 0; i < cap; i++) {
		int hi = hexval((unsigned char)z[2 + 2 * i]);
		int lo = hexval((unsigned char)z[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return -1;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)cap;
}

static void pg_close(struct store *st)
{
	struct store_pg *s = pg(st);
	bulk_free(s);
	PQfinish(s->conn);
	free(s->zname);
	free(s->base.target);
	free(s);
}

/*
 * Transactions nest as in the SQLite store: a begin inside one opens a
 * savepoint, whose commit releases it into the outer transaction and
 * whose rollback undoes just its own writes.  The outermost begin of a
 * writer takes WRITE_LOCK, which PostgreSQL lets go at its end.
 */
static int pg_begin(struct store *st)
{
	struct store_pg *s = pg(st);
	int rc;
	if (s->depth) {
		/* What is staged goes in before the savepoint, so that a
		 * rollback to it leaves the staging tables empty. */
		if (!(rc = bulk_flush(s)))
			rc = run(s, S_SAVEPOINT, NULL, "savepoint", NULL);
	} else {
		/* A reader's transaction (civstat migrate's source) sees
		 * one moment of the city, as SQLite's does: its scans
		 * agree with one another while writers go on. */
		s->n_puts = 0;
		rc = run(s, s->readonly ? S_BEGIN_SNAPSHOT : S_BEGIN, NULL,
			 "begin", NULL);
		if (!rc && !s->readonly &&
		    (rc = run(s, S_LOCK, NULL, "begin", NULL)))
			run(s, S_ROLLBACK, NULL, "rollback", NULL);
	}
	if (!rc)
		s->depth++;
	return rc;
}

/*
 * Bulk writing.  A transaction that puts many series or targets (begun
 * with begin_bulk, or past BULK_AFTER puts) sends them with COPY in
 * binary instead of one statement each.  A series or target new to its
 * table (the keys there are listed when the transaction goes bulk) is
 * copied straight into it, which is all of a first import.  The others go
 * to temporary staging tables and are merged with one upsert before the
 * commit, before a savepoint and before any read of those tables, so that
 * the transaction still reads its own writes.  A series put twice stays
 * staged twice; the merge keeps the last row (the others' seq are listed
 * as superseded), and get_series of a staged series reads that row by seq
 * without a merge: an import reads a series again whenever its figures
 * span two chunks.  get_series of a stored series reads the next
 * AHEAD_ROWS in key order at once and keeps them until the next merge (a
 * file by area then indicator comes back to a block once per indicator).
 * History rows, one per figure changed, come between the series: they
 * are gathered in memory, up to BULK_HISTORY_MAX, and sent with a COPY of
 * their own, with ids that continue the largest as NEXT_ID's do.
 *
 * Every statement ends an open COPY first (see exec); a statement that
 * reads series, target or value_history must flush what is staged.
 */
#define BULK_AFTER 512 /* writes after which a transaction goes bulk */
#define BULK_KEYS_MAX (1L << 20) /* keys listed at most (32 MiB) */
#define BULK_HISTORY_MAX (4u << 20) /* history bytes held before a COPY */
#define AHEAD_ROWS 64            /* series read ahead at once (the LIMIT) */
#define AHEAD_BLOCKS 256         /* blocks read ahead kept, at most */
#define AHEAD_BYTES (16u << 20)  /* and their bytes, at most */

enum {
	COPY_NONE, COPY_NEW_SERIES, COPY_SERIES, COPY_NEW_TARGETS,
	COPY_TARGETS, COPY_HISTORY
};

struct bulk {
	int copying;        /* the COPY open: COPY_NEW_SERIES ... */
	struct u64map stored; /* series in the table, or copied into it */
	int all_stored;     /* too many to list: take every one as stored */
	struct u64map targets; /* the same for targets, by target_key */
	int all_targets;
	long seq;           /* rows staged so far, numbering them */
	long n_series;      /* rows in series_bulk */
	long n_targets;     /* rows in target_bulk */
	int wrote;          /* written by COPY: a feed row at commit */
	struct u64map staged; /* series in series_bulk -> seq of its last */
	long *superseded;   /* seq of rows a later one of the series replaced */
	size_t n_superseded, cap_superseded;
	uint8_t *row;       /* the COPY row being built */
	size_t cap_row;
	uint8_t *history;   /* history rows not sent yet, COPY's format */
	size_t n_history, cap_history; /* bytes */
	long next_history;  /* the next history id, 0: to be read */
	PGresult *ahead[AHEAD_BLOCKS]; /* series read ahead, block gen in
					  slot gen % AHEAD_BLOCKS */
	size_t ahead_size[AHEAD_BLOCKS];
	long ahead_first, ahead_next; /* gens of the blocks kept */
	size_t ahead_bytes;
	struct u64map ahead_rows; /* key -> gen * AHEAD_ROWS + row */
};

/* ON COMMIT DELETE ROWS: a staging table is empty at every transaction's
 * start, whatever became of the last one. */
static const char bulk_tables[] =
	"CREATE TEMP TABLE IF NOT EXISTS series_bulk(seq bigint PRIMARY KEY,"
	" indicator_id integer NOT NULL, area_id integer NOT NULL,"
	" first_month integer NOT NULL, n integer NOT NULL,"
	" value bytea NOT NULL, flags bytea NOT NULL, change bytea NOT NULL)"
	" ON COMMIT DELETE ROWS;"
	"CREATE TEMP TABLE IF NOT EXISTS target_bulk(seq bigint NOT NULL,"
	" indicator_id integer NOT NULL, area_id integer NOT NULL,"
	" year integer NOT NULL, kind integer NOT NULL,"
	" value double precision NOT NULL, sample integer NOT NULL)"
	" ON COMMIT DELETE ROWS";

/* The staging tables live in the session, not in the schema, so these
 * are not prepared at open; their only values (a seq, the superseded
 * rows) go as parameters all the same. */
static const char merge_series_sql[] =
	"INSERT INTO series(indicator_id, area_id, first_month, n, value,"
	" flags, change) SELECT indicator_id, area_id, first_month, n, value,"
	" flags, change FROM series_bulk WHERE seq <> ALL($1::bigint[])"
	" ON CONFLICT(indicator_id, area_id) DO UPDATE SET"
	" first_month = excluded.first_month, n = excluded.n,"
	" value = excluded.value, flags = excluded.flags,"
	" change = excluded.change";
static const char staged_series_sql[] =
	"SELECT first_month, n, value, flags, change FROM series_bulk"
	" WHERE seq = $1";
static const char merge_targets_sql[] =
	"INSERT INTO target(indicator_id, area_id, year, kind, value, sample)"
	" SELECT DISTINCT ON (indicator_id, area_id, year, kind) indicator_id,"
	" area_id, year, kind, value, sample FROM target_bulk"
	" ORDER BY indicator_id, area_id, year, kind, seq DESC"
	" ON CONFLICT(indicator_id, area_id, year, kind) DO UPDATE SET"
	" value = excluded.value, sample = excluded.sample";

/* Drops the series read ahead: the table changed, or may have. */
static void ahead_forget(struct bulk *b)
{
	for (int k = 0; k < AHEAD_BLOCKS; k++) {
		PQclear(b->ahead[k]);
		b->ahead[k] = NULL;
	}
	b->ahead_first = b->ahead_next;
	b->ahead_bytes = 0;
	u64map_release(&b->ahead_rows);
}

/* Forgets what is staged, once merged or rolled back. */
static void bulk_forget(struct bulk *b)
{
	ahead_forget(b);
	u64map_release(&b->staged);
	b->n_superseded = 0;
	b->n_series = b->n_targets = 0;
	b->n_history = 0;
	b->next_history = 0;
}

static void bulk_free(struct store_pg *s)
{
	struct bulk *b = s->bulk;
	if (!b)
		return;
	bulk_forget(b);
	u64map_release(&b->stored);
	u64map_release(&b->targets);
	free(b->history);
	free(b->superseded);
	free(b->row);
	free(b);
	s->bulk = NULL;
}

/* A series' key in the maps of struct bulk. */
static uint64_t series_key(int indicator_id, int area_id)
{
	return (uint64_t)(uint32_t)indicator_id << 32 | (uint32_t)area_id;
}

/* A target's key does not fit in 64 bits: a hash.  Two targets that
 * share one are both taken as stored, which costs a staged row, never a
 * wrong one. */
static uint64_t target_key(int indicator_id, int area_id, int year, int kind)
{
	uint64_t h = (uint32_t)indicator_id;
	h = h * UINT64_C(0x9e3779b97f4a7c15) ^ (uint32_t)area_id;
	h = h * UINT64_C(0x9e3779b97f4a7c15) ^ (uint32_t)year;
	h = h * UINT64_C(0x9e3779b97f4a7c15) ^ (uint32_t)kind;
	return (h ^ h >> 29) >> 1; /* never UINT64_MAX, which u64map cannot
				      hold */
}

/*
 * Lists the keys of the rows sql reads (the key columns of series or of
 * target, in binary) into *keys, or sets *all when they are too many to
 * list.  No other writer can add a row while this transaction holds
 * WRITE_LOCK.
 */
static int list_keys(struct store_pg *s, const char *sql, struct u64map *keys,
		     int *all)
{
	PGresult *r;
	int rc = CS_OK;
	if (!PQsendQueryParams(s->conn, sql, 0, NULL, NULL, NULL, NULL, 1) ||
	    !PQsetSingleRowMode(s->conn))
		rc = fail(s, "begin bulk");
	while ((r = PQgetResult(s->conn))) {
		ExecStatusType t = PQresultStatus(r);
		if (t == PGRES_SINGLE_TUPLE && !rc && !*all) {
			uint64_t key =
				PQnfields(r) == 2
					? series_key(bin_int(r, 0, 0),
						     bin_int(r, 0, 1))
					: target_key(bin_int(r, 0, 0),
						     bin_int(r, 0, 1),
						     bin_int(r, 0, 2),
						     bin_int(r, 0, 3));
			if ((long)keys->n >= BULK_KEYS_MAX) {
				*all = 1;
				u64map_release(keys);
			} else {
				rc = u64map_put(keys, key, 0);
			}
		} else if (t != PGRES_SINGLE_TUPLE && t != PGRES_TUPLES_OK &&
			   !rc) {
			rc = fail(s, "begin bulk");
		}
		PQclear(r);
	}
	return rc;
}

/* Goes bulk, inside the outermost transaction of a writer. */
static int bulk_start(struct store_pg *s)
{
	struct bulk *b = calloc(1, sizeof *b);
	int rc;
	if (!b)
		return cs_errorf(CS_ENOMEM, "out of memory");
	if ((rc = script(s, bulk_tables, "begin bulk")) ||
	    (rc = list_keys(s, "SELECT indicator_id, area_id FROM series",
			    &b->stored, &b->all_stored)) ||
	    (rc = list_keys(s, "SELECT indicator_id, area_id, year, kind"
			       " FROM target",
			    &b->targets, &b->all_targets))) {
		u64map_release(&b->stored);
		u64map_release(&b->targets);
		free(b);
		return rc;
	}
	s->bulk = b;
	return CS_OK;
}

/* The binary COPY format: big-endian integers, a field is its length
 * and its bytes. */
static uint8_t *put16(uint8_t *p, int v)
{
	uint16_t x = htons((uint16_t)v);
	memcpy(p, &x, 2);
	return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	uint32_t x = htonl(v);
	memcpy(p, &x, 4);
	return p + 4;
}

static uint8_t *field_int(uint8_t *p, int v)
{
	return put32(put32(p, 4), (uint32_t)v);
}

static uint8_t *field_long(uint8_t *p, long v)
{
	uint64_t x = (uint64_t)v;
	return put32(put32(put32(p, 8), (uint32_t)(x >> 32)), (uint32_t)x);
}

static uint8_t *field_double(uint8_t *p, double v)
{
	uint64_t x;
	memcpy(&x, &v, 8);
	return put32(put32(put32(p, 8), (uint32_t)(x >> 32)), (uint32_t)x);
}

static uint8_t *field_bytes(uint8_t *p, const void *data, size_t n)
{
	p = put32(p, (uint32_t)n);
	if (n)
		memcpy(p, data, n);
	return p + n;
}

/* Opens the COPY which (COPY_NEW_SERIES ...), ending another. */
static int copy_begin(struct store_pg *s, int which)
{
	static const char header[19] = "PGCOPY\n\377\r\n"; /* flags, ext 0 */
	struct bulk *b = s->bulk;
	int rc;
	if (b->copying == which)
		return CS_OK;
	if ((rc = copy_end(s)))
		return rc;
	static const char *const sql[] = {
		[COPY_NEW_SERIES] = "COPY series(indicator_id, area_id,"
				    " first_month, n, value, flags, change)"
				    " FROM STDIN (FORMAT binary)",
		[COPY_SERIES] = "COPY series_bulk FROM STDIN (FORMAT binary)",
		[COPY_NEW_TARGETS] = "COPY target(indicator_id, area_id, year,"
				     " kind, value, sample)"
				     " FROM STDIN (FORMAT binary)",
		[COPY_HISTORY] = "COPY value_history(id, indicator_id, area_id,"
				 " month, change_id, prev_change, before,"
				 " after, state_before, state_after, comment)"
				 " FROM STDIN (FORMAT binary)",
		[COPY_TARGETS] = "COPY target_bulk FROM STDIN (FORMAT binary)",
	};
	PGresult *r = PQexec(s->conn, sql[which]);
	ExecStatusType t = PQresultStatus(r);
	PQclear(r);
	if (t != PGRES_COPY_IN)
		return fail(s, "bulk write");
	b->copying = which;
	if (PQputCopyData(s->conn, header, sizeof header) != 1)
		return fail(s, "bulk write");
	return CS_OK;
}

/* Ends the COPY open, if any: its rows are in, or the error says why
 * not. */
static int copy_end(struct store_pg *s)
{
	static const char trailer[2] = {'\xff', '\xff'};
	struct bulk *b = s->bulk;
	PGresult *r;
	int rc = CS_OK;
	if (!b || !b->copying)
		return CS_OK;
	b->copying = COPY_NONE;
	if (PQputCopyData(s->conn, trailer, 2) != 1 ||
	    PQputCopyEnd(s->conn, NULL) != 1)
		rc = fail(s, "bulk write");
	while ((r = PQgetResult(s->conn))) {
		if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = fail(s, "bulk write");
		PQclear(r);
	}
	return rc;
}

/* Ends the COPY open, if any, keeping none of its rows. */
static void copy_abort(struct store_pg *s)
{
	struct bulk *b = s->bulk;
	PGresult *r;
	if (!b || !b->copying)
		return;
	b->copying = COPY_NONE;
	PQputCopyEnd(s->conn, "rolled back");
	while ((r = PQgetResult(s->conn)))
		PQclear(r);
}

/* Sends one row of n bytes built in b->row. */
static int copy_row(struct store_pg *s, size_t n)
{
	return PQputCopyData(s->conn, (const char *)s->bulk->row, (int)n) == 1
		       ? CS_OK
		       : fail(s, "bulk write");
}

/* Sends the history rows gathered, in a COPY of their own. */
static int flush_history(struct store_pg *s)
{
	struct bulk *b = s->bulk;
	int rc;
	if (!b || !b->n_history)
		return CS_OK;
	if ((rc = copy_begin(s, COPY_HISTORY)))
		return rc;
	if (PQputCopyData(s->conn, (const char *)b->history,
			  (int)b->n_history) != 1)
		return fail(s, "bulk write");
	b->n_history = 0;
	return copy_end(s);
}

static int reserve_row(struct bulk *b, size_t n)
{
	if (n <= b->cap_row)
		return CS_OK;
	uint8_t *p = realloc(b->row, n);
	if (!p)
		return cs_errorf(CS_ENOMEM, "out of memory");
	b->row = p;
	b->cap_row = n;
	return CS_OK;
}

/* Runs sql, a statement of the bulk machinery, with at most one text
 * parameter. */
static int bulk_run(struct store_pg *s, const char *sql, const char *param,
		    const char *what)
{
	PGresult *r = PQexecParams(s->conn, sql, param ? 1 : 0, NULL,
				   param ? &param : NULL, NULL, NULL, 0);
	ExecStatusType t = PQresultStatus(r);
	PQclear(r);
	return t == PGRES_COMMAND_OK ? CS_OK : fail(s, what);
}

/* Merges the staged series into series and empties the staging. */
static int flush_series(struct store_pg *s)
{
	struct bulk *b = s->bulk;
	int rc;
	if (!b || (rc = copy_end(s)))
		return b ? rc : CS_OK;
	if (!b->n_series)
		return CS_OK;
	/* The superseded rows as an array literal, "{3,17}". */
	char *list = malloc(b->n_superseded * 21 + 3), *z = list;
	if (!list)
		return cs_errorf(CS_ENOMEM, "out of memory");
	*z++ = '{';
	for (size_t k = 0; k < b->n_superseded; k++)
		z += sprintf(z, "%s%ld", k ? "," : "", b->superseded[k]);
	strcpy(z, "}");
	rc = bulk_run(s, merge_series_sql, list, "bulk write");
	free(list);
	if (!rc)
		rc = bulk_run(s, "TRUNCATE series_bulk", NULL, "bulk write");
	if (!rc) {
		u64map_release(&b->staged);
		b->n_superseded = 0;
		b->n_series = 0;
		ahead_forget(b);
	}
	return rc;
}

static int flush_targets(struct store_pg *s)
{
	struct bulk *b = s->bulk;
	int rc;
	if (!b || (rc = copy_end(s)))
		return b ? rc : CS_OK;
	if (!b->n_targets)
		return CS_OK;
	if (!(rc = bulk_run(s, merge_targets_sql, NULL, "bulk write")) &&
	    !(rc = bulk_run(s, "TRUNCATE target_bulk", NULL, "bulk write")))
		b->n_targets = 0;
	return rc;
}

static int bulk_flush(struct store_pg *s)
{
	int rc = flush_series(s);
	if (!rc)
		rc = flush_targets(s);
	return rc ? rc : flush_history(s);
}

/* The fields of a series row, the packed arrays as they are in memory
 * (as put_series sends them). */
static uint8_t *series_fields(uint8_t *p, const struct series *ser)
{
	size_t n = (size_t)ser->n;
	p = field_int(p, ser->indicator_id);
	p = field_int(p, ser->area_id);
	p = field_int(p, ser->first_month);
	p = field_int(p, ser->n);
	p = field_bytes(p, ser->value, n * sizeof(double));
	p = field_bytes(p, ser->flags, n);
	return field_bytes(p, ser->change, n * sizeof(uint32_t));
}

/* Puts ser by COPY: a new series straight into series, another staged,
 * remembered as superseding any row of the same series staged before. */
static int bulk_put_series(struct store_pg *s, const struct series *ser)
{
	struct bulk *b = s->bulk;
	size_t n = (size_t)ser->n, nvalue = n * sizeof(double),
	       nchange = n * sizeof(uint32_t);
	uint64_t key = series_key(ser->indicator_id, ser->area_id);
	double last;
	int rc, fresh = !b->all_stored && !u64map_get(&b->stored, key, &last);
	if ((rc = reserve_row(b, 2 + 8 * 4 + 8 + 4 * 4 + nvalue + n +
					 nchange)) ||
	    (rc = copy_begin(s, fresh ? COPY_NEW_SERIES : COPY_SERIES)))
		return rc;
	if (fresh) {
		/* Straight into series: readable there once the COPY ends. */
		if ((rc = u64map_put(&b->stored, key, 0)))
			return rc;
		uint8_t *p = put16(b->row, 7);
		p = series_fields(p, ser);
		if ((rc = copy_row(s, (size_t)(p - b->row))))
			return rc;
		b->wrote = 1;
		return CS_OK;
	}
	if (u64map_get(&b->staged, key, &last)) {
		if (b->n_superseded == b->cap_superseded) {
			size_t cap = b->cap_superseded ? 2 * b->cap_superseded
						       : 64;
			long *p = realloc(b->superseded, cap * sizeof *p);
			if (!p)
				return cs_errorf(CS_ENOMEM, "out of memory");
			b->superseded = p;
			b->cap_superseded = cap;
		}
		b->superseded[b->n_superseded++] = (long)last;
	}
	if ((rc = u64map_put(&b->staged, key, (double)b->seq)))
		return rc;
	uint8_t *p = put16(b->row, 8);
	p = field_long(p, b->seq);
	p = series_fields(p, ser);
	if ((rc = copy_row(s, (size_t)(p - b->row))))
		return rc;
	b->seq++;
	b->n_series++;
	b->wrote = 1;
	return CS_OK;
}

static int bulk_put_target(struct store_pg *s, const struct target *t)
{
	struct bulk *b = s->bulk;
	uint64_t key = target_key(t->indicator_id, t->area_id, t->year,
				  t->kind);
	double seen;
	int rc, fresh = !b->all_targets && !u64map_get(&b->targets, key, &seen);
	if ((rc = reserve_row(b, 2 + 7 * 4 + 8 + 4 * 4 + 8 + 4)) ||
	    (rc = copy_begin(s, fresh ? COPY_NEW_TARGETS : COPY_TARGETS)) ||
	    (fresh && (rc = u64map_put(&b->targets, key, 0))))
		return rc;
	uint8_t *p = put16(b->row, fresh ? 6 : 7);
	if (!fresh)
		p = field_long(p, b->seq);
	p = field_int(p, t->indicator_id);
	p = field_int(p, t->area_id);
	p = field_int(p, t->year);
	p = field_int(p, t->kind);
	p = field_double(p, t->value);
	p = field_int(p, t->sample);
	if ((rc = copy_row(s, (size_t)(p - b->row))))
		return rc;
	b->wrote = 1;
	if (fresh)
		return CS_OK;
	b->seq++;
	b->n_targets++;
	return CS_OK;
}

static uint8_t *field_real(uint8_t *p, double v)
{
	return isnan(v) ? put32(p, UINT32_MAX) : field_double(p, v);
}

/* Gathers one history row, numbered after the largest id. */
static int bulk_add_history(struct store_pg *s, int indicator_id,
			    int area_id, int month,
			    const struct value_change *c)
{
	struct bulk *b = s->bulk;
	size_t ncomment = c->comment ? strlen(c->comment) : 0;
	size_t need = 2 + 11 * 4 + 3 * 8 + 6 * 4 + 2 * 8 + ncomment;
	int rc;
	if (!b->next_history) {
		/* Read once per transaction and level: a savepoint rolled
		 * back sets it to 0 again. */
		if ((rc = copy_end(s)))
			return rc;
		PGresult *r = PQexecParams(s->conn, "SELECT coalesce(max(id),"
						    " 0) + 1 FROM value_history",
					   0, NULL, NULL, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			PQclear(r);
			return fail(s, "add history");
		}
		b->next_history = col_long(r, 0, 0);
		PQclear(r);
	}
	if (b->n_history + need > b->cap_history) {
		size_t cap = b->cap_history ? 2 * b->cap_history : 65536;
		while (cap < b->n_history + need)
			cap *= 2;
		uint8_t *p = realloc(b->history, cap);
		if (!p)
			return cs_errorf(CS_ENOMEM, "out of memory");
		b->history = p;
		b->cap_history = cap;
	}
	uint8_t *p = b->history + b->n_history;
	p = put16(p, 11);
	p = field_long(p, b->next_history);
	p = field_int(p, indicator_id);
	p = field_int(p, area_id);
	p = field_int(p, month);
	p = field_long(p, c->change_id);
	p = field_long(p, c->prev_change);
	p = field_real(p, c->before);
	p = field_real(p, c->after);
	p = field_int(p, c->state_before);
	p = field_int(p, c->state_after);
	p = c->comment ? field_bytes(p, c->comment, ncomment)
		       : put32(p, UINT32_MAX);
	b->n_history = (size_t)(p - b->history);
	b->next_history++;
	b->wrote = 1;
	return b->n_history >= BULK_HISTORY_MAX ? flush_history(s) : CS_OK;
}

/* A write of a transaction that is not bulk: past BULK_AFTER, it goes
 * bulk.  Only the outermost level does, so that no savepoint's rollback
 * can take the staging tables with it.  A streamed import begins plainly
 * (on SQLite, a bulk transaction changes the journal, which a streamed
 * import avoids) and lands here. */
static int count_put(struct store_pg *s)
{
	if (!s->bulk && !s->readonly && s->depth == 1 &&
	    ++s->n_puts >= BULK_AFTER)
		return bulk_start(s);
	return CS_OK;
}

static int feed_all(struct store_pg *s);

/* Merges what is staged and writes the one feed row of a bulk
 * transaction, just before its commit. */
static int bulk_commit(struct store_pg *s)
{
	int rc = bulk_flush(s);
	if (rc || !s->bulk->wrote)
		return rc;
	return feed_all(s);
}

static int pg_begin_bulk(struct store *st)
{
	struct store_pg *s = pg(st);
	int rc = pg_begin(st);
	if (!rc && s->depth == 1 && !s->readonly && !s->bulk &&
	    (rc = bulk_start(s)))
		pg_rollback(st);
	return rc;
}

static int pg_commit(struct store *st)
{
	struct store_pg *s = pg(st);
	if (s->depth > 1) {
		int rc = run(s, S_RELEASE, NULL, "release", NULL);
		if (!rc && s->feed_proj == s->depth)
			s->feed_proj = s->depth - 1;
		if (!rc && s->feed_all == s->depth--)
			s->feed_all = s->depth; /* the outer one's now */
		return rc;
	}
	if (s->bulk) {
		int rc = bulk_commit(s);
		bulk_free(s);
		if (rc) {
			run(s, S_ROLLBACK, NULL, "rollback", NULL);
			s->depth = 0;
			return rc;
		}
	}
	s->feed_all = 0;
	s->feed_proj = 0;
	s->feed_n = 0;
	/* COMMIT of a transaction that an error ended answers ROLLBACK
	 * without an error: say so rather than report it committed. */
	if (PQtransactionStatus(s->conn) == PQTRANS_INERROR) {
		run(s, S_ROLLBACK, NULL, "rollback", NULL);
		s->depth = 0;
		return cs_errorf(CS_ESTORE,
				 "%s: commit: the transaction failed and was "
				 "rolled back",
				 s->zname);
	}
	int rc = run(s, S_COMMIT, NULL, "commit", NULL);
	if (!rc)
		s->depth = 0;
	return rc;
}

static int pg_rollback(struct store *st)
{
	struct store_pg *s = pg(st);
	int rc = CS_OK;
	/* The COPY open goes, then what was staged in this level: the
	 * staging tables were empty when it began (see pg_begin). */
	copy_abort(s);
	if (s->bulk && s->depth > 1)
		bulk_forget(s->bulk);
	else
		bulk_free(s);
	/* A lost connection ends the whole transaction: then every level
	 * of it is gone. */
	PGTransactionStatusType t = PQtransactionStatus(s->conn);
	if (t == PQTRANS_IDLE || t == PQTRANS_UNKNOWN) {
		s->depth = 0;
	} else if (s->depth > 1) {
		if (!(rc = run(s, S_ROLLBACK_TO, NULL, "rollback", NULL)))
			rc = run(s, S_RELEASE, NULL, "release", NULL);
		if (s->feed_all >= s->depth)
			s->feed_all = 0; /* its row is undone */
		if (s->feed_proj >= s->depth)
			s->feed_proj = 0;
		s->depth--;
		return rc;
	} else {
		rc = run(s, S_ROLLBACK, NULL, "rollback", NULL);
		s->depth = 0;
	}
	s->feed_all = 0;
	s->feed_proj = 0;
	s->feed_n = 0;
	return rc;
}

/* ---- the change feed ---------------------------------------------------- */

static int feed_add(struct store_pg *s, int kind, int indicator_id,
		    int area_id)
{
	struct params P = {0};
	p_text(&P, store_node());
	p_int(&P, kind);
	p_int(&P, indicator_id);
	p_int(&P, area_id);
	return run(s, S_FEED_ADD, &P, "write the change feed", NULL);
}

/* A change the others must read everything again for: one row is enough
 * for the whole transaction. */
static int feed_all(struct store_pg *s);

/* A series written: a row that names it, until the transaction wrote so
 * many (a group of many savepoints) that reading everything again is
 * cheaper.  A bulk transaction never comes here: its series go by COPY
 * and bulk_commit writes its one FEED_ALL row. */
static int feed_series_row(struct store_pg *s, const struct series *ser)
{
	if (s->feed_n >= FEED_MAX_SERIES)
		return feed_all(s);
	s->feed_n++;
	return feed_add(s, FEED_SERIES, ser->indicator_id, ser->area_id);
}

/* A change the others must read everything again for: one row is enough
 * for the whole transaction. */
static int feed_all(struct store_pg *s)
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
static int feed_projects(struct store_pg *s)
{
	if (s->feed_proj)
		return CS_OK;
	int rc = feed_add(s, FEED_PROJECTS, 0, 0);
	if (!rc)
		s->feed_proj = s->depth;
	return rc;
}

static int pg_feed_poll(struct store *st, long after, const char *node,
			struct feed_news *out)
{
	struct store_pg *s = pg(st);
	struct params P = {0};
	p_long(&P, after);
	p_text(&P, node);
	PGresult *r = exec(s, S_FEED_POLL, &P, "read the change feed");
	if (!r)
		return s->err;
	out->top = col_long(r, 0, 0);
	out->bottom = col_long(r, 0, 1);
	out->all = col_long(r, 0, 2);
	out->series = col_long(r, 0, 3);
	out->projects = col_long(r, 0, 4);
	PQclear(r);
	return CS_OK;
}

static int row_series(struct store_pg *s, const PGresult *r, int k, int col,
		      struct series *out);

static int pg_feed_series(struct store *st, long after, long upto,
			  const char *node, store_series_fn fn, void *ctx)
{
	struct store_pg *s = pg(st);
	struct params P = {0};
	p_long(&P, after);
	p_long(&P, upto);
	p_text(&P, node);
	PGresult *r = exec_as(s, S_FEED_SERIES, &P, "read the change feed", 1);
	int rc = CS_OK;
	if (!r)
		return s->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct series ser = {
			.indicator_id = bin_int(r, k, 0),
			.area_id = bin_int(r, k, 1),
		};
		if (!(rc = row_series(s, r, k, 2, &ser))) {
			rc = fn(ctx, &ser);
			series_release(&ser);
		}
	}
	PQclear(r);
	return rc;
}

/* Drains the notifications that arrived; 1 when there was one. */
static int drain(struct store_pg *s)
{
	int got = 0;
	PGnotify *n;
	while ((n = PQnotifies(s->conn))) {
		PQfreemem(n);
		got = 1;
	}
	return got;
}

/*
 * Waits for a NOTIFY civstat, which every transaction that wrote the feed
 * sends when it commits; LISTEN first, again after every reconnection.
 */
static int pg_feed_wait(struct store *st, int ms)
{
	struct store_pg *s = pg(st);
	int rc;
	if (PQstatus(s->conn) == CONNECTION_BAD && (rc = reconnect(s)))
		return rc;
	if (!s->listening) {
		PGresult *r = PQexec(s->conn, "LISTEN civstat");
		int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		if (!ok)
			return fail(s, "listen");
		s->listening = 1;
	}
	if (!PQconsumeInput(s->conn))
		return fail(s, "wait for the change feed");
	if (drain(s))
		return CS_OK;
	struct pollfd pfd = {.fd = PQsocket(s->conn), .events = POLLIN};
	if (poll(&pfd, 1, ms) > 0 && !PQconsumeInput(s->conn))
		return fail(s, "wait for the change feed");
	drain(s);
	return CS_OK;
}

static int pg_feed_prune(struct store *st, long keep)
{
	struct params P = {0};
	p_long(&P, keep < 1 ? 1 : keep);
	return run(pg(st), S_FEED_PRUNE, &P, "prune the change feed", NULL);
}

static int pg_put_area(struct store *st, struct area *a)
{
	struct params P = {0};
	p_id(&P, a->id);
	p_text(&P, a->code);
	p_text(&P, a->name);
	p_text(&P, a->name_en);
	p_id(&P, a->parent_id);
	p_int(&P, a->level);
	p_int(&P, a->kind);
	int rc = run_id(pg(st), S_PUT_AREA, &P, "put area", &a->id);
	return rc ? rc : feed_all(pg(st));
}

static int pg_scan_areas(struct store *st, store_area_fn fn, void *ctx)
{
	PGresult *r = exec(pg(st), S_SCAN_AREAS, NULL, "scan areas");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct area a = {
			.id = col_int(r, k, 0),
			.code = col_text(r, k, 1),
			.name = col_text(r, k, 2),
			.name_en = col_text(r, k, 3),
			.parent_id = col_int(r, k, 4),
			.level = col_int(r, k, 5),
			.kind = col_int(r, k, 6),
		};
		rc = fn(ctx, &a);
	}
	PQclear(r);
	return rc;
}

static int pg_put_department(struct store *st, struct department *d)
{
	struct params P = {0};
	p_id(&P, d->id);
	p_text(&P, d->code);
	p_text(&P, d->name);
	p_text(&P, d->name_en);
	int rc = run_id(pg(st), S_PUT_DEPT, &P, "put department", &d->id);
	return rc ? rc : feed_all(pg(st));
}

static int pg_scan_departments(struct store *st, store_department_fn fn,
			       void *ctx)
{
	PGresult *r = exec(pg(st), S_SCAN_DEPTS, NULL, "scan departments");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct department d = {
			.id = col_int(r, k, 0),
			.code = col_text(r, k, 1),
			.name = col_text(r, k, 2),
			.name_en = col_text(r, k, 3),
		};
		rc = fn(ctx, &d);
	}
	PQclear(r);
	return rc;
}

static int pg_put_indicator(struct store *st, struct indicator *ind)
{
	struct params P = {0};
	p_id(&P, ind->id);
	p_text(&P, ind->code);
	p_text(&P, ind->name);
	p_text(&P, ind->name_en);
	p_text(&P, ind->unit);
	p_int(&P, ind->pillar);
	p_int(&P, ind->frequency);
	p_int(&P, ind->time_agg);
	p_int(&P, ind->area_agg);
	p_int(&P, ind->direction);
	p_id(&P, ind->department_id);
	p_text(&P, ind->source);
	p_text(&P, ind->formula);
	p_int(&P, ind->decimals);
	p_real(&P, ind->weight);
	p_real(&P, ind->min);
	p_real(&P, ind->max);
	p_text(&P, ind->part_of);
	p_real(&P, ind->max_jump);
	p_int(&P, ind->published);
	int rc = run_id(pg(st), S_PUT_IND, &P, "put indicator", &ind->id);
	return rc ? rc : feed_all(pg(st));
}

static int pg_scan_indicators(struct store *st, store_indicator_fn fn,
			      void *ctx)
{
	PGresult *r = exec(pg(st), S_SCAN_INDS, NULL, "scan indicators");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct indicator ind = {
			.id = col_int(r, k, 0),
			.code = col_text(r, k, 1),
			.name = col_text(r, k, 2),
			.name_en = col_text(r, k, 3),
			.unit = col_text(r, k, 4),
			.pillar = col_int(r, k, 5),
			.frequency = col_int(r, k, 6),
			.time_agg = col_int(r, k, 7),
			.area_agg = col_int(r, k, 8),
			.direction = col_int(r, k, 9),
			.department_id = col_int(r, k, 10),
			.source = col_text(r, k, 11),
			.formula = col_text(r, k, 12),
			.decimals = col_int(r, k, 13),
			.weight = col_real(r, k, 14),
			.min = col_real(r, k, 15),
			.max = col_real(r, k, 16),
			.part_of = col_text(r, k, 17),
			.max_jump = col_real(r, k, 18),
			.published = col_int(r, k, 19),
		};
		rc = fn(ctx, &ind);
	}
	PQclear(r);
	return rc;
}

/* Series are read in binary: the packed arrays come as they are, half
 * the bytes of bytea's hex text and nothing to decode. */
static int bin_int(const PGresult *r, int row, int col)
{
	uint32_t x;
	if (PQgetisnull(r, row, col) || PQgetlength(r, row, col) != 4)
		return -1;
	memcpy(&x, PQgetvalue(r, row, col), 4);
	return (int)ntohl(x);
}

/* Copies a bytea of exactly n bytes into out; -1 when it is not that
 * long. */
static int bin_blob(const PGresult *r, int row, int col, void *out, size_t n)
{
	if (PQgetisnull(r, row, col) || (size_t)PQgetlength(r, row, col) != n)
		return -1;
	if (n)
		memcpy(out, PQgetvalue(r, row, col), n);
	return 0;
}

/*
 * Reads the series in row k of r, a binary result, columns from col on
 * (first_month, n, value, flags, change), into out, whose indicator and
 * area are set and whose arrays the caller frees with series_release().
 */
static int row_series(struct store_pg *s, const PGresult *r, int k, int col,
		      struct series *out)
{
	int n = bin_int(r, k, col + 1);
	int rc = n < 0 ? CS_ESTORE
		       : series_init(out, out->indicator_id, out->area_id,
				     bin_int(r, k, col), n);
	if (rc == CS_ENOMEM)
		return rc;
	if (rc || bin_blob(r, k, col + 2, out->value,
			   (size_t)n * sizeof(double)) < 0 ||
	    bin_blob(r, k, col + 3, out->flags, (size_t)n) < 0 ||
	    bin_blob(r, k, col + 4, out->change,
		     (size_t)n * sizeof(uint32_t)) < 0) {
		series_release(out);
		return cs_errorf(CS_ESTORE, "%s: series %d/%d is damaged",
				 s->zname, out->indicator_id, out->area_id);
	}
	return CS_OK;
}

/* Answers get_series of key from the series read ahead: 1 with *rc set
 * when they hold it, 0 when not. */
static int ahead_get(struct store_pg *s, uint64_t key, struct series *out,
		     int *rc)
{
	struct bulk *b = s->bulk;
	double v;
	if (!u64map_get(&b->ahead_rows, key, &v))
		return 0;
	long gen = (long)v / AHEAD_ROWS;
	int row = (int)((long)v % AHEAD_ROWS);
	if (gen < b->ahead_first || gen >= b->ahead_next)
		return 0;
	const PGresult *r = b->ahead[gen % AHEAD_BLOCKS];
	struct series ser = {.indicator_id = bin_int(r, row, 0),
			     .area_id = bin_int(r, row, 1)};
	if (!(*rc = row_series(s, r, row, 2, &ser)))
		*out = ser;
	return 1;
}

/* Reads AHEAD_ROWS series from indicator_id/area_id on, in key order,
 * into a block of their own, making room by dropping the oldest. */
static int ahead_read(struct store_pg *s, int indicator_id, int area_id)
{
	struct bulk *b = s->bulk;
	struct params P = {0};
	char name[16];
	p_int(&P, indicator_id);
	p_int(&P, area_id);
	snprintf(name, sizeof name, "s%d", (int)S_SERIES_AHEAD);
	PGresult *r = PQexecPrepared(s->conn, name, P.n, P.val, P.len, P.fmt,
				     1);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return fail(s, "get series");
	}
	size_t size = 0;
	int n = PQntuples(r);
	for (int k = 0; k < n; k++)
		size += (size_t)PQgetlength(r, k, 4) +
			(size_t)PQgetlength(r, k, 5) +
			(size_t)PQgetlength(r, k, 6);
	while (b->ahead_first < b->ahead_next &&
	       (b->ahead_next - b->ahead_first >= AHEAD_BLOCKS ||
		b->ahead_bytes + size > AHEAD_BYTES)) {
		int slot = (int)(b->ahead_first++ % AHEAD_BLOCKS);
		PQclear(b->ahead[slot]);
		b->ahead[slot] = NULL;
		b->ahead_bytes -= b->ahead_size[slot];
	}
	/* The map keeps the keys of dropped blocks: start it afresh when
	 * they are most of it. */
	if (b->ahead_rows.n > 4 * AHEAD_BLOCKS * AHEAD_ROWS) {
		u64map_release(&b->ahead_rows);
		for (long g = b->ahead_first; g < b->ahead_next; g++) {
			const PGresult *o = b->ahead[g % AHEAD_BLOCKS];
			for (int k = 0; k < PQntuples(o); k++)
				if (u64map_put(&b->ahead_rows,
					       series_key(bin_int(o, k, 0),
							  bin_int(o, k, 1)),
					       (double)(g * AHEAD_ROWS + k)))
					break; /* out of memory: fewer hits */
		}
	}
	long gen = b->ahead_next++;
	int slot = (int)(gen % AHEAD_BLOCKS);
	b->ahead[slot] = r;
	b->ahead_size[slot] = size;
	b->ahead_bytes += size;
	for (int k = 0; k < n; k++)
		if (u64map_put(&b->ahead_rows,
			       series_key(bin_int(r, k, 0), bin_int(r, k, 1)),
			       (double)(gen * AHEAD_ROWS + k)))
			return cs_errorf(CS_ENOMEM, "out of memory");
	return CS_OK;
}

static int pg_get_series(struct store *st, int indicator_id, int area_id,
			 struct series *out)
{
	struct store_pg *s = pg(st);
	struct params P = {0};
	int rc;
	uint64_t key = series_key(indicator_id, area_id);
	double seq;
	PGresult *r;
	if (s->bulk && !u64map_get(&s->bulk->staged, key, &seq)) {
		/* Not in the table, or read ahead, or read ahead now.  The
		 * COPY open goes on until a statement must run. */
		if (!s->bulk->all_stored &&
		    !u64map_get(&s->bulk->stored, key, &seq))
			return CS_ENOTFOUND;
		if (ahead_get(s, key, out, &rc))
			return rc;
		if ((rc = copy_end(s)) ||
		    (rc = ahead_read(s, indicator_id, area_id)))
			return rc;
		return ahead_get(s, key, out, &rc) ? rc : CS_ENOTFOUND;
	}
	if (s->bulk && (rc = copy_end(s)))
		return rc;
	if (s->bulk) {
		/* Staged: its last row is the series as this transaction
		 * wrote it. */
		p_long(&P, (long)seq);
		r = PQexecParams(s->conn, staged_series_sql, 1, NULL, P.val,
				 P.len, P.fmt, 1);
	} else {
		p_int(&P, indicator_id);
		p_int(&P, area_id);
		if (!(r = exec_as(s, S_GET_SERIES, &P, "get series", 1)))
			return s->err;
	}
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return fail(s, "get series");
	}
	rc = CS_ENOTFOUND;
	if (PQntuples(r) > 0) {
		struct series row = {.indicator_id = indicator_id,
				     .area_id = area_id};
		if (!(rc = row_series(s, r, 0, 0, &row)))
			*out = row;
	}
	PQclear(r);
	return rc;
}

static int pg_put_series(struct store *st, const struct series *ser)
{
	struct store_pg *s = pg(st);
	int rc;
	if ((rc = count_put(s)))
		return rc;
	if (s->bulk)
		return bulk_put_series(s, ser);
	struct params P = {0};
	p_int(&P, ser->indicator_id);
	p_int(&P, ser->area_id);
	p_int(&P, ser->first_month);
	p_int(&P, ser->n);
	p_blob(&P, ser->value, (size_t)ser->n * sizeof(double));
	p_blob(&P, ser->flags, (size_t)ser->n);
	p_blob(&P, ser->change, (size_t)ser->n * sizeof(uint32_t));
	rc = run(s, S_PUT_SERIES, &P, "put series", NULL);
	if (!rc)
		rc = feed_series_row(s, ser);
	return rc;
}

/*
 * Every series, a row at a time (single-row mode), in binary: memory
 * stays at one row however large the table, and the cube is built while
 * the rows still come.  A callback that stops the scan leaves the rest
 * read and dropped, so that the connection is ready for the next
 * statement.
 */
static int pg_scan_series(struct store *st, store_series_fn fn, void *ctx)
{
	struct store_pg *s = pg(st);
	char name[16];
	PGresult *r;
	int rc;
	if ((rc = flush_series(s)) || (rc = ready(s, "scan series")))
		return rc;
	snprintf(name, sizeof name, "s%d", (int)S_SCAN_SERIES);
	if (!PQsendQueryPrepared(s->conn, name, 0, NULL, NULL, NULL, 1) ||
	    !PQsetSingleRowMode(s->conn)) {
		rc = fail(s, "scan series");
		while ((r = PQgetResult(s->conn)))
			PQclear(r);
		return rc;
	}
	while ((r = PQgetResult(s->conn))) {
		ExecStatusType t = PQresultStatus(r);
		if (t == PGRES_SINGLE_TUPLE && !rc) {
			struct series ser = {
				.indicator_id = bin_int(r, 0, 0),
				.area_id = bin_int(r, 0, 1),
			};
			if (!(rc = row_series(s, r, 0, 2, &ser))) {
				rc = fn(ctx, &ser);
				series_release(&ser);
			}
		} else if (t != PGRES_SINGLE_TUPLE && t != PGRES_TUPLES_OK &&
			   !rc) {
			rc = fail(s, "scan series");
		}
		PQclear(r);
	}
	return rc;
}

static int pg_put_comment(struct store *st, int indicator_id, int area_id,
			  int month, const char *comment)
{
	struct params P = {0};
	int put = comment && *comment;
	p_int(&P, indicator_id);
	p_int(&P, area_id);
	p_int(&P, month);
	if (put)
		p_text(&P, comment);
	return run(pg(st), put ? S_PUT_COMMENT : S_DEL_COMMENT, &P,
		   "put comment", NULL);
}

/* Copies the text of row 0, column 0 of r into *out, NULL when none. */
static int first_text(PGresult *r, char **out)
{
	*out = NULL;
	if (PQntuples(r) > 0 && !(*out = strdup(col_text(r, 0, 0))))
		return cs_errorf(CS_ENOMEM, "out of memory");
	return CS_OK;
}

static int pg_get_comment(struct store *st, int indicator_id, int area_id,
			  int month, char **out)
{
	struct params P = {0};
	p_int(&P, indicator_id);
	p_int(&P, area_id);
	p_int(&P, month);
	*out = NULL;
	PGresult *r = exec(pg(st), S_GET_COMMENT, &P, "get comment");
	if (!r)
		return pg(st)->err;
	int rc = first_text(r, out);
	PQclear(r);
	return rc;
}

static int pg_put_target(struct store *st, const struct target *t)
{
	struct store_pg *s = pg(st);
	int rc;
	if ((rc = count_put(s)))
		return rc;
	if (s->bulk)
		return bulk_put_target(s, t);
	struct params P = {0};
	p_int(&P, t->indicator_id);
	p_int(&P, t->area_id);
	p_int(&P, t->year);
	p_int(&P, t->kind);
	p_double(&P, t->value);
	p_int(&P, t->sample);
	rc = run(s, S_PUT_TARGET, &P, "put target", NULL);
	return rc ? rc : feed_all(s);
}

static int pg_scan_targets(struct store *st, store_target_fn fn, void *ctx)
{
	int rc = flush_targets(pg(st));
	if (rc)
		return rc;
	PGresult *r = exec(pg(st), S_SCAN_TARGETS, NULL, "scan targets");
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct target t = {
			.indicator_id = col_int(r, k, 0),
			.area_id = col_int(r, k, 1),
			.year = col_int(r, k, 2),
			.kind = col_int(r, k, 3),
			.value = col_real(r, k, 4),
			.sample = col_int(r, k, 5),
		};
		rc = fn(ctx, &t);
	}
	PQclear(r);
	return rc;
}

static int pg_put_benchmark(struct store *st, const struct benchmark *b)
{
	struct params P = {0};
	p_int(&P, b->indicator_id);
	p_text(&P, b->group);
	p_int(&P, b->month);
	p_int(&P, b->kind);
	p_int(&P, b->measure);
	p_double(&P, b->value);
	p_int(&P, b->sample);
	int rc = run(pg(st), S_PUT_BENCH, &P, "put benchmark", NULL);
	return rc ? rc : feed_all(pg(st));
}

static int pg_scan_benchmarks(struct store *st, store_benchmark_fn fn,
			      void *ctx)
{
	PGresult *r = exec(pg(st), S_SCAN_BENCH, NULL, "scan benchmarks");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct benchmark b = {
			.indicator_id = col_int(r, k, 0),
			.group = col_text(r, k, 1),
			.month = col_int(r, k, 2),
			.kind = col_int(r, k, 3),
			.measure = col_int(r, k, 4),
			.value = col_real(r, k, 5),
			.sample = col_int(r, k, 6),
		};
		rc = fn(ctx, &b);
	}
	PQclear(r);
	return rc;
}

static int pg_add_change(struct store *st, const char *actor,
			 const char *what, long *id)
{
	struct params P = {0};
	p_text(&P, actor);
	p_text(&P, what);
	return run(pg(st), S_ADD_CHANGE, &P, "add change", id);
}

static int pg_add_history(struct store *st, int indicator_id, int area_id,
			  int month, const struct value_change *c)
{
	struct store_pg *s = pg(st);
	int rc;
	if ((rc = count_put(s)))
		return rc;
	if (s->bulk)
		return bulk_add_history(s, indicator_id, area_id, month, c);
	struct params P = {0};
	p_int(&P, indicator_id);
	p_int(&P, area_id);
	p_int(&P, month);
	p_long(&P, c->change_id);
	p_long(&P, c->prev_change);
	p_real(&P, c->before);
	p_real(&P, c->after);
	p_int(&P, c->state_before);
	p_int(&P, c->state_after);
	p_opt_text(&P, c->comment);
	return run(s, S_ADD_HISTORY, &P, "add history", NULL);
}

static int pg_get_change(struct store *st, long id, store_change_fn fn,
			 void *ctx)
{
	struct params P = {0};
	p_long(&P, id);
	PGresult *r = exec(pg(st), S_GET_CHANGE, &P, "get change");
	if (!r)
		return pg(st)->err;
	int rc = CS_OK;
	if (PQntuples(r) > 0) {
		struct value_change c = {
			.change_id = id,
			.at = col_text(r, 0, 0),
			.actor = col_text(r, 0, 1),
			.what = col_text(r, 0, 2),
		};
		rc = fn(ctx, &c);
	}
	PQclear(r);
	return rc;
}

static int pg_scan_history(struct store *st, int indicator_id, int area_id,
			   int month, store_change_fn fn, void *ctx)
{
	struct params P = {0};
	p_int(&P, indicator_id);
	p_int(&P, area_id);
	p_int(&P, month);
	int rc = flush_history(pg(st));
	if (rc)
		return rc;
	PGresult *r = exec(pg(st), S_SCAN_HISTORY, &P, "scan history");
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct value_change c = {
			.change_id = col_long(r, k, 0),
			.at = col_text(r, k, 1),
			.actor = col_text(r, k, 2),
			.what = col_text(r, k, 3),
			.before = col_real(r, k, 4),
			.after = col_real(r, k, 5),
			.state_before = col_int(r, k, 6),
			.state_after = col_int(r, k, 7),
			.comment = col_opt_text(r, k, 8),
			.prev_change = col_long(r, k, 9),
		};
		rc = fn(ctx, &c);
	}
	PQclear(r);
	return rc;
}

static int pg_get_meta(struct store *st, const char *key, char **out)
{
	struct params P = {0};
	p_text(&P, key);
	*out = NULL;
	PGresult *r = exec(pg(st), S_GET_META, &P, "get meta");
	if (!r)
		return pg(st)->err;
	int rc = first_text(r, out);
	PQclear(r);
	return rc;
}

static int pg_set_meta(struct store *st, const char *key, const char *value)
{
	struct params P = {0};
	p_text(&P, key);
	p_text(&P, value);
	return run(pg(st), S_SET_META, &P, "set meta", NULL);
}

static int pg_put_user(struct store *st, struct user *u)
{
	struct params P = {0};
	p_text(&P, u->name);
	p_int(&P, u->role);
	p_id(&P, u->department_id);
	p_id(&P, u->area_id);
	p_text(&P, u->password);
	p_int(&P, u->disabled);
	p_int(&P, u->failed);
	p_long(&P, u->locked_until);
	return run_id(pg(st), S_PUT_USER, &P, "put user", &u->id);
}

/* Reads the user in row k of r; strings are the result's. */
static void row_user(const PGresult *r, int k, struct user *u)
{
	u->id = col_int(r, k, 0);
	u->name = col_text(r, k, 1);
	u->role = col_int(r, k, 2);
	u->department_id = col_int(r, k, 3);
	u->area_id = col_int(r, k, 4);
	u->password = col_text(r, k, 5);
	u->disabled = col_int(r, k, 6);
	u->failed = col_int(r, k, 7);
	u->locked_until = col_long(r, k, 8);
	u->created = col_text(r, k, 9);
}

static int pg_get_user(struct store *st, const char *name, int id,
		       struct user *out)
{
	struct params P = {0};
	if (name)
		p_text(&P, name);
	else
		p_int(&P, id);
	PGresult *r = exec(pg(st), name ? S_GET_USER : S_GET_USER_ID, &P,
			   "get user");
	if (!r)
		return pg(st)->err;
	int rc = CS_ENOTFOUND;
	if (PQntuples(r) > 0) {
		struct user u;
		row_user(r, 0, &u);
		*out = u;
		out->name = strdup(u.name);
		out->password = strdup(u.password);
		out->created = strdup(u.created);
		rc = CS_OK;
		if (!out->name || !out->password || !out->created) {
			user_release(out);
			rc = cs_errorf(CS_ENOMEM, "out of memory");
		}
	}
	PQclear(r);
	return rc;
}

static int pg_scan_users(struct store *st, store_user_fn fn, void *ctx)
{
	PGresult *r = exec(pg(st), S_SCAN_USERS, NULL, "scan users");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct user u;
		row_user(r, k, &u);
		rc = fn(ctx, &u);
	}
	PQclear(r);
	return rc;
}

static int pg_put_session(struct store *st, const struct session *se)
{
	struct params P = {0};
	p_blob(&P, se->hash, SESSION_HASH);
	p_int(&P, se->user_id);
	p_int(&P, se->kind);
	p_text(&P, se->csrf);
	p_long(&P, se->created);
	p_long(&P, se->last_seen);
	p_long(&P, se->expires);
	p_text(&P, se->label);
	return run(pg(st), S_PUT_SESSION, &P, "put session", NULL);
}

static int pg_get_session(struct store *st, const uint8_t *hash,
			  struct session *out)
{
	struct params P = {0};
	p_blob(&P, hash, SESSION_HASH);
	PGresult *r = exec(pg(st), S_GET_SESSION, &P, "get session");
	if (!r)
		return pg(st)->err;
	int rc = CS_ENOTFOUND;
	if (PQntuples(r) > 0) {
		memset(out, 0, sizeof *out);
		memcpy(out->hash, hash, SESSION_HASH);
		out->user_id = col_int(r, 0, 0);
		out->kind = col_int(r, 0, 1);
		snprintf(out->csrf, sizeof out->csrf, "%s", col_text(r, 0, 2));
		out->created = col_long(r, 0, 3);
		out->last_seen = col_long(r, 0, 4);
		out->expires = col_long(r, 0, 5);
		rc = (out->label = strdup(col_text(r, 0, 6)))
			     ? CS_OK
			     : cs_errorf(CS_ENOMEM, "out of memory");
	}
	PQclear(r);
	return rc;
}

static int pg_touch_session(struct store *st, const uint8_t *hash,
			    long last_seen)
{
	struct params P = {0};
	p_blob(&P, hash, SESSION_HASH);
	p_long(&P, last_seen);
	return run(pg(st), S_TOUCH_SESSION, &P, "touch session", NULL);
}

static int pg_delete_session(struct store *st, const uint8_t *hash)
{
	struct params P = {0};
	p_blob(&P, hash, SESSION_HASH);
	return run(pg(st), S_DEL_SESSION, &P, "delete session", NULL);
}

static int pg_delete_user_sessions(struct store *st, int user_id)
{
	struct params P = {0};
	p_int(&P, user_id);
	return run(pg(st), S_DEL_USER_SESSIONS, &P, "delete sessions", NULL);
}

static int pg_last_audit(struct store *st, long *id, uint8_t *hash)
{
	PGresult *r = exec(pg(st), S_LAST_AUDIT, NULL, "last audit");
	*id = 0;
	memset(hash, 0, SESSION_HASH);
	if (!r)
		return pg(st)->err;
	if (PQntuples(r) > 0) {
		*id = col_long(r, 0, 0);
		if (col_blob(r, 0, 1, hash, SESSION_HASH) < 0)
			memset(hash, 0, SESSION_HASH);
	}
	PQclear(r);
	return CS_OK;
}

static int pg_add_audit(struct store *st, struct audit_entry *e)
{
	struct params P = {0};
	p_text(&P, e->at);
	p_text(&P, e->actor);
	p_text(&P, e->action);
	p_text(&P, e->object);
	p_opt_text(&P, e->before);
	p_opt_text(&P, e->after);
	p_opt_text(&P, e->request_id);
	p_blob(&P, e->prev_hash, SESSION_HASH);
	p_blob(&P, e->hash, SESSION_HASH);
	return run(pg(st), S_ADD_AUDIT, &P, "add audit", &e->id);
}

static int pg_scan_audit(struct store *st, long from, long limit,
			 store_audit_fn fn, void *ctx)
{
	struct params P = {0};
	p_long(&P, from);
	if (limit > 0)
		p_long(&P, limit);
	else
		p_null(&P); /* LIMIT NULL: all */
	PGresult *r = exec(pg(st), S_SCAN_AUDIT, &P, "scan audit");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct audit_entry e = {
			.id = col_long(r, k, 0),
			.at = col_text(r, k, 1),
			.actor = col_text(r, k, 2),
			.action = col_text(r, k, 3),
			.object = col_text(r, k, 4),
			.before = col_opt_text(r, k, 5),
			.after = col_opt_text(r, k, 6),
			.request_id = col_opt_text(r, k, 7),
		};
		/* A hash of the wrong size reads as zeros: verify says so. */
		if (col_blob(r, k, 8, e.prev_hash, SESSION_HASH) < 0)
			memset(e.prev_hash, 0, SESSION_HASH);
		if (col_blob(r, k, 9, e.hash, SESSION_HASH) < 0)
			memset(e.hash, 0, SESSION_HASH);
		rc = fn(ctx, &e);
	}
	PQclear(r);
	return rc;
}

/* ---- Copying a database whole (civstat migrate) ------------------------ */

static int pg_scan_comments(struct store *st, store_comment_fn fn, void *ctx)
{
	PGresult *r = exec(pg(st), S_SCAN_COMMENTS, NULL, "scan comments");
	int rc = CS_OK;
	if (!r)
		return CS_ESTORE;
	for (int k = 0; k < PQntuples(r) && !rc; k++)
		rc = fn(ctx, col_int(r, k, 0), col_int(r, k, 1),
			col_int(r, k, 2), col_text(r, k, 3));
	PQclear(r);
	return rc;
}

static int pg_scan_changes(struct store *st, store_change_fn fn, void *ctx)
{
	PGresult *r = exec(pg(st), S_SCAN_CHANGES, NULL, "scan changes");
	int rc = CS_OK;
	if (!r)
		return CS_ESTORE;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct value_change c = {
			.change_id = col_long(r, k, 0),
			.at = col_text(r, k, 1),
			.actor = col_text(r, k, 2),
			.what = col_text(r, k, 3),
		};
		rc = fn(ctx, &c);
	}
	PQclear(r);
	return rc;
}

static int pg_copy_change(struct store *st, const struct value_change *c)
{
	struct params P = {0};
	p_long(&P, c->change_id);
	p_text(&P, c->at);
	p_text(&P, c->actor);
	p_text(&P, c->what);
	return run(pg(st), S_COPY_CHANGE, &P, "copy change", NULL);
}

static int pg_scan_history_rows(struct store *st, store_history_row_fn fn,
				void *ctx)
{
	PGresult *r = exec(pg(st), S_SCAN_HISTORY_ROWS, NULL, "scan history");
	int rc = CS_OK;
	if (!r)
		return CS_ESTORE;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct history_row h = {
			.id = col_long(r, k, 0),
			.indicator_id = col_int(r, k, 1),
			.area_id = col_int(r, k, 2),
			.month = col_int(r, k, 3),
			.c = {
				.change_id = col_long(r, k, 4),
				.prev_change = col_long(r, k, 5),
				.before = col_real(r, k, 6),
				.after = col_real(r, k, 7),
				.state_before = col_int(r, k, 8),
				.state_after = col_int(r, k, 9),
				.comment = col_opt_text(r, k, 10),
			},
		};
		rc = fn(ctx, &h);
	}
	PQclear(r);
	return rc;
}

static int pg_copy_history_row(struct store *st, const struct history_row *h)
{
	struct params P = {0};
	p_long(&P, h->id);
	p_int(&P, h->indicator_id);
	p_int(&P, h->area_id);
	p_int(&P, h->month);
	p_long(&P, h->c.change_id);
	p_long(&P, h->c.prev_change);
	p_real(&P, h->c.before);
	p_real(&P, h->c.after);
	p_int(&P, h->c.state_before);
	p_int(&P, h->c.state_after);
	p_opt_text(&P, h->c.comment);
	return run(pg(st), S_COPY_HISTORY_ROW, &P, "copy history", NULL);
}

static int pg_copy_user(struct store *st, const struct user *u)
{
	struct params P = {0};
	p_int(&P, u->id);
	p_text(&P, u->name);
	p_int(&P, u->role);
	p_id(&P, u->department_id);
	p_id(&P, u->area_id);
	p_text(&P, u->password);
	p_int(&P, u->disabled);
	p_int(&P, u->failed);
	p_long(&P, u->locked_until);
	p_text(&P, u->created);
	return run(pg(st), S_COPY_USER, &P, "copy user", NULL);
}

static int pg_scan_sessions(struct store *st, store_session_fn fn, void *ctx)
{
	struct store_pg *s = pg(st);
	PGresult *r = exec(s, S_SCAN_SESSIONS, NULL, "scan sessions");
	int rc = CS_OK;
	if (!r)
		return CS_ESTORE;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct session se = {
			.user_id = col_int(r, k, 1),
			.kind = col_int(r, k, 2),
			.created = col_long(r, k, 4),
			.last_seen = col_long(r, k, 5),
			.expires = col_long(r, k, 6),
			.label = col_text(r, k, 7),
		};
		if (col_blob(r, k, 0, se.hash, SESSION_HASH) < 0) {
			rc = cs_errorf(CS_ESTORE, "%s: a session's hash is "
				       "damaged", s->zname);
			break;
		}
		snprintf(se.csrf, sizeof se.csrf, "%s", col_text(r, k, 3));
		rc = fn(ctx, &se);
	}
	PQclear(r);
	return rc;
}

static int pg_scan_meta(struct store *st, store_meta_fn fn, void *ctx)
{
	PGresult *r = exec(pg(st), S_SCAN_META, NULL, "scan meta");
	int rc = CS_OK;
	if (!r)
		return CS_ESTORE;
	for (int k = 0; k < PQntuples(r) && !rc; k++)
		rc = fn(ctx, col_text(r, k, 0), col_text(r, k, 1));
	PQclear(r);
	return rc;
}

static int pg_copy_audit(struct store *st, const struct audit_entry *e)
{
	struct params P = {0};
	p_long(&P, e->id);
	p_text(&P, e->at);
	p_text(&P, e->actor);
	p_text(&P, e->action);
	p_text(&P, e->object);
	p_opt_text(&P, e->before);
	p_opt_text(&P, e->after);
	p_opt_text(&P, e->request_id);
	p_blob(&P, e->prev_hash, SESSION_HASH);
	p_blob(&P, e->hash, SESSION_HASH);
	return run(pg(st), S_COPY_AUDIT, &P, "copy audit", NULL);
}

/* ---- the working-day calendar (schema 8) ------------------------------ */

static int pg_put_holiday(struct store *st, const struct holiday *h)
{
	struct params P = {0};
	p_text(&P, h->date);
	p_text(&P, h->kind);
	p_text(&P, h->name);
	p_text(&P, h->source);
	return run(pg(st), S_PUT_HOLIDAY, &P, "put holiday", NULL);
}

static int pg_scan_holidays(struct store *st, store_holiday_fn fn, void *ctx)
{
	PGresult *r = exec(pg(st), S_SCAN_HOLIDAYS, NULL, "scan holidays");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct holiday h = {
			.date = col_text(r, k, 0),
			.kind = col_text(r, k, 1),
			.name = col_text(r, k, 2),
			.source = col_text(r, k, 3),
		};
		rc = fn(ctx, &h);
	}
	PQclear(r);
	return rc;
}

/* ---- the service catalogue (schema 9) -------------------------------- */

static int pg_put_service(struct store *st, const struct service *v)
{
	struct params P = {0};
	p_text(&P, v->code);
	p_text(&P, v->name);
	p_text(&P, v->name_en);
	p_text(&P, v->group);
	p_text(&P, v->department);
	p_int(&P, v->dispatch_days);
	p_int(&P, v->answer_days);
	p_int(&P, v->answer_hours);
	p_text(&P, v->keywords);
	p_text(&P, v->description);
	p_int(&P, v->public);
	p_text(&P, v->source);
	return run(pg(st), S_PUT_SERVICE, &P, "put service", NULL);
}

static int pg_scan_services(struct store *st, store_service_fn fn, void *ctx)
{
	PGresult *r = exec(pg(st), S_SCAN_SERVICES, NULL, "scan services");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct service v = {
			.code = col_text(r, k, 0),
			.name = col_text(r, k, 1),
			.name_en = col_text(r, k, 2),
			.group = col_text(r, k, 3),
			.department = col_text(r, k, 4),
			.dispatch_days = col_int(r, k, 5),
			.answer_days = col_int(r, k, 6),
			.answer_hours = col_int(r, k, 7),
			.keywords = col_text(r, k, 8),
			.description = col_text(r, k, 9),
			.public = col_int(r, k, 10),
			.source = col_text(r, k, 11),
		};
		rc = fn(ctx, &v);
	}
	PQclear(r);
	return rc;
}

/* ---- task lists and supervision, 督办 (schema 6) ------------------------ */

static PGresult *texec(struct store_pg *s, enum task_stmt_id id,
		       const struct params *P, const char *what)
{
	char name[16];
	snprintf(name, sizeof name, "t%d", (int)id);
	return exec_named(s, name, P, what);
}

/* Runs a task statement that returns no rows or one row with an id. */
static int trun(struct store_pg *s, enum task_stmt_id id,
		const struct params *P, const char *what, int *out)
{
	PGresult *r = texec(s, id, P, what);
	if (!r)
		return s->err;
	if (out && PQntuples(r) > 0)
		*out = col_int(r, 0, 0);
	PQclear(r);
	return CS_OK;
}

static int pg_put_task_list(struct store *st, struct task_list *l)
{
	struct params P = {0};
	p_id(&P, l->id);
	p_text(&P, l->code);
	p_int(&P, l->year);
	p_text(&P, l->name);
	p_text(&P, l->kind);
	p_text(&P, l->source);
	p_int(&P, l->sample);
	return trun(pg(st), T_PUT_LIST, &P, "put task list", &l->id);
}

static int pg_scan_task_lists(struct store *st, store_task_list_fn fn,
			      void *ctx)
{
	PGresult *r = texec(pg(st), T_SCAN_LISTS, NULL, "scan task lists");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct task_list l = {
			.id = col_int(r, k, 0),
			.code = col_text(r, k, 1),
			.year = col_int(r, k, 2),
			.name = col_text(r, k, 3),
			.kind = col_text(r, k, 4),
			.source = col_text(r, k, 5),
			.sample = col_int(r, k, 6),
		};
		rc = fn(ctx, &l);
	}
	PQclear(r);
	return rc;
}

static int pg_put_task(struct store *st, struct task *t)
{
	struct params P = {0};
	p_id(&P, t->id);
	p_text(&P, t->code);
	p_int(&P, t->list_id);
	p_text(&P, t->title);
	p_id(&P, t->department_id);
	p_text(&P, t->leader);
	p_text(&P, t->deadline);
	p_real(&P, t->target);
	p_text(&P, t->unit);
	p_real(&P, t->achieved);
	p_int(&P, t->status);
	p_text(&P, t->done_on);
	p_text(&P, t->source);
	p_int(&P, t->sample);
	return trun(pg(st), T_PUT_TASK, &P, "put task", &t->id);
}

/* Calls fn with each task of r; *found counts them. */
static int each_task(const PGresult *r, store_task_fn fn, void *ctx,
		     int *found)
{
	int rc = CS_OK;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct task t = {
			.id = col_int(r, k, 0),
			.code = col_text(r, k, 1),
			.list_id = col_int(r, k, 2),
			.title = col_text(r, k, 3),
			.department_id = col_int(r, k, 4),
			.leader = col_text(r, k, 5),
			.deadline = col_text(r, k, 6),
			.target = col_real(r, k, 7),
			.unit = col_text(r, k, 8),
			.achieved = col_real(r, k, 9),
			.status = col_int(r, k, 10),
			.done_on = col_text(r, k, 11),
			.source = col_text(r, k, 12),
			.sample = col_int(r, k, 13),
		};
		(*found)++;
		rc = fn(ctx, &t);
	}
	return rc;
}

static int pg_get_task(struct store *st, const char *code, store_task_fn fn,
		       void *ctx)
{
	struct params P = {0};
	p_text(&P, code);
	PGresult *r = texec(pg(st), T_GET_TASK, &P, "get task");
	int found = 0;
	if (!r)
		return pg(st)->err;
	int rc = each_task(r, fn, ctx, &found);
	PQclear(r);
	return rc ? rc : found ? CS_OK : CS_ENOTFOUND;
}

static int pg_scan_tasks(struct store *st, int list_id, store_task_fn fn,
			 void *ctx)
{
	struct params P = {0};
	p_int(&P, list_id);
	PGresult *r = texec(pg(st), T_SCAN_TASKS, &P, "scan tasks");
	int found = 0;
	if (!r)
		return pg(st)->err;
	int rc = each_task(r, fn, ctx, &found);
	PQclear(r);
	return rc;
}

static int pg_put_task_milestone(struct store *st,
				 const struct task_milestone *m)
{
	struct params P = {0};
	p_int(&P, m->task_id);
	p_int(&P, m->seq);
	p_text(&P, m->name);
	p_text(&P, m->due);
	p_text(&P, m->done_on);
	return trun(pg(st), T_PUT_MILESTONE, &P, "put milestone", NULL);
}

static int pg_scan_task_milestones(struct store *st, int task_id,
				   store_milestone_fn fn, void *ctx)
{
	struct params P = {0};
	p_int(&P, task_id);
	PGresult *r = texec(pg(st), T_SCAN_MILESTONES, &P,
			    "scan milestones");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct task_milestone m = {
			.task_id = col_int(r, k, 0),
			.seq = col_int(r, k, 1),
			.name = col_text(r, k, 2),
			.due = col_text(r, k, 3),
			.done_on = col_text(r, k, 4),
		};
		rc = fn(ctx, &m);
	}
	PQclear(r);
	return rc;
}

static int pg_add_task_report(struct store *st, struct task_report *tr)
{
	struct params P = {0};
	p_id(&P, tr->id);
	p_int(&P, tr->task_id);
	p_text(&P, tr->day);
	p_text(&P, tr->text);
	p_real(&P, tr->achieved);
	p_text(&P, tr->actor);
	p_int(&P, tr->sample);
	return trun(pg(st), T_ADD_REPORT, &P, "add progress report", &tr->id);
}

static int pg_scan_task_reports(struct store *st, int task_id,
				store_task_report_fn fn, void *ctx)
{
	struct params P = {0};
	p_int(&P, task_id);
	PGresult *r = texec(pg(st), T_SCAN_REPORTS, &P,
			    "scan progress reports");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct task_report tr = {
			.id = col_int(r, k, 0),
			.task_id = col_int(r, k, 1),
			.day = col_text(r, k, 2),
			.text = col_text(r, k, 3),
			.achieved = col_real(r, k, 4),
			.actor = col_text(r, k, 5),
			.sample = col_int(r, k, 6),
		};
		rc = fn(ctx, &tr);
	}
	PQclear(r);
	return rc;
}

static int pg_put_task_note(struct store *st, struct task_note *n)
{
	struct params P = {0};
	p_id(&P, n->id);
	p_int(&P, n->task_id);
	p_text(&P, n->author);
	p_text(&P, n->day);
	p_text(&P, n->text);
	p_text(&P, n->due);
	p_text(&P, n->answer);
	p_text(&P, n->answered_by);
	p_text(&P, n->answered_on);
	return trun(pg(st), T_PUT_NOTE, &P, "put note", &n->id);
}

static int pg_scan_task_notes(struct store *st, int task_id,
			      store_task_note_fn fn, void *ctx)
{
	struct params P = {0};
	p_int(&P, task_id);
	PGresult *r = texec(pg(st), T_SCAN_NOTES, &P, "scan notes");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct task_note n = {
			.id = col_int(r, k, 0),
			.task_id = col_int(r, k, 1),
			.author = col_text(r, k, 2),
			.day = col_text(r, k, 3),
			.text = col_text(r, k, 4),
			.due = col_text(r, k, 5),
			.answer = col_text(r, k, 6),
			.answered_by = col_text(r, k, 7),
			.answered_on = col_text(r, k, 8),
		};
		rc = fn(ctx, &n);
	}
	PQclear(r);
	return rc;
}

/* ---- the key-project pipeline: its store ops -------------------------- */

/* As exec and run, for the pipeline's statements. */
static PGresult *pexec(struct store_pg *s, enum project_stmt_id id,
		       const struct params *P, const char *what)
{
	char name[16];
	snprintf(name, sizeof name, "p%d", (int)id);
	return exec_named(s, name, P, what);
}

static int prun(struct store_pg *s, enum project_stmt_id id,
		const struct params *P, const char *what, long *out)
{
	PGresult *r = pexec(s, id, P, what);
	if (!r)
		return s->err;
	if (out && PQntuples(r) > 0)
		*out = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return CS_OK;
}

static int pg_put_project(struct store *st, struct project *pr)
{
	struct params P = {0};
	long id = 0;
	p_id(&P, pr->id);
	p_text(&P, pr->code);
	p_text(&P, pr->name);
	p_text(&P, pr->cluster);
	p_int(&P, pr->type);
	p_int(&P, pr->area_id);
	p_id(&P, pr->department_id);
	p_text(&P, pr->leader);
	p_real(&P, pr->total);
	p_int(&P, pr->phase);
	p_text(&P, pr->planned_start);
	p_text(&P, pr->planned_finish);
	p_text(&P, pr->actual_start);
	p_text(&P, pr->actual_finish);
	p_text(&P, pr->address);
	p_real(&P, pr->lon);
	p_real(&P, pr->lat);
	p_text(&P, pr->issues);
	p_text(&P, pr->programme);
	p_int(&P, pr->sample);
	p_text(&P, pr->source);
	int rc = prun(pg(st), P_PUT_PROJECT, &P, "put project", &id);
	if (!rc)
		pr->id = (int)id;
	return rc ? rc : feed_projects(pg(st));
}

static int pg_scan_projects(struct store *st, store_project_fn fn, void *ctx)
{
	PGresult *r = pexec(pg(st), P_SCAN_PROJECTS, NULL, "scan projects");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct project pr = {
			.id = col_int(r, k, 0),
			.code = col_text(r, k, 1),
			.name = col_text(r, k, 2),
			.cluster = col_text(r, k, 3),
			.type = col_int(r, k, 4),
			.area_id = col_int(r, k, 5),
			.department_id = col_int(r, k, 6),
			.leader = col_text(r, k, 7),
			.total = col_real(r, k, 8),
			.phase = col_int(r, k, 9),
			.planned_start = col_text(r, k, 10),
			.planned_finish = col_text(r, k, 11),
			.actual_start = col_text(r, k, 12),
			.actual_finish = col_text(r, k, 13),
			.address = col_text(r, k, 14),
			.lon = col_real(r, k, 15),
			.lat = col_real(r, k, 16),
			.issues = col_text(r, k, 17),
			.programme = col_text(r, k, 18),
			.sample = col_int(r, k, 19),
			.source = col_text(r, k, 20),
		};
		rc = fn(ctx, &pr);
	}
	PQclear(r);
	return rc;
}

static int pg_put_project_plan(struct store *st, const struct project_plan *pl)
{
	struct params P = {0};
	p_int(&P, pl->project_id);
	p_int(&P, pl->year);
	p_double(&P, pl->amount);
	p_int(&P, pl->sample);
	int rc = prun(pg(st), P_PUT_PLAN, &P, "put project plan", NULL);
	return rc ? rc : feed_projects(pg(st));
}

static int pg_scan_project_plans(struct store *st, store_plan_fn fn, void *ctx)
{
	PGresult *r = pexec(pg(st), P_SCAN_PLANS, NULL, "scan project plans");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct project_plan pl = {
			.project_id = col_int(r, k, 0),
			.year = col_int(r, k, 1),
			.amount = col_real(r, k, 2),
			.sample = col_int(r, k, 3),
		};
		rc = fn(ctx, &pl);
	}
	PQclear(r);
	return rc;
}

static int pg_put_milestone(struct store *st, const struct milestone *m)
{
	struct params P = {0};
	p_int(&P, m->project_id);
	p_text(&P, m->name);
	p_text(&P, m->due);
	p_text(&P, m->done);
	p_int(&P, m->sample);
	int rc = prun(pg(st), P_PUT_MILESTONE, &P, "put milestone", NULL);
	return rc ? rc : feed_projects(pg(st));
}

static int pg_scan_milestones(struct store *st, store_project_milestone_fn fn,
			      void *ctx)
{
	PGresult *r = pexec(pg(st), P_SCAN_MILESTONES, NULL,
			    "scan milestones");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct milestone m = {
			.project_id = col_int(r, k, 0),
			.name = col_text(r, k, 1),
			.due = col_text(r, k, 2),
			.done = col_text(r, k, 3),
			.sample = col_int(r, k, 4),
		};
		rc = fn(ctx, &m);
	}
	PQclear(r);
	return rc;
}

static int pg_put_project_report(struct store *st,
				 const struct project_report *rp)
{
	struct params P = {0};
	p_int(&P, rp->project_id);
	p_int(&P, rp->month);
	p_double(&P, rp->investment);
	p_real(&P, rp->progress);
	p_text(&P, rp->note);
	p_text(&P, rp->actor);
	p_int(&P, rp->sample);
	p_opt_text(&P, rp->at && *rp->at ? rp->at : NULL);
	int rc = prun(pg(st), P_PUT_REPORT, &P, "put project report", NULL);
	return rc ? rc : feed_projects(pg(st));
}

/* The rows of r, a scan of reports, to fn; r cleared. */
static int each_report(PGresult *r, store_report_fn fn, void *ctx)
{
	int rc = CS_OK;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct project_report rp = {
			.project_id = col_int(r, k, 0),
			.month = col_int(r, k, 1),
			.investment = col_real(r, k, 2),
			.progress = col_real(r, k, 3),
			.note = col_text(r, k, 4),
			.actor = col_text(r, k, 5),
			.at = col_text(r, k, 6),
			.sample = col_int(r, k, 7),
		};
		rc = fn(ctx, &rp);
	}
	PQclear(r);
	return rc;
}

/*
 * Every report, a row at a time (libpq's single-row mode): a province's
 * 2.4 million would otherwise be one result of some hundred MB before
 * the first reaches fn.
 */
static int pg_scan_project_reports(struct store *st, store_report_fn fn,
				   void *ctx)
{
	struct store_pg *s = pg(st);
	const char *what = "scan project reports";
	char name[16];
	int rc = CS_OK, failed = 0;
	snprintf(name, sizeof name, "p%d", (int)P_SCAN_REPORTS);
	if (s->bulk && copy_end(s))
		return s->err;
	if ((rc = ready(s, what)))
		return rc;
	if (!PQsendQueryPrepared(s->conn, name, 0, NULL, NULL, NULL, 0))
		return fail(s, what);
	if (!PQsetSingleRowMode(s->conn))
		rc = fail(s, what);
	/* Every result is read, also after an error, so that the
	 * connection is ready for the next statement. */
	for (PGresult *r; (r = PQgetResult(s->conn));) {
		ExecStatusType t = PQresultStatus(r);
		if (t == PGRES_SINGLE_TUPLE && !rc) {
			rc = each_report(r, fn, ctx);
			continue;
		}
		if (t != PGRES_SINGLE_TUPLE && t != PGRES_TUPLES_OK &&
		    !failed++ && !rc)
			rc = fail(s, what);
		PQclear(r);
	}
	return rc;
}

static int pg_scan_project_reports_of(struct store *st, int project_id,
				      store_report_fn fn, void *ctx)
{
	struct params P = {0};
	p_int(&P, project_id);
	PGresult *r = pexec(pg(st), P_SCAN_REPORTS_OF, &P,
			    "scan project reports");
	return r ? each_report(r, fn, ctx) : pg(st)->err;
}

static int pg_add_phase_change(struct store *st, struct phase_change *c)
{
	struct params P = {0};
	p_int(&P, c->project_id);
	p_int(&P, c->from);
	p_int(&P, c->to);
	p_text(&P, c->date);
	p_text(&P, c->reason);
	p_text(&P, c->actor);
	if (c->id > 0)
		p_long(&P, c->id);
	else
		p_null(&P);
	p_opt_text(&P, c->at && *c->at ? c->at : NULL);
	int rc = prun(pg(st), P_ADD_PHASE, &P, "add phase change", &c->id);
	return rc ? rc : feed_projects(pg(st));
}

static int pg_scan_phase_changes(struct store *st, store_phase_fn fn,
				 void *ctx)
{
	PGresult *r = pexec(pg(st), P_SCAN_PHASES, NULL, "scan phase changes");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct phase_change c = {
			.id = col_long(r, k, 0),
			.project_id = col_int(r, k, 1),
			.from = col_int(r, k, 2),
			.to = col_int(r, k, 3),
			.date = col_text(r, k, 4),
			.reason = col_text(r, k, 5),
			.actor = col_text(r, k, 6),
			.at = col_text(r, k, 7),
		};
		rc = fn(ctx, &c);
	}
	PQclear(r);
	return rc;
}

static int pg_put_programme(struct store *st, struct programme *pm)
{
	struct params P = {0};
	long id = 0;
	p_id(&P, pm->id);
	p_text(&P, pm->code);
	p_text(&P, pm->name);
	p_int(&P, pm->first_year);
	p_int(&P, pm->last_year);
	p_int(&P, pm->communities);
	p_int(&P, pm->buildings);
	p_int(&P, pm->households);
	p_real(&P, pm->floor_area);
	p_text(&P, pm->source);
	p_int(&P, pm->sample);
	int rc = prun(pg(st), P_PUT_PROGRAMME, &P, "put programme", &id);
	if (!rc)
		pm->id = (int)id;
	return rc ? rc : feed_projects(pg(st));
}

static int pg_scan_programmes(struct store *st, store_programme_fn fn,
			      void *ctx)
{
	PGresult *r = pexec(pg(st), P_SCAN_PROGRAMMES, NULL,
			    "scan programmes");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct programme pm = {
			.id = col_int(r, k, 0),
			.code = col_text(r, k, 1),
			.name = col_text(r, k, 2),
			.first_year = col_int(r, k, 3),
			.last_year = col_int(r, k, 4),
			.communities = col_int(r, k, 5),
			.buildings = col_int(r, k, 6),
			.households = col_int(r, k, 7),
			.floor_area = col_real(r, k, 8),
			.source = col_text(r, k, 9),
			.sample = col_int(r, k, 10),
		};
		rc = fn(ctx, &pm);
	}
	PQclear(r);
	return rc;
}

static int pg_put_community(struct store *st, const struct community *c)
{
	struct params P = {0};
	p_int(&P, c->programme_id);
	p_text(&P, c->name);
	p_id(&P, c->area_id);
	p_int(&P, c->buildings);
	p_int(&P, c->households);
	p_real(&P, c->floor_area);
	p_text(&P, c->started);
	p_text(&P, c->finished);
	p_double(&P, c->progress);
	p_int(&P, c->sample);
	int rc = prun(pg(st), P_PUT_COMMUNITY, &P, "put community", NULL);
	return rc ? rc : feed_projects(pg(st));
}

static int pg_scan_communities(struct store *st, store_community_fn fn,
			       void *ctx)
{
	PGresult *r = pexec(pg(st), P_SCAN_COMMUNITIES, NULL,
			    "scan communities");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct community c = {
			.programme_id = col_int(r, k, 0),
			.name = col_text(r, k, 1),
			.area_id = col_int(r, k, 2),
			.buildings = col_int(r, k, 3),
			.households = col_int(r, k, 4),
			.floor_area = col_real(r, k, 5),
			.started = col_text(r, k, 6),
			.finished = col_text(r, k, 7),
			.progress = col_real(r, k, 8),
			.sample = col_int(r, k, 9),
		};
		rc = fn(ctx, &c);
	}
	PQclear(r);
	return rc;
}

/* Notes are not in the held pipeline (project_book), so no feed entry. */
static int pg_put_project_note(struct store *st, struct project_note *n)
{
	struct params P = {0};
	p_id(&P, n->id);
	p_int(&P, n->project_id);
	p_text(&P, n->author);
	p_text(&P, n->day);
	p_text(&P, n->text);
	p_text(&P, n->due);
	p_text(&P, n->answer);
	p_text(&P, n->answered_by);
	p_text(&P, n->answered_on);
	long id = 0;
	int rc = prun(pg(st), P_PUT_NOTE, &P, "put project note", &id);
	if (!rc)
		n->id = (int)id;
	return rc;
}

static int pg_scan_project_notes(struct store *st, int project_id,
				 store_project_note_fn fn, void *ctx)
{
	struct params P = {0};
	p_int(&P, project_id);
	PGresult *r = pexec(pg(st), P_SCAN_NOTES, &P, "scan project notes");
	int rc = CS_OK;
	if (!r)
		return pg(st)->err;
	for (int k = 0; k < PQntuples(r) && !rc; k++) {
		struct project_note n = {
			.id = col_int(r, k, 0),
			.project_id = col_int(r, k, 1),
			.author = col_text(r, k, 2),
			.day = col_text(r, k, 3),
			.text = col_text(r, k, 4),
			.due = col_text(r, k, 5),
			.answer = col_text(r, k, 6),
			.answered_by = col_text(r, k, 7),
			.answered_on = col_text(r, k, 8),
		};
		rc = fn(ctx, &n);
	}
	PQclear(r);
	return rc;
}

/* ---- the residents' requests (schema 10) ------------------------------
 * The statements and their arguments come from store_request.c; here is
 * only how PostgreSQL takes and gives them: arguments as text, the fixed
 * statements prepared at setup as "r0" ..., the lists' as they come. */

struct pg_args {
	const char *val[STORE_MAX_ARGS];
	char buf[STORE_MAX_ARGS][32];
};

static void pg_args_of(struct pg_args *A, const struct store_sql *q)
{
	for (int k = 0; k < q->n; k++) {
		const struct store_arg *a = &q->arg[k];
		A->val[k] = A->buf[k];
		switch (a->type) {
		case STORE_LONG:
		case STORE_INT:
			snprintf(A->buf[k], sizeof A->buf[k], "%ld", a->l);
			break;
		case STORE_TEXT:
			A->val[k] = a->z ? a->z : "";
			break;
		case STORE_REAL:
			if (isnan(a->d))
				A->val[k] = NULL;
			else
				snprintf(A->buf[k], sizeof A->buf[k], "%.17g",
					 a->d);
			break;
		}
	}
}

/* Runs the fixed statement which (prepare NULL) or the statement q, with
 * q's arguments; the result, or NULL after an error: a unique ref or
 * token taken is CS_ECONFLICT. */
static PGresult *pg_request_exec(struct store_pg *s, int which,
				 const struct store_sql *q, const char *what)
{
	struct pg_args A;
	char name[16];
	if (q->overflow) {
		s->err = cs_errorf(CS_EINVAL, "request filter too long");
		return NULL;
	}
	if ((s->bulk && copy_end(s)) || ready(s, what))
		return NULL;
	pg_args_of(&A, q);
	PGresult *r;
	if (which >= 0) {
		snprintf(name, sizeof name, "r%d", which);
		r = PQexecPrepared(s->conn, name, q->n, A.val, NULL, NULL, 0);
	} else {
		r = PQexecParams(s->conn, q->z, q->n, NULL, A.val, NULL, NULL,
				 0);
	}
	ExecStatusType t = PQresultStatus(r);
	if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK)
		return r;
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (state && !strcmp(state, "23505"))
		s->err = cs_errorf(CS_ECONFLICT, "%s: %s", what,
				   PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
	else
		fail(s, what);
	PQclear(r);
	return NULL;
}

static void pg_read_fields(const PGresult *r, int row,
			   const struct store_field *f, void *rec)
{
	for (int k = 0; f[k].name; k++) {
		char *v = (char *)rec + f[k].off;
		switch (f[k].type) {
		case STORE_LONG:
			*(long *)v = col_long(r, row, k);
			break;
		case STORE_INT:
			*(int *)v = col_int(r, row, k);
			break;
		case STORE_TEXT:
			*(char **)v = col_text(r, row, k);
			break;
		case STORE_REAL:
			*(double *)v = col_real(r, row, k);
			break;
		}
	}
}

static int pg_put_request(struct store *st, struct request *r)
{
	struct store_pg *s = pg(st);
	struct store_sql q;
	PGresult *res;
	if (r->id) {
		store_request_args(&q, r, 1);
		if (!(res = pg_request_exec(s, SR_UPDATE, &q, "put request")))
			return s->err;
		int changed = atoi(PQcmdTuples(res));
		PQclear(res);
		if (changed)
			return CS_OK;
	}
	store_request_args(&q, r, 0);
	if (!(res = pg_request_exec(s, SR_INSERT, &q, "put request")))
		return s->err;
	r->id = col_long(res, 0, 0);
	PQclear(res);
	return CS_OK;
}

static int pg_get_request(struct store *st, long id, const char *token,
			  struct request *out)
{
	struct store_pg *s = pg(st);
	struct store_sql q = {.n = 1};
	q.arg[0] = token ? (struct store_arg){.type = STORE_TEXT, .z = token}
			 : (struct store_arg){.type = STORE_LONG, .l = id};
	PGresult *res = pg_request_exec(s, token ? SR_GET_TOKEN : SR_GET_ID,
					&q, "get request");
	int rc;
	if (!res)
		return s->err;
	if (PQntuples(res) < 1) {
		rc = cs_errorf(CS_ENOTFOUND, "no such request");
	} else {
		struct request v;
		pg_read_fields(res, 0, store_request_fields, &v);
		if (!(rc = store_fields_dup(store_request_fields, &v)))
			*out = v;
	}
	PQclear(res);
	return rc;
}

static int pg_scan_requests(struct store *st, const struct request_filter *f,
			    store_request_fn fn, void *ctx, long *total)
{
	struct store_pg *s = pg(st);
	struct store_sql q;
	PGresult *res;
	int rc;
	if (total) {
		if ((rc = store_request_list_sql(&q, SCHEMA_PG, f, 1)))
			return rc;
		if (!(res = pg_request_exec(s, -1, &q, "count requests")))
			return s->err;
		*total = col_long(res, 0, 0);
		PQclear(res);
	}
	if (!fn)
		return CS_OK;
	if ((rc = store_request_list_sql(&q, SCHEMA_PG, f, 0)))
		return rc;
	if (!(res = pg_request_exec(s, -1, &q, "scan requests")))
		return s->err;
	for (int k = 0; k < PQntuples(res) && !rc; k++) {
		struct request v;
		pg_read_fields(res, k, store_request_fields, &v);
		rc = fn(ctx, &v);
	}
	PQclear(res);
	return rc;
}

static int pg_add_request_event(struct store *st, struct request_event *e)
{
	struct store_pg *s = pg(st);
	struct store_sql q;
	store_request_event_args(&q, e);
	PGresult *res = pg_request_exec(s, SR_ADD_EVENT, &q,
					"add request event");
	if (!res)
		return s->err;
	e->id = col_long(res, 0, 0);
	PQclear(res);
	return CS_OK;
}

static int pg_scan_request_events(struct store *st, long request_id,
				  store_request_event_fn fn, void *ctx)
{
	struct store_pg *s = pg(st);
	struct store_sql q = {.n = request_id ? 1 : 0};
	q.arg[0] = (struct store_arg){.type = STORE_LONG, .l = request_id};
	PGresult *res = pg_request_exec(s,
					request_id ? SR_EVENTS_OF
						   : SR_EVENTS_ALL,
					&q, "scan request events");
	int rc = CS_OK;
	if (!res)
		return s->err;
	for (int k = 0; k < PQntuples(res) && !rc; k++) {
		struct request_event e;
		pg_read_fields(res, k, store_request_event_fields, &e);
		rc = fn(ctx, &e);
	}
	PQclear(res);
	return rc;
}

static int pg_add_request_stat(struct store *st, const struct request_stat *d)
{
	struct store_pg *s = pg(st);
	struct store_sql q;
	store_request_stat_args(&q, d);
	PGresult *res = pg_request_exec(s, SR_ADD_STAT, &q,
					"add request stat");
	if (!res)
		return s->err;
	PQclear(res);
	return CS_OK;
}

static int pg_sum_request_stats(struct store *st,
				const struct request_stat_query *sq,
				store_request_stat_fn fn, void *ctx)
{
	struct store_pg *s = pg(st);
	struct store_sql q;
	int rc = CS_OK;
	store_request_stat_sql(&q, SCHEMA_PG, sq);
	PGresult *res = pg_request_exec(s, -1, &q, "sum request stats");
	if (!res)
		return s->err;
	for (int k = 0; k < PQntuples(res) && !rc; k++) {
		struct request_stat v;
		pg_read_fields(res, k, store_request_stat_fields, &v);
		rc = fn(ctx, &v);
	}
	PQclear(res);
	return rc;
}

static const struct store_ops pg_ops = {
	.name = "postgres",
	.close = pg_close,
	.begin = pg_begin,
	.begin_bulk = pg_begin_bulk,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.put_area = pg_put_area,
	.put_department = pg_put_department,
	.put_indicator = pg_put_indicator,
	.scan_areas = pg_scan_areas,
	.scan_departments = pg_scan_departments,
	.scan_indicators = pg_scan_indicators,
	.get_series = pg_get_series,
	.put_series = pg_put_series,
	.scan_series = pg_scan_series,
	.put_comment = pg_put_comment,
	.get_comment = pg_get_comment,
	.put_target = pg_put_target,
	.scan_targets = pg_scan_targets,
	.put_benchmark = pg_put_benchmark,
	.scan_benchmarks = pg_scan_benchmarks,
	.add_change = pg_add_change,
	.add_history = pg_add_history,
	.scan_history = pg_scan_history,
	.get_change = pg_get_change,
	.put_user = pg_put_user,
	.get_user = pg_get_user,
	.scan_users = pg_scan_users,
	.put_session = pg_put_session,
	.get_session = pg_get_session,
	.touch_session = pg_touch_session,
	.delete_session = pg_delete_session,
	.delete_user_sessions = pg_delete_user_sessions,
	.last_audit = pg_last_audit,
	.add_audit = pg_add_audit,
	.scan_audit = pg_scan_audit,
	.feed_poll = pg_feed_poll,
	.feed_series = pg_feed_series,
	.feed_wait = pg_feed_wait,
	.feed_prune = pg_feed_prune,
	.get_meta = pg_get_meta,
	.set_meta = pg_set_meta,
	/* Copying a database whole (civstat migrate). */
	.scan_comments = pg_scan_comments,
	.scan_changes = pg_scan_changes,
	.copy_change = pg_copy_change,
	.scan_history_rows = pg_scan_history_rows,
	.copy_history_row = pg_copy_history_row,
	.copy_user = pg_copy_user,
	.scan_sessions = pg_scan_sessions,
	.scan_meta = pg_scan_meta,
	.copy_audit = pg_copy_audit,
	/* The key-project pipeline (schema 5). */
	.put_project = pg_put_project,
	.scan_projects = pg_scan_projects,
	.put_project_plan = pg_put_project_plan,
	.scan_project_plans = pg_scan_project_plans,
	.put_milestone = pg_put_milestone,
	.scan_milestones = pg_scan_milestones,
	.put_project_report = pg_put_project_report,
	.scan_project_reports = pg_scan_project_reports,
	.scan_project_reports_of = pg_scan_project_reports_of,
	.add_phase_change = pg_add_phase_change,
	.scan_phase_changes = pg_scan_phase_changes,
	.put_programme = pg_put_programme,
	.scan_programmes = pg_scan_programmes,
	.put_community = pg_put_community,
	.scan_communities = pg_scan_communities,
	.put_project_note = pg_put_project_note,
	.scan_project_notes = pg_scan_project_notes,
	/* Task lists and supervision, 督办 (schema 6). */
	.put_task_list = pg_put_task_list,
	.scan_task_lists = pg_scan_task_lists,
	.put_task = pg_put_task,
	.get_task = pg_get_task,
	.scan_tasks = pg_scan_tasks,
	.put_task_milestone = pg_put_task_milestone,
	.scan_task_milestones = pg_scan_task_milestones,
	.add_task_report = pg_add_task_report,
	.scan_task_reports = pg_scan_task_reports,
	.put_task_note = pg_put_task_note,
	.scan_task_notes = pg_scan_task_notes,
	/* The working-day calendar (schema 8). */
	.put_holiday = pg_put_holiday,
	.scan_holidays = pg_scan_holidays,
	.put_service = pg_put_service,
	.scan_services = pg_scan_services,
	/* The residents' requests (schema 10). */
	.put_request = pg_put_request,
	.get_request = pg_get_request,
	.scan_requests = pg_scan_requests,
	.add_request_event = pg_add_request_event,
	.scan_request_events = pg_scan_request_events,
	.add_request_stat = pg_add_request_stat,
	.sum_request_stats = pg_sum_request_stats,
};

/* Runs sql, a script without parameters; CS_OK or the error as what. */
static int script(struct store_pg *s, const char *sql, const char *what)
{
	PGresult *r = PQexec(s->conn, sql);
	ExecStatusType t = PQresultStatus(r);
	PQclear(r);
	return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK ? CS_OK
							     : fail(s, what);
}

/* The schema's version, 0 when the database holds no civstat tables. */
static int schema_version(struct store_pg *s, int *version)
{
	PGresult *r = PQexec(s->conn, "SELECT to_regclass('schema_version')"
				      " IS NOT NULL");
	int exists = PQresultStatus(r) == PGRES_TUPLES_OK &&
		     !strcmp(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	*version = 0;
	if (!exists)
		return CS_OK;
	r = PQexec(s->conn, "SELECT max(version) FROM schema_version");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return fail(s, "read schema version");
	}
	*version = col_int(r, 0, 0);
	PQclear(r);
	return CS_OK;
}

/*
 * Brings the schema to SCHEMA_VERSION in one transaction under WRITE_LOCK,
 * so that nodes starting together migrate once.  A database without
 * tables is created only with STORE_CREATE.
 */
static int migrate(struct store_pg *s, int flags)
{
	int version, rc;
	if ((rc = schema_version(s, &version)))
		return rc;
	if (version == SCHEMA_VERSION)
		return CS_OK;
	if (version > SCHEMA_VERSION)
		return cs_errorf(CS_ESTORE,
				 "%s: schema version %d is newer than this "
				 "civstat (%d)",
				 s->zname, version, SCHEMA_VERSION);
	if (version == 0 && (flags & STORE_READONLY))
		return cs_errorf(CS_ESTORE, "%s: not a civstat database",
				 s->zname);
	if (version == 0 && !(flags & STORE_CREATE))
		return cs_errorf(CS_ENOTFOUND,
				 "%s: no civstat database here (civstat init "
				 "creates one)",
				 s->zname);
	if ((rc = script(s,
			 "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK ");"
			 "CREATE TABLE IF NOT EXISTS schema_version("
			 "version integer NOT NULL)",
			 "migrate schema")) ||
	    (rc = schema_version(s, &version)))
		goto failed;
	for (; version < SCHEMA_VERSION; version++) {
		char sql[96], *ddl;
		snprintf(sql, sizeof sql,
			 "DELETE FROM schema_version;"
			 "INSERT INTO schema_version VALUES(%d)",
			 version + 1);
		if ((rc = schema_migration(SCHEMA_PG, version + 1, &ddl)))
			goto failed;
		/* A version may add nothing here (its tables are another
		 * branch's): PostgreSQL calls an empty script an error. */
		rc = *ddl ? script(s, ddl, "migrate schema") : CS_OK;
		free(ddl);
		if (rc || (rc = script(s, sql, "migrate schema")))
			goto failed;
	}
	if ((rc = script(s, "COMMIT", "migrate schema")))
		goto failed;
	return CS_OK;
failed:
	PQclear(PQexec(s->conn, "ROLLBACK"));
	return rc;
}

/* Copies url with the password of its user part, if any, left out. */
static char *redact(const char *url)
{
	char *z = strdup(url);
	char *p = z ? strstr(z, "://") : NULL;
	if (!p)
		return z;
	p += 3;
	char *at = strchr(p, '@'), *colon = strchr(p, ':');
	if (at && colon && colon < at)
		memmove(colon, at, strlen(at) + 1);
	return z;
}

/* Quiets the server's notices ("relation exists, skipping"). */
static void no_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Seconds on a clock that only goes forward. */
static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Connects to url.  A server that does not answer is given up after 5
 * seconds, a connection that goes silent after about 20 (TCP keepalives),
 * unless the URL says otherwise: the server answers 503 then, rather than
 * hang.
 */
static PGconn *connect_to(const char *url)
{
	const char *const keys[] = {"connect_timeout", "keepalives_idle",
				    "keepalives_interval", "keepalives_count",
				    "dbname", NULL};
	const char *const vals[] = {"5", "10", "5", "2", url, NULL};
	return PQconnectdbParams(keys, vals, 1);
}

/* Sets the session up and prepares every statement, on a new connection. */
static int setup(struct store_pg *s)
{
	int rc;
	PQsetNoticeProcessor(s->conn, no_notice, NULL);
	if ((rc = script(s, "SET client_encoding = 'UTF8';"
			    " SET extra_float_digits = 3",
			 "configure")))
		return rc;
	if (s->readonly &&
	    (rc = script(s, "SET default_transaction_read_only = on",
			 "configure")))
		return rc;
	for (int i = 0; i < S_N + T_N; i++) {
		char name[16];
		snprintf(name, sizeof name, i < S_N ? "s%d" : "t%d",
			 i < S_N ? i : i - S_N);
		PGresult *r = PQprepare(s->conn, name,
					i < S_N ? stmt_sql[i]
						: task_sql[i - S_N],
					0, NULL);
		ExecStatusType t = PQresultStatus(r);
		PQclear(r);
		if (t != PGRES_COMMAND_OK)
			return fail(s, "prepare");
	}
	for (int i = 0; i < P_N; i++) {
		char name[16];
		snprintf(name, sizeof name, "p%d", i);
		PGresult *r = PQprepare(s->conn, name, project_sql[i], 0, NULL);
		ExecStatusType t = PQresultStatus(r);
		PQclear(r);
		if (t != PGRES_COMMAND_OK)
			return fail(s, "prepare");
	}
	for (int i = 0; i < SR_N; i++) {
		char name[16];
		struct store_sql q;
		store_request_sql(&q, SCHEMA_PG, i);
		snprintf(name, sizeof name, "r%d", i);
		PGresult *r = PQprepare(s->conn, name, q.z, 0, NULL);
		ExecStatusType t = PQresultStatus(r);
		PQclear(r);
		if (t != PGRES_COMMAND_OK)
			return fail(s, "prepare");
	}
	return CS_OK;
}

/*
 * Connects again after the connection was lost (PostgreSQL restarted, say):
 * at once the first time, then no sooner than 0.1, 0.2, 0.4 ... 1 second
 * after the last failure, so that a server that is down is not hammered
 * and every caller meanwhile hears CS_EUNAVAIL at once.
 */
static int reconnect(struct store_pg *s)
{
	double now = now_mono();
	if (now < s->retry_at)
		return s->err = cs_errorf(CS_EUNAVAIL,
					  "%s: the database cannot be reached;"
					  " trying again",
					  s->zname);
	PQreset(s->conn);
	bulk_free(s); /* its COPY and its staging went with the session */
	s->depth = 0;
	s->listening = 0;
	s->feed_all = 0;
	s->feed_proj = 0;
	s->feed_n = 0;
	int rc = PQstatus(s->conn) == CONNECTION_OK ? setup(s) : CS_EUNAVAIL;
	if (rc) {
		if (rc == CS_EUNAVAIL)
			fail(s, "connect");
		s->backoff = s->backoff ? 2 * s->backoff : 0.1;
		if (s->backoff > 1)
			s->backoff = 1;
		s->retry_at = now + s->backoff;
		return s->err = CS_EUNAVAIL;
	}
	s->backoff = 0;
	s->retry_at = 0;
	return CS_OK;
}

int store_pg_open(const char *url, int flags, struct store **pp)
{
	struct store_pg *s = calloc(1, sizeof *s);
	int rc;
	if (!s || !(s->base.target = strdup(url)) ||
	    !(s->zname = redact(url))) {
		if (s)
			free(s->base.target);
		free(s);
		return cs_errorf(CS_ENOMEM, "out of memory");
	}
	s->base.ops = &pg_ops;
	s->readonly = !!(flags & STORE_READONLY);
	s->conn = connect_to(url);
	if (!s->conn) {
		rc = cs_errorf(CS_ENOMEM, "out of memory");
		goto failed;
	}
	if (PQstatus(s->conn) != CONNECTION_OK) {
		/* Not there at all (no such database, a bad password, no
		 * server): a store that cannot be opened, as a missing file
		 * is; CS_EUNAVAIL is for a connection lost after. */
		fail(s, "connect");
		rc = s->err = CS_ESTORE;
		goto failed;
	}
	PQsetNoticeProcessor(s->conn, no_notice, NULL);
	if ((rc = script(s, "SET client_encoding = 'UTF8'", "configure")) ||
	    (rc = migrate(s, flags)) || (rc = setup(s)))
		goto failed;
	*pp = &s->base;
	return CS_OK;
failed:
	pg_close(&s->base);
	return rc;
}
