/*
 * The store: the one interface behind which all SQL lives.  A backend is a
 * table of function pointers (struct store_ops) and a struct that begins with
 * struct store; store_open() picks the backend from the target's form.
 * SQLite (store_sqlite.c) is the default; PostgreSQL implements the same
 * table.
 *
 * Every write happens between begin and commit (or rollback); readers outside
 * a transaction see the last committed state.  Transactions nest: a begin
 * inside a transaction opens an inner one, whose rollback undoes only its
 * own writes and whose commit hands them to the outer one; only the
 * outermost commit makes anything durable.  Callbacks of the scan
 * functions return CS_OK to go on, anything else to stop with that code.
 */
#ifndef CS_STORE_H
#define CS_STORE_H

#include "store/model.h"
#include "store/model_project.h"
#include "store/model_request.h"
#include "store/model_task.h"

#define STORE_CREATE 1   /* create the database if it does not exist */
#define STORE_READONLY 2 /* open for reading only */

struct store;

typedef int (*store_area_fn)(void *ctx, const struct area *a);
typedef int (*store_department_fn)(void *ctx, const struct department *d);
typedef int (*store_indicator_fn)(void *ctx, const struct indicator *ind);
typedef int (*store_series_fn)(void *ctx, const struct series *s);
typedef int (*store_target_fn)(void *ctx, const struct target *t);
typedef int (*store_benchmark_fn)(void *ctx, const struct benchmark *b);
typedef int (*store_change_fn)(void *ctx, const struct value_change *c);
typedef int (*store_user_fn)(void *ctx, const struct user *u);
typedef int (*store_audit_fn)(void *ctx, const struct audit_entry *e);
/* For copying a database whole (civstat migrate). */
typedef int (*store_comment_fn)(void *ctx, int indicator_id, int area_id,
				int month, const char *comment);
typedef int (*store_history_row_fn)(void *ctx, const struct history_row *h);
typedef int (*store_session_fn)(void *ctx, const struct session *s);
typedef int (*store_meta_fn)(void *ctx, const char *key, const char *value);
/* The key-project pipeline (model_project.h). */
typedef int (*store_project_fn)(void *ctx, const struct project *p);
typedef int (*store_plan_fn)(void *ctx, const struct project_plan *p);
typedef int (*store_project_milestone_fn)(void *ctx, const struct milestone *m);
typedef int (*store_report_fn)(void *ctx, const struct project_report *r);
typedef int (*store_phase_fn)(void *ctx, const struct phase_change *c);
typedef int (*store_programme_fn)(void *ctx, const struct programme *p);
typedef int (*store_community_fn)(void *ctx, const struct community *c);
typedef int (*store_project_note_fn)(void *ctx, const struct project_note *n);
/* Task lists (see model_task.h); the strings are the store's, valid
 * during the call. */
typedef int (*store_task_list_fn)(void *ctx, const struct task_list *l);
typedef int (*store_task_fn)(void *ctx, const struct task *t);
typedef int (*store_milestone_fn)(void *ctx, const struct task_milestone *m);
typedef int (*store_task_report_fn)(void *ctx, const struct task_report *r);
typedef int (*store_task_note_fn)(void *ctx, const struct task_note *n);
typedef int (*store_holiday_fn)(void *ctx, const struct holiday *h);
typedef int (*store_service_fn)(void *ctx, const struct service *s);
/* The residents' requests (model_request.h); the strings are the
 * store's, valid during the call. */
typedef int (*store_request_fn)(void *ctx, const struct request *r);
typedef int (*store_request_event_fn)(void *ctx,
				      const struct request_event *e);
typedef int (*store_request_stat_fn)(void *ctx, const struct request_stat *s);

/*
 * What the change feed holds after a sequence number, as feed_poll reads
 * it: every write of a series adds a row (kind FEED_SERIES), every change
 * of the catalog and every bulk transaction one row meaning "read
 * everything again" (FEED_ALL), every transaction that wrote on the
 * key-project pipeline one row meaning "read the pipeline again"
 * (FEED_PROJECTS), each with the node that wrote it.
 */
enum feed_kind { FEED_SERIES = 0, FEED_ALL = 1, FEED_PROJECTS = 2 };
/* A transaction that writes more series than this (an import) writes one
 * FEED_ALL row for the rest: reading everything is cheaper then. */
#define FEED_MAX_SERIES 4096
struct feed_news {
	long top;    /* the newest row's seq, 0 when the feed is empty */
	long bottom; /* the oldest row's seq: older ones were pruned */
	long all;    /* rows after the seq asked for, by other nodes: FEED_ALL */
	long series; /* ... and FEED_SERIES */
	long projects; /* ... and FEED_PROJECTS */
};

struct store_ops {
	const char *name; /* "sqlite", "postgres" */
	void (*close)(struct store *st);
	int (*begin)(struct store *st);
	/* Like begin, for a transaction that writes much (a bulk import):
	 * the backend may write it in a way that is faster for large
	 * transactions.  Same guarantees as begin. */
	int (*begin_bulk)(struct store *st);
	/* In a bulk transaction, an empty table may be loaded without its
	 * indices that check nothing (not UNIQUE), built again at commit:
	 * reads in the transaction go without them.  NULL: the backend
	 * keeps every index at each write. */
	int (*defer_indices)(struct store *st, const char *table);
	int (*commit)(struct store *st);
	int (*rollback)(struct store *st);

	/* Catalog.  put_* inserts or, when a record with the code exists,
	 * updates it; an id of 0 is assigned and written back. */
	int (*put_area)(struct store *st, struct area *a);
	int (*put_department)(struct store *st, struct department *d);
	int (*put_indicator)(struct store *st, struct indicator *ind);
	int (*scan_areas)(struct store *st, store_area_fn fn, void *ctx);
	int (*scan_departments)(struct store *st, store_department_fn fn,
				void *ctx);
	int (*scan_indicators)(struct store *st, store_indicator_fn fn,
			       void *ctx);

	/* Figures, a series at a time.  get_series fills *out with arrays
	 * the caller frees with series_release(); CS_ENOTFOUND when the
	 * series has never been written. */
	int (*get_series)(struct store *st, int indicator_id, int area_id,
			  struct series *out);
	int (*put_series)(struct store *st, const struct series *s);
	int (*scan_series)(struct store *st, store_series_fn fn, void *ctx);
	int (*put_comment)(struct store *st, int indicator_id, int area_id,
			   int month, const char *comment);
	/* *out is a malloc'd string the caller frees, or NULL. */
	int (*get_comment)(struct store *st, int indicator_id, int area_id,
			   int month, char **out);

	/* The scans of targets and benchmarks call fn in the order of their
	 * keys (indicator, area or group, year or month, kind, measure), the
	 * same on every backend: the API pages and exports in that order. */
	int (*put_target)(struct store *st, const struct target *t);
	int (*scan_targets)(struct store *st, store_target_fn fn, void *ctx);
	int (*put_benchmark)(struct store *st, const struct benchmark *b);
	int (*scan_benchmarks)(struct store *st, store_benchmark_fn fn,
			       void *ctx);

	/* History.  add_change records who did what now and returns its id;
	 * add_history records one figure's before and after under it. */
	int (*add_change)(struct store *st, const char *actor,
			  const char *what, long *id);
	int (*add_history)(struct store *st, int indicator_id, int area_id,
			   int month, const struct value_change *c);
	/* The history rows of one figure, oldest first, as add_history
	 * wrote them (store_scan_history adds the change that first set
	 * it); get_change calls fn once with change id's at, actor and
	 * what (the rest zero), or not at all when there is no such id. */
	int (*scan_history)(struct store *st, int indicator_id, int area_id,
			    int month, store_change_fn fn, void *ctx);
	int (*get_change)(struct store *st, long id, store_change_fn fn,
			  void *ctx);

	/* Accounts.  put_user inserts or, by name, updates (id written
	 * back); get_user finds by name, or by id when name is NULL, and
	 * fills *out with strings the caller frees with user_release(). */
	int (*put_user)(struct store *st, struct user *u);
	int (*get_user)(struct store *st, const char *name, int id,
			struct user *out);
	int (*scan_users)(struct store *st, store_user_fn fn, void *ctx);
	/* Sessions and API tokens, by the hash of their token.  get_session
	 * fills *out (label malloc'd: session_release()); CS_ENOTFOUND. */
	int (*put_session)(struct store *st, const struct session *s);
	int (*get_session)(struct store *st, const uint8_t *hash,
			   struct session *out);
	int (*touch_session)(struct store *st, const uint8_t *hash,
			     long last_seen);
	int (*delete_session)(struct store *st, const uint8_t *hash);
	int (*delete_user_sessions)(struct store *st, int user_id);

	/* The audit trail.  last_audit gives the newest entry's id and hash
	 * (0 and zeros when empty); add_audit appends e (id written back);
	 * scan_audit visits entries with id >= from, oldest first, at most
	 * limit (0: all). */
	int (*last_audit)(struct store *st, long *id, uint8_t *hash);
	int (*add_audit)(struct store *st, struct audit_entry *e);
	int (*scan_audit)(struct store *st, long from, long limit,
			  store_audit_fn fn, void *ctx);

	/* The change feed.  Writes add its rows themselves (see feed_news);
	 * feed_poll tells what other nodes than node wrote after seq
	 * after; feed_series calls fn with each series they wrote in
	 * (after, upto], as it is now; feed_wait returns when a change may
	 * have been committed (PostgreSQL: a NOTIFY; SQLite: the file
	 * changed) or after ms; feed_prune drops rows older than the
	 * newest keep ones, never the newest. */
	int (*feed_poll)(struct store *st, long after, const char *node,
			 struct feed_news *out);
	int (*feed_series)(struct store *st, long after, long upto,
			   const char *node, store_series_fn fn, void *ctx);
	int (*feed_wait)(struct store *st, int ms);
	int (*feed_prune)(struct store *st, long keep);

	/* Settings: *out is malloc'd, NULL when unset. */
	int (*get_meta)(struct store *st, const char *key, char **out);
	int (*set_meta)(struct store *st, const char *key, const char *value);

	/* ---- Copying a database whole (civstat migrate) ----
	 * The scans read every row of a table as it is stored; the copy_*
	 * write a row back as it was read, its id, times and hashes
	 * included, where add_change, add_history, put_user and add_audit
	 * would make their own.  Meant for an empty database, inside one
	 * transaction: a copied id that exists already is an error.  The
	 * other tables copy with their scan_* and put_* above. */
	int (*scan_comments)(struct store *st, store_comment_fn fn, void *ctx);
	/* Every change, by id: change_id, at, actor, what (the rest zero). */
	int (*scan_changes)(struct store *st, store_change_fn fn, void *ctx);
	int (*copy_change)(struct store *st, const struct value_change *c);
	/* Every history row of every figure, by id. */
	int (*scan_history_rows)(struct store *st, store_history_row_fn fn,
				 void *ctx);
	int (*copy_history_row)(struct store *st, const struct history_row *h);
	/* A user as scan_users reads it: id, password hash, created. */
	int (*copy_user)(struct store *st, const struct user *u);
	/* Every session and API token (put_session writes one back). */
	int (*scan_sessions)(struct store *st, store_session_fn fn, void *ctx);
	/* Every setting (set_meta writes one back). */
	int (*scan_meta)(struct store *st, store_meta_fn fn, void *ctx);
	/* An audit entry as scan_audit reads it: id, prev_hash, hash. */
	int (*copy_audit)(struct store *st, const struct audit_entry *e);

	/* ---- The key-project pipeline (项目为王, schema 5) ----
	 * put_project and put_programme insert or, by code, update (id
	 * written back; an id of 0 is assigned); the other put_* insert or
	 * replace by their keys: plan (project, year), milestone (project,
	 * name), report (project, month), community (programme, name).
	 * add_phase_change appends (id written back).  A report's and a
	 * phase change's at, and a phase change's id, are the store's clock
	 * and next id unless given (civstat migrate gives them).  Every scan visits all rows in the order of their
	 * keys (projects and programmes by id), the same on every backend. */
	int (*put_project)(struct store *st, struct project *p);
	int (*scan_projects)(struct store *st, store_project_fn fn, void *ctx);
	int (*put_project_plan)(struct store *st, const struct project_plan *p);
	int (*scan_project_plans)(struct store *st, store_plan_fn fn,
				  void *ctx);
	int (*put_milestone)(struct store *st, const struct milestone *m);
	int (*scan_milestones)(struct store *st, store_project_milestone_fn fn,
			       void *ctx);
	int (*put_project_report)(struct store *st,
				  const struct project_report *r);
	int (*scan_project_reports)(struct store *st, store_report_fn fn,
				    void *ctx);
	/* The reports of one project, by month. */
	int (*scan_project_reports_of)(struct store *st, int project_id,
				       store_report_fn fn, void *ctx);
	int (*add_phase_change)(struct store *st, struct phase_change *c);
	int (*scan_phase_changes)(struct store *st, store_phase_fn fn,
				  void *ctx);
	int (*put_programme)(struct store *st, struct programme *p);
	int (*scan_programmes)(struct store *st, store_programme_fn fn,
			       void *ctx);
	int (*put_community)(struct store *st, const struct community *c);
	int (*scan_communities)(struct store *st, store_community_fn fn,
				void *ctx);
	/* 督办 notes on projects (schema 7), as put_task_note and
	 * scan_task_notes: a project id or 0 for all, in id order. */
	int (*put_project_note)(struct store *st, struct project_note *n);
	int (*scan_project_notes)(struct store *st, int project_id,
				  store_project_note_fn fn, void *ctx);
	/* ---- Task lists and supervision, 督办 (schema 6) ----
	 * put_task_list and put_task insert or, when one with the code
	 * exists, update it; an id of 0 is assigned and written back (the
	 * copy of a database keeps the ids given).  get_task calls fn once
	 * with the task of that code, or returns CS_ENOTFOUND.  The scans
	 * take a task (or list) id, 0 for all, and go in id order (lists,
	 * tasks, reports, notes) or task and seq (milestones).
	 * put_task_milestone inserts or replaces by task and seq;
	 * add_task_report appends and put_task_note inserts or, by id,
	 * updates the answer; both keep an id given and write back the one
	 * they assign for 0. */
	int (*put_task_list)(struct store *st, struct task_list *l);
	int (*scan_task_lists)(struct store *st, store_task_list_fn fn,
			       void *ctx);
	int (*put_task)(struct store *st, struct task *t);
	int (*get_task)(struct store *st, const char *code, store_task_fn fn,
			void *ctx);
	int (*scan_tasks)(struct store *st, int list_id, store_task_fn fn,
			  void *ctx);
	int (*put_task_milestone)(struct store *st,
				  const struct task_milestone *m);
	int (*scan_task_milestones)(struct store *st, int task_id,
				    store_milestone_fn fn, void *ctx);
	int (*add_task_report)(struct store *st, struct task_report *r);
	int (*scan_task_reports)(struct store *st, int task_id,
				 store_task_report_fn fn, void *ctx);
	int (*put_task_note)(struct store *st, struct task_note *n);
	int (*scan_task_notes)(struct store *st, int task_id,
			       store_task_note_fn fn, void *ctx);
	/* ---- The working-day calendar (schema 7) ----
	 * put_holiday inserts the day or, when the date is there, replaces
	 * it; scan_holidays visits every day in date order. */
	int (*put_holiday)(struct store *st, const struct holiday *h);
	int (*scan_holidays)(struct store *st, store_holiday_fn fn, void *ctx);
	/* ---- The service catalogue (schema 9) ----
	 * put_service inserts the service or, when the code is there,
	 * replaces it; scan_services visits every one in code order. */
	int (*put_service)(struct store *st, const struct service *s);
	int (*scan_services)(struct store *st, store_service_fn fn, void *ctx);
	/* ---- The residents' requests, 急难愁盼 (schema 10) ----
	 * put_request inserts r when r->id is 0 (the id is assigned and
	 * written back) and otherwise writes it over the request of that
	 * id, or inserts it with that id (a copy); a ref or token that
	 * another request has is CS_ECONFLICT.  get_request finds by id,
	 * or by token when token is not NULL, and fills *out with malloc'd
	 * strings (request_release); CS_ENOTFOUND.  scan_requests calls fn
	 * with the requests f selects in its order and counts them all,
	 * before limit and offset, in *total (may be NULL).
	 * add_request_event appends (id written back, kept when given);
	 * scan_request_events visits one request's events (0: every one)
	 * in id order.  add_request_stat adds d's counts to its row,
	 * making it when missing; sum_request_stats calls fn with the sums
	 * q asks for, in the order of their key. */
	int (*put_request)(struct store *st, struct request *r);
	int (*get_request)(struct store *st, long id, const char *token,
			   struct request *out);
	int (*scan_requests)(struct store *st, const struct request_filter *f,
			     store_request_fn fn, void *ctx, long *total);
	int (*add_request_event)(struct store *st, struct request_event *e);
	/* Appends the n events at e, new ids not written back, in as few
	 * statements as the backend can.  NULL: add_request_event each. */
	int (*add_request_events)(struct store *st,
				  const struct request_event *e, int n);
	int (*scan_request_events)(struct store *st, long request_id,
				   store_request_event_fn fn, void *ctx);
	int (*add_request_stat)(struct store *st, const struct request_stat *d);
	int (*sum_request_stats)(struct store *st,
				 const struct request_stat_query *q,
				 store_request_stat_fn fn, void *ctx);
};

struct store {
	const struct store_ops *ops;
	char *target; /* what was opened: a file name or a URL */
};

/*
 * Opens the store at target: a file name or "sqlite:FILE" for SQLite, a
 * URL postgres://... or postgresql://... (libpq's form) for PostgreSQL.
 * flags: STORE_CREATE, STORE_READONLY.  On success *pp is the store, closed
 * with store_close(); on error *pp is untouched and cs_errmsg() says why.
 */
int store_open(const char *target, int flags, struct store **pp);
void store_close(struct store *st);

/* Allocates the arrays of a series of n slots, all empty (NaN, 0, 0). */
int series_init(struct series *s, int indicator_id, int area_id,
		int first_month, int n);
/* Frees the arrays of s; s may be released twice. */
void series_release(struct series *s);
/*
 * Grows s so that it covers months lo..hi inclusive, keeping its figures.
 */
int series_cover(struct series *s, int lo, int hi);

/*
 * This process's name in the change feed: 16 random hex digits, made once,
 * so that a node can tell its own writes from the others'.
 */
const char *store_node(void);

/* Frees the strings of a user or a session read from the store. */
void user_release(struct user *u);
void session_release(struct session *s);

/* The backends. */
int store_sqlite_open(const char *file, int flags, struct store **pp);
int store_pg_open(const char *url, int flags, struct store **pp);

/*
 * Every change of one figure, oldest first, including the change that
 * first set it: an import that adds a figure writes no history row, so the
 * first row's prev_change (or, with no rows, the figure's own change)
 * names it.  The same for every backend.
 */
int store_scan_history(struct store *st, int indicator_id, int area_id,
		       int month, store_change_fn fn, void *ctx);

#endif
