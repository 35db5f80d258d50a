/*
 * Data quality: the findings civstat check lists and the brief counts.
 * Validation rules of each indicator (bounds, a part not above its whole),
 * jumps against the previous period and the same period a year earlier,
 * outlying growth among sibling areas (modified z-score), and each
 * department's completeness and timeliness of reporting.
 */
#ifndef CS_QUALITY_H
#define CS_QUALITY_H

#include "core/period.h"
#include "domain/civstat.h"

#define QUALITY_MAX_JUMP 50.0 /* % change questioned when a rule sets none */
#define QUALITY_OUTLIER_Z 3.5 /* |modified z| above this is an outlier */

enum finding_kind {
	FINDING_BOUNDS,        /* outside the indicator's min..max */
	FINDING_PART_OF,       /* a part above its whole */
	FINDING_JUMP_PREV,     /* a jump against the previous period */
	FINDING_JUMP_YEAR,     /* a jump against a year earlier */
	FINDING_OUTLIER,       /* growth far from the siblings' */
	FINDING_MISSING,       /* expected and not reported */
	FINDING_NOT_SUBMITTED, /* reported, still draft or returned */
	FINDING_NKINDS
};

struct finding {
	int kind;     /* enum finding_kind */
	int ind;      /* indicator index */
	int area;     /* area index */
	int month;    /* month index of the figure */
	double value; /* the figure (NaN when missing) */
	double ref;   /* the bound, the whole, the earlier figure, the median */
	double score; /* the change in %, or the modified z-score */
};

struct report_stat {
	int dept;      /* department index */
	int expected;  /* figures expected for the period */
	int reported;  /* of those, figures present */
	int submitted; /* of those, submitted or approved */
};

struct quality {
	struct finding *items;
	int n, cap;
	struct report_stat *depts; /* one per department with indicators */
	int n_depts;
};

/*
 * Checks the figures of the period ending at p's last month.  On success
 * q holds the findings (the caller releases it); on error q is empty.
 */
int quality_check(const struct civstat *cs, const struct period *p,
		  struct quality *q);
void quality_release(struct quality *q);

const char *finding_name(int kind);    /* "bounds" ... */
const char *finding_name_zh(int kind); /* 超出范围 ... */

#endif
