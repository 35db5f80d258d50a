/*
 * The HTTP server on libmicrohttpd: a thread pool sized to the cores,
 * bodies gathered under a cap (uploads spooled to a file), answers in
 * JSON with ETags and gzip, the web UI's static files, a JSON access log,
 * and a graceful stop on SIGTERM.  libmicrohttpd 0.9.75 speaks plain HTTP:
 * put it behind a TLS proxy such as nginx (README).
 */
#include "api/api.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "core/err.h"
#include "core/secret.h"
#include "api/request_int.h"
#include "domain/project.h"

#define GZIP_MIN 1024    /* bytes below which an answer is sent as it is */
#define CACHE_SLOTS 1024 /* public answers kept, by URL */

struct cache_slot {
	pthread_mutex_t mu;
	char *url;    /* NULL when empty */
	long version; /* the data version the answer was made at */
	char *body;
	size_t n;
	const char *type; /* a static string */
	char etag[24];    /* computed once, when kept */
};

struct api_cache {
	struct cache_slot slot[CACHE_SLOTS];
};

struct api_cache *api_cache_new(void)
{
	struct api_cache *c = calloc(1, sizeof *c);
	for (int k = 0; c && k < CACHE_SLOTS; k++)
		pthread_mutex_init(&c->slot[k].mu, NULL);
	return c;
}

void api_cache_free(struct api_cache *c)
{
	for (int k = 0; c && k < CACHE_SLOTS; k++) {
		free(c->slot[k].url);
		free(c->slot[k].body);
		pthread_mutex_destroy(&c->slot[k].mu);
	}
	free(c);
}

static struct cache_slot *cache_slot(struct api_cache *c, const char *url)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = url; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return &c->slot[h % CACHE_SLOTS];
}

/* The URL with its query string, as the cache's key; the public's view
 * and the staff's are kept apart. */
static int full_url(struct req *r, char *buf, size_t cap);
static enum MHD_Result answer(struct req *r, int status, const char *type,
			      char *text, size_t n, int cacheable);

/* Keeps a copy of a public answer made at r->version. */
static void cache_put(struct req *r, const char *type, const char *text,
		      size_t n, const char *etag)
{
	char key[2048];
	struct api_cache *c = r->api->cache;
	if (!c || full_url(r, key, sizeof key))
		return;
	struct cache_slot *s = cache_slot(c, key);
	char *url = strdup(key), *body = malloc(n ? n : 1);
	if (!url || !body) {
		free(url);
		free(body);
		return;
	}
	memcpy(body, text, n);
	pthread_mutex_lock(&s->mu);
	free(s->url);
	free(s->body);
	s->url = url;
	s->body = body;
	s->n = n;
	s->version = r->version;
	s->type = type;
	memcpy(s->etag, etag, sizeof s->etag);
	pthread_mutex_unlock(&s->mu);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct url_buf {
	char *p;
	size_t n, cap;
	int over;
};

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind,
			       const char *key, const char *value)
{
	struct url_buf *u = cls;
	(void)kind;
	int k = snprintf(u->p + u->n, u->cap - u->n, "%c%s=%s",
			 u->n ? '&' : '?', key, value ? value : "");
	if (k < 0 || (size_t)k >= u->cap - u->n)
		u->over = 1;
	else
		u->n += (size_t)k;
	return u->over ? MHD_NO : MHD_YES;
}

static int full_url(struct req *r, char *buf, size_t cap)
{
	int k = snprintf(buf, cap, "%c%s", api_public_view(r) ? 'P' : 'S',
			 r->url);
	if (k < 0 || (size_t)k >= cap)
		return -1;
	struct url_buf u = {buf + k, 0, cap - (size_t)k, 0};
	u.p[0] = 0;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &u);
	return u.over ? -1 : 0;
}

int api_cache_answer(struct req *r, enum MHD_Result *ret)
{
	char key[2048];
	struct api_cache *c = r->api->cache;
	if (!c || full_url(r, key, sizeof key))
		return 0;
	struct cache_slot *s = cache_slot(c, key);
	char *copy = NULL;
	size_t n = 0;
	const char *type = NULL;
	pthread_mutex_lock(&s->mu);
	if (s->url && !strcmp(s->url, key) && s->version == r->version &&
	    (copy = malloc(s->n ? s->n : 1))) {
		memcpy(copy, s->body, s->n);
		n = s->n;
		type = s->type;
		memcpy(r->etag, s->etag, sizeof r->etag);
	}
	pthread_mutex_unlock(&s->mu);
	if (!copy)
		return 0;
	r->cacheable = 0;
	*ret = answer(r, 200, type, copy, n, 1);
	return 1;
}

const char *api_arg(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

const char *api_host(struct req *r)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						    "Host");
	if (!h || !*h || strlen(h) > 200 ||
	    strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789.-:[]") != strlen(h))
		return "localhost";
	return h;
}

/* FNV-1a over the answer: a weak validator (the same for the gzipped and
 * the plain answer, which say the same). */
static void etag_of(const char *p, size_t n, char out[24])
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	snprintf(out, 24, "W/\"%016llx\"", (unsigned long long)h);
}

/* Nonzero when If-None-Match (a list, "*", weak or strong tags) holds
 * etag, compared weakly as RFC 9110 13.1.2 asks. */
static int none_match(const char *inm, const char *etag)
{
	const char *tag = etag + 2; /* without W/ */
	size_t n = strlen(tag);
	while (inm && *inm) {
		while (*inm == ' ' || *inm == ',')
			inm++;
		if (*inm == '*')
			return 1;
		if (!strncmp(inm, "W/", 2))
			inm += 2;
		if (!strncmp(inm, tag, n) &&
		    (inm[n] == 0 || inm[n] == ',' || inm[n] == ' '))
			return 1;
		inm = strchr(inm, ',');
	}
	return 0;
}

/* gzip of the n bytes at p, or NULL when it does not pay. */
static char *gzip(const char *p, size_t n, size_t *out_n)
{
	z_stream z = {0};
	uLong cap = compressBound((uLong)n) + 32;
	char *out = malloc(cap);
	if (!out || deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = (Bytef *)p;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	int ok = deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < n;
	*out_n = z.total_out;
	deflateEnd(&z);
	if (!ok) {
		free(out);
		return NULL;
	}
	return out;
}

static int accepts_gzip(struct req *r)
{
	const char *ae = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     "Accept-Encoding");
	/* gzip, or *, unless its weight is zero: "gzip;q=0". */
	for (const char *p = ae; p && *p; p = strchr(p, ',')) {
		while (*p == ',' || *p == ' ')
			p++;
		size_t n = strcspn(p, ";, ");
		if ((n == 4 && !strncmp(p, "gzip", 4)) || (n == 1 && *p == '*')) {
			const char *q = strstr(p, "q=");
			const char *next = strchr(p, ',');
			if (q && (!next || q < next) && strtod(q + 2, NULL) <= 0)
				return 0;
			return 1;
		}
	}
	return 0;
}

/* Queues text (freed here) with the common headers, ETag and gzip. */
static enum MHD_Result answer(struct req *r, int status, const char *type,
			      char *text, size_t n, int cacheable)
{
	char etag[24] = "";
	struct MHD_Response *resp;
	if (cacheable && status == 200) {
		if (*r->etag)
			memcpy(etag, r->etag, sizeof etag);
		else
			etag_of(text, n, etag);
	}
	if (r->cacheable && status == 200 && text) {
		cache_put(r, type, text, n, etag);
		r->cacheable = 0;
	}
	if (*etag) {
		const char *inm = MHD_lookup_connection_value(
			r->conn, MHD_HEADER_KIND, "If-None-Match");
		if (none_match(inm, etag)) {
			free(text);
			text = NULL;
			n = 0;
			status = MHD_HTTP_NOT_MODIFIED;
		}
	}
	int zipped = 0;
	if (text && n >= GZIP_MIN && accepts_gzip(r)) {
		size_t zn;
		char *z = gzip(text, n, &zn);
		if (z) {
			free(text);
			text = z;
			n = zn;
			zipped = 1;
		}
	}
	resp = MHD_create_response_from_buffer(n, text ? text : (char *)"",
					       text ? MHD_RESPMEM_MUST_FREE
						    : MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	if (status != MHD_HTTP_NOT_MODIFIED)
		MHD_add_response_header(resp, "Content-Type", type);
	if (*etag) {
		MHD_add_response_header(resp, "ETag", etag);
		MHD_add_response_header(resp, "Cache-Control", "no-cache");
	} else {
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	}
	if (zipped)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	MHD_add_response_header(resp, "Vary", "Accept-Encoding, Cookie, "
					      "Authorization");
	MHD_add_response_header(resp, "X-Request-Id", r->id);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (r->allow)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->attachment && status == 200) {
		char cd[256];
		snprintf(cd, sizeof cd, "attachment; filename=\"%s\"",
			 r->attachment);
		MHD_add_response_header(resp, "Content-Disposition", cd);
	}
	/* 503: the database is being reached again, or a limit: soon. */
	if (status == 503)
		MHD_add_response_header(resp, "Retry-After", "1");
	if (status == 429) {
		char after[16];
		snprintf(after, sizeof after, "%d",
			 r->retry_after > 0 ? r->retry_after : 1);
		MHD_add_response_header(resp, "Retry-After", after);
	}
	r->status = status;
	if (r->hold) { /* a deferred write: answered after its commit */
		if (r->held)
			MHD_destroy_response(r->held);
		r->held = resp;
		return MHD_YES;
	}
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)status,
						 resp);
	MHD_destroy_response(resp);
	r->answered = 1;
	return ret;
}

enum MHD_Result api_text(struct req *r, int status, const char *type,
			 char *text, size_t n)
{
	return answer(r, status, type, text, n,
		      !strcmp(r->method, MHD_HTTP_METHOD_GET));
}

enum MHD_Result api_json(struct req *r, int status, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT |
					  JSON_REAL_PRECISION(OUT_JSON_DIGITS))
		       : NULL;
	json_decref(j);
	if (!text)
		return api_error(r, CS_ENOMEM, NULL, "out of memory");
	return api_text(r, status, "application/json; charset=utf-8", text,
			strlen(text));
}

enum MHD_Result api_error(struct req *r, int rc, const char *field,
			  const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_t *e = json_pack("{s:{s:s,s:s,s:s?}}", "error", "code",
			      cs_rc_name(rc), "message", msg, "field", field);
	char *text = e ? json_dumps(e, JSON_COMPACT) : NULL;
	json_decref(e);
	if (!text)
		return MHD_NO;
	return answer(r, cs_rc_http(rc), "application/json; charset=utf-8",
		      text, strlen(text), 0);
}

enum MHD_Result api_fail(struct req *r, int rc)
{
	const char *msg = cs_errmsg();
	return api_error(r, rc, NULL, "%s", *msg ? msg : cs_rc_name(rc));
}

enum MHD_Result api_table(struct req *r, struct out_table *t)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	int rc = f ? out_print(t, f, OUT_JSON, LANG_EN)
		   : cs_errorf(CS_ENOMEM, "out of memory");
	if (f && fclose(f) && !rc)
		rc = cs_errorf(CS_ENOMEM, "out of memory");
	out_release(t);
	if (rc) {
		free(text);
		return api_fail(r, rc);
	}
	return api_text(r, 200, "application/json; charset=utf-8", text, n);
}

json_t *api_body(struct req *r)
{
	json_error_t err;
	json_t *j = r->body ? json_loadb(r->body, r->n_body, 0, &err) : NULL;
	if (!j)
		api_error(r, CS_EINVAL, NULL, "body: %s",
			  r->body ? err.text : "a JSON body is needed");
	return j;
}

json_t *api_body_list(struct req *r, const char *name, size_t max,
		      const char *items, json_t **list)
{
	json_t *body = api_body(r);
	if (!body)
		return NULL;
	*list = json_object_get(body, name);
	if (!json_is_array(*list) || !json_array_size(*list) ||
	    json_array_size(*list) > max) {
		json_decref(body);
		api_error(r, CS_EINVAL, name, "%s: a list of 1 to %zu %s is "
			  "needed", name, max, items);
		return NULL;
	}
	return body;
}

void api_write_begin(struct req *r)
{
	pthread_mutex_lock(&r->api->store);
	r->api->cs->actor = r->who.name;
	r->api->cs->request_id = r->id;
}

void api_write_end(struct req *r, int changed)
{
	r->api->cs->actor = "server";
	r->api->cs->request_id = NULL;
	if (changed)
		atomic_fetch_add(&r->api->version, 1);
	pthread_mutex_unlock(&r->api->store);
	if (changed)
		api_events_notify(r->api->events);
}

enum MHD_Result api_items(struct req *r, int rc, json_t *items)
{
	if (rc) {
		json_decref(items);
		return api_fail(r, rc);
	}
	size_t n = json_array_size(items);
	return api_json(r, 200, json_pack("{s:o,s:I}", "items", items,
					  "total", (json_int_t)n));
}

enum MHD_Result api_stored(struct req *r, int rc, const char *field,
			   size_t n)
{
	if (rc)
		return api_error(r, rc, rc == CS_EINVAL ? field : NULL, "%s",
				 cs_errmsg());
	return api_json(r, 200, json_pack("{s:I}", "stored", (json_int_t)n));
}

int api_texts(json_t *o, const char *const *names, const char **const *at,
	      int n, const char *list, size_t k, char *field, size_t cap)
{
	for (int f = 0; f < n; f++) {
		json_t *v = json_object_get(o, names[f]);
		if (v && !json_is_string(v)) {
			snprintf(field, cap, "%s[%zu].%s", list, k, names[f]);
			return cs_errorf(CS_EINVAL, "%s: not text", field);
		}
		*at[f] = v ? json_string_value(v) : "";
	}
	return CS_OK;
}

/* The type of a static file, by its ending. */
static const char *content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".html", "text/html; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".json", "application/json; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');
	for (size_t k = 0; dot && k < sizeof types / sizeof *types; k++)
		if (!strcmp(dot, types[k].ext))
			return types[k].type;
	return "application/octet-stream";
}

/* Serves a file of the web UI; "/" is index.html.  Paths with "..", a
 * backslash or a NUL never leave the directory. */
static enum MHD_Result static_file(struct req *r)
{
	const char *dir = r->api->static_dir;
	char path[PATH_MAX];
	struct stat sb;
	const char *u = r->url;
	if (!dir || (strcmp(r->method, MHD_HTTP_METHOD_GET) &&
		     strcmp(r->method, MHD_HTTP_METHOD_HEAD)))
		return api_error(r, CS_ENOTFOUND, NULL, "no such page: %s",
				 r->url);
	if (strstr(u, "..") || strchr(u, '\\') || u[0] != '/')
		return api_error(r, CS_ENOTFOUND, NULL, "no such page");
	int n = snprintf(path, sizeof path, "%s%s%s", dir, u,
			 u[strlen(u) - 1] == '/' ? "index.html" : "");
	int fd = n > 0 && (size_t)n < sizeof path ? open(path, O_RDONLY) : -1;
	if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return api_error(r, CS_ENOTFOUND, NULL, "no such page: %s",
				 r->url);
	}
	struct MHD_Response *resp =
		MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
	if (!resp) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", content_type(path));
	MHD_add_response_header(resp, "Cache-Control",
				strstr(path, ".html") ? "no-cache"
						      : "public, max-age=3600");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	r->status = 200;
	r->answered = 1;
	return ret;
}

/* Nonzero for the routes whose body is a file to import. */
static int is_upload(const char *method, const char *url)
{
	return !strcmp(method, MHD_HTTP_METHOD_POST) &&
	       !strncmp(url, "/api/v1/imports", 15);
}

/* Takes a piece of the body: into memory under its cap, or, for an
 * upload, into a spool file. */
static void take_body(struct req *r, const char *data, size_t n)
{
	if (r->too_big)
		return;
	if (is_upload(r->method, r->url)) {
		if (!r->upload) {
			char tmpl[] = "/tmp/civstat-upload-XXXXXX";
			int fd = mkstemp(tmpl);
			if (fd < 0 || !(r->upload = fdopen(fd, "w"))) {
				r->too_big = 1;
				return;
			}
			r->upload_path = strdup(tmpl);
		}
		if (r->n_body + n > API_MAX_UPLOAD ||
		    fwrite(data, 1, n, r->upload) != n)
			r->too_big = 1;
		r->n_body += n;
		return;
	}
	if (r->n_body + n > API_MAX_BODY) {
		r->too_big = 1;
		return;
	}
	char *b = realloc(r->body, r->n_body + n + 1);
	if (!b) {
		r->too_big = 1;
		return;
	}
	memcpy(b + r->n_body, data, n);
	r->n_body += n;
	b[r->n_body] = 0;
	r->body = b;
}

/* Sends the answer a deferred write holds; on its connection's thread. */
static enum MHD_Result send_held(struct req *r)
{
	enum MHD_Result ret =
		MHD_queue_response(r->conn, (unsigned)r->status, r->held);
	MHD_destroy_response(r->held);
	r->held = NULL;
	r->answered = 1;
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *data_size, void **con_cls)
{
	struct api *api = cls;
	struct req *r = *con_cls;
	(void)version;
	if (!r) {
		if (!(r = calloc(1, sizeof *r)))
			return MHD_NO;
		r->api = api;
		r->conn = conn;
		r->method = method;
		r->url = url;
		r->t0 = now_seconds();
		snprintf(r->id, sizeof r->id, "%lx-%lx", api->started,
			 atomic_fetch_add(&api->next_id, 1));
		*con_cls = r;
		enum MHD_Result ret;
		if (is_upload(method, url) && api_refuse_upload(r, &ret))
			return ret;
		return MHD_YES;
	}
	if (r->held) /* a deferred write, resumed: its answer */
		return send_held(r);
	if (r->answered || r->deferred)
		return MHD_YES; /* refused before its body: let it drain */
	if (*data_size) {
		take_body(r, data, *data_size);
		*data_size = 0;
		return MHD_YES;
	}
	if (r->upload && fflush(r->upload))
		r->too_big = 1;
	atomic_fetch_add(&api->requests, 1);
	if (r->too_big)
		return api_error(r, CS_ETOOBIG, NULL,
				 "the body is larger than %u bytes",
				 is_upload(method, url) ? API_MAX_UPLOAD
							: API_MAX_BODY);
	if (!strncmp(url, "/api/", 5) || !strncmp(url, "/open311/", 9) ||
	    !strcmp(url, "/healthz") || !strcmp(url, "/metrics"))
		return api_route(r);
	return static_file(r);
}

/* Logs the request as one JSON line and frees it. */
static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct api *api = cls;
	struct req *r = *con_cls;
	(void)conn;
	if (!r)
		return;
	if (r->status >= 500)
		atomic_fetch_add(&api->errors_5xx, 1);
	else if (r->status >= 400)
		atomic_fetch_add(&api->errors_4xx, 1);
	if (api->access_log) {
		json_t *line = json_pack(
			"{s:s,s:s,s:s,s:i,s:f,s:s,s:I,s:b}", "id", r->id,
			"method", r->method, "path", r->url, "status",
			r->status, "ms", (now_seconds() - r->t0) * 1e3, "user",
			r->who.name, "bytes_in", (json_int_t)r->n_body,
			"completed", toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
		char *text = line ? json_dumps(line, JSON_COMPACT |
							  JSON_REAL_PRECISION(4))
				  : NULL;
		if (text) {
			fprintf(api->access_log, "%s\n", text);
			fflush(api->access_log);
		}
		free(text);
		json_decref(line);
	}
	if (r->held)
		MHD_destroy_response(r->held);
	if (r->data_free)
		r->data_free(r->data);
	if (r->upload)
		fclose(r->upload);
	if (r->upload_path) {
		unlink(r->upload_path);
		free(r->upload_path);
	}
	free(r->body);
	free(r);
	*con_cls = NULL;
}

/* ---- group commit ----------------------------------------------------- */

/*
 * Runs the writes of batch in one transaction and holds their answers;
 * if the commit fails, each of them is answered with its error instead.
 * The store is the caller's.
 */
static void run_group(struct api *api, struct req *batch)
{
	struct civstat *cs = api->cs;
	int rc = civstat_group_begin(cs);
	for (struct req *r = batch; r; r = r->next) {
		r->hold = 1;
		if (rc) {
			api_fail(r, rc);
			continue;
		}
		cs->actor = r->who.name;
		cs->request_id = r->id;
		r->deferred(r);
	}
	cs->actor = "server";
	cs->request_id = NULL;
	long n = 0;
	for (struct req *r = batch; r; r = r->next)
		n++;
	atomic_fetch_add(&api->groups, 1);
	atomic_fetch_add(&api->grouped, n);
	if (!rc && (rc = civstat_group_end(cs)))
		for (struct req *r = batch; r; r = r->next)
			if (r->status < 400)
				api_fail(r, rc);
}

/* Runs the group batch under the store's lock; afterwards each of its
 * writes holds its answer, ready to be sent. */
static void commit_group(struct api *api, struct req *batch)
{
	pthread_mutex_lock(&api->store);
	run_group(api, batch);
	pthread_mutex_unlock(&api->store);
	for (struct req *r = batch; r; r = r->next) {
		if (!r->held)
			api_error(r, CS_EINTERNAL, NULL, "no answer");
		r->hold = 0;
	}
}

/* Resumes the writes of batch, whose group has ended: each connection's
 * thread then sends its answer (on_request). */
static void resume_group(struct req *batch)
{
	while (batch) {
		struct req *r = batch;
		batch = r->next; /* r may be freed once resumed */
		MHD_resume_connection(r->conn);
	}
}

/* The committer thread: takes whatever writes wait, as one group. */
static void *committer(void *arg)
{
	struct api *api = arg;
	pthread_mutex_lock(&api->queue_mu);
	for (;;) {
		while (!api->queue && !api->stopping)
			pthread_cond_wait(&api->queue_cv, &api->queue_mu);
		if (!api->queue)
			break;
		struct req *batch = api->queue;
		api->queue = NULL;
		api->queue_end = &api->queue;
		pthread_mutex_unlock(&api->queue_mu);
		commit_group(api, batch);
		resume_group(batch);
		pthread_mutex_lock(&api->queue_mu);
	}
	api->committing = 0;
	pthread_mutex_unlock(&api->queue_mu);
	return NULL;
}

enum MHD_Result api_defer(struct req *r, enum MHD_Result (*fn)(struct req *))
{
	struct api *api = r->api;
	r->deferred = fn;
	r->next = NULL;
	pthread_mutex_lock(&api->queue_mu);
	if (!api->committing) { /* shutting down: a group of one, here */
		pthread_mutex_unlock(&api->queue_mu);
		commit_group(api, r);
		return send_held(r);
	}
	MHD_suspend_connection(r->conn);
	*api->queue_end = r;
	api->queue_end = &r->next;
	pthread_cond_signal(&api->queue_cv);
	pthread_mutex_unlock(&api->queue_mu);
	return MHD_YES;
}

/* Reads "ADDR:PORT" (IPv4) into *sa. */
static int parse_listen(const char *z, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(z, ':');
	long port = colon ? strtol(colon + 1, NULL, 10) : 0;
	if (!colon || colon - z >= (long)sizeof host || port < 1 ||
	    port > 65535)
		return cs_errorf(CS_EUSAGE, "--listen: \"%s\" is not "
				 "ADDR:PORT", z);
	memcpy(host, z, (size_t)(colon - z));
	host[colon - z] = 0;
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return cs_errorf(CS_EUSAGE, "--listen: \"%s\" is not an IPv4 "
				 "address", host);
	return CS_OK;
}

/* The cube's lock for single-figure writes (civstat.h): the readers'
 * lock, taken to write; the data version moves on with every change. */
static void cube_lock(void *ctx)
{
	struct api *api = ctx;
	pthread_rwlock_wrlock(&api->lock);
}

static void cube_unlock(void *ctx)
{
	struct api *api = ctx;
	atomic_fetch_add(&api->version, 1);
	pthread_rwlock_unlock(&api->lock);
	api_events_notify(api->events);
}

/* ---- the reading connections ------------------------------------------ */

struct store *api_reader(struct api *api, int *k)
{
	unsigned first = atomic_fetch_add(&api->next_reader, 1);
	if (!api->reader[0])
		return NULL;
	for (unsigned j = 0; j < API_READERS; j++) {
		*k = (int)((first + j) % API_READERS);
		if (!pthread_mutex_trylock(&api->reader_mu[*k]))
			return api->reader[*k];
	}
	*k = (int)(first % API_READERS);
	pthread_mutex_lock(&api->reader_mu[*k]);
	return api->reader[*k];
}

void api_reader_done(struct api *api, int k)
{
	pthread_mutex_unlock(&api->reader_mu[k]);
}

/* Opens the reading connections; without them (a store that cannot be
 * opened twice) everything reads on the one connection. */
static void open_readers(struct api *api)
{
	for (int k = 0; k < API_READERS; k++) {
		pthread_mutex_init(&api->reader_mu[k], NULL);
		if (store_open(api->cs->st->target, STORE_READONLY,
			       &api->reader[k])) {
			while (k-- > 0)
				store_close(api->reader[k]), api->reader[k] = NULL;
			return;
		}
	}
}

static void close_readers(struct api *api)
{
	for (int k = 0; k < API_READERS; k++) {
		store_close(api->reader[k]);
		pthread_mutex_destroy(&api->reader_mu[k]);
	}
}

/* The store's target for a log line: a URL's password (postgres://u:pw@h)
 * is written as ***, so that logs never hold it. */
static const char *without_password(const char *target, char *buf, size_t cap)
{
	const char *auth = strstr(target, "://"), *at, *colon;
	if (!auth || !(at = strchr(auth += 3, '@')) ||
	    !(colon = memchr(auth, ':', (size_t)(at - auth))))
		return target;
	snprintf(buf, cap, "%.*s:***%s", (int)(colon - target), target, at);
	return buf;
}

/* Lets the committer finish the queue and waits for it. */
static void stop_committer(struct api *api)
{
	pthread_mutex_lock(&api->queue_mu);
	api->stopping = 1;
	pthread_cond_signal(&api->queue_cv);
	pthread_mutex_unlock(&api->queue_mu);
	pthread_join(api->committer, NULL);
}

int api_serve(struct civstat *cs, const char *listen, const char *static_dir)
{
	struct api api = {.cs = cs, .static_dir = static_dir,
			  .access_log = stderr, .started = (long)time(NULL)};
	struct sockaddr_in sa;
	sigset_t stop;
	int rc, sig;
	struct project_book *pipeline;
	/* The pipeline is held in memory from the start: its reads never
	 * go to the store (project_cache). */
	if ((rc = parse_listen(listen, &sa)) || (rc = secret_init()) ||
	    (rc = project_cache(cs, &pipeline)))
		return rc;
	pthread_rwlock_init(&api.lock, NULL);
	pthread_mutex_init(&api.store, NULL);
	pthread_mutex_init(&api.queue_mu, NULL);
	pthread_cond_init(&api.queue_cv, NULL);
	api.queue_end = &api.queue;
	open_readers(&api);
	cs->cube_lock = cube_lock;
	cs->cube_unlock = cube_unlock;
	cs->lock_ctx = &api;
	api.cache = api_cache_new();
	if (!(api.limits = api_limits_new(cs->st))) {
		rc = cs_errorf(CS_ENOMEM, "out of memory");
		goto out;
	}
	/* The pool's threads inherit a mask without SIGTERM and SIGINT:
	 * only this thread waits for them. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (!(api.events = api_events_new(&api))) {
		rc = cs_errorf(CS_EIO, "cannot start the events' heartbeat");
		goto out;
	}
	if (pthread_create(&api.committer, NULL, committer, &api)) {
		rc = cs_errorf(CS_EIO, "cannot start the committer thread");
		goto out;
	}
	api.committing = 1;
	if ((rc = api_follow_start(&api))) {
		stop_committer(&api);
		goto out;
	}
	api.daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
		0, NULL, NULL, on_request, &api, MHD_OPTION_SOCK_ADDR, &sa,
		MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)(cores > 0 ? cores : 1), MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)1024, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &api,
		MHD_OPTION_END);
	if (!api.daemon) {
		rc = cs_errorf(CS_EIO, "cannot listen on %s", listen);
		api_follow_stop(&api);
		stop_committer(&api);
		goto out;
	}
	char shown[512];
	fprintf(stderr, "civstat: serving %s on http://%s/ (%ld threads)\n",
		without_password(cs->st->target, shown, sizeof shown), listen,
		cores);
	sigwait(&stop, &sig);
	fprintf(stderr, "civstat: %s: finishing the requests under way\n",
		sig == SIGTERM ? "SIGTERM" : "SIGINT");
	/* Stop taking connections; MHD_stop_daemon then lets the threads
	 * finish what they are answering. */
	MHD_quiesce_daemon(api.daemon);
	api_follow_stop(&api);
	/* The writes waiting are committed and answered; any that come
	 * after run on their pool thread. */
	stop_committer(&api);
	/* The event streams end now: MHD stops only without suspended
	 * connections, and a stream waits suspended. */
	api_events_stop(api.events);
	MHD_stop_daemon(api.daemon);
out:
	api_events_free(api.events);
	cs->cube_lock = cs->cube_unlock = NULL;
	cs->lock_ctx = NULL;
	api_cache_free(api.cache);
	api_limits_free(api.limits);
	pthread_rwlock_destroy(&api.lock);
	pthread_mutex_destroy(&api.store);
	pthread_mutex_destroy(&api.queue_mu);
	pthread_cond_destroy(&api.queue_cv);
	close_readers(&api);
	return rc;
}
