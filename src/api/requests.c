/*
 * The residents' requests over HTTP (急难愁盼, issue 7; docs/requests.md):
 * intake (public, rate-limited, moderated), the staff's queue with the
 * overdue first, a request with its timeline, the follow page by token,
 * the workflow's steps, bulk dispatch and the rates.
 * The rules are the domain's (domain/request.c); this file reads the
 * request, decides what the caller may see, and answers JSON.
 *
 * What the public sees of a request: the service, description, place,
 * photos, state, the steps' times and the answer, unless it is held back
 * or was rejected; never the resident's contact, the actors' names or the
 * staff's notes.  Staff who may see a request (request_may_see) see it
 * whole.  Reads run on a reading connection of their own, so that the
 * queue never waits for intake's commits; intake goes through api_defer
 * (group commit), the steps take the store's connection.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/request_int.h"
#include "core/err.h"
#include "domain/service.h"

#define CHINA_OFFSET (8 * 3600) /* Asia/Shanghai: +08:00, no summer time */
#define CHINA_LAST (32503680000L - 1 - CHINA_OFFSET) /* 2999-12-31 23:59:59 */
#define DISPATCH_MAX 1000	/* requests one bulk dispatch moves */

/* ---- times ------------------------------------------------------------ */

void api_time_iso(long t, char buf[32])
{
	time_t local = (time_t)(t + CHINA_OFFSET);
	struct tm tm;
	*buf = 0;
	if (!t || !gmtime_r(&local, &tm))
		return;
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

json_t *api_time_json(long t)
{
	char buf[32];
	api_time_iso(t, buf);
	return *buf ? json_string(buf) : json_null();
}

/* Reads n digits at z into *v; nonzero when they are not. */
static int digits(const char *z, int n, int *v)
{
	*v = 0;
	for (int k = 0; k < n; k++) {
		if (!isdigit((unsigned char)z[k]))
			return -1;
		*v = *v * 10 + (z[k] - '0');
	}
	return 0;
}

int api_time_parse(const char *z, long *out, int *day)
{
	int y, mo, d, h = 0, mi = 0, s = 0, oh = 8, om = 0, sign = 1;
	const char *p = z;
	if (!z || strlen(z) < 10 || digits(p, 4, &y) || p[4] != '-' ||
	    digits(p + 5, 2, &mo) || p[7] != '-' || digits(p + 8, 2, &d))
		return -1;
	p += 10;
	if (day)
		*day = !*p;
	if (*p == 'T' || *p == ' ') {
		if (digits(p + 1, 2, &h) || p[3] != ':' ||
		    digits(p + 4, 2, &mi))
			return -1;
		p += 6;
		if (*p == ':') {
			if (digits(p + 1, 2, &s))
				return -1;
			p += 3;
			if (*p == '.') /* fractions of a second: dropped */
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
		if (*p == 'Z') {
			oh = 0;
			p++;
		} else if (*p == '+' || *p == '-') {
			sign = *p == '-' ? -1 : 1;
			if (digits(p + 1, 2, &oh) || p[3] != ':' ||
			    digits(p + 4, 2, &om))
				return -1;
			p += 6;
		}
	}
	if (*p || y < 1970 || y > 2999 || mo < 1 || mo > 12 || d < 1 ||
	    d > 31 || h > 23 || mi > 59 || s > 60 || oh > 14 || om > 59)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			.tm_hour = h, .tm_min = mi, .tm_sec = s};
	time_t t = timegm(&tm);
	if (tm.tm_mday != d) /* 2026-02-30 */
		return -1;
	t -= sign * (oh * 3600 + om * 60);
	/* Only what prints back as written in China: 1970 .. 2999. */
	if (t <= 0 || t > CHINA_LAST)
		return -1;
	*out = (long)t;
	return 0;
}

/* ---- reading ----------------------------------------------------------- */

struct store *api_read_begin(struct req *r, int *k)
{
	struct store *st = api_reader(r->api, k);
	if (st)
		return st;
	*k = -1;
	pthread_mutex_lock(&r->api->store);
	return r->api->cs->st;
}

void api_read_end(struct req *r, int k)
{
	if (k >= 0)
		api_reader_done(r->api, k);
	else
		pthread_mutex_unlock(&r->api->store);
}

static struct task_who who_of(const struct req *r)
{
	return (struct task_who){r->who.role, r->who.department_id};
}

static const char *area_code(const struct catalog *cat, int id)
{
	int a = id ? catalog_area_id(cat, id) : -1;
	return a < 0 ? NULL : cat->areas[a].code;
}

static const char *dept_code(const struct catalog *cat, int id)
{
	int d = id ? catalog_department_id(cat, id) : -1;
	return d < 0 ? NULL : cat->depts[d].code;
}

static const char *dept_name(const struct catalog *cat, int id)
{
	int d = id ? catalog_department_id(cat, id) : -1;
	return d < 0 ? NULL : cat->depts[d].name;
}

/* The JSON field of the domain's field: the record's names where the
 * body nests or lists them. */
static const char *json_field(const char *f)
{
	static const char *const map[][2] = {
		{"media_url", "media_urls"}, {"contact_name", "contact.name"},
		{"contact_phone", "contact.phone"},
		{"contact_email", "contact.email"},
	};
	for (size_t k = 0; f && k < sizeof map / sizeof *map; k++)
		if (!strcmp(f, map[k][0]))
			return map[k][1];
	return f;
}

/* The domain's refusal: 400 naming the field, 403, 404 or 409. */
static enum MHD_Result refuse(struct req *r, int rc)
{
	const char *field = rc == CS_EINVAL || rc == CS_ENOTFOUND ||
					    rc == CS_ECONFLICT
				    ? json_field(request_errfield())
				    : NULL;
	return api_error(r, rc, field, "%s",
			 *cs_errmsg() ? cs_errmsg() : cs_rc_name(rc));
}

static json_t *media_json(const char *z)
{
	json_t *a = json_array();
	while (z && *z) {
		size_t n = strcspn(z, "\n");
		if (n)
			json_array_append_new(a, json_stringn(z, n));
		z += n + (z[n] == '\n');
	}
	return a;
}

static json_t *coord(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

/*
 * A request as JSON: whole (its contact, channel, actors' concerns) for
 * staff who may see it, else the public's fields.
 */
static json_t *request_json(const struct catalog *cat,
			    const struct service_list *svc,
			    const struct request *q, int whole, long now)
{
	const struct service_entry *s = service_list_find(svc, q->service);
	json_t *j = json_pack(
		"{s:I,s:s,s:s?,s:s?,s:s,s:s,s:s,s:s,s:s?,s:s,s:o,s:o,s:o,"
		"s:s?,s:s?,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s,"
		"s:I,s:b,s:b}",
		"id", (json_int_t)q->id, "service", q->service, "service_name",
		s ? s->name : NULL, "service_name_en", s ? s->name_en : NULL,
		"state", request_state_name(q->state), "state_zh",
		request_state_zh(q->state), "description", q->description,
		"address", q->address, "area", area_code(cat, q->area_id),
		"community", q->community, "lat", coord(q->lat), "lon",
		coord(q->lon), "media_urls", media_json(q->media_url),
		"department", dept_code(cat, q->department_id),
		"department_name", dept_name(cat, q->department_id),
		"received", api_time_json(q->received), "dispatch_due",
		api_time_json(q->dispatch_due), "response_due",
		api_time_json(q->response_due), "answer_due",
		api_time_json(q->answer_due), "dispatched",
		api_time_json(q->dispatched), "accepted",
		api_time_json(q->accepted), "answered",
		api_time_json(q->answered), "followed",
		api_time_json(q->followed), "closed", api_time_json(q->closed),
		"updated", api_time_json(q->updated), "answer",
		q->answer ? q->answer : "", "duplicate_of",
		(json_int_t)q->duplicate_of, "overdue",
		request_overdue(q, now), "sample", q->sample);
	if (!j)
		return NULL;
	const char *outcome = q->outcome == REQ_OUT_FOLLOWED	? "followed"
			      : q->outcome == REQ_OUT_DUPLICATE ? "duplicate"
			      : q->outcome == REQ_OUT_REJECTED	? "rejected"
								: NULL;
	json_object_set_new(j, "outcome",
			    outcome ? json_string(outcome) : json_null());
	if (q->resolved >= 0)
		json_object_set_new(j, "resolved", json_boolean(q->resolved));
	else
		json_object_set_new(j, "resolved", json_null());
	json_object_set_new(j, "satisfaction",
			    q->satisfaction
				    ? json_string(request_satisfaction_name(
					      q->satisfaction))
				    : json_null());
	if (!whole)
		return j;
	json_object_set_new(j, "ref", json_string(q->ref ? q->ref : ""));
	json_object_set_new(j, "token", json_string(q->token ? q->token : ""));
	json_object_set_new(j, "channel",
			    json_string(q->channel ? q->channel : ""));
	json_object_set_new(j, "client",
			    json_string(q->client ? q->client : ""));
	json_object_set_new(
		j, "contact",
		json_pack("{s:s,s:s,s:s}", "name",
			  q->contact_name ? q->contact_name : "", "phone",
			  q->contact_phone ? q->contact_phone : "", "email",
			  q->contact_email ? q->contact_email : ""));
	json_object_set_new(j, "reopened", json_integer(q->reopened));
	json_object_set_new(j, "supervised", json_integer(q->supervised));
	return j;
}

struct event_walk {
	const struct catalog *cat;
	json_t *items;
	int whole;
};

static const char *action_zh(const char *action)
{
	int a = request_action_parse(action);
	return a >= 0 ? request_action_zh(a) : "受理";
}

/* The public's timeline leaves out the staff's notes and 督办, and every
 * reason but the answer to the resident. */
static int event_item(void *x, const struct request_event *e)
{
	struct event_walk *w = x;
	int public_text = !strcmp(e->action, "answer");
	if (!w->whole && (!strcmp(e->action, "note") ||
			  !strcmp(e->action, "supervise")))
		return CS_OK;
	json_t *j = json_pack(
		"{s:o,s:s,s:s,s:s,s:s,s:s?,s:s}", "at", api_time_json(e->at),
		"action", e->action, "action_zh", action_zh(e->action), "from",
		request_state_name(e->from_state), "to",
		request_state_name(e->to_state), "department",
		dept_code(w->cat, e->department_id), "text",
		w->whole || public_text ? e->text : "");
	if (j && w->whole) {
		json_object_set_new(j, "id", json_integer(e->id));
		json_object_set_new(j, "actor", json_string(e->actor));
	}
	json_array_append_new(w->items, j);
	return CS_OK;
}

/* q with its events, as the caller may see it; NULL after answering. */
static json_t *request_page(struct req *r, struct store *st,
			    const struct service_list *svc,
			    const struct request *q, int whole, long now)
{
	const struct catalog *cat = &r->api->cs->cat;
	struct event_walk w = {cat, json_array(), whole};
	json_t *j = request_json(cat, svc, q, whole, now);
	int rc = request_events(st, q->id, event_item, &w);
	if (rc || !j) {
		json_decref(j);
		json_decref(w.items);
		api_fail(r, rc ? rc : cs_errorf(CS_ENOMEM, "out of memory"));
		return NULL;
	}
	json_object_set_new(j, "events", w.items);
	return j;
}

/* ---- intake ------------------------------------------------------------ */

void api_submission_free(void *x)
{
	struct api_submission *s = x;
	if (!s)
		return;
	if (s->stored) /* request_submit made the strings its own */
		request_release(&s->rq);
	json_decref(s->body);
	free(s->texts);
	free(s->media);
	free(s);
}

static int has_link(const char *z)
{
	return z && (strcasestr(z, "http://") || strcasestr(z, "https://") ||
		     strcasestr(z, "www."));
}

/* Nonzero when description or address holds one of the words of w,
 * separated by blanks, ASCII commas or Chinese ones (，). */
static int has_hold_word(const char *w, const struct request *rq)
{
	char word[128];
	while (*w) {
		if (strchr(" ,\t\n", *w)) {
			w++;
			continue;
		}
		if (!strncmp(w, "，", 3)) {
			w += 3;
			continue;
		}
		size_t n = 0;
		while (w[n] && !strchr(" ,\t\n", w[n]) &&
		       strncmp(w + n, "，", 3))
			n++;
		if (n < sizeof word) {
			memcpy(word, w, n);
			word[n] = 0;
			if ((rq->description && strcasestr(rq->description,
							   word)) ||
			    (rq->address && strcasestr(rq->address, word)))
				return 1;
		}
		w += n;
	}
	return 0;
}

int api_submission_held(struct api *api, const struct request *rq)
{
	char words[API_HOLD_WORDS_MAX];
	if (has_link(rq->description) || has_link(rq->address) ||
	    (rq->address && strlen(rq->address) > API_HOLD_ADDRESS))
		return 1;
	api_limits_hold_words(api->limits, words, sizeof words);
	return has_hold_word(words, rq);
}

/* On the committer thread, in its group's transaction: receive the
 * submission, then answer in its door's format. */
static enum MHD_Result submit_now(struct req *r)
{
	struct api_submission *s = r->data;
	int rc = request_submit(r->api->cs, &s->rq, s->hold, s->actor,
				s->now);
	s->stored = !rc;
	return s->answer(r, rc);
}

enum MHD_Result api_submit(struct req *r,
			   enum MHD_Result (*answer)(struct req *, int))
{
	struct api_submission *s = r->data;
	s->answer = answer;
	return api_defer(r, submit_now);
}

/* The JSON route's answer: 201 with what the resident needs to follow. */
static enum MHD_Result submitted(struct req *r, int rc)
{
	struct api_submission *s = r->data;
	if (rc)
		return refuse(r, rc);
	return api_json(
		r, 201,
		json_pack("{s:I,s:s,s:s,s:s,s:o,s:o}", "id",
			  (json_int_t)s->rq.id, "token", s->rq.token, "state",
			  request_state_name(s->rq.state), "state_zh",
			  request_state_zh(s->rq.state), "received",
			  api_time_json(s->rq.received), "dispatch_due",
			  api_time_json(s->rq.dispatch_due)));
}

/* 429 in the API's error format, with Retry-After. */
static enum MHD_Result limited(struct req *r, int wait)
{
	char msg[160];
	snprintf(msg, sizeof msg, "too many submissions from this address: "
		 "try again in %d s", wait);
	r->retry_after = wait;
	return api_json(r, 429,
			json_pack("{s:{s:s,s:s,s:n}}", "error", "code",
				  "rate_limited", "message", msg, "field"));
}

/* The text member name of o into *out ("" when absent or null); nonzero
 * when it is there and not text. */
static int text_of(json_t *o, const char *name, const char **out)
{
	json_t *v = json_object_get(o, name);
	*out = "";
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

/* A coordinate: NaN when absent or null; nonzero when not a number. */
static int coord_of(json_t *o, const char *name, double *out)
{
	json_t *v = json_object_get(o, name);
	*out = NAN;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return 0;
}

/* Reads the body's fields into s->rq; the field at fault, or NULL. */
static const char *read_submission(struct req *r, struct api_submission *s,
				   char *why, size_t cap)
{
	const struct catalog *cat = &r->api->cs->cat;
	struct request *q = &s->rq;
	json_t *b = s->body, *contact = json_object_get(b, "contact"),
	       *media = json_object_get(b, "media_urls"), *m;
	const char *area;
	size_t k;
	static const char *const names[] = {"service", "description",
					    "address", "community",
					    "channel", "ref"};
	char **at[] = {&q->service, &q->description, &q->address,
		       &q->community, &q->channel, &q->ref};
	for (int f = 0; f < 6; f++)
		if (text_of(b, names[f], (const char **)at[f])) {
			snprintf(why, cap, "%s: not text", names[f]);
			return names[f];
		}
	if (text_of(b, "area", &area)) {
		snprintf(why, cap, "area: not text");
		return "area";
	}
	for (int c = 0; c < 2; c++)
		if (coord_of(b, c ? "lon" : "lat", c ? &q->lon : &q->lat)) {
			snprintf(why, cap, "%s: a number (WGS-84 degrees)",
				 c ? "lon" : "lat");
			return c ? "lon" : "lat";
		}
	if (contact && !json_is_null(contact) && !json_is_object(contact)) {
		snprintf(why, cap, "contact: {\"name\", \"phone\", \"email\"}");
		return "contact";
	}
	if (text_of(contact, "name", (const char **)&q->contact_name) ||
	    text_of(contact, "phone", (const char **)&q->contact_phone) ||
	    text_of(contact, "email", (const char **)&q->contact_email)) {
		snprintf(why, cap, "contact: name, phone and email are text");
		return "contact";
	}
	if (media && !json_is_null(media) &&
	    (!json_is_array(media) ||
	     json_array_size(media) > REQUEST_MAX_MEDIA)) {
		snprintf(why, cap, "media_urls: a list of at most %d URLs",
			 REQUEST_MAX_MEDIA);
		return "media_urls";
	}
	size_t len = 1;
	json_array_foreach(media, k, m) {
		if (!json_is_string(m) || strchr(json_string_value(m), '\n')) {
			snprintf(why, cap, "media_urls[%zu]: not a URL", k);
			return "media_urls";
		}
		len += json_string_length(m) + 1;
	}
	if (!(s->media = calloc(1, len))) {
		snprintf(why, cap, "out of memory");
		return "media_urls";
	}
	json_array_foreach(media, k, m) {
		if (k)
			strcat(s->media, "\n");
		strcat(s->media, json_string_value(m));
	}
	q->media_url = s->media;
	if (*area) {
		int a = catalog_area(cat, area, strlen(area));
		if (a < 0) {
			snprintf(why, cap, "area: \"%.64s\" is not an area",
				 area);
			return "area";
		}
		q->area_id = cat->areas[a].id;
	}
	return NULL;
}

/* POST /requests: a resident's (or the hotline's) request.  The public
 * is limited per address and moderated; staff may set channel hotline
 * and the hotline's own number (ref). */
enum MHD_Result api_post_requests(struct req *r)
{
	int staff = r->who.role > ROLE_PUBLIC, wait;
	char why[160];
	if (!staff && (wait = api_limit_check(r, NULL)))
		return limited(r, wait);
	json_t *body = api_body(r);
	if (!body)
		return MHD_YES;
	struct api_submission *s = calloc(1, sizeof *s);
	if (!s) {
		json_decref(body);
		return api_fail(r, cs_errorf(CS_ENOMEM, "out of memory"));
	}
	s->body = body;
	r->data = s;
	r->data_free = api_submission_free;
	s->rq.lat = s->rq.lon = NAN;
	s->rq.resolved = -1;
	if (!json_is_object(body))
		return api_error(r, CS_EINVAL, NULL, "body: a JSON object");
	const char *field = read_submission(r, s, why, sizeof why);
	if (field)
		return api_error(r, CS_EINVAL, field, "%s", why);
	struct request *q = &s->rq;
	if (!*q->channel)
		q->channel = (char *)(staff ? "hotline" : "web");
	if (strcmp(q->channel, "web") && strcmp(q->channel, "app") &&
	    (!staff || strcmp(q->channel, "hotline")))
		return api_error(r, CS_EINVAL, "channel", "channel: \"%.32s\" "
				 "is not %s", q->channel,
				 staff ? "web, app or hotline"
				       : "web or app (hotline: its staff)");
	if (!staff && *q->ref)
		return api_error(r, CS_EINVAL, "ref", "ref: the hotline's "
				 "number is set by its staff only");
	q->client = (char *)"";
	snprintf(s->actor, sizeof s->actor, "%s",
		 staff ? r->who.name : "resident");
	s->hold = !staff && api_submission_held(r->api, q);
	s->now = (long)time(NULL);
	return api_submit(r, submitted);
}

/* ---- the queue --------------------------------------------------------- */

/* A department code of the query into its id; -1 after answering. */
static int department_arg(struct req *r, const char *z, int *id)
{
	const struct catalog *cat = &r->api->cs->cat;
	int d = z ? catalog_department(cat, z, strlen(z)) : -1;
	*id = 0;
	if (!z || !*z)
		return 0;
	if (d < 0) {
		api_error(r, CS_ENOTFOUND, "department", "unknown department "
			  "\"%.64s\"", z);
		return -1;
	}
	*id = cat->depts[d].id;
	return 0;
}

static int area_arg(struct req *r, const char *z, int *id)
{
	const struct catalog *cat = &r->api->cs->cat;
	int a = z && *z ? catalog_area(cat, z, strlen(z)) : -1;
	*id = 0;
	if (!z || !*z)
		return 0;
	if (a < 0) {
		api_error(r, CS_ENOTFOUND, "area", "unknown area \"%.64s\"", z);
		return -1;
	}
	*id = cat->areas[a].id;
	return 0;
}

/* Which department a clerk's read is bound to: theirs, refusing another
 * one; 0 for reviewers and above.  -1 after answering 403. */
static int own_department(struct req *r, int *department_id)
{
	if (r->who.role >= ROLE_REVIEWER)
		return 0;
	if (!r->who.department_id ||
	    (*department_id && *department_id != r->who.department_id)) {
		api_error(r, CS_EPERM, "department", "%s (%s) sees only the "
			  "requests of its own department", r->who.name,
			  role_name(r->who.role));
		return -1;
	}
	*department_id = r->who.department_id;
	return 0;
}

/* The query of GET /requests into f; -1 after answering 400. */
static int queue_filter(struct req *r, struct request_filter *f, long now)
{
	const char *state = api_arg(r, "state"), *from = api_arg(r, "from"),
		   *to = api_arg(r, "to"), *sort = api_arg(r, "sort"),
		   *overdue = api_arg(r, "overdue");
	int day;
	memset(f, 0, sizeof *f);
	f->now = now;
	for (const char *p = state; p && *p;) {
		char one[48];
		size_t n = strcspn(p, ",");
		int s = -1;
		if (n < sizeof one) {
			memcpy(one, p, n);
			one[n] = 0;
			s = request_state_parse(one);
		}
		if (s < 0) {
			api_error(r, CS_EINVAL, "state", "state: \"%.*s\" is "
				  "not one of held received dispatched "
				  "in_progress answered closed",
				  (int)(n < 48 ? n : 48), p);
			return -1;
		}
		f->states |= 1u << s;
		p += n + (p[n] == ',');
	}
	if ((f->states & (1u << REQ_HELD)) && r->who.role < ROLE_REVIEWER) {
		api_error(r, CS_EPERM, "state", "held requests are the "
			  "moderators' (reviewers and above)");
		return -1;
	}
	if (from && api_time_parse(from, &f->received_from, NULL)) {
		api_error(r, CS_EINVAL, "from", "from: \"%.32s\" is not a "
			  "date (YYYY-MM-DD) or time", from);
		return -1;
	}
	if (to && api_time_parse(to, &f->received_to, &day)) {
		api_error(r, CS_EINVAL, "to", "to: \"%.32s\" is not a date "
			  "(YYYY-MM-DD) or time", to);
		return -1;
	}
	if (to && day) /* a day given is the last day, whole */
		f->received_to += 86400;
	if (sort && strcmp(sort, "due") && strcmp(sort, "received")) {
		api_error(r, CS_EINVAL, "sort", "sort: due or received");
		return -1;
	}
	f->sort = sort && !strcmp(sort, "received") ? REQ_SORT_RECEIVED
						    : REQ_SORT_DUE;
	f->overdue = overdue && strcmp(overdue, "0");
	f->service = api_arg(r, "service");
	if (department_arg(r, api_arg(r, "department"), &f->department_id) ||
	    area_arg(r, api_arg(r, "area"), &f->area_id) ||
	    own_department(r, &f->department_id) ||
	    api_page(r, &f->limit, &f->offset))
		return -1;
	return 0;
}

struct queue_walk {
	const struct catalog *cat;
	const struct service_list *svc;
	json_t *items;
	long now;
};

static int queue_item(void *x, const struct request *q)
{
	struct queue_walk *w = x;
	json_t *j = request_json(w->cat, w->svc, q, 1, w->now);
	if (!j)
		return cs_errorf(CS_ENOMEM, "out of memory");
	json_array_append_new(w->items, j);
	return CS_OK;
}

static int count_none(void *x, const struct request *q)
{
	(void)x;
	(void)q;
	return CS_OK;
}

/* GET /requests: the staff's queue, overdue first, with the count in each
 * state under the same filter, unless ?counts=0 (a count is a scan of what
 * the filter keeps: a page that needs none should not pay for six). */
enum MHD_Result api_get_requests(struct req *r)
{
	struct request_filter f;
	long now = (long)time(NULL), total = 0;
	if (queue_filter(r, &f, now))
		return MHD_YES;
	int k;
	struct store *st = api_read_begin(r, &k);
	struct service_list svc;
	struct queue_walk w = {&r->api->cs->cat, &svc, json_array(), now};
	json_t *counts = json_object();
	int rc = service_list_load(st, &svc);
	if (!rc)
		rc = request_list(st, &f, queue_item, &w, &total);
	const char *want = api_arg(r, "counts");
	for (int s = 0; !rc && (!want || strcmp(want, "0")) && s < REQ_NSTATE;
	     s++) {
		struct request_filter c = f;
		long n = 0;
		if (s == REQ_HELD && r->who.role < ROLE_REVIEWER)
			continue;
		c.states = 1u << s;
		c.limit = 1;
		c.offset = 0;
		rc = request_list(st, &c, count_none, NULL, &n);
		json_object_set_new(counts, request_state_name(s),
				    json_integer(n));
	}
	service_list_release(&svc);
	api_read_end(r, k);
	if (rc) {
		json_decref(w.items);
		json_decref(counts);
		return api_fail(r, rc);
	}
	if (want && !strcmp(want, "0")) {
		json_decref(counts);
		counts = json_null();
	}
	return api_json(r, 200,
			json_pack("{s:o,s:I,s:I,s:I,s:o}", "items", w.items,
				  "total", (json_int_t)total, "limit",
				  (json_int_t)f.limit, "offset",
				  (json_int_t)f.offset, "counts", counts));
}

/* ---- one request ------------------------------------------------------- */

/* The {id} of the path; 0 when it is not one. */
static long id_param(const char *z)
{
	char *end;
	long id = z ? strtol(z, &end, 10) : 0;
	return z && *z && !*end && id > 0 ? id : 0;
}

/* Answers the request of the path's {id}, or of token, as the caller may
 * see it: whole with its events for staff who may see it, else the
 * public's fields. */
static enum MHD_Result request_answer(struct req *r, const char *token)
{
	long id = token ? 0 : id_param(r->params[0]), now = (long)time(NULL);
	struct request q = {0};
	struct service_list svc = {0};
	struct task_who who = who_of(r);
	json_t *j = NULL;
	int k, rc;
	if (!token && !id)
		return api_error(r, CS_ENOTFOUND, "id", "no request \"%.32s\"",
				 r->params[0]);
	struct store *st = api_read_begin(r, &k);
	if ((rc = request_get(st, id, token, &q)) ||
	    (rc = service_list_load(st, &svc))) {
		api_read_end(r, k);
		request_release(&q);
		service_list_release(&svc);
		if (rc == CS_ENOTFOUND)
			return api_error(r, rc, token ? "token" : "id",
					 "no request %s", token ? "with this "
					 "token" : r->params[0]);
		return api_fail(r, rc);
	}
	int whole = r->who.role > ROLE_PUBLIC && request_may_see(&who, &q);
	/* Held and rejected requests are not the public's, save their
	 * resident's by token. */
	int shown = whole || token ||
		    (q.state != REQ_HELD && q.outcome != REQ_OUT_REJECTED);
	if (shown)
		j = request_page(r, st, &svc, &q, whole, now);
	api_read_end(r, k);
	service_list_release(&svc);
	request_release(&q);
	if (!shown)
		return api_error(r, CS_ENOTFOUND, "id", "no request %s",
				 r->params[0]);
	return j ? api_json(r, 200, j) : MHD_YES;
}

/* GET /requests/{id} */
enum MHD_Result api_get_request(struct req *r)
{
	return request_answer(r, NULL);
}

/* GET /requests/track/{token}: the resident's follow page, the public
 * fields and timeline, held ones too (it is their own). */
enum MHD_Result api_get_request_track(struct req *r)
{
	const char *t = r->params[0];
	if (!t || strlen(t) != 32 || strspn(t, "0123456789abcdef") != 32)
		return api_error(r, CS_ENOTFOUND, "token", "no request with "
				 "this token");
	return request_answer(r, t);
}

/* ---- the workflow ------------------------------------------------------ */

/* The body of a step into s; the field at fault, or NULL. */
static const char *read_step(json_t *b, struct request_step *s, char *why,
			     size_t cap)
{
	json_t *v;
	const char *z;
	if (text_of(b, "department", &s->department)) {
		snprintf(why, cap, "department: a department's code");
		return "department";
	}
	if (text_of(b, "text", &s->text)) {
		snprintf(why, cap, "text: not text");
		return "text";
	}
	v = json_object_get(b, "resolved");
	s->resolved = -1;
	if (json_is_boolean(v))
		s->resolved = json_is_true(v);
	else if (json_is_integer(v) && json_integer_value(v) >= 0 &&
		 json_integer_value(v) <= 1)
		s->resolved = (int)json_integer_value(v);
	else if (v && !json_is_null(v)) {
		snprintf(why, cap, "resolved: true or false");
		return "resolved";
	}
	if (text_of(b, "satisfaction", &z)) {
		snprintf(why, cap, "satisfaction: text");
		return "satisfaction";
	}
	if (*z && (s->satisfaction = request_satisfaction_parse(z)) < 0) {
		snprintf(why, cap, "satisfaction: \"%.32s\" is not satisfied, "
			 "basic or dissatisfied (满意 基本满意 不满意)", z);
		return "satisfaction";
	}
	v = json_object_get(b, "duplicate_of");
	if (json_is_integer(v) && json_integer_value(v) > 0)
		s->duplicate_of = (long)json_integer_value(v);
	else if (v && !json_is_null(v)) {
		snprintf(why, cap, "duplicate_of: a request's id");
		return "duplicate_of";
	}
	return NULL;
}

/* POST /requests/{id}/{step}: one step of the workflow, as
 * docs/requests.md's table allows; answers the request after it. */
enum MHD_Result api_post_request_step(struct req *r)
{
	long id = id_param(r->params[0]), now = (long)time(NULL);
	int action = request_action_parse(r->params[1]);
	struct request_step s = {.action = action};
	struct task_who who = who_of(r);
	struct request out = {0};
	char why[192];
	json_t *body = NULL;
	if (!id)
		return api_error(r, CS_ENOTFOUND, "id", "no request \"%.32s\"",
				 r->params[0]);
	if (action < 0)
		return api_error(r, CS_ENOTFOUND, "step", "no step \"%.32s\" "
				 "(approve reject dispatch return accept "
				 "answer followup reopen duplicate supervise "
				 "note)", r->params[1]);
	if (r->body && !(body = api_body(r)))
		return MHD_YES;
	if (body && !json_is_object(body)) {
		json_decref(body);
		return api_error(r, CS_EINVAL, NULL, "body: a JSON object");
	}
	const char *field = body ? read_step(body, &s, why, sizeof why) : NULL;
	if (field) {
		json_decref(body);
		return api_error(r, CS_EINVAL, field, "%s", why);
	}
	api_write_begin(r);
	int rc = request_act(r->api->cs, id, &s, &who, now, &out);
	api_write_end(r, 1);
	json_decref(body);
	if (rc)
		return refuse(r, rc);
	struct service_list svc;
	int k;
	struct store *st = api_read_begin(r, &k);
	json_t *j = NULL;
	if (!(rc = service_list_load(st, &svc)))
		j = request_page(r, st, &svc, &out, 1, now);
	service_list_release(&svc);
	api_read_end(r, k);
	request_release(&out);
	if (rc)
		return api_fail(r, rc);
	return j ? api_json(r, 200, j) : MHD_YES;
}

/* POST /requests/dispatch {"ids": [...], "department"}: all or none. */
enum MHD_Result api_post_requests_dispatch(struct req *r)
{
	json_t *ids, *v, *body = api_body_list(r, "ids", DISPATCH_MAX,
						"request ids", &ids);
	const char *dept;
	struct task_who who = who_of(r);
	size_t k;
	if (!body)
		return MHD_YES;
	if (text_of(body, "department", &dept) || !*dept) {
		json_decref(body);
		return api_error(r, CS_EINVAL, "department", "department: the "
				 "code of the department to dispatch to");
	}
	long *a = calloc(json_array_size(ids), sizeof *a);
	if (!a) {
		json_decref(body);
		return api_fail(r, cs_errorf(CS_ENOMEM, "out of memory"));
	}
	json_array_foreach(ids, k, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			free(a);
			json_decref(body);
			return api_error(r, CS_EINVAL, "ids", "ids[%zu]: not a "
					 "request's id", k);
		}
		a[k] = (long)json_integer_value(v);
	}
	int n = (int)json_array_size(ids);
	api_write_begin(r);
	int rc = request_dispatch_all(r->api->cs, a, n, dept, &who,
				      (long)time(NULL));
	api_write_end(r, 1);
	free(a);
	enum MHD_Result ret =
		rc ? refuse(r, rc)
		   : api_json(r, 200, json_pack("{s:i,s:s}", "dispatched", n,
						"department", dept));
	json_decref(body);
	return ret;
}

/* ---- the rates --------------------------------------------------------- */

/* "2026-03" into 202603; -1 when it is not a month. */
static int month_of(const char *z)
{
	int y, m;
	if (!z || strlen(z) != 7 || digits(z, 4, &y) || z[4] != '-' ||
	    digits(z + 5, 2, &m) || y < 1970 || m < 1 || m > 12)
		return -1;
	return y * 100 + m;
}

static json_t *rate_json(long num, long den)
{
	return json_pack("{s:I,s:I,s:o}", "num", (json_int_t)num, "den",
			 (json_int_t)den,
			 "rate", den ? json_real(100.0 * (double)num /
						 (double)den)
				     : json_null());
}

static json_t *tally_json(const struct catalog *cat, int by,
			  const struct request_tally *t)
{
	static const char *const rates[] = {"response", "on_time",
					    "resolution", "satisfaction",
					    "reopen"};
	const struct request_stat *s = &t->sum;
	char key[16];
	json_t *k = json_null();
	if (by == REQ_BY_DEPARTMENT)
		k = dept_code(cat, t->key) ? json_string(dept_code(cat, t->key))
					   : json_null();
	else if (by == REQ_BY_AREA)
		k = area_code(cat, t->key) ? json_string(area_code(cat, t->key))
					   : json_null();
	else if (by == REQ_BY_SERVICE)
		k = json_string(t->service);
	else if (by == REQ_BY_MONTH) {
		snprintf(key, sizeof key, "%04d-%02d", t->key / 100,
			 t->key % 100);
		k = json_string(key);
	}
	json_t *rj = json_object();
	for (int i = 0; i < 5; i++)
		json_object_set_new(rj, rates[i],
				    rate_json(t->num[i], t->den[i]));
	return json_pack(
		"{s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,"
		"s:I,s:I,s:I},s:o,s:I}",
		"key", k, "counts", "received", (json_int_t)s->received,
		"duplicates", (json_int_t)s->duplicates, "dispatched",
		(json_int_t)s->dispatched, "dispatched_on_time",
		(json_int_t)s->dispatched_on_time, "responded",
		(json_int_t)s->responded, "responded_on_time",
		(json_int_t)s->responded_on_time, "answered",
		(json_int_t)s->answered, "answered_on_time",
		(json_int_t)s->answered_on_time, "followed",
		(json_int_t)s->followed, "resolved", (json_int_t)s->resolved,
		"satisfied", (json_int_t)s->satisfied, "basic",
		(json_int_t)s->basic, "dissatisfied",
		(json_int_t)s->dissatisfied, "reopened",
		(json_int_t)s->reopened, "closed", (json_int_t)s->closed,
		"open_delta", (json_int_t)s->open_delta, "rates", rj, "open",
		(json_int_t)t->open);
}

/* GET /requests/stats: the rates with numerator and denominator.  The
 * public sees the city's rows (no department), a clerk its own
 * department's. */
enum MHD_Result api_get_requests_stats(struct req *r)
{
	static const char *const bys[] = {"none", "department", "area",
					  "service", "month"};
	const char *from = api_arg(r, "from"), *to = api_arg(r, "to"),
		   *by = api_arg(r, "by");
	struct request_rate_filter f = {0};
	time_t t = time(NULL) + CHINA_OFFSET;
	struct tm tm;
	gmtime_r(&t, &tm);
	f.month_to = (tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
	f.month_from = (tm.tm_year + 1900) * 100 + 1;
	if (from && (f.month_from = month_of(from)) < 0)
		return api_error(r, CS_EINVAL, "from", "from: \"%.16s\" is not "
				 "a month (2026-01)", from);
	if (to && (f.month_to = month_of(to)) < 0)
		return api_error(r, CS_EINVAL, "to", "to: \"%.16s\" is not a "
				 "month (2026-11)", to);
	if (f.month_from > f.month_to)
		return api_error(r, CS_EINVAL, "from", "from: after to");
	f.by = by ? -1 : REQ_BY_NONE;
	for (int k = 0; by && k < 5; k++)
		if (!strcmp(by, bys[k]))
			f.by = k;
	if (f.by < 0)
		return api_error(r, CS_EINVAL, "by", "by: none, department, "
				 "area, service or month");
	f.service = api_arg(r, "service");
	if (department_arg(r, api_arg(r, "department"), &f.department_id) ||
	    area_arg(r, api_arg(r, "area"), &f.area_id))
		return MHD_YES;
	if (r->who.role == ROLE_PUBLIC &&
	    (f.department_id || f.by == REQ_BY_DEPARTMENT))
		return api_error(r, CS_EAUTH, "department", "the departments' "
				 "rates are the staff's: sign in");
	if (r->who.role > ROLE_PUBLIC && own_department(r, &f.department_id))
		return MHD_YES;
	struct request_tally *rows = NULL;
	int n = 0, k;
	struct store *st = api_read_begin(r, &k);
	int rc = request_rates(st, &f, &rows, &n);
	api_read_end(r, k);
	if (rc) {
		free(rows);
		return api_fail(r, rc);
	}
	const struct catalog *cat = &r->api->cs->cat;
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, tally_json(cat, f.by, &rows[i]));
	free(rows);
	char a[16], b[16];
	snprintf(a, sizeof a, "%04d-%02d", f.month_from / 100,
		 f.month_from % 100);
	snprintf(b, sizeof b, "%04d-%02d", f.month_to / 100, f.month_to % 100);
	return api_json(r, 200, json_pack("{s:s,s:s,s:s,s:o}", "from", a, "to",
					  b, "by", bys[f.by], "items", items));
}
