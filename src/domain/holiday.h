/*
 * The holiday table behind the working-day calendar (core/workday.h): the
 * days the State Council's yearly notice makes rest days (holiday, 放假)
 * or working days (workday, 调休上班), read from holidays.csv (columns
 * date,kind,name,source; docs/formats.md), kept in the store and loaded
 * into a struct workday_calendar for the deadline arithmetic.
 *
 * A file is checked whole before anything is stored.  Errors: a date that
 * is not YYYY-MM-DD or does not exist, a kind other than holiday or
 * workday, an empty name, a date given twice, and a workday on a
 * Monday to Friday (it would change nothing, so it is a mistake).  A
 * holiday on a Saturday or Sunday is accepted: the notices give a break as
 * a whole (春节 2月15日至23日), weekend days included.
 */
#ifndef CS_HOLIDAY_H
#define CS_HOLIDAY_H

#include <stddef.h>

#include "core/workday.h"
#include "domain/civstat.h"
#include "domain/out.h"
#include "store/store.h"

/* Longest name and source kept, in bytes. */
#define HOLIDAY_MAX_TEXT 256

/*
 * Checks one entry; CS_OK or CS_EINVAL with a message that begins with the
 * field ("kind: ...").  On success *day and *kind are set.
 */
int holiday_check(const struct holiday *h, int *day, int *kind);

/* holiday_check for a row read back from the store: CS_ESTORE naming the
 * date when the row is damaged (written by hand past the checks). */
int holiday_read(const struct holiday *h, int *day, int *kind);

/*
 * Checks len bytes at data as a holidays.csv named name, storing nothing;
 * *rows counts the entries.  On error cs_errmsg() says "name:line: column
 * "date": ...".  (The fuzz target's entry.)
 */
int holiday_csv_check(const char *name, const char *data, size_t len,
		      long *rows);

/*
 * Imports the n files at paths in one transaction, with an audit entry a
 * file (holiday.import, by cs->actor): every entry is put (replacing the
 * day if it was there) or, on the first error, none of any file is; a
 * date given twice, in one file or two, is an error.  With dry_run the
 * files are checked and nothing stored.  *rows counts the entries.
 */
int holiday_csv_import(struct civstat *cs, const char *const *paths, int n,
		       int dry_run, long *rows);

/*
 * Puts the n entries in one transaction with its audit entry
 * (holiday.put), all or nothing, each checked as a file's are (the API's
 * POST).  On CS_EINVAL the message and field (cap bytes) name the entry
 * by its index: "[3].kind".
 */
int holiday_put_all(struct civstat *cs, const struct holiday *h, int n,
		    char *field, size_t cap);

/* Fills c (workday_init'd here; the caller releases it) from the store. */
int holiday_calendar(struct store *st, struct workday_calendar *c);

/*
 * Fills t (out_init'd here; the caller releases it) with the entries of
 * year (0: all).  With for_import the columns are holidays.csv's (date,
 * kind, name, source) so that an export imports again; else a list with
 * the weekday and, with zh, Chinese words (放假, 调休上班).
 */
int holiday_table(struct store *st, int year, int for_import, int zh,
		  struct out_table *t);

#endif
