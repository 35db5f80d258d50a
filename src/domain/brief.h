/*
 * The brief: the month's one-page summary in Chinese that leaders read —
 * per pillar what is ahead of schedule, close and behind, with the figures
 * (累计, 完成率 against 序时进度, 同比, gap to the province average), the
 * biggest movers, the ranking of the areas below, and the data-quality
 * findings.  Sample data is marked as such.
 */
#ifndef CS_BRIEF_H
#define CS_BRIEF_H

#include <stdio.h>

#include "core/period.h"
#include "domain/civstat.h"

/* Writes the brief of area a for the year to date ending at p's last month
 * to f; published_only: the public's brief, of the indicators shown to the
 * public and without the data-quality section, which is the staff's.
 * Returns CS_OK, or an error code with nothing promised of f. */
int brief_write(const struct civstat *cs, int a, const struct period *p,
		double tolerance, int published_only, FILE *f);

#endif
