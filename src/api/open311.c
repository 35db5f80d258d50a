/*
 * Open311 GeoReport v2, the read-only part (issue 7): the service list,
 * GET /open311/v2/services.{json,xml}, and the discovery document,
 * GET /open311/v2/discovery.{json,xml}, so that existing 311 apps can find
 * the catalogue.  Field and element names are the spec's
 * (wiki.open311.org/GeoReport_v2, /Service_Discovery); errors are its
 * list of {code, description}, not the /api/v1 error object, since an
 * Open311 client reads nothing else.  Only public services are listed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "core/err.h"

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
	char why[256];
	snprintf(why, sizeof why, "no such resource: %.120s (services.json, "
		 "services.xml, discovery.json)", r->url);
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
