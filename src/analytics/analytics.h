/*
 * The questions a city's leaders ask of its figures, answered from the cube:
 * year-to-date progress against the annual target and the time elapsed
 * (累计, 完成率, 序时进度, the light), growth (同比, 环比), gap to benchmarks,
 * ranks among areas, series and the pillar summary.  Derived indicators are
 * evaluated here, after aggregation.
 */
#ifndef CS_ANALYTICS_H
#define CS_ANALYTICS_H

#include "analytics/cube.h"
#include "core/period.h"

enum status {
	STATUS_NONE = 0,   /* no figure or no target */
	STATUS_AHEAD = 1,  /* at or ahead of schedule (green) */
	STATUS_CLOSE = 2,  /* behind by less than the tolerance (yellow) */
	STATUS_BEHIND = 3, /* behind (red) */
};

#define ANALYTICS_TOLERANCE 0.10 /* default: close within 10% of e */
#define ANALYTICS_SCORE_CAP 1.2  /* an item scores at most 120% */

/* The figure of indicator i (base or derived) for area a over period p. */
double analytics_value(const struct cube *c, int i, int a,
		       const struct period *p);

struct progress {
	double value;      /* 累计: year to date at the end of the period */
	double target;     /* the year's target; NaN when none */
	double completion; /* value / target (完成率) */
	double expected;   /* 序时进度 for flows, 1 for rates and levels */
	double ratio;      /* completion / expected, inverted for "down" */
	int status;        /* enum status */
	double prev_year;  /* the same year-to-date a year earlier */
	double yoy;        /* 同比 growth in %, NaN when not computable */
};

/*
 * Progress of indicator i in area a for the year to date ending at p's
 * last month.  tolerance: how far below 1 the ratio may be and still be
 * "close".
 */
void analytics_progress(const struct cube *c, int i, int a,
			const struct period *p, double tolerance,
			struct progress *out);

struct growth {
	double value;     /* at p */
	double base;      /* at the base period */
	double growth;    /* (value / base - 1) * 100 */
	double change;    /* value - base (percentage points for rates) */
};

/* 同比 (against the same period a year earlier) when yoy, else 环比. */
void analytics_growth(const struct cube *c, int i, int a,
		      const struct period *p, int yoy, struct growth *out);

/*
 * Weighted score of area a over the assessment indicators (weight set):
 * the sum of weight * min(ratio, ANALYTICS_SCORE_CAP); NaN when no item
 * could be scored.  which: 0, or ANALYTICS_PUBLISHED for the public's
 * score, over the indicators it may see.
 */
double analytics_score(const struct cube *c, int a, const struct period *p,
		       int which);

/*
 * Ranks n items by key, best first (higher is better unless lower): writes
 * rank[k] with ties sharing a rank (SQL RANK()), NaN keys last, unranked
 * (0).  order receives the item indices sorted by rank then index.
 */
int analytics_rank(const double *key, int n, int lower_is_better, int *rank,
		   int *order);

/*
 * Gap between area a's figure and benchmark group g at p, in percentage
 * points (see docs/formats.md).  NaN when there is no benchmark.
 */
double analytics_benchmark_gap(const struct cube *c, int i, int a, int g,
			       const struct period *p, double *bench);

struct pillar_summary {
	int n_indicators;    /* indicators with a figure and a target */
	double mean_completion;
	int n_ahead, n_close, n_behind;
};

/* Which indicators analytics_pillars counts: all, or only those... */
#define ANALYTICS_ASSESSED 1  /* with an assessment weight */
#define ANALYTICS_PUBLISHED 2 /* shown to the public */

/* Per pillar, over the indicators of the pillar that which lets in. */
void analytics_pillars(const struct cube *c, int a, const struct period *p,
		       double tolerance, int which,
		       struct pillar_summary out[PILLAR_N]);

/*
 * Nonzero when any figure behind indicator i for area a over months lo..hi
 * is sample data: an own figure of a or of an area below it, or, for a
 * derived indicator, of an indicator its formula names.
 */
int analytics_sample(const struct cube *c, int i, int a, int lo, int hi);

/* Name of a status: "ahead"/"close"/"behind"/"" and 超序时/接近/滞后. */
const char *status_name(int status);
const char *status_name_zh(int status);

#endif
