/*
 * Changing figures one at a time: the path of a clerk's entry, a review
 * decision or a correction.  Each change is one transaction that also
 * records the figure's history; the cube follows before the call returns.
 */
#ifndef CS_VALUES_H
#define CS_VALUES_H

#include "core/period.h"
#include "domain/civstat.h"

/*
 * Sets indicator i of area a at month m (the period's last month) to v
 * (NaN removes the figure) with state (enum value_state) and comment (NULL
 * keeps the present one, "" removes it).  Returns CS_OK, CS_EINVAL for a
 * derived indicator, or the store's error with nothing changed.
 */
int value_set(struct civstat *cs, int i, int a, int m, double v, int state,
	      const char *comment);
/* As value_set; sample nonzero marks the figure as sample data (a figure
 * computed from sample data, such as the demo's project reports). */
int value_set_sample(struct civstat *cs, int i, int a, int m, double v,
		     int state, const char *comment, int sample);

/*
 * Figures civstat computes itself, which nobody may type: PROJ_INV
 * (重点项目完成投资) is the sum of the key projects' monthly reports
 * (project.c), so a figure typed for it would be counted twice or lost
 * at the next report.  Returns why indicator i may not take a figure
 * from the caller (Chinese, then English), or NULL when it may.  This is
 * the one check: value_set and the figures' import both ask it.
 */
const char *value_fed_by(const struct catalog *cat, int i);

/* Between begin and end, on this thread, the figures written are the
 * feed's own (project_feed): the check above lets them through. */
void value_feed_begin(void);
void value_feed_end(void);
int value_feeding(void);

#define VALUE_NSTATES 4 /* enum value_state */
/* The states' names: English (in enum order), then Chinese. */
extern const char *const value_state_names[2 * VALUE_NSTATES];

/* Parses a state name (approved, draft, submitted, returned, or the
 * Chinese 已审核 草稿 已报送 已退回); -1 when unknown. */
int value_state_parse(const char *z);
const char *value_state_name(int state);
const char *value_state_name_zh(int state);

/* The kind of period an indicator's figures are reported for. */
enum period_kind value_period_kind(const struct indicator *ind);
/* 月度, 季度, 年度 */
const char *value_frequency_name_zh(int frequency);

#endif
