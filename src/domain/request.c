/*
 * The residents' requests (急难愁盼, issue 7): intake, the workflow of
 * docs/requests.md with its roles and deadlines, the timeline's events and
 * the tallies the rates are read from, each step in one transaction.
 */
#include "domain/request.h"

#include <ctype.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/period.h"
#include "domain/holiday.h"
#include "domain/request_int.h"
#include "domain/values.h"

static _Thread_local const char *errfield;

const char *request_errfield(void)
{
	return errfield;
}

int request_bad(int rc, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	errfield = field;
	return cs_errorf(rc, "%s: %s", field, msg);
}

/* ---- names ------------------------------------------------------------ */

static const char *const state_names[REQ_NSTATE][2] = {
	{"held", "待审核"},	    {"received", "已受理"},
	{"dispatched", "已派单"},  {"in_progress", "承办中"},
	{"answered", "已办结"},    {"closed", "已关闭"},
};

static const char *const action_names[REQ_NACT][2] = {
	[REQ_ACT_APPROVE] = {"approve", "通过"},
	[REQ_ACT_REJECT] = {"reject", "驳回"},
	[REQ_ACT_DISPATCH] = {"dispatch", "派单"},
	[REQ_ACT_RETURN] = {"return", "退单"},
	[REQ_ACT_ACCEPT] = {"accept", "承办"},
	[REQ_ACT_ANSWER] = {"answer", "办结"},
	[REQ_ACT_FOLLOWUP] = {"followup", "回访"},
	[REQ_ACT_REOPEN] = {"reopen", "重办"},
	[REQ_ACT_DUPLICATE] = {"duplicate", "合并"},
	[REQ_ACT_SUPERVISE] = {"supervise", "督办"},
	[REQ_ACT_NOTE] = {"note", "备注"},
};

static const char *const sat_names[4][2] = {
	{"", ""},
	{"satisfied", "满意"},
	{"basic", "基本满意"},
	{"dissatisfied", "不满意"},
};

static int parse2(const char *const (*names)[2], int n, const char *z)
{
	if (!z)
		return -1;
	for (int k = 0; k < n; k++)
		if (*names[k][0] && (!strcmp(z, names[k][0]) ||
				     !strcmp(z, names[k][1])))
			return k;
	return -1;
}

const char *request_state_name(int s)
{
	return s >= 0 && s < REQ_NSTATE ? state_names[s][0] : "";
}

const char *request_state_zh(int s)
{
	return s >= 0 && s < REQ_NSTATE ? state_names[s][1] : "";
}

int request_state_parse(const char *z)
{
	return parse2(state_names, REQ_NSTATE, z);
}

int request_is_open(int state)
{
	return state >= REQ_RECEIVED && state <= REQ_ANSWERED;
}

const char *request_satisfaction_name(int s)
{
	return s > 0 && s < 4 ? sat_names[s][0] : "";
}

const char *request_satisfaction_zh(int s)
{
	return s > 0 && s < 4 ? sat_names[s][1] : "";
}

int request_satisfaction_parse(const char *z)
{
	return parse2(sat_names, 4, z);
}

const char *request_action_name(int a)
{
	return a >= 0 && a < REQ_NACT ? action_names[a][0] : "";
}

const char *request_action_zh(int a)
{
	return a >= 0 && a < REQ_NACT ? action_names[a][1] : "";
}

int request_action_parse(const char *z)
{
	return parse2(action_names, REQ_NACT, z);
}

void request_release(struct request *r)
{
	char **s[] = {&r->ref, &r->token, &r->service, &r->description,
		      &r->address, &r->community, &r->media_url,
		      &r->contact_name, &r->contact_phone,
		      &r->contact_email, &r->channel, &r->client,
		      &r->answer};
	for (size_t k = 0; k < sizeof s / sizeof *s; k++) {
		free(*s[k]);
		*s[k] = NULL;
	}
}

void request_event_release(struct request_event *e)
{
	free(e->actor);
	free(e->action);
	free(e->text);
	e->actor = e->action = e->text = NULL;
}

/* Copies every string of r (which may point anywhere) into malloc'd
 * ones; on error r is unchanged. */
static int request_dup(struct request *r)
{
	struct request c = *r;
	char **s[] = {&c.ref, &c.token, &c.service, &c.description,
		      &c.address, &c.community, &c.media_url,
		      &c.contact_name, &c.contact_phone,
		      &c.contact_email, &c.channel, &c.client, &c.answer};
	size_t n = sizeof s / sizeof *s, k;
	for (k = 0; k < n; k++)
		if (!(*s[k] = strdup(*s[k] ? *s[k] : "")))
			break;
	if (k < n) {
		while (k--)
			free(*s[k]);
		return cs_errorf(CS_ENOMEM, "out of memory");
	}
	*r = c;
	return CS_OK;
}

/* ---- the cache: calendar, catalogue, settings ---------------------- */

static int cache_service(void *ctx, const struct service *v)
{
	struct request_cache *c = ctx;
	struct request_service *a = realloc(
		c->services, (size_t)(c->n_services + 1) * sizeof *a);
	if (!a)
		return cs_errorf(CS_ENOMEM, "out of memory");
	c->services = a;
	a += c->n_services++;
	snprintf(a->code, sizeof a->code, "%s", v->code);
	snprintf(a->department, sizeof a->department, "%s", v->department);
	a->dispatch_days = v->dispatch_days;
	a->answer_days = v->answer_days;
	a->answer_hours = v->answer_hours;
	a->public = v->public;
	return CS_OK;
}

static void cache_free(struct request_cache *c)
{
	if (!c)
		return;
	workday_release(&c->cal);
	free(c->services);
	free(c);
}

void request_forget(struct civstat *cs)
{
	cache_free(cs->requests);
	cs->requests = NULL;
}

int request_cache_get(struct civstat *cs, struct request_cache **out)
{
	long now = (long)time(NULL);
	struct request_cache *c = cs->requests;
	char *z = NULL;
	int rc;
	if (c && now - c->loaded < REQUEST_CACHE_SECONDS && now >= c->loaded) {
		*out = c;
		return CS_OK;
	}
	request_forget(cs);
	if (!(c = calloc(1, sizeof *c)))
		return cs_errorf(CS_ENOMEM, "out of memory");
	if ((rc = holiday_calendar(cs->st, &c->cal)) ||
	    (rc = cs->st->ops->scan_services(cs->st, cache_service, c)) ||
	    (rc = cs->st->ops->get_meta(cs->st, "request.response_days",
					&z))) {
		cache_free(c);
		return rc;
	}
	c->response_days = REQUEST_RESPONSE_DAYS;
	if (z && atoi(z) >= 0 && atoi(z) <= 60)
		c->response_days = atoi(z);
	free(z);
	c->loaded = now;
	cs->requests = c;
	*out = c;
	return CS_OK;
}

const struct request_service *request_service_find(
	const struct request_cache *c, const char *code)
{
	for (int k = 0; code && k < c->n_services; k++)
		if (!strcmp(c->services[k].code, code))
			return &c->services[k];
	return NULL;
}

/* ---- checks ----------------------------------------------------------- */

static int check_len(const char *field, const char *z, size_t max)
{
	if (z && strlen(z) > max)
		return request_bad(CS_EINVAL, field, "longer than %zu bytes",
				   max);
	return CS_OK;
}

static int check_media(const char *z)
{
	int n = 0;
	while (z && *z) {
		const char *end = strchr(z, '\n');
		size_t len = end ? (size_t)(end - z) : strlen(z);
		if (len) {
			if (++n > REQUEST_MAX_MEDIA)
				return request_bad(CS_EINVAL, "media_url",
						   "more than %d photos",
						   REQUEST_MAX_MEDIA);
			if (strncmp(z, "http://", 7) &&
			    strncmp(z, "https://", 8))
				return request_bad(CS_EINVAL, "media_url",
						   "\"%.*s\" is not an http(s) "
						   "URL",
						   (int)(len > 80 ? 80 : len),
						   z);
			for (size_t k = 0; k < len; k++)
				if ((unsigned char)z[k] <= ' ')
					return request_bad(
						CS_EINVAL, "media_url",
						"a URL has a blank or a "
						"control character");
		}
		z = end ? end + 1 : z + len;
	}
	return CS_OK;
}

int request_check(struct civstat *cs, const struct request_cache *c,
		  const struct request *r, int staff)
{
	static const char *const channels[] = {"web", "hotline", "app",
					       "open311", NULL};
	const struct request_service *sv = request_service_find(c, r->service);
	int rc;
	errfield = NULL;
	if (!r->service || !*r->service)
		return request_bad(CS_EINVAL, "service", "missing");
	if (!sv || (!sv->public && !staff))
		return request_bad(CS_ENOTFOUND, "service",
				   "no such service \"%.64s\"", r->service);
	if (!r->description || !*r->description)
		return request_bad(CS_EINVAL, "description", "missing");
	if ((rc = check_len("description", r->description,
			    REQUEST_MAX_DESC)) ||
	    (rc = check_len("ref", r->ref, 64)) ||
	    (rc = check_len("address", r->address, 256)) ||
	    (rc = check_len("community", r->community, 128)) ||
	    (rc = check_len("contact_name", r->contact_name, 64)) ||
	    (rc = check_len("contact_email", r->contact_email, 254)) ||
	    (rc = check_len("contact_phone", r->contact_phone, 32)) ||
	    (rc = check_len("media_url", r->media_url, 4096)))
		return rc;
	int has_lat = !isnan(r->lat), has_lon = !isnan(r->lon);
	if (has_lat != has_lon)
		return request_bad(CS_EINVAL, has_lat ? "lon" : "lat",
				   "missing: give both lat and lon");
	if (has_lat && !(r->lat >= -90 && r->lat <= 90))
		return request_bad(CS_EINVAL, "lat", "%g is not -90..90",
				   r->lat);
	if (has_lon && !(r->lon >= -180 && r->lon <= 180))
		return request_bad(CS_EINVAL, "lon", "%g is not -180..180",
				   r->lon);
	if (!has_lat && (!r->address || !*r->address))
		return request_bad(CS_EINVAL, "address",
				   "missing: give an address or lat and lon");
	if (r->area_id && catalog_area_id(&cs->cat, r->area_id) < 0)
		return request_bad(CS_ENOTFOUND, "area", "no such area %d",
				   r->area_id);
	if ((rc = check_media(r->media_url)))
		return rc;
	for (const char *p = r->contact_phone; p && *p; p++)
		if (!isdigit((unsigned char)*p) && !strchr("+- ", *p))
			return request_bad(CS_EINVAL, "contact_phone",
					   "\"%.32s\" is not a phone number",
					   r->contact_phone);
	if (r->contact_email && *r->contact_email &&
	    !strchr(r->contact_email, '@'))
		return request_bad(CS_EINVAL, "contact_email",
				   "\"%.64s\" is not an email address",
				   r->contact_email);
	if (r->channel && *r->channel) {
		int k = 0;
		while (channels[k] && strcmp(channels[k], r->channel))
			k++;
		if (!channels[k])
			return request_bad(CS_EINVAL, "channel",
					   "\"%.32s\" is not web, hotline, app "
					   "or open311",
					   r->channel);
	}
	return CS_OK;
}

/* ---- the tallies ------------------------------------------------------ */

int request_month(long t)
{
	int y, m, d;
	workday_civil(workday_day_of((time_t)t), &y, &m, &d);
	return y * 100 + m;
}

int request_counted(const struct request *r)
{
	return r->state != REQ_HELD && r->outcome != REQ_OUT_REJECTED &&
	       r->outcome != REQ_OUT_DUPLICATE;
}

void request_contribution(const struct request *r, struct request_stat *s)
{
	memset(s, 0, sizeof *s);
	s->month = request_month(r->received);
	s->department_id = r->department_id;
	s->area_id = r->area_id;
	s->service = r->service;
	if (r->outcome == REQ_OUT_DUPLICATE)
		s->duplicates = 1;
	if (!request_counted(r))
		return;
	s->received = 1;
	s->dispatched = r->dispatched > 0;
	s->dispatched_on_time = r->dispatched > 0 &&
				r->dispatched <= r->dispatch_due;
	s->responded = r->accepted > 0;
	s->responded_on_time = r->accepted > 0 &&
			       r->accepted <= r->response_due;
	s->answered = r->answered > 0;
	s->answered_on_time = r->answered > 0 && r->answered <= r->answer_due;
	s->followed = r->followed > 0;
	s->resolved = r->followed > 0 && r->resolved == 1;
	s->satisfied = r->followed > 0 &&
		       r->satisfaction == REQ_SAT_SATISFIED;
	s->basic = r->followed > 0 && r->satisfaction == REQ_SAT_BASIC;
	s->dissatisfied = r->followed > 0 &&
			  r->satisfaction == REQ_SAT_DISSATISFIED;
	s->reopened = r->reopened > 0;
	s->closed = r->state == REQ_CLOSED;
}

/* The counts of struct request_stat, in order, for the sums below. */
#define STAT_COUNTS(X)                                                      \
	X(received) X(duplicates) X(dispatched) X(dispatched_on_time)       \
	X(responded) X(responded_on_time) X(answered) X(answered_on_time)   \
	X(followed) X(resolved) X(satisfied) X(basic) X(dissatisfied)       \
	X(reopened) X(closed) X(open_delta)

void request_stat_add(struct request_stat *d, const struct request_stat *s,
		      int sign)
{
#define ADD(f) d->f += sign * s->f;
	STAT_COUNTS(ADD)
#undef ADD
}

int request_stat_any(const struct request_stat *s)
{
#define ANY(f) s->f ||
	return STAT_COUNTS(ANY) 0;
#undef ANY
}

static int same_key(const struct request_stat *a, const struct request_stat *b)
{
	return a->month == b->month && a->department_id == b->department_id &&
	       a->area_id == b->area_id && !strcmp(a->service, b->service);
}

static int open_counted(const struct request *r)
{
	return r && request_counted(r) && request_is_open(r->state);
}

int request_tally(const struct request *old, const struct request *new,
		  long now, request_stat_sink put, void *ctx, int *fed)
{
	struct request_stat rows[4];
	int n = 0, rc = CS_OK;
	struct request_stat o, c;
	request_contribution(new, &c);
	rows[n++] = c;
	if (old) {
		request_contribution(old, &o);
		if (same_key(&o, &c)) {
			request_stat_add(&rows[0], &o, -1);
		} else {
			struct request_stat neg = {
				.month = o.month,
				.department_id = o.department_id,
				.area_id = o.area_id,
				.service = o.service,
			};
			request_stat_add(&neg, &o, -1);
			rows[n++] = neg;
		}
	}
	*fed = 0;
	for (int k = 0; k < n; k++)
		if (rows[k].answered || rows[k].answered_on_time ||
		    rows[k].followed || rows[k].resolved ||
		    rows[k].satisfied || rows[k].basic)
			*fed = 1;
	/* The open count, by the month of the change. */
	int was = open_counted(old), is = open_counted(new);
	int moved = old && (old->department_id != new->department_id ||
			    old->area_id != new->area_id ||
			    strcmp(old->service, new->service));
	if (was && (!is || moved)) {
		struct request_stat d = {.month = request_month(now),
					 .department_id = old->department_id,
					 .area_id = old->area_id,
					 .service = old->service,
					 .open_delta = -1};
		rows[n++] = d;
	}
	if (is && (!was || moved)) {
		struct request_stat d = {.month = request_month(now),
					 .department_id = new->department_id,
					 .area_id = new->area_id,
					 .service = new->service,
					 .open_delta = 1};
		rows[n++] = d;
	}
	/* A new request's open count falls in its own cohort's row: one
	 * write, not two. */
	for (int k = 1; k < n; k++) {
		for (int j = 0; j < k; j++) {
			if (!same_key(&rows[j], &rows[k]))
				continue;
			request_stat_add(&rows[j], &rows[k], 1);
			rows[k] = rows[--n];
			k--;
			break;
		}
	}
	for (int k = 0; k < n && !rc; k++)
		if (request_stat_any(&rows[k]))
			rc = put(ctx, &rows[k]);
	return rc;
}

/* The sink of the tallies of one step: the store. */
static int to_store(void *ctx, const struct request_stat *s)
{
	struct store *st = ctx;
	return st->ops->add_request_stat(st, s);
}

/* ---- the fed indicators ---------------------------------------------- */

struct sum_one {
	struct request_stat s;
};

static int sum_row(void *ctx, const struct request_stat *s)
{
	struct sum_one *o = ctx;
	request_stat_add(&o->s, s, 1);
	return CS_OK;
}

/* Writes indicator code's figure for area index a, month index mi, as
 * num/den % (none when den is 0), unless it is that already. */
static int feed_one(struct civstat *cs, const char *code, int a, int mi,
		    long num, long den, int sample)
{
	int i = catalog_indicator(&cs->cat, code, strlen(code));
	if (i < 0)
		return CS_OK;
	double v = den ? 100.0 * (double)num / (double)den : NAN;
	uint8_t flags;
	double was = civstat_figure(cs, i, a, mi, &flags);
	if ((isnan(v) && isnan(was)) || fabs(v - was) < 1e-9)
		return CS_OK;
	char comment[96];
	snprintf(comment, sizeof comment, "群众诉求汇总：%ld/%ld", num, den);
	value_feed_begin();
	int rc = value_set_sample(cs, i, a, mi, v, VALUE_APPROVED,
				  den ? comment : "", sample);
	value_feed_end();
	return rc;
}

/*
 * Writes the fed indicators of r's area and those above it, for the
 * months from r's month of receipt to that of now in that year, each
 * cumulative from January.
 */
static int feed(struct civstat *cs, const struct request *r, long now)
{
	struct catalog *cat = &cs->cat;
	static const char *const fed[] = {REQUEST_IND_RESOLVE,
					  REQUEST_IND_SATISFY,
					  REQUEST_IND_ONTIME};
	int any = 0;
	for (int k = 0; k < 3; k++)
		any |= catalog_indicator(cat, fed[k], strlen(fed[k])) >= 0;
	if (!any)
		return CS_OK; /* a catalogue without them: nothing to feed */
	int month = request_month(r->received), last = request_month(now);
	int y = month / 100, rc = CS_OK;
	if (last / 100 > y)
		last = y * 100 + 12;
	int a = r->area_id ? catalog_area_id(cat, r->area_id)
			   : catalog_root(cat);
	if (a < 0)
		a = catalog_root(cat);
	for (; a >= 0 && !rc; a = cat->parent[a]) {
		for (int m = month; m <= last && !rc; m++) {
			struct sum_one o = {0};
			struct request_stat_query q = {
				.month_from = y * 100 + 1,
				.month_to = m,
				.area_id = cat->parent[a] < 0
						   ? 0
						   : cat->areas[a].id,
			};
			int mi = y * 12 + m % 100 - 1;
			if ((rc = cs->st->ops->sum_request_stats(
				     cs->st, &q, sum_row, &o)))
				break;
			rc = feed_one(cs, REQUEST_IND_RESOLVE, a, mi,
				      o.s.resolved, o.s.followed, r->sample);
			if (!rc)
				rc = feed_one(cs, REQUEST_IND_SATISFY, a, mi,
					      o.s.satisfied + o.s.basic,
					      o.s.followed, r->sample);
			if (!rc)
				rc = feed_one(cs, REQUEST_IND_ONTIME, a, mi,
					      o.s.answered_on_time,
					      o.s.answered, r->sample);
		}
	}
	return rc;
}

int request_feed(struct civstat *cs, const struct request *r, long now)
{
	return feed(cs, r, now);
}

/* ---- intake ----------------------------------------------------------- */

static int is_public_actor(const char *actor)
{
	return !actor || !strcmp(actor, "resident") ||
	       !strncmp(actor, "open311:", 8);
}

/*
 * A follow token: 8 hex digits of the moment received (seconds, mod
 * 2^32), then 24 of libsodium's random bytes (96 bits, what makes it
 * unguessable).  The leading time keeps new tokens at the end of the
 * token index, so that an intake of millions does not scatter its writes
 * over the whole index.
 */
void request_token(long received, char out[33])
{
	unsigned char b[12];
	randombytes_buf(b, sizeof b);
	snprintf(out, 9, "%08lx", (unsigned long)received & 0xffffffffUL);
	sodium_bin2hex(out + 8, 25, b, sizeof b);
}

int request_submit(struct civstat *cs, struct request *r, int hold,
		   const char *actor, long now)
{
	struct store *st = cs->st;
	struct request_cache *c;
	struct request n;
	char token[33];
	int rc, fed;
	errfield = NULL;
	if ((rc = request_cache_get(cs, &c)) ||
	    (rc = request_check(cs, c, r, !is_public_actor(actor))))
		return rc;
	const struct request_service *sv = request_service_find(c, r->service);
	request_token(now, token);
	n = *r;
	n.id = 0;
	n.token = token;
	if (!n.channel || !*n.channel)
		n.channel = (char *)"web";
	n.state = hold ? REQ_HELD : REQ_RECEIVED;
	n.outcome = REQ_OUT_NONE;
	n.department_id = 0;
	n.received = now;
	n.dispatch_due = workday_deadline(&c->cal, (time_t)now,
					  sv->dispatch_days);
	n.response_due = n.answer_due = 0;
	n.dispatched = n.accepted = n.answered = n.followed = n.closed = 0;
	n.answer = (char *)"";
	n.resolved = -1;
	n.satisfaction = REQ_SAT_NONE;
	n.duplicate_of = 0;
	n.reopened = n.supervised = 0;
	n.updated = now;
	if ((rc = request_dup(&n)))
		return rc;
	struct request_event ev = {
		.at = now,
		.actor = (char *)(actor ? actor : "resident"),
		.action = (char *)"submit",
		.from_state = -1,
		.to_state = n.state,
	};
	if ((rc = st->ops->begin(st)))
		goto failed;
	if ((rc = st->ops->put_request(st, &n)))
		goto rollback;
	ev.request_id = n.id;
	if ((rc = st->ops->add_request_event(st, &ev)) ||
	    (rc = request_tally(NULL, &n, now, to_store, st, &fed)) ||
	    (rc = st->ops->commit(st)))
		goto rollback;
	*r = n;
	return CS_OK;
rollback:
	st->ops->rollback(st);
failed:
	request_release(&n);
	return rc;
}

/* ---- the workflow ----------------------------------------------------- */

int request_may_see(const struct task_who *who, const struct request *r)
{
	return who->role >= ROLE_REVIEWER ||
	       (who->role == ROLE_DEPARTMENT && who->department_id &&
		who->department_id == r->department_id);
}

int request_may(const struct task_who *who, const struct request *r,
		int action)
{
	switch (action) {
	case REQ_ACT_RETURN:
	case REQ_ACT_ACCEPT:
	case REQ_ACT_ANSWER:
	case REQ_ACT_NOTE:
		return request_may_see(who, r);
	case REQ_ACT_SUPERVISE:
		return who->role >= ROLE_LEADER;
	case REQ_ACT_APPROVE:
	case REQ_ACT_REJECT:
	case REQ_ACT_DISPATCH:
	case REQ_ACT_FOLLOWUP:
	case REQ_ACT_REOPEN:
	case REQ_ACT_DUPLICATE:
		return who->role >= ROLE_REVIEWER;
	}
	return 0;
}

/* The states each step may start from, as bits. */
static const unsigned step_from[REQ_NACT] = {
	[REQ_ACT_APPROVE] = 1u << REQ_HELD,
	[REQ_ACT_REJECT] = 1u << REQ_HELD,
	[REQ_ACT_DISPATCH] = 1u << REQ_RECEIVED | 1u << REQ_DISPATCHED,
	[REQ_ACT_RETURN] = 1u << REQ_DISPATCHED,
	[REQ_ACT_ACCEPT] = 1u << REQ_DISPATCHED,
	[REQ_ACT_ANSWER] = 1u << REQ_DISPATCHED | 1u << REQ_IN_PROGRESS,
	[REQ_ACT_FOLLOWUP] = 1u << REQ_ANSWERED,
	[REQ_ACT_REOPEN] = 1u << REQ_ANSWERED | 1u << REQ_CLOSED,
	[REQ_ACT_DUPLICATE] = 1u << REQ_HELD | 1u << REQ_RECEIVED |
			      1u << REQ_DISPATCHED,
	[REQ_ACT_SUPERVISE] = 1u << REQ_RECEIVED | 1u << REQ_DISPATCHED |
			      1u << REQ_IN_PROGRESS | 1u << REQ_ANSWERED,
	[REQ_ACT_NOTE] = (1u << REQ_NSTATE) - 1,
};

static int need_text(const struct request_step *s)
{
	if (!s->text || !*s->text)
		return request_bad(CS_EINVAL, "text", "missing: %s needs a "
				   "reason, an answer or a note",
				   request_action_name(s->action));
	return check_len("text", s->text, REQUEST_MAX_TEXT);
}

/* New deadlines from now at r's department: contact and answer. */
static void deadlines(const struct request_cache *c,
		      const struct request_service *sv, struct request *r,
		      long now)
{
	r->response_due = workday_deadline(&c->cal, (time_t)now,
					   c->response_days);
	r->answer_due = sv && sv->answer_hours > 0
				? workday_deadline_hours(
					  (time_t)(r->reopened ? now
							       : r->received),
					  sv->answer_hours)
				: workday_deadline(&c->cal, (time_t)now,
						   sv ? sv->answer_days : 0);
}

int request_step_apply(struct civstat *cs, const struct request_cache *c,
		       struct request *r, const struct request_step *s,
		       long now, struct request_event *ev)
{
	struct request n = *r;
	const struct request_service *sv = request_service_find(c, r->service);
	int rc;
	errfield = NULL;
	if (s->action < 0 || s->action >= REQ_NACT)
		return request_bad(CS_EINVAL, "step", "no such step");
	if (!(step_from[s->action] & 1u << r->state) ||
	    (s->action == REQ_ACT_REOPEN && r->state == REQ_CLOSED &&
	     r->outcome != REQ_OUT_FOLLOWED)) {
		errfield = "state";
		return cs_errorf(CS_ECONFLICT, "request %ld is %s (%s): %s "
				 "is not a step it can take",
				 r->id, request_state_name(r->state),
				 request_state_zh(r->state),
				 request_action_name(s->action));
	}
	memset(ev, 0, sizeof *ev);
	ev->request_id = r->id;
	ev->at = now;
	ev->action = (char *)request_action_name(s->action);
	ev->from_state = r->state;
	ev->department_id = r->department_id;
	ev->text = (char *)(s->text ? s->text : "");
	switch (s->action) {
	case REQ_ACT_APPROVE:
		n.state = REQ_RECEIVED;
		break;
	case REQ_ACT_REJECT:
		if ((rc = need_text(s)))
			return rc;
		n.state = REQ_CLOSED;
		n.outcome = REQ_OUT_REJECTED;
		n.closed = now;
		break;
	case REQ_ACT_DISPATCH: {
		const char *code = s->department && *s->department
					   ? s->department
					   : sv ? sv->department : "";
		int d = catalog_department(&cs->cat, code, strlen(code));
		if (d < 0)
			return request_bad(CS_ENOTFOUND, "department",
					   "no such department \"%.64s\"",
					   code);
		n.state = REQ_DISPATCHED;
		n.department_id = cs->cat.depts[d].id;
		n.dispatched = now;
		n.accepted = 0;
		deadlines(c, sv, &n, now);
		ev->department_id = n.department_id;
		break;
	}
	case REQ_ACT_RETURN:
		if ((rc = need_text(s)))
			return rc;
		n.state = REQ_RECEIVED;
		n.department_id = 0;
		n.dispatched = n.accepted = 0;
		n.response_due = n.answer_due = 0;
		break;
	case REQ_ACT_ACCEPT:
		n.state = REQ_IN_PROGRESS;
		n.accepted = now;
		break;
	case REQ_ACT_ANSWER:
		if ((rc = need_text(s)))
			return rc;
		n.state = REQ_ANSWERED;
		n.answer = (char *)s->text;
		n.answered = now;
		if (!n.accepted) /* the answer is a contact too */
			n.accepted = now;
		break;
	case REQ_ACT_FOLLOWUP:
		if (s->resolved != 0 && s->resolved != 1)
			return request_bad(CS_EINVAL, "resolved",
					   "give 1 (resolved) or 0");
		if (s->satisfaction < REQ_SAT_SATISFIED ||
		    s->satisfaction > REQ_SAT_DISSATISFIED)
			return request_bad(CS_EINVAL, "satisfaction",
					   "give satisfied, basic or "
					   "dissatisfied");
		if (s->text && (rc = check_len("text", s->text,
					       REQUEST_MAX_TEXT)))
			return rc;
		n.state = REQ_CLOSED;
		n.outcome = REQ_OUT_FOLLOWED;
		n.resolved = s->resolved;
		n.satisfaction = s->satisfaction;
		n.followed = n.closed = now;
		break;
	case REQ_ACT_REOPEN:
		if ((rc = need_text(s)))
			return rc;
		n.state = REQ_DISPATCHED;
		n.outcome = REQ_OUT_NONE;
		n.reopened++;
		n.accepted = n.answered = n.followed = n.closed = 0;
		n.answer = (char *)"";
		n.resolved = -1;
		n.satisfaction = REQ_SAT_NONE;
		deadlines(c, sv, &n, now);
		break;
	case REQ_ACT_DUPLICATE: {
		struct request o;
		if (!s->duplicate_of || s->duplicate_of == r->id)
			return request_bad(CS_EINVAL, "duplicate_of",
					   "give the original's number, not "
					   "this one's");
		if ((rc = cs->st->ops->get_request(cs->st, s->duplicate_of,
						   NULL, &o)))
			return rc == CS_ENOTFOUND
				       ? request_bad(CS_ENOTFOUND,
						     "duplicate_of",
						     "no such request %ld",
						     s->duplicate_of)
				       : rc;
		int bad = o.outcome == REQ_OUT_DUPLICATE ||
			  o.outcome == REQ_OUT_REJECTED || o.state == REQ_HELD;
		request_release(&o);
		if (bad)
			return request_bad(CS_EINVAL, "duplicate_of",
					   "request %ld is itself a duplicate, "
					   "rejected or held",
					   s->duplicate_of);
		n.state = REQ_CLOSED;
		n.outcome = REQ_OUT_DUPLICATE;
		n.duplicate_of = s->duplicate_of;
		n.closed = now;
		break;
	}
	case REQ_ACT_SUPERVISE:
		if ((rc = need_text(s)))
			return rc;
		n.supervised++;
		break;
	case REQ_ACT_NOTE:
		if ((rc = need_text(s)))
			return rc;
		break;
	}
	if (now < r->updated)
		return request_bad(CS_EINVAL, "at", "a step cannot be dated "
				   "before the request's last change");
	n.updated = now;
	ev->to_state = n.state;
	*r = n;
	return CS_OK;
}

int request_act(struct civstat *cs, long id, const struct request_step *s,
		const struct task_who *who, long now, struct request *out)
{
	struct store *st = cs->st;
	struct request_cache *c;
	struct request old, n;
	struct request_event ev;
	int rc, fed = 0;
	errfield = NULL;
	if ((rc = request_cache_get(cs, &c)))
		return rc;
	if ((rc = st->ops->begin(st)))
		return rc;
	if ((rc = st->ops->get_request(st, id, NULL, &old))) {
		st->ops->rollback(st);
		return rc == CS_ENOTFOUND
			       ? cs_errorf(CS_ENOTFOUND, "no such request %ld",
					   id)
			       : rc;
	}
	n = old;
	if (!request_may(who, &old, s->action)) {
		rc = cs_errorf(CS_EPERM, "%s on request %ld: not for this "
			       "account",
			       request_action_name(s->action), id);
		goto rollback;
	}
	if ((rc = request_step_apply(cs, c, &n, s, now, &ev)))
		goto rollback;
	ev.actor = (char *)(cs->actor ? cs->actor : "cli");
	if ((rc = st->ops->put_request(st, &n)) ||
	    (rc = st->ops->add_request_event(st, &ev)) ||
	    (rc = request_tally(&old, &n, now, to_store, st, &fed)) ||
	    (fed && (rc = feed(cs, &n, now))))
		goto rollback;
	if (out) {
		struct request copy = n;
		if ((rc = request_dup(&copy)))
			goto rollback;
		if ((rc = st->ops->commit(st))) {
			request_release(&copy);
			goto rollback;
		}
		*out = copy;
	} else if ((rc = st->ops->commit(st))) {
		goto rollback;
	}
	request_release(&old);
	return CS_OK;
rollback:
	st->ops->rollback(st);
	request_release(&old);
	return rc;
}

int request_dispatch_all(struct civstat *cs, const long *ids, int n,
			 const char *department, const struct task_who *who,
			 long now)
{
	struct store *st = cs->st;
	struct request_step s = {.action = REQ_ACT_DISPATCH,
				 .department = department};
	int rc;
	if (n <= 0)
		return request_bad(CS_EINVAL, "ids", "no request given");
	if ((rc = st->ops->begin(st)))
		return rc;
	for (int k = 0; k < n; k++) {
		if ((rc = request_act(cs, ids[k], &s, who, now, NULL))) {
			char msg[512];
			snprintf(msg, sizeof msg, "%s", cs_errmsg());
			st->ops->rollback(st);
			return cs_errorf(rc, "request %ld: %s", ids[k], msg);
		}
	}
	if ((rc = st->ops->commit(st)))
		st->ops->rollback(st);
	return rc;
}

/* ---- reads ------------------------------------------------------------ */

int request_get(struct store *st, long id, const char *token,
		struct request *out)
{
	int rc = st->ops->get_request(st, id, token, out);
	if (rc == CS_ENOTFOUND)
		return token ? cs_errorf(CS_ENOTFOUND, "no request has this "
					 "token")
			     : cs_errorf(CS_ENOTFOUND, "no such request %ld",
					 id);
	return rc;
}

int request_events(struct store *st, long id, request_event_fn fn,
		   void *ctx)
{
	return st->ops->scan_request_events(st, id, fn, ctx);
}

int request_overdue(const struct request *r, long now)
{
	if (r->state < REQ_RECEIVED || r->state > REQ_IN_PROGRESS)
		return 0;
	long due = r->state == REQ_RECEIVED ? r->dispatch_due : r->answer_due;
	return due > 0 && now > due;
}

int request_list(struct store *st, const struct request_filter *f,
		 request_fn fn, void *ctx, long *total)
{
	return st->ops->scan_requests(st, f, fn, ctx, total);
}

/* ---- rates ------------------------------------------------------------ */

struct rates_ctx {
	struct request_tally *a;
	int n, cap;
	int by, strict;
	long base_open; /* by month: the open count before the range */
};

static void rates_of(struct request_tally *t, int strict)
{
	const struct request_stat *s = &t->sum;
	t->num[0] = s->responded_on_time;
	t->den[0] = s->dispatched;
	t->num[1] = s->answered_on_time;
	t->den[1] = s->answered;
	t->num[2] = s->resolved;
	t->den[2] = s->followed;
	t->num[3] = strict ? s->satisfied : s->satisfied + s->basic;
	t->den[3] = s->followed;
	t->num[4] = s->reopened;
	t->den[4] = s->closed;
}

static int rates_row(void *ctx, const struct request_stat *s)
{
	struct rates_ctx *x = ctx;
	if (x->by == REQ_BY_MONTH && s->month == 0) {
		x->base_open = s->open_delta;
		return CS_OK;
	}
	if (x->n == x->cap) {
		int cap = x->cap ? 2 * x->cap : 16;
		struct request_tally *a = realloc(x->a, (size_t)cap * sizeof *a);
		if (!a)
			return cs_errorf(CS_ENOMEM, "out of memory");
		x->a = a;
		x->cap = cap;
	}
	struct request_tally *t = &x->a[x->n++];
	memset(t, 0, sizeof *t);
	t->sum = *s;
	t->sum.service = NULL;
	switch (x->by) {
	case REQ_BY_DEPARTMENT:
		t->key = s->department_id;
		break;
	case REQ_BY_AREA:
		t->key = s->area_id;
		break;
	case REQ_BY_MONTH:
		t->key = s->month;
		break;
	case REQ_BY_SERVICE:
		snprintf(t->service, sizeof t->service, "%s", s->service);
		break;
	}
	t->open = s->open_delta;
	rates_of(t, x->strict);
	return CS_OK;
}

int request_rates(struct store *st, const struct request_rate_filter *f,
		  struct request_tally **out, int *n)
{
	static const int by_stat[] = {
		[REQ_BY_NONE] = REQ_STAT_NONE,
		[REQ_BY_DEPARTMENT] = REQ_STAT_DEPARTMENT,
		[REQ_BY_AREA] = REQ_STAT_AREA,
		[REQ_BY_SERVICE] = REQ_STAT_SERVICE,
		[REQ_BY_MONTH] = REQ_STAT_MONTH,
	};
	struct rates_ctx x = {.by = f->by};
	char *z = NULL;
	int rc;
	errfield = NULL;
	if (f->by < REQ_BY_NONE || f->by > REQ_BY_MONTH)
		return request_bad(CS_EINVAL, "by", "not department, area, "
				   "service or month");
	if (f->month_from < 190001 || f->month_from % 100 < 1 ||
	    f->month_from % 100 > 12)
		return request_bad(CS_EINVAL, "from", "not a month");
	if (f->month_to < f->month_from || f->month_to % 100 < 1 ||
	    f->month_to % 100 > 12)
		return request_bad(CS_EINVAL, "to", "not a month from \"from\" "
				   "on");
	if ((rc = st->ops->get_meta(st, "request.satisfaction", &z)))
		return rc;
	x.strict = z && !strcmp(z, "strict");
	free(z);
	struct request_stat_query q = {
		.month_from = f->month_from,
		.month_to = f->month_to,
		.department_id = f->department_id,
		.area_id = f->area_id,
		.service = f->service,
		.by = by_stat[f->by],
	};
	if ((rc = st->ops->sum_request_stats(st, &q, rates_row, &x))) {
		free(x.a);
		return rc;
	}
	if (f->by == REQ_BY_MONTH) {
		long open = x.base_open;
		for (int k = 0; k < x.n; k++)
			x.a[k].open = open += x.a[k].open;
	}
	*out = x.a;
	*n = x.n;
	return CS_OK;
}
