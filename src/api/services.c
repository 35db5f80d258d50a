/*
 * The service catalogue over HTTP (服务目录, issue 7): GET /api/v1/services
 * for anybody (staff see the internal services too), POST for the admin,
 * all or nothing, each service checked as a row of services.csv.  The
 * catalogue as the request routes read it is domain/service.h's
 * service_list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/request_int.h"
#include "core/err.h"
#include "domain/service.h"

#define SERVICES_MAX 500 /* services one POST /services puts */

/* ---- the routes --------------------------------------------------------- */

struct service_items {
	json_t *items;
	int all;
};

static int service_item(void *x, const struct service *s)
{
	struct service_items *l = x;
	if (!s->public && !l->all)
		return CS_OK;
	json_array_append_new(
		l->items,
		json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:s,s:s,s:b,s:s}",
			  "code", s->code, "name", s->name, "name_en",
			  s->name_en, "group", s->group, "department",
			  s->department, "dispatch_days", s->dispatch_days,
			  "answer_days", s->answer_days, "answer_hours",
			  s->answer_hours, "keywords", s->keywords,
			  "description", s->description, "public", s->public,
			  "source", s->source));
	return CS_OK;
}

/* GET /services: the catalogue with its deadlines; the public sees the
 * public services. */
enum MHD_Result api_get_services(struct req *r)
{
	struct service_items l = {json_array(), r->who.role > ROLE_PUBLIC};
	struct store *st = r->api->cs->st;
	return api_items(r, st->ops->scan_services(st, service_item, &l),
			 l.items);
}

/* POST /services {"services": [...]}: all or nothing, audited, each
 * checked as a row of services.csv is (domain/service.c). */
enum MHD_Result api_post_services(struct req *r)
{
	json_t *list, *v, *body = api_body_list(r, "services", SERVICES_MAX,
						 "services", &list);
	struct service *sv = NULL;
	char field[64] = "services";
	size_t k;
	int rc = CS_OK;
	if (!body)
		return MHD_YES;
	if (!(sv = calloc(json_array_size(list), sizeof *sv))) {
		json_decref(body);
		return api_fail(r, cs_errorf(CS_ENOMEM, "out of memory"));
	}
	json_array_foreach(list, k, v) {
		static const char *const texts[] = {
			"code", "name", "name_en", "group", "department",
			"keywords", "description", "source"};
		static const char *const counts[] = {
			"dispatch_days", "answer_days", "answer_hours",
			"public"};
		const char **const at[] = {&sv[k].code, &sv[k].name,
					   &sv[k].name_en, &sv[k].group,
					   &sv[k].department, &sv[k].keywords,
					   &sv[k].description, &sv[k].source};
		int *nat[] = {&sv[k].dispatch_days, &sv[k].answer_days,
			      &sv[k].answer_hours, &sv[k].public};
		sv[k].public = 1;
		rc = api_texts(v, texts, at, 8, "services", k, field,
			       sizeof field);
		for (int f = 0; f < 4 && !rc; f++) {
			json_t *t = json_object_get(v, counts[f]);
			if (f == 3 && json_is_boolean(t))
				*nat[f] = json_is_true(t);
			else if (t && !json_is_integer(t)) {
				snprintf(field, sizeof field,
					 "services[%zu].%s", k, counts[f]);
				rc = cs_errorf(CS_EINVAL, "%s: not a whole "
					       "number", field);
			} else if (t) {
				json_int_t n = json_integer_value(t);
				*nat[f] = n < -1 || n > 100000 ? -1 : (int)n;
			}
		}
		if (rc)
			break;
	}
	char where[48] = "";
	if (!rc && (rc = service_put_all(r->api->cs, sv,
					 (int)json_array_size(list), where,
					 sizeof where)) == CS_EINVAL)
		snprintf(field, sizeof field, "services%s", where);
	enum MHD_Result ret = api_stored(r, rc, field,
					 json_array_size(list));
	free(sv);
	json_decref(body);
	return ret;
}
