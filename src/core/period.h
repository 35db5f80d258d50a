/*
 * Reporting periods: a month, a quarter, a year, or the months 1..m of a year
 * (year to date, 1-9月).  Parses and prints the SDMX forms (2025, 2025-Q3,
 * 2025-03, 2025-M03), the compact YYYYMM integer of bulk files (202503) and
 * the Chinese forms people write (2025年3月, 2025年三季度, 2025年1-9月,
 * 2025年), and does the arithmetic the analytics need.
 *
 * Months are also handled as a single integer, the month index
 * year * 12 + (month - 1), so that ranges of months are plain integer ranges.
 */
#ifndef CS_PERIOD_H
#define CS_PERIOD_H

#include <stddef.h>

enum period_kind {
	PERIOD_MONTH = 1,   /* num = month 1..12 */
	PERIOD_QUARTER = 2, /* num = quarter 1..4 */
	PERIOD_YEAR = 3,    /* num = 0 */
	PERIOD_YTD = 4,     /* num = last month 1..12: months 1..num of year */
};

struct period {
	int year;          /* 1900..9999 */
	enum period_kind kind;
	int num;           /* see enum period_kind */
};

#define PERIOD_MIN_YEAR 1900
#define PERIOD_MAX_YEAR 9999

/*
 * Parses n bytes of z (not necessarily NUL-terminated; leading and trailing
 * blanks are ignored).  Accepted: "2025", "2025-Q3", "2025Q3", "2025-03",
 * "2025-M03", "202503", the year-to-date range "2025-01/2025-09"; Chinese:
 * "2025年", "2025年3月", "2025年03月", "2025年一季度" .. "2025年四季度",
 * "2025年第三季度", "2025年3季度", "2025年1-9月", "2025年1—9月",
 * "2025年1～9月", "2025年1月至9月" (a YTD needs to start at month 1; 1-1月 is
 * a YTD of one month).  Returns CS_OK and fills *out, or CS_EINVAL (with a
 * message naming the text) and leaves *out untouched.
 */
int period_parse(const char *z, size_t n, struct period *out);

/*
 * Prints p in SDMX form ("2025", "2025-Q3", "2025-03"; a YTD prints as
 * "2025-01/2025-09", the SDMX time range) into buf of cap bytes, always
 * NUL-terminated.  Returns the length it would have written (snprintf).
 */
int period_format(const struct period *p, char *buf, size_t cap);
/* Prints p the Chinese way: 2025年3月, 2025年三季度, 2025年, 2025年1-9月. */
int period_format_zh(const struct period *p, char *buf, size_t cap);

/* The month index year*12 + month-1 of the first and the last month of p. */
int period_first_month(const struct period *p);
int period_last_month(const struct period *p);

/* Builds periods from parts; no validation beyond what the struct says. */
struct period period_month(int year, int month);
struct period period_from_month_index(int mi);
/*
 * The period of the given kind that month mi falls in (for a YTD: months
 * 1..mi's month of its year).  A quarterly figure stored at month 9 is
 * period_ending(PERIOD_QUARTER, 9) = Q3.
 */
struct period period_ending(enum period_kind kind, int mi);

/* The same period one year earlier (同比 base). */
struct period period_prev_year(const struct period *p);
/*
 * The previous period of the same kind (环比 base): 2025-03 -> 2025-02,
 * 2025-01 -> 2024-12, 2025-Q1 -> 2024-Q4, 2025 -> 2024; for a YTD 1-m, the
 * YTD 1-(m-1) of the same year, or, for 1-1月, the whole previous year.
 */
struct period period_prev(const struct period *p);
/* The year to date ending at p's last month: 2025-Q3 -> 2025年1-9月. */
struct period period_ytd(const struct period *p);
/*
 * 序时进度: the share of the year elapsed at the end of p, last month / 12
 * (0.75 for 2025年1-9月, 2025-Q3, 2025-09; 1.0 for a year).
 */
double period_time_progress(const struct period *p);

/* Nonzero when a and b are the same period. */
int period_eq(const struct period *a, const struct period *b);

#endif
