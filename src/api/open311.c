/*
 * Open311 GeoReport v2 (issue 7), so that existing 311 apps and hotlines
 * can plug in: the service list and a service's definition, the
 * discovery document, POST requests (an api_key of a civstat account's
 * API token), GET requests with the spec's filters, one request, and a
 * token's request.  Field and element names are the spec's
 * (wiki.open311.org/GeoReport_v2, /Service_Discovery), with our detailed
 * state in status_notes and the extension field civstat_state; errors are
 * its list of {code, description}, not the /api/v1 error object, since an
 * Open311 client reads nothing else.  Only public services are listed,
 * and no answer ever holds a resident's contact details.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <math.h>

#include "api/request_int.h"
#include "core/err.h"
#include "domain/service.h"

#define OPEN311_SPEC "http://wiki.open311.org/GeoReport_v2"

enum fmt { F_NONE, F_JSON, F_XML };

static enum fmt format_of(const char *z)
{
	return !z ? F_NONE
	       : !strcmp(z, "json") ? F_JSON
	       : !strcmp(z, "xml") ? F_XML
				   : F_NONE;
}

/* Writes z with XML's five characters escaped. */
static void xml_text(FILE *f, const char *z)
{
	for (; z && *z; z++)
		switch (*z) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*z, f);
		}
}

static void xml_elem(FILE *f, const char *name, const char *z)
{
	fprintf(f, "<%s>", name);
	xml_text(f, z);
	fprintf(f, "</%s>", name);
}

/* The spec's error answer, in the format asked for (JSON when it is not
 * one we speak: the client must be told something it can read). */
static enum MHD_Result open311_error(struct req *r, enum fmt fmt, int status,
				     const char *description)
{
	if (fmt != F_XML)
		return api_json(r, status,
				json_pack("[{s:i,s:s}]", "code", status,
					  "description", description));
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	if (!f)
		return api_error(r, CS_ENOMEM, NULL, "out of memory");
	fprintf(f, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<errors>"
		   "<error><code>%d</code>", status);
	xml_elem(f, "description", description);
	fputs("</error></errors>\n", f);
	fclose(f);
	return api_text(r, status, "text/xml; charset=utf-8", text, n);
}

/* A format we do not speak: the spec's 404, naming the format. */
static enum MHD_Result bad_format(struct req *r)
{
	char why[160];
	snprintf(why, sizeof why, "format not supported: \"%.32s\" (json, "
		 "xml)", r->params[0] ? r->params[0] : "");
	return open311_error(r, F_JSON, 404, why);
}

enum MHD_Result api_open311_not_found(struct req *r)
{
	char why[400];
	snprintf(why, sizeof why, "no such resource: %.120s (services.json, "
		 "services/{code}.json, requests.json, requests/{id}.json, "
		 "tokens/{token}.json, discovery.json; or .xml)", r->url);
	return open311_error(r, F_JSON, 404, why);
}

struct service_walk {
	json_t *items; /* F_JSON */
	FILE *xml;     /* F_XML */
};

static int service_item(void *x, const struct service *s)
{
	struct service_walk *w = x;
	if (!s->public)
		return CS_OK;
	if (w->items) {
		json_array_append_new(
			w->items,
			json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:s}",
				  "service_code", s->code, "service_name",
				  s->name, "description", s->description,
				  "metadata", 0, "type", "realtime",
				  "keywords", s->keywords, "group", s->group));
		return CS_OK;
	}
	fputs("<service>", w->xml);
	xml_elem(w->xml, "service_code", s->code);
	xml_elem(w->xml, "service_name", s->name);
	xml_elem(w->xml, "description", s->description);
	xml_elem(w->xml, "metadata", "false");
	xml_elem(w->xml, "type", "realtime");
	xml_elem(w->xml, "keywords", s->keywords);
	xml_elem(w->xml, "group", s->group);
	fputs("</service>", w->xml);
	return CS_OK;
}

/* GET /open311/v2/services.{format}: the public services by code; none
 * has metadata (attributes) yet, and each takes requests at once. */
enum MHD_Result api_open311_services(struct req *r)
{
	enum fmt fmt = format_of(r->params[0]);
	struct store *st = r->api->cs->st;
	struct service_walk w = {0};
	char *text = NULL;
	size_t n = 0;
	int rc;
	if (fmt == F_NONE)
		return bad_format(r);
	if (fmt == F_JSON) {
		w.items = json_array();
		if ((rc = st->ops->scan_services(st, service_item, &w))) {
			json_decref(w.items);
			return open311_error(r, fmt, 500, cs_errmsg());
		}
		return api_json(r, 200, w.items);
	}
	if (!(w.xml = open_memstream(&text, &n)))
		return api_error(r, CS_ENOMEM, NULL, "out of memory");
	fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<services>",
	      w.xml);
	rc = st->ops->scan_services(st, service_item, &w);
	fputs("</services>\n", w.xml);
	fclose(w.xml);
	if (rc) {
		free(text);
		return open311_error(r, fmt, 500, cs_errmsg());
	}
	return api_text(r, 200, "text/xml; charset=utf-8", text, n);
}

/* The endpoint's URL, from the Host header when it is a plain host name
 * (it goes back only to who sent it). */
static void endpoint_url(struct req *r, char *buf, size_t cap)
{
	snprintf(buf, cap, "http://%s/open311/v2", api_host(r));
}

/* GET /open311/v2/discovery.{format}: one production endpoint.  The
 * changeset is the time the server started: the catalogue is imported
 * from the command line, so a client's cached list is stale at most
 * until the next start. */
enum MHD_Result api_open311_discovery(struct req *r)
{
	enum fmt fmt = format_of(r->params[0]);
	char url[256], changeset[32];
	time_t t = (time_t)r->api->started;
	struct tm tm;
	if (fmt == F_NONE)
		return bad_format(r);
	endpoint_url(r, url, sizeof url);
	gmtime_r(&t, &tm);
	strftime(changeset, sizeof changeset, "%Y-%m-%dT%H:%M:%SZ", &tm);
	const char *contact = "锦州市12345政务服务便民热线 (Jinzhou 12345 "
			      "hotline), via the civstat administrator";
	const char *key = "API keys from the civstat administrator (civstat "
			  "user token)";
	if (fmt == F_JSON)
		return api_json(
			r, 200,
			json_pack("{s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:[ss]}]}",
				  "changeset", changeset, "contact", contact,
				  "key_service", key, "endpoints",
				  "specification", OPEN311_SPEC, "url", url,
				  "changeset", changeset, "type",
				  "production", "formats", "application/json",
				  "text/xml"));
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	if (!f)
		return api_error(r, CS_ENOMEM, NULL, "out of memory");
	fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<discovery>", f);
	xml_elem(f, "changeset", changeset);
	xml_elem(f, "contact", contact);
	xml_elem(f, "key_service", key);
	fputs("<endpoints><endpoint>", f);
	xml_elem(f, "specification", OPEN311_SPEC);
	xml_elem(f, "url", url);
	xml_elem(f, "changeset", changeset);
	xml_elem(f, "type", "production");
	fputs("<formats>", f);
	xml_elem(f, "format", "application/json");
	xml_elem(f, "format", "text/xml");
	fputs("</formats></endpoint></endpoints></discovery>\n", f);
	fclose(f);
	return api_text(r, 200, "text/xml; charset=utf-8", text, n);
}

/* ---- requests ----------------------------------------------------------- */

/* Splits a path part "name.format" at its last dot: name into buf (cap
 * bytes), the format returned; F_NONE when there is none we speak. */
static enum fmt split_format(const char *part, char *buf, size_t cap)
{
	const char *dot = part ? strrchr(part, '.') : NULL;
	if (!dot || (size_t)(dot - part) >= cap || dot == part)
		return F_NONE;
	memcpy(buf, part, (size_t)(dot - part));
	buf[dot - part] = 0;
	return format_of(dot + 1);
}

/* Writes v (an object of text, numbers, null, or a list of objects) as
 * elements in its order: a list of objects becomes item elements. */
static void xml_value(FILE *f, const char *name, json_t *v)
{
	const char *k;
	json_t *m;
	size_t i;
	fprintf(f, "<%s>", name);
	if (json_is_string(v))
		xml_text(f, json_string_value(v));
	else if (json_is_integer(v))
		fprintf(f, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		fprintf(f, "%.7f", json_real_value(v));
	else if (json_is_boolean(v))
		fputs(json_is_true(v) ? "true" : "false", f);
	else if (json_is_object(v))
		json_object_foreach(v, k, m) xml_value(f, k, m);
	else if (json_is_array(v))
		json_array_foreach(v, i, m) xml_value(f, "attribute", m);
	fprintf(f, "</%s>", name);
}

/* Answers list (an array, taken) as JSON, or as XML
 * <root><item>...</item></root>. */
static enum MHD_Result open311_list(struct req *r, enum fmt fmt, int status,
				    json_t *list, const char *root,
				    const char *item)
{
	if (fmt != F_XML)
		return api_json(r, status, list);
	char *text = NULL;
	size_t n = 0, k;
	json_t *v;
	FILE *f = open_memstream(&text, &n);
	if (!f) {
		json_decref(list);
		return api_error(r, CS_ENOMEM, NULL, "out of memory");
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<%s>", root);
	json_array_foreach(list, k, v) xml_value(f, item, v);
	fprintf(f, "</%s>\n", root);
	fclose(f);
	json_decref(list);
	return api_text(r, status, "text/xml; charset=utf-8", text, n);
}

/* GET /open311/v2/services/{code}.{format}: a service's definition.  No
 * service has attributes yet: an empty list. */
enum MHD_Result api_open311_service(struct req *r)
{
	char code[80];
	enum fmt fmt = split_format(r->params[0], code, sizeof code);
	struct service_list svc;
	int k;
	if (fmt == F_NONE)
		return bad_format(r);
	struct store *st = api_read_begin(r, &k);
	int rc = service_list_load(st, &svc);
	api_read_end(r, k);
	if (rc) {
		service_list_release(&svc);
		return open311_error(r, fmt, 500, cs_errmsg());
	}
	const struct service_entry *s = service_list_find(&svc, code);
	int found = s && s->public;
	service_list_release(&svc);
	if (!found) {
		char why[160];
		snprintf(why, sizeof why, "service_code \"%.64s\" not found",
			 code);
		return open311_error(r, fmt, 404, why);
	}
	if (fmt == F_JSON)
		return api_json(r, 200, json_pack("{s:s,s:[]}", "service_code",
						  code, "attributes"));
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	if (!f)
		return api_error(r, CS_ENOMEM, NULL, "out of memory");
	fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	      "<service_definition>", f);
	xml_elem(f, "service_code", code);
	fputs("<attributes></attributes></service_definition>\n", f);
	fclose(f);
	return api_text(r, 200, "text/xml; charset=utf-8", text, n);
}

/* What status_notes says: our state in Chinese and English, and the
 * answer once there is one. */
static json_t *status_notes(const struct request *q)
{
	char *z = NULL;
	int n = asprintf(&z, "%s / %s%s%s", request_state_zh(q->state),
			 request_state_name(q->state),
			 q->answer && *q->answer ? ": " : "",
			 q->answer && *q->answer ? q->answer : "");
	json_t *j = n >= 0 ? json_string(z) : json_string("");
	free(z);
	return j;
}

/* One request in the spec's fields, never the contact. */
static json_t *open311_request(const struct catalog *cat,
			       const struct service_list *svc,
			       const struct request *q)
{
	const struct service_entry *s = service_list_find(svc, q->service);
	int d = q->department_id ? catalog_department_id(cat, q->department_id)
				 : -1;
	char id[24];
	size_t media = q->media_url ? strcspn(q->media_url, "\n") : 0;
	long expected = !request_is_open(q->state) ? 0
			: q->department_id		   ? q->answer_due
							   : q->dispatch_due;
	snprintf(id, sizeof id, "%ld", q->id);
	json_t *j = json_pack(
		"{s:s,s:s,s:o,s:s?,s:s,s:s,s:s?,s:s,s:o,s:o,s:o,s:s,s:n,s:n,"
		"s:o,s:o,s:s%,s:s}",
		"service_request_id", id, "status",
		request_is_open(q->state) ? "open" : "closed", "status_notes",
		status_notes(q), "service_name", s ? s->name : NULL,
		"service_code", q->service, "description", q->description,
		"agency_responsible", d >= 0 ? cat->depts[d].name : NULL,
		"service_notice", "", "requested_datetime",
		api_time_json(q->received), "updated_datetime",
		api_time_json(q->updated), "expected_datetime",
		api_time_json(expected), "address", q->address, "address_id",
		"zipcode", "lat", isnan(q->lat) ? json_null() : json_real(q->lat),
		"long", isnan(q->lon) ? json_null() : json_real(q->lon),
		"media_url", q->media_url ? q->media_url : "", media,
		"civstat_state", request_state_name(q->state));
	return j;
}

/* Nonzero when the public may see q: not held back, not rejected. */
static int open311_visible(const struct request *q)
{
	return q->state != REQ_HELD && q->outcome != REQ_OUT_REJECTED;
}

struct request_walk {
	const struct catalog *cat;
	const struct service_list *svc;
	json_t *items;
};

static int request_item(void *x, const struct request *q)
{
	struct request_walk *w = x;
	if (open311_visible(q))
		json_array_append_new(w->items,
				      open311_request(w->cat, w->svc, q));
	return CS_OK;
}

/* Runs f (or, with id or token, finds one request) and answers the list
 * in the spec's <service_requests><request> form. */
static enum MHD_Result answer_requests(struct req *r, enum fmt fmt,
				       const struct request_filter *f,
				       long id, const char *token)
{
	struct service_list svc;
	struct request_walk w = {&r->api->cs->cat, &svc, json_array()};
	struct request q = {0};
	int k, rc;
	struct store *st = api_read_begin(r, &k);
	rc = service_list_load(st, &svc);
	if (!rc && f)
		rc = request_list(st, f, request_item, &w, NULL);
	else if (!rc && !(rc = request_get(st, id, token, &q)) &&
		 open311_visible(&q)) {
		if (token) {
			char zid[24];
			snprintf(zid, sizeof zid, "%ld", q.id);
			json_array_append_new(w.items,
					      json_pack("{s:s,s:s}",
							"service_request_id",
							zid, "token", token));
		} else {
			request_item(&w, &q);
		}
	} else if (!rc && token && q.state == REQ_HELD) {
		/* held back: the id is not public until it is let in */
		json_array_append_new(w.items,
				      json_pack("{s:n,s:s}",
						"service_request_id", "token",
						token));
	}
	api_read_end(r, k);
	request_release(&q);
	service_list_release(&svc);
	if (rc && rc != CS_ENOTFOUND) {
		json_decref(w.items);
		return open311_error(r, fmt, 500, cs_errmsg());
	}
	if (!f && !json_array_size(w.items)) {
		json_decref(w.items);
		return open311_error(r, fmt, 404, token ? "token not found"
						       : "service_request_id "
							 "not found");
	}
	return open311_list(r, fmt, 200, w.items, "service_requests",
			    "request");
}

/* Nonzero when z is ids separated by commas, at most 1000 of them. */
static int id_list_ok(const char *z)
{
	int n = 0;
	if (!*z || strspn(z, "0123456789,") != strlen(z))
		return 0;
	for (const char *p = z; *p; p++)
		n += *p == ',';
	return n < 1000 && !strstr(z, ",,") && *z != ',' &&
	       z[strlen(z) - 1] != ',';
}

/* GET /open311/v2/requests.{format}: the spec's filters; without dates
 * the last 90 days, at most 1000, the newest first. */
enum MHD_Result api_open311_get_requests(struct req *r)
{
	enum fmt fmt = format_of(r->params[0]);
	const char *ids = api_arg(r, "service_request_id"),
		   *start = api_arg(r, "start_date"),
		   *end = api_arg(r, "end_date"),
		   *status = api_arg(r, "status");
	struct request_filter f = {.sort = REQ_SORT_RECEIVED, .limit = 1000};
	long now = (long)time(NULL);
	if (fmt == F_NONE)
		return bad_format(r);
	f.now = now;
	if (ids) {
		if (!id_list_ok(ids))
			return open311_error(r, fmt, 400, "service_request_id: "
					     "ids separated by commas");
		f.ids = ids;
		return answer_requests(r, fmt, &f, 0, NULL);
	}
	f.service = api_arg(r, "service_code");
	if (start && api_time_parse(start, &f.received_from, NULL))
		return open311_error(r, fmt, 400, "start_date: not a w3 "
				     "date-time (2026-03-01T00:00:00+08:00)");
	if (end && api_time_parse(end, &f.received_to, NULL))
		return open311_error(r, fmt, 400, "end_date: not a w3 "
				     "date-time (2026-03-31T23:59:59+08:00)");
	if (!end)
		f.received_to = start ? 0 : now + 1;
	if (!start)
		f.received_from = (f.received_to ? f.received_to : now) -
				  90L * 86400;
	if (end && f.received_to)
		f.received_to++; /* the spec's end is inclusive */
	for (const char *p = status; p && *p;) {
		size_t n = strcspn(p, ",");
		if (n == 4 && !strncmp(p, "open", 4))
			f.states |= 1u << REQ_RECEIVED | 1u << REQ_DISPATCHED |
				    1u << REQ_IN_PROGRESS | 1u << REQ_ANSWERED;
		else if (n == 6 && !strncmp(p, "closed", 6))
			f.states |= 1u << REQ_CLOSED;
		else
			return open311_error(r, fmt, 400, "status: open or "
					     "closed");
		p += n + (p[n] == ',');
	}
	return answer_requests(r, fmt, &f, 0, NULL);
}

/* GET /open311/v2/requests/{id}.{format} */
enum MHD_Result api_open311_get_request(struct req *r)
{
	char z[32], *end;
	enum fmt fmt = split_format(r->params[0], z, sizeof z);
	long id = strtol(z, &end, 10);
	if (fmt == F_NONE)
		return bad_format(r);
	if (*end || id <= 0 || !*z)
		return open311_error(r, fmt, 404, "service_request_id not "
				     "found");
	return answer_requests(r, fmt, NULL, id, NULL);
}

/* GET /open311/v2/tokens/{token}.{format}: the request a token stands
 * for; its id is null while moderation holds it. */
enum MHD_Result api_open311_token(struct req *r)
{
	char t[40];
	enum fmt fmt = split_format(r->params[0], t, sizeof t);
	if (fmt == F_NONE)
		return bad_format(r);
	if (strlen(t) != 32 || strspn(t, "0123456789abcdef") != 32)
		return open311_error(r, fmt, 404, "token not found");
	return answer_requests(r, fmt, NULL, 0, t);
}

/* ---- POST requests ------------------------------------------------------- */

#define FORM_MAX_FIELDS 64

/* The post processor's fields, gathered into a JSON object of text. */
static enum MHD_Result form_field(void *cls, enum MHD_ValueKind kind,
				  const char *key, const char *filename,
				  const char *content_type,
				  const char *encoding, const char *data,
				  uint64_t off, size_t size)
{
	json_t *o = cls, *v = json_object_get(o, key);
	(void)kind, (void)filename, (void)content_type, (void)encoding;
	if (!v && json_object_size(o) >= FORM_MAX_FIELDS)
		return MHD_NO;
	if (!v || !off) {
		json_object_set_new(o, key, json_stringn(data ? data : "",
							  size));
		return json_object_get(o, key) ? MHD_YES : MHD_NO;
	}
	size_t n = json_string_length(v);
	char *z = malloc(n + size + 1);
	if (!z)
		return MHD_NO;
	memcpy(z, json_string_value(v), n);
	memcpy(z + n, data, size);
	z[n + size] = 0;
	json_object_set_new(o, key, json_stringn(z, n + size));
	free(z);
	return MHD_YES;
}

/* The body as an object of fields: the form (the spec's
 * application/x-www-form-urlencoded, read by libmicrohttpd's post
 * processor) or JSON.  NULL when it is neither. */
static json_t *form_of(struct req *r)
{
	const char *type = MHD_lookup_connection_value(
		r->conn, MHD_HEADER_KIND, "Content-Type");
	if (type && !strncmp(type, "application/json", 16))
		return r->body ? json_loadb(r->body, r->n_body, 0, NULL) : NULL;
	json_t *o = json_object();
	if (!r->body)
		return o;
	struct MHD_PostProcessor *pp =
		MHD_create_post_processor(r->conn, 4096, form_field, o);
	if (!pp || MHD_post_process(pp, r->body, r->n_body) != MHD_YES) {
		if (pp)
			MHD_destroy_post_processor(pp);
		json_decref(o);
		return NULL;
	}
	MHD_destroy_post_processor(pp);
	return o;
}

/* The text field name of o, "" when absent. */
static const char *field_of(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);
	return json_is_string(v) ? json_string_value(v) : "";
}

/* A coordinate of the form: NaN when empty; nonzero when not a number. */
static int coord_field(json_t *o, const char *name, double *out)
{
	json_t *v = json_object_get(o, name);
	char *end;
	*out = NAN;
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 0;
	}
	const char *z = field_of(o, name);
	if (!*z)
		return 0;
	*out = strtod(z, &end);
	return *end || !isfinite(*out) ? -1 : 0;
}

/* The spec's answer to a POST: the id (and our token), or its errors. */
static enum MHD_Result open311_submitted(struct req *r, int rc)
{
	struct api_submission *s = r->data;
	enum fmt fmt = s->xml ? F_XML : F_JSON;
	char id[24], due[32], notice[160];
	if (rc) {
		const char *f = request_errfield();
		char why[512];
		static const char *const spec[][2] = {
			{"lon", "long"}, {"service", "service_code"},
			{"address", "address_string"},
			{"contact_phone", "phone"}, {"contact_email", "email"},
			{"contact_name", "first_name"}};
		for (size_t k = 0; f && k < sizeof spec / sizeof *spec; k++)
			if (!strcmp(f, spec[k][0]))
				f = spec[k][1];
		/* The domain's message begins with its own field's name:
		 * the spec's name replaces it. */
		const char *m = cs_errmsg(), *colon = strstr(m, ": ");
		snprintf(why, sizeof why, "%s%s%s", f ? f : "", f ? ": " : "",
			 f && colon ? colon + 2 : m);
		return open311_error(r, fmt, rc == CS_EINVAL || rc == CS_ENOTFOUND
						     ? 400
						     : cs_rc_http(rc),
				     why);
	}
	snprintf(id, sizeof id, "%ld", s->rq.id);
	api_time_iso(s->rq.dispatch_due, due);
	if (s->rq.state == REQ_HELD)
		snprintf(notice, sizeof notice, "待审核 / held for review");
	else
		snprintf(notice, sizeof notice, "已受理, 派单时限 / received, "
			 "to be dispatched by %s", due);
	return open311_list(
		r, fmt, 201,
		json_pack("[{s:s,s:s,s:s,s:n}]", "service_request_id", id,
			  "token", s->rq.token, "service_notice", notice,
			  "account_id"),
		"service_requests", "request");
}

/* POST /open311/v2/requests.{format}: a request from an Open311 client,
 * with the api_key of a civstat API token; limited per key and per
 * address, and moderated as the public's. */
enum MHD_Result api_open311_post_requests(struct req *r)
{
	enum fmt fmt = format_of(r->params[0]);
	json_t *form;
	struct auth who;
	long write = 0, now = (long)time(NULL);
	int k, rc, wait;
	if (fmt == F_NONE)
		return bad_format(r);
	if (!(form = form_of(r)) || !json_is_object(form)) {
		json_decref(form);
		return open311_error(r, fmt, 400, "the body is neither a form "
				     "(application/x-www-form-urlencoded) nor "
				     "a JSON object");
	}
	const char *key = field_of(form, "api_key");
	struct store *st = api_read_begin(r, &k);
	rc = *key ? auth_check(st, key, now, &who, &write) : CS_EAUTH;
	api_read_end(r, k);
	if (rc == CS_OK && write) {
		pthread_mutex_lock(&r->api->store);
		auth_session_write(r->api->cs, key, write);
		pthread_mutex_unlock(&r->api->store);
	}
	if (rc == CS_EUNAVAIL || rc == CS_ESTORE) {
		json_decref(form);
		return open311_error(r, fmt, 503, cs_errmsg());
	}
	if (rc || who.kind != SESSION_TOKEN) {
		json_decref(form);
		return open311_error(r, fmt, 403, "api_key: invalid api_key "
				     "received -- can't proceed with "
				     "create_request");
	}
	if ((wait = api_limit_check(r, who.name))) {
		char why[96];
		json_decref(form);
		snprintf(why, sizeof why, "too many requests: try again in "
			 "%d s", wait);
		r->retry_after = wait;
		return open311_error(r, fmt, 429, why);
	}
	struct api_submission *s = calloc(1, sizeof *s);
	if (!s) {
		json_decref(form);
		return open311_error(r, fmt, 500, "out of memory");
	}
	r->data = s;
	r->data_free = api_submission_free;
	s->body = form;
	s->open311 = 1;
	s->xml = fmt == F_XML;
	s->now = now;
	struct request *q = &s->rq;
	q->resolved = -1;
	q->service = (char *)field_of(form, "service_code");
	q->description = (char *)field_of(form, "description");
	q->address = (char *)field_of(form, "address_string");
	q->community = (char *)"";
	q->ref = (char *)"";
	q->channel = (char *)"open311";
	q->contact_phone = (char *)field_of(form, "phone");
	q->contact_email = (char *)field_of(form, "email");
	q->media_url = (char *)field_of(form, "media_url");
	if (coord_field(form, "lat", &q->lat))
		return open311_error(r, fmt, 400, "lat: not a number");
	if (coord_field(form, "long", &q->lon))
		return open311_error(r, fmt, 400, "long: not a number");
	if (strchr(q->media_url, '\n'))
		return open311_error(r, fmt, 400, "media_url: one URL");
	const char *first = field_of(form, "first_name"),
		   *last = field_of(form, "last_name");
	if (asprintf(&s->texts, "%s%s%s", first, *first && *last ? " " : "",
		     last) < 0) {
		s->texts = NULL;
		return open311_error(r, fmt, 500, "out of memory");
	}
	q->contact_name = s->texts;
	snprintf(s->actor, sizeof s->actor, "open311:%s", who.name);
	q->client = s->actor + 8;
	s->hold = api_submission_held(r->api, q);
	return api_submit(r, open311_submitted);
}
