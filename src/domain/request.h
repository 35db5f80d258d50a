/*
 * The residents' requests (急难愁盼, issue 7): the rules over the records of
 * store/model_request.h.  A request is received (受理), dispatched to the
 * department that answers its service (派单; the department may return a
 * wrong dispatch with a reason), taken (承办: the resident contacted),
 * answered (办结), followed up (回访) and closed, or reopened; duplicates
 * are linked to their original and closed; leaders supervise (督办) the
 * overdue.  Every step is an event of the request's timeline, timed and
 * attributed, and moves the tallies of store's request_stat in the same
 * transaction, so the rates are always those of the requests.
 *
 * Deadlines are counted on the working-day calendar (core/workday.h, the
 * holiday table): dispatch_due = service.dispatch_days working days after
 * receipt; at dispatch response_due = REQUEST_RESPONSE_DAYS (setting
 * request.response_days) working days after it and answer_due =
 * service.answer_days working days after it, or service.answer_hours clock
 * hours after receipt when the service counts in hours (heating: 24).
 * A reopened request gets new ones from the reopening.
 *
 * "Now" is always a parameter (Unix seconds), so the same requests give
 * the same answers in a test as on the day.  Errors: CS_EINVAL naming the
 * field (request_errfield()), CS_ENOTFOUND for an unknown request, service,
 * department or area, CS_EPERM for a step the caller may not take,
 * CS_ECONFLICT for a step the request's state does not allow; after an
 * error nothing of the call is kept.
 */
#ifndef CS_REQUEST_H
#define CS_REQUEST_H

#include <stddef.h>
#include <stdio.h>

#include "domain/civstat.h"
#include "domain/task.h"
#include "store/model_request.h"

#define REQUEST_MAX_DESC 4000	/* bytes of a description */
#define REQUEST_MAX_TEXT 2000	/* of an answer, a reason, a note */
#define REQUEST_MAX_MEDIA 5	/* photo URLs */
#define REQUEST_RESPONSE_DAYS 1

/* The indicators the tallies feed, by area and month (cumulative from
 * January, %), when the catalogue has them: typed figures are refused. */
#define REQUEST_IND_RESOLVE "REQ_RESOLVE"   /* 群众诉求解决率 */
#define REQUEST_IND_SATISFY "REQ_SATISFY"   /* 群众满意率 */
#define REQUEST_IND_ONTIME "REQ_ONTIME"	    /* 按时办结率 */

/* "held" ... "closed" and 待审核 ... 已关闭; parse takes either, -1. */
const char *request_state_name(int state);
const char *request_state_zh(int state);
int request_state_parse(const char *z);
/* Nonzero for REQ_RECEIVED .. REQ_ANSWERED. */
int request_is_open(int state);
/* "satisfied", "basic", "dissatisfied" (满意, 基本满意, 不满意); -1. */
const char *request_satisfaction_name(int s);
const char *request_satisfaction_zh(int s);
int request_satisfaction_parse(const char *z);

/* The field the last error of this thread was about ("description",
 * "lat", "department" ...: the JSON field of the API), or NULL. */
const char *request_errfield(void);

/* Drops what cs keeps for the requests (the calendar, the catalogue,
 * the settings), after they changed: they are read again at next use. */
void request_forget(struct civstat *cs);

/* Frees the strings of r (the store's reads malloc them). */
void request_release(struct request *r);
void request_event_release(struct request_event *e);

/* ---- intake ----------------------------------------------------------- */

/*
 * Receives r at now: checks it (service known and, unless the caller is
 * staff, public; description 1..REQUEST_MAX_DESC bytes; an address or
 * both lat and lon in range; area a known area when given; media URLs
 * http(s), at most REQUEST_MAX_MEDIA; contact phone digits, '+', '-' and
 * blanks), gives it a new random token, received = now, dispatch_due,
 * state REQ_RECEIVED or, with hold, REQ_HELD.  r->id and r->token (a
 * malloc'd string the caller frees with request_release) are written
 * back.  On success every string of r is a malloc'd copy as stored (the
 * caller's own strings are not freed, only no longer pointed at): release
 * them with request_release.  actor: "resident", "open311:label" (the
 * public: only public services) or an account name (staff).
 */
int request_submit(struct civstat *cs, struct request *r, int hold,
		   const char *actor, long now);

/* ---- the workflow ----------------------------------------------------- */

enum request_action {
	REQ_ACT_APPROVE,   /* held → received: moderation lets it in */
	REQ_ACT_REJECT,	   /* held → closed (rejected); text: why */
	REQ_ACT_DISPATCH,  /* received or dispatched → dispatched to
			      department (again, to another one) */
	REQ_ACT_RETURN,	   /* dispatched → received; text: why (退单) */
	REQ_ACT_ACCEPT,	   /* dispatched → in progress (承办, contacted) */
	REQ_ACT_ANSWER,	   /* dispatched or in progress → answered; text */
	REQ_ACT_FOLLOWUP,  /* answered → closed; resolved, satisfaction */
	REQ_ACT_REOPEN,	   /* answered or closed (followed) → dispatched to
			      the same department; text: why */
	REQ_ACT_DUPLICATE, /* held, received or dispatched → closed as a
			      duplicate of duplicate_of (an open or closed
			      request that is itself no duplicate) */
	REQ_ACT_SUPERVISE, /* an open request, no state change: 督办; text */
	REQ_ACT_NOTE,	   /* any request, no state change: a staff note */
	REQ_NACT
};
/* "approve" ... "note" and 通过 驳回 派单 退单 承办 办结 回访 重办 合并
 * 督办 备注; parse takes either, -1 when neither. */
const char *request_action_name(int action);
const char *request_action_zh(int action);
int request_action_parse(const char *z);

struct request_step {
	int action;		/* enum request_action */
	const char *department; /* dispatch: the department's code */
	const char *text;	/* the reason, answer or note */
	int resolved;		/* followup: 1 or 0 */
	int satisfaction;	/* followup: enum request_satisfaction */
	long duplicate_of;	/* duplicate */
};

/*
 * Who may take which step: moderation, dispatch, follow-up, reopen and
 * duplicate a reviewer (the 12345 centre's staff) or above; return, accept
 * and answer the department the request is dispatched to, or a reviewer
 * or above; supervise a leader or admin; note any staff member who may
 * see the request (request_may_see).
 */
int request_may(const struct task_who *who, const struct request *r,
		int action);
/* Staff who may see r whole (its contact too): a reviewer or above, or
 * the department it is dispatched to. */
int request_may_see(const struct task_who *who, const struct request *r);

/*
 * Takes step s on request id at now as who (cs->actor in the events):
 * checks role, state and fields, moves the request, adds its event and
 * moves the tallies (and the fed indicators) in one transaction.  When
 * out is not NULL it is filled with the request after the step (release
 * with request_release).
 */
int request_act(struct civstat *cs, long id, const struct request_step *s,
		const struct task_who *who, long now, struct request *out);

/* Dispatches every one of the n requests at ids to department, all or
 * none (the first refused one names its id in cs_errmsg()). */
int request_dispatch_all(struct civstat *cs, const long *ids, int n,
			 const char *department, const struct task_who *who,
			 long now);

/* ---- reads ------------------------------------------------------------ */

/* By id, or by token when token is not NULL; CS_ENOTFOUND. */
int request_get(struct store *st, long id, const char *token,
		struct request *out);
/* The events of request id, oldest first. */
typedef int (*request_event_fn)(void *ctx, const struct request_event *e);
int request_events(struct store *st, long id, request_event_fn fn,
		   void *ctx);

/* Nonzero when r is open and past its answer (or, not yet dispatched,
 * its dispatch) deadline at now. */
int request_overdue(const struct request *r, long now);

/* struct request_filter, the list's filter: see store/model_request.h. */
typedef int (*request_fn)(void *ctx, const struct request *r);
/* Calls fn with each request f selects, in its order; *total (may be
 * NULL) counts them all, before limit and offset. */
int request_list(struct store *st, const struct request_filter *f,
		 request_fn fn, void *ctx, long *total);

/* ---- rates ------------------------------------------------------------ */

/*
 * The rates, each kept as numerator and denominator (docs/requests.md):
 *   response     responded_on_time / dispatched   (响应率)
 *   on_time      answered_on_time / answered      (按时办结率)
 *   resolution   resolved / followed              (解决率)
 *   satisfaction (satisfied + basic) / followed   (满意率; setting
 *                request.satisfaction = "strict" counts satisfied only)
 *   reopen       reopened / closed                (重办率)
 * and open, the requests open at the end of the range (动态清零).
 */
enum request_by {
	REQ_BY_NONE = 0, REQ_BY_DEPARTMENT, REQ_BY_AREA, REQ_BY_SERVICE,
	REQ_BY_MONTH
};
struct request_rate_filter {
	int month_from, month_to; /* 202601 .. 202612, inclusive */
	int department_id, area_id;
	const char *service;
	int by;			  /* enum request_by */
};
struct request_tally {
	int key;		/* department or area id, month; 0 */
	char service[32];	/* by service */
	struct request_stat sum; /* the counts (sum.service unused) */
	long open;		/* open at the end of month_to, or of the
				   row's month when by month */
	long num[5], den[5];	/* response, on_time, resolution,
				   satisfaction, reopen */
};
int request_rates(struct store *st, const struct request_rate_filter *f,
		  struct request_tally **out, int *n);

/* ---- requests.csv (request_csv.c) -------------------------------------- */

/* "YYYY-MM-DD[ HH:MM]" (or 'T' for the blank), Shanghai time, into Unix
 * seconds; CS_EINVAL.  format writes "YYYY-MM-DD HH:MM" (cap >= 17). */
int request_time_parse(const char *z, long *out);
void request_time_format(long t, char *buf, size_t cap);

/* Checks requests.csv in data (name for messages) without a store:
 * columns, times in order, the fields each step needs; *rows counted.
 * CS_EINVAL with "name:line: column \"x\": why". */
int request_csv_check(const char *name, const char *data, size_t len,
		      long *rows);
/* Imports the files in one bulk transaction, all or nothing, each row's
 * steps replayed through the rules (deadlines, events, tallies, the fed
 * indicators once at the end); dry_run checks and stores nothing. */
int request_csv_import(struct civstat *cs, const char *const *paths, int n,
		       int dry_run, long *rows);
/* Writes the requests filter selects (NULL: all) to f as requests.csv,
 * by id, held and rejected ones too, each with its history in the column
 * steps when the step columns cannot replay it, so that the file imports
 * again as the same requests and tallies; a request without a ref is
 * written as civstat-ID so that duplicates can name it. */
int request_csv_export(struct civstat *cs, FILE *f,
		       const struct request_filter *filter);

#endif
