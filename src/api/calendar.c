/*
 * The working-day calendar over HTTP: GET /api/v1/holidays?year= lists
 * the table to anybody (the State Council's notices are public), and
 * POST /api/v1/holidays, the admin's, puts a body of days all or nothing,
 * each checked as holidays.csv's rows are (domain/holiday.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/err.h"
#include "core/num.h"
#include "core/workday.h"
#include "domain/holiday.h"

/* The most days one POST carries: ten years of notices, and then some. */
#define CALENDAR_MAX_DAYS 1000

struct day_list {
	json_t *items;
	int year;
};

static int day_item(void *x, const struct holiday *h)
{
	struct day_list *l = x;
	int day, kind, rc;
	if (l->year && atoi(h->date) != l->year)
		return CS_OK;
	if ((rc = holiday_read(h, &day, &kind)))
		return rc;
	json_array_append_new(l->items,
			      json_pack("{s:s,s:i,s:s,s:s,s:s}", "date",
					h->date, "weekday",
					workday_weekday(day), "kind", h->kind,
					"name", h->name, "source", h->source));
	return CS_OK;
}

/* GET /holidays?year=: the days of the table, by date; weekday is ISO's
 * (1 Monday .. 7 Sunday). */
enum MHD_Result api_get_holidays(struct req *r)
{
	struct store *st = r->api->cs->st;
	const char *year = api_arg(r, "year");
	struct day_list l = {json_array(), 0};
	long y = 0;
	if (year && num_parse_int(year, strlen(year), WORKDAY_MIN_YEAR,
				  WORKDAY_MAX_YEAR, &y)) {
		json_decref(l.items);
		return api_error(r, CS_EINVAL, "year", "year: \"%.16s\" is "
				 "not a year", year);
	}
	l.year = (int)y;
	return api_items(r, st->ops->scan_holidays(st, day_item, &l),
			 l.items);
}

/* POST /holidays {"holidays": [{"date", "kind", "name", "source"}]}: all
 * or nothing; a refusal names the field, "holidays[3].kind". */
enum MHD_Result api_post_holidays(struct req *r)
{
	json_t *days, *d, *body = api_body_list(r, "holidays",
						 CALENDAR_MAX_DAYS, "days",
						 &days);
	struct holiday *h = NULL;
	char field[48];
	size_t k;
	int rc = CS_OK;
	if (!body)
		return MHD_YES;
	if (!(h = calloc(json_array_size(days), sizeof *h))) {
		json_decref(body);
		return api_fail(r, cs_errorf(CS_ENOMEM, "out of memory"));
	}
	json_array_foreach(days, k, d) {
		static const char *const names[] = {"date", "kind", "name",
						    "source"};
		const char **const at[] = {&h[k].date, &h[k].kind,
					   &h[k].name, &h[k].source};
		if ((rc = api_texts(d, names, at, 4, "holidays", k, field,
				    sizeof field)))
			break;
	}
	char where[32] = "";
	if (!rc && (rc = holiday_put_all(r->api->cs, h,
					 (int)json_array_size(days), where,
					 sizeof where)) == CS_EINVAL)
		snprintf(field, sizeof field, "holidays%s", where);
	enum MHD_Result ret = api_stored(r, rc, field,
					 json_array_size(days));
	free(h);
	json_decref(body);
	return ret;
}
