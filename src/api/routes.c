/*
 * The route table of the HTTP API and its handlers.  api_route() finds the
 * route, authenticates the caller (API token, or session cookie with its
 * CSRF token on writes), checks the route's least role, takes the lock the
 * route needs, and calls the handler.  Handlers reach the domain through
 * the same functions as the CLI.
 */
#include "api/api.h"

#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analytics/analytics.h"
#include "core/err.h"
#include "core/period.h"
#include "core/secret.h"
#include "domain/audit.h"
#include "domain/brief.h"
#include "domain/export.h"
#include "domain/import.h"
#include "domain/question.h"
#include "domain/values.h"
#include "domain/workflow.h"

#define PAGE_DEFAULT 100
#define PAGE_MAX 1000
#define BATCH_MAX 10000 /* figures in one write */

/* ---- helpers ---------------------------------------------------------- */

/* limit and offset of a list; -1 after answering 400. */
static int page(struct req *r, long *limit, long *offset)
{
	const char *l = api_arg(r, "limit"), *o = api_arg(r, "offset");
	char *end;
	*limit = PAGE_DEFAULT;
	*offset = 0;
	if (l && ((*limit = strtol(l, &end, 10)) < 1 || *limit > PAGE_MAX ||
		  *end)) {
		api_error(r, CS_EINVAL, "limit", "limit: 1 to %d", PAGE_MAX);
		return -1;
	}
	if (o && ((*offset = strtol(o, &end, 10)) < 0 || *end)) {
		api_error(r, CS_EINVAL, "offset", "offset: 0 or more");
		return -1;
	}
	return 0;
}

int api_page(struct req *r, long *limit, long *offset)
{
	return page(r, limit, offset);
}

/* {"items": [...], "total": n, "limit": l, "offset": o} */
static enum MHD_Result list(struct req *r, json_t *items, long total,
			    long limit, long offset)
{
	return api_json(r, 200,
			json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total",
				  (json_int_t)total, "limit",
				  (json_int_t)limit, "offset",
				  (json_int_t)offset));
}

enum MHD_Result api_list(struct req *r, json_t *items, long total,
			 long limit, long offset)
{
	return list(r, items, total, limit, offset);
}

static json_t *num(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

/*
 * Nonzero when the caller sees only the indicators shown to the public:
 * anybody not signed in as staff, or staff asking with ?public (the 公开
 * page).  The rest of the catalogue is the government's own.
 */
int api_public_view(struct req *r)
{
	return r->who.role == ROLE_PUBLIC || api_arg(r, "public") != NULL;
}

/* The question in the query string, as the CLI reads it in its options. */
static enum MHD_Result ask(struct req *r, question_fn fn, int level)
{
	const char *lv = api_arg(r, "level"), *tol = api_arg(r, "tolerance");
	struct question_args qa = {
		.period = api_arg(r, "period"),
		.area = api_arg(r, "area"),
		.children = api_arg(r, "children"),
		.level = lv ? atoi(lv) : 0,
		.indicator = api_arg(r, "indicator"),
		.assessed = api_arg(r, "assessed") != NULL,
		.published_only = api_public_view(r),
		.from = api_arg(r, "from"),
		.to = api_arg(r, "to"),
		.tolerance = tol ? atof(tol) : ANALYTICS_TOLERANCE,
		.mom = api_arg(r, "mom") != NULL,
		.en_names = api_arg(r, "lang") && !strcmp(api_arg(r, "lang"),
							  "en"),
	};
	if (!qa.level && !qa.area && !qa.children)
		qa.level = level;
	if (qa.tolerance < 0 || qa.tolerance >= 1)
		return api_error(r, CS_EINVAL, "tolerance",
				 "tolerance: between 0 and 1");
	struct question q;
	struct out_table t = {0};
	int rc = question_init(&q, r->api->cs, &qa);
	if (rc)
		return api_fail(r, rc);
	rc = fn(r->api->cs, &q, &t);
	question_release(&q);
	if (rc) {
		out_release(&t);
		return api_fail(r, rc);
	}
	return api_table(r, &t);
}

/* ---- health, metrics, documentation ----------------------------------- */

static enum MHD_Result get_healthz(struct req *r)
{
	return api_json(r, 200,
			json_pack("{s:s,s:I}", "status", "ok", "figures",
				  (json_int_t)r->api->cs->cube.n_values));
}

static enum MHD_Result get_metrics(struct req *r)
{
	struct api *a = r->api;
	char *text = NULL;
	if (asprintf(&text,
		     "# HELP civstat_requests_total Requests answered.\n"
		     "# TYPE civstat_requests_total counter\n"
		     "civstat_requests_total %ld\n"
		     "# HELP civstat_errors_total Answers by class of error.\n"
		     "# TYPE civstat_errors_total counter\n"
		     "civstat_errors_total{class=\"4xx\"} %ld\n"
		     "civstat_errors_total{class=\"5xx\"} %ld\n"
		     "# HELP civstat_figures Figures held.\n"
		     "# TYPE civstat_figures gauge\n"
		     "civstat_figures %ld\n"
		     "# HELP civstat_start_time_seconds Start, Unix time.\n"
		     "# TYPE civstat_start_time_seconds gauge\n"
		     "civstat_start_time_seconds %ld\n"
		     "# HELP civstat_commits_total Commits of groups of "
		     "figure writes.\n"
		     "# TYPE civstat_commits_total counter\n"
		     "civstat_commits_total %ld\n"
		     "# HELP civstat_grouped_writes_total Figure writes "
		     "committed in groups.\n"
		     "# TYPE civstat_grouped_writes_total counter\n"
		     "civstat_grouped_writes_total %ld\n"
		     "# HELP civstat_feed_seq The change feed's row last "
		     "applied.\n"
		     "# TYPE civstat_feed_seq gauge\n"
		     "civstat_feed_seq %ld\n"
		     "# HELP civstat_feed_series_total Series other "
		     "processes wrote, read again.\n"
		     "# TYPE civstat_feed_series_total counter\n"
		     "civstat_feed_series_total %ld\n"
		     "# HELP civstat_feed_reloads_total Times everything "
		     "was read again.\n"
		     "# TYPE civstat_feed_reloads_total counter\n"
		     "civstat_feed_reloads_total %ld\n",
		     atomic_load(&a->requests), atomic_load(&a->errors_4xx),
		     atomic_load(&a->errors_5xx), a->cs->cube.n_values,
		     a->started, atomic_load(&a->groups),
		     atomic_load(&a->grouped), atomic_load(&a->feed_seq),
		     atomic_load(&a->feed_series),
		     atomic_load(&a->feed_reloads)) < 0)
		return api_error(r, CS_ENOMEM, NULL, "out of memory");
	return api_text(r, 200, "text/plain; version=0.0.4", text,
			strlen(text));
}

static enum MHD_Result get_openapi(struct req *r);

/* ---- accounts --------------------------------------------------------- */

static json_t *who_json(const struct auth *w)
{
	return json_pack("{s:s,s:s,s:s,s:i,s:i}", "name", w->name, "role",
			 role_name(w->role), "role_zh", role_name_zh(w->role),
			 "department_id", w->department_id, "area_id",
			 w->area_id);
}

static enum MHD_Result post_login(struct req *r)
{
	json_t *b = api_body(r);
	const char *name = NULL, *password = NULL;
	char token[AUTH_TOKEN_HEX], cookie[256];
	struct auth who;
	if (!b)
		return MHD_YES;
	if (json_unpack(b, "{s:s,s:s}", "name", &name, "password",
			&password)) {
		json_decref(b);
		return api_error(r, CS_EINVAL, "name",
				 "give name and password");
	}
	pthread_mutex_lock(&r->api->store);
	r->api->cs->actor = name;
	r->api->cs->request_id = r->id;
	int rc = auth_login(r->api->cs, name, password, (long)time(NULL),
			    token, &who);
	r->api->cs->actor = "server";
	r->api->cs->request_id = NULL;
	pthread_mutex_unlock(&r->api->store);
	json_decref(b);
	if (rc)
		return api_fail(r, rc);
	snprintf(cookie, sizeof cookie,
		 API_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; "
			    "Max-Age=%d",
		 token, AUTH_SESSION_SECONDS);
	json_t *j = json_pack("{s:o,s:s}", "user", who_json(&who), "csrf",
			      who.csrf);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		strlen(text), text, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Set-Cookie", cookie);
	MHD_add_response_header(resp, "Content-Type",
				"application/json; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Request-Id", r->id);
	enum MHD_Result ret = MHD_queue_response(r->conn, 200, resp);
	MHD_destroy_response(resp);
	r->status = 200;
	r->answered = 1;
	return ret;
}

/* The caller's token: Bearer, else the session cookie; NULL when none. */
static const char *token_of(struct req *r, int *bearer)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						    "Authorization");
	*bearer = h && !strncmp(h, "Bearer ", 7);
	if (*bearer)
		return h + 7;
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
					   API_COOKIE);
}

static enum MHD_Result post_logout(struct req *r)
{
	int bearer;
	const char *token = token_of(r, &bearer);
	if (!token || !r->who.user_id)
		return api_error(r, CS_EAUTH, NULL, "not signed in");
	pthread_mutex_lock(&r->api->store);
	int rc = auth_logout(r->api->cs, token);
	pthread_mutex_unlock(&r->api->store);
	if (rc)
		return api_fail(r, rc);
	return api_json(r, 200, json_pack("{s:b}", "ok", 1));
}

/* Who is asking; a cookie session also gets its CSRF token back, so a
 * reloaded page can write again without signing in anew. */
static enum MHD_Result get_me(struct req *r)
{
	return api_json(r, 200,
			json_pack("{s:o,s:s*}", "user", who_json(&r->who),
				  "csrf",
				  r->who.user_id && r->who.kind == SESSION_COOKIE
					  ? r->who.csrf
					  : NULL));
}

/* ---- the catalog ------------------------------------------------------ */

static enum MHD_Result get_areas(struct req *r)
{
	const struct catalog *cat = &r->api->cs->cat;
	long limit, offset;
	if (page(r, &limit, &offset))
		return MHD_YES;
	json_t *items = json_array();
	for (long k = offset; k < cat->n_areas && k < offset + limit; k++) {
		const struct area *a = &cat->areas[k];
		int p = cat->parent[k];
		json_array_append_new(
			items,
			json_pack("{s:i,s:s,s:s,s:s,s:s?,s:i,s:s}", "id", a->id,
				  "code", a->code, "name", a->name, "name_en",
				  a->name_en, "parent",
				  p >= 0 ? cat->areas[p].code : NULL, "level",
				  a->level, "kind",
				  a->kind == AREA_ZONE ? "zone" : "admin"));
	}
	return list(r, items, cat->n_areas, limit, offset);
}

static enum MHD_Result get_departments(struct req *r)
{
	const struct catalog *cat = &r->api->cs->cat;
	long limit, offset;
	if (page(r, &limit, &offset))
		return MHD_YES;
	json_t *items = json_array();
	for (long k = offset; k < cat->n_depts && k < offset + limit; k++)
		json_array_append_new(
			items, json_pack("{s:i,s:s,s:s,s:s}", "id",
					 cat->depts[k].id, "code",
					 cat->depts[k].code, "name",
					 cat->depts[k].name, "name_en",
					 cat->depts[k].name_en));
	return list(r, items, cat->n_depts, limit, offset);
}

static enum MHD_Result get_indicators(struct req *r)
{
	const struct catalog *cat = &r->api->cs->cat;
	const char *pillar = api_arg(r, "pillar");
	long limit, offset, total = 0;
	int only_published = api_public_view(r);
	if (page(r, &limit, &offset))
		return MHD_YES;
	json_t *items = json_array();
	for (int k = 0; k < cat->n_inds; k++) {
		const struct indicator *d = &cat->inds[k];
		if ((pillar && strcmp(pillar, pillar_name(d->pillar))) ||
		    (only_published && !d->published))
			continue;
		if (total++ < offset || total > offset + limit)
			continue;
		int dep = cat->ind_dept[k];
		json_array_append_new(
			items,
			json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,"
				  "s:s?,s:s,s:s,s:i,s:o,s:b}",
				  "id", d->id, "code", d->code, "name", d->name,
				  "name_en", d->name_en, "unit", d->unit,
				  "pillar", pillar_name(d->pillar),
				  "frequency", frequency_name(d->frequency),
				  "time_agg", time_agg_name(d->time_agg),
				  "area_agg", area_agg_name(d->area_agg), "direction",
				  d->direction == DIR_DOWN ? "down" : "up",
				  "department",
				  dep >= 0 ? cat->depts[dep].code : NULL,
				  "source", d->source, "formula", d->formula,
				  "decimals", d->decimals, "weight",
				  num(d->weight), "public", d->published));
	}
	return list(r, items, total, limit, offset);
}

struct scan_ctx {
	const struct catalog *cat;
	json_t *items;
	int ind;  /* only this indicator's (index), or -1 */
	int area; /* only this area's, or -1 */
	int only_published; /* the public's view */
	long total, limit, offset;
};

/* Takes one more item of a filtered, paged list: nonzero to keep it. */
static int page_take(struct scan_ctx *x)
{
	x->total++;
	return x->total > x->offset && x->total <= x->offset + x->limit;
}

static int target_item(void *ctx, const struct target *t)
{
	struct scan_ctx *x = ctx;
	int i = catalog_indicator_id(x->cat, t->indicator_id);
	int a = catalog_area_id(x->cat, t->area_id);
	if (i < 0 || a < 0 || (x->ind >= 0 && i != x->ind) ||
	    (x->area >= 0 && a != x->area) ||
	    (x->only_published && !x->cat->inds[i].published) ||
	    !page_take(x))
		return CS_OK;
	json_array_append_new(
		x->items,
		json_pack("{s:s,s:s,s:i,s:f,s:s,s:b}", "indicator",
			  x->cat->inds[i].code, "area", x->cat->areas[a].code,
			  "year", t->year, "value", t->value, "kind",
			  t->kind == TARGET_PLAN ? "plan" : "annual", "sample",
			  t->sample));
	return CS_OK;
}

static int benchmark_item(void *ctx, const struct benchmark *b)
{
	struct scan_ctx *x = ctx;
	int i = catalog_indicator_id(x->cat, b->indicator_id);
	if (i < 0 || (x->ind >= 0 && i != x->ind) ||
	    (x->only_published && !x->cat->inds[i].published) ||
	    !page_take(x))
		return CS_OK;
	char per[48];
	struct period p = period_ending((enum period_kind)b->kind, b->month);
	period_format(&p, per, sizeof per);
	json_array_append_new(
		x->items,
		json_pack("{s:s,s:s,s:s,s:f,s:s,s:b}", "indicator",
			  x->cat->inds[i].code, "group", b->group, "period",
			  per, "value", b->value, "measure",
			  b->measure == MEASURE_GROWTH ? "growth" : "value",
			  "sample", b->sample));
	return CS_OK;
}

/* Reads the optional indicator and area filters of a list. */
static int scan_filters(struct req *r, struct scan_ctx *x)
{
	const char *ind = api_arg(r, "indicator"), *area = api_arg(r, "area");
	x->cat = &r->api->cs->cat;
	x->ind = x->area = -1;
	x->only_published = api_public_view(r);
	if (ind && (x->ind = catalog_indicator(x->cat, ind, strlen(ind))) >= 0 &&
	    x->only_published && !x->cat->inds[x->ind].published)
		x->ind = -1; /* not the public's to know */
	if (ind && x->ind < 0) {
		api_error(r, CS_ENOTFOUND, "indicator",
			  "unknown indicator \"%s\"", ind);
		return -1;
	}
	if (area && (x->area = catalog_area(x->cat, area, strlen(area))) < 0) {
		api_error(r, CS_ENOTFOUND, "area", "unknown area \"%s\"", area);
		return -1;
	}
	return page(r, &x->limit, &x->offset);
}

static int scan_targets(struct store *st, struct scan_ctx *x)
{
	return st->ops->scan_targets(st, target_item, x);
}

static int scan_benchmarks(struct store *st, struct scan_ctx *x)
{
	return st->ops->scan_benchmarks(st, benchmark_item, x);
}

/* A list read from the store, filtered and paged. */
static enum MHD_Result scanned_list(struct req *r,
				    int (*scan)(struct store *,
						struct scan_ctx *))
{
	struct scan_ctx x = {0};
	if (scan_filters(r, &x))
		return MHD_YES;
	x.items = json_array();
	int rc = scan(r->api->cs->st, &x);
	if (rc) {
		json_decref(x.items);
		return api_fail(r, rc);
	}
	return list(r, x.items, x.total, x.limit, x.offset);
}

static enum MHD_Result get_targets(struct req *r)
{
	return scanned_list(r, scan_targets);
}

static enum MHD_Result get_benchmarks(struct req *r)
{
	return scanned_list(r, scan_benchmarks);
}

/* ---- accounts, for the admin ------------------------------------------ */

#define MADE_PASSWORD 16 /* characters of a password made here: 92 bits */

struct users_ctx {
	const struct catalog *cat;
	json_t *items;
	long now;
	struct scan_ctx page;
};

static json_t *user_json(const struct catalog *cat, const struct user *u,
			 long now)
{
	int d = u->department_id ? catalog_department_id(cat, u->department_id)
				 : -1;
	int a = u->area_id ? catalog_area_id(cat, u->area_id) : -1;
	return json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:b,s:b,s:s}", "name",
			 u->name, "role", role_name(u->role), "role_zh",
			 role_name_zh(u->role), "department",
			 d < 0 ? NULL : cat->depts[d].code, "area",
			 a < 0 ? NULL : cat->areas[a].code, "disabled",
			 u->disabled, "locked", u->locked_until > now,
			 "created", u->created);
}

static int user_item(void *ctx, const struct user *u)
{
	struct users_ctx *x = ctx;
	if (page_take(&x->page))
		json_array_append_new(x->items, user_json(x->cat, u, x->now));
	return CS_OK;
}

static enum MHD_Result get_users(struct req *r)
{
	struct civstat *cs = r->api->cs;
	struct users_ctx x = {.cat = &cs->cat, .now = (long)time(NULL)};
	if (page(r, &x.page.limit, &x.page.offset))
		return MHD_YES;
	x.items = json_array();
	int rc = cs->st->ops->scan_users(cs->st, user_item, &x);
	if (rc) {
		json_decref(x.items);
		return api_fail(r, rc);
	}
	return list(r, x.items, x.page.total, x.page.limit, x.page.offset);
}

/* Answers an account with the password made for it, shown this once. */
static enum MHD_Result user_answer(struct req *r, const char *name,
				   const char *password)
{
	struct civstat *cs = r->api->cs;
	struct user u;
	int rc = cs->st->ops->get_user(cs->st, name, 0, &u);
	if (rc)
		return api_fail(r, rc);
	json_t *j = json_pack("{s:o,s:s*}", "user",
			      user_json(&cs->cat, &u, (long)time(NULL)),
			      "password", password);
	user_release(&u);
	return api_json(r, 200, j);
}

/* POST /users {"name","role","department","area"}: a new account with a
 * password made for it, which the answer shows once. */
static enum MHD_Result post_users(struct req *r)
{
	const char *name = NULL, *role = NULL, *dept = NULL, *area = NULL;
	char password[MADE_PASSWORD + 1];
	json_t *b = api_body(r);
	if (!b)
		return MHD_YES;
	if (json_unpack(b, "{s:s,s:s,s?s,s?s}", "name", &name, "role", &role,
			"department", &dept, "area", &area)) {
		json_decref(b);
		return api_error(r, CS_EINVAL, name ? "role" : "name",
				 "name and role are needed, as text");
	}
	int k = role_parse(role);
	if (k < 0) {
		json_decref(b);
		return api_error(r, CS_EINVAL, "role",
				 "role: admin, leader, reviewer, department "
				 "or public");
	}
	auth_password_generate(password, sizeof password);
	int rc = auth_user_add(r->api->cs, name, k, dept && *dept ? dept : NULL,
			       area && *area ? area : NULL, password);
	enum MHD_Result ret = rc ? api_error(r, rc,
					     rc == CS_ENOTFOUND
						     ? (dept ? "department" : "area")
						     : "name",
					     "%s", cs_errmsg())
				 : user_answer(r, name, password);
	json_decref(b);
	sodium_memzero(password, sizeof password);
	return ret;
}

/* POST /users/{user}/{disable,enable,password}: the last makes a new
 * password, shown once, and ends the account's sessions. */
static enum MHD_Result post_user_action(struct req *r)
{
	const char *name = r->params[0], *action = r->params[1];
	char password[MADE_PASSWORD + 1];
	int rc;
	if (!strcmp(action, "disable") || !strcmp(action, "enable")) {
		int off = !strcmp(action, "disable");
		if (off && !strcmp(name, r->who.name))
			return api_error(r, CS_ECONFLICT, "name",
					 "an admin does not disable its own "
					 "account");
		if ((rc = auth_user_disable(r->api->cs, name, off)))
			return api_fail(r, rc);
		return user_answer(r, name, NULL);
	}
	if (strcmp(action, "password"))
		return api_error(r, CS_ENOTFOUND, NULL,
				 "no such action \"%s\": disable, enable or "
				 "password",
				 action);
	auth_password_generate(password, sizeof password);
	rc = auth_user_passwd(r->api->cs, name, password);
	enum MHD_Result ret = rc ? api_fail(r, rc)
				 : user_answer(r, name, password);
	sodium_memzero(password, sizeof password);
	return ret;
}

/* ---- imports and exports ---------------------------------------------- */

/* POST /imports?kind=values&name=values.csv&dry_run=1: the body is one
 * file, spooled to disk as it came; the answer is the import report. */
static enum MHD_Result post_import(struct req *r)
{
	const char *kind = api_arg(r, "kind"), *name = api_arg(r, "name");
	struct import_opts o = {.dry_run = api_arg(r, "dry_run") != NULL};
	struct import_report rep;
	char dir[] = "/tmp/civstat-import-XXXXXX", path[512];
	if (!r->upload_path)
		return api_error(r, CS_EINVAL, NULL, "the body is the file to "
				 "import");
	if (kind && (int)(o.kind = import_kind_parse(kind)) < 0)
		return api_error(r, CS_EINVAL, "kind", "unknown kind \"%s\"",
				 kind);
	/* Messages name the file as the client called it. */
	if (!name || !*name || strchr(name, '/') || !strcmp(name, "..") ||
	    strlen(name) > 200)
		name = "upload.csv";
	if (!mkdtemp(dir))
		return api_error(r, CS_EIO, NULL, "cannot spool the upload");
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (rename(r->upload_path, path)) {
		rmdir(dir);
		return api_error(r, CS_EIO, NULL, "cannot spool the upload");
	}
	free(r->upload_path);
	r->upload_path = NULL;
	const char *files[1] = {path};
	int rc = import_files(r->api->cs, files, 1, &o, &rep);
	unlink(path);
	rmdir(dir);
	if (rc && rc != CS_EINVAL) {
		import_report_release(&rep);
		return api_fail(r, rc);
	}
	json_t *errors = json_array(), *rows = json_object();
	size_t nd = strlen(dir);
	for (int k = 0; k < rep.n_shown; k++) {
		const char *e = rep.errors[k];
		/* the spool directory is ours, not the client's business */
		if (!strncmp(e, dir, nd) && e[nd] == '/')
			e += nd + 1;
		json_array_append_new(errors, json_string(e));
	}
	for (int k = 1; k < IMPORT_NKINDS; k++)
		if (rep.rows[k])
			json_object_set_new(rows, import_kind_name(k),
					    json_integer(rep.rows[k]));
	json_t *j = json_pack("{s:o,s:I,s:I,s:I,s:I,s:I,s:o,s:b}", "rows", rows,
			      "added", (json_int_t)rep.added, "changed",
			      (json_int_t)rep.changed, "unchanged",
			      (json_int_t)rep.unchanged, "skipped",
			      (json_int_t)rep.skipped, "n_errors",
			      (json_int_t)rep.n_errors, "errors", errors,
			      "dry_run", o.dry_run);
	import_report_release(&rep);
	return api_json(r, rc ? 400 : 200, j);
}

/* GET /exports/{kind}?format=csv|sdmx|excel: the file. */
static enum MHD_Result get_export(struct req *r)
{
	const char *format = api_arg(r, "format");
	int kind = import_kind_parse(r->params[0]);
	int sdmx = format && !strcmp(format, "sdmx");
	int excel = format && !strcmp(format, "excel");
	int xlsx = format && !strcmp(format, "xlsx");
	if (kind <= 0 || kind == IMPORT_SDMX)
		return api_error(r, CS_ENOTFOUND, NULL, "nothing to export as "
				 "\"%s\"", r->params[0]);
	if (format && !sdmx && !excel && !xlsx && strcmp(format, "csv"))
		return api_error(r, CS_EINVAL, "format",
				 "format: csv, sdmx, excel or xlsx");
	if (sdmx && kind != IMPORT_VALUES)
		return api_error(r, CS_EINVAL, "format",
				 "only values export as SDMX-CSV");
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	if (!f)
		return api_error(r, CS_ENOMEM, NULL, "out of memory");
	int rc = export_csv(r->api->cs, sdmx ? IMPORT_SDMX : (enum import_kind)kind,
			    f, excel ? EXPORT_EXCEL : xlsx ? EXPORT_XLSX : 0);
	if (fclose(f) && !rc)
		rc = cs_errorf(CS_ENOMEM, "out of memory");
	if (rc) {
		free(text);
		return api_fail(r, rc);
	}
	return api_text(r, 200,
			xlsx	? "application/vnd.openxmlformats-officedocument."
				  "spreadsheetml.sheet"
			: excel ? "text/csv; charset=gb18030"
				: "text/csv; charset=utf-8",
			text, n);
}

/* ---- the questions ---------------------------------------------------- */

static enum MHD_Result get_progress(struct req *r)
{
	return ask(r, question_progress, 0);
}

static enum MHD_Result get_growth(struct req *r)
{
	return ask(r, question_growth, 0);
}

static enum MHD_Result get_rank(struct req *r)
{
	return ask(r, question_rank, 2);
}

static enum MHD_Result get_series(struct req *r)
{
	const char *ind = api_arg(r, "indicator");
	if (!ind || strchr(ind, ','))
		return api_error(r, CS_EINVAL, "indicator",
				 "a series is of one indicator");
	return ask(r, question_series, 0);
}

static enum MHD_Result get_pillars(struct req *r)
{
	return ask(r, question_pillars, 0);
}

static enum MHD_Result get_compare(struct req *r)
{
	return ask(r, question_compare, 0);
}

static enum MHD_Result get_check(struct req *r)
{
	return ask(r, question_check, 0);
}

static enum MHD_Result get_reporting(struct req *r)
{
	return ask(r, question_reporting, 0);
}

static int brief_text(const struct civstat *cs, const struct question *q,
		      struct out_table *t)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	if (!f)
		return cs_errorf(CS_ENOMEM, "out of memory");
	int rc = brief_write(cs, q->areas[0], &q->p, q->tolerance,
			     q->published_only, f);
	if (fclose(f) && !rc)
		rc = cs_errorf(CS_ENOMEM, "out of memory");
	if (!rc) {
		static const char *const head[] = {"brief"};
		out_init(t, 1, head, head);
		out_row(t);
		out_text(t, text);
	}
	free(text);
	return rc;
}

static enum MHD_Result get_brief(struct req *r)
{
	return ask(r, brief_text, 0);
}

/* ---- figures ---------------------------------------------------------- */

/* Finds the indicator, area and month of the period a figure names.
 * Returns CS_OK, or an error with cs_errmsg() set and *field naming the
 * parameter at fault. */
static int figure_lookup(const struct catalog *cat, const char *ind,
			 const char *area, const char *per, int *i, int *a,
			 int *m, const char **field)
{
	struct period p;
	*field = !ind ? "indicator" : !area ? "area" : !per ? "period" : NULL;
	if (*field)
		return cs_errorf(CS_EINVAL, "%s: required", *field);
	*field = "indicator";
	if ((*i = catalog_indicator(cat, ind, strlen(ind))) < 0)
		return cs_errorf(CS_ENOTFOUND, "unknown indicator \"%s\"", ind);
	*field = "area";
	if ((*a = catalog_area(cat, area, strlen(area))) < 0)
		return cs_errorf(CS_ENOTFOUND, "unknown area \"%s\"", area);
	*field = "period";
	if (period_parse(per, strlen(per), &p))
		return cs_errorf(CS_EINVAL, "bad period \"%s\"", per);
	if (p.kind != value_period_kind(&cat->inds[*i]))
		return cs_errorf(CS_EINVAL, "period \"%s\" does not fit %s, "
				 "which is reported %s", per, ind,
				 value_frequency_name_zh(
					 cat->inds[*i].frequency));
	*m = period_last_month(&p);
	*field = NULL;
	return CS_OK;
}

/* figure_lookup, answering 4xx itself on error. */
static int figure_key(struct req *r, const char *ind, const char *area,
		      const char *per, int *i, int *a, int *m)
{
	const char *field;
	int rc = figure_lookup(&r->api->cs->cat, ind, area, per, i, a, m,
			       &field);
	if (rc)
		api_error(r, rc, field, "%s", cs_errmsg());
	return rc ? -1 : 0;
}

/* GET /values: the own figures of an indicator and area over a range. */
static enum MHD_Result get_values(struct req *r)
{
	const struct civstat *cs = r->api->cs;
	const struct cube *c = &cs->cube;
	const char *ind = api_arg(r, "indicator"), *area = api_arg(r, "area");
	const char *state = api_arg(r, "state");
	int i, a, want = state ? value_state_parse(state) : -1;
	if (state && want < 0)
		return api_error(r, CS_EINVAL, "state", "bad state \"%s\"",
				 state);
	if (!ind || !area)
		return api_error(r, CS_EINVAL, ind ? "area" : "indicator",
				 "%s: required", ind ? "area" : "indicator");
	if ((i = catalog_indicator(&cs->cat, ind, strlen(ind))) < 0)
		return api_error(r, CS_ENOTFOUND, "indicator",
				 "unknown indicator \"%s\"", ind);
	if ((a = catalog_area(&cs->cat, area, strlen(area))) < 0)
		return api_error(r, CS_ENOTFOUND, "area", "unknown area \"%s\"",
				 area);
	long limit, offset, total = 0;
	if (page(r, &limit, &offset))
		return MHD_YES;
	json_t *items = json_array();
	enum period_kind kind = value_period_kind(&cs->cat.inds[i]);
	for (int m = c->month0; m < c->month0 + c->n_months; m++) {
		double v = cube_own(c, i, a, m);
		uint8_t fl = cube_flags(c, i, a, m);
		if (isnan(v) || (want >= 0 && (fl & VALUE_STATE_MASK) != want))
			continue;
		if (total++ < offset || total > offset + limit)
			continue;
		char per[32];
		struct period p = period_ending(kind, m);
		period_format(&p, per, sizeof per);
		json_array_append_new(
			items,
			json_pack("{s:s,s:s,s:s,s:f,s:s,s:b}", "indicator", ind,
				  "area", area, "period", per, "value", v,
				  "state", value_state_name(fl & VALUE_STATE_MASK),
				  "sample", (fl & VALUE_SAMPLE) != 0));
	}
	return list(r, items, total, limit, offset);
}

int api_figures(struct civstat *cs, const struct auth *who, int step,
		const char *body, size_t n, int *done, const char **field)
{
	json_error_t err;
	json_t *b = json_loadb(body, n, 0, &err), *figs, *f;
	const char *reason = NULL;
	size_t k;
	int rc = CS_OK;
	*done = 0;
	*field = NULL;
	if (!b)
		return cs_errorf(CS_EINVAL, "body: %s", err.text);
	if (json_unpack(b, "{s:o,s?s}", "figures", &figs, "reason", &reason) ||
	    !json_is_array(figs) || json_array_size(figs) > BATCH_MAX) {
		*field = "figures";
		rc = cs_errorf(CS_EINVAL, "figures: an array of at most %d "
			       "figures", BATCH_MAX);
		goto out;
	}
	json_array_foreach(figs, k, f)
	{
		const char *ind = NULL, *area = NULL, *per = NULL;
		const char *comment = NULL;
		json_t *value = NULL;
		int i, a, m;
		*field = "figures";
		if (json_unpack(f, "{s:s,s:s,s:s,s?o,s?s}", "indicator", &ind,
				"area", &area, "period", &per, "value", &value,
				"comment", &comment) ||
		    (step == STEP_ENTER &&
		     (!value || (!json_is_number(value) &&
				 !json_is_null(value))))) {
			rc = cs_errorf(CS_EINVAL, "figures[%zu]: indicator, area, "
				       "period (and for a value a number or "
				       "null)", k);
			goto out;
		}
		if ((rc = figure_lookup(&cs->cat, ind, area, per, &i, &a, &m,
					field))) {
			char msg[512];
			snprintf(msg, sizeof msg, "%s", cs_errmsg());
			rc = cs_errorf(rc, "figures[%zu]: %s", k, msg);
			goto out;
		}
		double v = value && !json_is_null(value)
				   ? json_number_value(value)
				   : NAN;
		if ((rc = workflow_step(cs, who, step, i, a, m, v,
					step == STEP_ENTER ? comment
							   : reason))) {
			char msg[512];
			snprintf(msg, sizeof msg, "%s", cs_errmsg());
			/* A figure fed by the projects is refused for what
			 * its indicator is. */
			*field = value_fed_by(&cs->cat, i) ? "indicator"
							   : "figures";
			rc = cs_errorf(rc, "figures[%zu]: %s (%d done before it)",
				       k, msg, *done);
			goto out;
		}
		(*done)++;
	}
out:
	json_decref(b);
	return rc;
}

/* POST /values and /values/{step}: see api_figures. */
static enum MHD_Result take_steps(struct req *r, int step)
{
	const char *field;
	int done;
	if (!r->body)
		return api_error(r, CS_EINVAL, NULL, "a JSON body is needed");
	int rc = api_figures(r->api->cs, &r->who, step, r->body, r->n_body,
			     &done, &field);
	if (rc)
		return api_error(r, rc, field, "%s", cs_errmsg());
	return api_json(r, 200, json_pack("{s:i}", "done", done));
}

static enum MHD_Result post_values(struct req *r)
{
	return take_steps(r, STEP_ENTER);
}

static enum MHD_Result post_step(struct req *r)
{
	int step = workflow_step_parse(r->params[0]);
	if (step <= STEP_ENTER)
		return api_error(r, CS_ENOTFOUND, NULL, "no such step \"%s\"",
				 r->params[0]);
	return take_steps(r, step);
}

struct history {
	json_t *items;
};

static int history_item(void *ctx, const struct value_change *c)
{
	struct history *h = ctx;
	json_array_append_new(
		h->items,
		json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:s?,s:s,s:s?}", "change",
			  (json_int_t)c->change_id, "at", c->at, "actor",
			  c->actor, "what", c->what, "before", num(c->before),
			  "after", num(c->after), "state_before",
			  /* no figure before: no state either */
			  isnan(c->before) ? NULL
					   : value_state_name(c->state_before),
			  "state_after",
			  value_state_name(c->state_after), "comment",
			  c->comment));
	return CS_OK;
}

static enum MHD_Result get_history(struct req *r)
{
	struct civstat *cs = r->api->cs;
	int i, a, m;
	if (figure_key(r, api_arg(r, "indicator"), api_arg(r, "area"),
		       api_arg(r, "period"), &i, &a, &m))
		return MHD_YES;
	struct history h = {json_array()};
	int rc = store_scan_history(cs->st, cs->cat.inds[i].id,
					   cs->cat.areas[a].id, m,
					   history_item, &h);
	if (rc) {
		json_decref(h.items);
		return api_fail(r, rc);
	}
	return api_json(r, 200, json_pack("{s:o}", "items", h.items));
}

/* ---- the audit trail -------------------------------------------------- */

static int audit_item(void *ctx, const struct audit_entry *e)
{
	char hash[2 * SECRET_SHA256 + 1];
	secret_hex(hash, e->hash, SECRET_SHA256);
	json_array_append_new(
		ctx, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s}", "id",
			       (json_int_t)e->id, "at", e->at, "actor",
			       e->actor, "action", e->action, "object",
			       e->object, "before", e->before, "after",
			       e->after, "request_id", e->request_id, "hash",
			       hash));
	return CS_OK;
}

static enum MHD_Result get_audit(struct req *r)
{
	struct civstat *cs = r->api->cs;
	const char *from = api_arg(r, "from");
	long limit, offset;
	if (page(r, &limit, &offset))
		return MHD_YES;
	json_t *items = json_array();
	long last;
	uint8_t hash[SECRET_SHA256];
	int rc = cs->st->ops->last_audit(cs->st, &last, hash);
	if (!rc)
		rc = cs->st->ops->scan_audit(cs->st,
					     (from ? atol(from) : 1) + offset,
					     limit, audit_item, items);
	if (rc) {
		json_decref(items);
		return api_fail(r, rc);
	}
	return list(r, items, last, limit, offset);
}

/* ---- the table -------------------------------------------------------- */

/* Lock the route takes.  LOCK_FIGURE: a write of figures, run by the
 * committer thread with the others waiting, in one transaction
 * (api_defer); it takes the cube only for the instant the group's figures
 * change (civstat's cube_lock), so readers go on while it commits. */
enum {
	LOCK_READ = 0,   /* the cube, shared */
	LOCK_STORE = 1,  /* the store, then the cube shared */
	LOCK_WRITE = 2,  /* the store, then the cube alone */
	LOCK_FIGURE = 3, /* a group of writes: see api_defer */
	LOCK_NONE = 4,   /* the handler takes the store itself */
	LOCK_VIEW = 5,   /* the cube (and the pipeline held) shared; the
			    answer, which depends on today, is not kept */
};

#define GET MHD_HTTP_METHOD_GET
#define POST MHD_HTTP_METHOD_POST

const struct route api_routes[] = {
	{GET, "/healthz", get_healthz, ROLE_PUBLIC, LOCK_READ,
	 "liveness: ok and the figures held",
	 "", NULL},
	{GET, "/metrics", get_metrics, ROLE_PUBLIC, LOCK_READ,
	 "Prometheus metrics",
	 "", NULL},
	{GET, "/api/v1/openapi.json", get_openapi, ROLE_PUBLIC, LOCK_READ,
	 "this API's OpenAPI 3.1 document",
	 "", NULL},
	{POST, "/api/v1/login", post_login, ROLE_PUBLIC, LOCK_NONE,
	 "sign in: sets the session cookie, gives the CSRF token",
	 "", "login"},
	{POST, "/api/v1/logout", post_logout, ROLE_PUBLIC, LOCK_NONE,
	 "sign out: ends the session or revokes the token",
	 "", NULL},
	{GET, "/api/v1/me", get_me, ROLE_PUBLIC, LOCK_READ,
	 "who is asking",
	 "", NULL},
	{GET, "/api/v1/events", api_events_stream, ROLE_PUBLIC, LOCK_NONE,
	 "Server-Sent Events: \"figures\" (or \"catalog\") with the new "
	 "data version whenever the data change, \": ping\" every 20 s",
	 "", NULL},
	{GET, "/api/v1/areas", get_areas, ROLE_PUBLIC, LOCK_READ,
	 "areas (行政区划), parents first",
	 "limit offset", NULL},
	{GET, "/api/v1/departments", get_departments, ROLE_PUBLIC, LOCK_READ,
	 "departments (责任单位)",
	 "limit offset", NULL},
	{GET, "/api/v1/indicators", get_indicators, ROLE_PUBLIC, LOCK_READ,
	 "indicators (指标), filter by pillar",
	 "pillar limit offset public", NULL},
	{GET, "/api/v1/targets", get_targets, ROLE_PUBLIC, LOCK_STORE,
	 "targets (目标): annual and five-year plan",
	 "indicator area limit offset public", NULL},
	{GET, "/api/v1/benchmarks", get_benchmarks, ROLE_PUBLIC, LOCK_STORE,
	 "benchmarks (对标): 全省平均, 沿海6市平均, peers",
	 "indicator limit offset public", NULL},
	{GET, "/api/v1/progress", get_progress, ROLE_PUBLIC, LOCK_READ,
	 "累计, 完成率, 序时进度, the light, 同比",
	 "period area children level indicator assessed tolerance lang "
	 "public", NULL},
	{GET, "/api/v1/growth", get_growth, ROLE_PUBLIC, LOCK_READ,
	 "同比 (or 环比 with mom) growth",
	 "period area children level indicator mom lang "
	 "public", NULL},
	{GET, "/api/v1/rank", get_rank, ROLE_PUBLIC, LOCK_READ,
	 "areas ranked by weighted score or one indicator",
	 "period area children level indicator tolerance lang "
	 "public", NULL},
	{GET, "/api/v1/series", get_series, ROLE_PUBLIC, LOCK_READ,
	 "an indicator's figures over time",
	 "indicator! area from to lang public", NULL},
	{GET, "/api/v1/pillars", get_pillars, ROLE_PUBLIC, LOCK_READ,
	 "稳 活 优: ahead, close, behind",
	 "period area children level assessed tolerance lang "
	 "public", NULL},
	{GET, "/api/v1/compare", get_compare, ROLE_PUBLIC, LOCK_READ,
	 "对标: gaps to the benchmarks in points",
	 "period area children level indicator assessed lang "
	 "public", NULL},
	{GET, "/api/v1/brief", get_brief, ROLE_PUBLIC, LOCK_READ,
	 "the month's summary in Chinese",
	 "period area tolerance public", NULL},
	{GET, "/api/v1/check", get_check, ROLE_DEPARTMENT, LOCK_READ,
	 "data-quality findings",
	 "period lang", NULL},
	{GET, "/api/v1/reporting", get_reporting, ROLE_DEPARTMENT, LOCK_READ,
	 "each department's completeness and timeliness",
	 "period lang", NULL},
	{GET, "/api/v1/values", get_values, ROLE_DEPARTMENT, LOCK_READ,
	 "an area's own figures of an indicator, with their states",
	 "indicator! area! state limit offset", NULL},
	{POST, "/api/v1/values", post_values, ROLE_DEPARTMENT, LOCK_FIGURE,
	 "enter figures (as drafts)",
	 "", "figures"},
	{POST, "/api/v1/values/{step}", post_step, ROLE_DEPARTMENT, LOCK_FIGURE,
	 "submit, approve, return or reopen figures",
	 "", "figures"},
	{GET, "/api/v1/values/history", get_history, ROLE_DEPARTMENT,
	 LOCK_STORE, "every change of one figure",
	 "indicator! area! period!", NULL},
	{GET, "/api/v1/audit", get_audit, ROLE_LEADER, LOCK_STORE,
	 "the audit trail, oldest first",
	 "from limit offset", NULL},
	{POST, "/api/v1/imports", post_import, ROLE_ADMIN, LOCK_WRITE,
	 "import one CSV or SDMX-CSV file (the body): all or nothing",
	 "kind name dry_run", "file"},
	{GET, "/api/v1/users", get_users, ROLE_ADMIN, LOCK_STORE,
	 "accounts, with role, department, area and state",
	 "limit offset", NULL},
	{POST, "/api/v1/users", post_users, ROLE_ADMIN, LOCK_WRITE,
	 "add an account: the answer shows its password, once",
	 "", "user"},
	{POST, "/api/v1/users/{user}/{action}", post_user_action, ROLE_ADMIN,
	 LOCK_WRITE,
	 "disable or enable an account, or give it a new password (shown "
	 "once)",
	 "", NULL},
	{GET, "/api/v1/exports/{kind}", get_export, ROLE_LEADER, LOCK_STORE,
	 "export areas, departments, indicators, values, targets or "
	 "benchmarks as CSV, SDMX-CSV or for Excel",
	 "format", NULL},
	/* The pipeline and the task lists (pipeline.c): public reads;
	 * writes take the store themselves (LOCK_NONE), and the handler or
	 * the domain decides whose department may write. */
	{GET, "/api/v1/projects", api_get_projects, ROLE_PUBLIC, LOCK_VIEW,
	 "key projects (重点项目), filtered and sorted, with totals in 亿元",
	 "cluster area phase department behind q sort period today "
	 "tolerance limit offset", NULL},
	{GET, "/api/v1/projects/summary", api_get_projects_summary,
	 ROLE_PUBLIC, LOCK_VIEW,
	 "the monthly monitoring: plan against completed investment by "
	 "cluster, area, phase or department, or the cluster × area matrix "
	 "(by=cluster,area, level); behind, overdue, late to start; the "
	 "pipeline by phase",
	 "by level period today tolerance", NULL},
	{GET, "/api/v1/projects/export", api_get_projects_export,
	 ROLE_PUBLIC, LOCK_STORE,
	 "the projects a filter keeps as a file: an OC4IDS project package, "
	 "CSV, or an .xlsx workbook with totals and the monthly reports",
	 "format cluster area phase department behind q period today "
	 "tolerance", NULL},
	{GET, "/api/v1/projects/notes", api_get_project_notes,
	 ROLE_DEPARTMENT, LOCK_STORE,
	 "督办 notes on projects (a department: its own projects'), each "
	 "with its project; open=1: only those not answered yet",
	 "open today", NULL},
	{GET, "/api/v1/projects/{code}", api_get_project, ROLE_PUBLIC,
	 LOCK_STORE,
	 "a project with its plans, milestones, reports, phase history and "
	 "督办 notes (their text for staff; the public sees notes_n)",
	 "period today tolerance", NULL},
	{POST, "/api/v1/projects/{code}/reports", api_post_project_report,
	 ROLE_DEPARTMENT, LOCK_NONE,
	 "a month's report (its department, a leader or admin): feeds "
	 "PROJ_INV",
	 "", "project_report"},
	{POST, "/api/v1/projects/{code}/phase", api_post_project_phase,
	 ROLE_DEPARTMENT, LOCK_NONE,
	 "move a project to a phase: forward with a date, back with a reason",
	 "", "project_phase"},
	{POST, "/api/v1/projects/{code}/notes", api_post_project_note,
	 ROLE_LEADER, LOCK_NONE,
	 "a supervision note (督办意见) on a project, which its department "
	 "must answer by the due day (leaders, admin)",
	 "", "task_note"},
	{POST, "/api/v1/projects/{code}/notes/{id}/answer",
	 api_post_project_answer, ROLE_DEPARTMENT, LOCK_NONE,
	 "answer a project's supervision note, once (its department, admin)",
	 "", "task_answer"},
	{POST, "/api/v1/projects", api_post_projects, ROLE_DEPARTMENT,
	 LOCK_NONE,
	 "create a project (a leader or admin; a department its own)",
	 "", "project"},
	{POST, "/api/v1/projects/{code}", api_post_project, ROLE_DEPARTMENT,
	 LOCK_NONE,
	 "edit a project's fields (its department, a leader or admin); "
	 "the phase changes on /phase",
	 "", "project"},
	{POST, "/api/v1/projects/{code}/plans", api_post_project_plan,
	 ROLE_DEPARTMENT, LOCK_NONE,
	 "a year's planned investment (年度计划投资) of a project",
	 "", "project_plan"},
	{POST, "/api/v1/projects/{code}/milestones", api_post_project_milestone,
	 ROLE_DEPARTMENT, LOCK_NONE,
	 "add or update a milestone by name; done: the day it was reached",
	 "", "project_milestone"},
	{POST, "/api/v1/programmes", api_post_programmes, ROLE_DEPARTMENT,
	 LOCK_NONE,
	 "add a programme (leaders) or update one (also the department of "
	 "its projects)",
	 "", "programme"},
	{POST, "/api/v1/programmes/{code}/communities",
	 api_post_programme_community, ROLE_DEPARTMENT, LOCK_NONE,
	 "add or update a community (小区) of a programme by name",
	 "", "community"},
	{GET, "/api/v1/programmes", api_get_programmes, ROLE_PUBLIC,
	 LOCK_VIEW, "programmes (老旧小区改造) and their progress",
	 "communities limit offset", NULL},
	{GET, "/api/v1/task-lists", api_get_task_lists, ROLE_PUBLIC,
	 LOCK_STORE, "task lists (任务清单) with their tasks by status",
	 "today limit offset", NULL},
	{GET, "/api/v1/tasks", api_get_tasks, ROLE_PUBLIC, LOCK_STORE,
	 "tasks, by list, department and status shown (滞后 when overdue)",
	 "list department status today limit offset", NULL},
	{GET, "/api/v1/tasks/summary", api_get_tasks_summary, ROLE_PUBLIC,
	 LOCK_STORE,
	 "per list or department: on-time rate, overdue, unanswered notes",
	 "by today", NULL},
	{GET, "/api/v1/tasks/notes.csv", api_get_task_notes_csv, ROLE_LEADER,
	 LOCK_STORE,
	 "every 督办 note with its answer as CSV, as `civstat task import` "
	 "reads it",
	 "", NULL},
	{GET, "/api/v1/tasks/{code}", api_get_task, ROLE_PUBLIC, LOCK_STORE,
	 "a task with milestones, reports and (staff only) 督办 notes",
	 "today", NULL},
	{GET, "/api/v1/holidays", api_get_holidays, ROLE_PUBLIC, LOCK_STORE,
	 "the working-day calendar: 放假 and 调休上班 days by date",
	 "year", NULL},
	{GET, "/open311/v2/services.{format}", api_open311_services,
	 ROLE_PUBLIC, LOCK_STORE,
	 "Open311 GeoReport v2: the public service list (json or xml)", "",
	 NULL},
	{GET, "/open311/v2/discovery.{format}", api_open311_discovery,
	 ROLE_PUBLIC, LOCK_NONE,
	 "Open311 service discovery: the GeoReport v2 endpoint (json, xml)",
	 "", NULL},
	/* The residents' requests (requests.c, docs/requests.md): reads on
	 * a reading connection (LOCK_NONE), intake through the group
	 * commit, steps on the store's connection; the handlers decide what
	 * a department or the public may see. */
	{GET, "/api/v1/services", api_get_services, ROLE_PUBLIC, LOCK_STORE,
	 "the service catalogue (服务目录) with department and deadlines; "
	 "the public sees the public services",
	 "", NULL},
	{POST, "/api/v1/services", api_post_services, ROLE_ADMIN, LOCK_WRITE,
	 "put services of the catalogue, all or nothing (admin)",
	 "", "services"},
	{POST, "/api/v1/requests", api_post_requests, ROLE_PUBLIC, LOCK_NONE,
	 "a resident's request (急难愁盼): 201 with its id and follow token; "
	 "limited per address, held for moderation on links; staff may "
	 "enter the hotline's",
	 "", "request"},
	{GET, "/api/v1/requests", api_get_requests, ROLE_DEPARTMENT,
	 LOCK_NONE,
	 "the queue, overdue first, with counts by state (a department: "
	 "its own)",
	 "state department area service overdue from to sort counts limit "
	 "offset",
	 NULL},
	{GET, "/api/v1/requests/stats", api_get_requests_stats, ROLE_PUBLIC,
	 LOCK_NONE,
	 "response, on-time, resolution, satisfaction and reopen rates "
	 "with numerator and denominator, and the open count (the public: "
	 "city-wide rows)",
	 "from to by department area service", NULL},
	{GET, "/api/v1/requests/settings", api_get_request_settings,
	 ROLE_ADMIN, LOCK_STORE,
	 "the requests' settings: hold words, rate limits, the response "
	 "deadline, how satisfaction counts",
	 "", NULL},
	{POST, "/api/v1/requests/settings", api_post_request_settings,
	 ROLE_ADMIN, LOCK_WRITE,
	 "set some of them, all or nothing, audited; the server goes by "
	 "them at once",
	 "", "request_settings"},
	{POST, "/api/v1/requests/dispatch", api_post_requests_dispatch,
	 ROLE_REVIEWER, LOCK_NONE,
	 "dispatch many requests to one department (派单), all or none",
	 "", "request_dispatch"},
	{GET, "/api/v1/requests/track/{token}", api_get_request_track,
	 ROLE_PUBLIC, LOCK_NONE,
	 "a resident follows a request by its token: the public fields and "
	 "timeline",
	 "", NULL},
	{GET, "/api/v1/requests/{id}", api_get_request, ROLE_PUBLIC,
	 LOCK_NONE,
	 "a request with its timeline: whole for staff who may see it, the "
	 "public fields for others (never the contact)",
	 "", NULL},
	{POST, "/api/v1/requests/{id}/{step}", api_post_request_step,
	 ROLE_DEPARTMENT, LOCK_NONE,
	 "a step of the workflow: approve reject dispatch return accept "
	 "answer followup reopen duplicate supervise note",
	 "", "request_step"},
	{GET, "/open311/v2/services/{service_file}", api_open311_service,
	 ROLE_PUBLIC, LOCK_NONE,
	 "Open311: a service's definition, {code}.json or .xml (no "
	 "attributes)",
	 "", NULL},
	{POST, "/open311/v2/requests.{format}", api_open311_post_requests,
	 ROLE_PUBLIC, LOCK_NONE,
	 "Open311: submit a request with an api_key (form or JSON)",
	 "", "open311_request"},
	{GET, "/open311/v2/requests.{format}", api_open311_get_requests,
	 ROLE_PUBLIC, LOCK_NONE,
	 "Open311: requests by the spec's filters (the last 90 days, at "
	 "most 1000)",
	 "service_request_id service_code start_date end_date status", NULL},
	{GET, "/open311/v2/requests/{request_file}", api_open311_get_request,
	 ROLE_PUBLIC, LOCK_NONE,
	 "Open311: one request, {id}.json or .xml",
	 "", NULL},
	{GET, "/open311/v2/tokens/{token_file}", api_open311_token,
	 ROLE_PUBLIC, LOCK_NONE,
	 "Open311: the request of a token, {token}.json or .xml",
	 "", NULL},
	{POST, "/api/v1/holidays", api_post_holidays, ROLE_ADMIN, LOCK_WRITE,
	 "put days of the working-day calendar, all or nothing (admin)",
	 "", "holidays"},
	{POST, "/api/v1/task-lists", api_post_task_lists, ROLE_LEADER,
	 LOCK_NONE, "add a task list, or update one by its code (leaders)",
	 "", "task_list"},
	{POST, "/api/v1/tasks", api_post_tasks, ROLE_LEADER, LOCK_NONE,
	 "add a task to a list (leaders, the supervision office)",
	 "", "task"},
	{POST, "/api/v1/tasks/{code}", api_post_task, ROLE_DEPARTMENT,
	 LOCK_NONE,
	 "edit a task (leaders); its department only the figure reached",
	 "", "task"},
	{POST, "/api/v1/tasks/{code}/milestones", api_post_task_milestone,
	 ROLE_DEPARTMENT, LOCK_NONE,
	 "add or update a task's milestone (leaders); its department marks "
	 "one done",
	 "", "task_milestone"},
	{POST, "/api/v1/tasks/{code}/reports", api_post_task_report,
	 ROLE_DEPARTMENT, LOCK_NONE,
	 "a progress report by the owner department (or a leader)",
	 "", "task_report"},
	{POST, "/api/v1/tasks/{code}/status", api_post_task_status,
	 ROLE_DEPARTMENT, LOCK_NONE,
	 "change a task's status as the rules allow (已销号: leaders)",
	 "", "task_status"},
	{POST, "/api/v1/tasks/{code}/notes", api_post_task_note,
	 ROLE_LEADER, LOCK_NONE,
	 "a supervision note (督办意见) the owner must answer by its due day",
	 "", "task_note"},
	{POST, "/api/v1/tasks/{code}/notes/{id}/answer", api_post_task_answer,
	 ROLE_DEPARTMENT, LOCK_NONE,
	 "answer a supervision note (the owner department or a leader)",
	 "", "task_answer"},
};

const int api_nroutes = (int)(sizeof api_routes / sizeof *api_routes);

/* What each query parameter means, for the OpenAPI document. */
static const struct {
	const char *name, *about;
} param_docs[] = {
	{"period", "2025-09, 2025-Q3, 2025, 2025-01/2025-09, 2025年1-9月 ... "
		   "(default: the latest month reported, with a figure "
		   "submitted or approved)"},
	{"area", "an area code (default: the whole city)"},
	{"children", "the areas right below this area code"},
	{"level", "every area at this level (the root is 1)"},
	{"indicator", "indicator codes, comma-separated"},
	{"assessed", "present: only the assessment indicators"},
	{"user", "an account's name"},
	{"action", "disable, enable, or password (a new one, shown once)"},
	{"public", "present: only the indicators shown to the public (公开), "
		   "as callers not signed in always see"},
	{"tolerance", "behind by less than this share of schedule is close "
		      "(0.1)"},
	{"lang", "en: English names"},
	{"mom", "present: 环比, against the previous period"},
	{"from", "first period of a series; requests: received from this day "
		 "(YYYY-MM-DD), stats: from this month (2026-01)"},
	{"open", "1: only the notes not answered yet"},
	{"to", "last period of a series; requests: received up to this day, "
	       "whole; stats: up to this month"},
	{"limit", "items per page, 1 to 1000 (100)"},
	{"offset", "items to skip (0)"},
	{"pillar", "stable, vital or excellent"},
	{"state", "approved, draft, submitted or returned; requests: held, "
		  "received, dispatched, in_progress, answered, closed "
		  "(comma-separated)"},
	{"kind", "areas, departments, indicators, values, targets, "
		 "benchmarks (and for imports sdmx; default: from the "
		 "header)"},
	{"name", "the file's name, for the messages"},
	{"dry_run", "present: check and count, store nothing"},
	{"format", "csv, sdmx (values), excel (CSV in GB18030 with Chinese "
		   "headers) or xlsx (a workbook); for projects csv, oc4ids "
		   "(an OC4IDS project package) or xlsx"},
	{"step", "submit, approve, return (with a reason) or reopen (with a "
		 "reason)"},
	{"cluster", "a cluster code (new_energy ...) or its Chinese name"},
	{"phase", "谋划 签约 开工 在建 竣工 投产, or planning ... operating"},
	{"department", "a department code (FGW ...)"},
	{"behind", "1: only the projects behind their plan"},
	{"q", "text within the code or the name"},
	{"sort", "code, name, total, plan or done; -done for descending"},
	{"today", "the day the overdue rules judge on, YYYY-MM-DD (default: "
		  "the server's date)"},
	{"by", "requests/stats: none, department, area, service or month; "
	       "the groups: cluster, area, phase or department, or "
	       "cluster,area for the matrix (projects); list or department "
	       "(tasks)"},
	{"communities", "present: list each programme's communities"},
	{"list", "a task list's code (2026-LWLB ...)"},
	{"year", "only the days of this year (2026)"},
	{"status", "未开始 推进中 已完成 滞后 已销号, or not_started, "
		   "in_progress, done, late (overdue), closed"},
	{"code", "a project's or a task's code"},
	{"id", "a supervision note's id; a request's id"},
	{"token", "a request's follow token (32 hex digits)"},
	{"service", "a service's code (heating ...)"},
	{"overdue", "1: only those past their deadline"},
	{"counts", "0: without the counts by state (they cost a count each)"},
	{"service_file", "a service's code and the format: heating.json"},
	{"request_file", "a request's id and the format: 42.xml"},
	{"token_file", "a follow token and the format: TOKEN.json"},
	{"service_request_id", "request ids, comma-separated (the other "
			       "filters are then ignored)"},
	{"service_code", "a service's code"},
	{"start_date", "received from this time (w3 date-time)"},
	{"end_date", "received up to this time (w3 date-time)"},
};

/* The JSON bodies of the pipeline's and the task lists' writes. */
static const struct {
	const char *name, *schema;
} body_schemas[] = {
	{"holidays",
	 "{\"type\": \"object\", \"required\": [\"holidays\"], "
	 "\"properties\": {\"holidays\": {\"type\": \"array\", "
	 "\"items\": {\"type\": \"object\", \"required\": [\"date\", "
	 "\"kind\", \"name\"], \"properties\": {\"date\": {\"type\": "
	 "\"string\"}, \"kind\": {\"enum\": [\"holiday\", "
	 "\"workday\"]}, \"name\": {\"type\": \"string\"}, "
	 "\"source\": {\"type\": \"string\"}}}}}}"},
	{"project_report",
	 "{\"type\": \"object\", \"required\": [\"period\", "
	 "\"investment\"], \"properties\": {\"period\": {\"type\": "
	 "\"string\"}, \"investment\": {\"type\": \"number\", "
	 "\"minimum\": 0}, \"progress\": {\"type\": [\"number\", "
	 "\"null\"]}, \"note\": {\"type\": \"string\"}}}"},
	{"project_phase",
	 "{\"type\": \"object\", \"required\": [\"phase\", \"date\"], "
	 "\"properties\": {\"phase\": {\"type\": \"string\"}, "
	 "\"date\": {\"type\": \"string\"}, \"reason\": {\"type\": "
	 "\"string\"}}}"},
	{"project",
	 "{\"type\": \"object\", \"required\": [\"code\", \"name\", "
	 "\"cluster\", \"area\"], \"description\": \"required when "
	 "creating; an edit sends the fields that change\", "
	 "\"properties\": {\"code\": {\"type\": \"string\"}, "
	 "\"name\": {\"type\": \"string\"}, \"cluster\": {\"type\": "
	 "\"string\"}, \"type\": {\"type\": \"string\"}, \"area\": "
	 "{\"type\": \"string\"}, \"department\": {\"type\": "
	 "[\"string\", \"null\"]}, \"leader\": {\"type\": "
	 "[\"string\", \"null\"]}, \"total\": {\"type\": [\"number\", "
	 "\"null\"], \"minimum\": 0}, \"planned_start\": {\"type\": "
	 "[\"string\", \"null\"], \"format\": \"date\"}, "
	 "\"planned_finish\": {\"type\": [\"string\", \"null\"], "
	 "\"format\": \"date\"}, \"address\": {\"type\": [\"string\", "
	 "\"null\"]}, \"lon\": {\"type\": [\"number\", \"null\"]}, "
	 "\"lat\": {\"type\": [\"number\", \"null\"]}, \"issues\": "
	 "{\"type\": [\"string\", \"null\"]}, \"programme\": "
	 "{\"type\": [\"string\", \"null\"]}, \"phase\": {\"type\": "
	 "\"string\", \"description\": \"on creating only\"}}}"},
	{"project_plan",
	 "{\"type\": \"object\", \"required\": [\"year\", "
	 "\"investment\"], \"properties\": {\"year\": {\"type\": "
	 "\"integer\"}, \"investment\": {\"type\": \"number\", "
	 "\"minimum\": 0}}}"},
	{"project_milestone",
	 "{\"type\": \"object\", \"required\": [\"name\"], "
	 "\"properties\": {\"name\": {\"type\": \"string\"}, \"due\": "
	 "{\"type\": \"string\", \"format\": \"date\"}, \"done\": "
	 "{\"type\": [\"string\", \"null\"], \"format\": \"date\"}}}"},
	{"programme",
	 "{\"type\": \"object\", \"required\": [\"code\"], "
	 "\"properties\": {\"code\": {\"type\": \"string\"}, "
	 "\"name\": {\"type\": \"string\"}, \"first_year\": "
	 "{\"type\": \"integer\"}, \"last_year\": {\"type\": "
	 "\"integer\"}, \"communities\": {\"type\": \"integer\"}, "
	 "\"buildings\": {\"type\": \"integer\"}, \"households\": "
	 "{\"type\": \"integer\"}, \"floor_area\": {\"type\": "
	 "[\"number\", \"null\"]}, \"source\": {\"type\": "
	 "\"string\"}}}"},
	{"community",
	 "{\"type\": \"object\", \"required\": [\"name\"], "
	 "\"properties\": {\"name\": {\"type\": \"string\"}, "
	 "\"area\": {\"type\": [\"string\", \"null\"]}, "
	 "\"buildings\": {\"type\": \"integer\"}, \"households\": "
	 "{\"type\": \"integer\"}, \"floor_area\": {\"type\": "
	 "[\"number\", \"null\"]}, \"started\": {\"type\": "
	 "[\"string\", \"null\"], \"format\": \"date\"}, "
	 "\"finished\": {\"type\": [\"string\", \"null\"], "
	 "\"format\": \"date\"}, \"progress\": {\"type\": "
	 "\"number\", \"minimum\": 0, \"maximum\": 100}}}"},
	{"task_list",
	 "{\"type\": \"object\", \"required\": [\"code\"], "
	 "\"properties\": {\"code\": {\"type\": \"string\"}, "
	 "\"year\": {\"type\": \"integer\"}, \"name\": {\"type\": "
	 "\"string\"}, \"kind\": {\"type\": [\"string\", \"null\"]}, "
	 "\"source\": {\"type\": [\"string\", \"null\"]}}}"},
	{"task",
	 "{\"type\": \"object\", \"required\": [\"list\", \"code\", "
	 "\"title\", \"deadline\"], \"description\": \"required when "
	 "creating; an edit sends the fields that change (a department "
	 "only achieved)\", \"properties\": {\"list\": {\"type\": "
	 "\"string\"}, \"code\": {\"type\": \"string\"}, \"title\": "
	 "{\"type\": \"string\"}, \"department\": {\"type\": "
	 "[\"string\", \"null\"]}, \"leader\": {\"type\": [\"string\", "
	 "\"null\"]}, \"deadline\": {\"type\": \"string\", "
	 "\"format\": \"date\"}, \"target\": {\"type\": [\"number\", "
	 "\"null\"], \"minimum\": 0}, \"unit\": {\"type\": "
	 "[\"string\", \"null\"]}, \"achieved\": {\"type\": "
	 "[\"number\", \"null\"], \"minimum\": 0}, \"source\": "
	 "{\"type\": [\"string\", \"null\"]}}}"},
	{"task_milestone",
	 "{\"type\": \"object\", \"properties\": {\"seq\": {\"type\": "
	 "\"integer\"}, \"name\": {\"type\": \"string\"}, \"due\": "
	 "{\"type\": \"string\", \"format\": \"date\"}, \"done_on\": "
	 "{\"type\": [\"string\", \"null\"], \"format\": "
	 "\"date\"}}}"},
	{"task_report",
	 "{\"type\": \"object\", \"required\": [\"text\"], "
	 "\"properties\": {\"text\": {\"type\": \"string\"}, "
	 "\"achieved\": {\"type\": [\"number\", \"null\"]}}}"},
	{"task_status",
	 "{\"type\": \"object\", \"required\": [\"status\"], "
	 "\"properties\": {\"status\": {\"type\": \"string\"}}}"},
	{"task_note",
	 "{\"type\": \"object\", \"required\": [\"text\", \"due\"], "
	 "\"properties\": {\"text\": {\"type\": \"string\"}, "
	 "\"due\": {\"type\": \"string\"}}}"},
	{"services",
	 "{\"type\": \"object\", \"required\": [\"services\"], "
	 "\"properties\": {\"services\": {\"type\": \"array\", "
	 "\"items\": {\"type\": \"object\", \"required\": [\"code\", "
	 "\"name\", \"department\"], \"properties\": {\"code\": "
	 "{\"type\": \"string\"}, \"name\": {\"type\": \"string\"}, "
	 "\"name_en\": {\"type\": \"string\"}, \"group\": {\"type\": "
	 "\"string\"}, \"department\": {\"type\": \"string\"}, "
	 "\"dispatch_days\": {\"type\": \"integer\"}, \"answer_days\": "
	 "{\"type\": \"integer\"}, \"answer_hours\": {\"type\": "
	 "\"integer\"}, \"keywords\": {\"type\": \"string\"}, "
	 "\"description\": {\"type\": \"string\"}, \"public\": "
	 "{\"type\": \"boolean\"}, \"source\": {\"type\": "
	 "\"string\"}}}}}}"},
	{"request",
	 "{\"type\": \"object\", \"required\": [\"service\", "
	 "\"description\"], \"description\": \"an address or lat and "
	 "lon\", \"properties\": {\"service\": {\"type\": "
	 "\"string\"}, \"description\": {\"type\": \"string\"}, "
	 "\"address\": {\"type\": \"string\"}, \"area\": {\"type\": "
	 "\"string\"}, \"community\": {\"type\": \"string\"}, "
	 "\"lat\": {\"type\": [\"number\", \"null\"]}, \"lon\": "
	 "{\"type\": [\"number\", \"null\"]}, \"media_urls\": "
	 "{\"type\": \"array\", \"items\": {\"type\": \"string\"}}, "
	 "\"contact\": {\"type\": \"object\", \"properties\": "
	 "{\"name\": {\"type\": \"string\"}, \"phone\": {\"type\": "
	 "\"string\"}, \"email\": {\"type\": \"string\"}}}, "
	 "\"channel\": {\"enum\": [\"web\", \"app\", \"hotline\"]}, "
	 "\"ref\": {\"type\": \"string\"}}}"},
	{"request_step",
	 "{\"type\": \"object\", \"properties\": {\"department\": "
	 "{\"type\": \"string\"}, \"text\": {\"type\": \"string\"}, "
	 "\"resolved\": {\"type\": \"boolean\"}, \"satisfaction\": "
	 "{\"enum\": [\"satisfied\", \"basic\", \"dissatisfied\"]}, "
	 "\"duplicate_of\": {\"type\": \"integer\"}}}"},
	{"request_settings",
	 "{\"type\": \"object\", \"properties\": "
	 "{\"request.hold_words\": {\"type\": \"string\"}, "
	 "\"request.rate_address\": {\"type\": \"number\"}, "
	 "\"request.rate_key\": {\"type\": \"number\"}, "
	 "\"request.response_days\": {\"type\": \"integer\"}, "
	 "\"request.satisfaction\": {\"enum\": [\"strict\", "
	 "\"lenient\"]}}}"},
	{"request_dispatch",
	 "{\"type\": \"object\", \"required\": [\"ids\", "
	 "\"department\"], \"properties\": {\"ids\": {\"type\": "
	 "\"array\", \"items\": {\"type\": \"integer\"}}, "
	 "\"department\": {\"type\": \"string\"}}}"},
	{"open311_request",
	 "{\"type\": \"object\", \"required\": [\"api_key\", "
	 "\"service_code\"], \"description\": \"GeoReport v2's fields, "
	 "as application/x-www-form-urlencoded or JSON\", \"properties\": "
	 "{\"api_key\": {\"type\": \"string\"}, \"service_code\": "
	 "{\"type\": \"string\"}, \"description\": {\"type\": "
	 "\"string\"}, \"lat\": {\"type\": \"number\"}, \"long\": "
	 "{\"type\": \"number\"}, \"address_string\": {\"type\": "
	 "\"string\"}, \"email\": {\"type\": \"string\"}, "
	 "\"first_name\": {\"type\": \"string\"}, \"last_name\": "
	 "{\"type\": \"string\"}, \"phone\": {\"type\": \"string\"}, "
	 "\"media_url\": {\"type\": \"string\"}}}"},
	{"task_answer",
	 "{\"type\": \"object\", \"required\": [\"answer\"], "
	 "\"properties\": {\"answer\": {\"type\": \"string\"}}}"},
};

static json_t *param_doc(const char *name, size_t n, int required, int path)
{
	const char *about = "";
	for (size_t k = 0; k < sizeof param_docs / sizeof *param_docs; k++)
		if (strlen(param_docs[k].name) == n &&
		    !strncmp(param_docs[k].name, name, n))
			about = param_docs[k].about;
	return json_pack("{s:s%,s:s,s:b,s:s,s:{s:s}}", "name", name, n, "in",
			 path ? "path" : "query", "required", required || path,
			 "description", about, "schema", "type", "string");
}

/* The schemas the routes share. */
static json_t *components(void)
{
	static const char text[] =
		"{\"schemas\": {"
		"\"Error\": {\"type\": \"object\", \"properties\": {\"error\": "
		"{\"type\": \"object\", \"properties\": {"
		"\"code\": {\"type\": \"string\"},"
		"\"message\": {\"type\": \"string\"},"
		"\"field\": {\"type\": [\"string\", \"null\"]}}}}},"
		"\"List\": {\"type\": \"object\", \"properties\": {"
		"\"items\": {\"type\": \"array\"},"
		"\"total\": {\"type\": \"integer\"},"
		"\"limit\": {\"type\": \"integer\"},"
		"\"offset\": {\"type\": \"integer\"}}},"
		"\"Figures\": {\"type\": \"object\", \"required\": [\"figures\"],"
		"\"properties\": {\"figures\": {\"type\": \"array\", \"items\": "
		"{\"type\": \"object\","
		"\"required\": [\"indicator\", \"area\", \"period\"],"
		"\"properties\": {\"indicator\": {\"type\": \"string\"},"
		"\"area\": {\"type\": \"string\"},"
		"\"period\": {\"type\": \"string\"},"
		"\"value\": {\"type\": [\"number\", \"null\"]},"
		"\"comment\": {\"type\": \"string\"}}}},"
		"\"reason\": {\"type\": \"string\"}}},"
		"\"Login\": {\"type\": \"object\","
		"\"required\": [\"name\", \"password\"],"
		"\"properties\": {\"name\": {\"type\": \"string\"},"
		"\"password\": {\"type\": \"string\"}}},"
		"\"User\": {\"type\": \"object\","
		"\"required\": [\"name\", \"role\"],"
		"\"properties\": {\"name\": {\"type\": \"string\"},"
		"\"role\": {\"enum\": [\"admin\", \"leader\", \"reviewer\","
		"\"department\", \"public\"]},"
		"\"department\": {\"type\": \"string\"},"
		"\"area\": {\"type\": \"string\"}}}},"
		"\"securitySchemes\": {"
		"\"cookie\": {\"type\": \"apiKey\", \"in\": \"cookie\","
		"\"name\": \"" API_COOKIE "\"},"
		"\"bearer\": {\"type\": \"http\", \"scheme\": \"bearer\"}}}";
	return json_loads(text, 0, NULL);
}

static json_t *body_doc(const char *body)
{
	for (size_t k = 0; k < sizeof body_schemas / sizeof *body_schemas; k++)
		if (!strcmp(body, body_schemas[k].name))
			return json_pack("{s:b,s:{s:{s:o}}}", "required", 1,
					 "content", "application/json",
					 "schema",
					 json_loads(body_schemas[k].schema, 0,
						    NULL));
	if (!strcmp(body, "file"))
		return json_pack("{s:b,s:{s:{s:{s:s}}}}", "required", 1,
				 "content", "text/csv", "schema", "type",
				 "string");
	return json_pack("{s:b,s:{s:{s:{s:s}}}}", "required", 1, "content",
			 "application/json", "schema", "$ref",
			 !strcmp(body, "login")  ? "#/components/schemas/Login"
			 : !strcmp(body, "user") ? "#/components/schemas/User"
						 : "#/components/schemas/Figures");
}

/* The OpenAPI document, made from the route table it describes, so the
 * two cannot disagree. */
static enum MHD_Result get_openapi(struct req *r)
{
	json_t *paths = json_object();
	for (int k = 0; k < api_nroutes; k++) {
		const struct route *rt = &api_routes[k];
		json_t *item = json_object_get(paths, rt->pattern);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt->pattern, item);
		}
		char method[8];
		size_t n = strlen(rt->method);
		for (size_t i = 0; i <= n && i < sizeof method; i++)
			method[i] = (char)(rt->method[i] >= 'A' &&
						   rt->method[i] <= 'Z'
					   ? rt->method[i] - 'A' + 'a'
					   : rt->method[i]);
		json_t *params = json_array();
		for (const char *p = strchr(rt->pattern, '{'); p;
		     p = strchr(p + 1, '{'))
			json_array_append_new(
				params, param_doc(p + 1, strcspn(p + 1, "}"),
						  1, 1));
		for (const char *p = rt->params; *p;) {
			size_t len = strcspn(p, " ");
			int required = len && p[len - 1] == '!';
			json_array_append_new(
				params, param_doc(p, len - required, required, 0));
			p += len + (p[len] == ' ');
		}
		json_t *op = json_pack(
			"{s:s,s:s,s:o,s:{s:{s:s},s:{s:s,s:{s:{s:{s:s}}}},"
			"s:{s:s}}}",
			"summary", rt->summary, "x-civstat-role",
			role_name(rt->role), "parameters", params, "responses",
			"200", "description", "done", "4XX", "description",
			"refused: bad input (400), not signed in (401), not "
			"allowed (403), not found (404), wrong method (405), a "
			"state that forbids it (409), too big (413)",
			"content", "application/json", "schema", "$ref",
			"#/components/schemas/Error", "5XX", "description",
			"the server failed");
		if (rt->body)
			json_object_set_new(op, "requestBody",
					    body_doc(rt->body));
		json_object_set_new(item, method, op);
	}
	return api_json(
		r, 200,
		json_pack("{s:s,s:{s:s,s:s,s:s},s:o,s:o}", "openapi", "3.1.0",
			  "info", "title", "civstat", "version", CS_VERSION,
			  "description",
			  "The city's figures, questions and workflow. "
			  "x-civstat-role is the least role a route needs.",
			  "paths", paths, "components", components()));
}

int api_match(const char *pattern, const char *url, char *buf, size_t cap,
	      const char **params, int *nparams)
{
	size_t used = 0;
	int n = 0;
	while (*pattern && *url) {
		if (*pattern == '{') {
			const char *close = strchr(pattern, '}');
			size_t len = strcspn(url, "/");
			if (!close || !len || n >= API_MAX_PARAMS ||
			    used + len + 1 > cap)
				return 0;
			memcpy(buf + used, url, len);
			buf[used + len] = 0;
			params[n++] = buf + used;
			used += len + 1;
			pattern = close + 1;
			url += len;
			continue;
		}
		if (*pattern++ != *url++)
			return 0;
	}
	*nparams = n;
	return !*pattern && !*url;
}

static int match(struct req *r, const char *pattern, const char *url)
{
	int n;
	return api_match(pattern, url, r->path_copy, sizeof r->path_copy,
			 r->params, &n);
}

/* Who is asking: an API token, a session cookie, or the public. */
static int authenticate(struct req *r, int *bearer)
{
	const char *token = token_of(r, bearer);
	memset(&r->who, 0, sizeof r->who);
	r->who.role = ROLE_PUBLIC;
	snprintf(r->who.name, sizeof r->who.name, "public");
	if (!token)
		return CS_OK;
	struct api *api = r->api;
	long now = (long)time(NULL), write;
	int k, rc;
	struct store *st = api_reader(api, &k);
	if (!st) {
		pthread_mutex_lock(&api->store);
		rc = auth_session(api->cs, token, now, &r->who);
		pthread_mutex_unlock(&api->store);
		return rc;
	}
	rc = auth_check(st, token, now, &r->who, &write);
	api_reader_done(api, k);
	if (write) { /* now and then: the session's row changes */
		pthread_mutex_lock(&api->store);
		auth_session_write(api->cs, token, write);
		pthread_mutex_unlock(&api->store);
	}
	return rc;
}

int api_refuse_upload(struct req *r, enum MHD_Result *ret)
{
	int bearer, need = ROLE_ADMIN;
	for (int k = 0; k < api_nroutes; k++)
		if (!strcmp(api_routes[k].pattern, "/api/v1/imports"))
			need = api_routes[k].role;
	int rc = authenticate(r, &bearer);
	if (rc == CS_OK && r->who.role >= need)
		return 0;
	*ret = rc == CS_EUNAVAIL || rc == CS_ESTORE
		       ? api_error(r, rc, NULL, "%s", cs_errmsg())
	       : r->who.user_id ? api_error(r, CS_EPERM, NULL, "%s may not "
					   "import", r->who.name)
			      : api_error(r, CS_EAUTH, NULL, "sign in first");
	return 1;
}

enum MHD_Result api_route(struct req *r)
{
	const struct route *rt = NULL;
	int path_found = 0, bearer;
	for (int k = 0; k < api_nroutes && !rt; k++) {
		if (!match(r, api_routes[k].pattern, r->url))
			continue;
		path_found = 1;
		if (!strcmp(api_routes[k].method, r->method))
			rt = &api_routes[k];
	}
	/* The exact path of a route wins over a {param} one. */
	for (int k = 0; rt && k < api_nroutes; k++)
		if (!strcmp(api_routes[k].pattern, r->url) &&
		    !strcmp(api_routes[k].method, r->method))
			rt = &api_routes[k];
	if (!rt && path_found) {
		char allow[64] = "";
		for (int k = 0; k < api_nroutes; k++)
			if (match(r, api_routes[k].pattern, r->url) &&
			    !strstr(allow, api_routes[k].method))
				snprintf(allow + strlen(allow),
					 sizeof allow - strlen(allow), "%s%s",
					 *allow ? ", " : "",
					 api_routes[k].method);
		r->allow = allow;
		return api_error(r, CS_EMETHOD, NULL, "%s is not allowed on %s "
				 "(allowed: %s)", r->method, r->url, allow);
	}
	if (!rt && !strncmp(r->url, "/open311/", 9))
		return api_open311_not_found(r);
	if (!rt)
		return api_error(r, CS_ENOTFOUND, NULL, "no such route: %s",
				 r->url);
	if (!strchr(rt->pattern, '{'))
		r->params[0] = NULL;
	int rc = authenticate(r, &bearer);
	/* The sessions cannot be read (the database is being reached
	 * again): 503, not 401, which would sign the caller out. */
	if (rc == CS_EUNAVAIL || rc == CS_ESTORE)
		return api_error(r, rc, NULL, "%s", cs_errmsg());
	if (rc && rt->role > ROLE_PUBLIC)
		return api_error(r, CS_EAUTH, NULL, "%s", cs_errmsg());
	if (rc) /* a stale cookie on a public route: the public asks */
		authenticate(r, &bearer), r->who.role = ROLE_PUBLIC;
	if (rt->role > r->who.role)
		return r->who.user_id
			       ? api_error(r, CS_EPERM, NULL,
					   "%s (%s) may not %s %s", r->who.name,
					   role_name(r->who.role), r->method,
					   rt->pattern)
			       : api_error(r, CS_EAUTH, NULL, "sign in first");
	/* A cookie session proves a write with its CSRF token. */
	if (strcmp(r->method, MHD_HTTP_METHOD_GET) && r->who.user_id &&
	    !bearer && rt->fn != post_login) {
		const char *csrf = MHD_lookup_connection_value(
			r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
		if (!csrf || strlen(csrf) != strlen(r->who.csrf) ||
		    !secret_equal(csrf, r->who.csrf, strlen(csrf)))
			return api_error(r, CS_EPERM, NULL,
					 "missing or wrong X-CSRF-Token");
	}
	struct civstat *cs = r->api->cs;
	enum MHD_Result ret;
	/* Lock order, everywhere: the store's mutex, then the cube's
	 * rwlock. */
	if (rt->write == LOCK_NONE)
		return rt->fn(r); /* it locks the store itself */
	if (rt->write == LOCK_FIGURE)
		return api_defer(r, rt->fn); /* a group's store and cube */
	if (rt->write != LOCK_READ && rt->write != LOCK_VIEW)
		pthread_mutex_lock(&r->api->store);
	if (rt->write == LOCK_WRITE) {
		cs->actor = r->who.name;
		cs->request_id = r->id;
		pthread_rwlock_wrlock(&r->api->lock);
		api_events_catalog(r->api->events,
				   atomic_load(&r->api->version) + 1);
		ret = rt->fn(r);
		atomic_fetch_add(&r->api->version, 1);
		pthread_rwlock_unlock(&r->api->lock);
		api_events_notify(r->api->events);
		cs->actor = "server";
		cs->request_id = NULL;
	} else {
		pthread_rwlock_rdlock(&r->api->lock);
		/* What anybody may read is the same for everybody: kept. */
		r->version = atomic_load(&r->api->version);
		r->cacheable = rt->role == ROLE_PUBLIC && rt->write == LOCK_READ &&
			       !strcmp(r->method, MHD_HTTP_METHOD_GET) &&
			       strncmp(rt->pattern, "/api/v1/me", 10) &&
			       !strncmp(rt->pattern, "/api/", 5);
		if (!r->cacheable || !api_cache_answer(r, &ret))
			ret = rt->fn(r);
		pthread_rwlock_unlock(&r->api->lock);
	}
	if (rt->write != LOCK_READ && rt->write != LOCK_VIEW)
		pthread_mutex_unlock(&r->api->store);
	return ret;
}
