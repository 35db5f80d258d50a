/*
 * requests.csv (docs/requests.md): a hotline's or the demo's requests, one
 * a row with the times of the steps taken.  The import replays each row's
 * steps through the rules of request.c in memory, so that deadlines,
 * events and tallies are those the steps would have made one by one, and
 * writes each request once; the tallies are summed in memory and written
 * at the end.  All or nothing.
 */
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/csv.h"
#include "core/err.h"
#include "core/map.h"
#include "core/num.h"
#include "core/workday.h"
#include "domain/request.h"
#include "domain/request_int.h"

enum {
	C_REF, C_SERVICE, C_DESCRIPTION, C_ADDRESS, C_AREA, C_COMMUNITY,
	C_LAT, C_LON, C_MEDIA, C_CONTACT_NAME, C_CONTACT_PHONE, C_CHANNEL,
	C_RECEIVED, C_DEPARTMENT, C_DISPATCHED, C_ACCEPTED, C_ANSWERED,
	C_ANSWER, C_FOLLOWED, C_RESOLVED, C_SATISFACTION, C_DUPLICATE_OF,
	C_SAMPLE, C_CONTACT_EMAIL, C_CLIENT, C_TOKEN, C_HELD, C_STEPS, C_N
};

static const struct csv_column columns[C_N] = {
	[C_REF] = {"ref", "编号", 0},
	[C_SERVICE] = {"service", "类别", 1},
	[C_DESCRIPTION] = {"description", "诉求内容", 1},
	[C_ADDRESS] = {"address", "地址", 0},
	[C_AREA] = {"area", "区县", 0},
	[C_COMMUNITY] = {"community", "社区", 0},
	[C_LAT] = {"lat", "纬度", 0},
	[C_LON] = {"lon", "经度", 0},
	[C_MEDIA] = {"media_url", "照片", 0},
	[C_CONTACT_NAME] = {"contact_name", "联系人", 0},
	[C_CONTACT_PHONE] = {"contact_phone", "联系电话", 0},
	[C_CHANNEL] = {"channel", "渠道", 0},
	[C_RECEIVED] = {"received", "受理时间", 1},
	[C_DEPARTMENT] = {"department", "承办单位", 0},
	[C_DISPATCHED] = {"dispatched", "派单时间", 0},
	[C_ACCEPTED] = {"accepted", "承办时间", 0},
	[C_ANSWERED] = {"answered", "办结时间", 0},
	[C_ANSWER] = {"answer", "答复", 0},
	[C_FOLLOWED] = {"followed", "回访时间", 0},
	[C_RESOLVED] = {"resolved", "是否解决", 0},
	[C_SATISFACTION] = {"satisfaction", "满意度", 0},
	[C_DUPLICATE_OF] = {"duplicate_of", "重复于", 0},
	[C_SAMPLE] = {"sample", "样例数据", 0},
	[C_CONTACT_EMAIL] = {"contact_email", "联系邮箱", 0},
	[C_CLIENT] = {"client", "客户端", 0},
	[C_TOKEN] = {"token", "跟踪码", 0},
	[C_HELD] = {"held", "待审核", 0},
	[C_STEPS] = {"steps", "办理过程", 0},
};

#define TEXT_CAP (REQUEST_MAX_DESC + 1)
#define STEPS_CAP (1 << 16)	/* bytes of the column steps */
#define STEPS_MAX 512		/* steps of one request */
#define REQUEST_BULK_BYTES (1 << 20)

/*
 * One entry of the column steps, as read: "YYYY-MM-DD HH:MM action[
 * arg][: text]", the text with backslash, newline and return escaped.
 * It points into its row's steps buffer.
 */
struct step_entry {
	long at;
	int action;	    /* enum request_action */
	const char *arg;    /* dispatch: a department code; followup:
			       "1,satisfied"; duplicate: a ref; "" */
	const char *text;
	int resolved, satisfaction; /* followup's, parsed from arg */
};

/* One row as read: its texts, and what they parse to. */
struct row {
	char text[C_N][TEXT_CAP];
	char steps[STEPS_CAP];	/* the column steps, unescaped in place */
	struct step_entry step[STEPS_MAX];
	int nstep;
	double lat, lon;
	long at[C_N];	  /* the times, 0 when empty */
	int resolved;	  /* -1 when empty */
	int satisfaction; /* 0 when empty */
	int sample, held;
};

/* Records "file:line: column \"x\": why" and returns CS_EINVAL. */
static int bad(const struct csv_reader *r, int c, const char *why, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(const struct csv_reader *r, int c, const char *why, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, why);
	vsnprintf(msg, sizeof msg, why, ap);
	va_end(ap);
	return cs_errorf(CS_EINVAL, "%s:%ld: column \"%s\": %s", r->name,
			 r->line, columns[c].en, msg);
}

int request_time_parse(const char *z, long *out)
{
	int day, h = 0, mi = 0;
	size_t n = strlen(z);
	if (n < 10 || workday_day_parse(z, 10, &day))
		return CS_EINVAL;
	if (n > 10) {
		if ((z[10] != ' ' && z[10] != 'T') || n != 16 || z[13] != ':' ||
		    z[11] < '0' || z[11] > '2' || z[12] < '0' || z[12] > '9' ||
		    z[14] < '0' || z[14] > '5' || z[15] < '0' || z[15] > '9')
			return CS_EINVAL;
		h = (z[11] - '0') * 10 + z[12] - '0';
		mi = (z[14] - '0') * 10 + z[15] - '0';
		if (h > 23)
			return CS_EINVAL;
	}
	*out = (long)workday_start_of(day) + h * 3600L + mi * 60L;
	return CS_OK;
}

void request_time_format(long t, char *buf, size_t cap)
{
	int day = workday_day_of((time_t)t);
	long s = t - (long)workday_start_of(day);
	char d[16];
	workday_day_format(day, d, sizeof d);
	snprintf(buf, cap, "%s %02ld:%02ld", d, s / 3600, s / 60 % 60);
}

/* Unescapes z in place: \\ \n \r; CS_EINVAL on another escape. */
static int unescape(char *z)
{
	char *o = z;
	for (; *z; z++) {
		if (*z != '\\') {
			*o++ = *z;
			continue;
		}
		z++;
		if (*z == '\\')
			*o++ = '\\';
		else if (*z == 'n')
			*o++ = '\n';
		else if (*z == 'r')
			*o++ = '\r';
		else
			return CS_EINVAL;
	}
	*o = '\0';
	return CS_OK;
}

/* Parses the entry of line p (NUL-terminated, in w's buffer) as step k
 * (from 1) into e; last is the time of the step before. */
static int read_step(const struct csv_reader *r, char *p, int k, long last,
		     struct step_entry *e)
{
	char t[17], name[32];
	size_t n = strlen(p);
	if (n && p[n - 1] == '\r')
		p[--n] = '\0';
	memcpy(t, p, n < 16 ? n : 16);
	t[n < 16 ? n : 16] = '\0';
	if (n < 16 || request_time_parse(t, &e->at) || p[16] != ' ')
		return bad(r, C_STEPS, "step %d: \"%.32s\" does not begin with "
			   "a time YYYY-MM-DD HH:MM and a step", k, p);
	if (e->at < last)
		return bad(r, C_STEPS, "step %d: %s is before the step before "
			   "it", k, t);
	char *a = p + 17, *rest = a + strcspn(a, " :");
	size_t len = (size_t)(rest - a);
	memcpy(name, a, len < sizeof name ? len : sizeof name - 1);
	name[len < sizeof name ? len : sizeof name - 1] = '\0';
	if ((e->action = request_action_parse(name)) < 0)
		return bad(r, C_STEPS, "step %d: \"%.32s\" is not a step", k,
			   name);
	char *colon = strstr(rest, ": ");
	e->text = "";
	if (colon) {
		*colon = '\0';
		if (unescape(colon + 2))
			return bad(r, C_STEPS, "step %d: a backslash is not "
				   "\\\\, \\n or \\r", k);
		e->text = colon + 2;
	}
	if (*rest && *rest != ' ')
		return bad(r, C_STEPS, "step %d: \"%.32s\" is not a step", k,
			   a);
	e->arg = *rest ? rest + 1 : "";
	e->resolved = 0;
	e->satisfaction = REQ_SAT_DISSATISFIED;
	switch (e->action) {
	case REQ_ACT_DISPATCH:
		break;
	case REQ_ACT_FOLLOWUP: {
		/* A follow-up a later reopen undid has no result: the
		 * store forgets it at the reopen. */
		const char *comma = strchr(e->arg, ',');
		if (!*e->arg)
			break;
		if (!comma || (e->arg[0] != '0' && e->arg[0] != '1') ||
		    comma != e->arg + 1 ||
		    (e->satisfaction = request_satisfaction_parse(
			     comma + 1)) <= 0)
			return bad(r, C_STEPS, "step %d: \"%.32s\" is not "
				   "RESOLVED,SATISFACTION (1,satisfied)", k,
				   e->arg);
		e->resolved = e->arg[0] - '0';
		break;
	}
	case REQ_ACT_DUPLICATE:
		if (!*e->arg)
			return bad(r, C_STEPS, "step %d: duplicate needs the "
				   "original's ref", k);
		break;
	default:
		if (*e->arg)
			return bad(r, C_STEPS, "step %d: %s takes no \"%.32s\"",
				   k, request_action_name(e->action), e->arg);
	}
	return CS_OK;
}

/* Parses w->steps, one entry a line, into w->step. */
static int read_steps(const struct csv_reader *r, struct row *w)
{
	char *p = w->steps;
	long last = w->at[C_RECEIVED];
	int rc;
	w->nstep = 0;
	while (*p) {
		char *end = strchr(p, '\n');
		if (end)
			*end = '\0';
		if (w->nstep == STEPS_MAX)
			return bad(r, C_STEPS, "more than %d steps", STEPS_MAX);
		struct step_entry *e = &w->step[w->nstep];
		if ((rc = read_step(r, p, w->nstep + 1, last, e)))
			return rc;
		last = e->at;
		w->nstep++;
		p = end ? end + 1 : p + strlen(p);
	}
	return CS_OK;
}

/* The checks of a row whose steps are its columns (no column steps). */
static int check_plain(const struct csv_reader *r, const struct row *w)
{
	/* The steps follow one another; each needs the one before. */
	static const int chain[] = {C_DISPATCHED, C_ACCEPTED, C_ANSWERED,
				    C_FOLLOWED};
	long last = w->at[C_RECEIVED];
	for (size_t k = 0; k < sizeof chain / sizeof *chain; k++) {
		int c = chain[k];
		if (!w->at[c])
			continue;
		if (w->held)
			return bad(r, C_HELD, "a held request takes no step "
				   "but in the column steps");
		if (!w->at[C_DISPATCHED])
			return bad(r, C_DISPATCHED, "is empty, but the request "
				   "was %s", columns[c].en);
		if (w->at[c] < last)
			return bad(r, c, "%s is before the step before it",
				   w->text[c]);
		last = w->at[c];
	}
	if (w->at[C_ANSWERED] && !*w->text[C_ANSWER])
		return bad(r, C_ANSWER, "is empty, but the request was "
			   "answered");
	if (w->at[C_FOLLOWED] && !w->at[C_ANSWERED])
		return bad(r, C_ANSWERED, "is empty, but the request was "
			   "followed up");
	if (w->at[C_FOLLOWED] && w->resolved < 0)
		return bad(r, C_RESOLVED, "is empty, but the request was "
			   "followed up");
	if (w->at[C_FOLLOWED] && !w->satisfaction)
		return bad(r, C_SATISFACTION, "is empty, but the request was "
			   "followed up");
	if (*w->text[C_DUPLICATE_OF] && w->at[C_DISPATCHED])
		return bad(r, C_DUPLICATE_OF, "a duplicate is closed, not "
			   "dispatched");
	if (*w->text[C_DUPLICATE_OF] && w->held)
		return bad(r, C_HELD, "a held request takes no step but in "
			   "the column steps");
	return CS_OK;
}

/* Reads field k of f (n fields) into buf (cap bytes), NUL-terminated. */
static int read_text(const struct csv_reader *r, const struct csv_field *f,
		     int n, int k, int c, char *buf, size_t cap)
{
	size_t len = k >= 0 && k < n ? f[k].n : 0;
	if (len >= cap)
		return cs_errorf(CS_ETOOBIG, "%s:%ld: column \"%s\": "
				 "longer than %zu bytes", r->name, r->line,
				 columns[c].en, cap - 1);
	memcpy(buf, len ? f[k].p : "", len);
	buf[len] = '\0';
	return CS_OK;
}

/* Reads the record f (n fields) into w by the header's places at: the
 * checks that need no store.  CS_OK, or the error naming the column. */
static int read_row(const struct csv_reader *r, struct csv_field *f, int n,
		    const int *at, struct row *w)
{
	static const int times[] = {C_RECEIVED, C_DISPATCHED, C_ACCEPTED,
				    C_ANSWERED, C_FOLLOWED};
	int rc;
	for (int c = 0; c < C_N; c++) {
		if ((rc = c == C_STEPS ? read_text(r, f, n, at[c], c, w->steps,
						   STEPS_CAP)
				       : read_text(r, f, n, at[c], c,
						   w->text[c], TEXT_CAP)))
			return rc;
		w->at[c] = 0;
	}
	for (size_t k = 0; k < sizeof times / sizeof *times; k++) {
		int c = times[k];
		if (*w->text[c] && request_time_parse(w->text[c], &w->at[c]))
			return bad(r, c, "\"%.32s\" is not a time "
				   "YYYY-MM-DD HH:MM", w->text[c]);
	}
	if (!*w->text[C_SERVICE])
		return bad(r, C_SERVICE, "is empty");
	if (!*w->text[C_DESCRIPTION])
		return bad(r, C_DESCRIPTION, "is empty");
	if (!w->at[C_RECEIVED])
		return bad(r, C_RECEIVED, "is empty");
	w->lat = w->lon = NAN;
	if (*w->text[C_LAT] && (num_parse_double(w->text[C_LAT],
						 strlen(w->text[C_LAT]),
						 &w->lat) ||
				!(w->lat >= -90 && w->lat <= 90)))
		return bad(r, C_LAT, "\"%.32s\" is not a latitude",
			   w->text[C_LAT]);
	if (*w->text[C_LON] && (num_parse_double(w->text[C_LON],
						 strlen(w->text[C_LON]),
						 &w->lon) ||
				!(w->lon >= -180 && w->lon <= 180)))
		return bad(r, C_LON, "\"%.32s\" is not a longitude",
			   w->text[C_LON]);
	long v;
	w->resolved = -1;
	if (*w->text[C_RESOLVED]) {
		if (num_parse_int(w->text[C_RESOLVED],
				  strlen(w->text[C_RESOLVED]), 0, 1, &v))
			return bad(r, C_RESOLVED, "\"%.16s\" is not 1, 0 or "
				   "empty", w->text[C_RESOLVED]);
		w->resolved = (int)v;
	}
	w->satisfaction = 0;
	if (*w->text[C_SATISFACTION] &&
	    (w->satisfaction = request_satisfaction_parse(
		     w->text[C_SATISFACTION])) <= 0)
		return bad(r, C_SATISFACTION, "\"%.32s\" is not satisfied, "
			   "basic or dissatisfied", w->text[C_SATISFACTION]);
	static const int flags[] = {C_SAMPLE, C_HELD};
	int *flag[] = {&w->sample, &w->held};
	for (int k = 0; k < 2; k++) {
		const char *z = w->text[flags[k]];
		*flag[k] = 0;
		if (*z && num_parse_int(z, strlen(z), 0, 1, &v))
			return bad(r, flags[k], "\"%.16s\" is not 0 or 1", z);
		if (*z)
			*flag[k] = (int)v;
	}
	const char *tok = w->text[C_TOKEN];
	if (*tok && (strlen(tok) != 32 ||
		     strspn(tok, "0123456789abcdef") != 32))
		return bad(r, C_TOKEN, "\"%.40s\" is not 32 hex digits", tok);
	if (*w->text[C_DUPLICATE_OF] &&
	    !strcmp(w->text[C_DUPLICATE_OF], w->text[C_REF]))
		return bad(r, C_DUPLICATE_OF, "is the row's own ref");
	if ((rc = read_steps(r, w)))
		return rc;
	return w->nstep ? CS_OK : check_plain(r, w);
}

/* Reads every row of r, counting them, with no store. */
static int check_rows(struct csv_reader *r, long *rows)
{
	static struct row w;
	struct csv_field *f;
	int at[C_N], n, rc;
	if ((rc = csv_header(r, columns, C_N, at)))
		return rc;
	while ((n = csv_next(r, &f)) > 0) {
		if ((rc = read_row(r, f, n, at, &w)))
			return rc;
		(*rows)++;
	}
	return n < 0 ? CS_EINVAL : CS_OK;
}

int request_csv_check(const char *name, const char *data, size_t len,
		      long *rows)
{
	struct csv_reader r;
	int rc = csv_open_buf(&r, name, data, len, CSV_ENC_AUTO);
	*rows = 0;
	if (rc)
		return rc;
	rc = check_rows(&r, rows);
	csv_release(&r);
	return rc;
}

/* ---- the import ------------------------------------------------------- */

/* The tallies of an import, summed by key in memory. */
struct sums {
	struct strmap at; /* "month|department|area|service" → index */
	struct request_stat *v;
	char (*service)[64];
	int n, cap;
};

static int sums_put(void *ctx, const struct request_stat *s)
{
	struct sums *m = ctx;
	char key[128];
	int k = snprintf(key, sizeof key, "%d|%d|%d|%s", s->month,
			 s->department_id, s->area_id, s->service);
	int i = strmap_get(&m->at, key, (size_t)k);
	if (i < 0) {
		if (m->n == m->cap) {
			int cap = m->cap ? 2 * m->cap : 256;
			struct request_stat *v = realloc(
				m->v, (size_t)cap * sizeof *v);
			if (v)
				m->v = v;
			char(*sv)[64] = realloc(m->service,
						(size_t)cap * sizeof *sv);
			if (sv)
				m->service = sv;
			if (!v || !sv)
				return cs_errorf(CS_ENOMEM, "out of memory");
			m->cap = cap;
		}
		i = m->n++;
		if (strmap_put(&m->at, key, i))
			return cs_errorf(CS_ENOMEM, "out of memory");
		m->v[i] = (struct request_stat){
			.month = s->month,
			.department_id = s->department_id,
			.area_id = s->area_id,
		};
		snprintf(m->service[i], sizeof m->service[i], "%s",
			 s->service);
	}
	request_stat_add(&m->v[i], s, 1);
	return CS_OK;
}

static int sums_flush(struct sums *m, struct store *st)
{
	int rc = CS_OK;
	for (int k = 0; k < m->n && !rc; k++) {
		m->v[k].service = m->service[k];
		if (request_stat_any(&m->v[k]))
			rc = st->ops->add_request_stat(st, &m->v[k]);
	}
	return rc;
}

/*
 * One request's tallies, merged by key before they go to the sums: its
 * steps move the same few rows (its cohort, the open count of a month)
 * again and again, and a row of the sums costs a key and a lookup.
 */
#define ROW_KEYS 16
struct row_sums {
	struct request_stat v[ROW_KEYS];
	int n;
	struct sums *sums;
};

static int row_put(void *ctx, const struct request_stat *s)
{
	struct row_sums *m = ctx;
	for (int k = 0; k < m->n; k++) {
		struct request_stat *d = &m->v[k];
		if (d->month == s->month &&
		    d->department_id == s->department_id &&
		    d->area_id == s->area_id &&
		    (d->service == s->service ||
		     !strcmp(d->service, s->service))) {
			request_stat_add(d, s, 1);
			return CS_OK;
		}
	}
	if (m->n == ROW_KEYS)
		return sums_put(m->sums, s);
	m->v[m->n++] = *s;
	return CS_OK;
}

/* Adds the request's merged rows to the sums. */
static int row_flush(struct row_sums *m)
{
	int rc = CS_OK;
	for (int k = 0; k < m->n && !rc; k++)
		if (request_stat_any(&m->v[k]))
			rc = sums_put(m->sums, &m->v[k]);
	m->n = 0;
	return rc;
}

static void sums_release(struct sums *m)
{
	strmap_release(&m->at);
	free(m->v);
	free(m->service);
}

struct import {
	struct civstat *cs;
	struct request_cache *c;
	struct strmap refs; /* ref → id, of this import */
	struct sums sums;
	struct row_sums row; /* the row's, on their way to sums */
	/* The first request of each (area, year), for the feed. */
	struct request *firsts;
	int n_firsts;
	struct request_event *ev; /* one row's events */
	int cap_ev;
};

/* Remembers r as its area's and year's first for the feed. */
static int note_first(struct import *im, const struct request *r)
{
	int y = request_month(r->received) / 100;
	for (int k = 0; k < im->n_firsts; k++) {
		struct request *f = &im->firsts[k];
		if (f->area_id == r->area_id &&
		    request_month(f->received) / 100 == y) {
			if (r->received < f->received)
				f->received = r->received;
			f->sample &= r->sample;
			return CS_OK;
		}
	}
	struct request *a = realloc(im->firsts,
				    (size_t)(im->n_firsts + 1) * sizeof *a);
	if (!a)
		return cs_errorf(CS_ENOMEM, "out of memory");
	im->firsts = a;
	a[im->n_firsts++] = (struct request){.area_id = r->area_id,
					     .received = r->received,
					     .sample = r->sample};
	return CS_OK;
}

/* One step of a row, replayed; an error names the row's column c. */
static int replay(struct import *im, const struct csv_reader *rd,
		  struct request *q, const struct request_step *s, long at,
		  int c, struct request_event *ev)
{
	struct request old = *q;
	int fed, rc = request_step_apply(im->cs, im->c, q, s, at, ev);
	if (rc)
		return bad(rd, c, "%s", cs_errmsg());
	ev->actor = (char *)"import";
	if ((rc = request_tally(&old, q, at, row_put, &im->row, &fed)))
		return rc;
	return CS_OK;
}

/* The steps of the columns dispatched .. followed and duplicate_of,
 * replayed on q; the events from ev[*nev] on. */
static int replay_plain(struct import *im, const struct csv_reader *rd,
			struct row *w, struct request *q,
			struct request_event *ev, int *nev)
{
	struct request_step s = {0};
	int rc;
	if (*w->text[C_DUPLICATE_OF]) {
		const char *z = w->text[C_DUPLICATE_OF];
		int id = strmap_get(&im->refs, z, strlen(z));
		if (id < 0)
			return bad(rd, C_DUPLICATE_OF, "no row before has ref "
				   "\"%.64s\"", z);
		s = (struct request_step){.action = REQ_ACT_DUPLICATE,
					  .duplicate_of = id};
		if ((rc = replay(im, rd, q, &s, q->received, C_DUPLICATE_OF,
				 &ev[(*nev)++])))
			return rc;
	}
	if (w->at[C_DISPATCHED]) {
		s = (struct request_step){.action = REQ_ACT_DISPATCH,
					  .department = w->text[C_DEPARTMENT]};
		if ((rc = replay(im, rd, q, &s, w->at[C_DISPATCHED],
				 *w->text[C_DEPARTMENT] ? C_DEPARTMENT
							: C_DISPATCHED,
				 &ev[(*nev)++])))
			return rc;
	} else if (*w->text[C_DEPARTMENT]) {
		return bad(rd, C_DISPATCHED, "is empty, but a department is "
			   "given");
	}
	if (w->at[C_ACCEPTED]) {
		s = (struct request_step){.action = REQ_ACT_ACCEPT};
		if ((rc = replay(im, rd, q, &s, w->at[C_ACCEPTED], C_ACCEPTED,
				 &ev[(*nev)++])))
			return rc;
	}
	if (w->at[C_ANSWERED]) {
		s = (struct request_step){.action = REQ_ACT_ANSWER,
					  .text = w->text[C_ANSWER]};
		if ((rc = replay(im, rd, q, &s, w->at[C_ANSWERED], C_ANSWERED,
				 &ev[(*nev)++])))
			return rc;
	}
	if (w->at[C_FOLLOWED]) {
		s = (struct request_step){.action = REQ_ACT_FOLLOWUP,
					  .resolved = w->resolved,
					  .satisfaction = w->satisfaction};
		if ((rc = replay(im, rd, q, &s, w->at[C_FOLLOWED], C_FOLLOWED,
				 &ev[(*nev)++])))
			return rc;
	}
	return CS_OK;
}

/* The column steps replayed on q, one event each from ev[*nev] on. */
static int replay_steps(struct import *im, const struct csv_reader *rd,
			struct row *w, struct request *q,
			struct request_event *ev, int *nev)
{
	for (int k = 0; k < w->nstep; k++) {
		const struct step_entry *e = &w->step[k];
		struct request_step s = {
			.action = e->action,
			.text = e->text,
			.resolved = e->resolved,
			.satisfaction = e->satisfaction,
		};
		if (e->action == REQ_ACT_DISPATCH)
			s.department = e->arg;
		if (e->action == REQ_ACT_DUPLICATE) {
			int id = strmap_get(&im->refs, e->arg,
					    strlen(e->arg));
			if (id < 0)
				return bad(rd, C_STEPS, "step %d: no row before "
					   "has ref \"%.64s\"", k + 1, e->arg);
			s.duplicate_of = id;
		}
		struct request old = *q;
		int fed, rc = request_step_apply(im->cs, im->c, q, &s, e->at,
						 &ev[*nev]);
		if (rc)
			return bad(rd, C_STEPS, "step %d: %s", k + 1,
				   cs_errmsg());
		(*nev)++;
		if ((rc = request_tally(&old, q, e->at, row_put, &im->row,
					&fed)))
			return rc;
	}
	return CS_OK;
}

/* With the column steps, the columns of the steps' results must say
 * what the steps gave: a file edited by hand cannot say two things. */
static int check_summary(struct import *im, const struct csv_reader *rd,
			 const struct row *w, const struct request *q)
{
	static const int times[] = {C_DISPATCHED, C_ACCEPTED, C_ANSWERED,
				    C_FOLLOWED};
	const long got[] = {q->dispatched, q->accepted, q->answered,
			    q->followed};
	const struct catalog *cat = &im->cs->cat;
	for (int k = 0; k < 4; k++)
		if (w->at[times[k]] != got[k])
			return bad(rd, times[k], "\"%.32s\" is not what the "
				   "steps give", w->text[times[k]]);
	const char *d = w->text[C_DEPARTMENT];
	int di = *d ? catalog_department(cat, d, strlen(d)) : -1;
	if (*d ? di < 0 || cat->depts[di].id != q->department_id
	       : q->department_id != 0)
		return bad(rd, C_DEPARTMENT, "\"%.32s\" is not what the steps "
			   "give", d);
	if (strcmp(w->text[C_ANSWER], q->answer))
		return bad(rd, C_ANSWER, "is not what the steps give");
	if (w->resolved != (q->followed ? q->resolved : -1))
		return bad(rd, C_RESOLVED, "\"%s\" is not what the steps give",
			   w->text[C_RESOLVED]);
	if (w->satisfaction != q->satisfaction)
		return bad(rd, C_SATISFACTION, "\"%.32s\" is not what the "
			   "steps give", w->text[C_SATISFACTION]);
	const char *z = w->text[C_DUPLICATE_OF];
	long dup = *z ? strmap_get(&im->refs, z, strlen(z)) : 0;
	if (dup != q->duplicate_of)
		return bad(rd, C_DUPLICATE_OF, "\"%.32s\" is not what the "
			   "steps give", z);
	return CS_OK;
}

/* Stores the row w as a request, its steps replayed. */
static int import_row(struct import *im, const struct csv_reader *rd,
		      struct row *w)
{
	struct civstat *cs = im->cs;
	struct store *st = cs->st;
	int nev = 0, rc, fed;
	char token[33];
	struct request q = {
		.ref = w->text[C_REF],
		.service = w->text[C_SERVICE],
		.description = w->text[C_DESCRIPTION],
		.address = w->text[C_ADDRESS],
		.community = w->text[C_COMMUNITY],
		.lat = w->lat,
		.lon = w->lon,
		.media_url = w->text[C_MEDIA],
		.contact_name = w->text[C_CONTACT_NAME],
		.contact_phone = w->text[C_CONTACT_PHONE],
		.contact_email = w->text[C_CONTACT_EMAIL],
		.channel = *w->text[C_CHANNEL] ? w->text[C_CHANNEL]
					       : (char *)"hotline",
		.client = w->text[C_CLIENT],
		.answer = (char *)"",
		.resolved = -1,
		.sample = w->sample,
	};
	if (*w->text[C_AREA]) {
		int a = catalog_area(&cs->cat, w->text[C_AREA],
				     strlen(w->text[C_AREA]));
		if (a < 0)
			return bad(rd, C_AREA, "\"%.32s\" is not an area",
				   w->text[C_AREA]);
		q.area_id = cs->cat.areas[a].id;
	}
	if ((rc = request_check(cs, im->c, &q, 1))) {
		const char *field = request_errfield();
		int c = C_SERVICE;
		for (int k = 0; field && k < C_N; k++)
			if (!strcmp(columns[k].en, field))
				c = k;
		return bad(rd, c, "%s", cs_errmsg());
	}
	if (*q.ref && strmap_get(&im->refs, q.ref, strlen(q.ref)) >= 0)
		return bad(rd, C_REF, "%s is given twice", q.ref);
	if (im->cap_ev < w->nstep + 6) {
		int cap = w->nstep + 6 < 64 ? 64 : STEPS_MAX + 6;
		struct request_event *e = realloc(im->ev,
						  (size_t)cap * sizeof *e);
		if (!e)
			return cs_errorf(CS_ENOMEM, "out of memory");
		im->ev = e;
		im->cap_ev = cap;
	}
	struct request_event *ev = im->ev;
	const struct request_service *sv = request_service_find(im->c,
								q.service);
	request_token(w->at[C_RECEIVED], token);
	q.token = *w->text[C_TOKEN] ? w->text[C_TOKEN] : token;
	q.state = w->held ? REQ_HELD : REQ_RECEIVED;
	q.received = q.updated = w->at[C_RECEIVED];
	q.dispatch_due = workday_deadline(&im->c->cal, (time_t)q.received,
					  sv->dispatch_days);
	ev[nev++] = (struct request_event){.at = q.received,
					   .actor = (char *)"import",
					   .action = (char *)"submit",
					   .from_state = -1,
					   .to_state = q.state};
	if ((rc = request_tally(NULL, &q, q.received, row_put, &im->row,
				&fed)))
		return rc;
	if (w->nstep) {
		if ((rc = replay_steps(im, rd, w, &q, ev, &nev)) ||
		    (rc = check_summary(im, rd, w, &q)))
			return rc;
	} else if ((rc = replay_plain(im, rd, w, &q, ev, &nev))) {
		return rc;
	}
	if ((rc = row_flush(&im->row)))
		return rc;
	q.id = 0;
	if ((rc = st->ops->put_request(st, &q)))
		return rc != CS_ECONFLICT ? rc
		       : *q.ref ? bad(rd, C_REF, "%s is taken by a request "
				      "stored before, or its token is", q.ref)
				: bad(rd, C_TOKEN, "is taken by a request "
				      "stored before");
	for (int k = 0; k < nev; k++) {
		ev[k].request_id = q.id;
		ev[k].actor = (char *)"import";
	}
	if (st->ops->add_request_events)
		rc = st->ops->add_request_events(st, ev, nev);
	for (int k = 0; k < nev && !rc && !st->ops->add_request_events; k++)
		rc = st->ops->add_request_event(st, &ev[k]);
	if (!rc && *q.ref && strmap_put(&im->refs, q.ref, (int)q.id))
		rc = cs_errorf(CS_ENOMEM, "out of memory");
	if (!rc && request_counted(&q))
		rc = note_first(im, &q);
	return rc;
}

static int import_file(struct import *im, const char *path, long *rows)
{
	static struct row w;
	struct csv_reader r;
	struct csv_field *f;
	int at[C_N], n, rc;
	if ((rc = csv_open_file(&r, path, CSV_ENC_AUTO)))
		return rc;
	if (!(rc = csv_header(&r, columns, C_N, at))) {
		while ((n = csv_next(&r, &f)) > 0) {
			if ((rc = read_row(&r, f, n, at, &w)) ||
			    (rc = import_row(im, &r, &w)))
				break;
			(*rows)++;
		}
		if (!rc && n < 0)
			rc = CS_EINVAL;
	}
	csv_release(&r);
	return rc;
}

int request_csv_import(struct civstat *cs, const char *const *paths, int n,
		       int dry_run, long *rows)
{
	struct store *st = cs->st;
	struct import im = {.cs = cs};
	im.row.sums = &im.sums;
	int rc;
	*rows = 0;
	/* A large import goes bulk (see begin_bulk); a small one, or a
	 * check, leaves the database's journal as it is. */
	long long bytes = 0;
	for (int k = 0; k < n; k++) {
		struct stat sb;
		if (!stat(paths[k], &sb))
			bytes += sb.st_size;
	}
	int bulk = !dry_run && bytes > REQUEST_BULK_BYTES;
	if ((rc = request_cache_get(cs, &im.c)) ||
	    (rc = bulk ? st->ops->begin_bulk(st) : st->ops->begin(st)))
		return rc;
	/* Into empty tables the queue's indices are built once at the
	 * end, not kept row by row. */
	if (bulk && st->ops->defer_indices &&
	    ((rc = st->ops->defer_indices(st, "request")) ||
	     (rc = st->ops->defer_indices(st, "request_event")))) {
		st->ops->rollback(st);
		return rc;
	}
	for (int k = 0; k < n && !rc; k++)
		rc = import_file(&im, paths[k], rows);
	if (!rc)
		rc = sums_flush(&im.sums, st);
	long now = (long)time(NULL);
	for (int k = 0; k < im.n_firsts && !rc; k++)
		rc = request_feed(cs, &im.firsts[k], now);
	if (rc || dry_run)
		st->ops->rollback(st);
	else if ((rc = st->ops->commit(st)))
		st->ops->rollback(st);
	sums_release(&im.sums);
	strmap_release(&im.refs);
	free(im.firsts);
	free(im.ev);
	return rc;
}

/* ---- the export ------------------------------------------------------- */

/* One event of a request, as the export compares and writes it. */
struct export_event {
	long at;
	int action;	/* enum request_action, -1: submit */
	int to_state;
	int department_id;
	const char *text; /* malloc'd, but in want[] of plain() */
};

struct export {
	struct civstat *cs;
	FILE *f;
	struct export_event *ev; /* the request's events, oldest first */
	int n, cap;
};

static int export_event(void *ctx, const struct request_event *e)
{
	struct export *x = ctx;
	if (x->n == x->cap) {
		int cap = x->cap ? 2 * x->cap : 16;
		struct export_event *a = realloc(x->ev,
						 (size_t)cap * sizeof *a);
		if (!a)
			return cs_errorf(CS_ENOMEM, "out of memory");
		x->ev = a;
		x->cap = cap;
	}
	char *text = strdup(e->text ? e->text : "");
	if (!text)
		return cs_errorf(CS_ENOMEM, "out of memory");
	x->ev[x->n++] = (struct export_event){
		.at = e->at,
		.action = request_action_parse(e->action),
		.to_state = e->to_state,
		.department_id = e->department_id,
		.text = text,
	};
	return CS_OK;
}

static void export_events_release(struct export *x)
{
	for (int k = 0; k < x->n; k++)
		free((char *)x->ev[k].text);
	x->n = 0;
}

/* Nonzero when the columns dispatched .. followed and duplicate_of,
 * imported, give r's events e[0..n) again: no column steps needed. */
static int plain(const struct request *r, const struct export_event *e,
		 int n)
{
	struct export_event want[5];
	int m = 0;
	if (!n)
		return 1; /* no timeline to keep */
	if (e[0].action != -1)
		return 0;
	if (e[0].to_state == REQ_HELD)
		return n == 1;
	if (r->duplicate_of && !r->dispatched)
		want[m++] = (struct export_event){r->received,
						  REQ_ACT_DUPLICATE, 0, 0, ""};
	if (r->dispatched)
		want[m++] = (struct export_event){r->dispatched,
						  REQ_ACT_DISPATCH, 0,
						  r->department_id, ""};
	if (r->accepted)
		want[m++] = (struct export_event){r->accepted, REQ_ACT_ACCEPT,
						  0, 0, ""};
	if (r->answered)
		want[m++] = (struct export_event){r->answered, REQ_ACT_ANSWER,
						  0, 0, r->answer};
	if (r->followed)
		want[m++] = (struct export_event){r->followed,
						  REQ_ACT_FOLLOWUP, 0, 0, ""};
	if (n - 1 != m)
		return 0;
	for (int k = 0; k < m; k++) {
		const struct export_event *a = &e[k + 1], *b = &want[k];
		if (a->at != b->at || a->action != b->action ||
		    strcmp(a->text, b->text) ||
		    (a->action == REQ_ACT_DISPATCH &&
		     a->department_id != b->department_id))
			return 0;
	}
	return 1;
}

/* Writes z with backslash, newline and return escaped. */
static void put_escaped(FILE *f, const char *z)
{
	for (; *z; z++) {
		if (*z == '\\')
			fputs("\\\\", f);
		else if (*z == '\n')
			fputs("\\n", f);
		else if (*z == '\r')
			fputs("\\r", f);
		else
			fputc(*z, f);
	}
}

/* The column steps of r, its events but the submit, into a malloc'd
 * string *out; dupref is the ref of its original. */
static int steps_of(struct export *x, const struct request *r,
		    const char *dupref, char **out)
{
	const struct catalog *cat = &x->cs->cat;
	size_t len = 0;
	char buf[32];
	FILE *f = open_memstream(out, &len);
	int last = -1;
	if (!f)
		return cs_errorf(CS_ENOMEM, "out of memory");
	for (int k = 0; k < x->n; k++)
		if (x->ev[k].action == REQ_ACT_FOLLOWUP)
			last = k;
	for (int k = 0, n = 0; k < x->n; k++) {
		const struct export_event *e = &x->ev[k];
		if (e->action < 0)
			continue;
		request_time_format(e->at, buf, sizeof buf);
		fprintf(f, "%s%s %s", n++ ? "\n" : "", buf,
			request_action_name(e->action));
		if (e->action == REQ_ACT_DISPATCH) {
			int d = catalog_department_id(cat, e->department_id);
			fprintf(f, " %s", d >= 0 ? cat->depts[d].code : "");
		} else if (e->action == REQ_ACT_FOLLOWUP && k == last &&
			   r->outcome == REQ_OUT_FOLLOWED) {
			fprintf(f, " %d,%s", r->resolved,
				request_satisfaction_name(r->satisfaction));
		} else if (e->action == REQ_ACT_DUPLICATE) {
			fprintf(f, " %s", dupref);
		}
		if (*e->text) {
			fputs(": ", f);
			put_escaped(f, e->text);
		}
	}
	if (fclose(f)) {
		free(*out);
		return cs_errorf(CS_ENOMEM, "out of memory");
	}
	if (len >= STEPS_CAP || x->n - 1 > STEPS_MAX) {
		free(*out);
		return cs_errorf(CS_ETOOBIG, "request %ld: its steps are more "
				 "than %d or longer than %d bytes", r->id,
				 STEPS_MAX, STEPS_CAP - 1);
	}
	return CS_OK;
}

/* One field and its comma. */
static void put(FILE *f, const char *z)
{
	csv_put(f, z);
	fputc(',', f);
}

static void put_time(FILE *f, long t)
{
	char buf[32];
	if (t) {
		request_time_format(t, buf, sizeof buf);
		fputs(buf, f);
	}
	fputc(',', f);
}

/* The ref a request is exported under: its own, or civstat-ID. */
static void ref_of(const struct request *r, char *buf, size_t cap)
{
	if (*r->ref)
		snprintf(buf, cap, "%s", r->ref);
	else
		snprintf(buf, cap, "civstat-%ld", r->id);
}

static int export_row(void *ctx, const struct request *r)
{
	struct export *x = ctx;
	FILE *f = x->f;
	const struct catalog *cat = &x->cs->cat;
	char buf[64], dupref[80] = "";
	char *steps = NULL;
	int rc;
	if (r->duplicate_of) {
		struct request o;
		if ((rc = x->cs->st->ops->get_request(x->cs->st,
						      r->duplicate_of, NULL,
						      &o)))
			return rc;
		ref_of(&o, dupref, sizeof dupref);
		request_release(&o);
	}
	if ((rc = x->cs->st->ops->scan_request_events(x->cs->st, r->id,
						       export_event, x)) ||
	    (!plain(r, x->ev, x->n) &&
	     (rc = steps_of(x, r, dupref, &steps)))) {
		export_events_release(x);
		return rc;
	}
	int held = x->n && x->ev[0].action == -1 &&
		   x->ev[0].to_state == REQ_HELD;
	export_events_release(x);
	ref_of(r, buf, sizeof buf);
	put(f, buf);
	put(f, r->service);
	put(f, r->description);
	put(f, r->address);
	int a = r->area_id ? catalog_area_id(cat, r->area_id) : -1;
	put(f, a >= 0 ? cat->areas[a].code : "");
	put(f, r->community);
	if (!isnan(r->lat))
		fprintf(f, "%.7g", r->lat);
	fputc(',', f);
	if (!isnan(r->lon))
		fprintf(f, "%.7g", r->lon);
	fputc(',', f);
	put(f, r->media_url);
	put(f, r->contact_name);
	put(f, r->contact_phone);
	put(f, r->channel);
	put_time(f, r->received);
	int d = r->department_id ? catalog_department_id(cat, r->department_id)
				 : -1;
	put(f, d >= 0 ? cat->depts[d].code : "");
	put_time(f, r->dispatched);
	put_time(f, r->accepted);
	put_time(f, r->answered);
	put(f, r->answer);
	put_time(f, r->followed);
	if (r->followed)
		fprintf(f, "%d", r->resolved);
	fputc(',', f);
	fputs(request_satisfaction_name(r->satisfaction), f);
	fputc(',', f);
	put(f, dupref);
	fprintf(f, "%d,", r->sample);
	put(f, r->contact_email);
	put(f, r->client);
	put(f, r->token);
	fprintf(f, "%d,", held);
	csv_put(f, steps ? steps : "");
	fputc('\n', f);
	free(steps);
	return ferror(f) ? cs_errorf(CS_EIO, "cannot write the export") : CS_OK;
}

int request_csv_export(struct civstat *cs, FILE *f,
		       const struct request_filter *filter)
{
	struct request_filter all = {.states = (1u << REQ_NSTATE) - 1};
	struct export x = {cs, f, NULL, 0, 0};
	if (!filter)
		filter = &all;
	all = *filter;
	all.sort = REQ_SORT_ID; /* an original before its duplicates */
	for (int c = 0; c < C_N; c++)
		fprintf(f, "%s%s", c ? "," : "", columns[c].en);
	fputc('\n', f);
	int rc = cs->st->ops->scan_requests(cs->st, &all, export_row, &x,
					    NULL);
	free(x.ev);
	return rc;
}
