/*
 * The cube: every figure of every base indicator in memory, by area and
 * month, with the aggregate of each area's subtree kept beside it and
 * updated by deltas on every write, so that any question over areas and
 * periods is answered from memory and is never stale.  Targets and
 * benchmarks live here too.
 *
 * The rule for an area's figure (its "cell") at a month: the area's own
 * reported figure when it has one, else what its children add up to (sum
 * and count, for indicators that add up over areas).  A rate that does not
 * add up (area_agg none) has only own figures.
 */
#ifndef CS_CUBE_H
#define CS_CUBE_H

#include <stdint.h>

#include "analytics/catalog.h"
#include "core/map.h"
#include "store/store.h"

struct cube_ind {
	double *own;    /* n_areas * n_months own figures, NaN when none */
	uint8_t *flags; /* n_areas * n_months: state | VALUE_SAMPLE ... */
	double *sum;    /* n_internal * n_months: children's cells added up */
	uint32_t *cnt;  /* n_internal * n_months: how many figures in sum */
};

struct cube {
	const struct catalog *cat;
	int month0;        /* month index of the first month held (January) */
	int n_months;      /* a whole number of years */
	int *slot;         /* per area: its row in sum/cnt, -1 for a leaf */
	int n_internal;
	uint8_t *stored;   /* n_inds * n_areas: a series is in the store */
	struct cube_ind *ind; /* per indicator; arrays NULL for derived */
	struct u64map targets;
	struct u64map bench;
	long n_values;     /* own figures held */
};

/*
 * Builds the cube for cat from the store: figures, targets, benchmarks.
 * cat must outlive the cube.  On error the cube is released.
 */
int cube_build(struct cube *c, const struct catalog *cat, struct store *st);
void cube_release(struct cube *c);

/* Widens the months held to cover lo..hi (month indices). */
int cube_reserve(struct cube *c, int lo, int hi);

/* Nonzero when month m is held. */
static inline int cube_holds(const struct cube *c, int m)
{
	return m >= c->month0 && m < c->month0 + c->n_months;
}

/* Area a's own figure of indicator i at month m (NaN when none or when
 * the month is not held), and its flags. */
double cube_own(const struct cube *c, int i, int a, int m);
uint8_t cube_flags(const struct cube *c, int i, int a, int m);

/*
 * Sets area a's own figure of indicator i at month m (held, see
 * cube_reserve) to v, or removes it when v is NaN, and brings every
 * aggregate above it up to date before returning.
 */
void cube_set(struct cube *c, int i, int a, int m, double v, uint8_t flags);

/*
 * Puts a figure in place like cube_set but leaves the aggregates as they
 * are: for loading many figures, after which cube_aggregate() must run for
 * each indicator touched before anything reads the cube.
 */
void cube_put_own(struct cube *c, int i, int a, int m, double v,
		  uint8_t flags);
/* Builds indicator i's aggregates again from its own figures. */
void cube_aggregate(struct cube *c, int i);

/* The cell of area a, indicator i, month m: sum and count of figures. */
void cube_cell(const struct cube *c, int i, int a, int m, double *sum,
	       double *n);

/*
 * The figure of base indicator i for area a over months lo..hi, added up
 * the indicator's way over time (sum, last, average) and over areas (sum,
 * average).  NaN when there is no figure in the range.
 */
double cube_value(const struct cube *c, int i, int a, int lo, int hi);

/* Targets: kind is enum target_kind.  Returns nonzero when set. */
int cube_target(const struct cube *c, int i, int a, int year, int kind,
		double *out);
int cube_set_target(struct cube *c, int i, int a, int year, int kind,
		    double v);
/* Benchmarks of group g at the period ending at month m of kind pk. */
int cube_benchmark(const struct cube *c, int i, int g, int m, int pk,
		   int measure, double *out);
int cube_set_benchmark(struct cube *c, int i, int g, int m, int pk,
		       int measure, double v);

/* Bytes held by the cube's arrays and maps. */
size_t cube_bytes(const struct cube *c);

/* The latest month reported: holding a figure of a monthly indicator that
 * was submitted or approved (a draft alone does not make a month the one
 * everybody is shown), or -1.  The rates fed by the residents' requests
 * (source "requests") do not count: they run to today. */
int cube_latest_month(const struct cube *c);

#endif
