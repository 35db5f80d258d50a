/*
 * Rate limits on the residents' submissions (issue 7): a token bucket per
 * client address and per API key, held in memory, so that one flooding
 * client or script cannot fill the 12345 centre's queue.  A bucket holds
 * a minute's allowance and refills continuously; the table is fixed in
 * size and forgets the longest-idle bucket when full, which at worst
 * gives a forgotten flooder a fresh minute.
 */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "api/request_int.h"
#include "core/err.h"

#define BUCKETS 4096   /* buckets of both kinds, by hash */
#define PROBE 8        /* slots tried before the longest-idle is taken */
#define KEY_MAX 72     /* bytes of a bucket's key kept */
#define DEFAULT_ADDRESS 30
#define DEFAULT_KEY 600

struct bucket {
	char key[KEY_MAX];  /* kind's digit, then the address or key */
	double tokens;      /* submissions it may still make now */
	double last;        /* when tokens was last computed */
};

struct api_limits {
	pthread_mutex_t mu;
	double per_minute[API_NLIMIT]; /* 0: no limit */
	char hold_words[API_HOLD_WORDS_MAX];
	struct bucket b[BUCKETS];
};

/* A limit: the environment's, else the setting's, else the default. */
static double limit_of(struct store *st, const char *env, const char *key,
		       double fallback)
{
	const char *z = getenv(env);
	char *meta = NULL;
	double v = fallback;
	if (!z && st && !st->ops->get_meta(st, key, &meta) && meta)
		z = meta;
	if (z && *z) {
		char *end;
		double d = strtod(z, &end);
		if (!*end && d >= 0 && isfinite(d))
			v = d;
	}
	free(meta);
	return v;
}

struct api_limits *api_limits_new(struct store *st)
{
	struct api_limits *l = calloc(1, sizeof *l);
	char *words = NULL;
	if (!l)
		return NULL;
	pthread_mutex_init(&l->mu, NULL);
	l->per_minute[API_LIMIT_ADDRESS] =
		limit_of(st, "CIVSTAT_RATE_ADDRESS", "request.rate_address",
			 DEFAULT_ADDRESS);
	l->per_minute[API_LIMIT_KEY] = limit_of(st, "CIVSTAT_RATE_KEY",
						"request.rate_key",
						DEFAULT_KEY);
	if (st && !st->ops->get_meta(st, "request.hold_words", &words) &&
	    words)
		snprintf(l->hold_words, sizeof l->hold_words, "%s", words);
	free(words);
	return l;
}

void api_limits_free(struct api_limits *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->mu);
	free(l);
}

void api_limits_hold_words(struct api_limits *l, char *buf, size_t cap)
{
	*buf = 0;
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	snprintf(buf, cap, "%s", l->hold_words);
	pthread_mutex_unlock(&l->mu);
}

void api_limits_set(struct api_limits *l, int kind, double per_minute,
		    const char *hold_words)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	if (kind >= 0 && kind < API_NLIMIT && per_minute >= 0)
		l->per_minute[kind] = per_minute;
	if (hold_words)
		snprintf(l->hold_words, sizeof l->hold_words, "%s",
			 hold_words);
	pthread_mutex_unlock(&l->mu);
}

static uint64_t hash(const char *z)
{
	uint64_t h = 1469598103934665603ull;
	for (; *z; z++)
		h = (h ^ (unsigned char)*z) * 1099511628211ull;
	return h;
}

int api_limit_take(struct api_limits *l, int kind, const char *key,
		   double now)
{
	char k[KEY_MAX];
	double rate;
	if (!l || kind < 0 || kind >= API_NLIMIT ||
	    (rate = l->per_minute[kind]) <= 0)
		return 0;
	snprintf(k, sizeof k, "%d%s", kind, key);
	uint64_t h = hash(k);
	pthread_mutex_lock(&l->mu);
	struct bucket *b = NULL, *idle = NULL;
	for (int p = 0; p < PROBE && !b; p++) {
		struct bucket *c = &l->b[(h + (uint64_t)p) % BUCKETS];
		if (!strcmp(c->key, k))
			b = c;
		else if (!idle || c->last < idle->last)
			idle = c;
	}
	if (!b) { /* new, or forgotten: a full minute's allowance */
		b = idle;
		snprintf(b->key, sizeof b->key, "%s", k);
		b->tokens = rate;
		b->last = now;
	}
	b->tokens = fmin(rate, b->tokens + (now - b->last) * rate / 60.0);
	b->last = now;
	int wait = 0;
	if (b->tokens >= 1)
		b->tokens -= 1;
	else
		wait = (int)ceil((1 - b->tokens) * 60.0 / rate);
	pthread_mutex_unlock(&l->mu);
	return wait;
}

void api_client_address(struct req *r, char *buf, size_t cap)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	*buf = 0;
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET,
			  &((const struct sockaddr_in *)(const void *)sa)
				   ->sin_addr,
			  buf, (socklen_t)cap);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)(const void *)sa)
				   ->sin6_addr,
			  buf, (socklen_t)cap);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int api_limit_check(struct req *r, const char *key)
{
	char addr[64];
	double now = now_seconds();
	int wait;
	api_client_address(r, addr, sizeof addr);
	if (key && (wait = api_limit_take(r->api->limits, API_LIMIT_KEY, key,
					  now)))
		return wait;
	return api_limit_take(r->api->limits, API_LIMIT_ADDRESS, addr, now);
}
