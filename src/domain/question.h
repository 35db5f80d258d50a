/*
 * The questions as tables (see question.c): progress, growth, rank,
 * series, pillars, compare.
 */
#ifndef CS_QUESTION_H
#define CS_QUESTION_H

#include "core/period.h"
#include "domain/civstat.h"
#include "domain/out.h"

/* A question's parameters as they come in: NULL or 0 when not given. */
struct question_args {
	const char *period;    /* default: the latest month with figures */
	const char *area;      /* one area; default the root */
	const char *children;  /* the areas right below this one */
	int level;             /* every area at this level */
	const char *indicator; /* codes, comma-separated; default all */
	int assessed;          /* only indicators with a weight */
	int published_only;    /* only indicators shown to the public */
	const char *from, *to; /* a series' range */
	double tolerance;      /* "close" within this of schedule */
	int mom;               /* growth: 环比 instead of 同比 */
	int zh;                /* words and periods in Chinese */
	int en_names;          /* area and indicator names in English */
};

struct question {
	struct period p;
	int *areas, n_areas; /* area indices */
	int *inds, n_inds;   /* indicator indices */
	int from, to;        /* month range of a series; -1 when open */
	double tolerance;
	int mom, assessed, zh, en_names;
	int published_only;
	int all_inds;        /* no indicator was named */
};

/* Reads the arguments against the catalog.  CS_EUSAGE for a bad period,
 * CS_ENOTFOUND for an unknown area or indicator, message set; on error q
 * holds nothing. */
int question_init(struct question *q, const struct civstat *cs,
		  const struct question_args *qa);
void question_release(struct question *q);

/* Each fills t (initialized here) with its answer; CS_OK or an error. */
typedef int (*question_fn)(const struct civstat *cs, const struct question *q,
			   struct out_table *t);
int question_progress(const struct civstat *cs, const struct question *q,
		      struct out_table *t);
int question_growth(const struct civstat *cs, const struct question *q,
		    struct out_table *t);
int question_rank(const struct civstat *cs, const struct question *q,
		  struct out_table *t);
int question_series(const struct civstat *cs, const struct question *q,
		    struct out_table *t);
int question_pillars(const struct civstat *cs, const struct question *q,
		     struct out_table *t);
int question_compare(const struct civstat *cs, const struct question *q,
		     struct out_table *t);

/* Data quality: the findings, and each department's reporting. */
int question_check(const struct civstat *cs, const struct question *q,
		   struct out_table *t);
int question_reporting(const struct civstat *cs, const struct question *q,
		       struct out_table *t);

/* A period as the question writes it (Chinese or SDMX form). */
void question_period(const struct question *q, const struct period *p,
		     char *buf, size_t cap);
const char *question_area_name(const struct question *q,
			       const struct area *a);
const char *question_ind_name(const struct question *q,
			      const struct indicator *i);

#endif
