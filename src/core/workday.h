/*
 * China's official working-day calendar (工作日历): Monday to Friday work,
 * Saturday and Sunday rest, except the days of a holiday table, which the
 * State Council publishes each year (国务院办公厅关于…部分节假日安排的
 * 通知): a holiday (放假) rests even on a weekday, an adjusted working day
 * (调休上班) works even on a Saturday or a Sunday.  The deadlines of
 * residents' requests (12345: 1 working day to dispatch, 5 to answer) are
 * counted on it.
 *
 * Days are whole numbers, the days since 1970-01-01 in the proleptic
 * Gregorian calendar, so that ranges of days are integer ranges and no
 * timezone enters the arithmetic.  A day is a local date of Asia/Shanghai
 * (UTC+8, no daylight saving since 1991): a moment (a Unix time) becomes a
 * day only through workday_day_of(), which adds the eight hours.
 *
 * The deadline convention (workday_after): the day a request is received is
 * never counted, whether it is a working day or not; the first day counted
 * is the next working day after it, and the deadline is the end (24:00) of
 * the N-th working day so counted.  A request received on a Saturday has
 * the same deadline as one received on the Friday before: counting starts
 * on the next working day, Monday.  This is the rule of periods in civil
 * law (民法典 第二百零一条: 开始的当日不计入) applied to working days, the
 * one 12345 hotlines use, and it keeps a deadline from depending on the
 * hour of receipt.  N = 0 means "the same working day": the day itself when
 * it works, else the next working day.
 *
 * Years the table does not cover count weekends only: the caller that
 * looks far ahead asks workday_covers() first.
 */
#ifndef CS_WORKDAY_H
#define CS_WORKDAY_H

#include <stddef.h>
#include <time.h>

#define WORKDAY_MIN_YEAR 1900
#define WORKDAY_MAX_YEAR 9999
/* Seconds east of UTC of Asia/Shanghai, whose dates the days are. */
#define WORKDAY_UTC_OFFSET (8 * 3600)
/* Entries one calendar holds (some 40 a year: a century's worth). */
#define WORKDAY_MAX_ENTRIES 4096
/* The most working days and clock hours a deadline may be given (ten
 * years, one leap year): callers refuse more, so a walk stays short. */
#define WORKDAY_MAX_DAYS 3660
#define WORKDAY_MAX_HOURS 8784

enum workday_kind {
	WORKDAY_HOLIDAY = 1, /* 放假: rests, even on a weekday */
	WORKDAY_WORKDAY = 2, /* 调休上班: works, even at a weekend */
};

struct workday_calendar {
	int n;        /* entries */
	int cap;
	int *aday;    /* their days, ascending, each once */
	unsigned char *akind; /* enum workday_kind of each */
};

/* An empty calendar (weekends rest, nothing else) and its release; a
 * calendar may be released twice. */
void workday_init(struct workday_calendar *c);
void workday_release(struct workday_calendar *c);

/*
 * Adds day as kind.  CS_EEXIST when the day is in the calendar already,
 * CS_EINVAL for a kind that is neither, CS_ETOOBIG past
 * WORKDAY_MAX_ENTRIES; the calendar is unchanged on error.
 */
int workday_add(struct workday_calendar *c, int day, enum workday_kind kind);

/* The kind the table gives day, or 0 when the table does not name it. */
int workday_kind_of(const struct workday_calendar *c, int day);

/* "holiday", "workday"; parse gives 0 for anything else. */
const char *workday_kind_name(int kind);
int workday_kind_parse(const char *z, size_t n);

/* ---- days ---- */

/* The day of y-m-d, which must exist (see workday_day_parse). */
int workday_day(int y, int m, int d);
/* The year, month and day of day. */
void workday_civil(int day, int *y, int *m, int *d);
/* ISO weekday of day: 1 Monday .. 7 Sunday. */
int workday_weekday(int day);
/* The name of ISO weekday wd: 周一 .. 周日 with zh, else Monday ..
 * Sunday; "" for anything else. */
const char *workday_weekday_name(int wd, int zh);
/*
 * Parses n bytes of z as YYYY-MM-DD, a date that exists, year
 * WORKDAY_MIN_YEAR..WORKDAY_MAX_YEAR.  Returns CS_OK and sets *day, or
 * CS_EINVAL (message naming the text) and leaves *day untouched.
 */
int workday_day_parse(const char *z, size_t n, int *day);
/* Prints day as YYYY-MM-DD into buf (at least 11 bytes). */
void workday_day_format(int day, char *buf, size_t cap);
/* The Shanghai date of the moment t, and the moment day begins there. */
int workday_day_of(time_t t);
time_t workday_start_of(int day);

/* ---- the calendar ---- */

/* Nonzero when day is a working day. */
int workday_is_working(const struct workday_calendar *c, int day);

/*
 * The deadline day of a request received on day from with n >= 0 working
 * days allowed, by the convention above: the n-th working day after from
 * (n = 0: from itself when it works, else the next working day).
 */
int workday_after(const struct workday_calendar *c, int from, int n);

/*
 * The moment a request received at t with n working days is due: the end
 * of workday_after's day, i.e. 00:00 Shanghai time of the day after it.
 */
time_t workday_deadline(const struct workday_calendar *c, time_t t, int n);

/*
 * The working days after from up to and including to (from itself is not
 * counted, as in workday_after: workday_count(c, d, workday_after(c, d,
 * n)) is n for n >= 1); negative, the same count, when to is before
 * from.
 */
int workday_count(const struct workday_calendar *c, int from, int to);

/*
 * A deadline in clock hours (heating: within 24 hours), counted straight
 * through nights, weekends and holidays: t + hours.  Separate from the
 * working-day deadlines on purpose, so that a category says which it
 * means and an emergency is never pushed past a holiday.
 */
time_t workday_deadline_hours(time_t t, int hours);

/* Nonzero when the table names at least one day in day's year: a year
 * without any entry is surely not loaded (every year has 元旦). */
int workday_covers(const struct workday_calendar *c, int day);

#endif
