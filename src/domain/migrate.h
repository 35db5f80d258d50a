/*
 * Moving a city from one database to another (civstat migrate): SQLite to
 * PostgreSQL when a city outgrows its file, PostgreSQL to SQLite for a copy
 * to take away.  Every table is copied as it is stored, ids, times,
 * password hashes and the audit chain's hashes unchanged, into an empty
 * database, all in one transaction that commits only once the copy is
 * proved: the same number of rows in every table, and an audit chain that
 * holds and ends at the source's head.
 */
#ifndef CS_MIGRATE_H
#define CS_MIGRATE_H

#include "store/store.h"

/* The tables copied, in the order they are copied.  The change feed is not
 * among them: it tells running nodes what to read again, and a new
 * database has no such nodes yet. */
enum migrate_table {
	MIGRATE_META,
	MIGRATE_AREA,
	MIGRATE_DEPARTMENT,
	MIGRATE_INDICATOR,
	MIGRATE_CHANGE,
	MIGRATE_SERIES,
	MIGRATE_COMMENT,
	MIGRATE_HISTORY,
	MIGRATE_TARGET,
	MIGRATE_BENCHMARK,
	/* The key-project pipeline (schema 5). */
	MIGRATE_PROGRAMME,
	MIGRATE_PROJECT,
	MIGRATE_PROJECT_PLAN,
	MIGRATE_MILESTONE,
	MIGRATE_PROJECT_REPORT,
	MIGRATE_PROJECT_PHASE,
	MIGRATE_COMMUNITY,
	MIGRATE_PROJECT_NOTE,
	MIGRATE_USER,
	MIGRATE_SESSION,
	/* Task lists and supervision, 督办 (schema 6). */
	MIGRATE_TASK_LIST,
	MIGRATE_TASK,
	MIGRATE_TASK_MILESTONE,
	MIGRATE_TASK_REPORT,
	MIGRATE_TASK_NOTE,
	MIGRATE_HOLIDAY, /* the working-day calendar (schema 7) */
	MIGRATE_SERVICE, /* the service catalogue (schema 9) */
	MIGRATE_REQUEST, /* the residents' requests (schema 10) */
	MIGRATE_REQUEST_EVENT,
	MIGRATE_REQUEST_STAT,
	MIGRATE_AUDIT,
	MIGRATE_NTABLES
};

struct migrate_report {
	long copied[MIGRATE_NTABLES]; /* rows read from the source, written */
	long found[MIGRATE_NTABLES];  /* rows the destination holds then */
	long audit_checked;           /* entries of the copied chain: all hold */
	long head_id;                 /* the newest entry, the same in both */
	uint8_t head_hash[SESSION_HASH];
};

/* The table's name as the schema calls it ("area"), and what it holds in
 * Chinese (zh nonzero) or English. */
const char *migrate_table_name(int t);
const char *migrate_table_what(int t, int zh);

/*
 * Copies every table of src into dst in one transaction on dst and proves
 * the copy before it commits.  src is read inside a transaction of its
 * own, so that the copy is of one moment.  Returns CS_OK with *r filled
 * once dst has committed; on an error nothing of the copy stays in dst and
 * cs_errmsg() says why: CS_EEXIST when dst holds any row already,
 * CS_ECONFLICT when the source's audit chain does not hold or the copy
 * does not match it, CS_ESTORE (or another store error) otherwise.
 */
int migrate_copy(struct store *src, struct store *dst,
		 struct migrate_report *r);

#endif
