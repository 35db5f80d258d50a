/*
 * Reporting periods: parsing the SDMX, compact and Chinese ways of writing a
 * month, quarter, year or year to date, printing them back, and the period
 * arithmetic of the analytics.  Parsing allocates nothing; it sits on the
 * import path.
 */
#include "core/period.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

/* Bytes of the offending text that an error message quotes. */
#define PERIOD_MSG_MAX 64

static const char *const zh_quarter[4] = {"一", "二", "三", "四"};

/* What may stand between the first and the last month of a YTD: 1-9月. */
static const char *const ytd_sep[] = {"-", "~", "—", "–", "～", "至"};

struct cursor {
	const char *s; /* next byte to read */
	size_t n;      /* bytes left */
};

/* Consumes tok if the input continues with it; returns nonzero if it did. */
static int eat(struct cursor *c, const char *tok)
{
	size_t len = strlen(tok);

	if (c->n < len || memcmp(c->s, tok, len))
		return 0;
	c->s += len;
	c->n -= len;
	return 1;
}

/*
 * Reads up to maxd ASCII digits into *val; returns how many it read (0 when
 * the input does not continue with a digit).
 */
static int digits(struct cursor *c, int maxd, int *val)
{
	int k = 0;

	*val = 0;
	while (k < maxd && c->n && *c->s >= '0' && *c->s <= '9') {
		*val = *val * 10 + (*c->s - '0');
		c->s++;
		c->n--;
		k++;
	}
	return k;
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' ||
	       ch == '\v' || ch == '\f';
}

/* Reads the single digit of "Q3"; returns nonzero for a quarter 1..4. */
static int quarter_digit(struct cursor *c, struct period *p)
{
	p->kind = PERIOD_QUARTER;
	return digits(c, 1, &p->num) == 1 && p->num >= 1 && p->num <= 4;
}

/* The SDMX and compact forms after the year: "", "-Q3", "Q3", "-03", "-M03". */
static int parse_sdmx(struct cursor *c, struct period *p)
{
	if (!c->n) {
		p->kind = PERIOD_YEAR;
		return 1;
	}
	if (eat(c, "-Q") || eat(c, "Q"))
		return quarter_digit(c, p);
	if (!eat(c, "-M"))
		eat(c, "-");
	p->kind = PERIOD_MONTH;
	if (digits(c, 2, &p->num) != 2 || p->num < 1 || p->num > 12)
		return 0;
	/* The SDMX time range of a year to date: 2025-01/2025-09. */
	if (p->num == 1 && eat(c, "/")) {
		int year;
		if (digits(c, 4, &year) != 4 || year != p->year ||
		    !eat(c, "-") || digits(c, 2, &p->num) != 2 ||
		    p->num < 1 || p->num > 12)
			return 0;
		p->kind = PERIOD_YTD;
	}
	return 1;
}

/*
 * The Chinese forms after 年: "", "度", "3月", "03月份", "三季度", "第三季度",
 * "3季度", "Q3", "1-9月", "1月至9月".
 */
static int parse_zh(struct cursor *c, struct period *p)
{
	int di = eat(c, "第");
	int first, last, yue;
	size_t i;

	if (!di && (!c->n || eat(c, "度"))) {
		p->kind = PERIOD_YEAR;
		return 1;
	}
	for (i = 0; i < 4; i++) {
		if (eat(c, zh_quarter[i])) {
			p->kind = PERIOD_QUARTER;
			p->num = (int)i + 1;
			return eat(c, "季度");
		}
	}
	if (!di && eat(c, "Q"))
		return quarter_digit(c, p);
	if (!digits(c, 2, &first))
		return 0;
	if (eat(c, "季度")) {
		p->kind = PERIOD_QUARTER;
		p->num = first;
		return first >= 1 && first <= 4;
	}
	if (di || first < 1 || first > 12)
		return 0;
	yue = eat(c, "月");
	for (i = 0; i < sizeof ytd_sep / sizeof ytd_sep[0]; i++) {
		if (eat(c, ytd_sep[i])) {
			if (first != 1 || !digits(c, 2, &last) || last < 1 ||
			    last > 12 || !eat(c, "月"))
				return 0;
			p->kind = PERIOD_YTD;
			p->num = last;
			eat(c, "份");
			return 1;
		}
	}
	p->kind = PERIOD_MONTH;
	p->num = first;
	eat(c, "份");
	return yue;
}

int period_parse(const char *z, size_t n, struct period *out)
{
	struct cursor c;
	struct period p = {0, PERIOD_YEAR, 0};
	size_t cut;

	while (n && is_blank(z[0])) {
		z++;
		n--;
	}
	while (n && is_blank(z[n - 1]))
		n--;
	c.s = z;
	c.n = n;
	if (digits(&c, 4, &p.year) != 4 || p.year < PERIOD_MIN_YEAR)
		goto bad;
	if (!(eat(&c, "年") ? parse_zh(&c, &p) : parse_sdmx(&c, &p)) || c.n)
		goto bad;
	*out = p;
	return CS_OK;
bad:
	/* Quote at most PERIOD_MSG_MAX bytes, cut before a UTF-8 character. */
	cut = n;
	if (cut > PERIOD_MSG_MAX) {
		cut = PERIOD_MSG_MAX;
		while (cut && ((unsigned char)z[cut] & 0xC0) == 0x80)
			cut--;
	}
	return cs_errorf(CS_EINVAL, "bad period \"%.*s\"", (int)cut, z);
}

int period_format(const struct period *p, char *buf, size_t cap)
{
	switch (p->kind) {
	case PERIOD_MONTH:
		return snprintf(buf, cap, "%04d-%02d", p->year, p->num);
	case PERIOD_QUARTER:
		return snprintf(buf, cap, "%04d-Q%d", p->year, p->num);
	case PERIOD_YTD:
		return snprintf(buf, cap, "%04d-01/%04d-%02d", p->year, p->year,
				p->num);
	case PERIOD_YEAR:
		break;
	}
	return snprintf(buf, cap, "%04d", p->year);
}

int period_format_zh(const struct period *p, char *buf, size_t cap)
{
	switch (p->kind) {
	case PERIOD_MONTH:
		return snprintf(buf, cap, "%04d年%d月", p->year, p->num);
	case PERIOD_QUARTER:
		assert(p->num >= 1 && p->num <= 4);
		return snprintf(buf, cap, "%04d年%s季度", p->year,
				zh_quarter[p->num - 1]);
	case PERIOD_YTD:
		return snprintf(buf, cap, "%04d年1-%d月", p->year, p->num);
	case PERIOD_YEAR:
		break;
	}
	return snprintf(buf, cap, "%04d年", p->year);
}

/* The months 1..12 of p's year that p starts and ends in. */
static int first_num(const struct period *p)
{
	switch (p->kind) {
	case PERIOD_MONTH:
		return p->num;
	case PERIOD_QUARTER:
		return 3 * p->num - 2;
	case PERIOD_YEAR:
	case PERIOD_YTD:
		break;
	}
	return 1;
}

static int last_num(const struct period *p)
{
	switch (p->kind) {
	case PERIOD_MONTH:
	case PERIOD_YTD:
		return p->num;
	case PERIOD_QUARTER:
		return 3 * p->num;
	case PERIOD_YEAR:
		break;
	}
	return 12;
}

int period_first_month(const struct period *p)
{
	return p->year * 12 + first_num(p) - 1;
}

int period_last_month(const struct period *p)
{
	return p->year * 12 + last_num(p) - 1;
}

struct period period_month(int year, int month)
{
	struct period p = {year, PERIOD_MONTH, month};

	return p;
}

struct period period_from_month_index(int mi)
{
	return period_month(mi / 12, mi % 12 + 1);
}

struct period period_ending(enum period_kind kind, int mi)
{
	struct period p = period_from_month_index(mi);

	switch (kind) {
	case PERIOD_QUARTER:
		p.kind = PERIOD_QUARTER;
		p.num = (p.num + 2) / 3;
		break;
	case PERIOD_YEAR:
		p.kind = PERIOD_YEAR;
		p.num = 0;
		break;
	case PERIOD_YTD:
		p.kind = PERIOD_YTD;
		break;
	case PERIOD_MONTH:
		break;
	}
	return p;
}

struct period period_prev_year(const struct period *p)
{
	struct period q = *p;

	q.year--;
	return q;
}

struct period period_prev(const struct period *p)
{
	struct period q = *p;

	switch (p->kind) {
	case PERIOD_MONTH:
		return period_from_month_index(period_first_month(p) - 1);
	case PERIOD_QUARTER:
		if (--q.num == 0) {
			q.year--;
			q.num = 4;
		}
		break;
	case PERIOD_YEAR:
		q.year--;
		break;
	case PERIOD_YTD:
		if (--q.num == 0) {
			q.year--;
			q.kind = PERIOD_YEAR;
		}
		break;
	}
	return q;
}

struct period period_ytd(const struct period *p)
{
	struct period q = {p->year, PERIOD_YTD, last_num(p)};

	return q;
}

double period_time_progress(const struct period *p)
{
	return last_num(p) / 12.0;
}

int period_eq(const struct period *a, const struct period *b)
{
	return a->year == b->year && a->kind == b->kind && a->num == b->num;
}
