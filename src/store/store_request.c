/*
 * The statements of the residents' requests (schema 10), written once for
 * both stores from the field tables: SQLite and PostgreSQL differ only in
 * their placeholders (?1, $1) and in how a new id is picked.
 */
#include "store/store_request.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define F(rec, name, type) {#name, type, offsetof(struct rec, name)}

const struct store_field store_request_fields[] = {
	F(request, id, STORE_LONG),
	F(request, ref, STORE_TEXT),
	F(request, token, STORE_TEXT),
	F(request, service, STORE_TEXT),
	F(request, state, STORE_INT),
	F(request, outcome, STORE_INT),
	F(request, description, STORE_TEXT),
	F(request, address, STORE_TEXT),
	F(request, area_id, STORE_INT),
	F(request, community, STORE_TEXT),
	F(request, lat, STORE_REAL),
	F(request, lon, STORE_REAL),
	F(request, media_url, STORE_TEXT),
	F(request, contact_name, STORE_TEXT),
	F(request, contact_phone, STORE_TEXT),
	F(request, contact_email, STORE_TEXT),
	F(request, channel, STORE_TEXT),
	F(request, client, STORE_TEXT),
	F(request, department_id, STORE_INT),
	F(request, received, STORE_LONG),
	F(request, dispatch_due, STORE_LONG),
	F(request, response_due, STORE_LONG),
	F(request, answer_due, STORE_LONG),
	F(request, dispatched, STORE_LONG),
	F(request, accepted, STORE_LONG),
	F(request, answered, STORE_LONG),
	F(request, followed, STORE_LONG),
	F(request, closed, STORE_LONG),
	F(request, answer, STORE_TEXT),
	F(request, resolved, STORE_INT),
	F(request, satisfaction, STORE_INT),
	F(request, duplicate_of, STORE_LONG),
	F(request, reopened, STORE_INT),
	F(request, supervised, STORE_INT),
	F(request, updated, STORE_LONG),
	F(request, sample, STORE_INT),
	{NULL, 0, 0},
};

const struct store_field store_request_event_fields[] = {
	F(request_event, id, STORE_LONG),
	F(request_event, request_id, STORE_LONG),
	F(request_event, at, STORE_LONG),
	F(request_event, actor, STORE_TEXT),
	F(request_event, action, STORE_TEXT),
	F(request_event, from_state, STORE_INT),
	F(request_event, to_state, STORE_INT),
	F(request_event, department_id, STORE_INT),
	F(request_event, text, STORE_TEXT),
	{NULL, 0, 0},
};

/* The key (four fields), then the counts, each summed. */
#define STAT_KEYS 4
const struct store_field store_request_stat_fields[] = {
	F(request_stat, month, STORE_INT),
	F(request_stat, department_id, STORE_INT),
	F(request_stat, area_id, STORE_INT),
	F(request_stat, service, STORE_TEXT),
	F(request_stat, received, STORE_LONG),
	F(request_stat, duplicates, STORE_LONG),
	F(request_stat, dispatched, STORE_LONG),
	F(request_stat, dispatched_on_time, STORE_LONG),
	F(request_stat, responded, STORE_LONG),
	F(request_stat, responded_on_time, STORE_LONG),
	F(request_stat, answered, STORE_LONG),
	F(request_stat, answered_on_time, STORE_LONG),
	F(request_stat, followed, STORE_LONG),
	F(request_stat, resolved, STORE_LONG),
	F(request_stat, satisfied, STORE_LONG),
	F(request_stat, basic, STORE_LONG),
	F(request_stat, dissatisfied, STORE_LONG),
	F(request_stat, reopened, STORE_LONG),
	F(request_stat, closed, STORE_LONG),
	F(request_stat, open_delta, STORE_LONG),
	{NULL, 0, 0},
};

static void add(struct store_sql *q, const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof q->z - q->len;
	va_start(ap, fmt);
	int n = vsnprintf(q->z + q->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		q->overflow = 1;
	else
		q->len += (size_t)n;
}

/* Adds the next argument of a fixed statement. */
static void push(struct store_sql *q, struct store_arg a)
{
	if (q->n >= STORE_MAX_ARGS)
		q->overflow = 1;
	else
		q->arg[q->n++] = a;
}

/* Adds the next argument and writes its placeholder. */
static void arg(struct store_sql *q, struct store_arg a)
{
	push(q, a);
	add(q, q->dialect == SCHEMA_PG ? "$%d" : "?%d", q->n);
}

static void arg_long(struct store_sql *q, long v)
{
	arg(q, (struct store_arg){.type = STORE_LONG, .l = v});
}

static void arg_text(struct store_sql *q, const char *z)
{
	arg(q, (struct store_arg){.type = STORE_TEXT, .z = z ? z : ""});
}

static void arg_field(struct store_sql *q, const struct store_field *f,
		      const void *rec)
{
	const char *p = (const char *)rec + f->off;
	struct store_arg a = {.type = f->type};
	switch (f->type) {
	case STORE_LONG:
		a.l = *(const long *)p;
		break;
	case STORE_INT:
		a.l = *(const int *)p;
		break;
	case STORE_TEXT:
		a.z = *(char *const *)p;
		if (!a.z)
			a.z = "";
		break;
	case STORE_REAL:
		a.d = *(const double *)p;
		break;
	}
	push(q, a);
}

static void start(struct store_sql *q, enum schema_dialect d)
{
	q->dialect = d;
	q->len = 0;
	q->z[0] = '\0';
	q->n = 0;
	q->overflow = 0;
}

/* "a, b, c" of the fields, with prefix before each name. */
static void names(struct store_sql *q, const struct store_field *f,
		  const char *prefix)
{
	for (int k = 0; f[k].name; k++)
		add(q, "%s%s%s", k ? ", " : "", prefix, f[k].name);
}

/* "?1, ?2 ..." for the fields, without arguments: the fixed statements
 * are prepared once and bound with store_request_args. */
static void holes(struct store_sql *q, const struct store_field *f,
		  int first)
{
	for (int k = 0; f[k].name; k++)
		add(q, "%s%s%d", k ? ", " : "",
		    q->dialect == SCHEMA_PG ? "$" : "?", first + k);
}

static int nfields(const struct store_field *f)
{
	int n = 0;
	while (f[n].name)
		n++;
	return n;
}

void store_request_sql(struct store_sql *q, enum schema_dialect d,
		       enum store_request_stmt which)
{
	const struct store_field *rf = store_request_fields;
	const struct store_field *ef = store_request_event_fields;
	const struct store_field *sf = store_request_stat_fields;
	const char *ph = d == SCHEMA_PG ? "$" : "?";
	/* SQLite: a write of one row that fails a constraint fails before
	 * it writes, so FAIL undoes nothing that ABORT would, and spares
	 * the statement journal, a copy of every page the row touches. */
	const char *fail = d == SCHEMA_PG ? "" : " OR FAIL";
	/* SQLite gathers RETURNING's rows in a temporary table opened and
	 * closed at each step, a third of a bulk import's time: the new id
	 * is sqlite3_last_insert_rowid() there. */
	const char *returning = d == SCHEMA_PG ? " RETURNING id" : "";
	int n = nfields(rf);
	start(q, d);
	switch (which) {
	case SR_INSERT:
		add(q, "INSERT%s INTO request(", fail);
		names(q, rf, "");
		add(q, ", due) VALUES(");
		/* PostgreSQL's new id continues the largest, as SQLite's
		 * rowid does, under the store's write lock. */
		if (d == SCHEMA_PG)
			add(q, "coalesce(nullif($1::bigint, 0), (SELECT coalesce("
			       "max(id), 0) + 1 FROM request))");
		else
			add(q, "nullif(?1, 0)");
		for (int k = 1; k < n; k++)
			add(q, ", %s%d", ph, k + 1);
		add(q, ", %s%d)%s", ph, n + 1, returning);
		break;
	case SR_UPDATE:
		add(q, "UPDATE%s request SET ", fail);
		for (int k = 1; k < n; k++)
			add(q, "%s%s = %s%d", k > 1 ? ", " : "", rf[k].name,
			    ph, k);
		add(q, ", due = %s%d WHERE id = %s%d", ph, n, ph, n + 1);
		break;
	case SR_GET_ID:
	case SR_GET_TOKEN:
		add(q, "SELECT ");
		names(q, rf, "");
		add(q, " FROM request WHERE %s = %s1",
		    which == SR_GET_ID ? "id" : "token", ph);
		break;
	case SR_ADD_EVENT:
		add(q, "INSERT%s INTO request_event(", fail);
		names(q, ef, "");
		add(q, ") VALUES(");
		if (d == SCHEMA_PG)
			add(q, "coalesce(nullif($1::bigint, 0), (SELECT coalesce("
			       "max(id), 0) + 1 FROM request_event))");
		else
			add(q, "nullif(?1, 0)");
		for (int k = 1; ef[k].name; k++)
			add(q, ", %s%d", ph, k + 1);
		add(q, ")%s", returning);
		break;
	case SR_EVENTS_OF:
	case SR_EVENTS_ALL:
		add(q, "SELECT ");
		names(q, ef, "");
		add(q, " FROM request_event");
		if (which == SR_EVENTS_OF)
			add(q, " WHERE request_id = %s1", ph);
		add(q, " ORDER BY id");
		break;
	case SR_ADD_STAT:
		add(q, "INSERT INTO request_stat(");
		names(q, sf, "");
		add(q, ") VALUES(");
		holes(q, sf, 1);
		add(q, ") ON CONFLICT(month, department_id, area_id, service)"
		       " DO UPDATE SET ");
		for (int k = STAT_KEYS; sf[k].name; k++)
			add(q, "%s%s = request_stat.%s + excluded.%s",
			    k > STAT_KEYS ? ", " : "", sf[k].name, sf[k].name,
			    sf[k].name);
		break;
	case SR_N:
		break;
	}
}

/* A request that waits for no deadline sorts after the others in the
 * queue "overdue first": a closed one, and an answered one (its answer
 * deadline is past history, the follow-up call has none), which sorted
 * among the overdue before and pushed them off the first page. */
#define DUE_NEVER 9223372036854775807L

long store_request_due(const struct request *r)
{
	if (r->state == REQ_HELD || r->state == REQ_RECEIVED)
		return r->dispatch_due;
	if (r->state == REQ_CLOSED || r->state == REQ_ANSWERED)
		return DUE_NEVER;
	return r->answer_due;
}

void store_request_args(struct store_sql *q, const struct request *r,
			int update)
{
	const struct store_field *f = store_request_fields;
	q->n = 0;
	q->overflow = 0;
	for (int k = update ? 1 : 0; f[k].name; k++)
		arg_field(q, &f[k], r);
	q->arg[q->n++] = (struct store_arg){.type = STORE_LONG,
					     .l = store_request_due(r)};
	if (update)
		q->arg[q->n++] = (struct store_arg){.type = STORE_LONG,
						     .l = r->id};
}

void store_request_event_args(struct store_sql *q,
			      const struct request_event *e)
{
	q->n = 0;
	q->overflow = 0;
	for (int k = 0; store_request_event_fields[k].name; k++)
		arg_field(q, &store_request_event_fields[k], e);
}

void store_request_stat_args(struct store_sql *q,
			     const struct request_stat *s)
{
	q->n = 0;
	q->overflow = 0;
	for (int k = 0; store_request_stat_fields[k].name; k++)
		arg_field(q, &store_request_stat_fields[k], s);
}

/* " AND id IN (?1, ?2)" of "1,2"; CS_EINVAL when not numbers. */
static int ids_in(struct store_sql *q, const char *z)
{
	int n = 0;
	add(q, " AND id IN (");
	while (*z) {
		char *end;
		errno = 0;
		long v = strtol(z, &end, 10);
		if (end == z || errno || v <= 0 || ++n > 100)
			return cs_errorf(CS_EINVAL, "ids: \"%s\" is not a list "
					 "of at most 100 request numbers", z);
		if (n > 1)
			add(q, ", ");
		arg_long(q, v);
		z = end;
		while (*z == ' ')
			z++;
		if (*z == ',')
			z++;
		else if (*z)
			return cs_errorf(CS_EINVAL, "ids: \"%s\" is not a list "
					 "of request numbers", z);
		while (*z == ' ')
			z++;
	}
	if (!n)
		arg_long(q, 0);
	add(q, ")");
	return CS_OK;
}

int store_request_list_sql(struct store_sql *q, enum schema_dialect d,
			   const struct request_filter *f, int count)
{
	unsigned states = f->states ? f->states
				    : ((1u << REQ_NSTATE) - 1) & ~1u;
	int rc;
	start(q, d);
	if (count) {
		add(q, "SELECT count(*) FROM request WHERE 1 = 1");
	} else {
		add(q, "SELECT ");
		names(q, store_request_fields, "");
		add(q, " FROM request WHERE 1 = 1");
	}
	/* Any subset of the open states names their range as the partial
	 * indices of the open ones do: SQLite uses such an index only when
	 * the query repeats its condition. */
	unsigned all = (1u << REQ_NSTATE) - 1, open = 0x1e;
	if (f->overdue)
		states &= 0x0e; /* an answered request waits for no one */
	if (states && !(states & ~open))
		add(q, " AND state BETWEEN 1 AND 4");
	/* No state at all (the overdue held, answered or closed the queue
	 * counts): false before any row is read, where "state IN (-1)"
	 * scanned the whole table, 1 s a count at 5 million requests. */
	if (!states)
		add(q, " AND 0 = 1");
	else if (states != all && states != open) {
		add(q, " AND state IN (");
		int n = 0;
		for (int s = 0; s < REQ_NSTATE; s++)
			if (states & 1u << s)
				add(q, "%s%d", n++ ? ", " : "", s);
		add(q, ")");
	}
	if (f->department_id) {
		add(q, " AND department_id = ");
		arg_long(q, f->department_id);
	}
	if (f->area_id) {
		add(q, " AND area_id = ");
		arg_long(q, f->area_id);
	}
	if (f->service && *f->service) {
		add(q, " AND service = ");
		arg_text(q, f->service);
	}
	if (f->received_from) {
		add(q, " AND received >= ");
		arg_long(q, f->received_from);
	}
	if (f->received_to) {
		add(q, " AND received < ");
		arg_long(q, f->received_to);
	}
	if (f->overdue) {
		add(q, " AND due > 0 AND due < ");
		arg_long(q, f->now);
	}
	if (f->duplicate_of) {
		add(q, " AND duplicate_of = ");
		arg_long(q, f->duplicate_of);
	}
	if (f->ids && (rc = ids_in(q, f->ids)))
		return rc;
	if (!count) {
		if (f->sort == REQ_SORT_RECEIVED)
			add(q, " ORDER BY received DESC, id DESC");
		else if (f->sort == REQ_SORT_ID)
			add(q, " ORDER BY id");
		else
			add(q, " ORDER BY due, id");
		if (f->limit > 0 || f->offset > 0) {
			add(q, " LIMIT ");
			/* No limit: the largest (PostgreSQL takes no -1). */
			arg_long(q, f->limit > 0 ? f->limit : LONG_MAX);
			add(q, " OFFSET ");
			arg_long(q, f->offset);
		}
	}
	return CS_OK;
}

void store_request_stat_sql(struct store_sql *q, enum schema_dialect d,
			    const struct request_stat_query *sq)
{
	const struct store_field *sf = store_request_stat_fields;
	static const char *const keys[] = {
		[REQ_STAT_NONE] = "0, 0, 0, ''",
		[REQ_STAT_DEPARTMENT] = "0, department_id, 0, ''",
		[REQ_STAT_AREA] = "0, 0, area_id, ''",
		[REQ_STAT_SERVICE] = "0, 0, 0, service",
		[REQ_STAT_MONTH] = NULL, /* below */
	};
	static const char *const groups[] = {
		[REQ_STAT_NONE] = "",
		[REQ_STAT_DEPARTMENT] = (" GROUP BY department_id"
					 " ORDER BY department_id"),
		[REQ_STAT_AREA] = " GROUP BY area_id ORDER BY area_id",
		[REQ_STAT_SERVICE] = " GROUP BY service ORDER BY service",
		[REQ_STAT_MONTH] = " GROUP BY 1 ORDER BY 1",
	};
	start(q, d);
	add(q, "SELECT ");
	if (sq->by == REQ_STAT_ROW) {
		names(q, sf, "");
		add(q, " FROM request_stat ORDER BY month, department_id,"
		       " area_id, service");
		return;
	}
	/* The counts of the months before the range are not summed, their
	 * open_delta is: the open count goes on from the first month. */
	int from = sq->month_from;
	if (sq->by == REQ_STAT_MONTH) {
		add(q, "CASE WHEN month < ");
		arg_long(q, from);
		add(q, " THEN 0 ELSE month END, 0, 0, ''");
	} else {
		add(q, "%s", keys[sq->by]);
	}
	for (int k = STAT_KEYS; sf[k].name; k++) {
		if (!strcmp(sf[k].name, "open_delta")) {
			add(q, ", coalesce(sum(open_delta), 0)");
			continue;
		}
		add(q, ", coalesce(sum(CASE WHEN month >= ");
		arg_long(q, from);
		add(q, " THEN %s ELSE 0 END), 0)", sf[k].name);
	}
	add(q, " FROM request_stat WHERE month <= ");
	arg_long(q, sq->month_to);
	if (sq->department_id) {
		add(q, " AND department_id = ");
		arg_long(q, sq->department_id);
	}
	if (sq->area_id) {
		add(q, " AND area_id = ");
		arg_long(q, sq->area_id);
	}
	if (sq->service && *sq->service) {
		add(q, " AND service = ");
		arg_text(q, sq->service);
	}
	add(q, "%s", groups[sq->by]);
}

int store_fields_dup(const struct store_field *f, void *rec)
{
	int rc = CS_OK;
	for (int k = 0; f[k].name; k++) {
		if (f[k].type != STORE_TEXT)
			continue;
		char **pz = (char **)((char *)rec + f[k].off);
		char *z = strdup(*pz ? *pz : "");
		if (!z)
			rc = CS_ENOMEM;
		*pz = z;
	}
	if (rc) {
		store_fields_free(f, rec);
		return cs_errorf(CS_ENOMEM, "out of memory");
	}
	return CS_OK;
}

void store_fields_free(const struct store_field *f, void *rec)
{
	for (int k = 0; f[k].name; k++) {
		if (f[k].type != STORE_TEXT)
			continue;
		char **pz = (char **)((char *)rec + f[k].off);
		free(*pz);
		*pz = NULL;
	}
}
