/*
 * GET /api/v1/events: a Server-Sent Events stream that tells the cockpit
 * when the data version moves, so an open page can fetch its figures again
 * instead of being reloaded.  The events carry the version only, never a
 * figure, so anybody may listen.
 *
 * A stream holds no pool thread while it waits: its content reader
 * suspends the connection when it has nothing to say, and whatever moves
 * the version (api_events_notify) or the heartbeat resumes it.  A burst of
 * writes is told as one event: a stream says the version it finds when it
 * runs, not each step on the way.
 */
#include "api/api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"

#define STREAM_BLOCK 1024 /* bytes MHD asks for at a time */

/* One open stream, from its answer to the end of its connection. */
struct stream {
	struct api_events *ev;
	struct MHD_Connection *conn;
	struct stream *prev, *next; /* the open streams */
	int suspended;              /* waiting for something to say */
	int greeted;                /* the hello is out */
	long version;               /* the data version last told */
	unsigned ping;              /* the heartbeat last answered */
	char out[192];              /* the message being sent */
	size_t n_out, off;
};

struct api_events {
	struct api *api;
	pthread_mutex_t mu;         /* everything below */
	pthread_cond_t cv;          /* the heartbeat's clock; the stop */
	struct stream *open;
	int n_open;
	unsigned ping;              /* heartbeats so far */
	int stopping;
	int beating;                /* the heartbeat thread runs */
	pthread_t beat;
	int ping_seconds;           /* between heartbeats */
	atomic_long catalog;        /* the version of the last catalog
				       write, told as "catalog" */
};

/* Resumes every stream that waits; ev->mu is held.  Only a stream its
 * reader suspended is resumed, and under the same mutex, so MHD never
 * sees a resume without its suspend. */
static void wake_all(struct api_events *ev)
{
	for (struct stream *s = ev->open; s; s = s->next)
		if (s->suspended) {
			s->suspended = 0;
			MHD_resume_connection(s->conn);
		}
}

/* The heartbeat: every ping_seconds each stream says ": ping", so proxies
 * keep it open and a client that went away is noticed when the write
 * fails (a suspended connection sees no disconnect). */
static void *heartbeat(void *arg)
{
	struct api_events *ev = arg;
	pthread_mutex_lock(&ev->mu);
	while (!ev->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += ev->ping_seconds;
		while (!ev->stopping &&
		       pthread_cond_timedwait(&ev->cv, &ev->mu, &until) !=
			       ETIMEDOUT)
			;
		if (ev->stopping)
			break;
		ev->ping++;
		wake_all(ev);
	}
	pthread_mutex_unlock(&ev->mu);
	return NULL;
}

struct api_events *api_events_new(struct api *api)
{
	struct api_events *ev = calloc(1, sizeof *ev);
	if (!ev)
		return NULL;
	ev->api = api;
	ev->ping_seconds = API_PING_SECONDS;
	/* Tests hear the heartbeat without waiting for it. */
	const char *z = getenv("CIVSTAT_EVENTS_PING");
	if (z && atoi(z) > 0)
		ev->ping_seconds = atoi(z);
	pthread_mutex_init(&ev->mu, NULL);
	pthread_cond_init(&ev->cv, NULL);
	if (pthread_create(&ev->beat, NULL, heartbeat, ev)) {
		api_events_free(ev);
		return NULL;
	}
	ev->beating = 1;
	return ev;
}

void api_events_stop(struct api_events *ev)
{
	if (!ev)
		return;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 2;
	pthread_mutex_lock(&ev->mu);
	ev->stopping = 1;
	wake_all(ev);
	pthread_cond_broadcast(&ev->cv);
	/* Each stream ends its chunked answer when it runs; a client that
	 * does not read is cut by MHD_stop_daemon after this wait. */
	while (ev->n_open &&
	       pthread_cond_timedwait(&ev->cv, &ev->mu, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&ev->mu);
	if (ev->beating)
		pthread_join(ev->beat, NULL);
	ev->beating = 0;
}

void api_events_free(struct api_events *ev)
{
	if (!ev)
		return;
	api_events_stop(ev);
	pthread_cond_destroy(&ev->cv);
	pthread_mutex_destroy(&ev->mu);
	free(ev);
}

void api_events_notify(struct api_events *ev)
{
	if (!ev)
		return;
	pthread_mutex_lock(&ev->mu);
	wake_all(ev);
	pthread_mutex_unlock(&ev->mu);
}

void api_events_catalog(struct api_events *ev, long version)
{
	if (ev)
		atomic_store(&ev->catalog, version);
}

/* Puts the next message of s in s->out: the hello, an event for a new
 * version, or a heartbeat; 0 when there is nothing to say.  ev->mu is
 * held. */
static int next_message(struct stream *s)
{
	struct api_events *ev = s->ev;
	long v = atomic_load(&ev->api->version);
	int n = 0;
	if (!s->greeted) {
		/* The version it starts from, so a client that reconnects
		 * knows whether it missed a change. */
		n = snprintf(s->out, sizeof s->out,
			     "retry: 3000\nevent: hello\n"
			     "data: {\"version\":%ld}\n\n", v);
		s->greeted = 1;
	} else if (v != s->version) {
		long c = atomic_load(&ev->catalog);
		n = snprintf(s->out, sizeof s->out,
			     "event: %s\ndata: {\"version\":%ld}\n\n",
			     c > s->version ? "catalog" : "figures", v);
	} else if (s->ping != ev->ping) {
		n = snprintf(s->out, sizeof s->out, ": ping\n\n");
	}
	s->version = v;
	s->ping = ev->ping; /* any message shows the stream is alive */
	s->n_out = n > 0 ? (size_t)n : 0;
	s->off = 0;
	return n > 0;
}

/* MHD's content reader: the message under way, else the next one; with
 * nothing to say it suspends the connection and returns 0, which the
 * header allows from here. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	struct api_events *ev = s->ev;
	(void)pos;
	if (s->off == s->n_out) {
		pthread_mutex_lock(&ev->mu);
		if (ev->stopping) {
			pthread_mutex_unlock(&ev->mu);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		if (!next_message(s)) {
			s->suspended = 1;
			MHD_suspend_connection(s->conn);
			pthread_mutex_unlock(&ev->mu);
			return 0;
		}
		pthread_mutex_unlock(&ev->mu);
	}
	size_t n = s->n_out - s->off < max ? s->n_out - s->off : max;
	memcpy(buf, s->out + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

/* MHD is done with the answer: the stream leaves the list. */
static void stream_free(void *cls)
{
	struct stream *s = cls;
	struct api_events *ev = s->ev;
	pthread_mutex_lock(&ev->mu);
	if (s->prev)
		s->prev->next = s->next;
	else
		ev->open = s->next;
	if (s->next)
		s->next->prev = s->prev;
	ev->n_open--;
	if (ev->stopping)
		pthread_cond_broadcast(&ev->cv);
	pthread_mutex_unlock(&ev->mu);
	free(s);
}

/* A new stream in the list, or NULL when there is no room for it. */
static struct stream *stream_new(struct api_events *ev,
				 struct MHD_Connection *conn)
{
	struct stream *s = NULL;
	pthread_mutex_lock(&ev->mu);
	if (!ev->stopping && ev->n_open < API_MAX_STREAMS &&
	    (s = calloc(1, sizeof *s))) {
		s->ev = ev;
		s->conn = conn;
		s->next = ev->open;
		if (ev->open)
			ev->open->prev = s;
		ev->open = s;
		ev->n_open++;
	}
	pthread_mutex_unlock(&ev->mu);
	return s;
}

enum MHD_Result api_events_stream(struct req *r)
{
	struct api_events *ev = r->api->events;
	struct stream *s = ev ? stream_new(ev, r->conn) : NULL;
	if (!s)
		return api_error(r, CS_EBUSY, NULL, "%d event streams are "
				 "open, the most there may be: try again "
				 "later", API_MAX_STREAMS);
	struct MHD_Response *resp = MHD_create_response_from_callback(
		MHD_SIZE_UNKNOWN, STREAM_BLOCK, stream_read, s, stream_free);
	if (!resp) {
		stream_free(s);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "text/event-stream");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	/* nginx would otherwise hold the events back in its buffer */
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	MHD_add_response_header(resp, "X-Request-Id", r->id);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp); /* the stream goes with it */
	r->status = 200;
	r->answered = 1;
	return ret;
}
