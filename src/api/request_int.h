/*
 * What the two doors of the residents' requests share (issue 7): civstat's
 * own JSON routes (requests.c) and Open311 GeoReport v2 (open311.c) take
 * the same submissions, read the same services (services.c), write the
 * same times and refuse the same floods (ratelimit.c), whose limits the
 * admin may set (request_settings.c).  Private to src/api.
 */
#ifndef CS_API_REQUEST_INT_H
#define CS_API_REQUEST_INT_H

#include "api/api.h"
#include "domain/request.h"

/* ---- times ------------------------------------------------------------ */

/* t as ISO 8601 in China's time, "2026-03-02T09:15:00+08:00"; t 0: "". */
void api_time_iso(long t, char buf[32]);
/* t as JSON: the ISO string, or null when 0. */
json_t *api_time_json(long t);
/*
 * Reads "YYYY-MM-DD" (midnight in China), "YYYY-MM-DDTHH:MM[:SS]" (China's
 * time) or either with "Z" or "+HH:MM"/"-HH:MM" into Unix seconds; *day
 * (may be NULL) is set nonzero when only a date was given.  -1 when z is
 * none of these, or an instant not of the years 1970 to 2999 in China.
 */
int api_time_parse(const char *z, long *out, int *day);

/* ---- reads on a connection of their own -------------------------------- */

/* A store to read on (a reading connection, else the one connection,
 * locked); end with api_read_end and the same k. */
struct store *api_read_begin(struct req *r, int *k);
void api_read_end(struct req *r, int k);

/* ---- submissions ------------------------------------------------------- */

/*
 * One submission, read from its body on the pool thread and received on
 * the committer's (api_defer), so that thousands a second share commits.
 * Its strings point into body or into the buffers here; r->data owns it.
 */
struct api_submission {
	struct request rq;
	json_t *body;		/* the JSON body the strings point into */
	char *texts;		/* or the Open311 form's fields, NUL-separated */
	char *media;		/* media URLs, one a line */
	char actor[96];		/* "resident", "open311:NAME" or an account */
	int hold;		/* moderation holds it back (REQ_HELD) */
	int stored;		/* received: rq's strings are malloc'd */
	int open311;		/* answer in the spec's format */
	int xml;		/* ... as XML */
	long now;
	/* How the door answers once received (rc: request_submit's). */
	enum MHD_Result (*answer)(struct req *r, int rc);
};
void api_submission_free(void *x);

/*
 * Nonzero when moderation should hold back s (a submission of the public
 * or of an Open311 client): a link in the description or the address, a
 * word of the setting request.hold_words, or an address over
 * API_HOLD_ADDRESS bytes.  The store must be the caller's.
 */
#define API_HOLD_ADDRESS 200
int api_submission_held(struct api *api, const struct request *rq);

/* Runs s (r->data) through api_defer: request_submit on the committer
 * thread, then answer(r, rc) with rc its result. */
enum MHD_Result api_submit(struct req *r,
			   enum MHD_Result (*answer)(struct req *, int));

/* ---- rate limits (ratelimit.c) ----------------------------------------- */

enum api_limit_kind {
	API_LIMIT_ADDRESS = 0, /* per client address */
	API_LIMIT_KEY = 1,     /* per API key (Open311 client) */
	API_NLIMIT
};
/*
 * The limits of a server: per minute for each kind (0: no limit), read
 * at the start from CIVSTAT_RATE_ADDRESS and CIVSTAT_RATE_KEY, else the
 * settings request.rate_address and request.rate_key, else 30 and 600;
 * and the moderation words of request.hold_words.  NULL when out of
 * memory.
 */
struct api_limits *api_limits_new(struct store *st);
void api_limits_free(struct api_limits *l);
#define API_HOLD_WORDS_MAX 4096 /* bytes of request.hold_words */
/* Copies the words moderation holds on, blank- or comma-separated, into
 * buf (cap bytes; "" when none). */
void api_limits_hold_words(struct api_limits *l, char *buf, size_t cap);
/* Sets kind's limit per minute (kind -1: none) and, when not NULL, the
 * hold words: POST /requests/settings, while the server runs. */
void api_limits_set(struct api_limits *l, int kind, double per_minute,
		    const char *hold_words);
/*
 * Takes one submission from key's bucket of kind: 0 when it may go, else
 * the seconds until it may (for Retry-After).  Thread-safe.
 */
int api_limit_take(struct api_limits *l, int kind, const char *key,
		   double now);
/* The caller's address as text ("127.0.0.1"), "" when unknown. */
void api_client_address(struct req *r, char *buf, size_t cap);
/*
 * Checks the address limit (and the key's, when key is not NULL): 0 when
 * the submission may go, else the seconds to wait.
 */
int api_limit_check(struct req *r, const char *key);

#endif
