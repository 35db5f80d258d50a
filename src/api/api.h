/*
 * The HTTP JSON API: the server state, one request's context, the route
 * table and the helpers handlers answer with.  Everything under /api/v1/
 * goes through api_route(); every route names the least role it needs.
 */
#ifndef CS_API_H
#define CS_API_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "domain/auth.h"
#include "domain/civstat.h"
#include "domain/out.h"

#define API_MAX_BODY (1u << 20)         /* a JSON body */
#define API_MAX_UPLOAD (512u << 20)     /* an imported file */
#define API_MAX_PARAMS 4                /* {name} parts of a path */
#define API_COOKIE "civstat_session"
#define API_READERS 4                   /* connections that only read */
#define API_MAX_STREAMS 256             /* open GET /events streams */
#define API_PING_SECONDS 20             /* an event stream's heartbeat,
					   below the connections' timeout */

struct api {
	struct civstat *cs;
	pthread_rwlock_t lock;   /* readers of the cube, or one writer */
	pthread_mutex_t store;   /* the store's one connection */
	const char *static_dir;  /* the web UI's files, or NULL */
	const char *upload_dir;  /* where uploads are spooled */
	struct MHD_Daemon *daemon;
	FILE *access_log;        /* one JSON line per request */
	atomic_long requests, errors_4xx, errors_5xx;
	atomic_long next_id;
	atomic_long version;     /* bumped by every write: cached answers
				    of an older version are never served */
	struct api_cache *cache; /* public answers, by URL */
	struct api_events *events; /* the open GET /events streams */
	long started;            /* Unix time */
	/* Figure writes wait here for the committer thread, which runs
	 * all that are waiting in one transaction (api_defer). */
	pthread_mutex_t queue_mu;
	pthread_cond_t queue_cv;
	struct req *queue, **queue_end;
	int committing;          /* the committer runs */
	atomic_long groups, grouped; /* groups committed, writes in them */
	int stopping;            /* SIGTERM: finish the queue, then stop */
	pthread_t committer;
	/* Connections of their own for reading sessions, so that signing a
	 * request in never waits for the writer's commit (api_reader). */
	struct store *reader[API_READERS];
	pthread_mutex_t reader_mu[API_READERS];
	atomic_uint next_reader;
	/* The change feed's follower (follow.c): what other processes
	 * write to the store reaches the cube. */
	pthread_t follower;
	atomic_int following;
	atomic_long feed_seq;     /* the feed's row last applied */
	atomic_long feed_series;  /* series read from it */
	atomic_long feed_reloads; /* times everything was read again */
	/* The residents' submissions: rate limits and moderation words
	 * (ratelimit.c). */
	struct api_limits *limits;
};

/* One request, from its first byte to its answer. */
struct req {
	struct api *api;
	struct MHD_Connection *conn;
	const char *method, *url;
	char id[24];             /* request id: X-Request-Id */
	char *body;              /* a JSON body, NUL-terminated */
	size_t n_body;
	int too_big;             /* the body went over its cap */
	FILE *upload;            /* an import's body, spooled to a file */
	char *upload_path;
	struct auth who;         /* the caller; role public when anonymous */
	const char *params[API_MAX_PARAMS]; /* the path's {name} parts */
	char path_copy[512];
	int status;
	double t0;
	int answered;
	int cacheable;           /* a public GET: keep the answer */
	const char *allow;       /* methods for a 405's Allow header */
	long version;            /* the data version it is made at */
	char etag[24];           /* its answer's, when known before */
	const char *attachment;  /* a download's file name, or NULL */
	/* A deferred write (api_defer): its handler, the next in the
	 * queue, and its answer, held until its group commits. */
	enum MHD_Result (*deferred)(struct req *r);
	struct req *next;
	int hold;
	struct MHD_Response *held;
	/* What a handler parsed before deferring, freed with data_free
	 * once the request is done. */
	void *data;
	void (*data_free)(void *);
	int retry_after;         /* a 429's Retry-After, seconds */
};

typedef enum MHD_Result (*api_handler)(struct req *r);

struct route {
	const char *method;
	const char *pattern; /* /api/v1/values/{id}: {x} matches one part */
	api_handler fn;
	int role;            /* the least enum role it needs */
	int write;           /* takes the write lock and checks CSRF */
	const char *summary; /* for the OpenAPI document */
	const char *params;  /* query parameters, "name" or "name!" when
				required, separated by blanks */
	const char *body;    /* "figures", "login", "file", or NULL */
};

extern const struct route api_routes[];
extern const int api_nroutes;

/*
 * Matches url against a route pattern: {x} matches one path part, copied
 * NUL-terminated into buf (cap bytes) and pointed at by params[k], at most
 * API_MAX_PARAMS.  Returns nonzero and sets *nparams on a match.
 */
int api_match(const char *pattern, const char *url, char *buf, size_t cap,
	      const char **params, int *nparams);

/*
 * The body of POST /values and /values/{step}: {"figures": [{"indicator",
 * "area", "period", "value", "comment"}], "reason": ...}.  Takes step on
 * each figure as who, in order, each its own audited transaction; stops at
 * the first refused, which *done counts the figures before.  On error
 * cs_errmsg() names the figure and *field the parameter.
 */
int api_figures(struct civstat *cs, const struct auth *who, int step,
		const char *body, size_t n, int *done, const char **field);

/*
 * Before an upload's body is read: answers 401 or 403 at once (so nobody
 * fills the spool who may not import) and returns nonzero, or returns 0.
 */
int api_refuse_upload(struct req *r, enum MHD_Result *ret);

/* Dispatches r to its route, after authentication and the role check. */
enum MHD_Result api_route(struct req *r);

/*
 * Runs the figure write fn(r) on the committer thread, in one transaction
 * with the other writes waiting, and answers once that commits: so one
 * fsync makes a whole group durable and no pool thread waits for a disk.
 * The connection is suspended meanwhile.
 */
enum MHD_Result api_defer(struct req *r, enum MHD_Result (*fn)(struct req *));

/* Answers: JSON (takes the reference of j), an error, text, a table. */
enum MHD_Result api_json(struct req *r, int status, json_t *j);
enum MHD_Result api_error(struct req *r, int rc, const char *field,
			  const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
enum MHD_Result api_fail(struct req *r, int rc); /* with cs_errmsg() */
enum MHD_Result api_text(struct req *r, int status, const char *type,
			 char *text, size_t n); /* frees text */
enum MHD_Result api_table(struct req *r, struct out_table *t);

/*
 * The cache of public answers: a read that anybody may make is kept by its
 * URL with the data version it was made at, and served again until a
 * write moves the version on.  So repeated dashboard questions cost a
 * copy, and no answer is ever stale.
 */
struct api_cache *api_cache_new(void);
void api_cache_free(struct api_cache *c);
/* Answers r from the cache when it holds r's URL at the current version;
 * returns 0 when it does not. */
int api_cache_answer(struct req *r, enum MHD_Result *ret);

/* limit and offset of a list (?limit, ?offset); -1 after answering 400. */
int api_page(struct req *r, long *limit, long *offset);
/* Answers {"items", "total", "limit", "offset"}; takes items. */
enum MHD_Result api_list(struct req *r, json_t *items, long total,
			 long limit, long offset);

/*
 * The routes of the key-project pipeline and of the task lists
 * (pipeline.c), in the table of routes.c.
 */
enum MHD_Result api_get_projects(struct req *r);
enum MHD_Result api_get_project(struct req *r);
enum MHD_Result api_get_projects_summary(struct req *r);
enum MHD_Result api_post_project_report(struct req *r);
enum MHD_Result api_post_project_phase(struct req *r);
enum MHD_Result api_post_project_note(struct req *r);
enum MHD_Result api_post_project_answer(struct req *r);
enum MHD_Result api_get_project_notes(struct req *r);
enum MHD_Result api_get_programmes(struct req *r);
enum MHD_Result api_get_task_lists(struct req *r);
enum MHD_Result api_get_tasks(struct req *r);
enum MHD_Result api_get_task(struct req *r);
enum MHD_Result api_get_tasks_summary(struct req *r);
enum MHD_Result api_post_task_report(struct req *r);
enum MHD_Result api_post_task_status(struct req *r);
enum MHD_Result api_post_task_note(struct req *r);
enum MHD_Result api_post_task_answer(struct req *r);
enum MHD_Result api_post_projects(struct req *r);
enum MHD_Result api_post_project(struct req *r);
enum MHD_Result api_post_project_plan(struct req *r);
enum MHD_Result api_post_project_milestone(struct req *r);
enum MHD_Result api_post_programmes(struct req *r);
enum MHD_Result api_post_programme_community(struct req *r);
enum MHD_Result api_post_task_lists(struct req *r);
/* The working-day calendar (calendar.c). */
enum MHD_Result api_get_holidays(struct req *r);
enum MHD_Result api_post_holidays(struct req *r);
enum MHD_Result api_open311_services(struct req *r);
enum MHD_Result api_open311_discovery(struct req *r);
/* Under /open311/, no route for the path: the spec's 404 error list. */
enum MHD_Result api_open311_not_found(struct req *r);
enum MHD_Result api_post_tasks(struct req *r);
enum MHD_Result api_post_task(struct req *r);
enum MHD_Result api_post_task_milestone(struct req *r);
enum MHD_Result api_get_task_notes_csv(struct req *r);

/*
 * The day, months and tolerance a pipeline read judges on (?today,
 * ?period, ?tolerance, as GET /projects reads them) into w, day holding
 * its date; -1 after answering 400 (pipeline.c).
 */
struct project_book;
struct project_when;
int api_project_when(struct req *r, const struct project_book *b,
		     char day[11], struct project_when *w);
/* GET /projects/export: the project table as OC4IDS, CSV or XLSX
 * (pipeline_export.c). */
enum MHD_Result api_get_projects_export(struct req *r);

/* A query-string argument, or NULL. */
const char *api_arg(struct req *r, const char *name);
/* The Host header when it is a plain host name (an address written back
 * in an answer goes only to who sent it), else "localhost". */
const char *api_host(struct req *r);
/* Nonzero when r sees only the indicators shown to the public. */
int api_public_view(struct req *r);
/* The JSON body, parsed; NULL after answering 400 itself. */
json_t *api_body(struct req *r);
/*
 * The JSON body with *list its member name, a list of 1 to max items
 * (what the message calls them); the caller decrefs the body.  NULL after
 * answering 400 naming name.
 */
json_t *api_body_list(struct req *r, const char *name, size_t max,
		      const char *items, json_t **list);
/*
 * A write of a handler under LOCK_NONE: the store's connection, acting as
 * the caller, until api_write_end; with changed, the data version moves
 * on (no cached public answer is served again) and the event streams
 * hear of it.
 */
void api_write_begin(struct req *r);
void api_write_end(struct req *r, int changed);
/* Answers {"items", "total"} (takes items), or rc's failure when rc. */
enum MHD_Result api_items(struct req *r, int rc, json_t *items);
/* Answers a put of n items: {"stored": n}, or rc's failure, naming field
 * when it is CS_EINVAL. */
enum MHD_Result api_stored(struct req *r, int rc, const char *field,
			   size_t n);
/*
 * Points *at[f] at the text member names[f] of o ("" when absent), for n
 * names; CS_EINVAL when one is not text, with "list[k].name" in field
 * (cap bytes) and cs_errmsg().
 */
int api_texts(json_t *o, const char *const *names, const char **const *at,
	      int n, const char *list, size_t k, char *field, size_t cap);

/* One of the reading connections, locked: release it with
 * api_reader_done; NULL when there are none. */
struct store *api_reader(struct api *api, int *k);
void api_reader_done(struct api *api, int k);

/*
 * The event streams of GET /api/v1/events (events.c).  api_events_new
 * starts the heartbeat thread; NULL when it cannot.  api_events_notify
 * wakes every stream after the data version moved; api_events_catalog,
 * called under the cube's write lock before a catalog write moves the
 * version to version, makes the streams tell it as "catalog".
 * api_events_stop ends every stream and waits (2 s at most) for them to
 * close, as MHD_stop_daemon needs no connection suspended; the streams
 * opened after it are refused.  api_events_free stops, then frees.
 */
struct api_events *api_events_new(struct api *api);
void api_events_notify(struct api_events *ev);
void api_events_catalog(struct api_events *ev, long version);
void api_events_stop(struct api_events *ev);
void api_events_free(struct api_events *ev);
/* GET /api/v1/events: the stream, or 503 when API_MAX_STREAMS are open. */
enum MHD_Result api_events_stream(struct req *r);

/* The change feed's follower: started once the committer runs, stopped
 * before it (follow.c). */
int api_follow_start(struct api *api);
void api_follow_stop(struct api *api);

/*
 * The residents' requests: the service catalogue (services.c), intake,
 * the staff's queue, a request and its timeline, the follow page by
 * token, the workflow's steps, bulk dispatch and the rates (requests.c),
 * and their settings (request_settings.c).
 */
enum MHD_Result api_get_services(struct req *r);
enum MHD_Result api_post_services(struct req *r);
enum MHD_Result api_post_requests(struct req *r);
enum MHD_Result api_get_requests(struct req *r);
enum MHD_Result api_get_request(struct req *r);
enum MHD_Result api_get_request_track(struct req *r);
enum MHD_Result api_post_request_step(struct req *r);
enum MHD_Result api_post_requests_dispatch(struct req *r);
enum MHD_Result api_get_requests_stats(struct req *r);
enum MHD_Result api_get_request_settings(struct req *r);
enum MHD_Result api_post_request_settings(struct req *r);
/* Open311 GeoReport v2's requests (open311.c). */
enum MHD_Result api_open311_service(struct req *r);
enum MHD_Result api_open311_post_requests(struct req *r);
enum MHD_Result api_open311_get_requests(struct req *r);
enum MHD_Result api_open311_get_request(struct req *r);
enum MHD_Result api_open311_token(struct req *r);

/* Runs the server until SIGTERM or SIGINT. */
int api_serve(struct civstat *cs, const char *listen, const char *static_dir);

#endif
