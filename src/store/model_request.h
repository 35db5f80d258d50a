/*
 * The residents' requests (急难愁盼, issue 7) as the store reads and writes
 * them: a request, the events of its timeline, and the tallies the rates
 * are read from.  Times are Unix seconds (0: not yet); the rules over them
 * (which step may follow which, deadlines on the working-day calendar,
 * what counts in which rate) live in domain/request.c.
 */
#ifndef CS_MODEL_REQUEST_H
#define CS_MODEL_REQUEST_H

/*
 * Where a request stands.  Open are REQ_RECEIVED to REQ_ANSWERED (the
 * list to clear, 动态清零); REQ_HELD is not public and not counted until
 * a moderator lets it through; REQ_CLOSED ends it, unless it is reopened.
 */
enum request_state {
	REQ_HELD = 0,	     /* 待审核: held back by moderation */
	REQ_RECEIVED = 1,    /* 已受理: waits to be dispatched */
	REQ_DISPATCHED = 2,  /* 已派单: at its department, not yet taken */
	REQ_IN_PROGRESS = 3, /* 承办中: the department has contacted the
				resident and works on it */
	REQ_ANSWERED = 4,    /* 已办结: answered, waits for the follow-up */
	REQ_CLOSED = 5,	     /* 已关闭: followed up, a duplicate, or rejected */
	REQ_NSTATE
};

/* How a closed request ended (request.outcome). */
enum request_outcome {
	REQ_OUT_NONE = 0,      /* not closed */
	REQ_OUT_FOLLOWED = 1,  /* closed after the follow-up call (回访) */
	REQ_OUT_DUPLICATE = 2, /* a duplicate of duplicate_of */
	REQ_OUT_REJECTED = 3,  /* refused by moderation (spam, abuse) */
};

/* The resident's answer at the follow-up call (回访). */
enum request_satisfaction {
	REQ_SAT_NONE = 0,	  /* not asked yet */
	REQ_SAT_SATISFIED = 1,	  /* 满意 */
	REQ_SAT_BASIC = 2,	  /* 基本满意 */
	REQ_SAT_DISSATISFIED = 3, /* 不满意 */
};

struct request {
	long id;
	char *ref;	   /* the hotline's own number, unique; "" none */
	char *token;	   /* the resident's follow token, 32 hex digits */
	char *service;	   /* the service's code */
	int state;	   /* enum request_state */
	int outcome;	   /* enum request_outcome */
	char *description;
	char *address;	   /* "" when none (then lat/lon are given) */
	int area_id;	   /* the county or district, 0 when unknown */
	char *community;   /* 社区, "" when none */
	double lat, lon;   /* WGS-84, NaN when none */
	char *media_url;   /* photos by URL, one a line, "" when none */
	/* The resident: never public, never in Open311 output. */
	char *contact_name, *contact_phone, *contact_email;
	char *channel;	   /* web, hotline, app, open311 */
	char *client;	   /* the Open311 client's token label, "" */
	int department_id; /* where it is dispatched, 0 while not */
	long received;	   /* 受理 */
	long dispatch_due; /* by when it must be dispatched */
	long response_due; /* ... taken and the resident contacted */
	long answer_due;   /* ... answered (办结) */
	long dispatched, accepted, answered, followed, closed; /* 0: not */
	char *answer;	   /* the answer to the resident, "" while none */
	int resolved;	   /* at the follow-up: 1 yes, 0 no, -1 not asked */
	int satisfaction;  /* enum request_satisfaction */
	long duplicate_of; /* the original's id, 0 */
	int reopened;	   /* times reopened */
	int supervised;	   /* 督办 notes written on it */
	long updated;	   /* the last change */
	int sample;	   /* demo data, not a real resident's */
};

/* One step of a request's timeline, attributed and timed. */
struct request_event {
	long id;
	long request_id;
	long at;
	char *actor;	   /* the account, or "resident", "open311:label" */
	char *action;	   /* submit, approve, reject, dispatch, return,
			      accept, answer, followup, reopen, duplicate,
			      supervise, note */
	int from_state, to_state;
	int department_id; /* the department it concerns, 0 */
	char *text;	   /* the reason, answer, note; "" */
};

/*
 * The tallies of one (month, department, area, service): what the rates
 * are read from without counting millions of requests.  Cohort counts are
 * by the month a request was received and its present department, area
 * and service; open_delta is a flow, by the month of the change: +1 when
 * a request becomes open under this key, -1 when it stops being open
 * under it, so that the open count at the end of a month is the sum of
 * open_delta up to it.  The store adds deltas (add_request_stat); the
 * domain decides them.
 */
struct request_stat {
	int month;	   /* 202603 */
	int department_id; /* 0: not dispatched */
	int area_id;	   /* 0: unknown */
	char *service;
	long received;	   /* counted (not held, not rejected, not dups) */
	long duplicates;
	long dispatched, dispatched_on_time;
	long responded, responded_on_time;
	long answered, answered_on_time;
	long followed, resolved;
	long satisfied, basic, dissatisfied;
	long reopened;	   /* requests reopened at least once */
	long closed;
	long open_delta;
};

/*
 * A list's filter (domain/request.h's request_list, the store's
 * scan_requests); zero fields do not filter.
 */
enum request_sort {
	REQ_SORT_DUE = 0,      /* the overdue first: by the next deadline */
	REQ_SORT_RECEIVED = 1, /* the newest first */
	REQ_SORT_ID = 2,       /* by id: a copy of them all (migrate) */
};
struct request_filter {
	unsigned states;      /* bit per enum request_state (1 << state),
				 0: all but held */
	int department_id;
	int area_id;
	const char *service;
	long received_from, received_to; /* [from, to) */
	int overdue;	      /* only those overdue at now */
	long now;
	long duplicate_of;
	const char *ids;      /* Open311: "1,2,3" */
	int sort;	      /* enum request_sort */
	long limit, offset;   /* limit 0: all */
};
/*
 * A sum of request_stat rows (the store's sum_request_stats): the rows of
 * months month_from..month_to (inclusive) with the department, area and
 * service given (0, NULL: any), summed by the key by names; open_delta is
 * summed from the first month on, up to month_to, so that it is the open
 * count at the end of month_to.  By month, the rows before month_from sum
 * into one of month 0 (its counts zero): the open count before the range.
 */
enum request_stat_by {
	REQ_STAT_NONE = 0, REQ_STAT_DEPARTMENT, REQ_STAT_AREA,
	REQ_STAT_SERVICE, REQ_STAT_MONTH,
	REQ_STAT_ROW, /* no sum: every row as stored (migrate) */
};
struct request_stat_query {
	int month_from, month_to;
	int department_id, area_id;
	const char *service;
	int by;			  /* enum request_stat_by */
};

#endif
