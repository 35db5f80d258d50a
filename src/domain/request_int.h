/*
 * What request.c shares with request_csv.c: the calendar and catalogue a
 * civstat keeps for the requests, the steps as changes of a request in
 * memory, and the tallies as pure functions of a request, so that the
 * import replays the same rules without a store round trip per step.
 */
#ifndef CS_REQUEST_INT_H
#define CS_REQUEST_INT_H

#include "core/workday.h"
#include "domain/request.h"

struct request_service {
	char code[64];
	char department[64];
	int dispatch_days, answer_days, answer_hours, public;
};

/* Read from the store at most REQUEST_CACHE_SECONDS ago, or again after
 * request_forget (a holiday or a service written by this process). */
#define REQUEST_CACHE_SECONDS 5
struct request_cache {
	struct workday_calendar cal;
	struct request_service *services;
	int n_services;
	int response_days;	/* setting request.response_days */
	long loaded;		/* time() when read */
};

/* The cache of cs, read when missing or old. */
int request_cache_get(struct civstat *cs, struct request_cache **out);
const struct request_service *request_service_find(
	const struct request_cache *c, const char *code);

/* Sets the field of the error (request_errfield) and returns rc with the
 * message "field: ..." recorded. */
int request_bad(int rc, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Checks r's fields as submitted (request_submit's list); staff may use
 * services that are not public. */
int request_check(struct civstat *cs, const struct request_cache *c,
		  const struct request *r, int staff);

/* Step s on r at now, in memory: checks the state and the fields (not the
 * role), changes r (its strings may then point at s's) and fills the
 * event ev (actor left to the caller).  On error r is unchanged. */
int request_step_apply(struct civstat *cs, const struct request_cache *c,
		       struct request *r, const struct request_step *s,
		       long now, struct request_event *ev);

/* A new follow token for a request received at received (32 hex). */
void request_token(long received, char out[33]);
/* The month 202603 of the moment t, Shanghai time. */
int request_month(long t);
/* Nonzero when r counts in the rates: not held, rejected or a dup. */
int request_counted(const struct request *r);
/* r's row of the tallies (month received, department, area, service),
 * as counts; open_delta 0.  service points at r's. */
void request_contribution(const struct request *r, struct request_stat *s);
/* d += sign * s, counts and open_delta. */
void request_stat_add(struct request_stat *d, const struct request_stat *s,
		      int sign);
/* Writes the fed indicators (REQUEST_IND_*) that r's cohort changes:
 * its area's and those above, months of receipt to now's, cumulative
 * from January. */
int request_feed(struct civstat *cs, const struct request *r, long now);
/*
 * The tallies' changes when a request goes from old (NULL: a new one) to
 * new at now, given to put one row at a time: its cohort row loses old's
 * contribution and gains new's; the open count moves in the month of now.
 * *fed is set when a count an indicator reads changed.
 */
typedef int (*request_stat_sink)(void *ctx, const struct request_stat *s);
int request_tally(const struct request *old, const struct request *new,
		  long now, request_stat_sink put, void *ctx, int *fed);
/* Nonzero when some count of s is not 0. */
int request_stat_any(const struct request_stat *s);

#endif
