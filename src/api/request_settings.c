/*
 * The requests' settings over HTTP (issue 7): what moderation holds on,
 * the rate limits, the response deadline and how satisfaction counts,
 * which only SQL could set before.  The admin reads and puts them, all or
 * nothing and audited, and the running server goes by them at once.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/request_int.h"
#include "core/err.h"
#include "domain/audit.h"

/* The settings of the requests an admin may set over HTTP, and what each
 * takes: a number in [lo, hi], or (lo > hi) text, one of words if given. */
static const struct request_setting {
	const char *key;
	double lo, hi;
	const char *words; /* the allowed texts, blank-separated, or NULL */
	int limit;	   /* the rate limit it sets, -1 */
} request_settings[] = {
	{"request.hold_words", 1, 0, NULL, -1},
	{"request.rate_address", 0, 1e6, NULL, API_LIMIT_ADDRESS},
	{"request.rate_key", 0, 1e6, NULL, API_LIMIT_KEY},
	{"request.response_days", 0, 60, NULL, -1},
	{"request.satisfaction", 1, 0, "strict lenient", -1},
};
#define NSETTINGS (int)(sizeof request_settings / sizeof *request_settings)

/* {key: value or null} of every setting above. */
static int settings_json(struct store *st, json_t **out)
{
	json_t *o = json_object();
	for (int k = 0; k < NSETTINGS; k++) {
		char *z = NULL;
		int rc = st->ops->get_meta(st, request_settings[k].key, &z);
		if (rc) {
			json_decref(o);
			return rc;
		}
		json_object_set_new(o, request_settings[k].key,
				    z ? json_string(z) : json_null());
		free(z);
	}
	*out = o;
	return CS_OK;
}

/* GET /requests/settings: what moderation, the limits, the response
 * deadline and the satisfaction rate go by. */
enum MHD_Result api_get_request_settings(struct req *r)
{
	json_t *o;
	int rc = settings_json(r->api->cs->st, &o);
	if (rc)
		return api_fail(r, rc);
	return api_json(r, 200, json_pack("{s:o}", "settings", o));
}

/* The text of setting s's value v into buf; nonzero after writing why
 * it is refused. */
static int setting_value(const struct request_setting *s, json_t *v,
			 char *buf, size_t cap, char *why, size_t wcap)
{
	if (s->lo <= s->hi) {
		char *end;
		double d = json_is_number(v) ? json_number_value(v)
			   : json_is_string(v)
				   ? strtod(json_string_value(v), &end)
				   : NAN;
		if (json_is_string(v) && (*end || !*json_string_value(v)))
			d = NAN;
		if (!(d >= s->lo && d <= s->hi)) {
			snprintf(why, wcap, "%s: a number from %g to %g",
				 s->key, s->lo, s->hi);
			return -1;
		}
		snprintf(buf, cap, "%.15g", d);
		return 0;
	}
	const char *z = json_string_value(v);
	if (!z || strlen(z) >= cap) {
		snprintf(why, wcap, "%s: text of less than %zu bytes", s->key,
			 cap);
		return -1;
	}
	if (s->words) {
		const char *w = strstr(s->words, z);
		size_t n = strlen(z);
		if (!n || !w || (w != s->words && w[-1] != ' ') ||
		    (w[n] && w[n] != ' ')) {
			snprintf(why, wcap, "%s: one of %s", s->key, s->words);
			return -1;
		}
	}
	snprintf(buf, cap, "%s", z);
	return 0;
}

/* POST /requests/settings {key: value, ...}: all or nothing, audited;
 * the server goes by them at once.  Answers every setting. */
enum MHD_Result api_post_request_settings(struct req *r)
{
	static char text[NSETTINGS][API_HOLD_WORDS_MAX];
	json_t *body = api_body(r), *v, *before = NULL, *after = NULL;
	struct civstat *cs = r->api->cs;
	struct store *st = cs->st;
	int given[NSETTINGS] = {0}, rc;
	const char *key;
	char why[160];
	if (!body)
		return MHD_YES;
	if (!json_is_object(body) || !json_object_size(body)) {
		json_decref(body);
		return api_error(r, CS_EINVAL, NULL, "body: {\"request.hold_"
				 "words\": \"...\", ...}");
	}
	json_object_foreach(body, key, v) {
		int k = 0;
		while (k < NSETTINGS && strcmp(request_settings[k].key, key))
			k++;
		if (k == NSETTINGS) {
			char field[80];
			snprintf(field, sizeof field, "%.64s", key);
			json_decref(body);
			return api_error(r, CS_EINVAL, field, "%s: not a setting "
					 "of the requests", field);
		}
		if (setting_value(&request_settings[k], v, text[k],
				  sizeof text[k], why, sizeof why)) {
			json_decref(body);
			return api_error(r, CS_EINVAL, request_settings[k].key,
					 "%s", why);
		}
		given[k] = 1;
	}
	json_decref(body);
	if ((rc = settings_json(st, &before)) || (rc = st->ops->begin(st))) {
		json_decref(before);
		return api_fail(r, rc);
	}
	for (int k = 0; k < NSETTINGS && !rc; k++)
		if (given[k])
			rc = st->ops->set_meta(st, request_settings[k].key,
					       text[k]);
	if (!rc)
		rc = settings_json(st, &after);
	char *zb = before ? json_dumps(before, JSON_COMPACT) : NULL,
	     *za = after ? json_dumps(after, JSON_COMPACT) : NULL;
	if (!rc)
		rc = za ? audit_append(cs, "setting.put", "request", zb, za)
			: cs_errorf(CS_ENOMEM, "out of memory");
	free(zb);
	free(za);
	json_decref(before);
	if (rc || (rc = st->ops->commit(st))) {
		st->ops->rollback(st);
		json_decref(after);
		return api_fail(r, rc);
	}
	/* The server goes by them from now on. */
	request_forget(cs);
	for (int k = 0; k < NSETTINGS; k++)
		if (given[k])
			api_limits_set(r->api->limits,
				       request_settings[k].limit,
				       request_settings[k].limit >= 0
					       ? strtod(text[k], NULL)
					       : 0,
				       !strcmp(request_settings[k].key,
					       "request.hold_words")
					       ? text[k]
					       : NULL);
	return api_json(r, 200, json_pack("{s:o}", "settings", after));
}
