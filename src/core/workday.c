/*
 * The working-day calendar (see workday.h): days as integers, a sorted
 * table of the State Council's exceptions looked up by binary search, and
 * the deadline arithmetic of residents' requests on top.  Allocates only
 * when entries are added.
 */
#include "core/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

void workday_init(struct workday_calendar *c)
{
	memset(c, 0, sizeof *c);
}

void workday_release(struct workday_calendar *c)
{
	free(c->aday);
	free(c->akind);
	memset(c, 0, sizeof *c);
}

/* The index of the first entry not before day. */
static int lower_bound(const struct workday_calendar *c, int day)
{
	int lo = 0, hi = c->n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (c->aday[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int workday_add(struct workday_calendar *c, int day, enum workday_kind kind)
{
	if (kind != WORKDAY_HOLIDAY && kind != WORKDAY_WORKDAY)
		return cs_errorf(CS_EINVAL, "kind: %d is not holiday or "
				 "workday", (int)kind);
	int k = lower_bound(c, day);
	if (k < c->n && c->aday[k] == day) {
		char buf[16];
		workday_day_format(day, buf, sizeof buf);
		return cs_errorf(CS_EEXIST, "date: %s is in the calendar "
				 "already", buf);
	}
	if (c->n == c->cap) {
		if (c->cap >= WORKDAY_MAX_ENTRIES)
			return cs_errorf(CS_ETOOBIG, "the calendar holds at "
					 "most %d days", WORKDAY_MAX_ENTRIES);
		int cap = c->cap ? 2 * c->cap : 64;
		int *d = realloc(c->aday, (size_t)cap * sizeof *d);
		if (!d)
			return cs_errorf(CS_ENOMEM, "out of memory");
		c->aday = d;
		unsigned char *w = realloc(c->akind, (size_t)cap);
		if (!w)
			return cs_errorf(CS_ENOMEM, "out of memory");
		c->akind = w;
		c->cap = cap;
	}
	memmove(c->aday + k + 1, c->aday + k,
		(size_t)(c->n - k) * sizeof *c->aday);
	memmove(c->akind + k + 1, c->akind + k, (size_t)(c->n - k));
	c->aday[k] = day;
	c->akind[k] = (unsigned char)kind;
	c->n++;
	return CS_OK;
}

int workday_kind_of(const struct workday_calendar *c, int day)
{
	int k = lower_bound(c, day);
	return k < c->n && c->aday[k] == day ? c->akind[k] : 0;
}

const char *workday_kind_name(int kind)
{
	return kind == WORKDAY_HOLIDAY	 ? "holiday"
	       : kind == WORKDAY_WORKDAY ? "workday"
					 : "?";
}

int workday_kind_parse(const char *z, size_t n)
{
	if (n == 7 && !memcmp(z, "holiday", 7))
		return WORKDAY_HOLIDAY;
	if (n == 7 && !memcmp(z, "workday", 7))
		return WORKDAY_WORKDAY;
	return 0;
}

/* ---- days ---------------------------------------------------------- */

/* Days from civil and back: Howard Hinnant's algorithms (public domain),
 * exact over the proleptic Gregorian calendar, eras of 400 years. */
int workday_day(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void workday_civil(int day, int *y, int *m, int *d)
{
	int z = day + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int workday_weekday(int day)
{
	/* 1970-01-01 was a Thursday (4). */
	int r = (day + 3) % 7;
	return (r < 0 ? r + 7 : r) + 1;
}

const char *workday_weekday_name(int wd, int zh)
{
	static const char *const names[2][8] = {
		{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
		 "Saturday", "Sunday"},
		{"", "周一", "周二", "周三", "周四", "周五", "周六",
		 "周日"},
	};
	return wd >= 1 && wd <= 7 ? names[!!zh][wd] : "";
}

static int is_leap(int y)
{
	return y % 4 == 0 && (y % 100 || y % 400 == 0);
}

int workday_day_parse(const char *z, size_t n, int *day)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	int ok = n == 10 && z[4] == '-' && z[7] == '-';
	for (size_t k = 0; ok && k < 10; k++)
		if (k != 4 && k != 7 && (z[k] < '0' || z[k] > '9'))
			ok = 0;
	if (!ok)
		return cs_errorf(CS_EINVAL, "\"%.*s\" is not a date "
				 "(YYYY-MM-DD)", (int)(n > 32 ? 32 : n), z);
	int y = (z[0] - '0') * 1000 + (z[1] - '0') * 100 + (z[2] - '0') * 10 +
		(z[3] - '0');
	int m = (z[5] - '0') * 10 + (z[6] - '0');
	int d = (z[8] - '0') * 10 + (z[9] - '0');
	if (y < WORKDAY_MIN_YEAR || y > WORKDAY_MAX_YEAR || m < 1 || m > 12 ||
	    d < 1 || d > mdays[m - 1] + (m == 2 && is_leap(y)))
		return cs_errorf(CS_EINVAL, "\"%.10s\" is not a date that "
				 "exists", z);
	*day = workday_day(y, m, d);
	return CS_OK;
}

void workday_day_format(int day, char *buf, size_t cap)
{
	int y, m, d;
	workday_civil(day, &y, &m, &d);
	snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
}

/* Floor division: moments before 1970 fall on the day before. */
static long floor_div(long a, long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int workday_day_of(time_t t)
{
	return (int)floor_div((long)t + WORKDAY_UTC_OFFSET, 86400);
}

time_t workday_start_of(int day)
{
	return (time_t)day * 86400 - WORKDAY_UTC_OFFSET;
}

/* ---- the calendar -------------------------------------------------- */

int workday_is_working(const struct workday_calendar *c, int day)
{
	int kind = workday_kind_of(c, day);
	if (kind)
		return kind == WORKDAY_WORKDAY;
	return workday_weekday(day) <= 5;
}

int workday_after(const struct workday_calendar *c, int from, int n)
{
	int day = from;
	if (n <= 0) {
		while (!workday_is_working(c, day))
			day++;
		return day;
	}
	/* The longest break is some ten days: a day-by-day walk is a few
	 * hundred steps for the longest deadlines people give. */
	while (n > 0) {
		day++;
		if (workday_is_working(c, day))
			n--;
	}
	return day;
}

time_t workday_deadline(const struct workday_calendar *c, time_t t, int n)
{
	return workday_start_of(workday_after(c, workday_day_of(t), n) + 1);
}

int workday_count(const struct workday_calendar *c, int from, int to)
{
	int sign = 1, n = 0;
	if (to < from) {
		int x = from;
		from = to;
		to = x;
		sign = -1;
	}
	for (int day = from + 1; day <= to; day++)
		n += workday_is_working(c, day);
	return sign * n;
}

time_t workday_deadline_hours(time_t t, int hours)
{
	return t + (time_t)hours * 3600;
}

int workday_covers(const struct workday_calendar *c, int day)
{
	int y, m, d;
	workday_civil(day, &y, &m, &d);
	int k = lower_bound(c, workday_day(y, 1, 1));
	return k < c->n && c->aday[k] < workday_day(y + 1, 1, 1);
}
